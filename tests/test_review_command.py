"""``obligo review``: the monthly service review pack, on the acme-hosting sample (its README
works every number out by hand) and on crafted contracts and logs.

March 2026 of the sample, as of 15 April noon in Berlin: ``api-uptime`` 99.808558559% (5,100 s
down of 2,664,000 s counted: ``MNT-302`` 3,600 s, its notice too short; ``INC-304`` 900 s over
the clock change; the rest of ``INC-203`` 600 s; four contributors in all), 0.091441441 below
99.9%; ``outage-hours`` 900 s (``OUT-2``); P1 first response 50% (``T-302`` still open, late by
239,400 business seconds). March is in the baseline: no credit. Measured but promised by no
clause: ``long-outage-hours`` (outages of 15 minutes or more: ``OUT-2``, 900 s; February's
``OUT-1``, 2,700 s), and three metrics no record of the log feeds (no value). Coming: the reviews of 1 July
2026 and 1 January 2027, the uplink's supplier contract ending 31 December 2026 (announced 90
days ahead, 3 October), the notice period of the term from 2 April 2027 and its end on 30 June.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from obligo.cli import cli

DATA = Path(__file__).parent / "data" / "review"
ACME = ["contracts/acme-hosting.sla", "--events", "contracts/acme-hosting/events.jsonl"]
AT = ["--at", "2026-04-15T12:00:00+02:00"]

HOSTILE = """\
contract hostile "Evil <script>alert(1)</script> | `tick`" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric uptime "Availability"
  availability, per calendar month
  down during incident records

clause 1 "Uptime <b>bold</b> | pipe `code`"
  promise uptime >= 99.9%
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["review", *args])


def hostile(tmp_path: Path) -> list[str]:
    contract = tmp_path / "hostile.sla"
    contract.write_text(HOSTILE, encoding="utf-8")
    log = tmp_path / "events.jsonl"
    record = {
        "type": "incident",
        "id": "<script>steal()</script>|`x`",
        "start": "2026-03-02T00:00:00Z",
        "end": "2026-03-02T01:00:00Z",
    }
    log.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return [
        str(contract),
        "--events",
        str(log),
        "--period",
        "2026-03",
        "--at",
        "2026-04-02T00:00:00Z",
    ]


def test_acme_march_markdown_is_the_pack_worked_out_by_hand() -> None:
    result = run(*ACME, "--period", "2026-03", *AT)
    assert result.exit_code == 0, result.output
    expected = (DATA / "acme-2026-03.md").read_text(encoding="utf-8")
    assert result.stdout == expected
    lines = result.stdout.splitlines()
    assert (
        "| 4.1 API availability | api-uptime &gt;= 99.9% | 99.808558559% | breached"
        " | -0.091441441% | 2026-01 99.922839506% met; 2026-02 99.86359127% breached |"
    ) in lines
    assert "| 4.1 | api-uptime &gt;= 99.9% | 99.808558559% | and 1 more |  |" in lines
    # Promised by no clause, measured for the review: outages of 15 minutes or more (OUT-2,
    # 900 s, in March; OUT-1, 2,700 s, in February); a metric no log feeds has no value.
    assert (
        "| long-outage-hours Hours of outages of a quarter of an hour or more (2026-03) | 15 min"
        " | measured | 2026-01 0 s; 2026-02 45 min |"
    ) in lines
    assert (
        "| api-latency API latency (2026-03) | no value (unmeasured: the log has no request"
        " records) | no data | 2026-01 no value; 2026-02 no value |"
    ) in lines
    coming = lines[lines.index("## Coming") + 4 : lines.index("## Coming") + 10]
    assert [row.split(" | ")[0] for row in coming] == [
        "| 2026-07-01",
        "| 2026-10-03",
        "| 2027-01-01",
        "| 2027-04-02",
        "| 2027-04-02",
        "| 2027-06-30",
    ]
    assert "| uplink | netco-master.sla | 2026-12-31 |" in lines


def test_html_is_one_page_with_the_same_facts() -> None:
    result = run(*ACME, "--period", "2026-03", *AT, "--format", "html")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "src=" not in page and "href=" not in page
    assert (
        "<td>4.1 API availability</td><td>api-uptime &gt;= 99.9%</td><td>99.808558559%</td>" in page
    )
    assert "<td>2026-10-03</td>" in page


def test_hostile_names_are_shown_not_obeyed(tmp_path: Path) -> None:
    args = hostile(tmp_path)
    page = run(*args, "--format", "html").stdout
    assert "<script>" not in page and "<b>" not in page
    assert "Evil &lt;script&gt;alert(1)&lt;/script&gt; | `tick`" in page
    assert "1 Uptime &lt;b&gt;bold&lt;/b&gt; | pipe `code`" in page
    assert "incident &lt;script&gt;steal()&lt;/script&gt;|`x`" in page
    markdown = run(*args).stdout
    assert "<script>" not in markdown and "<b>" not in markdown
    assert markdown.splitlines()[0] == (
        "# Service review 2026-03: hostile Evil &lt;script&gt;alert(1)&lt;/script&gt;"
        " \\| \\`tick\\`"
    )
    assert "| 1 Uptime &lt;b&gt;bold&lt;/b&gt; \\| pipe \\`code\\` | uptime &gt;= 99.9%" in markdown
    assert "incident &lt;script&gt;steal()&lt;/script&gt;\\|\\`x\\`" in markdown
    # Every table row keeps its columns: no `|` from the text splits a cell.
    for line in markdown.splitlines():
        if line.startswith("| 1 Uptime"):  # objectives: 6 columns
            assert line.replace("\\|", "").count("|") == 7
        elif line.startswith("| 1 | "):  # breaches: 5 columns
            assert line.replace("\\|", "").count("|") == 6


def test_a_month_outside_the_term_names_the_term() -> None:
    result = run(*ACME, "--period", "2027-09", *AT)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "contracts/acme-hosting.sla:6:3: error: the period 2027-09 is outside the term"
        " (2026-01-01 to 2027-06-30) (review a month of the term)\n"
    )


def test_a_month_not_begun_and_not_a_month() -> None:
    later = run(*ACME, "--period", "2026-05", *AT)
    assert later.exit_code == 2
    assert "the period 2026-05 has not begun at 2026-04-15T12:00:00+02:00" in later.stderr
    wrong = run(*ACME, "--period", "2026-13", *AT)
    assert wrong.exit_code == 2
    assert wrong.stderr == "error: --period '2026-13' is not a month: write YYYY-MM, e.g. 2026-03\n"


def test_an_agreement_set_pair(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    record = {
        "type": "incident", "id": "I1", "severity": 1, "customer": "globex",
        "service": "payments", "start": "2026-03-03T10:00:00Z", "end": "2026-03-03T12:00:00Z",
    }  # fmt: skip
    log.write_text(json.dumps(record) + "\n", encoding="utf-8")
    args = ["contracts/nimbus", "--events", str(log), "--period", "2026-03"]
    result = run(
        *args, "--customer", "globex", "--service", "payments", "--at", "2026-05-15T00:00:00Z"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "Service: payments  " in lines
    # 2 hours down of 743 hours (the clock went forward on 29 March): 99.730820996%.
    assert (
        "| 1.1 Availability | uptime &gt;= 99.9% | 99.730820996% | breached | -0.169179004% |  |"
        in lines
    )
    assert (
        "| 1.2 Repair of severity 1 incidents | repair-time &lt;= 4 h | 2 h | met | +2 h |  |"
        in lines
    )
    missing = run(
        *args, "--customer", "globex", "--service", "nope", "--at", "2026-05-15T00:00:00Z"
    )
    assert missing.exit_code == 2
    assert missing.stderr.startswith(
        "error: no section of the agreements for customer globex, service nope; the sections"
        " are: --customer globex --service db, --customer globex --service erp,"
    )


def test_help_shows_a_working_example_and_the_docs() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "obligo review contracts/acme-hosting.sla" in result.stdout
    assert "--period 2026-03" in result.stdout
    assert "docs/budget-and-review.md" in result.stdout


def test_deterministic() -> None:
    first = run(*ACME, "--period", "2026-03", *AT, "--format", "html").stdout
    assert run(*ACME, "--period", "2026-03", *AT, "--format", "html").stdout == first


KEYS = """\
contract keys "Key measurements" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric uptime "Availability"
  availability, per calendar month
  down during incident records

clause 1 "Uptime"
  report uptime >= 99.9%
"""


def test_a_key_measurement_is_reported_not_promised(tmp_path: Path) -> None:
    # March: one hour down of 31 days, (2,678,400 - 3,600) / 2,678,400 = 99.865591398%.
    contract = tmp_path / "keys.sla"
    contract.write_text(KEYS, encoding="utf-8")
    log = tmp_path / "events.jsonl"
    record = {"type": "incident", "id": "I1", "start": "2026-03-02T00:00:00Z",
              "end": "2026-03-02T01:00:00Z"}  # fmt: skip
    log.write_text(json.dumps(record) + "\n", encoding="utf-8")
    args = [str(contract), "--events", str(log), "--period", "2026-03"]
    result = run(*args, "--at", "2026-04-02T00:00:00Z")
    assert result.exit_code == 0, result.output
    text = result.stdout
    objectives = text[text.index("## Objectives") : text.index("## Measured")]
    assert objectives == "## Objectives\n\nnone\n\n"
    assert (
        "| 1 Uptime: uptime &gt;= 99.9% (reported only) | 99.865591398% | breached"
        " | 2026-01 100% met; 2026-02 100% met |"
    ) in text.splitlines()
    assert (
        "| 1 | uptime &gt;= 99.9% (reported only) | 99.865591398% | incident I1,"
        " 2026-03-02T00:00:00+00:00 to 2026-03-02T01:00:00+00:00 | 1 h |"
    ) in text.splitlines()


def test_a_credit_of_the_month(tmp_path: Path) -> None:
    # The shop of tests/test_budget_command.py, without request records: in March 8 hours down
    # of 31 days, (2,678,400 - 28,800) / 2,678,400 = 98.924731183%, in the tier `<= 99%`: 30%
    # of the 1,000 EUR fee. No request record: the success objective is unmeasured.
    from test_budget_command import SHOP

    contract = tmp_path / "shop.sla"
    contract.write_text(SHOP, encoding="utf-8")
    log = tmp_path / "events.jsonl"
    record = {"type": "incident", "id": "INC-1", "start": "2026-03-02T00:00:00Z",
              "end": "2026-03-02T08:00:00Z"}  # fmt: skip
    log.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run(
        str(contract), "--events", str(log), "--period", "2026-03", "--at", "2026-04-11T00:00:00Z"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "| 1 | credit | 2026-03 | 300.00 EUR | given without a claim |" in lines
    assert (
        "| 1 Availability | uptime &gt;= 99.5% | 98.924731183% | breached | -0.575268817%"
        " | 2026-01 100% met; 2026-02 100% met |"
    ) in lines
    assert (
        "| 2 Requests | success &gt;= 90% | no value | no data (unmeasured: the log has no request"
        " records) |  | 2026-01 no data; 2026-02 no data |"
    ) in lines

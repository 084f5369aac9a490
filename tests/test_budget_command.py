"""``obligo budget``: the period in progress, objective by objective, on logs worked out by hand.

The acme-hosting sample at 15 April 2026, noon in Berlin (its README works out every number):
April has 30 days, 2,592,000 s; 0.1% of it, 2,592 s, is the budget of ``api-uptime >= 99.9%``;
``INC-401`` has been down 1,200 s, so 1,392 s are left and 1,200 / 2,592 = 46.296296296% is
used. 14.5 of 30 days have passed (48.333333333%), so the burn rate is (1,200 / 2,592) /
(14.5 / 30) = 36,000 / 37,584 = 0.957854406. The tiers: below 99.9% after more than 1,392 s,
below 99.0% (25,920 s allowed) after more than 24,720 s, below 95.0% (129,600 s) after more than
128,400 s.

A crafted shop (UTC, April pending at 11 April 00:00: 10 of 30 days, 33.333333333%):

- ``uptime >= 99.5%``: one hour down (3,600 s) of 864,000 s so far is 99.583333333%; April
  allows 0.5% of 2,592,000 s = 12,960 s, so 9,360 s are left, 27.777777778% used, burn rate
  0.277... / 0.333... = 0.833333333. ``< 99.5%`` is reached after more than 9,360 s;
  ``<= 99%`` (25,920 s allowed) at 22,320 s exactly.
- ``success >= 90%``: 9 of 10 requests succeeded, 90%: the largest k with 9 / (10 + k) >= 90%
  is 0, so no failed record is left and the one failed used 100%: burn rate 1 / (1/3) = 3.
  ``< 90%`` is reached by 1 more failed record; ``<= 80%`` by the least k with 9 / (10 + k) <=
  80%: k >= 1.25, so 2 (9 / 12 = 75%; 9 / 11 = 81.8% is not yet).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from obligo.cli import cli

ACME = ["contracts/acme-hosting.sla", "--events", "contracts/acme-hosting/events.jsonl"]
ACME_AT = ["--at", "2026-04-15T12:00:00+02:00"]

SHOP = """\
contract shop "Shop <script>alert(1)</script> | `x`" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency EUR

service web "Web"
  fee 1000 EUR monthly

metric uptime "Availability"
  availability of web, per calendar month
  down during incident records

metric success "Successful requests"
  ratio of count(request records where failed = false) to count(request records), per calendar month

clause 1 "Availability"
  promise uptime >= 99.5%
  credit
    10% of the fee when uptime < 99.5%
    30% of the fee when uptime <= 99%

clause 2 "Requests"
  service web
  promise success >= 90%
  credit
    5% of the fee when success < 90%
    20% of the fee when success <= 80%
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["budget", *args])


def shop(tmp_path: Path, down_until: str = "2026-04-02T01:00:00Z") -> list[str]:
    contract = tmp_path / "shop.sla"
    contract.write_text(SHOP, encoding="utf-8")
    records: list[dict[str, object]] = [
        {"type": "incident", "id": "INC-1", "start": "2026-04-02T00:00:00Z", "end": down_until}
    ]
    records += [
        {
            "type": "request",
            "id": f"R{i}",
            "time": f"2026-04-0{1 + i % 9}T12:00:00Z",
            "failed": i == 0,
        }
        for i in range(10)
    ]
    log = tmp_path / "events.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return [str(contract), "--events", str(log), "--at", "2026-04-11T00:00:00Z"]


def test_acme_sample_text() -> None:
    result = run(*ACME, *ACME_AT)
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == """\
contract acme-hosting "Managed hosting for Acme" version 3
customer acme "Acme Corp", represented by Head of IT
budget at 2026-04-15T12:00:00+02:00 (Europe/Berlin)

4.1 api-uptime >= 99.9%, 2026-04 (48.333333333% elapsed)
  so far       99.904214559%
  budget left  23 min 12 s of downtime (46.296296296% used)
  burn rate    0.957854406 (within the budget at this pace)
  tiers (reached by, from now to the end of the period)
    10% of the fee when api-uptime < 99.9%   more than 23 min 12 s of downtime
    25% of the fee when api-uptime < 99.0%   more than 6 h 52 min of downtime
    100% of the fee when api-uptime < 95.0%  more than 1 d 11 h 40 min of downtime

4.2 outage-hours = 0 h, 2026-04 (48.333333333% elapsed)
  so far       0 s
  budget left  no error budget: only a percentage promised with >= or > has one

5.1 first-response for "P1" >= 95%, 2026-04 (48.333333333% elapsed)
  so far       100%
  budget left  0 late records (0% used)
  burn rate    0 (within the budget at this pace)

contracts/acme-hosting/events.jsonl: 31 lines, 26 used, 2 outside the periods, 2 not used by \
this contract, 0 rejected, 1 merged
"""
    )


def test_acme_sample_json_is_exact_and_deterministic() -> None:
    result = run(*ACME, *ACME_AT, "--format", "json")
    assert result.exit_code == 0, result.output
    assert run(*ACME, *ACME_AT, "--format", "json").stdout == result.stdout
    report = json.loads(result.stdout)
    assert report["kind"] == "budget"
    uptime = report["objectives"][0]
    assert uptime["elapsed"] == "48.333333333"
    assert uptime["error_budget"] == {
        "remaining": "1392",
        "unit": "seconds of downtime",
        "used": "46.296296296",
    }
    assert uptime["burn_rate"] == "0.957854406"
    assert [(t["threshold"], t["more"], t["beyond"], t["reached"]) for t in uptime["tiers"]] == [
        ("99.9", "1392", True, False),
        ("99", "24720", True, False),
        ("95", "128400", True, False),
    ]
    assert report["inputs"][0]["lines"] == 31


def test_crafted_log_time_and_records(tmp_path: Path) -> None:
    result = run(*shop(tmp_path))
    assert result.exit_code == 0, result.output
    body = result.stdout.split("\n", 2)[2]
    assert (
        body.rsplit("\n\n", 1)[0]
        == """\

1 uptime >= 99.5%, 2026-04 (33.333333333% elapsed)
  so far       99.583333333%
  budget left  2 h 36 min of downtime (27.777777778% used)
  burn rate    0.833333333 (within the budget at this pace)
  tiers (reached by, from now to the end of the period)
    10% of the fee when uptime < 99.5%  more than 2 h 36 min of downtime
    30% of the fee when uptime <= 99%   6 h 12 min of downtime

2 success >= 90%, 2026-04 (33.333333333% elapsed)
  so far       90%
  budget left  0 failed records (100% used)
  burn rate    3 (faster than the budget allows: at this pace it runs out before the period \
ends)
  tiers (reached by, from now to the end of the period)
    5% of the fee when success < 90%    1 failed records
    20% of the fee when success <= 80%  2 failed records"""
    )


def test_a_tier_already_reached(tmp_path: Path) -> None:
    # 2 April 00:00 to 08:00: 28,800 s down, more than the 25,920 s April allows at 99%.
    result = run(*shop(tmp_path, "2026-04-02T08:00:00Z"), "--format", "json")
    assert result.exit_code == 0, result.output
    uptime = json.loads(result.stdout)["objectives"][0]
    assert uptime["error_budget"]["remaining"] == "-15840"  # 12,960 - 28,800
    assert [(t["reached"], t["more"]) for t in uptime["tiers"]] == [(True, None), (True, None)]


def test_no_period_in_progress_names_the_term() -> None:
    result = run(*ACME, "--at", "2027-08-01T00:00:00+02:00")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "contracts/acme-hosting.sla:6:3: error: no measurement period is in progress at"
        " 2027-08-01T00:00:00+02:00: the term runs from 2026-01-01 to 2027-06-30"
    )
    assert "Traceback" not in result.stderr


def test_markdown_escapes_hostile_names(tmp_path: Path) -> None:
    result = run(*shop(tmp_path), "--format", "markdown")
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first == (
        "# Error budget: shop Shop &lt;script&gt;alert(1)&lt;/script&gt; \\| \\`x\\`, version 1"
    )
    assert "<script>" not in result.stdout
    assert "| 10% of the fee when uptime &lt; 99.5% | more than 2 h 36 min of downtime |" in (
        result.stdout
    )


def test_help_shows_a_working_example_and_the_docs() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "obligo budget contracts/acme-hosting.sla" in result.stdout
    assert "--events contracts/acme-hosting/events.jsonl --at 2026-04-15T12:00:00+02:00" in (
        result.stdout
    )
    assert "docs/budget-and-review.md" in result.stdout
    assert run(*ACME, *ACME_AT).exit_code == 0  # the example itself works


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_every_format_is_deterministic(fmt: str) -> None:
    assert (
        run(*ACME, *ACME_AT, "--format", fmt).stdout == run(*ACME, *ACME_AT, "--format", fmt).stdout
    )


def test_an_agreement_set_pair(tmp_path: Path) -> None:
    # Globex's payments (contracts/nimbus, Europe/London), at 15 March 00:00 UTC: March has 743
    # hours (the clock goes forward on the 29th), 2,674,800 s; 99.9% allows 2,674.8 s and I1
    # was down 7,200 s: 4,525.2 s over, 269.179004038% used; 14 days of 743 hours have passed
    # (45.222072678%), burn rate 5.952380952. The tier `< 99.0%` (26,748 s) is reached after
    # more than 19,548 s more, `< 97.0%` (80,244 s) after more than 73,044 s.
    log = tmp_path / "events.jsonl"
    record = {
        "type": "incident", "id": "I1", "severity": 1, "customer": "globex",
        "service": "payments", "start": "2026-03-03T10:00:00Z", "end": "2026-03-03T12:00:00Z",
    }  # fmt: skip
    log.write_text(json.dumps(record) + "\n", encoding="utf-8")
    args = ["contracts/nimbus", "--events", str(log), "--at", "2026-03-15T00:00:00Z"]
    result = run(*args, "--customer", "globex", "--service", "payments")
    assert result.exit_code == 0, result.output
    assert (
        "\n".join(result.stdout.splitlines()[4:12])
        == """\
1.1 uptime >= 99.9%, 2026-03 (45.222072678% elapsed)
  so far       99.404761905%
  budget left  -1 h 15 min 25.2 s of downtime (269.179004038% used)
  burn rate    5.952380952 (faster than the budget allows: at this pace it runs out before \
the period ends)
  tiers (reached by, from now to the end of the period)
    10% of the fee when uptime < 99.9%  reached already
    20% of the fee when uptime < 99.0%  more than 5 h 25 min 48 s of downtime
    40% of the fee when uptime < 97.0%  more than 20 h 17 min 24 s of downtime"""
    )
    assert result.stdout.endswith(
        f"{log}: 1 lines, 1 used, 0 outside the periods, 0 not used by this contract, 0 rejected\n"
    )
    missing = run(*args, "--customer", "globex", "--service", "nope")
    assert missing.exit_code == 2
    assert "no section of the agreements for customer globex, service nope" in missing.stderr


GROUPS = """\
contract grp "Groups" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency EUR

service desk "Desk"
  fee 1000 EUR monthly

metric ok "Successful requests"
  ratio of count(request records where failed = false) to count(request records), per calendar month, by region

clause 1 "Requests EU"
  service desk
  promise ok for "eu" >= 90%
  credit
    5% of the fee when ok for "eu" < 90%
    7% of the fee when ok for "eu" < 80%
"""


def test_tiers_of_a_group(tmp_path: Path) -> None:
    # The "eu" group: 19 of 20 requests succeeded, 95%. Still >= 90%: 19 / (20 + k) >= 0.9
    # for k <= 1.11, so 1 failed record is left (1 of 2 used: 50%, burn rate 0.5 / (1/3) =
    # 1.5). Below 90% from k = 2 (19 / 22 = 86.4%); below 80% from k = 4 (19 / 24 = 79.2%;
    # 19 / 23 = 82.6%). The "us" requests are another group and change nothing.
    contract = tmp_path / "grp.sla"
    contract.write_text(GROUPS, encoding="utf-8")
    records = [
        {"type": "request", "id": f"R{i}", "time": "2026-04-02T12:00:00Z", "failed": i < 1,
         "region": "eu"}
        for i in range(20)
    ] + [
        {"type": "request", "id": f"U{i}", "time": "2026-04-02T12:00:00Z", "failed": False,
         "region": "us"}
        for i in range(5)
    ]  # fmt: skip
    log = tmp_path / "events.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = run(str(contract), "--events", str(log), "--at", "2026-04-11T00:00:00Z")
    assert result.exit_code == 0, result.output
    assert (
        "\n".join(result.stdout.splitlines()[3:10])
        == """\
1 ok for "eu" >= 90%, 2026-04 (33.333333333% elapsed)
  so far       95%
  budget left  1 failed records (50% used)
  burn rate    1.5 (faster than the budget allows: at this pace it runs out before the period \
ends)
  tiers (reached by, from now to the end of the period)
    5% of the fee when ok for "eu" < 90%  2 failed records
    7% of the fee when ok for "eu" < 80%  4 failed records"""
    )

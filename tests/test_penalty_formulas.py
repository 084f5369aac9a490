"""Penalty formulas (issue 13): ``penalty 25 * outage-time / scheduled-time * the fee when
breached``, a penalty computed from measured values exactly as a credit formula is.

The log (a small one, every amount worked out by hand):

- March: 30 min of outage (met), 1 h scheduled;
- April: 2 h of outage (breached), 100 h scheduled (360,000 s), a 30-day month (2,592,000 s);
- May: 2 h of outage (breached), nothing scheduled, a 31-day month (2,678,400 s).

The fee is 3000 EUR a month.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import obligo
from obligo.cli import cli
from obligo.report.model import Consequence, Report
from obligo.syntax import printer
from report_helpers import as_shown

CONTRACT = """\
contract formulas "Penalty formulas" version 1
  provider nimbus "Nimbus"
  customer acme "Acme"
  term 2026-03-01
  timezone "UTC"
  currency EUR

service s "S"
  fee 3000 EUR monthly

metric outage-time "Outage"
  total duration of outage records, per calendar month

metric scheduled-time "Scheduled"
  total duration of schedule records, per calendar month

clause 1 "Outage over scheduled time"
  service s
  promise outage-time <= 1 h
  penalty 25 * outage-time / scheduled-time * the fee when breached

clause 2 "Ten times the fee for the downtime, capped"
  service s
  promise outage-time <= 1 h
  penalty 10 times the fee for outage-time when breached
  cap 50 EUR per month

clause 3 "Every period"
  service s
  promise outage-time <= 1 h
  penalty 10 * the fee for outage-time
"""

LOG = [
    ("outage", "2026-03-10T00:00:00+00:00", "2026-03-10T00:30:00+00:00"),
    ("schedule", "2026-03-01T00:00:00+00:00", "2026-03-01T01:00:00+00:00"),
    ("outage", "2026-04-10T00:00:00+00:00", "2026-04-10T02:00:00+00:00"),
    ("schedule", "2026-04-01T00:00:00+00:00", "2026-04-05T04:00:00+00:00"),
    ("outage", "2026-05-10T00:00:00+00:00", "2026-05-10T02:00:00+00:00"),
]
AT = "2026-06-02T00:00:00+00:00"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("penalty")
    contract = folder / "penalty.sla"
    contract.write_text(CONTRACT, encoding="utf-8")
    log = folder / "log.jsonl"
    lines = [json.dumps({"type": t, "start": s, "end": e}) for t, s, e in LOG]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return contract, log


@pytest.fixture(scope="module")
def report(files: tuple[Path, Path]) -> Report:
    contract, log = files
    return obligo.evaluate(obligo.load(contract), [str(log)], at=dt.datetime.fromisoformat(AT))


def owed(report: Report, clause: str, period: str) -> Consequence:
    found = [
        c
        for c in report.consequences
        if (c.clause, c.kind, c.period.label) == (clause, "penalty", period)
    ]
    assert len(found) == 1, [(c.clause, c.kind, c.period.label) for c in report.consequences]
    return found[0]


def periods(report: Report, clause: str) -> list[str]:
    return [c.period.label for c in report.consequences if c.clause == clause]


def run(files: tuple[Path, Path], *args: str) -> str:
    contract, log = files
    result = CliRunner().invoke(
        cli, ["eval", str(contract), "--events", str(log), "--at", AT, *args]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


# ------------------------------------------------------------------------------- the engine
def test_a_met_period_owes_nothing_when_breached(report: Report) -> None:
    # March met its promise (30 min <= 1 h): neither formula `when breached` is owed.
    assert periods(report, "1") == ["2026-04", "2026-05"]
    assert periods(report, "2") == ["2026-04", "2026-05"]


def test_a_breached_period_owes_the_exact_amount(report: Report) -> None:
    # 25 × 7200 ÷ 360000 × 3000 = 25 × 0.02 × 3000 = 1500.
    april = owed(report, "1", "2026-04")
    assert (april.kind, as_shown(april.amount), april.currency) == ("penalty", "1500.00", "EUR")
    assert april.lines[0].rule == "25 * outage-time / scheduled-time * the fee when breached"
    assert april.lines[0].arithmetic == (
        "25 × outage-time 7200 s ÷ scheduled-time 360000 s × 3000 EUR (the fee of 2026-04)"
        " = 1500 EUR"
    )
    # Owed by the provider, who delivers the service, as every penalty is.
    assert (april.service, april.supplier) == ("s", "nimbus")


def test_a_zero_divisor_is_no_data_with_the_reason(report: Report) -> None:
    may = owed(report, "1", "2026-05")
    assert may.amount is None
    assert may.reason == (
        "the formula divides by scheduled-time, which is 0 in 2026-05: no amount can be computed"
    )
    assert report.totals.without_amount == 1


def test_a_penalty_formula_is_capped_and_rounded_once(report: Report) -> None:
    # April: 10 × 3000 × 7200 ÷ 2,592,000 = 83.333… -> the cap: 50; May: 80.645… -> 50.
    april = owed(report, "2", "2026-04")
    assert as_shown(april.amount) == "50.00"
    assert april.lines[0].arithmetic == (
        "10 × (the fee for outage-time: 3000 EUR (the fee of 2026-04) × 7200 s ÷ 2592000 s of"
        " 2026-04) = 83.333333333 EUR"
    )
    assert as_shown(owed(report, "2", "2026-05").amount) == "50.00"
    # Without `when breached` it is owed in every period: March 10 × 3000 × 1800 ÷ 2,678,400 =
    # 20.161…, rounded once to 20.16; April 83.333… -> 83.33; May 80.645… -> 80.65.
    amounts = [as_shown(owed(report, "3", p).amount) for p in ("2026-03", "2026-04", "2026-05")]
    assert amounts == ["20.16", "83.33", "80.65"]
    # The penalties total: 1500 + 50 + 50 + 20.16 + 83.33 + 80.65.
    assert [as_shown(t.penalties) for t in report.totals.contract] == ["1784.14"]


# -------------------------------------------------------------------------------- reports
def test_the_text_report_shows_it_as_a_penalty(files: tuple[Path, Path]) -> None:
    text = run(files)
    assert "  1 penalty 2026-04: 1500.00 EUR\n" in text
    assert (
        "  1 penalty 2026-05: amount not known\n"
        "    25 * outage-time / scheduled-time * the fee when breached: the formula divides by"
        " scheduled-time, which is 0 in 2026-05: no amount can be computed\n"
    ) in text
    assert "  contract: credits 0.00 EUR, penalties 1784.14 EUR, rewards 0.00 EUR\n" in text


def test_the_json_report_shows_it_as_a_penalty(files: tuple[Path, Path]) -> None:
    data = json.loads(run(files, "--format", "json"))
    found = {
        (c["clause"], c["period"]["label"]): c
        for c in data["consequences"]
        if c["kind"] == "penalty"
    }
    assert found[("1", "2026-04")]["amount"] == "1500.00"
    assert found[("1", "2026-05")]["amount"] is None
    assert found[("1", "2026-05")]["reason"].startswith("the formula divides by scheduled-time")


def test_the_markdown_html_and_junit_reports_show_it(files: tuple[Path, Path]) -> None:
    markdown = run(files, "--format", "markdown")
    assert "#### Penalty for 2026-04: 1500.00 EUR\n" in markdown
    assert "#### Penalty for 2026-05: amount not known\n" in markdown
    html = run(files, "--format", "html")
    assert "<strong>penalty 2026-04: 1500.00 EUR</strong>" in html
    assert "<strong>penalty 2026-05: amount not known</strong>" in html
    junit = run(files, "--format", "junit")
    assert "penalty: 1500.00 EUR\n" in junit
    assert "which is 0 in 2026-05: no amount can be computed" in junit


def test_explain_shows_the_arithmetic(files: tuple[Path, Path]) -> None:
    contract, log = files
    args = ["explain", str(contract), "--events", str(log), "--at", AT, "--clause", "2"]
    result = CliRunner().invoke(cli, [*args, "--period", "2026-04"])
    assert result.exit_code == 0, result.output
    assert (
        "7. The money: a penalty for s\n"
        "  - fee of s: 3000 EUR (contract: 3000 EUR monthly)\n"
        f"  - 10 * the fee for outage-time when breached ({contract}:25): 10 × (the fee for"
        " outage-time: 3000 EUR (the fee of 2026-04) × 7200 s ÷ 2592000 s of 2026-04) ="
        " 83.333333333 EUR\n"
        "  - before the caps: 83.333333333\n"
        f"  - cap 50 EUR per month ({contract}:26): 50 EUR for 2026-04; 83.333333333 -> 50"
        " (bound)\n"
        "  - after the caps: 50\n"
        "  - amount: 50.00 EUR, rounded half-up to 0.01 EUR\n"
    ) in result.stdout


def test_render_puts_it_into_words(files: tuple[Path, Path]) -> None:
    contract, _ = files
    result = CliRunner().invoke(cli, ["render", str(contract), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert (
        "A penalty of 25 times the measured outage-time divided by the measured scheduled-time"
        " times the fee, computed exactly from left to right, only in the periods in which a"
        " promise of this clause is breached."
    ) in result.stdout


# ------------------------------------------------------------------- the language and checks
def test_it_prints_back_in_canonical_form() -> None:
    text = printer.print_contract(obligo.parse(CONTRACT, "f.sla"))
    assert "  penalty 25 * outage-time / scheduled-time * the fee when breached\n" in text
    # `times` is written `*`, as in a credit formula.
    assert "  penalty 10 * the fee for outage-time when breached\n" in text
    again = "contract c\n\nclause 1\n  penalty 2 * (3 * 500 EUR) / (x / y)\n"
    assert printer.print_contract(obligo.parse(again, "f.sla")) == again


def test_a_parse_error_is_at_its_line_and_column() -> None:
    text = "contract c\n\nclause 1\n  penalty 10 * the fee for\n"
    with pytest.raises(obligo.ObligoError) as caught:
        obligo.parse(text, "bad.sla")
    error = caught.value
    assert (error.line, error.column) == (4, 27)
    assert error.message == "unexpected end of the line, expected a name"


HEAD = """
contract c
  timezone "UTC"
  currency EUR
service s
  fee 100 EUR monthly
metric down
  total duration of outage records, per calendar month
metric tickets
  total duration of ticket records, per calendar month
clause 1
  service s
"""


def diagnostics(lines: str) -> list[str]:
    contract = obligo.parse(textwrap.dedent(HEAD).lstrip("\n") + lines, "money.sla")
    return [d.format().splitlines()[0] for d in obligo.check(contract)]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "  penalty 25 * down * the fee\n",
            "money.sla:12:11: error: the formula gives money × time, not an amount of money",
        ),
        (
            "  penalty 2 * the fee * down / downn\n",
            'money.sla:12:32: error: unknown metric "downn"',
        ),
        (
            "  penalty 2 * the fee * down / down when breached\n",
            "money.sla:12:37: error: clause 1 has no promise: `when breached` never holds",
        ),
        (
            "  penalty 2 * 500 EUR / 7\n",
            "money.sla:12:11: error: a formula reads at least one metric",
        ),
    ],
)
def test_a_check_error_is_at_its_line_and_column(line: str, message: str) -> None:
    found = diagnostics(line)
    assert any(f.startswith(message) for f in found), found


def test_a_metric_read_only_by_a_penalty_formula_counts_as_read() -> None:
    found = diagnostics("  promise down <= 1 h\n  penalty 10 * the fee for tickets when breached\n")
    assert found == []
    # Without the formula, the metric is read by nothing: the warning shows the check looks.
    found = diagnostics("  promise down <= 1 h\n")
    assert any("metric tickets is neither promised nor reported" in f for f in found), found


def test_the_cookbook_recipe_owes_what_its_reading_says() -> None:
    # docs/cookbook.md, "Penalty formulas": 2 h down out of 100 scheduled hours in April gives
    # 25 × 7200 ÷ 360000 × 3000 = 1500, capped at 40% of the fee: 1200.00; 30 min in March is
    # met; nothing scheduled in May: no amount, the reason.
    page = (Path(__file__).resolve().parent.parent / "docs" / "cookbook.md").read_text("utf-8")
    start = page.index("contract cookbook-penalty-formula")
    text = page[start : page.index("```", start)]  # its term: 2026-01-01 to 2026-12-31
    records = [{"type": t, "start": s, "end": e} for t, s, e in LOG]
    found = obligo.evaluate(
        obligo.parse(text, "cookbook.sla"), records, at=dt.datetime.fromisoformat(AT)
    )
    shown = {c.period.label: (as_shown(c.amount), c.reason) for c in found.consequences}
    assert shown == {
        "2026-04": ("1200.00", None),
        "2026-05": (
            None,
            "the formula divides by scheduled-time, which is 0 in 2026-05: no amount can be"
            " computed",
        ),
    }


# ------------------------------------------------------- the counted time of an availability metric
COUNTED = """\
contract counted "The counted time" version 1
  term 2026-03-01
  timezone "UTC"
  currency EUR

service s "S"
  fee 3000 EUR monthly

exclusion planned "Planned by the customer"
  maintenance records

metric uptime "Uptime"
  availability of s, per calendar month
  down during outage records
  excluding planned

metric outage-time "Outage"
  total duration of outage records, per calendar month

clause 1 "Outage over the counted time"
  service s
  promise outage-time <= 1 h
  penalty 25 * outage-time / the counted time of uptime * the fee when breached
"""


def test_the_counted_time_is_the_period_less_the_time_excluded() -> None:
    # April: 2 h down, 24 h planned on 12 April: 2,592,000 - 86,400 = 2,505,600 s counted;
    # 25 × 7200 ÷ 2,505,600 × 3000 = 215.5172… -> 215.52. May: planned all month, 2 h down
    # (outage-time counts it, breached): no counted time, a divisor of 0: no amount.
    records = [
        {"type": "maintenance", "start": "2026-04-12T00:00:00Z", "end": "2026-04-13T00:00:00Z"},
        {"type": "outage", "start": "2026-04-18T00:00:00Z", "end": "2026-04-18T02:00:00Z"},
        {"type": "maintenance", "start": "2026-05-01T00:00:00Z", "end": "2026-06-01T00:00:00Z"},
        {"type": "outage", "start": "2026-05-18T00:00:00Z", "end": "2026-05-18T02:00:00Z"},
    ]
    found = obligo.evaluate(
        obligo.parse(COUNTED, "counted.sla"), records, at=dt.datetime.fromisoformat(AT)
    )
    april = owed(found, "1", "2026-04")
    assert as_shown(april.amount) == "215.52"
    assert april.lines[0].arithmetic == (
        "25 × outage-time 7200 s ÷ the counted time of uptime 2505600 s × 3000 EUR (the fee of"
        " 2026-04) = 215.517241379 EUR"
    )
    may = owed(found, "1", "2026-05")
    assert (may.amount, may.reason) == (
        None,
        "the formula divides by the counted time of uptime, which is 0 in 2026-05: no amount"
        " can be computed",
    )
    text = printer.print_contract(obligo.parse(COUNTED, "counted.sla"))
    assert (
        "  penalty 25 * outage-time / the counted time of uptime * the fee when breached\n" in text
    )


def test_the_counted_time_of_a_metric_that_is_no_availability_is_an_error_at_it() -> None:
    found = diagnostics("  penalty 25 * down / the counted time of tickets * the fee\n")
    assert found[0].startswith(
        "money.sla:12:23: error: the counted time of tickets: tickets is not an availability metric"
    ), found

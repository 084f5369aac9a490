"""Amounts at risk, allocations and earn-back; key measurements (``report``) and their
promotion; a metric neither promised nor reported (issue 13). Worked out by hand beside each
test.

The contract (``DC``): one service of 100,000 USD a month; the amount at risk is 12% of the
fees, 12,000 USD a month; the pool 150%; clause 2.1 takes 50% (6,000 USD a breach), 2.2 75%
(9,000 USD), the key measurement 3.1 promoted from April with 25% (3,000 USD); a credit is
earned back when its clause is met in each of the next 3 months.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import obligo
from engine_helpers import parse
from obligo.errors import Diagnostic, Severity
from obligo.render.text import report_text
from obligo.report.model import Consequence, Report
from obligo.syntax import printer

HEAD = """\
contract dcs "Data centre services" version 1
  provider acme "Acme Outsourcing"
  customer state "State agency"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency USD

service hosting "Hosting"
  fee 100000 USD monthly

metric mf-uptime "Mainframe availability"
  availability of hosting, per calendar month
  down during outage records where system = "mainframe"

metric srv-uptime "Server availability"
  availability of hosting, per calendar month
  down during outage records where system = "server"

metric backups "Backups completed"
  ratio of count(backup records where ok = true) to count(backup records), per calendar month
"""

DC = (
    HEAD
    + """
amount at risk 12% of the fees
  pool 150%
  earn back when met in the next 3 months

clause 2.1 "Mainframe availability"
  promise mf-uptime >= 99.9%
  allocation 50% of the amount at risk

clause 2.2 "Server availability"
  promise srv-uptime >= 99.5%
  allocation 75% of the amount at risk

clause 3.1 "Backups"
  report backups >= 98%
  promoted from 2026-04-01 with allocation 25% of the amount at risk
"""
)


def outage(system: str, day: str, hours: int) -> dict[str, Any]:
    start = dt.datetime.fromisoformat(f"{day}T00:00:00+00:00")
    end = start + dt.timedelta(hours=hours)
    return {"type": "outage", "system": system, "start": start.isoformat(), "end": end.isoformat()}


def backup(day: str, ok: bool) -> dict[str, Any]:
    return {"type": "backup", "time": f"{day}T00:00:00Z", "ok": ok}


# Mainframe: 2 h down in January (99.73%: breached), then met.
# Servers: 10 h down in January and March (98.66%: breached), met in February and April.
# Backups: failed in January (reported only) and April (promoted: breached), else fine.
RECORDS = [
    outage("mainframe", "2026-01-10", 2),
    outage("server", "2026-01-12", 10),
    outage("server", "2026-03-12", 10),
    backup("2026-01-05", False),
    backup("2026-02-05", True),
    backup("2026-03-05", True),
    backup("2026-04-05", False),
    backup("2026-05-05", True),
]


def evaluate(text: str, records: list[dict[str, Any]], at: str) -> Report:
    return obligo.evaluate(parse(text), records, at=dt.datetime.fromisoformat(at))


def credits(report: Report) -> dict[tuple[str, str], Consequence]:
    return {(c.clause, c.period.label): c for c in report.consequences if c.kind == "credit"}


def test_a_credit_is_earned_back_owed_or_provisional() -> None:
    found = credits(evaluate(DC, RECORDS, "2026-05-20T00:00:00+00:00"))
    assert sorted(found) == [
        ("2.1", "2026-01"),
        ("2.2", "2026-01"),
        ("2.2", "2026-03"),
        ("3.1", "2026-04"),
    ]
    # 2.1 January: 50% x 12,000 = 6,000, met in February, March and April: earned back.
    jan = found[("2.1", "2026-01")]
    assert (jan.before_caps, jan.amount) == (Decimal("6000"), Decimal("0.00"))
    assert jan.earn_back is not None
    assert (jan.earn_back.state, jan.earn_back.periods_met, jan.earn_back.decided_in) == (
        "earned_back",
        3,
        "2026-04",
    )
    # 2.2 January: 75% x 12,000 = 9,000; met in February, breached in March: owed, decided in
    # March, under the amount at risk (12,000).
    owed = found[("2.2", "2026-01")]
    assert owed.amount == Decimal("9000.00")
    assert owed.earn_back is not None
    assert (owed.earn_back.state, owed.earn_back.periods_met, owed.earn_back.decided_in) == (
        "owed",
        1,
        "2026-03",
    )
    assert [(s.kind, s.limit, s.bound) for s in owed.caps] == [("at_risk", Decimal("12000"), False)]
    # 2.2 March: met in April, May pending: provisional, 2 of 3 left, not capped, no claim yet.
    march = found[("2.2", "2026-03")]
    assert march.earn_back is not None
    assert (march.earn_back.state, march.earn_back.periods_left) == ("provisional", 2)
    assert (march.amount, march.caps, march.claim) == (Decimal("9000.00"), [], None)
    # 3.1: January's failed backups were reported only; April is after the promotion: 25% x
    # 12,000 = 3,000, provisional with 3 periods left.
    april = found[("3.1", "2026-04")]
    assert april.amount == Decimal("3000.00")
    assert april.earn_back is not None
    assert april.earn_back.periods_left == 3


def test_provisional_credits_are_not_owed_in_the_totals() -> None:
    report = evaluate(DC, RECORDS, "2026-05-20T00:00:00+00:00")
    money = report.totals.contract[0]
    # Owed: 2.2 January only (9,000); provisional: 2.2 March 9,000 + 3.1 April 3,000.
    assert (money.credits, money.credits_provisional) == (Decimal("9000.00"), Decimal("12000.00"))


def test_a_key_measurement_is_judged_and_shown_as_reported_only_until_promoted() -> None:
    report = evaluate(DC, RECORDS, "2026-05-20T00:00:00+00:00")
    backups = {v.period.label: v for v in report.verdicts if v.clause == "3.1"}
    assert [(p, v.status, v.reported_only) for p, v in sorted(backups.items())] == [
        ("2026-01", "breached", True),
        ("2026-02", "met", True),
        ("2026-03", "met", True),
        ("2026-04", "breached", False),
        ("2026-05", "pending", False),
    ]
    assert backups["2026-04"].model_dump(mode="json")["reported_only"] is False
    assert backups["2026-01"].model_dump(mode="json")["reported_only"] is True


NO_EARN_BACK = (
    HEAD
    + """
amount at risk 12% of the fees
  pool 150%

clause 2.1 "Mainframe availability"
  promise mf-uptime >= 99.9%
  allocation 50% of the amount at risk

clause 2.2 "Server availability"
  promise srv-uptime >= 99.5%
  allocation 75% of the amount at risk
"""
)


def test_the_credits_of_a_period_are_capped_at_the_amount_at_risk_in_clause_order() -> None:
    # January: both breached; 6,000 + 9,000 = 15,000 > 12,000: 2.1 takes 6,000, 2.2 what is
    # left, 6,000 (the cap binds). No earn-back: final at once.
    found = credits(evaluate(NO_EARN_BACK, RECORDS[:3], "2026-02-10T00:00:00+00:00"))
    first, second = found[("2.1", "2026-01")], found[("2.2", "2026-01")]
    assert (first.amount, first.earn_back) == (Decimal("6000.00"), None)
    assert second.before_caps == Decimal("9000")
    assert [(s.limit, s.after, s.bound) for s in second.caps] == [
        (Decimal("6000"), Decimal("6000"), True)
    ]
    assert second.amount == Decimal("6000.00")


def test_a_credit_decided_earlier_takes_the_room_first() -> None:
    # Both breached in January; 2.1 (earlier in the text) is breached again in February: owed,
    # decided in February; 2.2 is breached in April: owed, decided in April. 2.1 was decided
    # first: 6,000; 2.2 gets what is left of 12,000: 6,000. Evaluated in May.
    records = [
        outage("mainframe", "2026-01-10", 2),
        outage("server", "2026-01-12", 10),
        outage("mainframe", "2026-02-10", 2),
        outage("server", "2026-04-12", 10),
    ]
    found = credits(evaluate(DC, records, "2026-05-20T00:00:00+00:00"))
    mf, srv = found[("2.1", "2026-01")], found[("2.2", "2026-01")]
    assert mf.earn_back is not None and srv.earn_back is not None
    assert (mf.earn_back.decided_in, srv.earn_back.decided_in) == ("2026-02", "2026-04")
    assert (mf.amount, srv.amount) == (Decimal("6000.00"), Decimal("6000.00"))
    assert srv.caps[0].bound


def test_a_credit_whose_window_outlasts_the_term_is_owed() -> None:
    # Breached in November 2026; December met; the term ends on 31 December: 1 of 3 met, owed.
    records = [outage("mainframe", "2026-11-10", 2)]
    found = credits(evaluate(DC, records, "2027-01-20T00:00:00+00:00"))
    nov = found[("2.1", "2026-11")]
    assert nov.earn_back is not None
    assert (nov.earn_back.state, nov.earn_back.periods_met) == ("owed", 1)
    assert nov.amount == Decimal("6000.00")


def test_the_text_report_says_provisional_and_reported_only() -> None:
    report = evaluate(DC, RECORDS, "2026-05-20T00:00:00+00:00")
    text = report_text([report])
    assert "2.2 credit 2026-03: 9000.00 USD, provisional (2 of 3 periods left)" in text
    assert "breached (reported only)" in text
    assert "provisional credits 12000.00 USD" in text


# ---------------------------------------------------------------------------------- checks
def diagnose(text: str) -> list[Diagnostic]:
    return obligo.check(obligo.parse(text, filename="x.sla"))


def located(found: list[Diagnostic], text: str) -> list[tuple[int, int, str]]:
    return [(d.line, d.column, d.message) for d in found if d.severity is Severity.ERROR]


def line_no(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_example_is_clean_and_prints_back_unchanged() -> None:
    assert diagnose(DC) == []
    assert printer.print_contract(obligo.parse(DC)) == DC


def test_allocations_over_the_pool_are_an_error_at_the_one_that_goes_over() -> None:
    text = DC.replace("allocation 75% of", "allocation 85% of")
    found = located(diagnose(text), text)
    # 50% + 85% = 135% fits; + 25% of 3.1 = 160% does not: the error is at 3.1's 25%.
    assert found == [
        (
            line_no(text, "promoted from"),
            44,
            "the allocations add up to 160% (2.1 50%, 2.2 85%, 3.1 25%), more than the pool"
            " of 150%",
        )
    ]


def test_without_a_pool_line_the_pool_is_100_percent() -> None:
    text = DC.replace("  pool 150%\n", "")
    found = located(diagnose(text), text)
    assert [m for _, _, m in found] == [
        "the allocations add up to 125% (2.1 50%, 2.2 75%), more than the pool of 100% (no"
        " `pool` line)"
    ]


def test_an_allocation_without_an_amount_at_risk() -> None:
    text = DC.replace(
        "amount at risk 12% of the fees\n  pool 150%\n  earn back when met in the next 3 months\n\n",
        "",
    )
    found = located(diagnose(text), text)
    assert (found[0][0], found[0][1]) == (line_no(text, "allocation 50%"), 3)
    assert "declares no amount at risk" in found[0][2]


def test_a_credit_beside_an_allocation_is_an_error_at_the_credit() -> None:
    text = DC.replace(
        "  allocation 50% of the amount at risk\n",
        "  allocation 50% of the amount at risk\n  credit 10% of the fee when mf-uptime < 99%\n",
    )
    found = located(diagnose(text), text)
    assert [(line, col) for line, col, _ in found] == [(line_no(text, "credit 10%"), 3)]
    assert "a credit line beside it" in found[0][2]


def test_a_key_measurement_carries_no_credit() -> None:
    text = DC.replace(
        "  promoted from 2026-04-01 with allocation 25% of the amount at risk\n",
        "  credit 5% of the fee when backups < 90%\n",
    )
    found = located(diagnose(text), text)
    assert [(line, col) for line, col, _ in found] == [(line_no(text, "credit 5%"), 3)]
    assert "only reports its measures" in found[0][2]


def test_an_allocation_on_a_key_measurement_needs_a_promotion() -> None:
    text = DC.replace("  promoted from 2026-04-01 with allocation", "  allocation")
    found = located(diagnose(text), text)
    assert [m for _, _, m in found] == [
        "clause 3.1 only reports its measures: an allocation needs a promise"
    ]


def test_service_levels_under_one_amount_at_risk_share_their_periods() -> None:
    text = DC.replace(
        'metric srv-uptime "Server availability"\n  availability of hosting, per calendar month',
        'metric srv-uptime "Server availability"\n  availability of hosting, per calendar quarter',
    )
    found = located(diagnose(text), text)
    assert found[0][:2] == (line_no(text, "promise srv-uptime"), 11)
    assert "srv-uptime is measured per calendar quarter, but mf-uptime of clause 2.1" in found[0][2]
    # and the earn-back counts months, which a quarter is not
    assert any('"earn back when met in the next 3 months" counts months' in m for *_, m in found)


def test_a_metric_neither_promised_nor_reported_is_a_warning_at_its_name() -> None:
    text = DC.replace(
        "  report backups >= 98%\n  promoted from 2026-04-01 with allocation 25% of the amount at risk\n",
        "  promise srv-uptime >= 99%\n",
    )
    found = diagnose(text)
    assert [(d.severity, d.line, d.column) for d in found] == [
        (Severity.WARNING, line_no(text, "metric backups"), 8)
    ]
    assert found[0].message.startswith("metric backups is neither promised nor reported")


def test_a_metric_read_only_by_a_credit_formula_is_read() -> None:
    # `scheduled-time` appears only inside a formula, `outage-time` only as `the fee for`: both
    # are read, no warning; a third metric that nothing reads still warns.
    text = """\
contract wan "WAN" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency EUR

service wan "WAN"
  fee 3000 EUR monthly

metric uptime "Uptime"
  availability of wan, per calendar month
  down during outage records

metric outage-time "Outage"
  total duration of outage records, per calendar month

metric scheduled-time "Scheduled time"
  total duration of schedule records, per calendar month

metric spare "Nothing reads this"
  total duration of spare records, per calendar month

clause 1 "Uptime"
  service wan
  promise uptime >= 99.9%
  credit 25 * outage-time / scheduled-time * the fee when breached
  credit 10 times the fee for outage-time when breached
"""
    found = diagnose(text)
    assert [(d.severity, d.line, d.column) for d in found] == [
        (Severity.WARNING, line_no(text, "metric spare"), 8)
    ], [d.format() for d in found]

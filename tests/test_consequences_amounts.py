"""Formulas (a day of the fee per started hour), per-unit penalties (started, full, exact),
penalties per breached period and per missed record, fixed penalties, rewards; days and months
of the fee; exact amounts rounded half-up to the cent. Worked out by hand beside each test."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import obligo
from engine_helpers import parse
from obligo.report.model import Consequence, Report
from report_helpers import as_shown


def evaluate(text: str, records: list[dict[str, Any]], at: str) -> Report:
    return obligo.evaluate(parse(text), records, at=dt.datetime.fromisoformat(at))


def owed(
    report: Report, clause: str, period: str, kind: str = "credit", group: str | None = None
) -> Consequence:
    found = [
        c
        for c in report.consequences
        if (c.clause, c.kind, c.period.label, c.group) == (clause, kind, period, group)
    ]
    assert len(found) == 1, [(c.clause, c.kind, c.period.label) for c in report.consequences]
    return found[0]


def amounts(report: Report) -> dict[tuple[str, str, str], str | None]:
    return {(c.clause, c.kind, c.period.label): c.amount for c in report.consequences}


def outage(start: str, seconds: int, **fields: Any) -> dict[str, Any]:
    begin = dt.datetime.fromisoformat(start)
    end = begin + dt.timedelta(seconds=seconds)
    return {"type": "outage", "start": begin.isoformat(), "end": end.isoformat(), **fields}


FORMULAS = """
contract formulas "Formulas" version 1
  term 2026-01-01
  timezone "America/New_York"
  currency USD

service port "Port"
  fee 1200 USD monthly

metric outage-time "Outage time"
  total duration of outage records, per calendar month

clause 1 "Started hours"
  service port
  credit 1 day of the fee per started hour of outage-time

clause 2 "Full hours"
  service port
  penalty 50 USD per full hour of outage-time

clause 3 "Exact hours"
  service port
  penalty 1 day of the fee per hour of outage-time

clause 4 "Minutes"
  service port
  penalty 5 USD per minute of outage-time

clause 5 "Long months"
  service port
  penalty 1000 USD when outage-time > 2 hours
"""


def test_a_day_of_the_fee_per_started_hour_in_months_of_31_30_and_28_days() -> None:
    records = [
        outage("2026-01-10T00:00:00-05:00", 42 * 60),  # 42 minutes: 1 started hour
        outage("2026-02-10T00:00:00-05:00", 3601),  # 1 hour and 1 second: 2
        outage("2026-04-10T00:00:00-04:00", 3600),  # exactly 1 hour: 1
    ]
    report = evaluate(FORMULAS, records, "2026-05-02T00:00:00-04:00")
    # 1200 ÷ 31 = 38.709677419…; 2 × 1200 ÷ 28 = 85.714285714…; 1200 ÷ 30 = 40.
    january = owed(report, "1", "2026-01")
    assert as_shown((january.lines[0].quantity, january.before_caps, january.amount)) == (
        "1",
        "38.709677419",
        "38.71",
    )
    assert january.lines[0].arithmetic == (
        "outage-time 2520 s = 1 started hour; 1 × (1 day × 1200 USD ÷ 31 days of 2026-01"
        " = 38.709677419 USD) = 38.709677419 USD"
    )
    assert as_shown(owed(report, "1", "2026-02").amount) == "85.71"
    assert as_shown(owed(report, "1", "2026-04").amount) == "40.00"
    assert ("1", "credit", "2026-03") not in amounts(report)  # no outage: nothing


@pytest.mark.parametrize(
    ("seconds", "full", "exact", "minutes"),
    [
        (3599, None, "39.99", "299.92"),  # 0 full hours; 3599/3600 days of 31; 59.98 minutes
        (3600, "50.00", "40.00", "300.00"),
        (5400, "50.00", "60.00", "450.00"),  # 1.5 hours
        (7201, "100.00", "80.01", "600.08"),
    ],
)
def test_full_and_exact_units(seconds: int, full: str | None, exact: str, minutes: str) -> None:
    # April 2026 has 30 days: a day of the fee is 40 USD exactly.
    report = evaluate(
        FORMULAS, [outage("2026-04-10T00:00:00-04:00", seconds)], "2026-05-02T00:00:00-04:00"
    )
    found = amounts(report)
    assert as_shown(found.get(("2", "penalty", "2026-04"))) == full
    assert as_shown(found.get(("3", "penalty", "2026-04"))) == exact
    assert as_shown(found.get(("4", "penalty", "2026-04"))) == minutes
    # `> 2 hours`: 7,200 s exactly does not hold, 7,201 s does.
    assert as_shown(found.get(("5", "penalty", "2026-04"))) == (
        "1000.00" if seconds > 7200 else None
    )


def test_exact_units_are_exact_then_rounded_half_up() -> None:
    # 3599 s of a day's fee of 40 USD: 3599/3600 × 40 = 39.988888… → 39.99 (never a float).
    report = evaluate(
        FORMULAS, [outage("2026-04-10T00:00:00-04:00", 3599)], "2026-05-02T00:00:00-04:00"
    )
    item = owed(report, "3", "2026-04", kind="penalty")
    assert as_shown(item.lines[0].quantity) == "0.999722222"  # 3599/3600 to 9 places
    assert as_shown((item.before_caps, item.amount, item.rounding)) == (
        "39.988888889",
        "39.99",
        "half-up to 0.01 USD",
    )


PENALTIES = """
contract penalties "Penalties and rewards" version 1
  provider fixit "FixIT"
  term 2026-01-01
  timezone "Europe/Berlin"
  currency EUR

service desk "Desk"
  fee 6000 EUR monthly
  delivered by fixit

calendar always "24x7"
  every day all day

metric resolution "P1 resolution"
  share of ticket records within target, per calendar month, by priority
  duration from opened to resolved, in always hours
  target "P1" 4 hours
  target "P2" 8 hours

metric satisfaction "Satisfaction"
  mean of score in survey records, per calendar quarter

clause 1 "P1 resolution"
  service desk
  promise resolution for "P1" >= 90%
  penalty 500 EUR per breached month
  penalty 150 EUR per missed record
  reward 3% of the fee when resolution for "P1" >= 99%

clause 2 "Every priority"
  service desk
  promise resolution >= 50%
  penalty 100 EUR per breached month

clause 3 "Satisfaction"
  service desk
  promise satisfaction >= 4.2
  reward 500 EUR when satisfaction >= 4.8
"""


def ticket(name: str, priority: str, opened: str, hours: float) -> dict[str, Any]:
    begin = dt.datetime.fromisoformat(opened)
    return {
        "type": "ticket",
        "id": name,
        "priority": priority,
        "opened": begin.isoformat(),
        "resolved": (begin + dt.timedelta(hours=hours)).isoformat(),
    }


def test_penalties_per_breached_month_and_per_missed_record_and_rewards() -> None:
    records = [
        # January: P1 3 of 5 within (60%, breached): 500 + 2 × 150; P2 0 of 2 (breached too).
        *(ticket(f"J{i}", "P1", "2026-01-12T10:00:00+01:00", 5 if i < 2 else 1) for i in range(5)),
        ticket("J5", "P2", "2026-01-12T10:00:00+01:00", 9),
        ticket("J6", "P2", "2026-01-13T10:00:00+01:00", 9),
        # February: P1 all within (100%): a reward of 3% of 6000 = 180; P2 1 of 2.
        *(ticket(f"F{i}", "P1", "2026-02-12T10:00:00+01:00", 1) for i in range(3)),
        ticket("F3", "P2", "2026-02-12T10:00:00+01:00", 1),
        ticket("F4", "P2", "2026-02-13T10:00:00+01:00", 9),
        # Q1 satisfaction 4.8 exactly: the reward holds (>=).
        {"type": "survey", "time": "2026-02-01T10:00:00+01:00", "score": 4.6},
        {"type": "survey", "time": "2026-03-01T10:00:00+01:00", "score": 5},
    ]
    report = evaluate(PENALTIES, records, "2026-04-15T12:00:00+02:00")
    january = owed(report, "1", "2026-01", kind="penalty")
    assert as_shown([(line.rule, line.quantity, line.amount) for line in january.lines]) == [
        ("500 EUR per breached month", "1", "500"),
        ("150 EUR per missed record", "2", "300"),
    ]
    assert as_shown(january.amount) == "800.00" and january.claim is None
    assert january.supplier == "fixit"
    # A promise for each priority, breached in both groups in January: one penalty.
    assert as_shown(owed(report, "2", "2026-01", kind="penalty").amount) == "100.00"
    # February: every group met at least 50%.
    assert ("2", "penalty", "2026-02") not in amounts(report)
    reward = owed(report, "1", "2026-02", kind="reward")
    assert as_shown((reward.amount, reward.lines[0].value)) == ("180.00", "100")
    assert as_shown(owed(report, "3", "2026-Q1", kind="reward").amount) == "500.00"
    (total,) = report.totals.contract
    assert as_shown((total.penalties, total.rewards, total.credits)) == ("900.00", "680.00", "0.00")


MONTHS = """
contract months "Days, weeks and months of the fee" version 1
  term 2026-01-01
  timezone "UTC"
  currency EUR

service api "API"
  fee 3000 EUR monthly

metric breaches "Breaches"
  count of breach records, per calendar quarter

clause 1 "A day"
  service api
  credit 1 day of the fee when breaches > 0

clause 2 "A week"
  service api
  credit 2 weeks of the fee when breaches > 0

clause 3 "A month"
  service api
  credit 1 month of the fee when breaches > 0

clause 4 "Fixed"
  service api
  credit 100 EUR when breaches > 0
"""


def test_days_weeks_and_months_of_the_fee_of_a_quarter() -> None:
    # Q1 2026: 90 days, 3 months: the fee is 9000 EUR. A day: 100; 2 weeks: 1400; a month:
    # 9000 × 1 ÷ 3 = 3000.
    report = evaluate(
        MONTHS, [{"type": "breach", "time": "2026-02-01T00:00:00Z"}], "2026-04-02T00:00:00Z"
    )
    found = amounts(report)
    assert as_shown(found[("1", "credit", "2026-Q1")]) == "100.00"
    assert as_shown(found[("2", "credit", "2026-Q1")]) == "1400.00"
    assert as_shown(found[("3", "credit", "2026-Q1")]) == "3000.00"
    assert as_shown(found[("4", "credit", "2026-Q1")]) == "100.00"
    assert owed(report, "3", "2026-Q1").lines[0].arithmetic == (
        "breaches 1 record > 0: 1 month of the fee: 9000 EUR × 1 ÷ 3 months = 3000 EUR"
    )


UNMEASURED = """
contract unmeasured "Outage time nobody records" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency EUR

service api "API"
  fee 3100 EUR monthly

metric outage-time "Outage time"
  total duration of outage records, per calendar month
  a period without data is breached

clause 1 "Outage hours"
  service api
  promise outage-time <= 1 h
  credit 1 day of the fee per started hour of outage-time
"""


def test_a_breached_period_without_a_value_lists_its_per_unit_credit_without_an_amount() -> None:
    # The log has no outage records: outage-time is unmeasured, and each month is breached by
    # the contract's rule. No hour can be counted, so the credit is listed, not left out.
    records = [{"type": "request", "time": "2026-01-05T00:00:00Z"}]
    report = evaluate(UNMEASURED, records, "2026-03-10T00:00:00+00:00")
    assert amounts(report) == {("1", "credit", "2026-01"): None, ("1", "credit", "2026-02"): None}
    january = owed(report, "1", "2026-01")
    assert january.reason == (
        "no value of outage-time in 2026-01: no units can be counted, although the period is"
        " breached"
    )
    assert report.totals.without_amount == 2

"""Consequences of metrics over rolling windows, reckoned per billing period: a level (a tier, a
breach) on the window that ends with the billing period, a quantity per unit (hours of outage,
missed records) over the billing period itself. Worked out by hand beside each test.

The main contract bills monthly from the 15th (UTC, term from 1 January 2026), so its billing
periods are 1-14 January (the cycle 2025-12-15/2026-01-14 cut by the term's start: 14 of
January's 31 days, a fee of 3000 × 14/31 USD), then 15 January-14 February (3000 USD, 31 days),
15 February-14 March (3000 USD, 28 days), 15 March-14 April (pending on 20 March).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import obligo
from engine_helpers import parse
from obligo.engine.consequences import rolling
from obligo.engine.time.periods import MeasurementPeriod
from obligo.report.model import Consequence, Report
from report_helpers import as_shown

UTC = dt.UTC

ROLLING = """
contract rolling "Rolling windows" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency USD
  billing cycle monthly from 2026-01-15

service api "API"
  fee 3000 USD monthly

metric worst-latency "Worst latency over 30 days"
  maximum of latency_ms in request records, over a rolling 30 days

metric outage-time "Outage time over 30 days"
  total duration of outage records, over a rolling 30 days

metric response "Tickets answered within an hour, over 30 days"
  share of ticket records within target, over a rolling 30 days
  duration from opened to responded
  target 1 hour
  a record still open is late once its target has passed

clause 1 "Latency"
  service api
  promise worst-latency <= 200
  credit
    10% of the fee when worst-latency > 200
    25% of the fee when worst-latency > 500
  penalty 100 USD per breached month

clause 2 "Outage hours"
  service api
  credit 1 day of the fee per started hour of outage-time

clause 3 "Tickets"
  service api
  promise response >= 50%
  penalty 10 USD per missed record
"""

AT = "2026-03-20T00:00:00+00:00"


def requests(first: dt.date, after: dt.date, slow: dict[str, int]) -> list[dict[str, Any]]:
    """One request of 100 ms at noon every day, and the slow ones given by day."""
    found = []
    day = first
    while day < after:
        found.append({"type": "request", "time": f"{day}T12:00:00Z", "latency_ms": 100})
        day += dt.timedelta(days=1)
    for day_text, latency in slow.items():
        found.append({"type": "request", "time": f"{day_text}T13:00:00Z", "latency_ms": latency})
    return found


def ticket(opened: str, minutes: int) -> dict[str, Any]:
    start = dt.datetime.fromisoformat(opened)
    return {
        "type": "ticket",
        "opened": start.isoformat(),
        "responded": (start + dt.timedelta(minutes=minutes)).isoformat(),
    }


def records() -> list[dict[str, Any]]:
    return [
        *requests(
            dt.date(2026, 1, 1), dt.date(2026, 3, 20), {"2026-01-05": 300, "2026-02-10": 600}
        ),
        # 1 hour in the second billing period, 1.5 hours in the third
        {"type": "outage", "start": "2026-02-14T23:00:00Z", "end": "2026-02-15T01:30:00Z"},
        ticket("2026-02-14T20:00:00+00:00", 180),  # late, second billing period
        ticket("2026-02-14T21:00:00+00:00", 30),
        ticket("2026-02-20T10:00:00+00:00", 180),  # late, third billing period
        ticket("2026-02-20T11:00:00+00:00", 30),
    ]


def evaluate(text: str, items: list[dict[str, Any]], at: str = AT) -> Report:
    return obligo.evaluate(parse(text), items, at=dt.datetime.fromisoformat(at))


def owed(report: Report) -> dict[tuple[str, str, str], Consequence]:
    return {(c.clause, c.kind, c.period.label): c for c in report.consequences}


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(ROLLING, records())


def test_every_closed_billing_period_is_reckoned_and_nothing_else(report: Report) -> None:
    assert as_shown({key: c.amount for key, c in owed(report).items()}) == {
        ("1", "credit", "2025-12-15/2026-01-14"): "135.48",
        ("1", "credit", "2026-01-15/2026-02-14"): "750.00",
        ("1", "penalty", "2025-12-15/2026-01-14"): "100.00",
        ("1", "penalty", "2026-01-15/2026-02-14"): "100.00",
        ("2", "credit", "2026-01-15/2026-02-14"): "96.77",
        ("2", "credit", "2026-02-15/2026-03-14"): "214.29",
        ("3", "penalty", "2026-01-15/2026-02-14"): "10.00",
        ("3", "penalty", "2026-02-15/2026-03-14"): "10.00",
    }
    (total,) = report.totals.contract
    # 135.48 + 750.00 + 96.77 + 214.29; 100 + 100 + 10 + 10
    assert as_shown((total.credits, total.penalties)) == ("1196.54", "220.00")
    assert report.totals.without_amount == 0


def test_a_tier_is_placed_on_the_window_that_ends_with_the_billing_period(
    report: Report,
) -> None:
    # 15 January-14 February: the window of 30 days to 14 February (16 January-14 February)
    # holds the 600 ms request of 10 February: the 25% tier of 3000 USD.
    credit = owed(report)[("1", "credit", "2026-01-15/2026-02-14")]
    (line,) = credit.lines
    assert as_shown((line.subject, line.value, line.unit)) == (
        "worst-latency (rolling 30 days to 2026-02-14)",
        "600",
        "",
    )
    assert line.arithmetic == (
        "worst-latency (rolling 30 days to 2026-02-14) 600 > 500: 25% × 3000 USD = 750 USD"
    )
    assert credit.period.start == dt.datetime(2026, 1, 15, tzinfo=UTC)
    assert credit.period.end == dt.datetime(2026, 2, 15, tzinfo=UTC)
    assert credit.fee is not None and as_shown(credit.fee.amount) == "3000"


def test_the_windows_that_end_inside_a_billing_period_decide_nothing(report: Report) -> None:
    # The window to 20 February holds the 600 ms request and is breached; the one that ends
    # with the third billing period (13 February-14 March) does not: no credit, no penalty.
    statuses = {v.period.label: v.status for v in report.verdicts if v.metric == "worst-latency"}
    assert statuses["2026-02-20"] == "breached"
    assert statuses["2026-03-11"] == "breached"  # 10 February is its first day
    assert statuses["2026-03-12"] == "met"
    assert statuses["2026-03-14"] == "met"
    assert ("1", "credit", "2026-02-15/2026-03-14") not in owed(report)
    assert ("1", "penalty", "2026-02-15/2026-03-14") not in owed(report)


def test_the_first_billing_period_is_cut_by_the_term_and_so_is_its_window(
    report: Report,
) -> None:
    # 1-14 January: 14 of January's 31 days of 3000 USD = 1354.838709677 USD; 300 ms on
    # 5 January is the 10% tier: 135.483870968 USD, 135.48.
    credit = owed(report)[("1", "credit", "2025-12-15/2026-01-14")]
    assert credit.period.partial
    assert credit.fee is not None and as_shown(credit.fee.amount) == "1354.838709677"
    assert as_shown(credit.before_caps) == "135.483870968"
    (line,) = credit.lines
    assert line.subject == (
        "worst-latency (rolling 30 days to 2026-01-14, from the term's start on 2026-01-01)"
    )


def test_a_breach_is_counted_once_per_billing_period_on_its_window(report: Report) -> None:
    penalty = owed(report)[("1", "penalty", "2026-01-15/2026-02-14")]
    (line,) = penalty.lines
    assert line.arithmetic == (
        "clause 1 breached in 2026-01-15/2026-02-14 (judged on worst-latency over the rolling"
        " 30 days to 2026-02-14): 100 USD"
    )


def test_hours_of_outage_are_counted_over_the_billing_period_not_the_window(
    report: Report,
) -> None:
    # The outage of 14 February 23:00 to 15 February 01:30 is 3600 s in the second billing
    # period (1 started hour × 3000 ÷ 31 days = 96.774193548 USD) and 5400 s in the third
    # (2 started hours × 3000 ÷ 28 days = 214.285714286 USD). The window to 14 March holds all
    # of it (3 started hours): counting it there would pay for the first hour twice.
    second = owed(report)[("2", "credit", "2026-01-15/2026-02-14")]
    third = owed(report)[("2", "credit", "2026-02-15/2026-03-14")]
    assert as_shown((second.lines[0].value, second.lines[0].quantity, second.before_caps)) == (
        "3600",
        "1",
        "96.774193548",
    )
    assert as_shown((third.lines[0].value, third.lines[0].quantity, third.before_caps)) == (
        "5400",
        "2",
        "214.285714286",
    )
    assert third.lines[0].subject == "outage-time (counted over the billing period)"


def test_missed_records_are_counted_once_over_the_billing_period(report: Report) -> None:
    # One late ticket in each billing period; the window to 14 March (13 February-14 March)
    # holds both, but each is paid for once.
    third = owed(report)[("3", "penalty", "2026-02-15/2026-03-14")]
    assert as_shown((third.lines[0].quantity, third.amount)) == ("1", "10.00")
    assert third.lines[0].arithmetic == (
        "1 late in response (counted over the billing period): 1 × 10 USD = 10 USD"
    )


CALENDAR = """
contract monthly "Rolling windows, calendar months" version 1
  term 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"
  currency EUR

service api "API"
  fee 3000 EUR monthly

metric worst-latency "Worst latency over 30 days"
  maximum of latency_ms in request records, over a rolling 30 days

metric outage-time "Outage time"
  total duration of outage records, per calendar month

clause 1 "Latency"
  service api
  promise worst-latency <= 200
  promise outage-time <= 1 h
  credit 10% of the fee when worst-latency > 200
  penalty 100 EUR per breached month
"""


def test_without_a_billing_cycle_the_billing_periods_are_calendar_months() -> None:
    # The slow request of 30 March is in the window of 30 days to 31 March (2-31 March, local
    # days across the clock change): March's credit, 10% of 3000 EUR. April's window (1-30
    # April) is met. The monthly promise and the rolling one share the month: one penalty for
    # March, and one for February, breached by the outage of 2 hours alone.
    items = [
        *requests(dt.date(2026, 1, 1), dt.date(2026, 5, 10), {"2026-03-30": 300}),
        {"type": "outage", "start": "2026-02-03T10:00:00Z", "end": "2026-02-03T12:00:00Z"},
    ]
    found = evaluate(CALENDAR, items, "2026-05-10T00:00:00+02:00")
    assert as_shown({key: c.amount for key, c in owed(found).items()}) == {
        ("1", "credit", "2026-03"): "300.00",
        ("1", "penalty", "2026-02"): "100.00",
        ("1", "penalty", "2026-03"): "100.00",
    }
    march = owed(found)[("1", "credit", "2026-03")]
    assert march.period.start == dt.datetime.fromisoformat("2026-03-01T00:00:00+01:00")
    assert march.period.end == dt.datetime.fromisoformat("2026-04-01T00:00:00+02:00")
    assert march.lines[0].subject == "worst-latency (rolling 30 days to 2026-03-31)"
    assert owed(found)[("1", "penalty", "2026-03")].lines[0].arithmetic == (
        "clause 1 breached in 2026-03 (judged on worst-latency over the rolling 30 days to"
        " 2026-03-31): 100 EUR"
    )


def test_a_billing_period_of_the_baseline_carries_nothing_from_its_window() -> None:
    # 1-14 January and 15 January-14 February start inside the baseline.
    text = ROLLING + "\nbaseline 2026-01-01 to 2026-02-14\n"
    found = evaluate(text, records())
    assert sorted(owed(found)) == [
        ("2", "credit", "2026-02-15/2026-03-14"),
        ("3", "penalty", "2026-02-15/2026-03-14"),
    ]


def test_a_billing_period_no_window_ends_in_is_listed_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Billing cycles and rolling windows both end at local midnights, so a window always ends
    # with a billing period; were none to end inside one, the credit would be listed without
    # an amount, saying why, rather than left out.
    real = rolling.deciding_window

    def none_in_the_second(
        windows: list[MeasurementPeriod], period: MeasurementPeriod
    ) -> MeasurementPeriod | None:
        if period.label == "2026-01-15/2026-02-14":
            return None
        return real(windows, period)

    monkeypatch.setattr(rolling, "deciding_window", none_in_the_second)
    found = evaluate(ROLLING, records())
    credit = owed(found)[("1", "credit", "2026-01-15/2026-02-14")]
    assert (credit.amount, credit.reason) == (
        None,
        "no rolling window of worst-latency ends in the billing period 2026-01-15/2026-02-14:"
        " no value to reckon its consequences on",
    )
    assert found.totals.without_amount == 1


def period(start: str, end: str, label: str) -> MeasurementPeriod:
    return MeasurementPeriod(
        start=dt.datetime.fromisoformat(start), end=dt.datetime.fromisoformat(end), label=label
    )


def test_the_deciding_window_ends_with_the_period_else_is_the_last_inside_it() -> None:
    windows = [
        period("2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00", "a"),
        period("2026-01-01T12:00:00+00:00", "2026-01-02T12:00:00+00:00", "b"),
        period("2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00", "c"),
    ]
    deciding = rolling.deciding_window
    assert (
        deciding(windows, period("2026-01-01T00:00+00:00", "2026-01-03T00:00+00:00", "x"))
        == (windows[2])
    )
    # 2 January 18:00 is no window's end: the last one ending inside, at 12:00.
    found = deciding(windows, period("2026-01-02T06:00+00:00", "2026-01-02T18:00+00:00", "y"))
    assert found == windows[1]
    # An end exactly at the period's start is not inside it.
    none = deciding(windows, period("2026-01-03T00:00+00:00", "2026-01-04T00:00+00:00", "z"))
    assert none is None


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=75 * 24 * 60), st.integers(1, 600)),
        min_size=1,
        max_size=5,
    )
)
def test_every_minute_of_outage_is_counted_exactly_once(outages: list[tuple[int, int]]) -> None:
    # At 1 USD a minute, exact: the penalties of the billing periods add up to the minutes of
    # outage in them (the union of the outages, cut at the end of the last closed period).
    text = """
contract minutes "Minutes" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency USD
  billing cycle monthly from 2026-01-15

service api "API"
  fee 3000 USD monthly

metric outage-time "Outage time over 7 days"
  total duration of outage records, over a rolling 7 days

clause 1 "Minutes"
  service api
  penalty 1 USD per minute of outage-time
"""
    start = dt.datetime(2026, 1, 1, tzinfo=UTC)
    closed_end = dt.datetime(2026, 3, 15, tzinfo=UTC)
    minutes: set[int] = set()
    items = []
    for offset, length in outages:
        items.append(
            {
                "type": "outage",
                "start": (start + dt.timedelta(minutes=offset)).isoformat(),
                "end": (start + dt.timedelta(minutes=offset + length)).isoformat(),
            }
        )
        minutes |= {m for m in range(offset, offset + length)}
    found = evaluate(text, items, "2026-03-20T00:00:00+00:00")
    expected = sum(1 for m in minutes if start + dt.timedelta(minutes=m) < closed_end)
    paid = sum((Fraction(c.amount or "0") for c in found.consequences), Fraction(0))
    assert paid == expected

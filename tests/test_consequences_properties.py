"""Invariants of consequences, property-based:

- a period's credit before caps never decreases as its downtime grows (tables by value, by
  cumulative duration, cumulative tables, formulas);
- no credit exceeds its caps: per month, over a trailing window of fees less what was given,
  over the term, shared between clauses; checked from the amounts themselves, not from the
  engine's own account of its caps;
- amounts are exact to the cent: every amount has exactly the currency's two places, and is
  the exact amount (computed here independently, in fractions) rounded half-up.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import obligo
from engine_helpers import parse
from obligo.report.model import Report

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

MONOTONE = parse(
    """
contract monotone "Credits grow with downtime" version 1
  term 2026-01-01
  timezone "Europe/Berlin"
  currency EUR

service api "API"
  fee 1234.57 EUR monthly

metric uptime "Availability"
  availability of api, per calendar month
  down during incident records

metric outage-time "Outage time"
  total duration of incident records, per calendar month

clause 1 "Nested"
  service api
  credit
    7.5% of the fee when uptime < 99.9%
    25% of the fee when uptime < 99.0%
    100% of the fee when uptime < 95.0%

clause 2 "Bands by duration"
  service api
  credit
    5% of the fee when outage-time >= 5 min and < 60 min
    15% of the fee when outage-time >= 60 min and < 3 h
    50% of the fee when outage-time >= 3 h

clause 3 "Cumulative"
  service api
  credit cumulative
    5% of the fee when uptime < 99.99%
    5% of the fee when uptime < 99.5%

clause 4 "Started hours"
  service api
  credit 1 day of the fee per started hour of outage-time

clause 5 "Full hours"
  service api
  credit 10 EUR per full hour of outage-time

clause 6 "Exact hours"
  service api
  credit 1% of the fee per hour of outage-time
"""
)

FEBRUARY = dt.datetime(2026, 2, 1, tzinfo=dt.UTC) - dt.timedelta(hours=1)  # local midnight


def before_caps(seconds: int) -> dict[str, Fraction]:
    records = []
    if seconds:
        start = FEBRUARY + dt.timedelta(days=3)
        records.append(
            {
                "type": "incident",
                "start": start.isoformat(),
                "end": (start + dt.timedelta(seconds=seconds)).isoformat(),
            }
        )
    report = obligo.evaluate(MONOTONE, records, at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    found: dict[str, Fraction] = defaultdict(Fraction)
    for item in report.consequences:
        if item.period.label == "2026-02":
            assert item.before_caps is not None
            found[item.clause] += Fraction(Decimal(item.before_caps))
    return found


@SETTINGS
@given(
    first=st.integers(0, 28 * 86_400),
    more=st.integers(0, 6 * 3600),
)
def test_a_periods_credit_before_caps_never_decreases_as_its_downtime_grows(
    first: int, more: int
) -> None:
    less, greater = before_caps(first), before_caps(min(first + more, 28 * 86_400))
    for clause in ("1", "2", "3", "4", "5", "6"):
        assert less[clause] <= greater[clause], (clause, first, more)


def test_the_monotone_contract_gives_every_clause_something() -> None:
    """So that the property above cannot pass by comparing zeros."""
    assert set(before_caps(4 * 3600)) == {"1", "2", "3", "4", "5", "6"}


CAPPED = parse(
    """
contract capped "Every kind of cap" version 1
  term 2026-01-01 to 2027-12-31
  timezone "UTC"
  currency EUR

service api "API"
  fee 1234.57 EUR monthly

metric uptime "Availability"
  availability of api, per calendar month
  down during incident records

metric outage-time "Outage time"
  total duration of incident records, per calendar month

clause 1 "Availability"
  service api
  credit
    7.5% of the fee when uptime < 99.9%
    25% of the fee when uptime < 99.0%
    100% of the fee when uptime < 95.0%
  cap 50% of the fee per month
  cap 10% of the fees of the last 3 months, less credits already given
  cap 1000 EUR over the term

clause 2 "Outage hours"
  service api
  credit 1 day of the fee per started hour of outage-time
  cap 2 days of the fee per month, shared with clause 3

clause 3 "Exact hours"
  service api
  credit 1% of the fee per hour of outage-time
"""
)
FEE = Fraction("1234.57")
MONTH_DAYS = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30}

incidents = st.lists(
    st.tuples(st.integers(1, 6), st.integers(0, 20 * 86_400), st.integers(1, 3 * 86_400)),
    min_size=1,
    max_size=6,
)


def capped(spans: list[tuple[int, int, int]]) -> Report:
    records: list[dict[str, Any]] = []
    for month, offset, length in spans:
        start = dt.datetime(2026, month, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=offset)
        end = start + dt.timedelta(seconds=length)
        records.append({"type": "incident", "start": start.isoformat(), "end": end.isoformat()})
    return obligo.evaluate(CAPPED, records, at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC))


def cents(value: str) -> Fraction:
    return Fraction(Decimal(value))


@SETTINGS
@given(spans=incidents)
def test_no_credit_exceeds_its_caps(spans: list[tuple[int, int, int]]) -> None:
    report = capped(spans)
    given_: dict[str, dict[int, Fraction]] = defaultdict(dict)
    for item in report.consequences:
        assert item.amount is not None
        given_[item.clause][int(item.period.label[5:])] = cents(item.amount)
        for cap in item.caps:
            assert cents(item.amount) <= cents(cap.limit)
            assert cents(cap.after) <= cents(cap.before)
    one = given_["1"]
    for month, amount in one.items():
        assert amount <= FEE / 2  # 50% of the fee per month
        window = [m for m in range(month - 2, month + 1) if m >= 1]
        fees = FEE * len(window)  # the window never reaches before the term's start
        assert sum(one.get(m, Fraction(0)) for m in window) <= fees / 10
    assert sum(one.values()) <= 1000  # over the term
    for month in MONTH_DAYS:
        shared = given_["2"].get(month, Fraction(0)) + given_["3"].get(month, Fraction(0))
        assert shared <= 2 * FEE / MONTH_DAYS[month]  # 2 days of the month's fee, together


def half_up(value: Fraction) -> Decimal:
    return Decimal(math.floor(value * 100 + Fraction(1, 2))) / 100


@SETTINGS
@given(spans=incidents)
def test_amounts_are_exact_to_the_cent(spans: list[tuple[int, int, int]]) -> None:
    report = capped(spans)
    for item in report.consequences:
        assert item.amount is not None and item.rounding == "half-up to 0.01 EUR"
        assert Decimal(item.amount).as_tuple().exponent == -2, item.amount
        if item.clause == "2" and not item.caps[0].bound:
            # Started hours × a day of the fee, computed here in fractions, rounded half-up.
            line = item.lines[0]
            assert line.quantity is not None and line.value is not None
            hours = math.ceil(Fraction(Decimal(line.value)) / 3600)
            assert Fraction(Decimal(line.quantity)) == hours
            days = MONTH_DAYS[int(item.period.label[5:])]
            assert Decimal(item.amount) == half_up(hours * FEE / days)
        if item.clause == "1" and not any(cap.bound for cap in item.caps):
            percent = {"7.5%": Fraction(75, 1000), "25%": Fraction(1, 4), "100%": Fraction(1)}
            share = percent[item.lines[0].rule.split(" ", 1)[0]]
            assert Decimal(item.amount) == half_up(share * FEE)

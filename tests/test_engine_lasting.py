"""Records selected by their own length (``outage records lasting at least 15 minutes``): the
length from start to end, a record still open lasting to the evaluation time; counted by hand."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import obligo
from engine_helpers import context, evaluate, parse
from obligo.checks.reporter import Scope
from obligo.engine.measure import aggregates
from obligo.engine.measure import availability as av
from obligo.engine.measure.measurement import Measurement
from obligo.errors import ObligoError

LASTING = """
contract hosting
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric uptime "Outages of 15 minutes or more"
  availability, per calendar month
  down during outage records lasting at least 15 minutes where severity <= 2

metric long-outages
  count of outage records lasting more than 15 minutes, per calendar month

metric short-outages
  count of outage records lasting less than 15 minutes, per calendar month

metric at-most
  total duration of outage records lasting at most 15 minutes, per calendar month

clause 1
  promise uptime >= 99.95%
"""

AT = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)


def outage(start: str, end: str | None, severity: int = 1) -> dict[str, Any]:
    record: dict[str, Any] = {"type": "outage", "start": start, "severity": severity}
    if end is not None:
        record["end"] = end
    return record


EVENTS = [
    outage("2026-03-02T00:00:00Z", "2026-03-02T00:15:00Z"),  # exactly 15 minutes
    outage("2026-03-03T00:00:00Z", "2026-03-03T00:14:59Z"),  # a second short
    outage("2026-03-04T00:00:00Z", "2026-03-04T01:00:00Z", severity=3),  # long, not severe
    outage("2026-03-31T23:40:00Z", None),  # open: 20 minutes at the evaluation time
]


def uptime(at: dt.datetime = AT) -> Measurement:
    contract = parse(LASTING)
    with context(contract, EVENTS, at) as ctx:
        return av.availability(Scope.of(contract).metrics["uptime"], ctx, {})["2026-03"]


def test_availability_counts_only_outages_of_at_least_15_minutes() -> None:
    """March: 44,640 minutes; down 15 (the first) + 20 (the open one) = 35 minutes: 99.92%,
    below 99.95%."""
    assert uptime().value == Fraction(44640 - 35, 44640) * 100
    verdict = next(
        v for v in evaluate(parse(LASTING), EVENTS, at=AT).verdicts if v.period.label == "2026-03"
    )
    assert verdict.status == "breached"
    assert [c.seconds for c in verdict.evidence.contributors] == [1200, 900]


def test_counts_by_length() -> None:
    contract = parse(LASTING)
    scope = Scope.of(contract).metrics
    with context(contract, EVENTS, AT) as ctx:
        longer = aggregates.aggregate(scope["long-outages"], ctx)["2026-03"]
        shorter = aggregates.aggregate(scope["short-outages"], ctx)["2026-03"]
        at_most = av.total_duration(scope["at-most"], ctx, {})["2026-03"]
    assert longer.value == 2  # the hour and the open 20 minutes
    assert shorter.value == 1  # 14:59
    assert at_most.value == 15 * 60 + 14 * 60 + 59  # 15:00 and 14:59, in seconds


def test_an_open_record_lasts_to_the_evaluation_time() -> None:
    """At 23:50 the open outage has lasted 10 minutes: not yet selected."""
    minutes = 30 * 1440 + 23 * 60 + 50  # counted up to the evaluation time
    early = uptime(dt.datetime(2026, 3, 31, 23, 50, tzinfo=dt.UTC))
    assert early.value == Fraction(minutes - 15, minutes) * 100


def test_printer_writes_lasting_back() -> None:
    text = LASTING.lstrip("\n")
    assert obligo.format_contract(text) == text


@pytest.mark.parametrize(
    ("length", "message", "column"),
    [
        ("15 business minutes", "not a fixed duration", 53),
        ("1 month", "not a fixed duration", 53),
        ("15", "must be a duration", 53),
    ],
)
def test_a_length_that_is_not_on_the_clock_is_refused(
    length: str, message: str, column: int
) -> None:
    text = (
        'contract x\n  term 2026-01-01 to 2026-12-31\n  timezone "UTC"\n\nmetric m\n'
        f"  total duration of outage records lasting at least {length}, per calendar month\n"
    )
    with pytest.raises(ObligoError) as raised:
        obligo.parse(text)
    assert message in str(raised.value)
    assert (raised.value.line, raised.value.column) == (6, column)


@settings(deadline=None, max_examples=30)
@given(st.integers(min_value=0, max_value=7200), st.integers(min_value=1, max_value=7200))
def test_at_least_and_less_than_split_the_records(seconds: int, limit: int) -> None:
    """Every closed record is either at least the limit long or less than it: never both."""
    start = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    end = start + dt.timedelta(seconds=seconds)
    record = {"type": "outage", "start": start.isoformat(), "end": end.isoformat()}
    text = (
        'contract x\n  term 2026-01-01 to 2026-12-31\n  timezone "UTC"\n\n'
        f"metric a\n  count of outage records lasting at least {limit} s, per calendar month\n\n"
        f"metric b\n  count of outage records lasting less than {limit} s, per calendar month\n"
    )
    contract = parse(text)
    scope = Scope.of(contract).metrics
    with context(contract, [record], AT) as ctx:
        a = aggregates.aggregate(scope["a"], ctx)["2026-03"].value
        b = aggregates.aggregate(scope["b"], ctx)["2026-03"].value
    assert (a, b) == ((1, 0) if seconds >= limit else (0, 1))

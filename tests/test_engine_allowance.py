"""An exclusion with a yearly allowance (``excluded up to 1 hour per year``): the exclusion's
time is taken out in time order until the allowance is used; the rest is ordinary downtime,
shown as refused with what went over. Counted by hand."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest

import obligo
from engine_helpers import context, evaluate, parse
from obligo.checks.reporter import Scope
from obligo.engine.measure import availability as av
from obligo.engine.measure.measurement import Measurement
from obligo.errors import ObligoError


def contract_text(term: str = "2026-01-01 to 2027-12-31", span: str = "year") -> str:
    return f"""
contract hosting
  term {term}
  timezone "UTC"

exclusion maintenance "Scheduled maintenance"
  maintenance records
  excluded up to 1 hour per {span}

metric uptime
  availability, per calendar month
  down during outage records
  excluding maintenance

clause 1
  promise uptime >= 99.9%
"""


def window(start: str, minutes: int) -> dict[str, Any]:
    begin = dt.datetime.fromisoformat(start).replace(tzinfo=dt.UTC)
    end = begin + dt.timedelta(minutes=minutes)
    return {
        "type": "maintenance",
        "id": start,
        "start": begin.isoformat(),
        "end": end.isoformat(),
    }


def outage_over(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "type": "outage", "id": "down " + record["id"]}


WINDOWS = [
    window("2026-01-10T00:00:00", 40),  # 40 of the 60 minutes
    window("2026-01-10T00:30:00", 20),  # overlaps the first by 10: 10 more (50 used)
    window("2026-02-01T00:00:00", 30),  # 10 allowed, 20 beyond (the allowance used at 00:10)
    window("2026-03-01T00:00:00", 15),  # all beyond
    window("2027-01-05T00:00:00", 30),  # a new contract year: allowed
]
# The service is down during every maintenance window.
EVENTS = WINDOWS + [outage_over(w) for w in WINDOWS]
AT = dt.datetime(2027, 2, 1, tzinfo=dt.UTC)


def months(text: str, events: list[dict[str, Any]] = EVENTS) -> dict[str, Measurement]:
    contract = parse(text)
    with context(contract, events, AT) as ctx:
        return av.availability(Scope.of(contract).metrics["uptime"], ctx, {})


def up(month_minutes: int, down: int) -> Fraction:
    return Fraction(month_minutes - down, month_minutes) * 100


def test_the_allowance_is_used_in_time_order_and_the_rest_is_downtime() -> None:
    found = months(contract_text())
    # January: 50 minutes of maintenance, all excluded: nothing down in what is counted.
    assert found["2026-01"].value == 100
    # February: 10 minutes excluded, 20 down of the 40,320 - 10 minutes counted.
    assert found["2026-02"].value == up(40320 - 10, 20)
    # March: all 15 minutes beyond the allowance: down.
    assert found["2026-03"].value == up(44640, 15)
    # January 2027, a new contract year: 30 minutes excluded.
    assert found["2027-01"].value == 100


def test_the_evidence_shows_what_went_over() -> None:
    report = evaluate(parse(contract_text()), EVENTS, at=AT)
    february = next(v for v in report.verdicts if v.period.label == "2026-02")
    assert [(e.seconds, e.records) for e in february.evidence.exclusions] == [(Fraction(600), 1)]
    refused = february.evidence.exclusions_refused
    assert [(r.id, r.reason) for r in refused] == [
        (
            "2026-02-01T00:00:00",
            "20 minutes beyond the allowance of 1 hour per contract year from 2026-01-01,"
            " used up at 2026-02-01T00:10:00+00:00",
        )
    ]
    assert february.status == "met"  # 20 of 40,310 minutes down: 99.95%


def test_per_calendar_year_against_per_contract_year() -> None:
    """A term from 2026-07-01: the contract year runs to 2027-06-30, the calendar year ends on
    31 December. Windows of 40 minutes in December 2026 and in January 2027: per contract year
    20 of January's are beyond; per calendar year January's 40 are all allowed."""
    windows = [window("2026-12-01T00:00:00", 40), window("2027-01-05T00:00:00", 40)]
    events = windows + [outage_over(w) for w in windows]
    by_contract = months(contract_text("2026-07-01 to 2027-12-31"), events)
    by_calendar = months(contract_text("2026-07-01 to 2027-12-31", "calendar year"), events)
    assert by_contract["2027-01"].value == up(44640 - 20, 20)  # 20 excluded, 20 down
    assert by_calendar["2027-01"].value == 100
    assert by_contract["2026-12"].value == by_calendar["2026-12"].value == 100


def test_printer_writes_the_allowance_back() -> None:
    for span in ("year", "calendar year"):
        text = contract_text(span=span).lstrip("\n")
        assert obligo.format_contract(text) == text


@pytest.mark.parametrize(
    ("line", "message", "column"),
    [
        ("excluded up to 10 business hours per year", "not a fixed duration", 18),
        ("excluded up to 1 month per year", "not a fixed duration", 18),
    ],
)
def test_an_allowance_off_the_clock_is_refused_at_it(line: str, message: str, column: int) -> None:
    text = contract_text().replace("excluded up to 1 hour per year", line)
    with pytest.raises(ObligoError) as raised:
        obligo.parse(text)
    assert message in str(raised.value)
    assert (raised.value.line, raised.value.column) == (8, column)


def test_two_allowances_are_refused() -> None:
    text = contract_text().replace(
        "excluded up to 1 hour per year",
        "excluded up to 1 hour per year\n  excluded up to 2 hours per year",
    )
    with pytest.raises(ObligoError) as raised:
        obligo.parse(text)
    assert "excluded up to" in str(raised.value)
    assert raised.value.line == 9

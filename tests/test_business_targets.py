"""A business-time target is met when the business time elapsed is within it.

The calendar: Monday to Friday 09:00-17:00 in Berlin (UTC+2 in June 2026). A ticket opened
Wednesday 3 June 15:00 with a target of 2 business hours has used its 120 business minutes at
the 17:00 close; no business time passes until Thursday 09:00, so it is within target until then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from engine_helpers import context, parse
from obligo.checks.reporter import Scope
from obligo.engine.measure import records
from obligo.engine.measure.measurement import Measurement
from obligo.engine.time.business_time import BusinessCalendar

BERLIN = ZoneInfo("Europe/Berlin")

DESK = """
contract desk "Desk" version 1
  term 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"
  calendar office

calendar office "Office hours"
  monday to friday 09:00 to 17:00

metric answered "Answered within 2 business hours"
  share of ticket records within target, per calendar month
  duration from opened to answered
  target 2 business hours

metric answered-in-hours "Answered within 2 hours of office time"
  share of ticket records within target, per calendar month
  duration from opened to answered, in office hours
  target 2 hours

metric wall-clock "Answered within 2 hours"
  share of ticket records within target, per calendar month
  duration from opened to answered
  target 2 hours
"""


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def ticket(id_: str, opened: dt.datetime, answered: dt.datetime | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"type": "ticket", "id": id_, "opened": opened.isoformat()}
    if answered is not None:
        found["answered"] = answered.isoformat()
    return found


def june(metric: str, events: Iterable[Mapping[str, Any]], at: dt.datetime) -> Measurement:
    contract = parse(DESK)
    with context(contract, events, at) as ctx:
        return records.share_within_target(Scope.of(contract).metrics[metric], ctx)["2026-06"]


OPENED = local("2026-06-03T15:00")
LATER = local("2026-07-01T00:00")


def test_answered_after_the_close_has_used_only_the_business_time_of_the_target() -> None:
    events = [
        ticket("T1", OPENED, local("2026-06-03T17:30")),  # 120 business minutes: met
        ticket("T2", OPENED, local("2026-06-04T09:00")),  # still 120: met
        ticket("T3", OPENED, local("2026-06-04T09:00:01")),  # 120 min 1 s: late by 1 s
        ticket("T4", OPENED, local("2026-06-04T10:30")),  # late by 90 business minutes
    ]
    for metric in ("answered", "answered-in-hours"):
        found = june(metric, events, LATER)
        assert (found.totals["within"], found.totals["late"]) == (2, 2)
        assert found.value == 50
        late = {c.id: c.seconds for c in found.contributors}
        assert late == {"T3": 1, "T4": 90 * 60}
        # the due time shown is where the target's time ran out: the 17:00 close
        assert all("due 2026-06-03T17:00:00+02:00" in c.detail for c in found.contributors)


def test_wall_clock_targets_are_unchanged() -> None:
    events = [
        ticket("W1", OPENED, local("2026-06-03T17:00")),
        ticket("W2", OPENED, local("2026-06-03T17:30")),  # 30 minutes late, as before
    ]
    found = june("wall-clock", events, LATER)
    assert (found.totals["within"], found.totals["late"]) == (1, 1)
    assert [c.seconds for c in found.contributors] == [30 * 60]


def test_an_open_ticket_with_exactly_the_target_elapsed_is_pending() -> None:
    events = [ticket("OPEN", OPENED)]
    for at, late in [
        (local("2026-06-03T17:00"), 0),  # the target has just run out: pending
        (local("2026-06-03T23:00"), 0),  # closed time: no business time has passed
        (local("2026-06-04T09:00"), 0),  # the clock resumes: still exactly 120 minutes
        (local("2026-06-04T09:00:01"), 1),  # one second of business time past the target
    ]:
        found = june("answered", events, at)
        assert (found.totals["late"], found.totals["open_not_yet_due"]) == (late, 1 - late), at
    late = june("answered", events, local("2026-06-04T09:30"))
    assert [c.seconds for c in late.contributors] == [30 * 60]


def test_next_open_is_the_instant_the_clock_resumes() -> None:
    office = parse(DESK).calendars[0]
    calendar = BusinessCalendar(office, BERLIN)
    assert calendar.next_open(local("2026-06-03T12:00")) == local("2026-06-03T12:00")
    assert calendar.next_open(local("2026-06-03T09:00")) == local("2026-06-03T09:00")
    assert calendar.next_open(local("2026-06-03T17:00")) == local("2026-06-04T09:00")
    assert calendar.next_open(local("2026-06-05T17:00")) == local("2026-06-08T09:00")  # Friday
    assert calendar.next_open(local("2026-06-06T03:00")) == local("2026-06-08T09:00")


@settings(max_examples=60, deadline=None)
@given(
    opened=st.integers(min_value=0, max_value=7 * 24 * 4 - 1),
    took=st.integers(min_value=0, max_value=4 * 24 * 4),
)
def test_within_exactly_when_the_business_time_elapsed_is_at_most_the_target(
    opened: int, took: int
) -> None:
    """On quarter hours over a week: met if and only if bs(opened, answered) <= 2 hours."""
    start = local("2026-06-01T00:00") + dt.timedelta(minutes=15 * opened)
    answered = start + dt.timedelta(minutes=15 * took)
    office = BusinessCalendar(parse(DESK).calendars[0], BERLIN)
    used = office.business_seconds(start, answered)
    found = june("answered", [ticket("X", start, answered)], LATER)
    assert found.totals["within"] == (1 if used <= 7200 else 0)
    if used > 7200:
        assert found.contributors[0].seconds == used - Fraction(7200)

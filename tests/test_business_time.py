"""Business time: opening intervals, business seconds and deadlines, worked out by hand.

2026 dates used: Friday 03-06, Monday 03-09; Thursday 04-02, Good Friday 04-03 and Easter
Monday 04-06 (holidays), Tuesday 04-07. DST: Europe/Berlin 03-29 (02:00 → 03:00) and 10-25
(03:00 → 02:00); America/New_York 03-08 (02:00 → 03:00) and 11-01 (02:00 → 01:00).
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from obligo.engine.time.business_time import WEEKDAYS, BusinessCalendar
from obligo.errors import ObligoError
from obligo.model.base import Duration
from obligo.model.contract import Calendar, WeeklyHours

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")
WORKDAYS = WEEKDAYS[:5]


def at(text: str, tz: ZoneInfo = BERLIN) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz)


def hours(days: tuple[str, ...], start: str, end: str | None) -> WeeklyHours:
    return WeeklyHours(
        days=days,
        start=dt.time.fromisoformat(start),
        end=None if end is None else dt.time.fromisoformat(end),
    )


def make(
    *ranges: WeeklyHours,
    holidays: tuple[str, ...] = (),
    tz: ZoneInfo = BERLIN,
    timezone: str | None = None,
) -> BusinessCalendar:
    calendar = Calendar(
        id="cal",
        timezone=timezone,
        hours=ranges,
        holidays=tuple(dt.date.fromisoformat(h) for h in holidays),
    )
    return BusinessCalendar(calendar, tz)


def business(amount: str, unit: str) -> Duration:
    return Duration(amount=Decimal(amount), unit=unit, business=True)


def plain(amount: str, unit: str) -> Duration:
    return Duration(amount=Decimal(amount), unit=unit)


OFFICE = make(hours(WORKDAYS, "09:00", "17:00"), holidays=("2026-04-03", "2026-04-06"))
ALWAYS_BERLIN = BusinessCalendar.always(BERLIN)
ALWAYS_NEW_YORK = BusinessCalendar.always(NEW_YORK)
NIGHT = make(hours(WEEKDAYS, "02:00", "03:00"))  # only in the hour DST changes skip or repeat
CONTOSO = make(hours(WORKDAYS[:4], "08:00", "18:00"), hours(("friday",), "08:00", "16:00"))
LUNCH = make(
    hours(WORKDAYS, "09:00", "12:00"),
    hours(WORKDAYS, "13:00", "17:00"),
    hours(("saturday",), "10:00", "14:00"),
    holidays=("2026-07-03",),
    tz=NEW_YORK,
)


# ------------------------------------------------------------------------ business seconds
def test_across_a_weekend() -> None:
    # Friday 15:00-17:00 and Monday 09:00-11:00
    assert OFFICE.business_seconds(at("2026-03-06T15:00"), at("2026-03-09T11:00")) == 4 * 3600


def test_across_holidays() -> None:
    # Thursday 16:00-17:00, Good Friday, the weekend and Easter Monday closed, Tuesday 09:00-10:00
    assert OFFICE.business_seconds(at("2026-04-02T16:00"), at("2026-04-07T10:00")) == 2 * 3600


def test_overnight() -> None:
    assert OFFICE.business_seconds(at("2026-03-10T16:30"), at("2026-03-11T09:15")) == 45 * 60


def test_entirely_outside_opening_hours() -> None:
    assert OFFICE.business_seconds(at("2026-03-07T10:00"), at("2026-03-08T18:00")) == 0
    assert OFFICE.business_seconds(at("2026-03-10T17:00"), at("2026-03-11T09:00")) == 0
    assert OFFICE.business_seconds(at("2026-04-03T09:00"), at("2026-04-03T17:00")) == 0
    assert OFFICE.opening_intervals(at("2026-03-07T00:00"), at("2026-03-09T00:00")) == []


def test_end_before_start_is_zero() -> None:
    assert OFFICE.business_seconds(at("2026-03-10T12:00"), at("2026-03-10T10:00")) == 0


def test_a_24x7_calendar_on_dst_days() -> None:
    for calendar, tz, short, long in [
        (ALWAYS_BERLIN, BERLIN, "2026-03-29", "2026-10-25"),
        (ALWAYS_NEW_YORK, NEW_YORK, "2026-03-08", "2026-11-01"),
    ]:
        day = dt.timedelta(days=1)
        start = at(f"{short}T00:00", tz)
        assert calendar.business_seconds(start, start + day) == 23 * 3600
        start = at(f"{long}T00:00", tz)
        assert calendar.business_seconds(start, start + day) == 25 * 3600
    # the whole of March in Berlin: 44,580 minutes
    march = ALWAYS_BERLIN.business_seconds(at("2026-03-01T00:00"), at("2026-04-01T00:00"))
    assert march == 44_580 * 60


def test_opening_hours_in_the_skipped_and_repeated_hour() -> None:
    day = dt.timedelta(days=1)
    assert NIGHT.business_seconds(at("2026-03-28T00:00"), at("2026-03-28T00:00") + day) == 3600
    assert NIGHT.business_seconds(at("2026-03-29T00:00"), at("2026-03-29T00:00") + day) == 0
    assert NIGHT.business_seconds(at("2026-10-25T00:00"), at("2026-10-25T00:00") + day) == 7200
    [(start, end)] = NIGHT.opening_intervals(at("2026-10-25T00:00"), at("2026-10-26T00:00"))
    assert start.isoformat() == "2026-10-25T02:00:00+02:00"
    assert end.isoformat() == "2026-10-25T03:00:00+01:00"
    # 01:00-04:00 on the spring-forward night is two hours long
    early = make(hours(WEEKDAYS, "01:00", "04:00"))
    assert early.business_seconds(at("2026-03-29T00:00"), at("2026-03-30T00:00")) == 2 * 3600


def test_sub_second_precision_is_kept_as_a_fraction() -> None:
    start = at("2026-03-10T16:59:59.750000")
    seconds = OFFICE.business_seconds(start, at("2026-03-11T09:00:00.500001"))
    assert seconds == Fraction(1, 4) + Fraction(500_001, 1_000_000)
    assert isinstance(seconds, Fraction)


def test_opening_intervals() -> None:
    intervals = LUNCH.opening_intervals(at("2026-07-02T10:00", UTC), at("2026-07-06T10:00", UTC))
    # UTC 10:00 is 06:00 in New York (EDT); Friday 07-03 is a holiday, Sunday closed
    assert [(a.isoformat(), b.isoformat()) for a, b in intervals] == [
        ("2026-07-02T09:00:00-04:00", "2026-07-02T12:00:00-04:00"),
        ("2026-07-02T13:00:00-04:00", "2026-07-02T17:00:00-04:00"),
        ("2026-07-04T10:00:00-04:00", "2026-07-04T14:00:00-04:00"),
    ]
    # cut to the span asked for
    [(a, b)] = OFFICE.opening_intervals(at("2026-03-10T10:30"), at("2026-03-10T11:00"))
    assert (a, b) == (at("2026-03-10T10:30"), at("2026-03-10T11:00"))
    # around the clock, consecutive days are one interval
    [(a, b)] = ALWAYS_BERLIN.opening_intervals(at("2026-03-28T06:00"), at("2026-03-31T06:00"))
    assert (a, b) == (at("2026-03-28T06:00"), at("2026-03-31T06:00"))


def test_overlapping_ranges_count_once_and_the_calendar_timezone_wins() -> None:
    overlapping = make(hours(("monday",), "09:00", "12:00"), hours(("monday",), "11:00", "17:00"))
    assert overlapping.business_seconds(at("2026-03-09T00:00"), at("2026-03-10T00:00")) == 8 * 3600
    new_york = make(hours(WORKDAYS, "09:00", "17:00"), timezone="America/New_York")
    assert new_york.tz == NEW_YORK
    [(a, b)] = new_york.opening_intervals(at("2026-03-10T00:00"), at("2026-03-11T00:00"))
    # 09:00-17:00 in New York (EDT from 03-08) is 14:00-22:00 in Berlin (still CET)
    assert (a.isoformat(), b.isoformat()) == (
        "2026-03-10T09:00:00-04:00",
        "2026-03-10T17:00:00-04:00",
    )
    assert (a, b) == (at("2026-03-10T14:00"), at("2026-03-10T22:00"))


def test_a_calendar_without_hours_is_never_open() -> None:
    closed = make()
    assert closed.never_open
    assert closed.business_seconds(at("2026-03-01T00:00"), at("2026-04-01T00:00")) == 0
    with pytest.raises(ObligoError, match="no opening hours"):
        closed.deadline(at("2026-03-01T00:00"), business("1", "h"))
    assert closed.deadline(at("2026-03-01T00:00"), plain("1", "h")) == at("2026-03-01T01:00")


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.business_seconds(dt.datetime(2026, 3, 1), at("2026-03-02T00:00"))


# ------------------------------------------------------------------------------ deadlines
@pytest.mark.parametrize(
    ("start", "limit", "due"),
    [
        # business hours and minutes
        ("2026-03-06T16:30", business("1", "h"), "2026-03-09T09:30"),
        ("2026-03-06T16:00", business("1", "h"), "2026-03-06T17:00"),  # a close, not Monday
        ("2026-03-06T16:00", business("4", "h"), "2026-03-09T12:00"),
        ("2026-03-07T11:00", business("1", "h"), "2026-03-09T10:00"),  # from a Saturday
        ("2026-04-02T15:00", business("4", "h"), "2026-04-07T11:00"),  # over Easter
        ("2026-03-10T10:00", business("0", "h"), "2026-03-10T10:00"),
        ("2026-03-06T16:45:00.5", business("30", "min"), "2026-03-09T09:15:00.5"),
        ("2026-03-10T10:00", business("1.5", "h"), "2026-03-10T11:30"),
        # business days: the same point of the next opening day
        ("2026-03-06T16:00", business("1", "day"), "2026-03-09T16:00"),
        ("2026-03-07T10:00", business("1", "day"), "2026-03-09T17:00"),  # Saturday
        ("2026-03-06T17:00", business("1", "day"), "2026-03-09T17:00"),  # at a close
        ("2026-03-09T08:00", business("1", "day"), "2026-03-09T17:00"),  # before opening
        ("2026-03-09T09:00", business("1", "day"), "2026-03-09T17:00"),  # at opening
        ("2026-03-09T09:00:01", business("1", "day"), "2026-03-10T09:00:01"),
        ("2026-04-02T10:00", business("1", "day"), "2026-04-07T10:00"),  # over Easter
        ("2026-04-02T16:30", business("2", "day"), "2026-04-08T16:30"),
        ("2026-04-03T12:00", business("1", "day"), "2026-04-07T17:00"),  # on a holiday
        ("2026-03-09T13:00", business("1.5", "day"), "2026-03-10T17:00"),
        ("2026-03-07T10:00", business("0.5", "day"), "2026-03-09T13:00"),
        ("2026-03-09T15:00", business("0.5", "day"), "2026-03-10T11:00"),
        # plain durations are real time, whatever the calendar
        ("2026-03-28T12:00", plain("24", "h"), "2026-03-29T13:00"),  # over spring forward
        ("2026-03-07T10:00", plain("2", "day"), "2026-03-09T10:00"),
        ("2026-01-31T10:00", plain("1", "month"), "2026-02-28T10:00"),
    ],
)
def test_office_deadlines(start: str, limit: Duration, due: str) -> None:
    assert OFFICE.deadline(at(start), limit) == at(due)


def test_business_days_on_uneven_days() -> None:
    # Monday to Thursday 08:00-18:00, Friday 08:00-16:00
    one = business("1", "day")
    assert CONTOSO.deadline(at("2026-03-12T17:00"), one) == at("2026-03-13T16:00")  # clamped
    assert CONTOSO.deadline(at("2026-03-13T15:00"), one) == at("2026-03-16T15:00")
    assert CONTOSO.deadline(at("2026-03-14T15:00"), one) == at("2026-03-16T18:00")
    assert CONTOSO.deadline(at("2026-03-12T17:00"), business("2", "day")) == at("2026-03-16T17:00")


def test_business_days_with_a_lunch_break() -> None:
    # at 12:30 the morning's 3 hours have passed: the same point is Tuesday 12:00
    assert LUNCH.deadline(at("2026-03-09T12:30", NEW_YORK), business("1", "day")) == at(
        "2026-03-10T12:00", NEW_YORK
    )
    # Friday 15:00 (5 h elapsed) -> Saturday has only 4 h: its close
    assert LUNCH.deadline(at("2026-03-13T15:00", NEW_YORK), business("1", "day")) == at(
        "2026-03-14T14:00", NEW_YORK
    )


def test_deadlines_on_dst_nights() -> None:
    # 90 minutes of the night calendar after Saturday noon: the 2-hour night of 10-25
    due = NIGHT.deadline(at("2026-10-24T12:00"), business("90", "min"))
    assert due.isoformat() == "2026-10-25T02:30:00+01:00"
    # around the clock, 24 business hours are 24 real hours
    due = ALWAYS_BERLIN.deadline(at("2026-03-28T12:00"), business("24", "h"))
    assert due.isoformat() == "2026-03-29T13:00:00+02:00"
    # one business day is the same opening time into a 23-hour day: 12 h after its start
    due = ALWAYS_BERLIN.deadline(at("2026-03-28T12:00"), business("1", "day"))
    assert due.isoformat() == "2026-03-29T13:00:00+02:00"
    due = ALWAYS_NEW_YORK.deadline(at("2026-11-01T12:00", NEW_YORK), business("1", "day"))
    # noon on the 25-hour 11-01 is 13 hours into it: 13 hours into Monday
    assert due.isoformat() == "2026-11-02T13:00:00-05:00"


def test_deadlines_are_in_the_calendar_timezone() -> None:
    due = OFFICE.deadline(at("2026-03-06T15:00", UTC), business("1", "h"))  # 16:00 in Berlin
    assert due.tzinfo is BERLIN
    assert due.isoformat() == "2026-03-06T17:00:00+01:00"


def test_unsupported_limits() -> None:
    with pytest.raises(ValueError, match="negative"):
        OFFICE.deadline(at("2026-03-06T15:00"), plain("-1", "h"))
    with pytest.raises(ValueError, match="business weeks"):
        OFFICE.deadline(at("2026-03-06T15:00"), business("1", "week"))


# ------------------------------------------------------------------------------ properties
CALENDARS = [OFFICE, ALWAYS_BERLIN, ALWAYS_NEW_YORK, NIGHT, CONTOSO, LUNCH]

instants = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 31), timezones=st.just(UTC)
)
offsets = st.integers(min_value=0, max_value=12 * 86400 * 1_000_000).map(
    lambda micros: dt.timedelta(microseconds=micros)
)


@settings(max_examples=200, deadline=None)
@given(calendar=st.sampled_from(CALENDARS), a=instants, first=offsets, second=offsets)
def test_business_seconds_are_additive_and_bounded(
    calendar: BusinessCalendar, a: dt.datetime, first: dt.timedelta, second: dt.timedelta
) -> None:
    b, c = a + first, a + first + second
    ab, bc, ac = (
        calendar.business_seconds(a, b),
        calendar.business_seconds(b, c),
        calendar.business_seconds(a, c),
    )
    assert ac == ab + bc
    assert 0 <= ab <= Fraction(first // dt.timedelta(microseconds=1), 1_000_000)
    intervals = calendar.opening_intervals(a, b)
    total = sum((y.astimezone(UTC) - x.astimezone(UTC) for x, y in intervals), dt.timedelta())
    assert Fraction(total // dt.timedelta(microseconds=1), 1_000_000) == ab
    for (_, end), (start, _) in itertools.pairwise(intervals):
        assert end.astimezone(UTC) < start.astimezone(UTC)  # ordered, touching ones merged
    assert all(a <= x < y <= b for x, y in intervals)


@settings(max_examples=200, deadline=None)
@given(
    calendar=st.sampled_from(CALENDARS),
    start=instants,
    amount=st.integers(min_value=0, max_value=3000),
    unit=st.sampled_from(["min", "h"]),
)
def test_deadlines_consume_exactly_the_business_time(
    calendar: BusinessCalendar, start: dt.datetime, amount: int, unit: str
) -> None:
    assume(unit == "min" or amount <= 200)
    limit = business(str(amount), unit)
    due = calendar.deadline(start, limit)
    wanted = amount * (60 if unit == "min" else 3600)
    assert calendar.business_seconds(start, due) == wanted
    if wanted:  # the earliest such instant
        assert calendar.business_seconds(start, due - dt.timedelta(microseconds=1)) < wanted
    else:
        assert due.astimezone(UTC) == start


@settings(max_examples=100, deadline=None)
@given(start=instants, days=st.integers(min_value=1, max_value=6))
def test_business_days_on_equal_days_are_whole_opening_days(start: dt.datetime, days: int) -> None:
    due = OFFICE.deadline(start, business(str(days), "day"))
    assert OFFICE.business_seconds(start, due) == days * 8 * 3600
    assert OFFICE.is_open(due - dt.timedelta(microseconds=1))

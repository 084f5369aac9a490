"""Business time: opening hours, the open time between two instants, and deadlines.

Definitions
-----------

Opening hours
    A calendar's weekly hours are local wall-clock times in the calendar's timezone (its own
    ``timezone``, else the contract's). A range ``09:00 to 17:00`` on a local date is open from
    the first instant the clock reads 09:00 that day to the first instant it reads 17:00; a wall
    time the clock jumps over maps to the instant of the jump (see
    :func:`obligo.engine.time.periods.local_instant`); ``24:00`` (``all day``, ``end=None``) is the
    next local midnight. So on the day the clocks go forward a range across the skipped hour is
    an hour shorter (``02:00 to 03:00`` is empty) and ``all day`` lasts 23 hours; on the day they
    go back ``all day`` lasts 25 hours and a range across the repeated hour an hour longer.
    Ranges given for the same day may overlap; their union counts. A calendar without hours is
    never open. :meth:`BusinessCalendar.always` is open around the clock.

Holidays
    Whole local dates on which the calendar is closed, whatever its hours: the dates listed, and
    those drawn from a country's rules or an ICS file (:mod:`obligo.model.holidays`).

Business seconds
    :meth:`BusinessCalendar.business_seconds` is the exact open time in ``[start, end)`` as a
    :class:`fractions.Fraction` of seconds (always a Fraction, a whole number when the instants
    are whole seconds; microseconds are kept exactly). It is 0 when ``end`` is not after
    ``start``. It is additive: ``bs(a, c) == bs(a, b) + bs(b, c)`` for ``a <= b <= c``.

Deadlines (:meth:`BusinessCalendar.deadline`)
    * A plain duration (``4 hours``, ``2 days``) is real elapsed time: the start plus its exact
      seconds, whatever the calendar (``24 hours`` across a DST change is 24 real hours).
      Months, quarters and years move the local date by whole months (the day clamped to the
      month's end) at the same local time.
    * Business minutes and hours: the clock runs only while the calendar is open. The deadline
      is the earliest instant at which that much open time has passed since the start: a ticket
      opened Friday 16:00 with 4 business hours on 09:00–17:00 is due Monday 12:00; when the
      time runs out exactly at a closing time the deadline is the closing time (Friday 17:00),
      the earliest instant with that much open time behind it. No open time passes from there
      to the next opening (:meth:`BusinessCalendar.next_open`, Monday 09:00): a target is still
      met until then (see :mod:`obligo.engine.measure.records`). Deadlines are rounded up to
      the next microsecond.
    * Business days: one business day is one full opening day of the calendar (an opening day
      is a local date, not a holiday, with some opening time). A start instant has a position:
      the opening day it falls on and the opening time already elapsed that day; an instant
      before the day's opening, or in closed time after a day's close (a closing instant
      included), on a closed day or holiday, is at the start (0 elapsed) of the next opening
      day. ``N`` business days later is the same position on the ``N``-th following opening
      day: the instant at which the same opening time has elapsed on that day, or that day's
      close if it has less opening time. A start at the beginning of a day (0 elapsed) is due
      at the close of the ``N``-th opening day counting that day. On 09:00–17:00, Monday to
      Friday: Friday 16:00 + 1 business day = Monday 16:00; Saturday (any time), Friday 17:00 or
      Monday 08:00 + 1 business day = Monday 17:00; Thursday before a Good Friday and Easter
      Monday holiday, 10:00 + 1 business day = Tuesday 10:00. With uneven days (Monday to
      Thursday 08:00–18:00, Friday 08:00–16:00): Thursday 17:00 (9 h elapsed) + 1 = Friday 16:00
      (its close, Friday has only 8 h); Friday 15:00 + 1 = Monday 15:00. Whenever all opening
      days have the same opening time ``T``, N business days are exactly ``N × T`` of business
      time. A fraction of a day (``1.5 business days``) is, after the whole days, that fraction
      of the opening time of the opening day the whole days ended in (the next opening day when
      they ended at a close), consumed as business time.

Notices before a date (:meth:`BusinessCalendar.opening_day_back`)
    ``10 business days before the end of the term`` counts opening days back from the term's
    last day (itself included when it is an opening day): the notice begins at the start of the
    10th of them.

All results are timezone-aware datetimes in the calendar's timezone. Inputs must be
timezone-aware (any timezone); naive datetimes raise :class:`ValueError`.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from obligo.engine.time.periods import add_months, local_instant, local_midnight
from obligo.errors import ObligoError
from obligo.model.base import Duration
from obligo.model.contract import Calendar, WeeklyHours
from obligo.model.holidays import holidays_in_year
from obligo.model.units import SECONDS

__all__ = ["WEEKDAYS", "BusinessCalendar"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

UTC = dt.UTC
_DAY = dt.timedelta(days=1)
_MICROSECOND = dt.timedelta(microseconds=1)
_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_Interval = tuple[dt.datetime, dt.datetime]
_Range = tuple[dt.time, dt.time | None]


def _utc(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is needed, not {instant.isoformat()}")
    return instant.astimezone(UTC)


def _seconds(delta: dt.timedelta) -> Fraction:
    return Fraction(delta // _MICROSECOND, 1_000_000)


def _delta(seconds: Fraction) -> dt.timedelta:
    """Seconds as a timedelta, rounded up to the next microsecond."""
    return math.ceil(seconds * 1_000_000) * _MICROSECOND


class BusinessCalendar:
    """A calendar's opening hours and holidays, in its timezone, ready to measure time with."""

    def __init__(self, calendar: Calendar, default_tz: ZoneInfo) -> None:
        if calendar.timezone:
            try:
                self.tz = ZoneInfo(calendar.timezone)
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise ObligoError(
                    f'unknown timezone "{calendar.timezone}" in calendar {calendar.id}',
                    file=calendar.loc.file,
                    line=calendar.loc.line,
                    column=calendar.loc.column,
                ) from error
        else:
            self.tz = default_tz
        self.calendar = calendar
        weekly: list[list[_Range]] = [[] for _ in WEEKDAYS]
        for hours in calendar.hours:
            for day in hours.days:
                if day.lower() not in WEEKDAYS:
                    raise ValueError(f"unknown weekday {day!r} in calendar {calendar.id}")
                if hours.end is None or hours.end > hours.start:
                    weekly[WEEKDAYS.index(day.lower())].append((hours.start, hours.end))
        self._weekly = tuple(tuple(ranges) for ranges in weekly)
        self._holidays = frozenset(calendar.holidays)
        # Holidays drawn from a country's rules or an ICS file, year by year as asked for.
        self._drawn: dict[int, frozenset[dt.date]] = {}
        self._days: dict[dt.date, tuple[_Interval, ...]] = {}

    @classmethod
    def always(cls, tz: ZoneInfo) -> BusinessCalendar:
        """A calendar open around the clock, every day, without holidays."""
        all_day = WeeklyHours(days=WEEKDAYS, start=dt.time(0, 0), end=None)
        return cls(Calendar(id="always", title="24x7", hours=(all_day,)), tz)

    @property
    def never_open(self) -> bool:
        """Whether the calendar has no opening hours at all."""
        return not any(self._weekly)

    # ------------------------------------------------------------------------------- days
    def _local_date(self, instant: dt.datetime) -> dt.date:
        return instant.astimezone(self.tz).date()

    def _day(self, day: dt.date) -> tuple[_Interval, ...]:
        """The open intervals of a local date, in UTC, merged and in order (cached)."""
        cached = self._days.get(day)
        if cached is not None:
            return cached
        intervals: list[_Interval] = []
        if not self.is_holiday(day):
            spans = sorted(
                (
                    local_instant(day, start, self.tz),
                    local_midnight(day + _DAY, self.tz)
                    if end is None
                    else local_instant(day, end, self.tz),
                )
                for start, end in self._weekly[day.weekday()]
            )
            for start, end in spans:
                if end <= start:
                    continue
                if intervals and start <= intervals[-1][1]:
                    intervals[-1] = (intervals[-1][0], max(intervals[-1][1], end))
                else:
                    intervals.append((start, end))
        result = tuple(intervals)
        self._days[day] = result
        return result

    def is_holiday(self, day: dt.date) -> bool:
        """Whether a local date is a holiday: listed, or drawn from the calendar's sources."""
        if day in self._holidays:
            return True
        if not self.calendar.holiday_sources:
            return False
        drawn = self._drawn.get(day.year)
        if drawn is None:
            drawn = frozenset(h.date for h in holidays_in_year(self.calendar, day.year))
            self._drawn[day.year] = drawn
        return day in drawn

    def opening_time(self, day: dt.date) -> dt.timedelta:
        """The total opening time of a local date (zero on holidays and closed days)."""
        return sum((end - start for start, end in self._day(day)), dt.timedelta())

    def is_opening_day(self, day: dt.date) -> bool:
        return bool(self._day(day))

    def is_open(self, instant: dt.datetime) -> bool:
        at = _utc(instant)
        return any(start <= at < end for start, end in self._day(self._local_date(at)))

    def _next_opening_day(self, day: dt.date) -> dt.date:
        """The first opening day after ``day``."""
        self._require_open()
        day += _DAY
        while not self._day(day):
            day += _DAY
        return day

    def _opening_day_after(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th opening day after the opening day ``day`` (``day`` itself for 0)."""
        for _ in range(count):
            day = self._next_opening_day(day)
        return day

    def opening_day_back(self, day_after: dt.date, count: int) -> dt.date:
        """The ``count``-th opening day counting back from the day before ``day_after`` (that
        day itself counting when it is an opening day): a notice of 10 business days before a
        term ending on Thursday 31 December begins on the 10th opening day back, so that 10 whole
        opening days lie between it and the end. A count of 0 is ``day_after`` itself."""
        if count < 0:
            raise ValueError(f"a whole number of business days is needed, not {count}")
        if count == 0:
            return day_after
        self._require_open()
        day = day_after
        for _ in range(count):
            day -= _DAY
            while not self._day(day):
                day -= _DAY
        return day

    def _require_open(self) -> None:
        if self.never_open:
            loc = self.calendar.loc
            raise ObligoError(
                f"calendar {self.calendar.id} has no opening hours: no business deadline is"
                " ever reached",
                file=loc.file,
                line=loc.line,
                column=loc.column,
                hint="give it hours such as `monday to friday 09:00 to 17:00`",
            )

    # -------------------------------------------------------------------------- intervals
    def _intervals(self, start: dt.datetime, end: dt.datetime) -> list[_Interval]:
        """The open intervals within ``[start, end)`` (UTC), touching ones merged."""
        result: list[_Interval] = []
        if end <= start:
            return result
        day, last = self._local_date(start), self._local_date(end)
        while day <= last:
            for open_, close in self._day(day):
                lo, hi = max(open_, start), min(close, end)
                if lo >= hi:
                    continue
                if result and result[-1][1] == lo:
                    result[-1] = (result[-1][0], hi)
                else:
                    result.append((lo, hi))
            day += _DAY
        return result

    def opening_intervals(
        self, start: dt.datetime, end: dt.datetime
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """The open parts of ``[start, end)``, in order, in the calendar's timezone.

        Intervals that touch (``all day`` on consecutive days) are merged into one.
        """
        return [
            (lo.astimezone(self.tz), hi.astimezone(self.tz))
            for lo, hi in self._intervals(_utc(start), _utc(end))
        ]

    def next_open(self, instant: dt.datetime) -> dt.datetime:
        """The earliest instant at or after ``instant`` at which the calendar is open: ``instant``
        itself while open, else the next opening (a closing instant is closed: Friday 17:00 on
        09:00–17:00 hours gives Monday 09:00). No business time passes between the two, so a
        business-time target that runs out at a close is still met until the clock resumes."""
        at = _utc(instant)
        self._require_open()
        day = self._local_date(at)
        while True:
            for open_, close in self._day(day):
                if close > at:
                    return max(open_, at).astimezone(self.tz)
            day += _DAY

    def business_seconds(self, start: dt.datetime, end: dt.datetime) -> Fraction:
        """The exact open time in ``[start, end)`` in seconds; 0 when end is not after start."""
        total = sum((hi - lo for lo, hi in self._intervals(_utc(start), _utc(end))), dt.timedelta())
        return _seconds(total)

    # -------------------------------------------------------------------------- deadlines
    def _consume(self, start: dt.datetime, amount: Fraction) -> dt.datetime:
        """The earliest instant (UTC) by which ``amount`` seconds of open time have passed."""
        if amount <= 0:
            return start
        self._require_open()
        day = self._local_date(start)
        while True:
            for open_, close in self._day(day):
                if close <= start:
                    continue
                open_ = max(open_, start)
                available = _seconds(close - open_)
                if amount <= available:
                    return open_ + _delta(amount)
                amount -= available
            day += _DAY

    def _position(self, instant: dt.datetime) -> tuple[dt.date, dt.timedelta]:
        """The opening day an instant counts in and the opening time elapsed on it before it."""
        day = self._local_date(instant)
        intervals = self._day(day)
        if intervals and instant < intervals[-1][1]:
            elapsed = sum(
                (min(close, instant) - open_ for open_, close in intervals if open_ < instant),
                dt.timedelta(),
            )
            return day, elapsed
        return self._next_opening_day(day), dt.timedelta()

    def _business_days(self, start: dt.datetime, days: Fraction) -> dt.datetime:
        whole = math.floor(days)
        fraction = days - whole
        if whole == 0 and fraction == 0:
            return start
        day, elapsed = self._position(start)
        if fraction == 0:
            if not elapsed:
                target = self._opening_day_after(day, whole - 1)
                return self._consume(self._day(target)[0][0], _seconds(self.opening_time(target)))
            target = self._opening_day_after(day, whole)
            reached = min(elapsed, self.opening_time(target))
            return self._consume(self._day(target)[0][0], _seconds(reached))
        # whole days first, then the fraction of the day they ended in
        if whole == 0:
            target, reached = day, elapsed
        else:
            target = self._opening_day_after(day, whole)
            reached = elapsed
            if elapsed >= self.opening_time(target):
                target, reached = self._next_opening_day(target), dt.timedelta()
        length = _seconds(self.opening_time(target))
        return self._consume(self._day(target)[0][0], _seconds(reached) + fraction * length)

    def deadline(self, start: dt.datetime, limit: Duration) -> dt.datetime:
        """The instant at which ``limit`` has passed since ``start``: see the module docs."""
        at = _utc(start)
        amount = Fraction(limit.amount)
        if amount < 0:
            raise ValueError(f"a negative time limit: {limit}")
        if limit.unit in _MONTHS and not limit.business:
            return self._add_months(at, amount * _MONTHS[limit.unit], limit)
        if limit.unit not in SECONDS:
            raise ValueError(f"unknown unit {limit.unit!r} in {limit}")
        seconds = amount * Fraction(SECONDS[limit.unit])
        if not limit.business:
            return (at + _delta(seconds)).astimezone(self.tz)
        if limit.unit == "day":
            return self._business_days(at, amount).astimezone(self.tz)
        if limit.unit == "week":
            raise ValueError(f"business weeks are not defined: {limit}")
        return self._consume(at, seconds).astimezone(self.tz)

    def _add_months(self, at: dt.datetime, months: Fraction, limit: Duration) -> dt.datetime:
        if months.denominator != 1:
            raise ValueError(f"a whole number of months is needed, not {limit}")
        local = at.astimezone(self.tz)
        day = add_months(local.date(), int(months))
        return local_instant(day, local.time(), self.tz).astimezone(self.tz)


def open_time_after(
    calendar: BusinessCalendar, start: dt.datetime, seconds: Fraction
) -> dt.datetime:
    """The earliest instant by which ``seconds`` of the calendar's opening time have passed
    since ``start`` (a closing time when it runs out exactly at one), rounded up to the next
    microsecond, in the calendar's timezone: a deadline in business minutes and hours, for an
    amount of open time already in seconds (a stopped clock's remaining time)."""
    return calendar._consume(_utc(start), seconds).astimezone(calendar.tz)

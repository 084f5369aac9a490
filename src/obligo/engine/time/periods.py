"""Measurement periods: the spans of time a metric is measured over.

Every period is a half-open span ``[start, end)`` of real time. Boundaries are computed in the
contract's timezone and converted through UTC, so lengths are exact elapsed time: a local day on
which the clocks change has 23 or 25 hours, and a month holding such a day is an hour shorter or
longer than its days times 24 hours.

Definitions
-----------

Local midnight
    The first instant of a local date: the first instant at which the clock in the timezone reads
    00:00 on that date, or, where the clock skips midnight (a DST change at 00:00), the instant
    it skips it. In general a local wall time maps to the first instant the clock reads it, or the
    instant the clock jumps over it (:func:`local_instant`).

The term
    Starts at local midnight of its first day and ends at local midnight after its last day (the
    end date is the last day of the term). A term without an end runs on.

Calendar periods (``per calendar day|week|month|quarter|year``)
    Run from one local midnight to the next: days; ISO weeks (Monday to Monday); months;
    quarters (January, April, July, October); years. Labels: ``2026-03-04``, ``2026-W10`` (ISO
    week-numbering year and week), ``2026-03``, ``2026-Q1``, ``2026``.

Billing cycles (``per billing cycle``)
    From the contract's ``billing cycle``. A cycle of months (``monthly``, ``quarterly``:
    3 months, ``yearly``: 12 months) starts on the anchor's day of the month, clamped to the last
    day of shorter months; every cycle start is computed from the anchor, so an anchor on the
    31st gives Jan 31, Feb 28, Mar 31, Apr 30, ... Without an anchor, cycles of months start on
    the first of the month, aligned to January (calendar months, quarters, years). A cycle of
    weeks or days is a run of local days from the anchor (without one: weeks start on Mondays,
    days at the term start). Without a ``billing cycle`` the cycles are calendar months. The
    grid of cycles extends backwards from the anchor, so an anchor after the term start still
    covers the whole term. Label: first and last day, ``2026-01-15/2026-02-14``.

Consecutive periods (``per 30 days from 2026-01-01``)
    Back-to-back periods of the given length, on a grid through local midnight of the ``from``
    date (extended backwards too). A length that is a whole number of days (a multiple of
    86,400 s: ``30 days``, ``2 weeks``, ``48 hours``) counts local calendar days, so each period
    starts at a local midnight whatever the DST changes; any other length (``12 hours``) is
    exact elapsed time. Months, quarters and years are calendar months from the date (as for
    billing cycles). Label: first and last day ``2026-01-01/2026-01-30``; for lengths shorter
    than days, the local start and end with their UTC offsets,
    ``2026-01-01T00:00:00+01:00/2026-01-01T12:00:00+01:00``.

Rolling windows (``over a rolling 30 days``)
    One window per local day: the window ending at local midnight ``M`` covers the given length
    before ``M`` (whole days are local calendar days; other lengths exact elapsed time). Windows
    end at each local midnight from the day after the term start up to the first local midnight
    at or after ``until`` (and not after the term end). Label: the last day the window covers,
    ``2026-03-04`` for the window ending at 2026-03-05 00:00. Rolling windows overlap; all other
    kinds tile time.

Clipping and labels
    A period that straddles the term start or end is clipped to the term and marked ``partial``;
    it keeps the label of the whole period it was cut from.

Which periods
    :func:`measurement_periods` returns the periods from the term start up to and including the
    one that contains ``until`` (the evaluation time), or up to the term end when ``until`` is
    after it; none when ``until`` is before the term start. Periods are in time order (by start
    and by end).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal
from zoneinfo import ZoneInfo

from obligo.errors import ObligoError
from obligo.model.base import Duration, SourceLocation
from obligo.model.contract import BillingCycle
from obligo.model.metrics import (
    BillingCyclePeriod,
    CalendarPeriod,
    ConsecutivePeriod,
    Period,
    RollingPeriod,
)

__all__ = [
    "MeasurementPeriod",
    "local_instant",
    "local_midnight",
    "measurement_periods",
    "period_containing",
]

UTC = dt.UTC
_SECOND = dt.timedelta(seconds=1)
_DAY = dt.timedelta(days=1)
_MIDNIGHT = dt.time(0, 0)
_DAY_SECONDS = 86400
_MONTHS = {"month": 1, "quarter": 3, "year": 12}


# ------------------------------------------------------------------------------- local time
def _utc(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is needed, not {instant.isoformat()}")
    return instant.astimezone(UTC)


def local_instant(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The instant (in UTC) at which the clock in ``tz`` reads ``at`` on ``day``.

    Where the time occurs twice (the clocks go back), the first occurrence; where it does not
    occur (the clocks go forward over it), the instant the clock jumps over it, so that wall
    times map to instants monotonically and ``[local_instant(a), local_instant(b))`` holds
    exactly the instants whose wall-clock reading lies in ``[a, b)`` on days without a repeated
    hour.
    """
    naive = dt.datetime.combine(day, at.replace(tzinfo=None))
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first
    # In a gap: fold=1 maps with the offset after the change (an instant before it), fold=0 with
    # the offset before (an instant after it). Find the change between the two, to the second.
    before = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    lo, hi = 0, (first - before) // _SECOND
    while lo < hi:
        mid = (lo + hi) // 2
        if (before + mid * _SECOND).astimezone(tz).replace(tzinfo=None) >= naive:
            hi = mid
        else:
            lo = mid + 1
    return before + lo * _SECOND


def add_duration(instant: dt.datetime, duration: Duration, tz: ZoneInfo) -> dt.datetime:
    """``instant`` plus a duration in the contract's zone: months, quarters and years as calendar
    months and whole days or weeks as local days (the same wall-clock time, whatever the changes
    of the clocks between; the start of a local day stays the start of a local day, also where
    the clocks skip midnight), other lengths as exact elapsed time."""
    local = instant.astimezone(tz)
    if duration.unit in _MONTHS:
        day = add_months(local.date(), int(duration.amount * _MONTHS[duration.unit]))
    else:
        seconds = duration.seconds
        if seconds is None:
            raise ValueError(f"{duration} is not a fixed length of time")
        if seconds % _DAY_SECONDS:
            return instant + dt.timedelta(microseconds=int(seconds * 1_000_000))
        day = local.date() + dt.timedelta(days=int(seconds // _DAY_SECONDS))
    if instant == local_midnight(local.date(), tz):
        return local_midnight(day, tz)
    return local_instant(day, local.time(), tz)


def local_midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """The first instant (in UTC) of a local date."""
    return local_instant(day, _MIDNIGHT, tz)


def _local_date(instant: dt.datetime, tz: ZoneInfo) -> dt.date:
    return instant.astimezone(tz).date()


def add_months(day: dt.date, months: int, day_of_month: int | None = None) -> dt.date:
    """``day`` moved by whole months, on ``day_of_month`` (default: its own), clamped."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    wanted = day.day if day_of_month is None else day_of_month
    return dt.date(year, month + 1, min(wanted, _month_length(year, month + 1)))


def _month_length(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


# --------------------------------------------------------------------------------- periods
@dataclass(frozen=True)
class MeasurementPeriod:
    """One span ``[start, end)`` a metric is measured over, in the contract's timezone.

    Compare its instants through UTC (``p.start.astimezone(UTC)``) or with :meth:`contains`:
    Python compares two datetimes of the same timezone by wall clock, ignoring ``fold``, and
    never finds an instant in a repeated hour equal to one in another timezone.
    """

    start: dt.datetime
    end: dt.datetime
    label: str
    partial: bool = False

    @property
    def seconds(self) -> int:
        """Exact elapsed seconds (through UTC: a DST day has 23 or 25 hours)."""
        return (_utc(self.end) - _utc(self.start)) // _SECOND

    @property
    def minutes(self) -> Fraction:
        """Exact elapsed minutes; a whole number for every period on a grid of minutes."""
        return Fraction(self.seconds, 60)

    def contains(self, instant: dt.datetime) -> bool:
        """Whether ``start <= instant < end`` (compared as instants, whatever the timezone)."""
        at = _utc(instant)
        return _utc(self.start) <= at < _utc(self.end)


# A period of a grid before clipping: UTC start, UTC end, label.
_Nominal = tuple[dt.datetime, dt.datetime, str]
# The period of a grid of local days that contains a date: first day, day after the last, label.
_DatePeriod = tuple[dt.date, dt.date, str]


def _range_label(first: dt.date, after: dt.date) -> str:
    return f"{first.isoformat()}/{(after - _DAY).isoformat()}"


def _calendar_containing(unit: str) -> Callable[[dt.date], _DatePeriod]:
    def containing(day: dt.date) -> _DatePeriod:
        if unit == "day":
            return day, day + _DAY, day.isoformat()
        if unit == "week":
            monday = day - dt.timedelta(days=day.weekday())
            iso = monday.isocalendar()
            return monday, monday + 7 * _DAY, f"{iso.year:04d}-W{iso.week:02d}"
        if unit == "month":
            first = day.replace(day=1)
            return first, add_months(first, 1), f"{day.year:04d}-{day.month:02d}"
        if unit == "quarter":
            quarter = (day.month - 1) // 3
            first = dt.date(day.year, 3 * quarter + 1, 1)
            return first, add_months(first, 3), f"{day.year:04d}-Q{quarter + 1}"
        if unit == "year":
            return dt.date(day.year, 1, 1), dt.date(day.year + 1, 1, 1), f"{day.year:04d}"
        raise ValueError(f"unknown calendar period unit {unit!r}")

    return containing


def _months_containing(anchor: dt.date, months: int) -> Callable[[dt.date], _DatePeriod]:
    """Cycles of ``months`` months starting on the anchor's day of the month (clamped)."""
    origin = anchor.year * 12 + anchor.month - 1

    def start(k: int) -> dt.date:
        return add_months(dt.date(anchor.year, anchor.month, 1), k * months, anchor.day)

    def containing(day: dt.date) -> _DatePeriod:
        k = (day.year * 12 + day.month - 1 - origin) // months
        if start(k) > day:
            k -= 1
        first, after = start(k), start(k + 1)
        return first, after, _range_label(first, after)

    return containing


def _days_containing(origin: dt.date, days: int) -> Callable[[dt.date], _DatePeriod]:
    """Back-to-back runs of ``days`` local days on a grid through ``origin``."""

    def containing(day: dt.date) -> _DatePeriod:
        k = (day - origin).days // days
        first = origin + dt.timedelta(days=k * days)
        after = first + dt.timedelta(days=days)
        return first, after, _range_label(first, after)

    return containing


def _date_grid(
    containing: Callable[[dt.date], _DatePeriod], first_day: dt.date, tz: ZoneInfo
) -> Iterator[_Nominal]:
    day = first_day
    while True:
        first, after, label = containing(day)
        yield local_midnight(first, tz), local_midnight(after, tz), label
        day = after


def _exact_grid(
    origin: dt.datetime, length: dt.timedelta, at: dt.datetime, tz: ZoneInfo
) -> Iterator[_Nominal]:
    """Back-to-back periods of an exact length on a grid through ``origin`` (UTC), from ``at``."""
    start = origin + ((at - origin) // length) * length
    while True:
        end = start + length
        label = (
            f"{start.astimezone(tz).isoformat(timespec='seconds')}/"
            f"{end.astimezone(tz).isoformat(timespec='seconds')}"
        )
        yield start, end, label
        start = end


_Span = tuple[Literal["months", "days"], int] | tuple[Literal["exact"], dt.timedelta]


def _span(length: Duration, loc: SourceLocation, what: str) -> _Span:
    """A length as whole months, whole local days, or an exact time of whole seconds."""

    def fail(message: str) -> ObligoError:
        return ObligoError(message, file=loc.file, line=loc.line, column=loc.column)

    if length.business:
        raise fail(f"{what} cannot be {length}: business time has no fixed length")
    if length.unit in _MONTHS:
        months = length.amount * _MONTHS[length.unit]
        if months <= 0 or months != months.to_integral_value():
            raise fail(f"{what} must be a whole number of months, not {length}")
        return "months", int(months)
    seconds = length.seconds
    if seconds is None:
        raise fail(f"{what} cannot be {length}")
    if seconds <= 0 or seconds != seconds.to_integral_value():
        raise fail(f"{what} must be a positive whole number of seconds, not {length}")
    if seconds % _DAY_SECONDS == 0:
        return "days", int(seconds // _DAY_SECONDS)
    return "exact", dt.timedelta(seconds=int(seconds))


def _grid(
    period: CalendarPeriod | BillingCyclePeriod | ConsecutivePeriod,
    tz: ZoneInfo,
    term_start: dt.date,
    billing: BillingCycle | None,
) -> Iterator[_Nominal]:
    """The periods of the grid, starting with the one that contains the term start."""
    if isinstance(period, CalendarPeriod):
        return _date_grid(_calendar_containing(period.unit), term_start, tz)
    if isinstance(period, BillingCyclePeriod):
        if billing is None:
            return _date_grid(_months_containing(dt.date(2000, 1, 1), 1), term_start, tz)
        span = _span(billing.every, billing.loc, "a billing cycle")
        anchor = billing.anchor
        if span[0] == "months":
            return _date_grid(
                _months_containing(anchor or dt.date(2000, 1, 1), span[1]), term_start, tz
            )
        if span[0] == "days":
            if anchor is None:
                # weeks start on Mondays (2001-01-01 was one); days at the term start
                anchor = dt.date(2001, 1, 1) if span[1] % 7 == 0 else term_start
            return _date_grid(_days_containing(anchor, span[1]), term_start, tz)
        origin = local_midnight(anchor or term_start, tz)
        return _exact_grid(origin, span[1], local_midnight(term_start, tz), tz)
    span = _span(period.length, period.loc, "a period's length")
    if span[0] == "months":
        return _date_grid(_months_containing(period.start, span[1]), term_start, tz)
    if span[0] == "days":
        return _date_grid(_days_containing(period.start, span[1]), term_start, tz)
    origin = local_midnight(period.start, tz)
    return _exact_grid(origin, span[1], local_midnight(term_start, tz), tz)


def measurement_periods(
    period: Period,
    tz: ZoneInfo,
    term_start: dt.date,
    term_end: dt.date | None,
    until: dt.datetime,
    billing: BillingCycle | None = None,
) -> list[MeasurementPeriod]:
    """The periods of a metric from the term start to the one containing ``until``, in order.

    ``term_end`` is the last day of the term (None: the term runs on). ``until`` is the
    evaluation time, a timezone-aware datetime. Periods cut by a term edge are clipped and marked
    partial. See the module documentation for the definitions.
    """
    start = local_midnight(term_start, tz)
    end = None if term_end is None else local_midnight(term_end + _DAY, tz)
    at = _utc(until)
    if at < start or (end is not None and end <= start):
        return []
    if isinstance(period, RollingPeriod):
        return _rolling(period, tz, term_start, start, end, at)
    if not isinstance(period, CalendarPeriod | BillingCyclePeriod | ConsecutivePeriod):
        raise ValueError(f"unknown period {period!r}")
    periods: list[MeasurementPeriod] = []
    for nominal_start, nominal_end, label in _grid(period, tz, term_start, billing):
        clipped_start = max(nominal_start, start)
        clipped_end = nominal_end if end is None else min(nominal_end, end)
        periods.append(
            MeasurementPeriod(
                start=clipped_start.astimezone(tz),
                end=clipped_end.astimezone(tz),
                label=label,
                partial=(clipped_start, clipped_end) != (nominal_start, nominal_end),
            )
        )
        if nominal_end > at or (end is not None and nominal_end >= end):
            return periods
    raise AssertionError("unreachable: a grid never ends")


def _rolling(
    period: RollingPeriod,
    tz: ZoneInfo,
    term_start: dt.date,
    start: dt.datetime,
    end: dt.datetime | None,
    at: dt.datetime,
) -> list[MeasurementPeriod]:
    span = _span(period.length, period.loc, "a rolling window")
    last_day = _local_date(at, tz)  # the day of the first local midnight at or after `until`
    if local_midnight(last_day, tz) < at:
        last_day += _DAY
    last_day = max(last_day, term_start + _DAY)
    if end is not None:
        last_day = min(last_day, _local_date(end, tz))
    windows: list[MeasurementPeriod] = []
    day = term_start + _DAY
    while day <= last_day:
        window_end = local_midnight(day, tz)
        if span[0] == "months":
            window_start = local_midnight(add_months(day, -span[1]), tz)
        elif span[0] == "days":
            window_start = local_midnight(day - dt.timedelta(days=span[1]), tz)
        else:
            window_start = window_end - span[1]
        windows.append(
            MeasurementPeriod(
                start=max(window_start, start).astimezone(tz),
                end=window_end.astimezone(tz),
                label=(day - _DAY).isoformat(),
                partial=window_start < start,
            )
        )
        day += _DAY
    return windows


def period_containing(
    periods: Sequence[MeasurementPeriod], instant: dt.datetime
) -> MeasurementPeriod | None:
    """The first period (in the order given) with ``start <= instant < end``, or None.

    ``periods`` must be ordered by end, as :func:`measurement_periods` returns them. For rolling
    windows, which overlap, this is the window labelled with the instant's local date.
    """
    at = _utc(instant)
    index = bisect_right(periods, at, key=lambda p: _utc(p.end))
    if index < len(periods) and _utc(periods[index].start) <= at:
        return periods[index]
    return None

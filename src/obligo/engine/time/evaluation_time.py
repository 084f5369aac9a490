"""The evaluation time (``at``): checked once, read the way the event log reads its timestamps.

A local time without an offset is read in the contract's timezone as a log timestamp is
(docs/semantics.md, "Timestamps"): one in a daylight-saving gap does not exist and is refused,
one in the repeated hour when the clocks go back is its first occurrence.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from obligo.errors import ObligoError

AWARE_EXAMPLE = 'datetime(2026, 4, 15, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))'


def _offset(delta: dt.timedelta | None) -> str:
    total = int((delta or dt.timedelta()).total_seconds())
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def evaluation_time(at: object, tz: ZoneInfo) -> dt.datetime:
    """``at`` in ``tz``: now when ``None``; a timezone-aware :class:`datetime.datetime`
    otherwise. Anything else (a naive datetime, a date, a text) raises :class:`ObligoError`."""
    if at is None:
        return dt.datetime.now(tz)
    if not isinstance(at, dt.datetime):
        raise ObligoError(
            f"the evaluation time must be a datetime, not {type(at).__name__} ({at!r})",
            hint=f"give a timezone-aware datetime, e.g. {AWARE_EXAMPLE}",
        )
    if at.tzinfo is None or at.utcoffset() is None:
        raise ObligoError(
            f"the evaluation time {at.isoformat()} has no timezone",
            hint=f"give a timezone-aware datetime, e.g. {AWARE_EXAMPLE}",
        )
    return at.astimezone(tz)


def wall_clock(local: dt.datetime, tz: ZoneInfo, shown: str) -> dt.datetime:
    """A local time without an offset (written ``shown``) in ``tz``, as the log reads one:
    :class:`ObligoError` in a daylight-saving gap, the first occurrence in a repeated hour."""
    first = local.replace(tzinfo=tz, fold=0)
    round_trip = first.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    if round_trip != local.replace(tzinfo=None, fold=0):
        before, after = first.utcoffset(), local.replace(tzinfo=tz, fold=1).utcoffset()
        raise ObligoError(
            f"{shown} does not exist in {tz.key}: it falls in a daylight-saving gap, where the"
            f" clocks go forward from {_offset(before)} to {_offset(after)}",
            hint=f"write the time with its offset, e.g. {shown}{_offset(before)}",
        )
    return first

"""A stopped clock: the time a record's timer runs, when pauses stop it (``paused while ...``).

A timer runs in the opening time of a calendar (around the clock for wall-clock targets) and
not during its record's pauses. Pauses and closed hours are a union: an instant that is both
paused and closed stops the clock once, so a pause over a night costs only the opening hours it
covers. A pause is a half-open interval ``[start, end)``; ``end`` None is a pause still going
on, which stops the clock from its start for as long as it lasts.

- :func:`merged` makes a record's pauses disjoint and sorted (overlapping pauses once; an open
  one swallows every later one).
- :func:`stopped_deadline` is the instant at which the running clock reaches an amount of
  opening time: the due time of a paused record. None when an open pause stops it first.
- :func:`stopped_seconds` is the opening time a pause took out of ``[start, stop)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from fractions import Fraction

from obligo.engine.time.business_time import BusinessCalendar, open_time_after
from obligo.engine.time.intervals import utc

Pause = tuple[dt.datetime, dt.datetime | None]


def merged(pauses: Iterable[Pause]) -> list[Pause]:
    """The pauses as disjoint, sorted intervals in UTC: overlapping or touching ones joined, an
    empty one (``end <= start``) dropped, an open one (``end`` None) lasting to the end."""
    result: list[Pause] = []
    items = sorted(
        ((utc(start), None if end is None else utc(end)) for start, end in pauses),
        key=lambda p: p[0],
    )
    for start, end in items:
        if end is not None and end <= start:
            continue
        if result:
            last_start, last_end = result[-1]
            if last_end is None:
                continue  # an open pause lasts: every later one is inside it
            if start <= last_end:
                result[-1] = (last_start, None if end is None else max(end, last_end))
                continue
        result.append((start, end))
    return result


def stopped_deadline(
    calendar: BusinessCalendar, start: dt.datetime, seconds: Fraction, pauses: Sequence[Pause]
) -> dt.datetime | None:
    """The earliest instant by which ``seconds`` of the calendar's opening time outside the
    ``pauses`` (merged: :func:`merged`) have passed since ``start``; None when a pause that
    never ends stops the clock before that."""
    remaining = seconds
    cursor = utc(start)
    for pause_start, pause_end in pauses:
        if pause_end is not None and pause_end <= cursor:
            continue
        if pause_start > cursor:
            running = calendar.business_seconds(cursor, pause_start)
            if running >= remaining:
                return open_time_after(calendar, cursor, remaining)
            remaining -= running
        if pause_end is None:
            return None
        cursor = max(cursor, pause_end)
    return open_time_after(calendar, cursor, remaining)


def stopped_seconds(
    calendar: BusinessCalendar, pause: Pause, start: dt.datetime, stop: dt.datetime
) -> Fraction:
    """The opening time of ``calendar`` that ``pause`` covers within ``[start, stop)``: what it
    took out of a clock running from ``start`` to ``stop``."""
    lo = max(utc(pause[0]), utc(start))
    hi = utc(stop) if pause[1] is None else min(utc(pause[1]), utc(stop))
    return calendar.business_seconds(lo, hi)

"""Interval algebra on instants: union, intersection, difference and length, exactly.

An interval is a half-open pair ``(start, end)`` of timezone-aware datetimes. Lengths are exact
:class:`fractions.Fraction` seconds (datetimes carry microseconds, so a length is a whole number
of microseconds); no float is ever involved.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from fractions import Fraction

Interval = tuple[dt.datetime, dt.datetime]
MICROSECOND = dt.timedelta(microseconds=1)


def utc(instant: dt.datetime) -> dt.datetime:
    """The instant in UTC. Python compares and subtracts two datetimes of the same zone by their
    wall clocks, which is wrong across a DST change, so all arithmetic here happens in UTC."""
    if instant.tzinfo is dt.UTC:  # already (slices, the log's instants): no conversion to pay
        return instant
    return instant.astimezone(dt.UTC)


def seconds(start: dt.datetime, end: dt.datetime) -> Fraction:
    """The exact length of [start, end) in seconds (0 when end is not after start)."""
    start, end = utc(start), utc(end)
    if end <= start:
        return Fraction(0)
    return Fraction((end - start) // MICROSECOND, 1_000_000)


def length(normalised: Iterable[Interval]) -> Fraction:
    """The exact length in seconds of intervals that are already normalised (the output of
    :func:`union`, :func:`window`, :func:`intersect`, :func:`subtract`: disjoint, in UTC, each
    with ``end > start``): their durations added (exact, in microseconds), one fraction at the
    end."""
    whole = sum((end - start for start, end in normalised), dt.timedelta(0))
    return Fraction(whole // MICROSECOND, 1_000_000)


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping intervals covering the same instants; empty ones dropped."""
    if isinstance(intervals, list) and _normalised(intervals):
        # Already what it would give (the period's down time, tens of thousands of runs of
        # down slices, goes through several unions in a row): a copy, not a sort and merge.
        return intervals.copy()
    merged: list[Interval] = []
    normalised = ((utc(s), utc(e)) for s, e in intervals)
    for start, end in sorted(i for i in normalised if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _normalised(intervals: list[Interval]) -> bool:
    """Whether the intervals are in UTC, each with ``end > start``, each starting after the
    previous one ends (touching ones would be merged): what :func:`union` gives."""
    previous_end: dt.datetime | None = None
    for start, end in intervals:
        if start.tzinfo is not dt.UTC or end.tzinfo is not dt.UTC or not start < end:
            return False
        if previous_end is not None and not previous_end < start:
            return False
        previous_end = end
    return True


def intersect(a: Iterable[Interval], b: Iterable[Interval]) -> list[Interval]:
    """Instants in both; inputs need not be normalised."""
    left, right = union(a), union(b)
    result: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            result.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return result


def clip(intervals: Iterable[Interval], start: dt.datetime, end: dt.datetime) -> list[Interval]:
    return intersect(intervals, [(start, end)])


def overlaps(a: Interval, start: dt.datetime, end: dt.datetime) -> bool:
    return utc(a[0]) < utc(end) and utc(a[1]) > utc(start)


class OverlapCount:
    """How many of some intervals (each with ``start <= end``) overlap a window, for many
    windows: two bisections each instead of a pass over every interval (a slice metric has one
    interval per slice with records)."""

    def __init__(self, intervals: Iterable[Interval]) -> None:
        self._intervals = [(utc(a), utc(b)) for a, b in intervals]
        self._starts = sorted(a for a, _ in self._intervals)
        self._ends = sorted(b for _, b in self._intervals)

    def __call__(self, start: dt.datetime, end: dt.datetime) -> int:
        """The intervals with ``a < end`` and ``b > start`` (as :func:`overlaps`)."""
        start, end = utc(start), utc(end)
        if end <= start:
            return sum(1 for a, b in self._intervals if a < end and b > start)
        # a < end and b > start = (a < end) minus (b <= start): an interval with b <= start
        # has a <= b <= start < end, so it is among the first.
        return bisect_left(self._starts, end) - bisect_right(self._ends, start)


def subtract(a: Iterable[Interval], b: Iterable[Interval]) -> list[Interval]:
    """Instants in ``a`` and not in ``b`` (linear in the sizes once both are sorted)."""
    result: list[Interval] = []
    cuts = union(b)
    j = 0
    for start, end in union(a):
        while j < len(cuts) and cuts[j][1] <= start:
            j += 1
        cursor = start
        k = j
        while k < len(cuts) and cuts[k][0] < end:
            cut_start, cut_end = cuts[k]
            if cut_start > cursor:
                result.append((cursor, cut_start))
            cursor = max(cursor, cut_end)
            if cursor >= end:
                break
            k += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def window(normalised: Sequence[Interval], start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """The parts of ``normalised`` intervals (the output of :func:`union`: sorted, disjoint, in
    UTC) inside ``[start, end)``, found by bisection: the cost grows with the intervals inside,
    not with all of them."""
    start, end = utc(start), utc(end)
    result: list[Interval] = []
    if end <= start:
        return result
    i = bisect_right(normalised, start, key=lambda interval: interval[1])
    while i < len(normalised) and normalised[i][0] < end:
        lo, hi = normalised[i]
        result.append((max(lo, start), min(hi, end)))
        i += 1
    return result


def total(intervals: Iterable[Interval]) -> Fraction:
    """The exact length of the union of the intervals, in seconds."""
    return length(union(intervals))

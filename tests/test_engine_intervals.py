"""Interval helpers against their plain definitions."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from obligo.engine.measure.slices import EPOCH, SliceCount
from obligo.engine.time.intervals import OverlapCount, overlaps, union

BERLIN = ZoneInfo("Europe/Berlin")
ORIGIN = dt.datetime(2026, 3, 29, tzinfo=dt.UTC)  # the clocks go forward in Berlin that night


def instant(minutes: int, local: bool) -> dt.datetime:
    moment = ORIGIN + dt.timedelta(minutes=minutes)
    return moment.astimezone(BERLIN) if local else moment


instants = st.builds(instant, st.integers(0, 6 * 60), st.booleans())


@given(
    st.lists(st.tuples(instants, st.integers(0, 120)), max_size=40),
    instants,
    st.integers(-60, 240),
)
def test_overlap_count_is_the_number_of_overlapping_intervals(
    starts: list[tuple[dt.datetime, int]], window_start: dt.datetime, length: int
) -> None:
    intervals = [(a, a + dt.timedelta(minutes=m)) for a, m in starts]
    window_end = window_start + dt.timedelta(minutes=length)
    expected = sum(1 for iv in intervals if overlaps(iv, window_start, window_end))
    assert OverlapCount(intervals)(window_start, window_end) == expected


@given(
    st.sets(st.integers(-2, 40), max_size=30),
    st.sampled_from([1, 7, 15, 60]),
    st.integers(0, 300),
    st.integers(1, 600),
    st.integers(0, 6 * 60),
    st.integers(-600, 600),
    st.integers(0, 59_999_999),
)
def test_slice_count_is_the_number_of_slices_overlapping_a_window(
    numbers: set[int],
    minutes: int,
    span_offset: int,
    span_length: int,
    window_offset: int,
    window_length: int,
    micros: int,
) -> None:
    """A slice metric counts its slices with records from their numbers alone (SliceCount):
    the same count as OverlapCount over the slices' times clipped to the evaluated span, for
    windows of any length (empty and reversed included) and instants off the slices' grid."""
    length = dt.timedelta(minutes=minutes)
    span_start = ORIGIN + dt.timedelta(minutes=span_offset, microseconds=micros % 997)
    span_end = span_start + dt.timedelta(minutes=span_length)
    base = (span_start - EPOCH) // length  # the span's first slice
    slices = []
    for n in sorted(base + k for k in numbers):
        begin = EPOCH + length * n
        a, b = max(begin, span_start), min(begin + length, span_end)
        if a < b:  # a slice with records holds a record of the span
            slices.append((n, (a, b)))
    start = instant(span_offset + window_offset - 60, micros % 2 == 0) + dt.timedelta(
        microseconds=micros
    )
    end = start + dt.timedelta(minutes=window_length, microseconds=-micros // 3)
    count = SliceCount([n for n, _ in slices], length, span_start.astimezone(BERLIN), span_end)
    assert count(start, end) == OverlapCount([iv for _, iv in slices])(start, end)


@given(st.lists(st.tuples(instants, st.integers(-5, 120)), max_size=30), st.booleans())
def test_union_of_a_list_already_normalised_is_the_same_as_merging_it(
    found: list[tuple[dt.datetime, int]], again: bool
) -> None:
    # A list that is already normalised (in UTC, sorted, apart) is copied, not merged again:
    # the result must be what merging gives, for any list (a generator is always merged).
    intervals = [(start, start + dt.timedelta(minutes=size)) for start, size in found]
    if again:
        intervals = union(intervals)
    merged = union(iter(intervals))
    assert union(intervals) == merged
    assert all(a.tzinfo is dt.UTC and b.tzinfo is dt.UTC for a, b in union(intervals))
    assert union(merged) == merged and union(merged) is not merged
    touching = [(ORIGIN, ORIGIN + dt.timedelta(minutes=1))]
    touching.append((touching[0][1], touching[0][1] + dt.timedelta(minutes=1)))
    assert union(touching) == [(ORIGIN, ORIGIN + dt.timedelta(minutes=2))]

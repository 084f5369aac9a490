"""Interval helpers against their plain definitions."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from obligo.engine.time.intervals import OverlapCount, overlaps

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

"""The contributors of an availability measurement (the largest sources of the period's down
time), ranked on whole microseconds: the same contributors, in the same order, with the same
exact seconds, as ranking each source's exact share (``DownSource.share``) as a fraction."""

from __future__ import annotations

import datetime as dt
import heapq
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from obligo.engine.measure.availability import _contributors, _SourceIndex
from obligo.engine.measure.downtime import DownSource
from obligo.engine.measure.measurement import KEPT, Contribution, Measurement
from obligo.engine.time.intervals import Interval, union

T0 = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
BERLIN = dt.timezone(dt.timedelta(hours=1))


def _at(micros: int, zone: dt.tzinfo = dt.UTC) -> dt.datetime:
    return (T0 + dt.timedelta(microseconds=micros)).astimezone(zone)


spans = st.tuples(st.integers(0, 5_000_000), st.integers(0, 2_000_000))


@st.composite
def sources(draw: st.DrawFn) -> DownSource:
    start, size = draw(spans)
    zone = draw(st.sampled_from([dt.UTC, BERLIN]))
    within = draw(st.none() | st.lists(spans, max_size=3))
    return DownSource(
        (_at(start, zone), _at(start + size, zone)),
        draw(st.sampled_from(["outage", "slice"])),
        draw(st.none() | st.sampled_from(["A", "B", "C"])),
        within=None if within is None else [(_at(a), _at(a + b)) for a, b in within],
    )


def _reference(index: _SourceIndex, down: list[Interval]) -> tuple[list[Contribution], int]:
    """The ranking on exact fractions (as the engine did before it ranked microseconds)."""
    if not down:
        return [], 0
    ranked = []
    for start, _, number, source in index.overlapping(down[0][0], down[-1][1]):
        share = source.share(down)
        if share > 0:
            ranked.append((-share, start, source.id or "", source.type, number, source))
    kept = heapq.nsmallest(KEPT, ranked, key=lambda item: item[:5])
    return [
        Contribution(
            type=s.type, id=s.id, start=s.interval[0], end=s.interval[1], seconds=-n, detail=None
        )
        for n, _, _, _, _, s in kept
    ], len(ranked)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(spans, max_size=12),
    st.lists(sources(), max_size=70),
)
def test_contributors_equal_the_exact_shares_ranked(
    down_spans: list[tuple[int, int]], found: list[DownSource]
) -> None:
    down = union((_at(a), _at(a + b)) for a, b in down_spans)
    index = _SourceIndex(found)
    measurement = Measurement(value=None, dimension="percent")
    _contributors(measurement, index, down)
    expected, count = _reference(index, down)
    assert measurement.contributors_total == count
    assert measurement.contributors == expected
    assert all(isinstance(c.seconds, Fraction) for c in measurement.contributors)


def test_a_source_over_two_down_pieces_counts_only_their_time() -> None:
    down = [(_at(0), _at(60_000_000)), (_at(120_000_000), _at(120_500_001))]
    source = DownSource((_at(30_000_000, BERLIN), _at(121_000_000, BERLIN)), "outage", "INC-7")
    measurement = Measurement(value=None, dimension="percent")
    _contributors(measurement, _SourceIndex([source]), down)
    assert measurement.contributors_total == 1
    assert measurement.contributors[0].seconds == Fraction(30_500_001, 1_000_000)

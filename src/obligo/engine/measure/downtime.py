"""Down time: the intervals a metric was down over the whole evaluation, with their sources.

What the interval measures (:mod:`obligo.engine.measure.availability`) and the slice measures
(:mod:`obligo.engine.measure.slices`) both produce, and availability, total duration, MTTR and MTBF read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from obligo.engine.time.intervals import Interval, intersect, length, union, window

# How many records (or slices with records) overlap a window [start, end).
RecordCount = Callable[[dt.datetime, dt.datetime], int]


@dataclass
class DownSource:
    """One source of down time: a record's interval, a down slice, a component's record."""

    interval: Interval
    type: str
    id: str | None
    detail: str | None = None
    # the value of the metric's `by` field in the record (None: the record has none, or the
    # metric is not grouped); a source without a group is down time of every group
    group: str | None = None
    # the record's values of the `by` fields (None where it has none; empty when the metric is
    # not grouped): a source with some of several fields is down time of the groups it matches
    values: tuple[str | None, ...] = ()
    # False for sources that are not records (slices, composite pieces): not counted as records
    record: bool = True
    # the only time this source may be held responsible for (a member of a redundant group:
    # while the whole group is down); None: all of its interval
    within: list[Interval] | None = None

    def share(self, down: list[Interval]) -> Fraction:
        """The seconds of ``down`` (normalised: sorted, disjoint, UTC) this source accounts for.
        Bisection finds the pieces inside the source, so evidence for thousands of scattered
        down slices stays linear."""
        mine = window(down, *self.interval)
        if self.within is not None:
            mine = intersect(mine, self.within)
        return length(mine)  # window and intersect give normalised pieces


@dataclass
class Downtime:
    """A metric's down intervals over the whole evaluation, and time it leaves out (no data).

    ``groups`` holds one Downtime per value of the metric's ``by`` field, each made from that
    group's records only (slices judged on the group's records, for slice metrics); empty for a
    metric measured without ``by``. The top-level fields are the pooled downtime (all records).
    """

    sources: list[DownSource] = field(default_factory=list)
    skipped: list[Interval] = field(default_factory=list)
    record_times: list[Interval] = field(default_factory=list)
    # record_times made only when asked (a slice metric's: one per slice with records, needed
    # only where the metric's downtime is combined with another's)
    later_record_times: Callable[[], list[Interval]] | None = None
    # How many of record_times overlap a window, when counted without them (slices: from
    # their numbers): otherwise made from record_times.
    record_count: RecordCount | None = None
    measured: bool = True
    unmeasured_reason: str | None = None
    # supplier -> down intervals of that supplier's components (composite metrics)
    by_supplier: dict[str, list[Interval]] = field(default_factory=dict)
    groups: dict[str, Downtime] = field(default_factory=dict)
    # the down intervals when they are not simply the union of the sources (a redundant group
    # is down only where all its components are); None: the union of the sources
    intervals: list[Interval] | None = None

    def times(self) -> list[Interval]:
        """The intervals of the records (or slices with records)."""
        if self.later_record_times is not None:
            self.record_times = self.later_record_times()
            self.later_record_times = None
        return self.record_times

    @property
    def down(self) -> list[Interval]:
        if self.intervals is not None:
            return union(self.intervals)
        return union(s.interval for s in self.sources)

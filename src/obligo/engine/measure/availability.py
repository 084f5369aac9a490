"""Availability and the other interval metrics: total duration, MTTR, MTBF.

Availability in a period is ``(counted - down) / counted * 100``, exactly (fractions of seconds):

- the period runs from its start to its end, or to the evaluation time when it is pending (and
  never past the end of the term);
- *counted* time is that span, restricted to the time the service was deployed or scheduled
  (``only while``: the union of those records' intervals) and to a calendar's opening hours
  (``only during``), less slices without data that the contract skips, less the time of valid
  exclusions that are ``excluded from the period``;
- *down* time is the union of the down intervals (overlapping incidents count once) and of the
  time of exclusion records that were refused (ordinary downtime), inside the counted time, less
  the time of valid exclusions that ``count as available``;
- an open interval (no end yet) is down until the evaluation time.

A period with no counted time has no value (``no data``); a metric whose log has no records of
its down types at all is unmeasured (``no data`` in every period).
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import partial

from obligo.engine.context import EvaluationContext, Record
from obligo.engine.measure import groups as group_keys
from obligo.engine.measure.downtime import DownSource, Downtime, RecordCount
from obligo.engine.measure.exclusions import ExcludedTime, excluded_time, record_interval
from obligo.engine.measure.measurement import (
    KEPT,
    Budget,
    Contribution,
    ExclusionEffect,
    ExclusionRefusal,
    MeasuredLater,
    Measurement,
    WithoutEffect,
)
from obligo.engine.measure.slices import slice_downtime
from obligo.engine.time.intervals import (
    MICROSECOND,
    Interval,
    OverlapCount,
    intersect,
    length,
    overlaps,
    seconds,
    subtract,
    total,
    union,
    utc,
    window,
)
from obligo.engine.time.periods import MeasurementPeriod
from obligo.errors import ObligoError
from obligo.model import metrics as m
from obligo.model.conditions import Selection

__all__ = [
    "DownSource",
    "Downtime",
    "availability",
    "downtime",
    "record_interval",
    "repair_times",
    "total_duration",
]


def group_field(metric: m.Metric) -> tuple[str, ...]:
    """The ``by`` fields of an availability metric (none when it is measured without ``by``)."""
    measure = metric.measure
    return measure.group_by if isinstance(measure, m.Availability) else ()


def _group_of(record: Record, by: tuple[str, ...]) -> str | None:
    return group_keys.key_of_fields(by, record.fields) if by else None


def _counts_for(record: Record, by: tuple[str, ...], name: str) -> bool:
    """Whether a record that is no group's own counts for the group ``name``."""
    return group_keys.applies(group_keys.values_in(by, record.fields), name)


# ------------------------------------------------------------------------------ down time
_IN_PROGRESS = Downtime(measured=False, unmeasured_reason="being computed")


def downtime(
    metric: m.AvailabilityMetric, ctx: EvaluationContext, cache: dict[str, Downtime]
) -> Downtime:
    if metric.id in cache:
        if cache[metric.id] is _IN_PROGRESS:
            raise ObligoError(
                f"metric {metric.id} is a component of itself, through other components",
                file=metric.loc.file,
                line=metric.loc.line,
                column=metric.loc.column,
            )
        return cache[metric.id]
    cache[metric.id] = _IN_PROGRESS
    parts: list[Downtime] = []
    if metric.down_during:
        parts.append(_from_records(metric, ctx))
    if metric.slice_down:
        parts.append(slice_downtime(metric, ctx))
    if metric.down_when is not None:
        parts.append(_composite(metric, metric.down_when, ctx, cache))
    if metric.down_because is not None:
        parts.append(_attributed(metric.down_because, ctx, cache))
    if not parts:  # pragma: no cover - the checks require one of the three
        result = Downtime(measured=False, unmeasured_reason="the metric says no downtime source")
    elif len(parts) == 1:
        result = parts[0]
    else:  # `down during` lines and slice conditions together: down when either says so
        result = _either(parts)
    cache[metric.id] = result
    return result


def _either(parts: list[Downtime]) -> Downtime:
    result = Downtime(
        sources=[s for p in parts for s in p.sources],
        skipped=subtract(
            union(i for p in parts for i in p.skipped), union(i for p in parts for i in p.down)
        ),
        record_times=[i for p in parts for i in p.times()],
        measured=any(p.measured for p in parts),
        unmeasured_reason=next((p.unmeasured_reason for p in parts if not p.measured), None),
        intervals=union(i for p in parts for i in p.down),
    )
    names = sorted({g for p in parts for g in p.groups})
    for name in names:
        result.groups[name] = _either([_group_downtime(p, name) for p in parts])
    return result


def _from_records(metric: m.AvailabilityMetric, ctx: EvaluationContext) -> Downtime:
    by = group_field(metric)
    result = Downtime()
    seen_types: set[str] = set()
    for selection in metric.down_during:
        seen_types.add(selection.record_type)
        for record in ctx.records(selection, list(by)):
            interval = record_interval(record, ctx)
            if interval is None:
                continue
            group = _group_of(record, by)
            values = group_keys.values_in(by, record.fields) if len(by) > 1 else ()
            result.sources.append(
                DownSource(interval, record.type, record.id, group=group, values=values)
            )
            result.record_times.append(interval)
    if not ctx.has_records(seen_types):
        result.measured = False
        result.unmeasured_reason = "unmeasured: the log has no " + " or ".join(
            f"{t} records" for t in sorted(seen_types)
        )
    if by:
        names = {
            s.group
            for s in result.sources
            if s.group is not None and overlaps(s.interval, ctx.start, ctx.end)
        }
        for name in sorted(names):
            mine = [
                s
                for s in result.sources
                if s.group == name or (s.group is None and group_keys.applies(s.values, name))
            ]
            result.groups[name] = Downtime(
                sources=mine,
                record_times=[s.interval for s in mine],
                measured=result.measured,
                unmeasured_reason=result.unmeasured_reason,
            )
    return result


def _group_downtime(source: Downtime, name: str) -> Downtime:
    """One group's downtime: the group's own if the source has it; else (a group known only
    from other records, such as ``only while`` ones) the down *records* that name no group,
    which are down time of every group. Slices judged over all records (the pooled value)
    never count for a group."""
    if name in source.groups:
        return source.groups[name]
    shared = [
        s
        for s in source.sources
        if s.record and s.group is None and group_keys.applies(s.values, name)
    ]
    return Downtime(
        sources=shared,
        skipped=[] if source.groups else list(source.skipped),
        record_times=[s.interval for s in shared],
        measured=source.measured,
        unmeasured_reason=source.unmeasured_reason,
        intervals=None if source.groups else source.intervals,
    )


# ------------------------------------------------------------------------------ composites
@dataclass
class _Leaf:
    supplier: str
    component: str
    down: list[Interval]
    sources: list[DownSource]


def _composite(
    metric: m.AvailabilityMetric,
    composite: m.Composite,
    ctx: EvaluationContext,
    cache: dict[str, Downtime],
) -> Downtime:
    """A chain (``any of``) is down when any component is; a redundant group (``all of``) when
    every component is. Components contribute their own down intervals (their records, slices or
    components); their exclusions and restrictions shape their own values, not the composite's.

    Attribution: a component is *responsible* for a piece of the composite's down time when it is
    down in it and the piece is down time of every group it belongs to up the tree (a member of a
    redundant group is responsible only while the whole group is down). With ``each supplier``
    every supplier with a responsible component bears the piece; with ``first cause`` each
    stretch of end-to-end down time goes, whole, to the supplier of the responsible component
    whose outage began first (ties: the supplier's name)."""
    down, leaves = _tree(composite, ctx, cache)
    parts = [downtime(_component(c, ctx), ctx, cache) for c in _leaf_names(composite)]
    sources: list[DownSource] = []
    for leaf in leaves:
        for source in leaf.sources:
            sources.append(
                DownSource(
                    source.interval,
                    source.type,
                    source.id,
                    detail=f"component {leaf.component} ({leaf.supplier})",
                    record=source.record,
                    within=(
                        leaf.down if source.within is None else intersect(source.within, leaf.down)
                    ),
                )
            )
    result = Downtime(
        sources=sources,
        record_times=[s.interval for s in sources if s.record],
        measured=all(p.measured for p in parts),
        unmeasured_reason=next((p.unmeasured_reason for p in parts if not p.measured), None),
        intervals=down,
    )
    if metric.attribution == "first_cause":
        result.by_supplier = _first_cause(down, leaves)
    else:
        for leaf in leaves:
            attributed = intersect(down, leaf.down)
            if attributed:
                known = result.by_supplier.get(leaf.supplier, [])
                result.by_supplier[leaf.supplier] = union([*known, *attributed])
    return result


def _attributed(
    down: m.AttributedDown, ctx: EvaluationContext, cache: dict[str, Downtime]
) -> Downtime:
    """``down when checkout-uptime is down because of north-colo``: the composite's down time
    that its attribution rule gives to the supplier; the composite's records are the evidence,
    each held responsible only inside that time."""
    composite = downtime(_component(down.metric, ctx), ctx, cache)
    attributed = composite.by_supplier.get(down.supplier, [])
    return Downtime(
        sources=[
            replace(
                source,
                within=attributed
                if source.within is None
                else intersect(source.within, attributed),
            )
            for source in composite.sources
        ],
        record_times=composite.times(),
        measured=composite.measured,
        unmeasured_reason=composite.unmeasured_reason,
        intervals=attributed,
    )


def _component(name: str, ctx: EvaluationContext) -> m.AvailabilityMetric:
    """The availability metric a composite is made of (the checks reject any other kind)."""
    metric = ctx.metric(name)
    if not isinstance(metric, m.AvailabilityMetric):
        raise ObligoError(
            f"component {name} is not an availability metric",
            file=metric.loc.file,
            line=metric.loc.line,
            column=metric.loc.column,
        )
    return metric


def _leaf_names(composite: m.Composite) -> list[str]:
    names: list[str] = []
    for component in composite.components:
        if isinstance(component, m.Composite):
            names.extend(_leaf_names(component))
        else:
            names.append(component)
    return names


def _tree(
    composite: m.Composite, ctx: EvaluationContext, cache: dict[str, Downtime]
) -> tuple[list[Interval], list[_Leaf]]:
    """The group's down intervals and its leaves, each cut to the time it is responsible for."""
    children: list[tuple[list[Interval], list[_Leaf]]] = []
    for component in composite.components:
        if isinstance(component, m.Composite):
            children.append(_tree(component, ctx, cache))
        else:
            component_metric = _component(component, ctx)
            part = downtime(component_metric, ctx, cache)
            leaf = _Leaf(_supplier(component_metric, ctx), component, part.down, part.sources)
            children.append((part.down, [leaf]))
    if composite.mode == "any":
        down = union(i for child_down, _ in children for i in child_down)
    else:
        down = children[0][0] if children else []
        for child_down, _ in children[1:]:
            down = intersect(down, child_down)
    leaves = [
        _Leaf(leaf.supplier, leaf.component, intersect(leaf.down, down), leaf.sources)
        for _, child_leaves in children
        for leaf in child_leaves
    ]
    return down, leaves


def _first_cause(down: list[Interval], leaves: list[_Leaf]) -> dict[str, list[Interval]]:
    """Each stretch of end-to-end down time goes to the supplier whose outage began first."""
    owned: dict[str, list[Interval]] = {}
    for piece in down:
        candidates = [
            (start, leaf.supplier)
            for leaf in leaves
            for start, end in leaf.down
            if start < piece[1] and end > piece[0]
        ]
        if candidates:
            supplier = min(candidates)[1]
            owned.setdefault(supplier, []).append(piece)
    return {k: union(v) for k, v in owned.items()}


def _supplier(metric: m.Metric, ctx: EvaluationContext) -> str:
    service_id = metric.service
    if isinstance(metric.measure, m.Availability) and metric.measure.service:
        service_id = metric.measure.service
    service = ctx.agreement.services.get(service_id or "")
    if service is not None and service.delivered_by:
        return service.delivered_by
    return f"component {metric.id}"


# ---------------------------------------------------------------------------- restrictions
FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


@dataclass
class Restrictions:
    """What narrows a metric's counted time: deployment, calendar, exclusions."""

    deployed: list[Interval] | None
    # The same with intervals still open carried on past the evaluation time: what a pending
    # period's error budget assumes (the service stays deployed).
    deployed_projection: list[Interval] | None
    calendar: str | None
    exclusions: list[ExcludedTime]
    # the deployment records with their groups (grouped metrics)
    deployments: list[tuple[Record, Interval | None]] = field(default_factory=list)

    def for_group(self, by: tuple[str, ...], name: str) -> Restrictions:
        """The restrictions of one group: records with that value in the ``by`` field, and
        records without the field (which apply to every group); by several fields, records
        whose values of the fields they have are the group's."""

        def keep(record: Record) -> bool:
            return _counts_for(record, by, name)

        deployed = projection = None
        if self.deployed is not None:
            deployed, projection = _deployed(r for r in self.deployments if keep(r[0]))
        return Restrictions(
            deployed,
            projection,
            self.calendar,
            [ex.only(keep) for ex in self.exclusions],
            [r for r in self.deployments if keep(r[0])],
        )


def _deployed(
    found: Iterable[tuple[Record, Interval | None]],
) -> tuple[list[Interval], list[Interval]]:
    actual: list[Interval] = []
    projected: list[Interval] = []
    for record, interval in found:
        if interval is not None:
            actual.append(interval)
        if record.start is not None and record.end is None:
            projected.append((record.start, FAR_FUTURE))
    return union(actual), union([*actual, *projected])


def restrictions(metric: m.CountedTimeMetric, ctx: EvaluationContext) -> Restrictions:
    by = group_field(metric)
    extra = by
    deployed: list[Interval] | None = None
    projection: list[Interval] | None = None
    deployments: list[tuple[Record, Interval | None]] = []
    if metric.only_while:
        for selection in metric.only_while:
            for record in ctx.records(selection, list(extra)):
                deployments.append((record, record_interval(record, ctx)))
        deployed, projection = _deployed(deployments)
    exclusions = [
        excluded_time(ctx.agreement.exclusions[name], ctx, extra) for name in metric.excluding
    ]
    return Restrictions(deployed, projection, metric.only_during, exclusions, deployments)


def counted_time(
    start: dt.datetime,
    end: dt.datetime,
    limits: Restrictions,
    ctx: EvaluationContext,
    skipped: Sequence[Interval],
    projected: bool = False,
) -> list[Interval]:
    """The period's time that counts, before exclusions."""
    base: list[Interval] = [(start, end)] if end > start else []
    deployed = limits.deployed_projection if projected else limits.deployed
    if deployed is not None:
        base = window(deployed, start, end)
    if limits.calendar is not None and base:
        base = intersect(base, ctx.calendar(limits.calendar).opening_intervals(start, end))
    return subtract(base, window(union(skipped), start, end)) if skipped else base


# ------------------------------------------------------------------------- one period's value
@dataclass
class _Prepared:
    """A metric's inputs for one group (or for all records), normalised once."""

    source: Downtime
    limits: Restrictions
    down: list[Interval]  # the union of the down sources and of refused exclusion time
    skipped: list[Interval]
    removed: list[Interval]  # valid `excluded from the period` time, all of it
    available: list[Interval]  # valid `counts as available` time, all of it
    sources: list[DownSource]  # down sources and refused exclusion time, for the evidence
    records: RecordCount  # the records (or slices with records) overlapping a window
    evidence: _SourceIndex = field(init=False)

    def __post_init__(self) -> None:
        self.evidence = _SourceIndex(self.sources)


class _SourceIndex:
    """The sources of down time in the order of their start (UTC), with the latest end so far,
    so that the sources overlapping a period are found by two bisections, not a pass over all
    of them (a slice metric has a source per run of down slices over the whole evaluation)."""

    def __init__(self, sources: Sequence[DownSource]) -> None:
        self.ordered = sorted(
            (
                (utc(s.interval[0]), utc(s.interval[1]), number, s)
                for number, s in enumerate(sources)
            ),
            key=lambda item: (item[0], item[2]),
        )
        self.starts = [start for start, _, _, _ in self.ordered]
        self.reach: list[dt.datetime] = []  # the latest end among the sources up to each
        for _, end, _, _ in self.ordered:
            self.reach.append(end if not self.reach or end > self.reach[-1] else self.reach[-1])

    def overlapping(
        self, lo: dt.datetime, hi: dt.datetime
    ) -> Iterable[tuple[dt.datetime, dt.datetime, int, DownSource]]:
        """The sources with ``start < hi`` and ``end > lo`` (``lo``, ``hi`` in UTC)."""
        first = bisect_right(self.reach, lo)  # every source before it ends by lo
        last = bisect_left(self.starts, hi)
        for item in self.ordered[first:last]:
            if item[1] > lo:
                yield item


def _prepare(source: Downtime, limits: Restrictions) -> _Prepared:
    refused = [
        DownSource(
            interval,
            refusal.record.type,
            refusal.record.id,
            detail=f"exclusion {ex.exclusion.id} refused: {refusal.report.reason}",
        )
        for ex in limits.exclusions
        for refusal in ex.refusals
        for interval in refusal.intervals
    ]
    removed = union(
        iv
        for ex in limits.exclusions
        if ex.treatment == "excluded_from_period"
        for iv, _ in ex.intervals
    )
    available = union(
        iv
        for ex in limits.exclusions
        if ex.treatment == "counts_as_available"
        for iv, _ in ex.intervals
    )
    return _Prepared(
        source=source,
        limits=limits,
        down=union([*source.down, *(s.interval for s in refused)]),
        skipped=union(source.skipped),
        removed=removed,
        available=available,
        sources=[*source.sources, *refused],
        records=source.record_count or OverlapCount(source.times()),
    )


@dataclass
class _PeriodTime:
    base: list[Interval]  # counted time before exclusions
    counted: list[Interval]
    down: list[Interval]
    removed: list[Interval]  # excluded from the period, inside base
    good: list[Interval]  # down time counted as available, inside counted


def _period_time(
    prep: _Prepared, start: dt.datetime, end: dt.datetime, ctx: EvaluationContext
) -> _PeriodTime:
    base = counted_time(start, end, prep.limits, ctx, prep.skipped)
    removed = intersect(window(prep.removed, start, end), base)
    counted = subtract(base, removed)
    raw_down = intersect(window(prep.down, start, end), counted)
    good = intersect(window(prep.available, start, end), raw_down)
    return _PeriodTime(base, counted, subtract(raw_down, good), removed, good)


def _measure(
    prep: _Prepared,
    period: MeasurementPeriod,
    ctx: EvaluationContext,
    suppliers: dict[str, list[Interval]],
) -> Measurement:
    end = max(min(period.end, ctx.end), period.start)
    time = _period_time(prep, period.start, end, ctx)
    counted_seconds = total(time.counted)
    down_seconds = total(time.down)
    measurement = Measurement(value=None, dimension="percent")
    measurement.records = prep.records(period.start, end)
    measurement.totals = {
        "period_seconds": seconds(period.start, end),
        "counted_seconds": counted_seconds,
        "down_seconds": down_seconds,
        "excluded_seconds": total(time.removed),
    }
    if time.good:
        measurement.totals["counted_as_available_seconds"] = total(time.good)
    for supplier, intervals in sorted(suppliers.items()):
        measurement.totals[f"attributed_seconds:{supplier}"] = total(
            intersect(window(intervals, period.start, end), time.down)
        )
    measurement.exclusions = _applied(prep.limits.exclusions, time)
    measurement.refused = _refused(prep.limits.exclusions, period.start, end)
    _contributors(measurement, prep.evidence, time.down)
    # Read by `obligo explain` only: found if it asks (what it needs is kept, not the rest).
    measurement.find_without_effect(
        partial(_without_effect, prep.evidence, time.down, time.removed, period.start, end)
    )
    if not prep.source.measured:
        measurement.no_data = prep.source.unmeasured_reason
    elif counted_seconds == 0:
        measurement.no_data = "no counted time in the period"
    else:
        measurement.value = (counted_seconds - down_seconds) / counted_seconds * 100
    if end < period.end:
        # A pending period: the counted time of the whole period, assuming that what is open
        # stays open (deployments) and that no more time is skipped than so far.
        full = counted_time(period.start, period.end, prep.limits, ctx, prep.skipped, True)
        capacity = total(subtract(full, window(prep.removed, period.start, period.end)))
    else:
        capacity = counted_seconds
    measurement.budget = Budget(capacity=capacity, bad=down_seconds, unit="seconds of downtime")
    return measurement


def availability(
    metric: m.AvailabilityMetric, ctx: EvaluationContext, cache: dict[str, Downtime]
) -> dict[str, Measurement]:
    source = downtime(metric, ctx, cache)
    limits = restrictions(metric, ctx)
    by = group_field(metric)
    grouped: dict[str, _Prepared] = {}
    if by:
        for name in _group_names(source, limits, by, ctx):
            grouped[name] = _prepare(_group_downtime(source, name), limits.for_group(by, name))
    pooled = functools.cache(partial(_prepare, source, limits))  # made once, if at all

    def pooled_in(period: MeasurementPeriod) -> Measurement:
        return _measure(pooled(), period, ctx, source.by_supplier)

    results: dict[str, Measurement] = {}
    for period in ctx.periods(metric.period):
        measurement: Measurement
        if grouped:
            # Promised per group, the value over every record is read only by what reads the
            # metric as a whole (a trigger, a fee): made then.
            measurement = MeasuredLater(partial(pooled_in, period), "percent")
        else:
            measurement = pooled_in(period)
        for name, prep in grouped.items():
            measurement.groups[name] = _measure(prep, period, ctx, {})
        results[period.label] = measurement
    return results


def _group_names(
    source: Downtime, limits: Restrictions, by: tuple[str, ...], ctx: EvaluationContext
) -> list[str]:
    """The groups of a metric measured ``by`` a field: the values seen over the evaluation in its
    down records (or its slices' groups) and in its ``only while`` records."""
    names = set(source.groups)
    for record, interval in limits.deployments:
        name = _group_of(record, by)
        if name is not None and interval is not None and overlaps(interval, ctx.start, ctx.end):
            names.add(name)
    return sorted(names)


def _applied(exclusions: list[ExcludedTime], time: _PeriodTime) -> list[ExclusionEffect]:
    applied: list[ExclusionEffect] = []
    for ex in exclusions:
        scope = time.base if ex.treatment == "excluded_from_period" else time.good
        effect: list[Interval] = []
        counted: set[int] = set()  # the records (objects) whose time had an effect
        for interval, record in ex.intervals:
            piece = intersect([interval], scope)
            if piece:
                effect.extend(piece)
                counted.add(id(record))
        records = len(counted)
        if effect:
            applied.append(
                ExclusionEffect(
                    exclusion=ex.exclusion.id,
                    reason=ex.exclusion.title or ex.exclusion.id,
                    treatment=ex.exclusion.treatment,
                    seconds=total(effect),
                    records=records,
                )
            )
    return applied


def _refused(
    exclusions: list[ExcludedTime], start: dt.datetime, end: dt.datetime
) -> list[ExclusionRefusal]:
    """The refusals of records whose time falls in the period."""
    return [
        refusal.report
        for ex in exclusions
        for refusal in ex.refusals
        if any(overlaps(interval, start, end) for interval in refusal.intervals)
    ]


def _contributors(measurement: Measurement, sources: _SourceIndex, down: list[Interval]) -> None:
    """The measurement's contributors: each source of down time with its share of the period's
    down time (overlapping sources each show their whole share), largest first. Only the
    ``KEPT`` largest are kept (the ``TOP`` a verdict shows are the first of them), with the
    count of all in ``contributors_total``: a slice metric can have tens of thousands of
    down runs in a period."""
    # ``down`` is normalised (the period's down time, as _period_time gives it), so that each
    # source's share is found by bisection
    measurement.contributors_total = 0
    if not down:
        measurement.contributors = []
        return
    ends = [end for _, end in down]
    # Shares in whole microseconds (what they are: instants carry microseconds), ranked as
    # integers; only the KEPT largest become fractions.
    ranked: list[tuple[int, dt.datetime, str, str, int, DownSource]] = []
    for start, end, number, source in sources.overlapping(down[0][0], down[-1][1]):
        if source.within is None:
            share = _micros_inside(down, ends, start, end)
        else:  # a component's record, responsible only for part of its time
            share = int(source.share(down) * 1_000_000)
        if share > 0:
            # The verdict's order (-seconds, start, id), then type and position to break ties.
            ranked.append((-share, start, source.id or "", source.type, number, source))
    measurement.contributors_total = len(ranked)
    measurement.contributors = [
        Contribution(
            type=source.type,
            id=source.id,
            start=source.interval[0],
            end=source.interval[1],
            seconds=Fraction(-negative, 1_000_000),
            detail=source.detail,
        )
        for negative, _, _, _, _, source in heapq.nsmallest(KEPT, ranked, key=_rank)
    ]


def _micros_inside(
    down: list[Interval], ends: list[dt.datetime], start: dt.datetime, end: dt.datetime
) -> int:
    """The microseconds of ``down`` (normalised; ``ends`` its ends) inside [start, end), UTC:
    ``DownSource.share`` without the lists it builds, for the tens of thousands of runs of
    down slices a slice metric has."""
    if end <= start:
        return 0
    whole = dt.timedelta(0)
    i = bisect_right(ends, start)  # the first piece that ends after the start
    while i < len(down):
        lo, hi = down[i]
        if lo >= end:
            break
        whole += (hi if hi < end else end) - (lo if lo > start else start)
        i += 1
    return whole // MICROSECOND


def _without_effect(
    sources: _SourceIndex,
    down: list[Interval],
    removed: list[Interval],
    start: dt.datetime,
    end: dt.datetime,
) -> WithoutEffect:
    """The down records that overlap the period and added no down time to it, each with the
    reason: its time in the period was excluded (an exclusion took it out), or lies outside
    the counted time (``only while``/``only during``: before a deployment, say). The first
    ``KEPT`` in time order are kept, with the count of all."""
    found: list[Contribution] = []
    count = 0
    lo, hi = utc(start), utc(end)
    # down and removed (the period's, as _period_time gives them) are normalised (sorted, disjoint, UTC): a source's part of
    # them is found by bisection, not by merging them again per source (a slice metric has
    # tens of thousands of down runs, each a source, and intersecting each with all of them
    # made this quadratic).
    for _, _, _, source in sources.overlapping(lo, hi):
        inside_start = max(utc(source.interval[0]), lo)
        inside_end = min(utc(source.interval[1]), hi)
        if inside_end <= inside_start or window(down, inside_start, inside_end):
            continue
        inside = seconds(inside_start, inside_end)
        excluded = length(window(removed, inside_start, inside_end))
        if excluded == inside:
            reason = "its time in the period was excluded"
        elif excluded == 0:
            reason = "its time in the period is outside the counted time"
        else:
            reason = "its time in the period was excluded or is outside the counted time"
        count += 1
        if len(found) < KEPT:
            found.append(
                Contribution(
                    type=source.type,
                    id=source.id,
                    start=source.interval[0],
                    end=source.interval[1],
                    seconds=inside,
                    detail=reason,
                )
            )
    return tuple(found), count


def _rank(item: tuple[int, dt.datetime, str, str, int, DownSource]) -> tuple[object, ...]:
    return item[:5]


def _contributor_order(item: Contribution) -> tuple[Fraction, dt.datetime, str, str]:
    size = -item.seconds if item.seconds is not None else Fraction(0)
    start = (item.start or dt.datetime.max.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    return (size, start, item.id or "", item.type)


# ------------------------------------------------------------------- duration, MTTR and MTBF
def _interval_sources(
    selection: Selection, ctx: EvaluationContext
) -> tuple[list[Record], Downtime]:
    records = ctx.records(selection)
    source = Downtime()
    for record in records:
        interval = record_interval(record, ctx)
        if interval is not None:
            source.sources.append(DownSource(interval, record.type, record.id))
            source.record_times.append(interval)
    return records, source


def total_duration(
    metric: m.TotalDurationMetric, ctx: EvaluationContext, _: dict[str, Downtime]
) -> dict[str, Measurement]:
    """The time covered by the selected records in each period: the union of their intervals
    (overlaps once), clipped to the period and to the counted time (``only while``, ``only
    during``), without time that an exclusion takes out (either treatment: it is not held
    against the provider), with refused exclusion time added as ordinary downtime."""
    source = _interval_sources(metric.measure.selection, ctx)[1]
    prep = _prepare(source, restrictions(metric, ctx))
    results: dict[str, Measurement] = {}
    for period in ctx.periods(metric.period):
        end = max(min(period.end, ctx.end), period.start)
        time = _period_time(prep, period.start, end, ctx)
        value = total(time.down)
        measurement = Measurement(
            value=value,
            dimension="duration",
            records=prep.records(period.start, end),
        )
        measurement.totals = {"total_seconds": value, "period_seconds": seconds(period.start, end)}
        _contributors(measurement, prep.evidence, time.down)
        measurement.exclusions = _applied(prep.limits.exclusions, time)
        measurement.refused = _refused(prep.limits.exclusions, period.start, end)
        results[period.label] = measurement
    return results


def repair_times(
    metric: m.MeanTimeToRepairMetric | m.MeanTimeBetweenFailuresMetric,
    ctx: EvaluationContext,
    cache: dict[str, Downtime],
) -> dict[str, Measurement]:
    """MTTR: the mean duration (end - start, wall-clock) of the failures that started in the
    period and have ended; a failure still open is left out until it ends. MTBF: the period's up
    time (its counted time less its down time, as for availability) divided by the number of
    failures that started in it."""
    measure = metric.measure
    records, source = _interval_sources(measure.selection, ctx)
    starts = [r for r in records if r.start is not None]
    prep = (
        _prepare(source, restrictions(metric, ctx))
        if isinstance(metric, m.MeanTimeBetweenFailuresMetric)
        else None
    )
    results: dict[str, Measurement] = {}
    for period in ctx.periods(metric.period):
        end = max(min(period.end, ctx.end), period.start)
        started = [r for r in starts if r.start is not None and period.start <= r.start < end]
        measurement = Measurement(value=None, dimension="duration", records=len(started))
        if prep is None:
            closed = [
                (r, r.start, r.end) for r in started if r.start and r.end and r.end >= r.start
            ]
            durations = [seconds(s, e) for _, s, e in closed]
            measurement.totals = {
                "failures": len(started),
                "repaired": len(closed),
                "repair_seconds": sum(durations, Fraction(0)),
            }
            if durations:
                measurement.value = sum(durations, Fraction(0)) / len(durations)
            else:
                measurement.no_data = "no repaired failure in the period"
            measurement.contributors = sorted(
                (
                    Contribution(
                        type=r.type,
                        id=r.id,
                        start=s,
                        end=e,
                        seconds=seconds(s, e),
                    )
                    for r, s, e in closed
                ),
                key=_contributor_order,
            )
        else:
            time = _period_time(prep, period.start, end, ctx)
            down = total(time.down)
            up = total(time.counted) - down
            measurement.totals = {
                "failures": len(started),
                "up_seconds": up,
                "down_seconds": down,
                "counted_seconds": total(time.counted),
            }
            _contributors(measurement, prep.evidence, time.down)
            measurement.exclusions = _applied(prep.limits.exclusions, time)
            if started:
                measurement.value = up / len(started)
            else:
                measurement.no_data = "no failure in the period: nothing to measure between"
        results[period.label] = measurement
    return results

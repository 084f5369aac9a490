"""Availability and the other interval metrics: total duration, MTTR, MTBF.

Availability in a period is ``(counted - down) / counted``, exactly:

- *counted* time is the period (up to the evaluation time when it is pending), restricted to the
  time the service was deployed or scheduled (``only while``) and to a calendar's hours
  (``only during``), less time without data that the contract skips, less exclusions that are
  ``excluded from the period``;
- *down* time is the union of the down intervals (overlapping incidents count once) inside the
  counted time, less exclusions that ``count as available``;
- an open interval (no end yet) is down until the evaluation time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from obligo.engine.context import EvaluationContext, Record
from obligo.engine.exclusions import ExcludedTime, excluded_time
from obligo.engine.intervals import Interval, intersect, seconds, subtract, total, union
from obligo.engine.measurement import Budget, Measurement
from obligo.engine.numbers import decimal_text
from obligo.engine.periods import MeasurementPeriod
from obligo.model import metrics as m
from obligo.report.model import Contributor, ExclusionApplied


@dataclass
class DownSource:
    interval: Interval
    type: str
    id: str | None
    detail: str | None = None


@dataclass
class Downtime:
    """A metric's down intervals over the whole evaluation, and time it leaves out (no data)."""

    sources: list[DownSource] = field(default_factory=list)
    skipped: list[Interval] = field(default_factory=list)
    record_times: list[Interval] = field(default_factory=list)
    measured: bool = True
    unmeasured_reason: str | None = None
    # supplier -> down intervals of that supplier's components (composite metrics)
    by_supplier: dict[str, list[Interval]] = field(default_factory=dict)

    @property
    def down(self) -> list[Interval]:
        return union(s.interval for s in self.sources)


def record_interval(record: Record, ctx: EvaluationContext) -> Interval | None:
    if record.start is None:
        return None
    end = record.end if record.end is not None else ctx.at
    end = min(end, ctx.end) if record.end is None else end
    return (record.start, end) if end > record.start else None


def downtime(metric: m.Metric, ctx: EvaluationContext, cache: dict[str, Downtime]) -> Downtime:
    if metric.id in cache:
        return cache[metric.id]
    if metric.down_during:
        result = _from_records(metric, ctx)
    elif metric.slice_down:
        from obligo.engine.slices import slice_downtime

        result = slice_downtime(metric, ctx)
    elif metric.down_when is not None:
        result = _composite(metric, metric.down_when, ctx, cache)
    else:  # pragma: no cover - the checks require one of the three
        result = Downtime(measured=False, unmeasured_reason="the metric says no downtime source")
    cache[metric.id] = result
    return result


def _from_records(metric: m.Metric, ctx: EvaluationContext) -> Downtime:
    result = Downtime()
    seen_types: set[str] = set()
    for selection in metric.down_during:
        seen_types.add(selection.record_type)
        for record in ctx.records(selection):
            interval = record_interval(record, ctx)
            if interval is None:
                continue
            result.sources.append(DownSource(interval, record.type, record.id))
            result.record_times.append(interval)
    if not _type_present(ctx, seen_types):
        result.measured = False
        result.unmeasured_reason = "unmeasured: the log has no " + " or ".join(
            f"{t} records" for t in sorted(seen_types)
        )
    return result


def _type_present(ctx: EvaluationContext, types: set[str]) -> bool:
    if not types:
        return False
    marks = ", ".join("?" for _ in types)
    rows = ctx.query(f'SELECT count(*) FROM events WHERE "type" IN ({marks})', sorted(types))
    return bool(rows[0][0])


def _composite(
    metric: m.Metric, composite: m.Composite, ctx: EvaluationContext, cache: dict[str, Downtime]
) -> Downtime:
    parts: list[Downtime] = []
    leaves: list[tuple[str, Downtime]] = []
    for component in composite.components:
        if isinstance(component, m.Composite):
            part = _composite(metric, component, ctx, cache)
            for supplier, intervals in part.by_supplier.items():
                leaves.append(
                    (
                        supplier,
                        Downtime(sources=[DownSource(i, "component", None) for i in intervals]),
                    )
                )
        else:
            component_metric = ctx.metric(component)
            part = downtime(component_metric, ctx, cache)
            leaves.append((_supplier(component_metric, ctx), part))
        parts.append(part)
    if composite.mode == "any":
        down = union(i for part in parts for i in part.down)
    else:
        down = parts[0].down
        for part in parts[1:]:
            down = intersect(down, part.down)
    result = Downtime(
        sources=[
            DownSource(i, "end-to-end", None, detail=composite.mode + " of components")
            for i in down
        ],
        skipped=[],
        measured=all(p.measured for p in parts),
        unmeasured_reason=next((p.unmeasured_reason for p in parts if not p.measured), None),
    )
    for supplier, leaf in leaves:
        attributed = intersect(down, leaf.down)
        if attributed:
            result.by_supplier.setdefault(supplier, [])
            result.by_supplier[supplier] = union([*result.by_supplier[supplier], *attributed])
    if metric.attribution == "first_cause" and composite is metric.down_when:
        result.by_supplier = _first_cause(down, leaves)
    return result


def _first_cause(
    down: list[Interval], leaves: list[tuple[str, Downtime]]
) -> dict[str, list[Interval]]:
    """Each piece of end-to-end downtime goes to the supplier whose outage began first."""
    owned: dict[str, list[Interval]] = {}
    for piece in down:
        candidates = []
        for supplier, leaf in leaves:
            for interval in leaf.down:
                if interval[0] < piece[1] and interval[1] > piece[0]:
                    candidates.append((interval[0], supplier))
        if candidates:
            supplier = min(candidates)[1]
            owned.setdefault(supplier, []).append(piece)
    return {k: union(v) for k, v in owned.items()}


def _supplier(metric: m.Metric, ctx: EvaluationContext) -> str:
    service_id = metric.service
    if isinstance(metric.measure, m.Availability) and metric.measure.service:
        service_id = metric.measure.service
    service = ctx.scope.services.get(service_id or "")
    if service is not None and service.delivered_by:
        return service.delivered_by
    return f"component {metric.id}"


@dataclass
class Restrictions:
    """What narrows a metric's counted time: deployment, calendar, exclusions."""

    deployed: list[Interval] | None
    # The same with intervals still open carried on past the evaluation time: what a pending
    # period's error budget assumes (the service stays deployed).
    deployed_projection: list[Interval] | None
    calendar: str | None
    exclusions: list[ExcludedTime]


FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


def restrictions(metric: m.Metric, ctx: EvaluationContext) -> Restrictions:
    deployed: list[Interval] | None = None
    projection: list[Interval] | None = None
    if metric.only_while:
        found: list[Interval] = []
        projected: list[Interval] = []
        for selection in metric.only_while:
            for record in ctx.records(selection):
                interval = record_interval(record, ctx)
                if interval is not None:
                    found.append(interval)
                if record.start is not None and record.end is None:
                    projected.append((record.start, FAR_FUTURE))
        deployed = union(found)
        projection = union([*found, *projected])
    exclusions = [excluded_time(ctx.scope.exclusions[name], ctx) for name in metric.excluding]
    return Restrictions(deployed, projection, metric.only_during, exclusions)


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
        base = intersect(base, deployed)
    if limits.calendar is not None and base:
        base = intersect(base, ctx.calendar(limits.calendar).opening_intervals(start, end))
    return subtract(base, skipped)


def availability(
    metric: m.Metric, ctx: EvaluationContext, cache: dict[str, Downtime]
) -> dict[str, Measurement]:
    source = downtime(metric, ctx, cache)
    limits = restrictions(metric, ctx)
    results: dict[str, Measurement] = {}
    down_all = source.down
    for period in ctx.periods(metric.period):
        end = min(period.end, ctx.end)
        base = counted_time(period.start, end, limits, ctx, source.skipped)
        full = counted_time(period.start, period.end, limits, ctx, source.skipped, projected=True)
        removed, good, applied = _apply_exclusions(limits.exclusions, base, down_all)
        counted = subtract(base, removed)
        down = subtract(intersect(down_all, counted), good)
        counted_seconds = total(counted)
        down_seconds = total(down)
        measurement = Measurement(value=None, dimension="percent")
        measurement.records = sum(
            1 for iv in source.record_times if iv[0] < end and iv[1] > period.start
        )
        measurement.totals = {
            "period_seconds": seconds(period.start, end),
            "counted_seconds": counted_seconds,
            "down_seconds": down_seconds,
            "excluded_seconds": total(removed),
        }
        for supplier, intervals in sorted(source.by_supplier.items()):
            measurement.totals[f"attributed_seconds:{supplier}"] = total(intersect(intervals, down))
        measurement.exclusions = applied
        measurement.refused = [
            r
            for ex in limits.exclusions
            for r in ex.refused
            if r.start is not None and period.start <= r.start < end
        ]
        measurement.contributors = _contributors(source.sources, down)
        if not source.measured:
            measurement.no_data = source.unmeasured_reason
        elif counted_seconds == 0:
            measurement.no_data = "no counted time in the period"
        else:
            measurement.value = (counted_seconds - down_seconds) / counted_seconds * 100
        full_counted = subtract(full, _removed_pieces(limits.exclusions))
        measurement.budget = Budget(
            capacity=total(full_counted), bad=down_seconds, unit="seconds of downtime"
        )
        results[period.label] = measurement
    return results


def _removed_pieces(exclusions: list[ExcludedTime]) -> list[Interval]:
    return union(
        iv
        for ex in exclusions
        if ex.exclusion.treatment == "excluded_from_period"
        for iv, _ in ex.intervals
    )


def _apply_exclusions(
    exclusions: list[ExcludedTime], base: list[Interval], down_all: list[Interval]
) -> tuple[list[Interval], list[Interval], list[ExclusionApplied]]:
    removed: list[Interval] = []
    good: list[Interval] = []
    applied: list[ExclusionApplied] = []
    for ex in exclusions:
        pieces = union(iv for iv, _ in ex.intervals)
        if ex.exclusion.treatment == "excluded_from_period":
            effect = intersect(pieces, base)
            removed = union([*removed, *effect])
        else:
            effect = intersect(intersect(pieces, base), down_all)
            good = union([*good, *effect])
        records = {(r.type, r.id, r.start) for iv, r in ex.intervals if intersect([iv], base)}
        if effect:
            applied.append(
                ExclusionApplied(
                    exclusion=ex.exclusion.id,
                    reason=ex.exclusion.title or ex.exclusion.id,
                    treatment=ex.exclusion.treatment,
                    seconds=decimal_text(total(effect)),
                    records=len(records),
                )
            )
    return removed, good, applied


def _contributors(sources: list[DownSource], down: list[Interval]) -> list[Contributor]:
    found: list[tuple[Fraction, DownSource]] = []
    for source in sources:
        share = total(intersect([source.interval], down))
        if share > 0:
            found.append((share, source))
    return [
        Contributor(
            type=s.type,
            id=s.id,
            start=s.interval[0],
            end=s.interval[1],
            seconds=decimal_text(share),
            detail=s.detail,
        )
        for share, s in found
    ]


def total_duration(
    metric: m.Metric, ctx: EvaluationContext, _: dict[str, Downtime]
) -> dict[str, Measurement]:
    """The union of the selected records' intervals in each period, in seconds."""
    assert isinstance(metric.measure, m.TotalDuration)
    records = ctx.records(metric.measure.selection)
    sources = [
        DownSource(iv, r.type, r.id) for r in records if (iv := record_interval(r, ctx)) is not None
    ]
    limits = restrictions(metric, ctx)
    results: dict[str, Measurement] = {}
    all_down = union(s.interval for s in sources)
    for period in ctx.periods(metric.period):
        end = min(period.end, ctx.end)
        base = counted_time(period.start, end, limits, ctx, [])
        removed, good, applied = _apply_exclusions(limits.exclusions, base, all_down)
        down = subtract(intersect(all_down, subtract(base, removed)), good)
        value = total(down)
        measurement = Measurement(
            value=value,
            dimension="duration",
            records=sum(1 for s in sources if s.interval[0] < end and s.interval[1] > period.start),
        )
        measurement.totals = {"total_seconds": value, "period_seconds": seconds(period.start, end)}
        measurement.contributors = _contributors(sources, down)
        measurement.exclusions = applied
        results[period.label] = measurement
    return results


def repair_times(
    metric: m.Metric, ctx: EvaluationContext, cache: dict[str, Downtime]
) -> dict[str, Measurement]:
    """MTTR (mean of end - start of the records that started in the period and are closed) and
    MTBF (the period's up time divided by the number of failures that started in it)."""
    measure = metric.measure
    assert isinstance(measure, m.MeanTimeToRepair | m.MeanTimeBetweenFailures)
    records = [r for r in ctx.records(measure.selection) if r.start is not None]
    results: dict[str, Measurement] = {}
    for period in ctx.periods(metric.period):
        end = min(period.end, ctx.end)
        started = [r for r in records if r.start is not None and period.start <= r.start < end]
        measurement = Measurement(value=None, dimension="duration", records=len(started))
        if isinstance(measure, m.MeanTimeToRepair):
            closed = [r for r in started if r.end is not None]
            durations = [seconds(r.start, r.end) for r in closed if r.start and r.end]
            measurement.totals = {"failures": len(started), "repaired": len(closed)}
            if durations:
                measurement.value = sum(durations, Fraction(0)) / len(durations)
            else:
                measurement.no_data = "no repaired failure in the period"
            measurement.contributors = [
                Contributor(
                    type=r.type,
                    id=r.id,
                    start=r.start,
                    end=r.end,
                    seconds=decimal_text(seconds(r.start, r.end)),
                )
                for r in closed
                if r.start and r.end
            ]
        else:
            down = total(
                clip_all([iv for r in records if (iv := record_interval(r, ctx))], period, end)
            )
            up = seconds(period.start, end) - down
            measurement.totals = {"failures": len(started), "up_seconds": up, "down_seconds": down}
            if started:
                measurement.value = up / len(started)
            else:
                measurement.no_data = "no failure in the period: nothing to measure between"
        results[period.label] = measurement
    return results


def clip_all(
    intervals: list[Interval], period: MeasurementPeriod, end: dt.datetime
) -> list[Interval]:
    return intersect(intervals, [(period.start, end)])

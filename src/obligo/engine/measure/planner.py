"""The plan pass: every grouped query the agreement's metrics need, merged into the fewest scans.

Before any metric is measured, :func:`plan_measurements` asks each measure for the scans it will
read (the same function the measure calls then), and decides, in three steps:

1. **Partitions.** Metrics over one value each of a text field (``service = "s5"``,
   ``service = "s6"``...) that would otherwise read the same grid become the cells of one scan
   grouped by that field (:mod:`obligo.engine.measure.partitions`): a contract of a thousand services
   is one scan, not a thousand.
2. **Shared grids.** A grid that several metrics read is scanned once for all of them; a metric
   alone on its grid keeps its own filter in the scan's ``WHERE``.
3. **Scans.** Each metric's aggregates are added to its grid's scan, identical aggregates once.

The plan is a :class:`~obligo.engine.scans.ScanPlan` on the context; ``obligo eval --plan``
prints it. Metrics the plan does not cover (percentiles other than the nearest rank) run their
own queries, as before. The records that metrics read one by one (the intervals of incidents and
maintenance windows, tickets judged against their targets) are read in one query
(:meth:`~obligo.engine.context.EvaluationContext.plan_records`), at the first that is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable

from obligo.engine.context import EvaluationContext
from obligo.engine.measure import aggregates, slices
from obligo.engine.measure.partitions import partition_of
from obligo.engine.measure.pauses import pause_fields, status_query
from obligo.engine.scans import Aggregate, Grid, ScanPlan
from obligo.errors import ObligoError
from obligo.model import metrics as m
from obligo.model.conditions import Selection
from obligo.model.contract import NoticeRule


def _queries(metric: m.Metric, ctx: EvaluationContext) -> list[tuple[Grid, list[Aggregate]]]:
    """The scans measuring ``metric`` reads, as the plan stands."""
    if isinstance(metric, m.RatioMetric):
        return aggregates.scans_of(ctx, aggregates.ratio_query(metric, ctx))
    if isinstance(metric, m.AggregateMetric):
        query = aggregates.aggregate_query(metric, ctx)
        return [] if query is None else aggregates.scans_of(ctx, query)
    return slices.scans_of(metric, ctx)


def plan_measurements(ctx: EvaluationContext, metrics: Iterable[m.Metric]) -> ScanPlan:
    plan = ctx.scans
    metrics = list(metrics)
    # A metric whose queries cannot be written is left to be measured alone, where its error
    # (if it is ever measured) is raised as it always was: planning never fails an evaluation.
    chosen = [
        (name, metric)
        for name, metric in sorted({metric.id: metric for metric in metrics}.items())
        if _plannable(metric, ctx)
    ]
    # 1. Partitions: metrics over one value each of a field, on the same grid.
    candidates: dict[tuple[Grid, str], dict[str, str]] = {}
    for name, metric in chosen:
        found = partition_of(metric, ctx.schema)
        if found is None:
            continue
        plan.partitions[name] = found  # for a moment: the grid it would be a cell of
        try:
            grids = _base_grids(metric, ctx)
        except (ValueError, ObligoError):
            grids = []  # measured on its own
        del plan.partitions[name]
        if grids:
            candidates.setdefault((grids[0], found[0]), {})[name] = found[1]
    for (_, field), members in candidates.items():
        if len(set(members.values())) > 1:
            for name, value in members.items():
                plan.partitions[name] = (field, value)
    # 2. Shared grids: read by more than one metric.
    readers: dict[Grid, set[str]] = {}
    for name, metric in chosen:
        for grid in _base_grids(metric, ctx):
            readers.setdefault(grid, set()).add(name)
    plan.shared = {grid for grid, names in readers.items() if len(names) > 1}
    # 3. The scans.
    for name, metric in chosen:
        for grid, wanted in _queries(metric, ctx):
            plan.add(grid, wanted, name)
        plan.planned.add(name)
    # 4. The records read one by one (interval sources, exclusions, tickets): one query.
    for metric in metrics:
        try:
            ctx.plan_records(_record_reads(metric, ctx), metric.id)
        except (ValueError, ObligoError):
            pass  # read alone, where its error (if it is ever read) is raised as always
    # 5. The status records of a stopped clock: a query of their own, shown with the plan.
    for metric in metrics:
        if not isinstance(metric, m.ShareWithinTargetMetric):
            continue
        for pause in metric.pauses:
            if isinstance(pause, m.PausedWhile):
                try:
                    sql, params = status_query(pause, ctx)
                except (ValueError, ObligoError):
                    continue  # its error is raised where it is read, as always
                label = f"{pause.selection.record_type} records: when the clock stops"
                # One query for every metric paused by the same records (run once, shared).
                plan.queries.setdefault((label, sql, tuple(params)), []).append(metric.id)
    return plan


def _record_reads(metric: m.Metric, ctx: EvaluationContext) -> list[tuple[Selection, list[str]]]:
    """The selections whose records measuring ``metric`` reads one by one, with the fields it
    reads of them (as :mod:`~obligo.engine.measure.availability`,
    :mod:`~obligo.engine.measure.exclusions` and :mod:`~obligo.engine.measure.records` ask).
    A read listed here that the measure does not make only adds its records to the query; one
    it makes that is not listed runs a query of its own: the records are the same."""
    reads: list[tuple[Selection, list[str]]] = []
    by: list[str] = []
    if isinstance(metric, m.AvailabilityMetric):
        by = list(metric.measure.group_by)
        reads += [(selection, by) for selection in metric.down_during]
    if isinstance(
        metric, m.AvailabilityMetric | m.TotalDurationMetric | m.MeanTimeBetweenFailuresMetric
    ):
        reads += [(selection, by) for selection in metric.only_while]
        for name in metric.excluding:
            exclusion = ctx.agreement.exclusions[name]
            notices = [r for r in exclusion.valid_when if isinstance(r, NoticeRule)]
            fields = [r.announced_field for r in notices] + [r.before_field for r in notices]
            reads += [(selection, fields + by) for selection in exclusion.sources]
    if isinstance(
        metric, m.TotalDurationMetric | m.MeanTimeToRepairMetric | m.MeanTimeBetweenFailuresMetric
    ):
        reads.append((metric.measure.selection, []))
    if isinstance(metric, m.ShareWithinTargetMetric) and metric.duration is not None:
        spec, grouped = metric.duration, metric.measure.group_by
        reads.append(
            (
                metric.measure.selection,
                [spec.start_field, spec.end_field, *grouped, *pause_fields(metric)],
            )
        )
    return reads


def _plannable(metric: m.Metric, ctx: EvaluationContext) -> bool:
    try:
        _base_grids(metric, ctx)
        _queries(metric, ctx)
    except (ValueError, ObligoError):
        return False
    return True


def _base_grids(metric: m.Metric, ctx: EvaluationContext) -> list[Grid]:
    if isinstance(metric, m.RatioMetric):
        return [aggregates.base_grid(ctx, aggregates.ratio_query(metric, ctx))]
    if isinstance(metric, m.AggregateMetric):
        query = aggregates.aggregate_query(metric, ctx, shared=True)
        return [] if query is None else [aggregates.base_grid(ctx, query)]
    return [grid for grid, _ in slices.scans_of(metric, ctx)]

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
prints it. Metrics the plan does not cover (intervals, records judged one by one, percentiles
other than the nearest rank) run their own queries, as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from obligo.engine.context import EvaluationContext
from obligo.engine.measure import aggregates, slices
from obligo.engine.measure.partitions import partition_of
from obligo.engine.scans import Aggregate, Grid, ScanPlan
from obligo.errors import ObligoError
from obligo.model import metrics as m


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
    return plan


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

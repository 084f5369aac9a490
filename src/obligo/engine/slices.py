"""Metrics over time slices: availability from bad slices, and the average of per-slice rates.

The evaluated span is cut into slices of a fixed length aligned on the Unix epoch (so 1-minute
slices start on whole UTC minutes). One SQL query groups the records by slice and computes, per
slice, every aggregate the metric's conditions need; Python then judges each slice exactly.

- A slice is *down* when any ``a slice is down when`` condition holds on it.
- ``counting only runs of at least N down slices``: shorter runs of consecutive down slices are
  counted as up. Runs are found over the whole evaluation, so a run that crosses a period
  boundary counts in both periods.
- A slice without records of a type follows its rule (``is up``, ``is down``, ``is skipped``:
  left out of the counted time, or ``has an error-rate of 0%``); without a rule it is up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from obligo.engine.availability import DownSource, Downtime
from obligo.engine.context import EvaluationContext
from obligo.engine.expressions import (
    AggregatePlan,
    evaluate_expression,
    literal_fraction,
    plan_expression,
)
from obligo.engine.intervals import union
from obligo.engine.measurement import Budget, Measurement
from obligo.engine.numbers import decimal_text
from obligo.events.sql import compile_selection, quote_ident
from obligo.model import metrics as m
from obligo.report.model import Contributor

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass
class SliceData:
    """Per-slice aggregates: slice number -> row of aggregate values."""

    length: dt.timedelta
    rows: dict[int, tuple[Any, ...]]
    plan: AggregatePlan
    type_columns: dict[str, int]
    first: int
    last: int  # exclusive

    def start(self, number: int) -> dt.datetime:
        return EPOCH + self.length * number

    def without(self, number: int, record_type: str) -> bool:
        row = self.rows.get(number)
        return row is None or not row[self.type_columns[record_type]]


def _slice_number(instant: dt.datetime, length: dt.timedelta) -> int:
    return (instant - EPOCH) // length


def slice_data(metric: m.Metric, length: dt.timedelta, ctx: EvaluationContext) -> SliceData:
    schema = ctx.schema
    values = {v.name: v for v in metric.values}
    plan = AggregatePlan()
    for condition in metric.slice_down:
        _plan_condition(condition, values, ctx, plan)
    if isinstance(metric.measure, m.SliceAverage):
        plan_expression(values[metric.measure.value].expression, values, schema, plan)
    type_columns: dict[str, int] = {}
    for record_type in sorted(plan.types | {r.record_type for r in metric.slice_without}):
        type_columns[record_type] = plan.add(
            'count(*) FILTER (WHERE "type" = ?)', [record_type], record_type
        )
    micros = length // dt.timedelta(microseconds=1)
    columns = ", ".join(plan.columns)
    marks = ", ".join("?" for _ in plan.types)
    sql = (
        f'SELECT floor((epoch_us("time") - ?) / ?)::BIGINT AS slice, {columns} FROM events'
        f' WHERE "time" >= ? AND "time" < ? AND "type" IN ({marks}) GROUP BY slice'
    )
    params = [0, micros, *plan.params, ctx.start, ctx.end, *sorted(plan.types)]
    # The aggregate parameters come after the slice expression's two.
    rows = ctx.query(sql, params)
    first = _slice_number(ctx.start, length)
    last = -(-((ctx.end - EPOCH) // dt.timedelta(microseconds=1)) // micros)
    return SliceData(
        length, {int(r[0]): tuple(r[1:]) for r in rows}, plan, type_columns, first, last
    )


def _plan_condition(
    condition: m.SliceCondition,
    values: dict[str, m.NamedValue],
    ctx: EvaluationContext,
    plan: AggregatePlan,
) -> None:
    schema = ctx.schema
    if isinstance(condition, m.SliceCompare):
        plan_expression(condition.value, values, schema, plan)
    elif isinstance(condition, m.SliceExists):
        where, params = compile_selection(condition.selection, schema)
        plan.add(f"count(*) FILTER (WHERE {where})", params, condition.selection.record_type)
    elif isinstance(condition, m.SliceEvery):
        where, params = compile_selection(condition.selection, schema)
        column = quote_ident(condition.field)
        for value in condition.values:
            plan.add(
                f"count(*) FILTER (WHERE ({where}) AND {column} = ?)",
                [*params, getattr(value, "value", None)],
                condition.selection.record_type,
            )
    elif isinstance(condition, m.SliceAtLeast):
        where, params = compile_selection(condition.selection, schema)
        column = quote_ident(condition.field)
        plan.add(
            f"count(DISTINCT {column}) FILTER (WHERE {where})",
            params,
            condition.selection.record_type,
        )


def _judge(
    condition: m.SliceCondition,
    row: tuple[Any, ...],
    metric: m.Metric,
    ctx: EvaluationContext,
    plan: AggregatePlan,
) -> bool | None:
    """Whether the condition holds on a slice; None when it cannot be decided (0/0)."""
    schema = ctx.schema
    values = {v.name: v for v in metric.values}
    if isinstance(condition, m.SliceCompare):
        value = evaluate_expression(condition.value, values, schema, plan, row)
        threshold = literal_fraction(condition.threshold)
        if value is None or threshold is None:
            return None
        return _compare(value, condition.op, threshold)
    if isinstance(condition, m.SliceExists):
        where, params = compile_selection(condition.selection, schema)
        return bool(
            row[
                plan.add(
                    f"count(*) FILTER (WHERE {where})", params, condition.selection.record_type
                )
            ]
        )
    if isinstance(condition, m.SliceEvery):
        where, params = compile_selection(condition.selection, schema)
        column = quote_ident(condition.field)
        return all(
            row[
                plan.add(
                    f"count(*) FILTER (WHERE ({where}) AND {column} = ?)",
                    [*params, getattr(value, "value", None)],
                    condition.selection.record_type,
                )
            ]
            for value in condition.values
        )
    assert isinstance(condition, m.SliceAtLeast)
    where, params = compile_selection(condition.selection, schema)
    column = quote_ident(condition.field)
    index = plan.add(
        f"count(DISTINCT {column}) FILTER (WHERE {where})", params, condition.selection.record_type
    )
    return bool(row[index] >= condition.count)


def _compare(value: Fraction, op: str, threshold: Fraction) -> bool:
    return {
        ">": value > threshold,
        ">=": value >= threshold,
        "<": value < threshold,
        "<=": value <= threshold,
        "=": value == threshold,
        "!=": value != threshold,
    }[op]


def _empty_rule(metric: m.Metric, data: SliceData, number: int) -> m.SliceWithoutData | None:
    for rule in metric.slice_without:
        if data.without(number, rule.record_type):
            return rule
    return None


def slice_downtime(metric: m.Metric, ctx: EvaluationContext) -> Downtime:
    assert metric.slice is not None and metric.slice.seconds is not None
    length = dt.timedelta(seconds=float(metric.slice.seconds))
    data = slice_data(metric, length, ctx)
    down: list[int] = []
    skipped: list[int] = []
    empty = tuple(0 for _ in data.plan.columns)
    for number in range(data.first, data.last):
        rule = _empty_rule(metric, data, number)
        if rule is not None and rule.rule != "value":
            if rule.rule == "down":
                down.append(number)
            elif rule.rule == "skipped":
                skipped.append(number)
            continue
        row = data.rows.get(number, empty)
        if any(_judge(c, row, metric, ctx, data.plan) for c in metric.slice_down):
            down.append(number)
    if metric.minimum_run:
        down = _long_runs(down, metric.minimum_run)
    result = Downtime(
        sources=[
            DownSource(
                _clipped(data, n, ctx), "slice", None, detail=f"{metric.slice} slice judged down"
            )
            for n in down
        ],
        skipped=union(_clipped(data, n, ctx) for n in skipped),
        record_times=[_clipped(data, n, ctx) for n in sorted(data.rows)],
        measured=bool(data.rows),
        unmeasured_reason=None
        if data.rows
        else "unmeasured: the log has no "
        + " or ".join(f"{t} records" for t in sorted(data.plan.types)),
    )
    return result


def _clipped(
    data: SliceData, number: int, ctx: EvaluationContext
) -> tuple[dt.datetime, dt.datetime]:
    start = max(data.start(number), ctx.start)
    end = min(data.start(number + 1), ctx.end)
    return (start.astimezone(ctx.tz), end.astimezone(ctx.tz))


def _long_runs(numbers: list[int], minimum: int) -> list[int]:
    kept: list[int] = []
    run: list[int] = []
    for number in [*numbers, None]:
        if number is not None and run and number == run[-1] + 1:
            run.append(number)
            continue
        if len(run) >= minimum:
            kept.extend(run)
        run = [number] if number is not None else []
    return kept


def slice_average(metric: m.Metric, ctx: EvaluationContext) -> dict[str, Measurement]:
    """``100% minus the average error-rate per 5 minutes``: the mean of per-slice values."""
    measure = metric.measure
    assert isinstance(measure, m.SliceAverage)
    assert measure.slice.seconds is not None
    length = dt.timedelta(seconds=float(measure.slice.seconds))
    data = slice_data(metric, length, ctx)
    values = {v.name: v for v in metric.values}
    expression = values[measure.value].expression
    results: dict[str, Measurement] = {}
    empty = tuple(0 for _ in data.plan.columns)
    for period in ctx.periods(metric.period):
        end = min(period.end, ctx.end)
        first = _slice_number(period.start, length)
        last = -(
            -((end - EPOCH) // dt.timedelta(microseconds=1))
            // (length // dt.timedelta(microseconds=1))
        )
        rates: list[Fraction] = []
        skipped = 0
        worst: list[tuple[Fraction, int]] = []
        for number in range(first, last):
            rule = _empty_rule(metric, data, number)
            if rule is not None:
                if rule.rule == "skipped":
                    skipped += 1
                    continue
                rate = (
                    literal_fraction(rule.value)
                    if rule.rule == "value" and rule.value
                    else Fraction(0)
                )
                rates.append(rate or Fraction(0))
                continue
            value = evaluate_expression(
                expression, values, ctx.schema, data.plan, data.rows.get(number, empty)
            )
            if value is None:
                skipped += 1
                continue
            rates.append(value)
            if value > 0:
                worst.append((value, number))
        measurement = Measurement(
            value=None, dimension="percent", records=sum(1 for n in data.rows if first <= n < last)
        )
        measurement.totals = {"slices": len(rates), "slices_skipped": skipped}
        if rates:
            average = sum(rates, Fraction(0)) / len(rates) * 100
            measurement.value = (
                (Fraction(measure.complement_of.value) - average)
                if measure.complement_of
                else average
            )
            measurement.totals["average_rate_percent"] = average
        else:
            measurement.no_data = "no slice to average in the period"
        worst.sort(key=lambda pair: (-pair[0], pair[1]))
        measurement.contributors = [
            Contributor(
                type="slice",
                start=data.start(n).astimezone(ctx.tz),
                end=data.start(n + 1).astimezone(ctx.tz),
                detail=f"{measure.value} {decimal_text(rate * 100)}%",
            )
            for rate, n in worst
        ]
        measurement.budget = None
        results[period.label] = measurement
    return results


__all__ = ["Budget", "slice_average", "slice_downtime"]

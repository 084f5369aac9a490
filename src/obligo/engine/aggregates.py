"""Ratios, counts, sums, means, maxima, minima and percentiles per period, computed in DuckDB.

Records belong to the period that contains their ``time`` (or their ``start`` when they are
intervals). One query per metric joins the records with the metric's periods; the exact numbers
come back as DECIMAL and are combined as Fractions. A mean is ``sum / count`` (never a float
average). Percentiles use the nearest-rank method unless the metric names another:

- ``nearest-rank``: the value at rank ceil(p/100 * n) in ascending order (rank 1 for p = 0);
- ``lower`` / ``higher``: the values at ranks floor(h) / ceil(h), with h = (n - 1) * p/100 + 1;
- ``linear``: interpolation between them; ``midpoint``: their mean.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from obligo.engine.context import EvaluationContext
from obligo.engine.expressions import AggregatePlan, evaluate_expression, plan_expression
from obligo.engine.measurement import Budget, Measurement
from obligo.engine.periods import MeasurementPeriod
from obligo.events.sql import compile_selection, quote_ident
from obligo.model import metrics as m

PERIODS_TABLE = "obligo_periods"


def _periods_table(ctx: EvaluationContext, periods: list[MeasurementPeriod]) -> None:
    connection = ctx.log.connection
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE {PERIODS_TABLE} (idx INTEGER, p_start TIMESTAMPTZ, p_end TIMESTAMPTZ)"
    )
    connection.executemany(
        f"INSERT INTO {PERIODS_TABLE} VALUES (?, ?, ?)",
        [(i, p.start, min(p.end, ctx.end)) for i, p in enumerate(periods)],
    )


WHEN = 'coalesce(e."time", e."start")'


def ratio(metric: m.Metric, ctx: EvaluationContext) -> dict[str, Measurement]:
    measure = metric.measure
    assert isinstance(measure, m.Ratio)
    values = {v.name: v for v in metric.values}
    plan = AggregatePlan()
    plan_expression(measure.numerator, values, ctx.schema, plan)
    plan_expression(measure.denominator, values, ctx.schema, plan)
    periods = ctx.periods(metric.period)
    rows = _aggregate_rows(ctx, periods, plan)
    results: dict[str, Measurement] = {}
    empty = tuple(None for _ in plan.columns)
    for index, period in enumerate(periods):
        row, records = rows.get(index, (empty, 0))
        good = evaluate_expression(measure.numerator, values, ctx.schema, plan, row)
        whole = evaluate_expression(measure.denominator, values, ctx.schema, plan, row)
        measurement = Measurement(value=None, dimension="percent", records=records)
        measurement.totals = {"good": good or Fraction(0), "total": whole or Fraction(0)}
        if good is None or whole is None or whole == 0:
            measurement.no_data = "no records in the period"
        else:
            measurement.value = good / whole * 100
            measurement.budget = Budget(
                capacity=whole, bad=whole - good, unit="failed out of the total so far"
            )
        results[period.label] = measurement
    return results


def _aggregate_rows(
    ctx: EvaluationContext, periods: list[MeasurementPeriod], plan: AggregatePlan
) -> dict[int, tuple[tuple[Any, ...], int]]:
    _periods_table(ctx, periods)
    columns = ", ".join(plan.columns)
    marks = ", ".join("?" for _ in plan.types)
    sql = (
        f"SELECT p.idx, count(*) AS records, {columns} FROM {PERIODS_TABLE} p JOIN events e"
        f' ON {WHEN} >= p.p_start AND {WHEN} < p.p_end WHERE e."type" IN ({marks}) GROUP BY p.idx'
    )
    rows = ctx.query(sql, [*plan.params, *sorted(plan.types)])
    return {int(r[0]): (tuple(r[2:]), int(r[1])) for r in rows}


def aggregate(metric: m.Metric, ctx: EvaluationContext) -> dict[str, Measurement]:
    measure = metric.measure
    assert isinstance(measure, m.Aggregate)
    periods = ctx.periods(metric.period)
    _periods_table(ctx, periods)
    where, params = compile_selection(measure.selection, ctx.schema)
    results: dict[str, Measurement] = {}
    if measure.function == "percentile":
        found = _percentiles(metric, measure, ctx, where, params)
    else:
        column = quote_ident(measure.field) if measure.field else "1"
        sql = (
            f"SELECT p.idx, count(*) AS n, count({column}) AS n_values, sum({column}), max({column}),"
            f" min({column}) FROM {PERIODS_TABLE} p JOIN events e ON {WHEN} >= p.p_start"
            f" AND {WHEN} < p.p_end WHERE {where} GROUP BY p.idx"
        )
        found = {}
        for idx, n, n_values, total, largest, smallest in ctx.query(sql, params):
            value: Fraction | None
            if measure.function == "count":
                value = Fraction(n)
            elif n_values == 0:
                value = None
            elif measure.function == "sum":
                value = Fraction(total)
            elif measure.function == "mean":
                value = Fraction(total) / n_values
            elif measure.function == "maximum":
                value = Fraction(largest)
            else:
                value = Fraction(smallest)
            found[int(idx)] = (value, int(n))
    for index, period in enumerate(periods):
        value, records = found.get(index, (Fraction(0) if measure.function == "count" else None, 0))
        measurement = Measurement(
            value=value,
            dimension="count" if measure.function == "count" else "number",
            records=records,
        )
        measurement.totals = {"records": records}
        if value is None:
            measurement.no_data = "no records in the period"
        results[period.label] = measurement
    return results


def _percentiles(
    metric: m.Metric, measure: m.Aggregate, ctx: EvaluationContext, where: str, params: list[Any]
) -> dict[int, tuple[Fraction | None, int]]:
    assert measure.percentile is not None and measure.field is not None
    p = Fraction(measure.percentile.value) / 100
    column = quote_ident(measure.field)
    sql = (
        f"SELECT idx, n, rn, v FROM (SELECT p.idx AS idx, e.{column} AS v,"
        f" row_number() OVER (PARTITION BY p.idx ORDER BY e.{column}) AS rn,"
        f" count(*) OVER (PARTITION BY p.idx) AS n FROM {PERIODS_TABLE} p JOIN events e"
        f" ON {WHEN} >= p.p_start AND {WHEN} < p.p_end WHERE {where} AND e.{column} IS NOT NULL)"
        f" WHERE rn IN (SELECT unnest(?::BIGINT[]))"
    )
    # The ranks wanted depend on n per period, so first count, then fetch those ranks.
    counts = ctx.query(
        f"SELECT p.idx, count(e.{column}) FROM {PERIODS_TABLE} p JOIN events e ON {WHEN} >= p.p_start"
        f" AND {WHEN} < p.p_end WHERE {where} GROUP BY p.idx",
        params,
    )
    method = metric.percentile_method or "nearest-rank"
    wanted: dict[int, tuple[int, int, Fraction]] = {}
    for idx, n in counts:
        if not n:
            continue
        if method == "nearest-rank":
            rank = max(1, math.ceil(p * n))
            wanted[int(idx)] = (rank, rank, Fraction(0))
        else:
            h = (n - 1) * p + 1
            wanted[int(idx)] = (math.floor(h), math.ceil(h), h - math.floor(h))
    ranks = sorted({r for lo, hi, _ in wanted.values() for r in (lo, hi)})
    values: dict[tuple[int, int], Fraction] = {}
    if ranks:
        for idx, _n, rn, v in ctx.query(sql, [*params, ranks]):
            values[(int(idx), int(rn))] = Fraction(v)
    found: dict[int, tuple[Fraction | None, int]] = {}
    for idx, n in counts:
        if int(idx) not in wanted:
            continue
        lo, hi, weight = wanted[int(idx)]
        low, high = values[(int(idx), lo)], values[(int(idx), hi)]
        if method in ("nearest-rank", "lower"):
            value = low
        elif method == "higher":
            value = high
        elif method == "midpoint":
            value = (low + high) / 2
        else:
            value = low + (high - low) * weight
        found[int(idx)] = (value, int(n))
    return found

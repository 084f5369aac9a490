"""Ratios, counts, sums, means, maxima, minima and percentiles per period, computed in DuckDB.

A record belongs to the period that contains its ``time`` (or its ``start`` when it is an
interval), up to the evaluation time; rolling windows overlap, so a record may belong to
several. One query per metric joins the records with the metric's periods (a temporary table of
period bounds) and aggregates per period, and with ``, by FIELD`` per period and value of the
field in the same scan (``GROUPING SETS``). A record without the field counts in the value of
all records but in no group; a group exists in a period when the period has records with that
value that the metric reads (that one of its selections selects): a record of the metric's types
that none of them selects makes no group, as the line account calls it not used.

Exactness: numbers come back as DECIMAL and integers and are combined as Fractions; a mean is
``sum / count`` (never a database average); percentile ranks are computed with integer
arithmetic, in SQL and in Python alike; no float is ever produced or compared.

- ``ratio of A to B``: ``A / B * 100``; ``no data`` when ``B`` is 0 or undefined. Over
  pre-aggregated counts (``sum(total in ...) minus sum(errors in ...)``) the same. Its error
  budget (for a pending period): the records counted so far, and the failed ones (``B - A``).
- ``count of SELECTION``: the number of records; ``sum of FIELD in SELECTION``: their exact sum
  (0 when none has the field). Both are ``no data`` in a period without any record of the
  selection's type (a log that says nothing), and a measured 0 when the type has records in the
  period but none matches.
- ``mean``, ``maximum``, ``minimum`` and percentiles are over the records that have the field;
  ``no data`` without any.
- ``records`` (what ``at least N records`` counts) is the number of records the value is
  computed from: the records of the selection (count), those with the field (other aggregates),
  or those that any selection of the ratio's expressions reads (ratio).

Percentiles (nearest rank unless the metric names another method), for ``n`` values sorted
ascending, ``p`` the percentile as a fraction (p95 = 95/100), ranks from 1:

- ``nearest-rank``: the value at rank ``ceil(p * n)`` (at least 1);
- ``lower`` / ``higher``: the values at ranks ``floor(h)`` / ``ceil(h)``, ``h = (n - 1) * p + 1``;
- ``linear``: ``v[floor(h)] + (h - floor(h)) * (v[ceil(h)] - v[floor(h)])``;
- ``midpoint``: ``(v[floor(h)] + v[ceil(h)]) / 2``.

So for the values 1 to 10: p95 nearest-rank is 10, p50 nearest-rank 5, p50 linear 5.5, p50
lower 5, higher 6, midpoint 5.5.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import count, pairwise
from typing import Any

from obligo.engine.context import EvaluationContext
from obligo.engine.measure import groups as group_keys
from obligo.engine.measure.expressions import (
    AggregatePlan,
    Evaluator,
    compile_expression,
    exact,
    numeric_column,
    selections_of,
)
from obligo.engine.measure.measurement import Budget, MeasuredLater, Measurement
from obligo.engine.measure.partitions import without_test
from obligo.engine.scans import Aggregate, Grid, Later, aggregates_of
from obligo.engine.time.periods import MeasurementPeriod
from obligo.events.sql import compile_selection, quote_ident, without_type_tests
from obligo.model import metrics as m
from obligo.model.conditions import Arithmetic, Call, FieldOf, SelectionArg, ValueRef

PERIODS_TABLE = "obligo_periods"
WHEN = 'coalesce(e."time", e."start")'
IDX, P_START, P_END = "_obligo_idx", "_obligo_start", "_obligo_end"
GROUP = "_obligo_group"
METHODS = ("nearest-rank", "lower", "higher", "linear", "midpoint")

# (period index, group or None for all records) -> aggregates
Rows = dict[tuple[int, str | None], tuple[Any, ...]]


Bound = tuple[int, dt.datetime, dt.datetime]
_TABLES = count()


def _bounds(ctx: EvaluationContext, periods: list[MeasurementPeriod]) -> list[Bound]:
    """Each period's index and span, clipped to the evaluation time; empty ones left out."""
    end = ctx.end
    bounds = [(i, p.start, min(p.end, end)) for i, p in enumerate(periods)]
    return [b for b in bounds if b[2] > b[1]]


def _periods_table(ctx: EvaluationContext, bounds: Sequence[Bound]) -> str:
    """The name of a temporary table of these periods' bounds, made once per set of periods
    (its own name: scans over other periods may run before or after it is read)."""
    key = ("periods table", tuple(bounds))
    if key not in ctx.shared:
        name = f"{PERIODS_TABLE}_{next(_TABLES)}"
        connection = ctx.log.connection
        connection.execute(
            f"CREATE OR REPLACE TEMP TABLE {name}"
            f" ({IDX} INTEGER, {P_START} TIMESTAMPTZ, {P_END} TIMESTAMPTZ)"
        )
        if bounds:
            connection.executemany(f"INSERT INTO {name} VALUES (?, ?, ?)", list(bounds))
        ctx.shared[key] = name
    found: str = ctx.shared[key]
    return found


def period_index(when: str, bounds: list[Bound]) -> tuple[str, list[Any]] | None:
    """SQL for the index of the period holding the instant ``when`` (NULL in none), as a
    binary search over periods that do not overlap: ``log2(periods)`` comparisons a record,
    where a join with a table of periods costs a range join (two to three times slower over
    ten million records). None when some periods overlap (rolling windows): use the join."""
    spans = sorted(bounds, key=lambda b: b[1])
    if any(a[2] > b[1] for a, b in pairwise(spans)):
        return None
    params: list[Any] = []

    def search(lo: int, hi: int) -> str:
        if hi - lo == 1:
            index, start, end = spans[lo]
            params.extend([start, end])
            return f"CASE WHEN {when} >= ? AND {when} < ? THEN {int(index)} END"
        middle = (lo + hi) // 2
        params.append(spans[middle][1])
        below = f"CASE WHEN {when} < ? THEN "
        left = search(lo, middle)
        right = search(middle, hi)
        return f"{below}{left} ELSE {right} END"

    if not spans:
        return "NULL::INTEGER", []
    return search(0, len(spans)), params


@dataclass(frozen=True)
class PeriodQuery:
    """What a measure aggregates per period (and per group of its ``by``).

    ``where`` picks the records of the scan (their types); every aggregate filters its own.
    ``only_type``: ``where`` keeps records of this type only, so that the aggregates need not
    test it again. ``pushed``: a condition that every aggregate's ``FILTER`` implies (a record
    failing it adds to no aggregate): a measure whose records no other metric reads tests it in
    the ``WHERE``, so that the records of other metrics are dropped before they are placed in a
    period. ``partition``: the measure reads the records with one value of a text field only
    (``service = "s5"``), its aggregates written without that test: the plan measures it as one
    cell of a scan grouped by the field, with the other metrics over other values.
    ``present``: the index of the aggregate that counts a cell's values; a cell where it is 0
    is left out (a percentile is taken over the records that have the field). ``reads``: the
    index of the aggregate counting the records that some selection of the metric reads; with
    ``by``, a cell where it is 0 is no group's (a group is a value among the records the
    metric reads, not among every record of its types)."""

    bounds: tuple[Bound, ...]
    aggregates: tuple[Aggregate, ...]
    where: str
    where_params: tuple[Any, ...]
    group_by: tuple[str, ...] = ()
    only_type: str | None = None
    pushed: tuple[str, tuple[Any, ...]] | None = None
    partition: tuple[str, str] | None = None
    present: int | None = None
    label: str = ""
    reads: int | None = None

    def typed(self) -> tuple[Aggregate, ...]:
        """The aggregates, without the tests of the one type the scan keeps."""
        if self.only_type is None:
            return self.aggregates
        return tuple(_without_type(a, self.only_type) for a in self.aggregates)


def _without_type(aggregate: Aggregate, record_type: str) -> Aggregate:
    sql, params = without_type_tests(aggregate.sql, list(aggregate.params), record_type)
    together = aggregate.together
    if together is not None:  # the same text around the same "?": the same tests go
        together = without_type_tests(together, list(aggregate.params), record_type)[0]
    return Aggregate(sql, tuple(params), together, aggregate.item)


def _grid(
    ctx: EvaluationContext,
    query: PeriodQuery,
    *,
    where: tuple[str, tuple[Any, ...]] | None = None,
    partition: str | None = None,
) -> Grid:
    """The grid of a period query: each record placed in its period by a binary search (or,
    when periods overlap, joined with them), grouped per period, per group of ``by`` or per
    value of the ``partition`` field."""
    condition, condition_params = where or (query.where, query.where_params)
    search = period_index(WHEN, list(query.bounds))
    if search is None:
        table = _periods_table(ctx, query.bounds)
        source = f"{table} p JOIN events e ON {WHEN} >= p.{P_START} AND {WHEN} < p.{P_END}"
        source_params: list[Any] = []
        owner = "p"
    else:
        source = f"(SELECT {search[0]} AS {IDX}, e.* FROM events e) e"
        source_params, owner = search[1], "e"
        condition = f"e.{IDX} IS NOT NULL AND ({condition})"
    if partition is not None:
        field = f"e.{quote_ident(partition)}"
        head, grouping = f"{owner}.{IDX}, CAST({field} AS VARCHAR), 1", f"{owner}.{IDX}, {field}"
    elif not query.group_by:
        head, grouping = f"{owner}.{IDX}, NULL, 1", f"{owner}.{IDX}"
    else:
        # Grouped by the tuple of the `by` fields; the group's key made once per group.
        key = group_keys.key_sql(query.group_by, "e.")
        field = ", ".join(group_keys.columns_sql(query.group_by, "e."))
        first = group_keys.columns_sql(query.group_by, "e.")[0]
        head = f"{owner}.{IDX}, {key}, GROUPING({first})"
        grouping = f"GROUPING SETS (({owner}.{IDX}), ({owner}.{IDX}, {field}))"
    rest = f"FROM {source} WHERE {condition} GROUP BY {grouping}"
    label = query.label
    split: dict[str, tuple[str, str]] = {}
    if partition is not None:
        label += f", per value of {partition}"
    elif query.group_by:
        label += group_keys.label(query.group_by)
        # The halves of the grid (Grid.grouped, Grid.pooled): the scan reads the groups and
        # makes the pooled rows from them, but for a percentile over every record, computed
        # only if something reads it (scans.Later).
        split = {
            "grouped": (
                f"{owner}.{IDX}, {key}, 0",
                f"FROM {source} WHERE {condition} GROUP BY {owner}.{IDX}, {field}",
            ),
            "pooled": (
                f"{owner}.{IDX}, NULL, 1",
                f"FROM {source} WHERE {condition} GROUP BY {owner}.{IDX}",
            ),
        }
    return Grid(head, rest, (*source_params, *condition_params), 3, label, **split)


def base_grid(ctx: EvaluationContext, query: PeriodQuery) -> Grid:
    """The grid the query shares with the other metrics of the plan."""
    if query.partition is not None:
        return _grid(ctx, query, partition=query.partition[0])
    return _grid(ctx, query)


def scans_of(ctx: EvaluationContext, query: PeriodQuery) -> list[tuple[Grid, list[Aggregate]]]:
    """The scans (grids and aggregates) that measuring the query reads: what the planner
    registers, the same as :func:`_grouped` asks for."""
    aggregates = list(query.typed())
    shared = ctx.scans.shared
    if query.partition is not None:
        cells = (_grid(ctx, query, partition=query.partition[0]), aggregates)
        return [cells] if query.present is not None else [cells, _presence(ctx, query)]
    grid = _grid(ctx, query)
    if query.pushed is not None and not query.group_by and grid not in shared:
        return [(_pushed_grid(ctx, query), aggregates), _presence(ctx, query)]
    return [(grid, aggregates)]


def _pushed_grid(ctx: EvaluationContext, query: PeriodQuery) -> Grid:
    assert query.pushed is not None
    pushed_sql, pushed_params = query.pushed
    if query.only_type is not None:
        sql, kept = without_type_tests(pushed_sql, list(pushed_params), query.only_type)
        pushed_sql, pushed_params = sql, tuple(kept)
    where = f"({query.where}) AND ({pushed_sql})"
    return _grid(ctx, query, where=(where, (*query.where_params, *pushed_params)))


def _presence(ctx: EvaluationContext, query: PeriodQuery) -> tuple[Grid, list[Aggregate]]:
    """The scan telling which periods hold records of the query's ``where``."""
    bare = PeriodQuery(query.bounds, (), query.where, query.where_params, label=query.label)
    return _grid(ctx, bare), [Aggregate("count(*)")]


def _grouped(ctx: EvaluationContext, query: PeriodQuery, feeds: str) -> Rows:
    """Aggregates per period (and per group), from the plan's scans.

    A query with ``pushed`` or ``partition`` reads only some records of ``where``: a period
    that has records of the ``where`` but none of those then gets the row the aggregates give
    over no record (counts 0, the others NULL), as a scan of every record of ``where``
    gives."""
    aggregates = list(query.typed())
    shared = ctx.scans.shared
    rows: Rows = {}
    if query.partition is not None:
        field, value = query.partition
        grid = _grid(ctx, query, partition=field)
        for row in ctx.scans.rows(grid, aggregates, ctx.query, feeds, cell=(1, value)):
            if query.present is not None and not row[3 + query.present]:
                continue  # no value of the field in this cell
            rows[(int(row[0]), None)] = tuple(row[3:])
        if query.present is not None:
            return rows  # a percentile's period without values has no row, as alone
        return _filled(ctx, query, rows, aggregates)
    grid = _grid(ctx, query)
    if query.pushed is not None and not query.group_by and grid not in shared:
        grid = _pushed_grid(ctx, query)
        for row in ctx.scans.rows(grid, aggregates, ctx.query, feeds):
            rows[(int(row[0]), None)] = tuple(row[3:])
        return _filled(ctx, query, rows, aggregates)
    present = query.present
    for row in ctx.scans.rows(grid, aggregates, ctx.query, feeds):
        index, group, pooled = int(row[0]), row[1], row[2]
        if present is not None and not row[3 + present]:
            continue  # no value of the field in this cell
        if pooled:
            rows[(index, None)] = tuple(row[3:])
        elif group is not None:  # records without the field belong to no group
            if query.reads is not None and not row[3 + query.reads]:
                continue  # only records the metric does not read: no group
            rows[(index, str(group))] = tuple(row[3:])
    return rows


def _filled(
    ctx: EvaluationContext, query: PeriodQuery, rows: Rows, aggregates: list[Aggregate]
) -> Rows:
    empty = tuple(0 if a.sql.startswith("count(") else None for a in aggregates)
    for index in _periods_with_records(ctx, query):
        rows.setdefault((index, None), empty)
    return rows


def _periods_with_records(ctx: EvaluationContext, query: PeriodQuery) -> list[int]:
    """The indexes of the periods holding records of the query's ``where`` (asked once per
    condition and periods: the metrics over one record type share it)."""
    grid, aggregates = _presence(ctx, query)
    key = ("periods with records", grid)
    cache = ctx.shared
    if key not in cache:
        rows = ctx.scans.rows(grid, aggregates, ctx.query, "records present")
        cache[key] = sorted(int(row[0]) for row in rows)
    found: list[int] = cache[key]
    return found


def _groups_of(rows: Rows, index: int) -> list[str]:
    return sorted(g for (i, g) in rows if i == index and g is not None)


# ----------------------------------------------------------------------------------- ratio
@dataclass(frozen=True)
class _RatioProgram:
    query: PeriodQuery
    good_of: Evaluator
    whole_of: Evaluator
    records_column: int


def _ratio_program(metric: m.RatioMetric, ctx: EvaluationContext) -> _RatioProgram:
    partition = ctx.scans.partitions.get(metric.id)
    if partition is not None:
        metric = without_test(metric, *partition)
    measure = metric.measure
    values = {v.name: v for v in metric.values}
    plan = AggregatePlan()
    good_of = compile_expression(measure.numerator, values, ctx.schema, plan)
    whole_of = compile_expression(measure.denominator, values, ctx.schema, plan)
    selections = selections_of([measure.numerator, measure.denominator], values)
    records_column = plan.any_of(selections, ctx.schema)
    types = sorted(plan.types)
    split = aggregates_of(plan.columns, plan.params)
    assert split is not None  # AggregatePlan keeps the parameters of each column apart
    query = PeriodQuery(
        bounds=tuple(_bounds(ctx, ctx.periods(metric.period))),
        aggregates=tuple(split),
        where=_of_types(types),
        where_params=tuple(types),
        group_by=measure.group_by,
        only_type=types[0] if len(types) == 1 else None,
        pushed=None if partition is not None else _any_of(selections, ctx),
        partition=partition,
        label=_label(types, metric.period),
        reads=records_column,
    )
    return _RatioProgram(query, good_of, whole_of, records_column)


def _of_types(types: Sequence[str]) -> str:
    return f'e."type" IN ({", ".join("?" for _ in types)})'


def _label(types: Sequence[str], period: m.Period) -> str:
    """The grid in words: ``request records per calendar month``."""
    if isinstance(period, m.CalendarPeriod):
        words = f"per calendar {period.unit}"
    elif isinstance(period, m.BillingCyclePeriod):
        words = "per billing cycle"
    elif isinstance(period, m.ConsecutivePeriod):
        words = f"per {period.length} from {period.start}"
    else:
        words = f"over a rolling {period.length}"
    return " and ".join(types) + f" records {words}"


def ratio(metric: m.RatioMetric, ctx: EvaluationContext) -> dict[str, Measurement]:
    program = _ratio_program(metric, ctx)
    periods = ctx.periods(metric.period)
    rows = _grouped(ctx, program.query, metric.id)
    good_of, whole_of, records_column = program.good_of, program.whole_of, program.records_column
    budget_unit = _budget_unit(metric, ctx)

    def measured(row: tuple[Any, ...] | None) -> Measurement:
        measurement = Measurement(value=None, dimension="percent")
        if row is None:
            measurement.no_data = "no records in the period"
            measurement.totals = {"good": 0, "total": 0}
            return measurement
        good, whole = good_of(row), whole_of(row)
        measurement.records = int(row[records_column] or 0)
        measurement.totals = {
            "good": Fraction(good) if good is not None else 0,
            "total": Fraction(whole) if whole is not None else 0,
        }
        if measurement.records == 0:
            measurement.no_data = "no records in the period"
        elif good is None or whole is None:
            measurement.no_data = "the ratio is undefined in the period (a division by zero)"
        elif whole == 0:
            measurement.no_data = "the denominator is 0 in the period"
        else:
            measurement.value = Fraction(good) / whole * 100
            measurement.budget = Budget(
                capacity=Fraction(whole),
                bad=Fraction(whole) - good,
                unit=budget_unit,
                whole=budget_unit == "failed records",
            )
        return measurement

    return _per_period(periods, rows, measured)


# A declared field unit as the word a budget counts in.
_UNIT_WORDS = {
    "ms": "milliseconds",
    "s": "seconds",
    "min": "minutes",
    "h": "hours",
    "day": "days",
    "week": "weeks",
}


def _budget_unit(metric: m.RatioMetric, ctx: EvaluationContext) -> str:
    """What a ratio's error budget counts: ``failed records`` when its expressions count
    records only; the unit of its summed fields when they all declare the same one
    (``field deployed_minutes in minutes``: ``minutes``); else the neutral ``units``."""
    values = {v.name: v for v in metric.values}
    fields: set[str] = set()
    seen: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, Call):
            for argument in node.arguments:
                if isinstance(argument, FieldOf):
                    fields.add(argument.field)
                elif not isinstance(argument, SelectionArg):
                    walk(argument)
        elif isinstance(node, Arithmetic):
            walk(node.left)
            walk(node.right)
        elif isinstance(node, ValueRef) and node.name not in seen and node.name in values:
            seen.add(node.name)
            walk(values[node.name].expression)

    walk(metric.measure.numerator)
    walk(metric.measure.denominator)
    if not fields:
        return "failed records"
    declared = {ctx.agreement.field_unit(name) for name in fields}
    units = {None if d is None else d.unit for d in declared}
    if len(units) == 1 and (unit := units.pop()) is not None:
        return _UNIT_WORDS.get(unit, unit)
    return "units"


def _per_period(
    periods: list[MeasurementPeriod],
    rows: Rows,
    measured: Callable[[tuple[Any, ...] | None], Measurement],
) -> dict[str, Measurement]:
    """Each period's measurement of all records, with one per group of the metric's ``by``."""
    results: dict[str, Measurement] = {}
    for index, period in enumerate(periods):
        measurement = measured(rows.get((index, None)))
        for group in _groups_of(rows, index):
            measurement.groups[group] = measured(rows[(index, group)])
        results[period.label] = measurement
    return results


def _any_of(selections: list[Any], ctx: EvaluationContext) -> tuple[str, tuple[Any, ...]] | None:
    """SQL true for the records any of the selections reads; None without selections or when
    one reads every record of its type (nothing to test first: the big-log benchmark's ratio
    over every request would only pay for one more scan)."""
    if not selections or any(s.where is None for s in selections):
        return None
    parts: dict[str, tuple[str, list[Any]]] = {}
    for selection in selections:
        where, params = compile_selection(selection, ctx.schema)
        parts.setdefault(where + repr(params), (where, params))
    return (
        " OR ".join(where for where, _ in parts.values()),
        tuple(p for _, params in parts.values() for p in params),
    )


# ------------------------------------------------------------------------------- aggregates
def ratio_query(metric: m.RatioMetric, ctx: EvaluationContext) -> PeriodQuery:
    return _ratio_program(metric, ctx).query


def aggregate_query(
    metric: m.AggregateMetric, ctx: EvaluationContext, *, shared: bool = False
) -> PeriodQuery | None:
    """The period query of a count, sum, mean, extreme or nearest-rank percentile; None for a
    percentile of another method (ranked in a query of its own). ``shared``: a percentile's
    query as one of several over its grid (the plan decides whether it is)."""
    partition = ctx.scans.partitions.get(metric.id)
    if partition is not None:
        metric = without_test(metric, *partition)
    measure = metric.measure
    where, params = compile_selection(measure.selection, ctx.schema)
    record_type = measure.selection.record_type
    bounds = tuple(_bounds(ctx, ctx.periods(metric.period)))
    label = _label([record_type], metric.period)
    if measure.function == "percentile":
        method = metric.percentile_method or "nearest-rank"
        if method != "nearest-rank":
            return None
        assert measure.percentile is not None and measure.field is not None
        value = numeric_column(measure.field, ctx.schema, "e.")
        # DuckDB's discrete quantile takes the value at 0-based index max(1, ceil(n * q)) - 1,
        # in integer arithmetic when q is a DECIMAL: exactly the nearest rank, as one aggregate
        # (no ranking of every record). tests/test_engine_aggregates.py checks it against
        # percentile_ranks for every n up to a few thousand.
        q = _decimal_literal(Fraction(measure.percentile.value) / 100)
        together = PeriodQuery(
            bounds,
            (
                Aggregate(
                    f"quantile_disc({value}, {q}) FILTER (WHERE {where} AND {value} IS NOT NULL)",
                    tuple(params),
                    f"quantile_disc({value}, {{items}})"
                    f" FILTER (WHERE {where} AND {value} IS NOT NULL)",
                    _decimal_text(Fraction(measure.percentile.value) / 100),
                ),
                Aggregate(f"count({value}) FILTER (WHERE {where})", tuple(params)),
            ),
            _of_types([record_type]),
            (record_type,),
            measure.group_by,
            record_type,
            partition=partition,
            present=1,
            label=label,
        )
        if shared or partition is not None or base_grid(ctx, together) in ctx.scans.shared:
            return together
        # Read alone: the selection in the WHERE, so that only its records are placed.
        return PeriodQuery(
            bounds,
            (Aggregate(f"quantile_disc({value}, {q})"), Aggregate(f"count({value})")),
            f"({where}) AND {value} IS NOT NULL",
            tuple(params),
            measure.group_by,
            label=label,
        )
    value = numeric_column(measure.field, ctx.schema, "e.") if measure.field else "1"
    return PeriodQuery(
        bounds,
        tuple(
            Aggregate(f"{function}({argument}) FILTER (WHERE {where})", tuple(params))
            for function, argument in (
                ("count", "*"),
                ("count", value),
                ("sum", value),
                ("max", value),
                ("min", value),
            )
        ),
        _of_types([record_type]),
        (record_type,),
        measure.group_by,
        record_type,
        None
        if measure.selection.where is None or partition is not None
        else (where, tuple(params)),
        partition,
        label=label,
        reads=0,  # count(*) FILTER (WHERE selection): the records the metric reads
    )


def aggregate(metric: m.AggregateMetric, ctx: EvaluationContext) -> dict[str, Measurement]:
    measure = metric.measure
    periods = ctx.periods(metric.period)
    query = aggregate_query(metric, ctx)
    if query is None:
        where, params = compile_selection(measure.selection, ctx.schema)
        rows = _percentiles(metric, measure, ctx, periods, where, params)
    else:
        rows = _grouped(ctx, query, metric.id)
        if measure.function == "percentile":  # a Later: the pooled percentile, if ever read
            rows = {
                key: (v if isinstance(v, Later) else exact(v), int(n))
                for key, (v, n) in rows.items()
            }

    # A field with a stated unit (`field latency_ms in ms`) makes the value a number of that
    # unit, the dimension its targets are converted to; without one the field's number is bare.
    declared = ctx.agreement.field_unit(metric.measured_field or "")
    of_field = declared.unit if declared is not None and metric.measured_field else "number"

    def measured(row: tuple[Any, ...] | None) -> Measurement:
        dimension = "count" if measure.function == "count" else of_field
        measurement = Measurement(value=None, dimension=dimension)
        if row is None:
            # A count or a sum of nothing is 0: a month without incidents has 0 incidents.
            # (A log that never mentions the record type at all makes the metric unmeasured.)
            measurement.totals = {"records": 0}
            if measure.function in ("count", "sum"):
                measurement.value = Fraction(0)
            else:
                measurement.no_data = "no records in the period"
            return measurement
        if measure.function == "percentile":
            value, n = row
            if isinstance(value, Later):
                later = value
                return MeasuredLater(lambda: measured((exact(later.value()), n)), dimension)
            measurement.value = value
            measurement.records = n
            measurement.totals = {"records": n}
            if value is None:
                measurement.no_data = f"no {measure.field} values in the period"
            return measurement
        n, n_values, total, largest, smallest = row
        function = measure.function
        measurement.records = int(n if function == "count" else n_values)
        measurement.totals = {"records": int(n)}
        if function != "count":
            measurement.totals["values"] = int(n_values)
        if function == "count":
            measurement.value = Fraction(int(n))
        elif function == "sum":
            measurement.value = exact(total) if total is not None else Fraction(0)
        elif not n_values:
            measurement.no_data = f"no {measure.field} values in the period"
        elif function == "mean":
            measurement.value = Fraction(total) / int(n_values)
            measurement.totals["sum"] = Fraction(total)
        elif function == "maximum":
            measurement.value = exact(largest)
        else:
            measurement.value = exact(smallest)
        return measurement

    return _per_period(periods, rows, measured)


def percentile_ranks(share: Fraction, n: int, method: str) -> tuple[int, int, Fraction]:
    """The two 1-based ranks a percentile is taken between, and the weight of the upper one.

    Integer arithmetic only: ``share = a / b``; nearest rank ``ceil(a * n / b)``; otherwise
    ``h = (n - 1) * a / b + 1`` with ``floor(h)``, ``ceil(h)`` and ``h - floor(h)``."""
    a, b = share.numerator, share.denominator
    if method == "nearest-rank":
        rank = max(1, -((-a * n) // b))
        return rank, rank, Fraction(0)
    whole, part = divmod((n - 1) * a, b)
    low = whole + 1
    return low, low + (1 if part else 0), Fraction(part, b)


def _rank_sql(share: Fraction, method: str) -> tuple[str, str]:
    """SQL for the two ranks as functions of ``n`` (HUGEINT arithmetic: exact)."""
    a, b = share.numerator, share.denominator
    if method == "nearest-rank":
        rank = f"greatest(1, (n * CAST({a} AS HUGEINT) + {b - 1}) // {b})"
        return rank, rank
    low = f"((n - 1) * CAST({a} AS HUGEINT) // {b} + 1)"
    high = f"(((n - 1) * CAST({a} AS HUGEINT) + {b - 1}) // {b} + 1)"
    return low, high


def _decimal_text(share: Fraction) -> str:
    """``share`` (a percentile over 100, a terminating decimal) written exactly, in digits."""
    text = format(Decimal(share.numerator) / Decimal(share.denominator), "f")
    if Fraction(Decimal(text)) != share:
        raise ValueError(f"{share} is not a terminating decimal")
    return text


def _decimal_literal(share: Fraction) -> str:
    """``share`` (a percentile over 100, a terminating decimal) as an exact SQL DECIMAL."""
    text = _decimal_text(share)
    scale = max(1, len(text.partition(".")[2]))
    return f"CAST('{text}' AS DECIMAL(38, {scale}))"


def _percentiles(
    metric: m.AggregateMetric,
    measure: m.Aggregate,
    ctx: EvaluationContext,
    periods: list[MeasurementPeriod],
    where: str,
    params: list[Any],
) -> dict[tuple[int, str | None], tuple[Any, ...]]:
    """Per period (and group): (the percentile, the number of values), in one query."""
    assert measure.percentile is not None and measure.field is not None
    share = Fraction(measure.percentile.value) / 100
    method = metric.percentile_method or "nearest-rank"
    if method not in METHODS:
        raise ValueError(f"unknown percentile method {method}: use one of {', '.join(METHODS)}")
    value = numeric_column(measure.field, ctx.schema, "e.")
    table = _periods_table(ctx, _bounds(ctx, periods))
    group = group_keys.key_sql(measure.group_by, "e.") if measure.group_by else "NULL"
    low, high = _rank_sql(share, method)
    ranked = [
        "SELECT idx, NULL::VARCHAR AS grp, TRUE AS pooled, v,"
        " row_number() OVER (PARTITION BY idx ORDER BY v) AS rn,"
        " count(*) OVER (PARTITION BY idx) AS n FROM sel"
    ]
    if measure.group_by:
        ranked.append(
            "SELECT idx, grp, FALSE AS pooled, v,"
            " row_number() OVER (PARTITION BY idx, grp ORDER BY v) AS rn,"
            " count(*) OVER (PARTITION BY idx, grp) AS n FROM sel WHERE grp IS NOT NULL"
        )
    sql = (
        f"WITH sel AS (SELECT p.{IDX} AS idx, {group} AS grp, {value} AS v"
        f" FROM {table} p JOIN events e ON {WHEN} >= p.{P_START} AND {WHEN} < p.{P_END}"
        f" WHERE {where} AND {value} IS NOT NULL),"
        f" ranked AS ({' UNION ALL '.join(ranked)})"
        f" SELECT idx, grp, pooled, n, rn, v FROM ranked WHERE rn = {low} OR rn = {high}"
    )
    picked: dict[tuple[int, str | None], dict[int, Fraction]] = {}
    counts: dict[tuple[int, str | None], int] = {}
    for idx, grp, pooled, n, rn, v in ctx.query(sql, params):
        key = (int(idx), None if pooled else str(grp))
        counts[key] = int(n)
        number = exact(v)
        assert number is not None
        picked.setdefault(key, {})[int(rn)] = number
    found: dict[tuple[int, str | None], tuple[Any, ...]] = {}
    for key, n in counts.items():
        lo, hi, weight = percentile_ranks(share, n, method)
        lower, higher = picked[key][lo], picked[key][hi]
        if method in ("nearest-rank", "lower"):
            result = lower
        elif method == "higher":
            result = higher
        elif method == "midpoint":
            result = (lower + higher) / 2
        else:
            result = lower + (higher - lower) * weight
        found[key] = (result, n)
    return found

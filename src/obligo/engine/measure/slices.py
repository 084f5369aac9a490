"""Metrics over time slices: availability from bad slices, and the average of per-slice values.

The evaluated span (the term up to the evaluation time) is cut into slices of a fixed length
aligned on the Unix epoch, so 1-minute slices start on whole UTC minutes. A record belongs to the
slice that contains its ``time``; records with an interval (``start``/``end``) and no ``time``
are not slice records. One SQL query groups the metric's records by slice (and by the metric's
``by`` field) and computes every aggregate its conditions, values and ``without`` rules need;
conditions with ``for any FIELD`` take one more query grouped by slice and that field. Python then
judges each slice that has records exactly; all slices without records are alike, so they are
judged once.

- A slice is *down* when any ``a slice is down when`` condition holds on it; a condition whose
  value is undefined on the slice (0 ÷ 0) does not hold.
- ``there are SELECTION``: at least one such record; ``there are only SELECTION``: records of
  the type exist and every one of them matches the filter.
- ``every FIELD in [v, ...] has SELECTION``: a matching record with each listed value.
- ``at least N distinct FIELD values have SELECTION``: matching records with N or more distinct
  values of FIELD (records without the field count for no value); with ``only``: N or more
  values whose records of the type in the slice all match.
- ``EXPR CMP LITERAL for any FIELD``: the expression is computed separately over the records of
  each value of FIELD in the slice (records without the field belong to no value); the
  condition holds when it holds for at least one value.
- ``a slice without SELECTION ...``: the rules are tried in their order; the first whose
  selection has no record in the slice applies. ``is up`` / ``is down`` decide the slice
  outright (its conditions are not judged); ``is skipped`` leaves it out of the counted time (and
  out of an average); ``has an NAME of P%`` gives the value NAME that number in the slice, and the
  conditions are then judged with it. A slice to which no rule applies is judged on its records.
- ``counting only runs of at least N down slices``: shorter runs of consecutive down slices are
  counted as up. Runs are found over the whole evaluation, so a run that crosses a period
  boundary counts, in both periods, with the part of it each holds.
- ``, by FIELD``: each value of the field is judged on its own records only (``a slice without
  probe records`` is then a slice without probe records of that value); records without the
  field count only in the pooled downtime of all records.
- In an average (``the average error-rate in slices of 5 minutes``) a slice counts in every
  period it overlaps; a slice whose value is undefined and to which no rule applies is left out
  (counted as ``slices_undefined``); a slice that a rule declares up has the value 0, down 100%.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import compress
from operator import itemgetter
from typing import Any

from obligo.engine.context import EvaluationContext
from obligo.engine.measure import groups as group_keys
from obligo.engine.measure.downtime import DownSource, Downtime
from obligo.engine.measure.expressions import (
    COMPARE,
    AggregatePlan,
    Evaluator,
    Exact,
    compile_comparison,
    compile_expression,
    literal_fraction,
    names_used,
    quotient_sql,
    selections_of,
)
from obligo.engine.measure.measurement import KEPT, Budget, Contribution, Measurement
from obligo.engine.numbers import decimal_text
from obligo.engine.scans import Aggregate, Grid, aggregates_of
from obligo.engine.time.intervals import MICROSECOND, utc
from obligo.events.schema import EventSchema
from obligo.events.sql import (
    compile_condition,
    compile_selection,
    quote_ident,
    without_type_tests,
)
from obligo.model import conditions as c
from obligo.model import metrics as m

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

UP, DOWN, SKIPPED = 0, 1, 2


Row = Sequence[Any]


class _Skip:
    """The value of a slice that a rule leaves out of an average."""


SKIP = _Skip()
# For each `for any` condition, in one slice: whether it holds, or the rows of the field's values
# (when a slice's rule may change the value).
FeatureRows = Sequence[bool | Sequence[Row]]
Judge = Callable[[Row, FeatureRows, int | None], bool]


def slice_length(duration: Any) -> dt.timedelta:
    """A slice's length as a whole number of microseconds (never through a float)."""
    seconds = Fraction(duration.seconds)
    micros = seconds * 1_000_000
    if micros.denominator != 1 or micros <= 0:
        raise ValueError(f"a slice of {duration} is not a whole number of microseconds")
    return dt.timedelta(microseconds=int(micros))


def slice_number(instant: dt.datetime, length: dt.timedelta) -> int:
    return (instant - EPOCH) // length


def slice_bounds(first: dt.datetime, end: dt.datetime, length: dt.timedelta) -> tuple[int, int]:
    """The slices that overlap ``[first, end)``: numbers from ``a`` to ``b`` (exclusive)."""
    if end <= first:
        return (0, 0)
    return slice_number(first, length), -(-(end - EPOCH) // length)


# ---------------------------------------------------------------------------------- compiled
@dataclass
class _ForAny:
    """A ``for any FIELD`` condition: its own plan, grouped by the field too.

    When no ``has an NAME of P%`` rule can change its value, the condition is judged where the
    values are aggregated (in SQL for a quotient of counts, else once per row as they arrive),
    and only the slices where it holds are kept; otherwise the rows are kept and judged with
    the slice's rule."""

    field: str
    plan: AggregatePlan
    needs_rows: bool
    check: Callable[[Row], bool]
    predicate: tuple[str, list[Any]] | None


@dataclass
class SliceProgram:
    """A metric's slice logic, compiled once: the SQL columns and a judge per slice."""

    metric: m.AvailabilityMetric | m.SliceAverageMetric
    length: dt.timedelta
    plan: AggregatePlan = field(default_factory=AggregatePlan)
    rules: list[tuple[m.SliceWithoutData, int, Fraction | None]] = field(default_factory=list)
    judges: list[Judge] = field(default_factory=list)
    for_any: list[_ForAny] = field(default_factory=list)
    records_column: int = -1
    average: dict[int | None, Evaluator] = field(default_factory=dict)
    # The slice's state (0 up, 1 down, 2 skipped) as one SQL expression over its aggregates,
    # when every rule and condition has one: the scan then judges each slice.
    state_sql: tuple[str, list[Any]] | None = None

    @classmethod
    def compile(
        cls,
        metric: m.AvailabilityMetric | m.SliceAverageMetric,
        length: dt.timedelta,
        ctx: EvaluationContext,
    ) -> SliceProgram:
        program = cls(metric, length)
        schema = ctx.schema
        values = {v.name: v for v in metric.values}
        plan = program.plan
        selections: list[c.Selection] = []
        for rule in metric.slice_without:
            column = plan.count(rule.selection, schema)
            value = literal_fraction(rule.value) if rule.rule == "value" else None
            program.rules.append((rule, column, value))
            selections.append(rule.selection)
        # Each value rule fixes one named value: the expressions are compiled once per rule.
        overrides: dict[int | None, dict[str, Fraction]] = {None: {}}
        for index, (rule, _, value) in enumerate(program.rules):
            if rule.rule == "value":
                fixed = {rule.value_name: value} if rule.value_name and value is not None else {}
                overrides[index] = fixed
        for condition in _conditions(metric):
            program.judges.append(program._condition(condition, values, overrides, ctx, selections))
        measure = metric.measure
        if isinstance(measure, m.SliceAverage):
            expression = values[measure.value].expression
            for key, fixed in overrides.items():
                program.average[key] = compile_expression(expression, values, schema, plan, fixed)
            selections.extend(selections_of([expression], values))
        program.records_column = plan.any_of(selections, ctx.schema)
        if not isinstance(measure, m.SliceAverage):
            program.state_sql = _state_sql(metric, values, schema)
        return program

    def _condition(
        self,
        condition: m.SliceCondition,
        values: dict[str, m.NamedValue],
        overrides: dict[int | None, dict[str, Fraction]],
        ctx: EvaluationContext,
        selections: list[c.Selection],
    ) -> Judge:
        schema = ctx.schema
        plan = self.plan
        if isinstance(condition, m.SliceCompare):
            threshold = literal_fraction(condition.threshold)
            if threshold is None:
                raise ValueError(f"a slice's value is compared with a number: {condition}")
            op = COMPARE[condition.op]
            selections.extend(selections_of([condition.value], values))
            if condition.for_any is not None:
                sub = AggregatePlan()
                used = names_used(condition.value, values)
                needs_rows = any(fixed.keys() & used for fixed in overrides.values())
                evaluators = {
                    key: compile_expression(condition.value, values, schema, sub, fixed)
                    for key, fixed in overrides.items()
                }
                check = compile_comparison(
                    condition.value, condition.op, threshold, values, schema, sub
                )
                predicate = (
                    None
                    if needs_rows
                    else quotient_sql(condition.value, condition.op, threshold, values, schema)
                )
                position = len(self.for_any)
                self.for_any.append(_ForAny(condition.for_any, sub, needs_rows, check, predicate))
                plan.types.update(sub.types)

                def any_value(row: Row, features: FeatureRows, key: int | None) -> bool:
                    found = features[position]
                    if isinstance(found, bool):
                        return found
                    evaluate = evaluators[key]
                    for feature_row in found:
                        value = evaluate(feature_row)
                        if value is not None and op(value, threshold):
                            return True
                    return False

                return any_value
            compiled = {
                key: compile_comparison(
                    condition.value, condition.op, threshold, values, schema, plan, fixed
                )
                for key, fixed in overrides.items()
            }
            if len(compiled) == 1:
                only = compiled[None]
                return lambda row, features, key: only(row)
            return lambda row, features, key: compiled[key](row)
        selections.append(condition.selection)
        where, params = compile_selection(condition.selection, schema)
        record_type = condition.selection.record_type
        if isinstance(condition, m.SliceExists):
            matching = plan.add(f"count(*) FILTER (WHERE {where})", params, record_type)
            if not condition.only:
                return lambda row, features, key: bool(row[matching])
            of_type = plan.count(c.Selection(record_type=record_type), schema)
            return lambda row, features, key: (
                bool(row[matching]) and (row[matching] == row[of_type])
            )
        if isinstance(condition, m.SliceEvery):
            columns = []
            for value in condition.values:
                test, test_params = compile_condition(
                    c.Compare(field=condition.field, op="=", value=value), schema
                )
                columns.append(
                    plan.add(
                        f"count(*) FILTER (WHERE {where} AND {test})",
                        [*params, *test_params],
                        record_type,
                    )
                )
            return lambda row, features, key: all(row[i] for i in columns)
        assert isinstance(condition, m.SliceAtLeast)
        column = quote_ident(condition.field)
        wanted = condition.count
        if not condition.only:
            distinct = plan.add(
                f"count(DISTINCT {column}) FILTER (WHERE {where})", params, record_type
            )
            return lambda row, features, key: (row[distinct] or 0) >= wanted
        # A value qualifies when all its records of the type match: the distinct values among
        # the type's records less those among its records that do not match.
        kind, kind_params = compile_selection(c.Selection(record_type=record_type), schema)
        every = plan.add(
            f"count(DISTINCT {column}) FILTER (WHERE {kind})", kind_params, record_type
        )
        failing = plan.add(
            f"count(DISTINCT {column}) FILTER (WHERE {kind} AND NOT {where})",
            [*kind_params, *params],
            record_type,
        )
        return lambda row, features, key: (row[every] or 0) - (row[failing] or 0) >= wanted

    # ---------------------------------------------------------------------------- judging
    def rule_for(self, row: Row) -> int | None:
        """The index of the first ``without`` rule that applies to a slice, or None."""
        for index, (_, column, _) in enumerate(self.rules):
            if not row[column]:
                return index
        return None

    def state(self, row: Row, features: FeatureRows) -> int:
        """UP, DOWN or SKIPPED."""
        key = self.rule_for(row)
        if key is not None:
            kind = self.rules[key][0].rule
            if kind == "up":
                return UP
            if kind == "down":
                return DOWN
            if kind == "skipped":
                return SKIPPED
        for judge in self.judges:
            if judge(row, features, key):
                return DOWN
        return UP

    def value(self, row: Row) -> Exact | _Skip | None:
        """A slice's value for an average: a number, SKIP (a rule leaves the slice out) or None
        (undefined: 0 ÷ 0 and no rule)."""
        key = self.rule_for(row)
        if key is not None:
            rule, _, fixed = self.rules[key]
            if rule.rule == "skipped":
                return SKIP
            if rule.rule == "up":
                return 0
            if rule.rule == "down":
                return 1
            measure = self.metric.measure
            if isinstance(measure, m.SliceAverage) and rule.value_name == measure.value:
                return fixed
        return self.average[key](row)

    @property
    def empty_row(self) -> tuple[Any, ...]:
        return tuple(None for _ in self.plan.columns)

    @property
    def no_features(self) -> FeatureRows:
        return tuple(False for _ in self.for_any)


def _conditions(
    metric: m.AvailabilityMetric | m.SliceAverageMetric,
) -> tuple[m.SliceCondition, ...]:
    """When a slice is down: an availability metric's conditions (none for an average)."""
    return metric.slice_down if isinstance(metric, m.AvailabilityMetric) else ()


def _state_sql(
    metric: m.AvailabilityMetric | m.SliceAverageMetric,
    values: dict[str, m.NamedValue],
    schema: EventSchema,
) -> tuple[str, list[Any]] | None:
    """``CASE`` over a slice's aggregates giving its state as :meth:`SliceProgram.state` does:
    the first ``without`` rule whose selection has no record decides (``up``, ``down``,
    ``skipped``), else the slice is down when a condition holds. None when a rule gives a
    value or a condition has no SQL form (``for any``, other arithmetic): judged in Python."""
    whens: list[str] = []
    params: list[Any] = []
    for rule in metric.slice_without:
        if rule.rule not in ("up", "down", "skipped"):
            return None
        where, where_params = compile_selection(rule.selection, schema)
        state = {"up": UP, "down": DOWN, "skipped": SKIPPED}[rule.rule]
        whens.append(f"WHEN count(*) FILTER (WHERE {where}) = 0 THEN {state}")
        params.extend(where_params)
    tests: list[str] = []
    for condition in _conditions(metric):
        found = _condition_sql(condition, values, schema)
        if found is None:
            return None
        tests.append(found[0])
        params.extend(found[1])
    if tests:
        whens.append(f"WHEN {' OR '.join(tests)} THEN {DOWN}")
    if not whens:
        return str(UP), []
    return f"CASE {' '.join(whens)} ELSE {UP} END", params


def _condition_sql(
    condition: m.SliceCondition, values: dict[str, m.NamedValue], schema: EventSchema
) -> tuple[str, list[Any]] | None:
    """A slice condition as a SQL predicate over its aggregates (see :meth:`_condition`)."""
    if isinstance(condition, m.SliceCompare):
        threshold = literal_fraction(condition.threshold)
        if condition.for_any is not None or threshold is None:
            return None
        return quotient_sql(condition.value, condition.op, threshold, values, schema)
    where, params = compile_selection(condition.selection, schema)
    record_type = condition.selection.record_type
    if isinstance(condition, m.SliceExists):
        matching = f"count(*) FILTER (WHERE {where})"
        if not condition.only:
            return f"({matching} > 0)", params
        kind, kind_params = compile_selection(c.Selection(record_type=record_type), schema)
        return (
            f"({matching} > 0 AND {matching} = count(*) FILTER (WHERE {kind}))",
            [*params, *params, *kind_params],
        )
    if isinstance(condition, m.SliceEvery):
        tests: list[str] = []
        test_params: list[Any] = []
        for value in condition.values:
            test, value_params = compile_condition(
                c.Compare(field=condition.field, op="=", value=value), schema
            )
            tests.append(f"count(*) FILTER (WHERE {where} AND {test}) > 0")
            test_params.extend([*params, *value_params])
        return (f"({' AND '.join(tests)})" if tests else "TRUE"), test_params
    assert isinstance(condition, m.SliceAtLeast)
    column = quote_ident(condition.field)
    wanted = int(condition.count)
    if not condition.only:
        return f"(coalesce(count(DISTINCT {column}) FILTER (WHERE {where}), 0) >= {wanted})", params
    kind, kind_params = compile_selection(c.Selection(record_type=record_type), schema)
    return (
        f"(coalesce(count(DISTINCT {column}) FILTER (WHERE {kind}), 0)"
        f" - coalesce(count(DISTINCT {column}) FILTER (WHERE {kind} AND NOT {where}), 0)"
        f" >= {wanted})",
        [*kind_params, *kind_params, *params],
    )


# ------------------------------------------------------------------------------------ data
@dataclass
class SliceRows:
    """The aggregates of each slice that has records: pooled, and per value of ``by``."""

    rows: dict[int, Row]
    groups: dict[str, dict[int, Row]]
    # per `for any` condition: (group or None) -> the slices where it holds, or
    # (group or None) -> slice -> rows of the field's values
    features: list[dict[str | None, set[int]] | dict[str | None, dict[int, list[Row]]]]

    def features_of(self, group: str | None, number: int) -> FeatureRows:
        found: list[bool | Sequence[Row]] = []
        for feature in self.features:
            mine = feature.get(group)
            if isinstance(mine, set):
                found.append(number in mine)
            elif mine is None:
                found.append(False)
            else:
                found.append(mine.get(number, ()))
        return found


SLICE = "_obligo_slice"
GROUP = "_obligo_group"
FEATURE = "_obligo_feature"


def _slice_grid(
    span: tuple[dt.datetime, dt.datetime],
    length: dt.timedelta,
    plan: AggregatePlan,
    group_by: tuple[str, ...],
    feature: str | None,
    having: tuple[str, list[Any]] | None = None,
) -> Grid:
    """The grid ``(slice, group or None, pooled?, [feature,])`` of the records of the plan's
    types in the span; with ``having``, only the cells where it holds."""
    micros = length // MICROSECOND
    inner = [f'(epoch_us("time") // CAST(? AS BIGINT)) AS {SLICE}']
    keys = [SLICE]
    if feature is not None:
        inner.append(f"CAST({quote_ident(feature)} AS VARCHAR) AS {FEATURE}")
        keys.append(FEATURE)
    tuple_columns: list[str] = []
    if len(group_by) == 1:
        inner.append(f"{group_keys.key_sql(group_by)} AS {GROUP}")
    elif group_by:  # grouped by the tuple of the fields; the key made once per group
        tuple_columns = [f"{GROUP}_{number}" for number in range(len(group_by))]
        inner += [
            f"{quote_ident(name)} AS {column}"
            for name, column in zip(group_by, tuple_columns, strict=True)
        ]
    types = sorted(plan.types)
    marks = ", ".join("?" for _ in types)
    where = f'"time" >= ? AND "time" < ? AND "type" IN ({marks})'
    if feature is not None:
        where += f" AND {quote_ident(feature)} IS NOT NULL"
    source = f"(SELECT *, {', '.join(inner)} FROM events WHERE {where})"
    if not group_by:
        head = f"{SLICE}, NULL, 1"
        grouping = ", ".join(keys)
    elif not tuple_columns:
        head = f"{SLICE}, {GROUP}, GROUPING({GROUP})"
        grouping = f"GROUPING SETS (({', '.join(keys)}), ({', '.join([*keys, GROUP])}))"
    else:
        head = f"{SLICE}, {group_keys.key_sql(tuple_columns)}, GROUPING({tuple_columns[0]})"
        grouping = f"GROUPING SETS (({', '.join(keys)}), ({', '.join([*keys, *tuple_columns])}))"
    if feature is not None:
        head += f", {FEATURE}"
    rest = f"FROM {source} AS sliced GROUP BY {grouping}"
    params: list[Any] = [micros, *span, *types]
    if having is not None:
        rest += f" HAVING {having[0]}"
        params += having[1]
    label = " and ".join(types) + f" records in slices of {_length_words(length)}"
    label += group_keys.label(group_by)
    if feature is not None:
        label += f", per value of {feature}"
    return Grid(head, rest, tuple(params), 4 if feature is not None else 3, label)


def _length_words(length: dt.timedelta) -> str:
    """``1 minute``, ``5 minutes``, ``30 seconds``, ``250000 microseconds``."""
    micros = length // MICROSECOND
    units = (
        ("day", 86_400_000_000),
        ("hour", 3_600_000_000),
        ("minute", 60_000_000),
        ("second", 1_000_000),
        ("microsecond", 1),
    )
    unit, size = next((u, n) for u, n in units if micros % n == 0)
    count = micros // size
    return f"{count} {unit}" + ("" if count == 1 else "s")


def _slice_aggregates(
    plan: AggregatePlan,
    having: object,
    state: tuple[str, list[Any]] | None = None,
    reads: int | None = None,
) -> list[Aggregate]:
    """The aggregates of a slice scan. With ``state``, the slice's state and, with ``reads``
    (the column of ``plan`` counting the records that the metric reads; given when the metric
    is measured ``by`` fields), that count: a group's slice without such records is none of the
    group's."""
    if having is not None:
        return [Aggregate("1")]
    found = aggregates_of(plan.columns, plan.params)
    assert found is not None  # AggregatePlan keeps the parameters of each column apart
    if state is not None:  # the scan judges the slices: their states are all the metric reads
        found = [Aggregate(state[0], tuple(state[1]))] + ([] if reads is None else [found[reads]])
    types = sorted(plan.types)
    if len(types) == 1:  # the scan keeps that type only: the aggregates need not test it
        found = [
            Aggregate(sql, tuple(params))
            for sql, params in (without_type_tests(a.sql, list(a.params), types[0]) for a in found)
        ]
    return found


def _slice_scans(
    program: SliceProgram, ctx: EvaluationContext, group_by: tuple[str, ...]
) -> list[tuple[Grid, list[Aggregate]]]:
    """The scans a slice metric reads: its slices, and one per ``for any`` condition."""
    span = (ctx.start, ctx.end)
    if span[1] <= span[0]:
        return []
    state = program.state_sql if not program.for_any else None
    reads = program.records_column if group_by else None
    found = [
        (
            _slice_grid(span, program.length, program.plan, group_by, None),
            _slice_aggregates(program.plan, None, state, reads),
        )
    ]
    for condition in program.for_any:
        found.append(
            (
                _slice_grid(
                    span,
                    program.length,
                    condition.plan,
                    group_by,
                    condition.field,
                    condition.predicate,
                ),
                _slice_aggregates(condition.plan, condition.predicate),
            )
        )
    return found


def scans_of(metric: m.Metric, ctx: EvaluationContext) -> list[tuple[Grid, list[Aggregate]]]:
    """The scans measuring a metric over slices reads (none for other metrics)."""
    if isinstance(metric, m.SliceAverageMetric):
        program = SliceProgram.compile(metric, slice_length(metric.measure.slice), ctx)
        return _slice_scans(program, ctx, metric.measure.group_by)
    if isinstance(metric, m.AvailabilityMetric) and metric.slice_down and metric.slice is not None:
        program = SliceProgram.compile(metric, slice_length(metric.slice), ctx)
        return _slice_scans(program, ctx, metric.measure.group_by)
    return []


def slice_rows(
    program: SliceProgram, ctx: EvaluationContext, group_by: tuple[str, ...]
) -> SliceRows:
    result = SliceRows({}, {}, [])
    scans = _slice_scans(program, ctx, group_by)
    if not scans:
        return result
    feeds = program.metric.id
    (grid, wanted), *features = scans
    pooled_rows = ctx.scans.rows(grid, wanted, ctx.query, feeds)
    if not group_by:  # every row is pooled (one per slice with records)
        result.rows = {int(row[0]): row[3:] for row in pooled_rows}
    for row in pooled_rows if group_by else ():
        number, group, pooled = int(row[0]), row[1], row[2]
        values = row[3:]
        if pooled:
            result.rows[number] = values
        elif group is not None and values[program.records_column]:
            # a slice of the group's records that the metric does not read is not the
            # group's (so a value only such records have is no group)
            result.groups.setdefault(group, {})[number] = values
    for condition, (grid, wanted) in zip(program.for_any, features, strict=True):
        query = ctx.scans.rows(grid, wanted, ctx.query, feeds)
        if condition.needs_rows:
            rows: dict[str | None, dict[int, list[Row]]] = {}
            for row in query:
                number, group, pooled = int(row[0]), row[1], row[2]
                if pooled or group is not None:  # without the `by` field: in no group
                    rows.setdefault(None if pooled else group, {}).setdefault(number, []).append(
                        row[4:]
                    )
            result.features.append(rows)
            continue
        hits: dict[str | None, set[int]] = {}
        check = condition.check
        for row in query:
            number, group, pooled = int(row[0]), row[1], row[2]
            if (pooled or group is not None) and (
                condition.predicate is not None or check(row[4:])
            ):
                hits.setdefault(None if pooled else group, set()).add(number)
        result.features.append(hits)
    return result


# --------------------------------------------------------------------------- availability
def _push(ranges: list[list[int]], start: int, stop: int) -> None:
    if ranges and ranges[-1][1] == start:
        ranges[-1][1] = stop
    else:
        ranges.append([start, stop])


def judge_slices(
    program: SliceProgram,
    rows: dict[int, Row],
    features: Callable[[int], FeatureRows],
    first: int,
    last: int,
    empty_state: int,
    numbers: list[int] | None = None,
) -> tuple[list[list[int]], list[list[int]]]:
    """Runs of down and of skipped slices in ``[first, last)``, as ``[start, stop)`` numbers.
    ``numbers``: the slices with records in ``[first, last)``, sorted (default: from ``rows``)."""
    plain = program.no_features if not program.for_any else None
    state_of = program.state
    if numbers is None:
        numbers = [n for n in sorted(rows) if first <= n < last]
    states = (
        state_of(rows[number], features(number) if plain is None else plain) for number in numbers
    )
    return _runs(numbers, states, first, last, empty_state)


def _runs(
    numbers: Iterable[int], states: Iterable[int], first: int, last: int, empty_state: int
) -> tuple[list[list[int]], list[list[int]]]:
    """Runs of down and of skipped slices in ``[first, last)`` from the states of the slices
    with records (``numbers``, sorted, with their ``states``); every other slice is in
    ``empty_state``."""
    down: list[list[int]] = []
    skipped: list[list[int]] = []
    cursor = first
    for number, state in zip(numbers, states, strict=True):
        if number > cursor and empty_state != UP:
            _push(down if empty_state == DOWN else skipped, cursor, number)
        if state == DOWN:
            _push(down, number, number + 1)
        elif state == SKIPPED:
            _push(skipped, number, number + 1)
        cursor = number + 1
    if cursor < last and empty_state != UP:
        _push(down if empty_state == DOWN else skipped, cursor, last)
    return down, skipped


def _slice_times(
    numbers: list[int], length: dt.timedelta, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The spans of the given slices, the first and last clipped to ``[start, end)``."""
    times: list[tuple[dt.datetime, dt.datetime]] = []
    after, previous = EPOCH, None
    for n in numbers:  # sorted: a slice often begins where the one before ended
        begin = after if n - 1 == previous else EPOCH + length * n
        after, previous = begin + length, n
        times.append((begin, after))
    if times:
        times[0] = (max(times[0][0], start), min(times[0][1], end))
        times[-1] = (max(times[-1][0], start), min(times[-1][1], end))
    return times


class SliceCount:
    """How many slices with records overlap a window, from the slices' numbers (sorted), each
    slice clipped to the evaluated span ``[start, end)``: two bisections, as
    :class:`~obligo.engine.time.intervals.OverlapCount` over the slices' times, without making
    a time for each slice."""

    def __init__(
        self, numbers: list[int], length: dt.timedelta, start: dt.datetime, end: dt.datetime
    ) -> None:
        self._numbers = numbers
        self._length = length // MICROSECOND
        self._start, self._end = utc(start), utc(end)

    def __call__(self, start: dt.datetime, end: dt.datetime) -> int:
        # A slice n, clipped to the span [S, E), is [max(t(n), S), min(t(n + 1), E)); it
        # overlaps [start, end) when max(t(n), S) < end and min(t(n + 1), E) > start, that is
        # when S < end, E > start and floor(start / length) <= n < ceil(end / length).
        start, end = utc(start), utc(end)
        if not (self._start < end and self._end > start):
            return 0
        lo = (start - EPOCH) // MICROSECOND // self._length
        hi = -(-((end - EPOCH) // MICROSECOND) // self._length)
        if hi <= lo:
            return 0
        return bisect_left(self._numbers, hi) - bisect_left(self._numbers, lo)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _downtime(
    program: SliceProgram,
    rows: dict[int, Row],
    features: Callable[[int], FeatureRows],
    ctx: EvaluationContext,
    empty_state: int,
    group: str | None = None,
) -> Downtime:
    length = program.length
    span_start, span_end = ctx.start, ctx.end
    first, last = slice_bounds(span_start, span_end, length)
    numbers = [n for n in sorted(rows) if first <= n < last]
    down, skipped = judge_slices(program, rows, features, first, last, empty_state, numbers)
    return _runs_downtime(program, ctx, down, skipped, numbers, group)


def _runs_downtime(
    program: SliceProgram,
    ctx: EvaluationContext,
    down: list[list[int]],
    skipped: list[list[int]],
    numbers: list[int],
    group: str | None,
    record_times: Callable[[], list[tuple[dt.datetime, dt.datetime]]] | None = None,
) -> Downtime:
    """A Downtime from the runs of down and skipped slices (``numbers``: the slices with
    records, whose times ``record_times`` gives when they are shared)."""
    length = program.length
    # In UTC, as the interval algebra works (a report shows evidence in the contract's time
    # zone: the verdict converts the few it shows).
    span_start, span_end = utc(ctx.start), utc(ctx.end)
    metric = program.metric
    minimum = metric.minimum_run if isinstance(metric, m.AvailabilityMetric) else None
    if minimum:
        down = [r for r in down if r[1] - r[0] >= minimum]

    def clipped(start: int, stop: int) -> tuple[dt.datetime, dt.datetime]:
        return (max(EPOCH + length * start, span_start), min(EPOCH + length * stop, span_end))

    slice_text = str(
        metric.slice if isinstance(metric, m.AvailabilityMetric) else metric.measure.slice
    )
    sources = [
        DownSource(
            clipped(a, b),
            "slice",
            None,
            detail=f"{_plural(b - a, 'slice')} of {slice_text} judged down",
            group=group,
            record=False,
        )
        for a, b in down
    ]
    return Downtime(
        sources=sources,
        skipped=[clipped(a, b) for a, b in skipped],
        later_record_times=(
            (lambda: _slice_times(numbers, length, span_start, span_end))
            if record_times is None
            else record_times
        ),
        record_count=SliceCount(numbers, length, span_start, span_end),
        measured=True,
    )


def slice_downtime(metric: m.AvailabilityMetric, ctx: EvaluationContext) -> Downtime:
    """The down and skipped slices of an availability metric (per group with ``by``)."""
    if metric.slice is None:  # pragma: no cover - the checks require it with slice conditions
        return Downtime(measured=False, unmeasured_reason="the metric says no slice length")
    length = slice_length(metric.slice)
    program = SliceProgram.compile(metric, length, ctx)
    group_by = metric.measure.group_by
    if program.state_sql is not None and not program.for_any:
        return _judged_downtime(program, ctx, group_by)
    data = slice_rows(program, ctx, group_by)
    # Every slice without records is judged alike: once.
    empty_state = program.state(program.empty_row, program.no_features)
    result = _downtime(program, data.rows, _features(program, data, None), ctx, empty_state)
    if not data.rows:
        result.measured = False
        result.unmeasured_reason = "unmeasured: the log has no " + " or ".join(
            f"{t} records" for t in sorted(program.plan.types)
        )
    for name in sorted(data.groups):
        result.groups[name] = _downtime(
            program, data.groups[name], _features(program, data, name), ctx, empty_state, group=name
        )
    return result


def _judged_downtime(
    program: SliceProgram, ctx: EvaluationContext, group_by: tuple[str, ...]
) -> Downtime:
    """:func:`slice_downtime` of a metric whose slices the scan judged (``state_sql``): the
    rows hold each slice's state; only the slices that are not up are looked at one by one."""
    scans = _slice_scans(program, ctx, group_by)
    empty_state = program.state(program.empty_row, program.no_features)
    counted: tuple[Aggregate, ...] = ()  # the count of the records the metric reads (by fields)
    if not scans:
        rows: list[tuple[Any, ...]] = []
        grid, position = None, 0
    else:
        grid, wanted = scans[0]
        rows, (position, *reads) = ctx.scans.read(grid, wanted, ctx.query, program.metric.id)
        if reads:  # by fields: a group's slice without records the metric reads is not its
            counted = tuple(wanted[1:])
            rows = _rows_read(ctx, grid, rows, counted, reads[0])
    numbers = _numbers_of(ctx, grid, rows, counted)
    marked: dict[str | None, dict[int, int]] = {}
    # Most slices are up (state 0): the column is taken out and filtered in C, and only the
    # rows of the others are looked at.
    states = list(map(itemgetter(position), rows))
    for index in compress(range(len(states)), states):
        row = rows[index]
        if row[2] or row[1] is not None:
            marked.setdefault(None if row[2] else str(row[1]), {})[int(row[0])] = states[index]
    result = _downtime_of(
        program, ctx, grid, numbers.get(None, []), marked.get(None, {}), empty_state, None, counted
    )
    if not numbers.get(None):
        result.measured = False
        result.unmeasured_reason = "unmeasured: the log has no " + " or ".join(
            f"{t} records" for t in sorted(program.plan.types)
        )
    for name in sorted(g for g in numbers if g is not None):
        group_downtime = _downtime_of(
            program, ctx, grid, numbers[name], marked.get(name, {}), empty_state, name, counted
        )
        result.groups[name] = group_downtime
    return result


def _rows_read(
    ctx: EvaluationContext,
    grid: Grid,
    rows: list[tuple[Any, ...]],
    counted: tuple[Aggregate, ...],
    read: int,
) -> list[tuple[Any, ...]]:
    """The rows pooled or without a group, and those of a group with records that ``counted``
    counts (at ``read``): the same for every metric over the grid that counts the same (ten
    thresholds over one record type), so filtered once, not once per metric. Kept only while
    the scan holds ``rows`` (so ``id(rows)`` names them): its last reader lets both go."""
    key = ("slice rows read", grid, counted, read, id(rows))
    kept: list[tuple[Any, ...]] | None = ctx.shared.get(key)
    if kept is None:
        kept = [row for row in rows if row[2] or row[1] is None or row[read]]
        ctx.shared[key] = kept
    scan = ctx.scans.scans.get(grid)
    if scan is None or scan.rows is not rows:  # released (or read alone): not kept
        del ctx.shared[key]
    return kept


def _numbers_of(
    ctx: EvaluationContext,
    grid: Grid | None,
    rows: list[tuple[Any, ...]],
    reads: tuple[Aggregate, ...] = (),
) -> dict[str | None, list[int]]:
    """The slices with records in the span, sorted, pooled (None) and per group (those with
    records that ``reads`` counts): the same for every metric over the grid that counts the
    same, so found once."""
    key = ("slice numbers", grid, reads)
    if key not in ctx.shared:
        found: dict[str | None, list[int]] = {}
        # The three head columns taken out in C (a row holds every aggregate of the scan),
        # the list of a group looked up only when the group changes (rows come by group).
        current: object = ()
        listed: list[int] = []
        for number, group, pooled in map(itemgetter(0, 1, 2), rows):
            if pooled or group is not None:
                name = None if pooled else str(group)
                if name != current:
                    current, listed = name, found.setdefault(name, [])
                listed.append(int(number))
        for listed in found.values():
            listed.sort()
        ctx.shared[key] = found
    numbers: dict[str | None, list[int]] = ctx.shared[key]
    return numbers


def _record_times(
    ctx: EvaluationContext,
    grid: Grid | None,
    group: str | None,
    length: dt.timedelta,
    reads: tuple[Aggregate, ...] = (),
) -> list[tuple[dt.datetime, dt.datetime]]:
    key = ("slice record times", grid, group, reads)
    if key not in ctx.shared:
        numbers = ctx.shared.get(("slice numbers", grid, reads), {}).get(group, [])
        ctx.shared[key] = _slice_times(numbers, length, utc(ctx.start), utc(ctx.end))
    times: list[tuple[dt.datetime, dt.datetime]] = ctx.shared[key]
    return times


def _downtime_of(
    program: SliceProgram,
    ctx: EvaluationContext,
    grid: Grid | None,
    numbers: list[int],
    marked: dict[int, int],
    empty_state: int,
    group: str | None = None,
    reads: tuple[Aggregate, ...] = (),
) -> Downtime:
    """:func:`_downtime` from the slices with records (``numbers``) and the states of those
    that are not up (``marked``)."""
    length = program.length
    first, last = slice_bounds(ctx.start, ctx.end, length)
    in_span = numbers[bisect_left(numbers, first) : bisect_left(numbers, last)]  # sorted
    if empty_state == UP:  # only the marked slices are down or skipped: look at those alone
        marked_in_span = sorted(n for n in marked if first <= n < last)
        states = [marked[n] for n in marked_in_span]
        down, skipped = _runs(marked_in_span, states, first, last, empty_state)
    else:
        states = [marked.get(n, UP) for n in in_span]
        down, skipped = _runs(in_span, states, first, last, empty_state)
    shared = len(in_span) == len(numbers)
    times = (lambda: _record_times(ctx, grid, group, length, reads)) if shared else None
    return _runs_downtime(program, ctx, down, skipped, in_span, group, times)


def _features(
    program: SliceProgram, data: SliceRows, group: str | None
) -> Callable[[int], FeatureRows]:
    if program.for_any and not any(c.needs_rows for c in program.for_any):
        # Conditions are alternatives: a slice where any `for any` holds is down, so one set of
        # the slices where some `for any` held is enough.
        union: set[int] = set()
        for found in data.features:
            mine = found.get(group)
            if isinstance(mine, set):
                union |= mine
        held = tuple(True for _ in program.for_any)
        none = program.no_features
        return lambda number: held if number in union else none
    return lambda number: data.features_of(group, number)


# -------------------------------------------------------------------------------- average
def _exact_sum(values: Iterable[Fraction | int]) -> Fraction:
    """The exact sum of many fractions: numerators added per denominator, then combined, so the
    common denominator is built once per distinct denominator, not once per value."""
    by_denominator: dict[int, int] = {}
    for value in values:
        if type(value) is int:
            by_denominator[1] = by_denominator.get(1, 0) + value
        else:
            d = value.denominator
            by_denominator[d] = by_denominator.get(d, 0) + value.numerator
    total = Fraction(0)
    for denominator, numerator in by_denominator.items():
        total += Fraction(numerator, denominator)
    return total


def slice_average(metric: m.SliceAverageMetric, ctx: EvaluationContext) -> dict[str, Measurement]:
    """``100% minus the average error-rate in slices of 5 minutes``: the mean of per-slice
    values over the slices of each period."""
    measure = metric.measure
    length = slice_length(measure.slice)
    program = SliceProgram.compile(metric, length, ctx)
    data = slice_rows(program, ctx, measure.group_by)
    results = _averages(metric, program, ctx, data.rows)
    # `, by FIELD, ...`: each group averaged over its own records' slices, in the periods
    # where it has some (a slice without its records is judged as one without records).
    for name in sorted(data.groups):
        for label, measurement in _averages(metric, program, ctx, data.groups[name], True).items():
            results[label].groups[name] = measurement
    return results


def _averages(
    metric: m.SliceAverageMetric,
    program: SliceProgram,
    ctx: EvaluationContext,
    rows: dict[int, Row],
    only_with_records: bool = False,
) -> dict[str, Measurement]:
    """Each period's average over the slices of ``rows`` (the slices with records)."""
    measure = metric.measure
    length = program.length
    numbers = sorted(rows)
    values: list[Exact | _Skip | None] = []
    records: list[int] = []
    for number in numbers:
        row = rows[number]
        values.append(program.value(row))
        records.append(int(row[program.records_column] or 0))
    empty_value = program.value(program.empty_row)
    results: dict[str, Measurement] = {}
    span_end = ctx.end
    for period in ctx.periods(metric.period):
        end = max(min(period.end, span_end), period.start)
        first, last = slice_bounds(period.start, end, length)
        lo, hi = bisect_left(numbers, first), bisect_left(numbers, last)
        if only_with_records and lo == hi:
            continue
        counted: list[Exact] = []
        skipped = undefined = 0
        worst: list[tuple[Fraction, int]] = []
        for index in range(lo, hi):
            value = values[index]
            if value is None:
                undefined += 1
            elif isinstance(value, _Skip):
                skipped += 1
            else:
                counted.append(value)
                if value > 0:
                    worst.append((Fraction(value), numbers[index]))
        slices = len(counted)
        total = _exact_sum(counted)
        empty = (last - first) - (hi - lo)
        if empty:
            if empty_value is None:
                undefined += empty
            elif isinstance(empty_value, _Skip):
                skipped += empty
            else:
                slices += empty
                total += Fraction(empty_value) * empty
        measurement = Measurement(value=None, dimension="percent", records=sum(records[lo:hi]))
        measurement.totals = {
            "slices": slices,
            "slices_skipped": skipped,
            "slices_undefined": undefined,
            "slices_above_zero": len(worst),
        }
        if slices:
            average = total / slices * 100
            measurement.value = (
                Fraction(measure.complement_of.value) - average
                if measure.complement_of
                else average
            )
            measurement.totals["average_percent"] = average
        else:
            measurement.no_data = "no slice to average in the period"
        worst.sort(key=lambda pair: (-pair[0], pair[1]))
        measurement.contributors = [
            Contribution(
                type="slice",
                start=(EPOCH + length * n).astimezone(ctx.tz),
                end=(EPOCH + length * (n + 1)).astimezone(ctx.tz),
                detail=f"{measure.value} {decimal_text(rate * 100)}%",
            )
            for rate, n in worst[:KEPT]
        ]
        measurement.contributors_total = len(worst)
        results[period.label] = measurement
    return results


__all__ = ["Budget", "SliceProgram", "slice_average", "slice_downtime", "slice_rows"]

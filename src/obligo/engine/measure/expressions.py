"""Aggregate expressions (``count(request records where ...) / count(request records)``) as SQL.

Every aggregate call inside an expression becomes one or two aggregate columns with a
``FILTER (WHERE ...)`` clause; Python then combines the aggregated numbers exactly. Values are
bound as parameters, field names quoted as identifiers.

- ``count(SELECTION)`` counts the records; ``count(FIELD in SELECTION)`` those with the field.
- ``sum(FIELD in SELECTION)`` is the exact DECIMAL sum (0 over no records, like a count).
- ``mean`` / ``average`` is that sum divided by the number of values, as a Fraction: never a
  database average, which may come back as a float.
- ``maximum`` / ``max``, ``minimum`` / ``min``: exact; undefined over no values.
- ``p95(FIELD in SELECTION)`` (any percentile): nearest rank over the values of the slice.

An expression is compiled once (:func:`compile_expression`) into a function of one row of
aggregates, so that judging many slices never compiles a selection again. Arithmetic is exact
(``int`` and :class:`~fractions.Fraction`); a value divided by zero is undefined (``None``) and
so is everything computed from it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from obligo.events import EventSchema, FieldType
from obligo.events.sql import NUMBER_SQL, compile_selection, quote_ident
from obligo.model import conditions as c
from obligo.model.base import Duration, Number, Percent
from obligo.model.metrics import NamedValue

#: An exact number: counts stay ints, everything else is a Fraction.
Exact = int | Fraction
Row = Sequence[Any]
Evaluator = Callable[[Row], Exact | None]

FUNCTIONS = {
    "count": "count",
    "sum": "sum",
    "mean": "mean",
    "average": "mean",
    "maximum": "max",
    "max": "max",
    "minimum": "min",
    "min": "min",
}


@dataclass
class AggregatePlan:
    """The SQL aggregate columns an expression needs, in order, with their parameters."""

    columns: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    types: set[str] = field(default_factory=set)

    def add(self, sql: str, params: list[Any], record_type: str) -> int:
        """The column's index; the same SQL with the same parameters is one column."""
        key = sql + repr(params)
        if key not in self.index:
            self.index[key] = len(self.columns)
            self.columns.append(sql)
            self.params.extend(params)
        self.types.add(record_type)
        return self.index[key]

    def count(self, selection: c.Selection, schema: EventSchema) -> int:
        """A column counting the records of a selection."""
        where, params = compile_selection(selection, schema)
        return self.add(f"count(*) FILTER (WHERE {where})", params, selection.record_type)

    def any_of(self, selections: Sequence[c.Selection], schema: EventSchema) -> int:
        """A column counting the records that any of the selections reads."""
        parts: dict[str, list[Any]] = {}
        for selection in selections:
            where, params = compile_selection(selection, schema)
            parts.setdefault(where + repr(params), [where, params])
        if not parts:
            return self.add("count(*)", [], next(iter(sorted(self.types)), ""))
        sql = " OR ".join(where for where, _ in parts.values())
        params = [p for _, group in parts.values() for p in group]
        return self.add(f"count(*) FILTER (WHERE {sql})", params, selections[0].record_type)


def numeric_column(name: str, schema: EventSchema, prefix: str = "") -> str:
    """A field as an exact number in SQL (a text field is read as a number, else null)."""
    column = prefix + quote_ident(name)
    if schema.fields.get(name) is FieldType.NUMBER:
        return column
    return f"TRY_CAST({column} AS {NUMBER_SQL})"


def percentile_of(function: str) -> Fraction | None:
    """``p95`` -> 95/100, ``p99.9`` -> 999/1000; None for other names."""
    if len(function) < 2 or function[0] != "p":
        return None
    try:
        return Fraction(Decimal(function[1:])) / 100
    except ArithmeticError:
        return None


def nearest_rank(share: Fraction, n: int) -> int:
    """The 1-based rank of the nearest-rank percentile: ceil(share * n), at least 1."""
    return max(1, -((-share.numerator * n) // share.denominator))


def exact(raw: object) -> Fraction | None:
    """A database number as an exact Fraction; a float is refused: it cannot be exact."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return Fraction(int(raw))
    if isinstance(raw, int | Decimal | Fraction):
        return Fraction(raw)
    raise TypeError(f"not an exact number: {raw!r}")


def _plan_call(call: c.Call, schema: EventSchema, plan: AggregatePlan) -> Evaluator:
    share = percentile_of(call.function)
    function = FUNCTIONS.get(call.function)
    if function is None and share is None:
        raise ValueError(f"unknown function {call.function}")
    if len(call.arguments) != 1:
        raise ValueError(f"{call.function} takes one argument")
    argument = call.arguments[0]
    if isinstance(argument, c.SelectionArg):
        if function != "count":
            raise ValueError(f"{call.function} takes a field of records: FIELD in TYPE records")
        index = plan.count(argument.selection, schema)
        return lambda row: row[index] or 0
    if not isinstance(argument, c.FieldOf):
        raise ValueError(f"{call.function} takes records or a field of records")
    where, params = compile_selection(argument.selection, schema)
    record_type = argument.selection.record_type
    if function == "count":
        index = plan.add(
            f"count({quote_ident(argument.field)}) FILTER (WHERE {where})", params, record_type
        )
        return lambda row: row[index] or 0
    value = numeric_column(argument.field, schema)
    if share is not None:
        index = plan.add(
            f"list({value} ORDER BY {value}) FILTER (WHERE {where} AND {value} IS NOT NULL)",
            params,
            record_type,
        )

        def percentile(row: Row) -> Exact | None:
            values = row[index]
            if not values:
                return None
            return exact(values[nearest_rank(share, len(values)) - 1])

        return percentile
    if function == "sum":
        index = plan.add(f"sum({value}) FILTER (WHERE {where})", params, record_type)
        return lambda row: 0 if row[index] is None else exact(row[index])
    if function == "mean":
        total = plan.add(f"sum({value}) FILTER (WHERE {where})", params, record_type)
        count = plan.add(f"count({value}) FILTER (WHERE {where})", params, record_type)

        def mean(row: Row) -> Exact | None:
            n: int = row[count]
            if not n:
                return None
            return Fraction(row[total]) / n

        return mean
    index = plan.add(f"{function}({value}) FILTER (WHERE {where})", params, record_type)
    return lambda row: exact(row[index])


def selections_of(
    expressions: Iterable[c.Expression], values: Mapping[str, NamedValue]
) -> list[c.Selection]:
    """Every selection the expressions read, through the named values they use."""
    found: list[c.Selection] = []
    seen: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, c.Call):
            for argument in node.arguments:
                if isinstance(argument, c.SelectionArg | c.FieldOf):
                    found.append(argument.selection)
                else:
                    walk(argument)
        elif isinstance(node, c.Arithmetic):
            walk(node.left)
            walk(node.right)
        elif isinstance(node, c.ValueRef) and node.name not in seen and node.name in values:
            seen.add(node.name)
            walk(values[node.name].expression)

    for expression in expressions:
        walk(expression)
    return found


def compile_expression(
    expression: c.Expression,
    values: Mapping[str, NamedValue],
    schema: EventSchema,
    plan: AggregatePlan,
    overrides: Mapping[str, Fraction] | None = None,
) -> Evaluator:
    """Plan the expression's columns and return its value as a function of one row.

    ``overrides`` give some named values a fixed value (``a slice without request records has
    an error-rate of 0%``): the name stands for that number wherever it is used.
    """
    fixed = dict(overrides or {})
    cache: dict[str, Evaluator] = {}

    def build(node: c.Expression, seen: tuple[str, ...]) -> Evaluator:
        if isinstance(node, c.Call):
            return _plan_call(node, schema, plan)
        if isinstance(node, c.Constant):
            number = literal_fraction(node.value)
            return lambda row: number
        if isinstance(node, c.ValueRef):
            if node.name in fixed:
                override = fixed[node.name]
                return lambda row: override
            if node.name in seen:
                raise ValueError(f"value {node.name} is defined in terms of itself")
            if node.name not in cache:
                cache[node.name] = build(values[node.name].expression, (*seen, node.name))
            return cache[node.name]
        assert isinstance(node, c.Arithmetic)
        left = build(node.left, seen)
        right = build(node.right, seen)
        return _ARITHMETIC[node.op](left, right)

    return build(expression, ())


def compile_comparison(
    expression: c.Expression,
    op: str,
    threshold: Fraction,
    values: Mapping[str, NamedValue],
    schema: EventSchema,
    plan: AggregatePlan,
    overrides: Mapping[str, Fraction] | None = None,
) -> Callable[[Row], bool]:
    """Whether the expression's value compares so with the threshold on a row (False when the
    value is undefined). A quotient of two whole numbers (``failures / requests > 5%``) is
    compared by cross-multiplying integers, without building a Fraction per row."""
    compare = COMPARE[op]
    fixed = dict(overrides or {})
    node = expression
    while isinstance(node, c.ValueRef) and node.name not in fixed and node.name in values:
        node = values[node.name].expression
    if isinstance(node, c.Arithmetic) and node.op == "divide":
        top = compile_expression(node.left, values, schema, plan, fixed)
        bottom = compile_expression(node.right, values, schema, plan, fixed)
        p, q = threshold.numerator, threshold.denominator

        def quotient(row: Row) -> bool:
            a, b = top(row), bottom(row)
            if a is None or b is None or b == 0:
                return False
            if type(a) is int and type(b) is int:
                # a / b OP p / q  <=>  a * q OP p * b  (b > 0), reversed when b < 0
                return compare(a * q, p * b) if b > 0 else compare(p * b, a * q)
            return compare(Fraction(a) / b, threshold)

        return quotient
    evaluate = compile_expression(expression, values, schema, plan, fixed)

    def general(row: Row) -> bool:
        value = evaluate(row)
        return value is not None and compare(value, threshold)

    return general


def names_used(expression: c.Expression, values: Mapping[str, NamedValue]) -> set[str]:
    """The named values an expression uses, directly or through other values."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, c.ValueRef) and node.name not in found:
            found.add(node.name)
            if node.name in values:
                walk(values[node.name].expression)
        elif isinstance(node, c.Arithmetic):
            walk(node.left)
            walk(node.right)
        elif isinstance(node, c.Call):
            for argument in node.arguments:
                walk(argument)

    walk(expression)
    return found


def _count_sql(node: c.Expression, schema: EventSchema) -> tuple[str, list[Any]] | None:
    if not isinstance(node, c.Call) or node.function != "count" or len(node.arguments) != 1:
        return None
    argument = node.arguments[0]
    if isinstance(argument, c.SelectionArg):
        where, params = compile_selection(argument.selection, schema)
        return f"count(*) FILTER (WHERE {where})", params
    if isinstance(argument, c.FieldOf):
        where, params = compile_selection(argument.selection, schema)
        return f"count({quote_ident(argument.field)}) FILTER (WHERE {where})", params
    return None


# Counts stay below 2**63; times a term up to 10**18 the products stay inside HUGEINT (2**127).
_HUGEINT_SAFE = 10**18


def quotient_sql(
    expression: c.Expression,
    op: str,
    threshold: Fraction,
    values: Mapping[str, NamedValue],
    schema: EventSchema,
) -> tuple[str, list[Any]] | None:
    """An exact SQL predicate for ``count(...) / count(...) OP threshold``, or None when the
    expression has another shape. Integers only: ``b > 0 AND a * q OP p * b`` for the threshold
    ``p / q`` (counts are never negative), in HUGEINT."""

    def resolve(node: c.Expression) -> c.Expression:
        seen: set[str] = set()
        while isinstance(node, c.ValueRef) and node.name in values and node.name not in seen:
            seen.add(node.name)
            node = values[node.name].expression
        return node

    node = resolve(expression)
    if not (isinstance(node, c.Arithmetic) and node.op == "divide"):
        return None
    top = _count_sql(resolve(node.left), schema)
    bottom = _count_sql(resolve(node.right), schema)
    if top is None or bottom is None or op not in COMPARE:
        return None
    (a, a_params), (b, b_params) = top, bottom
    p, q = int(threshold.numerator), int(threshold.denominator)
    if max(abs(p), q) > _HUGEINT_SAFE:
        return None  # a count times the threshold's terms could pass HUGEINT: judged in Python
    sql = (
        f"(({b}) > 0 AND CAST(({a}) AS HUGEINT) * CAST({q} AS HUGEINT)"
        f" {'<>' if op == '!=' else op} CAST(({b}) AS HUGEINT) * CAST({p} AS HUGEINT))"
    )
    return sql, [*b_params, *a_params, *b_params]


COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "=": operator.eq,
    "!=": operator.ne,
}


def _plus(left: Evaluator, right: Evaluator) -> Evaluator:
    def run(row: Row) -> Exact | None:
        a, b = left(row), right(row)
        return None if a is None or b is None else a + b

    return run


def _minus(left: Evaluator, right: Evaluator) -> Evaluator:
    def run(row: Row) -> Exact | None:
        a, b = left(row), right(row)
        return None if a is None or b is None else a - b

    return run


def _times(left: Evaluator, right: Evaluator) -> Evaluator:
    def run(row: Row) -> Exact | None:
        a, b = left(row), right(row)
        return None if a is None or b is None else a * b

    return run


def _divide(left: Evaluator, right: Evaluator) -> Evaluator:
    def run(row: Row) -> Exact | None:
        a, b = left(row), right(row)
        if a is None or b is None or b == 0:
            return None
        return Fraction(a, b) if type(a) is int and type(b) is int else Fraction(a) / b

    return run


_ARITHMETIC: dict[str, Callable[[Evaluator, Evaluator], Evaluator]] = {
    "plus": _plus,
    "minus": _minus,
    "times": _times,
    "divide": _divide,
}


def literal_fraction(value: object) -> Fraction | None:
    """A literal as an exact number: percentages as a share of 1, durations in seconds."""
    if isinstance(value, Percent):
        return Fraction(value.value) / 100
    if isinstance(value, Number):
        return Fraction(value.value)
    if isinstance(value, Duration) and value.seconds is not None:
        return Fraction(value.seconds)
    return None

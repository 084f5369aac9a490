"""Aggregate expressions (``count(request records where ...) / count(request records)``) as SQL.

Every ``count(...)`` and ``sum(...)`` inside an expression becomes one aggregate column with a
``FILTER (WHERE ...)`` clause; Python then combines the aggregated numbers exactly, with
Fractions. Values are bound as parameters, field names quoted as identifiers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from obligo.events import EventSchema
from obligo.events.sql import compile_selection, quote_ident
from obligo.model import conditions as c
from obligo.model.base import Duration, Number, Percent
from obligo.model.metrics import NamedValue

AGGREGATES = {
    "count": "count",
    "sum": "sum",
    "mean": "avg",
    "average": "avg",
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
        key = sql + repr(params)
        if key not in self.index:
            self.index[key] = len(self.columns)
            self.columns.append(sql)
            self.params.extend(params)
        self.types.add(record_type)
        return self.index[key]


def plan_call(call: c.Call, schema: EventSchema, plan: AggregatePlan) -> int:
    function = AGGREGATES[call.function]
    argument = call.arguments[0]
    if isinstance(argument, c.SelectionArg):
        where, params = compile_selection(argument.selection, schema)
        return plan.add(f"count(*) FILTER (WHERE {where})", params, argument.selection.record_type)
    if isinstance(argument, c.FieldOf):
        where, params = compile_selection(argument.selection, schema)
        column = quote_ident(argument.field)
        sql = f"{function}({column}) FILTER (WHERE {where})"
        return plan.add(sql, params, argument.selection.record_type)
    raise ValueError(f"{call.function} takes records or a field of records")


def plan_expression(
    expression: c.Expression,
    values: dict[str, NamedValue],
    schema: EventSchema,
    plan: AggregatePlan,
) -> None:
    if isinstance(expression, c.Call):
        plan_call(expression, schema, plan)
    elif isinstance(expression, c.Arithmetic):
        plan_expression(expression.left, values, schema, plan)
        plan_expression(expression.right, values, schema, plan)
    elif isinstance(expression, c.ValueRef):
        plan_expression(values[expression.name].expression, values, schema, plan)


def evaluate_expression(
    expression: c.Expression,
    values: dict[str, NamedValue],
    schema: EventSchema,
    plan: AggregatePlan,
    row: tuple[Any, ...],
) -> Fraction | None:
    """The exact value of an expression on one row of aggregates; None when undefined (0/0)."""
    if isinstance(expression, c.Call):
        raw = row[plan_call(expression, schema, plan)]
        return (
            Fraction(0) if raw is None and expression.function in ("count", "sum") else _exact(raw)
        )
    if isinstance(expression, c.ValueRef):
        return evaluate_expression(values[expression.name].expression, values, schema, plan, row)
    if isinstance(expression, c.Constant):
        return literal_fraction(expression.value)
    assert isinstance(expression, c.Arithmetic)
    left = evaluate_expression(expression.left, values, schema, plan, row)
    right = evaluate_expression(expression.right, values, schema, plan, row)
    if left is None or right is None:
        return None
    if expression.op == "plus":
        return left + right
    if expression.op == "minus":
        return left - right
    if expression.op == "times":
        return left * right
    return None if right == 0 else left / right


def literal_fraction(value: object) -> Fraction | None:
    """A literal as an exact number: percentages as a share of 1, durations in seconds."""
    if isinstance(value, Percent):
        return Fraction(value.value) / 100
    if isinstance(value, Number):
        return Fraction(value.value)
    if isinstance(value, Duration) and value.seconds is not None:
        return Fraction(value.seconds)
    return None


def _exact(raw: object) -> Fraction | None:
    if raw is None:
        return None
    if isinstance(raw, int | Decimal | Fraction):
        return Fraction(raw)
    if isinstance(raw, float):  # an average over DECIMAL may come back as a double
        return Fraction(Decimal(repr(raw)))
    return Fraction(str(raw))

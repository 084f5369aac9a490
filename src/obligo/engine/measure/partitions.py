"""Metrics that read the records of one value of a text field, and the same metric without that test.

A contract of many services often measures each on its own records: ``p95 of latency_ms in
request records where service = "s5"``. Every selection of such a metric tests ``service =
"s5"`` (a conjunct of its ``where``). The planner measures those metrics together, as the
cells of one scan grouped by ``service``, each metric's aggregates written without the test:
:func:`partition_of` finds the field and the value, :func:`without_test` removes the test.
Grouping by the field's text and comparing it with the value is the same test as the ``=`` of
a text field with a text (exact, case-sensitive: see :mod:`obligo.events.sql`).
"""

from __future__ import annotations

from typing import Any, TypeVar

from obligo._transform import KEEP, transform
from obligo.events.schema import EventSchema, FieldType
from obligo.model import metrics as m
from obligo.model.base import Node, Text
from obligo.model.conditions import And, Compare, Condition, Selection

Partitioned = TypeVar("Partitioned", m.RatioMetric, m.AggregateMetric)


def _tests(condition: Condition | None) -> list[Condition]:
    """The conjuncts of a condition (all must hold)."""
    if condition is None:
        return []
    if isinstance(condition, And):
        return [t for operand in condition.operands for t in _tests(operand)]
    return [condition]


def _equalities(selection: Selection, schema: EventSchema) -> set[tuple[str, str]]:
    """The ``FIELD = "text"`` tests on text fields that a selection's records all pass."""
    found = set()
    for test in _tests(selection.where):
        if (
            isinstance(test, Compare)
            and test.op == "="
            and isinstance(test.value, Text)
            and schema.fields.get(test.field) is FieldType.TEXT
        ):
            found.add((test.field, test.value.value))
    return found


def selections(node: Any) -> list[Selection]:
    """Every selection in a model node."""
    found: list[Selection] = []

    def visit(value: Any) -> None:
        if isinstance(value, Selection):
            found.append(value)
        elif isinstance(value, Node):
            for name in type(value).model_fields:
                visit(getattr(value, name))
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)

    visit(node)
    return found


def partition_of(metric: m.Metric, schema: EventSchema) -> tuple[str, str] | None:
    """The text field and value every record of a ratio or an aggregate without ``by`` is
    tested on, when there is one (the first in name order when there are several)."""
    if not isinstance(metric, m.RatioMetric | m.AggregateMetric):
        return None
    measure = metric.measure
    if measure.group_by:
        return None
    values = metric.values if isinstance(metric, m.RatioMetric) else ()
    found = selections([measure, values])
    if not found:
        return None
    common = set.intersection(*(_equalities(s, schema) for s in found))
    return min(common) if common else None


def split_selection(selection: Selection, schema: EventSchema) -> tuple[str, str, Selection] | None:
    """A selection's test ``FIELD = "text"`` on a text field (the first in name order), and
    the selection without it; None without such a test."""
    found = _equalities(selection, schema)
    if not found:
        return None
    field, value = min(found)
    return field, value, _without(selection, field, value)


def without_test(metric: Partitioned, field: str, value: str) -> Partitioned:
    """The metric with the test ``field = "value"`` taken out of each of its selections."""
    update: dict[str, Any] = {"measure": _without(metric.measure, field, value)}
    if isinstance(metric, m.RatioMetric):
        update["values"] = _without(metric.values, field, value)
    return metric.model_copy(update=update)


def _without(node: Any, field: str, value: str) -> Any:
    """A node with the test ``field = "value"`` taken out of each selection in it."""

    def rewrite(node: Any) -> Any:
        if not isinstance(node, Selection):
            return KEEP
        kept = [t for t in _tests(node.where) if not _is_test(t, field, value)]
        where: Condition | None
        if not kept:
            where = None
        elif len(kept) == 1:
            where = kept[0]
        else:
            where = And(operands=tuple(kept), loc=node.loc)
        return node.model_copy(update={"where": where})

    return transform(node, rewrite)


def _is_test(condition: Condition, field: str, value: str) -> bool:
    return (
        isinstance(condition, Compare)
        and condition.op == "="
        and condition.field == field
        and isinstance(condition.value, Text)
        and condition.value.value == value
    )

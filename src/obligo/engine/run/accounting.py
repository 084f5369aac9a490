"""The line account of an evaluation: what became of every line of every input."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from obligo.engine.context import EvaluationContext
from obligo.engine.measure.partitions import split_selection
from obligo.events.sql import compile_condition, quote_ident
from obligo.model.base import walk
from obligo.model.conditions import Selection
from obligo.model.metrics import PausedWhile


@dataclass(frozen=True, slots=True)
class LineAccount:
    """Every line read from one input, accounted for: used by the contract inside its evaluated
    span, outside it, not used, rejected, folded into an earlier record (merged); with the
    timestamps read without an offset and the near names of unused record types."""

    name: str
    lines: int
    used: int
    outside_periods: int
    unused: int
    rejected: int
    merged: int
    naive_timestamps: int
    near: tuple[str, ...]


# Whether a record is inside an evaluated span: its instant is, or its interval overlaps it (an
# incident that began before the term but ran into it made downtime). Parameters: the span's
# start, end, end, start.
_IN_SPAN = (
    '(CASE WHEN "time" IS NOT NULL THEN "time" >= ? AND "time" < ?'
    ' WHEN "start" IS NOT NULL THEN "start" < ? AND ("end" IS NULL OR "end" > ?)'
    " ELSE TRUE END)"
)


def account_lines(ctx: EvaluationContext) -> list[LineAccount]:
    """Every line of every input: used, outside the periods, not used by this contract, rejected."""
    return account_inputs([ctx], ctx.query)


def account_inputs(
    contexts: Sequence[EvaluationContext],
    query: Callable[[str, list[Any]], list[Any]],
    scopes: Sequence[tuple[str, list[Any]]] | None = None,
) -> list[LineAccount]:
    """Every line of the inputs that ``contexts`` share (one log): used by an agreement inside
    its evaluated span, outside every such span, used by none, rejected. ``scopes``, one per
    context, is the condition on the records each evaluation saw (a customer's, a service's)."""
    used_parts: list[str] = []
    in_span_parts: list[str] = []
    used_params: list[Any] = []
    in_span_params: list[Any] = []
    for index, ctx in enumerate(contexts):
        selected, params = _selected(ctx)
        if scopes is not None:
            selected = f"({selected}) AND {scopes[index][0]}"
            params = [*params, *scopes[index][1]]
        used_parts.append(selected)
        used_params.extend(params)
        in_span_parts.append(f"(({selected}) AND {_IN_SPAN})")
        in_span_params.extend([*params, ctx.start, ctx.end, ctx.end, ctx.start])
    used = " OR ".join(used_parts) or "FALSE"
    in_span = " OR ".join(in_span_parts) or "FALSE"
    if len(contexts) == 1:
        # One contract: a record is inside the span when it is used and its time is in the
        # span. The contract's selections (one per metric, a thousand in a large contract)
        # are tested once a record, not twice.
        ctx = contexts[0]
        rows = query(
            "SELECT _input, count(*) FILTER (WHERE _used AND _in),"
            " count(*) FILTER (WHERE _used AND NOT _in),"
            " count(*) FILTER (WHERE NOT _used) FROM "
            f"(SELECT _input, ({used}) AS _used, {_IN_SPAN} AS _in FROM events) GROUP BY _input",
            [*used_params, ctx.start, ctx.end, ctx.end, ctx.start],
        )
    else:
        rows = query(
            "SELECT _input, count(*) FILTER (WHERE _in_span),"
            " count(*) FILTER (WHERE _used AND NOT _in_span),"
            " count(*) FILTER (WHERE NOT _used) FROM "
            f"(SELECT _input, ({in_span}) AS _in_span, ({used}) AS _used FROM events)"
            " GROUP BY _input",
            [*in_span_params, *used_params],
        )
    by_input = {int(r[0]): r[1:] for r in rows}
    accounts: list[LineAccount] = []
    for index, account in enumerate(contexts[0].log.inputs):
        used_n, outside_n, unselected_n = (int(n) for n in by_input.get(index, (0, 0, 0)))
        # The loader's records are counted before records with the same type and id are merged;
        # the rows above after. The difference is the lines folded into another record.
        merged = account.records - used_n - outside_n - unselected_n
        accounts.append(
            LineAccount(
                name=account.name,
                lines=account.lines,
                used=used_n,
                outside_periods=outside_n,
                unused=account.unused + unselected_n,
                rejected=account.rejected,
                merged=merged,
                naive_timestamps=account.naive_timestamps,
                near=account.near,
            )
        )
    return accounts


def _selected(ctx: EvaluationContext) -> tuple[str, list[Any]]:
    """SQL true for the records a contract (with the levels it imports) reads."""
    nodes = [
        n for level in ctx.agreement.levels for n in walk(level.model_copy(update={"imported": ()}))
    ]
    selections = [n for n in nodes if isinstance(n, Selection)]
    # Status records (`paused while`) are read whole: those that do not stop a record's clock
    # start it again.
    selections += [
        Selection(record_type=n.selection.record_type) for n in nodes if isinstance(n, PausedWhile)
    ]
    # A type read without a condition anywhere is read whole: its other selections add nothing.
    whole = sorted({s.record_type for s in selections if s.where is None})
    parts: list[str] = []
    params: list[Any] = []
    if whole:
        parts.append(f'("type" IN ({", ".join("?" for _ in whole)}))')
        params.extend(whole)
    # The conditions of each other type, tested after one test of the type (a contract of a
    # thousand metrics on one record type tests the type once a record, not a thousand times).
    # Selections that differ only in the value of one text field (`service = "s5"`: a contract
    # of a thousand services) are one test: the field in the list of their values.
    conditions: dict[str, dict[tuple[str, tuple[str, ...]], list[Any]]] = {}
    by_value: dict[tuple[str, str, str, tuple[str, ...]], tuple[str, list[Any], list[str]]] = {}
    for selection in selections:
        if selection.record_type in whole:
            continue
        split = split_selection(selection, ctx.schema)
        if split is not None:
            field, value, rest = split
            sql, condition_params = compile_condition(rest.where, ctx.schema)
            group = (selection.record_type, field, sql, tuple(map(repr, condition_params)))
            listed = by_value.setdefault(group, (sql, condition_params, []))[2]
            if value not in listed:
                listed.append(value)
            continue
        sql, condition_params = compile_condition(selection.where, ctx.schema)
        key = (sql, tuple(map(repr, condition_params)))
        conditions.setdefault(selection.record_type, {}).setdefault(key, condition_params)
    for (record_type, field, _, _), (sql, condition_params, listed) in by_value.items():
        marks = ", ".join("?" for _ in listed)
        test = f"COALESCE({quote_ident(field)} IN ({marks}), FALSE) AND ({sql})"
        test_params = [*listed, *condition_params]
        key = (test, tuple(map(repr, test_params)))
        conditions.setdefault(record_type, {}).setdefault(key, test_params)
    for record_type in sorted(conditions):
        tests = conditions[record_type]
        either = " OR ".join(f"({sql})" for sql, _ in tests)
        parts.append(f'("type" = ? AND ({either}))')
        params.append(record_type)
        for condition_params in tests.values():
            params.extend(condition_params)
    return " OR ".join(parts) or "FALSE", params

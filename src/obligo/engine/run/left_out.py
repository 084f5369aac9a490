"""The records a metric did not count in one period (and group), each with the reason, for
``obligo explain``: read after the evaluation, while its log is still open, with the engine's
own predicates.

- The records looked at are those of the types the metric's selections read (``down during
  incident records where ...``, ``only while deployment records where ...``, ``share of ticket
  records``), placed from the start of the period before to the end of the period after.
- A record *fails the where* when no selection of its type holds for it: the whole selection
  is the very SQL the engine reads records with (:func:`obligo.events.sql.compile_selection`);
  each top-level condition of its ``where`` (``service = "api"``, ``severity <= 2``) is also
  its own column of the same query, so that the reason names the condition that fails, as
  written, and the record's values of its fields.
- It is *outside the period* when the metric does not place it in the period: by its start
  field (a share within target), by its ``time`` (or ``start``) (an aggregate, a ratio, the
  records of slices; the failures of MTTR and MTBF by their start), or by its interval
  overlapping the period (down records, the counted time). This is checked first: a record
  of another month is reported as such, whatever its fields.
- It is *in another group* when the metric is measured ``by`` fields and the record does not
  count for the group explained (:func:`obligo.engine.measure.groups.applies` for records of
  time, the group's key for records judged one by one).
- The lines the loader rejected (``--skip-invalid``) are listed as they are: their type is
  not known.

The time an exclusion took out is listed record by record from
:func:`obligo.engine.measure.exclusions.excluded_time`, the engine's own reading of the
exclusion's records and of its validity rules.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial
from operator import itemgetter
from typing import Any, Literal

from obligo.engine.context import EvaluationContext, Record
from obligo.engine.judge.history import Judged
from obligo.engine.measure import groups as group_keys
from obligo.engine.measure.exclusions import excluded_time
from obligo.engine.measure.measurement import KEPT
from obligo.engine.scans import RECORD_ORDER
from obligo.engine.time.intervals import intersect, seconds, total, union
from obligo.events import Rejection
from obligo.events.sql import compile_condition, compile_selection, quote_ident
from obligo.model import conditions as k
from obligo.model import metrics as m
from obligo.model.base import Node
from obligo.syntax import printer

__all__ = [
    "REASONS",
    "ExcludedBy",
    "ExcludedRecord",
    "Failed",
    "LeftOut",
    "LeftOutRecord",
    "left_out",
]

Reason = Literal["where", "group", "period", "rejected"]
# The reasons in the order they are counted and listed.
REASONS: tuple[Reason, ...] = ("where", "group", "period", "rejected")

# A time after every other, for a record without one (ordered last).
_LAST = dt.datetime.max.replace(tzinfo=dt.UTC)

Side = Literal["before", "after", "after_evaluation", "after_term"]

# How a metric places a record of a type in a period.
Placement = Literal["overlap", "start", "point"] | tuple[Literal["field"], str]


@dataclass(frozen=True, slots=True)
class Failed:
    """A condition of a selection's ``where`` that a record fails, as written, and the
    record's values of the fields it reads (None: the record has no such field)."""

    condition: str
    values: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class LeftOutRecord:
    """A record of a type the metric reads that it did not count, and why. ``time`` is where
    the metric places it (its start field, time or start), ``seconds`` its length (None: a
    record of an instant). ``source`` and ``line``: where the log holds it."""

    reason: Reason
    type: str | None
    id: str | None
    time: dt.datetime | None
    end: dt.datetime | None
    seconds: Fraction | None
    source: str | None
    line: int | None
    failed: tuple[Failed, ...] = ()  # why it fails the where (reason "where")
    group: tuple[tuple[str, Any], ...] = ()  # its values of the `by` fields (reason "group")
    placed_by: str | None = None  # the field that places it, when not time/start
    detail: str | None = None  # the loader's reason (reason "rejected")
    # Outside the period: "before" it, "after" it, after the time evaluated ("after_evaluation":
    # the evaluation time; "after_term": the end of the term), or None (no time to place it by).
    side: Side | None = None


@dataclass(frozen=True, slots=True)
class ExcludedRecord:
    """A record of an exclusion the metric applies that took time out of the period."""

    exclusion: str
    type: str
    id: str | None
    start: dt.datetime
    end: dt.datetime
    seconds: Fraction  # its accepted time in the period (overlaps with others counted once each)


@dataclass(frozen=True, slots=True)
class ExcludedBy:
    """A record the measure read in the period without effect (its ``without_effect``) and the
    exclusions whose accepted time in the period overlaps it."""

    type: str
    id: str | None
    start: dt.datetime
    exclusions: tuple[str, ...]


@dataclass
class LeftOut:
    """What :func:`left_out` found: the window looked at, the selections as written, how many
    records were left out for each reason, the first ``KEPT`` of them in the order shown, and
    the exclusions' records that took time out of the period."""

    window_start: dt.datetime
    window_end: dt.datetime
    selections: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    records: list[LeftOutRecord] = field(default_factory=list)
    excluded: list[ExcludedRecord] = field(default_factory=list)
    excluded_total: int = 0
    excluded_by: list[ExcludedBy] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def left_out(
    ctx: EvaluationContext,
    judged: Judged,
    rejections: Sequence[Rejection] = (),
    sources: Sequence[str] = (),
) -> LeftOut:
    """The records the metric of ``judged`` did not count in its period (and group), and the
    exclusion records that took time out of it. ``sources``: the inputs' names by index."""
    metric = judged.metric
    lo = judged.period.start.astimezone(dt.UTC)
    hi = max(min(judged.period.end.astimezone(dt.UTC), ctx.end), lo)
    found = LeftOut(*_window(ctx, judged, lo, hi))
    by_type: dict[str, list[tuple[k.Selection, Placement]]] = {}
    for selection, placement in _read(metric):
        by_type.setdefault(selection.record_type, []).append((selection, placement))
        found.selections.append(printer.selection(selection))
    found.selections = list(dict.fromkeys(found.selections))
    # Each record left out as its place in the order shown and how to make it: only the
    # first KEPT are made (a log may leave out millions).
    records: list[tuple[tuple[Any, ...], Callable[[], LeftOutRecord]]] = []
    for record_type in sorted(by_type):
        records += _of_type(ctx, judged, record_type, by_type[record_type], found, sources)
    for rejection in rejections:
        records.append(((3, rejection.file, rejection.line), partial(_rejected, rejection)))
    found.counts = {reason: 0 for reason in REASONS}
    for key, _ in records:
        found.counts[REASONS[key[0]]] += 1
    found.records = [make() for _, make in heapq.nsmallest(KEPT, records, key=itemgetter(0))]
    _excluded(ctx, judged, lo, hi, found)
    return found


def _rejected(rejection: Rejection) -> LeftOutRecord:
    return LeftOutRecord(
        "rejected",
        None,
        None,
        None,
        None,
        None,
        rejection.file,
        rejection.line,
        detail=rejection.reason,
    )


def _window(
    ctx: EvaluationContext, judged: Judged, lo: dt.datetime, hi: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """From the start of the period before (the period itself when it is the first of the
    term) to the end of the period after (its own end when it is the last evaluated, pending
    or ended by the term)."""
    periods = ctx.periods(judged.metric.period)
    labels = [p.label for p in periods]
    if judged.period.label not in labels:  # pragma: no cover - judged from these periods
        return lo, hi
    at = labels.index(judged.period.label)
    start = periods[at - 1].start if at > 0 else lo
    # the period after, or the whole of this one when it is the last evaluated (pending): the
    # records after the evaluation time are shown as such
    end = periods[at + 1].end if at + 1 < len(periods) else judged.period.end
    return start.astimezone(dt.UTC), max(end.astimezone(dt.UTC), hi)


def _read(metric: m.Metric) -> list[tuple[k.Selection, Placement]]:
    """The selections a metric reads records with, each with how it places them in a period
    (the pauses of a timed record are status changes, read by their link, not placed)."""
    if isinstance(metric, m.AvailabilityMetric):
        found: list[tuple[k.Selection, Placement]] = [(s, "overlap") for s in metric.down_during]
        found += [(s, "point") for s in _selections(metric.slice_down)]
        found += [(s, "point") for s in _selections(metric.slice_without)]
        found += [(s, "point") for s in _selections(metric.values)]
        found += [(s, "overlap") for s in metric.only_while]
        return found
    if isinstance(metric, m.ShareWithinTargetMetric):
        spec = metric.duration
        where: Placement = ("field", spec.start_field) if spec is not None else "point"
        return [(metric.measure.selection, where)]
    if isinstance(metric, m.TotalDurationMetric):
        found = [(metric.measure.selection, "overlap")]
        return found + [(s, "overlap") for s in metric.only_while]
    if isinstance(metric, m.MeanTimeToRepairMetric):
        return [(metric.measure.selection, "start")]
    if isinstance(metric, m.MeanTimeBetweenFailuresMetric):
        found = [(metric.measure.selection, "start")]
        return found + [(s, "overlap") for s in metric.only_while]
    if isinstance(metric, m.AggregateMetric):
        return [(metric.measure.selection, "point")]
    # a ratio, an average of slices: the selections inside their expressions
    return [(s, "point") for s in _selections((metric.measure, getattr(metric, "values", ())))]


def _selections(node: object) -> list[k.Selection]:
    """Every selection inside a part of the model, in the order written."""
    if isinstance(node, k.Selection):
        return [node]
    if isinstance(node, tuple | list):
        return [s for item in node for s in _selections(item)]
    if isinstance(node, Node):
        return [s for name in type(node).model_fields for s in _selections(getattr(node, name))]
    return []


def _conjuncts(where: k.Condition | None) -> list[k.Condition]:
    """The conditions a ``where`` joins with ``and`` (each must hold), nested ands flattened."""
    if where is None:
        return []
    if isinstance(where, k.And):
        return [c for operand in where.operands for c in _conjuncts(operand)]
    return [where]


def _fields(condition: k.Condition) -> list[str]:
    """The log fields a condition reads, in the order written (a length reads start and end)."""
    if isinstance(condition, k.Compare | k.Member | k.Presence):
        return [condition.field]
    if isinstance(condition, k.Not):
        return _fields(condition.operand)
    if isinstance(condition, k.And | k.Or):
        return [f for operand in condition.operands for f in _fields(operand)]
    if isinstance(condition, k.Lasting):
        return ["start", "end"]
    return []


def _placement_sql(
    placement: Placement, lo: dt.datetime, hi: dt.datetime, now: dt.datetime
) -> tuple[str, list[Any]]:
    """Whether the metric places a record in [lo, hi), as SQL with its parameters."""
    bound = "CAST(? AS TIMESTAMPTZ)"
    if placement == "overlap":
        # an interval record overlapping; a record of an instant inside (as down time reads it)
        return (
            f'CASE WHEN "start" IS NOT NULL THEN "start" < {bound}'
            f' AND COALESCE("end", {bound}) > {bound}'
            f' ELSE COALESCE("time" >= {bound} AND "time" < {bound}, FALSE) END',
            [hi, now, lo, lo, hi],
        )
    if placement == "start":
        return f'COALESCE("start" >= {bound} AND "start" < {bound}, FALSE)', [lo, hi]
    column = 'COALESCE("time", "start")' if placement == "point" else quote_ident(placement[1])
    return f"COALESCE({column} >= {bound} AND {column} < {bound}, FALSE)", [lo, hi]


def _of_type(
    ctx: EvaluationContext,
    judged: Judged,
    record_type: str,
    selections: list[tuple[k.Selection, Placement]],
    found: LeftOut,
    sources: Sequence[str],
) -> list[tuple[tuple[Any, ...], Callable[[], LeftOutRecord]]]:
    """One query over the records of a type in the window: each selection whole (the engine's
    predicate), each of its conditions, whether the metric places the record in the period, and
    the fields the reasons name."""
    schema = ctx.schema
    now = schema.now or ctx.end
    lo = judged.period.start.astimezone(dt.UTC)
    hi = max(min(judged.period.end.astimezone(dt.UTC), ctx.end), lo)
    placement = selections[0][1]
    placed_by = placement[1] if isinstance(placement, tuple) else None
    if placed_by is not None and placed_by not in schema.fields:
        return []  # the checks report a field the log cannot hold
    columns: list[str] = []
    params: list[Any] = []
    in_period, p = _placement_sql(placement, lo, hi, now)
    columns.append(in_period)
    params += p
    conditions: list[list[tuple[k.Condition, int]]] = []
    wholes: list[int] = []  # the column of each selection, whole
    for selection, _ in selections:
        sql, p = compile_selection(selection, schema)
        wholes.append(len(columns))
        columns.append(f"COALESCE({sql}, FALSE)")
        params += p
        parts: list[tuple[k.Condition, int]] = []
        for condition in _conjuncts(selection.where):
            sql, p = compile_condition(condition, schema)
            parts.append((condition, len(columns)))
            columns.append(f"COALESCE({sql}, FALSE)")
            params += p
        conditions.append(parts)
    by = list(getattr(judged.metric.measure, "group_by", ()))
    shown = [
        f
        for f in dict.fromkeys(
            [f for parts in conditions for c, _ in parts for f in _fields(c)] + by
        )
        if f in schema.fields and f not in ("start", "end")
    ]
    first_field = len(columns)
    columns += [quote_ident(f) for f in shown]
    placed_column = len(columns)
    columns.append(quote_ident(placed_by) if placed_by else 'COALESCE("time", "start")')
    window, p = _placement_sql(placement, found.window_start, found.window_end, now)
    time_column = quote_ident(placed_by) if placed_by else 'COALESCE("time", "start")'
    rows = ctx.query(
        f'SELECT "id", "end", "start", _input, _line, {", ".join(columns)} FROM events'
        f' WHERE "type" = ? AND ({window} OR {time_column} IS NULL)'
        f" ORDER BY {RECORD_ORDER}",
        [*params, record_type, *p],
    )
    group = judged.group
    pooled_by_time = isinstance(judged.metric, m.AvailabilityMetric | m.TotalDurationMetric)
    primary = selections[0][0].record_type == _primary_type(judged.metric)
    out: list[tuple[tuple[Any, ...], Callable[[], LeftOutRecord]]] = []

    def make(row: tuple[Any, ...], reason: Reason, side: Side | None = None) -> LeftOutRecord:
        record_id, end, start, source, line = row[:5]
        values = dict(zip(shown, row[5 + first_field : 5 + placed_column], strict=True))
        return LeftOutRecord(
            reason,
            record_type,
            record_id,
            row[5 + placed_column],
            end,
            None if start is None else seconds(start, end if end is not None else now),
            sources[source] if 0 <= source < len(sources) else None,
            line,
            failed=_failures(conditions, row[5:], values) if reason == "where" else (),
            group=tuple((f, values.get(f)) for f in by) if reason == "group" else (),
            placed_by=placed_by,
            side=side,
        )

    nothing = dt.timedelta(0)
    for row in rows:
        record_id, end, start, source, line = row[:5]
        when = row[5 + placed_column]
        cells = row[5:]
        # the longest first: a record still open runs to the end of what is evaluated
        size = nothing if start is None else start - (end if end is not None else now)
        order = (when if when is not None else _LAST, record_id or "", source, line)
        if not cells[0]:
            # outside the period: nearest to it first
            side: Side | None = None
            if when is None:
                distance = dt.timedelta.max
            elif when >= hi:
                distance = when - hi
                side = "after"
                if when >= ctx.end:  # in no period evaluated: say why
                    side = "after_evaluation" if ctx.end >= ctx.at else "after_term"
            else:
                distance = lo - (end if end is not None and start is not None else when)
                side = "before"
            out.append(((2, distance, *order), partial(make, row, "period", side)))
            continue
        if not any(cells[column] for column in wholes):
            out.append(((0, size, *order), partial(make, row, "where")))
            continue
        if group is not None and by and primary:
            values = dict(zip(shown, row[5 + first_field : 5 + placed_column], strict=True))
            counts = (
                group_keys.applies(group_keys.values_in(by, values), group)
                if pooled_by_time
                else group_keys.key_of_fields(by, values) == group
            )
            if not counts:
                out.append(((1, size, *order), partial(make, row, "group")))
    return out


def _primary_type(metric: m.Metric) -> str | None:
    """The type of the records the metric's groups are made of (None: no such records)."""
    if isinstance(metric, m.AvailabilityMetric):
        return metric.down_during[0].record_type if metric.down_during else None
    selection = getattr(metric.measure, "selection", None)
    return selection.record_type if isinstance(selection, k.Selection) else None


def _failures(
    conditions: list[list[tuple[k.Condition, int]]],
    cells: Sequence[Any],
    values: dict[str, Any],
) -> tuple[Failed, ...]:
    """The conditions of the selection the record comes nearest to (the fewest that fail;
    the first written on a tie) that it fails."""
    best: list[k.Condition] | None = None
    for parts in conditions:
        failing = [c for c, column in parts if not cells[column]]
        if best is None or len(failing) < len(best):
            best = failing
    return tuple(
        Failed(
            printer.condition(c),
            tuple(
                (f, values.get(f)) for f in dict.fromkeys(_fields(c)) if f not in ("start", "end")
            ),
        )
        for c in best or []
    )


def _excluded(
    ctx: EvaluationContext, judged: Judged, lo: dt.datetime, hi: dt.datetime, found: LeftOut
) -> None:
    """The records of the metric's exclusions whose accepted time overlaps the period, the
    largest part first; for a group, those that count for it."""
    metric = judged.metric
    names: tuple[str, ...] = getattr(metric, "excluding", ())
    by = tuple(getattr(metric.measure, "group_by", ()))
    items: list[ExcludedRecord] = []
    period_time: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
    for name in names:
        exclusion = ctx.agreement.exclusions.get(name)
        if exclusion is None:
            continue
        accepted = excluded_time(exclusion, ctx, by)
        pieces: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
        records: dict[int, Record] = {}
        for interval, record in accepted.intervals:
            if judged.group is not None and by:
                if not group_keys.applies(group_keys.values_in(by, record.fields), judged.group):
                    continue
            inside = intersect([interval], [(lo, hi)])
            if total(inside):
                pieces.setdefault(id(record), []).extend(inside)
                records[id(record)] = record
        period_time[name] = union(p for spans in pieces.values() for p in spans)
        for key, record in records.items():
            spans = union(pieces[key])
            items.append(
                ExcludedRecord(
                    exclusion=name,
                    type=record.type,
                    id=record.id,
                    start=spans[0][0],
                    end=spans[-1][1],
                    seconds=total(spans),
                )
            )
    items.sort(key=lambda e: (-e.seconds, e.start.astimezone(dt.UTC), e.id or "", e.exclusion))
    found.excluded = items[:KEPT]
    found.excluded_total = len(items)
    # The exclusions whose accepted time overlaps each record the measure read without effect.
    for item in judged.measurement.without_effect:
        if item.start is None or item.end is None:
            continue
        by_name = tuple(
            name
            for name, spans in period_time.items()
            if total(intersect([(item.start, item.end)], spans))
        )
        if by_name:
            found.excluded_by.append(ExcludedBy(item.type, item.id, item.start, by_name))

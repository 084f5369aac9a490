"""A contract's objectives written as OpenSLO v1 documents, and which were left out, and why.

Only an objective OpenSLO can say exactly is written (docs/openslo.md, "Export"): a promise
``metric >= P%`` (or ``>``) of a metric without groups, exclusions or data rules, measured

- as a ratio of record sums, ``sum(value in G records) to sum(value in T records)`` (or
  ``sum(T) minus sum(B) to sum(T)``): a ``ratioMetric`` with good (or bad) and total;
- as a ratio of counts, ``count(S records where value OP N) to count(S records)``: a
  ``thresholdMetric`` with ``op`` and ``value``;
- as availability in slices, down when ``good / total < P`` (named sums of records) or when
  ``there are S records where value OP N``: ``Timeslices``;

over a rolling window of days, hours or weeks, or a calendar day, week, month, quarter or year.
Each record type is a metric source of type ``obligo`` (``spec.records``): which query yields it
is the operator's. What is written is valid against the specification's v1 JSON schema (a
ratio's ``counter``, a threshold's ``timeSliceTarget: 1`` in slices, a Service's ``spec``, a
time zone of the Area/Location form: tests/test_openslo_spec.py). Deterministic: the same
contract gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from obligo.model.base import Number, Percent
from obligo.model.conditions import Arithmetic, Call, Compare, FieldOf, Selection, ValueRef
from obligo.model.contract import Contract
from obligo.model.metrics import (
    CalendarPeriod,
    ConsecutivePeriod,
    RollingPeriod,
    SliceCompare,
    SliceExists,
)

_OPS = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}
_NEGATED = {"<": "gte", "<=": "gt", ">": "lte", ">=": "lt"}
_CALENDAR = {"day": "1d", "week": "1w", "month": "1M", "quarter": "1Q", "year": "1Y"}
_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


@dataclass(frozen=True)
class LeftOut:
    """An objective not written, at its contract line."""

    line: int
    message: str


@dataclass
class Exported:
    text: str
    left_out: list[LeftOut] = field(default_factory=list)
    objectives: int = 0


class _Unsayable(Exception):
    pass


def export_openslo(contract: Contract) -> Exported:
    """The OpenSLO v1 YAML of every objective of ``contract`` that OpenSLO can say exactly."""
    metrics = {metric.id: metric for metric in contract.metrics}
    documents: list[str] = []
    left_out: list[LeftOut] = []
    for clause in contract.clauses:
        for index, objective in enumerate(clause.promises):
            line = objective.loc.line
            where = f"clause {clause.id}, {objective.metric}"
            try:
                metric = metrics.get(objective.metric)
                if metric is None:
                    raise _Unsayable(f"its metric {objective.metric} is not in this file")
                if objective.op not in (">=", ">") or not isinstance(objective.target, Percent):
                    raise _Unsayable(
                        "its promise is not >= a percentage (an OpenSLO target is a share of "
                        "good events or time)"
                    )
                if objective.group is not None or objective.reported:
                    raise _Unsayable("a promise for one group, or reported only")
                window = _window(metric.measure.period, contract)
                indicator, method, slice_spec = _indicator(metric)
            except _Unsayable as reason:
                left_out.append(LeftOut(line, f"{where}: {reason}: left out"))
                continue
            service = clause.service or metric.service
            name = (
                objective.metric if len(clause.promises) == 1 else f"{objective.metric}-{index + 1}"
            )
            target = objective.target.value / 100
            spec: dict[str, Any] = {}
            if metric.description:
                spec["description"] = metric.description
            if service:
                spec["service"] = service
            spec["indicator"] = indicator
            spec["timeWindow"] = [window]
            spec["budgetingMethod"] = method
            goal: dict[str, Any] = {"displayName": clause.title or f"clause {clause.id}"}
            goal.update(slice_spec)
            goal["target"] = target
            spec["objectives"] = [goal]
            documents.append(
                _document(
                    "SLO",
                    {"name": name, "displayName": metric.title or name},
                    spec,
                )
            )
    # Every service, in the contract's order (the first names the contract read back).
    head = [
        _document(
            "Service",
            {"name": service.id, "displayName": service.title or service.id},
            {"description": service.description} if service.description else {},
        )
        for service in contract.services
    ]
    text = "".join(head + documents) if documents else ""
    return Exported(text, left_out, len(documents))


def _window(period: object, contract: Contract) -> dict[str, Any]:
    if isinstance(period, RollingPeriod):
        return {"duration": _duration(period.length), "isRolling": True}
    # Etc/UTC is UTC, by a name of the Area/Location form OpenSLO's schema asks for.
    zone = contract.timezone if contract.timezone not in (None, "UTC") else "Etc/UTC"
    if isinstance(period, CalendarPeriod):
        start = contract.term.start if contract.term is not None else dt.date(2024, 1, 1)
        if period.unit == "week":
            start -= dt.timedelta(days=start.weekday())
        elif period.unit != "day":
            start = start.replace(day=1)
            if period.unit in ("quarter", "year"):
                month = 1 if period.unit == "year" else (start.month - 1) // 3 * 3 + 1
                start = start.replace(month=month)
        return {
            "duration": _CALENDAR[period.unit],
            "isRolling": False,
            "calendar": {"startTime": f"{start.isoformat()} 00:00:00", "timeZone": zone},
        }
    if isinstance(period, ConsecutivePeriod):
        return {
            "duration": _duration(period.length),
            "isRolling": False,
            "calendar": {"startTime": f"{period.start.isoformat()} 00:00:00", "timeZone": zone},
        }
    raise _Unsayable("its period (a billing cycle) has no OpenSLO time window")


def _duration(length: Any) -> str:
    """OpenSLO's shorthand (``28d``, ``2w``, ``1m``) in the contract's own unit when it has one."""
    seconds = length.seconds
    if seconds is None:
        raise _Unsayable(f"a window of {length} is no fixed length")
    own = {"week": "w", "day": "d", "h": "h", "min": "m", "s": "s"}.get(length.unit)
    units = ([own] if own else []) + list(_SECONDS)
    for unit in units:
        size = _SECONDS[unit]
        if seconds % size == 0 and seconds >= size:
            return f"{int(seconds // size)}{unit}"
    raise _Unsayable(f"a window of {length} is not whole seconds")


def _plain(metric: Any) -> None:
    """A metric OpenSLO can say has nothing but its measure and its period."""
    extras = [
        name
        for name in (
            "down_during",
            "down_when",
            "down_because",
            "attribution",
            "excluding",
            "only_while",
            "only_during",
            "minimum_run",
            "duration",
            "targets",
            "pauses",
        )
        if getattr(metric, name, None)
    ]
    if getattr(metric.measure, "group_by", ()):
        extras.append("group_by")
    if metric.minimum_data is not None or metric.without_data is not None:
        extras.append("data rules")
    if extras:
        shown = ", ".join(name.replace("_", " ") for name in extras)
        raise _Unsayable(f"its metric has {shown}, which OpenSLO cannot say")


def _records(expression: object, function: str) -> Selection:
    """The selection of ``sum(value in X records)`` (or ``count(X records ...)``)."""
    if not isinstance(expression, Call) or expression.function != function:
        raise _Unsayable("its ratio is not of record sums or counts")
    (argument,) = expression.arguments or (None,)
    if function == "sum":
        if not isinstance(argument, FieldOf) or argument.field != "value":
            raise _Unsayable("its ratio sums another field than value")
        return argument.selection
    selection = getattr(argument, "selection", None)
    if not isinstance(selection, Selection):
        raise _Unsayable("its ratio counts no records")
    return selection


def _source(selection: Selection) -> dict[str, Any]:
    if selection.where is not None:
        raise _Unsayable(f"its {selection.record_type} records are filtered")
    return {"metricSource": {"type": "obligo", "spec": {"records": selection.record_type}}}


def _threshold(selection: Selection) -> tuple[str, Decimal]:
    where = selection.where
    if (
        not isinstance(where, Compare)
        or where.field != "value"
        or where.op not in _OPS
        or not isinstance(where.value, Number)
    ):
        raise _Unsayable("its records are not selected by one comparison of value to a number")
    return where.op, where.value.value


def _indicator(metric: Any) -> tuple[dict[str, Any], str, dict[str, Any]]:
    _plain(metric)
    measure = metric.measure
    kind = measure.kind
    if kind == "ratio":
        numerator, denominator = measure.numerator, measure.denominator
        if isinstance(denominator, Call) and denominator.function == "count":
            counted = _records(numerator, "count")
            total = _records(denominator, "count")
            op, value = _threshold(counted)
            if counted.record_type != total.record_type or total.where is not None:
                raise _Unsayable("its counts are not of the same records")
            spec = {"thresholdMetric": _source(total)}
            return _sli(total.record_type, spec), "Occurrences", {"op": _OPS[op], "value": value}
        total = _records(denominator, "sum")
        if isinstance(numerator, Arithmetic) and numerator.op == "minus":
            if _records(numerator.left, "sum").record_type != total.record_type:
                raise _Unsayable("its ratio is not (total minus bad) to total")
            bad = _records(numerator.right, "sum")
            ratio = {"counter": False, "bad": _source(bad), "total": _source(total)}
        else:
            numerator_source = _source(_records(numerator, "sum"))
            ratio = {"counter": False, "good": numerator_source, "total": _source(total)}
        return _sli(total.record_type, {"ratioMetric": ratio}), "Occurrences", {}
    if kind == "availability" and metric.slice is not None:
        window = {"timeSliceWindow": _duration(metric.slice)}
        if len(metric.slice_down) != 1:
            raise _Unsayable("its slices are down on several conditions")
        (down,) = metric.slice_down
        if isinstance(down, SliceExists) and not down.only:
            op, value = _threshold(down.selection)
            _skipped(metric, down.selection.record_type)
            spec = {"thresholdMetric": _source(Selection(record_type=down.selection.record_type))}
            return (
                _sli(down.selection.record_type, spec),
                "Timeslices",
                # Good while every sample is (1 is all of them): down when one breaks it.
                {"op": _NEGATED[op], "value": value, "timeSliceTarget": Decimal(1), **window},
            )
        if isinstance(down, SliceCompare) and down.op in ("<", ">"):
            values = {v.name: v.expression for v in metric.values}
            part = down.value
            if (
                isinstance(part, Arithmetic)
                and part.op == "divide"
                and isinstance(part.left, ValueRef)
                and isinstance(part.right, ValueRef)
                and isinstance(down.threshold, Percent)
            ):
                share = _records(values.get(part.left.name), "sum")
                total = _records(values.get(part.right.name), "sum")
                _skipped(metric, total.record_type)
                good = down.op == "<"
                bound = down.threshold.value / 100
                ratio = {
                    "counter": False,
                    "good" if good else "bad": _source(share),
                    "total": _source(total),
                }
                return (
                    _sli(total.record_type, {"ratioMetric": ratio}),
                    "Timeslices",
                    {"timeSliceTarget": bound if good else 1 - bound, **window},
                )
        raise _Unsayable("its slices are down on a condition OpenSLO cannot say")
    raise _Unsayable(f"its measure ({kind}) maps to no ratio or threshold source")


def _skipped(metric: Any, records: str) -> None:
    """OpenSLO counts a slice without samples as no data: the metric must say so, and nothing
    else about slices without records (up or down would be another measure)."""
    rules = metric.slice_without
    if (
        len(rules) != 1
        or rules[0].rule != "skipped"
        or rules[0].selection.record_type != records
        or rules[0].selection.where is not None
    ):
        raise _Unsayable(
            f"a slice without {records} records must be skipped (no data), as in OpenSLO, "
            f"and nothing else said of slices without records"
        )


def _sli(records: str, spec: dict[str, Any]) -> dict[str, Any]:
    base = records.removesuffix("-total")
    return {"metadata": {"name": base}, "spec": spec}


# ------------------------------------------------------------------------------ YAML, by hand
def _document(kind: str, metadata: dict[str, Any], spec: dict[str, Any]) -> str:
    body: dict[str, Any] = {"apiVersion": "openslo/v1", "kind": kind, "metadata": metadata}
    if spec or kind == "Service":  # a Service's spec is required, if empty
        body["spec"] = spec
    return "---\n" + "".join(_yaml(body, 0))


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    # A JSON string is a YAML double-quoted scalar: every character escaped as YAML reads it.
    return json.dumps(str(value), ensure_ascii=False)


def _yaml(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict) and not item:
                lines.append(f"{pad}{key}: {{}}\n")
            elif isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:\n")
                lines += _yaml(item, indent + 2)
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}\n")
    else:
        for item in value:
            inner = _yaml(item, indent + 2)
            first = inner[0]
            lines.append(f"{pad}- {first[indent + 2 :]}")
            lines += inner[1:]
    return lines

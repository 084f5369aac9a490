"""OpenSLO documents to the text of a ``.sla`` contract, and what has no equivalent, by line.

What maps (docs/openslo.md):

- a ``Service`` or an SLO's ``spec.service`` -> a ``service`` declaration;
- each objective of an SLO -> a metric and a clause that promises its target (``target: 0.99``
  or ``targetPercent: 99`` -> ``>= 99%``);
- ``budgetingMethod: Occurrences``: a ratio metric -> ``ratio of sum(value in SLI-good records)
  to sum(value in SLI-total records)`` (bad: total minus bad); a threshold metric -> ``ratio of
  count(SLI records where value < 500) to count(SLI records)``;
- ``Timeslices``: availability in slices of ``timeSliceWindow``, a slice down when its good to
  total ratio is below ``timeSliceTarget`` (a threshold metric: when a sample breaks the
  threshold);
- ``timeWindow``: rolling -> ``over a rolling N days``; calendar -> ``per calendar month`` (day,
  week, quarter, year) when it starts on the period's first day, a week from another day ``per 1
  week from START``, other lengths ``per N weeks from START``.

A file is YAML documents, each an object or a list of objects; one without an SLO is refused
(ObligoError at its first object's line).

The metric source of each record type (a Prometheus query, ...) is written as a comment above the
metric: which query yields those records is the operator's (docs/prometheus.md). Anything else
(alert policies, RatioTimeslices, windows in months counted rolling, labels) is a Note with its
YAML line; an objective that cannot be said exactly is left out whole, never approximated.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from obligo.errors import ObligoError
from obligo.interop.openslo.yaml_reader import line_of, read_documents

_NAME = re.compile(r"[a-z_][a-z0-9_]*(-[a-z0-9_]+)*")
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdwMQY])\s*$")
_START = re.compile(r"\s*(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?\s*")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_CALENDAR = {"d": "day", "w": "week", "M": "month", "Q": "quarter", "Y": "year"}
# v1alpha writes a window as {count, unit}.
_ALPHA_UNITS = {
    "second": "s",
    "minute": "m",
    "hour": "h",
    "day": "d",
    "week": "w",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
}
# A threshold objective's op and its negation (a sample that breaks it).
_OPS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
_BROKEN = {"lt": ">=", "lte": ">", "gt": "<=", "gte": "<"}
# What an SLO's spec may say (v1; v1alpha's timeWindows and thresholdMetric).
_SLO_KEYS = (
    "description",
    "service",
    "indicator",
    "indicatorRef",
    "timeWindow",
    "timeWindows",
    "thresholdMetric",
    "budgetingMethod",
    "objectives",
    "alertPolicies",
)
# What an objective may say (v1, and v1alpha's ratioMetrics); composites are refused before.
_OBJECTIVE_KEYS = (
    "displayName",
    "op",
    "value",
    "target",
    "targetPercent",
    "timeSliceTarget",
    "timeSliceWindow",
    "ratioMetrics",
)
_ALERTING = {"AlertPolicy", "AlertCondition", "AlertNotificationTarget"}


@dataclass(frozen=True)
class Note:
    """A part of the YAML that has no equivalent in the contract, at its line."""

    line: int
    message: str

    def format(self, filename: str) -> str:
        return f"{filename}:{self.line}: {self.message}"


@dataclass
class Imported:
    """The contract's text and what was left out."""

    text: str
    notes: list[Note] = field(default_factory=list)
    objectives: int = 0


class _Untranslatable(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.note = Note(line, message)


def import_openslo(text: str, filename: str = "<string>") -> Imported:
    """The ``.sla`` text equivalent to the OpenSLO documents of ``text``, with a Note for each
    part that has no equivalent. Raises ObligoError when the text is not YAML."""
    return _Importer(filename).run(read_documents(text, filename))


def _shape(slo: Any, slis: dict[str, Any]) -> None:
    """An SLO (and the SLI it names) has the shape OpenSLO gives it: mappings and lists where
    the specification has them, so that reading it cannot fail half-way."""
    _mapping(slo, "metadata")
    spec = _mapping(slo, "spec")
    if spec is None:
        raise _Untranslatable(line_of(slo, "kind"), "an SLO without spec")
    for key in ("timeWindow", "timeWindows", "objectives"):
        for item in _sequence(spec, key):
            if not isinstance(item, dict):
                raise _Untranslatable(line_of(spec, key), f"an item of {key} is no mapping")
    ref = spec.get("indicatorRef")
    if isinstance(ref, dict | list):
        raise _Untranslatable(line_of(spec, "indicatorRef"), "indicatorRef is no name")
    indicators = [spec, _mapping(spec, "indicator"), slis.get(str(ref)) if ref else None]
    for objective in _sequence(spec, "objectives"):
        indicators.append(objective)
        _ratio(_mapping(objective, "ratioMetrics"))
    for indicator in indicators:
        if isinstance(indicator, dict):
            _mapping(indicator, "metadata")
            inner = _mapping(indicator, "spec") or indicator
            _mapping(inner, "thresholdMetric")
            _ratio(_mapping(inner, "ratioMetric"))
    for window in _sequence(spec, "timeWindow") + _sequence(spec, "timeWindows"):
        _mapping(window, "calendar")


def _ratio(ratio: Any) -> None:
    if ratio is not None:
        for part in ("good", "bad", "total", "raw"):
            _mapping(ratio, part)


def _mapping(node: Any, key: str) -> Any:
    """``node[key]`` when it is a mapping, None when it is absent; otherwise not of the shape."""
    found = node.get(key)
    if found is not None and not isinstance(found, dict):
        raise _Untranslatable(line_of(node, key), f"{key} is no mapping")
    return found


def _sequence(node: Any, key: str) -> list[Any]:
    found = node.get(key)
    if found is None:
        return []
    if not isinstance(found, list):
        raise _Untranslatable(line_of(node, key), f"{key} is no list")
    return found


def _objects(documents: list[Any]) -> list[Any]:
    """The objects of the documents: a document is one object or a list of them (as the
    OpenSLO SDK's and oslo's examples are written)."""
    found: list[Any] = []
    for document in documents:
        if isinstance(document, list):
            found.extend(document)
        else:
            found.append(document)
    return found


def _quoted(text: object) -> str:
    """A contract string: quotes and backslashes escaped, on one line."""
    one_line = " ".join(str(text).split())
    return '"' + one_line.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _comment(text: object) -> str:
    return " ".join(str(text).split())


def _is_zone(name: str) -> bool:
    """A name ``obligo check`` takes as a timezone (the IANA database's, as zoneinfo reads it)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _decimal(raw: object) -> Decimal | None:
    """A finite number, or None (not a number, NaN, infinite; a bool is no number)."""
    if isinstance(raw, bool):
        return None
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _number(value: Decimal) -> str:
    shown = format(value.normalize(), "f")
    return shown


class _Importer:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.notes: list[Note] = []
        self.services: dict[str, str] = {}
        self.slis: dict[str, Any] = {}
        self.metrics: list[str] = []
        self.clauses: list[str] = []
        self.names: set[str] = set()
        self.timezone: str | None = None
        self.timezone_line = 0
        self.used_slis: set[str] = set()
        self.pending: list[Note] = []
        self.seen_sli_metadata: set[int] = set()
        self.descriptions: dict[str, str] = {}

    def note(self, line: int, message: str) -> None:
        self.notes.append(Note(line, message))

    def run(self, documents: list[Any]) -> Imported:
        slos: list[Any] = []
        held: list[str] = []
        for document in _objects(documents):
            if not hasattr(document, "get"):
                self.note(
                    line_of(document), "not an OpenSLO object (a mapping with kind): left out"
                )
                continue
            kind = document.get("kind")
            version = str(document.get("apiVersion", ""))
            other = (
                ""
                if version in ("openslo/v1", "openslo/v1alpha")
                else f"{version or 'no apiVersion'}, "
            )
            held.append(f"{kind} {self._name_of(document)!r} ({other}line {line_of(document)})")
            if version not in ("openslo/v1", "openslo/v1alpha"):
                self.note(
                    line_of(document, "apiVersion"),
                    f"apiVersion {version or '(none)'} is not openslo/v1 or openslo/v1alpha: left out",
                )
                continue
            if kind == "Service":
                self._service(document)
            elif kind == "SLI":
                self.slis[self._name_of(document)] = document
            elif kind == "SLO":
                slos.append(document)
            elif kind in _ALERTING:
                self.note(
                    line_of(document, "kind"),
                    f"{kind} {self._name_of(document)!r}: alerting has no equivalent in a "
                    f"contract: left out",
                )
            elif kind == "DataSource":
                self.note(
                    line_of(document, "kind"),
                    f"DataSource {self._name_of(document)!r}: where records come from is no part "
                    f"of a contract (see the comments above each metric): left out",
                )
            else:
                self.note(line_of(document, "kind"), f"kind {kind!r} has no equivalent: left out")
        if not slos:
            first = _objects(documents)[0] if _objects(documents) else None
            raise ObligoError(
                "no SLO of openslo/v1 or openslo/v1alpha in this file, so no objective to import"
                + (f": it holds {', '.join(held)}" if held else ""),
                file=self.filename,
                line=(line_of(first) or 1) if first is not None else 1,
                column=1,
                hint="each objective of an SLO becomes a metric and a clause",
            )
        for slo in slos:
            try:
                _shape(slo, self.slis)
            except _Untranslatable as failure:
                self.notes.append(
                    Note(
                        failure.note.line,
                        f"SLO {self._name_of(slo)!r}: {failure.note.message}: left out",
                    )
                )
                continue
            self._slo(slo)
        for name, sli in self.slis.items():
            if name not in self.used_slis:
                self.note(
                    line_of(sli, "kind"),
                    f"SLI {name!r} is the indicator of no SLO in this file: left out",
                )
        return Imported(self._text(), sorted(self.notes, key=lambda n: n.line), len(self.clauses))

    # -------------------------------------------------------------------------- the parts
    @staticmethod
    def _name_of(document: Any) -> str:
        metadata = document.get("metadata") or {}
        return str(metadata.get("name", "")) if hasattr(metadata, "get") else ""

    def _service(self, document: Any) -> None:
        metadata = document.get("metadata") or {}
        if not isinstance(metadata, dict):
            self.note(line_of(document, "metadata"), "Service metadata is no mapping: left out")
            return
        name = str(metadata.get("name", ""))
        if not _NAME.fullmatch(name):
            self.note(line_of(document), f"service name {name!r} is no contract name: left out")
            return
        if name in self.services:
            self.note(
                line_of(metadata, "name"),
                f"service {name!r} is declared a second time: only the first is read",
            )
            return
        self.services[name] = str(metadata.get("displayName") or name)
        spec = document.get("spec")
        if hasattr(spec, "get") and spec.get("description"):
            self.descriptions[name] = str(spec.get("description"))
        self._labels(metadata)

    def _labels(self, metadata: Any) -> None:
        for key in ("labels", "annotations"):
            if hasattr(metadata, "get") and metadata.get(key):
                self.note(line_of(metadata, key), f"metadata {key} have no equivalent: left out")

    def _slo(self, slo: Any) -> None:
        metadata = slo.get("metadata") or {}
        spec = slo.get("spec") or {}
        name = self._name_of(slo)
        self._labels(metadata)
        self.pending = []
        imported_before = len(self.clauses)
        alpha = str(slo.get("apiVersion")) == "openslo/v1alpha"
        if hasattr(spec, "get") and spec.get("indicatorRef") is not None:
            self.used_slis.add(str(spec.get("indicatorRef")))
        try:
            self._not_composite(spec)
            if not _NAME.fullmatch(name):
                raise _Untranslatable(
                    line_of(metadata, "name"), f"SLO name {name!r} is no contract name"
                )
            service = spec.get("service")
            if service is not None and not _NAME.fullmatch(str(service)):
                self.note(
                    line_of(spec, "service"),
                    f"SLO {name!r}: service name {str(service)!r} is no contract name: its "
                    f"clauses name no service",
                )
            period = self._period(spec, alpha)
            method = str(spec.get("budgetingMethod", "Occurrences"))
            if spec.get("budgetingMethod") is None:
                self.pending.append(
                    Note(
                        line_of(spec),
                        f"SLO {name!r}: no budgetingMethod (OpenSLO requires one): read as "
                        f"Occurrences",
                    )
                )
            if method not in ("Occurrences", "Timeslices"):
                raise _Untranslatable(
                    line_of(spec, "budgetingMethod"),
                    f"budgetingMethod {method} (the mean of each slice's ratio) has no equivalent",
                )
            indicator = self._indicator(spec)
        except _Untranslatable as failure:
            self.notes.append(
                Note(failure.note.line, f"SLO {name!r}: {failure.note.message}: left out")
            )
            return
        for key in spec:
            if str(key) not in _SLO_KEYS:
                self.note(
                    line_of(spec, key), f"SLO {name!r}: {key} is no key of an SLO's spec: ignored"
                )
        if spec.get("alertPolicies") is not None:
            self.note(
                line_of(spec, "alertPolicies"),
                f"SLO {name!r}: alertPolicies have no equivalent in a contract: left out",
            )
        objectives = spec.get("objectives") or []
        # As export writes them: the SLO's displayName titles the metric, an objective's the
        # clause that promises it.
        title = str((metadata.get("displayName") if hasattr(metadata, "get") else None) or name)
        for index, objective in enumerate(objectives):
            metric = name if len(objectives) == 1 else f"{name}-{index + 1}"
            clause_title = str(objective.get("displayName") or title)
            try:
                self._objective(
                    slo,
                    spec,
                    indicator,
                    objective,
                    (metric, title, clause_title),
                    period,
                    method,
                    alpha,
                )
            except _Untranslatable as failure:
                self.notes.append(
                    Note(
                        failure.note.line,
                        f"SLO {name!r}, objective {index + 1}: {failure.note.message}: left out",
                    )
                )
        if len(self.clauses) > imported_before:
            self.notes.extend(self.pending)

    def _not_composite(self, spec: Any) -> None:
        for index, objective in enumerate(spec.get("objectives") or []):
            for key in ("indicator", "indicatorRef", "compositeWeight"):
                if hasattr(objective, "get") and objective.get(key) is not None:
                    raise _Untranslatable(
                        line_of(objective, key),
                        f"objective {index + 1} has its own {key}: a composite SLO (one error "
                        f"budget burnt by all its objectives) has no equivalent",
                    )

    def _indicator(self, spec: Any) -> Any:
        """The SLI of an SLO: inline, or a reference to an SLI document of the same file."""
        if spec.get("indicator") is not None:
            indicator = spec.get("indicator")
            self._sli_metadata(indicator)
            return indicator
        ref = spec.get("indicatorRef")
        if ref is not None:
            found = self.slis.get(str(ref))
            if found is None:
                raise _Untranslatable(
                    line_of(spec, "indicatorRef"), f"indicatorRef {ref!r} names no SLI in this file"
                )
            self._sli_metadata(found)
            return found
        in_objectives = any(
            hasattr(o, "get") and o.get("ratioMetrics") is not None
            for o in spec.get("objectives") or []
        )
        if spec.get("thresholdMetric") is not None or in_objectives:
            return spec  # v1alpha: the metric sits in the SLO's spec or its objectives
        raise _Untranslatable(line_of(spec), "no indicator")

    def _sli_metadata(self, indicator: Any) -> None:
        """An SLI's labels and annotations are named once, however many SLOs use it."""
        metadata = indicator.get("metadata") if hasattr(indicator, "get") else None
        if hasattr(metadata, "get") and id(metadata) not in self.seen_sli_metadata:
            self.seen_sli_metadata.add(id(metadata))
            self._labels(metadata)

    def _period(self, spec: Any, alpha: bool) -> str:
        windows = spec.get("timeWindow") if not alpha else spec.get("timeWindows")
        if windows is None:
            windows = spec.get("timeWindows") or spec.get("timeWindow")
        key = "timeWindows" if spec.get("timeWindows") is not None else "timeWindow"
        if not windows:
            raise _Untranslatable(line_of(spec), "no timeWindow")
        if len(windows) > 1:
            self.note(
                line_of(windows, 1), "only the first time window is read: the others are left out"
            )
        window = windows[0]
        at = line_of(windows, 0) or line_of(spec, key)
        if window.get("duration") is not None:
            match = _DURATION.match(str(window.get("duration")))
            if match is None:
                raise _Untranslatable(
                    at,
                    f"duration {window.get('duration')!r} is not N followed by s, m, h, d, w, M, Q or Y",
                )
            count, unit = int(match.group(1)), match.group(2)
        else:
            alpha_unit = _ALPHA_UNITS.get(str(window.get("unit", "")).lower())
            if alpha_unit is None or window.get("count") is None:
                raise _Untranslatable(at, "a time window without duration (or count and unit)")
            if not re.fullmatch(r"\s*\d+\s*", str(window.get("count"))):
                raise _Untranslatable(at, f"count {window.get('count')!r} is no whole number")
            count, unit = int(str(window.get("count"))), alpha_unit
        if count <= 0:
            raise _Untranslatable(at, "a time window of no length")
        if window.get("isRolling") is not True and window.get("calendar") is None:
            raise _Untranslatable(
                at,
                "a time window neither rolling (isRolling: true) nor calendar-aligned "
                "(calendar:): which periods is not said",
            )
        if window.get("isRolling") is True:
            if unit not in _UNITS:
                raise _Untranslatable(
                    at,
                    f"a rolling window of {count}{unit} (months, quarters and years are no fixed "
                    f"length of time)",
                )
            word = _UNITS[unit] if count != 1 else _UNITS[unit].rstrip("s")
            return f"over a rolling {count} {word}"
        calendar = window.get("calendar") or {}
        if not hasattr(calendar, "get"):
            raise _Untranslatable(at, "a calendar window whose calendar is no mapping")
        start = calendar.get("startTime")
        day: dt.date | None = None
        clock = "00:00:00"
        if start is not None:
            parts = _START.fullmatch(str(start))
            if parts is None:
                raise _Untranslatable(
                    line_of(calendar, "startTime"), f"startTime {start!r} is no date and time"
                )
            try:
                day = dt.date.fromisoformat(parts.group(1))
            except ValueError:
                raise _Untranslatable(
                    line_of(calendar, "startTime"), f"startTime {start!r} is no date"
                ) from None
            clock = parts.group(2) or clock
        period = self._calendar_period(count, unit, day, at, calendar)
        # OpenSLO requires a zone with a calendar; without one, UTC (and Etc/UTC is UTC).
        zone = str(calendar.get("timeZone") or "UTC")
        zone = "UTC" if zone == "Etc/UTC" else zone
        if not _is_zone(zone):
            raise _Untranslatable(
                line_of(calendar, "timeZone") or at,
                f"time zone {zone!r} is no name of the IANA time zone database",
            )
        if self.timezone is None:
            self.timezone, self.timezone_line = zone, line_of(calendar, "timeZone")
        elif zone != self.timezone:
            raise _Untranslatable(
                line_of(calendar, "timeZone") or at,
                f"time zone {zone} differs from the contract's ({self.timezone}, line "
                f"{self.timezone_line}): a contract has one",
            )
        if clock not in ("00:00", "00:00:00"):
            # Named only if an objective of the SLO is imported with this period.
            self.pending.append(
                Note(
                    line_of(calendar, "startTime"),
                    f"startTime {start}: the contract's periods start at midnight ({day} 00:00 "
                    f"{zone}), not at {clock}; the time of day is left out",
                )
            )
        return period

    @staticmethod
    def _calendar_period(count: int, unit: str, day: dt.date | None, at: int, calendar: Any) -> str:
        """A calendar window as a contract period, exactly: a calendar month is one from the
        1st, a calendar week one from a Monday; a week from another day is a week from it."""
        if count == 1 and unit in _CALENDAR:
            aligned = (
                day is None
                or unit == "d"
                or (unit == "w" and day.weekday() == 0)
                or (unit == "M" and day.day == 1)
                or (unit == "Q" and day.day == 1 and day.month in (1, 4, 7, 10))
                or (unit == "Y" and day.day == 1 and day.month == 1)
            )
            if aligned:
                return f"per calendar {_CALENDAR[unit]}"
            if unit == "w" and day is not None:
                return f"per 1 week from {day.isoformat()}"
            raise _Untranslatable(
                line_of(calendar, "startTime"),
                f"a calendar {_CALENDAR[unit]} from {day}: a contract's calendar "
                f"{_CALENDAR[unit]}s start on the first day of the {_CALENDAR[unit]}",
            )
        if unit in ("d", "w"):
            if day is None:
                raise _Untranslatable(
                    at, f"a calendar window of {count}{unit} without startTime: from which day"
                )
            return f"per {count} {_UNITS[unit]} from {day.isoformat()}"
        raise _Untranslatable(
            at,
            f"a calendar window of {count}{unit} ({'minutes' if unit == 'm' else 'this length'}) "
            f"has no equivalent: a contract's calendar periods are a day, week, month, quarter or "
            f"year, or days and weeks from a date",
        )

    def _target(self, objective: Any) -> str:
        if objective.get("targetPercent") is not None:
            raw, scale = objective.get("targetPercent"), Decimal(1)
            key = "targetPercent"
        elif objective.get("target") is not None:
            raw, scale = objective.get("target"), Decimal(100)
            key = "target"
        else:
            raise _Untranslatable(line_of(objective), "no target")
        number = _decimal(raw)
        if number is None:
            raise _Untranslatable(line_of(objective, key), f"target {raw!r} is no number")
        value = number * scale
        if not Decimal(0) < value <= Decimal(100):
            raise _Untranslatable(line_of(objective, key), f"target {raw} is not a share above 0")
        return _number(value) + "%"

    def _source_comment(self, role: str, node: Any) -> str:
        """Where a record type's samples come from (a metric source, or v1alpha's query)."""
        source: Any = node.get("metricSource") if hasattr(node, "get") else None
        if source is None and hasattr(node, "get") and node.get("query") is not None:
            source = {"type": node.get("source", "?"), "spec": {"query": node.get("query")}}
        if not hasattr(source, "get"):
            return f"# {role}: no metric source"
        kind = source.get("type") or source.get("metricSourceRef") or "?"
        spec: Any = source.get("spec")
        query = spec.get("query") if hasattr(spec, "get") else None
        shown = f"{kind}" + (f": {_comment(query)}" if query is not None else "")
        return f"# {role}: {shown}"

    def _objective(
        self,
        slo: Any,
        spec: Any,
        indicator: Any,
        objective: Any,
        names: tuple[str, str, str],
        period: str,
        method: str,
        alpha: bool,
    ) -> None:
        metric, title, clause_title = names
        if metric in self.names:
            raise _Untranslatable(line_of(objective), f"the name {metric} is taken")
        target = self._target(objective)
        self._unread(objective, method, self._name_of(slo))
        ispec = indicator.get("spec") if indicator.get("spec") is not None else indicator
        if alpha and ispec is spec:
            ratio = objective.get("ratioMetrics")
            threshold = None if ratio is not None else spec.get("thresholdMetric")
        else:
            ratio = ispec.get("ratioMetric")
            threshold = ispec.get("thresholdMetric")
        sli = self._name_of(indicator) if indicator is not spec else metric
        if not _NAME.fullmatch(sli or ""):
            sli = metric
        lines = [f"# SLO {self._name_of(slo)}"]
        sli_title = (indicator.get("metadata") or {}) if indicator is not spec else {}
        if hasattr(sli_title, "get") and sli_title.get("displayName"):
            lines.append(f"# SLI {sli}: {_comment(sli_title.get('displayName'))}")
        if ispec is not spec and hasattr(ispec, "get") and ispec.get("description"):
            lines.append(f"# SLI {sli} description: {_comment(ispec.get('description'))}")
        if ratio is not None:
            good, bad, total = ratio.get("good"), ratio.get("bad"), ratio.get("total")
            if ratio.get("raw") is not None:
                raise _Untranslatable(
                    line_of(ratio, "raw"),
                    "a raw ratio metric (a ratio computed elsewhere, its events unknown) has "
                    "no equivalent: the contract counts good and total events itself",
                )
            if total is None or (good is None) == (bad is None):
                raise _Untranslatable(
                    line_of(ratio), "a ratio metric needs total and one of good or bad"
                )
            part = "good" if good is not None else "bad"
            lines.append(
                self._source_comment(f"{sli}-{part} records", good if good is not None else bad)
            )
            lines.append(self._source_comment(f"{sli}-total records", total))
            good_sum = f"sum(value in {sli}-good records)"
            bad_sum = f"sum(value in {sli}-bad records)"
            total_sum = f"sum(value in {sli}-total records)"
            if method == "Occurrences":
                numerator = good_sum if good is not None else f"{total_sum} minus {bad_sum}"
                body = [f"  ratio of {numerator} to {total_sum}, {period}"]
            else:
                body = self._slices(objective, period)
                slice_target = self._slice_target(objective)
                share = "good" if good is not None else "bad"
                relation = "<" if share == "good" else ">"
                bound = (
                    slice_target
                    if share == "good"
                    else _number(100 - Decimal(slice_target[:-1])) + "%"
                )
                body += [
                    f"  {share} = sum(value in {sli}-{share} records)",
                    f"  total = sum(value in {sli}-total records)",
                    f"  a slice is down when {share} / total {relation} {bound}",
                    # A slice without samples is no data (0 / 0), never up or down.
                    f"  a slice without {sli}-total records is skipped",
                ]
        elif threshold is not None:
            op = str(objective.get("op", "")).lower()
            if op not in _OPS:
                raise _Untranslatable(
                    line_of(objective), f"op {op or '(none)'} is not lt, lte, gt or gte"
                )
            threshold_value = _decimal(objective.get("value"))
            if threshold_value is None:
                raise _Untranslatable(
                    line_of(objective, "value") or line_of(objective),
                    f"value {objective.get('value')!r} is no number",
                )
            if threshold_value < 0:
                # A contract's numbers are written without a sign (it has no minus operator).
                raise _Untranslatable(
                    line_of(objective, "value"),
                    f"a threshold below zero ({objective.get('value')}) has no number in a "
                    f"contract",
                )
            value = _number(threshold_value)
            lines.append(self._source_comment(f"{sli} records", threshold))
            if method == "Occurrences":
                body = [
                    f"  ratio of count({sli} records where value {_OPS[op]} {value}) to "
                    f"count({sli} records), {period}"
                ]
            else:
                # 1 (every sample of a slice good) is a slice down when one breaks it.
                share = objective.get("timeSliceTarget")
                if share is not None and _decimal(share) != Decimal(1):
                    raise _Untranslatable(
                        line_of(objective, "timeSliceTarget"),
                        f"a time slice target of {share} on a threshold metric (a share of the "
                        f"samples in each slice) has no equivalent; 1 (all of them) has",
                    )
                body = self._slices(objective, period)
                body.append(
                    f"  a slice is down when there are {sli} records where value "
                    f"{_BROKEN[op]} {value}"
                )
                body.append(f"  a slice without {sli} records is skipped")
        else:
            raise _Untranslatable(
                line_of(ispec), "an indicator with neither ratioMetric nor thresholdMetric"
            )
        if ratio is not None:
            # op and value compare a threshold metric's samples; a ratio has none to compare.
            for key in ("op", "value"):
                if objective.get(key) is not None:
                    self.note(
                        line_of(objective, key),
                        f"SLO {self._name_of(slo)!r}: {key} {objective.get(key)} is read only "
                        f"with a thresholdMetric, not this ratio: ignored",
                    )
        if ratio is not None and ratio.get("incremental") is not None:
            # v1alpha's name for counter.
            lines.append(
                f"# incremental: {str(ratio.get('incremental')).lower()} (read the queries "
                f"with counter = true in the queries file)"
                if ratio.get("incremental")
                else "# incremental: false"
            )
        if ratio is not None and ratio.get("counter") is not None:
            lines.append(
                f"# counter: {str(ratio.get('counter')).lower()} (read the queries with counter = true in the queries file)"
                if ratio.get("counter")
                else "# counter: false"
            )
        self.names.add(metric)
        if spec.get("description"):
            body.append(f"  description {_quoted(spec.get('description'))}")
        self.metrics.append("\n".join([*lines, f"metric {metric} {_quoted(title)}", *body]))
        number = len(self.clauses) + 1
        service = spec.get("service")
        service_line = ""
        if service is not None and _NAME.fullmatch(str(service)):
            # Declared by the first objective imported for it, when no Service document does.
            self.services.setdefault(str(service), str(service))
            service_line = f"\n  service {service}"
        self.clauses.append(
            f"clause {number} {_quoted(clause_title)}{service_line}\n  promise {metric} >= {target}"
        )

    def _unread(self, objective: Any, method: str, slo: str) -> None:
        """Keys of an imported objective that say nothing to the contract, each at its line."""
        read = set(_OBJECTIVE_KEYS)
        if method == "Occurrences":
            read -= {"timeSliceTarget", "timeSliceWindow"}
        for key in objective:
            if str(key) not in read:
                why = (
                    "counts for Timeslices only, not Occurrences"
                    if str(key) in _OBJECTIVE_KEYS
                    else "is no key of an OpenSLO objective"
                )
                self.note(line_of(objective, key), f"SLO {slo!r}: {key} {why}: ignored")

    def _slices(self, objective: Any, period: str) -> list[str]:
        window = objective.get("timeSliceWindow")
        if window is None:
            raise _Untranslatable(line_of(objective), "Timeslices without timeSliceWindow")
        # A bare number is minutes (the specification's default unit for timeSliceWindow).
        shown = f"{window}m" if re.fullmatch(r"\s*\d+\s*", str(window)) else str(window)
        match = _DURATION.match(shown)
        if match is None or match.group(2) not in _UNITS:
            raise _Untranslatable(
                line_of(objective, "timeSliceWindow"),
                f"timeSliceWindow {window!r} is no fixed length",
            )
        count, unit = int(match.group(1)), match.group(2)
        word = _UNITS[unit] if count != 1 else _UNITS[unit].rstrip("s")
        return [f"  availability, {period}", f"  in slices of {count} {word}"]

    def _slice_target(self, objective: Any) -> str:
        raw = objective.get("timeSliceTarget")
        if raw is None:
            raise _Untranslatable(
                line_of(objective), "a ratio's Timeslices without timeSliceTarget"
            )
        number = _decimal(raw)
        if number is None or not Decimal(0) < number <= Decimal(1):
            raise _Untranslatable(
                line_of(objective, "timeSliceTarget"),
                f"timeSliceTarget {raw!r} is no number above 0 and at most 1",
            )
        return _number(number * 100) + "%"

    # -------------------------------------------------------------------------- the text
    def _text(self) -> str:
        name = next(iter(self.services), None) or "openslo"
        parts = [
            f"# Imported from OpenSLO ({_comment(self.filename)}) by obligo import openslo.\n"
            f"contract {name} {_quoted('Objectives imported from OpenSLO')}\n"
            f"  timezone {_quoted(self.timezone or 'UTC')}"
        ]
        parts += [
            f"service {key} {_quoted(title)}"
            + (
                f"\n  description {_quoted(self.descriptions[key])}"
                if key in self.descriptions
                else ""
            )
            for key, title in self.services.items()
        ]
        parts += self.metrics
        parts += self.clauses
        return "\n\n".join(parts) + "\n"

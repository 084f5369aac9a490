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
  week, quarter, year), other lengths ``per N weeks from START``.

The metric source of each record type (a Prometheus query, ...) is written as a comment above the
metric: which query yields those records is the operator's (docs/prometheus.md). Anything else
(alert policies, RatioTimeslices, windows in months counted rolling, labels) is a Note with its
YAML line; an objective that cannot be said exactly is left out whole, never approximated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from obligo.interop.openslo.yaml_reader import line_of, read_documents

_NAME = re.compile(r"[a-z_][a-z0-9_]*(-[a-z0-9_]+)*")
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdwMQY])\s*$")
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


def _quoted(text: object) -> str:
    """A contract string: quotes and backslashes escaped, on one line."""
    one_line = " ".join(str(text).split())
    return '"' + one_line.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _comment(text: object) -> str:
    return " ".join(str(text).split())


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

    def note(self, line: int, message: str) -> None:
        self.notes.append(Note(line, message))

    def run(self, documents: list[Any]) -> Imported:
        slos: list[Any] = []
        for document in documents:
            if not hasattr(document, "get"):
                self.note(
                    line_of(document), "not an OpenSLO object (a mapping with kind): left out"
                )
                continue
            kind = document.get("kind")
            version = str(document.get("apiVersion", ""))
            if version not in ("openslo/v1", "openslo/v1alpha"):
                self.note(
                    line_of(document, "apiVersion"),
                    f"apiVersion {version or '(none)'} is not openslo/v1 or openslo/v1alpha: left out",
                )
                continue
            if kind == "Service":
                self._service(document)
            elif kind == "SLI":
                name = str((document.get("metadata") or {}).get("name", ""))
                self.slis[name] = document
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
        for slo in slos:
            self._slo(slo)
        return Imported(self._text(), sorted(self.notes, key=lambda n: n.line), len(self.clauses))

    # -------------------------------------------------------------------------- the parts
    @staticmethod
    def _name_of(document: Any) -> str:
        metadata = document.get("metadata") or {}
        return str(metadata.get("name", "")) if hasattr(metadata, "get") else ""

    def _service(self, document: Any) -> None:
        metadata = document.get("metadata") or {}
        name = str(metadata.get("name", ""))
        if not _NAME.fullmatch(name):
            self.note(line_of(document), f"service name {name!r} is no contract name: left out")
            return
        self.services[name] = str(metadata.get("displayName") or name)
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
        alpha = str(slo.get("apiVersion")) == "openslo/v1alpha"
        try:
            if not _NAME.fullmatch(name):
                raise _Untranslatable(
                    line_of(metadata, "name"), f"SLO name {name!r} is no contract name"
                )
            service = spec.get("service")
            if service is not None and _NAME.fullmatch(str(service)):
                self.services.setdefault(str(service), str(service))
            period = self._period(spec, alpha)
            method = str(spec.get("budgetingMethod", "Occurrences"))
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
        if spec.get("alertPolicies") is not None:
            self.note(
                line_of(spec, "alertPolicies"),
                f"SLO {name!r}: alertPolicies have no equivalent in a contract: left out",
            )
        objectives = spec.get("objectives") or []
        for index, objective in enumerate(objectives):
            metric = name if len(objectives) == 1 else f"{name}-{index + 1}"
            title = str(
                objective.get("displayName")
                or (metadata.get("displayName") if hasattr(metadata, "get") else None)
                or name
            )
            try:
                self._objective(
                    slo, spec, indicator, objective, metric, title, period, method, alpha
                )
            except _Untranslatable as failure:
                self.notes.append(
                    Note(
                        failure.note.line,
                        f"SLO {name!r}, objective {index + 1}: {failure.note.message}: left out",
                    )
                )

    def _indicator(self, spec: Any) -> Any:
        """The SLI of an SLO: inline, or a reference to an SLI document of the same file."""
        if spec.get("indicator") is not None:
            return spec.get("indicator")
        ref = spec.get("indicatorRef")
        if ref is not None:
            found = self.slis.get(str(ref))
            if found is None:
                raise _Untranslatable(
                    line_of(spec, "indicatorRef"), f"indicatorRef {ref!r} names no SLI in this file"
                )
            return found
        in_objectives = any(
            hasattr(o, "get") and o.get("ratioMetrics") is not None
            for o in spec.get("objectives") or []
        )
        if spec.get("thresholdMetric") is not None or in_objectives:
            return spec  # v1alpha: the metric sits in the SLO's spec or its objectives
        raise _Untranslatable(line_of(spec), "no indicator")

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
            count, unit = int(window.get("count")), alpha_unit
        if count <= 0:
            raise _Untranslatable(at, "a time window of no length")
        if window.get("isRolling"):
            if unit not in _UNITS:
                raise _Untranslatable(
                    at,
                    f"a rolling window of {count}{unit} (months, quarters and years are no fixed "
                    f"length of time)",
                )
            word = _UNITS[unit] if count != 1 else _UNITS[unit].rstrip("s")
            return f"over a rolling {count} {word}"
        calendar = window.get("calendar") or {}
        zone = calendar.get("timeZone") if hasattr(calendar, "get") else None
        if zone:
            if self.timezone is None:
                self.timezone, self.timezone_line = str(zone), line_of(calendar, "timeZone")
            elif str(zone) != self.timezone:
                raise _Untranslatable(
                    line_of(calendar, "timeZone"),
                    f"time zone {zone} differs from the contract's ({self.timezone}, line "
                    f"{self.timezone_line}): a contract has one",
                )
        start = calendar.get("startTime") if hasattr(calendar, "get") else None
        if count == 1 and unit in _CALENDAR:
            if start is not None and not str(start).endswith(("00:00:00", "00:00")):
                self.note(
                    line_of(calendar, "startTime"),
                    f"startTime {start}: a calendar {_CALENDAR[unit]} starts at midnight in a "
                    f"contract; the time of day is left out",
                )
            return f"per calendar {_CALENDAR[unit]}"
        if unit in ("d", "w") and start is not None:
            day = str(start)[:10]
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
                raise _Untranslatable(
                    line_of(calendar, "startTime"), f"startTime {start!r} is no date"
                )
            return f"per {count} {_UNITS[unit]} from {day}"
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
        try:
            value = Decimal(str(raw)) * scale
        except InvalidOperation:
            raise _Untranslatable(line_of(objective, key), f"target {raw!r} is no number") from None
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
        metric: str,
        title: str,
        period: str,
        method: str,
        alpha: bool,
    ) -> None:
        if metric in self.names:
            raise _Untranslatable(line_of(objective), f"the name {metric} is taken")
        target = self._target(objective)
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
        lines = [
            f"# SLO {self._name_of(slo)}"
            + (f": {_comment(spec.get('description'))}" if spec.get("description") else "")
        ]
        if ratio is not None:
            good, bad, total = ratio.get("good"), ratio.get("bad"), ratio.get("total")
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
            try:
                value = _number(Decimal(str(objective.get("value"))))
            except InvalidOperation:
                raise _Untranslatable(
                    line_of(objective, "value"), f"value {objective.get('value')!r} is no number"
                ) from None
            lines.append(self._source_comment(f"{sli} records", threshold))
            if method == "Occurrences":
                body = [
                    f"  ratio of count({sli} records where value {_OPS[op]} {value}) to "
                    f"count({sli} records), {period}"
                ]
            else:
                if objective.get("timeSliceTarget") is not None:
                    raise _Untranslatable(
                        line_of(objective, "timeSliceTarget"),
                        "a time slice target on a threshold metric (a share of the samples in "
                        "each slice) has no equivalent",
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
        if ratio is not None and ratio.get("counter") is not None:
            lines.append(
                f"# counter: {str(ratio.get('counter')).lower()} (read the queries with counter = true in the queries file)"
                if ratio.get("counter")
                else "# counter: false"
            )
        self.names.add(metric)
        self.metrics.append("\n".join([*lines, f"metric {metric} {_quoted(title)}", *body]))
        number = len(self.clauses) + 1
        service = spec.get("service")
        service_line = (
            f"\n  service {service}"
            if service is not None and str(service) in self.services
            else ""
        )
        self.clauses.append(
            f"clause {number} {_quoted(title)}{service_line}\n  promise {metric} >= {target}"
        )

    def _slices(self, objective: Any, period: str) -> list[str]:
        window = objective.get("timeSliceWindow")
        if window is None:
            raise _Untranslatable(line_of(objective), "Timeslices without timeSliceWindow")
        match = _DURATION.match(str(window))
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
        try:
            value = Decimal(str(raw)) * 100
        except InvalidOperation:
            raise _Untranslatable(
                line_of(objective, "timeSliceTarget"), f"timeSliceTarget {raw!r} is no number"
            ) from None
        return _number(value) + "%"

    # -------------------------------------------------------------------------- the text
    def _text(self) -> str:
        name = next(iter(self.services), None) or "openslo"
        parts = [
            f"# Imported from OpenSLO ({_comment(self.filename)}) by obligo import openslo.\n"
            f"contract {name} {_quoted('Objectives imported from OpenSLO')}\n"
            f"  timezone {_quoted(self.timezone or 'UTC')}"
        ]
        parts += [f"service {key} {_quoted(title)}" for key, title in self.services.items()]
        parts += self.metrics
        parts += self.clauses
        return "\n\n".join(parts) + "\n"

"""What a contract reads from an event log: record types, fields with their types, name mappings.

The log itself carries no schema: a CSV cell is text and a JSON number may stand for anything. The
contract's use of a field says what it is (``severity <= 2`` makes ``severity`` a number,
``duration from opened to resolved`` makes ``opened`` and ``resolved`` timestamps), and
:func:`schema_for` collects these uses into an :class:`EventSchema` that the loader reads with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from obligo.errors import EventDataError
from obligo.events.derive import Derivation
from obligo.model.base import Boolean, DateValue, LiteralValue, Number, Percent, Text, walk
from obligo.model.clauses import NoticeRequirement
from obligo.model.conditions import Compare, FieldOf, Member, Presence, Selection
from obligo.model.contract import Contract, FieldMapping, NoticeRule, Service
from obligo.model.inheritance import in_force, lineage_chain
from obligo.model.metrics import (
    Aggregate,
    DurationSpec,
    MeanTimeBetweenFailures,
    MeanTimeToRepair,
    Metric,
    PausedBetween,
    PausedWhile,
    Ratio,
    ShareWithinTarget,
    SliceAtLeast,
    SliceEvery,
    TotalDuration,
    written,
)


class FieldType(Enum):
    """The type a field is read as; its SQL type in the ``events`` table is :attr:`sql`."""

    TEXT = "text"
    NUMBER = "number"
    BOOLEAN = "boolean"
    TIMESTAMP = "timestamp"

    @property
    def sql(self) -> str:
        """``VARCHAR``, ``DECIMAL(38, 9)`` (exact, 9 decimal places), ``BOOLEAN``, ``TIMESTAMPTZ``."""
        return _SQL_TYPES[self]


_SQL_TYPES = {
    FieldType.TEXT: "VARCHAR",
    FieldType.NUMBER: "DECIMAL(38, 9)",
    FieldType.BOOLEAN: "BOOLEAN",
    FieldType.TIMESTAMP: "TIMESTAMPTZ",
}


class SchemaError(EventDataError, ValueError):
    """A schema that no log can be read with: a reserved field name, a mapping that names no
    field, two log names that differ only in case. An :class:`~obligo.EventDataError` (the CLI
    prints it and exits 2); also a ``ValueError``, as it was before it had a class of its own."""

    def __str__(self) -> str:
        # It names no place in a file: its text alone, as a ValueError's was.
        return self.message + (f" ({self.hint})" if self.hint else "")


#: Fields every schema has, with their fixed types.
RESERVED_FIELDS: Mapping[str, FieldType] = MappingProxyType(
    {
        "type": FieldType.TEXT,
        "id": FieldType.TEXT,
        "time": FieldType.TIMESTAMP,
        "start": FieldType.TIMESTAMP,
        "end": FieldType.TIMESTAMP,
        "updated": FieldType.TIMESTAMP,
    }
)

#: Fields of billing records, read whenever a service takes its fee from the log.
INVOICE_FIELDS: Mapping[str, FieldType] = MappingProxyType(
    {"period": FieldType.TEXT, "amount": FieldType.TEXT, "currency": FieldType.TEXT}
)

#: Columns the ``events`` table adds to the schema's fields.
BOOKKEEPING_COLUMNS = ("_input", "_line")
#: Names the loader's tables use for their own columns (an input's table: whether a record is
#: used, bad, how many naive timestamps it has; DuckDB's row number), which no field may take.
INTERNAL_COLUMNS = ("_used", "_bad", "_naive", "rowid")


@dataclass(frozen=True)
class FieldSource:
    """Canonical ``field`` is read from ``source`` (in records of ``record_type``, or in all)."""

    field: str
    source: str
    record_type: str | None = None

    def __str__(self) -> str:
        where = f" in {self.record_type} records" if self.record_type else ""
        return f"{self.field} <- {self.source}{where}"


@dataclass(frozen=True)
class Required:
    """Records of ``record_type`` must have one of ``fields`` (canonical names) to be used
    (or, not ``every``, one record of the type at least): ``why`` says what the contract does
    with it. Records with an ``id`` are checked once merged
    (section 12 of docs/semantics.md: a record may give its fields in parts)."""

    record_type: str
    fields: tuple[str, ...]
    why: str
    # False: a record may lack it (it counts for no value), but not every record of the type:
    # a log none of whose records of the type has it names it otherwise.
    every: bool = True

    @property
    def shown(self) -> str:
        return " or ".join(f"`{name}`" for name in self.fields)


@dataclass(frozen=True, order=True)
class StatusLink:
    """Records of ``record_type`` (status changes) name, in ``field``, the id of a record of
    ``target_type`` (a ticket) whose clock they stop and start: one that names an id no record
    of ``target_type`` has is rejected (docs/semantics.md, section 8.7)."""

    record_type: str
    field: str
    target_type: str


@dataclass(frozen=True, order=True)
class PausePair:
    """Records of ``record_type`` are paused from ``start`` to ``end`` (two timestamp fields): a
    record with an end but no start (a resume without a pause), or an end before its start, is
    rejected (docs/semantics.md, section 8.7)."""

    record_type: str
    start: str
    end: str


@dataclass(frozen=True)
class EventSchema:
    """The fields and record types a contract reads, and where each field comes from.

    ``fields`` maps canonical names to types, in a stable order (``type``, ``id``, ``time``,
    ``start``, ``end``, ``updated``, then the others by name). ``mappings`` holds one entry per
    renamed field, at most one for all records and one per record type; a field without an entry
    is read under its own name. ``timezone`` is the contract's, used for dates in conditions.
    """

    fields: Mapping[str, FieldType]
    record_types: frozenset[str]
    mappings: tuple[FieldSource, ...] = ()
    timezone: str = "UTC"
    # The stated unit of fields of numbers (`field latency_ms in ms`): a duration compared with
    # such a field in a filter is converted to it (`latency_ms > 1 s` compares with 1000).
    units: Mapping[str, str] = field(default_factory=dict)
    required: tuple[Required, ...] = ()
    # What stops a record's clock (`paused while ..., linked by FIELD`, `paused from A to B`):
    # the loader rejects the records that break these rules, once merged.
    links: tuple[StatusLink, ...] = ()
    pause_pairs: tuple[PausePair, ...] = ()
    # The end of what is evaluated (the evaluation time, no later than the end of the term):
    # where a record still open ends when its length is tested (`lasting at least 15 minutes`).
    # Set by the engine's context; without it an open record has no length.
    now: dt.datetime | None = None
    # Fields derived from a log's columns by the contract's `map` lines (a constant, a time in a
    # stated form, ...: docs/sources.md): every file of the log is read through them.
    derived: tuple[Derivation, ...] = ()

    def __post_init__(self) -> None:
        fields = dict(RESERVED_FIELDS)
        for name, kind in self.fields.items():
            if name in RESERVED_FIELDS and kind is not RESERVED_FIELDS[name]:
                raise SchemaError(f"field {name!r} is always {RESERVED_FIELDS[name].value}")
            if name in BOOKKEEPING_COLUMNS or name.casefold() in INTERNAL_COLUMNS:
                raise SchemaError(f"{name!r} is reserved for the events table's bookkeeping")
            if not name:
                raise SchemaError("a field name cannot be empty")
            fields[name] = kind
        ordered = {name: fields[name] for name in RESERVED_FIELDS}
        ordered.update({name: fields[name] for name in sorted(fields) if name not in ordered})
        object.__setattr__(self, "fields", MappingProxyType(ordered))
        object.__setattr__(self, "record_types", frozenset(self.record_types))
        object.__setattr__(self, "mappings", tuple(self.mappings))
        object.__setattr__(self, "units", MappingProxyType(dict(sorted(self.units.items()))))
        for entry in self.mappings:
            for name in (entry.field, entry.source):
                if not isinstance(name, str) or not name.strip() or "\x00" in name:
                    raise SchemaError(
                        f"the mapping {entry.field!r} <- {entry.source!r} names no field: a "
                        "name is a non-empty text without NUL characters"
                    )
            if entry.field == "type" and entry.record_type is not None:
                raise SchemaError("the record type field can only be mapped for all records")
        seen = {(m.field, m.record_type) for m in self.mappings}
        if len(seen) != len(self.mappings):
            raise SchemaError("a field is mapped twice for the same records")
        required: dict[tuple[str, tuple[str, ...]], Required] = {}
        for rule in self.required:
            key = (rule.record_type, rule.fields)
            if key not in required or rule.every:
                required[key] = rule
        for rule in required.values():
            for name in rule.fields:
                if name not in fields:
                    raise SchemaError(f"a required field {name!r} is not in the schema")
        object.__setattr__(self, "required", tuple(required[key] for key in sorted(required)))
        named = [r.field for r in self.links]
        named += [name for rule in self.pause_pairs for name in (rule.start, rule.end)]
        for name in named:
            if name not in fields:
                raise SchemaError(f"a field {name!r} of a pause is not in the schema")
        object.__setattr__(self, "links", tuple(sorted(set(self.links))))
        object.__setattr__(self, "pause_pairs", tuple(sorted(set(self.pause_pairs))))

    def required_of(self, record_type: str) -> tuple[Required, ...]:
        """What records of ``record_type`` must have (see :class:`Required`)."""
        return tuple(r for r in self.required if r.record_type == record_type)

    def optional_fields(self) -> list[str]:
        """The fields that no record type requires: a record may lack them."""
        named = {
            name
            for rule in self.required
            for name in rule.fields
            if len(rule.fields) == 1 and rule.every
        }
        return [name for name in self.fields if name not in named and name != "type"]

    def source_of(self, name: str, record_type: str | None = None) -> str:
        """The name the log uses for canonical field ``name`` in records of ``record_type``."""
        general = name
        for entry in self.mappings:
            if entry.field != name:
                continue
            if entry.record_type is None:
                general = entry.source
            elif entry.record_type == record_type:
                return entry.source
        return general

    def sources(self) -> list[str]:
        """Every name the loader reads from the log, without repeats, in a stable order."""
        names = {self.source_of(name): None for name in self.fields}
        for entry in self.mappings:
            if entry.field in self.fields:
                names.setdefault(entry.source, None)
        return list(names)


# ----------------------------------------------------------------------------- schema_for


def with_field(schema: EventSchema, name: str, kind: FieldType) -> EventSchema:
    """``schema`` that also reads ``name`` (kept as it is when the schema already reads it)."""
    if name in schema.fields:
        return schema
    return replace(schema, fields={**schema.fields, name: kind})


def union_of(schemas: Sequence[EventSchema]) -> EventSchema:
    """One schema that reads what each of ``schemas`` reads, for agreements sharing one log.

    A field read as two different types, a field renamed two ways, or two timezones (naive
    timestamps would mean two instants) cannot share one log: ValueError says which."""
    if not schemas:
        raise SchemaError("no schema to unite")
    fields: dict[str, FieldType] = {}
    for schema in schemas:
        for name, kind in schema.fields.items():
            if fields.setdefault(name, kind) is not kind:
                raise SchemaError(
                    f"the field {name!r} is read as {fields[name].value} by one agreement and "
                    f"as {kind.value} by another"
                )
    sources: dict[tuple[str, str | None], str] = {}
    for schema in schemas:
        for entry in schema.mappings:
            key = (entry.field, entry.record_type)
            if sources.setdefault(key, entry.source) != entry.source:
                raise SchemaError(
                    f"the field {entry.field!r} is read from {sources[key]!r} by one agreement "
                    f"and from {entry.source!r} by another"
                )
    units: dict[str, str] = {}
    for schema in schemas:
        for name, unit in schema.units.items():
            if units.setdefault(name, unit) != unit:
                raise SchemaError(
                    f"the field {name!r} is in {units[name]} for one agreement and in {unit} for"
                    " another"
                )
    derived: dict[str, Derivation] = {}
    for schema in schemas:
        for derivation in schema.derived:
            if derived.setdefault(derivation.target, derivation) != derivation:
                raise SchemaError(
                    f"the field {derivation.target!r} is derived one way by one agreement and "
                    "another way by another"
                )
    zones = sorted({schema.timezone for schema in schemas})
    if len(zones) > 1:
        raise SchemaError(f"agreements in different timezones share one log: {', '.join(zones)}")
    return EventSchema(
        fields=fields,
        record_types=frozenset().union(*(schema.record_types for schema in schemas)),
        mappings=tuple(
            FieldSource(field=f, source=src, record_type=rt)
            for (f, rt), src in sorted(
                sources.items(), key=lambda item: (item[0][0], item[0][1] or "")
            )
        ),
        timezone=zones[0],
        units=units,
        required=tuple(rule for schema in schemas for rule in schema.required),
        links=tuple(rule for schema in schemas for rule in schema.links),
        pause_pairs=tuple(rule for schema in schemas for rule in schema.pause_pairs),
        derived=tuple(derived[target] for target in sorted(derived)),
    )


def schema_for(
    contract: Contract, extra_mappings: Mapping[str, str] = MappingProxyType({})
) -> EventSchema:
    """The event schema of a contract and of the levels it imports.

    ``extra_mappings`` come from the command line (``start=begin_time``: canonical ``start`` is
    read from ``begin_time``) and apply to every record type, replacing the contract's mappings
    of the same field. Of the contract's own mappings a per-record-type one beats a general one,
    and the contract's beat those of the levels it imports.

    Types: a field's type comes first from a structural use (aggregated or summed: number;
    duration or notice bounds: timestamp; grouped by (``, by priority``), ``every zone in`` or
    ``distinct site values``: text; invoice fields: text), then from the literals it is compared with (number or percentage: number; text: text;
    true/false: boolean; date: timestamp). Uses that disagree at the same level make the field
    text, which every value can be read as. A field only tested with ``is missing`` is text.
    """
    collector = _Collector()
    collector.walk_contract(contract)
    fields: dict[str, FieldType] = {}
    units = {
        declared.field: declared.unit
        for level in reversed(list(contract.levels()))
        for declared in level.field_units
    }
    for name in {**collector.structural, **collector.compared}:
        if name in RESERVED_FIELDS:
            continue
        kinds = collector.structural.get(name) or collector.compared.get(name) or set()
        if not kinds and name in units:
            kinds = {FieldType.NUMBER}  # compared only with durations: numbers of its unit
        if len(kinds) == 1:
            fields[name] = next(iter(kinds))
        else:
            fields[name] = FieldType.TEXT
    mappings = _resolve_mappings(collector.mappings, extra_mappings)
    derived = _derived(collector.mappings, extra_mappings)
    every = {**RESERVED_FIELDS, **fields}
    required = tuple(
        rule for rule in _required_of(contract) if all(name in every for name in rule.fields)
    )
    links, pairs = _pauses_of(contract)
    return EventSchema(
        fields=fields,
        record_types=frozenset(collector.record_types),
        mappings=mappings,
        derived=derived,
        timezone=_timezone_of(contract) or "UTC",
        units={name: unit for name, unit in units.items() if name in fields},
        required=required,
        links=tuple(rule for rule in links if every.get(rule.field) is FieldType.TEXT),
        pause_pairs=tuple(
            rule
            for rule in pairs
            if every.get(rule.start) is FieldType.TIMESTAMP
            and every.get(rule.end) is FieldType.TIMESTAMP
        ),
    )


# ------------------------------------------------------------------------------- requirements

_PLACED = ("time", "start")
_WHY_PLACED = "to place it in time"
_WHY_INTERVAL = "to read it as an interval"
_WHY_SLICE = "to place it in a slice"
_WHY_MEASURED = "to measure it"


def _required_of(contract: Contract) -> list[Required]:
    """What the records a metric (or an exclusion) reads must have for it to place and measure
    them: docs/semantics.md, "Fields a record must have". Fields only tested in conditions,
    grouped by, or read for a slice's values per feature are optional."""
    found: list[Required] = []
    for level in [contract, *_levels(contract)]:
        for metric in level.metrics:
            found += _metric_requirements(metric)
        for exclusion in level.exclusions:
            for selection in exclusion.sources:
                found.append(Required(selection.record_type, ("start",), _WHY_INTERVAL))
    return found


def _pauses_of(contract: Contract) -> tuple[list[StatusLink], list[PausePair]]:
    """The rules of the lines that stop a record's clock, at every level."""
    links: list[StatusLink] = []
    pairs: list[PausePair] = []
    for level in [contract, *_levels(contract)]:
        for metric in level.metrics:
            measured = metric.measure
            if not isinstance(measured, ShareWithinTarget):
                continue
            for pause in written(metric).pauses:
                target = measured.selection.record_type
                if isinstance(pause, PausedWhile):
                    status = pause.selection.record_type
                    links.append(StatusLink(status, pause.link, target))
                else:
                    pairs.append(PausePair(target, pause.start_field, pause.end_field))
    return links, pairs


def _levels(contract: Contract) -> list[Contract]:
    found: list[Contract] = []
    for level in contract.imported:
        found += [level, *_levels(level)]
    return found


def _metric_requirements(metric: Metric) -> list[Required]:
    found: list[Required] = []
    measure = metric.measure
    # Every line as written, a misplaced one too (MetricBase.misplaced): the fields a log must
    # have follow the contract's text, whatever its metrics' kinds make of it.
    lines = written(metric)
    for selection in [*lines.down_during, *lines.only_while]:
        found.append(Required(selection.record_type, ("start",), _WHY_INTERVAL))
    if isinstance(measure, TotalDuration | MeanTimeToRepair | MeanTimeBetweenFailures):
        found.append(Required(measure.selection.record_type, ("start",), _WHY_INTERVAL))
    elif isinstance(measure, ShareWithinTarget):
        if lines.duration is not None:
            start = lines.duration.start_field
            found.append(Required(measure.selection.record_type, (start,), "to start its duration"))
    elif isinstance(measure, Aggregate):
        found.append(Required(measure.selection.record_type, _PLACED, _WHY_PLACED))
        if measure.field is not None:
            found.append(
                Required(measure.selection.record_type, (measure.field,), _WHY_MEASURED, False)
            )
    elif isinstance(measure, Ratio):
        for part in (measure.numerator, measure.denominator):
            found += _expression_requirements(part, _PLACED, _WHY_PLACED)
    for pause in lines.pauses:
        if isinstance(pause, PausedWhile) and isinstance(measure, ShareWithinTarget):
            status, target = pause.selection.record_type, measure.selection.record_type
            found.append(Required(status, ("time",), f"to place it in its {target}'s history"))
            found.append(Required(status, (pause.link,), f"to link it to its {target}"))
    # Slices read the records whose `time` falls in them.
    for condition in lines.slice_down:
        found += _expression_requirements(condition, ("time",), _WHY_SLICE)
    for rule in lines.slice_without:
        found.append(Required(rule.selection.record_type, ("time",), _WHY_SLICE))
    for value in lines.values:
        found += _expression_requirements(value.expression, ("time",), _WHY_SLICE)
    return found


def _expression_requirements(node: Any, placed: tuple[str, ...], why: str) -> list[Required]:
    """The selections and aggregated fields inside an expression (or a slice condition)."""
    found: list[Required] = []
    if isinstance(node, FieldOf):
        found.append(Required(node.selection.record_type, placed, why))
        found.append(Required(node.selection.record_type, (node.field,), _WHY_MEASURED, False))
        return found
    if isinstance(node, Selection):
        return [Required(node.record_type, placed, why)]
    if isinstance(node, SliceEvery | SliceAtLeast):
        # The value field: records without it count for no value (documented): optional.
        return [Required(node.selection.record_type, placed, why)]
    if isinstance(node, tuple | list):
        for item in node:
            found += _expression_requirements(item, placed, why)
        return found
    if isinstance(node, BaseModel):
        for name, child in node:
            if name == "where":
                continue  # conditions test fields; they do not need them
            found += _expression_requirements(child, placed, why)
    return found


def _timezone_of(contract: Contract) -> str | None:
    """The timezone in force (:func:`obligo.model.inheritance.in_force`): the nearest level's."""
    found = in_force(lineage_chain(contract)).timezone
    return None if found is None else found.value


def _resolve_mappings(
    levels: list[list[FieldMapping]], extra: Mapping[str, str]
) -> tuple[FieldSource, ...]:
    resolved: dict[tuple[str, str | None], str] = {}
    # `levels` runs from the contract itself (0) to the most distant import: apply in reverse so
    # that nearer levels replace farther ones.
    for mappings in reversed(levels):
        for mapping in mappings:
            if mapping.derived:
                resolved.pop((mapping.target, mapping.record_type), None)
                continue
            resolved[(mapping.target, mapping.record_type)] = mapping.source
    for target, source in extra.items():
        for key in [k for k in resolved if k[0] == target]:
            del resolved[key]
        resolved[(target, None)] = source
    entries = [
        FieldSource(field=target, source=source, record_type=record_type)
        for (target, record_type), source in resolved.items()
        if source != target or record_type is not None
    ]
    entries.sort(key=lambda e: (e.field, e.record_type or ""))
    return tuple(entries)


def _derived(levels: list[list[FieldMapping]], extra: Mapping[str, str]) -> tuple[Derivation, ...]:
    """The derived fields of the contract's `map` lines, a nearer level's replacing a farther
    one's of the same field (as renames do); a --map option replaces them too."""
    found: dict[str, FieldMapping | None] = {}
    for mappings in reversed(levels):
        for mapping in mappings:
            if mapping.record_type is None:
                found[mapping.target] = mapping if mapping.derived else None
    return tuple(
        as_derivation(m) for target, m in sorted(found.items()) if m and target not in extra
    )


def as_derivation(mapping: FieldMapping) -> Derivation:
    """A derived `map` line as the loader's :class:`Derivation` (of every file of the log)."""

    return Derivation(
        target=mapping.target,
        column=mapping.source or None,
        constant=mapping.constant,
        time=mapping.time,
        zone=mapping.zone,
        plus=mapping.plus,
        unit=mapping.plus_unit,
        duration=mapping.duration,
        values=tuple((str(k), v) for k, v in mapping.table),
        origin="contract",
    )


def literal_type(value: LiteralValue) -> FieldType | None:
    """The field type a literal compared with a field implies (None: it implies none)."""
    if isinstance(value, Number | Percent):
        return FieldType.NUMBER
    if isinstance(value, Text):
        return FieldType.TEXT
    if isinstance(value, Boolean):
        return FieldType.BOOLEAN
    if isinstance(value, DateValue):
        return FieldType.TIMESTAMP
    return None


@dataclass
class _Collector:
    record_types: set[str] = field(default_factory=set)
    structural: dict[str, set[FieldType]] = field(default_factory=dict)
    compared: dict[str, set[FieldType]] = field(default_factory=dict)
    mappings: list[list[FieldMapping]] = field(default_factory=list)

    def walk_contract(self, contract: Contract, depth: int = 0) -> None:
        while len(self.mappings) <= depth:
            self.mappings.append([])
        self.mappings[depth].extend(contract.mappings)
        for name, value in contract:
            if name == "imported":
                continue
            self._walk(value)
        for level in contract.imported:
            self.walk_contract(level, depth + 1)

    def _use(self, table: dict[str, set[FieldType]], name: str, kind: FieldType | None) -> None:
        kinds = table.setdefault(name, set())
        if kind is not None:
            kinds.add(kind)

    def _walk(self, value: Any) -> None:
        for node in walk(value):  # every node of the contract is a Node
            self._visit(node)

    def _visit(self, node: BaseModel) -> None:
        structural, compared = self.structural, self.compared
        if isinstance(node, Selection):
            self.record_types.add(node.record_type)
        elif isinstance(node, Compare):
            self._use(compared, node.field, literal_type(node.value))
        elif isinstance(node, Member):
            self._use(compared, node.field, None)
            for item in node.values:
                self._use(compared, node.field, literal_type(item))
        elif isinstance(node, Presence):
            self._use(compared, node.field, None)
        elif isinstance(node, FieldOf):
            self._use(structural, node.field, FieldType.NUMBER)
        elif isinstance(node, Aggregate):
            if node.field is not None:
                self._use(structural, node.field, FieldType.NUMBER)
        elif isinstance(node, DurationSpec):
            self._use(structural, node.start_field, FieldType.TIMESTAMP)
            self._use(structural, node.end_field, FieldType.TIMESTAMP)
        elif isinstance(node, PausedWhile):
            self._use(structural, node.link, FieldType.TEXT)
        elif isinstance(node, PausedBetween):
            self._use(structural, node.start_field, FieldType.TIMESTAMP)
            self._use(structural, node.end_field, FieldType.TIMESTAMP)
        elif isinstance(node, NoticeRequirement):  # the customer's notice: a time
            self._use(structural, node.notice_field, FieldType.TIMESTAMP)
        elif isinstance(node, NoticeRule):
            self._use(structural, node.announced_field, FieldType.TIMESTAMP)
            self._use(structural, node.before_field, FieldType.TIMESTAMP)
        elif isinstance(node, SliceEvery | SliceAtLeast):
            self._use(structural, node.field, FieldType.TEXT)
        elif isinstance(node, Service):
            if node.fee_from is not None:
                for name, kind in INVOICE_FIELDS.items():
                    self._use(structural, name, kind)
        # `, by priority` on a measure, `fee from ..., by region`, `for any feature` on a slice
        # condition: grouped values are texts.
        fields = type(node).model_fields
        for attribute in ("group_by", "fee_group_by", "for_any"):
            grouped = node.__dict__[attribute] if attribute in fields else None
            if isinstance(grouped, str):
                self._use(structural, grouped, FieldType.TEXT)
            elif isinstance(grouped, tuple):  # `, by project, region`: each field
                for name in grouped:
                    self._use(structural, name, FieldType.TEXT)

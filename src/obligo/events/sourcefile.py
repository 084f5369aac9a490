"""Sources files (``obligo.sources.toml``) and profiles: how exports are read, declared once.

A sources file lists ``[[source]]`` entries; each says which files it reads (``match``, a
pattern on the file's name) and how: ``type``, ``profile``, ``delimiter``, ``decimal``,
``encoding`` and a ``[source.fields]`` table of derived fields; ``[[query]]`` tables are the
Prometheus queries (read by :mod:`obligo.events.prometheus`, as in a queries file). A profile
(``obligo/events/profiles/*.toml``) is the same entry without ``match``. Every mistake is an
:class:`~obligo.errors.SourcesError` at the line and column of the key that holds it.

A field is written as a column's name (a rename) or as a table::

    start = "Created On"
    customer = { value = "acme" }
    start = { column = "created_at", time = "%Y-%m-%d %H:%M", zone = "Europe/Berlin" }
    responded = { column = "created_at", time = "iso", plus = "reply_minutes", unit = "minutes" }
    handling = { column = "handle_min", duration = "minutes" }
    severity = { column = "priority", values = { SEV1 = 1, SEV2 = 2 } }
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from obligo.errors import SourcesError
from obligo.events import derive
from obligo.events._source import DELIMITERS, ENCODINGS, Source
from obligo.events.derive import Derivation
from obligo.events.prometheus import PREFIX as PROMETHEUS
from obligo.events.prometheus import PrometheusQuery, parse_query_tables
from obligo.model.timeforms import states_its_zone, time_form_problem, unit_problem, zone_problem

SOURCES_FILE = "obligo.sources.toml"
ENTRY_KEYS = ("match", "type", "profile", "delimiter", "decimal", "encoding", "fields")
PROFILE_KEYS = ("title", "documented", "type", "delimiter", "decimal", "encoding", "fields")
FIELD_KEYS = ("column", "value", "time", "zone", "plus", "unit", "duration", "values")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class SourceRule:
    """One ``[[source]]`` entry: the files whose name matches ``match`` are read as
    ``source`` says (its path is the file's)."""

    match: str
    source: Source


@dataclass(frozen=True)
class Sources:
    """A sources file: its rules, tried in order; the first that matches a file reads it."""

    path: str
    rules: tuple[SourceRule, ...]
    # The Prometheus queries ([[query]] tables) of --events prometheus+... (docs/prometheus.md).
    queries: tuple[PrometheusQuery, ...] = ()

    def source_for(self, path: str) -> Source | None:
        name = Path(path).name
        for rule in self.rules:
            if fnmatch.fnmatchcase(name, rule.match) or fnmatch.fnmatchcase(path, rule.match):
                return replace(rule.source, path=path)
        return None


class _Locator:
    """Where each key of a TOML text is written: ``(entry, table, key) -> (line, column)``,
    ``entry`` the index of the ``[[source]]`` entry (-1 outside any), ``table`` ``""`` or
    ``"fields"``."""

    def __init__(self, text: str, array: str = "source") -> None:
        self.lines = text.split("\n")
        self.places: dict[tuple[int, str, str], tuple[int, int]] = {}
        entry, table = -1, ""
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            if stripped.startswith("["):
                # A table's header locates its name as a top-level key ([[query]], a misspelt
                # [[sources]]).
                top = stripped.strip("[]").strip().split(".")[0].strip("\"'")
                self.places.setdefault((-1, "", top), (number, line.index("[") + 1))
            if stripped.startswith("[[") and stripped.split("]]")[0][2:].strip() == array:
                entry, table = entry + 1, ""
                self.places[(entry, "", "")] = (number, 1)
                continue
            if stripped.startswith("["):
                header = stripped.strip("[]").strip()
                table = header.rsplit(".", 1)[-1] if "." in header else header
                if table == array:
                    table = ""
                continue
            found = re.match(r'\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)\s*=', line)
            if found:
                key = found.group(1).strip("\"'")
                self.places.setdefault((entry, table, key), (number, found.start(1) + 1))

    def at(self, entry: int, table: str = "", key: str = "") -> tuple[int, int]:
        return (
            self.places.get((entry, table, key))
            or self.places.get((entry, "", table))
            or self.places.get((entry, "", ""))
            or (1, 1)
        )

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""


@dataclass
class _Reader:
    file: str
    locator: _Locator
    entry: int

    def fail(
        self, message: str, table: str = "", key: str = "", hint: str | None = None
    ) -> SourcesError:
        line, column = self.locator.at(self.entry, table, key)
        return SourcesError(
            message,
            file=self.file,
            line=line,
            column=column,
            hint=hint,
            source_line=self.locator.line(line),
        )

    def keys(
        self, table: Mapping[str, Any], allowed: Sequence[str], where: str, at: str = ""
    ) -> None:
        for key in table:
            if key not in allowed:
                near = difflib.get_close_matches(key, allowed, n=1)
                raise self.fail(
                    f"{where} has no setting {key!r}"
                    + (f" (did you mean {near[0]!r}?)" if near else ""),
                    at,
                    key,
                    hint=None if near else f"the settings: {', '.join(allowed)}",
                )

    def text(self, table: Mapping[str, Any], key: str, at: str = "") -> str | None:
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(f"{key} must be a text in quotes, not {value!r}", at, key)
        return value

    def entry_settings(self, table: Mapping[str, Any]) -> dict[str, Any]:
        """The settings an entry or a profile shares, checked."""
        from obligo.events.profiles import names as profile_names

        found: dict[str, Any] = {}
        kind = self.text(table, "type")
        if kind is not None:
            if not _NAME.fullmatch(kind):
                raise self.fail(f"type {kind!r} is not a record type name", key="type")
            found["type"] = kind
        profile = self.text(table, "profile")
        if profile is not None:
            known = profile_names()
            if profile not in known:
                near = difflib.get_close_matches(profile, known, n=1)
                raise self.fail(
                    f"no profile named {profile!r}"
                    + (f" (did you mean {near[0]!r}?)" if near else ""),
                    key="profile",
                    hint=f"the profiles: {', '.join(known)}",
                )
            if kind is not None:
                raise self.fail(
                    "a source with a profile takes its record type from the profile",
                    key="type",
                    hint="remove type, or the profile",
                )
            found["profile"] = profile
        delimiter = self.text(table, "delimiter")
        if delimiter is not None:
            delimiter = "\t" if delimiter.lower() in ("tab", "\\t") else delimiter
            if delimiter not in DELIMITERS:
                raise self.fail(
                    f"delimiter {delimiter!r} is not one of , ; | or tab", key="delimiter"
                )
            found["delimiter"] = delimiter
        decimal = self.text(table, "decimal")
        if decimal is not None:
            if decimal not in (".", ","):
                raise self.fail(f'decimal must be "." or ",", not {decimal!r}', key="decimal")
            found["decimal"] = decimal
        encoding = self.text(table, "encoding")
        if encoding is not None:
            if encoding.lower() not in ENCODINGS:
                raise self.fail(
                    f"encoding {encoding!r} is not one of utf-8, utf-16, cp1252", key="encoding"
                )
            found["encoding"] = encoding
        fields = table.get("fields", {})
        if not isinstance(fields, dict):
            raise self.fail("fields must be a table: [source.fields]", key="fields")
        found["fields"] = tuple(self.field(name, spec) for name, spec in fields.items())
        return found

    def field(self, target: str, spec: Any) -> Derivation:
        if not target or target == "type":
            raise self.fail(
                f"a field cannot be named {target!r}" + (": say type = ..." if target else ""),
                "fields",
                target,
            )
        if isinstance(spec, str):
            return Derivation(target=target, column=spec)
        if not isinstance(spec, dict):
            raise self.fail(
                f"field {target!r} must be a column's name or a table such as "
                '{ column = "x", time = "%Y-%m-%d %H:%M" }',
                "fields",
                target,
            )
        self.keys(spec, FIELD_KEYS, f"field {target!r}", "fields")
        for key in ("column", "time", "zone", "plus", "unit", "duration"):
            self.text(spec, key, "fields") if key in spec else None
        if "value" in spec:
            if set(spec) != {"value"}:
                raise self.fail(
                    f"field {target!r}: a constant value takes no other setting", "fields", target
                )
            return Derivation(target=target, constant=self.scalar(target, spec["value"]))
        column = spec.get("column")
        if not column:
            raise self.fail(f'field {target!r} names no column: column = "..."', "fields", target)
        forms = [k for k in ("time", "duration", "values") if k in spec]
        if len(forms) > 1:
            raise self.fail(
                f"field {target!r} is read as one thing: {' or '.join(forms)}, not both",
                "fields",
                target,
            )
        if ("zone" in spec or "plus" in spec) and "time" not in spec:
            raise self.fail(
                f'field {target!r}: zone and plus go with time = "..."', "fields", target
            )
        if "unit" in spec and "plus" not in spec:
            raise self.fail(f'field {target!r}: unit goes with plus = "column"', "fields", target)
        if "time" in spec:
            form = spec["time"]
            self.time_form(target, form)
            zone = spec.get("zone")
            if zone is not None:
                if states_its_zone(form):
                    raise self.fail(
                        f"field {target!r}: this time states its own zone", "fields", target
                    )
                problem = zone_problem(zone)
                if problem:
                    raise self.fail(f"field {target!r}: {problem}", "fields", target)
            unit = spec.get("unit", "minutes" if "plus" in spec else None)
            if unit is not None:
                self.unit(target, unit)
            return Derivation(
                target=target,
                column=column,
                time=form,
                zone=zone,
                plus=spec.get("plus"),
                unit=unit,
            )
        if "duration" in spec:
            self.unit(target, spec["duration"])
            return Derivation(target=target, column=column, duration=spec["duration"])
        if "values" in spec:
            table = spec["values"]
            if not isinstance(table, dict) or not table:
                raise self.fail(
                    f"field {target!r}: values must be a table such as {{ SEV1 = 1 }}",
                    "fields",
                    target,
                )
            pairs = tuple((str(k), self.scalar(target, v)) for k, v in table.items())
            return Derivation(target=target, column=column, values=pairs)
        return Derivation(target=target, column=column)

    def scalar(self, target: str, value: Any) -> derive.Value:
        if isinstance(value, bool | str | int):
            return value
        if isinstance(value, float):
            return Decimal(str(value))
        raise self.fail(
            f"field {target!r}: {value!r} is not a text, a number or true/false", "fields", target
        )

    def unit(self, target: str, unit: Any) -> None:
        problem = unit_problem(unit) if isinstance(unit, str) else f"{unit!r} is not a unit of time"
        if problem:
            raise self.fail(f"field {target!r}: {problem}", "fields", target)

    def time_form(self, target: str, form: Any) -> None:
        if not isinstance(form, str):
            raise self.fail(f"field {target!r}: time must be a text", "fields", target)
        problem = time_form_problem(form)
        if problem:
            raise self.fail(f"field {target!r}: {problem}", "fields", target)


def _parse_toml(text: str, file: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # Python 3.11's error says its place only in its text: "... (at line 2, column 15)".
        found = re.search(r" \(at line (\d+), column (\d+)\)$", str(error))
        line, column = (int(found[1]), int(found[2])) if found else (1, 1)
        message = str(error)[: found.start()] if found else str(error)
        lines = text.split("\n")
        raise SourcesError(
            f"not a TOML file: {message}",
            file=file,
            line=line,
            column=column,
            source_line=lines[line - 1] if line <= len(lines) else None,
        ) from None


def parse_sources(text: str, file: str = "<sources>") -> Sources:
    """A sources file's text, checked; :class:`SourcesError` at the first mistake."""
    data = _parse_toml(text, file)
    locator = _Locator(text)
    top = _Reader(file, locator, -1)
    top.keys(data, ("source", "query"), "a sources file")
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise top.fail("write each source as [[source]]", key="source")
    rules: list[SourceRule] = []
    for index, entry in enumerate(entries):
        reader = _Reader(file, locator, index)
        reader.keys(entry, ENTRY_KEYS, "a [[source]]")
        match = reader.text(entry, "match")
        if not match:
            raise reader.fail(
                'a [[source]] says which files it reads: match = "incidents*.csv"', key="match"
            )
        settings = reader.entry_settings(entry)
        rules.append(SourceRule(match, Source(path=match, **settings)))
    queries = parse_query_tables(data["query"], text, file, SourcesError) if "query" in data else []
    return Sources(file, tuple(rules), tuple(queries))


def read_sources(path: str | Path) -> Sources:
    """The sources file at ``path``, checked."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SourcesError(f"cannot read {name}: no such file", file=name) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SourcesError(f"cannot read {name}: {error}", file=name) from None
    return parse_sources(text, name)


def parse_profile(text: str, file: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A profile's text: its settings as :class:`Source` takes them, and its own keys."""
    data = _parse_toml(text, file)
    reader = _Reader(file, _Locator(text), -1)
    reader.keys(data, PROFILE_KEYS, "a profile")
    settings = reader.entry_settings(data)
    return settings, {k: data[k] for k in ("title", "documented") if k in data}


def event_argument(
    value: str, sources: Sources | None = None, encoding: str | None = None
) -> str | Source:
    """One ``--events`` value: ``PATH``, ``TYPE=PATH`` or ``PROFILE:PATH``. A path that exists
    is always that file (``./incident=x.csv`` names a file whose name holds ``=``); the forms do
    not combine (a profile fixes the record type itself). A file that a rule of ``sources``
    matches is read as the rule says; ``encoding`` applies to every file."""
    from obligo.events.profiles import names as profile_names

    if value == "-" or os.path.lexists(value):
        return _with_settings(value, None, None, sources, encoding)
    if value.startswith(PROMETHEUS):
        # Only `obligo eval` turns a Prometheus source into records (it knows the span to
        # query); anywhere else it would be looked for as a file and called missing.
        raise SourcesError(
            f"--events {value}: Prometheus is read by obligo eval only, not by this command",
            file=value,
            hint="obligo eval --events reads it; give this command the records as a file",
        )
    kind, equals, rest = value.partition("=")
    if equals and _NAME.fullmatch(kind):
        head, colon, _ = rest.partition(":")
        if colon and head in profile_names() and not os.path.lexists(rest):
            raise SourcesError(
                f"--events {value}: a profile fixes the record type itself: write --events {rest}",
                file=value,
            )
        return _with_settings(rest, kind, None, sources, encoding)
    head, colon, rest = value.partition(":")
    if colon and _NAME.fullmatch(head):
        known = profile_names()
        if head not in known:
            near = difflib.get_close_matches(head, known, n=1)
            raise SourcesError(
                f"--events {value}: no such file, and no profile named {head!r}"
                + (f" (did you mean {near[0]!r}?)" if near else ""),
                file=value,
                hint=f"the profiles: {', '.join(known)}",
            )
        return _with_settings(rest, None, head, sources, encoding)
    return _with_settings(value, None, None, sources, encoding)


def _with_settings(
    path: str,
    kind: str | None,
    profile: str | None,
    sources: Sources | None,
    encoding: str | None,
) -> str | Source:
    if path == "-":
        return path  # standard input is read as it is
    ruled = sources.source_for(path) if sources is not None else None
    if ruled is not None and (kind or profile) and (ruled.type or ruled.profile):
        raise SourcesError(
            f"--events {path}: the sources file {sources.path if sources else ''} already says "
            f"how to read it (type or profile): give the path alone",
            file=path,
        )
    if ruled is None and kind is None and profile is None and encoding is None:
        return path
    source = ruled or Source(path=path)
    if kind is not None:
        source = replace(source, type=kind)
    if profile is not None:
        source = replace(source, profile=profile)
    if encoding is not None and source.encoding is None:
        source = replace(source, encoding=encoding)
    return source

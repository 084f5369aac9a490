"""Reading an export as it is: one input, one record type, derived fields, CSV dialects.

A :class:`Source` is an input with a way of reading it: the record type of all its records, a
profile (a vendor's export, :mod:`obligo.events.profiles`), derived fields, the CSV delimiter,
the decimal mark and the encoding. :func:`prepare` turns it into a JSON Lines file in the log's
temporary folder that the loader reads as any other, each record on the line where the export
holds it (blank lines fill the rest: the loader does not count them), so that every rejected
record keeps its ``file:line``. A line this stage rejects (a row with too many cells, a value a
derived field cannot read) is written as a marker that the loader rejects, with its reason.

Plain inputs never come here: a path without any of these is read by the loader directly.
The export is read whole into memory (exports of ticketing tools are small); derived fields are
computed by DuckDB in one query (:mod:`obligo.events.derive`: bound parameters only).
"""

from __future__ import annotations

import codecs
import csv
import difflib
import gzip
import io
import json
import re
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from obligo.errors import EventDataError
from obligo.events import derive
from obligo.events._bytescan import MAX_LINE
from obligo.events._columns import check_spelling, squeezed
from obligo.events._inputs import LocalInput, format_of
from obligo.events._plan import MACROS
from obligo.events.derive import Derivation
from obligo.events.schema import EventSchema, FieldType

DELIMITERS = {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a vertical bar"}
ENCODINGS = {
    "utf-8": "utf-8-sig",  # a byte order mark, if any, is not part of the first column's name
    "utf8": "utf-8-sig",
    "utf-8-sig": "utf-8-sig",
    "utf-16": "utf-16",
    "utf16": "utf-16",
    "utf-16-le": "utf-16-le",
    "utf-16-be": "utf-16-be",
    "cp1252": "cp1252",
    "windows-1252": "cp1252",
}
MARKER = "\x02"  # a line the JSON reader rejects; its reason is the input's (LocalInput.reasons)
NEAR = 0.6


@dataclass(frozen=True)
class Source:
    """An event log input read as an export: ``path`` (a file), the record ``type`` of every
    record in it, a ``profile`` (a vendor's export, which also fixes the type), ``fields`` that
    are derived (they replace the profile's of the same name), the CSV ``delimiter`` (sniffed
    among ``,`` ``;`` tab ``|`` when not given), the ``decimal`` mark of numbers (``","`` only
    when said) and the ``encoding`` (UTF-8 with or without a byte order mark by default;
    ``utf-16``, ``cp1252``)."""

    path: str | Path
    type: str | None = None
    profile: str | None = None
    fields: tuple[Derivation, ...] = ()
    delimiter: str | None = None
    decimal: str = "."
    encoding: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", tuple(self.fields))
        if self.delimiter is not None and self.delimiter not in DELIMITERS:
            raise ValueError(f"delimiter must be one of , ; tab |, not {self.delimiter!r}")
        if self.decimal not in (".", ","):
            raise ValueError(f"decimal must be '.' or ',', not {self.decimal!r}")
        if self.encoding is not None and self.encoding.lower() not in ENCODINGS:
            raise ValueError(
                f"encoding must be one of utf-8, utf-16, cp1252, not {self.encoding!r}"
            )

    def with_profile(self) -> Source:
        """The source with its profile's settings filled in (its own win)."""
        if self.profile is None:
            return self
        from obligo.events.profiles import profile

        found = profile(self.profile)
        own = {d.target for d in self.fields}
        return replace(
            self,
            type=found.type,
            fields=tuple(d for d in found.fields if d.target not in own) + self.fields,
            delimiter=self.delimiter or found.delimiter,
            encoding=self.encoding or found.encoding,
            decimal=self.decimal if self.decimal != "." else found.decimal,
        )


@dataclass
class _Record:
    line: int
    cells: dict[str, str]  # column -> text (CSV), or the JSON object's scalars as text
    raw: dict[str, Any] | None = None  # the JSON object, for JSON Lines


@dataclass
class _Read:
    columns: list[str]
    # Names the header gives to several columns (a Jira export repeats Labels, Watchers and
    # Comment, one column per value): their cells are not kept, and reading one is an error.
    repeated: dict[str, tuple[int, int]] = field(default_factory=dict)
    records: list[_Record] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)
    passthrough: dict[int, str] = field(default_factory=dict)  # JSON lines kept as written


def prepare(
    index: int, source: Source, workdir: Path, timezone: str, schema: EventSchema | None
) -> LocalInput:
    """The input as a JSON Lines file the loader reads (see the module's description)."""
    source = source.with_profile()
    name = str(source.path)
    found = format_of(name)
    if found is None or found[0] == "parquet":
        raise EventDataError(
            f"cannot read {name} with a record type, profile or derived fields: name it .csv "
            f"or .jsonl (or their .gz forms)",
            file=name,
        )
    text = _decoded(name, found[1], source.encoding)
    read = _read_csv(name, text, source) if found[0] == "csv" else _read_jsonl(name, text)
    source = _check_columns(name, read.columns, source, found[0] == "csv", schema)
    if schema is not None:
        # The columns no derived field reads are fields by their own names: one spelt
        # otherwise than the contract reads it would leave that field absent in silence.
        produced = {d.target for d in source.fields} | ({"type"} if source.type else set())
        consumed = {column for d in source.fields for column in d.columns}
        check_spelling(
            name,
            [c for c in read.columns if c not in consumed],
            [f for f in schema.sources() if f not in produced],
            csv_header=found[0] == "csv",
        )
    _check_repeated(name, read.repeated, source, schema)
    numbers = _number_columns(source, schema)
    if source.decimal == ",":
        _decimal_commas(read, numbers)
    derived, local = _derive(read, source, timezone, schema, workdir, index)
    target = workdir / f"input-{index}.jsonl"
    _write(target, read, derived, source)
    return LocalInput(
        index, name, target, "jsonl", False, dict(read.reasons), shown=found[0], local_times=local
    )


# ------------------------------------------------------------------------------ decoding
def _decoded(name: str, compressed: bool, encoding: str | None) -> str:
    try:
        with open(name, "rb") as stream:
            data = stream.read()
        if compressed:
            data = gzip.decompress(data)
    except FileNotFoundError:
        raise EventDataError(f"cannot read {name}: no such file", file=name) from None
    except (OSError, EOFError, zlib.error) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise EventDataError(f"cannot read {name}: {reason}", file=name) from None
    codec = ENCODINGS[encoding.lower()] if encoding else None
    if codec is None:
        codec = "utf-16" if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        newline = "\n".encode(codec.removesuffix("-sig"))
        if codec == "utf-16":
            newline = newline[2:]  # without the byte order mark encode() adds
        line = data[: error.start].count(newline) + 1
        raise EventDataError(
            f"{name}:{line}: bytes that are not {codec.removesuffix('-sig')} text "
            f"({data[error.start : error.start + 4]!r})",
            file=name,
            line=line,
            hint="say the file's encoding: --encoding cp1252 (a Windows export), utf-16, or "
            'encoding = "cp1252" in the sources file',
        ) from None


# ------------------------------------------------------------------------------ CSV
def sniff_delimiter(name: str, header: str) -> str:
    """The delimiter of a CSV file from its header line: the candidate it holds most often
    outside quotes; a comma when it holds none. A tie is an error that names both."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts.values())
    if best == 0:
        return ","
    tied = [d for d, n in counts.items() if n == best]
    if len(tied) > 1:
        shown = " and ".join(DELIMITERS[d] for d in tied)
        raise EventDataError(
            f"{name}:1: cannot tell how the header's cells are separated: it holds as many "
            f"of {shown}",
            file=name,
            line=1,
            hint='say it in the sources file: delimiter = ";"',
        )
    return tied[0]


def _read_csv(name: str, text: str, source: Source) -> _Read:
    # A cell may be as long as a line obligo reads (the csv module's own limit is 128 KiB).
    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE))
    first_line = text.split("\n", 1)[0].rstrip("\r")
    delimiter = source.delimiter or sniff_delimiter(name, first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    read: _Read | None = None
    ended = 0
    try:
        for row in reader:
            start, ended = ended + 1, reader.line_num
            if read is None:
                columns = _header(name, row, delimiter)
                read = _Read(columns=columns, repeated=_repeated(columns))
                continue
            if not row:
                continue  # a blank line is no record
            if len(row) != len(read.columns):
                read.reasons[start] = (
                    f"{len(row)} cells where the header has {len(read.columns)} (cells are "
                    f"separated by {DELIMITERS[delimiter]})"
                )
                continue
            cells = zip(read.columns, row, strict=True)
            read.records.append(_Record(start, {c: v for c, v in cells if c not in read.repeated}))
    except csv.Error as error:
        line = reader.line_num
        raise EventDataError(f"{name}:{line}: not CSV: {error}", file=name, line=line) from None
    if read is None:
        raise EventDataError(f"{name}: the file is empty: no header", file=name, line=1)
    return read


def _header(name: str, row: list[str], delimiter: str) -> list[str]:
    columns = [cell.strip() for cell in row]
    for column in columns:
        if not column:
            raise EventDataError(
                f"{name}:1: the header has a column without a name", file=name, line=1
            )
    return columns


def _repeated(columns: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Each name the header gives twice or more, with its first two column numbers (from 1)."""
    first: dict[str, int] = {}
    found: dict[str, tuple[int, int]] = {}
    for k, column in enumerate(columns, start=1):
        if column in first and column not in found:
            found[column] = (first[column], k)
        first.setdefault(column, k)
    return found


# ------------------------------------------------------------------------------ JSON Lines
def _read_jsonl(name: str, text: str) -> _Read:
    read = _Read(columns=[])
    names: dict[str, None] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line, parse_float=Decimal)
        except (ValueError, RecursionError):
            value = None
        if not isinstance(value, dict):
            read.passthrough[number] = line  # the loader says why it is not a record
            continue
        cells = {k: _text(v) for k, v in value.items() if _text(v) is not None}
        names.update(dict.fromkeys(value))
        read.records.append(_Record(number, cells, value))  # type: ignore[arg-type]
    read.columns = list(names)
    return read


def _text(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# ------------------------------------------------------------------------------ columns
def _check_columns(
    name: str,
    columns: Sequence[str],
    source: Source,
    csv_file: bool,
    schema: EventSchema | None,
) -> Source:
    """Every column a derived field reads is in the header (JSON Lines: in some record). A
    profile's field whose columns the export lacks is left out, unless the contract reads it."""
    read = set(schema.sources()) if schema is not None else None
    kept: list[Derivation] = []
    for derivation in source.fields:
        missing = [c for c in derivation.columns if c not in columns]
        if not missing:
            kept.append(derivation)
            continue
        if derivation.optional and read is not None and derivation.target not in read:
            continue
        if derivation.origin == "contract":
            # A file without the map line's columns is read without the field (the line serves
            # other files). A column there but for its case, spaces or punctuation is a
            # misspelling, and reading on would select nothing in silence.
            for column in missing:
                spelt = _same_but_spelling(column, columns)
                if spelt and csv_file:
                    raise EventDataError(
                        f"{name}:1: the contract's map line reads the column {column!r} (for"
                        f" {derivation.target!r}), which the header does not have (did you"
                        f" mean {spelt[0]!r}?)",
                        file=name,
                        line=1,
                        hint="write the column as the header has it, in backquotes if it is"
                        " no plain name",
                    )
            continue
        for column in missing:
            near = _near_columns(column, columns)
            whose = f"the {source.profile} profile" if source.profile else "the sources"
            where = "the header" if csv_file else "no record"
            raise EventDataError(
                f"{name}:1: {whose} read{'' if source.profile is None else 's'} the column "
                f"{column!r} (for {derivation.target!r}), which {where} "
                f"{'does not have' if csv_file else 'has'}"
                + (f" (did you mean {near[0]!r}?)" if near else ""),
                file=name,
                line=1,
                hint=None
                if near or not csv_file
                else f"the header's columns: {', '.join(repr(c) for c in columns[:12])}",
            )
    return replace(source, fields=tuple(kept))


def _same_but_spelling(column: str, columns: Sequence[str]) -> list[str]:
    """The header's columns that are ``column`` but for case, spaces and punctuation."""
    key = squeezed(column)
    return [c for c in columns if squeezed(c) == key]


def _near_columns(column: str, columns: Sequence[str]) -> list[str]:
    """The header's columns nearest to ``column``, best first: the same name but for case,
    spaces and punctuation; then a name that begins the other (ServiceNow's label "Opened"
    for ``opened_at``, "Created" for "Created at"); then difflib's nearest."""
    key = squeezed(column)
    same = [c for c in columns if squeezed(c) == key]
    prefix = [
        c
        for c in columns
        if min(len(squeezed(c)), len(key)) >= 4
        and (key.startswith(squeezed(c)) or squeezed(c).startswith(key))
    ]
    close = difflib.get_close_matches(column, list(columns), n=1, cutoff=NEAR)
    return list(dict.fromkeys(same + prefix + close))


def _check_repeated(
    name: str,
    repeated: Mapping[str, tuple[int, int]],
    source: Source,
    schema: EventSchema | None,
) -> None:
    """A column whose name the header repeats may be read by nothing: which of its cells is
    meant cannot be told (the loader's rule for a plain CSV log)."""
    read = [(c, d.target) for d in source.fields for c in d.columns]
    # A field the source derives is its derivation's: a repeated column of its name is not read.
    derived = {d.target for d in source.fields}
    read += [(f, f) for f in (schema.sources() if schema else ()) if f not in derived]
    for column, target in read:
        if column in repeated:
            first, second = repeated[column]
            raise EventDataError(
                f"{name}:1: the header names {column!r} twice (columns {first} and {second}):"
                f" which one {target!r} reads cannot be told",
                file=name,
                line=1,
                hint="rename or remove one of the columns",
            )


def _number_columns(source: Source, schema: EventSchema | None) -> set[str]:
    """The columns whose text is a number: those a duration is read from, and those the
    contract reads as numbers (under their own name or a renamed one)."""
    found = {
        c
        for d in source.fields
        for c in ((d.column,) if d.duration else (d.plus,) if d.plus else ())
        if c is not None
    }
    if schema is not None:
        renamed = {d.target: d.column for d in source.fields if d.is_rename}
        for name, kind in schema.fields.items():
            if kind is FieldType.NUMBER:
                read = schema.source_of(name)
                found.add(renamed.get(read) or read)
    return found


_COMMA_NUMBER = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?")


def _decimal_commas(read: _Read, numbers: set[str]) -> None:
    """Numbers written with a decimal comma (and dots between thousands) in the columns that
    hold numbers; a text with a point in another place is rejected, not guessed at."""
    kept: list[_Record] = []
    for record in read.records:
        bad = None
        for column in numbers & record.cells.keys():
            value = record.cells[column].strip()
            if not value:
                continue
            if _COMMA_NUMBER.fullmatch(value):
                record.cells[column] = value.replace(".", "").replace(",", ".")
            else:
                bad = f"{column!r} is not a number written with a decimal comma: {value!r}"
        if bad:
            read.reasons[record.line] = bad
        else:
            kept.append(record)
    read.records = kept


# ------------------------------------------------------------------------------ deriving
def _derive(
    read: _Read,
    source: Source,
    timezone: str,
    schema: EventSchema | None,
    workdir: Path,
    index: int,
) -> tuple[dict[int, dict[str, str]], int]:
    """The derived fields of every record (line -> field -> text), computed by DuckDB; the
    records whose value cannot be read are moved to ``read.reasons``. Also the number of
    local times read (counted as a log's timestamps without an offset are)."""
    fields = [d for d in source.fields if not d.is_rename]
    if not fields or not read.records:
        return {}, 0
    columns = sorted({c for d in fields for c in d.columns})
    column_of = {c: f"c{i}" for i, c in enumerate(columns)}
    units = dict(schema.units) if schema is not None else {}
    compiled = [
        derive.compile_derivation(d, column_of, timezone, units.get(d.target)) for d in fields
    ]
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(MACROS)
        # The cells DuckDB computes with, one JSON object a record under the generated names
        # (a row at a time through the Python API costs a thousand times more).
        cells = workdir / f"cells-{index}.jsonl"
        with cells.open("w", encoding="utf-8", newline="\n") as out:
            for r in read.records:
                cell = {"_line": r.line, **{column_of[c]: r.cells.get(c) for c in columns}}
                out.write(json.dumps(cell, ensure_ascii=False))
                out.write("\n")
        types = ", ".join(f"'{column_of[c]}': 'VARCHAR'" for c in columns)
        select = ", ".join(f"{c.sql}, {c.failed}" for c in compiled)
        params = [*(p for c in compiled for p in c.params), str(cells)]
        rows = con.execute(
            f"SELECT _line, {select} FROM read_json(?, format = 'newline_delimited', "
            f"columns = {{'_line': 'BIGINT', {types}}}, maximum_object_size = 1073741824) "
            "ORDER BY _line",
            params,
        ).fetchall()
    finally:
        con.close()
    derived: dict[int, dict[str, str]] = {}
    local = 0
    failed: set[int] = set()
    by_line = {r.line: r for r in read.records}
    for row in rows:
        line = row[0]
        values: dict[str, str] = {}
        for i, d in enumerate(fields):
            value, bad = row[1 + 2 * i], row[2 + 2 * i]
            if bad:
                read.reasons[line] = _failure(d, by_line[line].cells, timezone)
                failed.add(line)
                break
            if value is not None:
                values[d.target] = value
        else:
            derived[line] = values
            written = by_line[line].cells
            local += any(_written_local(d, written) and d.target in values for d in fields)
    read.records = [r for r in read.records if r.line not in failed]
    return derived, local


# An ISO 8601 time that states its offset (``Z``, ``+01:00``, ``-0600``) after its clock time.
_ISO_OFFSET = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)")


def _written_local(d: Derivation, cells: Mapping[str, str]) -> bool:
    """Whether the record's time for ``d`` was written without an offset (and is counted as
    such): an ``iso`` time is local only when its text states no offset (PagerDuty's and
    Statuspage's all do)."""
    if not d.local:
        return False
    if d.time == derive.ISO and d.column is not None:
        return not _ISO_OFFSET.search(cells.get(d.column, "").strip())
    return True


def _failure(d: Derivation, cells: Mapping[str, str], timezone: str) -> str:
    import datetime as dt

    value = cells.get(d.column or "", "")
    if d.time is not None:
        if d.plus is not None:
            amount = cells.get(d.plus, "")
            try:
                Decimal(amount.strip())
            except ArithmeticError:
                return f"{d.plus!r} is not a number of {d.unit or 's'}: {amount!r}"
        if d.time in derive.EPOCH_FORMS:
            return f"{d.column!r} is not a time in {d.time}: {value!r}"
        if d.time == derive.ISO:
            return f"{d.column!r} is not an RFC 3339 timestamp: {value!r}"
        try:
            dt.datetime.strptime(value.strip(), d.time)
        except ValueError:
            return f"{d.column!r} is not a time in the form {d.time!r}: {value!r}"
        return (
            f"{d.column!r} is {value!r}, a time that does not exist in {d.zone or timezone} "
            f"(skipped by a daylight-saving change)"
        )
    if d.duration is not None:
        return f"{d.column!r} is not a number of {d.duration}: {value!r}"
    known = ", ".join(repr(k) for k, _ in d.values[:8])
    return f"{d.column!r} is {value!r}, which the table for {d.target!r} does not hold ({known})"


# ------------------------------------------------------------------------------ writing
def _records(
    read: _Read, derived: Mapping[int, Mapping[str, str]], source: Source
) -> Iterator[tuple[int, str]]:
    renames = [(d.target, d.column) for d in source.fields if d.is_rename]
    lines = sorted(
        [(r.line, r) for r in read.records]
        + [(line, None) for line in read.reasons]
        + [(line, text) for line, text in read.passthrough.items()],
        key=lambda item: item[0],
    )
    for line, item in lines:
        if item is None or line in read.reasons:
            yield line, MARKER
        elif isinstance(item, str):
            yield line, item
        else:
            yield line, _record_text(item, derived.get(line, {}), renames, source, read)


def _record_text(
    record: _Record,
    derived: Mapping[str, str],
    renames: Sequence[tuple[str, str | None]],
    source: Source,
    read: _Read,
) -> str:
    out: dict[str, Any] = (
        dict(record.raw)
        if record.raw is not None
        else {k: v for k, v in record.cells.items() if v.strip() != ""}
    )
    for target, column in renames:
        if column is not None and column in record.cells and record.cells[column].strip():
            out[target] = record.cells[column]
    out.update(derived)
    if source.type is not None:
        # A JSON Lines record's own type must be the one given; an export's `type` column is
        # the vendor's data (UptimeRobot's event kind), not a record type: it is replaced.
        own = record.raw.get("type") if record.raw is not None else None
        if own not in (None, "", source.type):
            read.reasons[record.line] = (
                f"the record's type {own!r} is not {source.type!r}, the type given to this input"
            )
            return MARKER
        out["type"] = source.type
    return json.dumps(out, ensure_ascii=False, default=str)


def _write(
    target: Path, read: _Read, derived: Mapping[int, Mapping[str, str]], source: Source
) -> None:
    written = 0
    with target.open("w", encoding="utf-8", newline="\n") as out:
        for line, text in _records(read, derived, source):
            out.write("\n" * (line - 1 - written))
            out.write(text)
            written = line - 1
        out.write("\n")  # the last record's line ends too

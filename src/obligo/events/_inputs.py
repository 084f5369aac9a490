"""The inputs of one event log, each made a local file that DuckDB can scan.

Paths are expanded by :func:`expand` (the one rule of the API and the command line): a path that
exists is that file, whatever characters its name holds; a folder stands for the event logs in
it; a name that exists nowhere but holds ``*``, ``?`` or ``[`` is a pattern, matched by obligo.
``~`` is never expanded (the shell does that).

DuckDB expands the names it is given once more (globs, brackets, ``~``, and ``s3://``-like
prefixes): a file named ``log?.jsonl`` would be read together with ``log1.jsonl``. So DuckDB is
never given a user's name: every file reaches it through a symbolic link with a safe name in the
log's temporary folder (no copy). Standard input, open file objects and iterables of records are
copied once into a temporary file (streams in large blocks; records as JSON Lines, one per line),
which is the only place where obligo handles records one by one in Python.
"""

from __future__ import annotations

import datetime as dt
import glob
import io
import json
import os
import re
import shutil
import stat
import sys
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, cast

from obligo.errors import EventDataError
from obligo.events import _frames

if TYPE_CHECKING:
    from obligo.events.schema import EventSchema

# "frame": a DataFrame or Arrow table registered on the connection (read as Parquet is).
Format = Literal["jsonl", "csv", "parquet", "frame"]

InputSpec = str | Path | IO[str] | IO[bytes] | Iterable[Mapping[str, Any]]

GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class LocalInput:
    """One input as DuckDB reads it: ``path`` in ``format`` (gzip-compressed or not)."""

    index: int
    name: str
    path: Path
    format: Format
    compressed: bool
    # Problems found while copying records, by line: the line holds a marker DuckDB rejects.
    reasons: dict[int, str] = field(default_factory=dict)
    # An export read through a Source (obligo.events._source): the format its name says, and
    # the local times its derived fields read (counted as timestamps without an offset).
    shown: Format | None = None
    local_times: int = 0
    # A frame's Arrow table (rows numbered), registered on the connection as ``relation``.
    frame: Any = None
    relation: str = ""


def format_of(name: str) -> tuple[Format, bool] | None:
    """The format a file name says (``.jsonl``, ``.csv``, their ``.gz``, ``.parquet``)."""
    lower = name.lower()
    compressed = lower.endswith(".gz")
    base = lower[:-3] if compressed else lower
    if base.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl", compressed
    if base.endswith(".csv"):
        return "csv", compressed
    if base.endswith((".parquet", ".pq")) and not compressed:
        return "parquet", False
    return None


# Characters that make a name a pattern (Python's glob and DuckDB's alike).
PATTERN_CHARACTERS = frozenset("*?[")
# What DuckDB would read in a name as something else than the file: a pattern, a home folder.
_DUCKDB_SPECIAL = frozenset("*?[]{}~")


def expand(given: Iterable[str | Path]) -> list[str]:
    """Every path of an event log as the files it stands for, in the order given.

    A path that exists is itself (a file, whatever its name holds), or, a folder, the event logs
    in it (files whose names say a format, sorted). A path that does not exist but holds ``*``,
    ``?`` or ``[`` is a pattern: the files it matches, sorted (folders it matches are left out).
    ``-`` (standard input) and any other path are kept as they are (a missing file is named when
    it is read). ``~`` is not expanded: ``~/x.jsonl`` is a missing file. Raises
    :class:`EventDataError` for a folder without event logs and a pattern that matches no
    file."""
    expanded: list[str] = []
    for item in given:
        name = str(item)
        if name == "-":
            expanded.append(name)
            continue
        path = Path(name)
        if path.is_dir():
            found = sorted(
                str(p) for p in path.iterdir() if format_of(p.name) is not None and not p.is_dir()
            )
            if not found:
                raise EventDataError(
                    f"no event log in folder {name} (looked for .jsonl, .ndjson, .json, .csv, "
                    f"their .gz forms, .parquet)",
                    file=name,
                )
            expanded.extend(found)
        elif PATTERN_CHARACTERS & set(name) and not os.path.lexists(name):
            matches = sorted(m for m in glob.glob(name) if not os.path.isdir(m))
            if not matches:
                raise EventDataError(f"no file matches {name}", file=name)
            expanded.extend(matches)
        else:
            expanded.append(name)  # a file, or a missing one (named when it is read)
    return expanded


def _missing(name: str) -> EventDataError:
    hint = None
    if name.startswith("~"):
        hint = (
            "obligo does not expand ~: leave the path unquoted so that the shell expands it, "
            "or write it in full"
        )
    return EventDataError(f"cannot read {name}: no such file", file=name, hint=hint)


def resolve(
    inputs: Iterable[InputSpec],
    workdir: Path,
    *,
    timezone: str = "UTC",
    schema: EventSchema | None = None,
) -> list[LocalInput]:
    """Each input as a local file DuckDB can scan. A :class:`~obligo.events.Source` (an export
    with a record type, a profile, derived fields or a dialect) is first rewritten as JSON
    Lines (``obligo.events._source``): local times without a stated zone are read in
    ``timezone``, and ``schema`` says which columns hold numbers."""
    from obligo.events._source import Source

    if (
        isinstance(inputs, str | Path | Mapping)
        or hasattr(inputs, "read")
        or _frames.is_frame(inputs)
    ):
        raise TypeError("EventLog.load takes a sequence of inputs, e.g. [path] or [records]")
    if _DUCKDB_SPECIAL & set(str(workdir)):
        # DuckDB would read the links and copies in it as patterns (their folders included).
        raise EventDataError(
            f"cannot read the event log: the temporary folder {workdir} has a name that DuckDB "
            f"would read as a pattern",
            hint="set TMPDIR to a folder whose path holds none of * ? [ ] { } ~",
        )
    derived = schema.derived if schema is not None else ()
    specs: list[InputSpec | Source] = []
    for given in inputs:
        spec: InputSpec | Source = given
        stdin = isinstance(spec, str) and spec == "-"
        if derived and (stdin or not isinstance(spec, str | Path | Source)):
            # Standard input, open files and records are read as they are: the contract's
            # derived fields would silently not apply to them.
            raise EventDataError(
                f"the contract derives fields from a log's columns ({derived[0].target!r} ...): "
                "give the log as a .csv or .jsonl file",
                file="<stdin>" if stdin else "<records>",
            )
        if derived and isinstance(spec, str | Path):
            spec = Source(spec)  # the contract's derived fields apply to every file
        if derived and isinstance(spec, Source):
            own = {d.target for d in spec.fields}
            spec = replace(
                spec, fields=tuple(d for d in derived if d.target not in own) + spec.fields
            )
        # Paths are expanded here too, so that the API reads folders and patterns as the
        # command line does (its already expanded paths are files: each stays itself).
        if isinstance(spec, Source):
            specs.extend(replace(spec, path=path) for path in expand([spec.path]))
            continue
        specs.extend(expand([spec]) if isinstance(spec, str | Path) else [spec])
    resolved: list[LocalInput] = []
    seen: dict[Path, str] = {}
    for index, spec in enumerate(specs):
        named = spec.path if isinstance(spec, Source) else spec
        if isinstance(named, str | Path) and str(named) != "-":
            key = Path(named).resolve()
            if key in seen:
                raise EventDataError(
                    f"{named} is given twice (as {seen[key]}): its records would count twice",
                    file=str(named),
                )
            seen[key] = str(named)
        if isinstance(spec, Source):
            from obligo.events._source import prepare

            resolved.append(prepare(index, spec, workdir, timezone, schema))
            continue
        resolved.append(_resolve_one(index, spec, workdir))
    return resolved


def _resolve_one(index: int, spec: InputSpec, workdir: Path) -> LocalInput:
    if isinstance(spec, str | Path):
        name = str(spec)
        if name == "-":
            return _from_stream(index, "<stdin>", _stdin(), workdir, default="jsonl")
        found = format_of(name)
        if found is None:
            raise EventDataError(
                f"cannot tell the format of {name}: name event logs .jsonl, .csv, "
                ".jsonl.gz, .csv.gz or .parquet",
                file=name,
            )
        return LocalInput(index, name, _alias(name, found, index, workdir), found[0], found[1])
    if isinstance(spec, Mapping):
        raise TypeError("an input cannot be a single record: give a list of records")
    if _frames.is_frame(spec):
        return _from_frame(index, spec, workdir)
    if hasattr(spec, "read"):
        stream = cast("IO[Any]", spec)
        raw_name = getattr(stream, "name", None)
        name = raw_name if isinstance(raw_name, str) and raw_name else "<stream>"
        return _from_stream(index, name, stream, workdir, default="jsonl")
    if isinstance(spec, Iterable):
        return _from_records(index, spec, workdir)
    raise TypeError(f"not an event log input: {spec!r}")


def _alias(name: str, found: tuple[Format, bool], index: int, workdir: Path) -> Path:
    """A symbolic link to the file ``name`` with a name that DuckDB reads as it is."""
    try:
        mode = os.stat(name).st_mode
    except FileNotFoundError:
        raise _missing(name) from None
    except OSError as error:
        raise EventDataError(f"cannot read {name}: {error.strerror}", file=name) from None
    if stat.S_ISDIR(mode):
        raise EventDataError(f"cannot read {name}: it is a folder, not a file", file=name)
    if not stat.S_ISREG(mode):
        raise EventDataError(
            f"cannot read {name}: not a regular file (a pipe or a device cannot be read twice)",
            file=name,
        )
    try:
        with open(name, "rb"):
            pass
    except OSError as error:
        raise EventDataError(f"cannot read {name}: {error.strerror}", file=name) from None
    kind, compressed = found
    _check_container(name, kind, compressed)
    suffix = {"jsonl": ".jsonl", "csv": ".csv", "parquet": ".parquet"}[kind]
    alias = workdir / f"input-{index}{suffix}{'.gz' if compressed else ''}"
    os.symlink(os.path.abspath(name), alias)
    return alias


PARQUET_MAGIC = b"PAR1"


def _check_container(name: str, kind: Format, compressed: bool) -> None:
    """A gzip or Parquet file that is not one is named as such before DuckDB reads it."""
    with open(name, "rb") as stream:
        head = stream.read(4)
        if kind == "parquet":
            size = stream.seek(0, os.SEEK_END)
            if size >= 12:
                stream.seek(-4, os.SEEK_END)
                tail = stream.read(4)
    if compressed and not head:
        raise EventDataError(
            f"cannot read {name}: the file is empty, and so not gzip-compressed as its name "
            f"says (a compressed empty log is 20 bytes long)",
            file=name,
        )
    if compressed and head[:2] != GZIP_MAGIC:
        raise EventDataError(
            f"cannot read {name}: not gzip-compressed, as its name says", file=name
        )
    if kind == "parquet" and (head != PARQUET_MAGIC or size < 12 or tail != PARQUET_MAGIC):
        raise EventDataError(
            f"cannot read {name}: not a Parquet file (a Parquet file begins and ends with "
            f"the marker PAR1)",
            file=name,
        )


_TEMPORARY = re.compile(r"'?[^\s']*obligo-events-[^\s']*'?")
_DUCKDB_KIND = re.compile(r"^(?:[A-Z][a-z]+ )+Error: ")


def unreadable(source: LocalInput, error: BaseException) -> EventDataError:
    """The error for an input that cannot be read at all, in its user's terms: the file's name,
    never the temporary link or copy that DuckDB was given."""
    if isinstance(error, EOFError):
        detail = "the gzip data ends early (a truncated file)"
    elif isinstance(error, zlib.error):
        detail = f"damaged gzip data ({error})"
    elif isinstance(error, OSError) and error.strerror:
        detail = error.strerror
    else:
        text = str(error).strip()
        detail = text.splitlines()[0] if text else type(error).__name__
        detail = _DUCKDB_KIND.sub("", detail.replace(str(source.path), source.name))
        detail = _TEMPORARY.sub(lambda _: source.name, detail)
    return EventDataError(f"cannot read {source.name}: {detail}", file=source.name)


def _stdin() -> IO[Any]:
    """Standard input as bytes; closed (`<&-`), it is an error, not a crash."""
    if sys.stdin is None:
        raise EventDataError("cannot read standard input: it is closed", file="<stdin>")
    return cast("IO[Any]", getattr(sys.stdin, "buffer", sys.stdin))


def _from_stream(
    index: int, name: str, stream: IO[Any], workdir: Path, *, default: Format
) -> LocalInput:
    try:
        return _copy_stream(index, name, stream, workdir, default=default)
    except (OSError, UnicodeError, ValueError) as error:  # ValueError: a closed file object
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise EventDataError(f"cannot read {name}: {reason}", file=name) from None


def _copy_stream(
    index: int, name: str, stream: IO[Any], workdir: Path, *, default: Format
) -> LocalInput:
    found = format_of(name) if not name.startswith("<") else None
    kind, _ = found if found else (default, False)
    head = stream.read(0)
    binary = isinstance(head, bytes)
    first = stream.read(io.DEFAULT_BUFFER_SIZE)
    data = first if binary else str(first).encode("utf-8")
    compressed = binary and data[:2] == GZIP_MAGIC
    suffix = {"jsonl": ".jsonl", "csv": ".csv", "parquet": ".parquet"}[kind]
    if compressed:
        suffix += ".gz"
    target = workdir / f"input-{index}{suffix}"
    with target.open("wb") as out:
        out.write(data)
        if binary:
            shutil.copyfileobj(stream, out, 1 << 20)
        else:
            while True:
                block = stream.read(1 << 20)
                if not block:
                    break
                out.write(block.encode("utf-8"))
    return LocalInput(index, name, target, kind, compressed)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def _from_records(index: int, records: Iterable[Any], workdir: Path) -> LocalInput:
    target = workdir / f"input-{index}.jsonl"
    reasons: dict[int, str] = {}
    with target.open("w", encoding="utf-8", newline="\n") as out:
        for line, record in enumerate(records, start=1):
            if isinstance(record, Mapping) and not isinstance(record, dict):
                record = dict(record)
            try:
                text = json.dumps(record, default=_json_default)
            except (TypeError, ValueError) as error:
                reasons[line] = f"a value that is not text, a number or a boolean ({error})"
                text = "\x02"
            except RecursionError:
                reasons[line] = "not valid JSON (arrays or objects nested too deeply to say where)"
                text = "\x02"
            out.write(text)
            out.write("\n")
    return LocalInput(index, "<records>", target, "jsonl", False, reasons)


def _from_frame(index: int, frame: Any, workdir: Path) -> LocalInput:
    """A DataFrame or Arrow table: no file, DuckDB scans it in memory (see obligo.events._frames).
    Its rows are named by their number from 1, as a Parquet file's are."""
    kind = _frames.frame_kind(frame) or "frame"
    table = _frames.as_arrow(frame, kind)
    # No file is made: the path only keeps the input's cleanup (unlink) a no-op.
    path = workdir / f"input-{index}.frame"
    return LocalInput(
        index, f"<{kind}>", path, "frame", False, frame=table, relation=f"_obligo_frame_{index}"
    )

"""The inputs of one event log, each made a local file that DuckDB can scan.

Files are read where they are. Standard input, open file objects and iterables of records are
copied once into a temporary file (streams in large blocks; records as JSON Lines, one per line),
which is the only place where obligo handles records one by one in Python.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Literal, cast

from obligo.errors import EventDataError

Format = Literal["jsonl", "csv", "parquet"]

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


def resolve(inputs: Iterable[InputSpec], workdir: Path) -> list[LocalInput]:
    if isinstance(inputs, str | Path | Mapping) or hasattr(inputs, "read"):
        raise TypeError("EventLog.load takes a sequence of inputs, e.g. [path] or [records]")
    resolved: list[LocalInput] = []
    seen: dict[Path, str] = {}
    for index, spec in enumerate(inputs):
        if isinstance(spec, str | Path) and str(spec) != "-":
            key = Path(spec).resolve()
            if key in seen:
                raise EventDataError(
                    f"{spec} is given twice (as {seen[key]}): its records would count twice",
                    file=str(spec),
                )
            seen[key] = str(spec)
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
        path = Path(spec)
        if not path.is_file():
            raise EventDataError(f"cannot read {name}: no such file", file=name)
        return LocalInput(index, name, path, found[0], found[1])
    if isinstance(spec, Mapping):
        raise TypeError("an input cannot be a single record: give a list of records")
    if hasattr(spec, "read"):
        stream = cast("IO[Any]", spec)
        raw_name = getattr(stream, "name", None)
        name = raw_name if isinstance(raw_name, str) and raw_name else "<stream>"
        return _from_stream(index, name, stream, workdir, default="jsonl")
    if isinstance(spec, Iterable):
        return _from_records(index, spec, workdir)
    raise TypeError(f"not an event log input: {spec!r}")


def _stdin() -> IO[Any]:
    return cast("IO[Any]", getattr(sys.stdin, "buffer", sys.stdin))


def _from_stream(
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
            out.write(text)
            out.write("\n")
    return LocalInput(index, "<records>", target, "jsonl", False, reasons)

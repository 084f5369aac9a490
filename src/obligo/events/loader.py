"""Reading event logs into DuckDB: :class:`EventLog`.

Every input becomes rows of one table, ``events``, with the schema's fields in their SQL types
(text ``VARCHAR``; numbers ``DECIMAL(38, S)``, exact, never binary floating point, S the places
the field's values need: 9 until a value needs more, when every input is read again (Plan.scales); booleans ``BOOLEAN``; timestamps ``TIMESTAMPTZ``, microseconds), plus ``_input`` (the input's
index) and ``_line`` (its line). The connection's session time zone is UTC. Rows are scanned by
DuckDB, never one by one in Python; records given as Python objects and streams (standard input,
open files) are first copied to a temporary file.

JSON Lines, fast path: one strict ``read_json`` scan with explicit columns (every field the
contract uses, as text: DuckDB's sampling would mistype fields first seen late in a file), typed
and validated in SQL in the same parallel query, which flags (``_bad``) the records the exact
path may reject. Those alone are then judged on the exact path: their lines are taken from the
file by their ordinals and read as the exact path reads every line, and their rows replaced by
what it finds (``_Loader._recheck``; a file with more than ``RECHECKED`` of them is read again
whole on the exact path). Fields that the file's first records
(a 1 MiB sample) never name are not stored; the scan stops if a later record has one, and runs
again storing every field. Numbers are stored in 64 bits (``DECIMAL(18, S)``) while they fit,
widened in ``events``; the scan runs again with ``DECIMAL(38, S)`` at the first that does not
(a third smaller table, a cheaper cast). A text with room for more places than S (a point and more
than S digits after it, an exponent) is measured exactly (``obligo_scale``); one that needs more
stops the scan, one more scan finds the places needed, and the load starts again. Its rows land in a table in file order (DuckDB
preserves insertion order), so ``rowid + 1`` numbers the records; the physical line of a record
is looked up only when a message names one (blank lines are not records). A byte check beside the scan sends a
file holding whitespace that the JSON reader would skip (a form feed, a vertical tab, a lone
carriage return) to the exact path. When the scan fails (malformed JSON, or the byte checks find
a form that only the exact path can judge), the file is read again on the exact slow path: DuckDB reads it as lines (``read_csv`` with a
delimiter that no valid JSON line holds and no quoting), numbered by ``rowid``; ``json_valid``,
``json_type``, ``json_keys`` and ``from_json`` find each bad line and its reason. A line holding
bytes that stop that reader (not UTF-8, NUL, a lone carriage return) or longer than ``MAX_LINE``
is first replaced in a temporary copy by a control character, which keeps it invalid JSON, and
reported at its number (``_bytescan.sanitize``).

CSV, fast path: a file whose byte scan finds no empty line (and no damaged line) is read as JSON
Lines' fast path, one strict scan typed on the fly into the input's table, row k being line k + 1;
it stops at a row to reject, at a row DuckDB rejects, and (when the file holds a quote) at a cell
holding a line feed, and the file is then read on the exact path.

CSV, exact path: every column read as text, numbered by ``rowid``; the header is line 1. Structural errors (a
row with too many or too few cells, a quote never closed, bytes that are not UTF-8) come from
DuckDB's rejects table, and the line numbers of the rows after them (and after empty lines) are
shifted accordingly; a line longer than ``MAX_LINE`` or holding a NUL is replaced first, in a
copy, by a row DuckDB rejects (``_bytescan.without_damaged_csv_lines``).

Parquet: a column whose type already fits its field is read as it is; the others are turned into the
same text forms (timestamps with their offset; a ``TIMESTAMP`` without zone is naive). A clean file
takes one strict scan as JSON Lines does (rows numbered by their order, numbers narrow while they
fit); one with a bad value is read again, numbered with ``file_row_number``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import json
import re
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import duckdb

from obligo.errors import EventDataError
from obligo.events import _bytescan, _frames, _inputs, _plan, progress
from obligo.events._columns import check_spelling
from obligo.events._inputs import LocalInput
from obligo.events._merge import ACCEPTED, EMPTY, Conflict, merge
from obligo.events._plan import (
    JSON_DUPLICATE_KEY,
    JSON_NOT_JSON,
    JSON_NOT_OBJECT,
    LONG_MANTISSA,
    MACROS,
    MAX_DIGITS,
    SCALAR_TYPE,
    STRICT_SCALE,
    STRICT_UNEXPECTED,
    STRICT_WIDE,
    Params,
    Plan,
)
from obligo.events.schema import EventSchema, FieldType, Required
from obligo.events.sql import quote_ident

# The longest line read (2 MiB); a longer one is rejected, found by the byte scans before DuckDB
# reads (whose own limits are looser: read_json reads somewhat longer lines, and read_csv drops
# a very long row without a word). DuckDB's limits are set a little above it.
MAX_LINE = _bytescan.MAX_LINE
DUCKDB_MAX_LINE = MAX_LINE + 16
# The longest record the JSON Lines fast path reads: DuckDB's reader sizes its buffers by it
# (64 MiB cost 130 MB more memory at ten million records than 2 MiB). A file with a longer line
# is read on the exact path, which rejects it.
FAST_MAX_LINE = MAX_LINE
SHOWN_REJECTIONS = 10
# The bytes of a CSV file in which a quote is looked for before its fast scan starts (beside
# the byte scan, which says whether the whole file holds one).
EARLY_QUOTE_BYTES = 1 << 20
# The records without a field they need whose names are looked at for a near one (a log with a
# misnamed field has it on every line: the first ones say it).
SUGGESTED = 1000

ROWS = "_obligo_rows"
INPUT = "_obligo_input"  # an input's table, as the view of accepted records names it
RECORD_TYPE = "_obligo_record_type"  # the one record type a contract reads (Plan.single_type)
CSV_REJECTS = "_obligo_csv_rejects"
CSV_SCANS = "_obligo_csv_scans"
CSV_SKIPPED = "_obligo_csv_skipped"
RECHECK = "_obligo_recheck"  # the lines of the records the fast JSON Lines scan flagged
# At most this many flagged records are judged again alone; a file with more is read again
# whole on the exact path (which then costs little more).
RECHECKED = 100_000
ALL_EVENTS = "_obligo_all_events"  # every record, when `events` is restricted to some of them
SCOPE = "_obligo_scope"
INCOMPLETE = "_obligo_incomplete"  # records with an id lacking a required field once merged
UNCHECKED = "_obligo_unchecked"  # `events` before those were left out


@dataclass(frozen=True)
class Rejection:
    """A line (or row) that was not used, and why. ``input`` is the input's index."""

    file: str
    line: int
    reason: str
    input: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass(frozen=True)
class InputAccount:
    """What became of one input's lines.

    ``lines`` = ``records`` + ``unused`` + ``rejected``: non-blank lines for JSON Lines, data rows
    for CSV, rows for Parquet and records for iterables. ``records`` are the accepted records of
    types the contract uses (before merging); ``unused`` are valid records of other types.
    ``naive_timestamps`` counts the timestamps without an offset in accepted records, read in the
    contract's timezone. ``fast_path`` says whether the file was read with the single strict scan.
    """

    name: str
    format: str
    lines: int = 0
    records: int = 0
    unused: int = 0
    rejected: int = 0
    naive_timestamps: int = 0
    fast_path: bool = False
    # Record types not used whose names are near one the contract reads, as a report says them:
    # '3 records of type "Incident": did you mean "incident"?'.
    near: tuple[str, ...] = ()


class EventRejectedError(EventDataError):
    """Loading stopped on bad data: ``rejections`` holds every rejected line, in input order."""

    def __init__(self, rejections: Sequence[Rejection]) -> None:
        shown = "\n".join(f"  {r}" for r in rejections[:SHOWN_REJECTIONS])
        total = len(rejections)
        more = f"\n  ... and {total - SHOWN_REJECTIONS} more" if total > SHOWN_REJECTIONS else ""
        noun = "record was" if total == 1 else "records were"
        message = (
            f"{total} {noun} rejected from the event log:\n{shown}{more}\n"
            f"(--skip-invalid, or skip_invalid=True, leaves them out and goes on)"
        )
        first = rejections[0]
        super().__init__(message, file=first.file, line=first.line)
        self.rejections = tuple(rejections)


class EventLog:
    """An event log loaded into an in-memory DuckDB database, as table ``events``.

    Use :meth:`load`; close it (or use it as a context manager) to free the database and its
    temporary files.
    """

    connection: duckdb.DuckDBPyConnection
    schema: EventSchema
    timezone: ZoneInfo
    inputs: list[InputAccount]
    rejections: list[Rejection]
    merges: int

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        schema: EventSchema,
        timezone: ZoneInfo,
        workdir: Path,
    ) -> None:
        self.connection = connection
        self.schema = schema
        self.timezone = timezone
        self.inputs = []
        self.rejections = []
        self.merges = 0
        self._workdir = workdir

    @property
    def rejected(self) -> int:
        """How many lines were rejected, over all inputs."""
        return len(self.rejections)

    @classmethod
    def load(
        cls,
        inputs: Sequence[str | Path | IO[str] | IO[bytes] | Iterable[Mapping[str, Any]]],
        schema: EventSchema,
        timezone: ZoneInfo,
        *,
        skip_invalid: bool = False,
        memory_limit: str = "2GB",
        threads: int = 2,
    ) -> EventLog:
        """Read the inputs (paths, ``-`` for standard input, open files, iterables of records).

        Raises :class:`EventRejectedError` (an :class:`~obligo.EventDataError`) listing the first
        rejected lines when any line is bad, unless ``skip_invalid``: then the bad lines are left
        out and listed in :attr:`rejections`. ``memory_limit`` and ``threads`` bound DuckDB.
        """
        if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
            raise ValueError("threads must be a positive integer")
        workdir = Path(tempfile.mkdtemp(prefix="obligo-events-"))
        try:
            connection = duckdb.connect(
                ":memory:",
                config={
                    "memory_limit": memory_limit,
                    "threads": threads,
                    "preserve_insertion_order": True,
                    "temp_directory": str(workdir / "spill"),
                },
            )
        except BaseException:
            _remove(workdir)
            raise
        log = cls(connection, schema, timezone, workdir)
        try:
            connection.execute("SET TimeZone = 'UTC'")
            connection.execute("SET enable_progress_bar = false")
            _Loader(log).run(inputs, skip_invalid)
        except BaseException:
            log.close()
            raise
        return log

    def restrict(self, values: Mapping[str, str | Sequence[str]]) -> None:
        """From now on ``events`` holds only the records whose fields have one of the given
        values (``{"customer": "globex", "service": ["db", "uplink"]}``), a record without one of
        these fields counting as having every value: an outage of a shared platform is every
        customer's. Call :meth:`unrestricted` to see every record again.

        The values are bound, never written into the SQL: they sit in a table that the view
        reads, so that every query of the engine sees the restriction unchanged."""
        for name in values:
            if name not in self.schema.fields:
                raise ValueError(f"the log has no field {name!r} in this schema")
        self._keep_all()
        con = self.connection
        con.execute(f"DELETE FROM {SCOPE}")
        conditions = ["TRUE"]
        for position, (name, allowed) in enumerate(sorted(values.items())):
            listed = [allowed] if isinstance(allowed, str) else sorted(allowed)
            con.execute(f"INSERT INTO {SCOPE} VALUES ($1, $2)", [position, listed])
            column = quote_ident(name)
            conditions.append(
                f"(a.{column} IS NULL OR list_contains("
                f"(SELECT value FROM {SCOPE} WHERE position = {position}), a.{column}))"
            )
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW events AS SELECT a.* FROM {ALL_EVENTS} a "
            f"WHERE {' AND '.join(conditions)}"
        )

    @staticmethod
    def scope_condition(values: Mapping[str, str | Sequence[str]]) -> tuple[str, list[Any]]:
        """The SQL condition :meth:`restrict` applies, over the columns of ``events``, with its
        bound parameters (for a query that must see what a restricted evaluation saw)."""
        conditions = ["TRUE"]
        params: list[Any] = []
        for name, allowed in sorted(values.items()):
            column = quote_ident(name)
            conditions.append(f"({column} IS NULL OR list_contains(?::VARCHAR[], {column}))")
            params.append([allowed] if isinstance(allowed, str) else sorted(allowed))
        return " AND ".join(conditions), params

    @property
    def all_records(self) -> str:
        """The relation of every accepted record, whatever :meth:`restrict` keeps in ``events``."""
        return ALL_EVENTS if self._all_kept else "events"

    def unrestricted(self) -> None:
        """Undo :meth:`restrict`: ``events`` holds every record again."""
        if self._all_kept:
            self.connection.execute(
                f"CREATE OR REPLACE TEMP VIEW events AS SELECT * FROM {ALL_EVENTS}"
            )

    def values_of(self, field: str) -> list[str]:
        """The distinct values of a text field over every accepted record, sorted."""
        if field not in self.schema.fields:
            return []
        source = self.all_records
        column = quote_ident(field)
        rows = self.connection.execute(
            f"SELECT DISTINCT CAST({column} AS VARCHAR) FROM {source} "
            f"WHERE {column} IS NOT NULL ORDER BY 1"
        ).fetchall()
        return [str(row[0]) for row in rows]

    _all_kept = False

    def _keep_all(self) -> None:
        """Rename the log's ``events`` (a table or a view) so that a view can take its name."""
        if self._all_kept:
            return
        con = self.connection
        is_view = con.execute(
            "SELECT count(*) FROM duckdb_views() WHERE view_name = 'events'"
        ).fetchall()[0][0]
        con.execute(f"ALTER {'VIEW' if is_view else 'TABLE'} events RENAME TO {ALL_EVENTS}")
        con.execute(f"CREATE TEMP TABLE {SCOPE} (position INTEGER, value VARCHAR[])")
        self._all_kept = True

    def close(self) -> None:
        """Close the database and remove the temporary files (even when interrupted)."""
        try:
            with contextlib.suppress(duckdb.Error):
                self.connection.close()
        finally:
            _remove(self._workdir)

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ----------------------------------------------------------------------------------- loading


@dataclass
class _Counts:
    lines: int = 0
    bad: int = 0
    records: int = 0
    unused: int = 0
    naive: int = 0


@dataclass
class _Staged:
    account: InputAccount
    rejections: list[Rejection] = field(default_factory=list)
    # The input's typed rows, and how to number them: a ``_line`` column, or the table's order.
    table: str | None = None
    line: str = f"{INPUT}._line"
    # The fast JSON Lines path numbers records, not physical lines (blank lines are skipped):
    # a message that names a line maps the record's ordinal to its line (see _physical_lines).
    ordinal: bool = False
    # The fields the input has no column for (not stored; null in `events`).
    absent: frozenset[int] = frozenset()
    # Whether the table has a ``_bad`` column (a strict scan stops at a bad row instead).
    flagged: bool = True
    # Whether its numbers are narrow (Plan.typed_select), widened in `events`.
    narrow: bool = False


class _Loader:
    """Loads the inputs one by one into typed tables, then assembles and merges them.

    Line numbers come from the order of the rows in a table created from a scan: with
    ``preserve_insertion_order`` (set on the connection) DuckDB inserts the rows of a parallel
    scan in the file's order, and ``rowid`` is that order (DuckDB's "order preservation" rules).
    """

    def __init__(self, log: EventLog) -> None:
        self.log = log
        self.con = log.connection
        self.plan = Plan(log.schema, _zone_name(log.timezone))
        self.workdir = log._workdir

    def run(self, specs: Sequence[Any], skip_invalid: bool) -> None:
        con = self.con
        con.execute(MACROS)
        sources = _inputs.resolve(
            specs, self.workdir, timezone=self.plan.timezone, schema=self.log.schema
        )
        _register_frames(con, sources)
        while True:
            try:
                progress.begin([source.name for source in sources])
                staged = []
                for source in sources:
                    progress.reading(source.name)
                    staged.append(self.stage(source))
                    progress.read(staged[-1].account.lines)
                break
            except _Rescale as rescale:
                # A number needs more places than its field keeps (or more digits before the
                # point than its scale leaves): every input is read again at the new scale (one
                # type per field in `events`). A field's floor (the places a value needs) only
                # grows, up to MAX_DIGITS, and its scale never goes below it: this ends.
                plan = self.plan
                for i, (scale, floor) in rescale.scales.items():
                    plan.floors[i] = max(plan.floors[i], floor)
                    plan.scales[i] = max(plan.floors[i], scale)
        staged = [self._near_types(s) for s in staged]
        self._assemble(staged)
        merges, conflicts = merge(con, self.plan)
        rejections = [r for s in staged for r in s.rejections]
        accounts = [s.account for s in staged]
        if conflicts:
            conflicts = _physical_lines(conflicts, sources, staged)
            extra, accounts = _conflict_rejections(conflicts, sources, accounts)
            rejections.extend(extra)
        schema = self.log.schema
        if schema.required or schema.links or schema.pause_pairs:
            extra, accounts = self._incomplete(sources, staged, accounts)
            rejections.extend(extra)
        for source in sources:
            if source.path.is_relative_to(self.workdir):
                source.path.unlink(missing_ok=True)
        rejections.sort(key=lambda r: (r.input, r.line))
        self.log.inputs = accounts
        self.log.rejections = rejections
        self.log.merges = merges
        if rejections and not skip_invalid:
            raise EventRejectedError(rejections)

    def _incomplete(
        self, sources: list[LocalInput], staged: list[_Staged], accounts: list[InputAccount]
    ) -> tuple[list[Rejection], list[InputAccount]]:
        """Records lacking a field their type requires, found once merged: those with an id (a
        record without one was checked on its line), and every record of a type none of whose
        records has a field it must have on one at least (Required.every). They are rejected at
        the line of their first part, and left out of ``events``."""
        plan, schema, con = self.plan, self.log.schema, self.con
        found: list[tuple[int, int, list[Required | str]]] = []
        if plan.checks_lines:
            params = Params()
            lacking = plan.missing(params, lambda i: quote_ident(plan.names[i]), merged=True)
            needed = sorted({name for rule in schema.required for name in rule.fields})
            picks = ", ".join(f"{quote_ident(name)} IS NULL" for name in needed)
            for index, line, record_type, *nulls in con.execute(
                f'SELECT _input, _line, "type", {picks} FROM events WHERE {lacking}',
                params.values,
            ).fetchall():
                missing = {name for name, null in zip(needed, nulls, strict=True) if null}
                rules: list[Required | str] = [
                    rule
                    for rule in schema.required_of(record_type)
                    if rule.every and set(rule.fields) <= missing
                ]
                found.append((int(index), int(line), rules))
        for rule in schema.required:
            if rule.every:
                continue
            has = " OR ".join(f"{quote_ident(name)} IS NOT NULL" for name in rule.fields)
            rows = con.execute(
                f'SELECT _input, _line FROM events WHERE "type" = $1 AND NOT EXISTS '
                f'(SELECT 1 FROM events WHERE "type" = $1 AND ({has}))',
                [rule.record_type],
            ).fetchall()
            found += [(int(index), int(line), [rule]) for index, line in rows]
        found += self._unpaired(schema)
        if not found:
            return [], accounts
        by_line: dict[tuple[int, int], list[Required | str]] = {}
        for index, line, rules in found:
            by_line.setdefault((index, line), []).extend(rules)
        keys = sorted(by_line)
        con.execute(
            f"CREATE TEMP TABLE {INCOMPLETE} AS SELECT unnest($1::INTEGER[]) AS _input, "
            f"unnest($2::BIGINT[]) AS _line",
            [[k[0] for k in keys], [k[1] for k in keys]],
        )
        is_view = con.execute(
            "SELECT count(*) FROM duckdb_views() WHERE view_name = 'events'"
        ).fetchall()[0][0]
        if is_view:
            con.execute(f"ALTER VIEW events RENAME TO {UNCHECKED}")
            con.execute(
                f"CREATE TEMP VIEW events AS SELECT * FROM {UNCHECKED} "
                f"ANTI JOIN {INCOMPLETE} USING (_input, _line)"
            )
        else:
            con.execute(
                f"DELETE FROM events WHERE (_input, _line) IN "
                f"(SELECT (_input, _line) FROM {INCOMPLETE})"
            )
        wanted: dict[int, set[int]] = {}
        for index, line in keys:
            if staged[index].ordinal:
                wanted.setdefault(index, set()).add(line)
        physical = {
            index: _bytescan.record_lines(sources[index].path, sources[index].compressed, lines)
            for index, lines in wanted.items()
        }
        names: dict[int, list[str]] = {}
        rejections: list[Rejection] = []
        lost: dict[int, int] = {}
        for index, line in keys:
            if index not in names:
                names[index] = self._names_in(sources[index])
            reasons: list[str] = []
            for item in dict.fromkeys(by_line[(index, line)]):
                if isinstance(item, str):
                    reasons.append(item)
                else:
                    reasons.append(missing_reason(schema, item, names[index]))
            shown = physical.get(index, {}).get(line, line)
            rejections.append(Rejection(sources[index].name, shown, "; ".join(reasons), index))
            lost[index] = lost.get(index, 0) + 1
        updated = [
            replace(a, records=a.records - lost.get(i, 0), rejected=a.rejected + lost.get(i, 0))
            for i, a in enumerate(accounts)
        ]
        return rejections, updated

    def _unpaired(self, schema: EventSchema) -> list[tuple[int, int, list[Required | str]]]:
        """Records that stop a clock they cannot: a status record naming a record that the log
        does not hold, a resume without a pause, a pause that ends before it starts
        (docs/semantics.md, section 8.7). Found once merged, like the missing fields."""
        found: list[tuple[int, int, list[Required | str]]] = []
        for link in schema.links:
            field = quote_ident(link.field)
            rows = self.con.execute(
                f'SELECT _input, _line, {field} FROM events AS s WHERE "type" = $1 AND {field}'
                f' IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events AS t WHERE t."type" = $2'
                f" AND t.id = s.{field})",
                [link.record_type, link.target_type],
            ).fetchall()
            found += [
                (
                    int(index),
                    int(line),
                    [
                        f"a {link.record_type} record for {link.target_type} {_show(value)},"
                        f" which the log does not hold (no {link.target_type} record has that"
                        " id)"
                    ],
                )
                for index, line, value in rows
            ]
        for pair in schema.pause_pairs:
            start, end = quote_ident(pair.start), quote_ident(pair.end)
            rows = self.con.execute(
                f'SELECT _input, _line, {start} IS NULL FROM events WHERE "type" = $1 AND {end}'
                f" IS NOT NULL AND ({start} IS NULL OR {end} < {start})",
                [pair.record_type],
            ).fetchall()
            found += [
                (
                    int(index),
                    int(line),
                    [
                        f"`{pair.end}` without `{pair.start}`: a resume without a pause"
                        if no_start
                        else f"`{pair.end}` before `{pair.start}`: a pause that ends before it"
                        " starts"
                    ],
                )
                for index, line, no_start in rows
            ]
        return found

    def _names_in(self, source: LocalInput) -> list[str]:
        """The field names an input has (JSON Lines: those of its first records)."""
        if source.format == "csv":
            return (_csv_read_header(source) or ([], ","))[0]
        if source.format in ("parquet", "frame"):
            return [str(row[0]) for row in self.con.execute(*_columns_query(source)).fetchall()]
        return sorted(_bytescan.sample_keys(source.path, source.compressed) or ())

    def _near_types(self, staged: _Staged) -> _Staged:
        """The input's account with the record types not used that are near a type the
        contract reads (a case, a plural, a slip: `Incident`, `incidents`)."""
        if not staged.account.unused or staged.table is None:
            return staged
        good = "NOT _bad AND NOT _used" if staged.flagged else "NOT _used"
        rows = self.con.execute(
            f'SELECT "type", count(*) FROM {staged.table} WHERE {good} GROUP BY 1 ORDER BY 1'
        ).fetchall()
        used = sorted(self.log.schema.record_types)
        near: list[str] = []
        for found, count in rows:
            if not isinstance(found, str):
                continue
            wanted = _near_type(found, used)
            if wanted is not None:
                noun = "record" if count == 1 else "records"
                near.append(f"{count} {noun} of type {_show(found)}: did you mean {_show(wanted)}?")
        if not near:
            return staged
        return replace(staged, account=replace(staged.account, near=tuple(near)))

    def _assemble(self, staged: list[_Staged]) -> None:
        """View ``_obligo_accepted``: the good records of used types of every input.

        A view, not a copy: copying ten million rows costs more than every later query reading
        through the filter. The inputs' tables stay until the log is closed. When the contract
        reads one record type, the tables do not store it: a one-row table gives it."""
        join, type_from = "", ""
        if (single := self.plan.single_type) is not None:
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE {RECORD_TYPE} AS SELECT CAST($1 AS VARCHAR) AS t",
                [single],
            )
            join, type_from = f" CROSS JOIN {RECORD_TYPE}", f"{RECORD_TYPE}.t"
        parts = [
            f"SELECT {self.plan.column_list(s.absent, s.narrow, type_from, f'{INPUT}.')}, "
            f"{index}::INTEGER AS _input, ({s.line})::BIGINT AS _line "
            f"FROM {s.table} AS {INPUT}{join} "
            f"WHERE {f'NOT {INPUT}._bad AND ' if s.flagged else ''}{INPUT}._used"
            for index, s in enumerate(staged)
            if s.table is not None
        ]
        if not parts:
            self.con.execute(f"CREATE TEMP TABLE {EMPTY} ({self.plan.column_defs()})")
            parts = [f"SELECT * FROM {EMPTY}"]
        self.con.execute(f"CREATE TEMP VIEW {ACCEPTED} AS {' UNION ALL '.join(parts)}")

    # ------------------------------------------------------------------------- per input
    def stage(self, source: LocalInput) -> _Staged:
        try:
            if source.format == "jsonl":
                if source.shown is None:  # (an export read through a Source is checked so)
                    # The keys of its first records: one spelt otherwise than a field the
                    # contract reads (`End` for `end`) is an error, not a field absent in silence.
                    keys = _bytescan.sample_keys(source.path, source.compressed) or set()
                    check_spelling(source.name, sorted(keys), self.plan.sources, csv_header=False)
                return self._jsonl(source)
            if source.format == "csv":
                return self._csv(source)
            return self._parquet(source)
        except (OSError, EOFError, zlib.error) as error:  # unreadable, or a damaged gzip file
            raise _inputs.unreadable(source, error) from None

    def _typed(
        self,
        table: str,
        rows_sql: str,
        params: Params,
        nested: str,
        native: frozenset[int] = frozenset(),
        absent: frozenset[int] = frozenset(),
        *,
        strict: bool = False,
        narrow: bool = False,
        flagged: bool = False,
    ) -> _Counts:
        """Create ``table``: the rows of ``rows_sql`` typed and checked; count what it holds.

        ``strict``: the table has no ``_bad`` column, and the query fails instead at a bad row,
        unless ``flagged`` (see :meth:`Plan.typed_select`, which says what ``narrow`` does)."""
        raw = "(" + self.plan.raw_select(params, rows_sql, nested=nested) + ")"
        prefix = nested == "prefix"
        typed = self.plan.typed_select(
            params,
            raw,
            native,
            absent,
            strict=strict,
            prefix=prefix,
            narrow=narrow,
            flagged=flagged,
        )
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {typed}", params.values)
        return self._counts(table, has_bad=flagged or not strict)

    def _counts(self, table: str, has_bad: bool) -> _Counts:
        """What an input's table holds: rows, bad rows, records used and not, naive instants."""
        good = "NOT _bad" if has_bad else "TRUE"
        row = self.con.execute(
            f"SELECT count(*), {'count(*) FILTER (WHERE _bad)' if has_bad else '0'}, "
            f"count(*) FILTER (WHERE {good} AND _used), "
            f"count(*) FILTER (WHERE {good} AND NOT _used), "
            f"coalesce(sum(_naive) FILTER (WHERE {good} AND _used), 0) FROM {table}"
        ).fetchall()[0]
        return _Counts(int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]))

    def _strict(
        self,
        source: LocalInput,
        scan: Callable[[], tuple[str, Params]],
        nested: str,
        native: frozenset[int] = frozenset(),
        absent: frozenset[int] = frozenset(),
        *,
        ordinal: bool = False,
        first_line: int = 1,
        flagged: bool = False,
    ) -> _Staged | None:
        """The strict scan of ``scan()`` (its rows and their parameters) into the input's table,
        with the smallest table first: the fields in ``absent`` left out, numbers narrow. It
        runs again storing every field if a record has one of those (``absent`` was a guess),
        and with wide numbers if one does not fit. None when the scan stops at a record to
        reject (or at input that is not clean). Its rows land in file order, so ``rowid``
        numbers them, the first row being ``first_line`` (``ordinal``: records, not physical
        lines; see _physical_lines). ``flagged``: a record to reject does not stop the scan, a
        ``_bad`` column says which (the account counts them as rejected; the caller judges them
        again and says why)."""
        table = f"_obligo_input_{source.index}"
        narrow = True
        while True:
            rows_sql, params = scan()
            try:
                counts = self._typed(
                    table,
                    rows_sql,
                    params,
                    nested,
                    native,
                    absent,
                    strict=True,
                    narrow=narrow,
                    flagged=flagged,
                )
            except duckdb.Error as error:
                self._drop(table)
                if STRICT_SCALE in str(error):
                    rows_sql, params = scan()
                    self._rescale(rows_sql, params, nested, native, absent)
                    return None  # pragma: no cover - _rescale raises
                if STRICT_UNEXPECTED in str(error) and absent:
                    absent = frozenset()
                elif STRICT_WIDE in str(error) and narrow:
                    narrow = False
                else:
                    return None
                continue
            account = self._account(source, counts, counts.bad, fast=not counts.bad)
            line = f"{INPUT}.rowid + {first_line}"
            return _Staged(
                account, [], table, line, ordinal, absent, flagged=flagged, narrow=narrow
            )

    def _rescale(
        self,
        rows_sql: str,
        params: Params,
        nested: str,
        native: frozenset[int] = frozenset(),
        absent: frozenset[int] = frozenset(),
    ) -> None:
        """Raise _Rescale with the places the numbers of ``rows_sql`` need (one more scan)."""
        plan = self.plan
        numbers = [
            i
            for i, kind in enumerate(plan.kinds)
            if kind is FieldType.NUMBER and i not in native and i not in absent
        ]
        raw = "(" + plan.raw_select(params, rows_sql, nested=nested) + ")"
        picks = ", ".join(f"max({plan.scale_needed(i, f'r{i}')})" for i in numbers)
        row = self.con.execute(f"SELECT {picks} FROM {raw}", params.values).fetchall()[0]
        scales = {
            i: (int(value), int(value))
            for i, value in zip(numbers, row, strict=True)
            if value is not None and int(value) > plan.scales[i]
        }
        if not scales:  # pragma: no cover - the strict scan found one
            raise AssertionError("a number needs more places, but none was found")
        raise _Rescale(scales)

    def _drop(self, *tables: str) -> None:
        for table in tables:
            self.con.execute(f"DROP TABLE IF EXISTS {table}")

    def _details(
        self,
        source: LocalInput,
        rows_sql: str,
        params: Params,
        nested: str,
        reasons: Mapping[int, str] | None = None,
        native: frozenset[int] = frozenset(),
        keys: Callable[[list[int]], Mapping[int, Sequence[str]]] | None = None,
    ) -> list[Rejection]:
        """The rejections of the bad rows, with their reasons. ``keys`` gives the names a row
        has (by line), for a record without a field it needs: a near name is suggested."""
        raw = "(" + self.plan.raw_select(params, rows_sql, nested=nested) + ")"
        sql = self.plan.detail_select(params, raw, native)
        cursor = self.con.execute(sql, params.values)
        names = [d[0] for d in cursor.description or []]
        rows: list[dict[str, Any]] = []
        while True:
            batch = cursor.fetchmany(10_000)
            if not batch:
                break
            rows += [dict(zip(names, values, strict=True)) for values in batch]
        wider = self._wider(rows)
        if wider:
            raise _Rescale(wider)
        lacking = [int(row["_line"]) for row in rows if row["_missing"]][:SUGGESTED]
        named = keys(lacking) if keys is not None and lacking else {}
        found: list[Rejection] = []
        for row in rows:
            line = int(row["_line"])
            reason = (reasons or {}).get(line) or self._reason(row, named.get(line, ()))
            found.append(Rejection(source.name, line, reason, source.index))
        return found

    def _wider(self, rows: list[dict[str, Any]]) -> dict[int, tuple[int, int]]:
        """The (scale, floor) of the number fields whose values in these bad rows need another
        scale: more places (up to MAX_DIGITS; a number needing more is rejected), or fewer, to
        leave room for the digits before the point (not below the field's floor)."""
        plan = self.plan
        wider: dict[int, tuple[int, int]] = {}
        for i, kind in enumerate(plan.kinds):
            if kind is not FieldType.NUMBER:
                continue
            scale, floor = plan.scales[i], plan.floors[i]
            up, down = 0, -1
            for row in rows:
                places = _places(row[f"r{i}"])
                if places is None or _long_mantissa(row[f"r{i}"]):
                    continue
                before, after = places
                if scale < after <= MAX_DIGITS:
                    up = max(up, after)
                elif before + scale > MAX_DIGITS and before + max(after, floor) <= MAX_DIGITS:
                    down = max(down, after, floor)
            if up:
                wider[i] = (up, up)
            elif 0 <= down < scale:
                wider[i] = (down, floor)
        return wider

    def _account(
        self, source: LocalInput, counts: _Counts, rejected: int, fast: bool
    ) -> InputAccount:
        return InputAccount(
            name=source.name,
            format=source.shown or source.format,
            lines=counts.lines + (rejected - counts.bad),
            records=counts.records,
            unused=counts.unused,
            rejected=rejected,
            naive_timestamps=counts.naive + source.local_times,
            fast_path=fast,
        )

    # --------------------------------------------------------------------------- JSON Lines
    def _jsonl(self, source: LocalInput) -> _Staged:
        if not source.reasons:
            # The byte check runs beside DuckDB's scan (which releases the interpreter): a
            # file it finds unusual is read again on the exact path.
            with ThreadPoolExecutor(max_workers=1) as pool:
                plain = pool.submit(_bytescan.plain_whitespace, source.path, source.compressed)
                strict = pool.submit(_strict_json, source.path, source.compressed)
                staged = self._jsonl_fast(source)
                clean = plain.result() and strict.result()
            if clean and staged is not None and staged.account.rejected:
                staged = self._recheck(source, staged)
            elif not clean and staged is not None:
                assert staged.table is not None
                self._drop(staged.table)
                staged = None
            if staged is not None:
                return staged
        scan = _bytescan.count_lines(source.path, source.compressed, complete=False)
        return self._jsonl_slow(source, scan)

    def _jsonl_fast(self, source: LocalInput) -> _Staged | None:
        """One strict ``read_json`` scan, typed on the fly; None when it cannot be exact.

        Fields that the first records of the file never name are not stored (ten million
        nulls cost more to write than the rest of a record): the scan stops if one has a
        value further on, and runs again storing every field."""
        sampled = _bytescan.sample_keys(source.path, source.compressed)
        guess = self._absent(sampled) if sampled is not None else frozenset()
        columns = {name: "VARCHAR" for name in self.plan.sources}
        picks = ", ".join(
            f"{quote_ident(name)} AS s{j}" for j, name in enumerate(self.plan.sources)
        )

        def scan() -> tuple[str, Params]:
            params = Params()
            sql = (
                f"SELECT NULL::BIGINT AS _line, NULL::INTEGER AS _jp, NULL::VARCHAR AS _text, "
                f"{picks} FROM read_json({params(str(source.path))}, "
                f"format='newline_delimited', columns={params(columns)}, "
                f"compression={params(_compression(source))}, maximum_object_size={FAST_MAX_LINE})"
            )
            return sql, params

        # No byte scan of the file first: rows are numbered by their order (DuckDB keeps the
        # file's), which is the line number unless blank lines were skipped; a message that
        # names a line maps it then (_physical_lines). A record to reject is flagged (the exact
        # path judges those again, _recheck). None: malformed JSON; the slow path says where.
        return self._strict(source, scan, "prefix", absent=guess, ordinal=True, flagged=True)

    def _recheck(self, source: LocalInput, staged: _Staged) -> _Staged | None:
        """The records the fast scan flagged, judged again on the exact path, alone: their
        lines are taken from the file (by their ordinals), read and typed as the exact path
        reads every line, and their rows of the input's table replaced by what it found (a
        value the fast scan could only suspect, such as a text that begins with a brace, may
        be good). The others keep the fast scan's rows. None when that cannot be done (too many
        lines to judge again, a line that is not UTF-8, a value that the table cannot hold):
        the whole file is then read on the exact path, as before."""
        table = staged.table
        assert table is not None
        con = self.con
        ordinals = [
            int(row[0])
            for row in con.execute(
                f"SELECT rowid + 1 FROM {table} WHERE _bad ORDER BY 1 LIMIT {RECHECKED + 1}"
            ).fetchall()
        ]
        found = (
            _bytescan.record_texts(source.path, source.compressed, set(ordinals))
            if len(ordinals) <= RECHECKED
            else {}
        )
        try:
            texts = [found[k][1].decode("utf-8") for k in ordinals]
        except (KeyError, UnicodeDecodeError):
            self._drop(table)
            return None
        lines = [found[k][0] for k in ordinals]
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {RECHECK} AS SELECT unnest($1::BIGINT[]) AS _ordinal, "
            f"unnest($2::BIGINT[]) AS _line, unnest($3::VARCHAR[]) AS line",
            [ordinals, lines, texts],
        )
        judged = f"_obligo_judged_{source.index}"
        try:
            rows_sql, rows_values = self._json_rows(f"(SELECT _line, line FROM {RECHECK})")
            params = Params()
            params.values = list(rows_values)
            counts = self._typed(judged, rows_sql, params, "exact", absent=staged.absent)
            rejections: list[Rejection] = []
            if counts.bad:
                detail_params = Params()
                detail_params.values = list(rows_values)
                rejections = self._details(
                    source,
                    rows_sql,
                    detail_params,
                    "exact",
                    keys=lambda wanted: self._json_keys(wanted, RECHECK, "_line"),
                )
            stored = [
                str(row[0])
                for row in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = $1 "
                    "ORDER BY column_index",
                    [table],
                ).fetchall()
            ]
            sets = ", ".join(f"{quote_ident(name)} = j.{quote_ident(name)}" for name in stored)
            try:
                con.execute(
                    f"UPDATE {table} SET {sets} FROM (SELECT j.*, r._ordinal FROM {judged} j "
                    f"JOIN {RECHECK} r USING (_line)) j WHERE {table}.rowid + 1 = j._ordinal"
                )
            except duckdb.Error:  # a value the fast scan's table cannot hold
                self._drop(table)
                return None
        finally:
            self._drop(judged, RECHECK)
        counts = self._counts(table, has_bad=True)
        account = self._account(source, counts, len(rejections), fast=False)
        return replace(staged, account=account, rejections=rejections)

    def _jsonl_slow(self, source: LocalInput, scan: _bytescan.LineCount) -> _Staged:
        """Every physical line, numbered, checked and taken apart in SQL."""
        path, compressed = source.path, source.compressed
        reasons = dict(source.reasons)
        if not scan.line_reader_ready:
            clean = self.workdir / f"sanitized-{source.index}.jsonl"
            reasons.update(_bytescan.sanitize(path, compressed, clean).reasons)
            path, compressed = clean, False
        params = Params()
        reader = (
            f"SELECT line FROM read_csv({params(str(path))}, "
            f"columns={{'line': 'VARCHAR'}}, delim={params(_bytescan.LINE_READER_DELIMITER)}, "
            f"quote='', escape='', header=false, auto_detect=false, "
            f"max_line_size={DUCKDB_MAX_LINE}, "
            f"compression={params('gzip' if compressed else 'none')})"
        )
        try:
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {ROWS} AS {reader}", params.values)
        except duckdb.Error as error:
            raise _inputs.unreadable(source, error) from None
        finally:
            if path != source.path:
                path.unlink(missing_ok=True)
        numbered = f"(SELECT rowid + 1 AS _line, line FROM {ROWS})"
        rows_sql, rows_params = self._json_rows(numbered)
        params = Params()
        params.values = list(rows_params)
        table = f"_obligo_input_{source.index}"
        counts = self._typed(table, rows_sql, params, "exact")
        rejections: list[Rejection] = []
        if counts.bad:
            # Take apart again only the bad lines, to say what is wrong with them.
            bad_rows = (
                f"(SELECT * FROM {numbered} WHERE _line IN (SELECT _line FROM {table} WHERE _bad))"
            )
            detail_sql, detail_values = self._json_rows(bad_rows)
            detail_params = Params()
            detail_params.values = list(detail_values)
            rejections = self._details(
                source, detail_sql, detail_params, "exact", reasons, keys=self._json_keys
            )
        self._drop(ROWS)
        account = self._account(source, counts, len(rejections), fast=False)
        return _Staged(account, rejections, table)

    def _json_keys(
        self, lines: list[int], table: str = ROWS, number: str = "rowid + 1"
    ) -> dict[int, list[str]]:
        """The keys of these lines (of the line table the exact path reads)."""
        rows = self.con.execute(
            # A line that is not a JSON object (a marker of a record rejected while it was
            # copied) has no keys: json_keys would stop the query.
            f"SELECT {number}, CASE WHEN json_valid(line) AND json_type(line) = 'OBJECT' "
            f"THEN json_keys(line) ELSE [] END FROM {table} "
            f"WHERE {number} IN (SELECT unnest($1::BIGINT[]))",
            [lines],
        ).fetchall()
        return {int(line): list(keys) for line, keys in rows}

    def _json_rows(self, lines: str) -> tuple[str, list[Any]]:
        """Rows of a line table: the line's JSON problem, and every source field as text.

        As ``read_json`` does, a key read twice in one object is an error; keys not read may
        repeat (so that both paths judge a line alike). The values are taken apart a second
        time, as JSON, only for lines where one looks like an object or an array.
        """
        sources = self.plan.sources
        params = Params()
        as_text = params(json.dumps({name: "VARCHAR" for name in sources}))
        as_json = params(json.dumps({name: "JSON" for name in sources}))
        blanks = params(" \t\r")
        # What DuckDB's JSON parser accepts and JSON is not (a trailing comma, NaN, Infinity),
        # tested outside strings on the lines where it may be.
        lax = params(LAX_JSON)
        strings = params(r'"(?:[^"\\]|\\.)*"')
        read_keys = params(list(sources))
        keys = f"list_filter(json_keys(line), lambda k: list_contains({read_keys}, k))"
        repeated = f"len({keys}) <> len(list_distinct({keys}))"
        type_at = sources.index(self.plan.schema.source_of("type")) + 1
        looks_nested = " OR ".join(
            f"left(struct_extract_at(v, {j + 1}), 1) IN ('{{', '[')" for j in range(len(sources))
        )
        # A type that reads like a number or a boolean may be one (7, not "7"): its JSON type
        # says, taken apart as JSON with the nested values.
        type_text = f"struct_extract_at(v, {type_at})"
        looks_nested += (
            f" OR {type_text} IN ('true', 'false') "
            f"OR regexp_full_match({type_text}, '{SCALAR_TYPE}')"
        )
        scalar_type = (
            f"coalesce(json_type(struct_extract_at(z, {type_at})) NOT IN ('VARCHAR', 'NULL'), "
            f"FALSE) AS _scalar_type"
        )
        fields = ", ".join(
            f"struct_extract_at(v, {j + 1}) AS s{j}, "
            f"coalesce(json_type(struct_extract_at(z, {j + 1})) IN ('OBJECT', 'ARRAY'), FALSE) "
            f"AS z{j}"
            for j in range(len(sources))
        )
        sql = (
            f"SELECT _line, _jp, CASE WHEN _jp IS NOT NULL THEN line END AS _text, {fields}, "
            f"{scalar_type} "
            f"FROM (SELECT _line, line, _jp, v, "
            f"CASE WHEN {looks_nested} THEN from_json(line, {as_json}) END AS z "
            f"FROM (SELECT _line, line, _jp, "
            f"CASE WHEN _jp IS NULL THEN from_json(line, {as_text}) END AS v "
            f"FROM (SELECT _line, line, "
            f"CASE WHEN NOT json_valid(line) THEN {JSON_NOT_JSON} "
            f"WHEN regexp_matches(line, {lax}) AND regexp_matches("
            f"regexp_replace(line, {strings}, '\"\"', 'g'), {lax}) THEN {JSON_NOT_JSON} "
            f"WHEN json_type(line) <> 'OBJECT' THEN {JSON_NOT_OBJECT} "
            f"WHEN {repeated} THEN {JSON_DUPLICATE_KEY} END AS _jp "
            f"FROM {lines} WHERE line IS NOT NULL AND trim(line, {blanks}) <> '')))"
        )
        return sql, params.values

    # --------------------------------------------------------------------------------- CSV
    def _csv(self, source: LocalInput) -> _Staged:
        shape = _bytescan.CsvShape()
        # The byte scan (damaged and empty lines, quotes) runs beside DuckDB's fast scan of the
        # file as it is (which releases the interpreter), no longer before it: the scan's
        # result stands only if the byte scan then finds what the fast path needs (see
        # _csv_early); otherwise the input is read as if the byte scan had come first.
        with ThreadPoolExecutor(max_workers=1) as pool:
            checked = pool.submit(_bytescan.without_damaged_csv_lines, source, self.workdir, shape)
            early = self._csv_early(source)
            source, damaged = checked.result()
        clean = not damaged and not shape.empty_line
        if early is not None and clean and early.quoted == shape.quote:
            if isinstance(early.result, _Rescale):
                raise early.result
            if early.result is not None:
                return early.result
        elif early is not None and isinstance(early.result, _Staged):
            assert early.result.table is not None
            self._drop(early.result.table)
        read_header = _csv_read_header(source)
        if read_header is None:
            return _Staged(InputAccount(source.name, source.format))
        header, delimiter = read_header
        position = self._csv_positions(source, header)
        columns = {f"c{k}": "VARCHAR" for k in range(len(header))}
        absent = self._absent(set(header))
        if clean and (early is None or early.quoted != shape.quote):
            staged = self._csv_fast(source, delimiter, columns, position, absent, shape.quote)
            if staged is not None:
                return staged
        picks = ", ".join(
            (f"c{position[name]}" if name in position else "NULL::VARCHAR") + f" AS s{j}"
            for j, name in enumerate(self.plan.sources)
        )
        # The line feeds inside quoted cells of each row: a row after them starts further down.
        newlines = " + ".join(
            f"CASE WHEN contains(c{k}, chr(10)) THEN "
            f"strlen(c{k}) - strlen(replace(c{k}, chr(10), '')) ELSE 0 END"
            for k in range(len(header))
        )
        picks += f", ({newlines or '0'})::BIGINT AS _nl"

        def read(path: Path, compressed: bool, tolerant: bool) -> None:
            params = Params()
            # The tolerant read is not parallel: DuckDB's parallel reader loses its place in a
            # quoted cell longer than its buffer (60 MB across lines: 250,000 rows of fragments
            # rejected, lines lost and 1 GB of memory, where one reader rejects the one row).
            options = (
                f", ignore_errors=true, store_rejects=true, rejects_table='{CSV_REJECTS}', "
                f"rejects_scan='{CSV_SCANS}', parallel=false"
                if tolerant
                else ""
            )
            reader = _csv_reader(params, path, compressed, columns, delimiter, options)
            sql = f"SELECT {picks} FROM {reader}"
            self._drop(CSV_REJECTS, CSV_SCANS)
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {ROWS} AS {sql}", params.values)

        structural: dict[int, str] = {}
        try:
            read(source.path, source.compressed, tolerant=False)
        except duckdb.Error:
            try:
                read(source.path, source.compressed, tolerant=True)
            except duckdb.Error as error:
                # DuckDB's CSV reader stops at a file that mixes LF and CRLF line ends.
                normalized = self.workdir / f"normalized-{source.index}.csv"
                _bytescan.normalize_line_ends(source.path, source.compressed, normalized)
                try:
                    read(normalized, False, tolerant=True)
                except duckdb.Error:
                    raise _inputs.unreadable(source, error) from None
                finally:
                    normalized.unlink(missing_ok=True)
            spans: dict[int, int] = {}
            for line, kinds, message, text in self.con.execute(
                f"SELECT line, list(DISTINCT error_type ORDER BY error_type), min(error_message), "
                f"max(csv_line) FROM {CSV_REJECTS} GROUP BY line ORDER BY line"
            ).fetchall():
                structural[int(line)] = _csv_reason(list(kinds), str(message))
                # The line feeds inside the row's quoted cells (DuckDB puts the empty lines
                # before a rejected row at the start of its text).
                spans[int(line)] = str(text or "").lstrip("\r\n").count("\n")
            self._drop(CSV_REJECTS, CSV_SCANS)
        empty = _bytescan.empty_lines(source.path, source.compressed)
        continued: list[int] = []
        if structural and (any(spans.values()) or self._quoted_line_feeds()):
            structural, continued = self._physical_lines(structural, spans, empty)
        structural.update(damaged)  # lines too long, or holding a NUL
        skipped = sorted(set(structural) | set(empty) | set(continued))
        self._drop(CSV_SKIPPED)
        if skipped:
            # Row k (1-based) is line k + 1 (the header is line 1) plus the skipped lines before
            # it: skipped line s_j (j-th, sorted) has s_j - 1 - j rows before it.
            self.con.execute(
                f"CREATE TEMP TABLE {CSV_SKIPPED} AS SELECT g, max(c) AS c FROM "
                f"(SELECT unnest($1::BIGINT[]) - 1 - unnest($2::BIGINT[]) AS g, "
                f"unnest($2::BIGINT[]) AS c) GROUP BY g",
                [skipped, list(range(1, len(skipped) + 1))],
            )
            line = "r._n + 1 + coalesce(k.c, 0)"
            join = f" ASOF LEFT JOIN {CSV_SKIPPED} k ON r._n > k.g"
        else:
            line, join = "r._n + 1", ""
        if self._quoted_line_feeds():
            # A row's physical line also counts the line feeds inside the quoted cells of the
            # rows before it: _n is then the row's line without skipped lines, less one.
            numbered = (
                f"(SELECT rowid + 1 + sum(_nl) OVER (ORDER BY rowid) - _nl AS _n, * FROM {ROWS})"
            )
        else:
            numbered = f"(SELECT rowid + 1 AS _n, * FROM {ROWS})"
        sources = ", ".join(f"r.s{j}" for j in range(len(self.plan.sources)))
        rows_sql = (
            f"SELECT {line} AS _line, NULL::INTEGER AS _jp, NULL::VARCHAR AS _text, {sources} "
            f"FROM {numbered} r{join}"
        )
        table = f"_obligo_input_{source.index}"
        counts = self._typed(table, rows_sql, Params(), "none", absent=absent)
        rejections = [
            Rejection(source.name, line_no, reason, source.index)
            for line_no, reason in structural.items()
        ]
        if counts.bad:
            rejections += self._details(
                source, rows_sql, Params(), "none", keys=lambda lines: dict.fromkeys(lines, header)
            )
        self._drop(ROWS, CSV_SKIPPED)
        account = self._account(
            source, counts, len(rejections), fast=not structural and not counts.bad
        )
        return _Staged(account, rejections, table, absent=absent)

    def _csv_positions(self, source: LocalInput, header: list[str]) -> dict[str, int]:
        """Each column's position by its name; a name the contract reads twice is an error, and
        so is a column that is a name the contract reads but for its spelling."""
        check_spelling(source.name, header, self.plan.sources)
        position: dict[str, int] = {}
        for k, name in enumerate(header):
            first = position.setdefault(name, k)
            if first != k and name in self.plan.sources:
                raise EventDataError(
                    f"{source.name}: the header names `{name}` twice (columns {first + 1} and "
                    f"{k + 1}): which one the contract reads cannot be told",
                    file=source.name,
                    line=1,
                    hint="rename or remove one of the columns",
                )
        return position

    def _csv_early(self, source: LocalInput) -> _Early | None:
        """The fast scan of a CSV file run before the byte scan has said whether it may be
        (while it runs): None when the file cannot be read so (its header is not one, say,
        or it has none); then the input is read in the order of old, and the same errors come
        in the same order. Whether the file holds a quote is guessed from its first MiB (the
        guess stands if the byte scan agrees; a file whose first quote comes later is scanned
        again, with the line feed check)."""
        try:
            read_header = _csv_read_header(source)
            if read_header is None:
                return None
            header, delimiter = read_header
            position = self._csv_positions(source, header)
            with _bytescan.open_bytes(source.path, source.compressed) as stream:
                quoted = b'"' in stream.read(EARLY_QUOTE_BYTES)
        except Exception:  # whatever it is, it is raised again below, in the order of old
            # The input is then read as before: the byte scan's errors first (a header too
            # long for Python's csv module is one), then the header's, from the same code.
            return None
        columns = {f"c{k}": "VARCHAR" for k in range(len(header))}
        absent = self._absent(set(header))
        try:
            staged = self._csv_fast(source, delimiter, columns, position, absent, quoted)
        except _Rescale as rescale:
            return _Early(quoted, rescale)
        except (EventDataError, OSError, EOFError, zlib.error):
            return None
        return _Early(quoted, staged)

    def _csv_fast(
        self,
        source: LocalInput,
        delimiter: str,
        columns: dict[str, str],
        position: Mapping[str, int],
        absent: frozenset[int],
        quoted: bool,
    ) -> _Staged | None:
        """One strict ``read_csv`` scan typed on the fly into the input's table, as JSON Lines'
        fast path: no table of text cells first. For a file without empty lines (the byte scan
        says) whose cells hold no line feed, row k is line k + 1: the scan stops at a cell that
        holds one (only looked for when the file holds a quote). None when it stops (at a row
        to reject, a row DuckDB rejects, a line feed in a cell): the exact path then reads the
        file, with the numbering of such files and the reasons."""
        type_at = self.plan.sources.index(self.plan.schema.source_of("type"))
        picks: list[str] = []
        for j, name in enumerate(self.plan.sources):
            cell = f"c{position[name]}" if name in position else "NULL::VARCHAR"
            if j == type_at and quoted:
                # In a column every row reads (the type's), so that it is never left out.
                feeds = " OR ".join(f"contains(c{k}, chr(10))" for k in range(len(columns)))
                cell = f"CASE WHEN {feeds} THEN error('{CSV_LINE_FEED}') ELSE {cell} END"
            picks.append(f"{cell} AS s{j}")

        def scan() -> tuple[str, Params]:
            params = Params()
            reader = _csv_reader(params, source.path, source.compressed, columns, delimiter)
            sql = (
                f"SELECT NULL::BIGINT AS _line, NULL::INTEGER AS _jp, NULL::VARCHAR AS _text, "
                f"{', '.join(picks)} FROM {reader}"
            )
            return sql, params

        return self._strict(source, scan, "none", absent=absent, first_line=2)

    def _quoted_line_feeds(self) -> bool:
        """Whether a row read holds a line feed inside a quoted cell."""
        return bool(self.con.execute(f"SELECT coalesce(max(_nl), 0) FROM {ROWS}").fetchall()[0][0])

    def _physical_lines(
        self, structural: dict[int, str], spans: dict[int, int], empty: list[int]
    ) -> tuple[dict[int, str], list[int]]:
        """The rows DuckDB rejected, by physical line, and the lines their quoted cells
        continue on. DuckDB numbers a rejected row by its physical line less the line feeds
        inside the quoted cells of the rows before it (empty lines counted): walk the rows in
        DuckDB's order (the rows read, by ``rowid``, fill the numbers that are neither rejected
        rows nor empty lines) adding up those line feeds. Only on this rare path: a rejected
        row in a file whose quoted cells hold line feeds."""
        feeds = dict(
            self.con.execute(
                f"SELECT rowid, _nl FROM (SELECT rowid, _nl FROM {ROWS}) WHERE _nl > 0"
            ).fetchall()
        )
        blank = set(empty)
        physical: dict[int, str] = {}
        continued: list[int] = []
        row = 0  # the next row read, by rowid
        number, line = 2, 2  # DuckDB's number and the physical line (the header is line 1)
        last = max(structural)
        while number <= last:
            if line in blank:
                line += 1
            elif number in structural:
                physical[line] = structural[number]
                continued += range(line + 1, line + 1 + spans.get(number, 0))
                line += 1 + spans.get(number, 0)
            else:
                line += 1 + int(feeds.get(row, 0))
                row += 1
            number += 1
        return physical, continued

    # ----------------------------------------------------------------------------- Parquet
    def _parquet(self, source: LocalInput) -> _Staged:
        try:
            described = self.con.execute(*_columns_query(source)).fetchall()
        except duckdb.Error as error:
            raise _inputs.unreadable(source, error) from None
        types = {str(row[0]): str(row[1]) for row in described}
        # A column whose Parquet type already is of the kind of every field it feeds is read as
        # it is (a TIMESTAMPTZ, an integer, a BOOLEAN); the others as text, checked like JSON.
        direct = {
            name
            for name in self.plan.sources
            if (kind := types.get(name)) is not None
            and all(
                _parquet_native(self.plan.kinds[i], kind, self.plan.scales[i])
                for i in self.plan.feeds(name)
            )
        }
        while True:
            native = frozenset(
                i
                for i in range(len(self.plan.names))
                if self.plan.kinds[i] is not FieldType.TEXT
                and all(
                    source in direct for source in self.plan.sources if i in self.plan.feeds(source)
                )
            )
            # A column read as it is feeds native fields only: a field that also reads text
            # (another column, or one the file lacks) takes every column as text.
            kept = {s for s in direct if all(i in native for i in self.plan.feeds(s))}
            if kept == direct:
                break
            direct = kept
        # A type column of numbers or booleans: each of its types is not a text (rejected).
        type_kind = types.get(self.plan.schema.source_of("type"))
        nested = "none" if type_kind in (None, "VARCHAR") else "typed"
        picks = ", ".join(
            (quote_ident(name) if name in direct else _parquet_text(name, types.get(name)))
            + f" AS s{j}"
            for j, name in enumerate(self.plan.sources)
        )
        params = Params()
        rows_sql = (
            f"SELECT file_row_number + 1 AS _line, NULL::INTEGER AS _jp, NULL::VARCHAR AS _text, "
            f"{picks} FROM {_parquet_scan(source, params)}"
        )
        path_values = list(params.values)
        table = f"_obligo_input_{source.index}"
        absent = self._absent(set(types))

        def scan() -> tuple[str, Params]:
            fresh = Params()
            fresh.values = list(path_values)
            return rows_sql, fresh

        # Clean input (the common case) needs no `_bad` and no `_line` column.
        staged = self._strict(source, scan, nested, native, absent)
        if staged is not None:
            return staged
        params = Params()
        params.values = list(path_values)
        counts = self._typed(table, rows_sql, params, nested, native, absent)
        rejections: list[Rejection] = []
        if counts.bad:
            detail = Params()
            detail.values = list(path_values)
            columns = list(types)
            rejections = self._details(
                source,
                rows_sql,
                detail,
                nested,
                native=native,
                keys=lambda lines: dict.fromkeys(lines, columns),
            )
        account = self._account(source, counts, len(rejections), fast=not counts.bad)
        return _Staged(account, rejections, table, absent=absent)

    def _absent(self, columns: set[str]) -> frozenset[int]:
        """The fields none of whose source columns the input has (always null in it)."""
        return frozenset(
            i
            for i in range(len(self.plan.names))
            if not any(
                source in columns for source in self.plan.sources if i in self.plan.feeds(source)
            )
        )

    # ------------------------------------------------------------------------------ reasons
    def _number_reason(self, i: int, shown: str, text: Any) -> str:
        """Why a number field's value was not read: not a number, or too many digits."""
        places = _places(text)
        if places is None:
            return f"{shown} is not a number: {_show(text)}"
        if _long_mantissa(text):
            return (
                f"{shown} {_show(text)} has an exponent after more than {LONG_MANTISSA} "
                f"characters: write it without the exponent"
            )
        before, after = places
        scale = self.plan.scales[i]
        if after > MAX_DIGITS:
            return (
                f"{shown} {_show(text)} has {after} decimal places: obligo keeps "
                f"{MAX_DIGITS} digits at most"
            )
        if before > MAX_DIGITS or scale == 0:
            return (
                f"{shown} {_show(text)} has {before} digits before the decimal point: obligo "
                f"keeps {MAX_DIGITS} digits at most"
            )
        return (
            f"{shown} {_show(text)} has {before} digits before the decimal point: with the "
            f"{scale} places after it that this log's `{self.plan.names[i]}` values need, more "
            f"than the {MAX_DIGITS} digits obligo keeps"
        )

    def _reason(self, row: dict[str, Any], keys: Sequence[str] = ()) -> str:
        problem = row["_jp"]
        if problem == JSON_NOT_JSON:
            return _json_error(row["_text"])
        if problem == JSON_NOT_OBJECT:
            return "not a JSON object"
        if problem == JSON_DUPLICATE_KEY:
            return _duplicate_key(row["_text"])
        if row["_no_type"]:
            if row["r0"] is not None and row["p0"]:
                return f"`type` is not a text: {_show_raw(row['r0'])}"
            return "record without `type`"
        schema, plan = self.log.schema, self.plan
        record_type = row["r0"]
        reasons: list[str] = []
        for i, (name, kind) in enumerate(zip(plan.names, plan.kinds, strict=True)):
            if not row[f"p{i}"]:
                continue
            shown = f"`{name}`"
            source_name = schema.source_of(name, record_type)
            if source_name != name:
                shown += f" (read from `{source_name}`)"
            value = _show(row[f"r{i}"])
            if kind is FieldType.TEXT:
                reasons.append(f"{shown} is a JSON object or array, not a value")
            elif kind is FieldType.NUMBER:
                reasons.append(self._number_reason(i, shown, row[f"r{i}"]))
            elif kind is FieldType.BOOLEAN:
                reasons.append(f"{shown} is not true or false: {value}")
            elif row[f"g{i}"]:
                reasons.append(
                    f"{shown} {value} does not exist in {plan.timezone}: it falls in a "
                    f"daylight-saving gap"
                )
            elif _timestamp_out_of_range(row[f"r{i}"]):
                reasons.append(
                    f"{shown} {value} is out of range (obligo reads instants from 0001-01-02 "
                    f"to 9999-12-30, UTC)"
                )
            else:
                reasons.append(f"{shown} is not an RFC 3339 timestamp: {value}")
        if row["_order"]:
            end = _show(row["r" + str(plan.names.index("end"))])
            start = _show(row["r" + str(plan.names.index("start"))])
            reasons.append(f"ends before it starts (`end` {end} is before `start` {start})")
        if row["_missing"]:
            failing = [
                rule
                for rule in schema.required_of(record_type)
                if rule.every
                and all(row[f"r{plan.names.index(name)}"] is None for name in rule.fields)
            ]
            for rule in failing:
                # `time` or `start` lacking says nothing more than `time` lacking.
                if not any(set(other.fields) < set(rule.fields) for other in failing):
                    reasons.append(missing_reason(schema, rule, keys))
        return "; ".join(reasons) or "rejected"


# ------------------------------------------------------------------------------------- helpers


def _remove(folder: Path) -> None:
    """Remove a temporary folder; a signal that stops the removal half-way (Ctrl-C, or the
    command line's SIGTERM handler) is raised once the folder is gone."""
    try:
        shutil.rmtree(folder, ignore_errors=True)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


@dataclass(frozen=True)
class _Early:
    """A fast CSV scan run beside the byte scan: whether it looked for line feeds in cells
    (the file's first MiB holds a quote), and what it gave (the staged input, None when it
    stopped, or the rescale it asked for)."""

    quoted: bool
    result: _Staged | _Rescale | None


class _Rescale(Exception):
    """Numbers need another scale than their fields': ``scales`` holds (scale, the places a
    value needs) by field index."""

    def __init__(self, scales: dict[int, tuple[int, int]]) -> None:
        super().__init__(scales)
        self.scales = scales


_NUMBER_TEXT = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


def _long_mantissa(text: str) -> bool:
    """An exponent form whose mantissa DuckDB's cast would cut (Plan.number refuses it)."""
    folded = text.strip().lower()
    return "e" in folded and len(folded.split("e")[0]) > LONG_MANTISSA


def _places(text: Any) -> tuple[int, int] | None:
    """The digits a number's text needs before and after the decimal point, or None when it
    is not a number as the loader reads one."""
    if not isinstance(text, str) or not _NUMBER_TEXT.fullmatch(text):
        return None
    try:
        value = Decimal(text.strip())
    except ArithmeticError:  # pragma: no cover - the pattern admits numbers only
        return None
    if not value.is_finite():  # pragma: no cover - the pattern admits finite numbers only
        return None
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    trimmed = digits
    while len(trimmed) > 1 and trimmed[-1] == 0 and exponent < 0:
        trimmed, exponent = trimmed[:-1], exponent + 1
    after = max(0, -exponent)
    before = max(0, len(trimmed) + exponent) if any(trimmed) else 0
    return before, after


def missing_reason(schema: EventSchema, rule: Required, keys: Sequence[str] = ()) -> str:
    """Why a record without any of ``rule.fields`` is rejected, with a near name it has."""
    shown = " or ".join(f"`{schema.source_of(name, rule.record_type)}`" for name in rule.fields)
    text = f"no {shown}, which the contract needs {rule.why}"
    if not rule.every:
        text += f": no {rule.record_type} record of the log has it"
    read = set(schema.sources())
    spare = [k for k in keys if k not in read]
    for name in rule.fields:
        near = _near_name(schema.source_of(name, rule.record_type), spare)
        if near is not None:
            return f"{text} (found `{near}`: --map {name}={near}?)"
    return text


def _near_type(found: str, used: Sequence[str]) -> str | None:
    """The record type of ``used`` that ``found`` was likely meant to be."""
    folded = found.strip().casefold()
    for name in used:
        other = name.casefold()
        if folded in (other, other + "s", other + "es") or other in (folded + "s",):
            return name
    close = difflib.get_close_matches(found, list(used), n=1, cutoff=0.8)
    return close[0] if close else None


def _near_name(wanted: str, names: Sequence[str]) -> str | None:
    """The name in ``names`` nearest ``wanted``: the same but for case, one that has it as a
    part (``start_time``, ``startedAt``), or a close spelling."""
    folded = wanted.casefold()
    for name in names:
        if name.casefold() == folded:
            return name
    parts = [n for n in names if folded in n.casefold()]
    if parts:
        return min(parts, key=lambda n: (len(n), n))
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
    return close[0] if close else None


def _zone_name(zone: ZoneInfo) -> str:
    return zone.key if getattr(zone, "key", None) else str(zone)


def _compression(source: LocalInput) -> str:
    return "gzip" if source.compressed else "none"


def _timestamp_out_of_range(value: Any) -> bool:
    """Whether a rejected timestamp is well formed (its year aside) and out of range."""
    if not isinstance(value, str):
        return value is not None  # a Parquet timestamp read as it is: only its range can fail
    text = value.strip().upper()
    if text.endswith("(BC)") or " (BC) " in text:  # DuckDB's text of a Parquet instant
        return True
    if re.fullmatch(_plan.TIMESTAMP_PATTERN.replace(r"\d{4}", r"\d{4,}", 1), text) is None:
        return False
    year = int(text[: text.index("-")])
    if not 1 <= year <= 9999:
        return True
    try:  # a date that exists (not 30 February), rejected: at the edges of the range
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return year in (1, 9999)


def _show(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 4] + '..."'


def _show_raw(text: str) -> str:
    """A value as the log wrote it: an object, a number or a boolean as its JSON text."""
    try:
        json.loads(text)
    except ValueError:
        return _show(text)
    return text if len(text) <= 60 else text[:56] + "..."


# What DuckDB's JSON parser takes and strict JSON does not: a comma before a closing bracket,
# NaN and infinities (in any case). Found outside strings; RE2 and Python alike read it.
LAX_JSON = r",[ \t\r\n]*[}\]]|[:\[,][ \t\r\n]*[-+]?(?i:nan|inf)"
_LAX_TEXT = re.compile(LAX_JSON)
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _strict_json(path: Path, compressed: bool) -> bool:
    """Whether no line of the file may hold what DuckDB's reader takes and JSON does not: a
    comma before a closing bracket (blanks between or not: `1 , }`), or a NaN or an infinity
    (any case, a `-` before) standing as a value. A file that may is read on the exact path,
    which tells a value from a text and rejects only the lines that hold one; a text that merely
    looks so (`"finance: info"`) costs the file the fast path, never a line.

    One pass beside DuckDB's scan: each block is folded (blanks deleted, letters lower-cased,
    `]` read as `}` and `[` as `:`) by one ``bytes.translate``, then searched for `,}`, `nan` and
    `inf`; the last bytes of a block are carried into the next, so that nothing straddling two
    reads is missed. (A regular expression over every comma cost 5 s a million records; six
    two-byte searches 0.75 s; this 0.37 s on 100 MB.) NaN and infinities in a field the contract
    reads are also caught by the scan itself (Plan._lax_value)."""
    buffer = bytearray(1 << 18)
    carry = b""
    with _bytescan.open_bytes(path, compressed) as stream:
        while size := stream.readinto(buffer):
            block = bytes(buffer) if size == len(buffer) else bytes(buffer[:size])
            text = carry + block.translate(_FOLD, _BLANKS)
            if b",}" in text or _nan_as_value(text):
                return False
            carry = text[-4:]
    return True


_BLANKS = b" \t\r\n"
_FOLD = bytes(
    c + 32 if 65 <= c <= 90 else {ord("]"): ord("}"), ord("["): ord(":")}.get(c, c)
    for c in range(256)
)


def _nan_as_value(text: bytes) -> bool:
    """Whether folded ``text`` holds `nan` or `inf` right after a colon, a comma or an opening
    bracket (read as a colon), signs between."""
    for word in (b"nan", b"inf"):
        at = text.find(word)
        while at >= 0:
            start = at
            while start > 0 and text[start - 1] == ord("-"):
                start -= 1
            if start > 0 and text[start - 1] in b":,":
                return True
            at = text.find(word, at + 3)
    return False


def _lax_reason(text: str) -> str | None:
    """What in a line that DuckDB parses is not strict JSON."""
    found = _LAX_TEXT.search(_JSON_STRING.sub('""', text))
    if found is None:
        return None
    if found.group(0).startswith(",") and found.group(0)[-1] in "}]":
        return f"not valid JSON (a comma before `{found.group(0)[-1]}`)"
    return "not valid JSON (NaN and infinities are not JSON numbers)"


def _json_error(text: str | None) -> str:
    if text is None:
        return "not valid JSON"
    lax = _lax_reason(text)
    if lax is not None:
        return lax
    try:
        json.loads(text)
    except ValueError as error:
        detail = getattr(error, "msg", str(error))
        column = getattr(error, "colno", None)
        return f"not valid JSON ({detail} at column {column})" if column else "not valid JSON"
    except RecursionError:  # Python's parser stops at about a thousand levels
        return "not valid JSON (arrays or objects nested too deeply to say where)"
    return "not valid JSON"


def _duplicate_key(text: str | None) -> str:
    duplicate: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in items:
            if key in seen and not duplicate:
                duplicate.append(key)
            seen.add(key)
        return dict(items)

    if text is not None:
        with contextlib.suppress(ValueError, RecursionError):
            json.loads(text, object_pairs_hook=pairs)
    if duplicate:
        return f"the key {_show(duplicate[0])} appears twice"
    return "a key appears twice"


CSV_DELIMITERS = (",", ";", "\t", "|")
# What the fast CSV scan raises at a cell holding a line feed (the rows after it start lower).
CSV_LINE_FEED = "obligo: a line feed inside a cell"


def _csv_reader(
    params: Params,
    path: Path,
    compressed: bool,
    columns: Mapping[str, str],
    delimiter: str,
    options: str = "",
) -> str:
    """DuckDB's strict reading of a CSV file: every column as text, the header skipped."""
    return (
        f"read_csv({params(str(path))}, "
        f"header=true, columns={params(dict(columns))}, delim={params(delimiter)}, quote='\"', "
        f"escape='\"', "
        f"auto_detect=false, strict_mode=true, max_line_size={DUCKDB_MAX_LINE}, "
        f"compression={params('gzip' if compressed else 'none')}{options})"
    )


def _csv_read_header(source: LocalInput) -> tuple[list[str], str] | None:
    """The header's names and the file's delimiter: a comma, or else the one of ``;``, tab and
    ``|`` the header holds most often outside quotes (a spreadsheet saved in a European
    locale writes ``;``). None for a file without a header."""
    line = _csv_header_line(source)
    if line is None:
        return None
    outside = re.sub(r'"[^"]*"', "", line)
    counts = {d: outside.count(d) for d in CSV_DELIMITERS}
    delimiter = "," if counts[","] else max(CSV_DELIMITERS, key=lambda d: (counts[d], d == ","))
    if not counts[delimiter]:
        delimiter = ","
    names = next(csv.reader([line], delimiter=delimiter), [])
    values = [name for name in names if _CSV_VALUE.fullmatch(name.strip())]
    if values:
        # A file without its header: its first row would be read as the names of the columns,
        # and lost uncounted.
        raise EventDataError(
            f"{source.name}: the first line is not a header naming the columns: it holds the "
            f"value {_show(values[0])}",
            file=source.name,
            line=1,
            hint="a CSV log begins with a line such as: type,start,end,service",
        )
    return names, delimiter


# A header cell that is a value, not a name: a number or a date or timestamp.
_CSV_VALUE = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|\d{4}-\d{2}-\d{2}([T ].*)?")


def _csv_header_line(source: LocalInput) -> str | None:
    try:
        with _bytescan.open_bytes(source.path, source.compressed) as raw:
            first = raw.readline(MAX_LINE)
            # A blank first line before rows would make the file read as an empty log.
            more = not first.strip() and any(line.strip() for line in raw)
    except OSError as error:
        raise EventDataError(f"cannot read {source.name}: {error}", file=source.name) from None
    if more:
        raise EventDataError(
            f"{source.name}: the first line, which must be the header naming the columns, is blank",
            file=source.name,
            line=1,
            hint="remove the blank lines before the header",
        )
    if not first.strip():
        return None
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EventDataError(
            f"{source.name}: the header is not valid UTF-8", file=source.name, line=1
        ) from None
    return text.rstrip("\r\n")


_CSV_REASONS = {
    "MISSING COLUMNS": "fewer cells than the header",
    "TOO MANY COLUMNS": "more cells than the header",
    "UNQUOTED VALUE": "a quote that is not closed, or text after a closing quote",
    "INVALID ENCODING": "not valid UTF-8",
    "INVALID UNICODE": "not valid UTF-8",
    "LINE SIZE OVER MAXIMUM": "a row longer than the limit of 2 MiB (its quoted cells span lines)",
}


def _csv_reason(kinds: list[str], message: str) -> str:
    reasons = [_CSV_REASONS[k] for k in kinds if k in _CSV_REASONS]
    return "; ".join(reasons) if reasons else f"not a CSV row ({message})"


_PARQUET_INTEGERS = (
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
    "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT",
)  # fmt: skip


def _register_frames(con: duckdb.DuckDBPyConnection, sources: Sequence[LocalInput]) -> None:
    """Each DataFrame input registered on the connection: DuckDB scans its Arrow buffers where
    they are (no copy, no file)."""
    for source in sources:
        if source.format == "frame":
            con.register(source.relation, source.frame)


def _parquet_scan(source: LocalInput, params: Params) -> str:
    """What a Parquet input's rows are read from, each with its ``file_row_number`` (from 0): the
    file, or a frame's registered table (numbered when it was registered)."""
    if source.format == "frame":
        return quote_ident(source.relation)
    return f"read_parquet({params(str(source.path))}, file_row_number=true)"


def _columns_query(source: LocalInput) -> tuple[str, list[Any]]:
    """The query that describes a Parquet input's columns (a frame's without its row number)."""
    if source.format == "frame":
        return (
            f"DESCRIBE SELECT * EXCLUDE ({quote_ident(_frames.ROW_COLUMN)}) "
            f"FROM {quote_ident(source.relation)}",
            [],
        )
    return "DESCRIBE SELECT * FROM read_parquet($1)", [str(source.path)]


def _parquet_native(kind: FieldType, parquet_type: str, scale: int) -> bool:
    """Whether a Parquet column of ``parquet_type`` is read directly as a field of ``kind``
    whose numbers are kept to ``scale`` places.

    Floating point is not: its value is read from its shortest decimal text, as JSON's is. Nor is
    a decimal with more places than the field keeps (its scale goes below 9 when another value
    needs room before the point): read as text, its values are measured like any other, and a
    value that cannot be kept whole is rejected, never rounded by a cast."""
    if kind is FieldType.TIMESTAMP:
        return parquet_type == "TIMESTAMP WITH TIME ZONE"
    if kind is FieldType.NUMBER:
        if parquet_type in _PARQUET_INTEGERS:
            return True
        places = re.fullmatch(r"DECIMAL\(\d+,\s*(\d+)\)", parquet_type)
        return places is not None and int(places.group(1)) <= scale
    if kind is FieldType.BOOLEAN:
        return parquet_type == "BOOLEAN"
    return False


def _parquet_text(name: str, kind: str | None) -> str:
    """A Parquet column as the text the typing step reads (timestamps keep their offset)."""
    if kind is None:
        return "NULL::VARCHAR"
    column = quote_ident(name)
    if kind.startswith("TIMESTAMP WITH TIME ZONE"):
        return f"strftime(timezone('UTC', {column}), '%Y-%m-%dT%H:%M:%S.%fZ')"
    if kind.startswith("TIMESTAMP"):
        return f"strftime({column}::TIMESTAMP, '%Y-%m-%dT%H:%M:%S.%f')"
    if kind == "BOOLEAN":
        return f"CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' END"
    return f"CAST({column} AS VARCHAR)"


def _physical_lines(
    conflicts: list[Conflict], sources: list[LocalInput], staged: list[_Staged]
) -> list[Conflict]:
    """Conflicts with the record ordinals of fast-path inputs turned into physical lines."""
    wanted: dict[int, set[int]] = {}
    for conflict in conflicts:
        for source, line in [conflict.first[:2], conflict.second[:2], *conflict.members]:
            if staged[source].ordinal:
                wanted.setdefault(source, set()).add(line)
    found = {
        index: _bytescan.record_lines(sources[index].path, sources[index].compressed, ordinals)
        for index, ordinals in wanted.items()
    }

    def physical(source: int, line: int) -> int:
        return found[source].get(line, line) if source in found else line

    return [
        replace(
            c,
            first=(c.first[0], physical(c.first[0], c.first[1]), c.first[2]),
            second=(c.second[0], physical(c.second[0], c.second[1]), c.second[2]),
            members=tuple((i, physical(i, line)) for i, line in c.members),
        )
        for c in conflicts
    ]


def _conflict_rejections(
    conflicts: list[Conflict], sources: list[LocalInput], accounts: list[InputAccount]
) -> tuple[list[Rejection], list[InputAccount]]:
    names = {s.index: s.name for s in sources}
    found: list[Rejection] = []
    lost: dict[int, int] = {}
    for conflict in conflicts:
        first = f"{names[conflict.first[0]]}:{conflict.first[1]}"
        second = f"{names[conflict.second[0]]}:{conflict.second[1]}"
        label = f"{conflict.record_type} record {_show(conflict.record_id)}"
        if conflict.ends_before_start:
            reason = (
                f"{label}: merged, it ends before it starts (`start` from {first}, "
                f"`end` from {second})"
            )
        else:
            reason = (
                f"{label}: the records at {first} and {second} disagree on `{conflict.field}` "
                f"({_show_value(conflict.first[2])} and {_show_value(conflict.second[2])}) "
                f"and no later `updated` decides"
            )
        for source, line in conflict.members:
            found.append(Rejection(names[source], line, reason, source))
            lost[source] = lost.get(source, 0) + 1
    updated = [
        replace(a, records=a.records - lost.get(i, 0), rejected=a.rejected + lost.get(i, 0))
        for i, a in enumerate(accounts)
    ]
    return found, updated


def _show_value(value: Any) -> str:
    """A typed value as a message shows it: numbers plain, texts and instants quoted."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return _show(value.isoformat())
    return _show(value)

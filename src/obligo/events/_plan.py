"""The SQL the loader runs: field mapping, typing and validation, written once for every format.

Every input is first read into a *raw* relation with one row per record: ``_line`` (its line),
``_jp`` (a problem of the line as JSON, or NULL), ``_text`` (the line's text when it has one),
``r<i>`` (the text of schema field *i*, already mapped from the log's name) and ``n<i>`` for text
fields (true when the value is a JSON object or array rather than a value). The *typed* relation
then reads each field in its type with the macros below, and says which rows are bad.

Values never enter the SQL text: they are bound as numbered parameters (``$1``, ``$2``, ...).
Identifiers are quoted; the macros are constants of this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from obligo.events.schema import EventSchema, FieldType, SchemaError
from obligo.events.sql import quote_ident

# RFC 3339 date-time (upper case; the loader also tries upper(trim(text))): the offset is optional
# (naive timestamps are read in the contract's timezone); any number of fraction digits (DuckDB
# keeps microseconds, truncating). DuckDB's own cast is far more lenient (dates alone, "+0100",
# hour 24, zone names, "epoch"), hence the pattern.
TIMESTAMP_PATTERN = (
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
    r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?"
)

# The same with the offset required: the common case, decided by one match and one cast.
AWARE_PATTERN = TIMESTAMP_PATTERN.removesuffix("?")
assert AWARE_PATTERN != TIMESTAMP_PATTERN

# The instants a log may hold: a day inside Python's years 1 to 9999, so that every instant can
# be shown in any timezone (DuckDB reads year 0, which Python cannot hold: the engine failed).
FIRST_INSTANT = "0001-01-02 00:00:00+00"
LAST_INSTANT = "9999-12-30 23:59:59.999999+00"

MACROS = f"""
CREATE OR REPLACE TEMP MACRO obligo_mantissa(u) AS split_part(u, 'e', 1);
CREATE OR REPLACE TEMP MACRO obligo_scale(s) AS
  greatest(length(rtrim(CASE WHEN contains(obligo_mantissa(lower(trim(s))), '.')
                             THEN split_part(obligo_mantissa(lower(trim(s))), '.', 2)
                             ELSE '' END, '0'))
           - coalesce(TRY_CAST(nullif(split_part(lower(trim(s)), 'e', 2), '') AS INTEGER), 0),
           0);
CREATE OR REPLACE TEMP MACRO obligo_bool(s) AS
  CASE s WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE
         ELSE CASE lower(trim(s)) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END END;
CREATE OR REPLACE TEMP MACRO obligo_tsfmt(u) AS regexp_full_match(u, '{TIMESTAMP_PATTERN}');
CREATE OR REPLACE TEMP MACRO obligo_offset(u) AS ends_with(u, 'Z') OR substr(u, -6, 1) IN ('+', '-');
CREATE OR REPLACE TEMP MACRO obligo_aware(s) AS
  CASE WHEN ends_with(s, 'Z') THEN TRUE ELSE obligo_offset(upper(trim(s))) END;
CREATE OR REPLACE TEMP MACRO obligo_earlier(l, tz) AS
  timezone('UTC', l - (timezone(tz, timezone(tz, l) - INTERVAL 1 DAY)
                       - timezone('UTC', timezone(tz, l) - INTERVAL 1 DAY)));
CREATE OR REPLACE TEMP MACRO obligo_local(l, tz) AS
  CASE WHEN timezone(tz, timezone(tz, l)) <> l THEN NULL
       WHEN obligo_earlier(l, tz) < timezone(tz, l)
            AND timezone(tz, obligo_earlier(l, tz)) = l THEN obligo_earlier(l, tz)
       ELSE timezone(tz, l) END;
CREATE OR REPLACE TEMP MACRO obligo_ts_canonical(u, tz) AS
  CASE WHEN obligo_tsfmt(u) THEN
    CASE WHEN obligo_offset(u) THEN TRY_CAST(u AS TIMESTAMPTZ)
         ELSE obligo_local(TRY_CAST(u AS TIMESTAMP), tz) END END;
CREATE OR REPLACE TEMP MACRO obligo_ts(s, tz) AS
  CASE WHEN regexp_full_match(s, '{AWARE_PATTERN}') THEN TRY_CAST(s AS TIMESTAMPTZ)
       WHEN s IS NOT NULL THEN
    coalesce(obligo_ts_canonical(s, tz), obligo_ts_canonical(upper(trim(s)), tz)) END;
CREATE OR REPLACE TEMP MACRO obligo_ts_z(s) AS
  CASE WHEN s >= '0' AND s < ':' AND ends_with(s, 'Z') THEN
    CASE length(s) WHEN 20 THEN try_strptime(s, '%Y-%m-%dT%H:%M:%SZ')
                   WHEN 24 THEN try_strptime(s, '%Y-%m-%dT%H:%M:%S.%gZ')
                   WHEN 27 THEN try_strptime(s, '%Y-%m-%dT%H:%M:%S.%fZ') END END;
CREATE OR REPLACE TEMP MACRO obligo_utc(t) AS make_timestamptz(epoch_us(t));
CREATE OR REPLACE TEMP MACRO obligo_in_range(t) AS
  CASE WHEN t BETWEEN '{FIRST_INSTANT}'::TIMESTAMPTZ AND '{LAST_INSTANT}'::TIMESTAMPTZ THEN t END;
CREATE OR REPLACE TEMP MACRO obligo_gap(s, tz) AS
  obligo_tsfmt(upper(trim(s))) AND NOT obligo_offset(upper(trim(s)))
  AND TRY_CAST(upper(trim(s)) AS TIMESTAMP) IS NOT NULL
  AND obligo_local(TRY_CAST(upper(trim(s)) AS TIMESTAMP), tz) IS NULL;
"""
# obligo_ts tries the text as it is first: upper(trim(...)) costs as much as the rest together;
# and an aware timestamp as written (what logs hold) first of all. ends_with, not right(): it
# compares bytes, where right() counts characters (eight times slower on ten million rows).
# obligo_local: DuckDB's timezone(tz, local) moves a time in a daylight-saving gap forward and
# takes the second of two occurrences of a repeated time. A gap time does not come back from the
# round trip (NULL: rejected); for a repeated one, the time read with the offset in force a day
# earlier is the first occurrence when it exists.
# obligo_ts_z: the forms exporters write most (UTC, no, 3 or 6 fraction digits), three times
# cheaper than the pattern and the cast: strptime, which alone would take a field with fewer
# digits and skip whitespace around the text, here only where the text has no room for either
# (a length at which every field has its full digits, a digit first and the Z last). A text it
# reads is read alike by obligo_ts (tests/test_events_timestamps.py compares them); a NULL sends
# the text to obligo_ts. Its TIMESTAMP is UTC: obligo_utc makes it a TIMESTAMPTZ from its epoch
# microseconds (make_timestamptz: no time zone arithmetic; a cast converts from the session's
# time zone, and adding an interval to a TIMESTAMPTZ goes through ICU: 0.4 s per ten million).
# obligo_scale: the decimal places a number's text needs (trailing zeros not counted, an exponent
# applied): "20.000000000001" 12, "4e-10" 10, "1.50e1" 1. Plan.number reads it only for a text
# that may need more places than its field's scale (a point followed by more digits, an exponent).
# Numbers (Plan.number): DuckDB's decimal cast accepts what a number looks like (signs,
# exponents, spaces around it) and digit separators ("1_000"), which are refused. The narrow form
# stores 64 bits (DECIMAL(18, S)) when every value fits: the cast and the table cost less, and
# the `events` view widens it again. DuckDB's 64-bit decimal cast drops the digits after the 18th
# of a number with an exponent ("2573.059888045478958e5" loses its last digit), so a text that
# long is read wide and then narrowed (exact: the same scale); a shorter one has no digit to drop.

# A type text that read_json could have made from a JSON number (see Plan._no_type).
SCALAR_TYPE = r"-?[0-9][0-9.eE+-]*"
# NaN and the infinities as read_json gives them from a JSON number, as usually spelled.
LAX_WORDS = ("NaN", "nan", "NAN", "Infinity", "infinity", "INFINITY", "Inf", "inf", "INF")

JSON_NOT_JSON = 1
JSON_NOT_OBJECT = 2
JSON_DUPLICATE_KEY = 3

# What a strict typed scan (see Plan.typed_select) raises: a record that the exact path would
# reject, or a value of a field that the scan was told the input does not have.
STRICT_REJECTED = "obligo: a record to reject"
STRICT_UNEXPECTED = "obligo: a field the input was not expected to have"
STRICT_WIDE = "obligo: a number too large for the narrow type"

STRICT_SCALE = "obligo: a number with more decimal places than its field keeps"

# Numbers are DECIMAL(38, scale): a field's scale is 9 places unless the log's values need more
# (Plan.scales; the loader widens it and reads the inputs again), 38 digits in all at most.
DEFAULT_SCALE = 9
MAX_DIGITS = 38
LONG_MANTISSA = 38


class Params:
    """Numbered parameters: ``params(value)`` gives ``$n`` and remembers the value."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"


@dataclass
class Plan:
    schema: EventSchema
    timezone: str
    names: list[str] = field(init=False)
    kinds: list[FieldType] = field(init=False)
    scales: list[int] = field(init=False)
    floors: list[int] = field(init=False)
    sources: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.names = list(self.schema.fields)
        self.kinds = list(self.schema.fields.values())
        self.scales = [DEFAULT_SCALE for _ in self.names]
        # The places some value of the field is known to need: its scale never goes below.
        self.floors = [0 for _ in self.names]
        self.sources = self.schema.sources()
        folded: dict[str, str] = {}
        for source in self.sources:
            other = folded.setdefault(source.casefold(), source)
            if other != source:
                # DuckDB's JSON reader matches keys regardless of case: the two names would be
                # one column. An error a contract author can act on, not a crash.
                raise SchemaError(
                    f"the log fields `{other}` ({self._read_as(other)}) and `{source}` "
                    f"({self._read_as(source)}) differ only in case and cannot be read from "
                    f"one log",
                    hint=f"read one name for every record type (map `{source}` to "
                    f"{self._targets(source)[0]} without `in ... records`), or rename the field "
                    f"in the log",
                )

    def _targets(self, source: str) -> list[str]:
        """The fields read from the log's name ``source``."""
        names = [n for n in self.names if self.schema.source_of(n) == source]
        names += [m.field for m in self.schema.mappings if m.source == source]
        return list(dict.fromkeys(names)) or [source]

    def _read_as(self, source: str) -> str:
        where = [
            f"{m.field} in {m.record_type} records"
            for m in self.schema.mappings
            if m.source == source and m.record_type is not None
        ]
        general = [n for n in self.names if self.schema.source_of(n) == source]
        where += [f"{n} in every record" for n in general]
        return ", ".join(where) or "read"

    # ---------------------------------------------------------------------------- numbers
    def sql_of(self, i: int) -> str:
        """Field ``i``'s SQL type in ``events``: a number at its field's scale."""
        if self.kinds[i] is FieldType.NUMBER:
            return f"DECIMAL({MAX_DIGITS}, {self.scales[i]})"
        return self.kinds[i].sql

    def narrow_sql(self, i: int) -> str:
        """A strict scan's type for number field ``i`` while its values fit: 64-bit."""
        scale = self.scales[i]
        return f"DECIMAL(18, {scale})" if scale <= 17 else self.sql_of(i)

    def _more_places(self, i: int, text: str) -> str:
        """Whether ``text`` needs more decimal places than field ``i`` keeps: tested exactly
        (obligo_scale) only where the text has room for them (a cheap test on every value)."""
        scale = self.scales[i]
        room = (
            f"(contains({text}, 'e') OR contains({text}, 'E') OR "
            f"(strpos({text}, '.') > 0 AND strlen({text}) - strpos({text}, '.') > {scale}))"
        )
        return f"({room} AND obligo_scale({text}) > {scale})"

    def number(self, i: int, text: str, narrow: bool = False) -> str:
        """Field ``i``'s number from ``text``, null when it is not one or needs more places
        than the field's scale (never rounded). DuckDB's cast accepts digit separators
        ("1_000"): refused. Narrow: DuckDB's 64-bit cast drops the digits after the 18th of a
        number with an exponent, so a longer text is read wide first (the same scale)."""
        wide = f"TRY_CAST({text} AS {self.sql_of(i)})"
        if narrow:
            cast = (
                f"CASE WHEN strlen({text}) > 18 THEN TRY_CAST({wide} AS {self.narrow_sql(i)}) "
                f"ELSE TRY_CAST({text} AS {self.narrow_sql(i)}) END"
            )
        else:
            cast = wide
        # DuckDB's cast of an exponent form reads 38 characters of the mantissa at most (leading
        # zeros counted) and drops the others: refused, never rounded.
        long_mantissa = (
            f"((contains({text}, 'e') OR contains({text}, 'E')) AND strlen({text}) > 40 "
            f"AND strlen(obligo_mantissa(lower(trim({text})))) > {LONG_MANTISSA})"
        )
        # Most texts are short plain numbers: with no more characters than the field's places
        # and one, and no exponent, none can need more places or have a long mantissa, and the
        # tests below them are spared (a third of the typing of a number, measured).
        short = (
            f"strlen({text}) <= {self.scales[i] + 1} AND NOT contains({text}, 'e') "
            f"AND NOT contains({text}, 'E') AND NOT contains({text}, '_')"
        )
        return (
            f"CASE WHEN {short} THEN {cast} "
            f"WHEN contains({text}, '_') OR {self._more_places(i, text)} "
            f"OR {long_mantissa} THEN NULL ELSE {cast} END"
        )

    def scale_needed(self, i: int, text: str) -> str:
        """SQL: the places ``text`` needs beyond field ``i``'s scale, up to MAX_DIGITS (null
        when it needs none more, or more than can be kept: then it is rejected)."""
        return (
            f"CASE WHEN {self._more_places(i, text)} AND obligo_scale({text}) <= {MAX_DIGITS} "
            f"AND TRY_CAST({text} AS DOUBLE) IS NOT NULL THEN obligo_scale({text}) END"
        )

    @property
    def single_type(self) -> str | None:
        """The record type, when the contract reads one only. Every record kept then has it,
        so an input's table does not store ``type`` (ten million copies of one word cost half a
        second to write): the ``events`` view gives it (:meth:`column_list`)."""
        types = self.schema.record_types
        return next(iter(types)) if len(types) == 1 else None

    def feeds(self, source: str) -> list[int]:
        """The fields whose value may come from the log's column ``source``."""
        return [
            i
            for i, name in enumerate(self.names)
            if self.schema.source_of(name) == source
            or any(m.field == name and m.source == source for m in self.schema.mappings)
        ]

    def text_fields(self) -> list[int]:
        return [i for i, kind in enumerate(self.kinds) if kind is FieldType.TEXT]

    # ---------------------------------------------------------------------------- mapping
    def mapped(
        self,
        params: Params,
        source: Callable[[int], str],
        fields: list[int] | None = None,
        type_text: Callable[[int], str] | None = None,
    ) -> dict[int, str]:
        """For each field (or those given), the SQL of its value from the source columns; a
        per-record-type mapping tests the type's text, ``type_text`` (default: ``source``)."""
        index = {name: j for j, name in enumerate(self.sources)}
        type_source = (type_text or source)(index[self.schema.source_of("type")])
        exprs: dict[int, str] = {}
        for i in range(len(self.names)) if fields is None else fields:
            name = self.names[i]
            general = source(index[self.schema.source_of(name)])
            special = [
                (m.record_type, source(index[m.source]))
                for m in self.schema.mappings
                if m.field == name and m.record_type is not None
            ]
            if not special:
                exprs[i] = general
                continue
            whens = " ".join(f"WHEN {params(rt)} THEN {expr}" for rt, expr in special)
            exprs[i] = f"(CASE {type_source} {whens} ELSE {general} END)"
        return exprs

    def raw_select(
        self,
        params: Params,
        inner: str,
        *,
        nested: str,
    ) -> str:
        """The raw relation over ``inner`` (columns ``_line``, ``_jp``, ``_text``, ``s<j>``).

        ``nested``: ``"exact"`` (``inner`` has ``z<j>``, true for objects and arrays),
        ``"prefix"`` (a text starting with ``{`` or ``[`` may be one: the caller checks again;
        no ``n<i>`` column, :meth:`typed_select` with ``prefix`` tests the text where needed),
        ``"none"`` (CSV and Parquet cells are values), or ``"typed"`` (Parquet whose type
        column is not text: every type in it is a number or a boolean, a line to reject).
        ``"exact"`` also reads ``_scalar_type``: the record's type is a JSON number or boolean.
        """
        values = self.mapped(params, lambda j: f"s{j}")
        columns = ["_line", "_jp", "_text"]
        columns += [f"{expr} AS r{i}" for i, expr in values.items()]
        if nested == "exact":
            flags = self.mapped(
                params, lambda j: f"z{j}", self.text_fields(), type_text=lambda j: f"s{j}"
            )
        for i in self.text_fields():
            if nested == "exact":
                # The type: also when it is a JSON number or boolean (``_scalar_type``).
                scalar = " OR _scalar_type" if i == 0 else ""
                columns.append(f"coalesce({flags[i]}{scalar}, FALSE) AS n{i}")
            elif nested == "typed" and i == 0:
                columns.append("(r0 IS NOT NULL) AS n0")
            elif nested in ("none", "typed"):
                columns.append(f"FALSE AS n{i}")
        return f"SELECT {', '.join(columns)} FROM ({inner})"

    # ----------------------------------------------------------------------------- typing
    def _typed_inner(
        self,
        params: Params,
        raw: str,
        native: frozenset[int],
        absent: frozenset[int] = frozenset(),
        prefix: bool = False,
        narrow: bool = False,
    ) -> str:
        texts = self._timestamps_from_text(native | absent)
        tz = params(self.timezone) if texts else ""  # bound only when used
        if texts:
            # The common forms first, in a column of their own (CASE then reads each text once).
            quick = ", ".join(f"obligo_ts_z(r{i}) AS q{i}" for i in texts)
            raw = f"(SELECT *, {quick} FROM {raw})"
        columns = ["_line", "_jp", "_text"]
        columns += [f"r{i}" for i in range(len(self.names))]
        columns += [] if prefix else [f"n{i}" for i in self.text_fields()]
        columns += [f"q{i}" for i in texts]
        for i, kind in enumerate(self.kinds):
            if i in absent:
                # Null in every row (or the scan stops): nothing to parse.
                columns.append(f"NULL::{self.sql_of(i)} AS v{i}")
            elif i in native:
                # Already in a type of its kind (Parquet): no text to parse.
                number = narrow and kind is FieldType.NUMBER
                sql = self.narrow_sql(i) if number else self.sql_of(i)
                cast = f"TRY_CAST(r{i} AS {sql})"
                if kind is FieldType.TIMESTAMP:
                    cast = f"obligo_in_range({cast})"
                columns.append(f"{cast} AS v{i}")
            elif kind is FieldType.TEXT:
                columns.append(f"r{i} AS v{i}")
            elif kind is FieldType.NUMBER:
                columns.append(f"{self.number(i, f'r{i}', narrow)} AS v{i}")
            elif kind is FieldType.BOOLEAN:
                columns.append(f"obligo_bool(r{i}) AS v{i}")
            else:
                columns.append(
                    f"obligo_in_range(CASE WHEN q{i} IS NOT NULL THEN obligo_utc(q{i}) "
                    f"ELSE obligo_ts(r{i}, {tz}) END) AS v{i}"
                )
        types = params(sorted(self.schema.record_types))
        columns.append(f"coalesce(list_contains({types}::VARCHAR[], r0), FALSE) AS _used")
        if self.checks_lines:
            columns.append(f"{self.missing(params, lambda i: f'r{i}')} AS _missing")
        return f"SELECT {', '.join(columns)} FROM {raw}"

    @property
    def checks_lines(self) -> bool:
        """Whether a record type requires a field on every record (EventSchema.required)."""
        return any(rule.every for rule in self.schema.required)

    def missing(self, params: Params, value: Callable[[int], str], merged: bool = False) -> str:
        """Whether a record lacks a field its type requires (EventSchema.required), over the
        columns ``value(i)`` (``"type"`` from ``value(0)``). A record with an id may give its
        fields in parts: it is checked once merged (``merged``), not before."""
        by_type: dict[str, list[str]] = {}
        rules = [rule for rule in self.schema.required if rule.every]  # see Required.every
        for rule in rules:
            # A rule another implies (`time` or `start`, where `time` is required) adds nothing.
            if any(
                other.record_type == rule.record_type and set(other.fields) < set(rule.fields)
                for other in rules
            ):
                continue
            lacking = " AND ".join(
                f"{value(self.names.index(name))} IS NULL" for name in rule.fields
            )
            by_type.setdefault(rule.record_type, []).append(f"({lacking})")
        has_id = f"{value(1)} IS NOT NULL"
        if not merged and self.single_type is not None:
            # Tested on used records only (Plan._bad): of the one type the contract reads.
            tests = by_type.get(self.single_type, [])
            return f"(NOT {has_id} AND ({' OR '.join(tests) or 'FALSE'}))"
        whens = " ".join(
            f"WHEN {params(record_type)} THEN {' OR '.join(tests)}"
            for record_type, tests in sorted(by_type.items())
        )
        return (
            f"(CASE WHEN {'NOT ' if merged else ''}{has_id} THEN FALSE "
            f"ELSE CASE {value(0)} {whens} ELSE FALSE END END)"
        )

    def _timestamps_from_text(self, skipped: frozenset[int]) -> list[int]:
        """The timestamp fields read from text (not typed already, not absent): those that
        need the time zone, bound as a parameter only when there is one."""
        return [
            i for i, k in enumerate(self.kinds) if k is FieldType.TIMESTAMP and i not in skipped
        ]

    @staticmethod
    def _nested(i: int, prefix: bool) -> str:
        """Whether field ``i`` holds an object or an array: column ``n<i>``, or (``prefix``) a
        test of its text, written where it is used: inside a CASE branch it runs only on that
        branch's rows (the type's test, on every row, cost 0.3 s of CPU per ten million)."""
        if prefix:
            return f"coalesce(starts_with(r{i}, '{{') OR starts_with(r{i}, '['), FALSE)"
        return f"n{i}"

    @staticmethod
    def _lax_value(i: int) -> str:
        """Whether read_json's text of field ``i`` may be NaN or an infinity, which DuckDB's
        parser takes for numbers and JSON has not: the exact path decides (it may be a string).
        read_json gives the number's spelling: the usual ones are listed (a list is cheaper
        than a pattern on every text; an odd case such as "nAn" is left to docs/semantics.md)."""
        listed = ", ".join(f"'{sign}{word}'" for sign in ("", "-", "+") for word in LAX_WORDS)
        return f"(r{i} IN ({listed}))"

    def _problem(self, i: int, prefix: bool = False) -> str:
        if self.kinds[i] is FieldType.TEXT:
            if prefix:
                return f"({self._nested(i, prefix)} OR coalesce({self._lax_value(i)}, FALSE))"
            return self._nested(i, prefix)
        return f"(r{i} IS NOT NULL AND v{i} IS NULL)"

    def _order_problem(self) -> str:
        start, end = self.names.index("start"), self.names.index("end")
        return f"coalesce(v{end} < v{start}, FALSE)"

    def _no_type(self, prefix: bool = False) -> str:
        if prefix:
            # read_json gives a JSON number or boolean as its text (7 as "7"): a type that reads
            # like one may not be a JSON string, and the exact path decides.
            scalar = (
                f" OR r0 IN ('true', 'false') OR regexp_full_match(r0, '{SCALAR_TYPE}') "
                f"OR {self._lax_value(0)}"
            )
        else:
            scalar = ""
        return f"(r0 IS NULL OR trim(r0) = '' OR {self._nested(0, prefix)}{scalar})"

    def _bad(self, absent: frozenset[int] = frozenset(), prefix: bool = False) -> str:
        """Whether a row is to be rejected. A field in ``absent`` has no value in any row (or
        the strict scan stops first): it has no problem to test."""
        problems = [self._problem(i, prefix) for i in range(1, len(self.names)) if i not in absent]
        if not {self.names.index("start"), self.names.index("end")} & absent:
            problems.append(self._order_problem())
        if self.checks_lines:
            problems.append("_missing")
        # A used record has a type (a known name); only the others may lack one. CASE, unlike OR,
        # evaluates each branch only on its rows.
        return (
            f"(_jp IS NOT NULL OR CASE WHEN _used THEN ({' OR '.join(problems) or 'FALSE'})"
            f" ELSE {self._no_type(prefix)} END)"
        )

    def typed_select(
        self,
        params: Params,
        raw: str,
        native: frozenset[int] = frozenset(),
        absent: frozenset[int] = frozenset(),
        *,
        strict: bool = False,
        prefix: bool = False,
        narrow: bool = False,
        flagged: bool = False,
    ) -> str:
        """Rows of ``raw`` with each field in its type, and ``_used``, ``_bad``, ``_naive``.

        ``native``: the fields whose ``r<i>`` is already typed (not text), never naive.
        ``absent``: the fields the input has no column for, left out (all null: storing ten
        million nulls costs time and memory; the accepted view puts them back).

        ``strict`` (the optimistic fast path): no ``_line`` and no ``_bad`` column; instead the
        query stops with :data:`STRICT_REJECTED` at a row the exact path would reject, and with
        :data:`STRICT_UNEXPECTED` at a row that has a value for a field in ``absent`` (which is
        then a guess, from a sample of the input).

        ``prefix``: ``raw`` was made with ``nested="prefix"`` (no ``n<i>`` columns).

        ``narrow`` (strict only): numbers in 64 bits (:meth:`narrow_sql`); the query stops with
        :data:`STRICT_WIDE` at a valid number that does not fit.

        ``flagged`` (strict only): a row to reject does not stop the query; a ``_bad`` column
        says which (the exact path judges those rows again, see the loader's ``_recheck``)."""
        if (narrow or flagged) and not strict:
            raise ValueError("only a strict scan stores narrow numbers or flags its rows")
        inner = self._typed_inner(params, raw, native, absent, prefix, narrow)
        columns = [] if strict else ["_line"]
        stored = [i for i in range(len(self.names)) if i not in absent]
        if self.single_type is not None and 0 in stored:
            stored.remove(0)  # the type: the one the contract reads (see single_type)
            # Kept for the records not used only (mostly nulls: cheap), to name a near type.
            columns.append('CASE WHEN NOT _used THEN v0 END AS "type"')
        columns += [f"v{i} AS {quote_ident(self.names[i])}" for i in stored]
        if strict:
            unexpected = " OR ".join(f"r{i} IS NOT NULL" for i in sorted(absent)) or "FALSE"
            # A number the narrow type cannot hold but the wide one can (tested only where the
            # narrow reading failed).
            wide = " OR ".join(
                f"(r{i} IS NOT NULL AND v{i} IS NULL AND "
                + (
                    f"TRY_CAST(r{i} AS {self.sql_of(i)})"
                    if i in native
                    else self.number(i, f"r{i}")
                )
                + " IS NOT NULL)"
                for i, kind in enumerate(self.kinds)
                if narrow and kind is FieldType.NUMBER and i not in absent
            )
            # A number with more places than its field keeps (the loader widens the scale).
            places = " OR ".join(
                f"(r{i} IS NOT NULL AND v{i} IS NULL AND {self.scale_needed(i, f'r{i}')} "
                "IS NOT NULL)"
                for i, kind in enumerate(self.kinds)
                if kind is FieldType.NUMBER and i not in absent and i not in native
            )
            rejected = (
                ""
                if flagged
                else f"WHEN {self._bad(absent, prefix)} THEN error('{STRICT_REJECTED}') "
            )
            columns.append(
                f"CASE WHEN {unexpected} THEN error('{STRICT_UNEXPECTED}') "
                f"WHEN {places or 'FALSE'} THEN error('{STRICT_SCALE}') "
                f"WHEN {wide or 'FALSE'} THEN error('{STRICT_WIDE}') "
                f"{rejected}ELSE _used END AS _used"
            )
            if flagged:
                columns.append(f"{self._bad(absent, prefix)} AS _bad")
        else:
            columns.append("_used")
            columns.append(f"{self._bad(absent, prefix)} AS _bad")
        # A text read quickly ends with Z: the test of q first spares the others on most rows.
        # One byte a row when it can hold the count: ten million rows are written.
        texts = self._timestamps_from_text(native | absent)
        count = "UTINYINT" if len(texts) < 256 else "INTEGER"
        naive = [
            f"(q{i} IS NULL AND r{i} IS NOT NULL AND v{i} IS NOT NULL"
            f" AND NOT obligo_aware(r{i}))::{count}"
            for i in texts
        ]
        columns.append(f"({' + '.join(naive) or '0'})::{count} AS _naive")
        return f"SELECT {', '.join(columns)} FROM ({inner})"

    def detail_select(self, params: Params, raw: str, native: frozenset[int] = frozenset()) -> str:
        """The bad rows of ``raw`` with what is wrong with each field, in line order."""
        inner = self._typed_inner(params, raw, native)
        columns = ["_line", "_jp", "_text", f"{self._no_type()} AS _no_type", "_used"]
        columns.append("_missing" if self.checks_lines else "FALSE AS _missing")
        columns += [
            f"CAST(r{i} AS VARCHAR) AS r{i}" if i in native else f"r{i}"
            for i in range(len(self.names))
        ]
        columns += [f"{self._problem(i)} AS p{i}" for i in range(len(self.names))]
        texts = self._timestamps_from_text(native)
        tz = params(self.timezone) if texts else ""  # bound only when used
        for i in range(len(self.kinds)):
            if i in texts:
                columns.append(
                    f"(r{i} IS NOT NULL AND coalesce(obligo_gap(r{i}, {tz}), FALSE)) AS g{i}"
                )
            else:
                columns.append(f"FALSE AS g{i}")
        columns.append(f"{self._order_problem()} AS _order")
        return f"SELECT {', '.join(columns)} FROM ({inner}) WHERE {self._bad()} ORDER BY _line"

    # ---------------------------------------------------------------------------- events
    def column_defs(self) -> str:
        defs = [f"{quote_ident(name)} {self.sql_of(i)}" for i, name in enumerate(self.names)]
        return ", ".join([*defs, "_input INTEGER", "_line BIGINT"])

    def column_list(
        self,
        absent: frozenset[int] = frozenset(),
        narrow: bool = False,
        type_from: str = "",
        qualifier: str = "",
    ) -> str:
        """The fields as the ``events`` table has them; an absent field as a typed null, a
        narrow number (see :meth:`typed_select`) widened, the type from ``type_from`` if given
        (see :attr:`single_type`). ``qualifier`` (``alias.``) prefixes the columns read."""

        def column(i: int, name: str, kind: FieldType) -> str:
            read = qualifier + quote_ident(name)
            if i == 0 and type_from:
                return f"{type_from} AS {quote_ident(name)}"
            if i in absent:
                return f"NULL::{self.sql_of(i)} AS {quote_ident(name)}"
            if narrow and kind is FieldType.NUMBER:
                return f"CAST({read} AS {self.sql_of(i)}) AS {quote_ident(name)}"
            return f"{read} AS {quote_ident(name)}" if qualifier else read

        return ", ".join(
            column(i, name, kind)
            for i, (name, kind) in enumerate(zip(self.names, self.kinds, strict=True))
        )

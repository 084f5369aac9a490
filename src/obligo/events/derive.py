"""Derived fields: how a field of a record is made from the columns of an export.

A derivation is declarative (a sources file's ``[source.fields]`` table or a profile): a rename,
a constant, a time read in a stated form and zone, a duration in a stated unit, a time computed
from another plus a duration, a value looked up in a table. Each is compiled to one DuckDB
expression over columns with generated names (``c0``, ``c1``, ...) and bound parameters: no
column name, format, zone or value written by a user ever becomes SQL text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from obligo.model.units import SECONDS, canonical_unit

Value = str | int | Decimal | bool
TimeForm = str  # a strftime pattern, or one of EPOCH_FORMS / "iso"

EPOCH_FORMS: dict[str, Literal["s", "ms"]] = {
    "epoch seconds": "s",
    "epoch milliseconds": "ms",
}
ISO = "iso"


@dataclass(frozen=True)
class Derivation:
    """How the field ``target`` is made. ``column`` is the export's column it reads (None for
    a constant). Exactly one of the forms applies:

    * ``constant`` set: the field holds that value in every record;
    * ``time`` set: ``column`` holds a time in that form (strftime pattern, ``"epoch seconds"``,
      ``"epoch milliseconds"``, ``"iso"``), a local time in ``zone`` (default: the contract's);
      with ``plus`` set, the duration in that column (in ``unit``) is added to it;
    * ``duration`` set: ``column`` holds a number of ``duration`` units, converted to the unit
      the contract states for the field (``field F in UNIT``), seconds when it states none;
    * ``values`` set: ``column``'s text looked up in the table (a value not in it rejects the
      record);
    * none: a rename.
    """

    target: str
    column: str | None = None
    constant: Value | None = None
    time: TimeForm | None = None
    zone: str | None = None
    plus: str | None = None
    unit: str | None = None
    duration: str | None = None
    values: tuple[tuple[str, Value], ...] = ()
    # A profile's field: left out when the export lacks its columns and the contract does not
    # read it (a user's own fields are always required).
    optional: bool = False
    # Where it is written: a source ("source", a sources file or obligo.Source), a profile, or
    # the contract's `map` lines, which apply to every file of the log: a file without their
    # columns is read without them (its records then lack the field, which the loader says).
    origin: Literal["source", "profile", "contract"] = "source"

    @property
    def columns(self) -> tuple[str, ...]:
        """The export's columns it reads."""
        return tuple(c for c in (self.column, self.plus) if c is not None)

    @property
    def is_rename(self) -> bool:
        """Whether it only reads a column under another name."""
        return (
            self.column is not None
            and self.constant is None
            and self.time is None
            and self.duration is None
            and not self.values
        )

    @property
    def local(self) -> bool:
        """Whether it reads a local time (without an offset): such times are counted."""
        return self.time is not None and self.time not in EPOCH_FORMS and not _has_zone(self.time)


def _has_zone(form: str) -> bool:
    return "%z" in form or "%Z" in form


def unit_seconds(spelling: str) -> Decimal | None:
    unit = canonical_unit(spelling)
    return SECONDS.get(unit) if unit else None


@dataclass
class Compiled:
    """The SQL of one derivation: ``sql`` the field's text (NULL when absent or unreadable),
    ``failed`` TRUE where the columns hold a value that cannot be read, ``params`` bound in
    order (``?`` placeholders)."""

    sql: str
    failed: str
    params: list[object] = field(default_factory=list)


def compile_derivation(
    derivation: Derivation,
    column_of: Mapping[str, str],
    timezone: str,
    target_unit: str | None,
) -> Compiled:
    """The expressions of ``derivation``; ``column_of`` gives each export column's generated
    identifier (``c3``), ``timezone`` the zone of local times without a stated one,
    ``target_unit`` the unit the contract states for the field."""
    d = derivation
    if d.constant is not None:
        value = d.constant
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        return Compiled("CAST(? AS VARCHAR)", "FALSE", [text])
    assert d.column is not None
    col = column_of[d.column]
    present = f"(nullif(trim({col}), '') IS NOT NULL)"
    if d.time is not None:
        instant, params = _instant(col, d.time, d.zone or timezone)
        if d.plus is not None:
            amount = column_of[d.plus]
            per = unit_seconds(d.unit or "s")
            assert per is not None
            micros = f"CAST(round(TRY_CAST(trim({amount}) AS DECIMAL(38, 9)) * ?) AS BIGINT)"
            instant = f"({instant}) + to_microseconds({micros})"
            params = [*params, per * 1_000_000]
            present = f"({present} AND (nullif(trim({amount}), '') IS NOT NULL))"
        sql = f"strftime(({instant}), '%Y-%m-%dT%H:%M:%S.%fZ')"
        return Compiled(sql, f"({present} AND ({sql}) IS NULL)", params + params)
    if d.duration is not None:
        source = unit_seconds(d.duration)
        goal = unit_seconds(target_unit or "s")
        assert source is not None and goal is not None
        # Exact: the number in nanoseconds of its unit, as an integer, times the source unit's
        # milliseconds, divided by the goal unit's (9 places kept, the rest cut).
        nanos = f"CAST(TRY_CAST(trim({col}) AS DECIMAL(38, 9)) * 1000000000 AS HUGEINT)"
        scaled = f"CAST(({nanos} * ?) // ? AS DECIMAL(38, 0)) * 0.000000001"
        sql = f"CAST(CAST({scaled} AS DECIMAL(38, 9)) AS VARCHAR)"
        params = [int(source * 1000), int(goal * 1000)]
        return Compiled(sql, f"({present} AND ({sql}) IS NULL)", params + params)
    if d.values:
        cases = " ".join("WHEN ? THEN CAST(? AS VARCHAR)" for _ in d.values)
        params = []
        for key, value in d.values:
            shown = ("true" if value else "false") if isinstance(value, bool) else str(value)
            params += [key, shown]
        sql = f"CASE trim({col}) {cases} END"
        return Compiled(sql, f"({present} AND ({sql}) IS NULL)", params + params)
    return Compiled(f"nullif({col}, '')", "FALSE", [])


def _instant(col: str, form: str, zone: str) -> tuple[str, list[object]]:
    """A TIMESTAMPTZ expression for the time in ``col`` written in ``form``."""
    text = f"trim({col})"
    if form in EPOCH_FORMS:
        scale = 1_000_000 if EPOCH_FORMS[form] == "s" else 1_000
        micros = f"CAST(round(TRY_CAST({text} AS DECIMAL(38, 6)) * {scale}) AS BIGINT)"
        return f"make_timestamptz({micros})", []
    if form == ISO:
        return f"obligo_ts({text}, ?)", [zone]
    if _has_zone(form):
        return f"try_strptime({text}, ?)::TIMESTAMPTZ", [form]
    # A local time: the first of two occurrences in a repeated hour, none in a gap (as a log's
    # timestamps without an offset are read: obligo_local).
    return f"obligo_local(try_strptime({text}, ?)::TIMESTAMP, ?)", [form, zone]

"""Record filters compiled to SQL over the ``events`` table, with bound parameters.

:func:`compile_condition` turns a contract's ``where`` condition into a boolean SQL expression with
``?`` placeholders and the list of values to bind; no value from the contract is ever written into
the SQL text, and field names are always quoted identifiers.

Semantics (two-valued: every comparison is true or false, never unknown):

* A comparison with a field that is null (missing) is false, whatever the operator; only
  ``is missing`` is true for it. ``not (severity = 1)`` is therefore true for a record without a
  severity, while ``severity != 1`` is false for it.
* A literal is compared in the field's declared type (see :class:`~obligo.events.FieldType`).
  Numbers compare exactly as decimals; a percentage is its fraction (``5%`` is ``0.05``). Texts
  compare exactly (case-sensitive). A date compared with a timestamp field means the calendar day
  in the contract's timezone: ``opened = 2026-03-01`` holds for any instant of that local day,
  ``opened < 2026-03-01`` for instants before its first moment, ``opened <= 2026-03-01`` for
  instants before the next day.
* When the literal's kind differs from the field's type: a number (or percentage) against a text
  field compares the text read as a number (text that is not a number compares false); a text
  against a number, boolean or timestamp field is read as that type (``"5"``, ``"true"``,
  ``"2026-03-01T10:00:00Z"``); a boolean or a date against a text field compares with
  ``"true"``/``"false"`` or the ISO date. A literal that cannot be read in the field's type
  makes ``=`` and the orderings false and ``!=`` true for every record that has the field.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from obligo.events.schema import EventSchema, FieldType
from obligo.model.base import (
    Boolean,
    DateValue,
    Duration,
    LiteralValue,
    Money,
    Number,
    Percent,
    Text,
)
from obligo.model.conditions import (
    And,
    Compare,
    Condition,
    Lasting,
    Member,
    Not,
    Or,
    Presence,
    Selection,
)
from obligo.model.metrics import in_field_unit

NUMBER_SQL = "DECIMAL(38, 9)"

_NUMBER_TEXT = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")
_TIMESTAMP_TEXT = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?"
)


def quote_ident(name: str) -> str:
    """A SQL identifier for any name: double-quoted, with inner double quotes doubled."""
    if "\x00" in name:
        raise ValueError("a name cannot contain a NUL character")
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """A SQL string literal, single quotes doubled; only for text no parameter can carry."""
    if "\x00" in text:
        raise ValueError("a text cannot contain a NUL character")
    return "'" + text.replace("'", "''") + "'"


def compile_selection(
    selection: Selection, schema: EventSchema, *, timezone: str | None = None
) -> tuple[str, list[Any]]:
    """``"type" = ? AND (<where>)`` for a selection such as ``incident records where ...``."""
    where, params = compile_condition(selection.where, schema, timezone=timezone)
    return f'("type" = ? AND ({where}))', [selection.record_type, *params]


_TYPE_TEST = '("type" = ?'  # how compile_selection begins


def without_type_tests(sql: str, params: list[Any], record_type: str) -> tuple[str, list[Any]]:
    """``sql`` with each :func:`compile_selection` test ``("type" = ?`` of ``record_type`` made
    ``(TRUE``, for a query that reads only records of that type (ten million string comparisons
    less per aggregate). Other parameters keep their order."""
    pieces = sql.split("?")
    if len(pieces) != len(params) + 1:
        return sql, params  # a "?" in a literal: leave it all as it is
    out = [pieces[0]]
    kept: list[Any] = []
    for value, piece in zip(params, pieces[1:], strict=True):
        if out[-1].endswith(_TYPE_TEST[:-1]) and value == record_type:
            out[-1] = out[-1][: -len(_TYPE_TEST) + 1] + "(TRUE"
        else:
            out[-1] += "?"
            kept.append(value)
        out.append(piece)
    return "".join(out), kept


def compile_condition(
    condition: Condition | None, schema: EventSchema, *, timezone: str | None = None
) -> tuple[str, list[Any]]:
    """A boolean SQL expression over the ``events`` columns and the values for its ``?``.

    ``None`` (no condition) is ``TRUE``. ``timezone`` (default: the schema's) is where dates in
    the condition are read. Raises :class:`ValueError` for a field the schema does not have and
    for a duration or an amount of money compared with a field.
    """
    compiler = _Compiler(schema, ZoneInfo(timezone or schema.timezone))
    if condition is None:
        return "TRUE", []
    sql = compiler.condition(condition)
    return sql, compiler.params


class _Incompatible:
    """A literal that cannot be read in the field's type."""


_INCOMPATIBLE = _Incompatible()


class _Compiler:
    def __init__(self, schema: EventSchema, zone: ZoneInfo) -> None:
        self.schema = schema
        self.zone = zone
        self.params: list[Any] = []

    def bind(self, value: Any) -> str:
        self.params.append(value)
        return "?"

    def column(self, name: str) -> tuple[str, FieldType]:
        try:
            kind = self.schema.fields[name]
        except KeyError:
            raise ValueError(f"field {name!r} is not in the event schema") from None
        return quote_ident(name), kind

    def condition(self, node: Condition) -> str:
        if isinstance(node, Compare):
            return self.compare(node.field, node.op, node.value)
        if isinstance(node, Member):
            column, _ = self.column(node.field)
            atoms = [self.compare(node.field, "=", value) for value in node.values]
            anyof = " OR ".join(atoms) if atoms else "FALSE"
            if node.negated:
                return f"({column} IS NOT NULL AND NOT ({anyof}))"
            return f"({anyof})"
        if isinstance(node, Presence):
            column, _ = self.column(node.field)
            return f"({column} IS {'NOT ' if node.present else ''}NULL)"
        if isinstance(node, Not):
            return f"(NOT {self.condition(node.operand)})"
        if isinstance(node, Lasting):
            return self.lasting(node)
        if isinstance(node, And | Or):
            joiner = " AND " if isinstance(node, And) else " OR "
            parts = [self.condition(operand) for operand in node.operands]
            if not parts:
                return "TRUE" if isinstance(node, And) else "FALSE"
            return "(" + joiner.join(parts) + ")"
        raise TypeError(f"not a condition: {node!r}")

    def lasting(self, node: Lasting) -> str:
        """A record's length (``end`` - ``start``; a record still open: to the schema's
        ``now``, the end of what is evaluated) compared in whole microseconds, exactly."""
        seconds = node.length.seconds
        micros = None if seconds is None else Fraction(seconds) * 1_000_000
        if micros is None or micros.denominator != 1:
            raise ValueError(f"a record's length of {node.length} is not a whole microsecond")
        end = '"end"'
        if self.schema.now is not None:
            end = f'COALESCE("end", CAST({self.bind(self.schema.now)} AS TIMESTAMPTZ))'
        bound = self.bind(int(micros))
        return f'COALESCE(epoch_us({end}) - epoch_us("start") {node.op} CAST({bound} AS BIGINT), FALSE)'

    # -------------------------------------------------------------------------- comparisons
    def compare(self, name: str, op: str, literal: LiteralValue) -> str:
        column, kind = self.column(name)
        unit = self.schema.units.get(name)
        if isinstance(literal, Duration) and unit is not None and literal.seconds is not None:
            # A field with a stated unit (`field latency_ms in ms`): `> 1 s` compares with 1000.
            amount = in_field_unit(literal, unit)
            assert amount is not None  # a fixed length always converts
            if kind is FieldType.NUMBER and not _exact_decimal(amount):
                # 1 min on a field in hours is 1/60: compare field × 60 with 1, exactly.
                scaled = f"{column} * CAST({self.bind(str(amount.denominator))} AS {NUMBER_SQL})"
                bound = f"CAST({self.bind(str(amount.numerator))} AS {NUMBER_SQL})"
                return f"COALESCE({scaled} {op} {bound}, FALSE)"
            literal = Number(value=_decimal_of(amount), loc=literal.loc)
        if isinstance(literal, Duration | Money):
            raise ValueError(f"field {name!r} cannot be compared with {literal}")
        if kind is FieldType.TIMESTAMP and isinstance(literal, DateValue):
            return self.compare_day(column, op, literal.value)
        if kind is FieldType.TEXT and isinstance(literal, Number | Percent):
            number = _number_of(literal)
            cast = f"TRY_CAST({column} AS {NUMBER_SQL})"
            return f"COALESCE({cast} {op} CAST({self.bind(str(number))} AS {NUMBER_SQL}), FALSE)"
        value = self.convert(literal, kind)
        if isinstance(value, _Incompatible):
            return f"({column} IS NOT NULL)" if op == "!=" else "FALSE"
        return f"COALESCE({column} {op} {self.typed(value, kind)}, FALSE)"

    def typed(self, value: Any, kind: FieldType) -> str:
        if kind is FieldType.NUMBER:
            return f"CAST({self.bind(str(value))} AS {NUMBER_SQL})"
        if kind is FieldType.TIMESTAMP:
            return f"CAST({self.bind(value)} AS TIMESTAMPTZ)"
        if kind is FieldType.BOOLEAN:
            return f"CAST({self.bind(value)} AS BOOLEAN)"
        return f"CAST({self.bind(value)} AS VARCHAR)"

    def compare_day(self, column: str, op: str, day: dt.date) -> str:
        first = dt.datetime.combine(day, dt.time(0), tzinfo=self.zone)
        following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=self.zone)

        def instant(value: dt.datetime) -> str:
            return f"CAST({self.bind(value)} AS TIMESTAMPTZ)"

        if op in ("<", ">="):
            return f"COALESCE({column} {op} {instant(first)}, FALSE)"
        if op == "<=":
            return f"COALESCE({column} < {instant(following)}, FALSE)"
        if op == ">":
            return f"COALESCE({column} >= {instant(following)}, FALSE)"
        lo, hi = instant(first), instant(following)
        if op == "=":
            return f"COALESCE({column} >= {lo} AND {column} < {hi}, FALSE)"
        return f"COALESCE({column} < {lo} OR {column} >= {hi}, FALSE)"  # !=

    def convert(self, literal: LiteralValue, kind: FieldType) -> Any:
        if kind is FieldType.TEXT:
            if isinstance(literal, Text):
                return literal.value
            if isinstance(literal, Boolean):
                return "true" if literal.value else "false"
            if isinstance(literal, DateValue):
                return literal.value.isoformat()
            return _INCOMPATIBLE
        if kind is FieldType.NUMBER:
            if isinstance(literal, Number | Percent):
                return _number_of(literal)
            if isinstance(literal, Text) and _NUMBER_TEXT.fullmatch(literal.value):
                try:
                    return Decimal(literal.value.strip())
                except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                    return _INCOMPATIBLE
            return _INCOMPATIBLE
        if kind is FieldType.BOOLEAN:
            if isinstance(literal, Boolean):
                return literal.value
            if isinstance(literal, Text) and literal.value.strip().lower() in ("true", "false"):
                return literal.value.strip().lower() == "true"
            return _INCOMPATIBLE
        # TIMESTAMP (dates are handled by compare_day)
        if isinstance(literal, Text):
            return self.parse_instant(literal.value)
        return _INCOMPATIBLE

    def parse_instant(self, text: str) -> Any:
        if not _TIMESTAMP_TEXT.fullmatch(text.strip()):
            return _INCOMPATIBLE
        cleaned = text.strip().upper().replace(" ", "T")
        try:
            instant = dt.datetime.fromisoformat(cleaned)
        except ValueError:
            return _INCOMPATIBLE
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=self.zone)
        return instant


def _exact_decimal(number: Fraction) -> bool:
    """Whether a fraction is a finite decimal (its denominator has no factor but 2 and 5)."""
    denominator = number.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    return denominator == 1


def _decimal_of(number: Fraction) -> Decimal:
    """A fraction as a decimal: exact for a finite decimal, else to Decimal's precision."""
    return Decimal(number.numerator) / Decimal(number.denominator)


def _number_of(literal: Number | Percent) -> Decimal:
    if isinstance(literal, Percent):
        return literal.value / Decimal(100)
    return literal.value

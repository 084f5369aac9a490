"""Filters compiled to SQL: semantics on a small table, and values or names that try to inject."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest

from obligo.events import (
    EventLog,
    EventSchema,
    FieldType,
    compile_condition,
    compile_selection,
    quote_ident,
)
from obligo.model.base import Boolean, DateValue, Duration, LiteralValue, Number, Percent, Text
from obligo.model.conditions import (
    And,
    Compare,
    Condition,
    Member,
    Not,
    Or,
    Presence,
    Selection,
)

SCHEMA = EventSchema(
    fields={
        "severity": FieldType.NUMBER,
        "service": FieldType.TEXT,
        "code": FieldType.TEXT,
        "ok": FieldType.BOOLEAN,
        "opened": FieldType.TIMESTAMP,
        "rate": FieldType.NUMBER,
        'we"ird': FieldType.TEXT,
    },
    record_types=frozenset({"incident", "probe", "x'); DROP TABLE events; --"}),
    timezone="Europe/Berlin",
)

RECORDS: list[dict[str, Any]] = [
    {"type": "incident", "id": "a", "severity": 1, "service": "api", "code": "503",
     "opened": "2026-03-01T00:30:00+01:00", "rate": 0.05},
    {"type": "incident", "id": "b", "severity": 2, "service": "web", "code": "ok",
     "opened": "2026-02-28T23:30:00Z", "rate": 0.2},
    {"type": "incident", "id": "c", "severity": 3, "code": "1000",
     "opened": "2026-03-02T00:00:00+01:00"},
    {"type": "probe", "id": "d", "ok": True, "service": "api", 'we"ird': "yes"},
    {"type": "probe", "id": "e", "ok": False, "service": "x' OR '1'='1"},
    {"type": "probe", "id": "f"},
    {"type": "x'); DROP TABLE events; --", "id": "g"},
]  # fmt: skip


@pytest.fixture(scope="module")
def log() -> Iterator[EventLog]:
    with EventLog.load([RECORDS], SCHEMA, ZoneInfo("Europe/Berlin")) as loaded:
        yield loaded


def ids(log: EventLog, condition: Condition | None) -> list[str]:
    sql, params = compile_condition(condition, SCHEMA)
    assert "?" not in sql or params
    rows = log.connection.execute(
        f'SELECT "id" FROM events WHERE {sql} ORDER BY "id"', params
    ).fetchall()
    return [row[0] for row in rows]


def num(value: str) -> Number:
    return Number(value=Decimal(value))


def cmp(field: str, op: Any, value: LiteralValue) -> Compare:
    return Compare(field=field, op=op, value=value)


def test_no_condition(log: EventLog) -> None:
    assert ids(log, None) == list("abcdefg")


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (cmp("severity", "=", num("1")), "a"),
        (cmp("severity", "!=", num("1")), "bc"),  # null compares false
        (cmp("severity", "<", num("2")), "a"),
        (cmp("severity", "<=", num("2")), "ab"),
        (cmp("severity", ">", num("2")), "c"),
        (cmp("severity", ">=", num("2.0")), "bc"),
        (cmp("rate", ">", Percent(value=Decimal("10"))), "b"),  # 10% is 0.1
        (cmp("rate", "=", Percent(value=Decimal("5"))), "a"),
        (cmp("service", "=", Text(value="api")), "ad"),
        (cmp("service", "!=", Text(value="api")), "be"),
        (cmp("service", "<", Text(value="b")), "ad"),
        (cmp("ok", "=", Boolean(value=False)), "e"),
        (cmp("ok", "!=", Boolean(value=False)), "d"),
        (cmp("ok", "=", Text(value="true")), "d"),
        # a number against a text field compares the text as a number
        (cmp("code", ">=", num("500")), "ac"),
        (cmp("code", "=", num("503")), "a"),
        (cmp("code", "!=", num("503")), "c"),
        # a text against a number field is read as a number; one that is not a number matches
        # nothing, except with !=
        (cmp("severity", "=", Text(value="2")), "b"),
        (cmp("severity", "=", Text(value="high")), ""),
        (cmp("severity", "!=", Text(value="high")), "abc"),
        (cmp("severity", "<", Boolean(value=True)), ""),
        (cmp("code", "=", Boolean(value=True)), ""),
        # dates compare with the local (Berlin) calendar day
        (cmp("opened", "=", DateValue(value=dt.date(2026, 3, 1))), "ab"),
        (cmp("opened", "!=", DateValue(value=dt.date(2026, 3, 1))), "c"),
        (cmp("opened", "<", DateValue(value=dt.date(2026, 3, 1))), ""),
        (cmp("opened", "<=", DateValue(value=dt.date(2026, 3, 1))), "ab"),
        (cmp("opened", ">", DateValue(value=dt.date(2026, 3, 1))), "c"),
        (cmp("opened", ">=", DateValue(value=dt.date(2026, 3, 2))), "c"),
        (cmp("opened", "<", Text(value="2026-03-01T00:00:00Z")), "ab"),
        (cmp("opened", "=", Text(value="2026-03-01T00:30:00")), "ab"),  # naive: Berlin
        (cmp("opened", "=", Text(value="soon")), ""),
        (Member(field="severity", values=(num("1"), num("3"))), "ac"),
        (Member(field="severity", values=(num("1"), num("3")), negated=True), "b"),
        (Member(field="service", values=(Text(value="api"), Text(value="db"))), "ad"),
        (Member(field="service", values=(Text(value="api"),), negated=True), "be"),
        (Member(field="code", values=(num("503"), Text(value="ok"))), "ab"),
        (Member(field="severity", values=()), ""),
        (Presence(field="service", present=False), "cfg"),
        (Presence(field="service", present=True), "abde"),
        (Not(operand=cmp("severity", "=", num("1"))), "bcdefg"),  # two-valued: null is not 1
        (And(operands=(cmp("severity", ">", num("1")), cmp("service", "=", Text(value="web")))), "b"),
        (Or(operands=(cmp("severity", "=", num("3")), cmp("ok", "=", Boolean(value=True)))), "cd"),
        (cmp('we"ird', "=", Text(value="yes")), "d"),
    ],
)  # fmt: skip
def test_semantics(log: EventLog, condition: Condition, expected: str) -> None:
    assert ids(log, condition) == list(expected)


def test_selection(log: EventLog) -> None:
    selection = Selection(record_type="probe", where=cmp("service", "=", Text(value="api")))
    sql, params = compile_selection(selection, SCHEMA)
    assert params[0] == "probe"
    rows = log.connection.execute(f'SELECT "id" FROM events WHERE {sql}', params).fetchall()
    assert rows == [("d",)]
    sql, params = compile_selection(Selection(record_type="probe"), SCHEMA)
    found = log.connection.execute(f'SELECT "id" FROM events WHERE {sql} ORDER BY 1', params)
    assert found.fetchall() == [("d",), ("e",), ("f",)]


def test_injection_is_inert(log: EventLog) -> None:
    hostile = "x' OR '1'='1"
    assert ids(log, cmp("service", "=", Text(value=hostile))) == ["e"]
    assert ids(log, cmp("service", "=", Text(value="'; DROP TABLE events; --"))) == []
    selection = Selection(record_type="x'); DROP TABLE events; --")
    sql, params = compile_selection(selection, SCHEMA)
    assert "DROP" not in sql
    assert log.connection.execute(f"SELECT id FROM events WHERE {sql}", params).fetchall() == [
        ("g",)
    ]
    assert log.connection.execute("SELECT count(*) FROM events").fetchall() == [(7,)]


def test_hostile_field_names(tmp_path: Any) -> None:
    name = 'a" = "a" OR "1'
    schema = EventSchema(fields={name: FieldType.TEXT}, record_types=frozenset({"t"}))
    records = [{"type": "t", name: "v"}, {"type": "t"}]
    with EventLog.load([records], schema, ZoneInfo("UTC")) as loaded:
        sql, params = compile_condition(Presence(field=name, present=True), schema)
        assert quote_ident(name) in sql
        rows = loaded.connection.execute(
            f"SELECT {quote_ident(name)} FROM events WHERE {sql}", params
        )
        assert rows.fetchall() == [("v",)]


def test_errors() -> None:
    with pytest.raises(ValueError, match="not in the event schema"):
        compile_condition(cmp("nope", "=", num("1")), SCHEMA)
    with pytest.raises(ValueError, match="cannot be compared"):
        compile_condition(cmp("severity", ">", Duration(amount=Decimal(5), unit="minutes")), SCHEMA)
    with pytest.raises(ValueError):
        quote_ident("a\x00b")


def test_without_type_tests_drops_only_that_types_tests() -> None:
    from obligo.events.sql import without_type_tests

    schema = EventSchema(fields={"status": FieldType.NUMBER}, record_types=frozenset({"request"}))
    failed, failed_params = compile_selection(
        Selection(
            record_type="request",
            where=Compare(field="status", op=">=", value=Number(value=Decimal(500))),
        ),
        schema,
    )
    probe, probe_params = compile_selection(Selection(record_type="probe"), schema)
    sql = f"count(*) FILTER (WHERE {failed}), count(*) FILTER (WHERE {probe})"
    lean, params = without_type_tests(sql, [*failed_params, *probe_params], "request")
    assert lean.count('"type" = ?') == 1  # the probe's test stays
    assert params == [*failed_params[1:], "probe"]
    con = duckdb.connect()
    rows = "(VALUES ('request', 503::DECIMAL(38, 9)), ('request', 200), ('probe', 503)) t(type, status)"
    full = con.execute(
        f"SELECT {sql} FROM {rows} WHERE type = 'request'", [*failed_params, *probe_params]
    ).fetchall()
    assert (
        con.execute(f"SELECT {lean} FROM {rows} WHERE type = 'request'", params).fetchall() == full
    )
    # A "?" that is not a parameter: left as it is.
    assert without_type_tests("'?' = ?", ["x"], "x") == ("'?' = ?", ["x"])

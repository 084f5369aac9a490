"""An event log restricted to one customer: its records, and the records of every customer."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from obligo.events import EventLog, EventSchema, FieldType

SCHEMA = EventSchema(
    fields={"customer": FieldType.TEXT, "status": FieldType.NUMBER},
    record_types=frozenset({"request", "incident"}),
)
TRICKY = "o'hare\"; DROP TABLE events; --"
RECORDS = [
    {"type": "request", "customer": "globex", "time": "2026-03-01T00:00:00Z", "status": 200},
    {"type": "request", "customer": "initech", "time": "2026-03-01T00:00:01Z", "status": 503},
    {"type": "request", "customer": TRICKY, "time": "2026-03-01T00:00:02Z", "status": 200},
    {"type": "incident", "start": "2026-03-01T00:00:00Z", "end": "2026-03-01T00:10:00Z"},
]


def rows(log: EventLog) -> list[tuple[str, str | None]]:
    return log.connection.execute('SELECT "type", customer FROM events ORDER BY _line').fetchall()


def test_restrict_keeps_the_customer_and_the_shared_records(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    with EventLog.load([path], SCHEMA, ZoneInfo("UTC")) as log:
        assert log.values_of("customer") == ["globex", "initech", TRICKY]
        log.restrict({"customer": "initech"})
        assert rows(log) == [("request", "initech"), ("incident", None)]
        # A value that would break SQL if it were pasted in is only ever bound.
        log.restrict({"customer": TRICKY})
        assert rows(log) == [("request", TRICKY), ("incident", None)]
        assert log.values_of("customer") == ["globex", "initech", TRICKY]
        log.unrestricted()
        assert len(rows(log)) == 4


def test_restrict_on_two_fields(tmp_path: Path) -> None:
    schema = EventSchema(
        fields={"customer": FieldType.TEXT, "service": FieldType.TEXT},
        record_types=frozenset({"incident"}),
    )
    records = [
        {"type": "incident", "id": "1", "customer": "globex", "service": "db"},
        {"type": "incident", "id": "2", "customer": "globex", "service": "erp"},
        {"type": "incident", "id": "3", "customer": "initech", "service": "db"},
        {"type": "incident", "id": "4", "service": "db"},
        {"type": "incident", "id": "5"},
    ]
    path = tmp_path / "log.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with EventLog.load([path], schema, ZoneInfo("UTC")) as log:
        log.restrict({"customer": "globex", "service": "db"})
        ids = log.connection.execute('SELECT "id" FROM events ORDER BY "id"').fetchall()
        assert [i for (i,) in ids] == ["1", "4", "5"]


def test_restrict_to_an_unknown_field_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(json.dumps(RECORDS[0]) + "\n", encoding="utf-8")
    with EventLog.load([path], SCHEMA, ZoneInfo("UTC")) as log, pytest.raises(ValueError):
        log.restrict({"region": "eu"})


def test_restrict_after_records_were_merged(tmp_path: Path) -> None:
    # Merging builds `events` as a table rather than a view: restricting works on either.
    schema = EventSchema(fields={"customer": FieldType.TEXT}, record_types=frozenset({"incident"}))
    records = [
        {"type": "incident", "id": "1", "customer": "globex"},
        {"type": "incident", "id": "1", "start": "2026-03-01T00:00:00Z"},
        {"type": "incident", "id": "2", "customer": "initech"},
    ]
    path = tmp_path / "log.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with EventLog.load([path], schema, ZoneInfo("UTC")) as log:
        assert log.merges == 1
        log.restrict({"customer": "globex"})
        rows = log.connection.execute('SELECT "id", customer, "start" IS NOT NULL FROM events')
        assert rows.fetchall() == [("1", "globex", True)]

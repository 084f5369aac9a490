"""Records of one type with the same id merge field by field, whatever their order."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from obligo.events import EventLog, EventRejectedError, EventSchema, FieldType

UTC = dt.UTC
SCHEMA = EventSchema(
    fields={
        "severity": FieldType.NUMBER,
        "cause": FieldType.TEXT,
        "priority": FieldType.TEXT,
        "opened": FieldType.TIMESTAMP,
        "resolved": FieldType.TIMESTAMP,
    },
    record_types=frozenset({"incident", "ticket"}),
)


def write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def load(inputs: list[Any], **options: Any) -> EventLog:
    return EventLog.load(inputs, SCHEMA, ZoneInfo("UTC"), **options)


def events(log: EventLog) -> list[tuple[Any, ...]]:
    return log.connection.execute(
        'SELECT "type", "id", severity, cause, priority, "start", "end", updated, _input, _line '
        'FROM events ORDER BY "type", "id" NULLS FIRST, _input, _line'
    ).fetchall()


def at(hour: int, minute: int = 0) -> str:
    return f"2026-03-04T{hour:02d}:{minute:02d}:00Z"


def instant(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, 4, hour, minute, tzinfo=UTC)


def test_a_value_beats_a_missing_one(tmp_path: Path) -> None:
    path = write(
        tmp_path / "log.jsonl",
        [
            {"type": "incident", "id": "INC-1", "start": at(10), "severity": 2},
            {"type": "incident", "id": "INC-1", "end": at(11), "severity": None, "cause": "x"},
            {"type": "ticket", "id": "INC-1", "priority": "P1"},  # another type: not merged
            {"type": "incident", "id": "INC-2", "start": at(9)},
            {"type": "incident", "start": at(8)},  # no id: never merged
            {"type": "incident", "start": at(8)},
        ],
    )
    with load([path]) as log:
        assert log.merges == 1
        assert events(log) == [
            ("incident", None, None, None, None, instant(8), None, None, 0, 5),
            ("incident", None, None, None, None, instant(8), None, None, 0, 6),
            ("incident", "INC-1", Decimal(2), "x", None, instant(10), instant(11), None, 0, 1),
            ("incident", "INC-2", None, None, None, instant(9), None, None, 0, 4),
            ("ticket", "INC-1", None, None, "P1", None, None, None, 0, 3),
        ]
        assert log.inputs[0].records == 6


def test_the_later_update_wins(tmp_path: Path) -> None:
    records: list[dict[str, Any]] = [
        {"type": "incident", "id": "I", "severity": 1, "end": at(11), "updated": at(12)},
        {"type": "incident", "id": "I", "severity": 2, "cause": "a", "updated": at(13)},
        {"type": "incident", "id": "I", "severity": 3, "cause": "b", "updated": at(12, 30)},
        {"type": "incident", "id": "I", "start": at(10)},  # no updated, but nothing to disagree on
    ]
    with load([write(tmp_path / "a.jsonl", records)]) as log:
        assert log.merges == 3
        assert events(log) == [
            ("incident", "I", Decimal(2), "a", None, instant(10), instant(11), instant(13), 0, 1)
        ]


def test_equal_values_do_not_conflict(tmp_path: Path) -> None:
    records = [
        {"type": "incident", "id": "I", "severity": 1, "start": "2026-03-04T11:00:00+01:00"},
        {"type": "incident", "id": "I", "severity": 1.0, "start": at(10)},
    ]
    with load([write(tmp_path / "a.jsonl", records)]) as log:
        assert log.merges == 1
        assert len(events(log)) == 1


def test_a_conflict_names_both_lines(tmp_path: Path) -> None:
    first = write(
        tmp_path / "a.jsonl",
        [
            {"type": "incident", "id": "I", "severity": 1},
            {"type": "incident", "id": "J", "severity": 1},
        ],
    )
    second = write(
        tmp_path / "b.jsonl",
        [
            {"type": "incident", "id": "K", "severity": 1},
            {"type": "incident", "id": "I", "severity": 2},
        ],
    )
    with pytest.raises(EventRejectedError) as caught:
        load([first, second])
    reason = (
        f'incident record "I": the records at {first}:1 and {second}:2 disagree on `severity` '
        "(1 and 2) and no later `updated` decides"
    )
    assert [(r.file, r.line, r.reason) for r in caught.value.rejections] == [
        (str(first), 1, reason),
        (str(second), 2, reason),
    ]
    with load([first, second], skip_invalid=True) as log:
        assert [row[1] for row in events(log)] == ["J", "K"]
        assert log.merges == 0
        assert [(a.records, a.rejected) for a in log.inputs] == [(1, 1), (1, 1)]


def test_a_conflict_after_blank_lines_names_physical_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    first = json.dumps({"type": "incident", "id": "I", "severity": 1})
    second = json.dumps({"type": "incident", "id": "I", "severity": 2})
    other = json.dumps({"type": "incident", "id": "J", "severity": 1})
    path.write_text(f"\n{other}\n  \n{first}\n\r\n\n{second}\n", encoding="utf-8")
    with pytest.raises(EventRejectedError) as caught:
        load([path])
    assert [r.line for r in caught.value.rejections] == [4, 7]
    assert f"{path}:4 and {path}:7 disagree" in caught.value.rejections[0].reason


def test_a_conflict_from_standard_input_names_physical_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = json.dumps({"type": "incident", "id": "I", "severity": 1})
    second = json.dumps({"type": "incident", "id": "I", "severity": 2})
    stdin = io.TextIOWrapper(io.BytesIO(f"{first}\n\n\n{second}\n".encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    with pytest.raises(EventRejectedError) as caught:
        load(["-"])
    assert [r.line for r in caught.value.rejections] == [1, 4]


def test_a_record_without_updated_may_be_the_latest(tmp_path: Path) -> None:
    records = [
        {"type": "incident", "id": "I", "severity": 1, "updated": at(12)},
        {"type": "incident", "id": "I", "severity": 2},
    ]
    with pytest.raises(EventRejectedError, match="disagree on `severity`"):
        load([write(tmp_path / "a.jsonl", records)])
    # ... but when it agrees with the latest, the earlier value is overruled all the same.
    records = [
        {"type": "incident", "id": "I", "severity": 1, "updated": at(11)},
        {"type": "incident", "id": "I", "severity": 2, "updated": at(12)},
        {"type": "incident", "id": "I", "severity": 2},
    ]
    with load([write(tmp_path / "b.jsonl", records)]) as log:
        assert events(log)[0][2] == Decimal(2)


def test_tied_updates_conflict(tmp_path: Path) -> None:
    records = [
        {"type": "incident", "id": "I", "cause": "a", "updated": at(12)},
        {"type": "incident", "id": "I", "cause": "b", "updated": at(12)},
        {"type": "incident", "id": "I", "cause": "c", "updated": at(11)},
    ]
    with pytest.raises(EventRejectedError) as caught:
        load([write(tmp_path / "a.jsonl", records)])
    assert [r.line for r in caught.value.rejections] == [1, 2, 3]
    assert ":1 and " in caught.value.rejections[0].reason
    assert '("a" and "b")' in caught.value.rejections[0].reason


def test_merged_record_ending_before_it_starts(tmp_path: Path) -> None:
    records = [
        {"type": "incident", "id": "I", "start": at(12)},
        {"type": "incident", "id": "I", "end": at(11)},
    ]
    path = write(tmp_path / "a.jsonl", records)
    with pytest.raises(EventRejectedError) as caught:
        load([path])
    assert caught.value.rejections[0].reason == (
        f'incident record "I": merged, it ends before it starts (`start` from {path}:1, '
        f"`end` from {path}:2)"
    )


def test_merging_does_not_depend_on_order(tmp_path: Path) -> None:
    records = [
        {"type": "ticket", "id": "T", "priority": "P2", "updated": at(9)},
        {"type": "ticket", "id": "T", "priority": "P1", "updated": at(10), "opened": at(8)},
        {"type": "ticket", "id": "T", "resolved": at(11)},
        {"type": "ticket", "id": "U", "priority": "P3"},
    ]
    results = []
    for order in ([0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2]):
        path = write(tmp_path / f"log-{order[0]}.jsonl", [records[i] for i in order])
        with load([path]) as log:
            results.append(
                log.connection.execute(
                    'SELECT "id", priority, opened, resolved, updated FROM events ORDER BY "id"'
                ).fetchall()
            )
            assert log.merges == 2
    assert results[0] == results[1] == results[2]
    assert results[0][0] == ("T", "P1", instant(8), instant(11), instant(10))


def test_a_conflict_in_a_large_parquet_file_names_its_rows(tmp_path: Path) -> None:
    # Clean Parquet is read without a row-number column: rows land in file order (two
    # threads), and a message numbers them from there.
    import duckdb

    source = write(
        tmp_path / "log.jsonl",
        [{"type": "incident", "id": f"R{n}", "severity": 1} for n in range(200_000)]
        + [{"type": "incident", "id": "R7", "severity": 2}],
    )
    path = tmp_path / "log.parquet"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT * FROM read_json(?, format='newline_delimited')) TO ? "
        "(FORMAT parquet, ROW_GROUP_SIZE 10000)",
        [str(source), str(path)],
    )
    con.close()
    with pytest.raises(EventRejectedError) as caught:
        EventLog.load([path], SCHEMA, ZoneInfo("UTC"), threads=2)
    assert [r.line for r in caught.value.rejections] == [8, 200_001]


def test_a_contract_of_one_record_type(tmp_path: Path) -> None:
    # The inputs' tables do not store the type then (every record kept has it); `events` has
    # it all the same, on every path, with merging, and beside fields of any name.
    schema = EventSchema(
        fields={"t": FieldType.NUMBER, "_obligo_type": FieldType.TEXT},
        record_types=frozenset({"incident"}),
    )
    fast = write(
        tmp_path / "a.jsonl",
        [
            {"type": "incident", "id": "INC-1", "start": at(10), "t": 1, "_obligo_type": "x"},
            {"type": "probe", "id": "INC-1", "time": at(10), "t": 9},
            {"type": "incident", "id": "INC-1", "end": at(11)},
        ],
    )
    slow = tmp_path / "b.jsonl"
    slow.write_text('{"type":"incident","t":2}\n{"type":"incident","t":"x"}\n', encoding="utf-8")
    csv_path = tmp_path / "c.csv"
    csv_path.write_text("type,t\nincident,3\nprobe,4\n", encoding="utf-8")
    with EventLog.load([fast, slow, csv_path], schema, ZoneInfo("UTC"), skip_invalid=True) as log:
        assert [a.fast_path for a in log.inputs] == [True, False, True]
        assert log.merges == 1
        assert log.connection.execute(
            'SELECT "type", "id", t, "_obligo_type", "start", "end", _input, _line '
            "FROM events ORDER BY _input, _line"
        ).fetchall() == [
            ("incident", "INC-1", Decimal(1), "x", instant(10), instant(11), 0, 1),
            ("incident", None, Decimal(2), None, None, None, 1, 1),
            ("incident", None, Decimal(3), None, None, None, 2, 2),
        ]
        assert [(a.records, a.unused, a.rejected) for a in log.inputs] == [
            (2, 1, 0),
            (1, 0, 1),
            (1, 1, 0),
        ]


def test_a_contract_of_one_record_type_and_inputs_without_a_type(tmp_path: Path) -> None:
    # An input with no `type` column (a header-only export, records without the key) has no
    # record to keep; it must not stop the load.
    schema = EventSchema(fields={"t": FieldType.NUMBER}, record_types=frozenset({"incident"}))
    empty = tmp_path / "empty.csv"
    empty.write_text("id,t\n", encoding="utf-8")
    fine = write(tmp_path / "a.jsonl", [{"type": "incident", "t": 1}])
    with EventLog.load(
        [fine, empty, [{"id": "A"}]], schema, ZoneInfo("UTC"), skip_invalid=True
    ) as log:
        assert [(a.records, a.rejected) for a in log.inputs] == [(1, 0), (0, 0), (0, 1)]
        assert log.connection.execute('SELECT "type", t FROM events').fetchall() == [
            ("incident", Decimal(1))
        ]
        assert [r.reason for r in log.rejections] == ["record without `type`"]


@pytest.mark.parametrize("name", ["_used", "_bad", "_naive", "rowid", "ROWID", "_input"])
def test_the_loader_s_own_column_names_are_not_fields(name: str) -> None:
    with pytest.raises(ValueError, match="reserved"):
        EventSchema(fields={name: FieldType.NUMBER}, record_types=frozenset({"incident"}))

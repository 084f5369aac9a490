"""Every input format gives the same ``events`` rows: JSON Lines, CSV, their gzip forms, Parquet,
standard input, open files and iterables of records."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest

from obligo.errors import EventDataError
from obligo.events import EventLog, EventSchema, FieldType
from obligo.events.schema import FieldSource

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC

SCHEMA = EventSchema(
    fields={
        "service": FieldType.TEXT,
        "severity": FieldType.NUMBER,
        "latency_ms": FieldType.NUMBER,
        "ok": FieldType.BOOLEAN,
        "opened": FieldType.TIMESTAMP,
        "cause": FieldType.TEXT,
    },
    record_types=frozenset({"incident", "probe", "request", "ticket"}),
)

RECORDS: list[dict[str, Any]] = [
    {
        "type": "incident",
        "id": "INC-17",
        "service": "api",
        "severity": 1,
        "start": "2026-03-04T10:02:00Z",
        "end": "2026-03-04T10:49:30.123456Z",
        "cause": "provider",
    },
    {"type": "probe", "service": "api", "time": "2026-03-04T11:03:00+01:00", "ok": False},
    {"type": "probe", "service": "web", "time": "2026-03-04T10:04:00Z", "ok": True},
    {
        "type": "request",
        "service": "api",
        "time": "2026-03-04T10:03:00.120Z",
        "latency_ms": 812.5,
    },
    {"type": "ticket", "id": "T-2291", "opened": "2026-03-04T10:05:00"},  # naive: Berlin time
    {"type": "maintenance", "service": "api", "start": "2026-03-10T01:00:00Z"},  # unused type
    {"type": "incident", "id": "INC-18", "service": "db", "severity": 2.5, "cause": 'it\'s "x"'},
]

EXPECTED = sorted(
    [
        (
            "incident",
            "INC-17",
            None,
            dt.datetime(2026, 3, 4, 10, 2, tzinfo=UTC),
            dt.datetime(2026, 3, 4, 10, 49, 30, 123456, tzinfo=UTC),
            None,
            "provider",
            None,
            None,
            None,
            "api",
            Decimal("1"),
        ),
        ("probe", None, dt.datetime(2026, 3, 4, 10, 3, tzinfo=UTC), None, None, None, None,
         None, False, None, "api", None),
        ("probe", None, dt.datetime(2026, 3, 4, 10, 4, tzinfo=UTC), None, None, None, None,
         None, True, None, "web", None),
        ("request", None, dt.datetime(2026, 3, 4, 10, 3, 0, 120000, tzinfo=UTC), None, None,
         None, None, Decimal("812.5"), None, None, "api", None),
        ("ticket", "T-2291", None, None, None, None, None, None, None,
         dt.datetime(2026, 3, 4, 9, 5, tzinfo=UTC), None, None),
        ("incident", "INC-18", None, None, None, None, 'it\'s "x"', None, None, None, "db",
         Decimal("2.5")),
    ],
    key=repr,
)  # fmt: skip


def rows(log: EventLog) -> list[tuple[Any, ...]]:
    """The events without the bookkeeping columns, in a stable order."""
    names = [n for n in log.schema.fields]
    columns = ", ".join(f'"{n}"' for n in names)
    found = log.connection.execute(f"SELECT {columns} FROM events").fetchall()
    return sorted(found, key=repr)


def lines(log: EventLog) -> list[tuple[str, int, int]]:
    found = log.connection.execute('SELECT "type", _input, _line FROM events').fetchall()
    return sorted(found)


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def csv_text(records: list[dict[str, Any]]) -> str:
    header = sorted({key for record in records for key in record})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for record in records:
        row = []
        for key in header:
            value = record.get(key)
            row.append(
                "" if value is None else json.dumps(value) if isinstance(value, bool) else value
            )
        writer.writerow(row)
    return out.getvalue()


def write_parquet(path: Path, records: list[dict[str, Any]]) -> Path:
    """A Parquet file as an export would write it: typed columns, timestamps with their zone."""
    jsonl = write_jsonl(path.with_suffix(".tmp.jsonl"), records)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        "COPY (SELECT type, id, service, severity::DOUBLE AS severity, latency_ms, ok, cause, "
        'time::TIMESTAMPTZ AS time, start::TIMESTAMPTZ AS start, "end"::TIMESTAMPTZ AS "end", '
        "opened::TIMESTAMP AS opened "
        "FROM read_json(?, format='newline_delimited', columns={'type': 'VARCHAR', 'id': 'VARCHAR', "
        "'service': 'VARCHAR', 'severity': 'VARCHAR', 'latency_ms': 'DOUBLE', 'ok': 'BOOLEAN', "
        "'cause': 'VARCHAR', 'time': 'VARCHAR', 'start': 'VARCHAR', 'end': 'VARCHAR', "
        "'opened': 'VARCHAR'})) TO '" + str(path).replace("'", "''") + "' (FORMAT parquet)",
        [str(jsonl)],
    )
    con.close()
    return path


def load(inputs: list[Any], **options: Any) -> EventLog:
    return EventLog.load(inputs, SCHEMA, BERLIN, **options)


def test_jsonl_reference(tmp_path: Path) -> None:
    with load([write_jsonl(tmp_path / "log.jsonl", RECORDS)]) as log:
        assert rows(log) == EXPECTED
        account = log.inputs[0]
        assert account.fast_path
        assert (account.lines, account.records, account.unused, account.rejected) == (7, 6, 1, 0)
        assert account.naive_timestamps == 1
        assert lines(log)[0] == ("incident", 0, 1)
        assert log.connection.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'events' ORDER BY ordinal_position"
        ).fetchall() == [
            ("type", "VARCHAR"),
            ("id", "VARCHAR"),
            ("time", "TIMESTAMP WITH TIME ZONE"),
            ("start", "TIMESTAMP WITH TIME ZONE"),
            ("end", "TIMESTAMP WITH TIME ZONE"),
            ("updated", "TIMESTAMP WITH TIME ZONE"),
            ("cause", "VARCHAR"),
            ("latency_ms", "DECIMAL(38,9)"),
            ("ok", "BOOLEAN"),
            ("opened", "TIMESTAMP WITH TIME ZONE"),
            ("service", "VARCHAR"),
            ("severity", "DECIMAL(38,9)"),
            ("_input", "INTEGER"),
            ("_line", "BIGINT"),
        ]


@pytest.mark.parametrize("name", ["log.jsonl", "log.jsonl.gz", "log.csv", "log.csv.gz"])
def test_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    text = csv_text(RECORDS) if ".csv" in name else "".join(json.dumps(r) + "\n" for r in RECORDS)
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    with load([str(path)]) as log:
        assert rows(log) == EXPECTED
        assert log.inputs[0].name == str(path)
        assert log.inputs[0].fast_path
        header = 1 if ".csv" in name else 0
        assert sorted(line for _, _, line in lines(log)) == sorted(
            i + 1 + header for i, r in enumerate(RECORDS) if r["type"] != "maintenance"
        )


def test_parquet(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "log.parquet", RECORDS)
    with load([path]) as log:
        assert rows(log) == EXPECTED
        assert log.inputs[0].format == "parquet"
        assert log.inputs[0].naive_timestamps == 1  # a TIMESTAMP column without a zone
        assert sorted(line for _, _, line in lines(log)) == [1, 2, 3, 4, 5, 7]


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = "".join(json.dumps(r) + "\n" for r in RECORDS).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    with load(["-"]) as log:
        assert rows(log) == EXPECTED
        assert log.inputs[0].name == "<stdin>"


def test_stdin_without_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(json.dumps(r) + "\n" for r in RECORDS)))
    with load(["-"]) as log:
        assert rows(log) == EXPECTED


def test_gzip_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = gzip.compress("".join(json.dumps(r) + "\n" for r in RECORDS).encode())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    with load(["-"]) as log:
        assert rows(log) == EXPECTED


def test_file_objects(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "log.jsonl", RECORDS)
    with path.open("rb") as binary, path.open(encoding="utf-8") as text:
        with load([binary]) as log:
            assert rows(log) == EXPECTED
            assert log.inputs[0].name == str(path)
        with load([text]) as log:
            assert rows(log) == EXPECTED
    stream = io.StringIO(path.read_text(encoding="utf-8"))
    with load([stream]) as log:
        assert rows(log) == EXPECTED
        assert log.inputs[0].name == "<stream>"
    csv_path = tmp_path / "log.csv"
    csv_path.write_text(csv_text(RECORDS), encoding="utf-8")
    with csv_path.open(encoding="utf-8") as handle, load([handle]) as log:
        assert rows(log) == EXPECTED
        assert log.inputs[0].format == "csv"


def test_records() -> None:
    records = [dict(r) for r in RECORDS]
    with load([iter(records)]) as log:
        assert rows(log) == EXPECTED
        assert log.inputs[0].name == "<records>"
        assert sorted(line for _, _, line in lines(log)) == [1, 2, 3, 4, 5, 7]


def test_records_with_python_values() -> None:
    records = [
        {
            "type": "request",
            "time": dt.datetime(2026, 3, 4, 10, 3, 0, 120000, tzinfo=UTC),
            "latency_ms": Decimal("812.50"),
            "service": "api",
        },
        {"type": "ticket", "id": "T-2291", "opened": dt.datetime(2026, 3, 4, 10, 5)},
        {"type": "request", "time": object()},
    ]
    with load([records], skip_invalid=True) as log:
        assert log.connection.execute(
            'SELECT "time", latency_ms, opened FROM events ORDER BY "type"'
        ).fetchall() == [
            (dt.datetime(2026, 3, 4, 10, 3, 0, 120000, tzinfo=UTC), Decimal("812.5"), None),
            (None, None, dt.datetime(2026, 3, 4, 9, 5, tzinfo=UTC)),
        ]
        assert [(r.file, r.line) for r in log.rejections] == [("<records>", 3)]
        assert "not text, a number or a boolean" in log.rejections[0].reason


def test_all_formats_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jsonl = write_jsonl(tmp_path / "a.jsonl", RECORDS[:2])
    csv_path = tmp_path / "b.csv.gz"
    csv_path.write_bytes(gzip.compress(csv_text(RECORDS[2:4]).encode()))
    parquet = write_parquet(tmp_path / "c.parquet", RECORDS[4:6])
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(RECORDS[6]) + "\n"))
    with load([jsonl, csv_path, parquet, "-"]) as log:
        assert rows(log) == EXPECTED
        assert [a.name for a in log.inputs] == [str(jsonl), str(csv_path), str(parquet), "<stdin>"]
        assert [a.records for a in log.inputs] == [2, 2, 1, 1]
        assert [a.unused for a in log.inputs] == [0, 0, 1, 0]


def test_csv_cells(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "type,service,severity,ok,time,extra\n"
        'probe,"a, ""quoted"" name",,TRUE,2026-03-04T10:03:00Z,x\n'
        'probe,"",3,false,,\n'
        "probe, padded ,1e2,false,2026-03-04 10:03:00Z,\n",
        encoding="utf-8",
    )
    with load([path]) as log:
        assert log.connection.execute(
            "SELECT service, severity, ok, time, _line FROM events ORDER BY _line"
        ).fetchall() == [
            ('a, "quoted" name', None, True, dt.datetime(2026, 3, 4, 10, 3, tzinfo=UTC), 2),
            (None, Decimal(3), False, None, 3),
            (" padded ", Decimal(100), False, dt.datetime(2026, 3, 4, 10, 3, tzinfo=UTC), 4),
        ]


def test_csv_line_numbers_with_empty_lines_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "type,service,time\n"  # 1
        "probe,a,2026-03-04T10:00:00Z\n"  # 2
        "\n"  # 3
        "probe,b,not a time\n"  # 4
        "probe,c,2026-03-04T10:00:00Z,too,many\n"  # 5
        "probe,d,2026-03-04T10:00:00Z\n"  # 6
        "\n"  # 7
        "\n"  # 8
        "probe,e\n"  # 9
        "probe,f,2026-03-04T10:00:00Z\n",  # 10
        encoding="utf-8",
    )
    with load([path], skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (4, '`time` is not an RFC 3339 timestamp: "not a time"'),
            (5, "more cells than the header"),
            (9, "fewer cells than the header"),
        ]
        assert log.connection.execute(
            "SELECT service, _line FROM events ORDER BY _line"
        ).fetchall() == [("a", 2), ("d", 6), ("f", 10)]
        account = log.inputs[0]
        assert (account.lines, account.records, account.rejected) == (6, 3, 3)
        assert not account.fast_path


def test_csv_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(
        b"type,service\nprobe,a\nprobe,\xff\xfe\nprobe,c\n",
    )
    with load([path], skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [(3, "not valid UTF-8")]
        assert log.connection.execute(
            "SELECT service, _line FROM events ORDER BY _line"
        ).fetchall() == [("a", 2), ("c", 4)]


def test_empty_inputs(tmp_path: Path) -> None:
    empty_jsonl = tmp_path / "a.jsonl"
    empty_jsonl.write_text("")
    empty_csv = tmp_path / "b.csv"
    empty_csv.write_text("")
    header_only = tmp_path / "c.csv"
    header_only.write_text("type,service\n")
    with load([empty_jsonl, empty_csv, header_only, []]) as log:
        assert rows(log) == []
        assert [a.lines for a in log.inputs] == [0, 0, 0, 0]


def test_unreadable_inputs(tmp_path: Path) -> None:
    with pytest.raises(EventDataError, match="no such file"):
        load([tmp_path / "missing.jsonl"])
    with pytest.raises(EventDataError, match="cannot tell the format"):
        load([tmp_path / "log.txt"])
    with pytest.raises(TypeError):
        load("log.jsonl")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        load([{"type": "probe"}])


def test_field_mappings(tmp_path: Path) -> None:
    from obligo.events import schema_for
    from obligo.model.base import Number
    from obligo.model.conditions import Compare, Selection
    from obligo.model.contract import Contract, FieldMapping
    from obligo.model.metrics import Aggregate, AggregateMetric, CalendarPeriod

    month = CalendarPeriod(unit="month")
    contract = Contract(
        id="c",
        mappings=(
            FieldMapping(source="begin_time", target="start", record_type="incident"),
            FieldMapping(source="latencyMs", target="latency_ms", record_type="request"),
        ),
        metrics=(
            AggregateMetric(
                id="m",
                measure=Aggregate(
                    function="mean",
                    field="latency_ms",
                    selection=Selection(
                        record_type="request",
                        where=Compare(field="severity", op="<=", value=Number(value=Decimal(2))),
                    ),
                    period=month,
                ),
            ),
            AggregateMetric(id="n", measure=Aggregate(function="count", selection=Selection(record_type="incident"), period=month)),
        ),
    )  # fmt: skip
    schema = schema_for(contract, {"severity": "sev", "type": "kind"})
    records = [
        {"kind": "incident", "begin_time": "2026-03-04T10:00:00Z", "start": "ignored", "sev": 1},
        {"kind": "request", "start": "2026-03-04T11:00:00Z", "latencyMs": 5, "latency_ms": "x"},
        {"kind": "request", "time": "2026-03-04T12:00:00Z", "latency_ms": 7, "severity": 9},
    ]
    text = "".join(json.dumps(r) + "\n" for r in records)
    for name, data in [("log.jsonl", text), ("log.csv", csv_text(records))]:
        path = tmp_path / name
        path.write_text(data, encoding="utf-8")
        with EventLog.load([path], schema, BERLIN) as log:
            assert log.connection.execute(
                'SELECT "type", "start", latency_ms, severity FROM events ORDER BY _line'
            ).fetchall() == [
                ("incident", dt.datetime(2026, 3, 4, 10, tzinfo=UTC), None, Decimal(1)),
                ("request", dt.datetime(2026, 3, 4, 11, tzinfo=UTC), Decimal(5), None),
                ("request", None, None, None),
            ]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind":"incident","begin_time":"soon"}\n', encoding="utf-8")
    with pytest.raises(EventDataError) as caught:
        EventLog.load([bad], schema, BERLIN)
    assert '`start` (read from `begin_time`) is not an RFC 3339 timestamp: "soon"' in str(
        caught.value
    )


def test_mixed_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b'{"type":"probe","service":"a"}\r\n{"type":"probe","service":"b"}\n')
    csv_path = tmp_path / "log.csv"
    csv_path.write_bytes(b"type,service\r\nprobe,c\nprobe,d\r\n")
    with load([path, csv_path]) as log:
        assert log.connection.execute(
            "SELECT service, _input, _line FROM events ORDER BY service"
        ).fetchall() == [("a", 0, 1), ("b", 0, 2), ("c", 1, 2), ("d", 1, 3)]


def test_parquet_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "log.parquet"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT * FROM (VALUES ('probe', 'yes', '2026-03-04T10:00:00Z'), "
        "('probe', 'true', 'later'), (NULL, 'true', NULL)) t(type, ok, time)) "
        "TO '" + str(path).replace("'", "''") + "' (FORMAT parquet)"
    )
    con.close()
    with load([path], skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (1, '`ok` is not true or false: "yes"'),
            (2, '`time` is not an RFC 3339 timestamp: "later"'),
            (3, "record without `type`"),
        ]


@pytest.mark.parametrize("column", ["DECIMAL(38, 9)", "BIGINT", "DOUBLE", "VARCHAR"])
def test_parquet_numbers_beyond_the_narrow_type(tmp_path: Path, column: str) -> None:
    # A clean file is read in one strict scan, with 64-bit numbers while they fit and again
    # with the wide type when one does not.
    path = tmp_path / "log.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT 'incident' AS type, CAST(v AS {column}) AS severity FROM "
        "(VALUES (1), (2000000000), (-30000000000000)) t(v)) "
        "TO '" + str(path).replace("'", "''") + "' (FORMAT parquet)"
    )
    con.close()
    with load([path]) as log:
        assert log.inputs[0].fast_path
        assert log.connection.execute("SELECT severity FROM events ORDER BY _line").fetchall() == [
            (Decimal(1),),
            (Decimal(2_000_000_000),),
            (Decimal(-30_000_000_000_000),),
        ]


def test_a_text_field_mapped_for_one_record_type_on_the_exact_path(tmp_path: Path) -> None:
    # The exact path tells objects and arrays apart per field: a mapping for one record type
    # must test the record's type text there too (it once tested a flag, and stopped).
    schema = EventSchema(
        fields={"component": FieldType.TEXT},
        record_types=frozenset({"outage", "probe"}),
        mappings=(FieldSource(field="component", source="comp", record_type="outage"),),
    )
    path = tmp_path / "log.jsonl"
    path.write_text(
        '{"type":"outage","comp":"db"}\n'
        '{"type":"probe","component":"web"}\n'
        '{"type":"outage","comp":{"x":1}}\n'
        "not json\n",
        encoding="utf-8",
    )
    with EventLog.load([path], schema, BERLIN, skip_invalid=True) as log:
        assert not log.inputs[0].fast_path
        assert log.connection.execute(
            'SELECT "type", component FROM events ORDER BY _line'
        ).fetchall() == [("outage", "db"), ("probe", "web")]
        assert [(r.line, r.reason.split(":")[0]) for r in log.rejections] == [
            (3, "`component` (read from `comp`) is a JSON object or array, not a value"),
            (4, "not valid JSON (Expecting value at column 1)"),
        ]


def test_the_same_file_twice(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "log.jsonl", RECORDS)
    with pytest.raises(EventDataError, match="given twice"):
        load([path, str(path)])


def test_damaged_gzip(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"type":"probe"}\n' * 1000)[:-40])
    with pytest.raises(EventDataError, match="cannot read"):
        load([path])


def test_temporary_files_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(RECORDS[0]) + "\n"))
    with load(["-", RECORDS]) as log:
        workdir = log._workdir
        assert workdir.exists()
        assert not any(workdir.glob("input-*"))  # the copies go once they are read
    assert not workdir.exists()
    with pytest.raises(EventDataError):
        load([[{"type": "probe", "ok": "maybe"}]])


def test_parquet_integer_column_mapped_from_another_for_one_type(tmp_path: Path) -> None:
    # `map latMs to lat in req records`: the file has `lat` (an integer column) but no `latMs`;
    # the field reads text from one source, so the other is read as text too.
    from obligo.events import FieldSource

    schema = EventSchema(
        fields={"lat": FieldType.NUMBER},
        record_types=frozenset({"req", "probe"}),
        mappings=(FieldSource("lat", "latMs", "req"),),
    )
    path = tmp_path / "log.parquet"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT * FROM (VALUES ('req', 5::BIGINT), ('probe', 7::BIGINT)) t(type, lat)) "
        "TO ? (FORMAT parquet)",
        [str(path)],
    )
    con.close()
    with EventLog.load([path], schema, ZoneInfo("UTC")) as log:
        assert log.connection.execute("SELECT type, lat FROM events ORDER BY _line").fetchall() == [
            ("req", None),
            ("probe", Decimal(7)),
        ]


def test_parquet_with_every_timestamp_typed_reports_a_bad_value(tmp_path: Path) -> None:
    # No timestamp is read from text: the query that says what is wrong binds no time zone.
    schema = EventSchema(
        fields={"severity": FieldType.NUMBER}, record_types=frozenset({"incident"})
    )
    path = tmp_path / "typed.parquet"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT 'incident' AS type, 'x' AS severity, "
        "TIMESTAMPTZ '2026-03-01 00:00:00+00' AS time, TIMESTAMPTZ '2026-03-01 00:00:00+00' AS start, "
        "TIMESTAMPTZ '2026-03-01 01:00:00+00' AS \"end\", "
        "TIMESTAMPTZ '2026-03-01 02:00:00+00' AS updated) TO ? (FORMAT parquet)",
        [str(path)],
    )
    con.close()
    with EventLog.load([path], schema, ZoneInfo("UTC"), skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (1, '`severity` is not a number: "x"')
        ]

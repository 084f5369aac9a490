"""Values and fields read from event logs: every digit, a `type` that is text, CSV headers and
delimiters, strict JSON, the fields a metric needs, near names, and schemas no log can be read
with. Each bad input is named with its line and reason, on every path the loader takes."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest
from click.testing import CliRunner, Result

from obligo.cli import cli
from obligo.errors import EventDataError, ObligoError
from obligo.events import EventLog, EventSchema, FieldSource, FieldType, loader
from obligo.events.schema import Required, SchemaError

UTC = dt.UTC

CONTRACT = """\
contract shop "Shop"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
{mappings}
metric uptime "Availability"
  availability, per calendar month
  down during incident records where severity <= 2

clause 1 "Availability"
  promise uptime >= 99.9%
"""


def run_eval(tmp_path: Path, lines: list[str], *args: str, mappings: str = "") -> Result:
    contract = tmp_path / "c.sla"
    contract.write_text(CONTRACT.format(mappings=mappings), encoding="utf-8")
    log = tmp_path / "events.jsonl"
    log.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return CliRunner().invoke(
        cli,
        ["eval", str(contract), "--events", str(log), "--at", "2026-02-01T00:00:00Z", *args],
    )


# ------------------------------------------------------------------ schemas no log can be read with


def test_a_scoped_mapping_differing_only_in_case_is_an_error_not_a_crash(tmp_path: Path) -> None:
    result = run_eval(
        tmp_path,
        ['{"type":"incident","Severity":1,"start":"2026-01-03T10:00:00Z"}'],
        mappings="  map `Severity` to severity in incident records\n",
    )
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (
        "the log fields `severity` (severity in every record) and `Severity` (severity in "
        "incident records) differ only in case and cannot be read from one log"
    ) in result.output
    assert "map `Severity` to severity without `in ... records`" in result.output


def test_command_line_mappings_differing_only_in_case_are_an_error(tmp_path: Path) -> None:
    result = run_eval(tmp_path, [], "--map", "type=kind", "--map", "severity=Kind")
    assert result.exit_code == 2, result.output
    assert "the log fields `kind` (type in every record) and `Kind`" in result.output


@pytest.mark.parametrize(
    ("fields", "mappings", "message"),
    [
        ({"rowid": FieldType.TEXT}, (), "'rowid' is reserved"),
        ({"_input": FieldType.NUMBER}, (), "'_input' is reserved"),
        ({"time": FieldType.TEXT}, (), "field 'time' is always timestamp"),
        ({}, (FieldSource("start", ""),), "names no field"),
        ({}, (FieldSource("start", "a\x00b"),), "names no field"),
        ({}, (FieldSource("type", "kind", "incident"),), "mapped for all records"),
    ],
)
def test_a_schema_no_log_can_be_read_with_is_an_event_data_error(
    fields: dict[str, FieldType], mappings: tuple[FieldSource, ...], message: str
) -> None:
    with pytest.raises(EventDataError, match=message) as caught:
        EventSchema(fields=fields, record_types=frozenset({"incident"}), mappings=mappings)
    assert isinstance(caught.value, ObligoError)
    assert isinstance(caught.value, SchemaError)


def test_log_fields_differing_only_in_case_are_an_event_data_error() -> None:
    schema = EventSchema(
        fields={"severity": FieldType.NUMBER},
        record_types=frozenset({"incident"}),
        mappings=(FieldSource("severity", "Severity", "incident"),),
    )
    with pytest.raises(EventDataError, match="differ only in case"):
        EventLog.load([[]], schema, ZoneInfo("UTC"))


# ----------------------------------------------------------------------------- helpers for loads

SCHEMA = EventSchema(
    fields={"service": FieldType.TEXT, "severity": FieldType.NUMBER, "amount": FieldType.NUMBER},
    record_types=frozenset({"incident", "charge"}),
)
ZONE = ZoneInfo("UTC")


def write_jsonl(folder: Path, lines: list[str], form: str) -> Path:
    """The lines as a JSON Lines file, gzip-compressed for ``gz``."""
    text = "".join(line + "\n" for line in lines)
    if form == "gz":
        path = folder / "events.jsonl.gz"
        path.write_bytes(gzip.compress(text.encode("utf-8")))
        return path
    path = folder / "events.jsonl"
    path.write_text(text, encoding="utf-8")
    return path


def rejections(
    folder: Path,
    lines: list[str],
    form: str = "plain",
    schema: EventSchema = SCHEMA,
    monkeypatch: pytest.MonkeyPatch | None = None,
) -> list[tuple[int, str]]:
    """The rejections of the lines, read as ``form``: ``plain``, ``gz`` or ``exact`` (the exact
    path alone; needs ``monkeypatch``)."""
    path = write_jsonl(folder, lines, form)
    with contextlib.ExitStack() as stack:
        if form == "exact":
            assert monkeypatch is not None
            stack.enter_context(monkeypatch.context())
            monkeypatch.setattr(loader._Loader, "_jsonl_fast", lambda self, source: None)
        with EventLog.load([path], schema, ZONE, skip_invalid=True) as log:
            if form == "exact":
                assert not log.inputs[0].fast_path
            return [(r.line, r.reason) for r in log.rejections]


FORMS = ["plain", "gz", "exact"]


# ------------------------------------------------------------------------- a type that is not text


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("7", "7"),
        ("-1.5e3", "-1500.0"),
        ("true", "true"),
        ("false", "false"),
        ('{"a":1}', '{"a":1}'),
    ],
)
def test_a_type_that_is_not_a_json_string_is_rejected(
    tmp_path: Path, form: str, written: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        '{"type":"incident","start":"2026-01-03T10:00:00Z"}',
        '{"type":' + written + ',"start":"2026-01-03T10:00:00Z"}',
        '{"type":"7","start":"2026-01-03T10:00:00Z"}',  # a text: a record type not used
    ]
    found = rejections(tmp_path, lines, form, monkeypatch=monkeypatch)
    assert found == [(2, f"`type` is not a text: {shown}")]


def test_a_type_read_like_a_number_but_a_string_is_a_record_type_not_used(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path, ['{"type":"7"}', '{"type":"true"}', '{"type":"incident"}'], "plain"
    )
    with EventLog.load([path], SCHEMA, ZONE) as log:
        account = log.inputs[0]
        assert (account.records, account.unused, account.rejected) == (1, 2, 0)


def test_a_type_given_as_a_python_number_is_rejected() -> None:
    records: list[dict[str, Any]] = [{"type": 7}, {"type": "incident"}, {"type": True}]
    with EventLog.load([records], SCHEMA, ZONE, skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (1, "`type` is not a text: 7"),
            (3, "`type` is not a text: true"),
        ]


def test_a_parquet_type_column_of_integers_rejects_every_row(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "events.parquet"
    duckdb.sql(
        f"COPY (SELECT * FROM (VALUES (7, 'api'), (NULL, 'db')) v(type, service)) "
        f"TO '{path}' (FORMAT parquet)"
    )
    with EventLog.load([path], SCHEMA, ZONE, skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (1, "`type` is not a text: 7"),
            (2, "record without `type`"),
        ]


# ------------------------------------------------------------------- the fields a metric needs

REQUIRED = EventSchema(
    fields={"service": FieldType.TEXT, "severity": FieldType.NUMBER, "amount": FieldType.NUMBER},
    record_types=frozenset({"incident", "charge"}),
    required=(
        Required("incident", ("start",), "to read it as an interval"),
        Required("charge", ("time", "start"), "to place it in time"),
        Required("charge", ("amount",), "to measure it", every=False),
    ),
)
NO_START = "no `start`, which the contract needs to read it as an interval"


@pytest.mark.parametrize("form", FORMS)
def test_an_interval_record_without_start_is_rejected_with_the_near_name(
    tmp_path: Path, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        '{"type":"incident","severity":1,"start_time":"2026-01-03T10:00:00Z"}',
        '{"type":"incident","severity":1,"start":"2026-01-03T10:00:00Z"}',
        '{"type":"incident","severity":1,"end":"2026-01-03T10:00:00Z"}',
        '{"type":"charge","start":"2026-01-03T10:00:00Z","amount":1}',
        '{"type":"charge","amount":2}',
        '{"type":"other"}',  # not read: nothing required
    ]
    found = rejections(tmp_path, lines, form, REQUIRED, monkeypatch)
    assert found == [
        (1, NO_START + " (found `start_time`: --map start=start_time?)"),
        (3, NO_START),
        (5, "no `time` or `start`, which the contract needs to place it in time"),
    ]


def test_records_with_an_id_are_judged_once_merged(tmp_path: Path) -> None:
    lines = [
        '{"type":"incident","id":"a","severity":1,"start":"2026-01-03T10:00:00Z"}',
        "",
        '{"type":"incident","id":"a","end":"2026-01-03T11:00:00Z"}',  # a part: merged, kept
        '{"type":"incident","id":"b","end":"2026-01-03T11:00:00Z","startedAt":"x"}',
        '{"type":"incident","id":"c","severity":1}',
        '{"type":"incident","id":"c","severity":1}',
    ]
    path = write_jsonl(tmp_path, lines, "plain")
    with EventLog.load([path], REQUIRED, ZONE, skip_invalid=True) as log:
        # Merged records are judged after the lines were read: the near name is one the
        # input's first records have.
        hint = " (found `startedAt`: --map start=startedAt?)"
        assert [(r.line, r.reason) for r in log.rejections] == [
            (4, NO_START + hint),
            (5, NO_START + hint),
        ]
        assert log.connection.execute('SELECT "id" FROM events').fetchall() == [("a",)]
        assert (log.inputs[0].records, log.inputs[0].rejected) == (3, 2)
    with pytest.raises(EventDataError, match=r"events\.jsonl:4: no `start`"):
        EventLog.load([path], REQUIRED, ZONE)


def test_a_measured_field_no_record_has_rejects_the_records_of_its_type(tmp_path: Path) -> None:
    some = ['{"type":"charge","time":"2026-01-03T10:00:00Z","amount":1}',
            '{"type":"charge","time":"2026-01-03T10:00:00Z"}']  # fmt: skip
    assert rejections(tmp_path, some, schema=REQUIRED) == []  # it counts for no value
    none = ['{"type":"charge","time":"2026-01-03T10:00:00Z","amt":1}',
            '{"type":"charge","time":"2026-01-03T10:00:00Z","amt":2}']  # fmt: skip
    reason = (
        "no `amount`, which the contract needs to measure it: no charge record of the log has "
        "it (found `amt`: --map amount=amt?)"
    )
    assert rejections(tmp_path, none, schema=REQUIRED) == [(1, reason), (2, reason)]


def test_required_fields_in_csv_and_parquet_and_records(tmp_path: Path) -> None:
    import duckdb

    csv_path = tmp_path / "events.csv"
    csv_path.write_text(
        'type,severity,start_time\nincident,1,2026-01-03T10:00:00Z\n"incident",2,\n',
        encoding="utf-8",
    )
    hint = " (found `start_time`: --map start=start_time?)"
    with EventLog.load([csv_path], REQUIRED, ZONE, skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (2, NO_START + hint),
            (3, NO_START + hint),
        ]
    parquet = tmp_path / "events.parquet"
    duckdb.sql(
        f"COPY (SELECT 'incident' AS type, 1 AS severity, TIMESTAMPTZ '2026-01-03 10:00:00Z' "
        f"AS start_time) TO '{parquet}' (FORMAT parquet)"
    )
    with EventLog.load([parquet], REQUIRED, ZONE, skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [(1, NO_START + hint)]
    records = [{"type": "incident", "Start": "2026-01-03T10:00:00Z"}]
    with EventLog.load([records], REQUIRED, ZONE, skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (1, NO_START + " (found `Start`: --map start=Start?)")
        ]


INCIDENT_LOG = [
    '{"type":"incident","id":"I-1","service":"api","severity":1,'
    '"start_time":"2026-01-03T10:00:00Z","end_time":"2026-01-03T11:00:00Z"}',
]


def test_an_incident_log_with_other_field_names_is_not_a_met_month(tmp_path: Path) -> None:
    result = run_eval(tmp_path, INCIDENT_LOG)
    assert result.exit_code == 2, result.output
    assert "events.jsonl:1: " + NO_START + " (found `start_time`: --map start=start_time?)" in (
        result.output
    )
    mapped = run_eval(tmp_path, INCIDENT_LOG, "--map", "start=start_time", "--map", "end=end_time")
    assert mapped.exit_code == 0, mapped.output
    assert "99.865591398%" in mapped.output


def test_fields_only_tested_in_conditions_are_optional(tmp_path: Path) -> None:
    # `severity <= 2` on a record without severity is false (docs/semantics.md): not rejected.
    result = run_eval(tmp_path, ['{"type":"incident","start":"2026-01-03T10:00:00Z"}'])
    assert result.exit_code == 0, result.output
    assert "1 lines, 0 used, 0 outside the periods, 1 not used by this contract, 0 rejected" in (
        result.output
    )


def test_schema_for_derives_what_each_record_type_needs() -> None:
    from obligo.api import parse

    contract = parse(
        CONTRACT.format(mappings="")
        + """
metric lat "Latency"
  mean of latency in request records where ok = true, per calendar month

metric ratio "Ratio"
  ratio of sum(good in minute records) to count(probe records), per calendar month
"""
    )
    from obligo.events import schema_for

    schema = schema_for(contract)
    assert [(r.record_type, r.fields, r.every) for r in schema.required] == [
        ("incident", ("start",), True),
        ("minute", ("good",), False),
        ("minute", ("time", "start"), True),
        ("probe", ("time", "start"), True),
        ("request", ("latency",), False),
        ("request", ("time", "start"), True),
    ]
    assert schema.optional_fields() == [
        "id",
        "time",
        "end",
        "updated",
        "good",
        "latency",
        "ok",
        "severity",
    ]


# ---------------------------------------------------------------------------------- every digit

AMOUNTS = EventSchema(fields={"amount": FieldType.NUMBER}, record_types=frozenset({"charge"}))


def amounts(log: EventLog) -> list[tuple[Decimal, str]]:
    return log.connection.execute(
        "SELECT amount, typeof(amount) FROM events ORDER BY _input, _line"
    ).fetchall()


def test_a_parquet_decimal_is_never_rounded_to_a_scale_another_input_lowered(
    tmp_path: Path,
) -> None:
    # A 35-digit amount in another input leaves `amount` 3 places; the Parquet DECIMAL(18, 4)
    # column was cast to them (1.2345 read as 1): it is read as text now, and the values that
    # cannot be kept whole together are rejected.
    parquet = tmp_path / "p.parquet"
    duckdb.connect().execute(
        "COPY (SELECT 'charge' AS type, 1.2345::DECIMAL(18,4) AS amount) TO "
        f"'{parquet}' (FORMAT parquet)"
    )
    big = write_jsonl(tmp_path, ['{"type":"charge","amount":"1' + "2" * 34 + '"}'], "plain")
    with EventLog.load([parquet, big], AMOUNTS, ZONE, skip_invalid=True) as log:
        assert [(r.file, r.line) for r in log.rejections] == [(str(big), 1)]
        assert "with the 4 places after it" in log.rejections[0].reason
        assert amounts(log) == [(Decimal("1.2345"), "DECIMAL(38,4)")]


@pytest.mark.parametrize("form", FORMS)
def test_twelve_decimal_places_are_kept_and_summed_exactly(
    tmp_path: Path, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        '{"type":"charge","amount":0.0000000004}',  # a JSON number: read_json gives "4e-10"
        '{"type":"charge","amount":"0.0000000004"}',
        '{"type":"charge","amount":"20.000000000001"}',
        '{"type":"charge","amount":1.5}',
    ]
    path = write_jsonl(tmp_path, lines, "gz" if form == "gz" else "plain")
    if form == "exact":
        monkeypatch.setattr(loader._Loader, "_jsonl_fast", lambda self, source: None)
    with EventLog.load([path], AMOUNTS, ZONE) as log:
        assert log.inputs[0].fast_path is (form != "exact")
        assert amounts(log) == [
            (Decimal("0.0000000004"), "DECIMAL(38,12)"),
            (Decimal("0.0000000004"), "DECIMAL(38,12)"),
            (Decimal("20.000000000001"), "DECIMAL(38,12)"),
            (Decimal("1.5"), "DECIMAL(38,12)"),
        ]
        assert log.connection.execute("SELECT sum(amount) FROM events").fetchall() == [
            (Decimal("21.500000000801"),)
        ]


def test_thirty_eight_digits_are_kept_and_more_are_rejected_with_their_reason() -> None:
    records: list[dict[str, Any]] = [
        {"type": "charge", "amount": "12345678901234567890123456789012345678"},
        {"type": "charge", "amount": 5},
    ]
    with EventLog.load([records], AMOUNTS, ZONE) as log:
        assert amounts(log) == [
            (Decimal("12345678901234567890123456789012345678"), "DECIMAL(38,0)"),
            (Decimal(5), "DECIMAL(38,0)"),
        ]
    records = [
        {"type": "charge", "amount": "123456789012345678901234567890123456789"},
        {"type": "charge", "amount": "1e-40"},
        {"type": "charge", "amount": "1234567890123456789012345678901234567.8"},
        {"type": "charge", "amount": "0.25"},
    ]
    with EventLog.load([records], AMOUNTS, ZONE, skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (
                1,
                '`amount` "123456789012345678901234567890123456789" has 39 digits before the '
                "decimal point: obligo keeps 38 digits at most",
            ),
            (2, '`amount` "1e-40" has 40 decimal places: obligo keeps 38 digits at most'),
            (
                3,
                '`amount` "1234567890123456789012345678901234567.8" has 37 digits before the '
                "decimal point: with the 2 places after it that this log's `amount` values "
                "need, more than the 38 digits obligo keeps",
            ),
        ]
        assert amounts(log) == [(Decimal("0.25"), "DECIMAL(38,2)")]


def test_more_places_in_a_second_input_widen_the_first(tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_text("type,amount\ncharge,1.5\n", encoding="utf-8")
    second = tmp_path / "b.jsonl"
    second.write_text('{"type":"charge","amount":"0.000000000001"}\n', encoding="utf-8")
    with EventLog.load([first, second], AMOUNTS, ZONE) as log:
        assert amounts(log) == [
            (Decimal("1.5"), "DECIMAL(38,12)"),
            (Decimal("0.000000000001"), "DECIMAL(38,12)"),
        ]


def test_a_parquet_decimal_with_twelve_places_is_read_exactly(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "events.parquet"
    duckdb.sql(
        f"COPY (SELECT 'charge' AS type, CAST('20.000000000001' AS DECIMAL(20, 12)) AS amount) "
        f"TO '{path}' (FORMAT parquet)"
    )
    with EventLog.load([path], AMOUNTS, ZONE) as log:
        assert amounts(log) == [(Decimal("20.000000000001"), "DECIMAL(38,12)")]


# ------------------------------------------------------------------------------------------ CSV


def csv_rejections(path: Path, schema: EventSchema = SCHEMA) -> list[tuple[int, str]]:
    with EventLog.load([path], schema, ZONE, skip_invalid=True) as log:
        return [(r.line, r.reason) for r in log.rejections]


@pytest.mark.parametrize("compressed", [False, True])
def test_a_duplicated_header_column_the_contract_reads_is_an_error(
    tmp_path: Path, compressed: bool
) -> None:
    text = "type,service,severity,service\nincident,api,1,db\n"
    path = tmp_path / ("events.csv.gz" if compressed else "events.csv")
    path.write_bytes(gzip.compress(text.encode()) if compressed else text.encode())
    with pytest.raises(EventDataError) as caught:
        EventLog.load([path], SCHEMA, ZONE, skip_invalid=True)
    assert caught.value.line == 1
    assert "the header names `service` twice (columns 2 and 4)" in caught.value.message
    # A duplicated column the contract does not read is left alone.
    path.write_bytes(b"type,note,service,note\nincident,a,api,b\n")
    path = path.rename(tmp_path / "other.csv")
    assert csv_rejections(path) == []


def test_line_numbers_after_a_quoted_newline_are_physical_lines(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        'type,service,severity\nincident,"a\nb\r\nc",1\nincident,api,bad\n\n'
        'incident,"x\ny",2\nincident,api,worse\n',
        encoding="utf-8",
    )
    assert csv_rejections(path) == [
        (5, '`severity` is not a number: "bad"'),
        (9, '`severity` is not a number: "worse"'),
    ]


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gz"])
def test_rows_rejected_for_their_cells_are_named_by_physical_lines(
    tmp_path: Path, gz: bool
) -> None:
    # DuckDB numbers a row it rejects without the line feeds inside the quoted cells before it;
    # a rejected row whose own cells span lines pushes the rows after it down.
    text = (
        "type,service,severity\n"  # 1
        'incident,"a\nb",1\n'  # 2-3
        "\n"  # 4
        "incident,api,1,extra\n"  # 5: too many cells
        "incident,api,bad\n"  # 6
        'incident,"p\nq\nr",1,extra\n'  # 7-9: too many cells, spanning lines
        "incident,api,worse\n"  # 10
        "incident,api\n"  # 11: too few cells
        "incident,api,2\n"  # 12
    )
    path = tmp_path / ("events.csv.gz" if gz else "events.csv")
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    assert csv_rejections(path) == [
        (5, "more cells than the header"),
        (6, '`severity` is not a number: "bad"'),
        (7, "more cells than the header"),
        (10, '`severity` is not a number: "worse"'),
        (11, "fewer cells than the header"),
    ]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_the_delimiter_is_read_from_the_header(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "events.csv"
    rows = [["type", "service", "severity"], ["incident", "api", "1"], ["incident", "a,b", "x"]]
    path.write_text("".join(delimiter.join(r) + "\n" for r in rows), encoding="utf-8")
    with EventLog.load([path], SCHEMA, ZONE, skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (3, '`severity` is not a number: "x"')
        ]
        assert log.connection.execute("SELECT service, severity FROM events").fetchall() == [
            ("api", Decimal(1))
        ]


# ---------------------------------------------------------------------------------- strict JSON

COMMA = "not valid JSON (a comma before `}`)"
NAN = "not valid JSON (NaN and infinities are not JSON numbers)"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"type":"charge","amount":1,}', COMMA),
        ('{"type":"charge","amount":[1,2,]}', "not valid JSON (a comma before `]`)"),
        ('{"type":"charge","x":{"a":1,},"amount":1}', COMMA),  # in a field not read
        ('{"type":"charge","amount":NaN}', NAN),
        ('{"type":"charge","amount":nan}', NAN),
        ('{"type":"charge","service":-Infinity}', NAN),
        ('{"type":"charge","amount":inf}', NAN),
        ("{'type':'charge','amount':1}", "not valid JSON (Expecting property name enclosed"),
        ('{"type":"charge","amount":1} // a comment', "not valid JSON (Extra data at column 30)"),
        ('{"type":"charge",/* c */"amount":1}', "not valid JSON (Expecting property name"),
    ],
)
def test_json_that_is_not_strict_json_is_rejected_on_every_path(
    tmp_path: Path, form: str, line: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ['{"type":"charge","service":"maintenance, finance: info","amount":1}', line]
    found = rejections(tmp_path, lines, form, monkeypatch=monkeypatch)
    assert len(found) == 1 and found[0][0] == 2 and found[0][1].startswith(reason), found


def test_strict_json_keeps_the_fast_path_for_clean_files(tmp_path: Path) -> None:
    lines = [
        '{"type":"charge","service":"maintenance of the infrastructure","amount":1}',
        '{"type":"charge","service":"a, b ,}","amount":2}',  # in a string: a false alarm...
    ]
    path = write_jsonl(tmp_path, lines[:1], "plain")
    with EventLog.load([path], SCHEMA, ZONE) as log:
        assert log.inputs[0].fast_path
    path = write_jsonl(tmp_path, lines, "plain")
    with EventLog.load([path], SCHEMA, ZONE) as log:
        assert not log.inputs[0].fast_path  # ...that the exact path clears
        assert log.rejected == 0 and log.inputs[0].records == 2


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("value", ["NaN", "nAn", "-Infinity", "inf", "[1, -INF]", '{"x": nan}'])
def test_a_nan_in_a_field_the_contract_does_not_read_is_rejected_too(
    tmp_path: Path, form: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ['{"type":"charge","amount":1}', f'{{"type":"charge","note":{value},"amount":2}}']
    assert rejections(tmp_path, lines, form, monkeypatch=monkeypatch) == [(2, NAN)]


@pytest.mark.parametrize("value", ["NaN", "-Infinity", "[1 ,\t ]"])
@pytest.mark.parametrize("split", [1, 2])
def test_a_lax_form_straddling_two_reads_of_the_byte_scan_is_found(
    tmp_path: Path, value: str, split: int
) -> None:
    # The byte scan reads 256 KiB at a time: the value starts `split` bytes before a block ends.
    head = '{"type":"charge","amount":1,"pad":"'
    tail = '"}'
    prefix = '{"type":"charge","amount":2,"note":'
    pad = (1 << 18) - split - len(prefix) - len(head) - len(tail) - 1
    lines = [head + "x" * pad + tail, prefix + value + "}"]
    assert len(lines[0]) + 1 + len(prefix) == (1 << 18) - split
    path = write_jsonl(tmp_path, lines, "plain")
    with EventLog.load([path], AMOUNTS, ZONE, skip_invalid=True) as log:
        assert not log.inputs[0].fast_path
        assert [r.line for r in log.rejections] == [2]


def test_words_like_nan_in_texts_keep_the_fast_path(tmp_path: Path) -> None:
    lines = [
        '{"type":"charge","level":"info","note":"Nancy and the infra team","amount":1}',
        '{"type":"charge","level":"INFO","note":"banana","amount":2}',
    ]
    path = write_jsonl(tmp_path, lines, "plain")
    with EventLog.load([path], AMOUNTS, ZONE) as log:
        assert log.inputs[0].fast_path and log.inputs[0].records == 2


def test_a_python_nan_is_rejected() -> None:
    records: list[dict[str, Any]] = [{"type": "charge", "amount": float("nan")}]
    with EventLog.load([records], SCHEMA, ZONE, skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [(1, NAN)]


# ------------------------------------------------------------------------------- near type names


@pytest.mark.parametrize("form", ["plain", "gz"])
def test_a_record_type_near_one_the_contract_reads_is_named(tmp_path: Path, form: str) -> None:
    lines = [
        '{"type":"Incident","start":"2026-01-03T10:00:00Z"}',
        '{"type":"incidents","start":"2026-01-03T10:00:00Z"}',
        '{"type":"Incident","start":"2026-01-04T10:00:00Z"}',
        '{"type":"deployment","time":"2026-01-04T10:00:00Z"}',
    ]
    path = write_jsonl(tmp_path, lines, form)
    single = EventSchema(fields={}, record_types=frozenset({"incident"}))
    for schema in (single, SCHEMA):  # one record type (not stored in the table) or several
        with EventLog.load([path], schema, ZONE) as log:
            assert log.inputs[0].near == (
                '2 records of type "Incident": did you mean "incident"?',
                '1 record of type "incidents": did you mean "incident"?',
            )


def test_the_text_report_names_a_near_record_type(tmp_path: Path) -> None:
    result = run_eval(tmp_path, ['{"type":"Incident","start":"2026-01-03T10:00:00Z"}'])
    assert result.exit_code == 0, result.output
    assert (
        '1 not used by this contract, 0 rejected\n  not used: 1 record of type "Incident": '
        'did you mean "incident"?'
    ) in result.output


def test_the_json_report_names_a_near_record_type_only_where_there_is_one(
    tmp_path: Path,
) -> None:
    near = run_eval(
        tmp_path, ['{"type":"Incident","start":"2026-01-03T10:00:00Z"}'], "--format", "json"
    )
    assert near.exit_code == 0, near.output
    assert json.loads(near.stdout)["inputs"][0]["near"] == [
        '1 record of type "Incident": did you mean "incident"?'
    ]
    plain = run_eval(
        tmp_path, ['{"type":"incident","start":"2026-01-03T10:00:00Z"}'], "--format", "json"
    )
    assert plain.exit_code == 0, plain.output
    assert "near" not in json.loads(plain.stdout)["inputs"][0]


def test_an_exponent_form_duckdb_would_cut_is_rejected_not_rounded() -> None:
    text = ".044545667379013814086318682513547513832E30"  # DuckDB reads ...513830
    records: list[dict[str, Any]] = [{"type": "charge", "amount": text}]
    with EventLog.load([records], AMOUNTS, ZONE, skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (
                1,
                f'`amount` "{text}" has an exponent after more than 38 characters: write it '
                "without the exponent",
            )
        ]
    plain = [{"type": "charge", "amount": "44545667379013814086318682513.547513832"}]
    with EventLog.load([plain], AMOUNTS, ZONE) as log:
        assert amounts(log) == [
            (Decimal("44545667379013814086318682513.547513832"), "DECIMAL(38,9)")
        ]


def test_a_comma_blanks_and_a_bracket_is_rejected_on_every_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fast scan's byte search sends a file with a blank before a bracket to the exact path,
    # which finds the comma before the blanks.
    lines = ['{"type":"charge","amount":1 ,\t}', '{"type":"charge","amount":[1 , ]}']
    for form in ("plain", "gz"):
        assert rejections(tmp_path, lines, form) == [
            (1, COMMA),
            (2, "not valid JSON (a comma before `]`)"),
        ]
    assert rejections(tmp_path, lines[:1], "exact", monkeypatch=monkeypatch) == [(1, COMMA)]
    path = write_jsonl(tmp_path, ['{"type":"charge","amount":[1, 2 ]}'], "plain")
    with EventLog.load([path], AMOUNTS, ZONE, skip_invalid=True) as log:
        assert not log.inputs[0].fast_path and log.rejected == 1  # a list is no amount

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

import pytest
from click.testing import CliRunner, Result

from obligo.cli import cli
from obligo.errors import EventDataError, ObligoError
from obligo.events import EventLog, loader
from obligo.events import EventSchema, FieldSource, FieldType
from obligo.events.schema import SchemaError

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
            assert log.inputs[0].fast_path is (form != "exact" and not log.rejections)
            return [(r.line, r.reason) for r in log.rejections]


FORMS = ["plain", "gz", "exact"]


# ------------------------------------------------------------------------- a type that is not text


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("written", "shown"),
    [("7", "7"), ("-1.5e3", "-1500.0"), ("true", "true"), ("false", "false"), ('{"a":1}', '{"a":1}')],
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
    path = write_jsonl(tmp_path, ['{"type":"7"}', '{"type":"true"}', '{"type":"incident"}'], "plain")
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

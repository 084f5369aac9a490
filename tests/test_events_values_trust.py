"""Values and fields read from event logs: every digit, a `type` that is text, CSV headers and
delimiters, strict JSON, the fields a metric needs, near names, and schemas no log can be read
with. Each bad input is named with its line and reason, on every path the loader takes."""

from __future__ import annotations

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
from obligo.events import EventLog, EventSchema, FieldSource, FieldType
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

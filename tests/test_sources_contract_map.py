"""Derived fields in the contract's `map` lines (docs/sources.md): parsed, printed back as
written, checked with located errors, and applied to every file of the log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import obligo
from obligo.render.formats import FORMATS
from obligo.syntax.printer import print_contract

HEAD = """\
contract demo "Demo" version 1
  term 2026-01-01
  timezone "Europe/Berlin"
"""

TAIL = """
metric reply "Replies within an hour"
  share of ticket records within target, per calendar month
  duration from start to responded
  target 60 min

clause 1 "Replies"
  promise reply >= 50%
"""

MAPS = """\
  map `Created at` to start as time "%Y-%m-%d %H:%M"
  map `Created at` plus `First reply` minutes to responded as time "%Y-%m-%d %H:%M" zone "Europe/Berlin"
  map "EU" to region
  map 2 to weight
  map secs to handling as duration in seconds
  map priority to severity through "SEV1" -> 1, "SEV2" -> 2
  map begin_time to start in incident records
"""


def test_map_lines_print_back_as_written() -> None:
    text = HEAD + MAPS + TAIL
    contract = obligo.parse(text, "m.sla")
    assert print_contract(contract) == text
    assert obligo.format_contract(text) == text
    derived = [m.target for m in contract.mappings if m.derived]
    assert derived == ["start", "responded", "region", "weight", "handling", "severity"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '  map c to start as time "%Y-%m-%d %H:%Q"\n',
            "m.sla:4:3: error: map ... to start: '%Y-%m-%d %H:%Q' is not a time form",
        ),
        (
            '  map c to start as time "%H:%M" zone "Europe/Berlinn"\n',
            "m.sla:4:3: error: map ... to start: 'Europe/Berlinn' is not an IANA time zone",
        ),
        (
            "  map c to handling as duration in fortnights\n",
            "m.sla:4:3: error: map ... to handling: 'fortnights' is not a unit of time",
        ),
        (
            '  map "x" to region in ticket records\n',
            "m.sla:4:3: error: map ... to region: a derived field applies to every record type",
        ),
    ],
)
def test_map_lines_are_checked_where_they_are_written(line: str, message: str) -> None:
    contract = obligo.parse(HEAD + line + TAIL, "m.sla")
    errors = [d.format() for d in obligo.check(contract) if d.severity is obligo.Severity.ERROR]
    assert len(errors) == 1
    assert errors[0].startswith(message)


def test_map_lines_derive_fields_of_every_file(tmp_path: Path) -> None:
    maps = (
        '  map `Created at` to start as time "%d/%m/%Y %H:%M"\n'
        "  map `Created at` plus `First reply time in minutes` minutes to responded"
        ' as time "%d/%m/%Y %H:%M"\n'
    )
    contract = obligo.parse(HEAD + maps + TAIL, "m.sla")
    export = tmp_path / "tickets.csv"
    export.write_text(
        "Id,Created at,First reply time in minutes,type\n"
        "1,05/01/2026 09:14,30,ticket\n"
        "2,06/01/2026 10:00,95,ticket\n"
        "3,07/01/2026 25:00,10,ticket\n",
        encoding="utf-8",
    )
    plain = tmp_path / "more.jsonl"
    plain.write_text(
        '{"type": "ticket", "start": "2026-01-08T10:00:00Z", "responded": "2026-01-08T10:05:00Z"}\n',
        encoding="utf-8",
    )
    report = obligo.evaluate(
        contract,
        [str(export), str(plain)],
        at=dt.datetime(2026, 2, 2, tzinfo=dt.UTC),
        skip_invalid=True,
    )
    lines = FORMATS["text"].render(report).splitlines()
    # 30 min and 5 min within the hour, 95 late: 2 of 3 (the third row's time is no time).
    assert "1 reply  2026-01  66.666666667%  >= 50%  met" in lines
    assert [(r.line, r.reason) for r in report.rejections] == [
        (4, "'Created at' is not a time in the form '%d/%m/%Y %H:%M': '07/01/2026 25:00'")
    ]


def test_records_given_as_objects_are_refused_when_the_contract_derives_fields() -> None:
    contract = obligo.parse(HEAD + '  map "eu" to region\n' + TAIL, "m.sla")
    with pytest.raises(obligo.EventDataError) as caught:
        obligo.evaluate(
            contract,
            [{"type": "ticket", "start": "2026-01-05T09:00:00Z"}],
            at=dt.datetime(2026, 2, 2, tzinfo=dt.UTC),
        )
    assert caught.value.message == (
        "the contract derives fields from a log's columns ('region' ...): give the log as a "
        ".csv or .jsonl file"
    )


def test_a_map_lines_column_spelt_otherwise_in_the_header_is_named(tmp_path: Path) -> None:
    # The header says `Priority`, the map line `priority`: read on, no ticket would have a
    # severity and a metric selecting by it would find nothing, without a word.
    maps = (
        '  map `Created at` to start as time "%Y-%m-%d %H:%M"\n'
        '  map priority to severity through "SEV1" -> 1, "SEV2" -> 2\n'
    )
    contract = obligo.parse(HEAD + maps + TAIL, "m.sla")
    export = tmp_path / "tickets.csv"
    export.write_text("Created at,Priority,type\n2026-01-05 09:14,SEV1,ticket\n", encoding="utf-8")
    with pytest.raises(obligo.EventDataError) as caught:
        obligo.evaluate(contract, [str(export)], at=dt.datetime(2026, 2, 2, tzinfo=dt.UTC))
    assert (caught.value.line, caught.value.message) == (
        1,
        f"{export}:1: the contract's map line reads the column 'priority' (for 'severity'),"
        " which the header does not have (did you mean 'Priority'?)",
    )


def test_a_file_without_a_map_lines_column_is_read_without_its_field(tmp_path: Path) -> None:
    # The map lines serve every file: one with no such column at all is read as it is.
    maps = '  map priority to severity through "SEV1" -> 1, "SEV2" -> 2\n'
    contract = obligo.parse(HEAD + maps + TAIL, "m.sla")
    export = tmp_path / "tickets.csv"
    export.write_text(
        "type,start,responded\nticket,2026-01-05T09:00:00Z,2026-01-05T09:30:00Z\n",
        encoding="utf-8",
    )
    report = obligo.evaluate(contract, [str(export)], at=dt.datetime(2026, 2, 2, tzinfo=dt.UTC))
    assert "1 reply  2026-01  100%      >= 50%  met" in FORMATS["text"].render(report).splitlines()


def test_every_map_form_derives_the_fields_a_metric_selects_and_measures(tmp_path: Path) -> None:
    # Epoch milliseconds as the time, epoch seconds compared with a date, minutes converted to
    # the field's stated seconds, a rename, a constant and a value table, all in the contract.
    text = """\
contract jobs "Jobs" version 1
  timezone "UTC"
  term 2026-01-01 to 2026-01-31
  field handling in s
  map ts_ms to time as time "epoch milliseconds"
  map ts_s to queued as time "epoch seconds"
  map mins to handling as duration in minutes
  map name to customer
  map "eu" to region
  map tier to level through "gold" -> 1, "silver" -> 2

metric slowest "Slowest gold job"
  maximum of handling in job records where customer = "acme" and region = "eu" and level = 1 and queued >= 2026-01-05, per calendar month

clause 1 "Quick"
  promise slowest <= 10 minutes
"""
    contract = obligo.parse(text, "jobs.sla")
    assert not [d for d in obligo.check(contract) if d.severity is obligo.Severity.ERROR]
    export = tmp_path / "jobs.csv"
    # 1767571200 is 2026-01-05T00:00:00Z: the first job was queued a second before it.
    export.write_text(
        "type,ts_ms,ts_s,mins,name,tier\n"
        "job,1767607200000,1767571199,40,acme,gold\n"
        "job,1767607300000,1767571200,15.5,acme,gold\n"
        "job,1767607400000,1767571300,30,acme,silver\n"
        "job,1767607500000,1767571400,50,globex,gold\n"
        "job,1767607600000,1767571500,2,acme,gold\n",
        encoding="utf-8",
    )
    report = obligo.evaluate(contract, [str(export)], at=dt.datetime(2026, 2, 2, tzinfo=dt.UTC))
    january = [line for line in FORMATS["text"].render(report).splitlines() if "2026-01" in line]
    # Of the gold jobs of acme queued from 5 January, the slowest took 15.5 minutes.
    assert january == ["1 slowest  2026-01  15 min 30 s  <= 10 min  breached"]
    [verdict] = report.verdicts
    assert str(verdict.value) == "930"

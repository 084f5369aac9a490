"""A CSV header that spells a field the contract reads otherwise (`End` for `end`, `Severity`
for `severity`) is an error at the header: read on, the field would be absent from every record
of the file, an outage would have no end and a `where` on the field would select nothing, a
wrong verdict without a word (src/obligo/events/_columns.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import obligo
from obligo.errors import EventDataError

CONTRACT = """\
contract demo "Demo" version 1
  term 2026-01-01
  timezone "UTC"

metric uptime "Uptime"
  availability per calendar month
  down during incident records where severity = 1

clause 1 "Uptime"
  promise uptime >= 99.9%
"""

AT = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)


def _evaluate(path: Path, *, typed: bool = False) -> obligo.Report:
    contract = obligo.parse(CONTRACT, "demo.sla")
    events = [obligo.Source(path, type="incident")] if typed else [str(path)]
    return obligo.evaluate(contract, events, at=AT)


def test_a_plain_csv_writing_end_as_End_is_refused_at_its_header(tmp_path: Path) -> None:
    log = tmp_path / "incidents.csv"
    log.write_text(
        "type,id,start,End,severity\nincident,I-1,2026-01-10T10:00:00Z,2026-01-10T11:00:00Z,1\n",
        encoding="utf-8",
    )
    with pytest.raises(EventDataError) as raised:
        _evaluate(log)
    error = raised.value
    assert (error.file, error.line) == (str(log), 1)
    assert "the header has the column 'End' where the contract reads 'end'" in error.message
    assert error.hint is not None and "rename the column to end" in error.hint


def test_a_typed_csv_writing_severity_otherwise_is_refused_at_its_header(tmp_path: Path) -> None:
    log = tmp_path / "incidents.csv"
    log.write_text(
        "id,start,end,Severity\nI-1,2026-01-10T10:00:00Z,2026-01-10T11:00:00Z,1\n",
        encoding="utf-8",
    )
    with pytest.raises(EventDataError) as raised:
        _evaluate(log, typed=True)
    assert "the header has the column 'Severity' where the contract reads 'severity'" in (
        raised.value.message
    )


def test_the_same_file_spelt_as_the_contract_reads_it_gives_the_verdict(tmp_path: Path) -> None:
    log = tmp_path / "incidents.csv"
    log.write_text(
        "type,Id,start,end,severity\nincident,I-1,2026-01-10T10:00:00Z,2026-01-10T11:00:00Z,1\n",
        encoding="utf-8",
    )
    # An `Id` column is no error: a record's id only names it in the evidence. January: 60 of
    # 44,640 minutes down, 99.865591398%, breached.
    [verdict] = [v for v in _evaluate(log).verdicts if v.period.label == "2026-01"]
    assert verdict.status == "breached"
    assert verdict.value == Decimal("99.865591398")


def test_json_lines_keys_spelt_otherwise_are_refused_too(tmp_path: Path) -> None:
    log = tmp_path / "incidents.jsonl"
    log.write_text(
        '{"type": "incident", "id": "I-1", "start": "2026-01-10T10:00:00Z",'
        ' "End": "2026-01-10T11:00:00Z", "severity": 1}\n',
        encoding="utf-8",
    )
    for typed in (False, True):
        with pytest.raises(EventDataError) as raised:
            _evaluate(log, typed=typed)
        assert f"{log}: its records have the key 'End' where the contract reads 'end'" in (
            raised.value.message
        )

"""The evaluation time: ``--at`` without an offset is read in the contract's timezone by the
rule the log's timestamps follow (a time in a daylight-saving gap does not exist; one in the
repeated hour is its first occurrence), and the library's ``at`` is a timezone-aware datetime or
an :class:`obligo.ObligoError`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import obligo
from engine_helpers import shop_contract
from obligo.cli import cli

CONTRACT = shop_contract()

INCIDENT = {
    "type": "incident",
    "id": "I-1",
    "severity": 1,
    "start": "2026-01-10T10:00:00+01:00",
    "end": "2026-01-10T11:00:00+01:00",
}

GAP_ERROR = (
    "error: --at 2026-03-29T02:30 does not exist in Europe/Berlin: it falls in a daylight-saving"
    " gap, where the clocks go forward from +01:00 to +02:00 (write the time with its offset,"
    " e.g. --at 2026-03-29T02:30+01:00)\n"
)


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop.sla").write_text(CONTRACT, encoding="utf-8")
    (tmp_path / "events.jsonl").write_text(json.dumps(INCIDENT) + "\n", encoding="utf-8")
    return CliRunner()


@pytest.mark.parametrize("command", ["eval", "baseline"])
def test_at_in_a_daylight_saving_gap_is_refused(runner: CliRunner, command: str) -> None:
    result = runner.invoke(
        cli, [command, "shop.sla", "--events", "events.jsonl", "--at", "2026-03-29T02:30"]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == GAP_ERROR


def test_the_same_time_in_the_log_is_rejected_by_the_same_rule(
    runner: CliRunner, tmp_path: Path
) -> None:
    gap = {**INCIDENT, "id": "I-2", "start": "2026-03-29T02:30:00", "end": "2026-03-29T04:00:00"}
    (tmp_path / "gap.jsonl").write_text(json.dumps(gap) + "\n", encoding="utf-8")
    result = runner.invoke(
        cli, ["eval", "shop.sla", "--events", "gap.jsonl", "--at", "2026-04-10T12:00"]
    )
    assert result.exit_code == 2
    assert "`start` " in result.stderr
    assert "does not exist in Europe/Berlin: it falls in a daylight-saving gap" in result.stderr


def test_at_with_its_offset_inside_the_gap_hour_is_an_instant(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        ["eval", "shop.sla", "--events", "events.jsonl", "--at", "2026-03-29T02:30+01:00",
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["evaluated_at"] == "2026-03-29T03:30:00+02:00"


def test_at_in_the_repeated_hour_is_its_first_occurrence_as_in_the_log(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(
        cli,
        ["eval", "shop.sla", "--events", "events.jsonl", "--at", "2026-10-25T02:30",
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["evaluated_at"] == "2026-10-25T02:30:00+02:00"
    # The log reads 02:30 of that night as 00:30 UTC too: an incident from then to 02:30 +01:00
    # (01:30 UTC) lasts one hour, 3,600 s of October's 2,682,000.
    fold = {**INCIDENT, "id": "I-3", "start": "2026-10-25T02:30:00", "end": "2026-10-25T01:30:00Z"}
    (tmp_path / "fold.jsonl").write_text(json.dumps(fold) + "\n", encoding="utf-8")
    report = runner.invoke(
        cli,
        ["eval", "shop.sla", "--events", "fold.jsonl", "--at", "2026-11-10T12:00",
         "--format", "json"],
    )  # fmt: skip
    assert report.exit_code == 0, report.stderr
    october = next(
        v for v in json.loads(report.stdout)["verdicts"] if v["period"]["label"] == "2026-10"
    )
    assert october["value"] == "99.865771812"  # 1 - 3600 / 2682000


# --------------------------------------------------------------------------------- library
@pytest.fixture()
def contract() -> obligo.model.Contract:
    return obligo.parse(CONTRACT, "shop.sla")


BAD_AT: list[tuple[Any, str]] = [
    (dt.datetime(2026, 3, 10, 12), "the evaluation time 2026-03-10T12:00:00 has no timezone"),
    (
        "2026-03-10T12:00+01:00",
        "the evaluation time must be a datetime, not str ('2026-03-10T12:00+01:00')",
    ),
    (dt.date(2026, 3, 10), "the evaluation time must be a datetime, not date"),
    (1773140400, "the evaluation time must be a datetime, not int (1773140400)"),
]


@pytest.mark.parametrize(("at", "message"), BAD_AT)
def test_evaluate_with_an_at_that_is_not_an_aware_datetime_raises_obligo_error(
    contract: obligo.model.Contract, at: Any, message: str
) -> None:
    with pytest.raises(obligo.ObligoError) as caught:
        obligo.evaluate(contract, [INCIDENT], at=at)
    assert caught.value.message.startswith(message)
    assert caught.value.hint is not None and "tzinfo=" in caught.value.hint
    assert not isinstance(caught.value, ValueError | TypeError)
    with pytest.raises(obligo.ObligoError, match="the evaluation time"):
        obligo.baseline(contract, [INCIDENT], at=at)


@pytest.mark.parametrize(("at", "message"), BAD_AT)
def test_evaluate_agreements_with_a_bad_at_raises_obligo_error(
    tmp_path: Path, at: Any, message: str
) -> None:
    (tmp_path / "shop.sla").write_text(CONTRACT, encoding="utf-8")
    agreements = obligo.load_agreements([tmp_path / "shop.sla"])
    with pytest.raises(obligo.ObligoError) as caught:
        obligo.evaluate_agreements(agreements, [INCIDENT], at=at)
    assert caught.value.message.startswith(message)


def test_an_aware_at_is_read_in_the_contract_timezone(contract: obligo.model.Contract) -> None:
    report = obligo.evaluate(contract, [INCIDENT], at=dt.datetime(2026, 3, 10, 11, tzinfo=dt.UTC))
    assert report.evaluated_at.isoformat() == "2026-03-10T12:00:00+01:00"

"""``obligo init``: a starter contract that checks clean and a sample log that evaluates at once,
with the verdicts its comments promise (issue 14)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from obligo import api
from obligo.cli import cli

PRINTED = """\
wrote my-service.sla and my-service.events.jsonl
try:
  obligo check my-service.sla
  obligo eval my-service.sla --events my-service.events.jsonl --at 2026-04-01T00:00:00Z
  obligo render my-service.sla -o my-service.html
"""


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    before = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(before)


def _init(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["init", *args])
    return result.exit_code, result.output


def test_init_writes_the_starter_and_prints_the_commands(folder: Path) -> None:
    assert _init() == (0, PRINTED)
    assert sorted(p.name for p in folder.iterdir()) == ["my-service.events.jsonl", "my-service.sla"]
    text = (folder / "my-service.sla").read_text("utf-8")
    assert text.startswith("# A starter contract written by `obligo init`.")
    assert 'contract my-service "Service level agreement" version 1' in text


def test_the_starter_checks_clean_and_evaluates_as_its_comments_say(folder: Path) -> None:
    _init("uplink")
    contract = api.load("uplink.sla")
    assert api.check(contract) == []
    report = api.evaluate(
        contract, "uplink.events.jsonl", at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    )
    assert [(v.period.label, v.status) for v in report.verdicts] == [
        ("2026-01", "met"),  # a severity 3 incident is not downtime
        ("2026-02", "breached"),  # 2 hours down: 99.70% < 99.9%
        ("2026-03", "met"),  # 2.5 hours in announced maintenance excluded, 20 minutes not
        ("2026-04", "pending"),
    ]


def test_the_printed_eval_command_runs(folder: Path) -> None:
    _init()
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            "my-service.sla",
            "--events",
            "my-service.events.jsonl",
            "--at",
            "2026-04-01T00:00:00Z",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 uptime  2026-02  99.702380952%  >= 99.9%  breached" in result.output
    assert "1 credit 2026-02: 100.00 EUR" in result.output
    assert "my-service.events.jsonl: 6 lines, 5 used" in result.output


def test_init_never_replaces_a_file_without_force(folder: Path) -> None:
    (folder / "my-service.sla").write_text("edited by hand\n", "utf-8")
    code, output = _init()
    assert code == 2
    assert output == (
        "error: my-service.sla exists already: nothing written (choose another name, or add"
        " --force to replace it)\n"
    )
    assert (folder / "my-service.sla").read_text("utf-8") == "edited by hand\n"
    assert not (folder / "my-service.events.jsonl").exists()  # nothing written, not half
    assert _init("--force")[0] == 0
    assert (folder / "my-service.sla").read_text("utf-8").startswith("# A starter contract")


@pytest.mark.parametrize("name", ["../escape", "My Service", "a.b", "x-", ""])
def test_init_refuses_a_name_that_is_no_contract_name(folder: Path, name: str) -> None:
    code, output = _init(name)
    assert code == 2
    assert "cannot name a contract: use lowercase words joined by hyphens" in output
    assert list(folder.iterdir()) == []

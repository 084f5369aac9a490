"""``obligo eval --fail-on``: exit 1 when the report shows a condition named (a breach, a period
without data, a pending period whose error budget is spent, lines rejected), the report still
written in full; 0 without it whenever the evaluation ran; 2 for input errors.

One contract and log, each condition in a month of its own; ``--from``/``--to`` choose the
months shown, so that each case shows exactly one condition (worked out next to the records).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from obligo.cli import cli

CONTRACT = """\
contract shop "Web shop"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric uptime "Shop availability"
  availability, per calendar month
  down during incident records where severity <= 2

metric success "Successful requests"
  ratio of count(request records where status < 500) to count(request records), per calendar month

clause 1 "Availability"
  promise uptime >= 99.9%

clause 2 "Success"
  promise success >= 99%
"""

# January: 3,600 s down of 2,678,400 s -> 99.865591398%, uptime breached; 1 of 1 request good.
# February: no incident (met); no request -> success has no data.
# March, pending at 10 March 00:00: 3 hours down on 2 March; the whole month allows 0.1% of
# 2,678,400 s = 2,678.4 s, so the budget is spent (-8,121.6 s left) while the verdict is pending.
# Its one good request leaves success a budget of 0 failed records that nothing has used: not
# spent (used 0%).
RECORDS: list[dict[str, Any]] = [
    {
        "type": "incident",
        "id": "I-1",
        "severity": 1,
        "start": "2026-01-10T10:00:00Z",
        "end": "2026-01-10T11:00:00Z",
    },
    {"type": "request", "time": "2026-01-02T10:00:00Z", "status": 200},
    {
        "type": "incident",
        "id": "I-3",
        "severity": 1,
        "start": "2026-03-02T10:00:00Z",
        "end": "2026-03-02T13:00:00Z",
    },
    {"type": "request", "time": "2026-03-02T10:00:00Z", "status": 200},
]
AT = "2026-03-10T00:00:00Z"
REPO = Path(__file__).resolve().parent.parent
MONTHS = {
    "january": ("2026-01-01", "2026-01-31"),
    "february": ("2026-02-01", "2026-02-28"),
    "march": ("2026-03-01", "2026-03-31"),
}


def run(tmp_path: Path, month: str, *options: str, bad_line: bool = False) -> Result:
    contract = tmp_path / "shop.sla"
    contract.write_text(CONTRACT, encoding="utf-8")
    log = tmp_path / "events.jsonl"
    lines = [json.dumps(r) for r in RECORDS] + (
        ['{"type": "request", "time": "soon"}'] if bad_line else []
    )
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start, end = MONTHS[month]
    args = ["eval", str(contract), "--events", str(log), "--at", AT, "--from", start, "--to", end]
    return CliRunner().invoke(cli, [*args, *options])


@pytest.mark.parametrize(
    ("month", "condition"),
    [("january", "breached"), ("february", "no-data"), ("march", "budget-exhausted")],
)
def test_each_condition_fails_only_the_month_that_shows_it(
    tmp_path: Path, month: str, condition: str
) -> None:
    for other in MONTHS:
        result = run(tmp_path, other, "--fail-on", condition)
        if other == month:
            assert result.exit_code == 1, result.output
            assert result.stderr == f"failing on: {condition}\n"
        else:
            assert result.exit_code == 0, (other, result.output)
            assert result.stderr == ""


def test_the_report_is_written_in_full_before_the_gate_fails(tmp_path: Path) -> None:
    plain = run(tmp_path, "january")
    gated = run(tmp_path, "january", "--fail-on", "breached")
    assert plain.exit_code == 0
    assert gated.exit_code == 1
    assert gated.stdout == plain.stdout
    assert "1 uptime   2026-01  99.865591398%  >= 99.9%  breached" in plain.stdout


def test_without_fail_on_a_breach_exits_0(tmp_path: Path) -> None:
    for month in MONTHS:
        assert run(tmp_path, month).exit_code == 0


def test_several_conditions_are_named_in_their_order(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        "march",
        "--fail-on",
        "rejected-lines",
        "--fail-on",
        "budget-exhausted",
        "--skip-invalid",
        bad_line=True,
    )
    assert result.exit_code == 1
    assert result.stderr == "failing on: budget-exhausted, rejected-lines\n"


def test_rejected_lines_fail_the_gate_under_skip_invalid(tmp_path: Path) -> None:
    result = run(
        tmp_path, "february", "--fail-on", "rejected-lines", "--skip-invalid", bad_line=True
    )
    assert result.exit_code == 1
    assert result.stderr == "failing on: rejected-lines\n"
    assert "1 rejected" in result.stdout
    clean = run(tmp_path, "february", "--fail-on", "rejected-lines", "--skip-invalid")
    assert clean.exit_code == 0


def test_a_rejected_line_without_skip_invalid_is_still_an_input_error(tmp_path: Path) -> None:
    result = run(tmp_path, "february", "--fail-on", "rejected-lines", bad_line=True)
    assert result.exit_code == 2
    assert result.stdout == ""


def test_an_unknown_condition_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path, "january", "--fail-on", "late")
    assert result.exit_code == 2
    assert (
        "Invalid value for '--fail-on': 'late' is not one of 'breached', 'no-data',"
        in result.stderr
    )


def test_an_agreement_set_gates_on_every_section(tmp_path: Path) -> None:
    """nimbus: Globex's database is down 2 hours in June (99.722222222% against its level's
    99.95%): breached in the section globex/db, so the set fails on breached; June is over, so
    no budget is spent."""
    log = tmp_path / "events.jsonl"
    log.write_text(
        json.dumps(
            {"type": "incident", "id": "G-DB-1", "customer": "globex", "service": "db",
             "severity": 1, "start": "2026-06-10T10:00:00Z", "end": "2026-06-10T12:00:00Z"}
        ) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    args = ["eval", str(REPO / "contracts" / "nimbus"), "--events", str(log),
            "--at", "2026-08-01T00:00:00+01:00", "--from", "2026-06-01", "--to", "2026-06-30"]  # fmt: skip
    assert CliRunner().invoke(cli, [*args, "--fail-on", "budget-exhausted"]).exit_code == 0
    gated = CliRunner().invoke(cli, [*args, "--fail-on", "breached"])
    assert gated.exit_code == 1
    assert gated.stderr == "failing on: breached\n"

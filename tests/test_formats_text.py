"""The text report for people: durations as people write them, ``--precision`` for
percentages, and long lines folded to the terminal's width only when the report goes to a
terminal (a file or a pipe gets whole lines, for programs that read them one by one)."""

from __future__ import annotations

import io
import os
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from obligo.cli import cli
from obligo.cli import evaluate as evaluate_command
from obligo.render.options import RenderOptions
from obligo.render.quantities import duration, percent, quantity
from obligo.render.text import report_text, wrapped
from obligo.report.model import Report
from test_golden import REPO, evaluated

ACME = [
    "eval",
    "contracts/acme-hosting.sla",
    "--events",
    "contracts/acme-hosting/events.jsonl",
    "--at",
    "2026-04-15T12:00:00+02:00",
]


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        ("13392", "3 h 43 min 12 s"),
        ("2700", "45 min"),
        ("0", "0 s"),
        ("59.5", "59.5 s"),
        ("86400", "1 d"),
        ("90061", "1 d 1 h 1 min 1 s"),
        ("2378.40", "39 min 38.4 s"),  # a trailing zero is not a digit of the value
        ("95.52955296", "1 min 35.52955296 s"),  # nothing is rounded away
        ("-120", "-2 min"),
    ],
)
def test_a_duration_reads_as_people_write_it(seconds: str, words: str) -> None:
    assert duration(Decimal(seconds)) == words


def test_units_of_time_are_durations_and_others_are_left_as_they_are() -> None:
    assert quantity(Decimal("1392"), "seconds of downtime") == "23 min 12 s of downtime"
    assert quantity(Decimal("1.592159216"), "minutes") == "1 min 35.52955296 s"
    assert quantity(Decimal("2700"), "s") == "45 min"
    assert quantity(Decimal("38.5"), "ms") == "38.5 ms"
    assert quantity(Decimal("2"), "late records") == "2 late records"
    assert quantity(Decimal("0.12"), "") == "0.12"


def test_precision_rounds_half_to_even_to_exactly_that_many_places() -> None:
    assert percent(Decimal("99.922839506"), None) == "99.922839506"
    assert percent(Decimal("99.922839506"), 2) == "99.92"
    assert percent(Decimal("99.985"), 2) == "99.98"
    assert percent(Decimal("99.995"), 2) == "100.00"
    assert percent(Decimal("100"), 3) == "100.000"
    assert percent(Decimal("66.666666667"), 0) == "67"


def test_a_rounded_percentage_never_crosses_its_target() -> None:
    """Rounded away from the number it was compared with: a breach never reads as met."""
    below, above, target = Decimal("99.86359127"), Decimal("99.94"), Decimal("99.9")
    assert percent(below, 1, target) == "99.8"  # half to even would show 99.9
    assert percent(above, 1, target) == "100.0"
    assert percent(Decimal("0.15"), 1, Decimal("0.1")) == "0.2"  # above a `<=` target
    assert percent(Decimal("0.05"), 1, Decimal("0.1")) == "0.0"
    assert percent(target, 0, target) == "100"  # on it: half to even


def test_a_long_line_folds_under_itself_and_no_word_is_broken() -> None:
    line = "    " + "word " * 30 + "a/very/long/path/that/does/not/fit/in/twenty/columns.jsonl"
    folded = wrapped([line], 40)
    assert folded[0].startswith("    word") and all(f.startswith("      ") for f in folded[1:])
    assert all(len(f) <= 40 for f in folded[:-1])
    assert folded[-1] == "      a/very/long/path/that/does/not/fit/in/twenty/columns.jsonl"
    assert " ".join(f.strip() for f in folded) == line.strip()
    assert wrapped([line], None) == [line]


def _acme() -> Report:
    found = evaluated("acme-hosting")
    assert isinstance(found, Report)
    return found


def test_folding_leaves_the_table_whole_and_changes_no_word() -> None:
    report = _acme()
    whole = report_text([report])
    folded = report_text([report], RenderOptions(width=80))
    table = [line for line in whole.splitlines() if line.startswith(("clause ", "4.", "5."))]
    assert any(len(line) > 80 for line in table)
    assert all(line in folded.splitlines() for line in table)
    assert all(len(line) <= 80 for line in folded.splitlines() if line not in table)
    assert folded.split() == whole.split()


def _run(args: list[str]) -> tuple[int, str]:
    previous = Path.cwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(cli, args)
    finally:
        os.chdir(previous)
    return result.exit_code, result.output


def test_a_pipe_gets_whole_lines() -> None:
    code, out = _run(ACME)
    assert code == 0
    assert out == report_text([_acme()])
    assert any(len(line) > 200 for line in out.splitlines())  # the baseline review's reason


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_lines_folded_to_its_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate_command.sys, "stdout", _Terminal())
    monkeypatch.setenv("COLUMNS", "72")
    assert evaluate_command._terminal_width(None) == 72
    assert evaluate_command._terminal_width("report.txt") is None  # a file: never folded
    monkeypatch.setattr(evaluate_command.sys, "stdout", io.StringIO())
    assert evaluate_command._terminal_width(None) is None


def test_precision_in_text_and_its_limits() -> None:
    code, out = _run([*ACME, "--precision", "1"])
    assert code == 0
    assert "4.1 api-uptime         2026-02  99.8%     >= 99.9%         breached" in out
    code, out = _run([*ACME, "--precision", "-1"])
    assert code == 2 and "--precision" in out


def test_the_plan_is_text_or_json_only() -> None:
    code, out = _run(["eval", "contracts/acme-hosting.sla", "--plan", "--format", "markdown"])
    assert code == 2 and "--plan is written as text or json, not markdown" in out


def test_an_agreement_set_folds_too_and_keeps_its_tables(tmp_path: Path) -> None:
    from obligo.render.text import portfolio_text
    from test_portfolio import nimbus

    portfolio = nimbus(tmp_path)
    whole = portfolio_text(portfolio)
    folded = portfolio_text(portfolio, RenderOptions(width=60))
    assert folded.split() == whole.split()
    tables = {line for line in whole.splitlines() if line.startswith("clause ")}
    assert tables and tables <= set(folded.splitlines())
    wide = [line for line in folded.splitlines() if len(line) > 60]
    # Only rows of the verdict tables stay wide, and a word longer than the width (a file name
    # with its line), alone on its line.
    rows = set(whole.splitlines())
    assert wide and all(
        (line in rows and "  " in line.strip()) or " " not in line.strip() for line in wide
    )

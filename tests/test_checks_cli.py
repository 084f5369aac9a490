"""``obligo check`` on the command line: diagnostics with a caret, and the exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from obligo.cli import cli

CLEAN = """\
contract demo
  provider nimbus
  term 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"
  currency EUR

service api
  fee 1000 EUR monthly
  delivered by nimbus

metric api-uptime
  availability of api, per calendar month
  down during incident records

clause 4.1
  promise api-uptime >= 99.9%
  credit 10% of the fee when api-uptime < 99.9%
"""

# One error: the caret must stand under "api-uptim", column 11 of line 16.
ERROR = CLEAN.replace("promise api-uptime >=", "promise api-uptim >=")

# One warning: a gap between tiers, which some agreements intend.
WARNING = CLEAN.replace(
    "  credit 10% of the fee when api-uptime < 99.9%\n",
    "  credit\n"
    "    10% of the fee when api-uptime <= 99.9% and > 99.0%\n"
    "    25% of the fee when api-uptime < 99.0%\n",
)


def run(
    tmp_path: Path, text: str | bytes | None, *args: str, name: str = "x.sla"
) -> tuple[int, str]:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    elif isinstance(text, bytes):
        path.write_bytes(text)
    result = CliRunner().invoke(cli, ["check", str(path), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_clean_contract_exits_0(tmp_path: Path) -> None:
    code, output = run(tmp_path, CLEAN)
    assert code == 0, output
    assert "error:" not in output and "warning:" not in output
    assert code == run(tmp_path, CLEAN, "--strict")[0] == 0


def test_an_error_prints_the_place_the_line_and_a_caret_and_exits_2(tmp_path: Path) -> None:
    code, output = run(tmp_path, ERROR)
    assert code == 2
    path = str(tmp_path / "x.sla")
    lines = output.splitlines()
    first = lines.index(
        f'{path}:16:11: error: unknown metric "api-uptim" (did you mean "api-uptime"?)'
    )
    source, caret = lines[first + 1], lines[first + 2]
    assert source.strip() == "promise api-uptim >= 99.9%"
    assert caret.strip() == "^"
    assert source.index("api-uptim") == caret.index("^")  # the caret is under the word
    assert "1 file checked: 1 error, 0 warnings" in output


def test_warnings_only_exit_0_and_1_with_strict(tmp_path: Path) -> None:
    code, output = run(tmp_path, WARNING)
    assert code == 0, output
    line = next(line for line in output.splitlines() if ": warning: " in line)
    assert line.startswith(f"{tmp_path / 'x.sla'}:19:25: warning: a gap between tiers:")
    assert "1 file checked: 0 errors, 1 warning" in output
    code, output = run(tmp_path, WARNING, "--strict")
    assert code == 1, output


def test_errors_exit_2_even_with_strict(tmp_path: Path) -> None:
    assert run(tmp_path, ERROR, "--strict")[0] == 2


def test_several_files_sum_up(tmp_path: Path) -> None:
    (tmp_path / "a.sla").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "b.sla").write_text(WARNING, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "a.sla"), str(tmp_path / "b.sla")])
    assert result.exit_code == 0
    assert "2 files checked: 0 errors, 1 warning" in result.output


def test_a_syntax_error_is_a_diagnostic_and_exits_2(tmp_path: Path) -> None:
    code, output = run(tmp_path, CLEAN.replace("promise api-uptime >= 99.9%", "promise >= 99.9%"))
    assert code == 2
    assert f"{tmp_path / 'x.sla'}:16:" in output and ": error: " in output


def test_a_nonexistent_file_exits_2_without_a_traceback(tmp_path: Path) -> None:
    code, output = run(tmp_path, None, name="missing.sla")
    assert code == 2
    assert "missing.sla" in output


def test_an_unreadable_file_exits_2_without_a_traceback(tmp_path: Path) -> None:
    code, output = run(tmp_path, b'contract demo\n  timezone "UTC"\n\xff\xfe\n')
    assert code == 2
    assert f"{tmp_path / 'x.sla'}:1:1: error: cannot read" in output


def test_a_folder_without_contracts_exits_2_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "folder.sla").mkdir()
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "folder.sla")])
    assert result.exit_code == 2
    assert "no .sla files in the folder" in result.output
    assert "Traceback" not in result.output


NIMBUS = Path(__file__).resolve().parent.parent / "contracts" / "nimbus"


def test_a_folder_is_checked_file_by_file() -> None:
    result = CliRunner().invoke(cli, ["check", str(NIMBUS)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "6 files checked: 0 errors, 0 warnings"


def test_resolve_prints_each_clause_with_its_level_and_file() -> None:
    result = CliRunner().invoke(
        cli, ["check", "--resolve", "customer=globex,service=db", str(NIMBUS)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("resolved agreement for customer globex, service db\n")
    lines = result.stdout.splitlines()
    clause = next(i for i, line in enumerate(lines) if line.startswith("  1.1 "))
    assert lines[clause].split()[-2:] == ["service", f"{NIMBUS / 'globex-db.sla'}:14"]
    assert "replaces customer" in lines[clause + 1]


def test_resolve_an_uncovered_pair_exits_2_with_a_suggestion() -> None:
    result = CliRunner().invoke(
        cli, ["check", "--resolve", "customer=globx,service=db", str(NIMBUS)]
    )
    assert result.exit_code == 2
    assert 'no agreement covers customer "globx" (did you mean "globex"?)' in result.stdout
    assert "Traceback" not in result.output


def test_a_path_that_is_no_contract_is_named_for_what_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.sla").symlink_to("b.sla")
    (tmp_path / "b.sla").symlink_to("a.sla")
    runner = CliRunner()
    for command in (["check", "a.sla"], ["eval", "a.sla", "--events", "x.jsonl"]):
        result = runner.invoke(cli, command)
        assert result.exit_code == 2
        assert "a.sla:1:1: error: cannot read a.sla: a loop of symbolic links" in result.output
    result = runner.invoke(cli, ["check", "nope.sla"])
    assert result.exit_code == 2
    assert result.stdout == "nope.sla:1:1: error: cannot read nope.sla: no such file\n"


def test_a_folder_named_like_a_contract_inside_a_folder_is_skipped_as_eval_skips_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "sub.sla").mkdir()
    (tmp_path / "set" / "demo.sla").write_text(CLEAN, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "set"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "1 file checked: 0 errors, 0 warnings\n"

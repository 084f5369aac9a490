"""Every command's ``--help`` ends with an example that works and the page of the docs that says
more (issue 14): the example names bundled files that exist, and it runs."""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from obligo.cli import cli

REPO = Path(__file__).resolve().parent.parent
COMMANDS = ("check", "fmt", "eval", "baseline", "render", "init", "explain")


def _help(command: str) -> str:
    result = CliRunner().invoke(cli, [command, "--help"], terminal_width=80)
    assert result.exit_code == 0
    return result.output


def _example(command: str) -> list[str]:
    lines = _help(command).splitlines()
    at = lines.index("  Example:")
    return shlex.split(lines[at + 1])


def test_every_command_has_help() -> None:
    assert set(COMMANDS) <= set(cli.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_the_help_ends_with_an_example_and_a_page(command: str) -> None:
    text = _help(command)
    words = _example(command)
    assert words[:2] == ["obligo", command]
    page = text.rstrip().splitlines()[-1].strip()
    assert page.startswith("See docs/") and page.endswith(".md.")
    assert (REPO / page.removeprefix("See ").removesuffix(".")).is_file()


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "init"])
def test_the_example_names_bundled_files_that_exist(command: str) -> None:
    named = [w for w in _example(command) if w.startswith("contracts/")]
    assert named, "the example names no bundled file"
    for word in named:
        assert (REPO / word).is_file(), word


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """A folder with the bundled contracts in it, where an example may write its output."""
    (tmp_path / "contracts").symlink_to(REPO / "contracts")
    before = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(before)


@pytest.mark.parametrize("command", COMMANDS)
def test_the_example_runs(command: str, folder: Path) -> None:
    result = CliRunner().invoke(cli, _example(command)[1:])
    # eval's example gates on a breach (--fail-on breached): acme-hosting's February and March.
    assert result.exit_code == (1 if command == "eval" else 0), result.output

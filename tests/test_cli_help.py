"""Every command's ``--help`` ends with an example that works and the page of the docs that says
more (issue 14): the example names bundled files that exist, and it runs."""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from obligo.cli import cli

REPO = Path(__file__).resolve().parent.parent
COMMANDS = (
    "check",
    "fmt",
    "eval",
    "baseline",
    "render",
    "init",
    "explain",
    "budget",
    "review",
    "import openslo",
    "export openslo",
)
# The folders an example may name: the bundled contracts, and the OpenSLO files docs/openslo.md uses.
BUNDLED = ("contracts/", "tests/data/")


def _help(command: str) -> str:
    result = CliRunner().invoke(cli, [*command.split(), "--help"], terminal_width=80)
    assert result.exit_code == 0
    return result.output


def _example(command: str) -> list[str]:
    lines = _help(command).splitlines()
    at = lines.index("  Example:")
    return shlex.split(lines[at + 1])


def _commands(group: click.Group, prefix: str = "") -> set[str]:
    """Every command a user can run, a group's subcommands by their full name."""
    names: set[str] = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names |= _commands(command, f"{prefix}{name} ")
        else:
            names.add(f"{prefix}{name}")
    return names


def test_every_command_is_checked() -> None:
    assert isinstance(cli, click.Group)
    assert _commands(cli) == set(COMMANDS)


def test_the_tools_help_points_to_a_first_command_and_the_docs() -> None:
    result = CliRunner().invoke(cli, ["--help"], terminal_width=80)
    assert result.exit_code == 0
    assert (
        "  Example:\n"
        "    obligo eval contracts/acme-hosting.sla --events contracts/acme-hosting/events.jsonl\n"
    ) in result.output
    assert result.output.rstrip().endswith("See README.md and docs/.")


@pytest.mark.parametrize("command", COMMANDS)
def test_the_help_ends_with_an_example_and_a_page(command: str) -> None:
    text = _help(command)
    words = _example(command)
    assert words[: 1 + len(command.split())] == ["obligo", *command.split()]
    page = text.rstrip().splitlines()[-1].strip()
    assert page.startswith("See docs/") and page.endswith(".md.")
    assert (REPO / page.removeprefix("See ").removesuffix(".")).is_file()


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "init"])
def test_the_example_names_bundled_files_that_exist(command: str) -> None:
    named = [w for w in _example(command) if w.startswith(BUNDLED)]
    assert named, "the example names no bundled file"
    for word in named:
        assert (REPO / word).is_file(), word


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """A folder with the bundled contracts in it, where an example may write its output."""
    (tmp_path / "contracts").symlink_to(REPO / "contracts")
    (tmp_path / "tests").symlink_to(REPO / "tests")
    before = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(before)


@pytest.mark.parametrize("command", COMMANDS)
def test_the_example_runs(command: str, folder: Path) -> None:
    result = CliRunner().invoke(cli, _example(command)[1:])
    # eval's example gates on a breach (--fail-on breached): acme-hosting's February and March.
    assert result.exit_code == (1 if command == "eval" else 0), result.output

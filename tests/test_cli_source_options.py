"""``--sources FILE`` and ``--encoding`` on every command that reads event logs, as ``obligo
eval`` has them: a ``;`` CSV written by a Windows spreadsheet (cp1252, French column names,
local day-first times) read through a sources file, with no hand editing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from obligo.cli import cli

CONTRACT = """contract c "Exports" version 1
  timezone "UTC"
  term 2026-01-01

metric m "Availability"
  availability, per calendar month
  down during incident records where service = "Café"

clause 1 "Up"
  promise m >= 99.9%
"""

# One hour down on 5 January, half an hour on 3 February; "é" is byte 0xE9 in cp1252.
EXPORT = (
    "Service;Début;Fin\r\n"
    "Café;05/01/2026 10:00;05/01/2026 11:00\r\n"
    "Café;03/02/2026 10:00;03/02/2026 10:30\r\n"
)

SOURCES = """[[source]]
match = "pannes-*.csv"
type = "incident"
encoding = "cp1252"

[source.fields]
service = "Service"
start = { column = "Début", time = "%d/%m/%Y %H:%M" }
end = { column = "Fin", time = "%d/%m/%Y %H:%M" }
"""

AT = "2026-02-15T00:00:00Z"

# Each command, its own arguments, and the line that shows January's hour of downtime read.
COMMANDS = {
    "baseline": ([], "  2026-01  99.865591398%  134.408602151%  breached"),
    "budget": ([], "  so far       99.851190476%"),
    "review": (
        ["--period", "2026-01"],
        "| 1 Up | m &gt;= 99.9% | 99.865591398% | breached | -0.034408602% |  |",
    ),
    "explain": (
        ["--clause", "1", "--period", "2026-01"],
        "  - availability = (2678400 s - 3600 s down) / 2678400 s x 100 = 99.865591398%",
    ),
}


def _folder(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "c.sla").write_text(CONTRACT, encoding="utf-8")
    export = tmp_path / "pannes-2026.csv"
    export.write_bytes(EXPORT.encode("cp1252"))
    return tmp_path / "c.sla", export


def _run(command: str, contract: Path, *args: str) -> tuple[int, str, str]:
    extra, _ = COMMANDS[command]
    result = CliRunner().invoke(cli, [command, str(contract), *args, "--at", AT, *extra])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_semicolon_cp1252_export_is_read_through_a_sources_file(
    tmp_path: Path, command: str
) -> None:
    contract, export = _folder(tmp_path)
    sources = tmp_path / "reading.toml"  # not the default name: only --sources finds it
    sources.write_text(SOURCES, encoding="utf-8")
    code, out, err = _run(command, contract, "--events", str(export), "--sources", str(sources))
    assert code == 0, err
    assert COMMANDS[command][1] in out.splitlines()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_without_the_sources_file_the_export_is_refused(tmp_path: Path, command: str) -> None:
    """The option does the work: the same export read as a plain UTF-8 log is an error."""
    contract, export = _folder(tmp_path)
    code, _, err = _run(command, contract, "--events", str(export))
    assert code == 2
    assert err == f"error: {export}: the header is not valid UTF-8\n"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_sources_file_beside_the_contract_is_read_by_default(
    tmp_path: Path, command: str
) -> None:
    contract, export = _folder(tmp_path)
    (tmp_path / "obligo.sources.toml").write_text(SOURCES, encoding="utf-8")
    code, out, err = _run(command, contract, "--events", str(export))
    assert code == 0, err
    assert COMMANDS[command][1] in out.splitlines()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_encoding_reads_a_cp1252_log(tmp_path: Path, command: str) -> None:
    contract, _ = _folder(tmp_path)
    log = tmp_path / "plain.csv"
    log.write_bytes(
        (
            "service;start;end\r\n"
            "Café;2026-01-05T10:00:00Z;2026-01-05T11:00:00Z\r\n"
            "Café;2026-02-03T10:00:00Z;2026-02-03T10:30:00Z\r\n"
        ).encode("cp1252")
    )
    events = ["--events", f"incident={log}"]
    code, out, err = _run(command, contract, *events, "--encoding", "cp1252")
    assert code == 0, err
    assert COMMANDS[command][1] in out.splitlines()
    code, _, err = _run(command, contract, *events)
    assert code == 2
    assert err.startswith(f"error: {log}:2: bytes that are not utf-8 text")


@pytest.mark.parametrize("command", ["baseline", "budget", "review"])
def test_the_report_never_replaces_an_export_read_through_the_sources(
    tmp_path: Path, command: str
) -> None:
    contract, export = _folder(tmp_path)
    sources = tmp_path / "reading.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    events = ["--events", str(export), "--sources", str(sources)]
    code, _, err = _run(command, contract, *events, "-o", str(export))
    assert code == 2
    assert err == (
        f"error: will not write the report to {export}: it is the event log {export},"
        " read by this run\n"
    )
    assert export.read_bytes() == EXPORT.encode("cp1252")

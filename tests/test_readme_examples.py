"""The README's one-line examples of `obligo eval --fail-on` and `obligo explain` (issue 14: "one
example each of explain, budget and --fail-on") run as written and do what the README says of
them. The budget example's output is checked in tests/test_budget_docs.py."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from obligo.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _command(start: str) -> list[str]:
    """The README's one inline command (between backticks) that starts with ``start``."""
    found = re.findall(rf"`({re.escape(start)}[^`]*)`", README)
    assert len(found) == 1, found
    words = shlex.split(found[0])
    assert words[0] == "obligo"
    return words[1:]


def test_the_fail_on_example_exits_1_on_februarys_and_marchs_breaches() -> None:
    words = _command("obligo eval contracts/acme-hosting.sla")
    assert words[-2:] == ["--fail-on", "breached"]
    result = CliRunner().invoke(cli, words)
    # "exits 1 (February and March are breached)": the report is written in full first.
    assert result.exit_code == 1
    assert result.stderr == "failing on: breached\n"
    breached = re.findall(r"^4\.1 api-uptime +(\S+) .* breached$", result.stdout, flags=re.M)
    assert breached == ["2026-02", "2026-03"]
    # Without --fail-on the same evaluation exits 0, breaches included.
    assert CliRunner().invoke(cli, words[:-2]).exit_code == 0


def test_the_explain_example_shows_the_late_maintenance_counted_as_downtime() -> None:
    words = _command("obligo explain contracts/acme-hosting.sla")
    result = CliRunner().invoke(cli, words)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith('explain clause 4.1 "API availability", period 2026-03\n')
    assert "  - status: breached;" in out
    # "a maintenance announced too late counted as downtime"
    assert (
        "  - refused, so counted as ordinary downtime: maintenance MNT-302 from "
        "2026-03-20T22:00:00+01:00, exclusion maintenance: announced 2 days 10 hours before "
        "start, 5 days required\n"
    ) in out
    assert (
        "  - maintenance MNT-302 2026-03-20T22:00:00+01:00 to 2026-03-20T23:00:00+01:00: 3600 s "
        "(exclusion maintenance refused: announced 2 days 10 hours before start, 5 days "
        "required)\n"
    ) in out

"""A late ticket whose clock stopped shows each pause beside it in every format that lists the
records of a breach (issue 14's decision: pauses "appear in every format as they land"): HTML and
Markdown did already; `obligo explain` and the JUnit failure text now do too."""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner

import obligo
from obligo.cli import cli
from obligo.render.junit import report_junit
from test_engine_pauses import DESK, END_OF_MARCH, parse, status, t, ticket

SCHEMA = xmlschema.XMLSchema10(Path(__file__).resolve().parent / "junit" / "junit-10.xsd")
# On hold 10:00-14:00 pushes T2's due time from 13:00 to 17:00; answered 17:00:30, 30 s late.
EVENTS = [
    ticket("T2", t(3, "09:00"), responded=t(3, "17:00:30")),
    status("T2", t(3, "10:00"), "on hold"),
    status("T2", t(3, "14:00"), "in progress"),
]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    contract = tmp_path / "desk.sla"
    contract.write_text(textwrap.dedent(DESK), encoding="utf-8")
    log = tmp_path / "desk.jsonl"
    log.write_text("".join(json.dumps(e, default=str) + "\n" for e in EVENTS), encoding="utf-8")
    return contract, log


@pytest.mark.parametrize("form", ["text", "markdown"])
def test_explain_shows_the_pause_of_the_late_ticket(files: tuple[Path, Path], form: str) -> None:
    contract, log = files
    args = [*("explain", str(contract), "--events", str(log), "--clause", "1"), "--period"]
    result = CliRunner().invoke(
        cli, [*args, "2026-03", "--at", "2026-04-01T00:00:00Z", "--format", form]
    )
    assert result.exit_code == 0, result.output
    bullet = "  - " if form == "text" else "- "
    assert (
        f"{bullet}ticket T2 2026-03-03T09:00:00+00:00 to 2026-03-03T17:00:30+00:00: 30 s"
        " (due 2026-03-03T17:00:00+00:00; paused 2026-03-03T10:00:00+00:00 to"
        " 2026-03-03T14:00:00+00:00: 14400 s)\n"
    ) in result.stdout
    # The metric that does not stop the clock: 4 h 30 s late, no pause.
    assert (
        f"{bullet}ticket T2 2026-03-03T09:00:00+00:00 to 2026-03-03T17:00:30+00:00: 14430 s"
        " (due 2026-03-03T13:00:00+00:00)\n"
    ) in result.stdout


def test_the_junit_failure_shows_the_pause_of_the_late_ticket() -> None:
    document = report_junit(obligo.evaluate(parse(DESK), EVENTS, at=END_OF_MARCH))
    SCHEMA.validate(document)
    cases = {c.get("name"): c for c in ET.fromstring(document).iter("testcase")}
    paused = cases["clause 1 (Response): response 2026-03"].find("failure")
    assert paused is not None and paused.text is not None
    assert paused.text.endswith(
        "  ticket T2 2026-03-03T09:00:00+00:00 to 2026-03-03T17:00:30+00:00 (30 s):"
        " due 2026-03-03T17:00:00+00:00;"
        " paused 2026-03-03T10:00:00+00:00 to 2026-03-03T14:00:00+00:00 (4 h)"
    )
    unpaused = cases["clause 1 (Response): response-unpaused 2026-03"].find("failure")
    assert unpaused is not None and unpaused.text is not None
    assert unpaused.text.endswith(": due 2026-03-03T13:00:00+00:00")


def test_explain_names_a_ticket_still_open_from_its_opening(files: tuple[Path, Path]) -> None:
    """A record with no end yet is shown from its start, never ``to -``."""
    contract, log = files
    args = [*("explain", str(contract), "--events", str(log), "--clause", "1"), "--period"]
    result = CliRunner().invoke(cli, [*args, "2026-03", "--at", "2026-04-01T00:00:00Z"])
    assert result.exit_code == 0, result.output
    assert (
        "  - ticket T2 from 2026-03-03T09:00:00+00:00: 2444400 s (due 2026-03-03T17:00:00+00:00,"
        " still open; paused 2026-03-03T10:00:00+00:00 to 2026-03-03T14:00:00+00:00: 14400 s)\n"
    ) in result.stdout
    assert " to -" not in result.stdout

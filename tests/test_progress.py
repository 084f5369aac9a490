"""The progress line of ``obligo eval`` (issue 14): on a terminal only, for evaluations longer
than about a second, silent in a pipe and with ``--quiet``; fed by the loader's counters."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from obligo import api
from obligo.cli._progress import ProgressLine, progress_text, wanted
from obligo.events import progress

REPO = Path(__file__).resolve().parent.parent
ACME = REPO / "contracts" / "acme-hosting.sla"
ACME_EVENTS = REPO / "contracts" / "acme-hosting" / "events.jsonl"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("snapshot", "elapsed", "text"),
    [
        ((0, 0, 0, None), 1.2, "starting (1 s)"),
        (
            (3, 1, 1_250_000, "logs/b.jsonl"),
            4.6,
            "reading logs/b.jsonl: 1 of 3 files read, 1,250,000 records scanned (5 s)",
        ),
        ((2, 2, 1, None), 12.0, "evaluating: 2 of 2 files read, 1 record scanned (12 s)"),
        (
            (1, 0, 0, "a\x1b[2Jb"),
            2.0,
            "reading a\\x1b[2Jb: 0 of 1 file read, 0 records scanned (2 s)",
        ),
    ],
)
def test_progress_text(
    snapshot: tuple[int, int, int, str | None], elapsed: float, text: str
) -> None:
    assert progress_text(snapshot, elapsed) == text


def test_wanted_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OBLIGO_PROGRESS", raising=False)
    assert wanted(False, Terminal())
    assert not wanted(True, Terminal())  # --quiet
    assert not wanted(False, io.StringIO())  # a pipe or a file
    assert not wanted(False, None)
    monkeypatch.setenv("OBLIGO_PROGRESS", "1")
    assert wanted(False, io.StringIO())
    assert not wanted(True, io.StringIO())
    monkeypatch.setenv("OBLIGO_PROGRESS", "0")
    assert not wanted(False, Terminal())


def _wait_for(stream: io.StringIO, piece: str) -> None:
    deadline = time.monotonic() + 30
    while piece not in stream.getvalue():
        assert time.monotonic() < deadline, stream.getvalue()
        time.sleep(0.01)


def test_the_line_follows_the_counters_and_is_erased_at_the_end() -> None:
    stream = Terminal()
    line = ProgressLine(stream, after=0, every=0.01, clock=lambda: 7.0)
    with line.running():
        progress.begin(["a.jsonl", "b.csv"])
        progress.reading("a.jsonl")
        _wait_for(stream, "\rreading a.jsonl: 0 of 2 files read, 0 records scanned (0 s)\x1b[K")
        progress.read(1500)
        progress.reading("b.csv")
        _wait_for(stream, "\rreading b.csv: 1 of 2 files read, 1,500 records scanned (0 s)\x1b[K")
        progress.read(20)
        _wait_for(stream, "\revaluating: 2 of 2 files read, 1,520 records scanned (0 s)\x1b[K")
    assert stream.getvalue().endswith("\r\x1b[K")
    assert line.last == (2, 2, 1520, None)


def test_nothing_is_shown_before_the_delay() -> None:
    stream = Terminal()
    with ProgressLine(stream, after=60).running():
        progress.begin(["a.jsonl"])
        progress.read(3)
    assert stream.getvalue() == ""


def test_the_loader_feeds_the_counters() -> None:
    line = ProgressLine(io.StringIO(), after=60)
    with line.running():
        api.evaluate(api.load(ACME), str(ACME_EVENTS), at=dt.datetime(2026, 4, 15, tzinfo=dt.UTC))
    lines = sum(1 for text in ACME_EVENTS.read_text("utf-8").splitlines() if text.strip())
    assert line.last == (1, 1, lines, None)


def test_no_counting_without_a_watcher() -> None:
    progress.begin(["a"])  # no watcher: a no-op, nothing kept
    progress.read(5)
    assert progress._watched is None


def _eval(*extra: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The command with its outputs as written (bytes decoded, no newline translation: the
    progress line's carriage returns are kept)."""
    command = [sys.executable, "-m", "obligo", "eval", str(ACME), "--events", str(ACME_EVENTS)]
    done = subprocess.run(
        [*command, "--at", "2026-04-15T12:00:00+02:00", *extra],
        capture_output=True,
        check=False,
        env={**os.environ, "OBLIGO_PROGRESS_AFTER": "0", **env},
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


def test_eval_in_a_pipe_writes_no_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OBLIGO_PROGRESS", raising=False)
    result = _eval()
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr and "\x1b" not in result.stderr


def test_eval_forced_on_shows_progress_and_quiet_silences_it() -> None:
    shown = _eval(OBLIGO_PROGRESS="1")
    assert shown.returncode == 0, shown.stderr
    # What it shows depends on when the thread polls; every line is one of the progress lines.
    assert shown.stderr.startswith("\r") and shown.stderr.endswith("\r\x1b[K")
    lines = shown.stderr.removesuffix("\r\x1b[K").removeprefix("\r").split("\r")
    assert lines and all(line.endswith(" s)\x1b[K") for line in lines)
    assert all(line.startswith(("starting", "reading", "evaluating")) for line in lines)
    quiet = _eval("--quiet", OBLIGO_PROGRESS="1")
    assert quiet.returncode == 0
    assert "\r" not in quiet.stderr
    assert quiet.stdout == shown.stdout  # the report itself is the same

"""A progress line on standard error for evaluations that take more than about a second: the
files read and the records scanned, rewritten in place. Only on a terminal (never in a pipe or a
file, where it would be noise in a log), never with ``--quiet``; ``OBLIGO_PROGRESS=1`` forces it
on and ``OBLIGO_PROGRESS=0`` off; ``OBLIGO_PROGRESS_AFTER`` sets the delay in seconds (tests). A
thread polls the loader's counters
(:mod:`obligo.events.progress`): the evaluation itself does nothing for it."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from obligo._inert import inert
from obligo.events import progress

# ESC [ K: erase to the end of the line, so that a shorter line leaves nothing of a longer one.
_ERASE = "\x1b[K"


def wanted(quiet: bool, stream: TextIO | None) -> bool:
    """Whether to show progress on ``stream``."""
    setting = os.environ.get("OBLIGO_PROGRESS")
    if quiet or stream is None or setting == "0":
        return False
    if setting == "1":
        return True
    try:
        return stream.isatty()
    except (OSError, ValueError):  # closed or detached
        return False


def _count(number: int, word: str) -> str:
    return f"{number:,} {word}{'' if number == 1 else 's'}"


def progress_text(snapshot: tuple[int, int, int, str | None], elapsed: float) -> str:
    """One progress line: what is being done, files read, records scanned, seconds so far."""
    files, files_read, records, current = snapshot
    seconds = f"{elapsed:.0f} s"
    if files == 0:
        return f"starting ({seconds})"
    counts = f"{files_read} of {_count(files, 'file')} read, {_count(records, 'record')} scanned"
    if current is not None:
        return f"reading {inert(current)}: {counts} ({seconds})"
    if files_read < files:
        return f"reading: {counts} ({seconds})"
    return f"evaluating: {counts} ({seconds})"


class ProgressLine:
    """Shows the loader's counters on ``stream`` from ``after`` seconds on, every ``every``
    seconds, and erases the line at the end."""

    def __init__(
        self,
        stream: TextIO,
        *,
        after: float = 1.0,
        every: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.after = after
        self.every = every
        self.clock = clock
        self.shown = False
        self.last: tuple[int, int, int, str | None] = (0, 0, 0, None)
        self._stop = threading.Event()

    @contextmanager
    def running(self) -> Iterator[None]:
        with progress.watching() as counters:
            start = self.clock()
            thread = threading.Thread(
                target=self._poll, args=(counters, start), name="obligo-progress", daemon=True
            )
            thread.start()
            try:
                yield
            finally:
                self._stop.set()
                thread.join()
                self.last = counters.snapshot()
                if self.shown:
                    self._write("\r" + _ERASE)

    def _poll(self, counters: progress.ReadingProgress, start: float) -> None:
        if self._stop.wait(self.after):
            return
        while True:
            text = progress_text(counters.snapshot(), self.clock() - start)
            self._write(f"\r{text}{_ERASE}")
            self.shown = True
            if self._stop.wait(self.every):
                return

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a terminal gone: the evaluation goes on without it
            self._stop.set()


@contextmanager
def progress_on_stderr(quiet: bool) -> Iterator[None]:
    """Progress on standard error while the block runs, when :func:`wanted`."""
    stream = sys.stderr
    if not wanted(quiet, stream):
        yield
        return
    try:
        after = float(os.environ.get("OBLIGO_PROGRESS_AFTER", "1"))
    except ValueError:
        after = 1.0
    with ProgressLine(stream, after=max(after, 0.0)).running():
        yield

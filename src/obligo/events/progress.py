"""How far the reading of the logs has got, for a progress line on a terminal (``obligo eval``).

The loader says when it starts and ends each input (once per file, never per record: nothing
here is on a hot path); a watcher, the command line's progress thread, reads the counters. With
no watcher, every call is one check of a global and returns.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class ReadingProgress:
    """The counters of one reading of the logs, as a watcher sees them."""

    files: int = 0  # inputs to read
    files_read: int = 0
    records: int = 0  # lines or rows of the inputs read so far (accepted, unused and rejected)
    current: str | None = None  # the input being read, None between inputs or when done
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def snapshot(self) -> tuple[int, int, int, str | None]:
        with self.lock:
            return self.files, self.files_read, self.records, self.current


_watched: ReadingProgress | None = None


@contextmanager
def watching() -> Iterator[ReadingProgress]:
    """Counters the loader fills while the block runs."""
    global _watched
    counters = ReadingProgress()
    _watched = counters
    try:
        yield counters
    finally:
        _watched = None


def begin(names: Sequence[str]) -> None:
    """The inputs are (re)read from the first: a reading at another scale starts over."""
    if (counters := _watched) is not None:
        with counters.lock:
            counters.files, counters.files_read, counters.records = len(names), 0, 0
            counters.current = None


def reading(name: str) -> None:
    if (counters := _watched) is not None:
        with counters.lock:
            counters.current = name


def read(lines: int) -> None:
    """One input read, with its lines (or rows, or records)."""
    if (counters := _watched) is not None:
        with counters.lock:
            counters.files_read += 1
            counters.records += lines
            counters.current = None

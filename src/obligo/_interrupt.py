"""Ctrl-C (SIGINT) and SIGTERM for the command line: stop cleanly.

The handler records the signal, then raises :class:`Interrupted` so that every ``finally`` on
the way out runs (the event log's database is closed and its temporary folder removed, a
half-written output file deleted). A signal that arrives while DuckDB runs a query cuts the
query, and DuckDB raises its own error ("Query interrupted") in place of ours, which some code
could take for bad data: so what the command does at the end (no output, exit 128 + the
signal's number, one line on standard error) depends on :func:`received`, never on which
exception came out. A second signal while the first is being handled changes nothing: the
cleanup is already under way.
"""

from __future__ import annotations

import signal
from types import FrameType

SIGNALS = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}


class Interrupted(BaseException):
    """The run was interrupted by a signal (a :class:`BaseException`: no ``except Exception``
    on the way out swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(SIGNALS.get(signal.Signals(signum), str(signum)))
        self.signum = signum


_received: int | None = None


def _handle(signum: int, frame: FrameType | None) -> None:
    global _received
    if _received is not None:
        return
    _received = signum
    raise Interrupted(signum)


def install() -> None:
    """Handle SIGINT and SIGTERM from now on (in the main thread)."""
    for signum in SIGNALS:
        signal.signal(signum, _handle)


def received() -> int | None:
    """The signal that interrupted the run, if any."""
    return _received


def check() -> None:
    """Raise :class:`Interrupted` if a signal was received (before doing anything that lasts,
    such as writing the output)."""
    if _received is not None:
        raise Interrupted(_received)


def describe(signum: int) -> str:
    return SIGNALS.get(signal.Signals(signum), f"signal {signum}")

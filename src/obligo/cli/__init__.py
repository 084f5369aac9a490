"""The ``obligo`` command: a thin shell over the library API, one module per command."""

from __future__ import annotations

import errno
import sys

import click

from obligo import _interrupt
from obligo._output import OutputClosed, discard_stdout
from obligo.cli import baseline, budget, check, evaluate, fmt, openslo, review
from obligo.cli import explain as explain  # obligo explain
from obligo.cli import init as init
from obligo.cli import render as render
from obligo.cli._shell import EXIT_ERRORS, EXIT_OK, EXIT_PIPE, _error_text, cli
from obligo.errors import ObligoError

__all__ = [
    "baseline",
    "budget",
    "check",
    "cli",
    "evaluate",
    "explain",
    "fmt",
    "main",
    "openslo",
    "review",
]


def main() -> None:
    """Entry point: user errors print without a traceback and exit 2; an error writing the
    output is one line naming it, exit 2; a reader that closed the pipe ends the run quietly
    (exit 141); SIGINT and SIGTERM end it with one line, exit 130 and 143, after the cleanup."""
    _interrupt.install()
    code: int | str | None = EXIT_OK
    try:
        try:
            cli.main(standalone_mode=True)
        except SystemExit as done:
            code = done.code
        except OutputClosed:
            discard_stdout()
            code = EXIT_PIPE
        except ObligoError as error:  # an error writing to standard output, or one not caught
            _interrupt.check()
            click.echo(_error_text(error), err=True)
            code = EXIT_ERRORS
        if sys.stdout is not None and code != EXIT_PIPE:
            try:
                sys.stdout.flush()
            except OSError as error:
                discard_stdout()
                if error.errno != errno.EPIPE:
                    reason = error.strerror or str(error)
                    click.echo(f"error: cannot write to standard output: {reason}", err=True)
                    code = EXIT_ERRORS
                else:
                    code = EXIT_PIPE
    except BaseException:
        signum = _interrupt.received()
        if signum is None:
            raise
        code = None
    signum = _interrupt.received()
    if signum is not None:
        discard_stdout()
        click.echo(f"error: interrupted by {_interrupt.describe(signum)}", err=True)
        code = 128 + signum
    sys.exit(code)

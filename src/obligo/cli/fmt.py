"""``obligo fmt``: contract files in their canonical layout."""

from __future__ import annotations

import difflib
import sys

import click

from obligo import _interrupt, api
from obligo._inert import inert
from obligo._output import OutputError, write_file
from obligo.cli._shell import (
    EXIT_ERRORS,
    EXIT_WARNINGS,
    _lines,
    _out,
    _read,
    _read_stdin,
    cli,
    example,
)
from obligo.errors import ObligoError


@cli.command(epilog=example("obligo fmt --check contracts/acme-hosting.sla", "docs/language.md"))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--check", "check_only", is_flag=True, help="Change nothing; exit 1 if a file would change."
)
@click.option("--diff", "show_diff", is_flag=True, help="Change nothing; print what would change.")
def fmt(files: tuple[str, ...], check_only: bool, show_diff: bool) -> None:
    """Rewrite contract files in their canonical layout, comments kept where they were.

    FILE - reads standard input and writes the result to standard output.
    """
    would_change = failed = 0
    for path in files:
        try:
            original = _read_stdin() if path == "-" else _read(path)
            formatted = api.format_contract(original, "<stdin>" if path == "-" else path)
        except ObligoError as error:
            _interrupt.check()
            click.echo(error.diagnostic().format(), err=True)
            failed += 1
            continue
        if path == "-" and not (check_only or show_diff):
            _out(formatted, nl=False)  # the contract itself, as it is (a pipe's data)
            continue
        if formatted == original:
            continue
        would_change += 1
        if show_diff:
            diff = "".join(
                difflib.unified_diff(
                    _lines(original),
                    _lines(formatted),
                    fromfile=path,
                    tofile=path,
                )
            )
            # Shown to people: the contract's lines inert, but each on its own line and its
            # tabs as they are (a tab may be the very change the diff shows).
            _out(inert(diff, newlines=True, tabs=True), nl=False)
        if check_only:
            click.echo(inert(f"would reformat {path}"), err=True)
        elif not show_diff:
            _interrupt.check()
            try:
                write_file(path, formatted)
            except OutputError as error:
                click.echo(f"error: {inert(error.message)}", err=True)
                failed += 1
                continue
            click.echo(inert(f"reformatted {path}"), err=True)
    if failed:
        sys.exit(EXIT_ERRORS)
    if would_change and check_only:
        sys.exit(EXIT_WARNINGS)

"""The ``obligo`` command: a thin shell over the library API."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from obligo import api
from obligo.errors import Diagnostic, ObligoError, Severity

EXIT_OK = 0
EXIT_WARNINGS = 1
EXIT_ERRORS = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="obligo")
def cli() -> None:
    """obligo: service level agreements as executable contracts."""


def _diagnostics_of(path: str) -> list[Diagnostic]:
    try:
        contract = api.load(path)
    except ObligoError as error:
        return [error.diagnostic()]
    return api.check(contract)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings.")
def check(files: tuple[str, ...], strict: bool) -> None:
    """Check contract files: syntax, names, units, tiers, dates, levels.

    Exit 0 when clean or only warnings, 1 on warnings with --strict, 2 on any error.
    """
    errors = warnings = 0
    for path in files:
        for diagnostic in _diagnostics_of(path):
            click.echo(diagnostic.format())
            if diagnostic.severity is Severity.ERROR:
                errors += 1
            else:
                warnings += 1
    noun = "file" if len(files) == 1 else "files"
    click.echo(
        f"{len(files)} {noun} checked: {errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)}",
        err=True,
    )
    if errors:
        sys.exit(EXIT_ERRORS)
    if warnings and strict:
        sys.exit(EXIT_WARNINGS)


@cli.command()
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
            original = sys.stdin.read() if path == "-" else _read(path)
            formatted = api.format_contract(original, "<stdin>" if path == "-" else path)
        except ObligoError as error:
            click.echo(error.diagnostic().format(), err=True)
            failed += 1
            continue
        if path == "-" and not (check_only or show_diff):
            click.echo(formatted, nl=False)
            continue
        if formatted == original:
            continue
        would_change += 1
        if show_diff:
            click.echo(
                "".join(
                    difflib.unified_diff(
                        original.splitlines(keepends=True),
                        formatted.splitlines(keepends=True),
                        fromfile=path,
                        tofile=path,
                    )
                ),
                nl=False,
            )
        if check_only:
            click.echo(f"would reformat {path}", err=True)
        elif not show_diff:
            Path(path).write_text(formatted, encoding="utf-8")
            click.echo(f"reformatted {path}", err=True)
    if failed:
        sys.exit(EXIT_ERRORS)
    if would_change and check_only:
        sys.exit(EXIT_WARNINGS)


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ObligoError(f"cannot read {path}: {error}", file=path, line=1, column=1) from None


def main() -> None:
    """Entry point: user errors print without a traceback and exit 2."""
    try:
        cli.main(standalone_mode=True)
    except ObligoError as error:  # pragma: no cover - commands handle their own errors
        click.echo(error.diagnostic().format(), err=True)
        sys.exit(EXIT_ERRORS)

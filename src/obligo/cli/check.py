"""``obligo check``: contract files checked, each finding at its file, line and column."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from obligo import _interrupt, api
from obligo.cli._prometheus import query_findings
from obligo.cli._shell import EXIT_ERRORS, EXIT_WARNINGS, _contract_files, _out, cli, example
from obligo.errors import Diagnostic, ObligoError, Severity
from obligo.events.sourcefile import SOURCES_FILE, read_sources
from obligo.model.contract import Contract
from obligo.render.resolved import resolved_agreement_text


def _diagnostics_of(path: str) -> list[Diagnostic]:
    try:
        contract = api.load(path)
    except ObligoError as error:
        return [error.diagnostic()]
    return api.check(contract)


def _sources_diagnostics(option: str | None, files: list[str]) -> list[Diagnostic]:
    """The sources file given, or each one beside the contracts, checked: its first mistake;
    then its Prometheus queries against the contracts it serves (those beside it, or every
    contract for --sources)."""
    given = [option] if option else sorted({str(Path(f).parent / SOURCES_FILE) for f in files})
    found: list[Diagnostic] = []
    for path in given:
        if option is None and not Path(path).is_file():
            continue
        try:
            sources = read_sources(path)
        except ObligoError as error:
            found.append(error.diagnostic())
            continue
        if sources.queries:
            served = [f for f in files if option or Path(f).parent == Path(path).parent]
            found += query_findings(sources, _contracts_of(served))
    return found


def _contracts_of(files: list[str]) -> list[Contract]:
    """The contracts that load (those that do not are reported on their own)."""
    found = []
    for path in files:
        try:
            found.append(api.load(path))
        except ObligoError:
            continue
    return found


@cli.command(epilog=example("obligo check contracts/acme-hosting.sla", "docs/language.md"))
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings.")
@click.option(
    "--sources",
    "sources_file",
    type=click.Path(dir_okay=False),
    help="A sources file to check too (default: obligo.sources.toml beside the contracts).",
)
@click.option(
    "--resolve",
    metavar="customer=NAME,service=NAME",
    help="Print the agreement in force for one customer and service, each clause with the"
    " level and file it comes from (PATHS: the contract files and folders of the set).",
)
def check(
    paths: tuple[str, ...], strict: bool, resolve: str | None, sources_file: str | None = None
) -> None:
    """Check contract files (a folder: every .sla file in it): syntax, names, units, tiers,
    dates, levels.

    Exit 0 when clean or only warnings, 1 on warnings with --strict, 2 on any error.
    """
    if resolve is not None:
        try:
            pair = api.parse_pair_argument(resolve)
            resolved = api.load_agreements(paths).resolve(
                customer=pair.customer, service=pair.service, agreement=pair.agreement
            )
        except ObligoError as error:
            _interrupt.check()
            for diagnostic in getattr(error, "diagnostics", ()) or (error.diagnostic(),):
                _out(diagnostic.format())
            sys.exit(EXIT_ERRORS)
        _out(resolved_agreement_text(resolved), nl=False)
        return
    files = _contract_files(paths)
    errors = warnings = 0
    shown: set[str] = set()
    findings = [d for path in files for d in _diagnostics_of(path)]
    findings += _sources_diagnostics(sources_file, files)
    if len(files) > 1 and not any(d.severity is Severity.ERROR for d in findings):
        # Levels read together form an agreement set: its overrides across files are checked
        # too (files without levels are checked each on its own).
        try:
            agreements = api.load_agreements(list(files))
            if any(f.tier != "agreement" for f in agreements.files):
                findings += agreements.check()
        except ObligoError as error:
            findings.append(error.diagnostic())
    for diagnostic in findings:
        text = diagnostic.format()
        if text in shown:
            continue
        shown.add(text)
        _out(text)
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

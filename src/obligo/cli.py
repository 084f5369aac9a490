"""The ``obligo`` command: a thin shell over the library API."""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from zoneinfo import ZoneInfo

import click

from obligo import _interrupt, api
from obligo._inert import inert
from obligo._output import (
    OutputClosed,
    OutputError,
    discard_stdout,
    refuse_inputs,
    write_file,
    write_stdout,
)
from obligo.checks.reporter import Scope
from obligo.engine.time.evaluation_time import wall_clock
from obligo.errors import Diagnostic, EventDataError, ObligoError, Severity
from obligo.events import expand_event_paths
from obligo.model.contract import Contract
from obligo.render import portfolio_json, portfolio_text
from obligo.render.resolved import resolved_agreement_text
from obligo.report.evaluation import single_report
from obligo.report.model import Report
from obligo.report.portfolio import PortfolioReport

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_WARNINGS = 1
EXIT_ERRORS = 2
# The reader of standard output went away (``obligo eval ... | head -1``): the status of a
# program ended by SIGPIPE, as a shell reports it, and nothing on standard error.
EXIT_PIPE = 128 + 13


def _named_output(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``-o ""`` names no file: an error, not the report on standard output."""
    if value is not None and not value:
        raise click.BadParameter("an empty file name", ctx=ctx, param=param)
    return value


def _report_options(command: F) -> F:
    """``--format``, ``-o`` and ``--map``, shared by the commands that read logs."""
    for option in reversed(
        [
            click.option(
                "--format",
                "output_format",
                type=click.Choice(["text", "json"]),
                default="text",
                show_default=True,
            ),
            click.option(
                "-o",
                "--output",
                type=click.Path(dir_okay=False, writable=True),
                callback=_named_output,
                help="Write the report to a file (replaced whole, never an input).",
            ),
            click.option(
                "--map",
                "mappings",
                multiple=True,
                help="Read a canonical field from another name: start=begin_time.",
            ),
        ]
    ):
        command = option(command)
    return command


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
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings.")
@click.option(
    "--resolve",
    metavar="customer=NAME,service=NAME",
    help="Print the agreement in force for one customer and service, each clause with the"
    " level and file it comes from (PATHS: the contract files and folders of the set).",
)
def check(paths: tuple[str, ...], strict: bool, resolve: str | None) -> None:
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


def _contract_files(paths: tuple[str, ...]) -> list[str]:
    """The files given, with each folder replaced by the .sla files in it, sorted."""
    files: list[str] = []
    for path in paths:
        if Path(path).is_dir():
            inside = sorted(p for p in Path(path).glob("*.sla") if not p.is_dir())  # as api
            if not inside:
                raise click.BadParameter(inert(f"no .sla files in the folder {path}"))
            files.extend(str(p) for p in inside)
        else:
            files.append(path)
    return files


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


def _event_inputs(given: tuple[str, ...]) -> list[str]:
    """Each --events value as the files it stands for (the library's rule: obligo.events)."""
    return expand_event_paths(given)


def _aware(
    when: dt.datetime | None, contract: Contract | None, written: str | None
) -> dt.datetime | None:
    """An evaluation time without an offset is read in the contract's timezone, as a log's
    timestamp is: refused in a daylight-saving gap, the first occurrence in a repeated hour."""
    if when is None or when.tzinfo is not None:
        return when
    zone = "UTC" if contract is None else (Scope.of(contract).timezone or "UTC")
    return wall_clock(when, ZoneInfo(zone), f"--at {written or when.isoformat()}")


def _parse_time(value: str | None, option: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date or an RFC 3339 time", param_hint=option
        ) from None
    return parsed


@cli.command(name="eval")
@click.argument("contracts", nargs=-1, required=True, type=click.Path())
@click.option(
    "--events",
    "events",
    multiple=True,
    help="An event log (repeat for several; a folder or a quoted glob is expanded; - is standard input).",
)
@click.option(
    "--at", "at", help="The evaluation time (RFC 3339; default now). Its period is pending."
)
@click.option(
    "--from",
    "window_start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Show periods from this date.",
)
@click.option(
    "--to",
    "window_end",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Show periods up to this date.",
)
@_report_options
@click.option(
    "--skip-invalid", is_flag=True, help="Go on past rejected lines; the report counts them."
)
@click.option(
    "--plan",
    "show_plan",
    is_flag=True,
    help="Print the scans of the log the evaluation would run (their SQL, what each feeds);"
    " evaluate nothing, read no log.",
)
def evaluate_command(
    contracts: tuple[str, ...],
    events: tuple[str, ...],
    at: str | None,
    window_start: dt.datetime | None,
    window_end: dt.datetime | None,
    output_format: str,
    output: str | None,
    mappings: tuple[str, ...],
    skip_invalid: bool,
    show_plan: bool,
) -> None:
    """Evaluate contracts against event logs: a verdict per clause and period.

    Exit 0 when the evaluation ran (breaches included), 2 on input errors.
    """
    from obligo.render import report_json, report_text

    field_map = _field_map(mappings)
    if show_plan:
        _plan(contracts, at, field_map, output_format, output)
        return
    if not events:
        raise click.UsageError("Missing option '--events'.")
    try:
        evaluation_time = _parse_time(at, "--at")
        inputs = _event_inputs(events)
        window = {
            "window_start": window_start.date() if window_start else None,
            "window_end": window_end.date() if window_end else None,
        }
        agreements = api.load_agreements(contracts)
        if output:
            refuse_inputs(
                output,
                [(p, "the event log") for p in inputs if isinstance(p, str)]
                + [(p, "the contract") for p in contracts]
                + [
                    (f.path, "the contract" if f.listed else "the imported contract")
                    for f in agreements.files
                ],
            )
        first = agreements.resolve_all()[0].as_contract() if agreements.pairs else None
        if first is None:
            first = next((f.contract for f in agreements.files if f.listed), None)
        portfolio = api.evaluate_agreements(  # guarded: no traceback, whatever the input
            agreements,
            inputs,
            at=_aware(evaluation_time, first, at),
            skip_invalid=skip_invalid,
            mappings=field_map,
            **window,
        )
        # One agreement, one section (a customer-based file, or any file whose logs name no
        # customer): its plain report.
        result: Report | PortfolioReport = single_report(portfolio) or portfolio
        if output:
            # Every file the evaluation read, as its line account names it (a folder or a glob
            # expanded, whoever expanded it).
            refuse_inputs(output, [(a.name, "the event log") for a in result.inputs])
    except ObligoError as error:
        _fail(error)
    if isinstance(result, PortfolioReport):
        text = portfolio_json(result) if output_format == "json" else portfolio_text(result)
    else:
        text = report_json([result]) if output_format == "json" else report_text([result])
    _write(text, output)


def _plan(
    contracts: tuple[str, ...],
    at: str | None,
    field_map: dict[str, str],
    output_format: str,
    output: str | None,
) -> None:
    """``eval --plan``: the scans of each agreement, nothing evaluated."""
    from obligo.render.plan import plan_json, plan_text

    try:
        evaluation_time = _parse_time(at, "--at")
        agreements = api.load_agreements(contracts)
        if output:
            refuse_inputs(
                output,
                [(p, "the contract") for p in contracts]
                + [(f.path, "the imported contract") for f in agreements.files if not f.listed],
            )
        first = agreements.resolve_all()[0].as_contract() if agreements.pairs else None
        if first is None:
            first = next((f.contract for f in agreements.files if f.listed), None)
        sections = api.plan(agreements, _aware(evaluation_time, first, at), mappings=field_map)
    except ObligoError as error:
        _fail(error)
    _write(plan_json(sections) if output_format == "json" else plan_text(sections), output)


@cli.command(name="baseline")
@click.argument("contract_path", metavar="CONTRACT", type=click.Path(dir_okay=False))
@click.option(
    "--events",
    "events",
    multiple=True,
    required=True,
    help="The history: an event log (repeat for several; a folder or a quoted glob is expanded).",
)
@click.option("--at", "at", help="The end of the history (RFC 3339; default now).")
@_report_options
@click.option("--skip-invalid", is_flag=True, help="Go on past rejected lines of the logs.")
def baseline_command(
    contract_path: str,
    events: tuple[str, ...],
    at: str | None,
    output_format: str,
    output: str | None,
    mappings: tuple[str, ...],
    skip_invalid: bool,
) -> None:
    """How each objective's current target fares against a history of past periods.

    For each objective: its values in past periods, the level achieved in 50%, 90% and 99% of
    them, and whether the target would have been breached, met narrowly, or met by a wide
    margin. Exit 0 when the history was read, 2 on input errors.
    """
    from obligo.render.baseline import baseline_json, baseline_text

    field_map = _field_map(mappings)
    try:
        when = _parse_time(at, "--at")
        inputs = _event_inputs(events)
        contract = api.load(contract_path)
        if output:
            refuse_inputs(
                output,
                [(p, "the event log") for p in inputs if isinstance(p, str)]
                + [(contract_path, "the contract")]
                + [(path, "the imported contract") for path in _imported(contract)],
            )
        report = api.baseline(
            contract,
            inputs,
            at=_aware(when, contract, at),
            skip_invalid=skip_invalid,
            mappings=field_map,
        )
    except ObligoError as error:
        _fail(error)
    text = baseline_json(report) if output_format == "json" else baseline_text(report)
    _write(text, output)


def _field_map(mappings: tuple[str, ...]) -> dict[str, str]:
    """``--map start=begin_time`` options: canonical field -> the log's name."""
    field_map: dict[str, str] = {}
    for item in mappings:
        target, sep, source = item.partition("=")
        if not sep or not target or not source:
            raise click.BadParameter(
                f"{item!r}: write canonical=source, e.g. start=begin_time", param_hint="--map"
            )
        field_map[target.strip()] = source.strip()
    return field_map


def _imported(contract: Contract) -> list[str]:
    """The files a contract imports, directly or through others."""
    found: list[str] = []
    for parent in contract.imported:
        found += [parent.loc.file, *_imported(parent)]
    return found


def _fail(error: ObligoError) -> NoReturn:
    """A user error: printed without a traceback (a data error lists file:line of each
    rejected line in its message), exit 2. Text from the input is shown inert. An error that
    an interruption caused (DuckDB's "Query interrupted" turned into bad data) is the
    interruption."""
    _interrupt.check()
    click.echo(_error_text(error), err=True)
    sys.exit(EXIT_ERRORS)


def _error_text(error: ObligoError) -> str:
    if isinstance(error, EventDataError) or not error.line:
        hint = f" ({error.hint})" if error.hint else ""
        # A data error's message lists one rejected line per line: its line feeds are its own.
        return inert(f"error: {error.message}{hint}", newlines=isinstance(error, EventDataError))
    return error.diagnostic().format()


def _out(text: str, *, nl: bool = True) -> None:
    """Standard output, flushed at once: a closed or full output is an error here."""
    write_stdout(text + "\n" if nl else text)


def _write(text: str, output: str | None) -> None:
    """The report to ``-o FILE`` (replaced in one rename) or to standard output. Nothing is
    written once a signal has been received."""
    _interrupt.check()
    try:
        if output:
            write_file(output, text)
        else:
            _out(text, nl=False)
    except OutputError as error:
        _fail(error)


def _lines(text: str) -> list[str]:
    """The lines of a text split at line feeds only, each with its own: ``str.splitlines``
    would also split inside a line at characters such as U+0085 or U+2028."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _read_stdin() -> str:
    """Standard input as UTF-8, read as a file is: decoded, nothing translated, so that its
    lines are those of a file (``obligo.syntax.lines.SourceText``: a line ends at a line feed;
    a lone carriage return is a character of its line)."""
    try:
        if sys.stdin is None:
            raise ObligoError("it is closed")
        text = sys.stdin.buffer.read().decode("utf-8")
    except (ObligoError, OSError, UnicodeDecodeError) as error:
        if isinstance(error, ObligoError):
            reason = error.message
        elif isinstance(error, OSError):
            reason = error.strerror or str(error)
        else:
            reason = str(error)
        raise ObligoError(
            f"cannot read standard input: {reason}", file="<stdin>", line=1, column=1
        ) from None
    return text


def _read(path: str) -> str:
    return api.read_contract(path)  # bounded: a FIFO or /dev/zero is refused, never read


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

"""``obligo eval``: contracts evaluated against event logs (and ``--plan``, the scans)."""

from __future__ import annotations

import datetime as dt
import shutil
import sys

import click

from obligo import api
from obligo._output import refuse_inputs
from obligo.cli._shell import (
    _aware,
    _event_inputs,
    _fail,
    _field_map,
    _parse_time,
    _write,
    cli,
    report_options,
)
from obligo.errors import ObligoError
from obligo.render.formats import FORMATS
from obligo.render.options import RenderOptions
from obligo.report.evaluation import single_report
from obligo.report.model import Report
from obligo.report.portfolio import PortfolioReport


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
@report_options(list(FORMATS))
@click.option(
    "--precision",
    type=click.IntRange(0, 28),
    default=None,
    help="Decimal places of a percentage in text and Markdown (default: every digit obligo"
    " decided on; JSON keeps them all).",
)
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
    precision: int | None,
    skip_invalid: bool,
    show_plan: bool,
) -> None:
    """Evaluate contracts against event logs: a verdict per clause and period.

    Exit 0 when the evaluation ran (breaches included), 2 on input errors.
    """
    field_map = _field_map(mappings)
    if show_plan and output_format not in ("text", "json"):
        raise click.UsageError(f"--plan is written as text or json, not {output_format}.")
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
    options = RenderOptions(precision=precision, width=_terminal_width(output))
    _write(FORMATS[output_format].render(result, options), output)


def _terminal_width(output: str | None) -> int | None:
    """The width to wrap long lines at: the terminal's, when the report goes to one; None (no
    wrapping) for a file or a pipe, whose reader may be a program reading line by line."""
    if output is not None or sys.stdout is None or not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


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

"""``obligo eval``: contracts evaluated against event logs (and ``--plan``, the scans)."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from typing import Any

import click

from obligo import api
from obligo._output import refuse_inputs
from obligo.cli._progress import progress_on_stderr
from obligo.cli._prometheus import prometheus_inputs, split_sources
from obligo.cli._shell import (
    _aware,
    _event_inputs,
    _fail,
    _field_map,
    _parse_time,
    _sources_of,
    _write,
    cli,
    example,
    report_options,
)
from obligo.errors import ObligoError
from obligo.events import Source
from obligo.render.formats import FORMATS
from obligo.render.options import RenderOptions
from obligo.render.template import render_template
from obligo.report.evaluation import single_report
from obligo.report.fail_on import FAIL_ON, failed
from obligo.report.model import Report
from obligo.report.portfolio import PortfolioReport

# A condition named by --fail-on is in the report: the evaluation ran, the gate fails. 2 stays
# for input errors, so a pipeline can tell the two apart.
EXIT_FAIL_ON = 1


@cli.command(
    name="eval",
    epilog=example(
        "obligo eval contracts/acme-hosting.sla --events contracts/acme-hosting/events.jsonl"
        " --at 2026-04-15T12:00:00+02:00 --fail-on breached",
        "docs/report.md",
    ),
)
@click.argument("contracts", nargs=-1, required=True, type=click.Path())
@click.option(
    "--events",
    "events",
    multiple=True,
    help="An event log (repeat for several; a folder or a quoted glob is expanded; - is standard"
    " input): PATH, TYPE=PATH (every record of it has that type) or PROFILE:PATH (an export"
    " read by a shipped profile, e.g. pagerduty:incidents.csv).",
)
@click.option(
    "--sources",
    "sources_file",
    type=click.Path(dir_okay=False),
    help="How exports are read (default: obligo.sources.toml beside the contract).",
)
@click.option(
    "--encoding",
    type=click.Choice(["utf-8", "utf-16", "cp1252"], case_sensitive=False),
    help="The encoding of every event log (default: UTF-8, with or without a byte order mark).",
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
@click.option(
    "--prometheus-queries",
    "prometheus_queries",
    type=click.Path(),
    help="The queries of --events prometheus+http://HOST:PORT or prometheus+file:RESPONSE.json"
    " (a TOML file; docs/prometheus.md), besides the sources file's [[query]] tables.",
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
@click.option(
    "--template",
    "template",
    type=click.Path(dir_okay=False),
    help="Render the report with your own jinja2 template (sandboxed) over the report model of"
    " docs/report.md, instead of --format.",
)
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    type=click.Choice(FAIL_ON),
    help="Exit 1 when a verdict shown has this status (budget-exhausted: a pending period"
    " whose error budget is spent), or rejected-lines: lines were rejected under"
    " --skip-invalid. Repeat for several. The report is written in full first.",
)
@click.option(
    "--quiet", "-q", is_flag=True, help="No progress line on a terminal (it never shows in a pipe)."
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
    template: str | None,
    fail_on: tuple[str, ...],
    quiet: bool,
    prometheus_queries: str | None = None,
    sources_file: str | None = None,
    encoding: str | None = None,
) -> None:
    """Evaluate contracts against event logs: a verdict per clause and period.

    Exit 0 when the evaluation ran (breaches included), 2 on input errors; with --fail-on,
    1 when the report shows one of the conditions named (CI gates: docs/explain.md, "Failing a
    pipeline").
    """
    field_map = _field_map(mappings)
    if template is not None:
        _template_alone(show_plan)
    if show_plan and output_format not in ("text", "json"):
        raise click.UsageError(f"--plan is written as text or json, not {output_format}.")
    if show_plan:
        _plan(contracts, at, field_map, output_format, output)
        return
    if not events:
        raise click.UsageError("Missing option '--events'.")
    try:
        evaluation_time = _parse_time(at, "--at")
        files, prometheus = split_sources(events)
        # The sources file says how exports are read and holds the Prometheus queries.
        sources = _sources_of(sources_file, contracts) if files or prometheus else None
        inputs: list[Any] = _event_inputs(files, sources, encoding) if files else []
        window = {
            "window_start": window_start.date() if window_start else None,
            "window_end": window_end.date() if window_end else None,
        }
        agreements = api.load_agreements(contracts)
        if output:
            refuse_inputs(
                output,
                [(str(p), "the event log") for p in inputs if isinstance(p, str)]
                + [(str(p.path), "the event log") for p in inputs if isinstance(p, Source)]
                + [(p, "the contract") for p in contracts]
                + [
                    (f.path, "the contract" if f.listed else "the imported contract")
                    for f in agreements.files
                ],
            )
        first = agreements.resolve_all()[0].as_contract() if agreements.pairs else None
        if first is None:
            first = next((f.contract for f in agreements.files if f.listed), None)
        aware = _aware(evaluation_time, first, at)
        inputs += prometheus_inputs(prometheus, prometheus_queries, sources, first, aware)
        with progress_on_stderr(quiet):
            portfolio = api.evaluate_agreements(  # guarded: no traceback, whatever the input
                agreements,
                inputs,
                at=aware,
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
            if template is not None:
                refuse_inputs(output, [(template, "the template")])
        options = RenderOptions(precision=precision, width=_terminal_width(output))
        text = (
            FORMATS[output_format].render(result, options)
            if template is None
            else render_template(template, result)
        )
    except ObligoError as error:
        _fail(error)
    _write(text, output)
    found = failed(result, fail_on)
    if found:
        # After the report, in full: the gate adds an exit status, never hides what it read.
        click.echo(f"failing on: {', '.join(found)}", err=True)
        sys.exit(EXIT_FAIL_ON)


def _template_alone(show_plan: bool) -> None:
    """``--template`` renders the evaluation: not with ``--plan`` (nothing evaluated), and
    instead of a ``--format`` given too."""
    if show_plan:
        raise click.UsageError("--template renders an evaluation: it cannot go with --plan.")
    source = click.get_current_context().get_parameter_source("output_format")
    if source is click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--template and --format are exclusive: give one of them.")


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

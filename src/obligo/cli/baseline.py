"""``obligo baseline``: each objective's target against a history of past periods."""

from __future__ import annotations

import click

from obligo import api
from obligo._output import refuse_inputs
from obligo.cli._shell import (
    _aware,
    _event_inputs,
    _fail,
    _field_map,
    _imported,
    _parse_time,
    _report_options,
    _write,
    cli,
    example,
    input_paths,
    source_options,
)
from obligo.errors import ObligoError


@cli.command(
    name="baseline",
    epilog=example(
        "obligo baseline contracts/acme-hosting.sla --events contracts/acme-hosting/events.jsonl"
        " --at 2026-04-15T12:00:00+02:00",
        "docs/rights-and-triggers.md",
    ),
)
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
@source_options
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
                [(path, "the event log") for path in input_paths(inputs)]
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

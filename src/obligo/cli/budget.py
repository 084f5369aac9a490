"""``obligo budget``: the error budget of the period in progress, objective by objective."""

from __future__ import annotations

import click

from obligo import api
from obligo.cli._shell import (
    _aware,
    _contract_files,
    _event_inputs,
    _fail,
    _field_map,
    _parse_time,
    _write,
    cli,
    example,
    load_one_or_set,
    report_options,
    source_options,
)
from obligo.errors import ObligoError

EPILOG = example(
    "obligo budget contracts/acme-hosting.sla --events contracts/acme-hosting/events.jsonl --at 2026-04-15T12:00:00+02:00",
    "docs/budget-and-review.md",
    "obligo budget contracts/nimbus --customer globex --service db --events LOG",
)


@cli.command(name="budget", epilog=EPILOG)
@click.argument("contract_paths", metavar="CONTRACT...", nargs=-1, required=True, type=click.Path())
@click.option(
    "--events",
    "events",
    multiple=True,
    required=True,
    help="An event log (repeat for several; a folder or a quoted glob is expanded).",
)
@click.option("--at", "at", help="The time the budget is reckoned at (RFC 3339; default now).")
@click.option("--customer", help="An agreement set: the customer.")
@click.option("--service", help="An agreement set: the service.")
@report_options(["text", "json", "markdown"])
@source_options
@click.option("--skip-invalid", is_flag=True, help="Go on past rejected lines of the logs.")
def budget_command(
    contract_paths: tuple[str, ...],
    events: tuple[str, ...],
    at: str | None,
    customer: str | None,
    service: str | None,
    output_format: str,
    output: str | None,
    mappings: tuple[str, ...],
    skip_invalid: bool,
) -> None:
    """The error budget of the period in progress at --at.

    For each objective (and group): the value so far, the error budget left in the metric's
    own unit (seconds of downtime, failed or late records), the burn rate (budget used over the
    share of the period elapsed) and how much more would reach each credit or penalty tier.
    A folder or several files form an agreement set: name the pair with --customer and
    --service. Exit 0 when the budget was reckoned, 2 on an error (no period in progress at --at
    included).
    """
    from obligo.render.budget import budget_json, budget_markdown, budget_text

    field_map = _field_map(mappings)
    files = _contract_files(contract_paths)
    try:
        when = _parse_time(at, "--at")
        inputs = _event_inputs(events)
        given = load_one_or_set(files, customer, service, inputs, output)
        contract, agreements = given.contract, given.agreements
        if contract is not None:
            report = api.budget(
                contract,
                inputs,
                at=_aware(when, contract, at),
                skip_invalid=skip_invalid,
                mappings=field_map,
            )
        else:
            assert agreements is not None
            report = api.budget_agreements(
                agreements,
                inputs,
                at=_aware(when, given.zone_of(), at),
                customer=customer,
                service=service,
                skip_invalid=skip_invalid,
                mappings=field_map,
            )
    except ObligoError as error:
        _fail(error)
    render = {"json": budget_json, "markdown": budget_markdown}.get(output_format, budget_text)
    _write(render(report), output)

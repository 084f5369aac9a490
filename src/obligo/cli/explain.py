"""``obligo explain``: how one clause's verdict in one period (and group) and its money came
about, step by step (the library's :func:`obligo.api.explain`, rendered)."""

from __future__ import annotations

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
    example,
    source_options,
)
from obligo.errors import ObligoError
from obligo.render.explain import FORMATS


@cli.command(
    name="explain",
    epilog=example(
        "obligo explain contracts/acme-hosting.sla --events contracts/acme-hosting/events.jsonl"
        " --at 2026-04-15T12:00:00+02:00 --clause 4.1 --period 2026-03",
        "docs/explain.md",
    ),
)
@click.argument("contracts", nargs=-1, required=True, type=click.Path())
@click.option(
    "--events",
    "events",
    multiple=True,
    required=True,
    help="An event log (repeat for several; a folder or a quoted glob is expanded; - is standard input).",
)
@click.option("--clause", "clause", required=True, help="The clause, as numbered: 4.1.")
@click.option(
    "--period", "period", required=True, help="The period, as the report labels it: 2026-03."
)
@click.option(
    "--group",
    "group",
    help="The group of a metric measured by fields: its value (eu-west-1), or"
    " field=value,... for several fields (region=eu-west-1,project=p1).",
)
@click.option(
    "--at", "at", help="The evaluation time (RFC 3339; default now). Its period is pending."
)
@click.option("--customer", "customer", help="On an agreement set: the customer's pair.")
@click.option("--service", "service", help="On an agreement set: the service's pair.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the explanation to a file (replaced whole, never an input).",
)
@click.option(
    "--map",
    "mappings",
    multiple=True,
    help="Read a canonical field from another name: start=begin_time.",
)
@click.option(
    "--skip-invalid", is_flag=True, help="Go on past rejected lines; the log's account counts them."
)
@source_options
def explain_command(
    contracts: tuple[str, ...],
    events: tuple[str, ...],
    clause: str,
    period: str,
    group: str | None,
    at: str | None,
    customer: str | None,
    service: str | None,
    output_format: str,
    output: str | None,
    mappings: tuple[str, ...],
    skip_invalid: bool,
) -> None:
    """Explain one verdict and its money, step by step: the clause and its metric as written,
    the arithmetic of the value, the largest contributors (at most 50, the rest counted), the
    records left out and why (another service, outside the period, another group, rejected
    at load: at most 50, each reason counted), the exclusions accepted and refused, the tier
    given and why, each cap, the rounding and the claim deadline. Exit 2 when the clause, period or group is not among those evaluated (the
    error lists those that are).
    """
    if output is not None and not output:
        raise click.BadParameter("an empty file name", param_hint="--output")
    field_map = _field_map(mappings)
    try:
        evaluation_time = _parse_time(at, "--at")
        inputs = _event_inputs(events)
        agreements = api.load_agreements(contracts)
        if output:
            refuse_inputs(
                output,
                [(p, "the event log") for p in inputs if isinstance(p, str)]
                + [(p, "the contract") for p in contracts]
                + [(f.path, "the contract") for f in agreements.files],
            )
        first = agreements.resolve_all()[0].as_contract() if agreements.pairs else None
        if first is None:
            first = next((f.contract for f in agreements.files if f.listed), None)
        found = api.explain(
            agreements,
            inputs,
            clause=clause,
            period=period,
            group=group,
            at=_aware(evaluation_time, first, at),
            customer=customer,
            service=service,
            skip_invalid=skip_invalid,
            mappings=field_map,
        )
    except ObligoError as error:
        _fail(error)
    _write(FORMATS[output_format](found), output)

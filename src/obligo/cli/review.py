"""``obligo review``: the monthly service review pack, in Markdown or HTML."""

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
    "obligo review contracts/acme-hosting.sla --events contracts/acme-hosting/events.jsonl --period 2026-03 --at 2026-04-15T12:00:00+02:00",
    "docs/budget-and-review.md",
    "obligo review contracts/nimbus --customer globex --service db --events LOG --period 2026-03 --format html -o review.html",
)


@cli.command(name="review", epilog=EPILOG)
@click.argument("contract_paths", metavar="CONTRACT...", nargs=-1, required=True, type=click.Path())
@click.option(
    "--events",
    "events",
    multiple=True,
    required=True,
    help="An event log (repeat for several; a folder or a quoted glob is expanded).",
)
@click.option("--period", required=True, help="The month reviewed: YYYY-MM, e.g. 2026-03.")
@click.option("--at", "at", help="The evaluation time (RFC 3339; default now).")
@click.option("--customer", help="An agreement set: the customer reviewed.")
@click.option("--service", help="An agreement set: the service reviewed.")
@report_options(["markdown", "html"])
@source_options
@click.option("--skip-invalid", is_flag=True, help="Go on past rejected lines of the logs.")
def review_command(
    contract_paths: tuple[str, ...],
    events: tuple[str, ...],
    period: str,
    at: str | None,
    customer: str | None,
    service: str | None,
    output_format: str,
    output: str | None,
    mappings: tuple[str, ...],
    skip_invalid: bool,
) -> None:
    """The service review pack of one month.

    Every objective's value in the month and in the periods before it, its margin to the
    target, key measurements reported but not promised, the breaches and their largest
    contributors, credits, termination rights still open, and what is coming: reviews,
    notices, the end of the term, supplier contracts ending before it. A folder or several
    files form an agreement set: name the pair with --customer and --service. Exit 0 when
    the pack was made, 2 on an error (a month outside the term included).
    """
    from obligo.render.review import review_html, review_markdown

    field_map = _field_map(mappings)
    files = _contract_files(contract_paths)
    try:
        when = _parse_time(at, "--at")
        inputs = _event_inputs(events)
        given = load_one_or_set(files, customer, service, inputs, output)
        contract, agreements = given.contract, given.agreements
        if contract is not None:
            pack = api.review(
                contract,
                inputs,
                period,
                at=_aware(when, contract, at),
                skip_invalid=skip_invalid,
                mappings=field_map,
            )
        else:
            assert agreements is not None
            pack = api.review_agreements(
                agreements,
                inputs,
                period,
                at=_aware(when, given.zone_of(), at),
                customer=customer,
                service=service,
                skip_invalid=skip_invalid,
                mappings=field_map,
            )
    except ObligoError as error:
        _fail(error)
    _write(review_html(pack) if output_format == "html" else review_markdown(pack), output)

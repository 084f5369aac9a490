"""``obligo render``: the agreement itself as a document to publish or sign (HTML or Markdown),
written from the checked, resolved contract that ``obligo eval`` evaluates."""

from __future__ import annotations

import click

from obligo import api
from obligo._output import refuse_inputs
from obligo.cli._shell import _fail, _named_output, _write, cli, example
from obligo.errors import ObligoError
from obligo.render.document import DOCUMENT_FORMATS, render_document
from obligo.resolve.resolver import check_and_resolve


@cli.command(
    epilog=example(
        "obligo render contracts/acme-hosting.sla --format markdown -o acme-hosting.md",
        "docs/document.md",
    )
)
@click.argument("contract", type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(DOCUMENT_FORMATS)),
    default=next(iter(DOCUMENT_FORMATS)),
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    callback=_named_output,
    help="Write the document to a file (replaced whole, never an input).",
)
def render(contract: str, output_format: str, output: str | None) -> None:
    """Write the agreement as a readable document: parties, term, services, each measurement
    in words, the promises, credits, caps, claims, exclusions, termination rights and review.

    The contract is checked and resolved first, as for an evaluation: a contract with errors
    is refused (exit 2) and the document says what is evaluated.
    """
    try:
        loaded = api.load(contract)
        if output:
            refuse_inputs(
                output,
                [(contract, "the contract")]
                + [
                    (p.loc.file, "the imported contract")
                    for p in loaded.levels()
                    if p is not loaded
                ],
            )
        text = render_document(check_and_resolve(loaded), output_format)
    except ObligoError as error:
        _fail(error)
    _write(text, output)

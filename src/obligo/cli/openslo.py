"""``obligo import openslo`` (and, later, ``export``): OpenSLO documents and contracts."""

from __future__ import annotations

import click

from obligo import api
from obligo._inert import inert
from obligo.cli._shell import _fail, _read, _write, cli, example
from obligo.errors import ObligoError
from obligo.interop.openslo import export_openslo, import_openslo


@cli.group(name="import")
def import_group() -> None:
    """Write a contract from another format's objectives."""


@import_group.command(
    name="openslo",
    epilog=example(
        "obligo import openslo tests/data/openslo/shop.yaml -o shop.sla", "docs/openslo.md"
    ),
)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write the contract to this file."
)
def import_openslo_command(file: str, output: str | None) -> None:
    """Write the .sla equivalent of an OpenSLO file (v1; v1alpha where it maps).

    Each part that has no equivalent is named on standard error with its YAML line; the
    contract is written only once it reads back without errors (obligo check)."""
    try:
        imported = import_openslo(_read(file), file)
        contract = api.parse(imported.text, output or "<imported>")
        api.raise_for_errors(api.check(contract))
    except ObligoError as error:
        _fail(error)
    _write(imported.text, output)
    for note in imported.notes:
        click.echo(inert(note.format(file)), err=True)
    click.echo(
        f"{imported.objectives} objective{'s' if imported.objectives != 1 else ''} imported, "
        f"{len(imported.notes)} part{'s' if len(imported.notes) != 1 else ''} left out",
        err=True,
    )


@cli.group(name="export")
def export_group() -> None:
    """Write a contract's objectives in another format."""


@export_group.command(
    name="openslo",
    epilog=example(
        "obligo export openslo tests/data/openslo/shop.sla -o shop.yaml", "docs/openslo.md"
    ),
)
@click.argument("contract_file", metavar="CONTRACT", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write the OpenSLO YAML to this file."
)
def export_openslo_command(contract_file: str, output: str | None) -> None:
    """Write the objectives of a contract that OpenSLO v1 can say exactly (ratio and threshold
    sources); each objective left out is named on standard error, with its line and why."""
    try:
        contract = api.load(contract_file)
        api.raise_for_errors(api.check(contract))
        exported = export_openslo(contract)
    except ObligoError as error:
        _fail(error)
    _write(exported.text, output)
    for left in exported.left_out:
        click.echo(inert(f"{contract_file}:{left.line}: {left.message}"), err=True)
    click.echo(
        f"{exported.objectives} objective{'s' if exported.objectives != 1 else ''} exported, "
        f"{len(exported.left_out)} left out",
        err=True,
    )

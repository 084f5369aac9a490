"""``obligo init``: a commented starter contract and a sample log, and the commands to try."""

from __future__ import annotations

import click

from obligo.cli._shell import _fail, _out, cli, example
from obligo.errors import ObligoError
from obligo.render.starter import DEFAULT_NAME, starter, write_starter


@cli.command(epilog=example("obligo init my-service", "docs/document.md"))
@click.argument("name", default=DEFAULT_NAME)
@click.option("--force", is_flag=True, help="Replace the files if they exist.")
def init(name: str, force: bool) -> None:
    """Write a commented starter contract (NAME.sla, default my-service) and a sample log
    (NAME.events.jsonl) that obligo eval evaluates at once, then print the commands to try.

    Existing files are never replaced without --force (exit 2).
    """
    try:
        made = starter(name)
        written = write_starter(made, force=force)
    except ObligoError as error:
        _fail(error)
    _out("wrote " + " and ".join(written))
    _out("try:")
    for command in made.commands:
        _out(f"  {command}")

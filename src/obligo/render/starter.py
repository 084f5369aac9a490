"""``obligo init``: a commented starter contract and a small sample log that ``obligo eval``
evaluates at once (January met, February breached with a credit, March met because announced
maintenance is excluded), for someone writing their first agreement."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import resources

from obligo._output import OutputError, write_file
from obligo.errors import ObligoError

DEFAULT_NAME = "my-service"
# The evaluation time of the command printed: the sample log's three months are over.
SAMPLE_AT = "2026-04-01T00:00:00Z"
_PLACEHOLDER = "NAME"
# A contract name of the language (grammar/obligo.lark, NAME): it also names the files, so it
# can hold no folder, dot or space.
_NAME = re.compile(r"[a-z_][a-z0-9_]*(-[a-z0-9_]+)*")


class StarterError(ObligoError):
    """The starter files cannot be written as asked."""


@dataclass(frozen=True)
class Starter:
    """The files of a starter, by file name, in the order they are written."""

    name: str
    contract_file: str
    events_file: str
    files: tuple[tuple[str, str], ...]

    @property
    def commands(self) -> tuple[str, ...]:
        """What to run next, as printed by ``obligo init``."""
        return (
            f"obligo check {self.contract_file}",
            f"obligo eval {self.contract_file} --events {self.events_file} --at {SAMPLE_AT}",
            f"obligo render {self.contract_file} -o {self.name}.html",
        )


def _template(name: str) -> str:
    return (
        resources.files("obligo.render").joinpath("templates", "starter", name).read_text("utf-8")
    )


def starter(name: str = DEFAULT_NAME) -> Starter:
    """The starter contract and sample log for a contract called ``name``."""
    if not _NAME.fullmatch(name):
        raise StarterError(
            f"{name!r} cannot name a contract: use lowercase words joined by hyphens",
            hint=f"e.g. obligo init {DEFAULT_NAME}",
        )
    contract_file, events_file = f"{name}.sla", f"{name}.events.jsonl"
    return Starter(
        name=name,
        contract_file=contract_file,
        events_file=events_file,
        files=(
            (contract_file, _template("contract.sla").replace(_PLACEHOLDER, name)),
            (events_file, _template("events.jsonl")),
        ),
    )


def write_starter(made: Starter, folder: str = ".", *, force: bool = False) -> list[str]:
    """Write the starter's files into ``folder``; the paths written. Nothing is written when
    one of them exists already, unless ``force``: a contract someone has edited is never
    replaced by accident."""
    paths = [
        file_name if folder == "." else os.path.join(folder, file_name)
        for file_name, _ in made.files
    ]
    existing = [p for p in paths if os.path.lexists(p)]
    if existing and not force:
        raise StarterError(
            f"{existing[0]} exists already: nothing written",
            file=existing[0],
            hint="choose another name, or add --force to replace it",
        )
    for path, (_, text) in zip(paths, made.files, strict=True):
        try:
            if force:
                write_file(path, text)
            else:  # "x": created here or refused, even if the file appeared since the check
                with open(path, "x", encoding="utf-8", newline="\n") as stream:
                    stream.write(text)
        except FileExistsError:
            raise StarterError(
                f"{path} exists already", file=path, hint="add --force to replace it"
            ) from None
        except OutputError as error:
            raise StarterError(error.message, file=path) from None
        except OSError as error:
            raise StarterError(f"cannot write {path}: {error.strerror}", file=path) from None
    return paths

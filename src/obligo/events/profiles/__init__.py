"""Source profiles: how the exports of common tools are read, one TOML file each.

A profile is a sources entry without ``match`` (:mod:`obligo.events.sourcefile`): the record
type of the export's rows and the fields derived from its columns. ``--events
pagerduty:incidents.csv`` (or ``profile = "pagerduty"`` in a sources file) reads an export
with no other mapping; fields given beside a profile replace its fields of the same name.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from importlib import resources

from obligo.errors import SourcesError
from obligo.events.derive import Derivation


@dataclass(frozen=True)
class Profile:
    """A shipped profile: ``name`` (its file's), ``title``, the documentation of the export
    it was written from, and what it reads."""

    name: str
    title: str
    documented: str
    type: str
    fields: tuple[Derivation, ...]
    delimiter: str | None = None
    decimal: str = "."
    encoding: str | None = None


@functools.cache
def names() -> list[str]:
    """Every shipped profile's name, sorted."""
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in resources.files(__name__).iterdir()
        if entry.name.endswith(".toml")
    )


@functools.cache
def profile(name: str) -> Profile:
    """The shipped profile ``name``; :class:`SourcesError` when there is none."""
    from obligo.events.sourcefile import parse_profile

    if name not in names():
        raise SourcesError(
            f"no profile named {name!r} (the profiles: {', '.join(names())})", file=name
        )
    text = resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    settings, about = parse_profile(text, f"obligo/events/profiles/{name}.toml")
    if "type" not in settings:
        raise SourcesError(f"the profile {name!r} names no record type", file=name)
    settings["fields"] = tuple(
        replace(d, optional=True, origin="profile") for d in settings["fields"]
    )
    return Profile(
        name=name,
        title=str(about.get("title", name)),
        documented=str(about.get("documented", "")),
        **settings,
    )

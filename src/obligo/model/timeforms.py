"""The forms a derived field's time may be written in (docs/sources.md): strftime codes, ``iso``,
``epoch seconds``, ``epoch milliseconds``. One rule for the contract's ``map`` lines (checked by
``obligo check``) and for sources files."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from obligo.model.units import SECONDS, canonical_unit

ISO = "iso"
EPOCH_FORMS = ("epoch seconds", "epoch milliseconds")
# The strftime codes DuckDB's strptime reads.
_DIRECTIVES = frozenset("aAbBcdfgGHIjmMnpSuUVwWxXyYzZ%")


def time_form_problem(form: str) -> str | None:
    """Why ``form`` is not a time form, or None when it is one."""
    if form in EPOCH_FORMS or form == ISO:
        return None
    directives = re.findall(r"%(.)", form)
    if not directives or any(d not in _DIRECTIVES for d in directives):
        return (
            f"{form!r} is not a time form: write it with strftime codes "
            '("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"), or "iso", "epoch seconds", '
            '"epoch milliseconds"'
        )
    try:
        dt.datetime(2026, 1, 5, 9, 14).strftime(form)
    except ValueError:
        return f"{form!r} is not a time form"
    return None


def states_its_zone(form: str) -> bool:
    """Whether a time in this form says its own offset (no ``zone`` may be given)."""
    return form in EPOCH_FORMS or "%z" in form or "%Z" in form


def zone_problem(zone: str) -> str | None:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return f'{zone!r} is not an IANA time zone such as "Europe/Berlin"'
    return None


def unit_problem(unit: str) -> str | None:
    found = canonical_unit(unit)
    if found is None or found not in SECONDS:
        return f"{unit!r} is not a unit of time (ms, seconds, minutes, hours, days)"
    return None

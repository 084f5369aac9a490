"""Reading a report's quantities as the JSON report writes them.

A report holds its exact quantities as ``Decimal`` (a measured value, an amount, a number of
seconds); :func:`as_shown` gives them as the digits the JSON report shows (``"99.50"``, never
``1E-7``), so that a test compares the exact text, trailing zeros included."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def as_shown(value: Any) -> Any:
    """``value`` with every Decimal in it (in tuples, lists, sets and dicts too) as its plain digits."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, tuple):
        return tuple(as_shown(item) for item in value)
    if isinstance(value, list):
        return [as_shown(item) for item in value]
    if isinstance(value, set | frozenset):
        return {as_shown(item) for item in value}
    if isinstance(value, dict):
        return {key: as_shown(item) for key, item in value.items()}
    return value

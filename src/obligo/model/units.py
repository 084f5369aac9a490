"""The one table of units the language knows.

A literal such as ``30 min``, ``4 hours``, ``2d`` or ``1 business day`` is a number followed by one
of these words. Each spelling maps to a canonical unit, and each canonical unit to its dimension.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Final

# canonical unit -> seconds, for units of a fixed length. Months, quarters and years are calendar
# spans whose length depends on where they fall, so they have none.
SECONDS: Final[dict[str, Decimal]] = {
    "ms": Decimal("0.001"),
    "s": Decimal(1),
    "min": Decimal(60),
    "h": Decimal(3600),
    "day": Decimal(86400),
    "week": Decimal(604800),
}

CALENDAR_UNITS: Final[tuple[str, ...]] = ("month", "quarter", "year")

# spelling -> canonical unit
SPELLINGS: Final[dict[str, str]] = {
    "ms": "ms",
    "millisecond": "ms",
    "milliseconds": "ms",
    "s": "s",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
    "m": "min",
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "d": "day",
    "day": "day",
    "days": "day",
    "w": "week",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "quarter": "quarter",
    "quarters": "quarter",
    "year": "year",
    "years": "year",
}

# Units a business duration may use: `1 business day` is one opening day of the calendar in use,
# `4 business hours` four hours of opening time.
BUSINESS_UNITS: Final[tuple[str, ...]] = ("min", "h", "day")

# Words naming a period's length, as in `per calendar month`, `breached in 3 consecutive months`.
PERIOD_WORDS: Final[dict[str, str]] = {
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "quarter": "quarter",
    "quarters": "quarter",
    "year": "year",
    "years": "year",
    "period": "period",
    "periods": "period",
}

CALENDAR_PERIODS: Final[tuple[str, ...]] = ("day", "week", "month", "quarter", "year")


def canonical_unit(spelling: str) -> str | None:
    """The canonical unit for a spelling, or None when the word is not a unit."""
    return SPELLINGS.get(spelling)


# Units a log field's numbers can be in (``field latency_ms in ms``): the fixed lengths of time.
# A month has no fixed length, and a business day is not a length at all.
FIELD_UNITS: Final[tuple[str, ...]] = tuple(SECONDS)


def in_unit(amount: Decimal, unit: str, to_unit: str) -> Fraction:
    """``amount`` of ``unit`` expressed in ``to_unit``, exactly: 1 s in ms is 1000, 1 min in h is
    1/60 (a Fraction: a Decimal cannot hold a third of anything). Both are fixed lengths of
    time. This is the one conversion rule of field units: the checks order credit tiers with
    it and the engine compares values with it."""
    return Fraction(amount) * Fraction(SECONDS[unit]) / Fraction(SECONDS[to_unit])

"""The one table of units the language knows.

A literal such as ``30 min``, ``4 hours``, ``2d`` or ``1 business day`` is a number followed by one
of these words. Each spelling maps to a canonical unit, and each canonical unit to its dimension.
"""

from __future__ import annotations

from decimal import Decimal
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

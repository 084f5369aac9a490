"""Amounts of money: exact fractions while computing, rounded once, half-up, to the currency's
minor unit at the end of a row (after its caps)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from obligo.engine.numbers import decimal_text
from obligo.model.currencies import MINOR_UNITS


def minor_unit(currency: str) -> int:
    """Decimal places of the currency's minor unit (2 for EUR and USD, 0 for JPY, 3 for KWD)."""
    return MINOR_UNITS.get(currency.upper(), 2)


def round_half_up(amount: Fraction, places: int) -> Decimal:
    """``amount`` rounded half away from zero to ``places`` decimal places, exactly: 93.475
    becomes 93.48, never 93.47 as binary floating point or half-even would give."""
    scaled = amount * 10**places
    magnitude = math.floor(abs(scaled) + Fraction(1, 2))
    whole = magnitude if scaled >= 0 else -magnitude
    return Decimal(whole).scaleb(-places)


def money_text(amount: Decimal) -> str:
    """A rounded amount as a decimal string with all its places (``"93.48"``, ``"400.00"``)."""
    return f"{amount:f}"


def exact_text(amount: Fraction) -> str:
    """An amount before rounding: exact up to 9 decimal places (``"38.709677419"``)."""
    return decimal_text(amount)


def rounding_text(currency: str) -> str:
    places = minor_unit(currency)
    step = f"{Decimal(1).scaleb(-places):f}"
    return f"half-up to {step} {currency}"

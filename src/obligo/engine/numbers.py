"""Exact numbers to text: a Fraction as a decimal string, never through a float."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

PLACES = 9


def to_decimal(value: Fraction, places: int = PLACES) -> Decimal:
    """The fraction as a Decimal: exact when its expansion ends within ``places`` places, else
    rounded half-even to ``places`` places."""
    with localcontext() as context:
        context.prec = 60
        quotient = Decimal(value.numerator) / Decimal(value.denominator)
        rounded = quotient.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
        # normalize() rounds to the context's precision: inside it (60 digits), not outside
        # (28: a 38-digit value lost its last 10 digits).
        return rounded.normalize() if rounded != 0 else Decimal(0)


def decimal_text(value: Fraction | int) -> str:
    if isinstance(value, int):
        return str(value)
    return f"{to_decimal(value):f}"


def fraction_of(value: object) -> Fraction:
    """A Decimal, int or Fraction as an exact Fraction."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | Decimal):
        return Fraction(value)
    raise TypeError(f"not an exact number: {value!r}")

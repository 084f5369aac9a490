"""The arithmetic of a tier: whether a value falls in it, and how far a value exceeds a target.
The report quotes a clause's lines with the printer's functions (:mod:`obligo.syntax.printer`)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from obligo.engine.judge.verdicts import compare, target_fraction
from obligo.model import clauses as c
from obligo.model.base import Comparator, Duration
from obligo.model.vocabulary import UNIT_NAMES

# The contract's own words, from the one vocabulary (the printer writes them the same way).
UNIT_WORDS = UNIT_NAMES


# ---------------------------------------------------------------------------------- arithmetic
def bound_value(value: object, dimension: str) -> Fraction | None:
    """A tier's bound in the subject's unit: a percentage as its number, a duration in seconds
    (or as written, for a field's own numbers), a count or number as it is."""
    return target_fraction(value, dimension)


def in_tier(value: Fraction, condition: c.TierCondition, dimension: str) -> bool | None:
    """Whether ``value`` satisfies every bound of the tier (None: a bound cannot be read)."""
    for bound in condition.bounds:
        limit = bound_value(bound.value, "percent" if condition.exceedance else dimension)
        if limit is None:
            return None
        if not compare(value, bound.op, limit):
            return False
    return True


def exceedance(value: Fraction, op: Comparator, target: Fraction) -> Fraction | None:
    """How far ``value`` is beyond the target, in percent of the target: (value − target) ÷
    target × 100 for an upper limit (``<``, ``<=``), (target − value) ÷ target × 100 for a lower
    one (``>``, ``>=``). Negative on the kept side; undefined (None) for a target of 0 or for
    ``=`` and ``!=``, which have no direction."""
    if target == 0 or op in ("=", "!="):
        return None
    if op in ("<", "<="):
        return (value - target) / target * 100
    return (target - value) / target * 100


def unit_seconds(unit: str) -> Fraction | None:
    seconds = Duration(amount=Decimal(1), unit=unit).seconds
    return None if seconds is None else Fraction(seconds)

"""Credit tiers: in order, not overlapping; a gap in a banded table is worth a warning.

Each tier is read as an interval of the measured value (``< 99.9% and >= 99.0%`` is
[99.0, 99.9)). A table of one-sided tiers (``< 99.9%``, ``< 99.0%``, ``< 95.0%``) is nested: the
worst tier that applies is given, so the tiers must get strictly worse in the order written. A
table with bands must not let one value fall in two tiers; a value that falls between two bands
earns nothing, which some real agreements do (and obligo encodes faithfully), so it is a warning.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from obligo.checks.reporter import Reporter
from obligo.model import clauses as c
from obligo.model.base import Duration, LiteralValue, Number, Percent
from obligo.model.contract import Contract
from obligo.model.metrics import MetricBase, in_field_unit


@dataclass(frozen=True)
class Interval:
    low: Fraction | None
    low_inclusive: bool
    high: Fraction | None
    high_inclusive: bool

    def empty(self) -> bool:
        if self.low is None or self.high is None:
            return False
        return self.low > self.high or (
            self.low == self.high and not (self.low_inclusive and self.high_inclusive)
        )

    def overlaps(self, other: Interval) -> bool:
        return not (self._below(other) or other._below(self))

    def _below(self, other: Interval) -> bool:
        """Every value of self is below every value of other."""
        if self.high is None or other.low is None:
            return False
        return self.high < other.low or (
            self.high == other.low and not (self.high_inclusive and other.low_inclusive)
        )

    def touches(self, other: Interval) -> bool:
        """self ends exactly where other starts, leaving no value out."""
        return (
            self.high is not None
            and self.high == other.low
            and (self.high_inclusive != other.low_inclusive)
        )


def magnitude(value: LiteralValue, unit: str | None = None) -> Fraction | None:
    """A bound as an exact number: for a metric of a field with a stated unit, in that unit by
    the engine's own conversion rule (``1 s`` on a field in ms is 1000, ``250`` is 250);
    otherwise a percentage or a number as written and a duration in seconds."""
    if unit is not None:
        return in_field_unit(value, unit)
    if isinstance(value, Percent | Number):
        return Fraction(value.value)
    if isinstance(value, Duration) and value.seconds is not None:
        return Fraction(value.seconds)
    return None


def interval(condition: c.TierCondition, unit: str | None = None) -> Interval | None:
    low: Fraction | None = None
    high: Fraction | None = None
    low_inclusive = high_inclusive = False
    for bound in condition.bounds:
        value = magnitude(bound.value, unit)
        if value is None or bound.op == "!=":
            return None
        if bound.op in ("<", "<=", "="):
            if high is None or value < high:
                high, high_inclusive = value, bound.op != "<"
        if bound.op in (">", ">=", "="):
            if low is None or value > low:
                low, low_inclusive = value, bound.op != ">"
    return Interval(low, low_inclusive, high, high_inclusive)


def _show(value: Fraction | None, unit: str) -> str:
    if value is None:
        return "-"
    shown = (Decimal(value.numerator) / Decimal(value.denominator)).normalize()
    return f"{shown:f}{unit}"


def _gap(lower: Interval, upper: Interval, unit: str) -> str:
    if lower.high == upper.low:
        return f"a value of exactly {_show(lower.high, unit)}"
    low, high = _show(lower.high, unit), _show(upper.low, unit)
    start = f"above {low}" if lower.high_inclusive else f"of {low} or more"
    end = f"below {high}" if upper.low_inclusive else f"up to {high}"
    return f"a value {start} and {end}"


def check_tiers(
    clause: c.Clause,
    out: Reporter,
    metrics: Collection[str] | None = None,
    contract: Contract | None = None,
) -> None:
    """``metrics``: the metric names in scope (a table naming another is left to the name
    check), the metrics themselves when a mapping; ``contract``: where field units are stated."""
    tables = [credit for credit in clause.credits if isinstance(credit, c.CreditTable)]
    for table in tables:
        subjects = {t.condition.subject for t in table.tiers} - {None}
        if metrics is not None and not subjects <= set(metrics):
            continue
        _table(table, out, _field_unit(subjects, metrics, contract))


def _field_unit(
    subjects: set[str | None], metrics: Collection[str] | None, contract: Contract | None
) -> str | None:
    """The stated unit of the field the table's one metric is made of, if any."""
    if contract is None or not isinstance(metrics, Mapping) or len(subjects) != 1:
        return None
    metric = metrics.get(next(iter(subjects)))
    field = metric.measured_field if isinstance(metric, MetricBase) else None
    declared = contract.field_unit(field) if field is not None else None
    return declared.unit if declared is not None else None


def _table(table: c.CreditTable, out: Reporter, field_unit: str | None = None) -> None:
    tiers = table.tiers
    subjects = {(t.condition.subject, t.condition.exceedance) for t in tiers}
    if len(subjects) > 1:
        out.error(
            "the tiers of one credit table measure different things",
            tiers[1].condition.loc,
            "give each metric its own credit table",
        )
        return
    for tier in tiers:
        if any(b.op == "!=" for b in tier.condition.bounds):
            out.error("a tier is a range of values: != cannot bound it", tier.condition.loc)
            return
    kinds = {type(b.value) for t in tiers for b in t.condition.bounds}
    if len(kinds) > 1 and (field_unit is None or not kinds <= {Number, Duration}):
        return  # a percentage beside a duration: not comparable, reported by the unit checks
    intervals = [interval(t.condition, field_unit) for t in tiers]
    if any(i is None for i in intervals):
        return  # a bound of the wrong kind, reported by the unit checks
    spans: list[Interval] = [i for i in intervals if i is not None]
    unit = "%" if isinstance(tiers[0].condition.bounds[0].value, Percent) else ""
    if field_unit is not None:
        unit = f" {field_unit}"
    for tier, span in zip(tiers, spans, strict=True):
        if span.empty():
            out.error(
                "no value can fall in this tier: its bounds exclude each other", tier.condition.loc
            )
            return
    if len(tiers) < 2 or table.cumulative:
        return
    one_sided = all(len(t.condition.bounds) == 1 for t in tiers)
    if one_sided and _nested(tiers, spans, out):
        return
    # Banded (or mixed) tables: in order, no overlap, gaps only warned about.
    order = _direction(spans)
    if order is None:
        out.error(
            "the tiers are out of order",
            tiers[1].condition.loc,
            "write them from the mildest shortfall to the worst",
        )
        return
    for index, (first, second) in enumerate(itertools.pairwise(spans)):
        lower, upper = (second, first) if order == "descending" else (first, second)
        if lower.overlaps(upper):
            out.error(
                f"this tier overlaps the tier on line {tiers[index].condition.loc.line}:"
                " one value would fall in both",
                tiers[index + 1].condition.loc,
                "make one bound inclusive (<=, >=) and the other exclusive (<, >)",
            )
        elif not lower.touches(upper) and lower.high is not None and upper.low is not None:
            out.warning(
                f"a gap between tiers: {_gap(lower, upper, unit)} earns no credit",
                tiers[index + 1].condition.loc,
                "intended in some agreements; otherwise close the gap",
            )


def _nested(tiers: tuple[c.Tier, ...], spans: list[Interval], out: Reporter) -> bool:
    """One-sided tiers in one direction: each must be strictly worse than the one before."""
    uppers = [s.high for s in spans]
    lowers = [s.low for s in spans]
    if all(u is not None for u in uppers) and all(low is None for low in lowers):
        values = [u for u in uppers if u is not None]
        worse = [b < a for a, b in itertools.pairwise(values)]
    elif all(low is not None for low in lowers) and all(u is None for u in uppers):
        values = [low for low in lowers if low is not None]
        worse = [b > a for a, b in itertools.pairwise(values)]
    else:
        return False
    for index, ok in enumerate(worse):
        if not ok:
            out.error(
                "the tiers are out of order: each tier must be stricter than the one above it",
                tiers[index + 1].condition.loc,
                "the worst tier that applies is given; list them from mildest to worst",
            )
            return True
    amounts = [_percent(t.amount) for t in tiers]
    for index, (a, b) in enumerate(itertools.pairwise(amounts)):
        if a is not None and b is not None and b < a:
            out.warning(
                "a worse shortfall earns a smaller credit than the tier above it",
                tiers[index + 1].loc,
            )
    return True


def _percent(amount: c.Amount) -> Decimal | None:
    return amount.percent.value if isinstance(amount, c.PercentOfFee) else None


def _direction(spans: list[Interval]) -> str | None:
    """``ascending`` or ``descending`` when the tiers are written in value order, else None."""
    keys = [
        (
            (0, s.low) if s.low is not None else (-1, Fraction(0)),
            (0, s.high) if s.high is not None else (1, Fraction(0)),
        )
        for s in spans
    ]
    if all(a < b for a, b in itertools.pairwise(keys)):
        return "ascending"
    if all(a > b for a, b in itertools.pairwise(keys)):
        return "descending"
    return None

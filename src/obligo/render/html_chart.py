"""The chart of one objective in the HTML report: the measured value per period against the target
line and the credit tier bounds, breached periods marked.

Only geometry is computed here (coordinates rounded to a tenth of a pixel, so that the same report
gives the same bytes); the template draws it as inline SVG, beside a table of the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from obligo.report.model import TierShown, Verdict

WIDTH = 560
HEIGHT = 200
LEFT, RIGHT, TOP, BOTTOM = 78, 12, 14, 34


@dataclass(frozen=True)
class Point:
    label: str
    x: float
    y: float
    value: Decimal
    status: str


@dataclass(frozen=True)
class Rule:
    """A horizontal line across the chart: the target, or a credit tier's bound."""

    kind: str  # "target" or "tier"
    label: str
    value: Decimal
    y: float
    drawn: bool = True  # a tier far from the values is listed beside the chart, not drawn


@dataclass(frozen=True)
class Tick:
    label: str
    x: float
    shown: bool  # every period has a tick; a label only every few, so that they do not overlap


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    points: tuple[Point, ...]
    # The polyline through consecutive periods with a value, one run per gap-free stretch.
    runs: tuple[str, ...]
    rules: tuple[Rule, ...]
    ticks: tuple[Tick, ...]
    y_low: Decimal
    y_high: Decimal


def tier_rules(tiers: list[TierShown], verdict: Verdict) -> list[tuple[str, Decimal]]:
    """The bounds of the clause's credit, penalty and reward tiers about the verdict's metric
    (and group), as the report holds them in the verdict's unit, each value once with its label
    (``credit tier < 99.0%``): the bound each tier is entered by (its first) before the others,
    so that ``< 99.9% and >= 99%`` then ``< 99% and >= 95%`` give 99.9, 99 and 95 as entered."""
    about = [
        tier
        for tier in tiers
        if tier.metric == verdict.metric and (tier.group is None or tier.group == verdict.group)
    ]
    ordered = [*(t.bounds[:1] for t in about), *(t.bounds[1:] for t in about)]
    kinds = [*(t.kind for t in about), *(t.kind for t in about)]
    found: list[tuple[str, Decimal]] = []
    for kind, bounds in zip(kinds, ordered, strict=True):
        for bound in bounds:
            if bound.unit == verdict.unit and all(value != bound.value for _, value in found):
                found.append((f"{kind} tier {bound.words}", bound.value))
    return found


def _y(value: Decimal, low: Decimal, high: Decimal) -> float:
    span = high - low
    inner = HEIGHT - TOP - BOTTOM
    return round(TOP + float((high - value) / span) * inner, 1)


def build_chart(
    verdicts: list[Verdict], tiers: list[tuple[str, Decimal]], labels: list[str]
) -> Chart:
    """The chart of one objective's periods (``verdicts`` in time order)."""
    values = [v.value for v in verdicts if v.value is not None]
    target = verdicts[0].target_value if verdicts else None
    bounds = [*values] + ([target] if target is not None else [])
    # A tier far from the values (95% beside values of 99.8 to 99.9%) would flatten them into
    # one line: such a tier stays in the table beside the chart, not drawn.
    near = (min(bounds), max(bounds)) if bounds else None
    if near is not None:
        reach = max(near[1] - near[0], abs(near[1]) / 100)
        far = [t for t in tiers if not near[0] - 2 * reach <= t[1] <= near[1] + 2 * reach]
    else:
        far = []
    bounds += [value for tier in tiers if tier not in far for _, value in [tier]]
    low, high = (min(bounds), max(bounds)) if bounds else (Decimal(0), Decimal(1))
    if low == high:  # one value: a band of a tenth of it either side (a record, a minute at least)
        unit = verdicts[0].unit if verdicts else ""
        delta = max(abs(low) / 10, Decimal(60 if unit == "s" else 1))
        low, high = low - delta, high + delta
    pad = (high - low) / 10
    # Round the axis outwards to one digit finer than its span, so that its ends read simply.
    place = Decimal(1).scaleb((high - low).adjusted() - 1)
    if verdicts and verdicts[0].unit == "s":  # a duration's axis ends on whole minutes or hours
        place = Decimal(3600 if high - low >= 36000 else 60 if high - low >= 600 else 1)
    low = ((low - pad) / place).to_integral_value(ROUND_FLOOR) * place
    high = ((high + pad) / place).to_integral_value(ROUND_CEILING) * place
    if min(bounds, default=Decimal(0)) >= 0 > low:
        low = Decimal(0)  # a count or a duration is never negative: no axis below 0
    if verdicts and verdicts[0].unit == "%" and max(bounds, default=Decimal(0)) <= 100 < high:
        high = Decimal(100)  # a share never exceeds 100%
    inner_width = WIDTH - LEFT - RIGHT
    step = inner_width / max(len(verdicts), 1)
    points: list[Point] = []
    runs: list[str] = []
    current: list[str] = []
    ticks: list[Tick] = []
    every = -(-len(verdicts) // 10) or 1
    for index, verdict in enumerate(verdicts):
        x = round(LEFT + step * (index + 0.5), 1)
        ticks.append(Tick(labels[index], x, index % every == 0))
        if verdict.value is None:
            if len(current) > 1:
                runs.append(" ".join(current))
            current = []
            continue
        y = _y(verdict.value, low, high)
        points.append(Point(verdict.period.label, x, y, verdict.value, verdict.status))
        current.append(f"{x},{y}")
    if len(current) > 1:
        runs.append(" ".join(current))
    rules: list[Rule] = []
    if target is not None:
        rules.append(Rule("target", f"target {verdicts[0].target}", target, _y(target, low, high)))
    for label, value in tiers:
        if target is not None and value == target:
            continue  # the first tier often starts at the target: one line, the target's
        drawn = (label, value) not in far
        y = _y(value, low, high) if drawn else 0.0
        rules.append(Rule("tier", label, value, y, drawn))
    return Chart(
        WIDTH,
        HEIGHT,
        LEFT,
        RIGHT,
        TOP,
        BOTTOM,
        tuple(points),
        tuple(runs),
        tuple(rules),
        tuple(ticks),
        low,
        high,
    )

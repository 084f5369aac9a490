"""Objectives judged on measurements: met, breached, no data or pending, with the evidence."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from obligo.engine.judge.baseline import BaselineSpan
from obligo.engine.measure.measurement import Measurement
from obligo.engine.time.periods import MeasurementPeriod
from obligo.model import clauses as c
from obligo.model import metrics as m
from obligo.model.base import Duration, Number, Percent
from obligo.model.metrics import in_field_unit
from obligo.model.units import FIELD_UNITS

# What the judge decides of an objective in a period (the report's ``Verdict.status``).
Status = Literal["met", "breached", "no_data", "pending"]

# A measurement's dimension and the unit its value is shown in. A metric of a field whose unit
# the contract states (`field latency_ms in ms`) has that unit as its dimension: its value is a
# number of milliseconds, shown as such ("256.1 ms").
UNITS = {
    "percent": "%",
    "duration": "s",
    "count": "records",
    "number": "",
    **{unit: unit for unit in FIELD_UNITS},
}


def target_fraction(target: object, dimension: str = "duration") -> Fraction | None:
    """A target literal as an exact number in the metric's unit (percent, seconds, number).

    A metric of a field with a stated unit (dimension ``ms``) compares with the target converted
    to that unit exactly (``<= 1 s`` is 1000); the checks order credit tiers by the same rule
    (:func:`obligo.model.metrics.in_field_unit`). A field's bare number (dimension ``number``) is
    compared only with a number: a duration cannot be related to it (the checks refuse it)."""
    if dimension in FIELD_UNITS:
        return in_field_unit(target, dimension)
    if isinstance(target, Percent | Number):
        return Fraction(target.value)
    if isinstance(target, Duration) and dimension != "number" and target.seconds is not None:
        return Fraction(target.seconds)
    return None


def compare(value: Fraction, op: str, target: Fraction) -> bool:
    return {
        ">=": value >= target,
        ">": value > target,
        "<=": value <= target,
        "<": value < target,
        "=": value == target,
        "!=": value != target,
    }[op]


@dataclass(frozen=True)
class RelativeTarget:
    """A target written relative to the baseline (``>= 110% of the baseline``), resolved:
    the level achieved in the baseline, the target it gives, or why it is not known yet."""

    level: Fraction | None
    target: Fraction | None
    reason: str | None


def relative_target(
    objective: c.Objective,
    measured: Mapping[str, Measurement],
    periods: Sequence[MeasurementPeriod],
    span: BaselineSpan | None,
    at: dt.datetime,
    group: str | None = None,
) -> RelativeTarget:
    """The target of ``promise METRIC >= P% of the baseline`` for one group (or the metric).

    The **level achieved in the baseline** is the mean of the metric's values in the periods
    that start inside the baseline and have a value (the same for every kind of metric: a
    month's count or a month's ratio alike). The target is P% of it, known once the baseline
    has ended at the evaluation time; until then, and when the baseline measured nothing, the
    target is unknown and the reason says why."""
    target = objective.target
    assert isinstance(target, c.BaselineTarget)
    if span is None:
        return RelativeTarget(None, None, "the contract declares no baseline to be relative to")
    if at < span.end:
        return RelativeTarget(
            None,
            None,
            f"the target is {target}: known when the baseline ends"
            f" ({(span.after - dt.timedelta(days=1)).isoformat()})",
        )
    values: list[Fraction] = []
    for period in periods:
        if not span.covers(period.start) or period.end > at:
            continue
        measurement = measured[period.label]
        if group is not None:
            one = measurement.groups.get(group)
            value = None if one is None else one.value
        else:
            value = measurement.value
        if value is not None:
            values.append(value)
    if not values:
        return RelativeTarget(
            None, None, f"the baseline measured no value of {objective.metric}: no target"
        )
    level = sum(values, Fraction(0)) / len(values)
    return RelativeTarget(level, level * Fraction(target.percent.value) / 100, None)


@dataclass(frozen=True, slots=True)
class BudgetLeft:
    """For a pending period: how much more can go wrong before the objective breaches
    (``remaining`` in ``unit``: seconds of downtime, a whole number of records, or the
    exact quantity of a ratio of summed fields, in their unit), and the
    share of the budget used so far, in percent."""

    remaining: Fraction | int
    unit: str
    used: Fraction


@dataclass(frozen=True, slots=True)
class Ruling:
    """The judge's decision on one objective (one group of it) in one period: its status and
    why, the measurement judged (the group's own, for a group), the target it was compared with
    (None: not known), and for a pending period the error budget left."""

    status: Status
    reason: str | None
    measurement: Measurement
    group: str | None
    target: Fraction | None
    budget: BudgetLeft | None


def judge(
    objective: c.Objective,
    metric: m.Metric,
    period: MeasurementPeriod,
    measurement: Measurement,
    at: dt.datetime,
    each_group: str | None = None,
    *,
    relative: RelativeTarget | None = None,
) -> Ruling:
    """The ruling on one objective in one period. ``each_group`` judges one group of a grouped
    metric for a promise written without ``for`` (a promise for each group). ``relative`` is
    the resolved target of a promise relative to the baseline (without it such a promise is not
    judged)."""
    group: object = getattr(objective.group, "value", None) if objective.group is not None else None
    if each_group is not None:
        group = each_group
    if group is not None:
        measurement = measurement.groups.get(str(group)) or Measurement(
            value=None,
            dimension=measurement.dimension,
            no_data=f'no records of "{group}" in the period',
        )
    pending = period.start <= at < period.end
    target = target_fraction(objective.target, measurement.dimension)
    if isinstance(objective.target, c.BaselineTarget) and relative is not None:
        target = relative.target
    status: Status
    reason: str | None = None
    minimum = metric.minimum_data
    if minimum is not None and measurement.records < minimum.records and not pending:
        status = minimum.otherwise
        reason = f"too few records: {measurement.records} of the {minimum.records} required"
    elif measurement.value is None:
        status = "pending" if pending else (metric.without_data or "no_data")
        reason = measurement.no_data or "no data"
    elif target is None:
        status = "pending" if pending else "no_data"
        reason = (
            relative.reason
            if relative is not None and relative.reason
            else "a target relative to the baseline needs the baseline's results"
        )
    else:
        kept = compare(measurement.value, objective.op, target)
        status = "pending" if pending else ("met" if kept else "breached")
    budget = None
    if (
        pending
        and target is not None
        and measurement.budget is not None
        and measurement.value is not None
    ):
        budget = budget_left(measurement, objective.op, target)
    return Ruling(
        status=status,
        reason=reason,
        measurement=measurement,
        group=None if group is None else str(group),
        target=target,
        budget=budget,
    )


def budget_left(measurement: Measurement, op: str, target: Fraction) -> BudgetLeft | None:
    """The error budget a pending measurement has left against ``op target`` (None: no budget:
    not a percentage, or not a `>=`/`>` promise). The verdict's budget is this for its own
    target; ``obligo budget`` asks it again for each credit tier's threshold, so that the
    distance to a tier is the same arithmetic as the budget itself."""
    budget = measurement.budget
    assert budget is not None
    if measurement.dimension != "percent" or op not in (">=", ">"):
        return None
    if budget.unit == "seconds of downtime":
        # Time: the whole period's counted time is known, so the budget is what the target
        # allows over the period less the downtime so far.
        allowed = budget.capacity * (1 - target / 100)
        remaining = allowed - budget.bad
        if op == ">" and remaining > 0:
            remaining -= Fraction(1, 1_000_000)  # strictly better: one microsecond less
        used = budget.bad / allowed * 100 if allowed > 0 else Fraction(100 if budget.bad else 0)
        return BudgetLeft(remaining=remaining, unit="seconds of downtime", used=used)
    # Records: how many more failed records, with no more good ones, before the share falls
    # below the target: the largest k with (total - bad) / (total + k) still meeting it.
    good = budget.capacity - budget.bad
    if target == 0:
        return None
    limit = good * 100 / target - budget.capacity
    if not budget.whole:
        # A quantity (minutes summed from a field): exactly what may still fail; with `>`, the
        # failed quantity must stay below it.
        more: Fraction | int = limit
    else:
        more = math.floor(limit) if op == ">=" else math.ceil(limit) - 1
    spent = budget.bad + max(more, 0)
    used = budget.bad / spent * 100 if spent > 0 else Fraction(0)
    return BudgetLeft(remaining=more, unit=budget.unit, used=used)

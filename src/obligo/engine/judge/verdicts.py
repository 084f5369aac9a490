"""Objectives judged on measurements: met, breached, no data or pending, with the evidence."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from obligo.engine.judge.baseline import BaselineSpan
from obligo.engine.measure.measurement import Measurement
from obligo.engine.numbers import decimal_text
from obligo.engine.time.periods import MeasurementPeriod
from obligo.model import clauses as c
from obligo.model import metrics as m
from obligo.model.base import Duration, Number, Percent
from obligo.model.metrics import in_field_unit
from obligo.model.units import FIELD_UNITS
from obligo.report.model import (
    Contributor,
    ErrorBudget,
    Evidence,
    Location,
    PeriodRef,
    Verdict,
)
from obligo.syntax import printer

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
TOP = 10


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


def judge(
    clause: c.Clause,
    objective: c.Objective,
    metric: m.Metric,
    period: MeasurementPeriod,
    measurement: Measurement,
    at: dt.datetime,
    each_group: str | None = None,
    *,
    baseline: bool = False,
    relative: RelativeTarget | None = None,
) -> Verdict:
    """The verdict of one objective in one period. ``each_group`` judges one group of a grouped
    metric for a promise written without ``for`` (a promise for each group). ``baseline``
    marks a period of the baseline; ``relative`` is the resolved target of a promise relative
    to the baseline (without it such a promise is not judged)."""
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
    status: str
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
        budget = _budget(measurement, objective.op, target)
    contributors = _local(_top(measurement.contributors), at.tzinfo)
    return Verdict(
        clause=clause.id,
        clause_title=clause.title,
        location=Location(
            file=clause.loc.file, line=objective.loc.line, column=objective.loc.column
        ),
        metric=metric.id,
        group=None if group is None else str(group),
        objective=printer.objective(objective),
        period=PeriodRef(
            label=period.label,
            start=period.start.astimezone(at.tzinfo),
            end=period.end.astimezone(at.tzinfo),
            partial=period.partial,
        ),
        baseline=baseline,
        status=status,
        reason=reason,
        value=None if measurement.value is None else decimal_text(measurement.value),
        unit=UNITS[measurement.dimension],
        target=str(objective.target),
        target_value=None if target is None else decimal_text(target),
        baseline_level=(
            None if relative is None or relative.level is None else decimal_text(relative.level)
        ),
        error_budget=budget,
        evidence=Evidence(
            totals={k: decimal_text(v) for k, v in sorted(measurement.totals.items())},
            contributors=contributors,
            contributors_total=(
                measurement.contributors_total
                if measurement.contributors_total is not None
                else len(measurement.contributors)
            ),
            exclusions=sorted(measurement.exclusions, key=lambda e: e.exclusion),
            exclusions_refused=[
                r.model_copy(update={"start": r.start.astimezone(at.tzinfo) if r.start else None})
                for r in sorted(
                    measurement.refused,
                    key=lambda r: (r.start or dt.datetime.min.replace(tzinfo=dt.UTC), r.id or ""),
                )
            ],
        ),
    )


def _budget(measurement: Measurement, op: str, target: Fraction) -> ErrorBudget | None:
    budget = measurement.budget
    assert budget is not None
    if measurement.dimension != "percent" or op not in (">=", ">"):
        return None
    if budget.unit.startswith("seconds"):
        # Time: the whole period's counted time is known, so the budget is what the target
        # allows over the period less the downtime so far.
        allowed = budget.capacity * (1 - target / 100)
        remaining = allowed - budget.bad
        if op == ">" and remaining > 0:
            remaining -= Fraction(1, 1_000_000)  # strictly better: one microsecond less
        used = budget.bad / allowed * 100 if allowed > 0 else Fraction(100 if budget.bad else 0)
        return ErrorBudget(
            remaining=decimal_text(remaining), unit="seconds of downtime", used=decimal_text(used)
        )
    # Records: how many more failed records, with no more good ones, before the share falls
    # below the target: the largest k with (total - bad) / (total + k) still meeting it.
    good = budget.capacity - budget.bad
    if target == 0:
        return None
    limit = good * 100 / target - budget.capacity
    more = math.floor(limit) if op == ">=" else math.ceil(limit) - 1
    spent = budget.bad + max(more, 0)
    used = budget.bad / spent * 100 if spent > 0 else Fraction(0)
    return ErrorBudget(remaining=str(more), unit=budget.unit, used=decimal_text(used))


def _top(contributors: list[Contributor]) -> list[Contributor]:
    """The ten largest contributors: by seconds, ties by time then id. Contributors without a
    size (the worst slices of an average, already ranked) keep the order they were given in."""
    if not all(item.seconds is not None for item in contributors):
        return contributors[:TOP]

    def key(item: Contributor) -> tuple[Fraction, dt.datetime, str]:
        size = -Fraction(item.seconds or 0)
        start = item.start or dt.datetime.max.replace(tzinfo=dt.UTC)
        return (size, start, item.id or "")

    return sorted(contributors, key=key)[:TOP]


def _local(contributors: list[Contributor], zone: dt.tzinfo | None) -> list[Contributor]:
    """Evidence times in the contract's timezone, like every other time in the report."""
    return [
        c.model_copy(
            update={
                "start": c.start.astimezone(zone) if c.start else None,
                "end": c.end.astimezone(zone) if c.end else None,
            }
        )
        for c in contributors
    ]



"""Objectives judged on measurements: met, breached, no data or pending, with the evidence."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from obligo.engine.measurement import Measurement
from obligo.engine.numbers import decimal_text
from obligo.engine.periods import MeasurementPeriod
from obligo.model import clauses as c
from obligo.model import metrics as m
from obligo.model.base import Duration, Number, Percent
from obligo.report.model import (
    Contributor,
    ErrorBudget,
    Evidence,
    Location,
    PeriodRef,
    Verdict,
)

UNITS = {"percent": "%", "duration": "s", "count": "records", "number": ""}
TOP = 10


def target_fraction(target: object) -> Fraction | None:
    """A target literal as an exact number in the metric's unit (percent, seconds, number)."""
    if isinstance(target, Percent | Number):
        return Fraction(target.value)
    if isinstance(target, Duration) and target.seconds is not None:
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


def judge(
    clause: c.Clause,
    objective: c.Objective,
    metric: m.Metric,
    period: MeasurementPeriod,
    measurement: Measurement,
    at: dt.datetime,
    each_group: str | None = None,
) -> Verdict:
    """The verdict of one objective in one period. ``each_group`` judges one group of a grouped
    metric for a promise written without ``for`` (a promise for each group)."""
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
    target = target_fraction(objective.target)
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
            "a target relative to the baseline needs the baseline's results (not evaluated yet)"
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
    contributors = _top(measurement.contributors)
    return Verdict(
        clause=clause.id,
        clause_title=clause.title,
        location=Location(
            file=clause.loc.file, line=objective.loc.line, column=objective.loc.column
        ),
        metric=metric.id,
        group=None if group is None else str(group),
        objective=_objective_text(objective),
        period=PeriodRef(
            label=period.label,
            start=period.start.astimezone(at.tzinfo),
            end=period.end.astimezone(at.tzinfo),
            partial=period.partial,
        ),
        status=status,
        reason=reason,
        value=None if measurement.value is None else decimal_text(measurement.value),
        unit=UNITS[measurement.dimension],
        target=str(objective.target),
        error_budget=budget,
        evidence=Evidence(
            totals={k: decimal_text(v) for k, v in sorted(measurement.totals.items())},
            contributors=contributors,
            contributors_total=len(measurement.contributors),
            exclusions=sorted(measurement.exclusions, key=lambda e: e.exclusion),
            exclusions_refused=sorted(
                measurement.refused,
                key=lambda r: (r.start or dt.datetime.min.replace(tzinfo=dt.UTC), r.id or ""),
            ),
        ),
    )


def _budget(measurement: Measurement, op: str, target: Fraction) -> ErrorBudget | None:
    budget = measurement.budget
    assert budget is not None
    if measurement.dimension != "percent" or op not in (">=", ">"):
        return None
    allowed = budget.capacity * (1 - target / 100)
    remaining = allowed - budget.bad
    if op == ">" and remaining > 0 and budget.unit.startswith("seconds"):
        remaining -= Fraction(1, 1_000_000)  # strictly better: one microsecond less
    used = budget.bad / allowed * 100 if allowed > 0 else Fraction(100)
    if budget.unit.startswith("seconds"):
        unit = "seconds of downtime"
    else:
        unit = budget.unit
        remaining = Fraction(max(int(remaining), 0)) if remaining > 0 else remaining
    return ErrorBudget(remaining=decimal_text(remaining), unit=unit, used=decimal_text(used))


def _top(contributors: list[Contributor]) -> list[Contributor]:
    def key(item: Contributor) -> tuple[Fraction, dt.datetime, str]:
        size = -Fraction(item.seconds) if item.seconds is not None else Fraction(0)
        start = item.start or dt.datetime.max.replace(tzinfo=dt.UTC)
        return (size, start, item.id or "")

    return sorted(contributors, key=key)[:TOP]


def _objective_text(objective: c.Objective) -> str:
    group = f" for {objective.group}" if objective.group is not None else ""
    return f"{objective.metric}{group} {objective.op} {objective.target}"

"""The judged history of a contract's objectives, as rights, triggers and the baseline command
read it: every clause in force, every objective (and group), every period from the start of the
term, with its status, its exact value and the share of its error budget it used.

The statuses are the judge's (:func:`obligo.engine.judge.verdicts.judge`); the history is never
cut by the window of periods shown, and its values are exact fractions, not the rounded text of
the report, so that no boundary is decided on a rounded number. The report's verdicts are made
from it at the end (``obligo.report.assemble``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from obligo.engine.context import EvaluationContext
from obligo.engine.judge.baseline import BaselineSpan, baseline_span
from obligo.engine.judge.verdicts import (
    UNITS,
    BudgetLeft,
    Status,
    compare,
    judge,
    relative_target,
    target_fraction,
)
from obligo.engine.measure import groups as group_keys
from obligo.engine.measure.measurement import Measurement
from obligo.engine.numbers import decimal_text
from obligo.engine.time.periods import MeasurementPeriod, local_midnight
from obligo.model import clauses as c
from obligo.model.base import Text
from obligo.model.metrics import Metric
from obligo.resolve import ResolvedContract
from obligo.syntax import printer

# What measures a metric: the engine's measurement of a metric in every period, by label. The
# evaluation passes its own (cached) measurement, so that nothing is measured twice.
Measure = Callable[[Metric], dict[str, Measurement]]

# How a period fared against the current target (the baseline report's ``Outcome``): breached;
# met narrowly (more than the narrow share of the error budget used); met; met by a wide margin.
Outcome = Literal["breached", "met_narrowly", "met", "met_by_wide_margin", "no_data"]

# `margins wide at most 20%, narrow above 80%` when the contract says nothing.
DEFAULT_WIDE = Fraction(20)
DEFAULT_NARROW = Fraction(80)


@dataclass(frozen=True)
class Judged:
    """One objective (one group of it) in one period."""

    clause: c.Clause
    objective: c.Objective
    metric: Metric
    group: str | None
    period: MeasurementPeriod  # bounds in UTC
    status: Status
    reason: str | None
    value: Fraction | None
    dimension: str
    target: Fraction | None  # None: relative to a baseline not over yet (or that measured nothing)
    short: bool  # fewer records than the metric's `at least N records`
    baseline: bool  # the period starts inside the baseline
    # The measurement judged (the group's own, for a group; the evidence of the verdict).
    measurement: Measurement
    budget: BudgetLeft | None  # for a pending period: the error budget left
    # For a target relative to the baseline: the level achieved in the baseline (None: not known).
    baseline_level: Fraction | None
    # A key measurement (`report ...`) in a period before its clause's promotion: judged and
    # shown, with no consequence, right or trigger.
    reported_only: bool = False

    @property
    def closed(self) -> bool:
        return self.status != "pending"

    @property
    def used(self) -> Fraction | None:
        """The share of the error budget used, in percent (None: no budget, see
        :func:`budget_used`)."""
        if self.value is None or self.target is None:
            return None
        return budget_used(self.value, self.objective.op, self.target, self.dimension)

    @property
    def unit(self) -> str:
        return UNITS[self.dimension]

    @property
    def objective_text(self) -> str:
        fields: tuple[str, ...] = getattr(self.metric.measure, "group_by", ())
        if self.objective.group is None and self.group is not None and len(fields) > 1:
            # A group of several fields in words (`for project=acme, region=eu`), not its key.
            words = group_keys.words(self.group, fields)
            target = f"{self.objective.op} {self.objective.target}"
            return f"{printer.name(self.objective.metric)} for {words} {target}"
        return objective_text(self.objective, self.group)

    def value_text(self) -> str:
        return quantity(self.value, self.dimension)

    def value_of(self, number: Fraction) -> str:
        """A number in this objective's unit: ``99.9%``, ``5400 s``."""
        return quantity(number, self.dimension)


def objective_text(objective: c.Objective, group: str | None = None) -> str:
    """``api-uptime >= 99.9%``; ``first-response for "P1" >= 95%``: the promise as the printer
    writes it, for ``group`` when the promise is over every group."""
    if objective.group is None and group is not None:
        objective = objective.model_copy(update={"group": Text(value=group)})
    return printer.objective(objective)


def quantity(value: Fraction | None, dimension: str) -> str:
    """A value in words with its unit: ``99.8%``, ``5400 s``, ``12 records``, ``4.1``."""
    if value is None:
        return "no value"
    text = decimal_text(value)
    unit = UNITS[dimension]
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}" if unit else text


def budget_used(value: Fraction, op: str, target: Fraction, dimension: str) -> Fraction | None:
    """The share of the error budget a value used, in percent.

    - a percentage promised from below (``>= 99.9%``): the budget is the shortfall the target
      allows, ``100 - target``; the value used ``(100 - value) / (100 - target)`` of it (for
      availability, exactly the down time over the down time allowed);
    - any value promised from above (``<= 300 ms``, ``<= 2``): the budget is the target itself,
      counted from zero; the value used ``value / target`` of it;
    - otherwise (``=``, ``!=``, a number or duration promised from below, a target that allows
      nothing: 100% or 0) there is no budget, and None.
    """
    if op in (">=", ">") and dimension == "percent":
        allowed = 100 - target
        if allowed <= 0:
            return None
        return (100 - value) / allowed * 100
    if op in ("<=", "<"):
        if target <= 0:
            return None
        return value / target * 100
    return None


def margins_of(agreement: ResolvedContract) -> tuple[Fraction, Fraction]:
    """``(wide at most, narrow above)`` in percent of the error budget: the contract's ``margins``
    line (the nearest level that has one), else 20% and 80%."""
    found = agreement.margins
    if found is None:
        return DEFAULT_WIDE, DEFAULT_NARROW
    return Fraction(found.wide_at_most.value), Fraction(found.narrow_above.value)


def outcome_of(
    status: str, used: Fraction | None, margins: tuple[Fraction, Fraction]
) -> Outcome | None:
    """How a period fared: breached; met narrowly (more than the narrow share of the budget
    used), by a wide margin (at most the wide share used), or just met (in between, or without a
    budget); no data. None for a pending period."""
    if status == "breached":
        return "breached"
    if status == "no_data":
        return "no_data"
    if status != "met":
        return None
    wide, narrow = margins
    if used is None:
        return "met"
    if used <= wide:
        return "met_by_wide_margin"
    if used > narrow:
        return "met_narrowly"
    return "met"


def baseline_of(ctx: EvaluationContext) -> BaselineSpan | None:
    """The baseline's span, from the nearest level that declares one."""
    return baseline_span(ctx.agreement.baseline, ctx.term_start, ctx.tz)


def history(
    ctx: EvaluationContext,
    measure: Measure,
    span: BaselineSpan | None,
    clauses: Iterable[c.Clause] | None = None,
) -> list[Judged]:
    """Every objective of every clause in force, in every period from the start of the term to
    the one containing the evaluation time; clause by clause, objective by objective, group by
    group, period by period (the order of the report)."""
    found: list[Judged] = []
    for clause in ctx.agreement.clauses if clauses is None else clauses:
        for objective in clause.promises:
            found.extend(_objective_history(clause, objective, ctx, measure, span))
    return found


def _objective_history(
    clause: c.Clause,
    objective: c.Objective,
    ctx: EvaluationContext,
    measure: Measure,
    span: BaselineSpan | None,
) -> list[Judged]:
    metric = ctx.metric(objective.metric)
    measured = measure(metric)
    periods = ctx.periods(metric.period)
    # A promise without `for` on a metric measured `by` a field is a promise for each group.
    groups: list[str | None] = [None]
    if objective.group is None and getattr(metric.measure, "group_by", None):
        seen = sorted({g for one in measured.values() for g in one.groups})
        groups = list(seen) if seen else [None]
    named = getattr(objective.group, "value", None) if objective.group is not None else None
    found: list[Judged] = []
    for each_group in groups:
        group = each_group if each_group is not None else (None if named is None else str(named))
        # A target relative to the baseline, resolved as the report resolves it.
        relative = (
            relative_target(objective, measured, periods, span, ctx.at, group)
            if isinstance(objective.target, c.BaselineTarget)
            else None
        )
        for period in periods:
            measurement = measured[period.label]
            in_baseline = span is not None and span.covers(period.start)
            ruling = judge(
                objective,
                metric,
                period,
                measurement,
                ctx.at,
                each_group=each_group,
                relative=relative,
            )
            own = ruling.measurement
            minimum = metric.minimum_data
            found.append(
                Judged(
                    clause=clause,
                    objective=objective,
                    metric=metric,
                    group=group,
                    period=period,
                    status=ruling.status,
                    reason=ruling.reason,
                    value=own.value,
                    dimension=measurement.dimension,
                    target=(
                        relative.target
                        if relative is not None
                        else target_fraction(objective.target, measurement.dimension)
                    ),
                    short=minimum is not None and own.records < minimum.records,
                    baseline=in_baseline,
                    measurement=own,
                    budget=ruling.budget,
                    baseline_level=None if relative is None else relative.level,
                    reported_only=reported_only(clause, objective, period, ctx),
                )
            )
    return found


def reported_only(
    clause: c.Clause, objective: c.Objective, period: MeasurementPeriod, ctx: EvaluationContext
) -> bool:
    """Whether an objective is only reported in a period: a ``report`` line, in a period that
    starts before its clause's promotion (``promoted from DATE``: the periods that start on or
    after the date's local midnight are a service level's)."""
    if not objective.reported:
        return False
    allocation = clause.allocation
    if allocation is None or allocation.promoted_from is None:
        return True
    return period.start < local_midnight(allocation.promoted_from, ctx.tz)


def closed(period: MeasurementPeriod, ctx: EvaluationContext) -> bool:
    """Whether a period is over at the evaluation time (its value is final)."""
    return period.end <= ctx.at


def holds(value: Fraction | None, op: str, threshold: Fraction | None) -> bool:
    return value is not None and threshold is not None and compare(value, op, threshold)

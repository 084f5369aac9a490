"""The report of ``obligo budget``: for the period in progress, each objective's value so far,
its error budget left, how fast it is being spent, and how much more would reach each credit or
penalty tier.

Everything comes from one evaluation (``obligo.engine.run.evaluation.Evaluation``): the value
and the budget are the pending verdict's own, and the distance to a tier is the engine's budget
arithmetic asked again with the tier's threshold as the target
(:func:`obligo.engine.judge.verdicts.budget_left`), so that no rule is written twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

from obligo.engine.judge.history import Judged
from obligo.engine.judge.verdicts import budget_left, target_fraction
from obligo.engine.numbers import decimal_text
from obligo.engine.run.accounting import LineAccount
from obligo.engine.run.evaluation import Evaluation
from obligo.errors import ObligoError
from obligo.model import clauses as c
from obligo.report.assemble import period_ref, shown_group
from obligo.report.base import Location, Quantity, ReportNode
from obligo.report.evaluation import inputs, rejections
from obligo.report.model import (
    ContractRef,
    ErrorBudget,
    Group,
    InputAccount,
    PartyRef,
    PeriodRef,
    Rejection,
)
from obligo.syntax import printer

BUDGET_SCHEMA_VERSION = "1"


class TierDistance(ReportNode):
    """A credit or penalty tier of the objective's clause, and how far the period is from it:
    ``more`` of ``unit`` (failing more than that, when ``beyond``; at least that otherwise) would
    reach it; ``reached`` when the value so far already does."""

    clause: str
    kind: Literal["credit", "penalty"]
    rule: str
    location: Location
    threshold: Quantity
    reached: bool
    more: Quantity | None
    beyond: bool
    unit: str


class ObjectiveBudget(ReportNode):
    """One objective (one group of it) in the period in progress."""

    clause: str
    clause_title: str | None
    location: Location
    metric: str
    group: Group | None = None
    objective: str
    period: PeriodRef
    # The share of the period elapsed at the evaluation time, in percent.
    elapsed: Quantity
    value: Quantity | None
    unit: str
    target: str
    target_value: Quantity | None
    reason: str | None
    # Null for an objective without an error budget (not a percentage promise with >= or >).
    error_budget: ErrorBudget | None
    # The budget used so far over the share of the period elapsed: 1 spends the whole budget
    # exactly by the end of the period at the pace so far; above 1, faster.
    burn_rate: Quantity | None
    tiers: list[TierDistance]
    reported_only: bool = False


class BudgetReport(ReportNode):
    """``obligo budget``'s report (``--format json``)."""

    kind: Literal["budget"] = "budget"
    schema_version: str = BUDGET_SCHEMA_VERSION
    contract: ContractRef
    customer: PartyRef | None = None
    evaluated_at: dt.datetime
    timezone: str
    objectives: list[ObjectiveBudget]
    inputs: list[InputAccount]
    rejected: int
    rejections: list[Rejection]


def budget_report(
    evaluation: Evaluation, accounts: Sequence[LineAccount] | None = None
) -> BudgetReport:
    """The budget of every objective in the period in progress at the evaluation time, with the
    line account of ``accounts`` (an agreement set's whole log) or the evaluation's own. Raises
    :class:`ObligoError` when no period is in progress (before the term's first period or after
    its end), naming the term."""
    contract = evaluation.agreement.contract
    pending = [j for j in evaluation.judged if j.period.start <= evaluation.at < j.period.end]
    if not pending:
        term = evaluation.agreement.term
        end = term.end if term.end is not None else "no end"
        raise ObligoError(
            f"no measurement period is in progress at {evaluation.at.isoformat()}:"
            f" the term runs from {term.start} to {end}",
            file=contract.loc.file,
            line=term.loc.line,
            column=term.loc.column,
            hint="give --at a time inside the term; `obligo eval` shows the periods that ended",
        )
    customer = next(
        (p for p in evaluation.agreement.parties.values() if p.role == "customer"), None
    )
    return BudgetReport(
        contract=ContractRef(id=contract.id, version=contract.version, title=contract.title),
        customer=None
        if customer is None
        else PartyRef(id=customer.id, title=customer.title, representative=customer.representative),
        evaluated_at=evaluation.at,
        timezone=evaluation.tz.key,
        objectives=[_objective(j, evaluation.at) for j in pending],
        inputs=inputs(evaluation.inputs if accounts is None else accounts),
        rejected=len(evaluation.rejections),
        rejections=rejections(evaluation.rejections),
    )


def _objective(judged: Judged, at: dt.datetime) -> ObjectiveBudget:
    period = judged.period
    zone = at.tzinfo
    elapsed = _share(at - period.start, period.end - period.start)
    budget = judged.budget
    burn = None
    if budget is not None and elapsed > 0:
        burn = Fraction(budget.used) / 100 / elapsed
    objective = judged.objective
    return ObjectiveBudget(
        clause=judged.clause.id,
        clause_title=judged.clause.title,
        location=Location(
            file=judged.clause.loc.file, line=objective.loc.line, column=objective.loc.column
        ),
        metric=judged.metric.id,
        group=shown_group(judged.group, judged.metric),
        objective=printer.objective(objective),
        period=period_ref(period, zone),
        elapsed=decimal_text(elapsed * 100),
        value=None if judged.value is None else decimal_text(judged.value),
        unit=judged.unit,
        target=str(objective.target),
        target_value=None if judged.target is None else decimal_text(judged.target),
        reason=judged.reason,
        error_budget=None
        if budget is None
        else ErrorBudget(
            remaining=decimal_text(budget.remaining),
            unit=budget.unit,
            used=decimal_text(budget.used),
        ),
        burn_rate=None if burn is None else decimal_text(burn),
        tiers=_tiers(judged) if budget is not None else [],
        reported_only=judged.reported_only,
    )


def _share(part: dt.timedelta, whole: dt.timedelta) -> Fraction:
    """``part / whole`` exactly, from whole microseconds."""
    micro = dt.timedelta(microseconds=1)
    return Fraction(part // micro, whole // micro)


def _tiers(judged: Judged) -> list[TierDistance]:
    """The clause's credit and penalty tiers about this objective's metric (and group), each
    with the distance to its threshold, in the order of the clause."""
    clause = judged.clause
    found: list[tuple[Literal["credit", "penalty"], str, c.TierCondition, object]] = []
    for credit in clause.credits:
        if isinstance(credit, c.CreditTable):
            found.extend(("credit", printer.tier(t), t.condition, t) for t in credit.tiers)
    for penalty in clause.penalties:
        if isinstance(penalty, c.Penalty) and isinstance(penalty.basis, c.TierCondition):
            found.extend([("penalty", printer.penalty(penalty), penalty.basis, penalty)])
    distances: list[TierDistance] = []
    for kind, rule, condition, node in found:
        distance = _distance(judged, condition)
        if distance is None:
            continue
        threshold, reached, more, beyond, unit = distance
        loc = getattr(node, "loc", condition.loc)
        distances.append(
            TierDistance(
                clause=clause.id,
                kind=kind,
                rule=rule,
                location=Location(file=loc.file, line=loc.line, column=loc.column),
                threshold=decimal_text(threshold),
                reached=reached,
                more=None if more is None else decimal_text(more),
                beyond=beyond,
                unit=unit,
            )
        )
    return distances


def _distance(
    judged: Judged, condition: c.TierCondition
) -> tuple[Fraction, bool, Fraction | int | None, bool, str] | None:
    """How much more would make the value fall into the tier: the tier's upper bound (``<`` or
    ``<=``, the side a worse value enters it from) taken as a target of the engine's budget.
    None for a tier about another metric, another group, the exceedance, or without such a
    bound."""
    if condition.exceedance or condition.subject != judged.metric.id:
        return None
    if condition.group is not None and str(getattr(condition.group, "value", "")) != (
        judged.group or ""
    ):
        return None
    entry = next((b for b in condition.bounds if b.op in ("<", "<=")), None)
    value = judged.value
    if entry is None or value is None:
        return None
    threshold = target_fraction(entry.value, judged.dimension)
    if threshold is None:
        return None
    measurement = judged.measurement
    budget = measurement.budget
    # What still keeps the value out of the tier: the budget against `>= X` for a tier `< X`,
    # against `> X` for a tier `<= X`.
    keeps = ">=" if entry.op == "<" else ">"
    left = budget_left(measurement, keeps, threshold)
    if budget is None or left is None:
        return None
    # Reached: what has gone wrong so far already puts the whole period into the tier if
    # nothing more goes wrong (the budget's own reading: the period's whole counted time).
    if budget.whole and left.unit != "seconds of downtime":
        if left.remaining < 0:
            return threshold, True, None, False, left.unit
        # Whole records: one more than the most that still keeps it out.
        return threshold, False, left.remaining + 1, False, left.unit
    # Time or a quantity: anything beyond what still meets `>= X` enters a tier `< X`; for
    # `<= X`, exactly what reaches it (the distance to `>= X`).
    exact = budget_left(measurement, ">=", threshold)
    assert exact is not None
    beyond = entry.op == "<"
    if exact.remaining < 0 or (not beyond and exact.remaining == 0):
        return threshold, True, None, False, left.unit
    return threshold, False, exact.remaining, beyond, left.unit

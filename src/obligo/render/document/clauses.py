"""Clauses in words: promises, key measurements, caps, claims, penalties, rewards, termination
rights, escalations and the amount at risk."""

from __future__ import annotations

from obligo.model.clauses import (
    Allocation,
    AtRisk,
    BaselineTarget,
    BreachRun,
    ClaimAutomatic,
    ClaimByBillingCycle,
    ClaimRequirement,
    ClaimWithin,
    Clause,
    Consecutive,
    EarnBack,
    Escalation,
    Exercise,
    FeesShare,
    LargestOnly,
    LongEvents,
    NOfLast,
    NoticeRequirement,
    Objective,
    Penalty,
    PenaltyExpression,
    PerBreach,
    PeriodCap,
    PerMissedRecord,
    Reward,
    RunningTotal,
    TermCap,
    TerminationRight,
    TierCondition,
    TotalInPeriod,
    TrailingCap,
)
from obligo.render.document.amounts import WHEN_BREACHED
from obligo.render.document.registry import describe, prose
from obligo.render.document.words import compared, date, literal, plural, unit_word

_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def _ordinal(count: int) -> str:
    return _ORDINALS[count - 1] if 0 < count <= len(_ORDINALS) else f"{count}th"


def clauses_named(ids: tuple[str, ...]) -> str:
    return f"clause{'s' if len(ids) > 1 else ''} {', '.join(ids)}"


@prose(BaselineTarget)
def _baseline_target(node: BaselineTarget) -> str:
    return f"{describe(node.percent)} of the level measured during the baseline"


@prose(Objective)
def _objective(node: Objective) -> str:
    group = f" for {literal(node.group)}" if node.group is not None else ""
    target = compared(node.op, describe(node.target))
    if node.reported:
        return (
            f"Key measurement: {node.metric}{group} is measured and reported against "
            f"{target}, with no consequence."
        )
    return f"The provider promises that {node.metric}{group} is {target} in every period."


@prose(LargestOnly)
def _largest_only(node: LargestOnly) -> str:
    return (
        "For failures over the same time in a period, only the largest credit of this clause "
        f"and {clauses_named(node.clauses)} is owed."
    )


# A cap's words say how much, not what: a clause's caps limit its credits, or its penalties when
# it has no credit (as the engine applies them), which the clause's words put before them.
@prose(PeriodCap)
def _period_cap(node: PeriodCap) -> str:
    per = f"per {unit_word(node.per)}" if node.per else "per period"
    shared = (
        f", shared with {clauses_named(node.shared_with)} (their credits count against it)"
        if node.shared_with
        else ""
    )
    return f"capped at {describe(node.amount)} {per}{shared}"


@prose(TrailingCap)
def _trailing_cap(node: TrailingCap) -> str:
    less = ", less the credits already given" if node.less_given else ""
    return (
        f"capped at {describe(node.percent)} of the fees of the last "
        f"{plural(node.periods, unit_word(node.unit))}{less}"
    )


@prose(TermCap)
def _term_cap(node: TermCap) -> str:
    return f"capped at {describe(node.amount)} over the whole term"


@prose(ClaimByBillingCycle)
def _claim_cycle(node: ClaimByBillingCycle) -> str:
    return (
        "The customer must claim a credit by the end of the "
        f"{_ordinal(node.ordinal)} billing cycle after the {node.after}."
    )


@prose(ClaimWithin)
def _claim_within(node: ClaimWithin) -> str:
    after = f"the end of the {node.after}" if node.end_of else f"the {node.after}"
    return f"The customer must claim a credit within {describe(node.duration)} after {after}."


@prose(ClaimAutomatic)
def _claim_automatic(node: ClaimAutomatic) -> str:
    return "No claim is needed: a credit is given without one."


@prose(ClaimRequirement)
def _claim_requirement(node: ClaimRequirement) -> str:
    return (
        f"A claim requires {describe(node.selection)} within {describe(node.within)} "
        f"of the {node.after}."
    )


@prose(NoticeRequirement)
def _notice_requirement(node: NoticeRequirement) -> str:
    return (
        f"An {node.after} counts towards a credit only if the customer notified it (its "
        f"{node.notice_field}) and it was not fixed within {describe(node.within)} of that "
        "notice."
    )


@prose(PerBreach)
def _per_breach(node: PerBreach) -> str:
    group = " and breached group" if node.per_group else ""
    return f"per breached {unit_word(node.unit)}{group}"


@prose(PerMissedRecord)
def _per_missed(node: PerMissedRecord) -> str:
    return "per record that missed its target"


@prose(Penalty)
def _penalty(node: Penalty) -> str:
    basis = describe(node.basis)
    if isinstance(node.basis, TierCondition):
        basis = f"when {basis}"
    breached = WHEN_BREACHED if node.when_breached else ""
    return f"A penalty of {describe(node.amount)} {basis}{breached}."


@prose(PenaltyExpression)
def _penalty_expression(node: PenaltyExpression) -> str:
    breached = WHEN_BREACHED if node.when_breached else ""
    return f"A penalty of {describe(node.formula)}, computed exactly from left to right{breached}."


@prose(Reward)
def _reward(node: Reward) -> str:
    return f"A reward of {describe(node.tier)}."


@prose(Consecutive)
def _consecutive(node: Consecutive) -> str:
    return f"{node.count} consecutive {unit_word(node.unit)}{'s' if node.count != 1 else ''}"


@prose(NOfLast)
def _n_of_last(node: NOfLast) -> str:
    return f"{node.count} of the last {plural(node.of_last, unit_word(node.unit))}"


@prose(BreachRun)
def _breach_run(node: BreachRun) -> str:
    return f"the clause is breached in {describe(node.window)}"


@prose(LongEvents)
def _long_events(node: LongEvents) -> str:
    return (
        f"{node.count} {describe(node.selection)}, each longer than "
        f"{describe(node.longer_than)}, start within any {describe(node.within)}"
    )


@prose(TotalInPeriod)
def _total_in_period(node: TotalInPeriod) -> str:
    return f"{node.metric} is {compared(node.op, literal(node.value))} in a {unit_word(node.unit)}"


@prose(RunningTotal)
def _running_total(node: RunningTotal) -> str:
    return (
        f"{describe(node.selection)} cover more than {describe(node.more_than)} in one calendar "
        f"{unit_word(node.unit)} (from the moment they do, not at the end of the {unit_word(node.unit)})"
    )


@prose(Exercise)
def _exercise(node: Exercise) -> str:
    writing = " in writing" if node.in_writing else ""
    return f"The right is exercised{writing} within {describe(node.within)} of arising."


@prose(TerminationRight)
def _termination(node: TerminationRight) -> str:
    triggers = "; or when ".join(describe(t) for t in node.triggers)
    text = f"The customer may terminate the agreement when {triggers}."
    if node.exercise is not None:
        text += " " + describe(node.exercise)
    return text


@prose(Escalation)
def _escalation(node: Escalation) -> str:
    to = "the customer's representative" if node.representative else f"“{node.to}”"
    return f"The matter is escalated to {to} when {describe(node.trigger)}."


@prose(FeesShare)
def _fees_share(node: FeesShare) -> str:
    return f"{describe(node.percent)} of the fees of every service of the agreement"


@prose(EarnBack)
def _earn_back(node: EarnBack) -> str:
    return (
        "A credit is earned back by the provider when its clause is met in each of the next "
        f"{plural(node.periods, unit_word(node.unit))}."
    )


@prose(AtRisk)
def _at_risk(node: AtRisk) -> str:
    text = f"The amount at risk is {describe(node.amount)}."
    pool = describe(node.pool) if node.pool is not None else "100%"
    text += f" The allocations of the clauses add up to at most {pool} of it (the pool)."
    if node.earn_back is not None:
        text += " " + describe(node.earn_back)
    return text


@prose(Allocation)
def _allocation(node: Allocation) -> str:
    share = f"{describe(node.percent)} of the amount at risk"
    if node.promoted_from is not None:
        return (
            f"From {date(node.promoted_from)}, this key measurement becomes a service level: "
            f"each breached period in a period starting on or after that date gives a credit of {share}."
        )
    return f"Each breached period gives a credit of {share}."


@prose(Clause)
def _clause(node: Clause) -> str:
    """The clause's heading; its lines are put into words one by one in the document."""
    title = f" {node.title}" if node.title else ""
    replaces = " (replaces the clause of a higher level)" if node.override else ""
    return f"Clause {node.id}{title}{replaces}"

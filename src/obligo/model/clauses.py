"""Clauses: promises (objectives) and what follows when they are not kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from obligo.model.base import Comparator, Duration, LiteralValue, Money, Node, Percent
from obligo.model.conditions import Selection


class BaselineTarget(Node):
    """``110% of the baseline``: a target relative to the level achieved in the baseline."""

    kind: Literal["baseline"] = "baseline"
    percent: Percent

    def __str__(self) -> str:
        return f"{self.percent} of the baseline"


class Objective(Node):
    """``promise api-uptime >= 99.9%`` or ``promise first-response for "P1" >= 95%``."""

    metric: str
    group: LiteralValue | None = None
    op: Comparator
    target: LiteralValue | BaselineTarget
    # `report uptime >= 99.5%`: a key measurement, measured, judged and reported with no
    # consequence (until its clause is promoted: `promoted from DATE with allocation ...`).
    reported: bool = False


# ------------------------------------------------------------------------------------- amounts
class OtherPeriodFee(Node):
    """``the fee of the month before`` (``count`` 1), ``the average fee of the last 3 months``
    (``average``): the fee of the time just before the period, not of the period itself."""

    unit: str
    count: int = 1
    average: bool = False


class PercentOfFee(Node):
    """``10% of the fee`` (of the clause's service, or ``of the fee of uplink``; of another
    period's fee: ``of the fee of the month before``)."""

    kind: Literal["percent_of_fee"] = "percent_of_fee"
    percent: Percent
    service: str | None = None
    other: OtherPeriodFee | None = None


class FeeForDuration(Node):
    """``1 day of the fee``, ``90 days of the fee``, ``1 month of the fee``."""

    kind: Literal["fee_for_duration"] = "fee_for_duration"
    duration: Duration
    service: str | None = None
    other: OtherPeriodFee | None = None


class FixedAmount(Node):
    kind: Literal["fixed"] = "fixed"
    money: Money


Amount = PercentOfFee | FeeForDuration | FixedAmount


class Bound(Node):
    op: Comparator
    value: LiteralValue


class TierCondition(Node):
    """``api-uptime < 99.99% and >= 99.0%``; the subject is a metric or the exceedance."""

    subject: str | None = None
    exceedance: bool = False
    group: LiteralValue | None = None  # `resolution for "P2" < 80%`
    bounds: tuple[Bound, ...]


class Tier(Node):
    amount: Amount
    condition: TierCondition


class PerUnit(Node):
    """``per started hour of outage-hours``: a formula's unit and how part units count."""

    rounding: Literal["started", "full", "exact"]
    unit: str
    metric: str


class CreditTable(Node):
    """Service credit tiers; the worst tier that applies is given unless ``cumulative``."""

    kind: Literal["table"] = "table"
    tiers: tuple[Tier, ...]
    cumulative: bool = False


class CreditFormula(Node):
    """``credit 1 day of the fee per started hour of outage-hours`` (``when breached``: only in
    the periods in which a promise of the clause is breached)."""

    kind: Literal["formula"] = "formula"
    amount: Amount
    per: PerUnit
    when_breached: bool = False


# ------------------------------------------------------------------- formulas over measured values
class FormulaNumber(Node):
    """``25``, ``10%`` (a percentage is its fraction: 10% is 0.1)."""

    kind: Literal["number"] = "number"
    value: Decimal
    percent: bool = False


class FormulaMoney(Node):
    """``500 EUR`` in a formula."""

    kind: Literal["money"] = "money"
    money: Money


class FormulaMetric(Node):
    """A metric's value in the period: a percentage as its fraction, a duration in seconds, a
    count or number as it is."""

    kind: Literal["metric"] = "metric"
    metric: str


class FormulaFee(Node):
    """``the fee`` (``of uplink``, ``of the month before``), or ``the fee for outage-time``: the
    fee pro-rated over the metric's duration (the period's fee × the duration ÷ the period's
    length)."""

    kind: Literal["fee"] = "fee"
    service: str | None = None
    other: OtherPeriodFee | None = None
    for_metric: str | None = None


class FormulaCountedTime(Node):
    """``the counted time of uptime``: the time an availability metric counts in the period, in
    seconds: the period's time (within its hours) less the time excluded from it. Cloudflare's
    "Scheduled Availability": the month's minutes less the Customer Planned Downtime."""

    kind: Literal["counted_time"] = "counted_time"
    metric: str


class FormulaOp(Node):
    """``left * right`` or ``left / right``: operators group to the left."""

    kind: Literal["op"] = "op"
    op: Literal["*", "/"]
    left: FormulaTerm
    right: FormulaTerm


FormulaTerm = Annotated[
    FormulaNumber | FormulaMoney | FormulaMetric | FormulaFee | FormulaCountedTime | FormulaOp,
    Field(discriminator="kind"),
]
FormulaOp.model_rebuild()


def formula_metrics(term: FormulaTerm) -> list[str]:
    """The metrics a formula reads, in the order written, each once (``the fee for M`` reads M)."""
    found: list[str] = []

    def visit(node: FormulaTerm) -> None:
        if isinstance(node, FormulaOp):
            visit(node.left)
            visit(node.right)
        elif isinstance(node, FormulaMetric | FormulaCountedTime):
            found.append(node.metric)
        elif isinstance(node, FormulaFee) and node.for_metric is not None:
            found.append(node.for_metric)

    visit(term)
    return list(dict.fromkeys(found))


class CreditExpression(Node):
    """``credit 25 * outage-time / scheduled-time * the fee when breached``: an amount computed
    from measured values, the fee and numbers, exactly."""

    kind: Literal["expression"] = "expression"
    formula: FormulaTerm
    when_breached: bool = False


Credit = CreditTable | CreditFormula | CreditExpression


class LargestOnly(Node):
    """``credit only the largest with clauses 2, 3 for the same time``: of the credits of this
    clause and the clauses named for failures over overlapping times in the same period, only
    the largest is owed."""

    clauses: tuple[str, ...]


# ---------------------------------------------------------------------------------------- caps
class PeriodCap(Node):
    """``cap 50% of the fee per month``: at most this much per measurement period."""

    kind: Literal["period"] = "period"
    amount: Amount
    per: str | None = None
    shared_with: tuple[str, ...] = ()  # other clauses whose credits count against this cap


class TrailingCap(Node):
    """``cap 10% of the fees of the last 12 months, less credits already given``."""

    kind: Literal["trailing"] = "trailing"
    percent: Percent
    periods: int
    unit: str
    less_given: bool = False


class TermCap(Node):
    """``cap 20000 EUR over the term``."""

    kind: Literal["term"] = "term"
    amount: Amount


Cap = PeriodCap | TrailingCap | TermCap


# -------------------------------------------------------------------------------------- claims
# The words after `claim ... after the` that name the period credited rather than a record type
# (read by the checks and by the engine's claims).
CLAIM_PERIOD_WORDS = frozenset(
    {"day", "week", "month", "quarter", "year", "period", "cycle", "billing", "billing-cycle"}
)


class ClaimByBillingCycle(Node):
    """``claim by the end of the second billing cycle after the incident``."""

    kind: Literal["billing_cycle"] = "billing_cycle"
    ordinal: int
    after: str


class ClaimWithin(Node):
    """``claim within 30 days after the end of the quarter``."""

    kind: Literal["within"] = "within"
    duration: Duration
    after: str
    end_of: bool = False


class ClaimAutomatic(Node):
    """``claim not required``: the credit is given without a claim."""

    kind: Literal["automatic"] = "automatic"


Claim = ClaimByBillingCycle | ClaimWithin | ClaimAutomatic


class ClaimRequirement(Node):
    """``claim requires ticket records within 72 hours of the outage``."""

    selection: Selection
    within: Duration
    after: str


class NoticeRequirement(Node):
    """``claim requires the outage not fixed within 2 hours of its notified``: a record of the
    type (``outage``) counts towards the credit only if the customer's notice, the time in its
    own field (``notified``), was given and the record was not fixed (its ``end``) within the
    given time of it; a record still open at the evaluation time is not fixed yet."""

    after: str
    within: Duration
    notice_field: str


# ------------------------------------------------------------------------- penalties, rewards
class PerBreach(Node):
    """``per breached month``; ``per breached month and group``: once per breached group (each
    priority, region, ... of the clause's promises that is breached) rather than once."""

    kind: Literal["per_breach"] = "per_breach"
    unit: str
    per_group: bool = False


class PerMissedRecord(Node):
    kind: Literal["per_missed_record"] = "per_missed_record"


class Penalty(Node):
    """``penalty 500 EUR per breached month``; per unit, per missed record or when a tier holds."""

    kind: Literal["amount"] = "amount"
    amount: Amount
    basis: PerBreach | PerUnit | PerMissedRecord | TierCondition
    when_breached: bool = False


class PenaltyExpression(Node):
    """``penalty 25 * outage-time / scheduled-time * the fee when breached``: an amount computed
    from measured values, the fee and numbers, exactly, as a credit formula is; owed by the
    provider as every penalty is."""

    kind: Literal["expression"] = "expression"
    formula: FormulaTerm
    when_breached: bool = False


# A penalty line: an amount on a basis, or a formula over measured values.
PenaltyLine = Annotated[Penalty | PenaltyExpression, Field(discriminator="kind")]


class Reward(Node):
    """``reward 5% of the fee when api-uptime >= 99.99%``."""

    tier: Tier


# ----------------------------------------------------------------------------------- triggers
class Consecutive(Node):
    kind: Literal["consecutive"] = "consecutive"
    count: int
    unit: str


class NOfLast(Node):
    kind: Literal["n_of_last"] = "n_of_last"
    count: int
    of_last: int
    unit: str


Window = Consecutive | NOfLast


class BreachRun(Node):
    """``breached in 3 consecutive months`` / ``breached in 3 of the last 6 months``."""

    kind: Literal["breach_run"] = "breach_run"
    window: Window


class LongEvents(Node):
    """``3 outage records longer than 30 minutes start within any 30 days``."""

    kind: Literal["long_events"] = "long_events"
    count: int
    selection: Selection
    longer_than: Duration
    within: Duration


class TotalInPeriod(Node):
    """``outage-hours > 24 hours in a month``."""

    kind: Literal["total_in_period"] = "total_in_period"
    metric: str
    op: Comparator
    value: LiteralValue
    unit: str


class RunningTotal(Node):
    """``more than 24 hours of outage records in a calendar month``: holds at the first instant
    the time covered by the records in one calendar period exceeds the duration, not at the
    period's end."""

    kind: Literal["running_total"] = "running_total"
    more_than: Duration
    selection: Selection
    unit: str


Trigger = BreachRun | LongEvents | TotalInPeriod | RunningTotal


class Exercise(Node):
    """``exercised in writing within 30 days``: how long the right lasts once it arose."""

    within: Duration
    in_writing: bool = False


class TerminationRight(Node):
    """A right to terminate for chronic failure; any one of its triggers gives it."""

    triggers: tuple[Trigger, ...]
    exercise: Exercise | None = None


class Escalation(Node):
    """``escalate to "Service Director" when breached in 2 consecutive months``, or ``escalate
    to the customer's representative when ...`` (``to`` None, ``representative`` true: the role
    of the customer's ``represented by``, as the agreement in force names it)."""

    to: str | None = None
    representative: bool = False
    trigger: Trigger


# ------------------------------------------------------------------------- the amount at risk
class FeesShare(Node):
    """``12% of the fees``: a share of the fees of every service of the agreement."""

    kind: Literal["fees_share"] = "fees_share"
    percent: Percent


class EarnBack(Node):
    """``earn back when met in the next 3 months``: a credit is given back when its clause is
    met in each of the next N periods."""

    periods: int
    unit: str  # a period word: `month`, ..., or `period`


class AtRisk(Node):
    """``amount at risk 12% of the fees``, with ``pool 250%`` (the most the allocations of the
    clauses may add up to; 100% when not said) and ``earn back ...``."""

    amount: PercentOfFee | FeeForDuration | FixedAmount | FeesShare
    pool: Percent | None = None
    earn_back: EarnBack | None = None


class Allocation(Node):
    """``allocation 25% of the amount at risk``: the credit of each breached period; with
    ``promoted_from`` (``promoted from 2026-07-01 with allocation ...``) a key measurement that
    becomes a service level in the periods that start on or after the date."""

    percent: Percent
    promoted_from: dt.date | None = None


class Clause(Node):
    """A numbered clause: its promises and consequences. ``override`` replaces a higher level's."""

    id: str
    title: str | None = None
    override: bool = False
    description: str | None = None
    service: str | None = None
    promises: tuple[Objective, ...] = ()
    credits: tuple[Credit, ...] = ()
    largest_only: LargestOnly | None = None
    caps: tuple[Cap, ...] = ()
    claim: Claim | None = None
    claim_requirements: tuple[ClaimRequirement | NoticeRequirement, ...] = ()
    settlement: Literal["against_future_payments", "refund"] | None = None
    penalties: tuple[PenaltyLine, ...] = ()
    rewards: tuple[Reward, ...] = ()
    termination_rights: tuple[TerminationRight, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    allocation: Allocation | None = None

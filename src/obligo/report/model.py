"""The report model. JSON is its serialisation; ``docs/report.schema.json`` is generated from it.

Exact quantities are :class:`~decimal.Decimal` (``Quantity``, report/base.py), written in JSON as
decimal strings of exactly their digits (``"99.9"``, ``"121.00"``), never floats, so that a program
and a reader of the JSON see the same number obligo decided on. Evidence names records by type,
id and time, never by line number, so the same records in another order give the same bytes; only
rejections carry lines.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import Field

from obligo.report.base import Location, Quantity, ReportNode
from obligo.report.rights import EscalationNotice, TerminationRightArisen, TriggerFired

SCHEMA_VERSION = "2"
# A group of a metric measured `by` fields: by one field, its value; by several
# (`, by project, region`), an object of the field values ({"project": "acme", "region": "eu"}).
Group = str | dict[str, str]

__all__ = ["Location", "ReportNode"]  # re-exported: defined in report/base.py

Status = Literal["met", "breached", "no_data", "pending"]


class PeriodRef(ReportNode):
    """A measurement period: ``[start, end)`` in the contract's timezone."""

    label: str
    start: dt.datetime
    end: dt.datetime
    partial: bool = False


class PauseShown(ReportNode):
    """A pause of a late record (``paused while ...``): from ``start`` to ``end`` (null: still
    going on at the evaluation time), and the seconds of its clock it stopped (the opening time
    it covers between the record's start and its end)."""

    start: dt.datetime
    end: dt.datetime | None = None
    seconds: Quantity


class Contributor(ReportNode):
    """A record that made the value: an incident's downtime, a bad slice, a late ticket."""

    type: str
    id: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    seconds: Quantity | None = None
    detail: str | None = None
    # The pauses of a late record whose clock stopped (only when it has some).
    pauses: list[PauseShown] = Field(default=[], exclude_if=lambda pauses: not pauses)


class ExclusionApplied(ReportNode):
    """Time an exclusion took out of the period (or counted as available), with its reason."""

    exclusion: str
    reason: str
    treatment: Literal["excluded_from_period", "counts_as_available"]
    seconds: Quantity
    records: int


class ExclusionRefused(ReportNode):
    """A record that would have excluded time, and why it did not (notice too short, ...)."""

    exclusion: str
    type: str
    id: str | None = None
    start: dt.datetime | None = None
    reason: str


class Evidence(ReportNode):
    """What the value was computed from: totals, the largest contributors, the exclusions."""

    totals: dict[str, Quantity] = {}
    contributors: list[Contributor] = []
    contributors_total: int = 0
    exclusions: list[ExclusionApplied] = []
    exclusions_refused: list[ExclusionRefused] = []


class ErrorBudget(ReportNode):
    """For a pending period: how much more can go wrong before the objective breaches."""

    remaining: Quantity
    unit: str
    used: Quantity  # the share of the budget used so far, in percent


class Verdict(ReportNode):
    """One objective in one measurement period."""

    clause: str
    clause_title: str | None
    location: Location
    metric: str
    group: Group | None = None
    objective: str
    period: PeriodRef
    # A period of the baseline: measured and judged, but without consequences.
    baseline: bool = False
    status: Status
    reason: str | None = None
    value: Quantity | None = None
    unit: str
    target: str
    # The target as the number the value was compared with, in `unit` (for `110% of the
    # baseline`: 110% of the baseline's level); null while it is not known.
    target_value: Quantity | None = None
    # For a target relative to the baseline: the level achieved in the baseline.
    baseline_level: Quantity | None = None
    error_budget: ErrorBudget | None = None
    evidence: Evidence
    # A key measurement (`report ...`) before its promotion: shown, with no consequence, right
    # or trigger.
    reported_only: bool = False


# ------------------------------------------------------------------------------- consequences
ConsequenceKind = Literal["credit", "penalty", "reward"]
CapKind = Literal["period", "shared", "trailing", "term", "largest", "at_risk"]
Settlement = Literal["against_future_payments", "refund"]


class FeeBasis(ReportNode):
    """The fee a consequence is reckoned on: a service's fee for the period, and its source."""

    service: str
    group: Group | None = None
    amount: Quantity | None
    currency: str
    source: Literal["contract", "billing_records"]
    detail: str


class ConsequenceLine(ReportNode):
    """One credit, penalty or reward line of a clause applied in one period, with its sums."""

    rule: str
    location: Location
    subject: str | None = None
    group: Group | None = None
    value: Quantity | None = None
    unit: str | None = None
    quantity: Quantity | None = None
    amount: Quantity | None
    arithmetic: str


class CapStep(ReportNode):
    """One cap applied to a consequence: the room it left, and the amount before and after."""

    cap: str
    kind: CapKind
    location: Location
    limit: Quantity
    before: Quantity
    after: Quantity
    bound: bool
    arithmetic: str


class RequirementCheck(ReportNode):
    """A claim requirement (``claim requires ticket records within 72 hours of the outage``)
    in one period: which of the records behind the credit met it."""

    requirement: str
    records: int
    qualifying: int
    not_qualifying: list[str] = []


class ClaimStatus(ReportNode):
    """Whether a credit must be claimed, by when, and whether that time has passed."""

    rule: str | None
    required: bool
    deadline: dt.datetime | None = None
    last_day: dt.date | None = None
    passed: bool | None = None
    detail: str | None = None
    requirements: list[RequirementCheck] = []


class EarnBack(ReportNode):
    """A credit of an allocation that may be earned back: ``provisional`` (not owed yet:
    ``periods_left`` more periods met give it back), ``earned_back`` (0 owed) or ``owed``;
    ``decided_in``: the period that decided it."""

    state: Literal["provisional", "earned_back", "owed"]
    periods: int
    periods_met: int
    periods_left: int
    decided_in: str | None = None
    detail: str


class Consequence(ReportNode):
    """What one clause gives in one period (and group): a credit, a penalty or a reward, with
    its arithmetic: the fee, the lines that applied, the caps, the rounding and the claim."""

    clause: str
    clause_title: str | None
    kind: ConsequenceKind
    period: PeriodRef
    group: Group | None = None
    service: str | None = None
    supplier: str | None = None
    fee: FeeBasis | None = None
    lines: list[ConsequenceLine]
    before_caps: Quantity | None
    caps: list[CapStep] = []
    after_caps: Quantity | None
    amount: Quantity | None
    currency: str | None
    rounding: str | None
    claim: ClaimStatus | None = None
    settlement: Settlement | None = None
    reason: str | None = None
    # A credit of an allocation with an earn-back (null otherwise).
    earn_back: EarnBack | None = None


class MoneyTotal(ReportNode):
    """Sums in one currency (amounts in different currencies are never added)."""

    currency: str
    credits: Quantity
    penalties: Quantity
    rewards: Quantity
    credits_to_claim: Quantity
    credits_claim_passed: Quantity
    # Credits that may still be earned back, not in `credits` (0 for a total made by hand).
    credits_provisional: Quantity = Decimal(0)


class ServiceTotal(ReportNode):
    service: str
    amounts: list[MoneyTotal]


class SupplierTotal(ReportNode):
    supplier: str
    amounts: list[MoneyTotal]


class Totals(ReportNode):
    """The consequences shown, added up per currency: for the contract, per service and per
    supplier (the party that delivers the service)."""

    contract: list[MoneyTotal] = []
    services: list[ServiceTotal] = []
    suppliers: list[SupplierTotal] = []
    without_amount: int = 0


class BaselineRef(ReportNode):
    """The baseline: its first and last day, and whether it has ended at the evaluation time."""

    first: dt.date
    last: dt.date
    ended: bool


# ------------------------------------------------------------------- suppliers, net position
class AttributedDowntime(ReportNode):
    """End-to-end downtime of a composite metric attributed to a supplier in one period."""

    metric: str
    seconds: Quantity


class SupplierVerdict(ReportNode):
    """A verdict of a clause about a service the supplier delivers (its own promise)."""

    clause: str
    metric: str
    group: Group | None = None
    status: Status
    value: Quantity | None = None
    target: str


class SupplierPeriod(ReportNode):
    """What one supplier did in one period: downtime attributed to it, its own verdicts, and
    what can be claimed from it (its credits and penalties, per currency)."""

    period: PeriodRef
    attributed: list[AttributedDowntime] = []
    verdicts: list[SupplierVerdict] = []
    claimable: list[MoneyTotal] = []


class SupplierPosition(ReportNode):
    """A supplier behind the provider's promise: the services it delivers, period by period."""

    supplier: str
    name: str | None = None
    services: list[str] = []
    periods: list[SupplierPeriod] = []


class NetPosition(ReportNode):
    """The provider's position in one period and currency: credits and penalties it owes its
    customer, those it can claim from its suppliers for the same period, and the difference."""

    period: PeriodRef
    currency: str
    owed_to_customer: Quantity
    claimable_from_suppliers: Quantity
    net: Quantity


class Rejection(ReportNode):
    """A line of an input that could not be used, and why."""

    file: str
    line: int
    reason: str


class InputAccount(ReportNode):
    """Every line read from one input, accounted for."""

    name: str
    lines: int
    used: int
    outside_periods: int
    unused: int
    rejected: int
    merged: int = 0  # lines folded into an earlier record with the same type and id
    naive_timestamps: int = 0
    # Record types not used that are near one the contract reads ('3 records of type
    # "Incident": did you mean "incident"?'). Written only when there are some, so that a report
    # without them keeps its bytes.
    near: tuple[str, ...] = Field(default=(), exclude_if=lambda near: not near)


class ContractRef(ReportNode):
    id: str
    version: str | None
    title: str | None


class PartyRef(ReportNode):
    """A party of the agreement: ``customer acme "Acme Corp" represented by "Head of IT"``."""

    id: str
    title: str | None = None
    representative: str | None = None


class AgreementParty(ReportNode):
    """A party the agreement names, in the contract's order: its role (``provider``, ``supplier``
    or ``customer``), name, title and, where the contract says, who represents it."""

    role: Literal["provider", "supplier", "customer"]
    id: str
    title: str | None = None
    representative: str | None = None


class TermRef(ReportNode):
    """The agreement's term: its first day, its last (null: open-ended), how it renews
    (``yearly``, ``every 18 months``) and the notice to end it (``90 days``), in the contract's
    words; and the whole line, printed from the model (``term 2026-01-01 to 2026-12-31, renews
    yearly, notice 90 days``)."""

    start: dt.date
    end: dt.date | None = None
    renews: str | None = None
    notice: str | None = None
    words: str


class BoundValue(ReportNode):
    """One bound of a tier: its operator, its value in the unit of the metric's verdicts (a
    duration in seconds) so that a chart can draw it, and as the contract writes it."""

    op: Literal["<", "<=", ">", ">=", "=", "!="]
    value: Quantity
    unit: str
    words: str


class TierShown(ReportNode):
    """A credit, penalty or reward tier of a clause about one metric (``10% of the fee when
    api-uptime < 99.9% and >= 99%``): the metric, the group it names and its bounds, in the
    order written (the first is the one a worse value enters the tier by, as contracts write
    it); ``words``: the tier as the printer writes it."""

    kind: ConsequenceKind
    metric: str
    group: str | None = None
    words: str
    bounds: list[BoundValue]


class ClauseText(ReportNode):
    """A clause in force, in the contract's reading order: where it is written and its words,
    line by line, printed from the model by the one printer (``obligo fmt``'s canonical layout),
    so that a contract read from standard input is quoted as well as one read from a file."""

    clause: str
    title: str | None = None
    location: Location
    lines: list[str]
    tiers: list[TierShown] = []


class Window(ReportNode):
    """The periods shown; every period is evaluated from the start of the term regardless."""

    start: dt.date | None = None
    end: dt.date | None = None


class Holiday(ReportNode):
    """One closed date of a calendar and where it comes from: ``listed`` in the contract,
    ``country DE-BY`` (the ``holidays`` package), ``file berlin.ics``."""

    date: dt.date
    name: str | None
    source: str


class HolidaySourceRef(ReportNode):
    """A calendar's source of holidays: a country's rules with the version of the package that
    gave the dates (part of the evaluation's input), or an ICS file."""

    source: str
    kind: Literal["country", "file"]
    country: str | None = None
    region: str | None = None
    file: str | None = None
    package: str | None = None  # "holidays" for a country
    package_version: str | None = None


class CalendarHolidays(ReportNode):
    """A calendar in force that draws holidays from a country or a file: its sources and every
    holiday from the first year of the term to the year after the evaluated span (deadlines
    reckoned after the last period may reach into it), the dates listed included."""

    calendar: str
    sources: list[HolidaySourceRef]
    holidays: list[Holiday]


class Report(ReportNode):
    schema_version: str = SCHEMA_VERSION
    contract: ContractRef
    # The customer the agreement names (absent for an agreement of every customer).
    customer: PartyRef | None = Field(default=None, exclude_if=lambda party: party is None)
    # Every party the agreement names (the customer again, with the provider and suppliers).
    parties: list[AgreementParty] = []
    term: TermRef | None = None
    evaluated_at: dt.datetime
    timezone: str
    window: Window
    inputs: list[InputAccount]
    merges: int
    rejected: int
    rejections: list[Rejection]
    baseline: BaselineRef | None = None
    # The clauses in force, each with its words (printed from the model) and tier bounds.
    clauses: list[ClauseText] = []
    verdicts: list[Verdict]
    consequences: list[Consequence] = []
    totals: Totals = Totals()
    termination_rights: list[TerminationRightArisen] = []
    escalations: list[EscalationNotice] = []
    triggers: list[TriggerFired] = []
    suppliers: list[SupplierPosition] = []
    net_position: list[NetPosition] = []
    # Calendars whose holidays come from a country or a file; written only when there are some,
    # so that a report without them keeps its bytes.
    calendars: list[CalendarHolidays] = Field(default=[], exclude_if=lambda found: not found)

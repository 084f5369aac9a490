"""What the consequences pass hands on: the engine's own values, exact as computed.

Amounts are exact fractions until a row is rounded (once, half-up, to the currency's minor unit:
``Owed.amount``, a :class:`~decimal.Decimal` of exactly the minor unit's places); times are as
the engine found them (UTC). The report's nodes (``Consequence``, ``ConsequenceLine``,
``CapStep``, ``ClaimStatus``, ``FeeBasis``, ``Totals``) are made from these when the report is
assembled (``obligo.report.consequences``): decimals written there, times in the contract's
timezone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from obligo.engine.time.periods import MeasurementPeriod
from obligo.model import clauses as c
from obligo.model.base import SourceLocation

from .fees import FeeOfSpan

ConsequenceKind = Literal["credit", "penalty", "reward"]
CapKind = Literal["period", "shared", "trailing", "term", "largest", "at_risk"]
EarnBackKind = Literal["provisional", "earned_back", "owed"]


@dataclass(frozen=True, slots=True)
class OwedLine:
    """One credit, penalty or reward line of a clause applied in one period: the value it was
    placed on, the units counted, its exact amount (None: it has none, ``arithmetic`` says why)."""

    rule: str
    loc: SourceLocation
    subject: str | None
    group: str | None
    value: Fraction | None
    unit: str | None
    quantity: Fraction | None
    amount: Fraction | None
    arithmetic: str


@dataclass(frozen=True, slots=True)
class CapApplied:
    """One cap applied to a row: the room it left, the amount before and after, exactly."""

    cap: str
    kind: CapKind
    loc: SourceLocation
    limit: Fraction
    before: Fraction
    after: Fraction
    bound: bool
    arithmetic: str


@dataclass(frozen=True, slots=True)
class RequirementChecked:
    """A claim requirement in one period: how many of the records behind the credit met it, and
    the names of those that did not."""

    requirement: str
    records: int
    qualifying: int
    not_qualifying: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClaimState:
    """Whether a credit must be claimed, by when (the deadline as computed, exclusive; the last
    local day still in time), and whether that time has passed at the evaluation time."""

    rule: str | None
    required: bool
    deadline: dt.datetime | None
    last_day: dt.date | None
    passed: bool | None
    detail: str | None
    requirements: tuple[RequirementChecked, ...]


@dataclass(frozen=True, slots=True)
class EarnBackState:
    """A credit that may be earned back: provisional (``left`` periods still to be met),
    earned back, or owed; the N periods, how many were met, the period that decided it."""

    state: EarnBackKind
    periods: int
    met: int
    left: int
    decided_in: str | None
    detail: str


@dataclass(frozen=True, slots=True)
class Owed:
    """What one clause gives in one period (and group): its lines, the exact amount before and
    after its caps, the amount rounded (``amount``: None when it has none), its claim."""

    clause: c.Clause
    kind: ConsequenceKind
    period: MeasurementPeriod  # bounds in UTC
    group: str | None
    service: str | None
    supplier: str | None
    fee: FeeOfSpan | None
    lines: tuple[OwedLine, ...]
    before: Fraction | None
    caps: tuple[CapApplied, ...]
    after: Fraction | None
    amount: Decimal | None
    currency: str
    claim: ClaimState | None
    reason: str | None
    earn_back: EarnBackState | None = None  # a credit of an allocation with an earn-back

    @property
    def provisional(self) -> bool:
        """A credit that may still be earned back: not owed yet."""
        return self.earn_back is not None and self.earn_back.state == "provisional"


@dataclass(frozen=True, slots=True)
class MoneySums:
    """Sums in one currency, each with the currency's minor unit's places."""

    currency: str
    credits: Decimal
    penalties: Decimal
    rewards: Decimal
    credits_to_claim: Decimal
    credits_claim_passed: Decimal
    # Credits that may still be earned back: not in ``credits`` until they are owed.
    credits_provisional: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class Totals:
    """The rows shown, added up per currency: for the contract, per service and per supplier
    (each in name order), and how many rows have no amount."""

    contract: tuple[MoneySums, ...]
    services: tuple[tuple[str, tuple[MoneySums, ...]], ...]
    suppliers: tuple[tuple[str, tuple[MoneySums, ...]], ...]
    without_amount: int

"""The report's consequences, totals, supplier and net positions, assembled from the engine's
values (``obligo.engine.consequences.values``, ``obligo.engine.rights.positions``) at the end of
an evaluation: exact amounts written as decimals, rounded amounts with every place of their
currency's minor unit, times in the contract's timezone.
"""

from __future__ import annotations

import datetime as dt

from obligo.engine.consequences.money import money_text, rounding_text
from obligo.engine.consequences.values import (
    CapApplied,
    ClaimState,
    EarnBackState,
    MoneySums,
    Owed,
    OwedLine,
)
from obligo.engine.consequences.values import Totals as EngineTotals
from obligo.engine.measure import groups as group_keys
from obligo.engine.numbers import decimal_text
from obligo.engine.rights import positions
from obligo.model.base import SourceLocation
from obligo.report.assemble import period_ref, shown_group
from obligo.report.model import (
    AttributedDowntime,
    CapStep,
    ClaimStatus,
    Consequence,
    ConsequenceLine,
    EarnBack,
    FeeBasis,
    Location,
    MoneyTotal,
    NetPosition,
    RequirementCheck,
    ServiceTotal,
    SupplierPeriod,
    SupplierPosition,
    SupplierTotal,
    SupplierVerdict,
    Totals,
)


def _location(loc: SourceLocation) -> Location:
    return Location(file=loc.file, line=loc.line, column=loc.column)


def consequence(owed: Owed, zone: dt.tzinfo, fields: tuple[str, ...] = ()) -> Consequence:
    """What one clause gives in one period (and group), as the report shows it; times in
    ``zone`` (the contract's timezone). ``fields``: the ``by`` fields of the clause's metric,
    which name its groups (:func:`~obligo.report.assemble.shown_group`)."""
    clause = owed.clause
    fee = owed.fee
    return Consequence(
        clause=clause.id,
        clause_title=clause.title,
        kind=owed.kind,
        period=period_ref(owed.period, zone),
        group=group_keys.named(owed.group, fields),
        service=owed.service,
        supplier=owed.supplier,
        fee=None
        if fee is None
        else FeeBasis(
            service=fee.service,
            group=group_keys.named(fee.group, fields),  # the fee is read by the same fields
            amount=None if fee.amount is None else decimal_text(fee.amount),
            currency=fee.currency,
            source=fee.source,
            detail=fee.detail,
        ),
        lines=[_line(line, fields) for line in owed.lines],
        before_caps=None if owed.before is None else decimal_text(owed.before),
        caps=[_cap(step) for step in owed.caps],
        after_caps=None if owed.after is None else decimal_text(owed.after),
        amount=None if owed.amount is None else money_text(owed.amount),
        currency=owed.currency,
        rounding=rounding_text(owed.currency),
        claim=None if owed.claim is None else _claim(owed.claim, zone),
        settlement=clause.settlement if owed.kind == "credit" else None,
        reason=owed.reason,
        earn_back=None if owed.earn_back is None else _earn_back(owed.earn_back),
    )


def _earn_back(state: EarnBackState) -> EarnBack:
    return EarnBack(
        state=state.state,
        periods=state.periods,
        periods_met=state.met,
        periods_left=state.left,
        decided_in=state.decided_in,
        detail=state.detail,
    )


def _line(line: OwedLine, fields: tuple[str, ...] = ()) -> ConsequenceLine:
    return ConsequenceLine(
        rule=line.rule,
        location=_location(line.loc),
        subject=line.subject,
        group=group_keys.named(line.group, fields),
        value=None if line.value is None else decimal_text(line.value),
        unit=line.unit,
        quantity=None if line.quantity is None else decimal_text(line.quantity),
        amount=None if line.amount is None else decimal_text(line.amount),
        arithmetic=line.arithmetic,
    )


def _cap(step: CapApplied) -> CapStep:
    return CapStep(
        cap=step.cap,
        kind=step.kind,
        location=_location(step.loc),
        limit=decimal_text(step.limit),
        before=decimal_text(step.before),
        after=decimal_text(step.after),
        bound=step.bound,
        arithmetic=step.arithmetic,
    )


def _claim(claim: ClaimState, zone: dt.tzinfo) -> ClaimStatus:
    return ClaimStatus(
        rule=claim.rule,
        required=claim.required,
        deadline=None if claim.deadline is None else claim.deadline.astimezone(zone),
        last_day=claim.last_day,
        passed=claim.passed,
        detail=claim.detail,
        requirements=[
            RequirementCheck(
                requirement=r.requirement,
                records=r.records,
                qualifying=r.qualifying,
                not_qualifying=list(r.not_qualifying),
            )
            for r in claim.requirements
        ],
    )


# ------------------------------------------------------------------------------------- totals
def money_totals(sums: tuple[MoneySums, ...]) -> list[MoneyTotal]:
    """Sums per currency, each written with every place of its currency's minor unit."""
    return [
        MoneyTotal(
            currency=s.currency,
            credits=money_text(s.credits),
            penalties=money_text(s.penalties),
            rewards=money_text(s.rewards),
            credits_to_claim=money_text(s.credits_to_claim),
            credits_claim_passed=money_text(s.credits_claim_passed),
            credits_provisional=money_text(s.credits_provisional),
        )
        for s in sums
    ]


def totals(found: EngineTotals) -> Totals:
    """The report's totals: for the contract, per service and per supplier."""
    return Totals(
        contract=money_totals(found.contract),
        services=[
            ServiceTotal(service=name, amounts=money_totals(sums)) for name, sums in found.services
        ],
        suppliers=[
            SupplierTotal(supplier=name, amounts=money_totals(sums))
            for name, sums in found.suppliers
        ],
        without_amount=found.without_amount,
    )


# ------------------------------------------------------------------- suppliers, net position
def supplier(position: positions.SupplierPosition, zone: dt.tzinfo) -> SupplierPosition:
    """A supplier's position, period by period; times in ``zone``."""
    return SupplierPosition(
        supplier=position.supplier,
        name=position.name,
        services=list(position.services),
        periods=[
            SupplierPeriod(
                period=period_ref(row.period, zone),
                attributed=[
                    AttributedDowntime(metric=metric, seconds=decimal_text(seconds))
                    for metric, seconds in row.attributed
                ],
                verdicts=[
                    SupplierVerdict(
                        clause=item.clause.id,
                        metric=item.metric.id,
                        group=shown_group(item.group, item.metric),
                        status=item.status,
                        value=None if item.value is None else decimal_text(item.value),
                        target=str(item.objective.target),
                    )
                    for item in row.verdicts
                ],
                claimable=money_totals(row.claimable),
            )
            for row in position.periods
        ],
    )


def net_position(position: positions.NetPosition, zone: dt.tzinfo) -> NetPosition:
    """The provider's net position in one period and currency; times in ``zone``."""
    return NetPosition(
        period=period_ref(position.period, zone),
        currency=position.currency,
        owed_to_customer=f"{position.owed:f}",
        claimable_from_suppliers=f"{position.claimable:f}",
        net=f"{position.net:f}",
    )

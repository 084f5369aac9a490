"""Consequences: the credits, penalties and rewards a contract gives, period by period, with
their arithmetic; caps, claims and totals. The rules are in ``docs/consequences.md``.

:func:`consequences` is called by the evaluation once every objective is judged (the judge's
:class:`~obligo.engine.judge.history.Judged` values), with the engine's own measurement of
metrics, and returns one :class:`~.values.Owed` (the engine's own value: exact amounts, times
in UTC) per clause, kind, period and group, for every period from the start of the term (the
window of periods a report shows never changes a cap or a total of an earlier period);
:func:`totals` adds up those shown (:class:`~.values.Totals`). The report's nodes are made from
them by ``obligo.report.consequences``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from obligo.engine.context import EvaluationContext
from obligo.engine.judge.baseline import BaselineSpan
from obligo.engine.judge.history import Judged
from obligo.engine.time.periods import MeasurementPeriod
from obligo.model import clauses as c
from obligo.model.metrics import RollingPeriod
from obligo.resolve import ServiceOf

from .at_risk import allocations
from .caps import Caps
from .claims import ClaimClock
from .fees import Fees
from .lines import Entry, Lines, Measure, Pricer, Targets
from .money import minor_unit
from .rolling import BillingPeriods, window_text
from .values import MoneySums, Owed, Totals

__all__ = ["Owed", "ServiceOf", "Totals", "consequences", "totals"]

_KIND_ORDER = {"credit": 0, "penalty": 1, "reward": 2}


def consequences(
    ctx: EvaluationContext,
    clauses: Sequence[c.Clause],
    judged: Sequence[Judged],
    measure: Measure,
    span: BaselineSpan | None,
    targets: Targets,
) -> list[Owed]:
    """Every consequence of the clauses in force, in every period from the start of the term
    that is over at the evaluation time and is not in the baseline; ordered by clause, kind,
    group, then period."""
    agreement = ctx.agreement
    billing = agreement.billing_cycle
    fees = Fees(ctx, agreement.services, agreement.currency)
    pricer = Pricer(fees, ctx, agreement.currency or "?")
    resolve = ServiceOf(agreement)
    billing_periods = BillingPeriods(ctx, billing)
    statuses: dict[str, dict[tuple[str, dt.datetime], list[tuple[str, bool]]]] = {}
    periods: dict[str, dict[tuple[str, dt.datetime], MeasurementPeriod]] = {}
    windows: dict[str, dict[tuple[str, dt.datetime], list[str]]] = {}
    # The groups judged in each period of each clause (for penalties per breached group).
    judged_groups: dict[str, dict[tuple[str, dt.datetime], list[tuple[str, str | None]]]] = {}
    for item in judged:
        metric = item.metric
        ref = item.period
        if isinstance(metric.period, RollingPeriod):
            # Overlapping windows: the window that ends with a billing period decides it, the
            # other windows decide nothing (see .rolling).
            decided = billing_periods.by_window(metric).get(ref.label)
            if decided is None or decided.window is None:
                continue
            period = decided.period
            used = f"{metric.id} over the {window_text(metric, decided.window, ctx.tz)}"
            key = (period.label, period.start)
            found = windows.setdefault(item.clause.id, {}).setdefault(key, [])
            if used not in found:
                found.append(used)
        else:
            period = MeasurementPeriod(
                start=ref.start.astimezone(dt.UTC),
                end=ref.end.astimezone(dt.UTC),
                label=ref.label,
                partial=ref.partial,
            )
        key = (period.label, period.start)
        statuses.setdefault(item.clause.id, {}).setdefault(key, []).append(
            (item.status, item.baseline)
        )
        periods.setdefault(item.clause.id, {})[key] = period
        judged_groups.setdefault(item.clause.id, {}).setdefault(key, []).append(
            (item.status, item.group)
        )
    lines = Lines(
        ctx,
        measure,
        pricer,
        span,
        statuses,
        periods,
        targets,
        resolve,
        billing_periods,
        windows,
        groups=judged_groups,
    )
    for order, clause in enumerate(clauses):
        lines.clause(order, clause)
    entries = list(lines.entries.values())
    Caps(ctx, pricer, {cl.id: (i, cl) for i, cl in enumerate(clauses)}, resolve).apply(entries)
    entries.extend(allocations(ctx, clauses, judged, pricer, span, resolve))
    clock = ClaimClock(ctx, billing)
    entries.sort(
        key=lambda e: (
            e.order,
            _KIND_ORDER[e.kind],
            e.group or "",
            e.period.start,
            e.period.end,
            e.service != resolve(e.clause),  # the clause's own service first
            e.service or "",
        )
    )
    return [_owed(entry, clock, resolve, pricer.currency) for entry in entries]


def _owed(entry: Entry, clock: ClaimClock, resolve: ServiceOf, currency: str) -> Owed:
    claim = None
    back = entry.earn_back
    if entry.kind == "credit" and (back is None or back.state == "owed"):
        # A credit subject to earn-back is claimed once it is owed: from the period that
        # decided it (.at_risk).
        period = entry.claim_from if entry.claim_from is not None else entry.period
        claim = clock.status(entry.clause.claim, period, entry.supporting, entry.requirements)
    return Owed(
        clause=entry.clause,
        kind=entry.kind,
        period=entry.period,
        group=entry.group,
        service=entry.service,
        supplier=resolve.supplier(entry.service),
        fee=entry.fee,
        lines=tuple(entry.lines),
        before=entry.before,
        caps=tuple(entry.caps),
        after=entry.after,
        amount=entry.rounded,
        currency=entry.currency or currency,
        claim=claim,
        reason="; ".join(dict.fromkeys(entry.reasons)) or None,
        earn_back=back,
    )


# ------------------------------------------------------------------------------------- totals
class _Sums:
    def __init__(self) -> None:
        self.by_currency: dict[str, dict[str, Decimal]] = {}

    def add(self, currency: str, key: str, amount: Decimal) -> None:
        sums = self.by_currency.setdefault(currency, {})
        sums[key] = sums.get(key, Decimal(0)) + amount

    def ensure(self, currency: str) -> None:
        self.by_currency.setdefault(currency, {})

    def sums(self) -> tuple[MoneySums, ...]:
        out: list[MoneySums] = []
        for currency in sorted(self.by_currency):
            sums = self.by_currency[currency]
            zero = Decimal(0).scaleb(-minor_unit(currency))

            def total(key: str, sums: dict[str, Decimal] = sums, zero: Decimal = zero) -> Decimal:
                return sums.get(key, zero) + zero

            out.append(
                MoneySums(
                    currency=currency,
                    credits=total("credits"),
                    penalties=total("penalties"),
                    rewards=total("rewards"),
                    credits_to_claim=total("credits_to_claim"),
                    credits_claim_passed=total("credits_claim_passed"),
                    credits_provisional=total("credits_provisional"),
                )
            )
        return tuple(out)


def totals(shown: Sequence[Owed], currency: str | None) -> Totals:
    """The consequences shown, added up per currency: for the contract (always in the
    contract's currency, zero when nothing is owed), per service and per supplier."""
    contract = _Sums()
    if currency is not None:
        contract.ensure(currency)
    services: dict[str, _Sums] = {}
    suppliers: dict[str, _Sums] = {}
    without = 0
    for item in shown:
        amount = item.amount
        if amount is None:
            without += 1
            continue
        keys = [{"credit": "credits", "penalty": "penalties", "reward": "rewards"}[item.kind]]
        if item.provisional:
            keys = ["credits_provisional"]  # not owed until its earn-back window closes
        claim = item.claim
        if item.kind == "credit" and claim is not None and claim.required:
            keys.append("credits_claim_passed" if claim.passed else "credits_to_claim")
        targets = [contract]
        if item.service is not None:
            targets.append(services.setdefault(item.service, _Sums()))
        if item.supplier is not None:
            targets.append(suppliers.setdefault(item.supplier, _Sums()))
        for sums in targets:
            for key in keys:
                sums.add(item.currency, key, amount)
    return Totals(
        contract=contract.sums(),
        services=tuple((s, services[s].sums()) for s in sorted(services)),
        suppliers=tuple((s, suppliers[s].sums()) for s in sorted(suppliers)),
        without_amount=without,
    )

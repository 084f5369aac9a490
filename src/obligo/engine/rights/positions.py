"""The provider between its customer and its suppliers: what each supplier did (downtime
attributed to it, its own verdicts, what can be claimed from it) and the provider's net position.

- A supplier is a party that delivers a service (``delivered by``) and is not the provider.
- Attributed downtime comes from composite metrics with an attribution rule
  (``downtime attributed to ...``, see docs/semantics.md, 8.3): the seconds of end-to-end downtime
  given to the supplier in each period.
- Its own verdicts are those of promises about a metric of a service it delivers, and of the
  other promises of clauses about such a service (found as the consequences find it).
- Claimable: the credits and penalties of those clauses, per currency.
- Net position, per period and currency, for a contract with suppliers: credits and penalties owed
  to the customer (clauses about the provider's own services) minus those claimable from suppliers. Rewards are not in it: they
  are shown in the totals. Amounts whose claim deadline has passed are counted all the same: the
  report cannot know whether they were claimed (the totals split them out).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction

from obligo.engine.consequences import ServiceOf, totals
from obligo.engine.consequences.money import minor_unit
from obligo.engine.context import EvaluationContext
from obligo.engine.judge.history import Measure
from obligo.engine.numbers import decimal_text
from obligo.model.metrics import AvailabilityMetric
from obligo.report.model import (
    AttributedDowntime,
    Consequence,
    NetPosition,
    PeriodRef,
    SupplierPeriod,
    SupplierPosition,
    SupplierVerdict,
    Verdict,
)

ATTRIBUTED = "attributed_seconds:"

PeriodKey = tuple[str, str, str]  # label, start, end (ISO): one period, whatever its metric


def _key(period: PeriodRef) -> PeriodKey:
    return (period.label, period.start.isoformat(), period.end.isoformat())


def _sort_key(period: PeriodRef) -> tuple[str, str, str]:
    return (period.start.isoformat(), period.end.isoformat(), period.label)


def supplier_positions(
    ctx: EvaluationContext,
    measure: Measure,
    verdicts: Sequence[Verdict],
    owed: Sequence[Consequence],
    shown: Callable[[PeriodRef], bool],
) -> list[SupplierPosition]:
    """Each supplier's periods: attributed downtime, its verdicts, what is claimable from it."""
    scope = ctx.agreement
    service_of = ServiceOf(scope)
    provider = service_of.provider
    delivered: dict[str, list[str]] = {}
    for service in sorted(scope.services.values(), key=lambda s: s.id):
        if service.delivered_by and service.delivered_by != provider:
            delivered.setdefault(service.delivered_by, []).append(service.id)
    if not delivered:
        return []
    clause_supplier = {
        clause.id: service_of.supplier(service_of(clause)) for clause in scope.clauses
    }
    periods: dict[str, dict[PeriodKey, PeriodRef]] = {name: {} for name in delivered}
    attributed: dict[tuple[str, PeriodKey], list[AttributedDowntime]] = {}
    for metric in sorted(scope.metrics.values(), key=lambda m: m.id):
        if not isinstance(metric, AvailabilityMetric) or metric.attribution is None:
            continue
        for period in ctx.periods(metric.period):
            ref = PeriodRef(
                label=period.label,
                start=period.start.astimezone(ctx.tz),
                end=period.end.astimezone(ctx.tz),
                partial=period.partial,
            )
            if not shown(ref):
                continue
            totals_of = measure(metric)[period.label].totals
            for name, seconds in sorted(totals_of.items()):
                supplier = name.removeprefix(ATTRIBUTED)
                if not name.startswith(ATTRIBUTED) or supplier not in delivered:
                    continue
                periods[supplier].setdefault(_key(ref), ref)
                attributed.setdefault((supplier, _key(ref)), []).append(
                    AttributedDowntime(metric=metric.id, seconds=decimal_text(Fraction(seconds)))
                )
    own: dict[tuple[str, PeriodKey], list[SupplierVerdict]] = {}
    for verdict in verdicts:
        # A promise about a metric of a supplier's service is that supplier's, whatever else
        # its clause is about (one clause may hold the promises of two data centres).
        about = scope.metrics.get(verdict.metric)
        named = None
        if about is not None:
            named = about.service or getattr(about.measure, "service", None)
        by = service_of.supplier(named) if named in scope.services else None
        if by is None or by not in delivered:
            by = clause_supplier.get(verdict.clause)
        if by is None or by not in delivered:
            continue
        periods[by].setdefault(_key(verdict.period), verdict.period)
        own.setdefault((by, _key(verdict.period)), []).append(
            SupplierVerdict(
                clause=verdict.clause,
                metric=verdict.metric,
                group=verdict.group,
                status=verdict.status,
                value=verdict.value,
                target=verdict.target,
            )
        )
    claims: dict[tuple[str, PeriodKey], list[Consequence]] = {}
    for consequence in owed:
        if consequence.supplier in delivered:
            assert consequence.supplier is not None
            at = _key(consequence.period)
            periods[consequence.supplier].setdefault(at, consequence.period)
            claims.setdefault((consequence.supplier, at), []).append(consequence)
    positions: list[SupplierPosition] = []
    for supplier, services in sorted(delivered.items()):
        party = scope.parties.get(supplier)
        rows = []
        for key, ref in sorted(periods[supplier].items(), key=lambda item: _sort_key(item[1])):
            claimed = claims.get((supplier, key), [])
            rows.append(
                SupplierPeriod(
                    period=ref,
                    attributed=attributed.get((supplier, key), []),
                    verdicts=own.get((supplier, key), []),
                    claimable=totals(claimed, None).contract if claimed else [],
                )
            )
        positions.append(
            SupplierPosition(
                supplier=supplier,
                name=None if party is None else party.title,
                services=services,
                periods=rows,
            )
        )
    return positions


def net_positions(ctx: EvaluationContext, owed: Sequence[Consequence]) -> list[NetPosition]:
    """Per period and currency: owed to the customer, claimable from suppliers, the difference.

    Empty for a contract whose services all belong to the provider (there is nothing to net)."""
    if not has_suppliers(ctx):
        return []
    return added_up(net_rows(ctx, owed))


def has_suppliers(ctx: EvaluationContext) -> bool:
    provider = ServiceOf(ctx.agreement).provider
    return any(s.delivered_by not in (None, provider) for s in ctx.agreement.services.values())


def net_rows(
    ctx: EvaluationContext, owed: Sequence[Consequence]
) -> Iterator[tuple[PeriodRef, str, Decimal, Decimal]]:
    """(period, currency, owed to the customer, claimable from suppliers) per consequence with
    an amount: credits and penalties, not rewards."""
    provider = ServiceOf(ctx.agreement).provider
    for c in owed:
        if c.kind == "reward" or c.amount is None or c.currency is None:
            continue
        mine = c.supplier in (None, provider)
        amount = Decimal(c.amount)
        yield (c.period, c.currency, amount if mine else Decimal(0), Decimal(0) if mine else amount)


def added_up(rows: Iterable[tuple[PeriodRef, str, Decimal, Decimal]]) -> list[NetPosition]:
    """Net positions from (period, currency, owed, claimable) rows, added up per period (label
    and bounds) and currency, in time order."""
    refs: dict[PeriodKey, PeriodRef] = {}
    sums: dict[tuple[PeriodKey, str], list[Decimal]] = {}
    for period, currency, owed_part, claimable_part in rows:
        key = _key(period)
        refs.setdefault(key, period)
        row = sums.setdefault((key, currency), [Decimal(0), Decimal(0)])
        row[0] += owed_part
        row[1] += claimable_part

    def cents(amount: Decimal, currency: str) -> str:
        return f"{amount.quantize(Decimal(1).scaleb(-minor_unit(currency))):f}"

    return [
        NetPosition(
            period=refs[key],
            currency=currency,
            owed_to_customer=cents(owed_sum, currency),
            claimable_from_suppliers=cents(claimable, currency),
            net=cents(owed_sum - claimable, currency),
        )
        for (key, currency), (owed_sum, claimable) in sorted(
            sums.items(), key=lambda item: (_sort_key(refs[item[0][0]]), item[0][1])
        )
    ]

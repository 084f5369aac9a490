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

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from obligo.engine.consequences import Owed, ServiceOf, totals
from obligo.engine.consequences.money import minor_unit
from obligo.engine.consequences.values import MoneySums
from obligo.engine.context import EvaluationContext
from obligo.engine.judge.history import Judged, Measure
from obligo.engine.time.periods import MeasurementPeriod
from obligo.model.metrics import AvailabilityMetric

ATTRIBUTED = "attributed_seconds:"

# One period, whatever its metric: its label and bounds in UTC (equal when the instants are; two
# datetimes of one timezone compare by wall clock, which an hour repeated by DST makes ambiguous).
PeriodKey = tuple[str, dt.datetime, dt.datetime]


@dataclass(frozen=True, slots=True)
class SupplierPeriod:
    """What one supplier did in one period: end-to-end down time attributed to it (metric,
    exact seconds), its own verdicts (the judged objectives), what can be claimed from it (its
    credits and penalties, per currency)."""

    period: MeasurementPeriod
    attributed: tuple[tuple[str, Fraction], ...]
    verdicts: tuple[Judged, ...]
    claimable: tuple[MoneySums, ...]


@dataclass(frozen=True, slots=True)
class SupplierPosition:
    """A supplier behind the provider's promise: the services it delivers, period by period."""

    supplier: str
    name: str | None
    services: tuple[str, ...]
    periods: tuple[SupplierPeriod, ...]


@dataclass(frozen=True, slots=True)
class NetPosition:
    """The provider's position in one period and currency: owed to its customer, claimable
    from its suppliers, the difference (each with the currency's minor unit's places)."""

    period: MeasurementPeriod
    currency: str
    owed: Decimal
    claimable: Decimal
    net: Decimal


NetRow = tuple[MeasurementPeriod, str, Decimal, Decimal]


def _key(period: MeasurementPeriod) -> PeriodKey:
    return (period.label, period.start.astimezone(dt.UTC), period.end.astimezone(dt.UTC))


def _sort_key(period: MeasurementPeriod, zone: dt.tzinfo) -> tuple[str, str, str]:
    # By the bounds as written in the contract's timezone (which is time order but for periods
    # inside an hour the clocks go back), as the report has always ordered them.
    return (
        period.start.astimezone(zone).isoformat(),
        period.end.astimezone(zone).isoformat(),
        period.label,
    )


def supplier_positions(
    ctx: EvaluationContext,
    measure: Measure,
    judged: Sequence[Judged],
    owed: Sequence[Owed],
    shown: Callable[[MeasurementPeriod], bool],
) -> list[SupplierPosition]:
    """Each supplier's periods: attributed downtime, its verdicts (of the objectives ``judged``
    in the periods shown), what is claimable from it."""
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
    periods: dict[str, dict[PeriodKey, MeasurementPeriod]] = {name: {} for name in delivered}
    attributed: dict[tuple[str, PeriodKey], list[tuple[str, Fraction]]] = {}
    for metric in sorted(scope.metrics.values(), key=lambda m: m.id):
        if not isinstance(metric, AvailabilityMetric) or metric.attribution is None:
            continue
        for period in ctx.periods(metric.period):
            if not shown(period):
                continue
            totals_of = measure(metric)[period.label].totals
            for name, seconds in sorted(totals_of.items()):
                supplier = name.removeprefix(ATTRIBUTED)
                if not name.startswith(ATTRIBUTED) or supplier not in delivered:
                    continue
                periods[supplier].setdefault(_key(period), period)
                attributed.setdefault((supplier, _key(period)), []).append(
                    (metric.id, Fraction(seconds))
                )
    own: dict[tuple[str, PeriodKey], list[Judged]] = {}
    for item in judged:
        # A promise about a metric of a supplier's service is that supplier's, whatever else
        # its clause is about (one clause may hold the promises of two data centres).
        about = scope.metrics.get(item.metric.id)
        named = None
        if about is not None:
            named = about.service or getattr(about.measure, "service", None)
        by = service_of.supplier(named) if named in scope.services else None
        if by is None or by not in delivered:
            by = clause_supplier.get(item.clause.id)
        if by is None or by not in delivered:
            continue
        periods[by].setdefault(_key(item.period), item.period)
        own.setdefault((by, _key(item.period)), []).append(item)
    claims: dict[tuple[str, PeriodKey], list[Owed]] = {}
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
        for key, period in sorted(
            periods[supplier].items(), key=lambda item: _sort_key(item[1], ctx.tz)
        ):
            claimed = claims.get((supplier, key), [])
            rows.append(
                SupplierPeriod(
                    period=period,
                    attributed=tuple(attributed.get((supplier, key), ())),
                    verdicts=tuple(own.get((supplier, key), ())),
                    claimable=totals(claimed, None).contract if claimed else (),
                )
            )
        positions.append(
            SupplierPosition(
                supplier=supplier,
                name=None if party is None else party.title,
                services=tuple(services),
                periods=tuple(rows),
            )
        )
    return positions


def net_positions(ctx: EvaluationContext, owed: Sequence[Owed]) -> list[NetPosition]:
    """Per period and currency: owed to the customer, claimable from suppliers, the difference.

    Empty for a contract whose services all belong to the provider (there is nothing to net)."""
    if not has_suppliers(ctx):
        return []
    return added_up(net_rows(ctx, owed), ctx.tz)


def has_suppliers(ctx: EvaluationContext) -> bool:
    provider = ServiceOf(ctx.agreement).provider
    return any(s.delivered_by not in (None, provider) for s in ctx.agreement.services.values())


def net_rows(ctx: EvaluationContext, owed: Sequence[Owed]) -> Iterator[NetRow]:
    """(period, currency, owed to the customer, claimable from suppliers) per consequence with
    an amount: credits and penalties, not rewards."""
    provider = ServiceOf(ctx.agreement).provider
    for c in owed:
        if c.kind == "reward" or c.amount is None or c.provisional:
            continue  # a provisional credit is not owed until its earn-back window closes
        mine = c.supplier in (None, provider)
        amount = c.amount
        yield (c.period, c.currency, amount if mine else Decimal(0), Decimal(0) if mine else amount)


def added_up(rows: Iterable[NetRow], zone: dt.tzinfo) -> list[NetPosition]:
    """Net positions from (period, currency, owed, claimable) rows, added up per period (label
    and bounds) and currency, in time order (as written in ``zone``, the contract's timezone)."""
    refs: dict[PeriodKey, MeasurementPeriod] = {}
    sums: dict[tuple[PeriodKey, str], list[Decimal]] = {}
    for period, currency, owed_part, claimable_part in rows:
        key = _key(period)
        refs.setdefault(key, period)
        row = sums.setdefault((key, currency), [Decimal(0), Decimal(0)])
        row[0] += owed_part
        row[1] += claimable_part

    def cents(amount: Decimal, currency: str) -> Decimal:
        return amount.quantize(Decimal(1).scaleb(-minor_unit(currency)))

    return [
        NetPosition(
            period=refs[key],
            currency=currency,
            owed=cents(owed_sum, currency),
            claimable=cents(claimable, currency),
            net=cents(owed_sum - claimable, currency),
        )
        for (key, currency), (owed_sum, claimable) in sorted(
            sums.items(), key=lambda item: (_sort_key(refs[item[0][0]], zone), item[0][1])
        )
    ]

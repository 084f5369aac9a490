"""The resolved contract: a checked contract with everything in force filled in, the one thing
the engine evaluates.

Made by :func:`obligo.resolve.resolver.resolve_contract` (one contract) or
:func:`obligo.resolve.resolver.plan_agreements` (an agreement set's sections). Nothing here
imports the checks: the engine reads these values and nothing else of the stages before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from obligo.errors import ObligoError
from obligo.model import clauses as c
from obligo.model.base import walk
from obligo.model.clauses import formula_metrics
from obligo.model.contract import (
    AgreementKind,
    Baseline,
    BillingCycle,
    Calendar,
    Contract,
    DefaultCalendar,
    Exclusion,
    FieldUnit,
    Margins,
    Notification,
    Party,
    Renegotiation,
    Review,
    Service,
    Term,
)
from obligo.model.inheritance import InForce, ResolvedClause
from obligo.model.metrics import Metric


@dataclass(frozen=True, eq=False)
class ResolvedContract:
    """A checked contract and everything in force for it: every inherited setting filled in
    (the term and the timezone always), every declaration and clause it can name, read from the
    contract and the levels it imports (:func:`obligo.model.inheritance.in_force`), with where
    each comes from (:attr:`in_force`).

    The engine's entry points take only this; it never reads the contract's levels itself.
    Declarations are in the contract's own reading order (its own first, then each level
    above's), as every report has always listed them.
    """

    contract: Contract  # the contract evaluated (its imports attached)
    # The contract, then every level above it (depth first, in import order; a level imported
    # twice comes twice, as its reviews and notifications always did).
    levels: tuple[Contract, ...]
    in_force: InForce  # each setting, declaration and clause with its origin
    timezone: str
    tz: ZoneInfo
    term: Term
    currency: str | None
    billing_cycle: BillingCycle | None
    baseline: Baseline | None
    margins: Margins | None
    business_calendar: DefaultCalendar | None  # `calendar NAME`: business time counts on it
    field_units: Mapping[str, FieldUnit]
    clauses: tuple[c.Clause, ...]  # in force, in the contract's reading order
    metrics: Mapping[str, Metric]
    services: Mapping[str, Service]
    calendars: Mapping[str, Calendar]
    exclusions: Mapping[str, Exclusion]
    parties: Mapping[str, Party]
    reviews: tuple[Review, ...]
    renegotiations: tuple[Renegotiation, ...]
    notifications: tuple[Notification, ...]
    # `amount at risk ...`: the nearest level's (docs/consequences.md, "Amounts at risk").
    at_risk: c.AtRisk | None = None

    @property
    def id(self) -> str:
        return self.contract.id

    def field_unit(self, field: str) -> FieldUnit | None:
        """The declared unit of a log field: the nearest level's ``field NAME in UNIT``."""
        return self.field_units.get(field)

    def clause_origins(self) -> tuple[ResolvedClause, ...]:
        """Each clause in force with the level and file it comes from, in :attr:`clauses`'
        order."""
        by_id = {rc.id: rc for rc in self.in_force.clauses}
        return tuple(by_id[clause.id] for clause in self.clauses)


@dataclass(frozen=True)
class Unresolved:
    """A contract of an agreement set that cannot be evaluated (it has no term or no
    timezone): the error is raised when its section is evaluated, after the logs are read, as it
    always was."""

    contract: Contract
    error: ObligoError


@dataclass(frozen=True)
class PlannedAgreement:
    """One agreement of a set as it is evaluated: a multi-level pair (its customer, or any
    customer for a service the corporate level declares), or a whole agreement file
    (customer-based: its customer; service-based: every customer of the logs; without
    services: every record)."""

    resolved: ResolvedContract | Unresolved
    kind: AgreementKind | None
    agreement: str
    customer: str | None  # a known customer (a multi-level pair's, a customer-based agreement's)
    services: tuple[str, ...]
    restrict_service: tuple[str, ...] | None  # the services whose records a section reads
    origins: tuple[ResolvedClause, ...]  # the clauses the section lists, where they come from
    pair_service: str | None
    # For an agreement of any customer: the agreement of each customer that has agreements of
    # its own, without the clauses about a service one of those covers (None: nothing left).
    # A customer not named here is evaluated on the whole agreement.
    by_customer: Mapping[str, ResolvedContract | None]

    @property
    def contract(self) -> Contract:
        return self.resolved.contract

    def for_customer(self, customer: str | None) -> ResolvedContract | None:
        """The agreement a section of this customer evaluates (None: nothing left to evaluate).
        Raises the error of an agreement that cannot be evaluated."""
        if isinstance(self.resolved, Unresolved):
            raise self.resolved.error
        if customer is None or self.customer is not None:
            return self.resolved
        return self.by_customer.get(customer, self.resolved)


class Names(Protocol):
    """The services, metrics and parties an agreement can name (a :class:`ResolvedContract`)."""

    @property
    def services(self) -> Mapping[str, Service]: ...

    @property
    def metrics(self) -> Mapping[str, Metric]: ...

    @property
    def parties(self) -> Mapping[str, Party]: ...


class ServiceOf:
    """Which service a clause's consequences concern, and who delivers it.

    The clause's ``service`` line; else a service its amounts name (``of the fee of uplink``);
    else the service of the metric its first promise, tier or formula measures (``availability
    of api``, a metric's ``service`` line); else the contract's only service."""

    def __init__(self, names: Names) -> None:
        self.services = names.services
        self.metrics = names.metrics
        self.provider = next((p.id for p in names.parties.values() if p.role == "provider"), None)

    def __call__(self, clause: c.Clause) -> str | None:
        services = self.services
        if clause.service in services:
            return clause.service
        for node in _amounts(clause):
            named = getattr(node, "service", None)
            if named in services:
                return str(named)
        for name in _metric_names(clause):
            metric = self.metrics.get(name)
            if metric is None:
                continue
            for named in (metric.service, getattr(metric.measure, "service", None)):
                if named in services:
                    return str(named)
        if len(services) == 1:
            return next(iter(services))
        return None

    def supplier(self, service: str | None) -> str | None:
        """The party that delivers the service (owes its consequences); the provider when the
        service names none, or when the consequence concerns no known service."""
        if service is None or service not in self.services:
            return self.provider
        return self.services[service].delivered_by or self.provider


def _amounts(clause: c.Clause) -> Iterable[c.Amount | c.FormulaFee]:
    for credit in clause.credits:
        if isinstance(credit, c.CreditTable):
            yield from (t.amount for t in credit.tiers)
        elif isinstance(credit, c.CreditExpression):
            yield from (n for n in walk(credit.formula) if isinstance(n, c.FormulaFee))
        else:
            yield credit.amount
    for penalty in clause.penalties:
        if isinstance(penalty, c.PenaltyExpression):
            yield from (n for n in walk(penalty.formula) if isinstance(n, c.FormulaFee))
        else:
            yield penalty.amount
    yield from (r.tier.amount for r in clause.rewards)


def _metric_names(clause: c.Clause) -> Iterable[str]:
    yield from (o.metric for o in clause.promises)
    for credit in clause.credits:
        if isinstance(credit, c.CreditTable):
            yield from (t.condition.subject for t in credit.tiers if t.condition.subject)
        elif isinstance(credit, c.CreditExpression):
            yield from formula_metrics(credit.formula)
        else:
            yield credit.per.metric
    for penalty in clause.penalties:
        if isinstance(penalty, c.PenaltyExpression):
            yield from formula_metrics(penalty.formula)

"""The resolver: a checked contract, or an agreement set's sections, to the values the engine
evaluates (:class:`~obligo.resolve.contract.ResolvedContract`).

- :func:`check_and_resolve`: the path of :func:`obligo.evaluate` and :func:`obligo.baseline`:
  the checks once, then :func:`resolve_contract`.
- :func:`resolve_contract`: everything in force for a checked contract, read once from its
  levels by :func:`obligo.model.inheritance.in_force`; the term and the timezone must be there.
- :func:`plan_agreements`: every agreement of a checked set as it is evaluated (a pair of a
  multi-level agreement, or a whole agreement file), each resolved once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from obligo.agreements import AgreementSet, ResolvedAgreement
from obligo.checks import check_contract
from obligo.checks.reporter import Reporter, Scope
from obligo.errors import ObligoError, ObligoSemanticError, Severity
from obligo.model.base import SourceLocation
from obligo.model.contract import AgreementKind, Contract
from obligo.model.inheritance import (
    InForce,
    LevelFile,
    ResolvedClause,
    Silent,
    in_force,
    lineage_chain,
)
from obligo.model.metrics import AvailabilityMetric, Composite
from obligo.resolve.contract import (
    Names,
    PlannedAgreement,
    ResolvedContract,
    ServiceOf,
    Unresolved,
)

T = TypeVar("T")


def check_and_resolve(contract: Contract) -> ResolvedContract:
    """Check a contract, then resolve it. Raises :class:`~obligo.ObligoSemanticError` when it
    has errors, and what :func:`resolve_contract` raises."""
    diagnostics = check_contract(contract)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise ObligoSemanticError.from_diagnostics(diagnostics)
    return resolve_contract(contract)


def resolve_contract(contract: Contract, *, origins: InForce | None = None) -> ResolvedContract:
    """Everything in force for a checked contract (its own lines and the levels it imports).

    ``origins`` says where things come from when the contract stands for something else (an
    agreement set's pair, flattened into one contract by
    :meth:`~obligo.agreements.ResolvedAgreement.as_contract`); by default, the contract's own
    levels.

    Raises :class:`ObligoError` when the contract names no timezone or has no term (evaluation
    starts at the term's first day, in the contract's timezone)."""
    found = in_force(lineage_chain(contract), _Lines(contract))
    if found.timezone is None:
        raise ObligoError(
            "the contract names no timezone",
            file=contract.loc.file,
            line=contract.loc.line,
            column=1,
        )
    tz = ZoneInfo(found.timezone.value)
    if found.term is None:
        raise ObligoError(
            "the contract has no term: evaluation starts at the term's first day",
            file=contract.loc.file,
            line=contract.loc.line,
            column=1,
            hint="add a line such as: term 2026-01-01 to 2026-12-31",
        )
    term = found.term.value
    levels = tuple(contract.levels())
    clauses = _nearest_first(found, "clause", ((c.id, c.clause) for c in found.clauses))
    return ResolvedContract(
        contract=contract,
        levels=levels,
        in_force=found if origins is None else origins,
        timezone=found.timezone.value,
        tz=tz,
        term=term,
        currency=_value(found.currency),
        billing_cycle=_value(found.billing_cycle),
        baseline=_value(found.baseline),
        margins=_value(found.margins),
        business_calendar=_value(found.business_calendar),
        field_units=MappingProxyType({u.value.field: u.value for u in found.field_units}),
        clauses=tuple(clauses.values()),
        metrics=_declared(found, "metric", found.metrics),
        services=_declared(found, "service", found.services),
        calendars=_declared(found, "calendar", found.calendars),
        exclusions=_declared(found, "exclusion", found.exclusions),
        parties=_declared(found, "party", found.parties),
        reviews=tuple(r for level in levels for r in level.reviews),
        renegotiations=tuple(r for level in levels for r in level.renegotiations),
        notifications=tuple(n for level in levels for n in level.notifications),
        at_risk=next((level.at_risk for level in levels if level.at_risk is not None), None),
    )


class _Lines(Silent):
    """A checked contract's findings are already reported: only the lines of the settings the
    model keeps no location of (``timezone``, ``currency``) are looked up, in the texts."""

    def __init__(self, contract: Contract) -> None:
        self.out = Reporter()
        self.out.add_source(contract)

    def locate(self, file: LevelFile, what: str) -> SourceLocation:
        return self.out.in_block(file.contract.loc, what)


def _value(found: Any) -> Any:
    return None if found is None else found.value


def _nearest_first(found: InForce, kind: str, items: Iterable[tuple[str, T]]) -> dict[str, T]:
    by_name = dict(items)
    return {name: by_name[name] for name in found.nearest_first(kind) if name in by_name}


def _declared(found: InForce, kind: str, items: Iterable[Any]) -> Mapping[str, Any]:
    return MappingProxyType(_nearest_first(found, kind, ((i.value.id, i.value) for i in items)))


# ----------------------------------------------------------------------------- agreement sets
def plan_agreements(agreements: AgreementSet) -> tuple[PlannedAgreement, ...]:
    """Every agreement of a checked set as it is evaluated, each resolved once.

    Multi-level agreements are split per (customer, service), for the files given (a level
    file alone evaluates its own pairs, not its siblings'); a whole agreement file is one plan.
    An agreement for any customer is also resolved, once, for each customer that has
    agreements of its own, without the clauses about the services those cover (so that nothing
    is credited twice)."""
    plans: list[_Plan] = []
    pairs = agreements.resolve_all()
    levels = {r.agreement for r in pairs if r.kind == "multi-level"}
    for pair in pairs:
        if pair.kind != "multi-level" or not pair.files[-1].listed:
            continue
        contract = _about_its_service(pair)
        resolved = _resolved(contract, pair.in_force)
        plans.append(
            _Plan(
                resolved=resolved,
                kind=pair.kind,
                agreement=pair.agreement,
                customer=pair.customer,
                services=(pair.service,),
                restrict_service=_services_read(pair.service, _names(resolved)),
                origins=pair.clauses,
                pair_service=pair.service,
            )
        )
    for file in agreements.files:
        if not file.listed or file.tier != "agreement" or file.contract.id in levels:
            continue
        contract = file.contract
        resolved = _resolved(contract, None)
        services = tuple(sorted(_names(resolved).services))
        customer = None
        if file.kind == "customer-based":
            customer = next((p.id for p in contract.parties if p.role == "customer"), None)
        by_id = {rc.id: rc for rc in _in_force(resolved).clauses}
        plans.append(
            _Plan(
                resolved=resolved,
                kind=file.kind if contract.kind else None,
                agreement=contract.id,
                customer=customer,
                services=services,
                restrict_service=None,
                # A file's section lists its own clauses (in force: the nearest level's), each
                # at its line.
                origins=tuple(ResolvedClause(c, by_id[c.id].origin) for c in contract.clauses),
                pair_service=services[0] if len(services) == 1 else None,
            )
        )
    covered: set[tuple[str | None, str]] = {
        (plan.customer, service)
        for plan in plans
        if plan.customer is not None
        for service in plan.services
    }
    return tuple(plan.planned(covered) for plan in plans)


@dataclass(frozen=True)
class _Plan:
    """A plan before the customers with agreements of their own are known."""

    resolved: ResolvedContract | Unresolved
    kind: AgreementKind | None
    agreement: str
    customer: str | None
    services: tuple[str, ...]
    restrict_service: tuple[str, ...] | None
    origins: tuple[ResolvedClause, ...]
    pair_service: str | None

    def planned(self, covered: set[tuple[str | None, str]]) -> PlannedAgreement:
        by_customer: dict[str, ResolvedContract | None] = {}
        if self.customer is None:
            contract = self.resolved.contract
            service_of = ServiceOf(_names(self.resolved))
            for customer in sorted({c for c, _ in covered if c is not None}):
                kept = tuple(
                    c for c in contract.clauses if (customer, service_of(c) or "") not in covered
                )
                if len(kept) == len(contract.clauses):
                    continue
                if not kept:
                    by_customer[customer] = None
                elif isinstance(self.resolved, ResolvedContract):
                    # A pair's agreement keeps the pair's origins; a file's, its own levels'.
                    origins = self.resolved.in_force if self.kind == "multi-level" else None
                    by_customer[customer] = resolve_contract(
                        contract.model_copy(update={"clauses": kept}), origins=origins
                    )
        return PlannedAgreement(
            resolved=self.resolved,
            kind=self.kind,
            agreement=self.agreement,
            customer=self.customer,
            services=self.services,
            restrict_service=self.restrict_service,
            origins=self.origins,
            pair_service=self.pair_service,
            by_customer=MappingProxyType(by_customer),
        )


def _resolved(contract: Contract, origins: InForce | None) -> ResolvedContract | Unresolved:
    """The contract resolved; one that cannot be evaluated keeps its error for its section
    (raised after the logs are read, where it always was)."""
    try:
        return resolve_contract(contract, origins=origins)
    except ObligoError as error:
        return Unresolved(contract, error)


def _names(resolved: ResolvedContract | Unresolved) -> Names:
    """What an agreement can name, resolved or not (an unresolved one: as the checks read it)."""
    if isinstance(resolved, ResolvedContract):
        return resolved
    return Scope.of(resolved.contract)


def _in_force(resolved: ResolvedContract | Unresolved) -> InForce:
    if isinstance(resolved, ResolvedContract):
        return resolved.in_force
    return in_force(lineage_chain(resolved.contract))


def _services_read(service: str, names: Names) -> tuple[str, ...]:
    """The services whose records a section reads: its own, and those of the components of its
    composite metrics (a chain over the uplink reads the uplink's outages)."""
    found = {service}
    for metric in names.metrics.values():
        if not isinstance(metric, AvailabilityMetric) or metric.down_when is None:
            continue
        for name in _leaves(metric.down_when):
            component = names.metrics.get(name)
            if component is not None:
                named = component.service or getattr(component.measure, "service", None)
                if named:
                    found.add(str(named))
    return tuple(sorted(found))


def _leaves(composite: Composite) -> list[str]:
    names: list[str] = []
    for component in composite.components:
        names.extend(_leaves(component) if isinstance(component, Composite) else [component])
    return names


def _about_its_service(agreement: ResolvedAgreement) -> Contract:
    """The pair's agreement as one contract, each clause that names no service being about the
    pair's service: in the section for (globex, erp), "10% of the fee" is erp's fee."""
    contract = agreement.as_contract()
    if not any(s.id == agreement.service for s in contract.services):
        return contract
    clauses = tuple(
        c if c.service is not None else c.model_copy(update={"service": agreement.service})
        for c in contract.clauses
    )
    return contract.model_copy(update={"clauses": clauses})

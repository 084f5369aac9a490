"""Evaluating an agreement set: every (customer, service) pair its agreements cover, in one pass
over the logs.

- The logs are read once, into one database, with every field any agreement reads (and
  ``customer``). Agreements that read a field as different types, or in different timezones,
  cannot share one log: that is an error naming them.
- A (customer, service) pair is evaluated on the records of that customer (``customer`` field)
  and of that service (``service`` field); a record without one of these fields concerns every
  customer or every service (an outage of a shared platform is every customer's outage). A
  service-based agreement is restricted by customer only: it is about its service for every
  customer, and its own selections say which records are its service's.
- A service-based agreement (any customer) is evaluated once per customer found in the logs that
  no more specific agreement covers for the service; without any customer in the logs, once over
  every record.
- A section reads, besides its own service's records, those of the services of its composite
  metrics' components (an end-to-end chain reads the uplink's outages).
- The line account covers every line once, for all sections: a line is used when some section's
  agreement reads it, among the records the section sees, inside its evaluated span.
- The net position adds up every section's credits and penalties: owed to customers, minus
  claimable from suppliers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from obligo.agreements import AgreementSet, ResolvedAgreement
from obligo.checks.reporter import Scope
from obligo.engine.accounting import account_inputs
from obligo.engine.consequences import ServiceOf
from obligo.engine.context import EvaluationContext
from obligo.engine.evaluation import report_of
from obligo.engine.evaluation_time import evaluation_time
from obligo.engine.positions import added_up, net_rows
from obligo.engine.session import EventInput, as_inputs, checked_mappings, context_over
from obligo.errors import ObligoError, ObligoSemanticError, Severity
from obligo.events import EventLog, FieldType, schema_for, union_of, with_field
from obligo.model.contract import AgreementKind, Contract
from obligo.model.metrics import Composite
from obligo.report.model import PeriodRef, Rejection, Report, Window
from obligo.report.portfolio import ClauseOrigin, PortfolioReport, Section

CUSTOMER = "customer"
SERVICE = "service"


def evaluate_agreements(
    agreements: AgreementSet,
    events: Sequence[EventInput] | EventInput,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
) -> PortfolioReport:
    """Evaluate every pair an agreement set covers against the logs (read once).

    Raises :class:`~obligo.ObligoSemanticError` when a file of the set has errors, and what
    :func:`obligo.evaluate` raises."""
    errors = [d for d in agreements.check() if d.severity is Severity.ERROR]
    if errors:
        raise ObligoSemanticError.from_diagnostics(errors)
    plans = _plans(agreements)
    if not plans:
        raise ObligoError("the agreements cover nothing to evaluate")
    contracts = [plan.contract for plan in plans]
    mappings = checked_mappings(mappings)  # the rule a single evaluation applies
    try:
        schema = union_of(
            [
                with_field(
                    with_field(schema_for(c, mappings), CUSTOMER, FieldType.TEXT),
                    SERVICE,
                    FieldType.TEXT,
                )
                for c in contracts
            ]
        )
    except ValueError as error:
        files = sorted({c.loc.file for c in contracts})
        if len(files) == 1:  # nothing to share: the contract's own fields are the trouble
            raise ObligoError(
                f"the contract's fields cannot be read from an event log: {error}",
                file=files[0],
                hint="a log field of a reserved name can be read under another: "
                "map NAME to OTHER-NAME",
            ) from None
        raise ObligoError(
            f"these agreements cannot share one log: {error}",
            hint="evaluate them separately: " + ", ".join(files),
        ) from None
    tz = ZoneInfo(schema.timezone)
    when = evaluation_time(at, tz)
    log = EventLog.load(as_inputs(events), schema, tz, skip_invalid=skip_invalid)
    try:
        sections: list[Section] = []
        contexts: list[EvaluationContext] = []
        conditions: list[tuple[str, list[Any]]] = []
        net: list[tuple[PeriodRef, str, Decimal, Decimal]] = []

        def evaluate_section(contract: Contract, scope: Scoped) -> Report:
            if scope:
                log.restrict(scope)
            else:
                log.unrestricted()
            ctx = context_over(contract, log, schema, when)
            contexts.append(ctx)
            conditions.append(EventLog.scope_condition(scope))
            report = report_of(contract, ctx, window_start, window_end, account=False)
            net.extend(net_rows(ctx, report.consequences))
            return report

        in_log = log.values_of(CUSTOMER)
        covered: set[tuple[str | None, str]] = {
            (plan.customer, service)
            for plan in plans
            if plan.customer is not None
            for service in plan.services
        }
        for plan in plans:
            for customer in plan.customers(in_log, covered):
                contract = plan.for_customer(customer, covered)
                if contract is None:
                    continue  # every clause is about a service another agreement covers
                scope: Scoped = {}
                if plan.restrict_service is not None:
                    scope[SERVICE] = plan.restrict_service
                if customer is not None:
                    scope[CUSTOMER] = customer
                report = evaluate_section(contract, scope)
                sections.append(plan.section(customer, report))
        log.unrestricted()
        accounts = account_inputs(
            contexts, lambda sql, params: _query(log, sql, params), conditions
        )
    finally:
        log.close()
    return PortfolioReport(
        evaluated_at=when,
        timezone=schema.timezone,
        window=Window(start=window_start, end=window_end),
        inputs=accounts,
        merges=log.merges,
        rejected=len(log.rejections),
        rejections=[Rejection(file=r.file, line=r.line, reason=r.reason) for r in log.rejections],
        sections=sections,
        net_position=added_up(net),
    )


Scoped = dict[str, str | list[str]]


@dataclass
class _Plan:
    """One agreement of the set, as it is evaluated: a multi-level pair (its customer, or any
    customer for a service the corporate level declares), or a whole agreement (customer-based:
    its customer; service-based: every customer of the logs; without services: every record)."""

    contract: Contract
    kind: AgreementKind | None
    agreement: str
    customer: str | None  # a known customer (a multi-level pair's, a customer-based agreement's)
    services: list[str]
    restrict_service: list[str] | None  # the services whose records a section reads
    origins: list[ClauseOrigin]
    pair_service: str | None

    def customers(
        self, in_log: list[str], covered: set[tuple[str | None, str]]
    ) -> list[str | None]:
        if self.customer is not None:
            return [self.customer]
        if self.kind == "multi-level" or self.kind == "service-based":
            # Any customer: each customer of the logs, on their own records, for the services
            # no agreement of their own covers; without customers in the logs, every record.
            found = [c for c in in_log if any((c, s) not in covered for s in self.services)]
            return list(found) if in_log else [None]
        return [None]

    def for_customer(
        self, customer: str | None, covered: set[tuple[str | None, str]]
    ) -> Contract | None:
        """The contract for one customer: without the clauses about a service another agreement
        covers for that customer (so that nothing is credited twice)."""
        if customer is None or self.customer is not None:
            return self.contract
        service_of = ServiceOf(Scope.of(self.contract))
        kept = tuple(
            c for c in self.contract.clauses if (customer, service_of(c) or "") not in covered
        )
        if not kept:
            return None
        return self.contract.model_copy(update={"clauses": kept})

    def section(self, customer: str | None, report: Report) -> Section:
        return Section(
            customer=customer,
            service=self.pair_service,
            agreement=self.agreement,
            kind=self.kind,
            clauses=self.origins,
            report=report,
        )


def _plans(agreements: AgreementSet) -> list[_Plan]:
    plans: list[_Plan] = []
    levels = {r.agreement for r in agreements.resolve_all() if r.kind == "multi-level"}
    for pair in agreements.resolve_all():
        # Multi-level agreements are split per (customer, service), for the files given (a
        # level file alone evaluates its own pairs, not its siblings').
        if pair.kind != "multi-level" or not pair.files[-1].listed:
            continue
        contract = _about_its_service(pair)
        plans.append(
            _Plan(
                contract=contract,
                kind=pair.kind,
                agreement=pair.agreement,
                customer=pair.customer,
                services=[pair.service],
                restrict_service=_services_read(pair.service, contract),
                origins=[
                    ClauseOrigin(
                        clause=c.id,
                        level=c.origin.tier,
                        file=c.origin.file,
                        line=c.origin.line,
                        replaces=[str(o) for o in c.replaces],
                    )
                    for c in pair.clauses
                ],
                pair_service=pair.service,
            )
        )
    for file in agreements.files:
        if not file.listed or file.tier != "agreement" or file.contract.id in levels:
            continue
        contract = file.contract
        services = sorted(Scope.of(contract).services)
        customer = None
        if file.kind == "customer-based":
            customer = next((p.id for p in contract.parties if p.role == "customer"), None)
        plans.append(
            _Plan(
                contract=contract,
                kind=file.kind if contract.kind else None,
                agreement=contract.id,
                customer=customer,
                services=services,
                restrict_service=None,
                origins=[
                    ClauseOrigin(clause=c.id, level="agreement", file=c.loc.file, line=c.loc.line)
                    for c in contract.clauses
                ],
                pair_service=services[0] if len(services) == 1 else None,
            )
        )
    return plans


def _services_read(service: str, contract: Contract) -> list[str]:
    """The services whose records a section reads: its own, and those of the components of its
    composite metrics (a chain over the uplink reads the uplink's outages)."""
    scope = Scope.of(contract)
    found = {service}
    for metric in scope.metrics.values():
        if metric.down_when is None:
            continue
        for name in _leaves(metric.down_when):
            component = scope.metrics.get(name)
            if component is not None:
                named = component.service or getattr(component.measure, "service", None)
                if named:
                    found.add(str(named))
    return sorted(found)


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


def single_report(portfolio: PortfolioReport) -> Report | None:
    """The plain report of a portfolio of one section (one agreement file evaluated for its
    customer, or over every record), with the portfolio's line account; else None."""
    if len(portfolio.sections) != 1:
        return None
    return portfolio.sections[0].report.model_copy(update={"inputs": portfolio.inputs})


def _query(log: EventLog, sql: str, params: list[Any]) -> list[Any]:
    return log.connection.execute(sql, params).fetchall()

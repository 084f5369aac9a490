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
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from obligo.agreements import AgreementSet, ResolvedAgreement
from obligo.checks.reporter import Scope
from obligo.engine.accounting import account_inputs
from obligo.engine.context import EvaluationContext
from obligo.engine.evaluation import report_of
from obligo.engine.positions import added_up, net_rows
from obligo.engine.session import EventInput, as_inputs, context_over
from obligo.errors import ObligoError, ObligoSemanticError, Severity
from obligo.events import EventLog, FieldType, schema_for, union_of, with_field
from obligo.model.contract import Contract
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
    # Pairs of customer-based and multi-level agreements, each on its own; a service-based
    # agreement, and one that declares no service, is evaluated whole (per customer for the
    # first).
    resolved = [r for r in agreements.resolve_all() if r.kind != "service-based"]
    covered = {r.agreement for r in resolved}
    whole = [
        f.contract
        for f in agreements.files
        if f.listed
        and f.tier == "agreement"
        and f.contract.id not in covered
        and (f.kind == "service-based" or not Scope.of(f.contract).services)
    ]
    if not resolved and not whole:
        raise ObligoError("the agreements cover nothing to evaluate")
    contracts = [_about_its_service(r) for r in resolved] + whole
    try:
        schema = union_of(
            [
                with_field(
                    with_field(schema_for(c, dict(mappings or {})), CUSTOMER, FieldType.TEXT),
                    SERVICE,
                    FieldType.TEXT,
                )
                for c in contracts
            ]
        )
    except ValueError as error:
        raise ObligoError(f"these agreements cannot share one log: {error}") from None
    if at is not None and at.tzinfo is None:
        raise ValueError("the evaluation time must be timezone-aware")
    tz = ZoneInfo(schema.timezone)
    when = at.astimezone(tz) if at is not None else dt.datetime.now(tz)
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
        for agreement, contract in zip(resolved, contracts, strict=False):
            scope: Scoped = {SERVICE: _services_read(agreement.service, contract)}
            if agreement.customer is not None:
                scope[CUSTOMER] = agreement.customer
            report = evaluate_section(contract, scope)
            sections.append(_section(agreement, agreement.customer, report))
        pairs = {(r.customer, r.service) for r in resolved if r.customer is not None}
        for contract in whole:
            # A service-based agreement is about its service for every customer (its own
            # selections say which records are its service's): one section per customer the
            # logs name for whom no other agreement covers all of its services, or one over
            # every record.
            customers: list[str | None] = [None]
            if contract.kind == "service-based":
                services = set(Scope.of(contract).services)
                customers = [
                    c for c in in_log if any((c, service) not in pairs for service in services)
                ] or [None]
            for customer in customers:
                report = evaluate_section(
                    contract, {} if customer is None else {CUSTOMER: customer}
                )
                sections.append(_whole_section(contract, customer, report))
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


def _section(agreement: ResolvedAgreement, customer: str | None, report: Any) -> Section:
    return Section(
        customer=customer,
        service=agreement.service,
        agreement=agreement.agreement,
        kind=agreement.kind,
        clauses=[
            ClauseOrigin(
                clause=c.id,
                level=c.origin.tier,
                file=c.origin.file,
                line=c.origin.line,
                replaces=[str(o) for o in c.replaces],
            )
            for c in agreement.clauses
        ],
        report=report,
    )


def single_report(portfolio: PortfolioReport) -> Report | None:
    """The plain report of a portfolio that is one agreement over every record (a service-based
    agreement whose logs name no customer), with the portfolio's line account; else None."""
    if len(portfolio.sections) != 1 or portfolio.sections[0].customer is not None:
        return None
    return portfolio.sections[0].report.model_copy(update={"inputs": portfolio.inputs})


def _whole_section(contract: Contract, customer: str | None, report: Any) -> Section:
    services = sorted(Scope.of(contract).services)
    return Section(
        customer=customer,
        service=services[0] if len(services) == 1 else None,
        agreement=contract.id,
        kind=contract.kind,
        clauses=[
            ClauseOrigin(clause=c.id, level="agreement", file=c.loc.file, line=c.loc.line)
            for c in contract.clauses
        ],
        report=report,
    )


def _query(log: EventLog, sql: str, params: list[Any]) -> list[Any]:
    return log.connection.execute(sql, params).fetchall()

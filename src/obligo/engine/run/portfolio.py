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

from obligo.engine.context import EvaluationContext
from obligo.engine.rights.positions import added_up, net_rows
from obligo.engine.run.accounting import account_inputs
from obligo.engine.run.evaluation import report_of
from obligo.engine.run.session import EventInput, as_inputs, checked_mappings, context_over
from obligo.engine.time.evaluation_time import evaluation_time
from obligo.errors import ObligoError
from obligo.events import EventLog, FieldType, schema_for, union_of, with_field
from obligo.report.model import PeriodRef, Rejection, Report, Window
from obligo.report.portfolio import ClauseOrigin, PortfolioReport, Section
from obligo.resolve import PlannedAgreement, ResolvedContract

CUSTOMER = "customer"
SERVICE = "service"


def evaluate_agreements(
    plans: Sequence[PlannedAgreement],
    events: Sequence[EventInput] | EventInput,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
) -> PortfolioReport:
    """Evaluate every agreement of a checked set, as planned by
    :func:`obligo.resolve.resolver.plan_agreements`, against the logs (read once).

    Raises what :func:`obligo.evaluate` raises; an agreement that cannot be evaluated (no term,
    no timezone) raises its error when its section is reached."""
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

        def evaluate_section(agreement: ResolvedContract, scope: Scoped) -> Report:
            if scope:
                log.restrict(scope)
            else:
                log.unrestricted()
            ctx = context_over(agreement, log, schema, when)
            contexts.append(ctx)
            conditions.append(EventLog.scope_condition(scope))
            report = report_of(ctx, window_start, window_end, account=False)
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
            for customer in _customers(plan, in_log, covered):
                agreement = plan.for_customer(customer)
                if agreement is None:
                    continue  # every clause is about a service another agreement covers
                scope: Scoped = {}
                if plan.restrict_service is not None:
                    scope[SERVICE] = list(plan.restrict_service)
                if customer is not None:
                    scope[CUSTOMER] = customer
                report = evaluate_section(agreement, scope)
                sections.append(_section(plan, customer, report))
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


def _customers(
    plan: PlannedAgreement, in_log: list[str], covered: set[tuple[str | None, str]]
) -> list[str | None]:
    """The customers a plan is evaluated for, one section each."""
    if plan.customer is not None:
        return [plan.customer]
    if plan.kind == "multi-level" or plan.kind == "service-based":
        # Any customer: each customer of the logs, on their own records, for the services
        # no agreement of their own covers; without customers in the logs, every record.
        found = [c for c in in_log if any((c, s) not in covered for s in plan.services)]
        return list(found) if in_log else [None]
    return [None]


def _section(plan: PlannedAgreement, customer: str | None, report: Report) -> Section:
    return Section(
        customer=customer,
        service=plan.pair_service,
        agreement=plan.agreement,
        kind=plan.kind,
        clauses=[
            ClauseOrigin(
                clause=c.id,
                level=c.origin.tier,
                file=c.origin.file,
                line=c.origin.line,
                replaces=[str(o) for o in c.replaces],
            )
            for c in plan.origins
        ],
        report=report,
    )


def single_report(portfolio: PortfolioReport) -> Report | None:
    """The plain report of a portfolio of one section (one agreement file evaluated for its
    customer, or over every record), with the portfolio's line account; else None."""
    if len(portfolio.sections) != 1:
        return None
    return portfolio.sections[0].report.model_copy(update={"inputs": portfolio.inputs})


def _query(log: EventLog, sql: str, params: list[Any]) -> list[Any]:
    return log.connection.execute(sql, params).fetchall()

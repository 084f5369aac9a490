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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from obligo.engine.context import EvaluationContext
from obligo.engine.rights.positions import NetPosition, NetRow, added_up, net_rows
from obligo.engine.run.accounting import LineAccount, account_inputs
from obligo.engine.run.evaluation import Evaluation, evaluation_of
from obligo.engine.run.outlook import ReviewExtras, review_extras
from obligo.engine.run.session import EventInput, as_inputs, checked_mappings, context_over
from obligo.engine.time.evaluation_time import evaluation_time
from obligo.errors import ObligoError
from obligo.events import EventLog, FieldType, Rejection, schema_for, union_of, with_field
from obligo.resolve import PlannedAgreement, ResolvedContract

CUSTOMER = "customer"
SERVICE = "service"


@dataclass(frozen=True, slots=True)
class Section:
    """One (customer, service) pair evaluated: the plan of its agreement, its customer (None:
    over every record), its evaluation (without a line account of its own)."""

    plan: PlannedAgreement
    customer: str | None
    evaluation: Evaluation
    # What a service review adds (``obligo review``), when asked for.
    extras: ReviewExtras | None = None


@dataclass(frozen=True, slots=True)
class Portfolio:
    """An agreement set evaluated in one pass over the logs: the evaluation time and timezone
    they share, the window shown, the line account of every input, the log's merges and
    rejected lines, the sections, the provider's net position over all of them."""

    at: dt.datetime
    tz: ZoneInfo
    window_start: dt.date | None
    window_end: dt.date | None
    inputs: tuple[LineAccount, ...]
    merges: int
    rejections: tuple[Rejection, ...]
    sections: tuple[Section, ...]
    net_position: tuple[NetPosition, ...]


def evaluate_agreements(
    plans: Sequence[PlannedAgreement],
    events: Sequence[EventInput] | EventInput,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
    review: bool = False,
    inspect: Callable[[Section, EvaluationContext], None] | None = None,
) -> Portfolio:
    """Evaluate every agreement of a checked set, as planned by
    :func:`obligo.resolve.resolver.plan_agreements`, against the logs (read once).
    ``review``: each section also with what a service review adds (``obligo review``).
    ``inspect``: called with each section and its context as soon as it is evaluated, while
    the log holds the section's records (``obligo explain`` reads what was left out).

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
        net: list[NetRow] = []

        def evaluate_section(
            agreement: ResolvedContract, scope: Scoped
        ) -> tuple[Evaluation, ReviewExtras | None]:
            if scope:
                log.restrict(scope)
            else:
                log.unrestricted()
            ctx = context_over(agreement, log, schema, when)
            contexts.append(ctx)
            conditions.append(EventLog.scope_condition(scope))
            evaluation = evaluation_of(ctx, window_start, window_end, account=False)
            net.extend(net_rows(ctx, evaluation.owed))
            return evaluation, review_extras(ctx) if review else None

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
                sections.append(Section(plan, customer, *evaluate_section(agreement, scope)))
                if inspect is not None:
                    inspect(sections[-1], contexts[-1])
        log.unrestricted()
        accounts = account_inputs(
            contexts, lambda sql, params: _query(log, sql, params), conditions
        )
    finally:
        log.close()
    return Portfolio(
        at=when,
        tz=tz,
        window_start=window_start,
        window_end=window_end,
        inputs=tuple(accounts),
        merges=log.merges,
        rejections=tuple(log.rejections),
        sections=tuple(sections),
        net_position=tuple(added_up(net, tz)),
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


def _query(log: EventLog, sql: str, params: list[Any]) -> list[Any]:
    return log.connection.execute(sql, params).fetchall()

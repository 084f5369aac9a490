"""Rights and triggers of an evaluation: the one entry point the evaluation calls.

``assess(contract, ctx, measure)`` is called once the verdicts exist, with the evaluation's own
measurement of metrics (so nothing is measured twice); it returns the termination rights that
arose, the escalation notices due and the triggers that fired, each list in time order, every
time in the contract's timezone. It judges the whole history itself, so that what it finds never
depends on the window of periods a report shows.

``assessment(contract, events, at)`` runs it on its own, from a contract and its logs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from obligo.checks import check_contract
from obligo.checks.reporter import Scope
from obligo.engine.context import EvaluationContext
from obligo.engine.history import (
    Measure,
    baseline_of,
    effective_clauses,
    history,
    margins_of,
    term_of,
)
from obligo.engine.measurement import Measurement
from obligo.engine.termination import escalations, termination_rights
from obligo.engine.triggers import triggers
from obligo.errors import ObligoError, ObligoSemanticError, Severity
from obligo.events import EventLog, schema_for
from obligo.model.contract import Contract
from obligo.model.metrics import Metric
from obligo.report.rights import Assessment


def assess(contract: Contract, ctx: EvaluationContext, measure: Measure) -> Assessment:
    """Termination rights, escalation notices and triggers, up to the evaluation time.

    ``measure(metric)`` is the engine's measurement of a metric in every period of the
    evaluation, by period label (in ``evaluate``: ``lambda m: _measure(m, ctx, cache)``).
    """
    span = baseline_of(contract, ctx)
    clauses = effective_clauses(contract)
    judged = history(contract, ctx, measure, span, clauses)
    return Assessment(
        termination_rights=termination_rights(clauses, judged, ctx, measure, span),
        escalations=escalations(clauses, judged, ctx, measure, span),
        triggers=triggers(contract, judged, ctx, measure, span, margins_of(contract)),
    )


def measuring(ctx: EvaluationContext) -> Measure:
    """A measurement of metrics over ``ctx``, each metric measured once."""
    from obligo.engine.evaluation import _measure  # the engine's one dispatch over metric kinds

    cache: dict[str, Any] = {}

    def measure(metric: Metric) -> dict[str, Measurement]:
        return _measure(metric, ctx, cache)

    return measure


def assessment(
    contract: Contract,
    events: Sequence[Any] | Any,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> Assessment:
    """Rights and triggers of a contract against its event logs, as of ``at`` (default now)."""
    with opened(contract, events, at, skip_invalid=skip_invalid, mappings=mappings) as ctx:
        return assess(contract, ctx, measuring(ctx))


@contextlib.contextmanager
def opened(
    contract: Contract,
    events: Sequence[Any] | Any,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> Iterator[EvaluationContext]:
    """An evaluation context over a checked contract and its logs, as ``evaluate`` builds one
    (same checks, same errors); the log is closed on leaving."""
    diagnostics = check_contract(contract)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise ObligoSemanticError.from_diagnostics(diagnostics)
    scope = Scope.of(contract)
    if scope.timezone is None:
        raise ObligoError(
            "the contract names no timezone",
            file=contract.loc.file,
            line=contract.loc.line,
            column=1,
        )
    tz = ZoneInfo(scope.timezone)
    term = term_of(contract)
    if term is None:
        raise ObligoError(
            "the contract has no term: evaluation starts at the term's first day",
            file=contract.loc.file,
            line=contract.loc.line,
            column=1,
            hint="add a line such as: term 2026-01-01 to 2026-12-31",
        )
    if at is None:
        at = dt.datetime.now(tz)
    if at.tzinfo is None:
        raise ValueError("the evaluation time must be timezone-aware")
    at = at.astimezone(tz)
    schema = schema_for(contract, dict(mappings or {}))
    log = EventLog.load(_inputs(events), schema, tz, skip_invalid=skip_invalid)
    try:
        yield EvaluationContext(contract, scope, tz, at, term.start, term.end, log, schema)
    finally:
        log.close()


def _inputs(events: Any) -> list[Any]:
    """One input or a list of inputs; an iterable of dicts is one input (as in ``evaluate``)."""
    if isinstance(events, str | bytes) or hasattr(events, "read") or hasattr(events, "__fspath__"):
        return [events]
    items: list[Any] = list(events)
    if items and all(isinstance(e, Mapping) for e in items):
        return [items]
    return items

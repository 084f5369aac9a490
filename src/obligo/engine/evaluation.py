"""The evaluation: a checked contract and its event logs in, a :class:`Report` out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from obligo.checks import check_contract
from obligo.checks.names import walk
from obligo.checks.reporter import Scope, lineage
from obligo.engine import aggregates, availability, records, slices
from obligo.engine.accounting import account_lines
from obligo.engine.baseline import BaselineSpan, baseline_span
from obligo.engine.consequences import consequences, totals
from obligo.engine.context import EvaluationContext
from obligo.engine.measurement import Measurement
from obligo.engine.verdicts import judge, relative_target, target_fraction
from obligo.errors import ObligoError, ObligoSemanticError, Severity
from obligo.events import EventLog, schema_for
from obligo.model import metrics as m
from obligo.model.clauses import BaselineTarget
from obligo.model.conditions import Selection
from obligo.model.contract import Contract
from obligo.report.model import BaselineRef, ContractRef, Rejection, Report, Verdict, Window

EventInput = Any  # a path, "-", an open file, or an iterable of dicts


def evaluate(
    contract: Contract,
    events: Sequence[EventInput] | EventInput,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
) -> Report:
    """Evaluate every objective of a contract in every measurement period up to ``at``.

    ``events`` is one input or a list of inputs: paths (JSON Lines, CSV, gzip forms, Parquet),
    ``"-"`` for standard input, open files, or an iterable of dicts. ``at`` is the evaluation time
    (timezone-aware; default now); the period that contains it is ``pending``. Every period is
    evaluated from the start of the term; ``window_start``/``window_end`` only choose the
    periods shown. Raises :class:`~obligo.ObligoSemanticError` when the contract has errors and
    :class:`~obligo.EventDataError` on bad data unless ``skip_invalid``.
    """
    diagnostics = check_contract(contract)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
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
    term = contract.term or next((c.term for c in lineage(contract) if c.term), None)
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
    inputs = _as_inputs(events)
    schema = schema_for(contract, dict(mappings or {}))
    log = EventLog.load(inputs, schema, tz, skip_invalid=skip_invalid)
    try:
        ctx = EvaluationContext(contract, scope, tz, at, term.start, term.end, log, schema)
        cache: dict[str, Any] = {}
        span = baseline_span(
            next((level.baseline for level in lineage(contract) if level.baseline), None),
            term.start,
            tz,
        )
        clauses = _effective_clauses(contract)
        targets: dict[tuple[str, int, str | None], Fraction | None] = {}
        verdicts = _verdicts(clauses, ctx, cache, span, targets)
        owed = consequences(
            contract,
            ctx,
            clauses,
            verdicts,
            lambda metric: _measure(metric, ctx, cache),
            span,
            targets,
        )
        accounts = account_lines(contract, ctx)
    finally:
        log.close()
    shown = [
        v for v in verdicts if _shown(v.period.start, v.period.end, window_start, window_end, ctx)
    ]
    owed_shown = [
        o for o in owed if _shown(o.period.start, o.period.end, window_start, window_end, ctx)
    ]
    return Report(
        contract=ContractRef(id=contract.id, version=contract.version, title=contract.title),
        evaluated_at=at,
        timezone=scope.timezone,
        window=Window(start=window_start, end=window_end),
        inputs=accounts,
        merges=log.merges,
        rejected=len(log.rejections),
        rejections=[Rejection(file=r.file, line=r.line, reason=r.reason) for r in log.rejections],
        baseline=None
        if span is None
        else BaselineRef(
            first=span.first, last=span.after - dt.timedelta(days=1), ended=at >= span.end
        ),
        verdicts=shown,
        consequences=owed_shown,
        totals=totals(owed_shown, scope.currency),
    )


def _as_inputs(events: Any) -> list[Any]:
    if isinstance(events, str | bytes) or hasattr(events, "read") or hasattr(events, "__fspath__"):
        return [events]
    items: list[Any] = list(events)
    if items and all(isinstance(e, Mapping) for e in items):
        return [items]  # one iterable of records
    return items


Evaluator = Callable[[m.Metric, EvaluationContext], dict[str, Measurement]]


def _measure(
    metric: m.Metric, ctx: EvaluationContext, cache: dict[str, Any]
) -> dict[str, Measurement]:
    key = "measure:" + metric.id
    if key in cache:
        return cache[key]  # type: ignore[no-any-return]
    downtimes: dict[str, availability.Downtime] = cache.setdefault("downtime", {})
    measure = metric.measure
    result: dict[str, Measurement]
    if isinstance(measure, m.Availability):
        result = availability.availability(metric, ctx, downtimes)
    elif isinstance(measure, m.TotalDuration):
        result = availability.total_duration(metric, ctx, downtimes)
    elif isinstance(measure, m.MeanTimeToRepair | m.MeanTimeBetweenFailures):
        result = availability.repair_times(metric, ctx, downtimes)
    elif isinstance(measure, m.SliceAverage):
        result = slices.slice_average(metric, ctx)
    elif isinstance(measure, m.Ratio):
        result = aggregates.ratio(metric, ctx)
    elif isinstance(measure, m.Aggregate):
        result = aggregates.aggregate(metric, ctx)
    else:
        result = records.share_within_target(metric, ctx)
    _unmeasured(metric, ctx, result)
    cache[key] = result
    return result


def _unmeasured(metric: m.Metric, ctx: EvaluationContext, result: dict[str, Measurement]) -> None:
    """A metric that no log feeds is unmeasured in every period, never silently compliant (a
    count or a total duration of a record type the log never mentions would otherwise be 0)."""
    if metric.down_when is not None:
        return  # a composite is measured when its components are
    # The records the value is made of; deployment records (`only while`) only bound the time.
    sources = metric.model_copy(update={"only_while": ()})
    types = sorted({n.record_type for n in walk(sources) if isinstance(n, Selection)})
    if not types:
        return
    if ctx.has_records(types):
        return
    reason = "unmeasured: the log has no " + " or ".join(f"{t} records" for t in types)
    for measurement in result.values():
        measurement.value = None
        measurement.no_data = reason
        measurement.budget = None
        for group in measurement.groups.values():
            group.value, group.no_data, group.budget = None, reason, None


def _verdicts(
    clauses: list[Any],
    ctx: EvaluationContext,
    cache: dict[str, Any],
    span: BaselineSpan | None,
    targets: dict[tuple[str, int, str | None], Fraction | None],
) -> list[Verdict]:
    """Every verdict, of every period from the start of the term (the window only chooses
    which are shown). ``targets`` receives the exact target of each promise and group, which
    the consequences need (a tier by exceedance, a target relative to the baseline)."""
    verdicts: list[Verdict] = []
    for clause in clauses:
        for index, objective in enumerate(clause.promises):
            metric = ctx.metric(objective.metric)
            measured = _measure(metric, ctx, cache)
            periods = ctx.periods(metric.period)
            # A promise without `for` on a metric measured `by` a field is a promise for each
            # group: one verdict per group and period, for every group seen in any period.
            groups: list[str | None] = [None]
            if objective.group is None and getattr(metric.measure, "group_by", None):
                seen = sorted({g for m_ in measured.values() for g in m_.groups})
                groups = list(seen) if seen else [None]
            named = getattr(objective.group, "value", None)
            for group in groups:
                judged = group if group is not None else (None if named is None else str(named))
                relative = None
                if isinstance(objective.target, BaselineTarget):
                    relative = relative_target(objective, measured, periods, span, ctx.at, judged)
                    targets[(clause.id, index, judged)] = relative.target
                else:
                    dimension = next(iter(measured.values())).dimension if measured else "percent"
                    targets[(clause.id, index, judged)] = target_fraction(
                        objective.target, dimension
                    )
                for period in periods:
                    verdicts.append(
                        judge(
                            clause,
                            objective,
                            metric,
                            period,
                            measured[period.label],
                            ctx.at,
                            each_group=group,
                            baseline=span is not None and span.covers(period.start),
                            relative=relative,
                        )
                    )
    return verdicts


def _effective_clauses(contract: Contract) -> list[Any]:
    """The clauses in force: this level's, then inherited ones that no lower level overrides."""
    seen: dict[str, Any] = {}
    for level in lineage(contract):
        for clause in level.clauses:
            seen.setdefault(clause.id, clause)
    return list(seen.values())


def _shown(
    start: dt.datetime,
    end: dt.datetime,
    first: dt.date | None,
    last: dt.date | None,
    ctx: EvaluationContext,
) -> bool:
    if first is not None and end <= dt.datetime.combine(first, dt.time(), ctx.tz):
        return False
    if last is not None and start >= dt.datetime.combine(
        last + dt.timedelta(days=1), dt.time(), ctx.tz
    ):
        return False
    return True

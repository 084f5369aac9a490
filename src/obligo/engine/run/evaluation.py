"""The evaluation: a resolved contract and its event logs in, a :class:`Report` out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction

from obligo.engine.consequences import consequences, totals
from obligo.engine.context import EvaluationContext
from obligo.engine.judge.history import baseline_of, history
from obligo.engine.rights.assessment import assess
from obligo.engine.rights.positions import net_positions, supplier_positions
from obligo.engine.run.accounting import account_lines
from obligo.engine.run.session import EventInput, Measurer, opened
from obligo.report.assemble import assessment, period_ref, verdict
from obligo.report.model import BaselineRef, ContractRef, PeriodRef, Rejection, Report, Window
from obligo.resolve import ResolvedContract


def evaluate(
    agreement: ResolvedContract,
    events: Sequence[EventInput] | EventInput,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
) -> Report:
    """Evaluate every objective of a resolved contract in every measurement period up to
    ``at`` (:func:`obligo.evaluate` checks and resolves a contract, then calls this).

    ``events`` is one input or a list of inputs: paths (JSON Lines, CSV, gzip forms, Parquet),
    ``"-"`` for standard input, open files, or an iterable of dicts. ``at`` is the evaluation time
    (timezone-aware; default now); the period that contains it is ``pending``. Every period is
    evaluated from the start of the term; ``window_start``/``window_end`` only choose the
    periods shown. Raises :class:`~obligo.EventDataError` on bad data unless ``skip_invalid``.
    """
    with opened(agreement, events, at, skip_invalid=skip_invalid, mappings=mappings) as ctx:
        return report_of(ctx, window_start, window_end)


def report_of(
    ctx: EvaluationContext,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
    *,
    account: bool = True,
) -> Report:
    """The report of the context's contract. ``account=False`` leaves the line account out (an
    agreement set accounts for its shared log once)."""
    measure = Measurer(ctx)
    agreement = ctx.agreement
    contract = agreement.contract
    span = baseline_of(ctx)
    clauses = agreement.clauses
    # Every objective in every period from the start of the term, whatever is shown: the
    # consequences and rights of a period depend on the periods before it.
    judged = history(ctx, measure, span, clauses)
    targets: dict[tuple[str, int, str | None], Fraction | None] = {
        (j.clause.id, j.clause.promises.index(j.objective), j.group): j.target for j in judged
    }
    owed = consequences(ctx, clauses, judged, measure, span, targets)
    rights = assessment(assess(ctx, measure, judged), ctx.tz)

    def visible(period: PeriodRef) -> bool:
        return _shown(period.start, period.end, window_start, window_end, ctx)

    zone = ctx.at.tzinfo
    shown = [j for j in judged if visible(period_ref(j.period, zone))]
    owed_shown = [o for o in owed if visible(o.period)]
    log, at = ctx.log, ctx.at
    return Report(
        contract=ContractRef(id=contract.id, version=contract.version, title=contract.title),
        evaluated_at=at,
        timezone=ctx.tz.key,
        window=Window(start=window_start, end=window_end),
        inputs=account_lines(ctx) if account else [],
        merges=log.merges,
        rejected=len(log.rejections),
        rejections=[Rejection(file=r.file, line=r.line, reason=r.reason) for r in log.rejections],
        baseline=None
        if span is None
        else BaselineRef(
            first=span.first, last=span.after - dt.timedelta(days=1), ended=at >= span.end
        ),
        verdicts=[verdict(j, zone) for j in shown],
        consequences=owed_shown,
        totals=totals(owed_shown, agreement.currency),
        termination_rights=rights.termination_rights,
        escalations=rights.escalations,
        triggers=rights.triggers,
        suppliers=supplier_positions(ctx, measure, shown, owed_shown, visible),
        net_position=net_positions(ctx, owed_shown),
    )


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

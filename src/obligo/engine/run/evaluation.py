"""The evaluation: a resolved contract and its event logs in, the engine's values out
(:class:`Evaluation`: the passes' outputs for the periods shown); ``obligo.report.evaluation``
makes the :class:`~obligo.report.model.Report` of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from zoneinfo import ZoneInfo

from obligo.engine.consequences import Owed, Totals, consequences, totals
from obligo.engine.context import EvaluationContext
from obligo.engine.judge.baseline import BaselineSpan
from obligo.engine.judge.history import Judged, baseline_of, history
from obligo.engine.rights.assessment import Rights, assess
from obligo.engine.rights.positions import (
    NetPosition,
    SupplierPosition,
    net_positions,
    supplier_positions,
)
from obligo.engine.run.accounting import LineAccount, account_lines
from obligo.engine.run.session import EventInput, Measurer, opened
from obligo.engine.time.periods import MeasurementPeriod
from obligo.events import Rejection
from obligo.resolve import ResolvedContract


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What an evaluation found, as the engine's own values: the contract evaluated, the
    evaluation time (in the contract's timezone) and the window of periods shown, the line
    account (empty when the caller accounts for a shared log), the log's merges and rejected
    lines, the baseline, and for the periods shown the judged objectives, what the clauses owe
    and its totals, the suppliers' and net positions; the rights and triggers."""

    agreement: ResolvedContract
    at: dt.datetime
    tz: ZoneInfo
    window_start: dt.date | None
    window_end: dt.date | None
    inputs: tuple[LineAccount, ...]
    merges: int
    rejections: tuple[Rejection, ...]
    span: BaselineSpan | None
    judged: tuple[Judged, ...]
    owed: tuple[Owed, ...]
    totals: Totals
    rights: Rights
    suppliers: tuple[SupplierPosition, ...]
    net_position: tuple[NetPosition, ...]


def evaluate(
    agreement: ResolvedContract,
    events: Sequence[EventInput] | EventInput,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
) -> Evaluation:
    """Evaluate every objective of a resolved contract in every measurement period up to
    ``at`` (:func:`obligo.evaluate` checks and resolves a contract, calls this, then makes the
    report of it).

    ``events`` is one input or a list of inputs: paths (JSON Lines, CSV, gzip forms, Parquet),
    ``"-"`` for standard input, open files, or an iterable of dicts. ``at`` is the evaluation time
    (timezone-aware; default now); the period that contains it is ``pending``. Every period is
    evaluated from the start of the term; ``window_start``/``window_end`` only choose the
    periods shown. Raises :class:`~obligo.EventDataError` on bad data unless ``skip_invalid``.
    """
    with opened(agreement, events, at, skip_invalid=skip_invalid, mappings=mappings) as ctx:
        return evaluation_of(ctx, window_start, window_end)


def evaluation_of(
    ctx: EvaluationContext,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
    *,
    account: bool = True,
) -> Evaluation:
    """The evaluation of the context's contract. ``account=False`` leaves the line account out (an
    agreement set accounts for its shared log once)."""
    measure = Measurer(ctx)
    agreement = ctx.agreement
    span = baseline_of(ctx)
    clauses = agreement.clauses
    # Every objective in every period from the start of the term, whatever is shown: the
    # consequences and rights of a period depend on the periods before it.
    judged = history(ctx, measure, span, clauses)
    targets: dict[tuple[str, int, str | None], Fraction | None] = {
        (j.clause.id, j.clause.promises.index(j.objective), j.group): j.target for j in judged
    }
    # A key measurement before its promotion is judged and shown, and gives nothing.
    counted = [j for j in judged if not j.reported_only]
    owed = consequences(ctx, clauses, counted, measure, span, targets)
    rights = assess(ctx, measure, judged)

    tz = ctx.tz

    def visible(period: MeasurementPeriod) -> bool:
        # The bounds in the contract's timezone, compared with its midnights (as the report
        # writes them).
        start, end = period.start.astimezone(tz), period.end.astimezone(tz)
        return _shown(start, end, window_start, window_end, ctx)

    shown = tuple(j for j in judged if visible(j.period))
    owed_shown = tuple(o for o in owed if visible(o.period))
    log = ctx.log
    return Evaluation(
        agreement=agreement,
        at=ctx.at,
        tz=ctx.tz,
        window_start=window_start,
        window_end=window_end,
        inputs=tuple(account_lines(ctx)) if account else (),
        merges=log.merges,
        rejections=tuple(log.rejections),
        span=span,
        judged=shown,
        owed=owed_shown,
        totals=totals(owed_shown, agreement.currency),
        rights=rights,
        suppliers=tuple(supplier_positions(ctx, measure, shown, owed_shown, visible)),
        net_position=tuple(net_positions(ctx, owed_shown)),
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

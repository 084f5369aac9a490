"""Rights and triggers of an evaluation: the one entry point the evaluation calls.

``assess(ctx, measure)`` is called once the objectives are judged, with the evaluation's own
measurement of metrics (so nothing is measured twice); it returns the termination rights that
arose, the escalation notices due and the triggers that fired, each list in time order: the
engine's values (:class:`Rights`), from which ``obligo.report.assemble`` makes the report's
``Assessment``. It judges the whole history itself, so that what it finds never depends on the
window of periods a report shows.

:func:`obligo.engine.run.assessment.assessment` runs it on its own, from a resolved contract and
its logs.
"""

from __future__ import annotations

from dataclasses import dataclass

from obligo.engine.context import EvaluationContext
from obligo.engine.judge.history import Judged, Measure, baseline_of, history, margins_of
from obligo.engine.rights.termination import (
    NoticeDue,
    RightArisen,
    escalations,
    termination_rights,
)
from obligo.engine.rights.triggers import Fired, triggers


@dataclass(frozen=True, slots=True)
class Rights:
    """Rights and triggers of one evaluation, each list in time order (the report's
    ``Assessment``, made from it by ``obligo.report.assemble``)."""

    termination_rights: list[RightArisen]
    escalations: list[NoticeDue]
    triggers: list[Fired]


def assess(
    ctx: EvaluationContext,
    measure: Measure,
    judged: list[Judged] | None = None,
) -> Rights:
    """Termination rights, escalation notices and triggers, up to the evaluation time.

    ``measure(metric)`` is the engine's measurement of a metric in every period of the
    evaluation, by period label (in ``evaluate``: ``lambda m: _measure(m, ctx, cache)``).
    """
    span = baseline_of(ctx)
    clauses = ctx.agreement.clauses
    if judged is None:
        judged = history(ctx, measure, span, clauses)
    # A key measurement before its promotion gives no right and sets off no trigger.
    judged = [j for j in judged if not j.reported_only]
    return Rights(
        termination_rights=termination_rights(clauses, judged, ctx, measure, span),
        escalations=escalations(clauses, judged, ctx, measure, span),
        triggers=triggers(judged, ctx, measure, span, margins_of(ctx.agreement)),
    )

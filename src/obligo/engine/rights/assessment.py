"""Rights and triggers of an evaluation: the one entry point the evaluation calls.

``assess(ctx, measure)`` is called once the verdicts exist, with the evaluation's own
measurement of metrics (so nothing is measured twice); it returns the termination rights that
arose, the escalation notices due and the triggers that fired, each list in time order, every
time in the contract's timezone. It judges the whole history itself, so that what it finds never
depends on the window of periods a report shows.

:func:`obligo.engine.run.assessment.assessment` runs it on its own, from a resolved contract and
its logs.
"""

from __future__ import annotations

from obligo.engine.context import EvaluationContext
from obligo.engine.judge.history import Judged, Measure, baseline_of, history, margins_of
from obligo.engine.rights.termination import escalations, termination_rights
from obligo.engine.rights.triggers import triggers
from obligo.report.rights import Assessment


def assess(
    ctx: EvaluationContext,
    measure: Measure,
    judged: list[Judged] | None = None,
) -> Assessment:
    """Termination rights, escalation notices and triggers, up to the evaluation time.

    ``measure(metric)`` is the engine's measurement of a metric in every period of the
    evaluation, by period label (in ``evaluate``: ``lambda m: _measure(m, ctx, cache)``).
    """
    span = baseline_of(ctx)
    clauses = ctx.agreement.clauses
    if judged is None:
        judged = history(ctx, measure, span, clauses)
    return Assessment(
        termination_rights=termination_rights(clauses, judged, ctx, measure, span),
        escalations=escalations(clauses, judged, ctx, measure, span),
        triggers=triggers(judged, ctx, measure, span, margins_of(ctx.agreement)),
    )

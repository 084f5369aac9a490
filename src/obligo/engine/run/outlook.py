"""An evaluation with what a service review adds to it (``obligo review``): the metrics no
clause promises, measured period by period as every metric is, and the dates it looks ahead to
(scheduled reviews, notices before the end of the term, supplier contracts ending before it),
both from the same context the evaluation ran in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from obligo.engine.context import EvaluationContext
from obligo.engine.measure.measurement import Measurement
from obligo.engine.rights.triggers import Fired, ahead
from obligo.engine.run.evaluation import Evaluation, evaluation_of
from obligo.engine.run.session import EventInput, Measurer, opened
from obligo.engine.time.periods import MeasurementPeriod
from obligo.model.metrics import Metric
from obligo.resolve import ResolvedContract


@dataclass(frozen=True, slots=True)
class Unpromised:
    """A metric no clause promises (``metric ...`` reported to the review only): its periods
    from the start of the term (bounds in UTC) and its measurement in each, by label."""

    metric: Metric
    periods: tuple[MeasurementPeriod, ...]
    measured: Mapping[str, Measurement]


@dataclass(frozen=True, slots=True)
class ReviewExtras:
    """What dates alone fix after the evaluation time, in time order, and the metrics no clause
    promises, in the order of the contract."""

    coming: tuple[Fired, ...]
    unpromised: tuple[Unpromised, ...]


@dataclass(frozen=True, slots=True)
class Outlook:
    evaluation: Evaluation
    extras: ReviewExtras


def review_extras(ctx: EvaluationContext) -> ReviewExtras:
    """Measured after the evaluation, so that its line account is the evaluation's own."""
    promised = {o.metric for clause in ctx.agreement.clauses for o in clause.promises}
    measure = Measurer(ctx)
    unpromised = tuple(
        Unpromised(metric, tuple(ctx.periods(metric.period)), measure(metric))
        for metric in ctx.agreement.metrics.values()
        if metric.id not in promised
    )
    return ReviewExtras(tuple(ahead(ctx)), unpromised)


def evaluate_with_outlook(
    agreement: ResolvedContract,
    events: Sequence[EventInput] | EventInput,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> Outlook:
    """:func:`obligo.engine.run.evaluation.evaluate`, and what a review adds to it."""
    with opened(agreement, events, at, skip_invalid=skip_invalid, mappings=mappings) as ctx:
        evaluation = evaluation_of(ctx)
        return Outlook(evaluation, review_extras(ctx))

"""An evaluation with what is coming after it: the dates a service review looks ahead to
(scheduled reviews, notices before the end of the term, supplier contracts ending before it),
from the same context the evaluation ran in (``obligo review``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from obligo.engine.rights.triggers import Fired, ahead
from obligo.engine.run.evaluation import Evaluation, evaluation_of
from obligo.engine.run.session import EventInput, opened
from obligo.resolve import ResolvedContract


@dataclass(frozen=True, slots=True)
class Outlook:
    """An evaluation, and what dates alone fix after its evaluation time, in time order."""

    evaluation: Evaluation
    coming: tuple[Fired, ...]


def evaluate_with_outlook(
    agreement: ResolvedContract,
    events: Sequence[EventInput] | EventInput,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> Outlook:
    """:func:`obligo.engine.run.evaluation.evaluate`, and what is coming after ``at``."""
    with opened(agreement, events, at, skip_invalid=skip_invalid, mappings=mappings) as ctx:
        return Outlook(evaluation_of(ctx), tuple(ahead(ctx)))

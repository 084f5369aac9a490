"""``obligo baseline``: how each objective's current target fares against the history in a log,
so that targets are set at reasonable and achievable levels.

For each objective (each group of a grouped one), the closed periods from the start of the term
to the evaluation time, with their values; the level achieved in 50%, 90% and 99% of the periods
with a value; and for each period and each level whether the current target would have been
breached, met narrowly, met, or met by a wide margin (``margins``, default: at most 20% of the
error budget used is wide, more than 80% narrow).

The level achieved in p% of n periods is the nearest-rank value counted from the best: the
values sorted best first (highest first for ``>=``/``>``, lowest first for ``<=``/``<``), the
one at rank ⌈p × n ÷ 100⌉. At least p% of the periods achieved it or better, and it is always a
value that was measured. ``=`` and ``!=`` have no better direction and no levels.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal
from zoneinfo import ZoneInfo

from obligo.engine.judge.baseline import BaselineSpan
from obligo.engine.judge.history import (
    Judged,
    Outcome,
    baseline_of,
    budget_used,
    history,
    margins_of,
    outcome_of,
)
from obligo.engine.judge.verdicts import compare
from obligo.engine.run.session import Measurer, opened
from obligo.resolve import ResolvedContract

SHARES = (50, 90, 99)

Better = Literal["higher", "lower"]


@dataclass(frozen=True, slots=True)
class PastOutcome:
    """One closed period of an objective: as judged, the share of the error budget it used,
    how it fared against the current target (None: the target is not known)."""

    judged: Judged
    used: Fraction | None
    outcome: Outcome | None


@dataclass(frozen=True, slots=True)
class Level:
    """The level achieved in at least ``share`` percent of the periods with a value (exactly),
    how many periods achieved it or better, and how the current target fares against it."""

    share: int
    value: Fraction
    periods: int
    outcome: Outcome | None


@dataclass(frozen=True, slots=True)
class ObjectiveRecord:
    """The history of one objective (one group of it): its first judged period (the clause,
    the objective, its target), the better direction, the closed periods, how many have a
    value, the levels achieved and the outcomes counted (in the order first met)."""

    first: Judged
    better: Better | None
    past: tuple[PastOutcome, ...]
    valued: int
    levels: tuple[Level, ...]
    outcomes: tuple[tuple[Outcome, int], ...]


@dataclass(frozen=True, slots=True)
class BaselineHistory:
    """What ``obligo baseline`` found: the contract, the evaluation time and timezone, the
    baseline, the margins (wide at most, narrow above: percent of the error budget), and the
    history of every objective."""

    agreement: ResolvedContract
    at: dt.datetime
    tz: ZoneInfo
    span: BaselineSpan | None
    margins: tuple[Fraction, Fraction]
    objectives: tuple[ObjectiveRecord, ...]


def baseline_report(
    agreement: ResolvedContract,
    events: Sequence[Any] | Any,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> BaselineHistory:
    """The history of every objective of a resolved contract in a log, as of ``at`` (default
    now); ``obligo.report.history`` makes the ``BaselineReport`` of it.

    ``events`` is what :func:`obligo.evaluate` takes. Raises the errors ``evaluate`` raises.
    """
    with opened(agreement, events, at, skip_invalid=skip_invalid, mappings=mappings) as ctx:
        span = baseline_of(ctx)
        margins = margins_of(agreement)
        judged = history(ctx, Measurer(ctx), span, agreement.clauses)
        objectives: dict[tuple[str, int, str | None], list[Judged]] = {}
        for item in judged:
            key = (item.clause.id, id(item.objective), item.group)
            objectives.setdefault(key, []).append(item)
        return BaselineHistory(
            agreement=agreement,
            at=ctx.at,
            tz=ctx.tz,
            span=span,
            margins=margins,
            objectives=tuple(_objective(items, margins) for items in objectives.values()),
        )


def _objective(items: list[Judged], margins: tuple[Fraction, Fraction]) -> ObjectiveRecord:
    first = items[0]
    objective = first.objective
    better = _better(objective.op)
    past = [j for j in items if j.closed]
    periods: list[PastOutcome] = []
    counts: dict[Outcome, int] = {}
    for item in past:
        used = item.used
        outcome = None if item.target is None else outcome_of(item.status, used, margins)
        if outcome is not None:
            counts[outcome] = counts.get(outcome, 0) + 1
        periods.append(PastOutcome(item, used, outcome))
    values = [j.value for j in past if j.value is not None and not j.short]
    levels: list[Level] = []
    if better is not None and values:
        for share in SHARES:
            level, achieved = achieved_level(values, share, better)
            levels.append(Level(share, level, achieved, _level_outcome(first, level, margins)))
    return ObjectiveRecord(
        first=first,
        better=better,
        past=tuple(periods),
        valued=len(values),
        levels=tuple(levels),
        outcomes=tuple(counts.items()),
    )


def _better(op: str) -> Better | None:
    if op in (">=", ">"):
        return "higher"
    if op in ("<=", "<"):
        return "lower"
    return None


def achieved_level(
    values: Sequence[Fraction], share: int, better: Literal["higher", "lower"]
) -> tuple[Fraction, int]:
    """The level achieved in at least ``share`` percent of the values (nearest rank from the
    best), and how many values achieved it or better."""
    ranked = sorted(values, reverse=better == "higher")
    rank = max(1, math.ceil(Fraction(share * len(ranked), 100)))
    level = ranked[rank - 1]
    if better == "higher":
        achieved = sum(1 for v in ranked if v >= level)
    else:
        achieved = sum(1 for v in ranked if v <= level)
    return level, achieved


def _level_outcome(
    item: Judged, level: Fraction, margins: tuple[Fraction, Fraction]
) -> Outcome | None:
    """The current target against a level, as if a period had measured it."""
    if item.target is None:
        return None
    status = "met" if compare(level, item.objective.op, item.target) else "breached"
    used = budget_used(level, item.objective.op, item.target, item.dimension)
    return outcome_of(status, used, margins)

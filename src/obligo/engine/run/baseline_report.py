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
from fractions import Fraction
from typing import Any, Literal

from obligo.engine.judge.history import (
    Judged,
    baseline_of,
    budget_used,
    history,
    margins_of,
    outcome_of,
)
from obligo.engine.judge.verdicts import compare
from obligo.engine.numbers import decimal_text
from obligo.engine.run.session import Measurer, opened
from obligo.report.baseline import (
    AchievedLevel,
    BaselineDates,
    BaselineReport,
    MarginShares,
    ObjectiveHistory,
    Outcome,
    OutcomeCounts,
    PastPeriod,
)
from obligo.report.model import ContractRef, Location
from obligo.resolve import ResolvedContract

SHARES = (50, 90, 99)


def baseline_report(
    agreement: ResolvedContract,
    events: Sequence[Any] | Any,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> BaselineReport:
    """The history of every objective of a resolved contract in a log, as of ``at`` (default
    now).

    ``events`` is what :func:`obligo.evaluate` takes. Raises the errors ``evaluate`` raises.
    """
    contract = agreement.contract
    with opened(agreement, events, at, skip_invalid=skip_invalid, mappings=mappings) as ctx:
        span = baseline_of(ctx)
        margins = margins_of(agreement)
        judged = history(ctx, Measurer(ctx), span, agreement.clauses)
        objectives: dict[tuple[str, int, str | None], list[Judged]] = {}
        for item in judged:
            key = (item.clause.id, id(item.objective), item.group)
            objectives.setdefault(key, []).append(item)
        return BaselineReport(
            contract=ContractRef(id=contract.id, version=contract.version, title=contract.title),
            evaluated_at=ctx.at,
            timezone=ctx.tz.key,
            baseline=(
                None
                if span is None
                else BaselineDates(first=span.first, last=span.after - dt.timedelta(days=1))
            ),
            margins=MarginShares(
                wide_at_most=decimal_text(margins[0]), narrow_above=decimal_text(margins[1])
            ),
            objectives=[_objective(items, margins, ctx.tz) for items in objectives.values()],
        )


def _objective(
    items: list[Judged], margins: tuple[Fraction, Fraction], tz: dt.tzinfo
) -> ObjectiveHistory:
    first = items[0]
    objective = first.objective
    better = _better(objective.op)
    past = [j for j in items if j.closed]
    periods: list[PastPeriod] = []
    counts: dict[str, int] = {}
    for item in past:
        used = item.used
        outcome = None if item.target is None else outcome_of(item.status, used, margins)
        if outcome is not None:
            counts[outcome] = counts.get(outcome, 0) + 1
        periods.append(
            PastPeriod(
                label=item.period.label,
                start=item.period.start.astimezone(tz),
                end=item.period.end.astimezone(tz),
                partial=item.period.partial,
                baseline=item.baseline,
                status=item.status,
                reason=item.reason,
                value=None if item.value is None else decimal_text(item.value),
                budget_used=None if used is None else decimal_text(used),
                outcome=outcome,
            )
        )
    values = [j.value for j in past if j.value is not None and not j.short]
    levels: list[AchievedLevel] = []
    if better is not None and values:
        for share in SHARES:
            level, achieved = achieved_level(values, share, better)
            levels.append(
                AchievedLevel(
                    share=share,
                    value=decimal_text(level),
                    periods=achieved,
                    outcome=_level_outcome(first, level, margins),
                )
            )
    return ObjectiveHistory(
        clause=first.clause.id,
        clause_title=first.clause.title,
        location=Location(
            file=first.clause.loc.file, line=objective.loc.line, column=objective.loc.column
        ),
        metric=first.metric.id,
        group=first.group,
        objective=first.objective_text,
        target=str(objective.target),
        target_value=None if first.target is None else decimal_text(first.target),
        unit=first.unit,
        better=better,
        periods=periods,
        valued=len(values),
        levels=levels,
        outcomes=OutcomeCounts(**counts),
    )


def _better(op: str) -> Literal["higher", "lower"] | None:
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

"""The report of ``obligo baseline``, assembled from the engine's values at the end
(``obligo.engine.run.baseline_report.BaselineHistory``): decimals as the report writes them,
times in the contract's timezone."""

from __future__ import annotations

import datetime as dt

from obligo.engine.numbers import decimal_text
from obligo.engine.run.baseline_report import BaselineHistory, ObjectiveRecord
from obligo.report.assemble import shown_group
from obligo.report.baseline import (
    AchievedLevel,
    BaselineDates,
    BaselineReport,
    MarginShares,
    ObjectiveHistory,
    OutcomeCounts,
    PastPeriod,
)
from obligo.report.model import ContractRef, Location


def baseline_report(found: BaselineHistory) -> BaselineReport:
    """The history of every objective, as ``obligo baseline`` shows it."""
    contract = found.agreement.contract
    span = found.span
    wide, narrow = found.margins
    return BaselineReport(
        contract=ContractRef(id=contract.id, version=contract.version, title=contract.title),
        evaluated_at=found.at,
        timezone=found.tz.key,
        baseline=(
            None
            if span is None
            else BaselineDates(first=span.first, last=span.after - dt.timedelta(days=1))
        ),
        margins=MarginShares(wide_at_most=decimal_text(wide), narrow_above=decimal_text(narrow)),
        objectives=[_objective(item, found.tz) for item in found.objectives],
    )


def _objective(item: ObjectiveRecord, tz: dt.tzinfo) -> ObjectiveHistory:
    first = item.first
    objective = first.objective
    return ObjectiveHistory(
        clause=first.clause.id,
        clause_title=first.clause.title,
        location=Location(
            file=first.clause.loc.file, line=objective.loc.line, column=objective.loc.column
        ),
        metric=first.metric.id,
        group=shown_group(first.group, first.metric),
        objective=first.objective_text,
        target=str(objective.target),
        target_value=None if first.target is None else decimal_text(first.target),
        unit=first.unit,
        better=item.better,
        periods=[
            PastPeriod(
                label=past.judged.period.label,
                start=past.judged.period.start.astimezone(tz),
                end=past.judged.period.end.astimezone(tz),
                partial=past.judged.period.partial,
                baseline=past.judged.baseline,
                reported_only=past.judged.reported_only,
                status=past.judged.status,
                reason=past.judged.reason,
                value=None if past.judged.value is None else decimal_text(past.judged.value),
                budget_used=None if past.used is None else decimal_text(past.used),
                outcome=past.outcome,
            )
            for past in item.past
        ],
        valued=item.valued,
        levels=[
            AchievedLevel(
                share=level.share,
                value=decimal_text(level.value),
                periods=level.periods,
                outcome=level.outcome,
            )
            for level in item.levels
        ],
        outcomes=OutcomeCounts(**dict(item.outcomes)),
    )

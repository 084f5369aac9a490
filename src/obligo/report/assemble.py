"""The report, assembled from the engine's values at the end of an evaluation.

The engine's passes hand each other values of their own (exact fractions, times in UTC, statuses
as literals); the report stage is the one place they become report nodes: decimals as the report
writes them, times in the contract's timezone, evidence cut to what a report shows. This module
makes the verdicts, their evidence, the rights and triggers; ``consequences`` the consequences,
totals and positions; ``evaluation`` the whole report; ``history`` the baseline's.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from obligo.engine.judge.breach_runs import LongRecord, PeriodNote
from obligo.engine.judge.history import Judged
from obligo.engine.judge.verdicts import UNITS
from obligo.engine.measure import groups as group_keys
from obligo.engine.measure.measurement import TOP, Contribution, Measurement
from obligo.engine.numbers import decimal_text
from obligo.engine.rights.assessment import Rights
from obligo.engine.rights.termination import NoticeDue, RightArisen
from obligo.engine.rights.triggers import Fired
from obligo.engine.time.intervals import seconds
from obligo.engine.time.periods import MeasurementPeriod
from obligo.model.base import SourceLocation
from obligo.report.model import (
    Contributor,
    ErrorBudget,
    Evidence,
    ExclusionApplied,
    ExclusionRefused,
    Location,
    PauseShown,
    PeriodRef,
    Verdict,
)
from obligo.report.rights import (
    Assessment,
    BaselineComparison,
    EscalationNotice,
    Outage,
    TerminationRightArisen,
    TriggerFired,
    TriggerPeriod,
)
from obligo.syntax import printer

_LAST = dt.datetime.max.replace(tzinfo=dt.UTC)
_FIRST = dt.datetime.min.replace(tzinfo=dt.UTC)


def period_ref(period: MeasurementPeriod, zone: dt.tzinfo | None) -> PeriodRef:
    """A measurement period as the report names it: its bounds in ``zone``."""
    return PeriodRef(
        label=period.label,
        start=period.start.astimezone(zone),
        end=period.end.astimezone(zone),
        partial=period.partial,
    )


def shown_group(key: str | None, metric: object) -> str | dict[str, str] | None:
    """A group as the report names it: by one field, its value; by several (``, by project,
    region``), an object of the field values."""
    fields: tuple[str, ...] = getattr(getattr(metric, "measure", None), "group_by", ())
    return group_keys.named(key, fields)


def verdict(judged: Judged, zone: dt.tzinfo | None) -> Verdict:
    """The verdict the report shows for one judged objective (one group of it) in one period,
    times in ``zone`` (the contract's timezone)."""
    clause, objective, measurement = judged.clause, judged.objective, judged.measurement
    budget = judged.budget
    return Verdict(
        clause=clause.id,
        clause_title=clause.title,
        location=Location(
            file=clause.loc.file, line=objective.loc.line, column=objective.loc.column
        ),
        metric=judged.metric.id,
        group=shown_group(judged.group, judged.metric),
        objective=printer.objective(objective),
        period=period_ref(judged.period, zone),
        baseline=judged.baseline,
        reported_only=judged.reported_only,
        status=judged.status,
        reason=judged.reason,
        value=None if measurement.value is None else decimal_text(measurement.value),
        unit=UNITS[measurement.dimension],
        target=str(objective.target),
        target_value=None if judged.target is None else decimal_text(judged.target),
        baseline_level=(
            None if judged.baseline_level is None else decimal_text(judged.baseline_level)
        ),
        error_budget=(
            None
            if budget is None
            else ErrorBudget(
                remaining=decimal_text(budget.remaining),
                unit=budget.unit,
                used=decimal_text(budget.used),
            )
        ),
        evidence=evidence(measurement, zone),
    )


def evidence(measurement: Measurement, zone: dt.tzinfo | None) -> Evidence:
    """What a measurement's value was computed from, as a verdict shows it: its totals, its
    ten largest contributors, its exclusions by name and its refusals in time order, every time
    in ``zone`` (the contract's timezone)."""
    return Evidence(
        totals={k: decimal_text(v) for k, v in sorted(measurement.totals.items())},
        contributors=[_contributor(item, zone) for item in _top(measurement.contributors)],
        contributors_total=(
            measurement.contributors_total
            if measurement.contributors_total is not None
            else len(measurement.contributors)
        ),
        exclusions=[
            ExclusionApplied(
                exclusion=e.exclusion,
                reason=e.reason,
                treatment=e.treatment,
                seconds=decimal_text(e.seconds),
                records=e.records,
            )
            for e in sorted(measurement.exclusions, key=lambda e: e.exclusion)
        ],
        exclusions_refused=[
            ExclusionRefused(
                exclusion=r.exclusion,
                type=r.type,
                id=r.id,
                start=r.start.astimezone(zone) if r.start else None,
                reason=r.reason,
            )
            for r in sorted(measurement.refused, key=lambda r: (r.start or _FIRST, r.id or ""))
        ],
    )


def _top(contributors: list[Contribution]) -> list[Contribution]:
    """The ten largest contributors: by seconds, ties by time then id. Contributors without a
    size (the worst slices of an average, already ranked) keep the order they were given in."""
    if not all(item.seconds is not None for item in contributors):
        return contributors[:TOP]

    def key(item: Contribution) -> tuple[Fraction, dt.datetime, str]:
        size = -(item.seconds or Fraction(0))
        return (size, item.start or _LAST, item.id or "")

    return sorted(contributors, key=key)[:TOP]


def _contributor(item: Contribution, zone: dt.tzinfo | None) -> Contributor:
    """A contributor as the report shows it: its times in the contract's timezone."""
    return Contributor(
        type=item.type,
        id=item.id,
        start=item.start.astimezone(zone) if item.start else None,
        end=item.end.astimezone(zone) if item.end else None,
        seconds=None if item.seconds is None else decimal_text(item.seconds),
        detail=item.detail,
        pauses=[
            PauseShown(
                start=pause.start.astimezone(zone),
                end=None if pause.end is None else pause.end.astimezone(zone),
                seconds=decimal_text(pause.seconds),
            )
            for pause in item.pauses
        ],
    )


# ------------------------------------------------------------------------ rights and triggers
def assessment(rights: Rights, zone: dt.tzinfo | None) -> Assessment:
    """The report's rights and triggers, from the rights pass's values; times in ``zone``."""
    return Assessment(
        termination_rights=[_right(item, zone) for item in rights.termination_rights],
        escalations=[_notice(item, zone) for item in rights.escalations],
        triggers=[_fired(item, zone) for item in rights.triggers],
    )


def _location(loc: SourceLocation) -> Location:
    return Location(file=loc.file, line=loc.line, column=loc.column)


def _periods(notes: list[PeriodNote], zone: dt.tzinfo | None) -> list[TriggerPeriod]:
    return [
        TriggerPeriod(
            label=note.period.label,
            start=note.period.start.astimezone(zone),
            end=note.period.end.astimezone(zone),
            detail=note.detail,
        )
        for note in notes
    ]


def _outages(records: list[LongRecord], zone: dt.tzinfo | None) -> list[Outage]:
    return [
        Outage(
            type=r.type,
            id=r.id,
            start=r.start.astimezone(zone),
            end=None if r.open else r.end.astimezone(zone),
            seconds=decimal_text(seconds(r.start, r.end)),
        )
        for r in records
    ]


def _right(item: RightArisen, zone: dt.tzinfo | None) -> TerminationRightArisen:
    return TerminationRightArisen(
        clause=item.clause.id,
        clause_title=item.clause.title,
        location=_location(item.loc),
        trigger=item.trigger,
        arose_at=item.arose_at.astimezone(zone),
        exercise=item.exercise,
        lapses_at=None if item.lapses_at is None else item.lapses_at.astimezone(zone),
        open=item.open,
        reason=item.reason,
        periods=_periods(item.periods, zone),
        outages=_outages(item.outages, zone),
    )


def _notice(item: NoticeDue, zone: dt.tzinfo | None) -> EscalationNotice:
    return EscalationNotice(
        clause=item.clause.id,
        clause_title=item.clause.title,
        location=_location(item.loc),
        to=item.to,
        trigger=item.trigger,
        due_at=item.due_at.astimezone(zone),
        reason=item.reason,
        periods=_periods(item.periods, zone),
        outages=_outages(item.outages, zone),
    )


def _fired(item: Fired, zone: dt.tzinfo | None) -> TriggerFired:
    return TriggerFired(
        kind=item.kind,
        fired_at=item.at.astimezone(zone),
        reason=item.reason,
        because=item.because,
        location=_location(item.loc),
        clause=item.clause,
        metric=item.metric,
        to=item.to,
        periods=_periods(item.periods, zone),
        comparisons=[
            BaselineComparison(
                clause=c.clause,
                metric=c.metric,
                group=c.group,
                objective=c.objective,
                unit=c.unit,
                periods=_periods(c.periods, zone),
                achieved=None if c.achieved is None else decimal_text(c.achieved),
                met=c.met,
                breached=c.breached,
                no_data=c.no_data,
                outcome=c.outcome,
            )
            for c in item.comparisons
        ],
    )

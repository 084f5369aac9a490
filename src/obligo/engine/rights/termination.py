"""Termination rights for chronic failure and escalation notices: when a clause's trigger holds.

The triggers of a clause (``docs/rights-and-triggers.md`` gives the rules with examples):

- ``breached in 3 consecutive months`` / ``breached in 3 of the last 6 months``: a run of
  breaches (:mod:`obligo.engine.judge.breach_runs`). A slot is breached when any objective of the
  clause (any group) was breached in a period that ends in it. The trigger holds at each
  breached slot that completes the window, at the end of the slot's first breached period.
- ``3 outage records longer than 30 minutes start within any 30 days``: a sliding window over
  the records' start times, not aligned to any calendar. Each record longer than the duration
  counts (an open one by its length so far); the trigger holds whenever K of them start within
  less than the window's length of one another, at the moment the last of them had lasted
  longer than the duration.
- ``outage-hours > 24 hours in a month``: the metric's value in a closed period compares so; it
  holds at the end of that period (a total is final only then).
- ``more than 24 hours of outage records in a calendar month``: a running total; it holds at the
  first instant the time the records cover in one calendar period exceeds the duration.

Baseline periods have no consequences: breaches in them, outages that start in them and
totals of periods that start in them do not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import cast

from obligo.engine.context import EvaluationContext
from obligo.engine.judge.baseline import BaselineSpan
from obligo.engine.judge.breach_runs import (
    CalendarUnit,
    Happening,
    LongRecord,
    PeriodNote,
    Slots,
    breach_run,
    plural,
)
from obligo.engine.judge.history import Judged, Measure, closed, holds, quantity
from obligo.engine.judge.verdicts import target_fraction
from obligo.engine.measure.exclusions import record_interval
from obligo.engine.time.intervals import seconds, utc
from obligo.engine.time.periods import MeasurementPeriod
from obligo.model import clauses as c
from obligo.model.base import SourceLocation
from obligo.model.metrics import CalendarPeriod
from obligo.syntax import printer

_DAY_SECONDS = 86400


# ------------------------------------------------------------------------------- the triggers
def clause_trigger(
    trigger: c.Trigger,
    clause: c.Clause,
    judged: list[Judged],
    ctx: EvaluationContext,
    measure: Measure,
    span: BaselineSpan | None,
) -> list[Happening]:
    """Every moment at which a clause's trigger holds, in time order. ``judged`` is the clause's
    history (:func:`obligo.engine.judge.history.history`)."""
    if isinstance(trigger, c.BreachRun):
        return breach_run(clause, trigger.window, judged, ctx)
    if isinstance(trigger, c.LongEvents):
        return long_events(trigger, ctx, span)
    if isinstance(trigger, c.RunningTotal):
        return running_total(trigger, ctx, span)
    return total_in_period(trigger, ctx, measure, span)


def long_events(
    trigger: c.LongEvents, ctx: EvaluationContext, span: BaselineSpan | None
) -> list[Happening]:
    """``K records longer than D start within any W``: a sliding window over start times.

    Each run of K records (in order of start) whose first and last starts are less than W
    apart is an occasion, at the moment the last of them had lasted D (the earlier ones
    started earlier, so they passed D before it)."""
    limit = Fraction(trigger.longer_than.seconds or 0)
    width = Fraction(trigger.within.seconds or 0)
    found: list[LongRecord] = []
    for record in ctx.records(trigger.selection):
        interval = record_interval(record, ctx)
        if interval is None:
            continue
        start, end = utc(interval[0]), utc(interval[1])
        # Records count from the start of the term to the evaluation time, outside the baseline.
        if not ctx.start <= start < ctx.end or (span is not None and span.covers(start)):
            continue
        # A logged end after the evaluation time has not happened yet: by its length so far.
        now = utc(ctx.at)
        still_open = record.end is None or end > now
        end = min(end, now)
        if seconds(start, end) > limit:
            found.append(LongRecord(start, end, record.id, record.type, still_open))
    found.sort(key=lambda r: (r.start, r.id or ""))
    count = trigger.count
    happenings: list[Happening] = []
    for last in range(count - 1, len(found)):
        run = found[last - count + 1 : last + 1]
        first, final = run[0].start, run[-1].start
        if seconds(first, final) >= width:
            continue
        outages = list(run)
        names = ", ".join(o.id or o.start.astimezone(ctx.tz).isoformat() for o in outages)
        happenings.append(
            Happening(
                at=final + _timedelta(limit),
                onset=True,
                reason=(
                    f"{count} {trigger.selection.record_type} {plural('record', count)} longer"
                    f" than {trigger.longer_than} started within {trigger.within}"
                    f" ({names}: from {_local(first, ctx)} to {_local(final, ctx)})"
                ),
                outages=outages,
            )
        )
    return happenings


def total_in_period(
    trigger: c.TotalInPeriod,
    ctx: EvaluationContext,
    measure: Measure,
    span: BaselineSpan | None,
) -> list[Happening]:
    """``METRIC COMPARATOR VALUE in a UNIT``: a closed period's value compares so."""
    metric = ctx.metric(trigger.metric)
    measured = measure(metric)
    periods = [
        p
        for p in ctx.periods(metric.period)
        if closed(p, ctx) and not (span is not None and span.covers(p.start))
    ]
    slots = Slots(trigger.unit, ctx, periods)
    marks: list[dt.datetime | None] = [None] * len(slots)
    hits: dict[int, list[tuple[MeasurementPeriod, str]]] = {}
    for period in periods:
        measurement = measured[period.label]
        threshold = target_fraction(trigger.value, measurement.dimension)
        if not holds(measurement.value, trigger.op, threshold):
            continue
        slot = slots.of(period)
        if slot is None:
            continue
        value = quantity(measurement.value, measurement.dimension)
        hits.setdefault(slot, []).append((period, f"{metric.id} {value}"))
        current = marks[slot]
        marks[slot] = period.end if current is None or period.end < current else current
    found: list[Happening] = []
    for index, mark in enumerate(marks):
        if mark is None:
            continue
        items = sorted(
            ((p, d) for p, d in hits[index] if p.end <= mark),
            key=lambda pair: (pair[0].end, pair[0].start),
        )
        detail = items[0][1]
        found.append(
            Happening(
                at=mark,
                onset=index == 0 or marks[index - 1] is None,
                reason=(
                    f"{detail} in {slots.periods[index].label}, {trigger.op}"
                    f" {trigger.value} in a {trigger.unit}"
                ),
                periods=[PeriodNote(p, d) for p, d in items],
            )
        )
    return found


def running_total(
    trigger: c.RunningTotal, ctx: EvaluationContext, span: BaselineSpan | None
) -> list[Happening]:
    """``more than 24 hours of outage records in a calendar month``: in each calendar period of
    the unit (after the baseline), the time the records cover (the union of their intervals,
    overlaps once, without exclusions; an open record by its length so far) is added up from
    the period's start. The trigger holds at the first instant that total exceeds the duration:
    the instant it reached the duration, when the time covered goes on from there. A total of
    exactly the duration is not more than it."""
    limit = Fraction(trigger.more_than.seconds or 0)
    now = utc(ctx.at)
    records: list[LongRecord] = []
    for record in ctx.records(trigger.selection):
        interval = record_interval(record, ctx)
        if interval is None:
            continue
        start, end = utc(interval[0]), utc(interval[1])
        still_open = record.end is None or end > now
        end = min(end, now)
        if end > start:
            records.append(LongRecord(start, end, record.id, record.type, still_open))
    records.sort(key=lambda r: (r.start, r.end, r.id or ""))
    slots = ctx.periods(CalendarPeriod(unit=cast(CalendarUnit, trigger.unit)))
    found: list[Happening] = []
    previous: int | None = None
    for index, slot in enumerate(slots):
        if span is not None and span.covers(slot.start):
            continue  # a baseline period has no consequences
        first, last = utc(slot.start), min(utc(slot.end), now)
        inside = [r for r in records if r.start < last and r.end > first]
        passed = _passes(inside, first, last, limit)
        if passed is None:
            continue
        counted = [r for r in inside if r.start <= passed]
        label = slot.label
        found.append(
            Happening(
                at=passed,
                onset=previous is None or previous != index - 1,
                reason=(
                    f"more than {trigger.more_than} of {printer.selection(trigger.selection)}"
                    f" in {label}: the total passed {trigger.more_than} at {_local(passed, ctx, 'seconds')}"
                    f" ({len(counted)} {plural('record', len(counted))})"
                ),
                periods=[
                    PeriodNote(
                        slot,
                        f"{trigger.more_than} of {trigger.selection.record_type} records reached"
                        f" at {_local(passed, ctx, 'seconds')}",
                    )
                ],
                outages=counted,
            )
        )
        previous = index
    return found


def _passes(
    records: list[LongRecord], first: dt.datetime, last: dt.datetime, limit: Fraction
) -> dt.datetime | None:
    """The first instant the time covered by ``records`` (clipped to ``first .. last``, each
    instant once) exceeds ``limit`` seconds, or None. ``records`` are in order of start."""
    total = Fraction(0)
    start: dt.datetime | None = None
    end = first
    for record in [*records, None]:
        if record is not None:
            lo, hi = max(record.start, first), min(record.end, last)
            if hi <= lo:
                continue
            if start is not None and lo <= end:
                end = max(end, hi)  # overlaps (or touches) the stretch being merged
                continue
        if start is not None:
            length = seconds(start, end)
            if total + length > limit:
                return start + _timedelta(limit - total)
            total += length
        if record is None:
            break
        start, end = lo, hi
    return None


# ------------------------------------------------------------------ rights and escalations
@dataclass(frozen=True, slots=True)
class RightArisen:
    """One occasion on which a clause's termination right arose (the report's
    ``TerminationRightArisen``; times as the engine found them, made local in the report)."""

    clause: c.Clause
    loc: SourceLocation  # the trigger's line (the right's, for a trigger without one)
    trigger: str
    arose_at: dt.datetime
    exercise: str | None
    lapses_at: dt.datetime | None
    open: bool
    reason: str
    periods: list[PeriodNote]
    outages: list[LongRecord]


@dataclass(frozen=True, slots=True)
class NoticeDue:
    """A notice due to a role (``escalate to "Service Director" when ...``): when, to whom,
    why (the report's ``EscalationNotice``)."""

    clause: c.Clause
    loc: SourceLocation
    to: str
    trigger: str
    due_at: dt.datetime
    reason: str
    periods: list[PeriodNote]
    outages: list[LongRecord]


def _by_clause(judged: list[Judged]) -> dict[str, list[Judged]]:
    """Each clause's history, in the order judged: taken once, not filtered out of the whole
    history per clause (which made rights and escalations quadratic in the contract's size)."""
    histories: dict[str, list[Judged]] = {}
    for item in judged:
        histories.setdefault(item.clause.id, []).append(item)
    return histories


def termination_rights(
    clauses: Sequence[c.Clause],
    judged: list[Judged],
    ctx: EvaluationContext,
    measure: Measure,
    span: BaselineSpan | None,
) -> list[RightArisen]:
    """Each occasion on which a termination right arose, in time order."""
    found: list[tuple[tuple[dt.datetime, int, int, int], RightArisen]] = []
    histories = _by_clause(judged)
    for order, clause in enumerate(clauses):
        history = histories.get(clause.id, [])
        for r, right in enumerate(clause.termination_rights):
            exercise = right.exercise
            for t, trigger in enumerate(right.triggers):
                for happening in clause_trigger(trigger, clause, history, ctx, measure, span):
                    lapses = None if exercise is None else ctx.after(happening.at, exercise.within)
                    arisen = RightArisen(
                        clause=clause,
                        loc=location(trigger.loc, right.loc),
                        trigger=printer.trigger(trigger),
                        arose_at=happening.at,
                        exercise=None if exercise is None else printer.exercise(exercise),
                        lapses_at=lapses,
                        open=happening.at <= ctx.at and (lapses is None or ctx.at < lapses),
                        reason=happening.reason,
                        periods=happening.periods,
                        outages=happening.outages,
                    )
                    found.append(((utc(happening.at), order, r, t), arisen))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def escalations(
    clauses: Sequence[c.Clause],
    judged: list[Judged],
    ctx: EvaluationContext,
    measure: Measure,
    span: BaselineSpan | None,
) -> list[NoticeDue]:
    """Each notice due to a role, in time order: one per moment its trigger holds."""
    found: list[tuple[tuple[dt.datetime, int, int], NoticeDue]] = []
    histories = _by_clause(judged)
    for order, clause in enumerate(clauses):
        history = histories.get(clause.id, [])
        for e, escalation in enumerate(clause.escalations):
            trigger = escalation.trigger
            to = recipient(escalation.to, escalation.representative, ctx)
            assert to is not None  # an escalation names a role or the customer's representative
            for happening in clause_trigger(trigger, clause, history, ctx, measure, span):
                notice = NoticeDue(
                    clause=clause,
                    loc=location(escalation.loc, trigger.loc),
                    to=to,
                    trigger=printer.trigger(trigger),
                    due_at=happening.at,
                    reason=happening.reason,
                    periods=happening.periods,
                    outages=happening.outages,
                )
                found.append(((utc(happening.at), order, e), notice))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


# --------------------------------------------------------------------------------- helpers
def _timedelta(length: Fraction) -> dt.timedelta:
    return dt.timedelta(microseconds=int(length * 1_000_000))


def _local(instant: dt.datetime, ctx: EvaluationContext, timespec: str = "minutes") -> str:
    return instant.astimezone(ctx.tz).isoformat(timespec=timespec)


def recipient(to: str | None, representative: bool, ctx: EvaluationContext) -> str | None:
    """Whom a notice goes to: the role written, or for ``the customer's representative`` the
    role of the customer's ``represented by`` in the agreement in force (the words themselves
    when the agreement names none, as for a corporate level's service for any customer)."""
    if not representative:
        return to
    named = customer_representative(ctx)
    return named if named is not None else printer.CUSTOMER_REPRESENTATIVE


def customer_representative(ctx: EvaluationContext) -> str | None:
    """The role that represents the agreement's customer (``represented by "Head of IT"``)."""
    return next(
        (
            p.representative
            for p in ctx.agreement.parties.values()
            if p.role == "customer" and p.representative is not None
        ),
        None,
    )


def location(loc: SourceLocation, fallback: SourceLocation) -> SourceLocation:
    """The line a report names: ``loc``, or ``fallback`` for a node written without one."""
    return loc if loc.line else fallback

"""The share of records handled within a target time: first responses, resolutions.

- A record belongs to the period that contains its start field (``opened``); records without
  it are not judged. Its group is the value of the ``by`` field (records without one count
  only in the value of all records).
- Its target is its group's (``target "P1" 4 hours``), else the metric's plain ``target``;
  a record with neither is not judged (``without_target`` in the totals).
- Its due time is the start plus the target, counted in the calendar in use: the target's own
  (``, in around-the-clock hours``), else the duration's (``duration from opened to resolved,
  in office hours``), else wall-clock time. In a calendar every duration is opening time:
  ``4 hours`` is four hours during which the calendar is open, and ``1 business day`` one
  opening day (see :mod:`obligo.engine.time.business_time`). Wall-clock ``4 hours`` is four
  elapsed hours, across a DST change too.
- A record is within target when its end field (``resolved``) is at or before the due time,
  or, counted in a calendar, when no open time has passed since the due time (a deadline at a
  closing time: the record is within until the next opening; only the open time elapsed counts).
  A late record's evidence is how far past the due time it ended (or is, still open), in open
  time of the calendar where the target is counted in one, else in elapsed time.
- A record with pauses (``paused while ...``, ``paused from ... to ...``:
  :mod:`obligo.engine.measure.pauses`) has a stopped clock: its due time is where the clock,
  running in the calendar's opening time outside its pauses, reaches the opening time the
  target gives (:func:`obligo.engine.time.clock.stopped_deadline`); a pause still going on
  keeps it stopped (no due time yet).
- A record still open at the evaluation time (no end field, or one after the evaluation time)
  is late once its due time has passed (``at > due``; in a calendar, once open time has passed
  since it) and left out while it has not, unless
  the metric says ``a record still open is left out``: then it is left out until it ends.
- The value is ``within / (within + late) * 100``; a period without a judged record has none.
  A pending period's error budget counts the judged records so far and the late ones.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass
from fractions import Fraction

from obligo.engine.context import EvaluationContext, Record
from obligo.engine.measure import groups as group_keys
from obligo.engine.measure.measurement import Budget, Contribution, Measurement, PauseSpan
from obligo.engine.measure.pauses import pause_fields, pauses_of
from obligo.engine.measure.pauses import timestamp as _timestamp
from obligo.engine.time.business_time import BusinessCalendar
from obligo.engine.time.clock import stopped_deadline, stopped_seconds
from obligo.engine.time.intervals import seconds
from obligo.errors import ObligoSemanticError
from obligo.model import metrics as m
from obligo.model.base import Duration


def _clock(
    ctx: EvaluationContext, target: m.TargetRule, spec: m.DurationSpec
) -> tuple[BusinessCalendar, Duration]:
    """The calendar a record's clock runs in (the target's, else the duration's, else around
    the clock) and its target as a deadline on it."""
    name = target.calendar or spec.calendar
    limit = target.limit
    if name is None and limit.business:
        # Business time that names no calendar: the contract's `calendar NAME`, never 24x7.
        return ctx.business_calendar(limit), limit
    if name is None:
        return BusinessCalendar.always(ctx.tz), limit
    if not limit.business and limit.seconds is not None:
        # Measured in a calendar's hours, `4 hours` is four hours of its opening time.
        limit = Duration(amount=limit.seconds, unit="s", business=True, loc=limit.loc)
    return ctx.calendar(name), limit


def _due(
    ctx: EvaluationContext, opened: dt.datetime, target: m.TargetRule, spec: m.DurationSpec
) -> dt.datetime:
    """When a record opened at ``opened`` is due: its target counted in the calendar in use
    (the target's, else the duration's), or in wall-clock time without one."""
    calendar, limit = _clock(ctx, target, spec)
    return calendar.deadline(opened, limit)


def _open_calendar(
    ctx: EvaluationContext, target: m.TargetRule, spec: m.DurationSpec
) -> BusinessCalendar | None:
    """The calendar whose open time a target counts (None: wall-clock time)."""
    name = target.calendar or spec.calendar
    if name is None:
        return ctx.business_calendar(target.limit) if target.limit.business else None
    return ctx.calendar(name)


@dataclass(frozen=True)
class _Judged:
    opened: dt.datetime
    group: str | None
    outcome: str  # within, late, open, untargeted
    record: Record
    closed: dt.datetime | None
    due: dt.datetime | None
    # The pauses that stopped its clock between its start and its end (or the evaluation time).
    pauses: tuple[PauseSpan, ...] = ()
    # How far past its target a late record is (business time on a calendar), in seconds.
    overdue: Fraction = Fraction(0)


def share_within_target(
    metric: m.ShareWithinTargetMetric, ctx: EvaluationContext
) -> dict[str, Measurement]:
    measure = metric.measure
    spec = metric.duration
    if spec is None:  # the checks report it: a contract that passes them has one
        raise ObligoSemanticError(
            f"metric {metric.id} does not say what is timed",
            file=metric.loc.file,
            line=metric.loc.line,
            column=metric.loc.column,
            hint="add `duration from opened to responded`",
        )
    fields = [spec.start_field, spec.end_field, *measure.group_by]
    fields += pause_fields(metric)
    pauses = pauses_of(metric, ctx)
    targets = {t.group: t for t in metric.targets}
    at = ctx.at
    judged: list[_Judged] = []
    for record in ctx.records(measure.selection, fields):
        opened = _timestamp(record, spec.start_field)
        if opened is None:
            continue
        group = group_keys.key_of_fields(measure.group_by, record.fields)
        target = (targets.get(group) if group is not None else None) or targets.get(None)
        closed = _timestamp(record, spec.end_field)
        if closed is not None and closed > at:
            closed = None  # closed after the evaluation time: still open at it
        if target is None:
            judged.append(_Judged(opened, group, "untargeted", record, closed, None))
            continue
        due: dt.datetime | None = _due(ctx, opened, target, spec)
        spans: tuple[PauseSpan, ...] = ()
        paused = pauses(record) if metric.pauses else []
        if paused and due is not None:
            # The clock stops while the record is paused: the target is the opening time its
            # deadline would have given, reached later by the time the pauses took out (None:
            # a pause still going on stopped it first).
            calendar, _ = _clock(ctx, target, spec)
            due = stopped_deadline(calendar, opened, calendar.business_seconds(opened, due), paused)
            stop = closed or at
            spans = tuple(
                PauseSpan(start, end, stopped_seconds(calendar, (start, end), opened, stop))
                for start, end in paused
                if start < stop and (end is None or end > opened)
            )
        # In a calendar no time passes between a deadline at a close and the next opening: the
        # target is met while the open time elapsed is within it (answered at 17:30 after a
        # deadline at the 17:00 close is within; late from the next opening on).
        counted = _open_calendar(ctx, target, spec)
        latest = due if due is None or counted is None else counted.next_open(due)
        if closed is not None:
            outcome = "within" if latest is None or closed <= latest else "late"
        elif latest is not None and at > latest and metric.open_records != "left_out":
            outcome = "late"
        else:
            outcome = "open"
        overdue = Fraction(0)
        if outcome == "late" and due is not None:
            until = closed or at
            overdue = (
                seconds(due, until) if counted is None else counted.business_seconds(due, until)
            )
        judged.append(
            _Judged(opened, group, outcome, record, closed, due, pauses=spans, overdue=overdue)
        )
    judged.sort(key=lambda j: (j.opened.astimezone(dt.UTC), j.record.id or ""))
    starts = [j.opened.astimezone(dt.UTC) for j in judged]
    results: dict[str, Measurement] = {}
    span_end = ctx.end
    for period in ctx.periods(metric.period):
        end = min(period.end, span_end)
        pausing = bool(metric.pauses)
        overall = _Tally(at, pausing)
        groups: dict[str, _Tally] = {}
        for item in judged[bisect_left(starts, period.start) : bisect_left(starts, end)]:
            overall.add(item)
            if item.group is not None:
                groups.setdefault(item.group, _Tally(at, pausing)).add(item)
        measurement = overall.measurement()
        for key in sorted(groups):
            measurement.groups[key] = groups[key].measurement()
        results[period.label] = measurement
    return results


class _Tally:
    def __init__(self, at: dt.datetime, pausing: bool = False) -> None:
        self.at = at
        self.pausing = pausing  # the metric stops clocks: the totals say how often and how long
        self.paused = 0
        self.paused_seconds = Fraction(0)
        self.within = 0
        self.late = 0
        self.open = 0
        self.untargeted = 0
        self.late_records: list[Contribution] = []

    def add(self, item: _Judged) -> None:
        stopped = sum((span.seconds for span in item.pauses), Fraction(0))
        if stopped:
            self.paused += 1
            self.paused_seconds += stopped
        if item.outcome == "within":
            self.within += 1
        elif item.outcome == "late":
            self.late += 1
            assert item.due is not None
            still_open = item.closed is None
            overdue = item.overdue
            self.late_records.append(
                Contribution(
                    type=item.record.type,
                    id=item.record.id,
                    start=item.opened,
                    end=item.closed,
                    seconds=overdue,
                    detail=f"due {item.due.isoformat()}" + (", still open" if still_open else ""),
                    pauses=item.pauses,
                )
            )
        elif item.outcome == "open":
            self.open += 1
        else:
            self.untargeted += 1

    def measurement(self) -> Measurement:
        counted = self.within + self.late
        measurement = Measurement(value=None, dimension="percent", records=counted)
        measurement.totals = {
            "within": self.within,
            "late": self.late,
            "open_not_yet_due": self.open,
        }
        if self.untargeted:
            measurement.totals["without_target"] = self.untargeted
        if self.pausing:
            measurement.totals["paused"] = self.paused
            measurement.totals["paused_seconds"] = self.paused_seconds
        measurement.contributors = self.late_records
        if counted == 0:
            measurement.no_data = "no records to judge in the period"
        else:
            measurement.value = Fraction(self.within, counted) * 100
            measurement.budget = Budget(
                capacity=Fraction(counted), bad=Fraction(self.late), unit="late records"
            )
        return measurement

"""The share of records handled within a target time: first responses, resolutions.

A record belongs to the period that contains its start field (``opened``). Its due time is the
start plus its target: wall-clock time, or opening time of a business calendar when the metric
or the target names one (``1 business day`` is one opening day of that calendar). A record is
within target when its end field (``responded``) is at or before the due time. A record still
open is late once its due time has passed at the evaluation time, and left out while it has not
(or always left out, when the metric says so).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from obligo.engine.context import EvaluationContext, Record
from obligo.engine.intervals import seconds
from obligo.engine.measurement import Budget, Measurement
from obligo.engine.numbers import decimal_text
from obligo.model import metrics as m
from obligo.report.model import Contributor


def _timestamp(record: Record, name: str) -> dt.datetime | None:
    if name in ("start", "end", "time"):
        return getattr(record, name)  # type: ignore[no-any-return]
    value = record.fields.get(name)
    return value if isinstance(value, dt.datetime) else None


def share_within_target(metric: m.Metric, ctx: EvaluationContext) -> dict[str, Measurement]:
    measure = metric.measure
    assert isinstance(measure, m.ShareWithinTarget) and metric.duration is not None
    spec = metric.duration
    fields = [spec.start_field, spec.end_field]
    if measure.group_by:
        fields.append(measure.group_by)
    records = ctx.records(measure.selection, fields)
    targets = {t.group: t for t in metric.targets}
    periods = ctx.periods(metric.period)
    results: dict[str, Measurement] = {}
    for period in periods:
        end = min(period.end, ctx.end)
        overall = _Tally()
        groups: dict[str, _Tally] = {}
        for record in records:
            opened = _timestamp(record, spec.start_field)
            if opened is None or not (period.start <= opened < end):
                continue
            group = record.fields.get(measure.group_by) if measure.group_by else None
            group_key = None if group is None else str(group)
            target = targets.get(group_key) or targets.get(None)
            if target is None:
                overall.untargeted += 1
                continue
            calendar = ctx.calendar(target.calendar or spec.calendar)
            due = (
                calendar.deadline(opened, target.limit)
                if (target.calendar or spec.calendar)
                else opened + dt.timedelta(seconds=float(target.limit.seconds or 0))
            )
            closed = _timestamp(record, spec.end_field)
            if closed is not None:
                outcome = "within" if closed <= due else "late"
            elif ctx.at > due and metric.open_records != "left_out":
                outcome = "late"
            else:
                outcome = "open"
            for tally in (overall, groups.setdefault(group_key or "", _Tally())):
                tally.add(outcome, record, opened, closed, due)
        measurement = overall.measurement()
        for key in sorted(groups):
            measurement.groups[key] = groups[key].measurement()
        results[period.label] = measurement
    return results


class _Tally:
    def __init__(self) -> None:
        self.within = 0
        self.late = 0
        self.open = 0
        self.untargeted = 0
        self.late_records: list[Contributor] = []

    def add(
        self,
        outcome: str,
        record: Record,
        opened: dt.datetime,
        closed: dt.datetime | None,
        due: dt.datetime,
    ) -> None:
        if outcome == "within":
            self.within += 1
        elif outcome == "late":
            self.late += 1
            overdue = seconds(due, closed) if closed is not None else None
            self.late_records.append(
                Contributor(
                    type=record.type,
                    id=record.id,
                    start=opened,
                    end=closed,
                    seconds=decimal_text(overdue) if overdue is not None else None,
                    detail=f"due {due.isoformat()}" + ("" if closed else ", still open"),
                )
            )
        else:
            self.open += 1

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
        measurement.contributors = self.late_records
        if counted == 0:
            measurement.no_data = "no records to judge in the period"
        else:
            measurement.value = Fraction(self.within, counted) * 100
            measurement.budget = Budget(
                capacity=Fraction(counted), bad=Fraction(self.late), unit="late records"
            )
        return measurement

"""Exclusions: which records take time out of a metric's periods, and which are refused.

An exclusion's records are read with their intervals (``start`` to ``end``; an open one runs to
the evaluation time). Its validity rules decide what each record may take out:

- ``valid when ANNOUNCED at least DURATION before FIELD``: the record counts only when the
  notice was given in time (exactly the required notice is enough). The notice is measured in
  the contract's timezone: fixed lengths exactly, ``1 month`` as a calendar month,
  ``2 business days`` as opening days of the contract's calendar (``calendar NAME``): the
  record is valid when the start is at or after the announcement plus that business time
  (see :meth:`BusinessCalendar.deadline`). A record without the
  announcement, or announced too late, is *refused* with its reason.
- ``valid when within CALENDAR``: only the parts of the record inside the calendar's opening
  hours count; the rest is refused ("outside the window").

Refused time is *ordinary downtime* (the contract's own words): a metric that applies the
exclusion counts it as down, as if a ``down during`` line had selected it. Records without an
interval (``time`` only) take no time out; they exclude records, not time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from obligo.engine.context import EvaluationContext, Record
from obligo.engine.measure.measurement import ExclusionRefusal
from obligo.engine.numbers import decimal_text
from obligo.engine.time.intervals import Interval, intersect, seconds, subtract, total, union
from obligo.model.contract import Exclusion, NoticeRule, WindowRule


@dataclass
class RefusedTime:
    """Time an exclusion's record would have taken out, refused: ordinary downtime."""

    intervals: list[Interval]
    record: Record
    report: ExclusionRefusal


@dataclass
class ExcludedTime:
    exclusion: Exclusion
    # accepted time: each piece with its record
    intervals: list[tuple[Interval, Record]] = field(default_factory=list)
    # refused records (or the parts of them outside a window), with the reason
    refusals: list[RefusedTime] = field(default_factory=list)

    @property
    def refused(self) -> list[ExclusionRefusal]:
        return [r.report for r in self.refusals]

    @property
    def treatment(self) -> str:
        return self.exclusion.treatment

    def only(self, keep: Callable[[Record], bool]) -> ExcludedTime:
        """The same exclusion restricted to the records ``keep`` accepts."""
        return ExcludedTime(
            self.exclusion,
            [(iv, r) for iv, r in self.intervals if keep(r)],
            [r for r in self.refusals if keep(r.record)],
        )


def record_interval(record: Record, ctx: EvaluationContext) -> Interval | None:
    """A record's interval; an open one (no ``end``) runs to the evaluation time (and no further
    than the end of the term). None for a record without ``start`` or with nothing left."""
    if record.start is None:
        return None
    end = record.end if record.end is not None else min(ctx.at, ctx.end)
    return (record.start, end) if end > record.start else None


def excluded_time(
    exclusion: Exclusion, ctx: EvaluationContext, extra_fields: tuple[str, ...] = ()
) -> ExcludedTime:
    """The intervals an exclusion may take out, each with its record, after its validity rules.

    ``extra_fields`` are read into each record's fields too (a metric's ``by`` field)."""
    fields = [r.announced_field for r in exclusion.valid_when if isinstance(r, NoticeRule)]
    fields += [r.before_field for r in exclusion.valid_when if isinstance(r, NoticeRule)]
    fields += list(extra_fields)
    result = ExcludedTime(exclusion)
    for selection in exclusion.sources:
        for record in ctx.records(selection, fields):
            interval = record_interval(record, ctx)
            if interval is None:
                continue
            reason = _refusal(exclusion, record, ctx)
            if reason is not None:
                result.refusals.append(
                    RefusedTime([interval], record, _report(exclusion, record, reason))
                )
                continue
            pieces = [interval]
            for rule in exclusion.valid_when:
                if isinstance(rule, WindowRule):
                    pieces = intersect(
                        pieces, ctx.calendar(rule.calendar).opening_intervals(*interval)
                    )
            pieces = union(pieces)
            outside = subtract([interval], pieces)
            if outside:
                windows = ", ".join(
                    r.calendar for r in exclusion.valid_when if isinstance(r, WindowRule)
                )
                whole = seconds(*interval)
                part = total(outside)
                reason = (
                    f"outside {windows}"
                    if part == whole
                    else f"{_length(part)} of its {_length(whole)} outside {windows}"
                )
                result.refusals.append(
                    RefusedTime(outside, record, _report(exclusion, record, reason))
                )
            result.intervals.extend((piece, record) for piece in pieces)
    return result


def _report(exclusion: Exclusion, record: Record, reason: str) -> ExclusionRefusal:
    return ExclusionRefusal(
        exclusion=exclusion.id, type=record.type, id=record.id, start=record.start, reason=reason
    )


def _timestamp(record: Record, name: str) -> dt.datetime | None:
    if name in ("start", "end", "time"):
        value = getattr(record, name)
    else:
        value = record.fields.get(name)
    return value if isinstance(value, dt.datetime) else None


def _refusal(exclusion: Exclusion, record: Record, ctx: EvaluationContext) -> str | None:
    for rule in exclusion.valid_when:
        if not isinstance(rule, NoticeRule):
            continue
        announced = _timestamp(record, rule.announced_field)
        before = _timestamp(record, rule.before_field)
        if announced is None:
            return f"not announced: no {rule.announced_field}"
        if before is None:
            return f"no {rule.before_field} to measure the notice against"
        notice = rule.at_least
        # Business days of notice are opening days of the contract's calendar, never of 24x7.
        calendar = ctx.business_calendar(notice) if notice.business else ctx.calendar(None)
        due = calendar.deadline(announced, notice)
        if due > before:
            given = seconds(announced, before)
            when = "after" if announced > before else f"{_length(given)} before"
            if announced == before:
                when = "at"
            return f"{rule.announced_field} {when} {rule.before_field}, {rule.at_least} required"
    return None


def _length(value: Fraction) -> str:
    """An exact length in words: ``4 days 23 hours 59 minutes 30 seconds``, ``1.5 seconds``."""
    parts: list[str] = []
    rest = value
    for name, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        count = int(rest // size)
        if count:
            parts.append(f"{count} {name}{'s' if count != 1 else ''}")
            rest -= count * size
    if rest or not parts:
        text = decimal_text(rest)
        parts.append(f"{text} second{'s' if rest != 1 else ''}")
    return " ".join(parts)

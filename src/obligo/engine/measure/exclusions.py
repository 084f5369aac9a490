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

- ``excluded up to DURATION per year`` (or ``per calendar year``): the exclusion's accepted
  time (overlaps once) is taken out in time order until the year's allowance is used; the rest
  of the year's is refused ("beyond the allowance"), see :func:`_within_allowance`.

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
from obligo.engine.time.intervals import (
    Interval,
    intersect,
    seconds,
    subtract,
    total,
    union,
    window,
)
from obligo.engine.time.periods import add_months, local_midnight
from obligo.model.contract import Allowance, Exclusion, NoticeRule, WindowRule


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
    if exclusion.allowance is not None:
        _within_allowance(result, exclusion.allowance, ctx)
    return result


def _years(allowance: Allowance, ctx: EvaluationContext) -> list[tuple[dt.date, Interval]]:
    """The years of an allowance that overlap what is evaluated, each with its first day and
    its bounds in UTC: contract years from the start of the term, or calendar years, in the
    contract's timezone."""
    start = ctx.term_start
    if allowance.span == "calendar_year":
        start = dt.date(start.year, 1, 1)
    found: list[tuple[dt.date, Interval]] = []
    number = 0
    while True:
        first = add_months(start, 12 * number)
        begin = local_midnight(first, ctx.tz).astimezone(dt.UTC)
        if begin >= ctx.end:
            return found
        end = local_midnight(add_months(start, 12 * (number + 1)), ctx.tz).astimezone(dt.UTC)
        found.append((first, (begin, end)))
        number += 1


def _within_allowance(result: ExcludedTime, allowance: Allowance, ctx: EvaluationContext) -> None:
    """Keeps of the exclusion's accepted time only what its yearly allowance covers, used in
    time order (overlapping windows once); the time beyond it is refused: ordinary downtime,
    with the allowance and where it ran out in the refusal's reason."""
    limit = Fraction(allowance.limit.seconds or 0)
    pieces = union(interval for interval, _ in result.intervals)
    allowed: list[Interval] = []
    spent: list[tuple[dt.date, Interval, dt.datetime]] = []  # the years used up, and when
    for first, (begin, end) in _years(allowance, ctx):
        used = Fraction(0)
        cutoff = end
        for a, b in window(pieces, begin, end):
            size = seconds(a, b)
            if used + size >= limit:
                cutoff = a + dt.timedelta(microseconds=int((limit - used) * 1_000_000))
                spent.append((first, (begin, end), cutoff))
                break
            used += size
        allowed.append((begin, cutoff))
    if not spent:
        return
    kept: list[tuple[Interval, Record]] = []
    over: dict[int, tuple[Record, list[Interval]]] = {}
    for interval, record in result.intervals:
        kept.extend((piece, record) for piece in intersect([interval], allowed))
        beyond = subtract([interval], allowed)
        if beyond:
            over.setdefault(id(record), (record, []))[1].extend(beyond)
    result.intervals = kept
    span = "contract year" if allowance.span == "contract_year" else "calendar year"
    for record, beyond in over.values():
        whole = total(beyond)
        first, _, cutoff = next((y for y in spent if y[1][0] <= beyond[0][0] < y[1][1]), spent[-1])
        reason = (
            f"{_length(whole)} beyond the allowance of {_length(limit)} per {span}"
            f" from {first.isoformat()}, used up at {cutoff.astimezone(ctx.tz).isoformat()}"
        )
        result.refusals.append(
            RefusedTime(union(beyond), record, _report(result.exclusion, record, reason))
        )


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

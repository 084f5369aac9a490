"""Renegotiation triggers, scheduled reviews, notices before the end of the term, and the review
at the end of the baseline: each with the moment it fired and its reason in plain words.

The rules, condition by condition, are in ``docs/rights-and-triggers.md``. In short:

- a condition on a run of periods (breaches, wide margins, a metric's value, no data) fires when
  the run starts to hold (:mod:`obligo.engine.judge.breach_runs`), at the end of the period that
  completed it; it fires again only after it stopped holding;
- breaches and wide margins count periods after the baseline (baseline periods have no
  consequences and are judged by the baseline's own review); a metric's values and missing data
  count every period;
- dates (reviews, the term's end, underlying contracts) fire at local midnight of the day.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import islice, takewhile
from typing import Literal, cast

from obligo.engine.context import EvaluationContext
from obligo.engine.judge.baseline import BaselineSpan
from obligo.engine.judge.breach_runs import (
    CalendarUnit,
    PeriodNote,
    Slots,
    breach_detail,
    breach_run,
    moments,
    plural,
    slot_ends,
)
from obligo.engine.judge.history import (
    Judged,
    Measure,
    closed,
    holds,
    quantity,
)
from obligo.engine.judge.verdicts import target_fraction
from obligo.engine.measure import groups as group_keys
from obligo.engine.numbers import decimal_text
from obligo.engine.rights.termination import recipient
from obligo.engine.time.intervals import utc
from obligo.engine.time.periods import MeasurementPeriod, add_months, local_midnight
from obligo.model import clauses as c
from obligo.model import contract as k
from obligo.model.base import Duration, SourceLocation
from obligo.model.metrics import CalendarPeriod, Metric
from obligo.resolve import ResolvedContract
from obligo.syntax import printer

_MONTHS = {"month": 1, "quarter": 3, "year": 12}


# What fired (the report's ``TriggerFired.kind``).
TriggerKind = Literal[
    "review",
    "clause_breached",
    "wide_margin",
    "never_met",
    "metric_value_run",
    "volume_drift",
    "metric_no_data",
    "term_ending",
    "underlying_ending",
    "notice",
    "baseline_review",
]


@dataclass(frozen=True, slots=True)
class Comparison:
    """One objective at the end of the baseline: what was achieved (exactly), against the
    target (the report's ``BaselineComparison``)."""

    clause: str
    metric: str
    # The group by its value, or by several fields an object of their values (as named in
    # the report), never the engine's key for it.
    group: str | dict[str, str] | None
    objective: str
    unit: str
    periods: list[PeriodNote]
    # The worst level achieved in a baseline period with a value; None when no period had a
    # value or the objective has no better direction (= and !=).
    achieved: Fraction | None
    met: int
    breached: int
    no_data: int
    outcome: str


@dataclass
class Fired:
    """A trigger that fired (the report's ``TriggerFired``; times as found, made local in the
    report). ``because`` is the contract's own reason (``, because "..."``)."""

    kind: TriggerKind
    at: dt.datetime
    reason: str
    loc: SourceLocation
    clause: str | None = None
    metric: str | None = None
    to: str | None = None
    periods: list[PeriodNote] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    because: str | None = None


def triggers(
    judged: list[Judged],
    ctx: EvaluationContext,
    measure: Measure,
    span: BaselineSpan | None,
    margins: tuple[Fraction, Fraction],
) -> list[Fired]:
    """Every trigger that fired up to the evaluation time, in time order (then in the order of
    the contract's lines)."""
    fired: list[tuple[Fired, str | None]] = []

    def add(items: Iterable[Fired], because: str | None = None) -> None:
        fired.extend((item, because) for item in items)

    agreement = ctx.agreement
    for review in agreement.reviews:
        add(_reviews(review, ctx))
    for renegotiation in agreement.renegotiations:
        condition = renegotiation.condition
        add(
            _renegotiation(
                condition, agreement, judged, ctx, measure, span, margins, renegotiation.each
            ),
            renegotiation.reason,
        )
    for notification in agreement.notifications:
        add(_notice(notification, agreement, ctx))
    # A supplier contract or lease ending before the term is a renegotiation notice even when
    # the contract has no `renegotiate when an underlying contract ends before the term` line:
    # `obligo check` warns about it, and the evaluation says when to act (at its own line).
    if not any(isinstance(r.condition, k.UnderlyingEnding) for r in agreement.renegotiations):
        add(_underlying_ending(None, agreement, ctx))
    if span is not None:
        add(_baseline_review(span, judged, ctx))
    # At the same moment: in the order of the lines, this level's first, then those above;
    # the sort is stable, so one line's firings keep their order.
    rank = {level.loc.file: index for index, level in reversed(list(enumerate(agreement.levels)))}

    def order(entry: tuple[Fired, str | None]) -> tuple[dt.datetime, int, int, int]:
        loc = entry[0].loc
        return utc(entry[0].at), rank.get(loc.file, len(rank)), loc.line, loc.column

    return [
        replace(item, because=because)
        for item, because in sorted(fired, key=order)
        if item.at <= ctx.at
    ]


# ----------------------------------------------------------------------------------- reviews
def _reviews(review: k.Review, ctx: EvaluationContext) -> list[Fired]:
    """``review every 6 months from 2026-07-01``: at local midnight of each review date inside
    the term (the first on the date given), up to the evaluation time."""
    return list(takewhile(lambda fired: fired.at <= ctx.at, _scheduled(review, ctx)))


def _scheduled(review: k.Review, ctx: EvaluationContext) -> Iterator[Fired]:
    """Every review date inside the term, in order (endless for a term without an end), held
    with the party the review names."""
    to = recipient(review.to, review.representative, ctx)
    held = f" with {to}" if to else ""
    for index, day in enumerate(_dates(review.start, review.every)):
        if ctx.term_end is not None and day > ctx.term_end:
            return
        if day < ctx.term_start:
            continue
        yield Fired(
            "review",
            local_midnight(day, ctx.tz),
            f"scheduled review {index + 1}{held} (every {review.every} from {review.start})",
            review.loc,
            to=to,
        )


def ahead(ctx: EvaluationContext, reviews: int = 3) -> list[Fired]:
    """What dates alone fix after the evaluation time, for a service review to look ahead to:
    the next ``reviews`` scheduled reviews of each ``review every`` line, the notices before the
    end of the term, the start of the term's notice period, supplier contracts ending before the
    term. Each made by the function that fires it in an evaluation, so that a date announced is
    the date it fires; in time order, then in the order of the lines."""
    agreement = ctx.agreement
    found: list[Fired] = []
    for review in agreement.reviews:
        coming = (fired for fired in _scheduled(review, ctx) if fired.at > ctx.at)
        found.extend(islice(coming, reviews))
    for notification in agreement.notifications:
        found.extend(_notice(notification, agreement, ctx))
    term = agreement.term
    if term is not None:
        found.extend(_term_notice(term.loc, agreement, ctx))
    found.extend(_underlying_ending(None, agreement, ctx))
    later = [fired for fired in found if fired.at > ctx.at]
    return sorted(later, key=lambda fired: (utc(fired.at), fired.loc.line, fired.loc.column))


def _dates(start: dt.date, every: Duration) -> Iterable[dt.date]:
    """``start``, ``start + every``, ... : months from the date (clamped to shorter months), or
    whole days."""
    index = 0
    while True:
        if every.unit in _MONTHS:
            yield add_months(start, int(every.amount * _MONTHS[every.unit] * index))
        else:
            days = int((every.seconds or 86400) // 86400) or 1
            yield start + dt.timedelta(days=days * index)
        index += 1


# ----------------------------------------------------------------------------- renegotiation
def _renegotiation(
    condition: k.RenegotiationCondition,
    agreement: ResolvedContract,
    judged: list[Judged],
    ctx: EvaluationContext,
    measure: Measure,
    span: BaselineSpan | None,
    margins: tuple[Fraction, Fraction],
    each: str | None = None,
) -> list[Fired]:
    """The firings of one condition. With ``each`` (``at the end of each month in which ...``,
    a window's condition only: the checks refuse the others), at the end of every slot at which
    the window holds, not only when it starts to hold."""
    every = each is not None
    if isinstance(condition, k.ClauseBreached):
        return _clause_breached(condition, agreement, judged, ctx, every)
    if isinstance(condition, k.WideMargin):
        return _wide_margin(condition, agreement, judged, ctx, margins, every)
    if isinstance(condition, k.NeverMet):
        return _never_met(condition, agreement, judged, ctx, span)
    if isinstance(condition, k.MetricValueRun):
        return _metric_value_run(condition, ctx, measure, every)
    if isinstance(condition, k.VolumeDrift):
        return _volume_drift(condition, ctx, span)
    if isinstance(condition, k.MetricNoData):
        return _metric_no_data(condition, ctx, measure, every)
    if isinstance(condition, k.TermEnding):
        return _term_ending(condition, agreement, ctx)
    return _underlying_ending(condition, agreement, ctx)


def _clauses(name: str | None, agreement: ResolvedContract) -> list[c.Clause]:
    """The clause named, or every clause in force that promises something (``any clause``)."""
    return [
        clause
        for clause in agreement.clauses
        if (clause.id == name if name is not None else bool(clause.promises))
    ]


def _clause_breached(
    condition: k.ClauseBreached,
    agreement: ResolvedContract,
    judged: list[Judged],
    ctx: EvaluationContext,
    each: bool = False,
) -> list[Fired]:
    """``any clause is breached in 3 of the last 6 months``: each clause on its own."""
    found: list[Fired] = []
    for clause in _clauses(condition.clause, agreement):
        for happening in breach_run(clause, condition.window, judged, ctx, each):
            if each or happening.onset:
                found.append(
                    Fired(
                        "clause_breached",
                        happening.at,
                        happening.reason,
                        condition.loc,
                        clause=clause.id,
                        periods=happening.periods,
                    )
                )
    return found


def _run(
    items: list[tuple[MeasurementPeriod, bool, str]],
    window: c.Window,
    ctx: EvaluationContext,
    each: bool = False,
) -> list[tuple[dt.datetime, list[tuple[MeasurementPeriod, str]], str]]:
    """Runs of slots in which **every** closed period holds (``items``: period, whether it
    holds, what was measured). A slot is a hit when it has periods, all closed and all holding;
    it became one at the end of its last period. Returns each onset: its moment, the periods of
    the window's hit slots, and their slot labels (with ``each``: the end of every slot at which
    the window holds, and the labels led by ``at the end of SLOT,``)."""
    slots = Slots(window.unit, ctx, [p for p, _, _ in items])
    members: dict[int, list[tuple[MeasurementPeriod, bool, str]]] = {}
    for item in items:
        slot = slots.of(item[0])
        if slot is not None:
            members.setdefault(slot, []).append(item)
    marks: list[dt.datetime | None] = [None] * len(slots)
    for slot, inside in members.items():
        if all(ok and closed(p, ctx) for p, ok, _ in inside):
            marks[slot] = max(p.end for p, _, _ in inside)
    found = []
    chosen = (
        slot_ends(marks, [p.end for p in slots.periods], window)
        if each
        else [m for m in moments(marks, window) if m.onset]
    )
    for moment in chosen:
        periods = sorted(
            ((p, d) for s in moment.hits for p, _, d in members[s]),
            key=lambda pair: (pair[0].end, pair[0].start, pair[1]),
        )
        labels = ", ".join(slots.periods[s].label for s in moment.hits)
        found.append((moment.at, periods, labels))
    return found


def _at_the_end(each: bool, at: dt.datetime, window: c.Window, ctx: EvaluationContext) -> str:
    """``at the end of 2026-04, `` before the reason of a firing at a slot's end (``each``)."""
    if not each:
        return ""
    if window.unit == "period":
        return f"at the end of the period ending {at.astimezone(ctx.tz).isoformat()}, "
    slots = ctx.periods(CalendarPeriod(unit=cast(CalendarUnit, window.unit)))
    label = next((p.label for p in slots if p.end == at), at.astimezone(ctx.tz).isoformat())
    return f"at the end of {label}, "


def _wide_margin(
    condition: k.WideMargin,
    agreement: ResolvedContract,
    judged: list[Judged],
    ctx: EvaluationContext,
    margins: tuple[Fraction, Fraction],
    each: bool = False,
) -> list[Fired]:
    """``clause 4 is met by a wide margin for 6 consecutive months``: every objective of the
    clause met using at most the wide share of its error budget, in every period of N slots in a
    row (after the baseline)."""
    wide = margins[0]
    found: list[Fired] = []
    for clause in _clauses(condition.clause, agreement):
        items = []
        for item in judged:
            if item.clause.id != clause.id or item.baseline:
                continue
            used = item.used
            ok = item.status == "met" and used is not None and used <= wide
            used_text = (
                "no error budget"
                if used is None
                else f"{decimal_text(used)}% of the error budget used"
            )
            items.append(
                (item.period, ok, f"{item.objective_text}: {item.value_text()}, {used_text}")
            )
        for at, periods, labels in _run(items, condition.window, ctx, each):
            found.append(
                Fired(
                    "wide_margin",
                    at,
                    f"{_at_the_end(each, at, condition.window, ctx)}clause {clause.id} was met by a wide margin (at most {decimal_text(wide)}%"
                    f" of the error budget used) for {printer.window(condition.window)}:"
                    f" {labels}",
                    condition.loc,
                    clause=clause.id,
                    periods=[PeriodNote(p, d) for p, d in periods],
                )
            )
    return found


def _never_met(
    condition: k.NeverMet,
    agreement: ResolvedContract,
    judged: list[Judged],
    ctx: EvaluationContext,
    span: BaselineSpan | None,
) -> list[Fired]:
    """``clause 2 is never met during the baseline``: for each objective (each group) of the
    clause, when the baseline is over, none of its baseline periods was met and at least one
    was breached. It fires when the last baseline period ends."""
    if span is None:
        return []
    found: list[Fired] = []
    for clause in _clauses(condition.clause, agreement):
        for key, items in _by_objective(j for j in judged if j.clause.id == clause.id):
            inside = [j for j in items if j.baseline]
            if not inside or not all(j.closed for j in inside):
                continue
            if any(j.status == "met" for j in inside):
                continue
            breached = [j for j in inside if j.status == "breached"]
            if not breached:
                continue
            at = max([span.end, *(j.period.end for j in inside)])
            labels = ", ".join(j.period.label for j in breached)
            found.append(
                Fired(
                    "never_met",
                    at,
                    f"clause {clause.id}: {key} was never met during the baseline"
                    f" ({span.first} to {span.after - dt.timedelta(days=1)}): breached in"
                    f" {labels}",
                    condition.loc,
                    clause=clause.id,
                    metric=inside[0].metric.id,
                    periods=[PeriodNote(j.period, breach_detail(j)) for j in inside],
                )
            )
    return found


def _by_objective(items: Iterable[Judged]) -> list[tuple[str, list[Judged]]]:
    """The items of each objective (each group of it), in the order first seen."""
    grouped: dict[tuple[str, str], list[Judged]] = {}
    for item in items:
        grouped.setdefault((item.clause.id, item.objective_text), []).append(item)
    return [(key[1], found) for key, found in grouped.items()]


def _metric_value_run(
    condition: k.MetricValueRun, ctx: EvaluationContext, measure: Measure, each: bool = False
) -> list[Fired]:
    """``satisfaction < 3.5 for 2 consecutive quarters``: the metric's value (across its groups)
    compares so in every closed period of N slots in a row."""
    metric = ctx.metric(condition.metric)
    measured = measure(metric)
    items = []
    for period in ctx.periods(metric.period):
        measurement = measured[period.label]
        threshold = target_fraction(condition.value, measurement.dimension)
        ok = holds(measurement.value, condition.op, threshold)
        items.append(
            (period, ok, f"{metric.id} {quantity(measurement.value, measurement.dimension)}")
        )
    found: list[Fired] = []
    for at, periods, labels in _run(items, condition.window, ctx, each):
        found.append(
            Fired(
                "metric_value_run",
                at,
                f"{_at_the_end(each, at, condition.window, ctx)}{metric.id} {condition.op} {condition.value} for"
                f" {printer.window(condition.window)}: {labels}",
                condition.loc,
                metric=metric.id,
                periods=[PeriodNote(p, d) for p, d in periods],
            )
        )
    return found


def _metric_no_data(
    condition: k.MetricNoData, ctx: EvaluationContext, measure: Measure, each: bool = False
) -> list[Fired]:
    """``any metric has no data for a month``: a metric without a value (or with fewer records
    than its ``at least N records``) in every closed period that ends in a slot of the unit."""
    metrics: list[Metric] = (
        [ctx.metric(condition.metric)]
        if condition.metric is not None
        else list(ctx.agreement.metrics.values())
    )
    window = c.Consecutive(count=1, unit=condition.unit)
    found: list[Fired] = []
    for metric in metrics:
        measured = measure(metric)
        minimum = metric.minimum_data
        items = []
        for period in ctx.periods(metric.period):
            measurement = measured[period.label]
            short = (
                minimum is not None
                and measurement.value is not None
                and measurement.records < minimum.records
            )
            if measurement.value is None:
                detail = measurement.no_data or "no data"
            elif short:
                assert minimum is not None
                detail = f"too few records: {measurement.records} of the {minimum.records} required"
            else:
                detail = f"{metric.id} {quantity(measurement.value, measurement.dimension)}"
            items.append((period, measurement.value is None or short, detail))
        for at, periods, labels in _run(items, window, ctx, each):
            found.append(
                Fired(
                    "metric_no_data",
                    at,
                    f"{_at_the_end(each, at, window, ctx)}{metric.id} had no data for a {condition.unit}: {labels} ({periods[0][1]})",
                    condition.loc,
                    metric=metric.id,
                    periods=[PeriodNote(p, d) for p, d in periods],
                )
            )
    return found


# ------------------------------------------------------------------------------ volume drift
def _volume_drift(
    condition: k.VolumeDrift, ctx: EvaluationContext, span: BaselineSpan | None
) -> list[Fired]:
    """``the volume of ticket records moves 25% from the baseline``: after the baseline, each
    closed period of the baseline's unit (months for a baseline given by dates) is compared
    with the baseline by records per day; it fires at the end of a period whose rate differs
    from the baseline's by at least the percentage, and again only after a period within it."""
    if span is None or span.end > ctx.at:
        return []
    unit = _volume_unit(ctx)
    when = [r.when for r in ctx.records(condition.selection)]
    instants = sorted(utc(w) for w in when if w is not None)
    baseline_days = (span.after - span.first).days
    base_count = _count(instants, span.start, span.end)
    base_rate = Fraction(base_count, baseline_days)
    share = Fraction(condition.percent.value)
    kind = condition.selection.record_type
    found: list[Fired] = []
    previous = False
    for period in ctx.periods(CalendarPeriod(unit=unit)):
        if period.start < span.end or not closed(period, ctx):
            continue
        days = _local_days(period, ctx)
        count = _count(instants, period.start, period.end)
        rate = Fraction(count, days)
        if base_count == 0:
            moved = count > 0  # from nothing, any volume is a change
            change = "none in the baseline"
        else:
            drift = (rate - base_rate) / base_rate * 100
            moved = abs(drift) >= share
            sign = "+" if drift >= 0 else ""
            change = f"{sign}{decimal_text(drift)}% from the baseline's {_rate(base_rate)} a day"
        if moved and not previous:
            detail = (
                f"{count} {plural('record', count)} in {days} {plural('day', days)},"
                f" {_rate(rate)} a day"
            )
            found.append(
                Fired(
                    "volume_drift",
                    period.end,
                    f"the volume of {printer.selection(condition.selection)} moved"
                    f" {condition.percent} or more from the baseline in {period.label}: {detail}"
                    f" ({change}; the baseline had {base_count} in {baseline_days} days)",
                    condition.loc,
                    periods=[PeriodNote(period, f"{kind} records: {detail}")],
                )
            )
        previous = moved
    return found


def _volume_unit(ctx: EvaluationContext) -> CalendarUnit:
    """The unit volumes are compared in: the baseline's (``the first 3 months``), else months."""
    declared = ctx.agreement.baseline
    unit = ((declared.unit if declared is not None else None) or "month").removesuffix("s")
    for known in ("day", "week", "month", "quarter", "year"):
        if unit == known:
            return known
    return "month"


def _count(instants: list[dt.datetime], start: dt.datetime, end: dt.datetime) -> int:
    return bisect_left(instants, utc(end)) - bisect_left(instants, utc(start))


def _local_days(period: MeasurementPeriod, ctx: EvaluationContext) -> int:
    first = period.start.astimezone(ctx.tz).date()
    after = period.end.astimezone(ctx.tz).date()
    return max((after - first).days, 1)


def _rate(rate: Fraction) -> str:
    return decimal_text(rate)


# ----------------------------------------------------------------------------- term, notices
def _term_end(ctx: EvaluationContext) -> tuple[dt.date, dt.datetime] | None:
    """The term's last day and the instant it ends (local midnight after it)."""
    if ctx.term_end is None:
        return None
    return ctx.term_end, local_midnight(ctx.term_end + dt.timedelta(days=1), ctx.tz)


def before(day_after: dt.date, duration: Duration, ctx: EvaluationContext) -> dt.datetime:
    """Local midnight ``duration`` before local midnight of ``day_after``: months are calendar
    months, days and weeks local days, business days opening days of the contract's calendar
    (the start of the N-th opening day back, so that N whole opening days lie before it)."""
    if duration.business:
        calendar = ctx.business_calendar(duration)
        return local_midnight(calendar.opening_day_back(day_after, int(duration.amount)), ctx.tz)
    if duration.unit in _MONTHS:
        months = int(duration.amount * _MONTHS[duration.unit])
        return local_midnight(add_months(day_after, -months), ctx.tz)
    days = int((duration.seconds or 0) // 86400)
    return local_midnight(day_after - dt.timedelta(days=days), ctx.tz)


def _term_start(ctx: EvaluationContext) -> dt.datetime:
    return local_midnight(ctx.term_start, ctx.tz)


def _before_the_term(begins: dt.datetime, at: dt.datetime) -> str:
    return ", before the term began: due from its first day" if begins < at else ""


def _term_ending(
    condition: k.TermEnding, agreement: ResolvedContract, ctx: EvaluationContext
) -> list[Fired]:
    """``the term ends within its notice period``: when the notice period before the end of the
    term begins."""
    return _term_notice(condition.loc, agreement, ctx)


def _term_notice(
    loc: SourceLocation, agreement: ResolvedContract, ctx: EvaluationContext
) -> list[Fired]:
    """When the term's notice period begins (``term ... notice 90 days``), at ``loc``."""
    ending = _term_end(ctx)
    term = agreement.term
    if ending is None or term is None or term.notice is None:
        return []
    last, _ = ending
    # A notice period longer than the term began before it: it holds from the term's start.
    begins = before(last + dt.timedelta(days=1), term.notice, ctx)
    at = max(begins, _term_start(ctx))
    return [
        Fired(
            "term_ending",
            at,
            f"the term ends on {last}: its notice period of {term.notice} begins"
            f" on {begins.astimezone(ctx.tz).date()}{_before_the_term(begins, at)}",
            loc,
        )
    ]


def _notice(
    notification: k.Notification, agreement: ResolvedContract, ctx: EvaluationContext
) -> list[Fired]:
    """``notify "X" 90 days before the end of the term``."""
    ending = _term_end(ctx)
    if ending is None:
        return []
    last, _ = ending
    begins = before(last + dt.timedelta(days=1), notification.before_end, ctx)
    at = max(begins, _term_start(ctx))
    to = recipient(notification.to, notification.representative, ctx)
    whom = f"notify {to}" if to else "notice"
    return [
        Fired(
            "notice",
            at,
            f"{whom}: the term ends on {last}, {notification.before_end} from"
            f" {begins.astimezone(ctx.tz).date()}{_before_the_term(begins, at)}",
            notification.loc,
            to=to,
        )
    ]


def _underlying_ending(
    condition: k.UnderlyingEnding | None, agreement: ResolvedContract, ctx: EvaluationContext
) -> list[Fired]:
    """``an underlying contract ends before the term``: for each supplier contract or lease of
    a service that ends before the term (or at all, when the term has no end), ahead of its end
    by the term's notice period, and no earlier than the start of the term. Without a notice
    period it fires at the start of the term: the gap is known from the first day."""
    term = agreement.term
    found: list[Fired] = []
    for service in ctx.agreement.services.values():
        for underlying in service.underlying:
            ends = underlying.ends
            if ends is None or (ctx.term_end is not None and ends >= ctx.term_end):
                continue
            day_after = ends + dt.timedelta(days=1)
            term_start = local_midnight(ctx.term_start, ctx.tz)
            if term is not None and term.notice is not None:
                at = max(before(day_after, term.notice, ctx), term_start)
                ahead = f"; the term's notice period is {term.notice}"
            else:
                at = term_start
                ahead = ""
            supported = f"the term ({ctx.term_end})" if ctx.term_end else "the term (no end)"
            found.append(
                Fired(
                    "underlying_ending",
                    at,
                    f'service {service.id} depends on "{underlying.reference}", which ends on'
                    f" {ends}, before {supported}{ahead}",
                    underlying.loc if condition is None else condition.loc,
                )
            )
    return found


# --------------------------------------------------------------------------- baseline review
def _baseline_review(
    span: BaselineSpan, judged: list[Judged], ctx: EvaluationContext
) -> list[Fired]:
    """At the end of the baseline (when its last period ends), one review comparing, for each
    objective, the level achieved in the baseline periods with the target."""
    if any(not j.closed for j in judged if j.baseline):
        return []  # a baseline period is still running
    comparisons: list[Comparison] = []
    ends = [span.end]
    for key, items in _by_objective(judged):
        inside = [j for j in items if j.baseline]
        if not inside:
            continue
        ends.extend(j.period.end for j in inside)
        comparisons.append(_comparison(key, inside))
    if not comparisons:
        return []
    at = max(ends)
    last = span.after - dt.timedelta(days=1)
    summary = "; ".join(f"{cmp.clause} {cmp.objective}: {cmp.outcome}" for cmp in comparisons)
    return [
        Fired(
            "baseline_review",
            at,
            f"the baseline ({span.first} to {last}) is over: review the targets against what was"
            f" achieved. {summary}",
            _baseline_loc(ctx),
            comparisons=comparisons,
        )
    ]


def _baseline_loc(ctx: EvaluationContext) -> SourceLocation:
    declared = ctx.agreement.baseline
    assert declared is not None
    return declared.loc


def _comparison(key: str, inside: list[Judged]) -> Comparison:
    first = inside[0]
    valued = [j.value for j in inside if j.value is not None and not j.short]
    op = first.objective.op
    achieved: Fraction | None = None
    if valued and op in (">=", ">"):
        achieved = min(valued)
    elif valued and op in ("<=", "<"):
        achieved = max(valued)
    met = sum(1 for j in inside if j.status == "met")
    breached = sum(1 for j in inside if j.status == "breached")
    no_data = len(inside) - met - breached
    judged = met + breached
    if first.target is None:
        outcome = f"no target yet: {first.reason}" if first.reason else "no target"
    elif judged == 0:
        outcome = f"no data in {len(inside)} {plural('period', len(inside))}"
    elif breached == 0:
        outcome = f"met in {met} of {judged} {plural('period', judged)}"
    else:
        outcome = f"breached in {breached} of {judged} {plural('period', judged)}"
    if isinstance(first.objective.target, c.BaselineTarget) and first.target is not None:
        outcome += f" (the target {first.objective.target} is {first.value_of(first.target)})"
    if achieved is not None:
        outcome += f"; level achieved in every period: {quantity(achieved, first.dimension)}"
    return Comparison(
        clause=first.clause.id,
        metric=first.metric.id,
        group=group_keys.named(first.group, getattr(first.metric.measure, "group_by", ())),
        objective=key,
        unit=first.unit,
        periods=[PeriodNote(j.period, breach_detail(j)) for j in inside],
        achieved=achieved,
        met=met,
        breached=breached,
        no_data=no_data,
        outcome=outcome,
    )

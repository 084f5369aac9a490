"""Exclusions: which records take time out of a metric's periods, and which are refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from obligo.engine.context import EvaluationContext, Record
from obligo.engine.intervals import Interval, intersect, union
from obligo.model.contract import Exclusion, NoticeRule, WindowRule
from obligo.report.model import ExclusionRefused


@dataclass
class ExcludedTime:
    exclusion: Exclusion
    intervals: list[tuple[Interval, Record]]
    refused: list[ExclusionRefused]


def excluded_time(exclusion: Exclusion, ctx: EvaluationContext) -> ExcludedTime:
    """The intervals an exclusion may take out, each with its record, after its validity rules."""
    fields = [r.announced_field for r in exclusion.valid_when if isinstance(r, NoticeRule)]
    fields += [r.before_field for r in exclusion.valid_when if isinstance(r, NoticeRule)]
    accepted: list[tuple[Interval, Record]] = []
    refused: list[ExclusionRefused] = []
    for selection in exclusion.sources:
        for record in ctx.records(selection, fields):
            interval = _interval(record, ctx)
            if interval is None:
                continue
            reason = _refusal(exclusion, record)
            if reason is not None:
                refused.append(
                    ExclusionRefused(
                        exclusion=exclusion.id,
                        type=record.type,
                        id=record.id,
                        start=record.start,
                        reason=reason,
                    )
                )
                continue
            pieces = [interval]
            for rule in exclusion.valid_when:
                if isinstance(rule, WindowRule):
                    window = ctx.calendar(rule.calendar).opening_intervals(*interval)
                    pieces = intersect(pieces, window)
            accepted.extend((piece, record) for piece in union(pieces))
    return ExcludedTime(exclusion, accepted, refused)


def _interval(record: Record, ctx: EvaluationContext) -> Interval | None:
    if record.start is None:
        return None
    end = record.end if record.end is not None else ctx.at
    return (record.start, end) if end > record.start else None


def _refusal(exclusion: Exclusion, record: Record) -> str | None:
    for rule in exclusion.valid_when:
        if not isinstance(rule, NoticeRule):
            continue
        announced = record.fields.get(rule.announced_field)
        before = record.fields.get(rule.before_field)
        if rule.before_field == "start":
            before = record.start
        if announced is None:
            return f"not announced: no {rule.announced_field}"
        if before is None:
            return f"no {rule.before_field} to measure the notice against"
        notice = rule.at_least.seconds
        assert notice is not None  # the checks require a fixed notice
        given = before - announced
        if given < dt.timedelta(microseconds=int(notice * 1_000_000)):
            return (
                f"announced {_days(given.total_seconds())} before {rule.before_field},"
                f" {rule.at_least} required"
            )
    return None


def _days(seconds: float) -> str:
    if seconds < 0:
        return "after it started"
    hours = seconds / 3600
    if hours < 48:
        return f"{hours:g} hours"
    return f"{hours / 24:g} days"

"""The time before a period whose fee an amount reads: ``the fee of the month before``, ``the
average fee of the last 3 months``."""

from __future__ import annotations

import datetime as dt

from obligo.engine.context import EvaluationContext
from obligo.engine.time.periods import add_months, local_midnight
from obligo.model import clauses as c

_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def other_span(
    other: c.OtherPeriodFee, start: dt.datetime, ctx: EvaluationContext
) -> tuple[dt.datetime, dt.datetime, int, str] | str:
    """The time whose fee ``the fee of the month before`` / ``the average fee of the last 3
    months`` reads: whole units just before ``start`` (the period's start), none before the
    term's start (the units cut by it are left out). Returns the span, the units in it and its
    label, or why there is none."""
    tz = ctx.tz
    day = start.astimezone(tz).date()

    def back(k: int) -> dt.date:
        if other.unit in _MONTHS:
            return add_months(day, -k * _MONTHS[other.unit])
        return day - dt.timedelta(days=k * (7 if other.unit == "week" else 1))

    term_start = ctx.term_start
    count = other.count
    while count > 0 and back(count) < term_start:
        count -= 1
    unit = other.unit
    if count == 0:
        return (
            f"no whole {unit} of the term ({term_start.isoformat()} on) before"
            f" {day.isoformat()}: the fee of the {unit} before is not known"
            if not other.average
            else f"no whole {unit} of the term ({term_start.isoformat()} on) before"
            f" {day.isoformat()}: the average fee of the last {other.count}"
            f" {unit}s is not known"
        )
    first = back(count)
    last = day - dt.timedelta(days=1)
    label = f"{first.isoformat()} to {last.isoformat()}"
    return local_midnight(first, tz), start, count, label

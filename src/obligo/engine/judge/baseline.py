"""The baseline: the first periods of a contract, measured and reported but without consequences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from obligo.engine.time.periods import add_months, local_midnight
from obligo.model.contract import Baseline

# `baseline the first N <unit>`: how long one unit is, in months or days.
_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_DAYS = {"day": 1, "week": 7}


@dataclass(frozen=True)
class BaselineSpan:
    """``[first, after)`` in local dates; ``start``/``end`` are the same instants, aware."""

    first: dt.date
    after: dt.date
    start: dt.datetime
    end: dt.datetime

    def covers(self, period_start: dt.datetime) -> bool:
        """A period belongs to the baseline when it starts inside the baseline span."""
        return self.start <= period_start < self.end


def baseline_span(
    baseline: Baseline | None, term_start: dt.date, tz: ZoneInfo
) -> BaselineSpan | None:
    """The baseline's span: the first N units from the term's first day, or the dates given
    (both inclusive: ``baseline 2026-02-01 to 2026-04-30`` ends at the end of April 30th)."""
    if baseline is None:
        return None
    if baseline.start is not None and baseline.end is not None:
        first, after = baseline.start, baseline.end + dt.timedelta(days=1)
    else:
        count = baseline.first or 0
        unit = (baseline.unit or "month").removesuffix("s")
        first = term_start
        if unit in _MONTHS:
            after = add_months(first, count * _MONTHS[unit])
        else:
            after = first + dt.timedelta(days=count * _DAYS.get(unit, 1))
    return BaselineSpan(first, after, local_midnight(first, tz), local_midnight(after, tz))

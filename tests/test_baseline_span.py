"""The baseline's span: first N units from the term's first day, or dates (both inclusive)."""

import datetime as dt
from zoneinfo import ZoneInfo

from obligo.engine.judge.baseline import baseline_span
from obligo.model.contract import Baseline

BERLIN = ZoneInfo("Europe/Berlin")


def test_first_three_months_from_the_first_of_a_month() -> None:
    span = baseline_span(Baseline(first=3, unit="month"), dt.date(2026, 1, 1), BERLIN)
    assert span is not None
    assert (span.first, span.after) == (dt.date(2026, 1, 1), dt.date(2026, 4, 1))
    # April 1st, local midnight, is already summer time in Berlin.
    assert span.end == dt.datetime(2026, 3, 31, 22, 0, tzinfo=dt.UTC)
    assert span.covers(dt.datetime(2026, 3, 1, tzinfo=BERLIN))
    assert not span.covers(dt.datetime(2026, 4, 1, tzinfo=BERLIN))


def test_months_from_a_late_day_are_clamped() -> None:
    span = baseline_span(Baseline(first=1, unit="month"), dt.date(2026, 1, 31), BERLIN)
    assert span is not None and span.after == dt.date(2026, 2, 28)


def test_weeks_and_dates() -> None:
    weeks = baseline_span(Baseline(first=2, unit="week"), dt.date(2026, 1, 5), BERLIN)
    assert weeks is not None and weeks.after == dt.date(2026, 1, 19)
    dates = Baseline(start=dt.date(2026, 2, 1), end=dt.date(2026, 4, 30))
    span = baseline_span(dates, dt.date(2026, 1, 1), BERLIN)
    assert span is not None and (span.first, span.after) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 5, 1),
    )


def test_no_baseline() -> None:
    assert baseline_span(None, dt.date(2026, 1, 1), BERLIN) is None

"""Measurement periods: calendar periods, billing cycles, consecutive and rolling periods.

Every expected value is worked out by hand: a month has its days times 1,440 minutes, less 60
when the clocks go forward in it (Europe/Berlin 2026-03-29, America/New_York 2026-03-08) and
plus 60 when they go back (Europe/Berlin 2026-10-25, America/New_York 2026-11-01).
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from obligo.engine.time.periods import (
    MeasurementPeriod,
    local_instant,
    local_midnight,
    measurement_periods,
    period_containing,
)
from obligo.errors import ObligoError
from obligo.model.base import Duration
from obligo.model.contract import BillingCycle
from obligo.model.metrics import (
    BillingCyclePeriod,
    CalendarPeriod,
    ConsecutivePeriod,
    Period,
    RollingPeriod,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTC = ZoneInfo("UTC")
HAVANA = ZoneInfo("America/Havana")  # the clocks go forward at midnight: 00:00 does not exist


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def at(text: str, tz: ZoneInfo = BERLIN) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz)


def calendar(unit: str) -> CalendarPeriod:
    return CalendarPeriod(unit=unit)


def days(amount: int, unit: str = "day") -> Duration:
    return Duration(amount=Decimal(amount), unit=unit)


def monthly(anchor: dt.date | None = None, every: str = "month") -> BillingCycle:
    return BillingCycle(every=Duration(amount=Decimal(1), unit=every), anchor=anchor)


def utc(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(UTC)


def labels(periods: list[MeasurementPeriod]) -> list[str]:
    return [p.label for p in periods]


# ----------------------------------------------------------------------------- local time
def test_local_midnight_is_the_first_instant_of_the_day() -> None:
    assert local_midnight(d("2026-03-29"), BERLIN) == at("2026-03-28T23:00", UTC)
    assert local_midnight(d("2026-03-30"), BERLIN) == at("2026-03-29T22:00", UTC)
    # Havana skips 00:00-01:00 on 2026-03-08: the day starts at the jump, 01:00 CDT = 05:00Z
    assert local_midnight(d("2026-03-08"), HAVANA) == at("2026-03-08T05:00", UTC)


def test_a_skipped_wall_time_maps_to_the_jump_and_a_repeated_one_to_its_first_time() -> None:
    assert local_instant(d("2026-03-29"), dt.time(2, 30), BERLIN) == at("2026-03-29T01:00", UTC)
    assert local_instant(d("2026-10-25"), dt.time(2, 30), BERLIN) == at("2026-10-25T00:30", UTC)
    assert local_instant(d("2026-10-25"), dt.time(3, 0), BERLIN) == at("2026-10-25T02:00", UTC)


def test_a_day_without_midnight_has_23_hours() -> None:
    [day] = measurement_periods(
        calendar("day"), HAVANA, d("2026-03-08"), d("2026-03-08"), at("2026-03-08T12:00", HAVANA)
    )
    assert day.label == "2026-03-08"
    assert day.minutes == 23 * 60
    assert day.start.isoformat() == "2026-03-08T01:00:00-04:00"


# ------------------------------------------------------------------------ calendar periods
def test_months_across_dst_in_berlin() -> None:
    periods = measurement_periods(
        calendar("month"), BERLIN, d("2026-01-01"), d("2026-12-31"), at("2027-06-01T00:00")
    )
    assert labels(periods) == [f"2026-{m:02d}" for m in range(1, 13)]
    by_label = {p.label: p for p in periods}
    assert by_label["2026-03"].minutes == 44_580  # 31 × 1,440 − 60
    assert by_label["2026-03"].seconds == 44_580 * 60
    assert by_label["2026-10"].minutes == 44_700  # 31 × 1,440 + 60
    assert by_label["2026-02"].minutes == 40_320
    assert by_label["2026-03"].start.isoformat() == "2026-03-01T00:00:00+01:00"
    assert by_label["2026-03"].end.isoformat() == "2026-04-01T00:00:00+02:00"
    assert not any(p.partial for p in periods)


def test_months_across_dst_in_new_york() -> None:
    periods = measurement_periods(
        calendar("month"), NEW_YORK, d("2026-01-01"), None, at("2026-11-15T08:00", NEW_YORK)
    )
    assert labels(periods)[-1] == "2026-11"
    by_label = {p.label: p for p in periods}
    assert by_label["2026-11"].minutes == 43_260  # 30 × 1,440 + 60
    assert by_label["2026-03"].minutes == 44_580  # 31 × 1,440 − 60
    assert by_label["2026-11"].end.isoformat() == "2026-12-01T00:00:00-05:00"


def test_days_on_dst_changes_have_23_and_25_hours() -> None:
    for tz, short, long in [
        (BERLIN, "2026-03-29", "2026-10-25"),
        (NEW_YORK, "2026-03-08", "2026-11-01"),
    ]:
        periods = measurement_periods(
            calendar("day"), tz, d("2026-01-01"), d("2026-12-31"), at("2027-01-01T00:00", tz)
        )
        assert len(periods) == 365
        by_label = {p.label: p for p in periods}
        assert by_label[short].seconds == 23 * 3600
        assert by_label[long].seconds == 25 * 3600
        assert by_label["2026-06-01"].seconds == 24 * 3600


def test_quarters_and_years() -> None:
    quarters = measurement_periods(
        calendar("quarter"), BERLIN, d("2026-01-01"), d("2026-12-31"), at("2026-12-31T23:59")
    )
    assert labels(quarters) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert quarters[0].minutes == 90 * 1440 - 60  # Jan + Feb + Mar = 90 days, spring forward
    assert quarters[1].minutes == 91 * 1440
    assert quarters[3].minutes == 92 * 1440 + 60
    years = measurement_periods(
        calendar("year"), BERLIN, d("2025-01-01"), None, at("2026-06-01T00:00")
    )
    assert labels(years) == ["2025", "2026"]
    assert years[1].minutes == 365 * 1440  # an hour lost in March, won back in October
    assert years[1].end.isoformat() == "2027-01-01T00:00:00+01:00"


def test_iso_weeks() -> None:
    weeks = measurement_periods(
        calendar("week"), BERLIN, d("2026-03-02"), None, at("2026-03-29T12:00")
    )
    assert labels(weeks) == ["2026-W10", "2026-W11", "2026-W12", "2026-W13"]
    assert weeks[0].start.isoformat() == "2026-03-02T00:00:00+01:00"  # a Monday
    assert weeks[3].minutes == 7 * 1440 - 60
    # ISO weeks belong to their week-numbering year: 2025-12-31 is in 2026-W01; 2026 has 53 weeks
    around_new_year = measurement_periods(
        calendar("week"), BERLIN, d("2025-12-31"), d("2027-01-06"), at("2028-01-01T00:00")
    )
    assert around_new_year[0].label == "2026-W01"
    assert around_new_year[0].partial
    assert around_new_year[0].start.isoformat() == "2025-12-31T00:00:00+01:00"
    assert labels(around_new_year)[-2:] == ["2026-W53", "2027-W01"]
    assert around_new_year[-1].partial  # the term ends on Wednesday 2027-01-06
    assert around_new_year[-1].end.isoformat() == "2027-01-07T00:00:00+01:00"


def test_day_labels() -> None:
    periods = measurement_periods(
        calendar("day"), BERLIN, d("2026-03-04"), None, at("2026-03-05T00:00")
    )
    assert labels(periods) == ["2026-03-04", "2026-03-05"]  # 03-05 00:00 opens the second day


# ------------------------------------------------------------------------- term and until
def test_partial_first_and_last_periods_at_the_term_edges() -> None:
    periods = measurement_periods(
        calendar("month"), BERLIN, d("2026-01-10"), d("2026-12-20"), at("2027-01-01T00:00")
    )
    assert len(periods) == 12
    first, last = periods[0], periods[-1]
    assert (first.label, first.partial) == ("2026-01", True)
    assert first.start.isoformat() == "2026-01-10T00:00:00+01:00"
    assert first.minutes == 22 * 1440
    assert (last.label, last.partial) == ("2026-12", True)
    assert last.end.isoformat() == "2026-12-21T00:00:00+01:00"  # midnight after the last day
    assert last.minutes == 20 * 1440
    assert not any(p.partial for p in periods[1:-1])


def test_until_selects_the_periods_up_to_the_one_containing_it() -> None:
    def run(until: dt.datetime) -> list[str]:
        return labels(measurement_periods(calendar("month"), BERLIN, d("2026-01-01"), None, until))

    assert run(at("2026-03-15T12:00")) == ["2026-01", "2026-02", "2026-03"]
    assert run(at("2026-03-01T00:00")) == ["2026-01", "2026-02", "2026-03"]
    assert run(at("2026-02-28T23:59:59.999999")) == ["2026-01", "2026-02"]
    assert run(at("2026-01-01T00:00")) == ["2026-01"]
    assert run(at("2025-12-31T23:59")) == []  # before the term
    # the same instant in another timezone
    assert run(at("2026-02-28T23:30", UTC)) == ["2026-01", "2026-02", "2026-03"]


def test_until_after_the_term_end_gives_the_whole_term() -> None:
    periods = measurement_periods(
        calendar("quarter"), BERLIN, d("2026-02-01"), d("2026-05-15"), at("2030-01-01T00:00")
    )
    assert labels(periods) == ["2026-Q1", "2026-Q2"]
    assert [p.partial for p in periods] == [True, True]
    assert periods[-1].end.isoformat() == "2026-05-16T00:00:00+02:00"


def test_a_period_that_is_the_whole_term_is_cut_at_both_ends() -> None:
    [only] = measurement_periods(
        calendar("month"), BERLIN, d("2026-03-10"), d("2026-03-20"), at("2026-03-15T00:00")
    )
    assert (only.label, only.partial, only.seconds) == ("2026-03", True, 11 * 86400)


def test_naive_until_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        measurement_periods(calendar("day"), BERLIN, d("2026-01-01"), None, dt.datetime(2026, 1, 2))


# --------------------------------------------------------------------------- billing cycles
def test_billing_cycles_anchored_on_the_31st_clamp_to_short_months() -> None:
    periods = measurement_periods(
        BillingCyclePeriod(),
        BERLIN,
        d("2026-01-31"),
        d("2026-12-31"),
        at("2027-02-01T00:00"),
        monthly(d("2026-01-31")),
    )
    assert labels(periods)[:5] == [
        "2026-01-31/2026-02-27",
        "2026-02-28/2026-03-30",
        "2026-03-31/2026-04-29",
        "2026-04-30/2026-05-30",
        "2026-05-31/2026-06-29",
    ]
    assert periods[1].seconds == (31 * 24 - 1) * 3600  # Feb 28 to Mar 30 holds 2026-03-29
    assert periods[-1].label == "2026-12-31/2027-01-30"
    assert periods[-1].partial  # the term ends on its first day
    assert periods[-1].minutes == 1440
    assert not any(p.partial for p in periods[:-1])


def test_billing_cycles_extend_back_before_the_anchor() -> None:
    periods = measurement_periods(
        BillingCyclePeriod(),
        BERLIN,
        d("2028-01-01"),
        None,
        at("2028-03-05T00:00"),
        monthly(d("2027-10-31")),
    )
    assert labels(periods) == [
        "2027-12-31/2028-01-30",
        "2028-01-31/2028-02-28",  # 2028 is a leap year: the cycle starts on Feb 29
        "2028-02-29/2028-03-30",
    ]
    assert [p.partial for p in periods] == [True, False, False]


def test_quarterly_billing_from_an_anchor_and_calendar_billing_without_one() -> None:
    quarterly = measurement_periods(
        BillingCyclePeriod(),
        BERLIN,
        d("2026-01-15"),
        None,
        at("2026-07-15T00:00"),
        monthly(d("2026-01-15"), "quarter"),
    )
    assert labels(quarterly) == [
        "2026-01-15/2026-04-14",
        "2026-04-15/2026-07-14",
        "2026-07-15/2026-10-14",
    ]
    unanchored = measurement_periods(
        BillingCyclePeriod(), BERLIN, d("2026-01-01"), None, at("2026-02-10T00:00"), monthly()
    )
    assert labels(unanchored) == ["2026-01-01/2026-01-31", "2026-02-01/2026-02-28"]
    without_billing = measurement_periods(
        BillingCyclePeriod(), BERLIN, d("2026-03-01"), None, at("2026-03-10T00:00")
    )
    assert labels(without_billing) == ["2026-03-01/2026-03-31"]
    assert without_billing[0].minutes == 44_580


def test_weekly_billing_without_an_anchor_runs_monday_to_sunday() -> None:
    periods = measurement_periods(
        BillingCyclePeriod(),
        BERLIN,
        d("2026-03-04"),
        None,
        at("2026-03-10T00:00"),
        monthly(None, "week"),
    )
    assert labels(periods) == ["2026-03-02/2026-03-08", "2026-03-09/2026-03-15"]
    assert periods[0].partial


# ----------------------------------------------------------------------- consecutive periods
def test_consecutive_30_day_periods_count_local_days() -> None:
    periods = measurement_periods(
        ConsecutivePeriod(length=days(30), start=d("2026-01-01")),
        BERLIN,
        d("2026-01-01"),
        None,
        at("2026-04-01T00:00"),
    )
    assert labels(periods) == [
        "2026-01-01/2026-01-30",
        "2026-01-31/2026-03-01",
        "2026-03-02/2026-03-31",
        "2026-04-01/2026-04-30",
    ]
    assert [p.seconds // 3600 for p in periods] == [720, 720, 719, 720]
    assert periods[2].end.isoformat() == "2026-04-01T00:00:00+02:00"


def test_consecutive_periods_from_a_date_after_the_term_start() -> None:
    periods = measurement_periods(
        ConsecutivePeriod(length=days(2, "week"), start=d("2026-01-15")),
        BERLIN,
        d("2026-01-01"),
        d("2026-02-20"),
        at("2026-12-01T00:00"),
    )
    assert labels(periods) == [
        "2026-01-01/2026-01-14",
        "2026-01-15/2026-01-28",
        "2026-01-29/2026-02-11",
        "2026-02-12/2026-02-25",
    ]
    assert [p.partial for p in periods] == [False, False, False, True]
    assert periods[-1].minutes == 9 * 1440
    periods = measurement_periods(
        ConsecutivePeriod(length=days(30), start=d("2026-01-15")),
        BERLIN,
        d("2026-01-01"),
        None,
        at("2026-01-20T00:00"),
    )
    assert labels(periods) == ["2025-12-16/2026-01-14", "2026-01-15/2026-02-13"]
    assert periods[0].partial and periods[0].minutes == 14 * 1440


def test_consecutive_periods_shorter_than_a_day_are_exact_elapsed_time() -> None:
    periods = measurement_periods(
        ConsecutivePeriod(length=days(12, "h"), start=d("2026-03-29")),
        BERLIN,
        d("2026-03-29"),
        d("2026-03-29"),
        at("2026-04-01T00:00"),
    )
    # 12 h after 00:00 CET is 13:00 CEST; the term ends at 24:00 CEST, 11 hours later
    assert labels(periods) == [
        "2026-03-29T00:00:00+01:00/2026-03-29T13:00:00+02:00",
        "2026-03-29T13:00:00+02:00/2026-03-30T01:00:00+02:00",
    ]
    assert [p.seconds for p in periods] == [12 * 3600, 11 * 3600]
    assert [p.partial for p in periods] == [False, True]


def test_a_length_of_whole_hours_that_makes_days_counts_local_days() -> None:
    periods = measurement_periods(
        ConsecutivePeriod(length=days(48, "h"), start=d("2026-03-28")),
        BERLIN,
        d("2026-03-28"),
        None,
        at("2026-03-30T00:00"),
    )
    assert labels(periods) == ["2026-03-28/2026-03-29", "2026-03-30/2026-03-31"]
    assert periods[0].seconds == 47 * 3600


def test_lengths_that_are_not_periods_are_refused_with_their_location() -> None:
    with pytest.raises(ObligoError, match="business time"):
        measurement_periods(
            ConsecutivePeriod(
                length=Duration(amount=Decimal(1), unit="day", business=True),
                start=d("2026-01-01"),
            ),
            BERLIN,
            d("2026-01-01"),
            None,
            at("2026-02-01T00:00"),
        )
    with pytest.raises(ObligoError, match="whole number of seconds"):
        measurement_periods(
            RollingPeriod(length=days(1500, "ms")),
            BERLIN,
            d("2026-01-01"),
            None,
            at("2026-02-01T00:00"),
        )


# --------------------------------------------------------------------------- rolling windows
def test_rolling_windows_end_at_each_local_midnight() -> None:
    windows = measurement_periods(
        RollingPeriod(length=days(3)),
        BERLIN,
        d("2026-03-27"),
        None,
        at("2026-03-31T12:00"),
    )
    assert labels(windows) == [
        "2026-03-27",
        "2026-03-28",
        "2026-03-29",
        "2026-03-30",
        "2026-03-31",
    ]
    assert [w.seconds // 3600 for w in windows] == [24, 48, 71, 71, 71]
    assert [w.partial for w in windows] == [True, True, False, False, False]
    assert windows[0].start.isoformat() == "2026-03-27T00:00:00+01:00"
    assert windows[2].end.isoformat() == "2026-03-30T00:00:00+02:00"
    assert windows[-1].start.isoformat() == "2026-03-29T00:00:00+01:00"
    assert windows[-1].end.isoformat() == "2026-04-01T00:00:00+02:00"


def test_rolling_windows_stop_at_until_midnight_and_at_the_term_end() -> None:
    def run(until: dt.datetime, end: dt.date | None = None) -> list[str]:
        rolling = RollingPeriod(length=days(30))
        return labels(measurement_periods(rolling, NEW_YORK, d("2026-11-01"), end, until))

    assert run(at("2026-11-03T00:00", NEW_YORK)) == ["2026-11-01", "2026-11-02"]
    assert run(at("2026-11-03T00:00:01", NEW_YORK)) == ["2026-11-01", "2026-11-02", "2026-11-03"]
    assert run(at("2026-11-01T00:00", NEW_YORK)) == ["2026-11-01"]
    assert run(at("2026-10-31T23:00", NEW_YORK)) == []
    assert run(at("2027-01-01T00:00", NEW_YORK), d("2026-11-02")) == ["2026-11-01", "2026-11-02"]


def test_rolling_windows_of_hours() -> None:
    windows = measurement_periods(
        RollingPeriod(length=days(6, "h")),
        BERLIN,
        d("2026-03-28"),
        None,
        at("2026-03-29T12:00"),
    )
    assert labels(windows) == ["2026-03-28", "2026-03-29"]
    assert windows[1].start.isoformat() == "2026-03-29T18:00:00+02:00"
    assert all(w.seconds == 6 * 3600 and not w.partial for w in windows)


# ------------------------------------------------------------------------ period_containing
def test_period_containing() -> None:
    periods = measurement_periods(
        calendar("month"), BERLIN, d("2026-01-10"), d("2026-03-20"), at("2026-12-01T00:00")
    )
    found = period_containing(periods, at("2026-02-28T23:59:59"))
    assert found is not None and found.label == "2026-02"
    found = period_containing(periods, at("2026-03-01T00:00"))
    assert found is not None and found.label == "2026-03"
    found = period_containing(periods, at("2026-02-28T23:30", UTC))  # 00:30 in Berlin
    assert found is not None and found.label == "2026-03"
    assert period_containing(periods, at("2026-01-09T23:59")) is None
    assert period_containing(periods, at("2026-03-21T00:00")) is None
    assert period_containing([], at("2026-03-21T00:00")) is None
    windows = measurement_periods(
        RollingPeriod(length=days(7)), BERLIN, d("2026-03-01"), None, at("2026-03-10T00:00")
    )
    found = period_containing(windows, at("2026-03-05T08:00"))
    assert found is not None and found.label == "2026-03-05"
    assert found.contains(at("2026-03-05T08:00"))


# ------------------------------------------------------------------------------ properties
TIMEZONES = [BERLIN, NEW_YORK, UTC, HAVANA, ZoneInfo("Australia/Lord_Howe")]

PERIODS: list[Period] = [
    *(calendar(unit) for unit in ("day", "week", "month", "quarter", "year")),
    BillingCyclePeriod(),
    ConsecutivePeriod(length=days(30), start=d("2026-02-10")),
    ConsecutivePeriod(length=days(1, "week"), start=d("2025-07-03")),
    ConsecutivePeriod(length=days(7, "h"), start=d("2026-03-01")),
    ConsecutivePeriod(length=days(2, "month"), start=d("2026-01-31")),
]

BILLINGS = [
    None,
    monthly(d("2026-01-31")),
    monthly(None, "quarter"),
    monthly(d("2026-05-30"), "year"),
    monthly(d("2026-01-07"), "week"),
]

dates = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31))


@settings(max_examples=150, deadline=None)
@given(
    period=st.sampled_from(PERIODS),
    billing=st.sampled_from(BILLINGS),
    tz=st.sampled_from(TIMEZONES),
    term_start=dates,
    term_days=st.one_of(st.none(), st.integers(min_value=0, max_value=120)),
    until_offset=st.integers(min_value=-5 * 86400, max_value=150 * 86400),
)
def test_periods_tile_the_term_up_to_until(
    period: Period,
    billing: BillingCycle | None,
    tz: ZoneInfo,
    term_start: dt.date,
    term_days: int | None,
    until_offset: int,
) -> None:
    term_end = None if term_days is None else term_start + dt.timedelta(days=term_days)
    start = local_midnight(term_start, tz)
    until = start + dt.timedelta(seconds=until_offset)
    periods = measurement_periods(period, tz, term_start, term_end, until, billing)
    if until < start:
        assert periods == []
        return
    assert periods
    assert utc(periods[0].start) == start
    for before, after in itertools.pairwise(periods):
        assert utc(before.end) == utc(after.start)  # contiguous, no overlap
    assert all(p.start < p.end and p.seconds > 0 for p in periods)
    assert all(p.start.tzinfo is tz and p.end.tzinfo is tz for p in periods)
    covered = (utc(periods[-1].end) - utc(periods[0].start)) // dt.timedelta(seconds=1)
    assert sum(p.seconds for p in periods) == covered
    assert not any(p.partial for p in periods[1:-1])
    assert len({p.label for p in periods}) == len(periods)
    if term_end is not None and until >= local_midnight(term_end + dt.timedelta(days=1), tz):
        assert utc(periods[-1].end) == local_midnight(term_end + dt.timedelta(days=1), tz)
    else:
        assert periods[-1].contains(until)
        assert period_containing(periods, until) == periods[-1]


@settings(max_examples=100, deadline=None)
@given(
    length=st.sampled_from([days(1), days(7), days(30), days(36, "h"), days(90, "min")]),
    tz=st.sampled_from(TIMEZONES),
    term_start=dates,
    until_offset=st.integers(min_value=0, max_value=60 * 86400),
)
def test_rolling_windows_end_on_consecutive_midnights(
    length: Duration, tz: ZoneInfo, term_start: dt.date, until_offset: int
) -> None:
    start = local_midnight(term_start, tz)
    until = start + dt.timedelta(seconds=until_offset)
    windows = measurement_periods(RollingPeriod(length=length), tz, term_start, None, until)
    ends = [local_midnight(term_start + dt.timedelta(days=k + 1), tz) for k in range(len(windows))]
    assert [utc(w.end) for w in windows] == ends
    assert windows[-1].end >= until > windows[-1].end - dt.timedelta(days=2)
    assert all(w.start >= start and w.start < w.end for w in windows)
    assert all(
        w.partial == (utc(w.start) == start and w.seconds < _full(w, length, tz)) for w in windows
    )


def _full(window: MeasurementPeriod, length: Duration, tz: ZoneInfo) -> int:
    """The length in seconds the window would have without the term start."""
    assert length.seconds is not None
    if length.seconds % 86400 == 0:
        end_day = window.end.astimezone(tz).date()
        start = local_midnight(end_day - dt.timedelta(days=int(length.seconds // 86400)), tz)
    else:
        start = window.end - dt.timedelta(seconds=int(length.seconds))
    return (utc(window.end) - utc(start)) // dt.timedelta(seconds=1)

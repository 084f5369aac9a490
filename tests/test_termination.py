"""Termination rights and escalation notices: each trigger rule, with exact moments and lapses.

Availability per calendar month at >= 99.9%: a one-hour incident breaches any month (a month
allows at most 2,678.4 s); a month without incidents is 100%, met. Months are in UTC unless a
test says otherwise, so every period ends at midnight UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine_helpers import assessment, parse
from obligo.engine.judge.breach_runs import moments
from obligo.model.clauses import Consecutive, NOfLast
from obligo.render.baseline import rights_text
from obligo.report.rights import Assessment
from report_helpers import as_shown

UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")

CHRONIC = """
contract chronic "Chronic failure" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric uptime "Availability"
  availability, per calendar month
  down during incident records

metric outage-time "Outage time"
  total duration of outage records, per calendar month

clause 1 "Availability"
  promise uptime >= 99.9%
  termination right when breached in 3 consecutive months, exercised within 30 days
  escalate to "Service Director" when breached in 2 of the last 3 months

clause 2 "Chronic outages"
  termination right
    when 3 outage records longer than 30 minutes start within any 30 days
    when outage-time > 24 hours in a month
    exercised in writing within 30 days
"""


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def incident(day: str, minutes: int = 60, ident: str | None = None) -> dict[str, Any]:
    """An incident of ``minutes`` from 10:00 UTC on ``day``."""
    start = at(f"{day}T10:00:00+00:00")
    return {
        "type": "incident",
        "id": ident or f"INC-{day}",
        "start": start.isoformat(),
        "end": (start + dt.timedelta(minutes=minutes)).isoformat(),
    }


def outage(start: str, minutes: int | None, ident: str) -> dict[str, Any]:
    """An outage from ``start`` lasting ``minutes`` (None: still open)."""
    record: dict[str, Any] = {"type": "outage", "id": ident, "start": start}
    if minutes is not None:
        record["end"] = (at(start) + dt.timedelta(minutes=minutes)).isoformat()
    return record


def assess(records: list[dict[str, Any]], when: str, text: str = CHRONIC) -> Assessment:
    # A harmless record of each type, so that no metric is unmeasured: a 1-second incident and
    # a 1-second outage on the first day.
    base = [
        incident("2026-01-01", 0, "INC-0") | {"end": "2026-01-01T10:00:01+00:00"},
        outage("2026-01-01T10:00:00+00:00", None, "OUT-0") | {"end": "2026-01-01T10:00:01+00:00"},
    ]
    return assessment(parse(text), base + records, at(when))


def rights_of(result: Assessment, clause: str) -> list[Any]:
    return [r for r in result.termination_rights if r.clause == clause]


# ------------------------------------------------------------------ breached N consecutive
def test_three_consecutive_breached_months_give_the_right_at_the_end_of_the_third() -> None:
    records = [incident("2026-02-10"), incident("2026-03-10"), incident("2026-04-10")]
    result = assess(records, "2026-05-15T00:00:00+00:00")
    (right,) = rights_of(result, "1")
    assert right.trigger == "breached in 3 consecutive months"
    assert right.arose_at == at("2026-05-01T00:00:00+00:00")
    assert right.exercise == "within 30 days"
    assert right.lapses_at == at("2026-05-31T00:00:00+00:00")
    assert right.open is True
    assert (
        right.reason == "clause 1 was breached in 3 consecutive months: 2026-02, 2026-03, 2026-04"
    )
    assert [p.label for p in right.periods] == ["2026-02", "2026-03", "2026-04"]
    assert right.periods[0].detail == "uptime >= 99.9%: 99.851190476%, breached"
    assert right.location.line == 14


def test_the_right_lapses_after_the_time_to_exercise_it() -> None:
    records = [incident("2026-02-10"), incident("2026-03-10"), incident("2026-04-10")]
    before = assess(records, "2026-05-30T23:59:59+00:00")
    after = assess(records, "2026-05-31T00:00:00+00:00")
    assert rights_of(before, "1")[0].open is True
    assert rights_of(after, "1")[0].open is False


def test_two_breached_months_or_a_broken_run_give_no_right() -> None:
    two = assess([incident("2026-02-10"), incident("2026-03-10")], "2026-07-01T00:00:00+00:00")
    broken = assess(
        [incident("2026-02-10"), incident("2026-03-10"), incident("2026-05-10")],
        "2026-07-01T00:00:00+00:00",
    )
    assert rights_of(two, "1") == []
    assert rights_of(broken, "1") == []


def test_a_longer_run_gives_the_right_again_at_each_further_breach() -> None:
    records = [incident(f"2026-0{m}-10") for m in (2, 3, 4, 5)]
    arose = [r.arose_at for r in rights_of(assess(records, "2026-08-01T00:00:00+00:00"), "1")]
    assert arose == [at("2026-05-01T00:00:00+00:00"), at("2026-06-01T00:00:00+00:00")]


def test_the_pending_month_does_not_count() -> None:
    # April is pending on 20 April: its incident has not (yet) breached it.
    records = [incident("2026-02-10"), incident("2026-03-10"), incident("2026-04-10")]
    assert rights_of(assess(records, "2026-04-20T00:00:00+00:00"), "1") == []


def test_baseline_months_do_not_count_toward_a_right() -> None:
    text = CHRONIC + "\nbaseline the first 2 months\n"
    breaches = [incident(f"2026-0{m}-10") for m in (1, 2, 3, 4)]
    # January and February are the baseline: only March and April count, two in a row.
    assert rights_of(assess(breaches, "2026-07-01T00:00:00+00:00", text), "1") == []
    (right,) = rights_of(
        assess([*breaches, incident("2026-05-10")], "2026-07-01T00:00:00+00:00", text), "1"
    )
    assert right.arose_at == at("2026-06-01T00:00:00+00:00")
    assert [p.label for p in right.periods] == ["2026-03", "2026-04", "2026-05"]


def test_a_right_lapses_30_local_days_later_across_the_change_of_the_clocks() -> None:
    text = CHRONIC.replace('timezone "UTC"', 'timezone "Europe/Berlin"')
    records = [incident("2026-01-10"), incident("2026-02-10"), incident("2026-03-10")]
    (right,) = rights_of(assess(records, "2026-04-15T00:00:00+02:00", text), "1")
    # The end of March is local midnight 1 April (CEST); 30 days on is local midnight 1 May.
    assert right.arose_at == dt.datetime(2026, 4, 1, tzinfo=BERLIN)
    assert right.arose_at.isoformat() == "2026-04-01T00:00:00+02:00"
    assert right.lapses_at is not None
    assert right.lapses_at.isoformat() == "2026-05-01T00:00:00+02:00"


def test_a_right_across_the_spring_change_is_30_days_less_an_hour() -> None:
    text = CHRONIC.replace('timezone "UTC"', 'timezone "Europe/Berlin"').replace(
        "term 2026-01-01", "term 2025-12-01"
    )
    records = [incident("2025-12-10"), incident("2026-01-10"), incident("2026-02-10")]
    (right,) = rights_of(assess(records, "2026-04-15T00:00:00+02:00", text), "1")
    assert right.arose_at.isoformat() == "2026-03-01T00:00:00+01:00"
    assert right.lapses_at is not None
    assert right.lapses_at.isoformat() == "2026-03-31T00:00:00+02:00"
    elapsed = right.lapses_at.astimezone(UTC) - right.arose_at.astimezone(UTC)
    assert elapsed == dt.timedelta(days=30, hours=-1)


def test_a_right_without_a_time_to_exercise_it_stays_open() -> None:
    text = CHRONIC.replace(", exercised within 30 days", "")
    records = [incident(f"2026-0{m}-10") for m in (2, 3, 4)]
    (right,) = rights_of(assess(records, "2026-12-01T00:00:00+00:00", text), "1")
    assert (right.exercise, right.lapses_at, right.open) == (None, None, True)


# ------------------------------------------------------------------------ N of the last M
def test_escalation_when_breached_in_two_of_the_last_three_months() -> None:
    result = assess([incident("2026-01-10"), incident("2026-03-10")], "2026-06-01T00:00:00+00:00")
    (notice,) = result.escalations
    assert notice.to == "Service Director"
    assert notice.trigger == "breached in 2 of the last 3 months"
    assert notice.due_at == at("2026-04-01T00:00:00+00:00")
    assert notice.reason == "clause 1 was breached in 2 of the last 3 months: 2026-01, 2026-03"
    assert notice.clause == "1" and notice.location.line == 15


def test_no_escalation_when_the_breaches_are_further_apart_than_the_window() -> None:
    result = assess([incident("2026-01-10"), incident("2026-04-10")], "2026-06-01T00:00:00+00:00")
    assert result.escalations == []


def test_n_of_the_last_m_notices_again_at_each_breach_inside_the_window() -> None:
    # Breaches in January, March and April: at March's end 2 of Jan..Mar, at April's end 2 of
    # Feb..Apr.
    records = [incident("2026-01-10"), incident("2026-03-10"), incident("2026-04-10")]
    due = [n.due_at for n in assess(records, "2026-06-01T00:00:00+00:00").escalations]
    assert due == [at("2026-04-01T00:00:00+00:00"), at("2026-05-01T00:00:00+00:00")]


# --------------------------------------------------------------- windows of another unit
WEEKS = """
contract weekly "Weeks of days" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric daily-uptime "Daily availability"
  availability, per calendar day
  down during incident records

clause 1 "Daily availability"
  promise daily-uptime >= 99.9%
  termination right when breached in 2 consecutive weeks
"""


def test_days_fill_the_week_they_end_in_across_the_week_boundary() -> None:
    # Sunday 11 January ends ISO week 2, Monday 12 January starts week 3: two consecutive
    # weeks, each breached on one day. The right arises when Monday ends.
    records = [incident("2026-01-11", 5), incident("2026-01-12", 5)]
    (right,) = rights_of(assess(records, "2026-02-01T00:00:00+00:00", WEEKS), "1")
    assert right.arose_at == at("2026-01-13T00:00:00+00:00")
    assert right.reason == "clause 1 was breached in 2 consecutive weeks: 2026-W02, 2026-W03"
    assert [p.label for p in right.periods] == ["2026-01-11", "2026-01-12"]


def test_two_breached_days_of_one_week_are_one_breached_week() -> None:
    # Saturday 10 and Sunday 11 January are both in week 2; Monday 19 is in week 4.
    records = [incident("2026-01-10", 5), incident("2026-01-11", 5), incident("2026-01-19", 5)]
    assert rights_of(assess(records, "2026-02-01T00:00:00+00:00", WEEKS), "1") == []


# ------------------------------------------------- K outages longer than D within any N days
def test_three_long_outages_within_30_days_across_a_month_boundary() -> None:
    records = [
        outage("2026-01-20T10:00:00+00:00", 45, "OUT-1"),
        outage("2026-02-05T10:00:00+00:00", 31, "OUT-2"),
        outage("2026-02-18T09:00:00+00:00", 60, "OUT-3"),
    ]
    (right,) = rights_of(assess(records, "2026-03-01T00:00:00+00:00"), "2")
    assert right.trigger == "3 outage records longer than 30 min start within any 30 days"
    # The moment the third outage had lasted longer than 30 minutes.
    assert right.arose_at == at("2026-02-18T09:30:00+00:00")
    assert right.exercise == "in writing within 30 days"
    assert right.lapses_at == at("2026-03-20T09:30:00+00:00")
    assert [o.id for o in right.outages] == ["OUT-1", "OUT-2", "OUT-3"]
    assert as_shown([o.seconds for o in right.outages]) == ["2700", "1860", "3600"]
    assert right.reason == (
        "3 outage records longer than 30 min started within 30 days (OUT-1, OUT-2, OUT-3:"
        " from 2026-01-20T10:00+00:00 to 2026-02-18T09:00+00:00)"
    )


def test_an_outage_of_exactly_30_minutes_is_not_longer_than_30_minutes() -> None:
    records = [
        outage("2026-01-20T10:00:00+00:00", 45, "OUT-1"),
        outage("2026-02-05T10:00:00+00:00", 30, "OUT-2"),
        outage("2026-02-18T09:00:00+00:00", 60, "OUT-3"),
    ]
    assert rights_of(assess(records, "2026-03-01T00:00:00+00:00"), "2") == []


@pytest.mark.parametrize(
    ("third_start", "arises"),
    [
        ("2026-01-31T09:59:59+00:00", True),  # 29 days 23:59:59 after the first: within
        ("2026-01-31T10:00:00+00:00", False),  # exactly 30 days after: not within any 30 days
    ],
)
def test_the_sliding_window_is_half_open(third_start: str, arises: bool) -> None:
    records = [
        outage("2026-01-01T10:00:00+00:00", 40, "OUT-1"),
        outage("2026-01-15T10:00:00+00:00", 40, "OUT-2"),
        outage(third_start, 40, "OUT-3"),
    ]
    assert bool(rights_of(assess(records, "2026-03-01T00:00:00+00:00"), "2")) is arises


def test_the_window_slides_over_start_times_not_calendar_months() -> None:
    # Four outages: 1-3 are 35 days apart end to end, 2-4 within 30 days.
    records = [
        outage("2026-03-01T00:00:00+00:00", 40, "OUT-1"),
        outage("2026-03-20T00:00:00+00:00", 40, "OUT-2"),
        outage("2026-04-05T00:00:00+00:00", 40, "OUT-3"),
        outage("2026-04-12T00:00:00+00:00", 40, "OUT-4"),
    ]
    (right,) = rights_of(assess(records, "2026-06-01T00:00:00+00:00"), "2")
    assert [o.id for o in right.outages] == ["OUT-2", "OUT-3", "OUT-4"]
    assert right.arose_at == at("2026-04-12T00:30:00+00:00")


def test_an_open_outage_counts_once_it_has_lasted_longer_than_the_duration() -> None:
    records = [
        outage("2026-01-20T10:00:00+00:00", 45, "OUT-1"),
        outage("2026-02-05T10:00:00+00:00", 31, "OUT-2"),
        outage("2026-02-18T09:00:00+00:00", None, "OUT-3"),
    ]
    assert rights_of(assess(records, "2026-02-18T09:20:00+00:00"), "2") == []
    (right,) = rights_of(assess(records, "2026-02-18T10:00:00+00:00"), "2")
    assert right.arose_at == at("2026-02-18T09:30:00+00:00")
    assert right.open is True
    assert right.outages[-1].end is None and as_shown(right.outages[-1].seconds) == "3600"


def test_an_end_logged_after_the_evaluation_time_has_not_happened_yet() -> None:
    # The log already says OUT-3 will end at 11:00, but at 09:20 it had lasted 20 minutes: no
    # right yet; at 10:00 it had lasted an hour (still open then), and the right arose at 09:30.
    records = [
        outage("2026-01-20T10:00:00+00:00", 45, "OUT-1"),
        outage("2026-02-05T10:00:00+00:00", 31, "OUT-2"),
        outage("2026-02-18T09:00:00+00:00", 120, "OUT-3"),
    ]
    assert rights_of(assess(records, "2026-02-18T09:20:00+00:00"), "2") == []
    (right,) = rights_of(assess(records, "2026-02-18T10:00:00+00:00"), "2")
    assert right.arose_at == at("2026-02-18T09:30:00+00:00")
    assert right.outages[-1].end is None and as_shown(right.outages[-1].seconds) == "3600"


def test_outages_before_the_term_or_in_the_baseline_do_not_count() -> None:
    text = CHRONIC.replace("term 2026-01-01", "term 2026-01-10") + "\nbaseline the first 10 days\n"
    records = [
        outage("2026-01-05T10:00:00+00:00", 45, "OUT-BEFORE"),  # before the term
        outage("2026-01-12T10:00:00+00:00", 45, "OUT-BASE"),  # in the baseline (to 19 January)
        outage("2026-01-25T10:00:00+00:00", 45, "OUT-1"),
        outage("2026-02-01T10:00:00+00:00", 45, "OUT-2"),
    ]
    assert rights_of(assess(records, "2026-03-01T00:00:00+00:00", text), "2") == []
    more = [*records, outage("2026-02-02T10:00:00+00:00", 45, "OUT-3")]
    (right,) = rights_of(assess(more, "2026-03-01T00:00:00+00:00", text), "2")
    assert [o.id for o in right.outages] == ["OUT-1", "OUT-2", "OUT-3"]


# ----------------------------------------------------------------- total above T in a period
def test_more_than_24_hours_of_outage_in_a_month() -> None:
    records = [
        outage("2026-03-03T00:00:00+00:00", 12 * 60, "OUT-1"),
        outage("2026-03-20T00:00:00+00:00", 12 * 60 + 1, "OUT-2"),
    ]
    (right,) = rights_of(assess(records, "2026-04-10T00:00:00+00:00"), "2")
    assert right.trigger == "outage-time > 24 h in a month"
    assert right.arose_at == at("2026-04-01T00:00:00+00:00")
    assert right.lapses_at == at("2026-05-01T00:00:00+00:00")
    assert right.reason == "outage-time 86460 s in 2026-03, > 24 h in a month"
    assert [p.label for p in right.periods] == ["2026-03"]


def test_exactly_24_hours_is_not_more_than_24_hours() -> None:
    records = [
        outage("2026-03-03T00:00:00+00:00", 12 * 60, "OUT-1"),
        outage("2026-03-20T00:00:00+00:00", 12 * 60, "OUT-2"),
    ]
    assert rights_of(assess(records, "2026-04-10T00:00:00+00:00"), "2") == []


def test_a_total_counts_once_its_period_is_over() -> None:
    records = [outage("2026-03-03T00:00:00+00:00", 30 * 60, "OUT-1")]
    assert rights_of(assess(records, "2026-03-31T23:00:00+00:00"), "2") == []
    assert [r.arose_at for r in rights_of(assess(records, "2026-04-01T00:00:00+00:00"), "2")] == [
        at("2026-04-01T00:00:00+00:00")
    ]


def test_rights_are_in_time_order_across_clauses() -> None:
    records = [
        incident("2026-02-10"),
        incident("2026-03-10"),
        incident("2026-04-10"),
        outage("2026-03-03T00:00:00+00:00", 25 * 60, "OUT-1"),
    ]
    result = assess(records, "2026-06-01T00:00:00+00:00")
    assert [(r.clause, r.arose_at) for r in result.termination_rights] == [
        ("2", at("2026-04-01T00:00:00+00:00")),
        ("1", at("2026-05-01T00:00:00+00:00")),
    ]


def test_the_same_inputs_give_the_same_bytes() -> None:
    records = [incident(f"2026-0{m}-10") for m in (1, 2, 3, 4)]
    first = assess(records, "2026-06-01T00:00:00+00:00").model_dump_json()
    second = assess(list(reversed(records)), "2026-06-01T00:00:00+00:00").model_dump_json()
    assert first == second


# ------------------------------------------------------------------ the run logic, brute force
def _holds(marks: list[bool], index: int, need: int, size: int) -> bool:
    return index >= 0 and sum(marks[max(0, index - size + 1) : index + 1]) >= need


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.booleans(), max_size=24),
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=0, max_value=4),
)
def test_moments_are_the_hit_slots_where_the_window_holds(
    hits: list[bool], need: int, extra: int
) -> None:
    size = need + extra
    window = (
        Consecutive(count=need, unit="month")
        if extra == 0
        else NOfLast(count=need, of_last=size, unit="month")
    )
    base = dt.datetime(2026, 1, 1, tzinfo=UTC)
    marks = [base + dt.timedelta(days=i) if hit else None for i, hit in enumerate(hits)]
    found = moments(marks, window)
    expected = [i for i, hit in enumerate(hits) if hit and _holds(hits, i, need, size)]
    assert [m.slot for m in found] == expected
    for moment in found:
        assert moment.at == marks[moment.slot]
        assert moment.onset == (not _holds(hits, moment.slot - 1, need, size))
        inside = range(max(0, moment.slot - size + 1), moment.slot + 1)
        assert list(moment.hits) == [i for i in inside if hits[i]]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=60 * 24), st.integers(min_value=1, max_value=90)
        ),
        min_size=0,
        max_size=7,
    )
)
def test_long_outages_match_a_brute_force_search(outages: list[tuple[int, int]]) -> None:
    """Every set of 3 outages longer than 30 minutes starting less than 30 days apart gives one
    occasion, at the third one's start plus 30 minutes (starts in hours from 1 January)."""
    base = dt.datetime(2026, 1, 2, tzinfo=UTC)
    records = [
        outage((base + dt.timedelta(hours=h)).isoformat(), minutes, f"OUT-{i:02d}")
        for i, (h, minutes) in enumerate(outages)
    ]
    result = assess(records, "2026-04-01T00:00:00+00:00")
    found = sorted(r.arose_at for r in rights_of(result, "2") if r.outages)
    long = sorted(
        (base + dt.timedelta(hours=h), f"OUT-{i:02d}")
        for i, (h, minutes) in enumerate(outages)
        if minutes > 30
    )
    expected = sorted(
        trio[2][0] + dt.timedelta(minutes=30)
        for trio in (long[i : i + 3] for i in range(len(long) - 2))
        if trio[2][0] - trio[0][0] < dt.timedelta(days=30)
    )
    assert found == expected
    assert all(len(r.outages) == 3 for r in rights_of(result, "2") if r.outages)


DAILY_TOTALS = """
contract daily "Daily totals" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric daily-outage "Outage per day"
  total duration of outage records, per calendar day

clause 1 "Outages"
  escalate to "Operations" when daily-outage > 1 hours in a week
"""


def test_a_total_of_daily_periods_fills_the_week_it_ends_in() -> None:
    # Tuesday 6 and Thursday 8 January (ISO week 2) each have more than an hour of outage: one
    # notice for the week, when Tuesday ends. Wednesday 14 January (week 3) gives another.
    records = [
        outage("2026-01-06T10:00:00+00:00", 61, "OUT-1"),
        outage("2026-01-08T10:00:00+00:00", 90, "OUT-2"),
        outage("2026-01-14T10:00:00+00:00", 120, "OUT-3"),
        outage("2026-01-15T10:00:00+00:00", 60, "OUT-4"),  # exactly an hour: not more
    ]
    notices = assess(records, "2026-02-01T00:00:00+00:00", DAILY_TOTALS).escalations
    assert [(n.to, n.due_at) for n in notices] == [
        ("Operations", at("2026-01-07T00:00:00+00:00")),
        ("Operations", at("2026-01-15T00:00:00+00:00")),
    ]
    assert notices[0].trigger == "daily-outage > 1 h in a week"
    assert notices[0].reason == "daily-outage 3660 s in 2026-W02, > 1 h in a week"
    assert [p.label for p in notices[0].periods] == ["2026-01-06"]


def test_the_rights_section_in_words() -> None:
    records = [
        incident("2026-01-10"),
        incident("2026-02-10"),
        incident("2026-03-10"),
        outage("2026-03-03T00:00:00+00:00", 25 * 60, "OUT-1"),
    ]
    lines = rights_text(assess(records, "2026-04-15T00:00:00+00:00"))
    assert lines == [
        "termination rights:",
        "  2026-04-01T00:00:00+00:00  clause 1: breached in 3 consecutive months, open until"
        " 2026-05-01T00:00:00+00:00 (exercise within 30 days)",
        "    clause 1 was breached in 3 consecutive months: 2026-01, 2026-02, 2026-03",
        "  2026-04-01T00:00:00+00:00  clause 2: outage-time > 24 h in a month, open until"
        " 2026-05-01T00:00:00+00:00 (exercise in writing within 30 days)",
        "    outage-time 90000 s in 2026-03, > 24 h in a month",
        "escalations:",
        "  2026-03-01T00:00:00+00:00  clause 1: notify Service Director (breached in 2 of the"
        " last 3 months)",
        "    clause 1 was breached in 2 of the last 3 months: 2026-01, 2026-02",
        "  2026-04-01T00:00:00+00:00  clause 1: notify Service Director (breached in 2 of the"
        " last 3 months)",
        # every breached month of the window is named: three of the last three
        "    clause 1 was breached in 2 of the last 3 months: 2026-01, 2026-02, 2026-03",
    ]
    assert rights_text(assess([], "2026-04-15T00:00:00+00:00")) == []


def test_a_right_that_arose_at_a_skipped_midnight_lapses_at_midnight() -> None:
    # Santiago's clocks skip from 00:00 to 01:00 on 6 September 2026: the day of 5 September
    # ends at 01:00 local time; 30 days later is local midnight of 6 October again.
    text = """
contract santiago "Santiago" version 1
  term 2026-08-01 to 2026-12-31
  timezone "America/Santiago"

metric uptime "Availability"
  availability, per calendar day
  down during incident records

clause 1 "Availability"
  promise uptime >= 99%
  termination right when breached in 1 consecutive day, exercised within 30 days
"""
    records = [
        {"type": "incident", "id": "I-1", "start": "2026-09-05T10:00:00-04:00",
         "end": "2026-09-05T12:00:00-04:00"},
    ]  # fmt: skip
    result = assessment(parse(text), records, at("2026-09-20T00:00:00-03:00"))
    (right,) = rights_of(result, "1")
    assert right.arose_at == at("2026-09-06T01:00:00-03:00")
    assert right.lapses_at == at("2026-10-06T00:00:00-03:00")

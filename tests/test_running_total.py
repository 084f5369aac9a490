"""``more than 24 hours of outage records in a calendar month``: a right (or a notice) that
arises at the first instant a running total exceeds the duration, not at the month's end.

Months are in UTC; every instant below is computed by hand from the outages' starts and lengths.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from engine_helpers import assessment, parse
from obligo.report.rights import Assessment

UTC = dt.UTC

RUNNING = """
contract running "Running totals" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

clause 2 "Chronic outages"
  termination right when more than 24 hours of outage records in a calendar month, exercised within 30 days
  escalate to "Operations" when more than 2 hours of outage records where severity = 1 in a calendar week
"""


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def outage(start: str, minutes: float | None, ident: str, severity: int = 2) -> dict[str, Any]:
    """An outage from ``start`` lasting ``minutes`` (None: still open)."""
    record: dict[str, Any] = {"type": "outage", "id": ident, "start": start, "severity": severity}
    if minutes is not None:
        record["end"] = (at(start) + dt.timedelta(minutes=minutes)).isoformat()
    return record


def assess(records: list[dict[str, Any]], when: str, text: str = RUNNING) -> Assessment:
    return assessment(parse(text), records, at(when))


def rights(result: Assessment) -> list[Any]:
    return list(result.termination_rights)


def test_the_right_arises_when_the_1441st_minute_starts_not_at_the_end_of_the_month() -> None:
    # 12 h on 3 March, then 12 h 1 min from 20 March 00:00: the 24th hour is complete at
    # 20 March 12:00, and the outage goes on: the right arises then, and lapses 30 days later.
    records = [
        outage("2026-03-03T00:00:00+00:00", 12 * 60, "OUT-1"),
        outage("2026-03-20T00:00:00+00:00", 12 * 60 + 1, "OUT-2"),
    ]
    (right,) = rights(assess(records, "2026-03-25T00:00:00+00:00"))
    assert right.trigger == "more than 24 h of outage records in a calendar month"
    assert right.arose_at == at("2026-03-20T12:00:00+00:00")
    assert right.lapses_at == at("2026-04-19T12:00:00+00:00")
    assert right.open is True
    assert right.reason == (
        "more than 24 h of outage records in 2026-03: the total passed 24 h at"
        " 2026-03-20T12:00:00+00:00 (2 records)"
    )
    assert [p.label for p in right.periods] == ["2026-03"]
    assert [o.id for o in right.outages] == ["OUT-1", "OUT-2"]
    assert right.location.line == 6
    # Before that instant nothing has arisen; one second after, it has.
    assert rights(assess(records, "2026-03-20T11:59:59+00:00")) == []
    assert [r.arose_at for r in rights(assess(records, "2026-03-20T12:00:01+00:00"))] == [
        at("2026-03-20T12:00:00+00:00")
    ]


def test_exactly_24_hours_is_not_more_than_24_hours() -> None:
    records = [
        outage("2026-03-03T00:00:00+00:00", 12 * 60, "OUT-1"),
        outage("2026-03-20T00:00:00+00:00", 12 * 60, "OUT-2"),
    ]
    assert rights(assess(records, "2026-04-10T00:00:00+00:00")) == []


def test_a_total_reached_exactly_passes_when_the_next_outage_starts() -> None:
    # 24 h exactly on 1 March; a one-second outage on 5 March 08:00:00 makes it more.
    records = [
        outage("2026-03-01T00:00:00+00:00", 24 * 60, "OUT-1"),
        outage("2026-03-05T08:00:00+00:00", 1 / 60, "OUT-2"),
    ]
    (right,) = rights(assess(records, "2026-04-10T00:00:00+00:00"))
    assert right.arose_at == at("2026-03-05T08:00:00+00:00")
    assert [o.id for o in right.outages] == ["OUT-1", "OUT-2"]


def test_overlapping_outages_count_each_instant_once() -> None:
    # 3 March 00:00-20:00 and 3 March 10:00 - 4 March 06:00 cover 30 h together (not 40 h):
    # the 24th hour is complete at 4 March 00:00.
    records = [
        outage("2026-03-03T00:00:00+00:00", 20 * 60, "OUT-1"),
        outage("2026-03-03T10:00:00+00:00", 20 * 60, "OUT-2"),
    ]
    (right,) = rights(assess(records, "2026-04-10T00:00:00+00:00"))
    assert right.arose_at == at("2026-03-04T00:00:00+00:00")


def test_an_open_outage_counts_by_its_length_so_far() -> None:
    records = [outage("2026-03-10T00:00:00+00:00", None, "OUT-1")]
    assert rights(assess(records, "2026-03-11T00:00:00+00:00")) == []  # exactly 24 h so far
    (right,) = rights(assess(records, "2026-03-11T00:00:01+00:00"))
    assert right.arose_at == at("2026-03-11T00:00:00+00:00")
    assert right.outages[0].end is None  # still open


def test_an_outage_across_the_month_boundary_counts_in_each_month() -> None:
    # 31 March 12:00 for 36 h 1 min: 12 h in March, 24 h 1 min in April, passed at 2 April 00:00.
    records = [outage("2026-03-31T12:00:00+00:00", 36 * 60 + 1, "OUT-1")]
    (right,) = rights(assess(records, "2026-05-01T00:00:00+00:00"))
    assert right.arose_at == at("2026-04-02T00:00:00+00:00")
    assert [p.label for p in right.periods] == ["2026-04"]
    exactly = [outage("2026-03-31T12:00:00+00:00", 36 * 60, "OUT-1")]
    assert rights(assess(exactly, "2026-05-01T00:00:00+00:00")) == []


def test_each_month_gives_the_right_at_most_once() -> None:
    records = [
        outage("2026-03-01T00:00:00+00:00", 25 * 60, "OUT-1"),
        outage("2026-03-10T00:00:00+00:00", 25 * 60, "OUT-2"),
        outage("2026-05-01T00:00:00+00:00", 30 * 60, "OUT-3"),
    ]
    found = rights(assess(records, "2026-06-10T00:00:00+00:00"))
    assert [r.arose_at for r in found] == [
        at("2026-03-02T00:00:00+00:00"),
        at("2026-05-02T00:00:00+00:00"),
    ]


def test_a_selection_and_an_escalation_in_weeks() -> None:
    # ISO week 11 of 2026 starts on Monday 9 March. Severity 1 outages of 90 and 31 minutes:
    # 2 h are complete 30 minutes into the second; the severity 2 outage does not count.
    records = [
        outage("2026-03-09T08:00:00+00:00", 90, "OUT-1", severity=1),
        outage("2026-03-10T08:00:00+00:00", 600, "OUT-2", severity=2),
        outage("2026-03-11T08:00:00+00:00", 31, "OUT-3", severity=1),
    ]
    (notice,) = assess(records, "2026-04-01T00:00:00+00:00").escalations
    assert notice.due_at == at("2026-03-11T08:30:00+00:00")
    assert notice.to == "Operations"
    assert notice.trigger == (
        "more than 2 h of outage records where severity = 1 in a calendar week"
    )
    assert [p.label for p in notice.periods] == ["2026-W11"]


def test_baseline_months_have_no_consequences() -> None:
    text = RUNNING + "\nbaseline the first 3 months\n"
    records = [
        outage("2026-03-01T00:00:00+00:00", 25 * 60, "OUT-1"),
        outage("2026-04-01T00:00:00+00:00", 25 * 60, "OUT-2"),
    ]
    assert [r.arose_at for r in rights(assess(records, "2026-06-01T00:00:00+00:00", text))] == [
        at("2026-04-02T00:00:00+00:00")
    ]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=28 * 24 * 60 - 1),
            st.integers(min_value=1, max_value=15 * 60),
        ),
        max_size=6,
    ),
    st.integers(min_value=1, max_value=30 * 60),
)
def test_the_right_arises_when_the_next_minute_past_the_limit_starts(
    outages: list[tuple[int, int]], limit: int
) -> None:
    """Outages in whole minutes of February: the right arises at the start of the
    (limit + 1)-th minute covered, counted once per minute, or not at all (brute force)."""
    text = RUNNING.replace("more than 24 hours", f"more than {limit} minutes")
    base = dt.datetime(2026, 2, 1, tzinfo=UTC)
    records = [
        outage((base + dt.timedelta(minutes=start)).isoformat(), length, f"OUT-{i}")
        for i, (start, length) in enumerate(outages)
    ]
    covered = sorted(
        {
            minute
            for start, length in outages
            for minute in range(start, start + length)
            if minute < 28 * 24 * 60
        }
    )
    found = [r.arose_at for r in rights(assess(records, "2026-03-01T00:00:00+00:00", text))]
    expected = [] if len(covered) <= limit else [base + dt.timedelta(minutes=covered[limit])]
    assert found == expected

"""Stop the clock: a ticket's timer pauses while its status says so (status records linked to
it) or between two timestamp fields of its own, in wall-clock and in business time.

Every number below is worked out by hand. The contract is in UTC; Monday 2026-03-02 is the first
Monday of March. The office is open Monday to Friday 09:00-17:00.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Iterable, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import obligo
from engine_helpers import context, evaluate, parse
from obligo.checks.reporter import Scope
from obligo.engine.measure import records
from obligo.engine.measure.measurement import Measurement
from obligo.engine.time.business_time import BusinessCalendar
from obligo.engine.time.clock import merged, stopped_deadline, stopped_seconds
from obligo.events import EventRejectedError
from obligo.model.base import Duration
from obligo.model.contract import Calendar, WeeklyHours
from obligo.render.json import report_json

UTC = dt.UTC

DESK = """
    contract desk "Service desk" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    calendar office "Office hours"
      monday to friday 09:00 to 17:00

    metric response "Answered within 4 hours, around the clock"
      share of ticket records within target, per calendar month
      duration from opened to responded
      target 4 hours
      a record still open is late once its target has passed
      paused while status records where status in ["on hold", "awaiting customer"], linked by ticket

    metric response-unpaused "The same, without stopping the clock"
      share of ticket records within target, per calendar month
      duration from opened to responded
      target 4 hours
      a record still open is late once its target has passed

    metric office-response "Answered within 4 office hours"
      share of ticket records within target, per calendar month
      duration from opened to responded, in office hours
      target 4 hours
      a record still open is late once its target has passed
      paused while status records where status in ["on hold", "awaiting customer"], linked by ticket

    metric resolution "Resolved within 4 hours; a resolved ticket's clock stops until it reopens"
      share of ticket records within target, per calendar month
      duration from opened to resolved
      target 4 hours
      a record still open is late once its target has passed
      paused while status records where status in ["on hold", "resolved"], linked by ticket

    metric held "Answered within 4 hours, paused by the ticket's own fields"
      share of ticket records within target, per calendar month
      duration from opened to responded
      target 4 hours
      a record still open is late once its target has passed
      paused from held_at to released_at
      paused from waiting_since to waiting_until

    clause 1 "Response"
      promise response >= 90%
      promise office-response >= 90%
      promise resolution >= 90%
      promise held >= 90%
      promise response-unpaused >= 90%
"""

END_OF_MARCH = dt.datetime(2026, 4, 1, tzinfo=UTC)


def t(day: int, clock: str, month: int = 3) -> dt.datetime:
    hour, minute, *rest = (int(x) for x in clock.split(":"))
    return dt.datetime(2026, month, day, hour, minute, rest[0] if rest else 0, tzinfo=UTC)


def ticket(name: str, opened: dt.datetime, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"type": "ticket", "id": name, "opened": opened.isoformat()}
    for key, value in fields.items():
        record[key] = value.isoformat() if isinstance(value, dt.datetime) else value
    return record


def status(name: str, time: dt.datetime, value: str) -> dict[str, Any]:
    return {"type": "status", "ticket": name, "time": time.isoformat(), "status": value}


def share(
    metric: str, events: Iterable[Mapping[str, Any]], at: dt.datetime = END_OF_MARCH
) -> Measurement:
    contract = parse(DESK)
    with context(contract, events, at) as ctx:
        measured = records.share_within_target(Scope.of(contract).metrics[metric], ctx)
    label = f"{at.year}-{(at - dt.timedelta(microseconds=1)).month:02d}"
    return measured[label]


def counts(measured: Measurement) -> tuple[Any, ...]:
    totals = measured.totals
    return (totals["within"], totals["late"], totals["open_not_yet_due"])


# ------------------------------------------------------------------------- around the clock
ON_HOLD = [
    # Opened Monday 09:00, on hold 10:00-14:00, answered 15:00: 1 + 1 = 2 hours of clock.
    ticket("T1", t(2, "09:00"), responded=t(2, "15:00")),
    status("T1", t(2, "09:00"), "new"),
    status("T1", t(2, "10:00"), "on hold"),
    status("T1", t(2, "14:00"), "in progress"),
]


def test_a_ticket_on_hold_for_four_hours_has_used_two_of_its_four() -> None:
    paused = share("response", ON_HOLD)
    assert counts(paused) == (1, 0, 0)
    assert paused.value == 100
    assert (paused.totals["paused"], paused.totals["paused_seconds"]) == (1, 4 * 3600)
    # Without the pause it is 6 hours: late by 2 (due 13:00).
    unpaused = share("response-unpaused", ON_HOLD)
    assert counts(unpaused) == (0, 1, 0)
    assert unpaused.contributors[0].seconds == 2 * 3600
    assert "paused" not in unpaused.totals


def test_a_late_ticket_shows_its_pauses_and_is_late_from_its_pushed_due_time() -> None:
    # On hold 10:00-14:00 pushes the due time from 13:00 to 17:00; answered 17:00:30.
    events = [
        ticket("T2", t(3, "09:00"), responded=t(3, "17:00:30")),
        status("T2", t(3, "10:00"), "on hold"),
        status("T2", t(3, "14:00"), "in progress"),
    ]
    measured = share("response", events)
    assert counts(measured) == (0, 1, 0)
    (late,) = measured.contributors
    assert late.seconds == 30
    assert late.detail == "due 2026-03-03T17:00:00+00:00"
    assert [(p.start, p.end, p.seconds) for p in late.pauses] == [
        (t(3, "10:00"), t(3, "14:00"), 4 * 3600)
    ]


def test_the_pauses_show_in_the_json_report_of_a_late_ticket_only() -> None:
    events = [
        ticket("T2", t(3, "09:00"), responded=t(3, "17:00:30")),
        status("T2", t(3, "10:00"), "on hold"),
        status("T2", t(3, "14:00"), "in progress"),
    ]
    report = json.loads(report_json([evaluate(parse(DESK), events, END_OF_MARCH)]))
    march = {v["metric"]: v for v in report["verdicts"] if v["period"]["label"] == "2026-03"}
    (late,) = march["response"]["evidence"]["contributors"]
    assert late["pauses"] == [
        {"start": "2026-03-03T10:00:00Z", "end": "2026-03-03T14:00:00Z", "seconds": "14400"}
    ]
    assert march["response"]["evidence"]["totals"]["paused_seconds"] == "14400"
    # The metric that does not stop the clock: no key, no totals of pauses.
    (unpaused,) = march["response-unpaused"]["evidence"]["contributors"]
    assert "pauses" not in unpaused
    assert "paused" not in march["response-unpaused"]["evidence"]["totals"]


def test_status_records_of_one_instant_that_disagree_leave_the_clock_running() -> None:
    events = [
        ticket("T5", t(4, "09:00"), responded=t(4, "14:00")),
        status("T5", t(4, "10:00"), "on hold"),
        status("T5", t(4, "10:00"), "in progress"),
    ]
    assert counts(share("response", events)) == (0, 1, 0)  # 5 hours: late


def test_a_status_record_after_the_evaluation_time_is_not_known_at_it() -> None:
    # On hold from 10:00, resumed at 13:00, evaluated at 12:00: still paused, 1 hour used.
    events = [ticket("T6", t(4, "09:00")), status("T6", t(4, "10:00"), "on hold")]
    later = status("T6", t(4, "13:00"), "in progress")
    at = t(4, "12:00")
    assert counts(share("response", [*events, later], at)) == (0, 0, 1)
    # At 17:00 the resume is known: 1 + 4 hours of clock, late since 16:00.
    measured = share("response", [*events, later], t(4, "17:00"))
    assert counts(measured) == (0, 1, 0)
    assert measured.contributors[0].seconds == 3600


# ------------------------------------------------------------------------------- pending
def test_a_ticket_paused_at_the_evaluation_time_keeps_its_timer_stopped() -> None:
    # Opened Thursday 09:00, on hold since 10:00 and never resumed; evaluated at 20:00: one
    # hour used, not yet due (without the pause: due 13:00, late).
    events = [ticket("P", t(5, "09:00")), status("P", t(5, "10:00"), "awaiting customer")]
    at = t(5, "20:00")
    measured = share("response", events, at)
    assert counts(measured) == (0, 0, 1)
    assert measured.value is None  # no judged record yet
    assert (measured.totals["paused"], measured.totals["paused_seconds"]) == (1, 10 * 3600)
    assert counts(share("response-unpaused", events, at)) == (0, 1, 0)
    report = evaluate(parse(DESK), events, at)
    statuses = {v.metric: v.status for v in report.verdicts if v.period.label == "2026-03"}
    assert statuses["response"] == "pending"


def test_a_ticket_answered_while_paused_is_within_its_target() -> None:
    # The clock stopped at 10:00 after one hour and was still stopped at the answer.
    events = [
        ticket("Q", t(5, "09:00"), responded=t(5, "22:00")),
        status("Q", t(5, "10:00"), "on hold"),
    ]
    assert counts(share("response", events)) == (1, 0, 0)


# ------------------------------------------------------------------------- business hours
def test_a_pause_across_the_closing_time_stops_only_the_office_hours_it_covers() -> None:
    # Opened Monday 15:00, on hold from 16:00 to Tuesday 10:00. The clock runs Monday
    # 15:00-16:00 (1 h) and Tuesday from 10:00: 3 more hours, due Tuesday 13:00. The pause
    # covered 16:00-17:00 and 09:00-10:00 of office time: 2 hours, not the 18 it lasted
    # (pauses and closed hours are a union). Without the pause: due Tuesday 11:00.
    events = [
        ticket("B1", t(9, "15:00"), responded=t(10, "13:00")),
        status("B1", t(9, "16:00"), "on hold"),
        status("B1", t(10, "10:00"), "in progress"),
        ticket("B2", t(9, "15:00"), responded=t(10, "13:00:01")),
        status("B2", t(9, "16:00"), "on hold"),
        status("B2", t(10, "10:00"), "in progress"),
    ]
    measured = share("office-response", events)
    assert counts(measured) == (1, 1, 0)
    (late,) = measured.contributors
    assert (late.id, late.seconds) == ("B2", 1)
    assert late.detail == "due 2026-03-10T13:00:00+00:00"
    assert [p.seconds for p in late.pauses] == [2 * 3600]
    assert measured.totals["paused_seconds"] == 4 * 3600  # two tickets, 2 hours each


def test_a_paused_ticket_due_at_the_close_is_met_until_the_next_opening() -> None:
    # Both rules at once: opened Monday 12:00, on hold 12:00-13:00, the clock runs 13:00-17:00
    # and reaches 4 office hours at the 17:00 close. Answered at 17:30: 4 office hours elapsed,
    # within (no office time passed since the due time). Answered Tuesday 09:00:01: one office
    # second past it, late by 1 s (business time, not the 16 hours of the night).
    events = [
        ticket("C1", t(9, "12:00"), responded=t(9, "17:30")),
        status("C1", t(9, "12:00"), "on hold"),
        status("C1", t(9, "13:00"), "in progress"),
        ticket("C2", t(9, "12:00"), responded=t(10, "09:00:01")),
        status("C2", t(9, "12:00"), "on hold"),
        status("C2", t(9, "13:00"), "in progress"),
    ]
    measured = share("office-response", events)
    assert counts(measured) == (1, 1, 0)
    (late,) = measured.contributors
    assert (late.id, late.seconds) == ("C2", 1)
    assert late.detail == "due 2026-03-09T17:00:00+00:00"
    assert [p.seconds for p in late.pauses] == [3600]


def test_a_pause_in_closed_hours_only_changes_nothing() -> None:
    # Opened Monday 15:00, on hold overnight 18:00-08:00, answered Tuesday 11:00: 2 + 2 = 4
    # office hours, due Tuesday 11:00 as without the pause; the pause stopped nothing.
    events = [
        ticket("N", t(9, "15:00"), responded=t(10, "11:00")),
        status("N", t(9, "18:00"), "on hold"),
        status("N", t(10, "08:00"), "in progress"),
    ]
    measured = share("office-response", events)
    assert counts(measured) == (1, 0, 0)
    assert (measured.totals["paused"], measured.totals["paused_seconds"]) == (0, 0)


# ------------------------------------------------------------------------------- reopened
REOPENED = [
    # Opened Wednesday 09:00, resolved at 11:00, reopened at 13:00, resolved again at 15:00:
    # the clock ran 09:00-11:00 and 13:00-15:00, 4 hours: due 15:00, within.
    ticket("R", t(11, "09:00"), resolved=t(11, "15:00")),
    status("R", t(11, "11:00"), "resolved"),
    status("R", t(11, "13:00"), "reopened"),
]


def test_a_reopened_ticket_resumes_its_clock() -> None:
    assert counts(share("resolution", REOPENED)) == (1, 0, 0)
    late = [*REOPENED[:2], status("R", t(11, "13:00:01"), "reopened")]
    measured = share("resolution", late)  # reopened a second later: due 15:00:01, not met
    assert counts(measured) == (1, 0, 0)
    measured = share(
        "resolution", [ticket("R", t(11, "09:00"), resolved=t(11, "15:00:02")), *late[1:]]
    )
    assert counts(measured) == (0, 1, 0)
    assert measured.contributors[0].seconds == 1


def test_a_reopened_ticket_still_open_is_judged_on_its_running_clock() -> None:
    # Reopened at 13:00 and not resolved again: 2 hours before, due 15:00.
    events = [ticket("R", t(11, "09:00")), *REOPENED[1:]]
    assert counts(share("resolution", events, t(11, "14:59"))) == (0, 0, 1)
    measured = share("resolution", events, t(11, "16:00"))
    assert counts(measured) == (0, 1, 0)
    assert measured.contributors[0].seconds == 3600
    assert "still open" in (measured.contributors[0].detail or "")


# ---------------------------------------------------------------------------- field pairs
def test_pauses_from_the_tickets_own_fields_overlap_once() -> None:
    # Held 10:00-11:00 and waiting 10:30-12:00: stopped 10:00-12:00, 2 hours (not 2.5):
    # due 15:00. Answered at 15:00: within; at 15:00:01: late by one second.
    pauses = {
        "held_at": t(12, "10:00"),
        "released_at": t(12, "11:00"),
        "waiting_since": t(12, "10:30"),
        "waiting_until": t(12, "12:00"),
    }
    events = [
        ticket("F1", t(12, "09:00"), responded=t(12, "15:00"), **pauses),
        ticket("F2", t(12, "09:00"), responded=t(12, "15:00:01"), **pauses),
    ]
    measured = share("held", events)
    assert counts(measured) == (1, 1, 0)
    (late,) = measured.contributors
    assert late.seconds == 1
    assert [(p.start, p.end, p.seconds) for p in late.pauses] == [
        (t(12, "10:00"), t(12, "12:00"), 2 * 3600)
    ]


def test_a_pause_without_its_end_lasts_until_the_evaluation_time() -> None:
    events = [ticket("F3", t(12, "09:00"), held_at=t(12, "10:00"))]
    measured = share("held", events, t(12, "23:00"))
    assert counts(measured) == (0, 0, 1)
    # A pause that ends after the evaluation time is still going on at it.
    events = [ticket("F4", t(12, "09:00"), held_at=t(12, "10:00"), released_at=t(13, "10:00"))]
    assert counts(share("held", events, t(12, "23:00"))) == (0, 0, 1)
    # Known at the end of the month: resumed Friday 10:00, due 13:00; never answered.
    measured = share("held", events)
    assert counts(measured) == (0, 1, 0)
    assert measured.contributors[0].detail == "due 2026-03-13T13:00:00+00:00, still open"


# ------------------------------------------------------------------------ bad pause data
def test_status_records_and_pauses_that_cannot_be_placed_are_rejected_at_their_lines() -> None:
    events = [
        ticket("T1", t(2, "09:00"), responded=t(2, "15:00")),
        status("T1", t(2, "10:00"), "on hold"),
        status("T9", t(2, "10:00"), "on hold"),  # no such ticket
        {"type": "status", "time": t(2, "10:00").isoformat(), "status": "on hold"},
        ticket("T2", t(2, "09:00"), released_at=t(2, "10:00")),  # a resume without a pause
        ticket("T3", t(2, "09:00"), held_at=t(2, "11:00"), released_at=t(2, "10:00")),
    ]
    with pytest.raises(EventRejectedError) as raised:
        with context(parse(DESK), events, END_OF_MARCH):
            pass
    found = [(r.line, r.reason) for r in raised.value.rejections]
    assert found == [
        (
            3,
            'a status record for ticket "T9", which the log does not hold (no ticket record'
            " has that id)",
        ),
        (4, "no `ticket`, which the contract needs to link it to its ticket"),
        (5, "`released_at` without `held_at`: a resume without a pause"),
        (6, "`released_at` before `held_at`: a pause that ends before it starts"),
    ]


def test_a_status_record_for_a_missing_ticket_is_counted_rejected_with_skip_invalid(
    tmp_path: Path,
) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(
        "\n".join(json.dumps(e) for e in [*ON_HOLD, status("T9", t(2, "10:00"), "on hold")]) + "\n",
        encoding="utf-8",
    )
    report = obligo.evaluate(parse(DESK), events=[log], at=END_OF_MARCH, skip_invalid=True)
    assert report.rejected == 1
    assert report.rejections[0].line == 5
    assert report.inputs[0].rejected == 1
    march = {v.metric: v for v in report.verdicts if v.period.label == "2026-03"}
    assert march["response"].status == "met"


# --------------------------------------------------------------------------------- checks
BAD = """contract desk "Desk" version 1
  timezone "UTC"

metric response "Answered"
  share of ticket records within target, per calendar month
  duration from opened to responded
  target 4 hours
  paused while status records, linked by ticket
  paused while ticket records where status = "x", linked by id
  paused from paused_at to paused_at
  paused from opened to id
  paused from a to b
  paused from a to b

metric n "count"
  count of ticket records, per calendar month
  paused from a to b
"""


def test_the_checks_locate_every_pause_that_cannot_mean_anything() -> None:
    found = [
        (d.line, d.column, d.message) for d in obligo.check(obligo.parse(BAD, filename="bad.sla"))
    ]
    assert found == [
        (8, 16, "paused while status records: which of them stop the clock?"),
        (
            9,
            16,
            "a ticket record cannot be the status record of another: the status changes that"
            " stop its clock are records of another type",
        ),
        (
            9,
            61,
            "`linked by id`: the field that links a status record to its ticket must be one of"
            " its own fields, holding the ticket's id",
        ),
        (10, 28, "a pause from paused_at to paused_at never lasts"),
        (11, 15, "opened is what the clock is timed by; it cannot also pause it"),
        (11, 25, "`id` is not an instant: a pause runs between two timestamp fields"),
        (13, 3, "the same pause is given twice"),
        (
            17,
            3,
            "`paused` has no effect on n (a count): only share within target metrics read it",
        ),
    ]


# ----------------------------------------------------------------------------- properties
OFFICE = BusinessCalendar(
    Calendar(
        id="office",
        hours=(
            WeeklyHours(
                days=("monday", "tuesday", "wednesday", "thursday", "friday"),
                start=dt.time(9),
                end=dt.time(17),
            ),
        ),
    ),
    UTC,
)
ALWAYS = BusinessCalendar.always(UTC)
MONDAY = dt.datetime(2026, 3, 2, tzinfo=UTC)
minutes = st.integers(min_value=0, max_value=14 * 24 * 60)


@st.composite
def pauses(draw: st.DrawFn) -> list[tuple[dt.datetime, dt.datetime | None]]:
    found: list[tuple[dt.datetime, dt.datetime | None]] = []
    for _ in range(draw(st.integers(0, 4))):
        start = MONDAY + dt.timedelta(minutes=draw(minutes))
        length = draw(st.one_of(st.none(), st.integers(1, 3 * 24 * 60)))
        found.append((start, None if length is None else start + dt.timedelta(minutes=length)))
    return found


@settings(max_examples=300, deadline=None)
@given(
    calendar=st.sampled_from([ALWAYS, OFFICE]),
    opened=minutes,
    target=st.integers(1, 3 * 8 * 60),
    answered=st.integers(0, 20 * 24 * 60),
    paused=pauses(),
)
def test_pausing_never_makes_a_met_ticket_late(
    calendar: BusinessCalendar,
    opened: int,
    target: int,
    answered: int,
    paused: list[tuple[dt.datetime, dt.datetime | None]],
) -> None:
    start = MONDAY + dt.timedelta(minutes=opened)
    limit = Duration(amount=target * 60, unit="s", business=True)
    due = calendar.deadline(start, limit)
    amount = calendar.business_seconds(start, due)
    assert stopped_deadline(calendar, start, amount, []) == due  # no pause: the same due time
    stopped = stopped_deadline(calendar, start, amount, merged(paused))
    closed = start + dt.timedelta(minutes=answered)
    if closed <= due:  # met without the pauses: met with them
        assert stopped is None or closed <= stopped
    if stopped is not None:
        assert stopped >= due
        # The clock ran exactly the target by the due time: its opening time, less what the
        # pauses (each counted once) took out of it.
        taken = sum(
            (stopped_seconds(calendar, p, start, stopped) for p in merged(paused)), Fraction(0)
        )
        assert calendar.business_seconds(start, stopped) - taken == amount


def test_every_status_record_is_used_those_that_start_the_clock_again_too() -> None:
    # The status records "new" and "in progress" do not meet the condition, but they are read:
    # "in progress" ends the pause.
    report = evaluate(parse(DESK), ON_HOLD, END_OF_MARCH)
    (account,) = report.inputs
    assert (account.lines, account.used, account.unused, account.rejected) == (4, 4, 0, 0)


def test_eval_plan_shows_the_query_of_the_status_records_once(tmp_path: Any) -> None:
    from click.testing import CliRunner

    from obligo.cli import cli

    path = tmp_path / "desk.sla"
    path.write_text(textwrap.dedent(DESK), encoding="utf-8")
    done = CliRunner().invoke(
        cli, ["eval", str(path), "--plan", "--at", "2026-04-01T00:00:00Z", "--format", "json"]
    )
    assert done.exit_code == 0, done.output
    scans = json.loads(done.output)["agreements"][0]["scans"]
    status = [s for s in scans if s["grid"].startswith("status records")]
    assert [(s["grid"], s["feeds"]) for s in status] == [
        ("status records: when the clock stops", ["response", "office-response"]),
        ("status records: when the clock stops", ["resolution"]),
    ]
    assert [s["params"][:3] for s in status] == [
        ["on hold", "awaiting customer", "status"],
        ["on hold", "resolved", "status"],
    ]

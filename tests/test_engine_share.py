"""The share of records within target: business hours, weekends, holidays, DST, open records.

The office calendar is Berlin's: Monday to Thursday 08:00-18:00, Friday 08:00-16:00, with Good
Friday (2026-04-03) and Easter Monday (2026-04-06) as holidays. Berlin changes to summer time on
Sunday 2026-03-29 at 02:00 (UTC+1 before, UTC+2 after). Every due time below is worked out by
hand, in local time and in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from engine_helpers import context, evaluate, parse
from obligo.checks.reporter import Scope
from obligo.engine.measure import records
from obligo.engine.measure.measurement import Measurement
from report_helpers import as_shown

BERLIN = ZoneInfo("Europe/Berlin")

DESK = """
    contract desk "Service desk" version 1
      term 2026-01-01 to 2026-12-31
      timezone "Europe/Berlin"

    calendar office "Office hours"
      monday to thursday 08:00 to 18:00
      friday 08:00 to 16:00
      holidays 2026-04-03, 2026-04-06

    calendar around-the-clock "24x7"
      every day all day

    metric resolution "Resolved within target"
      share of ticket records within target, per calendar month, by priority
      duration from opened to resolved, in office hours
      target "P1" 4 hours, in around-the-clock hours
      target "P2" 1 business day
      target "P3" 4 hours
      a record still open is late once its target has passed

    metric response "Answered within 30 business minutes"
      share of ticket records within target, per calendar month
      duration from opened to responded, in office hours
      target 30 business minutes
      a record still open is left out

    metric wall-clock "Resolved within 4 hours of wall-clock time"
      share of ticket records within target, per calendar month
      duration from opened to resolved
      target 4 hours

    clause 1 "P2 resolution"
      promise resolution for "P2" >= 90%

    clause 2 "Resolution"
      promise resolution >= 60%
"""


def share(
    metric: str, events: Iterable[Mapping[str, Any]], at: dt.datetime
) -> dict[str, Measurement]:
    contract = parse(DESK)
    with context(contract, events, at) as ctx:
        return records.share_within_target(Scope.of(contract).metrics[metric], ctx)


def local(text: str) -> dt.datetime:
    """A Berlin wall-clock time (never in a DST gap or repeated hour here)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def ticket(
    name: str,
    priority: str | None,
    opened: dt.datetime,
    resolved: dt.datetime | None = None,
    **fields: Any,
) -> dict[str, Any]:
    record: dict[str, Any] = {"type": "ticket", "id": name, "opened": opened.isoformat()}
    if priority is not None:
        record["priority"] = priority
    if resolved is not None:
        record["resolved"] = resolved.isoformat()
    for key, value in fields.items():
        record[key] = value.isoformat() if isinstance(value, dt.datetime) else value
    return record


def march_and_april() -> list[dict[str, Any]]:
    return [
        # P2, 1 business day. Friday 15:00 has 7 of Friday's 8 opening hours behind it: due
        # Monday when 7 hours have passed there, 15:00. At the due time is within.
        ticket("A", "P2", local("2026-03-06T15:00"), local("2026-03-09T15:00")),
        ticket("B", "P2", local("2026-03-06T15:00"), local("2026-03-09T15:00:01")),
        # Opened on a Saturday: from the start of Monday, due at its close, 18:00.
        ticket("C", "P2", local("2026-03-07T11:00"), local("2026-03-09T17:59")),
        # Over the change to summer time: Friday 15:00 CET (14:00 UTC) is due Monday 15:00
        # CEST, 13:00 UTC.
        ticket("E1", "P2", local("2026-03-27T15:00"), utc("2026-03-30T13:00:00Z")),
        ticket("E2", "P2", local("2026-03-27T15:00"), utc("2026-03-30T13:00:01Z")),
        # Still open: due Tuesday 2026-03-31 09:00 CEST (07:00 UTC).
        ticket("OPEN", "P2", local("2026-03-30T09:00")),
        # P3, 4 hours counted in office hours: 1 hour on Friday, 3 on Monday: Monday 11:00.
        ticket("F", "P3", local("2026-03-06T15:00"), local("2026-03-09T10:30")),
        # P1, 4 hours around the clock, opened 00:30 on the night the clocks go forward
        # (23:30 UTC): due 4 real hours later, 03:30 UTC = 05:30 CEST (not 04:30).
        ticket("G", "P1", local("2026-03-29T00:30"), utc("2026-03-29T03:30:00Z")),
        # No priority: no target for it (every target is per priority), not judged.
        ticket("H", None, local("2026-03-10T09:00"), local("2026-03-10T09:01")),
        # Easter: Thursday 10:00 (2 hours in), Good Friday and Easter Monday closed: due
        # Tuesday 10:00.
        ticket("D1", "P2", local("2026-04-02T10:00"), local("2026-04-07T09:59")),
        ticket("D2", "P2", local("2026-04-02T10:00"), local("2026-04-07T10:01")),
    ]


def test_share_by_priority_over_weekends_holidays_and_dst() -> None:
    measured = share("resolution", march_and_april(), utc("2026-05-01T00:00:00Z"))
    march, april = measured["2026-03"], measured["2026-04"]
    p2 = march.groups["P2"]
    assert (p2.totals["within"], p2.totals["late"]) == (3, 3)  # A, C, E1; B, E2, OPEN
    assert p2.value == 50
    assert sorted(c.id for c in p2.contributors) == ["B", "E2", "OPEN"]
    late = {c.id: c for c in p2.contributors}
    assert late["B"].seconds == 1
    assert late["E2"].seconds == 1
    assert late["OPEN"].end is None and late["OPEN"].detail is not None
    assert "still open" in late["OPEN"].detail
    assert march.groups["P3"].value == 100
    assert march.groups["P1"].value == 100
    assert sorted(march.groups) == ["P1", "P2", "P3"]
    assert march.value == Fraction(5, 8) * 100
    assert march.totals["without_target"] == 1
    assert april.groups["P2"].value == 50
    assert sorted(april.groups) == ["P2"]


def test_verdicts_per_priority() -> None:
    report = evaluate(parse(DESK), march_and_april(), at=utc("2026-05-01T00:00:00Z"))
    found = {(v.clause, v.period.label, v.group): v for v in report.verdicts}
    assert found[("1", "2026-03", "P2")].status == "breached"
    assert as_shown(found[("1", "2026-03", "P2")].value) == "50"
    assert found[("1", "2026-02", "P2")].status == "no_data"
    assert found[("2", "2026-03", "P2")].status == "breached"
    assert found[("2", "2026-03", "P1")].status == "met"


def test_open_records_left_out_until_due_then_late() -> None:
    events = [ticket("OPEN", "P2", local("2026-03-30T09:00"))]
    before = share("resolution", events, utc("2026-03-31T06:59:59Z"))["2026-03"]
    assert before.value is None
    assert before.totals["open_not_yet_due"] == 1
    at_due = share("resolution", events, utc("2026-03-31T07:00:00Z"))["2026-03"]
    assert at_due.totals["open_not_yet_due"] == 1  # due at 07:00: not late yet
    after = share("resolution", events, utc("2026-03-31T07:00:01Z"))["2026-03"]
    assert after.value == 0 and after.totals["late"] == 1
    # Resolved after the evaluation time: still open at it.
    resolved_later = [ticket("X", "P2", local("2026-03-30T09:00"), local("2026-04-01T09:00"))]
    seen = share("resolution", resolved_later, utc("2026-03-31T08:00:00Z"))["2026-03"]
    assert seen.totals["late"] == 1


def test_open_records_always_left_out_when_the_metric_says_so() -> None:
    events = [
        ticket("R1", None, local("2026-03-06T15:45"), responded=local("2026-03-09T08:15")),
        ticket("R2", None, local("2026-03-06T15:45"), responded=local("2026-03-09T08:15:01")),
        ticket("R3", None, local("2026-03-02T09:00")),  # never answered: left out
    ]
    march = share("response", events, utc("2026-05-01T00:00:00Z"))["2026-03"]
    # 15:45 + 30 business minutes: 15 on Friday, 15 on Monday: 08:15
    assert (march.totals["within"], march.totals["late"]) == (1, 1)
    assert march.totals["open_not_yet_due"] == 1
    assert march.value == 50


def test_wall_clock_target_across_dst() -> None:
    """Without a calendar, 4 hours are 4 elapsed hours: 00:30 CET + 4 h = 05:30 CEST."""
    events = [
        ticket("W1", None, local("2026-03-29T00:30"), local("2026-03-29T05:30")),
        ticket("W2", None, local("2026-03-29T00:30"), local("2026-03-29T05:31")),
    ]
    march = share("wall-clock", events, utc("2026-05-01T00:00:00Z"))["2026-03"]
    assert (march.totals["within"], march.totals["late"]) == (1, 1)


def test_one_business_day_from_the_start_of_a_day() -> None:
    events = [
        ticket("M1", "P2", local("2026-03-09T08:00"), local("2026-03-09T18:00")),
        # Due at Monday's 18:00 close; no open time passes until Tuesday 08:00: resolved then,
        # it has used exactly one opening day (10 h), within; a second later it is late by one
        # second of open time.
        ticket("M2", "P2", local("2026-03-09T08:00"), local("2026-03-10T08:00")),
        ticket("M4", "P2", local("2026-03-09T08:00"), local("2026-03-10T08:00:01")),
        # Friday 17:00, after closing: the start of Monday, due Monday 18:00
        ticket("M3", "P2", local("2026-03-13T17:00"), local("2026-03-16T18:00")),
    ]
    march = share("resolution", events, utc("2026-05-01T00:00:00Z"))["2026-03"]
    assert march.groups["P2"].totals["within"] == 3
    assert [(c.id, c.seconds) for c in march.groups["P2"].contributors] == [("M4", 1)]


def test_error_budget_of_a_pending_month() -> None:
    """19 P2 tickets within target and 1 late so far: at 90%, 2 of 20 may be late: 1 more."""
    events = [
        ticket(f"T{i}", "P2", local("2026-03-02T09:00"), local("2026-03-02T10:00"))
        for i in range(19)
    ]
    events.append(ticket("LATE", "P2", local("2026-03-02T09:00"), local("2026-03-04T10:00")))
    report = evaluate(parse(DESK), events, at=utc("2026-03-20T00:00:00Z"))
    march = next(v for v in report.verdicts if v.clause == "1" and v.period.label == "2026-03")
    assert march.group == "P2"
    assert march.status == "pending"
    assert as_shown(march.value) == "95"
    assert march.error_budget is not None
    assert as_shown(march.error_budget.remaining) == "1"

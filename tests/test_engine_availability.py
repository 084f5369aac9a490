"""Availability from down intervals, total duration, MTTR and MTBF, on small logs computed by hand.

Each test writes a small contract and a few records, evaluates them at a fixed time and checks
the exact value (a decimal string, never a float), the status and the evidence. Lengths used
below: a 30-day month has 43,200 minutes (2,592,000 s), a 31-day month 44,640 minutes; March 2026
in Europe/Berlin has 44,580 minutes (the clocks go forward on the 29th), October 2026 44,700;
November 2026 in America/New_York 43,260. 1% of 43,200 minutes is 432 minutes: 432 down minutes
in April is exactly 99%.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from collections.abc import Iterable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import obligo
from engine_helpers import evaluate
from obligo.engine.measure import availability as availability_module
from obligo.engine.measure.downtime import DownSource, Downtime
from obligo.engine.numbers import decimal_text
from obligo.report.model import Report, Verdict
from report_helpers import as_shown

APRIL = 2_592_000  # seconds in a 30-day month
MARCH_UTC = 2_678_400


def ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def contract_text(body: str, tz: str = "UTC", extra: str = "") -> str:
    header = f"""\
contract t "T" version 1
  provider nimbus "Nimbus"
  supplier netco "NetCo"
  supplier colo "Colo"
  term 2026-01-01 to 2026-12-31
  timezone "{tz}"
"""
    return (
        header
        + textwrap.indent(textwrap.dedent(extra).strip("\n"), "  ")
        + ("\n" if extra.strip() else "")
        + "\n"
        + textwrap.dedent(body).strip("\n")
        + "\n"
    )


def run(
    body: str,
    events: Iterable[dict[str, Any]] | Sequence[Any],
    at: str,
    tz: str = "UTC",
    extra: str = "",
    **options: Any,
) -> Report:
    contract = obligo.parse(contract_text(body, tz, extra), filename="t.sla")
    events = list(events)
    return evaluate(contract, events, at=ts(at), **options)


def one(report: Report, period: str, clause: str = "1", group: str | None = None) -> Verdict:
    found = [
        v
        for v in report.verdicts
        if v.period.label == period and v.clause == clause and v.group == group
    ]
    assert len(found) == 1, [(v.clause, v.period.label, v.group) for v in report.verdicts]
    return found[0]


def by_period(report: Report, clause: str = "1") -> dict[str, tuple[str, str | None]]:
    return {
        v.period.label: (v.status, v.value)
        for v in report.verdicts
        if v.clause == clause and v.group is None
    }


def exact(value: Fraction) -> str:
    return decimal_text(value)


def percent_up(down: int, counted: int) -> str:
    return exact(Fraction(counted - down, counted) * 100)


def incident(id_: str, start: str, end: str | None, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"type": "incident", "id": id_, "start": start, **fields}
    if end is not None:
        record["end"] = end
    return record


UPTIME = """\
metric up "Uptime"
  availability, {period}
  down during incident records

clause 1 "Availability"
  promise up >= {target}

clause 2 "Strictly above"
  promise up > {target}
"""


def uptime(period: str = "per calendar month", target: str = "99%") -> str:
    return UPTIME.format(period=period, target=target)


# ---------------------------------------------------------------------------- period kinds
def test_calendar_month_lands_exactly_on_the_target() -> None:
    # 432 down minutes of April's 43,200: exactly 99%, met by >= and breached by >.
    events = [
        incident("INC-1", "2026-04-10T10:00:00Z", "2026-04-10T15:00:00Z"),
        incident("INC-2", "2026-04-20T00:00:00Z", "2026-04-20T02:12:00Z"),
    ]
    report = run(uptime(), events, "2026-05-15T00:00:00Z")
    april = one(report, "2026-04")
    assert as_shown((april.status, april.value, april.unit)) == ("met", "99", "%")
    assert as_shown(april.evidence.totals) == {
        "counted_seconds": "2592000",
        "down_seconds": "25920",
        "excluded_seconds": "0",
        "period_seconds": "2592000",
    }
    assert as_shown((one(report, "2026-04", "2").status, one(report, "2026-04", "2").value)) == (
        "breached",
        "99",
    )
    assert as_shown(by_period(report)) == {
        "2026-01": ("met", "100"),
        "2026-02": ("met", "100"),
        "2026-03": ("met", "100"),
        "2026-04": ("met", "99"),
        "2026-05": ("pending", "100"),
    }


def test_calendar_day() -> None:
    # 1% of a day is 14 minutes 24 seconds.
    events = [incident("INC-1", "2026-04-10T10:00:00Z", "2026-04-10T10:14:24Z")]
    report = run(uptime("per calendar day"), events, "2026-04-12T06:00:00Z")
    assert len(by_period(report)) == 102  # January 1 to April 12
    assert as_shown(by_period(report)["2026-04-10"]) == ("met", "99")
    assert as_shown(by_period(report)["2026-04-11"]) == ("met", "100")
    assert as_shown(by_period(report)["2026-04-12"]) == ("pending", "100")
    assert one(report, "2026-04-10", "2").status == "breached"


def test_calendar_week_with_an_incident_over_midnight() -> None:
    # ISO week 15 of 2026 runs from Monday April 6; 1% of 10,080 minutes is 100 min 48 s.
    events = [incident("INC-1", "2026-04-07T23:00:00Z", "2026-04-08T00:40:48Z")]
    report = run(uptime("per calendar week"), events, "2026-04-20T06:00:00Z")
    week = one(report, "2026-W15")
    assert as_shown((week.status, week.value)) == ("met", "99")
    assert week.period.start == ts("2026-04-06T00:00:00Z")
    assert as_shown(by_period(report)["2026-W14"]) == ("met", "100")
    assert as_shown(by_period(report)["2026-W17"]) == ("pending", "100")
    # The term starts on a Thursday: the first week is partial, four days long.
    first = one(report, "2026-W01")
    assert first.period.partial and as_shown(first.evidence.totals["period_seconds"]) == "345600"


def test_calendar_quarter_and_an_incident_across_a_month_boundary() -> None:
    # Q2 2026 has 91 days (131,040 minutes); 0.5% of it is 655.2 minutes = 39,312 s.
    body = """\
metric quarterly "Quarterly uptime"
  availability, per calendar quarter
  down during incident records

metric monthly "Monthly uptime"
  availability, per calendar month
  down during incident records

clause 1 "Quarter"
  promise quarterly >= 99.5%

clause 2 "Month"
  promise monthly >= 99.5%
"""
    events = [incident("INC-1", "2026-04-30T20:00:00Z", "2026-05-01T06:55:12Z")]
    report = run(body, events, "2026-07-10T00:00:00Z")
    assert as_shown(by_period(report)) == {
        "2026-Q1": ("met", "100"),
        "2026-Q2": ("met", "99.5"),
        "2026-Q3": ("pending", "100"),
    }
    # The month boundary splits it: 4 h in April, 6 h 55 min 12 s in May.
    april, may = one(report, "2026-04", "2"), one(report, "2026-05", "2")
    assert as_shown(april.evidence.totals["down_seconds"]) == "14400"
    assert as_shown(may.evidence.totals["down_seconds"]) == "24912"
    assert as_shown(april.value) == percent_up(14_400, APRIL) == "99.444444444"
    assert as_shown(may.value) == percent_up(24_912, MARCH_UTC) == "99.069892473"
    assert (april.status, may.status) == ("breached", "breached")
    # The contributor shows the record's whole interval and its share of the period.
    (contributor,) = may.evidence.contributors
    assert as_shown((contributor.id, contributor.seconds)) == ("INC-1", "24912")
    assert contributor.start == ts("2026-04-30T20:00:00Z")


def test_calendar_year() -> None:
    # 2026 has 525,600 minutes; 0.1% is 525.6 minutes = 8 h 45 min 36 s.
    events = [incident("INC-1", "2026-06-01T00:00:00Z", "2026-06-01T08:45:36Z")]
    report = run(uptime("per calendar year", "99.9%"), events, "2027-01-05T00:00:00Z")
    assert as_shown(by_period(report)) == {"2026": ("met", "99.9")}
    assert as_shown(by_period(report, "2")) == {"2026": ("breached", "99.9")}


def test_billing_cycles() -> None:
    # Cycles from the 15th: 2026-03-15 to 2026-04-14 is 31 days; 1% is 7 h 26 min 24 s.
    events = [
        incident("INC-1", "2026-03-20T00:00:00Z", "2026-03-20T07:26:24Z"),
        # across the boundary of the next cycle: 1 h in this one, 1 h in the next
        incident("INC-2", "2026-04-14T23:00:00Z", "2026-04-15T01:00:00Z"),
    ]
    report = run(
        uptime("per billing cycle"),
        events,
        "2026-04-20T00:00:00Z",
        extra="billing cycle monthly from 2026-01-15",
    )
    cycles = by_period(report)
    assert list(cycles) == [
        "2025-12-15/2026-01-14",
        "2026-01-15/2026-02-14",
        "2026-02-15/2026-03-14",
        "2026-03-15/2026-04-14",
        "2026-04-15/2026-05-14",
    ]
    march = one(report, "2026-03-15/2026-04-14")
    assert as_shown(march.evidence.totals["down_seconds"]) == "30384"  # 26,784 + 3,600
    assert as_shown(march.value) == percent_up(30_384, 31 * 86_400)
    assert march.status == "breached"
    first = one(report, "2025-12-15/2026-01-14")
    assert first.period.partial and as_shown(first.evidence.totals["period_seconds"]) == str(
        14 * 86_400
    )
    april = one(report, "2026-04-15/2026-05-14")
    assert april.status == "pending"
    assert as_shown(april.evidence.totals["down_seconds"]) == "3600"
    assert as_shown(april.evidence.totals["period_seconds"]) == str(5 * 86_400)


def test_periods_of_n_days_from_a_date_with_a_partial_first_period() -> None:
    # 10-day periods from 2026-01-05: the grid's period 2025-12-26..2026-01-04 is cut to the
    # term's first four days (5,760 minutes); 57.6 down minutes are exactly 1% of it.
    events = [incident("INC-1", "2026-01-02T12:00:00Z", "2026-01-02T12:57:36Z")]
    report = run(uptime("per 10 days from 2026-01-05"), events, "2026-01-20T00:00:00Z")
    assert as_shown(by_period(report)) == {
        "2025-12-26/2026-01-04": ("met", "99"),
        "2026-01-05/2026-01-14": ("met", "100"),
        "2026-01-15/2026-01-24": ("pending", "100"),
    }
    assert one(report, "2025-12-26/2026-01-04").period.partial


def test_rolling_windows() -> None:
    # Seven-day windows ending at each midnight; 1% of 7 days is 100 min 48 s. The incident on
    # April 8 is in the seven windows labelled April 8 to April 14.
    events = [incident("INC-1", "2026-04-08T12:00:00Z", "2026-04-08T13:40:48Z")]
    report = run(uptime("over a rolling 7 days"), events, "2026-04-20T12:00:00Z")
    windows = by_period(report)
    assert as_shown(windows["2026-04-07"]) == ("met", "100")
    for day in range(8, 15):
        assert as_shown(windows[f"2026-04-{day:02d}"]) == ("met", "99"), day
    assert as_shown(windows["2026-04-15"]) == ("met", "100")
    assert as_shown(windows["2026-04-20"]) == ("pending", "100")
    window = one(report, "2026-04-10")
    assert window.period.start == ts("2026-04-04T00:00:00Z")
    assert window.period.end == ts("2026-04-11T00:00:00Z")
    # The first windows reach back before the term: they are cut to it.
    first = one(report, "2026-01-01")
    assert first.period.partial and as_shown(first.evidence.totals["period_seconds"]) == "86400"


# ------------------------------------------------------------------------------------- DST
def test_berlin_march_has_44580_minutes() -> None:
    # 1% of 44,580 minutes is 445.8 minutes = 7 h 25 min 48 s, here over the DST change:
    # from 00:30 CET (23:30Z) to 08:55:48 CEST (06:55:48Z).
    events = [
        incident("INC-1", "2026-03-29T00:30:00+01:00", "2026-03-29T08:55:48+02:00"),
    ]
    report = run(uptime(), events, "2026-04-02T00:00:00Z", tz="Europe/Berlin")
    march = one(report, "2026-03")
    assert as_shown((march.status, march.value)) == ("met", "99")
    assert as_shown(march.evidence.totals["period_seconds"]) == str(44_580 * 60)
    assert as_shown(march.evidence.totals["down_seconds"]) == "26748"
    assert march.period.start.isoformat() == "2026-03-01T00:00:00+01:00"
    assert march.period.end.isoformat() == "2026-04-01T00:00:00+02:00"


def test_berlin_october_and_new_york_november_have_an_extra_hour() -> None:
    # October 2026 in Berlin: 44,700 minutes, 1% = 447 minutes.
    events = [incident("INC-1", "2026-10-25T01:00:00+02:00", "2026-10-25T07:27:00+01:00")]
    report = run(uptime(), events, "2026-11-02T00:00:00Z", tz="Europe/Berlin")
    october = one(report, "2026-10")
    assert as_shown((october.status, october.value)) == ("met", "99")
    assert as_shown(october.evidence.totals["period_seconds"]) == str(44_700 * 60)
    # November 2026 in New York: 43,260 minutes, 1% = 432.6 minutes = 25,956 s.
    events = [incident("INC-2", "2026-11-01T00:00:00-04:00", "2026-11-01T06:12:36-05:00")]
    report = run(uptime(), events, "2026-12-02T00:00:00Z", tz="America/New_York")
    november = one(report, "2026-11")
    assert as_shown((november.status, november.value)) == ("met", "99")
    assert as_shown(november.evidence.totals["down_seconds"]) == "25956"


def test_month_boundary_follows_the_contract_timezone() -> None:
    # May begins at 2026-04-30T22:00Z in Berlin (CEST): the incident is split in two hours.
    events = [incident("INC-1", "2026-04-30T21:00:00Z", "2026-04-30T23:00:00Z")]
    report = run(uptime(), events, "2026-06-02T00:00:00Z", tz="Europe/Berlin")
    assert as_shown(one(report, "2026-04").evidence.totals["down_seconds"]) == "3600"
    assert as_shown(one(report, "2026-05").evidence.totals["down_seconds"]) == "3600"


# --------------------------------------------------------------------- intervals and evidence
def test_overlapping_incidents_count_once() -> None:
    events = [
        incident("A", "2026-04-02T10:00:00Z", "2026-04-02T11:00:00Z"),
        incident("B", "2026-04-02T10:30:00Z", "2026-04-02T12:00:00Z"),
        incident("C", "2026-04-02T11:30:00Z", "2026-04-02T11:45:00Z"),  # inside B
        incident("D", "2026-04-02T10:00:00Z", "2026-04-02T11:00:00Z"),  # A again, another id
    ]
    report = run(uptime(), events, "2026-05-01T00:00:00Z")
    april = one(report, "2026-04")
    assert as_shown(april.evidence.totals["down_seconds"]) == "7200"
    assert as_shown(april.value) == percent_up(7_200, APRIL)
    assert as_shown([(c.id, c.seconds) for c in april.evidence.contributors]) == [
        ("B", "5400"),
        ("A", "3600"),
        ("D", "3600"),
        ("C", "900"),
    ]
    assert april.evidence.contributors_total == 4


def test_ten_largest_contributors_ties_by_time_then_id() -> None:
    # Twelve incidents: lengths 1..12 minutes except three of 30 minutes that tie.
    events = [
        incident(f"I-{n:02d}", f"2026-04-{n:02d}T00:00:00Z", f"2026-04-{n:02d}T00:{n:02d}:00Z")
        for n in range(1, 10)
    ]
    events += [
        incident("T-b", "2026-04-20T00:00:00Z", "2026-04-20T00:30:00Z"),
        incident("T-a", "2026-04-20T00:00:00Z", "2026-04-20T00:30:00Z"),
        incident("T-c", "2026-04-15T00:00:00Z", "2026-04-15T00:30:00Z"),
    ]
    report = run(uptime(), events, "2026-05-01T00:00:00Z")
    evidence = one(report, "2026-04").evidence
    assert evidence.contributors_total == 12
    assert [c.id for c in evidence.contributors] == [
        "T-c",  # 30 min, earliest
        "T-a",  # 30 min, same time as T-b: by id
        "T-b",
        "I-09",
        "I-08",
        "I-07",
        "I-06",
        "I-05",
        "I-04",
        "I-03",
    ]
    assert as_shown(evidence.totals["down_seconds"]) == str(60 * 60 + 45 * 60)  # T-a and T-b once


def test_open_incident_is_down_until_the_evaluation_time() -> None:
    events = [incident("OPEN", "2026-04-30T23:00:00Z", None)]
    report = run(uptime(), events, "2026-05-01T01:00:00Z")
    april = one(report, "2026-04")
    assert as_shown(april.evidence.totals["down_seconds"]) == "3600"
    may = one(report, "2026-05")
    assert may.status == "pending"
    assert as_shown(may.evidence.totals) == {
        "counted_seconds": "3600",
        "down_seconds": "3600",
        "excluded_seconds": "0",
        "period_seconds": "3600",
    }
    assert as_shown(may.value) == "0"
    (contributor,) = may.evidence.contributors
    assert contributor.end == ts("2026-05-01T01:00:00Z")
    # The error budget of May: 1% of 44,640 minutes, of which one hour is spent.
    assert may.error_budget is not None
    assert as_shown(may.error_budget.remaining) == "23184"  # 26,784 - 3,600 seconds
    assert as_shown(may.error_budget.used) == exact(Fraction(3600, 26784) * 100)


def test_open_incident_stops_at_the_end_of_the_term() -> None:
    events = [incident("OPEN", "2026-12-31T12:00:00Z", None)]
    report = run(uptime(), events, "2027-02-01T00:00:00Z")
    december = one(report, "2026-12")
    assert december.status == "breached"
    assert as_shown(december.evidence.totals["down_seconds"]) == "43200"
    assert as_shown(december.value) == percent_up(43_200, 31 * 86_400)
    assert max(v.period.label for v in report.verdicts) == "2026-12"


def test_pending_period_error_budget() -> None:
    # At mid-April 6,000 s are down; 1% of April is 25,920 s: 19,920 s remain.
    events = [incident("INC-1", "2026-04-03T00:00:00Z", "2026-04-03T01:40:00Z")]
    report = run(uptime(), events, "2026-04-16T00:00:00Z")
    april = one(report, "2026-04")
    assert april.status == "pending"
    assert as_shown(april.value) == percent_up(6_000, 15 * 86_400)
    assert april.error_budget is not None
    assert as_shown(april.error_budget.remaining) == "19920"
    assert as_shown(april.error_budget.used) == "23.148148148"
    assert april.error_budget.unit == "seconds of downtime"
    # `>`: strictly better, one microsecond less.
    strict = one(report, "2026-04", "2")
    assert (
        strict.error_budget is not None
        and as_shown(strict.error_budget.remaining) == "19919.999999"
    )
    # Closed periods carry no budget.
    assert one(report, "2026-03").error_budget is None


def test_seconds_and_sub_seconds_are_exact() -> None:
    events = [incident("INC-1", "2026-04-03T00:00:00.250Z", "2026-04-03T00:00:01Z")]
    report = run(uptime(), events, "2026-05-01T00:00:00Z")
    april = one(report, "2026-04")
    assert as_shown(april.evidence.totals["down_seconds"]) == "0.75"
    assert as_shown(april.value) == exact(Fraction(APRIL * 4 - 3, APRIL * 4) * 100)


def test_jsonl_file_input(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                incident("INC-1", "2026-04-10T10:00:00Z", "2026-04-10T17:12:00Z"),
                {"type": "deployment", "start": "2026-01-01T00:00:00Z"},
            ]
        )
        + "\n"
    )
    contract = obligo.parse(contract_text(uptime()), filename="t.sla")
    report = evaluate(contract, [str(log)], at=ts("2026-05-01T00:00:00Z"))
    assert as_shown(by_period(report)["2026-04"]) == ("met", "99")


# ------------------------------------------------------------------------------- exclusions
MAINTENANCE = """\
exclusion maintenance "Scheduled maintenance"
  maintenance records
  valid when announced at least 5 days before start
  {treatment}

metric up "Uptime"
  availability, per calendar month
  down during incident records
  excluding maintenance

clause 1 "Availability"
  promise up >= 99%
"""


def maintenance(id_: str, start: str, end: str, announced: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {"type": "maintenance", "id": id_, "start": start, "end": end}
    if announced is not None:
        record["announced"] = announced
    return record


def test_exclusions_with_and_without_enough_notice() -> None:
    # M-1: exactly 5 days' notice, 12 h excluded from the period: April counts 2,548,800 s, of
    # which 1% is 25,488 s. M-2 (notice one hour short) and M-3 (never announced) are refused:
    # ordinary downtime, 3,600 + 1,800 s. INC-1 falls inside M-1 and does not count; INC-2 adds
    # 20,088 s: 25,488 s down in all, exactly 99%.
    events = [
        maintenance("M-1", "2026-04-10T00:00:00Z", "2026-04-10T12:00:00Z", "2026-04-05T00:00:00Z"),
        maintenance("M-2", "2026-04-12T00:00:00Z", "2026-04-12T01:00:00Z", "2026-04-07T01:00:00Z"),
        maintenance("M-3", "2026-04-14T00:00:00Z", "2026-04-14T00:30:00Z", None),
        incident("INC-1", "2026-04-10T02:00:00Z", "2026-04-10T03:00:00Z"),
        incident("INC-2", "2026-04-20T00:00:00Z", "2026-04-20T05:34:48Z"),
    ]
    body = MAINTENANCE.format(treatment="excluded from the period")
    report = run(body, events, "2026-05-01T00:00:00Z")
    april = one(report, "2026-04")
    assert as_shown((april.status, april.value)) == ("met", "99")
    assert as_shown(april.evidence.totals) == {
        "counted_seconds": "2548800",
        "down_seconds": "25488",
        "excluded_seconds": "43200",
        "period_seconds": "2592000",
    }
    (applied,) = april.evidence.exclusions
    assert as_shown(applied.model_dump()) == {
        "exclusion": "maintenance",
        "reason": "Scheduled maintenance",
        "treatment": "excluded_from_period",
        "seconds": "43200",
        "records": 1,
    }
    assert [(r.id, r.reason) for r in april.evidence.exclusions_refused] == [
        ("M-2", "announced 4 days 23 hours before start, 5 days required"),
        ("M-3", "not announced: no announced"),
    ]
    # The refused maintenance is downtime, shown as such among the contributors.
    assert as_shown([(c.type, c.id, c.seconds) for c in april.evidence.contributors]) == [
        ("incident", "INC-2", "20088"),
        ("maintenance", "M-2", "3600"),
        ("maintenance", "M-3", "1800"),
    ]
    assert april.evidence.contributors[1].detail == (
        "exclusion maintenance refused: announced 4 days 23 hours before start, 5 days required"
    )


def test_notice_after_the_start_and_one_second_short() -> None:
    events = [
        maintenance("M-1", "2026-04-10T00:00:00Z", "2026-04-10T01:00:00Z", "2026-04-10T00:10:00Z"),
        maintenance("M-2", "2026-04-20T00:00:00Z", "2026-04-20T01:00:00Z", "2026-04-15T00:00:01Z"),
    ]
    report = run(MAINTENANCE.format(treatment=""), events, "2026-05-01T00:00:00Z")
    april = one(report, "2026-04")
    assert [(r.id, r.reason) for r in april.evidence.exclusions_refused] == [
        ("M-1", "announced after start, 5 days required"),
        ("M-2", "announced 4 days 23 hours 59 minutes 59 seconds before start, 5 days required"),
    ]
    assert as_shown(april.evidence.totals["down_seconds"]) == "7200"


def test_counts_as_available_versus_excluded_from_the_period() -> None:
    # The language reference's example: a 30-day month, 60 minutes of valid maintenance during
    # which the service was down, and 30 other down minutes.
    events = [
        maintenance("M-1", "2026-04-10T00:00:00Z", "2026-04-10T01:00:00Z", "2026-04-01T00:00:00Z"),
        incident("INC-1", "2026-04-10T00:00:00Z", "2026-04-10T01:00:00Z"),
        incident("INC-2", "2026-04-20T00:00:00Z", "2026-04-20T00:30:00Z"),
    ]
    removed = one(
        run(
            MAINTENANCE.format(treatment="excluded from the period"), events, "2026-05-01T00:00:00Z"
        ),
        "2026-04",
    )
    available = one(
        run(MAINTENANCE.format(treatment="counts as available"), events, "2026-05-01T00:00:00Z"),
        "2026-04",
    )
    assert as_shown(removed.value) == exact(100 - Fraction(30, 43_140) * 100) == "99.930458971"
    assert as_shown(available.value) == exact(100 - Fraction(30, 43_200) * 100) == "99.930555556"
    assert as_shown(removed.evidence.totals["counted_seconds"]) == str(APRIL - 3600)
    assert as_shown(available.evidence.totals["counted_seconds"]) == str(APRIL)
    assert as_shown(available.evidence.totals["counted_as_available_seconds"]) == "3600"
    assert [e.treatment for e in available.evidence.exclusions] == ["counts_as_available"]
    assert as_shown(available.evidence.exclusions[0].seconds) == "3600"


def test_counted_as_available_time_without_downtime_changes_nothing() -> None:
    events = [
        maintenance("M-1", "2026-04-10T00:00:00Z", "2026-04-10T01:00:00Z", "2026-04-01T00:00:00Z"),
        incident("INC-2", "2026-04-20T00:00:00Z", "2026-04-20T00:30:00Z"),
    ]
    report = run(
        MAINTENANCE.format(treatment="counts as available"), events, "2026-05-01T00:00:00Z"
    )
    april = one(report, "2026-04")
    assert as_shown(april.value) == percent_up(1800, APRIL)
    assert april.evidence.exclusions == []


def test_customer_caused_incidents_and_a_window_rule() -> None:
    body = """\
calendar window "Maintenance window"
  sunday 01:00 to 05:00

exclusion customer "Caused by the customer"
  incident records where cause = "customer"
  counts as available

exclusion window-work "Work in the window"
  maintenance records
  valid when within window

metric up "Uptime"
  availability, per calendar month
  down during incident records
  excluding customer, window-work

clause 1 "Availability"
  promise up >= 99%
"""
    events = [
        incident("C-1", "2026-04-07T10:00:00Z", "2026-04-07T12:00:00Z", cause="customer"),
        incident("P-1", "2026-04-07T11:00:00Z", "2026-04-07T13:00:00Z", cause="provider"),
        # Sunday April 12, 00:00 to 06:00: 4 h inside the window, 2 h outside (downtime)
        {
            "type": "maintenance",
            "id": "W-1",
            "start": "2026-04-12T00:00:00Z",
            "end": "2026-04-12T06:00:00Z",
        },
    ]
    report = run(body, events, "2026-05-01T00:00:00Z")
    april = one(report, "2026-04")
    # Down: P-1's hour after C-1 ended (11:00-12:00 is the customer's), and W-1's two hours
    # outside the window. Counted: April less the window's 4 hours.
    assert as_shown(april.evidence.totals["down_seconds"]) == str(3600 + 7200)
    assert as_shown(april.evidence.totals["counted_seconds"]) == str(APRIL - 4 * 3600)
    assert as_shown(april.evidence.totals["counted_as_available_seconds"]) == "7200"
    assert as_shown(april.value) == percent_up(10_800, APRIL - 14_400)
    assert as_shown(
        {(e.exclusion, e.treatment, e.seconds, e.records) for e in april.evidence.exclusions}
    ) == {
        ("customer", "counts_as_available", "7200", 1),
        ("window-work", "excluded_from_period", "14400", 1),
    }
    (refused,) = april.evidence.exclusions_refused
    assert (refused.id, refused.reason) == ("W-1", "2 hours of its 6 hours outside window")


# ----------------------------------------------------------------------- restricted time
def test_only_while_deployed() -> None:
    # Deployed April 1-11 and from April 21 on (still deployed): 20 days, 1,728,000 s; 1% is
    # 17,280 s. The incident of April 15 falls outside deployed time.
    body = """\
metric up "Uptime"
  availability, per calendar month
  down during incident records
  only while deployment records where service = "api"

clause 1 "Availability"
  promise up >= 99%
"""
    events = [
        {
            "type": "deployment",
            "service": "api",
            "start": "2026-04-01T00:00:00Z",
            "end": "2026-04-11T00:00:00Z",
        },
        {"type": "deployment", "service": "api", "start": "2026-04-21T00:00:00Z"},
        {"type": "deployment", "service": "web", "start": "2026-01-01T00:00:00Z"},
        incident("INC-1", "2026-04-05T00:00:00Z", "2026-04-05T04:48:00Z"),
        incident("INC-2", "2026-04-15T00:00:00Z", "2026-04-15T05:00:00Z"),
    ]
    report = run(body, events, "2026-05-02T00:00:00Z")
    april = one(report, "2026-04")
    assert as_shown((april.status, april.value)) == ("met", "99")
    assert as_shown(april.evidence.totals["counted_seconds"]) == "1728000"
    assert [c.id for c in april.evidence.contributors] == ["INC-1"]
    march = one(report, "2026-03")
    assert (march.status, march.value, march.reason) == (
        "no_data",
        None,
        "no counted time in the period",
    )
    # Pending at April 25: 14 days deployed so far; the budget assumes the open deployment goes
    # on, so the whole month counts 20 days: 17,280 s allowed, all of it spent.
    pending = one(run(body, events, "2026-04-25T00:00:00Z"), "2026-04")
    assert pending.status == "pending"
    assert as_shown(pending.evidence.totals["counted_seconds"]) == str(14 * 86_400)
    assert pending.error_budget is not None
    assert as_shown((pending.error_budget.remaining, pending.error_budget.used)) == ("0", "100")


def test_only_during_office_hours() -> None:
    # April 2026 has 22 weekdays: 176 office hours, 633,600 s; 1% is 6,336 s.
    body = """\
calendar office "Office hours"
  monday to friday 09:00 to 17:00

metric up "Uptime"
  availability, per calendar month
  down during incident records
  only during office hours

clause 1 "Availability"
  promise up >= 99%
"""
    events = [
        incident("SAT", "2026-04-04T10:00:00Z", "2026-04-04T16:00:00Z"),  # Saturday
        incident("MON", "2026-04-06T16:00:00Z", "2026-04-06T18:00:00Z"),  # 1 h in hours
        incident("TUE", "2026-04-07T08:00:00Z", "2026-04-07T09:45:36Z"),  # 45 min 36 s
    ]
    report = run(body, events, "2026-05-01T00:00:00Z")
    april = one(report, "2026-04")
    assert as_shown((april.status, april.value)) == ("met", "99")
    assert as_shown(april.evidence.totals["counted_seconds"]) == "633600"
    assert as_shown([(c.id, c.seconds) for c in april.evidence.contributors]) == [
        ("MON", "3600"),
        ("TUE", "2736"),
    ]


def test_office_hours_in_a_dst_month() -> None:
    # Berlin, March 2026: 22 weekdays of 8 hours whatever the clocks do.
    body = """\
calendar office "Office hours"
  monday to friday 09:00 to 17:00

metric up "Uptime"
  availability, per calendar month
  down during incident records
  only during office hours

clause 1 "Availability"
  promise up >= 99%
"""
    events = [incident("X", "2026-03-30T08:00:00+02:00", "2026-03-30T10:00:00+02:00")]
    report = run(body, events, "2026-04-01T00:00:00Z", tz="Europe/Berlin")
    march = one(report, "2026-03")
    assert as_shown(march.evidence.totals["counted_seconds"]) == str(22 * 8 * 3600)
    assert as_shown(march.evidence.totals["down_seconds"]) == "3600"


# ---------------------------------------------------------------------------- no data rules
def test_unmeasured_when_the_log_has_no_records_of_the_type() -> None:
    events = [{"type": "deployment", "start": "2026-01-01T00:00:00Z"}]
    report = run(uptime(), events, "2026-03-15T00:00:00Z")
    for label, status in [("2026-01", "no_data"), ("2026-02", "no_data"), ("2026-03", "pending")]:
        verdict = one(report, label)
        assert (verdict.status, verdict.value) == (status, None)
        assert verdict.reason == "unmeasured: the log has no incident records"


def test_a_period_without_data_is_breached() -> None:
    body = uptime() + "\n" + ""
    body = body.replace(
        "  down during incident records\n",
        "  down during incident records\n  a period without data is breached\n",
    )
    events = [{"type": "deployment", "start": "2026-01-01T00:00:00Z"}]
    report = run(body, events, "2026-03-15T00:00:00Z")
    assert by_period(report) == {
        "2026-01": ("breached", None),
        "2026-02": ("breached", None),
        "2026-03": ("pending", None),
    }
    # Incidents of another service still mean the log is fed: months without them are 100%.
    events.append(incident("X", "2026-02-01T00:00:00Z", "2026-02-01T00:00:01Z", service="web"))
    report = run(body, events, "2026-03-15T00:00:00Z")
    assert as_shown(by_period(report)["2026-01"]) == ("met", "100")


# ------------------------------------------------------------------------------- composites
COMPOSITE = """\
service uplink "Uplink"
  delivered by netco

service dc-a "Data centre A"
  delivered by colo

service dc-b "Data centre B"
  delivered by colo

metric uplink-up "Uplink"
  availability of uplink, per calendar month
  down during outage records where component = "uplink"

metric dc-a-up "Data centre A"
  availability of dc-a, per calendar month
  down during outage records where component = "dc-a"

metric dc-b-up "Data centre B"
  availability of dc-b, per calendar month
  down during outage records where component = "dc-b"

metric end-to-end "End to end"
  availability, per calendar month
  down when any of [uplink-up, all of [dc-a-up, dc-b-up]] is down
  downtime attributed to each supplier whose component was down

metric first "First cause"
  availability, per calendar month
  down when any of [uplink-up, dc-a-up] is down
  downtime attributed to the first cause

clause 1 "End to end"
  promise end-to-end >= 99.5%

clause 2 "First cause"
  promise first >= 99.5%

clause 3 "Data centre A"
  promise dc-a-up >= 99.9%
"""


def outage(id_: str, component: str, start: str, end: str) -> dict[str, Any]:
    return {
        "type": "outage",
        "id": id_,
        "component": component,
        "start": f"2026-04-02T{start}:00Z",
        "end": f"2026-04-02T{end}:00Z",
    }


COMPOSITE_EVENTS = [
    outage("U-1", "uplink", "10:00", "11:00"),
    outage("A-1", "dc-a", "10:30", "12:00"),
    outage("B-1", "dc-b", "11:30", "12:30"),
    outage("A-2", "dc-a", "14:00", "15:00"),  # dc-b is up: the pair is up
    outage("U-3", "uplink", "16:00", "16:30"),
    outage("A-4", "dc-a", "16:00", "17:00"),  # down with the uplink, but its pair was up
    outage("U-2", "uplink", "20:00", "21:00"),
    outage("A-3", "dc-a", "20:30", "21:30"),
    outage("B-3", "dc-b", "20:30", "21:30"),
]


def test_chain_and_redundant_pair_with_each_supplier_attribution() -> None:
    report = run(COMPOSITE, COMPOSITE_EVENTS, "2026-05-01T00:00:00Z")
    april = one(report, "2026-04")
    # Down: 10:00-11:00 (uplink), 11:30-12:00 (both centres), 16:00-16:30 (uplink),
    # 20:00-21:30: 3 hours 30 minutes.
    assert as_shown(april.evidence.totals["down_seconds"]) == "12600"
    assert as_shown(april.value) == percent_up(12_600, APRIL) == "99.513888889"
    # netco: 10:00-11:00, 16:00-16:30 and 20:00-21:00; colo: 11:30-12:00 and 20:30-21:30.
    assert as_shown(april.evidence.totals["attributed_seconds:netco"]) == "9000"
    assert as_shown(april.evidence.totals["attributed_seconds:colo"]) == "5400"
    # The components' records are the contributors, each with the end-to-end downtime it is
    # responsible for: a data centre only while its pair is down too.
    shares = {c.id: c.seconds for c in april.evidence.contributors}
    assert as_shown(shares) == {
        "U-1": "3600",
        "A-1": "1800",  # 11:30-12:00; at 10:30-11:00 dc-b was up
        "B-1": "1800",
        "U-3": "1800",  # A-4 was down with it, but the pair was up: not a contributor
        "U-2": "3600",
        "A-3": "3600",
        "B-3": "3600",
    }
    assert april.evidence.contributors[0].detail == "component uplink-up (netco)"
    # Each component keeps its own value.
    assert as_shown(one(report, "2026-04", "3").value) == percent_up(4 * 3600 + 1800, APRIL)


def test_first_cause_attribution() -> None:
    report = run(COMPOSITE, COMPOSITE_EVENTS, "2026-05-01T00:00:00Z")
    april = one(report, "2026-04", "2")
    # 10:00-12:00 began with the uplink: netco; 14:00-15:00: colo; 20:00-21:30: netco;
    # 16:00-17:00 began with both at once: the tie goes by supplier name, to colo.
    assert as_shown(april.evidence.totals["down_seconds"]) == str(7200 + 3600 + 3600 + 5400)
    assert as_shown(april.evidence.totals["attributed_seconds:netco"]) == str(7200 + 5400)
    assert as_shown(april.evidence.totals["attributed_seconds:colo"]) == str(3600 + 3600)


def test_composite_exclusions_apply_to_end_to_end_time() -> None:
    body = (
        COMPOSITE.replace(
            "  downtime attributed to each supplier whose component was down\n",
            "  downtime attributed to each supplier whose component was down\n  excluding planned\n",
        )
        + """
exclusion planned "Planned work"
  maintenance records
  counts as available
"""
    )
    events = [
        *COMPOSITE_EVENTS,
        {
            "type": "maintenance",
            "start": "2026-04-02T20:00:00Z",
            "end": "2026-04-02T21:00:00Z",
        },
    ]
    april = one(run(body, events, "2026-05-01T00:00:00Z"), "2026-04")
    assert as_shown(april.evidence.totals["down_seconds"]) == "9000"
    assert as_shown(april.evidence.totals["attributed_seconds:netco"]) == "5400"
    assert as_shown(april.evidence.totals["attributed_seconds:colo"]) == "3600"


# ----------------------------------------------------------------- duration, MTTR and MTBF
DURATIONS = """\
metric outage-time "Outage time"
  total duration of incident records, per calendar month

metric repair "Mean time to repair"
  mean time to repair of incident records, per calendar month

metric between "Mean time between failures"
  mean time between failures of incident records, per calendar month

clause 1 "Outage time"
  promise outage-time <= 2 h

clause 2 "Repair"
  promise repair <= 90 min

clause 3 "Between failures"
  promise between >= 10 days
"""


def test_total_duration_mttr_and_mtbf() -> None:
    events = [
        incident("M-31", "2026-03-31T23:00:00Z", "2026-04-01T01:00:00Z"),  # 1 h in each month
        incident("A-1", "2026-04-05T10:00:00Z", "2026-04-05T11:00:00Z"),
        incident("A-2", "2026-04-05T10:30:00Z", "2026-04-05T12:30:00Z"),  # overlaps A-1
        incident("A-3", "2026-04-29T23:00:00Z", None),  # still open at the evaluation time
    ]
    report = run(DURATIONS, events, "2026-04-30T01:00:00Z")
    # Total duration: March 1 h; April 1 h + 2 h 30 min (union of) + 2 h so far.
    assert as_shown((one(report, "2026-03").status, one(report, "2026-03").value)) == (
        "met",
        "3600",
    )
    april = one(report, "2026-04")
    assert as_shown((april.status, april.value, april.unit)) == ("pending", "19800", "s")
    # MTTR: the failures that began in the period and ended: A-1 (1 h) and A-2 (2 h).
    assert as_shown((one(report, "2026-03", "2").status, one(report, "2026-03", "2").value)) == (
        "breached",
        "7200",
    )
    repair = one(report, "2026-04", "2")
    assert as_shown(repair.value) == "5400"
    assert as_shown(repair.evidence.totals) == {
        "failures": "3",
        "repaired": "2",
        "repair_seconds": "10800",
    }
    # MTBF: up time / failures. March: (31 days - 1 h) / 1.
    march = one(report, "2026-03", "3")
    assert as_shown((march.status, march.value)) == ("met", str(MARCH_UTC - 3600))
    between = one(report, "2026-04", "3")
    up = 29 * 86_400 + 3600 - 19_800  # April 1 to April 30 01:00, less the down time
    assert as_shown(between.value) == exact(Fraction(up, 3))
    assert one(report, "2026-02", "3").reason == (
        "no failure in the period: nothing to measure between"
    )
    assert one(report, "2026-02", "2").status == "no_data"
    assert as_shown(one(report, "2026-02", "1").value) == "0"


def test_total_duration_with_exclusions() -> None:
    body = """\
exclusion maintenance "Scheduled maintenance"
  maintenance records
  valid when announced at least 5 days before start

metric outage-time "Outage time"
  total duration of incident records, per calendar month
  excluding maintenance

clause 1 "Outage time"
  promise outage-time <= 2 h
"""
    events = [
        incident("A-1", "2026-04-05T10:00:00Z", "2026-04-05T12:00:00Z"),
        maintenance("M-1", "2026-04-05T11:00:00Z", "2026-04-05T13:00:00Z", "2026-03-01T00:00:00Z"),
        maintenance("M-2", "2026-04-06T00:00:00Z", "2026-04-06T00:10:00Z", "2026-04-05T00:00:00Z"),
    ]
    april = one(run(body, events, "2026-05-01T00:00:00Z"), "2026-04")
    # A-1's second hour is excluded; M-2 was announced a day ahead: 10 minutes of downtime.
    assert as_shown(april.value) == str(3600 + 600)
    assert [r.id for r in april.evidence.exclusions_refused] == ["M-2"]


# --------------------------------------------------------------------------- grouped metrics
GROUPED = """\
exclusion maintenance "Scheduled maintenance"
  maintenance records

metric regional "Regional uptime"
  availability, per calendar month, by region
  down during incident records where service = "api"
  only while deployment records
  excluding maintenance

clause 1 "Every region"
  promise regional >= 99.75%

clause 2 "Europe"
  promise regional for "eu" >= 99.75%
"""


def test_availability_by_region() -> None:
    events = [
        {"type": "deployment", "region": "eu", "start": "2026-03-01T00:00:00Z"},
        {"type": "deployment", "region": "us", "start": "2026-04-16T00:00:00Z"},
        {"type": "deployment", "region": "ap", "start": "2026-04-01T00:00:00Z"},
        incident(
            "EU-1", "2026-04-02T00:00:00Z", "2026-04-02T02:00:00Z", service="api", region="eu"
        ),
        incident(
            "US-1", "2026-04-20T00:00:00Z", "2026-04-20T01:00:00Z", service="api", region="us"
        ),
        # before the US deployment: not counted for us
        incident(
            "US-0", "2026-04-10T00:00:00Z", "2026-04-10T01:00:00Z", service="api", region="us"
        ),
        # no region: down time of every region
        incident("ALL", "2026-04-25T00:00:00Z", "2026-04-25T00:30:00Z", service="api"),
        # maintenance in eu only, and one everywhere
        {
            "type": "maintenance",
            "region": "eu",
            "start": "2026-04-02T01:00:00Z",
            "end": "2026-04-02T03:00:00Z",
        },
        {"type": "maintenance", "start": "2026-04-28T00:00:00Z", "end": "2026-04-28T01:00:00Z"},
    ]
    report = run(GROUPED, events, "2026-05-01T00:00:00Z")
    eu = one(report, "2026-04", group="eu")
    # eu: counted April less 2 h + 1 h of maintenance; down EU-1's first hour and ALL.
    assert as_shown(eu.evidence.totals["counted_seconds"]) == str(APRIL - 3 * 3600)
    assert as_shown(eu.evidence.totals["down_seconds"]) == str(3600 + 1800)
    assert as_shown(eu.value) == percent_up(5400, APRIL - 3 * 3600)
    assert eu.status == "met"
    us = one(report, "2026-04", group="us")
    # us: deployed from April 16 (15 days), less the hour of maintenance; US-1 and ALL.
    assert as_shown(us.evidence.totals["counted_seconds"]) == str(15 * 86_400 - 3600)
    assert as_shown(us.evidence.totals["down_seconds"]) == "5400"
    assert as_shown(us.value) == percent_up(5400, 15 * 86_400 - 3600)
    assert us.status == "breached"
    assert [c.id for c in us.evidence.contributors] == ["US-1", "ALL"]
    ap = one(report, "2026-04", group="ap")
    assert as_shown(ap.evidence.totals["down_seconds"]) == "1800"
    # Every period has every group: before its deployment a region has no counted time.
    march_us = one(report, "2026-03", group="us")
    assert (march_us.status, march_us.reason) == ("no_data", "no counted time in the period")
    assert as_shown(one(report, "2026-03", group="eu").value) == "100"
    assert sorted({v.group for v in report.verdicts if v.clause == "1"}) == ["ap", "eu", "us"]
    # `for "eu"` picks the same value.
    picked = one(report, "2026-04", "2", group="eu")
    assert picked.value == eu.value


def test_grouped_downtime_from_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    # The slice evaluator may return one Downtime per group; availability uses each.
    def fake(metric: Any, ctx: Any) -> Downtime:
        def down(start: str, end: str) -> DownSource:
            return DownSource((ts(start), ts(end)), "slice", None, record=False)

        eu = Downtime(sources=[down("2026-04-02T00:00:00Z", "2026-04-02T00:43:12Z")])
        us = Downtime(
            sources=[down("2026-04-03T00:00:00Z", "2026-04-03T01:00:00Z")],
            skipped=[(ts("2026-04-10T00:00:00Z"), ts("2026-04-20T00:00:00Z"))],
        )
        return Downtime(sources=[*eu.sources, *us.sources], groups={"eu": eu, "us": us})

    import obligo.engine.measure.availability as measures

    monkeypatch.setattr(measures, "slice_downtime", fake)
    body = """\
metric regional "Regional uptime"
  availability, per calendar month, by region
  in slices of 1 minute
  a slice is down when there are probe records where ok = false
  only while deployment records

clause 1 "Every region"
  promise regional >= 99.9%
"""
    events = [
        {"type": "probe", "time": "2026-04-01T00:00:00Z", "ok": True},
        {"type": "deployment", "start": "2026-01-01T00:00:00Z"},  # every region
        {"type": "deployment", "region": "ap", "start": "2026-04-01T00:00:00Z"},
    ]
    report = run(body, events, "2026-05-01T00:00:00Z")
    eu = one(report, "2026-04", group="eu")
    assert as_shown((eu.status, eu.value)) == ("met", "99.9")
    us = one(report, "2026-04", group="us")
    assert as_shown(us.evidence.totals["counted_seconds"]) == str(20 * 86_400)
    assert as_shown(us.value) == percent_up(3600, 20 * 86_400)
    # ap is known only from its deployment: the pooled slices are not its down time.
    ap = one(report, "2026-04", group="ap")
    assert as_shown((ap.value, ap.evidence.totals["down_seconds"])) == ("100", "0")
    assert availability_module.group_field is not None


def test_down_during_and_slices_together(monkeypatch: pytest.MonkeyPatch) -> None:
    # A metric may say both: down when a record says so or when a slice is judged down. A
    # skipped slice that a record shows down is down, not skipped.
    def fake(metric: Any, ctx: Any) -> Downtime:
        return Downtime(
            sources=[
                DownSource(
                    (ts("2026-04-02T00:00:00Z"), ts("2026-04-02T00:01:00Z")),
                    "slice",
                    None,
                    record=False,
                )
            ],
            skipped=[(ts("2026-04-03T00:00:00Z"), ts("2026-04-03T01:00:00Z"))],
        )

    import obligo.engine.measure.availability as measures

    monkeypatch.setattr(measures, "slice_downtime", fake)
    body = """\
metric up "Uptime"
  availability, per calendar month
  down during incident records
  in slices of 1 minute
  a slice is down when there are probe records where ok = false

clause 1 "Availability"
  promise up >= 99%
"""
    events = [incident("INC-1", "2026-04-03T00:30:00Z", "2026-04-03T01:30:00Z")]
    april = one(run(body, events, "2026-05-01T00:00:00Z"), "2026-04")
    assert as_shown(april.evidence.totals["counted_seconds"]) == str(APRIL - 1800)
    assert as_shown(april.evidence.totals["down_seconds"]) == str(3600 + 60)
    assert as_shown(april.value) == percent_up(3660, APRIL - 1800)


def test_a_cycle_of_components_is_an_error() -> None:
    body = """\
metric x "X"
  availability, per calendar month
  down when any of [y, z] is down

metric y "Y"
  availability, per calendar month
  down when all of [x, z] is down

metric z "Z"
  availability, per calendar month
  down during outage records

clause 1 "X"
  promise x >= 99%
"""
    with pytest.raises(obligo.ObligoError, match="x is a component of itself"):
        run(body, [outage("O", "z", "10:00", "11:00")], "2026-05-01T00:00:00Z")


def test_notice_in_calendar_months() -> None:
    body = MAINTENANCE.format(treatment="").replace(
        "at least 5 days before start", "at least 1 month before start"
    )
    events = [
        # exactly one calendar month (31 days here): valid
        maintenance("M-1", "2026-04-10T00:00:00Z", "2026-04-10T01:00:00Z", "2026-03-10T00:00:00Z"),
        # one second short of it
        maintenance("M-2", "2026-04-20T00:00:00Z", "2026-04-20T01:00:00Z", "2026-03-20T00:00:01Z"),
    ]
    april = one(run(body, events, "2026-05-01T00:00:00Z"), "2026-04")
    assert as_shown(april.evidence.totals["excluded_seconds"]) == "3600"
    assert [(r.id, r.reason) for r in april.evidence.exclusions_refused] == [
        ("M-2", "announced 30 days 23 hours 59 minutes 59 seconds before start, 1 month required")
    ]


def test_the_pooled_availability_of_a_metric_promised_per_region() -> None:
    """Promised per region, the availability over every record is made only when something
    reads the metric as a whole (here a trigger): then it is the union of every region's
    down time (an hour in eu, an hour in us overlapping by half: 90 minutes), as before."""
    body = """\
    metric regional "Regional uptime"
      availability, per calendar month, by region
      down during incident records

    clause 1 "Every region"
      promise regional >= 99.9%
      escalate to "Head of service" when regional < 99.9% in a month
    """
    events = [
        incident("EU-1", "2026-03-03T10:00:00Z", "2026-03-03T11:00:00Z", region="eu"),
        incident("US-1", "2026-03-03T10:30:00Z", "2026-03-03T11:30:00Z", region="us"),
    ]
    report = run(body, events, "2026-04-01T00:00:00Z")
    assert as_shown(one(report, "2026-03", group="eu").value) == percent_up(3600, MARCH_UTC)
    assert as_shown(one(report, "2026-03", group="us").value) == percent_up(3600, MARCH_UTC)
    [escalation] = report.escalations
    pooled = percent_up(5400, MARCH_UTC)
    assert f"regional {pooled}%" in escalation.model_dump_json(), escalation

"""Durations in business units, one rule for every construct: counted on the calendar the
construct names, else on the contract's `calendar NAME`; without one, an error at `check`.

The calendar: Monday to Friday 09:00-17:00 in Berlin, closed on Good Friday (3 April), Easter
Monday (6 April), 1 May, 24, 25 and 31 December 2026. Every date below is counted by hand on it
(the comments show the count), and each would differ if read as calendar days.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import obligo
from engine_helpers import parse
from obligo.errors import Severity
from obligo.render.text import report_text
from obligo.report.model import Consequence, Report
from report_helpers import as_shown

DESK = """
contract desk "Desk" version 1
  term 2026-01-01 to 2026-12-31, notice 10 business days
  timezone "Europe/Berlin"
  currency EUR
  calendar office

calendar office "Office hours"
  monday to friday 09:00 to 17:00
  holidays 2026-04-03, 2026-04-06, 2026-05-01, 2026-12-24, 2026-12-25, 2026-12-31

service api "API"
  fee 3000 EUR monthly

exclusion maintenance "Maintenance"
  maintenance records
  valid when announced at least 5 business days before start

metric uptime "Availability"
  availability of api, per calendar month
  down during incident records
  excluding maintenance

metric outage-time "Outage time"
  total duration of incident records, per calendar month

clause 1 "Claimed within business days"
  service api
  promise uptime >= 99.9%
  credit 10% of the fee when uptime < 99.9%
  claim within 7 business days after the end of the month
  termination right when breached in 1 consecutive month, exercised within 10 business days

clause 2 "Reported outages"
  service api
  credit 1 day of the fee per started hour of outage-time
  claim requires ticket records within 5 business days of the incident

renegotiate when the term ends within its notice period

notify "Procurement" 10 business days before the end of the term
"""


def record(kind: str, id_: str, start: str, end: str, **more: str) -> dict[str, Any]:
    return {"type": kind, "id": id_, "start": start, "end": end, **more}


RECORDS = [
    # Thursday before Easter, 16:00; reported Friday 10 April. 5 business days from Thursday
    # 16:00 (7 h of it elapsed): 7, 8, 9, 10, 13 April, so until Monday 13 April 16:00. As 5
    # calendar days it would have been Tuesday 7 April 16:00: too late.
    record("incident", "O1", "2026-04-02T16:00:00+02:00", "2026-04-02T17:00:00+02:00"),
    record("ticket", "T1", "2026-04-10T12:00:00+02:00", "2026-04-10T13:00:00+02:00"),
    # Monday 20 April 10:00 + 5 business days: 21, 22, 23, 24, 27 April, Monday 27 April 10:00;
    # reported one second later.
    record("incident", "O2", "2026-04-20T10:00:00+02:00", "2026-04-20T11:00:00+02:00"),
    record("ticket", "T2", "2026-04-27T10:00:01+02:00", "2026-04-27T11:00:00+02:00"),
    # Announced Monday 1 June 10:00: 5 business days (2, 3, 4, 5, 8 June) end Monday 8 June
    # 10:00; the work began at 09:30, half an hour short. As 5 calendar days (6 June) it would
    # have been valid.
    record(
        "maintenance",
        "M1",
        "2026-06-08T09:30:00+02:00",
        "2026-06-08T11:30:00+02:00",
        announced="2026-06-01T10:00:00+02:00",
    ),
    # Announced Wednesday 1 July 10:00, begun Wednesday 8 July 10:00 (2, 3, 6, 7, 8 July):
    # exactly the notice required, valid.
    record(
        "maintenance",
        "M2",
        "2026-07-08T10:00:00+02:00",
        "2026-07-08T12:00:00+02:00",
        announced="2026-07-01T10:00:00+02:00",
    ),
]

AT = dt.datetime.fromisoformat("2027-01-05T12:00:00+01:00")


@pytest.fixture(scope="module")
def report() -> Report:
    return obligo.evaluate(parse(DESK), RECORDS, at=AT)


def consequence(report: Report, clause: str, period: str) -> Consequence:
    (found,) = [c for c in report.consequences if (c.clause, c.period.label) == (clause, period)]
    return found


def test_a_claim_within_business_days_after_the_end_of_the_month(report: Report) -> None:
    # April ends at 1 May 00:00, a holiday: the days count from Monday 4 May: 4, 5, 6, 7, 8,
    # 11, 12 May; the claim is in time until the close of the 7th, 12 May 17:00.
    april = consequence(report, "1", "2026-04").claim
    assert april is not None and april.required
    assert april.deadline == dt.datetime.fromisoformat("2026-05-12T17:00:00+02:00")
    assert april.last_day == dt.date(2026, 5, 12)
    assert april.detail == "7 business days after the end of 2026-04"
    # June ends at Wednesday 1 July 00:00: 1, 2, 3, 6, 7, 8, 9 July.
    june = consequence(report, "1", "2026-06").claim
    assert june is not None
    assert june.deadline == dt.datetime.fromisoformat("2026-07-09T17:00:00+02:00")


def test_the_claim_deadline_is_shown_in_the_text_report(report: Report) -> None:
    assert (
        "1 credit 2026-04: 300.00 EUR, claim within 7 business days after the end of the month:"
        " last day 2026-05-12 (deadline 2026-05-12T17:00+02:00), passed"
    ) in report_text([report])


def test_a_claim_requirement_within_business_days(report: Report) -> None:
    # O1 (reported within 5 business days) counts, O2 (one second late) does not: 1 started
    # hour, one day of the April fee, 3000 / 30 = 100 EUR.
    item = consequence(report, "2", "2026-04")
    assert as_shown((item.lines[0].value, item.amount)) == ("3600", "100.00")
    assert item.claim is not None
    (check,) = item.claim.requirements
    assert (check.records, check.qualifying, check.not_qualifying) == (2, 1, ["incident O2"])


def test_a_maintenance_notice_in_business_days(report: Report) -> None:
    verdicts = {v.period.label: v for v in report.verdicts if v.clause == "1"}
    # June: M1's two hours are ordinary downtime: 100% - 7200 / 2592000 = 99.722222222%.
    june = verdicts["2026-06"]
    assert as_shown((june.status, june.value)) == ("breached", "99.722222222")
    (refused,) = june.evidence.exclusions_refused
    assert refused.id == "M1"
    assert refused.reason == (
        "announced 6 days 23 hours 30 minutes before start, 5 business days required"
    )
    # July: M2 was announced exactly in time and is excluded.
    july = verdicts["2026-07"]
    assert as_shown((july.status, july.value)) == ("met", "100")
    assert not july.evidence.exclusions_refused


def test_an_exercise_window_in_business_days(report: Report) -> None:
    # The April breach gives the right at 1 May 00:00 (a holiday): 4-8 and 11-15 May, so it
    # lapses at the close of Friday 15 May. The June breach: 1, 2, 3, 6-10, 13, 14 July.
    lapses = [(r.arose_at, r.lapses_at) for r in report.termination_rights]
    assert lapses == [
        (
            dt.datetime.fromisoformat("2026-05-01T00:00:00+02:00"),
            dt.datetime.fromisoformat("2026-05-15T17:00:00+02:00"),
        ),
        (
            dt.datetime.fromisoformat("2026-07-01T00:00:00+02:00"),
            dt.datetime.fromisoformat("2026-07-14T17:00:00+02:00"),
        ),
    ]


def test_notices_before_the_end_of_the_term_in_business_days(report: Report) -> None:
    # The term's last day, 31 December, is a holiday; counting back: 30, 29, 28 (1-3), 24 and
    # 25 closed, 23, 22, 21 (4-6), 18, 17, 16, 15 (7-10): from 15 December.
    fired = {t.kind: t for t in report.triggers if t.kind in ("notice", "term_ending")}
    assert fired["notice"].fired_at == dt.datetime.fromisoformat("2026-12-15T00:00:00+01:00")
    assert fired["notice"].reason == (
        "notify Procurement: the term ends on 2026-12-31, 10 business days from 2026-12-15"
    )
    assert fired["term_ending"].fired_at == fired["notice"].fired_at


def test_a_target_in_business_days_uses_the_contracts_calendar() -> None:
    # `target 2 business days` names no calendar and the duration none either: the contract's.
    # Opened Friday 2 October 2026 16:00 (7 h elapsed): due Tuesday 6 October 16:00.
    text = DESK + (
        '\nmetric resolution "Resolution"\n'
        "  share of ticket records within target, per calendar month\n"
        "  duration from opened to resolved\n"
        "  target 2 business days\n"
        "  a record still open is late once its target has passed\n"
        '\nclause 3 "Resolution"\n  promise resolution >= 50%\n'
    )
    tickets = [
        {"type": "ticket", "id": "K1", "opened": "2026-10-02T16:00:00+02:00",
         "resolved": "2026-10-06T16:00:00+02:00"},
        {"type": "ticket", "id": "K2", "opened": "2026-10-02T16:00:00+02:00",
         "resolved": "2026-10-06T16:00:01+02:00"},
    ]  # fmt: skip
    found = obligo.evaluate(parse(text), tickets, at=AT)
    (october,) = [v for v in found.verdicts if v.clause == "3" and v.period.label == "2026-10"]
    assert as_shown(
        (october.value, october.evidence.totals["within"], october.evidence.totals["late"])
    ) == (
        "50",
        "1",
        "1",
    )


WITHOUT_CALENDAR = [
    (
        "  claim within 7 business days after the end of the month",
        "7 business days: no calendar to count them on",
    ),
    (
        "  claim requires ticket records within 5 business days of the incident",
        "5 business days: no calendar to count them on",
    ),
    (
        "  termination right when breached in 3 consecutive months, exercised within 10"
        " business days",
        "10 business days: no calendar to count them on",
    ),
]


@pytest.mark.parametrize(("line", "message"), WITHOUT_CALENDAR)
def test_business_time_without_a_calendar_is_an_error_at_check(line: str, message: str) -> None:
    text = (
        'contract c "C" version 1\n  term 2026-01-01\n  timezone "UTC"\n  currency EUR\n\n'
        'service api "API"\n  fee 100 EUR monthly\n\n'
        'metric uptime "U"\n  availability of api, per calendar month\n'
        "  down during incident records\n\n"
        'clause 1 "U"\n  service api\n  credit 10% of the fee when uptime < 99%\n'
        f"{line}\n"
    )
    errors = [d for d in obligo.check(obligo.parse(text, "c.sla")) if d.severity is Severity.ERROR]
    assert [(d.message, d.line, d.hint) for d in errors] == [
        (
            message,
            16,
            "add `calendar NAME` to the contract: business time that names no calendar is"
            " counted on it",
        )
    ]
    assert errors[0].column == line.index(message.split(":")[0]) + 1  # at the number


def test_evaluating_business_time_without_a_calendar_never_reads_it_as_24x7() -> None:
    text = DESK.replace("  calendar office\n", "")
    with pytest.raises(obligo.ObligoSemanticError) as raised:
        obligo.evaluate(obligo.parse(text), RECORDS, at=AT)
    assert "no calendar to count them on" in str(raised.value)

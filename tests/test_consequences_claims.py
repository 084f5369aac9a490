"""Claims: deadlines by billing cycles, after the end of a period, after a record (its start or
its end); a deadline just before and just after the evaluation time; claim requirements that
take unreported outages out of a credit; claims not required. Berlin time: CET (+01:00) until
29 March 2026, CEST (+02:00) after."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import obligo
from engine_helpers import parse
from obligo.report.model import Consequence, Report
from report_helpers import as_shown

CLAIMS = """
contract claims "Claims" version 1
  term 2026-01-01
  timezone "Europe/Berlin"
  currency EUR
  billing cycle monthly from 2026-01-15

service api "API"
  fee 3100 EUR monthly

metric uptime "Availability"
  availability of api, per calendar month
  down during incident records

metric outage-time "Outage time"
  total duration of incident records, per calendar month

clause 1 "By billing cycles"
  service api
  credit 10% of the fee when uptime < 99.9%
  claim by the end of the second billing cycle after the month

clause 2 "Within days of the month's end"
  service api
  credit 10% of the fee when uptime < 99.9%
  claim within 30 days after the end of the month

clause 3 "Reported outages"
  service api
  credit 1 day of the fee per started hour of outage-time
  claim requires ticket records within 72 hours of the incident
  claim within 30 days after the end of the ticket
  credit settled as a refund

clause 4 "After the incident"
  service api
  credit 100 EUR when outage-time > 1 hour
  claim within 15 days after the incident

clause 5 "Automatic"
  service api
  credit 10% of the fee when uptime < 99.9%
  claim not required

clause 6 "Nothing said"
  service api
  credit 10% of the fee when uptime < 99.9%
"""

RECORDS: list[dict[str, Any]] = [
    # Reported 47 hours after it began (in time): counts.
    {
        "type": "incident",
        "id": "O1",
        "start": "2026-01-10T10:00:00+01:00",
        "end": "2026-01-10T12:00:00+01:00",
    },
    {
        "type": "ticket",
        "id": "T1",
        "start": "2026-01-12T09:00:00+01:00",
        "end": "2026-01-20T10:00:00+01:00",
    },
    # Reported 73 hours after it began (too late): earns nothing.
    {
        "type": "incident",
        "id": "O2",
        "start": "2026-01-25T10:00:00+01:00",
        "end": "2026-01-25T10:30:00+01:00",
    },
    {
        "type": "ticket",
        "id": "T2",
        "start": "2026-01-28T11:00:00+01:00",
        "end": "2026-01-29T10:00:00+01:00",
    },
]


def evaluate(records: list[dict[str, Any]], at: str) -> Report:
    return obligo.evaluate(parse(CLAIMS), records, at=dt.datetime.fromisoformat(at))


def january(report: Report, clause: str) -> Consequence:
    (found,) = [c for c in report.consequences if (c.clause, c.period.label) == (clause, "2026-01")]
    return found


REPORT = evaluate(RECORDS, "2026-03-10T12:00:00+01:00")


def test_by_the_end_of_the_second_billing_cycle_after_the_month() -> None:
    # January ends on 1 February; the cycles that start after it: 15 February to 14 March,
    # then 15 March to 14 April. The claim is in time until 14 April, that is before 15 April
    # 00:00 CEST.
    claim = january(REPORT, "1").claim
    assert claim is not None and claim.required
    assert claim.rule == "by the end of the second billing cycle after the month"
    assert claim.deadline == dt.datetime.fromisoformat("2026-04-15T00:00:00+02:00")
    assert claim.last_day == dt.date(2026, 4, 14)
    assert claim.detail == "the end of billing cycle 2026-03-15/2026-04-14"
    assert claim.passed is False


@pytest.mark.parametrize(
    ("at", "passed"),
    [
        ("2026-04-14T23:59:59.999999+02:00", False),  # just before the deadline
        ("2026-04-15T00:00:00+02:00", True),  # at the deadline: too late
    ],
)
def test_a_deadline_just_before_and_just_after_the_evaluation_time(at: str, passed: bool) -> None:
    claim = january(evaluate(RECORDS, at), "1").claim
    assert claim is not None and claim.passed is passed


def test_within_days_after_the_end_of_the_month() -> None:
    # 1 February 00:00 + 30 days = 3 March 00:00: the last day is 2 March.
    claim = january(REPORT, "2").claim
    assert claim is not None
    assert claim.deadline == dt.datetime.fromisoformat("2026-03-03T00:00:00+01:00")
    assert (claim.last_day, claim.passed) == (dt.date(2026, 3, 2), True)


def test_a_claim_requirement_leaves_unreported_outages_out() -> None:
    # Only O1 was reported within 72 hours: 7,200 s = 2 started hours × 100 EUR (3100 ÷ 31).
    # With O2 too it would have been 9,000 s, 3 started hours.
    item = january(REPORT, "3")
    assert as_shown(item.lines[0].value) == "7200"
    assert as_shown((item.lines[0].quantity, item.amount)) == ("2", "200.00")
    assert item.settlement == "refund"
    claim = item.claim
    assert claim is not None
    (check,) = claim.requirements
    assert (check.records, check.qualifying, check.not_qualifying) == (2, 1, ["incident O2"])
    assert check.requirement == "ticket records within 72 h of the incident"
    # 30 days after the end of T1 (20 January 10:00): 19 February 10:00.
    assert claim.deadline == dt.datetime.fromisoformat("2026-02-19T10:00:00+01:00")
    assert claim.detail == "30 days after the end of ticket T1"
    assert claim.passed is True


def test_a_report_exactly_72_hours_later_is_in_time() -> None:
    late = [dict(r) for r in RECORDS]
    late[3]["start"] = "2026-01-28T10:00:00+01:00"  # exactly 72 hours after O2 began
    item = january(evaluate(late, "2026-03-10T12:00:00+01:00"), "3")
    assert as_shown((item.lines[0].value, item.amount)) == ("9000", "300.00")
    assert item.claim is not None and item.claim.requirements[0].qualifying == 2
    # The earliest deadline of the tickets behind the credit: T1's.
    assert item.claim.detail == "30 days after the end of ticket T1"


def test_no_outage_reported_gives_zero_and_says_what_it_would_have_been() -> None:
    only_late = [RECORDS[2], RECORDS[3]]
    item = january(evaluate(only_late, "2026-03-10T12:00:00+01:00"), "3")
    assert as_shown(item.amount) == "0.00"
    assert item.lines[0].arithmetic == (
        "outage-time 0 s from the records that met the claim requirements: nothing to credit"
        " (with every record: 1800 s)"
    )


def test_a_ticket_still_open_has_no_deadline_yet() -> None:
    open_ticket = [dict(r) for r in RECORDS[:2]]
    del open_ticket[1]["end"]
    claim = january(evaluate(open_ticket, "2026-03-10T12:00:00+01:00"), "3").claim
    assert claim is not None and claim.required
    assert (claim.deadline, claim.last_day, claim.passed) == (None, None, None)
    assert claim.detail == "ticket T1 is still open: the claim period has not begun"


def test_after_the_incident_counts_from_the_earliest_incident_behind_the_credit() -> None:
    # 9,000 s > 1 hour: 100 EUR; O1 began 10 January 10:00: + 15 days = 25 January 10:00.
    claim = january(REPORT, "4").claim
    assert claim is not None
    assert claim.deadline == dt.datetime.fromisoformat("2026-01-25T10:00:00+01:00")
    assert claim.detail == "15 days after incident O1"


def test_claims_not_required_or_not_mentioned() -> None:
    automatic = january(REPORT, "5").claim
    silent = january(REPORT, "6").claim
    assert automatic is not None and silent is not None
    assert (automatic.rule, automatic.required, automatic.deadline) == ("not required", False, None)
    assert (silent.rule, silent.required, silent.deadline) == (None, False, None)


def test_totals_split_the_credits_by_claim() -> None:
    # Clauses 1 (310, open), 2 (310, passed), 3 (200, passed), 4 (100, passed), 5 and 6
    # (310 each, no claim).
    (total,) = REPORT.totals.contract
    assert as_shown((total.credits, total.credits_to_claim, total.credits_claim_passed)) == (
        "1540.00",
        "310.00",
        "610.00",
    )


OUTAGE_CLAIM = """
contract outage-claims "Claims counted from outages" version 1
  term 2026-01-01 to 2027-12-31
  timezone "Europe/Berlin"
  currency EUR

service dia "DIA"
  fee 1000 EUR monthly

metric hours "Outage time"
  total duration of outage records, per calendar month

clause 1 "Outage hours"
  service dia
  credit 1 day of the fee per started hour of hours
  claim requires ticket records where service = "dia" within 72 hours of the outage
  claim within 30 days after the end of the outage
"""


def test_a_claim_counted_from_the_outage_uses_the_outages_that_met_the_requirements() -> None:
    # o1 (2.5 h, ticket the next day) qualifies, o2 has no ticket: the credit is 3 started hours
    # of 1,000 / 31 EUR a day = 96.77, to be claimed within 30 days after o1 ended (10 January
    # 02:30): by 9 February 02:30, passed on 20 February.
    report = obligo.evaluate(
        parse(OUTAGE_CLAIM),
        [
            [
                {"type": "outage", "id": "o1", "start": "2026-01-10T00:00:00+01:00",
                 "end": "2026-01-10T02:30:00+01:00"},
                {"type": "outage", "id": "o2", "start": "2026-01-20T00:00:00+01:00",
                 "end": "2026-01-20T05:00:00+01:00"},
                {"type": "ticket", "id": "t1", "service": "dia",
                 "time": "2026-01-11T00:00:00+01:00"},
            ]
        ],
        at=dt.datetime(2026, 2, 20, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    )  # fmt: skip
    (credit,) = report.consequences
    assert as_shown(credit.amount) == "96.77"
    assert credit.claim is not None
    assert credit.claim.deadline == dt.datetime(
        2026, 2, 9, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert credit.claim.passed is True
    assert credit.claim.detail == "30 days after the end of outage o1"

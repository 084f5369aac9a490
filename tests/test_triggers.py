"""Renegotiation triggers, scheduled reviews, notices and the review at the end of the baseline:
each firing and not firing, with the exact moment it fired and its reason.

Availability per calendar month at >= 99.9%: a one-hour incident breaches any month; a month
without incidents (in a log that has incidents) is 100%, met.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import obligo
from engine_helpers import assessment, parse
from obligo.report.rights import TriggerFired
from report_helpers import as_shown

UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def incident(day: str, seconds: int = 3600, kind: str = "incident") -> dict[str, Any]:
    """A down interval of ``seconds`` from 10:00 UTC on ``day``."""
    start = at(f"{day}T10:00:00+00:00")
    return {
        "type": kind,
        "id": f"{kind}-{day}",
        "start": start.isoformat(),
        "end": (start + dt.timedelta(seconds=seconds)).isoformat(),
    }


def fired(text: str, records: list[dict[str, Any]], when: str) -> list[TriggerFired]:
    return assessment(parse(text), records, at(when)).triggers


def moments(found: list[TriggerFired]) -> list[tuple[str, dt.datetime]]:
    return [(t.kind, t.fired_at) for t in found]


UPTIME = """
contract runs "Runs of periods" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric uptime "Availability"
  availability, per calendar month
  down during incident records

metric link-uptime "Link availability"
  availability, per calendar month
  down during outage records

clause 1 "Availability"
  promise uptime >= 99.9%

clause 2 "Link"
  promise link-uptime >= 99.9%
"""


# ----------------------------------------------------------------------------------- reviews
REVIEWS = """
contract reviews "Reviews" version 1
  term 2026-01-01 to 2027-12-31
  timezone "Europe/Berlin"

review every 6 months from 2026-07-01
"""


def test_scheduled_reviews_fire_at_local_midnight_of_each_date() -> None:
    found = fired(REVIEWS, [], "2027-03-01T00:00:00+01:00")
    assert moments(found) == [
        ("review", dt.datetime(2026, 7, 1, tzinfo=BERLIN)),
        ("review", dt.datetime(2027, 1, 1, tzinfo=BERLIN)),
    ]
    assert [t.fired_at.isoformat() for t in found] == [
        "2026-07-01T00:00:00+02:00",
        "2027-01-01T00:00:00+01:00",
    ]
    assert found[0].reason == "scheduled review 1 (every 6 months from 2026-07-01)"
    assert found[1].location.line == 5


def test_no_review_before_its_date_or_after_the_term() -> None:
    assert fired(REVIEWS, [], "2026-06-30T23:59:59+02:00") == []
    after = fired(REVIEWS, [], "2029-01-01T00:00:00+01:00")
    # 2026-07, 2027-01 and 2027-07; 2028-01-01 is after the term's last day.
    assert len(after) == 3


def test_monthly_reviews_from_the_31st_are_clamped_to_shorter_months() -> None:
    text = REVIEWS.replace("every 6 months from 2026-07-01", "every 1 month from 2026-01-31")
    days = [t.fired_at.date() for t in fired(text, [], "2026-05-01T00:00:00+02:00")]
    assert days == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
    ]


def test_reviews_of_a_higher_level_apply_to_the_level_below() -> None:
    contract = obligo.load(Path(__file__).resolve().parent.parent / "contracts" / "globex.sla")
    found = assessment(contract, [], at("2027-03-01T00:00:00+00:00")).triggers
    reviews = [t for t in found if t.kind == "review"]
    assert [t.fired_at.isoformat() for t in reviews] == ["2027-01-01T00:00:00+00:00"]
    assert reviews[0].location.file.endswith("nimbus-corporate.sla")


# ------------------------------------------------------------------------ repeated breaches
def test_n_consecutive_breaches_fire_when_the_run_starts_and_again_after_a_break() -> None:
    text = UPTIME + (
        'renegotiate when clause 1 is breached in 3 consecutive months, because "not achievable"\n'
    )
    breaches = [incident(f"2026-{m:02d}-10") for m in (2, 3, 4, 5, 7, 8, 9)]
    found = fired(text, breaches, "2026-12-01T00:00:00+00:00")
    assert moments(found) == [
        ("clause_breached", at("2026-05-01T00:00:00+00:00")),
        ("clause_breached", at("2026-10-01T00:00:00+00:00")),
    ]
    assert found[0].reason == (
        "clause 1 was breached in 3 consecutive months: 2026-02, 2026-03, 2026-04"
    )
    assert found[0].because == "not achievable"
    assert found[0].clause == "1"
    assert [p.label for p in found[1].periods] == ["2026-07", "2026-08", "2026-09"]


def test_two_breaches_in_a_row_do_not_fire_three_consecutive() -> None:
    text = UPTIME + "renegotiate when clause 1 is breached in 3 consecutive months\n"
    breaches = [incident("2026-02-10"), incident("2026-03-10"), incident("2026-05-10")]
    assert fired(text, breaches, "2026-12-01T00:00:00+00:00") == []


def test_any_clause_is_judged_clause_by_clause() -> None:
    text = UPTIME + "renegotiate when any clause is breached in 2 of the last 3 months\n"
    records = [
        incident("2026-02-10"),
        incident("2026-03-10"),  # clause 1: February and March
        incident("2026-01-10", kind="outage"),
        incident("2026-04-10", kind="outage"),  # clause 2: January and April, 3 months apart
    ]
    found = fired(text, records, "2026-12-01T00:00:00+00:00")
    assert [(t.clause, t.fired_at) for t in found] == [("1", at("2026-04-01T00:00:00+00:00"))]
    # One breach of each clause in the same two months is not two breaches of one clause.
    split = [incident("2026-02-10"), incident("2026-03-10", kind="outage")]
    assert fired(text, split, "2026-12-01T00:00:00+00:00") == []


# ---------------------------------------------------------------------------- wide margins
WIDE = """
contract wide "Wide margins" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  margins wide at most 25%, narrow above 75%

metric uptime "Availability"
  availability, per calendar month
  down during incident records

clause 1 "Availability"
  promise uptime >= 99.9%

renegotiate when clause 1 is met by a wide margin for 3 consecutive months, because "too easy"
"""


def test_met_by_a_wide_margin_on_the_boundary_of_the_share() -> None:
    # April has 2,592,000 s; 99.9% allows 2,592 s down; 25% of that is 648 s exactly.
    records = [incident("2026-02-10"), incident("2026-04-10", 648)]
    found = fired(WIDE, records, "2026-12-01T00:00:00+00:00")
    assert moments(found) == [("wide_margin", at("2026-06-01T00:00:00+00:00"))]
    assert found[0].reason == (
        "clause 1 was met by a wide margin (at most 25% of the error budget used) for 3"
        " consecutive months: 2026-03, 2026-04, 2026-05"
    )
    assert found[0].because == "too easy"
    assert [p.detail for p in found[0].periods] == [
        "uptime >= 99.9%: 100%, 0% of the error budget used",
        "uptime >= 99.9%: 99.975%, 25% of the error budget used",
        "uptime >= 99.9%: 100%, 0% of the error budget used",
    ]


def test_one_second_more_than_the_wide_share_breaks_the_run() -> None:
    records = [incident("2026-02-10"), incident("2026-04-10", 649)]
    found = fired(WIDE, records, "2026-12-01T00:00:00+00:00")
    # March alone; May, June and July are the first three wide months in a row.
    assert moments(found) == [("wide_margin", at("2026-08-01T00:00:00+00:00"))]


def test_a_breach_is_never_a_wide_margin() -> None:
    records = [incident(f"2026-{m:02d}-10") for m in range(1, 13)]
    assert fired(WIDE, records, "2027-01-01T00:00:00+00:00") == []


# ------------------------------------------------------------------------------ never met
NEVER = UPTIME.replace(
    'clause 2 "Link"\n  promise link-uptime >= 99.9%\n',
    'clause 2 "Link"\n  promise link-uptime >= 99.9%\n  promise uptime >= 99.5%\n',
) + (
    "\nbaseline the first 3 months\n\n"
    'renegotiate when clause 2 is never met during the baseline, because "not achievable"\n'
)


def test_never_met_during_the_baseline_fires_per_objective_at_its_end() -> None:
    # link-uptime is breached in January, February and March; uptime >= 99.5% is met.
    records = [incident(f"2026-0{m}-10", kind="outage") for m in (1, 2, 3)]
    records.append(incident("2026-05-10"))
    found = fired(NEVER, records, "2026-06-01T00:00:00+00:00")
    never = [t for t in found if t.kind == "never_met"]
    assert moments(never) == [("never_met", at("2026-04-01T00:00:00+00:00"))]
    assert never[0].reason == (
        "clause 2: link-uptime >= 99.9% was never met during the baseline (2026-01-01 to"
        " 2026-03-31): breached in 2026-01, 2026-02, 2026-03"
    )
    assert never[0].metric == "link-uptime" and never[0].because == "not achievable"


def test_never_met_does_not_fire_before_the_baseline_ends_or_when_met_once() -> None:
    records = [incident(f"2026-0{m}-10", kind="outage") for m in (1, 2, 3)]
    records.append(incident("2026-01-10"))
    early = fired(NEVER, records, "2026-03-31T23:00:00+00:00")
    assert [t for t in early if t.kind == "never_met"] == []
    once = [incident(f"2026-0{m}-10", kind="outage") for m in (1, 3)] + [incident("2026-01-10")]
    later = fired(NEVER, once, "2026-06-01T00:00:00+00:00")
    assert [t for t in later if t.kind == "never_met"] == []


# --------------------------------------------------------------------------- metric values
SATISFACTION = """
contract surveys "Surveys" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric satisfaction "Satisfaction"
  mean of score in survey records, per calendar quarter

renegotiate when satisfaction < 3.5 for 2 consecutive quarters
"""


def surveys(day: str, *scores: str) -> list[dict[str, Any]]:
    return [
        {"type": "survey", "id": f"S-{day}-{i}", "time": f"{day}T12:00:00+00:00", "score": s}
        for i, s in enumerate(scores)
    ]


def test_a_metric_below_a_value_for_two_consecutive_quarters() -> None:
    records = surveys("2026-02-01", "3", "3") + surveys("2026-05-01", "3", "3.8")
    found = fired(SATISFACTION, records, "2026-07-02T00:00:00+00:00")
    assert moments(found) == [("metric_value_run", at("2026-07-01T00:00:00+00:00"))]
    assert found[0].reason == "satisfaction < 3.5 for 2 consecutive quarters: 2026-Q1, 2026-Q2"
    assert [p.detail for p in found[0].periods] == ["satisfaction 3", "satisfaction 3.4"]
    assert found[0].metric == "satisfaction"


def test_exactly_the_value_is_not_below_it() -> None:
    records = surveys("2026-02-01", "3", "3") + surveys("2026-05-01", "3", "4")
    assert fired(SATISFACTION, records, "2026-07-02T00:00:00+00:00") == []


# ------------------------------------------------------------------------------ volume drift
VOLUME = """
contract volume "Volume" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric tickets "Tickets"
  count of ticket records, per calendar month

baseline 2026-01-01 to 2026-01-30

renegotiate when the volume of ticket records moves 25% from the baseline
"""


def tickets(first: dt.date, count: int, days: int) -> list[dict[str, Any]]:
    """``count`` tickets spread over ``days`` days from ``first``, at noon."""
    return [
        {
            "type": "ticket",
            "id": f"T-{first}-{i}",
            "time": f"{first + dt.timedelta(days=i % days)}T12:00:00+00:00",
        }
        for i in range(count)
    ]


BASELINE_TICKETS = tickets(dt.date(2026, 1, 1), 30, 30)  # one a day over the 30 baseline days


@pytest.mark.parametrize(
    ("february", "moves"),
    [(35, True), (34, False), (22, False), (21, True)],
    ids=["+25%", "+21.4%", "-21.4%", "-25%"],
)
def test_volume_drift_by_records_per_day_on_the_boundary(february: int, moves: bool) -> None:
    records = BASELINE_TICKETS + tickets(dt.date(2026, 2, 1), february, 28)
    found = fired(VOLUME, records, "2026-03-02T00:00:00+00:00")
    assert moments(found) == ([("volume_drift", at("2026-03-01T00:00:00+00:00"))] if moves else [])


def test_volume_drift_reason_and_firing_again_after_a_month_within_range() -> None:
    records = (
        BASELINE_TICKETS
        + tickets(dt.date(2026, 2, 1), 35, 28)  # +25%
        + tickets(dt.date(2026, 3, 1), 40, 31)  # +29%: still drifted, no new firing
        + tickets(dt.date(2026, 4, 1), 30, 30)  # back to one a day
        + tickets(dt.date(2026, 5, 1), 20, 31)  # -35.5%: fires again
    )
    found = fired(VOLUME, records, "2026-06-02T00:00:00+00:00")
    assert moments(found) == [
        ("volume_drift", at("2026-03-01T00:00:00+00:00")),
        ("volume_drift", at("2026-06-01T00:00:00+00:00")),
    ]
    assert found[0].reason == (
        "the volume of ticket records moved 25% or more from the baseline in 2026-02: 35 records"
        " in 28 days, 1.25 a day (+25% from the baseline's 1 a day; the baseline had 30 in 30"
        " days)"
    )


# ------------------------------------------------------------------------------- no data
NO_DATA = """
contract nodata "No data" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric uptime "Availability"
  availability, per calendar month
  down during incident records

metric satisfaction "Satisfaction"
  mean of score in survey records, per calendar quarter
  at least 3 records, otherwise no data

renegotiate when any metric has no data for a month
renegotiate when satisfaction has no data for a quarter
"""


def test_a_metric_without_data_fires_once_per_stretch_without_data() -> None:
    # No incident records at all: uptime is unmeasured every month, which fires once. Two
    # surveys in the first quarter are too few; three in the second are enough.
    records = surveys("2026-02-01", "4", "5") + surveys("2026-05-01", "4", "5", "3")
    found = fired(NO_DATA, records, "2026-07-15T00:00:00+00:00")
    assert [(t.metric, t.fired_at, t.location.line) for t in found] == [
        ("uptime", at("2026-02-01T00:00:00+00:00"), 13),
        ("satisfaction", at("2026-04-01T00:00:00+00:00"), 13),
        ("satisfaction", at("2026-04-01T00:00:00+00:00"), 14),
    ]
    assert found[0].reason == (
        "uptime had no data for a month: 2026-01 (unmeasured: the log has no incident records)"
    )
    assert found[2].reason == (
        "satisfaction had no data for a quarter: 2026-Q1 (too few records: 2 of the 3 required)"
    )


def test_no_trigger_when_every_metric_has_data() -> None:
    records = [incident("2026-01-10", 60), *surveys("2026-02-01", "4", "5", "3")]
    found = fired(NO_DATA, records, "2026-03-15T00:00:00+00:00")
    assert found == []


# -------------------------------------------------------------------- the end of the term
ENDING = """
contract ending "Ending" version 1
  term 2026-01-01 to 2026-12-31, notice 3 months
  timezone "Europe/Berlin"

renegotiate when the term ends within its notice period
notify "Procurement" 90 days before the end of the term
notify 6 months before the end of the term
"""


def test_the_term_ending_and_the_notices_before_it() -> None:
    assert moments(fired(ENDING, [], "2026-06-30T23:00:00+02:00")) == []
    early = fired(ENDING, [], "2026-09-30T23:59:59+02:00")
    assert moments(early) == [("notice", dt.datetime(2026, 7, 1, tzinfo=BERLIN))]
    found = fired(ENDING, [], "2026-10-05T00:00:00+02:00")
    assert [(t.kind, t.fired_at.isoformat(), t.to) for t in found] == [
        ("notice", "2026-07-01T00:00:00+02:00", None),
        ("term_ending", "2026-10-01T00:00:00+02:00", None),
        ("notice", "2026-10-03T00:00:00+02:00", "Procurement"),
    ]
    assert found[1].reason == (
        "the term ends on 2026-12-31: its notice period of 3 months begins on 2026-10-01"
    )
    assert found[2].reason == (
        "notify Procurement: the term ends on 2026-12-31, 90 days from 2026-10-03"
    )


def test_no_term_ending_without_an_end_or_a_notice_period() -> None:
    open_ended = ENDING.replace("term 2026-01-01 to 2026-12-31, notice 3 months", "term 2026-01-01")
    assert fired(open_ended, [], "2030-01-01T00:00:00+01:00") == []
    no_notice = ENDING.replace(", notice 3 months", "")
    kinds = [t.kind for t in fired(no_notice, [], "2026-12-01T00:00:00+01:00")]
    assert kinds == ["notice", "notice"]


UNDERLYING = """
contract supplied "Supplied" version 1
  provider nimbus "Nimbus"
  supplier netco "NetCo"
  term 2026-01-01 to 2026-12-31, notice 60 days
  timezone "UTC"

service uplink "Uplink"
  delivered by netco under "netco-master.sla" ending 2026-09-30
  depends on "duct-lease.pdf" ending 2027-06-30

renegotiate when an underlying contract ends before the term
"""


def test_an_underlying_contract_ending_first_fires_ahead_by_the_notice_period() -> None:
    assert fired(UNDERLYING, [], "2026-08-01T23:59:59+00:00") == []
    found = fired(UNDERLYING, [], "2026-08-02T00:00:00+00:00")
    # The lease ends after the term; the supplier's master agreement ends on 30 September:
    # 60 days before 1 October is 2 August.
    assert moments(found) == [("underlying_ending", at("2026-08-02T00:00:00+00:00"))]
    assert found[0].reason == (
        'service uplink depends on "netco-master.sla", which ends on 2026-09-30, before the term'
        " (2026-12-31); the term's notice period is 60 days"
    )


def test_without_a_notice_period_an_underlying_gap_is_known_from_the_start() -> None:
    text = UNDERLYING.replace(", notice 60 days", "")
    found = fired(text, [], "2026-01-01T00:00:00+00:00")
    assert moments(found) == [("underlying_ending", at("2026-01-01T00:00:00+00:00"))]


def test_an_underlying_contract_ending_first_is_a_notice_even_without_a_renegotiate_line() -> None:
    text = UNDERLYING.replace("renegotiate when an underlying contract ends before the term\n", "")
    found = fired(text, [], "2026-08-02T00:00:00+00:00")
    assert moments(found) == [("underlying_ending", at("2026-08-02T00:00:00+00:00"))]
    # Located at the `under "..."` of the service line that names the supplier contract.
    assert (found[0].location.line, found[0].location.column) == (8, 22)
    assert found[0].because is None


def test_no_trigger_when_every_underlying_contract_outlasts_the_term() -> None:
    text = UNDERLYING.replace("ending 2026-09-30", "ending 2026-12-31")
    assert fired(text, [], "2026-12-31T00:00:00+00:00") == []


# -------------------------------------------------------------------- the baseline review
REVIEWED = """
contract reviewed "Baseline review" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric uptime "Availability"
  availability, per calendar month
  down during incident records

clause 1 "Availability"
  promise uptime >= 99.9%

baseline the first 2 months
"""


def test_the_baseline_review_compares_the_level_achieved_with_the_target() -> None:
    # January: 3,600 s of 2,678,400 down, 99.865591398% (breached); February: 600 s of
    # 2,419,200, 99.975198413% (met). The level achieved in every period is January's.
    records = [incident("2026-01-10"), incident("2026-02-10", 600)]
    assert fired(REVIEWED, records, "2026-02-28T23:59:59+00:00") == []
    (review,) = fired(REVIEWED, records, "2026-03-01T00:00:00+00:00")
    assert review.kind == "baseline_review"
    assert review.fired_at == at("2026-03-01T00:00:00+00:00")
    assert review.location.line == 12
    (comparison,) = review.comparisons
    assert comparison.objective == "uptime >= 99.9%"
    assert as_shown(comparison.achieved) == "99.865591398"
    assert (comparison.met, comparison.breached, comparison.no_data) == (1, 1, 0)
    assert comparison.outcome == (
        "breached in 1 of 2 periods; level achieved in every period: 99.865591398%"
    )
    assert [p.detail for p in comparison.periods] == [
        "uptime >= 99.9%: 99.865591398%, breached",
        "uptime >= 99.9%: 99.975198413%, met",
    ]
    assert review.reason == (
        "the baseline (2026-01-01 to 2026-02-28) is over: review the targets against what was"
        " achieved. 1 uptime >= 99.9%: breached in 1 of 2 periods; level achieved in every"
        " period: 99.865591398%"
    )


def test_the_baseline_review_waits_for_a_longer_period_that_starts_in_it() -> None:
    text = REVIEWED + (
        '\nmetric satisfaction "Satisfaction"\n'
        "  mean of score in survey records, per calendar quarter\n\n"
        'clause 2 "Satisfaction"\n  promise satisfaction >= 4\n'
    )
    records = [incident("2026-01-10"), *surveys("2026-02-01", "4", "5")]
    assert fired(text, records, "2026-03-31T00:00:00+00:00") == []
    (review,) = fired(text, records, "2026-04-01T00:00:00+00:00")
    assert review.fired_at == at("2026-04-01T00:00:00+00:00")
    assert [c.outcome for c in review.comparisons] == [
        "breached in 1 of 2 periods; level achieved in every period: 99.865591398%",
        "met in 1 of 1 period; level achieved in every period: 4.5",
    ]


def test_a_contract_without_baseline_has_no_baseline_review() -> None:
    text = REVIEWED.replace("baseline the first 2 months\n", "")
    assert fired(text, [incident("2026-01-10")], "2026-06-01T00:00:00+00:00") == []


def test_a_notice_period_longer_than_the_term_is_due_from_its_first_day() -> None:
    text = """
contract short "A short term" version 1
  term 2026-01-01 to 2026-03-31, notice 6 months
  timezone "UTC"

renegotiate when the term ends within its notice period
notify "Procurement" 120 days before the end of the term
"""
    found = fired(text, [], "2026-01-01T00:00:00+00:00")
    assert moments(found) == [
        ("term_ending", at("2026-01-01T00:00:00+00:00")),
        ("notice", at("2026-01-01T00:00:00+00:00")),
    ]
    assert found[0].reason == (
        "the term ends on 2026-03-31: its notice period of 6 months begins on 2025-10-01,"
        " before the term began: due from its first day"
    )
    assert fired(text, [], "2025-12-31T23:59:59+00:00") == []


# ------------------------------------------------------- at the end of each period in which
EACH = UPTIME + (
    "renegotiate at the end of each month in which clause 1 is breached in 2 of the last 3"
    ' months, because "chronic"\n'
    "renegotiate when clause 1 is breached in 2 of the last 3 months\n"
)


def test_at_the_end_of_each_month_in_which_the_window_holds() -> None:
    # Breaches in January and February. At the end of February (1 March) 2 of the last 3 months
    # were breached; at the end of March (1 April) too (January, February, March: two); at the
    # end of April (February, March, April: one) no more. The `when` line fires once, on 1 March.
    breaches = [incident("2026-01-10"), incident("2026-02-10")]
    found = fired(EACH, breaches, "2026-12-01T00:00:00+00:00")
    assert [(t.fired_at, t.location.line) for t in found] == [
        (at("2026-03-01T00:00:00+00:00"), 18),
        (at("2026-03-01T00:00:00+00:00"), 19),
        (at("2026-04-01T00:00:00+00:00"), 18),
    ]
    assert {t.kind for t in found} == {"clause_breached"}
    assert found[2].reason == (
        "at the end of 2026-03, clause 1 was breached in 2 of the last 3 months: 2026-01, 2026-02"
    )
    assert found[2].because == "chronic"
    assert [p.label for p in found[2].periods] == ["2026-01", "2026-02"]
    assert found[1].reason == "clause 1 was breached in 2 of the last 3 months: 2026-01, 2026-02"


def test_each_month_end_of_a_longer_stretch_and_none_before_the_month_is_over() -> None:
    # Breaches in January, March and May: the window holds at the end of March (January to
    # March: two) and of May (March to May: two), not at the end of April (February to April:
    # one) nor of June (April to June: one).
    breaches = [incident("2026-01-10"), incident("2026-03-10"), incident("2026-05-10")]
    each = [t for t in fired(EACH, breaches, "2026-12-01T00:00:00+00:00") if t.location.line == 18]
    assert [t.fired_at for t in each] == [
        at("2026-04-01T00:00:00+00:00"),
        at("2026-06-01T00:00:00+00:00"),
    ]
    # At 31 May 23:59 May's breach has happened, but May is not over: nothing at its end yet.
    early = fired(EACH, breaches, "2026-05-31T23:59:59+00:00")
    assert [t.fired_at for t in early if t.location.line == 18] == [at("2026-04-01T00:00:00+00:00")]


def test_each_month_without_data_and_each_run_of_a_metric_value() -> None:
    text = SATISFACTION.replace(
        "renegotiate when satisfaction < 3.5 for 2 consecutive quarters",
        "renegotiate at the end of each quarter in which satisfaction < 3.5 for 2 consecutive"
        " quarters",
    )
    records = (
        surveys("2026-02-01", "3", "3")
        + surveys("2026-05-01", "3", "3.8")
        + surveys("2026-08-01", "3", "3")
    )
    found = fired(text, records, "2026-12-01T00:00:00+00:00")
    assert moments(found) == [
        ("metric_value_run", at("2026-07-01T00:00:00+00:00")),
        ("metric_value_run", at("2026-10-01T00:00:00+00:00")),
    ]
    assert found[1].reason == (
        "at the end of 2026-Q3, satisfaction < 3.5 for 2 consecutive quarters: 2026-Q2, 2026-Q3"
    )

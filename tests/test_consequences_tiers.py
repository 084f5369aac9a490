"""Credit tables: tiers by measured value, by cumulative outage duration, by exceedance; bounds
inclusive and exclusive exactly on the edge; the worst tier; cumulative tables; groups.

Every amount is worked out by hand beside the test. January 2026 has 31 days = 2,678,400 s,
February 28 days = 2,419,200 s (UTC throughout).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import obligo
from engine_helpers import parse
from obligo.report.model import Consequence, Report
from report_helpers import as_shown

JANUARY = 2_678_400
AT = "2026-03-10T00:00:00+00:00"


def evaluate(text: str, records: list[dict[str, Any]], at: str = AT) -> Report:
    return obligo.evaluate(parse(text), records, at=dt.datetime.fromisoformat(at))


def owed(
    report: Report, clause: str, period: str, kind: str = "credit", group: str | None = None
) -> Consequence:
    found = [
        c
        for c in report.consequences
        if (c.clause, c.kind, c.period.label, c.group) == (clause, kind, period, group)
    ]
    assert len(found) == 1, [
        (c.clause, c.kind, c.period.label, c.group) for c in report.consequences
    ]
    return found[0]


def amounts(report: Report) -> dict[tuple[str, str, str, str | None], str | None]:
    return {(c.clause, c.kind, c.period.label, c.group): c.amount for c in report.consequences}


def outage(
    seconds: float, start: str = "2026-01-10T00:00:00+00:00", **fields: Any
) -> dict[str, Any]:
    begin = dt.datetime.fromisoformat(start)
    end = begin + dt.timedelta(seconds=seconds)
    return {"type": "incident", "start": begin.isoformat(), "end": end.isoformat(), **fields}


NESTED = """
contract tiers "Tiers" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency EUR

service api "API"
  fee 4000 EUR monthly

metric uptime "Availability"
  availability of api, per calendar month
  down during incident records

clause 1 "Availability"
  service api
  promise uptime >= 99.9%
  credit
    10% of the fee when uptime < 99.9%
    25% of the fee when uptime < 99.0%
    100% of the fee when uptime < 95.0%
"""


@pytest.mark.parametrize(
    ("down", "expected"),
    [
        (0, None),  # 100%: no tier
        (2678.4, None),  # exactly 99.9%: `< 99.9%` does not hold
        (2678.5, "400.00"),  # just below 99.9%: 10% of 4000
        (26_784, "400.00"),  # exactly 99.0%: `< 99.0%` does not hold, the 10% tier does
        (26_785, "1000.00"),  # below 99.0%: 25%
        (133_920, "1000.00"),  # exactly 95.0%: still 25%
        (133_921, "4000.00"),  # below 95.0%: 100%
        (JANUARY, "4000.00"),  # down all month: 0%
    ],
)
def test_nested_tiers_on_the_edges(down: float, expected: str | None) -> None:
    report = evaluate(NESTED, [outage(down, "2026-01-01T00:00:00+00:00")] if down else [])
    assert as_shown(amounts(report).get(("1", "credit", "2026-01", None))) == expected


def test_the_worst_tier_only_is_given() -> None:
    report = evaluate(NESTED, [outage(200_000, "2026-01-01T00:00:00+00:00")])
    item = owed(report, "1", "2026-01")
    assert [line.rule for line in item.lines] == ["100% of the fee when uptime < 95.0%"]
    assert as_shown((item.before_caps, item.amount, item.currency)) == ("4000", "4000.00", "EUR")
    assert as_shown(item.lines[0].value) == "92.532855436"  # (2,678,400 − 200,000) ÷ 2,678,400
    assert item.lines[0].arithmetic == ("uptime 92.532855436% < 95.0%: 100% × 4000 EUR = 4000 EUR")
    assert item.fee is not None and as_shown((item.fee.amount, item.fee.source)) == (
        "4000",
        "contract",
    )


BANDED = """
contract banded "Banded, with a gap" version 1
  term 2026-01-01
  timezone "UTC"
  currency USD

service ghec "GHEC"
  fee 3000 USD monthly

metric uptime "Uptime"
  availability of ghec, per calendar month
  down during incident records

clause 1 "Uptime"
  service ghec
  promise uptime > 99.9%
  credit
    10% of the fee when uptime <= 99.9% and > 99.0%
    25% of the fee when uptime < 99.0%
"""


@pytest.mark.parametrize(
    ("down", "expected"),
    [
        (2678.3, None),  # above 99.9%: met
        (2678.4, "300.00"),  # exactly 99.9%: `<= 99.9%` holds (inclusive), 10%
        (26_783, "300.00"),  # just above 99.0%
        (26_784, None),  # exactly 99.0%: in neither band (the vendor's gap): nothing
        (26_785, "750.00"),  # below 99.0%: 25%
    ],
)
def test_banded_tiers_inclusive_exclusive_and_the_gap(down: float, expected: str | None) -> None:
    report = evaluate(BANDED, [outage(down, "2026-01-01T00:00:00+00:00")])
    assert as_shown(amounts(report).get(("1", "credit", "2026-01", None))) == expected


DURATION = """
contract lumen "Tiers by cumulative outage" version 1
  term 2026-01-01
  timezone "UTC"
  currency USD

service han "HAN"
  fee 2500 USD monthly

metric outage-time "Outage"
  total duration of incident records, per calendar month

clause 1 "Availability"
  service han
  credit
    5% of the fee when outage-time >= 5 min and < 60 min
    15% of the fee when outage-time >= 60 min and < 3 h
    35% of the fee when outage-time >= 3 h and < 6 h
    50% of the fee when outage-time >= 6 h
"""


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (299, None),  # under 5 minutes
        (300, "125.00"),  # exactly 5 minutes: `>= 5 min` (inclusive)
        (3599, "125.00"),
        (3600, "375.00"),  # exactly 60 minutes: `< 60 min` excludes it, 15%
        (10_800, "875.00"),  # exactly 3 hours: 35%
        (21_600, "1250.00"),  # exactly 6 hours: 50%
    ],
)
def test_tiers_by_cumulative_duration(seconds: int, expected: str | None) -> None:
    # Two outages that add up (overlapping parts once): the month's cumulative outage.
    half = seconds // 2
    records = [
        outage(half, "2026-01-05T00:00:00+00:00"),
        outage(seconds - half, "2026-01-20T00:00:00+00:00"),
    ]
    report = evaluate(DURATION, records)
    assert as_shown(amounts(report).get(("1", "credit", "2026-01", None))) == expected


EXCEEDANCE = """
contract jitter "Tiers by exceedance" version 1
  term 2026-01-01
  timezone "UTC"
  currency USD
  field jitter_ms in ms

service transport "Transport"
  fee 3000 USD monthly

metric jitter "Jitter"
  mean of jitter_ms in jitter records, per calendar month

clause 1 "Jitter"
  service transport
  promise jitter < 2 ms
  credit
    10% of the fee when the exceedance >= 10%
    20% of the fee when the exceedance >= 25%
    50% of the fee when the exceedance >= 100%
"""


@pytest.mark.parametrize(
    ("jitter", "expected", "exceeded"),
    [
        ("1.9", None, None),  # kept: negative exceedance
        ("2", None, None),  # exactly the target: breached (< 2 ms), exceeded by 0%
        ("2.19", None, None),  # 9.5%: below the first tier
        ("2.2", "300.00", "10"),  # exactly 10%: `>= 10%`
        ("2.5", "600.00", "25"),  # exactly 25%
        ("4", "1500.00", "100"),  # exactly 100%
    ],
)
def test_tiers_by_exceedance(jitter: str, expected: str | None, exceeded: str | None) -> None:
    records = [{"type": "jitter", "time": "2026-01-10T00:00:00Z", "jitter_ms": jitter}]
    report = evaluate(EXCEEDANCE, records)
    assert as_shown(amounts(report).get(("1", "credit", "2026-01", None))) == expected
    if exceeded is not None:
        line = owed(report, "1", "2026-01").lines[0]
        assert as_shown((line.value, line.unit)) == (exceeded, "%")
        assert line.subject == f"the exceedance of jitter ({jitter} against < 2 ms)"


CUMULATIVE = """
contract cumulative "A cumulative table" version 1
  term 2026-01-01
  timezone "UTC"
  currency USD

service ingest "Ingest"
  fee 4000 USD monthly

metric uptime "Availability"
  availability of ingest, per calendar month
  down during incident records

clause 1 "Availability"
  service ingest
  credit cumulative
    5% of the fee when uptime < 99.9%
    10% of the fee when uptime < 99.0%
    15% of the fee when uptime < 95.0%
"""


def test_a_cumulative_table_adds_every_tier_that_holds() -> None:
    # 98.5%: below 99.9% and 99.0%, not 95.0%: 5% + 10% = 15% of 4000.
    report = evaluate(CUMULATIVE, [outage(JANUARY * 15 // 1000, "2026-01-01T00:00:00+00:00")])
    item = owed(report, "1", "2026-01")
    assert as_shown([line.amount for line in item.lines]) == ["200", "400"]
    assert as_shown((item.before_caps, item.amount)) == ("600", "600.00")


GROUPS = """
contract groups "Credits per group" version 1
  term 2026-01-01
  timezone "UTC"
  currency EUR
  billing cycle monthly from 2026-01-01

service desk "Desk"
  fee 6000 EUR monthly

service compute "Compute"
  fee from billing records where service = "compute", by region

calendar always "24x7"
  every day all day

metric resolution "Resolution"
  share of ticket records within target, per calendar month, by priority
  duration from opened to resolved, in always hours
  target "P2" 1 hour
  target "P3" 1 hour

metric region-uptime "Region uptime"
  availability, per calendar month, by region
  down during incident records

clause 2 "P2 and P3"
  service desk
  credit
    5% of the fee when resolution for "P2" < 90%
    10% of the fee when resolution for "P2" < 80%
  credit
    5% of the fee when resolution for "P3" < 85%
  cap 12% of the fee per month

clause 3 "Regions"
  service compute
  promise region-uptime >= 99.9%
  credit 10% of the fee when region-uptime < 99.9%
"""


def ticket(name: str, priority: str, late: bool) -> dict[str, Any]:
    resolved = "2026-01-05T12:00:00Z" if late else "2026-01-05T10:30:00Z"
    return {
        "type": "ticket",
        "id": name,
        "priority": priority,
        "opened": "2026-01-05T10:00:00Z",
        "resolved": resolved,
    }


def test_tables_per_group_add_up_in_one_consequence_under_one_cap() -> None:
    # P2: 3 of 4 within (75%: the 10% tier), P3: 1 of 2 (50%: 5%). 600 + 300 = 900 EUR, over
    # the cap of 12% of 6000 = 720 EUR.
    records = [ticket(f"A{i}", "P2", i == 0) for i in range(4)]
    records += [ticket("B1", "P3", True), ticket("B2", "P3", False)]
    report = evaluate(GROUPS, records)
    item = owed(report, "2", "2026-01")
    assert as_shown([(line.subject, line.amount) for line in item.lines]) == [
        ('resolution for "P2"', "600"),
        ('resolution for "P3"', "300"),
    ]
    assert as_shown(item.before_caps) == "900"
    assert as_shown([(cap.limit, cap.bound) for cap in item.caps]) == [("720", True)]
    assert as_shown(item.amount) == "720.00"


def test_a_credit_per_group_on_each_groups_own_fee() -> None:
    # eu: 1 hour down of January (99.865591398%), us: none. The eu fee is its own invoice.
    records = [
        outage(3600, region="eu"),
        {
            "type": "incident",
            "region": "us",
            "start": "2026-01-01T00:00:00Z",
            "end": "2026-01-01T00:00:01Z",
        },
        {
            "type": "billing",
            "service": "compute",
            "region": "eu",
            "period": "2026-01",
            "amount": "1234.50",
            "currency": "EUR",
        },
        {
            "type": "billing",
            "service": "compute",
            "region": "us",
            "period": "2026-01",
            "amount": "999",
            "currency": "EUR",
        },
    ]
    report = evaluate(GROUPS, records)
    item = owed(report, "3", "2026-01", group="eu")
    assert item.fee is not None
    assert as_shown((item.fee.amount, item.fee.group, item.fee.source)) == (
        "1234.5",
        "eu",
        "billing_records",
    )
    assert as_shown((item.before_caps, item.amount)) == ("123.45", "123.45")
    assert ("3", "credit", "2026-01", "us") not in amounts(report)


NO_VALUE = """
contract deemed "A period without data is breached" version 1
  term 2026-01-01
  timezone "UTC"
  currency USD

service pipelines "Pipelines"
  fee 2500 USD monthly

metric success "Pipeline runs"
  ratio of sum(succeeded in run records) to sum(total in run records), per calendar month
  a period without data is breached

clause 1 "Pipelines"
  service pipelines
  promise success >= 99.5%
  credit 20% of the fee when success < 99.5%
"""


def test_a_breached_period_without_a_value_has_no_tier_and_says_so() -> None:
    records = [{"type": "run", "time": "2026-02-10T00:00:00Z", "succeeded": 99, "total": 100}]
    report = evaluate(NO_VALUE, records)
    january = owed(report, "1", "2026-01")
    assert january.amount is None and january.before_caps is None
    assert january.reason == (
        "no value of success in 2026-01: no tier can be placed, although the period is breached"
    )
    assert as_shown(owed(report, "1", "2026-02").amount) == "500.00"
    assert report.totals.without_amount == 1
    assert as_shown(report.totals.contract[0].credits) == "500.00"

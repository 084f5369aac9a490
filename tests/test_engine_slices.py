"""Time-slice metrics: availability from bad slices, and the average of per-slice values.

Every expected value is worked out by hand from a small log; contracts are written inline or
taken from ``contracts/``; the evaluation time is fixed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import obligo
from engine_helpers import context, evaluate, parse
from obligo.checks.reporter import Scope
from obligo.engine.measure import slices
from obligo.engine.measure.availability import availability
from obligo.model.contract import Contract
from report_helpers import as_shown

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
UTC = dt.UTC


def verdicts(
    contract: Contract, events: Iterable[Mapping[str, Any]], at: dt.datetime
) -> dict[tuple[str, str, str | None], Any]:
    report = evaluate(contract, list(events), at=at)
    return {(v.clause, v.period.label, v.group): v for v in report.verdicts}


def t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def iso(instant: dt.datetime) -> str:
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def requests(minute: dt.datetime, total: int, failed: int, **fields: Any) -> list[dict[str, Any]]:
    """``total`` request records in one minute, the first ``failed`` of them failed."""
    return [
        {
            "type": "request",
            "time": iso(minute + dt.timedelta(milliseconds=10 * i)),
            "failed": i < failed,
            **fields,
        }
        for i in range(total)
    ]


# --------------------------------------------------------------------------------- Atlassian
ATLASSIAN = obligo.load(CONTRACTS / "atlassian-cloud.sla")


def atlassian_log() -> list[dict[str, Any]]:
    """April 2026 (30 days, 43,200 minutes): 60 Downtime Minutes of Jira, and minutes that are
    not Downtime: 1 failure in 100 requests, exactly 5 in 100, and Confluence's failures."""
    events: list[dict[str, Any]] = []
    start = t("2026-04-10T08:00:00Z")
    browser = {"channel": "browser"}  # only browser use is covered
    # One minute exactly as the vendor's example: 10 failures in 100 requests is downtime.
    events += requests(start, 100, 10, product="jira", **browser)
    for minute in range(1, 60):  # 59 more: 2 failures in 10 (20%)
        events += requests(start + dt.timedelta(minutes=minute), 10, 2, product="jira", **browser)
    quiet = t("2026-04-11T12:00:00Z")
    events += requests(quiet, 100, 1, product="jira", **browser)  # 1 in 100 is not downtime
    events += requests(quiet + dt.timedelta(minutes=1), 100, 5, product="jira", **browser)  # 5%
    # Confluence failing in a minute where Jira has no requests: not a Jira Downtime Minute.
    events += requests(quiet + dt.timedelta(minutes=2), 10, 10, product="confluence", **browser)
    return events


def test_atlassian_worked_example() -> None:
    at = t("2026-05-02T00:00:00Z")
    found = verdicts(ATLASSIAN, atlassian_log(), at)
    april = found[("1", "2026-04", None)]
    assert april.status == "breached"
    assert as_shown(april.value) == "99.861111111"  # 100% - 60 / 43,200
    assert as_shown(april.evidence.totals["period_seconds"]) == "2592000"
    assert as_shown(april.evidence.totals["down_seconds"]) == "3600"
    assert found[("1", "2026-03", None)].status == "met"
    assert found[("1", "2026-05", None)].status == "pending"
    # Confluence: its one failing minute is down: 1 - 1 / 43,200.
    assert as_shown(found[("2", "2026-04", None)].value) == "99.997685185"
    assert found[("2", "2026-04", None)].status == "met"


def test_atlassian_exact_value() -> None:
    metric = Scope.of(ATLASSIAN).metrics["jira-uptime"]
    with context(ATLASSIAN, atlassian_log(), t("2026-05-02T00:00:00Z")) as ctx:
        measured = availability(metric, ctx, {})
    assert measured["2026-04"].value == Fraction(43_200 - 60, 43_200) * 100
    assert measured["2026-04"].value < Fraction(999, 10)


# ---------------------------------------------------------------------------- S3: averages
S3 = obligo.load(CONTRACTS / "s3-standard.sla")


def s3_requests(start: dt.datetime, total: int, errors: int, storage: str) -> list[dict[str, Any]]:
    return [
        {
            "type": "request",
            "time": iso(start + dt.timedelta(seconds=i)),
            "storage_class": storage,
            "status": 500 if i < errors else 200,
        }
        for i in range(total)
    ]


def test_s3_average_of_five_minute_error_rates() -> None:
    """April 2026 has 8,640 five-minute intervals; two have errors (20% and 25%), every other
    one has no STANDARD request and an error rate of 0%: 100% - 45% / 8,640."""
    events = [
        *s3_requests(t("2026-04-03T10:00:00Z"), 10, 2, "STANDARD"),
        *s3_requests(t("2026-04-03T10:05:00Z"), 4, 1, "STANDARD"),
        *s3_requests(t("2026-04-03T10:10:00Z"), 8, 0, "STANDARD"),
        # requests of another class only: an interval without requests, 0% whatever they say
        *s3_requests(t("2026-04-04T00:00:00Z"), 5, 5, "GLACIER"),
    ]
    metric = Scope.of(S3).metrics["s3-uptime"]
    with context(S3, events, t("2026-05-01T00:00:00Z")) as ctx:
        measured = slices.slice_average(metric, ctx)
    april = measured["2026-04-01/2026-04-30"]
    assert april.value == 100 - Fraction(45, 8640)
    assert april.totals["slices"] == 8640
    assert april.totals["slices_above_zero"] == 2
    assert april.totals["slices_skipped"] == 0
    assert april.records == 22  # the STANDARD requests the value reads
    assert [c.detail for c in april.contributors] == ["error-rate 25%", "error-rate 20%"]
    # March has no STANDARD request at all: every interval 0%, uptime 100%.
    assert measured["2026-03-01/2026-03-31"].value == 100


def test_s3_breach_and_verdict() -> None:
    # Every interval of the first day of May fails completely: 288 of 8,928 intervals at 100%.
    events = [
        {
            "type": "request",
            "time": iso(t("2026-05-01T00:00:00Z") + dt.timedelta(minutes=5 * i)),
            "storage_class": "STANDARD",
            "status": 503,
        }
        for i in range(288)
    ]
    found = verdicts(S3, events, t("2026-06-01T00:00:00Z"))
    may = found[("1", "2026-05-01/2026-05-31", None)]
    assert may.status == "breached"
    assert as_shown(may.value) == "96.774193548"  # 100% - 288 / 8,928 = 100% - 1/31
    assert found[("1", "2026-04-01/2026-04-30", None)].status == "met"


AVERAGE_SKIPPED = """
    contract avg "Average, skipping empty hours" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric hourly "Average hourly error rate"
      the average error-rate in slices of 1 hour per calendar day
      error-rate = count(call records where status >= 500) / count(call records)
      a slice without call records is skipped

    clause 1 "Errors"
      promise hourly <= 10%
"""


def test_average_with_skipped_slices() -> None:
    contract = parse(AVERAGE_SKIPPED)
    events = [
        {"type": "call", "time": "2026-03-02T10:10:00Z", "status": 500},
        {"type": "call", "time": "2026-03-02T10:20:00Z", "status": 200},
        {"type": "call", "time": "2026-03-02T11:10:00Z", "status": 200},
        {"type": "call", "time": "2026-03-02T11:20:00Z", "status": 200},
        {"type": "call", "time": "2026-03-02T11:30:00Z", "status": 503},
    ]
    metric = Scope.of(contract).metrics["hourly"]
    with context(contract, events, t("2026-03-04T00:00:00Z")) as ctx:
        measured = slices.slice_average(metric, ctx)
    day = measured["2026-03-02"]
    assert day.value == (Fraction(1, 2) + Fraction(1, 3)) / 2 * 100  # two hours averaged
    assert day.totals["slices"] == 2 and day.totals["slices_skipped"] == 22
    assert measured["2026-03-03"].value is None
    assert measured["2026-03-03"].no_data == "no slice to average in the period"
    found = verdicts(contract, events, t("2026-03-04T00:00:00Z"))
    assert found[("1", "2026-03-02", None)].status == "breached"
    assert found[("1", "2026-03-03", None)].status == "no_data"


# --------------------------------------------------------------- AWS region: zones and groups
AWS = obligo.load(CONTRACTS / "aws-compute-region.sla")


def probe(minute: str, region: str, zone: str, connected: bool, second: int = 0) -> dict[str, Any]:
    return {
        "type": "probe",
        "time": iso(t(minute) + dt.timedelta(seconds=second)),
        "region": region,
        "zone": zone,
        "connected": connected,
    }


def aws_log() -> list[dict[str, Any]]:
    return [
        # 10:00: two zones of eu-west-1 with every probe failed: down
        probe("2026-02-02T10:00:00Z", "eu-west-1", "a", False),
        probe("2026-02-02T10:00:00Z", "eu-west-1", "a", False, 20),
        probe("2026-02-02T10:00:00Z", "eu-west-1", "b", False),
        # 10:01: zone b still has one connected instance: only one zone down, up
        probe("2026-02-02T10:01:00Z", "eu-west-1", "a", False),
        probe("2026-02-02T10:01:00Z", "eu-west-1", "b", False),
        probe("2026-02-02T10:01:00Z", "eu-west-1", "b", True, 30),
        # 10:02: zones a and c down, b up: two zones, down
        probe("2026-02-02T10:02:00Z", "eu-west-1", "a", False),
        probe("2026-02-02T10:02:00Z", "eu-west-1", "b", True),
        probe("2026-02-02T10:02:00Z", "eu-west-1", "c", False),
        # 10:02 in us-east-1: one zone down only; the zones of another region do not add up
        probe("2026-02-02T10:02:00Z", "us-east-1", "a", False),
        # 10:05 in us-east-1: two zones down
        probe("2026-02-02T10:05:00Z", "us-east-1", "a", False),
        probe("2026-02-02T10:05:00Z", "us-east-1", "b", False),
        # a probe without a region: pooled only
        probe("2026-02-02T10:07:00Z", "", "a", False),
    ]


def _minutes(intervals: list[tuple[dt.datetime, dt.datetime]]) -> list[str]:
    return [f"{a.astimezone(UTC):%H:%M}-{b.astimezone(UTC):%H:%M}" for a, b in intervals]


def test_aws_region_zones_per_region() -> None:
    metric = Scope.of(AWS).metrics["region-uptime"]
    events = aws_log()
    events[-1].pop("region")
    with context(AWS, events, t("2026-03-01T00:00:00Z")) as ctx:
        down = slices.slice_downtime(metric, ctx)
        measured = availability(metric, ctx, {})
    assert sorted(down.groups) == ["eu-west-1", "us-east-1"]
    assert _minutes(down.groups["eu-west-1"].down) == ["10:00-10:01", "10:02-10:03"]
    assert _minutes(down.groups["us-east-1"].down) == ["10:05-10:06"]
    # All records pooled: at 10:02 zones a (both regions) and c are down; at 10:07 one zone.
    assert _minutes(down.down) == ["10:00-10:01", "10:02-10:03", "10:05-10:06"]
    february = measured["2026-02-01/2026-02-28"]
    minutes = 28 * 24 * 60
    assert february.groups["eu-west-1"].value == Fraction(minutes - 2, minutes) * 100
    assert february.groups["us-east-1"].value == Fraction(minutes - 1, minutes) * 100


def test_aws_region_verdicts_per_region() -> None:
    found = verdicts(AWS, aws_log(), t("2026-03-01T00:00:00Z"))
    eu = found[("1", "2026-02-01/2026-02-28", "eu-west-1")]
    us = found[("1", "2026-02-01/2026-02-28", "us-east-1")]
    # 2 and 1 down minutes of February's 40,320: both above 99.99%
    assert as_shown(eu.value) == "99.995039683" and as_shown(eu.status) == "met"
    assert as_shown(us.value) == "99.997519841" and as_shown(us.status) == "met"


# ------------------------------------------------------------------------ slice conditions
CONDITIONS = """
    contract cond "Slice conditions" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric only-failed "Only failed probes"
      availability, per calendar day
      in slices of 1 minute
      a slice is down when there are only probe records where ok = false

    metric any-failed "Any failed probe"
      availability, per calendar day
      in slices of 1 minute
      a slice is down when there are probe records where ok = false

    metric every-zone "Every listed zone failed"
      availability, per calendar day
      in slices of 1 minute
      a slice is down when every zone in ["a", "b"] has probe records where ok = false

    metric two-zones "Two zones with a failure"
      availability, per calendar day
      in slices of 1 minute
      a slice is down when at least 2 distinct zone values have probe records where ok = false

    metric two-zones-only "Two zones with only failures"
      availability, per calendar day
      in slices of 1 minute
      a slice is down when at least 2 distinct zone values have only probe records where ok = false

    metric heartbeat "Missing heartbeat is down"
      availability, per calendar day
      in slices of 1 minute
      a slice is down when there are error records where severity = "fatal"
      a slice without heartbeat records is down
"""


def zprobe(minute: int, zone: str | None, ok: bool | None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "probe",
        "time": iso(t("2026-03-02T00:00:00Z") + dt.timedelta(minutes=minute, seconds=1)),
    }
    if zone is not None:
        record["zone"] = zone
    if ok is not None:
        record["ok"] = ok
    return record


CONDITION_LOG = [
    # minute 0: every probe failed, zones a and b
    zprobe(0, "a", False),
    zprobe(0, "b", False),
    # minute 1: one failed, one ok (zone a only failed)
    zprobe(1, "a", False),
    zprobe(1, "b", True),
    # minute 2: zone a has a failure and a success, b and c only failures
    zprobe(2, "a", False),
    zprobe(2, "a", True),
    zprobe(2, "b", False),
    zprobe(2, "c", False),
    # minute 3: failures in b and c, and one record without a zone
    zprobe(3, "b", False),
    zprobe(3, "c", False),
    zprobe(3, None, False),
    # minute 4: a probe without `ok`: not a match, so not "only failed"
    zprobe(4, "a", False),
    zprobe(4, "a", None),
    # minute 5: only successes
    zprobe(5, "a", True),
]


@pytest.mark.parametrize(
    ("metric", "down"),
    [
        # minute 2 has a success; minute 3 only failures (one without a zone); minute 4 a
        # record without `ok`, which does not match
        ("only-failed", [0, 3]),
        ("any-failed", [0, 1, 2, 3, 4]),
        ("every-zone", [0, 2]),
        ("two-zones", [0, 2, 3]),
        ("two-zones-only", [0, 2, 3]),
    ],
)
def test_slice_conditions(metric: str, down: list[int]) -> None:
    contract = parse(CONDITIONS)
    with context(contract, CONDITION_LOG, t("2026-03-03T00:00:00Z")) as ctx:
        found = slices.slice_downtime(Scope.of(contract).metrics[metric], ctx)
    start = t("2026-03-02T00:00:00Z")
    minutes = sorted(
        int((a - start) / dt.timedelta(minutes=1)) + k
        for a, b in found.down
        for k in range(int((b - a) / dt.timedelta(minutes=1)))
    )
    assert minutes == down


def test_two_zones_only_needs_every_record_of_the_zone() -> None:
    contract = parse(CONDITIONS)
    events = [
        # zone a: a failure and a success; zone b: only failures: one zone, up
        zprobe(0, "a", False),
        zprobe(0, "a", True),
        zprobe(0, "b", False),
        # zone c: a failure and a record without `ok`; zone b: failures: one zone, up
        zprobe(1, "c", False),
        zprobe(1, "c", None),
        zprobe(1, "b", False),
        zprobe(1, "b", False),
    ]
    with context(contract, events, t("2026-03-03T00:00:00Z")) as ctx:
        only = slices.slice_downtime(Scope.of(contract).metrics["two-zones-only"], ctx)
        some = slices.slice_downtime(Scope.of(contract).metrics["two-zones"], ctx)
    assert only.down == []
    assert _minutes(some.down) == ["00:00-00:02"]


def test_slice_without_heartbeat_is_down() -> None:
    contract = parse(CONDITIONS)
    events = [
        {"type": "heartbeat", "time": iso(t("2026-03-02T00:00:00Z") + dt.timedelta(minutes=m))}
        for m in range(24 * 60)
        if m not in (100, 101, 102)
    ]
    events.append({"type": "error", "time": "2026-03-02T05:00:30Z", "severity": "fatal"})
    events.append({"type": "error", "time": "2026-03-02T06:00:30Z", "severity": "minor"})
    with context(contract, events, t("2026-03-04T00:00:00Z")) as ctx:
        measured = availability(Scope.of(contract).metrics["heartbeat"], ctx, {})
    # 3 minutes without a heartbeat and one fatal error; 2026-03-03 has no heartbeat at all.
    assert measured["2026-03-02"].value == Fraction(1440 - 4, 1440) * 100
    assert measured["2026-03-03"].value == 0
    assert measured["2026-03-01"].value == 0


# One uptime over every feature, a minute down when any one feature's rate is above 5% (GitHub's
# shipped contract measures each feature on its own, `by feature`: tests/test_public_terms.py).
FOR_ANY_FEATURE = """
    contract any-feature "Error rate for any feature" version 1
      term 2026-01-01
      timezone "UTC"

    metric ghec-uptime "Quarterly uptime"
      availability, per calendar quarter
      in slices of 1 minute
      failures = count(request records where failed = true)
      all-requests = count(request records)
      error-rate = failures / all-requests
      a slice is down when error-rate > 5% for any feature
      a slice without request records is up
"""


def test_error_rate_for_any_feature() -> None:
    minute = t("2026-02-03T09:00:00Z")
    events = [
        # 09:00: issues fails 10 of 100, pulls 0 of 1,000: overall 0.9%, but one feature is 10%
        *requests(minute, 100, 10, feature="issues"),
        *requests(minute, 1000, 0, feature="pulls"),
        # 09:01: every feature at exactly 5%: not above 5%
        *requests(minute + dt.timedelta(minutes=1), 20, 1, feature="issues"),
        *requests(minute + dt.timedelta(minutes=1), 40, 2, feature="pulls"),
        # 09:02: failures of requests without a feature belong to no feature
        *requests(minute + dt.timedelta(minutes=2), 10, 10),
        *requests(minute + dt.timedelta(minutes=2), 10, 0, feature="pulls"),
    ]
    contract = parse(FOR_ANY_FEATURE)
    metric = Scope.of(contract).metrics["ghec-uptime"]
    with context(contract, events, t("2026-04-01T00:00:00Z")) as ctx:
        down = slices.slice_downtime(metric, ctx)
        measured = availability(metric, ctx, {})
    assert _minutes(down.down) == ["09:00-09:01"]
    quarter = 90 * 24 * 60  # Q1 2026: 90 days
    assert measured["2026-Q1"].value == Fraction(quarter - 1, quarter) * 100


FEATURES_BY_REGION = """
    contract fr "Per region, per feature" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric web "Uptime per region"
      availability, per calendar day, by region
      in slices of 1 minute
      failures = count(request records where failed = true)
      all-requests = count(request records)
      error-rate = failures / all-requests
      a slice is down when error-rate > 5% for any feature
      a slice without request records is up
"""


def test_for_any_feature_within_each_region() -> None:
    contract = parse(FEATURES_BY_REGION)
    minute = t("2026-02-03T09:00:00Z")
    events = [
        # eu: feature x fails 1 of 10; us: feature x fails 0 of 10. Pooled: 1 of 20 = 5%: up
        *requests(minute, 10, 1, feature="x", region="eu"),
        *requests(minute, 10, 0, feature="x", region="us"),
        # 09:01 us: feature y 1 of 2
        *requests(minute + dt.timedelta(minutes=1), 2, 1, feature="y", region="us"),
    ]
    with context(contract, events, t("2026-02-04T00:00:00Z")) as ctx:
        down = slices.slice_downtime(Scope.of(contract).metrics["web"], ctx)
    assert _minutes(down.groups["eu"].down) == ["09:00-09:01"]
    assert _minutes(down.groups["us"].down) == ["09:01-09:02"]
    assert _minutes(down.down) == ["09:01-09:02"]


# ------------------------------------------------------------------------ runs and skipping
RUNS = """
    contract runs "Runs of down slices" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric uptime "Uptime"
      availability, per calendar month
      in slices of 1 minute
      a slice is down when there are probe records where ok = false
      counting only runs of at least 5 down slices

    clause 1 "Uptime"
      promise uptime >= 99.99%
"""


def failing(start: str, minutes: int) -> list[dict[str, Any]]:
    return [
        {"type": "probe", "time": iso(t(start) + dt.timedelta(minutes=m, seconds=5)), "ok": False}
        for m in range(minutes)
    ]


def test_minimum_runs_and_runs_across_a_period_boundary() -> None:
    contract = parse(RUNS)
    events = [
        *failing("2026-03-10T10:00:00Z", 4),  # a run of 4: counted as up
        *failing("2026-03-11T10:00:00Z", 5),  # a run of 5: down
        *failing("2026-03-31T23:57:00Z", 6),  # 3 minutes in March, 3 in April: one run of 6
        *failing("2026-04-15T00:00:00Z", 1),  # isolated: up
    ]
    metric = Scope.of(contract).metrics["uptime"]
    with context(contract, events, t("2026-05-01T00:00:00Z")) as ctx:
        down = slices.slice_downtime(metric, ctx)
        measured = availability(metric, ctx, {})
    assert _minutes(down.down) == ["10:00-10:05", "23:57-00:03"]
    march, april = measured["2026-03"], measured["2026-04"]
    assert march.totals["down_seconds"] == 8 * 60
    assert april.totals["down_seconds"] == 3 * 60  # 3 minutes of the run, fewer than 5 here
    assert march.value == Fraction(44_640 - 8, 44_640) * 100
    assert april.value == Fraction(43_200 - 3, 43_200) * 100
    found = verdicts(contract, events, t("2026-05-01T00:00:00Z"))
    assert found[("1", "2026-03", None)].status == "breached"  # 99.98208...
    assert found[("1", "2026-04", None)].status == "met"  # 99.99305...


SKIPPED = """
    contract skip "Skipped slices" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric uptime "Uptime"
      availability, per calendar day
      in slices of 1 minute
      a slice is down when there are probe records where ok = false
      a slice without probe records is skipped
"""


def test_skipped_slices_leave_the_denominator() -> None:
    contract = parse(SKIPPED)
    events = [
        {
            "type": "probe",
            "time": iso(t("2026-03-02T08:00:00Z") + dt.timedelta(minutes=m)),
            "ok": m not in (3, 7),
        }
        for m in range(10)
    ]
    metric = Scope.of(contract).metrics["uptime"]
    with context(contract, events, t("2026-03-04T00:00:00Z")) as ctx:
        measured = availability(metric, ctx, {})
    assert measured["2026-03-02"].value == 80  # 2 down of 10 minutes with probes
    assert measured["2026-03-02"].totals["counted_seconds"] == 600
    assert measured["2026-03-03"].value is None  # every slice skipped: no counted time


VALUE_RULE = """
    contract value "A value for empty slices" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric uptime "Uptime"
      availability, per calendar day
      in slices of 1 minute
      error-rate = count(request records where failed = true) / count(request records)
      a slice is down when error-rate >= 0%
      a slice is down when there are probe records where ok = false
      a slice without request records has an error-rate of 0%
"""


def test_value_rule_gives_the_value_and_other_conditions_still_hold() -> None:
    """``>= 0%`` holds for every slice that has a value: the rule's 0% gives every empty slice
    one, so the whole day is down; a failed probe is judged as well."""
    contract = parse(
        VALUE_RULE.replace(
            "a slice is down when error-rate >= 0%", "a slice is down when error-rate > 0%"
        )
    )
    events = [
        *requests(t("2026-03-02T08:00:00Z"), 10, 1),
        {"type": "probe", "time": "2026-03-02T09:00:00Z", "ok": False},
    ]
    with context(contract, events, t("2026-03-03T00:00:00Z")) as ctx:
        down = slices.slice_downtime(Scope.of(contract).metrics["uptime"], ctx)
    assert _minutes(down.down) == ["08:00-08:01", "09:00-09:01"]
    with context(parse(VALUE_RULE), events, t("2026-03-03T00:00:00Z")) as ctx:
        down = slices.slice_downtime(Scope.of(parse(VALUE_RULE)).metrics["uptime"], ctx)
    assert _minutes(down.down) == ["00:00-00:00"]  # the whole day: one run


def test_filtered_without_rule_applies_per_product() -> None:
    """A minute with only Confluence requests falls under Jira's rule (`is up`); a minute with
    one Jira request that failed is down."""
    minute = t("2026-06-01T00:00:00Z")
    events = [
        *requests(minute, 50, 50, product="confluence", channel="browser"),
        *requests(minute + dt.timedelta(minutes=1), 1, 1, product="jira", channel="browser"),
    ]
    metric = Scope.of(ATLASSIAN).metrics["jira-uptime"]
    with context(ATLASSIAN, events, t("2026-06-02T00:00:00Z")) as ctx:
        down = slices.slice_downtime(metric, ctx)
    assert _minutes(down.down) == ["00:01-00:02"]


# ------------------------------------------------------------------------------- exactness
EXACT = """
    contract exact "Means and percentiles in slices" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric slow "Slow minutes"
      availability, per calendar day
      in slices of 1 minute
      a slice is down when mean(latency in request records) > 0.3
      a slice is down when p50(latency in request records) >= 2

    metric slow-average "Average of minute means"
      the average latency-mean in slices of 1 minute per calendar day
      latency-mean = mean(latency in request records)
      a slice without request records is skipped
"""


def test_means_are_exact_fractions() -> None:
    """0.1 + 0.2 + 0.6 over 3 is exactly 0.3: not above 0.3 (a float mean would say
    0.30000000000000004). 0.1, 0.2 and 0.7 have a mean of 1/3: above."""
    contract = parse(EXACT)
    base = t("2026-03-02T00:00:00Z")

    def req(minute: int, latency: str) -> dict[str, Any]:
        return {
            "type": "request",
            "time": iso(base + dt.timedelta(minutes=minute)),
            "latency": latency,
        }

    events = [
        req(0, "0.1"),
        req(0, "0.2"),
        req(0, "0.6"),
        req(1, "0.1"),
        req(1, "0.2"),
        req(1, "0.7"),
        req(2, "1"),
        req(2, "2"),
        req(2, "3"),
    ]
    with context(contract, events, t("2026-03-03T00:00:00Z")) as ctx:
        down = slices.slice_downtime(Scope.of(contract).metrics["slow"], ctx)
        average = slices.slice_average(Scope.of(contract).metrics["slow-average"], ctx)
    assert _minutes(down.down) == ["00:01-00:03"]
    assert average["2026-03-02"].value == (Fraction(3, 10) + Fraction(1, 3) + 2) / 3 * 100


# ------------------------------------------------------------------------------ performance
YEAR = """
    contract year "A year of minutes" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric uptime "Uptime"
      availability, per calendar month
      in slices of 1 minute
      failures = count(request records where failed = true)
      all-requests = count(request records)
      error-rate = failures / all-requests
      a slice is down when error-rate > 5%
      a slice without request records is up
"""


def test_a_year_of_minutes_with_little_data_is_fast() -> None:
    contract = parse(YEAR)
    events = [
        *requests(t("2026-01-01T00:00:00Z"), 10, 5),
        *requests(t("2026-12-31T23:59:00Z"), 10, 5),
    ]
    metric = Scope.of(contract).metrics["uptime"]
    with context(contract, events, t("2027-01-01T00:00:00Z")) as ctx:
        started = time.perf_counter()
        down = slices.slice_downtime(metric, ctx)
        elapsed = time.perf_counter() - started
    assert _minutes(down.down) == ["00:00-00:01", "23:59-00:00"]
    assert elapsed < 1.0


def test_judging_a_year_of_minutes_with_data_in_every_one() -> None:
    """525,600 slices with records: judged in Python from their aggregates in a few seconds."""
    contract = parse(YEAR)
    metric = Scope.of(contract).metrics["uptime"]
    with context(contract, requests(t("2026-01-01T00:00:00Z"), 1, 0), t("2027-01-01Z")) as ctx:
        program = slices.SliceProgram.compile(metric, dt.timedelta(minutes=1), ctx)
        first, last = slices.slice_bounds(ctx.start, ctx.end, program.length)
        assert last - first == 525_600
        failures = program.plan.columns.index(
            next(c for c in program.plan.columns if "failed" in c)
        )
        width = len(program.plan.columns)
        rows: dict[int, tuple[Any, ...]] = {}
        for number in range(first, last):
            row = [100] * width
            row[failures] = 6 if number % 1000 == 0 else 5
            rows[number] = tuple(row)
        started = time.perf_counter()
        down, skipped = slices.judge_slices(program, rows, lambda n: (), first, last, slices.UP)
        elapsed = time.perf_counter() - started
    assert len(down) == 526 and skipped == []
    assert elapsed < 5.0, elapsed


# ------------------------------------------------------- agreement with a brute-force judge
RANDOM = """
    contract random "Every slice condition, by region" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric only "Only failed probes"
      availability, per calendar day, by region
      in slices of 1 minute
      a slice is down when there are only probe records where ok = false
      a slice without probe records is up

    metric zones-only "Two zones with only failed probes"
      availability, per calendar day, by region
      in slices of 1 minute
      a slice is down when at least 2 distinct zone values have only probe records where ok = false

    metric zones "Two zones with a failed probe"
      availability, per calendar day, by region
      in slices of 1 minute
      a slice is down when at least 2 distinct zone values have probe records where ok = false

    metric every "Zones a and b each with a failed probe"
      availability, per calendar day, by region
      in slices of 1 minute
      a slice is down when every zone in ["a", "b"] has probe records where ok = false

    metric features "A feature above 25% of failures"
      availability, per calendar day, by region
      in slices of 1 minute
      error-rate = count(request records where failed = true) / count(request records)
      a slice is down when error-rate > 25% for any feature
      a slice without request records is up
"""


def _brute(metric: str, records: list[dict[str, Any]]) -> bool:
    probes = [r for r in records if r["type"] == "probe"]
    if metric == "only":
        return bool(probes) and all(r.get("ok") is False for r in probes)
    if metric in ("zones-only", "zones"):
        zones = {r["zone"] for r in probes if r.get("zone") is not None}
        if metric == "zones":
            failed = {r["zone"] for r in probes if r.get("zone") and r.get("ok") is False}
            return len(failed) >= 2
        whole = [
            z for z in zones if all(r.get("ok") is False for r in probes if r.get("zone") == z)
        ]
        return len(whole) >= 2
    if metric == "every":
        return all(
            any(r.get("zone") == z and r.get("ok") is False for r in probes) for z in ("a", "b")
        )
    calls = [r for r in records if r["type"] == "request" and r.get("feature") is not None]
    for feature in {r["feature"] for r in calls}:
        mine = [r for r in calls if r["feature"] == feature]
        if Fraction(sum(1 for r in mine if r.get("failed") is True), len(mine)) > Fraction(1, 4):
            return True
    return False


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_slices_agree_with_a_brute_force_judge(seed: int) -> None:
    import random

    rng = random.Random(seed)
    start = t("2026-03-02T00:00:00Z")
    events: list[dict[str, Any]] = []
    for _ in range(400):
        record: dict[str, Any] = {
            "type": rng.choice(["probe", "request"]),
            "time": iso(start + dt.timedelta(seconds=rng.randrange(30 * 60))),
        }
        for name, choices in (
            ("region", ["eu", "us", None]),
            ("zone", ["a", "b", "c", None]),
            ("ok", [True, False, False, None]),
            ("feature", ["x", "y", None]),
            ("failed", [True, False, False, None]),
        ):
            value = rng.choice(choices)
            if value is not None:
                record[name] = value
        events.append(record)
    contract = parse(RANDOM)
    with context(contract, events, t("2026-03-03T00:00:00Z")) as ctx:
        for metric in ("only", "zones-only", "zones", "every", "features"):
            found = slices.slice_downtime(Scope.of(contract).metrics[metric], ctx)
            for group in (None, "eu", "us"):
                downtime = found if group is None else found.groups.get(group)
                got: set[int] = set()
                if downtime is not None:
                    for a, b in downtime.down:
                        first = int((a - start) / dt.timedelta(minutes=1))
                        got.update(range(first, int((b - start) / dt.timedelta(minutes=1))))
                expected = set()
                for minute in range(30):
                    mine = [
                        r
                        for r in events
                        if int((t(r["time"]) - start) / dt.timedelta(minutes=1)) == minute
                        and (group is None or r.get("region") == group)
                    ]
                    if _brute(metric, mine):
                        expected.add(minute)
                assert got == expected, (metric, group)


FOR_ANY_PATHS = """
    contract paths "For any, every way it is judged" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric many-failures "A feature with more than 2 failures"
      availability, per calendar day
      in slices of 1 minute
      failures = count(request records where failed = true)
      a slice is down when failures > 2 for any feature

    metric ruled "A feature above 5%, unless the minute has no request of x"
      availability, per calendar day
      in slices of 1 minute
      error-rate = count(request records where failed = true) / count(request records)
      a slice is down when error-rate > 5% for any feature
      a slice without request records where feature = "x" has an error-rate of 0%
"""


def test_for_any_judged_in_python_and_with_a_value_rule() -> None:
    contract = parse(FOR_ANY_PATHS)
    minute = t("2026-02-03T09:00:00Z")
    events = [
        # 09:00: x fails 3 of 3: more than 2 failures, and above 5%
        *requests(minute, 3, 3, feature="x"),
        # 09:01: y fails 3 of 3, and there is no request of x: the rule gives 0%
        *requests(minute + dt.timedelta(minutes=1), 3, 3, feature="y"),
        # 09:02: x fails 1 of 10, y 2 of 10: neither has more than 2 failures; both above 5%
        *requests(minute + dt.timedelta(minutes=2), 10, 1, feature="x"),
        *requests(minute + dt.timedelta(minutes=2), 10, 2, feature="y"),
    ]
    metrics = Scope.of(contract).metrics
    with context(contract, events, t("2026-02-04T00:00:00Z")) as ctx:
        many = slices.slice_downtime(metrics["many-failures"], ctx)
        ruled = slices.slice_downtime(metrics["ruled"], ctx)
    assert _minutes(many.down) == ["09:00-09:02"]
    assert _minutes(ruled.down) == ["09:00-09:01", "09:02-09:03"]

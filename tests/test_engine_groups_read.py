"""The groups of a metric measured ``by`` fields are the values among the records it *reads*
(that one of its selections selects), for every kind of metric: a record of the metric's type
that none of its selections reads makes no group (the line account calls it not used), and
counts in no group's value. Numbers are counted by hand on one small log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine_helpers import context, evaluate, parse
from obligo.checks.reporter import Scope
from obligo.engine.measure import aggregates, records, slices
from obligo.engine.measure import availability as av
from obligo.engine.measure.measurement import Measurement
from obligo.model.contract import Contract
from obligo.render import report_text

HEAD = """
contract reads "Groups from the records read"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
"""

ERROR_RATE = """
  error-rate = count(request records where region = "eu" and failed = true) / count(
    request records where region = "eu")
"""

METRICS = {
    # a slice availability judged in the scan (one state a slice)
    "up": """
metric up "Uptime per feature"
  availability, per calendar month, by feature
  in slices of 1 minute"""
    + ERROR_RATE
    + """  a slice is down when error-rate > 5%
  a slice without request records where region = "eu" is up
""",
    # a slice availability judged in Python (`for any`: the slices' rows are read)
    "up-any": """
metric up-any "Uptime per feature, any host"
  availability, per calendar month, by feature
  in slices of 1 minute"""
    + ERROR_RATE
    + """  a slice is down when error-rate > 5% for any host
""",
    "avg": """
metric avg "Average error rate per feature"
  100% minus the average error-rate in slices of 5 minutes, per calendar month, by feature"""
    + ERROR_RATE,
    "ok": """
metric ok "Requests without failure"
  ratio of count(request records where region = "eu" and failed = false) to count(request records where region = "eu"), per calendar month, by feature
""",
    "n": """
metric n "Requests"
  count of request records where region = "eu", per calendar month, by feature
""",
    "ms": """
metric ms "Milliseconds"
  sum of ms in request records where region = "eu", per calendar month, by feature
""",
    "mean": """
metric mean "Mean milliseconds"
  mean of ms in request records where region = "eu", per calendar month, by feature
""",
    "p50": """
metric p50 "Median milliseconds"
  p50 of ms in request records where region = "eu", per calendar month, by feature
""",
    "p50-linear": """
metric p50-linear "Median milliseconds, interpolated"
  p50 of ms in request records where region = "eu", per calendar month, by feature
  percentile method linear
""",
    "outages": """
metric outages "Uptime per feature from outages"
  availability, per calendar month, by feature
  down during outage records where severity = "major"
""",
    "tickets": """
metric tickets "Tickets resolved within 4 hours"
  share of ticket records where region = "eu" within target, per calendar month, by feature
  duration from opened to resolved
  target 4 hours
""",
}

CLAUSES = """
clause 1 "Uptime"
  promise up >= 99.9%

clause 2 "Success"
  promise ok >= 60%
"""

EVERY = parse(HEAD + "".join(METRICS.values()) + CLAUSES)
AT = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
MARCH = 31 * 24 * 60  # minutes


def request(
    minute: int, feature: str, region: str, failed: bool, ms: int, host: str
) -> dict[str, Any]:
    time = dt.datetime(2026, 3, 2, tzinfo=dt.UTC) + dt.timedelta(minutes=minute, seconds=10)
    return {
        "type": "request",
        "time": time.isoformat(),
        "feature": feature,
        "region": region,
        "failed": failed,
        "ms": ms,
        "host": host,
    }


LOG = [
    request(0, "a", "eu", True, 100, "h1"),
    request(0, "a", "eu", False, 300, "h1"),
    request(10, "c", "eu", False, 50, "h2"),
    # not read by any metric over requests (region us): no group b; nor is a's slice at 00:20
    request(0, "b", "us", True, 900, "h9"),
    request(20, "a", "us", True, 700, "h1"),
    {"type": "outage", "feature": "a", "severity": "major",
     "start": "2026-03-03T00:00:00Z", "end": "2026-03-03T01:00:00Z"},
    {"type": "outage", "feature": "b", "severity": "minor",
     "start": "2026-03-04T00:00:00Z", "end": "2026-03-04T00:30:00Z"},
    {"type": "ticket", "id": "t1", "feature": "a", "region": "eu",
     "opened": "2026-03-05T10:00:00Z", "resolved": "2026-03-05T11:00:00Z",
     "time": "2026-03-05T10:00:00Z"},
    {"type": "ticket", "id": "t2", "feature": "b", "region": "us",
     "opened": "2026-03-05T10:00:00Z", "resolved": "2026-03-06T10:00:00Z",
     "time": "2026-03-05T10:00:00Z"},
]  # fmt: skip


Values = tuple[Fraction | None, dict[str, Fraction | None]]


def measure(
    contract: Contract, metric: str, events: Iterable[Mapping[str, Any]]
) -> dict[str, Values]:
    """Each period's value over every record and each group's (read while the log is open: a
    pooled percentile is computed when first read)."""
    chosen = Scope.of(contract).metrics[metric]
    with context(contract, events, AT) as ctx:
        kind = chosen.measure.kind
        found: dict[str, Measurement]
        if kind == "ratio":
            found = aggregates.ratio(chosen, ctx)
        elif kind == "slice_average":
            found = slices.slice_average(chosen, ctx)
        elif kind == "availability":
            found = av.availability(chosen, ctx, {})
        elif kind == "share_within_target":
            found = records.share_within_target(chosen, ctx)
        else:
            found = aggregates.aggregate(chosen, ctx)
        return {
            label: (m.value, {name: g.value for name, g in m.groups.items()})
            for label, m in found.items()
        }


def alone(metric: str) -> Contract:
    """The metric in a contract of its own (no other metric shares its scans)."""
    return parse(HEAD + METRICS[metric])


# metric -> (pooled value in March, each group's value in March), by hand
EXPECTED: dict[str, Values] = {
    # the slice 00:00 is down for a (1 of 2 read requests failed: 50% > 5%), and pooled; c is up
    "up": (Fraction(MARCH - 1, MARCH) * 100, {"a": Fraction(MARCH - 1, MARCH) * 100, "c": 100}),
    "up-any": (
        Fraction(MARCH - 1, MARCH) * 100,
        {"a": Fraction(MARCH - 1, MARCH) * 100, "c": Fraction(100)},
    ),
    # a: one slice of its read records (50%); its slice at 00:20 holds an unread record only
    # and is none of a's. Pooled: slices 00:00 (50%) and 00:10 (0%), 00:20 undefined: 25%.
    "avg": (Fraction(75), {"a": Fraction(50), "c": Fraction(100)}),
    "ok": (Fraction(200, 3), {"a": Fraction(50), "c": Fraction(100)}),
    "n": (Fraction(3), {"a": Fraction(2), "c": Fraction(1)}),
    "ms": (Fraction(450), {"a": Fraction(400), "c": Fraction(50)}),
    "mean": (Fraction(150), {"a": Fraction(200), "c": Fraction(50)}),
    # nearest rank: a's 100, 300 -> rank ceil(1) = 1; pooled 50, 100, 300 -> rank 2
    "p50": (Fraction(100), {"a": Fraction(100), "c": Fraction(50)}),
    # linear: h = (n - 1) / 2 + 1; a: 100 + 1/2 * 200; pooled: h = 2
    "p50-linear": (Fraction(100), {"a": Fraction(200), "c": Fraction(50)}),
    # only the major outage is read: 60 minutes of a
    "outages": (Fraction(MARCH - 60, MARCH) * 100, {"a": Fraction(MARCH - 60, MARCH) * 100}),
    "tickets": (Fraction(100), {"a": Fraction(100)}),
}


@pytest.mark.parametrize("metric", sorted(METRICS))
@pytest.mark.parametrize("shared", [True, False], ids=["with-others", "alone"])
def test_groups_are_values_of_the_records_read(metric: str, shared: bool) -> None:
    contract = EVERY if shared else alone(metric)
    assert measure(contract, metric, LOG)["2026-03"] == EXPECTED[metric]


@pytest.mark.parametrize("metric", ["avg", "ok", "n", "ms", "mean", "p50", "p50-linear", "tickets"])
def test_no_group_in_a_period_without_records_read(metric: str) -> None:
    """April has only a record of a that no metric reads: a has no group in April."""
    april = request(0, "a", "us", True, 5, "h1")
    april["time"] = "2026-04-02T00:00:10Z"
    found = measure(EVERY, metric, [*LOG, april])
    assert found["2026-04"][1] == {}
    assert set(found["2026-03"][1]) == set(EXPECTED[metric][1])


def test_the_report_has_no_verdict_for_an_unread_group() -> None:
    """The report of the whole contract (every metric planned together, the scans shared):
    verdicts for a and c only, as the line account calls the us records not used."""
    report = evaluate(EVERY, LOG, at=AT)
    march = {(v.clause, v.group): v.status for v in report.verdicts if v.period.label == "2026-03"}
    assert march == {
        ("1", "a"): "met",  # one minute down of 44,640
        ("1", "c"): "met",
        ("2", "a"): "breached",  # 50% < 60%
        ("2", "c"): "met",
    }
    text = report_text([report])
    assert " up b " not in text and " ok b " not in text


REPRODUCTION = """
contract grp "Groups from unread records" version 1
  term 2026-01-01
  timezone "UTC"

metric up "Uptime per feature"
  availability, per calendar month, by feature
  in slices of 1 minute
  error-rate = count(request records where feature = "a" and failed = true) / count(
    request records where feature = "a")
  a slice is down when error-rate > 5%
  a slice without request records where feature = "a" is up

clause 1 "Uptime"
  promise up >= 99.9%
"""


def test_the_reported_reproduction() -> None:
    """A record of feature b that no selection reads made a group b, 100% met."""
    events = [
        {"type": "request", "feature": "a", "failed": False, "time": "2026-01-05T00:00:10Z"},
        {"type": "request", "feature": "b", "failed": True, "time": "2026-01-05T00:00:10Z"},
    ]
    report = evaluate(parse(REPRODUCTION), events, at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    assert {v.group for v in report.verdicts} == {"a"}


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 30),
            st.sampled_from("abc"),
            st.sampled_from(["eu", "us"]),
            st.booleans(),
            st.integers(1, 9),
        ),
        max_size=12,
    ),
    st.sampled_from(["up", "avg", "ok", "n", "p50"]),
)
def test_every_group_has_a_record_read(
    rows: list[tuple[int, str, str, bool, int]], metric: str
) -> None:
    """Whatever the log, a metric's groups are exactly the features of its records in region
    eu (the only ones it reads), and none of the others."""
    log = [request(m, f, r, failed, ms, "h1") for m, f, r, failed, ms in rows]
    read = {f for _, f, r, _, _ in rows if r == "eu"}
    found = measure(EVERY, metric, log)
    groups = {name for _, measured in found.values() for name in measured}
    assert groups == read

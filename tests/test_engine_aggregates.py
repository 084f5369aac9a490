"""Ratios, counts, sums, means, maxima, minima and percentiles per period: exact values.

Every expected value is worked out by hand from a small log; the evaluation time is fixed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

import obligo
from engine_helpers import context, evaluate, parse
from obligo.checks.reporter import Scope
from obligo.engine.measure import aggregates
from obligo.engine.measure.expressions import nearest_rank
from obligo.engine.measure.measurement import Measurement
from obligo.model.contract import Contract
from report_helpers import as_shown

UTC = dt.UTC


def measure(
    contract: Contract, metric: str, events: Iterable[Mapping[str, Any]], at: dt.datetime
) -> dict[str, Measurement]:
    chosen = Scope.of(contract).metrics[metric]
    with context(contract, events, at) as ctx:
        if chosen.measure.kind == "ratio":
            return aggregates.ratio(chosen, ctx)
        measured = aggregates.aggregate(chosen, ctx)
        for one in measured.values():
            _ = one.value  # made while the log is open (a pooled percentile: when first read)
        return measured


def verdicts(
    contract: Contract, events: Iterable[Mapping[str, Any]], at: dt.datetime
) -> dict[tuple[str, str, str | None], Any]:
    report = evaluate(contract, list(events), at=at)
    return {(v.clause, v.period.label, v.group): v for v in report.verdicts}


def t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def at_minute(day: str, minute: int) -> str:
    instant = t(day) + dt.timedelta(minutes=minute)
    return instant.isoformat().replace("+00:00", "Z")


# ------------------------------------------------------------------------------------ ratios
RATIOS = """
    contract ratios "Ratios" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric success "Successful requests"
      ratio of count(request records where status < 500) to count(request records), per calendar month

    metric per-minute "Successful requests, from per-minute counts"
      ratio of sum(total in rpm records) minus sum(errors in rpm records) to sum(
        total in rpm records), per calendar month

    metric region-success "Successful requests per region"
      ratio of count(request records where status < 500) to count(request records), per calendar month, by region

    clause 1 "Success"
      promise success >= 99.9%

    clause 2 "Success from counts"
      promise per-minute >= 99.9%

    clause 3 "Every region"
      promise region-success >= 99%
"""


def request(day: str, minute: int, status: int, **fields: Any) -> dict[str, Any]:
    return {"type": "request", "time": at_minute(day, minute), "status": status, **fields}


def test_ratio_over_raw_events_is_exact() -> None:
    """999 of 1,000 is exactly 99.9%: met at >= 99.9%; 998 of 1,000 is not."""
    contract = parse(RATIOS)
    events = [request("2026-03-01T00:00:00Z", i, 503 if i == 0 else 200) for i in range(1000)]
    events += [request("2026-04-01T00:00:00Z", i, 500 if i < 2 else 200) for i in range(1000)]
    found = verdicts(contract, events, t("2026-05-01T00:00:00Z"))
    assert as_shown(found[("1", "2026-03", None)].value) == "99.9"
    assert found[("1", "2026-03", None)].status == "met"
    assert as_shown(found[("1", "2026-04", None)].value) == "99.8"
    assert found[("1", "2026-04", None)].status == "breached"
    assert found[("1", "2026-02", None)].status == "no_data"
    assert as_shown(found[("1", "2026-03", None)].evidence.totals) == {
        "good": "999",
        "total": "1000",
    }
    measured = measure(contract, "success", events, t("2026-05-01T00:00:00Z"))
    assert measured["2026-03"].value == Fraction(999, 10)
    assert measured["2026-03"].records == 1000


def test_ratio_over_pre_aggregated_counts() -> None:
    contract = parse(RATIOS)
    events = [
        {"type": "rpm", "time": "2026-03-02T10:00:00Z", "total": 1200, "errors": 91},
        {"type": "rpm", "time": "2026-03-02T10:01:00Z", "total": "800", "errors": "0"},
        {"type": "rpm", "time": "2026-03-02T10:02:00Z", "total": 0.5, "errors": 0.25},
    ]
    measured = measure(contract, "per-minute", events, t("2026-04-01T00:00:00Z"))
    march = measured["2026-03"]
    assert march.value == (Fraction(20005, 10) - Fraction(9125, 100)) / Fraction(20005, 10) * 100
    assert march.totals == {"good": Fraction(190925, 100), "total": Fraction(20005, 10)}
    assert march.records == 3
    found = verdicts(contract, events, t("2026-04-01T00:00:00Z"))
    assert found[("2", "2026-03", None)].status == "breached"


def test_ratio_by_region() -> None:
    contract = parse(RATIOS)
    day = "2026-03-02T00:00:00Z"
    events = [
        *[request(day, i, 500 if i < 2 else 200, region="eu") for i in range(100)],
        *[request(day, i, 200, region="us") for i in range(50)],
        request(day, 0, 500),  # no region: counted in the pooled value only
    ]
    measured = measure(contract, "region-success", events, t("2026-04-01T00:00:00Z"))
    march = measured["2026-03"]
    assert march.value == Fraction(148, 151) * 100
    assert sorted(march.groups) == ["eu", "us"]
    assert march.groups["eu"].value == 98
    assert march.groups["us"].value == 100
    assert measured["2026-02"].groups == {}
    found = verdicts(contract, events, t("2026-04-01T00:00:00Z"))
    assert found[("3", "2026-03", "eu")].status == "breached"
    assert found[("3", "2026-03", "us")].status == "met"


def test_ratio_error_budget_of_a_pending_period() -> None:
    """Mid-March: 2,000 requests so far, 1 failed; at 99.9% the month may fail 2 of them."""
    contract = parse(RATIOS)
    events = [request("2026-03-02T00:00:00Z", i, 500 if i == 0 else 200) for i in range(2000)]
    found = verdicts(contract, events, t("2026-03-15T00:00:00Z"))
    march = found[("1", "2026-03", None)]
    assert march.status == "pending"
    assert as_shown(march.value) == "99.95"
    assert march.error_budget is not None
    assert as_shown(march.error_budget.remaining) == "1"  # 2 allowed, 1 used
    assert as_shown(march.error_budget.used) == "50"


def test_ratio_with_no_denominator_is_no_data() -> None:
    contract = parse(
        """
        contract z "Zero" version 1
          term 2026-01-01 to 2026-12-31
          timezone "UTC"

        metric success "Success"
          ratio of count(request records where status < 500) to count(
            request records where status > 0), per calendar month
        """
    )
    events = [{"type": "request", "time": "2026-03-02T00:00:00Z", "status": 0}]
    measured = measure(contract, "success", events, t("2026-04-01T00:00:00Z"))
    assert measured["2026-03"].value is None
    assert measured["2026-03"].no_data == "the denominator is 0 in the period"


# -------------------------------------------------------------------------------- aggregates
AGGREGATES = """
    contract agg "Aggregates" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric incidents "Severity 1 incidents"
      count of incident records where severity = 1, per calendar month

    metric rows "Rows loaded"
      sum of rows in load records, per calendar month

    metric round-trip "Average round trip"
      mean of round_trip_ms in latency records, per calendar month

    metric worst "Worst lag"
      maximum of lag in freshness records, per calendar month

    metric lowest "Lowest throughput"
      minimum of rows_per_hour in throughput records, per calendar month

    metric per-region "Incidents per region"
      count of incident records, per calendar month, by region

    metric mean-per-region "Mean round trip per region"
      mean of round_trip_ms in latency records, per calendar month, by region

    clause 1 "Few incidents"
      promise incidents <= 1
"""


def test_count_sum_mean_max_min() -> None:
    contract = parse(AGGREGATES)
    at = t("2026-04-01T00:00:00Z")
    events = [
        {
            "type": "incident",
            "start": "2026-03-02T00:00:00Z",
            "end": "2026-03-02T01:00:00Z",
            "severity": 1,
        },
        {"type": "incident", "time": "2026-03-03T00:00:00Z", "severity": 1},
        {"type": "incident", "time": "2026-03-04T00:00:00Z", "severity": 2},
        {"type": "incident", "time": "2026-02-04T00:00:00Z", "severity": 2},
        {"type": "load", "time": "2026-03-02T00:00:00Z", "rows": 10.5},
        {"type": "load", "time": "2026-03-03T00:00:00Z", "rows": "0.25"},
        {"type": "load", "time": "2026-03-04T00:00:00Z"},
        {"type": "latency", "time": "2026-03-02T00:00:00Z", "round_trip_ms": 1},
        {"type": "latency", "time": "2026-03-02T00:01:00Z", "round_trip_ms": 1},
        {"type": "latency", "time": "2026-03-02T00:02:00Z", "round_trip_ms": 2},
        {"type": "latency", "time": "2026-03-02T00:03:00Z"},
        {"type": "freshness", "time": "2026-03-02T00:00:00Z", "lag": 0.1},
        {"type": "freshness", "time": "2026-03-02T00:00:00Z", "lag": 0.7},
        {"type": "throughput", "time": "2026-03-02T00:00:00Z", "rows_per_hour": 3},
        {"type": "throughput", "time": "2026-03-02T01:00:00Z", "rows_per_hour": 0.001},
    ]
    assert measure(contract, "incidents", events, at)["2026-03"].value == 2
    # February has incident records, none of severity 1, and January none at all: both a
    # measured 0 (a month without incidents has 0 incidents; only a log that never mentions
    # incidents leaves the count unmeasured, see test_a_count_of_an_absent_type_is_unmeasured)
    assert measure(contract, "incidents", events, at)["2026-02"].value == 0
    assert measure(contract, "incidents", events, at)["2026-01"].value == 0
    rows = measure(contract, "rows", events, at)["2026-03"]
    assert rows.value == Fraction(43, 4) and rows.records == 2
    mean = measure(contract, "round-trip", events, at)["2026-03"]
    assert mean.value == Fraction(4, 3)
    assert mean.records == 3  # the records with a value
    assert mean.totals == {"records": 4, "values": 3, "sum": 4}
    assert measure(contract, "worst", events, at)["2026-03"].value == Fraction(7, 10)
    assert measure(contract, "lowest", events, at)["2026-03"].value == Fraction(1, 1000)
    assert (
        measure(contract, "round-trip", events, at)["2026-02"].no_data == "no records in the period"
    )
    found = verdicts(contract, events, at)
    assert found[("1", "2026-03", None)].status == "breached"
    assert found[("1", "2026-02", None)].status == "met"
    assert found[("1", "2026-01", None)].status == "met"  # 0 incidents <= 1


def test_aggregates_by_group() -> None:
    contract = parse(AGGREGATES)
    at = t("2026-04-01T00:00:00Z")
    events = [
        {"type": "incident", "time": "2026-03-02T00:00:00Z", "region": "eu"},
        {"type": "incident", "time": "2026-03-03T00:00:00Z", "region": "eu"},
        {"type": "incident", "time": "2026-03-03T00:00:00Z", "region": "us"},
        {"type": "incident", "time": "2026-03-04T00:00:00Z"},
        {"type": "latency", "time": "2026-03-02T00:00:00Z", "round_trip_ms": 1, "region": "eu"},
        {"type": "latency", "time": "2026-03-02T00:00:00Z", "round_trip_ms": 2, "region": "eu"},
        {"type": "latency", "time": "2026-03-02T00:00:00Z", "round_trip_ms": 10, "region": "us"},
    ]
    counts = measure(contract, "per-region", events, at)["2026-03"]
    assert counts.value == 4
    assert {k: v.value for k, v in counts.groups.items()} == {"eu": 2, "us": 1}
    means = measure(contract, "mean-per-region", events, at)["2026-03"]
    assert means.value == Fraction(13, 3)
    assert {k: v.value for k, v in means.groups.items()} == {"eu": Fraction(3, 2), "us": 10}


# ------------------------------------------------------------------------------- percentiles
PERCENTILES = """
    contract pct "Percentiles" version 1
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric p95 "p95"
      p95 of latency_ms in request records, per calendar month

    metric p50 "p50, nearest rank"
      p50 of latency_ms in request records, per calendar month
      percentile method nearest-rank

    metric p50-linear "p50, linear"
      p50 of latency_ms in request records, per calendar month
      percentile method linear

    metric p50-lower "p50, lower"
      p50 of latency_ms in request records, per calendar month
      percentile method lower

    metric p50-higher "p50, higher"
      p50 of latency_ms in request records, per calendar month
      percentile method higher

    metric p50-midpoint "p50, midpoint"
      p50 of latency_ms in request records, per calendar month
      percentile method midpoint

    metric p90-linear "p90, linear"
      p90 of latency_ms in request records, per calendar month
      percentile method linear

    metric p99-9 "p99.9"
      p99.9 of latency_ms in request records, per calendar month
      at least 1000 records, otherwise no data

    metric p95-region "p95 per region"
      p95 of latency_ms in request records, per calendar month, by region

    clause 1 "Tail"
      promise p99-9 <= 999
"""


def latencies(
    values: Iterable[Any], day: str = "2026-03-02T00:00:00Z", **fields: Any
) -> list[dict[str, Any]]:
    return [
        {"type": "request", "time": at_minute(day, i), "latency_ms": v, **fields}
        for i, v in enumerate(values)
    ]


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("p95", Fraction(10)),
        ("p50", Fraction(5)),
        ("p50-linear", Fraction(11, 2)),
        ("p50-lower", Fraction(5)),
        ("p50-higher", Fraction(6)),
        ("p50-midpoint", Fraction(11, 2)),
        ("p90-linear", Fraction(91, 10)),  # h = 9 * 0.9 + 1 = 9.1
    ],
)
def test_percentile_methods_on_one_to_ten(metric: str, expected: Fraction) -> None:
    contract = parse(PERCENTILES)
    events = latencies([7, 3, 10, 1, 5, 9, 2, 8, 6, 4, None])  # shuffled; one without a value
    march = measure(contract, metric, events, t("2026-04-01T00:00:00Z"))["2026-03"]
    assert march.value == expected
    assert march.records == 10


def test_percentiles_of_decimals_are_exact() -> None:
    contract = parse(PERCENTILES)
    events = latencies(["0.1", "0.2"])
    at = t("2026-04-01T00:00:00Z")
    assert measure(contract, "p50-linear", events, at)["2026-03"].value == Fraction(3, 20)
    assert measure(contract, "p50", events, at)["2026-03"].value == Fraction(1, 10)


def test_percentiles_per_period_and_group() -> None:
    contract = parse(PERCENTILES)
    events = [
        *latencies(range(1, 21), region="eu"),  # p95 of 1..20: rank 19
        *latencies(range(100, 102), region="us"),  # p95 of 2 values: rank 2
        *latencies([5000]),  # no region
        *latencies(range(1, 4), day="2026-04-02T00:00:00Z", region="eu"),
    ]
    measured = measure(contract, "p95-region", events, t("2026-05-01T00:00:00Z"))
    march, april = measured["2026-03"], measured["2026-04"]
    assert march.value == 101  # 23 values (1..20, 100, 101, 5000): rank ceil(21.85) = 22
    assert march.groups["eu"].value == 19
    assert march.groups["us"].value == 101
    assert april.value == 3 and april.groups["eu"].value == 3
    assert "us" not in april.groups


def test_minimum_data_too_few_records() -> None:
    contract = parse(PERCENTILES)
    events = latencies(range(1, 1000))  # 999 values
    found = verdicts(contract, events, t("2026-04-01T00:00:00Z"))
    march = found[("1", "2026-03", None)]
    assert march.status == "no_data"
    assert march.reason == "too few records: 999 of the 1000 required"
    assert as_shown(march.value) == "999"  # still measured and shown
    events = latencies(range(1, 1001))
    found = verdicts(contract, events, t("2026-04-01T00:00:00Z"))
    # p99.9 of 1..1000 is rank 999
    assert as_shown(found[("1", "2026-03", None)].value) == "999"
    assert found[("1", "2026-03", None)].status == "met"


def brute_force(values: list[int], share: Fraction, method: str) -> Fraction:
    """The definitions, straight: nearest rank is the smallest value with at least p of the
    values at or below it; the others interpolate on h = (n - 1) p + 1."""
    ordered = sorted(values)
    n = len(ordered)
    if method == "nearest-rank":
        for value in ordered:
            if Fraction(sum(1 for v in ordered if v <= value), n) >= share:
                return Fraction(value)
        raise AssertionError
    h = (n - 1) * share + 1
    low, high = ordered[math.floor(h) - 1], ordered[math.ceil(h) - 1]
    return {
        "lower": Fraction(low),
        "higher": Fraction(high),
        "midpoint": Fraction(low + high, 2),
        "linear": low + (high - low) * (h - math.floor(h)),
    }[method]


def test_percentile_ranks_match_the_definitions() -> None:
    shares = [Fraction(p, 1000) for p in (1, 10, 250, 499, 500, 501, 900, 950, 990, 999, 1000)]
    for n, share, method in itertools.product(range(1, 60), shares, aggregates.METHODS):
        values = list(range(1, n + 1))
        low, high, weight = aggregates.percentile_ranks(share, n, method)
        found = Fraction(low) + (high - low) * weight
        if method == "higher":
            found = Fraction(high)
        elif method == "lower" or method == "nearest-rank":
            found = Fraction(low)
        elif method == "midpoint":
            found = Fraction(low + high, 2)
        assert found == brute_force(values, share, method), (n, share, method)
        if method == "nearest-rank":
            assert low == nearest_rank(share, n)


def test_a_count_of_an_absent_type_is_unmeasured() -> None:
    contract = parse(AGGREGATES)
    report = obligo.evaluate(
        contract,
        [{"type": "load", "time": "2026-03-02T00:00:00Z", "rows": 1}],
        at=t("2026-04-01T00:00:00Z"),
    )
    march = next(v for v in report.verdicts if v.period.label == "2026-03")
    assert march.status == "no_data"
    assert march.reason == "unmeasured: the log has no incident records"


@pytest.mark.parametrize("percentile", ["50", "90", "95", "99", "99.9", "99.99", "0.1", "33.333"])
def test_duckdb_discrete_quantile_is_the_nearest_rank(percentile: str) -> None:
    """The nearest-rank percentile is DuckDB's quantile_disc with an exact DECIMAL share: the
    value at rank ceil(p * n), for every n (here 1 to 1,500, values shuffled)."""
    import duckdb

    from obligo.engine.measure.aggregates import _decimal_literal, percentile_ranks

    share = Fraction(Decimal(percentile)) / 100
    sql = (
        f"SELECT n, quantile_disc(v, {_decimal_literal(share)}) FROM (SELECT n, unnest("
        "list_sort(range(1, n + 1), 'DESC')) AS v FROM range(1, 1501) t(n)) GROUP BY n"
    )
    with duckdb.connect() as con:
        for n, value in con.execute(sql).fetchall():
            rank, _, _ = percentile_ranks(share, int(n), "nearest-rank")
            assert value == rank, (n, value, rank)


# ------------------------------------------------------------------ placing records in periods
@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(1, 5)), min_size=0, max_size=40),
    st.lists(st.integers(-5, 260), min_size=1, max_size=30),
)
def test_period_index_finds_the_period_of_each_instant(
    steps: list[tuple[int, int]], moments: list[int]
) -> None:
    origin = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    bounds: list[tuple[int, dt.datetime, dt.datetime]] = []
    cursor = 0
    for index, (gap, length) in enumerate(steps):  # disjoint periods, some with gaps between
        start = cursor + gap
        cursor = start + length
        bounds.append(
            (index, origin + dt.timedelta(hours=start), origin + dt.timedelta(hours=cursor))
        )
    search = aggregates.period_index("w", bounds[::-1])  # in any order
    assert search is not None
    sql, params = search
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for hour in moments:
        at = origin + dt.timedelta(hours=hour)
        expected = next((i for i, start, end in bounds if start <= at < end), None)
        got = con.execute(f"SELECT {sql} FROM (SELECT ?::TIMESTAMPTZ AS w)", [*params, at])
        assert got.fetchall() == [(expected,)]
    con.close()


def test_period_index_leaves_overlapping_periods_to_the_join() -> None:
    day = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    hour = dt.timedelta(hours=1)
    assert (
        aggregates.period_index("w", [(0, day, day + 2 * hour), (1, day + hour, day + 3 * hour)])
        is None
    )


def test_duckdb_discrete_quantiles_of_one_list_are_each_the_nearest_rank() -> None:
    """Several percentiles of one column are one quantile_disc over a list (one sort of the
    values): each is still the value at rank ceil(p * n), for every n. The list is written at
    one scale (obligo.engine.scans.decimal_list): at mixed scales DuckDB reads 0.51 as 0.5."""
    import duckdb

    from obligo.engine.measure.aggregates import percentile_ranks
    from obligo.engine.scans import decimal_list

    written = ["0.5", "0.51", "0.9", "0.95", "0.99", "0.999", "0.9999", "0.001", "0.33333"]
    shares = [Fraction(Decimal(p)) for p in written]
    sql = (
        f"SELECT n, quantile_disc(v, {decimal_list(written)}) FROM (SELECT n, unnest("
        "list_sort(range(1, n + 1), 'DESC')) AS v FROM range(1, 1501) t(n)) GROUP BY n"
    )
    with duckdb.connect() as con:
        for n, values in con.execute(sql).fetchall():
            for share, value in zip(shares, values, strict=True):
                rank, _, _ = percentile_ranks(share, int(n), "nearest-rank")
                assert value == rank, (n, share, value, rank)


POOLED = """
    contract pooled "A percentile by region, and over all regions" version 1
      term 2026-03-01 to 2026-04-30
      timezone "UTC"

    metric p95-region "p95 per region"
      p95 of latency_ms in request records, per calendar month, by region

    metric total "Total latency per region"
      sum of latency_ms in request records, per calendar month, by region

    clause 1 "Latency"
      promise p95-region <= 50
    {extra}
"""


def _pooled_log() -> list[dict[str, Any]]:
    return [
        *latencies(range(1, 21), region="eu"),  # eu: p95 rank 19 of 20 -> 19
        *latencies(range(100, 102), region="us"),  # us: 101
        *latencies([5000]),  # no region: in the pooled values only
        *latencies(range(1, 4), day="2026-04-02T00:00:00Z", region="eu"),
    ]


def _pooled_queries(extra: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[str]]:
    from obligo.engine.context import EvaluationContext

    read: list[str] = []
    query = EvaluationContext.query

    def counted(self: EvaluationContext, sql: str, params: Any = ()) -> Any:
        if sql.startswith("SELECT e._obligo_idx"):
            read.append(sql)
        return query(self, sql, params)

    monkeypatch.setattr(EvaluationContext, "query", counted)
    report = evaluate(
        parse(POOLED.format(extra=extra)), _pooled_log(), at=t("2026-05-01T00:00:00Z")
    )
    return report, read


def test_a_pooled_percentile_nobody_reads_is_not_computed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A metric measured by region, promised per region: the scan groups by region only (the
    pooled counts and sums are added up from the groups) and the percentile over every
    record, which nothing shows, is never computed."""
    report, read = _pooled_queries("", monkeypatch)
    assert len(read) == 1 and "GROUPING SETS" not in read[0]
    shown = {(v.group, v.period.label): as_shown(v.value) for v in report.verdicts}
    assert shown == {
        ("eu", "2026-03"): "19",
        ("us", "2026-03"): "101",
        ("eu", "2026-04"): "3",
        ("us", "2026-04"): None,  # a group seen in the evaluation, without values in April
    }


def test_a_pooled_percentile_a_trigger_reads_is_computed_over_every_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A trigger on the metric as a whole reads its value over every record (the record
    without a region included): computed then, by a query of its own, exactly as a scan of
    every record gives it (23 values in March: rank ceil(21.85) = 22, 101)."""
    extra = '  escalate to "Head of service" when p95-region > 100 in a month'
    report, read = _pooled_queries(extra, monkeypatch)
    assert len(read) == 2 and read[1].endswith("GROUP BY e._obligo_idx")
    [escalation] = report.escalations
    assert "p95-region 101" in escalation.reason
    # --plan shows that query beside the scan that leaves it for later
    from obligo.engine.run.session import planned
    from obligo.resolve.resolver import check_and_resolve

    contract = parse(POOLED.format(extra=extra))
    [scan] = planned(check_and_resolve(contract), t("2026-05-01T00:00:00Z")).describe()
    assert (scan["sql"], scan["pooled_sql"]) == (read[0], read[1])


def test_pooled_sums_added_up_from_the_groups_are_exact() -> None:
    """Counts and sums over every record are added up from the groups (the records without
    the field included), exactly, also past 28 digits, where Python's decimals would round."""
    big = Decimal("12345678901234567890.123456789")
    events = [
        *latencies([big, big], region="eu"),
        *latencies([big], region="us"),
        *latencies([Decimal("0.000000001")]),
    ]
    measured = measure(parse(POOLED.format(extra="")), "total", events, t("2026-04-01T00:00:00Z"))
    march = measured["2026-03"]
    assert march.value == Fraction(big) * 3 + Fraction(1, 10**9)
    assert march.groups["eu"].value == Fraction(big) * 2


def test_a_pooled_sum_past_38_digits_is_refused_as_before() -> None:
    """Each region's sum fits in the 38 digits DuckDB keeps; their total does not: the
    evaluation stops with the error a scan of every record gives, not a number."""
    events = [
        *latencies([Decimal("6" + "0" * 28)], region="eu"),
        *latencies([Decimal("6" + "0" * 28)], region="us"),
    ]
    extra = '  escalate to "Head of service" when total > 1 in a month'
    with pytest.raises(obligo.EventDataError, match="needs more than 38 digits"):
        evaluate(parse(POOLED.format(extra=extra)), events, at=t("2026-04-01T00:00:00Z"))

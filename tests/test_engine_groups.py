"""Metrics measured ``by`` several fields (``, by project, region``): one group per tuple of
values, the pooled value over every record (database-minutes summed over every database of a
subscription), and a slice average per group (S3: per storage class and region). Numbers are
counted by hand on small logs."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import obligo
from engine_helpers import context, evaluate, parse
from obligo.checks.reporter import Scope
from obligo.engine.measure import aggregates, groups, slices
from obligo.engine.measure import availability as av
from obligo.engine.measure.measurement import Measurement
from obligo.errors import ObligoError
from obligo.model.contract import Contract
from obligo.render import report_json, report_text

GROUPED = """
contract hosting
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric db-minutes "Database minutes"
  sum of minutes in usage records, per calendar month, by subscription, database

metric db-minutes-pooled "Database minutes of a subscription"
  sum of minutes in usage records, per calendar month, by subscription

metric success "Successful requests"
  ratio of count(request records where status < 500) to count(request records), per calendar month, by project, region

metric uptime "Uptime per project and region"
  availability, per calendar month, by project, region
  down during outage records

metric durability "S3 error rate"
  100% minus the average error-rate in slices of 5 minutes, per calendar month, by storage-class, region
  error-rate = count(request records where status >= 500) / count(request records)

clause 1 "Success"
  promise success >= 99%

clause 2 "Uptime"
  promise uptime >= 99.9%
"""


def t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


AT = t("2026-04-01T00:00:00Z")


def measured(
    contract: Contract, metric: str, events: Iterable[Mapping[str, Any]]
) -> dict[str, Measurement]:
    chosen = Scope.of(contract).metrics[metric]
    with context(contract, events, AT) as ctx:
        if chosen.measure.kind == "ratio":
            return aggregates.ratio(chosen, ctx)
        if chosen.measure.kind == "slice_average":
            return slices.slice_average(chosen, ctx)
        if chosen.measure.kind == "availability":
            return av.availability(chosen, ctx, {})
        return aggregates.aggregate(chosen, ctx)


def usage(subscription: str | None, database: str | None, minutes: int) -> dict[str, Any]:
    record: dict[str, Any] = {"type": "usage", "time": "2026-03-02T10:00:00Z", "minutes": minutes}
    if subscription is not None:
        record["subscription"] = subscription
    if database is not None:
        record["database"] = database
    return record


USAGE = [
    usage("s1", "db-a", 10),
    usage("s1", "db-a", 5),
    usage("s1", "db-b", 7),
    usage("s2", "db-a", 100),
    usage("s2", None, 3),  # no database: pooled, and in s2 by subscription, in no pair
]


def test_sum_by_two_fields_is_one_group_per_pair() -> None:
    found = measured(parse(GROUPED), "db-minutes", USAGE)["2026-03"]
    assert found.value == 125  # every record, those in no group too
    assert found.groups.keys() == {'["s1","db-a"]', '["s1","db-b"]', '["s2","db-a"]'}
    assert found.groups['["s1","db-a"]'].value == 15
    assert found.groups['["s1","db-b"]'].value == 7
    assert found.groups['["s2","db-a"]'].value == 100


def test_pooled_over_databases_of_a_subscription() -> None:
    """Database-minutes summed over all databases of a subscription: by subscription alone."""
    found = measured(parse(GROUPED), "db-minutes-pooled", USAGE)["2026-03"]
    assert found.value == 125
    assert {g: m.value for g, m in found.groups.items()} == {"s1": 22, "s2": 103}


def request(minute: int, status: int, **fields: str) -> dict[str, Any]:
    time = t("2026-03-02T00:00:00Z") + dt.timedelta(minutes=minute)
    return {"type": "request", "time": time.isoformat(), "status": status, **fields}


REQUESTS = [
    *[request(i, 500 if i < 2 else 200, project="acme", region="eu") for i in range(100)],
    *[request(i, 200, project="acme", region="us") for i in range(50)],
    *[request(i, 500 if i < 1 else 200, project="beta", region="eu") for i in range(10)],
    request(0, 500, project="acme"),  # no region: pooled only
]


def test_ratio_by_two_fields() -> None:
    found = measured(parse(GROUPED), "success", REQUESTS)["2026-03"]
    assert found.value == Fraction(157, 161) * 100
    assert found.groups['["acme","eu"]'].value == 98
    assert found.groups['["acme","us"]'].value == 100
    assert found.groups['["beta","eu"]'].value == 90
    assert len(found.groups) == 3


def test_report_names_a_group_of_several_fields_as_an_object() -> None:
    report = evaluate(parse(GROUPED), REQUESTS, at=AT)
    march = {
        json.dumps(v.group, sort_keys=True): v.status
        for v in report.verdicts
        if v.clause == "1" and v.period.label == "2026-03"
    }
    assert march == {
        '{"project": "acme", "region": "eu"}': "breached",
        '{"project": "acme", "region": "us"}': "met",
        '{"project": "beta", "region": "eu"}': "breached",
    }
    document = json.loads(report_json([report]))
    assert document["schema_version"] == "2"
    groups = [v["group"] for v in document["verdicts"] if v["clause"] == "1"]
    assert {"project": "beta", "region": "eu"} in groups
    assert "1 success project=beta, region=eu" in report_text([report])


def outage(start: str, end: str, **fields: str) -> dict[str, Any]:
    return {"type": "outage", "start": start, "end": end, **fields}


def test_availability_by_two_fields_and_a_record_with_one_of_them() -> None:
    """March has 44,640 minutes. acme/eu: its own 60 minutes and the 30 of the eu outage that
    names no project (it counts for every project in eu); acme/us: 10 of its own; the outage
    naming neither counts for every group (5 minutes)."""
    events = [
        outage("2026-03-02T00:00:00Z", "2026-03-02T01:00:00Z", project="acme", region="eu"),
        outage("2026-03-03T00:00:00Z", "2026-03-03T00:10:00Z", project="acme", region="us"),
        outage("2026-03-04T00:00:00Z", "2026-03-04T00:30:00Z", region="eu"),
        outage("2026-03-05T00:00:00Z", "2026-03-05T00:05:00Z"),
    ]
    found = measured(parse(GROUPED), "uptime", events)["2026-03"]
    minutes = 44640
    assert found.groups.keys() == {'["acme","eu"]', '["acme","us"]'}
    eu = found.groups['["acme","eu"]']
    assert eu.value == Fraction(minutes - 95, minutes) * 100
    us = found.groups['["acme","us"]']
    assert us.value == Fraction(minutes - 15, minutes) * 100
    assert found.value == Fraction(minutes - 105, minutes) * 100  # every outage


def test_slice_average_by_storage_class_and_region() -> None:
    """Five-minute slices. standard/eu has records in two slices, the first at 1 error of 2
    requests, the other at 0: its slices without records are 0/0, undefined, left out, so its
    average is (50% + 0%) / 2 = 25%. glacier/us has one slice, at 0%. Pooled, the first slice
    holds glacier's request too: (1/3 + 0) / 2 = 1/6."""
    events = [
        request(0, 500, **{"storage-class": "standard", "region": "eu"}),
        request(1, 200, **{"storage-class": "standard", "region": "eu"}),
        request(10, 200, **{"storage-class": "standard", "region": "eu"}),
        request(0, 200, **{"storage-class": "glacier", "region": "us"}),
    ]
    found = measured(parse(GROUPED), "durability", events)["2026-03"]
    standard = found.groups['["standard","eu"]']
    assert standard.value == 100 - 25
    assert standard.totals["slices"] == 2
    glacier = found.groups['["glacier","us"]']
    assert glacier.value == 100
    assert found.value == 100 - Fraction(100, 6)
    assert found.totals["slices"] == 2
    assert measured(parse(GROUPED), "durability", events)["2026-02"].groups == {}


def test_slice_average_by_one_field_was_refused_and_now_is_read() -> None:
    contract = parse(
        """
        contract s3
          term 2026-01-01 to 2026-12-31
          timezone "UTC"

        metric errors
          the average error-rate in slices of 5 minutes, per calendar month, by region
          error-rate = count(request records where status >= 500) / count(request records)
        """
    )
    events = [request(0, 500, region="eu"), request(0, 200, region="us")]
    found = measured(contract, "errors", events)["2026-03"]
    assert {g: m.value for g, m in found.groups.items()} == {"eu": 100, "us": 0}
    assert found.value == 50


def test_plan_groups_by_the_tuple_in_one_scan() -> None:
    contract = parse(GROUPED)
    with context(contract, REQUESTS, AT) as ctx:
        chosen = Scope.of(contract).metrics["success"]
        ((grid, _),) = aggregates.scans_of(ctx, aggregates.ratio_query(chosen, ctx))
        assert grid.grouped is not None
        assert grid.grouped[1].endswith('GROUP BY e._obligo_idx, e."project", e."region"')
        assert grid.label.endswith(", by project, region")


def test_printer_writes_several_fields_back() -> None:
    text = GROUPED.lstrip("\n")
    assert obligo.format_contract(text) == text


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("availability, per calendar month, by region, region", "region is named twice"),
    ],
)
def test_a_field_named_twice_is_refused_at_it(line: str, message: str) -> None:
    text = f"contract x\n  term 2026-01-01 to 2026-12-31\n\nmetric m\n  {line}\n  down during outage records\n"
    with pytest.raises(ObligoError) as raised:
        obligo.parse(text)
    assert message in str(raised.value)
    assert raised.value.line == 5
    assert raised.value.column == 48  # the second region


def test_a_promise_for_one_value_of_a_metric_by_two_fields_is_refused() -> None:
    contract = obligo.parse(GROUPED + '\nclause 3\n  promise success for "eu" >= 99%\n')
    errors = [d for d in obligo.check(contract) if d.severity.name == "ERROR"]
    assert len(errors) == 1
    assert "measured by 2 fields (project, region)" in errors[0].message
    assert errors[0].line == GROUPED.count("\n") + 3


@settings(deadline=None)
@given(st.lists(st.text(min_size=0, max_size=6), min_size=2, max_size=3))
def test_python_and_duckdb_write_the_same_key(values: list[str]) -> None:
    """A key made by a scan (to_json of the values as VARCHAR) is the key made from a record
    read one by one: the groups of both sources meet."""
    values = [v.replace("\x00", "") for v in values]
    fields = [f"f{i}" for i in range(len(values))]
    row = {f: v for f, v in zip(fields, values, strict=True)}
    sql = f"SELECT {groups.key_sql(fields)} FROM (SELECT {', '.join('? AS ' + f for f in fields)})"
    # A connection of its own: a result left open on duckdb's default connection would stop
    # the next test that uses it.
    with duckdb.connect() as con:
        made = con.execute(sql, values).fetchone()
    assert made is not None
    assert made[0] == groups.key_of_fields(fields, row)
    assert groups.values_of(made[0], fields) == tuple(values)


def test_a_credit_per_group_of_two_fields_on_a_fee_per_region_is_refused() -> None:
    text = (
        'contract s3\n  term 2026-01-01\n  timezone "UTC"\n  currency USD\n\n'
        "service storage\n  fee from billing records, by region\n\n"
        "metric errors\n"
        "  100% minus the average error-rate in slices of 5 minutes, per calendar month,"
        " by storage-class, region\n"
        "  error-rate = count(request records where status >= 500) / count(request records)\n\n"
        "clause 1\n  service storage\n  promise errors >= 99.9%\n"
        "  credit 10% of the fee when errors < 99.9%\n"
    )
    errors = [d for d in obligo.check(obligo.parse(text)) if d.severity.name == "ERROR"]
    assert [(e.line, e.message) for e in errors] == [
        (
            13,  # the clause
            "errors is measured by storage-class, region, but the fee of storage is read by"
            " region: a group's credit has no fee of its own",
        )
    ]


# ---------------------------------------------- groups by several fields named in words
BASELINED = """
contract grouped
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric uptime "Uptime per project and region"
  availability, per calendar month, by project, region
  down during outage records

clause 1 "Uptime"
  promise uptime >= 99.9%
  escalate to "Ops" when breached in 2 consecutive months

baseline the first 2 months
"""


def test_a_group_by_several_fields_is_named_by_its_values_in_triggers_and_comparisons() -> None:
    outages = [
        {"type": "outage", "project": "p1", "region": "eu",
         "start": f"2026-0{m}-10T00:00:00Z", "end": f"2026-0{m}-10T02:00:00Z"}
        for m in (1, 2, 3, 4)
    ]  # fmt: skip
    report = obligo.evaluate(parse(BASELINED), outages, at=t("2026-05-01T00:00:00Z"))
    (review,) = [x for x in report.triggers if x.kind == "baseline_review"]
    (comparison,) = review.comparisons
    assert comparison.group == {"project": "p1", "region": "eu"}
    assert comparison.objective == "uptime for project=p1, region=eu >= 99.9%"
    (escalation,) = report.escalations
    assert [p.detail for p in escalation.periods] == [
        "uptime for project=p1, region=eu >= 99.9%: 99.731182796%, breached",
        "uptime for project=p1, region=eu >= 99.9%: 99.722222222%, breached",
    ]

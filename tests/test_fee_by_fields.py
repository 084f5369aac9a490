"""A fee read by several fields (``fee from billing records ..., by project, region``): each
group of a metric measured by the same fields is credited on its own records' charges.

Worked by hand: January 2026 in UTC has 31 days = 2,678,400 s.

- acme/eu: 1 hour down: (2,678,400 - 3,600) / 2,678,400 = 99.8656% < 99.99% and >= 99%: 10%
  of acme/eu's own bill 1,000.00 = 100.00 USD (not of eu's 1,480.00 nor of acme's 3,000.00).
- beta/eu: 10 hours down: (2,678,400 - 36,000) / 2,678,400 = 98.6559% < 99%: 25% of 480.00 =
  120.00 USD.
- acme/us: 1 second down: 99.99996%: met, nothing owed.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import obligo
from engine_helpers import parse
from obligo.errors import Severity
from obligo.model.base import without_locations
from obligo.model.contract import Service
from obligo.render.json import report_json
from obligo.syntax.fmt import format_text
from obligo.syntax.printer import print_contract
from report_helpers import as_shown

AT = dt.datetime(2026, 3, 10, tzinfo=dt.UTC)

HEAD = """contract regions "Per project and region" version 1
  term 2026-01-01
  timezone "UTC"
  currency USD

"""

CONTRACT = (
    HEAD
    + """service compute "Compute"
  fee from billing records where service = "compute", by project, region

metric uptime "Uptime per project and region"
  availability, per calendar month, by project, region
  down during incident records

clause 1 "Uptime"
  service compute
  promise uptime >= 99.99%
  credit
    10% of the fee when uptime < 99.99% and >= 99%
    25% of the fee when uptime < 99%
"""
)


def _incident(project: str, region: str, seconds: int) -> dict[str, Any]:
    start = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)
    return {
        "type": "incident",
        "project": project,
        "region": region,
        "start": start.isoformat(),
        "end": (start + dt.timedelta(seconds=seconds)).isoformat(),
    }


def _bill(project: str | None, region: str, amount: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "billing",
        "service": "compute",
        "region": region,
        "period": "2026-01",
        "amount": amount,
        "currency": "USD",
    }
    if project is not None:
        record["project"] = project
    return record


RECORDS = [
    _incident("acme", "eu", 3_600),
    _incident("beta", "eu", 36_000),
    _incident("acme", "us", 1),
    _bill("acme", "eu", "1000.00"),
    _bill("acme", "us", "2000.00"),
    _bill("beta", "eu", "480.00"),
    _bill("beta", "us", "8000.00"),
    # A charge without a project is no project's: it is in neither eu group's fee.
    _bill(None, "eu", "50000.00"),
]


def test_the_fields_of_a_fee_are_read_in_their_order() -> None:
    service = obligo.parse(CONTRACT).services[0]
    assert isinstance(service, Service)
    assert service.fee_group_by == ("project", "region")


def test_a_fee_by_several_fields_prints_back_as_written() -> None:
    assert format_text(CONTRACT) == CONTRACT
    printed = print_contract(obligo.parse(CONTRACT))
    assert '  fee from billing records where service = "compute", by project, region\n' in printed
    assert without_locations(obligo.parse(printed)) == without_locations(obligo.parse(CONTRACT))


def test_each_group_is_credited_on_its_own_charges() -> None:
    report = obligo.evaluate(parse(CONTRACT), RECORDS, at=AT)
    owed = {
        json.dumps(c.group, sort_keys=True): c
        for c in report.consequences
        if c.period.label == "2026-01"
    }
    assert sorted(owed) == [
        '{"project": "acme", "region": "eu"}',
        '{"project": "beta", "region": "eu"}',
    ]
    acme = owed['{"project": "acme", "region": "eu"}']
    beta = owed['{"project": "beta", "region": "eu"}']
    assert acme.fee is not None and beta.fee is not None
    assert as_shown((acme.fee.amount, acme.fee.group, acme.amount)) == (
        "1000",
        {"project": "acme", "region": "eu"},
        "100.00",
    )
    assert acme.fee.detail == "billing records: 2026-01 1000.00 USD"
    assert as_shown((beta.fee.amount, beta.amount)) == ("480", "120.00")


def test_the_json_names_the_fees_group_by_its_fields() -> None:
    report = obligo.evaluate(parse(CONTRACT), RECORDS, at=AT)
    data = json.loads(report_json([report]))
    fees = [c["fee"] for c in data["consequences"] if c["period"]["label"] == "2026-01"]
    assert [(f["group"], f["amount"]) for f in fees] == [
        ({"project": "acme", "region": "eu"}, "1000"),
        ({"project": "beta", "region": "eu"}, "480"),
    ]


def test_a_group_without_a_bill_of_its_own_has_no_fee_and_says_which() -> None:
    records = [r for r in RECORDS if not (r["type"] == "billing" and r.get("project") == "beta")]
    report = obligo.evaluate(parse(CONTRACT), records, at=AT)
    [beta] = [
        c
        for c in report.consequences
        if c.group == {"project": "beta", "region": "eu"} and c.period.label == "2026-01"
    ]
    assert beta.amount is None
    assert beta.fee is not None
    assert beta.fee.detail == (
        "no billing records of compute project=beta, region=eu for the period"
    )


def _errors(text: str) -> list[tuple[int, str, str | None]]:
    return [
        (d.line, d.message, d.hint)
        for d in obligo.check(obligo.parse(text))
        if d.severity is Severity.ERROR
    ]


def test_a_fee_read_by_other_fields_than_the_metrics_is_refused_at_the_clause() -> None:
    text = CONTRACT.replace(", by project, region\n\nmetric", ", by region\n\nmetric")
    assert _errors(text) == [
        (
            13,  # clause 1
            "uptime is measured by project, region, but the fee of compute is read by region:"
            " a group's credit has no fee of its own",
            "read compute's fee `, by project, region`, or without `, by`",
        )
    ]


def test_a_fee_read_by_the_same_fields_in_another_order_is_refused() -> None:
    text = CONTRACT.replace(", by project, region\n\nmetric", ", by region, project\n\nmetric")
    assert _errors(text) == [
        (
            13,
            "uptime is measured by project, region, but the fee of compute is read by region,"
            " project: name the fields in the same order",
            "read compute's fee `, by project, region`, or without `, by`",
        )
    ]


def test_a_fee_by_one_field_priced_for_a_metric_by_another_is_refused() -> None:
    text = CONTRACT.replace(", by project, region\n\nmetric", ", by instance\n\nmetric").replace(
        "per calendar month, by project, region", "per calendar month, by region"
    )
    assert _errors(text) == [
        (
            13,
            "uptime is measured by region, but the fee of compute is read by instance: a"
            " group's credit has no fee of its own",
            "read compute's fee `, by region`, or without `, by`",
        )
    ]


def test_the_same_field_twice_is_refused_where_it_is_written() -> None:
    text = CONTRACT.replace(", by project, region\n\nmetric", ", by region, region\n\nmetric")
    try:
        obligo.parse(text)
    except obligo.ObligoError as error:
        assert (error.line, error.column, error.message) == (
            7,
            66,
            "region is named twice after `by`",
        )
    else:
        raise AssertionError("parsed")


def test_a_credit_line_names_its_group_by_its_fields() -> None:
    report = obligo.evaluate(parse(CONTRACT), RECORDS, at=AT)
    [acme] = [
        c
        for c in report.consequences
        if c.group == {"project": "acme", "region": "eu"} and c.period.label == "2026-01"
    ]
    assert [line.subject for line in acme.lines] == ["uptime for project=acme, region=eu"]


def test_the_baseline_names_a_group_of_several_fields_in_words() -> None:
    """The objective of a group of project and region reads as a promise would: not the
    engine's key of the group (["shop-prod","us-central1"])."""
    from pathlib import Path

    from click.testing import CliRunner

    from obligo.cli import cli

    repo = Path(__file__).resolve().parent.parent
    sample = repo / "contracts" / "google-compute-engine"
    done = CliRunner().invoke(
        cli,
        [
            "baseline",
            str(repo / "contracts" / "google-compute-engine.sla"),
            "--events",
            str(sample / "events.jsonl"),
            "--at",
            "2026-03-05T08:00:00Z",
        ],
    )
    assert done.exit_code == 0, done.output
    headings = [line for line in done.output.splitlines() if line.startswith("1 ")]
    assert headings == [
        '1 "Instances in Multiple Zones": multi-zone-uptime for project=shop-dev,'
        " region=us-central1 >= 99.99%",
        '1 "Instances in Multiple Zones": multi-zone-uptime for project=shop-prod,'
        " region=europe-west1 >= 99.99%",
        '1 "Instances in Multiple Zones": multi-zone-uptime for project=shop-prod,'
        " region=us-central1 >= 99.99%",
    ]

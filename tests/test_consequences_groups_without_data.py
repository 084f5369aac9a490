"""A group without data in a breached period gets no consequence line (issue 11): the breach is
another group's, and the group has nothing to credit. Exact amounts on a known log."""

from __future__ import annotations

import datetime as dt
import textwrap

import obligo
from obligo.report import Report
from report_helpers import as_shown

AT = dt.datetime(2026, 3, 15, tzinfo=dt.UTC)

# The per-region example of docs/language.md (section 8, `, by FIELD`), cut down: a promise on
# every region, a credit tier on one region picked with `for`, a second clause per region.
CONTRACT = """
contract per-region "Per region" version 1
  provider nimbus "Nimbus Cloud Ltd"
  customer acme "Acme"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency USD
  field latency_ms in ms

service compute "Compute"
  fee 1000 USD monthly

metric region-success "Successful requests, per region"
  ratio of count(request records where status < 500) to count(request records), per calendar month, by region

metric region-latency "Latency, per region"
  p99 of latency_ms in request records, per calendar month, by region

clause 1 "Region b"
  service compute
  promise region-success >= 99%
  credit
    10% of the fee when region-success for "b" < 99%

clause 2 "Latency"
  service compute
  promise region-latency <= 100 ms
  credit
    10% of the fee when region-latency > 100 ms
"""

# January: both regions answer. February: region a fails (a breach of clauses 1 and 2 for a),
# region b has no records at all.
RECORDS = [
    {"type": "request", "time": "2026-01-05T00:00:00Z", "region": "a", "status": 200, "latency_ms": 50},
    {"type": "request", "time": "2026-01-05T00:00:00Z", "region": "b", "status": 200, "latency_ms": 50},
    {"type": "request", "time": "2026-02-05T00:00:00Z", "region": "a", "status": 500, "latency_ms": 500},
]  # fmt: skip


def evaluate(records: list[dict[str, object]]) -> Report:
    contract = obligo.parse(textwrap.dedent(CONTRACT).lstrip("\n"), "groups.sla")
    return obligo.evaluate(contract, records, at=AT)


def test_a_group_without_data_in_a_breached_period_gets_no_line() -> None:
    report = evaluate(RECORDS)
    statuses = {
        (v.clause, v.group, v.period.label): v.status for v in report.verdicts if v.clause == "1"
    }
    assert statuses[("1", "a", "2026-02")] == "breached"
    assert statuses[("1", "b", "2026-02")] == "no_data"
    lines = [(o.clause, o.group, o.period.label, o.amount) for o in report.consequences]
    # Region b had no records in February: no line, not an "amount not known" one; region a's
    # latency breach is credited at 10% of 1000 USD.
    assert as_shown(lines) == [("2", "a", "2026-02", "100.00")]
    assert report.totals.without_amount == 0
    assert as_shown(report.totals.contract[0].credits) == "100.00"


def test_the_picked_group_is_still_credited_when_it_has_data() -> None:
    failing_b = {"type": "request", "time": "2026-02-07T00:00:00Z", "region": "b", "status": 503}
    report = evaluate([*RECORDS, failing_b])
    lines = sorted((o.clause, o.group or "", o.period.label, o.amount) for o in report.consequences)
    assert as_shown(lines) == [("1", "", "2026-02", "100.00"), ("2", "a", "2026-02", "100.00")]
    assert as_shown(report.totals.contract[0].credits) == "200.00"

"""Ratios and aggregates test their selections before placing records in periods (issue 11:
cost linear in the contract's size). A period that has records of the metric's type but none it
selects still reads as before: a count of 0, a mean without values, a ratio of no records."""

from __future__ import annotations

import datetime as dt
import textwrap

import obligo
from report_helpers import as_shown

AT = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
CONTRACT = """
contract pushdown "Selections first" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  field latency_ms in ms

metric x-count "Requests of x"
  count of request records where service = "x", per calendar month

metric x-mean "Mean latency of x"
  mean of latency_ms in request records where service = "x", per calendar month

metric x-success "Requests of x answered"
  ratio of count(request records where service = "x" and status < 500) to count(request records where service = "x"), per calendar month

clause 1 "x"
  promise x-count <= 5
  promise x-mean <= 100 ms
  promise x-success >= 99%
"""
# January: no request at all. February: requests of y only. March: x answered once, failed once.
RECORDS = [
    {"type": "request", "time": "2026-02-03T00:00:00Z", "service": "y", "status": 200, "latency_ms": 7},
    {"type": "request", "time": "2026-03-03T00:00:00Z", "service": "x", "status": 200, "latency_ms": 40},
    {"type": "request", "time": "2026-03-04T00:00:00Z", "service": "x", "status": 503, "latency_ms": 90},
    {"type": "request", "time": "2026-03-05T00:00:00Z", "service": "y", "status": 503, "latency_ms": 900},
]  # fmt: skip


def test_periods_with_other_records_only_read_as_periods_without_the_selected_ones() -> None:
    contract = obligo.parse(textwrap.dedent(CONTRACT).lstrip("\n"), "pushdown.sla")
    report = obligo.evaluate(contract, RECORDS, at=AT)
    got = {(v.metric, v.period.label): (v.status, v.value, v.reason) for v in report.verdicts}
    assert as_shown(got[("x-count", "2026-01")][:2]) == ("met", "0")
    assert as_shown(got[("x-count", "2026-02")][:2]) == ("met", "0")
    assert as_shown(got[("x-count", "2026-03")][:2]) == ("met", "2")
    assert got[("x-mean", "2026-01")] == ("no_data", None, "no records in the period")
    assert got[("x-mean", "2026-02")] == ("no_data", None, "no latency_ms values in the period")
    assert as_shown(got[("x-mean", "2026-03")][:2]) == ("met", "65")
    assert got[("x-success", "2026-02")] == ("no_data", None, "no records in the period")
    assert as_shown(got[("x-success", "2026-03")][:2]) == ("breached", "50")

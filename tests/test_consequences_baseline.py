"""The baseline: its periods are judged and marked, and carry no consequences; targets relative
to it are judged against the level achieved in it (the mean of its periods' values) once it
has ended."""

from __future__ import annotations

import datetime as dt
from typing import Any

import obligo
from engine_helpers import parse
from obligo.report.model import Report
from report_helpers import as_shown

CONTRACT = """
contract relative "A baseline" version 1
  term 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"
  currency EUR

service desk "Desk"
  fee 6000 EUR monthly

metric first-contact "First-contact resolution"
  ratio of count(ticket records where touches = 1) to count(ticket records), per calendar month

metric volume "Tickets"
  count of ticket records, per calendar month

clause 1 "First contact"
  service desk
  promise first-contact >= 110% of the baseline
  credit 5% of the fee when first-contact < 70%
  reward 3% of the fee when first-contact >= 80%
  penalty 100 EUR per breached month

clause 2 "Volume"
  service desk
  promise volume <= 90% of the baseline

baseline the first 3 months
"""

# Share of first-contact tickets per month (of 10 or 100 tickets).
PLAN = {1: (6, 10), 2: (7, 10), 3: (8, 10), 4: (76, 100), 5: (77, 100), 6: (69, 100)}


def tickets(plan: dict[int, tuple[int, int]]) -> list[dict[str, Any]]:
    records = []
    for month, (good, total) in plan.items():
        for index in range(total):
            records.append(
                {
                    "type": "ticket",
                    "id": f"T{month}-{index}",
                    "time": f"2026-{month:02d}-10T10:00:00+02:00",
                    "touches": 1 if index < good else 2,
                }
            )
    return records


def evaluate(records: list[dict[str, Any]], at: str) -> Report:
    return obligo.evaluate(parse(CONTRACT), records, at=dt.datetime.fromisoformat(at))


def verdicts(report: Report, clause: str) -> dict[str, tuple[bool, str, str | None, str | None]]:
    return {
        v.period.label: (v.baseline, v.status, v.target_value, v.baseline_level)
        for v in report.verdicts
        if v.clause == clause
    }


def test_a_relative_target_is_110_percent_of_the_mean_of_the_baseline_months() -> None:
    # Baseline: 60%, 70%, 80%: the level is 70%, the target 77%. April 76% is breached, May
    # 77% is met (>= includes it), June 69% breached; July is pending.
    report = evaluate(tickets(PLAN), "2026-07-15T12:00:00+02:00")
    assert as_shown(verdicts(report, "1")) == {
        "2026-01": (True, "breached", "77", "70"),
        "2026-02": (True, "breached", "77", "70"),
        "2026-03": (True, "met", "77", "70"),
        "2026-04": (False, "breached", "77", "70"),
        "2026-05": (False, "met", "77", "70"),
        "2026-06": (False, "breached", "77", "70"),
        "2026-07": (False, "pending", "77", "70"),
    }
    # Volume: 10, 10, 10 tickets: the level is 10, the target 9 tickets (<=).
    assert as_shown(verdicts(report, "2")["2026-04"]) == (False, "breached", "9", "10")
    assert report.baseline is not None
    assert (report.baseline.first, report.baseline.last, report.baseline.ended) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 31),
        True,
    )


def test_baseline_periods_carry_no_consequences() -> None:
    # January (60%) would earn the credit and the penalty, March (80%) the reward: none is
    # given. June (69%) earns the 5% credit and the penalty.
    report = evaluate(tickets(PLAN), "2026-07-15T12:00:00+02:00")
    found = {(c.clause, c.kind, c.period.label): c.amount for c in report.consequences}
    assert as_shown(found) == {
        ("1", "credit", "2026-06"): "300.00",
        ("1", "penalty", "2026-04"): "100.00",
        ("1", "penalty", "2026-06"): "100.00",
    }


def test_before_the_baseline_ends_a_relative_target_is_not_known() -> None:
    report = evaluate(tickets({1: (6, 10), 2: (7, 10)}), "2026-03-15T12:00:00+01:00")
    found = [
        (v.period.label, v.status, v.reason, v.target_value)
        for v in report.verdicts
        if v.clause == "1"
    ]
    reason = "the target is 110% of the baseline: known when the baseline ends (2026-03-31)"
    assert found == [
        ("2026-01", "no_data", reason, None),
        ("2026-02", "no_data", reason, None),
        ("2026-03", "pending", "no records in the period", None),
    ]
    assert report.consequences == []
    assert report.baseline is not None and not report.baseline.ended


def test_a_baseline_without_values_gives_no_target() -> None:
    report = evaluate(tickets({4: (76, 100)}), "2026-05-15T12:00:00+02:00")
    april = next(v for v in report.verdicts if v.clause == "1" and v.period.label == "2026-04")
    assert (april.status, april.target_value, april.reason) == (
        "no_data",
        None,
        "the baseline measured no value of first-contact: no target",
    )


WITHOUT_BASELINE = """
contract no-baseline "No baseline" version 1
  term 2026-01-01
  timezone "UTC"

metric volume "Tickets"
  count of ticket records, per calendar month

clause 1 "Volume"
  promise volume <= 90% of the baseline
"""


def test_a_relative_target_without_a_baseline_says_so() -> None:
    records = [{"type": "ticket", "time": "2026-01-10T10:00:00Z"}]
    report = obligo.evaluate(
        parse(WITHOUT_BASELINE), records, at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC)
    )
    january = report.verdicts[0]
    assert (january.baseline, january.status, january.reason) == (
        False,
        "no_data",
        "the contract declares no baseline to be relative to",
    )
    assert report.baseline is None

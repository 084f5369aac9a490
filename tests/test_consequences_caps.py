"""Caps: per period, per longer calendar unit, shared between clauses, over a trailing window
(one that binds, and one that slides past old credits), over the term; a cap's amount taken
down to the cent; caps on penalties; rewards never capped. Worked out by hand beside each test.

Every month with an incident below is 3 days down (under 95% whatever the month's length), so
every tier of the contracts holds in it. The fee is 1,000 EUR a month.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import obligo
from engine_helpers import parse
from obligo.report.model import Consequence, Report
from report_helpers import as_shown

CAPS = """
contract caps "Caps" version 1
  term 2026-01-01 to 2027-12-31
  timezone "UTC"
  currency EUR

service api "API"
  fee 1000 EUR monthly

metric uptime "Availability"
  availability of api, per calendar month
  down during incident records

clause 1 "Per month"
  service api
  credit 100% of the fee when uptime < 95%
  cap 50% of the fee per month

clause 2 "Trailing"
  service api
  credit 100% of the fee when uptime < 99.9%
  cap 10% of the fees of the last 12 months, less credits already given

clause 3 "Term"
  service api
  credit 25% of the fee when uptime < 99.9%
  cap 600 EUR over the term

clause 4 "Per quarter"
  service api
  credit 25% of the fee when uptime < 99.9%
  cap 10% of the fee per quarter

clause 5 "Shared"
  service api
  credit 8% of the fee when uptime < 99.9%
  cap 100 EUR per month, shared with clause 6

clause 6 "Sharing"
  service api
  credit 5% of the fee when uptime < 99.9%

clause 7 "Trailing, without less"
  service api
  credit 100% of the fee when uptime < 99.9%
  cap 10% of the fees of the last 12 months
"""

BREACHED = ["2026-01", "2026-02", "2026-03", "2026-04", "2027-01", "2027-02"]
AT = "2027-03-10T00:00:00+00:00"


def incident(month: str) -> dict[str, Any]:
    start = dt.datetime.fromisoformat(f"{month}-05T00:00:00+00:00")
    return {
        "type": "incident",
        "id": f"I-{month}",
        "start": start.isoformat(),
        "end": (start + dt.timedelta(days=3)).isoformat(),
    }


def evaluate(text: str, records: list[dict[str, Any]], at: str) -> Report:
    return obligo.evaluate(parse(text), records, at=dt.datetime.fromisoformat(at))


def of(report: Report, clause: str, kind: str = "credit") -> dict[str, Consequence]:
    return {c.period.label: c for c in report.consequences if (c.clause, c.kind) == (clause, kind)}


REPORT = evaluate(CAPS, [incident(m) for m in BREACHED], AT)


def test_a_cap_per_period_binds() -> None:
    january = of(REPORT, "1")["2026-01"]
    assert as_shown((january.before_caps, january.after_caps, january.amount)) == (
        "1000",
        "500",
        "500.00",
    )
    (cap,) = january.caps
    assert as_shown((cap.cap, cap.kind, cap.limit, cap.before, cap.after, cap.bound)) == (
        "50% of the fee per month",
        "period",
        "500",
        "1000",
        "500",
        True,
    )
    assert cap.location.line == 16  # the `cap` line


def test_a_trailing_cap_binds_and_its_window_slides() -> None:
    found = of(REPORT, "2")
    # 2026: the window starts at the term's start. January: 10% of 1000, nothing given: 100.
    # February: 10% of 2000 less 100 given: 100. March 300 − 200, April 400 − 300: 100 each.
    # 2027-01: the window is February 2026 to January 2027 (12 × 1000): 1200 less the 300
    # given in February to April 2026 (January 2026 has left the window): 900.
    # 2027-02: March 2026 to February 2027: 1200 less 200 (March, April) and 900 (January).
    expected = {
        "2026-01": ("1000", "100"),
        "2026-02": ("1000", "100"),
        "2026-03": ("1000", "100"),
        "2026-04": ("1000", "100"),
        "2027-01": ("1000", "900"),
        "2027-02": ("1000", "100"),
    }
    assert (
        as_shown({label: (c.before_caps, c.after_caps) for label, c in found.items()}) == expected
    )
    assert all(c.caps[0].bound for c in found.values())
    january = found["2027-01"].caps[0]
    assert as_shown((january.kind, january.limit)) == ("trailing", "900")
    assert january.arithmetic == (
        "10% × fees 12000 EUR of 2026-02-01 to 2027-01-31 = 1200 EUR, less 300 EUR already given"
    )


def test_a_trailing_cap_without_less_credits_is_the_share_of_the_windows_fees() -> None:
    found = of(REPORT, "7")
    assert as_shown({label: c.amount for label, c in found.items()}) == {
        "2026-01": "100.00",
        "2026-02": "200.00",
        "2026-03": "300.00",
        "2026-04": "400.00",
        "2027-01": "1000.00",  # 1200 allowed, 1000 owed: not bound
        "2027-02": "1000.00",
    }
    assert not found["2027-01"].caps[0].bound


def test_a_term_cap_counts_every_earlier_period() -> None:
    found = of(REPORT, "3")
    assert as_shown({label: c.amount for label, c in found.items()}) == {
        "2026-01": "250.00",
        "2026-02": "250.00",
        "2026-03": "100.00",  # 600 − 500 given
        "2026-04": "0.00",
        "2027-01": "0.00",
        "2027-02": "0.00",
    }
    assert (
        as_shown(found["2026-04"].lines[0].amount) == "250"
    )  # the line applies, the cap leaves nothing


def test_a_cap_per_quarter_limits_the_months_of_the_quarter_together() -> None:
    found = of(REPORT, "4")
    # 10% of a quarter's fee (3000) = 300 per quarter: January 250, February 50, March 0;
    # April begins the second quarter.
    assert as_shown({label: c.amount for label, c in found.items()}) == {
        "2026-01": "250.00",
        "2026-02": "50.00",
        "2026-03": "0.00",
        "2026-04": "250.00",
        "2027-01": "250.00",
        "2027-02": "50.00",
    }
    assert found["2026-02"].caps[0].arithmetic == (
        "10% × 3000 EUR = 300 EUR for 2026-01-01/2026-03-31,"
        " less 250 EUR already given in 2026-01-01/2026-03-31"
    )


def test_a_shared_cap_is_taken_by_the_clauses_in_turn() -> None:
    # Clause 5 owes 80, clause 6 owes 50: 100 together; clause 5 first, clause 6 what is left.
    five, six = of(REPORT, "5")["2026-01"], of(REPORT, "6")["2026-01"]
    assert as_shown((five.amount, six.amount)) == ("80.00", "20.00")
    assert as_shown([(c.kind, c.limit, c.bound) for c in five.caps]) == [("shared", "100", False)]
    assert as_shown([(c.kind, c.limit, c.bound) for c in six.caps]) == [("shared", "20", True)]
    assert six.caps[0].cap == "100 EUR per month, shared with clause 6"


CENTS = """
contract cents "A cap of a fraction of a cent" version 1
  term 2026-01-01
  timezone "UTC"
  currency EUR

service api "API"
  fee 1234.57 EUR monthly

metric uptime "Availability"
  availability of api, per calendar month
  down during incident records

clause 1 "Availability"
  service api
  credit 100% of the fee when uptime < 99.9%
  reward 1% of the fee when uptime >= 99.99%
  cap 50% of the fee per month
"""


def test_a_caps_amount_is_taken_down_to_the_cent() -> None:
    # 50% of 1234.57 = 617.285: the cap allows 617.28, never 617.29 (half-up of 617.285).
    report = evaluate(CENTS, [incident("2026-01")], "2026-03-10T00:00:00+00:00")
    january = of(report, "1")["2026-01"]
    assert as_shown((january.caps[0].limit, january.amount)) == ("617.28", "617.28")
    # A reward is never capped: February is 100%, the reward is 1% of 1234.57 = 12.3457.
    february = of(report, "1", "reward")["2026-02"]
    assert as_shown((february.amount, february.caps)) == ("12.35", [])


PENALTY_CAP = """
contract penalty-cap "A cap on penalties" version 1
  term 2026-01-01
  timezone "UTC"
  currency USD

metric uptime "Availability"
  availability, per calendar month
  down during incident records

clause 1 "Availability"
  promise uptime >= 99.9%
  penalty 400 USD per breached month
  cap 1000 USD over the term
"""


def test_a_clause_without_credits_caps_its_penalties() -> None:
    months = ["2026-01", "2026-02", "2026-03", "2026-04"]
    report = evaluate(PENALTY_CAP, [incident(m) for m in months], "2026-05-10T00:00:00+00:00")
    found = of(report, "1", "penalty")
    assert as_shown({label: c.amount for label, c in found.items()}) == {
        "2026-01": "400.00",
        "2026-02": "400.00",
        "2026-03": "200.00",
        "2026-04": "0.00",
    }
    assert as_shown(report.totals.contract[0].penalties) == "1000.00"

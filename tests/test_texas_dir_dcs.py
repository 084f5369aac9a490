"""The Texas DIR Data Center Services exhibit (issue 13: "a state IT outsourcing agreement with
amounts at risk and earn-back"), on the shipped contract and its shipped sample log.

Exhibit 3's credit is A × B × C: the contract's allocation (20%, the exhibit's example 50% × 40%)
of the At-Risk Amount (10% of the month's invoice). Its earn-back rule is not public: the
contract's `earn back when met in the next 3 months` is an ASSUMPTION, marked in the file. The
numbers are worked by hand in contracts/texas-dir-dcs/README.md."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import obligo
from obligo.report.model import Consequence, Report

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
CONTRACT = CONTRACTS / "texas-dir-dcs.sla"
SAMPLE = CONTRACTS / "texas-dir-dcs"


def shipped_events() -> list[dict[str, Any]]:
    lines = (SAMPLE / "events.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def invoices(*months: str) -> list[dict[str, Any]]:
    return [
        {"type": "invoice", "period": m, "amount": "100000.00", "currency": "USD"} for m in months
    ]


def evaluate(records: list[dict[str, Any]], at: str) -> Report:
    return obligo.evaluate(obligo.load(CONTRACT), records, at=dt.datetime.fromisoformat(at))


def credits(report: Report) -> dict[str, Consequence]:
    return {c.period.label: c for c in report.consequences if c.kind == "credit"}


def test_the_earn_back_is_marked_as_an_assumption_in_the_contract() -> None:
    text = CONTRACT.read_text(encoding="utf-8")
    before, line, _ = text.partition("  earn back when met in the next 3 months\n")
    assert line, "the contract earns back over the next 3 months"
    assert "# ASSUMPTION (earn-back)" in before.splitlines()[-4]
    assert "ASSUMPTION (earn-back)" in (SAMPLE / "README.md").read_text(encoding="utf-8")


def test_sample_owed_earned_back_and_provisional_credits() -> None:
    report = evaluate(shipped_events(), "2026-07-10T12:00:00+00:00")
    found = credits(report)
    assert sorted(found) == ["2026-01", "2026-02", "2026-06"]

    # January: 20% x 10% x 100,000; February, the first month of its window, breached: owed.
    january = found["2026-01"]
    assert january.amount == Decimal("2000.00")
    assert january.earn_back is not None
    assert (january.earn_back.state, january.earn_back.decided_in) == ("owed", "2026-02")
    assert january.claim is not None and not january.claim.required

    # February: 20% x 10% x 95,000 = 1,900, given back: March, April and May were met.
    february = found["2026-02"]
    assert february.before_caps == Decimal("1900")
    assert february.amount == Decimal("0.00")
    assert february.earn_back is not None
    assert (february.earn_back.state, february.earn_back.periods_met) == ("earned_back", 3)
    assert february.earn_back.decided_in == "2026-05"

    # June: 20% x 10% x 110,000 = 2,200, provisional while July is pending; no claim yet.
    june = found["2026-06"]
    assert june.amount == Decimal("2200.00")
    assert june.earn_back is not None
    assert june.earn_back.state == "provisional"
    assert (june.earn_back.periods_met, june.earn_back.periods_left) == (0, 3)
    assert june.claim is None

    (total,) = report.totals.contract
    assert (total.credits, total.credits_provisional) == (Decimal("2000.00"), Decimal("2200.00"))


def test_provisional_credit_counts_the_months_met_so_far() -> None:
    # 10 September: July and August met, September pending: one month left.
    report = evaluate(
        shipped_events() + invoices("2026-07", "2026-08"), "2026-09-10T12:00:00+00:00"
    )
    june = credits(report)["2026-06"]
    assert june.earn_back is not None
    assert (june.earn_back.state, june.earn_back.periods_met, june.earn_back.periods_left) == (
        "provisional",
        2,
        1,
    )
    (total,) = report.totals.contract
    assert (total.credits, total.credits_provisional) == (Decimal("2000.00"), Decimal("2200.00"))


def test_credit_earned_back_when_the_three_months_are_met() -> None:
    report = evaluate(
        shipped_events() + invoices("2026-07", "2026-08", "2026-09"), "2026-10-10T12:00:00+00:00"
    )
    june = credits(report)["2026-06"]
    assert june.earn_back is not None
    assert (june.earn_back.state, june.earn_back.decided_in) == ("earned_back", "2026-09")
    assert june.amount == Decimal("0.00")
    (total,) = report.totals.contract
    assert (total.credits, total.credits_provisional) == (Decimal("2000.00"), Decimal("0.00"))


def test_credit_owed_when_the_last_month_of_its_window_is_breached() -> None:
    # 60 minutes of Platinum outage in September (43,200 minutes): 99.8611...% < 99.9%.
    outage = {
        "type": "outage",
        "id": "DCS-0915",
        "tier": "platinum",
        "start": "2026-09-15T10:00:00-05:00",
        "end": "2026-09-15T11:00:00-05:00",
    }
    report = evaluate(
        shipped_events() + invoices("2026-07", "2026-08", "2026-09") + [outage],
        "2026-10-10T12:00:00+00:00",
    )
    found = credits(report)
    june = found["2026-06"]
    assert june.earn_back is not None
    assert (june.earn_back.state, june.earn_back.decided_in) == ("owed", "2026-09")
    assert june.amount == Decimal("2200.00")
    # September's own credit, 20% x 10% x 100,000, is provisional in its turn (October pending).
    september = found["2026-09"]
    assert september.amount == Decimal("2000.00")
    assert september.earn_back is not None and september.earn_back.state == "provisional"
    (total,) = report.totals.contract
    assert (total.credits, total.credits_provisional) == (Decimal("4200.00"), Decimal("2000.00"))

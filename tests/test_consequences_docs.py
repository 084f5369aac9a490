"""docs/consequences.md: the worked examples give the numbers the page states. (That every
```sla block of the page parses and checks cleanly is tested with the other pages' blocks, in
tests/test_examples.py.)"""

from __future__ import annotations

import datetime as dt
from typing import Any

import obligo
from obligo.model.contract import Contract
from obligo.report.model import Report
from report_helpers import as_shown
from test_examples import DOCS, doc_blocks, doc_contract_name

PAGE = "consequences.md"
DOC = DOCS / PAGE


def blocks() -> dict[str, str]:
    """The page's examples by the name of their contract (tests/test_examples.py checks them)."""
    return {doc_contract_name(block): block for _, block in doc_blocks(PAGE)}


def contract(name: str) -> Contract:
    return obligo.parse(blocks()[name], filename=f"docs/{PAGE}:{name}")


def test_the_doc_has_its_examples_and_decisions() -> None:
    assert set(blocks()) == {"relative", "rolling", "worked", "dcs"}
    assert "## 12. Decisions taken" in DOC.read_text(encoding="utf-8")


def evaluate(name: str, records: list[dict[str, Any]], at: str) -> Report:
    return obligo.evaluate(contract(name), records, at=dt.datetime.fromisoformat(at))


def test_the_worked_example() -> None:
    records = [
        {"type": "incident", "start": "2026-01-10T00:00:00Z", "end": "2026-01-10T10:00:00Z"},
        {"type": "incident", "start": "2026-02-10T00:00:00Z", "end": "2026-02-10T00:30:00Z"},
    ]
    report = evaluate("worked", records, "2026-03-15T00:00:00Z")
    found = {(c.clause, c.period.label): c for c in report.consequences}
    assert sorted(found) == [("1", "2026-01"), ("2", "2026-01"), ("2", "2026-02")]
    january = found[("1", "2026-01")]
    assert as_shown((january.before_caps, january.amount)) == ("1000", "400.00")
    assert january.caps[0].bound
    assert january.claim is not None
    assert (january.claim.last_day, january.claim.passed) == (dt.date(2026, 3, 2), True)
    assert as_shown(found[("2", "2026-01")].amount) == "1290.32"
    assert as_shown(found[("2", "2026-02")].amount) == "142.86"
    (total,) = report.totals.contract
    assert as_shown((total.credits, total.credits_claim_passed)) == ("1833.18", "400.00")
    text = DOC.read_text(encoding="utf-8")
    for stated in ("**400.00 EUR**", "**1290.32 EUR**", "**142.86 EUR**", "1,833.18 EUR"):
        assert stated in text


def test_the_relative_example() -> None:
    shares = {1: 60, 2: 70, 3: 80, 4: 76, 5: 77}
    records = [
        {
            "type": "ticket",
            "time": f"2026-{month:02d}-10T10:00:00Z",
            "touches": 1 if i < good else 2,
        }
        for month, good in shares.items()
        for i in range(100)
    ]
    report = evaluate("relative", records, "2026-06-10T00:00:00Z")
    statuses = {v.period.label: (v.status, v.target_value) for v in report.verdicts}
    assert as_shown(statuses["2026-04"]) == ("breached", "77")
    assert as_shown(statuses["2026-05"]) == ("met", "77")
    # January's 60% (the credit) and March's 80% (the reward) are in the baseline.
    assert report.consequences == []


def test_the_rolling_example() -> None:
    records: list[dict[str, Any]] = [
        {"type": "request", "time": f"{day.isoformat()}T12:00:00Z", "latency_ms": 100}
        for day in (dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(78))
    ]
    records += [
        {"type": "request", "time": "2026-02-10T13:00:00Z", "latency_ms": 600},
        {"type": "outage", "start": "2026-02-14T23:00:00Z", "end": "2026-02-15T01:30:00Z"},
    ]
    report = evaluate("rolling", records, "2026-03-20T00:00:00Z")
    found = {(c.clause, c.period.label): c.amount for c in report.consequences}
    assert as_shown(found) == {
        ("1", "2026-01-15/2026-02-14"): "750.00",
        ("2", "2026-01-15/2026-02-14"): "96.77",
        ("2", "2026-02-15/2026-03-14"): "214.29",
    }
    breached = [
        v.period.label
        for v in report.verdicts
        if v.clause == "1" and v.status == "breached" and v.period.label >= "2026-02-15"
    ]
    assert (breached[0], breached[-1]) == ("2026-02-15", "2026-03-11")
    (total,) = report.totals.contract
    assert as_shown(total.credits) == "1061.06"
    text = DOC.read_text(encoding="utf-8")
    for stated in ("**750.00 USD**", "**96.77 USD**", "**214.29 USD**", "1,061.06 USD"):
        assert stated in text


def test_the_amount_at_risk_example() -> None:
    """Section 13: the page's own contract, the log it describes, the numbers it states."""
    records: list[dict[str, Any]] = [
        {
            "type": "outage",
            "system": "mainframe",
            "start": "2026-01-10T00:00:00Z",
            "end": "2026-01-10T02:00:00Z",
        },
        {
            "type": "outage",
            "system": "server",
            "start": "2026-01-12T00:00:00Z",
            "end": "2026-01-12T10:00:00Z",
        },
        {
            "type": "outage",
            "system": "server",
            "start": "2026-03-12T00:00:00Z",
            "end": "2026-03-12T10:00:00Z",
        },
        {"type": "backup", "time": "2026-01-05T00:00:00Z", "ok": False},
        {"type": "backup", "time": "2026-04-05T00:00:00Z", "ok": False},
        {"type": "backup", "time": "2026-05-05T00:00:00Z", "ok": True},
    ]
    report = evaluate("dcs", records, "2026-05-20T00:00:00Z")
    found = {(c.clause, c.period.label): c for c in report.consequences}
    states = {
        key: (as_shown(c.amount), c.earn_back.state if c.earn_back else None)
        for key, c in found.items()
    }
    assert states == {
        ("2.1", "2026-01"): ("0.00", "earned_back"),
        ("2.2", "2026-01"): ("9000.00", "owed"),
        ("2.2", "2026-03"): ("9000.00", "provisional"),
        ("3.1", "2026-04"): ("3000.00", "provisional"),
    }
    (total,) = report.totals.contract
    assert as_shown((total.credits, total.credits_provisional)) == ("9000.00", "12000.00")
    text = DOC.read_text(encoding="utf-8")
    for stated in ("**9,000.00 USD**", "credits 9,000.00 USD; provisional credits 12,000.00 USD"):
        assert stated in text

"""docs/consequences.md: every ```sla block is a complete contract that parses and checks
cleanly, and the worked examples give the numbers the page states."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

import obligo
from obligo.errors import Severity
from obligo.model.contract import Contract
from obligo.report.model import Report

DOC = Path(__file__).resolve().parent.parent / "docs" / "consequences.md"


def blocks() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    found = {}
    for match in re.finditer(r"^```sla[ \t]*\n(.*?)^```[ \t]*$", text, re.M | re.S):
        name = re.search(r"^contract\s+(\S+)", match.group(1), re.M)
        assert name is not None, "an sla block is a complete contract"
        found[name.group(1)] = match.group(1)
    return found


def contract(name: str) -> Contract:
    parsed = obligo.parse(blocks()[name], filename=f"docs/consequences.md:{name}")
    findings = obligo.check(parsed)
    assert not [d for d in findings if d.severity in (Severity.ERROR, Severity.WARNING)], [
        d.format() for d in findings
    ]
    return parsed


@pytest.mark.parametrize("name", sorted(blocks()))
def test_doc_example_parses_and_checks(name: str) -> None:
    contract(name)


def test_the_doc_has_its_examples_and_decisions() -> None:
    assert set(blocks()) == {"relative", "worked"}
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
    assert (january.before_caps, january.amount) == ("1000", "400.00")
    assert january.caps[0].bound
    assert january.claim is not None
    assert (january.claim.last_day, january.claim.passed) == (dt.date(2026, 3, 2), True)
    assert found[("2", "2026-01")].amount == "1290.32"
    assert found[("2", "2026-02")].amount == "142.86"
    (total,) = report.totals.contract
    assert (total.credits, total.credits_claim_passed) == ("1833.18", "400.00")
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
    assert statuses["2026-04"] == ("breached", "77")
    assert statuses["2026-05"] == ("met", "77")
    # January's 60% (the credit) and March's 80% (the reward) are in the baseline.
    assert report.consequences == []

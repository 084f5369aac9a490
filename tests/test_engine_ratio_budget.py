"""The error budget of a ratio is in the ratio's own unit: records for a ratio of counts (a whole
number of them), the summed field's declared unit for a ratio of sums (`minutes`, exact, never
rounded down), a neutral `units` when the fields declare none or several. Hand-computed on small
logs: the budget left is the largest k with good / (total + k) still meeting the target."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from typing import Any

import pytest

from engine_helpers import evaluate, parse
from obligo.engine.numbers import decimal_text
from obligo.render import report_json, report_text

AT = dt.datetime(2026, 3, 10, tzinfo=dt.UTC)  # March is pending


def contract(units: str, ratio: str, op: str = ">=", target: str = "99.5%") -> str:
    return f"""
contract budget "Budget units"
  term 2026-01-01
  timezone "UTC"
{units}
metric uptime "Available minutes"
  {ratio}, per calendar month

clause 1 "Uptime"
  promise uptime {op} {target}
"""


SUMS = (
    "ratio of sum(deployed in day records) minus sum(down in day records) to sum(deployed in day"
    " records)"
)
COUNTS = "ratio of count(request records where failed = false) to count(request records)"


def day(deployed: int, down: int) -> dict[str, Any]:
    return {"type": "day", "time": "2026-03-02T00:00:00Z", "deployed": deployed, "down": down}


def budget(text: str, events: list[dict[str, Any]]) -> dict[str, str]:
    report = evaluate(parse(text), events, at=AT)
    document = json.loads(report_json([report]))
    (march,) = [v for v in document["verdicts"] if v["period"]["label"] == "2026-03"]
    assert march["status"] == "pending"
    found: dict[str, str] = march["error_budget"]
    return found


# 1,000 minutes so far, 1 down, `>= 99.5%`: k <= 999 / 0.995 - 1,000 = 800/199 = 4.0201...
EXACT = Fraction(999 * 200, 199) - 1000
LOG = [day(600, 1), day(400, 0)]


def test_a_ratio_of_minutes_keeps_the_minutes_and_the_fraction() -> None:
    text = contract("  field deployed in minutes\n  field down in minutes\n", SUMS)
    assert EXACT == Fraction(800, 199)
    assert budget(text, LOG) == {
        "remaining": decimal_text(EXACT),
        "unit": "minutes",
        "used": decimal_text(1 / (1 + EXACT) * 100),
    }
    report = evaluate(parse(text), LOG, at=AT)
    # The text report writes the minutes as people do: 4.020100503 minutes = 241.20603018 s.
    assert "budget left 4 min 1.20603018 s" in report_text([report])
    assert decimal_text(EXACT) == "4.020100503"  # not 4, and not "failed records"


def test_without_a_declared_unit_the_budget_counts_neutral_units() -> None:
    assert budget(contract("", SUMS), LOG)["unit"] == "units"
    assert budget(contract("", SUMS), LOG)["remaining"] == decimal_text(EXACT)


def test_fields_in_different_units_give_neutral_units() -> None:
    text = contract("  field deployed in minutes\n  field down in hours\n", SUMS)
    assert budget(text, LOG)["unit"] == "units"


def test_a_ratio_of_seconds_is_not_read_as_downtime() -> None:
    """A field in seconds makes the unit "seconds"; the budget is still the ratio's (k more
    seconds), not the period's counted time less the downtime."""
    text = contract("  field deployed in seconds\n  field down in seconds\n", SUMS)
    assert budget(text, LOG) == {
        "remaining": decimal_text(EXACT),
        "unit": "seconds",
        "used": decimal_text(1 / (1 + EXACT) * 100),
    }


def test_strictly_above_keeps_the_exact_bound() -> None:
    """With `>`, the unavailable minutes must stay below the bound: the bound is given exactly."""
    text = contract("  field deployed in minutes\n  field down in minutes\n", SUMS, op=">")
    assert budget(text, LOG)["remaining"] == decimal_text(EXACT)


def test_a_spent_budget_is_negative_and_exact() -> None:
    """10 down of 1,000 at `>= 99.5%`: 990 / 0.995 - 1,000 = -1,000/199 minutes."""
    text = contract("  field deployed in minutes\n  field down in minutes\n", SUMS)
    found = budget(text, [day(1000, 10)])
    assert found["remaining"] == decimal_text(Fraction(990 * 200, 199) - 1000)
    assert Fraction(990 * 200, 199) - 1000 == Fraction(-1000, 199)


@pytest.mark.parametrize(("op", "remaining"), [(">=", "4"), (">", "4")])
def test_a_ratio_of_counts_still_counts_whole_failed_records(op: str, remaining: str) -> None:
    """1,000 requests, 1 failed, `>= 99.5%`: 4.0201 more failures allowed, so 4 whole ones."""
    events = [
        {"type": "request", "time": "2026-03-02T00:00:00Z", "failed": i == 0} for i in range(1000)
    ]
    found = budget(contract("", COUNTS, op=op), events)
    assert found["unit"] == "failed records"
    assert found["remaining"] == remaining
    assert found["used"] == "20"  # 1 of 1 + 4

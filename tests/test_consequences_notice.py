"""Remedies triggered by the customer's notice: ``claim requires the outage not fixed within
2 hours of its notified``. The notice is a field of the outage record (its time); an outage
counts towards the credit only if it was not fixed (its end) within 2 hours of it. Counted by
hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import obligo
from engine_helpers import evaluate, parse
from obligo.errors import Severity

NOTICE = """
contract dia
  term 2026-01-01
  timezone "UTC"
  currency USD

service port
  fee 3100 USD monthly

metric outage-time
  total duration of outage records, per calendar month

clause 1 "Time to repair"
  service port
  promise outage-time = 0 h
  credit 1 day of the fee per started hour of outage-time
  claim requires the outage not fixed within 2 hours of its notified
  claim not required
"""


def outage(name: str, start: str, end: str | None, notified: str | None) -> dict[str, Any]:
    record: dict[str, Any] = {"type": "outage", "id": name, "start": start}
    if end is not None:
        record["end"] = end
    if notified is not None:
        record["notified"] = notified
    return record


EVENTS = [
    # fixed at 11:00, within 2 hours of the 10:30 notice: no credit
    outage("a", "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z", "2026-03-02T10:30:00Z"),
    # notice 13:15, due 15:15, fixed 17:00: credited, 4 hours
    outage("b", "2026-03-02T13:00:00Z", "2026-03-02T17:00:00Z", "2026-03-02T13:15:00Z"),
    # never notified: no credit
    outage("c", "2026-03-03T20:00:00Z", "2026-03-03T23:00:00Z", None),
    # fixed exactly 2 hours after the notice: fixed within them, no credit
    outage("d", "2026-03-04T08:00:00Z", "2026-03-04T10:00:00Z", "2026-03-04T08:00:00Z"),
    # still open at the evaluation time (2026-04-01T01:00), notice 22:30, due 00:30: credited,
    # with its 2 hours in March
    outage("e", "2026-03-31T22:00:00Z", None, "2026-03-31T22:30:00Z"),
]
AT = dt.datetime(2026, 4, 1, 1, 0, tzinfo=dt.UTC)


def march_credit(events: list[dict[str, Any]] = EVENTS, at: dt.datetime = AT) -> Any:
    report = evaluate(parse(NOTICE), events, at=at)
    return next(c for c in report.consequences if c.period.label == "2026-03")


def test_only_outages_not_fixed_within_two_hours_of_the_notice_are_credited() -> None:
    """b (4 hours) and e (2 hours in March): 6 started hours, 6 days of 3,100 / 31 = 600 USD."""
    credit = march_credit()
    assert credit.amount == Decimal("600.00")
    (check,) = credit.claim.requirements
    assert check.requirement == "the outage not fixed within 2 h of its notified"
    assert (check.records, check.qualifying) == (5, 2)
    assert check.not_qualifying == ["outage a", "outage c", "outage d"]


def test_an_open_outage_counts_once_its_time_to_fix_has_passed() -> None:
    """At 00:15 e has been open for 1 h 45 min after its notice: not yet; only b's 4 hours."""
    early = dt.datetime(2026, 4, 1, 0, 15, tzinfo=dt.UTC)
    assert march_credit(at=early).amount == Decimal("400.00")


def test_printer_writes_the_requirement_back() -> None:
    text = NOTICE.lstrip("\n")
    assert obligo.format_contract(text) == text


def test_the_notice_field_is_read_as_a_time() -> None:
    bad = [outage("b", "2026-03-02T13:00:00Z", "2026-03-02T17:00:00Z", "yesterday")]
    with pytest.raises(obligo.ObligoError) as raised:
        evaluate(parse(NOTICE), bad, at=AT)
    assert "notified" in str(raised.value)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "claim requires the outage not fixed within 0 hours of its notified",
            "the time to fix must be longer than zero",
        ),
        (
            "claim requires the ticket not fixed within 2 hours of its notified",
            "no metric of clause 1 measures ticket records",
        ),
    ],
)
def test_a_requirement_that_holds_nothing_back_is_an_error_at_it(line: str, message: str) -> None:
    text = NOTICE.replace(
        "claim requires the outage not fixed within 2 hours of its notified", line
    )
    errors = [d for d in obligo.check(obligo.parse(text)) if d.severity is Severity.ERROR]
    assert [e.message for e in errors if message in e.message]
    assert all(e.line == 17 for e in errors)  # the requirement's line

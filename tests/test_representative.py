"""The customer's representative: named in the report (text and JSON), and the party an
escalation or a notice before the end of the term goes to (``escalate to the customer's
representative when ...``, ``notify the customer's representative 90 days before ...``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import obligo
from engine_helpers import assessment, evaluate, parse
from obligo.api import evaluate_agreements
from obligo.render import report_json, report_text
from obligo.syntax import printer

REPRESENTED = """
contract rep "Representative" version 1
  customer acme "Acme Corp" represented by "Head of IT"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric uptime "Availability"
  availability, per calendar month
  down during incident records

clause 1 "Availability"
  promise uptime >= 99.9%
  escalate to the customer's representative when breached in 2 consecutive months

notify the customer's representative 90 days before the end of the term
"""

AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def incident(day: str) -> dict[str, Any]:
    return {
        "type": "incident",
        "id": f"INC-{day}",
        "start": f"{day}T10:00:00+00:00",
        "end": f"{day}T11:00:00+00:00",
    }


RECORDS = [incident("2026-01-10"), incident("2026-02-10")]


def test_the_escalation_and_the_notice_go_to_the_role_that_represents_the_customer() -> None:
    found = assessment(parse(REPRESENTED), RECORDS, AT)
    (notice,) = found.escalations
    assert (notice.to, notice.due_at) == ("Head of IT", dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    assert notice.trigger == "breached in 2 consecutive months"
    (fired,) = found.triggers
    # 90 days before 1 January 2027 is 3 October 2026.
    assert (fired.kind, fired.to, fired.fired_at) == (
        "notice",
        "Head of IT",
        dt.datetime(2026, 10, 3, tzinfo=dt.UTC),
    )
    assert fired.reason == "notify Head of IT: the term ends on 2026-12-31, 90 days from 2026-10-03"


def test_the_report_names_the_customer_and_its_representative() -> None:
    report = evaluate(parse(REPRESENTED), RECORDS, AT)
    data = json.loads(report_json([report]))
    assert data["customer"] == {"id": "acme", "title": "Acme Corp", "representative": "Head of IT"}
    lines = report_text([report]).splitlines()
    assert lines[:2] == [
        'contract rep "Representative" version 1',
        'customer acme "Acme Corp", represented by Head of IT',
    ]
    assert (
        "  2026-03-01T00:00:00+00:00  clause 1: notify Head of IT (breached in 2 consecutive"
        " months)" in lines
    )


def test_a_report_without_a_customer_has_no_customer_key() -> None:
    text = REPRESENTED.replace('  customer acme "Acme Corp" represented by "Head of IT"\n', "")
    text = text.replace("the customer's representative", '"Operations"')
    report = evaluate(parse(text), RECORDS, AT)
    assert "customer" not in json.loads(report_json([report]))
    assert report_text([report]).splitlines()[1].startswith("evaluated at ")


def test_the_representative_prints_back_as_written() -> None:
    contract = parse(REPRESENTED)
    (escalation,) = contract.clauses[0].escalations
    assert (escalation.to, escalation.representative) == (None, True)
    (notification,) = contract.notifications
    assert (notification.to, notification.representative) == (None, True)
    text = printer.print_contract(contract)
    assert (
        "  escalate to the customer's representative when breached in 2 consecutive months\n"
        in text
    )
    assert "\nnotify the customer's representative 90 days before the end of the term\n" in text


@pytest.mark.parametrize(
    ("customer_line", "message", "hint"),
    [
        (
            '  customer acme "Acme Corp"\n',
            "the customer's representative: customer acme is represented by no one",
            'add `represented by "Role"` to the line of customer acme',
        ),
        (
            "",
            "the customer's representative: this agreement names no customer",
            'name the customer and its representative: customer acme "Acme Corp" represented by'
            ' "Head of IT"',
        ),
    ],
)
def test_a_representative_that_no_customer_line_names_is_an_error_at_each_use(
    customer_line: str, message: str, hint: str
) -> None:
    text = REPRESENTED.replace(
        '  customer acme "Acme Corp" represented by "Head of IT"\n', customer_line
    ).lstrip("\n")
    found = obligo.check(obligo.parse(text, "x.sla"))
    lines = text.splitlines()
    escalate = next(n for n, line in enumerate(lines, 1) if "escalate to" in line)
    notify = next(n for n, line in enumerate(lines, 1) if line.startswith("notify"))
    assert [(d.message, d.hint, d.line, d.column) for d in found] == [
        (message, hint, escalate, 15),  # at "the customer's representative"
        (message, hint, notify, 8),
    ]


# ------------------------------------------------------------------------- levels
CORPORATE = """\
contract corp "Corporate" version 1
  kind multi-level
  level corporate
  provider nimbus "Nimbus"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

service db "Database"
  delivered by nimbus

metric uptime "Availability"
  availability of db, per calendar month
  down during incident records

clause 1 "Availability"
  promise uptime >= 99.9%
  escalate to the customer's representative when breached in 2 consecutive months
"""

CUSTOMER = """\
import "corporate.sla"

contract corp-{name} "{title}" version 1
  kind multi-level
  level customer {name}
  customer {name} "{title}" represented by "{role}"
"""


def test_a_corporate_escalation_goes_to_each_customers_own_representative(
    tmp_path: Path,
) -> None:
    (tmp_path / "corporate.sla").write_text(CORPORATE, encoding="utf-8")
    for name, title, role in [("globex", "Globex", "CFO"), ("initech", "Initech", "CTO")]:
        text = CUSTOMER.format(name=name, title=title, role=role)
        (tmp_path / f"{name}.sla").write_text(text, encoding="utf-8")
    log = tmp_path / "events.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    agreements = obligo.load_agreements(
        [tmp_path / "corporate.sla", tmp_path / "globex.sla", tmp_path / "initech.sla"]
    )
    portfolio = evaluate_agreements(agreements, [str(log)], at=AT)
    found = {
        (s.customer, s.report.customer.representative if s.report.customer else None): [
            n.to for n in s.report.escalations
        ]
        for s in portfolio.sections
    }
    # The corporate level's service for any other customer names no representative: the notice
    # still says whom, in the contract's words.
    assert found == {
        ("globex", "CFO"): ["CFO"],
        ("initech", "CTO"): ["CTO"],
        (None, None): ["the customer's representative"],
    }


# ------------------------------------------------------------------------- reviews
REVIEWS = """\
contract rev "Reviews" version 1
  customer acme "Acme Corp" represented by "Head of IT"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

review every 3 months from 2026-01-01 with the customer's representative
review every 6 months from 2026-01-01 with "Service board"
review every 6 months from 2026-03-01
"""


def test_a_review_is_held_with_the_party_it_names() -> None:
    found = assessment(parse(REVIEWS), [], dt.datetime(2026, 7, 1, tzinfo=dt.UTC))
    assert [(t.fired_at.date().isoformat(), t.to, t.reason) for t in found.triggers] == [
        (
            "2026-01-01",
            "Head of IT",
            "scheduled review 1 with Head of IT (every 3 months from 2026-01-01)",
        ),
        (
            "2026-01-01",
            "Service board",
            "scheduled review 1 with Service board (every 6 months from 2026-01-01)",
        ),
        ("2026-03-01", None, "scheduled review 1 (every 6 months from 2026-03-01)"),
        (
            "2026-04-01",
            "Head of IT",
            "scheduled review 2 with Head of IT (every 3 months from 2026-01-01)",
        ),
        (
            "2026-07-01",
            "Head of IT",
            "scheduled review 3 with Head of IT (every 3 months from 2026-01-01)",
        ),
        (
            "2026-07-01",
            "Service board",
            "scheduled review 2 with Service board (every 6 months from 2026-01-01)",
        ),
    ]


def test_a_review_prints_back_with_its_party() -> None:
    contract = parse(REVIEWS)
    assert [(r.to, r.representative) for r in contract.reviews] == [
        (None, True),
        ("Service board", False),
        (None, False),
    ]
    text = printer.print_contract(contract)
    assert text.endswith(
        "\nreview every 3 months from 2026-01-01 with the customer's representative\n"
        'review every 6 months from 2026-01-01 with "Service board"\n'
        "review every 6 months from 2026-03-01\n"
    )


def test_a_review_with_the_representative_of_no_customer_is_an_error_at_its_line() -> None:
    text = REVIEWS.replace('  customer acme "Acme Corp" represented by "Head of IT"\n', "")
    found = obligo.check(obligo.parse(text, "x.sla"))
    assert [(d.message, d.line) for d in found] == [
        ("the customer's representative: this agreement names no customer", 5)
    ]

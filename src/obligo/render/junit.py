"""The JUnit XML form of a report, for a CI server's test view (Jenkins, GitLab, GitHub Actions):
each objective in each period (and group) is a test case. A breach is a failure whose message
says what was measured against what, with the evidence and the arithmetic of its consequences as
its text; a period without data and a pending period are skipped, with the reason. A met period
passes.

The document follows Jenkins' ``junit-10.xsd`` (the tests validate every bundled report against
it). It carries no time of its own making: the evaluation time, an input, is a property.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from obligo._inert import inert_model
from obligo.render.quantities import duration, quantity
from obligo.render.words import amount_words
from obligo.report.base import plain
from obligo.report.model import Consequence, Group, Report, Verdict
from obligo.report.portfolio import PortfolioReport

# Characters XML 1.0 cannot hold even escaped, beyond those `inert` already escapes (controls
# and lone surrogates): the two noncharacters at the end of the basic plane.
_NOT_XML = str.maketrans({0xFFFE: "\\ufffe", 0xFFFF: "\\uffff"})


def _x(text: str) -> str:
    return text.translate(_NOT_XML)


def report_junit(report: Report) -> str:
    """One agreement's report: one test suite."""
    report = inert_model(report)
    return _document([_suite(report, _x(report.contract.id))])


def portfolio_junit(portfolio: PortfolioReport) -> str:
    """An agreement set: one test suite per section (customer and service)."""
    portfolio = inert_model(portfolio)
    suites = []
    for section in portfolio.sections:
        customer = "any customer" if section.customer is None else f"customer {section.customer}"
        service = "" if section.service is None else f", service {section.service}"
        suites.append(_suite(section.report, _x(f"{section.agreement}: {customer}{service}")))
    return _document(suites)


def _document(suites: list[ET.Element]) -> str:
    root = ET.Element("testsuites", {"name": "obligo"})
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.extend(suites)
    ET.indent(root, "  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _suite(report: Report, name: str) -> ET.Element:
    verdicts = report.verdicts
    suite = ET.Element(
        "testsuite",
        {
            "name": name,
            "tests": str(len(verdicts)),
            "failures": str(sum(1 for v in verdicts if v.status == "breached")),
            "errors": "0",
            "skipped": str(sum(1 for v in verdicts if v.status in ("no_data", "pending"))),
        },
    )
    properties = ET.SubElement(suite, "properties")
    contract = report.contract
    facts = [("contract", contract.id), ("version", contract.version), ("title", contract.title)]
    # The parties other than the customer, in the contract's order (a supplier per property).
    facts += [(p.role, p.id) for p in report.parties if p.role != "customer"]
    if report.customer is not None:
        facts += [
            ("customer", report.customer.id),
            ("customer_representative", report.customer.representative),
        ]
    if report.term is not None:
        term = report.term
        facts += [
            ("term_start", term.start.isoformat()),
            ("term_end", None if term.end is None else term.end.isoformat()),
            ("term_renews", term.renews),
            ("term_notice", term.notice),
        ]
    facts += [("evaluated_at", report.evaluated_at.isoformat()), ("timezone", report.timezone)]
    # Each clause's words as the report holds them, its lines kept (&#10; in the attribute).
    facts += [(f"clause {text.clause}", "\n".join(text.lines)) for text in report.clauses]
    for key, value in facts:
        if value is not None:
            ET.SubElement(properties, "property", {"name": key, "value": _x(value)})
    for verdict in verdicts:
        suite.append(_case(report, verdict, _x(contract.id)))
    return suite


def _group(group: Group | None) -> str:
    if group is None:
        return ""
    if isinstance(group, str):
        return f" {group}"
    return " " + ", ".join(f"{k}={v}" for k, v in group.items())


def _case(report: Report, v: Verdict, classname: str) -> ET.Element:
    title = f" ({v.clause_title})" if v.clause_title else ""
    name = f"clause {v.clause}{title}: {v.metric}{_group(v.group)} {v.period.label}"
    case = ET.Element("testcase", {"classname": classname, "name": _x(name)})
    measured = "no value" if v.value is None else quantity(v.value, v.unit)
    target = v.objective.split(" ", 1)[1] if " " in v.objective else v.target
    if v.status == "breached":
        # A key measurement before its promotion is judged but has no consequence: said so.
        only = " (reported only: no consequence)" if v.reported_only else ""
        failure = ET.SubElement(
            case,
            "failure",
            {
                "type": "breached",
                "message": _x(f"{v.metric}{_group(v.group)} {measured}, target {target}{only}"),
            },
        )
        owed = [
            c
            for c in report.consequences
            if c.clause == v.clause and c.period.label == v.period.label and c.group == v.group
        ]
        failure.text = _x("\n".join(_evidence(v, owed)))
    elif v.status in ("no_data", "pending"):
        if v.status == "no_data":
            words = "no data" + (f": {v.reason}" if v.reason else "")
        else:
            reason = f"; {v.reason}" if v.reason else ""
            words = f"pending: the period ends {v.period.end.isoformat()}{reason}"
        budget = v.error_budget
        left = "" if budget is None else f"; budget left {quantity(budget.remaining, budget.unit)}"
        so_far = f"; so far {measured}" if v.status == "pending" and v.value is not None else ""
        ET.SubElement(case, "skipped", {"message": _x(f"{words}{so_far}{left}")})
    return case


def _evidence(v: Verdict, owed: list[Consequence]) -> list[str]:
    """The failure's text: where the promise is written, the evidence, what it costs."""
    loc = v.location
    lines = [f"promise {v.objective} ({loc.file}:{loc.line}:{loc.column})"]
    evidence = v.evidence
    for key, value in evidence.totals.items():
        seconds = key.endswith("_seconds") or key.startswith("attributed_seconds")
        shown = duration(value) if seconds else plain(value)
        lines.append(f"{key}: {shown}")
    if evidence.contributors:
        lines.append(
            f"largest contributors ({len(evidence.contributors)} of {evidence.contributors_total}):"
        )
        for c in evidence.contributors:
            record = c.type + (f" {c.id}" if c.id else "")
            span = f" {c.start.isoformat()} to {c.end.isoformat()}" if c.start and c.end else ""
            length = f" ({duration(c.seconds)})" if c.seconds is not None else ""
            # A late record's stopped clock explains its lateness: each pause is shown with it.
            pauses = [
                f"paused {p.start.isoformat()} to {p.end.isoformat() if p.end else 'now'}"
                f" ({duration(p.seconds)})"
                for p in c.pauses
            ]
            notes = [note for note in [c.detail, *pauses] if note]
            detail = f": {'; '.join(notes)}" if notes else ""
            lines.append(f"  {record}{span}{length}{detail}")
    for e in evidence.exclusions:
        lines.append(
            f"exclusion {e.exclusion} accepted ({e.reason}): {duration(e.seconds)},"
            f" {e.records} records, {e.treatment.replace('_', ' ')}"
        )
    for r in evidence.exclusions_refused:
        record = r.type + (f" {r.id}" if r.id else "")
        lines.append(f"exclusion {r.exclusion} refused for {record}: {r.reason}")
    for item in owed:
        lines.append(f"{item.kind}: {amount_words(item.amount, item.currency)}{_earn_back(item)}")
        lines += [f"  {line.rule}: {line.arithmetic}" for line in item.lines]
        lines += [f"  cap {cap.cap}: {cap.arithmetic}" for cap in item.caps]
        if item.rounding:
            lines.append(f"  rounding: {item.rounding}")
        claim = item.claim
        if claim is not None and claim.required and claim.deadline is not None:
            state = "passed" if claim.passed else "open"
            lines.append(f"  claim {claim.rule}: deadline {claim.deadline.isoformat()}, {state}")
    return lines


def _earn_back(item: Consequence) -> str:
    """Where a credit that may be earned back stands, as the text report says it."""
    back = item.earn_back
    if back is None:
        return ""
    if back.state == "provisional":
        return f", {back.detail}"  # the detail says "provisional: ..." and the periods left
    return f", {back.state.replace('_', ' ')}: {back.detail}"

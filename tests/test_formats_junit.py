"""``obligo eval --format junit``: every bundled sample's report is valid against Jenkins'
``junit-10.xsd`` (tests/junit/README.md says where it comes from), each objective in each period
is one test case, a breach a failure with its evidence, no data and pending skipped with the
reason; names from contracts and logs cannot break the XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from obligo.render.junit import report_junit
from obligo.report.model import Report
from test_golden import GOLDEN_DIR, SAMPLES, evaluated

SCHEMA = xmlschema.XMLSchema10(Path(__file__).resolve().parent / "junit" / "junit-10.xsd")


def _report(name: str) -> Report:
    found = evaluated(name)
    assert isinstance(found, Report)
    return found


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_is_valid_junit(name: str) -> None:
    text = (GOLDEN_DIR / "junit" / f"{name}.xml").read_text(encoding="utf-8")
    SCHEMA.validate(text)


@pytest.mark.parametrize("name", SAMPLES)
def test_one_case_per_verdict_and_counts_that_add_up(name: str) -> None:
    report = _report(name)
    root = ET.fromstring(report_junit(report))
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(report.verdicts)
    statuses = [v.status for v in report.verdicts]
    failures = [c for c in cases if c.find("failure") is not None]
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert len(failures) == statuses.count("breached") == int(suite.get("failures", ""))
    assert len(skipped) == statuses.count("no_data") + statuses.count("pending")
    assert suite.get("skipped") == str(len(skipped))
    assert root.get("tests") == str(len(report.verdicts))


def test_a_breach_is_a_failure_with_its_evidence_and_credit() -> None:
    """Atlassian's Jira in February 2026: 99.851190476% against 99.90%, credit 184.00 USD."""
    root = ET.fromstring(report_junit(_report("atlassian-cloud")))
    (case,) = [
        c for c in root.iter("testcase") if c.get("name", "").endswith("jira-uptime 2026-02")
    ]
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("type") == "breached"
    assert failure.get("message") == "jira-uptime 99.851190476%, target >= 99.90%"
    body = failure.text or ""
    assert "credit: 184.00 USD" in body
    assert "10% × 1840 USD = 184 USD" in body
    assert "deadline 2026-03-16T00:00:00+00:00, open" in body


def test_no_data_and_pending_are_skipped_with_the_reason() -> None:
    root = ET.fromstring(report_junit(_report("gitlab-support")))
    messages = {
        c.get("name"): c.find("skipped").get("message")  # type: ignore[union-attr]
        for c in root.iter("testcase")
        if c.find("skipped") is not None
    }
    assert messages["clause 2 (S2 first response): first-response S2 2026-02"] == (
        'no data: no records of "S2" in the period'
    )
    assert messages["clause 1 (S1 first response): first-response S1 2026-03"] == (
        "pending: the period ends 2026-04-01T00:00:00+00:00; so far 100%; budget left 0 late"
        " records"
    )


def test_the_document_carries_no_time_of_its_making() -> None:
    text = report_junit(_report("slack"))
    root = ET.fromstring(text)
    assert all(suite.get("timestamp") is None for suite in root.iter("testsuite"))
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["evaluated_at"] == "2026-04-15T00:00:00+00:00"


def test_the_parties_term_and_clause_words_are_properties() -> None:
    text = report_junit(_report("acme-hosting"))
    SCHEMA.validate(text)
    root = ET.fromstring(text)
    names = [p.get("name") for p in root.iter("property")]
    assert names == [
        "contract",
        "version",
        "title",
        "provider",
        "supplier",
        "customer",
        "customer_representative",
        "term_start",
        "term_end",
        "term_renews",
        "term_notice",
        "evaluated_at",
        "timezone",
        "clause 4.1",
        "clause 4.2",
        "clause 5.1",
        "clause 6.1",
    ]
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["provider"] == "nimbus" and properties["supplier"] == "netco"
    assert properties["term_renews"] == "yearly" and properties["term_notice"] == "90 days"
    assert properties["clause 5.1"] == (
        'clause 5.1 "Priority 1 response"\n'
        '  promise first-response for "P1" >= 95%\n'
        "  penalty 500 EUR per breached month"
    )


HOSTILE = 'A]]></failure><x a="1">&amp; <b>\x1b[31m\x00\ufffe\uffff'


def test_hostile_names_stay_text_and_the_document_valid() -> None:
    """Names from contracts and logs hold what XML cannot: markup, a CDATA end, controls,
    noncharacters. The document stays valid and each name reads back as written (controls in
    their visible escaped form)."""
    report = _report("acme-hosting")
    verdicts = [
        v.model_copy(update={"metric": HOSTILE, "clause_title": HOSTILE}) for v in report.verdicts
    ]
    hostile = report.model_copy(
        update={
            "verdicts": verdicts,
            "contract": report.contract.model_copy(update={"title": HOSTILE}),
        }
    )
    text = report_junit(hostile)
    SCHEMA.validate(text)
    root = ET.fromstring(text)
    shown = 'A]]></failure><x a="1">&amp; <b>\\x1b[31m\\x00\\ufffe\\uffff'
    properties = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert properties["title"] == shown
    failure = next(root.iter("failure"))
    assert (failure.get("message") or "").startswith(shown + " ")


def test_an_agreement_set_is_one_suite_per_section(tmp_path: Path) -> None:
    from obligo.render.junit import portfolio_junit
    from test_portfolio import nimbus

    portfolio = nimbus(tmp_path)
    text = portfolio_junit(portfolio)
    SCHEMA.validate(text)
    suites = ET.fromstring(text).findall("testsuite")
    assert len(suites) == len(portfolio.sections) > 1
    for suite, section in zip(suites, portfolio.sections, strict=True):
        assert suite.get("name") == (
            f"{section.agreement}: customer {section.customer}, service {section.service}"
        )
        assert len(suite.findall("testcase")) == len(section.report.verdicts)


def test_a_key_measurement_breached_before_its_promotion_says_it_has_no_consequence() -> None:
    import test_at_risk

    report = test_at_risk.evaluate(
        test_at_risk.DC, test_at_risk.RECORDS, "2026-05-20T00:00:00+00:00"
    )
    text = report_junit(report)
    SCHEMA.validate(text)
    messages = {
        c.get("name"): c.find("failure").get("message")  # type: ignore[union-attr]
        for c in ET.fromstring(text).iter("testcase")
        if c.find("failure") is not None
    }
    assert messages["clause 3.1 (Backups): backups 2026-01"] == (
        "backups 0%, target >= 98% (reported only: no consequence)"
    )
    assert messages["clause 3.1 (Backups): backups 2026-04"] == "backups 0%, target >= 98%"

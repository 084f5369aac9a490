"""``obligo eval --format markdown``: a report to paste into an email, a wiki or a ticket. Text
from contracts and logs cannot become markup (a link, an HTML tag, a code span, a table cell);
durations read as people write them; ``--precision`` rounds percentages, never the JSON."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from click.testing import CliRunner

from obligo.cli import cli
from obligo.render.markdown import md, portfolio_markdown, report_markdown
from obligo.render.options import RenderOptions
from obligo.report.model import Evidence, ExclusionRefused, Report
from obligo.report.portfolio import PortfolioReport
from test_golden import REPO, evaluated

HOSTILE = "x | y `rm -rf` <script>alert(1)</script> [click](https://evil.example) ![i](a) *b* _c_ &lt; # \\"
ESCAPED = (
    "x \\| y \\`rm -rf\\` \\<script\\>alert\\(1\\)\\</script\\> \\[click\\]\\(https://evil.example\\)"
    " \\!\\[i\\]\\(a\\) \\*b\\* \\_c\\_ \\&lt; \\# \\\\"
)


def _report(name: str) -> Report:
    found = evaluated(name)
    assert isinstance(found, Report)
    return found


def test_markdown_escapes_every_character_that_makes_markup() -> None:
    assert md(HOSTILE) == ESCAPED
    assert md("api-uptime 99.9%") == "api-uptime 99.9%"  # nothing else is touched


def _hostile(report: Report) -> Report:
    """The report with hostile text wherever a contract or a log gives one."""
    verdicts = []
    for v in report.verdicts:
        evidence = Evidence(
            totals=v.evidence.totals,
            contributors=[c.model_copy(update={"id": HOSTILE}) for c in v.evidence.contributors],
            contributors_total=v.evidence.contributors_total,
            exclusions=[e.model_copy(update={"reason": HOSTILE}) for e in v.evidence.exclusions],
            exclusions_refused=[
                ExclusionRefused(exclusion=HOSTILE, type="maintenance", id=HOSTILE, reason=HOSTILE)
            ],
        )
        verdicts.append(
            v.model_copy(update={"clause_title": HOSTILE, "metric": HOSTILE, "evidence": evidence})
        )
    return report.model_copy(
        update={
            "verdicts": verdicts,
            "contract": report.contract.model_copy(update={"title": HOSTILE}),
        }
    )


def test_hostile_names_are_shown_as_text_in_headings_tables_and_lists() -> None:
    text = report_markdown(_hostile(_report("acme-hosting")))
    # Wherever the name is, it is whole and escaped: nothing of it is left outside that form.
    assert text.count(ESCAPED) > 10
    # The clauses' words stand in fenced code blocks (shown as they are): outside them, no
    # backtick at all.
    rest = re.sub(r"(?ms)^(`{3,})\n.*?^\1$\n", "", text.replace(ESCAPED, ""))
    assert rest.count("As written in the contract") == 4
    assert "<script" not in rest and "`" not in rest and "](" not in rest and "evil" not in rest
    assert f"# Contract acme-hosting “{ESCAPED}”, version 3" in text
    assert f"## Clause 4.1: {ESCAPED}" in text
    # A table row keeps its columns: every | of the name is escaped.
    row = next(line for line in text.splitlines() if line.startswith("| maintenance |"))
    assert row == f"| maintenance | {ESCAPED} | excluded from period | 2 h | 1 |"
    refused = f"| {ESCAPED} | maintenance {ESCAPED} | - | {ESCAPED} |"
    assert refused in text.splitlines()


def test_the_header_names_the_parties_representative_and_term() -> None:
    text = report_markdown(_report("acme-hosting"))
    assert text.split("## Summary", 1)[0].splitlines()[2:-1] == [
        "- **Provider:** nimbus “Nimbus Cloud Ltd”",
        "- **Supplier:** netco “NetCo Carrier”",
        "- **Customer:** acme “Acme Corp”",
        "- **Customer's representative:** Head of IT",
        "- **Term:** 2026-01-01 to 2027-06-30, renews yearly, notice 90 days",
        "- **Evaluated at:** 2026-04-15T12:00:00+02:00 (Europe/Berlin)",
        "- **Baseline:** 2026-01-01 to 2026-03-31 (ended): its periods are measured and judged,"
        " without consequences",
    ]


def test_a_hostile_party_name_is_escaped_and_clause_words_stay_in_their_code_block() -> None:
    report = _report("acme-hosting")
    parties = [
        p.model_copy(update={"title": HOSTILE, "representative": HOSTILE}) for p in report.parties
    ]
    words = report.clauses[0].model_copy(update={"lines": ["clause 4.1 ``` " + HOSTILE, "  x"]})
    text = report_markdown(
        report.model_copy(update={"parties": parties, "clauses": [words, *report.clauses[1:]]})
    )
    assert f"- **Provider:** nimbus “{ESCAPED}”" in text
    assert f"- **Customer's representative:** {ESCAPED}" in text
    head = text.split("## Summary", 1)[0]
    assert "<script" not in head.replace(ESCAPED, "")
    # The words in a fence longer than any run of backticks in them: shown as they are.
    assert f"````\nclause 4.1 ``` {HOSTILE}\n  x\n````\n" in text


def test_terminal_controls_are_inert_before_markdown() -> None:
    report = _report("slack")
    sneaky = report.model_copy(
        update={"contract": report.contract.model_copy(update={"title": "a\x1b[2Jb\u202ec"})}
    )
    # The escaped form is text: its backslash is escaped in turn, so that it shows as written.
    assert "# Contract slack “a\\\\x1b\\[2Jb\\\\u202ec”" in report_markdown(sneaky)


def test_a_breach_shows_its_evidence_exclusions_and_credit_arithmetic() -> None:
    text = (REPO / "tests" / "golden" / "markdown" / "acme-hosting.md").read_text("utf-8")
    march = text.split("### 2026-03: api-uptime breached", 1)[1].split("\n## ", 1)[0]
    assert "- down\\_seconds: 1 h 25 min (5100 s)" in march
    assert "| customer-caused | Caused by the customer | excluded from period | 1 h | 1 |" in march
    assert (
        "| maintenance | maintenance MNT-302 | 2026-03-20T22:00+01:00 |"
        " announced 2 days 10 hours before start, 5 days required |"
    ) in march
    atlassian = (REPO / "tests" / "golden" / "markdown" / "atlassian-cloud.md").read_text("utf-8")
    assert "#### Credit for 2026-02: 184.00 USD" in atlassian
    assert "- rounding: half-up to 0.01 USD" in atlassian
    assert (
        "- claim within 15 days after the end of the month: last day 2026-03-15"
        " (deadline 2026-03-16T00:00+00:00), **open**"
    ) in atlassian
    assert "| 2026-02 | 99.851190476% | \\>= 99.90% | **breached** |   | 184.00 USD |" in atlassian


def test_summary_counts_verdicts_and_money_per_currency() -> None:
    text = (REPO / "tests" / "golden" / "markdown" / "cogent-network.md").read_text("utf-8")
    summary = text.split("## Summary", 1)[1].split("\n## ", 1)[0]
    # Met: latency in January, packet loss in February; pending: the three in March.
    assert "| met | breached | no data | pending |\n|---|---|---|---|\n| 2 | 4 | 0 | 3 |" in summary
    assert "| contract | USD | 198.73 | 0.00 | 0.00 | 53.57 | 145.16 | 0.00 |" in summary


def test_precision_rounds_percentages_in_markdown_and_not_in_json() -> None:
    report = _report("acme-hosting")
    text = report_markdown(report, RenderOptions(precision=2))
    assert "| 2026-02 (baseline) | 99.86% | \\>= 99.9% | **breached** |" in text
    assert '| 2026-01 (baseline) | 100.00% | for "P1" \\>= 95% | met |' in text
    previous = Path.cwd()
    os.chdir(REPO)
    try:
        args = ["eval", "contracts/acme-hosting.sla", "--events"]
        args += ["contracts/acme-hosting/events.jsonl", "--at", "2026-04-15T12:00:00+02:00"]
        shown = CliRunner().invoke(cli, [*args, "--format", "json", "--precision", "2"])
        md_out = CliRunner().invoke(cli, [*args, "--format", "markdown", "--precision", "2"])
    finally:
        os.chdir(previous)
    assert shown.exit_code == 0 and md_out.exit_code == 0
    assert shown.stdout == (REPO / "contracts/acme-hosting/expected.json").read_text("utf-8")
    assert json.loads(shown.stdout)["verdicts"][1]["value"] == "99.86359127"
    assert md_out.stdout == text


def test_an_agreement_set_has_its_sections_and_one_line_account(tmp_path: Path) -> None:
    from test_portfolio import nimbus

    portfolio: PortfolioReport = nimbus(tmp_path)
    text = portfolio_markdown(portfolio)
    assert text.startswith("# Agreement set\n")
    assert text.count("## Event logs") == 1 and text.count("| input |") == 1
    for section in portfolio.sections:
        assert f"### Contract {md(section.report.contract.id)}" in text
    assert "| customer | service | agreement | kind | met | breached | no data | pending |" in text


def test_amounts_at_risk_earn_back_and_reported_only_appear_as_in_the_json() -> None:
    """The data-centre contract of tests/test_at_risk.py: allocations of the amount at risk, a
    credit owed, one provisional (may be earned back), a key measurement reported only."""
    import test_at_risk

    report = test_at_risk.evaluate(
        test_at_risk.DC, test_at_risk.RECORDS, "2026-05-20T00:00:00+00:00"
    )
    text = report_markdown(report)
    assert (
        "| 2026-03 | 98.655913978% | \\>= 99.5% | **breached** |   | 9000.00 USD (provisional) |"
        in text
    )
    assert (
        "- earn back: provisional, 2 of 3 periods left: provisional: earned back if clause 2.2 is"
        " met in the next 3 months \\(1 met so far, 2 left\\)"
    ) in text
    assert (
        "- cap the amount at risk: not reached (limit 12000); the amount at risk of 2026-01: 12000 USD"
        in text
    )
    assert "| 2026-01 | 0% | \\>= 98% | **breached** (reported only) |   |   |" in text
    assert (
        "| 2026-05 | 100% | \\>= 99.5% | pending | 3 h 43 min 12 s of downtime left, 0% used |   |"
        in text
    )

"""``obligo eval --format html``: one self-contained page per report, byte for byte the golden file
of every bundled contract (``OBLIGO_UPDATE_GOLDEN=1`` rewrites them), well formed, loading
nothing, with every text from a contract or a log escaped."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import obligo
from html_checks import assert_self_contained, assert_well_formed, parse
from obligo.api import evaluate_agreements
from obligo.cli import cli
from obligo.render.html import duration, portfolio_html, report_html
from obligo.render.markdown import report_markdown
from obligo.report.model import Report
from test_portfolio import AT, NIMBUS_LOG

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden" / "html"
SAMPLES = sorted((REPO / "contracts").glob("*/eval.json"))
ACME_AT = dt.datetime.fromisoformat("2026-04-15T12:00:00+02:00")
UPDATE = os.environ.get("OBLIGO_UPDATE_GOLDEN") == "1"


def eval_args(sample: Path) -> list[str]:
    """The sample's `obligo eval` arguments, its paths relative to the repository (as a user
    in the repository writes them, and as the report shows them)."""
    spec = json.loads(sample.read_text(encoding="utf-8"))
    args = [spec["contract"], *(a for path in spec["events"] for a in ("--events", path))]
    args += ["--at", spec["at"]]
    if spec.get("from"):
        args += ["--from", spec["from"]]
    return args


def html_of(args: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(cli, ["eval", *args, "--format", "html"])
    assert result.exit_code == 0, result.output
    return result.output


def check_golden(name: str, page: str) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(page, encoding="utf-8", newline="")
    assert golden.exists(), f"no golden file {golden}: run with OBLIGO_UPDATE_GOLDEN=1"
    assert page == golden.read_bytes().decode("utf-8"), (
        f"{name} differs from its golden file (OBLIGO_UPDATE_GOLDEN=1 to accept the change)"
    )


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_every_bundled_contract_gives_its_golden_page(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = html_of(eval_args(sample), monkeypatch)
    assert_well_formed(page)
    assert_self_contained(page)
    check_golden(f"{sample.parent.name}.html", page)
    # Deterministic: the same inputs give the same bytes.
    assert html_of(eval_args(sample), monkeypatch) == page


def test_agreement_set_page_has_every_section_and_the_net_position(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    portfolio = evaluate_agreements(
        obligo.load_agreements(["contracts/nimbus"]), [NIMBUS_LOG], at=AT
    )
    page = portfolio_html(portfolio)
    found = assert_well_formed(page)
    assert_self_contained(page)
    sections = [a for t, a in found.elements if t == "section" and "section" in (a["class"] or "")]
    assert len(sections) == len(portfolio.sections) >= 2
    text = "".join(found.text)
    assert "Customer globex, service db" in text and "Customer initrode, service crm" in text
    check_golden("nimbus-set.html", page)


def test_acme_page_shows_parties_summary_clause_words_and_charts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sample = REPO / "contracts" / "acme-hosting" / "eval.json"
    page = html_of(eval_args(sample), monkeypatch)
    found = parse(page)
    text = "".join(found.text)
    # The parties, the representative and the term, from the report.
    rows = re.findall(r"<tr><th>([^<]*)</th><td>([^<]*)</td></tr>", page)
    assert rows[:5] == [
        ("provider", "nimbus (Nimbus Cloud Ltd)"),
        ("supplier", "netco (NetCo Carrier)"),
        ("customer", "acme (Acme Corp)"),
        ("customer's representative", "Head of IT"),
        ("term", "2026-01-01 to 2027-06-30, renews yearly, notice 90 days"),
    ]
    assert "evaluated at" in text and "2026-04-15T12:00:00+02:00 (Europe/Berlin)" in text
    # The clause printed from the model, credit tiers included; clause 6.1 (no right arose)
    # has its section and words all the same.
    assert "  25% of the fee when api-uptime < 99.0%\n" in text
    assert "termination right\n    when outage-hours > 24 h in a month\n" not in text
    assert "    when outage-hours > 24 h in a month\n" in text
    # One chart per objective, one point per period with a value, breaches marked.
    charts = [a for t, a in found.elements if t == "svg" and a.get("class") == "chart"]
    assert len(charts) == 3
    points = [a["class"] for t, a in found.elements if t == "circle"]
    assert len(points) == 12
    assert points[:4] == ["point met", "point breached", "point breached", "point pending"]
    # The target line and the tier bounds of clause 4.1 (95% is listed, too far to draw).
    assert (
        "credit tier < 99.0%" in text and "credit tier < 95.0% (beyond the chart's range)" in text
    )
    # The pending period's error budget, as a duration; the breach's evidence in <details>.
    assert "23 min 12 s of downtime left, 46.296296296% used" in text
    details = [t for t, _ in found.elements if t == "details"]
    assert len(details) >= 6
    assert "INC-201" in text


def test_breach_evidence_and_credit_arithmetic_open_in_details(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sample = REPO / "contracts" / "verizon-dia" / "eval.json"
    page = html_of(eval_args(sample), monkeypatch)
    breach = re.search(
        r'<details class="breach">\s*<summary>Breach in 2026-10.*?</details>', page, re.S
    )
    assert breach is not None
    block = breach.group(0)
    assert "credit 38.71 USD" in block
    assert "rounded half-up to 0.01 USD: 38.71 USD" in block
    assert "cap 1 month of the fee per month, shared with clauses 2, 3 (shared)" in block
    assert "claim: within 30 days after the end of the ticket" in block


def test_a_service_named_like_a_script_stays_text(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    contract = tmp_path / "evil.sla"
    source = (REPO / "contracts" / "acme-hosting.sla").read_text(encoding="utf-8")
    source = source.replace('"Managed hosting for Acme"', f'"{hostile}"')
    source = source.replace('clause 4.1 "API availability"', f'clause 4.1 "{hostile}"')
    source = source.replace('"Acme Corp"', f'"{hostile}"')
    contract.write_text(source, encoding="utf-8")
    log = tmp_path / "events.jsonl"
    events = (REPO / "contracts" / "acme-hosting" / "events.jsonl").read_text(encoding="utf-8")
    log.write_text(events.replace('"INC-201"', '"<img src=x onerror=alert(1)>"'), "utf-8")
    report = obligo.evaluate(obligo.load(contract), [log], at=ACME_AT)
    page = report_html(report)
    found = assert_well_formed(page)
    assert_self_contained(page)
    tags = {t for t, _ in found.elements}
    assert "script" not in tags and "img" not in tags
    text = "".join(found.text)
    assert text.count(hostile) >= 3  # the title, the clause's heading and its words
    assert "acme (" + hostile + ")" in text  # the customer's name in the header
    assert "<img src=x onerror=alert(1)>" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_contract_read_from_standard_input_shows_its_parties_and_clause_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The parties, the term and the clauses' words come from the report, not from the file:
    a contract given as text (``<stdin>``, no file to read back) shows them all the same, in
    HTML and in Markdown."""
    monkeypatch.chdir(REPO)
    source = (REPO / "contracts" / "acme-hosting.sla").read_text(encoding="utf-8")
    report = obligo.evaluate(
        obligo.parse(source, "<stdin>"), ["contracts/acme-hosting/events.jsonl"], at=ACME_AT
    )
    text = "".join(assert_well_formed(report_html(report)).text)
    assert "nimbus (Nimbus Cloud Ltd)" in text and "Head of IT" in text
    assert "2026-01-01 to 2027-06-30, renews yearly, notice 90 days" in text
    assert 'clause 4.1 "API availability"\n  promise api-uptime >= 99.9%\n' in text
    page = report_markdown(report)
    assert "- **Provider:** nimbus “Nimbus Cloud Ltd”\n" in page
    assert "- **Customer's representative:** Head of IT\n" in page
    assert "- **Term:** 2026-01-01 to 2027-06-30, renews yearly, notice 90 days\n" in page
    assert '```\nclause 4.1 "API availability"\n  promise api-uptime >= 99.9%\n' in page


def test_precision_rounds_percentages_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    report = obligo.evaluate(
        obligo.load("contracts/acme-hosting.sla"),
        ["contracts/acme-hosting/events.jsonl"],
        at=ACME_AT,
    )
    text = "".join(parse(report_html(report, precision=2)).text)
    assert "99.92%" in text and "99.922839506%" not in text
    assert "45 min" in text  # a duration is not a percentage


@pytest.mark.parametrize(
    ("seconds", "written"),
    [
        ("0", "0 s"),
        ("45", "45 s"),
        ("2700", "45 min"),
        ("13380", "3 h 43 min"),
        ("90061", "1 d 1 h 1 min 1 s"),
        ("1.5", "1.5 s"),
        ("-1392", "-23 min 12 s"),
    ],
)
def test_durations_are_written_as_people_write_them(seconds: str, written: str) -> None:
    assert duration(Decimal(seconds)) == written


def assert_consequences_shown(report: Report, text: str) -> None:
    """Every consequence's sums, as the JSON has them, are on the page."""
    assert report.consequences
    for item in report.consequences:
        for line in item.lines:
            assert f"{line.rule}: {line.arithmetic}" in text
        for cap in item.caps:
            assert cap.arithmetic in text
        if item.earn_back is not None:
            assert item.earn_back.detail in text


def test_amounts_at_risk_earn_back_and_reported_only_appear_as_the_json_has_them() -> None:
    from test_at_risk import DC, RECORDS, evaluate

    report = evaluate(DC, RECORDS, "2026-05-20T00:00:00+00:00")
    page = report_html(report)
    text = "".join(assert_well_formed(page).text)
    assert_consequences_shown(report, text)
    assert "credit 0.00 USD (earned back)" in text
    assert "credit 9000.00 USD (provisional)" in text
    assert "cap the amount at risk (at risk): not reached (limit 12000)" in text
    assert "breached (reported only)" in text
    # The provisional credits in the summary: 9,000 (2.2 March) + 3,000 (3.1 April).
    assert re.search(
        r"<td>contract</td><td>USD</td>(<td[^>]*>[^<]*</td>){5}<td class=\"num\">12000.00</td>",
        page,
    )


def test_formula_credits_appear_as_the_json_has_them() -> None:
    contract = """\
contract wan "WAN" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency EUR

service wan "WAN"
  fee 3000 EUR monthly

metric uptime "Uptime"
  availability of wan, per calendar month
  down during outage records

metric outage-time "Outage"
  total duration of outage records, per calendar month

metric scheduled-time "Scheduled time"
  total duration of schedule records, per calendar month

clause 1 "Uptime"
  service wan
  promise uptime >= 99.9%
  credit 25 * outage-time / scheduled-time * the fee when breached
"""
    records = [
        {"type": "outage", "id": "O-1", "start": "2026-01-10T00:00:00Z", "end": "2026-01-10T06:00:00Z"},
        {"type": "schedule", "id": "S-1", "start": "2026-01-01T00:00:00Z", "end": "2026-01-31T00:00:00Z"},
    ]  # fmt: skip
    report = obligo.evaluate(
        obligo.parse(contract), records, at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC)
    )
    text = "".join(assert_well_formed(report_html(report)).text)
    assert_consequences_shown(report, text)
    assert "25 * outage-time / scheduled-time * the fee when breached" in text


def test_the_pauses_of_a_late_ticket_are_shown_with_its_evidence() -> None:
    from test_engine_pauses import DESK, END_OF_MARCH, parse, status, t, ticket

    events = [
        ticket("T2", t(3, "09:00"), responded=t(3, "17:00:30")),
        status("T2", t(3, "10:00"), "on hold"),
        status("T2", t(3, "14:00"), "in progress"),
    ]
    report = obligo.evaluate(parse(DESK), events, at=END_OF_MARCH)
    text = "".join(assert_well_formed(report_html(report)).text)
    assert "paused 2026-03-03T10:00:00+00:00 to 2026-03-03T14:00:00+00:00: 4 h" in text
    assert "due 2026-03-03T17:00:00+00:00" in text


def test_clause_words_and_tier_bounds_come_from_the_model_not_the_file() -> None:
    """A clause is quoted as the printer writes it (comments and spellings canonical), and its
    chart's tier bounds are the model's values in the verdict's unit (``4 hours`` is 14400 s)."""
    contract = """\
contract c "C"
  provider p "P"  # who provides
  customer k "K" represented by "Head of <Ops>"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency EUR

service s "S"
  fee 1000 EUR monthly

metric down "Downtime"
  total duration of outage records, per calendar month

clause 1 "One"   # the clause's comment
  service s
  promise down <= 1 hours
  credit
    5% of the fee when down > 1 hours   # first tier
    10% of the fee when down > 4 hours
"""
    records = [
        {"type": "outage", "id": "O-1", "start": "2026-01-10T00:00:00Z", "end": "2026-01-10T06:00:00Z"},
    ]  # fmt: skip
    report = obligo.evaluate(
        obligo.parse(contract), records, at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC)
    )
    tiers = report.clauses[0].tiers
    assert [t.words for t in tiers] == [
        "5% of the fee when down > 1 h",
        "10% of the fee when down > 4 h",
    ]
    assert [(b.op, b.value, b.unit, b.words) for t in tiers for b in t.bounds] == [
        (">", Decimal(3600), "s", "> 1 h"),
        (">", Decimal(14400), "s", "> 4 h"),
    ]
    page = report_html(report)
    text = "".join(assert_well_formed(page).text)
    assert (
        'clause 1 "One"\n  service s\n  promise down <= 1 h\n  credit\n'
        "    5% of the fee when down > 1 h\n    10% of the fee when down > 4 h\n"
    ) in text
    assert "comment" not in text and "first tier" not in text
    assert "credit tier > 4 h" in text
    assert "Head of &lt;Ops&gt;" in page and "<Ops>" not in page

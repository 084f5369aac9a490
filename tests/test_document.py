"""``obligo render``: the agreement as a document, in HTML and Markdown (issue 14).

Golden files (tests/golden/document/) fix the exact text of three contracts with different
constructs; regenerate them with ``OBLIGO_GOLDEN=update`` after a deliberate change, and read the
diff. Names and titles from a contract are escaped in both formats.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from obligo import api
from obligo.cli import cli
from obligo.render.document import render_document
from obligo.render.document.markdown import escape
from obligo.resolve.resolver import check_and_resolve

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden" / "document"
# Three contracts that between them use tables, formulas, pauses, calendars, levels of allocation
# and the amount at risk.
GOLDEN_CONTRACTS = ("acme-hosting", "dir-data-center", "wan-formulas")
SUFFIX = {"html": "html", "markdown": "md"}


def _render(name: str, output_format: str) -> str:
    os.chdir(REPO)  # the colophon names the file by its name only; loading is relative
    return render_document(check_and_resolve(api.load(f"contracts/{name}.sla")), output_format)


@pytest.mark.parametrize("output_format", ["html", "markdown"])
@pytest.mark.parametrize("name", GOLDEN_CONTRACTS)
def test_golden_documents(name: str, output_format: str) -> None:
    golden = GOLDEN / f"{name}.{SUFFIX[output_format]}"
    text = _render(name, output_format)
    if os.environ.get("OBLIGO_GOLDEN") == "update":
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_the_document_says_the_promise_and_its_credit_table() -> None:
    text = _render("acme-hosting", "markdown")
    assert "- The provider promises that api-uptime is at least 99.9% in every period." in text
    assert "| 25% of the fee | api-uptime is less than 99.0% |" in text
    assert "- Credits are capped at 50% of the fee per month." in text
    assert (
        "The customer may terminate the agreement when the clause is breached in 3 consecutive"
        " months. The right is exercised within 30 days of arising." in text
    )


def test_the_html_page_is_self_contained() -> None:
    """Inline CSS, no script, nothing fetched: the page can be mailed or archived alone."""
    html = _render("acme-hosting", "html")
    assert "<style>" in html
    for fetched in ("<script", "<link", "src=", "url(", "@import", "http://", "https://"):
        assert fetched not in html


def test_the_same_contract_gives_the_same_bytes() -> None:
    assert _render("acme-hosting", "html") == _render("acme-hosting", "html")


HOSTILE = """\
contract hostile "<script>alert(1)</script> | `tick` [link](http://x) & co"
  provider `p<b>` "Provider <b>bold</b> | pipe"
  customer c "Customer ![img](http://e/x.png)" represented by "<img src=x onerror=alert(1)>"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency EUR

service `s|x` "Service </section><h1>"
  fee 100 EUR monthly
  delivered by `p<b>`

metric `m<i>` "Metric | <i>"
  total duration of outage records where `note|x` = "a|b <c> `d` [e](f)", per calendar month

clause 1 "Clause <script>"
  service `s|x`
  promise `m<i>` <= 1 h
  credit
    10% of the fee when `m<i>` > 1 h
"""


def _hostile(output_format: str) -> str:
    return render_document(check_and_resolve(api.parse(HOSTILE, "hostile.sla")), output_format)


def test_hostile_names_are_text_in_html() -> None:
    html = _hostile("html")
    assert "<script>" not in html
    assert "<b>" not in html
    assert "<img" not in html
    assert "</section><h1>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Service &lt;/section&gt;&lt;h1&gt; (s|x)" in html


def test_hostile_names_are_text_in_markdown() -> None:
    markdown = _hostile("markdown")
    assert (
        "# \\<script\\>alert(1)\\</script\\> \\| \\`tick\\` \\[link\\](http://x) \\& co" in markdown
    )
    assert "\\!\\[img\\](http://e/x.png)" in markdown
    # the credit table keeps two cells: the metric's pipe is escaped
    assert "| 10% of the fee | m\\<i\\> is more than 1 hour |" in markdown
    for line in markdown.splitlines():
        assert "<" not in line.replace("\\<", "")
        assert "`" not in line.replace("\\`", "")


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("`code`", "\\`code\\`"),
        ("<b>", "\\<b\\>"),
        ("[x](y)", "\\[x\\](y)"),
        ("two\nlines", "two lines"),
        ("&lt;", "\\&lt;"),
        ("api-uptime 99.9%", "api-uptime 99.9%"),
        ("99.9% of the time", "99.9% of the time"),
        ("- not a list", "\\- not a list"),
        ("---", "\\---"),
        ("+ x", "\\+ x"),
        ("=====", "\\====="),
        ("1. not a list", "1\\. not a list"),
        ("2) nor this", "2\\) nor this"),
        ("    not code", "not code"),
        ("\ttab", "tab"),
    ],
)
def test_markdown_escape(text: str, escaped: str) -> None:
    assert escape(text) == escaped


def test_render_command_writes_the_document(tmp_path: Path) -> None:
    out = tmp_path / "acme.md"
    result = CliRunner().invoke(
        cli,
        [
            "render",
            str(REPO / "contracts/acme-hosting.sla"),
            "--format",
            "markdown",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (GOLDEN / "acme-hosting.md").read_text("utf-8")


def test_render_refuses_a_contract_with_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sla"
    bad.write_text(HOSTILE.replace("promise `m<i>` <= 1 h", "promise nowhere <= 1 h"), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "obligo", "render", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"{bad}:17:11: error:" in result.stderr
    assert "Traceback" not in result.stderr


def test_render_refuses_to_overwrite_its_contract(tmp_path: Path) -> None:
    contract = tmp_path / "c.sla"
    contract.write_text((REPO / "contracts/acme-hosting.sla").read_text("utf-8"), "utf-8")
    result = CliRunner().invoke(cli, ["render", str(contract), "-o", str(contract)])
    assert result.exit_code == 2
    assert contract.read_text("utf-8").startswith("contract acme-hosting")


def test_a_clause_from_a_higher_level_says_where_it_is_written() -> None:
    os.chdir(REPO)
    text = render_document(
        check_and_resolve(api.load("contracts/nimbus/globex-db.sla")), "markdown"
    )
    assert (
        "### Clause 1.3 Major incidents\n\n"
        "In force from the corporate level, nimbus (corporate.sla, line 54).\n" in text
    )
    assert "### Clause 1.1 Database availability (replaces the clause of a higher level)" in text


def test_caps_of_a_clause_without_credits_are_said_to_cap_its_penalties() -> None:
    # The engine's caps limit a clause's credits, or its penalties when it has no credit:
    # initech-analytics' penalty clause is capped over the term.
    text = _render("initech-analytics", "markdown")
    assert "- Penalties are capped at 5,000 USD over the whole term." in text
    assert "Credits are capped at 5,000 USD" not in text

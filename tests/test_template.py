"""``obligo eval --template FILE``: the report through the user's own jinja2 template, over the
documented report model (the JSON's dict), in jinja2's sandbox; a template error names the
template's file and line, printed without a traceback, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from obligo.cli import cli

REPO = Path(__file__).resolve().parent.parent
ACME = [
    "contracts/acme-hosting.sla",
    "--events",
    "contracts/acme-hosting/events.jsonl",
    "--at",
    "2026-04-15T12:00:00+02:00",
]


def run(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(cli, ["eval", *ACME, *args])
    return result.exit_code, result.stdout, result.stderr


def template(tmp_path: Path, text: str, name: str = "report.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_template_sees_the_same_dict_as_the_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = template(
        tmp_path,
        "{{ contract.id }} for {{ customer.representative }}\n"
        "{% for v in report.verdicts if v.status == 'breached' %}"
        "{{ v.clause }} {{ v.period.label }} {{ v.value }}{{ v.unit }}\n{% endfor %}"
        "{{ totals.contract[0].credits }} {{ totals.contract[0].currency }}\n",
    )
    code, out, err = run(monkeypatch, "--template", path)
    assert (code, err) == (0, "")
    assert out == (
        "acme-hosting for Head of IT\n"
        "4.1 2026-02 99.86359127%\n"
        "4.1 2026-03 99.808558559%\n"
        "4.2 2026-02 2700s\n"
        "4.2 2026-03 900s\n"
        "5.1 2026-02 66.666666667%\n"
        "5.1 2026-03 50%\n"
        "0.00 EUR\n"
    )
    # The values are the JSON's: a template over `tojson` gives the JSON report's data.
    dumped = template(tmp_path, "{{ report | tojson }}", "dump.txt")
    code, out, _ = run(monkeypatch, "--template", dumped)
    _, json_out, _ = run(monkeypatch, "--format", "json")
    assert code == 0 and json.loads(out) == json.loads(json_out)


def test_an_html_template_escapes_what_it_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = template(tmp_path, "<p>{{ '<b>' ~ contract.title }}</p>\n", "report.html.j2")
    code, out, _ = run(monkeypatch, "--template", path)
    assert code == 0 and out == "<p>&lt;b&gt;Managed hosting for Acme</p>\n"


def test_a_syntax_error_names_the_template_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = template(tmp_path, "first line\n{% for v in %}\n{% endfor %}\n")
    code, out, err = run(monkeypatch, "--template", path)
    assert (code, out) == (2, "")
    assert err == (
        f"{path}:2:1: error: template: Expected an expression, got 'end of statement block'\n"
        "  {% for v in %}\n"
        "  ^\n"
    )


def test_an_undefined_attribute_is_an_error_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = template(tmp_path, "{{ contract.id }}\n\n{{ contract.nope }}\n")
    code, out, err = run(monkeypatch, "--template", path)
    assert (code, out) == (2, "")
    assert err.startswith(f"{path}:3:1: error: template: 'dict object' has no attribute 'nope'\n")
    assert "Traceback" not in err


def test_the_sandbox_refuses_python_internals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = template(tmp_path, "ok\n{{ ''.__class__.__mro__ }}\n")
    code, out, err = run(monkeypatch, "--template", path)
    assert (code, out) == (2, "")
    assert err.startswith(
        f"{path}:2:1: error: template: refused by the sandbox: access to attribute"
        " '__class__' of 'str' object is unsafe."
    )


def test_a_missing_template_and_exclusive_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = str(tmp_path / "none.j2")
    code, out, err = run(monkeypatch, "--template", missing)
    assert (code, out) == (2, "")
    assert err == f"error: cannot read the template {missing}: No such file or directory\n"
    path = template(tmp_path, "x")
    code, _, err = run(monkeypatch, "--template", path, "--format", "json")
    assert code == 2 and "--template and --format are exclusive" in err
    code, _, err = run(monkeypatch, "--template", path, "--plan")
    assert code == 2 and "cannot go with --plan" in err

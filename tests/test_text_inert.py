"""Text from contracts, logs and file names reaches the terminal inert.

A terminal obeys some characters instead of showing them: escape sequences (ESC, the 8-bit CSI
0x9B), the bell, a carriage return that overwrites the line, DEL and the C1 controls, and the
bidirectional and invisible format characters that make a text read as something it is not.
Every command shows them escaped (``\\x1b``, ``\\u202e``) in its text output and its messages;
JSON escapes them the JSON way, so that the data is unchanged. A contract's own line under a
caret is shown escaped, the caret still under the character it points at.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine_helpers import shop_contract
from obligo._inert import inert, inert_json, is_inert
from obligo.cli import cli
from obligo.errors import Diagnostic, Severity

REPO = Path(__file__).resolve().parent.parent

# One character of each class, and how it is shown.
CHARACTERS = {
    "escape": ("\x1b", "\\x1b"),
    "bell": ("\x07", "\\x07"),
    "carriage return": ("\r", "\\r"),
    "8-bit CSI": ("\x9b", "\\x9b"),
    "delete": ("\x7f", "\\x7f"),
    "next line (C1)": ("\x85", "\\x85"),
    "right-to-left override": ("\u202e", "\\u202e"),
    "left-to-right isolate": ("\u2066", "\\u2066"),
    "pop directional isolate": ("\u2069", "\\u2069"),
    "zero-width space": ("\u200b", "\\u200b"),
    "right-to-left mark": ("\u200f", "\\u200f"),
}
PARAMS = [pytest.param(raw, shown, id=name) for name, (raw, shown) in CHARACTERS.items()]
# A contract may hold the format characters in its quoted texts, not the C0 and C1 controls (the
# lexer refuses them: see test_a_control_character_in_a_contract_is_refused_and_shown_inert);
# those are tested in file names, log values and in-memory lines.
CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
IN_CONTRACTS = [p for p in PARAMS if not CONTROLS.match(str(p.values[0]))]
REFUSED_IN_CONTRACTS = [
    p for p in PARAMS if CONTROLS.match(str(p.values[0])) and p.values[0] != "\r"
]
# What may never reach a terminal raw (a tab is harmless and shown as a space under a caret).
DANGEROUS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)

AT = "2026-03-10T12:00"


def contract(title: str, clause_title: str = "Availability") -> str:
    return shop_contract(title, clause_title)


def log(bad_value: str) -> str:
    """One incident (January, one hour) and one line rejected for its severity."""
    return (
        json.dumps(
            {
                "type": "incident",
                "id": "I-1",
                "severity": 1,
                "start": "2026-01-10T10:00:00+01:00",
                "end": "2026-01-10T11:00:00+01:00",
            }
        )
        + "\n"
        + json.dumps(
            {
                "type": "incident",
                "id": "I-2",
                "severity": bad_value,
                "start": "2026-02-01T10:00:00Z",
            }
        )
        + "\n"
    )


def assert_inert(*texts: str) -> None:
    for text in texts:
        found = DANGEROUS.findall(text)
        assert not found, (found, text)


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


# ----------------------------------------------------------------------------- the function
@pytest.mark.parametrize(("raw", "shown"), PARAMS)
def test_inert_escapes_each_class_visibly(raw: str, shown: str) -> None:
    assert inert(f"a{raw}b") == f"a{shown}b"
    assert not is_inert(f"a{raw}b")


def test_inert_keeps_ordinary_text_and_escapes_newlines_unless_they_are_structure() -> None:
    text = "Zürich: 99.9% — «ok» 東京 \\x1b"
    assert inert(text) == text
    assert inert("a\nb\tc") == "a\\nb\\tc"
    assert inert("a\nb\tc", newlines=True) == "a\nb\\tc"
    assert inert("a\nb\tc", newlines=True, tabs=True) == "a\nb\tc"


def test_inert_escapes_lone_surrogates_of_file_names_that_are_not_utf8() -> None:
    name = b"events\xff.jsonl".decode("utf-8", "surrogateescape")
    assert inert(name) == "events\\udcff.jsonl"
    inert(name).encode("utf-8")  # printable on any UTF-8 output


def test_inert_json_keeps_the_value() -> None:
    value = {"title": "a\x1b\x9b\x7f\u202e\u200bb"}
    text = inert_json(json.dumps(value, ensure_ascii=False))
    assert text == '{"title": "a\\u001b\\u009b\\u007f\\u202e\\u200bb"}'
    assert json.loads(text) == value


# -------------------------------------------------------------------- diagnostics and carets
@pytest.mark.parametrize(("raw", "shown"), PARAMS)
def test_the_caret_stays_under_its_character_after_an_escaped_one(raw: str, shown: str) -> None:
    line = f'contract shop "We{raw}b" version 2 oops'
    diagnostic = Diagnostic(
        Severity.ERROR, f"unexpected {raw}", f"x{raw}.sla", 1, line.index("oops") + 1,
        hint=f"remove {raw}", source_line=line + "\n",
    )  # fmt: skip
    first, source, caret = diagnostic.format().split("\n")
    assert (
        first
        == f"x{shown}.sla:1:{line.index('oops') + 1}: error: unexpected {shown} (remove {shown})"
    )
    assert source == f'  contract shop "We{shown}b" version 2 oops'
    assert caret.index("^") == source.index("oops")


def test_a_tab_before_the_caret_shows_as_one_space() -> None:
    diagnostic = Diagnostic(Severity.WARNING, "m", "f.sla", 1, 4, source_line="\t\x1bab")
    assert diagnostic.format() == "f.sla:1:4: warning: m\n   \\x1bab\n        ^"  # under b


def test_a_caret_past_the_end_of_the_line_keeps_its_column() -> None:
    diagnostic = Diagnostic(Severity.ERROR, "m", "f.sla", 1, 6, source_line="\x1bab")
    assert diagnostic.format() == "f.sla:1:6: error: m\n  \\x1bab\n          ^"


def test_an_error_about_no_line_shows_no_made_up_position() -> None:
    from obligo.errors import ObligoError

    assert str(ObligoError("the evaluation time has no timezone", hint="h\x1b")) == (
        "error: the evaluation time has no timezone (h\\x1b)"
    )
    assert str(ObligoError("cannot write it", file="out\u202e.txt")) == (
        "out\\u202e.txt: error: cannot write it"
    )


# ------------------------------------------------------------------------------- obligo check
@pytest.mark.parametrize(("raw", "shown"), IN_CONTRACTS)
def test_check_shows_file_name_and_source_line_inert(
    runner: CliRunner, tmp_path: Path, raw: str, shown: str
) -> None:
    name = f"shop{raw}.sla"
    text = contract(f"We{raw}b").replace(" version 2\n", " version 2 oops\n", 1)
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["check", name])
    assert result.exit_code == 2
    column = text.index("oops") + 1
    line = f'contract shop "We{shown}b" version 2 oops'
    assert result.stdout == (
        f'shop{shown}.sla:1:{column}: error: unexpected "oops", expected the end of the line\n'
        f"  {line}\n  {' ' * line.index('oops')}^\n"
    )
    assert_inert(result.stdout, result.stderr)


@pytest.mark.parametrize(("raw", "shown"), REFUSED_IN_CONTRACTS)
def test_a_control_character_in_a_contract_is_refused_and_shown_inert(
    runner: CliRunner, tmp_path: Path, raw: str, shown: str
) -> None:
    text = contract(f"We{raw}b")
    (tmp_path / "shop.sla").write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["check", "shop.sla"])
    assert result.exit_code == 2
    column = text.index(raw) + 1
    line = f'contract shop "We{shown}b" version 2'
    assert result.stdout.startswith(
        f"shop.sla:1:{column}: error: a quoted text holds the control character U+{ord(raw):04X}"
    )
    assert f"\n  {line}\n  {' ' * line.index(shown)}^\n" in result.stdout
    assert_inert(result.stdout, result.stderr)


# -------------------------------------------------------------------------------- obligo eval
# A log's values and file names may hold any character; the contract's title holds it where the
# lexer accepts it (the format characters), and is plain otherwise.
IN_LOGS = [p for p in PARAMS if p.values[0] != "\r"]


def title(raw: str, shown: str | None = None) -> str:
    if CONTROLS.match(raw):
        return "Webshop"
    return f"Web{raw if shown is None else shown}shop"


@pytest.mark.parametrize(("raw", "shown"), IN_LOGS)
def test_eval_text_report_shows_title_file_name_and_log_values_inert(
    runner: CliRunner, tmp_path: Path, raw: str, shown: str
) -> None:
    (tmp_path / "shop.sla").write_text(contract(title(raw)), encoding="utf-8")
    (tmp_path / f"events{raw}.jsonl").write_text(log(f"high{raw}"), encoding="utf-8")
    args = ["eval", "shop.sla", "--events", f"events{raw}.jsonl", "--at", AT]

    stopped = runner.invoke(cli, args)
    assert stopped.exit_code == 2
    assert stopped.stdout == ""
    assert f"  events{shown}.jsonl:2: `severity` is not a number:" in stopped.stderr
    assert_inert(stopped.stderr)

    result = runner.invoke(cli, [*args, "--skip-invalid"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f'contract shop "{title(raw, shown)}" version 2'
    assert (
        f"events{shown}.jsonl: 2 lines, 1 used, 0 outside the periods,"
        " 0 not used by this contract, 1 rejected"
    ) in lines
    assert any(line.startswith(f"  events{shown}.jsonl:2: ") for line in lines)
    assert_inert(result.stdout, result.stderr)


@pytest.mark.parametrize(("raw", "shown"), IN_LOGS)
def test_eval_json_escapes_them_and_keeps_the_values(
    runner: CliRunner, tmp_path: Path, raw: str, shown: str
) -> None:
    (tmp_path / "shop.sla").write_text(contract(title(raw)), encoding="utf-8")
    (tmp_path / f"events{raw}.jsonl").write_text(log(f"high{raw}"), encoding="utf-8")
    result = runner.invoke(
        cli,
        ["eval", "shop.sla", "--events", f"events{raw}.jsonl", "--at", AT, "--skip-invalid",
         "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout)
    if title(raw) != "Webshop":
        assert f'"title": "Web\\u{ord(raw):04x}shop"' in result.stdout
    report = json.loads(result.stdout)
    assert report["contract"]["title"] == title(raw)
    assert report["inputs"][0]["name"] == f"events{raw}.jsonl"


@pytest.mark.parametrize(("raw", "shown"), PARAMS)
def test_an_error_message_naming_a_file_shows_it_inert(
    runner: CliRunner, tmp_path: Path, raw: str, shown: str
) -> None:
    (tmp_path / "shop.sla").write_text(contract("Web shop"), encoding="utf-8")
    result = runner.invoke(cli, ["eval", "shop.sla", "--events", f"missing{raw}.jsonl", "--at", AT])
    assert result.exit_code == 2
    assert f"missing{shown}.jsonl" in result.stderr
    assert_inert(result.stderr)
    assert len(result.stderr.splitlines()) == 1


# ---------------------------------------------------------------------------- obligo baseline
@pytest.mark.parametrize(("raw", "shown"), IN_CONTRACTS)
def test_baseline_shows_titles_inert(
    runner: CliRunner, tmp_path: Path, raw: str, shown: str
) -> None:
    (tmp_path / "shop.sla").write_text(
        contract(f"Web{raw}shop", f"Avail{raw}ability"), encoding="utf-8"
    )
    (tmp_path / "events.jsonl").write_text(log("1"), encoding="utf-8")
    args = ["baseline", "shop.sla", "--events", "events.jsonl", "--at", AT]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f'contract shop "Web{shown}shop" version 2'
    assert f'1 "Avail{shown}ability": uptime >= 99.9%' in lines
    assert_inert(result.stdout)
    data = runner.invoke(cli, [*args, "--format", "json"])
    assert_inert(data.stdout)
    assert json.loads(data.stdout)["contract"]["title"] == f"Web{raw}shop"


# --------------------------------------------------------------------------------- obligo fmt
@pytest.mark.parametrize(("raw", "shown"), IN_CONTRACTS)
def test_fmt_diff_shows_the_contract_inert_and_fmt_keeps_it_as_it_is(
    runner: CliRunner, tmp_path: Path, raw: str, shown: str
) -> None:
    text = contract(f"Web{raw}shop").replace(" version 2", "  version 2", 1)
    name = f"shop{raw}.sla"
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["fmt", "--diff", name])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"--- shop{shown}.sla\n+++ shop{shown}.sla\n@@ ")
    assert f'-contract shop "Web{shown}shop"  version 2\n' in result.stdout
    assert f'+contract shop "Web{shown}shop" version 2\n' in result.stdout
    assert_inert(result.stdout, result.stderr)

    rewritten = runner.invoke(cli, ["fmt", name])
    assert rewritten.exit_code == 0
    assert rewritten.stderr == f"reformatted shop{shown}.sla\n"
    # The contract's own text is data: it is rewritten as it was written.
    assert (tmp_path / name).read_text(encoding="utf-8") == contract(f"Web{raw}shop")


# ------------------------------------------------------------------------ obligo check --resolve
@pytest.mark.parametrize(("raw", "shown"), IN_CONTRACTS)
def test_check_resolve_shows_titles_and_paths_inert(
    runner: CliRunner, tmp_path: Path, raw: str, shown: str
) -> None:
    folder = tmp_path / f"nimbus{raw}"
    shutil.copytree(REPO / "contracts" / "nimbus", folder)
    corporate = folder / "corporate.sla"
    corporate.write_text(
        corporate.read_text(encoding="utf-8").replace(
            'clause 1.3 "Major incidents"', f'clause 1.3 "Major{raw} incidents"'
        ),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["check", "--resolve", "customer=globex,service=db", folder.name])
    assert result.exit_code == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert f"  corporate  nimbus            nimbus{shown}/corporate.sla" in lines
    major = next(line for line in lines if line.startswith("  1.3 "))
    assert major.split()[1:] == [
        f'"Major{shown}',
        'incidents"',
        "corporate",
        f"nimbus{shown}/corporate.sla:54",
    ]
    assert_inert(result.stdout, result.stderr)


@pytest.mark.parametrize(("raw", "shown"), IN_CONTRACTS)
def test_eval_of_an_agreement_set_shows_its_files_inert(
    runner: CliRunner, tmp_path: Path, raw: str, shown: str
) -> None:
    folder = tmp_path / f"nimbus{raw}"
    shutil.copytree(REPO / "contracts" / "nimbus", folder)
    (tmp_path / "events.jsonl").write_text(log("1"), encoding="utf-8")
    result = runner.invoke(
        cli, ["eval", folder.name, "--events", "events.jsonl", "--at", AT, "--skip-invalid"]
    )
    assert result.exit_code == 0, result.stderr
    assert f"   clause 1.3: corporate nimbus{shown}/corporate.sla:54" in result.stdout.splitlines()
    assert_inert(result.stdout, result.stderr)

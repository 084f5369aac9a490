"""The formatter, ``obligo fmt``: the canonical layout, idempotence, meaning kept, the command."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import obligo
from obligo.cli import cli
from obligo.model import without_locations
from obligo.syntax.fmt import format_text

REPO = Path(__file__).resolve().parent.parent
CONTRACTS = sorted((REPO / "contracts").rglob("*.sla"))

# "~" stands for a trailing space (kept out of the source so that editors and linters leave it).
MESSY = """


# Header comment: the demo contract
#no space after the hash, kept as written
contract   demo "Demo contract"    version 2     # the agreement
    kind\tcustomer-based
    provider  nimbus "Nimbus"
    customer acme "Acme"             # who pays
    term 2026-01-01 to 2026-12-31 ,renews yearly,  notice 90 days~~
    currency EUR
service api "API"
    fee 1000 EUR monthly           # aligned
    delivered by nimbus            # aligned too
~~
        # a note at the end of the service block



# about the calendar
calendar office
    monday to friday 09:00 to 17:00
    holidays 2026-04-03 ,2026-12-25
metric api-uptime "API availability"
    # the measure comes first
    availability of api ,  per calendar month
    down during incident records where ( service = "api"
          # the wrapped part
          and `http status`>=500 and severity<=2 )
metric storage-uptime
  100% minus the average error-rate in slices of 5 minutes, per calendar month
  error-rate = count ( request records where status in [ 500 , 503 ] )/count(request records)
  a slice without request records has an error-rate of 0%
metric region-uptime
   availability, per calendar month
   in slices of 1 minute
   a slice is down when every zone in [
         "eu-1a",
                 "eu-1b"
      ] has probe records where ok = false
clause 4.1 "API"
    promise api-uptime>=99.9%
    credit
            10% of the fee when api-uptime < 99.9%    # tier one
            # between the tiers
            25% of the fee when api-uptime < 99.0%
renegotiate when any clause is breached in 3 of the last 6 months
renegotiate when api-uptime >= 99.99% for 6 consecutive months, because "too \\"easy\\" # no comment"


renegotiate when the volume of request records moves 50% from the baseline
notify 90 days before the end of the term
# the end~~~
""".replace("~", " ")

EXPECTED = """\
# Header comment: the demo contract
#no space after the hash, kept as written
contract demo "Demo contract" version 2  # the agreement
  kind customer-based
  provider nimbus "Nimbus"
  customer acme "Acme"  # who pays
  term 2026-01-01 to 2026-12-31, renews yearly, notice 90 days
  currency EUR

service api "API"
  fee 1000 EUR monthly  # aligned
  delivered by nimbus  # aligned too

  # a note at the end of the service block

# about the calendar
calendar office
  monday to friday 09:00 to 17:00
  holidays 2026-04-03, 2026-12-25

metric api-uptime "API availability"
  # the measure comes first
  availability of api, per calendar month
  down during incident records where (service = "api"
    # the wrapped part
    and `http status` >= 500 and severity <= 2)

metric storage-uptime
  100% minus the average error-rate in slices of 5 minutes, per calendar month
  error-rate = count(request records where status in [500, 503]) / count(request records)
  a slice without request records has an error-rate of 0%

metric region-uptime
  availability, per calendar month
  in slices of 1 minute
  a slice is down when every zone in [
    "eu-1a",
    "eu-1b"
  ] has probe records where ok = false

clause 4.1 "API"
  promise api-uptime >= 99.9%
  credit
    10% of the fee when api-uptime < 99.9%  # tier one
    # between the tiers
    25% of the fee when api-uptime < 99.0%

renegotiate when any clause is breached in 3 of the last 6 months
renegotiate when api-uptime >= 99.99% for 6 consecutive months, because "too \\"easy\\" # no comment"

renegotiate when the volume of request records moves 50% from the baseline

notify 90 days before the end of the term
# the end
"""


def meaning(text: str, filename: str = "<string>") -> Any:
    return without_locations(obligo.parse(text, filename))


# ------------------------------------------------------------------------------ the layout
def test_messy_contract_gets_the_canonical_layout() -> None:
    assert format_text(MESSY) == EXPECTED


def test_messy_contract_keeps_its_meaning() -> None:
    assert meaning(EXPECTED) == meaning(MESSY)


def test_format_contract_is_the_formatter() -> None:
    assert obligo.format_contract(MESSY) == EXPECTED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", "", id="empty"),
        pytest.param("\n\n  \n", "", id="only-blank-lines"),
        pytest.param("# just a note", "# just a note\n", id="only-a-comment"),
        pytest.param("contract a", "contract a\n", id="newline-added-at-the-end"),
        pytest.param("contract a\r\n  kind x\r\n", "contract a\n  kind x\n", id="crlf"),
        pytest.param("\ufeffcontract a\n", "contract a\n", id="byte-order-mark"),
        pytest.param("contract a\n\n\n\n", "contract a\n", id="blank-lines-at-the-end"),
        # The parser does not read the first line's indentation (no newline precedes it).
        pytest.param("   contract a\n   kind x\n", "contract a\n  kind x\n", id="first-line"),
        pytest.param(
            "contract a\n      kind x\n      level service\n",
            "contract a\n  kind x\n  level service\n",
            id="six-space-indentation",
        ),
        pytest.param(
            "m = count (a records) / ( x+y ) * `my value` (z)\n",
            "m = count(a records) / (x+y) * `my value`(z)\n",
            id="function-calls-and-groups",
        ),
        pytest.param(
            "x where ( a = 1 or not ( b != 2 ) ) and(c < 3)\n",
            "x where (a = 1 or not (b != 2)) and (c < 3)\n",
            id="groups-after-words",
        ),
        pytest.param(
            's when every zone in[ "a" , "b" ]has x\n',
            's when every zone in ["a", "b"] has x\n',
            id="lists",
        ),
        pytest.param(
            "down when any of [ a ,all of [b,c ] ] is down\n",
            "down when any of [a, all of [b, c]] is down\n",
            id="nested-lists",
        ),
        pytest.param(
            'x "a  #  b" `c  d`#comment   \n',
            'x "a  #  b" `c  d`  #comment\n',
            id="strings-and-names-kept-whole",
        ),
        pytest.param(
            "a>=1 b<=2 c!=3 d>4 e<5 f=6\n", "a >= 1 b <= 2 c != 3 d > 4 e < 5 f = 6\n", id="ops"
        ),
        pytest.param(
            "t 99.9% 30m 09:00 2026-01-01\n", "t 99.9% 30m 09:00 2026-01-01\n", id="units"
        ),
    ],
)
def test_layout_rules(text: str, expected: str) -> None:
    assert format_text(text) == expected


def test_top_level_declarations_are_separated_by_one_blank_line() -> None:
    text = "contract a\n  kind x\nservice s\n\n\n\nservice t\nbaseline the first 3 months\n"
    assert format_text(text) == (
        "contract a\n  kind x\n\nservice s\n\nservice t\n\nbaseline the first 3 months\n"
    )


def test_one_line_declarations_of_a_kind_keep_the_authors_spacing() -> None:
    together = 'import "a.sla"\nimport "b.sla"\n\n\nimport "c.sla"\ncontract x\n'
    assert (
        format_text(together) == 'import "a.sla"\nimport "b.sla"\n\nimport "c.sla"\n\ncontract x\n'
    )
    # A declaration with a body is not a one-line declaration.
    assert format_text("service a\n  fee x\nservice b\n") == "service a\n  fee x\n\nservice b\n"


def test_comments_directly_above_a_declaration_stay_attached() -> None:
    text = "contract a\n  kind x\n# about s\n# more\nservice s\n"
    assert format_text(text) == "contract a\n  kind x\n\n# about s\n# more\nservice s\n"
    # A blank line between the comment and the declaration: the comment is not attached.
    text = "contract a\n  kind x\n# end of a\n\n\n# about s\nservice s\n"
    assert format_text(text) == "contract a\n  kind x\n# end of a\n\n# about s\nservice s\n"


def test_full_line_comments_take_the_indentation_of_the_next_code_line() -> None:
    text = "contract a\n# first item\n      kind x\n    # before the next declaration\nservice s\n"
    assert format_text(text) == (
        "contract a\n  # first item\n  kind x\n\n# before the next declaration\nservice s\n"
    )


def test_a_comment_above_the_first_line_of_a_block_goes_into_the_block() -> None:
    text = "metric m\n      # indented too far\n    availability, per calendar month\n"
    assert format_text(text) == (
        "metric m\n  # indented too far\n  availability, per calendar month\n"
    )


def test_a_comment_at_the_end_of_a_block_stays_in_it() -> None:
    text = (
        "clause 1\n   credit\n      10% of the fee when m < 1%\n      # last tier\n   # last item\n"
    )
    assert format_text(text) == (
        "clause 1\n  credit\n    10% of the fee when m < 1%\n    # last tier\n  # last item\n"
    )


def test_continuation_lines_are_indented_from_the_line_that_opened_the_bracket() -> None:
    text = (
        "metric m\n"
        "    down when any of [a,\n"
        "all of [\n"
        "                b,\n"
        "  c],\n"
        "             d\n"
        "          ] is down\n"
        "    excluding x\n"
    )
    assert format_text(text) == (
        "metric m\n"
        "  down when any of [a,\n"
        "    all of [\n"
        "      b,\n"
        "      c],\n"
        "    d\n"
        "  ] is down\n"
        "  excluding x\n"
    )


# ------------------------------------------------------------------------------ invariants
def _contract_id(path: Path) -> str:
    return str(path.relative_to(REPO / "contracts"))


@pytest.mark.parametrize("path", CONTRACTS, ids=_contract_id)
def test_formatting_is_idempotent(path: Path) -> None:
    once = format_text(path.read_text(encoding="utf-8"))
    assert format_text(once) == once


@pytest.mark.parametrize("path", CONTRACTS, ids=_contract_id)
def test_a_bundled_contract_is_in_the_canonical_layout(path: Path) -> None:
    # An identity test: formatting a bundled contract gives back the file unchanged, comments
    # and all (`obligo fmt --check contracts` passes).
    text = path.read_text(encoding="utf-8")
    assert format_text(text) == text


def test_formatting_the_messy_contract_is_idempotent() -> None:
    assert format_text(EXPECTED) == EXPECTED


@pytest.mark.parametrize("path", CONTRACTS, ids=_contract_id)
def test_formatting_keeps_the_meaning(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert meaning(format_text(text), str(path)) == meaning(text, str(path))


def test_there_are_contracts_to_check() -> None:
    assert CONTRACTS, "contracts/*.sla is empty"


# ------------------------------------------------------------------------------ re-spacing
# An independent reading of a canonical line: tokens (quoted texts and backtick names whole,
# brackets, commas and operators apart) and the comment at the end.
_TOKEN = re.compile(
    r'(?:"(?:[^"\\\n]|\\.)*"|`[^`\n]+`|[^\s,()\[\]<>=!/*"`#]|!(?!=))+'
    r"|>=|<=|!=|[,()\[\]<>=/*]"
)


def _split(line: str) -> tuple[list[str], list[bool], str | None]:
    """A canonical line's tokens, whether a space follows each, and its comment."""
    tokens: list[str] = []
    spaced: list[bool] = []
    position = 0
    while position < len(line):
        if line[position] == " ":
            spaced[-1] = True
            position += 1
        elif line[position] == "#":
            return tokens, spaced, line[position:]
        else:
            match = _TOKEN.match(line, position)
            assert match, line[position:]
            tokens.append(match.group())
            spaced.append(False)
            position = match.end()
    return tokens, spaced, None


def _is_declaration(line: str) -> bool:
    return bool(line) and not line[0].isspace() and line[0] not in "#)]"


def _is_code(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _one_liners_of_a_kind(lines: list[str], index: int) -> bool:
    """Whether the declaration at ``index`` and the one before it are one-liners alike."""
    before = next((line for line in reversed(lines[:index]) if _is_code(line)), None)
    after = next((line for line in lines[index + 1 :] if _is_code(line)), None)
    return (
        before is not None
        and _is_declaration(before)
        and before.split()[0] == lines[index].split()[0]
        and (after is None or _is_declaration(after))
    )


def _blank_line_choices(lines: list[str]) -> list[tuple[int, int]]:
    """Where a canonical text has a blank line, the numbers of blank lines it may have instead."""
    choices = []
    for index, line in enumerate(lines):
        if line:
            continue
        following = index + 1
        while following < len(lines) - 1 and lines[following].startswith("#"):
            following += 1
        separator = (
            _is_declaration(lines[following])
            and not lines[index - 1].startswith("#")
            and not _one_liners_of_a_kind(lines, following)
        )
        choices.append((0 if separator else 1, 3))
    return choices


@st.composite
def respaced(draw: st.DrawFn, canonical: str) -> str:
    """The canonical text with other spaces, indentation widths, blank lines and line ends."""
    lines = canonical.splitlines()
    width = draw(st.integers(1, 6))
    blanks = iter(draw(st.tuples(*(st.integers(a, b) for a, b in _blank_line_choices(lines)))))
    out: list[str] = ["" for _ in range(draw(st.integers(0, 2)))]
    for line in lines:
        if not line:
            out.extend([" " * draw(st.integers(0, 3))] * next(blanks))
            continue
        level = (len(line) - len(line.lstrip(" "))) // 2
        tokens, spaced, comment = _split(line.strip())
        text = ""
        for token, space in zip(tokens, spaced, strict=True):
            gap = draw(st.text(" \t", min_size=1 if space else 0, max_size=3))
            text += token + gap
        if comment is not None and tokens:
            text += draw(st.text(" \t", min_size=1, max_size=4))
        text += comment or ""
        out.append(" " * (level * width) + text + " " * draw(st.integers(0, 2)))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(out) + newline * draw(st.integers(0, 3))


CANONICAL = [(str(path), format_text(path.read_text(encoding="utf-8"))) for path in CONTRACTS]
CANONICAL.append(("<string>", EXPECTED))


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_respacing_a_contract_does_not_change_its_layout(data: st.DataObject) -> None:
    filename, canonical = data.draw(st.sampled_from(CANONICAL), label="contract")
    text = data.draw(respaced(canonical), label="respaced")
    assert format_text(text) == canonical
    assert meaning(text, filename) == meaning(canonical, filename)


# ------------------------------------------------------------------------------ the command
@pytest.fixture
def messy_file(tmp_path: Path) -> Path:
    path = tmp_path / "messy.sla"
    path.write_bytes(MESSY.encode("utf-8"))
    return path


@pytest.fixture
def formatted_file(tmp_path: Path) -> Path:
    path = tmp_path / "formatted.sla"
    path.write_bytes(EXPECTED.encode("utf-8"))
    return path


def test_check_exits_1_and_changes_nothing_when_a_file_would_change(messy_file: Path) -> None:
    result = CliRunner().invoke(cli, ["fmt", "--check", str(messy_file)])
    assert result.exit_code == 1, result.output
    assert f"would reformat {messy_file}" in result.stderr
    assert messy_file.read_bytes() == MESSY.encode("utf-8")


def test_check_exits_0_on_a_formatted_file(formatted_file: Path) -> None:
    result = CliRunner().invoke(cli, ["fmt", "--check", str(formatted_file)])
    assert result.exit_code == 0, result.output
    assert formatted_file.read_bytes() == EXPECTED.encode("utf-8")


def test_check_exits_1_when_one_of_several_files_would_change(
    messy_file: Path, formatted_file: Path
) -> None:
    result = CliRunner().invoke(cli, ["fmt", "--check", str(formatted_file), str(messy_file)])
    assert result.exit_code == 1, result.output


def test_diff_prints_a_unified_diff_and_changes_nothing(messy_file: Path) -> None:
    result = CliRunner().invoke(cli, ["fmt", "--diff", str(messy_file)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"--- {messy_file}\n+++ {messy_file}\n@@ ")
    assert "-    kind\tcustomer-based\n" in result.stdout
    assert "+  kind customer-based\n" in result.stdout
    assert messy_file.read_bytes() == MESSY.encode("utf-8")


def test_fmt_rewrites_a_file_in_place(messy_file: Path, formatted_file: Path) -> None:
    result = CliRunner().invoke(cli, ["fmt", str(messy_file), str(formatted_file)])
    assert result.exit_code == 0, result.output
    assert messy_file.read_bytes() == EXPECTED.encode("utf-8")
    assert formatted_file.read_bytes() == EXPECTED.encode("utf-8")
    assert f"reformatted {messy_file}" in result.stderr
    assert str(formatted_file) not in result.stderr


def test_fmt_dash_reads_stdin_and_writes_stdout() -> None:
    result = CliRunner().invoke(cli, ["fmt", "-"], input=MESSY)
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED


@pytest.mark.parametrize("args", [[], ["--check"], ["--diff"]])
def test_a_syntax_error_exits_2_without_a_traceback(tmp_path: Path, args: list[str]) -> None:
    bad = tmp_path / "bad.sla"
    text = "contract demo\n  kind customer-based\n  currency\n"
    bad.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["fmt", *args, str(bad)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert re.search(rf"^{re.escape(str(bad))}:3:\d+: error: ", result.stderr, re.MULTILINE)
    assert "Traceback" not in result.output
    assert bad.read_text(encoding="utf-8") == text

"""One source-text type (``obligo.syntax.lines.SourceText``): the lines and the line:column of a
contract's text as the lexer counts them, for the parser, the transformer, the checks, fmt and
the errors alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import obligo
from obligo.cli import cli
from obligo.errors import Diagnostic, Severity, excerpt
from obligo.syntax.grammar import parser
from obligo.syntax.lines import SourceText, line_at, split_lines

REPO = Path(__file__).resolve().parent.parent
CONTRACTS = sorted((REPO / "contracts").rglob("*.sla"))
# Characters that str.splitlines takes for line breaks and the lexer does not.
NOT_LINE_BREAKS = ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r"]


# ------------------------------------------------------------------------------- the type
def test_lines_end_at_line_feeds_only() -> None:
    source = SourceText("\ufeffa\x0cb\r\nc\u2028d\x85e\n")
    assert source.text == "a\x0cb\r\nc\u2028d\x85e\n"
    assert source.lines == ("a\x0cb", "c\u2028d\x85e", "")
    assert (source.line(0), source.line(1), source.line(3), source.line(4)) == (
        None,
        "a\x0cb",
        "",
        None,
    )


def test_location_counts_lines_at_line_feeds_and_columns_in_characters() -> None:
    source = SourceText("ab\r\ncd\x0cx\n\nz")
    where = {offset: source.location(offset) for offset in range(len(source.text) + 1)}
    assert where == {
        0: (1, 1), 1: (1, 2), 2: (1, 3), 3: (1, 4),
        4: (2, 1), 5: (2, 2), 6: (2, 3), 7: (2, 4), 8: (2, 5),
        9: (3, 1),
        10: (4, 1), 11: (4, 2),
    }  # fmt: skip
    assert [source.line_start(offset) for offset in (0, 3, 4, 8, 9, 10, 11)] == [
        0,
        0,
        4,
        4,
        9,
        10,
        10,
    ]


def test_excerpt_is_the_line_and_a_caret_as_errors_show_them() -> None:
    source = SourceText('contract c\n  kind "a\tb"\x0c\n')
    # A tab shows as one space, a form feed escaped; the caret stays under what it points at.
    assert source.excerpt(2, 13) == '    kind "a b"\\x0c\n              ^'
    assert source.excerpt(3, 1) == "  \n  ^"
    assert source.excerpt(4, 1) is None
    diagnostic = Diagnostic(Severity.ERROR, "m", "f.sla", 2, 13, None, source.line(2))
    assert diagnostic.format() == "f.sla:2:13: error: m\n" + excerpt(source.lines[1], 13)


def test_the_old_helpers_are_the_type() -> None:
    text = "\ufeffa\x0cb\r\nc\u2028d\x85e\n"
    assert split_lines(text) == list(SourceText(text).lines)
    assert line_at(text, 2) == SourceText(text).line(2) == line_at(split_lines(text), 2)


# ----------------------------------------------------------------- the lexer's own numbers
def _texts() -> list[tuple[str, str]]:
    texts = [(str(p.relative_to(REPO)), p.read_text(encoding="utf-8")) for p in CONTRACTS]
    # Every bundled contract again with each of the characters that are no line break in the
    # comments and the quoted texts, and with "\r\n" line endings.
    odd = "".join(NOT_LINE_BREAKS[:-1]).replace("\x0b", "")
    for name, text in list(texts):
        texts.append((name + "+odd", text.replace("# ", f"# {odd} ")))
        texts.append((name + "+crlf", text.replace("\n", "\r\n")))
    return texts


@pytest.mark.parametrize(("name", "text"), _texts(), ids=[n for n, _ in _texts()])
def test_location_is_where_the_lexer_puts_every_token(name: str, text: str) -> None:
    source = SourceText(text)
    tokens = list(parser().parse_interactive(source.text).iter_parse())
    assert len(tokens) > 50, name
    for token in tokens:
        if token.type in ("_INDENT", "_DEDENT") or token.start_pos is None:
            continue
        assert source.location(token.start_pos) == (token.line, token.column), (name, token)
        line = source.line(token.line or 0)
        assert line is not None
        assert line[(token.column or 1) - 1 :].startswith(str(token).split("\n")[0].rstrip("\r"))


# --------------------------------------------------------- a form feed before an error
FORM_FEED = (
    'contract c "C"\n'
    '  timezone "UTC"\n'
    "# part one\x0c part two\n"
    "\n"
    "service api\n"
    "\n"
    "#\x0c\n"
    'metric m "M"\n'
    "  availability of apj per calendar month\n"
    "  down during incident records\n"
)


def _lexer_location(text: str, word: str) -> tuple[int, int]:
    for token in parser().parse_interactive(text).iter_parse():
        if str(token) == word:
            return token.line or 0, token.column or 0
    raise AssertionError(word)


def test_a_check_after_form_feeds_is_located_where_the_lexer_puts_the_word() -> None:
    assert _lexer_location(FORM_FEED, "apj") == (9, 19)
    (finding,) = obligo.check(obligo.parse(FORM_FEED, filename="ff.sla"))
    assert finding.message == 'unknown service "apj"'
    assert (finding.line, finding.column) == (9, 19)
    assert finding.source_line == "  availability of apj per calendar month"


def test_check_prints_the_lexers_line_and_column_after_a_form_feed(tmp_path: Path) -> None:
    path = tmp_path / "ff.sla"
    path.write_bytes(FORM_FEED.encode("utf-8"))
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(
        f'{path}:9:19: error: unknown service "apj" (did you mean "api"?)\n'
        "    availability of apj per calendar month\n"
        "                    ^\n"
    )


@pytest.mark.parametrize("odd", NOT_LINE_BREAKS)
def test_a_syntax_error_after_an_odd_character_in_a_comment_is_where_the_lexer_says(
    odd: str,
) -> None:
    text = FORM_FEED.replace("\x0c", odd).replace("per calendar month", "per calendar month,")
    with pytest.raises(obligo.ObligoSyntaxError) as raised:
        obligo.parse(text, filename="ff.sla")
    error = raised.value
    assert (error.line, error.column) == (9, 42)  # just after the comma, as without it
    assert error.source_line == "  availability of apj per calendar month,"


@pytest.mark.parametrize("odd", NOT_LINE_BREAKS)
def test_a_transformer_error_after_an_odd_character_is_where_the_lexer_says(odd: str) -> None:
    text = FORM_FEED.replace("\x0c", odd).replace("per calendar month", "per calendar mnth")
    with pytest.raises(obligo.ObligoSemanticError) as raised:
        obligo.parse(text, filename="ff.sla")
    error = raised.value
    assert (error.line, error.column) == _lexer_location(text, "mnth") == (9, 36)
    assert error.source_line == "  availability of apj per calendar mnth"


def test_fmt_reads_standard_input_with_the_lines_of_a_file(tmp_path: Path) -> None:
    text = "contract c  # a\rb\n  kind customer-based\n"
    path = tmp_path / "cr.sla"
    path.write_bytes(text.encode("utf-8"))
    from_file = CliRunner().invoke(cli, ["fmt", "--diff", str(path)])
    assert from_file.exit_code == 0, from_file.output
    from_stdin = CliRunner().invoke(cli, ["fmt", "-"], input=text.encode("utf-8"))
    assert from_stdin.exit_code == 0, from_stdin.output
    assert from_stdin.output == text


@pytest.mark.parametrize(
    "text",
    [
        "contract c  # a\rb\n  kind customer-based\n",  # a lone CR inside a comment
        "contract c\r\n  kind customer-based\r\n",  # CR LF line ends: written back as LF
        "contract c\r  kind customer-based\r",  # lone CRs end no line: an error, as in a file
    ],
    ids=["cr-in-comment", "crlf", "cr-line-ends"],
)
def test_fmt_of_standard_input_is_fmt_of_the_same_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "c.sla"
    path.write_bytes(text.encode("utf-8"))
    from_file = CliRunner().invoke(cli, ["fmt", "--check", str(path)])
    from_stdin = CliRunner().invoke(cli, ["fmt", "-"], input=text.encode("utf-8"))
    if from_file.exit_code == 2:  # not a contract: the same error, at the same place
        assert from_stdin.exit_code == 2
        assert from_stdin.output.replace("<stdin>", str(path)) == from_file.output
    else:
        assert from_stdin.exit_code == 0, from_stdin.output
        assert from_stdin.output == obligo.format_contract(text)

"""Text to parse tree, with every parse failure turned into an :class:`ObligoSyntaxError`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from lark import Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from obligo.errors import ObligoError, ObligoSyntaxError
from obligo.syntax.grammar import parser

# How terminals that are patterns read in an error message.
TERMINAL_WORDS: dict[str, str] = {
    "NAME": "a name",
    "QUOTED_NAME": "a name",
    "STRING": 'a quoted text ("...")',
    "NUMBER": "a number",
    "PERCENT": "a percentage (99.9%)",
    "COMPACT_QUANTITY": "a quantity (30m)",
    "DATE": "a date (YYYY-MM-DD)",
    "TIME": "a time of day (HH:MM)",
    "CLAUSE_ID": "a clause number (4.1)",
    "CURRENCY": "a currency code (EUR)",
    "_NL": "the end of the line",
    "_INDENT": "an indented line",
    "_DEDENT": "the end of the block",
    "$END": "the end of the file",
    "CMP_GE": '">="',
    "CMP_LE": '"<="',
    "CMP_NE": '"!="',
    "CMP_GT": '">"',
    "CMP_LT": '"<"',
    "CMP_EQ": '"="',
}


def _terminal_word(name: str) -> str:
    if name in TERMINAL_WORDS:
        return TERMINAL_WORDS[name]
    for terminal in parser().terminals:
        if terminal.name == name and isinstance(terminal.pattern, PatternStr):
            return f'"{terminal.pattern.value}"'
    return name.lower()


def _keyword(name: str) -> str | None:
    for terminal in parser().terminals:
        if terminal.name == name and isinstance(terminal.pattern, PatternStr):
            value = terminal.pattern.value
            return value if value.isalpha() else None
    return None


def expected_words(expected: Iterable[str]) -> str:
    """``expected "of" or "("`` from a set of terminal names."""
    words = sorted({_terminal_word(name) for name in expected})
    # Keywords first, in alphabetical order, then descriptions of patterns.
    words.sort(key=lambda w: (not w.startswith('"'), w))
    if len(words) > 8:
        words = [*words[:8], "..."]
        return "expected one of " + ", ".join(words)
    if len(words) == 1:
        return "expected " + words[0]
    return "expected " + ", ".join(words[:-1]) + " or " + words[-1]


def _found(error: UnexpectedToken) -> str:
    token = error.token
    if token.type == "$END":
        return "end of the file"
    if token.type == "_NL":
        return "end of the line"
    if token.type == "_INDENT":
        return "indented line"
    if token.type == "_DEDENT":
        return "end of the block"
    return f'"{token}"'


def _suggestion(found: str, expected: set[str] | frozenset[str]) -> str | None:
    keywords = [k for k in (_keyword(n) for n in expected) if k]
    close = difflib.get_close_matches(found, keywords, n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else None


def source_line(text: str, line: int) -> str | None:
    # Lines end at "\n" only, as for the lexer: splitlines() would also split at "\f", "\x1c", ...
    lines = text.split("\n")
    if 1 <= line <= len(lines):
        return lines[line - 1].rstrip("\r")
    return None


def parse_tree(text: str, filename: str) -> Tree[Token]:
    """The parse tree of a contract's text; raises :class:`ObligoSyntaxError` on any failure."""
    if not text.endswith("\n"):
        text += "\n"
    try:
        return parser().parse(text)
    except ObligoError as error:  # raised by the indenter
        error.file = filename
        error.source_line = source_line(text, error.line)
        raise
    except UnexpectedInput as error:
        raise _translate(error, text, filename) from None


def _accepted(error: UnexpectedInput, fallback: Iterable[str]) -> set[str]:
    """What the parser accepts where it failed.

    The error's own set comes from one LALR state, which is shared by every rule that reads a
    name or a literal, so it lists terminals no rule accepts here; the interactive parser tries
    each of them.
    """
    interactive = getattr(error, "interactive_parser", None)
    if interactive is not None:
        try:
            accepted: set[str] = interactive.accepts()
        except Exception:  # a failed probe must not hide the real error
            accepted = set()
        if accepted:
            return accepted
    return set(fallback)


def _translate(error: UnexpectedInput, text: str, filename: str) -> ObligoSyntaxError:
    line, column = error.line, error.column
    hint: str | None = None
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type in ("_NL", "_DEDENT", "_INDENT", "$END"):
            # These tokens stand at the start of the next line; the problem is at the end of this one.
            line, column = _end_of_previous_code(text, token.line or 1, token.column or 1)
            if token.type == "_INDENT":
                line, column = token.end_line or line, (token.end_column or 1)
        found = _found(error)
        expected = _accepted(error, error.expected)
        message = f"unexpected {found}, {expected_words(expected)}"
        if token.type in ("NAME", "QUOTED_NAME"):
            hint = _suggestion(str(token), expected)
        if token.type == "_INDENT":
            message = "unexpected indented line: only a block's lines are indented"
            hint = "is the line before it missing, or is this line indented by mistake?"
    elif isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream or 0
        char = text[position] if position < len(text) else ""
        shown = char if char.isprintable() else f"U+{ord(char):04X}" if char else "end of the file"
        message = f'unexpected character "{shown}"'
        if error.allowed:
            message += f", {expected_words(_accepted(error, error.allowed))}"
        if char == '"':
            message = 'this text has no closing quote (")'
        if char == "\t":
            message = "a tab is not allowed here; use spaces"
    elif isinstance(error, UnexpectedEOF):
        line, column = _end_of_previous_code(text, text.count("\n") + 1, 1)
        message = f"unexpected end of the file, {expected_words(str(t) for t in error.expected)}"
    else:  # pragma: no cover - every UnexpectedInput is one of the above
        message = str(error)
    if line < 1:
        line, column = 1, 1
    return ObligoSyntaxError(
        message,
        file=filename,
        line=line,
        column=max(column, 1),
        hint=hint,
        source_line=source_line(text, line),
    )


_CODE = re.compile(r'(?:"(?:[^"\\\n]|\\.)*"?|`[^`\n]*`?|[^"`#])*')


def _end_of_previous_code(text: str, line: int, column: int) -> tuple[int, int]:
    """The position just after the last code character at or before (line, column)."""
    lines = text.split("\n")
    index = min(line, len(lines)) - 1
    while index >= 0:
        # The line without its comment; a "#" inside a quoted text or a `name` is not a comment.
        match = _CODE.match(lines[index])
        code = (match.group(0) if match else lines[index]).rstrip()
        if code.strip():
            return index + 1, len(code) + 1
        index -= 1
    return 1, 1

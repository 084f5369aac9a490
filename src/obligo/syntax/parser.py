"""Text to parse tree, with every parse failure turned into an :class:`ObligoSyntaxError`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import cache

from lark import Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from obligo.errors import ObligoError, ObligoSyntaxError
from obligo.model.vocabulary import UNIT_EXAMPLES
from obligo.syntax.grammar import parser
from obligo.syntax.lines import SourceText

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
    expected = set(expected)
    # Right after a number, the only names the grammar takes are units (`30 min`, `4 hours`).
    unit_position = "BUSINESS" in expected
    words = sorted(
        {
            f"a unit ({', '.join(UNIT_EXAMPLES)}, ...)"
            if unit_position and name == "NAME"
            else _terminal_word(name)
            for name in expected
        }
    )
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
    if token.type == "STRING":
        return str(token)
    return f'"{token}"'


def _hint_for(token: Token, expected: set[str], source: SourceText) -> str | None:
    """Advice for mistakes whose message alone does not say what to do."""
    text = source.text
    wants_name = "NAME" in expected
    if token.type == "STRING" and wants_name:
        return 'names are written without quotes; quotes are for values such as "P1"'
    if token.type == "CURRENCY" and wants_name:
        return "names are lowercase words joined by hyphens (api-uptime); write any other name in backticks"
    if str(token) == "of" and token.start_pos is not None:
        line = text[source.line_start(token.start_pos) : token.start_pos]
        if re.fullmatch(r"\s*down\s+when\s+[a-z0-9_-]+\s*", line):
            return (
                "a chain or a redundant group is `down when any of [...] is down` (or `all of`);"
                " a supplier's share of a composite is `down when METRIC is down because of"
                " SUPPLIER`"
            )
    if token.type in ("CMP_EQ", "LPAR") and token.start_pos is not None:
        before = text[: token.start_pos].rstrip()
        word = re.search(r"([a-z_][a-z0-9_-]*)$", before)
        line_start = source.line_start(len(before))
        if word and before[line_start:].strip() == word.group(1) and not wants_name:
            name = word.group(1)
            return f'"{name}" is a word of the language here; to use it as a name, write `{name}`'
    return None


def _suggestion(found: str, expected: Iterable[str]) -> str | None:
    keywords = [k for k in (_keyword(n) for n in expected) if k]
    close = difflib.get_close_matches(found, keywords, n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else None


def parse_tree(text: str, filename: str) -> Tree[Token]:
    """The parse tree of a contract's text; raises :class:`ObligoSyntaxError` on any failure."""
    if not text.endswith("\n"):
        text += "\n"
    source = SourceText(text)
    # The lexer ignores the spaces before the first line (no newline precedes them), so an
    # indented first line would set no indentation and its block would be read at its own level.
    first = source.lines[0]
    code = first.lstrip(" \t")
    if code != first and code.strip() and not code.startswith("#"):
        raise ObligoSyntaxError(
            "unexpected indented line: only a block's lines are indented",
            file=filename,
            line=1,
            column=len(first) - len(code) + 1,
            hint="the first line of a file is not indented",
            source_line=first,
        )
    try:
        return _parse_words(source, filename)
    except ObligoError as error:  # raised by the indenter, or a keyword glued to a word
        error.file = filename
        error.source_line = source.line(error.line)
        raise
    except UnexpectedInput as error:
        raise _translate(error, source, filename) from None


@cache
def _keyword_types() -> frozenset[str]:
    return frozenset(t.name for t in parser().terminals if _keyword(t.name))


# The most rules the parser may have open at once. A real contract needs about 30; each `not`
# or bracket opens one more, each level of `any of [...]` three. Beyond this the parse tree is
# too deep for the transformer and the checks, which recurse over it.
MAX_NESTING = 128

_WORD = re.compile(r"[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*")


def _parse_words(source: SourceText, filename: str) -> Tree[Token]:
    """The parse tree, refusing a keyword glued to the letters after it.

    The lexer reads a keyword wherever the parser accepts one, with no regard for what follows:
    without this check ``per calendarmonth`` would read as ``per calendar month``.
    """
    text = source.text
    interactive = parser().parse_interactive(text)
    token: Token | None = None
    try:
        for token in interactive.iter_parse():
            if len(interactive.parser_state.state_stack) > MAX_NESTING:
                raise ObligoSyntaxError(
                    "this line nests too deeply for obligo to read",
                    file=filename,
                    line=token.line or 1,
                    column=token.column or 1,
                    hint="use fewer brackets, `not`s or `any of`/`all of` groups inside one"
                    " another: about 100 levels at most",
                    source_line=source.line(token.line or 1),
                )
            end = token.end_pos or 0
            if token.type in _keyword_types() and _WORD.match(text, end):
                word = _WORD.match(text, token.start_pos or 0)
                found = word.group(0) if word else str(token)
                expected = interactive.accepts() or {token.type}  # type: ignore[no-untyped-call]
                raise ObligoSyntaxError(
                    f'unexpected "{found}", {expected_words(expected)}',
                    file=filename,
                    line=token.line or 1,
                    column=token.column or 1,
                    hint=_suggestion(found, expected),
                    source_line=source.line(token.line or 1),
                )
        result: Tree[Token] = interactive.feed_eof(token)  # type: ignore[no-untyped-call]
        return result
    except UnexpectedInput as error:
        if getattr(error, "interactive_parser", None) is None:
            error.interactive_parser = interactive
        raise


_WORD_BEFORE = re.compile(r"(?<![A-Za-z0-9_-])([a-z_][a-z0-9_]*(?:-[a-z0-9_]+)*)[ \t]*\Z")


def _misspelt_word_before(
    source: SourceText, position: int
) -> tuple[str, int, int, set[str]] | None:
    """The word before an error on its line, when it looks like a misspelt keyword.

    Where a name is allowed (an aggregate function, a named value, a unit), a misspelt keyword
    reads as a name and the parser fails only at the next token: ``exluding maintenance`` fails
    at "maintenance". Returns the word, its line and column, and what the parser accepts there.
    """
    text = source.text
    match = _WORD_BEFORE.search(text, source.line_start(position), position)
    if match is None:
        return None
    word, start = match.group(1), match.start(1)
    interactive = parser().parse_interactive(text)
    try:
        for token in interactive.iter_parse():
            if (token.start_pos or 0) >= start:
                break
        else:
            return None
        accepted: set[str] = interactive.accepts()  # type: ignore[no-untyped-call]
    except (UnexpectedInput, ObligoError):
        return None
    keywords = {k for k in (_keyword(name) for name in accepted) if k}
    if word in keywords or _suggestion(word, accepted) is None:
        return None
    line, column = source.location(start)
    return word, line, column, accepted


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


def _translate(error: UnexpectedInput, source: SourceText, filename: str) -> ObligoSyntaxError:
    text = source.text
    line, column = error.line, error.column
    hint: str | None = None
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type in ("_NL", "_DEDENT", "_INDENT", "$END"):
            # These tokens stand at the start of the next line; the problem is at the end of this one.
            line, column = _end_of_previous_code(source, token.line or 1, token.column or 1)
            if token.type == "_INDENT":
                line, column = token.end_line or line, (token.end_column or 1)
        found = _found(error)
        expected = _accepted(error, error.expected)
        message = f"unexpected {found}, {expected_words(expected)}"
        if token.type in ("NAME", "QUOTED_NAME"):
            hint = _suggestion(str(token), expected)
        else:
            hint = _hint_for(token, expected, source)
        if token.type == "_INDENT":
            message = "unexpected indented line: only a block's lines are indented"
            hint = "is the line before it missing, or is this line indented by mistake?"
            previous = _previous_code_indent(source, line)
            if previous is not None and previous[1] > 0:
                width = len(str(token))
                message = (
                    f"this line is indented by {width} spaces, deeper than the line above it"
                    f" ({previous[1]}), which opens no block"
                )
                hint = "indent every line of a block by the same amount"
        elif hint is None and token.type not in ("_DEDENT", "$END"):
            misspelt = _misspelt_word_before(source, token.start_pos or 0)
            if misspelt is not None:
                word, line, column, there = misspelt
                message = f'unexpected "{word}", {expected_words(there)}'
                hint = _suggestion(word, there)
    elif isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream or 0
        char = text[position] if position < len(text) else ""
        shown = char if char.isprintable() else f"U+{ord(char):04X}" if char else "end of the file"
        message = f'unexpected character "{shown}"'
        if error.allowed:
            message += f", {expected_words(_accepted(error, error.allowed))}"
        if char == "%" and position > 0 and text[position - 1] in " \t":
            hint = "write a percentage without a space: 99.9%"
        if char == '"':
            message = 'this text has no closing quote (")'
        if char == "\t":
            message = "a tab is not allowed here; use spaces"
    elif isinstance(error, UnexpectedEOF):
        line, column = _end_of_previous_code(source, len(source.lines), 1)
        message = f"unexpected end of the file, {expected_words(str(t) for t in error.expected)}"
    else:  # pragma: no cover - every UnexpectedInput is one of the above
        message = str(error)
    bracket = _unclosed_bracket(source, line, column)
    if bracket is not None:
        # Inside brackets the ends of lines are ignored, so the error shows up far from its cause.
        bracket_line, bracket_column, char = bracket
        at_end = isinstance(error, UnexpectedEOF) or (
            isinstance(error, UnexpectedToken) and error.token.type in ("_DEDENT", "$END")
        )
        if at_end:
            message = f'this "{char}" is not closed'
            hint = f'close it with "{")" if char == "(" else "]"}"'
            line, column = bracket_line, bracket_column
        elif bracket_line < line and hint is None:
            hint = f'is the "{char}" on line {bracket_line} closed?'
    if line < 1:
        line, column = 1, 1
    return ObligoSyntaxError(
        message,
        file=filename,
        line=line,
        column=max(column, 1),
        hint=hint,
        source_line=source.line(line),
    )


_SKIP = re.compile(r'"(?:[^"\\\n]|\\.)*"?|`[^`\n]*`?|#[^\n]*')


def _unclosed_bracket(source: SourceText, line: int, column: int) -> tuple[int, int, str] | None:
    """The innermost ( or [ still open at (line, column): its line, column and character."""
    stack: list[tuple[int, int, str]] = []
    for number, content in enumerate(source.lines[:line], start=1):
        if number == line:
            content = content[: max(column - 1, 0)]
        position = 0
        while position < len(content):
            skipped = _SKIP.match(content, position)
            if skipped:
                position = skipped.end()
                continue
            char = content[position]
            if char in "([":
                stack.append((number, position + 1, char))
            elif char in ")]" and stack:
                stack.pop()
            position += 1
    return stack[-1] if stack else None


_CODE = re.compile(r'(?:"(?:[^"\\\n]|\\.)*"?|`[^`\n]*`?|[^"`#])*')


def _previous_code_indent(source: SourceText, line: int) -> tuple[int, int] | None:
    """The line number and indentation of the last code line before ``line``."""
    lines = source.lines
    for index in range(min(line - 1, len(lines)) - 1, -1, -1):
        code = lines[index].split("#", 1)[0]
        if code.strip():
            return index + 1, len(code) - len(code.lstrip(" "))
    return None


def _end_of_previous_code(source: SourceText, line: int, column: int) -> tuple[int, int]:
    """The position just after the last code character at or before (line, column)."""
    lines = source.lines
    index = min(line, len(lines)) - 1
    while index >= 0:
        # The line without its comment; a "#" inside a quoted text or a `name` is not a comment.
        match = _CODE.match(lines[index])
        code = (match.group(0) if match else lines[index]).rstrip()
        if code.strip():
            return index + 1, len(code) + 1
        index -= 1
    return 1, 1

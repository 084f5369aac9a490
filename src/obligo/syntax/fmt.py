"""The canonical layout of a contract, as written by ``obligo fmt``.

The formatter works on lines and tokens, never on the parse tree: it changes only the whitespace
between tokens, the indentation of lines and the number of blank lines, and never a token itself,
so the contract it writes means exactly what the contract it read meant. Comments stay where they
were.

The canonical layout:

- a block is indented by 2 spaces per level; the level of a line comes from its indentation, read
  the way the parser reads it (a line indented more than the code line before it opens a block,
  a line indented less closes blocks back to the one it lines up with);
- a line that continues inside an open ``(`` or ``[`` is indented one level deeper than the line
  that opened the bracket; a continuation line that starts with the closing bracket is indented
  like the line that opened it;
- tokens are separated by one space, except: no space before ``,`` ``)`` ``]``, none after ``(``
  ``[``, and none between a function's name and its ``(`` (``count(request records)``);
  comparisons (``>=`` ``<=`` ``!=`` ``>`` ``<`` ``=``) and ``/`` ``*`` have one space each side;
- a comment after code is separated from it by two spaces; its text is kept as written;
- a comment on a line of its own is indented like the next code line, unless it is indented more
  than that line: then it stays in the block it was written in (a note at the end of a block);
- top-level declarations are separated by exactly one blank line, which goes above the comments
  written directly above a declaration; consecutive one-line declarations that start with the same
  word (``import``, ``renegotiate``) keep the author's choice of no blank line or one;
- elsewhere at most one blank line in a row; none at the start or the end of the file, no trailing
  whitespace, ``\\n`` line endings and exactly one newline at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal

from obligo.model.vocabulary import GROUP_WORDS
from obligo.syntax.lines import SourceText

INDENT = "  "
COMMENT_GAP = "  "

_SPACES = " \t"  # what the grammar ignores between tokens (%ignore /[\t ]+/)
_OPENERS = frozenset("([")
_CLOSERS = frozenset(")]")
_PUNCTUATION = frozenset(",()[]")
_OPERATORS_2 = frozenset({">=", "<=", "!=", "->"})  # "->": a map line's table
_OPERATORS_1 = frozenset("><=/*")
_NAME = re.compile(r"[a-z_][a-z0-9_]*(?:-[a-z0-9_]+)*|`[^`\n]+`")


@dataclass
class _Line:
    kind: Literal["blank", "comment", "code"]
    indent: int = 0
    tokens: list[str] = field(default_factory=list)
    comment: str | None = None
    level: int = 0
    continuation: bool = False
    # For a comment: the indentation of the open blocks, and the level of a continuation line
    # when the comment stands inside brackets.
    blocks: tuple[int, ...] = (0,)
    in_brackets: int | None = None

    @property
    def declaration(self) -> bool:
        """Whether this line starts a top-level declaration."""
        return self.kind == "code" and self.level == 0 and not self.continuation


def format_text(text: str) -> str:
    """The canonical layout of a contract's text (see the module's documentation)."""
    lines = [_read_line(raw) for raw in _physical_lines(text)]
    _assign_levels(lines)
    return _render(lines)


# ------------------------------------------------------------------------------------ reading
def _physical_lines(text: str) -> list[str]:
    # The lines as the parser counts them (obligo.syntax.lines.SourceText); a "\r" at the end of
    # a line belongs to its line ending ("\r\n"), and no token ends in one.
    raws = [raw.rstrip(" \t\r") for raw in SourceText(text).lines]
    if raws and raws[-1] == "":
        raws.pop()
    return raws


def _read_line(raw: str) -> _Line:
    stripped = raw.lstrip(_SPACES)
    if not stripped.strip(_SPACES):
        return _Line("blank")
    tokens, comment = tokenize(stripped)
    indent = len(raw) - len(stripped)
    if not tokens:
        return _Line("comment", indent, comment=comment)
    return _Line("code", indent, tokens, comment)


def _closing(line: str, start: int) -> int:
    """The index just past the quote that closes the text opened at ``start``, or -1."""
    i = start + 1
    while i < len(line):
        if line[i] == "\\":
            i += 2
        elif line[i] == '"':
            return i + 1
        else:
            i += 1
    return -1


def tokenize(line: str) -> tuple[list[str], str | None]:
    """One line's tokens and its comment (``#`` to the end of the line, right-stripped).

    A token is a bracket, a comma, an operator, or a run of other characters without spaces, in
    which a quoted text ("...", with backslash escapes) or a backtick name is taken whole.
    """
    tokens: list[str] = []
    word: list[str] = []

    def flush() -> None:
        if word:
            tokens.append("".join(word))
            word.clear()

    i = 0
    while i < len(line):
        char = line[i]
        if char in _SPACES:
            flush()
            i += 1
        elif char == "#":
            flush()
            return tokens, line[i:].rstrip()
        elif char == '"' and (end := _closing(line, i)) > 0:
            word.append(line[i:end])
            i = end
        elif char == "`" and (end := line.find("`", i + 1)) > i + 1:
            word.append(line[i : end + 1])
            i = end + 1
        elif char in _PUNCTUATION:
            flush()
            tokens.append(char)
            i += 1
        elif line[i : i + 2] in _OPERATORS_2:
            flush()
            tokens.append(line[i : i + 2])
            i += 2
        elif char in _OPERATORS_1:
            flush()
            tokens.append(char)
            i += 1
        else:
            word.append(char)
            i += 1
    flush()
    return tokens, None


# ------------------------------------------------------------------------------------ levels
def _assign_levels(lines: list[_Line]) -> None:
    """Every line's nesting level, following the parser's indentation rules."""
    blocks = [0]  # the indentation of the open blocks, as in lark's Indenter
    brackets: list[int] = []  # for each open bracket, the level of the line that opened it
    first = True
    for line in lines:
        if line.kind == "comment":
            line.blocks = tuple(blocks)
            line.in_brackets = brackets[-1] + 1 if brackets else None
            continue
        if line.kind == "blank":
            continue
        if brackets:
            line.continuation = True
            line.level = brackets[-1] if line.tokens[0] in _CLOSERS else brackets[-1] + 1
        else:
            # The indentation of the first line is not read by the parser: no newline precedes it.
            if not first:
                if line.indent > blocks[-1]:
                    blocks.append(line.indent)
                else:
                    while line.indent < blocks[-1]:
                        blocks.pop()
                    if line.indent != blocks[-1]:  # a syntax error; keep it a block of its own
                        blocks.append(line.indent)
            line.level = len(blocks) - 1
        first = False
        for token in line.tokens:
            if token in _OPENERS:
                brackets.append(line.level)
            elif token in _CLOSERS and brackets:
                brackets.pop()

    following: _Line | None = None
    for line in reversed(lines):
        if line.kind == "code":
            following = line
        elif line.kind == "comment":
            line.level = _comment_level(line, following)


def _comment_level(comment: _Line, following: _Line | None) -> int:
    if comment.in_brackets is not None:
        return comment.in_brackets if following is None else following.level
    if following is not None and comment.indent <= following.indent:
        return following.level
    # Indented more than the next code line (or the last line of the file): the comment stays in
    # the innermost open block that its indentation reaches, but not outside the next line's block.
    level = max(d for d, indent in enumerate(comment.blocks) if indent <= comment.indent)
    return level if following is None else max(level, following.level)


# ------------------------------------------------------------------------------------ writing
def _is_function_name(token: str) -> bool:
    return _NAME.fullmatch(token) is not None and token not in GROUP_WORDS


def _space_between(left: str, right: str) -> bool:
    if right == "," or right in _CLOSERS or left in _OPENERS:
        return False
    return not (right == "(" and _is_function_name(left))


def join_tokens(tokens: list[str]) -> str:
    """The tokens of one line, spaced canonically."""
    parts = tokens[:1]
    for left, right in pairwise(tokens):
        parts.append(f" {right}" if _space_between(left, right) else right)
    return "".join(parts)


def _text(line: _Line) -> str:
    if line.kind == "comment":
        return line.comment or ""
    code = join_tokens(line.tokens)
    return code if line.comment is None else f"{code}{COMMENT_GAP}{line.comment}"


def _one_liners_of_a_kind(lines: list[_Line], previous: int, current: int) -> bool:
    """Whether two top-level declarations are one-line declarations that start alike."""
    if lines[previous].tokens[0] != lines[current].tokens[0]:
        return False
    if any(line.kind == "code" for line in lines[previous + 1 : current]):
        return False  # the previous declaration has a body or continues inside brackets
    after = next((line for line in lines[current + 1 :] if line.kind == "code"), None)
    return after is None or after.declaration


def _render(lines: list[_Line]) -> str:
    out: list[_Line | None] = []  # None is a blank line
    previous_declaration: int | None = None
    for index, line in enumerate(lines):
        if line.kind == "blank":
            if out and out[-1] is not None:
                out.append(None)
            continue
        if line.declaration:
            if previous_declaration is not None and not _one_liners_of_a_kind(
                lines, previous_declaration, index
            ):
                _separate(out)
            previous_declaration = index
        out.append(line)
    while out and out[-1] is None:
        out.pop()
    return "".join(
        "\n" if line is None else f"{INDENT * line.level}{_text(line)}\n" for line in out
    )


def _separate(out: list[_Line | None]) -> None:
    """Put exactly one blank line before the next declaration and the comments right above it."""
    attached: list[_Line | None] = []
    while out and (last := out[-1]) is not None and last.kind == "comment" and last.level == 0:
        attached.insert(0, out.pop())
    while out and out[-1] is None:
        out.pop()
    if out:
        out.append(None)
    out.extend(attached)

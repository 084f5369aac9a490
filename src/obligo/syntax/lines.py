"""The one rule for the lines of a contract's text, used by the parser, the transformer, the
checks, the formatter and every error that quotes a line: :class:`SourceText`.

A line ends at a line feed ("\\n") only, as for the lexer. ``str.splitlines`` would also end a line
at a form feed, a vertical tab, "\\x1c" to "\\x1e", U+0085, U+2028 or U+2029, so a form feed in a
comment would shift every later line number by one. Carriage returns at the end of a line are not
part of it; a byte order mark at the start of the text is not part of the first line.

A column counts characters from the start of its line, from 1, as the lexer counts them: a tab,
a form feed or a carriage return inside a line is one column like any other character.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cached_property

from obligo.errors import excerpt

BYTE_ORDER_MARK = "\ufeff"


class SourceText:
    """A contract's text with its lines, numbered from 1 as the parser numbers them.

    Offsets are into :attr:`text`, the text without its byte order mark: the text the parser
    reads (``obligo.syntax.parse_contract`` removes the mark before parsing).
    """

    def __init__(self, text: str) -> None:
        self.text = text.removeprefix(BYTE_ORDER_MARK)

    @cached_property
    def lines(self) -> tuple[str, ...]:
        """Every line, without its line ending; a text ending in "\\n" has an empty last line."""
        return tuple(line.rstrip("\r") for line in self.text.split("\n"))

    @cached_property
    def _starts(self) -> tuple[int, ...]:
        """The offset at which each line starts."""
        starts = [0]
        find = self.text.find
        position = find("\n")
        while position >= 0:
            starts.append(position + 1)
            position = find("\n", position + 1)
        return tuple(starts)

    def line(self, number: int) -> str | None:
        """Line ``number`` (from 1), or None outside the text."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return None

    def line_start(self, offset: int) -> int:
        """The offset of the start of the line that holds ``offset``."""
        return self._starts[bisect_right(self._starts, max(offset, 0)) - 1]

    def location(self, offset: int) -> tuple[int, int]:
        """The line and column (both from 1) of the character at ``offset``, as the lexer gives
        them for a token that starts there."""
        index = bisect_right(self._starts, max(offset, 0)) - 1
        return index + 1, offset - self._starts[index] + 1

    def excerpt(self, line: int, column: int) -> str | None:
        """Line ``line`` and a caret under ``column``, as an error shows them (None outside the
        text)."""
        text = self.line(line)
        return None if text is None else excerpt(text, column)


def split_lines(text: str) -> list[str]:
    """The lines of a contract's text, numbered from 1 as the parser numbers them."""
    return list(SourceText(text).lines)


def line_at(text: str | list[str], number: int) -> str | None:
    """Line ``number`` (from 1) of a text or of its :func:`split_lines`, or None past its end."""
    if isinstance(text, str):
        return SourceText(text).line(number)
    if 1 <= number <= len(text):
        return text[number - 1]
    return None

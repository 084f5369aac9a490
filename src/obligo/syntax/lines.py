"""The one rule for the lines of a contract's text, used by the parser, the transformer, the
checks, the formatter and every error that quotes a line.

A line ends at a line feed ("\\n") only, as for the lexer. ``str.splitlines`` would also end a line
at a form feed, a vertical tab, "\\x1c" to "\\x1e", U+0085, U+2028 or U+2029, so a form feed in a
comment would shift every later line number by one. Carriage returns at the end of a line are not
part of it; a byte order mark at the start of the text is not part of the first line.
"""

from __future__ import annotations


def split_lines(text: str) -> list[str]:
    """The lines of a contract's text, numbered from 1 as the parser numbers them."""
    return [line.rstrip("\r") for line in text.removeprefix("\ufeff").split("\n")]


def line_at(text: str | list[str], number: int) -> str | None:
    """Line ``number`` (from 1) of a text or of its :func:`split_lines`, or None past its end."""
    lines = split_lines(text) if isinstance(text, str) else text
    if 1 <= number <= len(lines):
        return lines[number - 1]
    return None

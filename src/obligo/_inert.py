"""Text from contracts, logs and file names made inert before it reaches a terminal.

A log value, a file name or a contract title may hold characters that a terminal obeys rather
than shows: an escape sequence (ESC, the 8-bit CSI 0x9B) can move the cursor, rewrite earlier
lines or retitle the window; a carriage return can overwrite a line; bidirectional controls
(U+202E) and invisible characters (U+200B) can make a text read differently from what it is.
Every such character is written in a visible escaped form (``\\x1b``, ``\\u202e``) wherever user
text enters text output or a message. JSON output escapes the same characters the JSON way
(:func:`inert_json`), which keeps the data unchanged for a JSON reader.

A backslash is left as it is: the escaped forms are for people to read, not to be decoded.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from obligo._transform import KEEP, transform

M = TypeVar("M", bound=BaseModel)

# C0 controls (newline and tab handled by the callers' choice), DEL and the C1 controls.
_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
# Bidirectional and invisible format characters: the Arabic letter mark, zero-width space,
# joiners and direction marks, line and paragraph separators (line breaks to some terminals),
# the embeddings and overrides, word joiner and invisible operators, the isolates, and the zero
# width no-break space (a byte order mark inside a text).
_FORMAT = [
    0x061C,
    *range(0x200B, 0x2010),
    0x2028,
    0x2029,
    *range(0x202A, 0x202F),
    *range(0x2060, 0x2065),
    *range(0x2066, 0x206A),
    0xFEFF,
]


def _escaped(code: int) -> str:
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


# Lone surrogates: a file name that is not UTF-8 comes from the system with them, and no UTF-8
# output can encode them.
_SURROGATES = range(0xD800, 0xE000)
_TABLE: dict[int, str] = {code: _escaped(code) for code in [*_CONTROLS, *_FORMAT, *_SURROGATES]}
_TABLE[0x09] = "\\t"
_TABLE[0x0A] = "\\n"
_TABLE[0x0D] = "\\r"
_KEEP_NEWLINES = {code: shown for code, shown in _TABLE.items() if code != 0x0A}
_KEEP_LAYOUT = {code: shown for code, shown in _KEEP_NEWLINES.items() if code != 0x09}
# JSON already escapes C0 controls; the others become \\u escapes, valid in any JSON string.
_JSON: dict[int, str] = {code: f"\\u{code:04x}" for code in [0x7F, *range(0x80, 0xA0), *_FORMAT]}


def inert(text: str, *, newlines: bool = False, tabs: bool = False) -> str:
    """``text`` with every terminal control and invisible format character in a visible escaped
    form; ``newlines=True`` keeps line feeds (where they separate the lines of a message), and
    ``tabs=True`` (with ``newlines``) keeps tabs too (a diff of a contract's layout, where a tab
    is the change shown)."""
    if newlines and tabs:
        return text.translate(_KEEP_LAYOUT)
    return text.translate(_KEEP_NEWLINES if newlines else _TABLE)


def inert_json(text: str) -> str:
    """A JSON text (``ensure_ascii=False``) with DEL, the C1 controls and the format characters
    escaped as ``\\uXXXX``: the same JSON value, harmless on a terminal. They can only occur
    inside strings, where such an escape means the character itself."""
    return text.translate(_JSON)


def is_inert(text: str) -> bool:
    """Whether ``text`` holds none of the characters :func:`inert` escapes but line feeds."""
    return inert(text, newlines=True) == text


def inert_model(model: M) -> M:
    """A copy of a report (a pydantic model) with every text in it inert: what a text renderer
    is given, so that no value read from a log or a contract reaches the terminal raw, whatever
    field it sits in. Unchanged parts are shared, not copied."""
    return _inert_value(model)  # type: ignore[no-any-return]


def _inert_value(value: Any) -> Any:
    return transform(value, _inert_text)


def _inert_text(value: Any) -> Any:
    if not isinstance(value, str):
        return KEEP
    if type(value) is not str:  # an enumeration's member: the program's own word
        return value
    shown = inert(value)
    return value if shown == value else shown

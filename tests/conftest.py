"""Helpers shared by the tests of the language: parse a snippet, expect an error.

``parse_one`` puts a contract header line before a snippet, so line N of the snippet is line
N + 1 of the parsed text; ``parse_sla`` and ``sla_error`` parse the text as given. Every error
these helpers see is checked to read in words: no Lark terminal name may leak into a message.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import settings

import obligo
from obligo.model import Contract

# No example may fail for taking long: on a shared two-core machine hypothesis's 200 ms deadline
# failed correct tests under load. Speed is measured by bench/, never by a timed unit test.
settings.register_profile("obligo", deadline=None)
settings.load_profile("obligo")

FILENAME = "test.sla"
HEADER = 'contract c "C"\n'

# Names Lark gives to terminals; a message that shows one speaks the parser's language.
TOKEN_NAMES = re.compile(
    r"\b(?:LPAR|RPAR|LSQB|RSQB|COMMA|SLASH|STAR|NAME|QUOTED_NAME|STRING|NUMBER|PERCENT"
    r"|COMPACT_QUANTITY|CLAUSE_ID|CURRENCY|COMMENT)\b"
    r"|__ANON|__IGNORE|_NL\b|_INDENT|_DEDENT|\$END|CMP_|<END-OF-FILE>"
)


def assert_words(error: obligo.ObligoError, text: str = "") -> None:
    """The error is located and its message is non-empty and free of terminal names.

    A name that the contract's own text contains may be quoted back (``unexpected "NAME"``).
    """
    assert error.message, error
    assert error.line >= 1 and error.column >= 1, (error.line, error.column, error.message)
    for words in (error.message, error.hint or ""):
        leaked = [m.group(0) for m in TOKEN_NAMES.finditer(words) if m.group(0) not in text]
        assert not leaked, words


def _dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def parse_text(text: str) -> Contract:
    return obligo.parse(_dedent(text), filename=FILENAME)


def error_of(text: str) -> obligo.ObligoError:
    with pytest.raises(obligo.ObligoError) as info:
        obligo.parse(_dedent(text), filename=FILENAME)
    assert_words(info.value)
    assert info.value.file == FILENAME
    return info.value


DECLARATIONS = (
    "imports",
    "services",
    "calendars",
    "exclusions",
    "metrics",
    "clauses",
    "reviews",
    "renegotiations",
    "notifications",
)


def one_declaration(contract: Contract) -> Any:
    found: list[Any] = [d for attr in DECLARATIONS for d in getattr(contract, attr)]
    if contract.baseline is not None:
        found.append(contract.baseline)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="session")
def in_words() -> Callable[[obligo.ObligoError, str], None]:
    """Asserts an error is located and reads in words (session-scoped: usable with hypothesis)."""
    return assert_words


@pytest.fixture
def parse_sla() -> Callable[[str], Contract]:
    """Parse a whole contract (dedented); the text must be valid."""
    return parse_text


@pytest.fixture
def parse_one() -> Callable[[str], Any]:
    """The one declaration of a snippet, parsed after a ``contract c "C"`` line."""

    def parse(text: str) -> Any:
        return one_declaration(obligo.parse(HEADER + _dedent(text), filename=FILENAME))

    return parse


@pytest.fixture
def sla_error() -> Callable[[str], obligo.ObligoError]:
    """The error a whole contract (dedented) raises, checked to read in words."""
    return error_of


@pytest.fixture
def snippet_error() -> Callable[[str], obligo.ObligoError]:
    """The error a snippet raises after a ``contract c "C"`` line (so its line 1 is line 2)."""

    def parse(text: str) -> obligo.ObligoError:
        with pytest.raises(obligo.ObligoError) as info:
            obligo.parse(HEADER + _dedent(text), filename=FILENAME)
        assert_words(info.value)
        return info.value

    return parse

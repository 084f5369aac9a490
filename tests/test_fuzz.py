"""Fuzzing the parser: whatever the text, ``obligo.parse`` returns a contract or raises an
``ObligoError`` that is located inside the text and reads in words.

Seeds are the example contracts (``contracts/*.sla``, globbed when the tests run), mutated by
deleting, duplicating, swapping or replacing tokens, truncating, and inserting characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import obligo
from obligo.syntax.grammar import parser

Check = Callable[[obligo.ObligoError, str], None]

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Words, quoted texts, numbers with units, and single other characters; whitespace kept apart.
TOKEN = re.compile(r'\s+|"(?:[^"\\\n]|\\.)*"|`[^`\n]*`|[A-Za-z0-9_.:%-]+|.', re.DOTALL)
TRICKY = [
    "(", ")", "[", "]", '"', "`", "#", "%", "-", "=", ",", ".", ":", "\t", "\n", "\r", "\r\n",
    "  ", "    ", "\x0c", "\x00", "\u2028", "\ufeff", "é", "€", "0", "9", "2026-02-30", "24:00",
    "99.9%", "1.5", "p99.9", "EUR", "records", "where", "and", "not", "in",
]  # fmt: skip


@cache
def seed_texts() -> tuple[str, ...]:
    texts = tuple(p.read_text(encoding="utf-8") for p in sorted(CONTRACTS.glob("*.sla")))
    assert texts, f"no example contracts in {CONTRACTS}"
    return texts


@cache
def keywords() -> tuple[str, ...]:
    """The words of the language, from the grammar itself."""
    words = {
        str(t.pattern.value)
        for t in parser().terminals
        if t.pattern.type == "str" and str(t.pattern.value).isalpha()
    }
    return tuple(sorted(words))


def check(text: str, in_words: Check) -> None:
    """Parse; a failure must be an ObligoError, located inside the text, in words."""
    try:
        obligo.parse(text, filename="fuzz.sla", base_dir=CONTRACTS)
    except obligo.ObligoError as error:
        assert error.message, repr(text)
        assert error.line >= 1 and error.column >= 1, (error.line, error.column, error.message)
        lines = text.removeprefix("\ufeff").split("\n")
        assert error.line <= len(lines), (error.line, len(lines), error.message)
        if error.file == "fuzz.sla" and error.source_line is not None:
            assert error.source_line == lines[error.line - 1].rstrip("\r"), error
            assert error.column <= len(error.source_line) + 1, (error.column, str(error))
        in_words(error, text)


def mutate(text: str, data: st.DataObject) -> str:
    tokens = TOKEN.findall(text)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        if not tokens:
            break
        i = data.draw(st.integers(0, len(tokens) - 1), label="at")
        action = data.draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "replace", "insert", "keyword", "truncate"]
            ),
            label="action",
        )
        if action == "delete":
            del tokens[i]
        elif action == "duplicate":
            tokens.insert(i, tokens[i])
        elif action == "swap":
            j = data.draw(st.integers(0, len(tokens) - 1), label="with")
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif action == "replace":
            tokens[i] = data.draw(st.sampled_from(tokens), label="by")
        elif action == "insert":
            extra = data.draw(st.sampled_from(TRICKY) | st.text(max_size=3), label="text")
            tokens.insert(i, extra)
        elif action == "keyword":
            tokens.insert(i, data.draw(st.sampled_from(keywords()), label="word"))
        else:
            joined = "".join(tokens)
            cut = data.draw(st.integers(0, len(joined)), label="cut")
            tokens = TOKEN.findall(joined[:cut])
    return "".join(tokens)


def test_seeds_parse(in_words: Check) -> None:
    for text in seed_texts():
        check(text, in_words)


@FUZZ
@given(data=st.data())
def test_mutated_contracts(data: st.DataObject, in_words: Check) -> None:
    seed = data.draw(st.sampled_from(seed_texts()), label="seed")
    check(mutate(seed, data), in_words)


@FUZZ
@given(data=st.data())
def test_truncated_contracts(data: st.DataObject, in_words: Check) -> None:
    seed = data.draw(st.sampled_from(seed_texts()), label="seed")
    check(seed[: data.draw(st.integers(0, len(seed)), label="cut")], in_words)


@FUZZ
@given(data=st.data())
def test_characters_inserted_into_contracts(data: st.DataObject, in_words: Check) -> None:
    seed = data.draw(st.sampled_from(seed_texts()), label="seed")
    at = data.draw(st.integers(0, len(seed)), label="at")
    extra = data.draw(st.text(min_size=1, max_size=4) | st.sampled_from(TRICKY), label="text")
    check(seed[:at] + extra + seed[at:], in_words)


@FUZZ
@given(text=st.text())
def test_random_text(text: str, in_words: Check) -> None:
    check(text, in_words)


@FUZZ
@given(data=st.data())
def test_random_text_after_a_contract_line(data: st.DataObject, in_words: Check) -> None:
    check("contract c\n" + data.draw(st.text(), label="text"), in_words)


@FUZZ
@given(data=st.data())
def test_random_words_and_lines(data: st.DataObject, in_words: Check) -> None:
    """Sequences of the language's own words, literals and indentation: text that gets far."""
    pieces = (
        st.sampled_from(keywords())
        | st.sampled_from(TRICKY)
        | st.sampled_from(
            ["x", "api", "m", "4.1", "30 min", "2026-01-01", "09:00", '"P1"', "100 EUR", ">=", "<"]
        )
    )
    words = data.draw(st.lists(pieces, max_size=40), label="words")
    text = "contract c\n"
    for word in words:
        text += word + data.draw(st.sampled_from([" ", " ", " ", "\n", "\n  ", "\n    ", ""]))
    check(text, in_words)


@pytest.mark.parametrize("inside", ["\r", "\x0c", "\x0b", "\u2028"])
def test_an_import_error_shows_its_line_as_the_parser_counts_lines(
    inside: str, in_words: Check
) -> None:
    # Found by test_characters_inserted_into_contracts: a carriage return inside an import's
    # path made the error show half of its line (str.splitlines splits there; the parser not).
    text = (
        'contract x "X" version 1\n  term 2026-01-01 to 2026-12-31\n\nservice a "A"\n'
        f'import "{inside}nimbus-corporate.sla"\n'
    )
    check(text, in_words)

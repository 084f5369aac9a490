"""The strict scan's narrow numbers agree with the wide reading.

The JSON Lines and Parquet fast paths store numbers as ``DECIMAL(18, S)`` while they fit
(``Plan.number`` narrow, see ``obligo/events/_plan.py``) and read the input again with
``DECIMAL(38, S)`` when one does not, S the field's scale. A text the narrow reading accepts must
be accepted by the wide one with the same value: otherwise a log would be read differently by the
two paths. (A text it refuses that the wide one reads makes the scan start again, wide.) Neither
rounds: a text needing more places than S is read by neither (the loader widens S)."""

from __future__ import annotations

import random
from decimal import Decimal

import duckdb
import pytest

from obligo.events._plan import MACROS, Plan
from obligo.events.schema import EventSchema, FieldType

ALPHABET = "0123456789.-+eE _,\t"


def number_text(rnd: random.Random) -> str:
    digits = rnd.randint(1, 22)
    whole = "".join(rnd.choice("0123456789") for _ in range(digits))
    text = rnd.choice(["", "-", "+"]) + whole
    if rnd.random() < 0.6:
        text += "." + "".join(rnd.choice("0123456789") for _ in range(rnd.randint(0, 12)))
    if rnd.random() < 0.1:
        text += rnd.choice(["e", "E"]) + str(rnd.randint(-12, 12))
    if rnd.random() < 0.3:  # a character in, out or changed
        chars = list(text)
        place = rnd.randrange(len(chars) + 1)
        action = rnd.random()
        if action < 0.4:
            chars.insert(place, rnd.choice(ALPHABET))
        elif chars and action < 0.7:
            del chars[min(place, len(chars) - 1)]
        elif chars:
            chars[min(place, len(chars) - 1)] = rnd.choice(ALPHABET)
        text = "".join(chars)
    return text


def long_with_exponent(rnd: random.Random) -> str:
    """Many digits before an exponent: DuckDB's 64-bit cast drops those after the 18th."""
    digits = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(10, 40)))
    point = rnd.randint(0, len(digits))
    mantissa = digits[:point] + "." + digits[point:] if rnd.random() < 0.8 else digits
    return f"{rnd.choice(['', '-', ' '])}{mantissa}{rnd.choice('eE')}{rnd.randint(-40, 40)}"


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(MACROS)
    return connection


def exact(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip())
    except ArithmeticError:
        return None


def readings(scale: int) -> tuple[str, str]:
    """The narrow and the wide reading of ``s`` for a number field of ``scale`` places."""
    plan = Plan(EventSchema(fields={"x": FieldType.NUMBER}, record_types=frozenset({"t"})), "UTC")
    i = plan.names.index("x")
    plan.scales[i] = scale
    return plan.number(i, "s", narrow=True), plan.number(i, "s")


@pytest.mark.parametrize("scale", [9, 12])
def test_the_narrow_reading_agrees_with_the_wide_one(
    con: duckdb.DuckDBPyConnection, scale: int
) -> None:
    rnd = random.Random(20261127)
    texts = [number_text(rnd) for _ in range(60_000)]
    texts += [long_with_exponent(rnd) for _ in range(30_000)]
    narrow, wide = readings(scale)
    rows = con.execute(
        f"SELECT s, {narrow}, {wide} FROM (SELECT unnest($1::VARCHAR[]) AS s)",
        [texts],
    ).fetchall()
    # Never rounded: what either reads is the text's exact value (DuckDB also takes "7e8.",
    # which Python's Decimal does not: those are left out of this comparison).
    assert [
        (s, w) for s, _, w in rows if w is not None and exact(s) is not None and w != exact(s)
    ] == []
    narrow_read = [(s, n, w) for s, n, w in rows if n is not None]
    assert [(s, n, w) for s, n, w in narrow_read if n != w] == []
    # Refused narrowly and read widely (too large, or an exponent on more digits than 64 bits
    # hold): the strict scan stops then, and the input is read again in the wide type.
    refused = [(s, w) for s, n, w in rows if n is None and w is not None]
    assert len(narrow_read) > 10_000
    assert len(refused) > 5_000


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("999999999.999999999", Decimal("999999999.999999999")),
        ("-999999999.999999999", Decimal("-999999999.999999999")),
        ("0.0000000005", None),  # 10 places: never rounded (the loader widens the scale)
        ("1e-9", Decimal("0.000000001")),
        (" 12 ", Decimal(12)),
        ("999999999.9999999995", None),
        # More than 18 digits before an exponent: read wide, then narrowed.
        ("2573.05988804547895e5", Decimal("257305988.804547895")),
        ("2573.059888045478958e5", None),  # 10 places
        ("9.999999999999999999e8", None),
        ("0.0000000000000000000000000001e28", Decimal(1)),
        ("0.0000000000000000000000000000001e70", None),
        ("1000000000", None),
        ("1_000", None),
        ("true", None),
    ],
)
def test_the_narrow_reading_at_its_edges(
    con: duckdb.DuckDBPyConnection, text: str, value: Decimal | None
) -> None:
    narrow, _ = readings(9)
    assert con.execute(f"SELECT {narrow} FROM (SELECT $1 AS s)", [text]).fetchall() == [(value,)]

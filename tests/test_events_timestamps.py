"""The loader's quick reading of the common timestamp forms agrees with the strict one.

``obligo_ts_z`` (see ``obligo/events/_plan.py``) reads UTC timestamps with 0, 3 or 6 fraction
digits with ``strptime``, which alone is more lenient than RFC 3339 (fewer digits in a field,
whitespace around the text); every text it reads must be accepted by ``obligo_ts`` (the pattern
and the cast) and read as the same instant, or a log would be read differently by DuckDB
versions or by the fast and exact paths."""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pytest

from obligo.events._plan import MACROS

ALPHABET = "0123456789 +-T:.Zz\tt/,_e\n\r\x0b\x0c\u00a0\u0661"


def mutated(rnd: random.Random) -> str:
    fraction = rnd.choice(["", f".{rnd.randint(0, 999):03d}", f".{rnd.randint(0, 999_999):06d}"])
    text = list(
        f"{rnd.randint(0, 9999):04d}-{rnd.randint(0, 13):02d}-{rnd.randint(0, 32):02d}T"
        f"{rnd.randint(0, 25):02d}:{rnd.randint(0, 61):02d}:{rnd.randint(0, 61):02d}{fraction}Z"
    )
    draw = rnd.random()
    if draw < 0.4:
        for _ in range(rnd.randint(1, 3)):
            text[rnd.randrange(len(text))] = rnd.choice(ALPHABET)
    elif draw < 0.9:  # a character out, another in: the same length, a field shorter
        for _ in range(rnd.randint(1, 3)):
            del text[rnd.randrange(len(text))]
            text.insert(rnd.randrange(len(text) + 1), rnd.choice(ALPHABET))
    return "".join(text)


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute(MACROS)
    return connection


def compare(con: duckdb.DuckDBPyConnection, texts: list[str]) -> tuple[int, list[tuple]]:
    rows = con.execute(
        "SELECT s, obligo_utc(q), v FROM (SELECT s, obligo_ts_z(s) AS q, "
        "obligo_ts(s, 'UTC') AS v FROM (SELECT unnest($1::VARCHAR[]) AS s)) "
        "WHERE q IS NOT NULL",
        [texts],
    ).fetchall()
    return len(rows), [row for row in rows if row[2] is None or row[1] != row[2]]


def test_every_text_read_quickly_is_read_alike_strictly(con: duckdb.DuckDBPyConnection) -> None:
    rnd = random.Random(20261126)
    quick, disagreements = compare(con, [mutated(rnd) for _ in range(60_000)])
    assert disagreements == []
    assert quick > 4_000  # the quick reading was exercised


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-03-01T10:00:00Z", dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)),
        ("2026-03-01T10:00:00.226Z", dt.datetime(2026, 3, 1, 10, 0, 0, 226_000, tzinfo=dt.UTC)),
        ("2026-03-01T10:00:00.000007Z", dt.datetime(2026, 3, 1, 10, 0, 0, 7, tzinfo=dt.UTC)),
        ("0999-12-31T23:59:59Z", dt.datetime(999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)),
    ],
)
def test_the_common_forms_are_read_quickly(
    con: duckdb.DuckDBPyConnection, text: str, instant: dt.datetime
) -> None:
    assert con.execute("SELECT obligo_utc(obligo_ts_z($1))", [text]).fetchall() == [(instant,)]


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-01T24:00:00Z",  # hour 24: the cast takes it, RFC 3339 does not
        "2026-3-01T10:00:00.2260Z",  # a month of one digit, made up for in length
        "\t2026-3-01T10:00:00.226Z",
        "2026-03-01T10:00:0.226Z ",
        " 026-03-01T10:00:00.226Z",
        "2026-02-30T10:00:00Z",
        "2026-03-01T10:00:00.226z",
    ],
)
def test_the_quick_reading_leaves_the_others_to_the_strict_one(
    con: duckdb.DuckDBPyConnection, text: str
) -> None:
    assert con.execute("SELECT obligo_ts_z($1)", [text]).fetchall() == [(None,)]

"""The CSV fast path: one strict scan typed on the fly, no table of text cells, rows numbered by
their order; files whose rows that numbering would misplace (empty lines, line feeds inside
quoted cells) are read on the exact path, with the same lines, values and accounts."""

from __future__ import annotations

import gzip
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from obligo.events import EventLog, EventSchema, FieldType, _bytescan
from obligo.events import loader as loader_module

SCHEMA = EventSchema(
    fields={"service": FieldType.TEXT, "severity": FieldType.NUMBER},
    record_types=frozenset({"incident"}),
)
UTC = ZoneInfo("UTC")


def load(path: Path, **options: Any) -> EventLog:
    return EventLog.load([path], SCHEMA, UTC, **options)


def events(log: EventLog) -> list[tuple[Any, ...]]:
    return log.connection.execute(
        "SELECT service, severity, _line FROM events ORDER BY _line"
    ).fetchall()


def tables(log: EventLog) -> set[str]:
    rows = log.connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    return {str(row[0]) for row in rows}


@pytest.fixture
def exact_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files read on the exact path (the table of text cells), by the path DuckDB read."""
    read: list[Path] = []
    quoted = loader_module._Loader._quoted_line_feeds

    def spy(self: loader_module._Loader) -> bool:
        read.append(Path("exact"))
        return quoted(self)

    monkeypatch.setattr(loader_module._Loader, "_quoted_line_feeds", spy)
    return read


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gz"])
def test_a_clean_file_is_one_scan_numbered_by_its_rows(
    tmp_path: Path, gz: bool, exact_reads: list[Path]
) -> None:
    text = "type,service,severity\nincident,api,1\nincident,web,2.5\nincident,db,\n"
    path = tmp_path / ("log.csv.gz" if gz else "log.csv")
    path.write_bytes(gzip.compress(text.encode()) if gz else text.encode())
    with load(path) as log:
        assert events(log) == [
            ("api", Decimal(1), 2),
            ("web", Decimal("2.5"), 3),
            ("db", None, 4),
        ]
        assert log.inputs[0].fast_path
        assert (log.inputs[0].lines, log.inputs[0].records) == (3, 3)
        assert exact_reads == []
        assert loader_module.ROWS not in tables(log)
        # The engine sees the numbers as wide as ever (the table holds them narrow).
        assert log.connection.execute("SELECT typeof(severity) FROM events LIMIT 1").fetchall() == [
            ("DECIMAL(38,9)",)
        ]


def test_quoted_cells_without_line_feeds_stay_on_the_fast_path(
    tmp_path: Path, exact_reads: list[Path]
) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        'type,service,severity\nincident,"a, ""b""",1\nincident,c,2\n', encoding="utf-8"
    )
    with load(path) as log:
        assert events(log) == [('a, "b"', Decimal(1), 2), ("c", Decimal(2), 3)]
        assert exact_reads == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # A line feed inside a quoted cell, in a column the contract does not read: the rows
        # after it start one line further down.
        (
            'type,note,service,severity\nincident,"x\ny",api,1\nincident,,web,2\n',
            [("api", Decimal(1), 2), ("web", Decimal(2), 4)],
        ),
        # Empty lines (DuckDB skips them).
        (
            "type,service,severity\nincident,api,1\n\n\nincident,web,2\n",
            [("api", Decimal(1), 2), ("web", Decimal(2), 5)],
        ),
        (
            "type,service,severity\r\nincident,api,1\r\n\r\nincident,web,2\r\n",
            [("api", Decimal(1), 2), ("web", Decimal(2), 4)],
        ),
    ],
    ids=["line-feed-in-a-cell", "empty-lines", "empty-crlf-lines"],
)
def test_rows_not_numbered_by_their_order_are_read_on_the_exact_path(
    tmp_path: Path, text: str, expected: list[tuple[Any, ...]], exact_reads: list[Path]
) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(text.encode())
    with load(path) as log:
        assert events(log) == expected
        assert log.inputs[0].fast_path  # no row rejected: the account says so, as before
        assert len(exact_reads) == 1


def test_a_bad_row_sends_the_file_to_the_exact_path(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "type,service,severity\nincident,api,1\nincident,web,high\nincident,db,3\n",
        encoding="utf-8",
    )
    with load(path, skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (3, '`severity` is not a number: "high"')
        ]
        assert events(log) == [("api", Decimal(1), 2), ("db", Decimal(3), 4)]
        assert not log.inputs[0].fast_path
        assert (log.inputs[0].lines, log.inputs[0].rejected) == (3, 1)


def test_a_number_wider_than_64_bits_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(
        "type,service,severity\nincident,api,1\nincident,web,12345678901234567890.5\n",
        encoding="utf-8",
    )
    with load(path) as log:
        assert events(log) == [
            ("api", Decimal(1), 2),
            ("web", Decimal("12345678901234567890.5"), 3),
        ]
        assert log.inputs[0].fast_path


def test_a_number_with_more_places_widens_the_scale(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("type,service,severity\nincident,api,0.1234567890123\n", encoding="utf-8")
    with load(path) as log:
        assert events(log) == [("api", Decimal("0.1234567890123"), 2)]
        assert log.connection.execute("SELECT typeof(severity) FROM events").fetchall() == [
            ("DECIMAL(38,13)",)
        ]


@pytest.mark.parametrize("pair", [b"\n\n", b"\n\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("at", [-2, -1, 0, 1])
def test_an_empty_line_across_two_reads_is_found(tmp_path: Path, at: int, pair: bytes) -> None:
    """The byte scan reads 256 KiB at a time: line ends around an empty line split between two
    reads make an empty line all the same."""
    first = (1 << 18) + at  # where the empty line's first line feed falls
    head = b"type,service,severity\n"
    row = b"incident,api,1\n"
    prefix = head + row * ((first - len(head) - 40) // len(row))
    last = b"incident," + b"a" * (first - len(prefix) - len(b"incident,,1")) + b",1"
    data = prefix + last + pair + b"incident,web,2\n"
    assert data.index(pair) == first
    path = tmp_path / "log.csv"
    path.write_bytes(data)
    shape = _bytescan.CsvShape()
    assert _bytescan.first_long_line(path, False, shape=shape) is None
    assert shape.empty_line
    clean = tmp_path / "clean.csv"
    clean.write_bytes(data.replace(pair, pair[:-1]))
    shape = _bytescan.CsvShape()
    _bytescan.first_long_line(clean, False, shape=shape)
    assert not shape.empty_line and not shape.quote and not shape.nul


# ------------------------------------------------------- the fast scan beside the byte scan


def _long_prefix() -> bytes:
    """A header and clean rows filling more than the first MiB (where a quote is looked for
    before the fast scan starts): 70,000 rows, lines 2 to 70,001."""
    rows = b"incident,api,1\n" * 70_000
    data = b"type,note,service,severity\n".replace(b"note,", b"") + rows
    assert len(data) > loader_module.EARLY_QUOTE_BYTES
    return data


def test_a_quote_after_the_first_mib_with_a_line_feed_in_its_cell_keeps_the_lines_right(
    tmp_path: Path, exact_reads: list[Path]
) -> None:
    # The fast scan starts before the byte scan has seen the quote; the quoted cell's line feed
    # moves every later row one line down, as the exact path numbers them.
    path = tmp_path / "log.csv"
    path.write_bytes(_long_prefix() + b'incident,"x\ny",2\nincident,db,high\n')
    with load(path, skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (70_004, '`severity` is not a number: "high"')
        ]
        assert log.connection.execute(
            "SELECT service, severity, _line FROM events WHERE _line > 70000 ORDER BY _line"
        ).fetchall() == [("api", Decimal(1), 70_001), ("x\ny", Decimal(2), 70_002)]
        assert (log.inputs[0].lines, log.inputs[0].records) == (70_002, 70_001)
        assert len(exact_reads) == 1


def test_a_quote_after_the_first_mib_without_a_line_feed_stays_on_the_fast_path(
    tmp_path: Path, exact_reads: list[Path]
) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(_long_prefix() + b'incident,"a, b",2\n')
    with load(path) as log:
        assert log.connection.execute(
            "SELECT service, severity, _line FROM events WHERE _line > 70000 ORDER BY _line"
        ).fetchall() == [("api", Decimal(1), 70_001), ("a, b", Decimal(2), 70_002)]
        assert log.inputs[0].fast_path and exact_reads == []
        assert loader_module.ROWS not in tables(log)


@pytest.mark.parametrize(
    "tail, expected",
    [
        (b"\nincident,web,2\n", [("web", Decimal(2), 70_003)]),  # an empty line
        (b"incident,w\0b,2\nincident,web,3\n", [("web", Decimal(3), 70_003)]),  # a NUL
    ],
    ids=["empty-line", "nul"],
)
def test_a_file_the_byte_scan_sends_to_the_exact_path_late_is_read_there(
    tmp_path: Path, tail: bytes, expected: list[tuple[Any, ...]], exact_reads: list[Path]
) -> None:
    # The fast scan of the file as it is has run (and may have read every row): its table is
    # left for the exact path's, which numbers and rejects as always.
    path = tmp_path / "log.csv"
    path.write_bytes(_long_prefix() + tail)
    with load(path, skip_invalid=True) as log:
        assert (
            log.connection.execute(
                "SELECT service, severity, _line FROM events WHERE _line > 70001 ORDER BY _line"
            ).fetchall()
            == expected
        )
        assert [r.line for r in log.rejections] == ([70_002] if b"\0" in tail else [])
        assert exact_reads  # the exact path's table of text cells was read
        assert log.connection.execute("SELECT count(*) FROM events").fetchall() == [(70_001,)]


def test_a_header_too_long_is_reported_as_before(tmp_path: Path) -> None:
    # The byte scan's error about the header comes first, though the fast scan ran beside it.
    path = tmp_path / "log.csv"
    path.write_bytes(b"type,service,severity" + b"x" * (_bytescan.MAX_LINE + 10) + b"\n")
    with pytest.raises(Exception, match=r"the header \(line 1\) is not a CSV header: it is longer"):
        load(path)

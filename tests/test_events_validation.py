"""Bad data is reported at its file and line, never dropped silently; timestamps and their zones."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from obligo.errors import EventDataError
from obligo.events import EventLog, EventRejectedError, EventSchema, FieldType

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC

SCHEMA = EventSchema(
    fields={
        "service": FieldType.TEXT,
        "severity": FieldType.NUMBER,
        "ok": FieldType.BOOLEAN,
        "opened": FieldType.TIMESTAMP,
    },
    record_types=frozenset({"incident", "probe", "ticket"}),
)


def load(inputs: list[Any], **options: Any) -> EventLog:
    return EventLog.load(inputs, SCHEMA, BERLIN, **options)


def reasons(log: EventLog) -> list[tuple[str, int, str]]:
    return [(r.file, r.line, r.reason) for r in log.rejections]


BAD_LINES = [
    ('{"type":"probe","time":"2026-03-04T10:00:00Z"}', None),
    ('{"type":"probe",', "not valid JSON (Expecting property name"),
    ("[1, 2]", "not a JSON object"),
    ("null", "not a JSON object"),
    ('{"type":"probe","ok":true,"ok":false}', 'the key "ok" appears twice'),
    ('{"service":"api"}', "record without `type`"),
    ('{"type":"","service":"api"}', "record without `type`"),
    ('{"type":{"a":1}}', "`type` is not a text"),
    ('{"type":"probe","time":"2026-03-04"}', '`time` is not an RFC 3339 timestamp: "2026-03-04"'),
    ('{"type":"probe","time":1772618400}', '`time` is not an RFC 3339 timestamp: "1772618400"'),
    ('{"type":"probe","time":"2026-02-30T10:00:00Z"}', "`time` is not an RFC 3339 timestamp"),
    ('{"type":"probe","time":"2026-03-04T24:00:00Z"}', "`time` is not an RFC 3339 timestamp"),
    ('{"type":"probe","time":"2026-03-04T10:00:00+0100"}', "`time` is not an RFC 3339 timestamp"),
    ('{"type":"probe","time":"2026-03-04T10:00Z"}', "`time` is not an RFC 3339 timestamp"),
    (
        '{"type":"incident","start":"2026-03-04T11:00:00Z","end":"2026-03-04T10:00:00Z"}',
        'ends before it starts (`end` "2026-03-04T10:00:00Z" is before `start` '
        '"2026-03-04T11:00:00Z")',
    ),
    ('{"type":"incident","severity":"high"}', '`severity` is not a number: "high"'),
    # Not strict JSON (issue 11): DuckDB reads NaN, JSON has no such number.
    (
        '{"type":"incident","severity":NaN}',
        "not valid JSON (NaN and infinities are not JSON numbers)",
    ),
    ('{"type":"incident","severity":"1_000"}', '`severity` is not a number: "1_000"'),
    ('{"type":"probe","ok":"yes"}', '`ok` is not true or false: "yes"'),
    ('{"type":"probe","ok":1}', '`ok` is not true or false: "1"'),
    ('{"type":"probe","service":{"name":"api"}}', "`service` is a JSON object or array"),
    ('{"type":"probe","service":["api"]}', "`service` is a JSON object or array"),
    ('{"type":"probe","time":"2026-03-29T02:30:00"}', "daylight-saving gap"),
    ('{"type":"probe","ok":"yes","severity":"x","service":"[legit text]"}', None),
    ('{"type":"other","ok":"yes","time":"garbage"}', None),  # a type the contract does not use
]

# Lines the fast path reads (no reason: nothing to reject).
FINE_LINES = [
    ('{"type":"probe","service":"legit [text]","ok":false}', None),
    ('{"type":"other","ok":"yes","time":"garbage","service":{"a":1}}', None),  # not used
    ('{"type":"probe","time":"2026-03-04T10:00:00.5+01:00","severity":"1e3"}', None),
]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_every_reason_with_its_line(tmp_path: Path) -> None:
    text = "".join(line + "\n" for line, _ in BAD_LINES)
    path = write(tmp_path / "log.jsonl", text)
    with load([path], skip_invalid=True) as log:
        got = {r.line: r.reason for r in log.rejections}
        for number, (_, expected) in enumerate(BAD_LINES, start=1):
            if expected is None:
                continue
            assert expected in got.pop(number), number
        # The combined line: both of its problems, and the text that looks like JSON is text.
        assert got.pop(24) == '`ok` is not true or false: "yes"; `severity` is not a number: "x"'
        assert got == {}
        account = log.inputs[0]
        assert (account.lines, account.records, account.unused, account.rejected) == (
            25,
            1,
            1,
            23,
        )
        assert log.connection.execute("SELECT count(*) FROM events").fetchall() == [(1,)]
        assert not account.fast_path


@pytest.mark.parametrize(
    ("line", "expected"),
    [*((line, reason) for line, reason in BAD_LINES if reason is not None), *FINE_LINES],
)
def test_the_strict_scan_stops_at_each_bad_line_alone(
    tmp_path: Path, line: str, expected: str | None
) -> None:
    # The fast path must give up exactly where the exact path rejects: a line it let through
    # would be accepted unchecked.
    good = '{"type":"probe","time":"2026-03-04T10:00:00Z","service":"api"}\n'
    path = write(tmp_path / "log.jsonl", good + line + "\n" + good)
    with load([path], skip_invalid=True) as log:
        assert log.inputs[0].fast_path is (expected is None)
        assert [(r.line, expected in r.reason) for r in log.rejections] == (
            [] if expected is None else [(2, True)]
        )


def test_bad_bytes_are_rejected_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(
        b'{"type":"probe","service":"a"}\r\n'
        b'{"type":"probe","service":"\xff"}\n'
        b'{"type":"probe","service":"b"}\r{"type":"probe"}\n'
        b'{"type":"probe","service":"c\x01"}\n'
        b'{"type":"probe","service":"d\x00"}\n'
        b'{"type":"probe","service":"\xc3\xa9"}\n'
    )
    with load([path], skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (2, "not valid UTF-8"),
            (3, "not valid JSON (a carriage return inside the line)"),
            (4, "not valid JSON (a control character)"),
            (5, "not valid JSON (a NUL character)"),
        ]
        assert log.connection.execute(
            "SELECT service, _line FROM events ORDER BY _line"
        ).fetchall() == [("a", 1), ("é", 6)]


def test_blank_lines_are_not_counted_and_keep_the_order(tmp_path: Path) -> None:
    path = write(
        tmp_path / "log.jsonl",
        '\n{"type":"probe","service":"a"}\n   \n\n{"type":"probe","service":"b"}\n\n',
    )
    with load([path]) as log:
        # The fast path numbers records in file order; physical lines are found when a message
        # names one (test_events_merge: a conflict after blank lines).
        assert log.connection.execute("SELECT service FROM events ORDER BY _line").fetchall() == [
            ("a",),
            ("b",),
        ]
        assert log.inputs[0].lines == 2
        assert log.inputs[0].fast_path


LINE = '{"type":"probe","service":"api","time":"2026-03-%02dT%02d:%02d:%02dZ","ok":true}\n'


def test_malformed_line_in_a_large_file(tmp_path: Path) -> None:
    body = [LINE % (4 + i // 86400, i // 3600 % 24, i // 60 % 60, i % 60) for i in range(100_000)]
    body[61_234] = '{"type":"probe","service":"api","time":"2026-03-04T10:00:00Z","ok":tru}\n'
    path = tmp_path / "big.jsonl.gz"
    path.write_bytes(gzip.compress("".join(body).encode(), compresslevel=1))
    with load([path], skip_invalid=True) as log:
        assert [(r.file, r.line) for r in log.rejections] == [(str(path), 61_235)]
        assert log.rejections[0].reason.startswith("not valid JSON")
        assert log.inputs[0].records == 99_999
        assert not log.inputs[0].fast_path
        # The slow path numbers every line as the file does: line n holds second n - 1.
        assert log.connection.execute(
            "SELECT count(*), min(_line), max(_line) FROM events "
            "WHERE _line <> (epoch(time) - epoch(TIMESTAMPTZ '2026-03-04 00:00:00+00'))::BIGINT + 1"
        ).fetchall() == [(0, None, None)]
        assert log.connection.execute("SELECT count(DISTINCT _line) FROM events").fetchall() == [
            (99_999,)
        ]


def test_a_large_file_on_the_fast_path_is_numbered_in_order(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(
        "".join(
            LINE % (4 + i // 86400, i // 3600 % 24, i // 60 % 60, i % 60) for i in range(100_000)
        )
    )
    with EventLog.load([path], SCHEMA, BERLIN, threads=2) as log:
        assert log.inputs[0].fast_path
        assert log.connection.execute(
            "SELECT count(*) FROM events "
            "WHERE _line <> (epoch(time) - epoch(TIMESTAMPTZ '2026-03-04 00:00:00+00'))::BIGINT + 1"
        ).fetchall() == [(0,)]


def test_the_message_lists_the_first_ten(tmp_path: Path) -> None:
    text = "".join('{"type":"probe","ok":"maybe"}\n' for _ in range(25))
    path = write(tmp_path / "log.jsonl", text)
    with pytest.raises(EventRejectedError) as caught:
        load([path])
    error = caught.value
    assert isinstance(error, EventDataError)
    assert (error.file, error.line) == (str(path), 1)
    message = error.message
    assert message.startswith("25 records were rejected from the event log:")
    assert f'{path}:10: `ok` is not true or false: "maybe"' in message
    assert f"{path}:11:" not in message
    assert "... and 15 more" in message
    assert len(caught.value.rejections) == 25


def test_skip_invalid_goes_on_and_counts(tmp_path: Path) -> None:
    first = write(tmp_path / "a.jsonl", '{"type":"probe","ok":true}\n{"type":"probe","ok":"x"}\n')
    second = write(tmp_path / "b.csv", "type,ok\nprobe,false\nprobe,nope\nprobe,true\n")
    with load([second, first], skip_invalid=True) as log:
        assert [(r.file, r.line) for r in log.rejections] == [
            (str(second), 3),
            (str(first), 2),
        ]
        assert log.rejected == 2
        assert [(a.records, a.rejected) for a in log.inputs] == [(2, 1), (1, 1)]
        assert log.connection.execute("SELECT count(*) FROM events").fetchall() == [(3,)]


# ------------------------------------------------------------------------------ timestamps


def times(log: EventLog) -> list[Any]:
    return [
        r[0] for r in log.connection.execute('SELECT "time" FROM events ORDER BY _line').fetchall()
    ]


def test_offsets_and_precision(tmp_path: Path) -> None:
    values = [
        "2026-03-01T10:15:00Z",
        "2026-03-01T11:15:00+01:00",
        "2026-03-01t10:15:00z",
        "2026-03-01 10:15:00Z",
        "2026-03-01T10:15:00.1Z",
        "2026-03-01T10:15:00.123456789Z",
        "2026-03-01T15:00:00+05:45",
        "2026-03-01T10:15:00-00:00",
    ]
    lines = "".join(json.dumps({"type": "probe", "time": v}) + "\n" for v in values)
    with load([write(tmp_path / "log.jsonl", lines)]) as log:
        base = dt.datetime(2026, 3, 1, 10, 15, tzinfo=UTC)
        assert times(log) == [
            base,
            base,
            base,
            base,
            base + dt.timedelta(microseconds=100_000),
            base + dt.timedelta(microseconds=123_456),
            dt.datetime(2026, 3, 1, 9, 15, tzinfo=UTC),
            base,
        ]
        assert log.inputs[0].naive_timestamps == 0


def test_naive_timestamps_in_the_contract_zone(tmp_path: Path) -> None:
    values = [
        "2026-03-01T10:00:00",  # CET: 09:00Z
        "2026-07-01T10:00:00.5",  # CEST: 08:00:00.5Z
        "2026-03-29T01:59:59",  # just before the gap (CET)
        "2026-03-29T03:00:00",  # just after it (CEST)
        "2026-10-25T02:30:00",  # repeated hour: the first occurrence (CEST)
        "2026-10-25T02:00:00",  # repeated hour start: first occurrence
        "2026-10-25T03:00:00",  # after the repeated hour (CET)
        "2026-10-25T01:59:59",  # before it (CEST)
        "2026-10-25T02:30:00+01:00",  # the second occurrence, said explicitly
    ]
    lines = "".join(json.dumps({"type": "probe", "time": v}) + "\n" for v in values)
    with load([write(tmp_path / "log.jsonl", lines)]) as log:
        assert times(log) == [
            dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
            dt.datetime(2026, 7, 1, 8, 0, 0, 500_000, tzinfo=UTC),
            dt.datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),
            dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
            dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
            dt.datetime(2026, 10, 25, 0, 0, tzinfo=UTC),
            dt.datetime(2026, 10, 25, 2, 0, tzinfo=UTC),
            dt.datetime(2026, 10, 24, 23, 59, 59, tzinfo=UTC),
            dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        ]
        assert log.inputs[0].naive_timestamps == 8


def test_naive_timestamps_among_quickly_read_ones_are_counted(tmp_path: Path) -> None:
    # The strict scan reads the common UTC forms quickly and counts the naive ones apart.
    # Naive (read in Berlin time): the second time, the first end, the second start, the
    # last start and end; five in all.
    records = [
        {"type": "probe", "time": "2026-03-01T10:00:00Z"},
        {"type": "probe", "time": "2026-03-01T10:00:00"},
        {"type": "probe", "time": "2026-03-01T10:00:00.123Z"},
        {"type": "incident", "start": "2026-03-01T10:00:00.123456Z", "end": "2026-03-01T12:00:00"},
        {"type": "incident", "start": "2026-03-01T10:00:00", "end": "2026-03-01T12:00:00+01:00"},
        {"type": "incident", "start": "2026-03-01 10:00:00", "end": "2026-03-01T11:00:00"},
        {"type": "probe", "time": "2026-03-01t10:00:00z"},  # aware (lower case), not quick
    ]
    lines = "".join(json.dumps(r) + "\n" for r in records)
    with load([write(tmp_path / "log.jsonl", lines)]) as log:
        assert log.inputs[0].fast_path
        assert log.inputs[0].naive_timestamps == 5


def test_naive_timestamps_are_counted_per_input(tmp_path: Path) -> None:
    a = write(
        tmp_path / "a.jsonl",
        '{"type":"incident","start":"2026-03-01T10:00:00","end":"2026-03-01T11:00:00"}\n',
    )
    b = write(
        tmp_path / "b.csv", "type,time\nprobe,2026-03-01T10:00:00Z\nprobe,2026-03-01T10:00:00\n"
    )
    with load([a, b]) as log:
        assert [i.naive_timestamps for i in log.inputs] == [2, 1]


def test_dst_gap_is_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path / "log.jsonl",
        '{"type":"probe","time":"2026-03-29T03:30:00"}\n'
        '{"type":"ticket","opened":"2026-03-29T02:30:00"}\n',
    )
    with pytest.raises(EventRejectedError) as caught:
        load([path])
    assert [(r.line, r.reason) for r in caught.value.rejections] == [
        (
            2,
            '`opened` "2026-03-29T02:30:00" does not exist in Europe/Berlin: it falls in a '
            "daylight-saving gap",
        )
    ]


def test_other_zones(tmp_path: Path) -> None:
    path = write(
        tmp_path / "log.jsonl",
        '{"type":"probe","time":"2026-11-01T01:30:00"}\n'  # New York: repeated, first is EDT
        '{"type":"probe","time":"2026-03-08T02:30:00"}\n',  # New York: gap
    )
    with EventLog.load([path], SCHEMA, ZoneInfo("America/New_York"), skip_invalid=True) as log:
        assert times(log) == [dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)]
        assert [r.line for r in log.rejections] == [2]


def test_numbers_are_exact_decimals(tmp_path: Path) -> None:
    path = write(
        tmp_path / "log.jsonl",
        '{"type":"incident","severity":0.1}\n'
        '{"type":"incident","severity":"4123.50"}\n'
        '{"type":"incident","severity":1e-7}\n'
        '{"type":"incident","severity":" -2 "}\n'
        '{"type":"incident","severity":0.1234567895}\n',
    )
    with load([path]) as log:
        assert [
            r[0]
            for r in log.connection.execute("SELECT severity FROM events ORDER BY _line").fetchall()
        ] == [
            Decimal("0.1"),
            Decimal("4123.5"),
            Decimal("0.0000001"),
            Decimal("-2"),
            Decimal("0.1234567895"),  # every digit: the field's scale is 10 places (issue 11)
        ]


def events_number_type(log: EventLog) -> str:
    described = log.connection.execute("DESCRIBE SELECT severity FROM events").fetchall()
    return str(described[0][1])


def test_numbers_beyond_the_narrow_type_are_read_exactly_on_the_fast_path(
    tmp_path: Path,
) -> None:
    # The strict scan stores numbers in 64 bits while they fit (below a billion), and reads
    # the file again with the wide type at the first that does not.
    path = write(
        tmp_path / "log.jsonl",
        '{"type":"incident","severity":0.5}\n'
        '{"type":"incident","severity":"999999999.999999999"}\n'
        '{"type":"incident","severity":"-999999999.9999999996"}\n'
        '{"type":"incident","severity":1000000000}\n'
        '{"type":"incident","severity":"-12345678901234567890.5"}\n'
        '{"type":"incident","severity":1e15}\n'
        '{"type":"incident","severity":"70252631465829.48476299E-9"}\n',
    )
    with load([path]) as log:
        assert log.inputs[0].fast_path
        assert log.connection.execute("SELECT severity FROM events ORDER BY _line").fetchall() == [
            (Decimal("0.5"),),
            (Decimal("999999999.999999999"),),
            (Decimal("-999999999.9999999996"),),  # every digit (issue 11)
            (Decimal("1000000000"),),
            (Decimal("-12345678901234567890.5"),),
            (Decimal("1E+15"),),
            (Decimal("70252.63146582948476299"),),  # every digit, read widely
        ]
        assert events_number_type(log) == "DECIMAL(38,17)"


def test_narrow_numbers_are_widened_in_events(tmp_path: Path) -> None:
    path = write(
        tmp_path / "log.jsonl",
        '{"type":"incident","severity":"-0.000000001"}\n'
        # More than 18 digits before an exponent (DuckDB's 64-bit cast would drop some).
        '{"type":"incident","severity":"2573.059888045478958e5"}\n'
        '{"type":"incident","severity":"0.0000000000000000000000000001e28"}\n',
    )
    with load([path]) as log:
        assert log.inputs[0].fast_path
        assert events_number_type(log) == "DECIMAL(38,10)"  # every digit (issue 11)
        assert log.connection.execute("SELECT severity FROM events ORDER BY _line").fetchall() == [
            (Decimal("-0.000000001"),),
            (Decimal("257305988.8045478958"),),
            (Decimal(1),),
        ]


def test_a_bad_number_is_rejected_whatever_its_size(tmp_path: Path) -> None:
    path = write(
        tmp_path / "log.jsonl",
        '{"type":"incident","severity":1}\n'
        '{"type":"incident","severity":"1_000_000_000_000"}\n'
        '{"type":"incident","severity":"99999999999999999999999999999999"}\n'
        '{"type":"incident","severity":"0.0000000000000000000000000000001e70"}\n',
    )
    with load([path], skip_invalid=True) as log:
        # 32 digits are kept (issue 11: a field's scale leaves room for them); 10^39 is not.
        assert [(r.line, r.reason) for r in log.rejections] == [
            (2, '`severity` is not a number: "1_000_000_000_000"'),
            (
                4,
                '`severity` "0.0000000000000000000000000000001e70" has 40 digits before the '
                "decimal point: obligo keeps 38 digits at most",
            ),
        ]
    # Alone, the last one is rejected as well: the fast path gives up at it.
    alone = write(
        tmp_path / "alone.jsonl",
        '{"type":"incident","severity":"0.0000000000000000000000000000001e70"}\n',
    )
    with load([alone], skip_invalid=True) as log:
        assert not log.inputs[0].fast_path
        assert [r.line for r in log.rejections] == [1]


def test_many_naive_timestamps_in_one_record_are_counted(tmp_path: Path) -> None:
    names = [f"t{k:03d}" for k in range(260)]
    schema = EventSchema(
        fields=dict.fromkeys(names, FieldType.TIMESTAMP), record_types=frozenset({"probe"})
    )
    record = {"type": "probe", **dict.fromkeys(names, "2026-03-01T10:00:00")}
    path = write(tmp_path / "log.jsonl", json.dumps(record) + "\n")
    with EventLog.load([path], schema, BERLIN) as log:
        assert log.inputs[0].naive_timestamps == 260


def test_options(tmp_path: Path) -> None:
    path = write(tmp_path / "log.jsonl", '{"type":"probe"}\n')
    with EventLog.load([path], SCHEMA, BERLIN, memory_limit="512MB", threads=1) as log:
        assert (
            log.connection.execute(
                "SELECT current_setting('threads'), current_setting('memory_limit')"
            ).fetchall()[0][0]
            == 1
        )
    with pytest.raises(ValueError):
        EventLog.load([path], SCHEMA, BERLIN, threads=0)


def test_repeated_keys_that_are_not_read_do_not_matter(tmp_path: Path) -> None:
    # On both paths: the second file goes the slow way because of its bad line.
    text = '{"type":"probe","extra":1,"extra":2}\n'
    fast = write(tmp_path / "a.jsonl", text)
    slow = write(tmp_path / "b.jsonl", text + '{"type":"probe","ok":1,"ok":2}\n')
    with load([fast, slow], skip_invalid=True) as log:
        assert [(r.file, r.line) for r in log.rejections] == [(str(slow), 2)]
        assert [a.fast_path for a in log.inputs] == [True, False]
        assert [a.records for a in log.inputs] == [1, 1]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('\f\n{"type":"probe","service":"a"}\n', 1, "not valid JSON"),
        ('{"type":"probe","service":"a"}\n\v\n', 2, "not valid JSON"),
        ('{"type":"probe",\r"service":"a"}\n', 1, "a carriage return inside the line"),
        ('{"type":"probe","service":"a"}\f\n', 1, "not valid JSON"),
    ],
)
def test_whitespace_json_allows_elsewhere_is_judged_as_on_the_exact_path(
    tmp_path: Path, text: str, line: int, reason: str
) -> None:
    # DuckDB's JSON reader takes a form feed, a vertical tab or a lone carriage return for
    # whitespace; such a line must be rejected (and counted) whether or not the file holds
    # another bad line, never skipped or accepted on the fast path alone.
    path = write(tmp_path / "log.jsonl", text)
    with load([path], skip_invalid=True) as log:
        assert [(r.line, reason in r.reason) for r in log.rejections] == [(line, True)]
        assert log.inputs[0].rejected == 1
        assert log.inputs[0].lines == log.inputs[0].records + log.inputs[0].rejected


# The fast path does not store the fields that the first records of a file never name; it
# checks that guess on every record, and reads the file again when a later record has one.
def sampled_file(tmp_path: Path, last: str) -> Path:
    body = [LINE % (4, i // 3600 % 24, i // 60 % 60, i % 60) for i in range(2_000)]
    body.append(last + "\n")
    return write(tmp_path / "late.jsonl", "".join(body))


@pytest.mark.parametrize("sample", [100, 1 << 20])
def test_a_field_first_seen_after_the_sample_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample: int
) -> None:
    from obligo.events import _bytescan

    monkeypatch.setattr(_bytescan, "SAMPLE", sample)
    path = sampled_file(
        tmp_path, '{"type":"incident","severity":2,"opened":"2026-03-04T10:00:00","ok":false}'
    )
    with load([path]) as log:
        assert log.inputs[0].fast_path
        assert log.inputs[0].records == 2_001
        assert log.inputs[0].naive_timestamps == 1
        assert log.connection.execute(
            "SELECT severity, opened, ok, _line FROM events WHERE type = 'incident'"
        ).fetchall() == [(Decimal(2), dt.datetime(2026, 3, 4, 9, tzinfo=UTC), False, 2_001)]
        assert log.connection.execute(
            "SELECT count(*) FROM events WHERE severity IS NULL AND opened IS NULL"
        ).fetchall() == [(2_000,)]


def test_a_field_and_a_large_number_first_seen_after_the_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two guesses wrong at once: the field is stored after all, and in the wide type.
    from obligo.events import _bytescan

    monkeypatch.setattr(_bytescan, "SAMPLE", 100)
    path = sampled_file(tmp_path, '{"type":"incident","severity":12345678901.25}')
    with load([path]) as log:
        assert log.inputs[0].fast_path
        assert log.connection.execute(
            "SELECT severity, _line FROM events WHERE severity IS NOT NULL"
        ).fetchall() == [(Decimal("12345678901.25"), 2_001)]
        assert events_number_type(log) == "DECIMAL(38,9)"


def test_a_bad_field_first_seen_after_the_sample_is_rejected_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from obligo.events import _bytescan

    monkeypatch.setattr(_bytescan, "SAMPLE", 100)
    path = sampled_file(tmp_path, '{"type":"incident","severity":"high"}')
    with pytest.raises(EventRejectedError) as caught:
        load([path])
    assert [(r.line, r.reason) for r in caught.value.rejections] == [
        (2_001, '`severity` is not a number: "high"')
    ]


def test_a_null_field_after_the_sample_is_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from obligo.events import _bytescan

    monkeypatch.setattr(_bytescan, "SAMPLE", 100)
    path = sampled_file(tmp_path, '{"type":"incident","severity":null,"opened":null}')
    with load([path]) as log:
        assert log.inputs[0].fast_path
        assert log.connection.execute(
            "SELECT count(*) FROM events WHERE severity IS NULL AND opened IS NULL"
        ).fetchall() == [(2_001,)]


def test_json_numbers_keep_fifteen_significant_digits_and_strings_every_digit(
    tmp_path: Path,
) -> None:
    # docs/semantics.md, "One limit": DuckDB's JSON reader holds a JSON number as a double.
    path = write(
        tmp_path / "numbers.jsonl",
        '{"type":"incident","severity":123456789.123456}\n'
        '{"type":"incident","severity":0.000123}\n'
        '{"type":"incident","severity":"12345678.123456789"}\n'
        '{"type":"incident","severity":12345678.123456789}\n',
    )
    with load([path]) as log:
        assert log.connection.execute("SELECT severity FROM events ORDER BY _line").fetchall() == [
            (Decimal("123456789.123456"),),
            (Decimal("0.000123"),),
            (Decimal("12345678.123456789"),),
            (Decimal("12345678.123456790"),),
        ]


def test_a_deeply_nested_value_in_the_sample_does_not_stop_the_load(tmp_path: Path) -> None:
    deep = "[" * 1000 + "]" * 1000  # valid JSON, deeper than Python's json reads
    path = write(tmp_path / "deep.jsonl", f'{{"type":"incident","severity":1,"blob":{deep}}}\n')
    with load([path]) as log:
        assert log.inputs[0].fast_path
        assert log.connection.execute("SELECT severity FROM events").fetchall() == [(Decimal(1),)]

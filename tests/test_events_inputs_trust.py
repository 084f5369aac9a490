"""The event log's inputs themselves: exactly the files named, bounded memory on any bytes, and
every input that cannot be read named (see docs/semantics.md, section 2)."""

from __future__ import annotations

import errno
import gzip
import io
import os
import random
import re
import sys
import tracemalloc
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import pytest

from obligo.errors import EventDataError
from obligo.events import EventLog, EventSchema, FieldType, _bytescan, expand_event_paths

UTC = ZoneInfo("UTC")
SCHEMA = EventSchema(
    fields={"service": FieldType.TEXT, "severity": FieldType.NUMBER},
    record_types=frozenset({"incident"}),
)
LIMIT = _bytescan.MAX_LINE


def load(inputs: list[Any], **options: Any) -> EventLog:
    return EventLog.load(inputs, SCHEMA, UTC, **options)


def services(log: EventLog) -> list[tuple[str, int]]:
    return [
        (str(row[0]), int(row[1]))
        for row in log.connection.execute(
            "SELECT service, _line FROM events ORDER BY _input, _line"
        ).fetchall()
    ]


def record(service: str, severity: Any = 1, day: int = 3) -> str:
    return (
        f'{{"type":"incident","service":"{service}","severity":{severity},'
        f'"start":"2026-01-{day:02d}T10:00:00Z","end":"2026-01-{day:02d}T11:00:00Z"}}'
    )


# ------------------------------------------------------------------------ exactly the files named

FORMATS = ["jsonl", "csv", "jsonl.gz", "csv.gz", "parquet"]
# A name holding pattern characters, and a decoy that DuckDB's glob would have read with it.
ODD_NAMES = [("log?", "log1"), ("c[12]", "c1"), ("*", "a"), ("~", "x")]


def write_log(path: Path, rows: list[tuple[str, str]]) -> None:
    """Rows of (service, severity text) in the format the path's name says."""
    name = path.name
    if name.endswith(".parquet"):
        safe = path.with_name("staging.parquet")
        values = ", ".join(f"('incident', '{s}', '{v}')" for s, v in rows)
        duckdb.connect().execute(
            f"COPY (SELECT * FROM (VALUES {values}) AS t(type, service, severity)) "
            f"TO '{safe}' (FORMAT parquet)"
        )
        os.replace(safe, path)  # DuckDB writes the name it is given literally; renamed anyway
        return
    if ".csv" in name:
        text = "type,service,severity\n" + "".join(f"incident,{s},{v}\n" for s, v in rows)
    else:
        text = "".join(f'{{"type":"incident","service":"{s}","severity":"{v}"}}\n' for s, v in rows)
    data = text.encode()
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "exact"])
@pytest.mark.parametrize("odd", ODD_NAMES, ids=[n for n, _ in ODD_NAMES])
@pytest.mark.parametrize("suffix", FORMATS)
def test_a_file_whose_name_holds_pattern_characters_is_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, odd: tuple[str, str], fast: bool
) -> None:
    monkeypatch.chdir(tmp_path)
    name, decoy = (f"{stem}.{suffix}" for stem in odd)
    # The exact path: a value that is not a number sends the input there.
    rows = [("named", "1"), ("named-too", "2" if fast else "high")]
    write_log(tmp_path / name, rows)
    write_log(tmp_path / decoy, [("decoy", "1")])
    with load([name], skip_invalid=True) as log:
        assert [a.name for a in log.inputs] == [name]
        assert log.inputs[0].fast_path is fast
        expected = [("named", 1)] if not fast else [("named", 1), ("named-too", 2)]
        assert [s for s, _ in services(log)] == [s for s, _ in expected]
        assert log.inputs[0].lines == 2
        assert log.rejected == (0 if fast else 1)


def test_the_expansion_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ["b.jsonl", "a.csv.gz", "c.parquet", "notes.txt", "*.jsonl", "x.JSONL"]:
        (tmp_path / "logs" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "logs" / name).write_text("")
    (tmp_path / "logs" / "sub.jsonl").mkdir()  # a folder named like a log: not a file of it
    assert expand_event_paths(["logs"]) == [
        "logs/*.jsonl",
        "logs/a.csv.gz",
        "logs/b.jsonl",
        "logs/c.parquet",
        "logs/x.JSONL",
    ]
    # A pattern that exists as a name is that file; otherwise obligo matches it (folders left out).
    assert expand_event_paths(["logs/*.jsonl"]) == ["logs/*.jsonl"]
    assert expand_event_paths(["logs/?.jsonl"]) == ["logs/*.jsonl", "logs/b.jsonl"]
    with pytest.raises(EventDataError, match=r"no file matches logs/s\*"):
        expand_event_paths(["logs/s*"])
    with pytest.raises(EventDataError, match="no event log in folder empty"):
        (tmp_path / "empty").mkdir()
        expand_event_paths(["empty"])
    # Standard input, missing files and ~ are kept as given: they are named when read.
    assert expand_event_paths(["-", "missing.jsonl", "~/x.jsonl"]) == [
        "-",
        "missing.jsonl",
        "~/x.jsonl",
    ]


def test_the_api_expands_folders_and_patterns_as_the_command_line_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "b.jsonl").write_text(record("b") + "\n")
    (tmp_path / "logs" / "a.jsonl").write_text(record("a") + "\n")
    with load(["logs"]) as log:
        assert [a.name for a in log.inputs] == ["logs/a.jsonl", "logs/b.jsonl"]
        assert services(log) == [("a", 1), ("b", 1)]
    with load(["logs/[ab].jsonl"]) as log:
        assert [a.name for a in log.inputs] == ["logs/a.jsonl", "logs/b.jsonl"]
    with pytest.raises(EventDataError, match=r"logs/a.jsonl is given twice"):
        load(["logs", "logs/a.jsonl"])


def test_tilde_is_the_shells_to_expand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.jsonl").write_text(record("home") + "\n")
    with pytest.raises(EventDataError, match=r"cannot read ~/x.jsonl: no such file") as caught:
        load(["~/x.jsonl"])
    assert caught.value.hint is not None and "does not expand ~" in caught.value.hint


def test_inputs_that_are_not_files(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.jsonl")
    with pytest.raises(EventDataError, match=r"pipe\.jsonl: not a regular file"):
        load([tmp_path / "pipe.jsonl"])
    os.symlink(tmp_path / "nowhere.jsonl", tmp_path / "link.jsonl")
    with pytest.raises(EventDataError, match=r"link\.jsonl: no such file"):
        load([tmp_path / "link.jsonl"])
    (tmp_path / "file.jsonl").write_text("")
    with pytest.raises(
        EventDataError, match=r"cannot read .*file\.jsonl/x\.jsonl: Not a directory"
    ):
        load([tmp_path / "file.jsonl" / "x.jsonl"])


class _FailingReader(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise OSError(errno.EIO, "Input/output error")


def test_a_stream_that_cannot_be_read_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(EventDataError, match=r"cannot read <stream>: Input/output error"):
        load([io.BufferedReader(_FailingReader())])
    text = io.TextIOWrapper(io.BytesIO(b"\xff\n"), encoding="utf-8")
    with pytest.raises(EventDataError, match=r"cannot read <stream>: 'utf-8' codec can't decode"):
        load([text])
    closed = io.BytesIO(b"")
    closed.close()
    with pytest.raises(EventDataError, match=r"cannot read <stream>: I/O operation on closed"):
        load([closed])
    monkeypatch.setattr(sys, "stdin", None)  # `obligo eval --events - <&-`
    with pytest.raises(EventDataError, match=r"cannot read standard input: it is closed"):
        load(["-"])


def half(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("e.jsonl.gz", b"", "the file is empty, and so not gzip-compressed"),
        ("e.csv.gz", b"type\n", "not gzip-compressed, as its name says"),
        ("e.parquet", b"", "not a Parquet file"),
        ("e.parquet", b"PAR1" + b"\0" * 20, "not a Parquet file"),
        ("e.jsonl.gz", half(gzip.compress(record("a").encode() * 300)), "the gzip data ends early"),
        ("e.csv.gz", half(gzip.compress(b"type\n" + b"incident\n" * 5000)), "ends early"),
    ],
)
def test_an_unreadable_file_is_named_in_the_users_terms(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(data)
    for skip in (False, True):
        with pytest.raises(EventDataError) as caught:
            load([tmp_path / name], skip_invalid=skip)
        text = caught.value.message
        assert text.startswith(f"cannot read {tmp_path / name}: ")
        assert message in text
        assert "obligo-events-" not in text  # never the temporary link DuckDB was given


# ----------------------------------------------------------------------------- bounded memory


def reference_lines(data: bytes, limit: int) -> tuple[bytes, dict[int, int]]:
    out, long = [], {}
    for number, line in enumerate(data.split(b"\n"), start=1):
        if len(line) > limit:
            long[number] = len(line)
            line = _bytescan.MARK
        out.append(line)
    return b"\n".join(out), long


def test_whole_lines_never_hold_a_long_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(7)
    path = tmp_path / "bytes.bin"
    for _ in range(600):
        limit = rng.choice([3, 5, 8, 13])
        monkeypatch.setattr(_bytescan, "MAX_LINE", limit)
        monkeypatch.setattr(_bytescan, "CHUNK", rng.choice([1, 2, 4, 7, 16, 64]))
        data = bytes(rng.choice(b"ab\n\n\0x") for _ in range(rng.randint(0, 60)))
        if rng.random() < 0.4:
            data += b"y" * rng.randint(0, 40) + rng.choice([b"", b"\n"]) + b"z"
        path.write_bytes(data)
        long: dict[int, int] = {}
        chunks = list(_bytescan._whole_lines(path, False, long))
        assert (b"".join(chunks), long) == reference_lines(data, limit), data
        assert all(len(c) <= _bytescan.CHUNK + limit + 1 for c in chunks)
        assert _bytescan.first_long_line(path, False) == (min(long) if long else None)
        assert _bytescan.count_lines(path, False).long_lines == long


def test_sanitize_marks_each_damaged_line_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(11)
    path, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    for _ in range(600):
        limit = rng.choice([4, 8, 100])
        monkeypatch.setattr(_bytescan, "MAX_LINE", limit)
        monkeypatch.setattr(_bytescan, "CHUNK", rng.choice([1, 3, 8, 64]))
        data = bytes(rng.choice(b"ab\n\n\0\r\xff\xc3\xa9") for _ in range(rng.randint(0, 50)))
        path.write_bytes(data)
        reasons = _bytescan.sanitize(path, False, target).reasons
        lines = data.split(b"\n")
        expected: dict[int, str] = {}
        for number, line in enumerate(lines, start=1):
            last = number == len(lines)
            trouble = re.search(rb"[\0\x01]|\r(?!\n)", line + (b"" if last else b"\n"))
            if len(line) > limit:
                expected[number] = _bytescan.long_line_reason(len(line))
            elif trouble:
                expected[number] = _bytescan._REASONS[trouble.group()[:1]]
            elif line.decode("utf-8", "replace").encode() != line:
                expected[number] = "not valid UTF-8"
        assert reasons == expected, data
        out = target.read_bytes().split(b"\n")
        assert len(out) == len(lines)  # line breaks where they were
        for number, (line, original) in enumerate(zip(out, lines, strict=True), start=1):
            if number in expected:
                assert line == _bytescan.MARK
            elif number < len(lines):  # CR LF became LF
                assert line == original.removesuffix(b"\r")
            else:
                assert line == original


def peak_memory(action: Any) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("megabytes", [16, 48])
def test_a_run_of_nul_bytes_costs_memory_per_chunk_not_per_byte(
    tmp_path: Path, megabytes: int
) -> None:
    # 16 MB of NUL once cost 1.6 GB (about 100 bytes a NUL); now the scans hold a chunk or two.
    path = tmp_path / "nul.jsonl"
    path.write_bytes(record("a").encode() + b"\n" + b"\0" * (megabytes << 20) + b"\n")
    bound = 4 * _bytescan.CHUNK + 2 * LIMIT
    assert peak_memory(lambda: _bytescan.count_lines(path, False)) < bound
    found: list[_bytescan.Sanitized] = []
    assert (
        peak_memory(lambda: found.append(_bytescan.sanitize(path, False, tmp_path / "o"))) < bound
    )
    assert found[0].reasons == {2: _bytescan.long_line_reason(megabytes << 20)}


def test_a_gzip_bomb_is_rejected_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    zeros = gzip.compress(b"\0" * (1 << 24), compresslevel=9)
    with path.open("wb") as out:  # 256 MiB of zeros on line 2, in 64 kB
        out.write(gzip.compress((record("a") + "\n").encode()))
        out.write(zeros * 16)
        out.write(gzip.compress(("\n" + record("b", day=4) + "\n").encode()))
    with load([path], skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (2, _bytescan.long_line_reason(256 << 20))
        ]
        assert services(log) == [("a", 1), ("b", 3)]


# -------------------------------------------------------------------------------- line length


def line_of(length: int) -> bytes:
    start, end = b'{"type":"note","text":"', b'"}'
    return start + b"y" * (length - len(start) - len(end)) + end


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "exact"])
@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_the_line_limit_is_the_same_on_both_paths(tmp_path: Path, fast: bool, gz: bool) -> None:
    other = record("a") if fast else '{"type":"incident", oops'
    data = b"\n".join([other.encode(), line_of(LIMIT), line_of(LIMIT + 1), record("b").encode()])
    path = tmp_path / ("log.jsonl.gz" if gz else "log.jsonl")
    path.write_bytes(gzip.compress(data) if gz else data)
    with load([path], skip_invalid=True) as log:
        rejected = [(r.line, r.reason) for r in log.rejections]
        long = (3, _bytescan.long_line_reason(LIMIT + 1))
        assert rejected == ([long] if fast else [(1, rejected[0][1]), long])
        assert log.inputs[0].unused == 1  # the line of exactly the limit: a valid note
        assert log.inputs[0].fast_path is False  # a long line is never judged by read_json


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_a_long_csv_row_is_rejected_and_the_rest_read(tmp_path: Path, gz: bool) -> None:
    data = (
        b"type,service,severity\nincident,a,1\nincident," + b"x" * (3 << 20) + b",2\n"
        b"incident,b,3\nincident,\0,4\n"
    )
    path = tmp_path / ("log.csv.gz" if gz else "log.csv")
    path.write_bytes(gzip.compress(data) if gz else data)
    with load([path], skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (3, _bytescan.long_line_reason((3 << 20) + 11)),
            (5, "a NUL character, which CSV text cannot hold"),
        ]
        assert services(log) == [("a", 2), ("b", 4)]
    with pytest.raises(EventDataError, match="a NUL character"):
        load([path])


def test_a_csv_header_longer_than_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(b"type," + b"h" * LIMIT + b"\nincident,a\n")
    with pytest.raises(EventDataError, match=r"the header \(line 1\) is not a CSV header"):
        load([path], skip_invalid=True)


# ------------------------------------------------------------------------------ values in range


def test_instants_outside_the_years_python_holds_are_rejected(tmp_path: Path) -> None:
    schema = EventSchema(fields={"opened": FieldType.TIMESTAMP}, record_types=frozenset({"t"}))
    texts = [
        "0000-01-03T10:00:00Z",
        "99999-01-03T10:00:00Z",
        "0001-01-01T10:00:00+11:00",
        "0001-01-02T00:00:00Z",
        "9999-12-30T23:59:59Z",
        "2026-02-30T10:00:00Z",
    ]
    path = tmp_path / "log.jsonl"
    path.write_text("".join(f'{{"type":"t","opened":"{t}"}}\n' for t in texts))
    with EventLog.load([path], schema, UTC, skip_invalid=True) as log:
        assert [(r.line, r.reason) for r in log.rejections] == [
            (
                1,
                '`opened` "0000-01-03T10:00:00Z" is out of range (obligo reads instants from '
                "0001-01-02 to 9999-12-30, UTC)",
            ),
            (
                2,
                '`opened` "99999-01-03T10:00:00Z" is out of range (obligo reads instants '
                "from 0001-01-02 to 9999-12-30, UTC)",
            ),
            (
                3,
                '`opened` "0001-01-01T10:00:00+11:00" is out of range (obligo reads instants '
                "from 0001-01-02 to 9999-12-30, UTC)",
            ),
            (6, '`opened` is not an RFC 3339 timestamp: "2026-02-30T10:00:00Z"'),
        ]
        assert log.connection.execute("SELECT count(*) FROM events").fetchall() == [(2,)]


def test_a_parquet_type_column_must_hold_text(tmp_path: Path) -> None:
    path = tmp_path / "log.parquet"
    duckdb.connect().execute(
        f"COPY (SELECT 7 AS type, 'api' AS service) TO '{path}' (FORMAT parquet)"
    )
    log = load([path], skip_invalid=True)
    assert [(r.line, r.reason) for r in log.rejections] == [(1, "`type` is not a text: 7")]
    assert log.inputs[0].rejected == 1 and log.inputs[0].unused == 0


def test_a_temporary_folder_duckdb_would_read_as_a_pattern_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    odd = tmp_path / "tmp[1]"
    odd.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(odd))
    (tmp_path / "log.jsonl").write_text(record("a") + "\n")
    with pytest.raises(EventDataError, match="would read as a pattern") as caught:
        load([tmp_path / "log.jsonl"])
    assert caught.value.hint is not None and "TMPDIR" in caught.value.hint
    # DuckDB expands the folders of a path too: records copied there would be read from tmp1.
    (tmp_path / "tmp1").mkdir()
    with pytest.raises(EventDataError, match="would read as a pattern"):
        load([[{"type": "incident", "service": "a", "severity": 1}]])


def test_a_python_record_nested_too_deeply_is_a_rejected_line() -> None:
    value: Any = 1
    for _ in range(100_000):
        value = [value]
    records = [{"type": "incident", "service": "api", "severity": 1, "x": value}]
    log = load([records], skip_invalid=True)
    assert [(r.line, r.reason) for r in log.rejections] == [
        (1, "not valid JSON (arrays or objects nested too deeply to say where)")
    ]

"""JSON Lines with some records to reject: the fast scan flags them and the exact path judges
those records alone (``_Loader._recheck``), where it used to read the whole file again. What a
load finds must be what reading the whole file on the exact path finds: the same rows, the same
rejections at the same physical lines, the same accounts."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from obligo.events import EventLog, EventSchema, FieldType
from obligo.events import loader as loader_module
from obligo.events.loader import EventRejectedError
from obligo.events.schema import Required

SCHEMA = EventSchema(
    fields={
        "service": FieldType.TEXT,
        "severity": FieldType.NUMBER,
        "ok": FieldType.BOOLEAN,
        "opened": FieldType.TIMESTAMP,
    },
    record_types=frozenset({"incident", "probe"}),
    required=(Required("probe", ("time",), "to place it in a slice"),),
)
BERLIN = ZoneInfo("Europe/Berlin")

# Lines (None: a blank line) and what each is: every kind of record the fast scan flags, the
# ones the exact path then accepts (a text that only looks like an object, NaN as a text) and
# the ones it rejects, between good ones, blank lines moving the physical lines away from the
# records' ordinals.
LINES: list[str | None] = [
    '{"type":"incident","service":"api","severity":1,"start":"2026-03-01T10:00:00Z"}',
    None,
    '{"type":"incident","service":"api","severity":"high"}',  # rejected: not a number
    '{"type":"incident","service":"{not an object}","severity":2}',  # accepted
    "   ",
    '{"type":"incident","service":"NaN","severity":3}',  # accepted: a text
    '{"type":"incident","service":{"name":"api"}}',  # rejected: an object
    '{"type":"probe","time":"2026-03-01T10:00:00","ok":true}',  # naive, accepted
    '{"type":"probe","ok":"yes","time":"2026-03-01T10:00:00Z"}',  # rejected: not a boolean
    '{"type":"probe","ok":true}',  # rejected: no time
    '{"type":7}',  # rejected: type not a text
    '{"type":"Incident","service":"db"}',  # unused, near a used type
    '{"type":"incident","start":"2026-03-02T10:00:00Z","end":"2026-03-01T10:00:00Z"}',
    '{"type":"incident","opened":"2026-03-29T02:30:00"}',  # a daylight-saving gap in Berlin
    '{"type":"incident","severity":12345678901234567890.5,"opened":"yesterday"}',
    '{"type":"incident","service":"web","severity":0.5}',
]


def write(path: Path, lines: list[str | None], crlf: bool = False) -> Path:
    end = "\r\n" if crlf else "\n"
    data = "".join((line or "") + end for line in lines).encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def outcome(path: Path, **options: Any) -> dict[str, Any]:
    with EventLog.load([path], SCHEMA, BERLIN, skip_invalid=True, **options) as log:
        names = ", ".join(f'"{n}"' for n in log.schema.fields)
        rows = log.connection.execute(f"SELECT {names} FROM events").fetchall()
        return {
            "rows": sorted(rows, key=repr),
            "rejections": [(r.line, r.reason) for r in log.rejections],
            "accounts": log.inputs,
        }


def read_whole(self: loader_module._Loader, source: Any, staged: Any) -> None:
    """In place of ``_recheck``: the flagged file is read again whole on the exact path."""
    self._drop(staged.table)


@pytest.fixture
def rechecked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many records each recheck judged again."""
    counts: list[int] = []
    original = loader_module._Loader._recheck

    def spy(self: loader_module._Loader, source: Any, staged: Any) -> Any:
        counts.append(staged.account.rejected)
        return original(self, source, staged)

    monkeypatch.setattr(loader_module._Loader, "_recheck", spy)
    return counts


@pytest.mark.parametrize(
    "name, crlf",
    [("events.jsonl", False), ("events.jsonl", True), ("events.jsonl.gz", False)],
    ids=["lf", "crlf", "gz"],
)
def test_the_flagged_records_judged_alone_give_what_the_whole_file_gives(
    tmp_path: Path, name: str, crlf: bool, rechecked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / name, LINES, crlf)
    found = outcome(path)
    assert rechecked == [10]  # the 8 rejected and 2 that only looked bad
    assert found["rejections"] == [
        (3, '`severity` is not a number: "high"'),
        (7, "`service` is a JSON object or array, not a value"),
        (9, '`ok` is not true or false: "yes"'),
        (10, "no `time`, which the contract needs to place it in a slice"),
        (11, "`type` is not a text: 7"),
        (
            13,
            'ends before it starts (`end` "2026-03-01T10:00:00Z" is before `start` '
            '"2026-03-02T10:00:00Z")',
        ),
        (
            14,
            '`opened` "2026-03-29T02:30:00" does not exist in Europe/Berlin: it falls in a '
            "daylight-saving gap",
        ),
        (15, '`opened` is not an RFC 3339 timestamp: "yesterday"'),
    ]
    account = found["accounts"][0]
    assert (account.lines, account.records, account.unused, account.rejected) == (14, 5, 1, 8)
    assert account.naive_timestamps == 1
    assert not account.fast_path
    assert account.near == ('1 record of type "Incident": did you mean "incident"?',)
    monkeypatch.setattr(loader_module._Loader, "_recheck", read_whole)
    assert outcome(path) == found


def test_accepted_rows_hold_the_exact_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "events.jsonl", LINES)
    with EventLog.load([path], SCHEMA, BERLIN, skip_invalid=True) as log:
        rows = log.connection.execute(
            'SELECT service, severity, typeof(severity), _line FROM events WHERE "type" = '
            "'incident' ORDER BY _line"
        ).fetchall()
    # The table's numbers are read narrow and widened; _line is the record's ordinal on this
    # path, as on the fast path (blank lines are not records).
    assert [(r[0], str(r[1]), r[2], r[3]) for r in rows] == [
        ("api", "1.000000000", "DECIMAL(38,9)", 1),
        ("{not an object}", "2.000000000", "DECIMAL(38,9)", 3),
        ("NaN", "3.000000000", "DECIMAL(38,9)", 4),
        ("web", "0.500000000", "DECIMAL(38,9)", 14),
    ]


def test_too_many_flagged_records_read_the_whole_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "events.jsonl", LINES)
    found = outcome(path)
    monkeypatch.setattr(loader_module, "RECHECKED", 3)
    assert outcome(path) == found


def test_merged_records_are_named_by_their_physical_lines(tmp_path: Path) -> None:
    lines: list[str | None] = [
        '{"type":"incident","id":"a","service":"api","severity":"bad"}',
        None,
        '{"type":"incident","id":"b","service":"api"}',
        None,
        '{"type":"incident","id":"b","service":"web"}',
    ]
    path = write(tmp_path / "events.jsonl", lines)
    with pytest.raises(EventRejectedError) as raised:
        EventLog.load([path], SCHEMA, BERLIN).close()
    conflict = (
        'incident record "b": the records at events.jsonl:3 and events.jsonl:5 disagree on '
        '`service` ("api" and "web") and no later `updated` decides'
    )
    assert [
        (r.line, r.reason.replace(str(path), "events.jsonl")) for r in raised.value.rejections
    ] == [
        (1, '`severity` is not a number: "bad"'),
        (3, conflict),
        (5, conflict),
    ]


def test_a_clean_file_is_not_judged_again(tmp_path: Path, rechecked: list[int]) -> None:
    lines: list[str | None] = [json.dumps({"type": "incident", "severity": k}) for k in range(5)]
    with EventLog.load([write(tmp_path / "e.jsonl", lines)], SCHEMA, BERLIN) as log:
        assert log.inputs[0].fast_path
    assert rechecked == []

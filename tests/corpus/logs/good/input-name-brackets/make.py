"""A log named with brackets, and the files DuckDB's glob would have read instead."""

from __future__ import annotations

from pathlib import Path

FIRST = '{"type":"incident","service":"api","severity":1,"start":"2026-01-03T10:00:00Z","end":"2026-01-03T11:00:00Z"}'
SECOND = '{"type":"incident","service":"api","severity":1,"start":"2026-01-04T10:00:00Z","end":"2026-01-04T11:00:00Z"}'


def make(folder: Path) -> None:
    (folder / "events[12].jsonl").write_text(FIRST + "\n")
    (folder / "events1.jsonl").write_text(SECOND + "\n")
    (folder / "events2.csv").write_text("type\nincident\n")

"""A line of exactly 2 MiB."""

from __future__ import annotations

from pathlib import Path

FIRST = '{"type":"incident","service":"api","severity":1,"start":"2026-01-03T10:00:00Z","end":"2026-01-03T11:00:00Z"}'
SECOND = '{"type":"incident","service":"api","severity":1,"start":"2026-01-04T10:00:00Z","end":"2026-01-04T11:00:00Z"}'


def make(folder: Path) -> None:
    limit = 2 * 1024 * 1024
    start, end = b'{"type":"note","text":"', b'"}'
    line = start + b"y" * (limit - len(start) - len(end)) + end
    (folder / "events.jsonl").write_bytes((FIRST + "\n").encode() + line + b"\n")

"""A line of 2 MiB + 1 bytes."""

from __future__ import annotations

from pathlib import Path

FIRST = '{"type":"incident","service":"api","severity":1,"start":"2026-01-03T10:00:00Z","end":"2026-01-03T11:00:00Z"}'
LIMIT = 2 * 1024 * 1024


def make(folder: Path) -> None:
    start = b'{"type":"note","text":"'
    end = b'"}'
    line = start + b"y" * (LIMIT + 1 - len(start) - len(end)) + end
    (folder / "events.jsonl").write_bytes((FIRST + "\n").encode() + line + b"\n")

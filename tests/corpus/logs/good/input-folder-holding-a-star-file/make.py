"""A folder holding *.jsonl and a.jsonl."""

from __future__ import annotations

from pathlib import Path

FIRST = '{"type":"incident","service":"api","severity":1,"start":"2026-01-03T10:00:00Z","end":"2026-01-03T11:00:00Z"}'
SECOND = '{"type":"incident","service":"api","severity":1,"start":"2026-01-04T10:00:00Z","end":"2026-01-04T11:00:00Z"}'


def make(folder: Path) -> None:
    (folder / "logs").mkdir()
    (folder / "logs" / "*.jsonl").write_text(FIRST + "\n")
    (folder / "logs" / "a.jsonl").write_text(SECOND + "\n")
    (folder / "logs" / "readme.txt").write_text("not a log\n")

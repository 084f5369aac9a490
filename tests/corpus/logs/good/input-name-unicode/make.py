"""A log whose name is not ASCII."""

from __future__ import annotations

from pathlib import Path

FIRST = '{"type":"incident","service":"api","severity":1,"start":"2026-01-03T10:00:00Z","end":"2026-01-03T11:00:00Z"}'
SECOND = '{"type":"incident","service":"api","severity":1,"start":"2026-01-04T10:00:00Z","end":"2026-01-04T11:00:00Z"}'


def make(folder: Path) -> None:
    (folder / "events-Zürich-東京.jsonl").write_text(FIRST + "\n" + SECOND + "\n", encoding="utf-8")

"""Arrays nested 100,000 deep: unclosed on line 2 (not JSON), closed in an unused record on line 3."""

from __future__ import annotations

from pathlib import Path

FIRST = (
    '{"type":"incident","service":"api","severity":1,'
    '"start":"2026-01-03T10:00:00Z","end":"2026-01-03T11:00:00Z"}'
)
DEPTH = 100_000


def make(folder: Path) -> None:
    deep = '{"type":"note","a":' + "[" * DEPTH + "]" * DEPTH + "}"
    (folder / "events.jsonl").write_text(FIRST + "\n" + "[" * DEPTH + "\n" + deep + "\n")

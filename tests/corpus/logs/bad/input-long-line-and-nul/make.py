"""A long line and a NUL line."""

from __future__ import annotations

from pathlib import Path

FIRST = '{"type":"incident","service":"api","severity":1,"start":"2026-01-03T10:00:00Z","end":"2026-01-03T11:00:00Z"}'


def make(folder: Path) -> None:
    data = (
        (FIRST + "\n").encode()
        + b"z" * 3_000_000
        + b"\n"
        + b'{"type":"\0"}\n'
        + (FIRST + "\n").encode()
    )
    (folder / "events.jsonl").write_bytes(data)

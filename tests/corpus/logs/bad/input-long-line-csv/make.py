"""A 50 MB CSV row."""

from __future__ import annotations

from pathlib import Path

FIRST = "type,service,severity,start,end\nincident,api,1,2026-01-03T10:00:00Z,2026-01-03T11:00:00Z"
LAST = "incident,api,1,2026-01-04T10:00:00Z,2026-01-04T11:00:00Z"


def make(folder: Path) -> None:
    long_line = b"incident," + b"x" * 50_000_000 + b",1,2026-01-05T10:00:00Z,"
    data = (FIRST + "\n").encode() + long_line + b"\n" + (LAST + "\n").encode()
    (folder / "events.csv").write_bytes(data)

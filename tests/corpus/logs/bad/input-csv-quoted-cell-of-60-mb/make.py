"""A CSV row whose quoted cell spans 60,000 lines of 1,000 bytes: 60 MB in one row."""

from __future__ import annotations

from pathlib import Path

HEADER = "type,service,severity,start,end,note\n"
FIRST = "incident,api,1,2026-01-03T10:00:00Z,2026-01-03T11:00:00Z,x\n"
LONG = "incident,api,1,2026-01-04T10:00:00Z,2026-01-04T11:00:00Z,"
LAST = "incident,api,1,2026-01-05T10:00:00Z,2026-01-05T11:00:00Z,z\n"


def make(folder: Path) -> None:
    note = '"' + ("y" * 999 + "\n") * 60_000 + '"\n'
    (folder / "events.csv").write_text(HEADER + FIRST + LONG + note + LAST)

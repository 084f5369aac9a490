"""A 3 MB header."""

from __future__ import annotations

from pathlib import Path

ROW = "incident,api,1,2026-01-03T10:00:00Z,2026-01-03T11:00:00Z"


def make(folder: Path) -> None:
    header = "type,service,severity,start,end," + "x" * 3_000_000
    (folder / "events.csv").write_text(header + "\n" + ROW + "\n")

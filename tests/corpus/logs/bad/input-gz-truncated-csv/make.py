"""The first half of a gzip file."""

from __future__ import annotations

import gzip
from pathlib import Path

HEADER = "type,service,severity,start,end"
ROW = "incident,api,1,2026-01-03T10:00:00Z,2026-01-03T11:00:00Z"


def make(folder: Path) -> None:
    data = gzip.compress((HEADER + "\n" + (ROW + "\n") * 2000).encode())
    (folder / "events.csv.gz").write_bytes(data[: len(data) // 2])

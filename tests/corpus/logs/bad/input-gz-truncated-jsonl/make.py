"""The first half of a gzip file."""

from __future__ import annotations

import gzip
from pathlib import Path

LINE = '{"type":"incident","service":"api","severity":1,"start":"2026-01-03T10:00:00Z","end":"2026-01-03T11:00:00Z"}'


def make(folder: Path) -> None:
    data = gzip.compress((LINE + "\n").encode() * 2000)
    (folder / "events.jsonl.gz").write_bytes(data[: len(data) // 2])

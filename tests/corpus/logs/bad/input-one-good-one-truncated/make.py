"""A truncated gzip file beside a good one."""

from __future__ import annotations

import gzip
from pathlib import Path

LINE = '{"type":"incident","service":"api","severity":1,"start":"2026-01-04T10:00:00Z","end":"2026-01-04T11:00:00Z"}'


def make(folder: Path) -> None:
    data = gzip.compress((LINE + "\n").encode() * 2000)
    (folder / "events2.jsonl.gz").write_bytes(data[: len(data) // 3])

"""A 50 MB JSON line, compressed."""

from __future__ import annotations

import gzip
from pathlib import Path

FIRST = '{"type":"incident","service":"api","severity":1,"start":"2026-01-03T10:00:00Z","end":"2026-01-03T11:00:00Z"}'
LAST = '{"type":"incident","service":"api","severity":1,"start":"2026-01-04T10:00:00Z","end":"2026-01-04T11:00:00Z"}'


def make(folder: Path) -> None:
    long_line = b'{"type":"incident","service":"' + b"x" * 50_000_000 + b'"}'
    data = (FIRST + "\n").encode() + long_line + b"\n" + (LAST + "\n").encode()
    (folder / "events.jsonl.gz").write_bytes(gzip.compress(data, compresslevel=1))

"""A gzip bomb."""

from __future__ import annotations

import gzip
from pathlib import Path

LINE = '{"type":"incident","service":"api","severity":1,"start":"2026-01-03T10:00:00Z","end":"2026-01-03T11:00:00Z"}'
LATER = '{"type":"incident","service":"api","severity":1,"start":"2026-01-04T10:00:00Z","end":"2026-01-04T11:00:00Z"}'


def make(folder: Path) -> None:
    # Concatenated gzip members (a valid gzip file): 64 of 16 MiB of zeros, 1 GiB in all, in
    # about 1 MB, made in a few hundredths of a second.
    zeros = gzip.compress(b"\0" * (1 << 24), compresslevel=9)
    with (folder / "events.jsonl.gz").open("wb") as out:
        out.write(gzip.compress((LINE + "\n").encode()))
        for _ in range(64):
            out.write(zeros)
        out.write(gzip.compress(("\n" + LATER + "\n").encode()))

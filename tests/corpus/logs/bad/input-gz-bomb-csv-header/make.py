"""A gzip bomb."""

from __future__ import annotations

import gzip
from pathlib import Path


def make(folder: Path) -> None:
    zeros = gzip.compress(b"\0" * (1 << 24), compresslevel=9)
    with (folder / "events.csv.gz").open("wb") as out:
        for _ in range(64):
            out.write(zeros)

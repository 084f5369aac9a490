"""A FIFO named like a log."""

from __future__ import annotations

import os
from pathlib import Path


def make(folder: Path) -> None:
    os.mkfifo(folder / "events.jsonl")

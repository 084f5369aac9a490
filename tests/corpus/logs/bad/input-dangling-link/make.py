"""A link to nowhere."""

from __future__ import annotations

import os
from pathlib import Path


def make(folder: Path) -> None:
    os.symlink("nowhere.jsonl", folder / "events.jsonl")

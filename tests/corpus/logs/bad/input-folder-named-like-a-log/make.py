"""A folder named like a log."""

from __future__ import annotations

from pathlib import Path


def make(folder: Path) -> None:
    (folder / "events.jsonl").mkdir()

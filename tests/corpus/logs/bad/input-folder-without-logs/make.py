"""An empty folder (git keeps none) and one holding only a text file."""

from __future__ import annotations

from pathlib import Path


def make(folder: Path) -> None:
    (folder / "logs").mkdir()
    (folder / "logs" / "notes.txt").write_text("not a log\n")

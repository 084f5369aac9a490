import gzip
from pathlib import Path


def make(folder: Path) -> None:
    """The log gzip-compressed (a binary file is not committed)."""
    text = (folder / "log.txt").read_bytes()
    (folder / "events.jsonl.gz").write_bytes(gzip.compress(text))
    (folder / "log.txt").unlink()

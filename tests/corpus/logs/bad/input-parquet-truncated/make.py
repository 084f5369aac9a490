"""The first half of a Parquet file."""

from __future__ import annotations

from pathlib import Path

import duckdb


def make(folder: Path) -> None:
    whole = folder / "whole.bin"
    duckdb.connect().execute(
        "COPY (SELECT 'incident' AS type, 'api' AS service, range AS severity FROM range(1000)) "
        "TO '" + str(whole).replace("'", "''") + "' (FORMAT parquet)"
    )
    data = whole.read_bytes()
    whole.unlink()
    (folder / "events.parquet").write_bytes(data[: len(data) // 2])

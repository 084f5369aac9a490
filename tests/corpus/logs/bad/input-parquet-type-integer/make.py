"""Parquet with an INTEGER type."""

from __future__ import annotations

from pathlib import Path

import duckdb


def make(folder: Path) -> None:
    target = str(folder / "events.parquet").replace("'", "''")
    duckdb.connect().execute(
        "COPY (SELECT * FROM (VALUES (7, 'api', 1, '2026-01-03T10:00:00Z', '2026-01-03T11:00:00Z')) AS t(type, service, severity, start, \"end\")) TO '"
        + target
        + "' (FORMAT parquet)"
    )

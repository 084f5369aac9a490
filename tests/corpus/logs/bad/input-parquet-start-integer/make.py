"""Parquet with an INTEGER start."""

from __future__ import annotations

from pathlib import Path

import duckdb


def make(folder: Path) -> None:
    target = str(folder / "events.parquet").replace("'", "''")
    duckdb.connect().execute(
        "COPY (SELECT * FROM (VALUES ('incident', 'api', 1, 20260103, '2026-01-03T11:00:00Z'), ('incident', 'api', 1, 20260104, '2026-01-04T11:00:00Z')) AS t(type, service, severity, start, \"end\")) TO '"
        + target
        + "' (FORMAT parquet)"
    )

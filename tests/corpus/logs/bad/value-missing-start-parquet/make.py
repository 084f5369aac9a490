from pathlib import Path

import duckdb


def make(folder: Path) -> None:
    """The Parquet file, written by DuckDB (a binary file is not committed)."""
    path = folder / "events.parquet"
    duckdb.sql(
        "COPY (SELECT 'incident' AS type, 'api' AS service, 1 AS severity, TIMESTAMPTZ '2026-01-03 10:00:00+00' AS start_time) TO '"
        + str(path).replace("'", "''")
        + "' (FORMAT parquet)"
    )

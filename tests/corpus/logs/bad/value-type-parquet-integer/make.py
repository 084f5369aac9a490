from pathlib import Path

import duckdb


def make(folder: Path) -> None:
    """The Parquet file, written by DuckDB (a binary file is not committed)."""
    path = folder / "events.parquet"
    duckdb.sql(
        "COPY (SELECT * FROM (VALUES (1, 'api'), (2, 'db')) v(type, service)) TO '"
        + str(path).replace("'", "''")
        + "' (FORMAT parquet)"
    )

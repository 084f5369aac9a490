"""Parquet with a year-0 start."""

from __future__ import annotations

from pathlib import Path

import duckdb


def make(folder: Path) -> None:
    target = str(folder / "events.parquet").replace("'", "''")
    duckdb.connect().execute(
        "COPY (SELECT * FROM (VALUES ('incident', 'api', 1, '0000-01-03 10:00:00+00'::TIMESTAMPTZ), ('incident', 'api', 1, '2026-01-03 10:00:00+00'::TIMESTAMPTZ)) AS t(type, service, severity, start)) TO '"
        + target
        + "' (FORMAT parquet)"
    )

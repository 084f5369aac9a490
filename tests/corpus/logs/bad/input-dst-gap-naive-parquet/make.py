"""Parquet with a naive TIMESTAMP (no time zone) in Berlin's daylight-saving gap."""

from __future__ import annotations

from pathlib import Path

import duckdb


def make(folder: Path) -> None:
    target = str(folder / "events.parquet").replace("'", "''")
    duckdb.connect().execute(
        "COPY (SELECT * FROM (VALUES "
        "('incident', 'api', 1, TIMESTAMP '2026-01-03 10:00:00', TIMESTAMP '2026-01-03 11:00:00'), "
        "('incident', 'api', 1, TIMESTAMP '2026-03-29 02:30:00', TIMESTAMP '2026-03-29 04:00:00')"
        ') AS t(type, service, severity, start, "end")) TO \'' + target + "' (FORMAT parquet)"
    )

"""The benchmark scripts still run, on a log small enough to take seconds: a change of the
language or the API that they miss (a contract they write that no longer checks) fails here,
not on the day someone measures. Their figures are not looked at (docs/performance.md has them).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_eval_requests_runs_and_agrees_with_the_hand_query(tmp_path: Path) -> None:
    out = run(
        "eval_requests.py", "--records", "3000", "--formats", "jsonl,parquet", "--runs", "1",
        "--keep", str(tmp_path),
    )  # fmt: skip
    rows = [line for line in out.splitlines() if line.strip().startswith("3,000")]
    assert len(rows) == 2 and all(row.rstrip().endswith("yes") for row in rows), out


def test_clauses_runs(tmp_path: Path) -> None:
    out = run(
        "clauses.py", "--sizes", "6,12", "--metrics", "6", "--records", "3000", "--runs", "1",
        "--keep", str(tmp_path),
    )  # fmt: skip
    assert "12" in out, out


def test_services_runs_and_agrees_with_the_hand_scripts(tmp_path: Path) -> None:
    out = run(
        "services.py", "--records", "3000", "--formats", "parquet,jsonl,csv", "--metrics", "3,30",
        "--pairs", "1", "--pause", "0", "--keep", str(tmp_path),
    )  # fmt: skip
    table = [line.split() for line in out.splitlines() if line.strip().startswith("3,000 ")]
    rows = [row for row in table if row[1] in ("3", "30")]  # not the line "3,000 records (...)"
    cases = {(row[1], row[2]): row[-1] for row in rows}
    assert cases == {
        (metrics, fmt): "yes" for metrics in ("3", "30") for fmt in ("parquet", "jsonl", "csv")
    }, out
    assert [row[-2] for row in rows] == ["27"] * 3 + ["270"] * 3, out  # values compared per run
    assert "30 vs 3 metrics" in out and "floor:" in out, out

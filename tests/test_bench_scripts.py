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

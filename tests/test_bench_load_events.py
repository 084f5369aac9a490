"""bench/load_events.py still runs, on a log small enough to take seconds (its figures are not
looked at: docs/performance.md has them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_load_events_runs_every_format_and_agrees_with_the_hand_query(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable, str(REPO / "bench" / "load_events.py"), "--records", "2000",
            "--pairs", "1", "--eval", "--dirty", "2", "--keep", str(tmp_path),
        ],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert out.count("the same numbers: yes") == 3, out
    assert "{'records': 1998, 'rejected': 2, 'fast_path': False}" in out, out
    assert out.count("{'records': 2000, 'rejected': 0, 'fast_path': True}") == 3, out

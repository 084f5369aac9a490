"""Build the wheel, install it outside the source tree and run it from there.

Guards the packaging of the grammar: `grammar/obligo.lark` is force-included into
the wheel as `obligo/grammar/obligo.lark`, and an installed obligo must find it
without the source checkout being reachable.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
GRAMMAR_IN_WHEEL = "obligo/grammar/obligo.lark"


def _run(
    cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _describe(proc: subprocess.CompletedProcess[str]) -> str:
    return (
        f"command: {proc.args}\nexit code: {proc.returncode}\n"
        f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    )


def test_wheel_ships_grammar_and_runs_installed(tmp_path: Path) -> None:
    contracts = sorted((REPO / "contracts").rglob("*.sla"))
    assert contracts, f"no contracts/*.sla found under {REPO}"

    # 1. Build the wheel from the checkout, with the venv's own hatchling (offline, fast).
    dist = tmp_path / "dist"
    proc = _run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), "."],
        cwd=REPO,
    )
    assert proc.returncode == 0, _describe(proc)
    wheels = sorted(dist.glob("obligo-*.whl"))
    assert len(wheels) == 1, f"expected exactly one wheel, got {wheels}"
    wheel = wheels[0]

    # 2. The grammar (and the typing marker) are inside the package.
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert GRAMMAR_IN_WHEEL in names, f"{GRAMMAR_IN_WHEEL} not in {wheel.name}: {sorted(names)}"
    assert "obligo/py.typed" in names

    # 3. Install it into a plain directory, away from the checkout.
    site = tmp_path / "site"
    proc = _run(
        [
            sys.executable, "-m", "pip", "install",
            "--no-deps", "--no-index", "--disable-pip-version-check", "--quiet",
            "--target", str(site), str(wheel),
        ],
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, _describe(proc)

    # PYTHONPATH puts the installed copy ahead of the venv's editable install;
    # cwd=tmp_path keeps the checkout (and its grammar/) out of reach.
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("PYTHONSTARTUP", None)

    # 4. The installed package is the one imported, and its grammar resource is there.
    probe = (
        "import importlib.resources, obligo\n"
        "print(obligo.__file__)\n"
        "print(importlib.resources.files('obligo').joinpath('grammar', 'obligo.lark').is_file())\n"
    )
    proc = _run([sys.executable, "-c", probe], cwd=tmp_path, env=env)
    assert proc.returncode == 0, _describe(proc)
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 2, _describe(proc)
    imported_from = Path(lines[0]).resolve()
    assert imported_from.is_relative_to(site.resolve()), (
        f"obligo imported from {imported_from}, not from the installed wheel in {site}"
    )
    assert lines[1] == "True", "grammar/obligo.lark not reachable via importlib.resources"

    # 5. The installed CLI parses a real contract with the packaged grammar.
    proc = _run([sys.executable, "-m", "obligo", "check", str(contracts[0])], cwd=tmp_path, env=env)
    assert proc.returncode == 0, _describe(proc)

"""The corpus of broken (and odd but valid) event logs, each evaluated in both modes.

See tests/corpus/README.md for the layout. Every case runs `obligo eval` in process, stopping at
bad data and with `--skip-invalid`; each run must end with its stated exit code and messages, and
never with a traceback.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from obligo.cli import cli

CORPUS = Path(__file__).parent / "corpus" / "logs"
EVENT_NAMES = ("*.jsonl", "*.csv", "*.jsonl.gz", "*.csv.gz", "*.parquet", "*.ndjson", "*.json")


def _cases(kind: str) -> list[str]:
    return sorted(p.name for p in (CORPUS / kind).iterdir() if (p / "case.json").exists())


def _prepare(kind: str, name: str, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path / name
    shutil.copytree(CORPUS / kind / name, folder, symlinks=True)
    maker = folder / "make.py"
    if maker.exists():
        spec = importlib.util.spec_from_file_location(f"corpus_make_{name}", maker)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.make(folder)
    case: dict[str, Any] = json.loads((folder / "case.json").read_text(encoding="utf-8"))
    return folder, case


def _run(folder: Path, case: dict[str, Any], *extra: str) -> Result:
    contract = folder / "contract.sla"
    if not contract.exists():
        contract = CORPUS / "contract.sla"
    events = case.get("events") or sorted(
        {
            p.name
            for pattern in EVENT_NAMES
            for p in folder.glob(pattern)
            if p.name.startswith("events")
        }
    )
    args = [str(contract), "--at", case.get("at", "2026-02-01T00:00:00Z")]
    for event in events:
        args += ["--events", event]
    args += [*case.get("args", []), *extra]
    return CliRunner().invoke(cli, ["eval", *args])


def _check(result: Result, expected: dict[str, Any], name: str) -> None:
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{name}: {result.exception!r}"
    )
    assert "Traceback" not in output, output
    assert result.exit_code == expected["exit"], f"{name}: exit {result.exit_code}\n{output}"
    for piece in expected.get("output", []):
        assert piece in output, f"{name}: {piece!r} not in\n{output}"


def _rejected(result: Result) -> int:
    report = json.loads(result.stdout)
    reports = report.get("sections") or [report]
    if "inputs" in report:
        reports = [report]
    return sum(int(item["rejected"]) for r in reports for item in r.get("inputs", []))


def test_the_corpus_is_large_enough() -> None:
    assert len(_cases("bad")) >= 80


@pytest.mark.parametrize("name", _cases("bad"))
def test_bad_log_stops_with_its_reasons(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, case = _prepare("bad", name, tmp_path)
    monkeypatch.chdir(folder)
    if "stop" in case:
        _check(_run(folder, case), case["stop"], name)


@pytest.mark.parametrize("name", _cases("bad"))
def test_bad_log_is_counted_with_skip_invalid(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, case = _prepare("bad", name, tmp_path)
    monkeypatch.chdir(folder)
    if "skip" in case:
        result = _run(folder, case, "--skip-invalid", "--format", "json")
        _check(result, case["skip"], name)
        if "rejected" in case["skip"]:
            assert _rejected(result) == case["skip"]["rejected"], result.stdout[:2000]


@pytest.mark.parametrize("name", _cases("good"))
def test_odd_but_valid_log_is_evaluated_right(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, case = _prepare("good", name, tmp_path)
    monkeypatch.chdir(folder)
    _check(_run(folder, case), case["stop"], name)

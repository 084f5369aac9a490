"""The corpus of broken contracts: each is refused with the located messages beside it.

See tests/corpus/README.md for the layout. Every case is checked through the library as `obligo
check` does (load, then check), from the corpus folder, so the expected lines name files as a
user running `obligo check NAME.sla` there would see them.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

import obligo
from obligo.errors import Severity

BAD = Path(__file__).parent / "corpus" / "contracts" / "bad"


def _cases() -> list[str]:
    names = [p.name for p in BAD.glob("*.sla")]
    names += [p.name for p in BAD.iterdir() if p.is_dir() and (p / "expected").exists()]
    return sorted(names)


def _expected(name: str) -> list[str]:
    path = BAD / (f"{name}/expected" if not name.endswith(".sla") else name[:-4] + ".expected")
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _error_lines(path: str) -> list[str]:
    try:
        contract = obligo.load(path)
    except obligo.ObligoError as error:
        diagnostics = list(getattr(error, "diagnostics", ()) or (error.diagnostic(),))
    else:
        diagnostics = obligo.check(contract)
    return [d.format().splitlines()[0] for d in diagnostics if d.severity is Severity.ERROR]


def test_the_corpus_is_large_enough() -> None:
    assert len(_cases()) >= 150


@pytest.mark.parametrize("name", _cases())
def test_bad_contract_is_refused_where_it_is_wrong(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _expected(name)
    assert expected, f"{name}: no expected message"
    if name.endswith(".sla"):
        shutil.copy(BAD / name, tmp_path / name)
        target = name
    else:
        shutil.copytree(BAD / name, tmp_path / name, symlinks=True)
        maker = tmp_path / name / "make.py"
        if maker.exists():
            spec = importlib.util.spec_from_file_location(f"corpus_make_{name}", maker)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            module.make(tmp_path / name)
        target = f"{name}/main.sla"
    monkeypatch.chdir(tmp_path)
    assert _error_lines(target) == expected

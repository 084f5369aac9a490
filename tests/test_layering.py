"""The pipeline reads one way: no stage imports a later one (README, "Layout").

Each module of ``src/obligo`` belongs to a stage; a module may import its own stage and the
stages before it. The order: the shared foundation (errors, inert text, bounded file reading),
the model (the typed values every stage speaks: syntax builds them), syntax, checks, the
resolved agreement, the logs (events), the engine, the report, the renderers, then the library
API and the command line.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "obligo"

STAGES: list[tuple[str, ...]] = [
    ("errors", "_inert", "_interrupt", "contract_files", "_transform"),
    ("model",),
    ("syntax",),
    ("checks",),
    ("agreements", "resolve"),
    ("interop",),  # OpenSLO and contracts: model and syntax, never the logs or the engine
    ("events",),
    ("engine",),
    ("report",),
    ("render", "_output"),
    ("guard", "api", "__init__"),
    ("cli", "__main__"),
]

# Imports of a later stage that are known and have an issue of their own; each must still be
# needed (the test fails when one is gone, so that the list only shrinks). None is left: every
# engine pass hands on values of its own (issue 12, item 4), and the report stage makes the
# report of them.
KNOWN: dict[tuple[str, str], str] = {}


def _stage(name: str) -> int:
    for index, names in enumerate(STAGES):
        if name in names:
            return index
    raise AssertionError(f"obligo.{name} belongs to no stage: add it to STAGES")


def _importer(relative: Path) -> str:
    """The stage a module belongs to, by name; an engine module's with its pass
    (``engine.judge``, ``engine.context``)."""
    own = relative.parts[0].removesuffix(".py")
    if own == "engine" and len(relative.parts) > 1:
        return f"engine.{relative.parts[1].removesuffix('.py')}"
    return STAGES[_stage(own)][0]


def _imports() -> dict[tuple[str, str], list[str]]:
    """(importer's stage name, imported stage name) -> the files, for imports of later stages;
    an importer of the engine is named with its pass (see :func:`_importer`)."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        own = relative.parts[0].removesuffix(".py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] != "obligo":
                    continue
                if len(parts) == 1:  # `from obligo import X`: the package itself
                    target = "__init__"
                else:
                    target = parts[1]
                if _stage(target) > _stage(own):
                    key = (_importer(relative), STAGES[_stage(target)][0])
                    found.setdefault(key, []).append(f"{relative}: {name}")
    return found


def test_no_stage_imports_a_later_one() -> None:
    found = _imports()
    unexpected = {k: v for k, v in found.items() if k not in KNOWN}
    assert not unexpected, unexpected


def test_every_known_exception_is_still_needed() -> None:
    found = _imports()
    gone = [k for k in KNOWN if k not in found]
    assert not gone, f"no longer imported, remove from KNOWN: {gone}"


# Inside the engine, the passes in their order; ``context`` (what every pass reads, with the
# plan's ``scans``) after the time it is made of.
PASSES: list[tuple[str, ...]] = [
    ("numbers", "__init__"),
    ("time",),
    ("context", "scans"),
    ("measure",),
    ("judge",),
    ("consequences",),
    ("rights",),
    ("run",),
]


def _pass(name: str) -> int:
    for index, names in enumerate(PASSES):
        if name in names:
            return index
    raise AssertionError(f"obligo.engine.{name} belongs to no pass: add it to PASSES")


def test_no_engine_pass_imports_a_later_one() -> None:
    engine = SRC / "engine"
    later: list[str] = []
    for path in sorted(engine.rglob("*.py")):
        own = path.relative_to(engine).parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
                if node.module == "obligo.engine":
                    names = [f"obligo.engine.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[:2] != ["obligo", "engine"] or len(parts) < 3:
                    continue
                if _pass(parts[2]) > _pass(own):
                    later.append(f"{path.relative_to(engine)}: {name}")
    assert not later, later


def test_every_engine_pass_says_what_it_does() -> None:
    for names in PASSES:
        for name in names:
            if not (SRC / "engine" / name).is_dir():
                continue
            package = SRC / "engine" / name / "__init__.py"
            assert ast.get_docstring(ast.parse(package.read_text(encoding="utf-8"))), name

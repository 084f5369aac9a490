"""The library's public functions: ``parse``, ``load``, ``check``, ``format_contract`` and
``load_agreements`` (a set of contract files: levels, the pairs they cover, resolution)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from obligo.agreements import (
    AgreementFile,
    AgreementSet,
    CoveredPair,
    Inherited,
    LevelNode,
    Origin,
    PairRequest,
    ResolvedAgreement,
    ResolvedClause,
    parse_pair_argument,
)
from obligo.checks import check_contract
from obligo.engine.baseline_report import baseline_report
from obligo.engine.evaluation import evaluate as _evaluate
from obligo.engine.portfolio import evaluate_agreements as _evaluate_agreements
from obligo.errors import Diagnostic, ObligoError, ObligoSemanticError, ObligoSyntaxError
from obligo.guard import guarded
from obligo.model.contract import Contract
from obligo.syntax import parse_contract
from obligo.syntax.fmt import format_text


@guarded("read the contract")
def parse(text: str, filename: str = "<string>", *, base_dir: str | Path | None = None) -> Contract:
    """Parse a contract's text into its model.

    Imports (``import "corporate.sla"``) are resolved relative to ``base_dir``, or to the
    directory of ``filename`` when it names a file, and the imported contracts are attached as
    :attr:`Contract.imported`.

    Raises :class:`~obligo.ObligoSyntaxError` when the text cannot be read and
    :class:`~obligo.ObligoSemanticError` when a line cannot mean anything (an unknown unit, a date that is
    not in the calendar). Findings across declarations are returned by :func:`check`.
    """
    if base_dir is None:
        candidate = Path(filename)
        base_dir = candidate.parent if candidate.is_file() else Path.cwd()
    return _parse(text, filename, Path(base_dir), ())


@guarded("read the contract")
def load(path: str | Path) -> Contract:
    """Read and parse a contract file, with the contracts it imports."""
    path = Path(path)
    text = _read(path, None)
    return _parse(text, str(path), path.parent, ())


@guarded("read the agreements")
def load_agreements(paths: str | Path | Iterable[str | Path]) -> AgreementSet:
    """Load a set of agreements: contract files and folders (every ``*.sla`` directly inside a
    folder, in name order), each file read and parsed once, the files they import included.

    The set knows every level file, the hierarchy (corporate -> customer -> service of a
    customer) and every (customer, service) pair the agreements cover; ``resolve`` gives the
    agreement in force for one pair. Raises what :func:`load` raises, and
    :class:`ObligoError` when a path is neither a file nor a folder or a folder holds no
    contract. Findings across the set are returned by :meth:`AgreementSet.check`.
    """
    given = [paths] if isinstance(paths, str | Path) else list(paths)
    files = _contract_files([Path(p) for p in given])
    # Every file is named by the shortest spelling it was given under, the same whatever the
    # order of the arguments; files reached only by `import` are named from their importer.
    names: dict[Path, str] = {}
    for path in files:
        name = os.path.normpath(path)
        target = path.resolve()
        names[target] = min(names.get(target, name), name, key=lambda n: (len(n), n))
    shared = _SharedLoads(names)
    listed = [shared.load(target, (target,), None) for target in sorted(names)]
    return AgreementSet.build(listed)


@guarded("check the contract")
def check(contract: Contract) -> list[Diagnostic]:
    """Every finding about a contract, errors and warnings, in the order of the text.

    Nothing is printed: callers decide what to show. Use :func:`raise_for_errors` to turn the
    errors into an exception.
    """
    return check_contract(contract)


def raise_for_errors(diagnostics: list[Diagnostic]) -> None:
    """Raise :class:`ObligoSemanticError` for the first error among the diagnostics, if any."""
    if any(d.severity.value == "error" for d in diagnostics):
        raise ObligoSemanticError.from_diagnostics(diagnostics)


@guarded("format the contract")
def format_contract(text: str, filename: str = "<string>") -> str:
    """The canonical layout of a contract's text; raises the errors of :func:`parse` first."""
    parse_contract(text, filename)
    return format_text(text)


# The evaluations, guarded: see obligo.guard.
evaluate = guarded("evaluate the contract")(_evaluate)
evaluate_agreements = guarded("evaluate the agreements")(_evaluate_agreements)
baseline = guarded("compute the baseline")(baseline_report)


def _source_lines(text: str) -> list[str]:
    """The lines of a contract as the parser counts them: split at line feeds only (a carriage
    return or a form feed inside a line leaves it one line), without a byte order mark."""
    return [line.rstrip("\r") for line in text.removeprefix("\ufeff").split("\n")]


def _read(path: Path, imported_from: tuple[str, int, int, str | None] | None) -> str:
    try:
        if "\x00" in str(path):
            raise ValueError("a file name cannot hold a NUL character")
        return path.read_text(encoding="utf-8")
    except (OSError, ValueError) as error:  # UnicodeDecodeError is a ValueError
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        if imported_from is None:
            raise ObligoError(
                f"cannot read {path}: {reason}", file=str(path), line=1, column=1
            ) from None
        file, line, column, source = imported_from
        raise ObligoSemanticError(
            f"cannot import {path}: {reason}",
            file=file,
            line=line,
            column=column,
            source_line=source,
        ) from None


def _parse_text(text: str, filename: str) -> Contract:
    """The parser's model of one file; a text nested too deeply for the parser is an error at
    the file, not a RecursionError."""
    try:
        return parse_contract(text, filename)
    except RecursionError:
        raise ObligoSyntaxError(
            "the contract nests too deeply to be read (conditions, parentheses or `not` inside"
            " one another, hundreds of levels deep)",
            file=filename,
            line=1,
            column=1,
            hint="write the condition with fewer levels",
        ) from None


def _parse(text: str, filename: str, base_dir: Path, chain: tuple[Path, ...]) -> Contract:
    contract = _parse_text(text, filename)
    if not contract.imports:
        return contract
    lines = _source_lines(text)
    imported: list[Contract] = []
    for item in contract.imports:
        target = (base_dir / item.path).resolve()
        source = lines[item.loc.line - 1] if 0 < item.loc.line <= len(lines) else None
        where = (filename, item.loc.line, item.loc.column, source)
        if target in chain or (filename != "<string>" and target == Path(filename).resolve()):
            raise ObligoSemanticError(
                f'"{item.path}" imports itself, directly or through other files',
                file=filename,
                line=item.loc.line,
                column=item.loc.column,
                source_line=source,
            )
        child_text = _read(target, where)
        imported.append(
            _parse(child_text, str(base_dir / item.path), target.parent, (*chain, target))
        )
    return contract.model_copy(update={"imported": tuple(imported)})


def _contract_files(paths: list[Path]) -> list[Path]:
    if not paths:
        raise ObligoError("no contract files given", file="<agreements>", line=1, column=1)
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.sla") if p.is_file())
            if not found:
                raise ObligoError(
                    f"no contract (*.sla) in the folder {path}",
                    file=str(path),
                    line=1,
                    column=1,
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise ObligoError(
                f"cannot read {path}: no such file or folder", file=str(path), line=1, column=1
            )
    return files


class _SharedLoads:
    """Parses each file of an agreement set once: a file imported by several levels (or also
    listed) is one :class:`Contract`, shared by every contract that imports it."""

    def __init__(self, names: dict[Path, str]) -> None:
        self.names = names
        self.done: dict[Path, Contract] = {}

    def load(
        self,
        target: Path,
        chain: tuple[Path, ...],
        imported_from: tuple[str, int, int, str | None] | None,
    ) -> Contract:
        if target in self.done:
            return self.done[target]
        name = self.names[target]
        text = _read(target, imported_from)
        contract = _parse_text(text, name)
        lines = _source_lines(text)
        imported: list[Contract] = []
        for item in contract.imports:
            spelled = os.path.normpath(Path(name).parent / item.path)
            parent = Path(spelled).resolve()
            source = lines[item.loc.line - 1] if 0 < item.loc.line <= len(lines) else None
            where = (name, item.loc.line, item.loc.column, source)
            if parent in chain:
                raise ObligoSemanticError(
                    f'"{item.path}" imports itself, directly or through other files',
                    file=name,
                    line=item.loc.line,
                    column=item.loc.column,
                    source_line=source,
                )
            self.names.setdefault(parent, spelled)
            imported.append(self.load(parent, (*chain, parent), where))
        if imported:
            contract = contract.model_copy(update={"imported": tuple(imported)})
        self.done[target] = contract
        return contract


__all__ = [
    "AgreementFile",
    "AgreementSet",
    "CoveredPair",
    "Inherited",
    "LevelNode",
    "Origin",
    "PairRequest",
    "ResolvedAgreement",
    "ResolvedClause",
    "baseline",
    "check",
    "evaluate",
    "evaluate_agreements",
    "format_contract",
    "load",
    "load_agreements",
    "parse",
    "parse_pair_argument",
    "raise_for_errors",
]

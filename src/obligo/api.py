"""The library's public functions: ``parse``, ``load``, ``check`` and ``format_contract``."""

from __future__ import annotations

from pathlib import Path

from obligo.checks import check_contract
from obligo.errors import Diagnostic, ObligoError, ObligoSemanticError
from obligo.model.contract import Contract
from obligo.syntax import parse_contract
from obligo.syntax.fmt import format_text


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


def load(path: str | Path) -> Contract:
    """Read and parse a contract file, with the contracts it imports."""
    path = Path(path)
    text = _read(path, None)
    return _parse(text, str(path), path.parent, ())


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


def format_contract(text: str, filename: str = "<string>") -> str:
    """The canonical layout of a contract's text; raises the errors of :func:`parse` first."""
    parse_contract(text, filename)
    return format_text(text)


def _read(path: Path, imported_from: tuple[str, int, int, str | None] | None) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
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


def _parse(text: str, filename: str, base_dir: Path, chain: tuple[Path, ...]) -> Contract:
    contract = parse_contract(text, filename)
    if not contract.imports:
        return contract
    lines = text.splitlines()
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

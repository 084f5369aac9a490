"""OpenSLO documents read with their line numbers (ruamel.yaml, the extra ``obligo[openslo]``),
so that what has no equivalent is reported at the YAML line it is written on."""

from __future__ import annotations

from typing import Any

from obligo.errors import ObligoError


def read_documents(text: str, filename: str) -> list[Any]:
    """Every YAML document of ``text`` (``---`` separated), as ruamel's mappings that know
    their lines; empty documents are left out."""
    try:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import MarkedYAMLError, YAMLError
    except ImportError:
        raise ObligoError(
            f"cannot read {filename}: reading OpenSLO needs ruamel.yaml",
            file=filename,
            hint="install obligo[openslo]",
        ) from None
    yaml = YAML(typ="rt", pure=True)
    try:
        found = [doc for doc in yaml.load_all(text) if doc is not None]
    except MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else 1
        column = mark.column + 1 if mark is not None else 1
        raise ObligoError(
            f"{filename} is not valid YAML: {error.problem}",
            file=filename,
            line=line,
            column=column,
        ) from None
    except YAMLError as error:
        raise ObligoError(f"{filename} is not valid YAML: {error}", file=filename) from None
    except ValueError as error:
        # A scalar YAML reads as a date or number but that is none (2020-02-30): no mark.
        raise ObligoError(f"{filename} is not valid YAML: {error}", file=filename) from None
    return found


def line_of(node: Any, key: str | int | None = None) -> int:
    """The 1-based line a mapping (or one of its keys, or a list's item) starts on."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return 0
    if key is not None:
        try:
            if isinstance(key, int):
                return int(lc.item(key)[0]) + 1
            return int(lc.key(key)[0]) + 1
        except (KeyError, IndexError, TypeError):
            pass
    return int(lc.line) + 1

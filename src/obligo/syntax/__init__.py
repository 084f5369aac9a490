"""Syntax: the grammar, the parser, the transformer to the model, and the formatter."""

from __future__ import annotations

from typing import Any, cast

from lark.exceptions import VisitError

from obligo.errors import ObligoError
from obligo.model.contract import Contract
from obligo.syntax.lines import SourceText
from obligo.syntax.parser import parse_tree
from obligo.syntax.transformer import ContractTransformer, build_contract


def parse_contract(text: str, filename: str = "<string>") -> Contract:
    """One file's text to its :class:`Contract` (imports are not resolved here)."""
    source = SourceText(text)  # without a byte order mark, as the parser reads it
    tree = parse_tree(source.text, filename)
    try:
        parts = ContractTransformer(filename, source).transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, ObligoError):
            raise error.orig_exc from None
        raise
    return build_contract(cast(list[Any], parts), filename, source)


__all__ = ["parse_contract"]

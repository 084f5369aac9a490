"""Finding and compiling the grammar, ``grammar/obligo.lark``.

The grammar file has one source, ``grammar/obligo.lark`` at the project's root. The wheel carries a
copy inside the package (``obligo/grammar/obligo.lark``); a source checkout or an editable install
reads the file at the root, so an edit to the grammar is seen at once.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from lark import Lark

from obligo.syntax.indenter import ContractIndenter

GRAMMAR_NAME = "obligo.lark"


def grammar_text() -> str:
    """The text of the grammar, from the source checkout if there is one, else from the package."""
    checkout = Path(__file__).resolve().parents[3] / "grammar" / GRAMMAR_NAME
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    packaged = resources.files("obligo").joinpath("grammar", GRAMMAR_NAME)
    return packaged.read_text(encoding="utf-8")


@cache
def parser() -> Lark:
    """The LALR parser, built once per process."""
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        postlex=ContractIndenter(),
        propagate_positions=True,
        maybe_placeholders=False,
    )

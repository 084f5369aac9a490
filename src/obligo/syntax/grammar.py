"""Finding and compiling the grammar, ``grammar/obligo.lark``.

The grammar file has one source, ``grammar/obligo.lark`` at the project's root. The wheel carries a
copy inside the package (``obligo/grammar/obligo.lark``); a source checkout or an editable install
reads the file at the root, so an edit to the grammar is seen at once.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from lark import Lark, Token

from obligo.errors import ObligoSyntaxError
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
    """The LALR parser, built once per process. (Lark's cache file is not used: it would be left
    in the user's temporary folder, which obligo promises to leave as it found it.)"""
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        postlex=ContractIndenter(),
        propagate_positions=True,
        maybe_placeholders=False,
        lexer_callbacks={
            "STRING": refuse_control_characters,
            "QUOTED_NAME": refuse_control_characters,
        },
    )


# Characters a quoted text or a `name` may not hold: the C0 and C1 controls (a tab excepted).
# They cannot be seen in an editor, and a NUL byte cannot even be passed to the database that
# reads the logs.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def refuse_control_characters(token: Token) -> Token:
    """The token of a quoted text or a `name`, unless it holds a control character."""
    found = _CONTROL.search(str(token))
    if found is None:
        return token
    what = "a quoted text" if token.type == "STRING" else "a name in backticks"
    raise ObligoSyntaxError(
        f"{what} holds the control character U+{ord(found.group(0)):04X}",
        line=token.line or 1,
        column=(token.column or 1) + found.start(),
        hint="remove it; such characters cannot be seen and mean nothing in a contract",
    )

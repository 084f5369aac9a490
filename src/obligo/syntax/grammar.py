"""Finding and compiling the grammar, ``grammar/obligo.lark``.

The grammar file has one source, ``grammar/obligo.lark`` at the project's root. The wheel carries a
copy inside the package (``obligo/grammar/obligo.lark``); a source checkout or an editable install
reads the file at the root, so an edit to the grammar is seen at once.

Building the LALR tables from the grammar costs more than parsing a contract (about 0.2 s at
every start), so the built parser is kept in the user's cache folder
(``$XDG_CACHE_HOME/obligo``, else ``~/.cache/obligo``) under a name made of the grammar's hash,
Lark's version and Python's: a changed grammar, or another Lark, is a new name, never stale
tables. A folder that cannot be made or written leaves the parser built at every start, as
before, without a word.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import cache
from importlib import resources
from pathlib import Path

import lark
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
    """The LALR parser, built once per process, its tables read from the user's cache folder
    when an earlier start left them there (:func:`cache_file`)."""
    text = grammar_text()
    options: dict[str, object] = {
        "parser": "lalr",
        "lexer": "contextual",
        "postlex": ContractIndenter(),
        "propagate_positions": True,
        "maybe_placeholders": False,
        "lexer_callbacks": {
            "STRING": refuse_control_characters,
            "QUOTED_NAME": refuse_control_characters,
        },
    }
    cached = cache_file(text)
    if cached is None:
        return Lark(text, **options)
    # Lark checks the file's own hash of the grammar and options (the file's name among them),
    # and builds the tables (and writes the file) when it is missing, does not match or cannot
    # be read (a file cut short by a crash, or being written by another start: what two starts
    # write is the same bytes); a file it cannot write is left alone, silently.
    return Lark(text, cache=str(cached), **options)


def cache_file(text: str) -> Path | None:
    """Where the parser built from the grammar ``text`` is kept, the folder made if need be;
    None when there is no usable cache folder."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
        folder = root / "obligo"
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # no home, a file in the way, no permission
        return None
    key = f"{text}\0{lark.__version__}\0{sys.version_info[:2]}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return folder / f"grammar-{digest}.lark"


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

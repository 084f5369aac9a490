"""Indentation as structure: turns changes of indentation into INDENT / DEDENT tokens."""

from __future__ import annotations

from collections.abc import Iterator

from lark import Token
from lark.indenter import Indenter

from obligo.errors import ObligoSyntaxError


class IndentationError_(ObligoSyntaxError):
    """A line's indentation matches no enclosing block."""


class ContractIndenter(Indenter):
    NL_type = "_NL"
    OPEN_PAREN_types = ["LPAR", "LSQB"]  # noqa: RUF012 - Lark's Indenter API
    CLOSE_PAREN_types = ["RPAR", "RSQB"]  # noqa: RUF012
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 8

    def handle_NL(self, token: Token) -> Iterator[Token]:
        # Lark's own handler raises a DedentError without a location; ours says where and why.
        if self.paren_level > 0:
            return
        yield token
        indent_str = token.rsplit("\n", 1)[1]
        if "\t" in indent_str:
            line = token.end_line or 1
            raise IndentationError_(
                "a tab in indentation; indent with spaces",
                line=line,
                column=indent_str.index("\t") + 1,
            )
        indent = len(indent_str)
        if indent > self.indent_level[-1]:
            self.indent_level.append(indent)
            yield Token.new_borrow_pos(self.INDENT_type, indent_str, token)
        else:
            while indent < self.indent_level[-1]:
                self.indent_level.pop()
                yield Token.new_borrow_pos(self.DEDENT_type, indent_str, token)
            if indent != self.indent_level[-1]:
                line = token.end_line or 1
                raise IndentationError_(
                    f"this line is indented by {indent} spaces, which matches no enclosing block"
                    f" (expected {self.indent_level[-1]})",
                    line=line,
                    column=1,
                    hint="indent every line of a block by the same amount; alignment is not allowed",
                )

"""Text from contracts and logs made literal in Markdown.

A Markdown reader obeys more than a terminal does: ``|`` ends a table cell, a backtick opens
code, ``*`` and ``_`` emphasis, ``[`` a link, ``<`` raw HTML (a ``<script>`` in a clause title
would run in a browser that renders the pack). Every such character from a contract or a log is
escaped here, and terminal controls are made inert first (:mod:`obligo._inert`), so that what a
reader sees is what the contract and the log say.
"""

from __future__ import annotations

from obligo._inert import inert

# The characters that open or close a construct inside a line (code, emphasis, links, table
# cells, strikethrough), escaped with a backslash; `<`, `>` and `&` as HTML entities, so that no
# raw HTML and no entity reaches the reader. Text is never put at the start of a line, where
# `#`, `-` or `1.` would also mean something.
_TABLE: dict[int, str] = {ord(ch): "\\" + ch for ch in "\\`*_[]|~"}
_TABLE.update({ord("<"): "&lt;", ord(">"): "&gt;", ord("&"): "&amp;"})


def md(text: object) -> str:
    """``text`` as literal Markdown inline text: on one line (a line break would end a table
    row), every Markdown construct escaped."""
    return inert(str(text)).translate(_TABLE)

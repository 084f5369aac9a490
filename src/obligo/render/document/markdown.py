"""The agreement as Markdown. Text from a contract is escaped so that it stays text: a title
with ``|`` cannot split a table cell, backticks open no code, ``<`` opens no HTML, ``[`` no link."""

from __future__ import annotations

import re

from obligo.render.document.blocks import Block, Document, Items, Paragraph, Section, Table

# Every character Markdown (CommonMark and GitHub's tables) gives a meaning to inside a line;
# a backslash before ASCII punctuation makes it literal. `&` so that `&lt;` is not an entity.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!&~])")
# What opens a block at the start of a line: a list item (`-`, `+`, `1.`, `1)`), a heading's
# underline (`=`), a code block (indentation).
_LINE_START = re.compile(r"^([-+=]|\d{1,9}(?=[.)](?:\s|$)))")


def escape(text: str) -> str:
    """Text as Markdown that shows exactly that text, on one line (leading blanks dropped)."""
    one_line = " ".join(text.replace("\t", " ").splitlines()).lstrip(" ")
    escaped = _SPECIAL.sub(r"\\\1", one_line)
    start = _LINE_START.match(escaped)
    if start is None:
        return escaped
    if start.group(1)[0].isdigit():  # `1.` is an ordered list: escape the dot or bracket
        end = start.end()
        return f"{escaped[:end]}\\{escaped[end:]}"
    return f"\\{escaped}"


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [escape(block.text), ""]
    if isinstance(block, Items):
        return [f"- {escape(item)}" for item in block.items] + [""]
    return _table(block)


def _table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(escape(c) for c in table.head) + " |"]
    lines.append("|" + "---|" * len(table.head))
    lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in table.rows]
    return [*lines, ""]


def _section(section: Section, number: int) -> list[str]:
    lines = [f"## {number}. {escape(section.title)}", ""]
    for block in section.blocks:
        lines += _block(block)
    for part in section.sections:
        lines += [f"### {escape(part.title)}", ""]
        for block in part.blocks:
            lines += _block(block)
    return lines


def document_markdown(document: Document) -> str:
    lines = [f"# {escape(document.title)}", "", f"*{escape(document.subtitle)}*", ""]
    for number, section in enumerate(document.sections, start=1):
        lines += _section(section, number)
    lines += ["---", "", escape(document.colophon)]
    return "\n".join(lines) + "\n"

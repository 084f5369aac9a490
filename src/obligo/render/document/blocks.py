"""The document's shape, the same for every format: sections of paragraphs, lists and tables of
plain text. Escaping is the format's job (HTML: jinja2's autoescape; Markdown: its own)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Paragraph | Items | Table


@dataclass
class Section:
    title: str
    anchor: str  # fixed words of ours, never a name from the contract (safe in an id)
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def say(self, *texts: str) -> None:
        """Paragraphs, the empty ones left out."""
        self.blocks.extend(Paragraph(t) for t in texts if t)

    def items(self, texts: list[str]) -> None:
        if texts:
            self.blocks.append(Items(tuple(texts)))


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    colophon: str

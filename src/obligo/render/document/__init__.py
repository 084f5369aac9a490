"""The agreement itself as a document to publish or sign (``obligo render``), written from the
checked, resolved contract that is evaluated: in HTML or in Markdown."""

from __future__ import annotations

from collections.abc import Callable

from obligo.render.document.blocks import Document
from obligo.render.document.build import build_document
from obligo.render.document.html import document_html
from obligo.render.document.markdown import document_markdown
from obligo.resolve import ResolvedContract

# The formats of `obligo render`, by name; the first is the default.
DOCUMENT_FORMATS: dict[str, Callable[[Document], str]] = {
    "html": document_html,
    "markdown": document_markdown,
}


def render_document(resolved: ResolvedContract, output_format: str) -> str:
    """The agreement in force as a document in one of :data:`DOCUMENT_FORMATS`."""
    return DOCUMENT_FORMATS[output_format](build_document(resolved))


__all__ = ["DOCUMENT_FORMATS", "Document", "build_document", "render_document"]

"""The one table of prose: for each kind of model node, the function that says it in words.

Every sentence of a published agreement comes from :func:`describe`, so that a construct of the
language without words is a missing key here, which ``tests/test_document_coverage.py`` finds
(it walks the model's classes), rather than a clause silently left out of the document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from obligo.model.base import Node

N = TypeVar("N", bound=Node)

PROSE: dict[type[Node], Callable[[Any], str]] = {}

# While a test traces a rendering, the kinds of node put into words (None: not traced).
_traced: set[type[Node]] | None = None


def prose(kind: type[N]) -> Callable[[Callable[[N], str]], Callable[[N], str]]:
    """Register the function that puts one kind of node into words."""

    def register(function: Callable[[N], str]) -> Callable[[N], str]:
        if kind in PROSE:
            raise RuntimeError(f"two prose functions for {kind.__name__}")
        PROSE[kind] = function
        return function

    return register


def describe(node: Node) -> str:
    """The node in words: plain text, escaped by the format that prints it."""
    function = PROSE.get(type(node))
    if function is None:
        raise KeyError(f"no prose for {type(node).__name__}: add it to obligo.render.document")
    if _traced is not None:
        _traced.add(type(node))
    return function(node)


def laid_out(node: Node) -> None:
    """A node a format lays out from the words of its parts (a credit tier as a table row)
    rather than as one sentence: said, for the trace, as if described."""
    if _traced is not None:
        _traced.add(type(node))


def trace(kinds: set[type[Node]] | None) -> None:
    """Record the kinds of node described into ``kinds`` (None: stop recording)."""
    global _traced
    _traced = kinds

"""Checks of an HTML report's structure with the standard library's parser: every element closed
in order, nothing loaded from anywhere, no script. Shared by the HTML tests."""

from __future__ import annotations

import re
from html.parser import HTMLParser

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "source", "wbr"}


class Structure(HTMLParser):
    """Walks a page: the open elements, the problems found, the text, and each element's
    attributes (tag, attrs) in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.doctype = False

    def handle_decl(self, decl: str) -> None:
        self.doctype = self.doctype or decl.lower() == "doctype html"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))  # <line .../> in SVG: opened and closed

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Structure:
    found = Structure()
    found.feed(page)
    found.close()
    return found


def assert_well_formed(page: str) -> Structure:
    found = parse(page)
    assert found.doctype, "no <!DOCTYPE html>"
    assert not found.problems, found.problems[:5]
    assert found.stack == [], f"left open: {found.stack}"
    tags = [tag for tag, _ in found.elements]
    assert tags[:1] == ["html"] and tags.count("body") == 1 and tags.count("head") == 1
    assert "script" not in tags
    ids = [attrs["id"] for _, attrs in found.elements if "id" in attrs]
    assert len(ids) == len(set(ids)), "an id used twice"
    return found


def assert_self_contained(page: str) -> None:
    """Nothing loaded from elsewhere: no src or href to a network address (or any src at all),
    no @import, no url( ), no <link>, no <script>."""
    found = parse(page)
    for tag, attrs in found.elements:
        assert tag not in ("script", "link", "iframe", "object", "embed", "img"), tag
        for name, value in attrs.items():
            assert name != "src", (tag, attrs)
            if name in ("href", "xlink:href", "action"):
                assert value is not None and value.startswith("#"), (tag, attrs)
            assert not name.startswith("on"), (tag, attrs)
    style = "".join(re.findall(r"<style>(.*?)</style>", page, flags=re.S))
    assert "@import" not in style and "url(" not in style
    # A network address may appear as text (a contract's comment), never as an attribute.
    for _, attrs in found.elements:
        for name, value in attrs.items():
            if name != "xmlns" and value and re.search(r"(?i)https?:|//", value):
                raise AssertionError((name, value))

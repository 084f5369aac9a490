"""docs/document.md says what the commands do: its example contract renders to exactly the
Markdown the page shows, and the output of `obligo init` is the one the page shows."""

from __future__ import annotations

import re
from pathlib import Path

from obligo import api
from obligo.render.document import render_document
from obligo.resolve.resolver import check_and_resolve

PAGE = Path(__file__).resolve().parent.parent / "docs" / "document.md"


def _block(kind: str) -> str:
    text = PAGE.read_text("utf-8")
    (found,) = re.findall(rf"^```{kind}\n(.*?)^```$", text, re.M | re.S)
    return str(found)


def test_the_example_renders_as_the_page_shows() -> None:
    contract = api.parse(_block("sla"), "shop.sla")
    assert render_document(check_and_resolve(contract), "markdown") == _block("markdown")


def test_the_init_output_is_the_one_the_page_shows() -> None:
    from test_init import PRINTED

    assert _block("console") == "$ obligo init\n" + PRINTED

"""The agreement as one self-contained HTML page: inline CSS, no script, nothing fetched.
Every text from the contract goes through jinja2's autoescape."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from obligo.render.document.blocks import Document


@cache
def _template() -> Template:
    environment = Environment(
        loader=PackageLoader("obligo.render", "templates/document"),
        autoescape=True,  # a title such as `<script>` is text, never markup
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template("agreement.html.j2")


def document_html(document: Document) -> str:
    return _template().render(doc=document)

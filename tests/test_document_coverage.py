"""``obligo render`` has words for every construct of the language (issue 14).

- every kind of node of the model has a prose function (the table in
  ``obligo.render.document.registry``): a construct added to the language without words fails
  here, not in a published agreement that silently leaves it out;
- every construct in force in every bundled contract and every example of the documentation is
  put into words when its document is written (traced): none is dropped on the way;
- every bundled contract renders in both formats.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import obligo.model
from obligo import api
from obligo.errors import ObligoError
from obligo.model.base import Node, walk
from obligo.model.metrics import MetricBase, MetricLines
from obligo.render.document import DOCUMENT_FORMATS, registry, render_document
from obligo.resolve import ResolvedContract
from obligo.resolve.resolver import check_and_resolve
from test_examples import DOC_PAGES, doc_blocks

REPO = Path(__file__).resolve().parent.parent
CONTRACTS = sorted((REPO / "contracts").glob("*.sla"))
REST = REPO / "tests" / "data" / "document" / "rest.sla"
# Refused by the checks (a line its kind of metric has no use for is an error), so never in a
# checked model: it has words all the same, should a check ever let it through.
NEVER_CHECKED = {MetricLines}

# Kinds of node that are never a construct of their own: the base of every node, and the base of
# the metric classes (each metric is one of its subclasses, which all have words).
NOT_CONSTRUCTS = {Node, MetricBase}


def _model_classes() -> Iterator[type[Node]]:
    for info in pkgutil.iter_modules(obligo.model.__path__):
        module = importlib.import_module(f"obligo.model.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Node)
                and value.__module__ == module.__name__
            ):
                yield value


def test_every_kind_of_node_has_words() -> None:
    kinds = set(_model_classes())
    assert len(kinds) > 100  # the walk found the model, not an empty package
    missing = sorted(k.__name__ for k in kinds - NOT_CONSTRUCTS if k not in registry.PROSE)
    assert missing == []


def _in_force(resolved: ResolvedContract) -> set[type[Node]]:
    """The kinds of node in force in a resolved contract: what its document must put in words."""
    contract = resolved.contract
    parts: list[Any] = [
        contract,
        contract.level,
        contract.imports,
        [m for level in resolved.levels for m in level.mappings],
        resolved.term,
        resolved.billing_cycle,
        resolved.business_calendar,
        resolved.margins,
        tuple(resolved.field_units.values()),
        tuple(resolved.parties.values()),
        tuple(resolved.services.values()),
        tuple(resolved.calendars.values()),
        tuple(resolved.metrics.values()),
        tuple(resolved.exclusions.values()),
        resolved.clauses,
        resolved.at_risk,
        resolved.baseline,
        resolved.reviews,
        resolved.renegotiations,
        resolved.notifications,
    ]
    found: set[type[Node]] = {type(contract)}
    for part in parts:
        if part is None:
            continue
        # The contract itself is not walked: its imported levels hold what is not in force.
        items = part if isinstance(part, tuple | list) else (part,)
        for item in items:
            if item is contract:
                continue
            found |= {type(node) for node in walk(item) if type(node) is not Node}
    return found


def _traced(resolved: ResolvedContract) -> set[type[Node]]:
    seen: set[type[Node]] = set()
    registry.trace(seen)
    try:
        render_document(resolved, "markdown")
    finally:
        registry.trace(None)
    return seen


def _evaluable(text: str, name: str) -> bool:
    """A documentation example that an evaluation takes (some are fragments without a term, or
    import files that are not there): only those are rendered, as `obligo render` does."""
    try:
        check_and_resolve(api.parse(text, name))
    except ObligoError:
        return False
    return True


def _with_term(block: str) -> str:
    """A documentation example that shows a construct without the term an evaluation needs,
    given one (many examples leave it out to stay short)."""
    if re.search(r"^  term ", block, re.M):
        return block
    return re.sub(
        r"^(contract [^\n]*\n)", r"\1  term 2026-01-01 to 2026-12-31\n", block, count=1, flags=re.M
    )


def _examples() -> list[Any]:
    params = [
        pytest.param(path.read_text("utf-8"), str(path), id=path.name)
        for path in [*CONTRACTS, REST]
    ]
    for page in DOC_PAGES:
        name = str(REPO / "docs" / page)
        for line, block in doc_blocks(page):
            block = _with_term(block)
            if _evaluable(block, name):
                params.append(pytest.param(block, name, id=f"{page}:{line}"))
    assert len(params) > 40  # the examples were found (23 contracts, 24 examples)
    return params


@pytest.mark.parametrize(("text", "name"), _examples())
def test_every_construct_in_force_is_put_into_words(text: str, name: str) -> None:
    resolved = check_and_resolve(api.parse(text, name))
    assert _in_force(resolved) - _traced(resolved) == set()


def test_the_examples_together_use_every_construct() -> None:
    """The traced test above is only as strong as the constructs its examples use: together
    they use every kind of node that has words."""
    used: set[type[Node]] = set()
    for param in _examples():
        text, name = param.values
        used |= _traced(check_and_resolve(api.parse(text, name)))
    unused = set(registry.PROSE) - used - NEVER_CHECKED
    assert sorted(k.__name__ for k in unused) == []


@pytest.mark.parametrize("output_format", list(DOCUMENT_FORMATS))
@pytest.mark.parametrize("path", CONTRACTS, ids=lambda p: p.name)
def test_every_bundled_contract_renders(path: Path, output_format: str) -> None:
    text = render_document(check_and_resolve(api.load(path)), output_format)
    resolved = check_and_resolve(api.load(path))
    for clause in resolved.clauses:
        assert f"Clause {clause.id}" in text
    assert text.endswith("\n")


def test_the_words_of_the_rest_of_the_language() -> None:
    text = render_document(check_and_resolve(api.load(REST)), "markdown")
    assert (
        "Closed on: the all-day events of the calendar file “office.ics”: 24 December 2026 to 26"
        " December 2026 (Christmas closure); 1 May 2026 every year, 3 times (Labour day)." in text
    )
    assert "- Monday to Friday: 09:00 to 17:00" in text
    assert (
        "A service credit of 50 EUR times the measured outages, computed exactly from left to"
        " right, only in the periods in which a promise of this clause is breached." in text
    )

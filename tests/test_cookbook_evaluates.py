"""Every contract of docs/cookbook.md can be evaluated as written, not only checked.

A reader copies a cookbook block to try it: `obligo check` accepted blocks without a term, and
`obligo eval` then refused them ("the contract has no term"). Each block is evaluated here on an
empty log: none crashes, none is refused, and none owes money on no records."""

from __future__ import annotations

import datetime as dt

import pytest

import obligo
from test_examples import doc_blocks, doc_contract_name

BLOCKS = [
    pytest.param(block, id=f"cookbook.md:{line}-{doc_contract_name(block)}")
    for line, block in doc_blocks("cookbook.md")
]


def test_the_cookbook_has_its_examples() -> None:
    assert len(BLOCKS) >= 20


@pytest.mark.parametrize("block", BLOCKS)
def test_cookbook_contract_evaluates_on_an_empty_log(block: str) -> None:
    contract = obligo.parse(block, "cookbook.md")
    report = obligo.evaluate(contract, [], at=dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC))
    assert report.contract.id == doc_contract_name(block)
    # No record, no money: nothing is owed from an empty log.
    for total in report.totals.contract:
        assert total.credits == 0 and total.penalties == 0

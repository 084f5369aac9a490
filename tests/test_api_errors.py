"""Only ObligoError leaves the library (issue 11): problems with the user's data (contract text,
log content, mappings, odd records given as Python iterables) are named as ObligoError
subclasses, never a bare ValueError, KeyError, RecursionError, OverflowError or DuckDB error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest

import obligo
from obligo.guard import INTERNAL, guarded

ACME = Path(__file__).resolve().parent.parent / "contracts" / "acme-hosting.sla"
AT = dt.datetime(2026, 3, 20, tzinfo=dt.UTC)
INCIDENT = {
    "type": "incident", "id": "i1", "start": "2026-02-01T00:00:00Z",
    "end": "2026-02-01T01:00:00Z", "service": "api", "severity": 1,
}  # fmt: skip


def acme(replace: str = "", by: str = "") -> obligo.model.Contract:
    text = ACME.read_text(encoding="utf-8")
    if replace:
        assert replace in text
        text = text.replace(replace, by)
    return obligo.parse(text, "acme.sla")


def test_a_condition_nested_too_deeply_is_a_syntax_error_of_the_file() -> None:
    text = ACME.read_text(encoding="utf-8").replace(
        "severity <= 2", "not " * 3000 + "severity <= 2"
    )
    with pytest.raises(obligo.ObligoSyntaxError) as caught:
        obligo.parse(text, "deep.sla")
    assert (caught.value.file, caught.value.line) == ("deep.sla", 32)
    assert caught.value.message == "this line nests too deeply for obligo to read"


def test_a_term_without_instants_is_named_at_the_term() -> None:
    with pytest.raises(obligo.ObligoSemanticError) as parsed:
        acme("term 2026-01-01 to 2027-06-30", "term 0001-01-01 to 9999-12-31")
    assert (parsed.value.line, parsed.value.column) == (6, 22)  # the parser refuses 9999
    # A model built by a program, not parsed, is refused by the engine at its term.
    contract = acme()
    assert contract.term is not None
    term = contract.term.model_copy(
        update={"start": dt.date(1, 1, 1), "end": dt.date(9999, 12, 31)}
    )
    contract = contract.model_copy(update={"term": term})
    with pytest.raises(obligo.ObligoSemanticError) as caught:
        obligo.evaluate(contract, [INCIDENT], at=AT)
    assert caught.value.message == (
        "the term 0001-01-01 to 9999-12-31 cannot be evaluated: its days must lie between"
        " 0001-01-02 and 9999-12-30"
    )
    assert (caught.value.file, caught.value.line) == ("acme.sla", 6)


@pytest.mark.parametrize(
    "mappings",
    [{"start": 5}, {"": "begin"}, {"start": " "}, {7: "begin"}],
    ids=["number", "empty target", "blank source", "number target"],
)
def test_a_mapping_that_is_not_two_names_is_an_error(mappings: Any) -> None:
    with pytest.raises(obligo.ObligoError) as caught:
        obligo.evaluate(acme(), [INCIDENT], at=AT, mappings=mappings)
    assert caught.value.message.startswith("a mapping names fields by their names, as text: ")
    assert caught.value.file == "<mappings>"


@pytest.mark.parametrize("odd", [None, 5, "text", ["a"]], ids=repr)
def test_a_list_of_records_with_something_else_in_it_rejects_that_line(odd: Any) -> None:
    with pytest.raises(obligo.EventDataError) as caught:
        obligo.evaluate(acme(), [INCIDENT, odd], at=AT)
    assert "<records>:2: not a JSON object" in caught.value.message
    report = obligo.evaluate(acme(), [INCIDENT, odd], at=AT, skip_invalid=True)
    account = report.inputs[0]
    assert (account.lines, account.used, account.rejected) == (2, 1, 1)


def test_a_wrong_python_type_stays_a_type_error() -> None:
    with pytest.raises(TypeError):
        obligo.evaluate(acme(), 5, at=AT)  # not an input, nor a list of inputs


def test_what_slips_past_the_checks_is_an_internal_obligo_error() -> None:
    @guarded("do the thing")
    def broken(kind: type[BaseException]) -> None:
        raise kind("boom")

    for kind in (ValueError, KeyError, OverflowError, duckdb.ConversionException):
        with pytest.raises(obligo.ObligoError) as caught:
            broken(kind)
        assert caught.value.message.startswith(f"{INTERNAL}: cannot do the thing: ")
        assert isinstance(caught.value.__cause__, kind)
    with pytest.raises(TypeError):
        broken(TypeError)


def test_every_public_function_is_guarded() -> None:
    for name in ("parse", "load", "check", "evaluate", "evaluate_agreements", "baseline",
                 "load_agreements", "format_contract"):  # fmt: skip
        assert hasattr(getattr(obligo, name), "__wrapped__"), name


@pytest.mark.parametrize("name", ["a\x00b", "\ud800"], ids=["NUL", "lone surrogate"])
def test_a_mapping_to_a_name_no_field_can_have_is_an_error(name: str) -> None:
    with pytest.raises(obligo.ObligoError) as caught:
        obligo.evaluate(acme(), [INCIDENT], at=AT, mappings={"start": name})
    assert caught.value.message == (
        f"a mapping names fields by their names, as text: 'start': {name!r}"
    )
    # An agreement set (the command line's way) applies the same rule, not an internal error.
    agreements = obligo.load_agreements([ACME])
    with pytest.raises(obligo.ObligoError) as caught:
        obligo.evaluate_agreements(agreements, [[INCIDENT]], at=AT, mappings={"start": name})
    assert caught.value.message == (
        f"a mapping names fields by their names, as text: 'start': {name!r}"
    )


def test_a_path_with_a_nul_character_names_no_file() -> None:
    with pytest.raises(obligo.EventDataError) as caught:
        obligo.evaluate(acme(), ["a\x00b.jsonl"], at=AT)
    assert caught.value.message == (
        "cannot read 'a\\x00b.jsonl': a file name cannot hold a NUL character"
    )
    with pytest.raises(obligo.ObligoError) as read:
        obligo.load("a\x00b.sla")
    assert read.value.message == "cannot read a\x00b.sla: a file name cannot hold a NUL character"
    assert not read.value.message.startswith(INTERNAL)

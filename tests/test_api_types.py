"""The library's functions called with the wrong Python types (docs/api.md, "What the functions
raise"): a programming error, a TypeError that names the function, the argument, what it takes
and what it was given; never an AttributeError from inside obligo or an "internal error". The
evaluation's settings are data: an evaluation time that is not a datetime is an ObligoError."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import obligo

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "contracts" / "acme-hosting.sla"
AT = dt.datetime(2026, 3, 20, tzinfo=dt.UTC)
INCIDENT = {
    "type": "incident", "id": "i1", "start": "2026-02-01T00:00:00Z",
    "end": "2026-02-01T01:00:00Z", "service": "api", "severity": 1,
}  # fmt: skip
CONTRACT = obligo.load(ACME)
AGREEMENTS = obligo.load_agreements([ACME])
A_CONTRACT = "a Contract (from obligo.parse or obligo.load)"
EVENTS = (
    'a log\'s path (str or os.PathLike), "-", an open file, a list of those, or an iterable of'
    " records (dicts)"
)
CHECKED = settings(max_examples=40, deadline=None)

# Values of other Python types than the ones each argument takes.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.decimals(allow_nan=False),
)
NOT_TEXT = st.one_of(
    SCALARS, st.binary(), st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
)  # fmt: skip
NOT_A_CONTRACT = st.one_of(NOT_TEXT, st.text(max_size=20))
NOT_EVENTS = st.one_of(SCALARS, st.dictionaries(st.text(max_size=3), st.integers(), max_size=3))


def shown(value: Any) -> str:
    return f"{type(value).__name__} ({value!r})"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: obligo.check("contract c\n"), f"obligo.check: contract must be {A_CONTRACT}, not str ('contract c\\n')"),
        (lambda: obligo.evaluate(5, [INCIDENT], at=AT), f"obligo.evaluate: contract must be {A_CONTRACT}, not int (5)"),
        (lambda: obligo.baseline(None, [INCIDENT], at=AT), f"obligo.baseline: contract must be {A_CONTRACT}, not NoneType (None)"),
        (lambda: obligo.evaluate_agreements(CONTRACT, [[INCIDENT]], at=AT), "obligo.evaluate_agreements: agreements must be an AgreementSet (from obligo.load_agreements), not Contract ("),
        (lambda: obligo.load(5), "obligo.load: path must be a file's path (str or os.PathLike), not int (5)"),
        (lambda: obligo.parse(b"contract c\n"), "obligo.parse: text must be the contract's text as a str, not bytes (b'contract c\\n')"),
        (lambda: obligo.parse("contract c\n", filename=Path("c.sla")), "obligo.parse: filename must be a str, not PosixPath ("),
        (lambda: obligo.format_contract(["contract c"]), "obligo.format_contract: text must be the contract's text as a str, not list (['contract c'])"),
        (lambda: obligo.load_agreements([ACME, 7]), "obligo.load_agreements: paths must be a path (str or os.PathLike) or a list of paths, not int (7)"),
        (lambda: obligo.evaluate(CONTRACT, 5, at=AT), f"obligo.evaluate: events must be {EVENTS}, not int (5)"),
        (lambda: obligo.evaluate(CONTRACT, INCIDENT, at=AT), f"obligo.evaluate: events must be {EVENTS}, not dict ("),
        (lambda: obligo.evaluate_agreements(AGREEMENTS, None, at=AT), f"obligo.evaluate_agreements: events must be {EVENTS}, not NoneType (None)"),
    ],
    ids=[
        "check-text", "evaluate-number", "baseline-none", "agreements-contract", "load-number",
        "parse-bytes", "parse-path-filename", "format-list", "agreements-path-number",
        "events-number", "events-one-record", "agreements-events-none",
    ],
)  # fmt: skip
def test_a_wrong_python_type_is_a_type_error_that_says_what_is_needed(
    call: Any, message: str
) -> None:
    with pytest.raises(TypeError) as caught:
        call()
    assert str(caught.value).startswith(message), str(caught.value)


def test_a_dict_given_as_the_logs_is_one_record() -> None:
    with pytest.raises(TypeError) as caught:
        obligo.evaluate(CONTRACT, INCIDENT, at=AT)
    assert str(caught.value).endswith(": a dict is one record, give a list of records")
    assert obligo.evaluate(CONTRACT, [INCIDENT], at=AT).verdicts  # the list of it is a log


@given(value=NOT_A_CONTRACT)
@CHECKED
def test_check_and_evaluate_take_a_contract(value: Any) -> None:
    for name, call in (
        ("check", lambda: obligo.check(value)),
        ("evaluate", lambda: obligo.evaluate(value, [INCIDENT], at=AT)),
        ("baseline", lambda: obligo.baseline(value, [INCIDENT], at=AT)),
    ):
        with pytest.raises(TypeError) as caught:
            call()
        assert str(caught.value).startswith(
            f"obligo.{name}: contract must be {A_CONTRACT}, not {type(value).__name__} ("
        )


@given(value=NOT_A_CONTRACT)
@CHECKED
def test_evaluate_agreements_takes_an_agreement_set(value: Any) -> None:
    with pytest.raises(TypeError) as caught:
        obligo.evaluate_agreements(value, [[INCIDENT]], at=AT)
    assert str(caught.value).startswith(
        "obligo.evaluate_agreements: agreements must be an AgreementSet (from"
        f" obligo.load_agreements), not {type(value).__name__} ("
    )


@given(value=NOT_TEXT)
@CHECKED
def test_parse_and_load_take_text_and_paths(value: Any) -> None:
    with pytest.raises(TypeError) as parsed:
        obligo.parse(value)
    assert str(parsed.value).startswith(
        f"obligo.parse: text must be the contract's text as a str, not {type(value).__name__} ("
    )
    with pytest.raises(TypeError) as loaded:
        obligo.load(value)
    assert str(loaded.value).startswith(
        "obligo.load: path must be a file's path (str or os.PathLike), not"
        f" {type(value).__name__} ("
    )


@given(value=NOT_EVENTS)
@CHECKED
def test_the_logs_are_inputs_or_records(value: Any) -> None:
    for name, call in (
        ("evaluate", lambda: obligo.evaluate(CONTRACT, value, at=AT)),
        ("evaluate_agreements", lambda: obligo.evaluate_agreements(AGREEMENTS, value, at=AT)),
    ):
        with pytest.raises(TypeError) as caught:
            call()
        assert str(caught.value).startswith(
            f"obligo.{name}: events must be {EVENTS}, not {type(value).__name__}"
        )


@given(value=st.one_of(NOT_TEXT, st.text(max_size=20), st.dates()))
@CHECKED
def test_an_evaluation_time_that_is_not_a_datetime_is_an_obligo_error(value: Any) -> None:
    if value is None:
        return  # None is "now"
    for call in (
        lambda: obligo.evaluate(CONTRACT, [INCIDENT], at=value),
        lambda: obligo.evaluate_agreements(AGREEMENTS, [[INCIDENT]], at=value),
    ):
        with pytest.raises(obligo.ObligoError) as caught:
            call()
        assert caught.value.message.startswith(
            f"the evaluation time must be a datetime, not {type(value).__name__} ("
        )

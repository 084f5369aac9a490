"""The library's surface (issue 12, item 6): what an embedding program gets and what it may see
raised.

- Only ``ObligoError`` leaves ``evaluate``, ``evaluate_agreements`` and ``baseline``, whatever
  the evaluation time, the mappings, the window and the event inputs (hypothesis over the API),
  and a setting no evaluation can use is named in words, never as an internal error.
- The report's exact quantities are ``Decimal`` to a program and strings of exactly the same
  digits in JSON (``"99.50"``, ``"0.0000001"``), in text as before.
- ``Report`` and its parts are importable from ``obligo``; the examples of ``docs/api.md`` run.
"""

from __future__ import annotations

import datetime as dt
import doctest
import json
import re
import textwrap
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import obligo
import obligo.report
from obligo.guard import INTERNAL
from obligo.render import portfolio_json, report_json, report_text
from obligo.render.baseline import baseline_json, baseline_text
from obligo.report import MoneyTotal, Report, ReportNode
from obligo.report.base import Quantity, plain

ROOT = Path(__file__).resolve().parent.parent
API_MD = ROOT / "docs" / "api.md"
UTC = dt.UTC
AT = dt.datetime(2026, 3, 20, 12, tzinfo=UTC)

SURFACE = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# A small contract: quick to evaluate, with a credit, a cap and a fee, so that every kind of
# quantity shows up in its report.
SMALL = """\
contract small "Small" version 1
  provider nimbus "Nimbus"
  customer acme "Acme"
  term 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"
  currency EUR

service api "API"
  fee 1000 EUR monthly

metric uptime "Uptime"
  availability of api, per calendar month
  down during incident records where service = "api"

clause 1 "Uptime"
  service api
  promise uptime >= 99.9%
  credit 10% of the fee when uptime < 99.9%
  cap 5% of the fee per month
"""
INCIDENT = {
    "type": "incident", "id": "i1", "service": "api",
    "start": "2026-02-02T10:00:00Z", "end": "2026-02-02T12:00:00Z",
}  # fmt: skip


@pytest.fixture(scope="module")
def small() -> obligo.model.Contract:
    return obligo.parse(SMALL, "small.sla")


def named(call: Any) -> Any:
    """What ``call()`` returns, or None when it raised an ObligoError that is not an internal
    one (obligo.guard); anything else escapes and fails the test."""
    try:
        result = call()
    except obligo.ObligoError as error:
        assert error.message and not error.message.startswith(INTERNAL), error
        event(f"raised {type(error).__name__}")
        return None
    event("returned")
    return result


# ------------------------------------------------------------------ the settings, by example
@pytest.mark.parametrize(
    "at",
    [
        dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        dt.datetime(1, 1, 1, tzinfo=UTC),
        dt.datetime(1, 1, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=5))),
    ],
    ids=["after 9999-12-30", "0001-01-01", "0001-01-01 east of UTC"],
)
def test_an_evaluation_time_outside_the_years_obligo_can_place_is_named(
    small: obligo.model.Contract, at: dt.datetime
) -> None:
    # Before: an internal error (OverflowError) once it was put in the contract's timezone.
    for evaluation in (obligo.evaluate, obligo.baseline):
        with pytest.raises(obligo.ObligoError) as caught:
            evaluation(small, [INCIDENT], at=at)
        assert caught.value.message == (
            f"the evaluation time {at.isoformat()} is out of range: it must lie between"
            " 0001-01-02 and 9999-12-30"
        )


@pytest.mark.parametrize(
    "at",
    [dt.datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC), dt.datetime(1, 1, 2, tzinfo=UTC)],
    ids=["last instant", "first instant"],
)
def test_the_first_and_last_instants_evaluate(
    small: obligo.model.Contract, at: dt.datetime
) -> None:
    report = obligo.evaluate(small, [INCIDENT], at=at, window_end=dt.date(9999, 12, 30))
    closed = {v.status for v in report.verdicts}
    assert closed == ({"breached", "met"} if at.year == 9999 else set())
    assert obligo.baseline(small, [INCIDENT], at=at).evaluated_at == at


@pytest.mark.parametrize(
    ("mappings", "shown"),
    [("start=begin", "str ('start=begin')"), ([("start", "begin")], "list ([('start', 'begin')])"),
     (5, "int (5)")],
    ids=["text", "pairs", "number"],
)  # fmt: skip
def test_mappings_that_are_not_a_mapping_are_named(
    small: obligo.model.Contract, mappings: Any, shown: str
) -> None:
    # Before: an internal ValueError for a text, a TypeError for a number.
    agreements = obligo.load_agreements([ROOT / "contracts" / "acme-hosting.sla"])
    calls = [
        lambda: obligo.evaluate(small, [INCIDENT], at=AT, mappings=mappings),
        lambda: obligo.baseline(small, [INCIDENT], at=AT, mappings=mappings),
        lambda: obligo.evaluate_agreements(agreements, [[INCIDENT]], at=AT, mappings=mappings),
    ]
    for call in calls:
        with pytest.raises(obligo.ObligoError) as caught:
            call()
        assert caught.value.message == (
            f"mappings name the fields of the log by other names, as a mapping: not {shown}"
        )
        assert (caught.value.file, caught.value.line, caught.value.column) == ("<mappings>", 1, 1)
        assert caught.value.hint == 'give mappings such as {"start": "begin_time"}'


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-01-01", "must be a date, not str ('2026-01-01')"),
        (20260101, "must be a date, not int (20260101)"),
        (dt.datetime(2026, 1, 1, 12), "must be a date, not datetime (datetime.datetime(2026, 1, 1, 12, 0))"),
    ],
    ids=["text", "number", "datetime"],
)  # fmt: skip
def test_a_window_day_that_is_not_a_date_is_named(
    small: obligo.model.Contract, day: Any, message: str
) -> None:
    # Before: a TypeError from inside the engine, or an internal error for a datetime at noon.
    for which, key in (("first", "window_start"), ("last", "window_end")):
        with pytest.raises(obligo.ObligoError) as caught:
            obligo.evaluate(small, [INCIDENT], at=AT, **{key: day})
        assert caught.value.message == f"the window's {which} day {message}"


def test_a_window_without_a_day_after_it_is_named(small: obligo.model.Contract) -> None:
    with pytest.raises(obligo.ObligoError) as caught:
        obligo.evaluate(small, [INCIDENT], at=AT, window_end=dt.date.max)
    assert caught.value.message == (
        "the window's last day 9999-12-31 is out of range: it must be at most 9999-12-30"
    )
    # The earliest first day shows every period, as before.
    report = obligo.evaluate(small, [INCIDENT], at=AT, window_start=dt.date.min)
    assert [v.period.label for v in report.verdicts] == ["2026-01", "2026-02", "2026-03"]


# ------------------------------------------------------------------ the settings, at random
def aware_times() -> st.SearchStrategy[dt.datetime]:
    offsets = st.integers(-23 * 60, 23 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
    return st.builds(
        lambda d, tz: d.replace(tzinfo=tz),
        st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
        offsets | st.just(UTC),
    )


def evaluation_times() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        aware_times(),
        st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 1, 1)).map(
            lambda d: d.replace(tzinfo=UTC)
        ),
        st.datetimes(),  # naive
        st.dates(),
        st.text(max_size=30),
        st.sampled_from(["2026-03-20T12:00:00Z", "2026-03-20", "now", ""]),
        st.integers(),
        st.floats(),
        st.binary(max_size=8),
    )


# The names the log's records and the events table use: the reserved fields
# (obligo.events.schema.RESERVED_FIELDS), billing fields, the table's bookkeeping columns and
# the loader's own columns, in other cases too.
RESERVED = ["type", "id", "time", "start", "end", "updated", "period", "amount", "currency",
            "customer", "service", "_input", "_line", "_used", "_bad", "_naive", "rowid", "ROWID",
            "Type", "START"]  # fmt: skip
NAMES = st.sampled_from(RESERVED) | st.text(max_size=12)
ODD = st.one_of(st.none(), st.integers(), st.floats(), st.booleans(), st.binary(max_size=4))


def mappings() -> st.SearchStrategy[Any]:
    keys = NAMES | ODD
    return st.one_of(
        st.none(),
        st.dictionaries(NAMES, NAMES, max_size=4),
        st.dictionaries(keys, keys | NAMES, max_size=4),
        st.just({}),
        st.text(max_size=12),
        st.lists(st.tuples(NAMES, NAMES), max_size=3),
        st.integers(),
    )


def windows() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.dates(),
        st.dates(min_value=dt.date(2025, 12, 1), max_value=dt.date(2026, 12, 31)),
        st.datetimes(),
        st.text(max_size=12),
        st.integers(),
    )


def json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=10),
        st.sampled_from(["2026-02-02T10:00:00Z", "2026-02-02", "api", "incident", "1e999"]),
    )
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=2), max_leaves=4)


def records() -> st.SearchStrategy[list[dict[Any, Any]]]:
    keys = NAMES | st.integers() | st.none()
    record = st.dictionaries(keys, json_values(), max_size=6) | st.just(dict(INCIDENT))
    return st.lists(record, max_size=5)


@st.composite
def event_inputs(draw: st.DrawFn, folder: Path) -> Any:
    """Records as Python dicts, bytes, paths that do not exist (with a log's extension or
    none), or a list of these."""
    missing = st.builds(
        lambda name, ext: str(folder / f"{name}{ext}"),
        st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=8),
        st.sampled_from(["", ".jsonl", ".csv", ".parquet", ".jsonl.gz", ".txt"]),
    )
    one = st.one_of(records(), st.binary(max_size=16), missing)
    return draw(st.one_of(one, st.lists(one, min_size=1, max_size=3)))


EVALUATIONS = ["evaluate", "baseline", "evaluate_agreements"]


def evaluate_by(
    name: str, small: obligo.model.Contract, folder: Path, events: Any, **given: Any
) -> Any:
    if name == "evaluate":
        return obligo.evaluate(small, events, **given)
    given.pop("window_start")
    given.pop("window_end")
    if name == "baseline":
        return obligo.baseline(small, events, **given)
    path = folder / "small.sla"
    path.write_text(SMALL, encoding="utf-8")
    agreements = obligo.load_agreements([path])
    return obligo.evaluate_agreements(agreements, events, **given)


@SURFACE
@given(
    name=st.sampled_from(EVALUATIONS),
    at=evaluation_times(),
    mapping=mappings(),
    start=windows(),
    end=windows(),
    skip=st.booleans(),
)
def test_only_an_obligo_error_leaves_an_evaluation_whatever_its_settings(
    small: obligo.model.Contract, tmp_path_factory: Any, name: str, at: Any, mapping: Any,
    start: Any, end: Any, skip: bool
) -> None:  # fmt: skip
    folder = tmp_path_factory.mktemp("settings")
    named(
        lambda: evaluate_by(
            name, small, folder, [INCIDENT], at=at, mappings=mapping, skip_invalid=skip,
            window_start=start, window_end=end,
        )
    )  # fmt: skip


@SURFACE
@given(name=st.sampled_from(EVALUATIONS), data=st.data(), mapping=mappings(), skip=st.booleans())
def test_only_an_obligo_error_leaves_an_evaluation_whatever_its_inputs(
    small: obligo.model.Contract, tmp_path_factory: Any, name: str, data: st.DataObject,
    mapping: Any, skip: bool
) -> None:  # fmt: skip
    folder = tmp_path_factory.mktemp("inputs")
    events = data.draw(event_inputs(folder), label="events")
    result = named(
        lambda: evaluate_by(
            name, small, folder, events, at=AT, mappings=mapping, skip_invalid=skip,
            window_start=None, window_end=None,
        )
    )  # fmt: skip
    if result is not None and name == "evaluate":
        assert all(isinstance(v.value, Decimal | None) for v in result.verdicts)


@SURFACE
@given(text=st.text(max_size=40) | st.sampled_from([SMALL, SMALL.replace("term", "trem")]))
def test_only_an_obligo_error_leaves_parse_load_and_check(text: str, tmp_path_factory: Any) -> None:
    contract = named(lambda: obligo.parse(text, "random.sla"))
    if contract is not None:
        assert all(isinstance(d, obligo.Diagnostic) for d in obligo.check(contract))
    folder = tmp_path_factory.mktemp("load")
    named(lambda: obligo.load(folder / "missing.sla"))
    path = folder / "random.sla"
    path.write_text(text, encoding="utf-8")
    named(lambda: obligo.load(path))
    named(lambda: obligo.load_agreements([path]))


# ------------------------------------------------------------------------- Decimal quantities
# Every field of the report model that holds an exact quantity, by class: the fields a program
# reads as a Decimal (docs/api.md lists them in words).
QUANTITIES = {
    "Contributor": {"seconds"},
    "ExclusionApplied": {"seconds"},
    "Evidence": {"totals"},
    "ErrorBudget": {"remaining", "used"},
    "Verdict": {"value", "target_value", "baseline_level"},
    "FeeBasis": {"amount"},
    "ConsequenceLine": {"value", "quantity", "amount"},
    "CapStep": {"limit", "before", "after"},
    "Consequence": {"before_caps", "after_caps", "amount"},
    "MoneyTotal": {
        "credits",
        "penalties",
        "rewards",
        "credits_to_claim",
        "credits_claim_passed",
        "credits_provisional",
    },
    "AttributedDowntime": {"seconds"},
    "SupplierVerdict": {"value"},
    "NetPosition": {"owed_to_customer", "claimable_from_suppliers", "net"},
    "Outage": {"seconds"},
    "BaselineComparison": {"achieved"},
    "PastPeriod": {"value", "budget_used"},
    "AchievedLevel": {"value"},
    "ObjectiveHistory": {"target_value"},
    "MarginShares": {"wide_at_most", "narrow_above"},
}


def node_classes() -> list[type[ReportNode]]:
    found = [getattr(obligo.report, name) for name in obligo.report.__all__]
    return [c for c in found if isinstance(c, type) and issubclass(c, ReportNode)]


def holds_quantity(annotation: Any) -> bool:
    if annotation is Decimal or annotation == Quantity:
        return True
    return any(holds_quantity(arg) for arg in typing.get_args(annotation))


def test_the_quantities_of_the_report_model_are_decimals() -> None:
    found = {}
    for cls in node_classes():
        hints = typing.get_type_hints(cls, include_extras=True)
        fields = {name for name in cls.model_fields if holds_quantity(hints[name])}
        if fields:
            found[cls.__name__] = fields
    assert found == QUANTITIES


def walk(value: Any, shown: Any, where: str, seen: dict[str, int]) -> None:
    """Walk a report and its JSON side by side: each Decimal is written as exactly its digits."""
    if isinstance(value, Decimal):
        assert shown == format(value, "f") == plain(value), where
        assert isinstance(shown, str) and "E" not in shown, where
        key = re.sub(r"\[\d+\]", "[]", where)
        seen[key] = seen.get(key, 0) + 1
    elif isinstance(value, pydantic.BaseModel):
        for name in type(value).model_fields:
            if name in shown:
                walk(getattr(value, name), shown[name], f"{where}.{name}", seen)
    elif isinstance(value, list | tuple):
        for n, (item, item_shown) in enumerate(zip(value, shown, strict=True)):
            walk(item, item_shown, f"{where}[{n}]", seen)
    elif isinstance(value, dict):
        for name, item in value.items():
            walk(item, shown[name], f"{where}[]", seen)
    else:
        assert not isinstance(value, float), where


def sample(name: str) -> tuple[obligo.model.Contract, list[str], dt.datetime]:
    spec = json.loads((ROOT / "contracts" / name / "eval.json").read_text(encoding="utf-8"))
    contract = obligo.load(ROOT / spec["contract"])
    events = [str(ROOT / path) for path in spec["events"]]
    return contract, events, dt.datetime.fromisoformat(spec["at"])


def test_a_bundled_report_holds_decimals_written_as_their_digits() -> None:
    contract, events, at = sample("fabrikam-checkout")
    report = obligo.evaluate(contract, events, at=at)
    seen: dict[str, int] = {}
    walk(report, json.loads(report_json([report])), "$", seen)
    # Measured values, targets, evidence, budgets, fees, lines, caps, amounts, totals, the
    # suppliers' periods and the net position: all there, all Decimals.
    for where in ("$.verdicts[].value", "$.verdicts[].target_value",
                  "$.verdicts[].evidence.totals[]", "$.verdicts[].evidence.contributors[].seconds",
                  "$.verdicts[].error_budget.remaining", "$.consequences[].fee.amount",
                  "$.consequences[].lines[].amount", "$.consequences[].caps[].limit",
                  "$.consequences[].amount", "$.totals.contract[].credits",
                  "$.suppliers[].periods[].attributed[].seconds", "$.net_position[].net"):  # fmt: skip
        assert seen.get(where), where
    history = obligo.baseline(*sample("acme-hosting"))
    seen = {}
    walk(history, json.loads(baseline_json(history)), "$", seen)
    assert seen.get("$.objectives[].periods[].value") and seen.get("$.margins.wide_at_most")


def test_a_money_amount_keeps_its_cents() -> None:
    contract, events, at = sample("fabrikam-checkout")
    report = obligo.evaluate(contract, events, at=at)
    amounts = [c.amount for c in report.consequences if c.amount is not None]
    assert amounts and all(a.as_tuple().exponent == -2 for a in amounts)  # EUR: to the cent
    total = report.totals.contract[0]
    assert total.credits == sum(
        (c.amount for c in report.consequences if c.kind == "credit" and c.amount is not None),
        Decimal(0),
    )


@pytest.mark.parametrize(
    ("given", "held", "shown"),
    [
        ("0.0000001", Decimal("1E-7"), "0.0000001"),
        (Decimal("1E-7"), Decimal("1E-7"), "0.0000001"),
        ("-12.50", Decimal("-12.50"), "-12.50"),
        ("99.50", Decimal("99.50"), "99.50"),
        ("0.00", Decimal("0.00"), "0.00"),
        (Decimal("1E+3"), Decimal("1000"), "1000"),
        ("123456789012345678901234567890.123456789",
         Decimal("123456789012345678901234567890.123456789"),
         "123456789012345678901234567890.123456789"),
        (7, Decimal(7), "7"),
        (10**40, Decimal(10**40), "1" + "0" * 40),
    ],
    ids=["tiny", "tiny Decimal", "negative", "trailing zero", "zero cents", "positive exponent",
         "huge", "int", "huge int"],
)  # fmt: skip
def test_a_quantity_is_written_with_exactly_its_digits(
    given: Any, held: Decimal, shown: str
) -> None:
    money = MoneyTotal(
        currency="EUR", credits=given, penalties="0", rewards="0", credits_to_claim="0",
        credits_claim_passed="0",
    )  # fmt: skip
    assert isinstance(money.credits, Decimal) and money.credits == held
    assert money.credits.as_tuple() == Decimal(shown).as_tuple()  # the digits shown, no more
    assert money.model_dump(mode="json")["credits"] == shown
    assert json.loads(money.model_dump_json())["credits"] == shown
    assert money.model_dump()["credits"] == held  # Python mode: the Decimal itself


@pytest.mark.parametrize("given", [0.1, float("nan"), "NaN", "Infinity", "1,5", "", None])
def test_a_quantity_is_exact_and_finite(given: Any) -> None:
    with pytest.raises(pydantic.ValidationError):
        MoneyTotal(
            currency="EUR", credits=given, penalties="0", rewards="0", credits_to_claim="0",
            credits_claim_passed="0",
        )  # fmt: skip


def test_text_and_json_write_a_tiny_or_exponent_value_plainly() -> None:
    """A program may build or copy a report with any Decimal: the text and the JSON still show
    plain digits (``str(Decimal("1E-7"))`` would be ``1E-7``)."""
    contract, events, at = sample("fabrikam-checkout")
    report = obligo.evaluate(contract, events, at=at)
    verdict = next(v for v in report.verdicts if v.unit == "%" and v.value is not None)
    tiny = verdict.model_copy(update={"value": Decimal("1E-7")})
    net = report.net_position[0].model_copy(update={"net": Decimal("5E+2")})
    changed = report.model_copy(update={"verdicts": [tiny], "net_position": [net]})
    text = report_text([changed])
    assert "0.0000001%" in text and "1E-7" not in text
    assert f"= 500 {net.currency}" in text
    data = json.loads(report_json([changed]))
    assert (data["verdicts"][0]["value"], data["net_position"][0]["net"]) == ("0.0000001", "500")


def test_the_text_of_a_baseline_shows_its_decimals_as_before() -> None:
    contract, events, at = sample("acme-hosting")
    history = obligo.baseline(contract, events, at=at)
    assert (
        "margins: wide when at most 20% of the error budget is used, narrow when more than 80%"
        in baseline_text(history)
    )


def test_a_portfolio_holds_decimals_too() -> None:
    agreements = obligo.load_agreements([ROOT / "contracts" / "acme-hosting.sla"])
    _, events, at = sample("acme-hosting")
    portfolio = obligo.evaluate_agreements(agreements, events, at=at)
    seen: dict[str, int] = {}
    walk(portfolio, json.loads(portfolio_json(portfolio)), "$", seen)
    assert seen.get("$.sections[].report.verdicts[].value")


# ------------------------------------------------------------------------------ the exports
def test_the_report_and_its_parts_are_exported_from_obligo() -> None:
    classes = [c for c in node_classes() if c is not ReportNode]
    assert obligo.Report is Report
    for cls in classes:
        assert getattr(obligo, cls.__name__) is cls, cls.__name__
        assert cls.__name__ in obligo.__all__
    # The list docs/api.md gives is the list exported.
    text = API_MD.read_text(encoding="utf-8")
    start = text.index("The report's classes are importable from `obligo`")
    listed = set(re.findall(r"`([A-Z]\w+)`", text[start : text.index("\n\n", start)]))
    words = {"Status", "ConsequenceKind", "CapKind", "Settlement", "TriggerKind", "Outcome"}
    assert listed - words == {c.__name__ for c in classes}
    assert words <= set(obligo.report.__all__)
    assert "ReportNode" not in obligo.__all__


# ------------------------------------------------------------------------- docs/api.md runs
def pycon_blocks() -> list[tuple[int, str]]:
    """Every ```pycon block of docs/api.md, with the line it starts on."""
    text = API_MD.read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^( *)```pycon\n(.*?)^\1```", text, re.M | re.S):
        line = text.count("\n", 0, match.start()) + 1
        found.append((line, textwrap.dedent(match.group(2))))
    return found


def test_api_md_has_examples() -> None:
    assert len(pycon_blocks()) >= 2


@pytest.mark.parametrize(("line", "block"), pycon_blocks(), ids=lambda v: str(v)[:6])
def test_api_md_example_runs(line: int, block: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples name the bundled contracts by relative paths
    test = doctest.DocTestParser().get_doctest(block, {}, f"docs/api.md:{line}", str(API_MD), line)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)

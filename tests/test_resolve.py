"""Resolving: a checked contract becomes the one value the engine evaluates
(:class:`obligo.resolve.ResolvedContract`), every inherited setting filled in with its origin;
the engine never runs the checks nor imports them; imports are named alike whoever loads them."""

from __future__ import annotations

import ast
import datetime as dt
import os
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import obligo
import obligo.resolve.resolver as resolver
from obligo.checks.reporter import Scope
from obligo.cli import cli
from obligo.engine.run import assessment, baseline_report, evaluation, portfolio, session
from obligo.resolve import ResolvedContract
from obligo.resolve.resolver import check_and_resolve, resolve_contract

ROOT = Path(__file__).resolve().parents[1]
ENGINE = ROOT / "src" / "obligo" / "engine"

CORPORATE = """\
contract nimbus "Nimbus corporate" version 4
  kind multi-level
  level corporate
  provider nimbus "Nimbus Cloud Ltd"
  term 2026-01-01 to 2027-12-31, renews yearly, notice 90 days
  timezone "Europe/London"
  currency GBP
  billing cycle monthly from 2026-01-01
  margins wide at most 20%, narrow above 80%
  calendar office
  field latency_ms in ms

calendar office "Office hours"
  monday to friday 09:00 to 17:00

service api "Public API"
  fee 1000 GBP monthly

metric uptime "Availability"
  availability of api per calendar month
  down during incident records where severity <= 2

metric latency "Latency"
  p95 of latency_ms in request records, per calendar month

clause 1.1 "Availability"
  promise uptime >= 99.5%
  credit 5% of the fee when uptime < 99.5%

clause 1.2 "Latency"
  promise latency <= 300 ms

baseline the first 2 months
"""

CUSTOMER = """\
import "corporate.sla"

contract nimbus-globex "Nimbus for Globex" version 2
  kind multi-level
  level customer globex
  provider nimbus "Nimbus Cloud Ltd"
  customer globex "Globex Corporation"
  term 2026-03-01 to 2028-02-29, notice 60 days
  margins wide at most 10%, narrow above 90%
  field jitter_ms in ms

service db "Managed database"
  fee 4000 GBP monthly

metric db-uptime "Database availability"
  availability of db per calendar month
  down during incident records where service = "db"

override clause 1.1 "Availability"
  promise uptime >= 99.9%
  credit 10% of the fee when uptime < 99.9%

clause 2.1 "Database availability"
  promise db-uptime >= 99.95%
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def globex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ResolvedContract:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "levels/corporate.sla", CORPORATE)
    write(tmp_path, "levels/globex.sla", CUSTOMER)
    return check_and_resolve(obligo.load("levels/globex.sla"))


def line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


# ------------------------------------------------------------------ the settings in force
def test_the_lower_level_replaces_the_settings_it_states(globex: ResolvedContract) -> None:
    assert (globex.term.start, globex.term.end) == (dt.date(2026, 3, 1), dt.date(2028, 2, 29))
    assert globex.term.renewal is None  # the customer's term line replaces the corporate one whole
    assert globex.term.notice is not None and str(globex.term.notice) == "60 days"
    assert globex.margins is not None
    assert (globex.margins.wide_at_most.value, globex.margins.narrow_above.value) == (10, 90)
    assert {name: unit.unit for name, unit in globex.field_units.items()} == {
        "jitter_ms": "ms",  # the customer's line
        "latency_ms": "ms",  # the corporate level's
    }
    assert globex.field_unit("handling_ms") is None


def test_the_settings_it_does_not_state_are_inherited(globex: ResolvedContract) -> None:
    assert globex.timezone == "Europe/London"
    assert globex.tz.key == "Europe/London"
    assert globex.currency == "GBP"
    assert globex.billing_cycle is not None
    assert (str(globex.billing_cycle.every), globex.billing_cycle.anchor) == (
        "1 month",
        dt.date(2026, 1, 1),
    )
    assert globex.business_calendar is not None and globex.business_calendar.name == "office"
    assert globex.baseline is not None and (globex.baseline.first, globex.baseline.unit) == (
        2,
        "month",
    )
    assert list(globex.calendars) == ["office"]


def test_each_setting_keeps_where_it_was_written(globex: ResolvedContract) -> None:
    found = globex.in_force
    corporate, customer = "levels/corporate.sla", "levels/globex.sla"

    def origin(item: typing.Any) -> tuple[str, str, int, str]:
        return (item.origin.tier, item.origin.file, item.origin.line, item.origin.contract)

    assert origin(found.term) == (
        "customer",
        customer,
        line_of(CUSTOMER, "  term"),
        "nimbus-globex",
    )
    assert origin(found.margins) == (
        "customer",
        customer,
        line_of(CUSTOMER, "  margins"),
        "nimbus-globex",
    )
    # Settings the model keeps no location of are found on their own line.
    assert origin(found.timezone) == (
        "corporate",
        corporate,
        line_of(CORPORATE, "  timezone"),
        "nimbus",
    )
    assert origin(found.currency) == (
        "corporate",
        corporate,
        line_of(CORPORATE, "  currency"),
        "nimbus",
    )
    assert origin(found.billing_cycle) == (
        "corporate",
        corporate,
        line_of(CORPORATE, "  billing"),
        "nimbus",
    )
    assert origin(found.baseline) == (
        "corporate",
        corporate,
        line_of(CORPORATE, "baseline"),
        "nimbus",
    )
    assert [origin(u) for u in found.field_units] == [
        ("customer", customer, line_of(CUSTOMER, "  field"), "nimbus-globex"),
        ("corporate", corporate, line_of(CORPORATE, "  field"), "nimbus"),
    ]


def test_an_override_replaces_the_clause_above_and_says_what_it_replaced(
    globex: ResolvedContract,
) -> None:
    # The contract's own clauses first, then those inherited that it does not override.
    assert [c.id for c in globex.clauses] == ["1.1", "2.1", "1.2"]
    assert globex.clauses[0].title == "Availability" and globex.clauses[0].override
    assert str(globex.clauses[0].promises[0].target) == "99.9%"
    origins = {c.id: c for c in globex.clause_origins()}
    assert (origins["1.1"].origin.tier, str(origins["1.1"].origin)) == (
        "customer",
        f"levels/globex.sla:{line_of(CUSTOMER, 'override clause 1.1')}",
    )
    assert [str(o) for o in origins["1.1"].replaces] == [
        f"levels/corporate.sla:{line_of(CORPORATE, 'clause 1.1')}"
    ]
    assert (origins["1.2"].origin.tier, origins["1.2"].replaces) == ("corporate", ())


def test_declarations_in_the_contracts_own_reading_order(globex: ResolvedContract) -> None:
    # Its own first, then those above, as the checks see them (Scope) and the engine reads them.
    assert list(globex.services) == ["db", "api"]
    assert list(globex.metrics) == ["db-uptime", "uptime", "latency"]
    assert list(globex.parties) == ["nimbus", "globex"]
    assert globex.parties["nimbus"].loc.file == "levels/globex.sla"  # the nearest declaration
    scope = Scope.of(globex.contract)
    assert list(scope.metrics) == list(globex.metrics)
    assert list(scope.clauses) == [c.id for c in globex.clauses]
    # The resolution itself lists them from the top.
    assert [m.value.id for m in globex.in_force.metrics] == ["uptime", "latency", "db-uptime"]


def test_the_pairs_agreement_of_a_set_is_resolved_by_the_same_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "levels/corporate.sla", CORPORATE)
    write(tmp_path, "levels/globex.sla", CUSTOMER)
    pair = obligo.load_agreements(["levels"]).resolve(customer="globex", service="db")
    single = check_and_resolve(obligo.load("levels/globex.sla"))
    assert pair.term is not None and pair.term.value == single.term
    assert pair.timezone is not None and pair.timezone.origin == single.in_force.timezone.origin  # type: ignore[union-attr]
    assert pair.margins == single.in_force.margins
    # The pair's clauses: those about db (1.1 measures the api and stays out), in reading order.
    assert [(c.id, c.origin.tier) for c in pair.clauses] == [
        ("1.2", "corporate"),
        ("2.1", "customer"),
    ]


def test_a_contract_that_cannot_be_evaluated_is_refused_by_the_resolver(tmp_path: Path) -> None:
    without_term = CORPORATE.replace(
        "  term 2026-01-01 to 2027-12-31, renews yearly, notice 90 days\n", ""
    )
    contract = obligo.parse(without_term, filename="corp.sla")
    with pytest.raises(obligo.ObligoError) as caught:
        resolve_contract(contract)
    assert (
        caught.value.message
        == "the contract has no term: evaluation starts at the term's first day"
    )
    assert (caught.value.file, caught.value.line, caught.value.column) == ("corp.sla", 1, 1)
    without_zone = CORPORATE.replace('  timezone "Europe/London"\n', "")
    with pytest.raises(obligo.ObligoError) as no_zone:
        resolve_contract(obligo.parse(without_zone, filename="corp.sla"))
    assert no_zone.value.message == "the contract names no timezone"


def test_a_term_beyond_the_calendar_is_refused_when_the_evaluation_opens(tmp_path: Path) -> None:
    # The parser refuses such a year; a model built by hand can hold one. The resolved contract
    # has its term; the evaluation cannot place the term's last day in time.
    contract = obligo.parse(CORPORATE, filename="corp.sla")
    assert contract.term is not None
    far = contract.term.model_copy(update={"end": dt.date(9999, 12, 31)})
    contract = contract.model_copy(update={"term": far})
    assert resolve_contract(contract).term.end == dt.date(9999, 12, 31)
    log = write(tmp_path, "empty.jsonl", "")
    with pytest.raises(obligo.ObligoSemanticError) as caught:
        obligo.evaluate(contract, [str(log)], at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    assert caught.value.message == (
        "the term 2026-01-01 to 9999-12-31 cannot be evaluated: its days must lie between"
        " 0001-01-02 and 9999-12-30"
    )
    assert caught.value.line == line_of(CORPORATE, "  term")


def test_check_and_resolve_refuses_a_contract_with_errors() -> None:
    broken = CORPORATE.replace("promise uptime", "promise uptim")
    with pytest.raises(obligo.ObligoSemanticError, match='unknown metric "uptim"'):
        check_and_resolve(obligo.parse(broken, filename="corp.sla"))


# --------------------------------------------------------------- the checks run once, before
def count_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import obligo.agreements as agreements

    calls: list[str] = []
    for module in (resolver, agreements):
        real = module.check_contract

        def counted(contract: obligo.model.Contract, real: typing.Any = real) -> typing.Any:
            calls.append(contract.loc.file)
            return real(contract)

        monkeypatch.setattr(module, "check_contract", counted)
    return calls


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        "events.jsonl",
        '{"type": "incident", "id": "i1", "start": "2026-03-03T10:00:00Z",'
        ' "end": "2026-03-03T11:00:00Z", "severity": 1, "service": "db"}\n',
    )


def test_an_evaluation_checks_the_contract_once(
    globex: ResolvedContract, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_checks(monkeypatch)
    at = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    obligo.evaluate(globex.contract, [str(log)], at=at)
    obligo.baseline(globex.contract, [str(log)], at=at)
    assert calls == ["levels/globex.sla", "levels/globex.sla"]


def test_an_agreement_set_is_checked_once_per_file(
    tmp_path: Path, log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "levels/corporate.sla", CORPORATE)
    write(tmp_path, "levels/globex.sla", CUSTOMER)
    agreements = obligo.load_agreements(["levels"])
    calls = count_checks(monkeypatch)
    report = obligo.evaluate_agreements(
        agreements, [str(log)], at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    )
    # Every file once; the sections' contracts (one per pair) are not checked again.
    assert sorted(calls) == ["levels/corporate.sla", "levels/globex.sla"]
    assert len(report.sections) > 1


# ------------------------------------------------------------- the engine takes one thing
def engine_sources() -> Iterator[Path]:
    yield from sorted(ENGINE.rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif (
            isinstance(node, ast.ImportFrom) and node.module == "obligo.syntax" and node.level == 0
        ):
            found |= {f"obligo.syntax.{alias.name}" for alias in node.names}  # which of it
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            found.add(node.module)
    return found


def test_no_engine_module_imports_the_checks_or_the_stages_before_it() -> None:
    # Of the syntax, the engine imports the printer only, to quote a clause as the contract
    # writes it; it never parses.
    offending = {
        str(path.relative_to(ROOT)): sorted(
            m
            for m in imported_modules(path)
            if m.startswith(("obligo.checks", "obligo.agreements", "obligo.resolve.resolver"))
            or m in ("obligo.api", "obligo.syntax")
            or (m.startswith("obligo.syntax.") and m != "obligo.syntax.printer")
        )
        for path in engine_sources()
    }
    assert {k: v for k, v in offending.items() if v} == {}


def test_importing_the_engine_loads_no_check() -> None:
    # Every engine module imported without obligo/__init__ (which loads the whole API): the
    # checks must not come in through any module the engine imports.
    modules = [
        "obligo.engine." + str(p.relative_to(ENGINE).with_suffix("")).replace(os.sep, ".")
        for p in engine_sources()
        if p.name != "__init__.py"
    ]
    code = (
        "import sys, types\n"
        f"package = types.ModuleType('obligo'); package.__path__ = [{str(ROOT / 'src' / 'obligo')!r}]\n"
        "sys.modules['obligo'] = package\n"
        "import importlib\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        # The printer's package comes in (the engine quotes clauses with it), no check.
        "loaded = sorted(m for m in sys.modules if m.startswith(('obligo.checks', 'obligo.agreements')))\n"
        "print(len([m for m in sys.modules if m.startswith('obligo.engine.')]), loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, loaded = done.stdout.split(" ", 1)
    assert int(count) >= len(modules)
    assert loaded.strip() == "[]"


@pytest.mark.parametrize(
    ("function", "parameter"),
    [
        (session.opened, "agreement"),
        (session.context_over, "agreement"),
        (evaluation.evaluate, "agreement"),
        (assessment.assessment, "agreement"),
        (baseline_report.baseline_report, "agreement"),
    ],
)
def test_the_engines_entry_points_take_a_resolved_contract(
    function: typing.Any, parameter: str
) -> None:
    assert typing.get_type_hints(function)[parameter] is ResolvedContract


def test_the_portfolio_takes_planned_agreements() -> None:
    from obligo.resolve import PlannedAgreement

    hint = typing.get_type_hints(portfolio.evaluate_agreements)["plans"]
    assert typing.get_args(hint) == (PlannedAgreement,)


def test_the_engine_refuses_a_contract_that_was_not_resolved(log: Path) -> None:
    contract = obligo.parse(CORPORATE, filename="corp.sla")
    with pytest.raises(AttributeError):
        evaluation.evaluate(contract, [str(log)])  # type: ignore[arg-type]


# ----------------------------------------------------------- imports named alike everywhere
SERVICE = """\
import "../globex.sla"

contract nimbus-globex-db "Globex database" version 1
  kind multi-level
  level service db for customer globex
  provider nimbus "Nimbus Cloud Ltd"
  customer globex "Globex Corporation"
"""


@pytest.fixture
def nested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """levels/db/globex-db.sla imports ../globex.sla, which imports corporate.sla (beside it):
    the corporate level is a second-level import, reached through another folder."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "levels/corporate.sla", CORPORATE.replace("promise uptime", "promise uptim"))
    write(tmp_path, "levels/globex.sla", CUSTOMER)
    return write(tmp_path, "levels/db/globex-db.sla", SERVICE)


EXPECTED = ["levels/db/globex-db.sla", "levels/globex.sla", "levels/corporate.sla"]


def names(contract: obligo.model.Contract) -> list[str]:
    return [level.loc.file for level in contract.levels()]


def test_load_names_a_second_level_import_relative_to_where_the_file_was_given(
    nested: Path,
) -> None:
    assert names(obligo.load("levels/db/globex-db.sla")) == EXPECTED
    assert names(obligo.load(Path("levels/db/globex-db.sla"))) == EXPECTED
    text = nested.read_text(encoding="utf-8")
    assert names(obligo.parse(text, filename="levels/db/globex-db.sla")) == EXPECTED
    agreements = obligo.load_agreements(["levels/db/globex-db.sla"])
    assert sorted(f.path for f in agreements.files) == sorted(EXPECTED)
    # Given through a folder: the same names.
    within = obligo.load_agreements(["levels", "levels/db"])
    assert sorted(f.path for f in within.files) == sorted(EXPECTED)


def test_the_command_line_names_a_second_level_import_as_the_api_does(nested: Path) -> None:
    error = f"{EXPECTED[2]}:{line_of(CORPORATE, '  promise uptime')}:11: error: "
    (found,) = [
        d.format()
        for d in obligo.load_agreements(["levels/db/globex-db.sla"]).check()
        if d.severity is obligo.Severity.ERROR
    ]
    assert found.startswith(error + 'unknown metric "uptim"')
    evaluated = CliRunner().invoke(
        cli, ["eval", "levels/db/globex-db.sla", "--events", "-", "--at", "2026-04-01"], input=""
    )
    assert evaluated.exit_code == 2
    assert error in evaluated.output and 'unknown metric "uptim"' in evaluated.output
    resolved = CliRunner().invoke(
        cli, ["check", "--resolve", "customer=globex,service=db", "levels/db/globex-db.sla"]
    )
    assert resolved.exit_code == 2
    assert resolved.output.startswith(error)


def test_the_resolved_agreement_names_every_level_as_it_was_reached(nested: Path) -> None:
    write(nested.parent.parent, "corporate.sla", CORPORATE)
    result = CliRunner().invoke(
        cli, ["check", "--resolve", "customer=globex,service=db", "levels/db/globex-db.sla"]
    )
    assert result.exit_code == 0, result.output
    levels = result.output.split("levels, from the top\n", 1)[1].split("\n\n", 1)[0]
    assert [line.split()[-1] for line in levels.splitlines()] == EXPECTED[::-1]

"""The library API: parse, load, imports between levels, check as data, the error hierarchy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import obligo
from obligo.model import without_locations

ROOT = Path(__file__).resolve().parents[1]

CORPORATE = """\
contract nimbus-standard "Nimbus standard terms" version 2
  kind multi-level
  level corporate
  provider nimbus "Nimbus Cloud Ltd"
  timezone "Europe/Berlin"
  currency EUR

service api "Public API"
  fee 4000 EUR monthly

metric uptime "Availability"
  availability of api per calendar month
  down during incident records where service = "api"

clause 1.1 "Availability"
  promise uptime >= 99.5%
  credit 10% of the fee when uptime < 99.5%
"""

CUSTOMER = """\
import "corporate.sla"
contract globex-sla "Globex" version 1
  kind multi-level
  level customer globex

override clause 1.1 "Availability"
  promise uptime >= 99.9%
  credit
    10% of the fee when uptime < 99.9%
    20% of the fee when uptime < 99.0%
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_parse_returns_the_model_with_locations() -> None:
    contract = obligo.parse(CORPORATE, filename="corporate.sla")
    assert contract.id == "nimbus-standard"
    assert contract.version == "2"
    assert contract.level is not None and contract.level.level == "corporate"
    clause = contract.clauses[0]
    assert (clause.id, clause.title) == ("1.1", "Availability")
    assert (clause.loc.file, clause.loc.line, clause.loc.column) == ("corporate.sla", 15, 8)
    assert obligo.check(contract) == []


def test_load_resolves_imports_relative_to_the_file(tmp_path: Path) -> None:
    write(tmp_path, "corporate.sla", CORPORATE)
    customer = obligo.load(write(tmp_path, "globex.sla", CUSTOMER))
    assert [c.id for c in customer.imported] == ["nimbus-standard"]
    assert customer.clauses[0].override
    assert obligo.check(customer) == []


def test_parse_resolves_imports_from_base_dir(tmp_path: Path) -> None:
    write(tmp_path, "corporate.sla", CORPORATE)
    customer = obligo.parse(CUSTOMER, filename="globex.sla", base_dir=tmp_path)
    assert customer.imported[0].clauses[0].id == "1.1"


def test_override_without_a_higher_clause_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "corporate.sla", CORPORATE)
    text = CUSTOMER.replace("override clause 1.1", "override clause 1.2")
    diagnostics = obligo.check(obligo.parse(text, filename="globex.sla", base_dir=tmp_path))
    assert [(d.severity, d.line, d.column) for d in diagnostics] == [(obligo.Severity.ERROR, 6, 17)]
    assert diagnostics[0].message == "override of clause 1.2, which no higher level defines"
    assert diagnostics[0].hint == 'did you mean "1.1"?'


def test_redefining_a_higher_clause_without_override_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "corporate.sla", CORPORATE)
    text = CUSTOMER.replace("override clause 1.1", "clause 1.1")
    (diagnostic,) = obligo.check(obligo.parse(text, filename="globex.sla", base_dir=tmp_path))
    assert diagnostic.message.startswith("clause 1.1 is already defined at a higher level")
    assert diagnostic.hint == "write `override clause 1.1` to replace it"


def test_a_missing_import_is_reported_at_the_import_line(tmp_path: Path) -> None:
    with pytest.raises(obligo.ObligoSemanticError) as caught:
        obligo.parse(CUSTOMER, filename="globex.sla", base_dir=tmp_path)
    error = caught.value
    assert (error.file, error.line, error.column) == ("globex.sla", 1, 1)
    assert "cannot import" in error.message and "corporate.sla" in error.message


def test_an_import_cycle_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a.sla", 'import "b.sla"\ncontract a\n')
    write(tmp_path, "b.sla", 'import "a.sla"\ncontract b\n')
    with pytest.raises(obligo.ObligoSemanticError) as caught:
        obligo.load(tmp_path / "a.sla")
    assert "imports itself" in caught.value.message
    assert caught.value.line == 1


def test_load_of_a_missing_file_is_an_obligo_error(tmp_path: Path) -> None:
    with pytest.raises(obligo.ObligoError) as caught:
        obligo.load(tmp_path / "nowhere.sla")
    assert caught.value.message.startswith("cannot read")


def test_raise_for_errors_raises_the_first_error_with_all_diagnostics() -> None:
    text = CORPORATE.replace("promise uptime", "promise uptim")
    diagnostics = obligo.check(obligo.parse(text, filename="c.sla"))
    with pytest.raises(obligo.ObligoSemanticError) as caught:
        obligo.raise_for_errors(diagnostics)
    assert caught.value.message == 'unknown metric "uptim"'
    assert caught.value.diagnostics == tuple(diagnostics)
    obligo.raise_for_errors([])  # nothing to raise


def test_error_hierarchy() -> None:
    for error in (obligo.ObligoSyntaxError, obligo.ObligoSemanticError, obligo.EventDataError):
        assert issubclass(error, obligo.ObligoError)


def test_parsing_is_deterministic_and_locations_are_the_only_difference() -> None:
    first = obligo.parse(CORPORATE, filename="a.sla")
    again = obligo.parse(CORPORATE, filename="a.sla")
    assert first.model_dump_json() == again.model_dump_json()
    moved = obligo.parse("\n\n# moved down\n" + CORPORATE, filename="b.sla")
    assert first.model_dump_json() != moved.model_dump_json()
    assert without_locations(first) == without_locations(moved)


def test_the_readme_example_is_a_clean_contract() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sla\n(.*?)```", readme, re.S)
    assert blocks, "the README shows a contract"
    for block in blocks:
        assert obligo.check(obligo.parse(block, filename="README.md")) == []


def test_the_library_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    text = CORPORATE.replace('"Europe/Berlin"', '"Europe/Berlinn"')
    diagnostics = obligo.check(obligo.parse(text, filename="c.sla"))
    assert diagnostics and diagnostics[0].hint == 'did you mean "Europe/Berlin"?'
    assert capsys.readouterr() == ("", "")

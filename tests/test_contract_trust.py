"""Contract text, imports and checks: no silently wrong answer, no crash, every bad input named.

The corpus (tests/corpus/contracts/bad/) holds the refused contracts with their exact messages;
this file tests what a corpus case cannot: that the API and the CLI name files alike, that nothing
hangs or leaks, where the bounds are, and that odd but valid contracts check clean and read right.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import obligo
from obligo import api
from obligo.contract_files import MAX_CONTRACT_BYTES
from obligo.engine.consequences.money import minor_unit
from obligo.errors import Severity
from obligo.model.currencies import MINOR_UNITS, NOT_MONEY, closest_currency
from obligo.syntax.fmt import format_text
from obligo.syntax.lines import line_at, split_lines

OBLIGO = [sys.executable, "-m", "obligo"]

CORPORATE = """contract nimbus "Nimbus" version 1
  kind multi-level
  level corporate
  term 2026-01-01 to 2026-13-01
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    done = subprocess.run(
        [*OBLIGO, *args], cwd=cwd, capture_output=True, text=True, timeout=60, env=env
    )
    return done.returncode, done.stdout + done.stderr


def errors(contract: obligo.Contract) -> list[str]:
    return [
        d.format().splitlines()[0] for d in obligo.check(contract) if d.severity is Severity.ERROR
    ]


# ---------------------------------------------------------------------- one loader, one naming
@pytest.fixture
def two_levels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """sets/main.sla imports levels/customer.sla, which imports corporate.sla (with a bad date)."""
    write(tmp_path / "sets" / "main.sla", 'import "levels/customer.sla"\n\ncontract m "M"\n')
    write(
        tmp_path / "sets" / "levels" / "customer.sla",
        'import "corporate.sla"\n\ncontract c "C"\n',
    )
    write(tmp_path / "sets" / "levels" / "corporate.sla", CORPORATE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


EXPECTED_SECOND_LEVEL = (
    'sets/levels/corporate.sla:4:22: error: "2026-13-01" is not a date in the calendar'
    " (dates are YYYY-MM-DD)"
)


def test_a_second_level_import_is_named_relatively_by_load(two_levels: Path) -> None:
    with pytest.raises(obligo.ObligoError) as caught:
        obligo.load("sets/main.sla")
    assert str(caught.value).splitlines()[0] == EXPECTED_SECOND_LEVEL


def test_a_second_level_import_is_named_alike_by_load_agreements(two_levels: Path) -> None:
    with pytest.raises(obligo.ObligoError) as caught:
        api.load_agreements(["sets/main.sla"])
    assert str(caught.value).splitlines()[0] == EXPECTED_SECOND_LEVEL


def test_a_second_level_import_is_named_alike_by_the_cli(two_levels: Path) -> None:
    code, output = run(two_levels, "check", "sets/main.sla")
    assert code == 2
    assert output.splitlines()[0] == EXPECTED_SECOND_LEVEL


def test_an_absolute_path_given_names_its_imports_absolutely(two_levels: Path) -> None:
    with pytest.raises(obligo.ObligoError) as caught:
        obligo.load(two_levels / "sets" / "main.sla")
    assert caught.value.file == str(two_levels / "sets" / "levels" / "corporate.sla")


def test_parse_names_imports_from_the_folder_it_is_given(two_levels: Path) -> None:
    with pytest.raises(obligo.ObligoError) as caught:
        obligo.parse('import "customer.sla"\ncontract x\n', "x.sla", base_dir="sets/levels")
    assert caught.value.file == "sets/levels/corporate.sla"


def test_a_file_imported_by_two_levels_is_one_contract(tmp_path: Path) -> None:
    write(tmp_path / "base.sla", 'contract base "B"\n  timezone "UTC"\n')
    write(tmp_path / "a.sla", 'import "base.sla"\ncontract a "A"\n')
    write(tmp_path / "b.sla", 'import "base.sla"\ncontract b "B"\n')
    agreements = api.load_agreements([tmp_path / "a.sla", tmp_path / "b.sla"])
    a, b = (f.contract for f in agreements.files if f.contract.id in ("a", "b"))
    assert a.imported[0] is b.imported[0]


# ------------------------------------------------------------------ bounded, non-blocking reads
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_given_to_check_is_refused_without_hanging(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.sla")
    code, output = run(tmp_path, "check", "pipe.sla")  # the timeout fails a hang
    assert code == 2
    assert output.splitlines()[0] == (
        "pipe.sla:1:1: error: cannot read pipe.sla: it is a named pipe (FIFO), not a contract file"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_given_to_fmt_is_refused_without_hanging(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.sla")
    code, output = run(tmp_path, "fmt", "--check", "pipe.sla")
    assert code == 2
    assert "pipe.sla:1:1: error: cannot read pipe.sla: it is a named pipe (FIFO)" in output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_given_to_load_agreements_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.sla")
    with pytest.raises(obligo.ObligoError, match="it is a named pipe"):
        api.load_agreements([tmp_path / "pipe.sla"])


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="no /proc here")
@pytest.mark.parametrize("how", ["import", "given", "symlink"])
def test_the_environment_is_never_printed(tmp_path: Path, how: str) -> None:
    secret = "obligo-test-secret-4242"
    env = {**os.environ, "OBLIGO_TEST_SECRET": secret}
    if how == "import":
        write(tmp_path / "x.sla", 'import "/proc/self/environ"\ncontract x "X"\n')
        target = "x.sla"
    elif how == "symlink":
        os.symlink("/proc/self/environ", tmp_path / "env.sla")
        write(tmp_path / "x.sla", 'import "env.sla"\ncontract x "X"\n')
        target = "x.sla"
    else:
        target = "/proc/self/environ"
    code, output = run(tmp_path, "check", target, env=env)
    assert code == 2
    assert secret not in output
    assert "OBLIGO_TEST_SECRET" not in output


def test_the_size_bound_is_inclusive(tmp_path: Path) -> None:
    head = b'contract big "Big"\n  timezone "UTC"\n'
    filler = b"#" * (MAX_CONTRACT_BYTES - len(head) - 1) + b"\n"
    write(tmp_path / "big.sla", "")
    (tmp_path / "big.sla").write_bytes(head + filler)
    assert obligo.load(tmp_path / "big.sla").id == "big"
    (tmp_path / "big.sla").write_bytes(head + filler + b"\n")
    with pytest.raises(obligo.ObligoError, match="larger than 8 MiB"):
        obligo.load(tmp_path / "big.sla")


def test_a_folder_holding_a_fifo_named_sla_names_it(tmp_path: Path) -> None:
    write(tmp_path / "a.sla", 'contract a "A"\n')
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "b.sla")
    with pytest.raises(obligo.ObligoError, match=r"b\.sla: it is a named pipe"):
        api.load_agreements([tmp_path])


# ---------------------------------------------------------------------------- one line rule
def test_lines_end_at_line_feeds_only() -> None:
    text = "\ufeffa\x0cb\r\nc\u2028d\x85e\n"
    assert split_lines(text) == ["a\x0cb", "c\u2028d\x85e", ""]
    assert line_at(text, 2) == "c\u2028d\x85e"
    assert line_at(text, 4) is None


def test_a_check_after_a_form_feed_quotes_its_own_line() -> None:
    text = (
        'contract c "C"\n  timezone "UTC"\n# part\x0c two\n\n'
        'metric m "M"\n  availability of api per calendar month\n  down during incident records\n'
    )
    (finding,) = [d for d in obligo.check(obligo.parse(text)) if d.severity is Severity.ERROR]
    assert (finding.line, finding.column) == (6, 19)
    assert finding.source_line == "  availability of api per calendar month"


def test_fmt_keeps_a_form_feed_in_a_comment_on_its_line() -> None:
    text = 'contract c "C"\n# a\x0cb\n  timezone "UTC"\n'
    assert format_text(text).split("\n") == ['contract c "C"', "  # a\x0cb", '  timezone "UTC"', ""]


# ------------------------------------------------------------------------------- nesting
HEAD = 'contract c "C"\n  timezone "UTC"\n\nservice s "S"\n\n'
METRIC_A = (
    'metric a "A"\n  availability of s per calendar month\n  down during incident records\n\n'
)


def nots(n: int) -> str:
    where = "not " * n + "a = 1"
    return HEAD + f'metric m "M"\n  count of incident records where {where}, per calendar month\n'


def brackets(n: int) -> str:
    where = "(" * n + "a = 1" + ")" * n
    return HEAD + f'metric m "M"\n  count of incident records where {where}, per calendar month\n'


def groups(n: int) -> str:
    composite = "any of [all of [" * n + "a" + "]]" * n
    return (
        HEAD
        + METRIC_A
        + (
            f'metric m "M"\n  availability of s per calendar month\n  down when {composite} is down\n'
        )
    )


@pytest.mark.parametrize(("make", "deepest"), [(nots, 100), (brackets, 100), (groups, 15)])
def test_deep_but_readable_nesting_checks_clean(make: object, deepest: int) -> None:
    assert callable(make)
    assert errors(obligo.parse(make(deepest), "x.sla")) == []


@pytest.mark.parametrize("make", [nots, brackets, groups])
@pytest.mark.parametrize("depth", [800, 100_000])
def test_too_deep_nesting_is_a_located_error(make: object, depth: int) -> None:
    assert callable(make)
    with pytest.raises(obligo.ObligoSyntaxError) as caught:
        obligo.parse(make(depth // 2 if make is groups else depth), "x.sla")
    assert caught.value.message == "this line nests too deeply for obligo to read"
    assert caught.value.line == (12 if make is groups else 7)


# --------------------------------------------------------------------------- dates and values
@pytest.mark.parametrize("term", ["1900-01-01 to 1900-12-31", "2026-01-01 to 2999-12-31"])
def test_the_edge_years_are_accepted(term: str) -> None:
    contract = obligo.parse(f'contract c "C"\n  term {term}\n  timezone "UTC"\n')
    assert errors(contract) == []


def test_a_notice_of_zero_days_is_allowed() -> None:
    text = 'contract c "C"\n  term 2026-01-01 to 2026-12-31, renews every 2 years, notice 0 days\n'
    contract = obligo.parse(text)
    assert errors(contract) == []
    assert contract.term is not None and contract.term.notice is not None
    assert contract.term.notice.amount == 0


def test_every_currency_code_is_three_capitals_with_the_engines_minor_unit() -> None:
    assert len(MINOR_UNITS) >= 150
    for code, places in MINOR_UNITS.items():
        assert len(code) == 3 and code.isalpha() and code.isupper()
        assert minor_unit(code) == places, code
    assert not set(NOT_MONEY) & set(MINOR_UNITS)
    assert closest_currency("EUT") == "EUR"


CLAIMS = """contract c "C"
  timezone "UTC"
  currency USD

service port "Port"
  fee 100 USD monthly

metric outage-time "Outage time"
  total duration of outage records where service = "port", per calendar month

clause 1 "Port"
  promise outage-time = 0 h
  credit 1 day of the fee per started hour of outage-time
  claim requires ticket records within 72 hours of the outage
"""


@pytest.mark.parametrize(
    "claim",
    [
        "claim within 30 days after the end of the ticket",
        "claim within 30 days after the outage",
        "claim within 30 days after the end of the quarter",
        "claim by the end of the first billing cycle after the month",
        "claim by the end of the second billing cycle after the cycle",
    ],
)
def test_claims_counted_from_periods_or_records_read_check_clean(claim: str) -> None:
    assert errors(obligo.parse(CLAIMS + f"  {claim}\n")) == []


def test_a_tab_and_a_line_separator_in_a_text_are_kept() -> None:
    contract = obligo.parse('contract c "a\tb\u2028c"\n')
    assert contract.title == "a\tb\u2028c"


# ----------------------------------------------------------------- odd but valid contracts
ODD = """contract `Odd-Contract` "Überwachung — 監視 ✓" version "2026.1 \\"final\\""
  provider nimbus "Nimbus \\"the cloud\\" Ltd"
  customer acme "Ācme Çorp" represented by "Directeur général"
  term 2026-01-01 to 2026-12-31
  timezone "Asia/Tokyo"
  currency JPY

service `select` "A service named like SQL"
  fee 100000 JPY monthly
  delivered by nimbus

metric uptime "Disponibilité"
  availability of `select` per calendar month
  down during incident records where `Service Name` = "select" and `not` = "a \\"quoted\\" value"

clause 1 "稼働率"
  promise uptime >= 99.5%
  credit 10% of the fee when uptime < 99.5%
"""


def test_an_odd_but_valid_contract_checks_clean() -> None:
    contract = obligo.parse(ODD, "odd.sla")
    assert [d.format() for d in obligo.check(contract)] == []


def test_an_odd_but_valid_contract_reads_right() -> None:
    contract = obligo.parse(ODD, "odd.sla")
    assert contract.id == "Odd-Contract"
    assert contract.title == "Überwachung — 監視 ✓"
    assert contract.version == '2026.1 "final"'
    assert [s.id for s in contract.services] == ["select"]
    assert contract.clauses[0].title == "稼働率"
    provider = next(p for p in contract.parties if p.role == "provider")
    assert provider.title == 'Nimbus "the cloud" Ltd'
    selection = contract.metrics[0].down_during[0]
    assert selection.where is not None
    dumped = selection.where.model_dump(exclude={"loc"})
    assert "Service Name" in str(dumped) and 'a "quoted" value' in str(dumped)


def test_an_odd_but_valid_contract_is_stable_under_fmt() -> None:
    assert format_text(ODD) == ODD


def test_a_nul_byte_in_a_backtick_name_given_as_text_is_located() -> None:
    text = 'contract c "C"\n  timezone "UTC"\n\nmetric m "M"\n  count of x records where `a\x00b` = 1, per calendar month\n'
    with pytest.raises(obligo.ObligoSyntaxError) as caught:
        obligo.parse(text, "x.sla")
    error = caught.value
    assert (error.line, error.column) == (5, 30)  # at the NUL itself
    assert error.message == "a name in backticks holds the control character U+0000"


def test_a_symlink_loop_in_a_folder_of_agreements_is_named(tmp_path: Path) -> None:
    write(tmp_path / "a.sla", 'contract a "A"\n')
    os.symlink("c.sla", tmp_path / "b.sla")
    os.symlink("b.sla", tmp_path / "c.sla")
    with pytest.raises(obligo.ObligoError) as caught:
        api.load_agreements([tmp_path])
    assert caught.value.message == f"cannot read {tmp_path / 'b.sla'}: a loop of symbolic links"


def test_a_level_error_found_by_the_file_and_by_the_set_is_given_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(Path(__file__).parent / "corpus" / "contracts" / "bad")
    case = "level-service-of-undeclared-service"
    agreements = api.load_agreements([f"{case}/main.sla", f"{case}/customer.sla"])
    assert [(d.file, d.line, d.column, d.message, d.source_line) for d in agreements.check()] == [
        (
            f"{case}/main.sla",
            5,
            17,
            'the service level of dbb for customer globex is about service "dbb", which no level'
            " declares",
            "  level service dbb for customer globex",
        )
    ]


def test_a_caps_rounding_says_it_is_down_to_the_cent() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from test_consequences_caps import CENTS, evaluate, incident, of

    report = evaluate(CENTS, [incident("2026-01")], "2026-03-10T00:00:00+00:00")
    (cap,) = of(report, "1")["2026-01"].caps
    assert cap.arithmetic == (
        "50% × 1234.57 EUR = 617.285 EUR for 2026-01, 617.28 EUR rounded down to 0.01 EUR"
    )

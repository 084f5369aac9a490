"""A service level for every customer (issue 13): ``level service db for every customer``
imports the corporate level and is read between it and each customer's level, so that a
customer's own clauses still replace it, and it holds for any customer (the ``(None, db)``
pair, evaluated for each customer of the logs without a level of its own).

The set under test is ``tests/data/levels-every/``: a corporate level (db 1,000 EUR, web 500 EUR;
clause 1.1 ``uptime >= 99%``), the database's level for every customer (``db-all.sla``: 1.1
replaced by ``>= 99.9%``, 10% below 99.9%, 25% below 99%; a new clause 2.1 ``>= 95%``, 50%) and
Globex's customer level (1.1 replaced by ``>= 99.5%``, 20%). Hooli has no level of its own.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from pathlib import Path

import pytest

import obligo
from obligo.agreements import AgreementSet, ResolvedAgreement
from obligo.api import evaluate_agreements
from obligo.errors import ObligoError, Severity
from obligo.render.resolved import resolved_agreement_text

REPO = Path(__file__).resolve().parent.parent
SET = REPO / "tests" / "data" / "levels-every"
CORPORATE = "tests/data/levels-every/corporate.sla"
DB_ALL = "tests/data/levels-every/db-all.sla"
GLOBEX = "tests/data/levels-every/globex.sla"


@pytest.fixture
def acme(monkeypatch: pytest.MonkeyPatch) -> AgreementSet:
    monkeypatch.chdir(REPO)
    return obligo.load_agreements(["tests/data/levels-every"])


def copy(tmp_path: Path, **extra: str) -> Path:
    """The set copied to ``tmp_path/set`` with extra files (name without ``.sla``: text)."""
    folder = tmp_path / "set"
    shutil.copytree(SET, folder)
    for name, text in extra.items():
        (folder / f"{name.replace('_', '-')}.sla").write_text(text, encoding="utf-8")
    return folder


def clauses(resolved: ResolvedAgreement) -> list[tuple[str, str, str, int, list[str]]]:
    return [
        (c.id, c.origin.tier, c.origin.file, c.origin.line, [str(o) for o in c.replaces])
        for c in resolved.clauses
    ]


def errors(folder: Path) -> list[str]:
    found = obligo.load_agreements([folder]).check()
    return [
        f"{Path(d.file).name}:{d.line}:{d.column}: {d.message} ({d.hint})"
        for d in found
        if d.severity is Severity.ERROR
    ]


# ------------------------------------------------------------------------------ the syntax
def test_the_level_line_parses_and_prints_back() -> None:
    text = "contract c\n  kind multi-level\n  level service db for every customer\n"
    contract = obligo.parse(text)
    assert contract.level is not None
    assert (contract.level.level, contract.level.name, contract.level.customer) == (
        "service",
        "db",
        None,
    )
    assert contract.level.every_customer
    assert obligo.format_contract(text) == text
    one = obligo.parse(text.replace("every customer", "customer globex"))
    assert one.level is not None and not one.level.every_customer


@pytest.mark.parametrize(
    ("line", "column", "level"),
    [("level customer globex for every customer", 25, "customer"),
     ("level corporate for every customer", 19, "corporate")],
)  # fmt: skip
def test_only_a_service_level_is_for_every_customer(line: str, column: int, level: str) -> None:
    with pytest.raises(ObligoError) as caught:
        obligo.parse(f"contract c\n  kind multi-level\n  {line}\n", "c.sla")
    d = caught.value.diagnostic()
    assert (d.file, d.line, d.column) == ("c.sla", 3, column)
    assert d.message == f'"for every customer" belongs to a service level, not the {level} level'
    assert d.hint is not None and "level service NAME for every customer" in d.hint


# ------------------------------------------------------------------------ pairs and origins
def test_the_set_checks_cleanly_and_covers_any_customer_and_globex(acme: AgreementSet) -> None:
    assert acme.check() == []
    assert [(p.customer, p.service, p.files) for p in acme.pairs] == [
        (None, "db", (CORPORATE, DB_ALL)),
        (None, "web", (CORPORATE,)),
        ("globex", "db", (CORPORATE, DB_ALL, GLOBEX)),
        ("globex", "web", (CORPORATE, GLOBEX)),
    ]
    assert [f.path for f in acme.levels("service") if f.every_customer] == [DB_ALL]


def test_a_customer_level_replaces_the_clause_of_the_level_for_every_customer(
    acme: AgreementSet,
) -> None:
    globex = acme.resolve(customer="globex", service="db")
    assert clauses(globex) == [
        ("1.1", "customer", GLOBEX, 11, [f"{DB_ALL}:11", f"{CORPORATE}:25"]),
        ("2.1", "service", DB_ALL, 17, []),
    ]
    # Hooli has no level: the agreement of any customer, the database's level over the corporate.
    for hooli in (acme.resolve(customer="hooli", service="db"), acme.resolve(service="db")):
        assert hooli.customer is None
        assert clauses(hooli) == [
            ("1.1", "service", DB_ALL, 11, [f"{CORPORATE}:25"]),
            ("2.1", "service", DB_ALL, 17, []),
        ]
    # Another service is not touched by the database's level.
    assert clauses(acme.resolve(customer="globex", service="web")) == [
        ("1.1", "customer", GLOBEX, 11, [f"{CORPORATE}:25"]),
    ]


def test_resolve_shows_the_level_for_every_customer(acme: AgreementSet) -> None:
    text = resolved_agreement_text(acme.resolve(customer="globex", service="db"))
    assert text.splitlines()[3:8] == [
        "levels, from the top",
        f"  corporate                 acme         {CORPORATE}",
        f"  service (every customer)  acme-db      {DB_ALL}",
        f"  customer                  acme-globex  {GLOBEX}",
        "",
    ]
    assert f"       replaces service {DB_ALL}:11, corporate {CORPORATE}:25" in text


def test_the_order_of_the_files_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    names = [CORPORATE, DB_ALL, GLOBEX]
    seen = {
        tuple(
            (r.customer, r.service, repr(clauses(r)))
            for r in obligo.load_agreements(list(order)).resolve_all()
        )
        for order in itertools.permutations(names)
    }
    assert len(seen) == 1
    assert len(next(iter(seen))) == 4


# --------------------------------------------------------------- beside a customer's own level
GLOBEX_DB = """import "globex.sla"

contract acme-globex-db "Acme database for Globex" version 1
  kind multi-level
  level service db for customer globex
  provider acme "Acme Hosting"

override clause 1.1 "Globex database availability"
  promise uptime >= 99.95%
  credit 30% of the fee when uptime < 99.95%
"""


def test_a_customer_s_service_level_is_read_below_the_level_for_every_customer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy(tmp_path, globex_db=GLOBEX_DB)
    monkeypatch.chdir(tmp_path)
    agreements = obligo.load_agreements(["set"])
    assert agreements.check() == []
    globex = agreements.resolve(customer="globex", service="db")
    assert [f.path for f in globex.files] == [
        "set/corporate.sla",
        "set/db-all.sla",
        "set/globex.sla",
        "set/globex-db.sla",
    ]
    assert clauses(globex) == [
        ("1.1", "service", "set/globex-db.sla", 8,
         ["set/globex.sla:11", "set/db-all.sla:11", "set/corporate.sla:25"]),
        ("2.1", "service", "set/db-all.sla", 17, []),
    ]  # fmt: skip
    assert folder.is_dir()


def test_a_customer_cannot_redefine_a_clause_only_the_level_for_every_customer_has(
    tmp_path: Path,
) -> None:
    text = GLOBEX_DB + '\nclause 2.1 "Globex incidents"\n  promise uptime >= 90%\n'
    folder = copy(tmp_path, globex_db=text)
    assert errors(folder) == [
        f"globex-db.sla:12:8: clause 2.1 is already defined at a higher level "
        f"({folder / 'db-all.sla'}:17) (use another id: a customer replaces a clause of the "
        "service level for every customer only when the corporate level defines clause 2.1 too "
        "(then write `override clause 2.1`))"
    ]


def test_a_clause_the_corporate_level_defines_keeps_the_usual_hint(tmp_path: Path) -> None:
    text = GLOBEX_DB.replace("override clause 1.1", "clause 1.1")
    folder = copy(tmp_path, globex_db=text)
    found = errors(folder)
    assert len(found) == 1
    assert found[0].startswith("globex-db.sla:8:8: clause 1.1 is already defined at a higher level")
    assert found[0].endswith("(write `override clause 1.1` to replace it)")


# ------------------------------------------------------------------------------- errors
def test_a_level_for_every_customer_imports_the_corporate_level(tmp_path: Path) -> None:
    text = (
        (SET / "db-all.sla")
        .read_text(encoding="utf-8")
        .replace('import "corporate.sla"', 'import "globex.sla"')
    )
    folder = copy(tmp_path)
    (folder / "db-all.sla").write_text(text, encoding="utf-8")
    found = errors(folder)
    assert found[0] == (
        f"db-all.sla:4:1: the service level of db for every customer imports the customer level "
        f"of globex ({folder / 'globex.sla'}), but a service level for every customer sits under "
        "a corporate level (import the corporate level instead)"
    )


def test_a_level_for_every_customer_of_an_undeclared_service(tmp_path: Path) -> None:
    text = (
        (SET / "db-all.sla")
        .read_text(encoding="utf-8")
        .replace("level service db for", "level service dbs for")
    )
    folder = copy(tmp_path)
    (folder / "db-all.sla").write_text(text, encoding="utf-8")
    assert (
        'db-all.sla:8:17: the service level of dbs for every customer is about service "dbs", '
        'which no level declares (did you mean "db"?)'
    ) in errors(folder)


def test_two_files_of_the_level_for_every_customer_override_one_clause(tmp_path: Path) -> None:
    other = (SET / "db-all.sla").read_text(encoding="utf-8")
    other = other.replace("contract acme-db ", "contract acme-db-2 ").split("\nclause 2.1")[0]
    folder = copy(tmp_path, db_all_2=other)
    assert errors(folder) == [
        f"db-all.sla:11:17: clause 1.1 is overridden by two files at the service level of db "
        f"for every customer: {folder / 'db-all-2.sla'}:11 and {folder / 'db-all.sla'}:11 "
        "(keep one of them: a level says once what a clause is)"
    ]


# ---------------------------------------------------------------------------- evaluation
# April and June have 43,200 minutes, May 44,640 (UTC).
LOG = [
    # Globex's database, 300 minutes in April: 1 - 300/43200 = 99.305555556%. Globex's own 1.1
    # (>= 99.5%): 20% of 1,000 = 200.00; the database's 2.1 (>= 95%) is met.
    {"id": "G-DB", "customer": "globex", "service": "db",
     "start": "2026-04-03T10:00:00Z", "end": "2026-04-03T15:00:00Z"},
    # Globex's web, 600 minutes in April: 98.611111111%, Globex's 1.1: 20% of 500 = 100.00.
    {"id": "G-WEB", "customer": "globex", "service": "web",
     "start": "2026-04-10T00:00:00Z", "end": "2026-04-10T10:00:00Z"},
    # Hooli (no level): the database's level for every customer.
    # April, 300 minutes: 99.305555556% < 99.9% -> 10% of 1,000 = 100.00
    {"id": "H-DB-1", "customer": "hooli", "service": "db",
     "start": "2026-04-03T10:00:00Z", "end": "2026-04-03T15:00:00Z"},
    # May, 480 minutes: 1 - 480/44640 = 98.924731183% < 99% -> 25% = 250.00
    {"id": "H-DB-2", "customer": "hooli", "service": "db",
     "start": "2026-05-03T00:00:00Z", "end": "2026-05-03T08:00:00Z"},
    # June, 2,400 minutes: 94.444444444% -> 1.1 25% = 250.00 and 2.1 (< 95%) 50% = 500.00
    {"id": "H-DB-3", "customer": "hooli", "service": "db",
     "start": "2026-06-01T00:00:00Z", "end": "2026-06-02T16:00:00Z"},
]  # fmt: skip


def test_two_customers_one_without_a_level_are_evaluated_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    log = tmp_path / "events.jsonl"
    log.write_text(
        "".join(json.dumps({"type": "incident", **r}) + "\n" for r in LOG), encoding="utf-8"
    )
    portfolio = evaluate_agreements(
        obligo.load_agreements(["tests/data/levels-every"]),
        [log],
        at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
    )
    credits = {
        (s.customer, s.service): sorted(
            (c.clause, c.period.label, str(c.amount))
            for c in s.report.consequences
            if c.kind == "credit"
        )
        for s in portfolio.sections
    }
    assert credits == {
        ("globex", "db"): [("1.1", "2026-04", "200.00")],
        ("globex", "web"): [("1.1", "2026-04", "100.00")],
        ("hooli", "db"): [
            ("1.1", "2026-04", "100.00"),
            ("1.1", "2026-05", "250.00"),
            ("1.1", "2026-06", "250.00"),
            ("2.1", "2026-06", "500.00"),
        ],
        ("hooli", "web"): [],
    }
    values = {
        (s.customer, s.service, v.clause, v.period.label): (
            v.status,
            None if v.value is None else str(v.value),
        )
        for s in portfolio.sections
        for v in s.report.verdicts
    }
    assert values[("globex", "db", "1.1", "2026-04")] == ("breached", "99.305555556")
    assert values[("globex", "db", "2.1", "2026-04")] == ("met", "99.305555556")
    assert values[("hooli", "db", "1.1", "2026-05")] == ("breached", "98.924731183")
    assert values[("hooli", "db", "2.1", "2026-06")] == ("breached", "94.444444444")

"""Agreement sets: the corporate -> customer -> service hierarchy, the pairs it covers, the
agreement in force for a pair (each clause with its level and file), and the errors of a set.

The set under test is ``contracts/nimbus/``: a corporate level, two customers (Globex, Initrode),
overrides at the customer level (Globex 1.1, Initrode 1.3) and at the service level (Globex db
1.1 and 1.2, Initrode crm 1.1), and a service level that only adds clauses (Globex payments).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import obligo.api as api
from engine_helpers import evaluate
from obligo.agreements import AgreementSet, ResolvedAgreement
from obligo.errors import ObligoError, ObligoSemanticError, Severity
from obligo.render.resolved import resolved_agreement_text
from obligo.report.model import Report

REPO = Path(__file__).resolve().parent.parent
NIMBUS = REPO / "contracts" / "nimbus"
NAMES = (
    "corporate.sla",
    "globex.sla",
    "globex-db.sla",
    "globex-payments.sla",
    "initrode.sla",
    "initrode-crm.sla",
)
CORPORATE = "contracts/nimbus/corporate.sla"
GLOBEX = "contracts/nimbus/globex.sla"
GLOBEX_DB = "contracts/nimbus/globex-db.sla"
GLOBEX_PAYMENTS = "contracts/nimbus/globex-payments.sla"
INITRODE = "contracts/nimbus/initrode.sla"
INITRODE_CRM = "contracts/nimbus/initrode-crm.sla"


@pytest.fixture
def nimbus(monkeypatch: pytest.MonkeyPatch) -> AgreementSet:
    monkeypatch.chdir(REPO)
    return api.load_agreements(["contracts/nimbus"])


def clauses(resolved: ResolvedAgreement) -> list[tuple[str, str, str, int, list[str]]]:
    """(id, level, file, line, what it replaced) of each clause in force."""
    return [
        (
            c.id,
            c.origin.tier,
            c.origin.file,
            c.origin.line,
            [f"{o.tier} {o.file}:{o.line}" for o in c.replaces],
        )
        for c in resolved.clauses
    ]


def line_of(path: str, text: str) -> int:
    """The first line of ``path`` (relative to the repository) that starts with ``text``."""
    lines = (REPO / path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.lstrip().startswith(text))


# ------------------------------------------------------------------------- the set itself
def test_every_file_of_the_example_set_checks_cleanly(nimbus: AgreementSet) -> None:
    # tests/test_examples.py checks contracts/*.sla only; this folder is checked here.
    assert [f.path for f in nimbus.files] == sorted(f"contracts/nimbus/{n}" for n in NAMES)
    assert nimbus.check() == []
    for name in NAMES:
        assert api.check(api.load(NIMBUS / name)) == []
        text = (NIMBUS / name).read_text(encoding="utf-8")
        assert api.format_contract(text, name) == text, f"{name} is not in canonical layout"
        assert text.startswith("#"), f"{name} starts with comments saying what it shows"


def test_files_know_their_level_customer_service_and_parent(nimbus: AgreementSet) -> None:
    assert [(f.path, f.tier, f.customer, f.service, f.parent) for f in nimbus.files] == [
        (CORPORATE, "corporate", None, None, None),
        (GLOBEX_DB, "service", "globex", "db", GLOBEX),
        (GLOBEX_PAYMENTS, "service", "globex", "payments", GLOBEX),
        (GLOBEX, "customer", "globex", None, CORPORATE),
        (INITRODE_CRM, "service", "initrode", "crm", INITRODE),
        (INITRODE, "customer", "initrode", None, CORPORATE),
    ]
    assert all(f.kind == "multi-level" and f.listed for f in nimbus.files)


def test_the_hierarchy_is_corporate_then_customers_then_their_services(
    nimbus: AgreementSet,
) -> None:
    (root,) = nimbus.hierarchy
    assert root.file.path == CORPORATE
    tree = {c.file.path: [s.file.path for s in c.children] for c in root.children}
    assert tree == {GLOBEX: [GLOBEX_DB, GLOBEX_PAYMENTS], INITRODE: [INITRODE_CRM]}


def test_the_pairs_covered(nimbus: AgreementSet) -> None:
    assert [(p.customer, p.service, p.agreement, p.files) for p in nimbus.pairs] == [
        ("globex", "db", "nimbus", (CORPORATE, GLOBEX, GLOBEX_DB)),
        ("globex", "erp", "nimbus", (CORPORATE, GLOBEX)),
        ("globex", "payments", "nimbus", (CORPORATE, GLOBEX, GLOBEX_PAYMENTS)),
        ("initrode", "crm", "nimbus", (CORPORATE, INITRODE, INITRODE_CRM)),
        ("initrode", "db", "nimbus", (CORPORATE, INITRODE)),
    ]
    assert nimbus.customers == ("globex", "initrode")
    assert nimbus.services == ("crm", "db", "erp", "payments")


def test_each_file_is_loaded_once_and_shared_by_the_files_importing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    parsed: list[str] = []
    real = api.parse_contract  # type: ignore[attr-defined]

    def counting(text: str, filename: str) -> Any:
        parsed.append(filename)
        return real(text, filename)

    monkeypatch.setattr(api, "parse_contract", counting)
    agreements = api.load_agreements(["contracts/nimbus", "contracts/nimbus/globex.sla"])
    assert sorted(parsed) == sorted(f"contracts/nimbus/{n}" for n in NAMES)
    corporate = agreements.file(CORPORATE).contract
    assert agreements.file(GLOBEX).contract.imported[0] is corporate
    assert agreements.file(INITRODE).contract.imported[0] is corporate
    globex = agreements.file(GLOBEX).contract
    assert agreements.file(GLOBEX_DB).contract.imported[0] is globex


def test_imported_levels_belong_to_the_set_without_being_listed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    agreements = api.load_agreements("contracts/nimbus/globex-db.sla")
    assert [(f.path, f.listed) for f in agreements.files] == [
        (CORPORATE, False),
        (GLOBEX_DB, True),
        (GLOBEX, False),
    ]
    assert [(p.customer, p.service) for p in agreements.pairs] == [
        ("globex", "db"),
        ("globex", "erp"),
        ("globex", "payments"),
    ]


# -------------------------------------------------------------------------- resolution
def test_globex_resolved_for_each_service(nimbus: AgreementSet) -> None:
    corporate_11 = f"corporate {CORPORATE}:{line_of(CORPORATE, 'clause 1.1')}"
    corporate_12 = f"corporate {CORPORATE}:{line_of(CORPORATE, 'clause 1.2')}"
    globex_11 = line_of(GLOBEX, "override clause 1.1")
    assert clauses(nimbus.resolve(customer="globex", service="erp")) == [
        ("1.1", "customer", GLOBEX, globex_11, [corporate_11]),
        ("1.2", "corporate", CORPORATE, line_of(CORPORATE, "clause 1.2"), []),
        ("1.3", "corporate", CORPORATE, line_of(CORPORATE, "clause 1.3"), []),
    ]
    # The service level replaces the customer's 1.1 (itself a replacement) and the corporate 1.2.
    assert clauses(nimbus.resolve(customer="globex", service="db")) == [
        (
            "1.1",
            "service",
            GLOBEX_DB,
            line_of(GLOBEX_DB, "override clause 1.1"),
            [f"customer {GLOBEX}:{globex_11}", corporate_11],
        ),
        ("1.2", "service", GLOBEX_DB, line_of(GLOBEX_DB, "override clause 1.2"), [corporate_12]),
        ("1.3", "corporate", CORPORATE, line_of(CORPORATE, "clause 1.3"), []),
    ]
    # The payments service level only adds clauses: everything above still applies.
    assert clauses(nimbus.resolve(customer="globex", service="payments")) == [
        ("1.1", "customer", GLOBEX, globex_11, [corporate_11]),
        ("1.2", "corporate", CORPORATE, line_of(CORPORATE, "clause 1.2"), []),
        ("1.3", "corporate", CORPORATE, line_of(CORPORATE, "clause 1.3"), []),
        ("3.1", "service", GLOBEX_PAYMENTS, line_of(GLOBEX_PAYMENTS, "clause 3.1"), []),
        ("3.2", "service", GLOBEX_PAYMENTS, line_of(GLOBEX_PAYMENTS, "clause 3.2"), []),
    ]


def test_initrode_resolved_for_each_service(nimbus: AgreementSet) -> None:
    corporate_11 = f"corporate {CORPORATE}:{line_of(CORPORATE, 'clause 1.1')}"
    corporate_13 = f"corporate {CORPORATE}:{line_of(CORPORATE, 'clause 1.3')}"
    initrode_13 = line_of(INITRODE, "override clause 1.3")
    assert clauses(nimbus.resolve(customer="initrode", service="db")) == [
        ("1.1", "corporate", CORPORATE, line_of(CORPORATE, "clause 1.1"), []),
        ("1.2", "corporate", CORPORATE, line_of(CORPORATE, "clause 1.2"), []),
        ("1.3", "customer", INITRODE, initrode_13, [corporate_13]),
    ]
    assert clauses(nimbus.resolve(customer="initrode", service="crm")) == [
        (
            "1.1",
            "service",
            INITRODE_CRM,
            line_of(INITRODE_CRM, "override clause 1.1"),
            [corporate_11],
        ),
        ("1.2", "corporate", CORPORATE, line_of(CORPORATE, "clause 1.2"), []),
        ("1.3", "customer", INITRODE, initrode_13, [corporate_13]),
    ]


def test_an_override_replaces_the_clause_whole(nimbus: AgreementSet) -> None:
    db = nimbus.resolve(customer="globex", service="db").clause("1.1")
    erp = nimbus.resolve(customer="globex", service="erp").clause("1.1")
    assert db is not None and erp is not None
    # Globex's 1.1 has a reward and three credit tiers; the db override keeps nothing of it:
    # only what it writes.
    assert [str(o.target) for o in erp.clause.promises] == ["99.9%"]
    assert len(erp.clause.rewards) == 1
    assert [str(o.target) for o in db.clause.promises] == ["99.95%"]
    assert db.clause.rewards == () and len(db.clause.credits) == 1
    assert db.clause.title == "Database availability"


def test_inherited_settings_with_their_origin(nimbus: AgreementSet) -> None:
    db = nimbus.resolve(customer="globex", service="db")
    crm = nimbus.resolve(customer="initrode", service="crm")
    assert db.timezone is not None and db.currency is not None and db.term is not None
    assert (db.timezone.value, db.timezone.origin.tier, db.timezone.origin.file) == (
        "Europe/London",
        "corporate",
        CORPORATE,
    )
    assert db.timezone.origin.line == line_of(CORPORATE, "timezone")
    assert (db.currency.value, db.currency.origin.line) == ("GBP", line_of(CORPORATE, "currency"))
    # The term is the customer's, not the corporate one: the lowest level that gives one.
    assert (db.term.value.start, db.term.value.end) == (dt.date(2026, 3, 1), dt.date(2028, 2, 29))
    assert (db.term.origin.tier, db.term.origin.file) == ("customer", GLOBEX)
    assert crm.term is not None
    assert (crm.term.value.start, crm.term.origin.file) == (dt.date(2026, 6, 1), INITRODE)
    assert db.billing_cycle is not None and db.billing_cycle.origin.tier == "corporate"
    assert db.margins is None
    assert [(m.value.id, m.origin.tier) for m in db.metrics] == [
        ("uptime", "corporate"),
        ("repair-time", "corporate"),
        ("major-incidents", "corporate"),
    ]
    assert [(s.value.id, s.origin.file) for s in crm.services] == [
        ("crm", INITRODE),
        ("db", INITRODE),
    ]
    assert [(c.value.id, c.origin.tier) for c in db.calendars] == [
        ("maintenance-window", "corporate")
    ]
    assert [e.value.id for e in db.exclusions] == ["maintenance", "force-majeure"]
    payments = nimbus.resolve(customer="globex", service="payments")
    assert [(m.value.id, m.origin.tier) for m in payments.metrics][-2:] == [
        ("authorisation-latency", "service"),
        ("authorisation-success", "service"),
    ]


def test_the_resolved_agreement_as_text(nimbus: AgreementSet) -> None:
    text = resolved_agreement_text(nimbus.resolve(customer="globex", service="db"))
    c11, c12, c13 = (line_of(CORPORATE, f"clause 1.{n}") for n in (1, 2, 3))
    g11 = line_of(GLOBEX, "override clause 1.1")
    d11, d12 = (line_of(GLOBEX_DB, f"override clause 1.{n}") for n in (1, 2))
    assert text.splitlines()[:16] == [
        "resolved agreement for customer globex, service db",
        "agreement nimbus (multi-level)",
        "",
        "levels, from the top",
        f"  corporate  nimbus            {CORPORATE}",
        f"  customer   nimbus-globex     {GLOBEX}",
        f"  service    nimbus-globex-db  {GLOBEX_DB}",
        "",
        "clauses in force",
        f'  1.1  "Database availability"                    service    {GLOBEX_DB}:{d11}',
        f"       replaces customer {GLOBEX}:{g11}, corporate {CORPORATE}:{c11}",
        f'  1.2  "Repair of severity 1 database incidents"  service    {GLOBEX_DB}:{d12}',
        f"       replaces corporate {CORPORATE}:{c12}",
        f'  1.3  "Major incidents"                          corporate  {CORPORATE}:{c13}',
        "",
        "settings",
    ]
    tz, cur, term, cycle = (
        line_of(CORPORATE, "timezone"),
        line_of(CORPORATE, "currency"),
        line_of(GLOBEX, "term"),
        line_of(CORPORATE, "billing cycle"),
    )
    assert (
        f"  timezone       Europe/London                             corporate  {CORPORATE}:{tz}"
        in text
    )
    assert (
        f"  currency       GBP                                       corporate  {CORPORATE}:{cur}"
        in text
    )
    assert (
        f"  term           2026-03-01 to 2028-02-29, notice 60 days  customer   {GLOBEX}:{term}"
        in text
    )
    assert (
        f"  billing cycle  monthly from 2026-01-01                   corporate  {CORPORATE}:{cycle}"
        in text
    )
    assert (
        f"  metric     uptime              corporate  {CORPORATE}:{line_of(CORPORATE, 'metric uptime')}"
        in text
    )
    assert (
        text.endswith("\n")
        and resolved_agreement_text(nimbus.resolve(customer="globex", service="db")) == text
    )


def test_a_service_based_agreement_covers_any_customer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    agreements = api.load_agreements(
        ["contracts/atlassian-cloud.sla", "contracts/acme-hosting.sla"]
    )
    assert [(p.customer, p.service, p.kind) for p in agreements.pairs] == [
        (None, "confluence", "service-based"),
        (None, "jira", "service-based"),
        ("acme", "api", "customer-based"),
        ("acme", "uplink", "customer-based"),
    ]
    jira = agreements.resolve(service="jira")
    # Clause 2 is about Confluence (`service confluence`): not in force for Jira.
    assert [(c.id, c.origin.tier) for c in jira.clauses] == [("1", "agreement")]
    # A customer the logs name gets the service-based agreement of the service.
    assert agreements.resolve(customer="globex", service="jira") == jira
    acme = agreements.resolve(customer="acme", service="api")
    assert [c.id for c in acme.clauses] == ["4.1", "4.2", "5.1", "6.1"]
    assert acme.kind == "customer-based" and acme.agreement == "acme-hosting"


def test_the_resolved_contract_checks_and_evaluates_like_its_levels(
    nimbus: AgreementSet,
) -> None:
    for resolved in nimbus.resolve_all():
        assert api.check(resolved.as_contract()) == []
    payments = nimbus.resolve(customer="globex", service="payments")
    flat = payments.as_contract()
    assert [c.id for c in flat.clauses] == ["1.1", "1.2", "1.3", "3.1", "3.2"]
    assert flat.imported == () and not any(c.override for c in flat.clauses)
    events = [
        {"type": "incident", "id": "I1", "severity": 1, "start": "2026-03-03T10:00:00Z",
         "end": "2026-03-03T12:00:00Z"},
        {"type": "incident", "id": "I2", "severity": 2, "start": "2026-04-03T10:00:00Z",
         "end": "2026-04-03T10:30:00Z"},
    ]  # fmt: skip
    at = dt.datetime(2026, 5, 15, tzinfo=dt.UTC)
    by_levels = evaluate(nimbus.file(GLOBEX_PAYMENTS).contract, events, at)
    by_pair = evaluate(flat, events, at)

    def verdicts(report: Report) -> list[Any]:
        found = report.model_dump(mode="json")["verdicts"]
        return sorted(found, key=lambda v: (v["clause"], v["metric"], v["period"]["label"]))

    # The same verdicts; only their order differs (the levels list the lowest level first).
    assert verdicts(by_pair) == verdicts(by_levels)
    statuses = {(v["clause"], v["period"]["label"]): v["status"] for v in verdicts(by_pair)}
    assert statuses[("1.1", "2026-03")] == "breached"  # 2 hours down of 743 (summer time): 99.73%
    assert statuses[("1.1", "2026-04")] == "met"  # 30 minutes of 720 hours: 99.93%


# ----------------------------------------------------------------------------- errors
def copy_set(folder: Path, *names: str) -> Path:
    for name in names or NAMES:
        shutil.copy(NIMBUS / name, folder / name)
    return folder


def write(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return str(folder / name)


def error_of(agreements: AgreementSet, customer: str, service: str) -> ObligoSemanticError:
    with pytest.raises(ObligoSemanticError) as caught:
        agreements.resolve(customer=customer, service=service)
    return caught.value


def test_two_files_overriding_one_clause_at_one_level(tmp_path: Path) -> None:
    folder = copy_set(tmp_path)
    second = write(
        folder,
        "globex-db-ledger.sla",
        """
        import "globex.sla"

        contract nimbus-globex-ledger "Globex ledger database" version 1
          kind multi-level
          level service db for customer globex
          provider nimbus "Nimbus Cloud Ltd"

        override clause 1.1 "Ledger availability"
          promise uptime >= 99.99%
        """,
    )
    agreements = api.load_agreements([folder])
    first = str(folder / "globex-db.sla")
    first_line = line_of(GLOBEX_DB, "override clause 1.1")
    message = (
        "clause 1.1 is overridden by two files at the service level of db for customer globex: "
        f"{second}:8 and {first}:{first_line}"
    )
    # The finding is at the second of the two (in path order), and names both files and lines.
    (finding,) = [d for d in agreements.check() if d.severity is Severity.ERROR]
    assert (finding.message, finding.file, finding.line, finding.column) == (
        message,
        first,
        first_line,
        17,
    )
    assert finding.source_line == 'override clause 1.1 "Database availability"'
    error = error_of(agreements, "globex", "db")
    assert (
        error.message
        == "the agreement for customer globex, service db cannot be resolved: " + message
    )
    assert (error.file, error.line, error.column) == (first, first_line, 17)
    assert error.hint == "keep one of them: a level says once what a clause is"
    # Other pairs do not use the service level of db: they still resolve.
    assert [c.id for c in agreements.resolve(customer="globex", service="erp").clauses] == [
        "1.1",
        "1.2",
        "1.3",
    ]


def test_two_customer_files_of_one_customer_are_one_level(tmp_path: Path) -> None:
    folder = copy_set(tmp_path)
    extra = """
        import "corporate.sla"

        contract nimbus-globex-{name} "More Globex terms" version 1
          kind multi-level
          level customer globex
          provider nimbus "Nimbus Cloud Ltd"

        service erp "Hosted ERP"
          fee {fee} GBP monthly
          delivered by nimbus

        override clause 1.2 "Repair for {name}"
          service {name}
          promise repair-time <= 3 hours
        """
    write(folder, "globex-erp.sla", extra.format(name="erp", fee=12000))
    agreements = api.load_agreements([folder])
    # The service is declared alike in both customer files (each needs it for its own clauses).
    assert agreements.check() == []
    erp = agreements.resolve(customer="globex", service="erp")
    # Both customer files of Globex make its customer level; the `service erp` override holds
    # for the ERP only.
    assert [(c.id, c.origin.file.rsplit("/", 1)[-1]) for c in erp.clauses] == [
        ("1.1", "globex.sla"),
        ("1.2", "globex-erp.sla"),
        ("1.3", "corporate.sla"),
    ]
    assert erp.clause("1.2").replaces[0].tier == "corporate"  # type: ignore[union-attr]
    payments = agreements.resolve(customer="globex", service="payments")
    assert payments.clause("1.2").origin.tier == "corporate"  # type: ignore[union-attr]
    # A second file overriding 1.2 for the ERP too is a conflict at the customer level.
    write(
        folder,
        "globex-erp2.sla",
        extra.format(name="erp", fee=12000).replace("globex-erp", "globex-e2"),
    )
    agreements = api.load_agreements([folder])
    (finding,) = agreements.diagnostics
    assert finding.message == (
        "clause 1.2 is overridden by two files at the customer level of globex: "
        f"{folder}/globex-erp.sla:12 and {folder}/globex-erp2.sla:12"
    )
    assert (finding.file, finding.line) == (f"{folder}/globex-erp2.sla", 12)
    error_of(agreements, "globex", "erp")
    assert agreements.resolve(customer="globex", service="payments").clause("1.2") is not None
    # The same service declared differently by two customer files is a conflict too.
    (folder / "globex-erp2.sla").unlink()
    write(folder, "globex-erp.sla", extra.format(name="erp", fee=11000))
    (finding,) = api.load_agreements([folder]).diagnostics
    assert finding.message == (
        "service erp is declared differently by two files at the customer level of globex: "
        f"{folder}/globex-erp.sla:8 and {folder}/globex.sla:15"
    )
    assert (finding.file, finding.line, finding.column) == (f"{folder}/globex.sla", 15, 9)


def test_an_override_of_a_clause_no_level_above_defines(tmp_path: Path) -> None:
    folder = copy_set(tmp_path)
    path = write(
        folder,
        "initrode-db.sla",
        """
        import "initrode.sla"

        contract nimbus-initrode-db "Initrode database" version 1
          kind multi-level
          level service db for customer initrode
          provider nimbus "Nimbus Cloud Ltd"

        override clause 1.4 "Backups"
          promise uptime >= 99.99%
        """,
    )
    agreements = api.load_agreements([folder])
    (finding,) = [d for d in agreements.check() if d.severity is Severity.ERROR]
    assert (finding.file, finding.line, finding.column) == (path, 8, 17)
    assert finding.message == "override of clause 1.4, which no higher level defines"
    assert finding.hint == 'did you mean "1.3"?'
    error = error_of(agreements, "initrode", "db")
    assert error.message.endswith("override of clause 1.4, which no higher level defines")
    assert (error.file, error.line, error.column) == (path, 8, 17)


def test_a_clause_of_a_sibling_file_is_replaced_only_by_override(tmp_path: Path) -> None:
    """A service level imports one customer file; a clause another customer file of the same
    customer defines is above it in the set all the same."""
    folder = copy_set(tmp_path)
    write(
        folder,
        "globex-support.sla",
        """
        import "corporate.sla"

        contract nimbus-globex-support "Globex support" version 1
          kind multi-level
          level customer globex
          provider nimbus "Nimbus Cloud Ltd"

        clause 2.1 "Major incidents, reported"
          promise major-incidents <= 3
        """,
    )
    path = write(
        folder,
        "globex-erp.sla",
        """
        import "globex.sla"

        contract nimbus-globex-erp "Globex ERP" version 1
          kind multi-level
          level service erp for customer globex
          provider nimbus "Nimbus Cloud Ltd"

        clause 2.1 "Major incidents"
          promise major-incidents <= 1
        """,
    )
    agreements = api.load_agreements([folder])
    assert api.check(agreements.file(path).contract) == []  # alone, it sees no 2.1 above it
    error = error_of(agreements, "globex", "erp")
    assert error.message == (
        "the agreement for customer globex, service erp cannot be resolved: clause 2.1 is "
        f"already defined at a higher level ({folder}/globex-support.sla:8)"
    )
    assert (error.file, error.line, error.hint) == (
        path,
        8,
        "write `override clause 2.1` to replace it",
    )


def test_a_customer_level_without_its_corporate_level(tmp_path: Path) -> None:
    folder = copy_set(tmp_path, "corporate.sla", "globex.sla")
    path = write(
        folder,
        "hooli.sla",
        """
        contract nimbus-hooli "Nimbus for Hooli" version 1
          kind multi-level
          level customer hooli
          provider nimbus "Nimbus Cloud Ltd"
          customer hooli "Hooli"
          timezone "UTC"
          currency GBP

        service search "Search"
          fee 100 GBP monthly
        """,
    )
    agreements = api.load_agreements([folder])
    errors = [d for d in agreements.check() if d.severity is Severity.ERROR]
    assert [(d.file, d.line, d.column, d.message, d.hint) for d in errors] == [
        (
            path,
            3,
            3,
            "the customer level of hooli has no corporate level above it",
            'import the corporate level it belongs to, e.g. import "corporate.sla"',
        )
    ]
    assert "hooli" not in agreements.customers
    # Asking for Hooli gives the reason, not "no agreement covers customer hooli".
    error = error_of(agreements, "hooli", "search")
    assert error.message == (
        "the agreement for customer hooli, service search cannot be resolved: "
        "the customer level of hooli has no corporate level above it"
    )
    assert (error.file, error.line) == (path, 3)


def test_a_service_level_under_the_wrong_level(tmp_path: Path) -> None:
    folder = copy_set(tmp_path, "corporate.sla", "globex.sla", "initrode.sla")
    skips = write(
        folder,
        "globex-erp.sla",
        """
        import "corporate.sla"

        contract nimbus-globex-erp "Globex ERP" version 1
          kind multi-level
          level service erp for customer globex
          provider nimbus "Nimbus Cloud Ltd"
        """,
    )
    agreements = api.load_agreements([folder])
    (finding,) = [d for d in agreements.check() if d.severity is Severity.ERROR]
    assert (finding.file, finding.line, finding.column) == (skips, 1, 1)
    assert finding.message == (
        f"the service level of erp for customer globex imports the corporate level "
        f"({folder}/corporate.sla), but a service level sits under a customer level"
    )
    # The ERP of Globex is not silently resolved without its broken service level.
    error_of(agreements, "globex", "erp")
    write(folder, "globex-erp.sla", (folder / "globex-erp.sla").read_text().replace(
        'import "corporate.sla"', 'import "initrode.sla"'
    ))  # fmt: skip
    agreements = api.load_agreements([folder])
    (finding,) = [d for d in agreements.check() if d.severity is Severity.ERROR]
    assert finding.message == (
        "the service level of erp for customer globex imports the customer level of initrode "
        f"({folder}/initrode.sla)"
    )
    assert (finding.line, finding.column) == (5, 34)  # at "globex" of `for customer globex`
    assert finding.hint == "import the customer level of globex, or correct `for customer`"


def test_a_service_level_of_an_undeclared_service(tmp_path: Path) -> None:
    folder = copy_set(tmp_path, "corporate.sla", "globex.sla")
    path = write(
        folder,
        "globex-pay.sla",
        """
        import "globex.sla"

        contract nimbus-globex-pay "Globex payments" version 1
          kind multi-level
          level service payment for customer globex
          provider nimbus "Nimbus Cloud Ltd"
        """,
    )
    agreements = api.load_agreements([folder])
    (finding,) = agreements.diagnostics
    assert (finding.file, finding.line, finding.column) == (path, 5, 17)
    assert finding.message == (
        'the service level of payment for customer globex is about service "payment", '
        "which no level declares"
    )
    assert finding.hint == 'did you mean "payments"?'


def test_a_clause_of_a_service_level_about_another_service(tmp_path: Path) -> None:
    folder = copy_set(tmp_path, "corporate.sla", "globex.sla")
    path = write(
        folder,
        "globex-payments.sla",
        """
        import "globex.sla"

        contract nimbus-globex-payments "Globex payments" version 1
          kind multi-level
          level service payments for customer globex
          provider nimbus "Nimbus Cloud Ltd"

        clause 3.1 "ERP repair"
          service erp
          promise repair-time <= 2 hours
        """,
    )
    (finding,) = api.load_agreements([folder]).diagnostics
    assert (finding.file, finding.line, finding.column) == (path, 9, 11)
    assert finding.message == (
        "clause 3.1 is about service erp, but this file is the service level of payments for "
        "customer globex"
    )


def test_two_agreements_of_one_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(REPO)
    copy = tmp_path / "s3.sla"
    shutil.copy(REPO / "contracts" / "s3-standard.sla", copy)
    agreements = api.load_agreements(["contracts/s3-standard.sla", copy])
    (finding,) = agreements.diagnostics
    assert finding.message == (
        f"two agreements are named s3-standard: {copy} and contracts/s3-standard.sla"
    )
    assert finding.file == "contracts/s3-standard.sla"


def test_a_customer_based_agreement_names_one_customer(tmp_path: Path) -> None:
    text = """
        contract shared-hosting "Hosting for two" version 1
          kind customer-based
          provider nimbus "Nimbus Cloud Ltd"
          customer acme "Acme Corp"
          customer globex "Globex"

        service api "API"
        """
    path = write(tmp_path, "shared.sla", text)
    agreements = api.load_agreements(path)
    (finding,) = agreements.diagnostics
    assert (finding.line, finding.column, finding.message, finding.hint) == (
        1,
        10,
        "a customer-based agreement names one customer, and this one names 2",
        "write one agreement per customer, or a multi-level set",
    )
    assert agreements.pairs == ()
    write(tmp_path, "shared.sla", "\n".join(x for x in text.splitlines() if "acme" not in x))
    agreements = api.load_agreements(path)
    assert [(p.customer, p.service, p.kind) for p in agreements.pairs] == [
        ("globex", "api", "customer-based")
    ]


def test_a_pair_the_set_does_not_cover(nimbus: AgreementSet) -> None:
    error = error_of(nimbus, "globx", "db")
    assert str(error) == (
        '<resolve>:1:10: error: no agreement covers customer "globx" (did you mean "globex"?)\n'
        "  customer=globx,service=db\n"
        "           ^"
    )
    error = error_of(nimbus, "globex", "crm")
    assert (error.message, error.column) == (
        'customer globex has no service "crm" in the agreements',
        25,
    )
    assert error.hint == "the services are db, erp, payments"
    error = error_of(nimbus, "initrode", "cmr")
    assert error.hint == 'did you mean "crm"?'
    error = error_of(nimbus, "umbrella", "db")
    assert error.hint == "the customers are globex, initrode"
    with pytest.raises(ObligoSemanticError) as caught:
        nimbus.resolve(service="db")
    assert caught.value.message == 'no agreement covers service "db" for any customer'
    assert caught.value.hint == (
        "name the customer: customer=globex,service=db, customer=initrode,service=db"
    )


def test_several_agreements_for_one_pair_are_chosen_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    agreements = api.load_agreements(
        ["contracts/aws-compute-region.sla", "contracts/aws-compute-instance.sla"]
    )
    with pytest.raises(ObligoSemanticError) as caught:
        agreements.resolve(service="compute")
    assert caught.value.message == (
        "2 agreements cover any customer, service compute: aws-compute-instance "
        "(contracts/aws-compute-instance.sla), aws-compute-region (contracts/aws-compute-region.sla)"
    )
    chosen = agreements.resolve(service="compute", agreement="aws-compute-region")
    assert chosen.files[0].path == "contracts/aws-compute-region.sla"


def test_the_resolve_argument() -> None:
    parse = api.parse_pair_argument
    assert parse("customer=globex,service=db") == api.PairRequest("globex", "db")
    assert parse(" service = db , customer=globex ") == api.PairRequest("globex", "db")
    assert parse("service=jira") == api.PairRequest(None, "jira")
    assert parse("customer=a,service=b,agreement=c") == api.PairRequest("a", "b", "c")
    cases = [
        ("customer=globex", "name the service: service=NAME", 16),
        ("custmer=globex,service=db", '"custmer" is not a key of the pair', 1),
        ("customer=globex,service=", "service= names no service", 25),
        ("customer=globex,,service=db", "an empty part: write customer=NAME,service=NAME", 17),
        ("globex,service=db", '"globex" is not KEY=NAME', 1),
        ("service=db,service=erp", "service is given twice", 12),
        ('customer="globex",service=db', 'not a name: "globex"', 10),
    ]
    for text, message, column in cases:
        with pytest.raises(ObligoError) as caught:
            parse(text)
        assert (caught.value.message, caught.value.column) == (message, column), text
        assert (caught.value.file, caught.value.line, caught.value.source_line) == (
            "<resolve>",
            1,
            text,
        )
    with pytest.raises(ObligoError) as caught:
        parse("custmer=globex,service=db")
    assert caught.value.hint == 'did you mean "customer"?'


def test_load_agreements_rejects_what_is_not_a_contract(tmp_path: Path) -> None:
    with pytest.raises(ObligoError, match=r"no contract \(\*\.sla\) in the folder"):
        api.load_agreements([tmp_path])
    with pytest.raises(ObligoError, match="no such file or folder"):
        api.load_agreements([tmp_path / "missing.sla"])
    with pytest.raises(ObligoError, match="no contract files given"):
        api.load_agreements([])


def test_an_import_cycle_in_a_set(tmp_path: Path) -> None:
    header = """
        import "{other}.sla"

        contract {name} "{name}" version 1
          kind multi-level
          level customer {name}
        """
    write(tmp_path, "a.sla", header.format(name="a", other="b"))
    write(tmp_path, "b.sla", header.format(name="b", other="a"))
    with pytest.raises(ObligoSemanticError) as caught:
        api.load_agreements([tmp_path])
    assert caught.value.message == '"a.sla" imports itself, directly or through other files'
    assert (caught.value.file, caught.value.line, caught.value.column) == (
        str(tmp_path / "b.sla"),
        1,
        1,
    )


# ------------------------------------------------------------------- order independence
def everything(agreements: AgreementSet) -> tuple[object, ...]:
    return (
        [(f.path, f.tier, f.customer, f.service, f.parent, f.listed) for f in agreements.files],
        agreements.pairs,
        agreements.check(),
        [resolved_agreement_text(r) for r in agreements.resolve_all()],
    )


@functools.cache
def reference() -> tuple[object, ...]:
    with working_directory(REPO):
        return everything(api.load_agreements(["contracts/nimbus"]))


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(NAMES), folder_too=st.booleans(), spelled=st.booleans())
def test_the_order_of_the_files_changes_nothing(
    order: list[str], folder_too: bool, spelled: bool
) -> None:
    """Files given in any order, spelled differently, or with their folder give the same set:
    the same files, pairs, findings and resolved agreements, to the byte."""
    paths = [f"contracts/nimbus/{'./' if spelled else ''}{name}" for name in order]
    if folder_too:
        paths.insert(len(paths) // 2, "contracts/nimbus")
    with working_directory(REPO):
        assert everything(api.load_agreements(paths)) == reference()

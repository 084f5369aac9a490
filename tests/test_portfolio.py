"""Agreement sets evaluated in one pass over the logs (issue 5): a corporate + customer + service
hierarchy for two customers, each (customer, service) pair on its own records; a three-supplier
chain with a redundant pair and overlapping outages; back-to-back credits and the net position.

The numbers are worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import obligo
from obligo.api import evaluate_agreements
from obligo.cli import cli
from obligo.report.portfolio import PortfolioReport
from report_helpers import as_shown

REPO = Path(__file__).resolve().parent.parent
NIMBUS = REPO / "contracts" / "nimbus"
FABRIKAM = REPO / "contracts" / "fabrikam-checkout.sla"
AT = dt.datetime(2026, 8, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))  # London, summer time

# Europe/London: June has 43,200 minutes, July 44,640.
NIMBUS_LOG = [
    # Globex's database: 120 minutes in June -> 1 - 120/43200 = 99.722222222% (db level: >= 99.95%)
    {"type": "incident", "id": "G-DB-1", "customer": "globex", "service": "db", "severity": 1,
     "start": "2026-06-10T10:00:00Z", "end": "2026-06-10T12:00:00Z"},
    # Globex's ERP: 60 minutes in June -> 99.861111111% (customer level: >= 99.9%)
    {"type": "incident", "id": "G-ERP-1", "customer": "globex", "service": "erp", "severity": 2,
     "start": "2026-06-20T00:00:00Z", "end": "2026-06-20T01:00:00Z"},
    # Initrode's database: 180 minutes in July
    {"type": "incident", "id": "I-DB-1", "customer": "initrode", "service": "db", "severity": 2,
     "start": "2026-07-05T00:00:00Z", "end": "2026-07-05T03:00:00Z"},
    # Initrode's CRM: 30 minutes in July
    {"type": "incident", "id": "I-CRM-1", "customer": "initrode", "service": "crm", "severity": 2,
     "start": "2026-07-10T00:00:00Z", "end": "2026-07-10T00:30:00Z"},
    # The shared platform, no customer and no service: 10 minutes in July, for every section.
    {"type": "incident", "id": "P-1", "severity": 2,
     "start": "2026-07-20T01:00:00Z", "end": "2026-07-20T01:10:00Z"},
]  # fmt: skip


def write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def nimbus(tmp_path: Path, records: list[dict[str, Any]] | None = None) -> PortfolioReport:
    log = write(tmp_path / "events.jsonl", NIMBUS_LOG if records is None else records)
    return evaluate_agreements(obligo.load_agreements([NIMBUS]), [log], at=AT)


def values(report: Any, clause: str) -> dict[str, tuple[str, str | None]]:
    return {v.period.label: (v.status, v.value) for v in report.verdicts if v.clause == clause}


def amounts(report: Any, clause: str, kind: str = "credit") -> dict[str, str | None]:
    return {
        c.period.label: c.amount
        for c in report.consequences
        if c.clause == clause and c.kind == kind
    }


def test_every_pair_of_two_customers_is_a_section_with_its_clauses_and_origins(
    tmp_path: Path,
) -> None:
    portfolio = nimbus(tmp_path)
    assert [(s.customer, s.service) for s in portfolio.sections] == [
        ("globex", "db"),
        ("globex", "erp"),
        ("globex", "payments"),
        ("initrode", "crm"),
        ("initrode", "db"),
    ]
    db = portfolio.sections[0]
    assert [(c.clause, c.level, Path(c.file).name, c.line) for c in db.clauses] == [
        ("1.1", "service", "globex-db.sla", 14),
        ("1.2", "service", "globex-db.sla", 22),
        ("1.3", "corporate", "corporate.sla", 54),
    ]
    assert [Path(r.split(":")[0]).name for r in db.clauses[0].replaces] == [
        "globex.sla",
        "corporate.sla",
    ]
    crm = portfolio.sections[3]
    assert [(c.clause, c.level) for c in crm.clauses] == [
        ("1.1", "service"),
        ("1.2", "corporate"),
        ("1.3", "customer"),
    ]


def test_each_section_is_judged_on_its_customer_and_service_records(tmp_path: Path) -> None:
    sections = {(s.customer, s.service): s.report for s in nimbus(tmp_path).sections}
    # Globex db: June 120 min; July only the shared 10 min: 1 - 10/44640 = 99.977598566%.
    db = values(sections[("globex", "db")], "1.1")
    assert as_shown(db["2026-06"]) == ("breached", "99.722222222")
    assert as_shown(db["2026-07"]) == ("met", "99.977598566")
    # 15% of the db fee (4,000 GBP): 600.00, under the 50% cap.
    assert as_shown(amounts(sections[("globex", "db")], "1.1")["2026-06"]) == "600.00"
    # Its repair time (db level: <= 2 hours): the one severity 1 incident took exactly 2 hours.
    assert as_shown(values(sections[("globex", "db")], "1.2")["2026-06"]) == ("met", "7200")
    # Globex ERP: June 60 min, not the database's 120.
    erp = sections[("globex", "erp")]
    assert as_shown(values(erp, "1.1")["2026-06"]) == ("breached", "99.861111111")
    assert as_shown(amounts(erp, "1.1")["2026-06"]) == "1200.00"  # 10% of 12,000
    # A month at 100% earns Nimbus the customer level's reward: 2% of 12,000.
    assert as_shown(amounts(erp, "1.1", "reward")) == {
        "2026-03": "240.00",
        "2026-04": "240.00",
        "2026-05": "240.00",
    }
    # Initrode CRM: July 30 + 10 min -> 1 - 40/44640 = 99.910394265% < 99.95% (CRM level).
    crm = sections[("initrode", "crm")]
    assert as_shown(values(crm, "1.1")["2026-07"]) == ("breached", "99.910394265")
    assert as_shown(amounts(crm, "1.1")["2026-07"]) == "200.00"  # 10% of 2,000
    # Initrode db: July 180 + 10 min -> 99.574372760% >= 99.5% (the corporate clause).
    assert as_shown(values(sections[("initrode", "db")], "1.1")["2026-07"]) == (
        "met",
        "99.57437276",
    )


def test_the_log_is_accounted_for_once(tmp_path: Path) -> None:
    portfolio = nimbus(tmp_path)
    (account,) = portfolio.inputs
    assert (account.lines, account.used, account.outside_periods, account.unused) == (5, 5, 0, 0)
    assert all(section.report.inputs == [] for section in portfolio.sections)


def test_the_order_of_files_and_records_changes_nothing(tmp_path: Path) -> None:
    first = nimbus(tmp_path).model_dump_json()
    log = write(tmp_path / "reversed.jsonl", list(reversed(NIMBUS_LOG)))
    files = sorted(NIMBUS.glob("*.sla"), reverse=True)
    again = evaluate_agreements(obligo.load_agreements(files), [log], at=AT)
    assert again.model_dump_json().replace("reversed.jsonl", "events.jsonl") == first


SERVICE_BASED = """
contract status-page "Status page service" version 1
  kind service-based
  provider nimbus "Nimbus Cloud Ltd"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency EUR

service status "Status page"
  fee 100 EUR monthly
  delivered by nimbus

metric uptime "Availability"
  availability of status, per calendar month
  down during incident records

clause 1 "Availability"
  promise uptime >= 99.9%
  credit 10% of the fee when uptime < 99.9%
"""


def test_a_service_based_agreement_is_evaluated_per_customer_in_the_logs(tmp_path: Path) -> None:
    contract = tmp_path / "status.sla"
    contract.write_text(SERVICE_BASED, encoding="utf-8")
    log = write(
        tmp_path / "events.jsonl",
        [
            # January has 44,640 minutes: 60 minutes -> 99.865591398%, 30 -> 99.932795699%
            {"type": "incident", "customer": "acme", "start": "2026-01-05T00:00:00Z",
             "end": "2026-01-05T01:00:00Z"},
            {"type": "incident", "customer": "globex", "start": "2026-01-06T00:00:00Z",
             "end": "2026-01-06T00:30:00Z"},
        ],
    )  # fmt: skip
    result = CliRunner().invoke(
        cli, ["eval", str(contract), "--events", str(log), "--at", "2026-02-01T00:00:00Z",
              "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    portfolio = json.loads(result.stdout)
    assert portfolio["kind"] == "portfolio"
    by_customer = {
        s["customer"]: {
            v["period"]["label"]: (v["status"], v["value"]) for v in s["report"]["verdicts"]
        }
        for s in portfolio["sections"]
    }
    assert by_customer["acme"]["2026-01"] == ("breached", "99.865591398")
    assert by_customer["globex"]["2026-01"] == ("met", "99.932795699")
    credits = {
        s["customer"]: [c["amount"] for c in s["report"]["consequences"]]
        for s in portfolio["sections"]
    }
    assert credits == {"acme": ["10.00"], "globex": []}


# ------------------------------------------------------------------ three suppliers, one chain
# Fabrikam's checkout: NetCo's uplink in a chain with a redundant pair of data centres (North,
# South). January 2026, Europe/Amsterdam (44,640 minutes). Overlapping outages on January 8th:
#   uplink 10:00-10:30, North 10:15-11:00, South 10:20-10:50 (local time).
# End to end: uplink [10:00, 10:30) U (North n South) [10:20, 10:50) = [10:00, 10:50): 50 min.
# Each supplier whose component was down: NetCo 30 min (the chain is down whenever the uplink
# is); North and South 30 min each (while both were down); the 10 minutes [10:20, 10:30) count
# against all three. The first cause: the whole 50-minute stretch goes to NetCo (its outage
# began first).
# February (40,320 minutes): the uplink alone is down 4 hours.
FABRIKAM_LOG = [
    {"type": "outage", "id": "U1", "component": "uplink",
     "start": "2026-01-08T10:00:00+01:00", "end": "2026-01-08T10:30:00+01:00"},
    {"type": "outage", "id": "N1", "component": "north-dc",
     "start": "2026-01-08T10:15:00+01:00", "end": "2026-01-08T11:00:00+01:00"},
    {"type": "outage", "id": "S1", "component": "south-dc",
     "start": "2026-01-08T10:20:00+01:00", "end": "2026-01-08T10:50:00+01:00"},
    {"type": "outage", "id": "U2", "component": "uplink",
     "start": "2026-02-10T08:00:00+01:00", "end": "2026-02-10T12:00:00+01:00"},
]  # fmt: skip
FABRIKAM_AT = dt.datetime(2026, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def fabrikam(tmp_path: Path, text: str | None = None) -> obligo.Report:  # type: ignore[name-defined]
    path = tmp_path / "fabrikam-checkout.sla"
    path.write_text(text or FABRIKAM.read_text(encoding="utf-8"), encoding="utf-8")
    log = write(tmp_path / "events.jsonl", FABRIKAM_LOG)
    return obligo.evaluate(obligo.load(path), [log], at=FABRIKAM_AT)


def attributed(report: Any, label: str) -> dict[str, str]:
    return {
        p.supplier: a.seconds
        for p in report.suppliers
        for row in p.periods
        if row.period.label == label
        for a in row.attributed
    }


def test_a_chain_with_a_redundant_pair_attributes_each_minute_exactly(tmp_path: Path) -> None:
    report = fabrikam(tmp_path)
    checkout = values(report, "1")
    assert as_shown(checkout["2026-01"]) == ("breached", "99.887992832")  # 1 - 50/44640
    assert as_shown(attributed(report, "2026-01")) == {
        "netco": "1800",
        "north-colo": "1800",
        "south-colo": "1800",
    }
    assert as_shown(attributed(report, "2026-02")) == {
        "netco": "14400",
        "north-colo": "0",
        "south-colo": "0",
    }


def test_first_cause_gives_each_stretch_to_the_outage_that_began_first(tmp_path: Path) -> None:
    text = FABRIKAM.read_text(encoding="utf-8").replace(
        "downtime attributed to each supplier whose component was down",
        "downtime attributed to the first cause",
    )
    report = fabrikam(tmp_path, text)
    assert as_shown(attributed(report, "2026-01")) == {"netco": "3000"}


def test_back_to_back_credits_and_the_net_position_to_the_cent(tmp_path: Path) -> None:
    report = fabrikam(tmp_path)
    # What Nimbus owes Fabrikam (clause 1, 8,000 EUR): January 99.887992832% < 99.9%: 10%;
    # February 1 - 240/40320 = 99.404761905% < 99.5%: 25%.
    assert as_shown(amounts(report, "1")) == {"2026-01": "800.00", "2026-02": "2000.00"}
    # What Nimbus claims from NetCo (clause 2, 1,500 EUR): January 1 - 30/44640 = 99.932795699%
    # < 99.95%: 10%; February 99.404761905% < 99.5%: 30%.
    assert as_shown(amounts(report, "2")) == {"2026-01": "150.00", "2026-02": "450.00"}
    netco = next(p for p in report.suppliers if p.supplier == "netco")
    assert as_shown(
        [(row.period.label, [m.credits for m in row.claimable]) for row in netco.periods]
    ) == [
        ("2026-01", ["150.00"]),
        ("2026-02", ["450.00"]),
        ("2026-03", []),
    ]
    assert as_shown(
        [
            (n.period.label, n.currency, n.owed_to_customer, n.claimable_from_suppliers, n.net)
            for n in report.net_position
        ]
    ) == [
        ("2026-01", "EUR", "800.00", "150.00", "650.00"),
        ("2026-02", "EUR", "2000.00", "450.00", "1550.00"),
    ]


def test_a_supplier_own_verdicts_are_those_of_its_components(tmp_path: Path) -> None:
    report = fabrikam(tmp_path)
    south = next(p for p in report.suppliers if p.supplier == "south-colo")
    january = next(row for row in south.periods if row.period.label == "2026-01")
    # South down 30 of 44,640 minutes: 99.932795699% >= 99.9%.
    assert as_shown([(v.clause, v.metric, v.status, v.value) for v in january.verdicts]) == [
        ("3", "south-uptime", "met", "99.932795699")
    ]


def test_agreements_in_different_timezones_cannot_share_one_log(tmp_path: Path) -> None:
    other = tmp_path / "other.sla"
    other.write_text(SERVICE_BASED, encoding="utf-8")
    log = write(tmp_path / "events.jsonl", [])
    with pytest.raises(obligo.ObligoError, match="different timezones"):
        evaluate_agreements(obligo.load_agreements([NIMBUS, other]), [log], at=AT)


def test_the_portfolio_schema_file_is_current_and_documented() -> None:
    import re

    from obligo.render import portfolio_schema

    committed = (REPO / "docs" / "portfolio.schema.json").read_text(encoding="utf-8")
    assert committed == portfolio_schema(), "regenerate docs/portfolio.schema.json"
    text = (REPO / "docs" / "report.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    schema = json.loads(committed)
    keys = set(schema["properties"])
    for definition in schema["$defs"].values():
        keys |= set(definition.get("properties", {}))
    assert keys <= documented, sorted(keys - documented)


def test_a_portfolio_validates_against_its_schema(tmp_path: Path) -> None:
    from test_report_invariants import validate

    schema = json.loads((REPO / "docs" / "portfolio.schema.json").read_text(encoding="utf-8"))
    validate(json.loads(nimbus(tmp_path).model_dump_json()), schema, schema)


def test_a_back_to_back_promise_is_judged_on_what_is_attributed(tmp_path: Path) -> None:
    report = fabrikam(tmp_path)

    # North's own downtime in January: 10:15-11:00 = 45 min -> 1 - 45/44640 = 99.899193548%;
    # attributed to it: 10:20-10:50, while South was down too = 30 min -> 99.932795699%.
    def of(metric: str) -> dict[str, tuple[str, str | None]]:
        return {v.period.label: (v.status, v.value) for v in report.verdicts if v.metric == metric}

    assert as_shown(of("north-uptime")["2026-01"]) == ("breached", "99.899193548")
    attributed_promise = of("north-attributed")
    assert as_shown(attributed_promise["2026-01"]) == ("breached", "99.932795699")
    # February: North was never down; nothing attributed.
    assert as_shown(attributed_promise["2026-02"]) == ("met", "100")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "  down when uplink-uptime is down because of netco",
            "metric uplink-uptime attributes no downtime to suppliers",
        ),
        ("  down when checkout-uptime is down because of nobody", 'unknown party "nobody"'),
        (
            "  down when north-attributed is down because of netco",
            "cannot take its downtime from itself",
        ),
    ],
)
def test_a_back_to_back_metric_must_name_an_attributing_composite_and_a_party(
    tmp_path: Path, line: str, message: str
) -> None:
    text = FABRIKAM.read_text(encoding="utf-8").replace(
        "  down when checkout-uptime is down because of north-colo", line
    )
    path = tmp_path / "fabrikam-checkout.sla"
    path.write_text(text, encoding="utf-8")
    findings = [d for d in obligo.check(obligo.load(path)) if d.severity is obligo.Severity.ERROR]
    assert any(message in d.message for d in findings), [d.format() for d in findings]
    assert all(d.file == str(path) for d in findings)


# ------------------------------------------------------------- agreement sets, found in review
SETS = Path(__file__).resolve().parent / "data" / "sets"
JANUARY = dt.datetime(2026, 2, 15, tzinfo=dt.UTC)
DAY = {"start": "2026-01-10T00:00:00Z", "end": "2026-01-11T00:00:00Z"}  # 1 of 31 days


def evaluate_set(
    tmp_path: Path, files: list[str], records: list[dict[str, Any]]
) -> PortfolioReport:
    log = write(tmp_path / "events.jsonl", records)
    return evaluate_agreements(obligo.load_agreements([SETS / f for f in files]), [log], at=JANUARY)


def credits(portfolio: PortfolioReport) -> dict[tuple[str | None, str | None], list[str | None]]:
    return {
        (s.customer, s.service): [c.amount for c in s.report.consequences]
        for s in portfolio.sections
    }


def test_a_service_based_agreement_covers_a_customer_that_has_other_agreements(
    tmp_path: Path,
) -> None:
    # Globex has its own agreement for the database, not for the API: the public API agreement
    # is Globex's for the API. A day down of 31: 96.774193548% < 99.9%: 10% of 1,000 EUR.
    portfolio = evaluate_set(
        tmp_path,
        ["public-api.sla", "globex-db.sla"],
        [
            {"type": "incident", "id": "g-api", "customer": "globex", "service": "api", **DAY},
            {"type": "incident", "id": "i-api", "customer": "initech", "service": "api", **DAY},
            {"type": "incident", "id": "g-db", "customer": "globex", "service": "db", **DAY},
        ],
    )
    assert as_shown(credits(portfolio)) == {
        ("globex", "db"): ["200.00"],
        ("globex", "api"): ["100.00"],
        ("initech", "api"): ["100.00"],
    }


def test_the_net_position_of_a_set_counts_every_section(tmp_path: Path) -> None:
    # Globex's database (no supplier) owes 200.00; Initech's app 100.00 and its link, delivered
    # by Telco, is claimable 50.00: 300.00 - 50.00 = 250.00.
    portfolio = evaluate_set(
        tmp_path,
        ["globex-db.sla", "initech-app.sla"],
        [
            {"type": "incident", "id": "i-app", "customer": "initech", "service": "app", **DAY},
            {"type": "outage", "id": "o1", "link": "l1", **DAY},
            {"type": "incident", "id": "g-db", "customer": "globex", "service": "db", **DAY},
        ],
    )
    assert as_shown(
        [
            (n.period.label, n.owed_to_customer, n.claimable_from_suppliers, n.net)
            for n in portfolio.net_position
        ]
    ) == [("2026-01", "300.00", "50.00", "250.00")]


def test_the_line_account_of_a_set_counts_what_its_sections_saw(tmp_path: Path) -> None:
    # The database agreement reads every incident record, but it is Globex's agreement: its
    # section sees only Globex's records (and those naming no customer).
    text = (
        (SETS / "globex-db.sla")
        .read_text(encoding="utf-8")
        .replace(
            'down during incident records where service = "db"', "down during incident records"
        )
    )
    (tmp_path / "globex-db.sla").write_text(text, encoding="utf-8")
    log = write(
        tmp_path / "events.jsonl",
        [
            {"type": "incident", "id": "g-db", "customer": "globex", "service": "db", **DAY},
            {"type": "incident", "id": "a-crm", "customer": "acme", "service": "crm", **DAY},
            {"type": "incident", "id": "g-crm", "customer": "globex", "service": "crm", **DAY},
        ],
    )
    portfolio = evaluate_agreements(
        obligo.load_agreements([tmp_path / "globex-db.sla"]), [log], at=JANUARY
    )
    (account,) = portfolio.inputs
    assert (account.lines, account.used, account.unused) == (3, 2, 1)


def test_a_composite_reads_its_components_records_in_a_set(tmp_path: Path) -> None:
    # Fabrikam's sample log with each outage naming its component as its service: the checkout
    # section still reads the uplink's and the data centres' outages (January: 800.00 EUR).
    records = [
        {**json.loads(line), "service": json.loads(line)["component"]}
        for line in (REPO / "contracts" / "fabrikam-checkout" / "events.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    log = write(tmp_path / "events.jsonl", records)
    at = dt.datetime(2026, 4, 15, tzinfo=dt.UTC)
    portfolio = evaluate_agreements(obligo.load_agreements([FABRIKAM]), [log], at=at)
    # A customer-based agreement is one section, for its customer.
    (section,) = portfolio.sections
    assert (section.customer, section.service) == ("fabrikam", None)
    assert as_shown(amounts(section.report, "1")) == {"2026-01": "800.00"}
    alone = obligo.evaluate(obligo.load(FABRIKAM), [log], at=at)
    assert as_shown(amounts(alone, "1")) == {"2026-01": "800.00"}


def nimbus_copy(tmp_path: Path, corporate_extra: str = "") -> Path:
    folder = tmp_path / "nimbus"
    folder.mkdir()
    for path in NIMBUS.glob("*.sla"):
        text = path.read_text(encoding="utf-8")
        if path.name == "corporate.sla" and corporate_extra:
            text = text.replace(
                "# Maintenance in the agreed weekly window",
                corporate_extra + "\n# Maintenance in the agreed weekly window",
            )
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


def test_a_corporate_service_is_evaluated_per_customer_never_twice(tmp_path: Path) -> None:
    folder = nimbus_copy(
        tmp_path, 'service backup "Backup"\n  fee 100 GBP monthly\n  delivered by nimbus\n'
    )
    outage = {"type": "incident", "service": "backup", "severity": 1}
    log = write(
        tmp_path / "events.jsonl",
        [
            # 10 hours each: April 1 - 600/43200 = 98.611111111%, May 1 - 600/44640 = 98.655913978%
            {**outage, "id": "G", "customer": "globex", "start": "2026-04-03T10:00:00+01:00", "end": "2026-04-03T20:00:00+01:00"},
            {**outage, "id": "H", "customer": "hooli", "start": "2026-05-03T10:00:00+01:00", "end": "2026-05-03T20:00:00+01:00"},
        ],
    )  # fmt: skip
    portfolio = evaluate_agreements(obligo.load_agreements([folder]), [log], at=AT)
    backup = {
        s.customer: amounts(s.report, "1.1") for s in portfolio.sections if s.service == "backup"
    }
    # Globex's own level: 20% below 99.0%; Hooli, without a level, the corporate 10%; Initrode
    # has no outage. No section reads every customer's records.
    assert as_shown(backup) == {
        "globex": {"2026-04": "20.00"},
        "hooli": {"2026-05": "10.00"},
        "initrode": {},
    }


def test_a_service_based_agreement_never_credits_a_pair_another_agreement_covers(
    tmp_path: Path,
) -> None:
    incident = {"type": "incident", "service": "db", "severity": 2}
    log = write(
        tmp_path / "events.jsonl",
        [
            # 26 hours in April: 1 - 1560/43200 = 96.388888889%
            {**incident, "id": "G", "customer": "globex", "start": "2026-04-10T10:00:00+01:00", "end": "2026-04-11T12:00:00+01:00"},
            {**incident, "id": "H", "customer": "hooli", "start": "2026-04-10T10:00:00+01:00", "end": "2026-04-11T12:00:00+01:00"},
        ],
    )  # fmt: skip
    agreements = obligo.load_agreements([NIMBUS, SETS / "public-db.sla"])
    portfolio = evaluate_agreements(agreements, [log], at=AT)
    db = {
        (s.agreement, s.customer): amounts(s.report, "1.1") or amounts(s.report, "9.1")
        for s in portfolio.sections
        if s.service in ("db", None)
    }
    # Globex's database is Nimbus's multi-level agreement's (40% of 4,000 below 97%), not the
    # public one's too; Hooli has only the public one (10% of 500).
    assert as_shown(db[("nimbus", "globex")]) == {"2026-04": "1200.00"}
    assert as_shown(db[("public-db", "hooli")]) == {"2026-04": "50.00"}
    assert ("public-db", "globex") not in db


def test_check_of_several_files_runs_the_checks_of_the_set(tmp_path: Path) -> None:
    folder = nimbus_copy(tmp_path)
    (folder / "globex-support.sla").write_text(
        'import "corporate.sla"\n\ncontract nimbus-globex-support "Support" version 1\n'
        "  kind multi-level\n  level customer globex\n"
        '  provider nimbus "Nimbus Cloud Ltd"\n  customer globex "Globex Corporation"\n\n'
        'override clause 1.1 "Availability"\n  promise uptime >= 99%\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 2, result.output
    assert "is overridden by two files at the customer level of globex" in result.stdout

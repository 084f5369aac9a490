"""Consequences in the report: totals per currency (never added across currencies), per service
and per supplier; the window shows some periods but every period counts for the caps; rounding
half-up to each currency's minor unit; the JSON (decimal strings) and the text a person reads."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

import obligo
from engine_helpers import parse
from obligo.cli import cli
from obligo.engine.consequences import Owed, totals
from obligo.engine.consequences.money import minor_unit, round_half_up
from obligo.engine.consequences.values import ClaimState
from obligo.engine.time.periods import MeasurementPeriod
from obligo.render import report_json, report_text
from obligo.report import consequences as assembled
from report_helpers import as_shown

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Fraction("93.475"), "USD", "93.48"),  # half-up, not half-even
        (Fraction("24.125"), "EUR", "24.13"),  # half-even would give 24.12
        (Fraction("24.124999999"), "EUR", "24.12"),
        (Fraction(1200, 31), "USD", "38.71"),  # 38.709677…
        (Fraction(1000, 3), "JPY", "333"),  # no minor unit
        (Fraction("2.5"), "JPY", "3"),
        (Fraction("1.0005"), "KWD", "1.001"),  # three places
        (Fraction(0), "EUR", "0.00"),
    ],
)
def test_rounding_half_up_to_the_minor_unit(amount: Fraction, currency: str, expected: str) -> None:
    assert f"{round_half_up(amount, minor_unit(currency)):f}" == expected


CLAUSE = parse(
    """
    contract c "C"
      term 2026-01-01 to 2026-12-31
      timezone "UTC"

    metric uptime "Uptime"
      availability, per calendar month
      down during incident records

    clause 1
      promise uptime >= 99%
    """
).clauses[0]


def consequence(
    kind: str,
    amount: str | None,
    currency: str,
    service: str | None,
    supplier: str | None,
    claim: ClaimState | None = None,
) -> Owed:
    """A row of the consequences pass: only what the totals read is filled in."""
    moment = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return Owed(
        clause=CLAUSE,
        kind=kind,  # type: ignore[arg-type]
        period=MeasurementPeriod(start=moment, end=moment, label="2026-01"),
        group=None,
        service=service,
        supplier=supplier,
        fee=None,
        lines=(),
        before=None if amount is None else Fraction(amount),
        caps=(),
        after=None if amount is None else Fraction(amount),
        amount=None if amount is None else Decimal(amount),
        currency=currency,
        claim=claim,
        reason=None,
    )


def claim_state(passed: bool) -> ClaimState:
    return ClaimState(
        rule="x",
        required=True,
        deadline=None,
        last_day=None,
        passed=passed,
        detail=None,
        requirements=(),
    )


def test_totals_never_add_different_currencies() -> None:
    passed = claim_state(True)
    open_ = claim_state(False)
    shown = [
        consequence("credit", "100.00", "EUR", "api", "nimbus", passed),
        consequence("credit", "50.50", "EUR", "api", "nimbus", open_),
        consequence("penalty", "1000", "JPY", "api", "nimbus"),
        consequence("reward", "20.00", "EUR", "uplink", "netco"),
        consequence("credit", None, "EUR", "uplink", "netco"),
    ]
    found = assembled.totals(totals(shown, "EUR"))
    assert as_shown([(t.currency, t.credits, t.penalties, t.rewards) for t in found.contract]) == [
        ("EUR", "150.50", "0.00", "20.00"),
        ("JPY", "0", "1000", "0"),
    ]
    eur = found.contract[0]
    assert as_shown((eur.credits_to_claim, eur.credits_claim_passed)) == ("50.50", "100.00")
    assert [(s.service, [a.currency for a in s.amounts]) for s in found.services] == [
        ("api", ["EUR", "JPY"]),
        ("uplink", ["EUR"]),
    ]
    assert as_shown([(s.supplier, s.amounts[0].rewards) for s in found.suppliers]) == [
        ("netco", "20.00"),
        ("nimbus", "0.00"),
    ]
    assert found.without_amount == 1


def test_totals_always_give_the_contracts_currency() -> None:
    found = assembled.totals(totals([], "USD"))
    assert as_shown([(t.currency, t.credits) for t in found.contract]) == [("USD", "0.00")]
    assert (found.services, found.suppliers, found.without_amount) == ([], [], 0)


CAPPED = """
contract window "A window over capped credits" version 1
  term 2026-01-01 to 2027-12-31
  timezone "UTC"
  currency EUR

service api "API"
  fee 1000 EUR monthly

metric uptime "Availability"
  availability of api, per calendar month
  down during incident records

clause 1 "Trailing"
  service api
  credit 100% of the fee when uptime < 99.9%
  cap 10% of the fees of the last 12 months, less credits already given
"""


def incident(month: str) -> dict[str, str]:
    return {"type": "incident", "start": f"{month}-05T00:00:00Z", "end": f"{month}-08T00:00:00Z"}


def test_the_window_hides_periods_but_every_period_counts_for_the_caps() -> None:
    records = [incident(m) for m in ("2026-02", "2026-03", "2026-04", "2027-01")]
    at = dt.datetime(2027, 2, 10, tzinfo=dt.UTC)
    whole = obligo.evaluate(parse(CAPPED), records, at=at)
    shown = obligo.evaluate(parse(CAPPED), records, at=at, window_start=dt.date(2027, 1, 1))
    assert [c.period.label for c in shown.consequences] == ["2027-01"]
    assert shown.consequences == [c for c in whole.consequences if c.period.label == "2027-01"]
    # 2026: February 200 (10% of January and February's fees), March 300 − 200, April 400 −
    # 300. January 2027: February 2026 to January 2027, 1200 less the 400 given in it.
    assert as_shown(shown.consequences[0].amount) == "800.00"
    assert as_shown(shown.totals.contract[0].credits) == "800.00"
    assert as_shown(whole.totals.contract[0].credits) == "1200.00"


def sample(name: str, output: str) -> str:
    spec = json.loads((REPO / "contracts" / name / "eval.json").read_text(encoding="utf-8"))
    args = ["eval", spec["contract"], "--at", spec["at"], "--format", output]
    for events in spec["events"]:
        args += ["--events", events]
    if spec.get("from"):
        args += ["--from", spec["from"]]
    previous = Path.cwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(cli, args)
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_amounts_are_decimal_strings() -> None:
    report = json.loads(sample("verizon-dia", "json"))
    (first, *_) = report["consequences"]
    for key in ("before_caps", "after_caps", "amount"):
        assert isinstance(first[key], str)
        Decimal(first[key])
    assert first["amount"] == "38.71"
    assert report["totals"]["contract"][0]["credits"] == "118.71"


def test_the_text_shows_each_consequence_its_arithmetic_and_the_totals() -> None:
    text = sample("verizon-dia", "text")
    assert (
        "  1 credit 2026-10: 38.71 USD, claim within 30 days after the end of the ticket:"
        " last day 2026-11-06 (deadline 2026-11-06T09:00-05:00), passed"
    ) in text.splitlines()
    assert (
        "    1 day of the fee when latency > 45 ms: latency 45.833333333 ms > 45 ms: 1 day ×"
        " 1200 USD ÷ 30 days of 2026-11 = 40 USD"
    ) in text.splitlines()
    assert (
        "  contract: credits 118.71 USD, penalties 0.00 USD, rewards 0.00 USD (credits still to"
        " claim 0.00 USD, claim deadline passed 38.71 USD)"
    ) in text.splitlines()


def test_the_text_names_the_baseline_and_says_when_nothing_is_owed() -> None:
    lines = sample("acme-hosting", "text").splitlines()
    assert (
        "baseline 2026-01-01 to 2026-03-31 (ended): its periods are measured and judged,"
        " without consequences"
    ) in lines
    assert "consequences: none in the periods shown" in lines
    assert "  contract: credits 0.00 EUR, penalties 0.00 EUR, rewards 0.00 EUR" in lines


def test_a_bound_cap_is_shown_in_the_text() -> None:
    records = [incident("2026-02")]
    report = obligo.evaluate(parse(CAPPED), records, at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    lines = report_text([report]).splitlines()
    assert (
        "    cap 10% of the fees of the last 12 months, less credits already given: bound,"
        " 1000 -> 200; 10% × fees 2000 EUR of 2026-01-01 to 2026-02-28 = 200 EUR, less 0 EUR"
        " already given"
    ) in lines
    assert json.loads(report_json([report]))["consequences"][0]["caps"][0]["bound"] is True


def test_a_shared_cap_applies_when_the_clause_that_states_it_gives_nothing() -> None:
    # verizon-dia, November: clause 1 (which states the shared cap) gives nothing; clauses 2
    # and 3 give 40 USD each and take the shared room of one month's fee (1200 USD) in turn.
    report = json.loads(sample("verizon-dia", "json"))
    caps = {
        (c["clause"], c["period"]["label"]): [
            (x["kind"], x["limit"], x["bound"]) for x in c["caps"]
        ]
        for c in report["consequences"]
    }
    assert caps[("2", "2026-11")] == [("shared", "1200", False)]
    assert caps[("3", "2026-11")] == [("shared", "1160", False)]


def test_the_report_package_exports_the_consequence_and_rights_types() -> None:
    import importlib
    import inspect

    import obligo.report as report
    from obligo.report import model
    from obligo.report.base import ReportNode

    for name in (
        "Consequence", "ConsequenceLine", "FeeBasis", "CapStep", "ClaimStatus",
        "RequirementCheck", "Totals", "MoneyTotal", "ServiceTotal", "SupplierTotal",
        "BaselineRef", "Verdict", "Report",
    ):  # fmt: skip
        assert getattr(report, name) is getattr(model, name)
        assert name in report.__all__
    # Every node of the rights and of `obligo baseline`.
    for module_name in ("obligo.report.rights", "obligo.report.baseline"):
        module = importlib.import_module(module_name)
        nodes = [
            name
            for name, item in vars(module).items()
            if inspect.isclass(item)
            and issubclass(item, ReportNode)
            and item.__module__ == module_name
        ]
        assert nodes
        for name in nodes:
            assert getattr(report, name) is getattr(module, name), name
            assert name in report.__all__
    assert report.TerminationRightArisen.__name__ == "TerminationRightArisen"


def test_acme_outage_hours_are_credited_on_the_fee_of_the_api() -> None:
    # contracts/acme-hosting.sla, clause 4.2 (`service api`): a day of the API's 4,000 EUR per
    # started hour. The sample log with one more outage of 61 minutes on 20 April, evaluated on
    # 10 May, when April is over and after the baseline: 2 started hours × 4000 ÷ 30 days =
    # 266.666666667 EUR, under the cap of one month's fee.
    log = REPO / "contracts" / "acme-hosting" / "events.jsonl"
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    records.append(
        {
            "type": "outage",
            "id": "OUT-3",
            "start": "2026-04-20T10:00:00+02:00",
            "end": "2026-04-20T11:01:00+02:00",
        }
    )
    contract = obligo.load(REPO / "contracts" / "acme-hosting.sla")
    at = dt.datetime.fromisoformat("2026-05-10T00:00:00+02:00")
    report = obligo.evaluate(contract, records, at=at)
    (april,) = [c for c in report.consequences if c.clause == "4.2"]
    assert (april.period.label, april.service, april.supplier) == ("2026-04", "api", "nimbus")
    assert april.fee is not None and as_shown(april.fee.amount) == "4000"
    assert as_shown((april.before_caps, april.amount, april.reason)) == (
        "266.666666667",
        "266.67",
        None,
    )
    assert [(c.kind, c.bound) for c in april.caps] == [("period", False)]

"""The fee a consequence is reckoned on: from the contract (a rate per month, pro-rated by days
for part of a month), per region where fees differ, from billing records (pro-rated over what
they bill, missing, in another currency); the service and the supplier of a clause."""

from __future__ import annotations

import datetime as dt
from typing import Any

import obligo
from engine_helpers import parse
from obligo.report.model import Consequence, Report
from report_helpers import as_shown


def evaluate(text: str, records: list[dict[str, Any]], at: str) -> Report:
    return obligo.evaluate(parse(text), records, at=dt.datetime.fromisoformat(at))


def owed(report: Report, clause: str, period: str) -> Consequence:
    (found,) = [c for c in report.consequences if (c.clause, c.period.label) == (clause, period)]
    return found


def breach(month: str, region: str | None = None) -> dict[str, Any]:
    return {
        "type": "breach",
        "time": f"{month}-15T00:00:00Z",
        **({"region": region} if region else {}),
    }


PARTIAL = """
contract partial "A term that starts mid-month" version 1
  provider nimbus "Nimbus"
  supplier netco "NetCo"
  term 2026-01-10 to 2026-12-31
  timezone "UTC"
  currency EUR

service api "API"
  fee 3100 EUR monthly

service uplink "Uplink"
  fee 450 EUR quarterly
  delivered by netco

metric breaches "Breaches"
  count of breach records, per calendar month

clause 1 "API"
  service api
  credit 10% of the fee when breaches > 0
  credit 1 day of the fee when breaches > 1

clause 2 "Uplink"
  credit 10% of the fee of uplink when breaches > 0
"""


def test_a_partial_first_month_is_pro_rated_by_its_days() -> None:
    # 10 to 31 January: 22 of 31 days of 3100 = 2200; 10% = 220. A day of that period's fee:
    # 2200 ÷ 22 days = 100. February: the whole month, 3100.
    records = [breach("2026-01"), breach("2026-01"), breach("2026-02")]
    report = evaluate(PARTIAL, records, "2026-03-10T00:00:00Z")
    january = owed(report, "1", "2026-01")
    assert january.period.partial
    assert january.fee is not None
    assert as_shown((january.fee.amount, january.fee.detail)) == (
        "2200",
        "3100 EUR monthly × 22/31 = 2200 EUR",
    )
    assert as_shown([line.amount for line in january.lines]) == ["220", "100"]
    assert as_shown(january.amount) == "320.00"
    assert as_shown(owed(report, "1", "2026-02").amount) == "310.00"


def test_a_quarterly_fee_for_a_month_and_the_supplier_who_owes_it() -> None:
    # 450 EUR a quarter is 150 EUR a month: February is a whole month (of the quarterly
    # rate counted from 1 February: 28 of the 89 days of February to April).
    report = evaluate(PARTIAL, [breach("2026-02")], "2026-03-10T00:00:00Z")
    item = owed(report, "2", "2026-02")
    assert (item.service, item.supplier) == ("uplink", "netco")
    assert item.fee is not None and as_shown(item.fee.amount) == "141.573033708"  # 450 × 28/89
    assert as_shown(item.amount) == "14.16"
    assert owed(report, "1", "2026-02").supplier == "nimbus"  # no `delivered by`: the provider
    suppliers = {s.supplier: s.amounts[0].credits for s in report.totals.suppliers}
    assert as_shown(suppliers) == {"netco": "14.16", "nimbus": "310.00"}


REGIONS = """
contract regions "Fees per region" version 1
  term 2026-01-01
  timezone "UTC"
  currency GBP

service payments "Payments"
  fee 3000 GBP monthly where region = "eu"
  fee 2000 GBP monthly where region = "us"

metric eu-breaches "Breaches in the EU"
  count of breach records where region = "eu", per calendar month

metric all-breaches "Breaches anywhere"
  count of breach records, per calendar month

clause 1 "EU"
  service payments
  credit 10% of the fee when eu-breaches > 0

clause 2 "Everywhere"
  service payments
  credit 10% of the fee when all-breaches > 0
"""


def test_a_fee_where_region_is_chosen_by_the_metrics_own_filter() -> None:
    report = evaluate(REGIONS, [breach("2026-01", "eu")], "2026-02-10T00:00:00Z")
    assert as_shown(owed(report, "1", "2026-01").amount) == "300.00"  # the eu fee
    everywhere = owed(report, "2", "2026-01")
    assert as_shown(everywhere.amount) == "500.00"  # both fees: the service's whole fee
    assert everywhere.fee is not None
    assert everywhere.fee.detail == (
        '3000 GBP monthly (where region = "eu") + 2000 GBP monthly (where region = "us") = 5000 GBP'
    )


INVOICED = """
contract invoiced "Fees from invoices" version 1
  term 2026-01-01
  timezone "UTC"
  currency USD
  billing cycle monthly from 2026-01-15

service warehouse "Warehouse"
  fee from invoice records where service = "warehouse"

metric breaches "Breaches"
  count of breach records, per billing cycle

clause 1 "Warehouse"
  service warehouse
  credit 10% of the fee when breaches > 0
"""


IN_THE_CYCLE = {"type": "breach", "time": "2026-02-01T00:00:00Z"}  # 15 January to 14 February


def invoice(period: str, amount: str, currency: str = "USD") -> dict[str, Any]:
    return {
        "type": "invoice",
        "service": "warehouse",
        "period": period,
        "amount": amount,
        "currency": currency,
    }


def test_invoices_are_pro_rated_over_the_days_they_bill() -> None:
    # The cycle 15 January to 14 February: 17/31 of January's 3100 + 14/28 of February's 2800.
    records = [invoice("2026-01", "3100.00"), invoice("2026-02", "2800.00"), IN_THE_CYCLE]
    report = evaluate(INVOICED, records, "2026-03-20T00:00:00Z")
    item = owed(report, "1", "2026-01-15/2026-02-14")
    assert item.fee is not None
    assert as_shown((item.fee.amount, item.fee.source)) == ("3100", "billing_records")
    assert item.fee.detail == (
        "invoice records: 2026-01 3100.00 USD × 17/31; 2026-02 2800.00 USD × 1/2 = 3100 USD"
    )
    assert as_shown(item.amount) == "310.00"


def test_a_missing_invoice_leaves_the_amount_unknown_and_another_currency_is_left_out() -> None:
    records = [invoice("2026-02", "2800.00", "EUR"), IN_THE_CYCLE]
    report = evaluate(INVOICED, records, "2026-03-20T00:00:00Z")
    item = owed(report, "1", "2026-01-15/2026-02-14")
    assert item.amount is None
    assert item.reason == (
        "breaches 1 record > 0: no invoice records of warehouse for the period"
        " (left out: 2026-02: in EUR, not USD)"
    )
    assert report.totals.without_amount == 1
    assert as_shown(report.totals.contract[0].credits) == "0.00"


def test_invoices_that_bill_part_of_the_period_leave_the_fee_unknown() -> None:
    # January's invoice bills 17 of the cycle's 31 days (15 January to 14 February); February's
    # is missing. A smaller fee would shrink the credit silently: the amount is not known.
    records = [invoice("2026-01", "3100.00"), IN_THE_CYCLE]
    report = evaluate(INVOICED, records, "2026-03-20T00:00:00Z")
    item = owed(report, "1", "2026-01-15/2026-02-14")
    assert item.fee is not None
    assert item.fee.amount is None
    assert item.fee.detail == (
        "invoice records of warehouse bill 17 of the 31 days of the period: the fee is not known"
    )
    assert item.amount is None
    assert report.totals.without_amount >= 1


NO_SERVICE = """
contract two-services "Two services, a clause that names none" version 1
  provider nimbus "Nimbus"
  term 2026-01-01
  timezone "UTC"
  currency EUR

service api "API"
  fee 4000 EUR monthly

service uplink "Uplink"
  fee 1500 EUR monthly

metric breaches "Breaches"
  count of breach records, per calendar month

clause 1 "Breaches"
  credit 10% of the fee when breaches > 0
  penalty 100 EUR when breaches > 0
"""


def test_a_clause_of_no_single_service_cannot_take_a_share_of_a_fee() -> None:
    report = evaluate(NO_SERVICE, [breach("2026-01")], "2026-02-10T00:00:00Z")
    credit, penalty = report.consequences
    assert (credit.kind, credit.amount, credit.service, credit.supplier) == (
        "credit",
        None,
        None,
        "nimbus",
    )
    assert credit.reason == (
        "breaches 1 record > 0: no service whose fee this is: give the clause a `service` line"
    )
    assert as_shown((penalty.kind, penalty.amount)) == ("penalty", "100.00")
    assert report.totals.services == []
    assert [s.supplier for s in report.totals.suppliers] == ["nimbus"]

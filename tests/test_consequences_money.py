"""Money of issue 13: fees per N days, penalties per breached group, fees of other periods,
credit formulas over measured values (``when breached``), one credit for one stretch of time,
and clauses whose lines name the fees of several services. Every amount is worked out by hand
beside its test."""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import obligo
from engine_helpers import parse
from obligo.engine.consequences.money import round_half_up
from obligo.engine.numbers import decimal_text
from obligo.render.text import report_text
from obligo.report.model import Consequence, Report
from obligo.syntax import printer
from report_helpers import as_shown

AT = "2026-03-02T00:00:00+00:00"


def evaluate(text: str, records: list[dict[str, Any]], at: str = AT) -> Report:
    return obligo.evaluate(parse(text), records, at=dt.datetime.fromisoformat(at))


def owed(
    report: Report,
    clause: str,
    period: str,
    kind: str = "credit",
    service: str | None = None,
) -> Consequence:
    found = [
        c
        for c in report.consequences
        if (c.clause, c.kind, c.period.label) == (clause, kind, period)
        and (service is None or c.service == service)
    ]
    assert len(found) == 1, [(c.clause, c.kind, c.period.label) for c in report.consequences]
    return found[0]


def amounts(report: Report) -> dict[tuple[str, str, str], str | None]:
    return {(c.clause, c.kind, c.period.label): as_shown(c.amount) for c in report.consequences}


def amount(report: Report, clause: str, period: str, kind: str = "credit") -> str | None:
    return as_shown(owed(report, clause, period, kind).amount)  # type: ignore[no-any-return]


def outage(start: str, seconds: int, **fields: Any) -> dict[str, Any]:
    begin = dt.datetime.fromisoformat(start)
    end = begin + dt.timedelta(seconds=seconds)
    return {"type": "outage", "start": begin.isoformat(), "end": end.isoformat(), **fields}


def errors(text: str) -> list[str]:
    contract = obligo.parse(textwrap.dedent(text).lstrip("\n"), "money.sla")
    return [d.format() for d in obligo.check(contract) if d.severity.name == "ERROR"]


# --------------------------------------------------------------------------- fees per N days
PER_DAYS = """
contract days "Fees per days" version 1
  term 2026-01-01
  timezone "UTC"
  currency EUR

service s "S"
  fee 30 EUR per 30 days

service w "W"
  fee 7 EUR per week

service b "B"
  fee 56 EUR per billing cycle of 28 days

metric down "Down"
  total duration of outage records, per calendar month

clause 1 "S"
  service s
  credit 10% of the fee when down > 0 h

clause 2 "W"
  service w
  credit 10% of the fee when down > 0 h

clause 3 "B"
  service b
  credit 10% of the fee when down > 0 h
"""


def test_a_fee_per_n_days_is_a_rate_per_day() -> None:
    records = [outage("2026-01-05T00:00:00+00:00", 3600), outage("2026-02-05T00:00:00+00:00", 60)]
    report = evaluate(PER_DAYS, records)
    # January: 31 days of 30 EUR per 30 days = 31 EUR, 10% = 3.10; February 28 EUR, 2.80.
    january = owed(report, "1", "2026-01")
    assert january.fee is not None
    assert january.fee.detail == "30 EUR per 30 days × 31/30 = 31 EUR"
    assert (amount(report, "1", "2026-01"), amount(report, "1", "2026-02")) == ("3.10", "2.80")
    # 7 EUR per week: 31/7 weeks in January = 31 EUR; February exactly 4 weeks = 28 EUR.
    assert owed(report, "2", "2026-01").fee.detail == "7 EUR weekly × 31/7 = 31 EUR"  # type: ignore[union-attr]
    assert (amount(report, "2", "2026-01"), amount(report, "2", "2026-02")) == (
        "3.10",
        "2.80",
    )
    # 56 EUR per billing cycle of 28 days: 2 EUR a day: January 62 EUR, February 56 EUR.
    assert (amount(report, "3", "2026-01"), amount(report, "3", "2026-02")) == (
        "6.20",
        "5.60",
    )


def test_a_fee_per_days_prints_as_per_n_days() -> None:
    text = printer.print_contract(obligo.parse(PER_DAYS, "days.sla"))
    assert "  fee 30 EUR per 30 days\n" in text
    assert "  fee 7 EUR weekly\n" in text  # per week is weekly
    assert "  fee 56 EUR per 28 days\n" in text  # a billing cycle of 28 days is 28 days


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("fee 30 EUR per 0 days", "6:18: error: a fee per 0 days is for no time at all"),
        (
            "fee 7 EUR per 4 hours",
            "6:17: error: a fee is per days, weeks, months, quarters or years, not per 4 h",
        ),
        (
            "fee 100 EUR per 1.5 months",
            "6:19: error: a fee per 1.5 months: write a whole number of months",
        ),
        (
            "fee 5 EUR per 2 business days",
            "6:17: error: a fee is per days, weeks, months, quarters or years, not per 2 business days",
        ),
    ],
)
def test_a_fee_per_a_time_that_is_no_rate_is_an_error_at_it(line: str, message: str) -> None:
    text = f"""
    contract c
      term 2026-01-01
      currency EUR

    service s
      {line}
    """
    found = errors(text)
    assert len(found) == 1 and found[0].startswith(f"money.sla:{message}"), found


def test_a_fee_per_a_word_that_is_no_unit_is_a_syntax_error_with_a_suggestion() -> None:
    with pytest.raises(obligo.ObligoError) as caught:
        obligo.parse("contract c\n\nservice s\n  fee 5 EUR per wek\n", "money.sla")
    assert '"wek" is not a unit of time' in str(caught.value)
    assert "week" in str(caught.value)


# ----------------------------------------------------------------- penalties per breached group
PER_GROUP = """
contract groups "Penalties per group" version 1
  term 2026-01-01
  timezone "UTC"
  currency EUR

service desk "Desk"
  fee 3000 EUR monthly

metric wait "Mean wait per priority"
  mean of minutes in ticket records, per calendar month, by priority

clause 1 "Per priority"
  service desk
  promise wait <= 10
  penalty 500 EUR per breached month and group

clause 2 "Once"
  service desk
  promise wait <= 10
  penalty 500 EUR per breached month

clause 3 "P1 and P3 named"
  service desk
  promise wait for "P1" <= 10
  promise wait for "P3" <= 25
  penalty 1% of the fee per breached month and group
"""


def ticket(day: str, priority: str, minutes: int) -> dict[str, Any]:
    return {
        "type": "ticket",
        "time": f"{day}T10:00:00+00:00",
        "priority": priority,
        "minutes": minutes,
    }


def test_a_penalty_per_breached_group_is_owed_once_per_group_that_breached() -> None:
    records = [
        ticket("2026-01-10", "P1", 5),
        ticket("2026-01-10", "P2", 5),
        ticket("2026-02-10", "P1", 20),  # breached
        ticket("2026-02-10", "P2", 5),  # met
        ticket("2026-02-10", "P3", 30),  # breached
    ]
    report = evaluate(PER_GROUP, records)
    february = owed(report, "1", "2026-02", "penalty")
    # Two groups breached: 2 × 500 EUR; clause 2 (once per breached month): 500 EUR.
    assert as_shown(february.amount) == "1000.00"
    assert [(line.group, line.arithmetic) for line in february.lines] == [
        ("P1", 'group "P1" breached in 2026-02: 500 EUR'),
        ("P3", 'group "P3" breached in 2026-02: 500 EUR'),
    ]
    assert amount(report, "2", "2026-02", "penalty") == "500.00"
    # Clause 3 promises P1 (20 > 10) and P3 (30 > 25): both breached,
    # 2 × 1% of 3000 EUR = 60.00 EUR.
    assert amount(report, "3", "2026-02", "penalty") == "60.00"
    assert ("1", "penalty", "2026-01") not in amounts(report)


def test_a_penalty_per_group_on_a_clause_without_groups_is_a_warning_at_it() -> None:
    text = textwrap.dedent(
        """
        contract c
          timezone "UTC"
          currency EUR

        metric down
          total duration of outage records, per calendar month

        clause 1
          promise down <= 1 h
          penalty 5 EUR per breached month and group
        """
    ).lstrip("\n")
    found = [d.format() for d in obligo.check(obligo.parse(text, "money.sla"))]
    assert len(found) == 1
    assert found[0].startswith(
        "money.sla:10:17: warning: clause 1 has no promise per group: `per breached month and"
        " group` is due once per breached month"
    ), found


# ------------------------------------------------------------------ the fee of another period
OTHER_PERIOD = """
contract before "The fee of another period" version 1
  term 2026-01-01
  timezone "UTC"
  currency EUR

service s "Metered"
  fee from invoice records

metric down "Down"
  total duration of outage records, per calendar month

clause 1 "The month before"
  service s
  credit 10% of the fee of the month before when down > 1 h

clause 2 "The last three months"
  service s
  credit 10% of the average fee of the last 3 months when down > 1 h

clause 3 "A day of the month before"
  service s
  credit 1 day of the fee of the month before when down > 1 h
"""


def invoice(period: str, amount: str) -> dict[str, Any]:
    return {"type": "invoice", "period": period, "amount": amount, "currency": "EUR"}


INVOICES = [
    invoice("2026-01", "3000"),
    invoice("2026-02", "4500"),
    invoice("2026-03", "6000"),
    invoice("2026-04", "1000"),
]


def test_the_fee_of_the_month_before_and_the_average_of_the_last_three() -> None:
    records = [*INVOICES, outage("2026-04-10T00:00:00+00:00", 7200)]
    report = evaluate(OTHER_PERIOD, records, "2026-05-02T00:00:00+00:00")
    # April: the month before is March, 6000 EUR: 10% = 600.00 (not April's 1000).
    april = owed(report, "1", "2026-04")
    assert as_shown(april.amount) == "600.00"
    assert april.lines[0].arithmetic == (
        "down 7200 s > 1 h: 10% × 6000 EUR (the fee of the month before, 2026-03-01 to"
        " 2026-03-31) = 600 EUR"
    )
    assert april.fee is not None and april.fee.detail.startswith(
        "the fee of the month before, 2026-03-01 to 2026-03-31: invoice records"
    )
    # The average of January to March: (3000 + 4500 + 6000) ÷ 3 = 4500; 10% = 450.00.
    assert amount(report, "2", "2026-04") == "450.00"
    assert (
        owed(report, "2", "2026-04")
        .lines[0]
        .arithmetic.endswith(
            "10% × 13500 EUR ÷ 3 months (the average fee of the last 3 months,"
            " 2026-01-01 to 2026-03-31) = 450 EUR"
        )
    )
    # A day of March's fee: 6000 ÷ 31 = 193.548387…
    assert amount(report, "3", "2026-04") == "193.55"


def test_before_the_term_there_is_no_fee_and_the_average_counts_the_months_of_the_term() -> None:
    records = [
        *INVOICES,
        outage("2026-01-10T00:00:00+00:00", 7200),
        outage("2026-02-10T00:00:00+00:00", 7200),
    ]
    report = evaluate(OTHER_PERIOD, records, "2026-03-02T00:00:00+00:00")
    # January has no month before in the term: listed without an amount, with the reason.
    january = owed(report, "1", "2026-01")
    assert january.amount is None
    assert january.reason == (
        "down 7200 s > 1 h: no whole month of the term (2026-01-01 on) before 2026-01-01: the fee of the month"
        " before is not known"
    )
    # February: of the last 3 months only January is in the term: 10% × 3000 = 300.00.
    assert amount(report, "2", "2026-02") == "300.00"
    assert "1 of them in the term" in owed(report, "2", "2026-02").lines[0].arithmetic


def test_a_missing_invoice_of_the_month_before_leaves_the_amount_unknown() -> None:
    records = [
        invoice("2026-01", "3000"),
        invoice("2026-03", "6000"),
        outage("2026-03-10T00:00:00+00:00", 7200),
    ]
    report = evaluate(OTHER_PERIOD, records, "2026-04-02T00:00:00+00:00")
    march = owed(report, "1", "2026-03")
    assert march.amount is None
    assert march.reason is not None and "no invoice records of s for the period" in march.reason


@pytest.mark.parametrize(
    ("amount_text", "message"),
    [
        (
            "10% of the fee of the period before",
            "8:25: error: the fee of the period before: name a calendar unit",
        ),
        (
            "10% of the average fee of the last 0 months",
            "8:45: error: an average of the fees of the last 0 periods has nothing to average",
        ),
    ],
)
def test_another_period_that_is_no_calendar_unit_is_an_error(
    amount_text: str, message: str
) -> None:
    text = f"""
    contract c
      timezone "UTC"
      currency EUR
    service s
      fee 100 EUR monthly
    clause 1
      service s
      credit {amount_text} when down > 1 h
    metric down
      total duration of outage records, per calendar month
    """
    found = errors(text)
    assert len(found) == 1 and found[0].startswith(f"money.sla:{message}"), found


# -------------------------------------------------------------- formulas over measured values
FORMULAS = """
contract formulas "Formulas" version 1
  term 2026-03-01
  timezone "UTC"
  currency EUR

service s "S"
  fee 3000 EUR monthly

metric outage-time "Outage"
  total duration of outage records, per calendar month

metric scheduled-time "Scheduled"
  total duration of schedule records, per calendar month

metric affected "Sites affected"
  ratio of count(site records where affected = true) to count(site records), per calendar month

clause 1 "Ten times the fee for the downtime"
  service s
  promise outage-time <= 1 h
  credit 10 times the fee for outage-time when breached

clause 2 "Always"
  service s
  credit 10 * the fee for outage-time

clause 3 "Scheduled"
  service s
  promise outage-time <= 1 h
  credit 25 * outage-time / scheduled-time * the fee when breached

clause 4 "Weighted"
  service s
  promise outage-time <= 1 h
  credit 10% * the fee * affected when breached

clause 5 "Per started hour, only when breached"
  service s
  promise outage-time <= 1 h
  credit 1 day of the fee per started hour of outage-time when breached
  penalty 10 EUR per full hour of outage-time when breached
"""


def span(kind: str, start: str, seconds: int, **fields: Any) -> dict[str, Any]:
    return {**outage(start, seconds, **fields), "type": kind}


FORMULA_RECORDS = [
    span("outage", "2026-03-10T00:00:00+00:00", 1800),  # March: 30 min, met
    span("schedule", "2026-03-01T00:00:00+00:00", 3600),
    span("outage", "2026-04-10T00:00:00+00:00", 7200),  # April: 2 h, breached
    span("schedule", "2026-04-01T00:00:00+00:00", 360000),  # 100 scheduled hours
    span("outage", "2026-05-10T00:00:00+00:00", 7200),  # May: 2 h, breached, nothing scheduled
    *(
        {"type": "site", "time": "2026-04-02T00:00:00+00:00", "affected": i == 0} for i in range(4)
    ),  # one site of four affected in April, no site records in May
]


@pytest.fixture(scope="module")
def formulas() -> Report:
    return evaluate(FORMULAS, FORMULA_RECORDS, "2026-06-02T00:00:00+00:00")


def test_ten_times_the_fee_for_the_downtime_only_when_breached(formulas: Report) -> None:
    # April: 10 × 3000 × 7200 ÷ 2,592,000 (30 days) = 83.333…; May (31 days): 80.645…
    april = owed(formulas, "1", "2026-04")
    assert as_shown(april.amount) == "83.33"
    assert april.lines[0].arithmetic == (
        "10 × (the fee for outage-time: 3000 EUR (the fee of 2026-04) × 7200 s ÷ 2592000 s of"
        " 2026-04) = 83.333333333 EUR"
    )
    assert april.lines[0].rule == "10 * the fee for outage-time when breached"
    assert amount(formulas, "1", "2026-05") == "80.65"
    # March met the promise: nothing with `when breached` ...
    assert ("1", "credit", "2026-03") not in amounts(formulas)
    # ... and without it the formula is owed all the same: 10 × 3000 × 1800 ÷ 2,678,400.
    assert amount(formulas, "2", "2026-03") == "20.16"


def test_outage_over_scheduled_time_and_a_zero_divisor(formulas: Report) -> None:
    # April: 25 × 7200 ÷ 360000 × 3000 = 25 × 0.02 × 3000 = 1500.
    april = owed(formulas, "3", "2026-04")
    assert as_shown(april.amount) == "1500.00"
    assert april.lines[0].arithmetic == (
        "25 × outage-time 7200 s ÷ scheduled-time 360000 s × 3000 EUR (the fee of 2026-04)"
        " = 1500 EUR"
    )
    # May: nothing scheduled, the divisor is 0: no amount, the reason, no crash.
    may = owed(formulas, "3", "2026-05")
    assert may.amount is None
    assert may.reason == (
        "the formula divides by scheduled-time, which is 0 in 2026-05: no amount can be computed"
    )
    assert formulas.totals.without_amount >= 1


def test_a_credit_weighted_by_the_share_of_sites_affected(formulas: Report) -> None:
    # April: 10% × 3000 × 25% = 75.
    april = owed(formulas, "4", "2026-04")
    assert as_shown(april.amount) == "75.00"
    assert (
        april.lines[0].arithmetic == "10% × 3000 EUR (the fee of 2026-04) × affected 25% = 75 EUR"
    )
    # May is breached but no site was counted: listed without an amount, with the reason.
    may = owed(formulas, "4", "2026-05")
    assert (may.amount, may.reason) == (None, "no value of affected in 2026-05")


def test_per_unit_formulas_and_penalties_when_breached(formulas: Report) -> None:
    # April: 2 started hours × 3000 ÷ 30 = 200; penalty 2 full hours × 10 = 20. March (30 min,
    # met) owes neither, although the formula would count 1 started hour.
    assert amount(formulas, "5", "2026-04") == "200.00"
    assert amount(formulas, "5", "2026-04", "penalty") == "20.00"
    assert ("5", "credit", "2026-03") not in amounts(formulas)
    assert ("5", "penalty", "2026-03") not in amounts(formulas)


def test_a_formula_prints_back_in_its_canonical_form() -> None:
    text = printer.print_contract(obligo.parse(FORMULAS, "f.sla"))
    assert "  credit 10 * the fee for outage-time when breached\n" in text
    assert "  credit 25 * outage-time / scheduled-time * the fee when breached\n" in text
    again = "contract c\n\nclause 1\n  credit 2 * (3 * 500 EUR) / (x / y)\n"
    assert printer.print_contract(obligo.parse(again, "f.sla")) == again


FORMULA_HEAD = """
contract c
  timezone "UTC"
  currency EUR
service s
  fee 100 EUR monthly
metric down
  total duration of outage records, per calendar month
metric up
  availability, per calendar quarter
  down during outage records
metric roll
  total duration of outage records, over a rolling 30 days
clause 1
  service s
"""


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "credit 25 * down * the fee",
            "15:10: error: the formula gives money × time, not an amount of money",
        ),
        ("credit 2 * 500 EUR / 7", "15:10: error: a formula reads at least one metric"),
        (
            "credit 10 times the fee for up",
            "15:19: error: the fee for up: up is not measured as a duration",
        ),
        (
            "credit the fee * down / roll",
            "15:27: error: roll is measured over rolling windows: a formula reads metrics per"
            " period",
        ),
        (
            "credit 2 * the fee * down / down * up",
            "15:10: error: the metrics of a formula are measured over different periods: down, up",
        ),
        (
            "credit 2 * the fee * down / downn",
            '15:31: error: unknown metric "downn"',
        ),
        (
            "credit 2 * the fee * down / down when breached",
            "15:36: error: clause 1 has no promise: `when breached` never holds",
        ),
    ],
)
def test_a_formula_that_gives_no_amount_is_an_error_at_its_place(line: str, message: str) -> None:
    found = errors(FORMULA_HEAD + f"  {line}\n")
    assert any(f.startswith(f"money.sla:{message}") for f in found), found


def test_when_breached_on_a_penalty_per_breached_month_is_an_error() -> None:
    text = (
        FORMULA_HEAD + "  promise down <= 1 h\n  penalty 5 EUR per breached month when breached\n"
    )
    found = errors(text)
    assert len(found) == 1
    assert found[0].startswith(
        "money.sla:16:36: error: a penalty per breached month is owed only when breached already"
    ), found


# ------------------------------------------------------- one clause, several services and suppliers
SUPPLIERS = """
contract suppliers "One clause, two suppliers" version 1
  provider nimbus "Nimbus"
  supplier netco "NetCo"
  customer acme "Acme"
  term 2026-01-01
  timezone "UTC"
  currency EUR

service api "API"
  fee 4000 EUR monthly
  delivered by nimbus

service uplink "Uplink"
  fee 1000 EUR monthly
  delivered by netco

metric down "Down"
  total duration of outage records, per calendar month

clause 1 "Availability of the whole"
  service api
  promise down <= 1 h
  credit 10% of the fee when down > 1 h
  credit 20% of the fee of uplink when down > 1 h
  cap 15% of the fee per month
"""


def test_each_line_is_owed_by_the_supplier_of_the_service_whose_fee_it_names() -> None:
    records = [outage("2026-01-10T00:00:00+00:00", 7200), outage("2026-02-10T00:00:00+00:00", 7200)]
    report = evaluate(SUPPLIERS, records)
    api = owed(report, "1", "2026-01", service="api")
    uplink = owed(report, "1", "2026-01", service="uplink")
    # api: 10% × 4000 = 400 (nimbus); uplink: 20% × 1000 = 200 (netco). The cap (15% of the
    # fee) is reckoned on each service's own fee: 600 for api, 150 for uplink, which binds.
    assert (api.supplier, as_shown(api.amount)) == ("nimbus", "400.00")
    assert (uplink.supplier, as_shown(uplink.amount)) == ("netco", "150.00")
    assert uplink.fee is not None and uplink.fee.service == "uplink"
    assert [as_shown(step.limit) for step in uplink.caps] == ["150"]
    suppliers = {name.supplier: name for name in report.totals.suppliers}
    # Two months: nimbus 2 × 400, netco 2 × 150.
    assert as_shown(suppliers["nimbus"].amounts[0].credits) == "800.00"
    assert as_shown(suppliers["netco"].amounts[0].credits) == "300.00"
    assert as_shown(report.totals.contract[0].credits) == "1100.00"
    # NetCo's position: 150.00 claimable from it in January; the net position: 400.00 owed by
    # the provider (its own service), 150.00 claimable from the supplier.
    netco = next(p for p in report.suppliers if p.supplier == "netco")
    january = next(r for r in netco.periods if r.period.label == "2026-01")
    assert as_shown(january.claimable[0].credits) == "150.00"
    net = next(n for n in report.net_position if n.period.label == "2026-01")
    assert (as_shown(net.owed_to_customer), as_shown(net.claimable_from_suppliers)) == (
        "400.00",
        "150.00",
    )


def test_the_text_report_names_the_service_and_supplier_of_each_part_of_a_split_clause() -> None:
    records = [outage("2026-01-10T00:00:00+00:00", 7200)]
    text = report_text([evaluate(SUPPLIERS, records)])
    assert "  1 credit (api, owed by nimbus) 2026-01: 400.00 EUR" in text
    assert "  1 credit (uplink, owed by netco) 2026-01: 150.00 EUR" in text


# ------------------------------------------------------------- one credit for one stretch of time
LARGEST = """
contract largest "One credit for one stretch of time" version 1
  term 2026-01-01
  timezone "UTC"
  currency EUR

service api "API"
  fee 3100 EUR monthly

metric uptime "Availability"
  availability of api, per calendar month
  down during outage records where service = "api"

metric outage-hours "API outage"
  total duration of outage records where service = "api", per calendar month

metric db-outage "Database outage"
  total duration of outage records where service = "db", per calendar month

clause 1 "Availability"
  service api
  promise uptime >= 99.9%
  credit 10% of the fee when uptime < 99.9%
  credit only the largest with clauses 2, 3 for the same time

clause 2 "API outage hours"
  service api
  credit 1 day of the fee per started hour of outage-hours

clause 3 "Database outage hours"
  service api
  credit 1 day of the fee per started hour of db-outage
"""


def test_only_the_largest_credit_for_overlapping_failures_in_a_period() -> None:
    records = [
        outage("2026-01-10T00:00:00+00:00", 7200, service="api"),  # 2 h
        outage("2026-01-20T00:00:00+00:00", 18000, service="db"),  # 5 h, another time
        outage("2026-02-10T00:00:00+00:00", 18000, service="api"),  # 5 h
        outage("2026-02-10T04:00:00+00:00", 7200, service="db"),  # 2 h, overlapping it
    ]
    report = evaluate(LARGEST, records)
    # January: clause 1 10% × 3100 = 310; clause 2 2 h × 3100 ÷ 31 = 200, for the same outage:
    # only the largest (310) is owed. Clause 3's 5 h (500) fail at another time: owed.
    assert amount(report, "1", "2026-01") == "310.00"
    two = owed(report, "2", "2026-01")
    assert (as_shown(two.before_caps), as_shown(two.amount)) == ("200", "0.00")
    step = two.caps[-1]
    assert (step.kind, step.cap, as_shown(step.after), step.bound) == (
        "largest",
        "only the largest with clauses 2, 3 for the same time",
        "0",
        True,
    )
    assert step.arithmetic == (
        "clause 1 gives 310 EUR for failures over the same time in 2026-01 (both failing from"
        " 2026-01-10 00:00 to 2026-01-10 02:00): only the largest credit is owed"
    )
    assert amount(report, "3", "2026-01") == "500.00"
    # February: clause 2 5 h × 3100 ÷ 28 = 553.571…, the largest; clause 1 (310) and clause 3
    # (2 h × 3100 ÷ 28 = 221.43, overlapping 04:00 to 05:00) are not owed.
    assert amount(report, "2", "2026-02") == "553.57"
    assert amount(report, "1", "2026-02") == "0.00"
    assert amount(report, "3", "2026-02") == "0.00"
    assert as_shown(report.totals.contract[0].credits) == "1363.57"  # 310 + 500 + 553.57


def test_credits_without_the_line_add_up() -> None:
    text = LARGEST.replace("  credit only the largest with clauses 2, 3 for the same time\n", "")
    records = [outage("2026-01-10T00:00:00+00:00", 7200, service="api")]
    report = evaluate(text, records)
    assert (amount(report, "1", "2026-01"), amount(report, "2", "2026-01")) == ("310.00", "200.00")


def test_the_largest_only_line_names_clauses_that_exist_and_not_itself() -> None:
    text = LARGEST.replace("with clauses 2, 3 for", "with clauses 2, 9, 1 for")
    found = errors(text)
    assert [f.splitlines()[0] for f in found] == [
        'money.sla:23:43: error: unknown clause "9" (the clauses declared are 1, 2, 3)',
        "money.sla:23:46: error: clause 1 names itself: the largest credit is of this clause and"
        " the others named",
    ]


# ------------------------------------------------------------------------------- invariants
SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PROPERTY = """
contract property "Formulas and the largest credit" version 1
  term 2026-01-01
  timezone "Europe/Berlin"
  currency EUR

service api "API"
  fee 1234.57 EUR monthly

metric outage-time "Outage time"
  total duration of outage records, per calendar month

clause 1 "Times the fee for the downtime"
  service api
  promise outage-time <= 1 h
  credit 7 times the fee for outage-time
  credit only the largest with clause 2 for the same time

clause 2 "A day per started hour"
  service api
  promise outage-time <= 1 h
  credit 1 day of the fee per started hour of outage-time
"""


@SETTINGS
@given(
    seconds=st.integers(min_value=1, max_value=5 * 86_400),
    day=st.integers(min_value=1, max_value=20),
)
def test_a_formula_is_its_exact_value_rounded_once_and_only_the_largest_is_owed(
    seconds: int, day: int
) -> None:
    start = dt.datetime(2026, 3, day, 6, tzinfo=dt.UTC).isoformat()
    report = evaluate(PROPERTY, [outage(start, seconds)], "2026-05-02T00:00:00+00:00")
    # March in Berlin: 31 local days, 2,678,400 s of the fee (a DST day is still a day).
    one = Fraction(7) * Fraction("1234.57") * seconds / (31 * 86_400)
    two = Fraction("1234.57") / 31 * math.ceil(Fraction(seconds, 3600))
    first, second = owed(report, "1", "2026-03"), owed(report, "2", "2026-03")
    assert as_shown(first.before_caps) == as_shown(_exact(one))
    assert as_shown(second.before_caps) == as_shown(_exact(two))
    # Both are for the same outage: the larger is owed, rounded once; the other is 0.00.
    largest = max(one, two)
    owed_amounts = sorted([first.amount, second.amount])
    assert owed_amounts == sorted([Decimal("0.00"), round_half_up(largest, 2)])
    assert report.totals.contract[0].credits == round_half_up(largest, 2)


def _exact(value: Fraction) -> str:
    return decimal_text(value)

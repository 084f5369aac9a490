"""The agreement part of the language: the contract header and its block, imports, services,
business calendars and exclusions. Each construct: the model it builds, and its typical mistakes
with their message and exact location."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import obligo
from obligo.model import (
    Calendar,
    Contract,
    Duration,
    Exclusion,
    Money,
    Party,
    Percent,
    Service,
    SourceLocation,
    Term,
    without_locations,
)
from obligo.model.base import Boolean, Text
from obligo.model.conditions import Compare, Selection
from obligo.model.contract import (
    BillingCycle,
    Fee,
    FieldMapping,
    Level,
    Margins,
    NoticeRule,
    Renewal,
    Underlying,
    WeeklyHours,
    WindowRule,
)

Parse = Callable[[str], Contract]
ParseOne = Callable[[str], Any]
Error = Callable[[str], obligo.ObligoError]


def same(left: Any, right: Any) -> None:
    assert without_locations(left) == without_locations(right)


def days(n: int | str, unit: str = "day", business: bool = False) -> Duration:
    return Duration(amount=Decimal(str(n)), unit=unit, business=business)


# ------------------------------------------------------------------------------ the contract
FULL_HEADER = """\
contract acme-hosting "Managed hosting" version 3
  kind customer-based
  provider nimbus "Nimbus Cloud Ltd"
  supplier netco
  customer acme "Acme Corp" represented by "Head of IT"
  term 2026-01-01 to 2027-06-30, renews yearly, notice 90 days
  timezone "Europe/Berlin"
  currency EUR
  billing cycle monthly from 2026-01-15
  map begin_time to start in incident records
  map sev to severity
  margins wide at most 20%, narrow above 80.5%
  description "Hosting with \\"quotes\\""
"""


def test_contract_header_and_block(parse_sla: Parse) -> None:
    contract = parse_sla(FULL_HEADER)
    assert contract.id == "acme-hosting"
    assert contract.title == "Managed hosting"
    assert contract.version == "3"
    assert contract.kind == "customer-based"
    assert contract.description == 'Hosting with "quotes"'
    assert contract.timezone == "Europe/Berlin"
    assert contract.currency == "EUR"
    same(
        contract.parties,
        (
            Party(id="nimbus", role="provider", title="Nimbus Cloud Ltd"),
            Party(id="netco", role="supplier"),
            Party(id="acme", role="customer", title="Acme Corp", representative="Head of IT"),
        ),
    )
    same(
        contract.term,
        Term(
            start=dt.date(2026, 1, 1),
            end=dt.date(2027, 6, 30),
            renewal=Renewal(every=days(1, "year")),
            notice=days(90),
        ),
    )
    same(
        contract.billing_cycle,
        BillingCycle(every=days(1, "month"), anchor=dt.date(2026, 1, 15)),
    )
    same(
        contract.mappings,
        (
            FieldMapping(source="begin_time", target="start", record_type="incident"),
            FieldMapping(source="sev", target="severity"),
        ),
    )
    same(
        contract.margins,
        Margins(
            wide_at_most=Percent(value=Decimal("20")), narrow_above=Percent(value=Decimal("80.5"))
        ),
    )
    assert contract.level is None
    assert contract.imports == contract.services == contract.clauses == ()


def test_minimal_contract(parse_sla: Parse) -> None:
    contract = parse_sla("contract c\n")
    assert (contract.id, contract.title, contract.version, contract.term) == ("c", None, None, None)
    assert contract.parties == ()


@pytest.mark.parametrize(
    ("line", "version"),
    [("version 3", "3"), ("version 3.5", "3.5"), ('version "2026-a"', "2026-a")],
)
def test_version(parse_sla: Parse, line: str, version: str) -> None:
    assert parse_sla(f'contract c "T" {line}\n').version == version


def test_contract_locations(parse_sla: Parse) -> None:
    contract = parse_sla(FULL_HEADER)
    assert contract.loc == SourceLocation(file="test.sla", line=1, column=1)
    assert contract.parties[0].loc == SourceLocation(file="test.sla", line=3, column=12)
    assert contract.parties[2].loc == SourceLocation(file="test.sla", line=5, column=12)
    assert contract.term is not None
    assert contract.term.loc == SourceLocation(file="test.sla", line=6, column=3)
    assert contract.term.notice is not None
    assert contract.term.notice.loc == SourceLocation(file="test.sla", line=6, column=56)
    assert contract.mappings[1].loc == SourceLocation(file="test.sla", line=11, column=3)
    assert contract.margins is not None
    assert contract.margins.narrow_above.loc.column == 42


@pytest.mark.parametrize("kind", ["service-based", "customer-based", "multi-level"])
def test_kind(parse_sla: Parse, kind: str) -> None:
    assert parse_sla(f"contract c\n  kind {kind}\n").kind == kind


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("level corporate", Level(level="corporate")),
        ("level customer acme", Level(level="customer", name="acme")),
        ("level service api", Level(level="service", name="api")),
        (
            "level service api for customer acme",
            Level(level="service", name="api", customer="acme"),
        ),
    ],
)
def test_level(parse_sla: Parse, line: str, level: Level) -> None:
    same(parse_sla(f"contract c\n  {line}\n").level, level)


@pytest.mark.parametrize(
    ("line", "term"),
    [
        ("term 2026-01-01", Term(start=dt.date(2026, 1, 1))),
        (
            "term 2026-01-01, renews every 2 years",
            Term(start=dt.date(2026, 1, 1), renewal=Renewal(every=days(2, "year"))),
        ),
        (
            "term 2026-01-01 to 2026-12-31, notice 3 months",
            Term(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), notice=days(3, "month")),
        ),
        (
            "term 2026-01-01, notice 30d, renews quarterly",
            Term(
                start=dt.date(2026, 1, 1),
                notice=days(30),
                renewal=Renewal(every=days(1, "quarter")),
            ),
        ),
    ],
)
def test_term(parse_sla: Parse, line: str, term: Term) -> None:
    same(parse_sla(f"contract c\n  {line}\n").term, term)


@pytest.mark.parametrize(
    ("word", "unit"),
    [("daily", "day"), ("weekly", "week"), ("monthly", "month"), ("quarterly", "quarter"),
     ("yearly", "year"), ("annually", "year")],
)  # fmt: skip
def test_billing_cycle_words(parse_sla: Parse, word: str, unit: str) -> None:
    cycle = parse_sla(f"contract c\n  billing cycle {word}\n").billing_cycle
    same(cycle, BillingCycle(every=days(1, unit)))


def test_backtick_names_in_header(parse_sla: Parse) -> None:
    contract = parse_sla(
        "contract `Odd Name`\n  provider `the provider`\n  map `Begin Time` to start\n"
    )
    assert contract.id == "Odd Name"
    assert contract.parties[0].id == "the provider"
    assert contract.mappings[0].source == "Begin Time"


def test_comments_and_blank_lines(parse_sla: Parse) -> None:
    contract = parse_sla(
        """\
        # a contract
        contract c "T"   # trailing comment

          # comment inside the block

          currency EUR # done
        # between declarations

        service s
        """
    )
    assert contract.currency == "EUR"
    assert [s.id for s in contract.services] == ["s"]


def test_windows_line_endings_and_bom(parse_sla: Parse) -> None:
    contract = parse_sla("\ufeffcontract c\r\n  currency EUR\r\nservice s\r\n")
    assert contract.currency == "EUR"
    assert contract.services[0].loc == SourceLocation(file="test.sla", line=3, column=9)


def test_text_without_final_newline(parse_sla: Parse) -> None:
    assert parse_sla("contract c\n  currency EUR").currency == "EUR"


# -------------------------------------------------------------------------------- mistakes
@pytest.mark.parametrize(
    ("text", "message", "line", "column", "hint"),
    [
        pytest.param(
            "contract c\n  kin customer-based\n",
            'unexpected "kin", expected one of',
            2, 3, 'did you mean "kind"?',
            id="misspelt-keyword",
        ),
        pytest.param(
            "contract c\n  kind customer-basd\n",
            '"customer-basd" is not a kind of agreement',
            2, 8, 'did you mean "customer-based"?',
            id="misspelt-kind",
        ),
        pytest.param(
            "contract c\n  level coporate\n",
            '"coporate" is not a level',
            2, 9, 'did you mean "corporate"?',
            id="misspelt-level",
        ),
        pytest.param(
            "contract c\n  level customer\n",
            "name the customer: level customer followed by its name",
            2, 9, None,
            id="level-without-name",
        ),
        pytest.param(
            "contract c\n  level corporate acme\n",
            "the corporate level applies to everyone",
            2, 3, None,
            id="corporate-with-name",
        ),
        pytest.param(
            "contract c\n  level customer acme for customer x\n",
            '"for customer" belongs to a service level',
            2, 3, None,
            id="customer-for-customer",
        ),
        pytest.param(
            "contract c\n  term 2026-02-30\n",
            '"2026-02-30" is not a date in the calendar',
            2, 8, "dates are YYYY-MM-DD",
            id="impossible-date",
        ),
        pytest.param(
            "contract c\n  term 2026-01-01 to 2026-13-01\n",
            '"2026-13-01" is not a date in the calendar',
            2, 22, "dates are YYYY-MM-DD",
            id="impossible-end-date",
        ),
        pytest.param(
            "contract c\n  term 2026-01-01, notice 90\n",
            "a notice period must be a duration, not a number",
            2, 27, "write it with a unit, such as 30 minutes, 4 hours or 2 days",
            id="notice-without-unit",
        ),
        pytest.param(
            "contract c\n  term 2026-01-01, notice 90 dayz\n",
            '"dayz" is not a unit',
            2, 30, 'did you mean "day"?',
            id="misspelt-unit",
        ),
        pytest.param(
            "contract c\n  term 2026-01-01, notice 90 business weeks\n",
            'a business duration is counted in minutes, hours or days, not "weeks"',
            2, 39, None,
            id="business-weeks",
        ),
        pytest.param(
            "contract c\n  term 2026-01-01, renews yearly, renews monthly\n",
            '"renews" is given twice in this line',
            2, 35, None,
            id="renews-twice",
        ),
        pytest.param(
            "contract c\n  term 2026-01-01, renews every 2\n",
            "a renewal must be a duration, not a number",
            2, 33, None,
            id="renewal-without-unit",
        ),
        pytest.param(
            "contract c\n  term 2026-01-01, renews montly\n",
            '"montly" is not a frequency',
            2, 27, 'did you mean "monthly"?',
            id="misspelt-frequency",
        ),
        pytest.param(
            "contract c\n  billing cycle fortnightly\n",
            '"fortnightly" is not a frequency',
            2, 17, "use daily, weekly, monthly, quarterly, yearly or annually",
            id="unknown-frequency",
        ),
        pytest.param(
            "contract c\n  billing cycle monthly from 2026-02-29\n",
            '"2026-02-29" is not a date in the calendar',
            2, 30, None,
            id="billing-anchor-not-a-date",
        ),
        pytest.param(
            "contract c\n  currency EUR\n  currency USD\n",
            '"currency" is given twice in this block',
            3, 3, "the first is on line 2",
            id="currency-twice",
        ),
        pytest.param(
            "contract c\n  term 2026-01-01\n  term 2027-01-01\n",
            '"term" is given twice in this block',
            3, 3, "the first is on line 2",
            id="term-twice",
        ),
        pytest.param(
            "contract c\n  billing cycle monthly\n  billing cycle yearly\n",
            '"billing cycle" is given twice in this block',
            3, 3, "the first is on line 2",
            id="billing-twice",
        ),
        pytest.param(
            "contract c\n  currency eur\n",
            'unexpected "eur", expected a currency code (EUR)',
            2, 12, None,
            id="lowercase-currency",
        ),
        pytest.param(
            "contract c\n  margins wide at most 20, narrow above 80%\n",
            'unexpected "20", expected a percentage (99.9%)',
            2, 24, None,
            id="margin-without-percent",
        ),
        pytest.param(
            'contract c "C\n',
            'this text has no closing quote (")',
            1, 12, None,
            id="title-missing-quote",
        ),
        pytest.param(
            "contract c C\n",
            'unexpected character "C", expected "version", a quoted text ("...") or the end of the line',
            1, 12, None,
            id="title-without-quotes",
        ),
        pytest.param(
            'contract c\n  customer acme "Acme #1" represented by\n',
            'unexpected end of the line, expected a quoted text ("...")',
            2, 41, None,
            id="missing-value-after-hash-in-text",
        ),
        pytest.param(
            "contract c\n  map a to b in incident\n",
            'unexpected end of the line, expected "records"',
            2, 25, None,
            id="mapping-without-records",
        ),
        pytest.param(
            "contract c\ncontract d\n",
            "a file declares one contract; this is the second",
            2, 1, "the first is on line 1",
            id="two-contracts",
        ),
        pytest.param(
            "service s\n",
            "a contract file declares its contract",
            1, 1, None,
            id="no-contract",
        ),
        pytest.param(
            "# only a comment\n",
            "a contract file declares its contract",
            1, 1, None,
            id="only-a-comment",
        ),
        pytest.param(
            "",
            "a contract file declares its contract",
            1, 1, None,
            id="empty-file",
        ),
    ],
)  # fmt: skip
def test_header_mistakes(
    sla_error: Error, text: str, message: str, line: int, column: int, hint: str | None
) -> None:
    error = sla_error(text)
    assert error.message.startswith(message), error.message
    assert (error.line, error.column) == (line, column), error
    if hint is not None:
        assert error.hint == hint


def test_syntax_and_semantic_error_classes(sla_error: Error) -> None:
    assert isinstance(sla_error("contract c\n  kin x\n"), obligo.ObligoSyntaxError)
    assert isinstance(sla_error("contract c\n  kind x\n"), obligo.ObligoSemanticError)


def test_error_carries_source_line_and_formats_caret(sla_error: Error) -> None:
    error = sla_error("contract c\n  term 2026-01-01, notice 90\n")
    assert error.source_line == "  term 2026-01-01, notice 90"
    assert str(error).splitlines() == [
        "test.sla:2:27: error: a notice period must be a duration, not a number"
        " (write it with a unit, such as 30 minutes, 4 hours or 2 days)",
        "    term 2026-01-01, notice 90",
        "                            ^",
    ]


def test_error_line_is_counted_in_newlines_only(sla_error: Error) -> None:
    # A form feed or a line separator inside a comment or a text is not a line break.
    error = sla_error('contract c # a\x0cb\n  description "x\u2028y"\n  kind\n')
    assert (error.line, error.column) == (3, 7)
    assert error.source_line == "  kind"
    error = sla_error("contract c # a\x0cb\n  kind foo-bar\n")
    assert (error.line, error.column, error.source_line) == (2, 8, "  kind foo-bar")


# --------------------------------------------------------------------------------- imports
def test_import(tmp_path: Path) -> None:
    (tmp_path / "corporate.sla").write_text("contract corporate\n  level corporate\n")
    text = 'import "corporate.sla"\ncontract c\n  level customer acme\n'
    contract = obligo.parse(text, filename="test.sla", base_dir=tmp_path)
    assert [i.path for i in contract.imports] == ["corporate.sla"]
    assert contract.imports[0].loc == SourceLocation(file="test.sla", line=1, column=1)
    assert [c.id for c in contract.imported] == ["corporate"]


def test_import_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(obligo.ObligoSemanticError) as info:
        obligo.parse('contract c\nimport "nope.sla"\n', filename="test.sla", base_dir=tmp_path)
    assert info.value.message.startswith("cannot import")
    assert (info.value.line, info.value.column) == (2, 1)


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        (
            "contract c\nimport corporate.sla\n",
            'unexpected "corporate", expected a quoted text',
            2,
            8,
        ),
        ('contract c\nimport ""\n', '"" is not the name of a contract file', 2, 8),
        (
            'contract c\nimport "a\x00b"\n',
            "a quoted text holds the control character U+0000",
            2,
            10,
        ),
    ],
)
def test_import_mistakes(sla_error: Error, text: str, message: str, line: int, column: int) -> None:
    error = sla_error(text)
    assert message in error.message
    assert (error.line, error.column) == (line, column)


# -------------------------------------------------------------------------------- services
def test_service(parse_one: ParseOne) -> None:
    service = parse_one(
        """\
        service api "Public API"
          description "the API"
          fee 4000 EUR monthly
          fee 100.50 USD yearly where region = "eu"
          delivered by netco under "netco.sla" ending 2026-12-31
          depends on "lease-42" ending 2027-01-01
        """
    )
    same(
        service,
        Service(
            id="api",
            title="Public API",
            description="the API",
            fees=(
                Fee(money=Money(amount=Decimal("4000"), currency="EUR"), every=days(1, "month")),
                Fee(
                    money=Money(amount=Decimal("100.50"), currency="USD"),
                    every=days(1, "year"),
                    where=Compare(field="region", op="=", value=Text(value="eu")),
                ),
            ),
            delivered_by="netco",
            underlying=(
                Underlying(reference="netco.sla", supplier="netco", ends=dt.date(2026, 12, 31)),
                Underlying(reference="lease-42", ends=dt.date(2027, 1, 1)),
            ),
        ),
    )
    assert service.loc == SourceLocation(file="test.sla", line=2, column=9)
    assert service.fees[1].where.value.loc == SourceLocation(file="test.sla", line=5, column=40)


def test_service_fee_from_records(parse_one: ParseOne) -> None:
    service = parse_one('service uplink\n  fee from invoice records where service = "uplink"\n')
    same(
        service.fee_from,
        Selection(
            record_type="invoice",
            where=Compare(field="service", op="=", value=Text(value="uplink")),
        ),
    )
    assert service.fees == ()


def test_service_without_block(parse_one: ParseOne) -> None:
    same(parse_one("service s\n"), Service(id="s"))


def test_delivered_by_without_underlying(parse_one: ParseOne) -> None:
    service = parse_one('service s\n  delivered by netco under "x.sla"\n')
    assert service.delivered_by == "netco"
    same(service.underlying, (Underlying(reference="x.sla", supplier="netco"),))


@pytest.mark.parametrize(
    ("text", "message", "line", "column", "hint"),
    [
        pytest.param(
            "service s\n  fee 4000 EUR montly\n",
            '"montly" is not a frequency', 3, 16, 'did you mean "monthly"?',
            id="misspelt-frequency",
        ),
        pytest.param(
            "service s\n  fee 4000 monthly\n",
            'unexpected "monthly", expected a currency code (EUR)', 3, 12, None,
            id="fee-without-currency",
        ),
        pytest.param(
            "service s\n  fee 4000 EUR monthly\n  fee from x records\n",
            "a service takes its fee either from the contract or from billing records, not both",
            4, 3, None,
            id="fee-and-fee-from",
        ),
        pytest.param(
            "service s\n  fee from x records\n  fee from y records\n",
            '"fee from" is given twice in this block', 4, 3, "the first is on line 3",
            id="fee-from-twice",
        ),
        pytest.param(
            "service s\n  delivered by a\n  delivered by b\n",
            '"delivered by" is given twice in this block', 4, 3, "the first is on line 3",
            id="delivered-twice",
        ),
        pytest.param(
            'service s\n  depends on "x"\n',
            'unexpected end of the line, expected "ending"', 3, 17, None,
            id="depends-without-end",
        ),
        pytest.param(
            'service s\n  delivered by a under "x" ending 2026-04-31\n',
            '"2026-04-31" is not a date in the calendar', 3, 35, None,
            id="impossible-end",
        ),
        pytest.param(
            "service s\n  delivered netco\n",
            'unexpected "netco", expected "by"', 3, 13, None,
            id="delivered-without-by",
        ),
        pytest.param(
            "servce s\n",
            'unexpected "servce", expected one of', 2, 1, 'did you mean "service"?',
            id="misspelt-service",
        ),
    ],
)  # fmt: skip
def test_service_mistakes(
    snippet_error: Error, text: str, message: str, line: int, column: int, hint: str | None
) -> None:
    error = snippet_error(text)
    assert error.message.startswith(message), error.message
    assert (error.line, error.column) == (line, column), error
    if hint is not None:
        assert error.hint == hint


# ------------------------------------------------------------------------------- calendars
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def test_calendar(parse_one: ParseOne) -> None:
    calendar = parse_one(
        """\
        calendar office "Office hours"
          timezone "Europe/Berlin"
          description "support desk"
          monday to friday, sunday 09:00 to 17:30
          saturday 10:00 to 24:00
          every day all day
          holidays 2026-04-03, 2026-12-25
          holidays 2026-12-26
        """
    )
    same(
        calendar,
        Calendar(
            id="office",
            title="Office hours",
            description="support desk",
            timezone="Europe/Berlin",
            hours=(
                WeeklyHours(days=(*WEEKDAYS, "sunday"), start=dt.time(9), end=dt.time(17, 30)),
                WeeklyHours(days=("saturday",), start=dt.time(10), end=None),
                WeeklyHours(days=(*WEEKDAYS, "saturday", "sunday"), start=dt.time(0), end=None),
            ),
            holidays=(dt.date(2026, 4, 3), dt.date(2026, 12, 25), dt.date(2026, 12, 26)),
        ),
    )
    assert calendar.loc == SourceLocation(file="test.sla", line=2, column=10)
    assert calendar.hours[1].loc == SourceLocation(file="test.sla", line=6, column=3)


def test_calendar_overlapping_day_ranges_are_merged(parse_one: ParseOne) -> None:
    calendar = parse_one("calendar c\n  monday to wednesday, tuesday, friday 08:00 to 12:00\n")
    assert calendar.hours[0].days == ("monday", "tuesday", "wednesday", "friday")


@pytest.mark.parametrize(
    ("line", "message", "column", "hint"),
    [
        pytest.param(
            "monday to fryday 09:00 to 17:00", '"fryday" is not a day of the week', 13,
            'did you mean "friday"?', id="misspelt-weekday",
        ),
        pytest.param(
            "mon to fri 09:00 to 17:00", '"mon" is not a day of the week', 3,
            None, id="abbreviated-weekday",
        ),
        pytest.param(
            "friday to monday 09:00 to 17:00", "friday to monday runs backwards", 13,
            "a range of days runs from monday towards sunday", id="backwards-range",
        ),
        pytest.param(
            "monday 09:00 to 25:00", '"25:00" is not a time of day', 19,
            "times are HH:MM, 00:00 to 24:00", id="impossible-time",
        ),
        pytest.param(
            "monday 09:60 to 17:00", '"09:60" is not a time of day', 10, None, id="minute-60",
        ),
        pytest.param(
            "monday 24:00 to 24:00", "opening hours cannot start at 24:00", 10, None,
            id="start-at-midnight-end",
        ),
        pytest.param(
            "monday 17:00 to 09:00", "the opening hours end (09:00) before they start (17:00)",
            19, "hours that run past midnight are written as two ranges", id="end-before-start",
        ),
        pytest.param(
            "monday 9:00 to 17:00", 'unexpected "9", expected', 10, None, id="one-digit-hour",
        ),
        pytest.param(
            "holidays 2026-02-29", '"2026-02-29" is not a date in the calendar', 12, None,
            id="impossible-holiday",
        ),
        pytest.param(
            "monday to friday", "unexpected end of the line, expected", 19, None,
            id="days-without-hours",
        ),
    ],
)  # fmt: skip
def test_calendar_mistakes(
    snippet_error: Error, line: str, message: str, column: int, hint: str | None
) -> None:
    error = snippet_error(f"calendar office\n  {line}\n")
    assert error.message.startswith(message), error.message
    assert (error.line, error.column) == (3, column), error
    if hint is not None:
        assert error.hint == hint


def test_calendar_needs_a_block(snippet_error: Error) -> None:
    error = snippet_error("calendar office\nservice s\n")
    assert error.message == 'unexpected "service", expected an indented line'
    assert (error.line, error.column) == (3, 1)


def test_calendar_timezone_twice(snippet_error: Error) -> None:
    error = snippet_error('calendar c\n  timezone "UTC"\n  timezone "UTC"\n')
    assert error.message == '"timezone" is given twice in this block'
    assert (error.line, error.column) == (4, 3)


# ------------------------------------------------------------------------------ exclusions
def test_exclusion(parse_one: ParseOne) -> None:
    exclusion = parse_one(
        """\
        exclusion maintenance "Scheduled maintenance"
          maintenance records where planned = true
          emergency records
          valid when announced at least 5 days before start
          valid when within maintenance-window
          counts as available
          description "agreed downtime"
        """
    )
    same(
        exclusion,
        Exclusion(
            id="maintenance",
            title="Scheduled maintenance",
            description="agreed downtime",
            sources=(
                Selection(
                    record_type="maintenance",
                    where=Compare(field="planned", op="=", value=Boolean(value=True)),
                ),
                Selection(record_type="emergency"),
            ),
            valid_when=(
                NoticeRule(announced_field="announced", at_least=days(5), before_field="start"),
                WindowRule(calendar="maintenance-window"),
            ),
            treatment="counts_as_available",
        ),
    )
    assert exclusion.loc == SourceLocation(file="test.sla", line=2, column=11)
    assert exclusion.sources[1].loc == SourceLocation(file="test.sla", line=4, column=3)


def test_exclusion_default_treatment(parse_one: ParseOne) -> None:
    exclusion = parse_one('exclusion e\n  incident records where cause = "customer"\n')
    assert exclusion.treatment == "excluded_from_period"
    exclusion = parse_one("exclusion e\n  x records\n  excluded from the period\n")
    assert exclusion.treatment == "excluded_from_period"


@pytest.mark.parametrize(
    ("body", "message", "line", "column"),
    [
        pytest.param(
            '  description "x"\n', "exclusion e names no records", 2, 11, id="no-records",
        ),
        pytest.param(
            "  x records\n  counts as available\n  excluded from the period\n",
            '"excluded from the period / counts as available" is given twice in this block',
            5, 3, id="two-treatments",
        ),
        pytest.param(
            "  x records\n  valid when announced at least 5 before start\n",
            "the notice must be a duration, not a number", 4, 33, id="notice-without-unit",
        ),
        pytest.param(
            "  x records\n  valid when announced 5 days before start\n",
            'unexpected "5", expected "at"', 4, 24, id="notice-without-at-least",
        ),
        pytest.param(
            "  x records\n  counts as availabel\n",
            'unexpected "availabel", expected "available"', 4, 13, id="misspelt-treatment",
        ),
        pytest.param(
            "  x record\n",
            'unexpected "record", expected', 3, 5, id="record-singular",
        ),
    ],
)  # fmt: skip
def test_exclusion_mistakes(
    snippet_error: Error, body: str, message: str, line: int, column: int
) -> None:
    error = snippet_error("exclusion e\n" + body)
    assert error.message.startswith(message), error.message
    assert (error.line, error.column) == (line, column), error


# ------------------------------------------------------------------------------ indentation
@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        pytest.param(
            "contract c\n    kind customer-based\n  currency EUR\n",
            "this line is indented by 2 spaces, which matches no enclosing block (expected 0)",
            3, 1, id="dedent-to-unknown-level",
        ),
        pytest.param(
            "contract c\n  kind customer-based\n   currency EUR\n",
            "this line is indented by 3 spaces, deeper than the line above it (2),"
            " which opens no block",
            3, 4, id="over-indented",
        ),
        pytest.param(
            "contract c\n\tkind customer-based\n",
            "a tab in indentation; indent with spaces", 2, 1, id="tab",
        ),
        pytest.param(
            "contract c\n  \tkind customer-based\n",
            "a tab in indentation; indent with spaces", 2, 3, id="tab-after-spaces",
        ),
        pytest.param(
            "contract c\nkind customer-based\n",
            'unexpected "kind", expected one of', 2, 1, id="block-line-not-indented",
        ),
    ],
)  # fmt: skip
def test_indentation_mistakes(
    sla_error: Error, text: str, message: str, line: int, column: int
) -> None:
    error = sla_error(text)
    assert error.message.startswith(message), error.message
    assert (error.line, error.column) == (line, column), error
    assert isinstance(error, obligo.ObligoSyntaxError)


@pytest.mark.parametrize(
    "text", ["  contract c\n", "  contract c\n  currency EUR\n", "\tcontract c\n"]
)
def test_indented_first_line(text: str) -> None:
    # (Not through the helpers: they dedent their text.)
    with pytest.raises(obligo.ObligoSyntaxError) as info:
        obligo.parse(text, filename="test.sla")
    assert info.value.message == "unexpected indented line: only a block's lines are indented"
    assert (info.value.line, info.value.column) == (1, 2 if text[0] == "\t" else 3)


def test_blank_or_comment_first_line_may_be_indented() -> None:
    assert obligo.parse("   \n  # note\ncontract c\n").id == "c"


def test_indentation_hint(sla_error: Error) -> None:
    error = sla_error("contract c\n    kind customer-based\n  currency EUR\n")
    assert error.hint == "indent every line of a block by the same amount; alignment is not allowed"
    assert error.source_line == "  currency EUR"


def test_any_consistent_indentation_is_accepted(parse_sla: Parse) -> None:
    contract = parse_sla('contract c\n      currency EUR\n      timezone "UTC"\n')
    assert (contract.currency, contract.timezone) == ("EUR", "UTC")


def test_tab_between_words_is_whitespace(parse_sla: Parse) -> None:
    assert parse_sla("contract c\n  kind\tcustomer-based\n").kind == "customer-based"

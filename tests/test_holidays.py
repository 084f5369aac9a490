"""Calendars that last: holidays of a country (the `holidays` package), of an ICS file, and the
dates listed; resolved into dates, checked for the whole term, listed in the report.

Every date below is counted by hand. Germany's national holidays in 2026: 1 January, Good Friday
3 April, Easter Monday 6 April, 1 May (a Friday), Ascension 14 May (a Thursday), Whit Monday
25 May, 3 October (a Saturday), 25 and 26 December.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

import obligo
from engine_helpers import parse
from obligo.errors import ObligoError, ObligoSyntaxError, Severity
from obligo.model.contract import Calendar, HolidaysFrom
from obligo.model.holidays import holidays_in_year, holidays_package_version
from obligo.render.json import report_json
from obligo.render.text import report_text
from obligo.syntax.ics import read_ics

DESK = """
contract desk "Desk" version 1
  term 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"
  currency EUR
  calendar office

calendar office "Office hours"
  monday to friday 09:00 to 17:00
  HOLIDAYS

service api "API"
  fee 3000 EUR monthly

metric uptime "Availability"
  availability of api, per calendar month
  down during incident records

metric answered "Answered within 2 business hours"
  share of ticket records within target, per calendar month
  duration from opened to answered
  target 2 business hours

clause 1 "Availability"
  service api
  promise uptime >= 99.9%
  credit 10% of the fee when uptime < 99.9%
  claim within 2 business days after the end of the month

clause 2 "Answers"
  promise answered >= 90%
"""


def desk(holidays: str) -> str:
    return DESK.replace("HOLIDAYS", holidays)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


OUTAGE = {
    "type": "incident",
    "id": "O1",
    "start": "2026-04-02T10:00:00+02:00",
    "end": "2026-04-02T12:00:00+02:00",
}


def ticket(id_: str, opened: str, answered: str) -> dict[str, Any]:
    return {"type": "ticket", "id": id_, "opened": opened, "answered": answered}


# ------------------------------------------------------------------ holidays of a country
def test_a_country_s_holidays_move_a_claim_deadline() -> None:
    # April ends at Friday 1 May 00:00. With Germany's holidays 1 May is closed: 2 business days
    # are Monday 4 and Tuesday 5 May, until 17:00. Without them Friday counts: Monday 4 May 17:00.
    events = [OUTAGE]
    with_country = obligo.evaluate(
        parse(desk('holidays of country "DE"')), events, at=at("2026-06-01T00:00:00+02:00")
    )
    (april,) = [c for c in with_country.consequences if c.period.label == "2026-04"]
    assert april.claim is not None
    assert april.claim.deadline == at("2026-05-05T17:00:00+02:00")
    listed_only = obligo.evaluate(
        parse(desk("holidays 2026-04-03")), events, at=at("2026-06-01T00:00:00+02:00")
    )
    (april,) = [c for c in listed_only.consequences if c.period.label == "2026-04"]
    assert april.claim is not None
    assert april.claim.deadline == at("2026-05-04T17:00:00+02:00")


def test_a_country_s_holiday_stops_a_target_s_clock() -> None:
    # Opened Wednesday 13 May 16:00: one business hour that day, Ascension (Thursday) closed,
    # the second hour Friday 09:00-10:00. Answered Friday 09:30: within; without the holiday the
    # target ran out Thursday 10:00.
    events = [ticket("T1", "2026-05-13T16:00:00+02:00", "2026-05-15T09:30:00+02:00")]
    found = obligo.evaluate(
        parse(desk('holidays of country "DE"')), events, at=at("2026-06-01T00:00:00+02:00")
    )
    may = next(v for v in found.verdicts if v.clause == "2" and v.period.label == "2026-05")
    assert may.status == "met"
    without = obligo.evaluate(
        parse(desk("holidays 2026-12-25")), events, at=at("2026-06-01T00:00:00+02:00")
    )
    may = next(v for v in without.verdicts if v.clause == "2" and v.period.label == "2026-05")
    assert may.status == "breached"


def test_the_report_lists_the_holidays_with_the_package_version() -> None:
    contract = parse(desk('holidays 2026-12-24\n  holidays of country "DE"'))
    report = obligo.evaluate(contract, [OUTAGE], at=at("2026-06-01T00:00:00+02:00"))
    (calendar,) = report.calendars
    assert calendar.calendar == "office"
    (source,) = calendar.sources
    assert (source.source, source.kind, source.country, source.region) == (
        "country DE",
        "country",
        "DE",
        None,
    )
    assert (source.package, source.package_version) == ("holidays", holidays_package_version())
    in_2026 = [(h.date, h.source) for h in calendar.holidays if h.date.year == 2026]
    assert in_2026 == [
        (day("2026-01-01"), "country DE"),
        (day("2026-04-03"), "country DE"),
        (day("2026-04-06"), "country DE"),
        (day("2026-05-01"), "country DE"),
        (day("2026-05-14"), "country DE"),
        (day("2026-05-25"), "country DE"),
        (day("2026-10-03"), "country DE"),
        (day("2026-12-24"), "listed"),
        (day("2026-12-25"), "country DE"),
        (day("2026-12-26"), "country DE"),
    ]
    # the year after the span is listed too (a deadline after December may reach into it)
    assert {h.date.year for h in calendar.holidays} == {2026, 2027}
    assert calendar.holidays[0].name == "New Year's Day"  # in English whatever the locale
    first = report_json([report])
    assert first == report_json(
        [obligo.evaluate(contract, [OUTAGE], at=at("2026-06-01T00:00:00+02:00"))]
    )
    assert (
        json.loads(first)["calendars"][0]["sources"][0]["package_version"]
        == holidays_package_version()
    )
    assert "calendar office: holidays from country DE (holidays " in report_text([report])


def test_a_report_without_drawn_holidays_has_no_calendars_key() -> None:
    report = obligo.evaluate(
        parse(desk("holidays 2026-04-03")), [OUTAGE], at=at("2026-06-01T00:00:00+02:00")
    )
    assert "calendars" not in json.loads(report_json([report]))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            'holidays of country "XX"',
            'desk.sla:9:24: error: no public holidays are known for country "XX" (countries are'
            " ISO 3166-1 alpha-2 codes, such as DE or US)",
        ),
        (
            'holidays of country "DE", region "BX"',
            'desk.sla:9:37: error: "BX" is not a region of DE (the regions of DE are BB, BE, BW,'
            " BY, HB, HE, HH, MV, NI, NW, RP, SH)",
        ),
    ],
)
def test_an_unknown_country_or_region_is_a_located_error(line: str, message: str) -> None:
    contract = obligo.parse(desk(line).lstrip("\n"), "desk.sla")
    errors = [d.format() for d in obligo.check(contract) if d.severity is Severity.ERROR]
    assert [e.splitlines()[0] for e in errors] == [message]


# ------------------------------------------------------------------ coverage of the term
def _warnings(text: str) -> list[str]:
    contract = obligo.parse(textwrap.dedent(text).lstrip("\n"), "desk.sla")
    return [
        d.format().splitlines()[0] for d in obligo.check(contract) if d.severity is Severity.WARNING
    ]


def test_a_calendar_that_does_not_cover_the_term_is_a_warning() -> None:
    two_years = desk("holidays 2026-12-25").replace("to 2026-12-31", "to 2027-06-30")
    assert _warnings(two_years) == [
        "desk.sla:7:10: warning: calendar office has no holidays in 2027, within the term"
        " (2026-01-01 to 2027-06-30) (list that year's holidays, or draw them from a country:"
        ' holidays of country "DE")'
    ]
    covered = two_years.replace("holidays 2026-12-25", "holidays 2026-12-25, 2027-01-01")
    assert _warnings(covered) == []
    by_country = two_years.replace("holidays 2026-12-25", 'holidays of country "DE"')
    assert _warnings(by_country) == []
    open_ended = desk("holidays 2026-12-25").replace(" to 2026-12-31", "")
    assert [w.split(": warning: ")[1][:50] for w in _warnings(open_ended)] == [
        "calendar office has holidays for some years only, "
    ]
    assert _warnings(open_ended.replace("holidays 2026-12-25", 'holidays of country "DE"')) == []
    # a calendar without any holiday is a choice (open around the clock), not a gap
    assert _warnings(two_years.replace("  holidays 2026-12-25\n", "")) == []


# ------------------------------------------------------------------ ICS files
ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//obligo tests//EN
BEGIN:VTIMEZONE
TZID:Europe/Berlin
END:VTIMEZONE
BEGIN:VEVENT
UID:company-day
DTSTART;VALUE=DATE:20260814
SUMMARY:Company
  day
END:VEVENT
BEGIN:VEVENT
UID:christmas
DTSTART;VALUE=DATE:20261224
DTEND;VALUE=DATE:20261227
RRULE:FREQ=YEARLY;COUNT=2
SUMMARY:Christmas\\, closed
END:VEVENT
BEGIN:VEVENT
UID:new-year
DTSTART;VALUE=DATE:20261231
DURATION:P2D
RRULE:FREQ=YEARLY;UNTIL=20281231
END:VEVENT
BEGIN:VEVENT
UID:leap
DTSTART;VALUE=DATE:20280229
RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29
END:VEVENT
BEGIN:VEVENT
UID:cancelled
DTSTART;VALUE=DATE:20260903
STATUS:CANCELLED
END:VEVENT
END:VCALENDAR
"""


def _dates(events: Any, year: int) -> list[str]:
    calendar = Calendar(
        id="c", holiday_sources=(HolidaysFrom(path="x.ics", read=True, events=events),)
    )
    return [f"{h.date.isoformat()} {h.name}" for h in holidays_in_year(calendar, year)]


def test_an_ics_file_s_all_day_events_once_and_every_year() -> None:
    events = read_ics(ICS.replace("\n", "\r\n"), "x.ics")
    assert [(e.loc.line, e.summary) for e in events] == [
        (7, "Company day"),
        (13, "Christmas, closed"),
        (20, None),
        (26, None),
    ]
    assert _dates(events, 2026) == [
        "2026-08-14 Company day",
        "2026-12-24 Christmas, closed",
        "2026-12-25 Christmas, closed",
        "2026-12-26 Christmas, closed",
        "2026-12-31 None",
    ]
    # 2027: New Year from the 2026 occurrence, Christmas a second (last) time, 31 December
    assert _dates(events, 2027) == [
        "2027-01-01 None",
        "2027-12-24 Christmas, closed",
        "2027-12-25 Christmas, closed",
        "2027-12-26 Christmas, closed",
        "2027-12-31 None",
    ]
    # 2028: Christmas has had its 2 years; 29 February; the last New Year's Eve (until 2028)
    assert _dates(events, 2028) == ["2028-01-01 None", "2028-02-29 None", "2028-12-31 None"]
    assert _dates(events, 2029) == ["2029-01-01 None"]  # no 29 February in 2029
    assert _dates(events, 2032) == ["2032-02-29 None"]


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("VERSION:2.0\n", 1, 1, "not an ICS calendar: it does not begin with BEGIN:VCALENDAR"),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101T090000\nEND:VEVENT\nEND:VCALENDAR\n",
            3,
            9,
            "DTSTART 20260101T090000 is a date and time: a holiday is a whole day",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260525\n"
            "RRULE:FREQ=YEARLY;BYDAY=-1MO;BYMONTH=5\nEND:VEVENT\nEND:VCALENDAR\n",
            4,
            7,
            "RRULE FREQ=YEARLY;BYDAY=-1MO;BYMONTH=5 is not read: only FREQ=YEARLY on the start's own date",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260525\n"
            "EXDATE;VALUE=DATE:20270525\nEND:VEVENT\nEND:VCALENDAR\n",
            4,
            1,
            "EXDATE is not read: only whole-day events, once or every year",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260525\n"
            "DTEND;VALUE=DATE:20260525\nEND:VEVENT\nEND:VCALENDAR\n",
            4,
            18,
            "DTEND 20260525 is not after DTSTART",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260230\nEND:VEVENT\nEND:VCALENDAR\n",
            3,
            20,
            "DTSTART 20260230 is not a date in the calendar",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260525\nDURATION:PT4H\n"
            "END:VEVENT\nEND:VCALENDAR\n",
            4,
            10,
            "DURATION PT4H is not a whole number of days",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n",
            2,
            1,
            "an event without DTSTART",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260525\n",
            3,
            1,
            "the file ends inside BEGIN:VEVENT: END:VEVENT is missing",
        ),
        ("BEGIN:VCALENDAR\nEND:VEVENT\n", 2, 5, "END:VEVENT where END:VCALENDAR was expected"),
    ],
)
def test_what_an_ics_file_cannot_say_is_a_located_error(
    text: str, line: int, column: int, message: str
) -> None:
    with pytest.raises(ObligoSyntaxError) as raised:
        read_ics(text, "bad.ics")
    error = raised.value
    assert (error.file, error.line, error.column, error.message) == (
        "bad.ics",
        line,
        column,
        message,
    )


def test_holidays_from_an_ics_file_beside_the_contract(tmp_path: Path) -> None:
    (tmp_path / "office.ics").write_text(ICS, encoding="utf-8")
    (tmp_path / "desk.sla").write_text(
        desk('holidays from "office.ics"').lstrip("\n"), encoding="utf-8"
    )
    contract = obligo.load(tmp_path / "desk.sla")
    assert not [d for d in obligo.check(contract) if d.severity is Severity.ERROR]
    # Opened Thursday 13 August 16:00: one hour that day, Friday the company day, the second
    # hour Monday 09:00-10:00; answered Monday 09:45: within (as Friday 09:45 would have been).
    events = [
        ticket("T1", "2026-08-13T16:00:00+02:00", "2026-08-17T09:45:00+02:00"),
        ticket("T2", "2026-08-13T16:00:00+02:00", "2026-08-17T10:00:01+02:00"),
    ]
    report = obligo.evaluate(contract, events, at=at("2026-09-01T00:00:00+02:00"))
    august = next(v for v in report.verdicts if v.clause == "2" and v.period.label == "2026-08")
    assert august.evidence is not None
    assert august.evidence.totals["within"] == 1 and august.evidence.totals["late"] == 1
    assert [c.id for c in august.evidence.contributors] == ["T2"]
    assert august.evidence.contributors[0].seconds == 1
    (calendar,) = report.calendars
    assert [(s.kind, s.file) for s in calendar.sources] == [("file", "office.ics")]


def test_an_ics_file_that_cannot_be_read_is_an_error_at_the_line_naming_it(tmp_path: Path) -> None:
    (tmp_path / "desk.sla").write_text(
        desk('holidays from "missing.ics"').lstrip("\n"), encoding="utf-8"
    )
    with pytest.raises(ObligoError) as raised:
        obligo.load(tmp_path / "desk.sla")
    error = raised.value
    assert (error.line, error.column) == (9, 17)
    assert "cannot read the holidays of" in error.message and "no such file" in error.message
    (tmp_path / "bad.ics").write_text(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260101T090000\nEND:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )
    (tmp_path / "desk.sla").write_text(
        desk('holidays from "bad.ics"').lstrip("\n"), encoding="utf-8"
    )
    with pytest.raises(ObligoError) as raised:
        obligo.load(tmp_path / "desk.sla")
    assert (Path(raised.value.file or "").name, raised.value.line, raised.value.column) == (
        "bad.ics",
        3,
        9,
    )


def test_check_resolve_shows_the_dates_and_a_line_that_pins_them(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from obligo.cli import cli

    path = tmp_path / "desk.sla"
    path.write_text(
        desk('holidays 2026-12-24\n  holidays of country "DE"').lstrip("\n"), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["check", str(path), "--resolve", "service=api"])
    assert result.exit_code == 0, result.output
    assert f"holidays, resolved (holidays {holidays_package_version()})" in result.output
    assert "  office  2026-05-14  Ascension Day            country DE" in result.output
    assert "  office  2026-12-24                           listed" in result.output
    assert (
        "  pin office: holidays 2026-01-01, 2026-04-03, 2026-04-06, 2026-05-01, 2026-05-14,"
        " 2026-05-25, 2026-10-03, 2026-12-24, 2026-12-25, 2026-12-26"
    ) in result.output

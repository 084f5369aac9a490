"""A calendar's holidays as dates, year by year: the dates it lists, the public holidays of a
country (and region) from the ``holidays`` package, and the all-day events of an ICS file.

The package's rules change between its releases (a new public holiday, a moved one), so its
version is part of an evaluation's input: the report and ``obligo check --resolve`` name it
beside the dates it gave. The same contract, log and package version give the same dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from obligo.errors import ObligoError
from obligo.model.contract import Calendar, HolidaysFrom, HolidaysOf, HolidaySource, IcsEvent

__all__ = [
    "Holiday",
    "holidays_in_year",
    "holidays_package_version",
    "open_ended",
    "source_label",
    "supported_regions",
]


@dataclass(frozen=True)
class Holiday:
    """One closed date of a calendar, with its name (where its source gives one) and where it
    comes from (``listed``, ``country DE-BY``, ``file berlin.ics``)."""

    date: dt.date
    name: str | None
    source: str


@cache
def holidays_package_version() -> str:
    """The version of the ``holidays`` package in use (``unknown`` when it has no metadata)."""
    try:
        return version("holidays")
    except PackageNotFoundError:  # pragma: no cover - installed with obligo
        return "unknown"


@cache
def supported_regions() -> dict[str, tuple[str, ...]]:
    """Every country code the package knows, with the codes of its regions."""
    from holidays.utils import list_supported_countries

    return {
        country: tuple(regions)
        for country, regions in list_supported_countries(include_aliases=False).items()
    }


def source_label(source: HolidaySource) -> str:
    """``country DE-BY`` or ``file berlin.ics``: a source as the report names it."""
    if isinstance(source, HolidaysOf):
        region = "" if source.region is None else f"-{source.region}"
        return f"country {source.country}{region}"
    return f"file {source.path}"


@cache
def _country_year(country: str, region: str | None, year: int) -> tuple[tuple[dt.date, str], ...]:
    from holidays import country_holidays

    # Names in one language whatever the machine's locale: English where the package has it,
    # else the country's own (the same inputs give the same report).
    rules = country_holidays(country, subdiv=region)
    language = "en_US" if "en_US" in rules.supported_languages else rules.default_language
    found = country_holidays(country, subdiv=region, years=year, language=language)
    return tuple(sorted((day, str(name)) for day, name in found.items() if day.year == year))


def _event_dates(event: IcsEvent, year: int) -> list[dt.date]:
    """The dates of one ICS event that fall in ``year``."""
    length = (event.end - event.start).days
    starts: list[dt.date] = []
    if not event.yearly:
        starts = [event.start]
    else:
        # An occurrence that begins in an earlier year may reach into this one (over New Year).
        for occurrence_year in range(year - 1 - length // 365, year + 1):
            nth = occurrence_year - event.start.year
            if nth < 0 or (event.count is not None and nth >= event.count):
                continue
            try:
                start = event.start.replace(year=occurrence_year)
            except ValueError:  # 29 February in a year that has none
                continue
            if event.until is None or start <= event.until:
                starts.append(start)
    days: list[dt.date] = []
    for start in starts:
        for offset in range(length):
            day = start + dt.timedelta(days=offset)
            if day.year == year:
                days.append(day)
    return days


def _source_year(source: HolidaySource, year: int) -> list[tuple[dt.date, str | None]]:
    if isinstance(source, HolidaysOf):
        try:
            return list(_country_year(source.country, source.region, year))
        except (NotImplementedError, KeyError, ValueError) as error:  # the checks name it first
            place = f"{source.country}" + ("" if source.region is None else f", {source.region}")
            raise ObligoError(
                f"no public holidays are known for {place} in {year}",
                file=source.loc.file,
                line=source.loc.line,
                column=source.loc.column,
            ) from error
    assert isinstance(source, HolidaysFrom)
    return [(day, event.summary) for event in source.events for day in _event_dates(event, year)]


def holidays_in_year(calendar: Calendar, year: int) -> list[Holiday]:
    """The calendar's holidays in ``year``, by date; a date from several sources is given once,
    by the first (the dates listed, then the sources in the contract's order)."""
    found: dict[dt.date, Holiday] = {}
    for day in calendar.holidays:
        if day.year == year:
            found.setdefault(day, Holiday(day, None, "listed"))
    for source in calendar.holiday_sources:
        label = source_label(source)
        for day, name in _source_year(source, year):
            found.setdefault(day, Holiday(day, name, label))
    return [found[day] for day in sorted(found)]


def open_ended(calendar: Calendar) -> bool:
    """Whether the calendar has holidays in every year from some year on (a country's rules, an
    ICS event every year without an end)."""
    return any(
        isinstance(source, HolidaysOf)
        or any(e.yearly and e.until is None and e.count is None for e in source.events)
        for source in calendar.holiday_sources
    )

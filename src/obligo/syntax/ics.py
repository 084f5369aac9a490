"""A minimal reader of holidays in ICS (iCalendar, RFC 5545) files: ``holidays from "x.ics"``.

No iCalendar library is a dependency of obligo, so this reads the little a holiday calendar
needs, and refuses the rest with the file, line and column of what it cannot read, never
guessing:

- lines are unfolded (a line starting with a space or a tab continues the one before); property
  names and parameters are case-insensitive; the file is ``BEGIN:VCALENDAR`` ... ``END:VCALENDAR``;
- each ``VEVENT`` is one holiday of whole days: ``DTSTART;VALUE=DATE:20261225`` (a date, not a
  date-time: a holiday is a whole local date), ``DTEND`` (exclusive, a date) or ``DURATION:P1D``
  (days or weeks), else one day; ``SUMMARY`` names it; ``STATUS:CANCELLED`` leaves it out;
- ``RRULE:FREQ=YEARLY`` repeats it on the same month and day every year (``INTERVAL=1``;
  ``UNTIL`` a date or date-time, whose date is the last; ``COUNT``; ``BYMONTH`` and
  ``BYMONTHDAY`` only as the start's own); a 29 February falls only in leap years. Any other rule
  (``BYDAY``: the last Monday of May), ``RDATE`` and ``EXDATE`` are refused: list such dates in
  the contract instead;
- other components (``VTIMEZONE``, ``VTODO``, ...) and other properties are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NoReturn

from obligo.errors import ObligoSyntaxError
from obligo.model.base import SourceLocation
from obligo.model.contract import IcsEvent

_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})T\d{6}Z?$")
_DAYS = re.compile(r"^P(?:(\d+)W|(\d+)D)$")
_REFUSED = {"RDATE", "EXDATE", "EXRULE"}


class _Fail:
    """Raises the error of a file's line, located at a column of it."""

    def __init__(self, file: str) -> None:
        self.file = file

    def __call__(
        self, message: str, line: _Line | None, column: int = 1, hint: str | None = None
    ) -> NoReturn:
        raise ObligoSyntaxError(
            message,
            file=self.file,
            line=1 if line is None else line.number,
            column=column,
            hint=hint,
            source_line=None if line is None else line.text,
        )


class _Line:
    def __init__(self, number: int, text: str) -> None:
        self.number = number
        self.text = text
        name_end = len(text)
        quoted = False
        for index, char in enumerate(text):  # the first ':' or ';' outside a quoted parameter
            if char == '"':
                quoted = not quoted
            elif not quoted and char in ":;":
                name_end = index
                break
        self.name = text[:name_end].upper()
        colon = _value_colon(text, name_end)
        self.params = text[name_end:colon].upper() if colon >= 0 else ""
        self.value = text[colon + 1 :] if colon >= 0 else ""
        self.value_column = colon + 2 if colon >= 0 else 1


def _value_colon(text: str, start: int) -> int:
    quoted = False
    for index in range(start, len(text)):
        char = text[index]
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return index
    return -1


def _unfold(text: str) -> list[_Line]:
    lines: list[_Line] = []
    for number, raw in enumerate(re.split(r"\r\n|\n|\r", text), start=1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = _Line(lines[-1].number, lines[-1].text + raw[1:])
        elif raw.strip():
            lines.append(_Line(number, raw))
    return lines


def read_ics(text: str, file: str) -> tuple[IcsEvent, ...]:
    """The all-day events of an ICS file's text, in the file's order; raises
    :class:`ObligoSyntaxError` located in the file at what cannot be read."""

    fail = _Fail(file)

    lines = _unfold(text.removeprefix("\ufeff"))
    if not lines or lines[0].name != "BEGIN" or lines[0].value.upper() != "VCALENDAR":
        fail(
            "not an ICS calendar: it does not begin with BEGIN:VCALENDAR",
            lines[0] if lines else None,
            hint="export the holidays as an iCalendar (.ics) file",
        )
    stack: list[str] = []
    events: list[IcsEvent] = []
    event: dict[str, _Line] = {}
    begun: _Line | None = None
    for line in lines:
        if line.name == "BEGIN":
            stack.append(line.value.upper())
            if stack[-1] == "VEVENT":
                event, begun = {}, line
            continue
        if line.name == "END":
            if not stack or stack[-1] != line.value.upper():
                expected = f"END:{stack[-1]}" if stack else "nothing after END:VCALENDAR"
                fail(f"END:{line.value} where {expected} was expected", line, line.value_column)
            stack.pop()
            if line.value.upper() == "VEVENT" and begun is not None:
                found = _event(event, begun, fail)
                if found is not None:
                    events.append(found.model_copy(update={"loc": _loc(file, begun)}))
            continue
        if not stack:
            fail(f"{line.name} outside BEGIN:VCALENDAR ... END:VCALENDAR", line)
        if stack[-1] == "VEVENT":
            if line.name in _REFUSED:
                fail(
                    f"{line.name} is not read: only whole-day events, once or every year",
                    line,
                    hint="list such dates in the contract: holidays 2026-05-25, 2027-05-31",
                )
            event.setdefault(line.name, line)
    if stack:
        fail(f"the file ends inside BEGIN:{stack[-1]}: END:{stack[-1]} is missing", lines[-1])
    return tuple(events)


def _loc(file: str, line: _Line) -> SourceLocation:
    return SourceLocation(file=file, line=line.number, column=1)


def _date(line: _Line, fail: _Fail, what: str) -> dt.date:
    value = line.value.strip()
    match = _DATE.match(value)
    if match is None:
        if _DATE_TIME.match(value):
            message = f"{what} {value} is a date and time: a holiday is a whole day"
            hint = f"write {what};VALUE=DATE:{value[:8]}"
        else:
            message, hint = f"{what} {value!r} is not a date", "dates are YYYYMMDD"
        fail(message, line, line.value_column, hint)
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        fail(f"{what} {value} is not a date in the calendar", line, line.value_column)


def _event(event: dict[str, _Line], begun: _Line, fail: _Fail) -> IcsEvent | None:
    status = event.get("STATUS")
    if status is not None and status.value.strip().upper() == "CANCELLED":
        return None
    if "DTSTART" not in event:
        fail("an event without DTSTART", begun, 1, "give it DTSTART;VALUE=DATE:YYYYMMDD")
    start = _date(event["DTSTART"], fail, "DTSTART")
    end = start + dt.timedelta(days=1)
    if "DTEND" in event:
        end = _date(event["DTEND"], fail, "DTEND")
        if end <= start:
            line = event["DTEND"]
            fail(f"DTEND {line.value} is not after DTSTART", line, line.value_column)
    elif "DURATION" in event:
        line = event["DURATION"]
        match = _DAYS.match(line.value.strip().upper())
        if match is None or int(match[1] or match[2]) < 1:
            fail(
                f"DURATION {line.value} is not a whole number of days",
                line,
                line.value_column,
                "a holiday lasts whole days: P1D",
            )
        end = start + dt.timedelta(days=int(match[2]) if match[2] else 7 * int(match[1]))
    summary = event["SUMMARY"].value.strip() if "SUMMARY" in event else None
    if summary is not None:
        summary = re.sub(r"\\([,;\\])", r"\1", summary).replace("\\n", " ").replace("\\N", " ")
    if "RRULE" not in event:
        return IcsEvent(start=start, end=end, summary=summary)
    rule_line = event["RRULE"]
    parts: dict[str, str] = {}
    for part in rule_line.value.strip().upper().split(";"):
        key, _, value = part.partition("=")
        parts[key] = value
    own = {"BYMONTH": str(start.month), "BYMONTHDAY": str(start.day), "INTERVAL": "1"}
    simple = parts.get("FREQ") == "YEARLY" and all(
        key in ("FREQ", "UNTIL", "COUNT", "WKST") or (key in own and value.lstrip("0") == own[key])
        for key, value in parts.items()
    )
    if not simple:
        fail(
            f"RRULE {rule_line.value} is not read: only FREQ=YEARLY on the start's own date",
            rule_line,
            rule_line.value_column,
            "list such dates in the contract: holidays 2026-05-25, 2027-05-31",
        )
    until: dt.date | None = None
    count: int | None = None
    if "UNTIL" in parts:
        text = parts["UNTIL"][:8]
        if _DATE.match(text) is None:
            fail(f"UNTIL {parts['UNTIL']} is not a date", rule_line, rule_line.value_column)
        until = dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    if "COUNT" in parts:
        if not parts["COUNT"].isdigit() or int(parts["COUNT"]) < 1:
            fail(
                f"COUNT {parts['COUNT']} is not a number of years",
                rule_line,
                rule_line.value_column,
            )
        count = int(parts["COUNT"])
    return IcsEvent(start=start, end=end, yearly=True, until=until, count=count, summary=summary)

"""The resolved agreement of one customer and service, for people (``obligo check --resolve``):
the levels it is read from, each clause in force with the level and file it comes from (and what
it replaced), then every inherited setting and declaration with its origin."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from obligo._inert import inert
from obligo.agreements import ResolvedAgreement
from obligo.model.base import Duration
from obligo.model.contract import BillingCycle, DefaultCalendar, FieldUnit, Margins, Term
from obligo.model.holidays import holidays_in_year, holidays_package_version
from obligo.model.inheritance import Inherited, Origin


def resolved_agreement_text(resolved: ResolvedAgreement) -> str:
    """The resolved agreement as aligned text; the same agreement always gives the same text.
    Every text taken from a contract or a file name is shown inert."""
    customer = "any customer" if resolved.customer is None else f"customer {resolved.customer}"
    out = [
        inert(f"resolved agreement for {customer}, service {resolved.service}"),
        inert(f"agreement {resolved.agreement} ({resolved.kind})"),
        "",
        "levels, from the top",
    ]
    out += _table(
        [
            (f"{f.tier} (every customer)" if f.every_customer else f.tier, f.contract.id, f.path)
            for f in resolved.files
        ],
    )
    out += ["", "clauses in force"]
    rows: list[tuple[str, ...]] = []
    notes: dict[int, str] = {}
    for clause in resolved.clauses:
        title = f'"{clause.clause.title}"' if clause.clause.title else ""
        rows.append((clause.id, title, clause.origin.tier, _place(clause.origin)))
        if clause.replaces:
            notes[len(rows) - 1] = "replaces " + inert(
                ", ".join(f"{o.tier} {_place(o)}" for o in clause.replaces)
            )
    if rows:
        lines = _table(rows)
        indent = " " * (2 + len(max((inert(r[0]) for r in rows), key=len)) + 2)
        for index, line in enumerate(lines):
            out.append(line)
            if index in notes:
                out.append(indent + notes[index])
    else:
        out.append("  (none)")
    out += ["", "settings"]
    settings: list[tuple[str, ...]] = []
    given: list[tuple[str, Inherited[Any] | None]] = [
        ("timezone", resolved.timezone),
        ("currency", resolved.currency),
        ("term", resolved.term),
        ("billing cycle", resolved.billing_cycle),
        ("margins", resolved.margins),
        ("business calendar", resolved.business_calendar),
        *((f"field {unit.value.field}", unit) for unit in resolved.field_units),
    ]
    for what, item in given:
        if item is not None:
            settings.append((what, _value(item.value), item.origin.tier, _place(item.origin)))
    out += _table(settings) if settings else ["  (none)"]
    out += ["", "declarations"]
    declared: list[tuple[str, ...]] = []
    groups: list[tuple[str, Sequence[Inherited[Any]]]] = [
        ("party", resolved.parties),
        ("service", resolved.services),
        ("calendar", resolved.calendars),
        ("exclusion", resolved.exclusions),
        ("metric", resolved.metrics),
    ]
    for what, items in groups:
        for item in items:
            name = str(getattr(item.value, "id", ""))
            declared.append((what, name, item.origin.tier, _place(item.origin)))
    out += _table(declared) if declared else ["  (none)"]
    out += _holidays(resolved)
    return "\n".join(out) + "\n"


def _holidays(resolved: ResolvedAgreement) -> list[str]:
    """Every holiday of the calendars that draw them from a country or a file, as the dates
    they resolve to in the years of the term (an open-ended term: its first year, the rules
    giving every later one), each with its source and the ``holidays`` package's version."""
    drawing = [c.value for c in resolved.calendars if c.value.holiday_sources]
    if not drawing or resolved.term is None:
        return []
    term = resolved.term.value
    last = term.end.year if term.end is not None else term.start.year
    out = ["", "holidays, resolved (holidays " + holidays_package_version() + ")"]
    rows: list[tuple[str, ...]] = []
    for calendar in drawing:
        for year in range(term.start.year, last + 1):
            for holiday in holidays_in_year(calendar, year):
                rows.append(
                    (calendar.id, holiday.date.isoformat(), holiday.name or "", holiday.source)
                )
    out += _table(rows) if rows else ["  (none)"]
    for calendar in drawing:  # the line that pins them, to write in the calendar instead
        days = [
            h.date for y in range(term.start.year, last + 1) for h in holidays_in_year(calendar, y)
        ]
        if days:
            out.append(
                inert(f"  pin {calendar.id}: holidays " + ", ".join(d.isoformat() for d in days))
            )
    if term.end is None:
        out.append(
            f"  (the term has no end: {term.start.year} shown, the same rules give later years)"
        )
    return out


def _place(origin: Origin) -> str:
    return f"{origin.file}:{origin.line}"


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    rows = [tuple(inert(cell) for cell in row) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  "
        + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


FREQUENCIES = {
    "day": "daily",
    "week": "weekly",
    "month": "monthly",
    "quarter": "quarterly",
    "year": "yearly",
}


def _every(duration: Duration) -> str:
    """``monthly`` for one month, as a contract writes it; ``every 2 years`` otherwise."""
    if duration.amount == 1 and not duration.business and duration.unit in FREQUENCIES:
        return FREQUENCIES[duration.unit]
    return f"every {duration}"


def _value(value: object) -> str:
    if isinstance(value, Term):
        text = value.start.isoformat()
        if value.end is not None:
            text += f" to {value.end.isoformat()}"
        if value.renewal is not None:
            text += f", renews {_every(value.renewal.every)}"
        if value.notice is not None:
            text += f", notice {value.notice}"
        return text
    if isinstance(value, BillingCycle):
        text = _every(value.every)
        return text if value.anchor is None else f"{text} from {value.anchor.isoformat()}"
    if isinstance(value, Margins):
        return f"wide at most {value.wide_at_most}, narrow above {value.narrow_above}"
    if isinstance(value, DefaultCalendar):
        return value.name
    if isinstance(value, FieldUnit):
        return f"in {value.unit}"
    return str(value)

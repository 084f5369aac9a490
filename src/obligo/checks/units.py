"""Field units and business time: what a number read from a log is in, and what business days
are counted on.

- ``field latency_ms in ms`` states a log field's unit once; a metric of the field (``p95 of
  latency_ms``) is then measured in it, and a duration compared with it (a target, a tier, a
  filter) is converted exactly. Without it a duration cannot be compared with the field: the
  number alone does not say whether 250 is milliseconds or seconds.
- ``calendar office`` in the contract block is the calendar business time is counted on where a
  clause names none (claims, claim requirements, notices, exercise windows, targets). Business
  time with no calendar that applies is an error here, never a silent 24x7 reading.
"""

from __future__ import annotations

from collections.abc import Iterator

from obligo.checks.names import walk
from obligo.checks.reporter import Reporter, Scope, did_you_mean
from obligo.model import clauses as c
from obligo.model import conditions as cond
from obligo.model import contract as k
from obligo.model import metrics as m
from obligo.model.base import Duration, LiteralValue, describe_literal
from obligo.model.holidays import holidays_in_year, open_ended, supported_regions
from obligo.model.vocabulary import FIELD_NAME_UNIT_ENDINGS

# Fields whose values are instants, never numbers of a unit.
TIMESTAMP_FIELDS = ("time", "start", "end", "updated")


def unit_suggestion(field: str) -> str:
    """``field latency_ms in ms``: the line that states a field's unit, its unit guessed from
    the name when the name says it."""
    guess = next((unit for ending, unit in FIELD_NAME_UNIT_ENDINGS if field.endswith(ending)), None)
    if guess is None:
        return f"add `field {field} in UNIT` (ms, seconds, minutes, hours) to the contract"
    return f"add `field {field} in {guess}` to the contract"


def field_unit_of(metric: m.Metric, contract: k.Contract) -> k.FieldUnit | None:
    """The declared unit of the field a metric is made of (None: no field, or no unit)."""
    field = metric.measured_field
    return None if field is None else contract.field_unit(field)


def fit_field_unit(
    metric: m.Metric, unit: k.FieldUnit, value: LiteralValue, out: Reporter, what: str
) -> None:
    """A value compared with a metric of a field in ``unit``: a number (of that unit) or a
    fixed length of time, converted; anything else cannot be related to it."""
    if m.in_field_unit(value, unit.unit) is not None:
        return
    if isinstance(value, Duration):
        out.error(
            f"{what} is {value}, which is not a fixed length of time, but {metric.id} is a"
            f" number of {unit.unit} ({unit.field})",
            value.loc,
            f"write a fixed length such as 250 ms or 2 s, or a number of {unit.unit}",
        )
        return
    out.error(
        f"{what} is {describe_literal(value)}, but {metric.id} is measured in {unit.unit}"
        f" (the unit of {unit.field})",
        value.loc,
        f"write a duration such as 250 ms or 2 s, or a number of {unit.unit}",
    )


def unitless_duration(metric: m.Metric, value: LiteralValue, out: Reporter, what: str) -> bool:
    """A duration compared with a metric of a field whose unit nobody stated: an error (the
    number 250 could be milliseconds or seconds). True when it was reported."""
    field = metric.measured_field
    if field is None or not isinstance(value, Duration):
        return False
    out.error(
        f"{what} is a duration, but the contract does not state the unit of {field}, the field"
        f" {metric.id} is made of",
        value.loc,
        unit_suggestion(field),
    )
    return True


def check_units(contract: k.Contract, scope: Scope, out: Reporter) -> None:
    _declarations(contract, out)
    _filters(contract, out)
    _business_time(contract, scope, out)
    _holiday_sources(contract, out)


def _declarations(contract: k.Contract, out: Reporter) -> None:
    seen: dict[str, k.FieldUnit] = {}
    for declared in contract.field_units:
        first = seen.setdefault(declared.field, declared)
        if first is not declared:
            out.error(
                f"the unit of {declared.field} is stated twice",
                declared.loc,
                f"the first is on line {first.loc.line}",
                word=declared.field,
            )
            continue
        if declared.field in TIMESTAMP_FIELDS:
            out.error(
                f"{declared.field} holds instants, not numbers: it has no unit",
                declared.loc,
                "a unit is for a field of numbers, such as latency_ms",
                word=declared.field,
            )
            continue
        for parent in contract.imported:
            above = parent.field_unit(declared.field)
            if above is not None and above.unit != declared.unit:
                out.error(
                    f"{declared.field} is in {above.unit} at a higher level ({above.loc}), not"
                    f" in {declared.unit}",
                    declared.loc,
                    "a field has one unit for every level: convert in the targets instead",
                    word=declared.field,
                )
    timed = _timestamp_fields(contract)
    for declared in seen.values():
        if declared.field in timed and declared.field not in TIMESTAMP_FIELDS:
            out.error(
                f"{declared.field} holds instants here ({timed[declared.field]}), not numbers:"
                " it has no unit",
                declared.loc,
                "a unit is for a field of numbers, such as latency_ms",
                word=declared.field,
            )


def _timestamp_fields(contract: k.Contract) -> dict[str, str]:
    found: dict[str, str] = {}
    for metric in contract.metrics:
        duration = m.written(metric).duration
        if duration is not None:
            found.setdefault(duration.start_field, f"metric {metric.id} times from it")
            found.setdefault(duration.end_field, f"metric {metric.id} times to it")
    for exclusion in contract.exclusions:
        for rule in exclusion.valid_when:
            if isinstance(rule, k.NoticeRule):
                where = f"exclusion {exclusion.id} measures a notice with it"
                found.setdefault(rule.announced_field, where)
                found.setdefault(rule.before_field, where)
    return found


def _filters(contract: k.Contract, out: Reporter) -> None:
    """A duration in a record filter (``where latency_ms > 250 ms``) needs the field's unit; a
    duration in an expression (``mean(latency_ms in ...) / 250 ms``) has none to take: the
    expression computes with the fields' own numbers."""
    for node in walk(contract.model_copy(update={"imported": ()})):
        if isinstance(node, cond.Constant) and isinstance(node.value, Duration):
            out.error(
                f"an expression computes with the numbers of fields, not with a duration"
                f" ({node.value})",
                node.value.loc,
                "write it as a number of the unit of the field it meets, such as 250 for a field in ms",
            )
            continue
        if isinstance(node, cond.Compare):
            literals: tuple[LiteralValue, ...] = (node.value,)
        elif isinstance(node, cond.Member):
            literals = node.values
        else:
            continue
        for literal in literals:
            if not isinstance(literal, Duration):
                continue
            unit = contract.field_unit(node.field)
            if unit is None:
                out.error(
                    f"{node.field} is compared with a duration, but the contract does not state"
                    " the unit of its numbers",
                    literal.loc,
                    unit_suggestion(node.field),
                )
            elif literal.seconds is None:
                out.error(
                    f"{node.field} is a number of {unit.unit}: {literal} is not a fixed length"
                    " of time",
                    literal.loc,
                    f"write a fixed length such as 250 ms or 2 s, or a number of {unit.unit}",
                )


def _business_durations(contract: k.Contract) -> Iterator[Duration]:
    """Every duration of a construct that names no calendar of its own (business or not)."""
    for exclusion in contract.exclusions:
        for rule in exclusion.valid_when:
            if isinstance(rule, k.NoticeRule):
                yield rule.at_least
    for clause in contract.clauses:
        for node in walk(clause):
            if isinstance(node, c.ClaimWithin):
                yield node.duration
            elif isinstance(node, c.ClaimRequirement | c.NoticeRequirement):
                yield node.within
            elif isinstance(node, c.Exercise):
                yield node.within
    for notification in contract.notifications:
        yield notification.before_end
    if contract.term is not None and contract.term.notice is not None:
        yield contract.term.notice


def _business_time(contract: k.Contract, scope: Scope, out: Reporter) -> None:
    default = contract.default_calendar()
    if contract.calendar is not None and contract.calendar.name not in scope.calendars:
        name = contract.calendar.name
        hint = did_you_mean(name, sorted(scope.calendars))
        if hint is None:
            hint = (
                "the calendars declared are " + ", ".join(sorted(scope.calendars)[:8])
                if scope.calendars
                else f"declare it: calendar {name} ... with its opening hours"
            )
        out.error(f'unknown calendar "{name}"', contract.calendar.loc, hint, word=name)
    elif contract.calendar is not None:
        calendar = scope.calendars[contract.calendar.name]
        if not calendar.hours:
            out.error(
                f"calendar {calendar.id} has no opening hours: no business day is ever counted"
                " on it",
                contract.calendar.loc,
                "give it hours such as `monday to friday 09:00 to 17:00`",
                word=calendar.id,
            )
    for metric in contract.metrics:
        # A target counted in a calendar without hours is never due: refused here, not at eval.
        lines = m.written(metric)
        named: list[m.DurationSpec | m.TargetRule] = [*lines.targets]
        if lines.duration is not None:
            named.insert(0, lines.duration)
        for spec in named:
            closed = scope.calendars.get(spec.calendar or "")
            if closed is not None and not closed.hours:
                out.error(
                    f"calendar {closed.id} has no opening hours: a target counted in its hours"
                    " is never due",
                    spec.loc,
                    "give it hours such as `monday to friday 09:00 to 17:00`",
                    word=closed.id,
                )
    for duration in _business_durations(contract):
        if not duration.business:
            continue
        if default is None:
            out.error(
                f"{duration}: no calendar to count them on",
                duration.loc,
                "add `calendar NAME` to the contract: business time that names no calendar is"
                " counted on it",
            )


def _holiday_sources(contract: k.Contract, out: Reporter) -> None:
    """A country and region the holidays package knows; an ICS file read; and holidays in every
    year of the term (a warning: a year without any is most likely a calendar not kept up)."""
    countries = any(
        isinstance(s, k.HolidaysOf) for cal in contract.calendars for s in cal.holiday_sources
    )
    # The package is imported only for a contract that draws holidays from a country.
    regions = supported_regions() if countries else {}
    for calendar in contract.calendars:
        for source in calendar.holiday_sources:
            if isinstance(source, k.HolidaysOf):
                if source.country not in regions:
                    hint = did_you_mean(source.country.upper(), sorted(regions))
                    out.error(
                        f'no public holidays are known for country "{source.country}"',
                        source.loc,
                        hint or "countries are ISO 3166-1 alpha-2 codes, such as DE or US",
                        word=source.country,
                    )
                elif source.region is not None and source.region not in regions[source.country]:
                    known = regions[source.country]
                    hint = did_you_mean(source.region.upper(), sorted(known)) or (
                        f"the regions of {source.country} are " + ", ".join(known[:12])
                        if known
                        else f"{source.country} has no regions: leave the region out"
                    )
                    out.error(
                        f'"{source.region}" is not a region of {source.country}',
                        source.loc,
                        hint,
                        word=source.region,
                    )
            elif not source.read:
                out.error(
                    f'the holidays of "{source.path}" were not read',
                    source.loc,
                    "load the contract from its file (obligo.load), which reads the files it names",
                )
    term = next((level.term for level in contract.levels() if level.term is not None), None)
    if term is None:
        return
    for calendar in contract.calendars:
        if not (calendar.holidays or calendar.holiday_sources) or any(
            isinstance(s, k.HolidaysOf)
            and (
                s.country not in regions
                or (s.region is not None and s.region not in regions[s.country])
            )
            for s in calendar.holiday_sources
        ):
            continue  # no holidays at all is a choice (24x7); an unknown country is reported
        if term.end is None and open_ended(calendar):
            continue
        last = term.end.year if term.end is not None else None
        years = range(term.start.year, (last or term.start.year) + 1)
        missing = [y for y in years if not holidays_in_year(calendar, y)]
        if missing:
            shown = ", ".join(str(y) for y in missing[:5]) + (" ..." if len(missing) > 5 else "")
            out.warning(
                f"calendar {calendar.id} has no holidays in {shown}, within the term"
                f" ({term.start} to {term.end})",
                calendar.loc,
                'list that year\'s holidays, or draw them from a country: holidays of country "DE"',
                word=calendar.id,
            )
        elif term.end is None:
            out.warning(
                f"calendar {calendar.id} has holidays for some years only, but the term"
                f" ({term.start}, without an end) goes on",
                calendar.loc,
                'draw them from a country (holidays of country "DE"), or list later years',
                word=calendar.id,
            )

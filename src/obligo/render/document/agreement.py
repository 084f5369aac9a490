"""The agreement in words: parties, term, settings, services, business calendars, exclusions,
the baseline, reviews, renegotiation and notices."""

from __future__ import annotations

from obligo.model.contract import (
    Allowance,
    Baseline,
    BillingCycle,
    Calendar,
    ClauseBreached,
    Contract,
    DefaultCalendar,
    Exclusion,
    Fee,
    FieldMapping,
    FieldUnit,
    HolidaysFrom,
    HolidaysOf,
    IcsEvent,
    Import,
    Level,
    Margins,
    MetricNoData,
    MetricValueRun,
    NeverMet,
    NoticeRule,
    Notification,
    Party,
    Renegotiation,
    Renewal,
    Review,
    Service,
    Term,
    TermEnding,
    Underlying,
    UnderlyingEnding,
    VolumeDrift,
    WeeklyHours,
    WideMargin,
    WindowRule,
)
from obligo.model.units import PERIOD_WORDS
from obligo.render.document.registry import describe, prose
from obligo.render.document.words import compared, date, literal, plural, unit_word

_ROLES = {"provider": "Provider", "supplier": "Supplier", "customer": "Customer"}


def party_name(node: Party) -> str:
    """``NetCo Carrier (netco)``: the name a reader knows, and the one the contract uses."""
    return f"{node.title} ({node.id})" if node.title else node.id


@prose(Party)
def _party(node: Party) -> str:
    text = f"{_ROLES[node.role]}: {party_name(node)}"
    if node.representative:
        text += f", represented by {node.representative}"
    return text


def every(duration_text: str, amount: object) -> str:
    """``every month`` for one, ``every 3 months`` otherwise."""
    return duration_text.removeprefix("1 ") if amount == 1 else duration_text


@prose(Renewal)
def _renewal(node: Renewal) -> str:
    return f"it renews every {every(describe(node.every), node.every.amount)}"


@prose(Term)
def _term(node: Term) -> str:
    end = f" to {date(node.end)}" if node.end else ", with no end date"
    text = f"The agreement runs from {date(node.start)}{end}"
    if node.renewal is not None:
        text += f"; {describe(node.renewal)}"
    if node.notice is not None:
        text += f"; notice of {describe(node.notice)} is required to end it"
    return text + "."


@prose(Level)
def _level(node: Level) -> str:
    if node.level == "corporate":
        return "This is the corporate level: it applies to every customer and service below it."
    if node.level == "customer":
        return f"This is the level of the customer {node.name}."
    if node.every_customer:
        return f"This is the level of the service {node.name}, for every customer of it."
    customer = f" for the customer {node.customer}" if node.customer else ""
    return f"This is the level of the service {node.name}{customer}."


@prose(BillingCycle)
def _billing_cycle(node: BillingCycle) -> str:
    anchor = f", from {date(node.anchor)}" if node.anchor else ""
    return f"The billing cycle is every {every(describe(node.every), node.every.amount)}{anchor}."


@prose(FieldMapping)
def _mapping(node: FieldMapping) -> str:
    scope = f" in {node.record_type} records" if node.record_type else ""
    return f"The log field {node.source} is read as {node.target}{scope}."


@prose(FieldUnit)
def _field_unit(node: FieldUnit) -> str:
    return f"The numbers of the log field {node.field} are in {unit_word(node.unit)}s."


@prose(DefaultCalendar)
def _default_calendar(node: DefaultCalendar) -> str:
    return f"Business time is counted on the calendar {node.name} unless a line names another."


@prose(Margins)
def _margins(node: Margins) -> str:
    return (
        f"A promise is met by a wide margin when at most {describe(node.wide_at_most)} of its "
        f"error budget is used, and narrowly when more than {describe(node.narrow_above)} is."
    )


@prose(Import)
def _import(node: Import) -> str:
    return f"It inherits from the agreement in “{node.path}”."


# -------------------------------------------------------------------------------------- services
@prose(Fee)
def _fee(node: Fee) -> str:
    where = f", for the records where {describe(node.where)}" if node.where is not None else ""
    return f"A fee of {describe(node.money)} per {every(describe(node.every), node.every.amount)}{where}."


@prose(Underlying)
def _underlying(node: Underlying) -> str:
    ends = f", ending {date(node.ends)}" if node.ends else ""
    by = f" of {node.supplier}" if node.supplier else ""
    return f"It depends on the underlying contract “{node.reference}”{by}{ends}."


@prose(Service)
def _service(node: Service) -> str:
    """The service's heading; its lines are put into words one by one in the document."""
    return f"{node.title} ({node.id})" if node.title else node.id


def fee_from(service: Service) -> str:
    if service.fee_from is None:
        return ""
    group = f", for each {service.fee_group_by} its own" if service.fee_group_by else ""
    return f"The fee is taken from the {describe(service.fee_from)} in the log{group}."


# ------------------------------------------------------------------------------------ calendars
_DAY_ORDER = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@prose(WeeklyHours)
def _weekly(node: WeeklyHours) -> str:
    days = ", ".join(d.capitalize() for d in node.days)
    order = [_DAY_ORDER.index(d) for d in node.days if d in _DAY_ORDER]
    if len(order) == len(node.days) > 2 and order == list(range(order[0], order[-1] + 1)):
        days = f"{node.days[0].capitalize()} to {node.days[-1].capitalize()}"
    if set(node.days) == set(_DAY_ORDER):
        days = "Every day"
    end = "24:00" if node.end is None else node.end.strftime("%H:%M")
    start = node.start.strftime("%H:%M")
    hours = "all day" if start == "00:00" and end == "24:00" else f"{start} to {end}"
    return f"{days}: {hours}"


@prose(HolidaysOf)
def _holidays_of(node: HolidaysOf) -> str:
    region = f", region {node.region}" if node.region else ""
    return f"the public holidays of the country {node.country}{region}, year by year"


@prose(IcsEvent)
def _ics_event(node: IcsEvent) -> str:
    last = node.end.toordinal() - 1
    span = date(node.start)
    if last > node.start.toordinal():
        span += f" to {date(type(node.start).fromordinal(last))}"
    if node.yearly:
        span += " every year"
        if node.until is not None:
            span += f" until {date(node.until)}"
        if node.count is not None:
            span += f", {node.count} times"
    return f"{span} ({node.summary})" if node.summary else span


@prose(HolidaysFrom)
def _holidays_from(node: HolidaysFrom) -> str:
    text = f"the all-day events of the calendar file “{node.path}”"
    if node.events:
        text += ": " + "; ".join(describe(e) for e in node.events)
    return text


@prose(Calendar)
def _calendar(node: Calendar) -> str:
    """The calendar's heading; its hours and holidays are listed in the document."""
    return f"{node.title} ({node.id})" if node.title else node.id


# ----------------------------------------------------------------------------------- exclusions
@prose(NoticeRule)
def _notice_rule(node: NoticeRule) -> str:
    return (
        f"it is valid only when its {node.announced_field} time is at least "
        f"{describe(node.at_least)} before its {node.before_field} time"
    )


@prose(WindowRule)
def _window_rule(node: WindowRule) -> str:
    return f"it is valid only within the opening hours of the calendar {node.calendar}"


@prose(Allowance)
def _allowance(node: Allowance) -> str:
    span = (
        "contract year (from the start of the term)"
        if node.span == "contract_year"
        else "calendar year"
    )
    return (
        f"At most {describe(node.limit)} of it is excluded per {span}, in time order; the time "
        "beyond is ordinary downtime."
    )


@prose(Exclusion)
def _exclusion(node: Exclusion) -> str:
    """The exclusion's heading; its lines are put into words one by one in the document."""
    return f"{node.title} ({node.id})" if node.title else node.id


def exclusion_sentences(node: Exclusion) -> list[str]:
    out = []
    if node.sources:
        out.append(f"The time of {'; '.join(describe(s) for s in node.sources)}.")
    if node.valid_when:
        rules = " and ".join(describe(r) for r in node.valid_when)
        out.append(f"Otherwise ordinary downtime, {rules}.")
    if node.treatment == "excluded_from_period":
        out.append("It is taken out of the period: it counts neither as up nor as down.")
    else:
        out.append("It counts as available time.")
    if node.allowance is not None:
        out.append(describe(node.allowance))
    return out


# ------------------------------------------------------------------- baseline, review, notices
@prose(Baseline)
def _baseline(node: Baseline) -> str:
    if node.first is not None and node.unit is not None:
        unit = unit_word(PERIOD_WORDS.get(node.unit, node.unit))
        span = f"the first {plural(node.first, unit)} of the term"
        if node.first == 1:
            span = f"the first {unit} of the term"
    else:
        start = date(node.start) if node.start else "the start of the term"
        end = date(node.end) if node.end else "the end of the term"
        span = f"{start} to {end}"
    return f"The baseline is {span}: measured and reported, with no credits."


@prose(Review)
def _review(node: Review) -> str:
    return (
        f"The service is reviewed every {every(describe(node.every), node.every.amount)}, "
        f"from {date(node.start)}."
    )


@prose(Notification)
def _notification(node: Notification) -> str:
    if node.representative:
        to = "The customer's representative is"
    elif node.to is not None:
        to = f"“{node.to}” is"
    else:
        to = "The parties are"
    return f"{to} notified {describe(node.before_end)} before the end of the term."


def _clause(clause: str | None) -> str:
    return "any clause" if clause is None else f"clause {clause}"


@prose(ClauseBreached)
def _clause_breached(node: ClauseBreached) -> str:
    return f"{_clause(node.clause)} is breached in {describe(node.window)}"


@prose(WideMargin)
def _wide_margin(node: WideMargin) -> str:
    return f"{_clause(node.clause)} is met by a wide margin for {describe(node.window)}"


@prose(NeverMet)
def _never_met(node: NeverMet) -> str:
    return f"{_clause(node.clause)} is never met during the baseline"


@prose(MetricValueRun)
def _metric_value_run(node: MetricValueRun) -> str:
    return f"{node.metric} is {compared(node.op, literal(node.value))} for {describe(node.window)}"


@prose(VolumeDrift)
def _volume_drift(node: VolumeDrift) -> str:
    return (
        f"the volume of {describe(node.selection)} moves {describe(node.percent)} from the baseline"
    )


@prose(MetricNoData)
def _metric_no_data(node: MetricNoData) -> str:
    metric = "any metric" if node.metric is None else node.metric
    return f"{metric} has no data for a {unit_word(node.unit)}"


@prose(TermEnding)
def _term_ending(node: TermEnding) -> str:
    return "the term ends within its notice period"


@prose(UnderlyingEnding)
def _underlying_ending(node: UnderlyingEnding) -> str:
    return "an underlying contract ends before the term"


@prose(Renegotiation)
def _renegotiation(node: Renegotiation) -> str:
    when = (
        f"at the end of each {unit_word(node.each)} in which" if node.each is not None else "when"
    )
    because = f", because “{node.reason}”" if node.reason else ""
    return f"The parties renegotiate {when} {describe(node.condition)}{because}."


@prose(Contract)
def _contract(node: Contract) -> str:
    """The document's title."""
    return node.title or node.id

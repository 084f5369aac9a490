"""The agreement: parties, term, services, calendars, exclusions, reviews; and the whole contract."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

from pydantic import Field

from obligo.model.base import Comparator, Duration, LiteralValue, Money, Node, Percent
from obligo.model.clauses import AtRisk, Clause, Consecutive, Window
from obligo.model.conditions import Condition, Selection
from obligo.model.metrics import Metric


class Party(Node):
    """A provider, supplier or customer, with its role in the agreement."""

    id: str
    role: Literal["provider", "supplier", "customer"]
    title: str | None = None
    representative: str | None = None


class Renewal(Node):
    """``renews yearly`` / ``renews every 2 years``."""

    every: Duration


class Term(Node):
    """``term 2026-01-01 to 2027-06-30, renews yearly, notice 90 days``."""

    start: dt.date
    end: dt.date | None = None
    renewal: Renewal | None = None
    notice: Duration | None = None


class Level(Node):
    """Where a multi-level contract sits: corporate, customer, or service (of a customer)."""

    level: Literal["corporate", "customer", "service"]
    name: str | None = None
    customer: str | None = None
    # `level service db for every customer`: a service level under the corporate level, for
    # every customer of the service (read between the corporate and each customer's level).
    every_customer: bool = False


class BillingCycle(Node):
    """``billing cycle monthly from 2026-01-15``."""

    every: Duration
    anchor: dt.date | None = None


class FieldMapping(Node):
    """``map begin_time to start in incident records``: a log's field name to the canonical one.

    A derived field (docs/sources.md) says more: ``constant`` (``map "eu" to region``), ``plus``
    and ``plus_unit`` (``map created plus reply_minutes minutes to responded``), ``time`` and
    ``zone`` (``as time "%Y-%m-%d %H:%M" zone "Europe/Berlin"``), ``duration`` (``as duration in
    minutes``) or ``table`` (``through "SEV1" -> 1, "SEV2" -> 2``)."""

    source: str
    target: str
    record_type: str | None = None
    constant: str | Decimal | None = None
    plus: str | None = None
    plus_unit: str | None = None
    time: str | None = None
    zone: str | None = None
    duration: str | None = None
    table: tuple[tuple[str | Decimal, str | Decimal], ...] = ()

    @property
    def derived(self) -> bool:
        """Whether it derives a field rather than renaming one."""
        return (
            self.constant is not None
            or self.plus is not None
            or self.time is not None
            or self.duration is not None
            or bool(self.table)
        )


class FieldUnit(Node):
    """``field latency_ms in ms``: the unit a log field's numbers are in, stated once for the
    contract (and the levels below it), so that ``<= 1 s`` on a metric of the field compares
    with 1000 of its milliseconds. ``unit`` is canonical (a fixed length of time, see
    :mod:`obligo.model.units`)."""

    field: str
    unit: str


class DefaultCalendar(Node):
    """``calendar office`` in the contract block: business days and hours that a clause does not
    name otherwise are counted on this calendar."""

    name: str


class Margins(Node):
    """``margins wide at most 20%, narrow above 80%``: shares of the error budget used."""

    wide_at_most: Percent
    narrow_above: Percent


class Fee(Node):
    """``fee 4000 EUR monthly`` (optionally ``where region = "eu"``)."""

    money: Money
    every: Duration
    where: Condition | None = None


class Underlying(Node):
    """A supplier contract or lease the service depends on, with its end date."""

    reference: str
    supplier: str | None = None
    ends: dt.date | None = None


class Service(Node):
    id: str
    title: str | None = None
    description: str | None = None
    fees: tuple[Fee, ...] = ()
    fee_from: Selection | None = None
    # `fee from billing records ..., by region`: each region's fee is its own records' amounts;
    # `, by project, region`: each pair's (the fields of the metrics it prices, in their order)
    fee_group_by: tuple[str, ...] = ()
    delivered_by: str | None = None
    underlying: tuple[Underlying, ...] = ()


class WeeklyHours(Node):
    """``monday to friday 09:00 to 17:00``; ``all day`` is 00:00 to 24:00."""

    days: tuple[str, ...]
    start: dt.time
    end: dt.time | None  # None means midnight at the end of the day


class HolidaysOf(Node):
    """``holidays of country "DE", region "BY"``: the public holidays of a country (and one of
    its regions) as the ``holidays`` package gives them, year by year."""

    kind: Literal["country"] = "country"
    country: str
    region: str | None = None


class IcsEvent(Node):
    """One all-day event of an ICS file: the dates ``start`` to ``end`` (exclusive), once or
    every year (``RRULE:FREQ=YEARLY``, until a date or for a count of years). Its location is
    its ``BEGIN:VEVENT`` line in the ICS file."""

    start: dt.date
    end: dt.date
    yearly: bool = False
    until: dt.date | None = None
    count: int | None = None
    summary: str | None = None


class HolidaysFrom(Node):
    """``holidays from "berlin.ics"``: the all-day events of an ICS file, relative to the
    contract's file. The loader reads the file (``read``) and keeps its events."""

    kind: Literal["file"] = "file"
    path: str
    read: bool = False
    events: tuple[IcsEvent, ...] = ()


HolidaySource = HolidaysOf | HolidaysFrom


class Calendar(Node):
    """Business hours: weekly opening hours and holidays."""

    id: str
    title: str | None = None
    description: str | None = None
    timezone: str | None = None
    hours: tuple[WeeklyHours, ...] = ()
    holidays: tuple[dt.date, ...] = ()
    # Holidays drawn from a country's rules or an ICS file, besides the dates listed.
    holiday_sources: tuple[HolidaySource, ...] = ()


class NoticeRule(Node):
    """``valid when announced at least 5 days before start``."""

    kind: Literal["notice"] = "notice"
    announced_field: str
    at_least: Duration
    before_field: str


class WindowRule(Node):
    """``valid when within maintenance-window``: inside an agreed calendar window."""

    kind: Literal["window"] = "window"
    calendar: str


class Allowance(Node):
    """``excluded up to 10 hours per year``: at most this much of the exclusion's time (its
    valid windows, overlaps once) is taken out per year, used in time order; the rest is
    ordinary downtime. ``per year`` is the contract year (from the start of the term), ``per
    calendar year`` the year from 1 January, both in the contract's timezone."""

    limit: Duration
    span: Literal["contract_year", "calendar_year"] = "contract_year"


class Exclusion(Node):
    """Time that does not count against the provider, with the reason shown in reports."""

    id: str
    title: str | None = None
    description: str | None = None
    sources: tuple[Selection, ...] = ()
    valid_when: tuple[NoticeRule | WindowRule, ...] = ()
    treatment: Literal["excluded_from_period", "counts_as_available"] = "excluded_from_period"
    allowance: Allowance | None = None


class Baseline(Node):
    """``baseline the first 3 months`` or ``baseline 2026-01-01 to 2026-03-31``."""

    first: int | None = None
    unit: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class Review(Node):
    """``review every 6 months from 2026-07-01``; ``... with "Service board"`` or ``... with the
    customer's representative`` (``representative``): the party the review is held with."""

    every: Duration
    start: dt.date
    to: str | None = None
    representative: bool = False


class Notification(Node):
    """``notify 90 days before the end of the term``; ``notify "Procurement" ...``; ``notify the
    customer's representative ...`` (``representative``)."""

    to: str | None = None
    representative: bool = False
    before_end: Duration


class ClauseBreached(Node):
    kind: Literal["clause_breached"] = "clause_breached"
    clause: str | None  # None means any clause
    window: Window


class WideMargin(Node):
    kind: Literal["wide_margin"] = "wide_margin"
    clause: str | None
    window: Consecutive


class NeverMet(Node):
    kind: Literal["never_met"] = "never_met"
    clause: str | None


class MetricValueRun(Node):
    kind: Literal["metric_value_run"] = "metric_value_run"
    metric: str
    op: Comparator
    value: LiteralValue
    window: Consecutive


class VolumeDrift(Node):
    kind: Literal["volume_drift"] = "volume_drift"
    selection: Selection
    percent: Percent


class MetricNoData(Node):
    kind: Literal["metric_no_data"] = "metric_no_data"
    metric: str | None  # None means any metric
    unit: str


class TermEnding(Node):
    kind: Literal["term_ending"] = "term_ending"


class UnderlyingEnding(Node):
    kind: Literal["underlying_ending"] = "underlying_ending"


RenegotiationCondition = (
    ClauseBreached
    | WideMargin
    | NeverMet
    | MetricValueRun
    | VolumeDrift
    | MetricNoData
    | TermEnding
    | UnderlyingEnding
)


class Renegotiation(Node):
    """``renegotiate when ..., because "..."``, or ``renegotiate at the end of each month in
    which ...`` (``each``: the unit; it fires at the end of every such period in which the
    condition's window holds, not only when it starts to hold)."""

    condition: RenegotiationCondition
    reason: str | None = None
    each: str | None = None


class Import(Node):
    """``import "nimbus-standard.sla"``: a higher level this contract inherits from."""

    path: str


AgreementKind = Literal["service-based", "customer-based", "multi-level"]


class Contract(Node):
    """One contract file: the agreement and everything declared in it."""

    id: str
    title: str | None = None
    version: str | None = None
    description: str | None = None
    kind: AgreementKind | None = None
    level: Level | None = None
    parties: tuple[Party, ...] = ()
    term: Term | None = None
    timezone: str | None = None
    currency: str | None = None
    billing_cycle: BillingCycle | None = None
    mappings: tuple[FieldMapping, ...] = ()
    field_units: tuple[FieldUnit, ...] = ()
    calendar: DefaultCalendar | None = None
    margins: Margins | None = None
    imports: tuple[Import, ...] = ()
    services: tuple[Service, ...] = ()
    calendars: tuple[Calendar, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    metrics: tuple[Metric, ...] = ()
    clauses: tuple[Clause, ...] = ()
    baseline: Baseline | None = None
    at_risk: AtRisk | None = None  # `amount at risk 12% of the fees`
    reviews: tuple[Review, ...] = ()
    renegotiations: tuple[Renegotiation, ...] = ()
    notifications: tuple[Notification, ...] = ()
    # The contracts named by `import`, resolved by `obligo.load` / `obligo.parse` (higher levels).
    imported: tuple[Contract, ...] = ()
    # The text the contract was parsed from, so that findings can quote their line. Not part of
    # the contract's meaning: left out of dumps (compare models with `without_locations`).
    source_text: str | None = Field(default=None, exclude=True, repr=False)

    def levels(self) -> Iterator[Contract]:
        """This contract, then every level above it (depth first, in import order)."""
        yield self
        for parent in self.imported:
            yield from parent.levels()

    def field_unit(self, field: str) -> FieldUnit | None:
        """The declared unit of a log field: the nearest level's ``field NAME in UNIT``."""
        for level in self.levels():
            for declared in level.field_units:
                if declared.field == field:
                    return declared
        return None

    def default_calendar(self) -> DefaultCalendar | None:
        """The calendar business time is counted on where a clause names none: the nearest
        level's ``calendar NAME`` line."""
        return next((level.calendar for level in self.levels() if level.calendar), None)

    def party(self, party_id: str) -> Party | None:
        return next((p for p in self.parties if p.id == party_id), None)

    def metric(self, metric_id: str) -> Metric | None:
        return next((m for m in self.metrics if m.id == metric_id), None)

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

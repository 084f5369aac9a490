"""The monthly service review pack (``obligo review``): for one month, every objective's value
and its trend over the periods before, its margin to the target, the key measurements reported
but not promised, the breaches with their largest contributors, the credits, the rights open and
what is coming (reviews, notices, the end of the term, supplier contracts ending before it).

It is made of an evaluation's report (``obligo.report.model.Report``, the same verdicts and
consequences ``obligo eval`` shows) and of the dates the engine fixes after the evaluation time
(``obligo.engine.rights.triggers.ahead``): nothing is measured or judged here again.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Literal

from obligo.engine.judge.verdicts import UNITS
from obligo.engine.numbers import decimal_text
from obligo.engine.run.outlook import ReviewExtras, Unpromised
from obligo.engine.time.periods import local_midnight
from obligo.errors import ObligoError
from obligo.report.assemble import _fired
from obligo.report.base import Location, Quantity, ReportNode
from obligo.report.model import (
    Consequence,
    ContractRef,
    Contributor,
    Group,
    InputAccount,
    PartyRef,
    Report,
    Status,
    Verdict,
)
from obligo.report.rights import TerminationRightArisen, TriggerFired
from obligo.resolve import ResolvedContract

REVIEW_SCHEMA_VERSION = "1"
# How many periods before the one reviewed a trend shows.
TREND = 5
# How many contributors a breach names.
CAUSES = 3

_MONTH = re.compile(r"(\d{4})-(\d{2})")


class TrendPoint(ReportNode):
    """An earlier period of the objective."""

    label: str
    status: Status
    value: Quantity | None


class ObjectiveReview(ReportNode):
    """One objective (one group of it) in the period reviewed, with the periods before it."""

    clause: str
    clause_title: str | None
    location: Location
    metric: str
    group: Group | None = None
    objective: str
    period: str
    status: Status
    reason: str | None
    value: Quantity | None
    unit: str
    target: str
    # How far inside the promise the value is, in `unit` (negative: outside); null for `=`,
    # `!=` or without a value or a target.
    margin: Quantity | None
    trend: list[TrendPoint]
    reported_only: bool = False


class PastValue(ReportNode):
    """An earlier period of a metric no clause promises: measured, never judged."""

    label: str
    value: Quantity | None


class MeasurementReview(ReportNode):
    """A metric no clause promises, measured for the review: its value in the period reviewed
    (the one containing the month) and in the periods before it."""

    metric: str
    title: str | None
    period: str
    value: Quantity | None
    unit: str
    reason: str | None
    # The period reviewed is still running at the evaluation time (a quarter, a year).
    pending: bool
    trend: list[PastValue]


class Breach(ReportNode):
    """A breach in the period reviewed and its largest contributors (its causes)."""

    clause: str
    objective: str
    group: Group | None = None
    value: Quantity | None
    unit: str
    target: str
    contributors: list[Contributor]
    contributors_total: int
    # A key measurement before its promotion: judged, with no consequence.
    reported_only: bool = False


class SupplierEnding(ReportNode):
    """A supplier contract or lease a service depends on that ends before the term."""

    service: str
    reference: str
    ends: dt.date


class TermShown(ReportNode):
    start: dt.date
    end: dt.date | None
    renewal: str | None
    notice: str | None


class ReviewPack(ReportNode):
    """``obligo review``'s pack (the Markdown and HTML are made of it)."""

    kind: Literal["review"] = "review"
    schema_version: str = REVIEW_SCHEMA_VERSION
    contract: ContractRef
    customer: PartyRef | None = None
    service: str | None = None
    period: str
    period_start: dt.datetime
    period_end: dt.datetime
    evaluated_at: dt.datetime
    timezone: str
    term: TermShown
    objectives: list[ObjectiveReview]
    reported: list[ObjectiveReview]
    unpromised: list[MeasurementReview]
    breaches: list[Breach]
    consequences: list[Consequence]
    open_rights: list[TerminationRightArisen]
    fired: list[TriggerFired]
    coming: list[TriggerFired]
    suppliers_ending: list[SupplierEnding]
    inputs: list[InputAccount]
    rejected: int


def review_pack(
    report: Report,
    agreement: ResolvedContract,
    extras: ReviewExtras,
    period: str,
    *,
    service: str | None = None,
) -> ReviewPack:
    """The pack for the month ``period`` (``2026-03``) of an evaluation's report. Raises
    :class:`ObligoError` for a month that is not one, lies outside the term (the message names
    the term) or has not begun at the evaluation time."""
    term = agreement.term
    tz = agreement.tz
    start, end = _month(period, agreement)
    if start > report.evaluated_at:
        raise ObligoError(
            f"the period {period} has not begun at {report.evaluated_at.isoformat()}:"
            " give --at a time after its start",
            file=agreement.contract.loc.file,
            line=term.loc.line,
            column=term.loc.column,
        )
    shown = [v for v in report.verdicts if v.period.start <= start < v.period.end]
    reviewed = [_objective(v, report.verdicts) for v in shown]
    breaches = [
        Breach(
            clause=v.clause,
            objective=v.objective,
            group=v.group,
            value=v.value,
            unit=v.unit,
            target=v.target,
            contributors=v.evidence.contributors[:CAUSES],
            contributors_total=v.evidence.contributors_total,
            reported_only=v.reported_only,
        )
        for v in shown
        if v.status == "breached"
    ]
    return ReviewPack(
        contract=report.contract,
        customer=report.customer,
        service=service,
        period=period,
        period_start=start.astimezone(tz),
        period_end=end.astimezone(tz),
        evaluated_at=report.evaluated_at,
        timezone=report.timezone,
        term=TermShown(
            start=term.start,
            end=term.end,
            renewal=None if term.renewal is None else f"renews every {term.renewal.every}",
            notice=None if term.notice is None else str(term.notice),
        ),
        objectives=[o for o in reviewed if not o.reported_only],
        reported=[o for o in reviewed if o.reported_only],
        unpromised=[
            m for m in (_unpromised(u, start, report.evaluated_at) for u in extras.unpromised) if m
        ],
        breaches=breaches,
        consequences=[c for c in report.consequences if c.period.start <= start < c.period.end],
        open_rights=[r for r in report.termination_rights if r.open],
        fired=[t for t in report.triggers if start <= t.fired_at < end],
        coming=[_fired(item, tz) for item in extras.coming],
        suppliers_ending=[
            SupplierEnding(service=s.id, reference=u.reference, ends=u.ends)
            for s in agreement.services.values()
            for u in s.underlying
            if u.ends is not None
            and (term.end is None or u.ends < term.end)
            and u.ends >= report.evaluated_at.date()
        ],
        inputs=report.inputs,
        rejected=report.rejected,
    )


def _month(period: str, agreement: ResolvedContract) -> tuple[dt.datetime, dt.datetime]:
    """The month's bounds in the contract's timezone, checked against the term."""
    term = agreement.term
    found = _MONTH.fullmatch(period)
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise ObligoError(
            f"--period {period!r} is not a month: write YYYY-MM, e.g. 2026-03",
            file="<arguments>",
        )
    first = dt.date(int(found.group(1)), int(found.group(2)), 1)
    after = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    last = after - dt.timedelta(days=1)
    if last < term.start or (term.end is not None and first > term.end):
        span = f"{term.start} to {term.end}" if term.end is not None else f"from {term.start}"
        raise ObligoError(
            f"the period {period} is outside the term ({span})",
            hint="review a month of the term",
            file=agreement.contract.loc.file,
            line=term.loc.line,
            column=term.loc.column,
        )
    return local_midnight(first, agreement.tz), local_midnight(after, agreement.tz)


def _objective(verdict: Verdict, every: list[Verdict]) -> ObjectiveReview:
    before = [
        v
        for v in every
        if (v.clause, v.location, v.group) == (verdict.clause, verdict.location, verdict.group)
        and v.period.end <= verdict.period.start
    ][-TREND:]
    return ObjectiveReview(
        clause=verdict.clause,
        clause_title=verdict.clause_title,
        location=verdict.location,
        metric=verdict.metric,
        group=verdict.group,
        objective=verdict.objective,
        period=verdict.period.label,
        status=verdict.status,
        reason=verdict.reason,
        value=verdict.value,
        unit=verdict.unit,
        target=verdict.target,
        margin=_margin(verdict),
        trend=[TrendPoint(label=v.period.label, status=v.status, value=v.value) for v in before],
        reported_only=verdict.reported_only,
    )


def _unpromised(item: Unpromised, start: dt.datetime, at: dt.datetime) -> MeasurementReview | None:
    """The metric in the period containing the month's start (None: it has no such period),
    the periods before it its trend."""
    periods = list(item.periods)
    index = next((i for i, p in enumerate(periods) if p.start <= start < p.end), None)
    if index is None:
        return None
    period = periods[index]
    measured = item.measured.get(period.label)

    def value(label: str) -> Decimal | None:
        found = item.measured.get(label)
        if found is None or found.value is None:
            return None
        return Decimal(decimal_text(found.value))

    dimension = measured.dimension if measured is not None else "number"
    return MeasurementReview(
        metric=item.metric.id,
        title=item.metric.title,
        period=period.label,
        value=value(period.label),
        unit=UNITS.get(dimension, ""),
        reason=None if measured is None else measured.no_data,
        pending=period.end > at,
        trend=[
            PastValue(label=p.label, value=value(p.label))
            for p in periods[max(0, index - TREND) : index]
        ],
    )


def _margin(verdict: Verdict) -> Decimal | None:
    """The value's distance inside the promise (``>=``: value - target; ``<=``: target -
    value), in the verdict's unit; the operator is the objective's as written."""
    if verdict.value is None or verdict.target_value is None:
        return None
    op = _operator(verdict)
    if op in (">=", ">"):
        return verdict.value - verdict.target_value
    if op in ("<=", "<"):
        return verdict.target_value - verdict.value
    return None


def _operator(verdict: Verdict) -> str | None:
    """The comparison of a promise as the report writes it: right before the target, at the
    end (``api-uptime >= 99.9%``), never inside a group's quoted value."""
    for op in (">=", "<=", "!=", ">", "<", "="):
        if verdict.objective.endswith(f" {op} {verdict.target}"):
            return op
    return None

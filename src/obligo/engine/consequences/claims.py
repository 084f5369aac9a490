"""Claims: when a credit must be claimed, by which deadline, and whether it has passed; and
claim requirements (``claim requires ticket records within 72 hours of the outage``), which
decide which records a credit may be computed from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from obligo.engine.context import EvaluationContext, Record
from obligo.engine.time.periods import MeasurementPeriod, measurement_periods
from obligo.model import clauses as c
from obligo.model import conditions as k
from obligo.model import metrics as m
from obligo.model.base import Duration, Text
from obligo.model.clauses import CLAIM_PERIOD_WORDS
from obligo.model.contract import BillingCycle
from obligo.syntax import printer

from .values import ClaimState, RequirementChecked

# Words after `claim ... after the` that name the period credited rather than a record type: the
# model's one table, which the checks read too.
PERIOD_WORDS = CLAIM_PERIOD_WORDS
_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_MICROSECOND = dt.timedelta(microseconds=1)


def add_duration(instant: dt.datetime, duration: Duration, ctx: EvaluationContext) -> dt.datetime:
    """``instant`` plus a duration, in the contract's zone (see periods.add_duration); business
    days and hours on the contract's calendar (``within 7 business days after the end of the
    month`` ends at the close of the 7th opening day from the month's end)."""
    return ctx.after(instant, duration)


def last_day(deadline: dt.datetime, ctx: EvaluationContext) -> dt.date:
    """The last local day on which a claim is still in time (the deadline is exclusive)."""
    return (deadline - _MICROSECOND).astimezone(ctx.tz).date()


@dataclass
class ClaimClock:
    """Computes claim deadlines for one evaluation."""

    ctx: EvaluationContext
    billing: BillingCycle | None
    _cycles: dict[dt.datetime, list[MeasurementPeriod]] = field(default_factory=dict)

    def status(
        self,
        claim: c.Claim | None,
        period: MeasurementPeriod,
        supporting: Sequence[Record],
        requirements: list[RequirementChecked],
    ) -> ClaimState:
        """The claim of a credit for ``period``. ``supporting``: the records a claim ``after the
        ticket`` counts from (those that met the claim requirements, or those the credit was
        computed from)."""
        if claim is None or isinstance(claim, c.ClaimAutomatic):
            return ClaimState(
                rule=None if claim is None else printer.claim(claim),
                required=False,
                deadline=None,
                last_day=None,
                passed=None,
                detail="given without a claim",
                requirements=tuple(requirements),
            )
        deadline, detail = self._deadline(claim, period, supporting)
        at = self.ctx.at
        return ClaimState(
            rule=printer.claim(claim),
            required=True,
            deadline=deadline,
            last_day=None if deadline is None else last_day(deadline, self.ctx),
            passed=None if deadline is None else at >= deadline,
            detail=detail,
            requirements=tuple(requirements),
        )

    def _deadline(
        self, claim: c.Claim, period: MeasurementPeriod, supporting: Sequence[Record]
    ) -> tuple[dt.datetime | None, str]:
        if isinstance(claim, c.ClaimByBillingCycle):
            cycle = self._nth_cycle_after(period.end, claim.ordinal)
            return cycle.end, f"the end of billing cycle {cycle.label}"
        assert isinstance(claim, c.ClaimWithin)
        if claim.after in PERIOD_WORDS:
            deadline = add_duration(period.end, claim.duration, self.ctx)
            return deadline, f"{claim.duration} after the end of {period.label}"
        # After a record: the earliest deadline of the records behind the credit, so that a
        # claim made by then is in time for all of them.
        anchors: list[tuple[dt.datetime, str]] = []
        for record in supporting:
            if record.type != claim.after:
                continue
            name = f"{record.type} {record.id}" if record.id else f"a {record.type} record"
            if claim.end_of:
                if record.end is None or record.end > self.ctx.at:
                    return None, f"{name} is still open: the claim period has not begun"
                anchors.append((record.end, f"the end of {name}"))
            elif record.when is not None:
                anchors.append((record.when, name))
        if not anchors:
            deadline = add_duration(period.end, claim.duration, self.ctx)
            return deadline, (
                f"no {claim.after} record behind the credit: {claim.duration} after the end of"
                f" {period.label}"
            )
        deadlines = sorted(
            (add_duration(when, claim.duration, self.ctx), name) for when, name in anchors
        )
        deadline, name = deadlines[0]
        return deadline, f"{claim.duration} after {name}"

    def _nth_cycle_after(self, instant: dt.datetime, ordinal: int) -> MeasurementPeriod:
        """The ``ordinal``-th billing cycle that starts at or after ``instant`` (the first
        billing cycle after a month is the next cycle to begin once the month is over)."""
        if instant not in self._cycles:
            ctx = self.ctx
            until = instant + dt.timedelta(days=400 * 7)
            cycles = measurement_periods(
                m.BillingCyclePeriod(), ctx.tz, ctx.term_start, None, until, self.billing
            )
            self._cycles[instant] = [p for p in cycles if p.start >= instant]
        return self._cycles[instant][ordinal - 1]


# ------------------------------------------------------------------------------ requirements
@dataclass
class RequirementOutcome:
    """What the claim requirements of a clause make of one metric's records."""

    metric: m.Metric  # the metric restricted to the records that met every requirement
    applies: bool  # whether any requirement concerns the records of this metric
    checks: list[tuple[Requirement, list[tuple[Record, Record | None]]]]

    def in_period(self, period: MeasurementPeriod) -> tuple[list[RequirementChecked], list[Record]]:
        """The checks of the records that begin in the period, and the records that met them
        with the records that qualified them."""
        reports: list[RequirementChecked] = []
        supporting: list[Record] = []
        for requirement, pairs in self.checks:
            inside = [(r, s) for r, s in pairs if r.when is not None and period.contains(r.when)]
            missing = [_name(r) for r, s in inside if s is None]
            # Both the records that qualified and the reports that qualified them: a claim
            # counted from the outage, or from the ticket, finds its anchor among them.
            for record, report in inside:
                if report is not None:
                    supporting.extend((record,) if report is record else (record, report))
            reports.append(
                RequirementChecked(
                    requirement=printer.claim_requirement(requirement),
                    records=len(inside),
                    qualifying=len(inside) - len(missing),
                    not_qualifying=tuple(missing),
                )
            )
        return reports, supporting


def _name(record: Record) -> str:
    when = record.when.isoformat() if record.when is not None else "?"
    return f"{record.type} {record.id}" if record.id else f"{record.type} at {when}"


Requirement = c.ClaimRequirement | c.NoticeRequirement


def restrict(
    metric: m.Metric,
    requirements: tuple[Requirement, ...],
    ctx: EvaluationContext,
    clause_id: str,
) -> RequirementOutcome:
    """The metric measured only from records that met the clause's claim requirements: a
    record of the type a requirement names (``of the outage``) counts only if a record of the
    requirement's selection is at or after its start and at most the given time after it; or,
    for ``the outage not fixed within 2 hours of its notified``, only if it was not fixed within
    that time of the notice in its own field (:func:`_unfixed`)."""
    checks: list[tuple[Requirement, list[tuple[Record, Record | None]]]] = []
    excluded: dict[str, list[k.Condition]] = {}
    for requirement in requirements:
        selections = _selections_of_type(metric, requirement.after)
        if not selections:
            continue
        reports: list[Record] = []
        fields: list[str] = []
        if isinstance(requirement, c.NoticeRequirement):
            fields = [requirement.notice_field]
        else:
            reports = ctx.records(requirement.selection)
        pairs: list[tuple[Record, Record | None]] = []
        seen: set[tuple[object, ...]] = set()
        for selection in selections:
            for record in ctx.records(selection, fields):
                key = (record.id, record.when, record.end)
                if key in seen:
                    continue
                seen.add(key)
                if isinstance(requirement, c.NoticeRequirement):
                    report = _unfixed(record, requirement, ctx)
                else:
                    report = _report_for(record, reports, requirement.within, ctx)
                pairs.append((record, report))
                if report is None:
                    excluded.setdefault(requirement.after, []).append(_matching(record))
        checks.append((requirement, pairs))
    if not checks:
        return RequirementOutcome(metric, False, [])
    if not excluded:
        return RequirementOutcome(metric, True, checks)  # every record met them
    # Measured under a name of its own: the engine caches measurements by metric name.
    restricted = _without(metric, excluded, f"{metric.id}#claimable-in-clause-{clause_id}")
    return RequirementOutcome(restricted, True, checks)


def _unfixed(
    record: Record, requirement: c.NoticeRequirement, ctx: EvaluationContext
) -> Record | None:
    """The record itself when it was not fixed within the time of its notice (its end after the
    notice plus that time; a record still open at the evaluation time is not fixed, and counts
    once that time has passed); None when it has no notice or was fixed in time."""
    notice = record.fields.get(requirement.notice_field)
    if not isinstance(notice, dt.datetime):
        return None
    due = add_duration(notice, requirement.within, ctx)
    fixed = record.end if record.end is not None and record.end <= ctx.at else None
    if fixed is not None:
        return record if fixed > due else None
    return record if ctx.at > due else None


def _report_for(
    record: Record, reports: list[Record], within: Duration, ctx: EvaluationContext
) -> Record | None:
    begun = record.when
    if begun is None:
        return None
    latest = add_duration(begun, within, ctx)
    candidates = [r for r in reports if r.when is not None and begun <= r.when <= latest]
    return min(candidates, key=lambda r: (r.when, r.id or ""), default=None)


def _matching(record: Record) -> k.Condition:
    """A condition true for exactly this record: its id (or having none) and its start."""
    identity: k.Condition = (
        k.Compare(field="id", op="=", value=Text(value=record.id))
        if record.id is not None
        else k.Presence(field="id", present=False)
    )
    field_name = "time" if record.time is not None else "start"
    when = record.when
    assert when is not None
    moment = k.Compare(
        field=field_name, op="=", value=Text(value=when.astimezone(dt.UTC).isoformat())
    )
    return k.And(operands=(identity, moment))


def _selections_of_type(metric: m.Metric, record_type: str) -> list[k.Selection]:
    found: list[k.Selection] = []
    down_during = metric.down_during if isinstance(metric, m.AvailabilityMetric) else ()
    for selection in down_during:
        if selection.record_type == record_type:
            found.append(selection)
    measure_selection = getattr(metric.measure, "selection", None)
    if isinstance(measure_selection, k.Selection) and measure_selection.record_type == record_type:
        found.append(measure_selection)
    return found


def _without(metric: m.Metric, excluded: dict[str, list[k.Condition]], name: str) -> m.Metric:
    """The metric with the excluded records taken out of its selections of their type."""

    def narrowed(selection: k.Selection) -> k.Selection:
        out = excluded.get(selection.record_type)
        if not out:
            return selection
        drop = k.Not(operand=k.Or(operands=tuple(out)))
        where = drop if selection.where is None else k.And(operands=(selection.where, drop))
        return selection.model_copy(update={"where": where})

    update: dict[str, object] = {"id": name}
    if isinstance(metric, m.AvailabilityMetric):
        update["down_during"] = tuple(narrowed(s) for s in metric.down_during)
    measure_selection = getattr(metric.measure, "selection", None)
    if isinstance(measure_selection, k.Selection):
        update["measure"] = metric.measure.model_copy(
            update={"selection": narrowed(measure_selection)}
        )
    return metric.model_copy(update=update)

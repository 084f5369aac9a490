"""Report nodes for rights and triggers: termination rights that arose, escalation notices due,
and renegotiation triggers that fired (scheduled reviews, notices and the baseline's review
included).

Times are in the contract's timezone; quantities are Decimals (decimal strings in JSON), as in
the rest of the report. Each list is sorted by time, then by where its line stands in the contract, so the same
inputs give the same bytes. The rules are in ``docs/rights-and-triggers.md``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from obligo.engine.rights.triggers import TriggerKind as TriggerKind  # one list for both
from obligo.report.base import Location, Quantity, ReportNode


class TriggerPeriod(ReportNode):
    """A period that made a trigger hold: a breach, a period met by a wide margin, a period
    without data, a month's volume; ``detail`` says what was measured in it."""

    label: str
    start: dt.datetime
    end: dt.datetime
    detail: str


class Outage(ReportNode):
    """A record counted by ``K records longer than D start within any W`` or by a running
    total (``more than 24 hours of outage records in a calendar month``)."""

    type: str
    id: str | None = None
    start: dt.datetime
    end: dt.datetime | None = None  # None: still open at the evaluation time
    seconds: Quantity  # its length (so far, when still open)


class TerminationRightArisen(ReportNode):
    """One occasion on which a clause's termination right arose.

    ``arose_at`` is the moment the trigger's facts were all established: the end of the period
    that completed a run of breaches or whose total passed the threshold, the first instant a
    running total exceeded its duration, or the moment the last of K outages had lasted longer
    than D. ``lapses_at`` is ``arose_at`` plus the time to exercise
    it (None: the contract sets no time). ``open`` says whether it may still be exercised at the
    evaluation time.
    """

    clause: str
    clause_title: str | None
    location: Location
    trigger: str
    arose_at: dt.datetime
    exercise: str | None = None  # "in writing within 30 days"
    lapses_at: dt.datetime | None = None
    open: bool
    reason: str
    periods: list[TriggerPeriod] = Field(default_factory=list)
    outages: list[Outage] = Field(default_factory=list)


class EscalationNotice(ReportNode):
    """A notice due to a role (``escalate to "Service Director" when ...``): when, to whom, why."""

    clause: str
    clause_title: str | None
    location: Location
    to: str
    trigger: str
    due_at: dt.datetime
    reason: str
    periods: list[TriggerPeriod] = Field(default_factory=list)
    outages: list[Outage] = Field(default_factory=list)


class BaselineComparison(ReportNode):
    """One objective at the end of the baseline: what was achieved, against the target."""

    clause: str
    metric: str
    group: str | dict[str, str] | None = None  # as a verdict's group: a value or an object
    objective: str
    unit: str
    periods: list[TriggerPeriod]
    # The level achieved in every baseline period with a value (the worst of them); None when
    # no period had a value or the objective has no better direction (= and !=).
    achieved: Quantity | None = None
    met: int
    breached: int
    no_data: int
    outcome: str  # in words: "met in 3 of 3 periods", "breached in 2 of 3 periods", ...


class TriggerFired(ReportNode):
    """A renegotiation trigger that fired, a scheduled review, a notice before the end of the
    term or the review at the end of the baseline: when, and why in plain words."""

    kind: TriggerKind
    fired_at: dt.datetime
    reason: str
    because: str | None = None  # the contract's own reason (`, because "..."`)
    location: Location
    clause: str | None = None
    metric: str | None = None
    to: str | None = None  # notices: whom to notify
    periods: list[TriggerPeriod] = Field(default_factory=list)
    comparisons: list[BaselineComparison] = Field(default_factory=list)


class Assessment(ReportNode):
    """Rights and triggers of one evaluation, each list in time order."""

    termination_rights: list[TerminationRightArisen] = Field(default_factory=list)
    escalations: list[EscalationNotice] = Field(default_factory=list)
    triggers: list[TriggerFired] = Field(default_factory=list)

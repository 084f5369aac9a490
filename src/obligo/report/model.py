"""The report model. JSON is its serialisation; ``docs/report.schema.json`` is generated from it.

Exact quantities are decimal strings (``"99.9"``), never floats, so that a consumer reads the
same number obligo decided on. Evidence names records by type, id and time, never by line
number, so the same records in another order give the same bytes; only rejections carry lines.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = "1"

Status = Literal["met", "breached", "no_data", "pending"]


class ReportNode(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PeriodRef(ReportNode):
    """A measurement period: ``[start, end)`` in the contract's timezone."""

    label: str
    start: dt.datetime
    end: dt.datetime
    partial: bool = False


class Location(ReportNode):
    file: str
    line: int
    column: int


class Contributor(ReportNode):
    """A record that made the value: an incident's downtime, a bad slice, a late ticket."""

    type: str
    id: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    seconds: str | None = None
    detail: str | None = None


class ExclusionApplied(ReportNode):
    """Time an exclusion took out of the period (or counted as available), with its reason."""

    exclusion: str
    reason: str
    treatment: Literal["excluded_from_period", "counts_as_available"]
    seconds: str
    records: int


class ExclusionRefused(ReportNode):
    """A record that would have excluded time, and why it did not (notice too short, ...)."""

    exclusion: str
    type: str
    id: str | None = None
    start: dt.datetime | None = None
    reason: str


class Evidence(ReportNode):
    """What the value was computed from: totals, the largest contributors, the exclusions."""

    totals: dict[str, str] = {}
    contributors: list[Contributor] = []
    contributors_total: int = 0
    exclusions: list[ExclusionApplied] = []
    exclusions_refused: list[ExclusionRefused] = []


class ErrorBudget(ReportNode):
    """For a pending period: how much more can go wrong before the objective breaches."""

    remaining: str
    unit: str
    used: str  # the share of the budget used so far, in percent


class Verdict(ReportNode):
    """One objective in one measurement period."""

    clause: str
    clause_title: str | None
    location: Location
    metric: str
    group: str | None = None
    objective: str
    period: PeriodRef
    status: Status
    reason: str | None = None
    value: str | None = None
    unit: str
    target: str
    error_budget: ErrorBudget | None = None
    evidence: Evidence


class Rejection(ReportNode):
    """A line of an input that could not be used, and why."""

    file: str
    line: int
    reason: str


class InputAccount(ReportNode):
    """Every line read from one input, accounted for."""

    name: str
    lines: int
    used: int
    outside_periods: int
    unused: int
    rejected: int
    merged: int = 0  # lines folded into an earlier record with the same type and id
    naive_timestamps: int = 0


class ContractRef(ReportNode):
    id: str
    version: str | None
    title: str | None


class Window(ReportNode):
    """The periods shown; every period is evaluated from the start of the term regardless."""

    start: dt.date | None = None
    end: dt.date | None = None


class Report(ReportNode):
    schema_version: str = SCHEMA_VERSION
    contract: ContractRef
    evaluated_at: dt.datetime
    timezone: str
    window: Window
    inputs: list[InputAccount]
    merges: int
    rejected: int
    rejections: list[Rejection]
    verdicts: list[Verdict]

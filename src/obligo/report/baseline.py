"""The report of ``obligo baseline``: for each objective, its values in past periods, the level
achieved in 50%, 90% and 99% of them, and how its current target would have fared.

JSON is its serialisation (``obligo baseline --format json``); quantities are Decimals (decimal
strings in JSON), times are in the contract's timezone. The rules are in ``docs/rights-and-triggers.md``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from obligo.report.base import Quantity
from obligo.report.model import ContractRef, Group, Location, ReportNode

BASELINE_SCHEMA_VERSION = "1"

# How a period fared against the current target: breached; met narrowly (more than the narrow
# share of the error budget used); met; met by a wide margin (at most the wide share used).
Outcome = Literal["breached", "met_narrowly", "met", "met_by_wide_margin", "no_data"]


class PastPeriod(ReportNode):
    """One closed period of an objective."""

    label: str
    start: dt.datetime
    end: dt.datetime
    partial: bool = False
    baseline: bool = False  # the period starts inside the contract's baseline
    # A key measurement (`report ...`) before its promotion: judged for the history, but it
    # carried no consequence in this period.
    reported_only: bool = False
    status: Literal["met", "breached", "no_data"]
    reason: str | None = None
    value: Quantity | None = None
    budget_used: Quantity | None = None  # the share of the error budget used, in percent
    outcome: Outcome | None = None  # None: the target is relative to the baseline


class AchievedLevel(ReportNode):
    """The level achieved in at least ``share`` percent of the periods with a value: the
    nearest-rank value, counted from the best (``periods`` achieved it or better)."""

    share: int
    value: Quantity
    periods: int
    outcome: Outcome | None = None  # the current target against this level


class OutcomeCounts(ReportNode):
    breached: int = 0
    met_narrowly: int = 0
    met: int = 0
    met_by_wide_margin: int = 0
    no_data: int = 0


class ObjectiveHistory(ReportNode):
    clause: str
    clause_title: str | None
    location: Location
    metric: str
    group: Group | None = None  # as in the evaluation's report: a value, or an object of values
    objective: str
    target: str  # as written: "99.9%", "110% of the baseline"
    # The target in the metric's unit, exactly as judged (a target relative to the baseline
    # once the baseline is over); None while it is not known.
    target_value: Quantity | None = None
    unit: str
    better: Literal["higher", "lower"] | None  # None: `=` or `!=`, no better direction
    periods: list[PastPeriod]
    valued: int  # periods with a value (the levels are taken over these)
    levels: list[AchievedLevel]
    outcomes: OutcomeCounts


class BaselineDates(ReportNode):
    """The contract's baseline: first and last day."""

    first: dt.date
    last: dt.date


class MarginShares(ReportNode):
    """Shares of the error budget, in percent: wide at most, narrow above."""

    wide_at_most: Quantity
    narrow_above: Quantity


class BaselineReport(ReportNode):
    schema_version: str = BASELINE_SCHEMA_VERSION
    contract: ContractRef
    evaluated_at: dt.datetime
    timezone: str
    baseline: BaselineDates | None = None
    margins: MarginShares
    objectives: list[ObjectiveHistory]

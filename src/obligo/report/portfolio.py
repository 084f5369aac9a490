"""The report of an agreement set: one section per (customer, service) evaluated, one line
account for the log they share, and the provider's net position over all of them."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from obligo.report.base import ReportNode
from obligo.report.model import (
    SCHEMA_VERSION,
    InputAccount,
    NetPosition,
    Rejection,
    Report,
    Window,
)

Tier = Literal["corporate", "customer", "service", "agreement"]


class ClauseOrigin(ReportNode):
    """A clause in force for the section, the level and file it comes from, and the clauses of
    higher levels it replaced (nearest first, as ``file:line``)."""

    clause: str
    level: Tier
    file: str
    line: int
    replaces: list[str] = []


class Section(ReportNode):
    """One (customer, service) pair: the clauses that applied and their report. ``customer``
    is null for a service-based agreement evaluated over every record (no customer field);
    ``customer`` and ``service`` are both null for an agreement that declares no service,
    evaluated whole."""

    customer: str | None
    service: str | None
    agreement: str
    kind: Literal["service-based", "customer-based", "multi-level"] | None
    clauses: list[ClauseOrigin]
    report: Report


class PortfolioReport(ReportNode):
    """Every section, evaluated in one pass over the logs. ``inputs`` accounts for every line
    once (the sections' reports carry no line account of their own); ``net_position`` adds up
    the sections' net positions per period and currency."""

    schema_version: str = SCHEMA_VERSION
    kind: Literal["portfolio"] = "portfolio"
    evaluated_at: dt.datetime
    timezone: str
    window: Window
    inputs: list[InputAccount]
    merges: int
    rejected: int
    rejections: list[Rejection]
    sections: list[Section]
    net_position: list[NetPosition] = []

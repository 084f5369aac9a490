"""The HTML form of a report: one self-contained, printable file (inline CSS and SVG, no script,
nothing loaded from anywhere) for the people who act on it.

It holds the parties, the customer's representative and the term, a summary (verdicts by status,
money per currency, open termination rights, triggers), then a section per clause: its words as
the report holds them (printed from the model), a table and a chart per objective (the credit
tiers' bounds from the report too), and for each breach its evidence and the credit's
arithmetic in a ``<details>``. Rendered by jinja2 with autoescaping, over the report made inert
(terminal controls and invisible characters shown escaped, as in the text report), so that no text
from a contract or a log can become markup. The same report gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import jinja2

from obligo._inert import inert_model
from obligo.render import quantities
from obligo.render.html_chart import Chart, build_chart, tier_rules
from obligo.report.base import plain
from obligo.report.model import (
    AgreementParty,
    ClauseText,
    Consequence,
    Group,
    MoneyTotal,
    Report,
    Verdict,
)
from obligo.report.portfolio import PortfolioReport

TEMPLATES = Path(__file__).resolve().parent / "templates" / "html"


def duration(seconds: Decimal | None) -> str:
    """Seconds as people write a duration (``3 h 43 min``), as the text report writes them;
    ``-`` for none."""
    return "-" if seconds is None else quantities.duration(seconds)


def group_text(group: Group | None) -> str:
    if group is None:
        return ""
    if isinstance(group, str):
        return group
    return ", ".join(f"{name}={value}" for name, value in group.items())


@dataclass(frozen=True)
class Numbers:
    """How numbers are written: percentages to ``precision`` decimal places (half-even, as the
    JSON rounds beyond its 9), or exactly as the report holds them when it is None."""

    precision: int | None = None

    def percent(self, value: Decimal) -> str:
        if self.precision is None:
            return plain(value)
        return plain(value.quantize(Decimal(1).scaleb(-self.precision), rounding=ROUND_HALF_EVEN))

    def measured(self, value: Decimal | None, unit: str) -> str:
        if value is None:
            return "-"
        if unit == "%":
            return f"{self.percent(value)}%"
        if unit == "s":
            return duration(value)
        return f"{plain(value)} {unit}".rstrip()


@dataclass
class Objective:
    """One objective (and group) of a clause: its periods, their chart and the credits."""

    key: str
    objective: str
    group: str
    unit: str
    verdicts: list[Verdict] = field(default_factory=list)
    chart: Chart | None = None
    # Per verdict (same order): the consequences of its clause, period and group.
    matched: list[list[Consequence]] = field(default_factory=list)


@dataclass
class ClauseView:
    clause: str
    title: str | None
    # The clause's words, printed from the model (the report's `clauses`), line by line.
    words: tuple[str, ...] = ()
    objectives: list[Objective] = field(default_factory=list)
    # Consequences that belong to no verdict shown (a billing period over rolling windows, ...).
    other_consequences: list[Consequence] = field(default_factory=list)


def _clauses(report: Report) -> list[ClauseView]:
    views: dict[str, ClauseView] = {}
    texts: dict[str, ClauseText] = {}
    for shown in report.clauses:
        texts.setdefault(shown.clause, shown)

    def view(clause: str, title: str | None) -> ClauseView:
        return views.setdefault(clause, ClauseView(clause, title))

    objectives: dict[tuple[str, str], Objective] = {}
    for verdict in report.verdicts:
        clause = view(verdict.clause, verdict.clause_title)
        group = group_text(verdict.group)
        key = (verdict.clause, f"{verdict.objective}\0{group}")
        if key not in objectives:
            objectives[key] = Objective(
                f"{verdict.clause}-{len(clause.objectives) + 1}",
                verdict.objective,
                group,
                verdict.unit,
            )
            clause.objectives.append(objectives[key])
        objectives[key].verdicts.append(verdict)
    for right in report.termination_rights:
        view(right.clause, right.clause_title)
    for notice in report.escalations:
        view(notice.clause, notice.clause_title)
    matched: set[int] = set()
    for item in report.consequences:
        view(item.clause, item.clause_title)
    for shown in report.clauses:  # a clause with nothing to show this time: its words, after
        view(shown.clause, shown.title)
    for clause in views.values():
        text = texts.get(clause.clause)
        clause.words = () if text is None else tuple(text.lines)
        for objective in clause.objectives:
            for verdict in objective.verdicts:
                found = [
                    (index, item)
                    for index, item in enumerate(report.consequences)
                    if item.clause == verdict.clause
                    and item.period.label == verdict.period.label
                    and group_text(item.group) == objective.group
                ]
                matched.update(index for index, _ in found)
                objective.matched.append([item for _, item in found])
            objective.chart = build_chart(
                objective.verdicts,
                tier_rules([] if text is None else text.tiers, objective.verdicts[0]),
                [v.period.label for v in objective.verdicts],
            )
    for index, item in enumerate(report.consequences):
        if index not in matched:
            views[item.clause].other_consequences.append(item)
    return list(views.values())


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value is escaped; the templates mark nothing safe
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["duration"] = duration
    env.filters["plain"] = lambda value: "-" if value is None else plain(value)
    env.filters["group"] = group_text
    env.filters["instant"] = lambda when: "-" if when is None else when.isoformat()
    return env


@dataclass(frozen=True)
class _Summary:
    met: int
    breached: int
    no_data: int
    pending: int
    money: list[MoneyTotal]
    open_rights: int
    rights: int
    triggers: int
    escalations: int


def _summary(report: Report) -> _Summary:
    count = {status: 0 for status in ("met", "breached", "no_data", "pending")}
    for verdict in report.verdicts:
        count[verdict.status] += 1
    return _Summary(
        count["met"],
        count["breached"],
        count["no_data"],
        count["pending"],
        report.totals.contract,
        sum(1 for right in report.termination_rights if right.open),
        len(report.termination_rights),
        len(report.triggers),
        len(report.escalations),
    )


def _parties(report: Report) -> list[AgreementParty]:
    """The parties the header lists: those the report names, or its customer alone in a report
    made without them."""
    customer = report.customer
    if report.parties or customer is None:
        return report.parties
    return [
        AgreementParty(
            role="customer",
            id=customer.id,
            title=customer.title,
            representative=customer.representative,
        )
    ]


def _report_context(report: Report, numbers: Numbers) -> dict[str, object]:
    report = inert_model(report)
    return {
        "report": report,
        "parties": _parties(report),
        "summary": _summary(report),
        "clauses": _clauses(report),
        "n": numbers,
    }


def report_html(report: Report, *, precision: int | None = None) -> str:
    """One agreement's report as a self-contained HTML page; ``precision``: decimal places of
    percentages (default: exact). Everything it shows comes from the report, the parties and
    the clauses' words included (a contract read from standard input shows them too)."""
    context = _report_context(report, Numbers(precision))
    template = _environment().get_template("report.html.j2")
    return template.render(page_title=f"obligo report: {report.contract.id}", **context)


def portfolio_html(portfolio: PortfolioReport, *, precision: int | None = None) -> str:
    """An agreement set's report: every section as a single report shows it, the net position
    over all of them and the line account of the shared logs."""
    numbers = Numbers(precision)
    portfolio = inert_model(portfolio)
    sections = [
        (section, _report_context(section.report, numbers)) for section in portfolio.sections
    ]
    template = _environment().get_template("portfolio.html.j2")
    return template.render(
        page_title="obligo report: agreement set",
        portfolio=portfolio,
        sections=sections,
        n=numbers,
    )

"""The report of an evaluation, and of an agreement set, assembled from the engine's values at
the end (``obligo.engine.run.evaluation.Evaluation``, ``obligo.engine.run.portfolio.Portfolio``):
the API calls the engine, then these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from obligo.engine.run.accounting import LineAccount
from obligo.engine.run.evaluation import Evaluation
from obligo.engine.run.portfolio import Portfolio
from obligo.events import Rejection as RejectedLine
from obligo.model.clauses import Clause
from obligo.model.contract import HolidaysOf
from obligo.model.holidays import holidays_in_year, holidays_package_version, source_label
from obligo.report import agreement as words
from obligo.report import consequences as owed
from obligo.report.assemble import assessment, verdict
from obligo.report.model import (
    BaselineRef,
    CalendarHolidays,
    ContractRef,
    Holiday,
    HolidaySourceRef,
    InputAccount,
    PartyRef,
    Rejection,
    Report,
    Window,
)
from obligo.report.portfolio import ClauseOrigin, PortfolioReport, Section
from obligo.resolve.contract import ResolvedContract


def report(evaluation: Evaluation) -> Report:
    """The report of one evaluation: verdicts and consequences of the periods shown, their
    totals, rights and triggers, suppliers' and net positions."""
    contract = evaluation.agreement.contract
    span = evaluation.span
    at, tz = evaluation.at, evaluation.tz
    zone = at.tzinfo
    rights = assessment(evaluation.rights, tz)
    return Report(
        contract=ContractRef(id=contract.id, version=contract.version, title=contract.title),
        customer=next(
            (
                PartyRef(id=p.id, title=p.title, representative=p.representative)
                for p in evaluation.agreement.parties.values()
                if p.role == "customer"
            ),
            None,
        ),
        parties=words.parties(evaluation.agreement.parties),
        term=words.term(evaluation.agreement.term),
        evaluated_at=at,
        timezone=tz.key,
        window=Window(start=evaluation.window_start, end=evaluation.window_end),
        inputs=inputs(evaluation.inputs),
        merges=evaluation.merges,
        rejected=len(evaluation.rejections),
        rejections=rejections(evaluation.rejections),
        baseline=None
        if span is None
        else BaselineRef(
            first=span.first, last=span.after - dt.timedelta(days=1), ended=at >= span.end
        ),
        clauses=words.clause_texts(
            evaluation.agreement.clauses,
            {j.metric.id: j.measurement.dimension for j in evaluation.judged},
        ),
        verdicts=[verdict(j, zone) for j in evaluation.judged],
        consequences=[
            owed.consequence(o, tz, group_fields(evaluation.agreement, o.clause))
            for o in evaluation.owed
        ],
        totals=owed.totals(evaluation.totals),
        termination_rights=rights.termination_rights,
        escalations=rights.escalations,
        triggers=rights.triggers,
        suppliers=[owed.supplier(p, tz) for p in evaluation.suppliers],
        net_position=[owed.net_position(n, tz) for n in evaluation.net_position],
        calendars=calendar_holidays(evaluation),
    )


def calendar_holidays(evaluation: Evaluation) -> list[CalendarHolidays]:
    """The calendars in force that draw holidays from a country or a file, with every
    holiday from the term's first year to the year after the evaluated span."""
    agreement = evaluation.agreement
    term = agreement.term
    last = evaluation.at.astimezone(evaluation.tz).date()
    if term.end is not None:
        last = min(last, term.end)
    years = range(term.start.year, max(last.year, term.start.year) + 2)
    found: list[CalendarHolidays] = []
    for calendar in agreement.calendars.values():
        if not calendar.holiday_sources:
            continue
        sources = []
        for source in calendar.holiday_sources:
            if isinstance(source, HolidaysOf):
                sources.append(
                    HolidaySourceRef(
                        source=source_label(source),
                        kind="country",
                        country=source.country,
                        region=source.region,
                        package="holidays",
                        package_version=holidays_package_version(),
                    )
                )
            else:
                sources.append(
                    HolidaySourceRef(source=source_label(source), kind="file", file=source.path)
                )
        found.append(
            CalendarHolidays(
                calendar=calendar.id,
                sources=sources,
                holidays=[
                    Holiday(date=h.date, name=h.name, source=h.source)
                    for year in years
                    for h in holidays_in_year(calendar, year)
                ],
            )
        )
    return found


def group_fields(agreement: ResolvedContract, clause: Clause) -> tuple[str, ...]:
    """The ``by`` fields of the metrics a clause promises (a clause's groups are those of its
    metrics: the first grouped one's)."""
    for objective in clause.promises:
        metric = agreement.metrics.get(objective.metric)
        fields: tuple[str, ...] = getattr(getattr(metric, "measure", None), "group_by", ())
        if fields:
            return fields
    return ()


def inputs(accounts: Sequence[LineAccount]) -> list[InputAccount]:
    """The line account of every input, as the report writes it."""
    return [
        InputAccount(
            name=a.name,
            lines=a.lines,
            used=a.used,
            outside_periods=a.outside_periods,
            unused=a.unused,
            rejected=a.rejected,
            merged=a.merged,
            naive_timestamps=a.naive_timestamps,
            near=a.near,
        )
        for a in accounts
    ]


def rejections(rejected: Sequence[RejectedLine]) -> list[Rejection]:
    return [Rejection(file=r.file, line=r.line, reason=r.reason) for r in rejected]


def portfolio_report(portfolio: Portfolio) -> PortfolioReport:
    """The report of an agreement set: a section per (customer, service) pair evaluated, the
    line account of the log they share, the provider's net position over all of them."""
    tz = portfolio.tz
    return PortfolioReport(
        evaluated_at=portfolio.at,
        timezone=tz.key,
        window=Window(start=portfolio.window_start, end=portfolio.window_end),
        inputs=inputs(portfolio.inputs),
        merges=portfolio.merges,
        rejected=len(portfolio.rejections),
        rejections=rejections(portfolio.rejections),
        sections=[
            Section(
                customer=section.customer,
                service=section.plan.pair_service,
                agreement=section.plan.agreement,
                kind=section.plan.kind,
                clauses=[
                    ClauseOrigin(
                        clause=c.id,
                        level=c.origin.tier,
                        file=c.origin.file,
                        line=c.origin.line,
                        replaces=[str(o) for o in c.replaces],
                    )
                    for c in section.plan.origins
                ],
                report=report(section.evaluation),
            )
            for section in portfolio.sections
        ],
        net_position=[owed.net_position(n, tz) for n in portfolio.net_position],
    )


def single_report(portfolio: PortfolioReport) -> Report | None:
    """The plain report of a portfolio of one section (one agreement file evaluated for its
    customer, or over every record), with the portfolio's line account; else None."""
    if len(portfolio.sections) != 1:
        return None
    return portfolio.sections[0].report.model_copy(update={"inputs": portfolio.inputs})

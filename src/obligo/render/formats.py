"""The formats ``obligo eval`` writes, by name: each renders a single agreement's report and an
agreement set's portfolio. A new format is one entry here (and its module beside this one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from obligo.render.html import portfolio_html, report_html
from obligo.render.json import portfolio_json, report_json
from obligo.render.openmetrics import portfolio_openmetrics, report_openmetrics
from obligo.render.text import portfolio_text, report_text
from obligo.report.model import Report
from obligo.report.portfolio import PortfolioReport


@dataclass(frozen=True)
class ReportFormat:
    """How one format writes an evaluation: one agreement's report, or a set's portfolio."""

    name: str
    report: Callable[[Report], str]
    portfolio: Callable[[PortfolioReport], str]

    def render(self, result: Report | PortfolioReport) -> str:
        if isinstance(result, PortfolioReport):
            return self.portfolio(result)
        return self.report(result)


FORMATS: dict[str, ReportFormat] = {
    f.name: f
    for f in (
        # The first is the default.
        ReportFormat("text", lambda r: report_text([r]), portfolio_text),
        ReportFormat("json", lambda r: report_json([r]), portfolio_json),
        ReportFormat("html", report_html, portfolio_html),
        ReportFormat("openmetrics", lambda r: report_openmetrics([r]), portfolio_openmetrics),
    )
}

"""The formats ``obligo eval`` writes, by name: each renders a single agreement's report and an
agreement set's portfolio, with the reader's options (places of a percentage, the width to wrap
at; a format for programs ignores them). A new format is one entry here (and its module beside
this one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from obligo.render.html import portfolio_html, report_html
from obligo.render.json import portfolio_json, report_json
from obligo.render.junit import portfolio_junit, report_junit
from obligo.render.markdown import portfolio_markdown, report_markdown
from obligo.render.openmetrics import portfolio_openmetrics, report_openmetrics
from obligo.render.options import PLAIN, RenderOptions
from obligo.render.text import portfolio_text, report_text
from obligo.report.model import Report
from obligo.report.portfolio import PortfolioReport


@dataclass(frozen=True)
class ReportFormat:
    """How one format writes an evaluation: one agreement's report, or a set's portfolio."""

    name: str
    report: Callable[[Report, RenderOptions], str]
    portfolio: Callable[[PortfolioReport, RenderOptions], str]

    def render(self, result: Report | PortfolioReport, options: RenderOptions = PLAIN) -> str:
        if isinstance(result, PortfolioReport):
            return self.portfolio(result, options)
        return self.report(result, options)


FORMATS: dict[str, ReportFormat] = {
    f.name: f
    for f in (
        # The first is the default.
        ReportFormat("text", lambda r, o: report_text([r], o), portfolio_text),
        ReportFormat("json", lambda r, o: report_json([r]), lambda p, o: portfolio_json(p)),
        ReportFormat("markdown", report_markdown, portfolio_markdown),
        ReportFormat(
            "html",
            lambda r, o: report_html(r, precision=o.precision),
            lambda p, o: portfolio_html(p, precision=o.precision),
        ),
        ReportFormat("junit", lambda r, o: report_junit(r), lambda p, o: portfolio_junit(p)),
        ReportFormat(
            "openmetrics",
            lambda r, o: report_openmetrics([r]),
            lambda p, o: portfolio_openmetrics(p),
        ),
    )
}

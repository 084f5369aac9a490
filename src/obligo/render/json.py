"""The JSON form of a report: deterministic (the same inputs give the same bytes), documented
by a JSON Schema generated from the report model (``docs/report.schema.json``). Terminal
controls and invisible characters in strings are written as ``\\uXXXX`` escapes (the same JSON
value), so that the report is harmless to print."""

from __future__ import annotations

import json
from typing import Any

from obligo._inert import inert_json
from obligo.report.model import Report
from obligo.report.portfolio import PortfolioReport


def report_json(reports: list[Report]) -> str:
    """One report as an object, several as an array; keys in model order, two-space indent."""
    data: Any = [r.model_dump(mode="json") for r in reports]
    if len(reports) == 1:
        data = data[0]
    return inert_json(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def portfolio_json(portfolio: PortfolioReport) -> str:
    """An agreement set's report, in the same form."""
    return (
        inert_json(json.dumps(portfolio.model_dump(mode="json"), indent=2, ensure_ascii=False))
        + "\n"
    )


def portfolio_schema() -> str:
    """The JSON Schema of an agreement set's report (docs/portfolio.schema.json)."""
    schema = PortfolioReport.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "obligo agreement set report"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def report_schema() -> str:
    # Serialization mode: the keys every report carries are marked required.
    schema = Report.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "obligo evaluation report"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"

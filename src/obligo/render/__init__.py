"""Renderers: a report for people (text) and for machines (JSON)."""

from obligo.render.json import portfolio_json, portfolio_schema, report_json, report_schema
from obligo.render.text import portfolio_text, report_text

__all__ = [
    "portfolio_json",
    "portfolio_schema",
    "portfolio_text",
    "report_json",
    "report_schema",
    "report_text",
]

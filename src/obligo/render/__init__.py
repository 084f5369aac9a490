"""Renderers: a report for people (text) and for machines (JSON)."""

from obligo.render.json import report_json, report_schema
from obligo.render.text import report_text

__all__ = ["report_json", "report_schema", "report_text"]

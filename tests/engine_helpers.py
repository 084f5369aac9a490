"""Helpers shared by the engine tests: a checked contract from text, the engine's entry points
on a contract (checked and resolved first, as the API does, without its guard), and an
evaluation context over a log of records, as the engine builds one."""

from __future__ import annotations

import contextlib
import datetime as dt
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import obligo
from obligo.engine.context import EvaluationContext
from obligo.engine.run.assessment import assessment as engine_assessment
from obligo.engine.run.baseline_report import baseline_report as engine_baseline_report
from obligo.engine.run.evaluation import evaluate as engine_evaluate
from obligo.errors import Severity
from obligo.events import EventLog, schema_for
from obligo.model.contract import Contract
from obligo.report import assemble, history
from obligo.report import evaluation as assembled
from obligo.report.baseline import BaselineReport
from obligo.report.model import Report
from obligo.report.rights import Assessment
from obligo.resolve.resolver import check_and_resolve


def parse(text: str) -> Contract:
    contract = obligo.parse(textwrap.dedent(text).lstrip("\n"))
    errors = [d for d in obligo.check(contract) if d.severity is Severity.ERROR]
    assert not errors, [d.format() for d in errors]
    return contract


def evaluate(
    contract: Contract, events: Any, at: dt.datetime | None = None, **options: Any
) -> Report:
    """The engine's evaluation of a contract, checked and resolved first, as the report shows
    it."""
    return assembled.report(engine_evaluate(check_and_resolve(contract), events, at, **options))


def assessment(
    contract: Contract, events: Any, at: dt.datetime | None = None, **options: Any
) -> Assessment:
    """The engine's rights and triggers of a contract, checked and resolved first, as the
    report shows them."""
    agreement = check_and_resolve(contract)
    return assemble.assessment(engine_assessment(agreement, events, at, **options), agreement.tz)


def baseline_report(
    contract: Contract, events: Any, at: dt.datetime | None = None, **options: Any
) -> BaselineReport:
    """The engine's baseline of a contract, checked and resolved first, as the report shows
    it."""
    found = engine_baseline_report(check_and_resolve(contract), events, at, **options)
    return history.baseline_report(found)


@contextlib.contextmanager
def context(
    contract: Contract, events: Iterable[Mapping[str, Any]], at: dt.datetime
) -> Iterator[EvaluationContext]:
    agreement = check_and_resolve(contract)
    schema = schema_for(contract, {})
    log = EventLog.load([list(events)], schema, agreement.tz)
    try:
        yield EvaluationContext(agreement, at.astimezone(agreement.tz), log, schema)
    finally:
        log.close()


def shop_contract(title: str = "Web shop", clause_title: str = "Availability") -> str:
    """The small contract the command-line tests evaluate: one availability promise in Berlin
    (a title to put odd characters in; the clause's title too)."""
    return f"""\
contract shop "{title}" version 2
  term 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"

metric uptime "Shop availability"
  availability, per calendar month
  down during incident records where severity <= 2

clause 1 "{clause_title}"
  promise uptime >= 99.9%
"""

"""Helpers shared by the engine tests: a checked contract from text, and an evaluation context
over a log of records, as the engine builds one."""

from __future__ import annotations

import contextlib
import datetime as dt
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from zoneinfo import ZoneInfo

import obligo
from obligo.checks.reporter import Scope
from obligo.engine.context import EvaluationContext
from obligo.errors import Severity
from obligo.events import EventLog, schema_for
from obligo.model.contract import Contract


def parse(text: str) -> Contract:
    contract = obligo.parse(textwrap.dedent(text).lstrip("\n"))
    errors = [d for d in obligo.check(contract) if d.severity is Severity.ERROR]
    assert not errors, [d.format() for d in errors]
    return contract


@contextlib.contextmanager
def context(
    contract: Contract, events: Iterable[Mapping[str, Any]], at: dt.datetime
) -> Iterator[EvaluationContext]:
    scope = Scope.of(contract)
    assert scope.timezone is not None and contract.term is not None
    tz = ZoneInfo(scope.timezone)
    schema = schema_for(contract, {})
    log = EventLog.load([list(events)], schema, tz)
    try:
        yield EvaluationContext(
            contract,
            scope,
            tz,
            at.astimezone(tz),
            contract.term.start,
            contract.term.end,
            log,
            schema,
        )
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

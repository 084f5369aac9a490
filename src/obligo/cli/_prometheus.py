"""``--events prometheus+...``: the Prometheus sources of ``obligo eval`` read into inputs of the
log, over the span the contract is evaluated on (docs/prometheus.md)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from obligo.checks.reporter import Scope
from obligo.events.prometheus import (
    NamedRecords,
    PrometheusError,
    QueriesFileError,
    is_source,
    read_queries,
    read_sources,
)
from obligo.model.base import Duration
from obligo.model.contract import Contract


def split_sources(events: tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
    """The ``--events`` values that are files (or folders, globs, ``-``), and the Prometheus
    sources, each in the order given."""
    return tuple(e for e in events if not is_source(e)), [e for e in events if is_source(e)]


def span(contract: Contract | None, at: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    """What the queries cover: from the start of the contract's term (midnight in its timezone)
    to the evaluation time (now when not given), or to the end of the term if that is earlier:
    every period is evaluated from the start of the term, whatever the periods shown."""
    if contract is None or contract.term is None:
        raise PrometheusError(
            "a Prometheus source is read over the contract's term, and the contract has none",
            hint="give the contract a term (term 2026-01-01 to 2026-12-31)",
        )
    zone = ZoneInfo(Scope.of(contract).timezone or "UTC")
    term = contract.term
    start = dt.datetime.combine(term.start, dt.time(), zone)
    end = at if at is not None else dt.datetime.now(dt.UTC)
    if term.end is not None:
        end = min(end, dt.datetime.combine(term.end + dt.timedelta(days=1), dt.time(), zone))
    return start, end


def prometheus_inputs(
    sources: list[str],
    queries: str | None,
    contract: Contract | None,
    at: dt.datetime | None,
) -> list[NamedRecords]:
    """The records of every Prometheus source given, one input a query."""
    if not sources:
        if queries is not None:
            raise PrometheusError(
                "--prometheus-queries is given, but no --events prometheus+... source",
                file=queries,
                hint="e.g. --events prometheus+http://localhost:9090",
            )
        return []
    start, end = span(contract, at)
    if queries is not None and contract is not None:
        check_steps(queries, contract)
    return read_sources(sources, queries, start, end)


def slice_widths(contract: Contract) -> set[int]:
    """The slice widths of the contract's metrics, in seconds."""
    widths: set[int] = set()
    for metric in contract.metrics:
        width = getattr(metric, "slice", None)
        if isinstance(width, Duration) and width.seconds is not None:
            widths.add(int(width.seconds))
    return widths


def check_steps(queries: str, contract: Contract) -> None:
    """A query's step is the slice width: one that is no slice width of the contract would
    leave slices without a sample (measured on a part of the time) or put several samples in
    one. Refused, at the step's line."""
    widths = slice_widths(contract)
    if not widths:
        return
    for query in read_queries(queries):
        if query.step not in widths:
            shown = ", ".join(f"{w}s" for w in sorted(widths))
            raise QueriesFileError(
                f"the step {query.step}s of the query for {query.record} records is no slice"
                f" width of {contract.id} ({shown}): its samples would not be one a slice",
                file=query.file,
                line=query.step_line,
                column=1 + len(query.step_source or "") - len((query.step_source or "").lstrip()),
                source_line=query.step_source,
                hint="write the step as the metric's `in slices of` duration",
            )

"""``--events prometheus+...``: the Prometheus sources of ``obligo eval`` read into inputs of the
log, over the span the contract is evaluated on, with the ``[[query]]`` tables of the sources
file and of ``--prometheus-queries`` (docs/prometheus.md); and what ``obligo check`` finds in a
sources file's queries against the contracts beside it."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from obligo.checks.reporter import Scope
from obligo.errors import Diagnostic, Severity
from obligo.events.prometheus import (
    NamedRecords,
    PrometheusError,
    PrometheusQuery,
    QueriesFileError,
    is_source,
    read_queries,
    read_sources,
)
from obligo.events.sourcefile import Sources
from obligo.model.base import Duration, walk
from obligo.model.conditions import Selection
from obligo.model.contract import Contract
from obligo.model.inheritance import lineage


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
    queries_file: str | None,
    sources_file: Sources | None,
    contract: Contract | None,
    at: dt.datetime | None,
) -> list[NamedRecords]:
    """The records of every Prometheus source given, one input a query."""
    if not sources:
        if queries_file is not None:
            raise PrometheusError(
                "--prometheus-queries is given, but no --events prometheus+... source",
                file=queries_file,
                hint="e.g. --events prometheus+http://localhost:9090",
            )
        return []
    start, end = span(contract, at)
    queries = queries_of(queries_file, sources_file)
    if contract is not None:
        check_steps(queries, contract)
    return read_sources(sources, queries, start, end)


def queries_of(queries_file: str | None, sources_file: Sources | None) -> list[PrometheusQuery]:
    """The sources file's queries, then the queries file's. A record type is queried in one of
    the two only: were both to write it, which one's samples the contract measures would
    depend on an order nobody wrote down."""
    written = list(sources_file.queries) if sources_file is not None else []
    if queries_file is None:
        return written
    given = read_queries(queries_file)
    for query in given:
        other = next((w for w in written if w.record == query.record), None)
        if other is not None:
            raise QueriesFileError(
                f"the sources file {other.file} (line {other.line}) already has a query for"
                f" {query.record} records: each record type is queried in one file only",
                file=query.file,
                line=query.record_line,
                column=_column(query.record_source),
                source_line=query.record_source,
                hint="remove this [[query]] table, or the sources file's",
            )
    return written + given


def slice_widths(contract: Contract) -> set[int]:
    """The slice widths of the contract's metrics, in seconds."""
    widths: set[int] = set()
    for metric in contract.metrics:
        width = getattr(metric, "slice", None)
        if isinstance(width, Duration) and width.seconds is not None:
            widths.add(int(width.seconds))
    return widths


def _column(source: str | None) -> int:
    return 1 + len(source or "") - len((source or "").lstrip())


def _step_problem(query: PrometheusQuery, names: str, widths: set[int]) -> str:
    shown = ", ".join(f"{w}s" for w in sorted(widths))
    return (
        f"the step {query.step}s of the query for {query.record} records is no slice"
        f" width of {names} ({shown}): its samples would not be one a slice"
    )


_STEP_HINT = "write the step as the metric's `in slices of` duration"


def check_steps(queries: Sequence[PrometheusQuery], contract: Contract) -> None:
    """A query's step is the slice width: one that is no slice width of the contract would
    leave slices without a sample (measured on a part of the time) or put several samples in
    one. Refused, at the step's line."""
    widths = slice_widths(contract)
    if not widths:
        return
    for query in queries:
        if query.step not in widths:
            raise QueriesFileError(
                _step_problem(query, contract.id, widths),
                file=query.file,
                line=query.step_line,
                column=_column(query.step_source),
                source_line=query.step_source,
                hint=_STEP_HINT,
            )


def record_types(contract: Contract) -> set[str]:
    """The record types a contract (with its levels) reads anywhere: metrics, exclusions,
    fees, claim requirements."""
    types: set[str] = set()
    for level in lineage(contract):
        for node in walk(level.model_copy(update={"imported": ()})):
            if isinstance(node, Selection):
                types.add(node.record_type)
    return types


def query_findings(sources: Sources, contracts: Sequence[Contract]) -> list[Diagnostic]:
    """What ``obligo check`` says of a sources file's queries against the contracts it serves:
    a step that is no slice width of theirs is an error (as ``eval`` refuses it); a record type
    none of them reads is a warning, with the nearest one they read: its samples would be read
    by no metric (a misspelt type gives no data), yet the file may serve other contracts."""
    found: list[Diagnostic] = []
    if not contracts:
        return found
    widths = set().union(*(slice_widths(c) for c in contracts))
    read = sorted(set().union(*(record_types(c) for c in contracts)))
    names = ", ".join(c.id for c in contracts)
    for query in sources.queries:
        if widths and query.step not in widths:
            found.append(
                Diagnostic(
                    Severity.ERROR,
                    _step_problem(query, names, widths),
                    query.file,
                    query.step_line,
                    _column(query.step_source),
                    _STEP_HINT,
                    query.step_source,
                )
            )
        if query.record not in read:
            near = difflib.get_close_matches(query.record, read, n=1)
            found.append(
                Diagnostic(
                    Severity.WARNING,
                    f"no contract here reads {query.record} records ({names}): the samples of"
                    " this query would be measured by nothing",
                    query.file,
                    query.record_line,
                    _column(query.record_source),
                    f"did you mean {near[0]!r}?"
                    if near
                    else "the records read: " + (", ".join(read) or "none"),
                    query.record_source,
                )
            )
    return found

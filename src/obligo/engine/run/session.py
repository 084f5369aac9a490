"""Opening an evaluation (the log, the context) of a resolved contract and measuring its metrics.

``evaluate``, rights and triggers, and ``obligo baseline`` all open an evaluation the same way
and measure each metric once, through :class:`Measurer`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from obligo.engine.context import EvaluationContext
from obligo.engine.measure import aggregates, availability, records, slices
from obligo.engine.measure.measurement import Measurement
from obligo.engine.measure.planner import plan_measurements
from obligo.engine.scans import ScanPlan
from obligo.engine.time.evaluation_time import evaluation_time
from obligo.engine.time.periods import local_midnight
from obligo.errors import EventDataError, ObligoError, ObligoSemanticError
from obligo.events import EventLog, EventSchema, Source, is_frame, schema_for
from obligo.model import metrics as m
from obligo.model.base import walk
from obligo.model.conditions import Selection
from obligo.resolve import ResolvedContract

EventInput = Any  # a path, "-", an open file, or an iterable of dicts


@contextlib.contextmanager
def opened(
    agreement: ResolvedContract,
    events: Sequence[EventInput] | EventInput,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> Iterator[EvaluationContext]:
    """An evaluation context over a resolved contract and its logs; the log is closed on
    leaving. Raises :class:`~obligo.EventDataError` on bad data unless ``skip_invalid``."""
    schema = schema_for(agreement.contract, checked_mappings(mappings))
    _term_in_range(agreement)
    at = evaluation_time(at, agreement.tz)
    log = EventLog.load(as_inputs(events), schema, agreement.tz, skip_invalid=skip_invalid)
    try:
        yield EvaluationContext(agreement, at, log, schema)
    finally:
        log.close()


def context_over(
    agreement: ResolvedContract, log: EventLog, schema: EventSchema, at: dt.datetime | None
) -> EvaluationContext:
    """An evaluation context of a resolved contract over a log already loaded (which may hold
    the records of other agreements too)."""
    _term_in_range(agreement)
    return EvaluationContext(agreement, evaluation_time(at, agreement.tz), log, schema)


def _term_in_range(agreement: ResolvedContract) -> None:
    """The term's first and last days as instants in the contract's timezone: a term that
    starts on 0001-01-01 or ends on 9999-12-31 has no instant at one of its ends."""
    term, tz = agreement.term, agreement.tz
    try:
        local_midnight(term.start, tz).astimezone(dt.UTC)
        if term.end is not None:
            local_midnight(term.end + dt.timedelta(days=1), tz).astimezone(dt.UTC)
    except OverflowError:
        raise ObligoSemanticError(
            f"the term {term.start} to {term.end} cannot be evaluated: its days must lie"
            " between 0001-01-02 and 9999-12-30",
            file=term.loc.file,
            line=term.loc.line,
            column=term.loc.column,
        ) from None


def checked_mappings(mappings: Mapping[str, str] | None) -> dict[str, str]:
    """The mappings given to an evaluation (``{"start": "begin_time"}``), as names of fields:
    each a non-empty text."""
    found: dict[str, str] = {}
    for target, source in dict(mappings or {}).items():
        for name in (target, source):
            if not isinstance(name, str) or not name.strip() or not _encodable(name):
                raise ObligoError(
                    f"a mapping names fields by their names, as text: {target!r}: {source!r}",
                    file="<mappings>",
                    line=1,
                    column=1,
                    hint='give mappings such as {"start": "begin_time"}',
                )
        found[target] = source
    return found


def _encodable(name: str) -> bool:
    """Whether a field's name can be one: UTF-8 text without NUL characters."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in name


def as_inputs(events: Any) -> list[Any]:
    """One input or a list of inputs; an iterable holding dicts is one input (of records)."""
    if (
        isinstance(events, str | bytes | Source)
        or hasattr(events, "read")
        or hasattr(events, "__fspath__")
    ):
        return [_path_checked(events)]
    if is_frame(events):  # a DataFrame iterates over its column names: it is one input
        return [events]
    items: list[Any] = list(events)
    for item in items:
        _path_checked(item)
    if any(isinstance(e, Mapping) for e in items):
        # One iterable of records; whatever in it is not a record is rejected at its line.
        return [items]
    return items


def _path_checked(item: Any) -> Any:
    """A path with a NUL character names no file: an error naming the input, not the
    operating system's ValueError."""
    name = item.decode("utf-8", "replace") if isinstance(item, bytes) else item
    if isinstance(name, str) and "\x00" in name:
        raise EventDataError(
            f"cannot read {name!r}: a file name cannot hold a NUL character",
            file=name.replace("\x00", "\\0"),
            line=1,
            column=1,
        )
    return item


def planned(
    agreement: ResolvedContract,
    at: dt.datetime | None = None,
    mappings: Mapping[str, str] | None = None,
) -> ScanPlan:
    """The scans an evaluation of the contract at ``at`` would run, without running them: the
    plan depends on the contract, its time and the fields' names, not on the logs' records."""
    with opened(agreement, [], at, mappings=mappings) as ctx:
        Measurer(ctx)
        return ctx.scans


class Measurer:
    """Measures metrics over one context, each metric once (by period label)."""

    def __init__(self, ctx: EvaluationContext) -> None:
        self.ctx = ctx
        self.cache: dict[str, Any] = {}
        if not ctx.scans.planned:  # every metric of the contract, before any is measured
            plan_measurements(ctx, ctx.agreement.metrics.values())

    def __call__(self, metric: m.Metric) -> dict[str, Measurement]:
        return measure_metric(metric, self.ctx, self.cache)


def measure_metric(
    metric: m.Metric, ctx: EvaluationContext, cache: dict[str, Any]
) -> dict[str, Measurement]:
    key = "measure:" + metric.id
    if key in cache:
        return cache[key]  # type: ignore[no-any-return]
    downtimes: dict[str, availability.Downtime] = cache.setdefault("downtime", {})
    result: dict[str, Measurement]
    if isinstance(metric, m.AvailabilityMetric):
        result = availability.availability(metric, ctx, downtimes)
    elif isinstance(metric, m.TotalDurationMetric):
        result = availability.total_duration(metric, ctx, downtimes)
    elif isinstance(metric, m.MeanTimeToRepairMetric | m.MeanTimeBetweenFailuresMetric):
        result = availability.repair_times(metric, ctx, downtimes)
    elif isinstance(metric, m.SliceAverageMetric):
        result = slices.slice_average(metric, ctx)
    elif isinstance(metric, m.RatioMetric):
        result = aggregates.ratio(metric, ctx)
    elif isinstance(metric, m.AggregateMetric):
        result = aggregates.aggregate(metric, ctx)
    else:
        result = records.share_within_target(metric, ctx)
    unmeasured(metric, ctx, result)
    cache[key] = result
    return result


def unmeasured(metric: m.Metric, ctx: EvaluationContext, result: dict[str, Measurement]) -> None:
    """A metric that no log feeds is unmeasured in every period, never silently compliant (a
    count or a total duration of a record type the log never mentions would otherwise be 0)."""
    if isinstance(metric, m.AvailabilityMetric) and (
        metric.down_when is not None or metric.down_because is not None
    ):
        return  # a composite is measured when its components are
    # The records the value is made of; deployment records (`only while`) only bound the time,
    # and status records (`paused while`) only stop a record's clock.
    lines = m.written(metric)
    deployments = {id(s) for s in lines.only_while}
    deployments |= {id(p.selection) for p in lines.pauses if isinstance(p, m.PausedWhile)}
    types = sorted(
        {
            n.record_type
            for n in walk(metric)
            if isinstance(n, Selection) and id(n) not in deployments
        }
    )
    if not types:
        return
    if ctx.has_records(types):
        return
    reason = "unmeasured: the log has no " + " or ".join(f"{t} records" for t in types)
    for measurement in result.values():
        measurement.value = None
        measurement.no_data = reason
        measurement.budget = None
        for group in measurement.groups.values():
            group.value, group.no_data, group.budget = None, reason, None

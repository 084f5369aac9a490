"""The pauses of the records a share-within-target metric times: when their clock stops.

- ``paused while STATUS records where CONDITION, linked by FIELD``: the status records whose
  ``FIELD`` holds a record's id are its history of status changes, in the order of their
  ``time``. From each one on, the record's status is that record's: the clock is stopped while
  the latest status record meets ``CONDITION`` and runs again at the first later one that does
  not. Status records of one record at the same instant that disagree leave the clock running
  (a pause needs a status that says so). Before its first status record a record is not paused.
- ``paused from START to END``: the record is paused from its ``START`` field to its ``END``
  field; without ``END`` the pause is still going on. Several lines add their pauses.
- What the log says after the evaluation time is not known at it: a status record after it is
  not read, and a pause ending after it is still going on.

The pauses of one record are a union (:func:`obligo.engine.time.clock.merged`); the log's
loader has rejected a status record naming a record the log does not hold, a resume without a
pause and a pause ending before it starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from obligo.engine.context import EvaluationContext, Record
from obligo.engine.time.clock import Pause, merged
from obligo.events.sql import compile_condition, quote_ident
from obligo.model import metrics as m

Pauses = Callable[[Record], list[Pause]]


def pause_fields(metric: m.ShareWithinTargetMetric) -> list[str]:
    """The fields of the timed records that their pauses read (``paused from A to B``)."""
    found: list[str] = []
    for pause in metric.pauses:
        if isinstance(pause, m.PausedBetween):
            found += [pause.start_field, pause.end_field]
    return list(dict.fromkeys(found))


def pauses_of(metric: m.ShareWithinTargetMetric, ctx: EvaluationContext) -> Pauses:
    """A function giving each timed record its pauses, merged (empty without pause lines)."""
    histories = [
        _status_pauses(pause, ctx) for pause in metric.pauses if isinstance(pause, m.PausedWhile)
    ]
    pairs = [pause for pause in metric.pauses if isinstance(pause, m.PausedBetween)]
    at = ctx.at.astimezone(dt.UTC)

    def of(record: Record) -> list[Pause]:
        found: list[Pause] = []
        if record.id is not None:
            for history in histories:
                found += history.get(record.id, ())
        for pair in pairs:
            start = timestamp(record, pair.start_field)
            if start is None:
                continue  # no pause (an end without a start was rejected at the load)
            end = timestamp(record, pair.end_field)
            found.append((start, None if end is None or end > at else end))
        return merged(found)

    return of


def timestamp(record: Record, name: str) -> dt.datetime | None:
    """A timestamp field of a record (``opened``, ``paused_at``), or None without one."""
    if name in ("start", "end", "time"):
        return getattr(record, name)  # type: ignore[no-any-return]
    value = record.fields.get(name)
    return value if isinstance(value, dt.datetime) else None


def status_query(pause: m.PausedWhile, ctx: EvaluationContext) -> tuple[str, list[object]]:
    """The query of the status records of ``paused while ...``: each one's record id, time, and
    whether it stops the clock (shown by ``eval --plan``)."""
    where, params = compile_condition(pause.selection.where, ctx.schema)
    link = quote_ident(pause.link)
    sql = (
        f'SELECT {link}, "time", COALESCE(({where}), FALSE) FROM events WHERE "type" = ?'
        f' AND {link} IS NOT NULL AND "time" IS NOT NULL AND "time" <= ?'
    )
    return sql, [*params, pause.selection.record_type, ctx.at]


def _status_pauses(pause: m.PausedWhile, ctx: EvaluationContext) -> dict[str, list[Pause]]:
    """Each record's pauses from its status records (read once per evaluation)."""
    sql, values = status_query(pause, ctx)
    key = ("pauses", sql, repr(values))
    if key not in ctx.shared:
        changes: dict[str, dict[dt.datetime, bool]] = {}
        for record_id, time, stops in ctx.query(sql, values):
            instant = time.astimezone(dt.UTC)
            at_instant = changes.setdefault(str(record_id), {})
            # Disagreeing status records at one instant leave the clock running.
            at_instant[instant] = at_instant.get(instant, True) and bool(stops)
        found: dict[str, list[Pause]] = {}
        for record_id, history in changes.items():
            intervals: list[Pause] = []
            since: dt.datetime | None = None
            for instant in sorted(history):
                if history[instant] and since is None:
                    since = instant
                elif not history[instant] and since is not None:
                    intervals.append((since, instant))
                    since = None
            if since is not None:
                intervals.append((since, None))
            found[record_id] = intervals
        ctx.shared[key] = found
    result: dict[str, list[Pause]] = ctx.shared[key]
    return result

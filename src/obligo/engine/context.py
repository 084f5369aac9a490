"""Everything an evaluation needs in one place: the resolved contract, its time, its calendars,
the log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from obligo.engine.scans import RECORD_HEAD, RECORD_ORDER, ScanPlan
from obligo.engine.time.business_time import BusinessCalendar
from obligo.engine.time.periods import (
    MeasurementPeriod,
    add_duration,
    local_midnight,
    measurement_periods,
)
from obligo.errors import EventDataError, ObligoError
from obligo.events import EventLog, EventSchema
from obligo.events.sql import compile_selection, quote_ident
from obligo.model.base import Duration
from obligo.model.conditions import Selection
from obligo.model.metrics import Metric, Period
from obligo.resolve import ResolvedContract


@dataclass
class Record:
    """One record as the engine sees it: its identity, its times and the fields asked for."""

    type: str
    id: str | None
    time: dt.datetime | None
    start: dt.datetime | None
    end: dt.datetime | None
    fields: dict[str, Any]

    @property
    def when(self) -> dt.datetime | None:
        return self.time or self.start


@dataclass
class EvaluationContext:
    # What is evaluated: the contract with everything in force for it (obligo.resolve).
    agreement: ResolvedContract
    at: dt.datetime
    log: EventLog
    schema: EventSchema
    # The contract's timezone and term (from the agreement, read in the inner loops).
    tz: ZoneInfo = field(init=False)
    term_start: dt.date = field(init=False)
    term_end: dt.date | None = field(init=False)
    _periods: dict[str, list[MeasurementPeriod]] = field(default_factory=dict)
    _records: dict[tuple[str, str, tuple[str, ...]], list[Record]] = field(default_factory=dict)
    _present: dict[tuple[str, ...], bool] = field(default_factory=dict)
    # The first instant of the term and the last instant evaluated (exclusive: the evaluation
    # time or the end of the term), in UTC.
    start: dt.datetime = field(init=False)
    end: dt.datetime = field(init=False)
    _calendars: dict[str, BusinessCalendar] = field(default_factory=dict)
    # What several metrics of one evaluation ask alike (the periods holding records of a type).
    shared: dict[Any, Any] = field(default_factory=dict)
    # The scans the metrics' measures read, planned before any runs (obligo.engine.measure.planner).
    scans: ScanPlan = field(default_factory=ScanPlan)

    def __post_init__(self) -> None:
        # Computed once: the engine asks for them in its inner loops.
        self.tz = self.agreement.tz
        self.term_start = self.agreement.term.start
        self.term_end = self.agreement.term.end
        self.start = local_midnight(self.term_start, self.tz).astimezone(dt.UTC)
        at = self.at.astimezone(dt.UTC)
        if self.term_end is None:
            self.end = at
        else:
            term_end = local_midnight(self.term_end + dt.timedelta(days=1), self.tz)
            self.end = min(at, term_end.astimezone(dt.UTC))
        if self.schema.now is None:  # where a record still open ends, for its length
            self.schema = replace(self.schema, now=self.end)

    def periods(self, period: Period) -> list[MeasurementPeriod]:
        """The metric's periods from the start of the term, with their bounds in UTC (all
        arithmetic is done in UTC; the report shows them in the contract's timezone)."""
        key = period.model_dump_json(exclude={"loc"})
        if key not in self._periods:
            self._periods[key] = [
                replace(p, start=p.start.astimezone(dt.UTC), end=p.end.astimezone(dt.UTC))
                for p in measurement_periods(
                    period,
                    self.tz,
                    self.term_start,
                    self.term_end,
                    self.at,
                    self.agreement.billing_cycle,
                )
            ]
        return self._periods[key]

    def calendar(self, name: str | None) -> BusinessCalendar:
        if name is None:
            return BusinessCalendar.always(self.tz)
        if name not in self._calendars:
            model = self.agreement.calendars.get(name)
            if model is None:  # pragma: no cover - the checks reject unknown calendars
                raise ObligoError(f'unknown calendar "{name}"')
            self._calendars[name] = BusinessCalendar(model, self.tz)
        return self._calendars[name]

    def business_calendar(self, duration: Duration) -> BusinessCalendar:
        """The calendar business time that names none is counted on: the contract's ``calendar
        NAME`` line (the checks refuse business time without one; never a 24x7 reading)."""
        default = self.agreement.business_calendar
        if default is None:
            raise ObligoError(
                f"{duration}: no calendar to count them on",
                file=duration.loc.file,
                line=duration.loc.line,
                column=duration.loc.column,
                hint="add `calendar NAME` to the contract",
            )
        return self.calendar(default.name)

    def after(self, instant: dt.datetime, duration: Duration) -> dt.datetime:
        """``instant`` plus a duration: business time on the contract's calendar (see
        :meth:`BusinessCalendar.deadline`), any other length in the contract's zone (see
        :func:`obligo.engine.time.periods.add_duration`)."""
        if duration.business:
            return self.business_calendar(duration).deadline(instant, duration)
        return add_duration(instant, duration, self.tz)

    def metric(self, name: str) -> Metric:
        return self.agreement.metrics[name]

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.log.connection.execute(sql, list(params)).fetchall()
        except duckdb.OutOfRangeException as error:
            # A sum of the log's numbers beyond the 38 digits DuckDB keeps (each value fits:
            # the loader checked): an input error, not a crash.
            raise EventDataError(
                f"a sum of the log's numbers needs more than 38 digits ({_first_line(error)})",
                hint="the values of the field are too large to add up exactly",
            ) from None

    def has_records(self, types: Iterable[str]) -> bool:
        """Whether the log holds any record of these types (asked once per set of types): the
        whole log, also when this evaluation sees one customer's records only (a customer
        without incidents is measured at 100%, not unmeasured)."""
        wanted = tuple(sorted(set(types)))
        if not wanted:
            return False
        if wanted not in self._present:
            marks = ", ".join("?" for _ in wanted)
            table = self.log.all_records
            rows = self.query(f'SELECT count(*) FROM {table} WHERE "type" IN ({marks})', wanted)
            self._present[wanted] = bool(rows[0][0])
        return self._present[wanted]

    def plan_records(self, reads: Iterable[tuple[Selection, Sequence[str]]], feeds: str) -> None:
        """Record reads that the evaluation will make (each a selection and the fields it
        wants): read together, in one query, at the first of them that is asked for."""
        for selection, fields in reads:
            where, params = compile_selection(selection, self.schema)
            wanted = [f for f in fields if f in self.schema.fields]
            self.scans.records.add(where, params, wanted, feeds)

    def records(self, selection: Selection, fields: Sequence[str] = ()) -> list[Record]:
        """The records of a selection, in a stable order (time, then id, then the log's
        order), with some fields."""
        where, params = compile_selection(selection, self.schema)
        wanted = [f for f in dict.fromkeys(fields) if f in self.schema.fields]
        # Several metrics and exclusions often read the same records: ask DuckDB once.
        key = (where, repr(params), tuple(wanted))
        if key not in self._records:
            planned = self.scans.records
            if planned.covers(where, params, wanted):
                rows, names = planned.read(where, params, self.query)
                positions = [5 + names.index(f) for f in wanted]
            else:
                extra = "".join(f", {quote_ident(f)}" for f in wanted)
                rows = self.query(
                    f"{RECORD_HEAD}{extra} FROM events WHERE {where} ORDER BY {RECORD_ORDER}",
                    params,
                )
                positions = list(range(5, 5 + len(wanted)))
            pairs = list(zip(wanted, positions, strict=True))
            self._records[key] = [
                Record(r[0], r[1], r[2], r[3], r[4], {f: r[i] for f, i in pairs}) for r in rows
            ]
        return list(self._records[key])


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__

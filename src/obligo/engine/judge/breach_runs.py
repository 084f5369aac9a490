"""Runs of periods: ``3 consecutive months``, ``3 of the last 6 months``.

One implementation for every window of the language: termination rights and escalations
(``breached in ...``), repeated-breach, wide-margin, metric-value and no-data triggers.

A window counts **slots**: the calendar periods of its unit (``months``: calendar months in the
contract's timezone, from the start of the term), or, for ``periods``, the measurement periods
themselves. What happened in a measurement period belongs to the slot its last instant falls in
(the slot it ends in), so a daily metric fills a month's slot with its days, and a quarterly one
fills the slot of the quarter's last month. The caller marks each slot with the moment it
became a *hit* (a breached period in it, every period in it met by a wide margin, ...), or None.

``N consecutive`` is ``N of the last N``. At a hit slot ``i`` the window holds when at least N of
the slots ``i - M + 1 .. i`` are hits (slots before the term start do not exist and count as
none). Each hit slot at which the window holds is a **moment**; a moment is an **onset** when the
window did not hold at the slot before. The window can only start to hold at a hit, so every
onset is a moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from obligo.engine.context import EvaluationContext
from obligo.engine.judge.history import Judged
from obligo.engine.time.periods import MeasurementPeriod, period_containing
from obligo.model.clauses import Clause, Consecutive, NOfLast, Window
from obligo.model.metrics import CalendarPeriod
from obligo.syntax import printer

_MICROSECOND = dt.timedelta(microseconds=1)
CalendarUnit = Literal["day", "week", "month", "quarter", "year"]


@dataclass(frozen=True)
class Moment:
    """A hit slot at which the window holds."""

    slot: int
    at: dt.datetime  # when the slot became a hit
    hits: tuple[int, ...]  # the hit slots inside the window, in order
    onset: bool  # the window did not hold at the previous slot


class Slots:
    """The slots of a window's unit, and the slot each measurement period belongs to."""

    def __init__(
        self, unit: str, ctx: EvaluationContext, periods: Sequence[MeasurementPeriod]
    ) -> None:
        self.unit = unit
        if unit == "period":
            keyed = {(p.start, p.end): p for p in periods}
            self.periods = sorted(keyed.values(), key=lambda p: (p.end, p.start))
        else:
            self.periods = ctx.periods(CalendarPeriod(unit=cast(CalendarUnit, unit)))
        self._index = {(p.start, p.end): i for i, p in enumerate(self.periods)}

    def __len__(self) -> int:
        return len(self.periods)

    def of(self, period: MeasurementPeriod) -> int | None:
        """The slot a measurement period belongs to (None: it ends after the last slot)."""
        if self.unit == "period":
            return self._index.get((period.start, period.end))
        slot = period_containing(self.periods, period.end - _MICROSECOND)
        return None if slot is None else self._index[(slot.start, slot.end)]


def window_size(window: Window) -> tuple[int, int]:
    """``(N, M)``: N hits among the last M slots."""
    if isinstance(window, Consecutive):
        return window.count, window.count
    assert isinstance(window, NOfLast)
    return window.count, window.of_last


def moments(marks: Sequence[dt.datetime | None], window: Window) -> list[Moment]:
    """Every hit slot at which the window holds, in slot order."""
    need, size = window_size(window)
    found: list[Moment] = []
    held = False
    for index, mark in enumerate(marks):
        inside = [i for i in range(max(0, index - size + 1), index + 1) if marks[i] is not None]
        now = len(inside) >= need
        if mark is not None and now:
            found.append(Moment(index, mark, tuple(inside), onset=not held))
        held = now
    return found


def slot_ends(
    marks: Sequence[dt.datetime | None], ends: Sequence[dt.datetime], window: Window
) -> list[Moment]:
    """Every slot at whose end the window holds, hit or not (``at the end of each month in
    which ...``), in slot order; each moment is at the slot's end (``ends``)."""
    need, size = window_size(window)
    found: list[Moment] = []
    held = False
    for index in range(len(marks)):
        inside = [i for i in range(max(0, index - size + 1), index + 1) if marks[i] is not None]
        now = len(inside) >= need
        if now:
            found.append(Moment(index, ends[index], tuple(inside), onset=not held))
        held = now
    return found


def plural(unit: str, count: int) -> str:
    return unit if count == 1 else f"{unit}s"


# ------------------------------------------------------------------------ runs of breaches
@dataclass(frozen=True, slots=True)
class PeriodNote:
    """A period that made a trigger hold (a breach, a period met by a wide margin, a period
    without data, a month's volume), with what was measured in it."""

    period: MeasurementPeriod
    detail: str


@dataclass(frozen=True, slots=True)
class LongRecord:
    """A record counted by ``K records longer than D start within any W``: its interval (UTC;
    an open one up to the evaluation time) and whether it is still open."""

    start: dt.datetime
    end: dt.datetime
    id: str | None
    type: str
    open: bool


@dataclass
class Happening:
    """A moment at which a trigger holds, and what made it hold."""

    at: dt.datetime  # UTC
    onset: bool  # the trigger did not hold just before (see the module's documentation)
    reason: str
    periods: list[PeriodNote] = field(default_factory=list)
    outages: list[LongRecord] = field(default_factory=list)


def breach_run(
    clause: Clause,
    window: Window,
    judged: list[Judged],
    ctx: EvaluationContext,
    each: bool = False,
) -> list[Happening]:
    """``breached in N consecutive UNITS`` / ``in N of the last M UNITS`` for one clause: the
    one implementation behind termination rights, escalations and repeated-breach triggers.

    A slot is breached when any objective of the clause (any group) was breached in a period
    that ends in it, at the end of the first such period. Baseline periods have no
    consequences: they never count. ``judged`` is the history (any clauses; this one's are
    taken). With ``each``, the moments are the ends of every slot at which the window holds
    (hit or not), not the hit slots."""
    counted = [j for j in judged if j.clause.id == clause.id and not j.baseline]
    slots = Slots(window.unit, ctx, [j.period for j in counted])
    marks: list[dt.datetime | None] = [None] * len(slots)
    breaches: dict[int, list[Judged]] = {}
    for item in counted:
        if item.status != "breached":
            continue
        slot = slots.of(item.period)
        if slot is None:
            continue
        breaches.setdefault(slot, []).append(item)
        end = item.period.end
        current = marks[slot]
        marks[slot] = end if current is None or end < current else current
    found: list[Happening] = []
    chosen = (
        slot_ends(marks, [p.end for p in slots.periods], window) if each else moments(marks, window)
    )
    for moment in chosen:
        items = sorted(
            (j for s in moment.hits for j in breaches[s] if j.period.end <= moment.at),
            key=lambda j: (j.period.end, j.period.start, j.objective_text),
        )
        labels = ", ".join(slots.periods[s].label for s in moment.hits)
        ending = f"at the end of {slots.periods[moment.slot].label}, " if each else ""
        found.append(
            Happening(
                at=moment.at,
                onset=moment.onset,
                reason=(
                    f"{ending}clause {clause.id} was breached in {printer.window(window)}: {labels}"
                ),
                periods=[PeriodNote(j.period, breach_detail(j)) for j in items],
            )
        )
    return found


def breach_detail(item: Judged) -> str:
    """``api-uptime >= 99.9%: 99.86359127%, breached`` (with the reason when there is one)."""
    text = f"{item.objective_text}: {item.value_text()}, {item.status.replace('_', ' ')}"
    return f"{text} ({item.reason})" if item.reason else text

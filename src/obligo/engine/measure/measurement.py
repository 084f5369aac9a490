"""What a metric measured in one period, before it is compared with a target.

The evidence a measurement carries is the engine's own: exact seconds, times as the measures
found them. The report's evidence (``obligo.report.model.Evidence``: the largest ten
contributors, times in the contract's timezone, numbers as decimals) is made from it when the
report is assembled (``obligo.report.assemble``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from fractions import Fraction
from typing import Any, Literal

# What a metric's value is measured in: percent (0..100), seconds, a count, or a field's number.
Dimension = str

# How many of a measurement's contributors (its largest sources of down time, its worst slices)
# a verdict shows; a measure with many keeps only these and counts the rest.
TOP = 10
# How many a measurement keeps, largest first (``obligo explain`` lists them; the report shows
# the first TOP of the same order, so keeping more never changes a report).
KEPT = 50


@dataclass(frozen=True, slots=True)
class PauseSpan:
    """A pause of a timed record (``paused while ...``): from ``start`` to ``end`` (None: still
    going on at the evaluation time), and the opening time it stopped the record's clock for
    (a pause over closed hours stops it only for the opening hours it covers)."""

    start: dt.datetime
    end: dt.datetime | None
    seconds: Fraction


@dataclass(frozen=True, slots=True)
class Contribution:
    """A record (or slice) that made the value: an incident's share of the down time, a late
    ticket and how late it was, one of the worst slices of an average. ``seconds`` is exact
    (None: a contribution without a size, such as a slice of an average, already ranked)."""

    type: str
    id: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    seconds: Fraction | None = None
    detail: str | None = None
    # A late record's pauses that stopped its clock between its start and its end.
    pauses: tuple[PauseSpan, ...] = ()


@dataclass(frozen=True, slots=True)
class ExclusionEffect:
    """Time an exclusion took out of the period (or counted as available), exactly, and the
    number of its records that had an effect."""

    exclusion: str
    reason: str
    treatment: Literal["excluded_from_period", "counts_as_available"]
    seconds: Fraction
    records: int


@dataclass(frozen=True, slots=True)
class ExclusionRefusal:
    """A record that would have excluded time, and why it did not (notice too short, ...)."""

    exclusion: str
    type: str
    id: str | None
    start: dt.datetime | None
    reason: str


@dataclass
class Budget:
    """The ingredients of an error budget for a pending period.

    ``capacity`` is what the whole period can hold (seconds of counted time, or records so far),
    ``bad`` what has gone wrong so far, and ``unit`` says what they count. ``whole``: what
    goes wrong comes in whole units (records), so the budget left is a whole number of them;
    else (a ratio of summed fields: minutes) it is the exact quantity.
    """

    capacity: Fraction
    bad: Fraction
    unit: str
    whole: bool = True


@dataclass
class Measurement:
    value: Fraction | None
    dimension: Dimension
    no_data: str | None = None
    records: int = 0
    totals: dict[str, Fraction | int] = field(default_factory=dict)
    contributors: list[Contribution] = field(default_factory=list)
    exclusions: list[ExclusionEffect] = field(default_factory=list)
    refused: list[ExclusionRefusal] = field(default_factory=list)
    budget: Budget | None = None
    # How many contributors there were when only the largest few are passed in `contributors`.
    contributors_total: int | None = None
    # Records a measure read in the period that added nothing to its value, each with the
    # reason in `detail` (a down record whose time was excluded or is outside the counted
    # time): the first KEPT in time order, and how many there were. Read by `obligo explain`;
    # the report does not show them.
    without_effect: list[Contribution] = field(default_factory=list)
    without_effect_total: int = 0
    groups: dict[str, Measurement] = field(default_factory=dict)


class MeasuredLater(Measurement):
    """A measurement made the first time something reads it, but for its groups and its
    dimension, which are there at once: the value over every record of a metric measured
    ``by`` a field, when it needs a query of its own (a percentile), is read only by a trigger,
    a fee or a check of the metric as a whole, and most contracts have none. It is read while
    the evaluation's log is open."""

    def __init__(self, make: Callable[[], Measurement], dimension: Dimension) -> None:
        self.__dict__["_make"] = make  # the other fields: at the first read
        self.dimension = dimension
        self.groups = {}

    def __getattr__(self, name: str) -> Any:
        make = self.__dict__.pop("_make", None)
        if make is None:
            raise AttributeError(name)
        made = make()
        for item in fields(Measurement):
            if item.name not in ("groups", "dimension"):
                setattr(self, item.name, getattr(made, item.name))
        return getattr(self, name)

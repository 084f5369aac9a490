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


# The records without effect a measure found (the first KEPT) and how many there were.
WithoutEffect = tuple[tuple[Contribution, ...], int]


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
    # time): the first KEPT in time order, and how many there were (`without_effect`,
    # `without_effect_total`). Read by `obligo explain` only; the report does not show them,
    # so a measure may leave them to be found at the first read (`find_without_effect`):
    # on a slice metric with tens of thousands of down runs, finding them costs as much as
    # the contributors.
    _without_effect: WithoutEffect | Callable[[], WithoutEffect] = field(
        default=((), 0), repr=False, compare=False
    )
    groups: dict[str, Measurement] = field(default_factory=dict)

    @property
    def without_effect(self) -> list[Contribution]:
        return list(self._found_without_effect()[0])

    @property
    def without_effect_total(self) -> int:
        return self._found_without_effect()[1]

    def find_without_effect(self, find: Callable[[], WithoutEffect]) -> None:
        """Leave the records without effect to ``find``, called once, at the first read."""
        self._without_effect = find

    def _found_without_effect(self) -> WithoutEffect:
        found = self._without_effect
        if callable(found):
            found = self._without_effect = found()
        return found


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

    def _made(self) -> None:
        make = self.__dict__.pop("_make", None)
        if make is None:  # pragma: no cover - every field is in the instance once made
            raise AttributeError("a measurement made later has already been made")
        made = make()
        for name in _MADE_LATER:
            self.__dict__.setdefault(name, getattr(made, name))


class _MadeAtFirstRead:
    """A field of a :class:`MeasuredLater`, made at its first read. A descriptor, not
    ``__getattr__``: a field with a default is a class attribute of the dataclass, which
    ``__getattr__`` never sees (reading ``records`` first gave the default 0)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: MeasuredLater | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        if self.name not in instance.__dict__:
            instance._made()
        return instance.__dict__[self.name]

    def __set__(self, instance: MeasuredLater, value: Any) -> None:
        instance.__dict__[self.name] = value


_MADE_LATER = tuple(f.name for f in fields(Measurement) if f.name not in ("groups", "dimension"))
for _name in _MADE_LATER:
    setattr(MeasuredLater, _name, _MadeAtFirstRead(_name))

"""What a metric measured in one period, before it is compared with a target."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from obligo.report.model import Contributor, ExclusionApplied, ExclusionRefused

# What a metric's value is measured in: percent (0..100), seconds, a count, or a field's number.
Dimension = str

# How many of a measurement's contributors (its largest sources of down time, its worst slices)
# a verdict shows; a measure with many keeps only these and counts the rest.
TOP = 10


@dataclass
class Budget:
    """The ingredients of an error budget for a pending period.

    ``capacity`` is what the whole period can hold (seconds of counted time, or records so far),
    ``bad`` what has gone wrong so far, and ``unit`` says what they count.
    """

    capacity: Fraction
    bad: Fraction
    unit: str


@dataclass
class Measurement:
    value: Fraction | None
    dimension: Dimension
    no_data: str | None = None
    records: int = 0
    totals: dict[str, Fraction | int] = field(default_factory=dict)
    contributors: list[Contributor] = field(default_factory=list)
    exclusions: list[ExclusionApplied] = field(default_factory=list)
    refused: list[ExclusionRefused] = field(default_factory=list)
    budget: Budget | None = None
    # How many contributors there were when only the largest few are passed in `contributors`.
    contributors_total: int | None = None
    groups: dict[str, Measurement] = field(default_factory=dict)

"""The report, assembled from the engine's values at the end of an evaluation.

The engine's passes hand each other values of their own (exact fractions, times in UTC, statuses
as literals); this module is the one place they become report nodes: decimals as the report
writes them, times in the contract's timezone, evidence cut to what a report shows.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from obligo.engine.measure.measurement import Contribution, Measurement
from obligo.engine.numbers import decimal_text
from obligo.report.model import Contributor, Evidence, ExclusionApplied, ExclusionRefused

# The contributors a verdict shows: the largest ten (``contributors_total`` counts them all).
TOP = 10

_LAST = dt.datetime.max.replace(tzinfo=dt.UTC)
_FIRST = dt.datetime.min.replace(tzinfo=dt.UTC)


def evidence(measurement: Measurement, zone: dt.tzinfo | None) -> Evidence:
    """What a measurement's value was computed from, as a verdict shows it: its totals, its
    ten largest contributors, its exclusions by name and its refusals in time order, every time
    in ``zone`` (the contract's timezone)."""
    return Evidence(
        totals={k: decimal_text(v) for k, v in sorted(measurement.totals.items())},
        contributors=[_contributor(item, zone) for item in _top(measurement.contributors)],
        contributors_total=(
            measurement.contributors_total
            if measurement.contributors_total is not None
            else len(measurement.contributors)
        ),
        exclusions=[
            ExclusionApplied(
                exclusion=e.exclusion,
                reason=e.reason,
                treatment=e.treatment,
                seconds=decimal_text(e.seconds),
                records=e.records,
            )
            for e in sorted(measurement.exclusions, key=lambda e: e.exclusion)
        ],
        exclusions_refused=[
            ExclusionRefused(
                exclusion=r.exclusion,
                type=r.type,
                id=r.id,
                start=r.start.astimezone(zone) if r.start else None,
                reason=r.reason,
            )
            for r in sorted(measurement.refused, key=lambda r: (r.start or _FIRST, r.id or ""))
        ],
    )


def _top(contributors: list[Contribution]) -> list[Contribution]:
    """The ten largest contributors: by seconds, ties by time then id. Contributors without a
    size (the worst slices of an average, already ranked) keep the order they were given in."""
    if not all(item.seconds is not None for item in contributors):
        return contributors[:TOP]

    def key(item: Contribution) -> tuple[Fraction, dt.datetime, str]:
        size = -(item.seconds or Fraction(0))
        return (size, item.start or _LAST, item.id or "")

    return sorted(contributors, key=key)[:TOP]


def _contributor(item: Contribution, zone: dt.tzinfo | None) -> Contributor:
    """A contributor as the report shows it: its times in the contract's timezone."""
    return Contributor(
        type=item.type,
        id=item.id,
        start=item.start.astimezone(zone) if item.start else None,
        end=item.end.astimezone(zone) if item.end else None,
        seconds=None if item.seconds is None else decimal_text(item.seconds),
        detail=item.detail,
    )

"""Quantities as people write them: a duration in days, hours, minutes and seconds (``3 h 43 min
12 s``, not ``13392 seconds``) and a percentage to a chosen number of places. Exact: a duration
keeps every second and fraction of a second the report holds (the report decides on money from
them), and a percentage is rounded only when the reader asks for fewer places."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

from obligo.report.base import plain

# The units of a duration, largest first, in seconds.
_UNITS: tuple[tuple[str, int], ...] = (("d", 86_400), ("h", 3_600), ("min", 60))

# The units the report writes durations in (a verdict's unit, an error budget's unit), in
# seconds. An error budget's unit may carry what it counts: "seconds of downtime".
_DURATION_UNITS: dict[str, int] = {
    "s": 1,
    "seconds": 1,
    "min": 60,
    "minutes": 60,
    "h": 3_600,
    "hours": 3_600,
}


def duration(seconds: Decimal) -> str:
    """``13392`` -> ``3 h 43 min 12 s``; ``2378.4`` -> ``39 min 38.4 s``; ``0`` -> ``0 s``.
    Days are calendar-free 24-hour days; no part is rounded away."""
    sign = "-" if seconds < 0 else ""
    left = abs(seconds)
    parts: list[str] = []
    for name, size in _UNITS:
        whole = int(left // size)
        if whole:
            parts.append(f"{whole} {name}")
            left -= whole * size
    if left or not parts:
        parts.append(f"{plain(left.normalize()) if left else '0'} s")
    return sign + " ".join(parts)


def duration_unit(unit: str) -> tuple[int, str] | None:
    """Whether a report's unit is a duration: its size in seconds and what follows it
    (``"seconds of downtime"`` -> ``(1, " of downtime")``); None for any other unit."""
    word, _, rest = unit.partition(" ")
    size = _DURATION_UNITS.get(word)
    if size is None:
        return None
    return size, f" {rest}" if rest else ""


def quantity(
    value: Decimal, unit: str, precision: int | None = None, target: Decimal | None = None
) -> str:
    """A measured value with its unit: a percentage to ``precision`` places (rounded away from
    ``target``, see :func:`percent`), a duration in words, anything else as the report holds it
    (``38.5 ms``)."""
    if unit == "%":
        return f"{percent(value, precision, target)}%"
    found = duration_unit(unit)
    if found is not None:
        size, rest = found
        return duration(value * size) + rest
    return f"{plain(value)} {unit}".rstrip()


def percent(value: Decimal, precision: int | None, target: Decimal | None = None) -> str:
    """A percentage's digits: as the report holds them, or to exactly ``precision`` places
    (``99.922839506`` to 2 places: ``99.92``; ``100``: ``100.00``).

    Rounded away from ``target`` (the number the value was compared with), so that a rounded
    value never crosses it: 99.86359127% against 99.9% to one place is ``99.8``, not a
    breach shown as ``99.9``. Without a target (a share of an error budget), or on it, half to
    even."""
    if precision is None:
        return plain(value)
    if target is None or value == target:
        rounding = ROUND_HALF_EVEN
    else:
        rounding = ROUND_FLOOR if value < target else ROUND_CEILING
    return plain(value.quantize(Decimal(1).scaleb(-precision), rounding=rounding))

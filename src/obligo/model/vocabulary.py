"""The words of the contract language that the grammar reads as names and the transformer then
checks: days of the week, ordinals, frequencies, ways to aggregate, percentile methods, kinds of
agreement, levels, and the words of units and periods.

This is the one list of each. The transformer checks a contract's words against it (and draws its
"did you mean" from it), the checks, the parser's error messages and the formatter draw on it.
The grammar (``grammar/obligo.lark``) keeps its own literal keywords; ``tests/test_vocabulary.py``
proves that the grammar accepts every word here where it belongs.

Units have their own table, :mod:`obligo.model.units`, which this module re-exports, and the words
that name what a claim period runs after are :data:`obligo.model.clauses.CLAIM_PERIOD_WORDS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

from obligo.model.clauses import CLAIM_PERIOD_WORDS
from obligo.model.units import (
    BUSINESS_UNITS,
    CALENDAR_PERIODS,
    CALENDAR_UNITS,
    FIELD_UNITS,
    PERIOD_WORDS,
    SPELLINGS,
)

# `monday to friday 09:00 to 17:00`: a calendar's days, in the order a range runs.
WEEKDAYS: Final[tuple[str, ...]] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)

# `renews yearly`: a frequency word -> (amount, canonical unit) of its period.
FREQUENCIES: Final[dict[str, tuple[str, str]]] = {
    "daily": ("1", "day"),
    "weekly": ("1", "week"),
    "monthly": ("1", "month"),
    "quarterly": ("1", "quarter"),
    "yearly": ("1", "year"),
    "annually": ("1", "year"),
}

# `claim by the end of the second billing cycle after the incident`.
ORDINALS: Final[dict[str, int]] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
}
# The word of each ordinal, to write a clause back in the contract's words.
ORDINAL_WORDS: Final[dict[int, str]] = {number: word for word, number in ORDINALS.items()}

# `mean of latency in request records`, `count(request records)`: a way to aggregate records
# -> its canonical function (the model's ``AggregateFunction``, a percentile aside).
AGGREGATE_FUNCTIONS: Final[dict[str, str]] = {
    "count": "count",
    "sum": "sum",
    "mean": "mean",
    "average": "mean",
    "maximum": "maximum",
    "max": "maximum",
    "minimum": "minimum",
    "min": "minimum",
}
# A percentile is named `p` and its rank: p95, p99.9 (the grammar's PERCENTILE_NAME also lexes
# the dotted form as one word).
PERCENTILE_NAME: Final = re.compile(r"p(\d+(?:\.\d+)?)$")
PERCENTILE_EXAMPLE: Final = "p95"
# What a percentile named out of range is told, in an aggregate and in an expression alike.
PERCENTILE_RANGE: Final = "use p1 to p100"


def percentile_rank(word: str) -> Decimal | None:
    """The rank a word names as a percentile (95 for ``p95``, 99.9 for ``p99.9``), or None when
    it is not named like one. A rank is a percentile when ``0 < rank <= 100``."""
    match = PERCENTILE_NAME.fullmatch(word)
    return None if match is None else Decimal(match.group(1))


# `percentile method linear`; a percentile without a method line is nearest-rank.
PERCENTILE_METHODS: Final[tuple[str, ...]] = (
    "nearest-rank",
    "linear",
    "lower",
    "higher",
    "midpoint",
)
DEFAULT_PERCENTILE_METHOD: Final = "nearest-rank"

# `kind service-based` and `level customer globex`.
AGREEMENT_KINDS: Final[tuple[str, ...]] = ("service-based", "customer-based", "multi-level")
LEVELS: Final[tuple[str, ...]] = ("corporate", "customer", "service")

# The units a parse error names where a unit is expected (each a spelling of SPELLINGS).
UNIT_EXAMPLES: Final[tuple[str, ...]] = ("ms", "s", "min", "hours", "days")

# The singular word of each canonical unit, to write a unit back in words (`per started minute`).
UNIT_NAMES: Final[dict[str, str]] = {
    "ms": "millisecond",
    "s": "second",
    "min": "minute",
    "h": "hour",
    "day": "day",
    "week": "week",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
}

# The units shorter than a day: written without a plural (`30 min`, `4 h`), and too short to
# count a share of a fee in.
UNITS_SHORTER_THAN_A_DAY: Final[tuple[str, ...]] = ("ms", "s", "min", "h")

# Endings of a log field's name that say its unit (`latency_ms` is surely in ms) -> the unit
# to suggest, each a spelling of SPELLINGS.
FIELD_NAME_UNIT_ENDINGS: Final[tuple[tuple[str, str], ...]] = (
    ("_ms", "ms"),
    ("_millis", "ms"),
    ("_milliseconds", "ms"),
    ("_s", "seconds"),
    ("_sec", "seconds"),
    ("_secs", "seconds"),
    ("_seconds", "seconds"),
    ("_min", "minutes"),
    ("_mins", "minutes"),
    ("_minutes", "minutes"),
    ("_h", "hours"),
    ("_hours", "hours"),
    ("_days", "days"),
)

# Keywords that can stand right before a bracketed group: a "(" after them opens the group, it
# does not call a function (the formatter keeps a space between them and the bracket).
GROUP_WORDS: Final[frozenset[str]] = frozenset(
    {
        "and",
        "are",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "minus",
        "not",
        "of",
        "or",
        "plus",
        "than",
        "to",
        "when",
        "where",
        "within",
    }
)


def one_of(words: Iterable[str]) -> str:
    """``a, b or c``: words of the vocabulary as a message offers them."""
    listed = list(words)
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " or " + listed[-1]


# The canonical ways to aggregate and a percentile, as a message offers them.
AGGREGATE_CHOICES: Final[tuple[str, ...]] = (
    *dict.fromkeys(AGGREGATE_FUNCTIONS.values()),
    f"a percentile such as {PERCENTILE_EXAMPLE}",
)

__all__ = [
    "AGGREGATE_CHOICES",
    "AGGREGATE_FUNCTIONS",
    "AGREEMENT_KINDS",
    "BUSINESS_UNITS",
    "CALENDAR_PERIODS",
    "CALENDAR_UNITS",
    "CLAIM_PERIOD_WORDS",
    "DEFAULT_PERCENTILE_METHOD",
    "FIELD_NAME_UNIT_ENDINGS",
    "FIELD_UNITS",
    "FREQUENCIES",
    "GROUP_WORDS",
    "LEVELS",
    "ORDINALS",
    "ORDINAL_WORDS",
    "PERCENTILE_EXAMPLE",
    "PERCENTILE_METHODS",
    "PERCENTILE_NAME",
    "PERCENTILE_RANGE",
    "PERIOD_WORDS",
    "SPELLINGS",
    "UNITS_SHORTER_THAN_A_DAY",
    "UNIT_EXAMPLES",
    "UNIT_NAMES",
    "WEEKDAYS",
    "one_of",
    "percentile_rank",
]

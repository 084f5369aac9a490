"""The vocabulary every part of the document shares: values, record selections, conditions,
arithmetic and measurement periods, in words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from obligo.model.base import (
    Boolean,
    Comparator,
    DateValue,
    Duration,
    LiteralValue,
    Money,
    Number,
    Percent,
    Text,
)
from obligo.model.conditions import (
    And,
    Arithmetic,
    Call,
    Compare,
    Condition,
    Constant,
    Expression,
    FieldOf,
    Lasting,
    Member,
    Not,
    Or,
    Presence,
    Selection,
    SelectionArg,
    ValueRef,
)
from obligo.model.metrics import (
    BillingCyclePeriod,
    CalendarPeriod,
    ConsecutivePeriod,
    RollingPeriod,
)
from obligo.model.units import PERIOD_WORDS
from obligo.model.vocabulary import UNIT_NAMES
from obligo.render.document.registry import describe, prose

# Month names spelt here, not by the locale (`%B`): the same document on every machine.
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# A comparison as a reader says it: `>= 99.9%` is "at least 99.9%".
COMPARATOR_WORDS: dict[Comparator, str] = {
    ">=": "at least",
    "<=": "at most",
    ">": "more than",
    "<": "less than",
    "=": "exactly",
    "!=": "other than",
}

_FUNCTIONS = {
    "count": "the number of",
    "sum": "the sum of",
    "mean": "the mean of",
    "maximum": "the largest",
    "minimum": "the smallest",
    "max": "the largest",
    "min": "the smallest",
    "average": "the average of",
}


def number(value: Decimal) -> str:
    """A number as written (``99.0`` stays 99.0: the document says what was signed), without
    exponent, thousands grouped: ``4,000``."""
    return f"{value:,f}"


def date(value: dt.date) -> str:
    """``1 January 2026``: unambiguous in every country."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def plural(count: Decimal | int, word: str) -> str:
    """``1 month``, ``3 months``."""
    return f"{number(Decimal(count))} {word}{'' if count == 1 else 's'}"


def unit_word(unit: str) -> str:
    """A canonical unit or period word as a reader says it (``h``: hour; ``months``: month)."""
    return UNIT_NAMES.get(unit) or PERIOD_WORDS.get(unit, unit)


def period_words(count: int, unit: str) -> str:
    """``3 consecutive months``' last words: ``3 months``; ``1 month``."""
    return plural(count, unit_word(unit))


def compared(op: Comparator, value: str) -> str:
    """``at least 99.9%``."""
    return f"{COMPARATOR_WORDS[op]} {value}"


@prose(Number)
def _number(node: Number) -> str:
    return number(node.value)


@prose(Percent)
def _percent(node: Percent) -> str:
    return f"{number(node.value)}%"


@prose(Duration)
def _duration(node: Duration) -> str:
    word = unit_word(node.unit)
    if node.business:
        word = f"business {word}"
    return plural(node.amount, word)


@prose(Money)
def _money(node: Money) -> str:
    return f"{number(node.amount)} {node.currency}"


@prose(Text)
def _text(node: Text) -> str:
    return f"“{node.value}”"


@prose(DateValue)
def _date(node: DateValue) -> str:
    return date(node.value)


@prose(Boolean)
def _boolean(node: Boolean) -> str:
    return "true" if node.value else "false"


def literal(value: LiteralValue) -> str:
    return describe(value)


# ---------------------------------------------------------------------------------- conditions
@prose(Compare)
def _compare(node: Compare) -> str:
    value = literal(node.value)
    if node.op == "=":
        return f"{node.field} is {value}"
    if node.op == "!=":
        return f"{node.field} is not {value}"
    return f"{node.field} is {compared(node.op, value)}"


@prose(Member)
def _member(node: Member) -> str:
    values = ", ".join(literal(v) for v in node.values)
    return f"{node.field} is {'none' if node.negated else 'one'} of {values}"


@prose(Presence)
def _presence(node: Presence) -> str:
    return f"{node.field} is {'given' if node.present else 'missing'}"


def _grouped(condition: Condition) -> str:
    """A condition inside another, in brackets when it has parts of its own."""
    text = describe(condition)
    return f"({text})" if isinstance(condition, And | Or) else text


@prose(Not)
def _not(node: Not) -> str:
    """Said as a negation, never turned round (``status != "x"`` for ``not status = "x"``):
    the two may differ on a record without the field."""
    operand = node.operand
    return f"it is not so that {_grouped(operand)}"


@prose(And)
def _and(node: And) -> str:
    return " and ".join(_grouped(o) for o in node.operands)


@prose(Or)
def _or(node: Or) -> str:
    return "either " + " or ".join(_grouped(o) for o in node.operands)


@prose(Lasting)
def _lasting(node: Lasting) -> str:
    return f"lasting {compared(node.op, describe(node.length))} from start to end"


@prose(Selection)
def _selection(node: Selection) -> str:
    words = f"{node.record_type} records"
    where = node.where
    if isinstance(where, Lasting):
        return f"{words} {describe(where)}"
    if isinstance(where, And) and where.operands and isinstance(where.operands[0], Lasting):
        rest = where.operands[1:]
        condition = rest[0] if len(rest) == 1 else And(operands=rest)
        return f"{words} {describe(where.operands[0])} where {describe(condition)}"
    if where is not None:
        return f"{words} where {describe(where)}"
    return words


# ---------------------------------------------------------------------------------- arithmetic
@prose(ValueRef)
def _value_ref(node: ValueRef) -> str:
    return node.name


@prose(FieldOf)
def _field_of(node: FieldOf) -> str:
    return f"the {node.field} of {describe(node.selection)}"


@prose(SelectionArg)
def _selection_arg(node: SelectionArg) -> str:
    return f"the {describe(node.selection)}"


@prose(Call)
def _call(node: Call) -> str:
    arguments = ", ".join(describe(a) for a in node.arguments)
    function = _FUNCTIONS.get(node.function, f"the {node.function} of")
    return f"{function} {arguments}"


_OPERATORS = {"plus": "plus", "minus": "minus", "times": "times", "divide": "divided by"}


@prose(Arithmetic)
def _arithmetic(node: Arithmetic) -> str:
    def side(term: Expression) -> str:
        text = describe(term)
        return f"({text})" if isinstance(term, Arithmetic) else text

    return f"{side(node.left)} {_OPERATORS[node.op]} {side(node.right)}"


@prose(Constant)
def _constant(node: Constant) -> str:
    return literal(node.value)


# ------------------------------------------------------------------------------------- periods
@prose(CalendarPeriod)
def _calendar_period(node: CalendarPeriod) -> str:
    return f"each calendar {node.unit}"


@prose(BillingCyclePeriod)
def _billing_period(node: BillingCyclePeriod) -> str:
    return "each billing cycle"


@prose(ConsecutivePeriod)
def _consecutive_period(node: ConsecutivePeriod) -> str:
    return f"each period of {describe(node.length)}, back to back from {date(node.start)}"


@prose(RollingPeriod)
def _rolling_period(node: RollingPeriod) -> str:
    return f"over a rolling {describe(node.length)} ending at each evaluation"

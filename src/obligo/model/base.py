"""The base of every model node, source locations and literal values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from obligo.model.units import SECONDS


class SourceLocation(BaseModel):
    """Where a node was written: file, 1-based line and column of its first character."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


UNKNOWN_LOCATION = SourceLocation(file="<unknown>", line=0, column=0)


class Node(BaseModel):
    """An immutable piece of a contract that remembers where it was written."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    loc: SourceLocation = UNKNOWN_LOCATION


def walk(node: Any) -> Iterator[Node]:
    """Every node inside a node (or a tuple or list of nodes), itself first, depth first in the
    order of its fields. With a stack of its own, not nested generators: a node deep in a
    contract of thousands of clauses costs one step, not one per level above it."""
    stack: list[Any] = [node]
    pop, push = stack.pop, stack.extend
    while stack:
        item = pop()
        if isinstance(item, Node):
            yield item
            values = item.__dict__
            push(
                [
                    value
                    for name in reversed(type(item).model_fields)
                    if isinstance(value := values[name], Node | tuple | list)
                ]
            )
        elif isinstance(item, tuple | list):
            push(reversed(item))


def without_locations(value: Any) -> Any:
    """A node as plain data with every source location removed, to compare two models' meaning."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="python")
    if isinstance(value, dict):
        return {k: without_locations(v) for k, v in value.items() if k != "loc"}
    if isinstance(value, list | tuple):
        return [without_locations(v) for v in value]
    return value


Comparator = Literal[">=", "<=", ">", "<", "=", "!="]


# ------------------------------------------------------------------------------------ literals
class Number(Node):
    """A plain number without a unit: a count, a threshold on a numeric field."""

    kind: Literal["number"] = "number"
    value: Decimal

    def __str__(self) -> str:
        return str(self.value)


class Percent(Node):
    """``99.9%``: the value is the number before the sign (99.9)."""

    kind: Literal["percent"] = "percent"
    value: Decimal

    def __str__(self) -> str:
        return f"{self.value}%"


class Duration(Node):
    """``30 min``, ``4 hours``, ``6 months``, ``1 business day``.

    ``unit`` is canonical (see :mod:`obligo.model.units`). Business durations count opening time of
    the calendar in use; months, quarters and years are calendar spans.
    """

    kind: Literal["duration"] = "duration"
    amount: Decimal
    unit: str
    business: bool = False

    @property
    def seconds(self) -> Decimal | None:
        """The fixed length in seconds, or None for calendar spans and business durations."""
        if self.business or self.unit not in SECONDS:
            return None
        return self.amount * SECONDS[self.unit]

    def __str__(self) -> str:
        if self.business:
            # `4 business hours`, never `4 business h`: business time is spoken in words.
            word = {"min": "minute", "h": "hour"}.get(self.unit, self.unit)
            plural = "" if self.amount == 1 else "s"
            return f"{self.amount.normalize():f} business {word}{plural}"
        unit = (
            self.unit
            if self.amount == 1 or self.unit in ("ms", "s", "min", "h")
            else f"{self.unit}s"
        )
        return f"{self.amount.normalize():f} {unit}"


class Money(Node):
    """``4000 EUR``: an exact amount in a currency (ISO 4217 code)."""

    kind: Literal["money"] = "money"
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class Text(Node):
    """A quoted value such as ``"P1"``."""

    kind: Literal["text"] = "text"
    value: str

    def __str__(self) -> str:
        return '"' + self.value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class DateValue(Node):
    kind: Literal["date"] = "date"
    value: dt.date

    def __str__(self) -> str:
        return self.value.isoformat()


class Boolean(Node):
    kind: Literal["boolean"] = "boolean"
    value: bool

    def __str__(self) -> str:
        return "true" if self.value else "false"


LiteralValue = Number | Percent | Duration | Money | Text | DateValue | Boolean


def describe_literal(value: LiteralValue) -> str:
    """A literal's kind in the words of an error message."""
    return {
        "number": "a number",
        "percent": "a percentage",
        "duration": "a duration",
        "money": "an amount of money",
        "text": "a quoted text",
        "date": "a date",
        "boolean": "true or false",
    }[value.kind]

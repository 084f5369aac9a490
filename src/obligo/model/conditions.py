"""Record selection (``incident records where severity <= 2``), filters and arithmetic."""

from __future__ import annotations

from typing import Literal

from obligo.model.base import Comparator, Duration, LiteralValue, Node


class Compare(Node):
    """``severity <= 2``: a field compared with a value."""

    kind: Literal["compare"] = "compare"
    field: str
    op: Comparator
    value: LiteralValue


class Member(Node):
    """``status in [500, 503]`` (or ``not in`` when ``negated``)."""

    kind: Literal["member"] = "member"
    field: str
    values: tuple[LiteralValue, ...]
    negated: bool = False


class Presence(Node):
    """``cause is missing`` / ``cause is present``."""

    kind: Literal["presence"] = "presence"
    field: str
    present: bool


class Not(Node):
    kind: Literal["not"] = "not"
    operand: Condition


class And(Node):
    kind: Literal["and"] = "and"
    operands: tuple[Condition, ...]


class Or(Node):
    kind: Literal["or"] = "or"
    operands: tuple[Condition, ...]


class Lasting(Node):
    """``lasting at least 15 minutes``: a record's own length, from its ``start`` to its
    ``end`` (a record still open: to the evaluation time, no further than the end of the term);
    a record without ``start`` has no length and is never selected. Written right after
    ``TYPE records``, before any ``where``: a selection's condition is this test alone, or
    ``And(this, the where)``."""

    kind: Literal["lasting"] = "lasting"
    op: Comparator
    length: Duration


Condition = Compare | Member | Presence | Not | And | Or | Lasting


class Selection(Node):
    """``incident records where service = "api"``: records of one type, optionally filtered."""

    record_type: str
    where: Condition | None = None


# ---------------------------------------------------------------------------------- arithmetic
class ValueRef(Node):
    """A name used in arithmetic: a value defined in the same metric (``error-rate``)."""

    kind: Literal["ref"] = "ref"
    name: str


class FieldOf(Node):
    """``latency_ms in request records``: a field of the selected records, an aggregate's input."""

    kind: Literal["field_of"] = "field_of"
    field: str
    selection: Selection


class SelectionArg(Node):
    """A selection given to an aggregate function: ``count(request records)``."""

    kind: Literal["selection"] = "selection"
    selection: Selection


class Call(Node):
    """``count(request records where status >= 500)``, ``sum(errors in requests records)``."""

    kind: Literal["call"] = "call"
    function: str
    arguments: tuple[Expression | FieldOf | SelectionArg, ...]


class Arithmetic(Node):
    """``a plus b``, ``a minus b``, ``a * b``, ``a / b``."""

    kind: Literal["arithmetic"] = "arithmetic"
    op: Literal["plus", "minus", "times", "divide"]
    left: Expression
    right: Expression


class Constant(Node):
    kind: Literal["constant"] = "constant"
    value: LiteralValue


Expression = ValueRef | Call | Arithmetic | Constant

for _model in (Not, And, Or, Call, Arithmetic):
    _model.model_rebuild()

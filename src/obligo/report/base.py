"""The base of every report node, the source location nodes refer to, and the type of every exact
quantity a report holds."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainSerializer


class ReportNode(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Location(ReportNode):
    file: str
    line: int
    column: int


def plain(value: Decimal) -> str:
    """A decimal's digits without an exponent, as the report writes them: ``0.0000001``, not
    ``1E-7``; ``99.50`` keeps its trailing zero; ``1E+2`` is ``100``."""
    return format(value, "f")


def _exact(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError(f"a report's quantities are exact: not the float {value!r}")
    return value


def _without_exponent(value: Decimal) -> Decimal:
    # The same number with the digits `plain` shows: never a positive exponent (Decimal("1E+2")
    # becomes Decimal("100")), so that str() of a held value is its plain form but for tiny values.
    return Decimal(plain(value))


#: An exact number of a report (a measured value, a target, an amount, a number of seconds): a
#: :class:`~decimal.Decimal` to a program, a decimal string in JSON (``"99.50"``, ``"0.0000001"``,
#: never an exponent), so that both read the number obligo decided on. The engine may give one as
#: such a string: it is read exactly, digits and trailing zeros kept. Not a float, NaN or infinity.
Quantity = Annotated[
    Decimal,
    BeforeValidator(_exact),
    AfterValidator(_without_exponent),
    PlainSerializer(plain, return_type=str, when_used="json"),
]

"""The obligation model: immutable pydantic nodes, each carrying its source location."""

from obligo.model.base import (
    Boolean,
    DateValue,
    Duration,
    LiteralValue,
    Money,
    Node,
    Number,
    Percent,
    SourceLocation,
    Text,
    without_locations,
)
from obligo.model.clauses import (
    Clause,
    CreditFormula,
    CreditTable,
    Objective,
    TerminationRight,
    Tier,
)
from obligo.model.conditions import Condition, Selection
from obligo.model.contract import (
    Calendar,
    Contract,
    Exclusion,
    Party,
    Service,
    Term,
)
from obligo.model.metrics import Metric, MetricBase

__all__ = [
    "Boolean",
    "Calendar",
    "Clause",
    "Condition",
    "Contract",
    "CreditFormula",
    "CreditTable",
    "DateValue",
    "Duration",
    "Exclusion",
    "LiteralValue",
    "Metric",
    "MetricBase",
    "Money",
    "Node",
    "Number",
    "Objective",
    "Party",
    "Percent",
    "Selection",
    "Service",
    "SourceLocation",
    "Term",
    "TerminationRight",
    "Text",
    "Tier",
    "without_locations",
]

"""obligo: service level agreements as executable contracts.

The public API::

    contract = obligo.load("contracts/acme-hosting.sla")   # or obligo.parse(text, filename=...)
    for diagnostic in obligo.check(contract):                # errors and warnings, as data
        print(diagnostic.format())
    report = obligo.evaluate(contract, ["incidents.jsonl"], at=datetime(2026, 4, 1, tzinfo=UTC))
"""

from obligo.api import (
    baseline,
    check,
    evaluate,
    evaluate_agreements,
    format_contract,
    load,
    load_agreements,
    parse,
    parse_pair_argument,
    raise_for_errors,
)
from obligo.errors import (
    Diagnostic,
    EventDataError,
    ObligoError,
    ObligoSemanticError,
    ObligoSyntaxError,
    Severity,
)

__version__ = "0.1.0"

__all__ = [
    "Diagnostic",
    "EventDataError",
    "ObligoError",
    "ObligoSemanticError",
    "ObligoSyntaxError",
    "Severity",
    "__version__",
    "baseline",
    "check",
    "evaluate",
    "evaluate_agreements",
    "format_contract",
    "load",
    "load_agreements",
    "parse",
    "parse_pair_argument",
    "raise_for_errors",
]

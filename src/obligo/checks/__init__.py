"""Semantic checks across a contract's declarations: names, values and units, tiers, structure, claims.

``check_contract`` returns every finding as data, errors and warnings, in the order of the text.
"""

from __future__ import annotations

from obligo.checks.claims import check_claims
from obligo.checks.names import check_names
from obligo.checks.reporter import Reporter, Scope
from obligo.checks.structure import check_structure
from obligo.checks.tiers import check_tiers
from obligo.checks.values import check_values
from obligo.errors import Diagnostic
from obligo.model.contract import Contract


def check_contract(contract: Contract) -> list[Diagnostic]:
    out = Reporter()
    out.add_source(contract)
    scope = Scope.of(contract)
    check_names(contract, scope, out)
    check_values(contract, scope, out)
    check_structure(contract, scope, out)
    check_claims(contract, scope, out)
    for clause in contract.clauses:
        check_tiers(clause, out, scope.metrics)
    unique = list(dict.fromkeys(out.found))
    return sorted(unique, key=lambda d: (d.file, d.line, d.column))


__all__ = ["check_contract"]

"""Semantic checks across a contract's declarations: names, values and units, tiers, structure, claims.

``check_contract`` returns every finding as data, errors and warnings, in the order of the text.
"""

from __future__ import annotations

from obligo.checks.at_risk import check_at_risk, check_unread_metrics
from obligo.checks.claims import check_claims
from obligo.checks.levels import check_service_level, parent_level
from obligo.checks.mappings import check_mappings
from obligo.checks.names import check_names
from obligo.checks.reporter import Reporter, Scope
from obligo.checks.structure import check_structure
from obligo.checks.tiers import check_tiers
from obligo.checks.units import check_units
from obligo.checks.values import check_values
from obligo.errors import Diagnostic, Severity
from obligo.model.contract import Contract


def check_contract(contract: Contract) -> list[Diagnostic]:
    out = Reporter()
    out.add_source(contract)
    scope = Scope.of(contract)
    # A level that imports the wrong level (a service level importing the corporate level) is
    # reported as such, not as the unknown names that follow from it: those would be declared
    # by the level it should import.
    hierarchy = Reporter(sources=out.sources)
    if contract.level is not None and contract.imported:
        parent_level(contract, hierarchy)
    out.found.extend(hierarchy.found)
    if not any(d.severity is Severity.ERROR for d in hierarchy.found):
        check_names(contract, scope, out)
        level = contract.level
        if contract.imported and level is not None and level.level == "service" and level.name:
            # The service it is about is declared at its level or above (as in a set).
            check_service_level(contract, list(scope.services), out)
    check_values(contract, scope, out)
    check_units(contract, scope, out)
    check_mappings(contract, out)
    check_structure(contract, scope, out)
    check_claims(contract, scope, out)
    check_at_risk(contract, scope, out)
    for clause in contract.clauses:
        check_tiers(clause, out, scope.metrics, contract)
    check_unread_metrics(contract, out)
    unique = list(dict.fromkeys(out.found))
    return sorted(unique, key=lambda d: (d.file, d.line, d.column))


__all__ = ["check_contract"]

"""Semantic checks across a contract's declarations (names, units, tiers, dates, levels)."""

from __future__ import annotations

from obligo.errors import Diagnostic
from obligo.model.contract import Contract


def check_contract(contract: Contract) -> list[Diagnostic]:
    return []

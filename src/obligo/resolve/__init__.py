"""Resolving: the stage between the checks and the engine.

::

    load -> Contract -> check (obligo.checks) -> resolve (here) -> ResolvedContract -> engine

A checked contract (or an agreement set's pair) becomes a :class:`ResolvedContract`: every
inherited setting filled in (term, timezone, currency, billing cycle, baseline, margins,
business calendar, field units), every declaration and clause in force with the level and file
it comes from (:func:`obligo.model.inheritance.in_force` reads the levels, once). The engine
takes nothing else, and never runs the checks or reads the levels itself.

This package's top only holds the values (:mod:`obligo.resolve.contract`), which import no
check; the functions that make them are in :mod:`obligo.resolve.resolver`.
"""

from obligo.resolve.contract import (
    PlannedAgreement,
    ResolvedContract,
    ServiceOf,
    Unresolved,
)

__all__ = ["PlannedAgreement", "ResolvedContract", "ServiceOf", "Unresolved"]

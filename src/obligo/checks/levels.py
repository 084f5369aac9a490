"""Levels across an agreement set: each customer level sits under a corporate level, each service
level under a customer level of its customer (a service level for every customer: under the
corporate level), and a service level is about a declared service.

These checks need the files a level imports, so they run when a set of agreements is built
(:func:`obligo.load_agreements`); the conflicts between files of one level are found while each
pair is resolved (:mod:`obligo.agreements`).
"""

from __future__ import annotations

from collections.abc import Sequence

from obligo.checks.reporter import Reporter, did_you_mean
from obligo.model.contract import Contract, Level

# The level each level sits directly under.
ABOVE = {"customer": "corporate", "service": "customer"}


def level_description(
    tier: str, customer: str | None, service: str | None, *, every_customer: bool = False
) -> str:
    """``at the service level of db for customer globex``: one level of one pair, in words."""
    if tier == "corporate":
        return "at the corporate level"
    if tier == "customer":
        return f"at the customer level of {customer}"
    if tier == "service":
        if every_customer:
            return f"at the service level of {service} for every customer"
        of_customer = "" if customer is None else f" for customer {customer}"
        return f"at the service level of {service}{of_customer}"
    return "in the agreement"


def describe_level(level: Level) -> str:
    """``the service level of payments for customer globex``."""
    if level.level == "corporate":
        return "the corporate level"
    if level.level == "customer":
        return f"the customer level of {level.name}"
    if level.every_customer:
        return f"the service level of {level.name} for every customer"
    of_customer = "" if level.customer is None else f" for customer {level.customer}"
    return f"the service level of {level.name}{of_customer}"


def parent_level(contract: Contract, out: Reporter) -> Contract | None:
    """The level directly above a customer or service level, when it is the right one.

    A customer level imports one corporate level; a service level imports one customer level,
    of the customer its ``for customer`` names, and a service level ``for every customer`` one
    corporate level. Anything else is reported and gives None: the
    level then belongs to no hierarchy and covers no pair.
    """
    level = contract.level
    if level is None:
        return None  # a single-file agreement: its imports are its own lineage
    imports = list(zip(contract.imports, contract.imported, strict=False))
    levels = [(item, parent) for item, parent in imports if parent.level is not None]
    if level.level == "corporate":
        for item, parent in levels:
            out.error(
                f"the corporate level is the top: it imports no level, and this one imports "
                f"{_describe(parent)} ({parent.loc.file})",
                item.loc,
                "remove the import; lower levels import the corporate level, not the other way",
            )
        return None
    wanted = "corporate" if level.every_customer else ABOVE[level.level]
    this = describe_level(level)
    if not levels:
        imported = [p for _, p in imports]
        given = (
            f"; it imports {', '.join(p.loc.file for p in imported)}, which is no level"
            if imported
            else ""
        )
        out.error(
            f"{this} has no {wanted} level above it{given}",
            level.loc,
            f'import the {wanted} level it belongs to, e.g. import "{wanted}.sla"',
        )
        return None
    if len(levels) > 1:
        first, second = levels[0][1], levels[1][1]
        out.error(
            f"{this} imports two levels: {first.loc.file} and {second.loc.file}",
            levels[1][0].loc,
            f"a level sits under one level: import only its {wanted} level",
        )
        return None
    item, parent = levels[0]
    assert parent.level is not None  # filtered above
    if parent.level.level != wanted:
        sits = (
            "a service level for every customer"
            if level.every_customer
            else f"a {level.level} level"
        )
        out.error(
            f"{this} imports {_describe(parent)} ({parent.loc.file}), but {sits} "
            f"sits under a {wanted} level",
            item.loc,
            f"import the {wanted} level instead",
        )
        return None
    if level.level == "service" and level.customer not in (None, parent.level.name):
        out.error(
            f"{this} imports the customer level of {parent.level.name} ({parent.loc.file})",
            level.loc,
            f"import the customer level of {level.customer}, or correct `for customer`",
            word=level.customer,
        )
        return None
    return parent


def check_service_level(contract: Contract, declared: Sequence[str], out: Reporter) -> bool:
    """A service level is about a service declared at its level or above, and its clauses are
    about that service. False when its service is declared nowhere (it then covers no pair)."""
    level = contract.level
    assert level is not None and level.level == "service" and level.name is not None
    for clause in contract.clauses:
        if clause.service is not None and clause.service != level.name:
            out.error(
                f"clause {clause.id} is about service {clause.service}, but this file is "
                f"{describe_level(level)}",
                out.in_block(clause.loc, "service", clause.service),
                f"put the clause in the service level of {clause.service}, or remove the "
                "`service` line: every clause of a service level is about its service",
            )
    if level.name in declared:
        return True
    hint = did_you_mean(level.name, sorted(set(declared)))
    if hint is None:
        hint = (
            "declare the service at the customer level (service NAME ...), or here"
            if not declared
            else "the services declared are " + ", ".join(sorted(set(declared)))
        )
    out.error(
        f'{describe_level(level)} is about service "{level.name}", which no level declares',
        level.loc,
        hint,
        word=level.name,
    )
    return False


def _describe(contract: Contract) -> str:
    return "no level" if contract.level is None else describe_level(contract.level)

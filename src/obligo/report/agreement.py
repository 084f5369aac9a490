"""What a report says of the agreement itself, taken from the resolved model (never read back
from the contract files, which may be standard input or since moved): its parties, its term, and
each clause in force with its words printed by the one printer and its tiers' bounds as values.
"""

from __future__ import annotations

from collections.abc import Mapping

from obligo.engine.judge.verdicts import UNITS, target_fraction
from obligo.engine.numbers import decimal_text
from obligo.model import clauses as c
from obligo.model.contract import Party, Term
from obligo.report.base import Location
from obligo.report.model import (
    AgreementParty,
    BoundValue,
    ClauseText,
    ConsequenceKind,
    TermRef,
    TierShown,
)
from obligo.syntax import printer


def parties(found: Mapping[str, Party]) -> list[AgreementParty]:
    """Every party the agreement names, in the order the resolved agreement holds them."""
    return [
        AgreementParty(role=p.role, id=p.id, title=p.title, representative=p.representative)
        for p in found.values()
    ]


def term(found: Term) -> TermRef:
    """The term's dates, renewal and notice, and its line as the printer writes it."""
    return TermRef(
        start=found.start,
        end=found.end,
        renews=None if found.renewal is None else printer.renewal(found.renewal),
        notice=None if found.notice is None else str(found.notice),
        words=printer.term(found),
    )


def clause_texts(clauses: tuple[c.Clause, ...], dimensions: Mapping[str, str]) -> list[ClauseText]:
    """Each clause in force with its printed words; its tiers about the metrics in
    ``dimensions`` (a metric's id to the dimension of its measurements: the metrics judged)."""
    return [
        ClauseText(
            clause=clause.id,
            title=clause.title,
            location=Location(file=clause.loc.file, line=clause.loc.line, column=clause.loc.column),
            lines=printer.print_clause(clause).split("\n"),
            tiers=tiers(clause, dimensions),
        )
        for clause in clauses
    ]


def _tiers(clause: c.Clause) -> list[tuple[ConsequenceKind, c.Tier | c.TierCondition]]:
    """The tiers of a clause's credits, penalties and rewards, in its order."""
    found: list[tuple[ConsequenceKind, c.Tier | c.TierCondition]] = []
    for credit in clause.credits:
        if isinstance(credit, c.CreditTable):
            found += [("credit", t) for t in credit.tiers]
    for penalty in clause.penalties:
        if isinstance(penalty, c.Penalty) and isinstance(penalty.basis, c.TierCondition):
            found.append(("penalty", penalty.basis))
    found += [("reward", r.tier) for r in clause.rewards]
    return found


def tiers(clause: c.Clause, dimensions: Mapping[str, str]) -> list[TierShown]:
    """The clause's tiers about a metric (not the exceedance), their bounds as values in the
    unit of the metric's verdicts; a bound that cannot be one (a duration against a bare
    number) is left out, as the engine cannot compare it either."""
    found: list[TierShown] = []
    for kind, tier in _tiers(clause):
        condition = tier.condition if isinstance(tier, c.Tier) else tier
        if condition.exceedance or condition.subject is None:
            continue
        dimension = dimensions.get(condition.subject)
        if dimension is None:
            continue
        bounds = []
        for bound in condition.bounds:
            value = target_fraction(bound.value, dimension)
            if value is not None:
                bounds.append(
                    BoundValue(
                        op=bound.op,
                        value=decimal_text(value),
                        unit=UNITS[dimension],
                        words=f"{bound.op} {printer.literal(bound.value)}",
                    )
                )
        words = printer.tier(tier) if isinstance(tier, c.Tier) else printer.tier_condition(tier)
        found.append(
            TierShown(
                kind=kind,
                metric=condition.subject,
                group=None
                if condition.group is None
                else str(getattr(condition.group, "value", "")),
                words=words,
                bounds=bounds,
            )
        )
    return found

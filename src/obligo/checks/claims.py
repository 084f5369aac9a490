"""Claims: what a claim deadline counts from, and what a claim requirement restricts.

``claim within 7 days after the banana`` used to be read as "after the end of the period" (the
engine falls back to that when no record of the type is behind a credit), and ``claim requires
ticket records within 72 hours of the outage`` in a clause whose metrics read no outage records
was silently ignored, so the credit was paid in full. Both are errors here.
"""

from __future__ import annotations

from collections.abc import Iterable

from obligo.checks.names import walk
from obligo.checks.reporter import Reporter, Scope, did_you_mean, lineage
from obligo.model import clauses as c
from obligo.model import conditions as cond
from obligo.model import contract as k
from obligo.model import metrics as m
from obligo.model.clauses import CLAIM_PERIOD_WORDS


def check_claims(contract: k.Contract, scope: Scope, out: Reporter) -> None:
    read = _record_types(contract)
    for clause in contract.clauses:
        claim = clause.claim
        if isinstance(claim, c.ClaimWithin | c.ClaimByBillingCycle):
            _anchor(claim, read, out)
        for requirement in clause.claim_requirements:
            _requirement(clause, requirement, scope, out)


def _record_types(contract: k.Contract) -> set[str]:
    """The record types the contract (with its levels) reads anywhere: metrics, exclusions,
    fees, claim requirements."""
    types: set[str] = set()
    for level in lineage(contract):
        for node in walk(level.model_copy(update={"imported": ()})):
            if isinstance(node, cond.Selection):
                types.add(node.record_type)
    return types


def _anchor(claim: c.ClaimWithin | c.ClaimByBillingCycle, read: set[str], out: Reporter) -> None:
    """A deadline counts from the end of a period or from a record of a type the contract reads."""
    if claim.after in CLAIM_PERIOD_WORDS or claim.after in read:
        return
    periods = sorted(CLAIM_PERIOD_WORDS - {"billing", "billing-cycle"})
    choices = periods + sorted(read)
    records = ", ".join(sorted(read)) if read else None
    out.error(
        f'a claim deadline counts from the end of a period or from a record, and "{claim.after}"'
        " is neither a period nor a record type this contract reads",
        claim.loc,
        did_you_mean(claim.after, choices)
        or "periods: " + ", ".join(periods) + (f"; records: {records}" if records else ""),
        word=claim.after,
    )


def _metrics_of(clause: c.Clause, scope: Scope) -> list[m.Metric]:
    """The metrics the clause's credits are computed from."""
    names = [objective.metric for objective in clause.promises]
    for node in walk(clause.credits):
        for attribute in ("subject", "metric"):
            value = getattr(node, attribute, None)
            if isinstance(value, str):
                names.append(value)
    return [scope.metrics[name] for name in dict.fromkeys(names) if name in scope.metrics]


def _types_measured(metrics: Iterable[m.Metric]) -> list[str]:
    """The record types whose records the metrics measure (``down during``, the measure's own
    selection): the records a claim requirement can take out of a credit."""
    found: list[str] = []
    for metric in metrics:
        for selection in m.written(metric).down_during:
            found.append(selection.record_type)
        measured = getattr(metric.measure, "selection", None)
        if isinstance(measured, cond.Selection):
            found.append(measured.record_type)
    return sorted(set(found))


def _requirement(
    clause: c.Clause,
    requirement: c.ClaimRequirement | c.NoticeRequirement,
    scope: Scope,
    out: Reporter,
) -> None:
    if requirement.within.amount <= 0:  # fixed or business time alike
        what = "fix" if isinstance(requirement, c.NoticeRequirement) else "report"
        out.error(f"the time to {what} must be longer than zero", requirement.within.loc)
    metrics = _metrics_of(clause, scope)
    if not metrics:
        return  # an unknown metric is reported by the names check
    measured = _types_measured(metrics)
    if requirement.after in measured:
        return
    words = "the" if isinstance(requirement, c.NoticeRequirement) else "of the"
    out.error(
        f"no metric of clause {clause.id} measures {requirement.after} records, so"
        f' "{words} {requirement.after}" would hold back no credit',
        requirement.loc,
        did_you_mean(requirement.after, measured)
        or (
            "the clause's metrics measure " + ", ".join(f"{t} records" for t in measured)
            if measured
            else "the clause's metrics measure no records a requirement could hold back"
        ),
        word=requirement.after,
    )

"""The consequence lines of a clause in words (as the report quotes them), and the arithmetic of
a tier: whether a value falls in it, and how far a value exceeds a target."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from obligo.engine.judge.verdicts import compare, target_fraction
from obligo.model import clauses as c
from obligo.model import conditions as k
from obligo.model.base import Comparator, Duration
from obligo.model.vocabulary import ORDINAL_WORDS, UNIT_NAMES

# The contract's own words, from the one vocabulary (the printer writes them the same way).
UNIT_WORDS = UNIT_NAMES


# ------------------------------------------------------------------------------------- words
def amount_text(amount: c.Amount) -> str:
    if isinstance(amount, c.PercentOfFee):
        return f"{amount.percent} of the fee" + (f" of {amount.service}" if amount.service else "")
    if isinstance(amount, c.FeeForDuration):
        of = f" of {amount.service}" if amount.service else ""
        return f"{amount.duration} of the fee{of}"
    return str(amount.money)


def condition_text(condition: c.TierCondition) -> str:
    if condition.exceedance:
        subject = "the exceedance"
    else:
        subject = str(condition.subject)
        if condition.group is not None:
            subject += f" for {condition.group}"
    bounds = " and ".join(f"{b.op} {b.value}" for b in condition.bounds)
    return f"{subject} {bounds}"


def tier_text(tier: c.Tier) -> str:
    return f"{amount_text(tier.amount)} when {condition_text(tier.condition)}"


def per_unit_text(per: c.PerUnit) -> str:
    rounding = "" if per.rounding == "exact" else f"{per.rounding} "
    return f"per {rounding}{UNIT_WORDS.get(per.unit, per.unit)} of {per.metric}"


def formula_text(formula: c.CreditFormula) -> str:
    return f"{amount_text(formula.amount)} {per_unit_text(formula.per)}"


def penalty_text(penalty: c.Penalty) -> str:
    basis = penalty.basis
    amount = amount_text(penalty.amount)
    if isinstance(basis, c.PerBreach):
        return f"{amount} per breached {basis.unit}"
    if isinstance(basis, c.PerUnit):
        return f"{amount} {per_unit_text(basis)}"
    if isinstance(basis, c.PerMissedRecord):
        return f"{amount} per missed record"
    return f"{amount} when {condition_text(basis)}"


def cap_text(cap: c.Cap) -> str:
    if isinstance(cap, c.PeriodCap):
        text = amount_text(cap.amount) + (f" per {cap.per}" if cap.per else "")
        if cap.shared_with:
            word = "clause" if len(cap.shared_with) == 1 else "clauses"
            text += f", shared with {word} " + ", ".join(cap.shared_with)
        return text
    if isinstance(cap, c.TrailingCap):
        unit = cap.unit if cap.periods == 1 else f"{cap.unit}s"
        text = f"{cap.percent} of the fees of the last {cap.periods} {unit}"
        return text + (", less credits already given" if cap.less_given else "")
    return f"{amount_text(cap.amount)} over the term"


def claim_text(claim: c.Claim) -> str:
    if isinstance(claim, c.ClaimByBillingCycle):
        ordinal = ORDINAL_WORDS.get(claim.ordinal, str(claim.ordinal))
        return f"by the end of the {ordinal} billing cycle after the {claim.after}"
    if isinstance(claim, c.ClaimWithin):
        end = "the end of " if claim.end_of else ""
        return f"within {claim.duration} after {end}the {claim.after}"
    return "not required"


def requirement_text(requirement: c.ClaimRequirement) -> str:
    selection = requirement.selection
    records = f"{selection.record_type} records"
    if selection.where is not None:
        records += " where " + condition_source(requirement)
    return f"{records} within {requirement.within} of the {requirement.after}"


def condition_source(requirement: c.ClaimRequirement) -> str:
    """The ``where`` of a requirement in the contract's words."""
    from obligo.model import conditions as k

    def text(node: k.Condition) -> str:
        if isinstance(node, k.Compare):
            return f"{node.field} {node.op} {node.value}"
        if isinstance(node, k.Member):
            values = ", ".join(str(v) for v in node.values)
            return f"{node.field} {'not in' if node.negated else 'in'} [{values}]"
        if isinstance(node, k.Presence):
            return f"{node.field} is {'present' if node.present else 'missing'}"
        if isinstance(node, k.Not):
            return f"not ({text(node.operand)})"
        joiner = " and " if isinstance(node, k.And) else " or "
        return joiner.join(
            f"({text(o)})" if isinstance(o, k.And | k.Or) else text(o) for o in node.operands
        )

    where = requirement.selection.where
    return "" if where is None else text(where)


# ---------------------------------------------------------------------------------- arithmetic
def bound_value(value: object, dimension: str) -> Fraction | None:
    """A tier's bound in the subject's unit: a percentage as its number, a duration in seconds
    (or as written, for a field's own numbers), a count or number as it is."""
    return target_fraction(value, dimension)


def in_tier(value: Fraction, condition: c.TierCondition, dimension: str) -> bool | None:
    """Whether ``value`` satisfies every bound of the tier (None: a bound cannot be read)."""
    for bound in condition.bounds:
        limit = bound_value(bound.value, "percent" if condition.exceedance else dimension)
        if limit is None:
            return None
        if not compare(value, bound.op, limit):
            return False
    return True


def exceedance(value: Fraction, op: Comparator, target: Fraction) -> Fraction | None:
    """How far ``value`` is beyond the target, in percent of the target: (value − target) ÷
    target × 100 for an upper limit (``<``, ``<=``), (target − value) ÷ target × 100 for a lower
    one (``>``, ``>=``). Negative on the kept side; undefined (None) for a target of 0 or for
    ``=`` and ``!=``, which have no direction."""
    if target == 0 or op in ("=", "!="):
        return None
    if op in ("<", "<="):
        return (value - target) / target * 100
    return (target - value) / target * 100


def unit_seconds(unit: str) -> Fraction | None:
    seconds = Duration(amount=Decimal(1), unit=unit).seconds
    return None if seconds is None else Fraction(seconds)

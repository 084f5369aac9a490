"""Money in words: amounts of the fee, tiers and their conditions, credit formulas."""

from __future__ import annotations

from obligo.model.clauses import (
    Bound,
    CreditExpression,
    CreditFormula,
    CreditTable,
    FeeForDuration,
    FixedAmount,
    FormulaCountedTime,
    FormulaFee,
    FormulaMetric,
    FormulaMoney,
    FormulaNumber,
    FormulaOp,
    OtherPeriodFee,
    PercentOfFee,
    PerUnit,
    Tier,
    TierCondition,
)
from obligo.render.document.registry import describe, prose
from obligo.render.document.words import compared, literal, number, plural, unit_word

WHEN_BREACHED = ", only in the periods in which a promise of this clause is breached"


@prose(OtherPeriodFee)
def _other_period(node: OtherPeriodFee) -> str:
    if node.average:
        return f"averaged over the last {plural(node.count, unit_word(node.unit))}"
    return f"of the {unit_word(node.unit)} before"


def fee(service: str | None, other: OtherPeriodFee | None) -> str:
    """``the fee``, ``the fee of the service uplink``, ``the fee of the month before``."""
    words = "the fee"
    if service is not None:
        words += f" of the service {service}"
    if other is not None:
        words += f" {describe(other)}"
    return words


@prose(PercentOfFee)
def _percent_of_fee(node: PercentOfFee) -> str:
    return f"{describe(node.percent)} of {fee(node.service, node.other)}"


@prose(FeeForDuration)
def _fee_for_duration(node: FeeForDuration) -> str:
    length = describe(node.duration)
    owner = f"{length}'" if length.endswith("s") else f"{length}'s"
    return f"{owner} worth of {fee(node.service, node.other)}"


@prose(FixedAmount)
def _fixed(node: FixedAmount) -> str:
    return describe(node.money)


@prose(Bound)
def _bound(node: Bound) -> str:
    return compared(node.op, literal(node.value))


@prose(TierCondition)
def _tier_condition(node: TierCondition) -> str:
    subject = "the exceedance" if node.exceedance else (node.subject or "the measured value")
    group = f" for {literal(node.group)}" if node.group is not None else ""
    bounds = " and ".join(describe(b) for b in node.bounds)
    return f"{subject}{group} is {bounds}"


@prose(Tier)
def _tier(node: Tier) -> str:
    return f"{describe(node.amount)} when {describe(node.condition)}"


@prose(CreditTable)
def _credit_table(node: CreditTable) -> str:
    if node.cumulative:
        return "Service credits: every tier that applies is owed, added together."
    return "Service credits: of the tiers that apply, only the largest is owed."


_ROUNDING = {
    "started": "started {unit} (a part {unit} counts as a whole one)",
    "full": "full {unit} (a part {unit} does not count)",
    "exact": "{unit} (pro rata for a part {unit})",
}


@prose(PerUnit)
def _per_unit(node: PerUnit) -> str:
    unit = unit_word(node.unit)
    return f"per {_ROUNDING[node.rounding].format(unit=unit)} of {node.metric}"


@prose(CreditFormula)
def _credit_formula(node: CreditFormula) -> str:
    breached = WHEN_BREACHED if node.when_breached else ""
    return f"A service credit of {describe(node.amount)} {describe(node.per)}{breached}."


@prose(FormulaNumber)
def _formula_number(node: FormulaNumber) -> str:
    return f"{number(node.value)}%" if node.percent else number(node.value)


@prose(FormulaMoney)
def _formula_money(node: FormulaMoney) -> str:
    return describe(node.money)


@prose(FormulaMetric)
def _formula_metric(node: FormulaMetric) -> str:
    return f"the measured {node.metric}"


@prose(FormulaCountedTime)
def _formula_counted_time(node: FormulaCountedTime) -> str:
    return f"the time {node.metric} counts in the period (its length less the time excluded)"


@prose(FormulaFee)
def _formula_fee(node: FormulaFee) -> str:
    words = fee(node.service, node.other)
    if node.for_metric is not None:
        words += f" for the duration of {node.for_metric} (pro rata over the period)"
    return words


@prose(FormulaOp)
def _formula_op(node: FormulaOp) -> str:
    right = describe(node.right)
    if isinstance(node.right, FormulaOp):
        right = f"({right})"
    return f"{describe(node.left)} {'times' if node.op == '*' else 'divided by'} {right}"


@prose(CreditExpression)
def _credit_expression(node: CreditExpression) -> str:
    breached = WHEN_BREACHED if node.when_breached else ""
    return (
        f"A service credit of {describe(node.formula)}, computed exactly from left to right"
        f"{breached}."
    )

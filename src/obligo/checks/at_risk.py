"""Amounts at risk, allocations, key measurements (``report`` lines) and metrics that nothing
reads (docs/consequences.md, "Amounts at risk and earn-back" and "Key measurements").

- the allocations of the clauses in force add up to at most the pool (100% when the contract
  says nothing); the allocation that goes over is the error;
- an allocation needs an amount at risk, something to breach, and one credit rule: a clause
  with an allocation has no ``credit`` and no ``cap`` lines (its credits are capped by the
  amount at risk);
- the service levels under one amount at risk are judged over the same periods (the amount is
  reckoned per period and caps what they give together), calendar or billing periods;
- a clause that only reports (every objective a ``report`` line) carries nothing: no credit,
  penalty, reward, cap, claim or right; ``promoted from DATE with allocation`` is the way to
  make it a service level, and needs a ``report`` line;
- a metric that no clause promises or reports, and that nothing else reads (a credit, a
  trigger, a renegotiation, another metric), would be measured and shown nowhere: a warning.
"""

from __future__ import annotations

from decimal import Decimal

from obligo.checks.names import walk
from obligo.checks.reporter import Reporter, Scope
from obligo.errors import Severity
from obligo.model import clauses as c
from obligo.model import contract as k
from obligo.model import metrics as m
from obligo.model.base import Node

_CONSEQUENCES = (
    "credits",
    "caps",
    "claim_requirements",
    "penalties",
    "rewards",
    "termination_rights",
    "escalations",
)


def at_risk_of(contract: k.Contract) -> c.AtRisk | None:
    """The amount at risk in force: the nearest level's."""
    return next((level.at_risk for level in contract.levels() if level.at_risk), None)


def check_at_risk(contract: k.Contract, scope: Scope, out: Reporter) -> None:
    at_risk = at_risk_of(contract)
    own = contract.at_risk
    if own is not None:
        _declaration(own, out)
    for clause in contract.clauses:
        _clause(clause, at_risk, out)
    if at_risk is not None:
        _pool(contract, scope, at_risk, out)
        _periods(contract, scope, at_risk, out)


def check_unread_metrics(contract: k.Contract, out: Reporter) -> None:
    """The warning for a metric nothing reads, once the contract has no error (a misspelt name
    reads nothing, and is the error to fix)."""
    if not any(d.severity is Severity.ERROR for d in out.found):
        _unread_metrics(contract, out)


def _declaration(at_risk: c.AtRisk, out: Reporter) -> None:
    amount = at_risk.amount
    if isinstance(amount, c.FeesShare | c.PercentOfFee) and amount.percent.value <= 0:
        out.error(
            f"an amount at risk of {amount.percent} puts nothing at risk",
            amount.percent.loc,
            "give the share of the fees at risk, as in: amount at risk 12% of the fees",
        )
    if at_risk.pool is not None and at_risk.pool.value <= 0:
        out.error(
            f"a pool of {at_risk.pool} leaves nothing to allocate",
            at_risk.pool.loc,
            "the pool is the most the allocations may add up to, as in: pool 250%",
        )
    back = at_risk.earn_back
    if back is not None and back.periods < 1:
        out.error(
            "an earn-back over 0 periods gives every credit back at once",
            back.loc,
            "give the periods that must be met, as in: earn back when met in the next 3 months",
        )


def _clause(clause: c.Clause, at_risk: c.AtRisk | None, out: Reporter) -> None:
    reported = [p for p in clause.promises if p.reported]
    promised = [p for p in clause.promises if not p.reported]
    allocation = clause.allocation
    if reported and not promised:
        for field in (*_CONSEQUENCES, "claim"):
            value = getattr(clause, field)
            for node in value if isinstance(value, tuple) else (value,) if value else ():
                out.error(
                    f"clause {clause.id} only reports its measures: a key measurement carries"
                    " no credit, penalty, cap, claim or right",
                    node.loc,
                    "promise the measure instead (`promise ...`), or make the clause a service"
                    " level from a date: `promoted from DATE with allocation P% of the amount"
                    " at risk`",
                )
        if allocation is not None and allocation.promoted_from is None:
            out.error(
                f"clause {clause.id} only reports its measures: an allocation needs a promise",
                allocation.loc,
                "promise the measure, or promote it from a date: `promoted from DATE with"
                f" allocation {allocation.percent} of the amount at risk`",
            )
    if allocation is None:
        return
    if allocation.promoted_from is not None and not reported:
        out.error(
            f"clause {clause.id} reports nothing to promote: `promoted from` makes a key"
            " measurement (a `report` line) a service level",
            allocation.loc,
            f"write `allocation {allocation.percent} of the amount at risk`",
        )
    if allocation.percent.value <= 0:
        out.error(
            f"an allocation of {allocation.percent} gives nothing",
            allocation.percent.loc,
            "give the share of the amount at risk each breach costs, as in: allocation 25%"
            " of the amount at risk",
        )
    if not clause.promises:
        out.error(
            f"clause {clause.id} promises nothing, so its allocation can never be given",
            allocation.loc,
            "add the promise the allocation is for, as in: promise uptime >= 99.9%",
        )
    if at_risk is None:
        out.error(
            f"clause {clause.id} allocates {allocation.percent} of the amount at risk, but the"
            " contract declares no amount at risk",
            allocation.loc,
            "declare one, as in: amount at risk 12% of the fees",
        )
    for node in (*clause.credits, *clause.caps):
        what = "credit" if isinstance(node, c.CreditTable | c.CreditFormula) else "cap"
        out.error(
            f"clause {clause.id} takes its credit from the amount at risk (its allocation):"
            f" a {what} line beside it would give or cap a second credit",
            node.loc,
            "the amount at risk caps the credits of every allocation together; give other"
            " credits a clause of their own",
        )


def _pool(contract: k.Contract, scope: Scope, at_risk: c.AtRisk, out: Reporter) -> None:
    """The allocations of the clauses in force add up to at most the pool; the clause that
    goes over is the error (its own clauses only: another file's is reported there)."""
    pool = at_risk.pool.value if at_risk.pool is not None else Decimal(100)
    shown = f"{at_risk.pool}" if at_risk.pool is not None else "100% (no `pool` line)"
    own = {id(cl) for cl in contract.clauses}
    total = Decimal(0)
    parts: list[str] = []
    for clause in scope.clauses.values():
        allocation = clause.allocation
        if allocation is None:
            continue
        total += allocation.percent.value
        parts.append(f"{clause.id} {allocation.percent}")
        if total > pool and id(clause) in own:
            out.error(
                f"the allocations add up to {total:f}% ({', '.join(parts)}), more than"
                f" the pool of {shown}",
                allocation.percent.loc,
                "lower an allocation, or raise the pool (`pool P%` under `amount at risk`)",
            )
            return


def _periods(contract: k.Contract, scope: Scope, at_risk: c.AtRisk, out: Reporter) -> None:
    """The promised metrics of the allocated clauses are judged over one kind of period, not
    rolling windows; an earn-back in months is of monthly service levels."""
    first: tuple[str, m.Period] | None = None
    own = {id(cl) for cl in contract.clauses}
    for clause in scope.clauses.values():
        if clause.allocation is None:
            continue
        for objective in clause.promises:
            metric = scope.metrics.get(objective.metric)
            if metric is None:
                continue  # an unknown metric, reported by the names
            period = metric.period
            mine = id(clause) in own
            if isinstance(period, m.RollingPeriod):
                if mine:
                    out.error(
                        f"{metric.id} is measured over rolling windows, which overlap: an"
                        " amount at risk is reckoned per calendar or billing period",
                        objective.loc,
                        "measure the service level per calendar month or per billing cycle",
                    )
                continue
            if first is None:
                first = (f"{objective.metric} of clause {clause.id}", period)
            elif _period_key(period) != _period_key(first[1]) and mine:
                out.error(
                    f"{metric.id} is measured {_period_text(period)}, but {first[0]} is"
                    f" measured {_period_text(first[1])}: the service levels under one amount"
                    " at risk are judged over the same periods",
                    objective.loc,
                    "measure every service level with an allocation over the same periods",
                )
            back = at_risk.earn_back
            if (
                mine
                and back is not None
                and back.unit != "period"
                and not (isinstance(period, m.CalendarPeriod) and period.unit == back.unit)
            ):
                out.error(
                    f'"earn back when met in the next {back.periods} {back.unit}s" counts'
                    f" {back.unit}s, but {metric.id} is measured {_period_text(period)}",
                    objective.loc,
                    f"write `earn back when met in the next {back.periods} periods`",
                )


def _period_key(period: m.Period) -> object:
    return period.model_dump(exclude={"loc"})


def _period_text(period: m.Period) -> str:
    if isinstance(period, m.CalendarPeriod):
        return f"per calendar {period.unit}"
    if isinstance(period, m.BillingCyclePeriod):
        return "per billing cycle"
    if isinstance(period, m.RollingPeriod):
        return "over rolling windows"
    return "per period of a fixed length"


def _unread_metrics(contract: k.Contract, out: Reporter) -> None:
    """A metric of this file that nothing reads: no promise or report, no credit, penalty,
    reward or trigger, no renegotiation, no other metric. A corporate or customer level is
    left alone (the levels below it may read its metrics), and so is a contract without any
    clause (a draft of its metrics)."""
    level = contract.level
    if level is not None and level.level != "service":
        return
    if not any(one.clauses for one in contract.levels()):
        return  # no clause at all: a draft of the metrics, promising nothing yet
    read: set[str] = set()
    for one in contract.levels():
        for node in walk(one.model_copy(update={"imported": (), "metrics": ()})):
            _names_read(node, read)
        for metric in one.metrics:
            for node in walk(metric):
                _names_read(node, read)
    if _EVERY in read:
        return  # `renegotiate when any metric has no data ...` reads every metric
    for metric in contract.metrics:
        if metric.id not in read:
            out.warning(
                f"metric {metric.id} is neither promised nor reported: no clause reads it, so"
                " no report would show it",
                metric.loc,
                f"promise it, or make it a key measurement: `report {metric.id} ...` in a"
                " clause (measured and reported, with no credit)",
                word=metric.id,
            )


_EVERY = " every metric"  # not a name: `any metric`


def _names_read(node: Node, read: set[str]) -> None:
    if isinstance(node, c.Objective | c.PerUnit | c.TotalInPeriod | m.AttributedDown):
        read.add(node.metric)
    elif isinstance(node, c.TierCondition) and node.subject is not None:
        read.add(node.subject)
    elif isinstance(node, k.MetricValueRun):
        read.add(node.metric)
    elif isinstance(node, k.MetricNoData):
        read.add(node.metric if node.metric is not None else _EVERY)
    elif isinstance(node, m.Composite):
        read.update(x for x in node.components if isinstance(x, str))
    elif isinstance(node, c.FormulaMetric | c.FormulaCountedTime):  # `outage-time / ...`
        read.add(node.metric)
    elif isinstance(node, c.FormulaFee) and node.for_metric is not None:  # `the fee for M`
        read.add(node.for_metric)


__all__ = ["at_risk_of", "check_at_risk", "check_unread_metrics"]

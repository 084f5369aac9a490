"""``obligo budget``'s report as text, JSON or Markdown. Every text taken from a contract or a
log is shown inert (text), escaped the JSON way (JSON) or escaped for Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable

from obligo._inert import inert_json, inert_model
from obligo.render.markdown import md_text as md
from obligo.render.quantities import quantity
from obligo.render.words import customer_line, group_words, line_account
from obligo.report.base import plain
from obligo.report.budget import BudgetReport, ObjectiveBudget, TierDistance

NO_BUDGET = "no error budget: only a percentage promised with >= or > has one"


def budget_json(report: BudgetReport) -> str:
    """Deterministic JSON: keys in model order, two-space indent, a final newline."""
    text = json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False)
    return inert_json(text) + "\n"


def budget_text(report: BudgetReport) -> str:
    report = inert_model(report)
    contract = report.contract
    version = f" version {contract.version}" if contract.version else ""
    title = f' "{contract.title}"' if contract.title else ""
    out = [f"contract {contract.id}{title}{version}"]
    if report.customer is not None:
        out.append(customer_line(report.customer))
    out.append(f"budget at {report.evaluated_at.isoformat()} ({report.timezone})")
    for item in report.objectives:
        out.append("")
        out.append(f"{_heading(item)}, {item.period.label} ({plain(item.elapsed)}% elapsed)")
        for label, text in _facts(item, str):
            out.append(f"  {label:<12} {text}")
        if item.tiers:
            out.append("  tiers (reached by, from now to the end of the period)")
            width = max(len(t.rule) for t in item.tiers)
            for tier in item.tiers:
                out.append(f"    {tier.rule:<{width}}  {_reach(tier)}")
    out.append("")
    out.extend(line_account(report.inputs, report.rejections, "contract"))
    return "\n".join(out) + "\n"


def budget_markdown(report: BudgetReport) -> str:
    contract = report.contract
    title = f" {md(contract.title)}" if contract.title else ""
    version = f", version {md(contract.version)}" if contract.version else ""
    out = [f"# Error budget: {md(contract.id)}{title}{version}", ""]
    if report.customer is not None:
        out.append(f"Customer: {md(report.customer.title or report.customer.id)}  ")
    out.append(f"As of {report.evaluated_at.isoformat()} ({md(report.timezone)}).")
    for item in report.objectives:
        out += ["", f"## {md(_heading(item))}", ""]
        out.append(
            f"Period {md(item.period.label)}, {plain(item.elapsed)}% elapsed"
            f" ({item.period.start.isoformat()} to {item.period.end.isoformat()})."
        )
        out += ["", "| | |", "|---|---|"]
        out += [f"| {label} | {text} |" for label, text in _facts(item, md)]
        if item.tiers:
            out += ["", "| tier | reached by |", "|---|---|"]
            out += [f"| {md(t.rule)} | {md(_reach(t))} |" for t in item.tiers]
    out += ["", "## Inputs", ""]
    out += [
        f"- {md(a.name)}: {a.lines} lines, {a.used} used, {a.outside_periods} outside the"
        f" periods, {a.unused} not used by this contract, {a.rejected} rejected"
        for a in report.inputs
    ]
    return "\n".join(out) + "\n"


def _heading(item: ObjectiveBudget) -> str:
    group = f" ({group_words(item.group)})" if isinstance(item.group, dict) else ""
    reported = " (reported only)" if item.reported_only else ""
    return f"{item.clause} {item.objective}{group}{reported}"


def _facts(item: ObjectiveBudget, shown: Callable[[str], str]) -> list[tuple[str, str]]:
    """Label and text of what is known of the objective so far."""
    # Durations read as people write them (23 min 12 s of downtime); the JSON keeps the seconds.
    value = "no value" if item.value is None else quantity(item.value, item.unit)
    if item.value is None and item.reason:
        value += f" ({item.reason})"
    facts = [("so far", shown(value))]
    budget = item.error_budget
    if budget is None:
        facts.append(("budget left", NO_BUDGET))
        return facts
    facts.append(
        (
            "budget left",
            f"{shown(quantity(budget.remaining, budget.unit))} ({plain(budget.used)}% used)",
        )
    )
    if item.burn_rate is not None:
        facts.append(("burn rate", f"{plain(item.burn_rate)} ({_pace(item)})"))
    return facts


def _pace(item: ObjectiveBudget) -> str:
    assert item.burn_rate is not None
    if item.burn_rate > 1:
        return "faster than the budget allows: at this pace it runs out before the period ends"
    return "within the budget at this pace"


def _reach(tier: TierDistance) -> str:
    """What more, from now to the end of the period, puts the period into the tier."""
    if tier.reached:
        return "reached already"
    assert tier.more is not None
    more = "more than " if tier.beyond else ""
    return f"{more}{quantity(tier.more, tier.unit)}"

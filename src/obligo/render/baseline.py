"""The report of ``obligo baseline`` for people (text) and machines (JSON); and the rights and
triggers section of an evaluation, for people (:func:`rights_text`)."""

from __future__ import annotations

import json
from decimal import Decimal

from obligo._inert import inert_json, inert_model
from obligo.report.base import plain
from obligo.report.baseline import BaselineReport, ObjectiveHistory, Outcome
from obligo.report.rights import Assessment

HEADERS = ("period", "measured", "budget used", "outcome")

OUTCOME_WORDS: dict[str, str] = {
    "breached": "breached",
    "met_narrowly": "met narrowly",
    "met": "met",
    "met_by_wide_margin": "met by a wide margin",
    "no_data": "no data",
}


def baseline_json(report: BaselineReport) -> str:
    """Keys in model order, two-space indent: the same inputs give the same bytes."""
    return (
        inert_json(json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False)) + "\n"
    )


def baseline_text(report: BaselineReport) -> str:
    """The history as text; every text taken from a contract or a log is shown inert."""
    report = inert_model(report)
    contract = report.contract
    version = f" version {contract.version}" if contract.version else ""
    title = f' "{contract.title}"' if contract.title else ""
    out = [f"contract {contract.id}{title}{version}"]
    out.append(f"history up to {report.evaluated_at.isoformat()} ({report.timezone})")
    if report.baseline is not None:
        out.append(f"baseline {report.baseline.first} to {report.baseline.last}")
    out.append(
        f"margins: wide when at most {plain(report.margins.wide_at_most)}% of the error budget is"
        f" used, narrow when more than {plain(report.margins.narrow_above)}%"
    )
    for objective in report.objectives:
        out.append("")
        out.extend(_objective(objective))
    out.append("")
    return "\n".join(out)


def _objective(item: ObjectiveHistory) -> list[str]:
    title = f' "{item.clause_title}"' if item.clause_title else ""
    lines = [f"{item.clause}{title}: {item.objective}"]
    rows = [
        (
            p.label
            + (" (partial)" if p.partial else "")
            + (" (baseline)" if p.baseline else "")
            + (" (reported only)" if p.reported_only else ""),
            _value(p.value, item.unit),
            "-" if p.budget_used is None else f"{plain(p.budget_used)}%",
            _words(p.outcome) if p.outcome else p.status.replace("_", " "),
        )
        for p in item.periods
    ]
    if not rows:
        lines.append("  no closed period yet")
        return lines
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(HEADERS)]
    lines.append(
        "  " + "  ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True)).rstrip()
    )
    for row in rows:
        lines.append(
            "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        )
    for level in item.levels:
        verdict = f": at this level the target is {_words(level.outcome)}" if level.outcome else ""
        lines.append(
            f"  achieved in {level.share}% of the periods: {_value(level.value, item.unit)}"
            f" ({level.periods} of {item.valued}){verdict}"
        )
    if item.periods and all(p.outcome is None for p in item.periods):
        lines.append("  the target is relative to the baseline: no outcome until it is set")
    if item.better is None:
        lines.append("  = and != have no better direction: no levels")
    counts = item.outcomes
    parts = [
        f"{getattr(counts, key)} {OUTCOME_WORDS[key]}"
        for key in ("breached", "met_narrowly", "met", "met_by_wide_margin", "no_data")
        if getattr(counts, key)
    ]
    if parts:
        noun = "period" if len(item.periods) == 1 else "periods"
        lines.append(f"  {len(item.periods)} {noun}: " + ", ".join(parts))
    return lines


def _words(outcome: Outcome | None) -> str:
    return OUTCOME_WORDS[outcome] if outcome else ""


def _value(quantity: Decimal | None, unit: str) -> str:
    if quantity is None:
        return "-"
    value = plain(quantity)
    if unit == "%":
        return f"{value}%"
    if unit == "records" and value == "1":
        return "1 record"
    return f"{value} {unit}".rstrip()


def rights_text(assessment: Assessment) -> list[str]:
    """The lines of an evaluation's rights and triggers, for the text report: termination rights
    that arose, escalation notices due and triggers fired, each with its moment and reason.
    Nothing at all when there is none."""
    lines: list[str] = []
    if assessment.termination_rights:
        lines.append("termination rights:")
        for right in assessment.termination_rights:
            if right.lapses_at is None:
                until = ", open (no time to exercise it)"
            elif right.open:
                until = f", open until {right.lapses_at.isoformat()} (exercise {right.exercise})"
            else:
                until = f", lapsed on {right.lapses_at.isoformat()}"
            lines.append(
                f"  {right.arose_at.isoformat()}  clause {right.clause}: {right.trigger}{until}"
            )
            lines.append(f"    {right.reason}")
    if assessment.escalations:
        lines.append("escalations:")
        for notice in assessment.escalations:
            lines.append(
                f"  {notice.due_at.isoformat()}  clause {notice.clause}: notify {notice.to}"
                f" ({notice.trigger})"
            )
            lines.append(f"    {notice.reason}")
    if assessment.triggers:
        lines.append("triggers:")
        for fired in assessment.triggers:
            because = f' (because "{fired.because}")' if fired.because else ""
            lines.append(f"  {fired.fired_at.isoformat()}  {fired.kind.replace('_', ' ')}{because}")
            lines.append(f"    {fired.reason}")
    return lines

"""``obligo explain`` written out: the steps of one verdict and its money, as text or as
Markdown (for a ticket or a review). Both are the same sections, in the same order, from the
:class:`~obligo.report.explain.Explanation`; nothing is computed here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from obligo._inert import inert
from obligo.render.markdown import md
from obligo.report.explain import (
    Explanation,
    FieldValue,
    LeftOut,
    LeftOutRecord,
    Objective,
    group_text,
)
from obligo.report.model import Consequence, Contributor, Location, Verdict

__all__ = ["FORMATS", "explanation_markdown", "explanation_text"]


@dataclass
class _Section:
    title: str
    lines: list[str] = field(default_factory=list)  # sentences and list items
    quoted: str | None = None  # contract text as written
    # The lines with the contract's and the log's words escaped, for Markdown (None: `lines`
    # hold none of them).
    markdown: list[str] | None = None


def _at(loc: Location) -> str:
    return f"{loc.file}:{loc.line}"


def _time(when: dt.datetime | None) -> str:
    return "-" if when is None else when.isoformat()


def _status(verdict: Verdict) -> str:
    status = verdict.status.replace("_", " ")
    if verdict.reason:
        status += f" ({verdict.reason})"
    if verdict.baseline:
        status += "; a baseline period: measured and judged, without consequences"
    if verdict.reported_only:
        status += "; reported only, before its promotion: no consequence"
    budget = verdict.error_budget
    if budget is not None:
        status += f"; error budget left {budget.remaining} {budget.unit} ({budget.used}% used)"
    return status


def _quantity(verdict: Verdict) -> str:
    if verdict.value is None:
        return "-"
    return f"{verdict.value}%" if verdict.unit == "%" else f"{verdict.value} {verdict.unit}"


def _contributor(item: Contributor) -> str:
    text = f"{item.type} {item.id or '(no id)'}"
    if item.start is not None and item.end is None:
        # Still open at the evaluation time: its time runs from its start (its detail says so).
        text += f" from {_time(item.start)}"
    elif item.start is not None or item.end is not None:
        text += f" {_time(item.start)} to {_time(item.end)}"
    if item.seconds is not None:
        text += f": {item.seconds} s"
    # A late record's stopped clock explains its lateness: each pause is shown with it.
    pauses = [
        f"paused {_time(p.start)} to {_time(p.end) if p.end else 'now'}: {p.seconds} s"
        for p in item.pauses
    ]
    notes = [note for note in [item.detail, *pauses] if note]
    if notes:
        text += f" ({'; '.join(notes)})"
    return text


def _objective_sections(number: int, objective: Objective) -> list[_Section]:
    verdict = objective.verdict
    period = verdict.period
    evidence = verdict.evidence
    sections = [
        _Section(
            f"The metric {objective.metric.name} as written ({_at(objective.metric.location)})",
            quoted=objective.metric.text,
        )
    ]
    for exclusion in objective.exclusions:
        sections.append(
            _Section(
                f"The exclusion {exclusion.name} it applies ({_at(exclusion.location)})",
                quoted=exclusion.text,
            )
        )
    sections.append(
        _Section(
            f"The verdict: {verdict.objective}",
            [
                f"period {period.label}: {_time(period.start)} to {_time(period.end)}"
                + (" (partial)" if period.partial else ""),
                f"measured: {_quantity(verdict)} against {verdict.target}",
                f"status: {_status(verdict)}",
            ],
        )
    )
    sections.append(_Section("The arithmetic", list(objective.arithmetic)))
    shown = objective.contributors
    total = objective.contributors_total
    more = total - len(shown)
    counted = _Section(
        "What made the value"
        + (
            f": the {len(shown)} largest of {total} contributors"
            if more > 0
            else f": {total} contributor{'s' if total != 1 else ''}"
        ),
        [_contributor(item) for item in shown],
    )
    if more > 0:
        counted.lines.append(f"... and {more} more, not listed")
    if not shown:
        counted.lines.append("none")
    sections.append(counted)
    if objective.without_effect_total:
        idle = _Section(
            "Left out: records read that added nothing",
            [_contributor(_by(item, objective)) for item in objective.without_effect],
        )
        rest = objective.without_effect_total - len(objective.without_effect)
        if rest > 0:
            idle.lines.append(f"... and {rest} more, not listed")
        sections.append(idle)
    if objective.left_out is not None and objective.left_out.total:
        sections.append(_not_counted(objective.left_out))
    left_out = _Section("Left out: exclusions")
    for applied in evidence.exclusions:
        treatment = _TREATMENTS[applied.treatment]
        left_out.lines.append(
            f"{applied.exclusion} ({applied.reason}): {applied.seconds} s {treatment},"
            f" {applied.records} record{'s' if applied.records != 1 else ''}"
        )
    if objective.left_out is not None:
        found = objective.left_out
        for excluded in found.excluded:
            left_out.lines.append(
                f"accepted: {excluded.type} {excluded.id or '(no id)'}"
                f" {_time(excluded.start)} to {_time(excluded.end)}: {excluded.seconds} s of the"
                f" period, exclusion {excluded.exclusion}"
            )
        rest = found.excluded_total - len(found.excluded)
        if rest > 0:
            left_out.lines.append(f"... and {rest} more accepted, not listed")
    for refused in evidence.exclusions_refused:
        left_out.lines.append(
            f"refused, so counted as ordinary downtime: {refused.type} {refused.id or '(no id)'}"
            f" from {_time(refused.start)}, exclusion {refused.exclusion}: {refused.reason}"
        )
    if left_out.lines:
        sections.append(left_out)
    del number
    return sections


def _by(item: Contributor, objective: Objective) -> Contributor:
    """A record read without effect, its reason naming the exclusions that took its time."""
    found = objective.left_out
    for by in found.excluded_by if found is not None else ():
        if (by.type, by.id, by.start) == (item.type, item.id, item.start):
            names = ", ".join(by.exclusions)
            reason = f"{item.detail}: by {names}" if item.detail else f"excluded by {names}"
            return item.model_copy(update={"detail": reason})
    return item


_SIDES = {
    None: "without a time, in no period",
    "before": "before the period",
    "after": "after the period",
    "after_evaluation": "after the evaluation time",
    "after_term": "after the end of the term",
}
_REASONS = {
    "where": "fail the where",
    "group": "in another group",
    "period": "outside the period",
    "rejected": "rejected at load",
}


def _not_counted(found: LeftOut) -> _Section:
    """The records of the metric's types it did not count, each with the reason; in Markdown
    the contract's and the log's words escaped."""
    section = _Section(
        f"Left out: records not counted, from {_time(found.window_start)} to"
        f" {_time(found.window_end)}"
    )
    section.lines = _not_counted_lines(found, _plain)
    section.markdown = _not_counted_lines(found, _markdown)
    return section


def _plain(text: str) -> str:
    """A contract's or a log's words on one line: a line break in a log value is shown
    escaped, never as a line of the explanation of its own."""
    return inert(text)


def _markdown(text: str) -> str:
    return md(inert(text))


def _not_counted_lines(found: LeftOut, esc: Callable[[str], str]) -> list[str]:
    lines = [
        "records read: "
        + ("; ".join(esc(s) for s in found.selections) or "none of its own (it reads metrics)")
    ]
    lines.append(
        f"{found.total} not counted: "
        + ", ".join(f"{found.counts.get(r, 0)} {words}" for r, words in _REASONS.items())
    )
    lines += [_left_out_record(item, esc) for item in found.records]
    rest = found.total - len(found.records)
    if rest > 0:
        lines.append(f"... and {rest} more, not listed")
    return lines


def _value(item: FieldValue, esc: Callable[[str], str]) -> str:
    if item.value is None:
        return f"it has no {esc(item.field)}"
    return f"its {esc(item.field)} is {esc(item.value)}"


def _left_out_record(item: LeftOutRecord, esc: Callable[[str], str]) -> str:
    where = f" ({esc(item.source or '-')}:{item.line})" if item.line is not None else ""
    if item.reason == "rejected":
        return f"a line rejected at load: {esc(item.detail or '')}{where}"
    text = f"{esc(item.type or '-')} {esc(item.id) if item.id else '(no id)'}"
    if item.placed_by is not None:
        text += f" {esc(item.placed_by)} {_time(item.time)}"
    elif item.seconds is None:
        text += f" at {_time(item.time)}"
    elif item.end is None:
        text += f" from {_time(item.time)}, still open"
    else:
        text += f" {_time(item.time)} to {_time(item.end)}"
    if item.seconds is not None:
        text += f": {item.seconds} s"
    if item.reason == "where":
        why = "; ".join(
            f"fails {esc(f.condition)}"
            + (f" ({', '.join(_value(v, esc) for v in f.values)})" if f.values else "")
            for f in item.failed
        )
    elif item.reason == "group":
        why = "in another group (" + ", ".join(_value(v, esc) for v in item.group) + ")"
    else:
        why = _SIDES[item.side]
    return f"{text}: {why}{where}"


_TREATMENTS = {
    "excluded_from_period": "excluded from the period",
    "counts_as_available": "counted as available",
}


def _money_sections(explanation: Explanation) -> list[_Section]:
    sections: list[_Section] = []
    if explanation.tiers:
        sections.append(
            _Section(
                "The tiers",
                [
                    f"{'[given] ' if tier.chosen else ''}{tier.rule} ({_at(tier.location)}):"
                    f" {tier.why}"
                    for tier in explanation.tiers
                ],
            )
        )
    for item in explanation.consequences:
        sections.append(_consequence(item))
    if not explanation.consequences:
        baseline = any(o.verdict.baseline for o in explanation.objectives)
        sections.append(
            _Section(
                "The money",
                [
                    "nothing is owed for this clause in this period"
                    + (
                        "; a baseline period: measured and judged, without consequences"
                        if baseline
                        else ""
                    )
                ],
            )
        )
    return sections


def _consequence(item: Consequence) -> _Section:
    section = _Section(
        f"The money: a {item.kind}" + (f" for {item.service}" if item.service else "")
    )
    lines = section.lines
    if item.fee is not None:
        amount = "unknown" if item.fee.amount is None else f"{item.fee.amount} {item.fee.currency}"
        lines.append(f"fee of {item.fee.service}: {amount} ({item.fee.source}: {item.fee.detail})")
    for line in item.lines:
        lines.append(f"{line.rule} ({_at(line.location)}): {line.arithmetic}")
    if item.before_caps is not None:
        lines.append(f"before the caps: {item.before_caps}")
    for cap in item.caps:
        lines.append(
            f"cap {cap.cap} ({_at(cap.location)}): {cap.arithmetic};"
            f" {cap.before} -> {cap.after}" + (" (bound)" if cap.bound else " (not bound)")
        )
    if item.after_caps is not None:
        lines.append(f"after the caps: {item.after_caps}")
    if item.amount is not None:
        rounding = f", rounded {item.rounding}" if item.rounding else ""
        lines.append(f"amount: {item.amount} {item.currency or ''}{rounding}".rstrip())
    if item.reason:
        lines.append(f"note: {item.reason}")
    if item.earn_back is not None:
        lines.append(f"earn-back: {item.earn_back.state}: {item.earn_back.detail}")
    claim = item.claim
    if claim is not None:
        if not claim.required:
            lines.append("claim: not required" + (f" ({claim.detail})" if claim.detail else ""))
        else:
            when = claim.deadline.isoformat() if claim.deadline else "no deadline"
            state = "" if claim.passed is None else ("; passed" if claim.passed else "; open")
            lines.append(
                f"claim {claim.rule or ''}: by {when}{state}".replace("claim : ", "claim: ")
                + (f" ({claim.detail})" if claim.detail else "")
            )
            for requirement in claim.requirements:
                missing = ", ".join(requirement.not_qualifying)
                lines.append(
                    f"requirement {requirement.requirement}: {requirement.qualifying} of"
                    f" {requirement.records} records qualify"
                    + (f" (not: {missing})" if missing else "")
                )
    return section


def _sections(explanation: Explanation) -> tuple[str, list[str], list[_Section]]:
    clause = explanation.clause
    head = f"clause {clause.name}"
    title = explanation.objectives[0].verdict.clause_title if explanation.objectives else None
    if title:
        head += f' "{title}"'
    head += f", period {explanation.period}"
    if explanation.group is not None:
        head += f", group {group_text(explanation.group)}"
    contract = explanation.contract
    about = [
        f"contract {contract.id}"
        + (f' "{contract.title}"' if contract.title else "")
        + (f" version {contract.version}" if contract.version else ""),
    ]
    pair = [
        f"{role} {name}"
        for role, name in (("customer", explanation.customer), ("service", explanation.service))
        if name
    ]
    if pair:
        about.append(", ".join(pair))
    about.append(f"evaluated at {explanation.evaluated_at.isoformat()} ({explanation.timezone})")
    sections = [_Section(f"The clause as written ({_at(clause.location)})", quoted=clause.text)]
    for number, objective in enumerate(explanation.objectives, 1):
        sections += _objective_sections(number, objective)
    sections += _money_sections(explanation)
    if explanation.inputs:
        sections.append(
            _Section(
                "The logs: every line accounted for",
                [
                    f"{a.name}: {a.lines} lines, {a.used} used, {a.outside_periods} outside the"
                    f" periods, {a.unused} not used by this contract, {a.rejected} rejected"
                    + (f", {a.merged} merged" if a.merged else "")
                    for a in explanation.inputs
                ],
            )
        )
    return head, about, sections


def explanation_text(explanation: Explanation) -> str:
    """The explanation as plain text: numbered steps, the contract's own lines indented."""
    head, about, sections = _sections(explanation)
    out = [f"explain {head}", *about, ""]
    for number, section in enumerate(sections, 1):
        out.append(f"{number}. {section.title}")
        if section.quoted is not None:
            out += [f"    {line}" if line else "" for line in section.quoted.split("\n")]
        out += [f"  - {line}" for line in section.lines]
        out.append("")
    return inert("\n".join(out), newlines=True)


def explanation_markdown(explanation: Explanation) -> str:
    """The explanation as Markdown: a heading per step, the contract's lines in code blocks."""
    head, about, sections = _sections(explanation)
    out = [f"# Explain {head}", "", *[f"- {line}" for line in about], ""]
    for number, section in enumerate(sections, 1):
        out += [f"## {number}. {section.title}", ""]
        if section.quoted is not None:
            fence = "````" if "```" in section.quoted else "```"
            out += [f"{fence}sla", section.quoted, fence, ""]
        lines = section.lines if section.markdown is None else section.markdown
        if lines:
            out += [f"- {line}" for line in lines]
            out.append("")
    return inert("\n".join(out), newlines=True)


FORMATS = {"text": explanation_text, "markdown": explanation_markdown}

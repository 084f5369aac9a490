"""The Markdown form of a report: what a reader acts on, fit to paste into an email, a wiki page
or a ticket. The same content as the JSON report, for people: a summary (objectives met,
breached, without data, pending; money per currency; open termination rights; triggers), then a
section per clause with its words (printed from the model, in a code block), a table of its periods and, for each
breach, the evidence behind it and the arithmetic of what it costs.

Every text taken from a contract or a log is made inert (terminal controls escaped) and then
escaped for Markdown: a name cannot open a link, an HTML tag, a code span or a table cell. A
clause's words stand in a fenced code block longer than any run of backticks in them, where
CommonMark shows every character as itself (no escape needed, nor shown).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

from obligo._inert import inert, inert_model
from obligo.render.options import PLAIN, RenderOptions
from obligo.render.quantities import duration, percent, quantity
from obligo.render.words import amount_words
from obligo.report.base import plain
from obligo.report.model import (
    AgreementParty,
    ClaimStatus,
    ClauseText,
    Consequence,
    Contributor,
    Evidence,
    Group,
    InputAccount,
    MoneyTotal,
    NetPosition,
    Rejection,
    Report,
    Verdict,
)
from obligo.report.portfolio import PortfolioReport
from obligo.report.rights import Outage, TriggerPeriod

# Backslash first: it escapes the others. Every ASCII punctuation mark may be escaped in
# CommonMark; these are those that can start a link, an image, an HTML tag or entity, a code
# span, emphasis, a heading, strike-through or a table cell inside the text of a line.
_SPECIAL = "\\`*_[]()<>|#!~&"
_ESCAPES = str.maketrans({c: "\\" + c for c in _SPECIAL})


def md(text: str) -> str:
    """A text from a contract or a log, shown as itself in Markdown (already inert: the report
    is made inert whole first).

    Two escapers, on purpose: ``md`` (the eval report) puts a backslash before every mark that
    can open a construct anywhere, a line's start included (``#``, ``!``, ``(``), so that its
    text reads back exactly in any position; ``md_text`` (the budget and review packs, whose
    names stand inside a line only) makes the text inert itself and writes ``<``, ``>`` and
    ``&`` as entities. Both meet the rule of issue 14: ``|``, backticks, ``<``, ``>`` and link
    syntax never act as markup. Merging them would change the bytes of one pack or the other
    for no reader's gain."""
    return text.translate(_ESCAPES)


# For text written inside a line of prose or a table cell (the budget and review packs): the
# characters that open or close a construct there, with a backslash; `<`, `>` and `&` as HTML
# entities, so that no raw HTML and no entity reaches the reader. Parentheses, `#` and `!` mean
# nothing inside a line and stay as they are, easier to read in the Markdown source.
_INLINE = str.maketrans(
    {c: "\\" + c for c in "\\`*_[]|~"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
)


def md_text(text: object) -> str:
    """Any text from a contract or a log as literal Markdown inside a line: terminal controls
    and line breaks made inert first (a line break would end a table row), then escaped."""
    return inert(str(text)).translate(_INLINE)


def _heading(level: int, text: str) -> list[str]:
    return [f"{'#' * min(level, 6)} {text}", ""]


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    """A GitHub-flavoured table; cells are already escaped (a ``|`` in one is ``\\|``)."""
    heads = list(headers)
    lines = ["| " + " | ".join(heads) + " |", "|" + "|".join("---" for _ in heads) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _time(moment: dt.datetime | None) -> str:
    """An instant with its offset; to the minute when it falls on one."""
    if moment is None:
        return "-"
    spec = "minutes" if moment.second == 0 and moment.microsecond == 0 else "auto"
    return moment.isoformat(timespec=spec)


def _money(amount: Decimal | None, currency: str | None) -> str:
    return amount_words(amount, md(currency) if currency else currency)


def _group(group: Group | None) -> str:
    if group is None:
        return ""
    if isinstance(group, str):
        return md(group)
    return ", ".join(f"{md(field)}={md(value)}" for field, value in group.items())


def _status_words(status: str) -> str:
    return status.replace("_", " ")


# ------------------------------------------------------------------------------------- report
def report_markdown(report: Report, options: RenderOptions = PLAIN) -> str:
    """One agreement's report as a Markdown document."""
    return "\n".join(_report(inert_model(report), options, level=1)).rstrip("\n") + "\n"


def _report(report: Report, options: RenderOptions, level: int, accounts: bool = True) -> list[str]:
    """The report's lines, its title at ``level``; ``accounts=False`` for a section of an agreement
    set, whose line account is the set's."""
    contract = report.contract
    title = f" “{md(contract.title)}”" if contract.title else ""
    version = f", version {md(contract.version)}" if contract.version else ""
    out = _heading(level, f"Contract {md(contract.id)}{title}{version}")
    facts = _parties(report)
    facts.append(f"- **Evaluated at:** {report.evaluated_at.isoformat()} ({md(report.timezone)})")
    window = report.window
    if window.start is not None or window.end is not None:
        start = window.start.isoformat() if window.start else "the start of the term"
        end = window.end.isoformat() if window.end else "the evaluation time"
        facts.append(
            f"- **Periods shown:** from {start} to {end} (every period is evaluated regardless)"
        )
    if report.baseline is not None:
        base = report.baseline
        state = "ended" if base.ended else "running"
        facts.append(
            f"- **Baseline:** {base.first.isoformat()} to {base.last.isoformat()} ({state}):"
            " its periods are measured and judged, without consequences"
        )
    out += [*facts, ""]
    out += _summary(report, options, level + 1)
    placed: set[int] = set()
    for clause in _clauses(report):
        out += _clause(report, clause, options, level + 1, placed)
    out += _suppliers(report, level + 1)
    out += _rights(report, level + 1)
    out += _calendars(report, level + 1)
    if accounts:
        out += _accounts(report.inputs, report.rejections, level + 1)
    return out


def _parties(report: Report) -> list[str]:
    """The header's lines of the parties (the customer alone in a report made without them),
    the customer's representative and the term."""
    parties = report.parties
    if not parties and report.customer is not None:
        customer = report.customer
        parties = [
            AgreementParty(
                role="customer",
                id=customer.id,
                title=customer.title,
                representative=customer.representative,
            )
        ]
    facts: list[str] = []
    for party in parties:
        name = f" “{md(party.title)}”" if party.title else ""
        role = party.role.capitalize()
        facts.append(f"- **{role}:** {md(party.id)}{name}")
        if party.representative is not None:
            facts.append(f"- **{role}'s representative:** {md(party.representative)}")
    term = report.term
    if term is not None:
        end = term.end.isoformat() if term.end is not None else "no end date"
        words = f"{term.start.isoformat()} to {end}"
        words += f", renews {md(term.renews)}" if term.renews is not None else ""
        words += f", notice {md(term.notice)}" if term.notice is not None else ""
        facts.append(f"- **Term:** {words}")
    return facts


def _counts(verdicts: list[Verdict]) -> list[str]:
    return [
        str(sum(1 for v in verdicts if v.status == status))
        for status in ("met", "breached", "no_data", "pending")
    ]


def _summary(report: Report, options: RenderOptions, level: int) -> list[str]:
    out = _heading(level, "Summary")
    out.append("Objectives, period by period:")
    out.append("")
    out += _table(["met", "breached", "no data", "pending"], [_counts(report.verdicts)])
    out += _totals(report)
    open_rights = [r for r in report.termination_rights if r.open]
    if open_rights:
        out.append(f"**Open termination rights:** {len(open_rights)}")
        out.append("")
        for right in open_rights:
            until = (
                f", open until {_time(right.lapses_at)}"
                if right.lapses_at is not None
                else ", open (no time to exercise it)"
            )
            out.append(f"- clause {md(right.clause)}: {md(right.trigger)}{until}")
        out.append("")
    else:
        out += ["**Open termination rights:** none", ""]
    if report.triggers or report.escalations:
        out.append(
            f"**Triggers fired:** {len(report.triggers)}; **escalation notices due:**"
            f" {len(report.escalations)} (listed below)"
        )
    else:
        out.append("**Triggers fired:** none")
    out.append("")
    return out


def _totals(report: Report) -> list[str]:
    totals = report.totals
    if not totals.contract:
        return ["**Money:** no consequence in the periods shown", ""]
    rows: list[list[str]] = []
    for name, amounts in [
        ("contract", totals.contract),
        *[(f"service {md(s.service)}", s.amounts) for s in totals.services],
        *[(f"supplier {md(s.supplier)}", s.amounts) for s in totals.suppliers],
    ]:
        rows += [_money_row(name, money) for money in amounts]
    out = ["**Money** (amounts in different currencies are never added):", ""]
    out += _table(
        [
            "for",
            "currency",
            "credits",
            "penalties",
            "rewards",
            "credits still to claim",
            "claim deadline passed",
            "provisional credits",
        ],
        rows,
    )
    if totals.without_amount:
        out += [f"{totals.without_amount} consequences without a known amount.", ""]
    return out


def _money_row(name: str, money: MoneyTotal) -> list[str]:
    return [
        name,
        md(money.currency),
        plain(money.credits),
        plain(money.penalties),
        plain(money.rewards),
        plain(money.credits_to_claim),
        plain(money.credits_claim_passed),
        plain(money.credits_provisional),
    ]


# ------------------------------------------------------------------------------------ clauses
def _clauses(report: Report) -> list[str]:
    """The clauses in the order the report first names them (verdicts, then consequences)."""
    seen: dict[str, None] = {}
    for clause in [*(v.clause for v in report.verdicts), *(c.clause for c in report.consequences)]:
        seen.setdefault(clause, None)
    for text in report.clauses:  # a clause with nothing to show this time: its words, after
        seen.setdefault(text.clause, None)
    return list(seen)


def _matches(item: Consequence, verdict: Verdict) -> bool:
    return (
        item.clause == verdict.clause
        and item.period.label == verdict.period.label
        and item.group == verdict.group
    )


def _clause(
    report: Report, clause: str, options: RenderOptions, level: int, placed: set[int]
) -> list[str]:
    verdicts = [v for v in report.verdicts if v.clause == clause]
    owed = [(i, c) for i, c in enumerate(report.consequences) if c.clause == clause]
    text = next((t for t in report.clauses if t.clause == clause), None)
    titles = [*(v.clause_title for v in verdicts), *(c.clause_title for _, c in owed)]
    titles.append(None if text is None else text.title)
    title = next((t for t in titles if t), None)
    out = _heading(level, f"Clause {md(clause)}" + (f": {md(title)}" if title else ""))
    if text is not None:
        out += _words(text)
    several = len({(v.metric, str(v.group)) for v in verdicts}) > 1
    rows = []
    for v in verdicts:
        credit = "; ".join(_credit_cell(c) for _, c in owed if _matches(c, v))
        row = [
            md(v.period.label)
            + (" (partial)" if v.period.partial else "")
            + (" (baseline)" if v.baseline else ""),
            "-"
            if v.value is None
            else md(quantity(v.value, v.unit, options.precision, v.target_value)),
            md(_target(v)),
            _verdict_status(v),
            _budget(v, options),
            credit,
        ]
        if several:
            row.insert(0, md(v.metric) + (f" {_group(v.group)}" if v.group else ""))
        rows.append(row)
    if rows:
        heads = ["period", "measured", "target", "status", "error budget", "consequence"]
        out += _table(["objective", *heads] if several else heads, rows)
    for v in verdicts:
        if v.status != "breached":
            continue
        out += _heading(level + 1, _breach_title(v, options))
        out += _evidence(v.evidence)
        for index, item in owed:
            if index not in placed and _matches(item, v):
                placed.add(index)
                out += _consequence(item, level + 2)
    others = [(i, c) for i, c in owed if i not in placed]
    if others:
        out += _heading(level + 1, "Consequences")
        for index, item in others:
            placed.add(index)
            out += _consequence(item, level + 2)
    return out


def _words(text: ClauseText) -> list[str]:
    """The clause's words as the report holds them (printed from the model), in a fenced code
    block whose fence is longer than any run of backticks in them, with where it is written."""
    longest = max((len(run) for line in text.lines for run in re.findall("`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    loc = text.location
    return [
        f"As written in the contract ({md(loc.file)}:{loc.line}):",
        "",
        fence,
        *text.lines,
        fence,
        "",
    ]


def _target(v: Verdict) -> str:
    return v.objective.split(" ", 1)[1] if " " in v.objective else v.target


def _verdict_status(v: Verdict) -> str:
    text = _status_words(v.status)
    if v.status == "breached":
        text = f"**{text}**"
    if v.reported_only:
        text += " (reported only)"
    if v.reason and (v.status == "no_data" or (v.status != "met" and v.value is None)):
        text += f": {md(v.reason)}"
    return text


def _budget(v: Verdict, options: RenderOptions) -> str:
    budget = v.error_budget
    if budget is None:
        return ""
    left = md(quantity(budget.remaining, budget.unit))
    return f"{left} left, {percent(budget.used, options.precision)}% used"


def _credit_cell(item: Consequence) -> str:
    kind = "" if item.kind == "credit" else f"{item.kind} "
    state = ""
    if item.earn_back is not None:
        state = f" ({item.earn_back.state.replace('_', ' ')})"
    return f"{kind}{_money(item.amount, item.currency)}{state}"


def _breach_title(v: Verdict, options: RenderOptions) -> str:
    group = f" {_group(v.group)}" if v.group else ""
    measured = (
        "no value"
        if v.value is None
        else md(quantity(v.value, v.unit, options.precision, v.target_value))
    )
    return (
        f"{md(v.period.label)}: {md(v.metric)}{group} breached, {measured} against {md(_target(v))}"
    )


# ----------------------------------------------------------------------------------- evidence
def _evidence(evidence: Evidence) -> list[str]:
    out: list[str] = []
    if evidence.totals:
        out += ["Totals:", ""]
        out += [
            f"- {md(key)}: {_total_value(key, value)}" for key, value in evidence.totals.items()
        ]
        out.append("")
    if evidence.contributors:
        shown = len(evidence.contributors)
        out += [f"Largest contributors ({shown} of {evidence.contributors_total}):", ""]
        out += _table(
            ["record", "start", "end", "duration", "detail"],
            [_contributor(c) for c in evidence.contributors],
        )
    if evidence.exclusions:
        out += ["Exclusions accepted:", ""]
        out += _table(
            ["exclusion", "reason", "treatment", "time", "records"],
            [
                [
                    md(e.exclusion),
                    md(e.reason),
                    e.treatment.replace("_", " "),
                    duration(e.seconds),
                    str(e.records),
                ]
                for e in evidence.exclusions
            ],
        )
    if evidence.exclusions_refused:
        out += ["Exclusions refused:", ""]
        out += _table(
            ["exclusion", "record", "start", "why refused"],
            [
                [md(r.exclusion), _record(r.type, r.id), _time(r.start), md(r.reason)]
                for r in evidence.exclusions_refused
            ],
        )
    return out


def _total_value(key: str, value: Decimal) -> str:
    """A total of the evidence; one counted in seconds also in words."""
    if key.endswith("_seconds") or key.startswith("attributed_seconds"):
        words, seconds = duration(value), f"{plain(value)} s"
        return words if words == seconds else f"{words} ({seconds})"
    return plain(value)


def _record(kind: str, ident: str | None) -> str:
    return md(kind) + (f" {md(ident)}" if ident else "")


def _contributor(c: Contributor) -> list[str]:
    detail = md(c.detail) if c.detail else ""
    pauses = [
        f"paused {_time(p.start)} to {_time(p.end) if p.end else 'now'} ({duration(p.seconds)})"
        for p in c.pauses
    ]
    return [
        _record(c.type, c.id),
        _time(c.start),
        _time(c.end),
        "" if c.seconds is None else duration(c.seconds),
        "; ".join([d for d in [detail, *pauses] if d]),
    ]


# ------------------------------------------------------------------------------- consequences
def _consequence(item: Consequence, level: int) -> list[str]:
    group = f" {_group(item.group)}" if item.group else ""
    out = _heading(
        level,
        f"{item.kind.capitalize()}{group} for {md(item.period.label)}:"
        f" {_money(item.amount, item.currency)}",
    )
    facts: list[str] = []
    if item.service is not None:
        facts.append(f"- service {md(item.service)}")
    if item.supplier is not None:
        facts.append(f"- delivered by supplier {md(item.supplier)}")
    fee = item.fee
    if fee is not None:
        facts.append(
            f"- fee: {_money(fee.amount, fee.currency)} ({fee.source.replace('_', ' ')}):"
            f" {md(fee.detail)}"
        )
    for line in item.lines:
        facts.append(f"- {md(line.rule)}: {md(line.arithmetic)}")
    if item.before_caps is not None:
        facts.append(f"- before caps: {plain(item.before_caps)}")
    for cap in item.caps:
        effect = (
            f"bound, {plain(cap.before)} → {plain(cap.after)}"
            if cap.bound
            else f"not reached (limit {plain(cap.limit)})"
        )
        facts.append(f"- cap {md(cap.cap)}: {effect}; {md(cap.arithmetic)}")
    if item.after_caps is not None and item.caps:
        facts.append(f"- after caps: {plain(item.after_caps)}")
    if item.rounding is not None:
        facts.append(f"- rounding: {md(item.rounding)}")
    facts.append(f"- amount: {_money(item.amount, item.currency)}")
    facts += _claim(item.claim)
    if item.settlement is not None:
        settled = {
            "against_future_payments": "set off against future payments",
            "refund": "paid back as a refund",
        }
        facts.append(f"- settled: {settled[item.settlement]}")
    if item.reason and all(item.reason != line.arithmetic for line in item.lines):
        facts.append(f"- {md(item.reason)}")
    back = item.earn_back
    if back is not None:
        left = (
            f", {back.periods_left} of {back.periods} periods left"
            if back.state == "provisional"
            else ""
        )
        facts.append(f"- earn back: {back.state.replace('_', ' ')}{left}: {md(back.detail)}")
    return [*out, *facts, ""]


def _claim(claim: ClaimStatus | None) -> list[str]:
    if claim is None:
        return []
    if not claim.required:
        return ["- claim: none needed"]
    rule = md(claim.rule) if claim.rule else "claim"
    if claim.deadline is None:
        out = [f"- claim {rule}: {md(claim.detail or '')}"]
    else:
        state = "passed" if claim.passed else "open"
        last = claim.last_day.isoformat() if claim.last_day else _time(claim.deadline)
        out = [f"- claim {rule}: last day {last} (deadline {_time(claim.deadline)}), **{state}**"]
    for check in claim.requirements:
        missing = (
            f"; not reported: {', '.join(md(n) for n in check.not_qualifying)}"
            if check.not_qualifying
            else ""
        )
        out.append(
            f"- claim requires {md(check.requirement)}: {check.qualifying} of"
            f" {check.records} records{missing}"
        )
    return out


# ---------------------------------------------------------------------- suppliers, net, rights
def _suppliers(report: Report, level: int) -> list[str]:
    out: list[str] = []
    for position in report.suppliers:
        if not position.periods:
            continue
        name = f" “{md(position.name)}”" if position.name else ""
        services = ", ".join(md(s) for s in position.services)
        out += _heading(level, f"Supplier {md(position.supplier)}{name} ({services})")
        rows = []
        for row in position.periods:
            rows.append(
                [
                    md(row.period.label),
                    "; ".join(f"{duration(a.seconds)} of {md(a.metric)}" for a in row.attributed),
                    "; ".join(
                        f"{md(v.clause)} {md(v.metric)}"
                        + (f" {_group(v.group)}" if v.group else "")
                        + f" {_status_words(v.status)}"
                        for v in row.verdicts
                    ),
                    "; ".join(
                        f"{plain(m.credits)} {md(m.currency)} credits"
                        + (
                            f", {plain(m.penalties)} {md(m.currency)} penalties"
                            if Decimal(m.penalties)
                            else ""
                        )
                        for m in row.claimable
                    ),
                ]
            )
        out += _table(["period", "downtime attributed", "its verdicts", "claimable"], rows)
    if report.net_position:
        out += _net(level, "Net position (owed to the customer − claimable from suppliers)", report)
    return out


def _net(level: int, title: str, holder: Report | PortfolioReport) -> list[str]:
    nets: list[NetPosition] = holder.net_position
    return [
        *_heading(level, title),
        *_table(
            ["period", "currency", "owed", "claimable", "net"],
            [
                [
                    md(n.period.label),
                    md(n.currency),
                    plain(n.owed_to_customer),
                    plain(n.claimable_from_suppliers),
                    plain(n.net),
                ]
                for n in nets
            ],
        ),
    ]


def _periods(periods: list[TriggerPeriod], outages: list[Outage]) -> list[str]:
    out = [f"  - {md(p.label)}: {md(p.detail)}" for p in periods]
    out += [
        f"  - {_record(o.type, o.id)} from {_time(o.start)}"
        f" to {_time(o.end) if o.end else 'still open'} ({duration(o.seconds)})"
        for o in outages
    ]
    return out


def _rights(report: Report, level: int) -> list[str]:
    out: list[str] = []
    if report.termination_rights:
        out += _heading(level, "Termination rights")
        for right in report.termination_rights:
            if right.lapses_at is None:
                until = "open (no time to exercise it)"
            elif right.open:
                exercise = f" (exercise {md(right.exercise)})" if right.exercise else ""
                until = f"**open** until {_time(right.lapses_at)}{exercise}"
            else:
                until = f"lapsed on {_time(right.lapses_at)}"
            loc = right.location
            out.append(
                f"- clause {md(right.clause)} ({md(loc.file)}:{loc.line}): {md(right.trigger)};"
                f" arose {_time(right.arose_at)}, {until}. {md(right.reason)}"
            )
            out += _periods(right.periods, right.outages)
        out.append("")
    if report.escalations:
        out += _heading(level, "Escalations")
        for notice in report.escalations:
            out.append(
                f"- {_time(notice.due_at)}: clause {md(notice.clause)}, notify {md(notice.to)}"
                f" ({md(notice.trigger)}). {md(notice.reason)}"
            )
            out += _periods(notice.periods, notice.outages)
        out.append("")
    if report.triggers:
        out += _heading(level, "Triggers")
        for fired in report.triggers:
            because = f" (because “{md(fired.because)}”)" if fired.because else ""
            to = f", notify {md(fired.to)}" if fired.to else ""
            out.append(
                f"- {_time(fired.fired_at)}: {fired.kind.replace('_', ' ')}{because}{to}."
                f" {md(fired.reason)}"
            )
            out += _periods(fired.periods, [])
            for comparison in fired.comparisons:
                out.append(f"  - {md(comparison.objective)}: {md(comparison.outcome)}")
        out.append("")
    return out


def _calendars(report: Report, level: int) -> list[str]:
    if not report.calendars:
        return []
    out = _heading(level, "Calendars")
    for calendar in report.calendars:
        drawn = ", ".join(
            md(s.source) + (f" (holidays {md(s.package_version)})" if s.package_version else "")
            for s in calendar.sources
        )
        out.append(
            f"- {md(calendar.calendar)}: holidays from {drawn}, {len(calendar.holidays)} dates"
            " (listed in the JSON report)"
        )
    return [*out, ""]


def _accounts(inputs: list[InputAccount], rejections: list[Rejection], level: int) -> list[str]:
    out = _heading(level, "Event logs")
    out += _table(
        ["input", "lines", "used", "outside the periods", "not used", "rejected", "merged"],
        [
            [
                md(a.name),
                str(a.lines),
                str(a.used),
                str(a.outside_periods),
                str(a.unused),
                str(a.rejected),
                str(a.merged),
            ]
            for a in inputs
        ],
    )
    for account in inputs:
        out += [f"- {md(account.name)}, not used: {md(near)}" for near in account.near]
        if account.naive_timestamps:
            out.append(
                f"- {md(account.name)}: {account.naive_timestamps} timestamps without offset"
            )
    if rejections:
        out += [f"{len(rejections)} lines rejected:", ""]
        out += _table(
            ["file", "line", "reason"],
            [[md(r.file), str(r.line), md(r.reason)] for r in rejections],
        )
    return out


# ---------------------------------------------------------------------------------- portfolio
def portfolio_markdown(portfolio: PortfolioReport, options: RenderOptions = PLAIN) -> str:
    """An agreement set: a summary of its sections, each section's report, the net position
    over all of them, and the line account of the log they share."""
    portfolio = inert_model(portfolio)
    out = _heading(1, "Agreement set")
    out += [
        f"- **Evaluated at:** {portfolio.evaluated_at.isoformat()} ({md(portfolio.timezone)})",
        "",
    ]
    out += _heading(2, "Sections")
    out += _table(
        ["customer", "service", "agreement", "kind", "met", "breached", "no data", "pending"],
        [
            [
                "any customer" if s.customer is None else md(s.customer),
                "-" if s.service is None else md(s.service),
                md(s.agreement),
                s.kind or "-",
                *_counts(s.report.verdicts),
            ]
            for s in portfolio.sections
        ],
    )
    for section in portfolio.sections:
        customer = (
            "any customer" if section.customer is None else f"customer {md(section.customer)}"
        )
        service = "" if section.service is None else f", service {md(section.service)}"
        out += _heading(2, f"{customer}{service} ({md(section.agreement)})")
        out += _table(
            ["clause", "level", "written in", "replaces"],
            [
                [
                    md(o.clause),
                    o.level,
                    f"{md(o.file)}:{o.line}",
                    ", ".join(md(r) for r in o.replaces),
                ]
                for o in section.clauses
            ],
        )
        # A section's report carries no line account of its own: the set's is below.
        out += _report(section.report, options, level=3, accounts=False)
    if portfolio.net_position:
        out += _net(
            2,
            "Net position over all sections (owed to customers − claimable from suppliers)",
            portfolio,
        )
    out += _accounts(portfolio.inputs, portfolio.rejections, 2)
    return "\n".join(out).rstrip("\n") + "\n"

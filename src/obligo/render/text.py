"""The terminal form of a report: a table per contract, clause by clause and period by period."""

from __future__ import annotations

import textwrap
from decimal import Decimal

from obligo._inert import inert, inert_model
from obligo.render.baseline import rights_text
from obligo.render.options import PLAIN, RenderOptions
from obligo.render.quantities import duration, quantity
from obligo.render.words import amount_words, customer_line, group_words, line_account
from obligo.report.base import plain
from obligo.report.model import (
    ClaimStatus,
    Consequence,
    MoneyTotal,
    NetPosition,
    Report,
    Verdict,
)
from obligo.report.portfolio import PortfolioReport
from obligo.report.rights import Assessment

HEADERS = ("clause", "period", "measured", "target", "status")


def _measured(verdict: Verdict, precision: int | None) -> str:
    if verdict.value is None:
        return "-"
    return quantity(verdict.value, verdict.unit, precision, verdict.target_value)


def _status(verdict: Verdict) -> str:
    text = verdict.status.replace("_", " ")
    if verdict.reported_only:
        text += " (reported only)"
    if (verdict.reason and verdict.status in ("no_data",)) or (
        verdict.reason and verdict.status != "met" and verdict.value is None
    ):
        text += f" ({verdict.reason})"
    if verdict.error_budget is not None:
        budget = verdict.error_budget
        text += f", budget left {quantity(budget.remaining, budget.unit)}"
    return text


def wrapped(lines: list[str], width: int | None) -> list[str]:
    """Each line folded at ``width`` (None: left whole), its continuation indented two more than
    the line itself, so that a wrapped reason still reads as one item. Words are never broken:
    a file name or a time longer than the width stays whole on its own line."""
    if width is None:
        return lines
    out: list[str] = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        out.extend(
            textwrap.wrap(
                line,
                width,
                subsequent_indent=indent + "  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return out


def report_text(reports: list[Report], options: RenderOptions = PLAIN) -> str:
    """The reports as text; every text taken from a contract or a log is shown inert. The table
    of verdicts is never wrapped (its columns would no longer line up); every other line folds
    at ``options.width``."""
    width = options.width
    out: list[str] = []
    for report in map(inert_model, reports):
        contract = report.contract
        version = f" version {contract.version}" if contract.version else ""
        title = f' "{contract.title}"' if contract.title else ""
        head = [f"contract {contract.id}{title}{version}"]
        if report.customer is not None:
            head.append(customer_line(report.customer))
        head.append(f"evaluated at {report.evaluated_at.isoformat()} ({report.timezone})")
        out.extend(wrapped(head, width))
        rows = [
            (
                f"{v.clause} {v.metric}" + (f" {group_words(v.group)}" if v.group else ""),
                v.period.label + (" (partial)" if v.period.partial else ""),
                _measured(v, options.precision),
                f"{v.objective.split(' ', 1)[1] if ' ' in v.objective else v.target}",
                _status(v),
            )
            for v in report.verdicts
        ]
        widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(HEADERS)]
        out.append("")
        out.append("  ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True)).rstrip())
        for row in rows:
            out.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        out.append("")
        rest: list[str] = [*_consequences(report), *_suppliers(report)]
        rights = rights_text(
            Assessment(
                termination_rights=report.termination_rights,
                escalations=report.escalations,
                triggers=report.triggers,
            )
        )
        if rights:
            rest.extend([*rights, ""])
        for calendar in report.calendars:  # holidays drawn from a country or a file
            drawn = ", ".join(
                s.source + (f" (holidays {s.package_version})" if s.package_version else "")
                for s in calendar.sources
            )
            years = sorted({h.date.year for h in calendar.holidays}) or [0]
            span = str(years[0]) if years[0] == years[-1] else f"{years[0]} to {years[-1]}"
            rest.append(
                inert(
                    f"calendar {calendar.calendar}: holidays from {drawn}:"
                    f" {len(calendar.holidays)} dates in {span} (listed in the JSON report)"
                )
            )
            rest.append("")
        rest.extend(line_account(report.inputs, report.rejections, "contract"))
        out.extend(wrapped(rest, width))
        out.append("")
    return "\n".join(out)


def portfolio_text(portfolio: PortfolioReport, options: RenderOptions = PLAIN) -> str:
    """Every section (customer and service, the clauses in force and where they come from, then
    its report), the net position over all of them, and the line account of the shared log.
    Every text taken from a contract or a log is shown inert."""
    portfolio = inert_model(portfolio)
    width = options.width
    out = wrapped(
        [f"agreement set evaluated at {portfolio.evaluated_at.isoformat()} ({portfolio.timezone})"],
        width,
    )
    for section in portfolio.sections:
        customer = "any customer" if section.customer is None else f"customer {section.customer}"
        head = [
            "",
            f"== {customer}, service {section.service} ({section.agreement}, {section.kind})",
        ]
        for origin in section.clauses:
            replaced = f", replaces {', '.join(origin.replaces)}" if origin.replaces else ""
            head.append(
                f"   clause {origin.clause}: {origin.level} {origin.file}:{origin.line}{replaced}"
            )
        out.extend(wrapped([*head, ""], width))
        # Already folded, its table kept whole.
        out.append(report_text([section.report], options).rstrip("\n"))
    rest: list[str] = []
    if portfolio.net_position:
        rest.append("")
        rest.extend(
            _net_lines(
                "net position over all sections (owed to customers - claimable from suppliers)",
                portfolio.net_position,
            )
        )
    rest.append("")
    rest.extend(line_account(portfolio.inputs, portfolio.rejections, "agreement set"))
    rest.append("")
    return "\n".join([*out, *wrapped(rest, width)])


# ------------------------------------------------------------------------------- consequences
def _claim(claim: ClaimStatus | None) -> str:
    if claim is None:
        return ""
    if not claim.required:
        return ", no claim needed"
    if claim.deadline is None:
        return f", claim {claim.rule}: {claim.detail}"
    state = "passed" if claim.passed else "open"
    when = claim.deadline.isoformat(timespec="minutes")
    last = claim.last_day.isoformat() if claim.last_day else when
    return f", claim {claim.rule}: last day {last} (deadline {when}), {state}"


def _key(item: Consequence) -> tuple[str, str, str, str]:
    return (item.clause, item.kind, item.period.label, repr(item.group))


def _split(items: list[Consequence]) -> set[tuple[str, str, str, str]]:
    """The consequences of one clause in one period that its lines split between services
    (each line owed by the supplier of the service whose fee it names)."""
    services: dict[tuple[str, str, str, str], set[str | None]] = {}
    for item in items:
        services.setdefault(_key(item), set()).add(item.service)
    return {key for key, found in services.items() if len(found) > 1}


def _consequence(item: Consequence, *, owed_by: bool = False) -> list[str]:
    group = f" {group_words(item.group)}" if item.group else ""
    # A clause split between services names the service and who owes each part.
    part = f" ({item.service}, owed by {item.supplier})" if owed_by else ""
    head = (
        f"  {item.clause} {item.kind}{group}{part} {item.period.label}:"
        f" {amount_words(item.amount, item.currency)}{_claim(item.claim)}"
    )
    back = item.earn_back
    if back is not None:
        states = {"provisional": "provisional", "earned_back": "earned back", "owed": "owed"}
        head += f", {states[back.state]}"
        if back.state == "provisional":
            head += f" ({back.periods_left} of {back.periods} periods left)"
    lines = [head]
    for line in item.lines:
        lines.append(f"    {line.rule}: {line.arithmetic}")
    for cap in item.caps:
        effect = (
            f"bound, {plain(cap.before)} -> {plain(cap.after)}"
            if cap.bound
            else f"not reached (limit {plain(cap.limit)})"
        )
        lines.append(f"    cap {cap.cap}: {effect}; {cap.arithmetic}")
    if item.claim is not None:
        for check in item.claim.requirements:
            missing = (
                f"; not reported: {', '.join(check.not_qualifying)}" if check.not_qualifying else ""
            )
            lines.append(
                f"    claim requires {check.requirement}: {check.qualifying} of"
                f" {check.records} records{missing}"
            )
    if item.settlement is not None:
        settled = {
            "against_future_payments": "set off against future payments",
            "refund": "paid back as a refund",
        }
        lines.append(f"    settled: {settled[item.settlement]}")
    if item.reason and all(item.reason != line.arithmetic for line in item.lines):
        lines.append(f"    {item.reason}")
    if back is not None:
        lines.append(f"    earn back: {back.detail}")
    return lines


def _total(name: str, amounts: list[MoneyTotal]) -> list[str]:
    found = []
    for money in amounts:
        cur = money.currency
        text = (
            f"  {name}: credits {plain(money.credits)} {cur}, penalties"
            f" {plain(money.penalties)} {cur}, rewards {plain(money.rewards)} {cur}"
        )
        to_claim, passed = plain(money.credits_to_claim), plain(money.credits_claim_passed)
        if to_claim != passed or to_claim.strip("0."):
            text += (
                f" (credits still to claim {to_claim} {cur}, claim deadline passed {passed} {cur})"
            )
        if plain(money.credits_provisional).strip("0."):
            text += f"; provisional credits {plain(money.credits_provisional)} {cur} (may be earned back)"
        found.append(text)
    return found


def _consequences(report: Report) -> list[str]:
    out: list[str] = []
    baseline = report.baseline
    if baseline is not None:
        state = "ended" if baseline.ended else "running"
        out.append(
            f"baseline {baseline.first.isoformat()} to {baseline.last.isoformat()} ({state}):"
            " its periods are measured and judged, without consequences"
        )
    if report.consequences:
        out.append("consequences")
        split = _split(report.consequences)
        for item in report.consequences:
            out.extend(_consequence(item, owed_by=_key(item) in split))
    else:
        out.append("consequences: none in the periods shown")
    totals = report.totals
    if totals.contract:
        out.append("totals")
        out.extend(_total("contract", totals.contract))
        for service in totals.services:
            out.extend(_total(f"service {service.service}", service.amounts))
        for supplier in totals.suppliers:
            out.extend(_total(f"supplier {supplier.supplier}", supplier.amounts))
        if totals.without_amount:
            out.append(f"  {totals.without_amount} consequences without a known amount")
    out.append("")
    return out


def _suppliers(report: Report) -> list[str]:
    """Each supplier's periods (attributed downtime, its verdicts, what can be claimed from it),
    then the provider's net position per period and currency."""
    out: list[str] = []
    for position in report.suppliers:
        if not position.periods:
            continue
        name = f' "{position.name}"' if position.name else ""
        out.append(f"supplier {position.supplier}{name} ({', '.join(position.services)})")
        for row in position.periods:
            parts = [
                f"{duration(a.seconds)} of {a.metric} downtime attributed" for a in row.attributed
            ]
            parts += [
                f"{v.clause} {v.metric}{' ' + group_words(v.group) if v.group else ''} {v.status}"
                for v in row.verdicts
            ]
            for money in row.claimable:
                parts.append(f"claimable {plain(money.credits)} {money.currency} credits")
                if Decimal(money.penalties):
                    parts.append(f"claimable {plain(money.penalties)} {money.currency} penalties")
            out.append(f"  {row.period.label}: " + "; ".join(parts))
    if report.net_position:
        out.extend(
            _net_lines(
                "net position (owed to the customer - claimable from suppliers)",
                report.net_position,
            )
        )
    if out:
        out.append("")
    return out


def _net_lines(title: str, nets: list[NetPosition]) -> list[str]:
    return [title] + [
        f"  {net.period.label}: {plain(net.owed_to_customer)} -"
        f" {plain(net.claimable_from_suppliers)} = {plain(net.net)} {net.currency}"
        for net in nets
    ]

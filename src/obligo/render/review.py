"""``obligo review``'s pack as Markdown or as a self-contained HTML page.

Both are made from one view of the pack (:func:`view`: the sections, each a title and rows of
plain text), so that they say the same. Markdown escapes every cell (:mod:`obligo.render.markdown`);
HTML is a Jinja2 template (``templates/review/``) with autoescaping on, so a ``<script>`` in a
clause title or a log value is shown, never run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import jinja2

from obligo._inert import inert_model
from obligo.render.markdown import md_text as md
from obligo.render.quantities import duration, quantity
from obligo.render.words import group_words
from obligo.report.base import plain
from obligo.report.model import Consequence, Contributor
from obligo.report.review import MeasurementReview, ObjectiveReview, ReviewPack

NONE = "none"


@dataclass(frozen=True)
class Table:
    """A section of the pack: a title, column headings (none: a list) and rows of text."""

    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]] = field(default_factory=list)
    empty: str = NONE


@dataclass(frozen=True)
class View:
    title: str
    facts: list[str]
    tables: list[Table]


def view(pack: ReviewPack) -> View:
    """The pack as sections of plain text, every text from the contract or the log inert."""
    pack = inert_model(pack)
    contract = pack.contract
    name = contract.id + (f" {contract.title}" if contract.title else "")
    facts = []
    if pack.customer is not None:
        who = pack.customer.title or pack.customer.id
        if pack.customer.representative:
            who += f", represented by {pack.customer.representative}"
        facts.append(f"Customer: {who}")
    if pack.service is not None:
        facts.append(f"Service: {pack.service}")
    facts.append(
        f"Period {pack.period}: {pack.period_start.isoformat()} to {pack.period_end.isoformat()};"
        f" as of {pack.evaluated_at.isoformat()} ({pack.timezone})"
    )
    term = pack.term
    facts.append(
        f"Term: {term.start} to {term.end or 'no end'}"
        + (f", {term.renewal}" if term.renewal else "")
        + (f", notice {term.notice}" if term.notice else "")
    )
    objectives = ("clause", "objective", "value", "status", "margin", "before (oldest first)")
    tables = [
        Table("Objectives", objectives, [_objective(o) for o in pack.objectives]),
        Table(
            "Measured, not promised",
            ("measurement", "value", "status", "before (oldest first)"),
            [_reported(o) for o in pack.reported] + [_measured(m) for m in pack.unpromised],
        ),
        Table(
            "Breaches and their largest contributors",
            ("clause", "objective", "value", "contributor", "share"),
            [
                row
                for b in pack.breaches
                for row in _breach(
                    b.clause,
                    b.objective + (" (reported only)" if b.reported_only else ""),
                    _value(b.value, b.unit),
                    b.contributors,
                    b.contributors_total,
                )
            ],
        ),
        Table(
            "Credits, penalties and rewards",
            ("clause", "kind", "period", "amount", "claim"),
            [_consequence(c) for c in pack.consequences],
        ),
        Table(
            "Termination rights open",
            ("clause", "arose", "lapses", "why"),
            [
                (
                    r.clause,
                    r.arose_at.isoformat(),
                    r.lapses_at.isoformat() if r.lapses_at else "no time set",
                    r.reason,
                )
                for r in pack.open_rights
            ],
        ),
        Table(
            f"Triggered in {pack.period}",
            ("when", "what"),
            [(t.fired_at.isoformat(), t.reason) for t in pack.fired],
        ),
        Table(
            "Coming",
            ("when", "what"),
            [(t.fired_at.date().isoformat(), t.reason) for t in pack.coming]
            + ([(str(term.end), _term_end(pack))] if term.end else []),
        ),
        Table(
            "Supplier contracts ending before the term",
            ("service", "contract", "ends"),
            [(s.service, s.reference, str(s.ends)) for s in pack.suppliers_ending],
        ),
        Table(
            "Inputs",
            ("log", "lines", "used", "outside the periods", "not used", "rejected"),
            [
                (
                    a.name,
                    str(a.lines),
                    str(a.used),
                    str(a.outside_periods),
                    str(a.unused),
                    str(a.rejected),
                )
                for a in pack.inputs
            ],
        ),
    ]
    return View(f"Service review {pack.period}: {name}", facts, tables)


def _term_end(pack: ReviewPack) -> str:
    """The last day of the term: it ends, or renews unless notice was given in time."""
    term = pack.term
    if term.renewal is None:
        return "the term ends"
    notice = f" (notice {term.notice})" if term.notice else ""
    return f"the term ends, or {term.renewal} unless notice is given{notice}"


def review_markdown(pack: ReviewPack) -> str:
    shown = view(pack)
    out = [f"# {md(shown.title)}", ""]
    out += [f"{md(fact)}  " for fact in shown.facts]
    for table in shown.tables:
        out += ["", f"## {md(table.title)}", ""]
        if not table.rows:
            out.append(md(table.empty))
            continue
        out.append("| " + " | ".join(md(c) for c in table.columns) + " |")
        out.append("|" + "---|" * len(table.columns))
        out += ["| " + " | ".join(md(cell) for cell in row) + " |" for row in table.rows]
    return "\n".join(out) + "\n"


_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("obligo.render", "templates/review"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
)


def review_html(pack: ReviewPack) -> str:
    """One HTML page with its style inline: no script, no link to fetch."""
    return _TEMPLATES.get_template("pack.html.j2").render(view=view(pack))


def _objective(item: ObjectiveReview) -> tuple[str, ...]:
    group = f" ({group_words(item.group)})" if isinstance(item.group, dict) else ""
    title = f" {item.clause_title}" if item.clause_title else ""
    status = item.status.replace("_", " ")
    if item.reason and item.value is None:
        status += f" ({item.reason})"
    margin = "" if item.margin is None else _signed(item.margin, item.unit)
    trend = "; ".join(
        f"{p.label} "
        + ("" if p.value is None else f"{_value(p.value, item.unit)} ")
        + p.status.replace("_", " ")
        for p in item.trend
    )
    return (
        f"{item.clause}{title}",
        item.objective + group,
        _value(item.value, item.unit),
        status,
        margin,
        trend,
    )


def _reported(item: ObjectiveReview) -> tuple[str, ...]:
    """A key measurement (``report ...``) before its clause's promotion."""
    clause, objective, value, status, _, trend = _objective(item)
    return (f"{clause}: {objective} (reported only)", value, status, trend)


def _measured(item: MeasurementReview) -> tuple[str, ...]:
    """A metric no clause promises: its value, never a verdict."""
    value = _value(item.value, item.unit)
    if item.value is None and item.reason:
        value += f" ({item.reason})"
    trend = "; ".join(f"{p.label} {_value(p.value, item.unit)}" for p in item.trend)
    status = "in progress" if item.pending else "no data" if item.value is None else "measured"
    title = f" {item.title}" if item.title else ""
    return (f"{item.metric}{title} ({item.period})", value, status, trend)


def _breach(
    clause: str,
    objective: str,
    value: str,
    contributors: list[Contributor],
    total: int,
) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [
        (clause, objective, value, _contributor(c), _seconds(c)) for c in contributors
    ]
    if not rows:
        rows = [(clause, objective, value, "no contributor recorded", "")]
    if total > len(contributors):
        rows.append((clause, objective, value, f"and {total - len(contributors)} more", ""))
    return rows


def _contributor(item: Contributor) -> str:
    text = item.type + (f" {item.id}" if item.id else "")
    if item.start is not None:
        text += f", {item.start.isoformat()}"
        text += f" to {item.end.isoformat()}" if item.end else ""
    if item.detail:
        text += f": {item.detail}"
    return text


def _seconds(item: Contributor) -> str:
    return "" if item.seconds is None else duration(item.seconds)


def _consequence(item: Consequence) -> tuple[str, ...]:
    amount = "no amount" if item.amount is None else f"{plain(item.amount)} {item.currency}"
    if item.reason and item.amount is None:
        amount += f" ({item.reason})"
    claim = "" if item.claim is None else (item.claim.detail or item.claim.rule or "")
    if item.claim is not None and item.claim.deadline is not None:
        claim = f"by {item.claim.deadline.isoformat()}"
    return (item.clause, item.kind, item.period.label, amount, claim)


def _value(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "no value"
    # Durations read as people write them (45 min, not 2700 s); the JSON keeps the seconds.
    return quantity(value, unit)


def _signed(value: Decimal, unit: str) -> str:
    sign = "+" if value > 0 else ""
    return sign + _value(value, unit)

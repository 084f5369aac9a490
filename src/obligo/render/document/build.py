"""The agreement in force, as a document: the checked, resolved model put into words section by
section, so that the text published and the logic evaluated come from the same file."""

from __future__ import annotations

from pathlib import PurePath

from obligo.model.clauses import Clause, CreditTable, Tier
from obligo.render.document import agreement, clauses, metrics, words  # noqa: F401 (registers)
from obligo.render.document.agreement import exclusion_sentences, fee_from, party_name
from obligo.render.document.blocks import Document, Paragraph, Section, Table
from obligo.render.document.registry import describe, laid_out
from obligo.resolve import ResolvedContract

_SETTLEMENT = {
    "against_future_payments": "Credits are settled against future payments.",
    "refund": "Credits are paid as a refund.",
}


def build_document(resolved: ResolvedContract) -> Document:
    """The sections of the agreement, each construct in force put into words, in the order a
    reader signs them: parties, term, services, calendars, measurements, exclusions, service
    levels, the amount at risk, then review."""
    contract = resolved.contract
    sections = [
        _parties(resolved),
        _term(resolved),
        _services(resolved),
        _calendars(resolved),
        _metrics(resolved),
        _exclusions(resolved),
        _clauses(resolved),
        _at_risk(resolved),
        _review(resolved),
    ]
    kind = f", a {contract.kind} agreement" if contract.kind else ""
    version = f", version {contract.version}" if contract.version else ""
    return Document(
        title=describe(contract),
        subtitle=f"Agreement {contract.id}{version}{kind}",
        sections=tuple(s for s in sections if s.blocks or s.sections),
        colophon=(
            f"Written by obligo from {PurePath(contract.loc.file).name}, the file that is "
            "evaluated: the text and the verdicts come from the same clauses."
        ),
    )


def _parties(resolved: ResolvedContract) -> Section:
    section = Section("The parties", "parties")
    section.say(resolved.contract.description or "")
    section.items([describe(p) for p in resolved.parties.values()])
    return section


def _term(resolved: ResolvedContract) -> Section:
    contract = resolved.contract
    section = Section("Term and general provisions", "term")
    section.say(describe(resolved.term))
    if contract.level is not None:
        section.say(describe(contract.level))
    section.items([describe(i) for i in contract.imports])
    general = [f"Times are read in the timezone {resolved.timezone}."]
    if resolved.currency:
        general.append(f"Amounts are in {resolved.currency}.")
    for setting in (resolved.billing_cycle, resolved.business_calendar, resolved.margins):
        if setting is not None:
            general.append(describe(setting))
    mappings = dict.fromkeys(m for level in resolved.levels for m in level.mappings)
    general += [describe(m) for m in mappings]
    general += [describe(u) for u in resolved.field_units.values()]
    section.items(general)
    return section


def _services(resolved: ResolvedContract) -> Section:
    section = Section("Services", "services")
    for service in resolved.services.values():
        part = Section(describe(service), "service")
        part.say(service.description or "")
        lines = [describe(f) for f in service.fees]
        lines.append(fee_from(service))
        if service.delivered_by:
            party = resolved.parties.get(service.delivered_by)
            by = party_name(party) if party else service.delivered_by
            lines.append(f"Delivered by {by}.")
        lines += [describe(u) for u in service.underlying]
        part.items([line for line in lines if line])
        section.sections.append(part)
    return section


def _calendars(resolved: ResolvedContract) -> Section:
    section = Section("Business calendars", "calendars")
    for calendar in resolved.calendars.values():
        part = Section(describe(calendar), "calendar")
        part.say(calendar.description or "")
        if calendar.timezone:
            part.say(f"Its hours are in the timezone {calendar.timezone}.")
        part.items([describe(h) for h in calendar.hours])
        closed = [words.date(d) for d in calendar.holidays]
        closed += [describe(s) for s in calendar.holiday_sources]
        if closed:
            part.say("Closed on: " + "; ".join(closed) + ".")
        section.sections.append(part)
    return section


def _metrics(resolved: ResolvedContract) -> Section:
    section = Section("Measurements", "measurements")
    for metric in resolved.metrics.values():
        title = f"{metric.title} ({metric.id})" if metric.title else metric.id
        part = Section(title, "metric")
        part.say(metric.description or "", describe(metric))
        section.sections.append(part)
    return section


def _exclusions(resolved: ResolvedContract) -> Section:
    section = Section("Exclusions", "exclusions")
    for exclusion in resolved.exclusions.values():
        part = Section(describe(exclusion), "exclusion")
        part.say(exclusion.description or "")
        part.items(exclusion_sentences(exclusion))
        section.sections.append(part)
    return section


def _clauses(resolved: ResolvedContract) -> Section:
    section = Section("Service levels", "service-levels")
    own = resolved.contract.id
    for clause, placed in zip(resolved.clauses, resolved.clause_origins(), strict=True):
        part = _clause(clause)
        if placed.origin.contract != own:
            # A clause in force from a level above: say where the signed text of it lives.
            level = (
                f"{placed.origin.tier} level" if placed.origin.tier != "agreement" else "agreement"
            )
            part.blocks.insert(
                0,
                Paragraph(
                    f"In force from the {level}, {placed.origin.contract} "
                    f"({PurePath(placed.origin.file).name}, line {placed.origin.line})."
                ),
            )
        section.sections.append(part)
    return section


def _clause(clause: Clause) -> Section:
    part = Section(describe(clause), "clause")
    part.say(clause.description or "")
    if clause.service is not None:
        part.say(f"This clause is about the service {clause.service}: its fee is the fee credited.")
    part.items([describe(p) for p in clause.promises])
    if clause.allocation is not None:
        part.say(describe(clause.allocation))
    for credit in clause.credits:
        part.say(describe(credit))
        if isinstance(credit, CreditTable):
            rows = tuple(_tier_row(t) for t in credit.tiers)
            part.blocks.append(Table(("Credit", "When"), rows))
    consequences = [describe(clause.largest_only)] if clause.largest_only else []
    # A clause's caps limit its credits, or its penalties when it has no credit (as the
    # engine's caps do).
    capped = "Credits" if clause.credits or not clause.penalties else "Penalties"
    consequences += [f"{capped} are {describe(cap)}." for cap in clause.caps]
    if clause.claim is not None:
        consequences.append(describe(clause.claim))
    consequences += [describe(r) for r in clause.claim_requirements]
    if clause.settlement is not None:
        consequences.append(_SETTLEMENT[clause.settlement])
    consequences += [describe(p) for p in clause.penalties]
    consequences += [describe(r) for r in clause.rewards]
    consequences += [describe(t) for t in clause.termination_rights]
    consequences += [describe(e) for e in clause.escalations]
    part.items(consequences)
    return part


def _tier_row(tier: Tier) -> tuple[str, str]:
    laid_out(tier)
    return describe(tier.amount), describe(tier.condition)


def _at_risk(resolved: ResolvedContract) -> Section:
    section = Section("Amount at risk", "at-risk")
    if resolved.at_risk is not None:
        section.say(describe(resolved.at_risk))
    return section


def _review(resolved: ResolvedContract) -> Section:
    section = Section("Baseline, review and renegotiation", "review")
    if resolved.baseline is not None:
        section.say(describe(resolved.baseline))
    section.items(
        [describe(r) for r in resolved.reviews]
        + [describe(r) for r in resolved.renegotiations]
        + [describe(n) for n in resolved.notifications]
    )
    return section

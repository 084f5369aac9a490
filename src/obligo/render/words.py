"""Words the plain-text renderers share (the text report, JUnit, the budget and the review
packs): a group, an amount of money, the customer's line and the line account, written the same
way wherever they appear.
Markdown and HTML escape for their own syntax and keep their own forms."""

from __future__ import annotations

from decimal import Decimal

from obligo.report.base import plain
from obligo.report.model import InputAccount, PartyRef, Rejection

# Rejected lines listed one by one before the rest are counted: enough to see what went wrong.
REJECTIONS_LISTED = 10


def group_words(group: str | dict[str, str]) -> str:
    """A group in words: its value, or ``project=acme, region=eu``."""
    if isinstance(group, str):
        return group
    return ", ".join(f"{field}={value}" for field, value in group.items())


def amount_words(amount: Decimal | None, currency: str | None) -> str:
    """``150.00 EUR``; an amount without a currency as a bare number; "amount not known"."""
    if amount is None:
        return "amount not known"
    return f"{plain(amount)} {currency}" if currency else plain(amount)


def customer_line(party: PartyRef) -> str:
    """``customer acme "Acme Corp", represented by Head of IT``."""
    title = f' "{party.title}"' if party.title else ""
    represented = (
        f", represented by {party.representative}" if party.representative is not None else ""
    )
    return f"customer {party.id}{title}{represented}"


def line_account(inputs: list[InputAccount], rejections: list[Rejection], reader: str) -> list[str]:
    """Every input's lines accounted for (used, outside the periods, not used by ``reader``,
    rejected, merged), and the first rejected lines with their reasons."""
    out: list[str] = []
    for account in inputs:
        out.append(
            f"{account.name}: {account.lines} lines, {account.used} used,"
            f" {account.outside_periods} outside the periods, {account.unused} not used by this"
            f" {reader}, {account.rejected} rejected"
            + (f", {account.merged} merged" if account.merged else "")
            + (
                f", {account.naive_timestamps} timestamps without offset"
                if account.naive_timestamps
                else ""
            )
        )
        out.extend(f"  not used: {near}" for near in account.near)
    if rejections:
        out.append(f"{len(rejections)} lines rejected:")
        for rejection in rejections[:REJECTIONS_LISTED]:
            out.append(f"  {rejection.file}:{rejection.line}: {rejection.reason}")
        if len(rejections) > REJECTIONS_LISTED:
            out.append(f"  ... and {len(rejections) - REJECTIONS_LISTED} more")
    return out

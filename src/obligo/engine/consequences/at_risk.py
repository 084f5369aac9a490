"""Amounts at risk: the credit of a clause with an allocation, in each breached period, and its
earn-back (docs/consequences.md, "Amounts at risk and earn-back").

- The amount at risk of a period is reckoned over the period: ``12% of the fees`` is 12% of
  the fees of every service of the agreement for the period (unknown when one of them is);
  ``10% of the fee of api`` or ``50000 USD`` as any amount.
- A clause with ``allocation 25% of the amount at risk`` gives, in each period that carries
  consequences and in which one of its (counted) objectives is breached, 25% of the period's
  amount at risk.
- With ``earn back when met in the next N periods``, the credit is given back when the clause
  is met in each of the next N periods (every objective and group met). It is **provisional**
  until then, with the periods left; it is **owed** from the first of those periods that is
  not met (breached, or without data), or when the term ends before the N periods; **earned
  back** (0) once the N periods are met.
- The credits of one period that are finally owed are together at most the amount at risk of
  the period (the cap ``at_risk``): they take its room in the order they became final (the end
  of the period that decided them), then in the order of the clauses; a credit already final
  never loses room to one decided later. Provisional credits are not capped yet, and are not
  counted as owed (``Totals``).
- A claim of a credit subject to earn-back counts from the period that made it final.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from obligo.engine.context import EvaluationContext
from obligo.engine.judge.baseline import BaselineSpan
from obligo.engine.judge.history import Judged
from obligo.engine.time.periods import MeasurementPeriod, local_midnight
from obligo.model import clauses as c
from obligo.syntax import printer

from .caps import floor_minor
from .lines import Entry, Pricer, money
from .money import minor_unit, round_half_up
from .values import CapApplied, EarnBackState, OwedLine


@dataclass(frozen=True)
class _Priced:
    amount: Fraction | None
    words: str


@dataclass
class _Credit:
    entry: Entry
    at_risk: _Priced
    final_at: dt.datetime | None  # the end of the period that made it final


def allocations(
    ctx: EvaluationContext,
    clauses: Sequence[c.Clause],
    judged: Sequence[Judged],
    pricer: Pricer,
    span: BaselineSpan | None,
    service_of: Callable[[c.Clause], str | None],
) -> list[Entry]:
    """The credit entries of every clause with an allocation, earn-back and cap applied and
    rounded. ``judged``: the counted objectives (a key measurement only after its promotion)."""
    at_risk = ctx.agreement.at_risk
    if at_risk is None:
        return []
    credits: list[_Credit] = []
    for order, clause in enumerate(clauses):
        allocation = clause.allocation
        if allocation is None:
            continue
        credits.extend(
            _clause(ctx, order, clause, allocation, at_risk, judged, pricer, span, service_of)
        )
    _cap(credits, pricer)
    return [credit.entry for credit in credits]


def _statuses(
    clause: c.Clause, judged: Sequence[Judged]
) -> list[tuple[MeasurementPeriod, list[str]]]:
    found: dict[tuple[str, dt.datetime], tuple[MeasurementPeriod, list[str]]] = {}
    for item in judged:
        if item.clause.id != clause.id:
            continue
        period = item.period
        start, end = period.start.astimezone(dt.UTC), period.end.astimezone(dt.UTC)
        key = (period.label, start)
        if key not in found:
            one = MeasurementPeriod(
                start=start, end=end, label=period.label, partial=period.partial
            )
            found[key] = (one, [])
        found[key][1].append(item.status)
    return sorted(found.values(), key=lambda item: item[0].start)


def _clause(
    ctx: EvaluationContext,
    order: int,
    clause: c.Clause,
    allocation: c.Allocation,
    at_risk: c.AtRisk,
    judged: Sequence[Judged],
    pricer: Pricer,
    span: BaselineSpan | None,
    service_of: Callable[[c.Clause], str | None],
) -> list[_Credit]:
    share = Fraction(allocation.percent.value) / 100
    periods = _statuses(clause, judged)
    rule = printer.allocation(allocation)
    found: list[_Credit] = []
    for index, (period, statuses) in enumerate(periods):
        if period.end > ctx.at or (span is not None and span.covers(period.start)):
            continue
        if "breached" not in statuses:
            continue
        service = service_of(clause)
        entry = Entry(
            clause=clause, order=order, kind="credit", period=period, group=None, service=service
        )
        priced = _amount_at_risk(at_risk, pricer, service, period)
        amount = None if priced.amount is None else share * priced.amount
        currency = pricer.currency
        if amount is None:
            words = f"clause {clause.id} breached in {period.label}: {priced.words}"
            entry.reasons.append(words)
        else:
            words = (
                f"clause {clause.id} breached in {period.label}: {allocation.percent} of the"
                f" amount at risk ({priced.words}) = {money(amount, currency)}"
            )
        entry.lines.append(
            OwedLine(
                rule=rule,
                loc=allocation.loc,
                subject=f"clause {clause.id}",
                group=None,
                value=None,
                unit=None,
                quantity=Fraction(1),
                amount=amount,
                arithmetic=words,
            )
        )
        entry.amounts.append(amount)
        final_at: dt.datetime | None = period.end
        if at_risk.earn_back is not None:
            state, decided = _earn_back(ctx, at_risk.earn_back, clause, periods[index + 1 :])
            entry.earn_back = state
            entry.claim_from = decided
            final_at = None if state.state == "provisional" else _end(decided, ctx)
        found.append(_Credit(entry, priced, final_at))
    return found


def _end(decided: MeasurementPeriod | None, ctx: EvaluationContext) -> dt.datetime:
    return decided.end if decided is not None else ctx.end


def _amount_at_risk(
    at_risk: c.AtRisk, pricer: Pricer, service: str | None, period: MeasurementPeriod
) -> _Priced:
    amount = at_risk.amount
    if not isinstance(amount, c.FeesShare):
        priced = pricer.price(
            amount, service, period.start, period.end, None, frozenset(), period.label
        )
        return _Priced(priced.amount, priced.words)
    total = Fraction(0)
    parts: list[str] = []
    for name in sorted(pricer.fees.services):
        fee = pricer.fees.of(name, period.start, period.end)
        if fee.amount is None:
            return _Priced(None, f"the fee of {name} for {period.label} is not known: {fee.detail}")
        total += fee.amount
        parts.append(f"{name} {money(fee.amount, fee.currency)}")
    if not parts:
        return _Priced(None, "the agreement has no service whose fees these are")
    value = Fraction(amount.percent.value) / 100 * total
    fees = " + ".join(parts)
    words = f"{amount.percent} × fees {money(total, pricer.currency)}"
    if len(parts) > 1:
        words += f" ({fees})"
    return _Priced(value, f"{words} = {money(value, pricer.currency)}")


def _earn_back(
    ctx: EvaluationContext,
    back: c.EarnBack,
    clause: c.Clause,
    following: list[tuple[MeasurementPeriod, list[str]]],
) -> tuple[EarnBackState, MeasurementPeriod | None]:
    """Whether the credit is earned back, owed, or still provisional, and the period that
    decided it (None: the term's end, or not decided yet)."""
    met = 0
    for period, statuses in following[: back.periods]:
        if period.end > ctx.at:
            break  # not over yet: the rest of the window is still to come
        if all(status == "met" for status in statuses):
            met += 1
            if met == back.periods:
                return (
                    EarnBackState(
                        state="earned_back",
                        periods=back.periods,
                        met=met,
                        left=0,
                        decided_in=period.label,
                        detail=(
                            f"clause {clause.id} met in each of the next {back.periods}"
                            f" {_word(back)}, to {period.label}: the credit is earned back"
                        ),
                    ),
                    period,
                )
            continue
        why = "breached" if "breached" in statuses else "not met (no data)"
        return (
            EarnBackState(
                state="owed",
                periods=back.periods,
                met=met,
                left=0,
                decided_in=period.label,
                detail=(
                    f"clause {clause.id} {why} in {period.label}, within the {back.periods}"
                    f" {_word(back)} to earn the credit back: it is owed"
                ),
            ),
            period,
        )
    judged = len([p for p, _ in following[: back.periods] if p.end <= ctx.at])
    term_end = ctx.term_end
    ended = term_end is not None and ctx.at >= local_midnight(
        term_end + dt.timedelta(days=1), ctx.tz
    )
    if ended and len(following) < back.periods and judged == len(following):
        return (
            EarnBackState(
                state="owed",
                periods=back.periods,
                met=met,
                left=0,
                decided_in=None,
                detail=(
                    f"the term ended after {met} of the {back.periods} {_word(back)} to earn"
                    " the credit back: it is owed"
                ),
            ),
            None,
        )
    left = back.periods - met
    return (
        EarnBackState(
            state="provisional",
            periods=back.periods,
            met=met,
            left=left,
            decided_in=None,
            detail=(
                f"provisional: earned back if clause {clause.id} is met in the next"
                f" {back.periods} {_word(back)} ({met} met so far, {left} left)"
            ),
        ),
        None,
    )


def _word(back: c.EarnBack) -> str:
    return "periods" if back.unit == "period" else f"{back.unit}s"


_NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


def _cap(credits: list[_Credit], pricer: Pricer) -> None:
    """The credits finally owed in one period are together at most its amount at risk: they
    take its room in the order they became final, then in the order of the clauses."""
    by_period: dict[tuple[str, dt.datetime], list[_Credit]] = {}
    for credit in credits:
        entry = credit.entry
        key = (entry.period.label, entry.period.start)
        by_period.setdefault(key, []).append(credit)
    for group in by_period.values():
        final = [
            cr
            for cr in group
            if cr.final_at is not None
            and (cr.entry.earn_back is None or cr.entry.earn_back.state == "owed")
        ]
        final.sort(key=lambda cr: (cr.final_at or _NEVER, cr.entry.order))
        left: Fraction | None = None
        taken = Fraction(0)
        for credit in final:
            entry = credit.entry
            before = entry.before
            limit_of = credit.at_risk.amount
            if before is None or limit_of is None:
                continue
            currency = pricer.currency
            room = floor_minor(limit_of, currency)
            if left is None:
                left = room
            after = min(before, left)
            words = f"the amount at risk of {entry.period.label}: {money(room, currency)}"
            if taken:
                words += f", less {money(taken, currency)} owed by the clauses decided before"
            entry.caps.append(
                CapApplied(
                    cap="the amount at risk",
                    kind="at_risk",
                    loc=entry.lines[0].loc,
                    limit=left,
                    before=before,
                    after=after,
                    bound=before > left,
                    arithmetic=words,
                )
            )
            entry.after = after
            left -= after
            taken += after
        for credit in group:
            entry = credit.entry
            state = entry.earn_back
            if state is not None and state.state == "earned_back":
                entry.after = Fraction(0) if entry.before is not None else None
            elif entry.after is None:
                entry.after = entry.before
            if entry.after is not None:
                entry.rounded = round_half_up(entry.after, minor_unit(pricer.currency))


__all__ = ["allocations"]

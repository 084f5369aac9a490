"""Caps, applied period by period in time order, because a trailing or term cap depends on the
credits already given in earlier periods.

In each period: first each clause's own caps per period, then the caps shared with other
clauses, then for each entry its trailing caps and its term caps, and then the entry is rounded
(once, half-up to the currency's minor unit) and becomes history for the periods after it.

What a cap limits: a clause's credits; in a clause without credits, its penalties. Rewards are
never capped. A cap is a maximum, so a limit that is not a whole number of the currency's minor
unit is taken down to the one below: the rounded credit never exceeds any cap.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

from obligo.engine.context import EvaluationContext
from obligo.engine.time.periods import MeasurementPeriod, add_months, local_midnight
from obligo.model import clauses as c
from obligo.syntax import printer

from .largest import Largest
from .lines import Entry, Pricer, money, months_between
from .money import minor_unit, round_half_up
from .values import CapApplied, CapKind

_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_KIND_ORDER = {"credit": 0, "penalty": 1, "reward": 2}


def capped_kind(clause: c.Clause) -> str:
    """What a clause's caps limit: its credits, or its penalties when it has no credit."""
    return "credit" if clause.credits else "penalty"


def floor_minor(amount: Fraction, currency: str) -> Fraction:
    """``amount`` taken down to a whole number of the currency's minor unit."""
    scale = 10 ** minor_unit(currency)
    return Fraction(math.floor(amount * scale), scale)


class Caps:
    def __init__(
        self,
        ctx: EvaluationContext,
        pricer: Pricer,
        clauses: dict[str, tuple[int, c.Clause]],
        service_of: Callable[[c.Clause], str | None],
    ) -> None:
        self.ctx = ctx
        self.pricer = pricer
        self.clauses = clauses
        self.service_of = service_of
        self.history: dict[str, list[Entry]] = {}
        self.largest = Largest(ctx, clauses)

    def apply(self, entries: list[Entry]) -> None:
        steps: dict[dt.datetime, list[Entry]] = {}
        for entry in entries:
            steps.setdefault(entry.period.end, []).append(entry)
        for end in sorted(steps):
            step = sorted(
                steps[end],
                key=lambda e: (e.order, _KIND_ORDER[e.kind], e.period.start, e.group or ""),
            )
            for entry in step:
                entry.after = entry.before
            for entry in step:
                if self._capped(entry):
                    for cap in entry.clause.caps:
                        if isinstance(cap, c.PeriodCap) and not cap.shared_with:
                            self._period(entry, cap)
            self._shared(step)
            self.largest.apply(step)  # one credit for one stretch of time, before caps over time
            for entry in step:
                if self._capped(entry):
                    for cap in entry.clause.caps:
                        if isinstance(cap, c.TrailingCap):
                            self._trailing(entry, cap)
                        elif isinstance(cap, c.TermCap):
                            self._term(entry, cap)
                if entry.after is not None:
                    places = minor_unit(self._currency(entry))
                    entry.rounded = round_half_up(entry.after, places)
                self.history.setdefault(entry.clause.id, []).append(entry)

    # ----------------------------------------------------------------------------- helpers
    def _capped(self, entry: Entry) -> bool:
        return entry.kind == capped_kind(entry.clause)

    def _currency(self, entry: Entry) -> str:
        return entry.currency or self.pricer.currency

    def _given(
        self,
        clauses: list[str],
        kind: str,
        start: dt.datetime,
        before: dt.datetime,
        group: str | None = None,
        *,
        any_group: bool = False,
        service: str | None = None,
    ) -> Fraction:
        """The rounded amounts already given by these clauses in periods that start at or after
        ``start`` and end by ``before`` (of one group, or of every group)."""
        total = Fraction(0)
        for clause_id in clauses:
            for done in self.history.get(clause_id, []):
                if done.kind != kind or done.rounded is None:
                    continue
                if not any_group and done.group != group:
                    continue
                if service is not None and done.service != service:
                    continue  # a clause owing lines of several services: each its own
                if done.period.start >= start and done.period.end <= before:
                    total += Fraction(done.rounded)
        return total

    def _step(
        self,
        entry: Entry,
        cap: c.Cap,
        kind: CapKind,
        limit: Fraction | None,
        words: str,
    ) -> None:
        before = entry.after
        if before is None:
            return
        if limit is None:
            entry.after = None
            entry.reasons.append(f"cap {printer.cap(cap)}: {words}")
            return
        after = min(before, limit)
        entry.caps.append(
            CapApplied(
                cap=printer.cap(cap),
                kind=kind,
                loc=cap.loc,
                limit=limit,
                before=before,
                after=after,
                bound=before > limit,
                arithmetic=words,
            )
        )
        entry.after = after

    def _span(
        self, period: MeasurementPeriod, per: str | None
    ) -> tuple[dt.datetime, dt.datetime, str]:
        """What a cap ``per month`` counts over: the calendar month holding the period when the
        period lies inside it and is shorter; otherwise the period itself."""
        if per is None or per == "period":
            return period.start, period.end, period.label
        tz = self.ctx.tz
        day = period.start.astimezone(tz).date()
        if per == "day":
            first, after = day, day + dt.timedelta(days=1)
        elif per == "week":
            first = day - dt.timedelta(days=day.weekday())
            after = first + dt.timedelta(days=7)
        else:
            months = _MONTHS[per]
            first = dt.date(day.year, ((day.month - 1) // months) * months + 1, 1)
            after = add_months(first, months)
        start, end = local_midnight(first, tz), local_midnight(after, tz)
        start = max(start, self.ctx.start)
        if (
            start <= period.start
            and period.end <= end
            and (start, end)
            != (
                period.start,
                period.end,
            )
        ):
            label = f"{first.isoformat()}/{(after - dt.timedelta(days=1)).isoformat()}"
            return start, end, label
        return period.start, period.end, period.label

    # ------------------------------------------------------------------------------- caps
    def _period(self, entry: Entry, cap: c.PeriodCap) -> None:
        start, end, label = self._span(entry.period, cap.per)
        currency = self._currency(entry)
        priced = self.pricer.price(
            cap.amount, entry.service, start, end, entry.group, entry.hints, label
        )
        if priced.amount is None:
            self._step(entry, cap, "period", None, priced.words)
            return
        room = floor_minor(priced.amount, currency)
        given = self._given(
            [entry.clause.id],
            entry.kind,
            start,
            entry.period.start,
            entry.group,
            service=entry.service,
        )
        limit = max(room - given, Fraction(0))
        words = f"{priced.words} for {label}"
        if room != priced.amount:
            # Down to the minor unit (cents for USD), not to whole units of the currency.
            step = Decimal(1).scaleb(-minor_unit(currency))
            words += f", {money(room, currency)} rounded down to {step:f} {currency}"
        if given:
            words += f", less {money(given, currency)} already given in {label}"
        self._step(entry, cap, "period", limit, words)

    def _shared(self, step: list[Entry]) -> None:
        """``cap 1 month of the fee per month, shared with clauses 2, 3``: the credits of the
        clause and of the clauses named together, the clause's own first, then the others in
        the order named, each taking what is left of the room."""
        for _order, clause in sorted(self.clauses.values(), key=lambda item: item[0]):
            for cap in clause.caps:
                if not isinstance(cap, c.PeriodCap) or not cap.shared_with:
                    continue
                members = [clause.id, *cap.shared_with]
                kind = capped_kind(clause)
                sharing = sorted(
                    (e for e in step if e.clause.id in members and e.kind == kind),
                    key=lambda e: (members.index(e.clause.id), e.group or ""),
                )
                if not sharing:
                    continue
                period = sharing[0].period
                start, end, label = self._span(period, cap.per)
                currency = self._currency(sharing[0])
                priced = self.pricer.price(
                    cap.amount,
                    self.service_of(clause),
                    start,
                    end,
                    None,
                    sharing[0].hints,
                    label,
                )
                if priced.amount is None:
                    for entry in sharing:
                        self._step(entry, cap, "shared", None, priced.words)
                    continue
                room = floor_minor(priced.amount, currency)
                given = self._given(members, kind, start, period.start, any_group=True)
                left = max(room - given, Fraction(0))
                for entry in sharing:
                    if entry.after is None:
                        continue
                    words = f"{priced.words} for {label}, for clauses {', '.join(members)} together"
                    if given:
                        words += f", less {money(given, currency)} already given"
                    taken = max(room - given, Fraction(0)) - left
                    if taken > 0:
                        words += f", less {money(taken, currency)} taken by the clauses before"
                    self._step(entry, cap, "shared", left, words)
                    if entry.after is not None:
                        left = max(left - entry.after, Fraction(0))

    def _trailing(self, entry: Entry, cap: c.TrailingCap) -> None:
        """``cap 10% of the fees of the last 12 months, less credits already given``: the
        window is the period and the time before it, back to the length given (never before
        the term's start); the fees are those of the window; the credits already given are the
        rounded credits of the clause's earlier periods in the window."""
        period = entry.period
        tz = self.ctx.tz
        end_day = period.end.astimezone(tz).date()
        if cap.unit in _MONTHS:
            first = add_months(end_day, -cap.periods * _MONTHS[cap.unit])
        elif cap.unit in ("day", "week"):
            first = end_day - dt.timedelta(days=cap.periods * (7 if cap.unit == "week" else 1))
        else:  # `of the last 12 periods`: periods of the entry's own length
            start_day = period.start.astimezone(tz).date()
            months = months_between(start_day, end_day)
            if months is not None:
                first = add_months(end_day, -cap.periods * months)
            else:
                first = end_day - (end_day - start_day) * cap.periods
        start = max(local_midnight(first, tz), self.ctx.start)
        currency = self._currency(entry)
        label = f"{start.astimezone(tz).date().isoformat()} to {_last_day(period.end, tz)}"
        if entry.service is None:
            self._step(entry, cap, "trailing", None, "no service whose fees these are")
            return
        grouped = self.pricer.fees.services[entry.service].fee_group_by != ()
        fees = self.pricer.fees.of(
            entry.service, start, period.end, entry.group if grouped else None, entry.hints
        )
        if fees.amount is None:
            self._step(entry, cap, "trailing", None, fees.detail)
            return
        share = Fraction(cap.percent.value) / 100 * fees.amount
        room = floor_minor(share, currency)
        words = (
            f"{cap.percent} × fees {money(fees.amount, currency)} of {label}"
            f" = {money(share, currency)}"
        )
        given = Fraction(0)
        if cap.less_given:
            given = self._given(
                [entry.clause.id],
                entry.kind,
                start,
                period.start,
                entry.group,
                service=entry.service,
            )
            words += f", less {money(given, currency)} already given"
        self._step(entry, cap, "trailing", max(room - given, Fraction(0)), words)

    def _term(self, entry: Entry, cap: c.TermCap) -> None:
        """``cap 20000 EUR over the term``: what the clause has given in every earlier period
        (and group) counts against it. A percentage is of the fees from the term's start to the
        end of the period."""
        period = entry.period
        currency = self._currency(entry)
        amount = cap.amount
        if isinstance(amount, c.PercentOfFee):
            start, label = self.ctx.start, "the term so far"
        else:
            start, label = period.start, period.label
        priced = self.pricer.price(
            amount, entry.service, start, period.end, entry.group, entry.hints, label
        )
        if priced.amount is None:
            self._step(entry, cap, "term", None, priced.words)
            return
        room = floor_minor(priced.amount, currency)
        # Every group counts, and the groups of this period already rounded (in order).
        given = self._given(
            [entry.clause.id], entry.kind, self.ctx.start, period.end, any_group=True
        )
        words = f"{priced.words} over the term, less {money(given, currency)} already given"
        self._step(entry, cap, "term", max(room - given, Fraction(0)), words)


def _last_day(end: dt.datetime, tz: dt.tzinfo) -> str:
    return (end - dt.timedelta(microseconds=1)).astimezone(tz).date().isoformat()

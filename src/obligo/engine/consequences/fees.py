"""The fee a consequence is reckoned on: a service's fee for a span of time.

A fee written in the contract (``fee 4000 EUR monthly``) is a rate: each whole month of a span
(counted from the span's first day: January, or 15 January to 15 February) costs the monthly
fee, and what is left of a month costs its share of the days of that month; a quarterly or
yearly fee likewise per 3 or 12 months, a fee per days or weeks per day. Days are local days
when the span runs from one local midnight to another (a measurement period, a trailing
window), else time is counted in exact seconds.

A fee taken from billing records (``fee from invoice records where ...``) is the sum of the
records' amounts over the span, each pro-rated the same way over the time it bills: its
``period`` (``2026-03``, ``2026-Q1``, ``2026``, ``2026-01-15/2026-02-14``) or its ``start`` and
``end``. Records in another currency than the contract's are left out, and said so.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Literal

from obligo.engine.context import EvaluationContext
from obligo.engine.measure import groups as group_keys
from obligo.engine.numbers import decimal_text
from obligo.engine.time.periods import add_months, local_midnight
from obligo.model.base import Duration, without_locations
from obligo.model.conditions import And, Compare, Condition
from obligo.model.contract import Fee, Service

_MONTHS = {"month": 1, "quarter": 3, "year": 12}
_MICROSECOND = dt.timedelta(microseconds=1)
_FREQUENCY_WORDS = {
    ("1", "month"): "monthly",
    ("3", "month"): "quarterly",
    ("1", "quarter"): "quarterly",
    ("12", "month"): "yearly",
    ("1", "year"): "yearly",
    ("1", "week"): "weekly",
    ("1", "day"): "daily",
}


@dataclass(frozen=True)
class FeeOfSpan:
    """A service's fee for a span: the amount (None when it cannot be known) and how it was
    found."""

    service: str
    group: str | None
    amount: Fraction | None
    currency: str
    source: Literal["contract", "billing_records"]
    detail: str


def condition_key(condition: Condition) -> str:
    return json.dumps(without_locations(condition), sort_keys=True, default=str)


def condition_keys(condition: Condition | None) -> set[str]:
    """The condition and, for an ``and``, each of its parts: what a fee's ``where`` may match."""
    if condition is None:
        return set()
    keys = {condition_key(condition)}
    if isinstance(condition, And):
        for operand in condition.operands:
            keys |= condition_keys(operand)
    return keys


class Fees:
    """Fees of the services in scope, for any span, in the contract's currency."""

    def __init__(
        self,
        ctx: EvaluationContext,
        services: Mapping[str, Service],
        currency: str | None,
    ) -> None:
        self.ctx = ctx
        self.services = services
        self.currency = currency

    def of(
        self,
        service_id: str,
        start: dt.datetime,
        end: dt.datetime,
        group: str | None = None,
        hints: frozenset[str] = frozenset(),
    ) -> FeeOfSpan:
        """The fee of ``service_id`` over ``[start, end)``; ``group``: one group's fee, for a fee
        from records ``, by FIELD``; ``hints``: the conditions of the metric the consequence
        judges, which choose among fees ``where region = "eu"`` / ``where region = "us"``."""
        service = self.services[service_id]
        currency = self.currency or "?"
        start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
        if service.fee_from is not None:
            return self._from_records(service, start, end, group, currency)
        if not service.fees:
            return FeeOfSpan(
                service_id, None, None, currency, "contract", f"service {service_id} has no fee"
            )
        fees = _chosen(service.fees, hints)
        total = Fraction(0)
        parts: list[str] = []
        for fee in fees:
            share = self._share(fee.every, start, end)
            amount = Fraction(fee.money.amount) * share
            total += amount
            where = f" ({_where_text(fee)})" if fee.where is not None else ""
            written = f"{fee.money} {_frequency(fee.every)}{where}"
            parts.append(written if share == 1 else f"{written} × {_fraction_text(share)}")
        detail = " + ".join(parts)
        if len(parts) > 1 or any("×" in p for p in parts):
            detail += f" = {decimal_text(total)} {currency}"
        return FeeOfSpan(service_id, None, total, fees[0].money.currency, "contract", detail)

    def day_count(self, start: dt.datetime, end: dt.datetime) -> int | None:
        """Local days in ``[start, end)`` when it runs from one local midnight to another."""
        days = self._dates(start, end)
        return None if days is None else (days[1] - days[0]).days

    # ------------------------------------------------------------------------------ helpers
    def _dates(self, start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date] | None:
        tz = self.ctx.tz
        first = start.astimezone(tz).date()
        after = end.astimezone(tz).date()
        if local_midnight(first, tz) != start or local_midnight(after, tz) != end:
            return None
        return first, after

    def _share(self, every: Duration, start: dt.datetime, end: dt.datetime) -> Fraction:
        """How many fee cycles of length ``every`` the span covers (a fraction)."""
        if every.unit in _MONTHS:
            # Months counted from the span's own first day: a whole month is the monthly fee
            # (whatever the day the month starts on), a part of one is pro-rated by its days.
            months = int(every.amount * _MONTHS[every.unit])
            anchor = start.astimezone(self.ctx.tz).date()
            return self._cover(_month_cycles(anchor, months, start, end, self.ctx), start, end)
        seconds = every.seconds
        assert seconds is not None  # the checks give every fee a frequency
        length = Fraction(seconds)
        days = self._dates(start, end)
        if length % 86_400 == 0 and days is not None:
            return Fraction((days[1] - days[0]).days * 86_400) / length
        return Fraction((end - start) // _MICROSECOND, 1_000_000) / length

    def _cover(
        self,
        cycles: Iterator[tuple[dt.date, dt.date]],
        start: dt.datetime,
        end: dt.datetime,
    ) -> Fraction:
        return sum(
            (self._overlap(first, after, start, end) for first, after in cycles), Fraction(0)
        )

    def _overlap(
        self, first: dt.date, after: dt.date, start: dt.datetime, end: dt.datetime
    ) -> Fraction:
        """The share of the local days ``[first, after)`` that ``[start, end)`` covers."""
        days = self._dates(start, end)
        if days is not None:
            low, high = max(first, days[0]), min(after, days[1])
            return Fraction(max((high - low).days, 0), (after - first).days)
        tz = self.ctx.tz
        cycle_start, cycle_end = local_midnight(first, tz), local_midnight(after, tz)
        low_at, high_at = max(cycle_start, start), min(cycle_end, end)
        covered = max((high_at - low_at) // _MICROSECOND, 0)
        return Fraction(covered, (cycle_end - cycle_start) // _MICROSECOND)

    def _from_records(
        self,
        service: Service,
        start: dt.datetime,
        end: dt.datetime,
        group: str | None,
        currency: str,
    ) -> FeeOfSpan:
        selection = service.fee_from
        assert selection is not None
        group_by = service.fee_group_by
        fields = ["period", "amount", "currency", *group_by]
        total = Fraction(0)
        parts: list[str] = []
        skipped: list[str] = []
        found = False
        span_days = self._dates(start, end)
        covered: set[dt.date] = set()
        for record in self.ctx.records(selection, fields):
            # A group's fee is its own records' (the checks make the fee's fields the metric's,
            # in its order, so the keys are made alike); a record without one of the fields is
            # no group's fee, but counts in the fee of every group together.
            if (
                group_by
                and group is not None
                and group_keys.key_of_fields(group_by, record.fields) != group
            ):
                continue
            billed = self._billed_span(record.fields.get("period"), record.start, record.end)
            name = record.id or str(record.fields.get("period") or record.start)
            if billed is None:
                skipped.append(f"{name}: no period it bills")
                continue
            share = self._overlap_instants(billed, start, end)
            if share == 0:
                continue
            record_currency = record.fields.get("currency") or self.currency
            if self.currency is not None and record_currency != self.currency:
                skipped.append(f"{name}: in {record_currency}, not {self.currency}")
                continue
            try:
                amount = Decimal(str(record.fields.get("amount")).strip())
            except InvalidOperation:
                skipped.append(f"{name}: amount {record.fields.get('amount')!r} is not a number")
                continue
            if not amount.is_finite():
                skipped.append(f"{name}: amount {amount} is not a number")
                continue
            found = True
            total += Fraction(amount) * share
            billed_days = self._dates(*billed)
            if span_days is not None and billed_days is not None:
                day = max(span_days[0], billed_days[0])
                while day < min(span_days[1], billed_days[1]):
                    covered.add(day)
                    day += dt.timedelta(days=1)
            label = str(record.fields.get("period") or name)
            text = f"{label} {amount} {record_currency}"
            parts.append(text if share == 1 else f"{text} × {_fraction_text(share)}")
        who = service.id + (
            f" {group_keys.words(group, group_by)}" if group is not None and group_by else ""
        )
        kind = f"{selection.record_type} records"
        if not found:
            why = f"no {kind} of {who} for the period"
            if skipped:
                why += " (left out: " + "; ".join(sorted(skipped)) + ")"
            return FeeOfSpan(service.id, group, None, currency, "billing_records", why)
        detail = f"{kind}: " + "; ".join(sorted(parts))
        if len(parts) > 1 or any("×" in p for p in parts):
            detail += f" = {decimal_text(total)} {currency}"
        if span_days is not None:
            days = (span_days[1] - span_days[0]).days
            if len(covered) < days:
                # A part of the period without an invoice is a fee not known, never a smaller
                # fee: a missing invoice must not shrink a credit silently.
                why = (
                    f"{kind} of {who} bill {len(covered)} of the {days} days of the period:"
                    " the fee is not known"
                )
                return FeeOfSpan(service.id, group, None, currency, "billing_records", why)
        if skipped:
            detail += " (left out: " + "; ".join(sorted(skipped)) + ")"
        return FeeOfSpan(service.id, group, total, currency, "billing_records", detail)

    def _billed_span(
        self, period: object, start: dt.datetime | None, end: dt.datetime | None
    ) -> tuple[dt.datetime, dt.datetime] | None:
        """What a billing record bills: its ``period`` text, else its start and end."""
        tz = self.ctx.tz
        if isinstance(period, str) and period.strip():
            dates = _period_dates(period.strip())
            if dates is None:
                return None
            return local_midnight(dates[0], tz), local_midnight(dates[1], tz)
        if start is not None and end is not None and end > start:
            return start, end
        return None

    def _overlap_instants(
        self, billed: tuple[dt.datetime, dt.datetime], start: dt.datetime, end: dt.datetime
    ) -> Fraction:
        first, after = billed
        dates = self._dates(first, after)
        if dates is not None:
            return self._overlap(dates[0], dates[1], start, end)
        low, high = max(first, start), min(after, end)
        covered = max((high - low) // _MICROSECOND, 0)
        return Fraction(covered, (after - first) // _MICROSECOND)


def _chosen(fees: tuple[Fee, ...], hints: frozenset[str]) -> list[Fee]:
    """The fees that apply: those without ``where``, and of those with one, the ones whose
    condition the metric's own records are filtered by (the eu fee for a metric of region eu);
    when none matches, all of them (the service's whole fee)."""
    plain = [f for f in fees if f.where is None]
    conditional = [f for f in fees if f.where is not None]
    matched = [f for f in conditional if f.where is not None and _matches(f.where, hints)]
    return plain + (matched or conditional)


def _matches(where: Condition, hints: frozenset[str]) -> bool:
    if condition_key(where) in hints:
        return True
    if isinstance(where, And):
        return all(_matches(o, hints) for o in where.operands)
    return False


def _where_text(fee: Fee) -> str:
    where = fee.where
    if isinstance(where, Compare):
        return f"where {where.field} {where.op} {where.value}"
    return "where ..."


def _frequency(every: Duration) -> str:
    key = (f"{every.amount.normalize():f}", every.unit)
    return _FREQUENCY_WORDS.get(key, f"per {every}")


def _fraction_text(share: Fraction) -> str:
    if share.denominator == 1:
        return str(share.numerator)
    return f"{share.numerator}/{share.denominator}"


def _month_cycles(
    anchor: dt.date, months: int, start: dt.datetime, end: dt.datetime, ctx: EvaluationContext
) -> Iterator[tuple[dt.date, dt.date]]:
    """Cycles of ``months`` months on the anchor's day (clamped), from the one holding ``start``
    to the one holding the instant before ``end``."""
    tz = ctx.tz
    first_day = start.astimezone(tz).date()
    last_day = (end - dt.timedelta(microseconds=1)).astimezone(tz).date()
    base = dt.date(anchor.year, anchor.month, 1)

    def cycle_start(k: int) -> dt.date:
        return add_months(base, k * months, anchor.day)

    k = ((first_day.year - anchor.year) * 12 + first_day.month - anchor.month) // months
    while cycle_start(k) > first_day:
        k -= 1
    while cycle_start(k + 1) <= first_day:
        k += 1
    while cycle_start(k) <= last_day:
        yield cycle_start(k), cycle_start(k + 1)
        k += 1


_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_YEAR = re.compile(r"(\d{4})")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})")


def _period_dates(text: str) -> tuple[dt.date, dt.date] | None:
    """``2026-03``, ``2026-Q1``, ``2026`` or ``2026-01-15/2026-02-14`` (first and last day) as
    local dates ``[first, after)``."""
    try:
        if match := _MONTH.fullmatch(text):
            first = dt.date(int(match[1]), int(match[2]), 1)
            return first, add_months(first, 1)
        if match := _QUARTER.fullmatch(text):
            first = dt.date(int(match[1]), 3 * int(match[2]) - 2, 1)
            return first, add_months(first, 3)
        if match := _YEAR.fullmatch(text):
            return dt.date(int(match[1]), 1, 1), dt.date(int(match[1]) + 1, 1, 1)
        if match := _RANGE.fullmatch(text):
            first, last = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
            return (first, last + dt.timedelta(days=1)) if last >= first else None
    except ValueError:
        return None
    return None

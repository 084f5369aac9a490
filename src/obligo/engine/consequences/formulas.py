"""Formulas over measured values: ``credit 25 * outage-time / scheduled-time * the fee``,
``credit 10 * the fee for outage-time when breached``.

A formula is computed exactly (fractions) in one period: a metric's value as a number (a
percentage as its fraction, 50% is 1/2; a duration in seconds; a count or number as it is), the
fee of the period (or of the time before it), ``the fee for M`` as the fee pro-rated over M's
duration (the fee × M's seconds ÷ the period's seconds, a period of local days counting 86,400 s
a day, as a day of the fee does). A division by zero has no value: the consequence is listed
without an amount and with the reason, never a crash and never zero. The amount is rounded once,
after the clause's caps, as every amount is (:mod:`.caps`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING

from obligo.engine.numbers import decimal_text
from obligo.engine.time.periods import MeasurementPeriod
from obligo.model import clauses as c
from obligo.syntax import printer

from .fees import FeeOfSpan
from .spans import other_span

if TYPE_CHECKING:
    from .lines import Pricer

_MICROSECOND = dt.timedelta(microseconds=1)


@dataclass(frozen=True)
class Reading:
    """A metric's value in one period as a formula reads it: the number, and as it is shown."""

    value: Fraction | None
    shown: str


@dataclass(frozen=True)
class Computed:
    """A formula in one period: its value (None: ``reason`` says why), its arithmetic with every
    value it read, the fee it read (the first), the currency of its amounts."""

    value: Fraction | None
    words: str
    reason: str | None
    fee: FeeOfSpan | None
    currency: str | None


class _NoValue(Exception):
    """A part of a formula without a value: a metric without one, a fee not known, a division
    by zero."""

    def __init__(self, reason: str, fee: FeeOfSpan | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fee = fee


class Formula:
    """Computes one formula in one period (and group of the fee)."""

    def __init__(
        self,
        pricer: Pricer,
        service: str | None,
        period: MeasurementPeriod,
        group: str | None,
        hints: frozenset[str],
        readings: Mapping[str, Reading],
        counted: Mapping[str, Reading] | None = None,
    ) -> None:
        self.pricer = pricer
        self.service = service
        self.period = period
        self.group = group
        self.hints = hints
        self.readings = readings
        self.counted = counted or {}  # `the counted time of M`: M's counted seconds
        self.fee: FeeOfSpan | None = None
        self.currency: str | None = None

    def compute(self, term: c.FormulaTerm) -> Computed:
        try:
            value, words = self._term(term)
        except _NoValue as missing:
            return Computed(None, missing.reason, missing.reason, self.fee or missing.fee, None)
        currency = self.currency or self.pricer.currency
        return Computed(value, f"{words} = {money(value, currency)}", None, self.fee, self.currency)

    # ---------------------------------------------------------------------------- the parts
    def _term(self, term: c.FormulaTerm) -> tuple[Fraction, str]:
        if isinstance(term, c.FormulaOp):
            left, left_words = self._term(term.left)
            right, right_words = self._term(term.right)
            if isinstance(term.right, c.FormulaOp):
                right_words = f"({right_words})"
            if term.op == "*":
                return left * right, f"{left_words} × {right_words}"
            if right == 0:
                raise _NoValue(
                    f"the formula divides by {_quoted(term.right)}, which is 0 in"
                    f" {self.period.label}: no amount can be computed"
                )
            return left / right, f"{left_words} ÷ {right_words}"
        if isinstance(term, c.FormulaNumber):
            value = Fraction(term.value)
            if term.percent:
                return value / 100, f"{term.value}%"
            return value, decimal_text(value)
        if isinstance(term, c.FormulaMoney):
            self.currency = self.currency or term.money.currency
            return Fraction(term.money.amount), str(term.money)
        if isinstance(term, c.FormulaMetric):
            reading = self._reading(term.metric)
            assert reading.value is not None
            return reading.value, f"{term.metric} {reading.shown}"
        if isinstance(term, c.FormulaCountedTime):
            counted = self.counted.get(term.metric)
            if counted is None or counted.value is None:
                raise _NoValue(f"no counted time of {term.metric} in {self.period.label}")
            return counted.value, f"the counted time of {term.metric} {counted.shown}"
        return self._fee(term)

    def _reading(self, metric: str) -> Reading:
        reading = self.readings.get(metric)
        if reading is None or reading.value is None:
            raise _NoValue(f"no value of {metric} in {self.period.label}")
        return reading

    def _fee(self, term: c.FormulaFee) -> tuple[Fraction, str]:
        named = term.service or self.service
        if named is None:
            raise _NoValue("no service whose fee this is: give the clause a `service` line")
        fees = self.pricer.fees
        if named not in fees.services:
            raise _NoValue(f"unknown service {named}")
        grouped = fees.services[named].fee_group_by != ()
        group = self.group if grouped else None
        period = self.period
        if term.other is None:
            fee = fees.of(named, period.start, period.end, group, self.hints)
            what = f"the fee of {period.label}"
            count = 1
        else:
            span = other_span(term.other, period.start, self.pricer.ctx)
            if isinstance(span, str):
                raise _NoValue(span)
            first, until, count, label = span
            fee = fees.of(named, first, until, group, self.hints)
            what = (
                f"the average fee of the last {term.other.count} {term.other.unit}s"
                if term.other.average
                else f"the fee of the {term.other.unit} before"
            )
            if count < term.other.count:
                what += f", {count} of them in the term"
            what += f", {label}"
            fee = replace(fee, detail=f"{what}: {fee.detail}")
        if fee.amount is None:
            raise _NoValue(fee.detail, fee)
        if self.fee is None:
            self.fee = fee
        self.currency = self.currency or fee.currency
        amount = fee.amount / count
        shown = money(fee.amount, fee.currency)
        words = f"{shown} ({what})" if count == 1 else f"{shown} ÷ {count} ({what})"
        if term.for_metric is None:
            return amount, words
        reading = self._reading(term.for_metric)
        assert reading.value is not None
        length = self._seconds(period)
        value = amount * reading.value / length
        words = (
            f"the fee for {term.for_metric}: {words} × {reading.shown}"
            f" ÷ {decimal_text(length)} s of {period.label}"
        )
        return value, f"({words})"

    def _seconds(self, period: MeasurementPeriod) -> Fraction:
        """The period's length in seconds: 86,400 a local day when it runs from midnight to
        midnight (a day of a DST change is still a day of the fee), else exact."""
        days = self.pricer.fees.day_count(period.start, period.end)
        if days is not None:
            return Fraction(days * 86_400)
        return Fraction((period.end - period.start) // _MICROSECOND, 1_000_000)


def _quoted(term: c.FormulaTerm) -> str:
    return printer.formula_term(term)


def money(amount: Fraction, currency: str) -> str:
    return f"{decimal_text(amount)} {currency}"

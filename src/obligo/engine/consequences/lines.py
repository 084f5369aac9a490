"""The consequence lines of every clause in every closed period: credit tiers and formulas,
penalties, rewards, each with its arithmetic, gathered into one entry per clause, kind, period
and group. Caps are applied afterwards (:mod:`.caps`), once every entry is known."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from obligo.engine.context import EvaluationContext, Record
from obligo.engine.judge.baseline import BaselineSpan
from obligo.engine.judge.verdicts import UNITS
from obligo.engine.measure import groups as group_keys
from obligo.engine.measure.measurement import Measurement
from obligo.engine.numbers import decimal_text
from obligo.engine.time.periods import MeasurementPeriod, add_months, local_midnight
from obligo.model import clauses as c
from obligo.model import conditions as k
from obligo.model import metrics as m
from obligo.model.base import LiteralValue, Node, Text, walk
from obligo.syntax import printer

from .claims import PERIOD_WORDS, RequirementOutcome, restrict
from .fees import FeeOfSpan, Fees, condition_key, condition_keys
from .formulas import Formula, Reading
from .rolling import BillingPeriods, window_text
from .rules import (
    UNIT_WORDS,
    exceedance,
    in_tier,
    unit_seconds,
)
from .spans import other_span
from .values import CapApplied, ConsequenceKind, EarnBackState, OwedLine, RequirementChecked

Measure = Callable[[m.Metric], dict[str, Measurement]]
# The exact target of each promise and group: (clause id, promise index, group) -> target.
Targets = Mapping[tuple[str, int, str | None], Fraction | None]
_MONTHS = {"month": 1, "quarter": 3, "year": 12}


@dataclass
class Entry:
    """What one clause gives in one period (and group), before and after its caps."""

    clause: c.Clause
    order: int  # the clause's place among the clauses in force
    kind: ConsequenceKind
    period: MeasurementPeriod  # bounds in UTC
    group: str | None
    service: str | None
    lines: list[OwedLine] = field(default_factory=list)
    amounts: list[Fraction | None] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    fee: FeeOfSpan | None = None
    supporting: list[Record] = field(default_factory=list)
    requirements: list[RequirementChecked] = field(default_factory=list)
    caps: list[CapApplied] = field(default_factory=list)
    after: Fraction | None = None
    rounded: Decimal | None = None
    currency: str | None = None
    hints: frozenset[str] = frozenset()
    # A credit of an allocation with an earn-back (.at_risk), and the period its claim counts
    # from (the one that made it owed; None: the period itself, or none yet).
    earn_back: EarnBackState | None = None
    claim_from: MeasurementPeriod | None = None

    @property
    def before(self) -> Fraction | None:
        if any(a is None for a in self.amounts):
            return None
        return sum((a for a in self.amounts if a is not None), Fraction(0))


@dataclass(frozen=True)
class Priced:
    """An amount of a line: exact, or None with the reason; its arithmetic in words."""

    amount: Fraction | None
    words: str
    fee: FeeOfSpan | None = None
    currency: str | None = None


def money(amount: Fraction, currency: str) -> str:
    return f"{decimal_text(amount)} {currency}"


def months_between(first: dt.date, after: dt.date) -> int | None:
    """Whole months from ``first`` to ``after`` (same day of the month), else None."""
    months = (after.year - first.year) * 12 + after.month - first.month
    if months > 0 and add_months(first, months) == after:
        return months
    return None


class Pricer:
    """Amounts of money over a span: a percentage of a fee, days or months of it, fixed."""

    def __init__(self, fees: Fees, ctx: EvaluationContext, currency: str) -> None:
        self.fees = fees
        self.ctx = ctx
        self.currency = currency

    def price(
        self,
        amount: c.Amount,
        service: str | None,
        start: dt.datetime,
        end: dt.datetime,
        group: str | None,
        hints: frozenset[str],
        span_name: str,
    ) -> Priced:
        if isinstance(amount, c.FixedAmount):
            return Priced(
                Fraction(amount.money.amount), str(amount.money), currency=amount.money.currency
            )
        if amount.other is not None:
            return self._of_other(amount, amount.other, service, start, group, hints)
        named = amount.service or service
        if named is None:
            return Priced(None, "no service whose fee this is: give the clause a `service` line")
        if named not in self.fees.services:
            return Priced(None, f"unknown service {named}")
        grouped = self.fees.services[named].fee_group_by != ()
        fee = self.fees.of(named, start, end, group if grouped else None, hints)
        if fee.amount is None:
            return Priced(None, fee.detail, fee)
        cur = fee.currency
        if isinstance(amount, c.PercentOfFee):
            percent = Fraction(amount.percent.value)
            value = percent / 100 * fee.amount
            words = f"{amount.percent} × {money(fee.amount, cur)} = {money(value, cur)}"
            return Priced(value, words, fee, fee.currency)
        duration = amount.duration
        count = Fraction(duration.amount)
        if duration.unit in ("day", "week"):
            per = 7 if duration.unit == "week" else 1
            days = self.fees.day_count(start, end)
            length = (
                Fraction(days)
                if days is not None
                else Fraction((end - start) // dt.timedelta(microseconds=1), 86_400_000_000)
            )
            value = fee.amount / length * count * per
            unit = "day" if count * per == 1 else "days"
            words = (
                f"{decimal_text(count * per)} {unit} × {money(fee.amount, cur)}"
                f" ÷ {decimal_text(length)} days of {span_name} = {money(value, cur)}"
            )
            return Priced(value, words, fee, fee.currency)
        months = Fraction(duration.amount) * _MONTHS[duration.unit]
        tz = self.ctx.tz
        first = start.astimezone(tz).date()
        whole = months_between(first, end.astimezone(tz).date())
        if whole is not None and self.fees.day_count(start, end) is not None:
            value = fee.amount * months / whole
            words = (
                f"{duration} of the fee: {money(fee.amount, cur)} × {decimal_text(months)}"
                f" ÷ {whole} {'month' if whole == 1 else 'months'} = {money(value, cur)}"
            )
            return Priced(value, words, fee, fee.currency)
        if months.denominator != 1:
            return Priced(None, f"{duration} of the fee of {span_name}: not whole months", fee)
        # A span that is not whole months: the fee of that many months from its start.
        until = local_midnight(add_months(first, int(months)), tz)
        other = self.fees.of(named, start, until, group if grouped else None, hints)
        if other.amount is None:
            return Priced(None, other.detail, other)
        words = f"{duration} of the fee from {first.isoformat()}: {money(other.amount, cur)}"
        return Priced(other.amount, words, other, other.currency)

    def _of_other(
        self,
        amount: c.PercentOfFee | c.FeeForDuration,
        other: c.OtherPeriodFee,
        service: str | None,
        start: dt.datetime,
        group: str | None,
        hints: frozenset[str],
    ) -> Priced:
        """An amount of the fee of the time before the period: a percentage of that fee (of
        its average per unit: the fee of the last 3 months ÷ 3), or days or months of it as
        of any span (a day of the average fee of the last 3 months is their fee ÷ their
        days)."""
        span = other_span(other, start, self.ctx)
        if isinstance(span, str):
            return Priced(None, span)
        first, until, count, label = span
        what = (
            f"the average fee of the last {other.count} {other.unit}s"
            if other.average
            else f"the fee of the {other.unit} before"
        )
        if count < other.count:
            what += f", {count} of them in the term"
        plain = amount.model_copy(update={"other": None})
        priced = self.price(plain, service, first, until, group, hints, f"{label} ({what})")
        fee = priced.fee
        if fee is not None:
            fee = replace(fee, detail=f"{what}, {label}: {fee.detail}")
        if priced.amount is None or fee is None or fee.amount is None:
            return Priced(priced.amount, priced.words, fee, priced.currency)
        if not isinstance(amount, c.PercentOfFee):
            return Priced(priced.amount, priced.words, fee, priced.currency)
        cur = fee.currency
        percent = Fraction(amount.percent.value)
        value = percent / 100 * fee.amount / count
        if count == 1:
            words = f"{amount.percent} × {money(fee.amount, cur)} ({what}, {label})"
        else:
            words = (
                f"{amount.percent} × {money(fee.amount, cur)} ÷ {count} {other.unit}s"
                f" ({what}, {label})"
            )
        return Priced(value, f"{words} = {money(value, cur)}", fee, cur)


@dataclass
class Subject:
    """A value a consequence line is judged on, in one period and group."""

    period: MeasurementPeriod
    group: str | None  # the group judged
    entry_group: str | None  # the group of the entry: a credit per group of a grouped metric
    value: Fraction | None
    dimension: str
    name: str  # "api-uptime", "resolution for \"P2\"", "the exceedance of jitter < 2 ms"
    hints: frozenset[str]
    outcome: RequirementOutcome | None
    unrestricted: Fraction | None  # the value with every record, when requirements apply
    metric: m.Metric | None = None
    # The span the value was measured over: the period itself, or for a metric over rolling
    # windows the window that decides the billing period (see .rolling).
    window: MeasurementPeriod | None = None
    # Why there is no value although one was due, listed rather than passed over in silence.
    missing: str | None = None

    @property
    def measured(self) -> MeasurementPeriod:
        return self.window if self.window is not None else self.period


class Lines:
    """Builds the entries of every clause: one per clause, kind, period and group."""

    def __init__(
        self,
        ctx: EvaluationContext,
        measure: Measure,
        pricer: Pricer,
        span: BaselineSpan | None,
        statuses: Mapping[str, Mapping[tuple[str, dt.datetime], list[tuple[str, bool]]]],
        periods_of: Mapping[str, Mapping[tuple[str, dt.datetime], MeasurementPeriod]],
        targets: Targets,
        service_of: Callable[[c.Clause], str | None],
        billing: BillingPeriods,
        windows: Mapping[str, Mapping[tuple[str, dt.datetime], list[str]]],
        *,
        groups: Mapping[str, Mapping[tuple[str, dt.datetime], list[tuple[str, str | None]]]]
        | None = None,
    ) -> None:
        self.ctx = ctx
        self.measure = measure
        self.pricer = pricer
        self.span = span
        self.statuses = statuses  # clause -> (label, start) -> [(status, baseline)]
        self.periods_of = periods_of  # clause -> (label, start) -> period
        self.targets = targets
        self.service_of = service_of
        self.billing = billing
        self.windows = windows  # clause -> (label, start) -> the rolling windows judged there
        self.groups = groups or {}  # clause -> (label, start) -> [(status, group)]
        self.entries: dict[tuple[object, ...], Entry] = {}
        self._restricted: dict[tuple[str, str], RequirementOutcome] = {}
        self._hint_cache: dict[tuple[str, str | None], frozenset[str]] = {}

    # --------------------------------------------------------------------------- the clause
    def clause(self, order: int, clause: c.Clause) -> None:
        for credit in clause.credits:
            if isinstance(credit, c.CreditTable):
                self._table(order, clause, "credit", credit.tiers, credit.cumulative, printer.tier)
            elif isinstance(credit, c.CreditExpression):
                self._expression(order, clause, "credit", credit)
            else:
                rule = printer.formula(credit)
                self._per_unit(
                    order,
                    clause,
                    "credit",
                    credit.amount,
                    credit.per,
                    rule,
                    credit,
                    breached_only=credit.when_breached,
                )
        for penalty in clause.penalties:
            if isinstance(penalty, c.PenaltyExpression):
                self._expression(order, clause, "penalty", penalty)
                continue
            basis = penalty.basis
            rule = printer.penalty(penalty)
            if isinstance(basis, c.PerBreach):
                self._per_breach(order, clause, penalty, rule)
            elif isinstance(basis, c.PerUnit):
                self._per_unit(
                    order,
                    clause,
                    "penalty",
                    penalty.amount,
                    basis,
                    rule,
                    penalty,
                    breached_only=penalty.when_breached,
                )
            elif isinstance(basis, c.PerMissedRecord):
                self._per_missed(order, clause, penalty, rule)
            else:
                tier = c.Tier(amount=penalty.amount, condition=basis, loc=penalty.loc)
                self._table(
                    order,
                    clause,
                    "penalty",
                    (tier,),
                    False,
                    _always(rule),
                    breached_only=penalty.when_breached,
                )
        for reward in clause.rewards:
            rule = printer.tier(reward.tier)
            self._table(order, clause, "reward", (reward.tier,), False, _always(rule))

    # ------------------------------------------------------------------------------ helpers
    def _entry(
        self,
        order: int,
        clause: c.Clause,
        kind: ConsequenceKind,
        subject: Subject,
        named: str | None = None,
    ) -> Entry:
        """The entry of the clause, kind, period and group; of the service ``named`` when a
        line is reckoned on the fee of another service than the clause's (``10% of the fee of
        uplink``): each service's lines are owed by the supplier of that service."""
        period = subject.period
        service = self.service_of(clause)
        if named is not None and named != service and named in self.pricer.fees.services:
            service = named
        key: tuple[object, ...] = (clause.id, kind, period.label, period.start, subject.entry_group)
        if service != self.service_of(clause):
            key = (*key, service)
        if key not in self.entries:
            self.entries[key] = Entry(
                clause=clause,
                order=order,
                kind=kind,
                period=period,
                group=subject.entry_group,
                service=service,
            )
        return self.entries[key]

    def _counts(self, period: MeasurementPeriod) -> bool:
        """Whether a period can carry consequences: it is over, and not in the baseline."""
        if period.end > self.ctx.at:
            return False
        return not (self.span is not None and self.span.covers(period.start))

    def _unknown_amount(self, kind: ConsequenceKind, clause: c.Clause, subject: Subject) -> bool:
        """Whether a subject without a value gets a credit line without an amount: when the
        period is breached. Not a group without data (a region without records in the
        period): the breach is another group's, and the group has nothing to credit."""
        if kind != "credit" or subject.group is not None:
            return False
        return self._breached(clause, subject.period)

    def _breached(self, clause: c.Clause, period: MeasurementPeriod) -> bool:
        found = self.statuses.get(clause.id, {}).get((period.label, period.start), [])
        return any(status == "breached" for status, _ in found)

    def _outcome(self, clause: c.Clause, metric: m.Metric) -> RequirementOutcome | None:
        if not clause.claim_requirements:
            return None
        key = (clause.id, metric.id)
        if key not in self._restricted:
            self._restricted[key] = restrict(metric, clause.claim_requirements, self.ctx, clause.id)
        outcome = self._restricted[key]
        return outcome if outcome.applies else None

    def _hints(self, metric: m.Metric, group: str | None) -> frozenset[str]:
        """The conditions the metric's records are filtered by (and its group's), which choose
        among a service's fees ``where ...``."""
        key = (metric.id, group)
        if key not in self._hint_cache:
            self._hint_cache[key] = self._conditions(metric, group)
        return self._hint_cache[key]

    def _conditions(self, metric: m.Metric, group: str | None) -> frozenset[str]:
        keys: set[str] = set()
        for node in walk(metric):
            if isinstance(node, k.Selection):
                keys |= condition_keys(node.where)
        group_by: tuple[str, ...] = getattr(metric.measure, "group_by", ())
        if group is not None and group_by:
            for field, value in zip(group_by, group_keys.values_of(group, group_by), strict=True):
                keys.add(condition_key(k.Compare(field=field, op="=", value=Text(value=value))))
        return frozenset(keys)

    def _subjects(
        self,
        clause: c.Clause,
        metric: m.Metric,
        group: str | None,
        kind: ConsequenceKind,
        *,
        counted: bool = False,
    ) -> Iterable[Subject]:
        """The metric's value in each period that counts, for one group or for each group.

        A metric over rolling windows is reckoned per billing period (:mod:`.rolling`): a level
        on the window that ends with the billing period, a quantity ``counted`` per unit over
        the billing period itself."""
        name_of = metric.id
        rolling = isinstance(metric.period, m.RollingPeriod)
        over = ""
        if rolling and counted:
            metric = self.billing.per_period(metric)
            rolling = False
            over = " (counted over the billing period)"
        outcome = self._outcome(clause, metric) if kind == "credit" else None
        measured = self.measure(outcome.metric if outcome is not None else metric)
        plain = self.measure(metric) if outcome is not None else measured
        grouped = bool(getattr(metric.measure, "group_by", None))
        spans: Iterable[tuple[MeasurementPeriod, MeasurementPeriod | None]]
        if rolling:
            spans = ((d.period, d.window) for d in self.billing.decided(metric))
        else:
            spans = ((p, p) for p in self.ctx.periods(metric.period))
        for period, window in spans:
            if not self._counts(period):
                continue
            if window is None:
                yield Subject(
                    period=period,
                    group=group,
                    entry_group=None,
                    value=None,
                    dimension="count",
                    name=name_of,
                    hints=self._hints(metric, group),
                    outcome=None,
                    unrestricted=None,
                    metric=metric,
                    missing=(
                        f"no rolling window of {name_of} ends in the billing period"
                        f" {period.label}: no value to reckon its consequences on"
                    ),
                )
                continue
            measurement = measured[window.label]
            if group is not None or not grouped:
                judged: list[tuple[str | None, str | None]] = [(group, None)]
            else:
                judged = [(g, g) for g in sorted(measurement.groups)]
            if rolling:
                over = f" ({window_text(metric, window, self.ctx.tz)})"
            for one, entry_group in judged:
                name = name_of + _for_group(one, metric) + over
                yield Subject(
                    period=period,
                    group=one,
                    entry_group=entry_group,
                    value=_value(measurement, one),
                    dimension=measurement.dimension,
                    name=name,
                    hints=self._hints(metric, one),
                    outcome=outcome,
                    unrestricted=_value(plain[window.label], one),
                    metric=metric,
                    window=window if rolling else None,
                )

    def _price(self, amount: c.Amount, entry: Entry, subject: Subject) -> Priced:
        period = subject.period
        priced = self.pricer.price(
            amount,
            entry.service,
            period.start,
            period.end,
            subject.entry_group if subject.entry_group is not None else subject.group,
            subject.hints,
            period.label,
        )
        if priced.fee is not None and entry.fee is None and priced.fee.service == entry.service:
            entry.fee = priced.fee
        if entry.currency is None and priced.currency is not None:
            entry.currency = priced.currency
        if not entry.hints:
            entry.hints = subject.hints
        return priced

    def _add(
        self,
        entry: Entry,
        subject: Subject,
        rule: str,
        node: Node,
        amount: Fraction | None,
        words: str,
        *,
        value: Fraction | None,
        unit: str | None,
        quantity: Fraction | None = None,
        subject_name: str | None = None,
    ) -> None:
        entry.lines.append(
            OwedLine(
                rule=rule,
                loc=node.loc,
                subject=subject_name if subject_name is not None else subject.name,
                group=subject.group,
                value=value,
                unit=unit,
                quantity=quantity,
                amount=amount,
                arithmetic=words,
            )
        )
        entry.amounts.append(amount)
        if amount is None:
            entry.reasons.append(words)
        supporting: list[Record] = []
        if subject.outcome is not None:
            checks, supporting = subject.outcome.in_period(subject.measured)
            if not entry.requirements:
                entry.requirements = checks
        elif subject.metric is not None:
            supporting = self._claim_records(entry.clause, subject.metric, subject.measured)
        for record in supporting:
            if record not in entry.supporting:
                entry.supporting.append(record)

    def _claim_records(
        self, clause: c.Clause, metric: m.Metric, period: MeasurementPeriod
    ) -> list[Record]:
        """For ``claim within 15 days after the incident``: the metric's records of that type
        that began in the period."""
        claim = clause.claim
        if not isinstance(claim, c.ClaimWithin) or claim.after in PERIOD_WORDS:
            return []
        found: list[Record] = []
        for node in walk(metric):
            if isinstance(node, k.Selection) and node.record_type == claim.after:
                found.extend(
                    r
                    for r in self.ctx.records(node)
                    if r.when is not None and period.contains(r.when) and r not in found
                )
        return found

    # ----------------------------------------------------------------------- tiers and tables
    def _table(
        self,
        order: int,
        clause: c.Clause,
        kind: ConsequenceKind,
        tiers: tuple[c.Tier, ...],
        cumulative: bool,
        rule_of: Callable[[c.Tier], str],
        *,
        breached_only: bool = False,
    ) -> None:
        condition = tiers[0].condition
        if condition.exceedance:
            subjects = self._exceedances(clause, kind)
        else:
            metric = self.ctx.metric(str(condition.subject))
            group = _group_name(condition.group)
            subjects = iter(self._subjects(clause, metric, group, kind))
        for subject in subjects:
            if breached_only and not self._breached(clause, subject.period):
                continue
            if subject.missing is not None:
                entry = self._entry(order, clause, kind, subject, _named(tiers[0].amount))
                self._add(
                    entry,
                    subject,
                    rule_of(tiers[0]),
                    tiers[0],
                    None,
                    subject.missing,
                    value=None,
                    unit=None,
                )
                continue
            if subject.value is None:
                if self._unknown_amount(kind, clause, subject):
                    entry = self._entry(order, clause, kind, subject, _named(tiers[0].amount))
                    why = (
                        f"no value of {subject.name} in {subject.period.label}: no tier can be"
                        " placed, although the period is breached"
                    )
                    self._add(
                        entry,
                        subject,
                        rule_of(tiers[0]),
                        tiers[0],
                        None,
                        why,
                        value=None,
                        unit=None,
                    )
                continue
            matched = _matched(tiers, subject.value, subject.dimension, cumulative)
            unit = "%" if condition.exceedance else UNITS[subject.dimension]
            if not matched:
                if subject.outcome is not None and subject.unrestricted is not None:
                    would = _matched(tiers, subject.unrestricted, subject.dimension, cumulative)
                    if would:
                        entry = self._entry(order, clause, kind, subject, _named(would[-1].amount))
                        self._add(
                            entry,
                            subject,
                            rule_of(would[-1]),
                            would[-1],
                            Fraction(0),
                            f"{subject.name} {_shown(subject.value, unit)} from the records that"
                            " met the claim requirements: no tier applies (with every record:"
                            f" {_shown(subject.unrestricted, unit)})",
                            value=subject.value,
                            unit=unit,
                        )
                continue
            for tier in matched:
                entry = self._entry(order, clause, kind, subject, _named(tier.amount))
                priced = self._price(tier.amount, entry, subject)
                words = (
                    f"{subject.name} {_shown(subject.value, unit)}"
                    f" {_bounds(tier.condition)}: {priced.words}"
                )
                self._add(
                    entry,
                    subject,
                    rule_of(tier),
                    tier,
                    priced.amount,
                    words,
                    value=subject.value,
                    unit=unit,
                )

    def _exceedances(self, clause: c.Clause, kind: ConsequenceKind) -> Iterable[Subject]:
        """How far the value of the clause's first promise is beyond its target, per period."""
        if not clause.promises:
            return
        objective = clause.promises[0]
        metric = self.ctx.metric(objective.metric)
        group = _group_name(objective.group)
        for subject in self._subjects(clause, metric, group, kind):
            target = self.targets.get((clause.id, 0, subject.group))
            shown = "no value" if subject.value is None else decimal_text(subject.value)
            described = (
                f"the exceedance of {subject.name} ({shown} against {objective.op}"
                f" {objective.target})"
            )
            value = None
            if subject.value is not None and target is not None:
                value = exceedance(subject.value, objective.op, target)
            unrestricted = None
            if subject.unrestricted is not None and target is not None:
                unrestricted = exceedance(subject.unrestricted, objective.op, target)
            yield Subject(
                period=subject.period,
                group=subject.group,
                entry_group=subject.entry_group,
                value=value,
                dimension="percent",
                name=described,
                hints=subject.hints,
                outcome=subject.outcome,
                unrestricted=unrestricted,
                metric=subject.metric,
                window=subject.window,
                missing=subject.missing,
            )

    # --------------------------------------------------------------------- per unit of time
    def _per_unit(
        self,
        order: int,
        clause: c.Clause,
        kind: ConsequenceKind,
        amount: c.Amount,
        per: c.PerUnit,
        rule: str,
        node: Node,
        *,
        breached_only: bool = False,
    ) -> None:
        metric = self.ctx.metric(per.metric)
        seconds = unit_seconds(per.unit)
        if seconds is None:
            return  # the checks allow only fixed units of time here
        word = {"started": "started ", "full": "full ", "exact": ""}[per.rounding]
        for subject in self._subjects(clause, metric, None, kind, counted=True):
            if breached_only and not self._breached(clause, subject.period):
                continue
            if subject.value is None:
                if self._unknown_amount(kind, clause, subject):
                    entry = self._entry(order, clause, kind, subject, _named(amount))
                    why = (
                        f"no value of {subject.name} in {subject.period.label}: no units can be"
                        " counted, although the period is breached"
                    )
                    self._add(entry, subject, rule, node, None, why, value=None, unit=None)
                continue
            units = _units(subject.value, seconds, per.rounding)
            if units == 0:
                if subject.outcome is not None and subject.unrestricted:
                    would = _units(subject.unrestricted, seconds, per.rounding)
                    if would:
                        entry = self._entry(order, clause, kind, subject, _named(amount))
                        self._add(
                            entry,
                            subject,
                            rule,
                            node,
                            Fraction(0),
                            f"{subject.name} {decimal_text(subject.value)} s from the records"
                            " that met the claim requirements: nothing to credit (with every"
                            f" record: {decimal_text(subject.unrestricted)} s)",
                            value=subject.value,
                            unit="s",
                            quantity=Fraction(0),
                        )
                continue
            entry = self._entry(order, clause, kind, subject, _named(amount))
            priced = self._price(amount, entry, subject)
            unit_word = _unit_word(per.unit, units)
            total = None if priced.amount is None else priced.amount * units
            each = (
                priced.words
                if isinstance(amount, c.FixedAmount) or priced.amount is None
                else f"({priced.words})"
            )
            words = (
                f"{subject.name} {decimal_text(subject.value)} s ="
                f" {decimal_text(units)} {word}{unit_word}; {decimal_text(units)} × {each}"
            )
            if total is not None:
                words += f" = {money(total, self.pricer.currency)}"
            self._add(
                entry,
                subject,
                rule,
                node,
                total,
                words,
                value=subject.value,
                unit="s",
                quantity=units,
            )

    # ------------------------------------------------------------------------------ formulas
    def _expression(
        self,
        order: int,
        clause: c.Clause,
        kind: ConsequenceKind,
        node: c.CreditExpression | c.PenaltyExpression,
    ) -> None:
        """``credit 25 * outage-time / scheduled-time * the fee [when breached]`` (a penalty
        alike): computed in every period of its metrics that counts (only the breached ones
        ``when breached``). Listed when it gives an amount, when the period is breached (0.00
        too), or when it cannot be computed (a division by zero: no amount, the reason); a
        metric without a value in a period that is not breached gives nothing."""
        rule = (
            printer.penalty(node)
            if isinstance(node, c.PenaltyExpression)
            else printer.expression_credit(node)
        )
        metrics = [self.ctx.metric(n) for n in c.formula_metrics(node.formula)]
        if not metrics:
            return  # the checks want one
        measured = {metric.id: self.measure(metric) for metric in metrics}
        first = metrics[0]
        for period in self.ctx.periods(first.period):
            if not self._counts(period):
                continue
            breached = self._breached(clause, period)
            if node.when_breached and not breached:
                continue
            readings = {
                metric.id: _reading(measured[metric.id].get(period.label)) for metric in metrics
            }
            counted = {
                n.metric: _counted(measured[n.metric].get(period.label))
                for n in walk(node.formula)
                if isinstance(n, c.FormulaCountedTime)
            }
            if not breached and any(r.value is None for r in readings.values()):
                continue
            subject = Subject(
                period=period,
                group=None,
                entry_group=None,
                value=None,
                dimension="number",
                name=printer.formula_term(node.formula),
                hints=self._hints(first, None),
                outcome=None,
                unrestricted=None,
                metric=first,
            )
            service = self.service_of(clause)
            computed = Formula(
                self.pricer, service, period, None, subject.hints, readings, counted
            ).compute(node.formula)
            value = computed.value
            if value is not None and value <= 0 and not breached:
                continue
            named = {f.service for f in walk(node.formula) if isinstance(f, c.FormulaFee)}
            entry = self._entry(
                order, clause, kind, subject, next(iter(named)) if len(named) == 1 else None
            )
            if computed.fee is not None and entry.fee is None:
                if computed.fee.service == entry.service:
                    entry.fee = computed.fee
            if entry.currency is None and computed.currency is not None:
                entry.currency = computed.currency
            if not entry.hints:
                entry.hints = subject.hints
            words = computed.words
            if value is not None and value < 0:
                words += ": below zero, nothing is owed"
                value = Fraction(0)
            self._add(entry, subject, rule, node, value, words, value=None, unit=None)

    # ------------------------------------------------------------------ per breach, per miss
    def _per_breach(self, order: int, clause: c.Clause, penalty: c.Penalty, rule: str) -> None:
        for (label, start), found in sorted(
            self.statuses.get(clause.id, {}).items(), key=lambda item: item[0][1]
        ):
            if not any(status == "breached" for status, _ in found):
                continue
            period = self.periods_of[clause.id][(label, start)]
            if not self._counts(period):
                continue
            subject = Subject(
                period=period,
                group=None,
                entry_group=None,
                value=None,
                dimension="count",
                name=f"clause {clause.id}",
                hints=frozenset(),
                outcome=None,
                unrestricted=None,
            )
            entry = self._entry(order, clause, "penalty", subject, _named(penalty.amount))
            priced = self._price(penalty.amount, entry, subject)
            judged = self.windows.get(clause.id, {}).get((label, start), [])
            on = f" (judged on {', '.join(judged)})" if judged else ""
            if isinstance(penalty.basis, c.PerBreach) and penalty.basis.per_group:
                self._per_breached_group(entry, subject, penalty, rule, priced, on)
                continue
            self._add(
                entry,
                subject,
                rule,
                penalty,
                priced.amount,
                f"clause {clause.id} breached in {label}{on}: {priced.words}",
                value=None,
                unit=None,
                quantity=Fraction(1),
                subject_name=f"clause {clause.id}",
            )

    def _per_breached_group(
        self,
        entry: Entry,
        subject: Subject,
        penalty: c.Penalty,
        rule: str,
        priced: Priced,
        on: str,
    ) -> None:
        """``per breached month and group``: one line per group breached in the period (a
        group breached in two promises once; a promise without groups counts as one)."""
        period = subject.period
        found = self.groups.get(entry.clause.id, {}).get((period.label, period.start), [])
        breached = list(dict.fromkeys(g for status, g in found if status == "breached"))
        named = sorted(g for g in breached if g is not None)
        ordered: list[str | None] = [*named, *([None] if None in breached else [])]
        for group in ordered:
            who = f'group "{group}"' if group is not None else f"clause {entry.clause.id}"
            self._add(
                entry,
                subject,
                rule,
                penalty,
                priced.amount,
                f"{who} breached in {period.label}{on}: {priced.words}",
                value=None,
                unit=None,
                quantity=Fraction(1),
                subject_name=who,
            )
            entry.lines[-1] = replace(entry.lines[-1], group=group)

    def _per_missed(self, order: int, clause: c.Clause, penalty: c.Penalty, rule: str) -> None:
        """Every record that missed its target, in the clause's promises on shares of records
        within target (each promise's own group, or every group)."""
        missed: dict[tuple[str, dt.datetime], tuple[MeasurementPeriod, int, list[str]]] = {}
        for objective in clause.promises:
            metric = self.ctx.metric(objective.metric)
            if not isinstance(metric.measure, m.ShareWithinTarget):
                continue
            over = ""
            if isinstance(metric.period, m.RollingPeriod):
                # Each late record counted once: over the billing periods, not the windows.
                metric = self.billing.per_period(metric)
                over = " (counted over the billing period)"
            measured = self.measure(metric)
            group = _group_name(objective.group)
            for period in self.ctx.periods(metric.period):
                if not self._counts(period):
                    continue
                measurement = measured[period.label]
                one = measurement if group is None else measurement.groups.get(group)
                late = 0 if one is None else int(one.totals.get("late", 0))
                if late == 0:
                    continue
                key = (period.label, period.start)
                _, before, names = missed.get(key, (period, 0, []))
                name = objective.metric + (f' for "{group}"' if group is not None else "") + over
                missed[key] = (period, before + late, [*names, f"{late} late in {name}"])
        for period, late, names in (missed[key] for key in sorted(missed, key=lambda x: x[1])):
            if penalty.when_breached and not self._breached(clause, period):
                continue
            subject = Subject(
                period=period,
                group=None,
                entry_group=None,
                value=Fraction(late),
                dimension="count",
                name="missed records",
                hints=frozenset(),
                outcome=None,
                unrestricted=None,
            )
            entry = self._entry(order, clause, "penalty", subject, _named(penalty.amount))
            priced = self._price(penalty.amount, entry, subject)
            total = None if priced.amount is None else priced.amount * late
            words = f"{', '.join(names)}: {late} × {priced.words}"
            if total is not None:
                words += f" = {money(total, self.pricer.currency)}"
            self._add(
                entry,
                subject,
                rule,
                penalty,
                total,
                words,
                value=Fraction(late),
                unit="records",
                quantity=Fraction(late),
            )


# ------------------------------------------------------------------------------ small helpers
def _always(rule: str) -> Callable[[c.Tier], str]:
    def text(_tier: c.Tier) -> str:
        return rule

    return text


def _group_name(literal: LiteralValue | None) -> str | None:
    """A group as its value: ``"P2"`` names the group P2."""
    if literal is None:
        return None
    return literal.value if isinstance(literal, Text) else str(literal)


def _value(measurement: Measurement, group: str | None) -> Fraction | None:
    if group is None:
        return measurement.value
    one = measurement.groups.get(group)
    return None if one is None else one.value


def _matched(
    tiers: tuple[c.Tier, ...], value: Fraction, dimension: str, cumulative: bool
) -> list[c.Tier]:
    """The tiers that apply: every one for a cumulative table, else the worst, that is the
    last one that applies in the order written (tables run from the mildest shortfall to the
    worst; the checks make sure of it)."""
    applying = [t for t in tiers if in_tier(value, t.condition, dimension)]
    return applying if cumulative else applying[-1:]


def _named(amount: c.Amount) -> str | None:
    """The service whose fee an amount names (``of the fee of uplink``), if it names one."""
    return None if isinstance(amount, c.FixedAmount) else amount.service


def _reading(measurement: Measurement | None) -> Reading:
    """A metric's value as a formula reads it: a percentage as its fraction, a duration in
    seconds, a count or a number as it is."""
    if measurement is None or measurement.value is None:
        return Reading(None, "no value")
    value = measurement.value
    if measurement.dimension == "percent":
        return Reading(value / 100, f"{decimal_text(value)}%")
    if measurement.dimension == "duration":
        return Reading(value, f"{decimal_text(value)} s")
    return Reading(value, decimal_text(value))


def _counted(measurement: Measurement | None) -> Reading:
    """``the counted time of M``: the seconds an availability metric counts in the period (its
    time less the time excluded), as its measurement found them."""
    seconds = None if measurement is None else measurement.totals.get("counted_seconds")
    if seconds is None:
        return Reading(None, "no counted time")
    return Reading(Fraction(seconds), f"{decimal_text(Fraction(seconds))} s")


def _units(seconds: Fraction, unit: Fraction, rounding: str) -> Fraction:
    units = seconds / unit
    if rounding == "started":
        return Fraction(math.ceil(units))
    if rounding == "full":
        return Fraction(math.floor(units))
    return units


def _unit_word(unit: str, count: Fraction) -> str:
    word = UNIT_WORDS.get(unit, unit)
    return word if count == 1 else f"{word}s"


def _shown(value: Fraction, unit: str) -> str:
    text = decimal_text(value)
    if unit == "records" and value == 1:
        return "1 record"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}" if unit else text


def _bounds(condition: c.TierCondition) -> str:
    return " and ".join(f"{b.op} {b.value}" for b in condition.bounds)


__all__ = ["Entry", "Lines", "Measure", "Pricer", "Targets"]


def _for_group(group: str | None, metric: m.Metric) -> str:
    """How a line names the group it judges: ``for "eu"`` by one field, as a promise writes it;
    by several, ``for project=acme, region=eu`` (the key itself is the engine's, not words)."""
    if group is None:
        return ""
    fields: tuple[str, ...] = getattr(metric.measure, "group_by", ())
    if len(fields) > 1:
        return f" for {group_keys.words(group, fields)}"
    return f' for "{group}"'

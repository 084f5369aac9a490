"""Values: units that fit, percentages within range, dates in order, timezones and currencies."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal

from obligo.checks.names import walk
from obligo.checks.reporter import Reporter, Scope, did_you_mean
from obligo.checks.units import field_unit_of, fit_field_unit, unitless_duration
from obligo.model import clauses as c
from obligo.model import contract as k
from obligo.model import metrics as m
from obligo.model.base import (
    Duration,
    LiteralValue,
    Money,
    Number,
    Percent,
    SourceLocation,
    describe_literal,
)
from obligo.model.currencies import NOT_MONEY, closest_currency, is_currency
from obligo.model.vocabulary import CALENDAR_PERIODS, UNITS_SHORTER_THAN_A_DAY
from obligo.syntax import printer

# What a metric's value is, by the kind of its measure.
PERCENT_MEASURES = (m.Availability, m.SliceAverage, m.Ratio, m.ShareWithinTarget)
DURATION_MEASURES = (m.TotalDuration, m.MeanTimeToRepair, m.MeanTimeBetweenFailures)


def metric_dimension(metric: m.Metric) -> str:
    """``percent``, ``duration``, ``count`` or ``number`` (a field's own unit)."""
    measure = metric.measure
    if isinstance(measure, PERCENT_MEASURES):
        return "percent"
    if isinstance(measure, DURATION_MEASURES):
        return "duration"
    if isinstance(measure, m.Aggregate) and measure.function == "count":
        return "count"
    return "number"


EXPECTED_WORDS = {
    "percent": "a percentage such as 99.9%",
    "duration": "a duration such as 30 minutes",
    "count": "a whole number",
    "number": "a number (a duration once the field's unit is stated: `field NAME in ms`)",
}


def fits(dimension: str, value: LiteralValue) -> bool:
    if dimension == "percent":
        return isinstance(value, Percent)
    if dimension == "duration":
        return isinstance(value, Duration) and value.seconds is not None
    if dimension == "count":
        return isinstance(value, Number) and value.value == value.value.to_integral_value()
    return isinstance(value, Number) or (isinstance(value, Duration) and value.seconds is not None)


def check_values(contract: k.Contract, scope: Scope, out: Reporter) -> None:
    _agreement(contract, scope, out)
    for metric in contract.metrics:
        _metric_values(metric, scope, out, contract)
    for clause in contract.clauses:
        _clause_values(clause, scope, out, contract)
    for renegotiation in contract.renegotiations:
        condition = renegotiation.condition
        if isinstance(condition, k.MetricValueRun) and condition.metric in scope.metrics:
            _fit(scope.metrics[condition.metric], condition.value, out, "this value", contract)
        for node in walk(condition):
            if isinstance(node, c.NOfLast | c.Consecutive):
                _window(node, out)
        if renegotiation.each is not None:
            _each_end(renegotiation, out)
    for node in walk(contract.model_copy(update={"imported": ()})):
        if isinstance(node, Money):
            _currency(node, scope, out)
        elif isinstance(node, c.Escalation | k.Notification | k.Review) and node.representative:
            _representative(node.loc, contract, scope, out)


def _agreement(contract: k.Contract, scope: Scope, out: Reporter) -> None:
    for name, loc in [(contract.timezone, contract.loc)] + [
        (cal.timezone, cal.loc) for cal in contract.calendars
    ]:
        if name is not None:
            _timezone(name, out.in_block(loc, "timezone", f'"{name}"'), out)
    if contract.currency is not None:
        _iso_currency(contract.currency, out.in_block(contract.loc, "currency"), out)
    if contract.metrics and scope.timezone is None:
        out.error(
            f"contract {contract.id} has metrics but no timezone",
            contract.loc,
            'periods follow the contract\'s timezone: add a line such as timezone "Europe/Berlin"',
        )
    term = contract.term
    if term is not None and term.end is not None and term.end < term.start:
        out.error(
            f"the term ends ({term.end}) before it starts ({term.start})",
            term.loc,
            word=str(term.end),
        )
    if contract.margins is not None:
        wide, narrow = contract.margins.wide_at_most, contract.margins.narrow_above
        for percent in (wide, narrow):
            _percent_range(percent, out, "an error budget share")
        if wide.value >= narrow.value:
            out.error(
                f"the wide margin ({wide}) must be below the narrow one ({narrow})",
                contract.margins.loc,
            )
    baseline = contract.baseline
    if baseline is not None and baseline.start and baseline.end and baseline.end < baseline.start:
        out.error(
            f"the baseline ends ({baseline.end}) before it starts ({baseline.start})",
            baseline.loc,
            word=str(baseline.end),
        )
    if baseline is not None and baseline.first is not None and baseline.first < 1:
        out.error("a baseline lasts at least one period", baseline.loc)
    for service in contract.services:
        for fee in service.fees:
            _fee_every(fee.every, out)
        for underlying in service.underlying:
            if underlying.ends is None or term is None:
                continue
            supported_end = term.end
            if supported_end is not None and underlying.ends < supported_end:
                out.warning(
                    f'"{underlying.reference}" ends on {underlying.ends}, before the contract it'
                    f" supports ({supported_end})",
                    underlying.loc,
                    f"service {service.id} depends on it: renew it or renegotiate in time",
                    word=str(underlying.ends),
                )
    if term is not None:
        # A notice of 0 days is a real term (no notice needed); a renewal every 0 years is not.
        _whole_days(term.notice, out, "a notice period", business_days=True)
        if term.renewal is not None:
            every = term.renewal.every
            if every.amount <= 0:
                out.error(
                    f"a term cannot renew every {every}: a renewal period is longer than zero",
                    every.loc,
                    "renews yearly, or renews every 2 years",
                )
            else:
                _whole_days(every, out, "a renewal period")
    for notification in contract.notifications:
        _whole_days(notification.before_end, out, "a notice", business_days=True)
    for review in contract.reviews:
        _whole_days(review.every, out, "a review interval")
    for review in contract.reviews:
        if review.every.amount <= 0:
            out.error("a review interval must be longer than zero", review.loc)
    for drift in contract.renegotiations:
        condition = drift.condition
        if isinstance(condition, k.VolumeDrift) and condition.percent.value <= 0:
            out.error("a volume drift is more than 0%", condition.percent.loc)


def _timezone(name: str, loc: SourceLocation, out: Reporter) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(name, sorted(zoneinfo.available_timezones()))
        out.error(
            f'"{name}" is not an IANA timezone',
            loc,
            hint or 'use a name such as "Europe/Berlin", "America/New_York" or "UTC"',
            word=f'"{name}"',
        )


def _iso_currency(code: str, loc: SourceLocation, out: Reporter) -> bool:
    """Whether ``code`` is an ISO 4217 currency; reports it at ``loc`` when it is not."""
    if is_currency(code):
        return True
    if code in NOT_MONEY:
        out.error(
            f'"{code}" is an ISO 4217 code for {NOT_MONEY[code]}, not a currency amounts are'
            " paid in",
            loc,
            "name the currency the fees are invoiced in, such as EUR or USD",
            word=code,
        )
        return False
    close = closest_currency(code)
    out.error(
        f'"{code}" is not an ISO 4217 currency code',
        loc,
        f'did you mean "{close}"?' if close and close != code else "such as EUR, USD, GBP or JPY",
        word=code,
    )
    return False


def _currency(money: Money, scope: Scope, out: Reporter) -> None:
    if money.currency != scope.currency and not _iso_currency(money.currency, money.loc, out):
        return
    if scope.currency is not None and not is_currency(scope.currency):
        return  # the contract's own code is reported at its `currency` line
    if scope.currency is None:
        out.error(
            f"an amount in {money.currency}, but the contract names no currency",
            money.loc,
            f"add `currency {money.currency}` to the contract",
        )
    elif money.currency != scope.currency:
        out.error(
            f"an amount in {money.currency}, but the contract's currency is {scope.currency}",
            money.loc,
            word=money.currency,
        )


def grouped(metric: m.Metric) -> bool:
    """Whether the metric is measured per value of a field (``, by priority``)."""
    if isinstance(metric.measure, m.ShareWithinTarget):
        return True  # a missing `by` is reported on the metric itself
    return bool(getattr(metric.measure, "group_by", ()))


def _several(metric: m.Metric) -> tuple[str, ...]:
    """The fields of a metric grouped by more than one (none otherwise)."""
    fields: tuple[str, ...] = getattr(metric.measure, "group_by", ())
    return fields if len(fields) > 1 else ()


def _fees_per_group(clause: c.Clause, metric: m.Metric, scope: Scope, out: Reporter) -> None:
    """A credit per group of a metric is priced on that group's fee: a fee read ``by`` fields
    is read by the metric's own fields, in their order (``fee from billing records, by
    project, region`` for a metric ``by project, region``); any other fields leave a group
    without a fee of its own, which is refused rather than credited on no fee. A fee read
    without ``by`` is every group's whole fee, as written."""
    fields: tuple[str, ...] = getattr(metric.measure, "group_by", ())
    if not fields:
        return
    named = {clause.service, metric.service}
    named |= {
        node.service for node in walk(clause) if isinstance(node, c.PercentOfFee | c.FeeForDuration)
    }
    for name in sorted(n for n in named if n is not None):
        service = scope.services.get(name)
        if service is None or not service.fee_group_by or service.fee_group_by == fields:
            continue
        measured, read = ", ".join(fields), ", ".join(service.fee_group_by)
        same = sorted(fields) == sorted(service.fee_group_by)
        out.error(
            f"{metric.id} is measured by {measured}, but the fee of {name} is read by {read}:"
            + (
                " name the fields in the same order"
                if same
                else " a group's credit has no fee of its own"
            ),
            clause.loc,
            f"read {name}'s fee `, by {measured}`, or without `, by`",
        )
        return


def _at_least_a_day(duration: Duration | None, out: Reporter, what: str) -> None:
    """A deadline of minutes is almost always a slip (``3m`` for three months)."""
    if duration is None or duration.business or duration.seconds is None:
        return
    if duration.seconds < 86400:
        out.warning(
            f"{what} of {duration} is shorter than a day",
            duration.loc,
            "m is minutes: write 3 months for months",
        )


def _fee_every(every: Duration, out: Reporter) -> None:
    """``fee 30 EUR per 30 days``: a fee is for whole days, weeks, months, quarters or years,
    longer than zero; months, quarters and years in whole numbers (a fee counts calendar months
    from each period's first day)."""
    if every.amount <= 0:
        out.error(
            f"a fee per {every} is for no time at all",
            every.loc,
            "fee 30 EUR per 30 days, or fee 100 EUR monthly",
        )
    elif every.business or every.unit in UNITS_SHORTER_THAN_A_DAY:
        out.error(
            f"a fee is per days, weeks, months, quarters or years, not per {every}",
            every.loc,
            "fee 30 EUR per 30 days, or fee 7 EUR per week",
        )
    elif every.amount != every.amount.to_integral_value():
        out.error(
            f"a fee per {every}: write a whole number of {every.unit}s",
            every.loc,
            "fee 45 EUR per 45 days rather than per 1.5 months",
        )


def _whole_days(
    duration: Duration | None, out: Reporter, what: str, *, business_days: bool = False
) -> None:
    """Notices and reviews fall on dates: a whole number of calendar days, weeks, months,
    quarters or years (``3m`` is three minutes). A notice before the end of the term may be in
    whole business days (``business_days``), counted back on the contract's calendar; a review
    every N business days has no meaning obligo gives it."""
    if duration is None:
        return
    hint = "write whole days, weeks, months, quarters or years, such as 90 days or 3 months"
    if duration.business and business_days:
        if duration.unit != "day" or duration.amount != duration.amount.to_integral_value():
            out.error(
                f"{what} of {duration} is not a whole number of business days",
                duration.loc,
                "a notice falls on a date: write whole business days, such as 10 business days",
            )
    elif duration.business:
        out.error(f"{what} of {duration} cannot be counted in business time", duration.loc, hint)
    elif duration.amount != duration.amount.to_integral_value():
        out.error(
            f"{what} of {duration} is not a whole number of {duration.unit}s", duration.loc, hint
        )
    elif duration.seconds is not None and duration.seconds % 86400:
        out.error(f"{what} of {duration} is not a whole number of days", duration.loc, hint)


def _percent_range(percent: Percent, out: Reporter, what: str) -> None:
    if not Decimal(0) <= percent.value <= Decimal(100):
        out.error(f"{percent} is not a possible {what}: use 0% to 100%", percent.loc)


def _fit(
    metric: m.Metric, value: LiteralValue, out: Reporter, what: str, contract: k.Contract
) -> None:
    unit = field_unit_of(metric, contract)
    if unit is not None:
        fit_field_unit(metric, unit, value, out, what)
        return
    if unitless_duration(metric, value, out, what):
        return
    dimension = metric_dimension(metric)
    if dimension == "duration" and isinstance(value, Duration) and value.business:
        out.error(
            f"{what} is {value}, which is not a fixed length of time: {metric.id} is elapsed"
            " time, which business time is not compared with",
            value.loc,
            "write a fixed length such as 4 hours; business time counts deadlines and targets",
        )
    elif not fits(dimension, value):
        out.error(
            f"{what} is {describe_literal(value)}, but {metric.id} is measured as {dimension}",
            value.loc,
            f"write {EXPECTED_WORDS[dimension]}",
        )
    elif isinstance(value, Percent) and dimension == "percent":
        _percent_range(value, out, "value of " + metric.id)


def _fixed_duration(duration: Duration | None, out: Reporter, what: str) -> None:
    if duration is None:
        return
    if duration.seconds is None:
        out.error(
            f"{what} must be a fixed length of time, not {duration}",
            duration.loc,
            "use seconds, minutes, hours, days or weeks",
        )
    elif duration.seconds <= 0:
        out.error(f"{what} must be longer than zero", duration.loc)


def _metric_values(metric: m.Metric, scope: Scope, out: Reporter, contract: k.Contract) -> None:
    lines = m.written(metric)
    measure = metric.measure
    _fixed_duration(lines.slice, out, "a slice")
    if isinstance(measure, m.SliceAverage):
        _fixed_duration(measure.slice, out, "a slice")
        if measure.complement_of is not None and measure.complement_of.value != 100:
            out.error(
                f"{measure.complement_of} minus an average: only 100% minus is meaningful",
                measure.loc,
            )
    period = measure.period
    if isinstance(period, m.ConsecutivePeriod | m.RollingPeriod):
        _fixed_duration(period.length, out, "a period's length")
    if isinstance(measure, m.Aggregate) and measure.percentile is not None:
        _percent_range(measure.percentile, out, "percentile")
    for rule in lines.slice_without:
        if rule.value is not None:
            _percent_range(rule.value, out, "error rate")
    if lines.minimum_run is not None and lines.minimum_run < 1:
        out.error("a run is at least 1 slice long", metric.loc)
    if metric.minimum_data is not None and metric.minimum_data.records < 1:
        out.error("a minimum of data is at least 1 record", metric.minimum_data.loc)
    calendar_default = lines.duration.calendar if lines.duration else None
    default = contract.default_calendar()
    if calendar_default is None and default is not None:
        calendar_default = default.name  # business time counted on the contract's calendar
    for target in lines.targets:
        if target.limit.business and not (target.calendar or calendar_default):
            out.error(
                f"{target.limit} needs a business calendar",
                target.limit.loc,
                "measure in a calendar: `duration from opened to responded, in office hours`",
            )
        elif not target.limit.business and target.limit.seconds is None:
            out.error(
                f"a target time must be a fixed length, not {target.limit}",
                target.limit.loc,
            )
        if target.limit.amount <= 0:
            out.error(
                f"a target time of {target.limit} can only be met by a record that takes no time",
                target.limit.loc,
                "a target time is longer than zero, such as 4 hours",
            )
    for condition in lines.slice_down:
        if isinstance(condition, m.SliceCompare):
            threshold = condition.threshold
            if not isinstance(threshold, Percent | Number):
                out.error(
                    f"a slice's value is compared with a percentage or a number, not"
                    f" {describe_literal(threshold)}",
                    threshold.loc,
                )
            elif isinstance(threshold, Percent):
                _percent_range(threshold, out, "rate")
        elif isinstance(condition, m.SliceAtLeast) and condition.count < 1:
            out.error("at least 1, or more", condition.loc)


def _clause_values(clause: c.Clause, scope: Scope, out: Reporter, contract: k.Contract) -> None:
    for objective in clause.promises:
        metric = scope.metrics.get(objective.metric)
        if metric is None:
            continue
        target = objective.target
        if isinstance(target, c.BaselineTarget):
            if target.percent.value <= 0:
                out.error("a target relative to the baseline is more than 0%", target.loc)
        else:
            _fit(metric, target, out, "the target", contract)
        if objective.group is not None and not grouped(metric):
            out.error(
                f"{objective.metric} has no groups: `for {objective.group}` applies only to a"
                " metric measured `by` a field",
                objective.group.loc,
            )
        _fees_per_group(clause, metric, scope, out)
        if objective.group is not None and grouped(metric) and (fields := _several(metric)):
            out.error(
                f"{objective.metric} is measured by {len(fields)} fields ({', '.join(fields)}):"
                f" `for {objective.group}` names the value of one",
                objective.group.loc,
                "leave `for` out: the promise is then made to each group",
            )
    capped = {id(cap.amount) for cap in clause.caps if not isinstance(cap, c.TrailingCap)}
    for node in walk(clause):
        if isinstance(node, c.TierCondition):
            subject = scope.metrics.get(node.subject or "")
            if node.group is not None and subject is not None and not grouped(subject):
                out.error(
                    f"{subject.id} has no groups: `for {node.group}` applies only to a metric"
                    " measured `by` a field",
                    node.group.loc,
                )
            elif node.group is not None and subject is not None and (fields := _several(subject)):
                out.error(
                    f"{subject.id} is measured by {len(fields)} fields ({', '.join(fields)}):"
                    f" `for {node.group}` names the value of one",
                    node.group.loc,
                    "leave `for` out: the tier then applies to each group",
                )
            _tier_values(node, scope, out, contract)
        elif isinstance(node, c.PercentOfFee) and id(node) not in capped:  # caps: see _caps
            _percent_range(node.percent, out, "share of a fee")
            if node.percent.value == 0:
                out.warning("0% of the fee is nothing", node.percent.loc)
        elif isinstance(node, c.FeeForDuration):
            if node.duration.business or node.duration.unit in UNITS_SHORTER_THAN_A_DAY:
                out.error(
                    f"a fee is counted in days, weeks, months, quarters or years, not {node.duration}",
                    node.duration.loc,
                )
        elif isinstance(node, c.LongEvents):
            _fixed_duration(node.longer_than, out, "an outage's length")
            _fixed_duration(node.within, out, "a sliding window")
            if node.count < 1:
                out.error("count at least 1 outage", node.loc)
        elif isinstance(node, c.RunningTotal):
            _fixed_duration(node.more_than, out, "a running total")
            if node.unit not in CALENDAR_PERIODS:
                out.error(
                    "a running total is counted in a calendar day, week, month, quarter or year,"
                    f" not in a {node.unit}",
                    out.at_word(node.loc, node.unit),
                    "write `in a calendar month`, or a calendar day, week, quarter or year",
                )
        elif isinstance(node, c.TotalInPeriod) and node.metric in scope.metrics:
            _fit(scope.metrics[node.metric], node.value, out, "this total", contract)
        elif isinstance(node, c.Exercise):
            if not node.within.business:  # business time: counted on the contract's calendar
                _fixed_duration(node.within, out, "the time to exercise a right")
            elif node.within.amount <= 0:
                out.error("the time to exercise a right must be longer than zero", node.within.loc)
            _at_least_a_day(node.within, out, "the time to exercise a right")
        elif isinstance(node, c.ClaimWithin):
            if node.duration.amount <= 0:  # fixed or business time alike
                out.error("a claim period must be longer than zero", node.duration.loc)
            else:
                _at_least_a_day(node.duration, out, "a claim period")
        elif isinstance(node, c.NOfLast | c.Consecutive):
            _window(node, out)
        elif isinstance(node, c.CreditExpression | c.PenaltyExpression):
            _formula(node, clause, scope, out)
        elif isinstance(node, c.CreditFormula | c.Penalty) and node.when_breached:
            _when_breached(node, clause, out)
        elif isinstance(node, c.LargestOnly):
            if clause.id in node.clauses:
                out.error(
                    f"clause {clause.id} names itself: the largest credit is of this clause and"
                    " the others named",
                    out.at_word(node.loc, clause.id),
                )
            if not clause.credits:
                out.warning(
                    f"clause {clause.id} has no credit: only the largest of the other clauses'"
                    " credits is owed",
                    node.loc,
                )
        elif isinstance(node, c.OtherPeriodFee):
            if node.unit not in ("day", "week", "month", "quarter", "year"):
                out.error(
                    f"the fee of the {node.unit} before: name a calendar unit",
                    node.loc,
                    "the fee of the month before, or the average fee of the last 3 months",
                )
            elif node.count < 1:
                out.error(
                    "an average of the fees of the last 0 periods has nothing to average",
                    node.loc,
                    "the average fee of the last 3 months",
                )
        elif isinstance(node, c.PerBreach) and node.per_group:
            if not any(
                o.group is not None
                or (o.metric in scope.metrics and grouped(scope.metrics[o.metric]))
                for o in clause.promises
            ):
                out.warning(
                    f"clause {clause.id} has no promise per group: `per breached {node.unit} and"
                    f" group` is due once per breached {node.unit}",
                    node.loc,
                    f"promise a metric measured `by` a field, or write `per breached {node.unit}`",
                )
        elif isinstance(node, c.PerUnit):
            metric = scope.metrics.get(node.metric)
            if metric is not None and metric_dimension(metric) != "duration":
                out.error(
                    f"per {node.unit} of {node.metric}: {node.metric} is not measured as a duration",
                    node.loc,
                    "a formula per hour applies to a duration metric, such as total duration",
                )
    _caps(clause, out)


def _representative(loc: SourceLocation, contract: k.Contract, scope: Scope, out: Reporter) -> None:
    """``the customer's representative`` needs a customer ``represented by`` someone, unless the
    file is a corporate level (its customers are named by the levels below it)."""
    if contract.level is not None and contract.level.level == "corporate":
        return
    customers = [p for p in scope.parties.values() if p.role == "customer"]
    if any(p.representative is not None for p in customers):
        return
    hint = (
        f'add `represented by "Role"` to the line of customer {customers[0].id}'
        if customers
        else 'name the customer and its representative: customer acme "Acme Corp" represented'
        ' by "Head of IT"'
    )
    out.error(
        "the customer's representative: "
        + (
            f"customer {customers[0].id} is represented by no one"
            if customers
            else "this agreement names no customer"
        ),
        out.at_word(loc, "the"),
        hint,
    )


def _each_end(renegotiation: k.Renegotiation, out: Reporter) -> None:
    """``renegotiate at the end of each month in which ...``: a condition over a window of
    periods of that unit."""
    condition = renegotiation.condition
    each = renegotiation.each
    assert each is not None
    unit: str | None = None
    if isinstance(condition, k.ClauseBreached | k.WideMargin | k.MetricValueRun):
        unit = condition.window.unit
    elif isinstance(condition, k.MetricNoData):
        unit = condition.unit
    if unit is None:
        out.error(
            f"`at the end of each {each}` needs a condition over a run of periods, and"
            f" `{printer.renegotiation(condition)}` is not one",
            renegotiation.loc,
            "write `renegotiate when ...`, or a condition such as `clause 1 is breached in 2 of"
            " the last 3 months`",
        )
    elif unit != each:
        out.error(
            f"at the end of each {each}, but the condition counts {unit}s",
            out.at_word(renegotiation.loc, each),
            f"write `at the end of each {unit}`: the condition is judged at the end of each of"
            " its own periods",
        )


def _when_breached(
    node: c.CreditFormula | c.CreditExpression | c.Penalty | c.PenaltyExpression,
    clause: c.Clause,
    out: Reporter,
) -> None:
    """``when breached``: owed only in the periods in which a promise of the clause is
    breached; a clause without a promise never is, and a penalty per breached period already
    is only then."""
    where = node.loc
    text = out.line(node.loc)
    if text is not None and "when breached" in text:
        where = node.loc.model_copy(update={"column": text.rfind("when breached") + 1})
    if not clause.promises:
        out.error(
            f"clause {clause.id} has no promise: `when breached` never holds",
            where,
            "add a promise to the clause, or leave out `when breached`",
        )
    elif isinstance(node, c.Penalty) and isinstance(node.basis, c.PerBreach):
        out.error(
            f"a penalty per breached {node.basis.unit} is owed only when breached already",
            where,
            "leave out `when breached`",
        )


# The dimension of a formula's value: (exponent of money, exponent of time).
_Dimension = tuple[int, int]


def _formula(
    node: c.CreditExpression | c.PenaltyExpression, clause: c.Clause, scope: Scope, out: Reporter
) -> None:
    """A formula gives an amount of money (money to the power 1, time to the power 0: a
    duration divided by a duration, times the fee), reads at least one metric, and its metrics
    are measured over the same calendar periods."""
    if node.when_breached:
        _when_breached(node, clause, out)
    names = c.formula_metrics(node.formula)
    metrics = [scope.metrics[n] for n in names if n in scope.metrics]
    if not names:
        out.error(
            "a formula reads at least one metric: its value in each period is what is owed",
            node.formula.loc,
            "25 * outage-time / scheduled-time * the fee",
        )
    for metric in metrics:
        if isinstance(metric.period, m.RollingPeriod):
            out.error(
                f"{metric.id} is measured over rolling windows: a formula reads metrics per period",
                _metric_loc(node.formula, metric.id) or node.formula.loc,
            )
    periods = {m.model_dump_json(exclude={"loc"}) for m in (x.period for x in metrics)}
    if len(periods) > 1:
        out.error(
            "the metrics of a formula are measured over different periods: "
            + ", ".join(x.id for x in metrics),
            node.formula.loc,
            "measure them per the same period, such as per calendar month",
        )
    if len(metrics) < len(names):
        return  # an unknown name: the names' check says so
    found = _dimension(node.formula, scope, out)
    if found is not None and found != (1, 0):
        out.error(
            f"the formula gives {_dimension_words(found)}, not an amount of money",
            node.formula.loc,
            "multiply by the fee or an amount once, and divide a duration by a duration:"
            " 25 * outage-time / scheduled-time * the fee",
        )


def _metric_loc(term: c.FormulaTerm, metric: str) -> SourceLocation | None:
    for node in walk(term):
        if isinstance(node, c.FormulaMetric | c.FormulaCountedTime) and node.metric == metric:
            return node.loc
        if isinstance(node, c.FormulaFee) and node.for_metric == metric:
            return node.loc
    return None


def _dimension(term: c.FormulaTerm, scope: Scope, out: Reporter) -> _Dimension | None:
    if isinstance(term, c.FormulaOp):
        left = _dimension(term.left, scope, out)
        right = _dimension(term.right, scope, out)
        if left is None or right is None:
            return None
        sign = 1 if term.op == "*" else -1
        return left[0] + sign * right[0], left[1] + sign * right[1]
    if isinstance(term, c.FormulaNumber):
        if term.value == 0 and not term.percent:
            out.warning("0 in a formula", term.loc)
        return 0, 0
    if isinstance(term, c.FormulaMoney | c.FormulaFee):
        if isinstance(term, c.FormulaFee) and term.for_metric is not None:
            metric = scope.metrics.get(term.for_metric)
            if metric is not None and metric_dimension(metric) != "duration":
                out.error(
                    f"the fee for {term.for_metric}: {term.for_metric} is not measured as a"
                    " duration",
                    term.loc,
                    "the fee for a duration metric, such as total duration of outage records",
                )
                return None
        return 1, 0
    metric = scope.metrics.get(term.metric)
    if metric is None:
        return None
    if isinstance(term, c.FormulaCountedTime):
        if not isinstance(metric, m.AvailabilityMetric):
            out.error(
                f"the counted time of {term.metric}: {term.metric} is not an availability metric",
                term.loc,
                "the counted time of an availability metric: its period less the time excluded",
            )
            return None
        return 0, 1
    return (0, 1) if metric_dimension(metric) == "duration" else (0, 0)


def _dimension_words(found: _Dimension) -> str:
    money, time = found
    parts = []
    if money:
        parts.append("money" if money == 1 else f"money to the power {money}")
    if time:
        parts.append("time" if time == 1 else f"time to the power {time}")
    return " × ".join(parts) if parts else "a plain number"


def _window(node: c.NOfLast | c.Consecutive, out: Reporter) -> None:
    """``3 of the last 6 months`` / ``3 consecutive months``: a window that can happen."""
    if isinstance(node, c.NOfLast) and not 0 < node.count <= node.of_last:
        out.error(
            f"{node.count} of the last {node.of_last} cannot happen",
            node.loc,
            "the first number is at most the second",
        )
    elif isinstance(node, c.Consecutive) and node.count < 1:
        out.error("at least 1 period", node.loc)


def _tier_values(
    condition: c.TierCondition, scope: Scope, out: Reporter, contract: k.Contract
) -> None:
    for bound in condition.bounds:
        if condition.exceedance:
            if not isinstance(bound.value, Percent):
                out.error(
                    f"the exceedance is a percentage of the target, not {describe_literal(bound.value)}",
                    bound.value.loc,
                )
            elif bound.value.value < 0:
                out.error("an exceedance is at least 0%", bound.value.loc)
        elif condition.subject in scope.metrics:
            _fit(scope.metrics[condition.subject], bound.value, out, "this bound", contract)


def _caps(clause: c.Clause, out: Reporter) -> None:
    if clause.caps and not (clause.credits or clause.penalties):
        out.warning(
            f"clause {clause.id} has a cap but no credit or penalty to cap", clause.caps[0].loc
        )
    for cap in clause.caps:
        if isinstance(cap, c.TrailingCap):
            if cap.periods < 1:
                last = out.at_word(cap.loc, "last")
                after = last.model_copy(update={"column": last.column + len("last")})
                out.error("a trailing window is at least 1 period", after, word=str(cap.periods))
            if not Decimal(0) < cap.percent.value <= Decimal(100):
                out.error(
                    f"a cap of {cap.percent} of the fees makes no sense: use more than 0% and at"
                    " most 100%",
                    cap.percent.loc,
                )
            continue
        amount = cap.amount
        if isinstance(amount, c.PercentOfFee) and not Decimal(0) < amount.percent.value <= 100:
            out.error(
                f"a cap of {amount.percent} of the fee makes no sense: use more than 0% and at"
                " most 100%",
                amount.percent.loc,
            )
        if isinstance(amount, c.FixedAmount) and amount.money.amount <= 0:
            out.error("a cap is more than zero", amount.loc)
        if isinstance(amount, c.FeeForDuration) and amount.duration.amount <= 0:
            out.error("a cap is more than zero", amount.loc)

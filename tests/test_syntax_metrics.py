"""Metrics: every kind of measure, every metric line, periods, record conditions and arithmetic.
Each construct: the model it builds; then the typical mistakes with message and location."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import obligo
from obligo.model import Duration, Money, Number, Percent, SourceLocation, without_locations
from obligo.model.base import Boolean, DateValue, Text
from obligo.model.conditions import (
    And,
    Arithmetic,
    Call,
    Compare,
    Constant,
    FieldOf,
    Member,
    Not,
    Or,
    Presence,
    Selection,
    SelectionArg,
    ValueRef,
)
from obligo.model.metrics import (
    Aggregate,
    Availability,
    AvailabilityMetric,
    BillingCyclePeriod,
    CalendarPeriod,
    Composite,
    ConsecutivePeriod,
    DurationSpec,
    MeanTimeBetweenFailures,
    MeanTimeToRepair,
    MetricBase,
    MinimumData,
    NamedValue,
    Ratio,
    RollingPeriod,
    ShareWithinTarget,
    SliceAtLeast,
    SliceAverage,
    SliceCompare,
    SliceEvery,
    SliceExists,
    SliceWithoutData,
    TargetRule,
    TotalDuration,
    written,
)

ParseOne = Callable[[str], Any]
Error = Callable[[str], obligo.ObligoError]

MONTH = CalendarPeriod(unit="month")
MEASURE = "availability, per calendar month"


def same(left: Any, right: Any) -> None:
    assert without_locations(left) == without_locations(right)


def dur(n: int | str, unit: str, business: bool = False) -> Duration:
    return Duration(amount=Decimal(str(n)), unit=unit, business=business)


def num(n: int | str) -> Number:
    return Number(value=Decimal(str(n)))


def pct(n: int | str) -> Percent:
    return Percent(value=Decimal(str(n)))


def text(value: str) -> Text:
    return Text(value=value)


def records(record_type: str, where: Any = None) -> Selection:
    return Selection(record_type=record_type, where=where)


@pytest.fixture
def measure(parse_one: ParseOne) -> Callable[[str], Any]:
    """The measure of a metric whose first line is the given text."""

    def parse(line: str) -> Any:
        return parse_one(f"metric m\n  {line}\n").measure

    return parse


@pytest.fixture
def metric(parse_one: ParseOne) -> Callable[[str], Any]:
    """A metric measured by availability per calendar month, with the given lines after it."""

    def parse(lines: str) -> Any:
        body = "".join(f"  {line}\n" for line in lines.strip("\n").split("\n"))
        return parse_one(f"metric m\n  {MEASURE}\n{body}")

    return parse


@pytest.fixture
def where(parse_one: ParseOne) -> Callable[[str], Any]:
    """The condition of a ``down during x records where ...`` line."""

    def parse(condition: str) -> Any:
        found = parse_one(f"metric m\n  {MEASURE}\n  down during x records where {condition}\n")
        return found.down_during[0].where

    return parse


# -------------------------------------------------------------------------------- measures
def test_metric_declaration(parse_one: ParseOne) -> None:
    metric = parse_one(
        'metric api-uptime "API availability"\n  availability of api, per calendar month\n'
    )
    assert (metric.id, metric.title, metric.description) == ("api-uptime", "API availability", None)
    same(metric.measure, Availability(service="api", period=MONTH))
    assert metric.period == metric.measure.period
    assert metric.loc == SourceLocation(file="test.sla", line=2, column=8)
    assert metric.measure.loc == SourceLocation(file="test.sla", line=3, column=3)
    assert metric.measure.period.loc == SourceLocation(file="test.sla", line=3, column=24)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("availability, per calendar month", Availability(period=MONTH)),
        ("availability per calendar month", Availability(period=MONTH)),
        ("availability of api per calendar month", Availability(service="api", period=MONTH)),
        (
            "availability, per calendar month, by region",
            Availability(period=MONTH, group_by=("region",)),
        ),
        (
            "100% minus the average error-rate in slices of 5 minutes, per calendar month",
            SliceAverage(
                complement_of=pct(100), value="error-rate", slice=dur(5, "min"), period=MONTH
            ),
        ),
        (
            "the average error-rate in slices of 1h, per calendar month",
            SliceAverage(value="error-rate", slice=dur(1, "h"), period=MONTH),
        ),
        (
            "ratio of good to total, per calendar month",
            Ratio(
                numerator=ValueRef(name="good"), denominator=ValueRef(name="total"), period=MONTH
            ),
        ),
        (
            "ratio of good to total, per calendar month, by tenant",
            Ratio(
                numerator=ValueRef(name="good"),
                denominator=ValueRef(name="total"),
                period=MONTH,
                group_by=("tenant",),
            ),
        ),
        (
            "count of request records, per calendar month",
            Aggregate(function="count", selection=records("request"), period=MONTH),
        ),
        (
            "sum of bytes in transfer records, per calendar month",
            Aggregate(function="sum", field="bytes", selection=records("transfer"), period=MONTH),
        ),
        (
            "mean of latency in request records, per calendar month",
            Aggregate(function="mean", field="latency", selection=records("request"), period=MONTH),
        ),
        (
            "average of latency in request records, per calendar month",
            Aggregate(function="mean", field="latency", selection=records("request"), period=MONTH),
        ),
        (
            "max of latency in request records, per calendar month",
            Aggregate(
                function="maximum", field="latency", selection=records("request"), period=MONTH
            ),
        ),
        (
            "maximum of latency in request records, per calendar month",
            Aggregate(
                function="maximum", field="latency", selection=records("request"), period=MONTH
            ),
        ),
        (
            "min of latency in request records, per calendar month",
            Aggregate(
                function="minimum", field="latency", selection=records("request"), period=MONTH
            ),
        ),
        (
            "p95 of latency_ms in request records, per calendar month",
            Aggregate(
                function="percentile",
                percentile=pct(95),
                field="latency_ms",
                selection=records("request"),
                period=MONTH,
            ),
        ),
        (
            "p99.9 of latency_ms in request records, per calendar month, by region",
            Aggregate(
                function="percentile",
                percentile=pct("99.9"),
                field="latency_ms",
                selection=records("request"),
                period=MONTH,
                group_by=("region",),
            ),
        ),
        (
            "share of ticket records within target, per calendar month, by priority",
            ShareWithinTarget(selection=records("ticket"), period=MONTH, group_by=("priority",)),
        ),
        (
            "share of ticket records within target per calendar month",
            ShareWithinTarget(selection=records("ticket"), period=MONTH),
        ),
        (
            "total duration of outage records, per calendar month",
            TotalDuration(selection=records("outage"), period=MONTH),
        ),
        (
            "mean time to repair of incident records, per calendar month",
            MeanTimeToRepair(selection=records("incident"), period=MONTH),
        ),
        (
            "mean time between failures of incident records, per calendar month",
            MeanTimeBetweenFailures(selection=records("incident"), period=MONTH),
        ),
    ],
)
def test_measures(measure: Callable[[str], Any], line: str, expected: Any) -> None:
    same(measure(line), expected)


def test_aggregate_with_condition(measure: Callable[[str], Any]) -> None:
    same(
        measure('p95 of latency in request records where service = "api", per calendar month'),
        Aggregate(
            function="percentile",
            percentile=pct(95),
            field="latency",
            selection=records("request", Compare(field="service", op="=", value=text("api"))),
            period=MONTH,
        ),
    )


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("per calendar day", CalendarPeriod(unit="day")),
        ("per calendar week", CalendarPeriod(unit="week")),
        ("per calendar month", CalendarPeriod(unit="month")),
        ("per calendar quarter", CalendarPeriod(unit="quarter")),
        ("per calendar year", CalendarPeriod(unit="year")),
        ("per billing cycle", BillingCyclePeriod()),
        (
            "per 30 days from 2026-01-01",
            ConsecutivePeriod(length=dur(30, "day"), start=dt.date(2026, 1, 1)),
        ),
        (
            "per 2 weeks from 2026-01-05",
            ConsecutivePeriod(length=dur(2, "week"), start=dt.date(2026, 1, 5)),
        ),
        ("over a rolling 30 days", RollingPeriod(length=dur(30, "day"))),
        ("over a rolling 24h", RollingPeriod(length=dur(24, "h"))),
    ],
)
def test_periods(measure: Callable[[str], Any], period: str, expected: Any) -> None:
    same(measure(f"availability, {period}").period, expected)


# ----------------------------------------------------------------------------- metric lines
def test_down_during_excluding_only(metric: Callable[[str], Any]) -> None:
    found = metric(
        """
down during incident records where service = "api" and severity <= 2
down during outage records
excluding maintenance, customer-caused
excluding holidays
only while deployment records where service = "api"
only during office hours
service api
description "uptime of the API"
"""
    )
    same(
        found.down_during,
        (
            records(
                "incident",
                And(
                    operands=(
                        Compare(field="service", op="=", value=text("api")),
                        Compare(field="severity", op="<=", value=num(2)),
                    )
                ),
            ),
            records("outage"),
        ),
    )
    assert found.excluding == ("maintenance", "customer-caused", "holidays")
    same(
        found.only_while,
        (records("deployment", Compare(field="service", op="=", value=text("api"))),),
    )
    assert found.only_during == "office"
    assert found.service == "api"
    assert found.description == "uptime of the API"
    assert found.down_during[0].loc == SourceLocation(file="test.sla", line=4, column=15)
    assert found.down_during[0].where.operands[1].loc == SourceLocation(
        file="test.sla", line=4, column=58
    )


def test_down_when_composite(metric: Callable[[str], Any]) -> None:
    found = metric("down when any of [uplink-uptime, all of [dc-a, dc-b]] is down")
    same(
        found.down_when,
        Composite(
            mode="any",
            components=("uplink-uptime", Composite(mode="all", components=("dc-a", "dc-b"))),
        ),
    )


def test_down_when_spans_lines_inside_brackets(metric: Callable[[str], Any]) -> None:
    found = metric("down when all of [\n      dc-a,\n      dc-b\n    ] is down")
    same(found.down_when, Composite(mode="all", components=("dc-a", "dc-b")))


@pytest.mark.parametrize(
    ("line", "attribution"),
    [
        ("downtime attributed to each supplier whose component was down", "each_supplier"),
        ("downtime attributed to the first cause", "first_cause"),
    ],
)
def test_attribution(metric: Callable[[str], Any], line: str, attribution: str) -> None:
    assert metric(line).attribution == attribution


def test_slices(metric: Callable[[str], Any]) -> None:
    found = metric(
        """
in slices of 1 minute
a slice is down when every zone in ["eu-1a", "eu-1b"] has probe records where ok = false
a slice is down when there are probe records where ok = false
a slice is down when at least 2 distinct zone values have probe records where up = false
a slice is down when at least 2 distinct zone values have only probe records where up = false
a slice is down when error-rate > 5%
a slice is down when error-rate >= 5% for any feature
counting only runs of at least 5 down slices
a slice without probe records is up
a slice without request records is down
a slice without heartbeat records is skipped
a slice without request records where region = "eu" has an error-rate of 0%
a slice without ping records has uptime of 100%
"""
    )
    same(found.slice, dur(1, "min"))
    ok_false = Compare(field="ok", op="=", value=Boolean(value=False))
    up_false = Compare(field="up", op="=", value=Boolean(value=False))
    same(
        found.slice_down,
        (
            SliceEvery(
                field="zone",
                values=(text("eu-1a"), text("eu-1b")),
                selection=records("probe", ok_false),
            ),
            SliceExists(selection=records("probe", ok_false)),
            SliceAtLeast(count=2, field="zone", selection=records("probe", up_false)),
            SliceAtLeast(count=2, field="zone", only=True, selection=records("probe", up_false)),
            SliceCompare(value=ValueRef(name="error-rate"), op=">", threshold=pct(5)),
            SliceCompare(
                value=ValueRef(name="error-rate"), op=">=", threshold=pct(5), for_any="feature"
            ),
        ),
    )
    assert found.minimum_run == 5
    same(
        found.slice_without,
        (
            SliceWithoutData(selection=records("probe"), rule="up"),
            SliceWithoutData(selection=records("request"), rule="down"),
            SliceWithoutData(selection=records("heartbeat"), rule="skipped"),
            SliceWithoutData(
                selection=records("request", Compare(field="region", op="=", value=text("eu"))),
                rule="value",
                value_name="error-rate",
                value=pct(0),
            ),
            SliceWithoutData(
                selection=records("ping"), rule="value", value_name="uptime", value=pct(100)
            ),
        ),
    )
    assert found.slice_without[0].record_type == "probe"


def test_slice_condition_on_a_constant(metric: Callable[[str], Any]) -> None:
    # A literal alone is a constant expression (this once failed with a pydantic error).
    found = metric("in slices of 1 min\na slice is down when 5 > 3")
    same(found.slice_down[0], SliceCompare(value=Constant(value=num(5)), op=">", threshold=num(3)))


def test_named_values_and_arithmetic(metric: Callable[[str], Any]) -> None:
    found = metric(
        """
error-rate = count(request records where status >= 500) / count(request records)
weighted = a plus b * c minus d / 2
grouped = (a plus b) * c
total = sum(bytes in transfer records)
combined = max(a, b, 3)
constant = 5
ratio = a / b / c
"""
    )
    a, b, c, d = (ValueRef(name=n) for n in "abcd")
    same(
        found.values,
        (
            NamedValue(
                name="error-rate",
                expression=Arithmetic(
                    op="divide",
                    left=Call(
                        function="count",
                        arguments=(
                            SelectionArg(
                                selection=records(
                                    "request", Compare(field="status", op=">=", value=num(500))
                                )
                            ),
                        ),
                    ),
                    right=Call(
                        function="count", arguments=(SelectionArg(selection=records("request")),)
                    ),
                ),
            ),
            NamedValue(
                name="weighted",
                expression=Arithmetic(
                    op="minus",
                    left=Arithmetic(
                        op="plus", left=a, right=Arithmetic(op="times", left=b, right=c)
                    ),
                    right=Arithmetic(op="divide", left=d, right=Constant(value=num(2))),
                ),
            ),
            NamedValue(
                name="grouped",
                expression=Arithmetic(
                    op="times", left=Arithmetic(op="plus", left=a, right=b), right=c
                ),
            ),
            NamedValue(
                name="total",
                expression=Call(
                    function="sum",
                    arguments=(FieldOf(field="bytes", selection=records("transfer")),),
                ),
            ),
            NamedValue(
                name="combined",
                expression=Call(function="max", arguments=(a, b, Constant(value=num(3)))),
            ),
            NamedValue(name="constant", expression=Constant(value=num(5))),
            NamedValue(
                name="ratio",
                expression=Arithmetic(
                    op="divide", left=Arithmetic(op="divide", left=a, right=b), right=c
                ),
            ),
        ),
    )
    assert found.values[0].loc == SourceLocation(file="test.sla", line=4, column=3)
    assert found.values[0].expression.left.loc == SourceLocation(file="test.sla", line=4, column=16)


def test_ratio_of_calls_and_constants(measure: Callable[[str], Any]) -> None:
    same(
        measure("ratio of count(r records where ok = true) to 100, per billing cycle"),
        Ratio(
            numerator=Call(
                function="count",
                arguments=(
                    SelectionArg(
                        selection=records(
                            "r", Compare(field="ok", op="=", value=Boolean(value=True))
                        )
                    ),
                ),
            ),
            denominator=Constant(value=num(100)),
            period=BillingCyclePeriod(),
        ),
    )


def test_response_time_lines(metric: Callable[[str], Any]) -> None:
    found = metric(
        """
duration from opened to responded, in office hours
target "P1" 1 hour
target "P2" 4 business hours, in office hours
target 1 business day
a record still open is late once its target has passed
at least 1000 records, otherwise no data
a period without data is met
percentile method nearest-rank
"""
    )
    # Lines of a share and of a percentile after an availability measure: parsed alike, kept
    # aside as lines its kind has no use for (the checks report them).
    assert isinstance(found, AvailabilityMetric) and found.misplaced is not None
    lines = written(found)
    same(
        lines.duration, DurationSpec(start_field="opened", end_field="responded", calendar="office")
    )
    same(
        lines.targets,
        (
            TargetRule(group="P1", limit=dur(1, "h")),
            TargetRule(group="P2", limit=dur(4, "h", business=True), calendar="office"),
            TargetRule(limit=dur(1, "day", business=True)),
        ),
    )
    assert lines.open_records == "late_once_passed"
    same(found.minimum_data, MinimumData(records=1000, otherwise="no_data"))
    assert found.without_data == "met"
    assert lines.percentile_method == "nearest-rank"


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("a record still open is left out", "open_records", "left_out"),
        ("at least 10 records, otherwise breached", "minimum_data", MinimumData(records=10, otherwise="breached")),
        ("at least 10 records, otherwise met", "minimum_data", MinimumData(records=10, otherwise="met")),
        ("a period without data is no data", "without_data", "no_data"),
        ("a period without data is breached", "without_data", "breached"),
        ("duration from start to end", "duration", DurationSpec(start_field="start", end_field="end")),
    ],
)  # fmt: skip
def test_metric_line_variants(
    metric: Callable[[str], Any], line: str, field: str, value: Any
) -> None:
    found = metric(line)
    same(getattr(found if field in MetricBase.model_fields else written(found), field), value)


@pytest.mark.parametrize("method", ["nearest-rank", "linear", "lower", "higher", "midpoint"])
def test_percentile_methods(metric: Callable[[str], Any], method: str) -> None:
    assert written(metric(f"percentile method {method}")).percentile_method == method


# ------------------------------------------------------------------------------- conditions
@pytest.mark.parametrize("op", [">=", "<=", "!=", ">", "<", "="])
def test_comparators(where: Callable[[str], Any], op: str) -> None:
    same(where(f"severity {op} 2"), Compare(field="severity", op=op, value=num(2)))


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("2", num(2)),
        ("2.50", num("2.50")),
        ("99.9%", pct("99.9")),
        ("30 min", dur(30, "min")),
        ("30m", dur(30, "min")),
        ("250 ms", dur(250, "ms")),
        ("2 business days", dur(2, "day", business=True)),
        ("100 EUR", Money(amount=Decimal("100"), currency="EUR")),
        ('"P1"', text("P1")),
        ('"say \\"hi\\""', text('say "hi"')),
        ("2026-03-01", DateValue(value=dt.date(2026, 3, 1))),
        ("true", Boolean(value=True)),
        ("false", Boolean(value=False)),
    ],
)
def test_literals(where: Callable[[str], Any], literal: str, value: Any) -> None:
    same(where(f"v = {literal}"), Compare(field="v", op="=", value=value))


@pytest.mark.parametrize(
    ("spelling", "unit"),
    [
        ("ms", "ms"), ("milliseconds", "ms"), ("s", "s"), ("sec", "s"), ("seconds", "s"),
        ("m", "min"), ("mins", "min"), ("minute", "min"), ("h", "h"), ("hr", "h"), ("hrs", "h"),
        ("hour", "h"), ("d", "day"), ("days", "day"), ("w", "week"), ("weeks", "week"),
        ("month", "month"), ("months", "month"), ("quarters", "quarter"), ("years", "year"),
    ],
)  # fmt: skip
def test_unit_spellings(where: Callable[[str], Any], spelling: str, unit: str) -> None:
    same(where(f"v = 3 {spelling}").value, dur(3, unit))
    same(where(f"v = 3{spelling}").value, dur(3, unit))


def test_condition_forms_and_precedence(where: Callable[[str], Any]) -> None:
    same(
        where('status in [500, 503] and not cause = "customer" or owner is missing'),
        Or(
            operands=(
                And(
                    operands=(
                        Member(field="status", values=(num(500), num(503))),
                        Not(operand=Compare(field="cause", op="=", value=text("customer"))),
                    )
                ),
                Presence(field="owner", present=False),
            )
        ),
    )
    same(
        where('region not in ["eu", "us"] and (a = 1 or b is present)'),
        And(
            operands=(
                Member(field="region", values=(text("eu"), text("us")), negated=True),
                Or(
                    operands=(
                        Compare(field="a", op="=", value=num(1)),
                        Presence(field="b", present=True),
                    )
                ),
            )
        ),
    )
    same(
        where("a = 1 and b = 2 and c = 3"),
        And(operands=tuple(Compare(field=f, op="=", value=num(n)) for n, f in enumerate("abc", 1))),
    )
    same(where("not not a = 1"), Not(operand=Not(operand=Compare(field="a", op="=", value=num(1)))))


def test_condition_wrapped_inside_parentheses(where: Callable[[str], Any]) -> None:
    condition = where('(service = "api"\n      and severity <= 2)')
    same(
        condition,
        And(
            operands=(
                Compare(field="service", op="=", value=text("api")),
                Compare(field="severity", op="<=", value=num(2)),
            )
        ),
    )
    assert condition.operands[1].loc == SourceLocation(file="test.sla", line=5, column=11)


@pytest.mark.parametrize(
    "field",
    ["time", "count", "status", "from", "per", "records", "in", "is", "and", "or", "where",
     "metric", "availability", "down", "the", "true", "a", "hours", "currency"],
)  # fmt: skip
def test_keywords_do_not_steal_field_names(where: Callable[[str], Any], field: str) -> None:
    same(where(f"{field} = 1"), Compare(field=field, op="=", value=num(1)))
    same(
        where(f"x = 1 and {field} = 2"),
        And(
            operands=(
                Compare(field="x", op="=", value=num(1)),
                Compare(field=field, op="=", value=num(2)),
            )
        ),
    )


@pytest.mark.parametrize("field", ["not", "Begin Time", "status code", "x-1", "records"])
def test_backtick_field_names(where: Callable[[str], Any], field: str) -> None:
    same(where(f"`{field}` = 1"), Compare(field=field, op="=", value=num(1)))


def test_keyword_words_as_record_types_and_fields_elsewhere(parse_one: ParseOne) -> None:
    found = parse_one(
        """\
        metric m
          p95 of time in from records where per = 1, per calendar month
          duration from from to to
          a slice without count records is up
        """
    )
    assert (found.measure.field, found.measure.selection.record_type) == ("time", "from")
    lines = written(found)
    same(lines.duration, DurationSpec(start_field="from", end_field="to"))
    assert lines.slice_without[0].selection.record_type == "count"


# -------------------------------------------------------------------------------- mistakes
@pytest.mark.parametrize(
    ("body", "message", "line", "column", "hint"),
    [
        pytest.param(
            "  availability, per calendar mont\n",
            '"mont" is not a calendar period', 3, 30, 'did you mean "month"?',
            id="misspelt-calendar-period",
        ),
        pytest.param(
            "  availability, per calendar fortnight\n",
            '"fortnight" is not a calendar period', 3, 30,
            "use day, week, month, quarter or year",
            id="unknown-calendar-period",
        ),
        pytest.param(
            "  availability, per month\n",
            'unexpected "month", expected', 3, 21, None,
            id="period-without-calendar",
        ),
        pytest.param(
            "  availability\n",
            'unexpected end of the line, expected ",", "of", "over" or "per"', 3, 15, None,
            id="no-period",
        ),
        pytest.param(
            "  availability, over a rolling 30\n",
            "a rolling window must be a duration, not a number", 3, 32, None,
            id="rolling-without-unit",
        ),
        pytest.param(
            "  availability, per 30 from 2026-01-01\n",
            "a period's length must be a duration, not a number", 3, 21, None,
            id="consecutive-without-unit",
        ),
        pytest.param(
            "  availability, per 30 days from 2026-02-30\n",
            '"2026-02-30" is not a date in the calendar', 3, 34, None,
            id="consecutive-impossible-date",
        ),
        pytest.param(
            "  availabilty, per calendar month\n",
            'unexpected "availabilty", expected one of "availability",', 3, 3,
            'did you mean "availability"?', id="misspelt-measure",
        ),
        pytest.param(
            "  avrage of latency in request records, per calendar month\n",
            '"avrage" is not a way to aggregate records', 3, 3, 'did you mean "average"?',
            id="misspelt-aggregate",
        ),
        pytest.param(
            "  sum of request records, per calendar month\n",
            "sum of what? name the field", 3, 3, None,
            id="sum-without-field",
        ),
        pytest.param(
            "  count of latency in request records, per calendar month\n",
            "count counts records", 3, 3, None,
            id="count-with-field",
        ),
        pytest.param(
            "  p0 of latency in request records, per calendar month\n",
            "p0 is not a percentile: use p1 to p100", 3, 3, None,
            id="percentile-zero",
        ),
        pytest.param(
            "  p101 of latency in request records, per calendar month\n",
            "p101 is not a percentile: use p1 to p100", 3, 3, None,
            id="percentile-above-100",
        ),
        pytest.param(
            "  100% minus the average error-rate in slices of 5, per calendar month\n",
            "a slice must be a duration, not a number", 3, 50, None,
            id="slice-average-without-unit",
        ),
        pytest.param(
            "  mean time to repiar of incident records, per calendar month\n",
            'unexpected "repiar", expected "repair"', 3, 16, 'did you mean "repair"?',
            id="misspelt-mttr",
        ),
        pytest.param(
            "  total duration of outage, per calendar month\n",
            'unexpected ",", expected "records"', 3, 27, None,
            id="selection-without-records",
        ),
        pytest.param(
            # Any word can name an aggregate function, so "down" reads as one (see the report).
            "  down during incident records\n",
            'unexpected "during", expected "of"', 3, 8, None,
            id="measure-line-missing",
        ),
        pytest.param(
            "",
            'unexpected end of the file, expected an indented line', 2, 9, None,
            id="metric-without-block",
        ),
    ],
)  # fmt: skip
def test_measure_mistakes(
    snippet_error: Error, body: str, message: str, line: int, column: int, hint: str | None
) -> None:
    error = snippet_error("metric m\n" + body)
    assert error.message.startswith(message), error.message
    assert (error.line, error.column) == (line, column), error
    if hint is not None:
        assert error.hint == hint


@pytest.mark.parametrize(
    ("line", "message", "column", "hint"),
    [
        pytest.param(
            "in slices of 5 minuts", '"minuts" is not a unit', 18, 'did you mean "minutes"?',
            id="misspelt-unit",
        ),
        pytest.param(
            "in slices of 5", "a slice must be a duration, not a number", 16,
            "write it with a unit, such as 30 minutes, 4 hours or 2 days",
            id="slice-without-unit",
        ),
        pytest.param(
            "in slices of 5 business weeks", "a business duration is counted in minutes, hours or days",
            27, None, id="business-weeks",
        ),
        pytest.param(
            "down during x recods", 'unexpected "recods", expected "records"', 17,
            'did you mean "records"?', id="misspelt-records",
        ),
        pytest.param(
            "down durin x records", 'unexpected "durin", expected', 8,
            'did you mean "during"?', id="misspelt-during",
        ),
        pytest.param(
            "down during x records where a == 1", 'unexpected "="', 34, None,
            id="double-equals",
        ),
        pytest.param(
            "down during x records where a => 1", 'unexpected ">"', 34, None,
            id="arrow-comparator",
        ),
        pytest.param(
            "down during x records where a = b", 'unexpected "b", expected', 35, None,
            id="field-compared-with-a-name",
        ),
        pytest.param(
            "down during x records where a =", "unexpected end of the line, expected", 34, None,
            id="comparison-without-value",
        ),
        pytest.param(
            "down during x records where a = 5 hourz", '"hourz" is not a unit', 37,
            'did you mean "hour"?', id="misspelt-unit-in-condition",
        ),
        pytest.param(
            "down during x records where a = 2026-02-30", '"2026-02-30" is not a date in the calendar',
            35, None, id="impossible-date-in-condition",
        ),
        pytest.param(
            "down during x records where a = 1 business", '"business" must be followed by a unit',
            35, None, id="business-without-unit",
        ),
        pytest.param(
            "down during x records where a in [1, 2", 'this "[" is not closed', 36,
            'close it with "]"', id="unclosed-bracket",
        ),
        pytest.param(
            "down during x records where (a = 1", 'this "(" is not closed', 31,
            'close it with ")"', id="unclosed-parenthesis",
        ),
        pytest.param(
            "down during x records where a in []", 'unexpected "]", expected', 37, None,
            id="empty-list",
        ),
        pytest.param(
            "down during x records where a is absent", 'unexpected "absent", expected', 36,
            None, id="is-absent",
        ),
        pytest.param(
            "down during x records where `unclosed = 1", 'unexpected character "`"', 31, None,
            id="unclosed-backtick",
        ),
        pytest.param(
            "down during x records where a = \"open", 'this text has no closing quote (")', 35,
            None, id="unclosed-text",
        ),
        pytest.param(
            "excluding", "unexpected end of the line, expected a name", 12, None,
            id="excluding-nothing",
        ),
        pytest.param(
            "only during office", 'unexpected end of the line, expected "hours"', 21, None,
            id="only-during-without-hours",
        ),
        pytest.param(
            "a slice without probe records is upp",
            'unexpected "upp", expected "down", "skipped" or "up"', 36,
            'did you mean "up"?', id="misspelt-slice-default",
        ),
        pytest.param(
            "a slice without probe records has an error-rate of 0", 'unexpected "0", expected',
            54, None, id="slice-value-without-percent",
        ),
        pytest.param(
            "counting only runs of at least 2.5 down slices", '"2.5" must be a whole number', 34,
            None, id="runs-not-whole",
        ),
        pytest.param(
            "at least 10.5 records, otherwise no data", '"10.5" must be a whole number', 12,
            None, id="minimum-data-not-whole",
        ),
        pytest.param(
            "at least 10 records, otherwise nothing",
            'unexpected "nothing", expected "breached", "met" or "no"', 34,
            None, id="minimum-data-bad-rule",
        ),
        pytest.param(
            "percentile method nearest", '"nearest" is not a percentile method', 21,
            'did you mean "nearest-rank"?', id="misspelt-percentile-method",
        ),
        pytest.param(
            'target "P1" 1', "a target time must be a duration, not a number", 15,
            "write it with a unit, such as 30 minutes, 4 hours or 2 days",
            id="target-without-unit",
        ),
        pytest.param(
            "target 4 hours in office hours", 'unexpected "in", expected', 18, None,
            id="target-calendar-without-comma",
        ),
        pytest.param(
            "down when any of [a, b] is up", 'unexpected "up", expected "down"', 30, None,
            id="down-when-is-up",
        ),
        pytest.param(
            "down when some of [a, b] is down", 'unexpected "of", expected "is"', 18,
            "a chain or a redundant group is `down when any of [...] is down` (or `all of`);"
            " a supplier's share of a composite is `down when METRIC is down because of"
            " SUPPLIER`",
            id="down-when-some-of",
        ),
        pytest.param(
            "downtime attributed to the last cause", 'unexpected "last", expected "first"', 30,
            None, id="attribution-last",
        ),
        pytest.param(
            "error-rate := 1", 'unexpected character ":"', 14, None, id="assignment-colon",
        ),
        pytest.param(
            "error-rate = count(request records", 'this "(" is not closed', 21,
            'close it with ")"', id="unclosed-call",
        ),
        pytest.param(
            "error-rate = a - b", 'unexpected character "-"', 18, None, id="minus-sign",
        ),
    ],
)  # fmt: skip
def test_metric_line_mistakes(
    snippet_error: Error, line: str, message: str, column: int, hint: str | None
) -> None:
    error = snippet_error(f"metric m\n  {MEASURE}\n  {line}\n")
    assert error.message.startswith(message), error.message
    assert (error.line, error.column) == (4, column), error
    if hint is not None:
        assert error.hint == hint


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("down when any of [a] is down", "down when"),
        ("downtime attributed to the first cause", "downtime attributed to"),
        ("only during office hours", "only during"),
        ("in slices of 1 min", "in slices of"),
        ("counting only runs of at least 2 down slices", "counting only runs"),
        ("duration from a to b", "duration from"),
        ("a record still open is left out", "a record still open"),
        ("at least 10 records, otherwise met", "at least ... records"),
        ("a period without data is met", "a period without data"),
        ("percentile method linear", "percentile method"),
        ("service api", "service"),
        ('description "x"', "description"),
    ],
)
def test_metric_line_given_twice(snippet_error: Error, line: str, words: str) -> None:
    error = snippet_error(f"metric m\n  {MEASURE}\n  {line}\n  {line}\n")
    assert error.message == f'"{words}" is given twice in this block'
    assert (error.line, error.column) == (5, 3)
    assert error.hint == "the first is on line 4"


def test_lines_that_may_repeat(metric: Callable[[str], Any]) -> None:
    found = metric(
        "down during a records\ndown during b records\nonly while c records\nonly while d records"
    )
    assert [s.record_type for s in found.down_during] == ["a", "b"]
    assert [s.record_type for s in found.only_while] == ["c", "d"]

"""Metrics: how a level of service is measured, over which periods, from which records."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Annotated, Any, Literal, cast

from pydantic import Discriminator, Tag

from obligo.model.base import Comparator, Duration, LiteralValue, Node, Number, Percent
from obligo.model.conditions import Expression, Selection
from obligo.model.units import in_unit

# ------------------------------------------------------------------------------------- periods


class CalendarPeriod(Node):
    """``per calendar month``: days, weeks, months, quarters or years in the contract's timezone."""

    kind: Literal["calendar"] = "calendar"
    unit: Literal["day", "week", "month", "quarter", "year"]


class BillingCyclePeriod(Node):
    """``per billing cycle``: the cycles declared with ``billing cycle`` in the contract."""

    kind: Literal["billing_cycle"] = "billing_cycle"


class ConsecutivePeriod(Node):
    """``per 30 days from 2026-01-01``: back-to-back periods of a fixed length from a date."""

    kind: Literal["consecutive"] = "consecutive"
    length: Duration
    start: dt.date


class RollingPeriod(Node):
    """``over a rolling 30 days``: a window ending at each evaluation point."""

    kind: Literal["rolling"] = "rolling"
    length: Duration


Period = CalendarPeriod | BillingCyclePeriod | ConsecutivePeriod | RollingPeriod


# ------------------------------------------------------------------------------------ measures
class Availability(Node):
    """``availability of api, per calendar month``: from down intervals, slices or components."""

    kind: Literal["availability"] = "availability"
    service: str | None = None
    period: Period
    # `, by region`: one value per region; `, by project, region`: one per pair of values
    group_by: tuple[str, ...] = ()


class SliceAverage(Node):
    """``100% minus the average error-rate in slices of 5 minutes, per calendar month``."""

    kind: Literal["slice_average"] = "slice_average"
    complement_of: Percent | None = None
    value: str
    slice: Duration
    period: Period
    group_by: tuple[str, ...] = ()  # `, by storage-class, region`: an average per group


class Ratio(Node):
    """``ratio of GOOD to TOTAL, per calendar month`` over raw events or pre-aggregated counts."""

    kind: Literal["ratio"] = "ratio"
    numerator: Expression
    denominator: Expression
    period: Period
    group_by: tuple[str, ...] = ()


AggregateFunction = Literal["count", "sum", "mean", "maximum", "minimum", "percentile"]


class Aggregate(Node):
    """``p95 of latency_ms in request records, per calendar month``; count, sum, mean, max, min."""

    kind: Literal["aggregate"] = "aggregate"
    function: AggregateFunction
    percentile: Percent | None = None
    field: str | None = None
    selection: Selection
    period: Period
    group_by: tuple[str, ...] = ()


class ShareWithinTarget(Node):
    """``share of ticket records within target, per calendar month, by priority``."""

    kind: Literal["share_within_target"] = "share_within_target"
    selection: Selection
    group_by: tuple[str, ...] = ()
    period: Period


class TotalDuration(Node):
    """``total duration of outage records, per calendar month``: the union of their intervals."""

    kind: Literal["total_duration"] = "total_duration"
    selection: Selection
    period: Period


class MeanTimeToRepair(Node):
    kind: Literal["mttr"] = "mttr"
    selection: Selection
    period: Period


class MeanTimeBetweenFailures(Node):
    kind: Literal["mtbf"] = "mtbf"
    selection: Selection
    period: Period


Measure = (
    Availability
    | SliceAverage
    | Ratio
    | Aggregate
    | ShareWithinTarget
    | TotalDuration
    | MeanTimeToRepair
    | MeanTimeBetweenFailures
)
MEASURES = (
    Availability,
    SliceAverage,
    Ratio,
    Aggregate,
    ShareWithinTarget,
    TotalDuration,
    MeanTimeToRepair,
    MeanTimeBetweenFailures,
)


# -------------------------------------------------------------------------------- metric items
class Composite(Node):
    """``any of [uplink-uptime, all of [dc-a, dc-b]]``: a chain (any) or a redundant group (all)."""

    mode: Literal["any", "all"]
    components: tuple[str | Composite, ...]


class AttributedDown(Node):
    """``down when checkout-uptime is down because of north-colo``: the end-to-end downtime of a
    composite metric that its attribution rule gives to one supplier (back-to-back agreements)."""

    metric: str
    supplier: str


class SliceCompare(Node):
    """``error-rate > 5%`` on one slice."""

    kind: Literal["compare"] = "compare"
    value: Expression
    op: Comparator
    threshold: LiteralValue
    for_any: str | None = None  # `for any feature`: the value is taken per feature in the slice


class SliceExists(Node):
    """``there are probe records where ok = false`` in the slice."""

    kind: Literal["exists"] = "exists"
    only: bool = False  # `there are only ...`: records exist and every one matches
    selection: Selection


class SliceEvery(Node):
    """``every zone in ["eu-1a", "eu-1b"] has probe records where ok = false``."""

    kind: Literal["every"] = "every"
    field: str
    values: tuple[LiteralValue, ...]
    selection: Selection


class SliceAtLeast(Node):
    """``at least 2 distinct zone values have probe records where connected = false``."""

    kind: Literal["at_least"] = "at_least"
    count: int
    field: str
    only: bool = False  # `have only ...`: every record of that value in the slice matches
    selection: Selection


SliceCondition = SliceCompare | SliceExists | SliceEvery | SliceAtLeast


class SliceWithoutData(Node):
    """What a slice without records of a selection means: up, down, skipped or a given value."""

    @property
    def record_type(self) -> str:
        return self.selection.record_type

    selection: Selection
    rule: Literal["up", "down", "skipped", "value"]
    value_name: str | None = None
    value: Percent | None = None


class NamedValue(Node):
    """``error-rate = count(...) / count(...)``: a value computed per slice or per period."""

    name: str
    expression: Expression


class DurationSpec(Node):
    """``duration from opened to responded, in office hours``."""

    start_field: str
    end_field: str
    calendar: str | None = None


class TargetRule(Node):
    """``target "P1" 1 hour`` (a group's target) or ``target 4 hours`` (every record's)."""

    group: str | None = None
    limit: Duration
    calendar: str | None = None


class PausedWhile(Node):
    """``paused while status records where status in ["on hold"], linked by ticket``: a
    record's clock stops while its latest status record (the records of the selection's type
    whose ``link`` field holds the record's id) meets the selection's condition, and runs again
    at the next one that does not."""

    selection: Selection
    link: str


class PausedBetween(Node):
    """``paused from paused_at to resumed_at``: a record's clock stops between two timestamp
    fields of its own (a pause without its end lasts until the evaluation time)."""

    start_field: str
    end_field: str


Pause = PausedWhile | PausedBetween


class MinimumData(Node):
    """``at least 1000 records, otherwise no data``."""

    records: int
    otherwise: Literal["no_data", "breached", "met"]


Attribution = Literal["each_supplier", "first_cause"]
DataRule = Literal["no_data", "breached", "met"]
OpenRecords = Literal["late_once_passed", "left_out"]


class MetricLines(Node):
    """The lines of a metric block, below its measure, that only some kinds of measure can
    have, all together and as written: what the checks and the printer read of a metric
    (:func:`written`). A metric itself holds those of its kind as fields and any other in
    :attr:`MetricBase.misplaced`."""

    down_during: tuple[Selection, ...] = ()
    down_when: Composite | None = None
    down_because: AttributedDown | None = None
    attribution: Attribution | None = None
    excluding: tuple[str, ...] = ()
    only_while: tuple[Selection, ...] = ()
    only_during: str | None = None
    slice: Duration | None = None
    slice_down: tuple[SliceCondition, ...] = ()
    minimum_run: int | None = None
    slice_without: tuple[SliceWithoutData, ...] = ()
    values: tuple[NamedValue, ...] = ()
    duration: DurationSpec | None = None
    targets: tuple[TargetRule, ...] = ()
    open_records: OpenRecords | None = None
    pauses: tuple[Pause, ...] = ()
    percentile_method: str | None = None


class MetricBase(Node):
    """A named way to measure a level of service: the fields every kind of metric has. A metric
    is one of the classes of :data:`Metric`, one per kind of measure, each with the lines its
    kind can have."""

    id: str
    title: str | None = None
    description: str | None = None
    measure: Measure
    service: str | None = None
    minimum_data: MinimumData | None = None
    without_data: DataRule | None = None
    # Lines written in the block that this kind of measure has no use for (`in slices of` in a
    # ratio metric): never measured; kept so that the checks can point at them and `obligo fmt`
    # writes them back.
    misplaced: MetricLines | None = None

    @property
    def period(self) -> Period:
        return self.measure.period

    @property
    def measured_field(self) -> str | None:
        """The log field whose numbers the metric's value is made of (``p95 of latency_ms``:
        latency_ms), so that the value is in that field's unit; None for every other measure
        (a count, a percentage, a duration measured by the engine in seconds)."""
        measure = self.measure
        if isinstance(measure, Aggregate) and measure.function != "count":
            return measure.field
        return None


class AvailabilityMetric(MetricBase):
    """``availability of api``: down time from records, slices or components, in the counted
    time (``only while``, ``only during``, without the exclusions)."""

    measure: Availability
    down_during: tuple[Selection, ...] = ()
    down_when: Composite | None = None
    down_because: AttributedDown | None = None
    attribution: Attribution | None = None
    excluding: tuple[str, ...] = ()
    only_while: tuple[Selection, ...] = ()
    only_during: str | None = None
    slice: Duration | None = None
    slice_down: tuple[SliceCondition, ...] = ()
    minimum_run: int | None = None
    slice_without: tuple[SliceWithoutData, ...] = ()
    values: tuple[NamedValue, ...] = ()


class SliceAverageMetric(MetricBase):
    """``100% minus the average error-rate in slices of 5 minutes``: a named value per slice."""

    measure: SliceAverage
    slice_without: tuple[SliceWithoutData, ...] = ()
    values: tuple[NamedValue, ...] = ()


class RatioMetric(MetricBase):
    """``ratio of GOOD to TOTAL``, whose terms may name values of the metric."""

    measure: Ratio
    values: tuple[NamedValue, ...] = ()


class AggregateMetric(MetricBase):
    """``p95 of latency_ms in request records``; count, sum, mean, maximum, minimum."""

    measure: Aggregate
    percentile_method: str | None = None


class ShareWithinTargetMetric(MetricBase):
    """``share of ticket records within target``: each record timed against its target."""

    measure: ShareWithinTarget
    duration: DurationSpec | None = None  # required: the checks report its absence
    targets: tuple[TargetRule, ...] = ()
    open_records: OpenRecords | None = None
    pauses: tuple[Pause, ...] = ()  # `paused while ...`, `paused from ... to ...`: as written


class TotalDurationMetric(MetricBase):
    """``total duration of outage records``, in the counted time."""

    measure: TotalDuration
    excluding: tuple[str, ...] = ()
    only_while: tuple[Selection, ...] = ()
    only_during: str | None = None


class MeanTimeToRepairMetric(MetricBase):
    """``mean time to repair of outage records``: wall-clock repair times."""

    measure: MeanTimeToRepair


class MeanTimeBetweenFailuresMetric(MetricBase):
    """``mean time between failures of outage records``: up time in the counted time per
    failure."""

    measure: MeanTimeBetweenFailures
    excluding: tuple[str, ...] = ()
    only_while: tuple[Selection, ...] = ()
    only_during: str | None = None


def _measure_kind(value: Any) -> str | None:
    """The discriminator of :data:`Metric`: the kind of the metric's measure."""
    measure = value.get("measure") if isinstance(value, dict) else getattr(value, "measure", None)
    kind = measure.get("kind") if isinstance(measure, dict) else getattr(measure, "kind", None)
    return kind if isinstance(kind, str) else None


Metric = Annotated[
    Annotated[AvailabilityMetric, Tag("availability")]
    | Annotated[SliceAverageMetric, Tag("slice_average")]
    | Annotated[RatioMetric, Tag("ratio")]
    | Annotated[AggregateMetric, Tag("aggregate")]
    | Annotated[ShareWithinTargetMetric, Tag("share_within_target")]
    | Annotated[TotalDurationMetric, Tag("total_duration")]
    | Annotated[MeanTimeToRepairMetric, Tag("mttr")]
    | Annotated[MeanTimeBetweenFailuresMetric, Tag("mtbf")],
    Discriminator(_measure_kind),
]
"""A metric: one class per kind of measure, told apart by the measure's ``kind``."""

CountedTimeMetric = AvailabilityMetric | TotalDurationMetric | MeanTimeBetweenFailuresMetric
"""The metrics measured in counted time: narrowed by ``only while``, ``only during`` and their
exclusions."""

METRIC_CLASSES: dict[type[Measure], type[MetricBase]] = {
    Availability: AvailabilityMetric,
    SliceAverage: SliceAverageMetric,
    Ratio: RatioMetric,
    Aggregate: AggregateMetric,
    ShareWithinTarget: ShareWithinTargetMetric,
    TotalDuration: TotalDurationMetric,
    MeanTimeToRepair: MeanTimeToRepairMetric,
    MeanTimeBetweenFailures: MeanTimeBetweenFailuresMetric,
}

_LINES = tuple(name for name in MetricLines.model_fields if name != "loc")


def build_metric(measure: Measure, lines: MetricLines, **fields: Any) -> Metric:
    """The metric of ``measure``'s kind with the lines written in its block: those its kind
    can have as its own fields, any other kept aside as :attr:`MetricBase.misplaced`."""
    cls = METRIC_CLASSES[type(measure)]
    own = {name: getattr(lines, name) for name in _LINES if name in cls.model_fields}
    rest = {
        name: value
        for name in _LINES
        if name not in own and (value := getattr(lines, name)) not in (None, ())
    }
    misplaced = MetricLines(**rest, loc=lines.loc) if rest else None
    return cast("Metric", cls(measure=measure, **own, **fields, misplaced=misplaced))


# The lines each kind of metric holds as its own fields.
_OWN = {cls: tuple(n for n in _LINES if n in cls.model_fields) for cls in METRIC_CLASSES.values()}
_NO_LINES = MetricLines()


def written(metric: MetricBase) -> MetricLines:
    """Every line of the metric's block below its measure as written, whether its kind has a
    use for it or not: what the checks judge and the printer writes."""
    names = _OWN.get(type(metric)) or tuple(n for n in _LINES if n in type(metric).model_fields)
    own = {name: getattr(metric, name) for name in names}
    own["loc"] = metric.loc
    return (metric.misplaced or _NO_LINES).model_copy(update=own)  # its fields, unvalidated


def in_field_unit(value: object, unit: str) -> Fraction | None:
    """A target or bound written against a field measured in ``unit`` (``field latency_ms in
    ms``), as a number of that unit: a plain number is already in it (``<= 250``), a duration is
    converted exactly (``<= 1 s`` is 1000); anything else (a percentage, money, a month, business
    time) cannot be related to it and is None (the checks reject it)."""
    if isinstance(value, Number):
        return Fraction(value.value)
    if isinstance(value, Duration) and value.seconds is not None:
        return in_unit(value.amount, value.unit, unit)
    return None


Composite.model_rebuild()

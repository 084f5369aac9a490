"""Metrics in words: what is measured, over which periods, from which records, and each line
of the metric's block (down time, counted time, slices, targets, the clock's pauses)."""

from __future__ import annotations

from collections.abc import Iterable

from obligo.model.metrics import (
    Aggregate,
    AggregateMetric,
    AttributedDown,
    Availability,
    AvailabilityMetric,
    Composite,
    DurationSpec,
    MeanTimeBetweenFailures,
    MeanTimeBetweenFailuresMetric,
    MeanTimeToRepair,
    MeanTimeToRepairMetric,
    MetricBase,
    MetricLines,
    MinimumData,
    NamedValue,
    PausedBetween,
    PausedWhile,
    Ratio,
    RatioMetric,
    ShareWithinTarget,
    ShareWithinTargetMetric,
    SliceAtLeast,
    SliceAverage,
    SliceAverageMetric,
    SliceCompare,
    SliceEvery,
    SliceExists,
    SliceWithoutData,
    TargetRule,
    TotalDuration,
    TotalDurationMetric,
)
from obligo.model.vocabulary import DEFAULT_PERCENTILE_METHOD
from obligo.render.document.registry import describe, prose
from obligo.render.document.words import compared, literal, plural

_DATA_RULES = {"no_data": "has no data", "breached": "is breached", "met": "is met"}


def _groups(fields: tuple[str, ...]) -> str:
    if not fields:
        return ""
    if len(fields) == 1:
        return f", measured separately for each {fields[0]}"
    return f", measured separately for each combination of {', '.join(fields)}"


@prose(Availability)
def _availability(node: Availability) -> str:
    service = f"the service {node.service}" if node.service else "the service"
    return (
        f"the share of the counted time in which {service} is up, "
        f"{describe(node.period)}{_groups(node.group_by)}"
    )


@prose(SliceAverage)
def _slice_average(node: SliceAverage) -> str:
    average = f"the average {node.value} over slices of {describe(node.slice)}"
    if node.complement_of is not None:
        average = f"{describe(node.complement_of)} minus {average}"
    return f"{average}, {describe(node.period)}{_groups(node.group_by)}"


@prose(Ratio)
def _ratio(node: Ratio) -> str:
    return (
        f"the ratio of {describe(node.numerator)} to {describe(node.denominator)}, "
        f"{describe(node.period)}{_groups(node.group_by)}"
    )


def _ordinal(rank: str) -> str:
    if rank.endswith("1") and not rank.endswith("11"):
        return f"{rank}st"
    if rank.endswith("2") and not rank.endswith("12"):
        return f"{rank}nd"
    if rank.endswith("3") and not rank.endswith("13"):
        return f"{rank}rd"
    return f"{rank}th"


@prose(Aggregate)
def _aggregate(node: Aggregate) -> str:
    records = describe(node.selection)
    if node.function == "count":
        what = f"the number of {records}"
    else:
        of = f"{node.field} in {records}" if node.field else records
        if node.function == "percentile" and node.percentile is not None:
            rank = describe(node.percentile).removesuffix("%")  # p95: the 95th
            what = f"the {_ordinal(rank)} percentile of {of}"
        else:
            word = {"maximum": "largest", "minimum": "smallest"}.get(node.function, node.function)
            what = f"the {word} of {of}"
    return f"{what}, {describe(node.period)}{_groups(node.group_by)}"


@prose(ShareWithinTarget)
def _share(node: ShareWithinTarget) -> str:
    return (
        f"the share of {describe(node.selection)} handled within their target time, "
        f"{describe(node.period)}{_groups(node.group_by)}"
    )


@prose(TotalDuration)
def _total_duration(node: TotalDuration) -> str:
    return (
        f"the total time covered by {describe(node.selection)} (time covered by several "
        f"counts once), {describe(node.period)}"
    )


@prose(MeanTimeToRepair)
def _mttr(node: MeanTimeToRepair) -> str:
    return (
        f"the mean time to repair of {describe(node.selection)}: the average time from the "
        f"start to the end of each, {describe(node.period)}"
    )


@prose(MeanTimeBetweenFailures)
def _mtbf(node: MeanTimeBetweenFailures) -> str:
    return (
        f"the mean time between failures of {describe(node.selection)}: the time up in the "
        f"counted time divided by the number of failures, {describe(node.period)}"
    )


# ------------------------------------------------------------------------------- metric lines
@prose(Composite)
def _composite(node: Composite) -> str:
    """``any of [a, all of [b, c]]``: "a is down or (b and c are all down)"."""
    if node.mode == "all" and all(isinstance(c, str) for c in node.components):
        return f"{', '.join(str(c) for c in node.components)} are all down"
    parts = [f"{c} is down" if isinstance(c, str) else f"({describe(c)})" for c in node.components]
    return (" or " if node.mode == "any" else " and ").join(parts)


@prose(AttributedDown)
def _attributed(node: AttributedDown) -> str:
    return (
        f"the service is down when {node.metric} is down because of {node.supplier}: the "
        f"end-to-end downtime of {node.metric} that its attribution rule gives to {node.supplier}"
    )


@prose(SliceCompare)
def _slice_compare(node: SliceCompare) -> str:
    each = f" for any one {node.for_any}" if node.for_any else ""
    return f"{describe(node.value)}{each} is {compared(node.op, literal(node.threshold))}"


@prose(SliceExists)
def _slice_exists(node: SliceExists) -> str:
    if node.only:
        return f"it has records of type {node.selection.record_type} and all are {describe(node.selection)}"
    return f"it has {describe(node.selection)}"


@prose(SliceEvery)
def _slice_every(node: SliceEvery) -> str:
    values = ", ".join(literal(v) for v in node.values)
    return f"every {node.field} among {values} has {describe(node.selection)} in it"


@prose(SliceAtLeast)
def _slice_at_least(node: SliceAtLeast) -> str:
    only = "only " if node.only else ""
    return (
        f"at least {node.count} distinct values of {node.field} have {only}"
        f"{describe(node.selection)} in it"
    )


@prose(SliceWithoutData)
def _slice_without(node: SliceWithoutData) -> str:
    start = f"A slice without {describe(node.selection)}"
    if node.rule == "value" and node.value is not None:
        article = "an" if (node.value_name or "")[:1] in tuple("aeiou") else "a"
        return f"{start} has {article} {node.value_name} of {describe(node.value)}."
    return f"{start} is {node.rule}."


@prose(NamedValue)
def _named_value(node: NamedValue) -> str:
    return f"{node.name} is {describe(node.expression)}."


@prose(DurationSpec)
def _duration_spec(node: DurationSpec) -> str:
    hours = (
        f", counted in the opening hours of the calendar {node.calendar}" if node.calendar else ""
    )
    return f"Each record's time runs from its {node.start_field} to its {node.end_field}{hours}."


@prose(TargetRule)
def _target(node: TargetRule) -> str:
    who = f"a record of “{node.group}”" if node.group is not None else "every record"
    hours = f", in the opening hours of the calendar {node.calendar}" if node.calendar else ""
    return f"The target time for {who} is {describe(node.limit)}{hours}."


@prose(PausedWhile)
def _paused_while(node: PausedWhile) -> str:
    return (
        f"The clock of a record stops while its latest status, among the {node.selection.record_type} "
        f"records linked to it by {node.link}, is one of {describe(node.selection)}, and runs again "
        "at the next status that is not."
    )


@prose(PausedBetween)
def _paused_between(node: PausedBetween) -> str:
    return (
        f"The clock of a record stops from its {node.start_field} to its {node.end_field} "
        "(a pause without an end lasts until the evaluation)."
    )


@prose(MinimumData)
def _minimum_data(node: MinimumData) -> str:
    return (
        f"A period with fewer than {plural(node.records, 'record')} {_DATA_RULES[node.otherwise]}."
    )


def _line_sentences(lines: MetricLines) -> Iterable[str]:
    """Each line of a metric's block as a sentence, in the order a reader needs them."""
    if lines.down_during:
        chosen = "; ".join(describe(s) for s in lines.down_during)
        yield f"The service is down while any of these records lasts: {chosen}."
    if lines.down_when is not None:
        yield f"The service is down when {describe(lines.down_when)}."
    if lines.down_because is not None:
        yield describe(lines.down_because)[0].upper() + describe(lines.down_because)[1:] + "."
    if lines.attribution == "each_supplier":
        yield "Downtime is attributed to each supplier whose component was down."
    elif lines.attribution == "first_cause":
        yield "Downtime is attributed to the first cause only."
    if lines.only_while:
        chosen = "; ".join(describe(s) for s in lines.only_while)
        yield f"Only the time while these records last is counted: {chosen}."
    if lines.only_during is not None:
        yield f"Only the opening hours of the calendar {lines.only_during} are counted."
    if lines.excluding:
        yield f"The time of these exclusions does not count against the provider: {', '.join(lines.excluding)}."
    if lines.slice is not None:
        yield f"Time is cut into slices of {describe(lines.slice)}."
    if len(lines.slice_down) == 1:
        yield f"A slice is down when {describe(lines.slice_down[0])}."
    elif lines.slice_down:  # several lines are alternatives (docs/language.md)
        said = "; ".join(describe(c) for c in lines.slice_down)
        yield f"A slice is down when any of these holds: {said}."
    if lines.minimum_run is not None:
        yield (
            f"Down slices count only in runs of at least {lines.minimum_run} down slices in a row."
        )
    yield from (describe(rule) for rule in lines.slice_without)
    yield from (describe(value) for value in lines.values)
    if lines.duration is not None:
        yield describe(lines.duration)
    yield from (describe(target) for target in lines.targets)
    if lines.open_records == "late_once_passed":
        yield "A record still open is late once its target time has passed."
    elif lines.open_records == "left_out":
        yield "A record still open is left out until it is closed."
    yield from (describe(pause) for pause in lines.pauses)
    if lines.percentile_method is not None:
        yield f"Percentiles are taken by the {lines.percentile_method} method."


@prose(MetricLines)
def _misplaced(node: MetricLines) -> str:
    """Lines this kind of metric has no use for: never measured, said so rather than hidden."""
    said = " ".join(_line_sentences(node))
    return f"Written in the contract but not used by this kind of measure (not measured): {said}"


def metric_sentences(metric: MetricBase) -> list[str]:
    """The definition of a metric, one sentence per line of its block."""
    lines = MetricLines(
        **{
            name: getattr(metric, name)
            for name in MetricLines.model_fields
            if name != "loc" and name in type(metric).model_fields
        }
    )
    measure = describe(metric.measure)
    out = [f"Measured as {measure}."]
    if metric.service is not None:
        out.append(f"It measures the service {metric.service}.")
    out += _line_sentences(lines)
    if isinstance(metric, AggregateMetric) and metric.measure.function == "percentile":
        if metric.percentile_method is None:
            out.append(f"Percentiles are taken by the {DEFAULT_PERCENTILE_METHOD} method.")
    if metric.minimum_data is not None:
        out.append(describe(metric.minimum_data))
    if metric.without_data is not None:
        out.append(f"A period without data {_DATA_RULES[metric.without_data]}.")
    if metric.misplaced is not None:
        out.append(describe(metric.misplaced))
    return out


for _kind in (
    AvailabilityMetric,
    SliceAverageMetric,
    RatioMetric,
    AggregateMetric,
    ShareWithinTargetMetric,
    TotalDurationMetric,
    MeanTimeToRepairMetric,
    MeanTimeBetweenFailuresMetric,
):
    prose(_kind)(lambda metric: " ".join(metric_sentences(metric)))

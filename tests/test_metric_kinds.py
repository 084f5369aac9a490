"""A metric is one class per kind of measure (``obligo.model.metrics.Metric``): each holds only
the lines its kind can have, so that an invalid metric cannot be built; a line written in a
block whose kind has no use for it is kept aside (``misplaced``) for the checks and the printer.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

import obligo
from obligo.model import metrics as m
from obligo.model.base import Duration
from obligo.model.conditions import Selection, ValueRef
from obligo.syntax.printer import print_contract

ROOT = Path(__file__).resolve().parents[1]
MONTH = m.CalendarPeriod(unit="month")
OUTAGES = Selection(record_type="outage")

HEAD = """\
contract c "C"
  provider p "P"
  customer k "K"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

"""

# One first line of a metric for each kind of measure, and the class it makes.
KINDS = [
    ("availability, per calendar month", m.AvailabilityMetric),
    ("100% minus the average error-rate in slices of 5 minutes, per calendar month", m.SliceAverageMetric),
    ("ratio of count(request records where ok = true) to count(request records), per calendar month", m.RatioMetric),
    ("p95 of latency_ms in request records, per calendar month", m.AggregateMetric),
    ("share of ticket records within target, per calendar month", m.ShareWithinTargetMetric),
    ("total duration of outage records, per calendar month", m.TotalDurationMetric),
    ("mean time to repair of outage records, per calendar month", m.MeanTimeToRepairMetric),
    ("mean time between failures of outage records, per calendar month", m.MeanTimeBetweenFailuresMetric),
]  # fmt: skip


def metric_of(first_line: str, *lines: str) -> Any:
    body = "".join(f"  {line}\n" for line in (first_line, *lines))
    contract = obligo.parse(HEAD + f"metric m\n{body}", filename="test.sla")
    (metric,) = contract.metrics
    return metric


@pytest.mark.parametrize(("first_line", "cls"), KINDS, ids=[c.__name__ for _, c in KINDS])
def test_each_measure_makes_its_class_of_metric(first_line: str, cls: type[Any]) -> None:
    metric = metric_of(first_line)
    assert type(metric) is cls
    assert metric.misplaced is None


# A field the kind cannot have, with a value of the field's type.
SLICE = Duration(amount=Decimal(1), unit="min")
FOREIGN = [
    (m.RatioMetric, "slice", SLICE),
    (m.AggregateMetric, "targets", (m.TargetRule(limit=SLICE),)),
    (m.AvailabilityMetric, "percentile_method", "linear"),
    (m.ShareWithinTargetMetric, "down_during", (OUTAGES,)),
    (m.MeanTimeToRepairMetric, "excluding", ("maintenance",)),
    (m.SliceAverageMetric, "slice_down", (m.SliceExists(selection=OUTAGES),)),
    (m.TotalDurationMetric, "values", ()),
    (m.MeanTimeBetweenFailuresMetric, "duration", m.DurationSpec(start_field="a", end_field="b")),
]
MEASURES: dict[type[Any], m.Measure] = {
    m.AvailabilityMetric: m.Availability(period=MONTH),
    m.SliceAverageMetric: m.SliceAverage(value="x", slice=SLICE, period=MONTH),
    m.RatioMetric: m.Ratio(
        numerator=ValueRef(name="a"), denominator=ValueRef(name="b"), period=MONTH
    ),
    m.AggregateMetric: m.Aggregate(function="count", selection=OUTAGES, period=MONTH),
    m.ShareWithinTargetMetric: m.ShareWithinTarget(selection=OUTAGES, period=MONTH),
    m.TotalDurationMetric: m.TotalDuration(selection=OUTAGES, period=MONTH),
    m.MeanTimeToRepairMetric: m.MeanTimeToRepair(selection=OUTAGES, period=MONTH),
    m.MeanTimeBetweenFailuresMetric: m.MeanTimeBetweenFailures(selection=OUTAGES, period=MONTH),
}


@pytest.mark.parametrize(
    ("cls", "field", "value"), FOREIGN, ids=[f"{c.__name__}-{f}" for c, f, _ in FOREIGN]
)
def test_a_field_the_kind_cannot_have_cannot_be_built(
    cls: type[Any], field: str, value: Any
) -> None:
    cls(id="m", measure=MEASURES[cls])  # the metric itself is fine
    with pytest.raises(ValidationError, match=field):
        cls(id="m", measure=MEASURES[cls], **{field: value})


def test_a_metric_cannot_hold_the_measure_of_another_kind() -> None:
    with pytest.raises(ValidationError):
        m.RatioMetric(id="m", measure=m.Availability(period=MONTH))
    with pytest.raises(ValidationError):
        m.MeanTimeToRepairMetric(id="m", measure=MEASURES[m.MeanTimeBetweenFailuresMetric])


def test_the_union_picks_the_class_by_the_measures_kind() -> None:
    adapter: TypeAdapter[m.Metric] = TypeAdapter(m.Metric)
    for cls, measure in MEASURES.items():
        built = adapter.validate_python({"id": "m", "measure": measure.model_dump()})
        assert type(built) is cls
    with pytest.raises(ValidationError):
        adapter.validate_python(
            {
                "id": "m",
                "measure": {"kind": "ratio", "period": MONTH.model_dump()},
                "slice": SLICE.model_dump(),
            }
        )
    with pytest.raises(ValidationError):  # no measure, no kind
        adapter.validate_python({"id": "m"})


def test_every_bundled_metric_round_trips_through_the_union() -> None:
    adapter: TypeAdapter[m.Metric] = TypeAdapter(m.Metric)
    seen: set[type[Any]] = set()
    for path in sorted((ROOT / "contracts").rglob("*.sla")):
        for metric in obligo.load(path).metrics:
            again = adapter.validate_python(metric.model_dump())
            assert type(again) is type(metric) and again == metric
            seen.add(type(metric))
    assert seen == set(MEASURES)  # the examples have every kind


def test_a_line_the_kind_has_no_use_for_is_kept_aside() -> None:
    metric = metric_of(
        KINDS[2][0], "in slices of 1 minute", "excluding maintenance", "x = count(request records)"
    )
    assert isinstance(metric, m.RatioMetric)
    assert not hasattr(metric, "slice") and not hasattr(metric, "excluding")
    assert [v.name for v in metric.values] == ["x"]  # a ratio's terms may name values
    assert metric.misplaced is not None
    assert (str(metric.misplaced.slice), metric.misplaced.excluding) == ("1 min", ("maintenance",))
    assert metric.misplaced.values == ()  # only the lines its kind cannot have
    lines = m.written(metric)  # as written: what the checks judge and the printer writes
    assert (str(lines.slice), lines.excluding, [v.name for v in lines.values]) == (
        "1 min",
        ("maintenance",),
        ["x"],
    )


def test_the_printer_writes_a_misplaced_line_back() -> None:
    text = (
        HEAD
        + "metric m\n  total duration of outage records, per calendar month\n  in slices of 5 min\n"
    )
    printed = print_contract(obligo.parse(text, filename="test.sla"))
    assert (
        "metric m\n  total duration of outage records, per calendar month\n  in slices of 5 min\n"
        in printed
    )
    assert obligo.parse(printed, filename="test.sla") == obligo.parse(text, filename="test.sla")


def test_a_misplaced_line_is_still_reported_where_it_was_written() -> None:
    text = (
        HEAD
        + "metric m\n  p95 of latency_ms in request records, per calendar month\n  target 4 hours\n"
    )
    (finding,) = obligo.check(obligo.parse(text, filename="test.sla"))
    assert (
        finding.message
        == "`target` and `duration` lines belong to a `share of ... within target` metric"
    )
    assert (finding.line, finding.column) == (9, 3)


def test_build_metric_sorts_the_lines() -> None:
    lines = m.MetricLines(down_during=(OUTAGES,), targets=(m.TargetRule(limit=SLICE),))
    metric = m.build_metric(m.Availability(period=MONTH), lines, id="m")
    assert isinstance(metric, m.AvailabilityMetric)
    assert metric.down_during == (OUTAGES,)
    assert metric.misplaced == m.MetricLines(targets=(m.TargetRule(limit=SLICE),))
    assert m.written(metric) == lines
    clean = m.build_metric(
        m.Availability(period=MONTH), m.MetricLines(down_during=(OUTAGES,)), id="m"
    )
    assert clean.misplaced is None

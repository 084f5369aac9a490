"""A measurement's evidence made when it is first read: the pooled value of a grouped metric
(MeasuredLater) and the records without effect (read by `obligo explain` only)."""

from __future__ import annotations

from fractions import Fraction

from obligo.engine.measure.measurement import Contribution, MeasuredLater, Measurement


def _made(calls: list[str]) -> Measurement:
    calls.append("made")
    made = Measurement(value=Fraction(99), dimension="percent", records=7, no_data=None)
    made.contributors_total = 3
    return made


def test_a_measurement_made_later_gives_its_own_fields_whatever_is_read_first() -> None:
    # `records` has a default (0) in the dataclass: read first, it must still be the made one.
    calls: list[str] = []
    later = MeasuredLater(lambda: _made(calls), "percent")
    assert calls == []
    assert later.dimension == "percent" and later.groups == {}
    assert calls == []
    assert later.records == 7
    assert later.contributors_total == 3
    assert later.value == Fraction(99)
    assert later.without_effect == [] and later.without_effect_total == 0
    assert calls == ["made"]


def test_records_without_effect_are_found_once_at_the_first_read() -> None:
    calls: list[str] = []
    item = Contribution(type="incident", id="INC-1", seconds=Fraction(60), detail="excluded")

    def find() -> tuple[tuple[Contribution, ...], int]:
        calls.append("found")
        return (item,), 4

    measurement = Measurement(value=None, dimension="percent")
    measurement.find_without_effect(find)
    assert calls == []
    assert measurement.without_effect == [item]
    assert measurement.without_effect_total == 4
    assert measurement.without_effect == [item]
    assert calls == ["found"]


def test_a_measurement_made_later_finds_the_records_without_effect_of_the_made_one() -> None:
    item = Contribution(type="outage", id="O-2", seconds=Fraction(30), detail="outside")

    def make() -> Measurement:
        made = Measurement(value=Fraction(50), dimension="percent")
        made.find_without_effect(lambda: ((item,), 1))
        return made

    later = MeasuredLater(make, "percent")
    assert later.without_effect_total == 1
    assert later.without_effect == [item]

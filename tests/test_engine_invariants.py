"""Invariants of availability on random logs (hypothesis).

One contract measures the same log several ways, so that one evaluation compares them: metric
``plain`` counts the base incidents; ``more`` counts them and extra ones (more downtime);
``inside`` applies exclusions that lie inside the base downtime (both treatments); ``anytime``
applies an exclusion that counts as available, anywhere. Each comes in a plain form, a form
restricted to deployed time and office hours, and rolling windows. For every period:

- availability is between 0 and 100;
- more downtime never raises it (``more <= plain``);
- excluding downtime never lowers it (``inside >= plain``);
- excluding any time never lowers it when the excluded time counts as available
  (``anytime >= plain``);
- the order of the records never changes the report.
"""

from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import obligo
from engine_helpers import evaluate

T0 = dt.datetime(2026, 3, 27, tzinfo=dt.UTC)
SPAN = 6 * 86_400
MINUTE = 60

VARIANTS = {
    "": "",
    "-d": "  only while deployment records\n  only during office hours\n",
    "-r": "",
}
PERIOD = {"": "per calendar day", "-d": "per calendar week", "-r": "over a rolling 2 days"}


def _contract() -> str:
    text = """\
contract inv "Invariants" version 1
  term 2026-03-27 to 2026-04-01
  timezone "Europe/Berlin"

calendar office "Office hours"
  monday to friday 09:00 to 17:00

exclusion inside-removed "Inside downtime, removed"
  maintenance records where kind = "inside-removed"
  excluded from the period

exclusion inside-available "Inside downtime, available"
  maintenance records where kind = "inside-available"
  counts as available

exclusion anytime "Any time, available"
  maintenance records where kind = "anytime"
  counts as available
"""
    clause = 0
    for suffix, lines in VARIANTS.items():
        period = PERIOD[suffix]
        metrics = {
            "plain": ('where kind = "base"', ""),
            "more": ("", ""),
            "inside": (
                'where kind = "base"',
                "  excluding inside-removed, inside-available\n",
            ),
            "anytime": ('where kind = "base"', "  excluding anytime\n"),
        }
        for name, (where, excluding) in metrics.items():
            clause += 1
            text += (
                f'\nmetric {name}{suffix} "{name}"\n'
                f"  availability, {period}\n"
                f"  down during incident records {where}\n"
                f"{lines}{excluding}"
                f'\nclause {clause} "{name}{suffix}"\n'
                f"  promise {name}{suffix} >= 99%\n"
            )
    return text


PARSED = obligo.parse(_contract(), filename="inv.sla")


def stamp(seconds: int) -> str:
    return (T0 + dt.timedelta(seconds=seconds)).isoformat()


@st.composite
def spans(draw: st.DrawFn, longest: int = 8 * 3600) -> tuple[int, int]:
    start = draw(st.integers(-86_400, SPAN + 86_400))
    if draw(st.booleans()):
        start -= start % MINUTE
    return start, start + draw(st.integers(0, longest))


@st.composite
def logs(draw: st.DrawFn) -> tuple[list[dict[str, Any]], int]:
    records: list[dict[str, Any]] = []
    base = draw(st.lists(spans(), min_size=1, max_size=6))
    for n, (start, end) in enumerate(base):
        record = {"type": "incident", "id": f"B-{n}", "kind": "base", "start": stamp(start)}
        if draw(st.integers(0, 7)) or n:
            record["end"] = stamp(end)
        records.append(record)
        # an exclusion inside this incident's time, of either treatment
        if draw(st.booleans()) and end > start:
            lo = draw(st.integers(start, end - 1))
            hi = draw(st.integers(lo + 1, end))
            kind = draw(st.sampled_from(["inside-removed", "inside-available"]))
            records.append(
                {"type": "maintenance", "kind": kind, "start": stamp(lo), "end": stamp(hi)}
            )
    for n, (start, end) in enumerate(draw(st.lists(spans(), max_size=4))):
        records.append(
            {
                "type": "incident",
                "id": f"X-{n}",
                "kind": "extra",
                "start": stamp(start),
                "end": stamp(end),
            }
        )
    for start, end in draw(st.lists(spans(2 * 86_400), max_size=3)):
        records.append(
            {"type": "maintenance", "kind": "anytime", "start": stamp(start), "end": stamp(end)}
        )
    for start, end in draw(st.lists(spans(3 * 86_400), min_size=1, max_size=3)):
        records.append({"type": "deployment", "start": stamp(start), "end": stamp(end)})
    at = draw(st.integers(3600, SPAN + 86_400))
    return records, at


def values(records: list[dict[str, Any]], at: int) -> dict[tuple[str, str], Fraction | None]:
    report = evaluate(PARSED, records, at=T0 + dt.timedelta(seconds=at))
    found: dict[tuple[str, str], Fraction | None] = {}
    for verdict in report.verdicts:
        value = None if verdict.value is None else Fraction(verdict.value)
        found[(verdict.metric, verdict.period.label)] = value
    return found


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(logs())
def test_availability_invariants(log: tuple[list[dict[str, Any]], int]) -> None:
    records, at = log
    found = values(records, at)
    assert found
    for (metric, label), value in found.items():
        if value is not None:
            assert 0 <= value <= 100, (metric, label, value)
        name, _, suffix = metric.partition("-")
        if name != "plain":
            continue
        tail = f"-{suffix}" if suffix else ""
        more = found[(f"more{tail}", label)]
        inside = found[(f"inside{tail}", label)]
        anytime = found[(f"anytime{tail}", label)]
        if value is None:
            # no counted time: excluding it all away leaves none either
            assert more is None and anytime is None
            continue
        assert more is not None and more <= value, (label, metric, more, value)
        # excluding all of the counted time (all of it down) leaves nothing to measure
        assert inside is None or inside >= value, (label, metric, inside, value)
        assert anytime is not None and anytime >= value, (label, metric, anytime, value)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(logs(), st.randoms(use_true_random=False))
def test_record_order_never_changes_the_report(
    log: tuple[list[dict[str, Any]], int], shuffler: random.Random
) -> None:
    records, at = log
    when = T0 + dt.timedelta(seconds=at)
    first = evaluate(PARSED, records, at=when)
    shuffled = list(records)
    shuffler.shuffle(shuffled)
    second = evaluate(PARSED, shuffled, at=when)
    assert first.model_dump_json() == second.model_dump_json()

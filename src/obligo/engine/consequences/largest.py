"""One credit for one stretch of time: ``credit only the largest with clauses 2, 3 for the same
time``.

The clause and the clauses it names (and those that name it: the relation is symmetric and
joins every clause it links) are one group. In each period, the credits of a group's clauses for
failures over overlapping times are not added up: only the largest is owed, the others become
0.00, each with a step in its ``caps[]`` (kind ``largest``) that says which credit was larger
and where the failures overlap. Credits are compared after the caps per period and the shared
caps (the credit of the clause for that period), before the trailing and term caps.

A clause's failure in a period is the time of the records its metrics read (the records with a
start and an end of the selections of the metrics of its promises, else of its credit lines)
within the period; a metric that reads no record with a duration (a ratio of requests, a
percentile) fails over the whole period. Two credits are for the same stretch of time when
their failures overlap, directly or through a third (the groups of overlap are joined).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction

from obligo.engine.context import EvaluationContext
from obligo.model import clauses as c
from obligo.model import conditions as k
from obligo.model import metrics as m
from obligo.model.base import walk
from obligo.syntax import printer

from .lines import Entry, money
from .values import CapApplied

Interval = tuple[dt.datetime, dt.datetime]


def _joined(clauses: Iterable[c.Clause]) -> dict[str, int]:
    """Each clause linked by ``credit only the largest with ...`` -> the number of its group."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for clause in clauses:
        if clause.largest_only is None:
            continue
        for other in clause.largest_only.clauses:
            parent[root(other)] = root(clause.id)
    roots = sorted({root(x) for x in parent})
    return {x: roots.index(root(x)) for x in parent}


class Largest:
    def __init__(self, ctx: EvaluationContext, clauses: dict[str, tuple[int, c.Clause]]) -> None:
        self.ctx = ctx
        self.clauses = clauses
        self.group = _joined(clause for _, clause in clauses.values())
        self._stretches: dict[tuple[str, dt.datetime, dt.datetime], list[Interval]] = {}

    def apply(self, step: list[Entry]) -> None:
        if not self.group:
            return
        together: dict[tuple[int, str, dt.datetime], list[Entry]] = {}
        for entry in step:
            number = self.group.get(entry.clause.id)
            if entry.kind != "credit" or number is None:
                continue
            key = (number, entry.period.label, entry.period.start)
            together.setdefault(key, []).append(entry)
        for entries in together.values():
            known = [e for e in entries if e.after is not None and e.after > 0]
            if len({e.clause.id for e in known}) < 2:
                continue
            for part in self._overlapping(known):
                self._largest_only(part)

    # --------------------------------------------------------------------------- helpers
    def _overlapping(self, entries: list[Entry]) -> list[list[Entry]]:
        """The entries joined by overlapping failures (directly or through others)."""
        stretch = {id(e): self._stretch(e) for e in entries}
        parts: list[list[Entry]] = []
        for entry in entries:
            touching = [
                p for p in parts if any(_overlap(stretch[id(entry)], stretch[id(o)]) for o in p)
            ]
            merged = [entry]
            for part in touching:
                merged = part + merged
                parts.remove(part)
            parts.append(merged)
        return [sorted(p, key=lambda e: e.order) for p in parts]

    def _largest_only(self, part: list[Entry]) -> None:
        if len({e.clause.id for e in part}) < 2:
            return
        # The largest; of equal credits, that of the clause written first.
        keep = max(part, key=lambda e: (e.after or Fraction(0), -e.order))
        currency = keep.currency or "?"
        assert keep.after is not None
        for entry in part:
            if entry.clause.id == keep.clause.id or entry.after is None:
                continue
            node = (
                entry.clause.largest_only
                or keep.clause.largest_only
                or self._stated_by_other(entry, keep)
            )
            if node is None:  # pragma: no cover - a group is made of the lines that state it
                continue
            overlap = _overlap_text(self._stretch(entry), self._stretch(keep), self.ctx.tz)
            words = (
                f"clause {keep.clause.id} gives {money(keep.after, currency)} for failures over the"
                f" same time in {entry.period.label} ({overlap}): only the largest credit is owed"
            )
            entry.caps.append(
                CapApplied(
                    cap=printer.largest_only(node.clauses),
                    kind="largest",
                    loc=node.loc,
                    limit=Fraction(0),
                    before=entry.after,
                    after=Fraction(0),
                    bound=True,
                    arithmetic=words,
                )
            )
            entry.after = Fraction(0)

    def _stated_by_other(self, entry: Entry, keep: Entry) -> c.LargestOnly | None:
        for _, clause in sorted(self.clauses.values(), key=lambda item: item[0]):
            node = clause.largest_only
            if node is not None and {entry.clause.id, keep.clause.id} & {clause.id, *node.clauses}:
                return node
        return None

    def _stretch(self, entry: Entry) -> list[Interval]:
        """The failure of the entry's clause in its period: merged intervals."""
        period = entry.period
        key = (entry.clause.id, period.start, period.end)
        if key not in self._stretches:
            found: list[Interval] = []
            for metric in self._metrics(entry.clause):
                found += self._metric_stretch(metric, period.start, period.end)
            self._stretches[key] = _merged(found)
        return self._stretches[key]

    def _metrics(self, clause: c.Clause) -> list[m.Metric]:
        """What fails: the metrics of the clause's promises; without promises, those of its
        credit lines (a formula's divisor, such as the scheduled time, is no failure)."""
        names: list[str] = [o.metric for o in clause.promises]
        if names:
            return [self.ctx.metric(n) for n in dict.fromkeys(names)]
        for credit in clause.credits:
            if isinstance(credit, c.CreditTable):
                names += [t.condition.subject for t in credit.tiers if t.condition.subject]
            elif isinstance(credit, c.CreditFormula):
                names.append(credit.per.metric)
            else:
                names += c.formula_metrics(credit.formula)
        return [self.ctx.metric(n) for n in dict.fromkeys(names)]

    def _metric_stretch(
        self, metric: m.Metric, start: dt.datetime, end: dt.datetime
    ) -> list[Interval]:
        intervals: list[Interval] = []
        for node in walk(metric):
            if not isinstance(node, k.Selection):
                continue
            for record in self.ctx.records(node):
                if record.start is None or record.end is None:
                    continue
                low, high = max(record.start, start), min(record.end, end)
                if low < high:
                    intervals.append((low, high))
        if not intervals and not _reads_intervals(metric):
            return [(start, end)]  # no durations read: the whole period
        return intervals


def _reads_intervals(metric: m.Metric) -> bool:
    """Whether the metric measures records with a duration (its failure is their time)."""
    return isinstance(
        metric.measure,
        m.Availability | m.TotalDuration | m.MeanTimeToRepair | m.MeanTimeBetweenFailures,
    )


def _merged(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for low, high in sorted(intervals):
        if out and low <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], high))
        else:
            out.append((low, high))
    return out


def _overlap(a: list[Interval], b: list[Interval]) -> bool:
    return any(x0 < y1 and y0 < x1 for x0, x1 in a for y0, y1 in b)


def _overlap_text(a: list[Interval], b: list[Interval], tz: dt.tzinfo) -> str:
    for x0, x1 in a:
        for y0, y1 in b:
            if x0 < y1 and y0 < x1:
                low, high = max(x0, y0), min(x1, y1)
                return (
                    f"both failing from {low.astimezone(tz):%Y-%m-%d %H:%M} to"
                    f" {high.astimezone(tz):%Y-%m-%d %H:%M}"
                )
    return "overlapping"

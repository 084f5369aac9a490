"""``obligo explain``: one verdict and its money, step by step, made from the evaluation's own
values (the engine's judged objective, its measurement and what the clause owes, assembled as
the report assembles them). Nothing here decides a verdict or an amount again: the arithmetic
shown is written only when it gives back the engine's own value exactly.

What a user names (a clause, a period, a group) is looked up among what the evaluation judged;
one that is not there is an error listing those that are, with the nearest as a suggestion.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from obligo.engine.consequences.rules import in_tier
from obligo.engine.judge.history import Judged
from obligo.engine.judge.verdicts import compare
from obligo.engine.measure.measurement import KEPT, Contribution, Measurement
from obligo.engine.numbers import decimal_text
from obligo.engine.run import left_out as omitted
from obligo.engine.run.evaluation import Evaluation
from obligo.errors import ObligoError
from obligo.model import clauses as c
from obligo.model.base import SourceLocation
from obligo.model.contract import Exclusion
from obligo.report import consequences as owed
from obligo.report.assemble import _contributor, verdict
from obligo.report.base import Location, Quantity, ReportNode
from obligo.report.evaluation import group_fields
from obligo.report.model import (
    Consequence,
    ContractRef,
    Contributor,
    Group,
    InputAccount,
    Verdict,
)
from obligo.syntax import printer
from obligo.syntax.lines import split_lines

__all__ = [
    "KEPT",
    "DeclarationText",
    "ExcludedBy",
    "ExcludedRecord",
    "Explanation",
    "FailedCondition",
    "FieldValue",
    "LeftOut",
    "LeftOutRecord",
    "Objective",
    "TierShown",
    "explanation",
    "group_text",
    "judged_for",
    "parse_group",
]


class DeclarationText(ReportNode):
    """A declaration of the contract as written (its lines, comments included) and where."""

    name: str
    location: Location
    text: str


class TierShown(ReportNode):
    """A tier of the clause's table, whether it was the one given, and why (or why not)."""

    rule: str
    location: Location
    chosen: bool
    why: str


class FieldValue(ReportNode):
    """A record's value of a field, written as a contract writes a value (``"web"``, ``3``,
    ``true``, a time in the contract's timezone); None: the record has no such field."""

    field: str
    value: str | None


class FailedCondition(ReportNode):
    """A condition of the metric's ``where``, as written, that a record fails, and the
    record's values of the fields it reads."""

    condition: str
    values: list[FieldValue] = []


class LeftOutRecord(ReportNode):
    """A record of a type the metric reads that it did not count, and why: it fails the
    ``where`` (``failed``), it counts for another group (``group``: its values), the metric
    places it outside the period (``time``: where it places it, by ``placed_by`` when that
    is a field of the log), or the loader rejected its line (``detail``)."""

    reason: Literal["where", "group", "period", "rejected"]
    type: str | None = None
    id: str | None = None
    time: dt.datetime | None = None
    end: dt.datetime | None = None
    seconds: Quantity | None = None
    source: str | None = None
    line: int | None = None
    failed: list[FailedCondition] = []
    group: list[FieldValue] = []
    placed_by: str | None = None
    detail: str | None = None
    # outside the period: before, after, after the evaluation time, after the end of the term
    # (None: without a time to place it by)
    side: Literal["before", "after", "after_evaluation", "after_term"] | None = None


class ExcludedRecord(ReportNode):
    """A record of an exclusion the metric applies, accepted, and the time it took out of the
    period (``start`` to ``end``: the first and last instant of it in the period)."""

    exclusion: str
    type: str
    id: str | None = None
    start: dt.datetime
    end: dt.datetime
    seconds: Quantity


class ExcludedBy(ReportNode):
    """A record read in the period that added nothing (``without_effect``) and the exclusions
    whose accepted time in the period overlaps it."""

    type: str
    id: str | None = None
    start: dt.datetime
    exclusions: list[str]


class LeftOut(ReportNode):
    """The records of the types the metric reads (``selections``, as written) that it did not
    count, from the start of the period before to the end of the period after: how many for each
    reason, the first ``KEPT`` (those in the period first, the longest first; then those
    outside it, the nearest first; then the rejected lines); and the records of its
    exclusions that took time out of the period, the largest first (at most ``KEPT``)."""

    window_start: dt.datetime
    window_end: dt.datetime
    selections: list[str]
    counts: dict[str, int]
    total: int
    records: list[LeftOutRecord] = []
    excluded: list[ExcludedRecord] = []
    excluded_total: int = 0
    excluded_by: list[ExcludedBy] = []


class Objective(ReportNode):
    """One promise of the clause in the period (and group): the verdict as the report shows
    it, the metric as written, the arithmetic of its value, every contributor the measurement
    kept (the largest ``KEPT``) and how many there were."""

    verdict: Verdict
    metric: DeclarationText
    exclusions: list[DeclarationText] = []
    arithmetic: list[str]
    contributors: list[Contributor] = []
    contributors_total: int = 0
    # Records the measure read in the period that added nothing, with the reason (the engine's
    # own: `Measurement.without_effect`), at most KEPT, and how many there were.
    without_effect: list[Contributor] = []
    without_effect_total: int = 0
    # The records of the metric's types that it did not count, with the reason (None: not
    # looked for, as by a program that builds an explanation from an evaluation alone).
    left_out: LeftOut | None = None


class Explanation(ReportNode):
    """How one clause's verdict in one period (and group) and its money came about."""

    contract: ContractRef
    customer: str | None = None
    service: str | None = None
    evaluated_at: dt.datetime
    timezone: str
    clause: DeclarationText
    period: str
    group: Group | None = None
    objectives: list[Objective]
    consequences: list[Consequence] = []
    tiers: list[TierShown] = []
    # Every line of the logs accounted for: used, outside every period, not read by the
    # contract, rejected (the records no selection of the contract reads are among them).
    inputs: list[InputAccount] = []


def parse_group(written: str) -> Group:
    """``--group``: a single field's group as its bare value (``eu-west-1``), a group of several
    fields as ``field=value,...`` (``region=eu-west-1,project=p1``), the report's object."""
    if "=" not in written:
        return written
    found: dict[str, str] = {}
    for part in written.split(","):
        name, sep, value = part.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            raise ObligoError(
                f"--group {written!r}: write a group as its value, or as field=value,...",
                hint="e.g. --group eu-west-1 or --group region=eu-west-1,project=p1",
            )
        if name in found:
            raise ObligoError(f"--group {written!r}: the field {name} is named twice")
        found[name] = value
    return found


def group_text(group: Group | None) -> str:
    """A group as ``--group`` takes it: its value, or ``region=eu-west-1,project=p1``."""
    if group is None:
        return ""
    if isinstance(group, str):
        return group
    return ",".join(f"{name}={value}" for name, value in group.items())


def _same_group(shown: Group | None, wanted: Group) -> bool:
    if isinstance(shown, dict) and isinstance(wanted, dict):
        return shown == wanted
    if isinstance(shown, dict) and isinstance(wanted, str):
        return False  # a group of several fields is named by its fields
    if isinstance(shown, str) and isinstance(wanted, dict):
        return len(wanted) == 1 and next(iter(wanted.values())) == shown
    return shown == wanted


def _unknown(
    what: str, given: str, known: Sequence[str], file: str, where: str, hint: str | None = None
) -> ObligoError:
    close = difflib.get_close_matches(given, list(known), n=1, cutoff=0.5)
    # groups of several fields hold commas: listed apart by semicolons
    listed = ("; " if what == "group" else ", ").join(known) if known else "none"
    hint = hint or (f'did you mean "{close[0]}"?' if close else None)
    return ObligoError(f"no {what} {given} {where}: there are {listed}", file=file, hint=hint)


def judged_for(
    evaluation: Evaluation, clause: str, period: str, group: Group | None
) -> list[Judged]:
    """The objectives of ``clause`` judged in ``period`` (and ``group``): an error listing
    those evaluated, the nearest as a suggestion, when one of them is not there."""
    agreement = evaluation.agreement
    file = agreement.contract.loc.file
    judged = list(evaluation.judged)
    clauses = list(dict.fromkeys(j.clause.id for j in judged))
    if clause not in clauses:
        raise _unknown("clause", clause, clauses, file, f"with a promise in {agreement.id}")
    of_clause = [j for j in judged if j.clause.id == clause]
    labels = list(dict.fromkeys(j.period.label for j in of_clause))
    if period not in labels:
        raise _unknown("period", period, labels, file, f"of clause {clause}")
    in_period = [j for j in of_clause if j.period.label == period]
    zone = evaluation.at.tzinfo
    shown = [(j, verdict(j, zone)) for j in in_period]
    groups = list(dict.fromkeys(group_text(v.group) for _, v in shown if v.group is not None))
    if group is None:
        if len(groups) > 1:
            raise ObligoError(
                f"clause {clause} is judged per group in {period}: name one with --group",
                file=file,
                hint=f"its groups: {'; '.join(groups)}",
            )
    else:
        in_shown = shown
        shown = [(j, v) for j, v in shown if _same_group(v.group, group)]
        if not shown:
            several = any(isinstance(v.group, dict) for _, v in in_shown)
            raise _unknown(
                "group",
                group_text(group),
                groups,
                file,
                f"of clause {clause} in {period}",
                "a group of several fields is named field=value,...: region=eu,project=p1"
                if several and isinstance(group, str)
                else None,
            )
    return [j for j, _ in shown]


#: What was left out of one objective's measurement, by its metric and group key.
LeftOutFound = Mapping[tuple[str, str | None], omitted.LeftOut]


def explanation(
    evaluation: Evaluation,
    clause: str,
    period: str,
    group: Group | None,
    texts: Callable[[str], str | None],
    *,
    customer: str | None = None,
    service: str | None = None,
    inputs: Sequence[InputAccount] = (),
    left_out: LeftOutFound | None = None,
) -> Explanation:
    """The explanation of ``clause`` in ``period`` (and ``group``) from an evaluation of every
    period (``texts``: a contract file's text by its name, None when it cannot be read;
    ``left_out``: what :func:`obligo.engine.run.left_out.left_out` found for its objectives,
    read while the log was open)."""
    agreement = evaluation.agreement
    zone = evaluation.at.tzinfo
    shown = [(j, verdict(j, zone)) for j in judged_for(evaluation, clause, period, group)]
    chosen_group = shown[0][1].group
    the_clause = shown[0][0].clause
    tz = evaluation.tz
    fields = group_fields(agreement, the_clause)
    money = [
        owed.consequence(o, tz, fields)
        for o in evaluation.owed
        if o.clause.id == clause and o.period.label == period
    ]
    money = [m for m in money if m.group is None or m.group == chosen_group]
    contract = agreement.contract
    found = left_out or {}
    return Explanation(
        contract=ContractRef(id=contract.id, version=contract.version, title=contract.title),
        customer=customer,
        service=service,
        evaluated_at=evaluation.at,
        timezone=tz.key,
        clause=_declaration(the_clause.id, the_clause.loc, texts),
        period=period,
        group=chosen_group,
        objectives=[
            _objective(
                j,
                v,
                agreement.exclusions,
                texts,
                zone,
                found.get((j.metric.id, j.group)),
            )
            for j, v in shown
        ],
        consequences=money,
        tiers=_tiers(the_clause, [j for j, _ in shown], money),
        inputs=list(inputs),
    )


def _declaration(
    name: str, loc: SourceLocation, texts: Callable[[str], str | None]
) -> DeclarationText:
    """A declaration's lines as written: its first line and every indented (or blank) line
    after it, up to the next declaration; trailing blank lines left out."""
    file, line, column = loc.file, loc.line, loc.column
    text = texts(file)
    written = ""
    if text is not None:
        lines = split_lines(text)
        taken = [lines[line - 1].rstrip("\r\n")] if 0 < line <= len(lines) else []
        for following in lines[line:] if taken else []:
            body = following.rstrip("\r\n")
            if body and not body[0].isspace():
                break
            taken.append(body)
        while taken and not taken[-1].strip():
            taken.pop()
        written = "\n".join(taken)
    return DeclarationText(
        name=name, location=Location(file=file, line=line, column=column), text=written
    )


def _objective(
    judged: Judged,
    shown: Verdict,
    exclusions: Mapping[str, Exclusion],
    texts: Callable[[str], str | None],
    zone: dt.tzinfo | None,
    left_out: omitted.LeftOut | None = None,
) -> Objective:
    measurement = judged.measurement
    metric = judged.metric
    excluding: tuple[str, ...] = getattr(metric.measure, "excluding", ())
    kept = _largest(measurement.contributors)
    return Objective(
        verdict=shown,
        metric=_declaration(metric.id, metric.loc, texts),
        exclusions=[
            _declaration(name, exclusions[name].loc, texts)
            for name in excluding
            if name in exclusions
        ],
        arithmetic=arithmetic(judged),
        contributors=[_contributor(item, zone) for item in kept],
        contributors_total=(
            measurement.contributors_total
            if measurement.contributors_total is not None
            else len(measurement.contributors)
        ),
        without_effect=[_contributor(item, zone) for item in measurement.without_effect],
        without_effect_total=measurement.without_effect_total,
        left_out=None if left_out is None else _left_out(left_out, zone),
    )


def _left_out(found: omitted.LeftOut, zone: dt.tzinfo | None) -> LeftOut:
    """What the engine found left out, as the explanation shows it: times in ``zone``."""
    return LeftOut(
        window_start=found.window_start.astimezone(zone),
        window_end=found.window_end.astimezone(zone),
        selections=list(found.selections),
        counts=dict(found.counts),
        total=found.total,
        records=[
            LeftOutRecord(
                reason=item.reason,
                type=item.type,
                id=item.id,
                time=_in(item.time, zone),
                end=_in(item.end, zone),
                seconds=None if item.seconds is None else Decimal(decimal_text(item.seconds)),
                source=item.source,
                line=item.line,
                failed=[
                    FailedCondition(
                        condition=f.condition,
                        values=[_value(name, v, zone) for name, v in f.values],
                    )
                    for f in item.failed
                ],
                group=[_value(name, v, zone) for name, v in item.group],
                placed_by=item.placed_by,
                detail=item.detail,
                side=item.side,
            )
            for item in found.records
        ],
        excluded=[
            ExcludedRecord(
                exclusion=e.exclusion,
                type=e.type,
                id=e.id,
                start=e.start.astimezone(zone),
                end=e.end.astimezone(zone),
                seconds=Decimal(decimal_text(e.seconds)),
            )
            for e in found.excluded
        ],
        excluded_total=found.excluded_total,
        excluded_by=[
            ExcludedBy(
                type=e.type, id=e.id, start=e.start.astimezone(zone), exclusions=list(e.exclusions)
            )
            for e in found.excluded_by
        ],
    )


def _in(when: dt.datetime | None, zone: dt.tzinfo | None) -> dt.datetime | None:
    return None if when is None else when.astimezone(zone)


def _value(name: str, value: Any, zone: dt.tzinfo | None) -> FieldValue:
    """A log value as a contract writes one: a text quoted, a number in decimals, a time in
    the contract's timezone."""
    if value is None:
        return FieldValue(field=name, value=None)
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int | Decimal | Fraction):
        text = decimal_text(Fraction(value))
    elif isinstance(value, dt.datetime):
        text = value.astimezone(zone).isoformat()
    elif isinstance(value, str):
        text = printer.quoted(value)
    else:
        text = str(value)
    return FieldValue(field=name, value=text)


_LAST = dt.datetime.max.replace(tzinfo=dt.UTC)


def _largest(contributors: list[Contribution]) -> list[Contribution]:
    """The ``KEPT`` largest contributors in the report's order (by seconds, ties by time then
    id); those without a size keep the order the measure ranked them in."""
    if not all(item.seconds is not None for item in contributors):
        return contributors[:KEPT]

    def key(item: Contribution) -> tuple[Fraction, dt.datetime, str]:
        return (-(item.seconds or Fraction(0)), item.start or _LAST, item.id or "")

    return sorted(contributors, key=key)[:KEPT]


def _n(value: Fraction | int) -> str:
    return decimal_text(value)


def arithmetic(judged: Judged) -> list[str]:
    """The steps from the measurement's totals to its value, then to the verdict. A step is
    written only when it gives back the engine's value exactly; else the totals are listed as
    the engine kept them."""
    m: Measurement = judged.measurement
    steps: list[str] = []
    derived = False  # a step gave back the engine's value exactly
    value = m.value
    totals = {k: Fraction(v) for k, v in m.totals.items()}
    if value is None:
        steps.append(f"no value: {judged.reason or m.no_data or 'no data'}")
    elif {"period_seconds", "counted_seconds", "down_seconds"} <= totals.keys():
        period, counted, down = (
            totals["period_seconds"],
            totals["counted_seconds"],
            totals["down_seconds"],
        )
        excluded = totals.get("excluded_seconds", Fraction(0))
        so_far = " so far" if judged.status == "pending" else ""
        if period - excluded == counted:
            steps.append(
                f"counted time = {_n(period)} s in the period{so_far} - {_n(excluded)} s"
                " excluded"
                f" = {_n(counted)} s"
            )
        else:
            steps.append(
                f"counted time = {_n(counted)} s of the period's {_n(period)} s: {_n(excluded)} s"
                " excluded, the rest outside the time the metric counts (only while, only during)"
            )
        if "counted_as_available_seconds" in totals:
            steps.append(
                f"{_n(totals['counted_as_available_seconds'])} s of it counted as available"
            )
        if counted and (counted - down) / counted * 100 == value:
            derived = True
            steps.append(
                f"availability = ({_n(counted)} s - {_n(down)} s down) / {_n(counted)} s x 100"
                f" = {_n(value)}%"
            )
    elif {"good", "total"} <= totals.keys() and totals["total"]:
        good, whole = totals["good"], totals["total"]
        if good / whole * 100 == value:
            derived = True
            steps.append(f"ratio = {_n(good)} / {_n(whole)} x 100 = {_n(value)}%")
    elif {"within", "late"} <= totals.keys():
        within, late = totals["within"], totals["late"]
        if within + late and within / (within + late) * 100 == value:
            derived = True
            steps.append(
                f"share within target = {_n(within)} / ({_n(within)} within + {_n(late)} late)"
                f" x 100 = {_n(value)}%"
            )
    if value is not None and not derived:
        listed = ", ".join(f"{k} {_n(v)}" for k, v in sorted(totals.items()))
        steps.append(f"value = {judged.value_text()}" + (f" (from {listed})" if listed else ""))
    if m.records:
        steps.insert(0, f"{m.records} record{'s' if m.records != 1 else ''} read in the period")
    if value is not None and judged.target is not None:
        steps.append(
            f"{judged.value_text()} {judged.objective.op} {judged.value_of(judged.target)}"
            f" is {_truth(judged)}: {judged.status.replace('_', ' ')}"
        )
    elif judged.reason and value is not None:
        steps.append(f"{judged.status.replace('_', ' ')}: {judged.reason}")
    return steps


def _truth(judged: Judged) -> str:
    if judged.status == "pending":
        return "so far " + ("kept" if _kept(judged) else "not kept") + ", the period is not over"
    return "kept" if judged.status == "met" else "not kept"


def _kept(judged: Judged) -> bool:
    assert judged.value is not None and judged.target is not None
    return bool(compare(judged.value, judged.objective.op, judged.target))


def _tiers(clause: c.Clause, judged: list[Judged], money: list[Consequence]) -> list[TierShown]:
    """Each tier of the clause's credit tables: given or not, and why."""
    given = {line.rule for m in money for line in m.lines}
    values = {j.metric.id: j for j in judged}
    found: list[TierShown] = []
    for credit in clause.credits:
        if not isinstance(credit, c.CreditTable):
            continue
        for tier in credit.tiers:
            rule = printer.tier(tier)
            subject = values.get(tier.condition.subject or "")
            holds: bool | None = None
            if subject is not None and subject.value is not None and not tier.condition.exceedance:
                holds = in_tier(subject.value, tier.condition, subject.dimension)
            chosen = rule in given
            measured = f" ({subject.value_text()})" if subject is not None else ""
            if chosen:
                why = f"given: its condition holds{measured}" + (
                    ", and the table is cumulative: every tier that holds is given"
                    if credit.cumulative
                    else ", the worst tier that does (the tiers run from the mildest)"
                )
            elif not money:
                why = (
                    f"its condition holds{measured}; "
                    if holds
                    else f"its condition does not hold{measured}; "
                    if holds is False
                    else ""
                ) + (
                    "a baseline period: measured and judged, without consequences"
                    if any(j.baseline for j in judged)
                    else "nothing is owed in this period"
                )
            elif holds:
                why = f"its condition holds{measured}, but a worse tier was given"
            elif holds is False:
                why = f"its condition does not hold{measured}"
            else:
                why = "not given"
            found.append(
                TierShown(
                    rule=rule,
                    location=Location(
                        file=clause.loc.file, line=tier.loc.line, column=tier.loc.column
                    ),
                    chosen=chosen,
                    why=why,
                )
            )
    return found

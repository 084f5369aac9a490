"""Structure: each metric says enough to be measured, each clause enough to be judged."""

from __future__ import annotations

from obligo.checks.reporter import Reporter, Scope
from obligo.model import clauses as c
from obligo.model import contract as k
from obligo.model import metrics as m
from obligo.model.base import SourceLocation, without_locations


def check_structure(contract: k.Contract, scope: Scope, out: Reporter) -> None:
    _levels(contract, out)
    for metric in contract.metrics:
        _metric(metric, out)
    for clause in contract.clauses:
        _clause(clause, scope, out)
    _services(contract, out)


def _levels(contract: k.Contract, out: Reporter) -> None:
    if contract.level is not None and contract.kind not in (None, "multi-level"):
        out.error(
            f"a {contract.kind} agreement has no levels",
            contract.level.loc,
            "levels belong to `kind multi-level`",
        )
    if contract.kind == "multi-level" and contract.level is None:
        out.error(
            "a multi-level agreement says which level this file is",
            contract.loc,
            "add `level corporate`, `level customer NAME` or `level service NAME`",
        )
    if contract.level is not None and contract.level.level != "corporate" and not contract.imports:
        out.warning(
            f"a {contract.level.level} level that imports no higher level",
            contract.level.loc,
            'import the level above: import "corporate.sla"'
            if contract.level.level == "customer"
            else 'import its customer level, such as: import "globex.sla"',
        )


def _metric(metric: m.Metric, out: Reporter) -> None:
    lines = m.written(metric)  # as written: a line its kind cannot have is reported
    measure = metric.measure
    sources = (
        bool(lines.down_during)
        + bool(lines.down_when)
        + bool(lines.down_because)
        + bool(lines.slice_down)
    )
    if isinstance(measure, m.Availability):
        if sources == 0:
            out.error(
                f"metric {metric.id} does not say when the service is down",
                metric.loc,
                "add `down during TYPE records`, `a slice is down when ...`, `down when any of [...]"
                " is down` or `down when METRIC is down because of SUPPLIER`",
                word=metric.id,
            )
        elif sources > 1 and not (lines.down_during and lines.slice_down):
            out.error(
                f"metric {metric.id} says in two ways when the service is down",
                metric.loc,
                "a composite metric takes its downtime from its components only, and a supplier's"
                " share from its composite only",
                word=metric.id,
            )
    elif lines.down_during or lines.down_when or lines.down_because:
        out.error(
            f"`down` lines belong to an availability metric, and {metric.id} is not one",
            out.in_block(metric.loc, "down"),
        )
    if lines.slice_down and lines.slice is None:
        out.error(
            f"metric {metric.id} judges slices but does not say how long they are",
            metric.loc,
            "add `in slices of 1 minute`",
            word=metric.id,
        )
    if lines.minimum_run is not None and not lines.slice_down:
        out.error(
            "runs of down slices need slices: add `a slice is down when ...`",
            out.in_block(metric.loc, "counting only runs"),
        )
    if lines.attribution is not None and lines.down_when is None:
        out.error(
            "downtime is attributed to suppliers only for a composite metric (`down when ...`)",
            out.in_block(metric.loc, "downtime attributed"),
        )
    if isinstance(measure, m.ShareWithinTarget):
        if lines.duration is None:
            out.error(
                f"metric {metric.id} does not say what is timed",
                metric.loc,
                "add `duration from opened to responded`",
                word=metric.id,
            )
        if not lines.targets:
            out.error(
                f"metric {metric.id} has no target time",
                metric.loc,
                'add `target 4 hours`, or one per group: `target "P1" 1 hour`',
                word=metric.id,
            )
        groups = [t.group for t in lines.targets]
        for target in lines.targets:
            if groups.count(target.group) > 1:
                out.error(f"two targets for the same {target.group or 'records'}", target.loc)
                break
        if any(g is not None for g in groups) and len(measure.group_by) > 1:
            out.error(
                f"targets per group name the value of one field, but {metric.id} is grouped by"
                f" {len(measure.group_by)}: {', '.join(measure.group_by)}",
                next(t for t in lines.targets if t.group is not None).loc,
                f"group by the field the targets name (`, by {measure.group_by[0]}`), or give"
                " every record one target (`target 4 hours`)",
            )
        if any(g is not None for g in groups) and not measure.group_by:
            out.error(
                "targets per group need the records grouped",
                lines.targets[0].loc,
                "add `, by priority` (the field that holds the group) to the first line",
            )
        _pauses(measure, lines, out)
    elif lines.targets or lines.duration is not None:
        out.error(
            "`target` and `duration` lines belong to a `share of ... within target` metric",
            out.in_block(metric.loc, "target" if lines.targets else "duration"),
        )
    if lines.percentile_method is not None and not (
        isinstance(measure, m.Aggregate) and measure.function == "percentile"
    ):
        out.error(
            "a percentile method applies only to a percentile such as p95",
            out.in_block(metric.loc, "percentile method", lines.percentile_method),
        )
    if isinstance(measure, m.SliceAverage) and not lines.values:
        out.error(f"define {measure.value} in the metric: {measure.value} = ...", measure.loc)
    _unused_lines(metric, out)


# Fields that cannot link a status record to its record, or hold a pause's instants: `type` and
# `id` are the record's own (status records with the ticket's id as their id would merge into
# one), `time`/`start`/`end`/`updated` place the status record itself.
_NOT_A_LINK = ("type", "id", "time", "start", "end", "updated")


def _pauses(measure: m.ShareWithinTarget, lines: m.MetricLines, out: Reporter) -> None:
    """The lines that stop a record's clock: each says when, and says it once."""
    timed = () if lines.duration is None else (lines.duration.start_field, lines.duration.end_field)
    seen: list[m.Pause] = []
    for pause in lines.pauses:
        if any(without_locations(pause) == without_locations(other) for other in seen):
            out.error("the same pause is given twice", pause.loc, "remove the line")
            continue
        seen.append(pause)
        if isinstance(pause, m.PausedWhile):
            selection = pause.selection
            if selection.where is None:
                out.error(
                    f"paused while {selection.record_type} records: which of them stop the clock?",
                    selection.loc,
                    "say which statuses stop it: `... records where status in"
                    ' ["on hold", "awaiting customer"]`; the others start it again',
                )
            if selection.record_type == measure.selection.record_type:
                out.error(
                    f"a {selection.record_type} record cannot be the status record of another:"
                    " the status changes that stop its clock are records of another type",
                    selection.loc,
                    f"name the records of its status changes: `paused while status records where"
                    f" ..., linked by {measure.selection.record_type}`",
                )
            if pause.link in _NOT_A_LINK:
                out.error(
                    f"`linked by {pause.link}`: the field that links a status record to its"
                    f" {measure.selection.record_type} must be one of its own fields, holding"
                    f" the {measure.selection.record_type}'s id",
                    out.at_word(pause.loc, pause.link),
                    f"name that field: `linked by {measure.selection.record_type}`",
                )
            continue
        if pause.start_field == pause.end_field:
            out.error(
                f"a pause from {pause.start_field} to {pause.start_field} never lasts",
                _second(out, pause.loc, pause.start_field),
                "name the field that says when the clock starts again: `paused from paused_at"
                " to resumed_at`",
            )
        for name in (pause.start_field, pause.end_field):
            if name in timed:
                out.error(
                    f"{name} is what the clock is timed by; it cannot also pause it",
                    out.at_word(pause.loc, name),
                    "name the fields of the pause: `paused from paused_at to resumed_at`",
                )
            elif name in ("type", "id"):
                out.error(
                    f"`{name}` is not an instant: a pause runs between two timestamp fields",
                    out.at_word(pause.loc, name),
                    "name the fields of the pause: `paused from paused_at to resumed_at`",
                )


def _second(out: Reporter, loc: SourceLocation, word: str) -> SourceLocation:
    """The place of the second ``word`` on the line at ``loc``."""
    first = out.at_word(loc, word)
    return out.at_word(first.model_copy(update={"column": first.column + len(word)}), word)


# The lines only some kinds of metric read (the others are reported above), with the words
# their line opens with.
_ONLY_SOME = {
    "excluding": "excluding",
    "only_while": "only while",
    "only_during": "only during",
    "slice": "in slices of",
    "slice_down": "a slice is down",
    "minimum_run": "counting only runs",
    "slice_without": "a slice without",
    "values": "",
    "open_records": "a record still open",
    "pauses": "paused",
}
# Each kind of metric, as its readers are named.
_KINDS = {
    "availability": "availability",
    "slice_average": "slice average",
    "ratio": "ratio",
    "aggregate": "count, sum, mean, extreme and percentile",
    "share_within_target": "share within target",
    "total_duration": "total duration",
    "mttr": "MTTR",
    "mtbf": "MTBF",
}


def _unused_lines(metric: m.Metric, out: Reporter) -> None:
    """A line that the metric's kind never reads (``excluding`` in a percentile metric) would
    be ignored without a word, and the value measured otherwise than the contract says."""
    misplaced = metric.misplaced
    if misplaced is None:
        return
    for name, lead in _ONLY_SOME.items():
        value = getattr(misplaced, name)
        if value is None or value == ():
            continue
        if name == "slice_down" and misplaced.slice is None:
            continue  # reported above: slices without a length
        if name == "minimum_run" and not misplaced.slice_down:
            continue  # reported above: runs without slices
        readers = [
            _KINDS[measure.model_fields["kind"].default]
            for measure, kind in m.METRIC_CLASSES.items()
            if name in kind.model_fields
        ]
        listed = ", ".join(readers[:-1]) + " and " + readers[-1] if len(readers) > 1 else readers[0]
        words = lead or "a named value"
        where = misplaced.values[0].loc if name == "values" else out.in_block(metric.loc, lead)
        hint = (
            "to leave records out of this metric, say so in its selection:"
            " `... records where not (...)`"
            if name in ("excluding", "only_while", "only_during")
            else "remove the line"
        )
        measure = metric.measure
        kind = measure.function if isinstance(measure, m.Aggregate) else _KINDS[measure.kind]
        article = "an" if kind[0] in "aeiouAEIOUM" else "a"
        out.error(
            f"`{words}` has no effect on {metric.id} ({article} {kind}): only {listed} metrics"
            " read it",
            where,
            hint,
        )


def _clause(clause: c.Clause, scope: Scope, out: Reporter) -> None:
    if not (
        clause.promises
        or clause.termination_rights
        or clause.credits
        or clause.penalties
        or clause.rewards
        or clause.escalations
    ):
        out.warning(
            f"clause {clause.id} promises nothing and has no consequence",
            clause.loc,
            "add a `promise` line",
        )
    for objective in clause.promises:
        metric = scope.metrics.get(objective.metric)
        targets = () if metric is None else m.written(metric).targets
        if metric is None or objective.group is None or not targets:
            continue
        groups = {t.group for t in targets}
        group = getattr(objective.group, "value", None)
        if group not in groups and None not in groups:
            out.warning(
                f'metric {metric.id} has no target for "{group}"',
                objective.group.loc,
            )
    claims_needed = clause.credits and clause.claim is None
    if claims_needed:
        pass  # a credit without a claim line is given automatically; nothing to say


def _services(contract: k.Contract, out: Reporter) -> None:
    for service in contract.services:
        if service.delivered_by is not None:
            party = contract.party(service.delivered_by)
            if party is not None and party.role == "customer":
                out.error(
                    f"service {service.id} is delivered by a customer",
                    out.in_block(service.loc, "delivered by", service.delivered_by),
                    "a service is delivered by the provider or a supplier",
                )

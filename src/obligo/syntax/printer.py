"""A contract's model written back as contract text: the one printer from model to the language.

``print_contract`` writes a whole :class:`~obligo.model.contract.Contract` in the canonical layout
of ``obligo fmt`` (:mod:`obligo.syntax.fmt`); the functions for its parts (a promise, a tier, an
amount, a condition, a selection, a window, a trigger, a claim, a cap, ...) write what a report
quotes of a clause. What they write parses back to the same model (``tests/test_printer.py``
proves it for every bundled contract).

The model keeps a contract's meaning, not its spelling: comments, the order of lines within a
block, the spelling of a unit (``4 hours`` is ``4 h``), of a frequency (``renews every 1 year``
is ``renews yearly``) or of an aggregate (``average`` is ``mean``) are not in it, so the printed
text is the canonical spelling of what the file says, not the file. ``obligo fmt``, which must
keep comments and spellings, lays out the file's own tokens instead.

A name is written bare, as a contract writes it, unless it is not a plain name (`Customer ID`) or
is a keyword that the lexer would read as itself where the name stands (a named value called
`duration` at the start of a line): then it is written in backticks.

Where a report quotes a clause (a promise, a tier, a cap, a claim, a trigger, a window, a
selection), the engine calls these functions: the quote is contract text, a name in backticks
included.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import cache

from obligo.model import base
from obligo.model import clauses as c
from obligo.model import conditions as k
from obligo.model import contract as ct
from obligo.model import metrics as m
from obligo.model.vocabulary import FREQUENCIES, ORDINAL_WORDS, UNIT_NAMES, WEEKDAYS
from obligo.syntax.grammar import parser

INDENT = "  "

_NAME = re.compile(r"[a-z_][a-z0-9_]*(?:-[a-z0-9_]+)*")
_VERSION = re.compile(r"\d+(?:\.\d+)?")


# ------------------------------------------------------------------------------ literals
@cache
def keywords() -> frozenset[str]:
    """The words of the language, from the grammar."""
    return frozenset(
        str(t.pattern.value)
        for t in parser().terminals
        if t.pattern.type == "str" and _NAME.fullmatch(str(t.pattern.value))
    )


# The keywords that the lexer would read as themselves where a name stands in these places:
# a name that is one of them is written in backticks there (tests/test_printer.py tries every
# keyword in every place a name can stand). Elsewhere a keyword is a plain name, as written. At
# the start of a line and in a level's name, every keyword is avoided: keywords().
_CONDITION_FIELD = frozenset({"not"})
_ATOM = frozenset({"true", "false"})
_SLICE_SUBJECT = _ATOM | {"at", "every", "there"}
_AFTER_THERE_ARE = frozenset({"only"})
_COMPONENT = frozenset({"all", "any"})
_SUBJECT = frozenset({"the"})
_TRIGGER_METRIC = frozenset({"breached", "more"})
_RENEGOTIATION_METRIC = frozenset({"an", "any", "clause", "the"})


def name(text: str, avoid: frozenset[str] = frozenset()) -> str:
    """A name as written: bare when it is a plain name, else in backticks (`Customer ID`); also
    in backticks when it is one of the keywords ``avoid`` that the lexer would read there."""
    return f"`{text}`" if text in avoid or not _NAME.fullmatch(text) else text


def quoted(text: str) -> str:
    """A quoted text, with its quotes and backslashes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _mapping_value(value: str | Decimal) -> str:
    return quoted(value) if isinstance(value, str) else str(value)


def _mapping(mapping: ct.FieldMapping) -> str:
    """A ``map`` line: a rename, or a derived field (docs/sources.md)."""
    if mapping.constant is not None:
        origin = _mapping_value(mapping.constant)
    elif mapping.plus is not None:
        origin = f"{name(mapping.source)} plus {name(mapping.plus)} {mapping.plus_unit}"
    else:
        origin = name(mapping.source)
    scope = f" in {name(mapping.record_type)} records" if mapping.record_type else ""
    form = ""
    if mapping.time is not None:
        zone = f" zone {quoted(mapping.zone)}" if mapping.zone is not None else ""
        form = f" as time {quoted(mapping.time)}{zone}"
    elif mapping.duration is not None:
        form = f" as duration in {mapping.duration}"
    elif mapping.table:
        pairs = ", ".join(f"{_mapping_value(k)} -> {_mapping_value(v)}" for k, v in mapping.table)
        form = f" through {pairs}"
    return f"map {origin} to {name(mapping.target)}{scope}{form}"


def literal(value: base.LiteralValue) -> str:
    return str(value)


def _date(value: dt.date) -> str:
    return value.isoformat()


def _time(value: dt.time | None) -> str:
    return "24:00" if value is None else value.strftime("%H:%M")


def _plural(unit: str, count: int) -> str:
    return unit if count == 1 else f"{unit}s"


def frequency(every: base.Duration) -> str:
    """``monthly``: the word for a period of one unit (the first word when two mean it)."""
    for word, (amount, unit) in FREQUENCIES.items():
        if every.unit == unit and every.amount == int(amount) and not every.business:
            return word
    raise ValueError(f"no frequency word for {every}")


def fee_every(every: base.Duration) -> str:
    """``monthly`` when a word says it, else ``per 30 days``, ``per 2 weeks``."""
    try:
        return frequency(every)
    except ValueError:
        return f"per {every}"


# ------------------------------------------------------------------ selections, conditions
def condition(node: k.Condition) -> str:
    """``severity <= 2 and (cause = "network" or cause is missing)``."""
    if isinstance(node, k.Compare):
        return f"{name(node.field, _CONDITION_FIELD)} {node.op} {literal(node.value)}"
    if isinstance(node, k.Member):
        values = ", ".join(literal(v) for v in node.values)
        field = name(node.field, _CONDITION_FIELD)
        return f"{field} {'not in' if node.negated else 'in'} [{values}]"
    if isinstance(node, k.Presence):
        field = name(node.field, _CONDITION_FIELD)
        return f"{field} is {'present' if node.present else 'missing'}"
    if isinstance(node, k.Not):
        return f"not ({condition(node.operand)})"
    if isinstance(node, k.Lasting):
        return lasting(node)
    joiner = " and " if isinstance(node, k.And) else " or "
    return joiner.join(
        f"({condition(o)})" if isinstance(o, k.And | k.Or) else condition(o) for o in node.operands
    )


def selection(node: k.Selection, avoid: frozenset[str] = frozenset()) -> str:
    """``outage records where service = "transport"`` (``avoid``: see :func:`name`)."""
    text = f"{name(node.record_type, avoid)} records"
    where = node.where
    if isinstance(where, k.Lasting):
        return f"{text} {lasting(where)}"
    if isinstance(where, k.And) and len(where.operands) == 2:
        first, rest = where.operands
        if isinstance(first, k.Lasting):  # `lasting ...` is written before `where` only
            return f"{text} {lasting(first)} where {condition(rest)}"
    if where is not None:
        text += f" where {condition(where)}"
    return text


_LASTING = {">=": "at least", "<=": "at most", ">": "more than", "<": "less than"}


def lasting(node: k.Lasting) -> str:
    """``lasting at least 15 minutes``."""
    return f"lasting {_LASTING[node.op]} {node.length}"


def _precedence(node: k.Expression) -> int:
    if isinstance(node, k.Arithmetic):
        return 1 if node.op in ("plus", "minus") else 2
    return 3


_OPERATORS = {"plus": "plus", "minus": "minus", "times": "*", "divide": "/"}


def expression(
    node: k.Expression | k.FieldOf | k.SelectionArg, first: frozenset[str] = _ATOM
) -> str:
    """``count(request records where status >= 500) / count(request records)`` (``first``: the
    keywords to avoid in the name the expression starts with, see :func:`name`)."""
    if isinstance(node, k.SelectionArg):
        return selection(node.selection, first)
    if isinstance(node, k.FieldOf):
        return f"{name(node.field, first)} in {selection(node.selection)}"
    if isinstance(node, k.ValueRef):
        return name(node.name, first)
    if isinstance(node, k.Constant):
        return literal(node.value)
    if isinstance(node, k.Call):
        arguments = ", ".join(expression(a) for a in node.arguments)
        return f"{name(node.function, first)}({arguments})"
    # The grammar's operators group to the left: `a minus b minus c` is (a minus b) minus c,
    # so a right operand of the same precedence is bracketed, as is a lower one on either side.
    level = _precedence(node)
    left, right = expression(node.left, first), expression(node.right)
    if _precedence(node.left) < level:
        left = f"({expression(node.left)})"
    if _precedence(node.right) <= level:
        right = f"({right})"
    return f"{left} {_OPERATORS[node.op]} {right}"


# --------------------------------------------------------------------------- clause parts
def objective(node: c.Objective) -> str:
    """``api-uptime >= 99.9%``, ``first-response for "P1" >= 95%``: a promise, without its
    keyword."""
    group = f" for {literal(node.group)}" if node.group is not None else ""
    return f"{name(node.metric)}{group} {node.op} {node.target}"


def amount(node: c.Amount) -> str:
    """``10% of the fee``, ``1 day of the fee of uplink``, ``500 EUR``, ``10% of the fee of
    the month before``, ``10% of the average fee of the last 3 months``."""
    if isinstance(node, c.FixedAmount):
        return str(node.money)
    head = f"{node.percent}" if isinstance(node, c.PercentOfFee) else f"{node.duration}"
    return f"{head} of {fee_reference(node.service, node.other)}"


def fee_reference(service: str | None, other: c.OtherPeriodFee | None) -> str:
    """``the fee``, ``the fee of uplink``, ``the fee of the month before``, ``the average fee
    of uplink of the last 3 months``."""
    of = f" of {name(service, _SUBJECT)}" if service else ""
    if other is None:
        return f"the fee{of}"
    if other.average:
        return f"the average fee{of} of the last {other.count} {_plural(other.unit, other.count)}"
    return f"the fee{of} of the {other.unit} before"


def tier_condition(node: c.TierCondition) -> str:
    """``api-uptime < 99.9% and >= 99%``, ``the exceedance > 10%``."""
    if node.exceedance:
        subject = "the exceedance"
    else:
        subject = name(str(node.subject), _SUBJECT)
        if node.group is not None:
            subject += f" for {literal(node.group)}"
    bounds = " and ".join(f"{b.op} {literal(b.value)}" for b in node.bounds)
    return f"{subject} {bounds}"


def tier(node: c.Tier) -> str:
    """``10% of the fee when api-uptime < 99.9%``."""
    return f"{amount(node.amount)} when {tier_condition(node.condition)}"


def per_unit(node: c.PerUnit) -> str:
    """``per started hour of outage-hours``."""
    rounding = "" if node.rounding == "exact" else f"{node.rounding} "
    return f"per {rounding}{UNIT_NAMES.get(node.unit, node.unit)} of {name(node.metric)}"


def formula(node: c.CreditFormula) -> str:
    """``1 day of the fee per started hour of outage-hours [when breached]``."""
    text = f"{amount(node.amount)} {per_unit(node.per)}"
    return text + (" when breached" if node.when_breached else "")


def formula_term(node: c.FormulaTerm) -> str:
    """``25 * outage-time / scheduled-time * the fee``: operators group to the left, so a right
    operand that is itself an operation is bracketed."""
    if isinstance(node, c.FormulaOp):
        right = formula_term(node.right)
        if isinstance(node.right, c.FormulaOp):
            right = f"({right})"
        return f"{formula_term(node.left)} {node.op} {right}"
    if isinstance(node, c.FormulaNumber):
        return f"{node.value}%" if node.percent else str(node.value)
    if isinstance(node, c.FormulaMoney):
        return str(node.money)
    if isinstance(node, c.FormulaMetric):
        return name(node.metric, _FORMULA_NAME)
    if isinstance(node, c.FormulaCountedTime):
        return f"the counted time of {name(node.metric)}"
    text = fee_reference(node.service, node.other)
    return text + (f" for {name(node.for_metric)}" if node.for_metric else "")


# Words that open a formula's factor, which a metric's name must not be read as.
_FORMULA_NAME = frozenset({"the"})


def expression_credit(node: c.CreditExpression) -> str:
    """``25 * outage-time / scheduled-time * the fee when breached``, without the keyword."""
    return formula_term(node.formula) + (" when breached" if node.when_breached else "")


def penalty(node: c.Penalty | c.PenaltyExpression) -> str:
    """``500 EUR per breached month``, ``10 * the fee for outage-time when breached``, without
    the keyword."""
    text = formula_term(node.formula) if isinstance(node, c.PenaltyExpression) else _penalty(node)
    return text + (" when breached" if node.when_breached else "")


def _penalty(node: c.Penalty) -> str:
    basis = node.basis
    if isinstance(basis, c.PerBreach):
        group = " and group" if basis.per_group else ""
        return f"{amount(node.amount)} per breached {basis.unit}{group}"
    if isinstance(basis, c.PerUnit):
        return f"{amount(node.amount)} {per_unit(basis)}"
    if isinstance(basis, c.PerMissedRecord):
        return f"{amount(node.amount)} per missed record"
    return f"{amount(node.amount)} when {tier_condition(basis)}"


def largest_only(clauses: tuple[str, ...]) -> str:
    """``only the largest with clauses 2, 3 for the same time``, without the keyword."""
    word = "clause" if len(clauses) == 1 else "clauses"
    return f"only the largest with {word} {', '.join(clauses)} for the same time"


def cap(node: c.Cap) -> str:
    """``50% of the fee per month``, ``10% of the fees of the last 12 months``, without the
    keyword."""
    if isinstance(node, c.PeriodCap):
        text = amount(node.amount) + (f" per {node.per}" if node.per else "")
        if node.shared_with:
            word = "clause" if len(node.shared_with) == 1 else "clauses"
            text += f", shared with {word} " + ", ".join(node.shared_with)
        return text
    if isinstance(node, c.TrailingCap):
        text = (
            f"{node.percent} of the fees of the last {node.periods}"
            f" {_plural(node.unit, node.periods)}"
        )
        return text + (", less credits already given" if node.less_given else "")
    return f"{amount(node.amount)} over the term"


def claim(node: c.Claim) -> str:
    """``by the end of the second billing cycle after the month``, without the keyword."""
    if isinstance(node, c.ClaimByBillingCycle):
        ordinal = ORDINAL_WORDS.get(node.ordinal, str(node.ordinal))
        return f"by the end of the {ordinal} billing cycle after the {name(node.after)}"
    if isinstance(node, c.ClaimWithin):
        end = "the end of " if node.end_of else ""
        after = name(node.after, frozenset() if node.end_of else frozenset({"end"}))
        return f"within {node.duration} after {end}the {after}"
    return "not required"


def claim_requirement(node: c.ClaimRequirement | c.NoticeRequirement) -> str:
    """``ticket records within 72 h of the outage``, ``the outage not fixed within 2 h of its
    notified``, without ``claim requires``."""
    if isinstance(node, c.NoticeRequirement):
        field = name(node.notice_field)
        return f"the {name(node.after)} not fixed within {node.within} of its {field}"
    # after `claim requires`, a record type `the` would open `the outage not fixed ...`
    return f"{selection(node.selection, _SUBJECT)} within {node.within} of the {name(node.after)}"


def window(node: c.Window) -> str:
    """``3 consecutive months``, ``3 of the last 6 months``."""
    if isinstance(node, c.Consecutive):
        return f"{node.count} consecutive {_plural(node.unit, node.count)}"
    return f"{node.count} of the last {node.of_last} {_plural(node.unit, node.of_last)}"


def trigger(node: c.Trigger) -> str:
    """``breached in 3 consecutive months``, ``outage-hours > 24 h in a month``."""
    if isinstance(node, c.BreachRun):
        return f"breached in {window(node.window)}"
    if isinstance(node, c.LongEvents):
        return (
            f"{node.count} {selection(node.selection)} longer than {node.longer_than}"
            f" start within any {node.within}"
        )
    if isinstance(node, c.RunningTotal):
        return (
            f"more than {node.more_than} of {selection(node.selection)} in a calendar {node.unit}"
        )
    metric = name(node.metric, _TRIGGER_METRIC)
    return f"{metric} {node.op} {literal(node.value)} in a {node.unit}"


def exercise(node: c.Exercise) -> str:
    """``in writing within 30 days``, without ``exercised``."""
    return ("in writing " if node.in_writing else "") + f"within {node.within}"


# ------------------------------------------------------------------------------- blocks
def _head(keyword: str, ident: str, title: str | None) -> str:
    return f"{keyword} {ident}" + (f" {quoted(title)}" if title is not None else "")


def _block(head: str, lines: Iterable[str]) -> list[str]:
    return [head, *(INDENT + line for line in lines)]


def _description(text: str | None) -> list[str]:
    return [] if text is None else [f"description {quoted(text)}"]


def _period(node: m.Period) -> str:
    if isinstance(node, m.CalendarPeriod):
        return f"per calendar {node.unit}"
    if isinstance(node, m.BillingCyclePeriod):
        return "per billing cycle"
    if isinstance(node, m.ConsecutivePeriod):
        return f"per {node.length} from {_date(node.start)}"
    return f"over a rolling {node.length}"


def _grouped(group_by: tuple[str, ...]) -> str:
    if not group_by:
        return ""
    return ", by " + ", ".join(name(field) for field in group_by)


def measure(node: m.Measure) -> str:
    """The first line of a metric: what it measures, over which periods."""
    period = _period(node.period)
    if isinstance(node, m.Availability):
        of = f" of {name(node.service)}" if node.service else ""
        return f"availability{of}, {period}{_grouped(node.group_by)}"
    if isinstance(node, m.SliceAverage):
        minus = f"{node.complement_of} minus " if node.complement_of is not None else ""
        average = f"{minus}the average {name(node.value)} in slices of {node.slice}"
        return f"{average}, {period}{_grouped(node.group_by)}"
    if isinstance(node, m.Ratio):
        ratio = f"ratio of {expression(node.numerator)} to {expression(node.denominator)}"
        return f"{ratio}, {period}{_grouped(node.group_by)}"
    if isinstance(node, m.Aggregate):
        if node.function == "percentile" and node.percentile is not None:
            function = f"p{node.percentile.value}"
        else:
            function = node.function
        field = f"{name(node.field)} in " if node.field is not None else ""
        return f"{function} of {field}{selection(node.selection)}, {period}" + _grouped(
            node.group_by
        )
    if isinstance(node, m.ShareWithinTarget):
        share = f"share of {selection(node.selection)} within target"
        return f"{share}, {period}{_grouped(node.group_by)}"
    if isinstance(node, m.TotalDuration):
        return f"total duration of {selection(node.selection)}, {period}"
    if isinstance(node, m.MeanTimeToRepair):
        return f"mean time to repair of {selection(node.selection)}, {period}"
    return f"mean time between failures of {selection(node.selection)}, {period}"


def _composite(node: m.Composite) -> str:
    parts = ", ".join(
        name(p, _COMPONENT) if isinstance(p, str) else _composite(p) for p in node.components
    )
    return f"{node.mode} of [{parts}]"


def slice_condition(node: m.SliceCondition) -> str:
    """What makes one slice of time down, after ``a slice is down when``."""
    if isinstance(node, m.SliceCompare):
        text = f"{expression(node.value, _SLICE_SUBJECT)} {node.op} {literal(node.threshold)}"
        return text + (f" for any {name(node.for_any)}" if node.for_any else "")
    if isinstance(node, m.SliceExists):
        there = selection(node.selection, _AFTER_THERE_ARE)
        return "there are " + ("only " if node.only else "") + there
    if isinstance(node, m.SliceEvery):
        values = ", ".join(literal(v) for v in node.values)
        return f"every {name(node.field)} in [{values}] has {selection(node.selection)}"
    only = "only " if node.only else ""
    return (
        f"at least {node.count} distinct {name(node.field)} values have"
        f" {only}{selection(node.selection, _AFTER_THERE_ARE)}"
    )


_DATA_RULES = {"no_data": "no data", "breached": "breached", "met": "met"}
_SLICE_RULES = {"up": "is up", "down": "is down", "skipped": "is skipped"}


def _in_hours(calendar: str | None) -> str:
    return "" if calendar is None else f", in {name(calendar)} hours"


def _metric(node: m.Metric) -> list[str]:
    written = m.written(node)  # every line, whether its kind has a use for it or not
    lines = [measure(node.measure)]
    lines += _description(node.description)
    if node.service is not None:
        lines.append(f"service {name(node.service)}")
    lines += [f"down during {selection(s)}" for s in written.down_during]
    if written.down_when is not None:
        lines.append(f"down when {_composite(written.down_when)} is down")
    if written.down_because is not None:
        down = written.down_because
        metric, supplier = name(down.metric, _COMPONENT), name(down.supplier)
        lines.append(f"down when {metric} is down because of {supplier}")
    if written.attribution == "each_supplier":
        lines.append("downtime attributed to each supplier whose component was down")
    elif written.attribution == "first_cause":
        lines.append("downtime attributed to the first cause")
    if written.excluding:
        lines.append("excluding " + ", ".join(name(e) for e in written.excluding))
    lines += [f"only while {selection(s)}" for s in written.only_while]
    if written.only_during is not None:
        lines.append(f"only during {name(written.only_during)} hours")
    if written.slice is not None:
        lines.append(f"in slices of {written.slice}")
    lines += [f"a slice is down when {slice_condition(s)}" for s in written.slice_down]
    if written.minimum_run is not None:
        lines.append(f"counting only runs of at least {written.minimum_run} down slices")
    for without in written.slice_without:
        if without.rule == "value":
            rule = f"has an {name(str(without.value_name))} of {without.value}"
        else:
            rule = _SLICE_RULES[without.rule]
        lines.append(f"a slice without {selection(without.selection)} {rule}")
    lines += [f"{name(v.name, keywords())} = {expression(v.expression)}" for v in written.values]
    if written.duration is not None:
        spec = written.duration
        lines.append(
            f"duration from {name(spec.start_field)} to {name(spec.end_field)}"
            + _in_hours(spec.calendar)
        )
    for target in written.targets:
        group = f" {quoted(target.group)}" if target.group is not None else ""
        lines.append(f"target{group} {target.limit}{_in_hours(target.calendar)}")
    if written.open_records == "late_once_passed":
        lines.append("a record still open is late once its target has passed")
    elif written.open_records == "left_out":
        lines.append("a record still open is left out")
    lines += [pause(p) for p in written.pauses]
    if node.minimum_data is not None:
        least = node.minimum_data
        lines.append(f"at least {least.records} records, otherwise {_DATA_RULES[least.otherwise]}")
    if node.without_data is not None:
        lines.append(f"a period without data is {_DATA_RULES[node.without_data]}")
    if written.percentile_method is not None:
        lines.append(f"percentile method {name(written.percentile_method)}")
    return _block(_head("metric", name(node.id), node.title), lines)


def pause(node: m.Pause) -> str:
    """A line that stops a record's clock: ``paused while ...`` or ``paused from ... to ...``."""
    if isinstance(node, m.PausedWhile):
        return f"paused while {selection(node.selection)}, linked by {name(node.link)}"
    return f"paused from {name(node.start_field)} to {name(node.end_field)}"


def allocation(node: c.Allocation) -> str:
    """``allocation 25% of the amount at risk``, ``promoted from 2026-07-01 with allocation
    ...``: the whole line."""
    text = f"allocation {node.percent} of the amount at risk"
    if node.promoted_from is not None:
        return f"promoted from {_date(node.promoted_from)} with {text}"
    return text


def at_risk_amount(node: c.AtRisk) -> str:
    """``12% of the fees``, ``10% of the fee of api``, ``50000 USD``."""
    if isinstance(node.amount, c.FeesShare):
        return f"{node.amount.percent} of the fees"
    return amount(node.amount)


def _at_risk(node: c.AtRisk) -> list[str]:
    lines = []
    if node.pool is not None:
        lines.append(f"pool {node.pool}")
    if node.earn_back is not None:
        back = node.earn_back
        lines.append(
            f"earn back when met in the next {back.periods} {_plural(back.unit, back.periods)}"
        )
    return _block(f"amount at risk {at_risk_amount(node)}", lines)


def _credit(node: c.Credit) -> list[str]:
    if isinstance(node, c.CreditFormula):
        return [f"credit {formula(node)}"]
    if isinstance(node, c.CreditExpression):
        return [f"credit {expression_credit(node)}"]
    if len(node.tiers) == 1 and not node.cumulative:
        return [f"credit {tier(node.tiers[0])}"]
    head = "credit cumulative" if node.cumulative else "credit"
    return _block(head, (tier(t) for t in node.tiers))


def _termination(node: c.TerminationRight) -> list[str]:
    if len(node.triggers) == 1:
        text = f"termination right when {trigger(node.triggers[0])}"
        if node.exercise is not None:
            text += f", exercised {exercise(node.exercise)}"
        return [text]
    lines = [f"when {trigger(t)}" for t in node.triggers]
    if node.exercise is not None:
        lines.append(f"exercised {exercise(node.exercise)}")
    return _block("termination right", lines)


_SETTLEMENTS = {"against_future_payments": "against future payments", "refund": "as a refund"}


def _clause(node: c.Clause) -> list[str]:
    lines = _description(node.description)
    if node.service is not None:
        lines.append(f"service {name(node.service)}")
    lines += [f"{'report' if p.reported else 'promise'} {objective(p)}" for p in node.promises]
    if node.allocation is not None:
        lines.append(allocation(node.allocation))
    for credit in node.credits:
        lines += _credit(credit)
    if node.largest_only is not None:
        lines.append(f"credit {largest_only(node.largest_only.clauses)}")
    lines += [f"cap {cap(x)}" for x in node.caps]
    if node.claim is not None:
        lines.append(f"claim {claim(node.claim)}")
    lines += [f"claim requires {claim_requirement(r)}" for r in node.claim_requirements]
    if node.settlement is not None:
        lines.append(f"credit settled {_SETTLEMENTS[node.settlement]}")
    lines += [f"penalty {penalty(p)}" for p in node.penalties]
    lines += [f"reward {tier(r.tier)}" for r in node.rewards]
    for right in node.termination_rights:
        lines += _termination(right)
    lines += [f"escalate to {_to(e)} when {trigger(e.trigger)}" for e in node.escalations]
    keyword = "override clause" if node.override else "clause"
    return _block(_head(keyword, node.id, node.title), lines)


def _days(days: tuple[str, ...]) -> str:
    if days == WEEKDAYS:
        return "every day"
    parts: list[str] = []
    index = 0
    while index < len(days):
        end = index
        while (
            end + 1 < len(days)
            and days[end] in WEEKDAYS
            and days[end + 1] in WEEKDAYS
            and WEEKDAYS.index(days[end + 1]) == WEEKDAYS.index(days[end]) + 1
        ):
            end += 1
        if end - index >= 2:
            parts.append(f"{days[index]} to {days[end]}")
        else:
            parts.extend(days[index : end + 1])
        index = end + 1
    return ", ".join(parts)


def _calendar(node: ct.Calendar) -> list[str]:
    lines = _description(node.description)
    if node.timezone is not None:
        lines.append(f"timezone {quoted(node.timezone)}")
    for hours in node.hours:
        if hours.start == dt.time(0, 0) and hours.end is None:
            span = "all day"
        else:
            span = f"{_time(hours.start)} to {_time(hours.end)}"
        lines.append(f"{_days(hours.days)} {span}")
    if node.holidays:
        lines.append("holidays " + ", ".join(_date(d) for d in node.holidays))
    for source in node.holiday_sources:
        if isinstance(source, ct.HolidaysOf):
            region = "" if source.region is None else f", region {quoted(source.region)}"
            lines.append(f"holidays of country {quoted(source.country)}{region}")
        else:
            lines.append(f"holidays from {quoted(source.path)}")
    return _block(_head("calendar", name(node.id), node.title), lines)


def _validity(node: ct.NoticeRule | ct.WindowRule) -> str:
    if isinstance(node, ct.WindowRule):
        return f"valid when within {name(node.calendar)}"
    return (
        f"valid when {name(node.announced_field, frozenset({'within'}))} at least"
        f" {node.at_least} before"
        f" {name(node.before_field)}"
    )


def _exclusion(node: ct.Exclusion) -> list[str]:
    lines = _description(node.description)
    lines += [selection(s, keywords()) for s in node.sources]
    lines += [_validity(v) for v in node.valid_when]
    if node.allowance is not None:
        span = "year" if node.allowance.span == "contract_year" else "calendar year"
        lines.append(f"excluded up to {node.allowance.limit} per {span}")
    if node.treatment == "counts_as_available":
        lines.append("counts as available")
    return _block(_head("exclusion", name(node.id), node.title), lines)


def _service(node: ct.Service) -> list[str]:
    lines = _description(node.description)
    for fee in node.fees:
        where = f" where {condition(fee.where)}" if fee.where is not None else ""
        lines.append(f"fee {fee.money} {fee_every(fee.every)}{where}")
    if node.fee_from is not None:
        lines.append(f"fee from {selection(node.fee_from)}{_grouped(node.fee_group_by)}")
    under = next((u for u in node.underlying if u.supplier is not None), None)
    if node.delivered_by is not None:
        text = f"delivered by {name(node.delivered_by)}"
        if under is not None:
            text += f" under {quoted(under.reference)}"
            text += f" ending {_date(under.ends)}" if under.ends is not None else ""
        lines.append(text)
    for depends in node.underlying:
        if depends is not under and depends.ends is not None:
            lines.append(f"depends on {quoted(depends.reference)} ending {_date(depends.ends)}")
    return _block(_head("service", name(node.id), node.title), lines)


def renewal(node: ct.Renewal) -> str:
    """How a term renews, after ``renews``: ``yearly``, ``every 18 months``."""
    try:
        return frequency(node.every)
    except ValueError:
        return f"every {node.every}"


def _term(node: ct.Term) -> str:
    text = f"term {_date(node.start)}"
    if node.end is not None:
        text += f" to {_date(node.end)}"
    if node.renewal is not None:
        text += f", renews {renewal(node.renewal)}"
    if node.notice is not None:
        text += f", notice {node.notice}"
    return text


def _level(node: ct.Level) -> str:
    text = f"level {node.level}"
    if node.name is not None:
        text += f" {name(node.name, keywords())}"
    if node.customer is not None:
        text += f" for customer {name(node.customer)}"
    if node.every_customer:
        text += " for every customer"
    return text


def _party(node: ct.Party) -> str:
    text = _head(node.role, name(node.id), node.title)
    if node.representative is not None:
        text += f" represented by {quoted(node.representative)}"
    return text


def _contract_head(node: ct.Contract) -> list[str]:
    head = _head("contract", name(node.id), node.title)
    if node.version is not None:
        version = node.version if _VERSION.fullmatch(node.version) else quoted(node.version)
        head += f" version {version}"
    lines = _description(node.description)
    if node.kind is not None:
        lines.append(f"kind {node.kind}")
    if node.level is not None:
        lines.append(_level(node.level))
    lines += [_party(p) for p in node.parties]
    if node.term is not None:
        lines.append(_term(node.term))
    if node.timezone is not None:
        lines.append(f"timezone {quoted(node.timezone)}")
    if node.currency is not None:
        lines.append(f"currency {node.currency}")
    if node.billing_cycle is not None:
        cycle = node.billing_cycle
        anchor = f" from {_date(cycle.anchor)}" if cycle.anchor is not None else ""
        lines.append(f"billing cycle {frequency(cycle.every)}{anchor}")
    lines += [_mapping(mapping) for mapping in node.mappings]
    lines += [f"field {name(f.field)} in {f.unit}" for f in node.field_units]
    if node.calendar is not None:
        lines.append(f"calendar {name(node.calendar.name)}")
    if node.margins is not None:
        margins = node.margins
        lines.append(
            f"margins wide at most {margins.wide_at_most}, narrow above {margins.narrow_above}"
        )
    return _block(head, lines)


def _baseline(node: ct.Baseline) -> str:
    if node.first is not None and node.unit is not None:
        return f"baseline the first {node.first} {_plural(node.unit, node.first)}"
    assert node.start is not None and node.end is not None
    return f"baseline {_date(node.start)} to {_date(node.end)}"


CUSTOMER_REPRESENTATIVE = "the customer's representative"


def _to(node: c.Escalation | ct.Notification | ct.Review) -> str:
    """Whom an escalation, a notice or a review goes to: ``"Service Director"``, ``the
    customer's representative``."""
    return CUSTOMER_REPRESENTATIVE if node.representative or node.to is None else quoted(node.to)


def _clause_ref(clause: str | None) -> str:
    return "any clause" if clause is None else f"clause {clause}"


def renegotiation(node: ct.RenegotiationCondition) -> str:
    """What calls for renegotiation, after ``renegotiate when``."""
    if isinstance(node, ct.ClauseBreached):
        return f"{_clause_ref(node.clause)} is breached in {window(node.window)}"
    if isinstance(node, ct.WideMargin):
        return f"{_clause_ref(node.clause)} is met by a wide margin for {window(node.window)}"
    if isinstance(node, ct.NeverMet):
        return f"{_clause_ref(node.clause)} is never met during the baseline"
    if isinstance(node, ct.MetricValueRun):
        metric = name(node.metric, _RENEGOTIATION_METRIC)
        return f"{metric} {node.op} {literal(node.value)} for {window(node.window)}"
    if isinstance(node, ct.VolumeDrift):
        return f"the volume of {selection(node.selection)} moves {node.percent} from the baseline"
    if isinstance(node, ct.MetricNoData):
        metric = "any metric" if node.metric is None else name(node.metric, _RENEGOTIATION_METRIC)
        return f"{metric} has no data for a {node.unit}"
    if isinstance(node, ct.TermEnding):
        return "the term ends within its notice period"
    return "an underlying contract ends before the term"


def print_contract(node: ct.Contract) -> str:
    """The whole contract (without the contracts it imports) in the language, in the canonical
    layout of ``obligo fmt``: its declarations in the model's order (imports, the contract,
    services, calendars, exclusions, metrics, clauses, the baseline, reviews, renegotiations,
    notifications), each block's lines in a fixed order."""
    groups: list[list[list[str]]] = [
        [[f"import {quoted(i.path)}"] for i in node.imports],
        [_contract_head(node)],
        *([_service(s)] for s in node.services),
        *([_calendar(x)] for x in node.calendars),
        *([_exclusion(e)] for e in node.exclusions),
        *([_metric(x)] for x in node.metrics),
        [_at_risk(node.at_risk)] if node.at_risk is not None else [],
        *([_clause(x)] for x in node.clauses),
        [[_baseline(node.baseline)]] if node.baseline is not None else [],
        [
            [
                f"review every {r.every} from {_date(r.start)}"
                + (f" with {_to(r)}" if r.to is not None or r.representative else "")
            ]
            for r in node.reviews
        ],
        [
            [
                (
                    "renegotiate when"
                    if r.each is None
                    else f"renegotiate at the end of each {r.each} in which"
                )
                + f" {renegotiation(r.condition)}"
                + (f", because {quoted(r.reason)}" if r.reason is not None else "")
            ]
            for r in node.renegotiations
        ],
        [
            [
                "notify "
                + (f"{_to(n)} " if n.to is not None or n.representative else "")
                + f"{n.before_end} before the end of the term"
            ]
            for n in node.notifications
        ],
    ]
    out: list[str] = []
    for group in groups:
        if not group:
            continue
        # One-line declarations of a kind (imports, reviews, renegotiations, notifications) stand
        # together; every other declaration is a block of its own.
        together = all(len(d) == 1 for d in group) and len(group) > 1
        for index, declaration in enumerate(group):
            if out and (index == 0 or not together):
                out.append("")
            out.extend(declaration)
    return "\n".join(out) + "\n"


def print_clause(node: c.Clause) -> str:
    """One clause in the language, as ``print_contract`` writes it (no trailing newline): what a
    report quotes as the clause's words."""
    return "\n".join(_clause(node))


def term(node: ct.Term) -> str:
    """``term 2026-01-01 to 2026-12-31, renews yearly, notice 90 days``."""
    return _term(node)


def party(node: ct.Party) -> str:
    """``customer acme "Acme Corp" represented by "Head of IT"``."""
    return _party(node)


__all__ = [
    "allocation",
    "amount",
    "at_risk_amount",
    "cap",
    "claim",
    "claim_requirement",
    "condition",
    "exercise",
    "expression",
    "formula",
    "measure",
    "name",
    "objective",
    "party",
    "penalty",
    "per_unit",
    "print_clause",
    "print_contract",
    "quoted",
    "renegotiation",
    "renewal",
    "selection",
    "slice_condition",
    "term",
    "tier",
    "tier_condition",
    "trigger",
    "window",
]

"""Names: every name used is declared (here or at a higher level), and no id is declared twice."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from obligo.checks.reporter import Reporter, Scope, did_you_mean, lineage
from obligo.model import clauses as c
from obligo.model import conditions as cond
from obligo.model import contract as k
from obligo.model import metrics as m
from obligo.model.base import Node, SourceLocation
from obligo.model.base import walk as walk  # the model's traversal; the checks import it here
from obligo.model.vocabulary import AGGREGATE_FUNCTIONS, PERCENTILE_RANGE, percentile_rank

# The functions an expression can call: the ways to aggregate records (a percentile aside).
FUNCTIONS = tuple(AGGREGATE_FUNCTIONS)


def check_names(contract: k.Contract, scope: Scope, out: Reporter) -> None:
    _duplicates(contract, out)
    _clause_ids(contract, out)
    resolver = _Resolver(scope, out)
    for service in contract.services:
        if service.delivered_by is not None:
            resolver.need(
                scope.parties,
                service.delivered_by,
                "party",
                out.in_block(service.loc, "delivered by", service.delivered_by),
            )
    for exclusion in contract.exclusions:
        for rule in exclusion.valid_when:
            if isinstance(rule, k.WindowRule):
                resolver.need(scope.calendars, rule.calendar, "calendar", rule.loc)
    for metric in contract.metrics:
        _metric_names(metric, scope, resolver, out)
    for clause in contract.clauses:
        _clause_names(clause, resolver)
    for renegotiation in contract.renegotiations:
        condition = renegotiation.condition
        if isinstance(condition, k.ClauseBreached | k.WideMargin | k.NeverMet):
            if condition.clause is not None:
                resolver.need(scope.clauses, condition.clause, "clause", condition.loc)
        elif isinstance(condition, k.MetricValueRun):
            resolver.need(scope.metrics, condition.metric, "metric", condition.loc)
        elif isinstance(condition, k.MetricNoData) and condition.metric is not None:
            resolver.need(scope.metrics, condition.metric, "metric", condition.loc)


class _Resolver:
    def __init__(self, scope: Scope, out: Reporter) -> None:
        self.scope = scope
        self.out = out

    def need(
        self,
        table: Mapping[str, Any],
        name: str,
        what: str,
        loc: SourceLocation,
        after: str | None = None,
    ) -> bool:
        if name in table:
            return True
        hint = did_you_mean(name, sorted(table))
        if hint is None and table:
            hint = f"the {what}s declared are " + ", ".join(sorted(table)[:8])
        elif hint is None:
            hint = f"declare it first: {what} {name} ..."
        self.out.error(f'unknown {what} "{name}"', loc, hint, word=name)
        return False


def _duplicates(contract: k.Contract, out: Reporter) -> None:
    groups: list[tuple[str, Iterable[Any]]] = [
        ("service", contract.services),
        ("metric", contract.metrics),
        ("calendar", contract.calendars),
        ("exclusion", contract.exclusions),
        ("party", contract.parties),
    ]
    for what, items in groups:
        seen: dict[str, SourceLocation] = {}
        for item in items:
            if item.id in seen:
                out.error(
                    f'{what} "{item.id}" is declared twice',
                    item.loc,
                    f"the first is at line {seen[item.id].line}",
                    word=item.id,
                )
            seen.setdefault(item.id, item.loc)


def _clause_ids(contract: k.Contract, out: Reporter) -> None:
    """A clause id is defined once; a lower level replaces a higher one's only with ``override``."""
    higher: dict[str, c.Clause] = {}
    for parent in contract.imported:
        for level in lineage(parent):
            for clause in level.clauses:
                higher.setdefault(clause.id, clause)
    seen: dict[str, c.Clause] = {}
    for clause in contract.clauses:
        if clause.id in seen:
            out.error(
                f"clause {clause.id} is defined twice in this file",
                clause.loc,
                f"the first is at line {seen[clause.id].loc.line}",
            )
            continue
        seen[clause.id] = clause
        if clause.override and clause.id not in higher:
            hint = did_you_mean(clause.id, sorted(higher))
            if not contract.imports:
                hint = "only a contract that imports a higher level can override its clauses"
            out.error(
                f"override of clause {clause.id}, which no higher level defines",
                clause.loc,
                hint,
            )
        elif not clause.override and clause.id in higher:
            origin = higher[clause.id].loc
            out.error(
                f"clause {clause.id} is already defined at a higher level ({origin.file}:{origin.line})",
                clause.loc,
                f"write `override clause {clause.id}` to replace it",
            )


def _metric_names(metric: m.Metric, scope: Scope, resolver: _Resolver, out: Reporter) -> None:
    lines = m.written(metric)
    measure = metric.measure
    if isinstance(measure, m.Availability) and measure.service is not None:
        resolver.need(scope.services, measure.service, "service", measure.loc)
    if metric.service is not None:
        where = out.in_block(metric.loc, "service", metric.service)
        resolver.need(scope.services, metric.service, "service", where)
    for name in lines.excluding:
        where = out.in_block(metric.loc, "excluding", name)
        resolver.need(scope.exclusions, name, "exclusion", where)
    for calendar in _metric_calendars(metric, out):
        resolver.need(scope.calendars, calendar[0], "calendar", calendar[1])
    if lines.down_when is not None:
        _components(metric, lines.down_when, scope, resolver, out)
    if lines.down_because is not None:
        _attributed(metric, lines.down_because, scope, resolver, out)
    values = {v.name: v for v in lines.values}
    seen: set[str] = set()
    for value in lines.values:
        if value.name in seen:
            out.error(f'value "{value.name}" is defined twice in metric {metric.id}', value.loc)
        seen.add(value.name)
    if isinstance(measure, m.SliceAverage):
        resolver.need(values, measure.value, "value", measure.loc)
    for rule in lines.slice_without:
        if rule.value_name is not None:
            resolver.need(values, rule.value_name, "value", rule.loc)
    for expression in _expressions(metric):
        _expression_names(expression, values, resolver)


def _metric_calendars(metric: m.Metric, out: Reporter) -> list[tuple[str, SourceLocation]]:
    lines = m.written(metric)
    found = []
    if lines.only_during is not None:
        found.append(
            (lines.only_during, out.in_block(metric.loc, "only during", lines.only_during))
        )
    if lines.duration is not None and lines.duration.calendar is not None:
        found.append((lines.duration.calendar, lines.duration.loc))
    for target in lines.targets:
        if target.calendar is not None:
            found.append((target.calendar, target.loc))
    return found


def _components(
    metric: m.Metric, composite: m.Composite, scope: Scope, resolver: _Resolver, out: Reporter
) -> None:
    for component in composite.components:
        if isinstance(component, m.Composite):
            _components(metric, component, scope, resolver, out)
            continue
        if component == metric.id:
            out.error(
                f"metric {metric.id} cannot be a component of itself", composite.loc, word=component
            )
        elif metric.id in _reachable(component, scope):
            out.error(
                f"metric {metric.id} is a component of itself, through {component}",
                composite.loc,
                word=component,
            )
        elif resolver.need(scope.metrics, component, "metric", composite.loc):
            target = scope.metrics[component]
            if not isinstance(target.measure, m.Availability):
                out.error(
                    f"component {component} is not an availability metric",
                    composite.loc,
                    "a chain or redundant group is made of availability metrics",
                    word=component,
                )


def _attributed(
    metric: m.Metric, down: m.AttributedDown, scope: Scope, resolver: _Resolver, out: Reporter
) -> None:
    """``down when checkout-uptime is down because of north-colo``: a composite metric that
    attributes its downtime, and a party that can bear it."""
    where = out.in_block(metric.loc, "down when", down.metric)
    if down.metric == metric.id or metric.id in _reachable(down.metric, scope):
        out.error(f"metric {metric.id} cannot take its downtime from itself", where)
    elif resolver.need(scope.metrics, down.metric, "metric", where):
        target = m.written(scope.metrics[down.metric])
        if target.down_when is None or target.attribution is None:
            out.error(
                f"metric {down.metric} attributes no downtime to suppliers",
                where,
                f"give {down.metric} a line such as: downtime attributed to each supplier whose"
                " component was down",
            )
    resolver.need(
        scope.parties, down.supplier, "party", out.in_block(metric.loc, "down when", down.supplier)
    )


def _reachable(name: str, scope: Scope) -> set[str]:
    """Every metric a composite metric is built from, through any depth of components."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        metric = scope.metrics.get(todo.pop())
        if metric is None:
            continue
        current = m.written(metric)
        leaves = [] if current.down_when is None else _leaves(current.down_when)
        if current.down_because is not None:
            leaves.append(current.down_because.metric)
        for leaf in leaves:
            if leaf not in seen:
                seen.add(leaf)
                todo.append(leaf)
    return seen


def _leaves(composite: m.Composite) -> list[str]:
    found: list[str] = []
    for component in composite.components:
        found.extend(_leaves(component) if isinstance(component, m.Composite) else [component])
    return found


def _expressions(metric: m.Metric) -> list[cond.Expression]:
    lines = m.written(metric)
    found: list[cond.Expression] = [v.expression for v in lines.values]
    if isinstance(metric.measure, m.Ratio):
        found += [metric.measure.numerator, metric.measure.denominator]
    found += [s.value for s in lines.slice_down if isinstance(s, m.SliceCompare)]
    return found


def _expression_names(expression: Node, values: Mapping[str, Any], resolver: _Resolver) -> None:
    if isinstance(expression, cond.ValueRef):
        resolver.need(values, expression.name, "value", expression.loc)
    elif isinstance(expression, cond.Arithmetic):
        _expression_names(expression.left, values, resolver)
        _expression_names(expression.right, values, resolver)
    elif isinstance(expression, cond.Call):
        rank = percentile_rank(expression.function)
        if rank is not None and not 0 < rank <= 100:
            # As `p101 of ...` is refused: the engine has no such rank to take.
            resolver.out.error(
                f"{expression.function} is not a percentile: {PERCENTILE_RANGE}",
                expression.loc,
                word=expression.function,
            )
        elif expression.function not in FUNCTIONS and rank is None:
            resolver.need(dict.fromkeys(FUNCTIONS), expression.function, "function", expression.loc)
        for argument in expression.arguments:
            if isinstance(argument, cond.ValueRef | cond.Arithmetic | cond.Call):
                _expression_names(argument, values, resolver)


def _clause_names(clause: c.Clause, resolver: _Resolver) -> None:
    scope = resolver.scope
    if clause.service is not None:
        where = resolver.out.in_block(clause.loc, "service", clause.service)
        resolver.need(scope.services, clause.service, "service", where)
    for objective in clause.promises:
        resolver.need(scope.metrics, objective.metric, "metric", objective.loc)
    for node in _walk(clause):
        if isinstance(node, c.TierCondition) and node.subject is not None:
            resolver.need(scope.metrics, node.subject, "metric", node.loc)
        elif isinstance(node, c.PerUnit | c.TotalInPeriod):
            resolver.need(scope.metrics, node.metric, "metric", node.loc)
        elif isinstance(node, c.PercentOfFee | c.FeeForDuration) and node.service is not None:
            resolver.need(scope.services, node.service, "service", node.loc)
        elif isinstance(node, c.FormulaMetric | c.FormulaCountedTime):
            resolver.need(scope.metrics, node.metric, "metric", node.loc)
        elif isinstance(node, c.FormulaFee):
            if node.service is not None:
                resolver.need(scope.services, node.service, "service", node.loc)
            if node.for_metric is not None:
                resolver.need(scope.metrics, node.for_metric, "metric", node.loc)
        elif isinstance(node, c.PeriodCap):
            for other in node.shared_with:
                resolver.need(scope.clauses, other, "clause", node.loc)
        elif isinstance(node, c.LargestOnly):
            for other in node.clauses:
                resolver.need(scope.clauses, other, "clause", resolver.out.at_word(node.loc, other))


_walk = walk  # the name this module calls it by

"""What ``obligo eval --fail-on`` gates on: the conditions of a report that make a pipeline
fail (a breach, a period without data, an error budget spent, lines rejected), read from the
report itself so that the gate and the report shown can never disagree."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal, get_args

from obligo.report.model import Report, Verdict
from obligo.report.portfolio import PortfolioReport

FailOn = Literal["breached", "no-data", "budget-exhausted", "rejected-lines"]
FAIL_ON: tuple[str, ...] = get_args(FailOn)


def _verdicts(result: Report | PortfolioReport) -> Iterator[Verdict]:
    if isinstance(result, PortfolioReport):
        for section in result.sections:
            yield from section.report.verdicts
    else:
        yield from result.verdicts


def budget_exhausted(verdict: Verdict) -> bool:
    """A pending period whose error budget is spent: what has gone wrong used all of it (or
    more), though the verdict is not decided yet. A budget of 0 that nothing has used (one good
    request against 99%: no failure allowed yet) is not spent."""
    budget = verdict.error_budget
    return (
        verdict.status == "pending"
        and budget is not None
        and budget.remaining <= 0
        and budget.used >= 100
    )


def _has(verdict: Verdict, condition: str) -> bool:
    if condition == "breached":
        return verdict.status == "breached"
    if condition == "no-data":
        return verdict.status == "no_data"
    if condition == "budget-exhausted":
        return budget_exhausted(verdict)
    return False


def failed(result: Report | PortfolioReport, conditions: Iterable[str]) -> list[str]:
    """The conditions among ``conditions`` that the report shows, in the order of
    :data:`FAIL_ON` (empty: the gate passes). Every verdict shown counts, those of a baseline
    period and key measurements included: they are in the report the gate passes on."""
    wanted = set(conditions)
    unknown = wanted - set(FAIL_ON)
    if unknown:
        raise ValueError(f"unknown --fail-on conditions: {sorted(unknown)}")
    found: list[str] = []
    verdicts = list(_verdicts(result))
    for condition in FAIL_ON:
        if condition not in wanted:
            continue
        if condition == "rejected-lines":
            if result.rejected > 0:
                found.append(condition)
        elif any(_has(v, condition) for v in verdicts):
            found.append(condition)
    return found

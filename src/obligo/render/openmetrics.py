"""The OpenMetrics form of a report (``obligo eval --format openmetrics``), for a node exporter's
textfile collector or a push gateway (it is also valid Prometheus text format: gauges only): per objective and period its status, measured value, target
and error budget left; per consequence its amount owed, in its currency; the contract's totals.

Every family has ``HELP`` and ``TYPE`` lines and an ``obligo_`` name; samples carry no timestamp
(the scrape or the push gives one); the text ends with ``# EOF``. Numbers are the report's exact
decimals, digit for digit. Label values are escaped as the specification says (backslash, double
quote, line feed; controls made visible), so that a clause title or a group value cannot break the exposition.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from obligo._inert import inert
from obligo.report.base import plain
from obligo.report.model import Group, Report, Status, Verdict
from obligo.report.portfolio import PortfolioReport

STATUSES: tuple[Status, ...] = ("met", "breached", "no_data", "pending")

Labels = tuple[tuple[str, str], ...]


@dataclass
class _Family:
    """One metric family: its name, type, help and its samples (labels, value)."""

    name: str
    type: str
    help: str
    samples: list[tuple[Labels, str]] = field(default_factory=list)

    def add(self, labels: Labels, value: str) -> None:
        self.samples.append((labels, value))


def escape_label_value(value: str) -> str:
    """A label value as OpenMetrics writes it between double quotes. Terminal controls and
    invisible characters are first made visible (``\\x1b``), as in every other output, so that
    the file is harmless to print; a line feed stays one, escaped as the specification says."""
    value = inert(value, newlines=True)
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(labels: Labels) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{escape_label_value(v)}"' for k, v in labels) + "}"


def _group(group: Group | None) -> Labels:
    """A verdict's group as one label: its value, or ``field=value`` pairs for several fields."""
    if group is None:
        return ()
    if isinstance(group, str):
        return (("group", group),)
    return (("group", ",".join(f"{k}={v}" for k, v in group.items())),)


def _number(value: Decimal) -> str:
    return plain(value)


class _Exposition:
    """The families of one exposition, filled report by report, written in a fixed order."""

    def __init__(self) -> None:
        # Gauges only (no info or stateset type): a node exporter's textfile collector reads
        # the Prometheus text format, which knows neither.
        self.info = _Family(
            "obligo_report_info",
            "gauge",
            "The evaluation a report comes from: contract and time (always 1).",
        )
        self.status = _Family(
            "obligo_objective_status",
            "gauge",
            "1 for the status of an objective in a period (met, breached, no_data or pending), 0"
            " for the others.",
        )
        self.value = _Family(
            "obligo_objective_value",
            "gauge",
            "The value measured for an objective in a period, in the unit of its unit label.",
        )
        self.target = _Family(
            "obligo_objective_target",
            "gauge",
            "The number the measured value is compared with, in the unit of its unit label.",
        )
        self.budget = _Family(
            "obligo_error_budget_remaining",
            "gauge",
            "For a pending period: how much more can go wrong before the objective breaches.",
        )
        self.budget_used = _Family(
            "obligo_error_budget_used_percent",
            "gauge",
            "For a pending period: the share of the error budget used so far, in percent.",
        )
        self.amount = _Family(
            "obligo_consequence_amount",
            "gauge",
            "What a clause gives in a period after its caps (kind credit, penalty or reward).",
        )
        self.credits = _Family(
            "obligo_credits_owed",
            "gauge",
            "Service credits owed under the contract over the periods shown, per currency.",
        )
        self.to_claim = _Family(
            "obligo_credits_to_claim",
            "gauge",
            "Of the credits owed: those that must still be claimed, before their deadline.",
        )
        self.claim_passed = _Family(
            "obligo_credits_claim_passed",
            "gauge",
            "Of the credits owed: those whose claim deadline has passed unclaimed.",
        )
        self.provisional = _Family(
            "obligo_credits_provisional",
            "gauge",
            "Credits that may still be earned back (not owed yet), per currency; only when some are.",
        )
        self.penalties = _Family(
            "obligo_penalties_owed",
            "gauge",
            "Penalties owed under the contract over the periods shown, per currency.",
        )

    def families(self) -> tuple[_Family, ...]:
        return (
            self.info,
            self.status,
            self.value,
            self.target,
            self.budget,
            self.budget_used,
            self.amount,
            self.credits,
            self.to_claim,
            self.claim_passed,
            self.provisional,
            self.penalties,
        )

    def add_report(self, report: Report, section: Labels = ()) -> None:
        contract: Labels = (("contract", report.contract.id), *section)
        if report.customer is not None and not any(k == "customer" for k, _ in section):
            contract = (*contract, ("customer", report.customer.id))
        self.info.add(
            (
                *contract,
                ("version", report.contract.version or ""),
                ("evaluated_at", report.evaluated_at.isoformat()),
                ("timezone", report.timezone),
            ),
            "1",
        )
        for verdict in report.verdicts:
            self._verdict(contract, verdict)
        for consequence in report.consequences:
            if consequence.amount is None or consequence.currency is None:
                continue  # nothing owed that can be written as a number (reported as such)
            self.amount.add(
                (
                    *contract,
                    ("clause", consequence.clause),
                    ("period", consequence.period.label),
                    *_group(consequence.group),
                    ("kind", consequence.kind),
                    ("currency", consequence.currency),
                    # A credit that may be earned back says where it stands: provisional (not
                    # owed yet), earned_back (nothing owed) or owed.
                    *(
                        (("earn_back", consequence.earn_back.state),)
                        if consequence.earn_back is not None
                        else ()
                    ),
                ),
                _number(consequence.amount),
            )
        for total in report.totals.contract:
            currency = (*contract, ("currency", total.currency))
            self.credits.add(currency, _number(total.credits))
            self.to_claim.add(currency, _number(total.credits_to_claim))
            self.claim_passed.add(currency, _number(total.credits_claim_passed))
            if total.credits_provisional:
                self.provisional.add(currency, _number(total.credits_provisional))
            self.penalties.add(currency, _number(total.penalties))

    def _verdict(self, contract: Labels, verdict: Verdict) -> None:
        labels: Labels = (
            *contract,
            ("clause", verdict.clause),
            ("metric", verdict.metric),
            ("objective", verdict.objective),
            ("period", verdict.period.label),
            *_group(verdict.group),
        )
        for state in STATUSES:
            self.status.add(
                (*labels, ("status", state)),
                "1" if verdict.status == state else "0",
            )
        unit = (*labels, ("unit", verdict.unit))
        if verdict.value is not None:
            self.value.add(unit, _number(verdict.value))
        if verdict.target_value is not None:
            self.target.add(unit, _number(verdict.target_value))
        if verdict.error_budget is not None:
            budget = verdict.error_budget
            self.budget.add((*labels, ("unit", budget.unit)), _number(budget.remaining))
            self.budget_used.add(labels, _number(budget.used))

    def lines(self) -> Iterator[str]:
        for family in self.families():
            if not family.samples:
                continue
            yield f"# TYPE {family.name} {family.type}"
            yield f"# HELP {family.name} {family.help}"
            for labels, value in family.samples:
                yield f"{family.name}{_labels(labels)} {value}"
        yield "# EOF"


def report_openmetrics(reports: list[Report]) -> str:
    """One or more reports as one OpenMetrics exposition."""
    exposition = _Exposition()
    for report in reports:
        exposition.add_report(report)
    return "\n".join(exposition.lines()) + "\n"


def portfolio_openmetrics(portfolio: PortfolioReport) -> str:
    """An agreement set's sections as one exposition, each labelled with its customer and
    service (when the section has them)."""
    exposition = _Exposition()
    for section in portfolio.sections:
        labels: Labels = ()
        if section.customer is not None:
            labels = (*labels, ("customer", section.customer))
        if section.service is not None:
            labels = (*labels, ("service", section.service))
        exposition.add_report(section.report, labels)
    return "\n".join(exposition.lines()) + "\n"

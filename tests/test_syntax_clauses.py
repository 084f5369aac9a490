"""Clauses and what follows a breach: promises, credits of every shape, caps, claims, penalties,
rewards, termination rights, escalations; and the baseline, reviews, renegotiation and notices.
Each construct: the model it builds; then its typical mistakes with message and location."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

import obligo
from obligo.model import Duration, Money, Number, Percent, SourceLocation, without_locations
from obligo.model.base import Text
from obligo.model.clauses import (
    BaselineTarget,
    Bound,
    BreachRun,
    ClaimAutomatic,
    ClaimByBillingCycle,
    ClaimRequirement,
    ClaimWithin,
    Consecutive,
    CreditFormula,
    CreditTable,
    Escalation,
    Exercise,
    FeeForDuration,
    FixedAmount,
    LongEvents,
    NOfLast,
    Objective,
    Penalty,
    PerBreach,
    PercentOfFee,
    PeriodCap,
    PerMissedRecord,
    PerUnit,
    Reward,
    TermCap,
    TerminationRight,
    Tier,
    TierCondition,
    TotalInPeriod,
    TrailingCap,
)
from obligo.model.conditions import Compare, Selection
from obligo.model.contract import (
    Baseline,
    ClauseBreached,
    MetricNoData,
    MetricValueRun,
    NeverMet,
    Notification,
    Renegotiation,
    Review,
    TermEnding,
    UnderlyingEnding,
    VolumeDrift,
    WideMargin,
)

ParseOne = Callable[[str], Any]
Error = Callable[[str], obligo.ObligoError]


def same(left: Any, right: Any) -> None:
    assert without_locations(left) == without_locations(right)


def dur(n: int | str, unit: str) -> Duration:
    return Duration(amount=Decimal(str(n)), unit=unit)


def pct(n: int | str) -> Percent:
    return Percent(value=Decimal(str(n)))


def eur(n: int | str) -> Money:
    return Money(amount=Decimal(str(n)), currency="EUR")


def below(metric: str, value: Any) -> TierCondition:
    return TierCondition(subject=metric, bounds=(Bound(op="<", value=value),))


@pytest.fixture
def clause(parse_one: ParseOne) -> Callable[[str], Any]:
    """A clause 1 made of the given lines (each indented by two spaces here)."""

    def parse(lines: str) -> Any:
        body = "".join(f"  {line}\n" for line in lines.strip("\n").split("\n"))
        return parse_one(f"clause 1\n{body}")

    return parse


@pytest.fixture
def clause_error(snippet_error: Error) -> Callable[[str], obligo.ObligoError]:
    """The error of a clause 1 with the given lines; the first line is line 3 of the file."""

    def parse(lines: str) -> obligo.ObligoError:
        body = "".join(f"  {line}\n" for line in lines.strip("\n").split("\n"))
        return snippet_error(f"clause 1\n{body}")

    return parse


# --------------------------------------------------------------------------- clause header
@pytest.mark.parametrize("clause_id", ["4", "4.1", "4.10", "3.4a", "12.3.1"])
def test_clause_ids(parse_one: ParseOne, clause_id: str) -> None:
    found = parse_one(f'clause {clause_id} "Title"\n  promise m >= 1\n')
    assert (found.id, found.title, found.override) == (clause_id, "Title", False)
    assert found.loc == SourceLocation(file="test.sla", line=2, column=8)


def test_override_clause(parse_one: ParseOne) -> None:
    found = parse_one("override clause 4.1\n  promise api-uptime >= 99.5%\n")
    assert (found.id, found.title, found.override) == ("4.1", None, True)
    assert found.loc == SourceLocation(file="test.sla", line=2, column=17)


def test_clause_service_and_description(clause: Callable[[str], Any]) -> None:
    found = clause('promise m >= 1\nservice api\ndescription "the API clause"')
    assert (found.service, found.description) == ("api", "the API clause")


# -------------------------------------------------------------------------------- promises
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "promise api-uptime >= 99.9%",
            Objective(metric="api-uptime", op=">=", target=pct("99.9")),
        ),
        (
            "promise outage-hours = 0 h",
            Objective(metric="outage-hours", op="=", target=dur(0, "h")),
        ),
        ("promise latency <= 250ms", Objective(metric="latency", op="<=", target=dur(250, "ms"))),
        (
            "promise errors < 10",
            Objective(metric="errors", op="<", target=Number(value=Decimal(10))),
        ),
        # A bare number is a number (the checks, not the parser, compare it with the metric).
        (
            "promise api-uptime >= 99.9",
            Objective(metric="api-uptime", op=">=", target=Number(value=Decimal("99.9"))),
        ),
        (
            'promise first-response for "P1" >= 95%',
            Objective(metric="first-response", group=Text(value="P1"), op=">=", target=pct(95)),
        ),
        (
            "promise first-response for 1 >= 95%",
            Objective(
                metric="first-response", group=Number(value=Decimal(1)), op=">=", target=pct(95)
            ),
        ),
        (
            "promise throughput >= 110% of the baseline",
            Objective(metric="throughput", op=">=", target=BaselineTarget(percent=pct(110))),
        ),
    ],
)
def test_promises(clause: Callable[[str], Any], line: str, expected: Objective) -> None:
    same(clause(line).promises, (expected,))


def test_promise_locations(clause: Callable[[str], Any]) -> None:
    found = clause('promise api-uptime >= 99.9%\npromise first-response for "P1" >= 95%')
    assert found.promises[0].loc == SourceLocation(file="test.sla", line=3, column=11)
    assert found.promises[0].target.loc == SourceLocation(file="test.sla", line=3, column=25)
    assert found.promises[1].group.loc == SourceLocation(file="test.sla", line=4, column=30)


# --------------------------------------------------------------------------------- credits
def test_credit_one_tier(clause: Callable[[str], Any]) -> None:
    same(
        clause("credit 10% of the fee when api-uptime < 99.9%").credits,
        (
            CreditTable(
                tiers=(
                    Tier(
                        amount=PercentOfFee(percent=pct(10)),
                        condition=below("api-uptime", pct("99.9")),
                    ),
                )
            ),
        ),
    )


def test_credit_table(clause: Callable[[str], Any]) -> None:
    found = clause(
        """
credit
  10% of the fee when api-uptime < 99.9% and >= 99.0%
  25% of the fee of uplink when api-uptime < 99.0%
  1 day of the fee when the exceedance > 5 min
  100 EUR when resolution for "P2" < 80%
"""
    )
    same(
        found.credits,
        (
            CreditTable(
                tiers=(
                    Tier(
                        amount=PercentOfFee(percent=pct(10)),
                        condition=TierCondition(
                            subject="api-uptime",
                            bounds=(
                                Bound(op="<", value=pct("99.9")),
                                Bound(op=">=", value=pct("99.0")),
                            ),
                        ),
                    ),
                    Tier(
                        amount=PercentOfFee(percent=pct(25), service="uplink"),
                        condition=below("api-uptime", pct("99.0")),
                    ),
                    Tier(
                        amount=FeeForDuration(duration=dur(1, "day")),
                        condition=TierCondition(
                            exceedance=True, bounds=(Bound(op=">", value=dur(5, "min")),)
                        ),
                    ),
                    Tier(
                        amount=FixedAmount(money=eur(100)),
                        condition=TierCondition(
                            subject="resolution",
                            group=Text(value="P2"),
                            bounds=(Bound(op="<", value=pct(80)),),
                        ),
                    ),
                ),
            ),
        ),
    )
    table = found.credits[0]
    assert table.loc == SourceLocation(file="test.sla", line=3, column=3)
    assert table.tiers[1].loc == SourceLocation(file="test.sla", line=5, column=5)
    assert table.tiers[1].condition.loc == SourceLocation(file="test.sla", line=5, column=35)
    assert table.tiers[0].condition.bounds[1].loc == SourceLocation(
        file="test.sla", line=4, column=51
    )


def test_cumulative_credit_table(clause: Callable[[str], Any]) -> None:
    found = clause("credit cumulative\n  5% of the fee when m < 99%\n  5% of the fee when m < 98%")
    assert found.credits[0].cumulative is True
    assert len(found.credits[0].tiers) == 2


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "credit 1 day of the fee per started hour of outage-hours",
            CreditFormula(
                amount=FeeForDuration(duration=dur(1, "day")),
                per=PerUnit(rounding="started", unit="h", metric="outage-hours"),
            ),
        ),
        (
            "credit 100 EUR per full hour of outage-hours",
            CreditFormula(
                amount=FixedAmount(money=eur(100)),
                per=PerUnit(rounding="full", unit="h", metric="outage-hours"),
            ),
        ),
        (
            "credit 2% of the fee of api per minute of outage-hours",
            CreditFormula(
                amount=PercentOfFee(percent=pct(2), service="api"),
                per=PerUnit(rounding="exact", unit="min", metric="outage-hours"),
            ),
        ),
    ],
)
def test_credit_formulas(clause: Callable[[str], Any], line: str, expected: CreditFormula) -> None:
    same(clause(line).credits, (expected,))


# ------------------------------------------------------------------------------------ caps
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("cap 50% of the fee per month", PeriodCap(amount=PercentOfFee(percent=pct(50)), per="month")),
        (
            "cap 1 month of the fee per quarters",
            PeriodCap(amount=FeeForDuration(duration=dur(1, "month")), per="quarter"),
        ),
        ("cap 100 EUR", PeriodCap(amount=FixedAmount(money=eur(100)))),
        (
            "cap 50% of the fee per month, shared with clauses 4.2, 4.3a",
            PeriodCap(amount=PercentOfFee(percent=pct(50)), per="month", shared_with=("4.2", "4.3a")),
        ),
        (
            "cap 50% of the fee, shared with clause 4.2",
            PeriodCap(amount=PercentOfFee(percent=pct(50)), shared_with=("4.2",)),
        ),
        (
            "cap 10% of the fees of the last 12 months, less credits already given",
            TrailingCap(percent=pct(10), periods=12, unit="month", less_given=True),
        ),
        (
            "cap 10% of the fees of the last 3 quarters",
            TrailingCap(percent=pct(10), periods=3, unit="quarter"),
        ),
        ("cap 20000 EUR over the term", TermCap(amount=FixedAmount(money=eur(20000)))),
    ],
)  # fmt: skip
def test_caps(clause: Callable[[str], Any], line: str, expected: Any) -> None:
    same(clause(line).caps, (expected,))


# ---------------------------------------------------------------------------------- claims
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "claim by the end of the second billing cycle after the month",
            ClaimByBillingCycle(ordinal=2, after="month"),
        ),
        (
            "claim by the end of the first billing cycle after the incident",
            ClaimByBillingCycle(ordinal=1, after="incident"),
        ),
        (
            "claim within 30 days after the end of the quarter",
            ClaimWithin(duration=dur(30, "day"), after="quarter", end_of=True),
        ),
        (
            "claim within 2 months after the incident",
            ClaimWithin(duration=dur(2, "month"), after="incident"),
        ),
        ("claim not required", ClaimAutomatic()),
    ],
)
def test_claims(clause: Callable[[str], Any], line: str, expected: Any) -> None:
    same(clause(line).claim, expected)


def test_claim_requirements(clause: Callable[[str], Any]) -> None:
    found = clause(
        'claim requires ticket records where kind = "outage" within 72 hours of the outage\n'
        "claim requires evidence records within 5 days of the incident"
    )
    same(
        found.claim_requirements,
        (
            ClaimRequirement(
                selection=Selection(
                    record_type="ticket",
                    where=Compare(field="kind", op="=", value=Text(value="outage")),
                ),
                within=dur(72, "h"),
                after="outage",
            ),
            ClaimRequirement(
                selection=Selection(record_type="evidence"), within=dur(5, "day"), after="incident"
            ),
        ),
    )
    assert found.claim is None


@pytest.mark.parametrize(
    ("line", "settlement"),
    [
        ("credit settled against future payments", "against_future_payments"),
        ("credit settled as a refund", "refund"),
    ],
)
def test_settlement(clause: Callable[[str], Any], line: str, settlement: str) -> None:
    assert clause(line).settlement == settlement


# ---------------------------------------------------------------------- penalties, rewards
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "penalty 500 EUR per breached month",
            Penalty(amount=FixedAmount(money=eur(500)), basis=PerBreach(unit="month")),
        ),
        (
            "penalty 5% of the fee per started hour of outage-hours",
            Penalty(
                amount=PercentOfFee(percent=pct(5)),
                basis=PerUnit(rounding="started", unit="h", metric="outage-hours"),
            ),
        ),
        (
            "penalty 10 EUR per missed record",
            Penalty(amount=FixedAmount(money=eur(10)), basis=PerMissedRecord()),
        ),
        (
            "penalty 1000 EUR when api-uptime < 95%",
            Penalty(amount=FixedAmount(money=eur(1000)), basis=below("api-uptime", pct(95))),
        ),
    ],
)
def test_penalties(clause: Callable[[str], Any], line: str, expected: Penalty) -> None:
    same(clause(line).penalties, (expected,))


def test_reward(clause: Callable[[str], Any]) -> None:
    same(
        clause("reward 5% of the fee when api-uptime >= 99.99%").rewards,
        (
            Reward(
                tier=Tier(
                    amount=PercentOfFee(percent=pct(5)),
                    condition=TierCondition(
                        subject="api-uptime", bounds=(Bound(op=">=", value=pct("99.99")),)
                    ),
                )
            ),
        ),
    )


# ------------------------------------------------------------------- termination, escalation
def test_termination_right_on_one_line(clause: Callable[[str], Any]) -> None:
    found = clause(
        "termination right when breached in 3 consecutive months, exercised within 30 days"
    )
    same(
        found.termination_rights,
        (
            TerminationRight(
                triggers=(BreachRun(window=Consecutive(count=3, unit="month")),),
                exercise=Exercise(within=dur(30, "day")),
            ),
        ),
    )
    assert found.termination_rights[0].loc == SourceLocation(file="test.sla", line=3, column=3)


def test_termination_right_block(clause: Callable[[str], Any]) -> None:
    found = clause(
        """
termination right
  when 3 outage records longer than 30 minutes start within any 30 days
  when outage-hours > 24 hours in a month
  when breached in 3 of the last 6 months
  exercised in writing within 30 days
"""
    )
    same(
        found.termination_rights,
        (
            TerminationRight(
                triggers=(
                    LongEvents(
                        count=3,
                        selection=Selection(record_type="outage"),
                        longer_than=dur(30, "min"),
                        within=dur(30, "day"),
                    ),
                    TotalInPeriod(metric="outage-hours", op=">", value=dur(24, "h"), unit="month"),
                    BreachRun(window=NOfLast(count=3, of_last=6, unit="month")),
                ),
                exercise=Exercise(within=dur(30, "day"), in_writing=True),
            ),
        ),
    )
    triggers = found.termination_rights[0].triggers
    assert triggers[1].loc == SourceLocation(file="test.sla", line=5, column=10)


def test_termination_right_without_exercise(clause: Callable[[str], Any]) -> None:
    found = clause("termination right when breached in 2 consecutive quarters")
    same(
        found.termination_rights[0],
        TerminationRight(triggers=(BreachRun(window=Consecutive(count=2, unit="quarter")),)),
    )


def test_escalation(clause: Callable[[str], Any]) -> None:
    same(
        clause('escalate to "Service Director" when breached in 2 consecutive months').escalations,
        (
            Escalation(
                to="Service Director", trigger=BreachRun(window=Consecutive(count=2, unit="month"))
            ),
        ),
    )


def test_every_item_of_a_clause_together(clause: Callable[[str], Any]) -> None:
    found = clause(
        """
promise api-uptime >= 99.9%
credit 10% of the fee when api-uptime < 99.9%
cap 50% of the fee per month
claim not required
credit settled as a refund
penalty 500 EUR per breached month
reward 5% of the fee when api-uptime >= 99.99%
termination right when breached in 3 consecutive months
escalate to "CTO" when breached in 2 consecutive months
"""
    )
    counts = [
        len(found.promises),
        len(found.credits),
        len(found.caps),
        len(found.penalties),
        len(found.rewards),
        len(found.termination_rights),
        len(found.escalations),
    ]
    assert counts == [1, 1, 1, 1, 1, 1, 1]
    assert found.claim is not None and found.settlement == "refund"


# ----------------------------------------------------- baseline, review, renegotiate, notify
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("baseline the first 3 months", Baseline(first=3, unit="month")),
        ("baseline the first 1 quarter", Baseline(first=1, unit="quarter")),
        (
            "baseline 2026-01-01 to 2026-03-31",
            Baseline(start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)),
        ),
    ],
)
def test_baseline(parse_one: ParseOne, line: str, expected: Baseline) -> None:
    same(parse_one(line + "\n"), expected)


def test_review(parse_one: ParseOne) -> None:
    found = parse_one("review every 6 months from 2026-07-01\n")
    same(found, Review(every=dur(6, "month"), start=dt.date(2026, 7, 1)))
    assert found.loc == SourceLocation(file="test.sla", line=2, column=1)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "notify 90 days before the end of the term",
            Notification(before_end=dur(90, "day")),
        ),
        (
            'notify "legal@acme.example" 3 months before the end of the term',
            Notification(to="legal@acme.example", before_end=dur(3, "month")),
        ),
    ],
)
def test_notify(parse_one: ParseOne, line: str, expected: Notification) -> None:
    same(parse_one(line + "\n"), expected)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (
            "any clause is breached in 3 of the last 6 months",
            ClauseBreached(clause=None, window=NOfLast(count=3, of_last=6, unit="month")),
        ),
        (
            "clause 4.1 is breached in 2 consecutive months",
            ClauseBreached(clause="4.1", window=Consecutive(count=2, unit="month")),
        ),
        (
            "clause 4.1 is met by a wide margin for 6 consecutive months",
            WideMargin(clause="4.1", window=Consecutive(count=6, unit="month")),
        ),
        (
            "any clause is met by a wide margin for 6 consecutive months",
            WideMargin(clause=None, window=Consecutive(count=6, unit="month")),
        ),
        ("clause 4.2 is never met during the baseline", NeverMet(clause="4.2")),
        (
            "api-uptime >= 99.99% for 6 consecutive months",
            MetricValueRun(
                metric="api-uptime",
                op=">=",
                value=pct("99.99"),
                window=Consecutive(count=6, unit="month"),
            ),
        ),
        (
            "the volume of request records moves 50% from the baseline",
            VolumeDrift(selection=Selection(record_type="request"), percent=pct(50)),
        ),
        ("any metric has no data for a month", MetricNoData(metric=None, unit="month")),
        ("api-uptime has no data for a quarter", MetricNoData(metric="api-uptime", unit="quarter")),
        ("the term ends within its notice period", TermEnding()),
        ("an underlying contract ends before the term", UnderlyingEnding()),
    ],
)
def test_renegotiation_conditions(parse_one: ParseOne, condition: str, expected: Any) -> None:
    same(parse_one(f"renegotiate when {condition}\n"), Renegotiation(condition=expected))


def test_renegotiation_reason_and_locations(parse_one: ParseOne) -> None:
    found = parse_one(
        'renegotiate when api-uptime >= 99.99% for 6 consecutive months, because "too easy"\n'
    )
    assert found.reason == "too easy"
    assert found.loc == SourceLocation(file="test.sla", line=2, column=1)
    assert found.condition.loc == SourceLocation(file="test.sla", line=2, column=18)
    assert found.condition.value.loc == SourceLocation(file="test.sla", line=2, column=32)


def test_contract_level_declarations_accumulate(parse_sla: Callable[[str], Any]) -> None:
    contract = parse_sla(
        """\
        contract c
        review every 6 months from 2026-07-01
        review every 1 year from 2027-01-01
        notify 90 days before the end of the term
        renegotiate when the term ends within its notice period
        renegotiate when any clause is breached in 2 consecutive months
        baseline the first 3 months
        """
    )
    assert len(contract.reviews) == 2
    assert len(contract.notifications) == 1
    assert len(contract.renegotiations) == 2
    same(contract.baseline, Baseline(first=3, unit="month"))


# -------------------------------------------------------------------------------- mistakes
@pytest.mark.parametrize(
    ("lines", "message", "line", "column", "hint"),
    [
        pytest.param(
            "promis api-uptime >= 99.9%", 'unexpected "promis", expected one of', 3, 3,
            'did you mean "promise"?', id="misspelt-promise",
        ),
        pytest.param(
            "promise api-uptime 99.9%", 'unexpected "99.9%", expected', 3, 22, None,
            id="promise-without-comparator",
        ),
        pytest.param(
            "promise api-uptime => 99.9%", 'unexpected ">", expected', 3, 23, None,
            id="promise-arrow",
        ),
        pytest.param(
            "promise api-uptime >= 99.9% of the baselin", 'unexpected "baselin", expected "baseline"',
            3, 38, 'did you mean "baseline"?', id="misspelt-baseline",
        ),
        pytest.param(
            "credit 10% of the fees when m < 99%", 'unexpected "fees", expected "average" or "fee"', 3, 21,
            'did you mean "fee"?', id="credit-fees",
        ),
        pytest.param(
            "credit 10 % of the fee when m < 99%", 'unexpected character "%"', 3, 13, None,
            id="percent-sign-apart",
        ),
        pytest.param(
            "credit 10% of the fee if m < 99%", 'unexpected "if", expected "of", "per" or "when"',
            3, 25, None, id="credit-if",
        ),
        pytest.param(
            "credit 1 of the fee when m < 99%", "a share of the fee must be a duration, not a number",
            3, 10, None, id="fee-share-without-unit",
        ),
        pytest.param(
            "credit 1 day of the fee per started hourz of outage",
            '"hourz" is not a unit', 3, 39, 'did you mean "hour"?', id="formula-unit",
        ),
        pytest.param(
            "credit 1 day of the fee per started hour outage",
            'unexpected "outage", expected "of"', 3, 44, None, id="formula-without-of",
        ),
        pytest.param(
            "credit\n  10% of the fee when m < 99%\n 5% of the fee when m < 98%",
            "this line is indented by 3 spaces, which matches no enclosing block (expected 2)",
            5, 1, None, id="tier-dedent-to-unknown-level",
        ),
        pytest.param(
            "credit\npromise m >= 1", 'unexpected "promise", expected an indented line', 4, 3,
            None, id="credit-table-without-tiers",
        ),
        pytest.param(
            "credit the exceedance > 5 min", 'unexpected "exceedance", expected', 3, 14, None,
            id="credit-without-amount",
        ),
        pytest.param(
            "cap 50% of the fee per mnth", '"mnth" is not a period', 3, 26,
            'did you mean "month"?', id="cap-period",
        ),
        pytest.param(
            "cap 10% of the fees of the last 12.5 months", '"12.5" must be a whole number', 3, 35,
            None, id="trailing-cap-not-whole",
        ),
        pytest.param(
            "cap 50% of the fee, shared with 4.2", 'unexpected "4.2", expected "clause" or "clauses"',
            3, 35, None, id="shared-without-clause",
        ),
        pytest.param(
            "claim by the end of the secnd billing cycle after the month",
            '"secnd" is not an ordinal', 3, 27, 'did you mean "second"?', id="claim-ordinal",
        ),
        pytest.param(
            "claim within 30 after the incident", "a claim period must be a duration, not a number",
            3, 16, None, id="claim-without-unit",
        ),
        pytest.param(
            "claim not required\nclaim not required", '"claim" is given twice in this block', 4,
            3, "the first is on line 3", id="claim-twice",
        ),
        pytest.param(
            "claim requires ticket records within 72 of the outage",
            "the time to report must be a duration, not a number", 3, 40, None,
            id="claim-requirement-without-unit",
        ),
        pytest.param(
            "credit settled as a refund\ncredit settled against future payments",
            '"credit settled" is given twice in this block', 4, 3, None, id="settlement-twice",
        ),
        pytest.param(
            "credit settled as refund", 'unexpected "refund", expected "a"', 3, 21, None,
            id="settlement-without-a",
        ),
        pytest.param(
            'description "a"\ndescription "b"', '"description" is given twice in this block', 4,
            3, None, id="description-twice",
        ),
        pytest.param(
            "penalty 500 EUR per breached mnth", '"mnth" is not a period', 3, 32,
            'did you mean "month"?', id="penalty-period",
        ),
        pytest.param(
            "penalty 500 EUR", "unexpected end of the line, expected", 3, 18, None,
            id="penalty-without-basis",
        ),
        pytest.param(
            # (The parser has read 500 as a number and "per" as its unit, so it expects "of" as
            # in 500 days of; a credit line reads the same since a penalty may be a formula.)
            "penalty 500 per breached month", 'unexpected "breached", expected "of"', 3, 19, None,
            id="penalty-without-currency",
        ),
        pytest.param(
            "reward 5% of the fee", 'unexpected end of the line, expected "when"', 3, 23, None,
            id="reward-without-condition",
        ),
        pytest.param(
            "termination right when breached in 3 consecutive monts",
            '"monts" is not a period', 3, 52, 'did you mean "months"?', id="window-unit",
        ),
        pytest.param(
            "termination right when breached in 3 of the last 6.5 months",
            '"6.5" must be a whole number', 3, 52, None, id="window-not-whole",
        ),
        pytest.param(
            "termination right when breached in 3 consecutive months, exercised within 30",
            "the time to exercise a right must be a duration, not a number", 3, 77, None,
            id="exercise-without-unit",
        ),
        pytest.param(
            "termination right\n  exercised within 30 days",
            "a termination right needs at least one `when` line", 3, 3, None,
            id="termination-without-trigger",
        ),
        pytest.param(
            "termination right\n  when breached in 2 consecutive months\n"
            "  exercised within 30 days\n  exercised within 60 days",
            "a termination right is exercised within one time, given twice here", 6, 5, None,
            id="two-exercises",
        ),
        pytest.param(
            "termination right when 3 outage records longer than 30 start within any 30 days",
            "longer than must be a duration, not a number", 3, 55, None,
            id="long-events-without-unit",
        ),
        pytest.param(
            "escalate to service-director when breached in 2 consecutive months",
            'unexpected "service-director", expected "the" or a quoted text ("...")', 3, 15, None,
            id="escalate-without-quotes",
        ),
        pytest.param(
            'escalate to "CTO" when breached in 2 consecutive months\n'
            'escalate to "CTO when breached in 3 consecutive months',
            'this text has no closing quote (")', 4, 15, None, id="escalate-unclosed-text",
        ),
    ],
)  # fmt: skip
def test_clause_mistakes(
    clause_error: Callable[[str], obligo.ObligoError],
    lines: str,
    message: str,
    line: int,
    column: int,
    hint: str | None,
) -> None:
    error = clause_error(lines)
    assert error.message.startswith(message), error.message
    assert (error.line, error.column) == (line, column), error
    if hint is not None:
        assert error.hint == hint


def test_exceedance_has_no_group(clause_error: Callable[[str], obligo.ObligoError]) -> None:
    error = clause_error('credit 1 day of the fee when the exceedance for "P1" > 5 min')
    assert error.message == "the exceedance has no groups: name a metric to use `for`"
    assert (error.line, error.column) == (3, 32)


@pytest.mark.parametrize(
    ("text", "message", "line", "column", "hint"),
    [
        pytest.param(
            "clause 4.1\n", 'unexpected end of the file, expected an indented line', 2, 11,
            None, id="clause-without-block",
        ),
        pytest.param(
            "clause a\n  promise m >= 1\n", 'unexpected "a", expected a clause number (4.1)', 2,
            8, None, id="clause-with-a-name",
        ),
        pytest.param(
            'clause 4.1 "API\n  promise m >= 1\n', 'this text has no closing quote (")', 2, 12,
            None, id="clause-title-quote",
        ),
        pytest.param(
            "clause 4.1 api\n  promise m >= 1\n",
            'unexpected "api", expected a quoted text ("...") or the end of the line', 2, 12,
            None, id="clause-title-without-quotes",
        ),
        pytest.param(
            "overide clause 4.1\n  promise m >= 1\n", 'unexpected "overide", expected one of', 2,
            1, 'did you mean "override"?', id="misspelt-override",
        ),
        pytest.param(
            "baseline the first 3 monts\n", '"monts" is not a period', 2, 22,
            'did you mean "months"?', id="baseline-unit",
        ),
        pytest.param(
            "baseline the first 3 months\nbaseline the first 2 months\n",
            "a contract has one baseline; this is the second", 3, 1, None, id="baseline-twice",
        ),
        pytest.param(
            "baseline 2026-01-01 to 2026-02-30\n", '"2026-02-30" is not a date in the calendar', 2,
            24, None, id="baseline-impossible-date",
        ),
        pytest.param(
            "review every 6 from 2026-07-01\n", "a review interval must be a duration, not a number",
            2, 14, None, id="review-without-unit",
        ),
        pytest.param(
            "review every 6 months\n", 'unexpected end of the line, expected "from"', 2, 22, None,
            id="review-without-start",
        ),
        pytest.param(
            "notify 90 before the end of the term\n", "a notice must be a duration, not a number", 2,
            8, None, id="notify-without-unit",
        ),
        pytest.param(
            "notify 90 days before the end of the contract\n", 'unexpected "contract", expected "term"',
            2, 38, None, id="notify-end-of-contract",
        ),
        pytest.param(
            "renegotiate when clause 4.1 is breachd in 2 consecutive months\n",
            'unexpected "breachd", expected', 2, 32, 'did you mean "breached"?',
            id="renegotiate-misspelt",
        ),
        pytest.param(
            "renegotiate when any clause is breached in 2 consecutive months, because too easy\n",
            'unexpected "too", expected a quoted text ("...")', 2, 74, None,
            id="because-without-quotes",
        ),
        pytest.param(
            "renegotiate when api-uptime >= 99.99% for 6 months\n",
            'unexpected "months", expected "consecutive"', 2, 45, None,
            id="value-run-without-consecutive",
        ),
        pytest.param(
            "renegotiate when any metric has no data for a mnth\n", '"mnth" is not a period', 2, 47,
            'did you mean "month"?', id="no-data-period",
        ),
    ],
)  # fmt: skip
def test_declaration_mistakes(
    snippet_error: Error, text: str, message: str, line: int, column: int, hint: str | None
) -> None:
    error = snippet_error(text)
    assert error.message.startswith(message), error.message
    assert (error.line, error.column) == (line, column), error
    if hint is not None:
        assert error.hint == hint

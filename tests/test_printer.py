"""The printer from model to contract text (``obligo.syntax.printer``): identity tests.

- A contract in canonical form prints back unchanged: ``tests/data/printer/every-construct.sla``
  (every rule of the grammar) and the printed form of every contract below.
- Every bundled contract (``contracts/**/*.sla``) and every test contract that parses prints to a
  text that parses back to the same model, in the layout of ``obligo fmt``.
- What the engine quotes of a clause in a report is what the printer writes for the same part.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lark import Tree

import obligo
from obligo.model import contract as ct
from obligo.model import metrics as m
from obligo.model.base import without_locations
from obligo.syntax import parse_contract
from obligo.syntax import printer as p
from obligo.syntax.fmt import format_text
from obligo.syntax.grammar import parser
from obligo.syntax.parser import parse_tree

REPO = Path(__file__).resolve().parent.parent
EVERY_CONSTRUCT = REPO / "tests" / "data" / "printer" / "every-construct.sla"


@cache
def contracts() -> tuple[tuple[str, str, ct.Contract], ...]:
    """(name, text, model) of every bundled contract and every test contract that parses."""
    paths = sorted((REPO / "contracts").rglob("*.sla")) + sorted((REPO / "tests").rglob("*.sla"))
    found = []
    for path in paths:
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
            found.append((str(path.relative_to(REPO)), text, parse_contract(text, path.name)))
        except (obligo.ObligoError, UnicodeDecodeError, ValueError):
            continue  # a contract of the corpus of broken contracts
    return tuple(found)


def meaning(contract: ct.Contract) -> Any:
    return without_locations(contract)


def test_there_are_contracts_to_print() -> None:
    names = [name for name, _, _ in contracts()]
    bundled = sorted(str(q.relative_to(REPO)) for q in (REPO / "contracts").rglob("*.sla"))
    assert set(bundled) <= set(names)
    assert len(names) >= 150


# ------------------------------------------------------------------------------ identity
# Canonical texts besides every-construct.sla, for what one file cannot hold twice.
CANONICAL = [
    "contract c\n\nbaseline 2026-01-01 to 2026-03-31\n",
    "contract c\n\nservice s\n\nservice t\n",
    # a service level for every customer (every-construct.sla's is for one customer)
    "contract c\n  kind multi-level\n  level service s for every customer\n",
]
# Rules the printer never writes, since the model does not tell them from their absence.
NEVER_PRINTED = {
    # `excluded from the period` is an exclusion's default treatment
    "excluded_from_period": "contract c\n\nexclusion x\n  y records\n  excluded from the period\n",
    # `fee 7 EUR per week` is `weekly`: a fee per one unit has its word
    "fee_per_unit": "contract c\n\nservice s\n  fee 7 EUR per week\n",
}


def _canonical_texts() -> list[str]:
    return [EVERY_CONSTRUCT.read_text(encoding="utf-8"), *CANONICAL]


@pytest.mark.parametrize("text", _canonical_texts())
def test_a_contract_in_canonical_form_prints_back_unchanged(text: str) -> None:
    assert p.print_contract(parse_contract(text, "canonical.sla")) == text


def _rules(tree: Tree[Any]) -> set[str]:
    return {str(t.data) for t in tree.iter_subtrees()}


def test_the_canonical_contracts_use_every_rule_of_the_grammar() -> None:
    used: set[str] = set()
    for text in _canonical_texts():
        used |= _rules(parse_tree(text, "canonical.sla"))
    rules = {
        str(rule.alias or rule.origin.name)
        for rule in parser().rules
        if not rule.options.expand1 and not str(rule.origin.name).startswith("_")
    }
    assert rules - used == set(NEVER_PRINTED)


@pytest.mark.parametrize("rule", sorted(NEVER_PRINTED))
def test_a_rule_the_printer_leaves_out_says_the_default(rule: str) -> None:
    text = NEVER_PRINTED[rule]
    assert rule in _rules(parse_tree(text, "x.sla"))
    model = parse_contract(text, "x.sla")
    printed = p.print_contract(model)
    assert rule not in _rules(parse_tree(printed, "x.sla"))
    assert meaning(parse_contract(printed, "x.sla")) == meaning(model)


@pytest.mark.parametrize(("name", "text"), [(n, t) for n, t, _ in contracts()])
def test_printing_gives_a_text_of_the_same_meaning(name: str, text: str) -> None:
    model = parse_contract(text, name)
    printed = p.print_contract(model)
    again = parse_contract(printed, name)
    assert meaning(again) == meaning(model)
    # In the canonical layout, and a fixed point: the printed text prints back unchanged.
    assert format_text(printed) == printed
    assert p.print_contract(again) == printed


# --------------------------------------------------------------- what the engine quotes
QUOTED_NAMES = """\
contract c "C"
  provider p "P"
  customer k "K"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency EUR

service api "API"
  fee 1000 EUR monthly

metric `API Uptime`
  availability of api, per calendar month
  down during `Major Outage` records

clause 1 "Uptime"
  promise `API Uptime` >= 99.9%
  credit 10% of the fee when `API Uptime` < 99.9%
  claim within 30 days after the `Major Outage`
  claim requires `Support Ticket` records within 72 h of the `Major Outage`
  termination right when 1 `Major Outage` records where `Root Cause` != "customer" longer than 30 minutes start within any 30 days
"""


def test_a_reports_quote_of_a_clause_writes_a_name_as_the_contract_does() -> None:
    """The report quotes a clause with the printer's functions: a name that is not a plain name
    (`API Uptime`) is quoted in backticks, so that the quote is contract text."""
    contract = parse_contract(QUOTED_NAMES, "quoted.sla")
    events = [
        {"type": "Major Outage", "id": "o1", "start": "2026-01-10T10:00:00Z", "end": "2026-01-10T12:00:00Z", "Root Cause": "network"},
        {"type": "Support Ticket", "id": "t1", "time": "2026-01-10T13:00:00Z"},
    ]  # fmt: skip
    report = obligo.evaluate(contract, events, at=dt.datetime(2026, 2, 15, tzinfo=dt.UTC))
    assert [v.objective for v in report.verdicts] == ["`API Uptime` >= 99.9%"] * 2
    (consequence,) = report.consequences
    assert [line.rule for line in consequence.lines] == ["10% of the fee when `API Uptime` < 99.9%"]
    assert consequence.claim is not None
    assert consequence.claim.rule == "within 30 days after the `Major Outage`"
    assert [r.requirement for r in consequence.claim.requirements] == [
        "`Support Ticket` records within 72 h of the `Major Outage`"
    ]
    (right,) = report.termination_rights
    assert right.trigger == (
        '1 `Major Outage` records where `Root Cause` != "customer" longer than 30 min start'
        " within any 30 days"
    )
    # Each quote is the printer's text of its node, and parses back to it.
    clause = contract.clauses[0]
    assert right.trigger == p.trigger(clause.termination_rights[0].triggers[0])
    assert consequence.lines[0].rule == p.tier(clause.credits[0].tiers[0])  # type: ignore[union-attr]


# ----------------------------------------------------------- names that are words of the language
# Every place an arbitrary name stands in the grammar, as a contract with N for the name(s).
_H = "contract c\n"
NAME_PLACES = {
    "contract": "contract N\n",
    "level-name": "contract c\n  level customer N\n",
    "level-customer": "contract c\n  level service s for customer N\n",
    "party": "contract c\n  provider N\n",
    "map-source": "contract c\n  map N to x\n",
    "map-target": "contract c\n  map x to N\n",
    "map-scope": "contract c\n  map x to y in N records\n",
    "field-unit": "contract c\n  field N in ms\n",
    "default-calendar": "contract c\n  calendar N\n",
    "service": _H + "\nservice N\n",
    "delivered": _H + "\nservice s\n  delivered by N\n",
    "fee-from": _H + "\nservice s\n  fee from N records, by N\n",
    "calendar": _H + "\ncalendar N\n  every day all day\n",
    "exclusion": _H + "\nexclusion N\n  r records\n",
    "exclusion-source": _H + "\nexclusion x\n  N records where N = 1\n",
    "notice-rule": _H + "\nexclusion x\n  r records\n  valid when N at least 1 day before N\n",
    "window-rule": _H + "\nexclusion x\n  r records\n  valid when within N\n",
    "metric": _H + "\nmetric N\n  availability, per calendar month\n",
    "of-service": _H + "\nmetric m\n  availability of N, per calendar month, by N\n",
    "slice-average": _H + "\nmetric m\n  the average N in slices of 1 min, per calendar month\n",
    "aggregate-field": _H
    + "\nmetric m\n  sum of N in N records where N is missing, per calendar month\n",
    "down-because": _H
    + "\nmetric m\n  availability, per calendar month\n  down when N is down because of N\n",
    "composite": _H
    + "\nmetric m\n  availability, per calendar month\n  down when any of [N, all of [N]] is down\n",
    "excluding": _H + "\nmetric m\n  availability, per calendar month\n  excluding N, N\n",
    "only-during": _H + "\nmetric m\n  availability, per calendar month\n  only during N hours\n",
    "slice-value": _H
    + "\nmetric m\n  availability, per calendar month\n  a slice without r records has an N of 1%\n",
    "named-value": _H
    + "\nmetric m\n  ratio of N to N, per calendar month\n  N = N(r records) / N(N in r records) plus N\n",
    "duration": _H
    + "\nmetric m\n  share of r records within target, per calendar month\n  duration from N to N, in N hours\n  target 1 h, in N hours\n",
    "service-ref": _H + "\nmetric m\n  availability, per calendar month\n  service N\n",
    "slice-compare": _H
    + "\nmetric m\n  availability, per calendar month\n  a slice is down when N > 1 for any N\n",
    "slice-every": _H
    + "\nmetric m\n  availability, per calendar month\n  a slice is down when every N in [1] has N records\n",
    "slice-at-least": _H
    + "\nmetric m\n  availability, per calendar month\n  a slice is down when at least 2 distinct N values have N records\n",
    "slice-exists": _H
    + "\nmetric m\n  availability, per calendar month\n  a slice is down when there are N records where not N = 1 and (N in [1] or N is present)\n",
    "promise": _H + '\nclause 1\n  promise N for "x" >= 1%\n',
    "tier": _H + "\nclause 1\n  credit 1% of the fee of N when N < 1%\n",
    "per-unit": _H + "\nclause 1\n  credit 1% of the fee per hour of N\n",
    "claim": _H + "\nclause 1\n  claim by the end of the first billing cycle after the N\n",
    "claim-within": _H + "\nclause 1\n  claim within 1 day after the end of the N\n",
    "claim-within-2": _H + "\nclause 1\n  claim within 1 day after the N\n",
    "claim-requires": _H + "\nclause 1\n  claim requires N records within 1 day of the N\n",
    "clause-service": _H + "\nclause 1\n  service N\n",
    "total-in-period": _H + "\nclause 1\n  termination right when N > 1 in a month\n",
    "long-events": _H
    + '\nclause 1\n  escalate to "x" when 2 N records longer than 1 h start within any 1 day\n',
    "penalty": _H + "\nclause 1\n  penalty 1 EUR when N > 1\n",
    "metric-value-run": _H + "\nrenegotiate when N > 1 for 2 consecutive months\n",
    "metric-no-data": _H + "\nrenegotiate when N has no data for a month\n",
    "volume": _H + "\nrenegotiate when the volume of N records moves 5% from the baseline\n",
    "call-selection": _H
    + "\nmetric m\n  ratio of v to w, per calendar month\n  v = count(N records where N = 1) / sum(N in N records)\n",
    "call-arguments": _H
    + "\nmetric m\n  ratio of v to w, per calendar month\n  v = maximum(N, N minus N)\n",
    "fee-where": _H + "\nservice s\n  fee 1 EUR monthly where N = 1 or not (N in [1])\n",
    "only-while": _H
    + "\nmetric m\n  availability, per calendar month\n  only while N records\n  down during N records\n",
    "slice-without": _H
    + "\nmetric m\n  availability, per calendar month\n  a slice without N records is up\n",
    "mttr": _H + "\nmetric m\n  mean time to repair of N records, per calendar month\n",
    "share": _H + "\nmetric m\n  share of N records within target, per calendar month\n",
    "total": _H + "\nmetric m\n  total duration of N records, per calendar month\n",
    "count": _H + "\nmetric m\n  count of N records, per calendar month\n",
    "target-calendar": _H
    + '\nmetric m\n  share of r records within target, per calendar month\n  target "x" 1 h, in N hours\n',
    "clause-promise-plain": _H + "\nclause 1\n  promise N >= 1%\n",
    "reward": _H + "\nclause 1\n  reward 1% of the fee when N >= 1%\n",
    "escalate": _H + '\nclause 1\n  escalate to "x" when N > 1 in a month\n',
    "termination-block": _H
    + "\nclause 1\n  termination right\n    when N > 1 in a month\n    when 2 N records longer than 1 h start within any 1 day\n",
    "cap-fee-of": _H + "\nclause 1\n  cap 1% of the fee of N per month\n",
    "penalty-per": _H + "\nclause 1\n  penalty 1 EUR per started hour of N\n",
    "renegotiate-clause": _H
    + "\nrenegotiate when the volume of N records where N = 1 moves 5% from the baseline\n",
    "baseline-metric": _H + "\nrenegotiate when N >= 1% for 2 consecutive months\n",
    "duration-fields": _H
    + "\nmetric m\n  share of r records within target, per calendar month\n  duration from N to N\n",
    "calendar-party": 'contract c\n  customer N "x" represented by "y"\n  supplier N\n',
    "exclusion-window": _H + "\nexclusion x\n  N records\n  valid when within N\n",
}


@pytest.mark.slow
@pytest.mark.parametrize("place", sorted(NAME_PLACES))
def test_a_name_that_is_a_keyword_prints_so_that_it_reads_back_as_a_name(place: str) -> None:
    """Written in backticks, any keyword is a name anywhere; printed, it is written bare where
    the lexer reads it as a name and in backticks where it would read the keyword."""
    template = NAME_PLACES[place]
    parse_contract(template.replace("N", "x"), "n.sla")  # the place itself is valid
    tried = 0
    for word in sorted(p.keywords()):
        try:
            model = parse_contract(template.replace("N", f"`{word}`"), "n.sla")
        except obligo.ObligoError:
            continue  # refused for its meaning here (a unit, a level word, ...), not its spelling
        printed = p.print_contract(model)
        assert meaning(parse_contract(printed, "n.sla")) == meaning(model), (word, printed)
        tried += 1
    assert tried > 50


# ---------------------------------------------------------------------------- details
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("renews every 1 year", "renews yearly"),
        ("renews annually", "renews yearly"),
        ("renews every 2 quarters", "renews every 2 quarters"),
        ("notice 90 d", "notice 90 days"),
        ("notice 3 business days", "notice 3 business days"),
    ],
)
def test_a_term_prints_in_canonical_spelling(text: str, expected: str) -> None:
    model = parse_contract(f"contract c\n  term 2026-01-01, {text}\n", "t.sla")
    assert p.print_contract(model) == f"contract c\n  term 2026-01-01, {expected}\n"


@pytest.mark.parametrize(
    ("expression", "printed"),
    [
        ("a minus b minus c", "a minus b minus c"),
        ("a minus (b minus c)", "a minus (b minus c)"),
        ("(a plus b) * c", "(a plus b) * c"),
        ("a / (b * c)", "a / (b * c)"),
        ("a / b * c", "a / b * c"),
        ("((a))", "a"),
        ("count(x records) / count(y records where z = 1)", None),
    ],
)
def test_arithmetic_is_bracketed_only_where_the_grammar_needs_it(
    expression: str, printed: str | None
) -> None:
    text = f"contract c\n\nmetric m\n  ratio of v to w, per calendar month\n  v = {expression}\n"
    (metric,) = parse_contract(text, "m.sla").metrics
    assert p.expression(metric.values[0].expression) == (printed or expression)


def test_measure_lines() -> None:
    text = "contract c\n\nmetric m\n  average of latency in request records, per calendar month\n"
    (metric,) = parse_contract(text, "m.sla").metrics
    assert isinstance(metric.measure, m.Aggregate)
    assert p.measure(metric.measure) == "mean of latency in request records, per calendar month"

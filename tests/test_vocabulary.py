"""One vocabulary (``obligo.model.vocabulary``): the grammar and the transformer accept every word
of it where it belongs and refuse a word outside it; the checks, the parser's messages, the
formatter and the model's types agree with it."""

from __future__ import annotations

import typing

import pytest

import obligo
from obligo.model import clauses as c
from obligo.model import contract as k
from obligo.model import metrics as m
from obligo.model import vocabulary as v
from obligo.syntax.grammar import parser
from obligo.syntax.parser import expected_words

HEAD = 'contract c "C"\n  term 2026-01-01 to 2026-12-31{term}\n  timezone "UTC"\n'


def parse(text: str) -> k.Contract:
    return obligo.parse(text, filename="v.sla")


def error(text: str) -> obligo.ObligoError:
    with pytest.raises(obligo.ObligoError) as raised:
        parse(text)
    return raised.value


def metric(measure: str, *lines: str) -> str:
    body = "".join(f"  {line}\n" for line in lines)
    return HEAD.format(term="") + f"\nmetric m\n  {measure}\n{body}"


def calendar(days: str) -> str:
    return HEAD.format(term="") + f"\ncalendar office\n  {days} 09:00 to 17:00\n"


def claim(ordinal: str) -> str:
    return HEAD.format(term="") + (
        "\nclause 1\n  promise m >= 99%\n"
        f"  claim by the end of the {ordinal} billing cycle after the month\n"
    )


def grammar_keywords() -> set[str]:
    return {
        str(t.pattern.value)
        for t in parser().terminals
        if t.pattern.type == "str" and str(t.pattern.value).replace("-", "").isalpha()
    }


def literal_words_of(rule: str) -> set[str]:
    """The keywords a rule of the grammar takes as one of its alternatives by themselves."""
    names = {t.name: str(t.pattern.value) for t in parser().terminals if t.pattern.type == "str"}
    found: set[str] = set()
    for r in parser().rules:
        if r.origin.name == rule and len(r.expansion) == 1 and r.expansion[0].name in names:
            found.add(names[r.expansion[0].name])
    return found


# ------------------------------------------------------------------------------- weekdays
@pytest.mark.parametrize("day", v.WEEKDAYS)
def test_every_weekday_is_a_day_of_a_calendar(day: str) -> None:
    (hours,) = parse(calendar(day)).calendars[0].hours
    assert hours.days == (day,)


def test_a_range_of_weekdays_runs_in_the_vocabularys_order() -> None:
    (hours,) = parse(calendar(f"{v.WEEKDAYS[0]} to {v.WEEKDAYS[-1]}")).calendars[0].hours
    assert hours.days == v.WEEKDAYS
    (hours,) = parse(calendar("every day")).calendars[0].hours
    assert hours.days == v.WEEKDAYS


def test_a_word_outside_the_weekdays_is_refused() -> None:
    found = error(calendar("mondy"))
    assert (found.message, found.hint) == (
        '"mondy" is not a day of the week',
        'did you mean "monday"?',
    )


# ---------------------------------------------------------------------------- frequencies
@pytest.mark.parametrize("word", list(v.FREQUENCIES))
def test_every_frequency_renews_a_term(word: str) -> None:
    term = parse(HEAD.format(term=f", renews {word}")).term
    assert term is not None and term.renewal is not None
    amount, unit = v.FREQUENCIES[word]
    assert (str(term.renewal.every.amount), term.renewal.every.unit) == (amount, unit)


def test_a_word_outside_the_frequencies_is_refused() -> None:
    found = error(HEAD.format(term=", renews fortnightly"))
    assert found.message == '"fortnightly" is not a frequency'
    assert found.hint == "use daily, weekly, monthly, quarterly, yearly or annually"


# ------------------------------------------------------------------------------- ordinals
@pytest.mark.parametrize("word", list(v.ORDINALS))
def test_every_ordinal_names_a_billing_cycle(word: str) -> None:
    (clause,) = parse(claim(word)).clauses
    assert isinstance(clause.claim, c.ClaimByBillingCycle)
    assert clause.claim.ordinal == v.ORDINALS[word]
    assert v.ORDINAL_WORDS[clause.claim.ordinal] == word


def test_a_word_outside_the_ordinals_is_refused() -> None:
    found = error(claim("seventh"))
    assert (found.message, found.hint) == (
        '"seventh" is not an ordinal',
        "use first, second, third, ...",
    )


# ------------------------------------------------------------------ aggregates, percentiles
@pytest.mark.parametrize("word", list(v.AGGREGATE_FUNCTIONS))
def test_every_aggregate_function_aggregates_records(word: str) -> None:
    field = "" if word == "count" else "latency in "
    (found,) = parse(metric(f"{word} of {field}request records, per calendar month")).metrics
    assert isinstance(found.measure, m.Aggregate)
    assert found.measure.function == v.AGGREGATE_FUNCTIONS[word]


@pytest.mark.parametrize("word", list(v.AGGREGATE_FUNCTIONS))
def test_every_aggregate_function_is_a_function_of_an_expression(word: str) -> None:
    text = metric(
        "ratio of x to y, per calendar month",
        f"x = {word}(request records)",
        "y = count(request records)",
    )
    assert not [d for d in obligo.check(parse(text)) if "function" in d.message]


def test_an_aggregate_outside_the_vocabulary_is_refused() -> None:
    found = error(metric("tally of latency in request records, per calendar month"))
    assert found.message == '"tally" is not a way to aggregate records'
    assert found.hint == "use count, sum, mean, maximum, minimum or a percentile such as p95"
    (finding,) = obligo.check(
        parse(metric("ratio of x to x, per calendar month", "x = tally(request records)"))
    )
    assert finding.message == 'unknown function "tally"'


def test_the_grammars_own_aggregate_keywords_are_in_the_vocabulary() -> None:
    # `aggregate_fn: name | "mean" | PERCENTILE_NAME`: "mean" is a keyword elsewhere too.
    assert literal_words_of("aggregate_fn") == {"mean"}
    assert literal_words_of("aggregate_fn") <= set(v.AGGREGATE_FUNCTIONS)


@pytest.mark.parametrize("word", [v.PERCENTILE_EXAMPLE, "p99.9", "p1", "p100"])
def test_percentile_names(word: str) -> None:
    assert v.PERCENTILE_NAME.match(word)
    (found,) = parse(metric(f"{word} of latency in request records, per calendar month")).metrics
    assert isinstance(found.measure, m.Aggregate) and found.measure.function == "percentile"


@pytest.mark.parametrize("method", v.PERCENTILE_METHODS)
def test_every_percentile_method_is_read(method: str) -> None:
    text = metric(
        "p95 of latency in request records, per calendar month", f"percentile method {method}"
    )
    assert parse(text).metrics[0].percentile_method == method


def test_a_percentile_method_outside_the_vocabulary_is_refused() -> None:
    found = error(
        metric("p95 of latency in request records, per calendar month", "percentile method nearest")
    )
    assert found.message == '"nearest" is not a percentile method'
    assert found.hint == 'did you mean "nearest-rank"?'
    assert v.DEFAULT_PERCENTILE_METHOD in v.PERCENTILE_METHODS


# ------------------------------------------------------------------------ kinds and levels
@pytest.mark.parametrize("kind", v.AGREEMENT_KINDS)
def test_every_kind_of_agreement_is_read(kind: str) -> None:
    assert parse(f"contract c\n  kind {kind}\n").kind == kind


@pytest.mark.parametrize("level", v.LEVELS)
def test_every_level_is_read(level: str) -> None:
    named = "" if level == "corporate" else " x"
    found = parse(f"contract c\n  level {level}{named}\n").level
    assert found is not None and found.level == level


def test_a_kind_or_level_outside_the_vocabulary_is_refused() -> None:
    assert (
        error("contract c\n  kind hub-based\n").message == '"hub-based" is not a kind of agreement'
    )
    assert error("contract c\n  level region x\n").message == '"region" is not a level'


def test_the_models_types_are_the_vocabulary() -> None:
    assert typing.get_args(k.AgreementKind) == v.AGREEMENT_KINDS
    assert typing.get_args(k.Level.model_fields["level"].annotation) == v.LEVELS
    functions = set(typing.get_args(m.AggregateFunction))
    assert functions == {*v.AGGREGATE_FUNCTIONS.values(), "percentile"}


# ---------------------------------------------------------------------------------- units
@pytest.mark.parametrize("spelling", list(v.SPELLINGS))
def test_every_unit_spelling_is_a_unit_of_a_quantity(spelling: str) -> None:
    for written in (f"1 {spelling}", f"1{spelling}"):
        term = parse(HEAD.format(term=f", notice {written}")).term
        assert term is not None and term.notice is not None
        assert term.notice.unit == v.SPELLINGS[spelling], written


def test_a_unit_outside_the_vocabulary_is_refused() -> None:
    found = error(HEAD.format(term=", notice 1 fortnight"))
    assert found.message.startswith('"fortnight" is not a unit'), found.message


@pytest.mark.parametrize("word", list(v.PERIOD_WORDS))
def test_every_period_word_counts_a_run_of_periods(word: str) -> None:
    text = (
        HEAD.format(term="") + f"\nrenegotiate when clause 1 is breached in 2 consecutive {word}\n"
    )
    condition = parse(text).renegotiations[0].condition
    assert isinstance(condition, k.ClauseBreached)
    assert condition.window.unit == v.PERIOD_WORDS[word]


@pytest.mark.parametrize("word", v.CALENDAR_PERIODS)
def test_every_calendar_period_is_a_period_of_a_metric(word: str) -> None:
    (found,) = parse(metric(f"count of request records, per calendar {word}")).metrics
    assert isinstance(found.measure, m.Aggregate)
    assert isinstance(found.measure.period, m.CalendarPeriod)
    assert found.measure.period.unit == word


def test_the_parsers_unit_message_names_units_of_the_vocabulary() -> None:
    assert set(v.UNIT_EXAMPLES) <= set(v.SPELLINGS)
    message = expected_words({"NAME", "BUSINESS"})
    assert f"a unit ({', '.join(v.UNIT_EXAMPLES)}, ...)" in message
    found = error(HEAD.format(term=", notice 30 (")).message
    assert found == (
        'unexpected "(", expected ",", "business", a unit (ms, s, min, hours, days, ...) or the'
        " end of the line"
    )


def test_unit_words_and_field_name_endings_are_units_of_the_vocabulary() -> None:
    assert set(v.UNIT_NAMES) == set(v.SPELLINGS.values())
    assert all(v.SPELLINGS[word] == unit for unit, word in v.UNIT_NAMES.items())
    assert all(unit in v.SPELLINGS for _, unit in v.FIELD_NAME_UNIT_ENDINGS)
    assert set(v.FIELD_UNITS) <= set(v.UNIT_NAMES) and set(v.BUSINESS_UNITS) <= set(v.UNIT_NAMES)


# ------------------------------------------------------------------------ the formatter
def test_group_words_are_keywords_and_no_function() -> None:
    assert v.GROUP_WORDS <= grammar_keywords()
    assert not v.GROUP_WORDS & set(v.AGGREGATE_FUNCTIONS)


# ---------------------------------------------------- the engine's copies, until it draws on it
def test_the_engines_copies_are_the_vocabulary() -> None:
    from obligo.engine.consequences import rules
    from obligo.engine.measure import aggregates, expressions
    from obligo.engine.time import business_time

    assert business_time.WEEKDAYS == v.WEEKDAYS
    assert set(aggregates.METHODS) == set(v.PERCENTILE_METHODS)
    assert rules.UNIT_WORDS == v.UNIT_NAMES
    assert set(expressions.FUNCTIONS) == set(v.AGGREGATE_FUNCTIONS)


# ------------------------------------------------------- what a message offers, in its words
@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        (
            "contract c\n  kind zzz\n",
            '"zzz" is not a kind of agreement',
            "use service-based, customer-based or multi-level",
        ),
        (calendar("zzz"), '"zzz" is not a day of the week', "days are monday to sunday"),
        (
            metric("count of r records, per calendar zzz"),
            '"zzz" is not a calendar period',
            "use day, week, month, quarter or year",
        ),
        (
            HEAD.format(term="") + "\nrenegotiate when clause 1 is breached in 2 consecutive zzz\n",
            '"zzz" is not a period',
            "use day, week, month, quarter or year",
        ),
        (
            metric("p95 of l in r records, per calendar month", "percentile method zzz"),
            '"zzz" is not a percentile method',
            "use nearest-rank, linear, lower, higher, midpoint",
        ),
    ],
)
def test_a_word_outside_the_vocabulary_is_offered_the_vocabulary(
    text: str, message: str, hint: str
) -> None:
    found = error(text)
    assert (found.message, found.hint) == (message, hint)


def test_one_of_lists_words_as_messages_do() -> None:
    assert v.one_of(["a"]) == "a"
    assert v.one_of(["a", "b", "c"]) == "a, b or c"
    assert v.one_of(v.AGGREGATE_CHOICES) == (
        "count, sum, mean, maximum, minimum or a percentile such as p95"
    )


# --------------------------------------------- a percentile called in an expression (a bug)
def call(function: str) -> str:
    return metric(
        "ratio of v to w, per calendar month",
        f"v = {function}(latency in request records)",
        "w = count(request records)",
    )


@pytest.mark.parametrize("function", ["p0", "p101", "p100.5"])
def test_a_percentile_out_of_range_in_an_expression_is_refused_as_in_an_aggregate(
    function: str,
) -> None:
    # `p101 of latency in request records` is refused when parsed; `p101(...)` in an expression
    # passed the checks and made eval fail with an internal IndexError.
    aggregate = error(metric(f"{function} of latency in request records, per calendar month"))
    assert aggregate.message == f"{function} is not a percentile: use p1 to p100"
    (finding,) = obligo.check(parse(call(f"`{function}`")))
    assert (finding.severity, finding.message) == (
        obligo.Severity.ERROR,
        f"{function} is not a percentile: use p1 to p100",
    )
    assert (finding.line, finding.column) == (7, 7)


@pytest.mark.parametrize("function", ["`p.5`", "`p1.`"])
def test_a_word_not_named_like_a_percentile_is_an_unknown_function(function: str) -> None:
    (finding,) = obligo.check(parse(call(function)))
    assert finding.message == f'unknown function "{function.strip("`")}"'


@pytest.mark.parametrize("function", ["p1", "p50", "`p99.9`", "p100"])
def test_a_percentile_in_an_expression(function: str) -> None:
    assert obligo.check(parse(call(function))) == []


def test_units_shorter_than_a_day() -> None:
    from obligo.model.base import Duration
    from obligo.model.units import SECONDS

    assert set(v.UNITS_SHORTER_THAN_A_DAY) == {u for u, s in SECONDS.items() if s < 86400}
    # The model writes them without a plural, as the vocabulary says.
    for unit in set(v.SPELLINGS.values()):
        short = unit in v.UNITS_SHORTER_THAN_A_DAY
        assert str(Duration(amount=2, unit=unit)) == (f"2 {unit}" if short else f"2 {unit}s")
    found = obligo.check(
        parse(HEAD.format(term="") + "\nclause 1\n  credit 4 h of the fee per hour of x\n")
    )
    assert "a fee is counted in days, weeks, months, quarters or years, not 4 h" in [
        d.message for d in found
    ]

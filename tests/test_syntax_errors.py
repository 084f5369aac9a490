"""Errors as a contract author meets them: in words (never the parser's token names), at the
exact line and column of the mistake, with a hint where one helps; the right error class; the
file name, the source line and a caret in the formatted message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import obligo

Error = Callable[[str], obligo.ObligoError]
Check = Callable[[obligo.ObligoError, str], None]

MEASURE = "  availability, per calendar month\n"
CONTRACT = "contract c\n"


# ------------------------------------------------------------------- misspelt keywords
@pytest.mark.parametrize(
    ("text", "found", "suggestion", "line", "column"),
    [
        ("contrct c\n", "contrct", "contract", 1, 1),
        ("contract c\nservic s\n", "servic", "service", 2, 1),
        ("contract c\ncalender office\n  monday 09:00 to 17:00\n", "calender", "calendar", 2, 1),
        ("contract c\nexclusoin e\n  x records\n", "exclusoin", "exclusion", 2, 1),
        ("contract c\nclaus 1\n  promise m >= 1\n", "claus", "clause", 2, 1),
        ("contract c\nbasline the first 3 months\n", "basline", "baseline", 2, 1),
        ("contract c\nreveiw every 6 months from 2026-01-01\n", "reveiw", "review", 2, 1),
        ("contract c\n  provder nimbus\n", "provder", "provider", 2, 3),
        ("contract c\n  timezon \"UTC\"\n", "timezon", "timezone", 2, 3),
        ("contract c\n  term 2026-01-01, renew yearly\n", "renew", "renews", 2, 20),
        ("contract c\n  term 2026-01-01, notise 90 days\n", "notise", "notice", 2, 20),
        ("contract c\n  billing cycel monthly\n", "cycel", "cycle", 2, 11),
        ("contract c\nservice s\n  delivered bye x\n", "bye", "by", 3, 13),
        ("contract c\nmetric m\n" + MEASURE + "  exluding maintenance\n", "exluding", "excluding", 4, 3),
        ("contract c\nmetric m\n  availability, pr calendar month\n", "pr", "per", 3, 17),
        ("contract c\nmetric m\n  availability, per calender month\n", "calender", "calendar", 3, 21),
        ("contract c\nclause 1\n  promise m >= 1\n  credt 10% of the fee when m < 1\n", "credt", "credit", 4, 3),
        ("contract c\nclause 1\n  penalty 5 EUR per breachd month\n", "breachd", "breached", 3, 21),
        # A misspelt word where a name is allowed reads as a name (an aggregate function, a named
        # value, a unit); the parser fails at the next word, but the error is about this one.
        ("contract c\nmetric m\n  availabilty, per calendar month\n", "availabilty", "availability", 3, 3),
        ("contract c\nmetric m\n  totl duration of x records, per calendar month\n", "totl", "total", 3, 3),
        ("contract c\nmetric m\n  mean tme to repair of x records, per calendar month\n", "tme", "time", 3, 8),
        ("contract c\nmetric m\n" + MEASURE + "  servce api\n", "servce", "service", 4, 3),
        ("contract c\nmetric m\n" + MEASURE + "  exluding\n", "exluding", "excluding", 4, 3),
        ("contract c\nclause 1\n  termination rigth when breached in 2 consecutive months\n", "rigth", "right", 3, 15),
    ],
)  # fmt: skip
def test_misspelt_keyword_did_you_mean(
    sla_error: Error, text: str, found: str, suggestion: str, line: int, column: int
) -> None:
    error = sla_error(text)
    assert isinstance(error, obligo.ObligoSyntaxError)
    assert error.message.startswith(f'unexpected "{found}", expected'), error.message
    assert f'"{suggestion}"' in error.message or error.message.endswith("...")
    assert error.hint == f'did you mean "{suggestion}"?'
    assert (error.line, error.column) == (line, column)


@pytest.mark.parametrize(
    ("text", "found", "line", "column"),
    [
        ("contract c\nmetric m\n  availability, per calendarmonth\n", "calendarmonth", 3, 21),
        ("contract c\nmetric m\n  availability, perbilling cycle\n", "perbilling", 3, 17),
        ("contract c\n  billing cyclemonthly\n", "cyclemonthly", 2, 11),
        ("contract c\nmetric m\n" + MEASURE + "  at least 10 records, otherwise nodata\n", "nodata", 4, 34),
        ("contract c\nmetric m\n" + MEASURE + "  a slice without x records isup\n", "isup", 4, 29),
        ("contract c\nmetric m\n" + MEASURE + "  a record still open isleft out\n", "isleft", 4, 23),
        ("contract c\nclause 1\n  claim notrequired\n", "notrequired", 3, 9),
        ("contract c\nbaseline thefirst 3 months\n", "thefirst", 2, 10),
        ("contract c\n  margins wideat most 20%, narrow above 80%\n", "wideat", 2, 11),
    ],
)  # fmt: skip
def test_keyword_glued_to_the_next_word_is_refused(
    sla_error: Error, text: str, found: str, line: int, column: int
) -> None:
    # The lexer would read "calendarmonth" as "calendar" then "month" where no name is allowed.
    error = sla_error(text)
    assert isinstance(error, obligo.ObligoSyntaxError)
    assert error.message.startswith(f'unexpected "{found}", expected'), error.message
    assert (error.line, error.column) == (line, column)


def test_a_name_that_is_not_a_misspelling_gets_no_suggestion(sla_error: Error) -> None:
    error = sla_error("contract c\nmetric m\n" + MEASURE + "  uptime 5\n")
    assert error.message == 'unexpected "5", expected "="'
    assert (error.line, error.column, error.hint) == (4, 10, None)


def test_glued_keyword_gets_a_suggestion(sla_error: Error) -> None:
    error = sla_error("contract c\nmetric m\n" + MEASURE + "  a slice without x records is upp\n")
    assert error.message == 'unexpected "upp", expected "down", "skipped" or "up"'
    assert error.hint == 'did you mean "up"?'


# ------------------------------------------------------------------- missing pieces
@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        pytest.param(
            "contract c\n  kind\n", "unexpected end of the line, expected a name", 2, 7,
            id="missing-name",
        ),
        pytest.param(
            "contract c\n  kind   # which kind?\n", "unexpected end of the line, expected a name",
            2, 7, id="missing-name-before-comment",
        ),
        pytest.param(
            "contract c\n  kind\n\n# note\n\nservice s\n",
            "unexpected end of the line, expected a name", 2, 7,
            id="missing-name-before-blank-lines",
        ),
        pytest.param(
            "contract c\n  term\n", "unexpected end of the line, expected a date (YYYY-MM-DD)", 2,
            7, id="missing-date",
        ),
        pytest.param(
            "contract c\n  currency", "unexpected end of the line, expected a currency code (EUR)",
            2, 11, id="missing-currency-at-end-of-file",
        ),
        pytest.param(
            "contract c\nmetric m\n", "unexpected end of the file, expected an indented line", 2,
            9, id="metric-without-block",
        ),
        pytest.param(
            "contract c\nclause 1\n  promise m >=\n",
            "unexpected end of the line, expected", 3, 15, id="promise-without-target",
        ),
        pytest.param(
            "contract c\nmetric m\n" + MEASURE + "  down during x records where\n",
            'unexpected end of the line, expected "(", "not" or a name', 4, 30,
            id="where-without-condition",
        ),
    ],
)  # fmt: skip
def test_missing_pieces_are_reported_at_the_end_of_the_line(
    sla_error: Error, text: str, message: str, line: int, column: int
) -> None:
    error = sla_error(text)
    assert error.message.startswith(message), error.message
    assert (error.line, error.column) == (line, column)


# ------------------------------------------------------------------- characters and brackets
@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        pytest.param('contract c "C\n', 'this text has no closing quote (")', 1, 12, id="quote"),
        pytest.param(
            'contract c\n  description "two\nlines"\n', 'this text has no closing quote (")', 2,
            15, id="quote-across-lines",
        ),
        pytest.param(
            "contract c\n  kind customer-based!\n", 'unexpected character "!", expected the end of the line',
            2, 22, id="exclamation",
        ),
        pytest.param(
            "contract c\n  kind Customer\n", 'unexpected character "C", expected a name', 2, 8,
            id="uppercase-name",
        ),
        pytest.param(
            "contract c\n  kind \x0c\n", 'unexpected character "U+000C", expected a name', 2, 8,
            id="form-feed-shown-as-code-point",
        ),
        pytest.param(
            "contract c\n  kind \x00\n", 'unexpected character "U+0000", expected a name', 2, 8,
            id="nul-shown-as-code-point",
        ),
        pytest.param(
            "contract c\n  kind é\n", 'unexpected character "é", expected a name', 2, 8,
            id="non-ascii-letter",
        ),
        pytest.param(
            "contract c\nmetric m\n" + MEASURE + "  down during x records where a in [1, 2\n",
            'this "[" is not closed', 4, 36, id="unclosed-bracket",
        ),
        pytest.param(
            "contract c\nmetric m\n" + MEASURE + "  x = count(r records\n",
            'this "(" is not closed', 4, 12, id="unclosed-parenthesis",
        ),
        pytest.param(
            "contract c\nmetric m\n" + MEASURE + "  x = count(r records where (a = 1)\n",
            'this "(" is not closed', 4, 12, id="unclosed-outer-parenthesis",
        ),
        pytest.param(
            "contract c\nmetric m\n" + MEASURE + "  x = count(r records where a = \")(\"\n",
            'this "(" is not closed', 4, 12, id="brackets-inside-text-do-not-count",
        ),
        pytest.param(
            "contract c\nmetric m\n" + MEASURE + "  x = count(r records))\n",
            'unexpected ")", expected "minus", "plus" or the end of the line', 4, 23,
            id="extra-parenthesis",
        ),
    ],
)  # fmt: skip
def test_characters_and_brackets(
    sla_error: Error, text: str, message: str, line: int, column: int
) -> None:
    error = sla_error(text)
    assert error.message == message
    assert (error.line, error.column) == (line, column)


def test_unclosed_bracket_swallowing_the_next_line_gets_a_hint(sla_error: Error) -> None:
    error = sla_error(
        "contract c\nmetric m\n" + MEASURE + "  down during x records where (a = 1\n"
        "metric n\n" + MEASURE
    )
    assert (error.line, error.column) == (5, 8)
    assert error.hint == 'is the "(" on line 4 closed?'


def test_tab_in_indentation(sla_error: Error) -> None:
    error = sla_error('contract c\n  currency EUR\n\t timezone "UTC"\n')
    assert error.message == "a tab in indentation; indent with spaces"
    assert (error.line, error.column) == (3, 1)
    assert error.source_line == '\t timezone "UTC"'


def test_tab_inside_brackets_is_whitespace(
    parse_sla: Callable[[str], obligo.model.Contract],
) -> None:
    contract = parse_sla(
        "contract c\nmetric m\n" + MEASURE + "  down during x records where (a = 1\n\tand b = 2)\n"
    )
    assert contract.metrics[0].down_during[0].where is not None


# ------------------------------------------------------------------- the shape of an error
def test_formatted_error_with_file_caret_and_hint(tmp_path: Path) -> None:
    path = tmp_path / "broken.sla"
    path.write_text("contract c\n  kin customer-based\n", encoding="utf-8")
    with pytest.raises(obligo.ObligoSyntaxError) as info:
        obligo.load(path)
    error = info.value
    assert error.file == str(path)
    assert str(error).splitlines()[1:] == ["    kin customer-based", "    ^"]
    assert str(error).splitlines()[0].startswith(f'{path}:2:3: error: unexpected "kin", expected')
    assert str(error).splitlines()[0].endswith('(did you mean "kind"?)')
    diagnostic = error.diagnostic()
    assert (diagnostic.file, diagnostic.line, diagnostic.column) == (str(path), 2, 3)
    assert diagnostic.severity is obligo.Severity.ERROR


def test_load_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(obligo.ObligoError) as info:
        obligo.load(tmp_path / "nope.sla")
    assert info.value.message.startswith("cannot read")
    assert (info.value.line, info.value.column) == (1, 1)


def test_default_filename() -> None:
    with pytest.raises(obligo.ObligoError) as info:
        obligo.parse("contract c\n  kind\n")
    assert info.value.file == "<string>"


def test_semantic_error_keeps_the_source_line(sla_error: Error) -> None:
    error = sla_error("contract c\n  kind service-base   # typo\n")
    assert isinstance(error, obligo.ObligoSemanticError)
    assert error.source_line == "  kind service-base   # typo"
    assert (error.line, error.column) == (2, 8)
    assert error.hint == 'did you mean "service-based"?'


def test_long_expected_lists_are_cut(sla_error: Error) -> None:
    error = sla_error("contract c\n  kin x\n")
    assert error.message.startswith('unexpected "kin", expected one of ')
    listed = error.message.split(" expected one of ", 1)[1].split(", ")
    assert len(listed) == 9 and listed[-1] == "..."


@pytest.mark.parametrize(
    "text",
    [
        "contract c\n  kind (\n",
        "contract c\n  kind [\n",
        "contract c\nmetric m\n  availability, per calendar month >= 1\n",
        "contract c\nmetric m\n" + MEASURE + "  down during x records where a = 1 ) \n",
        "contract c\nmetric m\n" + MEASURE + "  x = a * * b\n",
        "contract c\nmetric m\n" + MEASURE + "  x = a / / b\n",
        "contract c\nmetric m\n" + MEASURE + "  x = f(,)\n",
        "contract c\nmetric m\n" + MEASURE + "  down when any of [a,] is down\n",
        "contract c\nclause 1\n  promise m >= 1 ,\n",
        "contract c\nclause 1\n  promise m != = 1\n",
        "contract c\nclause 1\n  promise m < > 1\n",
        "contract c\n  term 2026-01-01,\n",
        "contract c\n  term 2026-01-01 09:00\n",
        "contract c\n  term 12:00\n",
        "contract c\n  margins wide at most 20%,, narrow above 80%\n",
        "contract c\n  map `a to b\n",
        "contract c\n  currency EURO\n",
        "contract c 4.1\n",
        "contract c\nclause 4.1.\n  promise m >= 1\n",
        "contract c\nclause\n",
        "import\n",
        "contract c\n  description\n",
        "contract c\n  level\n",
        "$\n",
        "contract c\n@\n",
        "contract c\n  kind a-\n",
        "contract c\n  kind -a\n",
        "contract c\n  kind a--b\n",
        "contract c\n   \n  \t\n  kind\n",
    ],
)
def test_no_token_names_in_messages(in_words: Check, text: str) -> None:
    with pytest.raises(obligo.ObligoError) as info:
        obligo.parse(text, filename="test.sla")
    in_words(info.value, "")


# ------------------------------------------------------------------- error class
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("contract c\n  kin x\n", obligo.ObligoSyntaxError),
        ("contract c\n\tkind x\n", obligo.ObligoSyntaxError),
        ("contract c\n    kind x\n  currency EUR\n", obligo.ObligoSyntaxError),
        ('contract c "x\n', obligo.ObligoSyntaxError),
        ("contract c\n  kind x\n", obligo.ObligoSemanticError),
        ("contract c\n  term 2026-02-30\n", obligo.ObligoSemanticError),
        ("contract c\ncontract d\n", obligo.ObligoSemanticError),
        ("service s\n", obligo.ObligoSemanticError),
    ],
)
def test_error_classes(sla_error: Error, text: str, kind: type[obligo.ObligoError]) -> None:
    assert isinstance(sla_error(text), kind)


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        pytest.param(
            "contract x\nclause 1\n  promise up >= 99.9 %\n",
            'unexpected character "%"',
            "write a percentage without a space: 99.9%",
            id="space-before-percent",
        ),
        pytest.param(
            'contract x\nclause 1\n  promise "uptime" >= 99%\n',
            'unexpected "uptime", expected a name',
            'names are written without quotes; quotes are for values such as "P1"',
            id="quoted-name",
        ),
        pytest.param(
            "contract x\nmetric API-uptime\n  availability, per calendar month\n",
            'unexpected "API", expected a name',
            "names are lowercase words joined by hyphens (api-uptime);"
            " write any other name in backticks",
            id="uppercase-name",
        ),
        pytest.param(
            "contract x\nmetric m\n  count of request records, per calendar month\n"
            "  duration = count(request records)\n",
            'unexpected "=", expected "from"',
            '"duration" is a word of the language here; to use it as a name, write `duration`',
            id="keyword-as-name",
        ),
    ],
)
def test_advice_for_common_slips(text: str, message: str, hint: str) -> None:
    with pytest.raises(obligo.ObligoSyntaxError) as caught:
        obligo.parse(text, filename="f.sla")
    assert caught.value.message.startswith(message), caught.value.message
    assert caught.value.hint == hint


def test_a_unit_is_asked_for_in_words_after_a_number() -> None:
    with pytest.raises(obligo.ObligoSyntaxError) as caught:
        obligo.parse("contract x\nclause 1\n  promise up >= 99.9 %\n", filename="f.sla")
    assert "a unit (ms, s, min, hours, days, ...)" in caught.value.message
    assert "a name" not in caught.value.message

"""A log field's unit, stated once (`field latency_ms in ms`): targets, tiers, thresholds and
filters in other units are converted exactly, by one rule for the checks and the engine; a
duration on a field without a stated unit, or a target that cannot be related to the unit, is
refused at `check` where it is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import obligo
from engine_helpers import parse
from obligo.errors import Severity
from obligo.report.model import Report
from report_helpers import as_shown

HEAD = """contract lat "Latency" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"
  currency EUR
{declaration}
service api "API"
  fee 1000 EUR monthly

metric latency "p95 latency"
  p95 of latency_ms in request records, per calendar month

"""

AT = dt.datetime.fromisoformat("2026-03-01T00:00:00+00:00")


def requests(*latencies: str, month: str = "2026-01") -> list[dict[str, Any]]:
    return [
        {"type": "request", "time": f"{month}-05T10:00:{i:02d}Z", "latency_ms": value}
        for i, value in enumerate(latencies)
    ]


def evaluate(body: str, records: list[dict[str, Any]], unit: str = "ms") -> Report:
    text = HEAD.format(declaration=f"  field latency_ms in {unit}\n") + body
    return obligo.evaluate(parse(text), records, at=AT)


def errors(body: str, declaration: str = "") -> list[tuple[int, int, str, str | None]]:
    text = HEAD.format(declaration=declaration) + body
    found = obligo.check(obligo.parse(text, "lat.sla"))
    return [(d.line, d.column, d.message, d.hint) for d in found if d.severity is Severity.ERROR]


# ------------------------------------------------------------------------------------ engine
def test_a_target_in_seconds_on_a_field_in_milliseconds_is_converted() -> None:
    # The reproduced finding: p95 256.1 (ms) against `<= 1 s` was compared with 1: breached.
    body = 'clause 1 "Latency"\n  promise latency <= 1 s\n'
    january = evaluate(body, requests("256.1")).verdicts[0]
    assert as_shown((january.status, january.value, january.unit)) == ("met", "256.1", "ms")
    assert as_shown((january.target, january.target_value)) == ("1 s", "1000")


def test_the_boundary_is_exact() -> None:
    # 1000 ms is exactly 1 s: met by `<= 1 s`, breached by `< 1 s`.
    met = evaluate('clause 1 "L"\n  promise latency <= 1 s\n', requests("1000"))
    breached = evaluate('clause 1 "L"\n  promise latency < 1 s\n', requests("1000"))
    assert met.verdicts[0].status == "met"
    assert breached.verdicts[0].status == "breached"


def test_credit_tiers_in_mixed_units_give_the_worst_that_applies() -> None:
    # 1200 ms: above 45 ms and above 1 s, not above 2000 (ms): the 10% tier.
    body = (
        'clause 1 "Latency"\n  service api\n  promise latency <= 45 ms\n  credit\n'
        "    5% of the fee when latency > 45 ms\n"
        "    10% of the fee when latency > 1 s\n"
        "    20% of the fee when latency > 2000\n"
    )
    report = evaluate(body, requests("1200"))
    (january,) = [c for c in report.consequences if c.period.label == "2026-01"]
    assert as_shown(january.amount) == "100.00"
    assert january.lines[0].rule == "10% of the fee when latency > 1 s"
    assert january.lines[0].arithmetic == "latency 1200 ms > 1 s: 10% × 1000 EUR = 100 EUR"


def test_a_field_in_seconds_against_a_target_in_milliseconds() -> None:
    # 0.3 s against `<= 250 ms` (0.25 s): breached; the value is shown in seconds.
    report = evaluate('clause 1 "L"\n  promise latency <= 250 ms\n', requests("0.3"), unit="s")
    first = report.verdicts[0]
    assert as_shown((first.status, first.value, first.unit, first.target_value)) == (
        "breached",
        "0.3",
        "s",
        "0.25",
    )


def test_a_target_that_is_no_finite_decimal_of_the_unit_is_compared_exactly() -> None:
    # A field in hours: 1 minute is 1/60 h. 0.016666667 h (rounded up) is above it.
    body = 'clause 1 "L"\n  promise latency <= 1 min\n'
    above = evaluate(body, requests("0.016666667"), unit="hours")
    below = evaluate(body, requests("0.016666666"), unit="hours")
    assert above.verdicts[0].status == "breached"
    assert below.verdicts[0].status == "met"
    assert (
        as_shown(above.verdicts[0].target_value) == "0.016666667"
    )  # shown rounded, compared exactly


def test_a_filter_with_a_duration_is_converted_to_the_fields_unit() -> None:
    # `latency_ms > 0.25 s` is `> 250`: 250 is not above it, 250.001 is.
    body = (
        'metric slow "Slow requests"\n'
        "  count of request records where latency_ms > 0.25 s, per calendar month\n\n"
        'clause 1 "Slow"\n  promise slow <= 1\n'
    )
    report = evaluate(body, requests("250", "250.001", "900"))
    first = report.verdicts[0]
    assert as_shown((first.value, first.status)) == ("2", "breached")


def test_a_filter_in_minutes_on_a_field_in_hours_is_exact() -> None:
    body = (
        'metric slow "Slow"\n'
        "  count of request records where latency_ms >= 1 min, per calendar month\n\n"
        'clause 1 "Slow"\n  promise slow <= 5\n'
    )
    report = evaluate(body, requests("0.016666666", "0.016666667", "1"), unit="h")
    assert as_shown(report.verdicts[0].value) == "2"


def test_a_termination_threshold_in_another_unit() -> None:
    body = (
        'clause 1 "L"\n  promise latency <= 2 s\n'
        "  termination right when latency > 1 s in a month\n"
    )
    report = evaluate(body, requests("1500"))
    (right,) = report.termination_rights
    assert right.arose_at == dt.datetime.fromisoformat("2026-02-01T00:00:00+00:00")


# ------------------------------------------------------------------------------------ checks
SUGGEST = "add `field latency_ms in ms` to the contract"


def test_a_duration_target_on_a_field_without_a_unit_is_an_error() -> None:
    body = 'clause 1 "Latency"\n  promise latency <= 1 s\n'
    assert errors(body) == [
        (
            13,
            22,
            "the target is a duration, but the contract does not state the unit of latency_ms,"
            " the field latency is made of",
            SUGGEST,
        )
    ]


def test_a_duration_in_a_tier_and_a_threshold_without_a_unit_are_errors() -> None:
    body = (
        'clause 1 "Latency"\n  service api\n  credit 5% of the fee when latency > 45 ms\n'
        "  termination right when latency > 2 s in a month\n"
    )
    found = errors(body)
    assert [(line, column, message.split(",")[0]) for line, column, message, _ in found] == [
        (14, 39, "this bound is a duration"),
        (15, 36, "this total is a duration"),
    ]


def test_a_plain_number_on_a_field_without_a_unit_is_still_accepted() -> None:
    assert errors('clause 1 "Latency"\n  promise latency <= 300\n') == []


@pytest.mark.parametrize(
    ("target", "message", "hint"),
    [
        (
            "5 EUR",
            "the target is an amount of money, but latency is measured in ms (the unit of"
            " latency_ms)",
            "write a duration such as 250 ms or 2 s, or a number of ms",
        ),
        (
            "99%",
            "the target is a percentage, but latency is measured in ms (the unit of latency_ms)",
            "write a duration such as 250 ms or 2 s, or a number of ms",
        ),
        (
            "1 month",
            "the target is 1 month, which is not a fixed length of time, but latency is a number"
            " of ms (latency_ms)",
            "write a fixed length such as 250 ms or 2 s, or a number of ms",
        ),
        (
            "2 business hours",
            "the target is 2 business hours, which is not a fixed length of time, but latency is a"
            " number of ms (latency_ms)",
            "write a fixed length such as 250 ms or 2 s, or a number of ms",
        ),
    ],
)
def test_a_target_that_cannot_be_related_to_the_fields_unit(
    target: str, message: str, hint: str
) -> None:
    body = f'clause 1 "Latency"\n  promise latency <= {target}\n'
    assert errors(body, "  field latency_ms in ms\n") == [(14, 22, message, hint)]


def test_tiers_are_ordered_by_the_engines_conversion() -> None:
    # On a field in ms, `> 1 s` (1000) then `> 45 ms` gets milder: out of order; `> 45 ms` then
    # `> 1 s` then `> 2000` is in order.
    wrong = (
        'clause 1 "Latency"\n  service api\n  credit\n'
        "    5% of the fee when latency > 1 s\n    10% of the fee when latency > 45 ms\n"
    )
    right = (
        'clause 1 "Latency"\n  service api\n  credit\n'
        "    5% of the fee when latency > 45 ms\n    10% of the fee when latency > 1 s\n"
        "    20% of the fee when latency > 2000\n"
    )
    declared = "  field latency_ms in ms\n"
    assert [message for _, _, message, _ in errors(wrong, declared)] == [
        "the tiers are out of order: each tier must be stricter than the one above it"
    ]
    assert errors(right, declared) == []


def test_a_gap_between_banded_tiers_is_shown_in_the_fields_unit() -> None:
    body = (
        'clause 1 "Latency"\n  service api\n  credit\n'
        "    5% of the fee when latency > 45 ms and <= 0.5 s\n"
        "    10% of the fee when latency > 1 s\n"
    )
    text = HEAD.format(declaration="  field latency_ms in ms\n") + body
    warnings = [
        d.message
        for d in obligo.check(obligo.parse(text, "lat.sla"))
        if d.severity is Severity.WARNING
    ]
    assert warnings == [
        "a gap between tiers: a value above 500 ms and up to 1000 ms earns no credit"
    ]


def test_a_filter_with_a_duration_on_a_field_without_a_unit_is_an_error() -> None:
    # Before: a traceback at `eval` ("field 'latency_ms' cannot be compared with 250 ms").
    body = (
        'metric slow "Slow"\n'
        "  count of request records where latency_ms > 250 ms, per calendar month\n"
    )
    assert errors(body) == [
        (
            13,
            47,
            "latency_ms is compared with a duration, but the contract does not state the unit of"
            " its numbers",
            SUGGEST,
        )
    ]


@pytest.mark.parametrize(
    ("declaration", "message", "hint"),
    [
        (
            "  field latency_ms in millis\n",
            '"millis" is not a unit',
            'did you mean "millisecond"?',
        ),
        (
            "  field latency_ms in months\n",
            "a field's unit is a fixed length of time, not months: a month has no fixed length",
            "use ms, seconds, minutes, hours, days or weeks",
        ),
    ],
)
def test_a_field_unit_that_is_not_a_fixed_length(declaration: str, message: str, hint: str) -> None:
    text = HEAD.format(declaration=declaration)
    with pytest.raises(obligo.ObligoError) as raised:
        obligo.parse(text, "lat.sla")
    diagnostic = raised.value.diagnostic()
    assert (diagnostic.line, diagnostic.column, diagnostic.message, diagnostic.hint) == (
        5,
        23,
        message,
        hint,
    )


def test_a_field_unit_stated_twice_or_on_a_timestamp() -> None:
    declaration = "  field latency_ms in ms\n  field latency_ms in s\n  field start in s\n"
    assert errors("", declaration) == [
        (6, 9, "the unit of latency_ms is stated twice", "the first is on line 5"),
        (
            7,
            9,
            "start holds instants, not numbers: it has no unit",
            "a unit is for a field of numbers, such as latency_ms",
        ),
    ]


def test_the_unit_of_a_field_the_contract_times_records_with() -> None:
    body = (
        'metric answered "Answered"\n'
        "  share of ticket records within target, per calendar month\n"
        "  duration from opened to responded\n  target 4 hours\n"
    )
    assert errors(body, "  field opened in s\n") == [
        (
            5,
            9,
            "opened holds instants here (metric answered times from it), not numbers: it has no"
            " unit",
            "a unit is for a field of numbers, such as latency_ms",
        )
    ]


def test_a_lower_level_inherits_the_fields_unit_and_the_calendar(tmp_path: Any) -> None:
    # The corporate level states the unit and the calendar; the customer level promises in
    # seconds and claims in business days. Evaluated as one agreement, both still apply.
    (tmp_path / "corporate.sla").write_text(
        'contract corp "Corporate" version 1\n  kind multi-level\n  level corporate\n'
        '  provider nimbus "Nimbus"\n  term 2026-01-01 to 2026-12-31\n  timezone "UTC"\n'
        "  currency EUR\n  field latency_ms in ms\n  calendar office\n\n"
        'calendar office "Office"\n  monday to friday 09:00 to 17:00\n',
        encoding="utf-8",
    )
    (tmp_path / "acme.sla").write_text(
        'import "corporate.sla"\n\ncontract acme "Acme" version 1\n  kind multi-level\n'
        '  level customer acme\n  provider nimbus "Nimbus"\n  customer acme "Acme"\n\n'
        'service api "API"\n  fee 1000 EUR monthly\n\n'
        'metric latency "p95 latency"\n  p95 of latency_ms in request records, per calendar month\n\n'
        'clause 1 "Latency"\n  service api\n  promise latency <= 1 s\n'
        "  credit 10% of the fee when latency > 1 s\n"
        "  claim within 2 business days after the end of the month\n",
        encoding="utf-8",
    )
    records = [dict(r, customer="acme") for r in requests("1500")]
    # As the command line evaluates it: the pair's agreement, its levels made one contract.
    portfolio = obligo.evaluate_agreements(
        obligo.load_agreements([tmp_path / "acme.sla"]), records, at=AT
    )
    (section,) = portfolio.sections
    report = section.report
    january = report.verdicts[0]
    assert as_shown((january.status, january.value, january.unit)) == ("breached", "1500", "ms")
    # January ends on Sunday 1 February: Monday 2 and Tuesday 3 February, until 17:00.
    (credit,) = [c for c in report.consequences if c.period.label == "2026-01"]
    assert credit.claim is not None
    assert credit.claim.deadline == dt.datetime.fromisoformat("2026-02-03T17:00:00+00:00")


def test_agreements_that_read_a_field_in_two_units_cannot_share_a_log(tmp_path: Any) -> None:
    for name, unit in (("a", "ms"), ("b", "s")):
        (tmp_path / f"{name}.sla").write_text(
            HEAD.format(declaration=f"  field latency_ms in {unit}\n").replace(
                'contract lat "Latency"', f'contract {name} "{name}"'
            )
            + 'clause 1 "Latency"\n  service api\n  promise latency <= 1 s\n',
            encoding="utf-8",
        )
    agreements = obligo.load_agreements([tmp_path / "a.sla", tmp_path / "b.sla"])
    with pytest.raises(obligo.ObligoError) as raised:
        obligo.evaluate_agreements(agreements, requests("1"), at=AT)
    assert "the field 'latency_ms' is in ms for one agreement and in s for another" in str(
        raised.value
    )


def test_the_resolved_agreement_shows_the_calendar_and_the_units_with_their_levels(
    tmp_path: Any,
) -> None:
    (tmp_path / "corporate.sla").write_text(
        'contract corp "Corporate" version 1\n  kind multi-level\n  level corporate\n'
        '  provider nimbus "Nimbus"\n  term 2026-01-01 to 2026-12-31\n  timezone "UTC"\n'
        "  field latency_ms in ms\n  calendar office\n\n"
        'calendar office "Office"\n  monday to friday 09:00 to 17:00\n',
        encoding="utf-8",
    )
    (tmp_path / "acme.sla").write_text(
        'import "corporate.sla"\n\ncontract acme "Acme" version 1\n  kind multi-level\n'
        '  level customer acme\n  provider nimbus "Nimbus"\n  customer acme "Acme"\n'
        "  field wait_s in seconds\n\n"
        'service api "API"\n',
        encoding="utf-8",
    )
    resolved = obligo.load_agreements([tmp_path]).resolve(customer="acme", service="api")
    assert resolved.business_calendar is not None
    assert (resolved.business_calendar.value.name, resolved.business_calendar.origin.line) == (
        "office",
        8,
    )
    assert [(u.value.field, u.value.unit, u.origin.tier) for u in resolved.field_units] == [
        ("latency_ms", "ms", "corporate"),
        ("wait_s", "s", "customer"),
    ]
    contract = resolved.as_contract()
    assert contract.default_calendar() is not None
    assert [u.field for u in contract.field_units] == ["latency_ms", "wait_s"]


def test_a_duration_in_an_expression_is_an_error() -> None:
    # Before: accepted, and 250 ms read as 0.25 whatever unit latency_ms is in.
    body = (
        'metric up "Up"\n  availability, per calendar month\n  in slices of 1 minute\n'
        "  slow = mean(latency_ms in request records) / 250 ms\n"
        "  a slice is down when slow > 1\n  a slice without request records is up\n"
    )
    assert errors(body, "  field latency_ms in ms\n") == [
        (
            16,
            48,
            "an expression computes with the numbers of fields, not with a duration (250 ms)",
            "write it as a number of the unit of the field it meets, such as 250 for a field in ms",
        )
    ]

"""Semantic checks: each finding at the exact word it is about, and a near-identical clean contract.

Most cases edit one line of ``BASE`` (a complete contract that ``check`` finds clean) and expect
exactly one diagnostic: its severity, message, hint, line and column. Each case also runs its
clean twin, so that a check that fires on everything, or on nothing, fails a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

import obligo
from obligo import Diagnostic, ObligoSemanticError, Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING

BASE = """\
contract demo "Demo hosting"
  provider nimbus "Nimbus"
  supplier netco
  customer acme
  term 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"
  currency EUR

service api "Public API"
  fee 1000 EUR monthly
  delivered by nimbus

service uplink
  fee 200 EUR monthly
  delivered by netco under "netco.sla" ending 2027-01-31

calendar office
  monday to friday 09:00 to 17:00
  holidays 2026-12-25

exclusion maintenance
  maintenance records
  valid when announced at least 5 days before start

metric api-uptime
  availability of api, per calendar month
  down during incident records where service = "api"
  excluding maintenance

metric uplink-uptime
  availability of uplink, per calendar month
  down during outage records

metric chain-uptime
  availability, per calendar month
  down when any of [api-uptime, uplink-uptime] is down

metric storage-uptime
  100% minus the average error-rate in slices of 5 minutes, per calendar month
  error-rate = count(request records where status >= 500) / count(request records)
  a slice without request records has an error-rate of 0%

metric region-uptime
  availability, per calendar month
  in slices of 1 minute
  a slice is down when there are probe records where ok = false

metric outage-hours
  total duration of outage records, per calendar month

metric first-response
  share of ticket records within target, per calendar month, by priority
  duration from opened to responded, in office hours
  target "P1" 1 hour
  target "P2" 1 business day

metric api-latency
  p95 of latency_ms in request records, per calendar month
  percentile method nearest-rank

clause 4.1 "API availability"
  promise api-uptime >= 99.9%
  credit
    10% of the fee when api-uptime < 99.9%
    25% of the fee when api-uptime < 99.0%
  cap 50% of the fee per month
  cap 10% of the fees of the last 12 months
  termination right when breached in 3 consecutive months

clause 4.2 "Outage hours"
  promise outage-hours <= 2 hours
  credit 1 day of the fee per started hour of outage-hours
  termination right when outage-hours > 24 hours in a month

clause 4.3 "Latency"
  promise api-latency <= 300
  credit
    5% of the fee when the exceedance > 0% and <= 50%
    10% of the fee when the exceedance > 50% and < 100%
    20% of the fee when the exceedance >= 100%

clause 5.1 "First response"
  service api
  promise first-response for "P1" >= 95%
  penalty 500 EUR per breached month

clause 6.1 "Key measurements"
  report chain-uptime >= 99.5%
  report storage-uptime >= 99.5%
  report region-uptime >= 99.5%

baseline 2026-01-01 to 2026-03-31
renegotiate when clause 4.1 is breached in 3 of the last 6 months
renegotiate when api-uptime >= 99.99% for 6 consecutive months
renegotiate when api-latency has no data for a month
renegotiate when the volume of request records moves 150% from the baseline
"""


# --------------------------------------------------------------------------------- helpers
def diagnose(text: str, base_dir: Path | None = None) -> list[Diagnostic]:
    contract = obligo.parse(text, filename="x.sla", base_dir=base_dir or Path.cwd())
    return obligo.check(contract)


def edit(old: str, new: str, text: str = BASE) -> str:
    """``text`` with its one occurrence of ``old`` replaced by ``new``."""
    assert text.count(old) == 1, f"{old!r} is not in the text exactly once"
    return text.replace(old, new)


def shown(found: list[Diagnostic]) -> str:
    return "\n".join(d.format() for d in found) or "(no diagnostics)"


def position(text: str, line_text: str, word: str) -> tuple[int, int]:
    """The 1-based line of the one line that holds ``line_text``, and the column of ``word``
    in it (searched from where ``line_text`` starts)."""
    lines = text.splitlines()
    if line_text.endswith("\n"):  # the whole line
        numbers = [n for n, line in enumerate(lines, 1) if line == line_text[:-1]]
    else:
        numbers = [n for n, line in enumerate(lines, 1) if line_text in line]
    assert len(numbers) == 1, f"{line_text!r} is on lines {numbers}"
    line = lines[numbers[0] - 1]
    column = line.index(word, line.index(line_text.rstrip("\n"))) + 1
    return numbers[0], column


def line_of(text: str, line_text: str) -> int:
    return position(text, line_text, line_text.strip()[:1])[0]


def only(found: list[Diagnostic]) -> Diagnostic:
    assert len(found) == 1, shown(found)
    return found[0]


def assert_at(
    diagnostic: Diagnostic, text: str, line_text: str, word: str, file: str = "x.sla"
) -> None:
    line, column = position(text, line_text, word)
    assert (diagnostic.file, diagnostic.line, diagnostic.column) == (file, line, column), (
        diagnostic.format()
    )
    assert diagnostic.source_line == text.splitlines()[line - 1]


def test_the_base_contract_is_clean() -> None:
    assert diagnose(BASE) == [], shown(diagnose(BASE))


def test_the_example_contract_only_warns_about_its_underlying_contract() -> None:
    root = Path(__file__).resolve().parents[1]
    found = obligo.check(obligo.load(root / "contracts" / "acme-hosting.sla"))
    # and about the four metrics it declares but never promises or reports (issue 13; the last
    # shows a selection by length, `lasting at least`)
    unread = [d for d in found if "neither promised nor reported" in d.message]
    assert [d.source_line for d in unread] == [
        'metric region-uptime "Regional availability"',
        'metric storage-uptime "Storage availability"',
        'metric api-latency "API latency"',
        'metric long-outage-hours "Hours of outages of a quarter of an hour or more"',
    ]
    diagnostic = only([d for d in found if d not in unread])
    assert diagnostic.severity is WARNING
    assert diagnostic.message.startswith('"netco-master.sla" ends on 2026-12-31')


# -------------------------------------------------------------- single-edit cases on BASE
@dataclass(frozen=True)
class Case:
    """Replacing ``old`` by ``bad`` in BASE gives one diagnostic; by ``good`` gives none."""

    name: str
    old: str
    bad: str
    message: str
    line_text: str  # a part of the offending line, unique in the edited text
    word: str  # where the caret goes: the first occurrence of this in the line from line_text
    hint: str | None = None
    severity: Severity = ERROR
    good: str | None = None  # a near-identical clean edit; None keeps the line as in BASE


CASES = [
    # ---- unknown names, with a "did you mean" ----
    Case(
        "unknown metric in a promise",
        "promise api-uptime >= 99.9%",
        "promise api-uptim >= 99.9%",
        'unknown metric "api-uptim"',
        "promise api-uptim",
        "api-uptim",
        'did you mean "api-uptime"?',
    ),
    Case(
        "unknown metric in a formula",
        "per started hour of outage-hours",
        "per started hour of outage-hour",
        'unknown metric "outage-hour"',
        "per started hour of outage-hour",
        "outage-hour",
        'did you mean "outage-hours"?',
    ),
    Case(
        "unknown metric in a termination trigger",
        "when outage-hours > 24 hours in a month",
        "when outage-hour > 24 hours in a month",
        'unknown metric "outage-hour"',
        "termination right when outage-hour",
        "outage-hour",
        'did you mean "outage-hours"?',
    ),
    Case(
        "unknown metric in a renegotiation run",
        "renegotiate when api-uptime >= 99.99%",
        "renegotiate when api-uptim >= 99.99%",
        'unknown metric "api-uptim"',
        "renegotiate when api-uptim",
        "api-uptim",
        'did you mean "api-uptime"?',
    ),
    Case(
        "unknown metric in a renegotiation for no data",
        "renegotiate when api-latency has no data",
        "renegotiate when api-latncy has no data",
        'unknown metric "api-latncy"',
        "renegotiate when api-latncy",
        "api-latncy",
        'did you mean "api-latency"?',
    ),
    Case(
        "unknown clause in a renegotiation",
        "renegotiate when clause 4.1 is breached",
        "renegotiate when clause 4.1a is breached",
        'unknown clause "4.1a"',
        "renegotiate when clause 4.1a",
        "4.1a",
        'did you mean "4.1"?',
    ),
    Case(
        "unknown service in an availability",
        "availability of api, per calendar month",
        "availability of apl, per calendar month",
        'unknown service "apl"',
        "availability of apl",
        "apl",
        'did you mean "api"?',
    ),
    Case(
        "unknown service in a clause",
        "  service api\n  promise first-response",
        "  service apo\n  promise first-response",
        'unknown service "apo"',
        "  service apo",
        "apo",
        'did you mean "api"?',
    ),
    Case(
        "unknown service in a metric",
        "  percentile method nearest-rank\n",
        "  percentile method nearest-rank\n  service apo\n",
        'unknown service "apo"',
        "  service apo",
        "apo",
        'did you mean "api"?',
        good="  percentile method nearest-rank\n  service api\n",
    ),
    Case(
        "unknown service in a fee share",
        "10% of the fee when api-uptime < 99.9%",
        "10% of the fee of uplnk when api-uptime < 99.9%",
        'unknown service "uplnk"',
        "of the fee of uplnk",
        "uplnk",
        'did you mean "uplink"?',
        good="10% of the fee of uplink when api-uptime < 99.9%",
    ),
    Case(
        "unknown calendar in a duration",
        "duration from opened to responded, in office hours",
        "duration from opened to responded, in ofice hours",
        'unknown calendar "ofice"',
        "in ofice hours",
        "ofice",
        'did you mean "office"?',
    ),
    Case(
        "unknown calendar in only during",
        "  down during outage records\n",
        "  down during outage records\n  only during ofice hours\n",
        'unknown calendar "ofice"',
        "only during ofice hours",
        "ofice",
        'did you mean "office"?',
        good="  down during outage records\n  only during office hours\n",
    ),
    Case(
        "unknown exclusion",
        "  excluding maintenance",
        "  excluding maintenence",
        'unknown exclusion "maintenence"',
        "excluding maintenence",
        "maintenence",
        'did you mean "maintenance"?',
    ),
    Case(
        "unknown party",
        "delivered by nimbus",
        "delivered by nimbis",
        'unknown party "nimbis"',
        "delivered by nimbis",
        "nimbis",
        'did you mean "nimbus"?',
    ),
    Case(
        "unknown composite component",
        "any of [api-uptime, uplink-uptime]",
        "any of [api-uptime, uplink-uptim]",
        'unknown metric "uplink-uptim"',
        "any of [api-uptime, uplink-uptim]",
        "uplink-uptim",
        'did you mean "uplink-uptime"?',
    ),
    Case(
        "a composite component that is not an availability",
        "any of [api-uptime, uplink-uptime]",
        "any of [api-uptime, outage-hours]",
        "component outage-hours is not an availability metric",
        "any of [api-uptime, outage-hours]",
        "outage-hours",
        "a chain or redundant group is made of availability metrics",
    ),
    Case(
        "unknown named value in a slice rule",
        "has an error-rate of 0%",
        "has an error-rat of 0%",
        'unknown value "error-rat"',
        "has an error-rat of",
        "error-rat",
        'did you mean "error-rate"?',
    ),
    Case(
        "unknown named value in arithmetic",
        "/ count(request records)\n",
        "/ count(request records) / errors\n",
        'unknown value "errors"',
        "/ errors",
        "errors",
        'did you mean "error-rate"?',
        good="/ count(request records) / 1\n",
    ),
    Case(
        "unknown function",
        "error-rate = count(request records where",
        "error-rate = cout(request records where",
        'unknown function "cout"',
        "error-rate = cout(",
        "cout",
        'did you mean "count"?',
    ),
    # ---- duplicate ids ----
    Case(
        "duplicate service",
        "metric uplink-uptime\n  availability of uplink, per calendar month\n"
        "  down during outage records\n",
        "metric uplink-uptime\n  availability of uplink, per calendar month\n"
        "  down during outage records\n\nservice api\n  fee 5 EUR monthly\n",
        'service "api" is declared twice',
        "service api\n",
        "api",
        "the first is at line " + str(line_of(BASE, 'service api "Public API"')),
        good="metric uplink-uptime\n  availability of uplink, per calendar month\n"
        "  down during outage records\n\nservice apis\n  fee 5 EUR monthly\n",
    ),
    Case(
        "duplicate metric",
        "moves 150% from the baseline\n",
        "moves 150% from the baseline\n\n"
        'metric api-latency "Median"\n  p50 of latency_ms in request records, per calendar month\n',
        'metric "api-latency" is declared twice',
        'metric api-latency "Median"',
        "api-latency",
        f"the first is at line {line_of(BASE, 'metric api-latency')}",
        good="moves 150% from the baseline\n\n"
        "metric api-median\n  p50 of latency_ms in request records, per calendar month\n\n"
        'clause 9 "Median"\n  report api-median <= 100\n',
    ),
    Case(
        "duplicate calendar",
        "  holidays 2026-12-25\n",
        '  holidays 2026-12-25\n\ncalendar office "Weekend"\n  saturday 10:00 to 12:00\n',
        'calendar "office" is declared twice',
        'calendar office "Weekend"',
        "office",
        f"the first is at line {line_of(BASE, 'calendar office')}",
        good="  holidays 2026-12-25\n\ncalendar weekend\n  saturday 10:00 to 12:00\n",
    ),
    Case(
        "duplicate exclusion",
        "  valid when announced at least 5 days before start\n",
        "  valid when announced at least 5 days before start\n\n"
        'exclusion maintenance "Changes"\n  change records where kind = "planned"\n',
        'exclusion "maintenance" is declared twice',
        'exclusion maintenance "Changes"',
        "maintenance",
        f"the first is at line {line_of(BASE, 'exclusion maintenance')}",
        good="  valid when announced at least 5 days before start\n\n"
        'exclusion changes\n  change records where kind = "planned"\n',
    ),
    Case(
        "duplicate party",
        "  supplier netco\n",
        "  supplier netco\n  supplier nimbus\n",
        'party "nimbus" is declared twice',
        "supplier nimbus",
        "nimbus",
        f"the first is at line {line_of(BASE, 'provider nimbus')}",
        good="  supplier netco\n  supplier nimbus-eu\n",
    ),
    Case(
        "a clause id defined twice in a file",
        'clause 4.3 "Latency"',
        'clause 4.2 "Latency"',
        "clause 4.2 is defined twice in this file",
        'clause 4.2 "Latency"',
        "4.2",
        "the first is at line " + str(line_of(BASE, 'clause 4.2 "')),
    ),
    Case(
        "an override in a contract that imports nothing",
        'clause 4.3 "Latency"',
        'override clause 4.3 "Latency"',
        "override of clause 4.3, which no higher level defines",
        "override clause 4.3",
        "4.3",
        "only a contract that imports a higher level can override its clauses",
    ),
    Case(
        "a composite that is a component of itself",
        "any of [api-uptime, uplink-uptime]",
        "any of [api-uptime, chain-uptime]",
        "metric chain-uptime cannot be a component of itself",
        "any of [api-uptime, chain-uptime]",
        "chain-uptime",
    ),
    Case(
        "a service delivered by the customer",
        "fee 200 EUR monthly\n  delivered by netco",
        "fee 200 EUR monthly\n  delivered by acme",
        "service uplink is delivered by a customer",
        "delivered by acme",
        "acme",
        "a service is delivered by the provider or a supplier",
        good="fee 200 EUR monthly\n  delivered by nimbus",
    ),
    # ---- windows ----
    Case(
        "n of the last m in a renegotiation, with n > m",
        "breached in 3 of the last 6 months",
        "breached in 7 of the last 6 months",
        "7 of the last 6 cannot happen",
        "breached in 7 of the last 6",
        "7 of",
        "the first number is at most the second",
        good="breached in 6 of the last 6 months",
    ),
    Case(
        "0 consecutive periods in a termination right",
        "breached in 3 consecutive months",
        "breached in 0 consecutive months",
        "at least 1 period",
        "breached in 0 consecutive",
        "0 consecutive",
        good="breached in 1 consecutive months",
    ),
    Case(
        "a running total in a period that is no calendar period",
        "termination right when outage-hours > 24 hours in a month",
        "termination right when more than 24 hours of outage records in a calendar period",
        "a running total is counted in a calendar day, week, month, quarter or year, not in a"
        " period",
        "outage records in a calendar period",
        "period",
        "write `in a calendar month`, or a calendar day, week, quarter or year",
        good="termination right when more than 24 hours of outage records in a calendar month",
    ),
    Case(
        "a running total of business time",
        "termination right when outage-hours > 24 hours in a month",
        "termination right when more than 2 business days of outage records in a calendar month",
        "a running total must be a fixed length of time, not 2 business days",
        "termination right when more than",
        "2 business",
        "use seconds, minutes, hours, days or weeks",
        good="termination right when more than 2 days of outage records in a calendar month",
    ),
    Case(
        "a running total of nothing",
        "termination right when outage-hours > 24 hours in a month",
        "termination right when more than 0 hours of outage records in a calendar month",
        "a running total must be longer than zero",
        "termination right when more than",
        "0 hours",
        good="termination right when more than 1 hours of outage records in a calendar month",
    ),
    Case(
        "at the end of each period of another unit than the condition's",
        "renegotiate when clause 4.1 is breached in 3 of the last 6 months",
        "renegotiate at the end of each week in which clause 4.1 is breached in 3 of the last 6"
        " months",
        "at the end of each week, but the condition counts months",
        "renegotiate at the end of each week",
        "week",
        "write `at the end of each month`: the condition is judged at the end of each of its own"
        " periods",
        good="renegotiate at the end of each month in which clause 4.1 is breached in 3 of the"
        " last 6 months",
    ),
    Case(
        "at the end of each period with a condition that is no run of periods",
        "renegotiate when the volume of request records moves 150% from the baseline",
        "renegotiate at the end of each month in which the volume of request records moves 150%"
        " from the baseline",
        "`at the end of each month` needs a condition over a run of periods, and `the volume of"
        " request records moves 150% from the baseline` is not one",
        "renegotiate at the end of each month in which the volume",
        "renegotiate",
        "write `renegotiate when ...`, or a condition such as `clause 1 is breached in 2 of the"
        " last 3 months`",
    ),
    Case(
        "0 consecutive periods in a renegotiation",
        "for 6 consecutive months",
        "for 0 consecutive months",
        "at least 1 period",
        "for 0 consecutive months",
        "0 consecutive",
    ),
    # ---- units that do not fit ----
    Case(
        "a duration where a percent is expected",
        "promise api-uptime >= 99.9%",
        "promise api-uptime >= 30 minutes",
        "the target is a duration, but api-uptime is measured as percent",
        "promise api-uptime",
        "30 minutes",
        "write a percentage such as 99.9%",
    ),
    Case(
        "a percent on a total-duration metric",
        "promise outage-hours <= 2 hours",
        "promise outage-hours <= 2%",
        "the target is a percentage, but outage-hours is measured as duration",
        "promise outage-hours",
        "2%",
        "write a duration such as 30 minutes",
    ),
    Case(
        "a percent in a termination total of a duration metric",
        "when outage-hours > 24 hours in a month",
        "when outage-hours > 24% in a month",
        "this total is a percentage, but outage-hours is measured as duration",
        "when outage-hours > 24%",
        "24%",
        "write a duration such as 30 minutes",
    ),
    Case(
        "a duration in a renegotiation run of a percent metric",
        "renegotiate when api-uptime >= 99.99%",
        "renegotiate when api-uptime >= 4 hours",
        "this value is a duration, but api-uptime is measured as percent",
        "renegotiate when api-uptime",
        "4 hours",
        "write a percentage such as 99.9%",
    ),
    Case(
        "a business duration target without a calendar",
        'responded, in office hours\n  target "P1" 1 hour\n  target "P2" 1 business day\n',
        'responded\n  target "P1" 1 hour\n  target "P2" 1 business day\n',
        "1 business day needs a business calendar",
        'target "P2"',
        "1 business day",
        "measure in a calendar: `duration from opened to responded, in office hours`",
        good='responded\n  target "P1" 1 hour\n  target "P2" 1 business day, in office hours\n',
    ),
    Case(
        "a slice length in months",
        "in slices of 1 minute",
        "in slices of 1 month",
        "a slice must be a fixed length of time, not 1 month",
        "in slices of 1 month",
        "1 month",
        "use seconds, minutes, hours, days or weeks",
        good="in slices of 1 day",
    ),
    Case(
        "a slice length in months in an average",
        "in slices of 5 minutes",
        "in slices of 2 months",
        "a slice must be a fixed length of time, not 2 months",
        "in slices of 2 months",
        "2 months",
        "use seconds, minutes, hours, days or weeks",
        good="in slices of 2 weeks",
    ),
    # ---- ranges ----
    Case(
        "an availability above 100%",
        "promise api-uptime >= 99.9%",
        "promise api-uptime >= 100.5%",
        "100.5% is not a possible value of api-uptime: use 0% to 100%",
        "promise api-uptime",
        "100.5%",
        good="promise api-uptime >= 100%",
    ),
    Case(
        "a share above 100%",
        'promise first-response for "P1" >= 95%',
        'promise first-response for "P1" >= 101%',
        "101% is not a possible value of first-response: use 0% to 100%",
        "promise first-response",
        "101%",
        good='promise first-response for "P1" >= 0%',
    ),
    Case(
        "a percent of the fee above 100% in a credit tier",
        "    25% of the fee when api-uptime < 99.0%\n",
        "    25% of the fee when api-uptime < 99.0%\n    150% of the fee when api-uptime < 95.0%\n",
        "150% is not a possible share of a fee: use 0% to 100%",
        "150% of the fee",
        "150%",
        good="    25% of the fee when api-uptime < 99.0%\n"
        "    100% of the fee when api-uptime < 95.0%\n",
    ),
    Case(
        "an error rate above 100%",
        "has an error-rate of 0%",
        "has an error-rate of 101%",
        "101% is not a possible error rate: use 0% to 100%",
        "has an error-rate",
        "101%",
        good="has an error-rate of 100%",
    ),
    Case(
        "a volume drift of 0%",
        "moves 150% from the baseline",
        "moves 0% from the baseline",
        "a volume drift is more than 0%",
        "moves 0%",
        "0%",
    ),
    # ---- caps ----
    Case(
        "a cap of 0% of the fee",
        "cap 50% of the fee per month",
        "cap 0% of the fee per month",
        "a cap of 0% of the fee makes no sense: use more than 0% and at most 100%",
        "cap 0%",
        "0%",
        good="cap 100% of the fee per month",
    ),
    Case(
        "a cap above 100% of the fee",
        "cap 50% of the fee per month",
        "cap 150% of the fee per month",
        "a cap of 150% of the fee makes no sense: use more than 0% and at most 100%",
        "cap 150%",
        "150%",
    ),
    Case(
        "a trailing cap above 100% of the fees",
        "cap 10% of the fees of the last 12 months",
        "cap 110% of the fees of the last 12 months",
        "a cap of 110% of the fees makes no sense: use more than 0% and at most 100%",
        "cap 110%",
        "110%",
    ),
    Case(
        "a trailing window of 0 periods",
        "cap 10% of the fees of the last 12 months",
        "cap 10% of the fees of the last 0 months",
        "a trailing window is at least 1 period",
        "of the last 0 months",
        "0 months",
        good="cap 10% of the fees of the last 1 months",
    ),
    Case(
        "a cap with no credit in the clause",
        '  promise first-response for "P1" >= 95%\n  penalty 500 EUR per breached month\n',
        '  promise first-response for "P1" >= 95%\n  cap 10% of the fee per month\n',
        "clause 5.1 has a cap but no credit or penalty to cap",
        "cap 10% of the fee per month",
        "cap",
        severity=WARNING,
        good='  promise first-response for "P1" >= 95%\n  penalty 500 EUR per breached month\n'
        "  cap 10% of the fee per month\n",
    ),
    # ---- dates, timezones, currencies ----
    Case(
        "a term that ends before it starts",
        "term 2026-01-01 to 2026-12-31",
        "term 2026-12-31 to 2026-01-01",
        "the term ends (2026-01-01) before it starts (2026-12-31)",
        "term 2026-12-31",
        "2026-01-01",
        good="term 2026-01-01 to 2026-01-01",
    ),
    Case(
        "a baseline that ends before it starts",
        "baseline 2026-01-01 to 2026-03-31",
        "baseline 2026-03-31 to 2026-01-01",
        "the baseline ends (2026-01-01) before it starts (2026-03-31)",
        "baseline 2026-03-31",
        "2026-01-01",
    ),
    Case(
        "an unknown IANA timezone",
        'timezone "Europe/Berlin"',
        'timezone "Europe/Berlinn"',
        '"Europe/Berlinn" is not an IANA timezone',
        "timezone",
        '"Europe/Berlinn"',
        'did you mean "Europe/Berlin"?',
        good='timezone "America/New_York"',
    ),
    Case(
        "an unknown IANA timezone in a calendar",
        "  holidays 2026-12-25\n",
        '  holidays 2026-12-25\n  timezone "Europe/Berlinn"\n',
        '"Europe/Berlinn" is not an IANA timezone',
        '  timezone "Europe/Berlinn"',
        '"Europe/Berlinn"',
        'did you mean "Europe/Berlin"?',
        good='  holidays 2026-12-25\n  timezone "Europe/London"\n',
    ),
    Case(
        "a contract with metrics and no timezone",
        '  timezone "Europe/Berlin"\n',
        "",
        "contract demo has metrics but no timezone",
        "contract demo",
        "contract",
        'periods follow the contract\'s timezone: add a line such as timezone "Europe/Berlin"',
    ),
    Case(
        "a fee in another currency",
        "fee 200 EUR monthly",
        "fee 200 USD monthly",
        "an amount in USD, but the contract's currency is EUR",
        "fee 200 USD",
        "USD",
    ),
    Case(
        "a penalty in another currency",
        "penalty 500 EUR per breached month",
        "penalty 500 GBP per breached month",
        "an amount in GBP, but the contract's currency is EUR",
        "penalty 500 GBP",
        "GBP",
    ),
    Case(
        "an underlying contract that ends before the contract it supports",
        'under "netco.sla" ending 2027-01-31',
        'under "netco.sla" ending 2026-06-30',
        '"netco.sla" ends on 2026-06-30, before the contract it supports (2026-12-31)',
        'under "netco.sla" ending',
        "2026-06-30",
        "service uplink depends on it: renew it or renegotiate in time",
        severity=WARNING,
        good='under "netco.sla" ending 2026-12-31',
    ),
    # ---- structure ----
    Case(
        "an availability metric that never says when it is down",
        "  down during outage records\n",
        "",
        "metric uplink-uptime does not say when the service is down",
        "metric uplink-uptime",
        "uplink-uptime",
        "add `down during TYPE records`, `a slice is down when ...`, `down when any of [...]"
        " is down` or `down when METRIC is down because of SUPPLIER`",
        good='  down during outage records where kind = "full"\n',
    ),
    Case(
        "slices judged without a slice length",
        "  in slices of 1 minute\n",
        "",
        "metric region-uptime judges slices but does not say how long they are",
        "metric region-uptime",
        "region-uptime",
        "add `in slices of 1 minute`",
    ),
    Case(
        "targets per group without by",
        "per calendar month, by priority",
        "per calendar month",
        "targets per group need the records grouped",
        'target "P1" 1 hour',
        "target",
        "add `, by priority` (the field that holds the group) to the first line",
        good="per calendar month, by severity",
    ),
    Case(
        "a percentile method on a non-percentile",
        "p95 of latency_ms in request records",
        "mean of latency_ms in request records",
        "a percentile method applies only to a percentile such as p95",
        "percentile method nearest-rank",
        "nearest-rank",
        good="p99 of latency_ms in request records",
    ),
    Case(
        "a down line in a metric that is not an availability",
        "  percentile method nearest-rank\n",
        "  percentile method nearest-rank\n  down during incident records\n",
        "`down` lines belong to an availability metric, and api-latency is not one",
        "  down during incident records\n",
        "down",
    ),
    Case(
        "a group in a promise on a metric without groups",
        'promise first-response for "P1" >= 95%',
        'promise api-uptime for "P1" >= 95%',
        'api-uptime has no groups: `for "P1"` applies only to a metric measured `by` a field',
        'promise api-uptime for "P1"',
        '"P1"',
    ),
    Case(
        "a promise for a group that has no target",
        'promise first-response for "P1" >= 95%',
        'promise first-response for "P3" >= 95%',
        'metric first-response has no target for "P3"',
        'promise first-response for "P3"',
        '"P3"',
        severity=WARNING,
        good='promise first-response for "P2" >= 95%',
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_finding_at_its_word(case: Case) -> None:
    text = edit(case.old, case.bad)
    diagnostic = only(diagnose(text))
    assert diagnostic.severity is case.severity
    assert diagnostic.message == case.message
    assert diagnostic.hint == case.hint
    assert_at(diagnostic, text, case.line_text, case.word)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_its_clean_twin(case: Case) -> None:
    text = edit(case.old, case.old if case.good is None else case.good)
    found = diagnose(text)
    assert found == [], shown(found)


def test_the_hint_lists_the_declared_names_when_none_is_close() -> None:
    text = edit("promise api-uptime >= 99.9%", "promise zzz >= 99.9%")
    diagnostic = only(diagnose(text))
    assert diagnostic.message == 'unknown metric "zzz"'
    assert diagnostic.hint is not None
    assert diagnostic.hint.startswith("the metrics declared are api-latency, api-uptime")
    assert_at(diagnostic, text, "promise zzz", "zzz")


def test_an_unknown_metric_in_a_promise_at_its_exact_line_and_column() -> None:
    text = """\
contract tiny
  timezone "UTC"
  currency EUR

service api
  fee 10 EUR monthly

metric api-uptime
  availability of api, per calendar month
  down during incident records

clause 1
  promise api-uptim >= 99.9%
"""
    diagnostic = only(diagnose(text))
    assert (diagnostic.severity, diagnostic.line, diagnostic.column) == (ERROR, 13, 11)
    assert diagnostic.format() == (
        'x.sla:13:11: error: unknown metric "api-uptim" (did you mean "api-uptime"?)\n'
        "    promise api-uptim >= 99.9%\n"
        "            ^"
    )
    assert diagnose(text.replace("api-uptim ", "api-uptime ")) == []


def test_an_unknown_metric_in_a_tier_is_reported_once() -> None:
    # Not also as "tiers that measure different things": the name check has said it.
    text = edit("10% of the fee when api-uptime < 99.9%", "10% of the fee when api-uptim < 99.9%")
    diagnostic = only(diagnose(text))
    assert diagnostic.message == 'unknown metric "api-uptim"'
    assert diagnostic.hint == 'did you mean "api-uptime"?'
    assert_at(diagnostic, text, "fee when api-uptim <", "api-uptim")


def test_an_unknown_calendar_in_an_exclusion_window() -> None:
    text = edit(
        "valid when announced at least 5 days before start",
        "valid when within ofice",
    )
    diagnostic = only(diagnose(text))
    assert diagnostic.message == 'unknown calendar "ofice"'
    assert diagnostic.hint == 'did you mean "office"?'
    assert_at(diagnostic, text, "valid when within ofice", "ofice")
    assert diagnose(edit("within ofice", "within office", text)) == []


def test_opening_hours_that_end_before_they_start_raise_from_parse() -> None:
    text = edit("monday to friday 09:00 to 17:00", "monday to friday 17:00 to 09:00")
    with pytest.raises(ObligoSemanticError) as raised:
        obligo.parse(text, filename="x.sla")
    error = raised.value
    assert "the opening hours end (09:00) before they start (17:00)" in error.message
    assert (error.file, error.line) == ("x.sla", position(text, "17:00 to 09:00", "09")[0])
    assert error.column == position(text, "17:00 to 09:00", "09:00")[1]
    obligo.parse(edit("09:00 to 17:00", "09:00 to 09:01"), filename="x.sla")


# ---------------------------------------------------------------------------------- tiers
def tiers(*lines: str, mode: str = "") -> str:
    """BASE with clause 4.1's credit table replaced by these tier lines."""
    table = "".join(f"    {line}\n" for line in lines)
    return edit(
        "  credit\n    10% of the fee when api-uptime < 99.9%\n"
        "    25% of the fee when api-uptime < 99.0%\n",
        f"  credit{' ' + mode if mode else ''}\n{table}",
    )


def test_one_sided_tiers_out_of_order() -> None:
    text = tiers(
        "10% of the fee when api-uptime < 99.0%",
        "25% of the fee when api-uptime < 99.9%",
    )
    diagnostic = only(diagnose(text))
    assert diagnostic.severity is ERROR
    assert diagnostic.message.startswith("the tiers are out of order")
    assert_at(diagnostic, text, "25% of the fee when api-uptime < 99.9%", "api-uptime")


def test_banded_tiers_out_of_order() -> None:
    text = tiers(
        "10% of the fee when api-uptime < 99.9% and >= 99.0%",
        "50% of the fee when api-uptime < 95.0%",
        "25% of the fee when api-uptime < 99.0% and >= 95.0%",
    )
    diagnostic = only(diagnose(text))
    assert diagnostic.message == "the tiers are out of order"
    assert diagnostic.hint == "write them from the mildest shortfall to the worst"
    clean = tiers(
        "10% of the fee when api-uptime < 99.9% and >= 99.0%",
        "25% of the fee when api-uptime < 99.0% and >= 95.0%",
        "50% of the fee when api-uptime < 95.0%",
    )
    assert diagnose(clean) == []


def test_banded_tiers_that_overlap_are_an_error() -> None:
    text = tiers(
        "10% of the fee when api-uptime < 99.9% and >= 99.0%",
        "25% of the fee when api-uptime <= 99.0% and >= 95.0%",
    )
    diagnostic = only(diagnose(text))
    first_line = line_of(text, "10% of the fee when api-uptime")
    assert diagnostic.severity is ERROR
    assert diagnostic.message == (
        f"this tier overlaps the tier on line {first_line}: one value would fall in both"
    )
    assert_at(diagnostic, text, "25% of the fee when", "api-uptime")
    clean = tiers(
        "10% of the fee when api-uptime < 99.9% and >= 99.0%",
        "25% of the fee when api-uptime < 99.0% and >= 95.0%",
    )
    assert diagnose(clean) == []


def test_the_github_legacy_table_leaves_exactly_99_percent_uncovered() -> None:
    text = tiers(
        "10% of the fee when api-uptime <= 99.9% and > 99.0%",
        "25% of the fee when api-uptime < 99.0%",
    )
    diagnostic = only(diagnose(text))
    assert diagnostic.severity is WARNING
    assert diagnostic.message == "a gap between tiers: a value of exactly 99% earns no credit"
    assert diagnostic.hint == "intended in some agreements; otherwise close the gap"
    assert_at(diagnostic, text, "25% of the fee when", "api-uptime")
    clean = tiers(
        "10% of the fee when api-uptime <= 99.9% and > 99.0%",
        "25% of the fee when api-uptime <= 99.0%",
    )
    assert diagnose(clean) == []


def test_a_gap_between_two_bands() -> None:
    text = tiers(
        "10% of the fee when api-uptime < 99.9% and >= 99.5%",
        "25% of the fee when api-uptime < 99.0% and >= 95.0%",
    )
    diagnostic = only(diagnose(text))
    assert diagnostic.severity is WARNING
    assert diagnostic.message.startswith("a gap between tiers:")
    assert "99.5%" in diagnostic.message and "99%" in diagnostic.message


def test_tiers_with_mixed_subjects() -> None:
    text = tiers(
        "10% of the fee when api-uptime < 99.9%",
        "25% of the fee when uplink-uptime < 99.0%",
    )
    diagnostic = only(diagnose(text))
    assert diagnostic.message == "the tiers of one credit table measure different things"
    assert diagnostic.hint == "give each metric its own credit table"
    assert_at(diagnostic, text, "25% of the fee when uplink-uptime", "uplink-uptime")


def test_tiers_mixing_a_metric_and_the_exceedance() -> None:
    text = tiers(
        "10% of the fee when api-uptime < 99.9%",
        "25% of the fee when the exceedance > 10%",
    )
    diagnostic = only(diagnose(text))
    assert diagnostic.message == "the tiers of one credit table measure different things"
    assert_at(diagnostic, text, "25% of the fee when the exceedance", "the exceedance")


def test_cumulative_tiers_may_overlap() -> None:
    text = tiers(
        "10% of the fee when api-uptime < 99.9%",
        "15% of the fee when api-uptime < 99.0%",
        mode="cumulative",
    )
    assert diagnose(text) == []


def test_an_exceedance_of_100_percent_or_more_is_fine() -> None:
    text = edit(
        "20% of the fee when the exceedance >= 100%",
        "20% of the fee when the exceedance >= 100% and < 250%\n"
        "    40% of the fee when the exceedance >= 250%",
    )
    assert diagnose(text) == [], shown(diagnose(text))


def test_a_tier_bound_in_the_wrong_unit_is_reported_once() -> None:
    # Only as a unit that does not fit, not also as tiers out of order (30 minutes is not a %).
    text = edit("when api-uptime < 99.0%", "when api-uptime < 30 minutes")
    diagnostic = only(diagnose(text))
    assert diagnostic.message == "this bound is a duration, but api-uptime is measured as percent"
    assert diagnostic.hint == "write a percentage such as 99.9%"
    assert_at(diagnostic, text, "when api-uptime < 30 minutes", "30 minutes")


def test_a_tier_whose_bounds_exclude_each_other() -> None:
    text = tiers("10% of the fee when api-uptime < 99.0% and > 99.9%")
    diagnostic = only(diagnose(text))
    assert diagnostic.message == "no value can fall in this tier: its bounds exclude each other"


# ------------------------------------------------------------------------ levels, imports
CORPORATE = """\
contract corporate
  kind multi-level
  level corporate
  provider nimbus
  timezone "Europe/Berlin"
  currency EUR

service api
  fee 1000 EUR monthly

metric api-uptime
  availability of api, per calendar month
  down during incident records

clause 4.1 "API availability"
  promise api-uptime >= 99.9%
"""

CUSTOMER = """\
import "corporate.sla"

contract acme-level
  kind multi-level
  level customer acme
  customer acme

override clause 4.1 "API availability for Acme"
  promise api-uptime >= 99.95%
  credit 10% of the fee when api-uptime < 99.95%
"""


@pytest.fixture
def levels(tmp_path: Path) -> Path:
    (tmp_path / "corporate.sla").write_text(CORPORATE, encoding="utf-8")
    return tmp_path


def test_a_lower_level_uses_the_higher_levels_names(levels: Path) -> None:
    assert diagnose(CUSTOMER, levels) == [], shown(diagnose(CUSTOMER, levels))


def test_an_override_of_a_clause_no_higher_level_defines(levels: Path) -> None:
    text = edit("override clause 4.1", "override clause 4.2", CUSTOMER)
    diagnostic = only(diagnose(text, levels))
    assert diagnostic.message == "override of clause 4.2, which no higher level defines"
    assert diagnostic.hint == 'did you mean "4.1"?'
    assert_at(diagnostic, text, "override clause 4.2", "4.2")


def test_a_clause_already_defined_at_a_higher_level_without_override(levels: Path) -> None:
    text = edit("override clause 4.1", "clause 4.1", CUSTOMER)
    diagnostic = only(diagnose(text, levels))
    assert diagnostic.message.startswith("clause 4.1 is already defined at a higher level (")
    assert "corporate.sla:15)" in diagnostic.message
    assert diagnostic.hint == "write `override clause 4.1` to replace it"
    assert_at(diagnostic, text, "clause 4.1", "4.1")
    assert diagnose(edit("override clause 4.1", "clause 4.2", CUSTOMER), levels) == []


def test_unknown_names_at_a_lower_level_suggest_the_higher_levels(levels: Path) -> None:
    text = edit("api-uptime < 99.95%", "api-uptim < 99.95%", CUSTOMER)
    diagnostic = only(diagnose(text, levels))
    assert diagnostic.message == 'unknown metric "api-uptim"'
    assert diagnostic.hint == 'did you mean "api-uptime"?'
    assert_at(diagnostic, text, "when api-uptim", "api-uptim")


def test_the_timezone_and_currency_come_from_the_higher_level(levels: Path) -> None:
    text = (
        CUSTOMER
        + "\nmetric acme-uptime\n  availability of api, per calendar month\n"
        + ("  down during incident records\n")
    )
    assert diagnose(text, levels) == []
    text = edit("credit 10% of the fee", "penalty 50 USD", text)
    diagnostic = only(diagnose(text, levels))
    assert diagnostic.message == "an amount in USD, but the contract's currency is EUR"
    assert_at(diagnostic, text, "penalty 50 USD", "USD")


# ------------------------------------------------------------------ order, purity, raising
def test_diagnostics_are_sorted_by_position() -> None:
    text = edit("promise api-uptime >= 99.9%", "promise api-uptim >= 99.9%")
    text = edit("term 2026-01-01 to 2026-12-31", "term 2026-12-31 to 2026-01-01", text)
    text = edit("    25% of the fee when api-uptime < 99.0%\n", "", text)  # one tier: fine
    text = edit("excluding maintenance", "excluding maintenence", text)
    text = edit("per calendar month, by priority", "per calendar month", text)
    found = diagnose(text)
    keys = [(d.file, d.line, d.column) for d in found]
    assert keys == sorted(keys)
    assert [d.message for d in found] == [
        "the term ends (2026-01-01) before it starts (2026-12-31)",
        'unknown exclusion "maintenence"',
        "targets per group need the records grouped",
        'unknown metric "api-uptim"',
    ]


def test_several_findings_on_one_line_are_sorted_by_column() -> None:
    text = edit("any of [api-uptime, uplink-uptime]", "any of [api-uptme, uplink-uptim]")
    found = diagnose(text)
    assert [d.message for d in found] == [
        'unknown metric "api-uptme"',
        'unknown metric "uplink-uptim"',
    ]
    assert found[0].line == found[1].line and found[0].column < found[1].column


def test_check_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    text = edit("promise api-uptime >= 99.9%", "promise api-uptim >= 30 minutes")
    text = edit("ending 2027-01-31", "ending 2026-01-31", text)
    found = diagnose(text)
    assert {d.severity for d in found} == {ERROR, WARNING}
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")


def test_raise_for_errors_ignores_warnings_and_raises_on_errors() -> None:
    warned = diagnose(edit("ending 2027-01-31", "ending 2026-01-31"))
    assert [d.severity for d in warned] == [WARNING]
    obligo.raise_for_errors(warned)
    failed = diagnose(edit("promise api-uptime >= 99.9%", "promise api-uptim >= 99.9%"))
    with pytest.raises(ObligoSemanticError) as raised:
        obligo.raise_for_errors(failed)
    assert raised.value.message == 'unknown metric "api-uptim"'


def test_a_composite_cycle_through_other_metrics_is_an_error() -> None:
    text = """contract c
  timezone "UTC"

metric x "X"
  availability, per calendar month
  down when any of [y] is down

metric y "Y"
  availability, per calendar month
  down when all of [x] is down
"""
    found = obligo.check(obligo.parse(text, filename="c.sla"))
    messages = [(d.message, d.line, d.column) for d in found]
    assert ("metric x is a component of itself, through y", 6, 21) in messages
    assert ("metric y is a component of itself, through x", 10, 21) in messages


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("review every 5 business days from 2026-06-20", "a review interval of 5 business days cannot be counted in business time"),
        ("review every 0.5 months from 2026-01-01", "a review interval of 0.5 months is not a whole number of months"),
        ('notify "A" 36 hours before the end of the term', "a notice of 36 h is not a whole number of days"),
        ('notify "A" 3 months before the end of the term', None),
    ],
)  # fmt: skip
def test_notices_and_reviews_fall_on_whole_days(line: str, message: str | None) -> None:
    text = (
        'contract dated "Dated" version 1\n  term 2026-01-01 to 2026-12-31\n'
        f'  timezone "UTC"\n\n{line}\n'
    )
    errors = [d for d in obligo.check(obligo.parse(text, "x.sla")) if d.severity is Severity.ERROR]
    assert [d.message for d in errors] == ([] if message is None else [message])
    if message is not None:
        assert errors[0].line == 5


def test_a_service_level_without_an_import_is_told_to_import_its_customer_level() -> None:
    text = (
        'contract db "DB" version 1\n  kind multi-level\n  level service db for customer globex\n'
        '  timezone "UTC"\n'
    )
    findings = [
        d for d in obligo.check(obligo.parse(text, "x.sla")) if "imports no higher" in d.message
    ]
    assert [d.hint for d in findings] == ['import its customer level, such as: import "globex.sla"']


# ------------------------------------------------------------ lines a metric's kind never reads
@pytest.mark.parametrize(
    ("added", "line_text", "message"),
    [
        (
            "  excluding maintenance  # in a percentile\n",
            "  excluding maintenance  # in a percentile\n",
            "`excluding` has no effect on api-latency (a percentile): only availability,"
            " total duration and MTBF metrics read it",
        ),
        (
            "  only while deployment records\n",
            "  only while deployment records\n",
            "`only while` has no effect on api-latency (a percentile): only availability,"
            " total duration and MTBF metrics read it",
        ),
        (
            "  only during office hours\n",
            "  only during office hours\n",
            "`only during` has no effect on api-latency (a percentile): only availability,"
            " total duration and MTBF metrics read it",
        ),
        (
            "  in slices of 2 minutes\n",
            "  in slices of 2 minutes\n",
            "`in slices of` has no effect on api-latency (a percentile): only availability"
            " metrics read it",
        ),
        (
            "  in slices of 2 minutes\n  a slice is down when there are probe records\n",
            "  in slices of 2 minutes\n",
            "`in slices of` has no effect on api-latency (a percentile): only availability"
            " metrics read it",
        ),
        (
            "  a slice without request records is up\n",
            "  a slice without request records is up\n",
            "`a slice without` has no effect on api-latency (a percentile): only availability"
            " and slice average metrics read it",
        ),
        (
            "  a record still open is left out\n",
            "  a record still open is left out\n",
            "`a record still open` has no effect on api-latency (a percentile): only share"
            " within target metrics read it",
        ),
    ],
)
def test_a_line_the_metrics_kind_never_reads_is_an_error_at_it(
    added: str, line_text: str, message: str
) -> None:
    """A line written in a metric whose kind has no use for it would be ignored: the value
    measured otherwise than the contract says (an exclusion written in a percentile metric
    left every excluded record in). It is an error at its line."""
    text = edit(
        "  p95 of latency_ms in request records, per calendar month\n",
        "  p95 of latency_ms in request records, per calendar month\n" + added,
    )
    found = [d for d in diagnose(text) if d.severity is Severity.ERROR]
    diagnostic = found[0]
    assert diagnostic.message == message, shown(found)
    assert_at(diagnostic, text, line_text, line_text.strip()[:1])


def test_a_named_value_in_a_percentile_metric_is_an_error_at_it() -> None:
    text = edit(
        "  p95 of latency_ms in request records, per calendar month\n",
        "  p95 of latency_ms in request records, per calendar month\n"
        "  slow = count(request records where latency_ms > 500)\n",
    )
    diagnostic = only([d for d in diagnose(text) if d.severity is Severity.ERROR])
    assert diagnostic.message == (
        "`a named value` has no effect on api-latency (a percentile): only availability,"
        " slice average and ratio metrics read it"
    )
    assert_at(diagnostic, text, "  slow = count", "slow")


def test_the_bundled_percentile_leaves_beta_queries_out_in_its_selection() -> None:
    """initech-analytics' p95 said `excluding beta`, which a percentile never read (every beta
    query was measured); it now says so in its selection, and checks clean."""
    path = Path(__file__).resolve().parent.parent / "contracts" / "initech-analytics.sla"
    text = path.read_text(encoding="utf-8")
    assert "excluding beta" not in text
    assert 'not (feature_stage = "beta" or feature_stage = "preview")' in text
    assert [d for d in obligo.check(obligo.load(path)) if d.severity is Severity.ERROR] == []

"""``obligo explain``: one verdict and its money step by step, exact output on the bundled
samples (whose numbers are worked out by hand in their READMEs) and on a small contract measured
by two fields; the errors for a clause, period, group or pair that is not evaluated.

acme-hosting, clause 4.1 in March 2026: breached, with maintenance MNT-302 refused (announced
2 days 10 hours before its start, 5 days required) and counted as downtime; January: met.
verizon-dia, clause 1 in October 2026: a credit of 38.71 USD (1 started hour of 2,520 s, a day
of the 1,200 USD fee over 31 days), its cap not bound, its claim deadline passed.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import obligo
from obligo import api
from obligo.cli import cli
from obligo.engine.run.evaluation import evaluate
from obligo.render.explain import explanation_text
from obligo.resolve.resolver import check_and_resolve

FEBRUARY = dt.datetime(2026, 2, 10, tzinfo=dt.UTC)
REPO = Path(__file__).resolve().parent.parent
ACME = ["contracts/acme-hosting.sla", "--events", "contracts/acme-hosting/events.jsonl",
        "--at", "2026-04-15T12:00:00+02:00"]  # fmt: skip
VERIZON = ["contracts/verizon-dia.sla", "--events", "contracts/verizon-dia/events.jsonl",
           "--at", "2026-12-02T12:00:00-05:00"]  # fmt: skip


@pytest.fixture(autouse=True)
def at_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the samples are named relative to the repository, as documented


def explain(*args: str) -> Result:
    return CliRunner().invoke(cli, ["explain", *args])


BREACH_WITH_REFUSED_EXCLUSION = """\
explain clause 4.1 "API availability", period 2026-03
contract acme-hosting "Managed hosting for Acme" version 3
customer acme
evaluated at 2026-04-15T12:00:00+02:00 (Europe/Berlin)

1. The clause as written (contracts/acme-hosting.sla:63)
    clause 4.1 "API availability"
      promise api-uptime >= 99.9%
      credit
        10% of the fee when api-uptime < 99.9%
        25% of the fee when api-uptime < 99.0%
        100% of the fee when api-uptime < 95.0%
      cap 50% of the fee per month
      cap 10% of the fees of the last 12 months, less credits already given
      claim by the end of the second billing cycle after the month
      termination right when breached in 3 consecutive months, exercised within 30 days

2. The metric api-uptime as written (contracts/acme-hosting.sla:30)
    metric api-uptime "API availability"
      availability of api, per calendar month
      down during incident records where service = "api" and severity <= 2
      excluding maintenance, customer-caused
      only while deployment records where service = "api"  # the denominator: deployed time

3. The verdict: api-uptime >= 99.9%
  - period 2026-03: 2026-03-01T00:00:00+01:00 to 2026-04-01T00:00:00+02:00
  - measured: 99.808558559% against 99.9%
  - status: breached; a baseline period: measured and judged, without consequences

4. The arithmetic
  - 4 records read in the period
  - counted time = 2674800 s in the period - 10800 s excluded = 2664000 s
  - availability = (2664000 s - 5100 s down) / 2664000 s x 100 = 99.808558559%
  - 99.808558559% >= 99.9% is not kept: breached

5. What made the value: 4 contributors
  - maintenance MNT-302 2026-03-20T22:00:00+01:00 to 2026-03-20T23:00:00+01:00: 3600 s (exclusion maintenance refused: announced 2 days 10 hours before start, 5 days required)
  - incident INC-304 2026-03-29T01:50:00+01:00 to 2026-03-29T03:05:00+02:00: 900 s
  - incident INC-203 2026-02-28T23:50:00+01:00 to 2026-03-01T00:10:00+01:00: 600 s
  - incident INC-302 2026-03-20T22:00:00+01:00 to 2026-03-20T22:10:00+01:00: 600 s

6. Left out: records read that added nothing
  - incident INC-303 2026-03-25T14:00:00+01:00 to 2026-03-25T15:00:00+01:00: 3600 s (its time in the period was excluded: by customer-caused)

7. Left out: records not counted, from 2026-02-01T00:00:00+01:00 to 2026-05-01T00:00:00+02:00
  - records read: incident records where service = "api" and severity <= 2; deployment records where service = "api"
  - 4 not counted: 0 fail the where, 0 in another group, 4 outside the period, 0 rejected at load
  - incident INC-401 from 2026-04-15T11:40:00+02:00, still open: 1200 s: after the period (contracts/acme-hosting/events.jsonl:15)
  - incident INC-402 2026-04-16T09:00:00+02:00 to 2026-04-16T09:30:00+02:00: 1800 s: after the evaluation time (contracts/acme-hosting/events.jsonl:16)
  - incident INC-202 2026-02-10T10:15:00+01:00 to 2026-02-10T10:45:00+01:00: 1800 s: before the period (contracts/acme-hosting/events.jsonl:7)
  - incident INC-201 2026-02-10T10:00:00+01:00 to 2026-02-10T10:30:00+01:00: 1800 s: before the period (contracts/acme-hosting/events.jsonl:6)

8. Left out: exclusions
  - customer-caused (Caused by the customer): 3600 s excluded from the period, 1 record
  - maintenance (Scheduled maintenance): 7200 s excluded from the period, 1 record
  - accepted: maintenance MNT-301 2026-03-10T01:00:00+01:00 to 2026-03-10T03:00:00+01:00: 7200 s of the period, exclusion maintenance
  - accepted: incident INC-303 2026-03-25T14:00:00+01:00 to 2026-03-25T15:00:00+01:00: 3600 s of the period, exclusion customer-caused
  - refused, so counted as ordinary downtime: maintenance MNT-302 from 2026-03-20T22:00:00+01:00, exclusion maintenance: announced 2 days 10 hours before start, 5 days required

9. The tiers
  - 10% of the fee when api-uptime < 99.9% (contracts/acme-hosting.sla:66): its condition holds (99.808558559%); a baseline period: measured and judged, without consequences
  - 25% of the fee when api-uptime < 99.0% (contracts/acme-hosting.sla:67): its condition does not hold (99.808558559%); a baseline period: measured and judged, without consequences
  - 100% of the fee when api-uptime < 95.0% (contracts/acme-hosting.sla:68): its condition does not hold (99.808558559%); a baseline period: measured and judged, without consequences

10. The money
  - nothing is owed for this clause in this period; a baseline period: measured and judged, without consequences

11. The logs: every line accounted for
  - contracts/acme-hosting/events.jsonl: 31 lines, 26 used, 2 outside the periods, 2 not used by this contract, 0 rejected, 1 merged
"""


def test_a_breach_with_a_refused_exclusion() -> None:
    result = explain(*ACME, "--clause", "4.1", "--period", "2026-03")
    assert result.exit_code == 0, result.output
    assert result.stdout == BREACH_WITH_REFUSED_EXCLUSION


MET = """\
explain clause 4.1 "API availability", period 2026-01
contract acme-hosting "Managed hosting for Acme" version 3
customer acme
evaluated at 2026-04-15T12:00:00+02:00 (Europe/Berlin)

1. The clause as written (contracts/acme-hosting.sla:63)
    clause 4.1 "API availability"
      promise api-uptime >= 99.9%
      credit
        10% of the fee when api-uptime < 99.9%
        25% of the fee when api-uptime < 99.0%
        100% of the fee when api-uptime < 95.0%
      cap 50% of the fee per month
      cap 10% of the fees of the last 12 months, less credits already given
      claim by the end of the second billing cycle after the month
      termination right when breached in 3 consecutive months, exercised within 30 days

2. The metric api-uptime as written (contracts/acme-hosting.sla:30)
    metric api-uptime "API availability"
      availability of api, per calendar month
      down during incident records where service = "api" and severity <= 2
      excluding maintenance, customer-caused
      only while deployment records where service = "api"  # the denominator: deployed time

3. The verdict: api-uptime >= 99.9%
  - period 2026-01: 2026-01-01T00:00:00+01:00 to 2026-02-01T00:00:00+01:00
  - measured: 99.922839506% against 99.9%
  - status: met; a baseline period: measured and judged, without consequences

4. The arithmetic
  - 2 records read in the period
  - counted time = 2332800 s of the period's 2678400 s: 0 s excluded, the rest outside the time the metric counts (only while, only during)
  - availability = (2332800 s - 1800 s down) / 2332800 s x 100 = 99.922839506%
  - 99.922839506% >= 99.9% is kept: met

5. What made the value: 1 contributor
  - incident INC-101 2026-01-14T09:00:00+01:00 to 2026-01-14T09:30:00+01:00: 1800 s

6. Left out: records read that added nothing
  - incident INC-100 2026-01-03T10:00:00+01:00 to 2026-01-03T11:00:00+01:00: 3600 s (its time in the period is outside the counted time)

7. Left out: records not counted, from 2026-01-01T00:00:00+01:00 to 2026-03-01T00:00:00+01:00
  - records read: incident records where service = "api" and severity <= 2; deployment records where service = "api"
  - 4 not counted: 1 fail the where, 0 in another group, 3 outside the period, 0 rejected at load
  - incident INC-102 2026-01-20T13:00:00+01:00 to 2026-01-20T17:00:00+01:00: 14400 s: fails severity <= 2 (its severity is 3) (contracts/acme-hosting/events.jsonl:5)
  - incident INC-201 2026-02-10T10:00:00+01:00 to 2026-02-10T10:30:00+01:00: 1800 s: after the period (contracts/acme-hosting/events.jsonl:6)
  - incident INC-202 2026-02-10T10:15:00+01:00 to 2026-02-10T10:45:00+01:00: 1800 s: after the period (contracts/acme-hosting/events.jsonl:7)
  - incident INC-203 2026-02-28T23:50:00+01:00 to 2026-03-01T00:10:00+01:00: 1200 s: after the period (contracts/acme-hosting/events.jsonl:9)

8. The tiers
  - 10% of the fee when api-uptime < 99.9% (contracts/acme-hosting.sla:66): its condition does not hold (99.922839506%); a baseline period: measured and judged, without consequences
  - 25% of the fee when api-uptime < 99.0% (contracts/acme-hosting.sla:67): its condition does not hold (99.922839506%); a baseline period: measured and judged, without consequences
  - 100% of the fee when api-uptime < 95.0% (contracts/acme-hosting.sla:68): its condition does not hold (99.922839506%); a baseline period: measured and judged, without consequences

9. The money
  - nothing is owed for this clause in this period; a baseline period: measured and judged, without consequences

10. The logs: every line accounted for
  - contracts/acme-hosting/events.jsonl: 31 lines, 26 used, 2 outside the periods, 2 not used by this contract, 0 rejected, 1 merged
"""


def test_a_met_period() -> None:
    result = explain(*ACME, "--clause", "4.1", "--period", "2026-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == MET


MONEY_MARKDOWN = """\
# Explain clause 1 "Network availability", period 2026-10

- contract verizon-dia "Verizon Internet Dedicated SLA" version public-terms
- service dia
- evaluated at 2026-12-02T12:00:00-05:00 (America/New_York)

## 1. The clause as written (contracts/verizon-dia.sla:61)

```sla
clause 1 "Network availability"
  service dia
  promise dia-uptime >= 100%  # "Availability commitment 100%": any unavailability breaks it
  # "one day of pro-rated monthly recurring charge (MRC ÷ days in the month) for each cumulative hour
  # or part of an hour of unavailability": `1 day of the fee` is the monthly fee ÷ the days of that
  # month, and a started hour counts as a whole one.
  credit 1 day of the fee per started hour of unavailability
  # "Cap: one month's MRC per month." Reading: the cap is on everything this SLA credits in a month,
  # so the latency and packet delivery credits (clauses 2 and 3) count against it too.
  cap 1 month of the fee per month, shared with clauses 2, 3
  # "Trouble ticket within 72 hours". Reading: an outage counts towards the credit only if a trouble
  # ticket for the port was opened within 72 hours of it; an outage nobody reported earns nothing.
  claim requires ticket records where service = "dia" within 72 hours of the outage
  # "written claim within 30 days of closing" the trouble ticket: the end of the ticket is its closing.
  claim within 30 days after the end of the ticket
```

## 2. The metric dia-uptime as written (contracts/verizon-dia.sla:31)

```sla
metric dia-uptime "Availability"
  availability of dia, per calendar month
  down during outage records where service = "dia"
  excluding customer-equipment, customer-circuits, maintenance, force-majeure
```

## 3. The verdict: dia-uptime >= 100%

- period 2026-10: 2026-10-01T00:00:00-04:00 to 2026-11-01T00:00:00-04:00
- measured: 99.905533063% against 100%
- status: breached

## 4. The arithmetic

- 3 records read in the period
- counted time = 2678400 s in the period - 10800 s excluded = 2667600 s
- availability = (2667600 s - 2520 s down) / 2667600 s x 100 = 99.905533063%
- 99.905533063% >= 100% is not kept: breached

## 5. What made the value: 1 contributor

- outage VZ-1006 2026-10-06T14:00:00-04:00 to 2026-10-06T14:42:00-04:00: 2520 s

## 6. Left out: records read that added nothing

- outage VZ-1012 2026-10-12T09:00:00-04:00 to 2026-10-12T10:00:00-04:00: 3600 s (its time in the period was excluded: by customer-equipment)
- outage VZ-1020 2026-10-20T02:30:00-04:00 to 2026-10-20T03:00:00-04:00: 1800 s (its time in the period was excluded: by maintenance)

## 7. Left out: records not counted, from 2026-09-01T00:00:00-04:00 to 2026-12-01T00:00:00-05:00

- records read: outage records where service = "dia"
- 2 not counted: 0 fail the where, 0 in another group, 2 outside the period, 0 rejected at load
- outage VZ-1101 2026-11-01T00:30:00-04:00 to 2026-11-01T01:30:00-05:00: 7200 s: after the period (contracts/verizon-dia/events.jsonl:7)
- outage VZ-0907 2026-09-07T08:00:00-04:00 to 2026-09-07T08:12:00-04:00: 720 s: before the period (contracts/verizon-dia/events.jsonl:1)

## 8. Left out: exclusions

- customer-equipment (Customer equipment): 3600 s excluded from the period, 1 record
- maintenance (Scheduled maintenance): 7200 s excluded from the period, 1 record
- accepted: maintenance CHG-5521 2026-10-20T02:00:00-04:00 to 2026-10-20T04:00:00-04:00: 7200 s of the period, exclusion maintenance
- accepted: outage VZ-1012 2026-10-12T09:00:00-04:00 to 2026-10-12T10:00:00-04:00: 3600 s of the period, exclusion customer-equipment

## 9. The money: a credit for dia

- fee of dia: 1200 USD (contract: 1200 USD monthly)
- 1 day of the fee per started hour of unavailability (contracts/verizon-dia.sla:67): unavailability 2520 s = 1 started hour; 1 × (1 day × 1200 USD ÷ 31 days of 2026-10 = 38.709677419 USD) = 38.709677419 USD
- before the caps: 38.709677419
- cap 1 month of the fee per month, shared with clauses 2, 3 (contracts/verizon-dia.sla:70): 1 month of the fee: 1200 USD × 1 ÷ 1 month = 1200 USD for 2026-10, for clauses 1, 2, 3 together; 38.709677419 -> 38.709677419 (not bound)
- after the caps: 38.709677419
- amount: 38.71 USD, rounded half-up to 0.01 USD
- claim within 30 days after the end of the ticket: by 2026-11-06T09:00:00-05:00; passed (30 days after the end of ticket TT-88121)
- requirement ticket records where service = "dia" within 72 h of the outage: 1 of 3 records qualify (not: outage VZ-1012, outage VZ-1020)

## 10. The logs: every line accounted for

- contracts/verizon-dia/events.jsonl: 23 lines, 21 used, 1 outside the periods, 1 not used by this contract, 0 rejected
"""


def test_a_credit_with_its_fee_cap_rounding_and_claim_in_markdown() -> None:
    result = explain(*VERIZON, "--clause", "1", "--period", "2026-10", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout == MONEY_MARKDOWN


def test_text_and_markdown_tell_the_same_steps() -> None:
    text = explain(*VERIZON, "--clause", "1", "--period", "2026-10").stdout
    steps = [line.split(". ", 1)[1] for line in text.splitlines() if line[:1].isdigit()]
    headings = [
        line.split(". ", 1)[1] for line in MONEY_MARKDOWN.splitlines() if line.startswith("## ")
    ]
    assert steps == headings
    assert "  - amount: 38.71 USD, rounded half-up to 0.01 USD" in text


CLOUD = """\
contract cloud "Cloud hosting"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric uptime "Uptime per project and region"
  availability, per calendar month, by project, region
  down during outage records

clause 2 "Uptime"
  promise uptime >= 99.9%
"""
# January: p1 in eu-west-1 down 1 hour (3,600 s of 2,678,400 s: 99.865591398%, breached); p2 in
# eu-west-1 10 minutes, p1 in us-east-1 5 minutes (both met).
OUTAGES = [
    {"type": "outage", "id": "O-1", "project": "p1", "region": "eu-west-1",
     "start": "2026-01-10T10:00:00Z", "end": "2026-01-10T11:00:00Z"},
    {"type": "outage", "id": "O-2", "project": "p2", "region": "eu-west-1",
     "start": "2026-01-12T10:00:00Z", "end": "2026-01-12T10:10:00Z"},
    {"type": "outage", "id": "O-3", "project": "p1", "region": "us-east-1",
     "start": "2026-01-15T10:00:00Z", "end": "2026-01-15T10:05:00Z"},
]  # fmt: skip


@pytest.fixture
def cloud(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (tmp_path / "cloud.sla").write_text(CLOUD, encoding="utf-8")
    (tmp_path / "cloud.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in OUTAGES), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return ["cloud.sla", "--events", "cloud.jsonl", "--at", "2026-02-10T00:00:00Z",
            "--clause", "2", "--period", "2026-01"]  # fmt: skip


MULTI_FIELD_GROUP = """\
explain clause 2 "Uptime", period 2026-01, group project=p1,region=eu-west-1
contract cloud "Cloud hosting"
evaluated at 2026-02-10T00:00:00+00:00 (UTC)

1. The clause as written (cloud.sla:9)
    clause 2 "Uptime"
      promise uptime >= 99.9%

2. The metric uptime as written (cloud.sla:5)
    metric uptime "Uptime per project and region"
      availability, per calendar month, by project, region
      down during outage records

3. The verdict: uptime >= 99.9%
  - period 2026-01: 2026-01-01T00:00:00+00:00 to 2026-02-01T00:00:00+00:00
  - measured: 99.865591398% against 99.9%
  - status: breached

4. The arithmetic
  - 1 record read in the period
  - counted time = 2678400 s in the period - 0 s excluded = 2678400 s
  - availability = (2678400 s - 3600 s down) / 2678400 s x 100 = 99.865591398%
  - 99.865591398% >= 99.9% is not kept: breached

5. What made the value: 1 contributor
  - outage O-1 2026-01-10T10:00:00+00:00 to 2026-01-10T11:00:00+00:00: 3600 s

6. Left out: records not counted, from 2026-01-01T00:00:00+00:00 to 2026-03-01T00:00:00+00:00
  - records read: outage records
  - 2 not counted: 0 fail the where, 2 in another group, 0 outside the period, 0 rejected at load
  - outage O-2 2026-01-12T10:00:00+00:00 to 2026-01-12T10:10:00+00:00: 600 s: in another group (its project is "p2", its region is "eu-west-1") (cloud.jsonl:2)
  - outage O-3 2026-01-15T10:00:00+00:00 to 2026-01-15T10:05:00+00:00: 300 s: in another group (its project is "p1", its region is "us-east-1") (cloud.jsonl:3)

7. The money
  - nothing is owed for this clause in this period

8. The logs: every line accounted for
  - cloud.jsonl: 3 lines, 3 used, 0 outside the periods, 0 not used by this contract, 0 rejected
"""


def test_a_group_of_two_fields_named_in_any_order(cloud: list[str]) -> None:
    for written in ("region=eu-west-1,project=p1", "project=p1, region=eu-west-1"):
        result = explain(*cloud, "--group", written)
        assert result.exit_code == 0, result.output
        assert result.stdout == MULTI_FIELD_GROUP


GROUPS = "project=p1,region=eu-west-1; project=p1,region=us-east-1; project=p2,region=eu-west-1"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            [],
            "error: clause 2 is judged per group in 2026-01: name one with --group"
            f" (its groups: {GROUPS})",
        ),
        (
            ["--group", "eu-west-1"],
            f"error: no group eu-west-1 of clause 2 in 2026-01: there are {GROUPS}"
            " (a group of several fields is named field=value,...: region=eu,project=p1)",
        ),
        (
            ["--group", "region=eu-west-1,project=p9"],
            "error: no group region=eu-west-1,project=p9 of clause 2 in 2026-01: there are"
            f' {GROUPS} (did you mean "project=p2,region=eu-west-1"?)',
        ),
    ],
)
def test_a_group_not_evaluated_lists_those_that_are(
    cloud: list[str], options: list[str], message: str
) -> None:
    result = explain(*cloud, *options)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--clause", "4.3", "--period", "2026-03"],
            "error: no clause 4.3 with a promise in acme-hosting: there are 4.1, 4.2, 5.1"
            ' (did you mean "4.2"?)',
        ),
        (
            ["--clause", "4.1", "--period", "2026-3"],
            "error: no period 2026-3 of clause 4.1: there are 2026-01, 2026-02, 2026-03, 2026-04"
            ' (did you mean "2026-03"?)',
        ),
    ],
)
def test_a_clause_or_period_not_evaluated_lists_those_that_are(
    options: list[str], message: str
) -> None:
    result = explain(*ACME, *options)
    assert result.exit_code == 2
    assert result.stderr == message + "\n"


def test_an_agreement_set_takes_customer_and_service(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.write_text(
        json.dumps({"type": "incident", "id": "G-DB-1", "customer": "globex", "service": "db",
                    "severity": 1, "start": "2026-06-10T10:00:00Z", "end": "2026-06-10T12:00:00Z"})
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    base = ["contracts/nimbus", "--events", str(log), "--at", "2026-08-01T00:00:00+01:00",
            "--clause", "1.1", "--period", "2026-06"]  # fmt: skip
    several = explain(*base)
    assert several.exit_code == 2
    assert several.stderr == (
        "error: 5 agreements evaluated for these contracts: name one with --customer and"
        " --service; the pairs evaluated (customer/service): globex/db, globex/erp,"
        " globex/payments, initrode/crm, initrode/db (e.g. --customer globex --service db)\n"
    )
    none = explain(*base, "--customer", "umbrella")
    assert none.exit_code == 2
    assert none.stderr.startswith("error: no agreement evaluated for customer umbrella;")
    one = explain(*base, "--customer", "globex", "--service", "db")
    assert one.exit_code == 0, one.output
    lines = one.stdout.splitlines()
    assert lines[:4] == [
        'explain clause 1.1 "Database availability", period 2026-06',
        'contract nimbus-globex-db "Globex managed database service levels" version 1',
        "customer globex, service db",
        "evaluated at 2026-08-01T00:00:00+01:00 (Europe/London)",
    ]
    # 120 minutes down of June's 43,200 (Europe/London): 99.722222222%, below the 99.95% of
    # the database's level.
    assert "  - measured: 99.722222222% against 99.95%" in lines


def test_at_most_the_50_largest_contributors_and_the_rest_counted(tmp_path: Path) -> None:
    """60 outages of 1 to 60 minutes: the 50 largest (60 down to 11 minutes) are listed, 10
    counted; the evaluation's report still shows its ten (the engine keeps 50 for explain)."""
    contract = obligo.parse(CLOUD.replace(", by project, region", ""), "cloud.sla")
    outages = [
        {"type": "outage", "id": f"O-{n:02d}", "start": f"2026-01-{n // 2 + 1:02d}T{10 + n % 2}:00:00Z",
         "end": f"2026-01-{n // 2 + 1:02d}T{10 + n % 2}:{n:02d}:00Z" if n < 60
         else f"2026-01-{n // 2 + 1:02d}T12:00:00Z"}
        for n in range(1, 61)
    ]  # fmt: skip
    report = obligo.evaluate(contract, outages, at=FEBRUARY)
    (january,) = [v for v in report.verdicts if v.period.label == "2026-01"]
    assert len(january.evidence.contributors) == 10
    assert january.evidence.contributors_total == 60
    sla = tmp_path / "cloud.sla"
    sla.write_text(CLOUD.replace(", by project, region", ""), encoding="utf-8")
    found = api.explain(
        obligo.load_agreements([sla]), outages, clause="2", period="2026-01",
        at=FEBRUARY,
    )  # fmt: skip
    (objective,) = found.objectives
    assert objective.contributors_total == 60
    assert [c.id for c in objective.contributors] == [f"O-{n:02d}" for n in range(60, 10, -1)]
    assert [c.id for c in objective.contributors[:10]] == [
        c.id for c in january.evidence.contributors
    ]
    shown = explanation_text(found)
    assert "5. What made the value: the 50 largest of 60 contributors" in shown
    assert "  - ... and 10 more, not listed" in shown


def _blocks(text: str, language: str) -> list[str]:
    parts = text.split(f"```{language}\n")[1:]
    return [part.split("```\n", 1)[0] for part in parts]


def _command(block: str) -> list[str]:
    return shlex.split(block.replace("\\\n", " "))[1:]


def test_the_documented_example_is_the_output() -> None:
    doc = (REPO / "docs" / "explain.md").read_text(encoding="utf-8")
    example = doc.split("## Example: a breach with a refused exclusion", 1)[1]
    command = _command(_blocks(example, "sh")[0])
    assert command[0] == "explain"
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, result.output
    assert result.stdout == _blocks(example, "text")[0] == BREACH_WITH_REFUSED_EXCLUSION
    error = _blocks(doc, "text")[0]
    assert explain(*ACME, "--clause", "4.1", "--period", "2026-3").stderr == error


def test_the_documented_library_example_runs() -> None:
    code = _blocks((REPO / "docs" / "explain.md").read_text(encoding="utf-8"), "python")[0]
    printed: list[str] = []
    exec(code, {"print": printed.append})  # the documentation's own example, not user text
    assert printed == [BREACH_WITH_REFUSED_EXCLUSION]


def test_the_documented_fail_on_example_fails_on_the_breaches() -> None:
    doc = (REPO / "docs" / "explain.md").read_text(encoding="utf-8")
    gate = doc.split("## Failing a pipeline", 1)[1]
    result = CliRunner().invoke(cli, _command(_blocks(gate, "sh")[0]))
    # acme-hosting shows breaches (February, March); April is pending with 1,392 s of its
    # budget left: not spent.
    assert result.exit_code == 1
    assert result.stderr == "failing on: breached\n"


def test_the_engine_keeps_the_down_records_that_added_nothing_and_why() -> None:
    """acme-hosting's api-uptime: INC-100 (3 January) falls before the deployment DEP-1 (5
    January), outside the counted time; INC-303 (25 March, cause customer) is excluded whole.
    The report does not show them (its bytes are those of the bundled expected report)."""
    agreement = check_and_resolve(obligo.load("contracts/acme-hosting.sla"))
    evaluation = evaluate(
        agreement,
        ["contracts/acme-hosting/events.jsonl"],
        dt.datetime.fromisoformat("2026-04-15T12:00:00+02:00"),
    )
    idle = {
        j.period.label: [(c.id, c.seconds, c.detail) for c in j.measurement.without_effect]
        for j in evaluation.judged
        if j.clause.id == "4.1"
    }
    assert idle == {
        "2026-01": [("INC-100", 3600, "its time in the period is outside the counted time")],
        "2026-02": [],
        "2026-03": [("INC-303", 3600, "its time in the period was excluded")],
        "2026-04": [],
    }


@pytest.mark.parametrize("command", ["explain", "eval"])
def test_the_help_shows_an_example_that_runs_and_points_to_the_docs(command: str) -> None:
    help_text = CliRunner().invoke(cli, [command, "--help"]).stdout
    assert "docs/explain.md" in help_text
    example = help_text.split("Example:\n", 1)[1].split("\n\n", 1)[0]
    args = shlex.split(example)
    assert args[:2] == ["obligo", command]
    result = CliRunner().invoke(cli, args[1:])
    # explain writes the explanation; eval's example gates on the breaches acme-hosting shows.
    assert result.exit_code == (0 if command == "explain" else 1), result.output
    assert result.stdout.startswith("explain clause 4.1" if command == "explain" else "contract")


# Records left out, each with its reason. March 2026, group eu: I-1 counts (1 hour); I-2 is of
# another service, I-3 of severity 3, I-6 without a severity (each fails the where); I-4 is in
# region us; I-5 is in February; I-7 falls inside the maintenance M-1 (announced 9 days ahead:
# accepted, 2 hours excluded); M-2, announced 1 day ahead where 2 are required, is refused and
# counts as downtime (15 minutes); the last line has no valid start and is rejected.
SHOP = """\
contract shop "Shop hosting"
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

exclusion maintenance "Scheduled maintenance"
  maintenance records
  valid when announced at least 2 days before start
  excluded from the period

metric web-uptime "Web availability"
  availability, per calendar month, by region
  down during incident records where service = "web" and severity <= 2
  excluding maintenance

clause 1 "Web availability"
  promise web-uptime >= 99.9%
"""
SHOP_EVENTS = [
    {"type": "incident", "id": "I-1", "service": "web", "severity": 1, "region": "eu",
     "start": "2026-03-03T10:00:00Z", "end": "2026-03-03T11:00:00Z"},
    {"type": "incident", "id": "I-2", "service": "api", "severity": 1, "region": "eu",
     "start": "2026-03-04T10:00:00Z", "end": "2026-03-04T12:00:00Z"},
    {"type": "incident", "id": "I-3", "service": "web", "severity": 3, "region": "eu",
     "start": "2026-03-05T10:00:00Z", "end": "2026-03-05T10:30:00Z"},
    {"type": "incident", "id": "I-4", "service": "web", "severity": 1, "region": "us",
     "start": "2026-03-06T10:00:00Z", "end": "2026-03-06T10:20:00Z"},
    {"type": "incident", "id": "I-5", "service": "web", "severity": 1, "region": "eu",
     "start": "2026-02-27T10:00:00Z", "end": "2026-02-27T10:10:00Z"},
    {"type": "incident", "id": "I-6", "service": "web", "region": "eu",
     "start": "2026-03-07T10:00:00Z", "end": "2026-03-07T10:05:00Z"},
    {"type": "incident", "id": "I-7", "service": "web", "severity": 2, "region": "eu",
     "start": "2026-03-10T01:30:00Z", "end": "2026-03-10T02:00:00Z"},
    {"type": "maintenance", "id": "M-1", "announced": "2026-03-01T00:00:00Z",
     "start": "2026-03-10T01:00:00Z", "end": "2026-03-10T03:00:00Z"},
    {"type": "maintenance", "id": "M-2", "announced": "2026-03-11T00:00:00Z",
     "start": "2026-03-12T01:00:00Z", "end": "2026-03-12T01:15:00Z"},
    {"type": "incident", "id": "I-8", "service": "web", "start": "not a time"},
]  # fmt: skip


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    (tmp_path / "shop.sla").write_text(SHOP, encoding="utf-8")
    (tmp_path / "shop.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in SHOP_EVENTS), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return ["shop.sla", "--events", "shop.jsonl", "--at", "2026-04-10T00:00:00Z",
            "--clause", "1", "--period", "2026-03", "--skip-invalid"]  # fmt: skip


def _section(text: str, title: str) -> list[str]:
    """The lines of the step whose title starts with ``title`` (title line included)."""
    lines = text.splitlines()
    (start,) = [i for i, line in enumerate(lines) if line.split(". ", 1)[-1].startswith(title)]
    end = lines.index("", start)
    return lines[start:end]


def test_the_records_left_out_each_with_its_reason(shop: list[str]) -> None:
    result = explain(*shop, "--group", "eu")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert _section(text, "What made the value") == [
        "5. What made the value: 2 contributors",
        "  - incident I-1 2026-03-03T10:00:00+00:00 to 2026-03-03T11:00:00+00:00: 3600 s",
        "  - maintenance M-2 2026-03-12T01:00:00+00:00 to 2026-03-12T01:15:00+00:00: 900 s"
        " (exclusion maintenance refused: announced 1 day 1 hour before start, 2 days required)",
    ]
    assert _section(text, "Left out: records not counted") == [
        "7. Left out: records not counted, from 2026-02-01T00:00:00+00:00 to"
        " 2026-05-01T00:00:00+00:00",
        '  - records read: incident records where service = "web" and severity <= 2',
        "  - 6 not counted: 3 fail the where, 1 in another group, 1 outside the period,"
        " 1 rejected at load",
        "  - incident I-2 2026-03-04T10:00:00+00:00 to 2026-03-04T12:00:00+00:00: 7200 s:"
        ' fails service = "web" (its service is "api") (shop.jsonl:2)',
        "  - incident I-3 2026-03-05T10:00:00+00:00 to 2026-03-05T10:30:00+00:00: 1800 s:"
        " fails severity <= 2 (its severity is 3) (shop.jsonl:3)",
        "  - incident I-6 2026-03-07T10:00:00+00:00 to 2026-03-07T10:05:00+00:00: 300 s:"
        " fails severity <= 2 (it has no severity) (shop.jsonl:6)",
        "  - incident I-4 2026-03-06T10:00:00+00:00 to 2026-03-06T10:20:00+00:00: 1200 s:"
        ' in another group (its region is "us") (shop.jsonl:4)',
        "  - incident I-5 2026-02-27T10:00:00+00:00 to 2026-02-27T10:10:00+00:00: 600 s:"
        " before the period (shop.jsonl:5)",
        '  - a line rejected at load: `start` is not an RFC 3339 timestamp: "not a time"'
        " (shop.jsonl:10)",
    ]
    # I-7 was selected but its time was excluded: the engine's own list, not a second one
    assert _section(text, "Left out: records read") == [
        "6. Left out: records read that added nothing",
        "  - incident I-7 2026-03-10T01:30:00+00:00 to 2026-03-10T02:00:00+00:00: 1800 s"
        " (its time in the period was excluded: by maintenance)",
    ]
    assert _section(text, "Left out: exclusions") == [
        "8. Left out: exclusions",
        "  - maintenance (Scheduled maintenance): 7200 s excluded from the period, 1 record",
        "  - accepted: maintenance M-1 2026-03-10T01:00:00+00:00 to 2026-03-10T03:00:00+00:00:"
        " 7200 s of the period, exclusion maintenance",
        "  - refused, so counted as ordinary downtime: maintenance M-2 from"
        " 2026-03-12T01:00:00+00:00, exclusion maintenance: announced 1 day 1 hour before"
        " start, 2 days required",
    ]


def test_another_group_is_the_one_explained_against(shop: list[str]) -> None:
    """Explained for us, the records of eu are those of another group (I-7 too: a down record
    counts for its own region only)."""
    text = explain(*shop, "--group", "us").stdout
    lines = _section(text, "Left out: records not counted")
    assert lines[2] == (
        "  - 7 not counted: 3 fail the where, 2 in another group, 1 outside the period,"
        " 1 rejected at load"
    )
    assert [line.split(": ")[-1] for line in lines[3:] if "another group" in line] == [
        'in another group (its region is "eu") (shop.jsonl:1)',
        'in another group (its region is "eu") (shop.jsonl:7)',
    ]


def test_the_records_left_out_in_markdown_are_escaped(shop: list[str]) -> None:
    text = explain(*shop, "--group", "eu", "--format", "markdown").stdout
    lines = text.split("## 7. Left out: records not counted", 1)[1].split("\n## ", 1)[0]
    assert lines.splitlines()[2:6] == [
        '- records read: incident records where service = "web" and severity \\<= 2',
        "- 6 not counted: 3 fail the where, 1 in another group, 1 outside the period,"
        " 1 rejected at load",
        "- incident I-2 2026-03-04T10:00:00+00:00 to 2026-03-04T12:00:00+00:00: 7200 s:"
        ' fails service = "web" (its service is "api") (shop.jsonl:2)',
        "- incident I-3 2026-03-05T10:00:00+00:00 to 2026-03-05T10:30:00+00:00: 1800 s:"
        " fails severity \\<= 2 (its severity is 3) (shop.jsonl:3)",
    ]
    assert (
        '- a line rejected at load: \\`start\\` is not an RFC 3339 timestamp: "not a time"'
        " (shop.jsonl:10)"
    ) in lines


def test_a_log_value_is_escaped_in_markdown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log's text that Markdown would read as a link or emphasis is shown as itself."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop.sla").write_text(SHOP, encoding="utf-8")
    events = [dict(SHOP_EVENTS[0]), dict(SHOP_EVENTS[1], service="[x](http://e/)*y*")]
    (tmp_path / "shop.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in events), encoding="utf-8"
    )
    args = ["shop.sla", "--events", "shop.jsonl", "--at", "2026-04-10T00:00:00Z",
            "--clause", "1", "--period", "2026-03", "--group", "eu"]  # fmt: skip
    markdown = explain(*args, "--format", "markdown").stdout
    assert (
        'fails service = "web" (its service is "\\[x\\]\\(http://e/\\)\\*y\\*") (shop.jsonl:2)'
        in markdown
    )
    assert 'fails service = "web" (its service is "[x](http://e/)*y*") (shop.jsonl:2)' in (
        explain(*args).stdout
    )


def test_at_most_50_left_out_listed_the_longest_first_and_each_reason_counted(
    tmp_path: Path,
) -> None:
    """60 incidents of another service in March, of 1 to 60 minutes, and 3 in February: the
    50 longest are listed, the rest (10 of another service, 3 of February) counted."""
    sla = tmp_path / "shop.sla"
    sla.write_text(SHOP.replace(", by region", ""), encoding="utf-8")
    others = [
        {"type": "incident", "id": f"X-{n:02d}", "service": "api", "severity": 1,
         "start": f"2026-03-{n // 2 + 1:02d}T{10 + n % 2}:00:00Z",
         "end": f"2026-03-{n // 2 + 1:02d}T{10 + n % 2}:{n:02d}:00Z" if n < 60
         else f"2026-03-{n // 2 + 1:02d}T12:00:00Z"}
        for n in range(1, 61)
    ] + [
        {"type": "incident", "id": f"F-{n}", "service": "web", "severity": 1,
         "start": f"2026-02-0{n}T10:00:00Z", "end": f"2026-02-0{n}T10:10:00Z"}
        for n in range(1, 4)
    ]  # fmt: skip
    found = api.explain(
        obligo.load_agreements([sla]), others, clause="1", period="2026-03",
        at=dt.datetime(2026, 4, 10, tzinfo=dt.UTC),
    )  # fmt: skip
    left = found.objectives[0].left_out
    assert left is not None
    assert left.counts == {"where": 60, "group": 0, "period": 3, "rejected": 0}
    assert [r.id for r in left.records] == [f"X-{n:02d}" for n in range(60, 10, -1)]
    text = explanation_text(found)
    assert "  - 63 not counted: 60 fail the where, 0 in another group, 3 outside the period," in (
        text
    )
    assert "  - ... and 13 more, not listed" in text


def test_a_share_within_target_places_its_records_by_their_start_field(
    tmp_path: Path,
) -> None:
    """A ticket is in the period that holds its `opened`: one opened on 31 March and answered
    in April counts for March; one opened in April is after it; one without `opened` is rejected
    at load (the contract needs it)."""
    sla = tmp_path / "desk.sla"
    sla.write_text(
        'contract desk "Desk"\n  term 2026-01-01 to 2026-12-31\n  timezone "UTC"\n\n'
        'metric response "Response"\n  share of ticket records where priority = "P1" within'
        " target, per calendar month\n  duration from opened to responded\n  target 1 hour\n\n"
        'clause 1 "Response"\n  promise response >= 90%\n',
        encoding="utf-8",
    )
    tickets = [
        {"type": "ticket", "id": "T-1", "priority": "P1", "opened": "2026-03-31T23:30:00Z",
         "responded": "2026-04-01T00:10:00Z"},
        {"type": "ticket", "id": "T-2", "priority": "P1", "opened": "2026-04-02T10:00:00Z",
         "responded": "2026-04-02T10:10:00Z"},
        {"type": "ticket", "id": "T-3", "priority": "P2", "opened": "2026-03-05T10:00:00Z",
         "responded": "2026-03-05T10:10:00Z"},
        {"type": "ticket", "id": "T-4", "priority": "P1", "responded": "2026-03-05T10:10:00Z"},
    ]  # fmt: skip
    found = api.explain(
        obligo.load_agreements([sla]), tickets, clause="1", period="2026-03",
        at=dt.datetime(2026, 4, 10, tzinfo=dt.UTC), skip_invalid=True,
    )  # fmt: skip
    lines = _section(explanation_text(found), "Left out: records not counted")
    assert lines[1:] == [
        '  - records read: ticket records where priority = "P1"',
        "  - 3 not counted: 1 fail the where, 0 in another group, 1 outside the period,"
        " 1 rejected at load",
        '  - ticket T-3 opened 2026-03-05T10:00:00+00:00: fails priority = "P1" (its priority'
        ' is "P2") (<records>:3)',
        "  - ticket T-2 opened 2026-04-02T10:00:00+00:00: after the period (<records>:2)",
        "  - a line rejected at load: no `opened`, which the contract needs to start its"
        " duration (<records>:4)",
    ]


def test_a_record_after_the_evaluation_time_is_said_to_be() -> None:
    """April 2026 is pending at 15 April 12:00: INC-402 (16 April) is after the evaluation
    time, not silently missing; INC-401 (open since 11:40 that day) counts."""
    text = explain(*ACME, "--clause", "4.1", "--period", "2026-04").stdout
    lines = _section(text, "Left out: records not counted")
    assert lines[3] == (
        "  - incident INC-402 2026-04-16T09:00:00+02:00 to 2026-04-16T09:30:00+02:00: 1800 s:"
        " after the evaluation time (contracts/acme-hosting/events.jsonl:16)"
    )
    assert not [line for line in lines if "INC-401" in line]
    assert _section(text, "What made")[1] == (
        "  - incident INC-401 2026-04-15T11:40:00+02:00 to 2026-04-15T12:00:00+02:00: 1200 s"
    )


def test_a_line_break_in_a_log_value_cannot_forge_a_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop.sla").write_text(SHOP, encoding="utf-8")
    events = [dict(SHOP_EVENTS[0]), dict(SHOP_EVENTS[1], service="api\n  - forged")]
    (tmp_path / "shop.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in events), encoding="utf-8"
    )
    args = ["shop.sla", "--events", "shop.jsonl", "--at", "2026-04-10T00:00:00Z",
            "--clause", "1", "--period", "2026-03", "--group", "eu"]  # fmt: skip
    for form in ("text", "markdown"):
        shown = explain(*args, "--format", form).stdout
        assert not [line for line in shown.splitlines() if "forged" in line and "I-2" not in line]
    assert '(its service is "api\\n  - forged") (shop.jsonl:2)' in explain(*args).stdout


def test_on_an_agreement_set_the_records_left_out_are_the_pairs_own(tmp_path: Path) -> None:
    """Globex's database in June: its July incident is after the period; Initrode's incident
    (another customer's, never in Globex's evaluation) is not listed."""
    log = tmp_path / "events.jsonl"
    log.write_text(
        "".join(
            json.dumps(r) + "\n"
            for r in [
                {"type": "incident", "id": "G-DB-1", "customer": "globex", "service": "db",
                 "severity": 1, "start": "2026-06-10T10:00:00Z", "end": "2026-06-10T12:00:00Z"},
                {"type": "incident", "id": "G-DB-2", "customer": "globex", "service": "db",
                 "severity": 1, "start": "2026-07-10T10:00:00Z", "end": "2026-07-10T10:30:00Z"},
                {"type": "incident", "id": "I-DB-1", "customer": "initrode", "service": "db",
                 "severity": 1, "start": "2026-06-11T10:00:00Z", "end": "2026-06-11T12:00:00Z"},
            ]
        ),
        encoding="utf-8",
    )  # fmt: skip
    result = explain("contracts/nimbus", "--events", str(log), "--at", "2026-08-01T00:00:00+01:00",
                     "--clause", "1.1", "--period", "2026-06", "--customer", "globex",
                     "--service", "db")  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = _section(result.stdout, "Left out: records not counted")
    assert "I-DB-1" not in result.stdout
    assert lines[2:] == [
        "  - 1 not counted: 0 fail the where, 0 in another group, 1 outside the period,"
        " 0 rejected at load",
        "  - incident G-DB-2 2026-07-10T11:00:00+01:00 to 2026-07-10T11:30:00+01:00: 1800 s:"
        f" after the period ({log}:2)",
    ]

"""The vendors' own worked examples, run on the shipped contract files (``contracts/NAME.sla``),
never on an inline copy: a change to a bundled agreement that breaks the vendor's arithmetic
fails here.

Every number is worked out by hand beside its test from the vendor's text (quoted in the
contract's comments; the facts are restated in /work/shared/slas/public-terms.md).
"""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import obligo
from obligo.report.model import Consequence, Group, Report, Verdict
from report_helpers import as_shown

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
UTC = dt.UTC


def load(name: str) -> Any:
    return obligo.load(CONTRACTS / f"{name}.sla")


def t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def iso(instant: dt.datetime) -> str:
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def evaluate(name: str, records: list[dict[str, Any]], at: str) -> Report:
    return obligo.evaluate(load(name), records, at=t(at))


def verdict(report: Report, clause: str, period: str, group: Group | None = None) -> Verdict:
    found = [
        v for v in report.verdicts if (v.clause, v.period.label, v.group) == (clause, period, group)
    ]
    assert len(found) == 1, [(v.clause, v.period.label, v.group) for v in report.verdicts]
    return found[0]


def owed(report: Report) -> dict[tuple[str, str, str | None], Consequence]:
    """The consequences by clause, period and group (a group of several fields as its JSON)."""
    return {(c.clause, c.period.label, _key(c.group)): c for c in report.consequences}


def _key(group: Group | None) -> str | None:
    return group if group is None or isinstance(group, str) else json.dumps(group, sort_keys=True)


def s3_group(storage_class: str, region: str) -> dict[str, str]:
    """A group of the S3 infrequent-access metric, measured by storage class and Region."""
    return {"storage_class": storage_class, "region": region}


def money(value: Fraction) -> str:
    """Half-up to the cent, written here on its own."""
    cents = (value * 100 + Fraction(1, 2)).__floor__()
    return f"{cents // 100}.{cents % 100:02d}"


def percent(value: Fraction) -> str:
    """An exact percentage as the report writes it (9 places, half-even), for the values here,
    none of which is a tie."""
    scaled = value * 10**9
    whole = round(scaled)
    text = f"{whole // 10**9}.{whole % 10**9:09d}".rstrip("0").rstrip(".")
    return text


def requests(minute: dt.datetime, total: int, failed: int, **fields: Any) -> list[dict[str, Any]]:
    """``total`` request records in one minute, the first ``failed`` of them failed."""
    return [
        {
            "type": "request",
            "time": iso(minute + dt.timedelta(milliseconds=10 * i)),
            "failed": i < failed,
            **fields,
        }
        for i in range(total)
    ]


# --------------------------------------------------------------------------------- Atlassian
def atlassian_month(channel: str) -> list[dict[str, Any]]:
    """April 2026 (a 30-day month: 43,200 minutes), as the vendor's example: 60 Downtime Minutes
    of each product; and the vendor's own two minutes: "10 of 100 requests ... unsuccessful" is
    a Downtime Minute (it is one of the 60), "1 of 100" is not."""
    events: list[dict[str, Any]] = []
    start = t("2026-04-14T09:00:00Z")
    for product in ("jira", "confluence"):
        events += requests(start, 100, 10, product=product, channel=channel)
        for minute in range(1, 60):
            at = start + dt.timedelta(minutes=minute)
            events += requests(at, 20, 2, product=product, channel=channel)
        events += requests(t("2026-04-20T12:00:00Z"), 100, 1, product=product, channel=channel)
    events += [
        {"type": "invoice", "product": "jira", "period": "2026-04", "amount": "1840.00"},
        {"type": "invoice", "product": "confluence", "period": "2026-04", "amount": "1210.00"},
    ]
    for invoice in events[-2:]:
        invoice["currency"] = "USD"
    return events


def test_atlassian_worked_example_60_minutes_of_a_30_day_month() -> None:
    """The vendor: "Total minutes in a 30-day calendar month: 43,200; Downtime Minutes: 60; ... 99.86%";
    "eligible for Service Credits equivalent to 10% of the monthly fees"."""
    report = evaluate("atlassian-cloud", atlassian_month("browser"), "2026-05-02T00:00:00Z")
    uptime = Fraction(43_200 - 60, 43_200) * 100
    assert percent(uptime) == "99.861111111"  # 100% − 0.138889%: the vendor's 99.86%
    jira = verdict(report, "1", "2026-04")
    assert (jira.status, as_shown(jira.value)) == ("breached", percent(uptime))
    assert as_shown(jira.evidence.totals["down_seconds"]) == str(60 * 60)
    confluence = verdict(report, "2", "2026-04")
    assert (confluence.status, as_shown(confluence.value)) == ("breached", percent(uptime))
    credits = owed(report)
    assert set(credits) == {("1", "2026-04", None), ("2", "2026-04", None)}
    # 10% of each product's month: Jira (Premium, 99.90%) and Confluence (Enterprise, 99.95%)
    assert as_shown(credits[("1", "2026-04", None)].amount) == money(Fraction(1840) / 10)
    assert as_shown(credits[("2", "2026-04", None)].amount) == money(Fraction(1210) / 10)
    assert [line.rule for line in credits[("1", "2026-04", None)].lines] == [
        "10% of the fee when jira-uptime < 99.90% and >= 99.0%"
    ]
    # "claim within 15 days after the end of the month": by 15 May, exclusive 16 May 00:00 UTC
    claim = credits[("1", "2026-04", None)].claim
    assert claim is not None and claim.deadline == t("2026-05-16T00:00:00Z")
    assert claim.last_day == dt.date(2026, 5, 15)


@pytest.mark.parametrize("channel", ["api", "mobile", "integration"])
def test_atlassian_covers_browser_use_only(channel: str) -> None:
    """The vendor: "Integrations, API calls, and mobile experiences aren't covered": the same 60 minutes
    through them are no Downtime Minute, and credit nothing."""
    report = evaluate("atlassian-cloud", atlassian_month(channel), "2026-05-02T00:00:00Z")
    for clause in ("1", "2"):
        april = verdict(report, clause, "2026-04")
        assert (april.status, as_shown(april.value)) == ("met", "100")
    assert report.consequences == []


def test_atlassian_uncovered_requests_do_not_dilute_a_browser_minute() -> None:
    """2 failed browser requests of 2 are a Downtime Minute whatever the API did in it: 40
    successful API calls would bring the rate to 2 ÷ 42 = 4.8%, not above 5%."""
    minute = t("2026-04-14T09:00:00Z")
    events = [
        *requests(minute, 2, 2, product="jira", channel="browser"),
        *requests(minute + dt.timedelta(seconds=30), 40, 0, product="jira", channel="api"),
    ]
    report = evaluate("atlassian-cloud", events, "2026-05-02T00:00:00Z")
    april = verdict(report, "1", "2026-04")
    assert as_shown(april.value) == percent(Fraction(43_200 - 1, 43_200) * 100)
    assert april.status == "met"  # 1 minute of the 43.2 that 99.90% allows


# ------------------------------------------------------------------------------------ GitHub
Q1_SECONDS = 90 * 86_400  # Q1 2026: 90 days, 129,600 minutes


def failing_minutes(start: str, minutes: int, feature: str) -> list[dict[str, Any]]:
    """One failed request (100% of the minute's requests) in each of ``minutes`` minutes."""
    return [
        *(
            r
            for m in range(minutes)
            for r in requests(t(start) + dt.timedelta(minutes=m), 1, 1, feature=feature)
        )
    ]


def github_quarter() -> list[dict[str, Any]]:
    invoices = {"issues": 3000, "git": 2000, "api": 1000, "webhooks": 800, "pages": 400}
    return [
        # (b) monitoring: Issues unavailable 7,776 s = 0.1% of the quarter: exactly 99.9%
        {
            "type": "outage",
            "feature": "issues",
            "start": "2026-02-02T10:00:00Z",
            "end": "2026-02-02T12:09:36Z",
        },
        # (a) Git: 1,296 down minutes = 1% of 129,600: exactly 99.0%
        *failing_minutes("2026-02-10T00:00:00Z", 1296, "git"),
        # (a) API: 1,297 down minutes: below 99.0%
        *failing_minutes("2026-03-10T00:00:00Z", 1297, "api"),
        # Webhooks fail 10 of 100 while Pages serve 1,000: Webhooks' minute is down, Pages' not
        *requests(t("2026-03-20T08:00:00Z"), 100, 10, feature="webhooks"),
        *requests(t("2026-03-20T08:00:00Z"), 1000, 0, feature="pages"),
        *(
            {
                "type": "invoice",
                "product": "ghec",
                "feature": feature,
                "period": "2026-Q1",
                "amount": str(amount),
                "currency": "USD",
            }
            for feature, amount in invoices.items()
        ),
    ]


def test_github_uptime_and_credit_per_service_feature() -> None:
    """The vendor: "10% of the amount Customer paid for a Service Feature in a calendar quarter
    where the Uptime for that Service Feature was less than or equal to 99.9%, but greater than
    99.0%" (inclusive: exactly 99.9% earns it); "25% ... less than 99.0%"; exactly 99.0% is in
    neither (the gap in the vendor's own table)."""
    report = evaluate("github-enterprise", github_quarter(), "2026-04-10T00:00:00Z")
    values = {
        v.group: (v.status, as_shown(v.value))
        for v in report.verdicts
        if v.period.label == "2026-Q1"
    }
    minutes = Q1_SECONDS // 60
    assert values == {
        "issues": ("breached", "99.9"),  # (7,776,000 − 7,776) ÷ 7,776,000: not above 99.9%
        "git": ("breached", "99"),  # (129,600 − 1,296) ÷ 129,600
        "api": ("breached", percent(Fraction(minutes - 1297, minutes) * 100)),  # 98.999228395
        "webhooks": ("met", percent(Fraction(minutes - 1, minutes) * 100)),
        "pages": ("met", "100"),
    }
    credits = owed(report)
    # Issues: inclusive 99.9%, 10% of its own 3,000 USD. Git: exactly 99.0%, nothing. API:
    # 25% of its own 1,000 USD. No feature's credit is taken of another's payment.
    assert {key: as_shown(c.amount) for key, c in credits.items()} == {
        ("1", "2026-Q1", "issues"): money(Fraction(3000) * 10 / 100),
        ("1", "2026-Q1", "api"): money(Fraction(1000) * 25 / 100),
    }
    issues = credits[("1", "2026-Q1", "issues")]
    assert [line.rule for line in issues.lines] == [
        "10% of the fee when ghec-uptime <= 99.9% and > 99.0%"
    ]
    # "within 30 days after the quarter ends": by 30 April, exclusive 1 May 00:00 UTC
    assert issues.claim is not None and issues.claim.deadline == t("2026-05-01T00:00:00Z")


def test_github_features_do_not_dilute_each_other() -> None:
    """Webhooks' 10 failures of 100 are a Downtime minute although, with Pages' 1,000 good
    requests in the same minute, the service as a whole failed 10 of 1,100 (0.9%)."""
    report = evaluate("github-enterprise", github_quarter(), "2026-04-10T00:00:00Z")
    webhooks = verdict(report, "1", "2026-Q1", "webhooks")
    assert as_shown(webhooks.evidence.totals["down_seconds"]) == "60"
    assert as_shown(verdict(report, "1", "2026-Q1", "pages").evidence.totals["down_seconds"]) == "0"


# ------------------------------------------------------------------------- AWS, region level
def probe(minute: dt.datetime, region: str, zone: str, connected: bool) -> dict[str, Any]:
    return {
        "type": "probe",
        "time": iso(minute),
        "region": region,
        "zone": zone,
        "connected": connected,
    }


def billing(region: str, charge_type: str, amount: str) -> dict[str, Any]:
    return {
        "type": "billing",
        "service": "compute",
        "region": region,
        "charge_type": charge_type,
        "period": "2026-02",
        "amount": amount,
        "currency": "USD",
    }


def test_aws_region_credit_base_excludes_one_time_payments() -> None:
    """February 2026 (40,320 minutes). eu-west-1: 10 minutes in which every instance of zones a
    and b has no connectivity while zone c stays up: Unavailable under the reading the contract
    states (instances of two or more zones all dark), (40,320 − 10) ÷ 40,320 = 99.975198413%,
    the 10% tier. The credit base is the region's recurring charges, 1,000 USD: "excluding
    one-time payments such as upfront payments made for Reserved Instances" (3,000 USD)."""
    start = t("2026-02-09T10:00:00Z")
    events: list[dict[str, Any]] = []
    for m in range(10):
        minute = start + dt.timedelta(minutes=m, seconds=5)
        events += [
            probe(minute, "eu-west-1", "a", False),
            probe(minute, "eu-west-1", "a", False),
            probe(minute, "eu-west-1", "b", False),
            probe(minute, "eu-west-1", "c", True),
        ]
    # us-east-1: zone a dark, zone b up: one zone only, never Unavailable
    events.append(probe(start, "us-east-1", "a", False))
    events.append(probe(start, "us-east-1", "b", True))
    events += [
        billing("eu-west-1", "usage", "1000.00"),
        billing("eu-west-1", "one-time", "3000.00"),
        billing("us-east-1", "usage", "500.00"),
    ]
    report = evaluate("aws-compute-region", events, "2026-03-05T00:00:00Z")
    cycle = "2026-02-01/2026-02-28"
    eu = verdict(report, "1", cycle, "eu-west-1")
    assert (eu.status, as_shown(eu.value)) == (
        "breached",
        percent(Fraction(40_320 - 10, 40_320) * 100),
    )
    assert percent(Fraction(40_320 - 10, 40_320) * 100) == "99.975198413"
    us = verdict(report, "1", cycle, "us-east-1")
    assert (us.status, as_shown(us.value)) == ("met", "100")
    credits = owed(report)
    assert set(credits) == {("1", cycle, "eu-west-1")}
    credit = credits[("1", cycle, "eu-west-1")]
    assert credit.fee is not None and as_shown(credit.fee.amount) == "1000"
    assert as_shown(credit.amount) == money(Fraction(1000) / 10)  # not 10% of 4,000
    assert credit.settlement is not None


# ---------------------------------------------------------------------------------------- S3
def failing_slices(
    start: str, slices: int, storage_class: str, region: str = "us-east-1"
) -> list[dict[str, Any]]:
    """One request, a 503, in each of ``slices`` 5-minute intervals: an Error Rate of 100% each."""
    return [
        {
            "type": "request",
            "time": iso(t(start) + dt.timedelta(minutes=5 * i, seconds=7)),
            "storage_class": storage_class,
            "region": region,
            "status": 503,
        }
        for i in range(slices)
    ]


def s3_bill(storage_class: str, region: str, period: str, amount: str) -> dict[str, Any]:
    return {
        "type": "billing",
        "service": "s3",
        "storage_class": storage_class,
        "region": region,
        "period": period,
        "amount": amount,
        "currency": "USD",
    }


def test_s3_intelligent_tiering_and_glacier_ir_are_in_the_infrequent_access_table() -> None:
    """The 2023 table: "For requests to S3 Intelligent-Tiering, S3 Standard-Infrequent Access, S3
    One Zone-Infrequent Access, and S3 Glacier Instant Retrieval": 10% below 99.0%.

    May 2026 (8,928 intervals): 100 at 100% for Intelligent-Tiering, 100% − 100 ÷ 8,928 =
    98.879928315%: the 10% tier, of May's 300 USD. June (8,640): 50 at 100% for Glacier Instant
    Retrieval, 99.421296296%: met in this table (it would breach S3 Standard's 99.9%)."""
    events = [
        *failing_slices("2026-05-04T00:00:00Z", 100, "INTELLIGENT_TIERING"),
        *failing_slices("2026-06-08T00:00:00Z", 50, "GLACIER_IR"),
        s3_bill("INTELLIGENT_TIERING", "us-east-1", "2026-05", "300.00"),
    ]
    report = evaluate("s3-infrequent-access", events, "2026-07-01T00:00:00Z")
    # one clause, one verdict per storage class and Region
    may = verdict(
        report, "1", "2026-05-01/2026-05-31", s3_group("INTELLIGENT_TIERING", "us-east-1")
    )
    assert (may.status, as_shown(may.value)) == (
        "breached",
        percent(100 - Fraction(100, 8928) * 100),
    )
    assert as_shown(may.value) == "98.879928315"
    june = verdict(report, "1", "2026-06-01/2026-06-30", s3_group("GLACIER_IR", "us-east-1"))
    assert (june.status, as_shown(june.value)) == ("met", "99.421296296")
    (credit,) = report.consequences
    assert (credit.clause, credit.group) == ("1", s3_group("INTELLIGENT_TIERING", "us-east-1"))
    assert credit.period.label == "2026-05-01/2026-05-31"
    assert as_shown(credit.amount) == money(Fraction(300) / 10)
    # "by the end of the second billing cycle after which the incident occurred": June, July
    assert credit.claim is not None and credit.claim.deadline == t("2026-08-01T00:00:00Z")
    assert credit.settlement is not None


def test_s3_is_measured_and_credited_per_storage_class_and_region() -> None:
    """AWS: "a percentage of the total charges paid by you for the applicable Amazon S3 storage class
    in the AWS Region ... affected": May 2026, 8,928 intervals.

    - STANDARD_IA in eu-west-1: 200 intervals at 100%: 100% − 200 ÷ 8,928 = 97.759856631%, the
      25% tier, of eu-west-1's Standard-IA charges, 80.00 USD: 20.00 USD (not of the 1,000 USD
      of us-east-1, nor of the other class's charges in eu-west-1).
    - STANDARD_IA in us-east-1: one interval at 100%: 99.988799283%, met.
    - ONEZONE_IA in eu-west-1: no request at all: its Region has no verdict of that class.
    - An eu-west-1 interval with a good ONEZONE_IA request beside a failed STANDARD_IA one stays at
      100% for Standard-IA (another class's requests do not count).
    The S3 Standard file, likewise per Region: 10 intervals at 100% in us-east-1, 99.887992832%,
    10% of us-east-1's 500.00 USD: 50.00 USD; eu-west-1's Standard charges are not touched."""
    events = [
        *failing_slices("2026-05-10T00:00:00Z", 200, "STANDARD_IA", "eu-west-1"),
        *failing_slices("2026-05-20T00:00:00Z", 1, "STANDARD_IA", "us-east-1"),
        {
            "type": "request",
            "time": "2026-05-10T00:00:30Z",
            "storage_class": "ONEZONE_IA",
            "region": "eu-west-1",
            "status": 200,
        },
        s3_bill("STANDARD_IA", "eu-west-1", "2026-05", "80.00"),
        s3_bill("STANDARD_IA", "us-east-1", "2026-05", "1000.00"),
        s3_bill("ONEZONE_IA", "eu-west-1", "2026-05", "640.00"),
    ]
    report = evaluate("s3-infrequent-access", events, "2026-06-01T00:00:00Z")
    cycle = "2026-05-01/2026-05-31"
    eu = verdict(report, "1", cycle, s3_group("STANDARD_IA", "eu-west-1"))
    assert (eu.status, as_shown(eu.value)) == ("breached", percent(100 - Fraction(200, 8928) * 100))
    us = verdict(report, "1", cycle, s3_group("STANDARD_IA", "us-east-1"))
    assert (us.status, as_shown(us.value)) == ("met", percent(100 - Fraction(1, 8928) * 100))
    onezone = verdict(report, "1", cycle, s3_group("ONEZONE_IA", "eu-west-1"))
    assert (onezone.status, as_shown(onezone.value)) == ("met", "100")
    credits = owed(report)
    standard_ia_eu = _key(s3_group("STANDARD_IA", "eu-west-1"))
    assert set(credits) == {("1", cycle, standard_ia_eu)}
    credit = credits[("1", cycle, standard_ia_eu)]
    assert credit.fee is not None and as_shown(credit.fee.amount) == "80"
    assert credit.fee.group == s3_group("STANDARD_IA", "eu-west-1")
    assert as_shown(credit.amount) == money(Fraction(80) * 25 / 100)

    standard = [
        *failing_slices("2026-05-10T00:00:00Z", 10, "STANDARD", "us-east-1"),
        s3_bill("STANDARD", "us-east-1", "2026-05", "500.00"),
        s3_bill("STANDARD", "eu-west-1", "2026-05", "700.00"),
    ]
    report = evaluate("s3-standard", standard, "2026-06-01T00:00:00Z")
    breached = verdict(report, "1", cycle, "us-east-1")
    assert (breached.status, as_shown(breached.value)) == ("breached", "99.887992832")
    (only,) = report.consequences
    assert (only.group, as_shown(only.amount)) == ("us-east-1", money(Fraction(500) / 10))


# ------------------------------------------------------------------------------ PacketFabric
@pytest.mark.parametrize(
    ("twos", "threes", "expected"),
    [
        # mean (2 × 4 + 3) ÷ 5 = 2.2 ms: exceeded by 0.2 ms, 10% of the 2 ms target: 10%
        (4, 1, money(Fraction(3000) * 10 / 100)),
        # mean (2 × 81 + 3 × 19) ÷ 100 = 2.19 ms: exceeded by 9.5%, below the first tier
        (81, 19, None),
        # mean 2.5 ms: exceeded by 25%: 20%
        (1, 1, money(Fraction(3000) * 20 / 100)),
        # mean 3 ms: exceeded by 50%: 30%
        (0, 1, money(Fraction(3000) * 30 / 100)),
    ],
)
def test_packetfabric_exceedance_of_the_jitter_target(
    twos: int, threes: int, expected: str | None
) -> None:
    """The vendor: "Credit by how far the measured jitter exceeds the target": 10% of 2 ms is
    0.2 ms, so 2.2 ms is exceeded by exactly 10% and earns the 10% tier, of the 3,000 USD MRC.
    Whole-number samples, so that every mean is exact."""
    values = [2] * twos + [3] * threes
    events = [
        {
            "type": "jitter",
            "time": iso(t("2026-03-02T00:00:00Z") + dt.timedelta(hours=i)),
            "jitter_ms": value,
        }
        for i, value in enumerate(values)
    ]
    report = evaluate("packetfabric", events, "2026-04-02T00:00:00Z")
    march = verdict(report, "1", "2026-03")
    assert march.status == "breached"  # the target is "< 2 ms": every mean here misses it
    assert as_shown(march.value) == percent(Fraction(sum(values), len(values)))
    amounts = {key: as_shown(c.amount) for key, c in owed(report).items()}
    assert amounts == ({} if expected is None else {("1", "2026-03", None): expected})


# ------------------------------------------------------------------------- Cloudflare Enterprise
def test_cloudflare_credit_is_of_the_monthly_fees_of_the_month_before_the_incident() -> None:
    """ "“Monthly Fees” means the Fees actually paid by Customer to Cloudflare in the billing month
    preceding the Incident, exclusive of any Fees for Services subject to a Service-Specific SLA."

    A 12-minute outage on 18 April 2026 with 25% of end users affected (3 affected minutes):
    25 × 25% × March's 20,000 USD × 720 s ÷ 2,592,000 s of April = 34.72 USD; April's 21,000 USD
    would give 36.46, and March's R2 invoice (an SLA of its own) is not in the fee."""
    events = [
        {"type": "invoice", "plan": "enterprise", "period": "2026-03", "amount": "20000.00"},
        {"type": "invoice", "plan": "r2", "period": "2026-03", "amount": "500.00"},
        {"type": "invoice", "plan": "enterprise", "period": "2026-04", "amount": "21000.00"},
        {
            "type": "outage",
            "start": "2026-04-18T14:00:00Z",
            "end": "2026-04-18T14:12:00Z",
            "outage_minutes": 12,
            "affected_minutes": 3,
        },
    ]
    for invoice in events[:3]:
        invoice["currency"] = "USD"
    report = evaluate("cloudflare-enterprise", events, "2026-05-10T00:00:00Z")
    assert verdict(report, "1", "2026-04").status == "breached"
    (credit,) = report.consequences
    assert credit.period.label == "2026-04"
    assert credit.fee is not None and as_shown(credit.fee.amount) == "20000"
    assert as_shown(credit.amount) == money(
        Fraction(25) * Fraction(3, 12) * 20_000 * 720 / (30 * 86_400)
    )
    assert as_shown(credit.amount) == "34.72"
    assert credit.claim is not None and credit.claim.deadline == t("2026-06-01T00:00:00Z")


def test_cloudflare_credit_divides_by_the_scheduled_availability() -> None:
    """ "“Scheduled Availability” means the total number of minutes in a given month, minus any
    Customer Planned Downtime"; the credit is "(Outage Period minutes * Affected Customer Ratio)
    ÷ Scheduled Availability minutes" × the Monthly Fees × 25.

    The 12-minute outage of 18 April 2026 (3 affected minutes) with 2 hours of Customer Planned
    Downtime on 12 April: Scheduled Availability 43,200 - 120 = 43,080 minutes (2,584,800 s);
    3 ÷ 43,080 × 20,000 × 25 = 34.8189… = 34.82 USD (all of April's minutes would give 34.72).
    Planned downtime asked for by Cloudflare is no Customer Planned Downtime: 34.72."""
    outage = {
        "type": "outage",
        "start": "2026-04-18T14:00:00Z",
        "end": "2026-04-18T14:12:00Z",
        "outage_minutes": 12,
        "affected_minutes": 3,
    }
    invoice = {"type": "invoice", "plan": "enterprise", "period": "2026-03", "amount": "20000.00"}
    invoice["currency"] = "USD"

    def planned(by: str) -> dict[str, Any]:
        return {
            "type": "maintenance",
            "start": "2026-04-12T02:00:00Z",
            "end": "2026-04-12T04:00:00Z",
            "requested_by": by,
        }

    report = evaluate(
        "cloudflare-enterprise", [invoice, planned("customer"), outage], "2026-05-10T00:00:00Z"
    )
    (credit,) = report.consequences
    assert as_shown(credit.amount) == money(Fraction(3, 43_080) * 20_000 * 25) == "34.82"
    assert credit.lines[0].arithmetic == (
        "25 × affected-ratio 25% × outage-time 720 s ÷ the counted time of uptime 2584800 s ×"
        " 20000 USD (the fee of the month before, 2026-03-01 to 2026-03-31) = 34.818941504 USD"
    )
    report = evaluate(
        "cloudflare-enterprise", [invoice, planned("cloudflare"), outage], "2026-05-10T00:00:00Z"
    )
    (credit,) = report.consequences
    assert as_shown(credit.amount) == money(Fraction(3, 43_200) * 20_000 * 25) == "34.72"


def test_cloudflare_without_an_invoice_the_month_before_the_credit_has_no_amount() -> None:
    """In the term's first month there is no preceding billing month: the credit is listed
    without an amount and says why, never as a credit of zero."""
    events = [
        {"type": "invoice", "plan": "enterprise", "period": "2026-03", "amount": "20000.00"},
        {
            "type": "outage",
            "start": "2026-03-18T14:00:00Z",
            "end": "2026-03-18T14:12:00Z",
            "outage_minutes": 12,
            "affected_minutes": 12,
        },
    ]
    events[0]["currency"] = "USD"
    report = evaluate("cloudflare-enterprise", events, "2026-04-10T00:00:00Z")
    (credit,) = report.consequences
    assert credit.period.label == "2026-03"
    assert credit.amount is None
    assert credit.reason == (
        "no whole month of the term (2026-03-01 on) before 2026-03-01: the fee of the month"
        " before is not known"
    )


# --------------------------------------------------------------------------- Texas DIR DCS
def test_texas_dcs_exhibit_3_worked_example_service_level_credit() -> None:
    """Exhibit 3's own example: "the Service Provider's Service Level Invoice Amount for the
    month in which the Service Level Default occurred was $100,000 and ... the At Risk Amount is
    10% of these charges ... the Allocation of Pool Percentage ... is 50% and ... its Service
    Level Credit Allocation Percentage is 40%": A = 50% × B = 40% × C = $10,000 = $2,000.

    March 2026 (Chicago): 2 hours of Platinum outage out of 743 hours (the clocks skip an hour on
    8 March) breaches the (placeholder) 99.9%."""
    events = [
        {"type": "invoice", "period": "2026-03", "amount": "100000.00", "currency": "USD"},
        {
            "type": "outage",
            "tier": "platinum",
            "start": "2026-03-10T15:00:00Z",
            "end": "2026-03-10T17:00:00Z",
        },
        # April breached too (2 hours of 720), so that March's credit is finally owed: the
        # contract's earn-back (an ASSUMPTION, the exhibit's rule is not public) would otherwise
        # keep it provisional, and caps apply to what is finally owed.
        {"type": "invoice", "period": "2026-04", "amount": "100000.00", "currency": "USD"},
        {
            "type": "outage",
            "tier": "platinum",
            "start": "2026-04-14T15:00:00Z",
            "end": "2026-04-14T17:00:00Z",
        },
    ]
    report = evaluate("texas-dir-dcs", events, "2026-05-02T12:00:00Z")
    assert verdict(report, "1", "2026-03").status == "breached"
    credit, april = report.consequences
    assert credit.period.label == "2026-03"
    assert credit.earn_back is not None and credit.earn_back.state == "owed"
    assert april.earn_back is not None and april.earn_back.state == "provisional"
    assert as_shown(credit.amount) == money(Fraction(50, 100) * Fraction(40, 100) * 10_000)
    assert as_shown(credit.amount) == "2000.00"
    # "In no event shall ... all Service Level Defaults occurring in a single month exceed, in
    # total, the At-Risk Amount": the cap is the 10,000 at risk.
    assert as_shown([(cap.limit, cap.bound) for cap in credit.caps]) == [("10000", False)]

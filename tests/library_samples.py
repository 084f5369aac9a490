"""The hand arithmetic of the library's sample logs (issue 13): Google Compute Engine, Azure SQL
Database and Cogent. Each number is worked out in the sample's README and computed here from raw
minutes, seconds, samples and fees; tests/test_samples.py adds these to its tables, so the shipped
expected.json and the report obligo gives are both checked against them, as for every sample."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

MINUTE = 60
DAY = 86_400

Key = tuple[str, str | None, str]
Expected = tuple[str, str | None, dict[str, str]]
ConsequenceKey = tuple[str, str, str | None, str]
Number = Callable[[Fraction], str]

# Google Compute Engine's groups: a project in a region (the report's object, as words)
PROD_US = "project=shop-prod, region=us-central1"
PROD_EU = "project=shop-prod, region=europe-west1"
DEV_US = "project=shop-dev, region=us-central1"


def hand(decimal: Number) -> dict[str, dict[Key, Expected]]:
    """(clause, group, period) -> (status, value, evidence totals), per sample."""

    def up(counted_minutes: int, down_minutes: int) -> str:
        return decimal(Fraction(counted_minutes - down_minutes, counted_minutes) * 100)

    def mean(*values: str) -> str:
        return decimal(sum((Fraction(v) for v in values), Fraction(0)) / len(values))

    return {
        "google-compute-engine": {
            # Pacific months: January 44,640 minutes, February 40,320; March pending on 5 March
            # 00:00 PST: 4 days, 5,760 minutes. One uptime per project and region.
            ("1", PROD_US, "2026-01"): (
                "breached",
                up(44_640, 5),
                {"down_seconds": "300", "counted_seconds": str(31 * DAY)},
            ),
            ("1", PROD_US, "2026-02"): ("met", "100", {"down_seconds": "0"}),
            ("1", PROD_US, "2026-03"): ("pending", "100", {"counted_seconds": str(4 * DAY)}),
            ("1", PROD_EU, "2026-01"): ("met", up(44_640, 2), {"down_seconds": "120"}),
            ("1", PROD_EU, "2026-02"): (
                "breached",
                up(40_320, 30),
                {"down_seconds": "1800", "counted_seconds": str(28 * DAY)},
            ),
            ("1", PROD_EU, "2026-03"): ("pending", up(5_760, 1), {"down_seconds": "60"}),
            # shop-dev in us-central1: its one minute of probes answered, beside shop-prod's
            # outage: the other project's downtime is not its own.
            ("1", DEV_US, "2026-01"): ("met", "100", {"down_seconds": "0"}),
            ("1", DEV_US, "2026-02"): ("met", "100", {"down_seconds": "0"}),
            ("2", "vm-7", "2026-01"): ("breached", up(44_640, 50), {"down_seconds": "3000"}),
            ("2", "vm-7", "2026-02"): ("met", "100", {"down_seconds": "0"}),
            ("2", "vm-8", "2026-01"): ("met", up(44_640, 1), {"down_seconds": "60"}),
            ("2", "vm-8", "2026-02"): ("met", "100", {"down_seconds": "0"}),
        },
        "azure-sql-database": {
            # General Purpose: db-orders all January (44,640 deployment minutes), db-hr from 16
            # January (16 days, 23,040): 67,680 minutes, 4 + 3 unavailable.
            ("1", None, "2026-01"): (
                "breached",
                up(44_640 + 23_040, 4 + 3),
                {"good": str(67_680 - 7), "total": "67680"},
            ),
            # February: two databases, 2 x 40,320 minutes, 8 unavailable: met, where one database
            # alone would have breached (8 minutes > 0.01% of 40,320 = 4.032).
            ("1", None, "2026-02"): ("met", up(80_640, 8), {"good": "80632", "total": "80640"}),
            ("1", None, "2026-03"): ("pending", up(2 * 9 * 1440, 1), {"total": "25920"}),
            ("2", None, "2026-01"): ("breached", up(44_640, 3), {"good": "44637"}),
            ("2", None, "2026-02"): ("met", "100", {"total": "40320"}),
            ("2", None, "2026-03"): ("pending", "100", {"total": "12960"}),
        },
        "cloudflare-enterprise": {
            # April 2026 in UTC: 43,200 minutes less 120 of Customer Planned Downtime = 43,080
            # minutes of Scheduled Availability; a 12-minute outage.
            ("1", None, "2026-03"): ("met", "100", {"down_seconds": "0"}),
            ("1", None, "2026-04"): (
                "breached",
                up(43_200 - 120, 12),
                {"down_seconds": "720", "excluded_seconds": "7200", "counted_seconds": "2584800"},
            ),
            ("1", None, "2026-05"): ("pending", "100", {"down_seconds": "0"}),
        },
        "slack": {
            # Q1 2026 in UTC: 129,600 minutes less the announced maintenance hour; 30 minutes down.
            ("1", None, "2026-Q1"): (
                "breached",
                up(129_600 - 60, 30),
                {"down_seconds": "1800"},
            ),
            ("1", None, "2026-Q2"): ("pending", "100", {"down_seconds": "0"}),
        },
        "texas-dir-dcs": {
            # Platinum tier outages, Chicago months: January 44,640 minutes, 90 down; February
            # 40,320, 60 down; March 44,580 (the clocks skip an hour on 8 March), 30 down; April
            # 43,200, none; May 44,640, 20 down; June 43,200, 50 down. February's 4-hour outage
            # is the Gold tier's (not used). July pending on 10 July 07:00 CDT: 9 days 7 hours.
            ("1", None, "2026-01"): ("breached", up(44_640, 90), {"down_seconds": "5400"}),
            ("1", None, "2026-02"): ("breached", up(40_320, 60), {"down_seconds": "3600"}),
            ("1", None, "2026-03"): ("met", up(44_580, 30), {"counted_seconds": "2674800"}),
            ("1", None, "2026-04"): ("met", "100", {"down_seconds": "0"}),
            ("1", None, "2026-05"): ("met", up(44_640, 20), {"down_seconds": "1200"}),
            ("1", None, "2026-06"): ("breached", up(43_200, 50), {"down_seconds": "3000"}),
            ("1", None, "2026-07"): (
                "pending",
                "100",
                {"counted_seconds": str(9 * DAY + 7 * 3600)},
            ),
        },
        "cogent-network": {
            # 9 January 14:10-16:20 EST: 130 minutes; 22 January's outage was the customer's
            # equipment (excluded); 17 February 10:00-10:50: 50 minutes.
            ("1", None, "2026-01"): ("breached", str(130 * MINUTE), {"total_seconds": "7800"}),
            ("1", None, "2026-02"): ("breached", str(50 * MINUTE), {"total_seconds": "3000"}),
            ("1", None, "2026-03"): ("pending", "0", {"total_seconds": "0"}),
            ("2", None, "2026-01"): ("met", mean("38", "41", "36", "39"), {"values": "4"}),
            ("2", None, "2026-02"): ("breached", mean("44", "52", "47", "47"), {"values": "4"}),
            ("2", None, "2026-03"): ("pending", "40", {"values": "1"}),
            ("3", None, "2026-01"): (
                "breached",
                mean("0.02", "0.30", "0.10", "0.06"),
                {"values": "4"},
            ),
            ("3", None, "2026-02"): ("met", mean("0.05", "0.08", "0.04", "0.03"), {"values": "4"}),
            ("3", None, "2026-03"): ("pending", "0.02", {"values": "1"}),
        },
    }


def budgets(decimal: Number) -> dict[str, dict[Key, tuple[str, str, str]]]:
    """Error budgets of pending periods: (remaining, unit, used %)."""
    # March 2026 in Los Angeles: 31 days less the hour the clocks skip on 8 March: 44,580 minutes.
    march = 44_580 * MINUTE
    zone_budget = Fraction(march, 10_000)  # 0.01%: 267.48 s
    return {
        "google-compute-engine": {
            ("1", PROD_EU, "2026-03"): (
                decimal(zone_budget - 60),
                "seconds of downtime",
                decimal(Fraction(60) / zone_budget * 100),
            ),
            ("1", PROD_US, "2026-03"): (decimal(zone_budget), "seconds of downtime", "0"),
            ("1", DEV_US, "2026-03"): (decimal(zone_budget), "seconds of downtime", "0"),
            ("2", "vm-7", "2026-03"): (decimal(Fraction(march, 1000)), "seconds of downtime", "0"),
        },
        "texas-dir-dcs": {
            # 0.1% of July 2026 (31 days in Chicago, no clock change): 2,678.4 s.
            ("1", None, "2026-07"): (
                decimal(Fraction(31 * DAY, 1_000)),
                "seconds of downtime",
                "0",
            ),
        },
        "slack": {
            # 0.01% of Q2 2026 (91 days): 786.24 s.
            ("1", None, "2026-Q2"): (
                decimal(Fraction(91 * DAY, 10_000)),
                "seconds of downtime",
                "0",
            ),
        },
        # Azure SQL: ratios of summed minutes (`field deployed_minutes in minutes`), so the budget
        # is the exact number of minutes that may still be unavailable: the largest k with
        # good / (total + k) >= target. General Purpose: 25,920 minutes so far, 1 unavailable:
        # 25,919 / 0.9999 - 25,920 = 1.5921...; used 1 / (1 + 1.5921...). Business Critical:
        # 12,960 minutes, none unavailable: 12,960 / 0.99995 - 12,960 = 0.6480...
        "azure-sql-database": {
            ("1", None, "2026-03"): (
                decimal(Fraction(25_919 * 10_000, 9_999) - 25_920),
                "minutes",
                decimal(1 / (1 + (Fraction(25_919 * 10_000, 9_999) - 25_920)) * 100),
            ),
            ("2", None, "2026-03"): (
                decimal(Fraction(12_960 * 100_000, 99_995) - 12_960),
                "minutes",
                "0",
            ),
        },
    }


def consequences(
    money: Callable[[Fraction], str],
) -> dict[str, dict[ConsequenceKey, tuple[str, str | None, bool | None]]]:
    """(clause, kind, group, period) -> (amount, claim deadline, passed), per sample."""
    return {
        "google-compute-engine": {
            # 10% of the project's bill in the region (shop-prod's 3,000, not the region's 3,600
            # with shop-dev's 600), or of the instance's bill; claims within 60 days after the
            # end of the month (Pacific): 1 February + 60 days = 2 April, 1 March + 60 = 30 April.
            ("1", "credit", PROD_US, "2026-01"): (
                money(Fraction(3000) / 10),
                "2026-04-02T00:00:00-07:00",
                False,
            ),
            ("1", "credit", PROD_EU, "2026-02"): (
                money(Fraction(1250) / 10),
                "2026-04-30T00:00:00-07:00",
                False,
            ),
            ("2", "credit", "vm-7", "2026-01"): (
                money(Fraction(180) / 10),
                "2026-04-02T00:00:00-07:00",
                False,
            ),
        },
        "azure-sql-database": {
            # January's invoices, 10% each; claims by the end of the second billing month after
            # January: 31 March.
            ("1", "credit", None, "2026-01"): (
                money(Fraction(1460) / 10),
                "2026-04-01T00:00:00+00:00",
                False,
            ),
            ("2", "credit", None, "2026-01"): (
                money(Fraction(5200) / 10),
                "2026-04-01T00:00:00+00:00",
                False,
            ),
        },
        "cloudflare-enterprise": {
            # 25 x 25% (3 affected of 12 outage minutes) x 720 s / 2,584,800 s (the Scheduled
            # Availability: April's 2,592,000 s less 7,200 s of Customer Planned Downtime) x
            # March's 20,000 USD (the month before the incident, not April's 21,000): 34.82.
            ("1", "credit", None, "2026-04"): (
                money(Fraction(25) * Fraction(3, 12) * 720 / (30 * DAY - 7_200) * 20_000),
                "2026-06-01T00:00:00+00:00",
                False,
            ),
        },
        "slack": {
            # 10 x the quarter's 12,000 USD x 1,800 s of downtime / 7,776,000 s of Q1: 27.78.
            # No claim deadline in the terms.
            ("1", "credit", None, "2026-Q1"): (
                money(Fraction(10 * 12_000 * 1_800, 90 * DAY)),
                None,
                None,
            ),
        },
        "texas-dir-dcs": {
            # Exhibit 3's A x B x C, A x B = 20%, C = 10% of the month's invoice. January: 20% x
            # 10% x 100,000 = 2,000, owed (February breached, inside its 3 months to earn back);
            # February: 20% x 10% x 95,000 = 1,900, earned back (March, April, May met): 0.00;
            # June: 20% x 10% x 110,000 = 2,200, provisional (July pending). No claim needed.
            ("1", "credit", None, "2026-01"): (
                money(Fraction(20, 100) * Fraction(10, 100) * 100_000),
                None,
                None,
            ),
            ("1", "credit", None, "2026-02"): (money(Fraction(0)), None, None),
            ("1", "credit", None, "2026-06"): (
                money(Fraction(20, 100) * Fraction(10, 100) * 110_000),
                None,
                None,
            ),
        },
        "cogent-network": {
            # January: 2 full hours of outage, 2 days of 1,500 USD in 31 days; packet loss, 1 day.
            # Claims within 7 business days after the end of the month: 2-6 and 9-10 February,
            # passed on 6 March; February's (latency, 1 day of 28): 2-6 and 9-10 March, open.
            ("1", "credit", None, "2026-01"): (
                money(Fraction(2 * 1500, 31)),
                "2026-02-11T00:00:00-05:00",
                True,
            ),
            ("3", "credit", None, "2026-01"): (
                money(Fraction(1500, 31)),
                "2026-02-11T00:00:00-05:00",
                True,
            ),
            ("2", "credit", None, "2026-02"): (
                money(Fraction(1500, 28)),
                "2026-03-11T00:00:00-04:00",
                False,
            ),
        },
    }


# Totals: currency, credits, penalties, credits to claim, claim deadline passed.
TOTALS: dict[str, tuple[str, str, str, str, str]] = {
    "google-compute-engine": ("USD", "443.00", "0.00", "443.00", "0.00"),
    "azure-sql-database": ("USD", "666.00", "0.00", "666.00", "0.00"),
    "cogent-network": ("USD", "198.73", "0.00", "53.57", "145.16"),
    "cloudflare-enterprise": ("USD", "34.82", "0.00", "34.82", "0.00"),
    "slack": ("USD", "27.78", "0.00", "0.00", "0.00"),
    # The provisional 2,200 (June) is not among the credits owed: tests/test_texas_dir_dcs.py.
    "texas-dir-dcs": ("USD", "2000.00", "0.00", "0.00", "0.00"),
}

# Line accounting: lines, used, outside_periods, unused, rejected, merged.
LINES: dict[str, tuple[int, int, int, int, int, int]] = {
    "google-compute-engine": (149, 148, 0, 1, 0, 0),
    "azure-sql-database": (193, 193, 0, 0, 0, 0),
    "cogent-network": (22, 21, 0, 1, 0, 0),
    "cloudflare-enterprise": (5, 4, 0, 1, 0, 0),
    "slack": (3, 2, 0, 1, 0, 0),
    "texas-dir-dcs": (12, 11, 0, 1, 0, 0),
}

"""The sample logs shipped with the contracts: ``contracts/<name>/`` holds ``events.jsonl``,
``eval.json`` (the arguments of ``obligo eval``) and ``expected.json`` (the report, checked by
hand: the arithmetic is in the folder's README).

Three checks per sample:

- the report obligo gives now is byte for byte the expected file;
- the expected file itself agrees with the hand arithmetic below (so a wrong expected file, say one
  regenerated from a wrong engine, cannot pass silently);
- the report agrees with the same arithmetic (clearer failures than a byte comparison).

The numbers below are computed here from the raw seconds, minutes and counts, independently of
the engine's own number formatting.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import library_samples
from obligo.cli import cli

REPO = Path(__file__).resolve().parent.parent
CONTRACTS = REPO / "contracts"
SAMPLES = sorted(p.parent.name for p in CONTRACTS.glob("*/eval.json"))

# Samples whose report differs from the hand arithmetic because of an engine bug, with the bug.
# Remove an entry once the bug is fixed (the strict xfail then fails to remind you).
KNOWN_BUGS: dict[str, str] = {}


def _known_bug(name: str) -> Any:
    if name in KNOWN_BUGS:
        return pytest.param(
            name, marks=pytest.mark.xfail(strict=True, reason="engine bug: " + KNOWN_BUGS[name])
        )
    return name


def decimal(value: Fraction | int) -> str:
    """An exact number as obligo writes it: 9 decimal places at most (half-even), no trailing
    zeros. Written here on its own, so that a change of the engine's formatting shows."""
    value = Fraction(value)
    with localcontext() as context:
        context.prec = 80
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        rounded = exact.quantize(Decimal("1e-9"), rounding=ROUND_HALF_EVEN)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def availability(counted: int, down: int) -> str:
    return decimal(Fraction(counted - down, counted) * 100)


def share(within: int, judged: int) -> str:
    return decimal(Fraction(within, judged) * 100)


DAY = 86_400
MINUTE = 60

# (clause, group, period label) -> (status, value, {evidence total: value}), from the READMEs.
Key = tuple[str, str | None, str]
Expected = tuple[str, str | None, dict[str, str]]

HAND: dict[str, dict[Key, Expected]] = {
    "acme-hosting": {
        ("4.1", None, "2026-01"): (
            "met",
            availability(27 * DAY, 1800),
            {"counted_seconds": str(27 * DAY), "down_seconds": "1800"},
        ),
        ("4.1", None, "2026-02"): (
            "breached",
            availability(28 * DAY, 2700 + 600),
            {"counted_seconds": str(28 * DAY), "down_seconds": "3300"},
        ),
        # March 2026 in Berlin: 44,580 minutes; maintenance (2 h) and a customer-caused
        # incident (1 h) excluded; a maintenance announced too late is downtime.
        ("4.1", None, "2026-03"): (
            "breached",
            availability(44_580 * MINUTE - 7200 - 3600, 600 + 3600 + 900),
            {
                "period_seconds": str(44_580 * MINUTE),
                "counted_seconds": "2664000",
                "down_seconds": "5100",
                "excluded_seconds": "10800",
            },
        ),
        ("4.1", None, "2026-04"): (
            "pending",
            availability(14 * DAY + 12 * 3600, 1200),
            {"counted_seconds": "1252800", "down_seconds": "1200"},
        ),
        ("4.2", None, "2026-01"): ("met", "0", {"total_seconds": "0"}),
        ("4.2", None, "2026-02"): ("breached", "2700", {"total_seconds": "2700"}),
        ("4.2", None, "2026-03"): ("breached", "900", {"total_seconds": "900"}),
        ("4.2", None, "2026-04"): ("pending", "0", {}),
        ("5.1", "P1", "2026-01"): ("met", share(2, 2), {"within": "2", "late": "0"}),
        ("5.1", "P1", "2026-02"): ("breached", share(2, 3), {"within": "2", "late": "1"}),
        ("5.1", "P1", "2026-03"): ("breached", share(1, 2), {"within": "1", "late": "1"}),
        ("5.1", "P1", "2026-04"): (
            "pending",
            share(1, 1),
            {"within": "1", "late": "0", "open_not_yet_due": "1"},
        ),
    },
    "atlassian-cloud": {
        ("1", None, "2026-01"): (
            "met",
            availability(44_640, 42),
            {"down_seconds": str(42 * MINUTE)},
        ),
        ("1", None, "2026-02"): ("breached", availability(40_320, 60), {"down_seconds": "3600"}),
        ("1", None, "2026-03"): ("pending", availability(9 * 1440, 5), {"down_seconds": "300"}),
        ("2", None, "2026-01"): ("met", availability(44_640, 1), {"down_seconds": "60"}),
        ("2", None, "2026-02"): ("breached", availability(40_320, 25), {"down_seconds": "1500"}),
        ("2", None, "2026-03"): ("pending", "100", {"down_seconds": "0"}),
    },
    "s3-standard": {
        # us-east-1: the two failing slices of 15 January (25% and 20%); the STANDARD_IA
        # requests of 08:10 are not S3 Standard's.
        ("1", "us-east-1", "2026-01-01/2026-01-31"): (
            "met",
            decimal(100 - Fraction(45, 100) / (31 * 288) * 100),
            {"slices": str(31 * 288), "slices_skipped": "0"},
        ),
        # twelve slices at 100% and one at 50%; eu-west-1's good request at 12:00 is not
        # us-east-1's, so it does not bring that slice down to 50%.
        ("1", "us-east-1", "2026-02-01/2026-02-28"): (
            "breached",
            decimal(100 - Fraction(125, 10) / (28 * 288) * 100),
            {"slices": str(28 * 288)},
        ),
        ("1", "us-east-1", "2026-03-01/2026-03-31"): (
            "pending",
            decimal(100 - Fraction(1, 14 * 288) * 100),
            {"slices": str(14 * 288)},
        ),
        # eu-west-1: ten slices of 20 January at 100% each.
        ("1", "eu-west-1", "2026-01-01/2026-01-31"): (
            "breached",
            decimal(100 - Fraction(10, 31 * 288) * 100),
            {"slices": str(31 * 288)},
        ),
        ("1", "eu-west-1", "2026-02-01/2026-02-28"): ("met", "100", {"slices": str(28 * 288)}),
    },
    "verizon-dia": {
        # New York: October 44,640 minutes; November 43,260 (the clocks go back on 1 November).
        ("1", None, "2026-10"): (
            "breached",
            availability(44_640 * MINUTE - 3600 - 7200, 2520),
            {"period_seconds": str(44_640 * MINUTE), "excluded_seconds": "10800"},
        ),
        ("1", None, "2026-11"): (
            "met",
            "100",
            {"period_seconds": str(43_260 * MINUTE), "excluded_seconds": "7200"},
        ),
        ("1", None, "2026-12"): ("pending", "100", {"counted_seconds": str(36 * 3600)}),
        ("2", None, "2026-10"): ("met", "44", {"records": "4"}),
        ("2", None, "2026-11"): ("breached", decimal(Fraction(1375, 30)), {"records": "3"}),
        ("2", None, "2026-12"): ("pending", "42.1", {"records": "2"}),
        # Packet delivery: the mean of the samples' own ratios ("averaging all samples"), each
        # sample one 5-minute slice; October 8,928 slices, November 8,652, December 432 so far.
        ("3", None, "2026-10"): (
            "met",
            decimal((Fraction(996_000, 1_000_000) + Fraction(994_000, 1_000_000)) / 2 * 100),
            {"slices": "2", "slices_skipped": str(8928 - 2)},
        ),
        # November's sums would give 1,008,850 / 1,010,000 = 99.886%: met; the mean breaches.
        ("3", None, "2026-11"): (
            "breached",
            decimal((Fraction(999_000, 1_000_000) + Fraction(9_850, 10_000)) / 2 * 100),
            {"slices": "2", "slices_skipped": str(43_260 // 5 - 2)},
        ),
        ("3", None, "2026-12"): (
            "pending",
            decimal(Fraction(399_000, 400_000) * 100),
            {"slices": "1", "slices_skipped": str(36 * 12 - 1)},
        ),
    },
    "gitlab-support": {
        ("1", "S1", "2026-01"): ("breached", share(1, 2), {"late": "1"}),
        ("1", "S1", "2026-02"): ("met", share(3, 3), {"within": "3"}),
        ("1", "S1", "2026-03"): ("pending", share(1, 1), {}),
        ("2", "S2", "2026-01"): ("met", share(2, 2), {"within": "2", "late": "0"}),
        ("2", "S2", "2026-02"): ("no_data", None, {}),
        ("2", "S2", "2026-03"): ("pending", None, {"open_not_yet_due": "1"}),
        ("3", "S3", "2026-01"): ("met", share(1, 1), {}),
        ("3", "S3", "2026-02"): ("breached", share(2, 4), {"within": "2", "late": "2"}),
        ("3", "S3", "2026-03"): ("pending", None, {}),
        ("4", "S4", "2026-01"): ("no_data", None, {}),
        ("4", "S4", "2026-02"): ("breached", share(1, 2), {"late": "1"}),
        ("4", "S4", "2026-03"): ("pending", None, {}),
    },
    "fabrikam-checkout": {
        ("1", None, "2026-01"): (
            "breached",
            availability(44_640 * MINUTE, 1800 + 3600),
            {
                "down_seconds": "5400",
                "attributed_seconds:netco": "1800",
                "attributed_seconds:north-colo": "3600",
                "attributed_seconds:south-colo": "3600",
            },
        ),
        ("1", None, "2026-02"): (
            "met",
            availability(28 * DAY, 1200),
            {"down_seconds": "1200", "attributed_seconds:netco": "1200"},
        ),
        ("1", None, "2026-03"): ("pending", "100", {"counted_seconds": str(4 * DAY + 12 * 3600)}),
        ("2", None, "2026-01"): ("breached", availability(44_640 * MINUTE, 1800), {}),
        ("2", None, "2026-02"): ("met", availability(28 * DAY, 1200), {}),
        ("3", None, "2026-01"): ("breached", availability(44_640 * MINUTE, 7200), {}),
        ("3", None, "2026-02"): ("met", availability(28 * DAY, 1800), {}),
    },
}

# The contributors of some verdicts, by id with their seconds, largest first.
CONTRIBUTORS: dict[str, dict[Key, list[tuple[str, str | None]]]] = {
    "acme-hosting": {
        ("4.1", None, "2026-02"): [("INC-201", "1800"), ("INC-202", "1800"), ("INC-203", "600")],
        ("4.1", None, "2026-03"): [
            ("MNT-302", "3600"),
            ("INC-304", "900"),
            ("INC-203", "600"),
            ("INC-302", "600"),
        ],
        ("5.1", "P1", "2026-02"): [("T-202", "1800")],
    },
    "gitlab-support": {("4", "S4", "2026-02"): [("GL-1108", str(22 * 3600))]},
    "fabrikam-checkout": {
        ("1", None, "2026-01"): [("NDC-0115", "3600"), ("SDC-0115", "3600"), ("NC-0108", "1800")],
        ("1", None, "2026-02"): [("NC-0220", "900"), ("NC-0203", "300")],
    },
}

# A verdict of clause 3 of fabrikam-checkout is one of two metrics: pick north-uptime.
METRIC_OF: dict[tuple[str, str], str] = {("fabrikam-checkout", "3"): "north-uptime"}

# Budgets of pending periods: (clause, group, period) -> (remaining, unit, used).
BUDGETS: dict[str, dict[Key, tuple[str, str, str]]] = {
    "acme-hosting": {
        ("4.1", None, "2026-04"): (
            decimal(Fraction(30 * DAY, 1000) - 1200),
            "seconds of downtime",
            decimal(Fraction(1200, 2592) * 100),
        ),
    },
    "atlassian-cloud": {
        ("1", None, "2026-03"): (
            "2378.4",
            "seconds of downtime",
            decimal(Fraction(300) / Fraction(26_784, 10) * 100),
        ),
        ("2", None, "2026-03"): ("1339.2", "seconds of downtime", "0"),
    },
    "fabrikam-checkout": {
        ("1", None, "2026-03"): (decimal(Fraction(44_580 * 60, 1000)), "seconds of downtime", "0"),
        ("2", None, "2026-03"): (decimal(Fraction(44_580 * 60, 2000)), "seconds of downtime", "0"),
    },
}


def money(value: Fraction) -> str:
    """An amount owed as obligo writes it: rounded half-up (away from zero) to the cent, with
    both places. Written here on its own, from the raw fees, days and percentages."""
    cents = (value * 100 + Fraction(1, 2)).__floor__()
    return f"{cents // 100}.{cents % 100:02d}"


# The consequences of each sample, from the READMEs: (clause, kind, group, period label) ->
# (amount, claim deadline or None, whether it has passed). Every consequence of the report is
# here: none other may appear.
ConsequenceKey = tuple[str, str, str | None, str]
CONSEQUENCES: dict[str, dict[ConsequenceKey, tuple[str, str | None, bool | None]]] = {
    # January to March are the baseline: measured and judged, no consequence; April is pending.
    "acme-hosting": {},
    "atlassian-cloud": {
        # February's invoices: 10% of 1,840 and of 1,210 USD; claims within 15 days after the
        # end of February (by 15 March): open on 10 March.
        ("1", "credit", None, "2026-02"): (
            money(Fraction(1840) / 10),
            "2026-03-16T00:00:00+00:00",
            False,
        ),
        ("2", "credit", None, "2026-02"): (
            money(Fraction(1210) / 10),
            "2026-03-16T00:00:00+00:00",
            False,
        ),
    },
    "s3-standard": {
        # 10% of February's 934.75 USD = 93.475: half-up to 93.48. Claim by the end of the
        # second billing cycle after February (April): 1 May 00:00 UTC, open on 15 March.
        ("1", "credit", "us-east-1", "2026-02-01/2026-02-28"): (
            money(Fraction("934.75") / 10),
            "2026-05-01T00:00:00+00:00",
            False,
        ),
        # 10% of eu-west-1's January 412.35 USD = 41.235: half-up to 41.24 (not a share of
        # both Regions' charges). Claim by the end of March: 1 April 00:00 UTC, open.
        ("1", "credit", "eu-west-1", "2026-01-01/2026-01-31"): (
            money(Fraction("412.35") / 10),
            "2026-04-01T00:00:00+00:00",
            False,
        ),
    },
    "verizon-dia": {
        # October: 2,520 s of reported unavailability, 1 started hour: a day of 1,200 USD in a
        # 31-day month. Claim: 30 days after ticket TT-88121 closed (7 October 09:00 EDT).
        ("1", "credit", None, "2026-10"): (
            money(Fraction(1200, 31)),
            "2026-11-06T09:00:00-05:00",
            True,
        ),
        # November (30 days): latency and packet delivery, a day each, no claim needed.
        ("2", "credit", None, "2026-11"): (money(Fraction(1200, 30)), None, None),
        ("3", "credit", None, "2026-11"): (money(Fraction(1200, 30)), None, None),
    },
    "gitlab-support": {
        ("1", "penalty", None, "2026-01"): ("250.00", None, None),
        ("3", "penalty", None, "2026-02"): ("250.00", None, None),
        ("4", "penalty", None, "2026-02"): ("250.00", None, None),
    },
    "fabrikam-checkout": {
        # January: 10% of 8,000 EUR (checkout) and of 1,500 EUR (NetCo's uplink); claims within
        # 30 days after the end of January: by 2 March, passed on 5 March.
        ("1", "credit", None, "2026-01"): (
            money(Fraction(8000) / 10),
            "2026-03-03T00:00:00+01:00",
            True,
        ),
        ("2", "credit", None, "2026-01"): (
            money(Fraction(1500) / 10),
            "2026-03-03T00:00:00+01:00",
            True,
        ),
    },
}

# The contract's totals: currency, credits, penalties, credits to claim, claim deadline passed.
TOTALS: dict[str, tuple[str, str, str, str, str]] = {
    "acme-hosting": ("EUR", "0.00", "0.00", "0.00", "0.00"),
    "atlassian-cloud": ("USD", "305.00", "0.00", "305.00", "0.00"),
    "s3-standard": ("USD", "134.72", "0.00", "134.72", "0.00"),
    "verizon-dia": ("USD", "118.71", "0.00", "0.00", "38.71"),
    "gitlab-support": ("USD", "0.00", "750.00", "0.00", "0.00"),
    "fabrikam-checkout": ("EUR", "950.00", "0.00", "0.00", "950.00"),
}

# Periods of the baseline, per sample (every verdict of these periods is marked, no other).
BASELINE: dict[str, set[str]] = {"acme-hosting": {"2026-01", "2026-02", "2026-03"}}

# Line accounting per input: lines, used, outside_periods, unused, rejected, merged.
LINES: dict[str, tuple[int, int, int, int, int, int]] = {
    "acme-hosting": (31, 26, 2, 2, 0, 1),
    "atlassian-cloud": (311, 254, 0, 57, 0, 0),
    "s3-standard": (68, 66, 0, 2, 0, 0),
    "verizon-dia": (23, 21, 1, 1, 0, 0),
    "gitlab-support": (17, 16, 0, 0, 0, 1),
    "fabrikam-checkout": (8, 7, 0, 1, 0, 0),
}


# The library of public agreements (issue 13): their hand arithmetic is kept in its own module.
HAND.update(library_samples.hand(decimal))
BUDGETS.update(library_samples.budgets(decimal))
CONSEQUENCES.update(library_samples.consequences(money))
TOTALS.update(library_samples.TOTALS)
LINES.update(library_samples.LINES)


def spec(name: str) -> dict[str, Any]:
    return json.loads((CONTRACTS / name / "eval.json").read_text(encoding="utf-8"))


def arguments(name: str) -> list[str]:
    """The ``obligo eval`` command line of a sample, paths relative to the repository."""
    given = spec(name)
    args = ["eval", given["contract"]]
    for events in given["events"]:
        args += ["--events", events]
    args += ["--at", given["at"]]
    if given.get("from"):
        args += ["--from", given["from"]]
    if given.get("to"):
        args += ["--to", given["to"]]
    return [*args, "--format", "json"]


@functools.cache
def report_text(name: str) -> str:
    """The JSON report obligo gives for a sample, run from the repository root."""
    previous = Path.cwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(cli, arguments(name))
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    return result.stdout


def expected_text(name: str) -> str:
    return (CONTRACTS / name / "expected.json").read_text(encoding="utf-8")


def verdicts_by_key(report: dict[str, Any], name: str) -> dict[Key, dict[str, Any]]:
    found: dict[Key, dict[str, Any]] = {}
    for verdict in report["verdicts"]:
        wanted = METRIC_OF.get((name, verdict["clause"]))
        if wanted is not None and verdict["metric"] != wanted:
            continue
        found[(verdict["clause"], group_words(verdict["group"]), verdict["period"]["label"])] = (
            verdict
        )
    return found


def group_words(group: str | dict[str, str] | None) -> str | None:
    """A group as the tables name it: its value, or by several fields ``project=a, region=b``."""
    if group is None or isinstance(group, str):
        return group
    return ", ".join(f"{field}={value}" for field, value in group.items())


def check_hand_arithmetic(report: dict[str, Any], name: str) -> None:
    verdicts = verdicts_by_key(report, name)
    for key, (status, value, totals) in HAND[name].items():
        assert key in verdicts, f"{name}: no verdict {key}"
        verdict = verdicts[key]
        assert (verdict["status"], verdict["value"]) == (status, value), (name, key)
        for total, amount in totals.items():
            assert verdict["evidence"]["totals"].get(total) == amount, (name, key, total)
    for key, expected in CONTRIBUTORS.get(name, {}).items():
        found = [(c["id"], c["seconds"]) for c in verdicts[key]["evidence"]["contributors"]]
        assert found == expected, (name, key)
        assert verdicts[key]["evidence"]["contributors_total"] == len(expected), (name, key)
    for key, (remaining, unit, used) in BUDGETS.get(name, {}).items():
        budget = verdicts[key]["error_budget"]
        assert budget == {"remaining": remaining, "unit": unit, "used": used}, (name, key)
    (account,) = report["inputs"]
    counts = tuple(
        account[k] for k in ("lines", "used", "outside_periods", "unused", "rejected", "merged")
    )
    assert counts == LINES[name], name
    assert sum(counts[1:]) == counts[0], "every line is accounted for once"
    at = dt.datetime.fromisoformat(spec(name)["at"])
    assert dt.datetime.fromisoformat(report["evaluated_at"]) == at, name
    check_consequences(report, name)


def check_consequences(report: dict[str, Any], name: str) -> None:
    found = {
        (c["clause"], c["kind"], group_words(c["group"]), c["period"]["label"]): c
        for c in report["consequences"]
    }
    assert set(found) == set(CONSEQUENCES[name]), name
    for key, (amount, deadline, passed) in CONSEQUENCES[name].items():
        item = found[key]
        assert item["amount"] == amount, (name, key)
        claim = item["claim"]
        if item["kind"] != "credit":
            assert claim is None, (name, key)
            continue
        if deadline is None:
            # A credit that is provisional or earned back has no claim (issue 13's decision:
            # claims apply to what is finally owed); tests/test_texas_dir_dcs.py pins which.
            if claim is not None:
                assert not claim["required"] and claim["deadline"] is None, (name, key)
        else:
            assert dt.datetime.fromisoformat(claim["deadline"]) == dt.datetime.fromisoformat(
                deadline
            ), (name, key)
            assert claim["passed"] is passed, (name, key)
    (total,) = report["totals"]["contract"]
    assert (
        total["currency"],
        total["credits"],
        total["penalties"],
        total["credits_to_claim"],
        total["credits_claim_passed"],
    ) == TOTALS[name], name
    marked = {v["period"]["label"] for v in report["verdicts"] if v["baseline"]}
    assert marked == BASELINE.get(name, set()), name


def test_there_are_at_least_five_samples() -> None:
    assert len(SAMPLES) >= 5, SAMPLES
    assert set(SAMPLES) == set(HAND), "every sample has its hand arithmetic here"
    assert set(SAMPLES) == set(CONSEQUENCES) == set(TOTALS)
    for name in SAMPLES:
        folder = CONTRACTS / name
        assert (CONTRACTS / f"{name}.sla").is_file(), name
        for part in ("events.jsonl", "expected.json", "README.md"):
            assert (folder / part).is_file(), f"{name}/{part}"


@pytest.mark.parametrize("name", SAMPLES)
def test_expected_file_agrees_with_the_hand_arithmetic(name: str) -> None:
    check_hand_arithmetic(json.loads(expected_text(name)), name)


@pytest.mark.parametrize("name", [_known_bug(n) for n in SAMPLES])
def test_report_agrees_with_the_hand_arithmetic(name: str) -> None:
    check_hand_arithmetic(json.loads(report_text(name)), name)


@pytest.mark.parametrize("name", [_known_bug(n) for n in SAMPLES])
def test_report_is_the_expected_file_byte_for_byte(name: str) -> None:
    assert report_text(name) == expected_text(name)


def test_samples_show_breached_and_met_periods() -> None:
    """Between them the samples show every status, and the demo's sample both outcomes."""
    statuses: set[str] = set()
    for name in SAMPLES:
        statuses |= {v["status"] for v in json.loads(expected_text(name))["verdicts"]}
    assert statuses == {"met", "breached", "pending", "no_data"}
    demo = json.loads(expected_text("acme-hosting"))
    assert {"met", "breached"} <= {v["status"] for v in demo["verdicts"]}


def test_readme_quick_start_shows_what_make_demo_prints() -> None:
    """The lines quoted in README's quick start are the ones `make demo` prints."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    demo = dict(re.findall(r"^(DEMO_[A-Z]+)\s*:=\s*(\S+)$", makefile, flags=re.MULTILINE))
    assert set(demo) == {"DEMO_CONTRACT", "DEMO_EVENTS", "DEMO_AT"}
    assert "$(BIN)/obligo eval $(DEMO_CONTRACT) --events $(DEMO_EVENTS) --at $(DEMO_AT)" in makefile
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^make \w+", quick_start, flags=re.MULTILINE) == ["make demo", "make test"]
    (excerpt,) = re.findall(r"```text\n(.*?)```", quick_start, flags=re.DOTALL)
    previous = Path.cwd()
    os.chdir(REPO)
    try:
        args = ["eval", demo["DEMO_CONTRACT"], "--events", demo["DEMO_EVENTS"]]
        result = CliRunner().invoke(cli, [*args, "--at", demo["DEMO_AT"]])
    finally:
        os.chdir(previous)
    assert result.exit_code == 0, result.output
    printed = result.stdout.splitlines()
    for line in excerpt.splitlines():
        assert line in printed, line
    assert " met" in excerpt and " breached" in excerpt

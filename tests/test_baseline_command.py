"""``obligo baseline``: values in past periods, the level achieved in 50/90/99% of them, and how
each current target would have fared, on a history worked out by hand.

The history runs from January to mid-November 2026 (UTC); November is still running and is
left out, so each objective has ten past periods, January to October.

- pages per month, January to October: 0, 1, 1, 2, 3, 4, 4, 5, 2, 1. Against ``pages <= 4``
  the error budget is the target itself: 0 uses 0% (wide), 1 uses 25%, 2 50%, 3 75% (met), 4
  uses 100% (met narrowly: more than 80%), 5 is a breach. Best first (lowest first): 0, 1, 1,
  1, 2, 2, 3, 4, 4, 5; the level achieved in 50% of the periods is rank 5, 2 (6 periods at 2 or
  better); in 90% rank 9, 4 (9 periods); in 99% rank ⌈9.9⌉ = 10, 5 (all 10).
- availability: April (2,592,000 s, 2,592 s allowed at 99.9%) has 1,296 s down: 99.95%, 50% of
  the budget; June 2,592 s: exactly 99.9%, 100% of it (met narrowly); September 2,593 s:
  99.89996142%, a breach (100.038580247%); every other month 100% (0%, wide). Best first: seven
  times 100, 99.95, 99.9, 99.89996142: 50% → rank 5, 100 (7 periods); 90% → rank 9, 99.9 (9);
  99% → rank 10, 99.89996142 (10).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import obligo
from engine_helpers import baseline_report, parse
from obligo.cli import cli
from obligo.engine.run.baseline_report import achieved_level
from obligo.render.baseline import baseline_json, baseline_text
from report_helpers import as_shown

CONTRACT = """\
contract history "A year of history" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric pages "Pages"
  count of page records, per calendar month

metric uptime "Availability"
  availability, per calendar month
  down during incident records

clause 1 "Pages"
  promise pages <= 4

clause 2 "Availability"
  promise uptime >= 99.9%

clause 3 "Exactly two"
  promise pages = 2

clause 4 "Relative"
  promise uptime >= 100% of the baseline

baseline the first 3 months
"""

PAGES = [0, 1, 1, 2, 3, 4, 4, 5, 2, 1]
DOWN = {4: 1296, 6: 2592, 9: 2593}
AT = dt.datetime(2026, 11, 15, tzinfo=dt.UTC)


def records() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for month, count in enumerate(PAGES, start=1):
        for i in range(count):
            found.append(
                {
                    "type": "page",
                    "id": f"P-{month}-{i}",
                    "time": f"2026-{month:02d}-0{i + 1}T08:00:00Z",
                }
            )
    for month, seconds in DOWN.items():
        start = dt.datetime(2026, month, 10, tzinfo=dt.UTC)
        found.append(
            {
                "type": "incident",
                "id": f"I-{month}",
                "start": start.isoformat(),
                "end": (start + dt.timedelta(seconds=seconds)).isoformat(),
            }
        )
    # November is running at the evaluation time: its page is not in the history.
    found.append({"type": "page", "id": "P-11", "time": "2026-11-02T08:00:00Z"})
    return found


@pytest.fixture(scope="module")
def report() -> Any:
    return baseline_report(parse(CONTRACT), records(), AT)


def objective(report: Any, clause: str) -> Any:
    (found,) = [o for o in report.objectives if o.clause == clause]
    return found


def test_values_of_past_periods_with_their_outcomes(report: Any) -> None:
    pages = objective(report, "1")
    assert [p.label for p in pages.periods] == [f"2026-{m:02d}" for m in range(1, 11)]
    assert as_shown([p.value for p in pages.periods]) == [str(v) for v in PAGES]
    assert as_shown([p.budget_used for p in pages.periods]) == [
        "0", "25", "25", "50", "75", "100", "100", "125", "50", "25"
    ]  # fmt: skip
    assert [p.outcome for p in pages.periods] == [
        "met_by_wide_margin", "met", "met", "met", "met", "met_narrowly", "met_narrowly",
        "breached", "met", "met",
    ]  # fmt: skip
    assert [p.baseline for p in pages.periods] == [True] * 3 + [False] * 7
    assert pages.outcomes.model_dump() == {
        "breached": 1,
        "met_narrowly": 2,
        "met": 6,
        "met_by_wide_margin": 1,
        "no_data": 0,
    }
    assert (pages.better, pages.valued, pages.unit) == ("lower", 10, "records")


def test_levels_achieved_in_50_90_and_99_percent_of_the_periods(report: Any) -> None:
    levels = [(x.share, x.value, x.periods, x.outcome) for x in objective(report, "1").levels]
    assert as_shown(levels) == [
        (50, "2", 6, "met"),
        (90, "4", 9, "met_narrowly"),
        (99, "5", 10, "breached"),
    ]


def test_an_availability_history(report: Any) -> None:
    uptime = objective(report, "2")
    assert as_shown(
        [(p.label, p.value, p.budget_used, p.outcome) for p in uptime.periods[3:9]]
    ) == [
        ("2026-04", "99.95", "50", "met"),
        ("2026-05", "100", "0", "met_by_wide_margin"),
        ("2026-06", "99.9", "100", "met_narrowly"),
        ("2026-07", "100", "0", "met_by_wide_margin"),
        ("2026-08", "100", "0", "met_by_wide_margin"),
        ("2026-09", "99.89996142", "100.038580247", "breached"),
    ]
    levels = [(x.share, x.value, x.periods, x.outcome) for x in uptime.levels]
    assert as_shown(levels) == [
        (50, "100", 7, "met_by_wide_margin"),
        (90, "99.9", 9, "met_narrowly"),
        (99, "99.89996142", 10, "breached"),
    ]
    assert uptime.better == "higher"


def test_equality_has_no_better_direction_and_no_budget(report: Any) -> None:
    exact = objective(report, "3")
    assert exact.better is None and exact.levels == []
    assert [p.outcome for p in exact.periods].count("met") == 2  # April and September
    assert exact.outcomes.breached == 8
    assert all(p.budget_used is None for p in exact.periods)


def test_a_target_relative_to_the_baseline_is_judged_once_the_baseline_is_over(
    report: Any,
) -> None:
    # January to March, the baseline, were 100% each: whatever level is taken from them, 100%
    # of it is 100%. A 100% target allows nothing: met periods are just met.
    relative = objective(report, "4")
    assert as_shown((relative.target, relative.target_value)) == ("100% of the baseline", "100")
    assert relative.outcomes.model_dump() == {
        "breached": 3,
        "met_narrowly": 0,
        "met": 7,
        "met_by_wide_margin": 0,
        "no_data": 0,
    }
    assert [x.outcome for x in relative.levels] == ["met", "breached", "breached"]


def test_a_target_relative_to_a_baseline_still_running_has_no_outcome() -> None:
    early = baseline_report(parse(CONTRACT), records(), dt.datetime(2026, 3, 15, tzinfo=dt.UTC))
    relative = objective(early, "4")
    assert relative.target_value is None
    assert [p.label for p in relative.periods] == ["2026-01", "2026-02"]
    assert [p.outcome for p in relative.periods] == [None, None]
    assert as_shown([x.value for x in relative.levels]) == ["100", "100", "100"]
    assert baseline_text(early).splitlines()[-1] == (
        "  the target is relative to the baseline: no outcome until it is set"
    )


def test_the_report_names_the_baseline_and_the_margins(report: Any) -> None:
    assert report.baseline is not None
    assert (report.baseline.first, report.baseline.last) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 31),
    )
    assert as_shown((report.margins.wide_at_most, report.margins.narrow_above)) == ("20", "80")
    assert report.evaluated_at == AT


def test_margins_follow_the_contract() -> None:
    text = CONTRACT.replace(
        'timezone "UTC"\n', 'timezone "UTC"\n  margins wide at most 25%, narrow above 75%\n'
    )
    found = baseline_report(parse(text), records(), AT)
    pages = objective(found, "1")
    # 1 page uses 25% (now wide), 3 pages 75% (not above 75%: met), 4 pages 100% (narrow).
    assert [p.outcome for p in pages.periods][:6] == [
        "met_by_wide_margin", "met_by_wide_margin", "met_by_wide_margin", "met", "met",
        "met_narrowly",
    ]  # fmt: skip


@given(
    st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=40),
    st.sampled_from([50, 90, 99]),
    st.sampled_from(["higher", "lower"]),
)
def test_the_level_is_the_best_one_achieved_in_the_share(
    values: list[int], share: int, better: Any
) -> None:
    from fractions import Fraction

    exact = [Fraction(v) for v in values]
    level, achieved = achieved_level(exact, share, better)

    def at_least(v: Fraction, bound: Fraction) -> bool:
        return v >= bound if better == "higher" else v <= bound

    assert level in exact
    assert achieved == sum(1 for v in exact if at_least(v, level))
    assert achieved * 100 >= share * len(exact)
    # No better measured level is achieved in the share of periods.
    for candidate in set(exact):
        if candidate != level and at_least(candidate, level):
            assert sum(1 for v in exact if at_least(v, candidate)) * 100 < share * len(exact)


# ------------------------------------------------------------------------- the command line
def write(tmp_path: Path, items: list[dict[str, Any]]) -> tuple[Path, Path]:
    contract = tmp_path / "history.sla"
    contract.write_text(CONTRACT, encoding="utf-8")
    log = tmp_path / "events.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in items), encoding="utf-8")
    return contract, log


def test_command_text(tmp_path: Path) -> None:
    contract, log = write(tmp_path, records())
    result = CliRunner().invoke(
        cli, ["baseline", str(contract), "--events", str(log), "--at", "2026-11-15T00:00:00"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:4] == [
        'contract history "A year of history" version 1',
        "history up to 2026-11-15T00:00:00+00:00 (UTC)",
        "baseline 2026-01-01 to 2026-03-31",
        "margins: wide when at most 20% of the error budget is used, narrow when more than 80%",
    ]
    start = lines.index('1 "Pages": pages <= 4')
    assert lines[start + 1 : start + 4] == [
        "  period              measured   budget used  outcome",
        "  2026-01 (baseline)  0 records  0%           met by a wide margin",
        "  2026-02 (baseline)  1 record   25%          met",
    ]
    assert lines[start + 12 : start + 16] == [
        "  achieved in 50% of the periods: 2 records (6 of 10): at this level the target is met",
        "  achieved in 90% of the periods: 4 records (9 of 10): at this level the target is met"
        " narrowly",
        "  achieved in 99% of the periods: 5 records (10 of 10): at this level the target is"
        " breached",
        "  10 periods: 1 breached, 2 met narrowly, 6 met, 1 met by a wide margin",
    ]
    assert "  = and != have no better direction: no levels" in lines


def test_command_json_is_the_report_and_deterministic(tmp_path: Path) -> None:
    items = records()
    contract, log = write(tmp_path, items)
    args = ["baseline", str(contract), "--events", str(log), "--at", "2026-11-15T00:00:00Z"]
    first = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert first.exit_code == 0, first.output
    expected = baseline_json(baseline_report(obligo.load(contract), items, AT))
    assert first.output == expected
    random.Random(4).shuffle(items)
    log.write_text("".join(json.dumps(r) + "\n" for r in items), encoding="utf-8")
    again = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert again.output == first.output
    data = json.loads(first.output)
    assert data["objectives"][0]["levels"][1] == {
        "share": 90,
        "value": "4",
        "periods": 9,
        "outcome": "met_narrowly",
    }


def test_command_writes_a_file(tmp_path: Path) -> None:
    contract, log = write(tmp_path, records())
    out = tmp_path / "baseline.txt"
    result = CliRunner().invoke(
        cli,
        [
            "baseline",
            str(contract),
            "--events",
            str(log),
            "--at",
            "2026-11-15T00:00:00Z",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0 and result.output == ""
    assert out.read_text(encoding="utf-8") == baseline_text(
        baseline_report(obligo.load(contract), records(), AT)
    )


def test_command_errors_exit_2(tmp_path: Path) -> None:
    contract, log = write(tmp_path, records())
    broken = tmp_path / "broken.sla"
    broken.write_text(CONTRACT.replace("pages <= 4", "pagez <= 4"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["baseline", str(broken), "--events", str(log)])
    assert result.exit_code == 2
    assert 'unknown metric "pagez"' in result.output
    bad_time = CliRunner().invoke(
        cli, ["baseline", str(contract), "--events", str(log), "--at", "yesterday"]
    )
    assert bad_time.exit_code == 2


def test_the_library_exports_it() -> None:
    found = obligo.baseline(parse(CONTRACT), records(), AT)
    assert [o.clause for o in found.objectives] == ["1", "2", "3", "4"]


# ------------------------------------------------- relative targets: baseline agrees with eval
RELATIVE = """\
contract relative "Targets relative to the baseline" version 1
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric first-contact "First-contact resolution"
  ratio of count(ticket records where touches = 1) to count(ticket records), per calendar month

metric first-contact-by "First-contact resolution per priority"
  ratio of count(ticket records where touches = 1) to count(ticket records), per calendar month, by priority

clause 1 "First contact"
  promise first-contact >= 110% of the baseline

clause 2 "First contact, per priority"
  promise first-contact-by >= 110% of the baseline

baseline the first 3 months
"""

# Tickets resolved at first contact, of 50 per priority and month.
FIRST_CONTACT = {1: (30, 40), 2: (35, 40), 3: (40, 40), 4: (38, 45), 5: (39, 43), 6: (50, 50)}


def tickets() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for month, goods in FIRST_CONTACT.items():
        for priority, good in zip(("P1", "P2"), goods, strict=True):
            for i in range(50):
                found.append(
                    {
                        "type": "ticket",
                        "id": f"{priority}-{month}-{i}",
                        "time": f"2026-{month:02d}-{i % 28 + 1:02d}T10:00:00Z",
                        "priority": priority,
                        "touches": 1 if i < good else 2,
                    }
                )
    return found


def test_baseline_and_evaluate_judge_a_relative_target_alike() -> None:
    # The levels achieved in January-March: the whole metric (70 + 75 + 80) ÷ 3 = 75%, target
    # 110% of it = 82.5%; P1 (60 + 70 + 80) ÷ 3 = 70%, target 77%; P2 80%, target 88%. Every
    # period is judged against them, the baseline's included. June is running on 10 June.
    contract = parse(RELATIVE)
    at = dt.datetime(2026, 6, 10, tzinfo=dt.UTC)
    history_ = baseline_report(contract, tickets(), at)
    evaluated = obligo.evaluate(contract, tickets(), at=at)
    verdicts = {
        (v.clause, v.group, v.period.label): (v.status, v.target_value)
        for v in evaluated.verdicts
        if v.status != "pending"
    }
    from_history = {
        (o.clause, o.group, p.label): (p.status, o.target_value)
        for o in history_.objectives
        for p in o.periods
    }
    assert from_history == verdicts
    months = [f"2026-{m:02d}" for m in range(1, 6)]
    expected = {
        ("1", None): ("82.5", ["breached", "breached", "breached", "met", "breached"]),
        ("2", "P1"): ("77", ["breached", "breached", "met", "breached", "met"]),
        ("2", "P2"): ("88", ["breached", "breached", "breached", "met", "breached"]),
    }
    for (clause, group), (target, statuses) in expected.items():
        assert as_shown([verdicts[(clause, group, m)] for m in months]) == [
            (s, target) for s in statuses
        ]
    levels = {(v.clause, v.group): v.baseline_level for v in evaluated.verdicts}
    assert as_shown(levels) == {("1", None): "75", ("2", "P1"): "70", ("2", "P2"): "80"}


# ------------------------------------------- groups by several fields, key measurements
GROUPED = """
contract grouped
  term 2026-01-01 to 2026-12-31
  timezone "UTC"

metric uptime "Uptime per project and region"
  availability, per calendar month, by project, region
  down during outage records

metric backups "Backups completed"
  ratio of count(backup records where ok = true) to count(backup records), per calendar month

clause 1 "Uptime"
  promise uptime >= 99.9%

clause 2 "Backups"
  report backups >= 98%
"""


def test_a_history_names_groups_by_several_fields_and_marks_key_measurements() -> None:
    events = [
        {"type": "outage", "project": "p1", "region": "eu",
         "start": "2026-01-10T00:00:00Z", "end": "2026-01-10T02:00:00Z"},
        {"type": "outage", "project": "p2", "region": "us",
         "start": "2026-02-10T00:00:00Z", "end": "2026-02-10T00:01:00Z"},
        {"type": "backup", "time": "2026-01-05T00:00:00Z", "ok": False},
        {"type": "backup", "time": "2026-02-05T00:00:00Z", "ok": True},
    ]  # fmt: skip
    report = baseline_report(parse(GROUPED), events, dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    found = json.loads(baseline_json(report))
    assert [o["group"] for o in found["objectives"]] == [
        {"project": "p1", "region": "eu"},
        {"project": "p2", "region": "us"},
        None,
    ]
    backups = found["objectives"][2]["periods"]
    assert [(p["label"], p["reported_only"], p["status"]) for p in backups] == [
        ("2026-01", True, "breached"),
        ("2026-02", True, "met"),
    ]
    text = baseline_text(report)
    assert '\n1 "Uptime": uptime for project=p1, region=eu >= 99.9%\n' in text
    assert '\n1 "Uptime": uptime for project=p2, region=us >= 99.9%\n' in text
    assert "\n  2026-01 (reported only)  0%" in text

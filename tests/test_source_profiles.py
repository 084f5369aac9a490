"""Each shipped profile reads an export written from the vendor's documented columns, with no
other mapping, and a small contract is evaluated against it (exact verdicts). The exports are
in tests/data/sources/; each profile's comment cites the documentation of its columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from obligo.cli import cli
from obligo.events import profiles

DATA = Path(__file__).parent / "data" / "sources"

HEAD = 'contract c "Exports" version 1\n  timezone "UTC"\n  term 2026-01-01\n\n'


def _within(kind: str, start: str, end: str, target: str, where: str = "") -> str:
    return (
        HEAD + f'metric m "Within target"\n  share of {kind} records{where} within target, per'
        f" calendar month\n  duration from {start} to {end}\n  target {target}\n\n"
        'clause 1 "Target"\n  promise m >= 50%\n'
    )


def _availability(selection: str) -> str:
    return (
        HEAD
        + 'metric m "Availability"\n  availability, per calendar month\n'
        + f"  down during {selection}\n\n"
        + 'clause 1 "Up"\n  promise m >= 99.9%\n'
    )


CASES = {
    # 44 min 38.4 s of high-urgency downtime in January's 2,678,400 s: 0.1%.
    "pagerduty": (
        _availability('incident records where urgency = "high"'),
        "1 m     2026-01  99.9%     >= 99.9%  met",
    ),
    # Acknowledged after 2 and 10 minutes: one of two within 5 minutes.
    "opsgenie": (
        _within("alert", "start", "acknowledged", "5 minutes"),
        "1 m     2026-01  50%       >= 50%  met",
    ),
    # First replies after 30, 95 and 240 minutes: one of three within the hour.
    "zendesk": (
        _within("ticket", "opened", "responded", "60 minutes"),
        "1 m     2026-01  33.333333333%  >= 50%  breached",
    ),
    # Resolved after 6 h 46 min and 26 h: one of two within 8 hours.
    "jira": (
        _within("ticket", "opened", "resolved", "8 hours"),
        "1 m     2026-01  50%       >= 50%  met",
    ),
    # Critical incidents resolved after 3 h and 5 h 30 min: both within 4 hours? No: one.
    "servicenow": (
        _within("incident", "opened", "resolved", "4 hours", ' where priority = "1 - Critical"'),
        "1 m     2026-01  50%       >= 50%  met",
    ),
    # A major outage of 1 h 30 min in January: 99.798387097% up.
    "statuspage": (
        _availability('incident records where impact = "major"'),
        "1 m     2026-01  99.798387097%  >= 99.9%  breached",
    ),
    # Down 600 s and 1,200 s in January: 1,800 s of 2,678,400.
    "uptimerobot": (
        _availability('uptime records where event = "down"'),
        "1 m     2026-01  99.932795699%  >= 99.9%  met",
    ),
    # Down from 10:00 to 11:00 on 5 January: 3,600 s of 2,678,400.
    "pingdom": (
        _availability('pingdom records where event = "down"'),
        "1 m     2026-01  99.865591398%  >= 99.9%  breached",
    ),
}


def test_every_shipped_profile_has_a_case() -> None:
    assert sorted(CASES) == profiles.names()


@pytest.mark.parametrize("name", sorted(CASES))
def test_profile_reads_its_export(tmp_path: Path, name: str) -> None:
    contract, verdict = CASES[name]
    path = tmp_path / "c.sla"
    path.write_text(contract, encoding="utf-8")
    export = next(DATA.glob(f"{name}.*"))
    result = CliRunner().invoke(
        cli,
        ["eval", str(path), "--events", f"{name}:{export}", "--at", "2026-02-02T00:00:00Z"],
    )
    assert result.exit_code == 0, result.stderr
    january = [line for line in result.stdout.splitlines() if "2026-01" in line]
    assert january == [verdict]


def test_profiles_document_their_source() -> None:
    for name in profiles.names():
        found = profiles.profile(name)
        assert found.documented.startswith("https://"), name
        assert found.fields, name


def test_a_profiles_field_can_be_overridden(tmp_path: Path) -> None:
    """Jira sites choose their date format: the sources file replaces the profile's fields."""
    export = tmp_path / "jira-iso.csv"
    export.write_text(
        "Summary,Issue key,Issue id,Issue Type,Status,Priority,Created,Resolved\n"
        "VPN down,HELP-1,10001,Incident,Done,High,2026-01-05 09:00,2026-01-05 12:00\n",
        encoding="utf-8",
    )
    (tmp_path / "obligo.sources.toml").write_text(
        '[[source]]\nmatch = "jira-*.csv"\nprofile = "jira"\n\n[source.fields]\n'
        'opened = { column = "Created", time = "%Y-%m-%d %H:%M" }\n'
        'resolved = { column = "Resolved", time = "%Y-%m-%d %H:%M" }\n',
        encoding="utf-8",
    )
    path = tmp_path / "c.sla"
    path.write_text(_within("ticket", "opened", "resolved", "8 hours"), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["eval", str(path), "--events", str(export), "--at", "2026-02-02T00:00:00Z"]
    )
    assert result.exit_code == 0, result.stderr
    assert "1 m     2026-01  100%      >= 50%  met" in result.stdout


def test_an_export_without_a_column_the_contract_needs_names_it(tmp_path: Path) -> None:
    export = tmp_path / "pd.csv"
    export.write_text(
        "id,service_name,created_on,urgency\nP1,api,2026-01-05T10:00:00Z,high\n", encoding="utf-8"
    )
    path = tmp_path / "c.sla"
    path.write_text(_availability('incident records where urgency = "high"'), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["eval", str(path), "--events", f"pagerduty:{export}", "--at", "2026-02-02T00:00:00Z"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"error: {export}:1: the pagerduty profile reads the column 'created_at' (for 'start'), "
        "which the header does not have (did you mean 'created_on'?)"
    )


def test_the_profile_path_ends_in_the_report(tmp_path: Path) -> None:
    """The account names the export as given, its lines counted as its own."""
    path = tmp_path / "c.sla"
    path.write_text(CASES["zendesk"][0], encoding="utf-8")
    export = DATA / "zendesk.csv"
    result = CliRunner().invoke(
        cli, ["eval", str(path), "--events", f"zendesk:{export}", "--at", "2026-02-02T00:00:00Z"]
    )
    assert f"{export}: 3 lines, 3 used" in result.stdout

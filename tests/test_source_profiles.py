"""Each shipped profile reads an export written from the vendor's documented columns, with no
other mapping, and a small contract is evaluated against it (exact verdicts). The exports are
in tests/data/sources/; each profile's comment cites the documentation of its columns."""

from __future__ import annotations

import csv
import json
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


def test_a_servicenow_list_with_the_users_date_format_and_zone(tmp_path: Path) -> None:
    """ServiceNow lists take the exporting user's date format and timezone: the sources file
    overrides the profile's time fields, the other fields stay the profile's."""
    export = tmp_path / "snow-incidents.csv"
    export.write_text(
        '"number","opened_at","short_description","priority","resolved_at"\n'
        '"INC1","05-01-2026 08:00:00","Mail down","1 - Critical","05-01-2026 11:00:00"\n'
        '"INC2","06-01-2026 08:00:00","ERP down","1 - Critical","06-01-2026 13:30:00"\n'
        # 20:00 in New York on 31 January is 01:00 UTC on 1 February: a February incident.
        '"INC3","31-01-2026 20:00:00","VPN down","1 - Critical","31-01-2026 21:00:00"\n',
        encoding="utf-8",
    )
    (tmp_path / "obligo.sources.toml").write_text(
        '[[source]]\nmatch = "snow-*.csv"\nprofile = "servicenow"\n\n[source.fields]\n'
        'opened = { column = "opened_at", time = "%d-%m-%Y %H:%M:%S", zone = "America/New_York" }\n'
        'resolved = { column = "resolved_at", time = "%d-%m-%Y %H:%M:%S",'
        ' zone = "America/New_York" }\n',
        encoding="utf-8",
    )
    path = tmp_path / "c.sla"
    contract = _within(
        "incident", "opened", "resolved", "4 hours", ' where priority = "1 - Critical"'
    )
    path.write_text(contract, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["eval", str(path), "--events", str(export), "--at", "2026-03-01T00:00:00Z"]
    )
    assert result.exit_code == 0, result.stderr
    # January: 3 h (met) and 5 h 30 min (late); February: the 1 h incident of the 31st, NY time.
    assert [line for line in result.stdout.splitlines() if line.startswith("1 m     2026-0")][
        :2
    ] == ["1 m     2026-01  50%       >= 50%  met", "1 m     2026-02  100%      >= 50%  met"]
    assert "3 timestamps without offset" in result.stdout


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


def _records(name: str, export: Path, tmp_path: Path) -> tuple[list[dict[str, str]], int]:
    """What the profile makes of the export: each record's type and the fields the profile
    derives (times in UTC, local times read in Europe/Berlin), and the local times counted."""
    from obligo import Source
    from obligo.events._source import prepare

    targets = ["type", *(d.target for d in profiles.profile(name).fields)]
    read = prepare(0, Source(export, profile=name), tmp_path, "Europe/Berlin", None)
    lines = [
        json.loads(line) for line in read.path.read_text(encoding="utf-8").splitlines() if line
    ]
    return [{k: r[k] for k in targets if k in r} for r in lines], read.local_times


RECORDS: dict[str, tuple[list[dict[str, str]], int]] = {
    # 05/Jan/26 9:14 AM in Berlin (UTC+1) is 08:14 UTC; a description holding a line feed and
    # the repeated Labels, Watchers, Watchers Id and Comment columns of a real export.
    "jira": (
        [
            {
                "type": "ticket",
                "id": "HELP-17",
                "title": "VPN drops every hour",
                "issue_type": "Incident",
                "status": "Resolved",
                "priority": "High",
                "resolution": "Done",
                "assignee": "Sam Lee",
                "opened": "2026-01-05T08:14:00.000000Z",
                "resolved": "2026-01-05T15:00:00.000000Z",
            },
            {
                "type": "ticket",
                "id": "HELP-18",
                "title": "Laptop request, new hire",
                "issue_type": "Service request",
                "status": "Resolved",
                "priority": "Medium",
                "resolution": "Done",
                "assignee": "Ria Das",
                "opened": "2026-01-06T09:00:00.000000Z",
                "resolved": "2026-01-07T11:00:00.000000Z",
            },
        ],
        2,
    ),
    # Epoch milliseconds; acknowledged and closed 120 s / 1,800 s and 600 s / 2,700 s after.
    "opsgenie": (
        [
            {
                "type": "alert",
                "id": "1021",
                "alias": "db-cpu-high",
                "title": "Database CPU above 90%",
                "status": "closed",
                "priority": "P2",
                "source": "Datadog",
                "owner": "ana@example.com",
                "teams": "DBA",
                "start": "2026-01-05T10:00:00.000000Z",
                "acknowledged": "2026-01-05T10:02:00.000000Z",
                "end": "2026-01-05T10:30:00.000000Z",
            },
            {
                "type": "alert",
                "id": "1022",
                "alias": "disk-full",
                "title": "Disk almost full on web-3",
                "status": "closed",
                "priority": "P3",
                "source": "Prometheus",
                "owner": "li@example.com",
                "teams": "Web",
                "start": "2026-01-08T22:15:00.000000Z",
                "acknowledged": "2026-01-08T22:25:00.000000Z",
                "end": "2026-01-08T23:00:00.000000Z",
            },
        ],
        0,
    ),
    # ISO 8601 with Z and with +01:00 (no local time counted); 2,678.4 s to resolve is
    # the end's 10:44:38.4; seconds_to_first_ack 120 and 600.
    "pagerduty": (
        [
            {
                "type": "incident",
                "id": "Q1ABCDEF",
                "number": "101",
                "title": "Checkout API returns 502",
                "service": "checkout-api",
                "team": "Payments",
                "urgency": "high",
                "priority": "P1",
                "start": "2026-01-05T10:00:00.000000Z",
                "end": "2026-01-05T10:44:38.400000Z",
                "acknowledged": "2026-01-05T10:02:00.000000Z",
            },
            {
                "type": "incident",
                "id": "Q2GHIJKL",
                "number": "102",
                "title": "Slow search, EU only",
                "service": "search",
                "team": "Discovery",
                "urgency": "low",
                "priority": "P4",
                "start": "2026-01-06T07:00:00.000000Z",
                "end": "2026-01-06T11:00:00.000000Z",
                "acknowledged": "2026-01-06T07:10:00.000000Z",
            },
        ],
        0,
    ),
    "pingdom": (
        [
            {
                "type": "pingdom",
                "event": "up",
                "start": "2026-01-01T00:00:00.000000Z",
                "end": "2026-01-05T10:00:00.000000Z",
            },
            {
                "type": "pingdom",
                "event": "down",
                "start": "2026-01-05T10:00:00.000000Z",
                "end": "2026-01-05T11:00:00.000000Z",
            },
            {
                "type": "pingdom",
                "event": "up",
                "start": "2026-01-05T11:00:00.000000Z",
                "end": "2026-02-01T00:00:00.000000Z",
            },
        ],
        0,
    ),
    # Local "2026-01-05 08:00:00" in Berlin; an empty closed_at is no field.
    "servicenow": (
        [
            {
                "type": "incident",
                "id": "INC0010001",
                "title": "Email down for all users",
                "priority": "1 - Critical",
                "state": "Closed",
                "category": "Software",
                "group": "Messaging",
                "opened": "2026-01-05T07:00:00.000000Z",
                "resolved": "2026-01-05T10:00:00.000000Z",
                "closed": "2026-01-06T07:00:00.000000Z",
            },
            {
                "type": "incident",
                "id": "INC0010002",
                "title": "ERP unreachable",
                "priority": "1 - Critical",
                "state": "Resolved",
                "category": "Software",
                "group": "ERP",
                "opened": "2026-01-06T07:00:00.000000Z",
                "resolved": "2026-01-06T12:30:00.000000Z",
            },
            {
                "type": "incident",
                "id": "INC0010003",
                "title": "Printer jam on floor 2",
                "priority": "3 - Moderate",
                "state": "Resolved",
                "category": "Hardware",
                "group": "Desk",
                "opened": "2026-01-07T08:00:00.000000Z",
                "resolved": "2026-01-09T08:00:00.000000Z",
            },
        ],
        3,
    ),
    # The API's offsets: 06:00-06:00 is 12:00 UTC.
    "statuspage": (
        [
            {
                "type": "incident",
                "id": "p31zjtct2jer",
                "title": "API errors in EU",
                "status": "resolved",
                "impact": "major",
                "created": "2026-01-10T12:05:00.000000Z",
                "start": "2026-01-10T12:00:00.000000Z",
                "end": "2026-01-10T13:30:00.000000Z",
            },
            {
                "type": "incident",
                "id": "x7lk9q2m4bza",
                "title": "Slow dashboard",
                "status": "resolved",
                "impact": "minor",
                "created": "2026-01-12T08:00:00.000000Z",
                "start": "2026-01-12T08:00:00.000000Z",
                "end": "2026-01-12T09:00:00.000000Z",
            },
        ],
        0,
    ),
    # type 98/1/2 become started/down/up; the end is datetime plus duration seconds.
    "uptimerobot": (
        [
            {
                "type": "uptime",
                "monitor": "Website",
                "reason": "Started",
                "event": "started",
                "start": "2026-01-01T00:00:00.000000Z",
                "end": "2026-01-05T04:00:00.000000Z",
            },
            {
                "type": "uptime",
                "monitor": "Website",
                "reason": "Connection Timeout",
                "event": "down",
                "start": "2026-01-05T10:00:00.000000Z",
                "end": "2026-01-05T10:10:00.000000Z",
            },
            {
                "type": "uptime",
                "monitor": "Website",
                "reason": "OK",
                "event": "up",
                "start": "2026-01-05T10:10:00.000000Z",
                "end": "2026-01-16T23:56:40.000000Z",
            },
            {
                "type": "uptime",
                "monitor": "Website",
                "reason": "Bad Gateway",
                "event": "down",
                "start": "2026-01-20T03:00:00.000000Z",
                "end": "2026-01-20T03:20:00.000000Z",
            },
            {
                "type": "uptime",
                "monitor": "Website",
                "reason": "OK",
                "event": "up",
                "start": "2026-01-20T03:20:00.000000Z",
                "end": "2026-01-30T13:20:00.000000Z",
            },
        ],
        0,
    ),
    # Minutes without seconds, local; responded is Created at plus the first reply minutes;
    # an open ticket has no Solved at.
    "zendesk": (
        [
            {
                "type": "ticket",
                "id": "4101",
                "title": "Cannot log in",
                "status": "solved",
                "priority": "high",
                "group": "Support",
                "organization": "Acme",
                "ticket_type": "incident",
                "opened": "2026-01-05T08:14:00.000000Z",
                "responded": "2026-01-05T08:44:00.000000Z",
                "resolved": "2026-01-05T10:00:00.000000Z",
            },
            {
                "type": "ticket",
                "id": "4102",
                "title": "Invoice wrong, twice",
                "status": "solved",
                "priority": "normal",
                "group": "Support",
                "organization": "Acme",
                "ticket_type": "question",
                "opened": "2026-01-06T09:00:00.000000Z",
                "responded": "2026-01-06T10:35:00.000000Z",
                "resolved": "2026-01-07T08:00:00.000000Z",
            },
            {
                "type": "ticket",
                "id": "4103",
                "title": "Export fails",
                "status": "open",
                "priority": "urgent",
                "group": "Tier 2",
                "organization": "Globex",
                "ticket_type": "problem",
                "opened": "2026-01-07T10:00:00.000000Z",
                "responded": "2026-01-07T14:00:00.000000Z",
            },
        ],
        3,
    ),
}


def test_every_shipped_profile_has_its_records() -> None:
    assert sorted(RECORDS) == profiles.names()


@pytest.mark.parametrize("name", sorted(RECORDS))
def test_profile_makes_exact_records_of_its_export(tmp_path: Path, name: str) -> None:
    export = next(DATA.glob(f"{name}.*"))
    assert _records(name, export, tmp_path) == RECORDS[name]


# Each profile: a column a field of the contract reads, renamed as an export may name it, and
# the error that names it at the header's line with the nearest column.
RENAMED = {
    "jira": ("Created", "Date Created", "opened", "Date Created"),
    "opsgenie": ("CreatedAt", "Created At", "start", "Created At"),
    "pagerduty": ("created_at", "created_on", "start", "created_on"),
    "pingdom": ("timefrom", "time_from", "start", "time_from"),
    "servicenow": ("opened_at", "Opened", "opened", "Opened"),
    "statuspage": ("started_at", "startedAt", "start", "startedAt"),
    "uptimerobot": ("datetime", "date_time", "start", "date_time"),
    "zendesk": ("Created at", "Created", "opened", "Created"),
}


@pytest.mark.parametrize("name", sorted(RENAMED))
def test_a_renamed_column_is_named_with_the_near_one_at_the_header(
    tmp_path: Path, name: str
) -> None:
    column, renamed, target, near = RENAMED[name]
    original = next(DATA.glob(f"{name}.*"))
    header, rest = original.read_text(encoding="utf-8").split("\n", 1)
    cells = next(csv.reader([header]))
    assert cells.count(column) == 1
    cells[cells.index(column)] = renamed
    export = tmp_path / original.name
    with export.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerow(cells)
        out.write(rest)
    path = tmp_path / "c.sla"
    path.write_text(CASES[name][0], encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["eval", str(path), "--events", f"{name}:{export}", "--at", "2026-02-02T00:00:00Z"]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {export}:1: the {name} profile reads the column {column!r} (for {target!r}), "
        f"which the header does not have (did you mean {near!r}?)\n"
    )


def test_a_repeated_column_a_profile_reads_is_an_error(tmp_path: Path) -> None:
    """Jira repeats a column per value (Labels, Watchers, Comment): read by nothing, they are
    left alone; one the profile reads cannot be told apart."""
    export = tmp_path / "jira.csv"
    export.write_text(
        "Summary,Issue key,Created,Created,Resolved\n"
        "VPN down,HELP-1,05/Jan/26 9:00 AM,05/Jan/26 9:05 AM,05/Jan/26 12:00 PM\n",
        encoding="utf-8",
    )
    path = tmp_path / "c.sla"
    path.write_text(CASES["jira"][0], encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["eval", str(path), "--events", f"jira:{export}", "--at", "2026-02-02T00:00:00Z"]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {export}:1: the header names 'Created' twice (columns 3 and 4): which one"
        " 'opened' reads cannot be told (rename or remove one of the columns)\n"
    )


def test_a_repeated_column_the_contract_reads_is_an_error(tmp_path: Path) -> None:
    export = tmp_path / "sn.csv"
    export.write_text(
        "number,opened_at,resolved_at,caller_id,caller_id\n"
        "INC1,2026-01-05 08:00:00,2026-01-05 09:00:00,Jo Meyer,Ana Ruiz\n",
        encoding="utf-8",
    )
    path = tmp_path / "c.sla"
    where = ' where caller_id = "Jo Meyer"'
    path.write_text(_within("incident", "opened", "resolved", "4 hours", where), encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["eval", str(path), "--events", f"servicenow:{export}", "--at", "2026-02-02T00:00:00Z"],
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {export}:1: the header names 'caller_id' twice (columns 4 and 5): which one"
        " 'caller_id' reads cannot be told (rename or remove one of the columns)\n"
    )

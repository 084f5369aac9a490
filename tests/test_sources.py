"""Exports read as they are: one input one record type, derived fields, CSV dialects, sources
files (obligo.events._source, obligo.events.sourcefile)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

import obligo
from obligo import Derivation as D
from obligo import Source
from obligo.cli import cli
from obligo.errors import EventDataError, SourcesError
from obligo.render.formats import FORMATS

AT = dt.datetime(2026, 2, 2, tzinfo=dt.UTC)

REPLIES = """\
contract demo "Demo" version 1
  timezone "Europe/Berlin"
  term 2026-01-01

metric reply "Replies within an hour"
  share of ticket records within target, per calendar month
  duration from start to responded
  target 60 minutes

clause 1 "Replies"
  promise reply >= 50%
"""

# A European spreadsheet's export: semicolons, a decimal comma, a cell holding a line feed.
TICKETS = (
    "Ticket ID;Created at;First reply time in minutes;Subject\n"
    "1;2026-01-05 09:14;30;Login\n"
    "2;2026-01-05 10:00;90,5;Slow\n"
    '3;2026-01-06 10:00;45;"Two\nlines"\n'
    "4;2026-01-07 10:00;12\n"
)

FIELDS = (
    D("start", column="Created at", time="%Y-%m-%d %H:%M"),
    D(
        "responded",
        column="Created at",
        time="%Y-%m-%d %H:%M",
        plus="First reply time in minutes",
        unit="minutes",
    ),
)


def _rejected(report: obligo.Report) -> list[str]:
    return [f":{r.line}: {r.reason}" for r in report.rejections]


def _verdicts(report: obligo.Report) -> list[str]:
    text = FORMATS["text"].render(report)
    return [line for line in text.splitlines() if line.startswith("1 reply")]


@pytest.fixture
def contract() -> obligo.Contract:
    return obligo.parse(REPLIES, "replies.sla")


@pytest.fixture
def tickets(tmp_path: Path) -> Path:
    path = tmp_path / "tickets.csv"
    path.write_text(TICKETS, encoding="utf-8")
    return path


def test_a_semicolon_export_with_derived_times_and_decimal_commas(
    tickets: Path, contract: obligo.Contract
) -> None:
    source = Source(tickets, type="ticket", decimal=",", fields=FIELDS)
    with pytest.raises(EventDataError) as caught:
        obligo.evaluate(contract, [source], at=AT)
    # Row 4 is on line 6: row 3's quoted cell holds a line feed.
    assert f"{tickets}:6: 3 cells where the header has 4 (cells are separated by a semicolon)" in (
        caught.value.message
    )
    report = obligo.evaluate(contract, [source], at=AT, skip_invalid=True)
    # 30 minutes within the hour, 90.5 late (a decimal comma), 45 within: 2 of 3.
    assert _verdicts(report) == [
        "1 reply  2026-01  66.666666667%  >= 50%  met",
        "1 reply  2026-02  -              >= 50%  pending (no records to judge in the period)",
    ]
    account = report.inputs[0]
    assert (account.name, account.lines, account.used, account.rejected) == (
        str(tickets),
        4,
        3,
        1,
    )
    assert account.naive_timestamps == 3  # local times, read in the contract's timezone


def test_without_the_decimal_setting_a_comma_is_not_a_number(
    tickets: Path, contract: obligo.Contract
) -> None:
    source = Source(tickets, type="ticket", fields=FIELDS)
    report = obligo.evaluate(contract, [source], at=AT, skip_invalid=True)
    assert _rejected(report) == [
        ":3: 'First reply time in minutes' is not a number of minutes: '90,5'",
        ":6: 3 cells where the header has 4 (cells are separated by a semicolon)",
    ]


def test_a_header_without_a_column_a_field_reads_says_the_near_one(
    tickets: Path, contract: obligo.Contract
) -> None:
    source = Source(tickets, type="ticket", fields=(D("start", column="Created At"),))
    with pytest.raises(EventDataError) as caught:
        obligo.evaluate(contract, [source], at=AT)
    assert caught.value.message == (
        f"{tickets}:1: the sources read the column 'Created At' (for 'start'), which the header "
        "does not have (did you mean 'Created at'?)"
    )


def test_a_value_table_and_a_constant_and_hostile_names_stay_data(tmp_path: Path) -> None:
    text = """\
contract demo "Demo" version 1
  timezone "UTC"
  term 2026-01-01

metric sev1 "Severity 1 incidents"
  count of incident records where severity = 1 and region = "eu'); DROP TABLE events; --", per calendar month

clause 1 "Few"
  promise sev1 <= 1
"""
    contract = obligo.parse(text, "sev.sla")
    path = tmp_path / "incidents.csv"
    hostile = 'p"); DROP TABLE rows; --'
    path.write_text(
        f'when,"{hostile.replace(chr(34), chr(34) * 2)}"\n'
        "2026-01-05T10:00:00Z,SEV1\n2026-01-06T10:00:00Z,SEV1\n2026-01-07T10:00:00Z,SEV2\n"
        "2026-01-08T10:00:00Z,'; DROP TABLE rows; --\n",
        encoding="utf-8",
    )
    source = Source(
        path,
        type="incident",
        fields=(
            D("time", column="when", time="iso"),
            D("severity", column=hostile, values=(("SEV1", 1), ("SEV2", 2))),
            D("region", constant="eu'); DROP TABLE events; --"),
        ),
    )
    report = obligo.evaluate(contract, [source], at=AT, skip_invalid=True)
    assert [line for line in FORMATS["text"].render(report).splitlines() if "2026-01" in line] == [
        "1 sev1  2026-01  2 records  <= 1    breached",
    ]
    assert _rejected(report) == [
        f":5: {hostile!r} is \"'; DROP TABLE rows; --\", which the table for 'severity' does not "
        "hold ('SEV1', 'SEV2')",
    ]


def test_a_local_time_in_a_stated_zone_takes_the_first_of_a_repeated_hour(
    tmp_path: Path, contract: obligo.Contract
) -> None:
    path = tmp_path / "tickets.csv"
    # 01:30 happens twice in New York on 2026-11-01: first at 05:30 UTC (EDT), then at 06:30
    # UTC (EST). Read as the first, the reply at 06:45 UTC took 75 minutes: late (as the
    # second it would take 15). 02:30 on 2026-03-08 does not exist there.
    path.write_text(
        "at,replied\n"
        "11/01/2026 01:30,2026-11-01T06:45:00Z\n"
        "11/01/2026 03:30,2026-11-01T08:40:00Z\n"
        "03/08/2026 02:30,2026-03-08T08:00:00Z\n",
        encoding="utf-8",
    )
    fields = (
        D("start", column="at", time="%m/%d/%Y %H:%M", zone="America/New_York"),
        D("responded", column="replied", time="iso"),
    )
    report = obligo.evaluate(
        contract,
        [Source(path, type="ticket", fields=fields)],
        at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        skip_invalid=True,
    )
    november = [line for line in _verdicts(report) if "2026-11" in line]
    # 03:30 EST is 08:30 UTC: replied in 10 minutes. One of two within the hour.
    assert november == ["1 reply  2026-11  50%       >= 50%  met"]
    assert _rejected(report) == [
        ":4: 'at' is '03/08/2026 02:30', a time that does not exist in America/New_York "
        "(skipped by a daylight-saving change)",
    ]
    assert report.inputs[0].naive_timestamps == 2


def test_epoch_milliseconds_and_a_duration_converted_to_the_fields_unit(tmp_path: Path) -> None:
    text = """\
contract demo "Demo" version 1
  timezone "UTC"
  term 2026-01-01
  field handling in min

metric handling "Mean handling time"
  mean of handling in call records, per calendar month

clause 1 "Quick"
  promise handling <= 2 min
"""
    contract = obligo.parse(text, "calls.sla")
    path = tmp_path / "calls.jsonl"
    path.write_text(
        '{"ts": 1767607200000, "secs": 90}\n\n{"ts": "1767607260500", "secs": "150"}\n',
        encoding="utf-8",
    )
    fields = (
        D("time", column="ts", time="epoch milliseconds"),
        D("handling", column="secs", duration="seconds"),
    )
    report = obligo.evaluate(contract, [Source(path, type="call", fields=fields)], at=AT)
    january = [line for line in FORMATS["text"].render(report).splitlines() if "2026-01" in line]
    assert january == ["1 handling  2026-01  2 min     <= 2 min  met"]


def test_a_typed_jsonl_record_of_another_type_is_rejected_at_its_line(
    tmp_path: Path, contract: obligo.Contract
) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"start": "2026-01-05T09:00:00Z", "responded": "2026-01-05T09:10:00Z"}\n'
        '{"type": "call", "start": "2026-01-05T09:00:00Z"}\n',
        encoding="utf-8",
    )
    report = obligo.evaluate(contract, [Source(path, type="ticket")], at=AT, skip_invalid=True)
    assert _rejected(report) == [
        ":2: the record's type 'call' is not 'ticket', the type given to this input"
    ]
    assert _verdicts(report)[0] == "1 reply  2026-01  100%      >= 50%  met"


@pytest.mark.parametrize(
    ("encoding", "given"),
    [("utf-8-sig", None), ("utf-16", None), ("cp1252", "cp1252"), ("utf-16", "utf-16")],
)
def test_encodings(
    tmp_path: Path, contract: obligo.Contract, encoding: str, given: str | None
) -> None:
    path = tmp_path / "t.csv"
    text = "Créé,Répondu\n2026-01-05T09:00:00Z,2026-01-05T09:10:00Z\n"
    path.write_bytes(text.encode(encoding))
    fields = (D("start", column="Créé"), D("responded", column="Répondu"))
    report = obligo.evaluate(
        contract, [Source(path, type="ticket", fields=fields, encoding=given)], at=AT
    )
    assert _verdicts(report)[0] == "1 reply  2026-01  100%      >= 50%  met"


def test_cp1252_bytes_read_as_utf8_name_their_line_and_the_option(
    tmp_path: Path, contract: obligo.Contract
) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("a,b\nx,y\nCréé,z\n".encode("cp1252"))
    with pytest.raises(EventDataError) as caught:
        obligo.evaluate(contract, [Source(path, type="ticket")], at=AT)
    assert caught.value.message.startswith(f"{path}:3: bytes that are not utf-8 text")
    assert caught.value.hint is not None and "--encoding cp1252" in caught.value.hint


def test_a_header_as_many_commas_as_semicolons_is_an_error_naming_both(
    tmp_path: Path, contract: obligo.Contract
) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a;b,c\n1;2,3\n", encoding="utf-8")
    with pytest.raises(EventDataError) as caught:
        obligo.evaluate(contract, [Source(path, type="ticket")], at=AT)
    assert caught.value.message == (
        f"{path}:1: cannot tell how the header's cells are separated: it holds as many of a "
        "comma and a semicolon"
    )


# ------------------------------------------------------------------------ the command line
def _eval(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    contract = tmp_path / "replies.sla"
    contract.write_text(REPLIES, encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(contract), "--at", "2026-02-02T00:00:00Z", *args])
    return result.exit_code, result.stdout, result.stderr


def test_events_type_equals_path(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(
        '{"start": "2026-01-05T09:00:00Z", "responded": "2026-01-05T09:10:00Z"}\n',
        encoding="utf-8",
    )
    code, out, _ = _eval(tmp_path, "--events", f"ticket={path}")
    assert code == 0
    assert "1 reply  2026-01  100%      >= 50%  met" in out


def test_an_existing_file_whose_name_holds_equals_is_that_file(tmp_path: Path) -> None:
    path = tmp_path / "ticket=t.jsonl"
    path.write_text(
        '{"type": "ticket", "start": "2026-01-05T09:00:00Z", '
        '"responded": "2026-01-05T12:10:00Z"}\n',
        encoding="utf-8",
    )
    code, out, _ = _eval(tmp_path, "--events", str(path))
    assert code == 0
    assert "1 reply  2026-01  0%        >= 50%  breached" in out


def test_an_unknown_profile_is_named_with_the_near_one(tmp_path: Path) -> None:
    code, _, err = _eval(tmp_path, "--events", "pagerdty:x.csv")
    assert code == 2
    assert err.startswith(
        "error: --events pagerdty:x.csv: no such file, and no profile named 'pagerdty' "
        "(did you mean 'pagerduty'?)"
    )


def test_the_forms_do_not_combine(tmp_path: Path) -> None:
    code, _, err = _eval(tmp_path, "--events", "incident=pagerduty:x.csv")
    assert code == 2
    assert err.startswith(
        "error: --events incident=pagerduty:x.csv: a profile fixes the record type itself: "
        "write --events pagerduty:x.csv"
    )


def test_a_sources_file_beside_the_contract_reads_the_export(tmp_path: Path) -> None:
    (tmp_path / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    (tmp_path / "obligo.sources.toml").write_text(
        """\
[[source]]
match = "tickets*.csv"
type = "ticket"
decimal = ","

[source.fields]
start = { column = "Created at", time = "%Y-%m-%d %H:%M" }
responded = { column = "Created at", time = "%Y-%m-%d %H:%M", plus = "First reply time in minutes", unit = "minutes" }
""",
        encoding="utf-8",
    )
    code, out, _ = _eval(tmp_path, "--events", str(tmp_path / "tickets.csv"), "--skip-invalid")
    assert code == 0
    assert "1 reply  2026-01  66.666666667%  >= 50%  met" in out


# ------------------------------------------------------------------------ sources files
@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        (
            '[[source]]\nmatch = "x.csv"\ntpye = "ticket"\n',
            "a [[source]] has no setting 'tpye' (did you mean 'type'?)",
            3,
            1,
        ),
        (
            '[[source]]\nmatch = "x.csv"\nprofile = "pagerduty"\ntype = "incident"\n',
            "a source with a profile takes its record type from the profile",
            4,
            1,
        ),
        (
            '[[source]]\nmatch = "x.csv"\n[source.fields]\n  start = { column = "c", time = "%Y-%m-%d %H:%Q" }\n',
            "field 'start': '%Y-%m-%d %H:%Q' is not a time form: write it with strftime codes "
            '("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"), or "iso", "epoch seconds", '
            '"epoch milliseconds"',
            4,
            3,
        ),
        (
            '[[source]]\nmatch = "x.csv"\n\n[[source]]\nmatch = "y.csv"\n[source.fields]\n'
            'start = { column = "c", time = "%H:%M", zone = "Europe/Berlinn" }\n',
            "field 'start': 'Europe/Berlinn' is not an IANA time zone such as \"Europe/Berlin\"",
            7,
            1,
        ),
        (
            '[[source]]\nmatch = "x.csv"\ndelimiter = ":"\n',
            "delimiter ':' is not one of , ; | or tab",
            3,
            1,
        ),
        ('[[source]]\nmatch = "x.csv\n', "not a TOML file: Illegal character '\\n'", 2, 15),
    ],
)
def test_sources_file_errors_are_located(text: str, message: str, line: int, column: int) -> None:
    with pytest.raises(SourcesError) as caught:
        obligo.events.sourcefile.parse_sources(text, "obligo.sources.toml")
    error = caught.value
    assert (error.message, error.file, error.line, error.column) == (
        message,
        "obligo.sources.toml",
        line,
        column,
    )


def test_check_reads_the_sources_file_beside_the_contract(tmp_path: Path) -> None:
    contract = tmp_path / "replies.sla"
    contract.write_text(REPLIES, encoding="utf-8")
    (tmp_path / "obligo.sources.toml").write_text(
        '[[source]]\nmatch = "t.csv"\ntype = "ticket"\n\n[source.fields]\n'
        'start = { column = "Created", time = "%d/%m/%Y %H:%M", zone = "Europe/Berlinn" }\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check", str(contract)])
    assert result.exit_code == 2
    assert result.stdout.splitlines()[:2] == [
        f"{tmp_path / 'obligo.sources.toml'}:6:1: error: field 'start': 'Europe/Berlinn' is not "
        'an IANA time zone such as "Europe/Berlin"',
        '  start = { column = "Created", time = "%d/%m/%Y %H:%M", zone = "Europe/Berlinn" }',
    ]


def test_one_source_alone_is_an_events_argument(tickets: Path, contract: obligo.Contract) -> None:
    source = Source(tickets, type="ticket", decimal=",", fields=FIELDS)
    report = obligo.evaluate(contract, source, at=AT, skip_invalid=True)
    assert _verdicts(report)[0] == "1 reply  2026-01  66.666666667%  >= 50%  met"


def test_the_encoding_option_reads_a_windows_export(tmp_path: Path) -> None:
    export = tmp_path / "t.csv"
    export.write_bytes("Créé;Répondu\n2026-01-05T09:00:00Z;2026-01-05T09:10:00Z\n".encode("cp1252"))
    (tmp_path / "obligo.sources.toml").write_text(
        '[[source]]\nmatch = "t.csv"\ntype = "ticket"\n\n[source.fields]\n'
        'start = "Créé"\nresponded = "Répondu"\n',
        encoding="utf-8",
    )
    code, out, err = _eval(tmp_path, "--events", str(export), "--encoding", "cp1252")
    assert (code, err) == (0, "")
    assert "1 reply  2026-01  100%      >= 50%  met" in out


def test_a_sources_rule_matches_by_file_name() -> None:
    sources = obligo.events.sourcefile.parse_sources(
        '[[source]]\nmatch = "pd-*.csv"\nprofile = "pagerduty"\n\n'
        '[[source]]\nmatch = "*.csv"\ntype = "ticket"\ndelimiter = "tab"\n',
        "s.toml",
    )
    first = sources.source_for("exports/pd-2026-01.csv")
    other = sources.source_for("exports/tickets.csv")
    assert first is not None and (first.profile, first.path) == (
        "pagerduty",
        "exports/pd-2026-01.csv",
    )
    assert other is not None and (other.type, other.delimiter) == ("ticket", "\t")
    assert sources.source_for("x.jsonl") is None

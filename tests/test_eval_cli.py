"""``obligo eval`` end to end on the command line (click's CliRunner, in process).

A small contract and log are written for each test; the values they give are worked out by hand
next to them. The bundled samples are evaluated in ``test_samples.py``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from obligo.cli import cli

CONTRACT = """\
contract shop "Web shop" version 2
  term 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"

metric uptime "Shop availability"
  availability, per calendar month
  down during incident records where severity <= 2

metric success "Successful requests"
  ratio of count(request records where status < 500) to count(request records), per calendar month

clause 1 "Availability"
  promise uptime >= 99.9%

clause 2 "Success"
  promise success >= 99%
"""

# January: 3,600 s down of 2,678,400 -> 99.865591398% (breached); 2 of 3 requests -> 66.67%.
# February: 1,800 s down of 2,419,200 -> 99.925595238% (met); 2 of 2 requests -> 100% (met).
# March is pending at the evaluation time (10 March), without incidents so far.
RECORDS: list[dict[str, Any]] = [
    {
        "type": "incident",
        "id": "I-1",
        "severity": 1,
        "start": "2026-01-10T10:00:00+01:00",
        "end": "2026-01-10T11:00:00+01:00",
    },
    {
        "type": "incident",
        "id": "I-2",
        "severity": 2,
        "start": "2026-02-05T10:00:00+01:00",
        "end": "2026-02-05T10:30:00+01:00",
    },
    {"type": "incident", "id": "I-3", "severity": 3, "start": "2026-02-06T10:00:00+01:00"},
    {"type": "request", "time": "2026-01-02T10:00:00.125+01:00", "status": 200},
    {"type": "request", "time": "2026-01-02T10:00:01.250+01:00", "status": 200},
    {"type": "request", "time": "2026-01-02T10:00:02.500+01:00", "status": 503},
    {"type": "request", "time": "2026-02-02T10:00:00+01:00", "status": 200},
    {"type": "request", "time": "2026-02-02T10:00:01+01:00", "status": 204},
    {"type": "heartbeat", "time": "2026-02-02T10:00:00+01:00"},
]
AT = "2026-03-10T00:00:00+01:00"

EXPECTED = {
    ("1", "2026-01"): ("breached", "99.865591398"),
    ("1", "2026-02"): ("met", "99.925595238"),
    ("1", "2026-03"): ("pending", "100"),
    ("2", "2026-01"): ("breached", "66.666666667"),
    ("2", "2026-02"): ("met", "100"),
    ("2", "2026-03"): ("pending", None),
}


def jsonl(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


@pytest.fixture
def contract(tmp_path: Path) -> str:
    path = tmp_path / "shop.sla"
    path.write_text(CONTRACT, encoding="utf-8")
    return str(path)


@pytest.fixture
def log(tmp_path: Path) -> str:
    path = tmp_path / "events.jsonl"
    path.write_text(jsonl(RECORDS), encoding="utf-8")
    return str(path)


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["eval", *args], input=input)


def run_json(*args: str, input: str | None = None) -> Any:
    result = run(*args, "--format", "json", input=input)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def outcomes(report: dict[str, Any]) -> dict[tuple[str, str], tuple[str, str | None]]:
    return {
        (v["clause"], v["period"]["label"]): (v["status"], v["value"]) for v in report["verdicts"]
    }


def without_inputs(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k != "inputs"}


# ------------------------------------------------------------------------------------ output


def test_text_output_is_a_table_and_breaches_exit_0(contract: str, log: str) -> None:
    result = run(contract, "--events", log, "--at", AT)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == 'contract shop "Web shop" version 2'
    assert lines[1] == "evaluated at 2026-03-10T00:00:00+01:00 (Europe/Berlin)"
    table = [line.split() for line in lines if line.startswith(("1 ", "2 "))]
    assert table[0][:6] == ["1", "uptime", "2026-01", "99.865591398%", ">=", "99.9%"]
    assert table[0][6] == "breached"
    assert table[1][2:4] == ["2026-02", "99.925595238%"] and table[1][6] == "met"
    assert table[2][6] == "pending,"
    # 2674.8 seconds, as people write them.
    assert " ".join(table[2][7:]) == "budget left 44 min 34.8 s of downtime"
    assert table[3][:4] == ["2", "success", "2026-01", "66.666666667%"]
    assert f"{log}: 9 lines, 7 used, 0 outside the periods, 2 not used by this contract" in (
        result.stdout
    )


def test_json_output(contract: str, log: str) -> None:
    report = run_json(contract, "--events", log, "--at", AT)
    assert report["schema_version"] == "2"
    assert report["contract"] == {"id": "shop", "version": "2", "title": "Web shop"}
    assert report["evaluated_at"] == AT
    assert report["timezone"] == "Europe/Berlin"
    assert report["window"] == {"start": None, "end": None}
    assert outcomes(report) == EXPECTED
    (account,) = report["inputs"]
    assert account == {
        "name": log,
        "lines": 9,
        "used": 7,
        "outside_periods": 0,
        "unused": 2,  # the severity-3 incident and the heartbeat
        "rejected": 0,
        "merged": 0,
        "naive_timestamps": 0,
    }
    first = report["verdicts"][0]
    assert first["location"] == {"file": contract, "line": 13, "column": 11}
    assert first["evidence"]["totals"]["down_seconds"] == "3600"
    assert first["evidence"]["contributors"][0]["id"] == "I-1"
    pending = report["verdicts"][2]
    assert pending["error_budget"] == {
        "remaining": "2674.8",  # 0.1% of March in Berlin: 44,580 minutes
        "unit": "seconds of downtime",
        "used": "0",
    }


def test_output_file(contract: str, log: str, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    result = run(contract, "--events", log, "--at", AT, "--format", "json", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    on_stdout = run_json(contract, "--events", log, "--at", AT)
    assert json.loads(target.read_text(encoding="utf-8")) == on_stdout
    text = tmp_path / "report.txt"
    assert run(contract, "--events", log, "--at", AT, "--output", str(text)).exit_code == 0
    assert text.read_text(encoding="utf-8").startswith('contract shop "Web shop"')


def test_several_contracts_are_one_agreement_set(contract: str, log: str, tmp_path: Path) -> None:
    other = tmp_path / "other.sla"
    other.write_text(CONTRACT.replace("contract shop", "contract other"), encoding="utf-8")
    portfolio = run_json(contract, str(other), "--events", log, "--at", AT)
    assert portfolio["kind"] == "portfolio"
    reports = [s["report"] for s in portfolio["sections"]]
    assert sorted(r["contract"]["id"] for r in reports) == ["other", "shop"]
    assert outcomes(reports[0]) == outcomes(reports[1]) == EXPECTED
    # One pass over the log, accounted for once.
    (account,) = portfolio["inputs"]
    assert account["lines"] == len(RECORDS)


def test_naive_evaluation_time_is_in_the_contract_timezone(contract: str, log: str) -> None:
    report = run_json(contract, "--events", log, "--at", "2026-03-10T00:00:00")
    assert report["evaluated_at"] == AT


# ------------------------------------------------------------------------------------ inputs


def test_several_events_options_form_one_log(contract: str, tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(jsonl(RECORDS[::2]), encoding="utf-8")
    second.write_text(jsonl(RECORDS[1::2]), encoding="utf-8")
    report = run_json(contract, "--events", str(first), "--events", str(second), "--at", AT)
    assert outcomes(report) == EXPECTED
    assert [a["name"] for a in report["inputs"]] == [str(first), str(second)]
    assert sum(a["lines"] for a in report["inputs"]) == len(RECORDS)
    assert sum(a["used"] for a in report["inputs"]) == 7


def test_csv_and_gzip_inputs(contract: str, tmp_path: Path) -> None:
    incidents = tmp_path / "incidents.csv"
    incidents.write_text(
        "type,id,severity,start,end\n"
        + "".join(
            f"{r['type']},{r['id']},{r['severity']},{r['start']},{r.get('end', '')}\n"
            for r in RECORDS[:3]
        ),
        encoding="utf-8",
    )
    requests = tmp_path / "requests.jsonl.gz"
    requests.write_bytes(gzip.compress(jsonl(RECORDS[3:]).encode()))
    report = run_json(contract, "--events", str(incidents), "--events", str(requests), "--at", AT)
    assert outcomes(report) == EXPECTED


def test_a_folder_and_a_quoted_glob_are_expanded(contract: str, tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "b-requests.jsonl").write_text(jsonl(RECORDS[3:]), encoding="utf-8")
    (folder / "a-incidents.jsonl").write_text(jsonl(RECORDS[:3]), encoding="utf-8")
    (folder / "notes.txt").write_text("not a log\n", encoding="utf-8")
    names = [str(folder / "a-incidents.jsonl"), str(folder / "b-requests.jsonl")]
    from_folder = run_json(contract, "--events", str(folder), "--at", AT)
    assert [a["name"] for a in from_folder["inputs"]] == names  # sorted; notes.txt left alone
    assert outcomes(from_folder) == EXPECTED
    from_glob = run_json(contract, "--events", str(folder / "*.jsonl"), "--at", AT)
    assert from_glob == from_folder
    assert run(contract, "--events", str(folder / "*.csv"), "--at", AT).exit_code == 2


def test_standard_input(contract: str, log: str) -> None:
    report = run_json(contract, "--events", "-", "--at", AT, input=jsonl(RECORDS))
    assert outcomes(report) == EXPECTED
    assert report["inputs"][0]["name"] == "<stdin>"
    assert without_inputs(report) == without_inputs(run_json(contract, "--events", log, "--at", AT))


def test_field_mapping_on_the_command_line(contract: str, tmp_path: Path) -> None:
    renamed = []
    for record in RECORDS:
        record = dict(record)
        if "start" in record:
            record["begin_time"] = record.pop("start")
        if "end" in record:
            record["finish"] = record.pop("end")
        renamed.append(record)
    path = tmp_path / "export.jsonl"
    path.write_text(jsonl(renamed), encoding="utf-8")
    report = run_json(
        contract,
        "--events",
        str(path),
        "--map",
        "start=begin_time",
        "--map",
        "end=finish",
        "--at",
        AT,
    )
    assert outcomes(report) == EXPECTED
    # Unmapped, the incidents have no `start`: availability cannot read them as intervals, and
    # they are rejected rather than silently counted as no down time (issue 11).
    unmapped = run(contract, "--events", str(path), "--at", AT)
    assert unmapped.exit_code == 2
    assert (
        "export.jsonl:1: no `start`, which the contract needs to read it as an interval"
        in unmapped.output
    )
    bad = run(contract, "--events", str(path), "--map", "start", "--at", AT)
    assert bad.exit_code == 2
    assert "canonical=source" in bad.output


def test_naive_timestamps_are_read_in_the_contract_timezone_and_counted(
    contract: str, tmp_path: Path
) -> None:
    naive = [dict(r) for r in RECORDS]
    naive[0]["start"] = "2026-01-10T10:00:00"  # Berlin time, as +01:00 above
    naive[0]["end"] = "2026-01-10T11:00:00"
    naive[3]["time"] = "2026-01-02T10:00:00.125"
    path = tmp_path / "naive.jsonl"
    path.write_text(jsonl(naive), encoding="utf-8")
    report = run_json(contract, "--events", str(path), "--at", AT)
    assert outcomes(report) == EXPECTED
    assert report["inputs"][0]["naive_timestamps"] == 3
    assert "3 timestamps without offset" in run(contract, "--events", str(path), "--at", AT).stdout


# -------------------------------------------------------------------------------- the window


def test_window_hides_verdicts_but_changes_no_value(contract: str, log: str) -> None:
    whole = run_json(contract, "--events", log, "--at", AT)
    shown = run_json(
        contract, "--events", log, "--at", AT, "--from", "2026-02-01", "--to", "2026-02-28"
    )
    assert shown["window"] == {"start": "2026-02-01", "end": "2026-02-28"}
    assert [v["period"]["label"] for v in shown["verdicts"]] == ["2026-02", "2026-02"]
    assert shown["verdicts"] == [v for v in whole["verdicts"] if v["period"]["label"] == "2026-02"]
    assert shown["inputs"] == whole["inputs"]  # the accounting covers the whole evaluation
    only_from = run_json(contract, "--events", log, "--at", AT, "--from", "2026-02-15")
    assert [v["period"]["label"] for v in only_from["verdicts"]][:2] == ["2026-02", "2026-03"]
    only_to = run_json(contract, "--events", log, "--at", AT, "--to", "2026-01-31")
    assert {v["period"]["label"] for v in only_to["verdicts"]} == {"2026-01"}


# ----------------------------------------------------------------------------------- errors


def test_contract_error_exits_2_without_traceback(tmp_path: Path, log: str) -> None:
    broken = tmp_path / "broken.sla"
    broken.write_text(CONTRACT.replace("promise uptime", "promise uptim"), encoding="utf-8")
    result = run(str(broken), "--events", log, "--at", AT)
    assert result.exit_code == 2
    assert f"{broken}:13:11: error: unknown metric" in result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_contract_without_term_exits_2(tmp_path: Path, log: str) -> None:
    path = tmp_path / "no-term.sla"
    path.write_text(CONTRACT.replace("  term 2026-01-01 to 2026-12-31\n", ""), encoding="utf-8")
    result = run(str(path), "--events", log, "--at", AT)
    assert result.exit_code == 2
    assert "no term" in result.output


@pytest.mark.parametrize(
    ("events", "message"),
    [("missing.jsonl", "no such file"), ("events.txt", "cannot tell the format")],
)
def test_unreadable_input_exits_2(contract: str, tmp_path: Path, events: str, message: str) -> None:
    (tmp_path / "events.txt").write_text("{}\n", encoding="utf-8")
    result = run(contract, "--events", str(tmp_path / events), "--at", AT, "--skip-invalid")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_evaluation_time_exits_2(contract: str, log: str) -> None:
    result = run(contract, "--events", log, "--at", "yesterday")
    assert result.exit_code == 2
    assert "--at" in result.output


BAD_LINES = [
    '{"type":"incident","severity":"high","start":"2026-01-11T10:00:00Z","end":"2026-01-11T11:00:00Z"}',
    "not json at all",
    '{"severity":1}',
    '{"type":"incident","severity":1,"start":"2026-01-12T10:00:00Z","end":"2026-01-12T09:00:00Z"}',
    '{"type":"incident","severity":1,"start":"2026-03-29T02:30:00","end":"2026-03-29T04:00:00"}',
]


def write_bad_log(tmp_path: Path, copies: int = 1) -> Path:
    path = tmp_path / "bad.jsonl"
    path.write_text(jsonl(RECORDS) + "\n".join(BAD_LINES * copies) + "\n", encoding="utf-8")
    return path


def test_bad_data_exits_2_listing_the_first_rejections_and_the_total(
    contract: str, tmp_path: Path
) -> None:
    path = write_bad_log(tmp_path)
    out = tmp_path / "report.json"
    result = run(contract, "--events", str(path), "--at", AT, "-o", str(out))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert not out.exists()
    message = result.output
    assert "5 records were rejected" in message
    for line, reason in [
        (10, "`severity` is not a number"),
        (11, "not valid JSON"),
        (12, "record without `type`"),
        (13, "ends before it starts"),
        (14, "daylight-saving gap"),
    ]:
        shown = [m for m in message.splitlines() if m.strip().startswith(f"{path}:{line}: ")]
        assert len(shown) == 1 and reason in shown[0], (line, message)


def test_many_bad_lines_show_the_first_ten_and_the_total(contract: str, tmp_path: Path) -> None:
    path = write_bad_log(tmp_path, copies=3)
    result = run(contract, "--events", str(path), "--at", AT)
    assert result.exit_code == 2
    assert "15 records were rejected" in result.output
    assert f"{path}:19:" in result.output  # the tenth
    assert f"{path}:20:" not in result.output
    assert "and 5 more" in result.output


def test_bad_data_message_names_the_option(contract: str, tmp_path: Path) -> None:
    result = run(contract, "--events", str(write_bad_log(tmp_path)), "--at", AT)
    assert "--skip-invalid" in result.output


def test_skip_invalid_goes_on_and_reports_the_rejections(contract: str, tmp_path: Path) -> None:
    path = write_bad_log(tmp_path)
    report = run_json(contract, "--events", str(path), "--at", AT, "--skip-invalid")
    assert outcomes(report) == EXPECTED
    assert report["rejected"] == 5
    assert [(r["file"], r["line"]) for r in report["rejections"]] == [
        (str(path), n) for n in range(10, 15)
    ]
    assert report["rejections"][0]["reason"] == '`severity` is not a number: "high"'
    (account,) = report["inputs"]
    assert (account["lines"], account["used"], account["rejected"]) == (14, 7, 5)
    text = run(contract, "--events", str(path), "--at", AT, "--skip-invalid")
    assert text.exit_code == 0
    assert "5 lines rejected:" in text.stdout
    assert f"{path}:11: not valid JSON" in text.stdout


def test_merge_conflict_is_bad_data(contract: str, tmp_path: Path) -> None:
    conflicting = [
        *RECORDS,
        {"type": "incident", "id": "I-9", "severity": 1, "start": "2026-01-20T10:00:00Z"},
        {"type": "incident", "id": "I-9", "severity": 2, "start": "2026-01-20T10:00:00Z"},
    ]
    path = tmp_path / "conflict.jsonl"
    path.write_text(jsonl(conflicting), encoding="utf-8")
    result = run(contract, "--events", str(path), "--at", AT)
    assert result.exit_code == 2
    assert "disagree on `severity`" in result.output
    report = run_json(contract, "--events", str(path), "--at", AT, "--skip-invalid")
    assert report["rejected"] == 2
    assert outcomes(report) == EXPECTED


def test_merged_records_are_counted(contract: str, tmp_path: Path) -> None:
    updated = [
        *RECORDS,
        # I-1 exported again later, with the same values and a note: merges, changes nothing
        {**RECORDS[0], "note": "post-mortem done", "updated": "2026-01-12T09:00:00+01:00"},
    ]
    path = tmp_path / "merged.jsonl"
    path.write_text(jsonl(updated), encoding="utf-8")
    report = run_json(contract, "--events", str(path), "--at", AT)
    assert outcomes(report) == EXPECTED
    assert report["merges"] == 1
    assert report["inputs"][0]["merged"] == 1
    assert report["inputs"][0]["lines"] == len(updated)


def test_a_contract_reading_a_reserved_field_name_is_an_input_error(tmp_path: Path) -> None:
    sla = tmp_path / "r.sla"
    sla.write_text(
        'contract r "R" version 1\n'
        "  term 2026-03-01 to 2026-04-30\n"
        '  timezone "UTC"\n\n'
        'service api "API"\n\n'
        'metric m "M"\n'
        "  count of request records where rowid > 5, per calendar month\n\n"
        'clause 1 "C"\n'
        "  promise m <= 3\n",
        encoding="utf-8",
    )
    log = tmp_path / "r.jsonl"
    log.write_text('{"type":"request","time":"2026-03-01T00:00:00Z","rowid":7}\n', encoding="utf-8")
    result = run(str(sla), "--events", str(log), "--at", "2026-05-01T00:00:00Z")
    assert result.exit_code == 2
    assert "the contract's fields cannot be read from an event log: 'rowid' is reserved" in (
        result.output
    )
    assert "Traceback" not in result.output

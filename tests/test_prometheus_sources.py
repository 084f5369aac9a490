"""Prometheus queries written in the sources file (``obligo.sources.toml`` beside the contract,
or ``--sources FILE``): read with a saved ``query_range`` answer, checked by ``obligo check``
at their lines, and given beside ``--prometheus-queries``. The real server reads them in
tests/test_prometheus_server.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from obligo.cli import cli
from obligo.events.sourcefile import parse_sources

DATA = Path(__file__).resolve().parent / "data" / "prometheus"
CONTRACT = str(DATA / "api.sla")
SOURCES = str(DATA / "api.sources.toml")
QUERIES = str(DATA / "api.prometheus.toml")
AT = "2026-04-01T00:00:00Z"
# The answer for 10 January (1,440 minutes), 43 of them failed: 1,397 / 1,440 = 97.013888889%.
SAVED = str(DATA / "probe-range.json")
PROBE = (
    '[[query]]\nrecord = "probe"\nquery = \'last_over_time(probe_success{job="api"}[1m])\'\n'
    'step = "1m"\nresponse = "probe-range.json"\n'
)
REQUESTS = (
    '[[query]]\nrecord = "requests"\nquery = \'http_requests_total{job="api"}\'\n'
    'step = "1m"\ncounter = true\n'
)


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _beside(tmp_path: Path, sources: str) -> str:
    """A copy of api.sla in a folder of its own, with ``sources`` as its obligo.sources.toml."""
    shutil.copy(CONTRACT, tmp_path / "api.sla")
    (tmp_path / "obligo.sources.toml").write_text(sources, encoding="utf-8")
    return str(tmp_path / "api.sla")


def _january(result: Result) -> tuple[str, str, list[tuple[str, int, int]]]:
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    january = report["verdicts"][0]
    assert (january["metric"], january["period"]["label"]) == ("api-uptime", "2026-01")
    accounts = [(a["name"], a["lines"], a["used"]) for a in report["inputs"]]
    return january["status"], january["value"], accounts


def test_a_saved_answer_with_the_queries_of_the_sources_file_beside_the_contract(
    tmp_path: Path,
) -> None:
    contract = _beside(tmp_path, PROBE + "\n" + REQUESTS)
    result = _run(
        "eval", contract, "--events", f"prometheus+file:{SAVED}", "--at", AT, "--format", "json"
    )
    assert _january(result) == (
        "breached",
        "97.013888889",
        [
            (
                f"prometheus+file:{SAVED} query_range"
                ' last_over_time(probe_success{job="api"}[1m]) as probe records',
                1440,
                1440,
            )
        ],
    )


def test_a_saved_answer_with_the_queries_of_sources_given() -> None:
    result = _run(
        "eval",
        CONTRACT,
        "--events",
        f"prometheus+file:{SAVED}",
        "--sources",
        SOURCES,
        "--at",
        AT,
        "--format",
        "json",
    )
    assert _january(result)[:2] == ("breached", "97.013888889")


def test_a_sources_file_and_a_queries_file_for_other_record_types_are_read_together(
    tmp_path: Path,
) -> None:
    # The probe query in the sources file, the requests query in the queries file: the saved
    # answer names the probe query's response, found among both.
    contract = _beside(tmp_path, PROBE)
    queries = tmp_path / "requests.toml"
    queries.write_text(REQUESTS, encoding="utf-8")
    result = _run(
        "eval",
        contract,
        "--events",
        f"prometheus+file:{SAVED}",
        "--prometheus-queries",
        str(queries),
        "--at",
        AT,
        "--format",
        "json",
    )
    assert _january(result)[:2] == ("breached", "97.013888889")


def test_one_record_type_queried_in_both_files_is_refused_at_its_table(tmp_path: Path) -> None:
    contract = _beside(tmp_path, PROBE)
    result = _run(
        "eval",
        contract,
        "--events",
        f"prometheus+file:{SAVED}",
        "--prometheus-queries",
        QUERIES,
        "--at",
        AT,
    )
    assert result.exit_code == 2
    assert result.output == (
        f"{QUERIES}:4:1: error: the sources file {tmp_path / 'obligo.sources.toml'} (line 1)"
        " already has a query for probe records: each record type is queried in one file only"
        " (remove this [[query]] table, or the sources file's)\n"
        '  record = "probe"\n'
        "  ^\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            PROBE.replace("step =", "  setp ="),
            "4:3: error: unknown key 'setp' in a query (did you mean 'step'?)\n"
            '    setp = "1m"\n'
            "    ^\n",
        ),
        (
            "# queries\n[[querys]]\nrecord = 'probe'\n",
            "2:1: error: a sources file has no setting 'querys' (did you mean 'query'?)\n"
            "  [[querys]]\n"
            "  ^\n",
        ),
        (
            '[[source]]\nmatch = "x.csv"\ntype = "probe"\n\n' + PROBE.replace('"1m"', '"1 m"'),
            "8:1: error: the step '1 m' is not a duration (e.g. 30s, 1m, 5m or 1h)\n"
            '  step = "1 m"\n'
            "  ^\n",
        ),
        (
            PROBE + "\n" + PROBE,
            "7:1: error: another query already makes probe records with the field 'value':"
            " their samples would be read as one\n"
            "  [[query]]\n"
            "  ^\n",
        ),
        (
            "query = 'up'\n",
            "1:1: error: write each Prometheus query as [[query]]\n  query = 'up'\n  ^\n",
        ),
    ],
)
def test_check_locates_a_bad_query_table(tmp_path: Path, text: str, message: str) -> None:
    contract = _beside(tmp_path, text)
    result = _run("check", contract)
    assert result.exit_code == 2
    assert result.output == (
        f"{tmp_path / 'obligo.sources.toml'}:{message}1 file checked: 1 error, 0 warnings\n"
    )
    # eval reads the same tables by the same rules, and stops at the same place.
    evaluated = _run("eval", contract, "--events", f"prometheus+file:{SAVED}", "--at", AT)
    assert evaluated.exit_code == 2
    assert evaluated.output.startswith(f"{tmp_path / 'obligo.sources.toml'}:{message[:6]}")


def test_check_refuses_a_step_that_is_no_slice_width_of_the_contract(tmp_path: Path) -> None:
    contract = _beside(tmp_path, PROBE.replace('"1m"', '"5m"'))
    result = _run("check", contract)
    assert result.exit_code == 2
    assert result.output == (
        f"{tmp_path / 'obligo.sources.toml'}:4:1: error: the step 300s of the query for probe"
        " records is no slice width of api-prometheus (60s): its samples would not be one a"
        " slice (write the step as the metric's `in slices of` duration)\n"
        '  step = "5m"\n'
        "  ^\n"
        "1 file checked: 1 error, 0 warnings\n"
    )


def test_check_warns_of_a_record_type_the_contract_does_not_read(tmp_path: Path) -> None:
    # A misspelt type would give every slice no data: the contract reads probe records.
    contract = _beside(tmp_path, PROBE.replace('"probe"', '"prob"'))
    result = _run("check", contract)
    warning = (
        f"{tmp_path / 'obligo.sources.toml'}:2:1: warning: no contract here reads prob records"
        " (api-prometheus): the samples of this query would be measured by nothing"
        " (did you mean 'probe'?)\n"
        '  record = "prob"\n'
        "  ^\n"
        "1 file checked: 0 errors, 1 warning\n"
    )
    assert (result.exit_code, result.output) == (0, warning)
    strict = _run("check", "--strict", contract)
    assert (strict.exit_code, strict.output) == (1, warning)


def test_check_passes_the_bundled_sources_file() -> None:
    result = _run("check", CONTRACT, "--sources", SOURCES)
    assert (result.exit_code, result.output) == (0, "1 file checked: 0 errors, 0 warnings\n")


def test_the_sources_file_and_the_queries_file_hold_the_same_tables() -> None:
    # One reader for both: the queries file's [[query]] tables, pasted into a sources file,
    # are the same queries.
    sources = parse_sources(Path(SOURCES).read_text(encoding="utf-8"), SOURCES)
    from obligo.events.prometheus import read_queries

    written = [(q.record, q.promql(), q.step, q.response) for q in sources.queries]
    assert written == [(q.record, q.promql(), q.step, q.response) for q in read_queries(QUERIES)]
    assert written[0] == (
        "probe",
        'last_over_time(probe_success{job="api"}[1m])',
        60,
        "probe-range.json",
    )


@pytest.mark.parametrize(
    "command",
    [
        ["baseline"],
        ["budget"],
        ["explain", "--clause", "1", "--period", "2026-01"],
        ["review", "--period", "2026-01"],
    ],
)
def test_a_command_other_than_eval_says_it_reads_no_prometheus(command: list[str]) -> None:
    # Before, these commands looked for a file named "prometheus+file:..." and said it was
    # missing, as though the saved answer were not there.
    result = _run(*command, CONTRACT, "--events", f"prometheus+file:{SAVED}", "--sources", SOURCES)
    assert result.exit_code == 2
    assert result.output == (
        f"error: --events prometheus+file:{SAVED}: Prometheus is read by obligo eval only, not"
        " by this command (obligo eval --events reads it; give this command the records as a"
        " file)\n"
    )

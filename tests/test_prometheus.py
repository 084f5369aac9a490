"""Prometheus in without a Prometheus server: a saved ``query_range`` answer, the queries file
and its errors, and what is sent to a server (credentials, retries, paging) observed on a small
HTTP server of the test's own. The real server is tests/test_prometheus_server.py."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner, Result

from obligo.cli import cli
from obligo.events import prometheus
from obligo.events.prometheus import PrometheusQuery, Range, read_queries

DATA = Path(__file__).resolve().parent / "data" / "prometheus"
CONTRACT = str(DATA / "api.sla")
QUERIES = str(DATA / "api.prometheus.toml")
AT = "2026-04-01T00:00:00Z"


def _eval(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["eval", CONTRACT, "--at", AT, *args], env=env)


def test_a_saved_answer_is_read_as_the_query_that_names_it() -> None:
    # probe-range.json: the answer for 10 January (1,440 minutes), 43 of them failed:
    # 1,397 / 1,440 = 97.013888889%.
    saved = str(DATA / "probe-range.json")
    result = _eval(
        "--events", f"prometheus+file:{saved}", "--prometheus-queries", QUERIES, "--format", "json"
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    january = report["verdicts"][0]
    assert (january["metric"], january["period"]["label"]) == ("api-uptime", "2026-01")
    assert (january["status"], january["value"]) == ("breached", "97.013888889")
    [account] = report["inputs"]
    assert account["name"] == (
        f'prometheus+file:{saved} query_range last_over_time(probe_success{{job="api"}}[1m])'
        " as probe records"
    )
    assert (account["lines"], account["used"]) == (1440, 1440)


def _answer(values: list[list[Any]], labels: dict[str, str] | None = None) -> dict[str, Any]:
    metric = labels if labels is not None else {"job": "api"}
    return {
        "status": "success",
        "data": {"resultType": "matrix", "result": [{"metric": metric, "values": values}]},
    }


def _queries(tmp_path: Path, text: str) -> str:
    path = tmp_path / "queries.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


ONE_QUERY = '[[query]]\nrecord = "probe"\nquery = \'probe_success{job="api"}\'\nstep = "1m"\n'


def test_nan_samples_are_no_records_and_are_counted_in_the_name(tmp_path: Path) -> None:
    # 10 January 10:01 and 10:02 (the slices 10:00 and 10:01): one down, one NaN (0/0).
    saved = tmp_path / "nan.json"
    saved.write_text(json.dumps(_answer([[1768039260, "0"], [1768039320, "NaN"]])))
    result = _eval(
        "--events",
        f"prometheus+file:{saved}",
        "--prometheus-queries",
        _queries(tmp_path, ONE_QUERY),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    [account] = report["inputs"]
    assert account["name"].endswith("as probe records, 1 NaN samples left out")
    assert account["lines"] == 1
    # The one slice measured is down: 0%.
    assert report["verdicts"][0]["value"] == "0"


def test_an_instant_query_answer_is_refused_with_a_hint(tmp_path: Path) -> None:
    saved = tmp_path / "vector.json"
    saved.write_text(
        json.dumps({"status": "success", "data": {"resultType": "vector", "result": []}})
    )
    result = _eval(
        "--events",
        f"prometheus+file:{saved}",
        "--prometheus-queries",
        _queries(tmp_path, ONE_QUERY),
    )
    assert result.exit_code == 2
    assert "not a query_range answer (a matrix), but vector" in result.output
    assert "save the answer of /api/v1/query_range, not of /api/v1/query" in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[query]]\nrecord = 'probe'\nquery = 'up'\n", "1:1: error: the query has no 'step'"),
        (
            "[[query]]\nrecord = 'probe'\nquery = 'up'\nstep = '1 minute'\n",
            "4:1: error: the step '1 minute' is not a duration (e.g. 30s, 1m, 5m or 1h)",
        ),
        (
            "[[query]]\nrecord = 'probe'\nquery = 'up'\nstep = '1m'\n\n"
            "[[query]]\nrecord = 'probe'\nquery = 'up'\nstep = '1m'\n  labels = 1\n",
            "10:3: error: unknown key 'labels' in a query",
        ),
        (
            "[[query]]\nrecord = 'probe'\nquery = 'up'\nstep = '1m'\nfield = 'time'\n",
            "5:1: error: 'field' names the field that takes the sample's value (not type or time)",
        ),
        ("server = 'x'\n", "1:1: error: unknown key 'server' in the Prometheus queries file"),
        ("# nothing\n", "1:1: error: the Prometheus queries file has no [[query]] table"),
    ],
)
def test_queries_file_errors_are_located(tmp_path: Path, text: str, message: str) -> None:
    path = _queries(tmp_path, text)
    result = _eval("--events", "prometheus+http://127.0.0.1:9", "--prometheus-queries", path)
    assert result.exit_code == 2
    assert result.output.startswith(f"{path}:{message}"), result.output
    assert "Traceback" not in result.output


def test_a_toml_error_is_located(tmp_path: Path) -> None:
    path = _queries(tmp_path, "[[query]]\nrecord = 'probe'\nstep = 1m\n")
    result = _eval("--events", "prometheus+http://127.0.0.1:9", "--prometheus-queries", path)
    assert result.exit_code == 2
    assert result.output.startswith(f"{path}:3:9: error: not a TOML queries file: ")


def test_a_prometheus_source_needs_a_queries_file() -> None:
    result = _eval("--events", "prometheus+http://127.0.0.1:9")
    assert result.exit_code == 2
    assert "a Prometheus source needs [[query]] tables (write them in obligo.sources.toml" in (
        result.output
    )


def test_credentials_are_not_written_in_the_source(tmp_path: Path) -> None:
    result = _eval(
        "--events",
        "prometheus+http://me:secret@127.0.0.1:9",
        "--prometheus-queries",
        _queries(tmp_path, ONE_QUERY),
    )
    assert result.exit_code == 2
    assert "credentials are not written in the source" in result.output
    assert "secret" not in result.output


def test_pages_cover_the_slices_without_overlap_or_gap() -> None:
    query = PrometheusQuery(record="probe", query="up", step=60)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    span = Range.over(query, start, start + dt.timedelta(days=14))
    assert span is not None
    pages = list(span.pages())
    # 20,160 slices, ending at 00:01 on 1 January to 00:00 on 15 January: three pages.
    assert [(b - a) // 60 + 1 for a, b in pages] == [10_000, 10_000, 160]
    assert pages[0][0] == int(start.timestamp()) + 60
    assert all(b + 60 == c for (_, b), (c, _) in itertools.pairwise(pages))
    assert pages[-1][1] == int(start.timestamp()) + 14 * 86400


# ----------------------------------------------------------- a small server of the test's own
class _Recorder(BaseHTTPRequestHandler):
    """Answers query_range: the failures queued first, then one down minute; records what it
    was sent."""

    seen: ClassVar[list[tuple[str | None, dict[str, list[str]]]]] = []
    failures: ClassVar[list[int]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        type(self).seen.append((self.headers.get("Authorization"), form))
        if type(self).failures:
            code = type(self).failures.pop(0)
            body = json.dumps({"status": "error", "error": f"failure {code}"}).encode()
        else:
            code = 200
            first = int(form["start"][0])
            body = json.dumps(_answer([[first, "0"]])).encode()
        self.send_response(code)
        if 300 <= code < 400:
            self.send_header("Location", "http://elsewhere.invalid/api/v1/query_range")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    _Recorder.seen.clear()
    _Recorder.failures.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _against(url: str, tmp_path: Path, env: dict[str, str]) -> Result:
    return CliRunner().invoke(
        cli,
        [
            "eval",
            CONTRACT,
            "--events",
            f"prometheus+{url}",
            "--prometheus-queries",
            _queries(tmp_path, ONE_QUERY),
            "--at",
            "2026-01-01T00:05:00Z",
        ],
        env=env,
    )


def test_a_bearer_token_from_the_environment(recorder: str, tmp_path: Path) -> None:
    result = _against(recorder, tmp_path, {"OBLIGO_PROMETHEUS_TOKEN": "t0ken"})
    assert result.exit_code == 0, result.output
    [(authorization, form)] = _Recorder.seen
    assert authorization == "Bearer t0ken"
    # 00:00 to 00:05: five slices, asked as their ends 00:01 to 00:05, a minute apart.
    assert form["query"] == ['probe_success{job="api"}']
    assert (form["start"], form["end"], form["step"]) == (["1767225660"], ["1767225900"], ["60s"])


def test_basic_auth_from_the_environment(recorder: str, tmp_path: Path) -> None:
    env = {"OBLIGO_PROMETHEUS_USER": "obligo", "OBLIGO_PROMETHEUS_PASSWORD": "pa:ss"}
    result = _against(recorder, tmp_path, env)
    assert result.exit_code == 0, result.output
    expected = "Basic " + base64.b64encode(b"obligo:pa:ss").decode()
    assert _Recorder.seen[0][0] == expected


def test_a_failure_that_may_pass_is_tried_again(
    recorder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prometheus.time, "sleep", lambda seconds: None)
    _Recorder.failures.extend([503, 429])
    result = _against(recorder, tmp_path, {})
    assert result.exit_code == 0, result.output
    assert len(_Recorder.seen) == 3


def test_a_page_that_keeps_failing_stops_the_evaluation(
    recorder: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prometheus.time, "sleep", lambda seconds: None)
    _Recorder.failures.extend([503, 503, 503])
    result = _against(recorder, tmp_path, {})
    assert result.exit_code == 2
    assert len(_Recorder.seen) == 3
    assert (
        f"Prometheus at {recorder} failed the query 'probe_success{{job=\"api\"}}' from"
        " 2026-01-01T00:01:00Z to 2026-01-01T00:05:00Z: HTTP 503: failure 503;"
        " the evaluation stops rather than leave a gap"
    ) in result.output


def test_a_refused_request_is_not_tried_again(recorder: str, tmp_path: Path) -> None:
    _Recorder.failures.append(401)
    result = _against(recorder, tmp_path, {})
    assert result.exit_code == 2
    assert len(_Recorder.seen) == 1
    assert "HTTP 401: failure 401" in result.output


def test_queries_file_read_back() -> None:
    probe, requests = read_queries(QUERIES)
    assert probe.promql() == 'last_over_time(probe_success{job="api"}[1m])'
    assert (probe.step, probe.response) == (60, "probe-range.json")
    assert requests.promql() == 'increase(http_requests_total{job="api"}[60s])'


def _blocks(language: str) -> list[str]:
    text = (Path(__file__).resolve().parent.parent / "docs" / "prometheus.md").read_text("utf-8")
    return [part.split("```", 1)[0] for part in text.split(f"```{language}\n")[1:]]


def test_the_docs_examples_are_the_tested_files(tmp_path: Path) -> None:
    [sla] = _blocks("sla")
    contract = (DATA / "api.sla").read_text(encoding="utf-8")
    assert sla in contract
    [toml] = _blocks("toml")
    probe, requests = read_queries(_queries(tmp_path, toml))
    assert (probe.record, probe.promql(), probe.step) == (
        "probe",
        'last_over_time(probe_success{job="api"}[1m])',
        60,
    )
    assert requests.promql() == 'increase(http_requests_total{job="api"}[60s])'


def test_a_redirect_is_not_followed(recorder: str, tmp_path: Path) -> None:
    # Following it would send the token to another address.
    _Recorder.failures.append(302)
    result = _against(recorder, tmp_path, {"OBLIGO_PROMETHEUS_TOKEN": "t0ken"})
    assert result.exit_code == 2
    assert len(_Recorder.seen) == 1
    assert "HTTP 302: failure 302" in result.output
    assert "t0ken" not in result.output


def test_an_answer_with_a_warning_stops_the_evaluation(tmp_path: Path) -> None:
    answer = _answer([[1768039260, "1"]])
    answer["warnings"] = ["remote store failed: partial data"]
    saved = tmp_path / "warned.json"
    saved.write_text(json.dumps(answer))
    result = _eval(
        "--events",
        f"prometheus+file:{saved}",
        "--prometheus-queries",
        _queries(tmp_path, ONE_QUERY),
    )
    assert result.exit_code == 2
    assert "with a warning, the answer may be partial: remote store failed: partial data" in (
        result.output
    )


def test_a_step_that_is_no_slice_width_of_the_contract_is_refused_at_its_line(
    tmp_path: Path,
) -> None:
    # api.sla measures in slices of 1 minute: 5-minute samples would leave four slices in five
    # without data, and the availability would be measured on a fifth of the time.
    path = _queries(tmp_path, "[[query]]\nrecord = 'probe'\nquery = 'up'\n  step = '5m'\n")
    result = _eval("--events", "prometheus+http://127.0.0.1:9", "--prometheus-queries", path)
    assert result.exit_code == 2
    assert result.output.startswith(
        f"{path}:4:3: error: the step 300s of the query for probe records is no slice width of"
        " api-prometheus (60s): its samples would not be one a slice (write the step as the"
        " metric's `in slices of` duration)\n    step = '5m'\n    ^"
    ), result.output

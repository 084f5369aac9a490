"""Prometheus in, against a real Prometheus server (Debian's ``prometheus`` package; .ci/run
installs it): three months of history backfilled with ``promtool tsdb create-blocks-from
openmetrics`` (tests/prometheus_history.py), the server started on a free loopback port with its
own data folder, and ``obligo eval --events prometheus+http://...`` checked verdict by verdict
against the numbers worked out by hand below. Without Prometheus the tests fail, saying how to
install it: they never skip."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from obligo.cli import cli
from prometheus_history import history

DATA = Path(__file__).resolve().parent / "data" / "prometheus"
CONTRACT = str(DATA / "api.sla")
QUERIES = str(DATA / "api.prometheus.toml")
SOURCES = str(DATA / "api.sources.toml")
AT = "2026-04-01T00:00:00Z"
INSTALL = (
    "Prometheus is needed by this test: install Debian's package without starting its service"
    " (`apt-get install -y prometheus`; .ci/run does this when it is missing)"
)


def _tool(name: str) -> str:
    found = shutil.which(name) or (
        f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
    )
    if found is None:
        pytest.fail(f"{name} not found. {INSTALL}")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Prometheus server over the backfilled history: its base URL."""
    prometheus, promtool = _tool("prometheus"), _tool("promtool")
    folder = tmp_path_factory.mktemp("prometheus")
    source = folder / "history.om"
    source.write_text(history(), encoding="utf-8")
    data = folder / "data"
    # Blocks of up to 1458 hours (a few for three months) rather than promtool's 2-hour default
    # (a thousand blocks, minutes to write and to open).
    subprocess.run(
        [
            promtool,
            "tsdb",
            "create-blocks-from",
            "openmetrics",
            "--max-block-duration=1458h",
            "-q",
            str(source),
            str(data),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    config = folder / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 1h\nscrape_configs: []\n", encoding="utf-8")
    port = _free_port()
    log = (folder / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            prometheus,
            f"--config.file={config}",
            f"--storage.tsdb.path={data}",
            # The history is months old: a long retention keeps its blocks.
            "--storage.tsdb.retention.time=100y",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/-/ready", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                output = (folder / "prometheus.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"Prometheus did not become ready on {url}:\n{output}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _eval(*args: str) -> Result:
    return CliRunner().invoke(
        cli, ["eval", CONTRACT, "--prometheus-queries", QUERIES, "--at", AT, *args]
    )


def test_verdicts_on_three_months_of_history(server: str) -> None:
    result = _eval("--events", f"prometheus+{server}", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    verdicts = {
        (v["metric"], v["period"]["label"]): (v["status"], v["value"]) for v in report["verdicts"]
    }
    # January: 44,640 minutes, the probe failed for 43 of them: 44,597 / 44,640.
    assert verdicts["api-uptime", "2026-01"] == ("met", "99.903673835")
    # February: 40,320 minutes, 60 without a sample (no data: left out), 45 failed:
    # 40,215 / 40,260.
    assert verdicts["api-uptime", "2026-02"] == ("breached", "99.888226528")
    assert verdicts["api-uptime", "2026-03"] == ("met", "100")
    # Requests only from 1 to 7 March (10,080 minutes), 10 of them with 20% errors:
    # 10,070 / 10,080; before March no minute has requests: no data.
    assert verdicts["api-success", "2026-03"] == ("breached", "99.900793651")
    assert verdicts["api-success", "2026-01"] == ("no_data", None)
    assert verdicts["api-success", "2026-02"] == ("no_data", None)
    # The report names what was asked: the queries as sent, the slices and the step; every
    # sample is a line (90 days of minutes less the 60 missing; two series of 10,080 minutes).
    accounts = {a["name"]: (a["lines"], a["used"], a["rejected"]) for a in report["inputs"]}
    assert accounts == {
        f'prometheus+{server} query_range last_over_time(probe_success{{job="api"}}[1m]),'
        " slices 2026-01-01T00:00:00Z to 2026-04-01T00:00:00Z step 60s as probe records": (
            129_540,
            129_540,
            0,
        ),
        f'prometheus+{server} query_range increase(http_requests_total{{job="api"}}[60s]),'
        " slices 2026-01-01T00:00:00Z to 2026-04-01T00:00:00Z step 60s as requests records": (
            20_160,
            20_160,
            0,
        ),
    }


def test_the_queries_of_a_sources_file_give_the_same_verdicts(server: str) -> None:
    # The same [[query]] tables in the sources file (--sources; obligo.sources.toml beside the
    # contract is read the same way): the same queries sent, the same verdicts, the same report.
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            CONTRACT,
            "--sources",
            SOURCES,
            "--events",
            f"prometheus+{server}",
            "--at",
            AT,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    verdicts = {
        (v["metric"], v["period"]["label"]): (v["status"], v["value"]) for v in report["verdicts"]
    }
    assert verdicts["api-uptime", "2026-01"] == ("met", "99.903673835")
    assert verdicts["api-uptime", "2026-02"] == ("breached", "99.888226528")
    assert verdicts["api-success", "2026-03"] == ("breached", "99.900793651")
    assert [(a["name"], a["lines"]) for a in report["inputs"]] == [
        (
            f'prometheus+{server} query_range last_over_time(probe_success{{job="api"}}[1m]),'
            " slices 2026-01-01T00:00:00Z to 2026-04-01T00:00:00Z step 60s as probe records",
            129_540,
        ),
        (
            f'prometheus+{server} query_range increase(http_requests_total{{job="api"}}[60s]),'
            " slices 2026-01-01T00:00:00Z to 2026-04-01T00:00:00Z step 60s as requests records",
            20_160,
        ),
    ]
    with_queries_file = _eval("--events", f"prometheus+{server}", "--format", "json")
    assert with_queries_file.output == result.output


def test_the_same_answers_twice_give_the_same_report(server: str) -> None:
    first = _eval("--events", f"prometheus+{server}", "--format", "openmetrics")
    second = _eval("--events", f"prometheus+{server}", "--format", "openmetrics")
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    assert (
        'obligo_objective_value{contract="api-prometheus",clause="1",metric="api-uptime",'
        'objective="api-uptime >= 99.9%",period="2026-01",unit="%"} 99.903673835'
    ) in first.output


def test_a_query_the_server_refuses_stops_the_evaluation(server: str, tmp_path: Path) -> None:
    queries = tmp_path / "bad.toml"
    queries.write_text(
        '[[query]]\nrecord = "probe"\nquery = "probe_success{job=}"\nstep = "1m"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            CONTRACT,
            "--events",
            f"prometheus+{server}",
            "--prometheus-queries",
            str(queries),
            "--at",
            AT,
        ],
    )
    assert result.exit_code == 2
    assert f"Prometheus at {server} failed the query 'probe_success{{job=}}'" in result.output
    assert "HTTP 400: 1:19: parse error" in result.output
    assert "the evaluation stops rather than leave a gap" in result.output
    assert "Traceback" not in result.output


def test_without_prometheus_the_test_fails_saying_how_to_install_it() -> None:
    with pytest.raises(pytest.fail.Exception, match=r"apt-get install -y prometheus"):
        _tool("obligo-no-such-prometheus")

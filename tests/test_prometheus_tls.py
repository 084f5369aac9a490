"""Prometheus over HTTPS and with a timeout, as docs/prometheus.md ("Authentication, TLS,
timeouts") promises: a server whose certificate a CA bundle given in OBLIGO_PROMETHEUS_CA vouches
for is read; without that bundle the certificate is refused and the evaluation stops; a server
slower than OBLIGO_PROMETHEUS_TIMEOUT is a failure that stops it too. The servers are the test's
own, on loopback; the certificate is made by `openssl` for the test."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
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

DATA = Path(__file__).resolve().parent / "data" / "prometheus"
CONTRACT = str(DATA / "api.sla")
QUERY = '[[query]]\nrecord = "probe"\nquery = \'probe_success{job="api"}\'\nstep = "1m"\n'


class _Probe(BaseHTTPRequestHandler):
    """Answers query_range with one down minute at the first slice, after ``delay`` seconds;
    records the form of each request."""

    delay: ClassVar[float] = 0.0
    seen: ClassVar[list[dict[str, list[str]]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        type(self).seen.append(form)
        # Not time.sleep: the tests make obligo's pauses between tries instant by patching it.
        threading.Event().wait(type(self).delay)
        first = int(form["start"][0])
        series = {"metric": {"job": "api"}, "values": [[first, "0"]]}
        body = json.dumps(
            {"status": "success", "data": {"resultType": "matrix", "result": [series]}}
        ).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up waiting (the timeout test)
            pass

    def log_message(self, *args: Any) -> None:
        pass


def _serve(server: ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    _Probe.seen.clear()
    _Probe.delay = 0.0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its own CA) and its key."""
    openssl = shutil.which("openssl")
    assert openssl, "the TLS test needs openssl (apt-get install openssl)"
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "server.pem", folder / "server.key"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def https_server(certificate: tuple[Path, Path]) -> Iterator[str]:
    cert, key = certificate
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Probe)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    for running in _serve(server):
        yield f"https://127.0.0.1:{running.server_address[1]}"


@pytest.fixture
def http_server() -> Iterator[str]:
    for running in _serve(ThreadingHTTPServer(("127.0.0.1", 0), _Probe)):
        yield f"http://127.0.0.1:{running.server_address[1]}"


def _against(url: str, tmp_path: Path, env: dict[str, str]) -> Result:
    queries = tmp_path / "queries.toml"
    queries.write_text(QUERY, encoding="utf-8")
    return CliRunner().invoke(
        cli,
        [
            "eval",
            CONTRACT,
            "--events",
            f"prometheus+{url}",
            "--prometheus-queries",
            str(queries),
            "--at",
            "2026-01-01T00:05:00Z",
            "--format",
            "json",
        ],
        env=env,
    )


def test_a_server_the_ca_bundle_vouches_for_is_read_over_https(
    https_server: str, certificate: tuple[Path, Path], tmp_path: Path
) -> None:
    cert, _ = certificate
    result = _against(https_server, tmp_path, {"OBLIGO_PROMETHEUS_CA": str(cert)})
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    # Five slices asked (00:00 to 00:05), one sample: the first minute down.
    [account] = report["inputs"]
    assert account["name"] == (
        f'prometheus+{https_server} query_range probe_success{{job="api"}},'
        " slices 2026-01-01T00:00:00Z to 2026-01-01T00:05:00Z step 60s as probe records"
    )
    assert (account["lines"], account["used"]) == (1, 1)
    assert len(_Probe.seen) == 1


def test_a_certificate_nobody_vouches_for_stops_the_evaluation(
    https_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prometheus.time, "sleep", lambda seconds: None)
    result = _against(https_server, tmp_path, {"OBLIGO_PROMETHEUS_CA": ""})
    assert result.exit_code == 2
    assert f"Prometheus at {https_server} failed the query" in result.output
    assert "CERTIFICATE_VERIFY_FAILED" in result.output
    assert "the evaluation stops rather than leave a gap" in result.output
    assert "Traceback" not in result.output
    assert _Probe.seen == []  # the request never reached the server


def test_a_ca_bundle_that_cannot_be_read_is_named(https_server: str, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-ca.pem"
    result = _against(https_server, tmp_path, {"OBLIGO_PROMETHEUS_CA": str(missing)})
    assert result.exit_code == 2
    assert result.output.startswith(
        f"error: cannot read the certificate authority file {missing}: [Errno 2] No such file"
    ), result.output


def test_a_server_slower_than_the_timeout_stops_the_evaluation(
    http_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prometheus.time, "sleep", lambda seconds: None)
    _Probe.delay = 1.5
    result = _against(http_server, tmp_path, {"OBLIGO_PROMETHEUS_TIMEOUT": "0.3"})
    assert result.exit_code == 2
    assert (
        f"Prometheus at {http_server} failed the query 'probe_success{{job=\"api\"}}' from"
        " 2026-01-01T00:01:00Z to 2026-01-01T00:05:00Z: no answer (timed out);"
        " the evaluation stops rather than leave a gap"
    ) in result.output
    # A timeout may pass: tried 3 times; the query's own timeout is at least 1 s.
    assert len(_Probe.seen) == 3
    assert {form["timeout"][0] for form in _Probe.seen} == {"1s"}


def test_the_timeout_is_sent_with_the_query(http_server: str, tmp_path: Path) -> None:
    result = _against(http_server, tmp_path, {"OBLIGO_PROMETHEUS_TIMEOUT": "45"})
    assert result.exit_code == 0, result.output
    assert [form["timeout"] for form in _Probe.seen] == [["45s"]]


@pytest.mark.parametrize("written", ["soon", "0", "-5"])
def test_a_timeout_that_is_no_number_of_seconds_is_refused(
    http_server: str, tmp_path: Path, written: str
) -> None:
    result = _against(http_server, tmp_path, {"OBLIGO_PROMETHEUS_TIMEOUT": written})
    assert result.exit_code == 2
    assert result.output.startswith(
        f"error: OBLIGO_PROMETHEUS_TIMEOUT={written!r} is not a number of seconds above 0"
    ), result.output
    assert _Probe.seen == []

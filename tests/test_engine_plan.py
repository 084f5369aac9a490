"""The plan pass: the metrics' grouped queries merged into the fewest scans of the log.

What a user relies on: the same numbers whether a metric is measured alone or in a shared
scan (every bundled sample, and contracts built to share), the plan printed by ``eval --plan``,
and the promise that 30 metrics over one record type and grid read the log once.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import obligo
from obligo.cli import cli
from obligo.engine.context import EvaluationContext
from obligo.engine.measure import slices
from obligo.engine.run import session as session_module
from obligo.engine.run.session import planned
from obligo.render import report_json
from obligo.resolve.resolver import check_and_resolve

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p.parent.name for p in (REPO / "contracts").glob("*/eval.json"))
AT = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)

HEAD = """contract plan-test "Plan test" version 1
  term 2026-03-01 to 2026-03-31
  timezone "UTC"
  field latency_ms in ms
"""


def _metrics(count: int) -> str:
    """``count`` metrics over request records, every one ``by service``, a third of each kind:
    ratios with their own latency bound, percentiles, 1-minute slice availabilities."""
    parts = []
    for k in range(count):
        kind = k % 3
        if kind == 0:
            body = (
                f"  ratio of count(request records where status < 500 and latency_ms < {100 + k})"
                " to count(request records), per calendar month, by service\n"
            )
        elif kind == 1:
            body = f"  p{50 + k} of latency_ms in request records, per calendar month, by service\n"
        else:
            body = (
                "  availability, per calendar month, by service\n"
                "  in slices of 1 minute\n"
                "  error-rate = count(request records where status >= 500) / count(request records)\n"
                f"  a slice is down when error-rate > {1 + k}%\n"
                "  a slice without request records is up\n"
            )
        target = ">= 90%" if kind != 1 else "<= 300 ms"
        parts.append(f'\nmetric m{k} "Metric {k}"\n{body}')
        parts.append(f'\nclause {k + 1} "Clause {k + 1}"\n  promise m{k} {target}\n')
    return HEAD + "".join(parts)


def _records(seed: int, count: int = 600) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    found = []
    for _ in range(count):
        when = start + dt.timedelta(seconds=rng.randrange(0, 3 * 3600))
        found.append(
            {
                "type": "request",
                "time": when.isoformat().replace("+00:00", "Z"),
                "service": rng.choice(["api", "web", "db"]),
                "status": rng.choice([200, 200, 200, 404, 503]),
                "latency_ms": rng.randrange(1, 400),
            }
        )
    return found


def _unplanned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Measure every metric alone, as before the plan: no shared scans, no partitions, slices
    judged in Python."""

    def nothing(ctx: EvaluationContext, metrics: Any) -> Any:
        ctx.scans.planned.add("(no plan)")
        return ctx.scans

    monkeypatch.setattr(session_module, "plan_measurements", nothing)
    monkeypatch.setattr(slices, "_state_sql", lambda *args: None)


def _report(contract: obligo.Contract, records: list[dict[str, Any]]) -> str:
    return report_json([obligo.evaluate(contract, records, AT)])


def test_thirty_metrics_over_one_type_and_grid_make_one_scan_per_grid() -> None:
    contract = obligo.parse(_metrics(30))
    plan = planned(check_and_resolve(contract), AT)
    grids = sorted(scan["grid"] for scan in plan.describe())
    assert grids == [
        "request records in slices of 1 minute, by service",
        "request records per calendar month, by service",
    ]
    feeds = {scan["grid"]: len(scan["feeds"]) for scan in plan.describe()}
    assert feeds == {grids[0]: 10, grids[1]: 20}


def test_the_log_is_read_once_per_grid(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    query = EvaluationContext.query

    def counted(self: EvaluationContext, sql: str, params: Any = ()) -> Any:
        read.append(sql)
        return query(self, sql, params)

    monkeypatch.setattr(EvaluationContext, "query", counted)
    obligo.evaluate(obligo.parse(_metrics(30)), _records(1), AT)
    grids = [
        sql for sql in read if sql.startswith(("SELECT e._obligo_idx", "SELECT _obligo_slice"))
    ]
    assert len(grids) == 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shared_scans_give_the_numbers_of_metrics_measured_alone(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract = obligo.parse(_metrics(12))
    records = _records(seed)
    together = _report(contract, records)
    _unplanned(monkeypatch)
    assert _report(contract, records) == together


def _services(count: int) -> str:
    """One metric per service, each reading its own service's records (no ``by``)."""
    parts = []
    for k in range(count):
        where = f'service = "s{k}"'
        measure = [
            f"ratio of count(request records where {where} and status < 500)"
            f" to count(request records where {where}), per calendar month",
            f"p90 of latency_ms in request records where {where}, per calendar month",
            f"count of request records where status >= 500 and {where}, per calendar month",
            f"maximum of latency_ms in request records where {where}, per calendar month",
        ][k % 4]
        target = [">= 90%", "<= 300 ms", "<= 10", "<= 390 ms"][k % 4]
        parts.append(f'\nmetric m{k} "Metric {k}"\n  {measure}\n')
        parts.append(f'\nclause {k + 1} "Clause {k + 1}"\n  promise m{k} {target}\n')
    return HEAD + "".join(parts)


def test_metrics_over_one_service_each_are_the_cells_of_one_scan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    contract = obligo.parse(_services(40))
    plan = planned(check_and_resolve(contract), AT)
    cells = [s for s in plan.describe() if "per value of service" in s["grid"]]
    assert len(cells) == 1 and len(cells[0]["feeds"]) == 40
    rng = random.Random(7)
    records = _records(4)
    for record in records:  # forty services, some without any record in the month
        record["service"] = f"s{rng.randrange(0, 45)}"
    records.append({"type": "request", "time": "2026-03-02T00:00:00Z", "status": 200})
    together = _report(contract, records)
    _unplanned(monkeypatch)
    assert _report(contract, records) == together


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_gives_the_same_report_with_and_without_the_plan(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = json.loads((REPO / "contracts" / name / "eval.json").read_text(encoding="utf-8"))
    args = [spec["contract"], *(a for p in spec["events"] for a in ("--events", p))]
    args += ["--at", spec["at"], "--format", "json"]
    runner = CliRunner()
    monkeypatch.chdir(REPO)
    planned_out = runner.invoke(cli, ["eval", *args])
    _unplanned(monkeypatch)
    alone_out = runner.invoke(cli, ["eval", *args])
    assert planned_out.exit_code == alone_out.exit_code
    assert planned_out.output == alone_out.output


def test_eval_plan_prints_the_scans_and_reads_no_log(tmp_path: Path) -> None:
    path = tmp_path / "c.sla"
    path.write_text(_metrics(6), encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(cli, ["eval", str(path), "--plan", "--at", "2026-04-01T00:00:00Z"])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("plan of plan-test: 2 scans of the log\n")
    assert "scan 1: request records per calendar month, by service\n" in done.output
    assert "  feeds 4 metrics: m0, m1, m3, m4\n" in done.output
    as_json = runner.invoke(
        cli, ["eval", str(path), "--plan", "--at", "2026-04-01T00:00:00Z", "--format", "json"]
    )
    assert as_json.exit_code == 0, as_json.output
    scans = json.loads(as_json.output)["agreements"][0]["scans"]
    assert [len(s["feeds"]) for s in scans] == [4, 2]
    assert all(s["sql"].count("?") == len(s["params"]) for s in scans)


def test_eval_without_events_or_plan_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "c.sla"
    path.write_text(_metrics(3), encoding="utf-8")
    done = CliRunner().invoke(cli, ["eval", str(path)])
    assert done.exit_code == 2
    assert "Missing option '--events'" in done.output


def test_a_service_without_values_or_records_reads_as_when_measured_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Cells of a partitioned scan that hold records without the percentile's field, or no
    record of the service at all in a period, give what the metric measured alone gives (a
    percentile of no values: no row; a count of nothing: 0)."""
    contract = obligo.parse(_services(8))
    records = [
        {"type": "request", "time": "2026-03-02T00:00:00Z", "service": "s1", "status": 200},
        {"type": "request", "time": "2026-03-02T00:00:00Z", "service": "s5", "status": 200},
        {"type": "request", "time": "2026-03-03T00:00:00Z", "service": "s0", "status": 200,
         "latency_ms": 12},
        {"type": "request", "time": "2026-03-04T00:00:00Z", "service": "s2", "status": 503,
         "latency_ms": 40},
    ]  # fmt: skip
    plan = planned(check_and_resolve(contract), AT)
    assert any("per value of service" in s["grid"] for s in plan.describe())
    together = _report(contract, records)
    _unplanned(monkeypatch)
    assert _report(contract, records) == together


def test_a_metric_the_plan_cannot_write_is_measured_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Planning never fails an evaluation: a metric whose queries cannot be written is left
    out of the plan and measured on its own, with the numbers it always had."""
    from obligo.engine.measure import aggregates

    contract = obligo.parse(_metrics(6))
    records = _records(5)
    expected = _report(contract, records)
    real = aggregates.ratio_query
    calls = {"n": 0}

    def failing_while_planned(metric: Any, ctx: EvaluationContext) -> Any:
        if not ctx.scans.planned and metric.id == "m0":
            calls["n"] += 1
            raise ValueError("cannot be planned")
        return real(metric, ctx)

    monkeypatch.setattr(aggregates, "ratio_query", failing_while_planned)
    assert _report(contract, records) == expected
    assert calls["n"] > 0


RECORDS_CONTRACT = """contract reads "Record reads" version 1
  term 2026-03-01 to 2026-04-30
  timezone "Europe/Berlin"

exclusion maintenance "Announced maintenance"
  maintenance records
  valid when announced at least 2 days before start
  excluded from the period

metric uptime "Availability"
  availability, per calendar month, by region
  down during incident records where severity <= 2
  excluding maintenance

metric repair "Repair"
  mean time to repair of incident records where severity = 1, per calendar month

metric outage "Outage"
  total duration of incident records, per calendar month

metric answered "Answered within target"
  share of ticket records within target, per calendar month, by priority
  duration from opened to answered
  target "1" 4 hours
  target 1 day

clause 1 "All"
  promise uptime >= 99.9%
  promise repair <= 2 hours
  promise outage <= 1 hour
  promise answered >= 90%
"""


def _interval_log(seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    base = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)

    def at(minutes: int) -> str:
        return (base + dt.timedelta(minutes=minutes)).isoformat()

    log: list[dict[str, Any]] = []
    for n in range(60):
        start = rng.randrange(0, 60 * 24 * 61)
        record: dict[str, Any] = {"type": "incident", "start": at(start)}
        if rng.random() < 0.9:
            record["end"] = at(start + rng.randrange(1, 300))
        record["severity"] = rng.choice([1, 2, 3])
        if rng.random() < 0.8:
            record["region"] = rng.choice(["eu", "us"])
        if rng.random() < 0.5:
            record["id"] = f"INC-{n}"
        log.append(record)
        if rng.random() < 0.3:  # another alike in time, id and end: ordered as in the log
            twin = {k: v for k, v in record.items() if k != "id"}
            log.append({**twin, "region": rng.choice(["eu", "us"]), "severity": 1})
    for _ in range(10):
        start = rng.randrange(0, 60 * 24 * 61)
        log.append(
            {
                "type": "maintenance",
                "start": at(start),
                "end": at(start + 120),
                "announced": at(start - rng.choice([60, 60 * 24 * 3])),
                "region": rng.choice(["eu", "us"]),
            }
        )
    for n in range(80):
        opened = rng.randrange(0, 60 * 24 * 61)
        ticket: dict[str, Any] = {
            "type": "ticket",
            "id": f"T-{n}",
            "time": at(opened),
            "opened": at(opened),
            "priority": rng.choice(["1", "2"]),
        }
        if rng.random() < 0.85:
            ticket["answered"] = at(opened + rng.randrange(1, 60 * 30))
        log.append(ticket)
    return log


@pytest.mark.parametrize("seed", range(6))
def test_records_read_one_by_one_are_one_query_with_the_same_report(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Incidents (down time, MTTR, total duration), maintenance windows (an exclusion with a
    notice rule, by region) and tickets (a share within target, by priority) are read in one
    query, and the report is the one each read alone gives."""
    contract = obligo.parse(RECORDS_CONTRACT)
    log = _interval_log(seed)
    read: list[str] = []
    query = EvaluationContext.query

    def counted(self: EvaluationContext, sql: str, params: Any = ()) -> Any:
        if sql.startswith('SELECT "type", "id", "time", "start", "end"'):
            read.append(sql)
        return query(self, sql, params)

    monkeypatch.setattr(EvaluationContext, "query", counted)
    together = _report(contract, log)
    assert len(read) == 1
    described = planned(check_and_resolve(contract), AT).describe()
    assert [(d["grid"], d.get("selections"), d["feeds"]) for d in described[-1:]] == [
        ("records read one by one", 5, ["uptime", "repair", "outage", "answered"])
    ]
    read.clear()
    _unplanned(monkeypatch)
    alone = _report(contract, log)
    assert len(read) > 1
    assert together == alone

"""Time ``obligo eval`` end to end on a log of three services measured ``by service``, against
hand-written DuckDB scripts that compute the same numbers.

    .venv/bin/python bench/services.py [--records 10000000] [--formats parquet,jsonl,csv]
        [--metrics 3,30] [--pairs 5] [--pause 3] [--keep DIR]

**The log.** ``--records`` ``request`` records (type, service, time, status, latency_ms) over
three calendar months, 2026-03-01 to 2026-05-31 (one every ``92 days / records``, with jitter),
for three services (``api`` 50% of the requests, ``web`` 30%, ``search`` 20%). 2% of the
timestamps are written with a ``+02:00`` offset, the rest in UTC (``Z``), to the millisecond.
Statuses are 200 (2% are 404), and 503 for 0.1% of the requests outside incidents; about 1 in
100 twenty-minute blocks of a service holds an incident of 1 to 20 minutes in which 30% of its
requests fail and latencies are five times longer. Latencies follow an exponential distribution
(20 ms plus a mean of 100 ms, to 0.1 ms). Every draw is a hash of the record's number (or of its
block and service), so the same ``--records`` always gives the same records. DuckDB writes the
log itself (``COPY (SELECT ... FROM range(N)) TO ...``) as JSON Lines, CSV (the same texts) and
Parquet (``time`` a ``TIMESTAMPTZ``, ``status`` an ``INTEGER``, ``latency_ms`` a ``DOUBLE``),
into a temporary folder, or ``--keep DIR`` where files already there are reused.

**The contracts** (term 2026-03-01 to 2026-05-31, timezone UTC, evaluated at
2026-06-01T00:00:00Z so the three months are complete), every metric ``per calendar month, by
service``, each promised by a clause of its own so that it is judged:

- 3 metrics: the ratio of requests with ``status < 500``; the nearest-rank p95 of
  ``latency_ms``; availability from 1-minute slices that are down when more than 5% of the
  slice's requests failed (``status >= 500``), a slice without requests being up. That is
  3 metrics x 3 services x 3 months = 27 values.
- 30 metrics: ten of each kind over the same records: ratios of requests with ``status < 500
  and latency_ms < B`` for ten bounds B (100 ms to 2 s); ten percentiles (p50 to p99.99); slices
  down when more than 1%, 2%, ..., 10% failed. 270 values.

**The hand scripts.** For each contract, a DuckDB script that someone who knows SQL would write:
one typed read of the file into a table (``read_parquet``; ``read_json`` with explicit columns;
``read_csv`` with explicit column types; ``latency_ms`` as ``DECIMAL(18,3)`` for the two text
formats), then one ``GROUP BY`` per grid: month x service for the ratios (``count(*) FILTER``)
and percentiles (``quantile_disc`` of a list of fractions: the nearest rank), minute x service
for the slices, grouped again by month x service to count the down minutes. Months come from
``date_trunc('month', "time")``, minutes from ``epoch_ms("time") // 60000``. The script runs with
obligo's DuckDB settings (2 threads, ``memory_limit`` 2 GB, insertion order kept, a temporary
folder of its own, time zone UTC) and writes its rows as JSON.

**What is measured.** Each side is a whole process, timed from its start to its end: obligo is
``python -m obligo eval CONTRACT --events FILE --at 2026-06-01T00:00:00Z --format json -o OUT``
(the command line, the interpreter's start and imports, the load, the metrics, the report);
the hand script is ``python bench/services.py --child hand ...`` (the interpreter, ``import
duckdb``, the connection, the read, the queries, its JSON). Each runs under a small wrapper
process that times it (wall clock) and takes its peak resident memory from
``getrusage(RUSAGE_CHILDREN)``, so that the figure is that process's alone (this parent stays
small: a child's peak starts at its parent's size). For each format, ``--pairs`` rounds run
every measurement of the format once (obligo and the hand script for each contract, and for
JSON Lines and CSV the floor below), each after a pause of ``--pause`` seconds, in an order
that is reversed from one round to the next: the two sides of a pair (obligo and the hand
script on one contract; obligo on 30 and on 3 metrics) run close together, which goes first
alternating. Printed per case (contract x format): the median seconds of each side, the median
of the pairs' ratios obligo / hand, each side's peak memory (the largest of its runs); per
format, "30 vs 3": the median of the rounds' ratios obligo on 30 metrics / obligo on 3; and for
JSON Lines and CSV the floor: the hand script's typed read of the file into a table alone, as a
process, timed the same way.

**The check.** Every run's numbers are compared: each value of obligo's JSON report (each
verdict's ``value``, by metric, ``group`` and period label) must equal the hand script's, per
month and service, exactly: the hand script's counts and percentiles are turned into fractions
(a ratio is ``100 good / total``, an availability ``100 (minutes - down) / minutes``) and rounded
as obligo writes numbers (half-even to 9 decimal places); both sides must have the same months,
services and metrics, and obligo must have used every line of the file. The script exits with
an error when anything differs.

**What a figure does not cover.** One machine, one run of the rounds: timings depend on what else
runs on it (the load average is printed with each format), and on this shared two-core machine
single runs vary by 15-25%. One log shape: one record type, three services, clean input (no
rejected line, no merge, no ids), statuses and latencies of the shape above; the number of down
minutes depends on ``--records`` (with few requests a minute, one failure puts it down). The
hand scripts trust DuckDB's lenient casts and check nothing; obligo checks every value and
accounts for every line, and computes its report's evidence and verdicts, which the scripts do
not. Both sides include the interpreter's start and imports, a fixed cost that weighs at small
``--records`` (on the shared machine, load average 5: ``import duckdb`` 0.3 s, ``import obligo``
1.4 s). Writing the log is not timed in the comparison (its time is printed when it is written).

How long it takes: every run is a process of its own, plus the pauses. On the shared machine
(load average about 5), one round at 1M records took obligo 4-9 s on 3 metrics and 35-44 s on
30 (most of it judging each 1-minute slice of each service and of all of them, in Python, ten
times: a cost set by the number of minutes, not of records), the hand scripts 1-3 s. A run of
the defaults at 10M records (5 rounds, 3 formats, some 70 processes) was not timed; expect the
better part of an hour. ``--metrics 3`` or fewer ``--formats`` cut it down.

Not a test: ``tests/test_bench_scripts.py`` only runs it on a tiny log and checks that the two
sides agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
AT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
SPAN_MS = int((AT - START).total_seconds()) * 1000
START_MS = int(START.timestamp()) * 1000
MINUTES = {"2026-03": 31 * 1440, "2026-04": 30 * 1440, "2026-05": 31 * 1440}
SERVICES = (("api", 50), ("web", 30), ("search", 20))  # each service's share of the requests, %
ERROR_RATE = 0.001  # the share of 503s outside incidents
SHIFTED = 2  # the share of timestamps written with a +02:00 offset, %
THREADS = 2
MEMORY_LIMIT = "2GB"  # obligo's EventLog.load defaults, used by the hand scripts too
FORMATS = ("parquet", "jsonl", "csv")
FLOORED = ("jsonl", "csv")  # the formats whose typed read alone is timed too
PAUSE = 3.0

# --------------------------------------------------------------------------------- contracts


@dataclass(frozen=True)
class Metric:
    """One metric: a ``ratio`` of requests with ``status < 500`` (and ``latency_ms < bound``);
    a nearest-rank ``percentile`` of latency_ms (``percentile`` is the number after ``p``); or
    ``slices``: 1-minute slices down when more than ``threshold`` % of the requests failed."""

    id: str
    kind: str
    bound: int | None = None
    percentile: str = ""
    threshold: int = 0


BOUNDS = (100, 150, 200, 250, 300, 400, 500, 750, 1000, 2000)
PERCENTILES = ("50", "75", "80", "90", "95", "98", "99", "99.5", "99.9", "99.99")
THRESHOLDS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)


def metrics(count: int) -> list[Metric]:
    if count == 3:
        return [
            Metric("success", "ratio"),
            Metric("latency", "percentile", percentile="95"),
            Metric("uptime", "slices", threshold=5),
        ]
    if count == 30:
        return (
            [Metric(f"fast-{b}", "ratio", bound=b) for b in BOUNDS]
            + [Metric(f"latency-p{p.replace('.', '-')}", "percentile", percentile=p)
               for p in PERCENTILES]
            + [Metric(f"uptime-{t}", "slices", threshold=t) for t in THRESHOLDS]
        )  # fmt: skip
    raise ValueError(f"--metrics takes 3 and 30, not {count}")


def metric_text(metric: Metric) -> str:
    grid = "per calendar month, by service"
    if metric.kind == "ratio":
        good = "status < 500" + (f" and latency_ms < {metric.bound}" if metric.bound else "")
        title = "Requests answered" + (f" within {metric.bound} ms" if metric.bound else "")
        return (
            f'metric {metric.id} "{title}"\n'
            f"  ratio of count(request records where {good}) to count(request records), {grid}\n"
        )
    if metric.kind == "percentile":
        return (
            f'metric {metric.id} "Latency, p{metric.percentile}"\n'
            f"  p{metric.percentile} of latency_ms in request records, {grid}\n"
            "  percentile method nearest-rank\n"
        )
    return (
        f'metric {metric.id} "Minutes available, down above {metric.threshold}% failed"\n'
        f"  availability, {grid}\n"
        "  in slices of 1 minute\n"
        "  error-rate = count(request records where status >= 500) / count(request records)\n"
        f"  a slice is down when error-rate > {metric.threshold}%\n"
        "  a slice without request records is up\n"
    )


def promise(metric: Metric) -> str:
    if metric.kind == "ratio":
        return f"promise {metric.id} >= {'99.5' if metric.bound is None else '90'}%"
    if metric.kind == "percentile":
        return f"promise {metric.id} <= 1000 ms"
    return f"promise {metric.id} >= 99.5%"


def contract_text(count: int) -> str:
    text = (
        f'contract bench-services "{count} metrics, by service" version 1\n'
        "  term 2026-03-01 to 2026-05-31\n"
        '  timezone "UTC"\n'
        "  field latency_ms in ms\n"
    )
    listed = metrics(count)
    for metric in listed:
        text += "\n" + metric_text(metric)
    for number, metric in enumerate(listed, start=1):
        text += f'\nclause {number} "{metric.id}"\n  {promise(metric)}\n'
    return text


# ------------------------------------------------------------------------------------- the log


def log_path(folder: Path, records: int, fmt: str) -> Path:
    return folder / f"services-{records}.{fmt}"


def _connect(temp: str | None = None) -> Any:
    """A DuckDB connection with obligo's settings (``EventLog.load``)."""
    import duckdb

    config: dict[str, Any] = {
        "threads": THREADS,
        "memory_limit": MEMORY_LIMIT,
        "preserve_insertion_order": True,
    }
    if temp is not None:
        config["temp_directory"] = temp
    con = duckdb.connect(":memory:", config=config)
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    return con


def records_sql(records: int) -> str:
    """The records, one row each: number, service, milliseconds since the start, status,
    latency and whether the time is written with +02:00. Every draw is a hash."""
    slot = max(SPAN_MS // records, 1)
    service = "CASE"
    share = 0
    for name, percent in SERVICES[:-1]:
        share += percent
        service += f" WHEN hash(i, 'service') % 100 < {share} THEN '{name}'"
    service += f" ELSE '{SERVICES[-1][0]}' END"
    return f"""
        WITH r AS (
          SELECT i, CAST((i * {SPAN_MS}) // {records} + hash(i, 'jitter') % {slot} AS BIGINT) AS ms,
                 {service} AS service
          FROM range({records}) t(i)),
        m AS (
          SELECT *, hash(ms // 1200000, service, 'incident') % 100 = 0
                    AND (ms // 60000) % 20 < 1 + hash(ms // 1200000, service, 'length') % 20
                    AS incident
          FROM r)
        SELECT i, service, ms,
          CASE
            WHEN hash(i, 'error') % 1000000
                 < CASE WHEN incident THEN 300000 ELSE {round(ERROR_RATE * 1e6)} END THEN 503
            WHEN hash(i, 'client') % 100 < 2 THEN 404
            ELSE 200 END AS status,
          round((20 - 100 * ln((hash(i, 'latency') % 1000000 + 1) / 1000001))
                * CASE WHEN incident THEN 5 ELSE 1 END, 1) AS latency_ms,
          hash(i, 'offset') % 100 < {SHIFTED} AS shifted
        FROM m
    """


def write_logs(folder: Path, records: int, formats: list[str]) -> None:
    """Write the log in each format (a file already there is kept)."""
    con = _connect()
    rows = records_sql(records)
    text_time = f"""
        CASE WHEN shifted
          THEN strftime(make_timestamp(({START_MS} + ms + 7200000) * 1000),
                        '%Y-%m-%dT%H:%M:%S.%g') || '+02:00'
          ELSE strftime(make_timestamp(({START_MS} + ms) * 1000), '%Y-%m-%dT%H:%M:%S.%gZ')
        END"""
    typed_time = f"make_timestamptz(({START_MS} + ms) * 1000)"
    for fmt in formats:
        path = log_path(folder, records, fmt)
        if path.exists():
            continue
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        when, options = {
            "jsonl": (text_time, "FORMAT json"),
            "csv": (text_time, "FORMAT csv, HEADER"),
            "parquet": (typed_time, "FORMAT parquet"),
        }[fmt]
        con.execute(
            f"""COPY (SELECT 'request' AS "type", service, {when} AS "time", status, latency_ms
                      FROM ({rows})) TO '{partial}' ({options})"""
        )
        partial.rename(path)
        print(f"wrote {records:,} records to {path} in {time.perf_counter() - started:.1f} s")
    con.close()


# ------------------------------------------------------------------------------ hand scripts


def read_sql(path: Path, fmt: str) -> str:
    """The typed read of the file into the table ``requests``."""
    columns = (
        "{'type': 'VARCHAR', 'service': 'VARCHAR', 'time': 'TIMESTAMPTZ',"
        " 'status': 'INTEGER', 'latency_ms': 'DECIMAL(18,3)'}"
    )
    if fmt == "parquet":
        source = f"read_parquet('{path}')"
    elif fmt == "jsonl":
        source = f"read_json('{path}', format = 'newline_delimited', columns = {columns})"
    else:
        source = f"read_csv('{path}', header = true, columns = {columns})"
    return f"""
        CREATE TABLE requests AS
        SELECT service, "time", status, latency_ms FROM {source}
        WHERE "type" = 'request'
          AND "time" >= TIMESTAMPTZ '{START.isoformat()}' AND "time" < TIMESTAMPTZ '{AT.isoformat()}'
    """


def months_sql(listed: list[Metric]) -> str:
    """Ratios and percentiles: one row per month and service."""
    counts = []
    for metric in listed:
        if metric.kind == "ratio":
            bound = f" AND latency_ms < {metric.bound}" if metric.bound else ""
            counts.append(f"count(*) FILTER (WHERE status < 500{bound})")
    fractions = [
        str(Decimal(metric.percentile) / 100) for metric in listed if metric.kind == "percentile"
    ]
    return f"""
        SELECT date_trunc('month', "time") AS month, service, count(*) AS total,
               [{", ".join(counts)}] AS good,
               quantile_disc(latency_ms, [{", ".join(fractions)}]) AS percentiles
        FROM requests GROUP BY month, service ORDER BY month, service
    """


def slices_sql(listed: list[Metric]) -> str:
    """Slices: the minutes of each service, then their down minutes per month and service."""
    down = [
        f"count(*) FILTER (WHERE failed * 100 > {metric.threshold} * total)"
        for metric in listed
        if metric.kind == "slices"
    ]
    return f"""
        WITH minutes AS (
          SELECT epoch_ms("time") // 60000 AS minute, service, count(*) AS total,
                 count(*) FILTER (WHERE status >= 500) AS failed
          FROM requests GROUP BY minute, service)
        SELECT date_trunc('month', make_timestamptz(minute * 60000000)) AS month, service,
               [{", ".join(down)}] AS down
        FROM minutes GROUP BY month, service ORDER BY month, service
    """


def run_hand(path: Path, fmt: str, count: int, out: Path | None) -> None:
    """The hand script; without ``out``, only its typed read (the floor)."""
    temp = tempfile.mkdtemp(prefix="obligo-bench-hand-")
    try:
        con = _connect(str(Path(temp) / "spill"))
        con.execute(read_sql(path, fmt))
        if out is None:
            return
        listed = metrics(count)
        result = {
            "months": con.execute(months_sql(listed)).fetchall(),
            "slices": con.execute(slices_sql(listed)).fetchall(),
        }
        con.close()
        out.write_text(json.dumps(result, default=str))
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def hand_values(raw: dict[str, Any], count: int) -> dict[tuple[str, str, str], Fraction]:
    """The values the report should hold, by (metric, service, month), from the script's rows."""
    listed = metrics(count)
    values: dict[tuple[str, str, str], Fraction] = {}
    ratios = [m for m in listed if m.kind == "ratio"]
    percentiles = [m for m in listed if m.kind == "percentile"]
    slices = [m for m in listed if m.kind == "slices"]
    for month, service, total, good, levels in raw["months"]:
        label = month[:7]
        for metric, number in zip(ratios, good, strict=True):
            values[metric.id, service, label] = Fraction(number * 100, total)
        for metric, level in zip(percentiles, levels, strict=True):
            values[metric.id, service, label] = Fraction(Decimal(str(level)))
    for month, service, down in raw["slices"]:
        label = month[:7]
        minutes = MINUTES[label]
        for metric, number in zip(slices, down, strict=True):
            values[metric.id, service, label] = Fraction((minutes - number) * 100, minutes)
    return values


def report_values(report: dict[str, Any]) -> dict[tuple[str, str, str], Decimal]:
    """The values of obligo's JSON report, by (metric, group, period label)."""
    values: dict[tuple[str, str, str], Decimal] = {}
    for verdict in report["verdicts"]:
        key = (verdict["metric"], verdict["group"], verdict["period"]["label"])
        if verdict["value"] is None or verdict["status"] not in ("met", "breached"):
            raise SystemExit(f"obligo gave no judged value for {key}: {verdict['reason']}")
        value = Decimal(verdict["value"])
        if values.setdefault(key, value) != value:
            raise SystemExit(f"obligo gave two values for {key}")
    return values


def rounded(value: Fraction) -> Decimal:
    """As the report writes an exact number: half-even to 9 decimal places (docs/report.md)."""
    with localcontext() as context:
        context.prec = 60
        quotient = Decimal(value.numerator) / Decimal(value.denominator)
        return quotient.quantize(Decimal(1).scaleb(-9), rounding=ROUND_HALF_EVEN)


def differences(
    ours: dict[tuple[str, str, str], Decimal], hand: dict[tuple[str, str, str], Fraction]
) -> list[str]:
    found = []
    for key in sorted(set(ours) | set(hand)):
        if key not in ours or key not in hand:
            found.append(f"{' '.join(key)}: only in {'obligo' if key in ours else 'the script'}")
        elif ours[key] != rounded(hand[key]):
            theirs = f"{rounded(hand[key]).normalize():f}"
            found.append(f"{' '.join(key)}: obligo {ours[key]}, script {theirs}")
    return found


# ------------------------------------------------------------------------------ measurements


def wrap(command: list[str]) -> None:
    """Run ``command``, print its wall-clock seconds and peak RSS (it is this process's only
    child, so RUSAGE_CHILDREN's high-water mark is its own)."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = usage.ru_maxrss / 1024
    # CPU seconds (user + system, every thread): less disturbed by other work on a shared
    # machine than the wall clock.
    cpu = usage.ru_utime + usage.ru_stime
    result: dict[str, Any] = {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": peak}
    result["returncode"] = done.returncode
    result["output"] = (done.stdout + done.stderr)[-3000:]
    print(json.dumps(result))


def measure(command: list[str], pause: float) -> dict[str, Any]:
    """One measurement, in a wrapper process, after a pause."""
    time.sleep(pause)
    wrapper = [sys.executable, __file__, "--child", "wrap", "--", *command]
    done = subprocess.run(wrapper, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the wrapper failed: {done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["returncode"] != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result['output']}")
    return result


@dataclass
class Case:
    """The runs of one measurement of a format, in round order."""

    kind: str  # "obligo", "hand" or "floor"
    count: int  # the contract's number of metrics (0 for the floor)
    runs: list[dict[str, Any]]

    def median(self) -> float:
        return float(statistics.median(run["seconds"] for run in self.runs))

    def peak(self) -> float:
        return float(max(run["peak_rss_mb"] for run in self.runs))

    def cpu(self) -> float:
        return float(statistics.median(run["cpu_seconds"] for run in self.runs))


def ratios(top: Case, bottom: Case) -> list[float]:
    """The rounds' ratios top / bottom."""
    pairs = zip(top.runs, bottom.runs, strict=True)
    return [float(a["seconds"]) / float(b["seconds"]) for a, b in pairs]


def cpu_ratios(top: Case, bottom: Case) -> list[float]:
    """The rounds' ratios of CPU seconds top / bottom."""
    pairs = zip(top.runs, bottom.runs, strict=True)
    return [float(a["cpu_seconds"]) / float(b["cpu_seconds"]) for a, b in pairs]


def run_format(
    fmt: str, path: Path, counts: list[int], records: int, pairs: int, pause: float, work: Path
) -> dict[tuple[str, int], Case]:
    """The rounds of one format; checks every run's numbers."""
    cases: dict[tuple[str, int], Case] = {}
    for count in counts:
        cases["obligo", count] = Case("obligo", count, [])
        cases["hand", count] = Case("hand", count, [])
    if fmt in FLOORED:
        cases["floor", 0] = Case("floor", 0, [])
    members = list(cases.values())
    me = [sys.executable, __file__, "--path", str(path), "--format", fmt]
    for number in range(pairs):
        for case in members if number % 2 == 0 else members[::-1]:
            out = work / f"{case.kind}-{case.count}-{fmt}.json"
            out.unlink(missing_ok=True)
            if case.kind == "obligo":
                command = [sys.executable, "-m", "obligo", "eval", str(work / f"c{case.count}.sla")]
                command += ["--events", str(path), "--at", AT.isoformat().replace("+00:00", "Z")]
                command += ["--format", "json", "-o", str(out)]
            elif case.kind == "hand":
                command = [*me, "--child", "hand", "--metrics", str(case.count), "--out", str(out)]
            else:
                command = [*me, "--child", "floor"]
            result = measure(command, pause)
            if case.kind == "obligo":
                report = json.loads(out.read_text())
                result["values"] = report_values(report)
                result["inputs"] = report["inputs"]
            elif case.kind == "hand":
                result["values"] = hand_values(json.loads(out.read_text()), case.count)
            case.runs.append(result)
    for count in counts:
        for ours, hand in zip(cases["obligo", count].runs, cases["hand", count].runs, strict=True):
            found = differences(ours["values"], hand["values"])
            (account,) = ours["inputs"]
            if (account["lines"], account["used"]) != (records, records):
                found.append(f"obligo's line accounting: {account}")
            ours["differences"] = found
            ours["compared"] = len(hand["values"])
    return cases


def show_format(fmt: str, cases: dict[tuple[str, int], Case], load: tuple[float, float]) -> None:
    print(f"\n{fmt} (load average {load[0]:.2f} -> {load[1]:.2f}):")
    for (kind, count), case in cases.items():
        name = f"{kind} {count} metrics" if kind != "floor" else "floor (typed read alone)"
        seconds = ", ".join(f"{run['seconds']:.2f}" for run in case.runs)
        print(f"  {name:<26} {seconds} s; median {case.median():.2f} s, peak {case.peak():.0f} MB")
        cpu = ", ".join(f"{run['cpu_seconds']:.2f}" for run in case.runs)
        print(f"  {'':<26} CPU {cpu} s; median {case.cpu():.2f} s")
        if kind == "obligo":
            print(f"    pairs' ratios obligo / hand: {_list(ratios(case, cases['hand', count]))}")
            print(f"    CPU ratios obligo / hand: {_list(cpu_ratios(case, cases['hand', count]))}")
            for run in case.runs:
                for line in run["differences"][:10]:
                    print(f"    DIFFERS: {line}")
    if ("obligo", 3) in cases:
        ours, hand = cases["obligo", 3].runs[0]["values"], cases["hand", 3].runs[0]["values"]
        print("  the 3 metrics' values (obligo | hand script, rounded as the report):")
        for key in sorted(hand):
            mine = str(ours.get(key, "-"))
            print(f"    {' '.join(key):<24} {mine:>15} | {rounded(hand[key]).normalize():>15f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--metrics", default="3,30", help="the contracts: 3, 30 or 3,30")
    parser.add_argument("--pairs", type=int, default=5, help="rounds of runs (pairs)")
    parser.add_argument("--pause", type=float, default=PAUSE, help="seconds before each run")
    parser.add_argument("--keep", type=Path, help="write (or reuse) the logs in this folder")
    parser.add_argument(
        "--child", choices=["wrap", "write", "hand", "floor"], help=argparse.SUPPRESS
    )
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--format", default="jsonl", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("command", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    formats = args.formats.split(",")
    counts = [int(c) for c in args.metrics.split(",")]
    if args.child == "wrap":
        wrap(args.command)
        return
    if args.child == "write":
        write_logs(Path(args.path), args.records, formats)
        return
    if args.child in ("hand", "floor"):
        run_hand(Path(args.path), args.format, counts[0], args.out)
        return
    for fmt in formats:
        if fmt not in FORMATS:
            parser.error(f"--formats takes {', '.join(FORMATS)}, not {fmt}")
    for count in counts:
        metrics(count)

    with tempfile.TemporaryDirectory(prefix="obligo-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        work = Path(scratch) / "work"
        work.mkdir()
        for count in counts:
            (work / f"c{count}.sla").write_text(contract_text(count))
        # In a child process: the parent stays small (a child's peak RSS starts at its size).
        command = [sys.executable, __file__, "--child", "write", "--path", str(folder)]
        command += ["--records", str(args.records), "--formats", args.formats]
        subprocess.run(command, check=True)
        sizes = ", ".join(
            f"{fmt} {log_path(folder, args.records, fmt).stat().st_size / 1e6:,.1f} MB"
            for fmt in formats
        )
        print(
            f"{args.records:,} records ({sizes}); {os.cpu_count()} CPUs; {args.pairs} rounds, "
            f"{args.pause:g} s pause before each run"
        )
        results = {}
        for fmt in formats:
            load_before = os.getloadavg()[0]
            path = log_path(folder, args.records, fmt)
            cases = run_format(fmt, path, counts, args.records, args.pairs, args.pause, work)
            results[fmt] = cases
            show_format(fmt, cases, (load_before, os.getloadavg()[0]))

    print()
    header = (
        f"{'records':>10}  {'metrics':>7}  {'format':<8} {'obligo s':>8} {'hand s':>7}"
        f" {'ratio':>6} {'CPU o/h':>13} {'CPU ratio':>9} {'obligo RSS':>10} {'hand RSS':>8}"
        f" {'values':>6}  same"
    )
    print(header)
    print("-" * len(header))
    agree = True
    for count in counts:
        for fmt, cases in results.items():
            ours, hand = cases["obligo", count], cases["hand", count]
            same = not any(run["differences"] for run in ours.runs)
            agree = agree and same
            print(
                f"{args.records:>10,}  {count:>7}  {fmt:<8} {ours.median():>8.2f}"
                f" {hand.median():>7.2f} {statistics.median(ratios(ours, hand)):>5.2f}x"
                f" {ours.cpu():>6.2f}/{hand.cpu():<6.2f}"
                f" {statistics.median(cpu_ratios(ours, hand)):>8.2f}x"
                f" {ours.peak():>7.0f} MB {hand.peak():>5.0f} MB"
                f" {ours.runs[0]['compared']:>6}  {'yes' if same else 'NO'}"
            )
    print("(seconds: medians of the runs; ratio: the median of the pairs' ratios obligo / hand;")
    print(" CPU o/h: median CPU seconds, user + system, obligo / hand; CPU ratio: the median")
    print(" of the pairs' CPU ratios; RSS: the largest peak of the runs; values: the values")
    print(" compared in each run)")
    if 3 in counts and 30 in counts:
        print("\n30 vs 3 metrics, obligo (median of the rounds' ratios; medians of the runs):")
        for fmt, cases in results.items():
            many, few = cases["obligo", 30], cases["obligo", 3]
            print(
                f"  {fmt:<8} {statistics.median(ratios(many, few)):.2f}x"
                f"  ({many.median():.2f} s / {few.median():.2f} s; rounds {_list(ratios(many, few))})"
            )
    floored = [fmt for fmt in results if fmt in FLOORED]
    if floored:
        print("\nfloor: the hand scripts' typed read of the file into a table alone (medians):")
        for fmt in floored:
            cases = results[fmt]
            floor = cases["floor", 0]
            line = f"  {fmt:<8} {floor.median():.2f} s (CPU {floor.cpu():.2f} s), peak {floor.peak():.0f} MB"
            for count in counts:
                line += (
                    f"; {count} metrics: obligo {cases['obligo', count].median():.2f} s"
                    f" (CPU {cases['obligo', count].cpu():.2f}),"
                    f" hand {cases['hand', count].median():.2f} s (CPU {cases['hand', count].cpu():.2f})"
                )
            print(line)
    if not agree:
        raise SystemExit("obligo and the hand scripts gave different numbers")


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()

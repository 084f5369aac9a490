"""Time ``obligo.check`` and ``obligo.evaluate`` as the contract grows: cost linear in its size.

    .venv/bin/python bench/clauses.py [--sizes 500,1000,2000,5000] [--metrics 1000]
        [--records 1000000] [--runs 3] [--keep DIR] [--profile N]

Writes, into a temporary folder (or ``--keep DIR``, reused when the log is already there), a JSON
Lines log of ``--records`` request records (type, service, time, status, latency_ms) over March
and April 2026, spread over ``--metrics`` services ``s0``, ``s1``, ...; and, for each size N of
``--sizes``, a contract of N clauses over ``min(--metrics, N)`` metrics. The metrics cycle
through three measures, each on the records of one service: a monthly ratio of requests
answered, a monthly p95 latency and a monthly count of failed requests. Each clause promises one
metric (a different target per clause on the same metric) and half of them carry credit tiers
on a fee, with a cap, so that consequences are reckoned too.

For each size, in its own child process (the interpreter's start and the imports are not
timed): parse, then ``check`` (timed), then ``evaluate`` at 2026-05-01 (timed, the log's load
included). Prints a table of the medians of ``--runs`` runs, per size, and the time per clause,
which stays flat when the cost is linear in the contract's size. ``--profile N`` instead runs
one evaluation of size N under cProfile and prints the 40 most expensive functions.

Not a test: timings depend on the machine and on what else runs on it (the load average is
printed with the table).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AT = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
SPAN_MS = 61 * 86_400_000  # March and April 2026


def contract_text(clauses: int, metrics: int) -> str:
    """A contract of ``clauses`` clauses over ``min(metrics, clauses)`` metrics."""
    metrics = min(metrics, clauses)
    parts = [
        'contract bench-clauses "Many clauses" version 1\n'
        '  provider nimbus "Nimbus Cloud Ltd"\n'
        '  customer acme "Acme Corp"\n'
        "  term 2026-03-01 to 2026-04-30\n"
        '  timezone "UTC"\n'
        "  currency EUR\n"
        "  field latency_ms in ms\n\n"
        'service api "API"\n'
        "  fee 1000 EUR monthly\n"
    ]
    for k in range(metrics):
        where = f'service = "s{k}"'
        if k % 3 == 0:
            measure = (
                f"ratio of count(request records where {where} and status < 500)"
                f" to count(request records where {where}), per calendar month"
            )
        elif k % 3 == 1:
            measure = f"p95 of latency_ms in request records where {where}, per calendar month"
        else:
            measure = (
                f"count of request records where {where} and status >= 500, per calendar month"
            )
        parts.append(f'\nmetric m{k} "Metric {k}"\n  {measure}\n')
    for c in range(clauses):
        k = c % metrics
        tier = c // metrics  # the n-th clause on a metric gets a looser target
        if k % 3 == 0:
            target, below = f">= {99.9 - tier / 10:.1f}%", f"< {99.9 - tier / 10:.1f}%"
        elif k % 3 == 1:
            target, below = f"<= {800 + 50 * tier} ms", f"> {800 + 50 * tier} ms"
        else:
            target, below = f"<= {10 + tier}", f"> {10 + tier}"
        text = f'\nclause {c + 1} "Clause {c + 1}"\n  service api\n  promise m{k} {target}\n'
        if c % 2 == 0:
            text += (
                f"  credit\n    5% of the fee when m{k} {below}\n  cap 20% of the fee per month\n"
            )
        parts.append(text)
    return "".join(parts)


def write_log(path: Path, records: int, services: int) -> None:
    import duckdb

    if path.exists():
        return
    started = time.perf_counter()
    partial = path.with_suffix(".partial")
    con = duckdb.connect(config={"threads": 2, "memory_limit": "2GB"})
    con.execute("SET TimeZone = 'UTC'")
    # Deterministic: every draw is a hash of the record's number.
    con.execute(
        f"""
        COPY (
          SELECT 'request' AS "type",
            's' || CAST(hash(i, 'service') % {services} AS VARCHAR) AS service,
            strftime(TIMESTAMPTZ '2026-03-01 00:00:00+00'
                       + to_milliseconds((i * {SPAN_MS}) // {records}),
                     '%Y-%m-%dT%H:%M:%S.%gZ') AS "time",
            CASE WHEN hash(i, 'error') % 1000 < 2 THEN 503 ELSE 200 END AS status,
            round(20 - 100 * ln((hash(i, 'latency') % 1000000 + 1) / 1000001), 1) AS latency_ms
          FROM range({records}) t(i) ORDER BY i
        ) TO '{partial}' (FORMAT json)
        """
    )
    con.close()
    partial.rename(path)
    print(f"wrote {records:,} records to {path} in {time.perf_counter() - started:.1f} s")


def child(log: Path, clauses: int, metrics: int, profile: bool) -> None:
    import obligo

    model = obligo.parse(contract_text(clauses, metrics), "bench.sla")
    started = time.perf_counter()
    diagnostics = obligo.check(model)
    checked = time.perf_counter() - started
    errors = [d for d in diagnostics if d.severity.value == "error"]
    if errors:
        raise SystemExit(errors[0].format())
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        obligo.evaluate(model, [log], at=AT)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        return
    started = time.perf_counter()
    report = obligo.evaluate(model, [log], at=AT)
    evaluated = time.perf_counter() - started
    print(json.dumps({"check": checked, "eval": evaluated, "verdicts": len(report.verdicts)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="500,1000,2000,5000")
    parser.add_argument("--metrics", type=int, default=1000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--profile", type=int)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.size, args.metrics, profile=os.environ.get("PROFILE") == "1")
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="obligo-clauses-"))
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"requests-{args.records}-{args.metrics}.jsonl"
    write_log(log, args.records, args.metrics)

    def run(size: int, profile: bool = False) -> dict[str, float]:
        command = [sys.executable, __file__, "--child", str(log), "--size", str(size)]
        command += ["--metrics", str(args.metrics)]
        env = dict(os.environ, PROFILE="1" if profile else "0")
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0 or profile:
            sys.stderr.write(done.stderr)
            if done.returncode != 0:
                raise SystemExit(f"size {size} failed")
            return {}
        result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    if args.profile:
        run(args.profile, profile=True)
        return
    load = os.getloadavg()[0]
    print(f"{args.records:,} records, {args.metrics} services; medians of {args.runs} runs")
    print(
        f"{'clauses':>8} {'metrics':>8} {'verdicts':>9} {'check s':>8} {'eval s':>8}"
        f" {'eval ms/clause':>15}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        results = [run(size) for _ in range(args.runs)]
        check = statistics.median(r["check"] for r in results)
        evaluated = statistics.median(r["eval"] for r in results)
        print(
            f"{size:>8} {min(size, args.metrics):>8} {int(results[0]['verdicts']):>9}"
            f" {check:>8.2f} {evaluated:>8.2f} {1000 * evaluated / size:>15.2f}",
            flush=True,
        )
    print(f"load average {load:.2f} -> {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

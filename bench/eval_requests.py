"""Time ``obligo.evaluate`` end to end on a large request log, against a hand-written DuckDB query.

    .venv/bin/python bench/eval_requests.py [--records 1000000] [--formats jsonl,parquet]
        [--runs 3] [--clauses] [--error-rate 0.001] [--keep DIR]

Writes a JSON Lines log of ``request`` records (type, service, time, status, latency_ms) spread
over March and April 2026, and a Parquet copy of it (DuckDB ``COPY``), into a temporary folder
(or ``--keep DIR``, reused when the files are already there). Then, for each format:

- evaluates a contract with three metrics (a monthly ratio of requests answered, a monthly p95
  latency, and availability from 1-minute slices that are down when more than 5% of their
  requests failed) with ``obligo.evaluate``, timing the call (wall clock);
- runs one hand-written DuckDB query that computes the same numbers straight from the file
  (``read_json`` with explicit columns, or ``read_parquet``), with the same DuckDB settings as
  obligo (2 threads, 2 GB memory limit);
- runs the two in pairs, one right after the other (which goes first alternates), so that the
  machine's load at the time weighs on both sides of a pair alike; prints each pair's ratio and
  their median;
- checks that both give the same numbers, and prints a table: seconds (best of ``--runs``), the
  ratio obligo / hand query of the best runs and the median of the pairs' ratios, and the peak
  resident memory of each.

Every measurement runs in its own child process (``resource.getrusage`` there gives that
measurement's peak RSS, the interpreter and its imports included). The obligo child also notes
where the time went: loading (byte scan of the file, DuckDB scan into a typed table, assembly),
each metric (its SQL, and the Python around it), the line accounting, and the rest.

``--clauses`` also evaluates the same log with one clause on the three metrics, five clauses on
the same three metrics, and five clauses each on their own three metrics (fifteen metrics that
read the same records), to show how the cost grows with the size of the contract.

The log: one request every ``61 days / records`` (with jitter), statuses 200 (some 404) and 503,
latencies from an exponential distribution. ``--error-rate`` is the share of 503s outside
incidents (default 0.1%); about 1 in 100 twenty-minute blocks holds an incident of 1 to 20
minutes in which 30% of the requests fail and latencies are five times longer. With few requests
per minute a single failure already puts a minute above 5%, so the number of down minutes (and
of separate runs of them) depends on ``--records`` as well as on the error rate.

Not a test: timings depend on the machine and on what else runs on it (the load average is
printed with each measurement).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

AT = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
SPAN_MS = int((AT - START).total_seconds()) * 1000
ERROR_RATE = 0.001  # the share of failed requests outside incidents, by default
THREADS = 2
MEMORY_LIMIT = "2GB"  # obligo's EventLog.load defaults, used for the hand query too

# --------------------------------------------------------------------------------- contracts

HEAD = """contract bench "Request log benchmark" version 1
  term 2026-03-01 to 2026-04-30
  timezone "UTC"
  field latency_ms in ms

service api "API"
"""

# (ratio filter, percentile, slice threshold) of each metric set; set 0 is the main contract's.
VARIANTS = [
    ("status < 500", "p95", "5%"),
    ("status < 500 and latency_ms < 1000", "p99", "1%"),
    ("status < 500 and latency_ms < 500", "p90", "2%"),
    ("status < 500 and latency_ms < 250", "p50", "10%"),
    ("status != 503", "p99.9", "3%"),
]


def metric_set(k: int) -> str:
    good, percentile, threshold = VARIANTS[k]
    return f"""
metric success-{k} "Requests answered"
  ratio of count(request records where {good}) to count(request records), per calendar month

metric latency-{k} "Latency, {percentile}"
  {percentile} of latency_ms in request records, per calendar month

metric uptime-{k} "Minutes available"
  availability of api, per calendar month
  in slices of 1 minute
  error-rate = count(request records where status >= 500) / count(request records)
  a slice is down when error-rate > {threshold}
  a slice without request records is up
"""


def promises(k: int, tier: int = 0) -> str:
    return (
        f"  promise success-{k} >= {99.9 - tier / 10:.1f}%\n"
        f"  promise latency-{k} <= {800 + 100 * tier} ms\n"
        f"  promise uptime-{k} >= {99.9 - tier / 10:.1f}%\n"
    )


def contract(shape: str) -> str:
    """The contract of a shape: ``main`` (three clauses, one metric each), ``1-clause`` (one
    clause on the three metrics), ``5-clauses`` (five clauses on the same three metrics, with
    different targets), ``5-clauses-15-metrics`` (five clauses, each on its own three)."""
    text = HEAD
    if shape == "main":
        text += metric_set(0)
        text += '\nclause 1 "Requests answered"\n  promise success-0 >= 99.5%\n'
        text += '\nclause 2 "Latency"\n  promise latency-0 <= 800 ms\n'
        text += '\nclause 3 "Uptime"\n  promise uptime-0 >= 99.9%\n'
    elif shape == "1-clause":
        text += metric_set(0) + '\nclause 1 "Service levels"\n' + promises(0)
    elif shape == "5-clauses":
        text += metric_set(0)
        for c in range(5):
            text += f'\nclause {c + 1} "Service levels, tier {c + 1}"\n' + promises(0, c)
    elif shape == "5-clauses-15-metrics":
        for k in range(5):
            text += metric_set(k)
        for k in range(5):
            text += f'\nclause {k + 1} "Service levels, set {k + 1}"\n' + promises(k)
    else:
        raise ValueError(shape)
    return text


# ------------------------------------------------------------------------------------- the log


def write_logs(folder: Path, records: int, error_rate: float) -> None:
    """Write the JSON Lines log and its Parquet copy (kept when they exist)."""
    import duckdb

    jsonl = folder / f"requests-{records}.jsonl"
    parquet = folder / f"requests-{records}.parquet"
    con = duckdb.connect(config={"threads": THREADS, "memory_limit": MEMORY_LIMIT})
    con.execute("SET TimeZone = 'UTC'")
    if not jsonl.exists():
        started = time.perf_counter()
        slot = max(SPAN_MS // records, 1)
        partial = jsonl.with_suffix(".partial")
        # Deterministic: every draw is a hash of the record's number (or its minute's block).
        con.execute(
            f"""
            COPY (
              WITH r AS (
                SELECT i, (i * {SPAN_MS}) // {records} + hash(i, 'jitter') % {slot} AS ms
                FROM range({records}) t(i)),
              m AS (
                SELECT *, ms // 60000 AS minute,
                  hash((ms // 60000) // 20, 'incident') % 100 = 0
                    AND (ms // 60000) % 20 < 1 + hash((ms // 60000) // 20, 'length') % 20
                    AS incident
                FROM r)
              SELECT 'request' AS "type",
                ['api', 'web', 'search', 'checkout'][CAST(1 + hash(i, 'service') % 4 AS BIGINT)] AS service,
                strftime(TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_milliseconds(ms),
                         '%Y-%m-%dT%H:%M:%S.%gZ') AS "time",
                CASE
                  WHEN hash(i, 'error') % 1000000
                       < CASE WHEN incident THEN 300000 ELSE {round(error_rate * 1e6)} END
                    THEN 503
                  WHEN hash(i, 'client') % 100 < 2 THEN 404
                  ELSE 200 END AS status,
                round((20 - 100 * ln((hash(i, 'latency') % 1000000 + 1) / 1000001))
                      * CASE WHEN incident THEN 5 ELSE 1 END, 1) AS latency_ms
              FROM m ORDER BY i
            ) TO '{partial}' (FORMAT json)
            """
        )
        partial.rename(jsonl)
        print(f"wrote {records:,} records to {jsonl} in {time.perf_counter() - started:.1f} s")
    if not parquet.exists():
        started = time.perf_counter()
        partial = parquet.with_suffix(".partial")
        con.execute(
            f"""
            COPY (SELECT * FROM read_json('{jsonl}', format='newline_delimited', columns={{
                'type': 'VARCHAR', 'service': 'VARCHAR', 'time': 'TIMESTAMPTZ',
                'status': 'INTEGER', 'latency_ms': 'DOUBLE'}}))
            TO '{partial}' (FORMAT parquet)
            """
        )
        partial.rename(parquet)
        print(f"wrote the Parquet copy in {time.perf_counter() - started:.1f} s")
    con.close()


# ------------------------------------------------------------------------------ hand query


def hand_sql(path: Path, fmt: str) -> str:
    if fmt == "jsonl":
        source = (
            f"read_json('{path}', format='newline_delimited', columns={{'type': 'VARCHAR',"
            f" 'time': 'TIMESTAMPTZ', 'status': 'INTEGER', 'latency_ms': 'DECIMAL(18,3)'}})"
        )
    else:
        source = f"read_parquet('{path}')"
    # One scan of the file, materialised once, read by the two aggregations. quantile_disc is
    # the nearest rank: the value at rank ceil(0.95 n).
    return f"""
        WITH r AS MATERIALIZED (
          SELECT strftime("time", '%Y-%m') AS month, epoch_us("time") // 60000000 AS minute,
                 status, latency_ms
          FROM {source}
          WHERE "type" = 'request' AND "time" >= TIMESTAMPTZ '{START.isoformat()}'
            AND "time" < TIMESTAMPTZ '{AT.isoformat()}'),
        monthly AS (
          SELECT month, count(*) FILTER (WHERE status < 500) AS good, count(*) AS total,
                 quantile_disc(latency_ms, 0.95) AS p95
          FROM r GROUP BY month),
        minutes AS (
          SELECT month, minute, count(*) FILTER (WHERE status >= 500) AS bad, count(*) AS n
          FROM r GROUP BY month, minute),
        down AS (
          SELECT month, count(*) FILTER (WHERE bad * 20 > n) AS down FROM minutes GROUP BY month)
        SELECT month, good, total, p95, down FROM monthly JOIN down USING (month) ORDER BY month
    """


def run_hand(path: Path, fmt: str) -> dict[str, Any]:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect(":memory:", config={"threads": THREADS, "memory_limit": MEMORY_LIMIT})
    con.execute("SET TimeZone = 'UTC'")
    rows = con.execute(hand_sql(path, fmt)).fetchall()
    con.close()
    seconds = time.perf_counter() - started
    values: dict[str, str] = {}
    for month, good, total, p95, down in rows:
        first = dt.datetime.strptime(month, "%Y-%m").replace(tzinfo=dt.UTC)
        after = (first + dt.timedelta(days=32)).replace(day=1)
        minutes = int((after - first).total_seconds()) // 60
        p95_exact = Fraction(Decimal(repr(p95)) if isinstance(p95, float) else p95)
        values[f"success-0 {month}"] = _text(Fraction(good * 100, total))
        values[f"latency-0 {month}"] = _text(p95_exact)
        values[f"uptime-0 {month}"] = _text(Fraction((minutes - down) * 100, minutes))
    return {"seconds": seconds, "values": values}


def _text(value: Fraction) -> str:
    """As the report writes an exact number (``obligo.engine.numbers.decimal_text``): rounded
    half-even to 9 places, trailing zeros dropped. Not imported, to keep this child small."""
    with localcontext() as context:
        context.prec = 60
        quotient = Decimal(value.numerator) / Decimal(value.denominator)
        rounded = quotient.quantize(Decimal(1).scaleb(-9), rounding=ROUND_HALF_EVEN)
    return f"{rounded.normalize() if rounded != 0 else Decimal(0):f}"


# ---------------------------------------------------------------------------------- obligo


class Clock:
    """Time spent in wrapped functions, by label (a call inside another counts in both)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.metric: str | None = None  # the metric being measured, if any

    def add(self, label: str, seconds: float) -> None:
        self.spent[label] = self.spent.get(label, 0.0) + seconds

    def wrap(self, label: Callable[..., str] | str, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            name = label(*args, **kwargs) if callable(label) else label
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - started)

        return timed


def instrument(clock: Clock) -> None:
    """Wrap the engine's stages with timers (the computations themselves are unchanged).

    Labels: ``load`` and ``load: PART``; ``metric NAME`` (everything measuring it took) with
    ``metric NAME: SQL`` (its DuckDB queries) and ``metric NAME: contributors`` (the evidence of
    an availability metric: each down interval's share); ``line accounting``; ``checks``."""
    from obligo.engine.context import EvaluationContext
    from obligo.engine.measure import availability
    from obligo.engine.run import evaluation, session
    from obligo.events import _bytescan, loader
    from obligo.resolve import resolver

    def patch(owner: Any, name: str, label: Callable[..., str] | str) -> None:
        setattr(owner, name, clock.wrap(label, getattr(owner, name)))

    def in_metric(part: str) -> Callable[..., str]:
        return lambda *_, **__: f"metric {clock.metric}: {part}" if clock.metric else part

    load = loader.EventLog.__dict__["load"].__func__
    loader.EventLog.load = classmethod(clock.wrap("load", load))  # type: ignore[assignment]
    patch(_bytescan, "count_lines", "load: byte scan of the file (Python, slow path only)")
    patch(loader._Loader, "_typed", "load: DuckDB scan into a typed table, and counts")
    patch(loader._Loader, "_assemble", "load: view of the accepted records")
    patch(loader, "merge", "load: merge by id, table events")
    patch(resolver, "check_contract", "checks")  # once, before resolving
    patch(evaluation, "account_lines", "line accounting")
    patch(availability, "_contributors", in_metric("contributors"))
    patch(EvaluationContext, "query", in_metric("SQL"))
    measure = session.measure_metric

    def measured(metric: Any, *args: Any) -> Any:
        outer, clock.metric = clock.metric, metric.id
        started = time.perf_counter()
        try:
            return measure(metric, *args)
        finally:
            clock.add(f"metric {metric.id}", time.perf_counter() - started)
            clock.metric = outer

    session.measure_metric = measured  # type: ignore[assignment]


def run_obligo(path: Path, contract_text: str, breakdown: bool) -> dict[str, Any]:
    import obligo

    clock = Clock()
    if breakdown:
        instrument(clock)
    model = obligo.parse(contract_text, "bench.sla")
    started = time.perf_counter()
    report = obligo.evaluate(model, [path], at=AT)
    seconds = time.perf_counter() - started
    # Each value as the JSON report writes it (a Decimal's plain digits), or None.
    values = {
        f"{v.metric} {v.period.label}": None if v.value is None else format(v.value, "f")
        for v in report.verdicts
    }
    accounts = [a.model_dump(mode="json") for a in report.inputs]
    return {
        "seconds": seconds,
        "values": values,
        "spent": clock.spent,
        "verdicts": len(report.verdicts),
        "metrics": len({v.metric for v in report.verdicts}),
        "inputs": accounts,
    }


def child(args: argparse.Namespace) -> None:
    path = Path(args.path)
    if args.child == "write":
        write_logs(path, args.records, args.error_rate)
        return
    if args.child == "hand":
        result = run_hand(path, args.format)
    else:
        result = run_obligo(path, contract(args.shape), breakdown=True)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


# ---------------------------------------------------------------------------------- parent


PAUSE = 3.0  # seconds of rest before each measured child (see measure_pairs)


def run_child(kind: str, path: Path, fmt: str, shape: str) -> dict[str, Any]:
    """One measurement in its own process, after a pause."""
    time.sleep(PAUSE)
    command = [sys.executable, __file__, "--child", kind, "--path", str(path)]
    command += ["--format", fmt, "--shape", shape]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{kind} on {path} failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def summary(results: list[dict[str, Any]], load: tuple[float, float]) -> dict[str, Any]:
    """The best run, with every run's seconds, the largest peak RSS and the load average."""
    best: dict[str, Any] = min(results, key=lambda r: r["seconds"])
    best["all_seconds"] = [r["seconds"] for r in results]
    best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in results)
    best["load"] = load
    return best


def measure(kind: str, path: Path, fmt: str, shape: str, runs: int) -> dict[str, Any]:
    """Best of ``runs`` child processes; the peak RSS is the largest of them."""
    load_before = os.getloadavg()[0]
    results = [run_child(kind, path, fmt, shape) for _ in range(runs)]
    return summary(results, (load_before, os.getloadavg()[0]))


def measure_pairs(path: Path, fmt: str, runs: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """obligo and the hand query, ``runs`` times each, one after the other (the first of each
    pair alternating): a change in the machine's load between runs then weighs on both sides
    alike, and each pair gives a ratio of its own. Each run follows a pause: on the development
    machine, a run that started right after another took 0.4 to 0.8 s longer, whichever of the
    two it was."""
    ours: list[dict[str, Any]] = []
    hand: list[dict[str, Any]] = []
    load_before = os.getloadavg()[0]
    for number in range(runs):
        kinds = ["obligo", "hand"] if number % 2 == 0 else ["hand", "obligo"]
        for kind in kinds:
            (ours if kind == "obligo" else hand).append(run_child(kind, path, fmt, "main"))
    load = (load_before, os.getloadavg()[0])
    return summary(ours, load), summary(hand, load)


def show_breakdown(result: dict[str, Any]) -> None:
    """The best obligo run's time: loading, each metric (its SQL, the Python around it), the
    line accounting (one more scan), and the rest (checks, periods, verdicts, the report)."""
    spent = result["spent"]
    total = result["seconds"]
    load = spent.get("load", 0.0)
    print(f"    {'load':<50} {load:6.2f} s")
    for name in sorted(k for k in spent if k.startswith("load: ")):
        print(f"      {name[6:]:<48} {spent[name]:6.2f} s")
    metrics = sorted(k for k in spent if k.startswith("metric ") and ":" not in k)
    for name in metrics:
        sql = spent.get(f"{name}: SQL", 0.0)
        parts = f"SQL {sql:.2f} s, Python {spent[name] - sql:.2f} s"
        if f"{name}: contributors" in spent:
            parts += f", of which contributors {spent[f'{name}: contributors']:.2f} s"
        print(f"    {name:<50} {spent[name]:6.2f} s  ({parts})")
    accounting = spent.get("line accounting", 0.0)
    print(f"    {'line accounting (one more scan of events)':<50} {accounting:6.2f} s")
    rest = total - load - accounting - sum(spent[k] for k in metrics)
    print(f"    {'the rest (checks, periods, verdicts, report)':<50} {rest:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--formats", default="jsonl,parquet")
    parser.add_argument("--runs", type=int, default=3, help="pairs of runs (the best is shown)")
    parser.add_argument("--clauses", action="store_true", help="also 1 vs 5 clauses (JSONL)")
    parser.add_argument("--clause-runs", type=int, default=None, help="runs for --clauses")
    parser.add_argument(
        "--error-rate", type=float, default=ERROR_RATE, help="503s outside incidents"
    )
    parser.add_argument("--keep", type=Path, help="write (or reuse) the logs in this folder")
    parser.add_argument("--child", choices=["obligo", "hand", "write"], help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--format", default="jsonl", help=argparse.SUPPRESS)
    parser.add_argument("--shape", default="main", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    with tempfile.TemporaryDirectory(prefix="obligo-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if args.keep and args.error_rate != ERROR_RATE:
            folder = folder / f"error-rate-{args.error_rate}"
            folder.mkdir(exist_ok=True)
        # In a child process too: a child started from this one inherits its peak RSS as a
        # floor (Linux keeps the high-water mark across exec), so this one stays small.
        command = [sys.executable, __file__, "--child", "write", "--path", str(folder)]
        command += ["--records", str(args.records), "--error-rate", str(args.error_rate)]
        subprocess.run(command, check=True)
        jsonl = folder / f"requests-{args.records}.jsonl"
        parquet = folder / f"requests-{args.records}.parquet"
        paths = {"jsonl": jsonl, "parquet": parquet}
        print(
            f"logs: {jsonl.stat().st_size / 1e6:,.0f} MB JSON Lines, "
            f"{parquet.stat().st_size / 1e6:,.0f} MB Parquet; {os.cpu_count()} CPUs; "
            f"best of {args.runs} runs; this process {_own_rss():.0f} MB (a floor for the "
            f"children's peak RSS)"
        )
        rows = []
        for fmt in args.formats.split(","):
            ours, hand = measure_pairs(paths[fmt], fmt, args.runs)
            same = ours["values"] == hand["values"]
            rows.append((fmt, ours, hand, same))
            ratios = [a / b for a, b in zip(ours["all_seconds"], hand["all_seconds"], strict=True)]
            print(f"\n{fmt}: obligo {_runs(ours)}; hand query {_runs(hand)}")
            print(
                f"{fmt}: ratio of each pair {', '.join(f'{r:.2f}' for r in ratios)}; median "
                f"{statistics.median(ratios):.2f}x; medians "
                f"{statistics.median(ours['all_seconds']):.2f} / "
                f"{statistics.median(hand['all_seconds']):.2f} s; load average {_load(ours)}"
            )
            print(f"  where the time went in the best obligo run ({ours['seconds']:.2f} s):")
            show_breakdown(ours)
            print("  values (obligo | hand query):")
            for key in sorted(hand["values"]):
                print(f"    {key:<20} {ours['values'].get(key)!s:>14} | {hand['values'][key]:>14}")
            if not same:
                print("  THE VALUES DIFFER")

        print()
        header = (
            f"{'records':>10}  {'format':<8} {'obligo s':>9} {'hand s':>7} {'ratio':>6}"
            f" {'pairs':>6}"
            f" {'obligo RSS':>11} {'hand RSS':>9}  same values"
        )
        print(header)
        print("-" * len(header))
        for fmt, ours, hand, same in rows:
            print(
                f"{args.records:>10,}  {fmt:<8} {ours['seconds']:>9.2f} {hand['seconds']:>7.2f}"
                f" {ours['seconds'] / hand['seconds']:>5.2f}x {_pair_median(ours, hand):>5.2f}x"
                f" {ours['peak_rss_mb']:>8.0f} MB {hand['peak_rss_mb']:>6.0f} MB  "
                f"{'yes' if same else 'NO'}"
            )

        if args.clauses:
            runs = args.clause_runs or args.runs
            print(f"\ncontract size (JSON Lines, {args.records:,} records, best of {runs}):")
            print(
                f"  {'contract':<22} {'metrics':>7} {'verdicts':>8} {'obligo s':>9}"
                f" {'load s':>7} {'rest s':>7}"
            )
            for shape in ["1-clause", "5-clauses", "5-clauses-15-metrics"]:
                result = measure("obligo", jsonl, "jsonl", shape, runs)
                load = result["spent"].get("load", 0.0)
                print(
                    f"  {shape:<22} {result['metrics']:>7} {result['verdicts']:>8}"
                    f" {result['seconds']:>9.2f}"
                    f" {load:>7.2f} {result['seconds'] - load:>7.2f}"
                    f"   (runs {_runs(result)}, load average {_load(result)})"
                )
                if shape == "5-clauses-15-metrics":
                    show_breakdown(result)
        if not all(same for *_, same in rows):
            raise SystemExit("obligo and the hand query gave different numbers")


def _pair_median(ours: dict[str, Any], hand: dict[str, Any]) -> float:
    """The median of the ratios of the pairs of runs."""
    pairs = zip(ours["all_seconds"], hand["all_seconds"], strict=True)
    return float(statistics.median(float(a) / float(b) for a, b in pairs))


def _own_rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _runs(result: dict[str, Any]) -> str:
    return ", ".join(f"{s:.2f}" for s in result["all_seconds"]) + " s"


def _load(result: dict[str, Any]) -> str:
    return f"{result['load'][0]:.2f} -> {result['load'][1]:.2f}"


if __name__ == "__main__":
    main()

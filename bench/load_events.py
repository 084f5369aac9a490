"""Time loading a large request log (JSON Lines, CSV, Parquet), against DuckDB's own typed read.

    .venv/bin/python bench/load_events.py [--records 1000000] [--formats jsonl,csv,parquet]
        [--pairs 5] [--eval] [--dirty N] [--keep DIR]

Writes the request log of ``bench/eval_requests.py`` (type, service, time, status, latency_ms;
March and April 2026) as JSON Lines, CSV (DuckDB ``COPY``, every value as it is written in the
JSON Lines file) and Parquet into a temporary folder (or ``--keep DIR``, reused when the files
are there). ``--dirty N`` also spoils N evenly spread records of the JSON Lines file (a latency
that is not a number) and times that file too. Then, for each format, measures in rounds, each
measurement in its own child process after a pause of a second (the order within a round
turning from one round to the next, so that the machine's load weighs on every kind alike):

- ``load``: ``EventLog.load`` of the file with the schema of eval_requests' contract
  (``--skip-invalid`` for the dirty file);
- ``read``: DuckDB's typed read of the file into a table, as a hand-written script does it
  (``read_json``/``read_csv`` with typed columns, ``read_parquet``; the dirty file with
  ``ignore_errors``): the floor of any loading;
- ``checks`` (JSON Lines and CSV): obligo's byte checks of the file alone, without DuckDB (JSON
  Lines: the whitespace and strict-JSON scans; CSV: the scan for long lines, NULs, empty
  lines and quotes), which a loader that keeps obligo's guarantees cannot skip;
- with ``--eval``: ``obligo.evaluate`` of eval_requests' contract end to end (``eval``), and the
  hand-written query computing the same numbers (``hand``; CSV: its ``read_csv`` form);
- with ``--baseline DIR``: ``load@base`` (and ``eval@base``), the same with the obligo package
  found in the source folder DIR (another version: ``git archive REV src | tar -x -C OUT``, and
  ``grammar`` beside it), in the same rounds.

Prints, per format and kind, the median wall time and CPU time (user + system, every thread of
the child) over the rounds, the largest peak RSS (of the whole child, the interpreter included),
and the medians of the rounds' ratios: load / read, load / (read + checks) (the floor), and
eval / hand. Not a test: timings depend on the machine and on what else runs on it (the load
average is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import eval_requests  # noqa: E402  (beside this script)

THREADS = eval_requests.THREADS
MEMORY_LIMIT = eval_requests.MEMORY_LIMIT
PAUSE = 1.0
TYPED = (
    "{'type': 'VARCHAR', 'service': 'VARCHAR', 'time': 'TIMESTAMPTZ', 'status': 'INTEGER', "
    "'latency_ms': 'DECIMAL(18,3)'}"
)


def write_logs(folder: Path, records: int, dirty: int) -> dict[str, Path]:
    """The log in each format (written once; kept in ``folder``)."""
    import duckdb

    eval_requests.write_logs(folder, records, eval_requests.ERROR_RATE)
    jsonl = folder / f"requests-{records}.jsonl"
    paths = {"jsonl": jsonl, "csv": folder / f"requests-{records}.csv"}
    paths["parquet"] = folder / f"requests-{records}.parquet"
    if not paths["csv"].exists():
        text = TYPED.replace("TIMESTAMPTZ", "VARCHAR").replace("INTEGER", "VARCHAR")
        text = text.replace("DECIMAL(18,3)", "VARCHAR")
        partial = paths["csv"].with_suffix(".partial")
        con = duckdb.connect(config={"threads": THREADS, "memory_limit": MEMORY_LIMIT})
        con.execute(
            f"COPY (SELECT * FROM read_json('{jsonl}', format='newline_delimited', "
            f"columns={text})) TO '{partial}' (FORMAT csv, HEADER)"
        )
        con.close()
        partial.rename(paths["csv"])
    if dirty:
        spoiled = folder / f"requests-{records}-dirty-{dirty}.jsonl"
        if not spoiled.exists():
            every = max(records // dirty, 1)
            with jsonl.open(encoding="utf-8") as source, spoiled.open("w") as out:
                for number, line in enumerate(source):
                    if number % every == every - 1:
                        line = line.replace('"latency_ms":', '"latency_ms":"slow","was":')
                    out.write(line)
        paths["jsonl-dirty"] = spoiled
    return paths


# ---------------------------------------------------------------------------------- children


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(kind: str, fmt: str, path: Path) -> dict[str, Any]:
    """One measurement: its wall and CPU seconds (what it does, not the imports before it)."""
    import duckdb

    import obligo
    from obligo.events import EventLog, _bytescan, loader, schema_for

    contract = obligo.parse(eval_requests.contract("main"), "bench.sla")
    base = fmt.split("-")[0]
    started, cpu = time.perf_counter(), _cpu()
    note: Any = None
    if kind == "load":
        from zoneinfo import ZoneInfo

        schema = schema_for(contract, {})
        with EventLog.load(
            [path], schema, ZoneInfo("UTC"), skip_invalid=fmt.endswith("dirty")
        ) as log:
            account = log.inputs[0]
            note = {"records": account.records, "rejected": account.rejected,
                    "fast_path": account.fast_path}  # fmt: skip
    elif kind == "read":
        con = duckdb.connect(":memory:", config={"threads": THREADS, "memory_limit": MEMORY_LIMIT})
        con.execute("SET TimeZone = 'UTC'")
        if base == "jsonl":
            # The dirty file: DuckDB leaves its bad records out (a lenient reading).
            lenient = ", ignore_errors=true" if fmt.endswith("dirty") else ""
            source = f"read_json('{path}', format='newline_delimited', columns={TYPED}{lenient})"
        elif base == "csv":
            source = f"read_csv('{path}', header=true, auto_detect=false, columns={TYPED})"
        else:
            source = f"read_parquet('{path}')"
        con.execute(f"CREATE TABLE t AS SELECT * FROM {source}")
        note = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
        con.close()
    elif kind == "checks":
        if base == "jsonl":
            note = _bytescan.plain_whitespace(path, False) and loader._strict_json(path, False)
        else:
            shape = _bytescan.CsvShape()
            note = _bytescan.first_long_line(path, False, shape=shape) is None
    elif kind == "eval":
        report = obligo.evaluate(contract, [path], at=eval_requests.AT)
        note = {f"{v.metric} {v.period.label}": v.value for v in report.verdicts}
    elif kind == "hand":
        fmt_of_hand = "parquet" if base == "parquet" else "jsonl"
        if base == "csv":
            jsonl_sql = eval_requests.hand_sql
            typed = f"read_csv('{path}', header=true, auto_detect=false, columns={TYPED})"

            def csv_sql(path_: Path, fmt_: str) -> str:
                sql = jsonl_sql(path_, fmt_)
                start = sql.index("read_json(")
                end = sql.index("})", start) + 2
                return sql[:start] + typed + sql[end:]

            eval_requests.hand_sql = csv_sql
        note = eval_requests.run_hand(path, fmt_of_hand)["values"]
    else:
        raise ValueError(kind)
    return {
        "wall": time.perf_counter() - started,
        "cpu": _cpu() - cpu,
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "note": note,
    }


BASELINE: Path | None = None  # --baseline: the source folder of the code to compare with


def run_child(kind: str, fmt: str, path: Path) -> dict[str, Any]:
    time.sleep(PAUSE)
    env = dict(os.environ)
    if kind.endswith("@base"):
        assert BASELINE is not None
        env["PYTHONPATH"] = str(BASELINE)  # before the installed obligo
        kind = kind.removesuffix("@base")
    command = [sys.executable, __file__, "--child", kind, "--format", fmt, "--path", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{kind} of {path} failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ------------------------------------------------------------------------------------ parent


def measure(fmt: str, path: Path, kinds: list[str], rounds: int) -> dict[str, list[Any]]:
    runs: dict[str, list[Any]] = {kind: [] for kind in kinds}
    for number in range(rounds):
        turn = number % len(kinds)
        for kind in kinds[turn:] + kinds[:turn]:
            runs[kind].append(run_child(kind, fmt, path))
    return runs


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def report(fmt: str, runs: dict[str, list[Any]], load: tuple[float, float]) -> None:
    print(f"\n{fmt} (load average {load[0]:.1f} -> {load[1]:.1f})")
    print(f"  {'kind':<10} {'wall s':>8} {'cpu s':>8} {'peak RSS':>10}   runs (wall s)")
    for kind, results in runs.items():
        walls = [r["wall"] for r in results]
        print(
            f"  {kind:<10} {_median(walls):>8.3f} {_median([r['cpu'] for r in results]):>8.3f} "
            f"{max(r['rss'] for r in results):>7.0f} MB   {', '.join(f'{w:.2f}' for w in walls)}"
        )
    if "load" in runs and "read" in runs:
        note = runs["load"][0]["note"]
        print(f"  load: {note}")
        for measure_ in ("wall", "cpu"):
            loads = [r[measure_] for r in runs["load"]]
            reads = [r[measure_] for r in runs["read"]]
            ratios = [a / b for a, b in zip(loads, reads, strict=True)]
            text = f"  load / read ({measure_}): {_median(ratios):.2f}x"
            if "checks" in runs:
                checks = [r[measure_] for r in runs["checks"]]
                floor = [a / (b + c) for a, b, c in zip(loads, reads, checks, strict=True)]
                text += f"; load / (read + checks): {_median(floor):.2f}x"
            print(text)
    for kind in ("load", "eval"):
        if f"{kind}@base" in runs:
            ratios = [
                a["wall"] / b["wall"] for a, b in zip(runs[kind], runs[f"{kind}@base"], strict=True)
            ]
            print(f"  {kind} / {kind}@base (wall): {_median(ratios):.2f}x")
    if "eval" in runs and "hand" in runs:
        ratios = [a["wall"] / b["wall"] for a, b in zip(runs["eval"], runs["hand"], strict=True)]
        same = all(a["note"] == b["note"] for a, b in zip(runs["eval"], runs["hand"], strict=True))
        print(
            f"  eval / hand (wall): {_median(ratios):.2f}x; the same numbers: {'yes' if same else 'NO'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--formats", default="jsonl,csv,parquet")
    parser.add_argument("--pairs", type=int, default=5, help="rounds of measurements")
    parser.add_argument("--eval", action="store_true", help="also obligo eval vs the hand query")
    parser.add_argument("--dirty", type=int, default=0, help="also a JSON Lines file with N bad")
    parser.add_argument("--keep", type=Path, help="write (or reuse) the logs in this folder")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also load (and evaluate) with the obligo package in this source folder "
        "(git archive OLD src | tar -x -C DIR; then DIR/src), in the same rounds",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--format", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--write", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        # Report values are Decimals: written with exactly their digits.
        print(
            json.dumps(
                child(args.child, args.format, Path(args.path)), default=lambda v: format(v, "f")
            )
        )
        return
    if args.write:
        write_logs(Path(args.path), args.records, args.dirty)
        return
    with tempfile.TemporaryDirectory(prefix="obligo-load-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        # In a child: a child started from this process inherits its peak RSS as a floor.
        command = [sys.executable, __file__, "--write", "--path", str(folder)]
        command += ["--records", str(args.records), "--dirty", str(args.dirty)]
        subprocess.run(command, check=True)
        paths = {
            "jsonl": folder / f"requests-{args.records}.jsonl",
            "csv": folder / f"requests-{args.records}.csv",
            "parquet": folder / f"requests-{args.records}.parquet",
        }
        formats = args.formats.split(",")
        if args.dirty:
            paths["jsonl-dirty"] = folder / f"requests-{args.records}-dirty-{args.dirty}.jsonl"
            formats.append("jsonl-dirty")
        sizes = ", ".join(f"{f} {paths[f].stat().st_size / 1e6:,.0f} MB" for f in formats)
        print(f"{args.records:,} records: {sizes}; {os.cpu_count()} CPUs; {args.pairs} rounds")
        global BASELINE
        BASELINE = args.baseline
        for fmt in formats:
            kinds = ["load", "read"] + (["load@base"] if BASELINE else [])
            if fmt.split("-")[0] != "parquet":
                kinds.append("checks")
            if args.eval and fmt != "jsonl-dirty":
                kinds += ["eval", "hand"] + (["eval@base"] if BASELINE else [])
            before = os.getloadavg()[0]
            runs = measure(fmt, paths[fmt], kinds, args.pairs)
            report(fmt, runs, (before, os.getloadavg()[0]))


if __name__ == "__main__":
    main()

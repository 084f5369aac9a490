"""Time loading a large JSON Lines log of request records on the fast path.

    .venv/bin/python bench/load_events.py [--records 1000000] [--threads 2] [--keep PATH]

Writes a log of request records (type, service, time, status, latency_ms), loads it with
``EventLog.load`` and prints the time taken with the account of the input. Not a test: timings
depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from obligo.events import EventLog, EventSchema, FieldType

SCHEMA = EventSchema(
    fields={
        "service": FieldType.TEXT,
        "status": FieldType.NUMBER,
        "latency_ms": FieldType.NUMBER,
    },
    record_types=frozenset({"request"}),
)


def write_log(path: Path, records: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    services = ["api", "web", "search", "checkout"]
    statuses = [200, 200, 200, 200, 201, 204, 404, 500, 503]
    with path.open("w", encoding="utf-8") as out:
        for i in range(records):
            second = i % 86_400
            record = {
                "type": "request",
                "service": rng.choice(services),
                "time": f"2026-03-{1 + i // 86_400 % 28:02d}T{second // 3600:02d}:"
                f"{second // 60 % 60:02d}:{second % 60:02d}.{i % 1000:03d}Z",
                "status": rng.choice(statuses),
                "latency_ms": round(rng.random() * 1500, 1),
            }
            out.write(json.dumps(record, separators=(",", ":")) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="2GB")
    parser.add_argument("--keep", type=Path, help="write (or reuse) the log at this path")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        path = args.keep or Path(scratch) / "requests.jsonl"
        if not path.exists():
            started = time.perf_counter()
            write_log(path, args.records)
            print(f"wrote {args.records:,} records in {time.perf_counter() - started:.1f} s")
        size = path.stat().st_size / 1e6
        started = time.perf_counter()
        log = EventLog.load(
            [path],
            SCHEMA,
            ZoneInfo("UTC"),
            threads=args.threads,
            memory_limit=args.memory_limit,
        )
        elapsed = time.perf_counter() - started
        with log:
            rows = log.connection.execute("SELECT count(*) FROM events").fetchall()[0][0]
            account = log.inputs[0]
            print(f"loaded {rows:,} events from {size:.0f} MB in {elapsed:.2f} s")
            print(f"  {rows / elapsed:,.0f} records/s, threads={args.threads}")
            print(f"  {account}")


if __name__ == "__main__":
    main()

"""The order of files and of lines never changes the events (property-based, small)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obligo.events import EventLog, EventSchema, FieldType

SCHEMA = EventSchema(
    fields={"severity": FieldType.NUMBER, "cause": FieldType.TEXT, "ok": FieldType.BOOLEAN},
    record_types=frozenset({"incident", "probe"}),
)
ZONE = ZoneInfo("Europe/Berlin")


def record(
    index: int, draw_id: int | None, severity: int | None, cause: str | None
) -> dict[str, Any]:
    found: dict[str, Any] = {"type": "incident", "updated": f"2026-03-01T10:{index:02d}:00"}
    if draw_id is not None:
        found["id"] = f"INC-{draw_id}"
    if severity is not None:
        found["severity"] = severity
    if cause is not None:
        found["cause"] = cause
    return found


records_strategy = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, 3)),
        st.one_of(st.none(), st.integers(1, 4)),
        st.one_of(st.none(), st.sampled_from(["a", "b", "it's"])),
    ),
    min_size=1,
    max_size=12,
).map(lambda items: [record(i, *item) for i, item in enumerate(items)]) | st.just(
    [{"type": "probe", "time": "2026-03-01T10:00:00Z", "ok": True}]
)


def snapshot(log: EventLog) -> tuple[list[tuple[Any, ...]], int]:
    columns = ", ".join(f'"{name}"' for name in SCHEMA.fields)
    rows = log.connection.execute(f"SELECT {columns} FROM events").fetchall()
    return sorted(rows, key=repr), log.merges


def instant(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZONE)
    return value.astimezone(dt.UTC)


def reference(records: list[dict[str, Any]]) -> tuple[list[tuple[Any, ...]], int]:
    """The events, computed simply: every updated differs, so the latest value always wins."""

    def row(r: dict[str, Any]) -> tuple[Any, ...]:
        severity = r.get("severity")
        return (
            r["type"],
            r.get("id"),
            instant(r["time"]) if "time" in r else None,
            None,
            None,
            instant(r["updated"]) if "updated" in r else None,
            r.get("cause"),
            r.get("ok"),
            Decimal(severity) if severity is not None else None,
        )

    rows = [row(r) for r in records if "id" not in r]
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        if "id" in r:
            groups.setdefault(r["id"], []).append(r)
    for members in groups.values():
        latest_first = sorted(members, key=lambda r: r["updated"], reverse=True)
        merged = {"type": "incident", "id": members[0]["id"]}
        for key in ("updated", "severity", "cause"):
            merged.update(next(({key: r[key]} for r in latest_first if key in r), {}))
        rows.append(row(merged))
    return sorted(rows, key=repr), sum(len(m) - 1 for m in groups.values())


def write(directory: Path, name: str, records: list[dict[str, Any]], as_csv: bool) -> Path:
    if not as_csv:
        path = directory / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        return path
    path = directory / f"{name}.csv"
    header = ["type", "id", "updated", "severity", "cause", "time", "ok"]
    lines = [",".join(header)]
    for r in records:
        cells = []
        for key in header:
            value = r.get(key)
            text = (
                ""
                if value is None
                else json.dumps(value)
                if isinstance(value, bool)
                else str(value)
            )
            cells.append('"' + text.replace('"', '""') + '"' if text else "")
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=records_strategy, data=st.data())
def test_shuffled_and_split_logs_give_the_same_events(
    records: list[dict[str, Any]], data: st.DataObject
) -> None:
    expected = reference(records)
    with TemporaryDirectory() as name:
        directory = Path(name)
        shuffled = data.draw(st.permutations(records))
        parts = data.draw(st.integers(1, min(4, len(shuffled))))
        cuts = sorted(
            data.draw(
                st.lists(st.integers(0, len(shuffled)), min_size=parts - 1, max_size=parts - 1)
            )
        )
        bounds = [0, *cuts, len(shuffled)]
        paths = []
        for k in range(parts):
            chunk = shuffled[bounds[k] : bounds[k + 1]]
            as_csv = data.draw(st.booleans())
            paths.append(write(directory, f"part-{k}", chunk, as_csv))
        paths = data.draw(st.permutations(paths))
        with EventLog.load(paths, SCHEMA, ZONE) as log:
            assert snapshot(log) == expected
            assert sum(a.records for a in log.inputs) == len(records)

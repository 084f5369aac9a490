"""Invariants of the report (property-based, small), and its JSON Schema.

- Shuffling the lines of a log, or splitting it into several files, changes no verdict, value,
  evidence, total or consequence; for one file reordered under the same name the JSON is the
  same bytes.
- A report is deterministic: two evaluations give the same bytes.
- ``docs/report.schema.json`` is the schema generated from the report model, reports validate
  against it, and ``docs/report.md`` documents every key of it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
from collections import Counter
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import obligo
from engine_helpers import evaluate
from obligo.render import report_json, report_schema

REPO = Path(__file__).resolve().parent.parent

CONTRACT = obligo.parse(
    """\
contract invariants "Every kind of record at once" version 1
  term 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"
  currency EUR

service web "Web shop"
  fee 1000 EUR monthly

calendar office "Office hours"
  monday to friday 09:00 to 17:00
  holidays 2026-01-06

exclusion maintenance "Scheduled maintenance"
  maintenance records
  valid when announced at least 2 days before start

metric uptime "Availability"
  availability, per calendar month
  down during incident records where severity <= 2
  excluding maintenance

metric success "Successful requests"
  ratio of count(request records where status < 500) to count(request records), per calendar month

metric response "First response"
  share of ticket records within target, per calendar month, by priority
  duration from opened to responded, in office hours
  target "P1" 2 hours
  target "P2" 1 business day
  a record still open is late once its target has passed

metric slow "Slow requests"
  p90 of latency_ms in request records, per calendar month

metric incidents "Incidents"
  count of incident records, per calendar month

clause 1 "Availability"
  service web
  promise uptime >= 99.9%
  credit
    10% of the fee when uptime < 99.9%
    25% of the fee when uptime < 99.0%
  cap 10% of the fees of the last 12 months, less credits already given
  claim within 30 days after the end of the month

clause 2 "Requests"
  promise success >= 95%
  promise slow <= 800

clause 3 "Response"
  promise response for "P1" >= 90%
  promise response for "P2" >= 80%

clause 4 "Incidents"
  service web
  promise incidents <= 3
  penalty 100 EUR per breached month
  credit 1 day of the fee when incidents > 1
""",
    filename="invariants.sla",
)
AT = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
ORIGIN = dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC)  # some records before the term


def stamp(minutes: int) -> str:
    return (ORIGIN + dt.timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


SPAN = 75 * 24 * 60  # minutes from ORIGIN: to mid-March, past the evaluation time

incident = st.builds(
    lambda k, at, length, severity, open_: {
        "type": "incident",
        "id": f"INC-{k}",
        "severity": severity,
        "start": stamp(at),
        **({} if open_ else {"end": stamp(at + length)}),
    },
    st.integers(0, 8),
    st.integers(0, SPAN),
    st.integers(1, 600),
    st.integers(1, 3),
    st.sampled_from([False, False, False, True]),  # now and then still open
)
maintenance = st.builds(
    lambda at, length, notice: {
        "type": "maintenance",
        "start": stamp(at),
        "end": stamp(at + length),
        "announced": stamp(at - notice),
    },
    st.integers(0, SPAN),
    st.integers(1, 240),
    st.integers(0, 6 * 24 * 60),
)
request = st.builds(
    lambda at, status, latency: {
        "type": "request",
        "time": stamp(at),
        "status": status,
        "latency_ms": latency,
    },
    st.integers(0, SPAN),
    st.sampled_from([200, 201, 404, 500, 503]),
    st.decimals(min_value=1, max_value=2000, places=1).map(str).map(float),
)
ticket = st.builds(
    lambda k, priority, at, answer: {
        "type": "ticket",
        "id": f"T-{k}",
        "priority": priority,
        "opened": stamp(at),
        **({} if answer is None else {"responded": stamp(at + answer)}),
    },
    st.integers(0, 8),
    st.sampled_from(["P1", "P2", "P3"]),
    st.integers(0, SPAN),
    st.none() | st.integers(0, 5 * 24 * 60),
)
other = st.builds(lambda at: {"type": "heartbeat", "time": stamp(at)}, st.integers(0, SPAN))


def consistent(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records of one type with the same id are made to agree (no merge conflict): every later
    one is a copy of the first, with some of its optional fields dropped (a value beats none)."""
    first: dict[tuple[str, str], dict[str, Any]] = {}
    result = []
    for index, record in enumerate(records):
        key = (record["type"], record.get("id", ""))
        if "id" in record and key in first:
            copy = dict(first[key])
            for name in ("end", "responded", "severity"):
                if index % 3 == 0:
                    copy.pop(name, None)
            result.append(copy)
        else:
            if "id" in record:
                first[key] = record
            result.append(record)
    return result


logs = st.lists(
    st.one_of(incident, maintenance, request, request, ticket, other), min_size=1, max_size=40
).map(consistent)


def write(path: Path, records: list[dict[str, Any]]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def run(inputs: list[str], skip_invalid: bool = False) -> str:
    return report_json([evaluate(CONTRACT, inputs, at=AT, skip_invalid=skip_invalid)])


def essence(text: str) -> dict[str, Any]:
    """What must not depend on how the log is cut into files: everything but the inputs (their
    names and line accounting) and the files and lines of the rejections."""
    report = json.loads(text)
    report.pop("inputs")
    report["rejections"] = sorted(r["reason"] for r in report["rejections"])
    return report


def totals(text: str) -> Counter[str]:
    summed: Counter[str] = Counter()
    for account in json.loads(text)["inputs"]:
        for key, value in account.items():
            if key != "name":
                summed[key] += value
    return summed


SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(records=logs, seed=st.integers(0, 2**32 - 1))
def test_reordering_one_file_gives_the_same_bytes(records: list[dict[str, Any]], seed: int) -> None:
    shuffled = list(records)
    random.Random(seed).shuffle(shuffled)
    with TemporaryDirectory() as folder:
        path = Path(folder) / "events.jsonl"
        before = run([write(path, records)])
        after = run([write(path, shuffled)])
        again = run([str(path)])
    assert after == before
    assert again == after  # deterministic: the same input gives the same bytes


BAD = [
    "not json",
    '{"severity": 1}',
    '{"type": "incident", "severity": "high", "start": "2026-01-05T10:00:00Z"}',
]


@SETTINGS
@given(
    records=logs,
    cuts=st.lists(st.integers(0, 40), max_size=3),
    seed=st.integers(0, 2**32 - 1),
    bad=st.lists(st.sampled_from(BAD), max_size=2),
)
def test_splitting_the_log_changes_no_verdict_value_or_total(
    records: list[dict[str, Any]], cuts: list[int], seed: int, bad: list[str]
) -> None:
    rng = random.Random(seed)
    lines = [json.dumps(r) for r in records] + bad
    whole_order = list(lines)
    rng.shuffle(lines)
    bounds = sorted({min(c, len(lines)) for c in cuts} | {0, len(lines)})
    parts = [lines[a:b] for a, b in itertools.pairwise(bounds)]
    with TemporaryDirectory() as folder:
        one = Path(folder) / "all.jsonl"
        one.write_text("".join(x + "\n" for x in whole_order), encoding="utf-8")
        names = []
        for index, part in enumerate(parts):
            path = Path(folder) / f"part-{index}.jsonl"
            path.write_text("".join(x + "\n" for x in part), encoding="utf-8")
            names.append(str(path))
        rng.shuffle(names)
        whole = run([str(one)], skip_invalid=True)
        split = run(names, skip_invalid=True)
    assert essence(split) == essence(whole)
    assert totals(split) == totals(whole)
    assert totals(whole)["lines"] == len(lines)
    report = json.loads(whole)
    assert report["rejected"] == len(bad)
    account = report["inputs"][0]
    assert account["lines"] == sum(
        account[k] for k in ("used", "outside_periods", "unused", "rejected", "merged")
    )


# ------------------------------------------------------------------------------- the schema


def test_committed_schema_is_the_generated_one() -> None:
    committed = (REPO / "docs" / "report.schema.json").read_text(encoding="utf-8")
    assert committed == report_schema(), (
        "docs/report.schema.json is stale: regenerate it with\n"
        "  python -c 'from obligo.render import report_schema; "
        'open("docs/report.schema.json", "w").write(report_schema())\''
    )


def validate(value: Any, schema: dict[str, Any], root: dict[str, Any], where: str = "$") -> None:
    """A small JSON Schema validator for the constructs the generated schema uses."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        validate(value, root["$defs"][name], root, where)
        return
    if "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                validate(value, option, root, where)
                return
            except AssertionError as error:
                errors.append(str(error))
        raise AssertionError(f"{where}: matches no option: {errors}")
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if "const" in schema:
        assert value == schema["const"], where
    kind = schema.get("type")
    checks = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
    }
    if kind is not None:
        assert checks[kind](value), f"{where}: {value!r} is not {kind}"
    if schema.get("format") == "date-time":
        assert dt.datetime.fromisoformat(value).tzinfo is not None, f"{where}: {value}"
    if schema.get("format") == "date":
        dt.date.fromisoformat(value)
    if kind == "object":
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            assert name in value, f"{where}: {name} is missing"
        for name, item in value.items():
            if name in properties:
                validate(item, properties[name], root, f"{where}.{name}")
            else:
                extra = schema.get("additionalProperties", True)
                assert extra is not False, f"{where}: unexpected key {name}"
                if isinstance(extra, dict):
                    validate(item, extra, root, f"{where}.{name}")
    if kind == "array":
        for index, item in enumerate(value):
            validate(item, schema.get("items", {}), root, f"{where}[{index}]")


def test_sample_reports_validate_against_the_schema() -> None:
    schema = json.loads(report_schema())
    samples = sorted((REPO / "contracts").glob("*/expected.json"))
    assert samples
    for path in samples:
        validate(json.loads(path.read_text(encoding="utf-8")), schema, schema)


@settings(SETTINGS, max_examples=4)
@given(records=logs)
def test_reports_validate_against_the_schema(records: list[dict[str, Any]]) -> None:
    schema = json.loads(report_schema())
    with TemporaryDirectory() as folder:
        report = json.loads(run([write(Path(folder) / "events.jsonl", records)]))
    validate(report, schema, schema)
    # every key is always written, with null when absent
    for verdict in report["verdicts"]:
        assert set(verdict) == set(schema["$defs"]["Verdict"]["properties"])


def test_report_md_documents_every_key() -> None:
    text = (REPO / "docs" / "report.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    schema = json.loads(report_schema())
    keys = set(schema["properties"])
    for definition in schema["$defs"].values():
        keys |= set(definition.get("properties", {}))
    assert keys <= documented, f"docs/report.md does not document: {sorted(keys - documented)}"

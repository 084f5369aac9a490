"""obligo.evaluate reads a pandas or polars DataFrame or an Arrow table (obligo[dataframes]) and
gives the verdicts the same records give from a JSON Lines file; naive datetimes are read in the
contract's zone and counted; a rejection names the frame's row."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import obligo
from obligo.events import EventRejectedError

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "contracts" / "acme-hosting.sla"
ACME_LOG = ROOT / "contracts" / "acme-hosting" / "events.jsonl"
AT = dt.datetime(2026, 4, 15, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def _records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in ACME_LOG.read_text().splitlines() if line.strip()]


def _verdicts(report: obligo.Report) -> Any:
    """Everything a report concludes, without the account of its inputs (their names differ)."""
    data = json.loads(report.model_dump_json())
    for key in ("inputs",):
        data.pop(key)
    return data


def _frames() -> dict[str, Any]:
    records = _records()
    # Every field of any record a column (pa.Table.from_pylist takes the first record's keys).
    names = sorted({name for record in records for name in record})
    table = pa.table({name: [record.get(name) for record in records] for name in names})
    return {
        "pandas": pd.DataFrame.from_records(records),
        "polars": pl.from_arrow(table),
        "arrow": table,
    }


@pytest.mark.parametrize("kind", ["pandas", "polars", "arrow"])
def test_a_frame_gives_the_verdicts_of_the_same_records_in_json_lines(kind: str) -> None:
    contract = obligo.load(ACME)
    from_file = obligo.evaluate(contract, [str(ACME_LOG)], at=AT)
    frame = _frames()[kind]
    from_frame = obligo.evaluate(contract, frame, at=AT)
    assert _verdicts(from_frame) == _verdicts(from_file)
    assert from_frame.verdicts  # the sample has objectives: the comparison is not vacuous
    (account,) = from_frame.inputs
    expected_name = {"pandas": "<pandas DataFrame>", "polars": "<polars DataFrame>"}
    assert account.name == expected_name.get(kind, "<Arrow table>")
    assert account.lines == len(_records())
    # A frame is one input among others, too (here with its own records given as a list).
    both = obligo.evaluate(contract, [frame], at=AT)
    assert _verdicts(both) == _verdicts(from_file)


CONTRACT = """\
contract frames "Frames"
  provider p "P"
  customer c "C"
  term 2026-03-01 to 2026-12-31
  timezone "Europe/Berlin"

metric first-response "Tickets answered within 2 hours"
  share of ticket records within target, per calendar month
  duration from opened to responded
  target 2 hours

clause 1 "First response"
  promise first-response >= 75%
"""


def _contract() -> obligo.Contract:
    return obligo.parse(CONTRACT)


def _ticket(name: str, opened: dt.datetime, responded: dt.datetime) -> dict[str, Any]:
    return {"type": "ticket", "id": name, "opened": opened, "responded": responded}


NAIVE = [
    # Berlin wall-clock times: 09:00 to 10:30 is 1 h 30 min (within 2 hours), 09:00 to 13:00 is
    # late, and T-3, opened at 23:30 on 31 March in Berlin, falls in March; read as UTC it would be
    # 01:30 on 1 April in Berlin, and March would be 1 of 2 within target, not 2 of 3.
    _ticket("T-1", dt.datetime(2026, 3, 4, 9), dt.datetime(2026, 3, 4, 10, 30)),
    _ticket("T-2", dt.datetime(2026, 3, 5, 9), dt.datetime(2026, 3, 5, 13)),
    _ticket("T-3", dt.datetime(2026, 3, 31, 23, 30), dt.datetime(2026, 4, 1, 0, 0)),
]
NAIVE_JSONL = [
    {**r, "opened": r["opened"].isoformat(), "responded": r["responded"].isoformat()} for r in NAIVE
]


@pytest.mark.parametrize("kind", ["pandas", "polars", "arrow"])
def test_naive_datetimes_are_read_in_the_contracts_zone_and_counted(
    kind: str, tmp_path: Path
) -> None:
    log = tmp_path / "tickets.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in NAIVE_JSONL))
    at = dt.datetime(2026, 4, 2, tzinfo=dt.UTC)
    from_file = obligo.evaluate(_contract(), [str(log)], at=at)
    table = pa.Table.from_pylist(NAIVE)
    assert pa.types.is_timestamp(table.schema.field("opened").type)  # a datetime column
    frame = {
        "pandas": pd.DataFrame.from_records(NAIVE),
        "polars": pl.from_arrow(table),
        "arrow": table,
    }[kind]
    from_frame = obligo.evaluate(_contract(), frame, at=at)
    assert _verdicts(from_frame) == _verdicts(from_file)
    assert from_frame.inputs[0].naive_timestamps == from_file.inputs[0].naive_timestamps == 6
    march = from_frame.verdicts[0]
    assert (march.period.label, march.status, str(march.value)) == (
        "2026-03",
        "breached",
        "66.666666667",
    )


def test_a_rejection_names_the_row_of_the_frame() -> None:
    frame = pd.DataFrame.from_records(
        [
            {
                "type": "ticket",
                "id": "T-1",
                "opened": "2026-03-04T09:00:00+01:00",
                "responded": "2026-03-04T10:00:00+01:00",
            },
            {
                "type": "ticket",
                "id": "T-2",
                "opened": "yesterday",
                "responded": "2026-03-05T10:00:00+01:00",
            },
        ]
    )
    at = dt.datetime(2026, 4, 2, tzinfo=dt.UTC)
    with pytest.raises(EventRejectedError) as raised:
        obligo.evaluate(_contract(), frame, at=at)
    (rejection,) = raised.value.rejections
    assert (rejection.file, rejection.line) == ("<pandas DataFrame>", 2)
    assert "opened" in rejection.reason
    report = obligo.evaluate(_contract(), frame, at=at, skip_invalid=True)
    assert [(r.file, r.line) for r in report.rejections] == [("<pandas DataFrame>", 2)]


def test_a_frame_with_the_row_number_column_is_refused() -> None:
    frame = pd.DataFrame({"type": ["ticket"], "file_row_number": [1]})
    with pytest.raises(obligo.ObligoError, match="file_row_number"):
        obligo.evaluate(_contract(), frame, at=dt.datetime(2026, 4, 2, tzinfo=dt.UTC))

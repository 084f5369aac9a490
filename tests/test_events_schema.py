"""What a contract reads from the log: record types, field types from their use, mappings."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import obligo
from obligo.events import EventSchema, FieldSource, FieldType, schema_for
from obligo.events.schema import RESERVED_FIELDS
from obligo.model.base import Boolean, DateValue, Duration, Number, Percent, Text
from obligo.model.clauses import Clause, LongEvents, TerminationRight
from obligo.model.conditions import (
    Call,
    Compare,
    Condition,
    FieldOf,
    Member,
    Presence,
    Selection,
    SelectionArg,
)
from obligo.model.contract import (
    Contract,
    Exclusion,
    FieldMapping,
    NoticeRule,
    Renegotiation,
    Service,
    VolumeDrift,
)
from obligo.model.metrics import (
    Aggregate,
    AggregateMetric,
    Availability,
    AvailabilityMetric,
    CalendarPeriod,
    DurationSpec,
    Ratio,
    RatioMetric,
    ShareWithinTarget,
    ShareWithinTargetMetric,
    SliceAtLeast,
    SliceEvery,
    SliceExists,
    SliceWithoutData,
    TotalDuration,
    TotalDurationMetric,
)

ROOT = Path(__file__).resolve().parents[1]
MONTH = CalendarPeriod(unit="month")


def sel(record_type: str, where: Condition | None = None) -> Selection:
    return Selection(record_type=record_type, where=where)


def test_schema_from_every_kind_of_use() -> None:
    corporate = Contract(
        id="corporate",
        timezone="Europe/London",
        mappings=(
            FieldMapping(source="sev", target="severity"),
            FieldMapping(source="begin", target="start", record_type="incident"),
        ),
        exclusions=(
            Exclusion(
                id="maintenance",
                sources=(
                    sel("maintenance", Compare(field="planned", op="=", value=Boolean(value=True))),
                ),
                valid_when=(
                    NoticeRule(
                        announced_field="announced",
                        at_least=Duration(amount=Decimal(5), unit="days"),
                        before_field="start",
                    ),
                ),
            ),
        ),
    )
    contract = Contract(
        id="customer",
        imported=(corporate,),
        mappings=(FieldMapping(source="begin_time", target="start", record_type="incident"),),
        services=(
            Service(id="api", fee_from=sel("invoice", Compare(field="product", op="=", value=Text(value="api")))),
        ),
        metrics=(
            AggregateMetric(
                id="latency",
                measure=Aggregate(
                    function="percentile",
                    percentile=Percent(value=Decimal(95)),
                    field="latency_ms",
                    selection=sel(
                        "request",
                        Member(field="status", values=(Number(value=Decimal(500)), Number(value=Decimal(503)))),
                    ),
                    period=MONTH,
                ),
            ),
            ShareWithinTargetMetric(
                id="resolution",
                measure=ShareWithinTarget(
                    selection=sel("ticket", Compare(field="opened", op=">=", value=DateValue(value="2026-01-01"))),
                    group_by=("priority",),
                    period=MONTH,
                ),
                duration=DurationSpec(start_field="opened", end_field="resolved"),
            ),
            RatioMetric(
                id="ratio",
                measure=Ratio(
                    numerator=Call(function="sum", arguments=(FieldOf(field="delivered", selection=sel("packet")),)),
                    denominator=Call(function="count", arguments=(SelectionArg(selection=sel("packet")),)),
                    period=MONTH,
                ),
            ),
            TotalDurationMetric(
                id="outages",
                measure=TotalDuration(selection=sel("outage", Presence(field="cause", present=False)), period=MONTH),
            ),
            AvailabilityMetric(
                id="slices",
                measure=Availability(period=MONTH),
                slice_down=(
                    SliceEvery(field="zone", values=(Text(value="eu-1a"),), selection=sel("probe", Compare(field="ok", op="=", value=Boolean(value=False)))),
                    SliceAtLeast(count=2, field="site", selection=sel("probe")),
                    SliceExists(selection=sel("feature-minute", Compare(field="error_rate", op=">", value=Percent(value=Decimal(5))))),
                ),
                slice_without=(SliceWithoutData(selection=sel("heartbeat"), rule="up"),),
            ),
            AggregateMetric(
                id="mixed",
                measure=Aggregate(
                    function="count",
                    selection=sel(
                        "request",
                        Member(field="code", values=(Number(value=Decimal(1)), Text(value="x"))),
                    ),
                    period=MONTH,
                ),
            ),
        ),
        clauses=(
            Clause(
                id="1",
                termination_rights=(
                    TerminationRight(
                        triggers=(
                            LongEvents(
                                count=3,
                                selection=sel("long-outage", Compare(field="severity", op="<=", value=Number(value=Decimal(2)))),
                                longer_than=Duration(amount=Decimal(30), unit="minutes"),
                                within=Duration(amount=Decimal(30), unit="days"),
                            ),
                        )
                    ),
                ),
            ),
        ),
        renegotiations=(
            Renegotiation(condition=VolumeDrift(selection=sel("call"), percent=Percent(value=Decimal(25)))),
        ),
    )  # fmt: skip
    schema = schema_for(contract, {"latency_ms": "latencyMs"})
    assert schema.record_types == frozenset(
        {
            "maintenance", "invoice", "request", "ticket", "packet", "outage", "probe",
            "feature-minute", "heartbeat", "long-outage", "call",
        }
    )  # fmt: skip
    assert dict(schema.fields) == {
        "type": FieldType.TEXT,
        "id": FieldType.TEXT,
        "time": FieldType.TIMESTAMP,
        "start": FieldType.TIMESTAMP,
        "end": FieldType.TIMESTAMP,
        "updated": FieldType.TIMESTAMP,
        "amount": FieldType.TEXT,
        "announced": FieldType.TIMESTAMP,
        "cause": FieldType.TEXT,
        "code": FieldType.TEXT,  # compared with a number and a text
        "currency": FieldType.TEXT,
        "delivered": FieldType.NUMBER,
        "error_rate": FieldType.NUMBER,
        "latency_ms": FieldType.NUMBER,
        "ok": FieldType.BOOLEAN,
        "opened": FieldType.TIMESTAMP,
        "period": FieldType.TEXT,
        "planned": FieldType.BOOLEAN,
        "priority": FieldType.TEXT,
        "product": FieldType.TEXT,
        "resolved": FieldType.TIMESTAMP,
        "severity": FieldType.NUMBER,
        "site": FieldType.TEXT,
        "status": FieldType.NUMBER,
        "zone": FieldType.TEXT,
    }
    assert list(schema.fields)[:6] == ["type", "id", "time", "start", "end", "updated"]
    assert schema.timezone == "Europe/London"
    assert schema.mappings == (
        FieldSource("latency_ms", "latencyMs"),
        FieldSource("severity", "sev"),
        FieldSource("start", "begin_time", "incident"),
    )
    assert schema.source_of("start", "incident") == "begin_time"
    assert schema.source_of("start", "probe") == "start"
    assert schema.source_of("latency_ms", "request") == "latencyMs"


def test_structural_use_beats_comparisons() -> None:
    contract = Contract(
        id="c",
        metrics=(
            ShareWithinTargetMetric(
                id="m",
                measure=ShareWithinTarget(
                    selection=sel("ticket", Compare(field="severity", op="<=", value=Number(value=Decimal(2)))),
                    group_by=("severity",),
                    period=MONTH,
                ),
            ),
        ),
    )  # fmt: skip
    assert schema_for(contract).fields["severity"] is FieldType.TEXT


def test_command_line_mappings_replace_the_contracts() -> None:
    contract = Contract(
        id="c",
        mappings=(FieldMapping(source="begin_time", target="start", record_type="incident"),),
    )
    schema = schema_for(contract, {"start": "from", "type": "kind"})
    assert schema.mappings == (FieldSource("start", "from"), FieldSource("type", "kind"))
    assert schema.sources()[:2] == ["kind", "id"]


def test_schema_checks() -> None:
    with pytest.raises(ValueError, match="always timestamp"):
        EventSchema(fields={"start": FieldType.TEXT}, record_types=frozenset())
    with pytest.raises(ValueError, match="reserved"):
        EventSchema(fields={"_line": FieldType.TEXT}, record_types=frozenset())
    with pytest.raises(ValueError, match="record type field"):
        EventSchema(
            fields={},
            record_types=frozenset(),
            mappings=(FieldSource("type", "kind", "incident"),),
        )
    assert FieldType.NUMBER.sql == "DECIMAL(38, 9)"
    assert FieldType.TIMESTAMP.sql == "TIMESTAMPTZ"


@pytest.mark.parametrize("name", ["initech-analytics.sla", "globex.sla", "contoso-helpdesk.sla"])
def test_example_contracts(name: str) -> None:
    path = ROOT / "contracts" / name
    if not path.exists():  # pragma: no cover - the examples live beside the code
        pytest.skip("example contract not present")
    schema = schema_for(obligo.load(path))
    assert schema.record_types
    assert all(kind in FieldType for kind in schema.fields.values())
    if name == "initech-analytics.sla":
        assert FieldSource("start", "begin_time", "incident") in schema.mappings
        assert schema.fields["latency_ms"] is FieldType.NUMBER
        assert schema.timezone == "America/Chicago"
    if name == "globex.sla":  # timezone and exclusions come from the imported corporate level
        assert schema.timezone == "Europe/London"
        assert {"incident", "maintenance"} <= schema.record_types
    if name == "contoso-helpdesk.sla":
        assert schema.fields["opened"] is FieldType.TIMESTAMP
        assert schema.fields["priority"] is FieldType.TEXT


def test_union_of_schemas_reads_what_each_reads() -> None:
    from obligo.events import union_of, with_field

    first = EventSchema(fields={"status": FieldType.NUMBER}, record_types=frozenset({"request"}))
    second = with_field(
        EventSchema(fields={"ok": FieldType.BOOLEAN}, record_types=frozenset({"probe"})),
        "customer",
        FieldType.TEXT,
    )
    union = union_of([first, second])
    assert {name: kind for name, kind in union.fields.items() if name not in RESERVED_FIELDS} == {
        "customer": FieldType.TEXT,
        "ok": FieldType.BOOLEAN,
        "status": FieldType.NUMBER,
    }
    assert union.record_types == {"request", "probe"}


def test_union_of_schemas_refuses_what_cannot_share_a_log() -> None:
    from obligo.events import union_of

    number = EventSchema(fields={"code": FieldType.NUMBER}, record_types=frozenset({"r"}))
    text = EventSchema(fields={"code": FieldType.TEXT}, record_types=frozenset({"r"}))
    with pytest.raises(ValueError, match="'code' is read as number by one agreement and as text"):
        union_of([number, text])
    one = EventSchema(fields={}, record_types=frozenset(), mappings=(FieldSource("start", "a"),))
    two = EventSchema(fields={}, record_types=frozenset(), mappings=(FieldSource("start", "b"),))
    with pytest.raises(ValueError, match="read from 'a' by one agreement and from 'b'"):
        union_of([one, two])
    berlin = EventSchema(fields={}, record_types=frozenset(), timezone="Europe/Berlin")
    with pytest.raises(ValueError, match="different timezones"):
        union_of([berlin, EventSchema(fields={}, record_types=frozenset())])

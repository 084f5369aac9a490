"""``obligo eval --format openmetrics``: the exposition a textfile collector or a push gateway
reads, parsed back with prometheus_client's OpenMetrics parser and compared with the values of
the bundled reports (contracts/*/expected.json), which are worked out by hand in each sample's
README."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from prometheus_client.openmetrics.parser import text_string_to_metric_families
from prometheus_client.parser import text_string_to_metric_families as prometheus_text_families
from prometheus_client.samples import Sample

from obligo.cli import cli
from obligo.render.openmetrics import escape_label_value, portfolio_openmetrics
from test_portfolio import nimbus

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "openmetrics"


def _exposition(sample: str) -> str:
    spec = json.loads((REPO / "contracts" / sample / "eval.json").read_text(encoding="utf-8"))
    events = [arg for path in spec["events"] for arg in ("--events", str(REPO / path))]
    result = CliRunner().invoke(
        cli,
        [
            "eval",
            str(REPO / spec["contract"]),
            *events,
            "--at",
            spec["at"],
            "--format",
            "openmetrics",
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output


def _samples(text: str) -> dict[str, list[Sample]]:
    found: dict[str, list[Sample]] = {}
    for family in text_string_to_metric_families(text):
        found.setdefault(family.name, []).extend(family.samples)
    return found


def _value(samples: list[Sample], **labels: str) -> float:
    matching = [s for s in samples if all(s.labels.get(k) == v for k, v in labels.items())]
    assert len(matching) == 1, (labels, matching)
    return matching[0].value


@pytest.mark.parametrize("sample", ["cogent-network", "acme-hosting"])
def test_exposition_is_the_golden_file_byte_for_byte(sample: str) -> None:
    text = _exposition(sample)
    assert text == (GOLDEN / f"{sample}.om").read_text(encoding="utf-8")
    assert text.endswith("# EOF\n")
    assert _exposition(sample) == text  # deterministic


def test_credits_owed_parse_back_exactly_with_their_currency() -> None:
    # cogent-network's report: credits of 96.77 (clause 1, January), 53.57 (clause 2, February)
    # and 48.39 (clause 3, January) USD; 198.73 in all, of which 53.57 is still to claim and
    # 145.16 past its claim deadline.
    families = _samples(_exposition("cogent-network"))
    amounts = families["obligo_consequence_amount"]
    assert [(s.labels["clause"], s.labels["period"], s.value) for s in amounts] == [
        ("1", "2026-01", 96.77),
        ("2", "2026-02", 53.57),
        ("3", "2026-01", 48.39),
    ]
    assert {s.labels["currency"] for s in amounts} == {"USD"}
    assert {s.labels["kind"] for s in amounts} == {"credit"}
    total = {"contract": "cogent-network", "currency": "USD"}
    assert _value(families["obligo_credits_owed"], **total) == 198.73
    assert _value(families["obligo_credits_to_claim"], **total) == 53.57
    assert _value(families["obligo_credits_claim_passed"], **total) == 145.16
    assert _value(families["obligo_penalties_owed"], **total) == 0


def test_status_value_and_error_budget_of_acme_hosting() -> None:
    # The README's table: January met at 99.922839506%, February breached at 99.86359127%,
    # April pending with 1392 seconds of downtime left (46.296296296% of the budget used).
    families = _samples(_exposition("acme-hosting"))
    status = families["obligo_objective_status"]
    uptime = {"contract": "acme-hosting", "customer": "acme", "clause": "4.1"}

    def state(period: str) -> list[str]:
        return [
            s.labels["status"]
            for s in status
            if s.value == 1 and all(s.labels.get(k) == v for k, v in uptime.items())
            if s.labels["period"] == period
        ]

    assert state("2026-01") == ["met"]
    assert state("2026-02") == ["breached"]
    assert state("2026-04") == ["pending"]
    values = families["obligo_objective_value"]
    assert _value(values, period="2026-01", unit="%", **uptime) == 99.922839506
    assert _value(values, period="2026-02", unit="%", **uptime) == 99.86359127
    assert _value(families["obligo_objective_target"], period="2026-01", **uptime) == 99.9
    left = _value(
        families["obligo_error_budget_remaining"],
        period="2026-04",
        unit="seconds of downtime",
        **uptime,
    )
    assert left == 1392
    used = _value(families["obligo_error_budget_used_percent"], period="2026-04", **uptime)
    assert math.isclose(used, 46.296296296)
    # A grouped objective carries its group; the objective's text keeps its quotes.
    response = [s for s in values if s.labels["clause"] == "5.1"]
    assert {s.labels["group"] for s in response} == {"P1"}
    assert {s.labels["objective"] for s in response} == {'first-response for "P1" >= 95%'}
    info = families["obligo_report_info"][0]
    assert info.labels["evaluated_at"] == "2026-04-15T12:00:00+02:00"


@pytest.mark.parametrize("sample", ["cogent-network", "acme-hosting"])
def test_the_prometheus_text_parser_reads_the_same_samples(sample: str) -> None:
    # A node exporter's textfile collector reads the Prometheus text format: gauges only.
    text = _exposition(sample)
    families = list(prometheus_text_families(text))
    assert {f.type for f in families} == {"gauge"}
    assert [(s.name, s.labels, s.value) for f in families for s in f.samples] == [
        (s.name, s.labels, s.value) for f in text_string_to_metric_families(text) for s in f.samples
    ]


def test_no_sample_has_a_timestamp_and_every_family_has_help_and_type() -> None:
    text = _exposition("cogent-network")
    for family in text_string_to_metric_families(text):
        assert family.name.startswith("obligo_")
        assert family.documentation
        assert all(s.timestamp is None for s in family.samples)
    lines = text.splitlines()
    typed = [line.split()[2] for line in lines if line.startswith("# TYPE ")]
    helped = [line.split()[2] for line in lines if line.startswith("# HELP ")]
    assert typed == helped


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('say "hi"', 'say \\"hi\\"'),
        ("C:\\logs", "C:\\\\logs"),
        ("two\nlines", "two\\nlines"),
        ("bell\x07", "bell\\\\x07"),  # a control is made visible, then its backslash escaped
    ],
)
def test_label_values_are_escaped_as_the_specification_says(value: str, written: str) -> None:
    assert escape_label_value(value) == written
    line = f'obligo_x{{clause="{escape_label_value(value)}"}} 1\n# EOF\n'
    [family] = text_string_to_metric_families("# TYPE obligo_x gauge\n" + line)
    shown = value.replace("\x07", "\\x07")
    assert family.samples[0].labels["clause"] == shown


def test_openmetrics_is_among_the_formats_of_eval() -> None:
    result = CliRunner().invoke(cli, ["eval", "--help"])
    assert "openmetrics" in result.output


def test_an_agreement_set_labels_each_section_and_repeats_no_series(tmp_path: Path) -> None:
    text = portfolio_openmetrics(nimbus(tmp_path))
    families = _samples(text)
    keys = [(name, tuple(sorted(s.labels.items()))) for name, ss in families.items() for s in ss]
    assert len(keys) == len(set(keys))  # one series one sample
    # Globex's database, June: 120 minutes down of 43,200 (tests/test_portfolio.py).
    june = _value(
        families["obligo_objective_value"],
        customer="globex",
        service="db",
        period="2026-06",
        metric="uptime",
    )
    assert june == 99.722222222
    sections = {(s.labels["customer"], s.labels["service"]) for s in families["obligo_report_info"]}
    assert ("globex", "db") in sections
    assert ("initrode", "crm") in sections


def test_a_credit_that_may_be_earned_back_says_where_it_stands() -> None:
    # Texas DIR's sample (contracts/texas-dir-dcs/README.md): January's credit is owed (February
    # breached within its window), February's earned back, June's provisional (3 months left).
    samples = _samples(_exposition("texas-dir-dcs"))
    amounts = {
        (s.labels["period"], s.labels.get("earn_back")): s.value
        for s in samples["obligo_consequence_amount"]
    }
    assert amounts[("2026-01", "owed")] == 2000.0
    assert amounts[("2026-02", "earned_back")] == 0.0
    assert amounts[("2026-06", "provisional")] == 2200.0
    assert _value(samples["obligo_credits_provisional"], currency="USD") == 2200.0
    # The owed total leaves the provisional credit out.
    assert _value(samples["obligo_credits_owed"], currency="USD") == 2000.0


def test_no_provisional_family_without_a_credit_that_may_be_earned_back() -> None:
    assert "obligo_credits_provisional" not in _exposition("acme-hosting")

"""obligo import openslo: OpenSLO files (the specification's own examples, and one of several
kinds) written as contracts that check clean and print back unchanged, and each part left out
named at its YAML line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import obligo
from obligo.cli import cli
from obligo.interop.openslo import Note, export_openslo, import_openslo

ROOT = Path(__file__).resolve().parent.parent
DATA = Path("tests/data/openslo")

TRANSLATED = [
    "spec/examples_budgeting-method_occurences-slo",
    "spec/examples_treat-low-traffic-as-equally-important_timeslices-slo",
    "shop",
]


def _import(name: str) -> tuple[str, list[Note]]:
    path = DATA / f"{name}.yaml"
    imported = import_openslo((ROOT / path).read_text(encoding="utf-8"), str(path))
    return imported.text, imported.notes


@pytest.mark.parametrize("name", TRANSLATED)
def test_the_contract_is_the_golden_one_checks_clean_and_prints_back_unchanged(
    name: str,
) -> None:
    text, _ = _import(name)
    assert text == (ROOT / DATA / f"{name}.sla").read_text(encoding="utf-8")
    assert obligo.check(obligo.parse(text, f"{Path(name).name}.sla")) == []
    assert obligo.format_contract(text) == text


def test_an_occurrences_threshold_is_a_ratio_of_counts_over_a_rolling_window() -> None:
    text, notes = _import("spec/examples_budgeting-method_occurences-slo")
    assert (
        "  ratio of count(search-latency records where value < 500) to count(search-latency "
        "records), over a rolling 2 weeks\n" in text
    )
    assert "  promise search-slo >= 99%\n" in text
    assert notes == []


def test_timeslices_of_a_ratio_are_slices_down_below_the_slice_target() -> None:
    text, _ = _import("spec/examples_treat-low-traffic-as-equally-important_timeslices-slo")
    assert "  availability, per 1 week from 2022-01-01\n  in slices of 1 minute\n" in text
    assert "  a slice is down when good / total < 95%\n" in text
    # A slice without samples is no data, as in OpenSLO: never counted up (0 / 0).
    assert "  a slice without web-availability-total records is skipped\n" in text
    assert '  timezone "America/New_York"\n' in text
    assert "  promise service-availability >= 99.95%\n" in text


def test_what_has_no_equivalent_is_named_at_its_line() -> None:
    _, ratio_notes = _import("spec/examples_budgeting-method_ratio-timeslices")
    assert ratio_notes == [
        Note(
            29,
            "SLO 'main-page': budgetingMethod RatioTimeslices (the mean of each slice's ratio) "
            "has no equivalent: left out",
        )
    ]
    _, minute_notes = _import("spec/examples_budgeting-method_timeslices-slo")
    assert [(n.line, n.message.split(":")[1].strip()) for n in minute_notes] == [
        (27, "a calendar window of 1m (minutes) has no equivalent")
    ]
    _, shop_notes = _import("shop")
    assert [n.line for n in shop_notes] == [31, 46, 81, 88]
    assert "alertPolicies" in shop_notes[1].message
    assert "AlertPolicy 'fast-burn'" in shop_notes[2].message


def test_bad_events_count_against_the_total_and_v1alpha_ratios_are_read() -> None:
    text, _ = _import("shop")
    assert (
        "  ratio of sum(value in checkout-errors-total records) minus sum(value in "
        "checkout-errors-bad records) to sum(value in checkout-errors-total records), per "
        "calendar month\n" in text
    )
    assert '# checkout-errors-bad records: Prometheus: http_requests_total{job="checkout", ' in text
    assert "  a slice is down when there are search-p99 records where value > 0.5\n" in text
    assert (
        "  ratio of sum(value in login-good records) to sum(value in login-total records), " in text
    )
    assert "  promise checkout-availability >= 99.9%\n" in text


def test_a_rolling_month_is_left_out_not_approximated() -> None:
    yaml = (
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: api\nspec:\n"
        "  indicator:\n    spec:\n      thresholdMetric:\n        metricSource:\n"
        "          type: Prometheus\n  timeWindow:\n    - duration: 1M\n      isRolling: true\n"
        "  objectives:\n    - op: lt\n      value: 1\n      target: 0.9\n"
    )
    imported = import_openslo(yaml, "api.yaml")
    assert imported.objectives == 0
    assert [n.line for n in imported.notes] == [12]
    assert "rolling window of 1M" in imported.notes[0].message


def test_cli_writes_the_contract_and_names_what_it_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "shop.sla"
    result = CliRunner().invoke(cli, ["import", "openslo", str(DATA / "shop.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (ROOT / DATA / "shop.sla").read_text(encoding="utf-8")
    assert result.stderr.splitlines()[-1] == "4 objectives imported, 4 parts left out"
    assert result.stderr.splitlines()[0] == (
        "tests/data/openslo/shop.yaml:31: metadata labels have no equivalent: left out"
    )


def test_cli_refuses_text_that_is_not_yaml_at_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: openslo/v1\nkind: [SLO\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "openslo", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:3:" in result.stderr
    assert "not valid YAML" in result.stderr


# ------------------------------------------------------------------------------------- export
@pytest.mark.parametrize("name", TRANSLATED)
def test_export_then_import_gives_the_contract_back(name: str) -> None:
    contract = obligo.load(ROOT / DATA / f"{name}.sla")
    exported = export_openslo(contract)
    assert exported.left_out == []
    assert exported.objectives == len([p for c in contract.clauses for p in c.promises])
    back = import_openslo(exported.text, "back.yaml")
    assert back.notes == []

    def body(text: str) -> list[str]:  # the comments name sources and files: not compared
        return [line for line in text.splitlines() if not line.startswith("#")]

    assert body(back.text) == body((ROOT / DATA / f"{name}.sla").read_text(encoding="utf-8"))


def test_export_writes_a_ratio_source_and_a_calendar_window() -> None:
    text = export_openslo(obligo.load(ROOT / DATA / "shop.sla")).text
    assert text.startswith(
        '---\napiVersion: "openslo/v1"\nkind: "Service"\nmetadata:\n  name: "shop"\n'
        '  displayName: "Web shop"\nspec: {}\n---\n'
    )
    assert (
        '      ratioMetric:\n        counter: false\n        bad:\n          metricSource:\n            type: "obligo"\n'
        '            spec:\n              records: "checkout-errors-bad"\n' in text
    )
    assert (
        '    - duration: "1M"\n      isRolling: false\n      calendar:\n'
        '        startTime: "2024-01-01 00:00:00"\n        timeZone: "Europe/Berlin"\n' in text
    )
    assert (
        '      op: "lte"\n      value: 0.5\n      timeSliceTarget: 1\n      timeSliceWindow: "1m"\n'
        "      target: 0.995\n" in text
    )


def test_export_of_a_bundled_contract_names_each_objective_left_out_and_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["export", "openslo", "contracts/initech-analytics.sla"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1] == "0 objectives exported, 11 left out"
    assert lines[1] == (
        "contracts/initech-analytics.sla:116: clause 2, ingest-uptime: its period (a billing "
        "cycle) has no OpenSLO time window: left out"
    )
    assert lines[0].startswith("contracts/initech-analytics.sla:110: clause 1, query-latency: ")


def test_export_leaves_out_slices_without_records_counted_up() -> None:
    text = (ROOT / DATA / "shop.sla").read_text(encoding="utf-8")
    up = text.replace("search-p99 records is skipped", "search-p99 records is up", 1)
    exported = export_openslo(obligo.parse(up, "up.sla"))
    assert exported.objectives == 3
    assert [(n.line, n.message.split(": ")[1]) for n in exported.left_out] == [
        (
            43,  # clause 2, the promise of search-latency-1
            "a slice without search-p99 records must be skipped (no data), as in OpenSLO, and "
            "nothing else said of slices without records",
        )
    ]


def test_export_cli_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "shop.yaml"
    result = CliRunner().invoke(
        cli, ["export", "openslo", str(ROOT / DATA / "shop.sla"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["4 objectives exported, 0 left out"]
    assert (
        out.read_text(encoding="utf-8")
        == export_openslo(obligo.load(ROOT / DATA / "shop.sla")).text
    )

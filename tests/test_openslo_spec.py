"""obligo import/export openslo on the OpenSLO specification's own examples
(tests/data/openslo/spec/, see its README for where each comes from).

Each example either imports into a contract that checks clean and prints back unchanged, with
every part left out named at its YAML line (the golden ``.sla`` and ``.stderr``), or, holding no
SLO, is refused with a located error (the golden ``.stderr``). What export writes of an imported
contract reads back as the same contract, and is valid against the specification's JSON schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from ruamel.yaml import YAML

import obligo
from obligo.cli import cli
from obligo.interop.openslo import export_openslo, import_openslo

ROOT = Path(__file__).resolve().parent.parent
SPEC = Path("tests/data/openslo/spec")
EXAMPLES = sorted(path.stem for path in (ROOT / SPEC).glob("*.yaml"))

# The examples that hold an SLO, and how many objectives of each are imported.
IMPORTED = {
    "examples_budgeting-method_occurences-slo": 1,
    "examples_budgeting-method_ratio-timeslices": 0,  # RatioTimeslices: left out
    "examples_budgeting-method_timeslices-slo": 0,  # a calendar window of 1 minute: left out
    "examples_treat-low-traffic-as-equally-important_timeslices-slo": 1,
    "oslo_v1": 1,
    "oslo_v1alpha": 1,
    "readme_slo-inline-sli": 0,  # no timeWindow: left out
    "sdk-v1_slos": 1,
    "sdk-v1alpha_slos": 1,
}


def _golden(name: str, suffix: str) -> str:
    return (ROOT / SPEC / f"{name}{suffix}").read_text(encoding="utf-8")


def _cli_import(name: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(ROOT)
    return CliRunner().invoke(cli, ["import", "openslo", str(SPEC / f"{name}.yaml")])


def test_every_example_is_either_imported_or_refused() -> None:
    assert len(EXAMPLES) == 25
    refused = [name for name in EXAMPLES if name not in IMPORTED]
    assert len(refused) == 16
    assert all(not (ROOT / SPEC / f"{name}.sla").exists() for name in refused)


@pytest.mark.parametrize("name", EXAMPLES)
def test_import_writes_the_golden_contract_and_names_each_part_left_out(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _cli_import(name, monkeypatch)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stderr == _golden(name, ".stderr")
    if name in IMPORTED:
        assert result.exit_code == 0
        assert result.stdout == _golden(name, ".sla")
        assert obligo.check(obligo.parse(result.stdout, f"{name}.sla")) == []
        assert obligo.format_contract(result.stdout) == result.stdout
        objectives = IMPORTED[name]
        assert result.stderr.splitlines()[-1].startswith(
            f"{objectives} objective{'s' if objectives != 1 else ''} imported, "
        )
    else:
        assert result.exit_code == 2
        assert result.stdout == ""


def test_a_file_without_an_slo_is_refused_at_its_first_object(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = _cli_import("readme_alertpolicy-condition-inline", monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "tests/data/openslo/spec/readme_alertpolicy-condition-inline.yaml:1:1: error: no SLO of "
        "openslo/v1 or openslo/v1alpha in this file, so no objective to import: it holds "
        "AlertPolicy 'AlertPolicy' (line 1)"
    )
    v2 = _cli_import("oslo_v2alpha", monkeypatch)
    assert "SLO 'web-availability' (openslo.com/v2alpha, line 1)" in v2.stderr


def test_lists_of_objects_are_read_as_the_sdk_and_oslo_write_them() -> None:
    text = _golden("oslo_v1", ".sla")
    assert "  availability, per 1 week from 2022-01-01\n" in text
    assert "  a slice is down when good / total < 95%\n" in text
    assert 'service example-service "example-service"\n  description "Example service' in text
    assert "  promise web-availability >= 99.5%\n" in text


def test_a_week_from_a_saturday_is_not_a_calendar_week() -> None:
    # 2022-01-01 is a Saturday: the contract's calendar weeks start on Mondays.
    text = _golden("examples_treat-low-traffic-as-equally-important_timeslices-slo", ".sla")
    assert "per calendar week" not in text
    assert "  availability, per 1 week from 2022-01-01\n" in text
    monday = _golden("examples_treat-low-traffic-as-equally-important_timeslices-slo", ".sla")
    source = (
        ROOT / SPEC / "examples_treat-low-traffic-as-equally-important_timeslices-slo.yaml"
    ).read_text(encoding="utf-8")
    monday = import_openslo(source.replace("2022-01-01 12:00:00", "2022-01-03 00:00:00")).text
    assert "  availability, per calendar week\n" in monday


def test_a_calendar_month_from_another_day_than_the_first_is_left_out() -> None:
    yaml = (
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: api\nspec:\n"
        "  indicator:\n    spec:\n      thresholdMetric:\n        metricSource:\n"
        "          type: Prometheus\n  timeWindow:\n    - duration: 1M\n      calendar:\n"
        "        startTime: 2020-01-21 00:00:00\n        timeZone: Europe/Berlin\n"
        "  objectives:\n    - op: lt\n      value: 1\n      target: 0.9\n"
    )
    imported = import_openslo(yaml, "api.yaml")
    assert imported.objectives == 0
    assert [(n.line, n.message) for n in imported.notes] == [
        (
            14,
            "SLO 'api': a calendar month from 2020-01-21: a contract's calendar months start on "
            "the first day of the month: left out",
        )
    ]


def test_a_raw_ratio_and_a_composite_slo_are_left_out_at_their_lines() -> None:
    head = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: api\nspec:\n"
    window = "  timeWindow:\n    - duration: 28d\n      isRolling: true\n"
    raw = import_openslo(
        head + "  indicator:\n    spec:\n      ratioMetric:\n        rawType: success\n"
        "        raw:\n          metricSource:\n            type: Prometheus\n"
        + window
        + "  objectives:\n    - target: 0.9\n",
        "raw.yaml",
    )
    assert [(n.line, n.message) for n in raw.notes] == [
        (
            10,
            "SLO 'api', objective 1: a raw ratio metric (a ratio computed elsewhere, its events "
            "unknown) has no equivalent: the contract counts good and total events itself: "
            "left out",
        )
    ]
    composite = import_openslo(
        head + window + "  objectives:\n    - target: 0.9\n      indicatorRef: a\n"
        "    - target: 0.9\n      indicatorRef: b\n",
        "composite.yaml",
    )
    assert composite.objectives == 0
    assert [n.line for n in composite.notes] == [11]
    assert "a composite SLO" in composite.notes[0].message


def test_an_sli_no_slo_uses_is_named_and_its_labels_are_named_once() -> None:
    sli = (
        "---\napiVersion: openslo/v1\nkind: SLI\nmetadata:\n  name: {name}\n  labels:\n"
        "    team: a\nspec:\n  thresholdMetric:\n    metricSource:\n      type: Prometheus\n"
    )
    slo = (
        "---\napiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: {name}\nspec:\n"
        "  indicatorRef: used\n  budgetingMethod: Occurrences\n  timeWindow:\n    - duration: 1d\n      isRolling: true\n"
        "  objectives:\n    - op: lt\n      value: 1\n      target: 0.9\n"
    )
    text = sli.format(name="used") + sli.format(name="spare") + slo.format(name="a")
    text += slo.format(name="b")
    imported = import_openslo(text, "slis.yaml")
    assert imported.objectives == 2
    assert [(n.line, n.message) for n in imported.notes] == [
        (6, "metadata labels have no equivalent: left out"),
        (14, "SLI 'spare' is the indicator of no SLO in this file: left out"),
    ]


# ------------------------------------------------------------------------- round trip, schema
ROUND_TRIPPED = [name for name, objectives in IMPORTED.items() if objectives]


def _without_comments(text: str) -> list[str]:
    # The comments name the file and each record type's source (a query there, "obligo" in
    # what export writes): the contract is the rest.
    return [line for line in text.splitlines() if not line.startswith("#")]


@pytest.mark.parametrize("name", ROUND_TRIPPED)
def test_export_then_import_gives_the_imported_contract_back(name: str) -> None:
    contract_text = _golden(name, ".sla")
    exported = export_openslo(obligo.parse(contract_text, f"{name}.sla"))
    assert exported.left_out == []
    assert exported.objectives == IMPORTED[name]
    back = import_openslo(exported.text, "back.yaml")
    assert back.notes == []
    assert _without_comments(back.text) == _without_comments(contract_text)


def _schema() -> Draft7Validator:
    folder = ROOT / SPEC / "schema-v1"
    resources = [
        Resource.from_contents(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(folder.rglob("*.schema.json"))
    ]
    registry: Registry[Any] = Registry().with_resources(
        (resource.id() or "", resource) for resource in resources
    )
    root = json.loads((folder / "openslo.schema.json").read_text(encoding="utf-8"))
    return Draft7Validator(root, registry=registry)


def _documents(text: str) -> list[Any]:
    return [doc for doc in YAML(typ="safe", pure=True).load_all(text) if doc is not None]


@pytest.mark.parametrize("name", ROUND_TRIPPED)
def test_what_export_writes_is_valid_against_the_specifications_schema(name: str) -> None:
    text = export_openslo(obligo.parse(_golden(name, ".sla"), f"{name}.sla")).text
    documents = _documents(text)
    assert [d["kind"] for d in documents].count("SLO") == IMPORTED[name]
    validator = _schema()
    for document in documents:
        assert [error.message for error in validator.iter_errors(document)] == []


def test_the_schema_rejects_what_the_specification_forbids() -> None:
    # The check above can fail: an SLO whose target is above 1 or whose ratio has no counter
    # is refused.
    text = export_openslo(obligo.load(ROOT / "tests/data/openslo/shop.sla")).text
    slo = next(d for d in _documents(text) if d["kind"] == "SLO")
    validator = _schema()
    assert list(validator.iter_errors(slo)) == []
    slo["spec"]["objectives"][0]["target"] = 1.5
    assert list(validator.iter_errors(slo)) != []
    slo["spec"]["objectives"][0]["target"] = 0.9
    del slo["spec"]["indicator"]["spec"]["ratioMetric"]["counter"]
    assert list(validator.iter_errors(slo)) != []


def test_objective_keys_that_say_nothing_to_the_contract_are_named() -> None:
    yaml = (
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: api\nspec:\n"
        "  indicator:\n    spec:\n      thresholdMetric:\n        metricSource:\n"
        "          type: Prometheus\n  timeWindow:\n    - duration: 28d\n      isRolling: true\n"
        "  objectives:\n    - op: lt\n      value: 1\n      target: 0.9\n"
        "      timeSliceWindow: 1m\n      targt: 0.99\n"
    )
    imported = import_openslo(yaml, "api.yaml")
    assert imported.objectives == 1
    assert [(n.line, n.message) for n in imported.notes] == [
        (6, "SLO 'api': no budgetingMethod (OpenSLO requires one): read as Occurrences"),
        (18, "SLO 'api': timeSliceWindow counts for Timeslices only, not Occurrences: ignored"),
        (19, "SLO 'api': targt is no key of an OpenSLO objective: ignored"),
    ]


def test_a_window_neither_rolling_nor_calendar_is_left_out() -> None:
    yaml = (
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: api\nspec:\n"
        "  budgetingMethod: Occurrences\n  indicator:\n    spec:\n      thresholdMetric:\n"
        "        metricSource:\n          type: Prometheus\n  timeWindow:\n    - duration: 1M\n"
        "  objectives:\n    - op: lt\n      value: 1\n      target: 0.9\n"
    )
    imported = import_openslo(yaml, "api.yaml")
    assert imported.objectives == 0
    assert [(n.line, n.message) for n in imported.notes] == [
        (
            13,
            "SLO 'api': a time window neither rolling (isRolling: true) nor calendar-aligned "
            "(calendar:): which periods is not said: left out",
        )
    ]


def test_an_unknown_slo_key_is_named_and_the_sli_description_kept_as_a_comment() -> None:
    yaml = (
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: api\nspec:\n"
        "  budgetingMethod: Occurrences\n  indicator:\n    metadata:\n      name: lag\n"
        "    spec:\n      description: Consumer lag\n      thresholdMetric:\n"
        "        metricSource:\n          type: Prometheus\n  timeWindow:\n"
        "    - duration: 1d\n      isRolling: true\n  objectives:\n    - op: lt\n"
        "      value: 1\n      target: 0.9\n  alertPolicy: []\n"
    )
    imported = import_openslo(yaml, "api.yaml")
    assert [(n.line, n.message) for n in imported.notes] == [
        (22, "SLO 'api': alertPolicy is no key of an SLO's spec: ignored")
    ]
    assert "# SLI lag description: Consumer lag\n# lag records: Prometheus\n" in imported.text


# ------------------------------------------------------------------- never a crash, any shape
_SLO = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: api\n"
_FINE = (
    "  timeWindow: [{duration: 1d, isRolling: true}]\n  indicator: {spec: {thresholdMetric: {}}}\n"
)
MISSHAPEN = {
    "spec a number": (_SLO + "spec: 3\n", "spec is no mapping"),
    "objectives a number": (_SLO + "spec:\n  objectives: 3\n", "objectives is no list"),
    "a window a mapping": (_SLO + "spec:\n  timeWindow: {duration: 1d}\n", "timeWindow is no list"),
    "an objective a number": (_SLO + "spec:\n" + _FINE + "  objectives: [3]\n", "an item of"),
    "an indicator a number": (
        _SLO + "spec:\n  indicator: 5\n  objectives: [{target: 0.9}]\n",
        "indicator is no mapping",
    ),
    "good a number": (
        _SLO + "spec:\n  indicator: {spec: {ratioMetric: {good: 1, total: 2}}}\n",
        "good is no mapping",
    ),
    "a calendar a number": (
        _SLO + "spec:\n  timeWindow: [{duration: 1d, calendar: 5}]\n",
        "calendar is no mapping",
    ),
    "a count no number": (
        _SLO + "spec:\n  timeWindow: [{count: x, unit: day, isRolling: true}]\n"
        "  indicator: {spec: {thresholdMetric: {}}}\n  objectives: [{target: 0.9}]\n",
        "count 'x' is no whole number",
    ),
    "a target NaN": (
        _SLO + "spec:\n" + _FINE + "  objectives: [{target: .nan, op: lt, value: 1}]\n",
        "target nan is no number",
    ),
    "a value infinite": (
        _SLO + "spec:\n" + _FINE + "  objectives: [{target: 0.9, op: lt, value: .inf}]\n",
        "value inf is no number",
    ),
    "a value below zero": (
        _SLO + "spec:\n" + _FINE + "  objectives: [{target: 0.9, op: lt, value: -1}]\n",
        "a threshold below zero (-1) has no number in a contract",
    ),
    "an unknown time zone": (
        _SLO + "spec:\n  timeWindow: [{duration: 1d, calendar: {timeZone: Mars/Olympus}}]\n"
        "  indicator: {spec: {thresholdMetric: {}}}\n"
        "  objectives: [{target: 0.9, op: lt, value: 1}]\n",
        "time zone 'Mars/Olympus' is no name of the IANA time zone database",
    ),
}


@pytest.mark.parametrize("case", sorted(MISSHAPEN))
def test_a_misshapen_slo_is_left_out_with_its_reason_never_a_crash(case: str) -> None:
    text, reason = MISSHAPEN[case]
    imported = import_openslo(text, "bad.yaml")
    assert imported.objectives == 0
    assert any(reason in note.message and note.line > 0 for note in imported.notes), [
        note.message for note in imported.notes
    ]
    assert obligo.check(obligo.parse(imported.text, "bad.sla")) == []


def test_a_date_that_is_none_is_refused_as_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _SLO + "spec:\n  timeWindow: [{duration: 1d, calendar: {startTime: 2020-02-30}}]\n"
    with pytest.raises(obligo.ObligoError, match="is not valid YAML: day is out of range"):
        import_openslo(text, "bad.yaml")


def _yaml_text(value: Any) -> str:
    import io

    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(value, out)
    return out.getvalue()


_ANY = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["1d", "2w", "1M", "lt", "gte", "Timeslices", "2022-01-03 00:00:00", "x"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=6,
)
_SLOTS = [
    ("spec", "timeWindow"),
    ("spec", "objectives"),
    ("spec", "indicator"),
    ("spec", "budgetingMethod"),
    ("window", "duration"),
    ("window", "calendar"),
    ("window", "isRolling"),
    ("objective", "target"),
    ("objective", "op"),
    ("objective", "value"),
    ("objective", "timeSliceWindow"),
    ("objective", "timeSliceTarget"),
    ("metric", "thresholdMetric"),
    ("metric", "ratioMetric"),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_SLOTS), _ANY), max_size=3))
def test_any_value_anywhere_gives_a_contract_that_checks_or_a_located_error(
    changes: list[tuple[tuple[str, str], Any]],
) -> None:
    window: dict[str, Any] = {"duration": "1w", "isRolling": False, "calendar": {}}
    objective: dict[str, Any] = {"target": 0.9, "op": "lt", "value": 1}
    metric: dict[str, Any] = {"thresholdMetric": {"metricSource": {"type": "Prometheus"}}}
    spec: dict[str, Any] = {
        "budgetingMethod": "Occurrences",
        "indicator": {"metadata": {"name": "lag"}, "spec": metric},
        "timeWindow": [window],
        "objectives": [objective],
    }
    places = {"spec": spec, "window": window, "objective": objective, "metric": metric}
    for (place, key), value in changes:
        places[place][key] = value
    document = {"apiVersion": "openslo/v1", "kind": "SLO", "metadata": {"name": "api"}}
    document["spec"] = spec
    try:
        imported = import_openslo(_yaml_text(document), "any.yaml")
    except obligo.ObligoError as error:
        assert error.file == "any.yaml"
        return
    assert obligo.check(obligo.parse(imported.text, "any.sla")) == []
    assert all(note.line > 0 for note in imported.notes)

"""Golden files: every bundled sample (``contracts/<name>/eval.json``) in every format people or
programs read, compared byte for byte with ``tests/golden/<format>/<name>.<ext>``.

A golden file changes only on purpose: ``OBLIGO_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
writes them anew, and the diff is then read and committed like code. None carries a time of its
own making (the evaluation time is the sample's ``at``), so the same inputs give the same bytes.

A new format is one line of ``GOLDEN`` (its name in ``obligo eval --format``, the extension of
its files, and the options it is rendered with).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from pathlib import Path

import pytest

from obligo import api
from obligo.render.formats import FORMATS
from obligo.render.options import RenderOptions
from obligo.report.evaluation import single_report
from obligo.report.model import Report
from obligo.report.portfolio import PortfolioReport

REPO = Path(__file__).resolve().parent.parent
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SAMPLES = sorted(p.parent.name for p in (REPO / "contracts").glob("*/eval.json"))
UPDATE = os.environ.get("OBLIGO_UPDATE_GOLDEN") == "1"

# format -> (extension, options). Text is folded at a fixed 80 columns, as on a terminal of that
# width; what goes to a file or a pipe is never folded (tests/test_formats_text.py).
GOLDEN: dict[str, tuple[str, RenderOptions]] = {
    "text": ("txt", RenderOptions(width=80)),
    "markdown": ("md", RenderOptions()),
    "json": ("json", RenderOptions()),
    "junit": ("xml", RenderOptions()),
}


@functools.cache
def evaluated(name: str) -> Report | PortfolioReport:
    """The sample's report, as ``obligo eval`` makes it, from the repository root."""
    spec = json.loads((REPO / "contracts" / name / "eval.json").read_text(encoding="utf-8"))
    previous = Path.cwd()
    os.chdir(REPO)  # the report names files as given, relative to the repository
    try:
        agreements = api.load_agreements([spec["contract"]])
        portfolio = api.evaluate_agreements(
            agreements,
            spec["events"],
            at=dt.datetime.fromisoformat(spec["at"]),
            window_start=dt.date.fromisoformat(spec["from"]) if spec.get("from") else None,
            window_end=dt.date.fromisoformat(spec["to"]) if spec.get("to") else None,
        )
    finally:
        os.chdir(previous)
    return single_report(portfolio) or portfolio


def golden_path(fmt: str, name: str) -> Path:
    return GOLDEN_DIR / fmt / f"{name}.{GOLDEN[fmt][0]}"


@pytest.mark.parametrize("fmt", list(GOLDEN))
@pytest.mark.parametrize("name", SAMPLES)
def test_report_is_its_golden_file(fmt: str, name: str) -> None:
    rendered = FORMATS[fmt].render(evaluated(name), GOLDEN[fmt][1])
    path = golden_path(fmt, name)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered.encode("utf-8"))
    assert path.exists(), f"no golden file {path}: run OBLIGO_UPDATE_GOLDEN=1 pytest {__file__}"
    assert rendered == path.read_bytes().decode("utf-8")


def test_every_format_of_obligo_eval_has_golden_files() -> None:
    """A format added to the registry without golden files fails here, not silently."""
    # HTML and OpenMetrics have golden files of their own tests (tests/test_html.py, every
    # sample and an agreement set; tests/test_openmetrics.py), checked there the same way.
    missing = set(FORMATS) - set(GOLDEN) - {"html", "openmetrics"}
    assert not missing, f"add a line to GOLDEN for {sorted(missing)}"


@pytest.mark.parametrize("name", SAMPLES)
def test_json_golden_file_is_the_bundled_expected_report(name: str) -> None:
    """Two copies of one report cannot drift apart: the JSON golden file is expected.json."""
    expected = (REPO / "contracts" / name / "expected.json").read_bytes()
    assert golden_path("json", name).read_bytes() == expected


def test_there_is_a_golden_file_for_every_sample_and_no_other() -> None:
    for fmt, (ext, _) in GOLDEN.items():
        found = sorted(p.name for p in (GOLDEN_DIR / fmt).glob(f"*.{ext}"))
        assert found == [f"{name}.{ext}" for name in SAMPLES], fmt

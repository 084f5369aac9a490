"""The examples of docs/budget-and-review.md are the commands' real output."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from obligo.cli import cli

DOC = (Path(__file__).parent.parent / "docs" / "budget-and-review.md").read_text(encoding="utf-8")
ACME = ["contracts/acme-hosting.sla", "--events", "contracts/acme-hosting/events.jsonl"]
AT = ["--at", "2026-04-15T12:00:00+02:00"]


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", DOC, flags=re.S)


def test_the_budget_example_is_its_output() -> None:
    result = CliRunner().invoke(cli, ["budget", *ACME, *AT])
    assert result.exit_code == 0
    assert blocks("text")[0] == result.stdout


def test_the_no_period_error_is_its_output() -> None:
    result = CliRunner().invoke(cli, ["budget", *ACME, "--at", "2027-08-01T00:00:00+02:00"])
    assert result.exit_code == 2
    assert blocks("text")[1] == result.stderr


def test_the_review_excerpts_are_in_its_output() -> None:
    result = CliRunner().invoke(cli, ["review", *ACME, "--period", "2026-03", *AT])
    assert result.exit_code == 0
    excerpts = blocks("markdown")
    assert len(excerpts) == 2
    for excerpt in excerpts:
        assert excerpt in result.stdout


def test_the_readme_example_is_in_the_output() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("  $ obligo budget contracts/acme-hosting.sla")
    example = readme[start : readme.index("  ```", start)].splitlines()[2:]
    result = CliRunner().invoke(cli, ["budget", *ACME, *AT])
    shown = [line.removeprefix("  ") for line in example]
    assert "\n".join(shown) in result.stdout

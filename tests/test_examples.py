"""The example contracts and the examples of the documentation parse and check cleanly.

- every ``contracts/*.sla`` loads and checks without errors, and with exactly the warnings it is
  meant to show (EXPECTED_WARNINGS);
- every ```` ```sla ```` block of ``docs/language.md``, ``docs/consequences.md`` and
  ``docs/rights-and-triggers.md`` is a complete contract that parses and checks without errors (a
  line marked ``# warning`` must carry a warning, no other line may). This is the one place the
  pages' blocks are read; tests that evaluate a page's example take it from :func:`doc_blocks`;
- every agreement of ``public-terms.md`` has its contract;
- together the contracts use every declaration of the grammar and every kind of metric, period,
  credit, cap, claim, trigger and renegotiation condition of the model, so coverage cannot silently
  shrink when the language grows.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import obligo
from obligo.errors import Diagnostic, Severity
from obligo.model import base, clauses, conditions, contract, metrics

REPO = Path(__file__).resolve().parent.parent
CONTRACTS = REPO / "contracts"
DOCS = REPO / "docs"
# The pages whose ```sla blocks are complete contracts, with how many blocks each has at least.
DOC_PAGES: dict[str, int] = {
    "language.md": 20,
    "consequences.md": 3,
    "rights-and-triggers.md": 3,
    "cookbook.md": 6,
}
GRAMMAR = REPO / "grammar" / "obligo.lark"

# One contract per section of /work/shared/slas/public-terms.md (S3 has one file per class).
PUBLIC_TERMS: dict[str, tuple[str, ...]] = {
    "1. AWS Compute, region level": ("aws-compute-region.sla",),
    "2. AWS Compute, single instance": ("aws-compute-instance.sla",),
    "3. Amazon S3": ("s3-standard.sla", "s3-infrequent-access.sla"),
    "4. Atlassian Cloud": ("atlassian-cloud.sla",),
    "5. GitHub Enterprise Cloud": ("github-enterprise.sla",),
    "6. Verizon Internet Dedicated": ("verizon-dia.sla",),
    "7. Lumen HAN": ("lumen-han.sla",),
    "8. PacketFabric": ("packetfabric.sla",),
    "9. GitLab support": ("gitlab-support.sla",),
}

# Warnings a contract shows on purpose: (a piece of the line it is on, a piece of its message).
# Matched by text, not line number, so that reformatting a file does not break the test.
EXPECTED_WARNINGS: dict[str, tuple[tuple[str, str], ...]] = {
    # The underlying supplier contract ends before the term: obligo must point it out.
    "acme-hosting.sla": (
        ('"netco-master.sla" ending 2026-12-31', "before the contract it supports"),
        # Four metrics nothing promises or reports: measured for no report (issue 13).
        ('metric region-uptime "Regional availability"', "neither promised nor reported"),
        ('metric storage-uptime "Storage availability"', "neither promised nor reported"),
        ('metric api-latency "API latency"', "neither promised nor reported"),
        (
            'metric long-outage-hours "Hours of outages of a quarter of an hour or more"',
            "neither promised nor reported",
        ),
    ),
    "fabrikam-checkout.sla": (
        ('"netco-master-2024.sla" ending 2026-12-31', "before the contract it supports"),
    ),
    # GitHub's own credit table leaves exactly 99.0% in no tier, encoded faithfully.
    "github-enterprise.sla": (("ghec-uptime < 99.0%", "a gap between tiers"),),
}


# ------------------------------------------------------------------------------------ helpers
def contract_files() -> list[Path]:
    return sorted(CONTRACTS.rglob("*.sla"))


def describe(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(d.format() for d in diagnostics)


def severities(diagnostics: list[Diagnostic], severity: Severity) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is severity]


def doc_blocks(page: str = "language.md") -> list[tuple[int, str]]:
    """Each ```sla block of a page of docs/: the line of its first line of code, and its text."""
    text = (DOCS / page).read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^```sla[ \t]*\n(.*?)^```[ \t]*$", text, re.M | re.S):
        line = text.count("\n", 0, match.start(1)) + 1
        found.append((line, match.group(1)))
    return found


def doc_contract_name(block: str) -> str:
    """The name a block's contract declares (``contract worked "..."``: ``worked``)."""
    words = re.search(r"^contract\s+(\S+)", block, re.M)
    return words.group(1) if words else "no-contract"


def doc_block_params() -> list[Any]:
    params = []
    for page in DOC_PAGES:
        if not (DOCS / page).exists():
            params.append(pytest.param(page, 0, "", id=f"{page}-missing"))
            continue
        for line, block in doc_blocks(page):
            name = doc_contract_name(block)
            params.append(pytest.param(page, line, block, id=f"{page}:{line}-{name}"))
    return params


# ----------------------------------------------------------------------------- the contracts
@pytest.mark.parametrize("path", contract_files(), ids=lambda p: str(p.relative_to(CONTRACTS)))
def test_contract_loads_and_checks(path: Path) -> None:
    contract_ = obligo.load(path)
    diagnostics = obligo.check(contract_)
    errors = severities(diagnostics, Severity.ERROR)
    assert not errors, describe(errors)
    warnings = severities(diagnostics, Severity.WARNING)
    expected = list(EXPECTED_WARNINGS.get(str(path.relative_to(CONTRACTS)), ()))
    unmatched = []
    for warning in warnings:
        match = next(
            (
                e
                for e in expected
                if e[0] in (warning.source_line or "") and e[1] in warning.message
            ),
            None,
        )
        if match is None:
            unmatched.append(warning)
        else:
            expected.remove(match)
    assert not unmatched, "unexpected warnings:\n" + describe(unmatched)
    assert not expected, f"expected warnings not given: {expected}"


def test_expected_warnings_name_existing_files() -> None:
    names = {p.name for p in contract_files()}
    assert set(EXPECTED_WARNINGS) <= names


@pytest.mark.parametrize("section", sorted(PUBLIC_TERMS))
def test_public_terms_contract_exists(section: str) -> None:
    for name in PUBLIC_TERMS[section]:
        path = CONTRACTS / name
        assert path.is_file(), f"{section}: {path} is missing"
        head = path.read_text(encoding="utf-8").lstrip()
        assert head.startswith("#"), f"{name} starts with comments citing its source"


# ------------------------------------------------------------------------------ the docs
@pytest.mark.parametrize(("page", "line", "block"), doc_block_params())
def test_doc_example_parses_and_checks(page: str, line: int, block: str) -> None:
    assert (DOCS / page).exists(), f"docs/{page} is missing"
    assert block.lstrip().startswith(("contract", "import", "#")), (
        f"docs/{page}:{line}: an sla block is a complete contract"
    )
    filename = f"docs/{page}:{line}"
    contract_ = obligo.parse(block, filename=filename, base_dir=CONTRACTS)
    diagnostics = obligo.check(contract_)
    own = [d for d in diagnostics if d.file == filename]
    errors = severities(diagnostics, Severity.ERROR)
    assert not errors, describe(errors)
    lines = block.splitlines()
    marked = {i + 1 for i, text in enumerate(lines) if re.search(r"#\s*warning\b", text)}
    warned = {d.line for d in severities(own, Severity.WARNING)}
    assert warned == marked, (
        f"warnings on lines {sorted(warned)}, marked `# warning` on lines {sorted(marked)}:\n"
        + describe(own)
    )


@pytest.mark.parametrize(("page", "least"), DOC_PAGES.items())
def test_docs_have_examples(page: str, least: int) -> None:
    assert len(doc_blocks(page)) >= least


def test_doc_examples_have_distinct_names() -> None:
    """Tests take a page's example by the name of its contract."""
    for page in DOC_PAGES:
        names = [doc_contract_name(block) for _, block in doc_blocks(page)]
        if page != "language.md":  # its blocks are read only here, never by name
            assert len(names) == len(set(names)), f"docs/{page}: {names}"


# ------------------------------------------------------------------------------- coverage
def all_contracts() -> list[contract.Contract]:
    """Every contract file, with the levels it imports."""
    seen: dict[str, contract.Contract] = {}

    def add(c: contract.Contract) -> None:
        seen.setdefault(c.id, c)
        for parent in c.imported:
            add(parent)

    for path in contract_files():
        add(obligo.load(path))
    return list(seen.values())


def walk(node: Any) -> Iterator[Any]:
    if isinstance(node, BaseModel):
        yield node
        for name in type(node).model_fields:
            if name != "imported":
                yield from walk(getattr(node, name))
    elif isinstance(node, tuple | list):
        for item in node:
            yield from walk(item)


def members(union: Any) -> tuple[type[BaseModel], ...]:
    return tuple(t for t in typing.get_args(union) if isinstance(t, type))


def kinds(union: Any) -> set[str]:
    """The ``kind`` of each model class of a union type."""
    return {str(t.model_fields["kind"].default) for t in members(union)}


def literals(annotation: Any) -> set[str]:
    """The values of a ``Literal[...]`` (possibly ``| None``) annotation."""
    if typing.get_origin(annotation) is typing.Literal:
        return {str(a) for a in typing.get_args(annotation)}
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        found: set[str] = set()
        for arg in typing.get_args(annotation):
            found |= literals(arg)
        return found
    return set()


def field_literals(model: type[BaseModel], field: str) -> set[str]:
    return literals(model.model_fields[field].annotation)


@cache
def nodes() -> tuple[Any, ...]:
    return tuple(n for c in all_contracts() for n in walk(c))


def of(kind: type[Any]) -> list[Any]:
    return [n for n in nodes() if isinstance(n, kind)]


def written_metrics() -> list[metrics.MetricLines]:
    """Every metric's lines as written (whatever its kind)."""
    return [metrics.written(m) for m in of(metrics.MetricBase)]


def used_kinds(union: Any) -> set[str]:
    """The ``kind`` of each node of a union type found in the contracts."""
    return {n.kind for n in nodes() if isinstance(n, members(union))}


def declaration_keywords() -> set[str]:
    """The keyword that opens each declaration of the grammar."""
    grammar = GRAMMAR.read_text(encoding="utf-8")
    alternatives = re.search(r"^\?declaration:(.*?)\n\n", grammar, re.M | re.S)
    assert alternatives is not None, "grammar has no ?declaration rule"
    keywords = set()
    for rule in re.findall(r"[a-z_]+", alternatives.group(1)):
        body = re.search(rf"^{rule}:\s*\"(\w+)\"", grammar, re.M)
        assert body is not None, f"declaration {rule} opens with no keyword"
        keywords.add(body.group(1))
    return keywords


def test_every_declaration_keyword_is_used() -> None:
    texts = "\n".join(p.read_text(encoding="utf-8") for p in contract_files())
    used = {k for k in declaration_keywords() if re.search(rf"^{k}\b", texts, re.M)}
    assert used == declaration_keywords(), f"unused: {declaration_keywords() - used}"


COVERAGE: list[tuple[str, Any, Any]] = [
    # (what, the values the model allows, how to collect the values used)
    ("metric kinds", kinds(metrics.Measure), lambda: used_kinds(metrics.Measure)),
    ("period kinds", kinds(metrics.Period), lambda: used_kinds(metrics.Period)),
    (
        "calendar periods",
        field_literals(metrics.CalendarPeriod, "unit"),
        lambda: {p.unit for p in of(metrics.CalendarPeriod)},
    ),
    (
        "aggregate functions",
        literals(metrics.AggregateFunction),
        lambda: {a.function for a in of(metrics.Aggregate)},
    ),
    ("credit kinds", kinds(clauses.Credit), lambda: used_kinds(clauses.Credit)),
    (
        "credit table modes",
        {"cumulative", "worst tier"},
        lambda: {"cumulative" if t.cumulative else "worst tier" for t in of(clauses.CreditTable)},
    ),
    ("amount kinds", kinds(clauses.Amount), lambda: used_kinds(clauses.Amount)),
    (
        "tier subjects",
        {"metric", "exceedance"},
        lambda: {"exceedance" if t.exceedance else "metric" for t in of(clauses.TierCondition)},
    ),
    ("cap kinds", kinds(clauses.Cap), lambda: used_kinds(clauses.Cap)),
    ("claim kinds", kinds(clauses.Claim), lambda: used_kinds(clauses.Claim)),
    (
        "penalty bases",
        {t.__name__ for t in members(clauses.Penalty.model_fields["basis"].annotation)},
        lambda: {type(p.basis).__name__ for p in of(clauses.Penalty)},
    ),
    (
        "per-unit roundings",
        field_literals(clauses.PerUnit, "rounding"),
        lambda: {p.rounding for p in of(clauses.PerUnit)},
    ),
    ("trigger kinds", kinds(clauses.Trigger), lambda: used_kinds(clauses.Trigger)),
    ("window kinds", kinds(clauses.Window), lambda: used_kinds(clauses.Window)),
    (
        "renegotiation conditions",
        kinds(contract.RenegotiationCondition),
        lambda: {r.condition.kind for r in of(contract.Renegotiation)},
    ),
    (
        "renegotiation about any clause or metric, or a named one",
        {"any clause", "one clause", "any metric", "one metric"},
        lambda: (
            {
                ("any " if r.condition.clause is None else "one ") + "clause"
                for r in of(contract.Renegotiation)
                if isinstance(r.condition, contract.ClauseBreached | contract.WideMargin)
            }
            | {
                ("any " if r.condition.metric is None else "one ") + "metric"
                for r in of(contract.Renegotiation)
                if isinstance(r.condition, contract.MetricNoData)
            }
        ),
    ),
    (
        "slice conditions",
        kinds(metrics.SliceCondition),
        lambda: used_kinds(metrics.SliceCondition),
    ),
    (
        "slices without records",
        field_literals(metrics.SliceWithoutData, "rule"),
        lambda: {s.rule for s in of(metrics.SliceWithoutData)},
    ),
    (
        "open records",
        field_literals(metrics.MetricLines, "open_records"),
        lambda: {m.open_records for m in written_metrics()} - {None},
    ),
    (
        "rules for missing data",
        field_literals(metrics.MetricBase, "without_data"),
        lambda: (
            {m.without_data for m in of(metrics.MetricBase)}
            | {d.otherwise for d in of(metrics.MinimumData)}
        ),
    ),
    (
        "attributions",
        field_literals(metrics.MetricLines, "attribution"),
        lambda: {m.attribution for m in written_metrics()} - {None},
    ),
    (
        "composites",
        field_literals(metrics.Composite, "mode"),
        lambda: {c.mode for c in of(metrics.Composite)},
    ),
    (
        "exclusion treatments",
        field_literals(contract.Exclusion, "treatment"),
        lambda: {e.treatment for e in of(contract.Exclusion)},
    ),
    (
        "exclusion validity rules",
        {"notice", "window"},
        lambda: {r.kind for r in of(contract.NoticeRule) + of(contract.WindowRule)},
    ),
    (
        "kinds of agreement",
        literals(contract.AgreementKind),
        lambda: {c.kind for c in of(contract.Contract)} - {None},
    ),
    (
        "levels",
        field_literals(contract.Level, "level"),
        lambda: {level.level for level in of(contract.Level)},
    ),
    (
        "party roles",
        field_literals(contract.Party, "role"),
        lambda: {p.role for p in of(contract.Party)},
    ),
    (
        "condition kinds",
        kinds(conditions.Condition),
        lambda: used_kinds(conditions.Condition),
    ),
    (
        "literal kinds",
        kinds(base.LiteralValue),
        lambda: used_kinds(base.LiteralValue),
    ),
    (
        "baseline forms",
        {"first periods", "dates"},
        lambda: {"first periods" if b.first else "dates" for b in of(contract.Baseline)},
    ),
    (
        "baseline targets",
        {"baseline"},
        lambda: {t.kind for t in of(clauses.BaselineTarget)},
    ),
    (
        "credit settlements",
        field_literals(clauses.Clause, "settlement"),
        lambda: {c.settlement for c in of(clauses.Clause)} - {None},
    ),
    (
        "tier subjects naming a group",
        {"whole metric", "one group"},
        lambda: {
            "one group" if t.group is not None else "whole metric"
            for t in of(clauses.TierCondition)
            if not t.exceedance
        },
    ),
]


@pytest.mark.parametrize(("what", "allowed", "used"), COVERAGE, ids=[c[0] for c in COVERAGE])
def test_contracts_cover_the_language(what: str, allowed: set[str], used: Any) -> None:
    assert allowed, f"no {what} found in the model: update this test"
    missing = allowed - used()
    assert not missing, f"no contract in contracts/ uses these {what}: {sorted(missing)}"


def test_contracts_use_every_item_kind() -> None:
    """Lines that are optional in their block still appear somewhere."""
    found = {
        "mapping": bool(of(contract.FieldMapping)),
        "mapping scope": any(m.record_type for m in of(contract.FieldMapping)),
        "billing cycle": bool(of(contract.BillingCycle)),
        "margins": bool(of(contract.Margins)),
        "renewal": bool(of(contract.Renewal)),
        "representative": any(p.representative for p in of(contract.Party)),
        "fee per region": any(f.where for f in of(contract.Fee)),
        "fee from records": any(s.fee_from for s in of(contract.Service)),
        "underlying contract": bool(of(contract.Underlying)),
        "holidays": any(c.holidays for c in of(contract.Calendar)),
        "review": bool(of(contract.Review)),
        "notification": bool(of(contract.Notification)),
        "import": any(c.imports for c in of(contract.Contract)),
        "override": any(c.override for c in of(clauses.Clause)),
        "reward": bool(of(clauses.Reward)),
        "escalation": bool(of(clauses.Escalation)),
        "termination right": bool(of(clauses.TerminationRight)),
        "exercised in writing": any(e.in_writing for e in of(clauses.Exercise)),
        "trailing cap less credits": any(c.less_given for c in of(clauses.TrailingCap)),
        "grouped promise": any(o.group for o in of(clauses.Objective)),
        "down during": any(m.down_during for m in written_metrics()),
        "only while": any(m.only_while for m in written_metrics()),
        "only during": any(m.only_during for m in written_metrics()),
        "runs of down slices": any(m.minimum_run for m in written_metrics()),
        "excluding": any(m.excluding for m in written_metrics()),
        "business duration": any(d.business for d in of(base.Duration)),
        "target calendar": any(t.calendar for t in of(metrics.TargetRule)),
        "duration calendar": any(d.calendar for d in of(metrics.DurationSpec)),
        "percentile method": any(m.percentile_method for m in written_metrics()),
        "100% minus": any(s.complement_of for s in of(metrics.SliceAverage)),
        "plain slice average": any(s.complement_of is None for s in of(metrics.SliceAverage)),
        "grouped share": any(s.group_by for s in of(metrics.ShareWithinTarget)),
        "grouped availability": any(a.group_by for a in of(metrics.Availability)),
        "only records in a slice": any(s.only for s in of(metrics.SliceAtLeast)),
        "some records in a slice": any(not s.only for s in of(metrics.SliceAtLeast)),
        "slice value for any group": any(s.for_any for s in of(metrics.SliceCompare)),
        "slice value over the whole slice": any(not s.for_any for s in of(metrics.SliceCompare)),
        "filtered slice without records": any(
            s.selection.where is not None for s in of(metrics.SliceWithoutData)
        ),
        "slice without any record of a type": any(
            s.selection.where is None for s in of(metrics.SliceWithoutData)
        ),
        "claim requirement": bool(of(clauses.ClaimRequirement)),
        "shared cap": any(c.shared_with for c in of(clauses.PeriodCap)),
        "decimal percentile": any(
            a.percentile is not None
            and a.percentile.value != a.percentile.value.to_integral_value()
            for a in of(metrics.Aggregate)
        ),
        "whole percentile": any(
            a.percentile is not None
            and a.percentile.value == a.percentile.value.to_integral_value()
            for a in of(metrics.Aggregate)
        ),
        "nested composite": any(
            isinstance(c, metrics.Composite) for m in of(metrics.Composite) for c in m.components
        ),
        "arithmetic": bool(of(conditions.Arithmetic)),
        "pre-aggregated counts": any(isinstance(a, conditions.FieldOf) for a in nodes()),
    }
    missing = sorted(k for k, v in found.items() if not v)
    assert not missing, f"no contract in contracts/ uses: {missing}"

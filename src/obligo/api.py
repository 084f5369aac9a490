"""The library's public functions: ``parse``, ``load``, ``check``, ``format_contract`` and
``load_agreements`` (a set of contract files: levels, the pairs they cover, resolution)."""

from __future__ import annotations

import datetime as dt
import os
import reprlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from obligo.agreements import (
    AgreementFile,
    AgreementSet,
    CoveredPair,
    LevelNode,
    PairRequest,
    ResolvedAgreement,
    parse_pair_argument,
)
from obligo.checks import check_contract
from obligo.contract_files import Refusal, read_contract_text
from obligo.engine.context import EvaluationContext
from obligo.engine.run.baseline_report import baseline_report
from obligo.engine.run.evaluation import evaluate as _evaluate
from obligo.engine.run.left_out import LeftOut, left_out
from obligo.engine.run.outlook import evaluate_with_outlook
from obligo.engine.run.portfolio import Portfolio, Section
from obligo.engine.run.portfolio import evaluate_agreements as _evaluate_agreements
from obligo.engine.run.session import checked_mappings, planned
from obligo.engine.scans import ScanPlan
from obligo.errors import Diagnostic, ObligoError, ObligoSemanticError, Severity
from obligo.events import Source, is_frame, schema_for
from obligo.guard import guarded, guarded_evaluation
from obligo.model.contract import Contract, HolidaysFrom, HolidaySource
from obligo.model.inheritance import Inherited, Origin, ResolvedClause
from obligo.report import evaluation as assembled
from obligo.report import explain as explained
from obligo.report import history
from obligo.report.baseline import BaselineReport
from obligo.report.budget import BudgetReport, budget_report
from obligo.report.model import Report
from obligo.report.portfolio import PortfolioReport
from obligo.report.review import ReviewPack, review_pack
from obligo.resolve import ResolvedContract
from obligo.resolve.resolver import check_and_resolve, plan_agreements
from obligo.syntax import parse_contract
from obligo.syntax.fmt import format_text
from obligo.syntax.ics import read_ics
from obligo.syntax.lines import line_at, split_lines


@guarded("read the contract")
def parse(text: str, filename: str = "<string>", *, base_dir: str | Path | None = None) -> Contract:
    """Parse a contract's text into its model.

    Imports (``import "corporate.sla"``) are resolved relative to ``base_dir``, or to the
    directory of ``filename`` when it names a file (else to the working directory), and the
    imported contracts are attached as :attr:`Contract.imported`. An imported file is named
    (in errors and reports) by that folder joined to the path the import gives, so names stay
    relative when they were given relative.

    Raises :class:`~obligo.ObligoSyntaxError` when the text cannot be read and
    :class:`~obligo.ObligoSemanticError` when a line cannot mean anything (an unknown unit, a date that is
    not in the calendar). Findings across declarations are returned by :func:`check`.
    """
    _given("parse", "text", text, str, "the contract's text as a str")
    _given("parse", "filename", filename, str, "a str")
    if base_dir is not None:
        _given(
            "parse", "base_dir", base_dir, str | os.PathLike, "a folder's path (str or os.PathLike)"
        )
        folder = str(base_dir)
    else:
        folder = os.path.dirname(filename) if _is_file(filename) else ""
    contract = parse_contract(text, filename)
    chain = (os.path.realpath(filename),) if _is_file(filename) else ()
    return _Imports({}).attach(contract, text, filename, folder, chain)


@guarded("read the contract")
def load(path: str | Path) -> Contract:
    """Read and parse a contract file, with the contracts it imports.

    The file and every file it imports are read within the bounds of
    :func:`obligo.contract_files.read_contract_text`: a regular file of UTF-8 text of at most
    8 MiB (an import: a ``.sla`` file); anything else is an :class:`ObligoError`.
    """
    _given("load", "path", path, str | os.PathLike, "a file's path (str or os.PathLike)")
    name = str(path)
    real = _realpath(name)
    return _Imports({real: name}).file(real, name, (real,), None)


def read_contract(path: str | Path) -> str:
    """The text of a contract file, within the bounds :func:`load` reads files in (a regular
    UTF-8 file of at most 8 MiB; a FIFO or a device is refused without being read); raises
    :class:`ObligoError` otherwise. For callers that need the text itself, such as ``fmt``."""
    name = str(path)
    text = read_contract_text(name, imported=False)
    if isinstance(text, Refusal):
        raise ObligoError(
            f"cannot read {name}: {text.reason}", file=name, line=1, column=1, hint=text.hint
        )
    return text


@guarded("read the agreements")
def load_agreements(paths: str | Path | Iterable[str | Path]) -> AgreementSet:
    """Load a set of agreements: contract files and folders (every ``*.sla`` directly inside a
    folder, in name order), each file read and parsed once, the files they import included.

    The set knows every level file, the hierarchy (corporate -> customer -> service of a
    customer) and every (customer, service) pair the agreements cover; ``resolve`` gives the
    agreement in force for one pair. Raises what :func:`load` raises, and
    :class:`ObligoError` when a path is neither a file nor a folder or a folder holds no
    contract. Findings across the set are returned by :meth:`AgreementSet.check`.
    """
    takes = "a path (str or os.PathLike) or a list of paths"
    if not isinstance(paths, str | os.PathLike | Iterable) or isinstance(paths, bytes | Mapping):
        raise TypeError(_wrong("load_agreements", "paths", paths, takes))
    given = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    for path in given:
        _given("load_agreements", "paths", path, str | os.PathLike, takes)
    files = _contract_files([Path(p) for p in given])
    # Every file is named by the shortest spelling it was given under, the same whatever the
    # order of the arguments; files reached only by `import` are named from their importer.
    names: dict[str, str] = {}
    for path in files:
        name = os.path.normpath(path)
        real = _realpath(name)
        names[real] = min(names.get(real, name), name, key=lambda n: (len(n), n))
    imports = _Imports(names)
    listed = [imports.file(real, names[real], (real,), None) for real in sorted(names, key=Path)]
    return AgreementSet.build(listed)


@guarded("check the contract")
def check(contract: Contract) -> list[Diagnostic]:
    """Every finding about a contract, errors and warnings, in the order of the text.

    Nothing is printed: callers decide what to show. Use :func:`raise_for_errors` to turn the
    errors into an exception.
    """
    _given("check", "contract", contract, Contract, _A_CONTRACT)
    return check_contract(contract)


def raise_for_errors(diagnostics: list[Diagnostic]) -> None:
    """Raise :class:`ObligoSemanticError` for the first error among the diagnostics, if any."""
    if any(d.severity.value == "error" for d in diagnostics):
        raise ObligoSemanticError.from_diagnostics(diagnostics)


@guarded("format the contract")
def format_contract(text: str, filename: str = "<string>") -> str:
    """The canonical layout of a contract's text; raises the errors of :func:`parse` first."""
    _given("format_contract", "text", text, str, "the contract's text as a str")
    _given("format_contract", "filename", filename, str, "a str")
    parse_contract(text, filename)
    return format_text(text)


# The evaluations, guarded and their settings checked first (see obligo.guard): each contract checked once, then resolved
# (obligo.resolve), and only the resolved contract handed to the engine.
@guarded_evaluation("evaluate the contract")
def evaluate(
    contract: Contract,
    events: Sequence[Any] | Any,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
) -> Report:
    """Evaluate every objective of a contract in every measurement period up to ``at``.

    ``events`` is one input or a list of inputs: paths (JSON Lines, CSV, gzip forms, Parquet),
    ``"-"`` for standard input, open files, an iterable of dicts, or a pandas or polars DataFrame
    or an Arrow table (``obligo[dataframes]``; scanned in memory, its rows named by number). ``at``
    is the evaluation time
    (timezone-aware; default now); the period that contains it is ``pending``. Every period is
    evaluated from the start of the term; ``window_start``/``window_end`` only choose the
    periods shown. Raises :class:`~obligo.ObligoSemanticError` when the contract has errors and
    :class:`~obligo.EventDataError` on bad data unless ``skip_invalid``.
    """
    _given("evaluate", "contract", contract, Contract, _A_CONTRACT)
    _events_given("evaluate", events)
    evaluation = _evaluate(
        _resolved(contract, mappings),
        events,
        at,
        skip_invalid=skip_invalid,
        mappings=mappings,
        window_start=window_start,
        window_end=window_end,
    )
    return assembled.report(evaluation)


@guarded_evaluation("evaluate the agreements")
def evaluate_agreements(
    agreements: AgreementSet,
    events: Sequence[Any] | Any,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
) -> PortfolioReport:
    """Evaluate every pair an agreement set covers against the logs (read once).

    Raises :class:`~obligo.ObligoSemanticError` when a file of the set has errors, and what
    :func:`obligo.evaluate` raises."""
    _given("evaluate_agreements", "agreements", agreements, AgreementSet, _AN_AGREEMENT_SET)
    _events_given("evaluate_agreements", events)
    _raise_for_set_errors(agreements)
    portfolio = _evaluate_agreements(
        plan_agreements(agreements),
        events,
        at,
        skip_invalid=skip_invalid,
        mappings=mappings,
        window_start=window_start,
        window_end=window_end,
    )
    return assembled.portfolio_report(portfolio)


@guarded_evaluation("explain the verdict")
def explain(
    agreements: AgreementSet,
    events: Sequence[Any] | Any,
    *,
    clause: str,
    period: str,
    group: str | Mapping[str, str] | None = None,
    at: dt.datetime | None = None,
    customer: str | None = None,
    service: str | None = None,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> explained.Explanation:
    """How one clause's verdict in one period (and group) and its money came about, from the
    evaluation :func:`evaluate_agreements` makes: the clause and its metric as written, the
    arithmetic of the value, the largest contributors, the exclusions, the tiers, caps,
    rounding and claim deadline. ``group`` is a group's value, ``"field=value,..."`` or a
    mapping of field values; ``customer`` and ``service`` choose the pair of an agreement set.
    Raises :class:`ObligoError` naming what exists when the clause, period, group or pair is
    not among those evaluated."""
    _given("explain", "agreements", agreements, AgreementSet, _AN_AGREEMENT_SET)
    _events_given("explain", events)
    wanted = (
        explained.parse_group(group)
        if isinstance(group, str)
        else (None if group is None else dict(group))
    )
    _raise_for_set_errors(agreements)
    found: dict[tuple[str, str | None], LeftOut] = {}

    def look(section: Section, ctx: EvaluationContext) -> None:
        # While the log holds the section's records: what the explained objectives left out.
        if (customer is not None and section.customer != customer) or (
            service is not None and section.plan.pair_service != service
        ):
            return
        try:
            chosen = explained.judged_for(section.evaluation, clause, period, wanted)
        except ObligoError:
            return  # the explanation names what exists
        names = [account.name for account in ctx.log.inputs]
        for judged in chosen:
            found[(judged.metric.id, judged.group)] = left_out(
                ctx, judged, ctx.log.rejections, names
            )

    portfolio = _evaluate_agreements(
        plan_agreements(agreements),
        events,
        at,
        skip_invalid=skip_invalid,
        mappings=mappings,
        inspect=look,
    )
    sections = [
        s
        for s in portfolio.sections
        if (customer is None or s.customer == customer)
        and (service is None or s.plan.pair_service == service)
    ]
    if len(sections) != 1:
        raise _no_one_pair(agreements, portfolio.sections, sections, customer, service)
    section = sections[0]
    return explained.explanation(
        section.evaluation,
        clause,
        period,
        wanted,
        _text_of,
        customer=section.customer,
        service=section.plan.pair_service,
        inputs=assembled.inputs(portfolio.inputs),
        left_out=found,
    )


def _no_one_pair(
    agreements: AgreementSet,
    evaluated: Sequence[Any],
    matching: Sequence[Any],
    customer: str | None,
    service: str | None,
) -> ObligoError:
    """No pair, or several, among those evaluated for ``--customer``/``--service``: an error
    listing every pair evaluated, the first as an example."""
    pairs = [f"{s.customer or '-'}/{s.plan.pair_service or '-'}" for s in evaluated]
    asked = " and ".join(f"{k} {v}" for k, v in (("customer", customer), ("service", service)) if v)
    first = evaluated[0] if evaluated else None
    example = (
        None
        if first is None
        else " ".join(
            f"--{k} {v}"
            for k, v in (("customer", first.customer), ("service", first.plan.pair_service))
            if v
        )
    )
    message = (
        f"no agreement evaluated for {asked or 'these contracts'}"
        if not matching
        else f"{len(matching)} agreements evaluated for {asked or 'these contracts'}:"
        " name one with --customer and --service"
    )
    return ObligoError(
        f"{message}; the pairs evaluated (customer/service): {', '.join(pairs) or 'none'}",
        file=agreements.files[0].path if agreements.files else "<agreements>",
        hint=f"e.g. {example}" if example else None,
    )


def _text_of(name: str) -> str | None:
    """A contract file's text for an explanation to quote (None: it cannot be read now)."""
    text = read_contract_text(name, imported=False)
    return None if isinstance(text, Refusal) else text


@guarded_evaluation("compute the baseline")
def baseline(
    contract: Contract,
    events: Sequence[Any] | Any,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> BaselineReport:
    """The history of every objective of a contract in a log, as of ``at`` (default now).

    ``events`` is what :func:`obligo.evaluate` takes. Raises the errors ``evaluate`` raises.
    """
    _given("baseline", "contract", contract, Contract, _A_CONTRACT)
    _events_given("baseline", events)
    found = baseline_report(
        _resolved(contract, mappings), events, at, skip_invalid=skip_invalid, mappings=mappings
    )
    return history.baseline_report(found)


@guarded_evaluation("compute the error budget")
def budget(
    contract: Contract,
    events: Sequence[Any] | Any,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> BudgetReport:
    """The period in progress at ``at`` (default now), objective by objective: the value so
    far, the error budget left, the burn rate and how much more would reach each credit tier
    (``docs/budget-and-review.md``). ``events`` is what :func:`obligo.evaluate` takes; raises
    what it raises, and :class:`ObligoError` when no period is in progress at ``at``."""
    _given("budget", "contract", contract, Contract, _A_CONTRACT)
    _events_given("budget", events)
    evaluation = _evaluate(
        _resolved(contract, mappings), events, at, skip_invalid=skip_invalid, mappings=mappings
    )
    return budget_report(evaluation)


@guarded_evaluation("make the service review")
def review(
    contract: Contract,
    events: Sequence[Any] | Any,
    period: str,
    at: dt.datetime | None = None,
    *,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> ReviewPack:
    """The service review pack of the month ``period`` (``"2026-03"``) as of ``at`` (default
    now): each objective's value, trend and margin, the breaches and their causes, credits,
    open rights and what is coming (``docs/budget-and-review.md``). Raises what
    :func:`obligo.evaluate` raises, and :class:`ObligoError` for a month outside the term."""
    _given("review", "contract", contract, Contract, _A_CONTRACT)
    _given("review", "period", period, str, 'a month as a str, e.g. "2026-03"')
    _events_given("review", events)
    outlook = evaluate_with_outlook(
        _resolved(contract, mappings), events, at, skip_invalid=skip_invalid, mappings=mappings
    )
    evaluation = outlook.evaluation
    return review_pack(assembled.report(evaluation), evaluation.agreement, outlook.extras, period)


@guarded_evaluation("make the service review")
def review_agreements(
    agreements: AgreementSet,
    events: Sequence[Any] | Any,
    period: str,
    at: dt.datetime | None = None,
    *,
    customer: str | None = None,
    service: str | None = None,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> ReviewPack:
    """:func:`review` for one customer and service of an agreement set, evaluated as
    :func:`evaluate_agreements` evaluates it (the same section of its report). Raises
    :class:`ObligoError` when the set has no such section, naming those it has."""
    _given("review_agreements", "agreements", agreements, AgreementSet, _AN_AGREEMENT_SET)
    _events_given("review_agreements", events)
    _raise_for_set_errors(agreements)
    portfolio = _evaluate_agreements(
        plan_agreements(agreements),
        events,
        at,
        skip_invalid=skip_invalid,
        mappings=mappings,
        review=True,
    )
    section = _section(portfolio, customer, service)
    assert section.extras is not None  # asked for: review=True
    report = assembled.report(section.evaluation).model_copy(
        update={"inputs": assembled.inputs(portfolio.inputs)}
    )
    return review_pack(
        report,
        section.evaluation.agreement,
        section.extras,
        period,
        service=section.plan.pair_service,
    )


@guarded_evaluation("compute the error budget")
def budget_agreements(
    agreements: AgreementSet,
    events: Sequence[Any] | Any,
    at: dt.datetime | None = None,
    *,
    customer: str | None = None,
    service: str | None = None,
    skip_invalid: bool = False,
    mappings: Mapping[str, str] | None = None,
) -> BudgetReport:
    """:func:`budget` for one customer and service of an agreement set, evaluated as
    :func:`evaluate_agreements` evaluates it, with the line account of the whole log. Raises
    :class:`ObligoError` when the set has no such section, naming those it has."""
    _given("budget_agreements", "agreements", agreements, AgreementSet, _AN_AGREEMENT_SET)
    _events_given("budget_agreements", events)
    _raise_for_set_errors(agreements)
    portfolio = _evaluate_agreements(
        plan_agreements(agreements), events, at, skip_invalid=skip_invalid, mappings=mappings
    )
    section = _section(portfolio, customer, service)
    return budget_report(section.evaluation, accounts=portfolio.inputs)


def _raise_for_set_errors(agreements: AgreementSet) -> None:
    """Every API call over an agreement set starts here: a set with an error in any of its
    files is refused before any log is read, with every error found."""
    errors = [d for d in agreements.check() if d.severity is Severity.ERROR]
    if errors:
        raise ObligoSemanticError.from_diagnostics(errors)


def _section(portfolio: Portfolio, customer: str | None, service: str | None) -> Section:
    """The section of an agreement set for a customer and a service (any, when None)."""
    found = [
        s
        for s in portfolio.sections
        if s.customer == customer and (service is None or s.plan.pair_service == service)
    ]
    if len(found) != 1:
        sections = ", ".join(
            f"--customer {s.customer or '(any)'} --service {s.plan.pair_service or '(all)'}"
            for s in portfolio.sections
        )
        wanted = f"customer {customer or '(any)'}, service {service or '(any)'}"
        why = "no section" if not found else "several sections"
        raise ObligoError(
            f"{why} of the agreements for {wanted}; the sections are: {sections}",
            file="<agreements>",
            hint="name the customer and the service with --customer and --service",
        )
    return found[0]


# The wrong Python types (docs/api.md, "What the functions raise"): a programming error, a
# TypeError that names the function, the argument, what it takes and what it was given.
_A_CONTRACT = "a Contract (from obligo.parse or obligo.load)"
_AN_AGREEMENT_SET = "an AgreementSet (from obligo.load_agreements)"
_EVENTS = (
    'a log\'s path (str or os.PathLike), "-", an open file, a list of those, or an iterable'
    " of records (dicts)"
)
_SHOWN = reprlib.Repr()  # a value shown in a message, cut short
_SHOWN.maxstring = _SHOWN.maxother = 60


def _given(function: str, argument: str, value: object, kind: Any, takes: str) -> None:
    if not isinstance(value, kind):
        raise TypeError(_wrong(function, argument, value, takes))


def _wrong(function: str, argument: str, value: object, takes: str) -> str:
    return (
        f"obligo.{function}: {argument} must be {takes}, not {type(value).__name__}"
        f" ({_SHOWN.repr(value)})"
    )


def _events_given(function: str, events: object) -> None:
    """The logs of an evaluation are one input or several: a dict is one record, not a log."""
    if isinstance(events, Mapping):
        raise TypeError(
            _wrong(function, "events", events, _EVENTS)
            + ": a dict is one record, give a list of records"
        )
    if is_frame(events):
        return
    if not isinstance(events, str | bytes | os.PathLike | Iterable | Source) and not hasattr(
        events, "read"
    ):
        raise TypeError(_wrong(function, "events", events, _EVENTS))


def _resolved(contract: Contract, mappings: Mapping[str, str] | None) -> ResolvedContract:
    """The contract checked once, then resolved. What an evaluation refuses comes in the order
    it always has: a mapping that is not a pair of field names, a field no log can hold under
    its name (the event schema), then the contract's errors, then what keeps it from being
    evaluated (no timezone, no term)."""
    schema_for(contract, checked_mappings(mappings))
    return check_and_resolve(contract)


@guarded("plan the evaluation")
def plan(
    agreements: AgreementSet,
    at: dt.datetime | None = None,
    *,
    mappings: Mapping[str, str] | None = None,
) -> list[tuple[str, ScanPlan]]:
    """The scans an evaluation of each agreement of a set would run (one plan per agreement
    as ``evaluate_agreements`` evaluates them), with their SQL and the metrics each feeds;
    nothing is evaluated and no log is read."""
    _raise_for_set_errors(agreements)
    fields = checked_mappings(mappings)
    sections: list[tuple[str, ScanPlan]] = []
    for planned_agreement in plan_agreements(agreements):
        resolved = planned_agreement.for_customer(planned_agreement.customer)
        if resolved is None:
            continue
        schema_for(resolved.contract, fields)
        name = planned_agreement.agreement
        where = [f"customer {planned_agreement.customer}"] if planned_agreement.customer else []
        if planned_agreement.pair_service:
            where.append(f"service {planned_agreement.pair_service}")
        if where:
            name += f" ({', '.join(where)})"
        sections.append((name, planned(resolved, at, mappings)))
    return sections


def _contract_files(paths: list[Path]) -> list[Path]:
    if not paths:
        raise ObligoError("no contract files given", file="<agreements>", line=1, column=1)
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.sla") if not p.is_dir())
            if not found:
                raise ObligoError(
                    f"no contract (*.sla) in the folder {path}",
                    file=str(path),
                    line=1,
                    column=1,
                )
            files.extend(found)
        elif os.path.lexists(path):
            files.append(path)  # a FIFO, a device or a symlink loop is refused when read
        else:
            raise ObligoError(
                f"cannot read {path}: no such file or folder", file=str(path), line=1, column=1
            )
    return files


# How deep imports may nest: far beyond any real hierarchy (corporate, customer, service), and
# well inside Python's recursion limit.
MAX_IMPORT_DEPTH = 64

# Where an import is written: the importing file's name, the line, the column, the line's text.
Where = tuple[str, int, int, str | None]


def _realpath(name: str) -> str:
    """The file's real path (links followed); a name no file can have (a NUL byte) stays as it
    is, for the bounded reader to refuse by name."""
    try:
        return os.path.realpath(name)
    except ValueError:
        return name


def _is_file(name: str) -> bool:
    try:
        return os.path.isfile(name)
    except ValueError:  # a NUL byte in the name
        return False


def _holiday_files(contract: Contract, text: str, name: str, folder: str) -> Contract:
    """The contract with the events of every ICS file its calendars draw holidays from
    (``holidays from "berlin.ics"``, relative to ``folder``), read within the bounds of a
    contract file; a file that cannot be read is an error at the line that names it, one that
    cannot be parsed an error at its own line (:func:`obligo.syntax.ics.read_ics`)."""
    if not any(
        isinstance(s, HolidaysFrom) for cal in contract.calendars for s in cal.holiday_sources
    ):
        return contract
    calendars = []
    for calendar in contract.calendars:
        sources: list[HolidaySource] = []
        for source in calendar.holiday_sources:
            if isinstance(source, HolidaysFrom):
                path = os.path.normpath(os.path.join(folder, source.path))
                found = read_contract_text(path, imported=False)
                if isinstance(found, Refusal):
                    raise ObligoSemanticError(
                        f"cannot read the holidays of {path}: {found.reason}",
                        file=name,
                        line=source.loc.line,
                        column=source.loc.column,
                        hint=found.hint or "the file is named relative to the contract's file",
                        source_line=line_at(split_lines(text), source.loc.line),
                    )
                source = source.model_copy(update={"read": True, "events": read_ics(found, path)})
            sources.append(source)
        calendars.append(calendar.model_copy(update={"holiday_sources": tuple(sources)}))
    return contract.model_copy(update={"calendars": tuple(calendars)})


class _Imports:
    """The one loader of contract files and their imports, for :func:`load`, :func:`parse` and
    :func:`load_agreements` alike: each file is read and parsed once (a file imported by several
    levels, or also listed, is one shared :class:`Contract`) and named by the folder of the file
    that imports it joined to the path the import gives."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names  # the real path of each file -> the name it is shown under
        self.done: dict[str, Contract] = {}

    def file(
        self, real: str, spelled: str, chain: tuple[str, ...], where: Where | None
    ) -> Contract:
        if real in self.done:
            return self.done[real]
        name = self.names.setdefault(real, spelled)
        text = read_contract_text(spelled, imported=where is not None)
        if isinstance(text, Refusal):
            if where is None:
                raise ObligoError(
                    f"cannot read {spelled}: {text.reason}",
                    file=spelled,
                    line=1,
                    column=1,
                    hint=text.hint,
                )
            file, line, column, source = where
            raise ObligoSemanticError(
                f"cannot import {spelled}: {text.reason}",
                file=file,
                line=line,
                column=column,
                hint=text.hint,
                source_line=source,
            )
        contract = parse_contract(text, name)
        contract = self.attach(contract, text, name, os.path.dirname(name), chain)
        self.done[real] = contract
        return contract

    def attach(
        self, contract: Contract, text: str, name: str, folder: str, chain: tuple[str, ...]
    ) -> Contract:
        """The contract with the contracts it imports, each resolved relative to ``folder``."""
        contract = _holiday_files(contract, text, name, folder)
        if not contract.imports:
            return contract
        lines = split_lines(text)
        imported: list[Contract] = []
        for item in contract.imports:
            spelled = os.path.normpath(os.path.join(folder, item.path))
            real = _realpath(spelled)
            where = (name, item.loc.line, item.loc.column, line_at(lines, item.loc.line))
            if real in chain:
                raise ObligoSemanticError(
                    f'"{item.path}" imports itself, directly or through other files',
                    file=name,
                    line=item.loc.line,
                    column=item.loc.column,
                    source_line=where[3],
                )
            if len(chain) >= MAX_IMPORT_DEPTH:
                raise ObligoSemanticError(
                    f"imports nest more than {MAX_IMPORT_DEPTH} files deep",
                    file=name,
                    line=item.loc.line,
                    column=item.loc.column,
                    hint="a level imports the level above it: corporate, customer, service",
                    source_line=where[3],
                )
            imported.append(self.file(real, spelled, (*chain, real), where))
        return contract.model_copy(update={"imported": tuple(imported)})


__all__ = [
    "AgreementFile",
    "AgreementSet",
    "CoveredPair",
    "Inherited",
    "LevelNode",
    "Origin",
    "PairRequest",
    "ResolvedAgreement",
    "ResolvedClause",
    "baseline",
    "budget",
    "budget_agreements",
    "check",
    "evaluate",
    "evaluate_agreements",
    "explain",
    "format_contract",
    "load",
    "load_agreements",
    "parse",
    "parse_pair_argument",
    "raise_for_errors",
    "read_contract",
    "review",
    "review_agreements",
]

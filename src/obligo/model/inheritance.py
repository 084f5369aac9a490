"""What is in force along a chain of levels: the one answer to "which setting, which declaration,
which clause holds here, and where was it written".

A contract inherits from the levels it imports; an agreement set's pair inherits from its
corporate, customer and service levels. Both are a *chain* of levels read from the top down,
each level one file or several (two customer-level files of one customer are one level), and
:func:`in_force` reads every chain the same way:

- a **setting** (term, timezone, currency, billing cycle, margins, business calendar, baseline)
  is the lowest level's that gives one;
- a **declaration** (party, service, calendar, exclusion, metric) of a name is the lowest
  level's that declares the name; a field's unit likewise;
- a **clause** of a lower level replaces the clause of that id above it (``override clause``);
  with a service named, only the clauses about that service are in force (see :func:`_applies`).

Two files of one level that disagree, or a lower clause that replaces one without
``override``, are reported to a :class:`Findings` (the agreement set's checks report them with
their lines; everyone else reads a checked contract and ignores them).

A single contract's chain is :func:`lineage_chain`: the contract and the levels it imports,
depth first in import order, each file once, read nearest first. Who reads it: the checks (the
names a contract can see, :class:`obligo.checks.reporter.Scope`), the event schema (the
timezone a log is read in), the agreement set (the agreement of a pair) and the resolver
(:mod:`obligo.resolve`, the engine's one input).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Generic, Literal, Protocol, TypeVar

from obligo.model.base import SourceLocation, without_locations
from obligo.model.clauses import Clause
from obligo.model.contract import (
    Baseline,
    BillingCycle,
    Calendar,
    Contract,
    DefaultCalendar,
    Exclusion,
    FieldUnit,
    Margins,
    Party,
    Service,
    Term,
)
from obligo.model.metrics import Availability, Metric

Tier = Literal["corporate", "customer", "service", "agreement"]
"""Where a file sits: a level of a multi-level set, or ``agreement`` for a single-file one."""

T = TypeVar("T")


def tier_of(contract: Contract) -> Tier:
    """The level a contract file declares (``level customer globex``), else ``agreement``."""
    return "agreement" if contract.level is None else contract.level.level


@dataclass(frozen=True)
class Origin:
    """Where something in force comes from: its level, file, line and column, and contract."""

    tier: Tier
    file: str
    line: int
    column: int
    contract: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Inherited(Generic[T]):
    """A setting or declaration in force, with the level and file it comes from."""

    value: T
    origin: Origin


@dataclass(frozen=True)
class ResolvedClause:
    """A clause in force, where it was written, and the clauses it replaced (the nearest level
    first)."""

    clause: Clause
    origin: Origin
    replaces: tuple[Origin, ...] = ()

    @property
    def id(self) -> str:
        return self.clause.id


class LevelFile(Protocol):
    """One file of a level: its name and its contract."""

    @property
    def path(self) -> str: ...

    @property
    def contract(self) -> Contract: ...


F = TypeVar("F", bound=LevelFile)
F_contra = TypeVar("F_contra", bound=LevelFile, contravariant=True)

Chain = tuple[tuple[Tier, tuple[F, ...]], ...]
"""A chain of levels, from the top: each level's tier and its files (in path order)."""


class Findings(Protocol[F_contra]):
    """Where :func:`in_force` reports what it finds wrong in a chain, and asks for the line of
    a setting the model keeps no location of (``timezone``, ``currency``)."""

    def locate(self, file: F_contra, what: str) -> SourceLocation: ...

    def setting_conflict(
        self, tier: Tier, what: str, first: Origin, file: F_contra, loc: SourceLocation
    ) -> None: ...

    def declaration_conflict(
        self, tier: Tier, what: str, first: Origin, file: F_contra, item: Any
    ) -> None: ...

    def clause_twice(
        self, tier: Tier, first: Origin, file: F_contra, clause: Clause, origin: Origin
    ) -> None: ...

    def clause_not_overridden(self, above: Origin, clause: Clause) -> None: ...


class Silent:
    """Findings nobody reads: a checked contract's chain (the checks reported everything), or
    a question about names only. A setting without a location is placed at its contract."""

    def locate(self, file: LevelFile, what: str) -> SourceLocation:
        return file.contract.loc

    def setting_conflict(
        self, tier: Tier, what: str, first: Origin, file: LevelFile, loc: SourceLocation
    ) -> None:
        pass

    def declaration_conflict(
        self, tier: Tier, what: str, first: Origin, file: LevelFile, item: Any
    ) -> None:
        pass

    def clause_twice(
        self, tier: Tier, first: Origin, file: LevelFile, clause: Clause, origin: Origin
    ) -> None:
        pass

    def clause_not_overridden(self, above: Origin, clause: Clause) -> None:
        pass


@dataclass(frozen=True)
class ContractFile:
    """A contract as a file of a chain (named by the file its location names)."""

    contract: Contract

    @property
    def path(self) -> str:
        return self.contract.loc.file


@dataclass(frozen=True)
class InForce:
    """Everything in force along a chain, each with its origin.

    Declarations and clauses are in the order the chain declares them from the top (a name
    declared again below keeps its place, with the lower value); :meth:`nearest_first` gives
    the order of a contract's own reading (its own declarations first, then those above).
    """

    timezone: Inherited[str] | None
    currency: Inherited[str] | None
    term: Inherited[Term] | None
    billing_cycle: Inherited[BillingCycle] | None
    margins: Inherited[Margins] | None
    business_calendar: Inherited[DefaultCalendar] | None  # `calendar NAME`
    baseline: Inherited[Baseline] | None
    field_units: tuple[Inherited[FieldUnit], ...]  # by field name
    parties: tuple[Inherited[Party], ...]
    services: tuple[Inherited[Service], ...]
    calendars: tuple[Inherited[Calendar], ...]
    exclusions: tuple[Inherited[Exclusion], ...]
    metrics: tuple[Inherited[Metric], ...]
    clauses: tuple[ResolvedClause, ...]
    # Each kind's names in the order of reading the chain from the bottom (nearest first).
    _nearest: Mapping[str, tuple[str, ...]] = field(repr=False)

    def nearest_first(self, kind: str) -> tuple[str, ...]:
        """The names of a kind (``party``, ``service``, ``calendar``, ``exclusion``,
        ``metric``, ``clause``) in the order a contract reads them: its own first, then each
        level above's (depth first, in import order), each name where it is first seen."""
        return self._nearest[kind]


def lineage(contract: Contract) -> Iterator[Contract]:
    """The contract, then every level above it (depth first, in import order); a level
    imported twice comes twice."""
    return contract.levels()


def lineage_chain(contract: Contract) -> Chain[ContractFile]:
    """A contract and the levels it imports as a chain from the top: its lineage, each file
    once where first reached, read from the far end. The lowest level of the chain is the
    contract itself, so that its own settings and declarations win, then those of the level
    it reaches first."""
    seen: dict[int, Contract] = {}
    for level in contract.levels():
        seen.setdefault(id(level), level)
    return tuple((tier_of(level), (ContractFile(level),)) for level in reversed(seen.values()))


def in_force(
    chain: Sequence[tuple[Tier, Sequence[F]]],
    findings: Findings[F] | None = None,
    *,
    service: str | None = None,
) -> InForce:
    """What is in force along a chain (from the top). ``service`` keeps the clauses about that
    service only (an agreement set's pair); None keeps every clause."""
    out: Findings[F] = findings if findings is not None else Silent()
    levels: Chain[F] = tuple((tier, tuple(files)) for tier, files in chain)
    timezone = _setting(levels, "timezone", lambda c: c.timezone, out)
    currency = _setting(levels, "currency", lambda c: c.currency, out)
    term = _setting(levels, "term", lambda c: c.term, out)
    billing = _setting(levels, "billing cycle", lambda c: c.billing_cycle, out)
    margins = _setting(levels, "margins", lambda c: c.margins, out)
    business_calendar = _setting(levels, "business calendar", lambda c: c.calendar, out)
    units: dict[str, Inherited[FieldUnit]] = {}
    for tier, files in levels:  # top down: a lower level's line replaces the one above
        for file in files:
            for unit in file.contract.field_units:
                units[unit.field] = Inherited(unit, _origin(tier, file, unit.loc))
    parties = _declarations(levels, "party", lambda c: c.parties, out, conflicts=False)
    services = _declarations(levels, "service", lambda c: c.services, out)
    calendars = _declarations(levels, "calendar", lambda c: c.calendars, out)
    exclusions = _declarations(levels, "exclusion", lambda c: c.exclusions, out)
    metrics = _declarations(levels, "metric", lambda c: c.metrics, out)
    scope = {m.value.id: m.value for m in metrics}
    return InForce(
        timezone=timezone,
        currency=currency,
        term=term,
        billing_cycle=billing,
        margins=margins,
        business_calendar=business_calendar,
        baseline=_baseline(levels),
        field_units=tuple(units[name] for name in sorted(units)),
        parties=parties,
        services=services,
        calendars=calendars,
        exclusions=exclusions,
        metrics=metrics,
        clauses=_clauses(levels, service, scope, out),
        _nearest=MappingProxyType(
            {
                "party": _nearest(levels, lambda c: c.parties),
                "service": _nearest(levels, lambda c: c.services),
                "calendar": _nearest(levels, lambda c: c.calendars),
                "exclusion": _nearest(levels, lambda c: c.exclusions),
                "metric": _nearest(levels, lambda c: c.metrics),
                "clause": _nearest(levels, lambda c: c.clauses),
            }
        ),
    )


def _origin(tier: Tier, file: LevelFile, loc: SourceLocation) -> Origin:
    return Origin(tier, file.path, loc.line, loc.column, file.contract.id)


def _setting(
    levels: Chain[F], what: str, get: Callable[[Contract], Any], out: Findings[F]
) -> Inherited[Any] | None:
    """A setting of the lowest level that gives it; two files of one level must agree."""
    found: Inherited[Any] | None = None
    for tier, files in levels:
        at_level: Inherited[Any] | None = None
        for file in files:
            value = get(file.contract)
            if value is None:
                continue
            loc = getattr(value, "loc", None) or out.locate(file, what)
            here = Inherited(value, _origin(tier, file, loc))
            if at_level is None:
                at_level = here
            elif without_locations(at_level.value) != without_locations(value):
                out.setting_conflict(tier, what, at_level.origin, file, loc)
        if at_level is not None:
            found = at_level
    return found


def _baseline(levels: Chain[F]) -> Inherited[Baseline] | None:
    """The baseline of the lowest level that declares one (of two files of one level that
    both do, the later)."""
    found: Inherited[Baseline] | None = None
    for tier, files in levels:
        for file in files:
            declared = file.contract.baseline
            if declared is not None:
                found = Inherited(declared, _origin(tier, file, declared.loc))
    return found


def _declarations(
    levels: Chain[F],
    what: str,
    get: Callable[[Contract], Iterable[Any]],
    out: Findings[F],
    *,
    conflicts: bool = True,
) -> tuple[Inherited[Any], ...]:
    """Named declarations in force: a lower level's declaration of a name replaces the one
    above; two files of one level must declare a name alike."""
    found: dict[str, Inherited[Any]] = {}
    for tier, files in levels:
        at_level: dict[str, Inherited[Any]] = {}
        for file in files:
            for item in get(file.contract):
                here = Inherited(item, _origin(tier, file, item.loc))
                first = at_level.get(item.id)
                if first is None:
                    at_level[item.id] = here
                elif conflicts and without_locations(first.value) != without_locations(item):
                    out.declaration_conflict(tier, what, first.origin, file, item)
        found.update(at_level)  # a name declared again keeps its place, with the lower value
    return tuple(found.values())


def _nearest(levels: Chain[F], get: Callable[[Contract], Iterable[Any]]) -> tuple[str, ...]:
    """The names declared along the chain, read from the bottom: each where first seen."""
    seen: dict[str, None] = {}
    for _, files in reversed(levels):
        for file in files:
            for item in get(file.contract):
                seen.setdefault(item.id, None)
    return tuple(seen)


def _metric_services(metric: Metric | None) -> set[str]:
    if metric is None:
        return set()
    found = {metric.service} if metric.service else set()
    if isinstance(metric.measure, Availability) and metric.measure.service:
        found.add(metric.measure.service)
    return found


def _applies(
    clause: Clause, service: str | None, tier: Tier, metrics: Mapping[str, Metric]
) -> bool:
    """Whether a clause holds for a service: every clause does when no service is asked, and a
    service level's clauses all do; elsewhere a clause that names a service (or whose promises
    measure named services) holds for those."""
    if service is None or tier == "service":
        return True
    if clause.service is not None:
        return clause.service == service
    named: set[str] = set()
    for objective in clause.promises:
        named |= _metric_services(metrics.get(objective.metric))
    return not named or service in named


def _clauses(
    levels: Chain[F], service: str | None, metrics: Mapping[str, Metric], out: Findings[F]
) -> tuple[ResolvedClause, ...]:
    """The clauses in force: a lower level's clause replaces the one above of its id."""
    in_force: dict[str, ResolvedClause] = {}
    for tier, files in levels:
        at_level: dict[str, ResolvedClause] = {}
        for file in files:
            for clause in file.contract.clauses:
                if not _applies(clause, service, tier, metrics):
                    continue
                origin = _origin(tier, file, clause.loc)
                if clause.id in at_level:
                    out.clause_twice(tier, at_level[clause.id].origin, file, clause, origin)
                    continue
                above = in_force.get(clause.id)
                if above is not None and not clause.override:
                    out.clause_not_overridden(above.origin, clause)
                replaced = () if above is None else (above.origin, *above.replaces)
                at_level[clause.id] = ResolvedClause(clause, origin, replaced)
        in_force.update(at_level)
    return tuple(in_force.values())

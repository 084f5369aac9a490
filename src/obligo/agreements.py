"""An agreement set: the contract files of a provider, the levels they form, the (customer,
service) pairs they cover, and the agreement in force for each pair.

Three shapes of agreement live side by side in a set:

- **service-based**: one file, its services, for every customer (the customers are only known
  from the logs, so the pair's customer is ``None``, "any customer");
- **customer-based**: one file, one customer (its ``customer`` party), all the services it names;
- **multi-level**: a corporate level, customer levels importing it, and service levels (one
  service of one customer) importing a customer level; a service level ``for every customer``
  imports the corporate level. The agreement for a pair is the corporate level, every
  service-level file of that service for every customer, every customer-level file of that
  customer, and every service-level file of that service and customer, read from the top down: a lower level inherits everything above
  and replaces a clause whole, only where it names the clause in ``override clause``.

Resolution never depends on the order files were given in: files are read in path order and
everything returned is sorted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from obligo.checks import check_contract
from obligo.checks.levels import check_service_level, level_description, parent_level
from obligo.checks.reporter import Reporter, did_you_mean
from obligo.errors import Diagnostic, ObligoError, ObligoSemanticError, Severity
from obligo.model.base import SourceLocation
from obligo.model.clauses import Clause
from obligo.model.contract import (
    AgreementKind,
    Baseline,
    BillingCycle,
    Calendar,
    ClauseBreached,
    Contract,
    DefaultCalendar,
    Exclusion,
    FieldUnit,
    Margins,
    NeverMet,
    Party,
    Service,
    Term,
    WideMargin,
)
from obligo.model.inheritance import (
    InForce,
    Inherited,
    Origin,
    ResolvedClause,
    Tier,
    in_force,
    lineage,
    lineage_chain,
    tier_of,
)
from obligo.model.metrics import Metric

TIERS: tuple[Tier, ...] = ("corporate", "customer", "service", "agreement")

# The place errors about a requested pair point at: the request written as on the command line.
REQUEST_FILE = "<resolve>"

T = TypeVar("T")


@dataclass(frozen=True)
class AgreementFile:
    """One contract file of the set and where it sits."""

    path: str
    contract: Contract
    kind: AgreementKind
    tier: Tier
    customer: str | None  # a customer or service level's customer; a customer-based one's
    service: str | None  # a service level's service
    parent: str | None  # the path of the level above (a customer or service level)
    listed: bool  # given (or found in a folder given), not only reached by `import`
    every_customer: bool = False  # `level service NAME for every customer`


@dataclass(frozen=True)
class LevelNode:
    """A level file and the levels directly under it."""

    file: AgreementFile
    children: tuple[LevelNode, ...]

    def walk(self) -> Iterator[LevelNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class CoveredPair:
    """A (customer, service) pair an agreement covers; ``customer`` None means any customer."""

    customer: str | None
    service: str
    agreement: str  # the id of the agreement's top contract (the corporate level's, or the file's)
    kind: AgreementKind
    files: tuple[str, ...]  # the files resolved for the pair, from the top down

    def describe(self) -> str:
        customer = "any customer" if self.customer is None else f"customer {self.customer}"
        return f"{customer}, service {self.service}"


@dataclass(frozen=True)
class PairRequest:
    """``customer=globex,service=db`` (``agreement=NAME`` chooses among several agreements)."""

    customer: str | None
    service: str
    agreement: str | None = None

    def text(self) -> str:
        parts = [] if self.customer is None else [f"customer={self.customer}"]
        parts.append(f"service={self.service}")
        if self.agreement is not None:
            parts.append(f"agreement={self.agreement}")
        return ",".join(parts)


@dataclass(frozen=True)
class ResolvedAgreement:
    """The agreement in force for one (customer, service) pair: the files it is read from (top
    down), the clauses in force and every inherited setting, each with its origin."""

    customer: str | None
    service: str
    agreement: str
    kind: AgreementKind
    files: tuple[AgreementFile, ...]
    clauses: tuple[ResolvedClause, ...]  # in reading order (1.2 before 1.10)
    in_force: InForce  # every setting, declaration and clause in force, with its origin

    @property
    def timezone(self) -> Inherited[str] | None:
        return self.in_force.timezone

    @property
    def currency(self) -> Inherited[str] | None:
        return self.in_force.currency

    @property
    def term(self) -> Inherited[Term] | None:
        return self.in_force.term

    @property
    def billing_cycle(self) -> Inherited[BillingCycle] | None:
        return self.in_force.billing_cycle

    @property
    def margins(self) -> Inherited[Margins] | None:
        return self.in_force.margins

    @property
    def business_calendar(self) -> Inherited[DefaultCalendar] | None:
        """``calendar NAME``: the lowest level's that states one."""
        return self.in_force.business_calendar

    @property
    def baseline(self) -> Inherited[Baseline] | None:
        return self.in_force.baseline

    @property
    def field_units(self) -> tuple[Inherited[FieldUnit], ...]:
        """``field NAME in UNIT``: the lowest level's line for each field, by field name."""
        return self.in_force.field_units

    @property
    def parties(self) -> tuple[Inherited[Party], ...]:
        return self.in_force.parties

    @property
    def services(self) -> tuple[Inherited[Service], ...]:
        return self.in_force.services

    @property
    def calendars(self) -> tuple[Inherited[Calendar], ...]:
        return self.in_force.calendars

    @property
    def exclusions(self) -> tuple[Inherited[Exclusion], ...]:
        return self.in_force.exclusions

    @property
    def metrics(self) -> tuple[Inherited[Metric], ...]:
        return self.in_force.metrics

    def clause(self, clause_id: str) -> ResolvedClause | None:
        return next((c for c in self.clauses if c.id == clause_id), None)

    def as_contract(self) -> Contract:
        """One contract holding exactly what is in force for the pair, with no levels: every
        declaration keeps its source location, clauses in force lose their ``override`` mark
        (there is nothing left to override), and renegotiations about a clause not in force
        for this pair are left out. What :func:`obligo.evaluate` takes."""
        lowest = self.files[-1].contract
        in_force = {c.id for c in self.clauses}
        contracts = [f.contract for f in self.files]

        def about_clause_in_force(item: Any) -> bool:
            condition = item.condition
            if isinstance(condition, ClauseBreached | WideMargin | NeverMet):
                return condition.clause is None or condition.clause in in_force
            return True

        return Contract(
            id=lowest.id,
            title=lowest.title,
            version=lowest.version,
            description=lowest.description,
            kind=None if self.kind == "multi-level" else self.kind,
            parties=tuple(p.value for p in self.parties),
            term=None if self.term is None else self.term.value,
            timezone=None if self.timezone is None else self.timezone.value,
            currency=None if self.currency is None else self.currency.value,
            billing_cycle=None if self.billing_cycle is None else self.billing_cycle.value,
            mappings=_unique(m for c in contracts for m in c.mappings),
            field_units=tuple(u.value for u in self.field_units),
            calendar=None if self.business_calendar is None else self.business_calendar.value,
            margins=None if self.margins is None else self.margins.value,
            services=tuple(s.value for s in self.services),
            calendars=tuple(c.value for c in self.calendars),
            exclusions=tuple(e.value for e in self.exclusions),
            metrics=tuple(m.value for m in self.metrics),
            clauses=tuple(c.clause.model_copy(update={"override": False}) for c in self.clauses),
            baseline=None if self.baseline is None else self.baseline.value,
            at_risk=next(
                (f.contract.at_risk for f in reversed(self.files) if f.contract.at_risk), None
            ),
            reviews=_unique(r for c in contracts for r in c.reviews),
            renegotiations=_unique(
                r for c in contracts for r in c.renegotiations if about_clause_in_force(r)
            ),
            notifications=_unique(n for c in contracts for n in c.notifications),
            loc=lowest.loc,
        )


def _unique(items: Iterable[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(items))


def _sorted(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each finding once, by file and position. A finding made both by a file's own checks and
    by the set's (a level's place in the hierarchy) is one, whether or not it quotes its line."""
    unique: dict[tuple[object, ...], Diagnostic] = {}
    for d in diagnostics:
        key = (d.severity, d.message, d.file, d.line, d.column, d.hint)
        if key not in unique or unique[key].source_line is None:
            unique[key] = d
    return sorted(unique.values(), key=lambda d: (d.file, d.line, d.column, d.message))


# A chain of levels for one pair, from the top: each level's tier and its files (in path order).
Chain = tuple[tuple[Tier, tuple[AgreementFile, ...]], ...]


class AgreementSet:
    """Every file of a set of agreements, their hierarchy, the pairs they cover.

    Build one with :func:`obligo.load_agreements`. ``check()`` gives every finding (each file's
    own and those across the set); ``resolve(customer=..., service=...)`` the agreement in force
    for one pair.
    """

    def __init__(
        self,
        files: tuple[AgreementFile, ...],
        hierarchy: tuple[LevelNode, ...],
        pairs: tuple[CoveredPair, ...],
        resolved: dict[CoveredPair, tuple[ResolvedAgreement, tuple[Diagnostic, ...]]],
        findings: tuple[Diagnostic, ...],
        structural: tuple[Diagnostic, ...],
    ) -> None:
        self.files = files
        self.hierarchy = hierarchy
        self.pairs = pairs
        self._resolved = resolved
        self._findings = findings
        # The findings about the files and their levels, before any pair is resolved.
        self._structural = structural
        self._own: list[Diagnostic] | None = None

    @classmethod
    def build(cls, contracts: Sequence[Contract]) -> AgreementSet:
        """The set of the given contracts (those listed) and every contract they import."""
        return _Builder(contracts).build()

    # ------------------------------------------------------------------------------ questions
    @property
    def customers(self) -> tuple[str, ...]:
        """Every customer named by a pair (service-based agreements cover any customer)."""
        return tuple(sorted({p.customer for p in self.pairs if p.customer is not None}))

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(sorted({p.service for p in self.pairs}))

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The findings across the set (levels, hierarchy, conflicts), not each file's own."""
        return self._findings

    def file(self, path: str) -> AgreementFile:
        return next(f for f in self.files if f.path == path)

    def levels(self, tier: Tier) -> tuple[AgreementFile, ...]:
        return tuple(f for f in self.files if f.tier == tier)

    def check(self) -> list[Diagnostic]:
        """Every finding: each file's own (as :func:`obligo.check` gives them, each file once)
        and those across the set, errors and warnings, sorted by file and position."""
        return _sorted([*self._files_own(), *self._findings])

    def _files_own(self) -> list[Diagnostic]:
        if self._own is None:
            self._own = [d for file in self.files for d in check_contract(file.contract)]
        return self._own

    def resolve(
        self, *, customer: str | None = None, service: str, agreement: str | None = None
    ) -> ResolvedAgreement:
        """The agreement in force for a customer and a service.

        ``customer`` None asks for the agreement of any customer (a service-based one); a named
        customer without an agreement of its own gets the service-based agreement of the
        service, if there is one. ``agreement`` (the top contract's id) chooses when several
        agreements cover the pair. Raises :class:`ObligoSemanticError` when no agreement or
        several cover the pair, or when a file the pair is read from has errors.
        """
        request = PairRequest(customer, service, agreement)
        # A level that says it is about this customer (and service) but has errors that keep it
        # out of the hierarchy must not be silently left out of the agreement.
        claiming = {f.path for f in self._claiming(customer, service)}
        try:
            pair = self._pair(request)
        except ObligoSemanticError:
            errors = self._errors(claiming, ())
            if errors:
                raise _unresolvable(_described(request), errors) from None
            raise
        resolved, diagnostics = self._resolved[pair]
        errors = self._errors(set(pair.files) | claiming, diagnostics)
        if errors:
            raise _unresolvable(pair.describe(), errors)
        return resolved

    def _claiming(self, customer: str | None, service: str) -> list[AgreementFile]:
        return [
            f
            for f in self.files
            if (
                customer is not None
                and f.customer == customer
                and (f.tier == "customer" or (f.tier == "service" and f.service == service))
            )
            or (f.every_customer and f.service == service)
        ]

    def _errors(self, files: set[str], own: Iterable[Diagnostic]) -> list[Diagnostic]:
        return [
            d
            for d in _sorted([*self._files_own(), *self._structural, *own])
            if d.severity is Severity.ERROR and d.file in files
        ]

    def resolve_all(self) -> tuple[ResolvedAgreement, ...]:
        """The agreement in force for every pair the set covers (pairs in order)."""
        return tuple(
            self.resolve(customer=p.customer, service=p.service, agreement=p.agreement)
            for p in self.pairs
        )

    # ------------------------------------------------------------------------ finding a pair
    def _pair(self, request: PairRequest) -> CoveredPair:
        text = request.text()
        if not request.service:
            raise _request_error("name the service to resolve", text, 0, "service=NAME")
        any_customer = [p for p in self.pairs if p.customer is None]
        service_col = text.index("service=") + len("service=")
        if request.customer is None:
            candidates = [p for p in any_customer if p.service == request.service]
            if not candidates:
                owners = sorted(
                    {p.customer for p in self.pairs if p.service == request.service and p.customer}
                )
                if owners:
                    hint = "name the customer: " + ", ".join(
                        f"customer={c},service={request.service}" for c in owners
                    )
                    message = f'no agreement covers service "{request.service}" for any customer'
                    raise _request_error(message, text, service_col, hint)
                raise _request_error(
                    f'no agreement covers service "{request.service}"',
                    text,
                    service_col,
                    _suggest(request.service, [p.service for p in self.pairs], "services"),
                )
        else:
            customer = request.customer
            own = [p for p in self.pairs if p.customer == customer]
            candidates = [p for p in own if p.service == request.service] + [
                p for p in any_customer if p.service == request.service
            ]
            if not candidates and own:
                services = [p.service for p in own] + [p.service for p in any_customer]
                raise _request_error(
                    f'customer {customer} has no service "{request.service}" in the agreements',
                    text,
                    service_col,
                    _suggest(request.service, services, "services"),
                )
            if not candidates:
                customer_col = len("customer=")
                known = sorted({p.customer for p in self.pairs if p.customer is not None})
                suggestion = did_you_mean(customer, known)
                if suggestion is not None:
                    hint = suggestion
                else:
                    hint = (
                        "the customers are " + ", ".join(known)
                        if known
                        else "no agreement of the set names a customer"
                    )
                    if any_customer:
                        hint += "; services for any customer: " + ", ".join(
                            sorted({p.service for p in any_customer})
                        )
                raise _request_error(
                    f'no agreement covers customer "{customer}"', text, customer_col, hint
                )
        if request.agreement is not None:
            chosen = [p for p in candidates if p.agreement == request.agreement]
            if not chosen:
                names = sorted({p.agreement for p in candidates})
                raise _request_error(
                    f'agreement "{request.agreement}" does not cover {candidates[0].describe()}',
                    text,
                    text.index("agreement=") + len("agreement="),
                    _suggest(request.agreement, names, "agreements covering it"),
                )
            candidates = chosen
        agreements = sorted({p.agreement for p in candidates})
        if len(agreements) > 1:
            which = ", ".join(
                f"{p.agreement} ({p.files[-1]})"
                for p in sorted(candidates, key=lambda p: (p.agreement, p.files))
            )
            raise _request_error(
                f"{len(candidates)} agreements cover {_described(request)}: {which}",
                text,
                service_col,
                "choose one: " + ", ".join(f"{text},agreement={a}" for a in agreements),
            )
        return candidates[0]


def _unresolvable(pair: str, errors: list[Diagnostic]) -> ObligoSemanticError:
    first = errors[0]
    return ObligoSemanticError(
        f"the agreement for {pair} cannot be resolved: {first.message}",
        file=first.file,
        line=first.line,
        column=first.column,
        hint=first.hint,
        source_line=first.source_line,
        diagnostics=tuple(errors),
    )


def _described(request: PairRequest) -> str:
    customer = "any customer" if request.customer is None else f"customer {request.customer}"
    return f"{customer}, service {request.service}"


def _suggest(word: str, choices: Iterable[str], what: str) -> str:
    known = sorted(set(choices))
    hint = did_you_mean(word, known)
    if hint is not None:
        return hint
    return f"the {what} are " + ", ".join(known) if known else f"there are no {what}"


def _request_error(message: str, text: str, offset: int, hint: str | None) -> ObligoSemanticError:
    return ObligoSemanticError(
        message, file=REQUEST_FILE, line=1, column=offset + 1, hint=hint, source_line=text
    )


# ---------------------------------------------------------------------------- the argument
KEYS = ("customer", "service", "agreement")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")


def parse_pair_argument(text: str, source: str = REQUEST_FILE) -> PairRequest:
    """``customer=globex,service=db`` (in any order; ``customer`` may be left out for a
    service-based agreement; ``agreement=NAME`` chooses among several agreements).

    Raises :class:`ObligoError` located in ``source`` (line 1, the column in ``text``), with
    what was expected."""
    values: dict[str, str] = {}
    offset = 0
    for part in text.split(","):
        start = offset + len(part) - len(part.lstrip())
        offset += len(part) + 1
        item = part.strip()
        if not item:
            raise _argument_error(
                "an empty part: write customer=NAME,service=NAME", text, start, source
            )
        key, equals, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not equals:
            raise _argument_error(
                f'"{item}" is not KEY=NAME',
                text,
                start,
                source,
                f"write customer={item},service=NAME or service={item}",
            )
        if key not in KEYS:
            raise _argument_error(
                f'"{key}" is not a key of the pair',
                text,
                start,
                source,
                did_you_mean(key, list(KEYS)) or "the keys are customer, service and agreement",
            )
        if key in values:
            raise _argument_error(f"{key} is given twice", text, start, source)
        value_at = start + item.index("=") + 1
        value_at += len(item[item.index("=") + 1 :]) - len(item[item.index("=") + 1 :].lstrip())
        if not value:
            raise _argument_error(f"{key}= names no {key}", text, value_at, source)
        if _NAME.fullmatch(value) is None:
            raise _argument_error(
                f"not a name: {value}", text, value_at, source, "a name has no spaces or quotes"
            )
        values[key] = value
    if "service" not in values:
        raise _argument_error(
            "name the service: service=NAME",
            text,
            len(text),
            source,
            "for example customer=globex,service=db",
        )
    return PairRequest(values.get("customer"), values["service"], values.get("agreement"))


def _argument_error(
    message: str, text: str, offset: int, source: str, hint: str | None = None
) -> ObligoError:
    return ObligoError(message, file=source, line=1, column=offset + 1, hint=hint, source_line=text)


# ------------------------------------------------------------------------------- the build
def _kind(contract: Contract) -> AgreementKind:
    """The declared kind; without one, a file with a level is multi-level, one that names a
    customer customer-based, any other service-based."""
    if contract.kind is not None:
        return contract.kind
    if contract.level is not None:
        return "multi-level"
    if any(p.role == "customer" for p in contract.parties):
        return "customer-based"
    return "service-based"


def _clause_order(clause_id: str) -> tuple[tuple[int, int, str], ...]:
    """Clause ids in reading order: 1.2 before 1.10, numbers before words."""
    parts = re.split(r"(\d+)", clause_id)
    return tuple((1, 0, p) if not p.isdigit() else (0, int(p), p) for p in parts if p)


class _Builder:
    def __init__(self, listed: Sequence[Contract]) -> None:
        self.out = Reporter()
        self.contracts: dict[str, Contract] = {}
        self.listed = {c.loc.file for c in listed}
        for contract in listed:
            self._collect(contract)
            self.out.add_source(contract)
        self.imported_by: dict[str, list[str]] = {}
        for path, contract in self.contracts.items():
            for parent in contract.imported:
                self.imported_by.setdefault(parent.loc.file, []).append(path)

    def _collect(self, contract: Contract) -> None:
        if contract.loc.file in self.contracts:
            return
        self.contracts[contract.loc.file] = contract
        for parent in contract.imported:
            self._collect(parent)

    def build(self) -> AgreementSet:
        files = self._files()
        hierarchy = self._hierarchy(files)
        chains = self._chains(files)
        self._unique_agreements(chains)
        structural = tuple(_sorted(self.out.found))
        resolved: dict[CoveredPair, tuple[ResolvedAgreement, tuple[Diagnostic, ...]]] = {}
        for pair, chain in chains:
            pair_out = Reporter(sources=self.out.sources)
            resolved[pair] = (_resolve(pair, chain, pair_out), tuple(pair_out.found))
            self.out.found.extend(pair_out.found)
        return AgreementSet(
            files,
            hierarchy,
            tuple(pair for pair, _ in chains),
            resolved,
            tuple(_sorted(self.out.found)),
            structural,
        )

    def _files(self) -> tuple[AgreementFile, ...]:
        paths = sorted(self.contracts)
        parents: dict[str, Contract | None] = {}
        for path in paths:
            parents[path] = parent_level(self.contracts[path], self.out)
        files: dict[str, AgreementFile] = {}

        def make(path: str) -> AgreementFile:
            if path in files:
                return files[path]
            contract = self.contracts[path]
            parent = parents[path]
            level = contract.level
            customer: str | None = None
            service: str | None = None
            if level is not None and level.level == "customer":
                customer = level.name
            elif level is not None and level.every_customer:
                service = level.name
            elif level is not None and level.level == "service":
                service = level.name
                above = make(parent.loc.file) if parent is not None else None
                customer = level.customer or (above.customer if above is not None else None)
            elif _kind(contract) == "customer-based":
                customer = next((p.id for p in contract.parties if p.role == "customer"), None)
            files[path] = AgreementFile(
                path=path,
                contract=contract,
                kind=_kind(contract),
                tier=tier_of(contract),
                customer=customer,
                service=service,
                parent=None if parent is None else parent.loc.file,
                listed=path in self.listed,
                every_customer=level is not None and level.every_customer,
            )
            return files[path]

        return tuple(make(path) for path in paths)

    def _hierarchy(self, files: tuple[AgreementFile, ...]) -> tuple[LevelNode, ...]:
        children: dict[str, list[AgreementFile]] = {}
        for file in files:
            if file.parent is not None:
                children.setdefault(file.parent, []).append(file)

        def node(file: AgreementFile) -> LevelNode:
            below = sorted(children.get(file.path, []), key=lambda f: f.path)
            return LevelNode(file, tuple(node(f) for f in below))

        roots = [
            f
            for f in files
            if f.parent is None and (f.tier != "agreement" or f.path not in self.imported_by)
        ]
        return tuple(node(f) for f in roots)

    def _chains(self, files: tuple[AgreementFile, ...]) -> list[tuple[CoveredPair, Chain]]:
        by_path = {f.path: f for f in files}
        chains: list[tuple[CoveredPair, Chain]] = []
        for root in files:
            if root.tier == "corporate":
                chains.extend(self._multi_level(root, files))
            elif root.tier == "agreement" and root.path not in self.imported_by:
                chains.extend(self._single(root, by_path))
        return sorted(
            chains,
            key=lambda c: (c[0].customer or "", c[0].service, c[0].agreement, c[0].files),
        )

    def _multi_level(
        self, root: AgreementFile, files: tuple[AgreementFile, ...]
    ) -> Iterator[tuple[CoveredPair, Chain]]:
        agreement = root.contract.id
        top: Chain = (("corporate", (root,)),)
        own = [s.id for s in root.contract.services]
        # The service levels for every customer: read under the corporate level, above each
        # customer's level, for every pair of their service (and for any customer).
        every = [f for f in files if f.every_customer and f.parent == root.path]
        for level in every:
            mine = [s.id for s in level.contract.services]
            if check_service_level(level.contract, own + mine, self.out):
                own.append(str(level.service))

        def above(service: str) -> Chain:
            for_all = tuple(f for f in every if f.service == service)
            return (*top, ("service", for_all)) if for_all else top

        for service in sorted(set(own)):
            chain_all = above(service)
            yield _pair(None, service, agreement, "multi-level", chain_all), chain_all
        customer_levels = [f for f in files if f.tier == "customer" and f.parent == root.path]
        for customer in sorted({f.customer for f in customer_levels if f.customer}):
            at_customer = tuple(f for f in customer_levels if f.customer == customer)
            service_levels = [
                f
                for f in files
                if f.tier == "service"
                and not f.every_customer
                and f.parent in {c.path for c in at_customer}
                and f.customer == customer
            ]
            declared = own + [s.id for f in at_customer for s in f.contract.services]
            services = set(declared)
            for level in service_levels:
                mine = [s.id for s in level.contract.services]
                if check_service_level(level.contract, declared + mine, self.out):
                    services.add(str(level.service))
            for service in sorted(services):
                below = tuple(f for f in service_levels if f.service == service)
                chain: Chain = (*above(service), ("customer", at_customer))
                if below:
                    chain = (*chain, ("service", below))
                yield _pair(customer, service, agreement, "multi-level", chain), chain

    def _single(
        self, file: AgreementFile, by_path: dict[str, AgreementFile]
    ) -> Iterator[tuple[CoveredPair, Chain]]:
        above = list(dict.fromkeys(c.loc.file for c in lineage(file.contract)))
        chain: Chain = tuple((by_path[p].tier, (by_path[p],)) for p in reversed(above))
        services = sorted(s.value.id for s in in_force(lineage_chain(file.contract)).services)
        customer: str | None = None
        if file.kind == "customer-based":
            customers = [p for p in file.contract.parties if p.role == "customer"]
            if len(customers) != 1:
                self.out.error(
                    "a customer-based agreement names one customer, and this one names "
                    + ("none" if not customers else str(len(customers))),
                    file.contract.loc,
                    'add one line such as: customer acme "Acme Corp"'
                    if not customers
                    else "write one agreement per customer, or a multi-level set",
                    word=file.contract.id,
                )
                return
            customer = customers[0].id
        for service in services:
            yield _pair(customer, service, file.contract.id, file.kind, chain), chain

    def _unique_agreements(self, chains: list[tuple[CoveredPair, Chain]]) -> None:
        tops: dict[str, set[str]] = {}
        for pair, _ in chains:
            tops.setdefault(pair.agreement, set()).add(pair.files[0])
        for name, paths in sorted(tops.items()):
            if len(paths) > 1:
                first, *others = sorted(paths)
                for path in others:
                    self.out.error(
                        f"two agreements are named {name}: {first} and {path}",
                        self.contracts[path].loc,
                        "give each contract its own name",
                        word=name,
                    )


def _pair(
    customer: str | None, service: str, agreement: str, kind: AgreementKind, chain: Chain
) -> CoveredPair:
    files = tuple(f.path for _, level in chain for f in level)
    return CoveredPair(customer, service, agreement, kind, files)


# -------------------------------------------------------------------------------- resolve
def _resolve(pair: CoveredPair, chain: Chain, out: Reporter) -> ResolvedAgreement:
    """The agreement in force for a pair: its chain read by :func:`obligo.model.inheritance.
    in_force` (what the checks of the set report about it goes to ``out``), clauses in reading
    order."""
    # The clause ids only a service level for every customer defines (not the corporate level).
    top = {
        c.id
        for tier, level in chain
        if tier == "corporate"
        for f in level
        for c in f.contract.clauses
    }
    every = frozenset(
        c.id
        for _, level in chain
        for f in level
        if f.every_customer
        for c in f.contract.clauses
        if c.id not in top
    )
    found = in_force(chain, _SetFindings(out, pair, every), service=pair.service)
    return ResolvedAgreement(
        customer=pair.customer,
        service=pair.service,
        agreement=pair.agreement,
        kind=pair.kind,
        files=tuple(f for _, level in chain for f in level),
        clauses=tuple(sorted(found.clauses, key=lambda c: _clause_order(c.id))),
        in_force=found,
    )


class _SetFindings:
    """What resolving a pair finds wrong across the files of its levels, as findings of the
    set (each at its line)."""

    def __init__(self, out: Reporter, pair: CoveredPair, every: frozenset[str]) -> None:
        self.out = out
        self.pair = pair
        self.every = every  # the clause ids only the service level for every customer defines

    def _where(self, tier: Tier, file: AgreementFile, customer: str | None) -> str:
        return level_description(
            tier, customer, file.service or self.pair.service, every_customer=file.every_customer
        )

    def locate(self, file: AgreementFile, what: str) -> SourceLocation:
        return self.out.in_block(file.contract.loc, what)

    def setting_conflict(
        self, tier: Tier, what: str, first: Origin, file: AgreementFile, loc: SourceLocation
    ) -> None:
        self.out.error(
            f"two files {self._where(tier, file, file.customer)} give "
            f"different {what}s: {first.file}:{first.line} and {file.path}:{loc.line}",
            loc,
            "a level has one " + what,
        )

    def declaration_conflict(
        self, tier: Tier, what: str, first: Origin, file: AgreementFile, item: Any
    ) -> None:
        self.out.error(
            f"{what} {item.id} is declared differently by two files "
            + self._where(tier, file, file.customer)
            + f": {first.file}:{first.line} and {file.path}:{item.loc.line}",
            item.loc,
            "declare it once, or alike in both",
            word=item.id,
        )

    def clause_twice(
        self, tier: Tier, first: Origin, file: AgreementFile, clause: Clause, origin: Origin
    ) -> None:
        verb = "overridden" if clause.override else "defined"
        self.out.error(
            f"clause {clause.id} is {verb} by two files "
            + self._where(tier, file, self.pair.customer)
            + f": {first.file}:{first.line} and {origin.file}:{origin.line}",
            clause.loc,
            "keep one of them: a level says once what a clause is",
        )

    def clause_not_overridden(self, above: Origin, clause: Clause) -> None:
        hint = f"write `override clause {clause.id}` to replace it"
        if clause.id in self.every and above.tier == "service":
            # A customer's file does not import the service level for every customer, so its
            # own `override` could not name the clause: the id must be the corporate level's.
            hint = (
                f"use another id: a customer replaces a clause of the service level for every "
                f"customer only when the corporate level defines clause {clause.id} too (then "
                f"write `override clause {clause.id}`)"
            )
        self.out.error(
            f"clause {clause.id} is already defined at a higher level ({above.file}:{above.line})",
            clause.loc,
            hint,
        )

"""Collecting findings, each at a place in the text, and the names a contract can see."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from obligo.errors import Diagnostic, Severity
from obligo.model.base import SourceLocation
from obligo.model.clauses import Clause
from obligo.model.contract import Calendar, Contract, Exclusion, Party, Service
from obligo.model.metrics import Metric
from obligo.syntax.lines import SourceText


@dataclass
class Reporter:
    """Makes diagnostics that quote their source line, from the texts of the contracts checked."""

    sources: dict[str, SourceText] = field(default_factory=dict)
    found: list[Diagnostic] = field(default_factory=list)

    def add_source(self, contract: Contract) -> None:
        if contract.source_text is not None:
            if contract.loc.file not in self.sources:
                self.sources[contract.loc.file] = SourceText(contract.source_text)
        for parent in contract.imported:
            self.add_source(parent)

    def line(self, loc: SourceLocation) -> str | None:
        source = self.sources.get(loc.file)
        return None if source is None else source.line(loc.line)

    def at_word(self, loc: SourceLocation, word: str) -> SourceLocation:
        """The location of ``word`` on the line of ``loc``, at or after its column."""
        text = self.line(loc)
        if text is None:
            return loc
        pattern = re.compile(r"(?<![\w`-])`?" + re.escape(word) + r"`?(?![\w`-])")
        match = pattern.search(text, max(loc.column - 1, 0)) or pattern.search(text)
        if match is None:
            return loc
        return loc.model_copy(update={"column": match.start() + 1})

    def in_block(self, loc: SourceLocation, lead: str, word: str | None = None) -> SourceLocation:
        """The line of the declaration at ``loc`` (or of its indented body) that starts with
        ``lead`` and holds ``word``, at ``word`` (or at ``lead``); ``loc`` when there is none.

        For the lines the model keeps no location of, such as ``excluding`` or ``timezone``.
        """
        source = self.sources.get(loc.file)
        first = None if source is None else source.line(loc.line)
        if source is None or first is None:
            return loc
        lines = source.lines
        indent = len(first) - len(first.lstrip())
        starts = re.compile(r"\s*" + r"\s+".join(map(re.escape, lead.split())) + r"(?![\w-])")
        for number in range(loc.line, len(lines) + 1):
            text = lines[number - 1]
            stripped = text.strip()
            if number > loc.line and stripped and not stripped.startswith("#"):
                if len(text) - len(text.lstrip()) <= indent:
                    break
            opening = starts.match(text)
            if opening is None:
                continue
            here = loc.model_copy(update={"line": number, "column": opening.end() + 1})
            if word is None:
                return here.model_copy(update={"column": len(text) - len(text.lstrip()) + 1})
            found = self.at_word(here, word)
            if found is not here:
                return found
        return loc

    def report(
        self,
        severity: Severity,
        message: str,
        loc: SourceLocation,
        hint: str | None = None,
        word: str | None = None,
    ) -> None:
        if word is not None:
            loc = self.at_word(loc, word)
        self.found.append(
            Diagnostic(severity, message, loc.file, loc.line, loc.column, hint, self.line(loc))
        )

    def error(
        self, message: str, loc: SourceLocation, hint: str | None = None, word: str | None = None
    ) -> None:
        self.report(Severity.ERROR, message, loc, hint, word)

    def warning(
        self, message: str, loc: SourceLocation, hint: str | None = None, word: str | None = None
    ) -> None:
        self.report(Severity.WARNING, message, loc, hint, word)


def did_you_mean(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else None


def lineage(contract: Contract) -> Iterator[Contract]:
    """The contract, then every level above it (depth first, in import order)."""
    yield contract
    for parent in contract.imported:
        yield from lineage(parent)


@dataclass
class Scope:
    """Everything a contract can name: its own declarations and those of the levels above."""

    metrics: dict[str, Metric]
    services: dict[str, Service]
    calendars: dict[str, Calendar]
    exclusions: dict[str, Exclusion]
    parties: dict[str, Party]
    clauses: dict[str, Clause]
    timezone: str | None
    currency: str | None

    @classmethod
    def of(cls, contract: Contract) -> Scope:
        scope = cls({}, {}, {}, {}, {}, {}, None, None)
        for level in lineage(contract):
            for metric in level.metrics:
                scope.metrics.setdefault(metric.id, metric)
            for service in level.services:
                scope.services.setdefault(service.id, service)
            for calendar in level.calendars:
                scope.calendars.setdefault(calendar.id, calendar)
            for exclusion in level.exclusions:
                scope.exclusions.setdefault(exclusion.id, exclusion)
            for party in level.parties:
                scope.parties.setdefault(party.id, party)
            for clause in level.clauses:
                scope.clauses.setdefault(clause.id, clause)
            scope.timezone = scope.timezone or level.timezone
            scope.currency = scope.currency or level.currency
        return scope

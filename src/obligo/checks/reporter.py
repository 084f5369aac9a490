"""Collecting findings, each at a place in the text, and the names a contract can see."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from obligo.errors import Diagnostic, Severity
from obligo.model.base import SourceLocation
from obligo.model.clauses import Clause
from obligo.model.contract import Calendar, Contract, Exclusion, Party, Service
from obligo.model.inheritance import in_force, lineage_chain
from obligo.model.inheritance import lineage as lineage  # the checks read it from here
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


@dataclass
class Scope:
    """Everything a contract can name: its own declarations and those of the levels above, as
    :func:`obligo.model.inheritance.in_force` reads its lineage (the nearest level's declaration
    of a name; the contract's own names first, then each level's above)."""

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
        found = in_force(lineage_chain(contract))

        def named(kind: str, items: Iterable[Any]) -> dict[str, Any]:
            by_name = {item.id: item for item in items}
            return {name: by_name[name] for name in found.nearest_first(kind) if name in by_name}

        return cls(
            metrics=named("metric", (m.value for m in found.metrics)),
            services=named("service", (s.value for s in found.services)),
            calendars=named("calendar", (c.value for c in found.calendars)),
            exclusions=named("exclusion", (e.value for e in found.exclusions)),
            parties=named("party", (p.value for p in found.parties)),
            clauses=named("clause", (c.clause for c in found.clauses)),
            timezone=None if found.timezone is None else found.timezone.value,
            currency=None if found.currency is None else found.currency.value,
        )

"""The contract's own words for a report that shows them (the HTML report): each clause as written,
and the lines of the contract's header that name the parties and the term.

The report model holds where each promise is written (file and line), not the text around it, so
these are read back from the contract files the report names. A file that cannot be read (a
contract given on standard input, a file since moved) gives no words: the report says so rather
than guess. Reading goes through the one bounded contract reader (``contract_files``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from obligo._inert import inert
from obligo.contract_files import Refusal, read_contract_text

# The header lines a reader of a report wants beside the verdicts: who the parties are and the term.
_HEADER_WORDS = ("provider", "supplier", "customer", "term", "timezone", "currency", "kind")


@dataclass(frozen=True)
class ContractWords:
    """What could be read back: the clauses by (file, id) and the header of the contract."""

    # (file, clause id) -> the clause's lines, as written (inert: controls shown escaped).
    clauses: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    # The first line of the contract block and its party and term lines, as written.
    header: tuple[str, ...] = ()

    def clause(self, files: Iterable[str], clause_id: str) -> tuple[str, ...]:
        """The clause's lines from the first of ``files`` that has it; () when none does."""
        for name in files:
            found = self.clauses.get((name, clause_id))
            if found:
                return found
        return ()


def read_sources(files: Iterable[str]) -> dict[str, str]:
    """The text of each file that can be read as a contract; the others are left out."""
    found: dict[str, str] = {}
    for name in sorted(set(files)):
        if name.startswith("<"):  # <stdin>, <string>: no file to read back
            continue
        text = read_contract_text(name, imported=False)
        if not isinstance(text, Refusal):
            found[name] = text
    return found


_CLAUSE = re.compile(r"(?:override\s+)?clause\s+(\S+)")
_CONTRACT = re.compile(r"contract\s+(\S+)")


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """The top-level blocks of a contract: a line at column 1 and the indented or blank lines
    after it (the language's layout), trailing blank lines dropped."""
    blocks: list[tuple[str, list[str]]] = []
    inside = False
    for line in text.split("\n"):
        line = line.rstrip("\r")
        if line.startswith("#"):  # a comment at column 1 is about what follows: it ends a block
            inside = False
        elif line and not line[0].isspace():
            blocks.append((line, [line]))
            inside = True
        elif inside:
            blocks[-1][1].append(line)
    for _, lines in blocks:
        while lines and not lines[-1].strip():
            lines.pop()
    return blocks


def contract_words(sources: Mapping[str, str], contract_id: str) -> ContractWords:
    """The clauses of every source, and the header of the one that declares ``contract_id``."""
    clauses: dict[tuple[str, str], tuple[str, ...]] = {}
    header: tuple[str, ...] = ()
    for name, text in sorted(sources.items()):
        for first, lines in _blocks(text):
            shown = tuple(inert(line.expandtabs(2)) for line in lines)
            clause = _CLAUSE.match(first)
            if clause:
                clauses.setdefault((name, clause.group(1)), shown)
            contract = _CONTRACT.match(first)
            if contract and contract.group(1) == contract_id and not header:
                parties = [line.strip() for line in shown[1:]]
                header = (
                    shown[0],
                    *(line for line in parties if line.split(" ", 1)[0] in _HEADER_WORDS),
                )
    return ContractWords(clauses=clauses, header=header)

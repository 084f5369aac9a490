"""The errors obligo raises and the diagnostics it returns.

Every user-facing problem is an :class:`ObligoError` (or a :class:`Diagnostic` returned as data)
that knows the file, line and column it is about, so that a contract author can find it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from obligo._inert import inert


class Severity(StrEnum):
    """How serious a diagnostic is: an error stops a contract from being used, a warning does not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One finding about a contract, at a place in its text."""

    severity: Severity
    message: str
    file: str
    line: int
    column: int
    hint: str | None = None
    source_line: str | None = None

    def format(self) -> str:
        """``file:line:col: error: message``, then the source line and a caret under the spot
        (``file: error: message`` for an error about no line, ``error: message`` about no file).

        The file name, message, hint and source line are shown inert (terminal controls and
        invisible characters escaped, :func:`obligo._inert.inert`); the caret stays under the
        character it points at, after the escaped forms before it. A tab in the source line
        shows as one space."""
        if self.line > 0:
            place = f"{self.file}:{self.line}:{self.column}: "
        else:  # about no line of a file (an argument, an output): no made-up position
            place = "" if self.file == "<string>" else f"{self.file}: "
        text = inert(
            f"{place}{self.severity.value}: {self.message}"
            + (f" ({self.hint})" if self.hint else "")
        )
        if self.source_line is not None:
            text += "\n" + excerpt(self.source_line, self.column)
        return text


def excerpt(source_line: str, column: int) -> str:
    """A quoted line of a contract and a caret under ``column`` (from 1) below it, each indented
    by two spaces, as every error shows them.

    The line is shown inert (:func:`obligo._inert.inert`) with a tab as one space; the caret
    stays under the character it points at, after the escaped forms before it."""
    line = source_line.rstrip("\r\n").replace("\t", " ")
    width = max(column - 1, 0)
    before = inert(line[:width]) + " " * max(width - len(line), 0)
    caret = " " * len(before) + "^"
    return f"  {inert(line)}\n  {caret}"


class ObligoError(Exception):
    """The base of every error obligo raises about its input."""

    def __init__(
        self,
        message: str,
        *,
        file: str = "<string>",
        line: int = 0,
        column: int = 0,
        hint: str | None = None,
        source_line: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.hint = hint
        self.source_line = source_line

    severity = Severity.ERROR

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(
            self.severity,
            self.message,
            self.file,
            self.line,
            self.column,
            self.hint,
            self.source_line,
        )

    def __str__(self) -> str:
        return self.diagnostic().format()


class ObligoSyntaxError(ObligoError):
    """The text is not a well-formed contract: the parser could not read it."""


class ObligoSemanticError(ObligoError):
    """The text parses but says something that cannot be meant: an unknown name, a bad unit, ...

    When raised for a set of findings, :attr:`diagnostics` holds all of them; the error itself
    describes the first.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str = "<string>",
        line: int = 0,
        column: int = 0,
        hint: str | None = None,
        source_line: str | None = None,
        diagnostics: tuple[Diagnostic, ...] = (),
    ) -> None:
        super().__init__(
            message, file=file, line=line, column=column, hint=hint, source_line=source_line
        )
        self.diagnostics = diagnostics

    @classmethod
    def from_diagnostics(cls, diagnostics: list[Diagnostic]) -> ObligoSemanticError:
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        first = errors[0]
        return cls(
            first.message,
            file=first.file,
            line=first.line,
            column=first.column,
            hint=first.hint,
            source_line=first.source_line,
            diagnostics=tuple(diagnostics),
        )


class EventDataError(ObligoError):
    """An event log holds data that cannot be used: bad JSON, a timestamp that does not parse, ..."""


class SourcesError(ObligoError):
    """A sources file (``obligo.sources.toml``) or a ``--events`` form that says something
    obligo cannot read an export by: at the line and column of the setting."""

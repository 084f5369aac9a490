"""What every command of the ``obligo`` command line shares: the group, the options of the
commands that read logs, reading inputs, writing the report, and printing errors."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from zoneinfo import ZoneInfo

import click

from obligo import _interrupt, api
from obligo._inert import inert
from obligo._output import OutputError, refuse_inputs, write_file, write_stdout
from obligo.agreements import AgreementSet
from obligo.checks.reporter import Scope
from obligo.engine.time.evaluation_time import wall_clock
from obligo.errors import EventDataError, ObligoError
from obligo.events import Source, expand_event_paths
from obligo.events.sourcefile import SOURCES_FILE, Sources, event_argument, read_sources
from obligo.model.contract import Contract

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_WARNINGS = 1
EXIT_ERRORS = 2
# The reader of standard output went away (``obligo eval ... | head -1``): the status of a
# program ended by SIGPIPE, as a shell reports it, and nothing on standard error.
EXIT_PIPE = 128 + 13


def _named_output(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``-o ""`` names no file: an error, not the report on standard output."""
    if value is not None and not value:
        raise click.BadParameter("an empty file name", ctx=ctx, param=param)
    return value


def _report_options(command: F) -> F:
    """``--format`` (text or JSON), ``-o`` and ``--map``."""
    return report_options(["text", "json"])(command)


def report_options(formats: Sequence[str]) -> Callable[[F], F]:
    """``--format`` (one of ``formats``, the first the default), ``-o`` and ``--map``, shared
    by the commands that read logs."""
    return lambda command: _with_report_options(command, formats)


def _with_report_options(command: F, formats: Sequence[str]) -> F:
    for option in reversed(
        [
            click.option(
                "--format",
                "output_format",
                type=click.Choice(list(formats)),
                default=formats[0],
                show_default=True,
            ),
            click.option(
                "-o",
                "--output",
                type=click.Path(dir_okay=False, writable=True),
                callback=_named_output,
                help="Write the report to a file (replaced whole, never an input).",
            ),
            click.option(
                "--map",
                "mappings",
                multiple=True,
                help="Read a canonical field from another name: start=begin_time.",
            ),
        ]
    ):
        command = option(command)
    return command


def example(command: str, docs: str, *more: str) -> str:
    """A command's ``--help`` epilog: one command that works from the repository's folder, as
    written (click leaves a paragraph opened by \\b unwrapped), then ``more`` lines (other uses,
    which may name the user's own files), and the page that says more."""
    lines = "".join(f"\n  {line}" for line in (command, *more))
    return f"\b\nExample:{lines}\n\nSee {docs}."


@click.group(
    context_settings={"help_option_names": ["-h", "--help"]},
    # The whole tool's help points where to start: a command to try and the documentation.
    epilog=example(
        "obligo eval contracts/acme-hosting.sla --events contracts/acme-hosting/events.jsonl",
        "README.md and docs/",
        "obligo COMMAND --help    (each command: an example and its page of the docs)",
    ),
)
@click.version_option(package_name="obligo")
def cli() -> None:
    """obligo: service level agreements as executable contracts."""


def _contract_files(paths: tuple[str, ...]) -> list[str]:
    """The files given, with each folder replaced by the .sla files in it, sorted."""
    files: list[str] = []
    for path in paths:
        if Path(path).is_dir():
            inside = sorted(p for p in Path(path).glob("*.sla") if not p.is_dir())  # as api
            if not inside:
                raise click.BadParameter(inert(f"no .sla files in the folder {path}"))
            files.extend(str(p) for p in inside)
        else:
            files.append(path)
    return files


# Where ``source_options`` keeps a command's ``--sources`` and ``--encoding`` for
# ``_event_inputs`` (click's per-invocation ``Context.meta``): a command's body then reads its
# logs as before, and one decorator line gives it both options.
_READING = "obligo.cli.reading"

# The names the commands give their contract argument: a sources file beside the first
# contract is read when ``--sources`` names none, as ``obligo eval`` does.
_CONTRACT_ARGUMENTS = ("contracts", "contract_paths", "contract_path")


@dataclass(frozen=True)
class _Reading:
    """How a command reads its exports: ``--sources`` and ``--encoding`` as given, and its
    contracts (where a sources file beside them is looked for)."""

    sources_file: str | None
    encoding: str | None
    contracts: tuple[str, ...]


def source_options(command: F) -> F:
    """``--sources FILE`` and ``--encoding``, as ``obligo eval`` has them, for a command that
    reads event logs with ``_event_inputs``: the values go to the invocation's context, not to
    the command's parameters."""

    @functools.wraps(command)
    def reading(*args: Any, **kwargs: Any) -> Any:
        named = next((kwargs[n] for n in _CONTRACT_ARGUMENTS if kwargs.get(n) is not None), ())
        click.get_current_context().meta[_READING] = _Reading(
            sources_file=kwargs.pop("sources_file", None),
            encoding=kwargs.pop("encoding", None),
            contracts=(named,) if isinstance(named, str) else tuple(named),
        )
        return command(*args, **kwargs)

    for option in reversed(
        [
            click.option(
                "--sources",
                "sources_file",
                type=click.Path(dir_okay=False),
                help="How exports are read (default: obligo.sources.toml beside the contract).",
            ),
            click.option(
                "--encoding",
                type=click.Choice(["utf-8", "utf-16", "cp1252"], case_sensitive=False),
                help="The encoding of every event log (default: UTF-8, with or without a byte"
                " order mark).",
            ),
        ]
    ):
        reading = option(reading)
    return reading  # type: ignore[return-value]


def _event_inputs(
    given: tuple[str, ...], sources: Sources | None = None, encoding: str | None = None
) -> list[str | Source]:
    """Each --events value as the files it stands for (the library's rule: obligo.events);
    ``TYPE=PATH``, ``PROFILE:PATH``, a file a sources file matches and ``--encoding`` make a
    :class:`Source` (its folder or pattern expanded when it is read). A command with
    ``source_options`` and neither given here reads with its ``--sources`` and ``--encoding``."""
    context = click.get_current_context(silent=True)
    reading = None if context is None else context.meta.get(_READING)
    if sources is None and encoding is None and isinstance(reading, _Reading):
        sources = _sources_of(reading.sources_file, reading.contracts)
        encoding = reading.encoding
    read = [event_argument(value, sources, encoding) for value in given]
    if all(isinstance(item, str) for item in read):
        return list(expand_event_paths([str(item) for item in read]))
    found: list[str | Source] = []
    for item in read:
        if isinstance(item, str):
            found += [
                event_argument(path, sources, encoding) for path in expand_event_paths([item])
            ]
        else:
            found.append(item)
    return found


def _sources_of(option: str | None, contracts: Sequence[str]) -> Sources | None:
    """``--sources FILE``, or the sources file beside the first contract, if there is one."""
    if option is not None:
        return read_sources(option)
    for contract in contracts[:1]:
        beside = Path(contract).parent / SOURCES_FILE
        if Path(contract).is_dir():
            beside = Path(contract) / SOURCES_FILE
        if beside.is_file():
            return read_sources(beside)
    return None


def _aware(
    when: dt.datetime | None, contract: Contract | None, written: str | None
) -> dt.datetime | None:
    """An evaluation time without an offset is read in the contract's timezone, as a log's
    timestamp is: refused in a daylight-saving gap, the first occurrence in a repeated hour."""
    if when is None or when.tzinfo is not None:
        return when
    zone = "UTC" if contract is None else (Scope.of(contract).timezone or "UTC")
    return wall_clock(when, ZoneInfo(zone), f"--at {written or when.isoformat()}")


def _parse_time(value: str | None, option: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date or an RFC 3339 time", param_hint=option
        ) from None
    return parsed


def _field_map(mappings: tuple[str, ...]) -> dict[str, str]:
    """``--map start=begin_time`` options: canonical field -> the log's name."""
    field_map: dict[str, str] = {}
    for item in mappings:
        target, sep, source = item.partition("=")
        if not sep or not target or not source:
            raise click.BadParameter(
                f"{item!r}: write canonical=source, e.g. start=begin_time", param_hint="--map"
            )
        field_map[target.strip()] = source.strip()
    return field_map


def _imported(contract: Contract) -> list[str]:
    """The files a contract imports, directly or through others."""
    found: list[str] = []
    for parent in contract.imported:
        found += [parent.loc.file, *_imported(parent)]
    return found


def _fail(error: ObligoError) -> NoReturn:
    """A user error: printed without a traceback (a data error lists file:line of each
    rejected line in its message), exit 2. Text from the input is shown inert. An error that
    an interruption caused (DuckDB's "Query interrupted" turned into bad data) is the
    interruption."""
    _interrupt.check()
    click.echo(_error_text(error), err=True)
    sys.exit(EXIT_ERRORS)


def _error_text(error: ObligoError) -> str:
    if isinstance(error, EventDataError) or not error.line:
        hint = f" ({error.hint})" if error.hint else ""
        # A data error's message lists one rejected line per line: its line feeds are its own.
        return inert(f"error: {error.message}{hint}", newlines=isinstance(error, EventDataError))
    return error.diagnostic().format()


def _out(text: str, *, nl: bool = True) -> None:
    """Standard output, flushed at once: a closed or full output is an error here."""
    write_stdout(text + "\n" if nl else text)


def _write(text: str, output: str | None) -> None:
    """The report to ``-o FILE`` (replaced in one rename) or to standard output. Nothing is
    written once a signal has been received."""
    _interrupt.check()
    try:
        if output:
            write_file(output, text)
        else:
            _out(text, nl=False)
    except OutputError as error:
        _fail(error)


def _lines(text: str) -> list[str]:
    """The lines of a text split at line feeds only, each with its own: ``str.splitlines``
    would also split inside a line at characters such as U+0085 or U+2028."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _read_stdin() -> str:
    """Standard input as UTF-8, read as a file is: decoded, nothing translated, so that its
    lines are those of a file (``obligo.syntax.lines.SourceText``: a line ends at a line feed;
    a lone carriage return is a character of its line)."""
    try:
        if sys.stdin is None:
            raise ObligoError("it is closed")
        text = sys.stdin.buffer.read().decode("utf-8")
    except (ObligoError, OSError, UnicodeDecodeError) as error:
        if isinstance(error, ObligoError):
            reason = error.message
        elif isinstance(error, OSError):
            reason = error.strerror or str(error)
        else:
            reason = str(error)
        raise ObligoError(
            f"cannot read standard input: {reason}", file="<stdin>", line=1, column=1
        ) from None
    return text


def _read(path: str) -> str:
    return api.read_contract(path)  # bounded: a FIFO or /dev/zero is refused, never read


def input_paths(inputs: Sequence[object]) -> list[str]:
    """The files named among a command's inputs, those read as exports (``PROFILE:PATH``, a
    sources file's match) included: ``-o`` may replace none of them."""
    return [str(p) for p in inputs if isinstance(p, str)] + [
        str(p.path) for p in inputs if isinstance(p, Source)
    ]


@dataclass(frozen=True)
class OneOrSet:
    """What a command that reads one contract or a pair of an agreement set was given: one
    contract file with no pair named (``contract``), or the set (``agreements``)."""

    contract: Contract | None
    agreements: AgreementSet | None

    def zone_of(self) -> Contract | None:
        """The contract whose timezone reads an ``--at`` without an offset (as eval does)."""
        if self.contract is not None or self.agreements is None:
            return self.contract
        pairs = self.agreements.pairs
        return self.agreements.resolve_all()[0].as_contract() if pairs else None


def load_one_or_set(
    files: list[str],
    customer: str | None,
    service: str | None,
    inputs: Sequence[object],
    output: str | None,
) -> OneOrSet:
    """One contract, or an agreement set when several files or a pair are given; ``-o`` may
    name none of the files read (the logs, the contracts, the contracts they import)."""
    single = len(files) == 1 and customer is None and service is None
    contract = api.load(files[0]) if single else None
    agreements = None if single else api.load_agreements(files)
    imported = [] if contract is None else _imported(contract)
    if agreements is not None:
        imported = [f.path for f in agreements.files if not f.listed]
    if output:
        refuse_inputs(
            output,
            [(path, "the event log") for path in input_paths(inputs)]
            + [(path, "the contract") for path in files]
            + [(path, "the imported contract") for path in imported],
        )
    return OneOrSet(contract, agreements)

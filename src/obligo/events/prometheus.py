"""Records read from Prometheus: each ``[[query]]`` of the sources file (``obligo.sources.toml``)
or of a queries file (``--prometheus-queries``) run over the contract's periods
through the HTTP API's ``query_range`` (``--events prometheus+http://host:9090``), or read from a
saved ``query_range`` response (``--events prometheus+file:response.json``), and every sample of
every series made one record of the query's type, at its time, with the series' labels as fields
and the sample's value in the query's field.

The decisions, each stated in docs/prometheus.md:

* The query's ``step`` is the width of a slice, and a sample at ``t`` stands for the slice that
  ends at ``t``, ``[t - step, t)``: a gauge's value at ``t`` is its last sample up to ``t``, and
  a counter (``counter = true``), read through ``increase(QUERY[step])``, counts ``(t - step,
  t]``. The points asked are the slice ends, from the start of the term plus one step.
* A missing sample is no record, so no data for its slice: what that means is the contract's
  ``a slice without ... records is ...`` line. A NaN sample (``0/0``) is no record either, and the
  input's name counts them, so that no sample is dropped unseen.
* A page that fails (after its retries) stops the evaluation with an error naming the query and
  the time range: a gap in the data is never silent.
* Every query is one input of the log, named with the server, the query as sent, the time range
  asked and the step, so that the report's line account records what was read.

Nothing here sends user text anywhere but as an URL-encoded parameter of the query API.
"""

from __future__ import annotations

import base64
import datetime as dt
import difflib
import io
import json
import os
import re
import ssl
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from obligo.errors import EventDataError, ObligoError

PREFIX = "prometheus+"
# Prometheus refuses a query_range of more than 11,000 points a series: a page asks for fewer.
PAGE_POINTS = 10_000
RETRIES = 3
DEFAULT_TIMEOUT = 30.0
TOKEN_VARIABLE = "OBLIGO_PROMETHEUS_TOKEN"
USER_VARIABLE = "OBLIGO_PROMETHEUS_USER"
PASSWORD_VARIABLE = "OBLIGO_PROMETHEUS_PASSWORD"
CA_VARIABLE = "OBLIGO_PROMETHEUS_CA"
TIMEOUT_VARIABLE = "OBLIGO_PROMETHEUS_TIMEOUT"
_RESERVED_FIELDS = frozenset({"type", "time"})


class PrometheusError(EventDataError):
    """A Prometheus source that cannot be read: a bad queries file, a server that failed, a
    response that is not a ``query_range`` matrix."""


class QueriesFileError(ObligoError):
    """A queries file that cannot be read, at the line of the ``[[query]]`` table (or key) that
    is wrong."""


QUERY_KEYS = ("record", "query", "step", "field", "counter", "response")


@dataclass(frozen=True)
class _Place:
    """Where the ``[[query]]`` tables of a queries file or a sources file are, and the keys in
    each, to locate an error; ``kind`` is the error a mistake in that file raises."""

    file: str
    lines: list[str]
    kind: type[ObligoError] = QueriesFileError

    def headers(self) -> list[int]:
        return [
            n
            for n, line in enumerate(self.lines, 1)
            if line.strip().startswith("[[") and line.strip()[2:].split("]")[0].strip() == "query"
        ]

    def table(self, index: int) -> int:
        """The line of the ``index``-th ``[[query]]`` header (from 1); 0 when not found."""
        headers = self.headers()
        return headers[index - 1] if 0 < index <= len(headers) else 0

    def key(self, key: str, after: int = 0) -> int:
        """The line of ``key`` in the table whose header is at ``after`` (before the next
        table's header); ``after`` when the table does not write it."""
        for number, line in enumerate(self.lines, 1):
            if number <= after:
                continue
            if after and line.strip().startswith("["):
                break  # the next table: the key is not written in this one
            if line.strip().split("=")[0].strip().strip("\"'") == key:
                return number
        return after

    def error(
        self, message: str, line: int, hint: str | None = None, column: int | None = None
    ) -> ObligoError:
        source = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        if column is None:
            column = 1 + len(source) - len(source.lstrip()) if source is not None else 0
        return self.kind(
            message, file=self.file, line=line, column=column, hint=hint, source_line=source
        )


@dataclass(frozen=True)
class PrometheusQuery:
    """One ``[[query]]`` of a queries file or a sources file: the PromQL, the record type its
    samples become, the step (the slice width, in seconds), the field that takes the value, and
    whether the query is a counter read through ``increase``."""

    record: str
    query: str
    step: int
    field: str = "value"
    counter: bool = False
    response: str | None = None  # a saved query_range response of this query (file name)
    file: str = "<string>"
    index: int = 0  # the query's place in the file, from 1
    step_line: int = 0  # the line of its step, for an error about it
    step_source: str | None = None
    line: int = 0  # the line of its [[query]] header
    record_line: int = 0  # the line of its record, for a finding about the record type
    record_source: str | None = None

    def promql(self) -> str:
        """The query as sent: a counter through ``increase`` over one step."""
        if self.counter:  # a series selector: Prometheus itself refuses anything else
            return f"increase({self.query}[{self.step}s])"
        return self.query


def read_queries(path: str | Path) -> list[PrometheusQuery]:
    """The queries of a queries file (TOML: a ``[[query]]`` table each)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeError) as error:
        raise QueriesFileError(
            f"cannot read the Prometheus queries file {name}: {error}", file=name
        ) from None
    place = _Place(name, text.splitlines())
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # "... (at line 3, column 8)": the place is only in the message before Python 3.14.
        where = re.search(r" \(at line (\d+), column (\d+)\)$", str(error))
        message = str(error)[: where.start()] if where else str(error)
        found = place.error(f"not a TOML queries file: {message}", int(where[1]) if where else 0)
        if where:
            found.column = int(where[2])
        raise found from None
    unknown = sorted(set(data) - {"query"})
    if unknown:
        raise place.error(
            f"unknown key {unknown[0]!r} in the Prometheus queries file"
            + _did_you_mean(unknown[0], ("query",)),
            place.key(unknown[0]) or 1,
            "each query is a [[query]] table",
        )
    tables = data.get("query")
    if not isinstance(tables, list) or not tables:
        raise place.error(
            "the Prometheus queries file has no [[query]] table",
            1 if place.lines else 0,
            'e.g. [[query]] record = "probe", query = \'probe_success{job="api"}\', step = "1m"',
        )
    return query_tables(tables, place)


def parse_query_tables(
    tables: object, text: str, file: str, kind: type[ObligoError]
) -> list[PrometheusQuery]:
    """The ``[[query]]`` tables of another TOML file (a sources file), checked by the same rules
    as a queries file's; a mistake is a ``kind`` error at its line."""
    place = _Place(file, text.splitlines(), kind)
    if not isinstance(tables, list):
        raise place.error("write each Prometheus query as [[query]]", place.key("query") or 1)
    return query_tables(tables, place)


def query_tables(tables: list[Any], place: _Place) -> list[PrometheusQuery]:
    """Every ``[[query]]`` table checked, and no two making the same field of one record type
    (their samples would be read as one)."""
    queries = [_query(table, place, index) for index, table in enumerate(tables, start=1)]
    seen: set[tuple[str, str]] = set()
    for q in queries:
        if (q.record, q.field) in seen:
            raise place.error(
                f"another query already makes {q.record} records with the field {q.field!r}:"
                " their samples would be read as one",
                place.table(q.index),
            )
        seen.add((q.record, q.field))
    return queries


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    near = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {near[0]!r}?)" if near else ""


def _query(table: Any, place: _Place, index: int) -> PrometheusQuery:
    header = place.table(index)
    if not isinstance(table, dict):
        raise place.error("a query is a [[query]] table", header)
    unknown = sorted(set(table) - set(QUERY_KEYS))
    if unknown:
        near = _did_you_mean(unknown[0], QUERY_KEYS)
        keys = "a query has record, query, step, and optionally field, counter, response"
        raise place.error(
            f"unknown key {unknown[0]!r} in a query{near}",
            place.key(unknown[0], header),
            None if near else keys,
        )
    for key in ("record", "query", "step"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            line = place.key(key, header) if key in table else header
            raise place.error(f"the query has no {key!r} (a text)", line)
    record = table["record"]
    field = table.get("field", "value")
    if not isinstance(field, str) or not field or field in _RESERVED_FIELDS:
        raise place.error(
            "'field' names the field that takes the sample's value (not type or time)",
            place.key("field", header),
        )
    counter = table.get("counter", False)
    if not isinstance(counter, bool):
        raise place.error("'counter' is true or false", place.key("counter", header))
    response = table.get("response")
    if response is not None and not isinstance(response, str):
        raise place.error("'response' names a saved response file", place.key("response", header))
    step = table["step"]
    if not _is_duration(step):
        raise place.error(
            f"the step {step!r} is not a duration",
            place.key("step", header),
            "e.g. 30s, 1m, 5m or 1h",
        )
    step_line, record_line = place.key("step", header), place.key("record", header)
    return PrometheusQuery(
        record=record,
        query=table["query"],
        step=int(step[:-1]) * _UNITS[step[-1]],
        field=field,
        counter=counter,
        response=response,
        file=place.file,
        index=index,
        step_line=step_line,
        step_source=place.lines[step_line - 1] if header else None,
        line=header,
        record_line=record_line,
        record_source=place.lines[record_line - 1] if header else None,
    )


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _is_duration(text: str) -> bool:
    """A step written as Prometheus writes durations: ``30s``, ``1m``, ``5m``, ``1h``."""
    number = text[:-1]
    return text[-1:] in _UNITS and number.isdigit() and int(number) > 0


# ------------------------------------------------------------------------------ the server
@dataclass(frozen=True)
class Server:
    """Where the queries go and how: the base URL, the credentials and TLS from the
    environment, the timeout and the retries."""

    url: str
    timeout: float = DEFAULT_TIMEOUT
    retries: int = RETRIES
    authorization: str | None = None
    context: ssl.SSLContext | None = None

    @classmethod
    def from_environment(cls, url: str) -> Server:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise PrometheusError(
                f"{PREFIX}{url} does not name a Prometheus server",
                file=PREFIX + url,
                hint="e.g. prometheus+http://localhost:9090",
            )
        if parsed.username or parsed.password:
            raise PrometheusError(
                "credentials are not written in the source: they are read from the environment",
                file=PREFIX + parsed._replace(netloc=parsed.hostname or "").geturl(),
                hint=f"set {TOKEN_VARIABLE}, or {USER_VARIABLE} and {PASSWORD_VARIABLE}",
            )
        token = os.environ.get(TOKEN_VARIABLE)
        user = os.environ.get(USER_VARIABLE)
        authorization = None
        if token:
            authorization = f"Bearer {token}"
        elif user is not None:
            pair = f"{user}:{os.environ.get(PASSWORD_VARIABLE, '')}".encode()
            authorization = "Basic " + base64.b64encode(pair).decode("ascii")
        context = None
        if parsed.scheme == "https":
            ca = os.environ.get(CA_VARIABLE)
            try:
                context = ssl.create_default_context(cafile=ca or None)
            except (OSError, ssl.SSLError) as error:
                raise PrometheusError(
                    f"cannot read the certificate authority file {ca}: {error}",
                    file=ca or CA_VARIABLE,
                ) from None
        timeout = DEFAULT_TIMEOUT
        written = os.environ.get(TIMEOUT_VARIABLE)
        if written:
            try:
                timeout = float(written)
            except ValueError:
                timeout = -1.0
            if not timeout > 0:
                raise PrometheusError(
                    f"{TIMEOUT_VARIABLE}={written!r} is not a number of seconds above 0",
                    file=TIMEOUT_VARIABLE,
                )
        return cls(url.rstrip("/"), timeout, RETRIES, authorization, context)

    def query_range(self, promql: str, start: int, end: int, step: int) -> dict[str, Any]:
        """One page: the server's JSON answer, after up to ``retries`` tries for a failure that
        may pass (no connection, a timeout, 429 or a 5xx answer)."""
        parameters = urllib.parse.urlencode(
            {
                "query": promql,
                "start": str(start),
                "end": str(end),
                "step": f"{step}s",
                "timeout": f"{max(1, int(self.timeout))}s",
            }
        )
        request = urllib.request.Request(
            f"{self.url}/api/v1/query_range",
            data=parameters.encode("ascii"),
            headers={"Content-Type": "application/x-www-form-urlencoded"}
            | ({"Authorization": self.authorization} if self.authorization else {}),
            method="POST",
        )
        problem = ""
        for attempt in range(self.retries):
            if attempt:
                time.sleep(0.5 * 2**attempt)
            try:
                with _opener(self.context).open(request, timeout=self.timeout) as answer:
                    return _json(answer.read(), self.url)
            except urllib.error.HTTPError as error:
                body = error.read()
                problem = f"HTTP {error.code}: {_server_error(body) or error.reason}"
                if error.code != 429 and error.code < 500:
                    break  # the query or the credentials are wrong: trying again changes nothing
            except (urllib.error.URLError, TimeoutError, OSError) as error:
                reason = getattr(error, "reason", error)
                problem = f"no answer ({reason})"
        raise PrometheusError(
            f"Prometheus at {self.url} failed the query {promql!r} from {_utc(start)} to"
            f" {_utc(end)}: {problem}; the evaluation stops rather than leave a gap",
            file=PREFIX + self.url,
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: following it would send the credentials to another address and
    turn the query's POST into a GET."""

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> None:
        raise urllib.error.HTTPError(newurl, code, f"redirected to {newurl}", headers, fp)


def _opener(context: ssl.SSLContext | None) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), _NoRedirect())


def _json(body: bytes, source: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeError):
        raise PrometheusError(
            f"{source} did not answer with JSON: not a Prometheus query API", file=source
        ) from None
    if not isinstance(data, dict):
        raise PrometheusError(f"{source}: not a Prometheus query_range response", file=source)
    return data


def _server_error(body: bytes) -> str | None:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeError):
        return None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return str(data["error"])
    return None


def _utc(seconds: int | float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat().replace("+00:00", "Z")


# ----------------------------------------------------------------------------- the samples
@dataclass(frozen=True)
class Range:
    """The evaluation times of a query: ``first`` to ``last`` every ``step`` seconds (epoch
    seconds), and the span of slices they stand for."""

    first: int
    last: int
    step: int

    @classmethod
    def over(cls, query: PrometheusQuery, start: dt.datetime, end: dt.datetime) -> Range | None:
        """The points whose slices lie in ``[start, end)``: the ends of the slices. None when
        no whole slice fits."""
        begin, stop = int(start.timestamp()), int(end.timestamp())
        slices = (stop - begin) // query.step
        if slices < 1:
            return None
        first = begin + query.step
        return cls(first, first + (slices - 1) * query.step, query.step)

    def pages(self) -> Iterator[tuple[int, int]]:
        at = self.first
        while at <= self.last:
            last = min(self.last, at + (PAGE_POINTS - 1) * self.step)
            yield at, last
            at = last + self.step


@dataclass
class Sampled:
    """What one query gave: its records, and the samples left out because they were NaN."""

    records: list[dict[str, Any]]
    nan: int = 0


def samples_of(data: dict[str, Any], query: PrometheusQuery, source: str, into: Sampled) -> None:
    """The records of one ``query_range`` answer (a page, or a saved response), added to
    ``into``."""
    if data.get("status") != "success":
        error = data.get("error") or "no status 'success'"
        raise PrometheusError(f"{source}: Prometheus answered with an error: {error}", file=source)
    warnings = data.get("warnings")
    if warnings:
        # A warning may mean a partial answer (a remote store that failed): never a silent gap.
        shown = "; ".join(map(str, warnings)) if isinstance(warnings, list) else str(warnings)
        raise PrometheusError(
            f"{source}: Prometheus answered the query {query.promql()!r} with a warning, the"
            f" answer may be partial: {shown}",
            file=source,
        )
    result = data.get("data")
    if not isinstance(result, dict) or result.get("resultType") != "matrix":
        kind = result.get("resultType") if isinstance(result, dict) else None
        raise PrometheusError(
            f"{source}: not a query_range answer (a matrix), but {kind or 'something else'}",
            file=source,
            hint="save the answer of /api/v1/query_range, not of /api/v1/query",
        )
    series_list = result.get("result")
    if not isinstance(series_list, list):
        raise PrometheusError(f"{source}: the answer has no list of series", file=source)
    shift = query.step
    for series in series_list:
        labels = series.get("metric") if isinstance(series, dict) else None
        values = series.get("values") if isinstance(series, dict) else None
        if not isinstance(labels, dict) or not isinstance(values, list):
            raise PrometheusError(f"{source}: a series without metric or values", file=source)
        fields = {
            str(k): str(v) for k, v in labels.items() if k not in _RESERVED_FIELDS | {query.field}
        }
        for pair in values:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str)):
                raise PrometheusError(f"{source}: a sample is not [time, value]", file=source)
            when, text = pair
            try:
                value = Decimal(text)
                moment = Decimal(str(when))
            except (InvalidOperation, ValueError):
                raise PrometheusError(
                    f"{source}: the sample {pair!r} is not a time and a number", file=source
                ) from None
            if value.is_nan():
                into.nan += 1
                continue
            if value.is_infinite():
                raise PrometheusError(
                    f"{source}: the query {query.query!r} gave {text} at {_utc(float(moment))}:"
                    " an infinite value cannot be measured",
                    file=source,
                )
            placed = dt.datetime.fromtimestamp(float(moment - shift), dt.UTC)
            into.records.append(
                {"type": query.record, "time": placed.isoformat(), **fields, query.field: value}
            )


class NamedRecords(io.StringIO):
    """Records as JSON Lines under a name of their own (the line account's input name)."""

    def __init__(self, name: str, records: Sequence[dict[str, Any]]) -> None:
        super().__init__("".join(map(_line, records)))
        self.name = name


def _line(record: dict[str, Any]) -> str:
    """A record as a line of JSON; a sample's value as the JSON number of its exact digits
    (a float would round ``0.1`` on the way)."""
    text = {k: v for k, v in record.items() if not isinstance(v, Decimal)}
    numbers = [f"{json.dumps(k)}: {v:f}" for k, v in record.items() if isinstance(v, Decimal)]
    body = json.dumps(text, ensure_ascii=False)
    return body[:-1] + "".join(f", {n}" for n in numbers) + "}\n"


def _name(source: str, query: PrometheusQuery, span: Range | None, sampled: Sampled) -> str:
    """The input's name in the report: the source, the query as sent, the time range asked,
    the step; the NaN samples left out."""
    asked = (
        f", slices {_utc(span.first - span.step)} to {_utc(span.last)} step {query.step}s"
        if span is not None
        else ""
    )
    nan = f", {sampled.nan} NaN samples left out" if sampled.nan else ""
    return f"{source} query_range {query.promql()}{asked} as {query.record} records{nan}"


def read_server(
    url: str, queries: Sequence[PrometheusQuery], start: dt.datetime, end: dt.datetime
) -> list[NamedRecords]:
    """Every query run over ``[start, end)`` page by page: one input each."""
    server = Server.from_environment(url)
    inputs = []
    for query in queries:
        span = Range.over(query, start, end)
        sampled = Sampled([])
        if span is not None:
            for first, last in span.pages():
                page = server.query_range(query.promql(), first, last, query.step)
                samples_of(page, query, PREFIX + server.url, sampled)
        inputs.append(
            NamedRecords(_name(PREFIX + server.url, query, span, sampled), sampled.records)
        )
    return inputs


def read_saved(path: str, queries: Sequence[PrometheusQuery]) -> NamedRecords:
    """A saved ``query_range`` response, read as the answer to the query whose ``response``
    names it (or to the only query of the file)."""
    name = Path(path).name
    matching = [q for q in queries if q.response is not None and Path(q.response).name == name]
    if not matching and len(queries) == 1:
        matching = list(queries)
    if len(matching) != 1:
        raise PrometheusError(
            f"which query does {path} answer? {len(matching)} queries name it",
            file=PREFIX + "file:" + path,
            hint=f'write response = "{name}" in that query\'s [[query]] table',
        )
    try:
        body = Path(path).read_bytes()
    except OSError as error:
        raise PrometheusError(f"cannot read {path}: {error.strerror}", file=path) from None
    sampled = Sampled([])
    samples_of(_json(body, path), matching[0], path, sampled)
    return NamedRecords(_name(PREFIX + "file:" + path, matching[0], None, sampled), sampled.records)


def is_source(spec: object) -> bool:
    """Whether an ``--events`` value names a Prometheus source rather than a file."""
    return isinstance(spec, str) and spec.startswith(PREFIX)


def read_sources(
    specs: Sequence[str],
    queries: Sequence[PrometheusQuery],
    start: dt.datetime,
    end: dt.datetime,
) -> list[NamedRecords]:
    """The inputs of every Prometheus source given: a server (each query over the range) or a
    saved response (``prometheus+file:PATH``), with the queries of the sources file and of the
    queries file."""
    if not specs:
        return []
    if not queries:
        raise PrometheusError(
            f"{specs[0]}: which queries? a Prometheus source needs [[query]] tables",
            file=specs[0],
            hint="write them in obligo.sources.toml beside the contract (or --sources FILE),"
            " or give --prometheus-queries FILE (see docs/prometheus.md)",
        )
    inputs: list[NamedRecords] = []
    for spec in specs:
        target = spec.removeprefix(PREFIX)
        if target.startswith("file:"):
            inputs.append(read_saved(target.removeprefix("file:"), queries))
        else:
            inputs.extend(read_server(target, queries, start, end))
    return inputs

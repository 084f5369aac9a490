"""The plan pass: the grouped queries an evaluation's metrics need, merged into the fewest scans.

A measure that aggregates records over a grid (the periods of a ratio, a count, a sum, an
extreme or a nearest-rank percentile; the time slices of an availability or an average) asks for
a *grid query*: the grid (which records, placed in which cells: the query's head, its source,
filter and grouping) and the aggregates it needs in each cell. Queries over the same grid are one
scan: the planner gathers every metric's queries before any runs (:func:`obligo.engine.measure.planner`), and
the first measure that needs a scan runs it for all the metrics it feeds, each distinct aggregate
computed once (the denominators of ten ratios over the same records are one ``count``). A query
the planner did not see (a metric measured on its own) runs alone, as one scan.

A scan's rows are held until every metric it feeds has read its cells, then released.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, localcontext
from operator import itemgetter
from typing import Any

from obligo.events.sql import quote_ident

Query = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Grid:
    """Everything of a grouped query but its aggregates: ``SELECT {head}, <aggregates>
    {rest}`` with ``params`` bound after the aggregates' own. ``width`` is the number of the
    head's columns; ``label`` says in words what the grid is (for ``--plan``)."""

    head: str
    rest: str
    params: tuple[Any, ...]
    width: int
    label: str = field(default="", compare=False)
    # A grid per period and group of a field (`, by FIELD`), whose ``head``/``rest`` group
    # both per period (the pooled rows) and per period and group (GROUPING SETS), can also be
    # written as its two halves: ``grouped`` (head, rest) per period and group only, every
    # record in some group (those without the field in the group NULL), and ``pooled`` per
    # period only. See :meth:`Scan.run`.
    grouped: tuple[str, str] | None = None
    pooled: tuple[str, str] | None = None


@dataclass(frozen=True)
class Aggregate:
    """One aggregate column: its SQL and the values of its ``?``.

    ``together``: aggregates of one kind that one state serves, with the same template (SQL
    holding ``{items}``) and parameters, are computed as one aggregate over the list of their
    ``item``, an exact decimal number (ten percentiles of one column are one
    ``quantile_disc(v, [q1, ..., q10])``: the values are sorted once, not ten times). The items
    are written as DECIMALs of one scale: a list of DECIMALs of several scales takes the
    smallest, and 0.51 would be read as 0.5."""

    sql: str
    params: tuple[Any, ...] = ()
    together: str | None = None
    item: str | None = None


def decimal_list(numbers: Sequence[str]) -> str:
    """Exact decimal numbers as a SQL list of DECIMALs of one scale (enough for each)."""
    scale = max(1, *(len(n.partition(".")[2]) for n in numbers))
    return "[" + ", ".join(f"CAST('{n}' AS DECIMAL(38, {scale}))" for n in numbers) + "]"


def aggregates_of(columns: Sequence[str], params: Sequence[Any]) -> list[Aggregate] | None:
    """Columns given as SQL texts and one list of parameters for them all, as aggregates each
    with its own parameters; None when a ``?`` inside a literal makes the split uncertain."""
    found: list[Aggregate] = []
    position = 0
    for sql in columns:
        needed = sql.count("?")
        found.append(Aggregate(sql, tuple(params[position : position + needed])))
        position += needed
    if position != len(params):
        return None
    return found


# How the pooled value of an aggregate is made from the values of its groups (every record is
# in exactly one group, the records without the field in the NULL one): by the SQL function the
# aggregate opens with. A quantile cannot be: it is computed when first read (Later).
def _exact_sum(values: list[Any]) -> Any:
    if not values:
        return None
    with localcontext(Context(prec=120)):  # exact: a few 38-digit numbers
        return sum(values)


_COMBINED: dict[str, Callable[[list[Any]], Any]] = {
    "count(": sum,
    "sum(": _exact_sum,
    "max(": lambda values: max(values) if values else None,
    "min(": lambda values: min(values) if values else None,
}
_LATER = "quantile_disc("
# A pooled sum from this size on is left to DuckDB, which stops at 38 digits (29 before the
# point of a DECIMAL(38, 9)).
_SUM_LIMIT = Decimal(10) ** 28


def _combination(aggregate: Aggregate) -> Callable[[list[Any]], Any] | None:
    for prefix, combine in _COMBINED.items():
        if aggregate.sql.startswith(prefix):
            return combine
    return None


@dataclass(frozen=True, eq=False)
class Later:
    """A value of a pooled row that the scan did not compute (a percentile over the records of
    every group, which a report of a metric measured ``by`` a field shows only when a trigger,
    a fee or a check reads the metric's value over all its records): computed by a query of
    its own, for every such value of the scan at once, the first time one is asked for."""

    scan: Scan
    row: Any  # the value of the grid's first column (the period)
    position: int  # the aggregate's column in the scan's rows

    def value(self) -> Any:
        return self.scan.pooled_row(self.row)[self.position]


@dataclass
class Scan:
    """One query over one grid, computing the aggregates of every metric that reads the grid."""

    grid: Grid
    aggregates: dict[Aggregate, int] = field(default_factory=dict)
    feeds: list[str] = field(default_factory=list)
    waiting: int = 0
    rows: list[tuple[Any, ...]] | None = None
    ran: bool = False
    readers: set[tuple[str, tuple[Aggregate, ...]]] = field(default_factory=set)
    # column -> value -> rows, made once for the readers of one cell each
    index: dict[int, dict[Any, list[tuple[Any, ...]]]] = field(default_factory=dict)
    # a split scan's pooled rows as DuckDB computes them, when a Later value is asked for
    _pooled: dict[Any, tuple[Any, ...]] | None = None
    _query: Query | None = None

    def add(self, aggregates: Sequence[Aggregate], feeds: str) -> None:
        for aggregate in aggregates:
            self.aggregates.setdefault(aggregate, len(self.aggregates))
        if feeds not in self.feeds:
            self.feeds.append(feeds)
        reader = (feeds, tuple(aggregates))
        if reader not in self.readers:  # a reader reads its cells once
            self.readers.add(reader)
            self.waiting += 1

    def cells(self, column: int) -> dict[Any, list[tuple[Any, ...]]]:
        if column not in self.index:
            grouped: dict[Any, list[tuple[Any, ...]]] = {}
            for row in self.rows or ():
                grouped.setdefault(row[column], []).append(row)
            self.index[column] = grouped
        return self.index[column]

    def sql(self) -> tuple[str, list[Any]]:
        return self._layout()[0]

    def _split(self) -> bool:
        """Whether the scan reads its grid's groups only and makes the pooled rows from them:
        when the grid can be split and every aggregate combines or is a quantile."""
        return self.grid.grouped is not None and all(
            _combination(a) is not None or a.sql.startswith(_LATER) for a in self.aggregates
        )

    def _layout(
        self, form: tuple[str, str] | None = None
    ) -> tuple[tuple[str, list[Any]], list[tuple[int, int | None]]]:
        """The query, and where each aggregate is in its rows: (column, element of a list or
        None), the columns counted from the end of the head. ``form``: the grid's head and
        rest to use (default: the grouped half when the scan is split, else the whole)."""
        lists: dict[tuple[str, tuple[Any, ...]], list[str]] = {}
        for aggregate in self.aggregates:
            if aggregate.together is not None and aggregate.item is not None:
                items = lists.setdefault((aggregate.together, aggregate.params), [])
                if aggregate.item not in items:
                    items.append(aggregate.item)
        columns: list[str] = []
        params: list[Any] = []
        placed: dict[tuple[str, tuple[Any, ...]], int] = {}
        where: list[tuple[int, int | None]] = []
        for aggregate in self.aggregates:
            key = (aggregate.together or "", aggregate.params)
            items = lists.get(key, []) if aggregate.together is not None else []
            if aggregate.together is None or len(items) < 2 or aggregate.item is None:
                where.append((len(columns), None))
                columns.append(aggregate.sql)
                params.extend(aggregate.params)
                continue
            if key not in placed:
                placed[key] = len(columns)
                columns.append(key[0].format(items=decimal_list(items)))
                params.extend(aggregate.params)
            where.append((placed[key], items.index(aggregate.item)))
        if form is None:
            grouped = self.grid.grouped
            form = grouped if grouped is not None and self._split() else None
        head, rest = form or (self.grid.head, self.grid.rest)
        sql = f"SELECT {head}, {', '.join(columns)} {rest}"
        return (sql, [*params, *self.grid.params]), where

    def run(self, query: Query) -> list[tuple[Any, ...]]:
        """The scan's rows: the head, then each aggregate in its order. A split scan reads
        the groups only and adds a pooled row per period made from them: counts and sums
        added, extremes compared; a quantile of the pooled records is a :class:`Later`."""
        (sql, params), where = self._layout()
        rows = self._spread(query(sql, params), where)
        if self.grid.grouped is not None and self._split():
            self._query = query
            rows = self._with_pooled(rows)
        return rows

    def _with_pooled(self, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        width = self.grid.width
        combinations = [_combination(a) for a in self.aggregates]
        by_row: dict[Any, list[tuple[Any, ...]]] = {}
        for row in rows:
            by_row.setdefault(row[0], []).append(row)
        kept = list(rows)
        for key, members in by_row.items():
            pooled: list[Any] = [key, None, 1]
            for position, combine in enumerate(combinations, width):
                if combine is None:
                    pooled.append(Later(self, key, position))
                    continue
                value = combine([r[position] for r in members if r[position] is not None])
                if isinstance(value, Decimal) and abs(value) >= _SUM_LIMIT:
                    value = self.pooled_row(key)[position]  # DuckDB's, or its error
                pooled.append(value)
            kept.append(tuple(pooled))
        return kept

    def later_sql(self) -> tuple[str, list[Any]] | None:
        """The query of the pooled rows that a split scan leaves to be read later (a
        percentile over every record), or None when it leaves none."""
        pooled = self.grid.pooled
        if pooled is None or not self._split():
            return None
        if all(_combination(a) is not None for a in self.aggregates):
            return None
        return self._layout(pooled)[0]

    def pooled_row(self, key: Any) -> tuple[Any, ...]:
        """The pooled row of one period, computed by DuckDB (with every aggregate of the
        scan), the rows of every period found at the first call."""
        if self._pooled is None:
            assert self.grid.pooled is not None and self._query is not None
            (sql, params), where = self._layout(self.grid.pooled)
            self._pooled = {row[0]: row for row in self._spread(self._query(sql, params), where)}
        return self._pooled[key]

    def _spread(
        self, rows: list[tuple[Any, ...]], where: list[tuple[int, int | None]]
    ) -> list[tuple[Any, ...]]:
        if all(
            element is None and column == index for index, (column, element) in enumerate(where)
        ):
            return rows
        width = self.grid.width

        def spread(row: tuple[Any, ...]) -> tuple[Any, ...]:
            values = row[width:]
            return (
                *row[:width],
                *(
                    values[column]
                    if element is None
                    else None
                    if values[column] is None
                    else values[column][element]
                    for column, element in where
                ),
            )

        return [spread(row) for row in rows]


# The order of a selection's records: by time, then id, then end; records alike in all three in
# the log's order (its input, then its line), so that the order never depends on the query.
RECORD_ORDER = 'coalesce("time", "start"), "id", "end", _input, _line'
RECORD_HEAD = 'SELECT "type", "id", "time", "start", "end"'


@dataclass
class RecordReads:
    """The selections whose records the metrics read one by one (the intervals of incidents
    and maintenance windows, tickets judged against their targets), with the fields they read:
    one query for them all, with a column per selection saying whether it selects the row, run
    at the first read."""

    # (where, its parameters as text) -> (where, parameters)
    selections: dict[tuple[str, str], tuple[str, tuple[Any, ...]]] = field(default_factory=dict)
    fields: dict[str, None] = field(default_factory=dict)  # quoted names, in their order
    names: dict[str, None] = field(default_factory=dict)
    feeds: list[str] = field(default_factory=list)
    rows: dict[tuple[str, str], list[tuple[Any, ...]]] | None = None

    def add(self, where: str, params: Sequence[Any], fields: Sequence[str], feeds: str) -> None:
        self.selections.setdefault((where, repr(list(params))), (where, tuple(params)))
        for name in fields:
            self.names.setdefault(name)
        if feeds not in self.feeds:
            self.feeds.append(feeds)

    def covers(self, where: str, params: Sequence[Any], fields: Sequence[str]) -> bool:
        """Whether a read of these records and fields is served by the one query (worth it only
        for two selections or more)."""
        return (
            len(self.selections) > 1
            and (where, repr(list(params))) in self.selections
            and all(name in self.names for name in fields)
        )

    def sql(self) -> tuple[str, list[Any]]:
        reads = list(self.selections.values())
        extra = "".join(f", {quote_ident(name)}" for name in self.names)
        flags = "".join(f", COALESCE(({where}), FALSE)" for where, _ in reads)
        either = " OR ".join(f"({where})" for where, _ in reads)
        params = [p for _, ps in reads for p in ps]
        return (
            f"{RECORD_HEAD}{extra}{flags} FROM events WHERE {either} ORDER BY {RECORD_ORDER}",
            [*params, *params],
        )

    def read(
        self, where: str, params: Sequence[Any], query: Query
    ) -> tuple[list[tuple[Any, ...]], list[str]]:
        """The rows of one selection (the head, then every field of :attr:`names`)."""
        if self.rows is None:
            sql, values = self.sql()
            found = query(sql, values)
            first = 5 + len(self.names)
            self.rows = {
                key: [row[:first] for row in found if row[first + number]]
                for number, key in enumerate(self.selections)
            }
        return self.rows[(where, repr(list(params)))], list(self.names)


@dataclass
class ScanPlan:
    """The scans of one evaluation, keyed by their grid."""

    scans: dict[Grid, Scan] = field(default_factory=dict)
    records: RecordReads = field(default_factory=RecordReads)
    # Metrics the planner has seen (the measures look here for what the plan decided of them).
    planned: set[str] = field(default_factory=set)
    # Per metric measured over one value of a text field (``service = "s5"``) as a cell of a
    # scan grouped by that field: (field, value).
    partitions: dict[str, tuple[str, str]] = field(default_factory=dict)
    # The grids that several metrics read (a metric alone on its grid may filter its records
    # before they are placed: see obligo.engine.measure.aggregates.PeriodQuery).
    shared: set[Grid] = field(default_factory=set)
    # Queries of their own that the evaluation will run, shown with the scans (the status
    # records of a stopped clock): (what they read, SQL, parameters) -> the metrics they feed.
    queries: dict[tuple[str, str, tuple[Any, ...]], list[str]] = field(default_factory=dict)

    def add(self, grid: Grid, aggregates: Sequence[Aggregate], feeds: str) -> None:
        """A query the plan will run (as part of the grid's scan)."""
        self.scans.setdefault(grid, Scan(grid)).add(aggregates, feeds)

    def rows(
        self,
        grid: Grid,
        aggregates: Sequence[Aggregate],
        query: Query,
        feeds: str = "",
        cell: tuple[int, Any] | None = None,
    ) -> list[tuple[Any, ...]]:
        """The grid's rows: its head, then the ``aggregates`` in their order (with ``cell``
        ``(k, v)``, only the rows whose ``k``-th column is ``v``). Runs the grid's scan the
        first time it is asked for; a query the plan did not hold runs alone."""
        rows, positions = self.read(grid, aggregates, query, feeds, cell)
        width = grid.width
        wanted = [*range(width), *positions]
        if rows and wanted == list(range(len(rows[0]))):
            return rows
        pick = itemgetter(*wanted)
        if len(wanted) == 1:
            return [(pick(row),) for row in rows]
        return [pick(row) for row in rows]

    def read(
        self,
        grid: Grid,
        aggregates: Sequence[Aggregate],
        query: Query,
        feeds: str = "",
        cell: tuple[int, Any] | None = None,
    ) -> tuple[list[tuple[Any, ...]], list[int]]:
        """The scan's rows as they are (the head, then every aggregate of the scan) and where
        in them each of ``aggregates`` is: for a reader that looks at a column or two of many
        rows, without copying them."""
        scan = self.scans.get(grid)
        stale = scan is not None and scan.ran and scan.rows is None  # released: read again
        if scan is None or stale or any(a not in scan.aggregates for a in aggregates):
            alone = Scan(grid)
            alone.add(aggregates, feeds)
            found = alone.run(query)
            if cell is not None:
                found = [row for row in found if row[cell[0]] == cell[1]]
            return found, [grid.width + alone.aggregates[a] for a in aggregates]
        if scan.rows is None:
            scan.rows = scan.run(query)
            scan.ran = True
        rows = scan.rows
        if cell is not None:
            rows = scan.cells(cell[0]).get(cell[1], [])
        scan.waiting -= 1
        if scan.waiting <= 0:
            scan.rows = None  # every reader has its cells: let the rows go
            scan.index = {}
        return rows, [grid.width + scan.aggregates[a] for a in aggregates]

    def describe(self) -> list[dict[str, Any]]:
        """Each scan: its grid in words, its SQL and parameters, the metrics it feeds."""
        described = []
        for scan in self.scans.values():
            sql, params = scan.sql()
            entry: dict[str, Any] = {
                "grid": scan.grid.label,
                "aggregates": len(scan.aggregates),
                "feeds": list(scan.feeds),
                "sql": sql,
                "params": params,
            }
            later = scan.later_sql()
            if later is not None:  # run only if something reads a pooled percentile
                entry["pooled_sql"], entry["pooled_params"] = later
            described.append(entry)
        if len(self.records.selections) > 1:
            sql, params = self.records.sql()
            described.append(
                {
                    "grid": "records read one by one",
                    "selections": len(self.records.selections),
                    "feeds": list(self.records.feeds),
                    "sql": sql,
                    "params": params,
                }
            )
        for (label, text, values), feeds in self.queries.items():
            described.append(
                {"grid": label, "selections": 1, "feeds": feeds, "sql": text, "params": [*values]}
            )
        return described

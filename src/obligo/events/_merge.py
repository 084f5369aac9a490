"""Records of one type with the same id merged into one, in SQL.

For each field of a group of records: a value beats a missing (null) one; when the records that
have a value disagree, the one with the latest ``updated`` wins. A record without ``updated``
could be the latest, so the candidates for a field are the records with a value whose
``updated`` is the group's latest (among those with a value) or missing; when the candidates
disagree, nothing decides and the group is a conflict. The result does not depend on the order
of the records: only on the set of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from obligo.events._plan import Plan
from obligo.events.sql import quote_ident

ACCEPTED = "_obligo_accepted"  # a view over the inputs' tables
EMPTY = "_obligo_no_input"
DUPS = "_obligo_dups"
GROUPS = "_obligo_groups"
MERGED = "_obligo_merged"


@dataclass(frozen=True)
class Conflict:
    """A group that cannot be merged: why, and every record (input, line) in it."""

    record_type: str
    record_id: str
    field: str  # the field the records disagree on; "end" when the merged record ends too early
    first: tuple[int, int, Any]  # (input, line, value)
    second: tuple[int, int, Any]
    members: tuple[tuple[int, int], ...]
    ends_before_start: bool = False


def merge(connection: duckdb.DuckDBPyConnection, plan: Plan) -> tuple[int, list[Conflict]]:
    """Build table ``events`` from the accepted records; the merge count and the conflicts."""
    con = connection
    columns = plan.column_list()
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {DUPS} AS "
        f'SELECT "type", "id", count(*) AS n FROM {ACCEPTED} '
        f'WHERE "id" IS NOT NULL GROUP BY "type", "id" HAVING count(*) > 1'
    )
    groups = _scalar(con, f"SELECT count(*) FROM {DUPS}")
    if groups == 0:
        con.execute(f"ALTER VIEW {ACCEPTED} RENAME TO events")
        con.execute(f"DROP TABLE {DUPS}")
        return 0, []

    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {GROUPS} AS SELECT a.* FROM {ACCEPTED} a "
        f'SEMI JOIN {DUPS} d ON a."type" = d."type" AND a."id" = d."id"'
    )
    fields = [(i, name) for i, name in enumerate(plan.names) if name not in ("type", "id")]
    updated = quote_ident("updated")
    latest = ", ".join(
        f"max({updated}) FILTER (WHERE {quote_ident(name)} IS NOT NULL) AS m{i}"
        for i, name in fields
    )
    picks: list[str] = []
    for i, name in fields:
        column = quote_ident(name)
        candidate = f"{column} IS NOT NULL AND (g.{updated} IS NULL OR g.{updated} = m.m{i})"
        picks.append(
            f"min({{'v': {column}, 'i': g._input, 'l': g._line}}) FILTER (WHERE {candidate}) AS lo{i}"
        )
        picks.append(
            f"max({{'v': {column}, 'i': -g._input, 'l': -g._line}}) FILTER (WHERE {candidate}) "
            f"AS hi{i}"
        )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {MERGED} AS "
        f'WITH m AS (SELECT "type", "id", {latest} FROM {GROUPS} GROUP BY "type", "id") '
        f'SELECT g."type", g."id", count(*) AS _n, '
        f"min({{'i': g._input, 'l': g._line}}) AS _first, {', '.join(picks)} "
        f'FROM {GROUPS} g JOIN m ON g."type" = m."type" AND g."id" = m."id" '
        f'GROUP BY g."type", g."id"'
    )
    conflicts = _conflicts(con, plan, fields)
    bad_keys = [(c.record_type, c.record_id) for c in conflicts]
    values = ", ".join(
        ['"type"', '"id"']
        + [f"lo{i}.v AS {quote_ident(name)}" for i, name in fields]
        + ["_first.i AS _input", "_first.l AS _line"]
    )
    merged_rows = (
        f"SELECT {values} FROM {MERGED} "
        f"WHERE NOT list_contains($1::STRUCT(t VARCHAR, i VARCHAR)[], {{'t': \"type\", 'i': \"id\"}})"
    )
    con.execute(
        f"CREATE TABLE events AS "
        f"SELECT {columns}, _input, _line FROM {ACCEPTED} a "
        f'ANTI JOIN {DUPS} d ON a."type" = d."type" AND a."id" = d."id" '
        f"UNION ALL SELECT {columns}, _input, _line FROM ({merged_rows})",
        [[{"t": t, "i": i} for t, i in bad_keys]],
    )
    merges = _scalar(
        con,
        f"SELECT coalesce(sum(_n - 1), 0) FROM {MERGED} "
        f"WHERE NOT list_contains($1::STRUCT(t VARCHAR, i VARCHAR)[], {{'t': \"type\", 'i': \"id\"}})",
        [[{"t": t, "i": i} for t, i in bad_keys]],
    )
    con.execute(f"DROP VIEW {ACCEPTED}")
    for table in (DUPS, GROUPS, MERGED):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    return merges, conflicts


def _conflicts(
    con: duckdb.DuckDBPyConnection, plan: Plan, fields: list[tuple[int, str]]
) -> list[Conflict]:
    disagree = " OR ".join(f"lo{i}.v <> hi{i}.v" for i, _ in fields)
    start, end = plan.names.index("start"), plan.names.index("end")
    order = f"coalesce(lo{end}.v < lo{start}.v, FALSE)"
    lists = ", ".join(f"lo{i}, hi{i}" for i, _ in fields)
    rows = con.execute(
        f'SELECT "type", "id", {order} AS _order, {lists} FROM {MERGED} '
        f'WHERE {disagree} OR {order} ORDER BY "type", "id"'
    ).fetchall()
    if not rows:
        return []
    members: dict[tuple[str, str], list[tuple[int, int]]] = {}
    keys = [{"t": row[0], "i": row[1]} for row in rows]
    for record_type, record_id, source, line in con.execute(
        f'SELECT "type", "id", _input, _line FROM {GROUPS} '
        f"WHERE list_contains($1::STRUCT(t VARCHAR, i VARCHAR)[], {{'t': \"type\", 'i': \"id\"}}) "
        f"ORDER BY _input, _line",
        [keys],
    ).fetchall():
        members.setdefault((record_type, record_id), []).append((source, line))
    found: list[Conflict] = []
    positions = {name: position for position, (_, name) in enumerate(fields)}
    start_at, end_at = positions["start"], positions["end"]
    for row in rows:
        record_type, record_id, order = row[0], row[1], row[2]
        group = tuple(members[(record_type, record_id)])
        for position, (_, name) in enumerate(fields):
            lo, hi = row[3 + 2 * position], row[4 + 2 * position]
            if lo is not None and hi is not None and lo["v"] != hi["v"]:
                found.append(
                    Conflict(
                        record_type,
                        record_id,
                        name,
                        (lo["i"], lo["l"], lo["v"]),
                        (-hi["i"], -hi["l"], hi["v"]),
                        group,
                    )
                )
                break
        else:
            if order:
                lo_start, lo_end = row[3 + 2 * start_at], row[3 + 2 * end_at]
                found.append(
                    Conflict(
                        record_type,
                        record_id,
                        "end",
                        (lo_start["i"], lo_start["l"], lo_start["v"]),
                        (lo_end["i"], lo_end["l"], lo_end["v"]),
                        group,
                        ends_before_start=True,
                    )
                )
    return found


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> int:
    rows = con.execute(sql, params or []).fetchall()
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0

"""The groups of a metric measured ``by`` one field or several (``, by project, region``).

A group is named inside the engine by one text, its *key*, whatever the number of fields, so
that every pass (judge, consequences, rights) keeps one ``str`` per group:

- by one field, the key is the field's value as text (``"eu"``), as it has always been;
- by several fields, it is the JSON array of the values as text, in the order of the fields,
  without spaces (``["acme","eu"]``): DuckDB's ``to_json`` of the list of the values cast to
  VARCHAR writes exactly what :func:`json.dumps` writes, so a key made by a scan (grouped by the
  tuple of fields, the key written once per group) and one made in Python from a record read
  one by one are the same text.

A record without one of the fields (or with it null) is in no group: it counts only in the
value over every record (the pooled one), as a record without the one field always did. The
report names a group of several fields as an object of the field values (:func:`named`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from obligo.events.sql import quote_ident

# an escape \uXXXX (after an even number of backslashes: not a value's own backslash and u)
_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9a-f]{4})")


def key_of(values: Sequence[object]) -> str | None:
    """The key of a record's group from its values of the ``by`` fields (None: in no
    group; also without ``by`` fields)."""
    if not values or any(value is None for value in values):
        return None
    if len(values) == 1:
        return str(values[0])
    text = json.dumps([str(value) for value in values], ensure_ascii=False, separators=(",", ":"))
    # DuckDB writes the control characters' escapes in capitals (\u000F): the same text.
    return _ESCAPE.sub(lambda found: f"{found.group(1)}\\u{found.group(2).upper()}", text)


def key_of_fields(fields: Sequence[str], record: Mapping[str, object]) -> str | None:
    """The key of a record's group, from its fields (None: without one of them)."""
    return key_of([record.get(name) for name in fields])


def values_in(fields: Sequence[str], record: Mapping[str, object]) -> tuple[str | None, ...]:
    """A record's values of the ``by`` fields, as text (None where it has none)."""
    return tuple(None if (v := record.get(name)) is None else str(v) for name in fields)


def applies(values: Sequence[str | None], key: str) -> bool:
    """Whether a record that is not one group's own (a down record, a deployment, an excluded
    window) counts for the group ``key``: each of the ``by`` fields it has holds the group's
    value. A record with none of them counts for every group, one with all of them for its own
    group only, one with some (``region`` but no ``project``) for the groups it matches."""
    if not values:
        return True
    return all(
        mine is None or mine == theirs
        for mine, theirs in zip(values, values_of(key, [""] * len(values)), strict=True)
    )


def key_sql(fields: Sequence[str], prefix: str = "") -> str:
    """The SQL of a group's key over the ``by`` fields (``prefix``: a table's alias and a
    dot): NULL when one of them is."""
    columns = [f"{prefix}{quote_ident(name)}" for name in fields]
    if len(columns) == 1:
        return f"CAST({columns[0]} AS VARCHAR)"
    cast = ", ".join(f"CAST({column} AS VARCHAR)" for column in columns)
    missing = " OR ".join(f"{column} IS NULL" for column in columns)
    return f"CASE WHEN {missing} THEN NULL ELSE to_json([{cast}]) END"


def columns_sql(fields: Sequence[str], prefix: str = "") -> list[str]:
    """The columns a scan groups by: the tuple of the fields (the key is made once per
    group, from the grouped columns)."""
    return [f"{prefix}{quote_ident(name)}" for name in fields]


def values_of(key: str, fields: Sequence[str]) -> tuple[str, ...]:
    """The values of the fields of a group's key."""
    if len(fields) == 1:
        return (key,)
    values = json.loads(key)
    assert isinstance(values, list) and len(values) == len(fields)
    return tuple(str(value) for value in values)


def named(key: str | None, fields: Sequence[str]) -> str | dict[str, str] | None:
    """How the report names a group: by one field, its value (as it always has); by several,
    an object of the field values (``{"project": "acme", "region": "eu"}``)."""
    if key is None or len(fields) < 2:
        return key
    return dict(zip(fields, values_of(key, fields), strict=True))


def words(key: str, fields: Sequence[str]) -> str:
    """A group in words: its value, or ``project=acme, region=eu``."""
    if len(fields) < 2:
        return key
    return ", ".join(f"{f}={v}" for f, v in zip(fields, values_of(key, fields), strict=True))


def label(fields: Sequence[str]) -> str:
    """``, by project, region`` for a grid's label."""
    return ", by " + ", ".join(fields) if fields else ""

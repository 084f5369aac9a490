"""Event logs: reading them into DuckDB, validating them, and filters compiled to SQL.

* :func:`schema_for` says which record types and fields a contract reads, with their types.
* :meth:`EventLog.load` reads JSON Lines, CSV (both also gzip-compressed), Parquet, standard input,
  open files, iterables of records and DataFrames (pandas, polars, Arrow) into table ``events`` of an in-memory DuckDB database.
* :func:`expand_event_paths` turns paths, folders and patterns into the files they stand for.
* :class:`Source` reads an export as it is (a record type, a profile, derived fields, a CSV
  dialect); :func:`read_sources` reads a sources file (``obligo.sources.toml``).
* :func:`compile_condition` and :func:`compile_selection` turn a contract's filters into SQL with
  bound parameters.
"""

from obligo.events._frames import is_frame
from obligo.events._inputs import expand as expand_event_paths
from obligo.events._source import Source
from obligo.events.derive import Derivation
from obligo.events.loader import EventLog, EventRejectedError, InputAccount, Rejection
from obligo.events.schema import (
    EventSchema,
    FieldSource,
    FieldType,
    schema_for,
    union_of,
    with_field,
)
from obligo.events.sourcefile import Sources, read_sources
from obligo.events.sql import compile_condition, compile_selection, quote_ident

__all__ = [
    "Derivation",
    "EventLog",
    "EventRejectedError",
    "EventSchema",
    "FieldSource",
    "FieldType",
    "InputAccount",
    "Rejection",
    "Source",
    "Sources",
    "compile_condition",
    "compile_selection",
    "expand_event_paths",
    "is_frame",
    "quote_ident",
    "read_sources",
    "schema_for",
    "union_of",
    "with_field",
]

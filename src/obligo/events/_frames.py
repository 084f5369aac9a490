"""DataFrames as event logs: a pandas or polars DataFrame or an Arrow table.

Each is handed to DuckDB as an Arrow table that DuckDB scans where it lies in memory (registered
on the connection, not written to a file), with one column added: the row's ordinal, so that a
rejection names the row it comes from. The rest is read as a Parquet file is (the same typing,
the same checks): a naive datetime column has no offset, so it is read in the contract's zone and
counted as a naive timestamp, as it is in a log file.

None of pandas, polars and pyarrow is imported unless a frame is given (they are the optional
extra ``obligo[dataframes]``); a frame is recognised by the module its type comes from.
"""

from __future__ import annotations

from typing import Any

from obligo.errors import EventDataError

# The ordinal column added to every frame, named as DuckDB's read_parquet names its own, so that
# the Parquet scan reads a frame unchanged (numbered from 0).
ROW_COLUMN = "file_row_number"

_KINDS = {
    ("pandas", "DataFrame"): "pandas DataFrame",
    ("polars", "DataFrame"): "polars DataFrame",
    ("pyarrow", "Table"): "Arrow table",
}


def frame_kind(value: object) -> str | None:
    """What kind of frame ``value`` is ("pandas DataFrame", ...), or None for anything else."""
    for cls in type(value).__mro__:
        package = cls.__module__.split(".", 1)[0]
        kind = _KINDS.get((package, cls.__name__))
        if kind is not None:
            return kind
    return None


def is_frame(value: object) -> bool:
    return frame_kind(value) is not None


def as_arrow(frame: Any, name: str) -> Any:
    """The frame as an Arrow table with its rows numbered in ``ROW_COLUMN``.

    polars hands over its Arrow buffers; an Arrow table is itself; pandas is converted by
    pyarrow (without its index: the index is no field of a record)."""
    try:
        import pyarrow as pa
    except ImportError:
        raise EventDataError(
            f"cannot read the {name}: pyarrow is not installed",
            file=f"<{name}>",
            hint="install obligo[dataframes] (pandas, polars and pyarrow)",
        ) from None
    kind = frame_kind(frame)
    if kind == "polars DataFrame":
        table = frame.to_arrow()
    elif kind == "pandas DataFrame":
        try:
            table = pa.Table.from_pandas(frame, preserve_index=False)
        except (pa.ArrowException, ValueError, TypeError) as error:
            raise EventDataError(
                f"cannot read the {name}: a column pyarrow cannot read ({error})",
                file=f"<{name}>",
                hint="give each column one type: text, numbers, booleans or datetimes",
            ) from None
    else:
        table = frame
    if ROW_COLUMN in table.column_names:
        raise EventDataError(
            f"cannot read the {name}: its column {ROW_COLUMN!r} is the name obligo numbers "
            f"rows with",
            file=f"<{name}>",
            hint="rename that column, or map a field to it under another name",
        )
    numbers = pa.array(range(table.num_rows), type=pa.int64())
    return table.append_column(ROW_COLUMN, numbers)

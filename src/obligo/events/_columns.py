"""A CSV header's column that is a field the contract reads but for its spelling.

A log's columns are read by their exact names. A header that writes ``End`` or ``Severity``
where the contract reads ``end`` or ``severity`` would leave that field absent from every record
of the file, without a word: a `where` on it would select nothing and an outage would have no
end, a wrong verdict. Such a column is an error at the header, with the name the contract reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from obligo.errors import EventDataError


def squeezed(name: str) -> str:
    """``name`` without case, spaces and punctuation: ``Resolved At`` is ``resolvedat``."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


# Of the fields every log is read for, those whose absence is loud (a record without its type,
# time or start is rejected) or harmless (an id names evidence; updated orders versions) are not
# checked: a header may well have an `Id` or a `Time` column the contract does not need. A record
# without its end is an outage still open, silently: `end` is checked with the contract's fields.
_NOT_CHECKED = frozenset({"type", "id", "time", "start", "updated"})


def check_spelling(
    name: str, header: Sequence[str], read: Iterable[str], *, csv_header: bool = True
) -> None:
    """Raise when a column of ``header`` is, but for case, spaces or punctuation, a name in
    ``read`` (the names the contract reads from the log) that the header does not have."""
    present = set(header)
    wanted = {
        squeezed(field): field
        for field in read
        if field not in present and field not in _NOT_CHECKED
    }
    for column in header:
        field = wanted.get(squeezed(column))
        if field is not None:
            where = (
                f"{name}:1: the header has the column"
                if csv_header
                else f"{name}: its records have the key"
            )
            raise EventDataError(
                f"{where} {column!r} where the contract reads"
                f" {field!r}: the names must be the same, case included, or the records would"
                f" have no {field}",
                file=name,
                line=1 if csv_header else 0,
                hint=f"rename the column to {field}, or map it in a sources file"
                f' ({field} = "{column}")',
            )

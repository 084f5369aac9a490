"""Only :class:`~obligo.ObligoError` leaves the library's public functions.

A problem with the user's data (a contract, a log, a mapping) is meant to be found where it is
and named there, with its file, line and column. What slips past those checks still must not
reach the caller as a bare ``ValueError``, ``KeyError``, ``RecursionError`` or DuckDB error: the
public functions are wrapped so that such an exception becomes an :class:`ObligoError` that says
what happened and that it is obligo's fault (to be reported), with the original as its cause.

A ``TypeError`` passes through: it means the API was called with the wrong Python types (a
number where a list of inputs is expected), which is the caller's programming error, not data.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import duckdb

from obligo.errors import ObligoError

P = ParamSpec("P")
R = TypeVar("R")

INTERNAL = "internal error"

# What data can provoke inside the engine when a check misses it. Not TypeError or
# AttributeError (the API called with the wrong Python types: a string where a contract is
# expected), not MemoryError or KeyboardInterrupt (the caller's to handle).
_CAUGHT: tuple[type[BaseException], ...] = (
    ValueError,
    KeyError,
    IndexError,
    ArithmeticError,  # OverflowError, ZeroDivisionError, decimal.InvalidOperation
    AssertionError,
    duckdb.Error,
)


def guarded(what: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Wrap a public function: ``what`` names what it does, for the message."""

    def wrap(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return func(*args, **kwargs)
            except ObligoError:
                raise
            except RecursionError:
                # Either input may be the deep one (a contract's conditions, a value nested in
                # Python records): say so, without blaming the one it may not be.
                raise ObligoError(
                    f"cannot {what}: something given nests too deeply for obligo to read (a"
                    " condition of the contract, or a value of the records, inside hundreds of"
                    " others)",
                    file="<obligo>",
                    line=1,
                    column=1,
                    hint="write it with fewer levels",
                ) from None
            except _CAUGHT as error:
                raise ObligoError(
                    f"{INTERNAL}: cannot {what}: {type(error).__name__}: {error}",
                    file="<obligo>",
                    line=1,
                    column=1,
                    hint="this is a bug in obligo: please report it with the contract and the log",
                ) from error

        return call

    return wrap

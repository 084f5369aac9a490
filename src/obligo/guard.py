"""Only :class:`~obligo.ObligoError` leaves the library's public functions.

A problem with the user's data (a contract, a log, a mapping) is meant to be found where it is
and named there, with its file, line and column. What slips past those checks still must not
reach the caller as a bare ``ValueError``, ``KeyError``, ``RecursionError`` or DuckDB error: the
public functions are wrapped so that such an exception becomes an :class:`ObligoError` that says
what happened and that it is obligo's fault (to be reported), with the original as its cause.

A ``TypeError`` passes through: it means the API was called with the wrong Python types (a
number where a list of inputs is expected), which is the caller's programming error, not data.
The evaluation's settings are the exception, checked before anything is read
(:func:`settings_checked`): an evaluation time, a window or mappings the engine cannot use is an
:class:`ObligoError` that says what was given and what is needed, as a bad evaluation time always was.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import reprlib
from collections.abc import Callable, Mapping
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


# The instants and days obligo can evaluate at: as for a term (obligo.engine.run.session), a day
# has to be an instant in every timezone, and the day after the last has to exist.
FIRST_INSTANT = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
LAST_INSTANT = dt.datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=dt.UTC)
LAST_DAY = dt.date(9999, 12, 30)
_SHORT = reprlib.Repr()  # a value shown in a message, cut short
_SHORT.maxstring = _SHORT.maxother = 60


def settings_checked(func: Callable[P, R]) -> Callable[P, R]:
    """Wrap an evaluation (``evaluate``, ``evaluate_agreements``, ``baseline``): its ``at``,
    ``mappings``, ``window_start`` and ``window_end``, where it takes them, are checked first
    (:func:`check_settings`)."""
    signature = inspect.signature(func)

    @functools.wraps(func)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        given = signature.bind(*args, **kwargs).arguments
        check_settings(
            given.get("at"),
            given.get("mappings"),
            given.get("window_start"),
            given.get("window_end"),
        )
        return func(*args, **kwargs)

    return call


def check_settings(at: object, mappings: object, window_start: object, window_end: object) -> None:
    """Raise :class:`ObligoError` for a setting no evaluation can use: an evaluation time outside
    the instants obligo can place in a timezone, mappings that are not a mapping, a window's day
    that is not a date or has no day after it. (What an evaluation time must be, a
    timezone-aware datetime, is checked with the contract, in its timezone.)"""
    if isinstance(at, dt.datetime) and at.utcoffset() is not None:
        if not FIRST_INSTANT <= at <= LAST_INSTANT:
            raise ObligoError(
                f"the evaluation time {at.isoformat()} is out of range: it must lie between"
                f" {FIRST_INSTANT.date()} and {LAST_INSTANT.date()}",
                hint="give a time within the years the contract can run",
            )
    if mappings is not None and not isinstance(mappings, Mapping):
        raise ObligoError(
            "mappings name the fields of the log by other names, as a mapping: not"
            f" {type(mappings).__name__} ({_SHORT.repr(mappings)})",
            file="<mappings>",
            line=1,
            column=1,
            hint='give mappings such as {"start": "begin_time"}',
        )
    for day, which in ((window_start, "first"), (window_end, "last")):
        if day is None:
            continue
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            what = "datetime" if isinstance(day, dt.datetime) else type(day).__name__
            raise ObligoError(
                f"the window's {which} day must be a date, not {what} ({_SHORT.repr(day)})",
                hint="give a datetime.date, e.g. date(2026, 1, 31)",
            )
        if which == "last" and day > LAST_DAY:  # the day after it has to exist
            raise ObligoError(
                f"the window's last day {day} is out of range: it must be at most {LAST_DAY}"
            )


def guarded_evaluation(what: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """:func:`guarded` and :func:`settings_checked` together, for the evaluations."""

    def wrap(func: Callable[P, R]) -> Callable[P, R]:
        return guarded(what)(settings_checked(func))

    return wrap

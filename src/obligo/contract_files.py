"""Reading a contract file, within bounds: the one reader behind ``obligo.load``, the files of an
agreement set and every ``import``.

A contract is a regular file of UTF-8 text, at most :data:`MAX_CONTRACT_BYTES` long; an import
names a ``.sla`` file. Anything else is refused before it is read, and never quoted: a FIFO given
by mistake would block forever, ``/dev/zero`` never ends, and a file such as
``/proc/self/environ`` quoted in an error message would leak what it holds into a CI log.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass

# Generous: a contract of 5,000 clauses of ten lines each is about 3 MiB.
MAX_CONTRACT_BYTES = 8 * 1024 * 1024
CONTRACT_SUFFIX = ".sla"


@dataclass(frozen=True)
class Refusal:
    """Why a file cannot be read as a contract, in words for its author."""

    reason: str
    hint: str | None = None


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _os_reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a loop of symbolic links"
    if error.errno == errno.ENOENT:
        return "no such file"
    return error.strerror or type(error).__name__


def read_contract_text(path: str, *, imported: bool) -> str | Refusal:
    """The text of the contract file at ``path``, or why it is refused.

    The type of the file is looked at (``stat``, following symbolic links) before it is opened, and
    again on the open file, which is opened without blocking: nothing but a regular file is read.
    An imported file must also be named ``*.sla``. The text must be UTF-8 without NUL bytes.
    """
    if imported and not path.endswith(CONTRACT_SUFFIX):
        return Refusal(
            f"only contract files ({CONTRACT_SUFFIX}) can be imported",
            'an import names a file such as "corporate.sla", relative to the importing file',
        )
    try:
        kind = _kind(os.stat(path).st_mode)
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the path
        if isinstance(error, OSError):
            return Refusal(_os_reason(error))
        return Refusal("a file name cannot hold a NUL character")
    if kind is not None:
        return Refusal(
            f"it is {kind}, not a contract file" if kind != "not a regular file" else kind
        )
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        return Refusal(_os_reason(error))
    try:
        kind = _kind(os.fstat(descriptor).st_mode)
        if kind is not None:  # replaced between the two looks
            return Refusal(f"it is {kind}, not a contract file")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(MAX_CONTRACT_BYTES + 1)
    except OSError as error:
        return Refusal(_os_reason(error))
    finally:
        os.close(descriptor)
    if len(data) > MAX_CONTRACT_BYTES:
        return Refusal(
            f"it is larger than {MAX_CONTRACT_BYTES // (1024 * 1024)} MiB, the most a contract"
            " file may hold",
            "split it into levels that import one another",
        )
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        return Refusal(f"it holds a NUL byte (line {line}): it is not a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return Refusal(f"it is not UTF-8 text (line {line}, byte {error.start + 1})")

"""Writing what a command produces without risking what it read or what was there before.

- A file is never written in place: the text goes to a temporary file in the same folder, which
  then replaces the target in one rename. A run stopped half-way (a signal, a full disk) leaves
  the previous file as it was and no temporary file behind (only SIGKILL or a crash of the
  machine can leave one, ``.NAME.XXXX.obligo-tmp``, beside the untouched target). The new file
  keeps the target's permissions (and owner, when obligo runs as the superuser); a read-only
  target is refused as writing in place would refuse it; a symbolic link stays a link and the
  file it points to is replaced; another hard link to the target keeps the previous content. A
  target that is not a regular file (``/dev/stdout``, a named pipe, a device) is written as a
  stream.
- A file that the run reads (an event log, a contract, a contract it imports, standard input
  redirected from a file) is never a target, however it is spelled or linked to.
- Every operating-system error while writing becomes an :class:`OutputError` (one line naming the
  file); a reader that closed standard output (``obligo eval ... | head -1``) is
  :class:`OutputClosed`, to end quietly.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable

from obligo.errors import ObligoError

TEMPORARY_SUFFIX = ".obligo-tmp"


class OutputError(ObligoError):
    """The output cannot be written (or must not be: it would overwrite an input)."""


class OutputClosed(Exception):
    """Standard output was closed by its reader (a broken pipe): nothing more can be shown."""


def _reason(error: OSError, path: str) -> str:
    folder = os.path.dirname(path) or "."
    if error.errno == errno.ENOENT and not os.path.isdir(folder):
        return f"the folder {folder} does not exist"
    if error.errno == errno.ENOTDIR:
        return "a part of the path is not a folder"
    if error.errno == errno.EISDIR:
        return "it is a folder"
    return error.strerror or str(error)


def refuse_inputs(target: str, inputs: Iterable[tuple[str, str]]) -> None:
    """Raise :class:`OutputError` when ``target`` is one of the ``inputs`` (``(path, what)``
    pairs, ``what`` such as "the event log"): the same file whatever the spelling, symbolic or
    hard link. Standard input counts when it is a regular file (``< events.jsonl``)."""
    try:
        written = os.stat(target)
    except OSError:
        return  # no such file yet: it cannot be an input
    candidates = list(inputs)
    for path, what in candidates:
        if path == "-":
            try:
                read = os.fstat(sys.stdin.fileno())
            except (OSError, AttributeError, ValueError):
                continue
            if not stat.S_ISREG(read.st_mode):
                continue
            shown = f"{what} (standard input)"
        else:
            try:
                read = os.stat(path)
            except OSError:
                continue
            shown = f"{what} {path}"
        if (read.st_dev, read.st_ino) == (written.st_dev, written.st_ino):
            raise OutputError(
                f"will not write the report to {target}: it is {shown}, read by this run",
                file=target,
            )


def write_file(path: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` by replacing it in one rename; see the module."""
    target = os.path.realpath(path)
    try:
        before: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        before = None
    except OSError as error:
        raise OutputError(f"cannot write {path}: {_reason(error, path)}", file=path) from None
    if before is not None and stat.S_ISDIR(before.st_mode):
        raise OutputError(f"cannot write {path}: it is a folder", file=path)
    if before is not None and not stat.S_ISREG(before.st_mode):
        _write_stream(path, target, text)
        return
    if before is not None and not os.access(target, os.W_OK):
        # A rename would replace a file its owner made read-only: respect the protection.
        raise OutputError(f"cannot write {path}: {os.strerror(errno.EACCES)}", file=path)
    folder, name = os.path.split(target)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=folder, prefix=f".{name[:128]}.", suffix=TEMPORARY_SUFFIX
        )
    except OSError as error:
        raise OutputError(f"cannot write {path}: {_reason(error, path)}", file=path) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, stat.S_IMODE(before.st_mode) if before else _default_mode())
        if before is not None and (before.st_uid, before.st_gid) != _owner(temporary):
            with contextlib.suppress(OSError):  # only the superuser may give a file away
                os.chown(temporary, before.st_uid, before.st_gid)
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError(f"cannot write {path}: {_reason(error, path)}", file=path) from None
    except BaseException:  # an interruption: the previous file stays, no temporary file
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _write_stream(path: str, target: str, text: str) -> None:
    try:
        with open(target, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {_reason(error, path)}", file=path) from None


def _owner(path: str) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_uid, status.st_gid


def _default_mode() -> int:
    """What a new file gets: read and write for everyone the umask lets through."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _sync_folder(folder: str) -> None:
    """Make the rename durable; a file system that cannot sync a folder is left as it is."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output now (flushed): :class:`OutputError` when it cannot be
    written (closed, a full disk), :class:`OutputClosed` when its reader has gone."""
    stream = sys.stdout
    if stream is None:
        raise OutputError("cannot write to standard output: it is closed", file="<stdout>")
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise OutputClosed from None
    except OSError as error:
        if error.errno == errno.EPIPE:
            raise OutputClosed from None
        discard_stdout()
        reason = error.strerror or str(error)
        raise OutputError(f"cannot write to standard output: {reason}", file="<stdout>") from None
    except UnicodeEncodeError as error:
        discard_stdout()
        raise OutputError(
            f"cannot write to standard output: its encoding ({error.encoding}) cannot show"
            f" {error.object[error.start : error.end]!r}",
            file="<stdout>",
        ) from None
    except ValueError:  # closed by the program itself
        raise OutputError(
            "cannot write to standard output: it is closed", file="<stdout>"
        ) from None


def discard_stdout() -> None:
    """Point standard output at the null device, so that what is left in its buffer does not
    fail again (with a message) when Python exits."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)

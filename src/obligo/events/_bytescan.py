"""Byte-level checks of a file before DuckDB reads it, in large chunks (never line by line).

DuckDB numbers what it reads, not the file's physical lines: ``read_json`` skips blank lines and
``read_csv`` treats a lone carriage return as a line break and stops at bytes that are not UTF-8.
These scans tell the loader when DuckDB's numbering is the file's, and make a copy of a damaged
JSON Lines file in which every problem byte is replaced by one that keeps the line invalid JSON
(so that it is rejected at its own line) while the line breaks stay exactly where they were.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CHUNK = 1 << 24  # 16 MiB

# Bytes that break DuckDB's line reader: NUL, the delimiter it is given (0x01), and a lone CR.
MARK = b"\x02"  # a control character: JSON allows none outside \t \n \r, so the line stays invalid
LINE_READER_DELIMITER = "\x01"
_TROUBLE = re.compile(rb"[\x00\x01]|\r(?!\n)")
_EMPTY_LINE = re.compile(rb"\n(?=\r?\n)")


def open_bytes(path: Path, compressed: bool) -> io.BufferedIOBase:
    if compressed:
        return gzip.GzipFile(path, "rb")
    return path.open("rb")


def _chunks(path: Path, compressed: bool) -> Iterator[bytes]:
    with open_bytes(path, compressed) as stream:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                return
            yield chunk


def _whole_lines(path: Path, compressed: bool) -> Iterator[bytes]:
    """Chunks that end at a line break (except the last), so that no line is split."""
    carry = b""
    for chunk in _chunks(path, compressed):
        data = carry + chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            continue
        carry = data[cut + 1 :]
        yield data[: cut + 1]
    if carry:
        yield carry


@dataclass
class LineCount:
    """Physical lines (a final line without a line break counts) and what the bytes hold."""

    lines: int = 0
    carriage_returns: bool = False  # any CR (DuckDB's line reader needs one kind of line end)
    lone_carriage_return: bool = False  # a CR not followed by LF (read_json may split there)
    control: bool = False  # NUL or 0x01 (the line reader's delimiter)
    utf8: bool = True

    @property
    def fast_path_numbering(self) -> bool:
        """Whether ``read_json`` can number this file's lines (given no blank lines)."""
        return not self.lone_carriage_return

    @property
    def line_reader_ready(self) -> bool:
        """Whether DuckDB's line reader can read the file as it is."""
        return not (self.carriage_returns or self.control) and self.utf8


def count_lines(path: Path, compressed: bool) -> LineCount:
    result = LineCount()
    decoder = codecs.getincrementaldecoder("utf-8")()
    last = b""
    for chunk in _chunks(path, compressed):
        result.lines += chunk.count(b"\n")
        last = chunk[-1:]
        if b"\x00" in chunk or b"\x01" in chunk:
            result.control = True
        if b"\r" in chunk:
            result.carriage_returns = True
            if not result.lone_carriage_return and _lone_cr(chunk):
                result.lone_carriage_return = True
        if result.utf8 and (not chunk.isascii() or decoder.getstate()[0]):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                result.utf8 = False
    if result.utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            result.utf8 = False
    if last and last != b"\n":
        result.lines += 1
    return result


def _lone_cr(chunk: bytes) -> bool:
    # A CR at the very end of a chunk may be followed by LF in the next one: only CRs inside.
    if chunk.count(b"\r") == chunk.count(b"\r\n"):
        return False
    body = chunk[:-1] if chunk.endswith(b"\r") else chunk
    return body.count(b"\r") != body.count(b"\r\n")


class _LineCounter:
    """Line numbers of increasing byte offsets in a chunk, counting each byte once."""

    def __init__(self, data: bytes, line_base: int) -> None:
        self.data = data
        self.line = line_base + 1
        self.offset = 0

    def line_at(self, offset: int) -> int:
        self.line += self.data.count(b"\n", self.offset, offset)
        self.offset = offset
        return self.line


@dataclass
class Sanitized:
    """Lines whose bytes were replaced, with why (1-based line numbers)."""

    reasons: dict[int, str] = field(default_factory=dict)


_REASONS = {
    b"\x00": "not valid JSON (a NUL character)",
    b"\x01": "not valid JSON (a control character)",
    b"\r": "not valid JSON (a carriage return inside the line)",
}


def sanitize(path: Path, compressed: bool, target: Path) -> Sanitized:
    """Copy a JSON Lines file to ``target`` (uncompressed) with every troublesome byte marked.

    Line ends become LF (DuckDB's line reader stops at a file that mixes LF and CRLF); a CR before
    LF is JSON whitespace, so no line changes meaning.
    """
    result = Sanitized()
    line_base = 0
    with target.open("wb") as out:
        for data in _whole_lines(path, compressed):
            text_bytes = data
            if _TROUBLE.search(text_bytes):
                counter = _LineCounter(text_bytes, line_base)
                for match in _TROUBLE.finditer(text_bytes):
                    line = counter.line_at(match.start())
                    result.reasons.setdefault(line, _REASONS[match.group()[:1]])
                text_bytes = _TROUBLE.sub(MARK, text_bytes)
            if b"\r" in text_bytes:
                text_bytes = text_bytes.replace(b"\r\n", b"\n")
            if not text_bytes.isascii():
                text_bytes = _fix_utf8(text_bytes, line_base, result)
            out.write(text_bytes)
            line_base += data.count(b"\n")
    return result


_marks = threading.local()


def _mark_invalid(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):  # pragma: no cover - registered for decoding
        raise error
    _marks.positions.append(error.start)
    return MARK.decode(), error.end


codecs.register_error("obligo-mark-invalid", _mark_invalid)


def _fix_utf8(data: bytes, line_base: int, result: Sanitized) -> bytes:
    _marks.positions = []
    text = data.decode("utf-8", "obligo-mark-invalid")
    counter = _LineCounter(data, line_base)
    for start in _marks.positions:
        result.reasons.setdefault(counter.line_at(start), "not valid UTF-8")
    return text.encode("utf-8") if _marks.positions else data


def normalize_line_ends(path: Path, compressed: bool, target: Path) -> None:
    """Copy a file to ``target`` (uncompressed) with every CRLF made LF."""
    with target.open("wb") as out:
        for data in _whole_lines(path, compressed):
            out.write(data.replace(b"\r\n", b"\n"))


def empty_lines(path: Path, compressed: bool) -> list[int]:
    """Physical numbers of empty lines followed by more content (for CSV numbering)."""
    found: list[int] = []
    line_base = 0
    pending: list[int] = []  # empty lines not yet known to have content after them
    for data in _whole_lines(path, compressed):
        position = 0
        counter = _LineCounter(data, line_base)
        for match in _EMPTY_LINE.finditer(data):
            pending.append(counter.line_at(match.start()) + 1)
            position = match.end()
        if pending and data[position:].strip():
            # Content after the last empty line in this chunk: every pending empty line counts.
            found.extend(pending)
            pending = []
        line_base += data.count(b"\n")
    return found


def plain_whitespace(path: Path, compressed: bool) -> bool:
    """Whether DuckDB's JSON reader reads the file as the exact path does.

    The reader takes a form feed, a vertical tab and a carriage return not followed by a line
    feed for whitespace, where the exact path finds a line that is not JSON (or a line split in
    two): a file holding any of them is read on the exact path, so that a line is judged alike
    whatever else the file holds. Byte searches at memory speed."""
    pending_cr = False
    # Small reads into one buffer: each search then runs over bytes still in the CPU's cache
    # (twice as fast as 16 MiB chunks on a 1 GB file).
    buffer = bytearray(1 << 18)
    with open_bytes(path, compressed) as stream:
        while size := stream.readinto(buffer):
            chunk = buffer if size == len(buffer) else buffer[:size]
            if not _plain_chunk(chunk, pending_cr):
                return False
            pending_cr = chunk.endswith(b"\r")
    return not pending_cr


def _plain_chunk(chunk: bytearray, pending_cr: bool) -> bool:
    if b"\x0b" in chunk or b"\x0c" in chunk:
        return False
    if pending_cr and not chunk.startswith(b"\n"):
        return False
    if b"\r" in chunk:
        body = chunk[:-1] if chunk.endswith(b"\r") else chunk
        if body.count(b"\r") != body.count(b"\r\n"):
            return False
    return True


SAMPLE = 1 << 20  # 1 MiB: about ten thousand records, read in a few hundredths of a second


def sample_keys(path: Path, compressed: bool) -> set[str] | None:
    """The keys of the JSON objects on the first lines of a file (its first :data:`SAMPLE`
    bytes, whole lines only), or None when none of them can be read.

    Only a guess of which fields the file has: the fast path checks it on every record."""
    size = SAMPLE
    with open_bytes(path, compressed) as stream:
        data = stream.read(size + 1)
    if len(data) > size:
        data = data[: data.rfind(b"\n") + 1]
    keys: set[str] = set()
    read = False
    for line in data.split(b"\n"):
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):  # blank, not JSON, or nested too deep for Python:
            continue  # the scan decides
        if isinstance(record, dict):
            keys.update(record)
            read = True
    return keys if read else None


def record_lines(path: Path, compressed: bool, ordinals: set[int]) -> dict[int, int]:
    """The physical line of each given record ordinal (1-based) of a JSON Lines file.

    ``read_json`` numbers records, skipping lines that hold only whitespace; the fast path keeps
    that ordinal and asks for the physical line only when a message must name one."""
    found: dict[int, int] = {}
    if not ordinals:
        return found
    last = max(ordinals)
    record = 0
    line_base = 0
    for data in _whole_lines(path, compressed):
        lines = data.split(b"\n")
        if data.endswith(b"\n"):
            lines.pop()
        for offset, line in enumerate(lines, start=1):
            if line.strip(b" \t\r"):
                record += 1
                if record in ordinals:
                    found[record] = line_base + offset
                    if record == last:
                        return found
        line_base += data.count(b"\n")
    return found

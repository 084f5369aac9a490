"""Byte-level checks of a file before DuckDB reads it, in large chunks (never line by line).

DuckDB numbers what it reads, not the file's physical lines: ``read_json`` skips blank lines and
``read_csv`` treats a lone carriage return as a line break and stops at bytes that are not UTF-8.
These scans tell the loader when DuckDB's numbering is the file's, and make a copy of a damaged
JSON Lines file in which every damaged line is replaced by one byte that keeps it invalid JSON
(so that it is rejected at its own line) while the line breaks stay exactly where they were.

Memory is bounded whatever the file holds: the scans read chunks of :data:`CHUNK` bytes, and a
line longer than :data:`MAX_LINE` is never held whole (it is replaced by that byte and rejected),
so a scan holds at most about ``CHUNK + MAX_LINE`` bytes, and work per damaged *line*, never per
damaged byte.
"""

from __future__ import annotations

import bisect
import codecs
import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from obligo.errors import EventDataError
from obligo.events._inputs import LocalInput

CHUNK = 1 << 24  # 16 MiB
# The longest line obligo reads, its line feed not counted: a longer one is rejected (no record
# of an event log comes near it; a file of zeros or a line without end must not fill memory).
MAX_LINE = 2 * 1024 * 1024
MAX_LINE_SHOWN = "2 MiB"

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


def long_line_reason(length: int) -> str:
    return f"a line of {length} bytes, longer than the limit of {MAX_LINE_SHOWN} ({MAX_LINE} bytes)"


def _whole_lines(
    path: Path,
    compressed: bool,
    long_lines: dict[int, int] | None = None,
    mark: bytes = MARK,
) -> Iterator[bytes]:
    """Chunks that end at a line break (except the last), so that no line is split.

    A line longer than :data:`MAX_LINE` is replaced by ``mark`` (so that no chunk holds more
    than ``CHUNK + MAX_LINE`` bytes); ``long_lines`` receives its number and length (-1 while
    the line has not ended: it is in ``long_lines`` as soon as its mark is yielded)."""
    found = long_lines if long_lines is not None else {}
    carry = b""
    line_base = 0  # line breaks yielded so far
    skipped = -1  # the length so far of a long line being skipped, or -1
    for chunk in _chunks(path, compressed):
        if skipped >= 0:
            end = chunk.find(b"\n")
            if end < 0:
                skipped += len(chunk)
                continue
            found[line_base + 1] = skipped + end
            # Its MARK was yielded when the skipping began: only its line break is left.
            skipped, carry, chunk = -1, b"", chunk[end:]
        data = carry + chunk
        pieces: list[bytes] = []
        kept = 0  # data[kept:p] is yet to be yielded
        counter = _LineCounter(data, line_base)
        p = 0  # the start of a line
        while len(data) - p > MAX_LINE:
            # The last line break within MAX_LINE bytes of p: every line up to it is short.
            q = data.rfind(b"\n", p, p + MAX_LINE + 1)
            if q >= 0:
                p = q + 1
                continue
            line = counter.line_at(p)
            pieces += [data[kept:p], mark]
            end = data.find(b"\n", p + MAX_LINE + 1)
            if end < 0:
                found[line] = -1  # its length is known at its end (a reader may stop before)
                skipped, kept, p = len(data) - p, len(data), len(data)
                break
            found[line] = end - p
            kept = p = end
        if skipped >= 0:
            carry = b""
            last = data[kept:]
        elif (cut := data.rfind(b"\n", kept)) >= 0:
            carry = data[cut + 1 :]
            last = data[kept : cut + 1]
        else:  # no line break in data: kept is 0, and data is one short line so far
            carry, last = data, b""
        pieces.append(last)
        out = b"".join(pieces) if len(pieces) > 1 else last
        if out:
            line_base += out.count(b"\n")
            yield out
    if skipped >= 0:
        found[line_base + 1] = skipped
    elif carry:
        yield carry


@dataclass
class CsvShape:
    """What a CSV file's bytes hold that DuckDB's numbering of its rows does not show (see
    :func:`first_long_line`): a NUL, an empty line (``\\n`` then ``\\n`` or ``\\r\\n``), a
    quote (a quoted cell may hold a line feed)."""

    nul: bool = False
    empty_line: bool = False
    quote: bool = False


def first_long_line(
    path: Path,
    compressed: bool,
    nul_found: list[bool] | None = None,
    shape: CsvShape | None = None,
) -> int | None:
    """The number of the first line longer than :data:`MAX_LINE`, or None: a search at memory
    speed, in small reads (see :func:`plain_whitespace`). ``nul_found[0]`` is set when a NUL
    byte comes before (or without) a long line; ``shape`` (filled up to the first long line)
    says what else the bytes hold."""
    buffer = bytearray(min(1 << 18, MAX_LINE))  # a line inside one read is never long
    open_length = 0  # the bytes of the line still open at the end of the last read
    lines = 0
    tail = b""  # the last two bytes of the last read (an empty line across two reads)
    with open_bytes(path, compressed) as stream:
        while size := stream.readinto(buffer):
            chunk = buffer if size == len(buffer) else buffer[:size]
            if nul_found is not None and not nul_found[0] and b"\0" in chunk:
                nul_found[0] = True
            if shape is not None:
                _csv_shape(shape, chunk, tail)
                tail = bytes(chunk[-2:])
            first = chunk.find(b"\n")
            if first < 0:
                open_length += size
                if open_length > MAX_LINE:
                    return lines + 1
                continue
            if open_length + first > MAX_LINE:
                return lines + 1
            lines += chunk.count(b"\n")
            open_length = size - chunk.rfind(b"\n") - 1
    return None


@dataclass
class LineCount:
    """Physical lines (a final line without a line break counts) and what the bytes hold."""

    lines: int = 0
    carriage_returns: bool = False  # any CR (DuckDB's line reader needs one kind of line end)
    lone_carriage_return: bool = False  # a CR not followed by LF (read_json may split there)
    control: bool = False  # NUL or 0x01 (the line reader's delimiter)
    utf8: bool = True
    long_lines: dict[int, int] = field(default_factory=dict)  # longer than MAX_LINE: length

    @property
    def fast_path_numbering(self) -> bool:
        """Whether ``read_json`` can number this file's lines (given no blank lines)."""
        return not self.lone_carriage_return

    @property
    def line_reader_ready(self) -> bool:
        """Whether DuckDB's line reader can read the file as it is."""
        return not (self.carriage_returns or self.control or self.long_lines) and self.utf8


def count_lines(path: Path, compressed: bool, *, complete: bool = True) -> LineCount:
    """What the file holds. Not ``complete``: the scan stops as soon as the line reader cannot
    read the file as it is (``lines`` then counts up to there; a length in ``long_lines`` may be
    -1): a file to sanitize is read in full once more anyway."""
    result = LineCount()
    decoder = codecs.getincrementaldecoder("utf-8")()
    last = b""
    for chunk in _whole_lines(path, compressed, result.long_lines):
        if not complete and not result.line_reader_ready:
            break
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
    """Copy a JSON Lines file to ``target`` (uncompressed) with every damaged line (a NUL, the
    line reader's delimiter, a lone carriage return, bytes that are not UTF-8, more than
    :data:`MAX_LINE` bytes) replaced by :data:`MARK`, and its reason.

    Line ends become LF (DuckDB's line reader stops at a file that mixes LF and CRLF); a CR before
    LF is JSON whitespace, so no line changes meaning. The work is per damaged line: a line of
    a million NULs costs one search, not a million.
    """
    result = Sanitized()
    line_base = 0
    long_lines: dict[int, int] = {}
    with target.open("wb") as out:
        for data in _whole_lines(path, compressed, long_lines):
            spans = _damaged_lines(data)
            if spans:
                counter = _LineCounter(data, line_base)
                pieces: list[bytes] = []
                kept = 0
                for start, (end, reason) in sorted(spans.items()):
                    result.reasons.setdefault(counter.line_at(start), reason)
                    pieces += [data[kept:start], MARK]
                    kept = end
                pieces.append(data[kept:])
                text_bytes = b"".join(pieces)
            else:
                text_bytes = data
            if b"\r" in text_bytes:
                text_bytes = text_bytes.replace(b"\r\n", b"\n")
            out.write(text_bytes)
            line_base += data.count(b"\n")
    for line, length in long_lines.items():  # known once the file is read: no other reason
        result.reasons.setdefault(line, long_line_reason(length))
    return result


def _damaged_lines(data: bytes) -> dict[int, tuple[int, str]]:
    """The damaged lines of a chunk of whole lines: start -> (end before its LF, reason)."""
    spans: dict[int, tuple[int, str]] = {}

    def take(at: int, reason: str) -> int:
        start = data.rfind(b"\n", 0, at) + 1
        end = data.find(b"\n", at)
        if end < 0:
            end = len(data)
        elif data[end - 1 : end] == b"\r" and at < end - 1:
            end -= 1  # the line's CR LF stays a line end
        spans.setdefault(start, (end, reason))
        return end + 1

    position = 0
    while (match := _TROUBLE.search(data, position)) is not None:
        position = take(match.start(), _REASONS[match.group()[:1]])
    if not data.isascii():
        view = memoryview(data)
        position = 0
        while position < len(data):
            try:
                str(view[position:], "utf-8")
            except UnicodeDecodeError as error:
                position = take(position + error.start, "not valid UTF-8")
            else:
                break
    return spans


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
    two); and it reads lines somewhat longer than the limit it is given, which the exact path
    rejects (:data:`MAX_LINE`). A file holding any of them is read on the exact path, so that a
    line is judged alike whatever else the file holds. Byte searches at memory speed."""
    pending_cr = False
    open_length = 0  # the bytes of the line still open at the end of the last read
    # Small reads into one buffer: each search then runs over bytes still in the CPU's cache
    # (twice as fast as 16 MiB chunks on a 1 GB file). A line inside one read is never long.
    buffer = bytearray(min(1 << 18, MAX_LINE))
    with open_bytes(path, compressed) as stream:
        while size := stream.readinto(buffer):
            chunk = buffer if size == len(buffer) else buffer[:size]
            if not _plain_chunk(chunk, pending_cr):
                return False
            pending_cr = chunk.endswith(b"\r")
            first = chunk.find(b"\n")
            if open_length + (size if first < 0 else first) > MAX_LINE:
                return False
            open_length = open_length + size if first < 0 else size - chunk.rfind(b"\n") - 1
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


_BLANK_LINE = re.compile(rb"\n[ \t\r]*\n|\n[ \t\r]+\Z")
_BLANK_FIRST_LINE = re.compile(rb"[ \t\r]*\n|[ \t\r]+\Z")


def _has_blank_line(data: bytes) -> bool:
    """Whether a chunk of whole lines holds a line of whitespace only (not a record)."""
    return _BLANK_FIRST_LINE.match(data) is not None or _BLANK_LINE.search(data) is not None


def record_lines(path: Path, compressed: bool, ordinals: set[int]) -> dict[int, int]:
    """The physical line of each given record ordinal (1-based) of a JSON Lines file.

    ``read_json`` numbers records, skipping lines that hold only whitespace; the fast path keeps
    that ordinal and asks for the physical line only when a message must name one."""
    return {k: line for k, (line, _) in record_texts(path, compressed, ordinals).items()}


def record_texts(path: Path, compressed: bool, ordinals: set[int]) -> dict[int, tuple[int, bytes]]:
    """The physical line and the bytes (without the line end) of each given record ordinal
    (1-based) of a JSON Lines file (see :func:`record_lines`). A line longer than
    :data:`MAX_LINE` is not held: it is one byte, :data:`MARK` (invalid JSON)."""
    found: dict[int, tuple[int, bytes]] = {}
    if not ordinals:
        return found
    wanted = sorted(ordinals)
    last = wanted[-1]
    record = 0
    line_base = 0
    for data in _whole_lines(path, compressed):
        breaks = data.count(b"\n")
        count = breaks + (0 if data.endswith(b"\n") else 1)
        nxt = wanted[bisect.bisect_right(wanted, record)]
        if nxt > record + count and not _has_blank_line(data):
            # No wanted record in this chunk, and every line of it is a record.
            record += count
            line_base += breaks
            continue
        lines = data.split(b"\n")
        if data.endswith(b"\n"):
            lines.pop()
        for offset, line in enumerate(lines, start=1):
            if line.strip(b" \t\r"):
                record += 1
                if record in ordinals:
                    found[record] = (line_base + offset, line.removesuffix(b"\r"))
                    if record == last:
                        return found
        line_base += data.count(b"\n")
    return found


# A CSV row that DuckDB's strict reader always rejects, whatever the header: text after a
# closing quote (a row of one cell, or of commas, could be a valid row).
_CSV_REJECTED_ROW = b'"' + MARK + b'"' + MARK


CSV_NUL_REASON = "a NUL character, which CSV text cannot hold"


def without_damaged_csv_lines(
    source: LocalInput, workdir: Path, shape: CsvShape | None = None
) -> tuple[LocalInput, dict[int, str]]:
    """A CSV input with each line longer than :data:`MAX_LINE` or holding a NUL replaced by a
    row that DuckDB rejects, and the reasons of those lines; the input itself when it has none
    (searches at memory speed). Such a header line is an error: no row could be read.
    ``shape``, if given, is filled on the same pass (see :class:`CsvShape`)."""
    first, nul = _long_line_or_nul(source.path, source.compressed, shape)
    if first is None and not nul:
        return source, {}
    if first == 1:  # said before the whole file is read
        raise EventDataError(
            f"{source.name}: the header (line 1) is not a CSV header: it is longer than the "
            f"limit of {MAX_LINE_SHOWN} ({MAX_LINE} bytes)",
            file=source.name,
            line=1,
        )
    target = workdir / f"shortened-{source.index}.csv"
    long_lines: dict[int, int] = {}
    reasons: dict[int, str] = {}
    line_base = 0
    with target.open("wb") as out:
        for data in _whole_lines(source.path, source.compressed, long_lines, _CSV_REJECTED_ROW):
            if b"\x00" in data:
                counter = _LineCounter(data, line_base)
                pieces: list[bytes] = []
                kept = 0
                while (at := data.find(b"\x00", kept)) >= 0:
                    start = data.rfind(b"\n", 0, at) + 1
                    end = data.find(b"\n", at)
                    end = len(data) if end < 0 else end
                    reasons[counter.line_at(start)] = CSV_NUL_REASON
                    pieces += [data[kept:start], _CSV_REJECTED_ROW]
                    kept = end
                pieces.append(data[kept:])
                out.write(b"".join(pieces))
            else:
                out.write(data)
            line_base += data.count(b"\n")
    reasons.update({line: long_line_reason(length) for line, length in long_lines.items()})
    if 1 in reasons:
        raise EventDataError(
            f"{source.name}: the header (line 1) is not a CSV header: {reasons[1]}",
            file=source.name,
            line=1,
        )
    return replace(source, path=target, compressed=False), reasons


def _csv_shape(shape: CsvShape, chunk: bytearray, tail: bytes) -> None:
    """Note in ``shape`` what ``chunk`` (after bytes ending with ``tail``) holds. Searches of
    one byte run at memory speed; the search of a line feed pair runs only until one is found."""
    if not shape.nul and b"\0" in chunk:
        shape.nul = True
    if not shape.quote and b'"' in chunk:
        shape.quote = True
    if not shape.empty_line:
        joined = tail + bytes(chunk[:2])
        if b"\n\n" in joined or b"\n\r\n" in joined or b"\n\n" in chunk:
            shape.empty_line = True
        elif b"\r" in chunk and b"\n\r\n" in chunk:
            shape.empty_line = True


def _long_line_or_nul(
    path: Path, compressed: bool, shape: CsvShape | None = None
) -> tuple[int | None, bool]:
    """The first line longer than :data:`MAX_LINE` (or None), and whether the file holds a NUL:
    one pass at memory speed, which stops at the first long line."""
    return first_long_line(path, compressed, nul_found := [False], shape), nul_found[0]

"""JSON records read from a file as a stream, each with the line it starts on.

A JSON file holds records in one of three layouts, told apart by its first characters:

* JSON lines (``.jsonl``): one value a line, read line by line;
* a top-level array (Label Studio's export): its items, read in chunks;
* one pretty-printed object (or several, one after the other): read in chunks.

Only the record being parsed is held in memory, never the whole file, so a 30,000-article
file costs what one article costs. Every problem is a :class:`FormatError` naming the line:
bytes that are not UTF-8, a NUL byte, malformed JSON, nesting deeper than :data:`MAX_NESTING`.

Numbers with more digits than Python converts (``sys.get_int_max_str_digits()``) become
:class:`HugeNumber` instead of stopping the parse, so the reader that validates the record
can name the field that holds one.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from annotator.formats.common import FormatError, HugeNumber, binary_problem, utf8_problem

# Deeper than this is no news record: refuse it before Python's parser hits its recursion limit.
MAX_NESTING = 200
CHUNK = 1 << 20  # bytes read at a time for arrays and pretty-printed objects
_WHITESPACE = " \t\r\n"
# An error this close to the end of what has been read may only mean the value goes on.
_TAIL = 32


_HUGE_SEEN = [0]  # HugeNumbers made so far (a record made none unless this changed while it was parsed)
# A JSON escape that makes half of a surrogate pair: only a record holding one can hold a lone surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")


def _parse_int(literal: str) -> int | HugeNumber:
    limit = sys.get_int_max_str_digits() or 1 << 62
    digits = len(literal.lstrip("-"))
    if digits <= limit:
        return int(literal)
    _HUGE_SEEN[0] += 1
    return HugeNumber(digits)


DECODER = json.JSONDecoder(parse_int=_parse_int)


def loads(text: str, path: str | Path, line: int) -> Any:
    """One JSON value from ``text`` (which starts on ``line``): a FormatError for any problem."""
    try:
        return DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise FormatError(path, line + exc.lineno - 1, f"malformed JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise FormatError(path, line, f"JSON nested more than {MAX_NESTING} levels deep") from None


def iter_json_text(text: str, path: str | Path) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` for each record of JSON held in memory (the same layouts as a file)."""
    text = text.removeprefix("\ufeff")
    stripped = text.lstrip()
    if stripped.startswith("["):
        yield from _Values(_TextSource(text), path, array=True)
        return
    first = True
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if first and stripped.startswith("{") and _continues(line):
            yield from _Values(_TextSource(text), path, array=False)  # one pretty-printed object
            return
        first = False
        yield number, loads(line, path, number)


def _continues(line: str) -> bool:
    """Does the JSON value that starts ``line`` go on past its end (a pretty-printed object)?"""
    try:
        DECODER.decode(line)
    except json.JSONDecodeError as exc:
        return exc.pos >= len(line.rstrip())
    except RecursionError:
        return False
    return False


class JsonFile:
    """The records of a JSON file, streamed: iterate for ``(line, value)``; :meth:`fraction` tells
    how much of the file has been read (for progress). ``plain`` is True while the value just
    yielded can hold nothing the corpus cannot store (no surrogate escape in its JSON, no number
    too long to convert), so that a reader can skip looking for one."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.plain = False
        self._read = 0
        self._size = 1

    def fraction(self) -> float:
        return min(1.0, self._read / self._size)

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            raise FormatError(self.path, None, f"cannot read the file ({exc.strerror or exc})") from None
        with handle:
            self._size = max(1, _size(handle))
            layout = _layout(handle, self.path)
            handle.seek(0)
            if layout == "lines":
                yield from self._lines(handle)
            else:
                yield from self._values(_Values(_FileSource(handle, self.path, self), self.path,
                                                array=layout == "array"))

    def _values(self, values: _Values) -> Iterator[tuple[int, Any]]:
        for item in values:
            self.plain = values.plain
            yield item

    def _lines(self, handle: BinaryIO) -> Iterator[tuple[int, Any]]:
        offset = 0
        first = True
        for number, raw in enumerate(handle, start=1):
            text = _decode_line(raw, number, offset, self.path).removesuffix("\n")  # an error is on this line
            offset += len(raw)
            self._read = offset
            if number == 1:
                text = text.removeprefix("\ufeff")
            if not text.strip():
                continue
            if first and text.lstrip().startswith("{") and _continues(text):
                # not JSON lines: one pretty-printed object (or several) spread over many lines
                handle.seek(0)
                self._read = 0
                yield from self._values(_Values(_FileSource(handle, self.path, self), self.path, array=False))
                return
            first = False
            huge = _HUGE_SEEN[0]
            value = loads(text, self.path, number)
            self.plain = huge == _HUGE_SEEN[0] and not _SURROGATE_ESCAPE_BYTES.search(raw)
            yield number, value


def _size(handle: BinaryIO) -> int:
    try:
        return handle.seek(0, 2)
    finally:
        handle.seek(0)


def _layout(handle: BinaryIO, path: Path) -> str:
    """``"array"`` or ``"lines"`` from the first non-blank character; refuses empty and UTF-16 files."""
    head = handle.read(4)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError(path, 1, "the file is UTF-16; save it as UTF-8")
    handle.seek(0)
    seen_any = False
    while True:
        chunk = handle.read(CHUNK)
        if not chunk:
            raise FormatError(path, 1, "the file holds only whitespace" if seen_any else "the file is empty")
        seen_any = True
        body = chunk.lstrip(b" \t\r\n").removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
        if body:
            return "array" if body.startswith(b"[") else "lines"


def _decode_line(raw: bytes, number: int, offset: int, path: Path) -> str:
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise FormatError(path, number, binary_problem(offset + nul))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(path, number, utf8_problem(raw[exc.start], exc.start + 1)) from None


def _incomplete(exc: json.JSONDecodeError, text: str) -> bool:
    """Did the parse fail only because the value goes on past ``text``?"""
    return exc.msg.startswith("Unterminated string") or exc.pos >= len(text.rstrip()) - _TAIL


class _TextSource:
    """Text already in memory, for :class:`_Values`."""

    def __init__(self, text: str) -> None:
        self._text: str | None = text

    def read(self, size: int = CHUNK) -> str | None:
        text, self._text = self._text, None
        return text


class _FileSource:
    """A file's text in chunks, for :class:`_Values`."""

    def __init__(self, handle: BinaryIO, path: Path, owner: JsonFile) -> None:
        self._handle = handle
        self._path = path
        self._owner = owner
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._offset = 0  # bytes read so far
        self._lines = 0  # newlines in the bytes read so far
        self._column = 0  # bytes since the last newline
        self._first = True

    def read(self, size: int = CHUNK) -> str | None:
        """About ``size`` more bytes of the file as text (None at its end)."""
        data = self._handle.read(max(size, CHUNK))
        if not data:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                raise FormatError(self._path, self._lines + 1, "the file ends inside a UTF-8 character") from None
            return None
        nul = data.find(b"\x00")
        if nul >= 0:
            line = self._lines + data.count(b"\n", 0, nul) + 1
            raise FormatError(self._path, line, binary_problem(self._offset + nul))
        pending = len(self._decoder.getstate()[0])
        try:
            text = self._decoder.decode(data)
        except UnicodeDecodeError as exc:
            at = max(0, exc.start - pending)
            line = self._lines + data.count(b"\n", 0, at) + 1
            last = data.rfind(b"\n", 0, at)
            column = at - last if last >= 0 else self._column + at + 1
            raise FormatError(self._path, line, utf8_problem(data[at], column)) from None
        self._offset += len(data)
        self._owner._read = self._offset
        newlines = data.count(b"\n")
        self._lines += newlines
        last = data.rfind(b"\n")
        self._column = len(data) - last - 1 if last >= 0 else self._column + len(data)
        if self._first:
            text, self._first = text.removeprefix("\ufeff"), False
        return text


class _Values:
    """The values of a top-level array (``array=True``) or a sequence of whitespace-separated JSON
    values, parsed one at a time from a source whose text arrives in pieces."""

    def __init__(self, source: _TextSource | _FileSource, path: str | Path, *, array: bool) -> None:
        self._source = source
        self._path = path
        self._array = array
        self._buffer = ""
        self._pos = 0
        self._line = 1  # line number at self._pos
        self._exhausted = False
        self.plain = False  # see JsonFile.plain

    # -- the buffer -------------------------------------------------------------------------

    def _more(self, grow: bool = False) -> bool:
        """Read more text (``grow``: as much again as the buffer holds, for a value that does not fit
        yet, so that a long value costs a few reads, not one per chunk); False at the end."""
        if self._exhausted:
            return False
        text = self._source.read(len(self._buffer) - self._pos if grow else CHUNK)
        if text is None:
            self._exhausted = True
            return False
        self._buffer = self._buffer[self._pos :] + text
        self._pos = 0
        return True

    def _advance(self, to: int) -> None:
        self._line += self._buffer.count("\n", self._pos, to)
        self._pos = to

    def _skip_space(self) -> str | None:
        """The next non-blank character (not consumed), or None at the end."""
        while True:
            buffer, pos, length = self._buffer, self._pos, len(self._buffer)
            while pos < length and buffer[pos] in _WHITESPACE:
                pos += 1
            self._advance(pos)
            if pos < length:
                return buffer[pos]
            if not self._more():
                return None

    def _error(self, problem: str, line: int | None = None) -> FormatError:
        return FormatError(self._path, line or self._line, problem)

    def _value(self) -> Any:
        """Parse the value at the current position (reading more while it is incomplete)."""
        huge = _HUGE_SEEN[0]
        while True:
            try:
                value, end = DECODER.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as exc:
                if not self._exhausted and _incomplete(exc, self._buffer):
                    if self._more(grow=True):
                        continue
                line = self._line + self._buffer.count("\n", self._pos, exc.pos)
                raise self._error(f"malformed JSON: {exc.msg} (column {exc.colno})", line) from None
            except RecursionError:
                raise self._error(f"JSON nested more than {MAX_NESTING} levels deep") from None
            # a number or literal cut at the end of the buffer parses short: make sure it ended
            if end == len(self._buffer) and not self._exhausted and not isinstance(value, (dict, list, str)):
                if self._more(grow=True):
                    continue
            self.plain = huge == _HUGE_SEEN[0] and not _SURROGATE_ESCAPE.search(self._buffer, self._pos, end)
            self._advance(end)
            return value

    # -- the values ---------------------------------------------------------------------------

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        self._more()
        if self._array:
            yield from self._items()
            return
        while self._skip_space() is not None:
            line = self._line
            yield line, self._value()

    def _items(self) -> Iterator[tuple[int, Any]]:
        if self._skip_space() != "[":
            raise self._error("malformed JSON: expected an array")
        self._advance(self._pos + 1)
        if self._skip_space() == "]":
            self._advance(self._pos + 1)
            self._end()
            return
        while True:
            if self._skip_space() is None:
                raise self._error("malformed JSON: the file ends inside the array")
            line = self._line
            yield line, self._value()
            following = self._skip_space()
            if following == ",":
                self._advance(self._pos + 1)
                continue
            if following == "]":
                self._advance(self._pos + 1)
                self._end()
                return
            if following is None:
                raise self._error("malformed JSON: the file ends inside the array")
            raise self._error("malformed JSON: expected ',' or ']' between array items")

    def _end(self) -> None:
        if self._skip_space() is not None:
            raise self._error("malformed JSON: extra data after the array")

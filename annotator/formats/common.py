"""What every reader shares: decoding a file, line numbers, and checks on spans and labels.

Readers are pure: they turn a file into :class:`~annotator.core.spans.DocumentRecord`
objects (with ``location`` = ``"file:line"``) and raise :class:`FormatError` with one
clear line when the input is wrong. They never touch the store and never modify the
text (only a leading BOM is removed, as everywhere in annotator).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core.spans import Quote, Span
from annotator.core.text import strip_bom


class FormatError(ValueError):
    """Input that cannot be imported. ``str(error)`` is ``"file:line: problem"``."""

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        super().__init__(f"{self.path}:{line}: {problem}" if line is not None else f"{self.path}: {problem}")


@dataclass(frozen=True)
class ReadOptions:
    """Options every reader understands (each uses the ones that apply to it)."""

    split_at_source: bool = False
    text_field: str | None = None
    title_field: str | None = None
    source_field: str | None = None
    language_field: str | None = None
    language: str | None = None  # forced language code for every document
    conll_scheme: str = "auto"  # auto, bio, iob1, biluo
    # Refuse what the reader would otherwise read leniently and list as a warning
    # (a stray I- tag in CoNLL, an overlapping region in Label Studio, ...).
    strict: bool = False
    # CoNLL: group every N sentences of a document into one article (None: as the file marks them).
    sentences_per_doc: int | None = None


# What a reader could not keep as it was, counted in the import summary (DocumentRecord.notes kinds).
NOTE_OVERLAP = "overlapping entities not stored"
NOTE_DUPLICATE = "repeated entities stored once"
NOTE_REJECTED = "rejected or ignored answers (text imported, spans not)"
NOTE_UTF16 = "regions with UTF-16 offsets converted to code points"
NOTE_RELATIONS = "relations kept in the document's metadata"
NOTE_CHOICES = "choices kept in the document's metadata"
NOTE_OTHER_RESULTS = "other Label Studio results kept in the document's metadata"
NOTE_CANCELLED = "cancelled Label Studio annotations (status skipped)"
NOTE_DRAFTS = "unsubmitted Label Studio drafts not imported"


class RecordStream:
    """Records read lazily from a file: iterate once; :meth:`fraction` tells how much of the file
    has been read so far (0 to 1), for progress while a large file is stored."""

    def __init__(self, records: Iterable, fraction: Callable[[], float]) -> None:
        self._records = records
        self.fraction = fraction

    def __iter__(self) -> Iterator:
        return iter(self._records)


def line_of(text: str, index: int) -> int:
    """1-based line number of code-point ``index`` in ``text``."""
    return text.count("\n", 0, index) + 1


def describe_char(ch: str) -> str:
    """``U+200F RIGHT-TO-LEFT MARK`` for a character."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def decode(data: bytes, path: str | Path) -> str:
    """Bytes of a text file -> ``str`` (BOM stripped), or a FormatError naming the bad line."""
    if not data.strip():
        raise FormatError(path, 1, "the file is empty" if not data else "the file holds only whitespace")
    nul = data.find(b"\x00")
    if nul >= 0:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise FormatError(path, 1, "the file is UTF-16; save it as UTF-8")
        raise FormatError(path, data.count(b"\n", 0, nul) + 1, binary_problem(nul))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FormatError(path, line, utf8_problem(data[exc.start], column)) from None
    return strip_bom(text)


def binary_problem(offset: int) -> str:
    return f"binary file (NUL byte at offset {offset}); not a text format"


def utf8_problem(byte: int, column: int) -> str:
    return f"byte 0x{byte:02X} at column {column} is not valid UTF-8; save the file as UTF-8"


def read_text(path: str | Path) -> str:
    """Read and :func:`decode` a file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise FormatError(path, None, f"cannot read the file ({exc.strerror or exc})") from None
    return decode(data, path)


def iter_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """``(line_number, start_offset, line_without_newline)`` for every line of ``text``.

    Only ``\\n`` ends a line (a ``\\r`` before it stays in the line), so offsets are
    exact code-point positions in the unmodified text.
    """
    start = 0
    number = 1
    for match in re.finditer("\n", text):
        yield number, start, text[start : match.start()]
        start = match.end()
        number += 1
    if start < len(text):
        yield number, start, text[start:]


_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_problem(match: re.Match) -> str:
    code = ord(match.group())
    return (
        f"unpaired surrogate U+{code:04X} at character {match.start()} (a lone \\u{code:04x} escape in the file), "
        "which is not valid Unicode"
    )


class HugeNumber:
    """A JSON integer too long for Python to convert (it has ``digits`` digits): what the JSON
    reader puts in its place, so that the field holding it can be named."""

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"<a number with {self.digits:,} digits>"


def unstorable(value: object, path: str) -> str | None:
    """``"path: problem"`` for the first value inside ``value`` that the corpus cannot store: an
    unpaired surrogate (from a JSON ``\\ud800`` escape) in a string or a field name, or a number too
    long to convert (:class:`HugeNumber`); None when everything can be stored."""
    stack: list[tuple[object, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                match = _SURROGATE.search(item)
                if match:
                    return f"{where}: {surrogate_problem(match)}"
        elif isinstance(item, dict):
            children = []
            for key, child in item.items():
                name = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and not key.isascii():
                    match = _SURROGATE.search(key)
                    if match:
                        return f"{name}: the field name holds an {surrogate_problem(match)}"
                children.append((child, name))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(reversed([(child, f"{where}[{i}]") for i, child in enumerate(item)]))
        elif isinstance(item, HugeNumber):
            return f"{where}: a number with {item.digits:,} digits is too long to be stored"
    return None


# Characters that make two label names look equal while they differ: format marks
# (U+200E, U+200F, U+200B, U+FEFF, bidi embeddings), control characters and blanks.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cn", "Zs", "Zl", "Zp"})


def invisible_characters(name: str) -> list[str]:
    return [ch for ch in name if unicodedata.category(ch) in _INVISIBLE_CATEGORIES]


def check_label_name(label: object, path: str | Path, line: int | None, what: str = "label") -> str:
    """A label/tag name must be a non-empty string without invisible or blank characters."""
    if not isinstance(label, str) or not label:
        raise FormatError(path, line, f"{what} must be a non-empty string, not {label!r}")
    surrogate = _SURROGATE.search(label)
    if surrogate:
        raise FormatError(path, line, f"{what} {label!r}: {surrogate_problem(surrogate)}")
    bad = invisible_characters(label)
    if bad:
        raise FormatError(
            path,
            line,
            f"{what} {label!r} contains an invisible or blank character, {describe_char(bad[0])}; "
            "remove it from the file",
        )
    return label


def check_span(span: Span, text: str, path: str | Path, line: int | None, what: str = "span") -> None:
    if not (0 <= span.start < span.end <= len(text)):
        raise FormatError(
            path,
            line,
            f"{what} [{span.start}, {span.end}) {span.label} is outside the text (length {len(text)}) or empty",
        )


def check_span_text(span: Span, expected: str, text: str, path: str | Path, line: int | None, what: str) -> None:
    """The file states the span's text: it must be what the offsets point at."""
    found = text[span.start : span.end]
    if found != expected:
        raise FormatError(
            path,
            line,
            f"{what} [{span.start}, {span.end}) {span.label}: the file gives its text as {expected!r} "
            f"but the document has {found!r} there",
        )


def check_no_overlap(spans: Iterable[Span], path: str | Path, line: int | None) -> None:
    """Entity spans never overlap (identical duplicates are an overlap too)."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    for previous, current in zip(ordered, ordered[1:], strict=False):
        if current.start < previous.end:
            raise FormatError(
                path,
                line,
                f"entity spans overlap: [{previous.start}, {previous.end}) {previous.label} and "
                f"[{current.start}, {current.end}) {current.label}; entities may not overlap",
            )


def check_quote(quote: Quote, text: str, path: str | Path, line: int | None, what: str = "quote") -> None:
    for role, part in quote.parts():
        if not (0 <= part.start < part.end <= len(text)):
            raise FormatError(
                path, line, f"{what} {role} [{part.start}, {part.end}) is outside the text (length {len(text)}) or empty"
            )
    if quote.entity and not (0 <= quote.entity.start < quote.entity.end <= len(text)):
        raise FormatError(
            path,
            line,
            f"{what} entity [{quote.entity.start}, {quote.entity.end}) is outside the text (length {len(text)})",
        )


def keep_non_overlapping(
    spans: list[tuple[str, Span]], path: str | Path, line: int | None, *, strict: bool, whose: str = ""
) -> tuple[list[Span], list[tuple[str, str | None]]]:
    """The entities one set can hold, and notes for the ones it cannot.

    ``spans`` are ``(name, span)`` with the name the file gives each (``spans[2]``, a Label Studio
    region id). An exact repeat is stored once. Of overlapping entities, the longest is kept (then
    the earliest), as spaCy's ``filter_spans`` does; each one left out is listed with its name and
    the one it overlaps. ``strict`` refuses the file at the first overlap instead.
    """
    kept: list[tuple[str, Span]] = []
    notes: list[tuple[str, str | None]] = []
    seen: dict[tuple[int, int, str], str] = {}
    unique = []
    for name, span in spans:
        if span.key in seen:
            notes.append((NOTE_DUPLICATE, None))
            continue
        seen[span.key] = name
        unique.append((name, span))
    for name, span in sorted(unique, key=lambda item: (item[1].start - item[1].end, item[1].start)):
        clash = next(((n, s) for n, s in kept if s.overlaps(span)), None)
        if clash is None:
            kept.append((name, span))
            continue
        other_name, other = clash
        message = (
            f"{whose}{name} [{span.start}, {span.end}) {span.label} overlaps {other_name} "
            f"[{other.start}, {other.end}) {other.label}"
        )
        if strict:
            raise FormatError(path, line, f"{message}; entities may not overlap (--strict refuses the file)")
        location = f"{path}:{line}" if line is not None else str(path)
        notes.append((NOTE_OVERLAP, f"{location}: {message}: not stored (entities may not overlap)"))
    order = {id(span): i for i, (_, span) in enumerate(spans)}
    return [span for _, span in sorted(kept, key=lambda item: order[id(item[1])])], notes

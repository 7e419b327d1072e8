"""What every reader shares: decoding a file, line numbers, and checks on spans and labels.

Readers are pure: they turn a file into :class:`~annotator.core.spans.DocumentRecord`
objects (with ``location`` = ``"file:line"``) and raise :class:`FormatError` with one
clear line when the input is wrong. They never touch the store and never modify the
text (only a leading BOM is removed, as everywhere in annotator).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
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
        raise FormatError(
            path, data.count(b"\n", 0, nul) + 1, f"binary file (NUL byte at offset {nul}); not a text format"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FormatError(
            path,
            line,
            f"byte 0x{data[exc.start]:02X} at column {column} is not valid UTF-8; save the file as UTF-8",
        ) from None
    return strip_bom(text)


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


# Characters that make two label names look equal while they differ: format marks
# (U+200E, U+200F, U+200B, U+FEFF, bidi embeddings), control characters and blanks.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cn", "Zs", "Zl", "Zp"})


def invisible_characters(name: str) -> list[str]:
    return [ch for ch in name if unicodedata.category(ch) in _INVISIBLE_CATEGORIES]


def check_label_name(label: object, path: str | Path, line: int | None, what: str = "label") -> str:
    """A label/tag name must be a non-empty string without invisible or blank characters."""
    if not isinstance(label, str) or not label:
        raise FormatError(path, line, f"{what} must be a non-empty string, not {label!r}")
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

"""Plain-text articles: one article per file, the first non-empty line is its title.

The seed layout is understood without changing a character of the text:

* a headline repeated on the next line as a picture caption (``meta["caption"]``);
* a trailing source line ``المصدر: وكالات`` (``source`` = ``وكالات``, ``meta["source_line"]``);
* NO-BREAK SPACEs and other oddities stay exactly where they are.

With ``split_at_source=True`` a file holding several articles is cut after each
source line: every article is its own slice of the file (blank lines after a source
line belong to the article they end), so the articles concatenate back to the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from annotator.core.spans import DocumentRecord
from annotator.formats.common import FormatError, ReadOptions, iter_lines, read_text

# "المصدر: وكالات" (Arabic "source:"), also "Source: Reuters" and "المصادر :".
SOURCE_LINE = re.compile(r"^\s*(?:المصدر|المصادر|source)\s*[:：]\s*(?P<source>\S.*?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class _Part:
    start: int  # offset of the slice in the file
    end: int
    line: int  # line number where the slice starts
    source: str | None
    source_line: int | None


def _is_blank(line: str) -> bool:
    return not line.strip()  # str.strip() also removes NO-BREAK SPACE


def _split(text: str, split_at_source: bool) -> list[_Part]:
    """Cut ``text`` into article slices that cover it exactly, end to end."""
    parts: list[_Part] = []
    start, start_line = 0, 1
    source: str | None = None
    source_line: int | None = None
    pending_cut = False  # a source line was seen; cut before the next non-blank line
    for number, offset, line in iter_lines(text):
        if pending_cut and not _is_blank(line):
            parts.append(_Part(start, offset, start_line, source, source_line))
            start, start_line, source, source_line, pending_cut = offset, number, None, None, False
        match = SOURCE_LINE.match(line)
        if match:
            source, source_line = match.group("source"), number
            pending_cut = split_at_source
    parts.append(_Part(start, len(text), start_line, source, source_line))
    return parts


def parse_txt(text: str, name: str, options: ReadOptions = ReadOptions()) -> list[DocumentRecord]:
    """Articles in ``text`` (already decoded); ``name`` is used in locations."""
    records = []
    parts = _split(text, options.split_at_source)
    for index, part in enumerate(parts):
        body = text[part.start : part.end]
        if not body.strip():
            continue
        lines = [(n, line) for n, _, line in iter_lines(body) if not _is_blank(line)]
        title = lines[0][1].strip()
        meta: dict = {"file": name}
        if len(parts) > 1:
            meta.update({"part": index + 1, "offset": part.start, "line": part.line})
        if len(lines) > 1 and lines[1][0] == lines[0][0] + 1 and lines[1][1].strip() == title:
            meta["caption"] = title  # the headline repeated as a caption line
        if part.source is not None:
            meta["source_line"] = part.source_line
        records.append(
            DocumentRecord(
                text=body,
                title=title,
                source=part.source,
                language=options.language,
                meta=meta,
                location=f"{name}:{part.line + lines[0][0] - 1}",
            )
        )
    if not records:
        raise FormatError(name, 1, "the file holds no text")
    return records


def read_txt(path: str | Path, options: ReadOptions = ReadOptions()) -> list[DocumentRecord]:
    """Read a ``.txt`` article file (see the module docstring)."""
    return parse_txt(read_text(path), str(path), options)

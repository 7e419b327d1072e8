"""Write an annotation set as WebAnno TSV 3.3, one file per document, for INCEpTION to import.

Each file declares the DKPro Core named-entity layer (``#T_SP=…NamedEntity|identifier|value``),
then every sentence: its ``#Text=`` line(s) and one row per token in the document's own tokens
(``meta["tokens"]`` of a CoNLL / WebAnno import) or the shared tokenizer's, with UTF-16 offsets.
An entity is written on the rows it covers, ``[N]`` tying the rows of a multi-token entity;
an entity that starts or ends inside a token is written on sub-token rows (``S-T.1``), as
INCEpTION writes them, so its offsets survive exactly.

Sentences are the document's own (``meta["sentences"]``) or spaCy's sentencizer's. TSV
cannot record text between sentences (a reader puts a line break there); so that the text
comes back exactly, any other text between two sentences is written as the end of the first.
Only whitespace before the first token cannot be kept (a reader rebuilds it as spaces): the
writer says so for such a document. Quotes have no place in this layout: the writer reports
how many it left out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.offsets import OffsetMap
from annotator.formats.alignment import MisalignedSpan
from annotator.formats.document_tokens import document_doc, document_sentences
from annotator.formats.folder_export import file_name, write_folder
from annotator.formats.inception import NAMED_ENTITY
from annotator.formats.selection import ExportDocument

HEADER = f"#FORMAT=WebAnno TSV 3.3\n#T_SP={NAMED_ENTITY}|identifier|value\n\n\n"
_REPRESENTABLE_GAP = re.compile(r"\n *")  # what a reader rebuilds between two sentences
_VALUE_RESERVED = re.compile(r"\\|\[|\]|\||_|->|;|\t|\n|\*")
_TEXT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", "\b": "\\b", "\\": "\\\\"}
_TEXT_RESERVED = re.compile("[\\\\\t\n\f\r\b\x00-\x07\x0e-\x1f]")


def escape_text(text: str) -> str:
    return _TEXT_RESERVED.sub(lambda m: _TEXT_ESCAPES.get(m.group(0), "\\" + m.group(0)), text)


def escape_value(value: str) -> str:
    return _VALUE_RESERVED.sub(lambda m: {"\t": "\\t", "\n": "\\n"}.get(m.group(0), "\\" + m.group(0)), value)


@dataclass
class _Unit:
    start: int
    end: int
    labels: list[tuple[str, int | None]] = field(default_factory=list)  # (label, [N] reference)
    subunits: list[_Unit] = field(default_factory=list)


@dataclass
class TsvExport:
    """What :func:`write_webanno_tsv` wrote."""

    documents: int = 0
    files: list[Path] = field(default_factory=list)
    entities: int = 0
    quotes_left_out: int = 0
    notes: list[str] = field(default_factory=list)  # what the format could not hold, one line per document
    misaligned: list[MisalignedSpan] = field(default_factory=list)


def _sentence_ranges(text: str, groups: list[list[_Unit]]) -> list[tuple[int, int]]:
    """The text range written for each sentence so that a reader rebuilds ``text`` exactly."""
    ranges = []
    for i, group in enumerate(groups):
        start = group[0].start  # a sentence's text starts at its first token
        end = group[-1].end
        following = groups[i + 1][0].start if i + 1 < len(groups) else len(text)
        gap = text[end:following]
        last = i + 1 == len(groups)
        if (last and gap) or (not last and gap and not _REPRESENTABLE_GAP.fullmatch(gap)):
            end = following
        ranges.append((start, end))
    return ranges


def _place_entities(document: ExportDocument, units: list[_Unit], report: list[MisalignedSpan]) -> int:
    """Attach each entity to the token (or sub-token) units it covers; returns how many were written."""
    reference = 0
    written = 0
    ends = [u.end for u in units]  # units are sorted and do not overlap
    for span in sorted(document.spans, key=lambda s: s.start):
        first = bisect_right(ends, span.start)
        covered = []
        for unit in units[first:]:
            if unit.start >= span.end:
                break
            covered.append(unit)
        if not covered:
            report.append(MisalignedSpan(
                document.id, document.title, "entity", span.label, span.start, span.end,
                document.text[span.start : span.end], None, None, "left out", "covers no token",
            ))
            continue
        pieces: list[_Unit] = []
        for unit in covered:
            start, end = max(unit.start, span.start), min(unit.end, span.end)
            if (start, end) == (unit.start, unit.end):
                pieces.append(unit)
                continue
            sub = next((s for s in unit.subunits if (s.start, s.end) == (start, end)), None)
            if sub is None:
                sub = _Unit(start, end)
                unit.subunits.append(sub)
            pieces.append(sub)
        ref = None
        if len(pieces) > 1:
            reference += 1
            ref = reference
        for piece in pieces:
            piece.labels.append((span.label, ref))
        written += 1
        extent = (pieces[0].start, pieces[-1].end)
        if extent != (span.start, span.end):
            report.append(MisalignedSpan(
                document.id, document.title, "entity", span.label, span.start, span.end,
                document.text[span.start : span.end], extent, document.text[extent[0] : extent[1]],
                "written as its tokens", "starts or ends between tokens",
            ))
    return written


def _columns(labels: list[tuple[str, int | None]]) -> str:
    if not labels:
        return "_\t_"
    suffix = [f"[{ref}]" if ref else "" for _, ref in labels]
    identifier = "|".join("*" + s for s in suffix)
    value = "|".join(escape_value(label) + s for (label, _), s in zip(labels, suffix, strict=True))
    return f"{identifier}\t{value}"


def document_tsv(document: ExportDocument) -> tuple[str, int, list[MisalignedSpan]]:
    """``(file content, entities written, misaligned report)`` of one document."""
    text = document.text
    doc = document_doc(document)
    units = [_Unit(t.idx, t.idx + len(t.text)) for t in doc if not t.is_space]
    report: list[MisalignedSpan] = []
    written = _place_entities(document, units, report)
    groups: list[list[_Unit]] = []
    position = 0
    for start, end in document_sentences(document, doc):
        group = []
        while position < len(units) and units[position].start < end:
            if units[position].start >= start or not groups:
                group.append(units[position])
            else:
                groups[-1].append(units[position])
            position += 1
        if group:
            groups.append(group)
    if position < len(units):
        if groups:
            groups[-1].extend(units[position:])
        else:
            groups.append(units[position:])
    offsets = OffsetMap(text)
    out = [HEADER]
    for number, ((start, end), group) in enumerate(zip(_sentence_ranges(text, groups), groups, strict=True), start=1):
        if number > 1:
            out.append("\n")
        for line in text[start:end].split("\n"):
            out.append(f"#Text={escape_text(line)}\n")
        for index, unit in enumerate(group, start=1):
            u16 = f"{offsets.to_utf16(unit.start)}-{offsets.to_utf16(unit.end)}"
            out.append(f"{number}-{index}\t{u16}\t{escape_text(text[unit.start:unit.end])}\t{_columns(unit.labels)}\t\n")
            for k, sub in enumerate(sorted(unit.subunits, key=lambda s: (s.start, s.end)), start=1):
                u16 = f"{offsets.to_utf16(sub.start)}-{offsets.to_utf16(sub.end)}"
                out.append(
                    f"{number}-{index}.{k}\t{u16}\t{escape_text(text[sub.start:sub.end])}\t{_columns(sub.labels)}\t\n"
                )
    return "".join(out), written, report


def write_webanno_tsv(documents: Iterable[ExportDocument], out_dir: str | Path, *, strict: bool = False,
                      overwrite: bool = False) -> TsvExport:
    """One ``<title>.tsv`` per document in ``out_dir`` (see the module docstring).

    With ``strict``, an entity that cannot be written with its exact offsets raises
    :class:`~annotator.formats.spacy_writer.ExportError` and nothing is written.
    """
    result = TsvExport()

    def write(folder: Path) -> None:
        taken: set[str] = set()
        for document in documents:
            content, written, report = document_tsv(document)
            path = folder / file_name(document, taken, ".tsv")
            path.write_text(content, encoding="utf-8")
            result.files.append(Path(out_dir) / path.name)
            result.documents += 1
            result.entities += written
            result.quotes_left_out += len(document.quotes)
            result.misaligned.extend(report)
            leading = document.text[: len(document.text) - len(document.text.lstrip())]
            if leading.strip(" "):
                result.notes.append(
                    f"document {document.id} ({path.name}): its text starts with {leading!r}, which WebAnno TSV "
                    "cannot record; a re-import starts it with as many spaces"
                )
        if strict and result.misaligned:
            from annotator.formats.spacy_writer import ExportError

            raise ExportError(
                f"{len(result.misaligned)} entities cannot be written with their exact offsets; nothing was written "
                "(--strict)", result.misaligned,
            )

    write_folder(out_dir, write, overwrite=overwrite)
    return result

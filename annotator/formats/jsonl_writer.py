"""Export an annotation set as Prodigy-compatible JSONL, quotes included.

One record a line::

    {"text": ..., "meta": {"title", "source", "language", "direction", "document_id",
     "content_hash", "status", ...the document's own metadata},
     "_input_hash": int, "_task_hash": int, "answer": "accept", "annotator": "amira",
     "tokens": [{"text", "start", "end", "id", "ws"}],
     "spans": [{"start", "end", "label", "token_start", "token_end"}],
     "quotes": [{"type", "contents": [[s, e], ...], "cue": [s, e] | null,
                 "sources": [[s, e], ...], "entity": [s, e] | null}]}

Offsets are code points of ``text`` and are written exactly as stored, so importing the
file gives back the same spans and quotes. Tokens come from the shared tokenizer;
``token_end`` is inclusive (Prodigy's convention). For a span that does not align with
the tokens, ``token_start``/``token_end`` give the nearest aligned tokens and the span
is listed in the misalignment report (``--strict`` refuses to write).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from annotator.formats.alignment import Aligner, MisalignedSpan
from annotator.formats.document_tokens import document_doc
from annotator.formats.selection import ExportDocument, Selection
from annotator.formats.text_export import TextExportSummary, export_text, write_text_export
from annotator.store import Corpus


def _hash32(value: str) -> int:
    """A stable signed 32-bit hash (the range Prodigy's hashes use)."""
    return int.from_bytes(hashlib.sha256(value.encode("utf-8")).digest()[:4], "big", signed=True)


def document_record(document: ExportDocument, with_tokens: bool = True) -> tuple[dict, list[MisalignedSpan]]:
    """The JSONL record of one document, and its misaligned spans.

    ``with_tokens=False`` leaves out ``tokens`` and the spans' token indices: no
    tokenizer runs (tokenizing is most of the export's time), so nothing is checked
    for alignment either. The record still imports back unchanged.
    """
    aligner = None
    if with_tokens:
        doc = document_doc(document)
        aligner = Aligner(doc, document.id, document.title, "expand")
    spans = []
    for span in document.spans:
        item: dict = {"start": span.start, "end": span.end, "label": span.label}
        found = aligner.token_range(span.start, span.end, "entity", span.label) if aligner else None
        if found is not None:
            item["token_start"], item["token_end"] = found[0], found[1] - 1
        spans.append(item)
    quotes = []
    for quote in document.quotes:
        for role, part in quote.parts():
            if aligner:
                aligner.token_range(part.start, part.end, f"quote {role}", quote.type if role == "content" else role)
        quotes.append(
            {
                "type": quote.type,
                "contents": [[r.start, r.end] for r in quote.contents],
                "cue": [quote.cue.start, quote.cue.end] if quote.cue else None,
                "sources": [[r.start, r.end] for r in quote.sources],
                "entity": [quote.entity.start, quote.entity.end] if quote.entity else None,
            }
        )
    meta = {
        **document.meta,
        "title": document.title,
        "source": document.source,
        "language": document.language,
        "direction": document.direction,
        "document_id": document.id,
        "content_hash": document.content_hash,
        "status": document.status,
    }
    input_hash = _hash32(document.text)
    task_key = json.dumps([input_hash, [[s["start"], s["end"], s["label"]] for s in spans], quotes])
    record = {
        "text": document.text,
        "meta": meta,
        "_input_hash": input_hash,
        "_task_hash": _hash32(task_key),
        "answer": "accept",
        "annotator": document.annotator,
        "spans": spans,
        "quotes": quotes,
    }
    if aligner is None:
        return record, []
    record["tokens"] = [
        {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
        for t in aligner.doc
    ]
    return record, aligner.report


def render_jsonl(document: ExportDocument, with_tokens: bool = True) -> tuple[str, list[MisalignedSpan]]:
    """One JSONL line (the record of :func:`document_record`) and the document's misaligned spans."""
    record, report = document_record(document, with_tokens)
    return json.dumps(record, ensure_ascii=False) + "\n", report


def write_jsonl(
    documents: Iterable[ExportDocument], path: str | Path, *, strict: bool = False, with_tokens: bool = True,
    overwrite: bool = True,
) -> tuple[int, list[MisalignedSpan]]:
    """Write one record per document; returns (documents written, misaligned spans).

    With ``strict``, a misaligned span raises :class:`~annotator.formats.spacy_writer.ExportError` and no file is written.
    """
    return write_text_export(documents, path, partial(render_jsonl, with_tokens=with_tokens), strict=strict,
                             overwrite=overwrite)


def export_jsonl(corpus: Corpus, path: str | Path, selection: Selection, *, with_tokens: bool = True,
                 **options) -> TextExportSummary:
    """Stream the selection from ``corpus`` into ``path`` (options of :func:`~annotator.formats.text_export.export_text`)."""
    return export_text(corpus, path, selection, partial(render_jsonl, with_tokens=with_tokens), **options)

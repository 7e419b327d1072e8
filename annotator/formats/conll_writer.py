"""Export entities as CoNLL-2003-style BIO, in the document's own tokens or the shared tokenizer's.

Four space-separated columns, ``TOKEN -X- _ TAG`` (the layout ``spacy convert -c ner``
and most NER tools read), one token a line; a blank line at every paragraph break
(whitespace tokens holding a newline) and ``-DOCSTART- -X- O O`` before every document:
the delimiter ``spacy convert`` splits documents on. A document imported from CoNLL or
WebAnno TSV is written in its original tokens (:mod:`annotator.formats.document_tokens`). Whitespace tokens are not written; whitespace inside a token is written as
``_`` so the columns stay intact. Misaligned entities follow the export policy
(expanded to whole tokens by default) and are reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from spacy.tokens import Doc

from annotator.formats.alignment import MisalignedSpan
from annotator.formats.selection import ExportDocument, Selection
from annotator.formats.spacy_writer import entity_doc
from annotator.formats.text_export import TextExportSummary, export_text, write_text_export
from annotator.store import Corpus

DOCSTART = "-DOCSTART- -X- O O"  # spaCy's document delimiter (spacy convert -c ner)
_WHITESPACE = re.compile(r"\s")


def bio_lines(doc: Doc) -> list[str]:
    """``TOKEN -X- _ TAG`` lines for one Doc, blank lines between paragraphs."""
    lines: list[str] = []
    for token in doc:
        if token.is_space:
            if "\n" in token.text and lines and lines[-1]:
                lines.append("")
            continue
        tag = f"{token.ent_iob_}-{token.ent_type_}" if token.ent_type_ else "O"
        lines.append(f"{_WHITESPACE.sub('_', token.text)} -X- _ {tag}")
    while lines and not lines[-1]:
        lines.pop()
    return lines


def render_conll(document: ExportDocument, policy: str = "expand") -> tuple[str, list[MisalignedSpan]]:
    """One document's ``-DOCSTART-`` section and its misaligned entities."""
    doc, report = entity_doc(document, policy)
    body = bio_lines(doc)
    return DOCSTART + "\n\n" + ("\n".join(body) + "\n\n" if body else ""), report


def write_conll(
    documents: Iterable[ExportDocument], path: str | Path, *, policy: str = "expand", strict: bool = False,
    overwrite: bool = True,
) -> tuple[int, list[MisalignedSpan]]:
    """Write the documents' entities as BIO; returns (documents written, misaligned spans).

    With ``strict``, a misaligned span raises :class:`~annotator.formats.spacy_writer.ExportError` and no file is written.
    """
    return write_text_export(documents, path, partial(render_conll, policy=policy), strict=strict,
                             overwrite=overwrite)


def export_conll(corpus: Corpus, path: str | Path, selection: Selection, *, policy: str = "expand",
                 **options) -> TextExportSummary:
    """Stream the selection from ``corpus`` into ``path`` (options of :func:`~annotator.formats.text_export.export_text`)."""
    return export_text(corpus, path, selection, partial(render_conll, policy=policy), **options)

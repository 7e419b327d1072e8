"""Write an annotation set as UIMA CAS XMI or CAS JSON with dkpro-cassis, one file per document.

Each CAS holds the text (``sofaString``, exactly as stored), a ``DocumentMetaData`` with the
title and the annotator's id for the document, the sentences and tokens (the document's own
from a CoNLL / WebAnno / CAS import, else the shared tokenizer's and spaCy's sentencizer's),
and one DKPro Core ``NamedEntity`` per entity with its label in ``value``: the types
INCEpTION's named-entity layer uses, so the files import into an INCEpTION project as its
annotations. XMI files get the ``TypeSystem.xml`` INCEpTION writes beside them; CAS JSON
carries the types it uses. cassis converts offsets to UTF-16. Quotes are not written
(INCEpTION has no built-in quote layer): the export reports how many were left out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.formats.document_tokens import document_doc, document_sentences
from annotator.formats.folder_export import file_name, write_folder
from annotator.formats.inception import DOCUMENT_METADATA, NAMED_ENTITY, SENTENCE, TOKEN
from annotator.formats.selection import ExportDocument

FORMATS = {"xmi": ".xmi", "cas-json": ".json"}
# Characters XML 1.0 cannot hold (3 of the 1,971 shared articles carry U+001A): such an article is not
# written as XMI, and the export says so; CAS JSON and WebAnno TSV hold them.
_NOT_XML10 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TYPESYSTEM_FILE = "TypeSystem.xml"


@dataclass
class CasExport:
    """What :func:`write_uima_cas` wrote."""

    documents: int = 0
    files: list[Path] = field(default_factory=list)
    entities: int = 0
    quotes_left_out: int = 0
    notes: list[str] = field(default_factory=list)  # documents not written, one line each


def typesystem():
    """The DKPro Core types the export uses, with their INCEpTION names and features."""
    import cassis

    ts = cassis.TypeSystem()
    metadata = ts.create_type(DOCUMENT_METADATA, supertypeName="uima.tcas.DocumentAnnotation")
    for feature in ("documentTitle", "documentId", "documentUri", "collectionId", "documentBaseUri"):
        ts.create_feature(metadata, feature, "uima.cas.String")
    ts.create_feature(metadata, "isLastSegment", "uima.cas.Boolean")
    sentence = ts.create_type(SENTENCE)
    ts.create_feature(sentence, "id", "uima.cas.String")
    ts.create_type(TOKEN)
    entity = ts.create_type(NAMED_ENTITY)
    ts.create_feature(entity, "value", "uima.cas.String")
    ts.create_feature(entity, "identifier", "uima.cas.String")
    return ts


def document_cas(document: ExportDocument, ts):
    """The CAS of one document."""
    import cassis

    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = document.text
    cas.sofa_mime = "text"
    Metadata, Sentence, Token, Entity = (ts.get_type(t) for t in (DOCUMENT_METADATA, SENTENCE, TOKEN, NAMED_ENTITY))
    cas.add(Metadata(begin=0, end=len(document.text), language=document.language,
                     documentTitle=document.title or f"document {document.id}", documentId=document.annotator,
                     isLastSegment=False))
    doc = document_doc(document)
    for start, end in document_sentences(document, doc):
        cas.add(Sentence(begin=start, end=end))
    for token in doc:
        if not token.is_space:
            cas.add(Token(begin=token.idx, end=token.idx + len(token.text)))
    for span in sorted(document.spans, key=lambda s: s.start):
        cas.add(Entity(begin=span.start, end=span.end, value=span.label))
    return cas


def xml_problem(document: ExportDocument) -> str | None:
    """Why the document cannot be written as XML 1.0, or ``None``."""
    for what, value in (("text", document.text), ("title", document.title or "")):
        found = _NOT_XML10.search(value)
        if found:
            ch = found.group(0)
            name = unicodedata.name(ch, "a control character")
            return f"its {what} holds U+{ord(ch):04X} ({name}) at offset {found.start()}, which XML 1.0 cannot hold"
    return None


def write_uima_cas(
    documents: Iterable[ExportDocument], out_dir: str | Path, fmt: str = "xmi", *, strict: bool = False,
    overwrite: bool = False,
) -> CasExport:
    """One ``<title>.xmi`` (plus ``TypeSystem.xml``) or ``<title>.json`` per document in ``out_dir``.

    A document XML 1.0 cannot hold is not written as XMI and is listed in ``notes``; with
    ``strict`` that raises :class:`~annotator.formats.spacy_writer.ExportError` and nothing is written.
    """
    from cassis.typesystem import TypeSystemMode

    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}")
    ts = typesystem()
    result = CasExport()

    def write(folder: Path) -> None:
        taken: set[str] = {TYPESYSTEM_FILE.lower()}
        for document in documents:
            problem = xml_problem(document) if fmt == "xmi" else None
            if problem:
                result.notes.append(f"document {document.id} ({document.title or 'untitled'}): {problem}; not "
                                    "written (export cas-json or webanno keeps it)")
                continue
            cas = document_cas(document, ts)
            path = folder / file_name(document, taken, FORMATS[fmt])
            if fmt == "xmi":
                cas.to_xmi(path, pretty_print=True)
            else:
                cas.to_json(path, pretty_print=True, type_system_mode=TypeSystemMode.MINIMAL)
            result.files.append(Path(out_dir) / path.name)
            result.documents += 1
            result.entities += len(document.spans)
            result.quotes_left_out += len(document.quotes)
        if strict and result.notes:
            from annotator.formats.spacy_writer import ExportError

            raise ExportError(f"{len(result.notes)} documents cannot be written as XMI; nothing was written (--strict)")
        if fmt == "xmi":
            ts.to_xml(folder / TYPESYSTEM_FILE)

    write_folder(out_dir, write, overwrite=overwrite)
    return result

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

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.formats.document_tokens import document_doc, document_sentences
from annotator.formats.folder_export import file_name, write_folder
from annotator.formats.inception import DOCUMENT_METADATA, NAMED_ENTITY, SENTENCE, TOKEN
from annotator.formats.selection import ExportDocument

FORMATS = {"xmi": ".xmi", "cas-json": ".json"}
TYPESYSTEM_FILE = "TypeSystem.xml"


@dataclass
class CasExport:
    """What :func:`write_uima_cas` wrote."""

    documents: int = 0
    files: list[Path] = field(default_factory=list)
    entities: int = 0
    quotes_left_out: int = 0


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


def write_uima_cas(documents: Iterable[ExportDocument], out_dir: str | Path, fmt: str = "xmi") -> CasExport:
    """One ``<title>.xmi`` (plus ``TypeSystem.xml``) or ``<title>.json`` per document in ``out_dir``."""
    from cassis.typesystem import TypeSystemMode

    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}")
    ts = typesystem()
    result = CasExport()

    def write(folder: Path) -> None:
        taken: set[str] = {TYPESYSTEM_FILE.lower()}
        for document in documents:
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
        if fmt == "xmi":
            ts.to_xml(folder / TYPESYSTEM_FILE)

    write_folder(out_dir, write)
    return result

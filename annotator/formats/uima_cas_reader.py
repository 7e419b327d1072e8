"""UIMA CAS XMI and CAS JSON (INCEpTION's "UIMA CAS XMI" and "UIMA CAS JSON" exports), read with dkpro-cassis.

cassis parses the file and converts its UTF-16 offsets to code points. A CAS JSON file
carries its type system; an XMI file is read with the ``TypeSystem.xml`` beside it (what
INCEpTION writes next to its XMI files), else with the DKPro Core type system cassis ships,
and annotations of types neither knows are counted and listed rather than guessed at.

From the text view (``_InitialView``): the text (``sofaString``, stored exactly), named
entities (``…ner.type.NamedEntity``, label in ``value``), sentences and tokens (DKPro Core
``Sentence``/``Token`` -> ``meta["sentences"]``/``meta["tokens"]``), and the title from
``DocumentMetaData.documentTitle``. Every other annotation type is listed with its count in
the import summary. XML with a document type declaration is refused before parsing (UIMA
never writes one; it is how entity-expansion attacks start).
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from functools import lru_cache
from pathlib import Path

from annotator.core.spans import DocumentRecord
from annotator.formats.common import FormatError, ReadOptions, decode
from annotator.formats.inception import (
    DOCUMENT_METADATA,
    NAMED_ENTITY,
    SENTENCE,
    TOKEN,
    FileEntity,
    entity_spans,
    project_layout,
    sorted_bounds,
)

TYPESYSTEM_NAMES = ("TypeSystem.xml", "typesystem.xml", "typeSystem.xml")
_CAS_JSON = re.compile(r'^\s*\{\s*"%(?:TYPES|FEATURE_STRUCTURES|VIEWS)"')
_XMI_ROOT = re.compile(r"<(?:[\w.-]+:)?XMI[\s>]")
# Types every CAS has, or that say nothing a corpus keeps: not listed as "not imported".
_STRUCTURAL = {
    "uima.cas.Sofa", "uima.tcas.DocumentAnnotation", DOCUMENT_METADATA, SENTENCE, TOKEN, NAMED_ENTITY,
    "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.TagsetDescription",
}
TAGSET_DESCRIPTION = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.TagsetDescription"


def is_cas_json(text: str) -> bool:
    return bool(_CAS_JSON.match(text[:2000]))


def is_xmi(text: str) -> bool:
    head = text[:4000].lstrip("\ufeff \t\r\n")
    return head.startswith("<") and bool(_XMI_ROOT.search(head)) and "http://www.omg.org/XMI" in head


def dkpro_typesystem():
    """cassis' DKPro Core type system with the metadata types INCEpTION writes into every CAS."""
    import cassis

    with warnings.catch_warnings():  # cassis reads its resource file through a deprecated importlib API
        warnings.simplefilter("ignore", DeprecationWarning)
        typesystem = cassis.load_dkpro_core_typesystem()
    if not typesystem.contains_type(DOCUMENT_METADATA):
        metadata = typesystem.create_type(DOCUMENT_METADATA, supertypeName="uima.tcas.DocumentAnnotation")
        for feature in ("documentTitle", "documentId", "documentUri", "collectionId", "documentBaseUri"):
            typesystem.create_feature(metadata, feature, "uima.cas.String")
        typesystem.create_feature(metadata, "isLastSegment", "uima.cas.Boolean")
    if not typesystem.contains_type(TAGSET_DESCRIPTION):
        tagset = typesystem.create_type(TAGSET_DESCRIPTION)
        for feature in ("layer", "name"):
            typesystem.create_feature(tagset, feature, "uima.cas.String")
        typesystem.create_feature(tagset, "input", "uima.cas.Boolean")
    return typesystem


@lru_cache(maxsize=1)
def _fallback_typesystem():
    return dkpro_typesystem()


def _refuse_doctype(text: str, name: str) -> None:
    head = text[:4000]
    if "<!DOCTYPE" in head or "<!ENTITY" in head:
        line = head.count("\n", 0, max(head.find("<!DOCTYPE"), head.find("<!ENTITY"))) + 1
        raise FormatError(name, line, "XML with a document type or entity declaration is not read (UIMA never writes one)")


def _typesystem_beside(path: Path, name: str):
    """The type system of the ``TypeSystem.xml`` next to ``path`` (loaded once per file and version:
    a folder of INCEpTION XMI files shares one), or ``(None, None)``."""
    for candidate in TYPESYSTEM_NAMES:
        file = path.with_name(candidate)
        if file.is_file():
            stat = file.stat()
            return _load_typesystem(str(file.resolve()), stat.st_mtime_ns, stat.st_size), file
    return None, None


@lru_cache(maxsize=8)
def _load_typesystem(file: str, _mtime_ns: int, _size: int):
    import cassis

    content = decode(Path(file).read_bytes(), file)
    _refuse_doctype(content, file)
    try:
        return cassis.load_typesystem(content)
    except Exception as exc:  # cassis raises many kinds; one line, never a traceback
        raise FormatError(file, None, f"not a readable UIMA type system ({_describe(exc)})") from None


@lru_cache(maxsize=8)
def _declared_typesystem(types_json: str):
    """A type system holding exactly the types a CAS JSON declares (shared by files declaring the same)."""
    import cassis

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        empty = json.dumps({"%TYPES": json.loads(types_json), "%FEATURE_STRUCTURES": [], "%VIEWS": {}})
        return cassis.load_cas_from_json(empty, typesystem=cassis.TypeSystem(), lenient=True).typesystem


def _describe(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _xml_line(exc: Exception) -> int | None:
    position = getattr(exc, "position", None)
    return getattr(exc, "lineno", None) or (position[0] if position else None)


def _load(text: str, path: Path, fmt: str):
    """``(cas, type system note)``."""
    import cassis

    name = str(path)
    try:
        if fmt == "cas-json":
            # The file's own types (%TYPES); DKPro Core's for the ones it uses without declaring them.
            data = json.loads(text)
            declared = set(data.get("%TYPES") or {}) if isinstance(data, dict) else set()
            structures = data.get("%FEATURE_STRUCTURES") if isinstance(data, dict) else None
            used = {fs.get("%TYPE") for fs in structures if isinstance(fs, dict)} if isinstance(structures, list) else set()
            undeclared = {t for t in used - declared if isinstance(t, str) and not t.startswith("uima.")}
            with warnings.catch_warnings():  # what lenient reading skips is counted and listed by the caller
                warnings.simplefilter("ignore")
                if undeclared:
                    note = "types it uses without declaring them read as DKPro Core's"
                    return cassis.load_cas_from_json(text, typesystem=dkpro_typesystem(), lenient=True), note
                types = json.dumps(data.get("%TYPES") or {}, sort_keys=True)
                return cassis.load_cas_from_json(
                    text, typesystem=_declared_typesystem(types), lenient=True, merge_typesystem=False
                ), None
        _refuse_doctype(text, name)
        typesystem, source = _typesystem_beside(path, name)
        note = None
        if typesystem is None:
            typesystem = _fallback_typesystem()
            note = "no TypeSystem.xml beside the file: read with the DKPro Core type system"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return cassis.load_cas_from_xmi(text, typesystem=typesystem, lenient=True), note
    except FormatError:
        raise
    except Exception as exc:  # lxml, json and cassis errors: one clear line
        kind = "CAS JSON" if fmt == "cas-json" else "UIMA CAS XMI"
        raise FormatError(name, _xml_line(exc), f"not a readable {kind} file ({_describe(exc)})") from None


def _unknown_elements(text: str, typesystem) -> Counter:
    """XMI elements of types the type system lacks (lenient parsing skips them)."""
    namespaces = dict(re.findall(r'xmlns:([\w.-]+)="http:///([^"]+)\.ecore"', text[:20000]))
    found: Counter = Counter()
    for prefix, local in re.findall(r"<([\w.-]+):([\w.-]+)[\s/>]", text):
        if prefix in ("xmi", "cas") or prefix not in namespaces:
            continue
        type_name = namespaces[prefix].replace("/", ".") + "." + local
        if not typesystem.contains_type(type_name):
            found[type_name] += 1
    return found


def parse_uima_cas(text: str, name: str, options: ReadOptions = ReadOptions(), fmt: str | None = None) -> list[DocumentRecord]:
    """One document from a UIMA CAS XMI or CAS JSON file (``fmt`` ``"xmi"``/``"cas-json"``, else sniffed)."""
    path = Path(name)
    fmt = fmt or ("cas-json" if is_cas_json(text) else "xmi")
    if fmt == "cas-json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormatError(name, exc.lineno, f"not valid JSON ({exc.msg}, column {exc.colno})") from None
    cas, note = _load(text, path, fmt)
    notes = [f"{name}: {note}"] if note else []
    if fmt == "xmi":
        for type_name, count in sorted(_unknown_elements(text, cas.typesystem).items()):
            notes.append(f"{name}: {count} annotation{'s' if count != 1 else ''} of type {type_name} not read "
                            "(not in the type system)")
    try:
        view = cas.get_view("_InitialView")
    except Exception:
        view = cas
    document = view.sofa_string or ""
    if not document.strip():
        raise FormatError(name, None, "the CAS has no text (its _InitialView sofaString is empty)")

    def select(type_name: str) -> list:
        return list(view.select(type_name)) if cas.typesystem.contains_type(type_name) else []

    entities = [
        FileEntity(a.begin, a.end, getattr(a, "value", None), getattr(a, "identifier", None), None)
        for a in select(NAMED_ENTITY)
    ]
    spans, entity_warnings = entity_spans(entities, document, name, options.strict)
    notes.extend(entity_warnings)
    others: Counter = Counter()
    for annotation in view.select_all_annotations():
        type_name = annotation.type.name
        if type_name not in _STRUCTURAL:
            others[type_name] += 1
    for type_name, count in sorted(others.items()):
        notes.append(f"{name}: {count} {type_name} annotation{'s' if count != 1 else ''} not imported "
                        f"(annotator imports the named entities of {NAMED_ENTITY})")
    other_views = [v.sofa.sofaID for v in cas.views if v.sofa.sofaID != "_InitialView" and v.sofa.sofaString]
    if other_views:
        notes.append(f"{name}: the text of the other views ({', '.join(other_views)}) is not imported")
    meta: dict = {"file": name, "format": "uima-cas-json" if fmt == "cas-json" else "uima-cas-xmi"}
    sentences = sorted_bounds(((s.begin, s.end) for s in select(SENTENCE)), len(document))
    if sentences:
        meta["sentences"] = sentences
    elif select(SENTENCE):
        notes.append(f"{name}: the sentences overlap or leave the text; they are not kept")
    tokens = sorted_bounds(((t.begin, t.end) for t in select(TOKEN)), len(document))
    if tokens:
        meta["tokens"] = tokens
    elif select(TOKEN):
        notes.append(f"{name}: the tokens overlap or leave the text; the original tokenization is not kept")
    title = None
    for metadata in select(DOCUMENT_METADATA):
        title = getattr(metadata, "documentTitle", None) or title
    annotator, document_name = project_layout(name)
    language = options.language
    return [
        DocumentRecord(
            text=document,
            title=title or document_name or path.stem,
            language=language,
            meta=meta,
            spans=spans,
            annotator=annotator,
            location=f"{name}:1",
            warnings=notes,
        )
    ]

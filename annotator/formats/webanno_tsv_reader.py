"""WebAnno TSV 3.x (INCEpTION's and WebAnno's TSV export), read as the format is documented.

dkpro-cassis reads UIMA CAS XMI and JSON but not TSV, so this module reads the documented
format (INCEpTION user guide, "WebAnno TSV 3.3 File format"):

* a ``#FORMAT=WebAnno TSV 3.x`` line, then the layers: ``#T_SP=type|feature|…`` (span),
  ``#T_CH=`` (chain), ``#T_RL=`` (relation); each feature is one column of the body (a layer
  without features has one placeholder column);
* per sentence, its text in ``#Text=`` lines (a sentence holding a line break has several),
  then one row per token, ``S-T<TAB>begin-end<TAB>token<TAB>columns…``, and per sub-token
  ``S-T.N``; offsets count UTF-16 units (converted here to code points);
* a column holds ``_`` (no annotation), ``*`` (an annotation whose feature is empty), or the
  value; ``|`` separates stacked annotations and ``[N]`` ties the rows of one annotation
  that covers several tokens; ``\\`` escapes the reserved characters.

The document text is rebuilt as INCEpTION rebuilds it: sentences in order, a line break after
each, spaces where the next sentence starts further on; the line break after the last
sentence is the format's, not the document's, and is left out. Named entities
(``…ner.type.NamedEntity``, label in ``value``) become the set's entities; tokens and
sentences go to ``meta["tokens"]`` and ``meta["sentences"]``; every other layer is listed
with its count in the import summary, never read silently as something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.offsets import OffsetMap, utf16_length
from annotator.core.spans import DocumentRecord
from annotator.formats.common import FormatError, ReadOptions, iter_lines, read_text
from annotator.formats.inception import NAMED_ENTITY, FileEntity, entity_spans, project_layout, sorted_bounds

FORMAT_PREFIX = "#FORMAT=WebAnno TSV"
_FORMAT = re.compile(r"^#FORMAT=WebAnno TSV (\d+)\.(\d+)\s*$")
_LAYER = re.compile(r"^#T_(SP|CH|RL)=(.*)$")
_UNIT_ID = re.compile(r"^(\d+)-(\d+)(?:\.(\d+))?$")
_OFFSETS = re.compile(r"^(\d+)-(\d+)$")
_STACK = re.compile(r"(?<!\\)\|")
_TEXT_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_JAVA_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)  # TSV 3.0 and 3.1 escape text as Java does
_VALUE_ESCAPE = re.compile(r"\\(->|.)", re.DOTALL)
_TEXT_ESCAPES = {"t": "\t", "n": "\n", "f": "\f", "r": "\r", "b": "\b", "\\": "\\"}
_VALUE_ESCAPES = {"t": "\t", "n": "\n"}
LAYER_KINDS = {"SP": "span", "CH": "chain", "RL": "relation"}


@dataclass
class Layer:
    kind: str  # "span", "chain", "relation"
    type_name: str
    features: list[str]
    column: int  # index of its first column among the annotation columns

    @property
    def width(self) -> int:
        return max(1, len(self.features))


@dataclass
class _Unit:
    line: int
    begin: int  # UTF-16
    end: int
    token: str
    columns: list[str]
    subtoken: bool


@dataclass
class _Sentence:
    line: int
    parts: list[str] = field(default_factory=list)
    units: list[_Unit] = field(default_factory=list)


def unescape_text(value: str, java: bool = False) -> str:
    """Sentence and token text (``\\t``, ``\\n``, ``\\r``, ``\\\\``, and ``\\`` before a control character;
    with ``java`` (TSV 3.0, 3.1) also ``\\uXXXX``)."""
    if java:
        return _JAVA_ESCAPE.sub(
            lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) == 5 else _TEXT_ESCAPES.get(m.group(1), m.group(1)),
            value,
        )
    return _TEXT_ESCAPE.sub(lambda m: _TEXT_ESCAPES.get(m.group(1), m.group(1)), value)


def unescape_value(value: str) -> str:
    """A feature value (``\\[``, ``\\]``, ``\\|``, ``\\_``, ``\\->``, ``\\;``, ``\\*``, ``\\t``, ``\\n``, ``\\\\``)."""
    return _VALUE_ESCAPE.sub(lambda m: _VALUE_ESCAPES.get(m.group(1), m.group(1)), value)


def is_webanno_tsv(text: str) -> bool:
    return text.lstrip("\ufeff").startswith(FORMAT_PREFIX)


def _header(lines: list[tuple[int, str]], name: str) -> tuple[list[Layer], int, int]:
    """The layers, the index of the first body line and the format's minor version."""
    number, first = lines[0]
    match = _FORMAT.match(first)
    if not match:
        raise FormatError(name, number, f"expected '#FORMAT=WebAnno TSV 3.x' as the first line, got {first[:60]!r}")
    if match.group(1) != "3":
        raise FormatError(
            name, number, f"WebAnno TSV {match.group(1)}.{match.group(2)} is not read; export as WebAnno TSV 3.3"
        )
    layers: list[Layer] = []
    column = 0
    index = 1
    while index < len(lines):
        number, line = lines[index]
        layer = _LAYER.match(line)
        if not layer:
            break
        fields = layer.group(2).split("|")
        type_name = fields[0].strip()
        if not type_name:
            raise FormatError(name, number, f"layer declaration without a type name: {line!r}")
        features = [f for f in fields[1:]]
        layers.append(Layer(LAYER_KINDS[layer.group(1)], type_name, features, column))
        column += max(1, len(features))
        index += 1
    return layers, index, int(match.group(2))


def _body(lines: list[tuple[int, str]], start: int, width: int, name: str, java: bool = False) -> list[_Sentence]:
    sentences: list[_Sentence] = []
    current: _Sentence | None = None
    for number, line in lines[start:]:
        if not line.strip():
            if current is not None and current.units:
                current = None
            continue
        if line.startswith("#"):
            if current is not None and current.units:
                raise FormatError(name, number, "a sentence header after token rows; a blank line must end a sentence")
            if current is None:
                current = _Sentence(line=number)
                sentences.append(current)
            if line.startswith("#Text="):
                current.parts.append(unescape_text(line[len("#Text=") :], java))
            continue  # #Sentence.id= and other sentence-level comments
        if current is None or not current.parts:
            raise FormatError(name, number, "a token row before any '#Text=' line")
        fields = line.split("\t")
        unit = _UNIT_ID.match(fields[0])
        offsets = _OFFSETS.match(fields[1]) if len(fields) > 1 else None
        if not unit or not offsets or len(fields) < 3:
            raise FormatError(name, number, f"expected 'S-T<TAB>begin-end<TAB>token<TAB>…', got {line[:60]!r}")
        columns = fields[3:]
        if columns and columns[-1] == "" and len(columns) == width + 1:
            columns = columns[:-1]  # the trailing tab INCEpTION writes
        if len(columns) < width:
            raise FormatError(name, number, f"{len(columns)} annotation columns; the header declares {width}")
        begin, end = int(offsets.group(1)), int(offsets.group(2))
        if end < begin:
            raise FormatError(name, number, f"token offsets {begin}-{end} end before they begin")
        current.units.append(_Unit(number, begin, end, unescape_text(fields[2], java), columns, unit.group(3) is not None))
    for sentence in sentences:
        if not sentence.units:
            raise FormatError(name, sentence.line, "a sentence without token rows")
    return sentences


def _text(sentences: list[_Sentence], name: str) -> tuple[str, list[tuple[int, int]]]:
    """The document text (sentences joined as INCEpTION joins them) and each sentence's UTF-16 range."""
    pieces: list[str] = []
    length = 0
    bounds = []
    for sentence in sentences:
        begin = sentence.units[0].begin
        if length > begin:
            if length != begin + 1 or not pieces or not pieces[-1].endswith("\n"):
                raise FormatError(name, sentence.units[0].line, f"the sentence starts at {begin}, inside the previous one")
            pieces[-1] = pieces[-1][:-1]
            length -= 1
        if length < begin:
            pieces.append(" " * (begin - length))
            length = begin
        body = "\n".join(sentence.parts)
        pieces.append(body + "\n")
        bounds.append((begin, begin + utf16_length(body)))
        length += utf16_length(body) + 1
    text = "".join(pieces)
    return text[:-1], bounds  # the last line break is the format's


def _entities(sentences: list[_Sentence], layer: Layer) -> list[tuple[int, int, str | None, str | None, int]]:
    """``(begin16, end16, value, identifier, line)`` of the layer's annotations."""
    value_col = layer.column + layer.features.index("value") if "value" in layer.features else None
    ident_col = layer.column + layer.features.index("identifier") if "identifier" in layer.features else None
    columns = [c for c in (value_col, ident_col) if c is not None] or [layer.column]
    found: dict[tuple, dict] = {}
    unit_index = 0
    for sentence in sentences:
        for unit in sentence.units:
            unit_index += 1
            for column in columns:
                raw = unit.columns[column]
                if raw == "_":
                    continue
                for stack, item in enumerate(_STACK.split(raw)):
                    label, ref = item, None
                    if item.endswith("]") and not item.endswith("\\]") and "[" in item:
                        label, ref = item[: item.rindex("[")], item[item.rindex("[") + 1 : -1]
                    key = ("ref", ref) if ref else ("unit", unit_index, stack)
                    entry = found.setdefault(key, {"begin": unit.begin, "end": unit.end, "line": unit.line})
                    entry["begin"], entry["end"] = min(entry["begin"], unit.begin), max(entry["end"], unit.end)
                    value = None if label == "*" else unescape_value(label)
                    if column == value_col:
                        entry["value"] = value
                    elif column == ident_col:
                        entry["identifier"] = value
    return [(e["begin"], e["end"], e.get("value"), e.get("identifier"), e["line"]) for e in found.values()]


def _counts(sentences: list[_Sentence], layer: Layer) -> int:
    """How many annotations a layer holds (distinct ``[N]`` references, else stacked values per row)."""
    seen: set = set()
    for sentence in sentences:
        for unit in sentence.units:
            raw = unit.columns[layer.column]
            if raw == "_":
                continue
            for stack, item in enumerate(_STACK.split(raw)):
                ref = item[item.rindex("[") + 1 : -1] if item.endswith("]") and "[" in item else None
                seen.add(("ref", ref) if ref else (unit.line, stack))
    return len(seen)


def parse_webanno_tsv(text: str, name: str, options: ReadOptions = ReadOptions()) -> list[DocumentRecord]:
    """One document from a WebAnno TSV 3.x file (see the module docstring)."""
    lines = [(number, line.removesuffix("\r")) for number, _, line in iter_lines(text.lstrip("\ufeff"))]
    if not lines:
        raise FormatError(name, 1, "the file is empty")
    layers, body_start, minor = _header(lines, name)
    width = sum(layer.width for layer in layers)
    sentences = _body(lines, body_start, width, name, java=minor <= 1)
    if not sentences:
        raise FormatError(name, lines[-1][0], "no sentences ('#Text=' lines with token rows)")
    document, sentence_bounds = _text(sentences, name)
    offsets = OffsetMap(document)

    def cp(u16: int, line: int) -> int:
        if u16 > offsets.length_utf16:
            raise FormatError(name, line, f"offset {u16} is beyond the end of the text ({offsets.length_utf16} UTF-16 units)")
        return offsets.to_codepoint(u16)

    tokens = []
    for sentence in sentences:
        for unit in sentence.units:
            start, end = cp(unit.begin, unit.line), cp(unit.end, unit.line)
            if start < end and document[start:end] != unit.token:
                raise FormatError(
                    name, unit.line,
                    f"token {unit.token!r} at {unit.begin}-{unit.end}, but the sentence text has "
                    f"{document[start:end]!r} there (offsets count UTF-16 units)",
                )
            if not unit.subtoken:
                tokens.append((start, end))
    warnings: list[str] = []
    entities: list[FileEntity] = []
    for layer in layers:
        if layer.kind == "span" and layer.type_name == NAMED_ENTITY:
            for begin, end, value, identifier, line in _entities(sentences, layer):
                entities.append(FileEntity(cp(begin, line), cp(end, line), value, identifier, line))
            continue
        count = _counts(sentences, layer)
        if count:
            warnings.append(
                f"{name}: {layer.kind} layer {layer.type_name}: {count} annotation{'s' if count != 1 else ''} "
                f"not imported (annotator imports the named entities of {NAMED_ENTITY})"
            )
    spans, entity_warnings = entity_spans(entities, document, name, options.strict)
    warnings.extend(entity_warnings)
    kept_tokens = sorted_bounds(tokens, len(document))
    if kept_tokens is None:
        warnings.append(f"{name}: the tokens overlap; the original tokenization is not kept")
    annotator, document_name = project_layout(name)
    meta = {
        "file": name,
        "format": "webanno-tsv",
        "sentences": [[cp(b, 0), cp(e, 0)] for b, e in sentence_bounds],
    }
    if kept_tokens is not None:
        meta["tokens"] = kept_tokens
    record = DocumentRecord(
        text=document,
        title=document_name or Path(name).stem,
        language=options.language,
        meta=meta,
        spans=spans,
        annotator=annotator,
        location=f"{name}:{sentences[0].line}",
        warnings=warnings,
    )
    return [record]


def read_webanno_tsv(path: str | Path, options: ReadOptions = ReadOptions()) -> list[DocumentRecord]:
    return parse_webanno_tsv(read_text(path), str(path), options)


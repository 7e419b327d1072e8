"""JSONL files and JSON arrays of records, with spans in the shapes other tools write.

A record is ``{"text": ..., "meta": {...}}`` plus, optionally:

* Prodigy spans: ``"spans": [{"start", "end", "label", "text"?}]`` (``tokens`` are ignored),
  ``"answer": "accept" | "reject" | "ignore"`` and ``"_annotator_id"``;
* doccano spans: ``"label": [[start, end, "LABEL"]]`` or
  ``"entities": [{"start_offset", "end_offset", "label"}]``;
* quotes as annotator's own JSONL export writes them:
  ``"quotes": [{"type", "contents": [[s, e]], "cue": [s, e] | null, "sources": [[s, e]], "entity": [s, e] | null}]``;
* ``"annotator": "name"``: whose annotations these are.

A Label Studio JSON export (a list of tasks with ``data.text``) is recognised too and read by
:mod:`annotator.formats.labelstudio_reader`.

Every field is validated against its declared shape (:mod:`annotator.formats.shapes`): a wrong
type is one line ``file:line: field path: problem``. What a set cannot hold (overlapping
entities) is listed in the record's notes and left out, unless ``ReadOptions.strict``. The
annotator's status is taken from the file's own evidence: Prodigy's ``accept`` means done,
``reject``/``ignore`` skipped (the record's text comes in, its spans do not); annotator's own
export states it in ``meta.status``.

Files are read as a stream (:class:`~annotator.formats.json_stream.JsonFile`): records come one
at a time, so a file of any size costs the memory of one record.

Field mapping for arbitrary records: ``text_field``, ``title_field``, ``source_field``
and ``language_field`` name the fields to use; every other field is kept in ``meta``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.core.text import content_hash
from annotator.formats.common import (
    NOTE_REJECTED,
    FormatError,
    ReadOptions,
    RecordStream,
    check_label_name,
    check_quote,
    check_span,
    check_span_text,
    keep_non_overlapping,
    unstorable,
)
from annotator.formats.json_fields import (
    DEFAULT_LANGUAGE,
    DEFAULT_SOURCE,
    DEFAULT_TITLE,
    annotator_name,
    mapped_field,
    string_field,
    text_field,
)
from annotator.formats.json_stream import JsonFile, iter_json_text
from annotator.formats.labelstudio_reader import is_label_studio_task, label_studio_records
from annotator.formats.shapes import DoccanoLabel, QuoteShape, RecordShape, convert, describe_value
from annotator.store import STATUSES

# Fields that carry annotations or the mapped values, never copied into meta.
_ANNOTATION_FIELDS = {"spans", "tokens", "entities", "quotes", "annotator", "meta", "_input_hash", "_task_hash",
                      "answer", "_annotator_id", "_session_id"}
# Prodigy's answers: accept means the annotator finished the task; reject and ignore skip it.
_ANSWERS = {"accept": ("done", None), "reject": ("skipped", "rejected in Prodigy"),
            "ignore": ("skipped", "ignored in Prodigy")}


def read_jsonl(path: str | Path, options: ReadOptions = ReadOptions()) -> RecordStream:
    """The records of a ``.jsonl`` / ``.json`` file, read lazily (see the module docstring)."""
    source = JsonFile(path)
    return RecordStream(_records(source, str(path), options), source.fraction)


def parse_jsonl(text: str, name: str, options: ReadOptions = ReadOptions()) -> list[DocumentRecord]:
    """The records of JSON text already in memory (``name`` is used in locations)."""
    return list(_records(iter_json_text(text, name), name, options))


def _records(values: Iterable[tuple[int, Any]], name: str, options: ReadOptions) -> Iterator[DocumentRecord]:
    found = False
    for line, value in values:
        if not isinstance(value, dict):
            raise FormatError(name, line, f"expected a JSON object per record, got {describe_value(value)}")
        plain = getattr(values, "plain", False)  # the stream saw nothing a corpus cannot store
        if is_label_studio_task(value, options):
            yield from label_studio_records(value, name, line, options, plain=plain)
        else:
            yield _record(value, name, line, options, plain=plain)
        found = True
    if not found:
        raise FormatError(name, 1, "the file holds no records")


# -- plain, Prodigy and doccano records ------------------------------------------------------------


def _record(value: dict, name: str, line: int, options: ReadOptions, *, plain: bool = False) -> DocumentRecord:
    where = (name, line)
    shape = convert(value, RecordShape, where, "")
    meta_value = value.get("meta")
    meta: dict = dict(meta_value) if isinstance(meta_value, dict) else {}
    if meta_value is not None and not isinstance(meta_value, dict):
        meta["meta"] = meta_value

    field = options.text_field or "text"
    text = text_field(value, field, where, "" if options.text_field else " (name the text field with --text-field)",
                      checked=plain)
    title_name, title = mapped_field(value, meta, options.title_field, DEFAULT_TITLE, "title", where)
    source_name, source = mapped_field(value, meta, options.source_field, DEFAULT_SOURCE, "source", where)
    lang_name, language = mapped_field(value, meta, options.language_field, DEFAULT_LANGUAGE, "language", where)
    consumed = {field, title_name, source_name, lang_name} | _ANNOTATION_FIELDS
    for key, item in value.items():
        if key not in consumed and not _is_doccano_label(key, item):
            meta.setdefault(key, item)
    for key in (title_name, source_name, lang_name):
        meta.pop(key, None)
    problem = None if plain else unstorable({k: v for k, v in value.items() if k not in ("tokens", field)}, "")
    if problem:
        raise FormatError(*where, problem)

    direction = meta.pop("direction", None) if meta.get("direction") in ("ltr", "rtl") else None
    if "content_hash" in meta and meta["content_hash"] == content_hash(text):  # annotator's own export
        meta.pop("content_hash")
        meta.pop("document_id", None)

    annotator = annotator_name(shape.annotator, "annotator", where)
    if annotator is None and isinstance(value.get("_annotator_id"), str) and value["_annotator_id"].strip():
        annotator = annotator_name(value["_annotator_id"], "_annotator_id", where)  # Prodigy: "dataset-name"
    spans, notes = keep_non_overlapping(_spans(value, shape, text, where), *where, strict=options.strict)
    quotes = _quotes(shape.quotes, text, where)

    status, note = None, None
    if meta.get("status") in STATUSES:  # annotator's own export states the annotator's status
        status = meta.pop("status")
    answer = value.get("answer")
    if isinstance(answer, str) and answer in _ANSWERS:
        answer_status, note = _ANSWERS[answer]
        status = status or answer_status
        if answer != "accept" and (spans or quotes):
            notes.append((NOTE_REJECTED, f"{name}:{line}: the record's answer is {answer!r}: "
                                         "its text is imported, its spans and quotes are not"))
            spans, quotes = [], []
    elif answer is not None:
        meta.setdefault("answer", answer)
    return DocumentRecord(
        text=text,
        title=string_field(title, title_name, where),
        source=string_field(source, source_name, where),
        language=options.language or string_field(language, lang_name, where),
        direction=direction,
        meta=meta,
        spans=spans,
        quotes=quotes,
        annotator=annotator,
        location=f"{name}:{line}",
        status=status,
        status_note=note if status == "skipped" else None,
        notes=notes,
    )


def _is_doccano_label(key: str, item: Any) -> bool:
    return key == "label" and isinstance(item, list) and all(isinstance(x, list) for x in item)


def _span(start: int, end: int, label: str, what: str, text: str, where: tuple) -> Span:
    span = Span(start, end, check_label_name(label, *where, what=f"{what}.label"), origin="imported")
    check_span(span, text, *where, what=what)
    return span


def _spans(value: dict, shape: RecordShape, text: str, where: tuple) -> list[tuple[str, Span]]:
    """``(field path, span)`` for every entity the record carries, in any of the three shapes."""
    spans: list[tuple[str, Span]] = []
    for i, item in enumerate(shape.spans or []):  # Prodigy
        what = f"spans[{i}]"
        span = _span(item.start, item.end, item.label, what, text, where)
        if item.text is not None:
            check_span_text(span, item.text, text, *where, what=what)
        spans.append((what, span))
    if _is_doccano_label("label", value.get("label")):  # doccano: [[start, end, "LABEL"]]
        labels = convert(value["label"], list[DoccanoLabel], where, "label")
        for i, (start, end, label) in enumerate(labels):
            what = f"label[{i}]"
            spans.append((what, _span(start, end, label, what, text, where)))
    for i, entity in enumerate(shape.entities or []):  # doccano (newer)
        what = f"entities[{i}]"
        spans.append((what, _span(entity.start_offset, entity.end_offset, entity.label, what, text, where)))
    return spans


def _quotes(items: list[QuoteShape] | None, text: str, where: tuple) -> list[Quote]:
    quotes = []
    for i, item in enumerate(items or []):
        quote = Quote(
            contents=tuple(Range(*pair) for pair in item.contents),
            cue=Range(*item.cue) if item.cue is not None else None,
            sources=tuple(Range(*pair) for pair in item.sources or ()),
            entity=Range(*item.entity) if item.entity is not None else None,
            type=item.type,
            origin="imported",
        )
        check_quote(quote, text, *where, what=f"quotes[{i}]")
        quotes.append(quote)
    return quotes

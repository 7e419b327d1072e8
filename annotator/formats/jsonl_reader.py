"""JSONL files and JSON arrays of records, with spans in the shapes other tools write.

A record is ``{"text": ..., "meta": {...}}`` plus, optionally:

* Prodigy spans: ``"spans": [{"start", "end", "label", "text"?}]`` (``tokens`` are ignored);
* doccano spans: ``"label": [[start, end, "LABEL"]]`` or
  ``"entities": [{"start_offset", "end_offset", "label"}]``;
* quotes as annotator's own JSONL export writes them:
  ``"quotes": [{"type", "contents": [[s, e]], "cue": [s, e] | null, "sources": [[s, e]], "entity": [s, e] | null}]``;
* ``"annotator": "name"``: whose annotations these are.

A Label Studio JSON export (a list of tasks with ``data.text``) is recognised too: each
non-cancelled annotation becomes that annotator's set (named after ``completed_by``),
and ``predictions`` become suggestions (never anyone's labels until accepted).

Field mapping for arbitrary records: ``text_field``, ``title_field``, ``source_field``
and ``language_field`` name the fields to use; every other field is kept in ``meta``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.spans import QUOTE_TYPES, DocumentRecord, Quote, Range, Span
from annotator.core.text import content_hash
from annotator.formats.common import (
    FormatError,
    ReadOptions,
    check_label_name,
    check_no_overlap,
    check_quote,
    check_span,
    check_span_text,
    describe_char,
    invisible_characters,
    line_of,
    read_text,
)

# Fields that carry annotations or the mapped values, never copied into meta.
_ANNOTATION_FIELDS = {"spans", "tokens", "entities", "quotes", "annotator", "meta", "_input_hash", "_task_hash"}
_DEFAULT_TITLE = ("title",)
_DEFAULT_SOURCE = ("source",)
_DEFAULT_LANGUAGE = ("language", "lang")


def iter_json_records(text: str, path: str) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` for each record: JSON lines, or the items of a top-level JSON array/object."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        yield from _iter_array(text, path)
        return
    if stripped.startswith("{") and _is_single_document(text):
        first_line = line_of(text, len(text) - len(stripped))
        yield first_line, _loads(text, path, first_line)
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        yield number, _loads(line, path, number)


# Deeper than this is no news record: refuse it before Python's parser hits its recursion limit.
MAX_NESTING = 200


def _loads(text: str, path: str, line: int) -> Any:
    """``json.loads`` whose every failure is a FormatError naming the file and line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(path, line + exc.lineno - 1, f"malformed JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise FormatError(path, line, f"JSON nested more than {MAX_NESTING} levels deep") from None


def _is_single_document(text: str) -> bool:
    """A ``.json`` file holding one object (pretty-printed or not), rather than JSON lines."""
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return False
    return isinstance(value, dict)


def _iter_array(text: str, path: str) -> Iterator[tuple[int, Any]]:
    decoder = json.JSONDecoder()
    index = text.index("[") + 1
    length = len(text)

    def skip_space(i: int) -> int:
        while i < length and text[i] in " \t\r\n":
            i += 1
        return i

    index = skip_space(index)
    if index < length and text[index] == "]":
        return
    while True:
        index = skip_space(index)
        try:
            value, end = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            raise FormatError(path, exc.lineno, f"malformed JSON: {exc.msg} (column {exc.colno})") from None
        except RecursionError:
            raise FormatError(path, line_of(text, index), f"JSON nested more than {MAX_NESTING} levels deep") from None
        yield line_of(text, index), value
        index = skip_space(end)
        if index < length and text[index] == ",":
            index += 1
            continue
        if index < length and text[index] == "]":
            rest = text[index + 1 :].strip()
            if rest:
                raise FormatError(path, line_of(text, index + 1), "malformed JSON: extra data after the array")
            return
        raise FormatError(path, line_of(text, index), "malformed JSON: expected ',' or ']' between array items")


def read_jsonl(path: str | Path, options: ReadOptions = ReadOptions()) -> list[DocumentRecord]:
    """Read a ``.jsonl`` / ``.json`` file (see the module docstring)."""
    return parse_jsonl(read_text(path), str(path), options)


def parse_jsonl(text: str, name: str, options: ReadOptions = ReadOptions()) -> list[DocumentRecord]:
    records: list[DocumentRecord] = []
    for line, value in iter_json_records(text, name):
        if not isinstance(value, dict):
            raise FormatError(name, line, f"expected a JSON object per record, got {type(value).__name__}")
        if _is_label_studio_task(value, options):
            records.extend(_label_studio_task(value, name, line, options))
        else:
            records.append(_record(value, name, line, options))
    if not records:
        raise FormatError(name, 1, "the file holds no records")
    return records


# -- plain, Prodigy and doccano records ------------------------------------------------------


def _field(record: dict, meta: dict, names: tuple[str, ...]) -> tuple[str | None, Any]:
    for name in names:
        if name in record:
            return name, record[name]
        if name in meta:
            return name, meta[name]
    return None, None


def _mapped(record: dict, meta: dict, explicit: str | None, defaults: tuple[str, ...], what: str, where: tuple):
    """Value of a mapped field; an explicitly named field must exist."""
    if explicit is not None:
        if explicit not in record and explicit not in meta:
            raise FormatError(*where, _missing(explicit, record, what))
        return explicit, record.get(explicit, meta.get(explicit))
    return _field(record, meta, defaults)


def _missing(field: str, record: dict, what: str) -> str:
    for key in record:
        bad = invisible_characters(key)
        if bad and "".join(ch for ch in key if ch not in bad) == field:
            return f"field {key!r} is {field!r} with an invisible {describe_char(bad[0])}; remove it from the file"
    fields = ", ".join(repr(k) for k in record) or "none"
    return f"no {field!r} field for the {what}; this record's fields are {fields}"


def _string(value: Any, field: str | None, where: tuple) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise FormatError(*where, f"field {field!r} must be a string, not {type(value).__name__}")
    return value


def _record(value: dict, name: str, line: int, options: ReadOptions) -> DocumentRecord:
    where = (name, line)
    meta_value = value.get("meta")
    meta: dict = dict(meta_value) if isinstance(meta_value, dict) else {}
    if meta_value is not None and not isinstance(meta_value, dict):
        meta["meta"] = meta_value

    text_field = options.text_field or "text"
    if text_field not in value:
        hint = "" if options.text_field else " (name the text field with --text-field)"
        raise FormatError(*where, _missing(text_field, value, "text") + hint)
    text = value[text_field]
    if not isinstance(text, str):
        raise FormatError(*where, f"field {text_field!r} must be a string, not {type(text).__name__}")
    title_name, title = _mapped(value, meta, options.title_field, _DEFAULT_TITLE, "title", where)
    source_name, source = _mapped(value, meta, options.source_field, _DEFAULT_SOURCE, "source", where)
    lang_name, language = _mapped(value, meta, options.language_field, _DEFAULT_LANGUAGE, "language", where)
    consumed = {text_field, title_name, source_name, lang_name} | _ANNOTATION_FIELDS
    for key, item in value.items():
        if key not in consumed and not _is_doccano_label(key, item):
            meta.setdefault(key, item)
    for key in (title_name, source_name, lang_name):
        meta.pop(key, None)

    direction = meta.pop("direction", None) if meta.get("direction") in ("ltr", "rtl") else None
    if "content_hash" in meta and meta["content_hash"] == content_hash(text):  # annotator's own export: drop its bookkeeping
        meta.pop("content_hash")
        meta.pop("document_id", None)
    if meta.get("answer") == "accept":  # Prodigy's default answer says nothing
        meta.pop("answer")

    spans = _spans(value, text, where)
    check_no_overlap(spans, *where)
    quotes = _quotes(value.get("quotes"), text, where)
    annotator = value.get("annotator")
    if annotator is not None and (not isinstance(annotator, str) or not annotator.strip()):
        raise FormatError(*where, f"field 'annotator' must be a non-empty string, not {annotator!r}")
    return DocumentRecord(
        text=text,
        title=_string(title, title_name, where),
        source=_string(source, source_name, where),
        language=options.language or _string(language, lang_name, where),
        direction=direction,
        meta=meta,
        spans=spans,
        quotes=quotes,
        annotator=annotator,
        location=f"{name}:{line}",
    )


def _is_doccano_label(key: str, item: Any) -> bool:
    return key == "label" and isinstance(item, list) and all(isinstance(x, list) for x in item)


def _int(value: Any, what: str, where: tuple) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormatError(*where, f"{what} must be an integer offset, not {value!r}")
    return value


def _spans(value: dict, text: str, where: tuple) -> list[Span]:
    spans: list[Span] = []
    if "spans" in value:  # Prodigy
        items = value["spans"]
        if not isinstance(items, list):
            raise FormatError(*where, "field 'spans' must be a list of {start, end, label} objects")
        for i, item in enumerate(items):
            what = f"span {i + 1}"
            if not isinstance(item, dict):
                raise FormatError(*where, f"{what} must be an object with 'start', 'end' and 'label'")
            for key in ("start", "end", "label"):
                if key not in item:
                    fields = ", ".join(repr(k) for k in item) or "none"
                    raise FormatError(*where, f"{what} has no {key!r} field; its fields are {fields}")
            span = Span(
                _int(item["start"], f"{what} 'start'", where),
                _int(item["end"], f"{what} 'end'", where),
                check_label_name(item["label"], *where, what=f"{what} label"),
                origin="imported",
            )
            check_span(span, text, *where, what=what)
            if isinstance(item.get("text"), str):
                check_span_text(span, item["text"], text, *where, what=what)
            spans.append(span)
    if _is_doccano_label("label", value.get("label")):  # doccano: [[start, end, "LABEL"]]
        for i, item in enumerate(value["label"]):
            what = f"label {i + 1}"
            if len(item) != 3:
                raise FormatError(*where, f"{what} must be [start, end, \"LABEL\"], not {item!r}")
            span = Span(
                _int(item[0], f"{what} start", where),
                _int(item[1], f"{what} end", where),
                check_label_name(item[2], *where, what=f"{what} label"),
                origin="imported",
            )
            check_span(span, text, *where, what=what)
            spans.append(span)
    if "entities" in value:  # doccano (newer): [{"start_offset", "end_offset", "label"}]
        items = value["entities"]
        if not isinstance(items, list):
            raise FormatError(*where, "field 'entities' must be a list of {start_offset, end_offset, label}")
        for i, item in enumerate(items):
            what = f"entity {i + 1}"
            if not isinstance(item, dict) or not {"start_offset", "end_offset", "label"} <= set(item):
                fields = ", ".join(repr(k) for k in item) if isinstance(item, dict) else repr(item)
                raise FormatError(*where, f"{what} needs 'start_offset', 'end_offset' and 'label'; it has {fields}")
            span = Span(
                _int(item["start_offset"], f"{what} 'start_offset'", where),
                _int(item["end_offset"], f"{what} 'end_offset'", where),
                check_label_name(item["label"], *where, what=f"{what} label"),
                origin="imported",
            )
            check_span(span, text, *where, what=what)
            spans.append(span)
    return spans


def _range(value: Any, what: str, where: tuple) -> Range:
    if not (isinstance(value, (list, tuple)) and len(value) == 2):
        raise FormatError(*where, f"{what} must be [start, end], not {value!r}")
    return Range(_int(value[0], f"{what} start", where), _int(value[1], f"{what} end", where))


def _quotes(items: Any, text: str, where: tuple) -> list[Quote]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise FormatError(*where, "field 'quotes' must be a list of quote objects")
    quotes = []
    for i, item in enumerate(items):
        what = f"quote {i + 1}"
        if not isinstance(item, dict):
            raise FormatError(*where, f"{what} must be an object with 'contents'")
        if not item.get("contents"):
            fields = ", ".join(repr(k) for k in item) or "none"
            raise FormatError(*where, f"{what} needs a non-empty 'contents' list; its fields are {fields}")
        quote_type = item.get("type", "direct")
        if quote_type not in QUOTE_TYPES:
            raise FormatError(*where, f"{what} type must be one of {', '.join(QUOTE_TYPES)}, not {quote_type!r}")
        quote = Quote(
            contents=tuple(_range(r, f"{what} content", where) for r in item["contents"]),
            cue=_range(item["cue"], f"{what} cue", where) if item.get("cue") is not None else None,
            sources=tuple(_range(r, f"{what} source", where) for r in item.get("sources") or []),
            entity=_range(item["entity"], f"{what} entity", where) if item.get("entity") is not None else None,
            type=quote_type,
            origin="imported",
        )
        check_quote(quote, text, *where, what=what)
        quotes.append(quote)
    return quotes


# -- Label Studio ------------------------------------------------------------------------------


def _is_label_studio_task(value: dict, options: ReadOptions) -> bool:
    """A task: the text sits under ``data`` (a record with a top-level text field is a plain record)."""
    data = value.get("data")
    text_field = options.text_field or "text"
    if not isinstance(data, dict) or text_field in value:
        return False
    return text_field in data or "annotations" in value or "predictions" in value


def _completed_by(annotation: dict) -> str | None:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if who is None or who == "":
        return None
    return f"labelstudio-{who}" if isinstance(who, int) else str(who)


def _label_studio_spans(results: Any, text: str, where: tuple, what: str, *, origin: str) -> list[Span]:
    if not isinstance(results, list):
        raise FormatError(*where, f"{what} 'result' must be a list")
    spans = []
    for i, result in enumerate(results):
        if not isinstance(result, dict) or result.get("type", "labels") not in ("labels", "hypertextlabels"):
            continue  # choices, ratings, relations: not spans
        value = result.get("value") or {}
        labels = value.get("labels") or value.get("hypertextlabels")
        if "start" not in value or "end" not in value or not labels:
            fields = ", ".join(repr(k) for k in value) or "none"
            raise FormatError(*where, f"{what} result {i + 1} needs value.start, value.end, value.labels; has {fields}")
        for label in labels:
            span = Span(
                _int(value["start"], f"{what} result {i + 1} start", where),
                _int(value["end"], f"{what} result {i + 1} end", where),
                check_label_name(label, *where, what=f"{what} result {i + 1} label"),
                origin=origin,
                score=result.get("score") if isinstance(result.get("score"), (int, float)) else None,
            )
            check_span(span, text, *where, what=f"{what} result {i + 1}")
            if isinstance(value.get("text"), str):
                check_span_text(span, value["text"], text, *where, what=f"{what} result {i + 1}")
            spans.append(span)
    return spans


def _label_studio_task(value: dict, name: str, line: int, options: ReadOptions) -> list[DocumentRecord]:
    where = (name, line)
    data = value["data"]
    text_field = options.text_field or "text"
    if text_field not in data:
        fields = ", ".join(repr(k) for k in data) or "none"
        raise FormatError(*where, f"no {text_field!r} field in the task's data; its fields are {fields} (use --text-field)")
    text = data[text_field]
    if not isinstance(text, str):
        raise FormatError(*where, f"data field {text_field!r} must be a string, not {type(text).__name__}")
    meta = {k: v for k, v in data.items() if k != text_field}
    if "id" in value:
        meta["labelstudio_id"] = value["id"]
    title_name, title = _mapped(data, {}, options.title_field, _DEFAULT_TITLE, "title", where)
    source_name, source = _mapped(data, {}, options.source_field, _DEFAULT_SOURCE, "source", where)
    lang_name, language = _mapped(data, {}, options.language_field, _DEFAULT_LANGUAGE, "language", where)
    for key in (title_name, source_name, lang_name):
        meta.pop(key, None)
    base = DocumentRecord(
        text=text,
        title=_string(title, title_name, where),
        source=_string(source, source_name, where),
        language=options.language or _string(language, lang_name, where),
        meta=meta,
        location=f"{name}:{line}",
    )
    suggestions: list[Span] = []
    for j, prediction in enumerate(value.get("predictions") or []):
        if not isinstance(prediction, dict):
            continue
        suggester = f"labelstudio:{prediction.get('model_version') or 'prediction'}"
        spans = _label_studio_spans(prediction.get("result", []), text, where, f"prediction {j + 1}", origin="accepted")
        suggestions.extend(s.with_(suggester=suggester) for s in spans)
    records = [base]
    base.suggestions = suggestions
    annotations = [a for a in value.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    for j, annotation in enumerate(annotations):
        owner = _completed_by(annotation)
        if owner is None and len(annotations) > 1:  # keep several anonymous annotations apart
            owner = f"labelstudio-annotation-{annotation.get('id', j + 1)}"
        spans = _label_studio_spans(annotation.get("result", []), text, where, f"annotation {j + 1}", origin="imported")
        check_no_overlap(spans, *where)
        if not spans:
            continue
        records.append(
            DocumentRecord(
                text=text,
                title=base.title,
                source=base.source,
                language=base.language,
                meta=meta,
                spans=spans,
                annotator=owner,
                location=f"{name}:{line}",
            )
        )
    return records

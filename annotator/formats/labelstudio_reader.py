"""Label Studio's JSON export, read as Label Studio 1.x writes it.

The export is a list of tasks (the shape is declared in :mod:`annotator.formats.shapes`)::

    {"id": 1, "data": {"text": ...}, "meta": {},
     "annotations": [{"id": 7, "completed_by": 1 | {"id", "email", ...}, "was_cancelled": false,
                      "result": [{"id": "a1", "from_name": "label", "to_name": "text", "type": "labels",
                                  "value": {"start", "end", "text", "labels": [...]}},
                                 {"type": "relation", "from_id": "a1", "to_id": "b2", "direction": "right",
                                  "labels": [...]},
                                 {"type": "choices", "value": {"choices": [...]}}, ...]}],
     "predictions": [{"model_version": ..., "score": ..., "result": [...]}], "drafts": [...]}

What each part becomes:

* every submitted annotation is its annotator's set (named by ``completed_by``: the email, else
  ``labelstudio-<id>``) with status ``done``, even when it holds no entity; a cancelled
  (skipped) annotation gives that annotator status ``skipped``;
* ``labels`` regions are entities. Label Studio lets regions overlap and nest; one set cannot,
  so of overlapping regions the longest is kept and each other one is listed with its region id
  (``ReadOptions.strict`` refuses the file instead);
* offsets are code points of the text. Older Label Studio versions counted UTF-16 units, which
  differ after an emoji or another character outside the BMP: a region whose ``text`` matches
  only under UTF-16 counting is converted (and counted in the summary);
* relations, choices and every other result (text areas, ratings, ...) are kept in the document's
  metadata per annotator (``meta["relations"]``, ``meta["choices"]``, ``meta["labelstudio_results"]``);
* predictions are suggestions (``labelstudio:<model_version>``), never anyone's labels.
"""

from __future__ import annotations

from typing import Any

from annotator.core.offsets import OffsetMap
from annotator.core.spans import DocumentRecord, Span
from annotator.formats.common import (
    NOTE_CANCELLED,
    NOTE_CHOICES,
    NOTE_DRAFTS,
    NOTE_OTHER_RESULTS,
    NOTE_RELATIONS,
    NOTE_UTF16,
    FormatError,
    ReadOptions,
    check_label_name,
    check_span,
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
from annotator.formats.shapes import (
    ChoicesValue,
    HyperTextLabelsValue,
    LabelStudioAnnotation,
    LabelStudioResult,
    LabelStudioTask,
    LabelStudioUser,
    LabelsValue,
    convert,
)

_REGION_TYPES = ("labels", "hypertextlabels")


def is_label_studio_task(value: dict, options: ReadOptions) -> bool:
    """A task: the text sits under ``data`` (a record with a top-level text field is a plain record)."""
    data = value.get("data")
    field = options.text_field or "text"
    if not isinstance(data, dict) or field in value:
        return False
    return field in data or "annotations" in value or "predictions" in value


def completed_by(who: int | str | LabelStudioUser | None) -> str | None:
    """The annotator's name for ``completed_by``: an email or username, else ``labelstudio-<id>``."""
    if isinstance(who, LabelStudioUser):
        who = (who.email or "").strip() or (who.username or "").strip() or who.id
    if isinstance(who, str):
        who = who.strip()
    if who is None or who == "":
        return None
    return f"labelstudio-{who}" if isinstance(who, int) else str(who)


def label_studio_records(value: dict, name: str, line: int, options: ReadOptions, *,
                         plain: bool = False) -> list[DocumentRecord]:
    """The task's document (with the predictions as suggestions) and one record per annotation
    (``plain``: the JSON stream saw no surrogate escape and no over-long number in the task)."""
    where = (name, line)
    task = convert(value, LabelStudioTask, where, "")
    data = task.data
    field = options.text_field or "text"
    if field not in data:
        fields = ", ".join(repr(k) for k in data) or "none"
        raise FormatError(*where, f"data: no {field!r} field in the task's data; its fields are {fields} (use --text-field)")
    text = text_field(data, field, where, label=f"data.{field}", checked=plain)
    problem = None if plain else unstorable({**value, "data": {k: v for k, v in data.items() if k != field}}, "")
    if problem:
        raise FormatError(*where, problem)
    meta: dict = {k: v for k, v in data.items() if k != field}
    title_name, title = mapped_field(data, {}, options.title_field, DEFAULT_TITLE, "title", where)
    source_name, source = mapped_field(data, {}, options.source_field, DEFAULT_SOURCE, "source", where)
    lang_name, language = mapped_field(data, {}, options.language_field, DEFAULT_LANGUAGE, "language", where)
    for key in (title_name, source_name, lang_name):
        meta.pop(key, None)
    if task.id is not None:
        meta["labelstudio_id"] = task.id
    if task.meta:
        meta["labelstudio_meta"] = task.meta

    reader = _TaskReader(text, name, line, options, meta, value)
    base = DocumentRecord(
        text=text,
        title=string_field(title, f"data.{title_name}", where),
        source=string_field(source, f"data.{source_name}", where),
        language=options.language or string_field(language, f"data.{lang_name}", where),
        meta=meta,
        location=f"{name}:{line}",
    )
    for j, prediction in enumerate(task.predictions or []):
        suggester = f"labelstudio:{prediction.model_version or 'prediction'}"
        regions = reader.results(prediction.result, f"predictions[{j}]", suggester)
        base.suggestions.extend(
            span.with_(origin="accepted", suggester=suggester, score=span.score if span.score is not None
                       else prediction.score)
            for _, span in regions
        )
    base.notes.extend((NOTE_DRAFTS, None) for _ in task.drafts or [])
    records = [base]
    submitted = [a for a in task.annotations or [] if not a.was_cancelled]
    for j, annotation in enumerate(task.annotations or []):
        records.append(reader.annotation(annotation, j, len(submitted)))
    base.notes.extend(reader.notes)
    return records


class _TaskReader:
    """Reads one task's results: regions to spans, everything else into the document's metadata."""

    def __init__(self, text: str, name: str, line: int, options: ReadOptions, meta: dict, raw: dict) -> None:
        self.text = text
        self.name = name
        self.line = line
        self.where = (name, line)
        self.options = options
        self.meta = meta
        self.raw = raw
        self.notes: list[tuple[str, str | None]] = []
        self._offsets: OffsetMap | None = None

    @property
    def offsets(self) -> OffsetMap:
        if self._offsets is None:
            self._offsets = OffsetMap(self.text)
        return self._offsets

    def annotation(self, annotation: LabelStudioAnnotation, j: int, submitted: int) -> DocumentRecord:
        owner = annotator_name(completed_by(annotation.completed_by), f"annotations[{j}].completed_by", self.where)
        if owner is None and submitted > 1:  # keep several anonymous annotations apart
            owner = f"labelstudio-annotation-{annotation.id if annotation.id is not None else j + 1}"
        record = DocumentRecord(text=self.text, meta=self.meta, annotator=owner, location=f"{self.name}:{self.line}")
        if annotation.was_cancelled:
            record.status, record.status_note = "skipped", "cancelled (skipped) in Label Studio"
            record.notes.append((NOTE_CANCELLED, None))
            return record
        key = owner or "imported"
        regions = self.results(annotation.result, f"annotations[{j}]", key)
        who = f"annotation {annotation.id if annotation.id is not None else j + 1}"
        whose = f"{who} by {owner}: " if owner else f"{who}: "
        record.spans, notes = keep_non_overlapping(regions, *self.where, strict=self.options.strict, whose=whose)
        record.notes.extend(notes)
        record.status = "done"
        return record

    def results(self, results: list[LabelStudioResult] | None, path: str, owner: str) -> list[tuple[str, Span]]:
        """The regions of one annotation or prediction as ``(region name, span)``; relations,
        choices and other results go to the document's metadata under ``owner``."""
        raw_results = self._raw(path)
        regions: list[tuple[str, Any, str, float | None]] = []  # (name, value, result path, score)
        by_id: dict[str, dict] = {}
        others: list[tuple[int, LabelStudioResult]] = []
        for i, result in enumerate(results or []):
            kind = result.type or ("labels" if isinstance(result.value, dict) and "labels" in result.value else None)
            where = f"{path}.result[{i}]"
            if kind in _REGION_TYPES:
                shape = LabelsValue if kind == "labels" else HyperTextLabelsValue
                value = convert(result.value, shape, self.where, f"{where}.value")
                region = f"region {result.id!r}" if result.id is not None else where
                regions.append((region, value, where, result.score))
                if result.id is not None:
                    by_id[str(result.id)] = result.value  # type: ignore[assignment]
            else:
                others.append((i, result))
        spans = self._region_spans(regions)
        for i, result in others:
            raw = raw_results[i] if i < len(raw_results) else None
            self._keep(result, raw, f"{path}.result[{i}]", owner, by_id)
        return spans

    def _raw(self, path: str) -> list:
        """The raw ``result`` list at ``path`` (``annotations[0]``), as the file has it."""
        group, _, index = path.partition("[")
        try:
            return self.raw[group][int(index.rstrip("]"))].get("result") or []
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            return []

    def _region_spans(self, regions: list[tuple[str, Any, str, float | None]]) -> list[tuple[str, Span]]:
        """Spans of the regions, in code points; UTF-16 offsets are detected by the region's text."""
        found: list[tuple[int, int] | None] = []
        utf16 = False
        for _, value, where, _ in regions:
            offsets = None
            if value.text is not None:
                offsets = self._matching(value.start, value.end, value.text, where)
                utf16 = utf16 or offsets != (value.start, value.end)
            found.append(offsets)
        spans: list[tuple[str, Span]] = []
        for (region, value, where, score), offsets in zip(regions, found, strict=True):
            if offsets is None:  # no text to tell by: count as the other regions of the annotation do
                offsets = self._to_codepoints(value.start, value.end) if utf16 else (value.start, value.end)
            if offsets != (value.start, value.end):
                self.notes.append((NOTE_UTF16, None))
            labels = value.labels if isinstance(value, LabelsValue) else value.hypertextlabels
            for k, label in enumerate(labels):
                label = check_label_name(label, *self.where, what=f"{where}.value.labels[{k}]")
                span = Span(offsets[0], offsets[1], label, origin="imported", score=score)
                check_span(span, self.text, *self.where, what=f"{where} ({region})")
                spans.append((region if len(labels) == 1 else f"{region} ({label})", span))
        return spans

    def _to_codepoints(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets.to_codepoint(start), self.offsets.to_codepoint(end)

    def _matching(self, start: int, end: int, expected: str, where: str) -> tuple[int, int]:
        """The code-point offsets at which the region's stated text is found: as given, or as
        UTF-16 offsets converted. A FormatError when neither reading fits."""
        text = self.text
        if 0 <= start < end <= len(text) and text[start:end] == expected:
            return start, end
        if self.offsets.length_utf16 != self.offsets.length and 0 <= start < end <= self.offsets.length_utf16:
            converted = self._to_codepoints(start, end)
            if text[converted[0] : converted[1]] == expected:
                return converted
            found = f"{text[start:end]!r} (counting code points) or {text[converted[0] : converted[1]]!r} (counting UTF-16 units)"
        else:
            found = repr(text[start:end])
        raise FormatError(
            *self.where,
            f"{where}.value [{start}, {end}): the file gives its text as {expected!r} but the document has {found} there",
        )

    def _keep(self, result: LabelStudioResult, raw: Any, where: str, owner: str, regions: dict) -> None:
        """A result that is not a region, into the document's metadata under its owner."""
        if result.type == "relation":
            if result.from_id is None or result.to_id is None:
                raise FormatError(*self.where, f"{where}: a relation needs 'from_id' and 'to_id'")
            relation: dict[str, Any] = {"from": result.from_id, "to": result.to_id,
                                        "labels": list(result.labels or []), "direction": result.direction}
            for end in ("from", "to"):
                value = regions.get(str(relation[end]))
                if value is not None:
                    relation[f"{end}_span"] = [value.get("start"), value.get("end"), (value.get("labels") or [None])[0]]
            self.meta.setdefault("relations", {}).setdefault(owner, []).append(relation)
            self.notes.append((NOTE_RELATIONS, None))
        elif result.type == "choices":
            value = convert(result.value, ChoicesValue, self.where, f"{where}.value")
            choice: dict[str, Any] = {"name": result.from_name, "choices": list(value.choices)}
            if result.id is not None and str(result.id) in regions:
                choice["region"] = result.id
            self.meta.setdefault("choices", {}).setdefault(owner, []).append(choice)
            self.notes.append((NOTE_CHOICES, None))
        else:
            self.meta.setdefault("labelstudio_results", {}).setdefault(owner, []).append(raw)
            self.notes.append((NOTE_OTHER_RESULTS, None))

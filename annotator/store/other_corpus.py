"""Another corpus database read as untrusted input: a declared shape per table, every value checked.

A colleague's file is data from outside like any imported file. Before anything is merged,
:meth:`OtherCorpus.validate` reads every row the merge will use and checks it against a
declared shape (the pydantic models below, strict: text is a ``str``, never a BLOB or an
integer; ``direction`` is ``ltr`` or ``rtl``; an origin, status, quote type or part role is
one the corpus knows) and then against the rules of a corpus: ``meta`` is a JSON object,
offsets are integers inside their document's text, every row points at a document,
annotator or quote that exists, annotator names and label colours are ones the store
accepts. The first problem is one line, ``FILE: table T row N column C: problem``, and
nothing is merged. Rows are never dropped silently: a row that cannot be merged is an error.

>>> with OtherCorpus.open("colleague.db") as other:
...     other.validate()                       # raises OtherCorpusError naming table, row, column
...     for doc in other.documents(): ...      # validated rows, one document at a time
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, ValidationError

from annotator.core.spans import ORIGINS, QUOTE_ROLES, QUOTE_TYPES, Quote, Range, Span, quote_from_dict
from annotator.store.corpus import STATUSES, Corpus
from annotator.store.errors import AnnotationError, CorpusError
from annotator.store.values import annotator_name, label_color, label_name


class OtherCorpusError(CorpusError):
    """A value in another corpus database that cannot be merged (nothing was merged)."""


class _InvalidText(bytes):
    """What a TEXT value that is not valid UTF-8 reads as (so it fails the ``str`` check, clearly)."""


_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")


def _text_factory(raw: bytes) -> str | bytes:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _InvalidText(raw)


# -- the declared shape of each table (only the columns the merge reads) -------------------------

Origin = Literal["manual", "accepted", "edited", "imported"]
assert set(Origin.__args__) == set(ORIGINS)  # type: ignore[attr-defined]


class _Row(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class DocumentRow(_Row):
    id: int
    title: str | None
    text: str
    source: str | None
    language: str
    direction: Literal["ltr", "rtl"]
    meta: str | None


class AnnotatorRow(_Row):
    id: int
    name: str
    kind: Literal["annotator", "reviewer", "import"]


class LabelRow(_Row):
    name: str
    kind: Literal["entity", "quote_role"]
    color: str
    key: str
    description: str
    position: int


class SpanRow(_Row):
    id: int
    document_id: int
    annotator_id: int
    start: int
    end: int
    label: str
    origin: Origin
    suggester: str | None
    score: float | None


class QuoteRow(_Row):
    id: int
    document_id: int
    annotator_id: int
    type: Literal["direct", "indirect", "mixed"]
    entity_start: int | None
    entity_end: int | None
    origin: Origin
    suggester: str | None
    score: float | None


class QuotePartRow(_Row):
    id: int
    quote_id: int
    role: Literal["content", "cue", "source"]
    start: int
    end: int


class StatusRow(_Row):
    document_id: int
    annotator_id: int
    status: Literal["new", "in_progress", "done", "skipped"]
    note: str | None


class SuggestionRunRow(_Row):
    document_id: int
    suggester: str
    version: str
    created_at: str


class SuggestionRow(_Row):
    document_id: int
    suggester: str
    kind: Literal["entity", "quote"]
    start: int
    end: int
    label: str | None
    score: float | None
    data: str | None


assert set(QuoteRow.model_fields["type"].annotation.__args__) == set(QUOTE_TYPES)  # type: ignore[union-attr]
assert set(QuotePartRow.model_fields["role"].annotation.__args__) == set(QUOTE_ROLES)  # type: ignore[union-attr]
assert set(StatusRow.model_fields["status"].annotation.__args__) == set(STATUSES)  # type: ignore[union-attr]

TABLES: dict[str, type[_Row]] = {
    "documents": DocumentRow,
    "annotators": AnnotatorRow,
    "labels": LabelRow,
    "spans": SpanRow,
    "quotes": QuoteRow,
    "quote_parts": QuotePartRow,
    "statuses": StatusRow,
    "suggestion_runs": SuggestionRunRow,
    "suggestions": SuggestionRow,
}


def _shown(value: object) -> str:
    if isinstance(value, _InvalidText):
        return "text that is not valid UTF-8"
    if isinstance(value, bytes):
        return f"a BLOB of {len(value)} bytes"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _problem(error: dict, model: type[_Row]) -> str:
    """One pydantic error in words."""
    value, kind = error.get("input"), error.get("type", "")
    if kind == "string_type":
        if isinstance(value, _InvalidText):
            return "is not valid UTF-8 text"
        if isinstance(value, bytes):
            return f"is a BLOB ({len(value)} bytes), not text"
        return f"is {_shown(value)} ({type(value).__name__}), not text"
    if kind == "int_type":
        return f"is {_shown(value)}, not an integer"
    if kind == "float_type":
        return f"is {_shown(value)}, not a number"
    if kind == "literal_error":
        column = str(error["loc"][0])
        choices = [a for a in get_args(model.model_fields[column].annotation) if isinstance(a, str)]
        return f"is {_shown(value)}, not one of {', '.join(choices)}"
    return f"is {_shown(value)}: {error.get('msg', 'not valid')}"


@dataclass
class OtherDocument:
    """One validated document of the other corpus with every annotation set it holds."""

    row: DocumentRow
    meta: dict
    spans: dict[str, list[Span]] = field(default_factory=dict)  # annotator name -> spans
    quotes: dict[str, list[Quote]] = field(default_factory=dict)
    statuses: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # suggester -> (its run, its cached rows): a shard's results (annotator suggest --shard K/N --into)
    suggestions: dict[str, tuple[SuggestionRunRow, list[SuggestionRow]]] = field(default_factory=dict)


def _guarded(cursor: sqlite3.Cursor, where: str) -> Iterator[tuple]:
    """Rows of ``cursor``; a damaged page met half-way is one clear error, not a traceback."""
    try:
        yield from cursor
    except sqlite3.DatabaseError as exc:
        raise OtherCorpusError(f"{where} ({exc})") from None


class OtherCorpus:
    """A corpus database opened read-only, read only through validated rows."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.where = str(path)
        self._corpus = Corpus.open(self.path, create=False, readonly=True)
        self.conn = self._corpus.conn
        self.conn.text_factory = _text_factory
        self.conn.execute("BEGIN")  # one snapshot for the whole read, even if the colleague keeps working
        self.annotators: dict[int, AnnotatorRow] = {}
        self.labels: list[LabelRow] = []
        self._lengths: dict[int, int] = {}
        self._quote_documents: dict[int, int] = {}
        self.used_labels: set[str] = set()
        self._validated = False

    @classmethod
    def open(cls, path: str | os.PathLike) -> OtherCorpus:
        return cls(path)

    def close(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self._corpus.close()

    def __enter__(self) -> OtherCorpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- reading -----------------------------------------------------------------------------

    def _fail(self, table: str, rowid: object, column: str | None, problem: str) -> OtherCorpusError:
        where = f"{self.where}: table {table} row {rowid}"
        return OtherCorpusError(f"{where} column {column}: {problem}" if column else f"{where}: {problem}")

    def _check_columns(self) -> None:
        try:
            tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise OtherCorpusError(f"{self.where}: cannot read the list of tables ({exc})") from None
        for table, model in TABLES.items():
            if table not in tables:
                raise OtherCorpusError(f"{self.where}: table {table} is missing; this is not a complete corpus")
            columns = {r[1] for r in self.conn.execute(f'PRAGMA table_info("{table}")')}
            missing = [name for name in model.model_fields if name not in columns]
            if missing:
                raise OtherCorpusError(
                    f"{self.where}: table {table} has no column {', '.join(missing)}; this is not a corpus "
                    "this annotator can read"
                )

    def _rows(self, table: str, where: str = "", params: tuple = ()) -> Iterator[tuple[object, _Row]]:
        model = TABLES[table]
        columns = ", ".join(f'"{name}"' for name in model.model_fields)
        try:
            cursor = self.conn.execute(f'SELECT rowid, {columns} FROM "{table}" {where} ORDER BY rowid', params)
        except sqlite3.DatabaseError as exc:
            raise OtherCorpusError(f"{self.where}: cannot read table {table} ({exc})") from None
        names = ["rowid", *model.model_fields]
        for values in _guarded(cursor, f"{self.where}: cannot read table {table}"):
            record = dict(zip(names, tuple(values), strict=True))
            rowid = record.pop("rowid")
            try:
                yield rowid, model.model_validate(record)
            except ValidationError as exc:
                error = exc.errors()[0]
                column = str(error["loc"][0]) if error.get("loc") else None
                raise self._fail(table, rowid, column, _problem(error, model)) from None

    def _meta(self, rowid: object, raw: str | None) -> dict:
        if raw is None or raw == "":
            return {}
        try:
            meta = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise self._fail("documents", rowid, "meta", f"is not valid JSON (line {exc.lineno} column {exc.colno}: "
                                                         f"{exc.msg})") from None
        except RecursionError:
            raise self._fail("documents", rowid, "meta", "is JSON nested too deeply") from None
        if not isinstance(meta, dict):
            raise self._fail("documents", rowid, "meta", f"is a JSON {type(meta).__name__}, not a JSON object")
        try:
            json.dumps(meta, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise self._fail("documents", rowid, "meta", "holds an unpaired surrogate (not valid Unicode)") from None
        except (ValueError, RecursionError):
            raise self._fail("documents", rowid, "meta", "cannot be stored as JSON") from None
        return meta

    def _range(self, table: str, rowid: object, doc_id: int, start: int, end: int, what: str = "start, end") -> None:
        length = self._lengths[doc_id]
        if not 0 <= start < end <= length:
            raise self._fail(table, rowid, what, f"[{start}, {end}) is outside the text of document {doc_id} "
                                                 f"(length {length}) or empty")

    def _owner(self, table: str, rowid: object, doc_id: int, annotator_id: int) -> None:
        if doc_id not in self._lengths:
            raise self._fail(table, rowid, "document_id", f"there is no document {doc_id}")
        if annotator_id not in self.annotators:
            raise self._fail(table, rowid, "annotator_id", f"there is no annotator {annotator_id}")

    def _score(self, table: str, rowid: object, score: float | None) -> None:
        if score is not None and not math.isfinite(score):
            raise self._fail(table, rowid, "score", f"is {score}, not a finite number")

    def validate(self) -> None:
        """Check every row the merge reads; raises :class:`OtherCorpusError` at the first problem."""
        self._check_columns()
        names: dict[str, object] = {}
        for rowid, row in self._rows("annotators"):
            try:
                name = annotator_name(row.name)
            except AnnotationError as exc:
                raise self._fail("annotators", rowid, "name", str(exc)) from None
            if name in names:
                raise self._fail("annotators", rowid, "name", f"{row.name!r} is the same name as row {names[name]}")
            names[name] = rowid
            self.annotators[row.id] = row.model_copy(update={"name": name})
        for rowid, row in self._rows("labels"):
            try:
                label_name(row.name)
                label_color(row.color, f"label {row.name}")
            except AnnotationError as exc:
                column = "color" if "colour" in str(exc) else "name"
                raise self._fail("labels", rowid, column, str(exc)) from None
            self.labels.append(row)
        for rowid, row in self._rows("documents"):
            if not row.text.strip():
                raise self._fail("documents", rowid, "text", "the text is empty")
            self._meta(rowid, row.meta)
            if not _LANGUAGE.fullmatch(row.language):
                raise self._fail("documents", rowid, "language", f"{_shown(row.language)} is not a language code")
            self._lengths[row.id] = len(row.text)
        for rowid, row in self._rows("spans"):
            self._owner("spans", rowid, row.document_id, row.annotator_id)
            self._range("spans", rowid, row.document_id, row.start, row.end)
            try:
                label_name(row.label)
            except AnnotationError as exc:
                raise self._fail("spans", rowid, "label", str(exc)) from None
            self._score("spans", rowid, row.score)
            self.used_labels.add(row.label)
        with_content: set[int] = set()
        for rowid, row in self._rows("quotes"):
            self._owner("quotes", rowid, row.document_id, row.annotator_id)
            if (row.entity_start is None) != (row.entity_end is None):
                raise self._fail("quotes", rowid, "entity_start, entity_end", "only one of the two is set")
            if row.entity_start is not None and row.entity_end is not None:
                self._range("quotes", rowid, row.document_id, row.entity_start, row.entity_end,
                            "entity_start, entity_end")
            self._score("quotes", rowid, row.score)
            self._quote_documents[row.id] = row.document_id
        cues: set[int] = set()
        for rowid, row in self._rows("quote_parts"):
            doc_id = self._quote_documents.get(row.quote_id)
            if doc_id is None:
                raise self._fail("quote_parts", rowid, "quote_id", f"there is no quote {row.quote_id}")
            self._range("quote_parts", rowid, doc_id, row.start, row.end)
            if row.role == "cue":
                if row.quote_id in cues:
                    raise self._fail("quote_parts", rowid, "role", f"quote {row.quote_id} has a second cue")
                cues.add(row.quote_id)
            if row.role == "content":
                with_content.add(row.quote_id)
        for quote_id in self._quote_documents:
            if quote_id not in with_content:
                raise self._fail("quotes", quote_id, None, "the quote has no content part")
        for rowid, row in self._rows("statuses"):
            self._owner("statuses", rowid, row.document_id, row.annotator_id)
        for rowid, row in self._rows("suggestion_runs"):
            if row.document_id not in self._lengths:
                raise self._fail("suggestion_runs", rowid, "document_id", f"there is no document {row.document_id}")
        for rowid, row in self._rows("suggestions"):
            self._suggestion(rowid, row)
        self._validated = True

    def _suggestion(self, rowid: object, row: SuggestionRow) -> None:
        if row.document_id not in self._lengths:
            raise self._fail("suggestions", rowid, "document_id", f"there is no document {row.document_id}")
        self._range("suggestions", rowid, row.document_id, row.start, row.end)
        self._score("suggestions", rowid, row.score)
        if row.kind == "entity":
            if row.label is None:
                raise self._fail("suggestions", rowid, "label", "an entity suggestion needs a label")
            return
        try:
            quote = quote_from_dict(json.loads(row.data or ""))
        except (json.JSONDecodeError, TypeError, KeyError, ValueError, AttributeError, RecursionError):
            raise self._fail("suggestions", rowid, "data", "is not a quote in JSON") from None
        for _, part in quote.parts():
            if not (isinstance(part.start, int) and isinstance(part.end, int)):
                raise self._fail("suggestions", rowid, "data", "holds an offset that is not an integer")
            self._range("suggestions", rowid, row.document_id, part.start, part.end, "data")

    def documents(self) -> Iterator[OtherDocument]:
        """Every document with its annotation sets, validated (call :meth:`validate` first)."""
        if not self._validated:
            self.validate()
        for rowid, row in self._rows("documents"):
            doc = OtherDocument(row=row, meta=self._meta(rowid, row.meta))
            for _, span in self._rows("spans", "WHERE document_id = ?", (row.id,)):
                name = self.annotators[span.annotator_id].name
                doc.spans.setdefault(name, []).append(
                    Span(span.start, span.end, span.label, origin=span.origin, suggester=span.suggester,
                         score=span.score)
                )
            parts: dict[int, list[QuotePartRow]] = {}
            for _, part in self._rows(
                "quote_parts", "WHERE quote_id IN (SELECT id FROM quotes WHERE document_id = ?)", (row.id,)
            ):
                parts.setdefault(part.quote_id, []).append(part)
            for _, quote in self._rows("quotes", "WHERE document_id = ?", (row.id,)):
                mine = sorted(parts.get(quote.id, []), key=lambda p: (p.start, p.end))
                cue = next((Range(p.start, p.end) for p in mine if p.role == "cue"), None)
                entity = Range(quote.entity_start, quote.entity_end) \
                    if quote.entity_start is not None and quote.entity_end is not None else None
                name = self.annotators[quote.annotator_id].name
                doc.quotes.setdefault(name, []).append(
                    Quote(
                        contents=tuple(Range(p.start, p.end) for p in mine if p.role == "content"),
                        cue=cue,
                        sources=tuple(Range(p.start, p.end) for p in mine if p.role == "source"),
                        entity=entity,
                        type=quote.type,
                        origin=quote.origin,
                        suggester=quote.suggester,
                        score=quote.score,
                    )
                )
            for _, status in self._rows("statuses", "WHERE document_id = ?", (row.id,)):
                doc.statuses[self.annotators[status.annotator_id].name] = (status.status, status.note)
            for _, run in self._rows("suggestion_runs", "WHERE document_id = ?", (row.id,)):
                doc.suggestions[run.suggester] = (run, [])
            for _, suggestion in self._rows("suggestions", "WHERE document_id = ?", (row.id,)):
                if suggestion.suggester in doc.suggestions:  # rows without a run are not a cached result
                    doc.suggestions[suggestion.suggester][1].append(suggestion)
            yield doc

    def count_documents(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

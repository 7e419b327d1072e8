"""The corpus: one SQLite file holding documents, annotation sets, suggestions and events.

Every public method is one transaction: it either happens entirely or not at all.
The UI, the CLI and the tests all go through this class; no SQL lives elsewhere
except in the other modules of :mod:`annotator.store`.

>>> corpus = Corpus.open("corpus/corpus.db")
>>> [doc_id] = corpus.add_documents([DocumentRecord(text="Obama spoke.")]).new_ids
>>> corpus.add_span(doc_id, "amira", Span(0, 5, "PER")).id
1
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from annotator.core.labels import Label, LabelSchema, load_label_schema
from annotator.core.spans import (
    ORIGINS,
    DocumentRecord,
    Quote,
    Range,
    Span,
    check_range,
    find_entity_overlap,
    quote_from_dict,
    quote_to_dict,
    span_to_dict,
)
from annotator.core.text import content_hash, detect_direction, detect_language_and_direction
from annotator.store.connection import check_unicode as _check_unicode
from annotator.store.connection import enable_wal as _enable_wal
from annotator.store.connection import storage_problem as _storage_problem
from annotator.store.errors import (
    AnnotationError,
    ChangedSinceError,
    CorpusError,
    NotInSetError,
    OverlapError,
    StaleEditError,
    UnknownLabelError,
)
from annotator.store.schema import SCHEMA_VERSION, SEARCH_INDEXED_UPTO, current_version, is_annotator_corpus, migrate
from annotator.store.values import annotator_name, label_color, label_name

DEFAULT_CORPUS = Path("corpus") / "corpus.db"
STATUSES = ("new", "in_progress", "done", "skipped")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Document:
    id: int
    text: str
    title: str | None
    source: str | None
    language: str
    direction: str
    meta: dict
    content_hash: str


@dataclass(frozen=True)
class DocumentKey:
    """What batch jobs need to plan work on a document (shard, split, pipeline) without its text."""

    id: int
    language: str
    content_hash: str
    source: str | None


@dataclass
class AddResult:
    """What :meth:`Corpus.add_documents` did."""

    new_ids: list[int] = field(default_factory=list)
    duplicate_ids: list[int] = field(default_factory=list)
    spans: int = 0
    quotes: int = 0


def _span_from_row(row) -> Span:
    return Span(
        start=row["start"],
        end=row["end"],
        label=row["label"],
        origin=row["origin"],
        suggester=row["suggester"],
        score=row["score"],
        id=row["id"],
    )


def _describe_quote(quote: Quote) -> str:
    contents = ", ".join(f"[{r.start}, {r.end})" for r in quote.contents)
    cue = f", cue [{quote.cue.start}, {quote.cue.end})" if quote.cue else ""
    return f"{quote.type} quote {contents}{cue}"


class Corpus:
    """A corpus database. One instance per thread (SQLite connections are not shared)."""

    def __init__(
        self,
        path: str | os.PathLike,
        *,
        create: bool = True,
        backup_before_migrate: bool = True,
        readonly: bool = False,
    ):
        """Open (or create) a corpus. ``readonly=True`` opens an existing file for reading only:
        nothing is migrated or written, and every write raises :class:`CorpusError`."""
        self.path = Path(path)
        self.readonly = readonly
        self._readonly_reason = "opened read-only"
        self._event_group: str | None = None  # see event_group()
        if str(path) != ":memory:":
            if not self.path.exists():
                if not create or readonly:
                    raise CorpusError(f"{self.path}: no such corpus file")
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise CorpusError(f"{self.path}: cannot create the corpus folder ({exc.strerror})") from None
            elif self.path.is_dir():
                raise CorpusError(f"{self.path}: is a folder, not a corpus file")
            elif not self.path.is_file():
                raise CorpusError(f"{self.path}: is not a regular file (a device or a pipe), not a corpus file")
            elif not readonly and not os.access(self.path, os.W_OK):
                # no permission to write: open it for reading; every edit then says why it was not saved
                readonly = self.readonly = True
                self._readonly_reason = "the file is read-only (no permission to write it)"
        try:
            if readonly:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                if not os.access(self.path.parent, os.W_OK) and not Path(f"{self.path}-shm").exists():
                    # a read-only folder (read-only disk or share): SQLite cannot create the WAL index
                    # next to the file, so read it as immutable (nothing can change it there)
                    uri += "&immutable=1"
                conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=10.0, check_same_thread=False)
            else:
                conn = sqlite3.connect(str(path), isolation_level=None, timeout=10.0, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 10000")
            if not is_annotator_corpus(conn):
                conn.close()
                raise CorpusError(f"{self.path}: this SQLite file is not an annotator corpus")
        except sqlite3.DatabaseError as exc:
            problem = _storage_problem(exc)
            if problem and isinstance(exc, sqlite3.OperationalError) and "damaged" not in problem:
                # the file may be fine: SQLite could not create its lock and index files next to it
                hint = " (a full disk does this too)" if "input/output" in problem else ""
                raise CorpusError(f"{self.path}: cannot open the corpus: {problem}{hint}") from None
            raise CorpusError(f"{self.path}: not a readable SQLite database ({exc})") from None
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self._lock = threading.RLock()
        conn.execute("PRAGMA foreign_keys = ON")
        try:
            if str(path) != ":memory:" and not readonly:
                _enable_wal(conn)
            conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.OperationalError as exc:  # read-only file: reading still works
            if "readonly" not in str(exc) and "read-only" not in str(exc):
                conn.close()
                # e.g. /proc/self/status: SQLite sees an empty file it can neither write nor lock
                problem = _storage_problem(exc) or str(exc)
                raise CorpusError(f"{self.path}: cannot open the corpus: {problem}") from None
        version = current_version(conn)
        if readonly and version == 0:
            conn.close()
            raise CorpusError(f"{self.path}: empty file, not an annotator corpus")
        if version < SCHEMA_VERSION and not readonly:  # read-only: an older corpus is read as it is
            backup = None
            try:
                if version > 0 and backup_before_migrate and str(path) != ":memory:":
                    backup = self._backup_before_migration(version)
                applied = migrate(conn)
            except sqlite3.Error as exc:
                conn.close()
                where = f"; a copy made before the upgrade is at {backup}" if backup else ""
                raise CorpusError(
                    f"{self.path}: cannot upgrade from schema version {version} to {SCHEMA_VERSION} ({exc}); "
                    f"the file was not changed{where}"
                ) from None
            if version == 0 and 1 in applied:
                self._initialise()
        elif version > SCHEMA_VERSION:
            conn.close()
            raise CorpusError(
                f"{self.path}: schema version {version} is newer than this annotator ({SCHEMA_VERSION}); "
                "upgrade annotator to open it"
            )
        self._labels: LabelSchema | None = None
        self._annotator_ids: dict[str, int] = {}

    @classmethod
    def open(cls, path: str | os.PathLike = DEFAULT_CORPUS, **kwargs) -> Corpus:
        return cls(path, **kwargs)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions ---------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (nested calls join the outer one)."""
        with self._lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            if self.readonly:
                raise CorpusError(f"{self.path}: {self._readonly_reason}; this change was not saved")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as exc:
                # SQLite rolls back by itself after some errors (disk full, I/O): a second ROLLBACK
                # would raise and hide the real error; a failed COMMIT must not leave the
                # transaction open, or later edits would join it and never be committed.
                if self.conn.in_transaction:
                    try:
                        self.conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                # Rows made inside the transaction are gone: forget what was cached from them
                # (an annotator id or a label added then), or later writes would point at nothing.
                self._labels = None
                self._annotator_ids.clear()
                problem = _storage_problem(exc)
                if problem:
                    raise CorpusError(f"{self.path}: {problem}; this change was not saved") from exc
                raise

    def _backup_before_migration(self, version: int) -> Path | None:
        """Copy the corpus to ``<stem>.v<version>.backup<suffix>`` before upgrading it.

        Written all at once (:mod:`annotator.store.atomic_copy`): a temporary sibling, checked,
        flushed, then renamed; a kill at any moment leaves no empty or partial file under a
        backup's name, and what a killed run left is removed first. An existing backup is never
        overwritten (a timestamped name is used instead). Returns None, keeping no copy, when
        another process upgraded the file in the meantime.
        """
        from annotator.store.atomic_copy import DestinationExists, copy_database, remove_leftovers

        remove_leftovers(self.path.parent, self._backup_pattern())
        target = self.path.with_name(f"{self.path.stem}.v{version}.backup{self.path.suffix}")
        for attempt in range(3):
            if target.exists() or attempt:
                stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
                target = self.path.with_name(f"{self.path.stem}.v{version}.backup-{stamp}{self.path.suffix}")
            try:
                _, copied = copy_database(self.conn, target, replace=False)
                break
            except DestinationExists:
                continue  # another process opening the same old corpus made that one just now
            except OSError as exc:
                raise sqlite3.OperationalError(f"cannot write the backup copy {target} ({exc.strerror or exc})") from None
        else:
            return None
        if copied != version:
            target.unlink()
            return None
        return target

    def _backup_pattern(self) -> str:
        stem, suffix = re.escape(self.path.stem), re.escape(self.path.suffix)
        return rf"{stem}\.v\d+\.backup(?:-\d{{8}}T\d+)?{suffix}"

    def _initialise(self) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO corpus_info(key, value) VALUES ('created_at', ?)", (now(),))
            conn.execute("INSERT OR REPLACE INTO corpus_info(key, value) VALUES ('application', 'annotator')")
        self.set_labels(load_label_schema())

    # -- labels -----------------------------------------------------------------------

    @property
    def labels(self) -> LabelSchema:
        if self._labels is None:
            rows = self.conn.execute("SELECT * FROM labels ORDER BY position").fetchall()

            def make(kind: str) -> tuple[Label, ...]:
                return tuple(
                    Label(name=r["name"], color=r["color"], key=r["key"], description=r["description"])
                    for r in rows
                    if r["kind"] == kind
                )

            self._labels = LabelSchema(entities=make("entity"), quote_roles=make("quote_role"))
        return self._labels

    def set_labels(self, schema: LabelSchema) -> None:
        """Replace the corpus's label schema (existing spans keep their labels).

        Every name and colour is validated first (:mod:`annotator.store.values`): a colour ends
        up in Qt stylesheets and the HTML report, so only ``#rgb``/``#rrggbb`` is stored.
        """
        stored = {(r[0], r[1]) for r in self.conn.execute("SELECT name, color FROM labels")}
        for kind, group in (("entity", schema.entities), ("quote role", schema.quote_roles)):
            for lab in group:
                if (lab.name, lab.color) in stored:
                    continue  # already in the corpus (one written before colours were checked stays usable)
                label_name(lab.name, f"{kind} label")
                label_color(lab.color, f"{kind} label {lab.name}")
                for what, value in (("key", lab.key), ("description", lab.description)):
                    if not isinstance(value, str):
                        raise AnnotationError(f"{kind} label {lab.name}: the {what} must be text")
                    _check_unicode(value, f"{kind} label {lab.name} {what}")
        with self.transaction() as conn:
            conn.execute("DELETE FROM labels")
            rows = [(lab, "entity") for lab in schema.entities] + [(lab, "quote_role") for lab in schema.quote_roles]
            conn.executemany(
                "INSERT INTO labels(name, kind, color, key, description, position) VALUES (?, ?, ?, ?, ?, ?)",
                [(lab.name, kind, lab.color, lab.key, lab.description, i) for i, (lab, kind) in enumerate(rows)],
            )
            self._log(conn, None, None, "labels.set", {"labels": json.loads(schema.to_json())})
        self._labels = None

    def add_label(self, name: str, color: str = "#cccccc", key: str = "") -> None:
        schema = self.labels
        if schema.entity(name):
            return
        self.set_labels(
            LabelSchema(entities=schema.entities + (Label(name, color, key),), quote_roles=schema.quote_roles)
        )

    def _check_label(self, label: str) -> None:
        if label not in self.labels.entity_names:
            raise UnknownLabelError(
                f"unknown label {label!r}; this corpus's labels are {', '.join(self.labels.entity_names)}"
            )

    # -- annotators -------------------------------------------------------------------

    def annotator_id(self, name: str, kind: str = "annotator", create: bool = True) -> int | None:
        """The id of annotator ``name`` (trimmed and validated by :func:`~annotator.store.values.annotator_name`)."""
        name = annotator_name(name)
        cached = self._annotator_ids.get(name)
        if cached is not None:
            return cached
        row = self.conn.execute("SELECT id FROM annotators WHERE name = ?", (name,)).fetchone()
        if row is None:
            if not create:
                return None
            with self.transaction() as conn:  # another process may create the same name meanwhile
                conn.execute(
                    "INSERT INTO annotators(name, kind, created_at) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING",
                    (name, kind, now()),
                )
                ident = conn.execute("SELECT id FROM annotators WHERE name = ?", (name,)).fetchone()[0]
        else:
            ident = row["id"]
        self._annotator_ids[name] = ident
        return ident

    def annotators(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT id, name, kind FROM annotators ORDER BY id")]

    def reviewed_set(self) -> str | None:
        """Name of the reviewers' set with the most spans, if any review exists."""
        row = self.conn.execute(
            "SELECT a.name FROM annotators a LEFT JOIN spans s ON s.annotator_id = a.id "
            "WHERE a.kind = 'reviewer' GROUP BY a.id ORDER BY COUNT(s.id) DESC LIMIT 1"
        ).fetchone()
        return row["name"] if row else None

    # -- documents ----------------------------------------------------------------------

    def add_documents(
        self,
        records: Iterable[DocumentRecord],
        annotator: str | None = None,
        imported_from: str | None = None,
        allow_new_labels: bool = False,
    ) -> AddResult:
        """Add documents (and their spans and quotes) in ONE transaction.

        A record whose text is already in the corpus is a duplicate: its document is
        not added again, but spans it carries are added to the named annotator's set
        when that set has none for the document yet. Any error rolls back everything.
        """
        result = AddResult()
        stamp = now()
        with self.transaction() as conn:
            for record in records:
                text = record.text  # exactly as the reader gave it (a file's BOM is already gone)
                if not text.strip():
                    raise AnnotationError(f"{record.location or 'document'}: the text is empty")
                where = record.location or "document"
                _check_unicode(text, where)
                meta = json.dumps(record.meta, ensure_ascii=False)
                for what, value in (("title", record.title), ("source", record.source), ("meta", meta)):
                    if value is not None:
                        _check_unicode(value, f"{where}: {what}")
                digest = content_hash(text)
                language, direction = record.language, record.direction
                if not language:
                    detected = detect_language_and_direction(text)
                    language, direction = detected[0], direction or detected[1]
                elif not direction:  # --lang: no language detection, only the direction
                    direction = detect_direction(text)
                cur = conn.execute(
                    "INSERT OR IGNORE INTO documents(title, text, source, language, direction, meta, "
                    "content_hash, length, imported_from, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        record.title,
                        text,
                        record.source,
                        language,
                        direction,
                        meta,
                        digest,
                        len(text),
                        imported_from,
                        stamp,
                    ),
                )
                if cur.rowcount == 1:
                    doc_id = cur.lastrowid
                    result.new_ids.append(doc_id)
                    is_new = True
                else:
                    doc_id = conn.execute("SELECT id FROM documents WHERE content_hash = ?", (digest,)).fetchone()[0]
                    result.duplicate_ids.append(doc_id)
                    is_new = False
                owner = record.annotator or annotator
                if (record.spans or record.quotes) and owner:
                    aid = self.annotator_id(owner, kind="annotator")
                    if not is_new and self._set_has_annotations(doc_id, aid):
                        continue  # the same annotations were imported before
                    for span in record.spans:
                        if allow_new_labels and not self.labels.entity(span.label):
                            self.add_label(span.label)
                    self._insert_annotations(conn, doc_id, aid, len(text), record, stamp)
                    result.spans += len(record.spans)
                    result.quotes += len(record.quotes)
            if result.new_ids or result.spans or result.quotes:
                self._log(
                    conn,
                    annotator,
                    None,
                    "import",
                    {
                        "from": imported_from,
                        "new": len(result.new_ids),
                        "duplicates": len(result.duplicate_ids),
                        "spans": result.spans,
                        "quotes": result.quotes,
                    },
                )
        return result

    def _set_has_annotations(self, doc_id: int, annotator_id: int) -> bool:
        return bool(
            self.conn.execute(
                "SELECT 1 FROM spans WHERE document_id = ? AND annotator_id = ? "
                "UNION ALL SELECT 1 FROM quotes WHERE document_id = ? AND annotator_id = ? LIMIT 1",
                (doc_id, annotator_id, doc_id, annotator_id),
            ).fetchone()
        )

    def _insert_annotations(self, conn, doc_id: int, aid: int, length: int, record: DocumentRecord, stamp: str) -> None:
        where = record.location or f"document {doc_id}"
        accepted: list[Span] = []
        for span in sorted(record.spans, key=lambda s: (s.start, s.end)):
            try:
                check_range(span.start, span.end, length)
                self._check_label(span.label)
            except ValueError as exc:
                raise AnnotationError(f"{where}: {exc}") from None
            clash = find_entity_overlap(accepted, span)
            if clash:
                raise OverlapError(
                    f"{where}: entity [{span.start}, {span.end}) {span.label} overlaps "
                    f"[{clash.start}, {clash.end}) {clash.label}; entities may not overlap"
                )
            accepted.append(span)
        conn.executemany(
            'INSERT INTO spans(document_id, annotator_id, start, "end", label, origin, suggester, score, created_at) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (doc_id, aid, s.start, s.end, s.label, s.origin if s.origin in ORIGINS else "imported",
                 s.suggester, s.score, stamp)
                for s in accepted
            ],
        )
        for quote in record.quotes:
            for _, r in quote.parts():
                try:
                    check_range(r.start, r.end, length)
                except ValueError as exc:
                    raise AnnotationError(f"{where}: quote part {exc}") from None
            self._insert_quote(conn, doc_id, aid, quote, stamp)

    def document(self, doc_id: int) -> Document:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(f"no document {doc_id}")
        return self._document_from_row(row)

    def document_by_hash(self, digest: str) -> Document | None:
        row = self.conn.execute("SELECT * FROM documents WHERE content_hash = ?", (digest,)).fetchone()
        return self._document_from_row(row) if row else None

    def document_id_by_hash(self, digest: str) -> int | None:
        """The id of the document with this content hash (without reading its text), or None."""
        row = self.conn.execute("SELECT id FROM documents WHERE content_hash = ?", (digest,)).fetchone()
        return row[0] if row else None

    @staticmethod
    def _document_from_row(row) -> Document:
        return Document(
            id=row["id"],
            text=row["text"],
            title=row["title"],
            source=row["source"],
            language=row["language"],
            direction=row["direction"],
            meta=json.loads(row["meta"] or "{}"),
            content_hash=row["content_hash"],
        )

    def document_ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents ORDER BY id")]

    def document_keys(self) -> list[DocumentKey]:
        """Id, language, content hash and source of every document, by id, without reading the texts."""
        rows = self.conn.execute("SELECT id, language, content_hash, source FROM documents ORDER BY id")
        return [DocumentKey(*row) for row in rows]

    # -- search index -----------------------------------------------------------------------

    def _search_indexed_upto(self) -> int:
        row = self.conn.execute("SELECT value FROM corpus_info WHERE key = ?", (SEARCH_INDEXED_UPTO,)).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def search_index_pending(self) -> int:
        """How many documents are not in the full-text search index yet."""
        if current_version(self.conn) < 3:  # an older corpus opened read-only indexes on insert
            return 0
        return self.conn.execute(
            "SELECT COUNT(*) FROM documents WHERE id > ?", (self._search_indexed_upto(),)
        ).fetchone()[0]

    def update_search_index(self, batch: int = 1000, progress: Callable[[int, int], None] | None = None) -> int:
        """Add documents imported since the last call to the search index; returns how many.

        Imports store documents only (indexing is ~20x the cost of storing); this catches
        up, ``batch`` documents per transaction so an interrupted run loses nothing and
        never holds the write lock for long. Safe to call from any thread with its own
        Corpus; a no-op when nothing is pending or the corpus is read-only.
        """
        pending = self.search_index_pending()
        if not pending or self.readonly:
            return 0
        done = 0
        while True:
            with self.transaction() as conn:
                upto = self._search_indexed_upto()
                last = conn.execute(
                    "SELECT MAX(id) FROM (SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT ?)", (upto, batch)
                ).fetchone()[0]
                if last is None:
                    break
                cur = conn.execute(
                    "INSERT INTO documents_fts(rowid, title, text) SELECT id, title, text FROM documents "
                    "WHERE id > ? AND id <= ?",
                    (upto, last),
                )
                conn.execute(
                    "INSERT OR REPLACE INTO corpus_info(key, value) VALUES (?, ?)", (SEARCH_INDEXED_UPTO, str(last))
                )
                done += cur.rowcount
            if progress:
                progress(done, pending)
        return done

    def count_documents(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def entity_names(self) -> list[tuple[str, str, int]]:
        """Distinct ``(text, label, count)`` of the entity spans of every annotation set.

        The learned suggester proposes these names wherever they occur again. Texts are the
        spans' exact slices of their documents (clitics included, as annotated).
        """
        rows = self.conn.execute(
            'SELECT substr(d.text, s.start + 1, s."end" - s.start) AS name, s.label, COUNT(*) AS n '
            "FROM spans s JOIN documents d ON d.id = s.document_id GROUP BY name, s.label ORDER BY name, s.label"
        )
        return [(r["name"], r["label"], r["n"]) for r in rows]

    # -- spans --------------------------------------------------------------------------

    def spans(self, doc_id: int, annotator: str) -> list[Span]:
        aid = self.annotator_id(annotator, create=False)
        if aid is None:
            return []
        rows = self.conn.execute(
            'SELECT id, start, "end", label, origin, suggester, score FROM spans '
            "WHERE document_id = ? AND annotator_id = ? ORDER BY start, \"end\"",
            (doc_id, aid),
        )
        return [_span_from_row(r) for r in rows]

    def span(self, span_id: int) -> Span:
        row = self.conn.execute(
            'SELECT id, start, "end", label, origin, suggester, score FROM spans WHERE id = ?', (span_id,)
        ).fetchone()
        if row is None:
            raise StaleEditError(
                f"span {span_id} no longer exists (deleted, perhaps in another window); reload the article"
            )
        return _span_from_row(row)

    def _owned(self, table: str, what: str, row_id: int, annotator: str, doc_id: int | None) -> tuple[int, int]:
        """``(document id, annotator id)`` of a span or quote that ``annotator`` may change.

        Refuses (nothing written) a row that is gone, in another annotator's set, or in another
        article than ``doc_id``: an id alone never decides whose work an edit touches.
        """
        row = self.conn.execute(
            f"SELECT t.document_id, t.annotator_id, a.name FROM {table} t LEFT JOIN annotators a "
            "ON a.id = t.annotator_id WHERE t.id = ?",
            (row_id,),
        ).fetchone()
        if row is None:
            raise StaleEditError(
                f"{what} {row_id} no longer exists (deleted, perhaps in another window); reload the article"
            )
        mine = self.annotator_id(annotator, create=False)
        if row[1] != mine:
            raise NotInSetError(
                f"{what} {row_id} is in {row[2]}'s labels, not {annotator_name(annotator)}'s; nothing was changed"
            )
        if doc_id is not None and row[0] != doc_id:
            raise NotInSetError(f"{what} {row_id} is in article {row[0]}, not article {doc_id}; nothing was changed")
        return row[0], row[1]

    def _check_id_free(self, table: str, what: str, row_id: int | None) -> None:
        """A span or quote re-inserted with its old id (undo of a delete, redo of an add) needs that id free."""
        if row_id is not None and self.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone():
            raise ChangedSinceError(f"{what} {row_id} is already there (restored since, perhaps in another window)")

    def _describe_span(self, doc_id: int, span: Span) -> str:
        row = self.conn.execute(
            "SELECT substr(text, ? + 1, ? - ?) FROM documents WHERE id = ?", (span.start, span.end, span.start, doc_id)
        ).fetchone()
        shown = row[0] if row and row[0] is not None else ""
        if len(shown) > 40:
            shown = shown[:39] + "…"
        return f"{span.label} [{span.start}, {span.end}) “{shown}”"

    def _expect_span(self, doc_id: int, current: Span, expected: Span | None) -> None:
        if expected is not None and current.key != expected.key:
            raise ChangedSinceError(
                f"span {current.id} is no longer the one you labelled ({self._describe_span(doc_id, expected)}; "
                f"it is now {self._describe_span(doc_id, current)})"
            )

    def _first_overlap(self, doc_id: int, annotator: str, span: Span) -> Span | None:
        """The first of the annotator's spans that ``span`` would overlap: one indexed query,
        not a read of every span (an article can carry a thousand)."""
        aid = self.annotator_id(annotator, create=False)
        if aid is None:
            return None
        row = self.conn.execute(
            'SELECT id, start, "end", label, origin, suggester, score FROM spans WHERE document_id = ? '
            'AND annotator_id = ? AND start < ? AND "end" > ? AND id IS NOT ? ORDER BY start, "end" LIMIT 1',
            (doc_id, aid, span.end, span.start, span.id),
        ).fetchone()
        return _span_from_row(row) if row else None

    def _validate_span(self, doc_id: int, annotator: str, span: Span) -> None:
        length = self.conn.execute("SELECT length FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if length is None:
            raise KeyError(f"no document {doc_id}")
        try:
            check_range(span.start, span.end, length[0])
        except ValueError as exc:
            raise AnnotationError(str(exc)) from None
        self._check_label(span.label)
        clash = self._first_overlap(doc_id, annotator, span)
        if clash:
            raise OverlapError(
                f"entities may not overlap: [{span.start}, {span.end}) would overlap "
                f"{clash.label} [{clash.start}, {clash.end})"
            )

    def add_span(self, doc_id: int, annotator: str, span: Span) -> Span:
        """Store a new entity span; returns it with its id. Raises OverlapError/UnknownLabelError."""
        if span.origin not in ORIGINS:
            raise AnnotationError(f"origin must be one of {ORIGINS}")
        aid = self.annotator_id(annotator)
        with self.transaction() as conn:
            self._check_id_free("spans", "span", span.id)
            self._validate_span(doc_id, annotator, span)
            stamp = now()
            cur = conn.execute(
                'INSERT INTO spans(id, document_id, annotator_id, start, "end", label, origin, suggester, score, '
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (span.id, doc_id, aid, span.start, span.end, span.label, span.origin, span.suggester, span.score,
                 stamp),
            )
            stored = span.with_(id=cur.lastrowid)
            self._touch_status(conn, doc_id, aid, stamp)
            self._log(conn, annotator, doc_id, "span.add", {"span": span_to_dict(stored)})
        return stored

    def update_span(
        self, span_id: int, annotator: str, *, doc_id: int | None = None, expected: Span | None = None, **changes
    ) -> Span:
        """Change start/end/label of one of ``annotator``'s spans; a changed suggestion becomes 'edited'.

        Refused (:class:`NotInSetError`) when the span is another annotator's or, with ``doc_id``,
        in another article; with ``expected``, refused (:class:`ChangedSinceError`) unless the
        span still has that range and label.
        """
        with self.transaction() as conn:
            doc_id, aid = self._owned("spans", "span", span_id, annotator, doc_id)
            before = self.span(span_id)
            self._expect_span(doc_id, before, expected)
            after = before.with_(**changes)
            if "origin" not in changes and before.origin == "accepted" and (after.key != before.key):
                after = after.with_(origin="edited")
            self._validate_span(doc_id, annotator, after)
            conn.execute(
                'UPDATE spans SET start = ?, "end" = ?, label = ?, origin = ? WHERE id = ?',
                (after.start, after.end, after.label, after.origin, span_id),
            )
            self._touch_status(conn, doc_id, aid, now())
            self._log(conn, annotator, doc_id, "span.update",
                      {"before": span_to_dict(before), "after": span_to_dict(after)})
        return after

    def delete_span(
        self, span_id: int, annotator: str, *, doc_id: int | None = None, expected: Span | None = None
    ) -> Span:
        """Delete one of ``annotator``'s spans (checked like :meth:`update_span`); returns it."""
        with self.transaction() as conn:
            doc_id, aid = self._owned("spans", "span", span_id, annotator, doc_id)
            before = self.span(span_id)
            self._expect_span(doc_id, before, expected)
            conn.execute("DELETE FROM spans WHERE id = ?", (span_id,))
            self._touch_status(conn, doc_id, aid, now())
            self._log(conn, annotator, doc_id, "span.delete", {"span": span_to_dict(before)})
        return before

    # -- quotes -------------------------------------------------------------------------

    def quotes(self, doc_id: int, annotator: str) -> list[Quote]:
        aid = self.annotator_id(annotator, create=False)
        if aid is None:
            return []
        return self._quotes_where("q.document_id = ? AND q.annotator_id = ?", (doc_id, aid))

    def quote(self, quote_id: int) -> Quote:
        found = self._quotes_where("q.id = ?", (quote_id,))
        if not found:
            raise StaleEditError(
                f"quote {quote_id} no longer exists (deleted, perhaps in another window); reload the article"
            )
        return found[0]

    def _quotes_where(self, where: str, params: tuple) -> list[Quote]:
        rows = self.conn.execute(
            f'SELECT q.*, p.role, p.start AS p_start, p."end" AS p_end FROM quotes q '
            f"JOIN quote_parts p ON p.quote_id = q.id WHERE {where} ORDER BY q.id, p.start",
            params,
        ).fetchall()
        quotes: list[Quote] = []
        current: list = []
        for row in rows + [None]:
            if current and (row is None or row["id"] != current[0]["id"]):
                head = current[0]
                quotes.append(
                    Quote(
                        contents=tuple(Range(r["p_start"], r["p_end"]) for r in current if r["role"] == "content"),
                        cue=next((Range(r["p_start"], r["p_end"]) for r in current if r["role"] == "cue"), None),
                        sources=tuple(Range(r["p_start"], r["p_end"]) for r in current if r["role"] == "source"),
                        entity=Range(head["entity_start"], head["entity_end"])
                        if head["entity_start"] is not None
                        else None,
                        type=head["type"],
                        origin=head["origin"],
                        suggester=head["suggester"],
                        score=head["score"],
                        id=head["id"],
                    )
                )
                current = []
            if row is not None:
                current.append(row)
        quotes.sort(key=lambda q: (q.start, q.end))
        return quotes

    def _insert_quote(self, conn, doc_id: int, aid: int, quote: Quote, stamp: str) -> int:
        cur = conn.execute(
            "INSERT INTO quotes(id, document_id, annotator_id, type, entity_start, entity_end, origin, suggester, "
            "score, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                quote.id,
                doc_id,
                aid,
                quote.type,
                quote.entity.start if quote.entity else None,
                quote.entity.end if quote.entity else None,
                quote.origin if quote.origin in ORIGINS else "imported",
                quote.suggester,
                quote.score,
                stamp,
            ),
        )
        quote_id = cur.lastrowid
        conn.executemany(
            'INSERT INTO quote_parts(quote_id, role, start, "end") VALUES (?, ?, ?, ?)',
            [(quote_id, role, r.start, r.end) for role, r in quote.parts()],
        )
        return quote_id

    def _validate_quote(self, doc_id: int, quote: Quote) -> None:
        length = self.conn.execute("SELECT length FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if length is None:
            raise KeyError(f"no document {doc_id}")
        for role, r in quote.parts():
            try:
                check_range(r.start, r.end, length[0])
            except ValueError as exc:
                raise AnnotationError(f"quote {role}: {exc}") from None

    def add_quote(self, doc_id: int, annotator: str, quote: Quote) -> Quote:
        aid = self.annotator_id(annotator)
        with self.transaction() as conn:
            self._check_id_free("quotes", "quote", quote.id)
            self._validate_quote(doc_id, quote)
            stamp = now()
            quote_id = self._insert_quote(conn, doc_id, aid, quote, stamp)
            stored = quote.with_(id=quote_id)
            self._touch_status(conn, doc_id, aid, stamp)
            self._log(conn, annotator, doc_id, "quote.add", {"quote": quote_to_dict(stored)})
        return stored

    def _expect_quote(self, current: Quote, expected: Quote | None) -> None:
        if expected is None:
            return
        if (current.key, current.type, current.entity) != (expected.key, expected.type, expected.entity):
            raise ChangedSinceError(
                f"quote {current.id} is no longer the one you marked ({_describe_quote(expected)}; "
                f"it is now {_describe_quote(current)})"
            )

    def update_quote(
        self, quote_id: int, annotator: str, quote: Quote, *, doc_id: int | None = None, expected: Quote | None = None
    ) -> Quote:
        """Replace the parts, type and entity link of one of ``annotator``'s quotes (its id is kept).

        Checked like :meth:`update_span`: another annotator's quote, another article (``doc_id``),
        or a quote that no longer matches ``expected`` is refused.
        """
        with self.transaction() as conn:
            doc_id, aid = self._owned("quotes", "quote", quote_id, annotator, doc_id)
            before = self.quote(quote_id)
            self._expect_quote(before, expected)
            self._validate_quote(doc_id, quote)
            after = quote.with_(id=quote_id)
            if before.origin == "accepted" and after.origin == "accepted" and after.key != before.key:
                after = after.with_(origin="edited")
            conn.execute("DELETE FROM quotes WHERE id = ?", (quote_id,))
            self._insert_quote(conn, doc_id, aid, after, now())
            self._touch_status(conn, doc_id, aid, now())
            self._log(conn, annotator, doc_id, "quote.update",
                      {"before": quote_to_dict(before), "after": quote_to_dict(after)})
        return after

    def delete_quote(
        self, quote_id: int, annotator: str, *, doc_id: int | None = None, expected: Quote | None = None
    ) -> Quote:
        """Delete one of ``annotator``'s quotes (checked like :meth:`update_quote`); returns it."""
        with self.transaction() as conn:
            doc_id, aid = self._owned("quotes", "quote", quote_id, annotator, doc_id)
            before = self.quote(quote_id)
            self._expect_quote(before, expected)
            conn.execute("DELETE FROM quotes WHERE id = ?", (quote_id,))
            self._touch_status(conn, doc_id, aid, now())
            self._log(conn, annotator, doc_id, "quote.delete", {"quote": quote_to_dict(before)})
        return before

    # -- statuses -------------------------------------------------------------------------

    def status(self, doc_id: int, annotator: str) -> tuple[str, str | None]:
        aid = self.annotator_id(annotator, create=False)
        if aid is None:
            return "new", None
        row = self.conn.execute(
            "SELECT status, note FROM statuses WHERE document_id = ? AND annotator_id = ?", (doc_id, aid)
        ).fetchone()
        return (row["status"], row["note"]) if row else ("new", None)

    def set_status(
        self,
        doc_id: int,
        annotator: str,
        status: str,
        note: str | None = None,
        *,
        expected: tuple[str, str | None] | None = None,
    ) -> None:
        """Set ``annotator``'s status of an article; with ``expected``, only if it is still that (status, note)."""
        if status not in STATUSES:
            raise AnnotationError(f"status must be one of {', '.join(STATUSES)}")
        if note is not None:
            _check_unicode(note, "status note")
        aid = self.annotator_id(annotator)
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is None:
                raise StaleEditError(f"article {doc_id} no longer exists")
            before = self.status(doc_id, annotator)
            if expected is not None and tuple(before) != tuple(expected):
                raise ChangedSinceError(
                    f"article {doc_id} is no longer marked {expected[0]} (it is {before[0]} now, changed since)"
                )
            conn.execute(
                "INSERT INTO statuses(document_id, annotator_id, status, note, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(document_id, annotator_id) DO UPDATE SET status = excluded.status, "
                "note = excluded.note, updated_at = excluded.updated_at",
                (doc_id, aid, status, note, now()),
            )
            self._log(conn, annotator, doc_id, "status.set",
                      {"before": {"status": before[0], "note": before[1]}, "after": {"status": status, "note": note}})

    def set_statuses(
        self, annotator: str, status: str, doc_ids: Iterable[int] | None = None, note: str | None = None
    ) -> int:
        """Give ``annotator`` ``status`` (and ``note``) for the documents ``doc_ids`` (every document when
        None) in one transaction, each change logged as :meth:`set_status` logs it. Returns how many
        documents changed; an id that is no document raises :class:`AnnotationError` and changes nothing."""
        if status not in STATUSES:
            raise AnnotationError(f"status must be one of {', '.join(STATUSES)}")
        known = set(self.document_ids())
        wanted = sorted(known) if doc_ids is None else list(dict.fromkeys(doc_ids))
        missing = [i for i in wanted if i not in known]
        if missing:
            shown = ", ".join(map(str, missing[:10])) + (", ..." if len(missing) > 10 else "")
            raise AnnotationError(f"no document {shown} in {self.path}")
        changed = 0
        with self.transaction():
            for doc_id in wanted:
                if self.status(doc_id, annotator) != (status, note):
                    self.set_status(doc_id, annotator, status, note)
                    changed += 1
        return changed

    def _touch_status(self, conn, doc_id: int, aid: int, stamp: str) -> None:
        """An edit on a new document puts it in progress."""
        conn.execute(
            "INSERT INTO statuses(document_id, annotator_id, status, note, updated_at) "
            "VALUES (?, ?, 'in_progress', NULL, ?) ON CONFLICT(document_id, annotator_id) DO UPDATE SET "
            "updated_at = excluded.updated_at, status = CASE WHEN status = 'new' THEN 'in_progress' ELSE status END",
            (doc_id, aid, stamp),
        )

    def progress(self, annotator: str) -> tuple[int, int]:
        """(documents done, documents in the corpus) for ``annotator``."""
        aid = self.annotator_id(annotator, create=False)
        total = self.count_documents()
        if aid is None:
            return 0, total
        done = self.conn.execute(
            "SELECT COUNT(*) FROM statuses WHERE annotator_id = ? AND status = 'done'", (aid,)
        ).fetchone()[0]
        return done, total

    def documents_with_status(self, annotator: str, statuses: Iterable[str]) -> list[tuple[int, str]]:
        """``[(document id, status)]`` of ``annotator``'s documents in one of ``statuses``, by id.

        A document the annotator never touched counts as ``new``.
        """
        wanted = list(dict.fromkeys(statuses))
        unknown = [s for s in wanted if s not in STATUSES]
        if unknown:
            raise AnnotationError(f"unknown status {unknown[0]!r}; statuses are {', '.join(STATUSES)}")
        aid = self.annotator_id(annotator, create=False) or -1
        marks = ", ".join("?" for _ in wanted)
        rows = self.conn.execute(
            "SELECT d.id, COALESCE(s.status, 'new') AS status FROM documents d LEFT JOIN statuses s "
            f"ON s.document_id = d.id AND s.annotator_id = ? WHERE COALESCE(s.status, 'new') IN ({marks}) "
            "ORDER BY d.id",
            (aid, *wanted),
        )
        return [(r[0], r[1]) for r in rows]

    def next_document(self, annotator: str, after: int | None = None) -> int | None:
        """The next document (by id, wrapping round) that is neither done nor skipped."""
        aid = self.annotator_id(annotator, create=False) or -1
        query = (
            "SELECT d.id FROM documents d LEFT JOIN statuses s ON s.document_id = d.id AND s.annotator_id = ? "
            "WHERE (s.status IS NULL OR s.status IN ('new', 'in_progress')) AND d.id > ? ORDER BY d.id LIMIT 1"
        )
        row = self.conn.execute(query, (aid, after if after is not None else -1)).fetchone()
        if row is None and after is not None:
            row = self.conn.execute(query, (aid, -1)).fetchone()
            if row is not None and row[0] == after:
                return None
        return row[0] if row else None

    # -- suggestions ----------------------------------------------------------------------

    def suggestion_version(self, doc_id: int, suggester: str) -> str | None:
        row = self.conn.execute(
            "SELECT version FROM suggestion_runs WHERE document_id = ? AND suggester = ?", (doc_id, suggester)
        ).fetchone()
        return row[0] if row else None

    def store_suggestions(
        self, doc_id: int, suggester: str, version: str, spans: list[Span], quotes: list[Quote]
    ) -> None:
        """Replace one suggester's cached results for one document."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM suggestions WHERE document_id = ? AND suggester = ?", (doc_id, suggester))
            conn.executemany(
                'INSERT INTO suggestions(document_id, suggester, kind, start, "end", label, score, data) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(doc_id, suggester, "entity", s.start, s.end, s.label, s.score, None) for s in spans]
                + [
                    (doc_id, suggester, "quote", q.start, q.end, None, q.score, json.dumps(quote_to_dict(q)))
                    for q in quotes
                ],
            )
            conn.execute(
                "INSERT INTO suggestion_runs(document_id, suggester, version, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(document_id, suggester) DO UPDATE SET version = excluded.version, "
                "created_at = excluded.created_at",
                (doc_id, suggester, version, now()),
            )

    def suggestions(self, doc_id: int, suggester: str | None = None) -> tuple[list[Span], list[Quote]]:
        """Cached suggestions for a document: entity spans and quotes (ids are suggestion ids)."""
        where, params = "document_id = ?", [doc_id]
        if suggester:
            where += " AND suggester = ?"
            params.append(suggester)
        rows = self.conn.execute(
            f'SELECT id, suggester, kind, start, "end", label, score, data FROM suggestions WHERE {where} '
            'ORDER BY start, "end"',
            params,
        ).fetchall()
        spans, quotes = [], []
        for r in rows:
            if r["kind"] == "entity":
                spans.append(Span(r["start"], r["end"], r["label"], origin="accepted", suggester=r["suggester"],
                                  score=r["score"], id=r["id"]))
            else:
                quote = quote_from_dict(json.loads(r["data"]))
                quotes.append(quote.with_(id=r["id"], suggester=r["suggester"], origin="accepted"))
        return spans, quotes

    def decide_suggestion(
        self, doc_id: int, annotator: str, kind: str, start: int, end: int, label: str, decision: str
    ) -> None:
        """Remember that ``annotator`` accepted or rejected a suggestion (so it is not shown again)."""
        aid = self.annotator_id(annotator)
        with self.transaction() as conn:
            conn.execute(
                'INSERT INTO suggestion_decisions(document_id, annotator_id, kind, start, "end", label, decision, '
                'decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(document_id, annotator_id, kind, start, '
                '"end", label) DO UPDATE SET decision = excluded.decision, decided_at = excluded.decided_at',
                (doc_id, aid, kind, start, end, label or "", decision, now()),
            )
            self._log(conn, annotator, doc_id, f"suggestion.{decision[:-2] if decision.endswith('ed') else decision}",
                      {"kind": kind, "start": start, "end": end, "label": label})

    def undecide_suggestion(
        self,
        doc_id: int,
        annotator: str,
        kind: str,
        start: int,
        end: int,
        label: str,
        *,
        expected: str | None = None,
    ) -> None:
        """Forget ``annotator``'s decision on a suggestion; with ``expected``, only if it is still that decision."""
        aid = self.annotator_id(annotator)
        with self.transaction() as conn:
            if expected is not None:
                row = conn.execute(
                    'SELECT decision FROM suggestion_decisions WHERE document_id = ? AND annotator_id = ? '
                    'AND kind = ? AND start = ? AND "end" = ? AND label = ?',
                    (doc_id, aid, kind, start, end, label or ""),
                ).fetchone()
                if row is None or row[0] != expected:
                    now_is = f"it is {row[0]} now" if row else "it is undecided now"
                    raise ChangedSinceError(
                        f"the {kind} suggestion [{start}, {end}) {label or ''} is no longer {expected} ({now_is})"
                    )
            conn.execute(
                'DELETE FROM suggestion_decisions WHERE document_id = ? AND annotator_id = ? AND kind = ? '
                'AND start = ? AND "end" = ? AND label = ?',
                (doc_id, aid, kind, start, end, label or ""),
            )

    def decisions(self, doc_id: int, annotator: str) -> dict[tuple[str, int, int, str], str]:
        aid = self.annotator_id(annotator, create=False)
        if aid is None:
            return {}
        rows = self.conn.execute(
            'SELECT kind, start, "end", label, decision FROM suggestion_decisions '
            "WHERE document_id = ? AND annotator_id = ?",
            (doc_id, aid),
        )
        return {(r["kind"], r["start"], r["end"], r["label"]): r["decision"] for r in rows}

    # -- settings and registered models ---------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM corpus_info WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO corpus_info(key, value) VALUES (?, ?)", (key, value))

    def registered_models(self) -> list[dict]:
        """spaCy pipelines registered as suggesters: ``[{"name", "path", "registered_at", ...}]``."""
        return json.loads(self.setting("registered_models", "[]") or "[]")

    def register_model(self, name: str, path: str, **info) -> None:
        """Register (or replace) a spaCy pipeline, by path or package name, as suggester ``name``."""
        models = [m for m in self.registered_models() if m["name"] != name]
        models.append({"name": name, "path": str(path), "registered_at": now(), **info})
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO corpus_info(key, value) VALUES ('registered_models', ?)",
                (json.dumps(models, ensure_ascii=False),),
            )
            self._log(conn, None, None, "model.register", {"name": name, "path": str(path)})

    # -- events -----------------------------------------------------------------------------

    @contextmanager
    def event_group(self, group: str) -> Iterator[str]:
        """Run several edits as ONE transaction whose events all carry ``data["group"] = group``.

        The undo history uses the group to undo a compound edit (a quote with its parts,
        accept-all) as one step. Nested groups keep the outermost one.
        """
        with self._lock:
            outer = self._event_group
            if outer is None:
                self._event_group = group
            try:
                with self.transaction():
                    yield outer or group
            finally:
                self._event_group = outer

    def _log(self, conn, annotator: str | None, doc_id: int | None, action: str, data: dict) -> None:
        if annotator is not None:
            annotator = annotator_name(annotator)
        if self._event_group is not None and "group" not in data:
            data = {**data, "group": self._event_group}
        conn.execute(
            "INSERT INTO events(at, annotator, document_id, action, data) VALUES (?, ?, ?, ?, ?)",
            (now(), annotator, doc_id, action, json.dumps(data, ensure_ascii=False)),
        )

    def log_event(self, annotator: str | None, doc_id: int | None, action: str, data: dict) -> None:
        with self.transaction() as conn:
            self._log(conn, annotator, doc_id, action, data)

    def events(self, doc_id: int | None = None, annotator: str | None = None, limit: int | None = None) -> list[dict]:
        where, params = [], []
        if doc_id is not None:
            where.append("document_id = ?")
            params.append(doc_id)
        if annotator is not None:
            where.append("annotator = ?")
            params.append(annotator_name(annotator))
        sql = "SELECT * FROM events" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        if limit:
            sql += " DESC LIMIT ?"
            params.append(limit)
        rows = [dict(r) | {"data": json.loads(r["data"])} for r in self.conn.execute(sql, params)]
        return sorted(rows, key=lambda r: r["id"])

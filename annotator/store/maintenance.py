"""Keeping a corpus file healthy: :func:`check` finds damage, :func:`backup` copies it safely.

Both work on a file path and never go through :class:`~annotator.store.corpus.Corpus`, so they
still work on a file that ``Corpus`` refuses to open (damaged, newer schema, not ours).

>>> report = check("corpus/corpus.db")
>>> report.ok, [str(p) for p in report.problems]
(True, [])
>>> backup("corpus/corpus.db", "backups/2026-11-29.db").documents
2000

``check`` never changes the corpus: it reads, and runs the full-text index check inside a
transaction it rolls back. Both take a ``progress`` callback, called between the checks (and
between tables and every few hundred articles) and between the backup's steps: whatever it
raises (the window's Cancel, a ``KeyboardInterrupt``) stops the work there; a stopped backup
leaves no file under the destination's name and no temporary file. ``backup`` uses SQLite's online backup API, so it is safe while the
annotation window is open and writing (it copies one consistent snapshot), writes to a
temporary file next to the destination, verifies the copy, and only then renames it into
place: an interrupted backup never leaves a half-written file under the destination name.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.store.atomic_copy import copy_database, remove_leftovers
from annotator.store.corpus import Corpus
from annotator.store.errors import CorpusError
from annotator.store.schema import AUTOINCREMENT_TABLES, SCHEMA_VERSION, is_annotator_corpus

SQLITE_MAGIC = b"SQLite format 3\x00"
INTEGRITY_LINES = 20  # integrity_check errors listed one by one; the rest are counted
BACKUP_STEP_PAGES = 1024  # pages copied per backup step (4 MB of 4 KB pages) between progress calls
CHECK_EVERY = 200  # articles read between two progress calls of the text check

#: check's progress(done, total, what): ``done`` of ``total`` checks (fractions inside one)
CheckProgress = Callable[[float, int, str], None]
#: backup's progress(pages copied, pages in all)
BackupProgress = Callable[[int, int], None]

# Tables every corpus has from the given schema version on.
_TABLES_SINCE = {
    1: (
        "corpus_info", "documents", "annotators", "labels", "spans", "quotes", "quote_parts", "statuses",
        "suggestion_runs", "suggestions", "suggestion_decisions", "events", "documents_fts",
    ),
    2: ("document_locks",),
    5: ("learned_name_index", "learned_indexed", "learned_lexicon", "learned_evidence"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a corpus, in one line."""

    check: str  # file, schema, integrity, foreign-key, orphan, text, range, overlap, fts
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


@dataclass
class CheckReport:
    """What :func:`check` found. ``ok`` is True when there are no problems (notes are not problems)."""

    path: Path
    schema_version: int | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    # (table, rowid) already reported by the orphan check, so foreign_key_check does not repeat them
    _orphan_rows: set[tuple[str, int]] = field(default_factory=set, repr=False)
    # where check() is, for progress calls from inside one check: (callback, step, steps, what)
    _at: tuple[CheckProgress | None, int, int, str] = field(default=(None, 0, 1, ""), repr=False)

    def _tick(self, fraction: float = 0.0) -> None:
        """Report progress inside the current check; the callback may raise to stop the check."""
        progress, step, steps, what = self._at
        if progress is not None:
            progress(step + min(max(fraction, 0.0), 1.0), steps, what)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, check: str, message: str) -> None:
        self.problems.append(Problem(check, message))

    def to_dict(self) -> dict:
        return {
            "path": str(self.path),
            "ok": self.ok,
            "schema_version": self.schema_version,
            "current_schema_version": SCHEMA_VERSION,
            "counts": self.counts,
            "problems": [{"check": p.check, "message": p.message} for p in self.problems],
            "notes": self.notes,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class BackupResult:
    """A verified copy of a corpus."""

    path: Path
    bytes: int
    documents: int
    schema_version: int
    seconds: float


# -- check -------------------------------------------------------------------------------------


def check(path: str | os.PathLike, progress: CheckProgress | None = None) -> CheckReport:
    """Check a corpus file for damage and broken rules; never modifies it.

    ``progress(done, total, what)`` is called before each check, between tables and every
    :data:`CHECK_EVERY` articles; an exception it raises stops the check (and propagates).
    """
    started = time.perf_counter()
    report = CheckReport(path=Path(path))
    report._at = (progress, 0, len(_CHECK_STEPS), "")
    conn = _open_for_check(report)
    if conn is not None:
        try:
            _check_open(conn, report)
        finally:
            conn.close()
    report.seconds = time.perf_counter() - started
    return report


def _open_for_check(report: CheckReport) -> sqlite3.Connection | None:
    path = report.path
    if not path.exists():
        report.add("file", f"{path}: no such file")
        return None
    if path.is_dir():
        report.add("file", f"{path}: is a folder, not a corpus file")
        return None
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        report.add("file", f"{path}: cannot be read ({exc.strerror})")
        return None
    if header != SQLITE_MAGIC:
        what = "is empty" if not header else "is not a SQLite database (wrong header)"
        report.add("file", f"{path}: {what}")
        return None
    try:
        conn = _connect_existing(path)
        if not is_annotator_corpus(conn):
            conn.close()
            report.add("file", f"{path}: this SQLite file is not an annotator corpus")
            return None
    except sqlite3.DatabaseError as exc:
        report.add("file", f"{path}: cannot be opened as SQLite ({exc})")
        return None
    return conn


def _connect_existing(path: Path) -> sqlite3.Connection:
    """Open an existing database without ever creating one; read-only when it cannot be written."""
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=rw", uri=True, isolation_level=None, timeout=10.0)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        readonly = f"{uri}?mode=ro"
        if not os.access(path.parent, os.W_OK) and not Path(f"{path}-shm").exists():
            readonly += "&immutable=1"  # a read-only folder: SQLite cannot create the WAL index there
        conn = sqlite3.connect(readonly, uri=True, isolation_level=None, timeout=10.0)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


_CHECK_STEPS = ("integrity", "schema", "orphan", "foreign-key", "text", "range", "overlap", "fts", "counts")
_CHECK_WHAT = {
    "integrity": "SQLite integrity", "schema": "the schema", "orphan": "orphan rows", "foreign-key": "foreign keys",
    "text": "the articles' texts", "range": "spans inside their texts", "overlap": "overlapping entities",
    "fts": "the search index", "counts": "counting",
}


def _check_open(conn: sqlite3.Connection, report: CheckReport) -> None:
    checks: dict[str, Callable[[sqlite3.Connection, CheckReport], None]] = {
        "integrity": _check_integrity,
        "schema": _check_schema,
        "orphan": _check_orphans,
        "foreign-key": _check_foreign_keys,
        "text": _check_texts,
        "range": _check_ranges,
        "overlap": _check_overlaps,
        "fts": _check_fts,
        "counts": _count,
    }
    progress = report._at[0]
    for number, name in enumerate(_CHECK_STEPS):
        step = checks[name]
        report._at = (progress, number, len(_CHECK_STEPS), f"Checking {_CHECK_WHAT[name]}…")
        report._tick()
        try:
            step(conn, report)
        except sqlite3.DatabaseError as exc:
            report.add(name, f"could not run this check: {exc}")
        if name == "schema" and any(p.check == "schema" for p in report.problems):
            return  # a newer, unset or incomplete schema: the other checks would only add noise


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _check_schema(conn: sqlite3.Connection, report: CheckReport) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    report.schema_version = version
    if version > SCHEMA_VERSION:
        report.add("schema", f"schema version {version} is newer than this annotator ({SCHEMA_VERSION}); upgrade annotator")
        return
    if version == 0:
        report.add("schema", "schema version 0: the file was never set up as a corpus")
        return
    if version < SCHEMA_VERSION:
        report.notes.append(
            f"schema version {version}: upgrades to {SCHEMA_VERSION} the next time annotator opens it "
            "(a backup copy is made first)"
        )
    tables = _tables(conn)
    for since, names in _TABLES_SINCE.items():
        if since <= version:
            for name in names:
                if name not in tables:
                    report.add("schema", f"table {name} is missing (schema version {version} has it)")
    if version >= 4:
        for table in AUTOINCREMENT_TABLES:
            row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
            if row is not None and "AUTOINCREMENT" not in (row[0] or "").upper():
                report.add("schema", f"table {table} is not AUTOINCREMENT (schema v4 has it): deleted ids could be "
                                     "given again")
    row = conn.execute("SELECT value FROM corpus_info WHERE key = 'schema_version'").fetchone()
    if row is not None and row[0] != str(version):
        report.add("schema", f"corpus_info says schema version {row[0]} but the file is at version {version}")


def _check_integrity(conn: sqlite3.Connection, report: CheckReport) -> None:
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        report.add("integrity", f"the SQLite file is damaged, too badly to list the damage ({exc}); restore a backup copy")
        return
    if rows == ["ok"]:
        return
    lines = [line.strip() for row in rows for line in str(row).splitlines()]
    lines = [line for line in lines if line and not line.startswith("*** in database")]
    report.add("integrity", f"the SQLite file is damaged ({len(lines)} errors); restore a backup copy")
    for line in lines[:INTEGRITY_LINES]:
        report.add("integrity", line)
    if len(lines) > INTEGRITY_LINES:
        report.add("integrity", f"... and {len(lines) - INTEGRITY_LINES} more")


# (table, what, SQL returning (rowid, description)) for rows whose parent is gone.
_ORPHANS: list[tuple[str, str]] = [
    ("quote_parts",
     "SELECT p.id, 'quote part ' || p.id || ' belongs to missing quote ' || p.quote_id FROM quote_parts p "
     "LEFT JOIN quotes q ON q.id = p.quote_id WHERE q.id IS NULL"),
    ("quotes",
     "SELECT q.id, 'quote ' || q.id || ' (document ' || q.document_id || ') has no content part' FROM quotes q "
     "WHERE NOT EXISTS (SELECT 1 FROM quote_parts p WHERE p.quote_id = q.id AND p.role = 'content')"),
]
for _table, _what, _key in [
    ("spans", "span", "id"),
    ("quotes", "quote", "id"),
    ("statuses", "status", "rowid"),
    ("suggestion_decisions", "suggestion decision", "rowid"),
]:
    _ORPHANS.append((
        _table,
        f"SELECT t.{_key}, '{_what} ' || t.{_key} || ' (document ' || t.document_id || ') belongs to missing "
        f"annotator ' || t.annotator_id FROM {_table} t LEFT JOIN annotators a ON a.id = t.annotator_id "
        "WHERE a.id IS NULL",
    ))
for _table, _what, _key in [
    ("spans", "span", "id"),
    ("quotes", "quote", "id"),
    ("statuses", "status", "rowid"),
    ("suggestions", "suggestion", "id"),
    ("suggestion_runs", "suggestion run", "rowid"),
    ("suggestion_decisions", "suggestion decision", "rowid"),
    ("document_locks", "lock", "rowid"),
]:
    _ORPHANS.append((
        _table,
        f"SELECT t.{_key}, '{_what} ' || t.{_key} || ' belongs to missing document ' || t.document_id "
        f"FROM {_table} t LEFT JOIN documents d ON d.id = t.document_id WHERE d.id IS NULL",
    ))


def _check_orphans(conn: sqlite3.Connection, report: CheckReport) -> None:
    tables = _tables(conn)
    for number, (table, sql) in enumerate(_ORPHANS):
        report._tick(number / len(_ORPHANS))  # between tables
        if table not in tables:
            continue
        for rowid, message in conn.execute(sql):
            report.add("orphan", message)
            report._orphan_rows.add((table, rowid))


def _check_foreign_keys(conn: sqlite3.Connection, report: CheckReport) -> None:
    for table, rowid, parent, _fkid in conn.execute("PRAGMA foreign_key_check"):
        if rowid is not None and (table, rowid) in report._orphan_rows:
            continue  # already reported, in words, by the orphan check
        report.add("foreign-key", f"{table} row {rowid} refers to a missing {parent} row")


def _check_texts(conn: sqlite3.Connection, report: CheckReport) -> None:
    documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] or 1
    rows = conn.execute("SELECT id, text, length, content_hash FROM documents")
    for number, (doc_id, text, length, digest) in enumerate(rows):
        if number and number % CHECK_EVERY == 0:
            report._tick(number / documents)  # between articles
        if text is None:
            report.add("text", f"document {doc_id} has no text")
            continue
        if length != len(text):
            report.add("text", f"document {doc_id}: stored length {length} but the text has {len(text)} characters")
        if hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() != digest:
            report.add("text", f"document {doc_id}: the text changed after import (content hash differs)")


# Against the stored length (checked against the text itself by _check_texts): SQL length() stops at a NUL.
_RANGES = [
    ("span {0} (document {1}, annotator {2}) [{3}, {4}) {5} is outside the text (length {6}) or empty",
     'SELECT s.id, s.document_id, a.name, s.start, s."end", s.label, d.length FROM spans s '
     "JOIN documents d ON d.id = s.document_id LEFT JOIN annotators a ON a.id = s.annotator_id "
     'WHERE s.start < 0 OR s."end" <= s.start OR s."end" > d.length'),
    ("quote {0} (document {1}) {2} part [{3}, {4}) is outside the text (length {5}) or empty",
     'SELECT q.id, q.document_id, p.role, p.start, p."end", d.length FROM quote_parts p '
     "JOIN quotes q ON q.id = p.quote_id JOIN documents d ON d.id = q.document_id "
     'WHERE p.start < 0 OR p."end" <= p.start OR p."end" > d.length'),
    ("quote {0} (document {1}) links to entity [{2}, {3}), outside the text (length {4}) or half-set",
     "SELECT q.id, q.document_id, q.entity_start, q.entity_end, d.length FROM quotes q "
     "JOIN documents d ON d.id = q.document_id "
     "WHERE (q.entity_start IS NULL) != (q.entity_end IS NULL) OR (q.entity_start IS NOT NULL AND "
     "(q.entity_start < 0 OR q.entity_end <= q.entity_start OR q.entity_end > d.length))"),
    ("suggestion {0} (document {1}, {2}) [{3}, {4}) is outside the text (length {5}) or empty",
     'SELECT s.id, s.document_id, s.suggester, s.start, s."end", d.length FROM suggestions s '
     'JOIN documents d ON d.id = s.document_id WHERE s.start < 0 OR s."end" <= s.start OR s."end" > d.length'),
]


def _check_ranges(conn: sqlite3.Connection, report: CheckReport) -> None:
    for number, (template, sql) in enumerate(_RANGES):
        report._tick(number / len(_RANGES))  # between tables
        for row in conn.execute(sql):
            report.add("range", template.format(*row))


def _check_overlaps(conn: sqlite3.Connection, report: CheckReport) -> None:
    # Each overlapping pair once: b starts inside a (ties on start broken by id). Uses spans_by_set.
    rows = conn.execute(
        'SELECT a.document_id, n.name, a.id, a.start, a."end", a.label, b.id, b.start, b."end", b.label '
        "FROM spans a JOIN spans b ON b.document_id = a.document_id AND b.annotator_id = a.annotator_id "
        'AND b.start >= a.start AND b.start < a."end" AND (b.start > a.start OR b.id > a.id) '
        "LEFT JOIN annotators n ON n.id = a.annotator_id ORDER BY a.document_id, a.start"
    )
    for doc_id, name, a_id, a_start, a_end, a_label, b_id, b_start, b_end, b_label in rows:
        report.add(
            "overlap",
            f"document {doc_id}, annotator {name}: entity {a_id} [{a_start}, {a_end}) {a_label} overlaps "
            f"entity {b_id} [{b_start}, {b_end}) {b_label}",
        )


def _check_fts(conn: sqlite3.Connection, report: CheckReport) -> None:
    if "documents_fts" not in _tables(conn):
        return
    # The check is an INSERT of a command: it needs a write transaction, which is rolled back.
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc) or "read-only" in str(exc):
            report.notes.append("full-text index not checked: the file is read-only")
            return
        if "locked" in str(exc):
            report.notes.append("full-text index not checked: another program kept the corpus locked; run check again")
            return
        raise
    try:
        # Documents imported since the last search are not indexed yet by design (see
        # Corpus.update_search_index): index them inside this rolled-back transaction so
        # the comparison is with the full text and the file stays unchanged.
        upto = conn.execute("SELECT value FROM corpus_info WHERE key = 'search_indexed_upto'").fetchone()
        if upto is not None:
            conn.execute(
                "INSERT INTO documents_fts(rowid, title, text) SELECT id, title, text FROM documents WHERE id > ?",
                (int(upto[0]),),
            )
        conn.execute("INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        if "readonly" in str(exc):
            report.notes.append("full-text index not checked: the file is read-only")
        else:
            report.add(
                "fts",
                f"the full-text search index does not match the documents ({exc}); rebuild it with "
                "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
            )
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def _count(conn: sqlite3.Connection, report: CheckReport) -> None:
    tables = _tables(conn)
    for table in ("documents", "annotators", "spans", "quotes", "statuses", "events"):
        if table in tables:
            report.counts[table] = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


# -- backup ------------------------------------------------------------------------------------


def backup(source: Corpus | str | os.PathLike, dest: str | os.PathLike, *, overwrite: bool = False,
           progress: BackupProgress | None = None, pages: int | None = None) -> BackupResult:
    """Copy a corpus to ``dest`` with SQLite's online backup API; safe while the corpus is in use.

    The copy is written next to ``dest`` under a temporary name, checked (``PRAGMA
    integrity_check``, our tables, same schema version), made a self-contained single file
    (rollback journal, no ``-wal``), flushed to disk and renamed into place. Raises
    :class:`CorpusError` naming the file on any failure; ``dest`` is then untouched.

    The copy goes ``pages`` pages at a time (default :data:`BACKUP_STEP_PAGES`); ``progress(copied, total)`` is called after each
    step and before the rename. An exception ``progress`` raises (a cancel) propagates as it is,
    with ``dest`` untouched and no temporary file left. Without ``progress`` the steps still
    give Python a moment between them, so Ctrl+C stops ``annotator backup`` the same way.
    """
    started = time.perf_counter()
    dest = Path(dest)
    if isinstance(source, Corpus) and str(source.path) == ":memory:":
        src_conn, src_path, own = source.conn, None, False
    else:
        src_path = Path(source.path if isinstance(source, Corpus) else source)
        if not src_path.is_file():
            raise CorpusError(f"{src_path}: no such corpus file")
        try:
            src_conn = _connect_existing(src_path)
            if not is_annotator_corpus(src_conn):
                src_conn.close()
                raise CorpusError(f"{src_path}: this SQLite file is not an annotator corpus")
        except sqlite3.DatabaseError as exc:
            raise CorpusError(f"{src_path}: cannot be opened as SQLite ({exc})") from None
        own = True
    try:
        if dest.is_dir():
            raise CorpusError(f"{dest}: is a folder; give the backup a file name")
        if src_path is not None and dest.exists() and dest.resolve() == src_path.resolve():
            raise CorpusError(f"{dest}: is the corpus itself; choose another file")
        if dest.exists() and not overwrite:
            raise CorpusError(f"{dest}: already exists; choose another name or allow overwriting")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CorpusError(f"{dest}: cannot create the folder ({exc.strerror})") from None
        remove_leftovers(dest.parent, re.escape(dest.name))  # of an earlier, killed backup to this name
        try:
            documents, version = copy_database(src_conn, dest, replace=overwrite, pages=pages or BACKUP_STEP_PAGES,
                                               progress=progress or _between_steps)
        except (sqlite3.Error, OSError) as exc:
            raise CorpusError(f"{dest}: backup failed ({exc}); nothing was written") from None
    finally:
        if own:
            src_conn.close()
    return BackupResult(
        path=dest,
        bytes=dest.stat().st_size,
        documents=documents,
        schema_version=version,
        seconds=time.perf_counter() - started,
    )


def _between_steps(_copied: int, _total: int) -> None:
    """No report: Python code between the steps is where a pending Ctrl+C is raised."""

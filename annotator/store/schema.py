"""The corpus schema and its migrations.

Each migration takes the database from version N-1 to N. A corpus written by an
older release opens in a newer one: :func:`migrate` applies what is missing, in
one transaction per step, after the caller has made a backup.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

SCHEMA_VERSION = 5

_V1 = """
CREATE TABLE IF NOT EXISTS corpus_info (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    title TEXT,
    text TEXT NOT NULL,
    source TEXT,
    language TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('ltr', 'rtl')),
    meta TEXT NOT NULL DEFAULT '{}',
    content_hash TEXT NOT NULL UNIQUE,
    length INTEGER NOT NULL,
    imported_from TEXT,
    imported_at TEXT NOT NULL
);
CREATE TABLE annotators (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT 'annotator' CHECK (kind IN ('annotator', 'reviewer', 'import')),
    created_at TEXT NOT NULL
);
CREATE TABLE labels (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('entity', 'quote_role')),
    color TEXT NOT NULL,
    key TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
);
CREATE TABLE spans (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('manual', 'accepted', 'edited', 'imported')),
    suggester TEXT,
    score REAL,
    created_at TEXT NOT NULL,
    CHECK (start >= 0 AND "end" > start)
);
CREATE INDEX spans_by_set ON spans(document_id, annotator_id, start);
CREATE INDEX spans_by_label ON spans(label);
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    type TEXT NOT NULL CHECK (type IN ('direct', 'indirect', 'mixed')),
    entity_start INTEGER,
    entity_end INTEGER,
    origin TEXT NOT NULL CHECK (origin IN ('manual', 'accepted', 'edited', 'imported')),
    suggester TEXT,
    score REAL,
    created_at TEXT NOT NULL
);
CREATE INDEX quotes_by_set ON quotes(document_id, annotator_id);
CREATE TABLE quote_parts (
    id INTEGER PRIMARY KEY,
    quote_id INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('content', 'cue', 'source')),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    CHECK (start >= 0 AND "end" > start)
);
CREATE INDEX quote_parts_by_quote ON quote_parts(quote_id);
CREATE TABLE statuses (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    status TEXT NOT NULL CHECK (status IN ('new', 'in_progress', 'done', 'skipped')),
    note TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (document_id, annotator_id)
);
CREATE INDEX statuses_by_annotator ON statuses(annotator_id, status);
CREATE TABLE suggestion_runs (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    suggester TEXT NOT NULL,
    version TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (document_id, suggester)
);
CREATE TABLE suggestions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    suggester TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('entity', 'quote')),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT,
    score REAL,
    data TEXT
);
CREATE INDEX suggestions_by_document ON suggestions(document_id, suggester);
CREATE TABLE suggestion_decisions (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL CHECK (decision IN ('accepted', 'rejected')),
    decided_at TEXT NOT NULL,
    PRIMARY KEY (document_id, annotator_id, kind, start, "end", label)
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    annotator TEXT,
    document_id INTEGER,
    action TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_document ON events(document_id, annotator);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
"""

# v2: who has an article open, so a second window or process with the same annotator is
# told instead of silently editing the same set (see annotator.store.locks).
_V2 = """
CREATE TABLE document_locks (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL,
    holder TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    heartbeat TEXT NOT NULL,
    PRIMARY KEY (document_id, annotator)
);
"""


# Narrow indexes that keep the document list instant on a large corpus. Article rows are
# wide (the text is stored inline), so walking the table itself for OFFSET or ORDER BY
# reads the whole file: 135 ms to reach row 99,800 of 100,000 by id, 1.7 ms through an
# index on id.
LIST_INDEXES = {
    "documents_by_id": "CREATE INDEX IF NOT EXISTS documents_by_id ON documents(id)",
    "documents_by_title": "CREATE INDEX IF NOT EXISTS documents_by_title ON documents(title)",
    "documents_by_length": "CREATE INDEX IF NOT EXISTS documents_by_length ON documents(length)",
    "spans_by_annotator_label": (
        "CREATE INDEX IF NOT EXISTS spans_by_annotator_label ON spans(annotator_id, label, document_id)"
    ),
    # The window rebuilds an annotator's undo history from their latest events.
    "events_by_annotator": "CREATE INDEX IF NOT EXISTS events_by_annotator ON events(annotator, id)",
}

# Key in corpus_info: every document with an id up to this value is in the search index.
SEARCH_INDEXED_UPTO = "search_indexed_upto"

# v3: the list indexes above, and a search index that is brought up to date after an
# import instead of during it. Indexing Arabic text for FTS5 costs ~20x the insert
# itself; imports now store documents only, and Corpus.update_search_index() (run in
# the background by the window, and before any search) indexes what is new.
# Documents are never deleted or re-numbered, so a high-water mark is enough.
_V3 = (
    "\n".join(sql + ";" for sql in LIST_INDEXES.values())
    + f"""
DROP TRIGGER documents_fts_insert;
DROP TRIGGER documents_fts_delete;
DROP TRIGGER documents_fts_update;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents
WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM corpus_info WHERE key = '{SEARCH_INDEXED_UPTO}') BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents
WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM corpus_info WHERE key = '{SEARCH_INDEXED_UPTO}') BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
INSERT OR REPLACE INTO corpus_info(key, value)
    SELECT '{SEARCH_INDEXED_UPTO}', CAST(COALESCE(MAX(id), 0) AS TEXT) FROM documents;
"""
)

# v4: ids are never reused. With a plain ``INTEGER PRIMARY KEY`` SQLite hands the id of the
# newest row to the next insert once that row is deleted: Amira's deleted span 1 came back as
# Bilal's span 1, and her undo (which finds rows by id) deleted his. AUTOINCREMENT never gives
# an id twice. The tables the history and the review replay ids of are rebuilt with it (every
# row, column, index, trigger and foreign key kept), their sequences start above every id the
# event log has ever mentioned, and indexes a v3 corpus made before they were added are created.
# Annotator names stored with spaces around them (" amira ") get the trimmed name the store
# uses from now on, unless that name is taken.
AUTOINCREMENT_TABLES = ("spans", "quotes", "quote_parts")

# For each rebuilt table: SQL giving the highest id the event log mentions for it.
_IDS_IN_EVENTS = {
    "spans": (
        "SELECT MAX(CAST(v AS INTEGER)) FROM ("
        "SELECT json_extract(data, '$.span.id') AS v FROM events "
        "WHERE action IN ('span.add', 'span.delete') AND json_valid(data) "
        "UNION ALL SELECT json_extract(data, '$.before.id') FROM events "
        "WHERE action = 'span.update' AND json_valid(data) "
        "UNION ALL SELECT j.value FROM events, json_each(events.data, '$.spans') AS j "
        "WHERE events.action = 'review.decide' AND json_valid(events.data) "
        "AND json_type(events.data, '$.spans') = 'array') WHERE typeof(v) = 'integer'"
    ),
    "quotes": (
        "SELECT MAX(CAST(v AS INTEGER)) FROM ("
        "SELECT json_extract(data, '$.quote.id') AS v FROM events "
        "WHERE action IN ('quote.add', 'quote.delete') AND json_valid(data) "
        "UNION ALL SELECT json_extract(data, '$.before.id') FROM events "
        "WHERE action = 'quote.update' AND json_valid(data) "
        "UNION ALL SELECT j.value FROM events, json_each(events.data, '$.quotes') AS j "
        "WHERE events.action = 'review.decide' AND json_valid(events.data) "
        "AND json_type(events.data, '$.quotes') = 'array') WHERE typeof(v) = 'integer'"
    ),
}

_PLAIN_ID = re.compile(r"\bid\s+INTEGER\s+PRIMARY\s+KEY\b(?!\s+AUTOINCREMENT)", re.IGNORECASE)


def _rebuild_with_autoincrement(conn: sqlite3.Connection, table: str) -> None:
    """SQLite's documented table rebuild (new table, copy, drop, rename), foreign keys off."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    if row is None:
        raise sqlite3.DatabaseError(f"table {table} is missing")
    create = row[0]
    if not _PLAIN_ID.search(create):
        if re.search(r"AUTOINCREMENT", create, re.IGNORECASE):
            return  # already rebuilt
        raise sqlite3.DatabaseError(f"table {table} has no 'id INTEGER PRIMARY KEY' column to rebuild")
    temporary = f"{table}__v4"
    create = _PLAIN_ID.sub("id INTEGER PRIMARY KEY AUTOINCREMENT", create, count=1)
    create = re.sub(rf"^CREATE TABLE\s+\"?{table}\"?", f"CREATE TABLE {temporary}", create, count=1)
    dependents = [
        r[0]
        for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        )
    ]
    columns = ", ".join(f'"{r[1]}"' for r in conn.execute(f'PRAGMA table_info("{table}")'))
    conn.execute(create)
    conn.execute(f'INSERT INTO {temporary} ({columns}) SELECT {columns} FROM "{table}"')
    conn.execute(f'DROP TABLE "{table}"')
    conn.execute(f'ALTER TABLE {temporary} RENAME TO "{table}"')
    for sql in dependents:
        conn.execute(sql)
    highest = conn.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0]
    if table in _IDS_IN_EVENTS:
        logged = conn.execute(_IDS_IN_EVENTS[table]).fetchone()[0]
        highest = max(highest, logged or 0)
    conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
    conn.execute("INSERT INTO sqlite_sequence(name, seq) VALUES (?, ?)", (table, highest))


def _v4(conn: sqlite3.Connection) -> None:
    for table in AUTOINCREMENT_TABLES:
        _rebuild_with_autoincrement(conn, table)
    for sql in LIST_INDEXES.values():
        conn.execute(sql)
    names = {r[0]: r[1] for r in conn.execute("SELECT id, name FROM annotators")}
    taken = set(names.values())
    for ident, name in names.items():
        trimmed = name.strip() if isinstance(name, str) else name
        if trimmed and trimmed != name and trimmed not in taken:
            conn.execute("UPDATE annotators SET name = ? WHERE id = ?", (trimmed, ident))
            taken.add(trimmed)


# v5: the learned suggester's state, so that a new entity re-runs `learned` only, and only on the
# articles where the name can occur (annotator.suggest.learned_state). All three are derived data:
# emptied, they are rebuilt by the next `annotator suggest`.
# - learned_name_index: the normalised words of each article the suggester has read (FTS5 without
#   content, rowid = document id; learned_indexed lists those articles): which articles a name can
#   occur in. The words are written as FTS5 terms already (suggest.name_index), so the plain
#   ascii tokenizer only splits them at spaces, and no per-row sizes are kept.
# - learned_lexicon: per language, each name's fingerprints (what decides where it matches, and
#   what it proposes there), the scores last published for it, and the generation either last
#   changed at; NULL fingerprints mark a name no annotator has any more.
# - learned_evidence: per annotation set, how the names occur in it (the counts its scores come
#   from), the set's state when counted and the generation the counts are known good at.
_V5_LEARNED = """
CREATE VIRTUAL TABLE learned_name_index USING fts5(
    words, content='', detail=none, columnsize=0, tokenize='ascii'
);
CREATE TABLE learned_indexed (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE
);
CREATE TABLE learned_lexicon (
    language TEXT NOT NULL,
    name TEXT NOT NULL,
    keys TEXT NOT NULL,
    rest TEXT NOT NULL,
    matching TEXT,
    proposing TEXT,
    published TEXT,
    changed INTEGER NOT NULL,
    membership INTEGER NOT NULL,
    PRIMARY KEY (language, name)
) WITHOUT ROWID;
CREATE TABLE learned_evidence (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    language TEXT NOT NULL,
    state TEXT NOT NULL,
    generation INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (document_id, annotator_id)
);
CREATE INDEX learned_evidence_by_language ON learned_evidence(language);
"""

# version -> SQL (or callable) taking the database from version-1 to version.
MIGRATIONS: dict[int, str | Callable[[sqlite3.Connection], None]] = {
    1: _V1,
    2: _V2,
    3: _V3,
    4: _v4,
    5: _V5_LEARNED,
}


def current_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def is_annotator_corpus(conn: sqlite3.Connection) -> bool:
    """True for an empty database or one that holds our tables."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return True
    return "documents" in tables and "corpus_info" in tables


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> list[int]:
    """Apply missing migrations; returns the versions applied."""
    applied = []
    version = current_version(conn)
    if version > target:
        raise RuntimeError(
            f"this corpus has schema version {version}, newer than this annotator understands ({target}); "
            "upgrade annotator to open it"
        )
    # A table rebuild must not cascade deletes into the tables that refer to it; the pragma
    # cannot change inside a transaction, so it is switched off around each step.
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        for step in range(version + 1, target + 1):
            migration = MIGRATIONS[step]
            conn.execute("BEGIN IMMEDIATE")
            if current_version(conn) >= step:  # another process migrated while we waited for the lock
                conn.execute("COMMIT")
                continue
            try:
                if callable(migration):
                    migration(conn)
                else:
                    for statement in _split_sql(migration):
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {int(step)}")
                conn.execute(
                    "INSERT OR REPLACE INTO corpus_info(key, value) VALUES ('schema_version', ?)", (str(step),)
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            applied.append(step)
    finally:
        conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    return applied


def _split_sql(script: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements

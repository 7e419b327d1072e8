"""Schema v4: ids are never reused; a v3 corpus keeps every row, index, foreign key and trigger."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.store import Corpus
from annotator.store.schema import AUTOINCREMENT_TABLES, SCHEMA_VERSION, migrate

TEXT = "Obama said \"we act\" today in Paris."


def make_v3_corpus(path: Path, *, without_events_index: bool = True) -> None:
    """A v3 corpus with data in every table, its newest span deleted (id 9 is only in the log),
    made before the events(annotator, id) index existed, with an annotator stored as " amira "."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=3)
    if without_events_index:
        conn.execute("DROP INDEX events_by_annotator")
    conn.executescript(
        f"""
        INSERT INTO corpus_info(key, value) VALUES ('application', 'annotator');
        INSERT INTO labels(name, kind, color, key, description, position) VALUES
            ('PER', 'entity', '#f00', '1', '', 0), ('GPE', 'entity', '#0f0', '2', '', 1);
        INSERT INTO documents(id, title, text, language, direction, meta, content_hash, length, imported_at)
            VALUES (1, 't', '{TEXT.replace("'", "''")}', 'en', 'ltr', '{{"k": 1}}', 'h1', {len(TEXT)}, '2025-01-01');
        INSERT INTO annotators(id, name, created_at) VALUES (1, ' amira ', '2025-01-01'), (2, 'bilal', '2025-01-01');
        INSERT INTO spans(id, document_id, annotator_id, start, "end", label, origin, created_at) VALUES
            (1, 1, 1, 0, 5, 'PER', 'manual', '2025-01-01'), (4, 1, 2, 29, 34, 'GPE', 'accepted', '2025-01-01');
        INSERT INTO quotes(id, document_id, annotator_id, type, origin, created_at)
            VALUES (2, 1, 1, 'direct', 'manual', '2025-01-01');
        INSERT INTO quote_parts(id, quote_id, role, start, "end") VALUES (5, 2, 'content', 12, 18), (6, 2, 'cue', 6, 10);
        INSERT INTO statuses(document_id, annotator_id, status, updated_at) VALUES (1, 1, 'done', '2025-01-01');
        INSERT INTO suggestions(document_id, suggester, kind, start, "end", label, score)
            VALUES (1, 'gazetteer', 'entity', 29, 34, 'GPE', 0.9);
        INSERT INTO events(at, annotator, document_id, action, data) VALUES
            ('2025-01-01', ' amira ', 1, 'span.add', '{{"span": {{"id": 9, "start": 6, "end": 10, "label": "PER"}}}}'),
            ('2025-01-01', ' amira ', 1, 'span.delete', '{{"span": {{"id": 9, "start": 6, "end": 10, "label": "PER"}}}}'),
            ('2025-01-01', ' amira ', 1, 'quote.delete', '{{"quote": {{"id": 3}}}}'),
            ('2025-01-01', NULL, NULL, 'broken', 'not json');
        """
    )
    conn.close()


def schema_of(conn: sqlite3.Connection, table: str) -> dict:
    return {
        "columns": [tuple(r) for r in conn.execute(f"PRAGMA table_info({table})")],
        "foreign_keys": sorted(tuple(r)[2:] for r in conn.execute(f"PRAGMA foreign_key_list({table})")),
        "indexes": sorted(
            r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,))
            if r[0]
        ),
        "triggers": sorted(
            r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,))
        ),
        "rows": sorted(tuple(r) for r in conn.execute(f"SELECT * FROM {table}")),
    }


def test_a_v3_corpus_upgrades_keeping_every_row_index_foreign_key_and_trigger(tmp_path: Path):
    path = tmp_path / "corpus.db"
    make_v3_corpus(path)
    tables = ("documents", "annotators", "labels", "spans", "quotes", "quote_parts", "statuses", "suggestions",
              "events")
    with sqlite3.connect(path) as conn:
        before = {t: schema_of(conn, t) for t in tables}

    with Corpus(path) as corpus:
        assert corpus.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4
        conn = corpus.conn
        after = {t: schema_of(conn, t) for t in tables}
        for table in tables:
            for what in ("columns", "foreign_keys", "indexes", "triggers"):
                if (table, what) == ("events", "indexes"):  # gains the one it lacked, below
                    assert set(after[table][what]) > set(before[table][what])
                    continue
                assert after[table][what] == before[table][what], (table, what)
            if table != "annotators":
                assert after[table]["rows"] == before[table]["rows"], table
        for table in AUTOINCREMENT_TABLES:
            sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
            assert "AUTOINCREMENT" in sql
        # the index a v3 corpus made before it existed is there now
        assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'events_by_annotator'").fetchone()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

        # " amira " is amira now, with her spans, quote and status
        assert [s.key for s in corpus.spans(1, "amira")] == [(0, 5, "PER")]
        [quote] = corpus.quotes(1, "amira")
        assert (quote.id, quote.cue) == (2, Range(6, 10))
        assert corpus.status(1, "amira") == ("done", None)

        # new ids start above every id the table or the event log ever had
        span = corpus.add_span(1, "amira", Span(6, 10, "PER"))
        assert span.id == 10  # 9 was deleted before the upgrade: never given again
        new_quote = corpus.add_quote(1, "bilal", Quote(contents=(Range(12, 18),)))
        assert new_quote.id == 4  # quote 3 is in the log only
        part_ids = [r[0] for r in conn.execute("SELECT id FROM quote_parts WHERE quote_id = ?", (new_quote.id,))]
        assert part_ids == [7]

        # the foreign keys still act: deleting a quote takes its parts, a document its spans
        corpus.delete_quote(2, "amira")
        assert conn.execute("SELECT COUNT(*) FROM quote_parts WHERE quote_id = 2").fetchone()[0] == 0
        with corpus.transaction():
            conn.execute("DELETE FROM documents WHERE id = 1")
        assert conn.execute("SELECT COUNT(*) FROM spans").fetchone()[0] == 0


def test_a_deleted_newest_row_never_gives_its_id_again(corpus: Corpus):
    [doc] = corpus.add_documents([DocumentRecord(text=TEXT)]).new_ids
    first = corpus.add_span(doc, "amira", Span(0, 5, "PER"))
    corpus.delete_span(first.id, "amira")
    second = corpus.add_span(doc, "bilal", Span(0, 5, "PER"))
    assert second.id > first.id

    quote = corpus.add_quote(doc, "amira", Quote(contents=(Range(12, 18),), cue=Range(6, 10)))
    parts = {r[0] for r in corpus.conn.execute("SELECT id FROM quote_parts")}
    corpus.delete_quote(quote.id, "amira")
    again = corpus.add_quote(doc, "bilal", Quote(contents=(Range(12, 18),)))
    assert again.id > quote.id
    new_parts = {r[0] for r in corpus.conn.execute("SELECT id FROM quote_parts")}
    assert min(new_parts) > max(parts)


def test_a_new_corpus_is_created_at_v4_and_a_reopen_changes_nothing(corpus_path: Path):
    with Corpus(corpus_path) as corpus:
        assert corpus.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 4
        sql = corpus.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'spans'").fetchone()[0]
        assert "AUTOINCREMENT" in sql
    with Corpus(corpus_path) as corpus:
        assert corpus.setting("schema_version") == str(SCHEMA_VERSION)
    assert not list(corpus_path.parent.glob("*.backup*"))  # nothing to upgrade, nothing copied


def test_check_reports_a_v4_table_that_lost_autoincrement(corpus_path: Path):
    from annotator.store.maintenance import check

    with Corpus(corpus_path) as corpus:
        [doc] = corpus.add_documents([DocumentRecord(text=TEXT)]).new_ids
        corpus.add_span(doc, "amira", Span(0, 5, "PER"))
    assert check(corpus_path).ok
    conn = sqlite3.connect(corpus_path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("CREATE TABLE spans_plain AS SELECT * FROM spans")
    conn.execute("DROP TABLE spans")
    conn.execute("ALTER TABLE spans_plain RENAME TO spans")
    conn.close()
    problems = [str(p) for p in check(corpus_path).problems]
    assert "schema: table spans is not AUTOINCREMENT (schema v4 has it): deleted ids could be given again" in problems

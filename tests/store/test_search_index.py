"""The full-text search index is built after an import, never missing a document from a search."""

from __future__ import annotations

import sqlite3

from annotator.core.spans import DocumentRecord
from annotator.store import Corpus
from annotator.store.document_query import DocumentFilter, DocumentQuery
from annotator.store.maintenance import check as check_corpus
from annotator.store.schema import migrate


def fts_rows(corpus: Corpus, word: str) -> list[int]:
    return [r[0] for r in corpus.conn.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", (word,))]


def test_import_defers_indexing_and_update_catches_up(corpus):
    corpus.add_documents([DocumentRecord(text=f"وقال بوتين في المقال رقم {i}") for i in range(5)])
    assert corpus.search_index_pending() == 5
    assert fts_rows(corpus, "بوتين") == []
    seen = []
    assert corpus.update_search_index(batch=2, progress=lambda done, total: seen.append((done, total))) == 5
    assert seen == [(2, 5), (4, 5), (5, 5)]
    assert corpus.search_index_pending() == 0 and len(fts_rows(corpus, "بوتين")) == 5
    assert corpus.update_search_index() == 0


def test_a_search_right_after_an_import_finds_the_new_article(corpus):
    query = DocumentQuery(corpus, "amira")
    assert query.count(DocumentFilter(search="Obama")) == 0
    corpus.add_documents([DocumentRecord(text="Obama met Putin in Hangzhou.", title="Summit")])
    assert query.count(DocumentFilter(search="Hangzhou")) == 1
    assert [row.title for row in query.page(0, 10, DocumentFilter(search="Obama"))] == ["Summit"]


def test_check_accepts_pending_documents_and_leaves_them_pending(corpus_path):
    with Corpus.open(corpus_path) as corpus:
        corpus.add_documents([DocumentRecord(text="Obama met Putin."), DocumentRecord(text="Kerry met Lavrov.")])
        corpus.update_search_index()
        corpus.add_documents([DocumentRecord(text="Erdogan met Obama.")])
    report = check_corpus(corpus_path)
    assert not [p for p in report.problems if p.check == "fts"], report.problems
    with Corpus.open(corpus_path) as corpus:
        assert corpus.search_index_pending() == 1


def test_a_version_2_corpus_keeps_its_index_when_upgraded(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=2)
    conn.execute("INSERT INTO corpus_info(key, value) VALUES ('application', 'annotator')")
    conn.execute(
        "INSERT INTO documents(title, text, language, direction, content_hash, length, imported_at) "
        "VALUES ('t', 'Obama met Putin.', 'en', 'ltr', 'h1', 16, 'now')"
    )
    assert [r[0] for r in conn.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'Putin'")] == [1]
    conn.close()
    with Corpus.open(path) as corpus:
        assert corpus.search_index_pending() == 0
        corpus.add_documents([DocumentRecord(text="Putin met Erdogan.")])
        assert corpus.search_index_pending() == 1
        assert DocumentQuery(corpus, "a").count(DocumentFilter(search="Putin")) == 2

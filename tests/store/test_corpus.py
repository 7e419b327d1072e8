"""The corpus store: what a user would find in the database after each operation."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.store import Corpus, CorpusError, OverlapError, UnknownLabelError


def test_new_corpus_has_readable_tables_and_default_labels(corpus, corpus_path):
    tables = set(corpus.db.table_names())
    assert {"documents", "annotators", "spans", "quotes", "quote_parts", "statuses", "suggestions", "events"} <= tables
    assert corpus.labels.entity_names == ["PER", "ORG", "GPE", "LOC", "NORP", "MISC"]
    assert corpus.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert corpus.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_document_text_is_stored_exactly(corpus):
    # A file's byte-order mark is removed by the reader that decodes the file; the store keeps the
    # record's text exactly, so the record's span offsets keep pointing at the same characters.
    text = "\ufeffوقال بوتين\u00a0«نعم».\n"
    [doc_id] = corpus.add_documents([DocumentRecord(text=text, title="t")]).new_ids
    doc = corpus.document(doc_id)
    assert doc.text == text
    assert doc.direction == "rtl" and doc.language == "ar"


def test_reimport_is_a_duplicate(corpus):
    first = corpus.add_documents([DocumentRecord(text="Obama met Putin.")])
    again = corpus.add_documents([DocumentRecord(text="Obama met Putin.")])
    assert len(first.new_ids) == 1 and again.new_ids == [] and again.duplicate_ids == first.new_ids
    assert corpus.count_documents() == 1


def test_failing_batch_imports_nothing(corpus):
    good = DocumentRecord(text="Obama met Putin.", spans=[Span(0, 5, "PER")], annotator="a")
    bad = DocumentRecord(text="Short.", spans=[Span(0, 50, "PER")], annotator="a", location="x.jsonl:2")
    with pytest.raises(ValueError, match="x.jsonl:2"):
        corpus.add_documents([good, bad])
    assert corpus.count_documents() == 0
    assert corpus.conn.execute("SELECT COUNT(*) FROM spans").fetchone()[0] == 0


def test_span_edits_are_stored_and_logged(corpus):
    [doc_id] = corpus.add_documents([DocumentRecord(text="وأعلن بوتين أن هناك")]).new_ids
    span = corpus.add_span(doc_id, "amira", Span(6, 11, "PER"))
    row = corpus.conn.execute('SELECT start, "end", label, origin FROM spans WHERE id = ?', (span.id,)).fetchone()
    assert tuple(row) == (6, 11, "PER", "manual")
    corpus.update_span(span.id, "amira", label="ORG")
    assert corpus.spans(doc_id, "amira")[0].label == "ORG"
    corpus.delete_span(span.id, "amira")
    assert corpus.spans(doc_id, "amira") == []
    actions = [e["action"] for e in corpus.events(doc_id)]
    assert actions == ["span.add", "span.update", "span.delete"]
    assert corpus.status(doc_id, "amira")[0] == "in_progress"


def test_entities_do_not_overlap_and_labels_are_checked(corpus):
    [doc_id] = corpus.add_documents([DocumentRecord(text="Barack Obama spoke")]).new_ids
    corpus.add_span(doc_id, "a", Span(0, 12, "PER"))
    with pytest.raises(OverlapError):
        corpus.add_span(doc_id, "a", Span(7, 12, "PER"))
    with pytest.raises(UnknownLabelError):
        corpus.add_span(doc_id, "a", Span(13, 18, "VERB"))
    # another annotator's set is independent
    corpus.add_span(doc_id, "b", Span(7, 12, "PER"))
    assert len(corpus.spans(doc_id, "b")) == 1


def test_quotes_overlap_entities_and_round_trip(corpus):
    text = 'Obama said "we will act" today.'
    [doc_id] = corpus.add_documents([DocumentRecord(text=text)]).new_ids
    corpus.add_span(doc_id, "a", Span(0, 5, "PER"))
    quote = Quote(contents=(Range(12, 23),), cue=Range(6, 10), sources=(Range(0, 5),), entity=Range(0, 5))
    stored = corpus.add_quote(doc_id, "a", quote)
    [loaded] = corpus.quotes(doc_id, "a")
    assert loaded == stored
    assert text[loaded.contents[0].start:loaded.contents[0].end] == "we will act"


def test_event_log_is_append_only(corpus):
    corpus.log_event("a", None, "test", {})
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        corpus.conn.execute("DELETE FROM events")


def test_statuses_progress_and_next_document(corpus):
    ids = corpus.add_documents([DocumentRecord(text=f"Article number {i}.") for i in range(3)]).new_ids
    assert corpus.next_document("a") == ids[0]
    corpus.set_status(ids[0], "a", "done")
    corpus.set_status(ids[1], "a", "skipped", note="not news")
    assert corpus.progress("a") == (1, 3)
    assert corpus.next_document("a", after=ids[0]) == ids[2]
    assert corpus.status(ids[1], "a") == ("skipped", "not news")


def test_a_file_that_is_not_ours_is_refused(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(CorpusError, match="not an annotator corpus"):
        Corpus.open(other)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(CorpusError):
        Corpus.open(garbage)


def test_reopen_keeps_everything(corpus_path):
    with Corpus.open(corpus_path) as c:
        [doc_id] = c.add_documents([DocumentRecord(text="Obama met Putin.")]).new_ids
        c.add_span(doc_id, "a", Span(0, 5, "PER"))
    with Corpus.open(corpus_path) as c:
        assert [s.key for s in c.spans(doc_id, "a")] == [(0, 5, "PER")]


def test_registered_models_survive_reopen(corpus_path):
    with Corpus.open(corpus_path) as c:
        c.register_model("model:ner", "/tmp/model-best", scores={"ents_f": 0.5})
        c.register_model("model:ner", "/tmp/model-last")
    with Corpus.open(corpus_path) as c:
        [model] = c.registered_models()
        assert model["name"] == "model:ner" and model["path"] == "/tmp/model-last"

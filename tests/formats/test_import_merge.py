"""Merging a colleague's corpus database: their sets arrive under their names; merging again changes nothing."""

from __future__ import annotations

import pytest

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.formats.importer import import_paths
from annotator.store import Corpus, CorpusError, UnknownLabelError
from annotator.store.merge import merge_corpus

SHARED_TEXT = 'Obama said "we will act" today.'
THEIR_TEXT = "Putin met Erdogan in Ankara."


@pytest.fixture
def colleague(tmp_path):
    path = tmp_path / "colleague.db"
    with Corpus.open(path) as other:
        shared, theirs = other.add_documents([DocumentRecord(text=SHARED_TEXT), DocumentRecord(text=THEIR_TEXT)]).new_ids
        other.add_span(shared, "omar", Span(0, 5, "PER"))
        other.add_quote(shared, "omar", Quote(contents=(Range(12, 23),), cue=Range(6, 10), sources=(Range(0, 5),),
                                              entity=Range(0, 5)))
        other.set_status(shared, "omar", "done")
        other.add_span(theirs, "omar", Span(0, 5, "PER", origin="accepted", suggester="gazetteer", score=0.7))
        other.add_span(theirs, "omar", Span(21, 27, "GPE"))
        other.set_status(theirs, "omar", "skipped", note="not news")
        other.annotator_id("rana", kind="reviewer")
        other.add_span(theirs, "rana", Span(10, 17, "PER"))
    return path


def test_merge_brings_documents_sets_and_statuses(corpus, colleague):
    [mine] = corpus.add_documents([DocumentRecord(text=SHARED_TEXT)]).new_ids
    corpus.add_span(mine, "amira", Span(0, 5, "PER"))
    result = merge_corpus(corpus, colleague)
    assert (result.documents_new, result.documents_duplicate, result.spans, result.quotes) == (1, 1, 4, 1)
    assert corpus.count_documents() == 2
    assert [s.key for s in corpus.spans(mine, "amira")] == [(0, 5, "PER")]  # my work untouched
    assert [s.key for s in corpus.spans(mine, "omar")] == [(0, 5, "PER")]
    [quote] = corpus.quotes(mine, "omar")
    assert (quote.cue, quote.entity) == (Range(6, 10), Range(0, 5))
    assert corpus.status(mine, "omar") == ("done", None)
    theirs = next(i for i in corpus.document_ids() if i != mine)
    accepted = corpus.spans(theirs, "omar")[0]
    assert (accepted.origin, accepted.suggester, accepted.score) == ("accepted", "gazetteer", 0.7)
    assert corpus.status(theirs, "omar") == ("skipped", "not news")
    kinds = {a["name"]: a["kind"] for a in corpus.annotators()}
    assert kinds["rana"] == "reviewer"


def test_merging_again_is_a_no_op(corpus, colleague):
    merge_corpus(corpus, colleague)
    counts = [corpus.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("documents", "spans", "quotes", "statuses", "events")]
    again = merge_corpus(corpus, colleague)
    assert (again.documents_new, again.documents_duplicate, again.spans, again.quotes, again.statuses) == (0, 2, 0, 0, 0)
    assert counts == [corpus.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                      for t in ("documents", "spans", "quotes", "statuses", "events")]


def test_merge_through_import_paths_and_from_db(corpus, colleague):
    summary = import_paths(corpus, [], from_db=[colleague])
    assert summary.ok and summary.documents_new == 2 and summary.spans == 4 and summary.statuses == 3
    again = import_paths(corpus, [colleague])  # a database among the paths is detected and merged
    assert again.ok and again.documents_duplicate == 2 and again.spans == 0


def test_labels_the_corpus_lacks_need_allow_new_labels(corpus, tmp_path):
    path = tmp_path / "other.db"
    with Corpus.open(path) as other:
        other.add_label("EVENT", color="#123456", key="7")
        [doc] = other.add_documents([DocumentRecord(text="The G20 summit opened.")]).new_ids
        other.add_span(doc, "omar", Span(4, 14, "EVENT"))
    with pytest.raises(UnknownLabelError, match="labels EVENT are not in this corpus.*--allow-new-labels"):
        merge_corpus(corpus, path)
    assert corpus.count_documents() == 0
    merge_corpus(corpus, path, allow_new_labels=True)
    assert corpus.labels.entity("EVENT").color == "#123456"


def test_merge_refuses_itself_and_other_files(corpus, corpus_path, tmp_path):
    with pytest.raises(CorpusError, match="into itself"):
        merge_corpus(corpus, corpus_path)
    missing = import_paths(corpus, [], from_db=[tmp_path / "missing.db"])
    assert missing.files_failed == 1 and "no such corpus file" in missing.errors[0]

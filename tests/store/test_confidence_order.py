"""Least confident first: documents ordered by the mean of the model's lowest entity scores, in SQL."""

from __future__ import annotations

from annotator.core.spans import DocumentRecord, Span
from annotator.store.document_query import DocumentFilter, DocumentQuery


def test_documents_sort_by_the_mean_of_their_three_lowest_model_scores(corpus):
    ids = corpus.add_documents([DocumentRecord(text=f"article number {i} with some words") for i in range(5)]).new_ids
    a, b, c, d, e = ids
    scored = {a: [0.9, 0.8], b: [0.1, 0.95, 0.97, 0.99], c: [0.5], e: [0.99]}
    for doc_id, scores in scored.items():
        spans = [Span(3 * i, 3 * i + 2, "PER", suggester="model:loop-en", score=s) for i, s in enumerate(scores)]
        corpus.store_suggestions(doc_id, "model:loop-en", "v1", spans, [])
    # a gazetteer's or learned's scores say nothing about the model
    corpus.store_suggestions(d, "learned", "v1", [Span(0, 7, "PER", suggester="learned", score=0.0)], [])
    query = DocumentQuery(corpus, "amira")
    least = DocumentFilter(sort="confidence")
    assert query.ids(0, 10, least) == [c, b, a, e, d]  # c 0.5, b 0.677, a 0.85, e 0.99, d none
    assert query.ids(0, 10, least.with_(descending=True)) == [d, e, a, b, c]
    assert [query.position(doc_id, least) for doc_id in (c, b, a, e, d)] == [0, 1, 2, 3, 4]
    assert query.ids(1, 2, least) == [b, a]

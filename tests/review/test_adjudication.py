"""Adjudication without widgets: decisions end up in the reviewer's set and the event log."""

from __future__ import annotations

import pytest

from annotator.core.spans import DocumentRecord, Quote, Span
from annotator.review.adjudication import (
    EDIT,
    TAKE_A,
    TAKE_B,
    TAKE_BOTH,
    TAKE_NEITHER,
    Adjudication,
    ReviewError,
    allowed_decisions,
)

from .builders import A, B


def item_for(adj: Adjudication, doc_id: int, kind: str, status: str, index: int = 0):
    return [i for i in adj.items(doc_id) if i.kind == kind and i.status == status][index]


def reviewed_spans(corpus, doc_id: int, reviewer: str = "lead") -> set[tuple]:
    return {(s.start, s.end, s.label) for s in corpus.spans(doc_id, reviewer)}


def test_merged_items_show_every_kind_of_disagreement(review_corpus):
    corpus, doc_id, exp = review_corpus
    adj = Adjudication(corpus, A, B, "lead")
    assert adj.articles() == [doc_id]
    by_status = {}
    for item in adj.items(doc_id):
        by_status.setdefault((item.kind, item.status), []).append(item)
    assert sorted(i.a.key for i in by_status[("entity", "agree")]) == sorted(exp["agree"])
    assert [(i.a.key, i.b.key) for i in by_status[("entity", "boundary")]] == [exp["boundary"]]
    assert [(i.a.key, i.b.key) for i in by_status[("entity", "other_label")]] == [exp["other_label"]]
    assert [(i.a.key, i.b.key) for i in by_status[("entity", "other_label_boundary")]] == [
        exp["other_label_boundary"]]
    assert [i.a.key for i in by_status[("entity", "only_a")]] == [exp["only_a"]]
    assert [i.b.key for i in by_status[("entity", "only_b")]] == [exp["only_b"]]
    assert sorted(i.differences for i in by_status[("quote", "differs")]) == [("cue",), ("type",)]
    assert len(by_status[("quote", "only_a")]) == 1 and len(by_status[("quote", "only_b")]) == 1
    # 5 entity + 4 quote disagreements; items come in text order.
    assert adj.disagreements_left(doc_id) == 9
    assert adj.corpus_disagreements_left() == 9
    starts = [i.start for i in adj.items(doc_id)]
    assert starts == sorted(starts)


def test_take_a_take_b_neither_and_edit_fill_the_reviewed_set(review_corpus):
    corpus, doc_id, exp = review_corpus
    adj = Adjudication(corpus, A, B, "lead")
    adj.decide(doc_id, item_for(adj, doc_id, "entity", "boundary"), TAKE_A)
    adj.decide(doc_id, item_for(adj, doc_id, "entity", "other_label"), TAKE_B)
    adj.decide(doc_id, item_for(adj, doc_id, "entity", "only_a"), TAKE_NEITHER)
    adj.decide(doc_id, item_for(adj, doc_id, "entity", "only_b"), TAKE_B)
    g20 = exp["other_label_boundary"][0]
    adj.decide(doc_id, item_for(adj, doc_id, "entity", "other_label_boundary"), EDIT,
               span=Span(g20[0], g20[1], "MISC"))
    assert reviewed_spans(corpus, doc_id) == {
        exp["boundary"][0], exp["other_label"][1], exp["only_b"], (g20[0], g20[1], "MISC")}
    origins = {(s.start, s.end): s.origin for s in corpus.spans(doc_id, "lead")}
    assert origins[(g20[0], g20[1])] == "manual"
    assert origins[exp["only_b"][:2]] == "imported"
    assert adj.disagreements_left(doc_id) == 4  # the four quote items
    decisions = [e["data"] for e in corpus.events(doc_id=doc_id, annotator="lead") if e["action"] == "review.decide"]
    assert [d["decision"] for d in decisions] == [TAKE_A, TAKE_B, TAKE_NEITHER, TAKE_B, EDIT]
    assert [d["status"] for d in decisions] == ["boundary", "other_label", "only_a", "only_b",
                                                "other_label_boundary"]
    assert corpus.reviewed_set() == "lead"
    assert {r["name"]: r["kind"] for r in corpus.annotators()}["lead"] == "reviewer"


def test_quotes_take_both_and_the_reviewed_quotes(review_corpus):
    corpus, doc_id, exp = review_corpus
    adj = Adjudication(corpus, A, B, "lead")
    type_item = next(i for i in adj.items(doc_id) if i.kind == "quote" and i.differences == ("type",))
    cue_item = next(i for i in adj.items(doc_id) if i.kind == "quote" and i.differences == ("cue",))
    assert TAKE_BOTH in allowed_decisions(type_item)  # quotes may overlap
    adj.decide(doc_id, type_item, TAKE_B)
    adj.decide(doc_id, cue_item, TAKE_BOTH)
    adj.decide(doc_id, item_for(adj, doc_id, "quote", "only_a"), TAKE_A)
    adj.decide(doc_id, item_for(adj, doc_id, "quote", "only_b"), TAKE_NEITHER)
    stored = corpus.quotes(doc_id, "lead")
    keys = sorted(((q.key, q.type) for q in stored), key=repr)
    want_a, want_b = exp["quote_cue"]
    assert keys == sorted([
        (exp["quote_type"][1].key, "mixed"),
        (want_a.key, "direct"), (want_b.key, "direct"),
        (exp["quote_only_a"].key, "direct"),
    ], key=repr)
    assert all(q.origin == "imported" for q in stored)


def test_take_both_refused_for_overlapping_entities_and_nothing_written(review_corpus):
    corpus, doc_id, _ = review_corpus
    adj = Adjudication(corpus, A, B, "lead")
    item = item_for(adj, doc_id, "entity", "boundary")
    assert TAKE_BOTH not in allowed_decisions(item)
    with pytest.raises(ReviewError, match="entities may not overlap"):
        adj.decide(doc_id, item, TAKE_BOTH)
    with pytest.raises(ReviewError, match="A has nothing here"):
        adj.decide(doc_id, item_for(adj, doc_id, "entity", "only_b"), TAKE_A)
    assert corpus.spans(doc_id, "lead") == []
    assert not [e for e in corpus.events(doc_id=doc_id, annotator="lead") if e["action"] == "review.decide"]


def test_deciding_again_replaces_the_earlier_choice(review_corpus):
    corpus, doc_id, exp = review_corpus
    adj = Adjudication(corpus, A, B, "lead")
    item = item_for(adj, doc_id, "entity", "other_label")
    adj.decide(doc_id, item, TAKE_A)
    adj.decide(doc_id, item, TAKE_B)
    assert reviewed_spans(corpus, doc_id) == {exp["other_label"][1]}
    assert item_for(adj, doc_id, "entity", "other_label").decision == TAKE_B
    # A new Adjudication (the app restarted) reads the decision back from the event log.
    again = Adjudication(corpus, A, B, "lead")
    assert item_for(again, doc_id, "entity", "other_label").decision == TAKE_B
    assert again.disagreements_left(doc_id) == 8


def test_a_clash_with_the_reviewed_set_is_refused_whole(review_corpus):
    corpus, doc_id, exp = review_corpus
    adj = Adjudication(corpus, A, B, "lead")
    full, _ = exp["boundary"]
    adj.decide(doc_id, item_for(adj, doc_id, "entity", "boundary"), TAKE_A)
    item = item_for(adj, doc_id, "entity", "only_a")
    with pytest.raises(ReviewError, match="overlap"):
        adj.decide(doc_id, item, EDIT, span=Span(full[0], full[1] - 2, "PER"))
    assert reviewed_spans(corpus, doc_id) == {full}
    assert item_for(adj, doc_id, "entity", "only_a").decision is None


def test_accept_agreements_then_everything_settled_marks_the_article_done(review_corpus):
    corpus, doc_id, exp = review_corpus
    adj = Adjudication(corpus, A, B, "lead")
    assert adj.accept_agreements(doc_id) == 3
    assert reviewed_spans(corpus, doc_id) == set(exp["agree"])
    assert corpus.status(doc_id, "lead")[0] == "in_progress"
    found = adj.next_disagreement(doc_id)
    while found is not None:
        _, item = found
        adj.decide(doc_id, item, TAKE_A if item.a is not None else TAKE_B)
        found = adj.next_disagreement(doc_id, item)
    assert adj.disagreements_left(doc_id) == 0
    assert corpus.status(doc_id, "lead")[0] == "done"


def test_next_disagreement_walks_the_article_then_the_corpus_and_wraps(review_corpus):
    corpus, doc_id, _ = review_corpus
    [second] = corpus.add_documents([DocumentRecord(text="Obama met Merkel in Berlin.")]).new_ids
    corpus.add_span(second, A, Span(0, 5, "PER"))
    corpus.add_span(second, B, Span(0, 5, "ORG"))
    adj = Adjudication(corpus, A, B, "lead")
    assert adj.articles() == [doc_id, second]
    pending = [i for i in adj.items(doc_id) if not i.is_agreement]
    seen = []
    found = adj.next_disagreement(doc_id)
    for _ in range(len(pending) + 1):
        seen.append(found)
        found = adj.next_disagreement(*found)
    assert [item for _, item in seen[:-1]] == pending
    assert seen[-1][0] == second  # then the next article
    assert found == (doc_id, pending[0])  # and round again
    back = adj.next_disagreement(doc_id, pending[0], backwards=True)
    assert back[0] == second  # previous from the first item wraps to the last article
    assert adj.corpus_disagreements_left() == 10


def test_articles_where_both_agree_fully_are_accepted_in_one_step(review_corpus):
    corpus, doc_id, _ = review_corpus
    ids = corpus.add_documents([DocumentRecord(text="Obama met Merkel in Berlin."),
                                DocumentRecord(text="Paris is big.")]).new_ids
    for name in (A, B):
        corpus.add_span(ids[0], name, Span(0, 5, "PER"))
        corpus.add_span(ids[0], name, Span(20, 26, "GPE"))
        corpus.set_status(ids[1], name, "done")  # both found nothing: agree fully too
    adj = Adjudication(corpus, A, B, "lead")
    assert adj.accept_agreeing_articles() == [ids[0], ids[1]]
    assert reviewed_spans(corpus, ids[0]) == {(0, 5, "PER"), (20, 26, "GPE")}
    assert corpus.status(ids[0], "lead")[0] == "done" and corpus.status(ids[1], "lead")[0] == "done"
    assert corpus.spans(doc_id, "lead") == []  # the article with disagreements is untouched
    assert adj.accept_agreeing_articles() == []  # nothing left to do the second time
    assert adj.articles_left() == 1


def test_clear_errors_for_bad_names(review_corpus):
    corpus, _, _ = review_corpus
    with pytest.raises(ReviewError, match="no annotator named 'zoe'"):
        Adjudication(corpus, A, "zoe", "lead")
    with pytest.raises(ReviewError, match="must not be one of"):
        Adjudication(corpus, A, B, A)
    corpus.annotator_id("chen")  # an ordinary annotator
    with pytest.raises(ReviewError, match="'chen' is an annotator"):
        Adjudication(corpus, A, B, "chen")
    with pytest.raises(ReviewError, match="two different"):
        Adjudication(corpus, A, A, "lead")


def test_edit_by_hand_of_a_quote(review_corpus):
    corpus, doc_id, exp = review_corpus
    adj = Adjudication(corpus, A, B, "lead")
    item = next(i for i in adj.items(doc_id) if i.kind == "quote" and i.differences == ("type",))
    mixed = item.a.with_(type="indirect")
    adj.decide(doc_id, item, EDIT, quote=mixed)
    [stored] = corpus.quotes(doc_id, "lead")
    assert stored.key == item.a.key and stored.type == "indirect" and stored.origin == "manual"
    with pytest.raises(ReviewError, match="needs the quote"):
        adj.decide(doc_id, item, EDIT)
    assert isinstance(stored, Quote)


def test_taking_a_decision_back_reopens_the_item(review_corpus):
    corpus, doc_id, exp = review_corpus
    adj = Adjudication(corpus, A, B, "lead")
    item = item_for(adj, doc_id, "entity", "other_label")
    adj.decide(doc_id, item, TAKE_B)
    reopened = adj.undecide(doc_id, item)
    assert reopened.decision is None
    assert corpus.spans(doc_id, "lead") == []
    assert Adjudication(corpus, A, B, "lead").disagreements_left(doc_id) == 9  # also after a restart
    last = [e["data"] for e in corpus.events(doc_id=doc_id, annotator="lead") if e["action"] == "review.decide"][-1]
    assert last["decision"] is None and last["item"] == item.key


def test_take_both_on_an_agreement_says_why_not(review_corpus):
    corpus, doc_id, _ = review_corpus
    adj = Adjudication(corpus, A, B, "lead")
    with pytest.raises(ReviewError, match="A and B agree here"):
        adj.decide(doc_id, item_for(adj, doc_id, "entity", "agree"), TAKE_BOTH)


def test_a_changed_decision_only_ever_removes_the_reviewers_own_spans(corpus):
    """A decision event names span ids; one that now names someone else's span (an id a pre-v4
    corpus gave again) must never delete it."""
    [doc] = corpus.add_documents([DocumentRecord(text="Obama met Putin in Paris.")]).new_ids
    corpus.add_span(doc, "amira", Span(0, 5, "PER"))
    corpus.add_span(doc, "bilal", Span(0, 5, "ORG"))
    adj = Adjudication(corpus, "amira", "bilal", "lead")
    [item] = [i for i in adj.items(doc) if i.kind == "entity"]
    adj.decide(doc, item, TAKE_A)
    [taken] = corpus.spans(doc, "lead")
    with corpus.transaction() as conn:  # what id reuse did before schema v4: the id is now bilal's span
        conn.execute("DELETE FROM spans WHERE id = ?", (taken.id,))
        conn.execute("UPDATE spans SET id = ? WHERE annotator_id = ?", (taken.id, corpus.annotator_id("bilal")))
    adj.decide(doc, item.key, TAKE_NEITHER)
    assert [(s.id, s.key) for s in corpus.spans(doc, "bilal")] == [(taken.id, (0, 5, "ORG"))]
    assert corpus.spans(doc, "lead") == []

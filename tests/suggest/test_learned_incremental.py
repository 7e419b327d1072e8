"""Only what changed re-runs: a new entity re-runs `learned` only, on the articles where it can occur."""

from __future__ import annotations

import shutil

from annotator.core.spans import DocumentRecord, Span
from annotator.store import Corpus
from annotator.suggest.learned_state import SCORE_STEP, prepare_learned
from annotator.suggest.runner import run_suggesters

ALL = ["gazetteer", "learned", "quotes"]
TEXTS = [
    "وقال بوتين إن روسيا مستعدة للحوار.",  # 1 annotated
    "وأكد لافروف أن المحادثات مستمرة.",  # 2 annotated
    "وزار بوتين جنيف والتقى لافروف.",  # 3 annotated
    "واستقبل غوتيريش الوفد في نيويورك.",  # 4 the new name is labelled here
    "وقال بوتين للصحافيين إن الاتفاق قريب.",  # 5
    "ودعا الأمين العام غوتيريش إلى وقف النار، وقال لغوتيريش مساعدوه إن الوقت ضيق.",  # 6 holds it twice
    "وتراجعت أسعار النفط في الأسواق.",  # 7
    "وأعلنت الحكومة خطة جديدة للإسكان.",  # 8
]


def setup(corpus: Corpus) -> list[int]:
    ids = corpus.add_documents([DocumentRecord(text=t, language="ar") for t in TEXTS]).new_ids
    for doc_id, names in zip(ids, [["بوتين"], ["لافروف"], ["بوتين", "لافروف"]], strict=False):
        text = corpus.document(doc_id).text
        for name in names:
            start = text.index(name)
            corpus.add_span(doc_id, "amira", Span(start, start + len(name), "PER"))
        corpus.set_status(doc_id, "amira", "done")
    return ids


def learned_texts(corpus: Corpus, doc_id: int) -> list[str]:
    text = corpus.document(doc_id).text
    return [text[s.start : s.end] for s in corpus.suggestions(doc_id, "learned")[0]]


def add_name(corpus: Corpus, doc_id: int, name: str) -> Span:
    text = corpus.document(doc_id).text
    start = text.index(name)
    return corpus.add_span(doc_id, "amira", Span(start, start + len(name), "PER"))


def test_a_new_entity_reruns_learned_only_where_the_name_occurs(corpus) -> None:
    ids = setup(corpus)
    first = run_suggesters(corpus, ALL)
    assert first.processed == len(ids)
    assert run_suggesters(corpus, ALL).processed == 0
    assert learned_texts(corpus, ids[5]) == []

    added = add_name(corpus, ids[3], "غوتيريش")
    again = run_suggesters(corpus, ALL)
    assert again.processed == 2 and again.up_to_date == len(ids) - 2
    assert again.per_suggester["learned"]["documents"] == 2  # article 4 (edited) and 6 (holds the name)
    assert again.per_suggester["gazetteer"]["documents"] == again.per_suggester["quotes"]["documents"] == 0
    assert learned_texts(corpus, ids[5]) == ["غوتيريش", "لغوتيريش"]

    corpus.delete_span(added.id, "amira")  # the name leaves the corpus: the same two articles re-run
    removed = run_suggesters(corpus, ALL)
    assert removed.per_suggester["learned"]["documents"] == 2
    assert learned_texts(corpus, ids[5]) == []


def test_evidence_is_counted_again_only_for_the_sets_that_changed(corpus) -> None:
    ids = setup(corpus)
    run_suggesters(corpus, ["learned"])
    assert prepare_learned(corpus, "ar").counted == 0  # everything cached
    corpus.set_status(ids[4], "amira", "done")  # a new set, read in full, where بوتين was left unlabelled
    prepared = prepare_learned(corpus, "ar")
    assert prepared.counted == 1
    # The new evidence changed بوتين's score, so every article holding بوتين re-runs, and only those.
    rerun = run_suggesters(corpus, ["learned"])
    assert rerun.processed == 3
    assert all(s.score < 0.9 for doc_id in (ids[0], ids[2], ids[4])
               for s in corpus.suggestions(doc_id, "learned")[0] if corpus.document(doc_id).text[s.start:s.end] == "بوتين")


def test_incremental_results_equal_a_run_from_scratch(tmp_path) -> None:
    path = tmp_path / "c.db"
    with Corpus.open(path) as corpus:
        ids = setup(corpus)
        run_suggesters(corpus, ALL)
        add_name(corpus, ids[3], "غوتيريش")
        run_suggesters(corpus, ALL)
        span = add_name(corpus, ids[6], "النفط")
        corpus.set_status(ids[4], "amira", "done")
        run_suggesters(corpus, ALL)
        corpus.update_span(span.id, "amira", label="MISC")
        corpus.set_status(ids[1], "amira", "skipped")
        run_suggesters(corpus, ALL)
        incremental = {d: corpus.suggestions(d, "learned")[0] for d in ids}
    shutil.copy(path, tmp_path / "copy.db")
    with Corpus.open(tmp_path / "copy.db") as fresh:
        with fresh.transaction() as conn:  # forget every cached state: learn everything again
            conn.execute("DELETE FROM learned_lexicon")
            conn.execute("DELETE FROM learned_evidence")
            conn.execute("DELETE FROM corpus_info WHERE key LIKE 'learned.%'")
        run_suggesters(fresh, ["learned"], force=True)
        scratch = {d: fresh.suggestions(d, "learned")[0] for d in ids}
    # The same proposals; scores within the step by which published scores may lag the evidence.
    where = lambda spans: [(s.start, s.end, s.label) for s in spans]  # noqa: E731
    assert {d: where(v) for d, v in incremental.items()} == {d: where(v) for d, v in scratch.items()}
    for d in ids:
        for mine, theirs in zip(incremental[d], scratch[d], strict=True):
            assert abs(mine.score - theirs.score) < SCORE_STEP
    assert any(incremental.values())


def test_results_copied_from_another_corpus_are_not_taken_for_this_ones(tmp_path) -> None:
    with Corpus.open(tmp_path / "a.db") as a, Corpus.open(tmp_path / "b.db") as b:
        setup(a)
        ids_b = setup(b)
        run_suggesters(a, ["learned"])
        version = a.suggestion_version(1, "learned")
        for doc_id in ids_b:  # what copying a colleague's cached suggestions would bring
            b.store_suggestions(doc_id, "learned", version, [], [])
        assert run_suggesters(b, ["learned"]).processed == len(ids_b)

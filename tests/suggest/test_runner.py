"""run_suggesters: batching, the per-version cache, progress, stopping, languages, threads."""

from __future__ import annotations

import threading

import pytest

from annotator.core.spans import DocumentRecord
from annotator.store import Corpus
from annotator.suggest.runner import run_suggesters

ARTICLES = [
    'وقال أوباما إن المحادثات مع بوتين كانت مفيدة. وأضاف "سنواصل العمل".',
    "وأعلن وزير الخارجية الأميركي جون كيري أن الاتفاق بات قريبا في جنيف.",
    "وصل الوفد السعودي إلى الرياض قادما من القاهرة.",
]


@pytest.fixture
def filled(corpus) -> tuple[Corpus, list[int]]:
    ids = corpus.add_documents([DocumentRecord(text=t) for t in ARTICLES]).new_ids
    return corpus, ids


def test_first_run_stores_every_suggester_for_every_document(filled) -> None:
    corpus, ids = filled
    calls: list[tuple[int, int]] = []
    summary = run_suggesters(corpus, progress=lambda done, total: calls.append((done, total)), batch_size=2)
    assert summary.processed == 3 and summary.up_to_date == 0
    assert calls[0] == (0, 3) and calls[-1] == (3, 3)
    for doc_id in ids:
        for name in ("quotes", "gazetteer", "learned"):
            assert corpus.suggestion_version(doc_id, name) is not None
    spans, quotes = corpus.suggestions(ids[0])
    text = corpus.document(ids[0]).text
    assert {text[s.start : s.end] for s in spans if s.suggester == "gazetteer"} >= {"أوباما", "بوتين"}
    assert [q.type for q in quotes] == ["indirect", "direct"]
    assert summary.quotes == 3 and summary.per_suggester["quotes"]["quotes"] == 3


def test_second_run_processes_nothing_and_force_reruns(filled) -> None:
    corpus, _ = filled
    run_suggesters(corpus)
    again = run_suggesters(corpus)
    assert (again.processed, again.up_to_date) == (0, 3)
    forced = run_suggesters(corpus, ["quotes"], force=True)
    assert forced.processed == 3


def test_a_new_suggester_version_reruns_only_that_document_set(filled) -> None:
    corpus, ids = filled
    run_suggesters(corpus, ["quotes"])
    corpus.store_suggestions(ids[1], "quotes", "quotes-0-old", [], [])
    again = run_suggesters(corpus, ["quotes"])
    assert again.processed == 1
    assert len(corpus.suggestions(ids[1], "quotes")[1]) == 1


def test_doc_ids_limit_the_run(filled) -> None:
    corpus, ids = filled
    summary = run_suggesters(corpus, ["gazetteer"], doc_ids=[ids[2]])
    assert summary.processed == 1
    assert corpus.suggestion_version(ids[0], "gazetteer") is None
    assert corpus.suggestion_version(ids[2], "gazetteer") is not None


def test_should_stop_ends_after_the_current_batch(filled) -> None:
    corpus, ids = filled
    summary = run_suggesters(corpus, ["quotes"], batch_size=1, should_stop=lambda: True)
    assert summary.stopped and summary.processed == 0
    assert all(corpus.suggestion_version(i, "quotes") is None for i in ids)


def test_a_language_without_quote_rules_is_skipped_with_a_note(corpus) -> None:
    [doc_id] = corpus.add_documents([DocumentRecord(text="« Nous ne reculerons pas », a dit Poutine.",
                                                    language="fr")]).new_ids
    summary = run_suggesters(corpus, ["quotes", "gazetteer"])
    assert summary.skipped == ["quotes: no quote rules for language 'fr' (add resources/quotes/fr.json) (1 documents)"]
    assert corpus.suggestion_version(doc_id, "gazetteer") is not None
    assert corpus.suggestion_version(doc_id, "quotes") is None


def test_suggestions_never_count_as_an_annotators_labels(filled) -> None:
    corpus, ids = filled
    run_suggesters(corpus)
    assert all(corpus.spans(i, "amira") == [] and corpus.quotes(i, "amira") == [] for i in ids)
    assert corpus.progress("amira") == (0, 3)


def test_the_ui_can_run_it_in_a_thread_with_its_own_connection(filled, corpus_path) -> None:
    corpus, ids = filled
    result: dict = {}

    def work() -> None:
        with Corpus.open(corpus_path) as own:
            result["summary"] = run_suggesters(own, ["quotes", "gazetteer"])

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert result["summary"].processed == 3
    assert corpus.suggestions(ids[0], "quotes")[1]  # visible to the GUI thread's connection

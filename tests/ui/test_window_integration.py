"""The window's links to the rest of the corpus: other windows, the search index, the review."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMenuBar

from annotator.core.spans import DocumentRecord, Span
from annotator.store import Corpus
from annotator.store.document_query import DocumentFilter, DocumentQuery
from annotator.ui.main_window import MainWindow

WHO = "amira"


def make_corpus(path: Path, n: int = 3) -> list[int]:
    with Corpus.open(path) as corpus:
        return corpus.add_documents(
            [DocumentRecord(text=f"وقال بوتين في المقال رقم {i} إن المحادثات مستمرة", title=f"مقال {i}")
             for i in range(n)]
        ).new_ids


def open_window(qtbot, path: Path) -> MainWindow:
    window = MainWindow(path, WHO, run_suggesters=False)
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_second_window_on_the_same_article_is_told_and_both_edits_are_kept(qtbot, tmp_path):
    path = tmp_path / "corpus.db"
    first_id = make_corpus(path)[0]
    first = open_window(qtbot, path)
    assert first.session.doc_id == first_id and first.message_label.text() == ""
    second = open_window(qtbot, path)
    assert second.session.doc_id == first_id
    assert "also open for amira in another window" in second.message_label.text()

    first.session.label_range(5, 10, "PER")  # بوتين
    second.session.label_range(0, 4, "MISC")  # وقال
    with Corpus.open(path) as corpus:
        assert {s.key for s in corpus.spans(first_id, WHO)} == {(5, 10, "PER"), (0, 4, "MISC")}

    first.close()  # gives the article back: a third window is not warned
    third = open_window(qtbot, path)
    second.close()
    assert "another window" not in third.message_label.text()


def test_the_window_builds_the_search_index_of_a_fresh_import_in_the_background(qtbot, tmp_path):
    path = tmp_path / "corpus.db"
    make_corpus(path, n=25)
    with Corpus.open(path) as corpus:
        assert corpus.search_index_pending() == 25
    window = open_window(qtbot, path)
    qtbot.waitUntil(lambda: window.index_label.text() == "search index: +25", timeout=10_000)
    with Corpus.open(path) as corpus:
        assert corpus.search_index_pending() == 0
        assert DocumentQuery(corpus, WHO).count(DocumentFilter(search="المقال")) == 25
    window.document_list.search.setText("13")  # "المقال رقم 13"
    qtbot.waitUntil(lambda: window.document_list.model.rowCount() == 1, timeout=5_000)
    window.document_list.search.setText("بوتين")
    window.close()  # a search still waiting for the typing to pause never runs on the closed corpus
    qtbot.wait(400)


def test_the_review_menu_opens_the_review_of_two_annotators(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "corpus.db"
    doc_id = make_corpus(path, n=1)[0]
    with Corpus.open(path) as corpus:
        corpus.add_span(doc_id, "amira", Span(5, 10, "PER"))
        corpus.add_span(doc_id, "bilal", Span(5, 10, "ORG"))
    window = open_window(qtbot, path)
    opened = []
    monkeypatch.setattr("annotator.ui.review_start.open_review", lambda parent, p: opened.append((parent, p)))
    [review] = [a for a in window.findChild(QMenuBar).actions() if a.text() == "&Review"]
    start = next(a for a in review.menu().actions() if a.objectName() == "action_review")
    start.trigger()
    assert opened == [(window, path)]

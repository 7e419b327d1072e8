"""Ctrl+Enter (done) and Ctrl+K (skip) go to the next article to do *in the list*, within its
search and filters, as Ctrl+PgDown does; without a filter, the next undone one as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.spans import DocumentRecord
from annotator.store import Corpus
from annotator.store.document_query import DocumentFilter, DocumentQuery
from annotator.ui.main_window import MainWindow

WHO = "amira"
TITLES = ["بوتين في موسكو", "Oil prices", "أوباما وبوتين", "Markets today", "وبوتين يلتقي ولي العهد", "Weather"]
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def corpus_path(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    with Corpus.open(path) as corpus:
        corpus.add_documents([DocumentRecord(text=f"{title}.\n\nStory number {i}.", title=title)
                              for i, title in enumerate(TITLES)])
    return path


@pytest.fixture
def window(qtbot, corpus_path) -> MainWindow:
    window = MainWindow(corpus_path, WHO, run_suggesters=False)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.view.setFocus()
    return window


def title(window: MainWindow) -> str:
    return window.session.document.title


def status_in_db(path: Path, doc_title: str) -> str:
    with Corpus.open(path) as corpus:
        doc_id = next(d for d in corpus.document_ids() if corpus.document(d).title == doc_title)
        return corpus.status(doc_id, WHO)[0]


def test_ctrl_enter_goes_to_the_next_search_result_not_the_next_article(qtbot, window, corpus_path):
    window.document_list.set_filters(search="بوتين")
    assert title(window) == TITLES[0]
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    assert title(window) == TITLES[2]  # not "Oil prices", the next article of the corpus
    assert status_in_db(corpus_path, TITLES[0]) == "done"
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    assert title(window) == TITLES[4]
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    assert title(window) == TITLES[4]  # nothing left to do among the results: it stays, and says so
    assert "Every article in the list is done or skipped" in window.message_label.text()
    assert [status_in_db(corpus_path, t) for t in TITLES] == ["done", "new", "done", "new", "done", "new"]


def test_ctrl_enter_skips_listed_articles_already_done_and_wraps_round(qtbot, window, corpus_path):
    window.session.open_document(window.session.corpus.document_ids()[2])  # "أوباما وبوتين"
    window.document_list.set_filters(search="بوتين")
    with Corpus.open(corpus_path) as corpus:
        corpus.set_status(corpus.document_ids()[4], WHO, "done")
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    assert title(window) == TITLES[0]  # past the done result, round to the top of the results


def test_ctrl_enter_follows_the_list_order(qtbot, window, corpus_path):
    window.document_list.model.sort(0, Qt.SortOrder.AscendingOrder)  # by title
    order = window.document_list.visible_titles()
    assert order != TITLES
    window.session.open_document(window.session.corpus.document_ids()[TITLES.index(order[0])])
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    assert title(window) == order[1]


def test_ctrl_enter_under_the_todo_filter_goes_on_although_the_article_leaves_the_list(qtbot, window, corpus_path):
    window.document_list.set_filters(status="todo", search="بوتين")
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    assert title(window) == TITLES[2]
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    assert title(window) == TITLES[4]


def test_ctrl_enter_from_an_article_the_list_hides_goes_to_the_first_listed(qtbot, window, corpus_path):
    window.session.open_document(window.session.corpus.document_ids()[3])  # "Markets today"
    window.document_list.set_filters(search="بوتين")
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    assert title(window) == TITLES[0]
    assert status_in_db(corpus_path, TITLES[3]) == "done"


def test_without_filters_ctrl_enter_opens_the_next_undone_article(qtbot, window, corpus_path):
    with Corpus.open(corpus_path) as corpus:
        corpus.set_status(corpus.document_ids()[1], WHO, "skipped")
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    assert title(window) == TITLES[2]


def test_ctrl_k_skips_to_the_next_search_result(qtbot, window, corpus_path, monkeypatch):
    monkeypatch.setattr(window, "ask_skip_note", lambda: "duplicate")
    window.document_list.set_filters(search="بوتين")
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    assert title(window) == TITLES[2]
    assert status_in_db(corpus_path, TITLES[0]) == "skipped"


def test_a_done_only_list_says_ctrl_pgdown_moves_on(qtbot, window, corpus_path):
    with Corpus.open(corpus_path) as corpus:
        corpus.set_status(corpus.document_ids()[0], WHO, "done")
        corpus.set_status(corpus.document_ids()[2], WHO, "done")
    window.document_list.set_filters(status="done")
    qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    assert title(window) == TITLES[0]
    assert "Ctrl+PgDown" in window.message_label.text()


@pytest.mark.parametrize("sort", ["id", "title", "status", "length"])
@pytest.mark.parametrize("descending", [False, True])
def test_following_is_the_next_row_of_the_list(corpus_path, sort, descending):
    with Corpus.open(corpus_path) as corpus:
        corpus.set_status(corpus.document_ids()[3], WHO, "done")
        query = DocumentQuery(corpus, WHO)
        filters = DocumentFilter(sort=sort, descending=descending)
        rows = query.ids(0, 100, filters)
        assert query.following(None, filters) == rows[0]
        for here, there in zip(rows, rows[1:], strict=False):
            assert query.following(here, filters) == there
        assert query.following(rows[-1], filters) is None

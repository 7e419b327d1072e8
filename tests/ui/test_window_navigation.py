"""Driving the window from the keyboard: the article list, Ctrl+PgDown within a search, coming back
where one left off, and status messages that do not outstay their welcome."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.spans import DocumentRecord
from annotator.store import Corpus
from annotator.ui.main_window import MainWindow

WHO = "amira"
TITLES = ["بوتين في موسكو", "Oil prices", "أوباما وبوتين", "Markets today", "وبوتين يلتقي ولي العهد", "Weather"]


@pytest.fixture
def corpus_path(tmp_path: Path) -> Path:
    path = tmp_path / "news.db"
    with Corpus.open(path) as corpus:
        corpus.add_documents([DocumentRecord(text=f"{title}.\n\nنص الخبر رقم {i}." if i % 2 == 0 else
                                             f"{title}.\n\nStory number {i}.", title=title)
                              for i, title in enumerate(TITLES)])
    return path


@pytest.fixture
def open_window(qtbot):
    def open_(path: Path) -> MainWindow:
        window = MainWindow(path, WHO, run_suggesters=False)
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        return window

    return open_


def title(window: MainWindow) -> str:
    return window.session.document.title


def highlighted(window: MainWindow) -> str:
    table = window.document_list.table
    rows = table.selectionModel().selectedRows()
    return window.document_list.model.row(rows[0].row()).title if rows else ""


def test_down_and_up_in_the_list_open_the_article_and_keep_the_keyboard(qtbot, open_window, corpus_path):
    window = open_window(corpus_path)
    table = window.document_list.table
    assert title(window) == TITLES[0]
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: title(window) == TITLES[1])
    assert table.hasFocus()  # the list keeps the keyboard: Down again goes on
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: title(window) == TITLES[2])
    qtbot.keyClick(table, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: title(window) == TITLES[1])
    assert highlighted(window) == TITLES[1]
    assert window.view.toPlainText().startswith(TITLES[1])  # the article is on screen


def test_holding_down_skims_and_opens_only_where_it_rests(qtbot, open_window, corpus_path):
    window = open_window(corpus_path)
    table = window.document_list.table
    opened: list[int] = []
    window.session.subscribe(lambda kind, payload: opened.append(payload) if kind == "document" else None)
    table.setFocus()
    for _ in range(4):
        qtbot.keyClick(table, Qt.Key.Key_Down)  # faster than the pause that opens
    qtbot.waitUntil(lambda: title(window) == TITLES[4])
    assert len(opened) == 1


def test_enter_in_the_list_opens_the_article_and_gives_the_keyboard_to_its_text(qtbot, open_window, corpus_path):
    window = open_window(corpus_path)
    table = window.document_list.table
    table.setFocus()
    index = window.document_list.model.index(3, 0)
    table.selectionModel().setCurrentIndex(index, table.selectionModel().SelectionFlag.ClearAndSelect
                                           | table.selectionModel().SelectionFlag.Rows)
    window.document_list._open_timer.stop()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert title(window) == TITLES[3]
    assert window.view.hasFocus()
    assert window.session.corpus.spans(window.session.doc_id, WHO) == []  # Enter accepted nothing


def test_ctrl_pgdown_stays_within_the_search_results_and_keeps_the_highlight(qtbot, open_window, corpus_path):
    window = open_window(corpus_path)
    window.document_list.set_filters(search="بوتين")
    results = [TITLES[0], TITLES[2], TITLES[4]]
    assert window.document_list.model.rowCount() == 3
    assert title(window) == TITLES[0]
    window.view.setFocus()
    seen = [title(window)]
    for _ in range(2):
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        seen.append(title(window))
        assert highlighted(window) == title(window)
    assert seen == results  # never "Oil prices" or "Markets today"
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert title(window) == TITLES[4]
    assert "last of the 3 articles shown" in window.message_label.text()
    qtbot.keyClick(window.view, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert title(window) == TITLES[2] and highlighted(window) == TITLES[2]
    assert window.message_label.text() == ""  # the next action cleared the stale message


def test_ctrl_pgdown_from_an_article_the_filter_hides_goes_to_the_first_listed(qtbot, open_window, corpus_path):
    window = open_window(corpus_path)
    window.session.open_document(window.session.corpus.document_ids()[1])  # "Oil prices"
    window.document_list.set_filters(search="بوتين")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert title(window) == TITLES[0] and highlighted(window) == TITLES[0]


def test_a_restart_opens_the_article_left_last(qtbot, open_window, corpus_path):
    window = open_window(corpus_path)
    ids = window.session.corpus.document_ids()
    window.open_document(ids[3])
    window.close()
    again = open_window(corpus_path)
    assert again.session.doc_id == ids[3]
    other = MainWindow(corpus_path, "bilal", run_suggesters=False)  # another annotator: their own place
    qtbot.addWidget(other)
    assert other.session.doc_id == ids[0]


def test_status_messages_go_stale(qtbot, open_window, corpus_path, monkeypatch):
    window = open_window(corpus_path)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_X)  # reject, with nothing selected
    assert window.message_label.text().startswith("Select a suggestion first")
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)  # the next action: its own message replaces the stale one
    assert window.message_label.text() == "No suggestions left in this article."
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton)  # so does a click
    assert window.message_label.text() == ""
    monkeypatch.setattr("annotator.ui.main_window.MESSAGE_MS", {"info": 50, "warning": 50})
    window.tell("Imported 3 articles.")
    qtbot.waitUntil(lambda: window.message_label.text() == "")


def test_label_tags_are_remembered_in_the_preferences(qtbot, open_window, corpus_path):
    from annotator.ui.preferences import MemoryStore

    preferences = MemoryStore()
    window = MainWindow(corpus_path, WHO, run_suggesters=False, preferences=preferences)
    qtbot.addWidget(window)
    assert not window.view.label_tags
    window.annotation_actions["view.label-tags"].trigger()
    assert window.view.label_tags and window.annotation_actions["view.label-tags"].isChecked()
    window.close()
    again = MainWindow(corpus_path, WHO, run_suggesters=False, preferences=preferences)
    qtbot.addWidget(again)
    assert again.view.label_tags and again.annotation_actions["view.label-tags"].isChecked()
    plain = MainWindow(corpus_path, WHO, run_suggesters=False)  # no preferences given: nothing remembered
    qtbot.addWidget(plain)
    assert not plain.view.label_tags

"""The keys cheat sheet (F1) in a small window: it scrolls with the wheel, PgUp/PgDown and the
arrows, keeps the keys from firing behind it, and closes with Esc."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from annotator.core.spans import DocumentRecord
from annotator.store import Corpus
from annotator.ui.main_window import MainWindow

WHO = "amira"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def small_window(qtbot, tmp_path: Path) -> MainWindow:
    path = tmp_path / "news.db"
    with Corpus.open(path) as corpus:
        corpus.add_documents([DocumentRecord(text="Putin met Obama in Moscow.\n\nThe talks went on.", title="Talks")])
    window = MainWindow(path, WHO, run_suggesters=False)
    qtbot.addWidget(window)
    window.resize(720, 460)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.view.setFocus()
    return window


def open_help(qtbot, window: MainWindow):
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    overlay = window._help
    assert overlay is not None and overlay.isVisible()
    qtbot.waitExposed(overlay)
    return overlay


def shown_in_viewport(overlay, text: str) -> bool:
    """Whether the description ``text`` is inside the visible part of the map."""
    viewport = overlay.scroll.viewport()
    label = next(d for d in overlay.description_labels if d.text() == text)
    top_left = label.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(top_left) and viewport.rect().contains(top_left + QPoint(0, label.height() - 1))


def wheel(widget, steps: int) -> None:
    """``steps`` notches of the mouse wheel over the middle of ``widget`` (negative: towards the user, down)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_help_scrolls_with_the_keys_in_a_small_window(qtbot, tmp_path):
    window = small_window(qtbot, tmp_path)
    overlay = open_help(qtbot, window)
    bar = overlay.scroll.verticalScrollBar()
    first, last = overlay.description_labels[0].text(), overlay.description_labels[-1].text()
    assert bar.maximum() > 0 and bar.value() == 0  # the map is taller than the window
    assert shown_in_viewport(overlay, first) and not shown_in_viewport(overlay, last)

    qtbot.keyClick(overlay, Qt.Key.Key_PageDown)
    after_page = bar.value()
    assert after_page > 0
    qtbot.keyClick(overlay, Qt.Key.Key_Down)
    assert bar.value() > after_page
    qtbot.keyClick(overlay, Qt.Key.Key_Up)
    assert bar.value() == after_page
    qtbot.keyClick(overlay, Qt.Key.Key_PageUp)
    assert bar.value() == 0
    qtbot.keyClick(overlay, Qt.Key.Key_End)
    assert bar.value() == bar.maximum() and shown_in_viewport(overlay, last)
    qtbot.keyClick(overlay, Qt.Key.Key_Home)
    assert bar.value() == 0 and shown_in_viewport(overlay, first)
    assert window.session.spans == [] and window.session.doc_id is not None  # no key reached the article


def test_the_wheel_scrolls_the_help_over_the_map_and_over_the_dimmed_margin(qtbot, tmp_path):
    window = small_window(qtbot, tmp_path)
    overlay = open_help(qtbot, window)
    bar = overlay.scroll.verticalScrollBar()
    wheel(overlay.scroll.viewport(), -2)
    over_map = bar.value()
    assert over_map > 0
    wheel(overlay, -2)  # over the margin around the panel
    assert bar.value() > over_map
    wheel(overlay, 4)
    assert bar.value() == 0
    text_bar = window.view.verticalScrollBar()
    assert text_bar.value() == 0  # the article behind did not move


def test_escape_closes_the_scrolled_help_and_the_keys_work_again(qtbot, tmp_path):
    window = small_window(qtbot, tmp_path)
    overlay = open_help(qtbot, window)
    qtbot.keyClick(overlay, Qt.Key.Key_PageDown)
    qtbot.keyClick(overlay, Qt.Key.Key_1)  # swallowed: nothing labelled behind the help
    assert window.session.spans == []
    if os.environ.get("ANNOTATOR_SCREENSHOTS") == "1":
        picture = qtbot.screenshot(window)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(picture, SCREENSHOTS / "help-overlay-scrolled.png")
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert not overlay.isVisible()
    assert window.view.hasFocus()
    window.view.select_text(0, 5)  # "Putin"
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    with Corpus.open(window.corpus_path) as corpus:
        assert [(s.start, s.end, s.label) for s in corpus.spans(window.session.doc_id, WHO)] == [(0, 5, "PER")]


def test_a_narrow_window_shows_the_map_in_fewer_columns(qtbot, tmp_path):
    window = small_window(qtbot, tmp_path)
    overlay = open_help(qtbot, window)
    narrow = overlay.columns
    keys = overlay.listed_keys()
    window.resize(1400, 860)
    qtbot.waitUntil(lambda: overlay.columns > narrow)
    assert overlay.listed_keys() == keys  # the same map, laid out again

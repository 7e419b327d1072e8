"""The document list widget, driven offscreen: what an annotator sees and clicks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.spans import DocumentRecord, Span
from annotator.store import Corpus
from annotator.ui.document_list import COLUMNS, DocumentListWidget

WHO = "amira"
N = 1200


@pytest.fixture
def big_corpus(corpus: Corpus) -> Corpus:
    records = []
    for i in range(N):
        if i % 3 == 0:
            records.append(DocumentRecord(text=f"خبر رقم {i} عن الرياض والاقتصاد.", title=f"خبر الرياض {i:04d}"))
        else:
            records.append(DocumentRecord(text=f"Story {i} about oil and markets.", title=f"Story {i:04d}"))
    records.append(DocumentRecord(text="Plain text that mentions Putin once.", title="<b>x</b><script>alert(1)</script>"))
    corpus.add_documents(records)
    return corpus


@pytest.fixture
def widget(qtbot, big_corpus: Corpus) -> DocumentListWidget:
    w = DocumentListWidget(big_corpus, WHO)
    qtbot.addWidget(w)
    w.resize(420, 600)
    w.show()
    qtbot.waitExposed(w)
    return w


def title_column() -> int:
    return COLUMNS.index("title")


def test_lists_every_document_without_loading_them_all(widget):
    assert widget.model.rowCount() == N + 1
    titles = widget.visible_titles()
    assert titles[:3] == ["خبر الرياض 0000", "Story 0001", "Story 0002"]
    assert 5 < len(titles) < 60
    # Only the page the view drew was read: the rest stay in the database.
    assert widget.model.cached_rows() <= widget.model.PAGE_SIZE
    assert widget.summary.text() == f"{N + 1:,} articles"


def test_scrolling_to_the_end_shows_the_last_documents(widget, qtbot):
    widget.table.scrollToBottom()
    qtbot.wait(10)
    titles = widget.visible_titles()
    assert titles[-1] == "<b>x</b><script>alert(1)</script>"
    assert titles[-2] == "Story 1199"
    assert widget.model.cached_rows() <= 3 * widget.model.PAGE_SIZE


def test_html_in_a_title_is_shown_literally(widget):
    model = widget.model
    last = model.rowCount() - 1
    assert model.data(model.index(last, title_column())) == "<b>x</b><script>alert(1)</script>"
    # Item views draw DisplayRole as text; nothing in the list is a rich-text label.
    assert not any(isinstance(v, str) and "<" in v for v in [widget.summary.text()])


def test_search_finds_arabic_and_english_and_is_debounced(widget, qtbot):
    widget.search.insert("الرياض")  # as typed with an Arabic keyboard (QTest cannot synthesise Arabic keys)
    assert widget.model.rowCount() == N + 1  # not yet: the search waits for typing to pause
    qtbot.waitUntil(lambda: widget.model.rowCount() == len(range(0, N, 3)), timeout=2000)
    assert widget.visible_titles()[:2] == ["خبر الرياض 0000", "خبر الرياض 0003"]
    assert widget.summary.text() == f"{len(range(0, N, 3)):,} of {N + 1:,} articles"

    widget.search.clear()
    qtbot.keyClicks(widget.search, "putin")
    qtbot.keyClick(widget.search, Qt.Key.Key_Return)  # Enter searches at once
    assert widget.visible_titles() == ["<b>x</b><script>alert(1)</script>"]


def test_search_syntax_typed_by_a_user_never_breaks_the_list(widget, qtbot):
    for typed in ['"', "AND", "oil OR", "(", "*", "NEAR(", "-", "^x"]:
        widget.search.setText(typed)
        qtbot.keyClick(widget.search, Qt.Key.Key_Return)
        assert widget.model.rowCount() >= 0
    widget.search.setText("nothingmatchesthis")
    qtbot.keyClick(widget.search, Qt.Key.Key_Return)
    assert widget.model.rowCount() == 0
    assert widget.summary.text().startswith("No article matches")
    qtbot.keyClick(widget.search, Qt.Key.Key_Escape)  # Esc clears the search
    assert widget.search.text() == ""
    assert widget.model.rowCount() == N + 1


def test_filter_by_status_and_label(widget, big_corpus, qtbot):
    big_corpus.set_status(2, WHO, "done")
    big_corpus.set_status(5, WHO, "skipped", "duplicate")
    big_corpus.add_span(7, WHO, Span(0, 5, "ORG"))
    widget.refresh()
    widget.status_filter.setCurrentIndex(widget.status_filter.findData("done"))
    assert widget.visible_titles() == ["Story 0001"]
    widget.status_filter.setCurrentIndex(widget.status_filter.findData("skipped"))
    assert widget.visible_titles() == ["Story 0004"]
    model = widget.model
    assert model.data(model.index(0, COLUMNS.index("status")), Qt.ItemDataRole.ToolTipRole) == "skipped: duplicate"
    widget.status_filter.setCurrentIndex(widget.status_filter.findData("todo"))
    assert widget.model.rowCount() == N + 1 - 2
    widget.status_filter.setCurrentIndex(0)
    widget.label_filter.setCurrentIndex(widget.label_filter.findData("ORG"))
    assert widget.visible_titles() == ["خبر الرياض 0006"]
    assert model.data(model.index(0, COLUMNS.index("entities"))) == 1
    assert model.data(model.index(0, COLUMNS.index("status"))) == "in progress"


def test_clicking_a_row_activates_its_document(widget, qtbot):
    rect = widget.table.visualRect(widget.model.index(2, title_column()))
    with qtbot.waitSignal(widget.documentActivated) as signal:
        qtbot.mouseClick(widget.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [3]
    assert widget.current_document() == 3


def test_enter_on_a_row_activates_it(widget, qtbot):
    widget.table.setFocus()
    widget.table.setCurrentIndex(widget.model.index(4, 0))
    with qtbot.waitSignal(widget.documentActivated) as signal:
        qtbot.keyClick(widget.table, Qt.Key.Key_Return)
    assert signal.args == [5]


def test_select_document_scrolls_to_it_without_activating(widget, qtbot):
    with qtbot.assertNotEmitted(widget.documentActivated):
        assert widget.select_document(1000)
    assert widget.table.currentIndex().row() == 999
    assert "خبر الرياض 0999" in widget.visible_titles()


def test_refresh_keeps_the_selection_and_shows_new_counts(widget, big_corpus):
    widget.select_document(900)
    big_corpus.add_span(900, WHO, Span(0, 5, "PER"))
    big_corpus.add_span(900, WHO, Span(6, 9, "MISC"))
    widget.refresh()
    model = widget.model
    row = widget.table.currentIndex().row()
    assert model.doc_id(row) == 900
    assert model.data(model.index(row, COLUMNS.index("entities"))) == 2
    assert model.data(model.index(row, COLUMNS.index("status"))) == "in progress"


def test_refresh_after_a_status_change_under_a_filter(widget, big_corpus):
    widget.set_filters(status="todo")
    widget.select_document(10)
    big_corpus.set_status(10, WHO, "done")
    widget.refresh()
    assert widget.model.rowCount() == N
    assert widget.model.row_of(10) is None
    assert not widget.table.selectionModel().hasSelection()


def test_sorting_by_a_header_orders_in_sql(widget, qtbot):
    header = widget.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_center(header, title_column()))
    titles = widget.visible_titles()
    assert titles == sorted(titles)
    assert titles[0] == "<b>x</b><script>alert(1)</script>"


def _section_center(header, section):
    from PySide6.QtCore import QPoint

    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    return QPoint(x, header.height() // 2)


def test_arabic_titles_are_laid_out_right_to_left(widget):
    model = widget.model
    arabic = model.index(0, title_column())
    english = model.index(1, title_column())
    assert model.data(arabic, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.data(english, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignLeft
    delegate = widget.table.itemDelegateForColumn(title_column())
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    delegate.initStyleOption(option, arabic)
    assert option.direction == Qt.LayoutDirection.RightToLeft
    delegate.initStyleOption(option, english)
    assert option.direction == Qt.LayoutDirection.LeftToRight


def test_opens_a_corpus_by_path(qtbot, big_corpus, corpus_path):
    w = DocumentListWidget(str(corpus_path), WHO)
    qtbot.addWidget(w)
    assert w.model.rowCount() == N + 1
    w.close_corpus()


def test_screenshot_of_the_list_filtered_and_searched(qtbot, big_corpus, tmp_path, qapp):
    import os
    from pathlib import Path

    from annotator.ui.app import ui_font

    before = qapp.font()
    qapp.setFont(ui_font())  # the application's own font, as run_app sets it
    try:
        for doc_id in (1, 4, 10):
            big_corpus.add_span(doc_id, WHO, Span(0, 3, "GPE"))
        big_corpus.set_status(4, WHO, "done")
        big_corpus.set_status(7, WHO, "skipped", "not news")
        w = DocumentListWidget(big_corpus, WHO)
        qtbot.addWidget(w)
        w.resize(380, 420)
        w.show()
        qtbot.waitExposed(w)
        w.set_filters(search="الرياض")
        w.select_document(4)
        qtbot.wait(50)
        assert w.visible_titles()[:3] == ["خبر الرياض 0000", "خبر الرياض 0003", "خبر الرياض 0006"]
        out = tmp_path
        if os.environ.get("ANNOTATOR_SCREENSHOTS") == "1":
            out = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
        assert w.grab().save(str(out / "document-list.png"))
        assert (out / "document-list.png").stat().st_size > 5_000
    finally:
        qapp.setFont(before)


def test_rows_do_not_jump_while_working_under_a_count_sort(widget, big_corpus, qtbot):
    big_corpus.add_span(3, WHO, Span(0, 5, "ORG"))
    widget.refresh()
    widget.table.sortByColumn(COLUMNS.index("entities"), Qt.SortOrder.DescendingOrder)
    model = widget.model
    assert model.doc_id(0) == 3
    widget.select_document(50)
    qtbot.wait(20)  # the list draws the rows around it
    row = widget.table.currentIndex().row()
    for start in (0, 6, 12):  # the article being worked on gains entities
        big_corpus.add_span(50, WHO, Span(start, start + 5, "MISC"))
    widget.refresh()
    assert widget.table.currentIndex().row() == row  # still where the annotator left it
    assert model.doc_id(row) == 50
    assert model.data(model.index(row, COLUMNS.index("entities"))) == 3
    widget.table.sortByColumn(COLUMNS.index("entities"), Qt.SortOrder.DescendingOrder)
    widget.table.sortByColumn(COLUMNS.index("entities"), Qt.SortOrder.DescendingOrder)
    assert model.doc_id(0) == 50  # sorting again puts it first

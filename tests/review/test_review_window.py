"""A review session through the real window (pytest-qt, offscreen): every kind of disagreement
settled from the keyboard, then the reviewed set checked in the database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.review.adjudication import TAKE_A, TAKE_B
from annotator.ui.review_dialogs import QuoteEditDialog
from annotator.ui.review_window import ReviewWindow

from .builders import A, B


def open_window(qtbot, corpus_path) -> ReviewWindow:
    window = ReviewWindow(corpus_path, A, B, "lead")
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def key(qtbot, window, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window, k, modifier)


def current(window):
    item = window.current
    return (item.kind, item.status, item.differences) if item else None


def test_review_session_settles_every_kind_of_disagreement(qtbot, review_corpus, corpus_path):
    corpus, doc_id, exp = review_corpus
    window = open_window(qtbot, corpus_path)

    # Arabic article: right-to-left in the view, and the figures are shown.
    merged = window.merged
    assert merged.document().defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft
    assert merged.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert merged.document().defaultTextOption().alignment() & Qt.AlignmentFlag.AlignRight
    assert window.panel.value("F1 exact") == "0.429"  # 3 of 7 spans identical: 6/14
    assert window.panel.value("boundary differs") == "1"
    qtbot.waitUntil(lambda: window.corpus_report is not None, timeout=20000)
    assert window.panel.value("F1 exact", 1) == "0.429"
    assert "9 in this article, 9 in the corpus" in window.progress.text()
    assert window.list.count() == 9

    # The first disagreement in text order is the headline's ORG | MISC conflict.
    assert current(window) == ("entity", "other_label_boundary", ())
    key(qtbot, window, Qt.Key.Key_N)
    assert current(window) == ("entity", "boundary", ())
    key(qtbot, window, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    assert current(window) == ("entity", "other_label_boundary", ())

    # Take B, then take it back (Ctrl+Z): nothing stays in the reviewed set, the item is open again.
    key(qtbot, window, Qt.Key.Key_B)
    assert current(window) == ("entity", "boundary", ())
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert current(window) == ("entity", "other_label_boundary", ()) and window.current.decision is None
    assert corpus.spans(doc_id, "lead") == []

    # Edit by hand: A's range, label MISC (key 6).
    g20_a, _ = exp["other_label_boundary"]
    merged.select_range(g20_a[0], g20_a[1])
    key(qtbot, window, Qt.Key.Key_E)
    assert window.pending_edit == (g20_a[0], g20_a[1])
    key(qtbot, window, Qt.Key.Key_6)
    assert window.pending_edit is None

    # Boundary: take both is refused (entities may not overlap), take A is stored.
    assert current(window) == ("entity", "boundary", ())
    key(qtbot, window, Qt.Key.Key_2)
    assert "may not overlap" in window.statusBar().currentMessage()
    assert current(window) == ("entity", "boundary", ())
    key(qtbot, window, Qt.Key.Key_A)

    # Quote whose type differs: take B (mixed).
    assert current(window) == ("quote", "differs", ("type",))
    key(qtbot, window, Qt.Key.Key_B)
    # Same span, other label: take B (LOC).
    assert current(window) == ("entity", "other_label", ())
    key(qtbot, window, Qt.Key.Key_B)
    # Quote only A: take A.
    assert current(window) == ("quote", "only_a", ())
    key(qtbot, window, Qt.Key.Key_A)
    # Entity only A: take neither.
    assert current(window) == ("entity", "only_a", ())
    key(qtbot, window, Qt.Key.Key_0)
    # Quote only B: edit by hand in the dialog (B's parts, type changed to direct).
    assert current(window) == ("quote", "only_b", ())
    key(qtbot, window, Qt.Key.Key_E)
    dialog = window.findChild(QuoteEditDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.type.setCurrentText("direct")
    dialog.accept()
    # Entity only B: take B.
    assert current(window) == ("entity", "only_b", ())
    key(qtbot, window, Qt.Key.Key_B)
    # Quote whose cue differs: take both (quotes may overlap).
    assert current(window) == ("quote", "differs", ("cue",))
    key(qtbot, window, Qt.Key.Key_2)

    assert "0 in this article, 0 in the corpus" in window.progress.text()
    # Ctrl+Enter: the three agreements go in too; the article is done.
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "3 agreement(s) accepted" in window.statusBar().currentMessage()

    # The reviewed set, as stored.
    putin_full, _ = exp["boundary"]
    _, moscow_loc = exp["other_label"]
    spans = {(s.start, s.end, s.label): s.origin for s in corpus.spans(doc_id, "lead")}
    assert spans == {
        (g20_a[0], g20_a[1], "MISC"): "manual",
        putin_full: "imported",
        moscow_loc: "imported",
        exp["only_b"]: "imported",
        **{span: "imported" for span in exp["agree"]},
    }
    quotes = corpus.quotes(doc_id, "lead")
    by_key = {}
    for q in quotes:
        by_key.setdefault(q.key, []).append(q)
    type_a, type_b = exp["quote_type"]
    assert [q.type for q in by_key[type_b.key]] == ["mixed"]
    assert [q.type for q in by_key[exp["quote_only_a"].key]] == ["direct"]
    only_b = exp["quote_only_b"]
    [edited] = by_key[only_b.key]
    assert (edited.type, edited.origin) == ("direct", "manual")
    cue_a, cue_b = exp["quote_cue"]
    assert len(by_key[cue_a.key]) == 1 and len(by_key[cue_b.key]) == 1  # both taken
    assert len(quotes) == 5
    assert corpus.status(doc_id, "lead")[0] == "done"
    assert corpus.reviewed_set() == "lead"
    decisions = [e["data"]["decision"] for e in corpus.events(doc_id=doc_id, annotator="lead")
                 if e["action"] == "review.decide"][2:]  # after the B taken back
    assert decisions[:9] == ["edit", TAKE_A, TAKE_B, TAKE_B, TAKE_A, "neither", "edit", TAKE_B, "both"]
    assert decisions[9:] == [TAKE_A] * 3  # the accepted agreements
    window.close()


def test_side_by_side_views_and_clicking_the_list(qtbot, review_corpus, corpus_path):
    corpus, doc_id, exp = review_corpus
    window = open_window(qtbot, corpus_path)
    key(qtbot, window, Qt.Key.Key_V)
    assert window.stack.currentIndex() == 1
    assert window.view_a.toPlainText() == window.view_b.toPlainText()
    assert window.view_b.layoutDirection() == Qt.LayoutDirection.RightToLeft
    # Each side shows only its own set: A's view highlights A's spans and quotes.
    assert window.view_a.side == "a" and window.view_b.side == "b"
    a_only = [i for i in window.view_a.items if i.status == "only_b"]
    assert a_only and all(window.view_a._visible_parts(i) == [] for i in a_only)
    # Clicking the fourth row of the list goes to that item.
    window.list.setCurrentRow(3)
    assert window.current.key == window.list.item(3).data(Qt.ItemDataRole.UserRole)
    key(qtbot, window, Qt.Key.Key_V)
    assert window.stack.currentIndex() == 0
    # Esc cancels a pending edit; nothing is stored.
    key(qtbot, window, Qt.Key.Key_E)
    assert window.pending_edit is not None
    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.pending_edit is None
    assert corpus.spans(doc_id, "lead") == []
    window.close()
    QApplication.processEvents()


def test_articles_navigation_and_accepting_agreeing_articles(qtbot, review_corpus, corpus_path):
    corpus, doc_id, _ = review_corpus
    from annotator.core.spans import DocumentRecord, Span

    [same] = corpus.add_documents([DocumentRecord(text="Obama met Merkel in Berlin.")]).new_ids
    for name in (A, B):
        corpus.add_span(same, name, Span(0, 5, "PER"))
        corpus.add_span(same, name, Span(20, 26, "GPE"))
    window = open_window(qtbot, corpus_path)
    assert window.doc_id == doc_id and window.article_box.count() == 2
    key(qtbot, window, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert window.doc_id == same
    # An English article is left-to-right.
    assert window.merged.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.current is None and "0 in this article, 9 in the corpus" in window.progress.text()
    window.actions_by_name["accept_agreeing"].trigger()
    assert "Accepted 1 article(s)" in window.statusBar().currentMessage()
    assert {(s.start, s.end, s.label) for s in corpus.spans(same, "lead")} == {(0, 5, "PER"), (20, 26, "GPE")}
    # N from a settled article goes to the next disagreement elsewhere.
    key(qtbot, window, Qt.Key.Key_N)
    assert window.doc_id == doc_id and window.current is not None
    window.close()


def test_starting_a_review_from_another_window(qtbot, review_corpus, corpus_path, monkeypatch):
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow

    from annotator.ui.review_start import ReviewStartDialog, open_review

    dialog = ReviewStartDialog(corpus_path)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.choice() == (A, B, "reviewer") and ok.isEnabled()
    dialog.b.setCurrentText(A)
    assert not ok.isEnabled() and "two different" in dialog.problem.text()
    dialog.b.setCurrentText(B)
    dialog.reviewer.setText(A)
    assert not ok.isEnabled() and "must not be one of" in dialog.problem.text()

    host = QMainWindow()
    qtbot.addWidget(host)
    monkeypatch.setattr(ReviewStartDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    window = open_review(host, corpus_path)
    assert window is not None and window.isVisible()
    assert (window.a, window.b, window.reviewer) == (A, B, "reviewer")
    assert window.adjudication.disagreements_left(window.doc_id) == 9
    window.close()


def test_side_by_side_is_mirrored_for_arabic_and_ctrl_q_closes(qtbot, review_corpus, corpus_path):
    from annotator.core.spans import DocumentRecord, Span

    corpus, doc_id, _ = review_corpus
    [english] = corpus.add_documents([DocumentRecord(text="Obama met Merkel in Berlin.")]).new_ids
    corpus.add_span(english, A, Span(0, 5, "PER"))
    corpus.add_span(english, B, Span(0, 5, "ORG"))
    window = open_window(qtbot, corpus_path)
    key(qtbot, window, Qt.Key.Key_V)
    assert window.doc_id == doc_id  # the Arabic seed article
    qtbot.wait(20)
    a_box, b_box = window.view_a.parentWidget(), window.view_b.parentWidget()
    assert a_box.mapTo(window, a_box.rect().topLeft()).x() > b_box.mapTo(window, b_box.rect().topLeft()).x()
    assert window.view_a.layoutDirection() == Qt.LayoutDirection.RightToLeft
    window.show_article(english)
    qtbot.wait(20)
    assert a_box.mapTo(window, a_box.rect().topLeft()).x() < b_box.mapTo(window, b_box.rect().topLeft()).x()
    assert window.view_a.layoutDirection() == Qt.LayoutDirection.LeftToRight
    key(qtbot, window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()

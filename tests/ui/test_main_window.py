"""The whole annotation window, driven from the keyboard offscreen; outcomes checked in SQLite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.store import Corpus
from annotator.ui import suggest_worker
from annotator.ui.main_window import MainWindow

WHO = "amira"
ROOT = Path(__file__).resolve().parents[2]
ENGLISH = (
    "Obama and Putin agree to keep talking on Syria\n\n"
    "President Barack Obama said on Monday that \"we have not yet closed the gaps\" with Russia, "
    "after a 90-minute meeting with Vladimir Putin in Hangzhou.\n\n"
    "\"There is some rapprochement,\" he told reporters, adding that Moscow and Washington "
    "would keep talking. Secretary of State John Kerry and Sergei Lavrov will meet this week."
)


@pytest.fixture
def corpus_file(tmp_path: Path, seed_text: str) -> tuple[Path, int, int]:
    path = tmp_path / "corpus.db"
    with Corpus.open(path) as corpus:
        first, second = corpus.add_documents(
            [DocumentRecord(text=seed_text, title="أوباما وبوتين"), DocumentRecord(text=ENGLISH, title="English")]
        ).new_ids
    return path, first, second


@pytest.fixture
def open_window(qtbot):
    def open_(path: Path, **kwargs) -> MainWindow:
        window = MainWindow(path, WHO, run_suggesters=kwargs.pop("run_suggesters", False), **kwargs)
        qtbot.addWidget(window)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        window.view.setFocus()
        return window

    return open_


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i, i + len(needle)


def putin_after_the_cue(text: str) -> tuple[int, int]:
    """بوتين in "وأعلن بوتين أن" (the speaker of the quote that follows)."""
    start = text.index("وأعلن بوتين") + len("وأعلن ")
    return start, start + len("بوتين")


def key(qtbot, window: MainWindow, k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.view, k, modifiers)


def test_a_whole_session_is_stored_and_comes_back_after_a_restart(qtbot, open_window, corpus_file, seed_text):
    path, first, second = corpus_file
    window = open_window(path)
    view, session = window.view, window.session
    assert session.doc_id == first
    assert view.document().defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft

    # a name inside a clitic word -> the whole token
    start, end = find(seed_text, "بوتين")
    view.select_text(start, end)
    key(qtbot, window, Qt.Key.Key_1)
    # suggestions: accept one, reject one
    kerry, lavrov = find(seed_text, "جون كيري"), find(seed_text, "سيرغي لافروف")
    session.corpus.store_suggestions(first, "test", "1", [Span(*kerry, "PER", score=0.9),
                                                          Span(*lavrov, "ORG", score=0.4)], [])
    session.reload_suggestions()
    key(qtbot, window, Qt.Key.Key_Tab)
    key(qtbot, window, Qt.Key.Key_Return)
    key(qtbot, window, Qt.Key.Key_X)
    # a quote with cue and source
    view.select_text(*putin_after_the_cue(seed_text))
    key(qtbot, window, Qt.Key.Key_1)
    view.select_text(*find(seed_text, '"بعض التقارب في المواقف"'))
    key(qtbot, window, Qt.Key.Key_Q)
    view.select_text(*find(seed_text, "وأعلن"))
    key(qtbot, window, Qt.Key.Key_C)
    view.select_text(*putin_after_the_cue(seed_text))
    key(qtbot, window, Qt.Key.Key_S)
    # an extra label, undone and redone and undone again
    view.select_text(*find(seed_text, "حلب"))
    key(qtbot, window, Qt.Key.Key_3)
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.save_label.text().startswith("saved")
    # done -> the English article opens, left to right
    key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert session.doc_id == second
    assert view.document().defaultTextOption().textDirection() == Qt.LayoutDirection.LeftToRight
    assert view.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert "1 / 2 done" in window.progress_label.text()
    window.close()

    # restart: everything is in the database, including the undo history
    with Corpus.open(path) as corpus:
        spans = [(seed_text[s.start:s.end], s.label, s.origin) for s in corpus.spans(first, WHO)]
        assert spans == [("وبوتين", "PER", "manual"), ("بوتين", "PER", "manual"), ("جون كيري", "PER", "accepted")]
        [quote] = corpus.quotes(first, WHO)
        assert seed_text[quote.cue.start:quote.cue.end] == "وأعلن"
        assert [seed_text[r.start:r.end] for r in quote.sources] == ["بوتين"]
        assert quote.entity == Range(*putin_after_the_cue(seed_text))
        assert corpus.decisions(first, WHO)[("entity", *lavrov, "ORG")] == "rejected"
        assert corpus.status(first, WHO)[0] == "done"

    again = open_window(path)
    assert again.session.doc_id == second  # the next undone article
    assert again.session.can_undo and not again.session.can_redo  # "mark done" came after the last undo
    key(qtbot, again, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo "mark done"
    assert again.session.doc_id == first
    assert again.session.corpus.status(first, WHO)[0] == "in_progress"
    key(qtbot, again, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo "set source"
    assert again.session.corpus.quotes(first, WHO)[0].sources == ()


def test_accept_all_and_skip_with_a_note(qtbot, open_window, corpus_file, seed_text, monkeypatch):
    path, first, second = corpus_file
    window = open_window(path)
    s = window.session
    moscow, washington = find(seed_text, "موسكو"), find(seed_text, "وواشنطن")
    content = find(seed_text, '"بعض التقارب في المواقف"')
    s.corpus.store_suggestions(first, "test", "1",
                               [Span(*moscow, "GPE", score=0.9), Span(*washington, "GPE", score=0.9)],
                               [Quote(contents=(Range(*content),), cue=Range(*find(seed_text, "وأعلن")))])
    s.reload_suggestions()
    window.view.select_text(*moscow)
    key(qtbot, window, Qt.Key.Key_4)  # LOC where GPE was suggested: that suggestion is superseded
    key(qtbot, window, Qt.Key.Key_A)
    labels = sorted((seed_text[x.start:x.end], x.label) for x in s.corpus.spans(first, WHO))
    assert labels == [("موسكو", "LOC"), ("وواشنطن", "GPE")]
    assert len(s.corpus.quotes(first, WHO)) == 1
    assert window.message_label.text() == "Accepted 1 entities and 1 quotes."  # nothing left that overlaps
    monkeypatch.setattr(window, "ask_skip_note", lambda: "duplicate of another article")
    key(qtbot, window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert s.corpus.status(first, WHO) == ("skipped", "duplicate of another article")
    assert s.doc_id == second


def test_overlap_is_refused_with_a_visible_message(qtbot, open_window, corpus_file, seed_text):
    path, first, _ = corpus_file
    window = open_window(path)
    window.view.select_text(*find(seed_text, "باراك أوباما"))
    key(qtbot, window, Qt.Key.Key_1)
    window.view.select_text(*find(seed_text, "أوباما ونظيره"))
    key(qtbot, window, Qt.Key.Key_2)
    assert [x.label for x in window.session.corpus.spans(first, WHO)] == ["PER"]
    assert "overlap" in window.message_label.text()


def test_help_overlay_lists_the_keymap(qtbot, open_window, corpus_file):
    path, _, _ = corpus_file
    window = open_window(path)
    key(qtbot, window, Qt.Key.Key_F1)
    overlay = window._help
    assert overlay is not None and overlay.isVisible()
    keys = " ".join(overlay.listed_keys())
    assert "Ctrl+Z" in keys and "Tab" in keys and "Alt+1" in keys


def test_clicking_a_document_in_the_list_opens_it(qtbot, open_window, corpus_file):
    path, first, second = corpus_file
    window = open_window(path)
    window.document_list.documentActivated.emit(second)
    assert window.session.doc_id == second and "English" in window.windowTitle()


def test_suggestions_run_in_the_background_then_show(qtbot, open_window, corpus_file, seed_text, monkeypatch):
    path, first, _ = corpus_file
    calls: list[list[int]] = []

    def fake_runner(corpus: Corpus, doc_ids: list[int], progress=None) -> None:
        calls.append(list(doc_ids))
        for n, doc_id in enumerate(doc_ids, 1):
            text = corpus.document(doc_id).text
            if "حلب" in text:
                corpus.store_suggestions(doc_id, "fake", "1", [Span(*find(text, "حلب"), "GPE", score=0.7)], [])
            if progress:
                progress(n, len(doc_ids))

    monkeypatch.setattr(suggest_worker, "load_runner", lambda: fake_runner)
    monkeypatch.setattr("annotator.ui.main_window.load_runner", lambda: fake_runner)
    window = open_window(path, run_suggesters=True)
    qtbot.waitUntil(lambda: len(window.session.suggested_spans) == 1, timeout=10_000)
    assert calls[0] == [first]  # the current article first
    qtbot.waitUntil(lambda: "ready" in window.suggester_label.text(), timeout=10_000)


def test_missing_suggesters_degrade_to_a_status_message(qtbot, open_window, corpus_file, monkeypatch):
    path, _, _ = corpus_file
    monkeypatch.setattr("annotator.ui.main_window.load_runner", lambda: None)
    window = open_window(path, run_suggesters=True)
    assert "unavailable" in window.suggester_label.text()


def screenshot_dir(tmp_path: Path) -> Path:
    """docs/screenshots when ANNOTATOR_SCREENSHOTS=1 (to refresh the README's pictures), else a temp dir."""
    if os.environ.get("ANNOTATOR_SCREENSHOTS") == "1":
        target = ROOT / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        return target
    return tmp_path


def test_screenshots_of_the_seed_and_an_english_article(qtbot, open_window, corpus_file, seed_text, tmp_path):
    path, first, second = corpus_file
    window = open_window(path)
    window.resize(1500, 900)
    s = window.session
    for needle, label, nth in (("أوباما", "PER", 0), ("وبوتين", "PER", 0), ("مجموعة الـ20", "ORG", 0),
                               ("الصين", "GPE", 0), ("باراك أوباما", "PER", 0), ("فلاديمير بوتين", "PER", 0),
                               ("سورية", "GPE", 0), ("موسكو", "GPE", 0)):
        s.label_range(*find(seed_text, needle, nth), label)
    s.label_range(*putin_after_the_cue(seed_text), "PER")
    second_line = seed_text.index("\n") + 1
    china = seed_text.index("الصين", second_line) + 2  # "صين" inside "الصين": letters must stay joined
    s.label_range(china, china + 3, "GPE", precise=True)
    assert "overlap" not in (s.last_message.text if s.last_message else "")
    s.corpus.store_suggestions(first, "gazetteer", "1", [Span(*find(seed_text, "وواشنطن"), "GPE", score=0.85),
                                                         Span(*find(seed_text, "حلب"), "GPE", score=0.8)], [])
    s.reload_suggestions()
    quote = s.make_quote(*find(seed_text, '"بعض التقارب في المواقف"'))
    s.set_cue(*find(seed_text, "وأعلن"))
    s.add_source(*putin_after_the_cue(seed_text))
    s.select("quote", quote.id)
    qtbot.wait(500)  # the document list refreshes its counts shortly after edits
    out = screenshot_dir(tmp_path)
    arabic = out / "annotation-window-arabic.png"
    assert window.grab().save(str(arabic))
    s.open_document(second)
    for needle, label in (("Barack Obama", "PER"), ("Russia", "GPE"), ("Vladimir Putin", "PER"),
                          ("Hangzhou", "GPE"), ("Moscow", "GPE")):
        s.label_range(*find(ENGLISH, needle), label)
    english_quote = s.make_quote(*find(ENGLISH, '"There is some rapprochement,"'))
    s.set_cue(*find(ENGLISH, "told"))
    he = ENGLISH.index(" he told") + 1
    s.add_source(he, he + 2)
    s.link_source(*find(ENGLISH, "Vladimir Putin"))  # "he" -> Vladimir Putin: the link arrow
    s.corpus.store_suggestions(second, "gazetteer", "1", [Span(*find(ENGLISH, "Washington"), "GPE", score=0.9)], [])
    s.reload_suggestions()
    s.select("quote", english_quote.id)
    qtbot.wait(500)  # the document list refreshes its counts shortly after edits
    english = out / "annotation-window-english.png"
    assert window.grab().save(str(english))
    assert arabic.stat().st_size > 20_000 and english.stat().st_size > 20_000


def test_a_failed_save_shows_not_saved(qtbot, open_window, corpus_file, seed_text, monkeypatch):
    from annotator.store import CorpusError

    path, first, _ = corpus_file
    window = open_window(path)

    def read_only(*args, **kwargs):
        raise CorpusError("corpus.db: the file is read-only; this change was not saved")

    monkeypatch.setattr(window.session.corpus, "add_span", read_only)
    window.view.select_text(*find(seed_text, "أوباما"))
    key(qtbot, window, Qt.Key.Key_1)
    assert window.save_label.text() == "NOT SAVED"
    assert "read-only" in window.message_label.text()
    monkeypatch.undo()
    window.view.select_text(*find(seed_text, "أوباما"))
    key(qtbot, window, Qt.Key.Key_1)
    assert window.save_label.text().startswith("saved")
    assert len(window.session.corpus.spans(first, WHO)) == 1


def test_the_real_suggesters_fill_the_seed_in_the_background(qtbot, open_window, corpus_file):
    path, first, _ = corpus_file
    window = open_window(path, run_suggesters=True)
    qtbot.waitUntil(lambda: "ready" in window.suggester_label.text() or "fail" in window.suggester_label.text(),
                    timeout=90_000)
    assert "ready" in window.suggester_label.text(), window.suggester_label.toolTip()
    s = window.session
    assert s.suggested_quotes and s.suggested_spans  # the seed has quotes and names
    s.next_suggestion()
    s.accept_suggestion()
    with Corpus.open(path) as other:  # a second connection sees it
        stored = other.spans(first, WHO) or other.quotes(first, WHO)
        assert stored and stored[0].origin == "accepted"


def test_screenshot_with_label_tags_and_a_search(qtbot, open_window, corpus_file, seed_text, tmp_path):
    path, first, _ = corpus_file
    window = open_window(path)
    window.resize(1500, 900)
    s = window.session
    for needle, label in (("أوباما", "PER"), ("وبوتين", "PER"), ("مجموعة الـ20", "ORG"), ("الصين", "GPE"),
                          ("باراك أوباما", "PER"), ("فلاديمير بوتين", "PER"), ("سورية", "GPE"), ("موسكو", "GPE")):
        s.label_range(*find(seed_text, needle), label)
    s.label_range(*putin_after_the_cue(seed_text), "PER")
    s.corpus.store_suggestions(first, "gazetteer", "1", [Span(*find(seed_text, "وواشنطن"), "GPE", score=0.85)], [])
    s.reload_suggestions()
    quote = s.make_quote(*find(seed_text, '"بعض التقارب في المواقف"'))
    s.set_cue(*find(seed_text, "وأعلن"))
    s.add_source(*putin_after_the_cue(seed_text))
    s.select("quote", quote.id)
    window.annotation_actions["view.label-tags"].trigger()  # View → Label Tags
    assert window.view.label_tags and window.annotation_actions["view.label-tags"].isChecked()
    window.document_list.search.setText("بوتين")
    qtbot.waitUntil(lambda: window.view.search == "بوتين")
    assert window.document_list.model.rowCount() == 1
    qtbot.wait(500)  # the document list refreshes its counts shortly after edits
    shot = screenshot_dir(tmp_path) / "annotation-window-label-tags.png"
    assert window.grab().save(str(shot))
    assert shot.stat().st_size > 20_000

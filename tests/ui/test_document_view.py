"""The document view and the keyboard actions on real widgets (offscreen), checked in the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.store import Corpus
from annotator.ui.actions import AnnotationActions
from annotator.ui.document_view import DocumentView
from annotator.ui.session import AnnotationSession

WHO = "amira"
ENGLISH = (
    "Obama and Putin meet in Hangzhou\n\n"
    "President Barack Obama said on Monday that \"we have not yet closed the gaps\" with Russia.\n"
    "Vladimir Putin told reporters that some rapprochement had been reached."
)


class Host(QMainWindow):
    """The smallest window carrying the view and the keymap's actions."""

    def __init__(self, session: AnnotationSession) -> None:
        super().__init__()
        self.session = session
        self.view = DocumentView(session, self)
        self.setCentralWidget(self.view)
        self.annotation_actions = AnnotationActions(self, session, self.view, {"help": lambda: None})
        self.resize(900, 700)


@pytest.fixture
def make_host(qtbot, corpus: Corpus):
    def make(text: str, title: str = "article") -> Host:
        [doc_id] = corpus.add_documents([DocumentRecord(text=text, title=title)]).new_ids
        session = AnnotationSession(corpus, WHO)
        session.open_document(doc_id)
        host = Host(session)
        qtbot.addWidget(host)
        with qtbot.waitActive(host):
            host.show()
            host.activateWindow()
        host.view.setFocus()
        return host

    return make


def kinds_of(view: DocumentView) -> list[str]:
    return [kind for _, _, kinds in view.highlights() for kind in kinds.split("|")]


def spans_in_db(host: Host) -> list[tuple[str, str, int, int, str]]:
    s = host.session
    return [(s.text[x.start:x.end], x.label, x.start, x.end, x.origin) for x in s.corpus.spans(s.doc_id, WHO)]


def test_label_key_on_a_name_inside_a_clitic_word_stores_the_whole_token(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    start = seed_text.index("وبوتين") + 1  # بوتين, without the conjunction
    host.view.select_text(start, start + len("بوتين"))
    assert host.view.selected_range() == (start, start + 5)
    qtbot.keyClick(host.view, Qt.Key.Key_1)
    assert spans_in_db(host) == [("وبوتين", "PER", start - 1, start + 5, "manual")]
    assert host.view.highlights() == [(start - 1, start + 5, "entity")]


def test_alt_label_key_keeps_the_characters(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    start = seed_text.index("وبوتين") + 1
    host.view.select_text(start, start + 5)
    qtbot.keyClick(host.view, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert spans_in_db(host) == [("بوتين", "PER", start, start + 5, "manual")]


def test_keyboard_selection_works_in_the_read_only_view(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    qtbot.keyClick(host.view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    # Shift+End selects the first line (logical order), whatever the visual direction
    qtbot.keyClick(host.view, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    selected = host.view.selected_range()
    assert selected is not None and selected[0] == 0 and selected[1] > 10
    qtbot.keyClick(host.view, Qt.Key.Key_3)
    first_line = seed_text.split("\n")[0]
    assert spans_in_db(host) == [(first_line, "GPE", 0, len(first_line), "manual")]


def test_rtl_document_is_right_to_left_and_right_aligned(make_host, seed_text):
    host = make_host(seed_text)
    view = host.view
    option = view.document().defaultTextOption()
    assert option.textDirection() == Qt.LayoutDirection.RightToLeft
    assert option.alignment() & Qt.AlignmentFlag.AlignRight
    assert view.layoutDirection() == Qt.LayoutDirection.RightToLeft
    # what the eye sees: the first line starts at the right edge of the page
    first = view.range_rects(0, 6)[0]  # أوباما
    assert first.right() > view.viewport().width() * 0.8
    assert "Naskh" in view.font().family() or "Naskh" in "".join(view.font().families())


def test_english_document_is_left_to_right(qtbot, make_host):
    host = make_host(ENGLISH, "English")
    view = host.view
    option = view.document().defaultTextOption()
    assert option.textDirection() == Qt.LayoutDirection.LeftToRight
    assert view.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert view.range_rects(0, 5)[0].left() < view.viewport().width() * 0.2
    start = ENGLISH.index("Barack") + 2
    view.select_text(start, start + 10)  # "rack Obama" -> whole tokens
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert [x[:2] for x in spans_in_db(host)] == [("Barack Obama", "PER")]


def test_text_is_plain_never_html_and_nbsp_offsets_hold(qtbot, make_host):
    text = "<b>not bold</b> &amp; Obama\u00a0spoke 😀 to Putin."
    host = make_host(text)
    assert host.view.document().toRawText().replace("\u2029", "\n") == text  # nothing interpreted
    start = text.index("Putin")
    host.view.select_text(start, start + 5)
    qtbot.keyClick(host.view, Qt.Key.Key_1)
    assert spans_in_db(host) == [("Putin", "PER", start, start + 5, "manual")]


def test_clicking_a_span_selects_it_and_delete_removes_it(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    start = seed_text.index("باراك أوباما")
    span = host.session.label_range(start, start + len("باراك أوباما"), "PER")
    rect = host.view.range_rects(span.start + 2, span.start + 3)[0]
    qtbot.mouseClick(host.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert host.session.selection is not None and host.session.selection.id == span.id
    qtbot.keyClick(host.view, Qt.Key.Key_Delete)
    assert spans_in_db(host) == []
    qtbot.keyClick(host.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spans_in_db(host)[0][:2] == ("باراك أوباما", "PER")
    qtbot.keyClick(host.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert spans_in_db(host) == []


def test_relabel_with_a_digit_and_visual_boundary_keys_in_rtl(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    start = seed_text.index("فلاديمير بوتين")
    host.session.label_range(start, start + len("فلاديمير"), "ORG")  # selected after labelling
    qtbot.keyClick(host.view, Qt.Key.Key_1)  # relabel
    assert spans_in_db(host)[0][:2] == ("فلاديمير", "PER")
    # In right-to-left text the next word (بوتين) is on the LEFT: "[" grows the left boundary.
    qtbot.keyClick(host.view, Qt.Key.Key_BracketLeft)
    assert spans_in_db(host)[0][0].startswith("فلاديمير بوتين")
    # Shift+[ arrives as "{" (the offscreen platform sends no Shift alternative; real keyboards match "{")
    qtbot.keyClick(host.view, Qt.Key.Key_BraceLeft)  # shrink the left boundary
    assert spans_in_db(host)[0][0] == "فلاديمير"
    qtbot.keyClick(host.view, Qt.Key.Key_BracketRight)  # grow the right boundary: the previous word
    assert spans_in_db(host)[0][0] == "الروسي فلاديمير"


def test_suggestions_are_drawn_differently_and_keys_accept_and_reject(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    s = host.session
    obama = seed_text.index("باراك أوباما")
    moscow = seed_text.index("موسكو")
    content = seed_text.index('"بعض التقارب في المواقف"')
    cue = seed_text.index("وأعلن")
    quote = Quote(contents=(Range(content, content + len('"بعض التقارب في المواقف"')),), cue=Range(cue, cue + 5),
                  type="mixed", score=0.6)
    s.corpus.store_suggestions(s.doc_id, "rules", "1", [Span(obama, obama + 12, "PER", score=0.95),
                                                        Span(moscow, moscow + 5, "GPE", score=0.5)], [quote])
    s.reload_suggestions()
    kinds = kinds_of(host.view)
    assert kinds.count("entity-suggestion") == 2 and "entity" not in kinds
    assert "content-suggestion" in kinds and "cue-suggestion" in kinds
    assert "باراك" in host.view.tooltip_at(obama + 1) and "0.95" in host.view.tooltip_at(obama + 1)
    qtbot.keyClick(host.view, Qt.Key.Key_Tab)
    assert s.selected_item().label == "PER"
    qtbot.keyClick(host.view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)  # Shift+Tab wraps round
    assert s.selected_item().label == "GPE"
    qtbot.keyClick(host.view, Qt.Key.Key_Tab)
    assert s.selected_item().label == "PER"
    qtbot.keyClick(host.view, Qt.Key.Key_Return)  # accept; the next suggestion is selected
    assert spans_in_db(host) == [("باراك أوباما", "PER", obama, obama + 12, "accepted")]
    assert isinstance(s.selected_item(), Quote)
    qtbot.keyClick(host.view, Qt.Key.Key_Return)  # the quote with its cue, at once
    [stored] = s.corpus.quotes(s.doc_id, WHO)
    assert stored.key == quote.key and stored.origin == "accepted"
    assert s.selected_item().label == "GPE"
    qtbot.keyClick(host.view, Qt.Key.Key_X)
    assert s.corpus.decisions(s.doc_id, WHO)[("entity", moscow, moscow + 5, "GPE")] == "rejected"
    assert s.pending_suggestions == []
    qtbot.keyClick(host.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(s.pending_suggestions) == 1
    assert "entity" in kinds_of(host.view)


def test_build_a_quote_from_the_keyboard(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    s, view = host.session, host.view

    def select(needle: str, nth: int = 0) -> None:
        i = -1
        for _ in range(nth + 1):
            i = seed_text.index(needle, i + 1)
        view.select_text(i, i + len(needle))

    select("بوتين", 2)
    qtbot.keyClick(view, Qt.Key.Key_1)
    select('"بعض التقارب في المواقف"')
    qtbot.keyClick(view, Qt.Key.Key_Q)
    select("وأعلن")
    qtbot.keyClick(view, Qt.Key.Key_C)
    select("بوتين", 2)
    qtbot.keyClick(view, Qt.Key.Key_S)
    qtbot.keyClick(view, Qt.Key.Key_T)  # direct -> indirect
    qtbot.keyClick(view, Qt.Key.Key_T)  # -> mixed
    [q] = s.corpus.quotes(s.doc_id, WHO)
    text = s.text
    assert text[q.contents[0].start:q.contents[0].end] == '"بعض التقارب في المواقف"'
    assert text[q.cue.start:q.cue.end] == "وأعلن"
    assert [text[r.start:r.end] for r in q.sources] == ["بوتين"]
    assert q.entity is not None and text[q.entity.start:q.entity.end] == "بوتين"
    assert q.type == "mixed"
    kinds = kinds_of(view)
    assert {"content", "cue", "entity", "source"} <= set(kinds)
    host.view.grab()  # the selected quote's frames and link paint without error


def test_zoom_keys_change_the_text_size(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    size = host.view.font().pointSizeF()
    qtbot.keyClick(host.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert host.view.font().pointSizeF() > size
    qtbot.keyClick(host.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(host.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert host.view.font().pointSizeF() < size


def test_tooltip_names_label_origin_suggester_and_score(make_host, seed_text):
    host = make_host(seed_text)
    s = host.session
    i = seed_text.index("حلب")
    s.corpus.store_suggestions(s.doc_id, "gazetteer", "2", [Span(i, i + 3, "GPE", score=0.8)], [])
    s.reload_suggestions()
    tip = host.view.tooltip_at(i + 1)
    assert "GPE" in tip and "suggestion" in tip and "gazetteer" in tip and "0.80" in tip
    s.select("suggestion", s.suggested_spans[0].id)
    s.accept_suggestion()
    tip = host.view.tooltip_at(i + 1)
    assert "accepted" in tip and "gazetteer" in tip


def test_every_key_of_the_keymap_does_something_without_error(make_host, seed_text):
    host = make_host(seed_text)
    start = seed_text.index("باراك أوباما")
    for name in host.annotation_actions.actions:
        host.view.select_text(start, start + 5)
        host.annotation_actions.trigger(name)  # raises KeyError for an action without a handler
    assert host.session.corpus.events(annotator=WHO)  # something was stored along the way


def test_a_long_article_gets_every_highlight(qtbot, corpus):
    """Quote formats beyond the first screen follow the first frame; entities are painted where you look."""
    text = "\n\n".join(f"Paragraph {i}: Obama met Putin in Hangzhou." for i in range(2_000))
    [doc] = corpus.add_documents([DocumentRecord(text=text)]).new_ids
    last = text.rindex("Putin")
    corpus.add_span(doc, WHO, Span(0, 9, "MISC"))
    corpus.add_span(doc, WHO, Span(last, last + 5, "PER"))
    corpus.add_quote(doc, WHO, Quote(contents=(Range(last - 10, last + 17),), type="indirect"))
    session = AnnotationSession(corpus, WHO)
    session.open_document(doc)
    host = Host(session)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitUntil(lambda: (last - 10, last + 17, "content") in host.view.highlights(), timeout=5_000)
    assert (0, 9, "entity") in host.view.highlights()
    assert (last, last + 5, "entity") not in host.view.highlights()  # not on screen: not painted
    host.view.verticalScrollBar().setValue(host.view.verticalScrollBar().maximum())
    assert (last, last + 5, "entity") in host.view.highlights()
    assert (0, 9, "entity") not in host.view.highlights()


def test_shift_left_selects_forward_in_right_to_left_text(qtbot, make_host, seed_text):
    """Arrow keys move visually: in Arabic, Shift+Left extends the selection to the next letters."""
    host = make_host(seed_text)
    start = seed_text.index("وبوتين")
    host.view.select_text(start, start)
    for _ in range(len("وبوتين")):
        qtbot.keyClick(host.view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert host.view.selected_range() == (start, start + len("وبوتين"))
    qtbot.keyClick(host.view, Qt.Key.Key_1)
    assert spans_in_db(host) == [("وبوتين", "PER", start, start + 6, "manual")]


def test_a_mouse_drag_over_an_arabic_word_labels_it(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    start = seed_text.index("فلاديمير")
    rect = host.view.range_rects(start, start + len("فلاديمير"))[0]
    right = rect.center().toPoint()
    right.setX(int(rect.right()) - 2)  # a right-to-left word starts on the right
    left = rect.center().toPoint()
    left.setX(int(rect.left()) + 2)
    viewport = host.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=right)
    qtbot.mouseMove(viewport, left)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=left)
    assert host.view.selected_range() is not None
    qtbot.keyClick(host.view, Qt.Key.Key_1)
    assert [x[:2] for x in spans_in_db(host)] == [("فلاديمير", "PER")]  # snapped to the whole word


def test_windows_line_ends_keep_offsets_aligned(qtbot, make_host):
    text = "Title line\r\n\r\nObama met Putin in Hangzhou.\r\nKerry spoke."
    host = make_host(text)
    start = text.index("Kerry")
    host.view.select_text(start, start + 5)
    qtbot.keyClick(host.view, Qt.Key.Key_1)
    assert spans_in_db(host) == [("Kerry", "PER", start, start + 5, "manual")]
    assert (start, start + 5, "entity") in host.view.highlights()


# -- clicks: the text is for reading and selecting; suggestions are chosen on purpose ---------------


def _own_quote_and_a_suggestion_over_the_verb(host: Host, text: str) -> tuple[Quote, Quote, tuple[int, int]]:
    """The annotator's quote (selected, no cue yet) and a wrong suggested quote over the verb it needs."""
    said = text.index("وقال خلال")
    verb = (said, said + len("وقال"))
    content = text.index('"هناك رغم')
    content_end = text.index('"', content + 1) + 1
    own = host.session.make_quote(content, content_end)
    suggestion = Quote(contents=(Range(said, text.index(" مؤتمر", said)),), type="indirect", score=0.4)
    host.session.corpus.store_suggestions(host.session.doc_id, "test", "1", [], [suggestion])
    host.session.reload_suggestions()
    host.session.select("quote", own.id)
    return own, host.session.suggested_quotes[0], verb


def _point_in(view: DocumentView, start: int, end: int):
    rect = view.range_rects(start, end)[0]
    return rect.center().toPoint()


def test_double_click_the_verb_inside_a_suggested_quote_then_c_sets_ones_own_cue(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    own, suggested, verb = _own_quote_and_a_suggestion_over_the_verb(host, seed_text)
    view = host.view
    view.verticalScrollBar().setValue(0)
    view.ensureCursorVisible()
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point_in(view, verb[0] + 1, verb[0] + 2))
    assert view.selected_range() == verb  # Qt's word selection, as anywhere else
    assert host.session.selection.kind == "quote" and host.session.selection.id == own.id
    qtbot.keyClick(view, Qt.Key.Key_C)
    [stored] = host.session.corpus.quotes(host.session.doc_id, WHO)
    assert (stored.id, stored.cue) == (own.id, Range(*verb))
    # the suggestion is still there, undecided
    assert [q.key for q in host.session.suggested_quotes] == [suggested.key]


def test_a_plain_click_inside_a_suggestion_selects_nothing_ctrl_click_selects_it(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    _, suggested, verb = _own_quote_and_a_suggestion_over_the_verb(host, seed_text)
    view, session = host.view, host.session
    inside = _point_in(view, verb[0] + 1, verb[0] + 2)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=inside)
    assert session.selection is None
    assert verb[0] <= view.cursor_offset() <= verb[1]  # the caret went where the click was
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, pos=inside)
    assert session.selection is not None and session.selection.kind == "suggestion"
    assert session.selected_item().key == suggested.key
    qtbot.keyClick(view, Qt.Key.Key_Return)  # accepted as a whole, on purpose
    assert [q.key for q in session.corpus.quotes(session.doc_id, WHO) if q.type == "indirect"] == [suggested.key]


def test_a_click_on_empty_space_beside_a_quote_selects_nothing(qtbot, make_host):
    text = "Short line.\n\n\"We will talk,\" he said.\n\nAnother paragraph of plain words here."
    host = make_host(text)
    session, view = host.session, host.view
    quote = session.make_quote(text.index('"We'), text.index(" he said"))
    session.select(None)
    line = view.range_rects(quote.start, quote.end)[0]
    beyond = line.center().toPoint()
    beyond.setX(int(view.viewport().width() - 30))  # right of the end of the quote's line: no character there
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=beyond)
    assert session.selection is None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point_in(view, quote.start + 3, quote.start + 4))
    assert (session.selection.kind, session.selection.id) == ("quote", quote.id)
    below = view.viewport().rect().bottomLeft()
    below.setY(below.y() - 5)
    below.setX(below.x() + 40)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=below)  # under the last line
    assert session.selection is None


def test_a_span_made_smaller_on_a_clitic_leaves_no_sliver_of_the_suggestion(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    session, view = host.session, host.view
    word = seed_text.index("وبوتين")
    session.corpus.store_suggestions(session.doc_id, "test", "1", [Span(word, word + 6, "PER", score=0.8)], [])
    session.reload_suggestions()
    assert (word, word + 6, "entity-suggestion") in view.highlights()
    view.select_text(word + 1, word + 6)
    qtbot.keyClick(view, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # exactly بوتين, without the و
    assert spans_in_db(host) == [("بوتين", "PER", word + 1, word + 6, "manual")]
    drawn = view.highlights()
    assert (word + 1, word + 6, "entity") in drawn
    assert not [h for h in drawn if h[2] == "entity-suggestion"]  # nothing pale left on the و
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (word, word + 6, "entity-suggestion") in view.highlights()  # undo brings the suggestion back


def test_ones_own_quote_over_a_suggested_one_removes_the_suggestion(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    session, view = host.session, host.view
    content = seed_text.index('"بعض التقارب في المواقف"')
    end = content + len('"بعض التقارب في المواقف"')
    cue = seed_text.index("وأعلن")
    session.corpus.store_suggestions(session.doc_id, "test", "1", [], [
        Quote(contents=(Range(content, end),), cue=Range(cue, cue + 5), type="direct", score=0.9)])
    session.reload_suggestions()
    view.select_text(content + 1, end - 1)  # a little less than suggested
    qtbot.keyClick(view, Qt.Key.Key_Q)
    assert session.suggested_quotes == []
    assert not [h for h in view.highlights() if "suggestion" in h[2]]


# -- reading: label tags, search words, readable cue and source ---------------------------------------


def test_label_tags_sit_in_the_space_before_each_entity_and_keep_the_offsets(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    session, view = host.session, host.view
    obama = seed_text.index("باراك أوباما")
    putin = seed_text.index("وبوتين")
    session.label_range(obama, obama + len("باراك أوباما"), "PER")
    session.label_range(putin, putin + 6, "PER")
    before = view.range_rects(obama, obama + 5)[0]
    view.set_label_tags(True)
    drawn = view.highlights()
    assert (obama, obama, "tag:PER") in drawn and (putin, putin, "tag:PER") in drawn
    gap = view.range_rects(obama - 1, obama)[0]
    assert gap.width() >= view._tag_widths["PER"]  # the space before the name holds the tag
    after = view.range_rects(obama, obama + 5)[0]
    assert after.width() == pytest.approx(before.width(), abs=1)  # the name itself is shaped as before
    view.select_text(obama, obama + len("باراك"))
    assert view.selected_range() == (obama, obama + len("باراك"))  # offsets unchanged by the tags
    view.set_label_tags(False)
    assert not [h for h in view.highlights() if h[2].startswith("tag:")]


def test_search_words_are_marked_in_the_article_with_their_clitics(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    view = host.view
    host.view.set_search("بوتين")
    hits = [h for h in view.highlights() if h[2] == "search"]
    words = {seed_text[a:b] for a, b, _ in hits}
    assert "بوتين" in words and "وبوتين" in words
    assert all(seed_text[a:b].endswith("بوتين") for a, b, _ in hits)
    view.set_search("")
    assert not [h for h in view.highlights() if h[2] == "search"]


def test_source_text_on_an_entity_background_is_darkened_to_read(qtbot, make_host, seed_text):
    from PySide6.QtGui import QTextFormat

    from annotator.ui.contrast import contrast

    host = make_host(seed_text)
    session, view = host.session, host.view
    speaker = seed_text.index("وأعلن بوتين") + len("وأعلن ")
    session.label_range(speaker, speaker + 5, "PER")
    content = seed_text.index('"بعض التقارب في المواقف"')
    quote = session.make_quote(content, content + len('"بعض التقارب في المواقف"'))
    session.select("quote", quote.id)
    view.select_text(speaker, speaker + 5)
    qtbot.keyClick(view, Qt.Key.Key_S)
    block = view.document().findBlock(view.offsets.to_utf16(speaker))
    colors = [fr.format.foreground().color().name() for fr in block.layout().formats()
              if "source" in str(fr.format.property(QTextFormat.Property.UserProperty + 17))]
    assert colors
    per = session.corpus.labels.entity("PER").color
    assert all(contrast(c, per) >= 4.5 for c in colors)


def test_where_a_suggested_quote_overlaps_ones_own_only_ones_own_parts_are_drawn(qtbot, make_host, seed_text):
    host = make_host(seed_text)
    session, view = host.session, host.view
    speaker = seed_text.index("وأعلن بوتين") + len("وأعلن ")
    cue = seed_text.index("وأعلن")
    content = seed_text.index('"بعض التقارب في المواقف"')
    own = session.make_quote(content, content + len('"بعض التقارب في المواقف"'))
    session.select("quote", own.id)
    session.set_cue(cue, cue + 5)
    # a suggestion for the next sentence's quote that takes the same words as its source and cue, the other way round
    later = seed_text.index('"هناك رغم')
    session.corpus.store_suggestions(session.doc_id, "test", "1", [], [Quote(
        contents=(Range(later, later + 10),), cue=Range(speaker, speaker + 5), sources=(Range(cue, cue + 5),),
        type="direct", score=0.5)])
    session.reload_suggestions()
    assert len(session.suggested_quotes) == 1  # its content does not overlap: it stays
    at_cue = {kinds for a, b, kinds in view.highlights() if a <= cue < b}
    assert at_cue == {"cue"}  # one's own cue, not blurred by the suggested source there
    at_speaker = {kinds for a, b, kinds in view.highlights() if a <= speaker < b}
    assert at_speaker == {"cue-suggestion"}  # where nothing of one's own is, the suggestion shows

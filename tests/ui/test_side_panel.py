"""Side panel, label bar and help overlay, driven offscreen against a real session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.store import Corpus
from annotator.ui.help_overlay import HelpOverlay
from annotator.ui.keymap import DISPLAY, keymap, listed
from annotator.ui.label_bar import LabelBar
from annotator.ui.session import AnnotationSession
from annotator.ui.side_panel import SidePanel

WHO = "amira"
ARABIC = 'قال الرئيس فلاديمير بوتين إن "المحادثات كانت مثمرة" في موسكو.'
HTML = 'The mayor <b>x</b><script>alert(1)</script> said "we <i>will</i> rebuild" on Monday.'


def at(text: str, needle: str) -> Range:
    start = text.index(needle)
    return Range(start, start + len(needle))


@pytest.fixture
def session(corpus: Corpus) -> AnnotationSession:
    [arabic, html] = corpus.add_documents(
        [DocumentRecord(text=ARABIC, title="بوتين"), DocumentRecord(text=HTML, title="<b>html</b>")]
    ).new_ids
    putin = at(ARABIC, "فلاديمير بوتين")
    corpus.add_span(arabic, WHO, Span(putin.start, putin.end, "PER"))
    corpus.add_quote(arabic, WHO, Quote(contents=(at(ARABIC, "المحادثات كانت مثمرة"),), cue=at(ARABIC, "قال"),
                                        sources=(putin,), entity=putin, type="direct"))
    moscow = at(ARABIC, "موسكو")
    corpus.store_suggestions(arabic, "gazetteer", "1", [Span(moscow.start, moscow.end, "GPE", score=0.8)], [])
    mayor = at(HTML, "<b>x</b><script>alert(1)</script>")
    corpus.add_span(html, WHO, Span(mayor.start, mayor.end, "PER"))
    corpus.store_suggestions(html, "quotes", "1", [], [
        Quote(contents=(at(HTML, "we <i>will</i> rebuild"),), cue=at(HTML, "said"), sources=(mayor,), score=0.9)
    ])
    s = AnnotationSession(corpus, WHO)
    s.open_document(arabic)
    return s


@pytest.fixture
def panel(qtbot, session) -> SidePanel:
    p = SidePanel(session)
    qtbot.addWidget(p)
    p.resize(360, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_quote_cards_show_speaker_cue_and_content(panel):
    [card] = panel.card_texts()
    assert card["speaker"] == "فلاديمير بوتين"
    assert card["cue"] == "قال"
    assert card["content"] == "المحادثات كانت مثمرة"
    assert card["meta"].startswith("direct · manual")
    assert panel.quotes_title.text() == "Quotes (1)"


def test_entities_list_shows_labels_text_origin_and_suggestions(panel):
    assert panel.entity_rows() == [("PER", "فلاديمير بوتين", "manual"), ("GPE", "موسكو", "suggested 0.80")]
    assert panel.entities_title.text() == "Entities (1 + 1 suggested)"


def test_clicking_an_entity_selects_it_in_the_session(panel, session, qtbot):
    view = panel.entities
    rect = view.visualRect(panel.entity_model.index(1, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert session.selection is not None and session.selection.kind == "suggestion"
    assert session.text[session.selected_item().start:session.selected_item().end] == "موسكو"


def test_clicking_a_card_selects_the_quote(panel, session, qtbot):
    card = panel.cards.visible_cards()[0]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert session.selection.kind == "quote"
    assert session.selection.id == session.quotes[0].id
    assert card.property("selected") is True


def test_panel_follows_edits_and_selection(panel, session):
    moscow = at(ARABIC, "موسكو")
    session.label_range(moscow.start, moscow.end, "GPE")  # accepts the suggestion
    assert panel.entity_rows() == [("PER", "فلاديمير بوتين", "manual"), ("GPE", "موسكو", "accepted")]
    president = at(ARABIC, "الرئيس")
    session.label_range(president.start, president.end, "MISC")
    assert [r[1] for r in panel.entity_rows()] == ["الرئيس", "فلاديمير بوتين", "موسكو"]
    assert panel.entities.currentIndex().row() == 0  # the new span is selected in the session and here
    session.delete_selected()
    assert [r[1] for r in panel.entity_rows()] == ["فلاديمير بوتين", "موسكو"]
    assert not panel.entities.selectionModel().hasSelection()


def test_html_in_article_text_is_shown_literally(panel, session):
    session.open_document(2)
    [card] = panel.card_texts()
    assert card["speaker"] == "<b>x</b><script>alert(1)</script>"
    assert card["content"] == "we <i>will</i> rebuild"
    assert card["meta"].startswith("direct · suggested 0.90 by quotes")
    assert panel.entity_rows()[0][1] == "<b>x</b><script>alert(1)</script>"
    for label in panel.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    assert panel.cards.visible_cards()[0].property("suggested") is True


def test_arabic_cards_read_right_to_left_english_left_to_right(panel, session):
    card = panel.cards.visible_cards()[0]
    assert card.layoutDirection() == card.content.layoutDirection() == Qt.LayoutDirection.RightToLeft
    session.open_document(2)
    assert card.layoutDirection() == card.content.layoutDirection() == Qt.LayoutDirection.LeftToRight


# -- label bar ---------------------------------------------------------------------------------


def test_label_bar_has_a_button_per_label_with_its_key_and_colour(qtbot, session):
    bar = LabelBar(session)
    qtbot.addWidget(bar)
    texts = {name: b.text() for name, b in bar.buttons.items()}
    assert texts["label:PER"] == "1  PER"
    assert texts["label:MISC"] == "6  MISC"
    assert texts["quote.content"] == "Q  Quote" and texts["quote.cue"] == "C  Cue"
    assert "#f6c177" in bar.buttons["label:PER"].styleSheet()


def test_label_bar_click_triggers_the_same_action_as_the_key(qtbot, session):
    host = QWidget()
    qtbot.addWidget(host)
    fired: list[str] = []
    for name in ("label:GPE", "quote.cue"):
        action = QAction(host)
        action.setObjectName(name)
        action.triggered.connect(lambda _c=False, n=name: fired.append(n))
        host.addAction(action)
    bar = LabelBar(session, host)
    qtbot.mouseClick(bar.buttons["label:GPE"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(bar.buttons["quote.cue"], Qt.MouseButton.LeftButton)
    assert fired == ["label:GPE", "quote.cue"]
    with qtbot.waitSignal(bar.actionRequested) as signal:  # no action for it: the bar asks
        qtbot.mouseClick(bar.buttons["label:ORG"], Qt.MouseButton.LeftButton)
    assert signal.args == ["label:ORG"]


def test_label_bar_shows_the_selected_spans_label(qtbot, session):
    bar = LabelBar(session)
    qtbot.addWidget(bar)
    session.select("span", session.spans[0].id)
    assert bar.buttons["label:PER"].isChecked()
    assert not bar.buttons["label:GPE"].isChecked()
    session.select(None)
    assert not bar.buttons["label:PER"].isChecked()


# -- help overlay ---------------------------------------------------------------------------------


def test_help_overlay_lists_every_key_of_the_keymap(qtbot, session):
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(1200, 800)
    host.show()
    bindings = keymap(session.corpus.labels)
    overlay = HelpOverlay(host, bindings)
    overlay.show()
    qtbot.waitExposed(overlay)
    shown = overlay.listed_keys()
    for binding in listed(bindings):
        for key in binding.keys:
            assert DISPLAY.get(key, key) in shown, key
        assert binding.description in overlay.listed_descriptions()
    # the six Alt+digit keys are one summary row
    assert "Alt+1–6" in shown and not any(b.description in overlay.listed_descriptions()
                                          for b in bindings if not b.listed)
    assert overlay.geometry() == host.rect()


def test_help_overlay_closes_with_escape_and_swallows_keys(qtbot, session):
    host = QWidget()
    qtbot.addWidget(host)
    fired: list[str] = []
    action = QAction(host)
    action.setShortcut("1")
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: fired.append("1"))
    host.addAction(action)
    host.resize(900, 600)
    host.show()
    host.activateWindow()
    qtbot.waitActive(host)
    overlay = HelpOverlay(host, keymap(session.corpus.labels))
    overlay.show()
    qtbot.keyClick(overlay, Qt.Key.Key_1)
    assert fired == []  # no label key fires behind the help
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    assert not overlay.isVisible()
    overlay.show()
    qtbot.keyClick(overlay, Qt.Key.Key_F1)
    assert not overlay.isVisible()


# -- screenshots (docs/screenshots when ANNOTATOR_SCREENSHOTS=1) -------------------------------------


def screenshot_dir(tmp_path: Path) -> Path:
    if os.environ.get("ANNOTATOR_SCREENSHOTS") == "1":
        target = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        return target
    return tmp_path


def seed_session(corpus: Corpus, seed_text: str) -> AnnotationSession:
    [doc] = corpus.add_documents([DocumentRecord(text=seed_text, title="seed")]).new_ids

    def find(needle: str, nth: int = 0) -> Range:
        start = -1
        for _ in range(nth + 1):
            start = seed_text.index(needle, start + 1)
        return Range(start, start + len(needle))

    for needle, label in (("باراك أوباما", "PER"), ("فلاديمير بوتين", "PER"), ("سورية", "GPE"),
                          ("موسكو", "GPE"), ("الإدارة الأميركية", "ORG")):
        r = find(needle)
        corpus.add_span(doc, WHO, Span(r.start, r.end, label))
    putin = find("بوتين", 3)
    corpus.add_quote(doc, WHO, Quote(contents=(find('"بعض التقارب في المواقف"'),), cue=find("وأعلن"),
                                     sources=(putin,), entity=find("فلاديمير بوتين"), type="mixed"))
    said = find("وقال خلال")
    corpus.add_quote(doc, WHO, Quote(contents=(find('"هناك رغم كل شيء'),), cue=Range(said.start, said.start + 4),
                                     type="direct"))
    official = find("مسؤول رفيع")
    washington, aleppo = find("وواشنطن"), find("حلب")
    corpus.store_suggestions(doc, "quotes", "1", [
        Span(washington.start, washington.end, "GPE", score=0.85),
        Span(aleppo.start, aleppo.end, "GPE", score=0.8),
    ], [Quote(contents=(find("ذلك سيتم في وقت لاحق هذا الأسبوع على الأرجح"),),
              cue=Range(official.start - 5, official.start - 1), sources=(official,), type="indirect", score=0.72)])
    session = AnnotationSession(corpus, WHO)
    session.open_document(doc)
    return session


@pytest.fixture
def app_font(qapp):
    """The application's own font (shipped Noto), as ``run_app`` sets it, for faithful pictures."""
    from annotator.ui.app import ui_font

    before = qapp.font()
    qapp.setFont(ui_font())
    yield
    qapp.setFont(before)


def test_screenshots_of_the_side_panel_label_bar_and_help(qtbot, corpus, seed_text, tmp_path, app_font):
    session = seed_session(corpus, seed_text)
    out = screenshot_dir(tmp_path)
    panel = SidePanel(session)
    qtbot.addWidget(panel)
    panel.resize(380, 720)
    panel.show()
    qtbot.waitExposed(panel)
    session.select("quote", session.quotes[0].id)
    assert [c["cue"] for c in panel.card_texts()] == ["وأعلن", "وقال", "وقال"]
    qtbot.wait(50)  # let the scroll area settle its scroll bar before the picture
    assert panel.grab().save(str(out / "side-panel.png"))

    bar = LabelBar(session)
    qtbot.addWidget(bar)
    bar.resize(760, bar.sizeHint().height())
    session.select("span", session.spans[0].id)
    assert bar.grab().save(str(out / "label-bar.png"))

    host = QWidget()
    qtbot.addWidget(host)
    host.resize(1300, 820)
    host.show()
    overlay = HelpOverlay(host, keymap(session.corpus.labels))
    overlay.show()
    qtbot.waitExposed(overlay)
    qtbot.wait(50)
    assert host.grab().save(str(out / "help-overlay.png"))
    for name in ("side-panel.png", "label-bar.png", "help-overlay.png"):
        assert (out / name).stat().st_size > 5_000

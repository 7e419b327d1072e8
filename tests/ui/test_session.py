"""The annotation session without Qt: every operation checked in the database."""

from __future__ import annotations

import sys

import pytest

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.store import Corpus
from annotator.ui.session import AnnotationSession, Message

WHO = "amira"


@pytest.fixture
def seeded(corpus: Corpus, seed_text: str) -> tuple[Corpus, int]:
    [doc_id] = corpus.add_documents([DocumentRecord(text=seed_text, title="seed")]).new_ids
    return corpus, doc_id


@pytest.fixture
def session(seeded) -> AnnotationSession:
    corpus, doc_id = seeded
    s = AnnotationSession(corpus, WHO)
    s.open_document(doc_id)
    return s


def messages(session: AnnotationSession) -> list[Message]:
    got: list[Message] = []
    session.subscribe(lambda kind, payload: got.append(payload) if kind == "message" else None)
    return got


def at(session: AnnotationSession, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = session.text.index(needle, start + 1)
    return start, start + len(needle)


def stored(session: AnnotationSession) -> list[tuple[str, str]]:
    return [(session.text[s.start:s.end], s.label) for s in session.corpus.spans(session.doc_id, WHO)]


def test_label_snaps_a_name_inside_a_clitic_word_to_the_whole_token(session):
    start, end = at(session, "بوتين")  # inside وبوتين
    assert session.text[start - 1] == "و"
    span = session.label_range(start, end, "PER")
    assert span is not None
    [row] = session.corpus.spans(session.doc_id, WHO)
    assert (row.start, row.end, row.label, row.origin) == (start - 1, end, "PER", "manual")
    assert session.text[row.start:row.end] == "وبوتين"
    assert session.selection.kind == "span" and session.selection.id == row.id


def test_precise_label_keeps_the_characters(session):
    start, end = at(session, "بوتين")
    session.label_range(start, end, "PER", precise=True)
    assert stored(session) == [("بوتين", "PER")]


def test_overlapping_entity_is_refused_with_a_message_and_nothing_stored(session):
    got = messages(session)
    a = at(session, "باراك أوباما")
    session.label_range(*a, "PER")
    session.label_range(a[0] + 2, a[1] + 8, "ORG")
    assert stored(session) == [("باراك أوباما", "PER")]
    assert got and got[-1].level == "warning" and "overlap" in got[-1].text


def test_selection_outside_any_word_is_refused(session):
    got = messages(session)
    nl = session.text.index("\n")
    assert session.label_range(nl, nl + 1, "PER") is None
    assert stored(session) == [] and got[-1].level == "warning"


def test_relabel_delete_and_nudge(session):
    session.label_range(*at(session, "فلاديمير بوتين"), "ORG")
    session.relabel("PER")
    assert stored(session) == [("فلاديمير بوتين", "PER")]
    session.shrink_start()
    assert stored(session) == [("بوتين،", "PER")] or stored(session) == [("بوتين", "PER")]
    session.grow_start()
    assert stored(session)[0][0].startswith("فلاديمير")
    session.grow_end()
    assert stored(session)[0][0].startswith("فلاديمير بوتين") and len(stored(session)[0][0]) > len("فلاديمير بوتين")
    session.shrink_end()
    assert stored(session)[0][0].startswith("فلاديمير بوتين")
    assert session.delete_selected()
    assert stored(session) == []


def test_click_selects_and_cycles_overlapping_items(session):
    span = session.label_range(*at(session, "أوباما", 2), "PER")
    quote = session.make_quote(span.start - 10, span.end + 10)
    session.select(None)
    assert session.select_at(span.start + 1) == span
    assert session.select_at(span.start + 1) == quote
    assert session.select_at(span.start + 1) == span


def store_suggestions(session: AnnotationSession) -> tuple[list[Span], Quote]:
    text = session.text
    putin = at(session, "فلاديمير بوتين")
    moscow = at(session, "موسكو")
    spans = [
        Span(*putin, "PER", score=0.9),
        Span(*moscow, "GPE", score=0.8),
        Span(putin[0], putin[0] + 8, "MISC", score=0.3),  # overlaps the first
    ]
    content = at(session, '"بعض التقارب في المواقف"')
    quote = Quote(
        contents=(Range(*content),),
        cue=Range(*at(session, "وأعلن")),
        sources=(Range(text.index("وأعلن بوتين") + 6, text.index("وأعلن بوتين") + 11),),
        type="mixed",
        score=0.7,
    )
    session.corpus.store_suggestions(session.doc_id, "test-suggester", "1", spans, [quote])
    session.reload_suggestions()
    return spans, quote


def test_accept_and_reject_suggestions(session):
    spans, quote = store_suggestions(session)
    # the MISC suggestion inside the PER name is not proposed separately (suggest.combine)
    assert len(session.pending_suggestions) == 3
    assert all(s.label != "MISC" for s in session.suggested_spans)
    first = session.next_suggestion()
    assert (first.start, first.end) == (spans[0].start, spans[0].end) or first.start == spans[0].start
    # go to the PER suggestion and accept it
    while not (isinstance(session.selected_item(), Span) and session.selected_item().label == "PER"):
        session.next_suggestion()
    session.accept_suggestion()
    [per] = session.corpus.spans(session.doc_id, WHO)
    assert (per.label, per.origin, per.suggester, per.score) == ("PER", "accepted", "test-suggester", 0.9)
    # the MISC suggestion inside the PER name is never proposed (suggest.combine), and has no decision
    assert all(s.label != "MISC" for s in session.suggested_spans)
    assert ("entity", spans[2].start, spans[2].end, "MISC") not in session.corpus.decisions(session.doc_id, WHO)
    # rejecting the GPE suggestion stores the decision and hides it
    gpe = next(s for s in session.suggested_spans if s.label == "GPE")
    session.select("suggestion", gpe.id)
    session.reject_suggestion()
    decisions = session.corpus.decisions(session.doc_id, WHO)
    assert decisions[("entity", gpe.start, gpe.end, "GPE")] == "rejected"
    assert session.suggested_spans == []
    # accept the quote suggestion: all its parts at once
    q = session.suggested_quotes[0]
    session.select("suggestion", q.id)
    session.accept_suggestion()
    [stored_quote] = session.corpus.quotes(session.doc_id, WHO)
    assert stored_quote.key == quote.key and stored_quote.type == "mixed"
    assert stored_quote.origin == "accepted" and stored_quote.suggester == "test-suggester"
    # one undo removes the quote and its decision together
    session.undo()
    assert session.corpus.quotes(session.doc_id, WHO) == []
    assert ("quote", quote.start, quote.end, "") not in session.corpus.decisions(session.doc_id, WHO)
    assert any(isinstance(s, Quote) for s in session.pending_suggestions)


def test_reopening_hides_decided_suggestions_and_those_equal_to_spans(seeded):
    corpus, doc_id = seeded
    s = AnnotationSession(corpus, WHO)
    s.open_document(doc_id)
    spans, _ = store_suggestions(s)
    s.label_range(spans[1].start, spans[1].end, "GPE")  # labelling what was suggested accepts it
    [gpe] = corpus.spans(doc_id, WHO)
    assert gpe.origin == "accepted" and gpe.suggester == "test-suggester"
    again = AnnotationSession(corpus, WHO)
    again.open_document(doc_id)
    assert all(x.label != "GPE" for x in again.suggested_spans)
    # another annotator still sees every suggestion
    other = AnnotationSession(corpus, "basel")
    other.open_document(doc_id)
    assert len(other.pending_suggestions) == 3  # the MISC inside the PER name is never shown


def test_accept_all_is_one_step_and_skips_overlaps(session):
    got = messages(session)
    spans, quote = store_suggestions(session)
    session.label_range(*at(session, "موسكو"), "LOC")  # supersedes the GPE suggestion there
    assert all(s.label != "GPE" for s in session.suggested_spans)
    entities, quotes, skipped = session.accept_all()
    assert (entities, quotes) == (1, 1)
    # GPE is superseded by the LOC label; the MISC inside the PER name was never proposed
    assert skipped == []
    assert "Skipped" not in got[-1].text
    assert sorted(stored(session), key=lambda x: x[1]) == [("موسكو", "LOC"), ("فلاديمير بوتين", "PER")]
    assert len(session.corpus.quotes(session.doc_id, WHO)) == 1
    session.undo()
    assert stored(session) == [("موسكو", "LOC")]
    assert session.corpus.quotes(session.doc_id, WHO) == []
    session.redo()
    assert len(stored(session)) == 2 and len(session.corpus.quotes(session.doc_id, WHO)) == 1


def test_build_a_quote_with_cue_source_and_link(session):
    cue = at(session, "وأعلن بوتين")[0] + len("وأعلن ")
    putin = session.label_range(cue, cue + len("بوتين"), "PER")  # "وأعلن بوتين أن"
    content = at(session, '"بعض التقارب في المواقف"')
    quote = session.make_quote(*content)
    assert quote.type == "direct"
    session.set_cue(*at(session, "وأعلن"))
    session.add_source(putin.start, putin.end)
    session.add_content_part(*at(session, "هناك رغم كل شيء"))
    session.cycle_quote_type()
    [q] = session.corpus.quotes(session.doc_id, WHO)
    assert session.text[q.cue.start:q.cue.end] == "وأعلن"
    assert [session.text[r.start:r.end] for r in q.sources] == ["بوتين"]
    assert q.entity == Range(putin.start, putin.end)  # linked automatically to the entity under the source
    assert len(q.contents) == 2 and q.type == "indirect"
    session.set_quote_type("mixed")
    assert session.corpus.quotes(session.doc_id, WHO)[0].type == "mixed"


def test_link_source_to_another_entity(session):
    obama = session.label_range(*at(session, "باراك أوباما"), "PER")
    session.make_quote(*at(session, "على مواصلة البحث"))
    got = messages(session)
    session.link_source()
    assert "source" in got[-1].text  # no source yet
    session.link_source(obama.start + 1, obama.start + 2)
    assert session.corpus.quotes(session.doc_id, WHO)[0].entity == Range(obama.start, obama.end)


def test_quote_edits_need_a_selected_quote(session):
    got = messages(session)
    assert session.set_cue(*at(session, "وأعلن")) is None
    assert "quote" in got[-1].text.lower() and session.corpus.quotes(session.doc_id, WHO) == []


def test_undo_redo_survive_a_restart(seeded, corpus_path):
    corpus, doc_id = seeded
    s = AnnotationSession(corpus, WHO)
    s.open_document(doc_id)
    s.label_range(*at(s, "أوباما"), "PER")
    s.label_range(*at(s, "الصين"), "GPE")
    s.relabel("LOC")
    s.undo()  # relabel undone -> GPE
    assert ("الصين", "GPE") in stored(s)
    corpus.close()

    reopened = Corpus.open(corpus_path)
    s2 = AnnotationSession(reopened, WHO)
    s2.open_document(doc_id)
    assert s2.can_redo and s2.can_undo
    s2.redo()
    assert ("الصين", "LOC") in stored(s2)
    s2.undo()
    s2.undo()
    s2.undo()
    assert stored(s2) == []
    assert not s2.can_undo
    reopened.close()

    third = Corpus.open(corpus_path)
    s3 = AnnotationSession(third, WHO)
    s3.open_document(doc_id)
    assert not s3.can_undo and len(s3.history.redo_stack) == 3
    s3.redo()
    assert stored(s3) == [("أوباما", "PER")]
    s3.label_range(*at(s3, "سورية"), "GPE")  # a new edit clears what could be redone
    assert not s3.can_redo
    third.close()
    fourth = Corpus.open(corpus_path)
    assert not AnnotationSession(fourth, WHO).can_redo
    fourth.close()


def test_undo_delete_restores_the_same_span_id(session):
    span = session.label_range(*at(session, "أوباما"), "PER")
    session.delete_selected()
    session.undo()
    [back] = session.corpus.spans(session.doc_id, WHO)
    assert back == span


def test_mark_done_goes_to_the_next_undone_document_and_undo_comes_back(seeded):
    corpus, first = seeded
    second, third = corpus.add_documents(
        [DocumentRecord(text="Obama met Putin in Hangzhou."), DocumentRecord(text="Kerry spoke.")]
    ).new_ids
    s = AnnotationSession(corpus, WHO)
    s.open_document(first)
    assert s.mark_done_and_next() == second
    assert corpus.status(first, WHO)[0] == "done"
    assert s.progress() == (1, 3)
    assert s.skip("no entities worth marking") == third
    assert corpus.status(second, WHO) == ("skipped", "no entities worth marking")
    s.undo()  # un-skip: back on the second document
    assert s.doc_id == second and corpus.status(second, WHO)[0] == "new"
    s.mark_done_and_next()
    s.mark_done_and_next()
    assert s.progress() == (3, 3)
    assert s.last_message.text.startswith("Every article is done")


def test_english_document_uses_english_tokens(corpus):
    [doc] = corpus.add_documents([DocumentRecord(text="Barack Obama's aide said: \"We agreed.\"")]).new_ids
    s = AnnotationSession(corpus, WHO)
    s.open_document(doc)
    assert s.document.direction == "ltr" and s.document.language == "en"
    s.label_range(2, 9, "PER")  # "rack Ob" -> whole tokens
    assert stored(s) == [("Barack Obama", "PER")]


def test_astral_characters_keep_code_point_offsets(corpus):
    text = "😀 قال أوباما إن 😀 الأمر انتهى"
    [doc] = corpus.add_documents([DocumentRecord(text=text)]).new_ids
    s = AnnotationSession(corpus, WHO)
    s.open_document(doc)
    start = text.index("أوباما")
    s.label_range(start, start + 6, "PER")
    assert stored(s) == [("أوباما", "PER")]


def test_session_does_not_import_qt():
    assert "annotator.ui.session" in sys.modules
    import annotator.ui.history  # noqa: F401
    import annotator.ui.session as module

    source = open(module.__file__, encoding="utf-8").read() + open(annotator.ui.history.__file__).read()
    assert "PySide6" not in source and "QtCore" not in source


def test_the_session_state_after_many_edits_equals_a_fresh_load(session):
    spans, quote = store_suggestions(session)
    session.label_range(*at(session, "باراك أوباما"), "PER")
    session.relabel("ORG")
    session.grow_end()
    session.label_range(*at(session, "حلب"), "GPE")
    session.delete_selected()
    session.next_suggestion()
    session.accept_suggestion()
    session.reject_suggestion()
    q = session.make_quote(*at(session, "هناك رغم كل شيء"))
    session.set_cue(*at(session, "وقال", 0))
    session.add_source(*at(session, "باراك أوباما"))
    session.cycle_quote_type()
    session.accept_all()
    session.undo()
    session.undo()
    session.redo()
    fresh = AnnotationSession(session.corpus, WHO)
    fresh.open_document(session.doc_id)
    assert session.spans == fresh.spans
    assert session.quotes == fresh.quotes
    assert session.suggested_spans == fresh.suggested_spans
    assert session.suggested_quotes == fresh.suggested_quotes
    assert session.status == fresh.status
    assert q is not None


def test_a_storage_failure_is_reported_and_nothing_is_lost_silently(session, monkeypatch):
    from annotator.store import CorpusError

    got = messages(session)

    def full(*args, **kwargs):
        raise CorpusError("corpus.db: the disk is full; this change was not saved")

    monkeypatch.setattr(session.corpus, "add_span", full)
    assert session.label_range(*at(session, "أوباما"), "PER") is None
    assert got[-1].level == "error" and "not saved" in got[-1].text
    assert session.save_error and session.spans == []
    monkeypatch.undo()
    assert session.label_range(*at(session, "أوباما"), "PER") is not None
    assert session.save_error is None


def test_pressing_a_quote_role_again_on_the_same_words_takes_it_out(session):
    putin = session.label_range(*at(session, "باراك أوباما"), "PER")
    session.make_quote(*at(session, "على مواصلة البحث"))
    session.add_content_part(*at(session, "عن مسار"))
    session.set_cue(*at(session, "اتفق"))
    session.add_source(putin.start, putin.end)
    q = session.corpus.quotes(session.doc_id, WHO)[0]
    assert len(q.contents) == 2 and q.cue and q.sources and q.entity == Range(putin.start, putin.end)
    session.add_content_part(*at(session, "عن مسار"))
    session.set_cue(*at(session, "اتفق"))
    session.add_source(putin.start, putin.end)
    q = session.corpus.quotes(session.doc_id, WHO)[0]
    assert len(q.contents) == 1 and q.cue is None and q.sources == () and q.entity is None
    got = messages(session)
    session.add_content_part(*at(session, "على مواصلة البحث"))  # the last part stays
    assert len(session.corpus.quotes(session.doc_id, WHO)[0].contents) == 1 and "delete" in got[-1].text

"""Undo and redo never touch another annotator's work, nor a row that changed since (issue 10, item 1).

Two windows are two ``History`` objects on their own connections to one corpus file, exactly as
two annotation windows (or two processes) are.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.store import Corpus
from annotator.ui.history import History, HistoryConflictError
from annotator.ui.session import AnnotationSession, Message

TEXT = "Obama met Putin in Paris. Merkel said: we agree."


@pytest.fixture
def two_windows(corpus_path: Path):
    first = Corpus.open(corpus_path)
    [doc] = first.add_documents([DocumentRecord(text=TEXT, title="t")]).new_ids
    second = Corpus.open(corpus_path)
    yield first, second, doc
    first.close()
    second.close()


def label(history: History, doc: int, span: Span) -> Span:
    with history.step(doc):
        return history.corpus.add_span(doc, history.annotator, span)


def test_amira_undo_never_deletes_bilals_span_that_got_her_old_id(two_windows):
    """The issue's case: Amira labels (id 1), her second window deletes it, Bilal labels a span,
    Amira presses Ctrl+Z in the first window."""
    first, second, doc = two_windows
    amira_1, amira_2 = History(first, "amira"), History(second, "amira")
    bilal = History(second, "bilal")
    mine = label(amira_1, doc, Span(0, 5, "PER"))
    amira_2.rebuild()
    with amira_2.step(doc):
        second.delete_span(mine.id, "amira")
    his = label(bilal, doc, Span(0, 5, "PER"))
    assert his.id != mine.id  # ids are never reused (schema v4)

    with pytest.raises(HistoryConflictError) as refused:
        amira_1.undo()
    assert f"span {mine.id} no longer exists" in str(refused.value)
    assert "nothing undone" in str(refused.value)
    assert [(s.id, s.key) for s in first.spans(doc, "bilal")] == [(his.id, (0, 5, "PER"))]
    assert not [e for e in first.events(annotator="amira") if e["action"] == "span.delete" and
                e["data"]["span"]["id"] == his.id]
    assert not amira_1.can_undo  # the stale step left the list instead of blocking it


def test_undo_refuses_a_span_that_another_window_relabelled_and_says_what_changed(two_windows):
    first, second, doc = two_windows
    window_1 = History(first, "amira")
    label(window_1, doc, Span(19, 24, "GPE"))  # "Paris": an older step, still undoable
    span = label(window_1, doc, Span(0, 5, "PER"))
    window_2 = History(second, "amira")
    with window_2.step(doc):
        second.update_span(span.id, "amira", label="ORG")

    with pytest.raises(HistoryConflictError) as refused:
        window_1.undo()
    message = str(refused.value)
    assert f"span {span.id} is no longer the one you labelled (PER [0, 5) “Obama”; it is now ORG [0, 5) “Obama”)" \
        in message
    assert "nothing undone" in message
    assert [s.key for s in first.spans(doc, "amira")] == [(0, 5, "ORG"), (19, 24, "GPE")]

    step = window_1.undo()  # the older step is reachable
    assert step is not None and step.description == "label GPE"
    assert [s.key for s in first.spans(doc, "amira")] == [(0, 5, "ORG")]
    # a restart rebuilds the lists from the log: the dropped step does not come back (the
    # second window's relabel is amira's own edit and stays undoable)
    restarted = History(first, "amira")
    assert [s.description for s in restarted.undo_stack] == ["relabel PER → ORG"]
    assert [s.description for s in restarted.redo_stack] == ["label GPE"]


def test_redo_refuses_when_the_span_was_resized_since(two_windows):
    first, second, doc = two_windows
    window_1 = History(first, "amira")
    span = label(window_1, doc, Span(0, 5, "PER"))
    with window_1.step(doc):
        first.update_span(span.id, "amira", end=9)  # resize
    window_1.undo()  # back to [0, 5)
    with History(second, "amira").step(doc):
        second.update_span(span.id, "amira", start=1)
    with pytest.raises(HistoryConflictError, match="nothing redone"):
        window_1.redo()
    assert [s.key for s in first.spans(doc, "amira")] == [(1, 5, "PER")]


def test_undo_of_a_quote_edited_in_another_window_is_refused(two_windows):
    first, second, doc = two_windows
    window_1 = History(first, "amira")
    with window_1.step(doc):
        quote = first.add_quote(doc, "amira", Quote(contents=(Range(39, 47),), cue=Range(33, 37)))
    with History(second, "amira").step(doc):
        second.update_quote(quote.id, "amira", quote.with_(type="indirect"))
    with pytest.raises(HistoryConflictError, match=f"quote {quote.id} is no longer the one you marked"):
        window_1.undo()
    [still] = first.quotes(doc, "amira")
    assert still.type == "indirect"


def test_undo_of_a_status_changed_in_another_window_is_refused(two_windows):
    first, second, doc = two_windows
    window_1 = History(first, "amira")
    with window_1.step(doc):
        first.set_status(doc, "amira", "done")
    with History(second, "amira").step(doc):
        second.set_status(doc, "amira", "skipped", "duplicate article")
    with pytest.raises(HistoryConflictError, match="no longer marked done"):
        window_1.undo()
    assert first.status(doc, "amira") == ("skipped", "duplicate article")


def test_undo_and_redo_still_work_when_nothing_changed(two_windows):
    first, _, doc = two_windows
    history = History(first, "amira")
    span = label(history, doc, Span(0, 5, "PER"))
    with history.step(doc):
        first.update_span(span.id, "amira", label="ORG")
    history.undo()
    history.undo()
    assert first.spans(doc, "amira") == []
    history.redo()
    history.redo()
    assert [(s.id, s.key) for s in first.spans(doc, "amira")] == [(span.id, (0, 5, "ORG"))]


def test_the_window_shows_a_refused_undo_as_a_warning_and_reloads_the_article(two_windows):
    first, second, doc = two_windows
    session = AnnotationSession(first, "amira")
    session.open_document(doc)
    got: list[Message] = []
    session.subscribe(lambda kind, payload: got.append(payload) if kind == "message" else None)
    span = session.label_range(0, 5, "PER", precise=True)
    assert span is not None
    second.delete_span(span.id, "amira")  # the second window
    assert session.undo() is None
    assert got[-1].level == "warning"
    assert f"span {span.id} no longer exists" in got[-1].text and "nothing undone" in got[-1].text
    assert session.spans == []  # the view shows what the article holds now

"""Training in the window: Model → Train…, keys while the job runs, cancel, close, the schedule,
least confident first. The job is a real separate process on a tiny corpus and a tiny network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMenu

from annotator.core.spans import Span
from annotator.store import Corpus
from annotator.ui.main_window import MainWindow
from tests.train.loop_helpers import NO_SHIPPED_MODELS, TINY, dump, loop_corpus

pytestmark = pytest.mark.slow
WHO = "amira"
JOB_MS = 180_000


@pytest.fixture
def window(qtbot, tmp_path: Path):
    path = tmp_path / "corpus.db"
    finished, unfinished = loop_corpus(path)
    window = MainWindow(path, WHO, run_suggesters=False)
    window.training.store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window.training.request_overrides = {"max_steps": 40, "eval_frequency": 10, "settings": TINY,
                                         "shipped_models": str(NO_SHIPPED_MODELS)}
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.view.setFocus()
    window.finished_ids, window.unfinished_ids = finished, unfinished
    # The window indexes new articles for search in the background: let it finish, so a snapshot of
    # the corpus taken by a test is not changed by that bookkeeping afterwards.
    qtbot.waitUntil(lambda: not window._indexing, timeout=JOB_MS)
    return window


def test_train_dialog_runs_the_job_while_keys_keep_working_and_the_new_suggestions_appear(qtbot, window):
    session, training = window.session, window.training
    assert session.doc_id == window.unfinished_ids[0]
    assert window.findChild(QMenu, "modelMenu").title() == "&Model"
    training.open_dialog()
    dialog = training.dialog
    dialog.steps.setValue(40)
    with qtbot.waitSignal(training.runner.progressed, timeout=JOB_MS):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert training.runner.running and not dialog.start_button.isEnabled()

    # Closing the dialog leaves the job running; the window takes keys at once meanwhile.
    dialog.close()
    assert training.runner.running
    with qtbot.waitActive(window):
        window.activateWindow()
    window.view.setFocus()
    text = session.text
    start = text.index(" في ") + 4
    end = text.index(" إن ")
    window.view.select_text(start, end)
    qtbot.keyClick(window.view, Qt.Key.Key_3)
    assert training.runner.running
    with Corpus(window.corpus_path, readonly=True) as corpus:
        assert (start, end, "GPE") in {(s.start, s.end, s.label) for s in corpus.spans(session.doc_id, WHO)}

    with qtbot.waitSignal(training.runner.finished, timeout=JOB_MS) as done:
        pass
    outcome = done.args[0]
    assert outcome["registered"] and outcome["name"] == "loop-ar"
    assert "dev F" in window.training.label.text()
    assert dialog.scores.rowCount() == 1 and dialog.scores.item(0, 0).text() == "new"
    assert "registered" in dialog.decision.text()
    with Corpus(window.corpus_path, readonly=True) as corpus:
        assert [m["name"] for m in corpus.registered_models()] == ["loop-ar"]
        # the label made while training is intact
        assert (start, end, "GPE") in {(s.start, s.end, s.label) for s in corpus.spans(session.doc_id, WHO)}
    # the open article shows the new model's suggestions (beam-scored)
    assert any(s.suggester == "model:loop-ar" and s.score is not None for s in session.suggested_spans)


def annotations(path: Path) -> list[str]:
    """The corpus as SQL, less the window's own bookkeeping (who has which article open, where it was left)."""
    return [line for line in dump(path) if not line.startswith("document_locks:") and "'ui." not in line]


def test_cancel_and_close_end_the_job_without_changing_the_corpus(qtbot, window):
    training = window.training
    before = annotations(window.corpus_path)
    training.request_overrides["max_steps"] = 5000
    assert training.train_now()
    qtbot.waitUntil(lambda: "training " in training.label.text() and "/" in training.label.text(), timeout=JOB_MS)
    with qtbot.waitSignal(training.runner.cancelled, timeout=JOB_MS):
        window.findChild(type(training.cancel_action), "action_train_cancel").trigger()
    assert training.label.text() == "training cancelled" and not training.runner.running
    assert training.train_action.isEnabled()
    assert annotations(window.corpus_path) == before

    assert training.train_now()
    qtbot.waitUntil(lambda: "training " in training.label.text() and "/" in training.label.text(), timeout=JOB_MS)
    process = training.runner.process
    pid = process.processId()
    window.close()
    assert not training.runner.running and pid > 0
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert annotations(window.corpus_path) == before


def test_finishing_every_n_articles_starts_a_job(qtbot, window):
    training = window.training
    training.allow_automatic = True
    training.automatic = True
    training.every = 2
    with Corpus(window.corpus_path) as corpus:  # the last attempt was at 12 finished articles
        corpus.set_setting("training_loop", '{"loop-ar": {"amira": {"annotator": "amira", "done_at_training": 12}}}')
    window.session.mark_done_and_next()
    assert not training.runner.running  # one newly finished article: not yet
    window.session.mark_done_and_next()
    assert training.runner.running  # two: a job started by itself
    window.close()
    assert not training.runner.running


def test_least_confident_first_orders_the_article_list_by_the_models_lowest_scores(qtbot, window):
    a, b, c, d = window.unfinished_ids
    with Corpus(window.corpus_path) as corpus:
        for doc_id, scores in ((a, [0.9, 0.95]), (b, [0.2, 0.99, 0.98, 0.97]), (c, [0.6])):
            spans = [Span(5 * i, 5 * i + 2, "PER", suggester="model:loop-ar", score=s) for i, s in enumerate(scores)]
            corpus.store_suggestions(doc_id, "model:loop-ar", "v", spans, [])
        corpus.store_suggestions(d, "learned", "v", [Span(0, 2, "PER", suggester="learned", score=0.01)], [])
    window.findChild(type(window.training.order_action), "action_least_confident").trigger()
    listing = window.document_list
    qtbot.waitUntil(lambda: listing.model.filters.sort == "confidence", timeout=5000)
    order = [listing.model.doc_id(row) for row in range(listing.model.rowCount())]
    # b: mean of its 3 lowest = 0.72; c: 0.6; a: 0.925; d has no model score; finished articles have none
    assert order[:3] == [c, b, a]
    assert order.index(d) > order.index(a)

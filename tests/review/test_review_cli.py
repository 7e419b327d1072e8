"""`annotator review` without a display: status, accepting fully agreeing articles, errors."""

from __future__ import annotations

from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord, Span

from .builders import A, B


def run(*args: str):
    return CliRunner().invoke(main, ["review", *args])


def test_status_and_accept_agreeing(review_corpus, corpus_path):
    corpus, doc_id, _ = review_corpus
    [same] = corpus.add_documents([DocumentRecord(text="Obama met Merkel in Berlin.")]).new_ids
    for name in (A, B):
        corpus.add_span(same, name, Span(0, 5, "PER"))
    result = run(A, B, "--db", str(corpus_path), "--reviewer", "lead", "--status")
    assert result.exit_code == 0, result.output
    assert "2 article(s) to review; 2 not finished; 9 disagreement(s) left." in result.output
    result = run(A, B, "--db", str(corpus_path), "--reviewer", "lead", "--accept-agreeing")
    assert result.exit_code == 0, result.output
    assert "Accepted 1 article(s)" in result.output and "1 not finished" in result.output
    assert [(s.start, s.end, s.label) for s in corpus.spans(same, "lead")] == [(0, 5, "PER")]
    assert corpus.status(same, "lead")[0] == "done"
    assert corpus.spans(doc_id, "lead") == []


def test_clear_errors(review_corpus, corpus_path):
    result = run(A, B, "--db", str(corpus_path), "--reviewer", A, "--status")
    assert result.exit_code != 0 and "must not be one of the annotators" in result.output
    result = run(A, "nobody", "--db", str(corpus_path), "--status")
    assert result.exit_code != 0 and "no annotator named 'nobody'" in result.output
    result = run(A, B, "--db", str(corpus_path) + ".missing")
    assert result.exit_code != 0 and "no such corpus file" in result.output


def test_review_opens_the_window(qtbot, review_corpus, corpus_path, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from annotator.ui.review_window import ReviewWindow

    shown = []

    def fake_exec(*_args):
        shown.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, ReviewWindow) and w.isVisible())
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    result = run(A, B, "--db", str(corpus_path), "--reviewer", "lead")
    assert result.exit_code == 0, result.output
    [window] = shown
    assert (window.a, window.b, window.reviewer) == (A, B, "lead")
    assert "9 in this article" in window.progress.text()
    window.close()

"""Two processes, or two windows, on one corpus: both work, nothing is lost or corrupted.

Workers (``crash_harness.py``) write at the same time through the store API (WAL and a
busy timeout make them take turns per transaction). Every edit each one reported is in the
database afterwards, and nothing else.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.spans import DocumentRecord
from annotator.store import Corpus
from annotator.ui.session import AnnotationSession

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import crash_harness  # noqa: E402

EDITS = 300


def run_workers(db: Path, docs: list[int], workers: list[tuple[str, int]], edits: int, shared: bool) -> list[str]:
    """Start all workers at once and wait for them; their stdout."""
    command = [sys.executable, str(HERE / "crash_harness.py"), str(db), "--edits", str(edits),
               "--docs", ",".join(map(str, docs))] + (["--shared"] if shared else [])
    procs = [
        subprocess.Popen(command + ["--annotator", name, "--seed", str(seed)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, encoding="utf-8")
        for name, seed in workers
    ]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs.append(out)
    return outputs


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path):
    db = tmp_path / "corpus.db"
    docs = crash_harness.seed_corpus(db)
    outputs = run_workers(db, docs, [("amira", 1), ("badr", 2)], EDITS, shared=False)
    for name, out in zip(["amira", "badr"], outputs, strict=True):
        summary = crash_harness.verify(db, name, docs, out)
        assert summary.finished and summary.in_flight is None
        assert summary.reported == EDITS and summary.failed == 0, summary.errors


@pytest.mark.slow
def test_two_processes_editing_the_same_annotation_set(tmp_path: Path):
    """Same annotator, same articles, both new to the corpus: edits interleave; the store refuses only
    what breaks its rules (overlapping entities) with its own error, and keeps everything it accepted."""
    db = tmp_path / "corpus.db"
    docs = crash_harness.seed_corpus(db, documents=2)
    outputs = run_workers(db, docs, [("amira", 3), ("amira", 4)], 200, shared=True)
    summaries = crash_harness.verify_together(db, "amira", docs, outputs)
    for summary in summaries:
        assert set(summary.errors) <= {"OverlapError"}, summary.errors
        assert summary.reported + summary.failed == 200
    with Corpus(db) as corpus:
        assert [a["name"] for a in corpus.annotators()] == ["amira"]


def test_two_windows_with_the_same_annotator_on_the_same_article(corpus: Corpus):
    """Window B deletes a span; window A, still showing it, relabels it: A is told, nothing is stored."""
    text = "Barack Obama met Vladimir Putin in Moscow."
    [doc] = corpus.add_documents([DocumentRecord(text=text)]).new_ids
    other = Corpus(corpus.path)
    try:
        window_a = AnnotationSession(corpus, "amira")
        window_b = AnnotationSession(other, "amira")
        window_a.open_document(doc)
        span = window_a.label_range(0, 12, "PER")
        assert span is not None
        window_b.open_document(doc)
        window_b.select("span", span.id)
        assert window_b.delete_selected()
        window_a.select("span", span.id)  # A still shows the span B deleted
        assert window_a.relabel("ORG") is None
        assert window_a.last_message is not None and window_a.last_message.level == "warning"
        assert "no longer exists" in window_a.last_message.text
        assert corpus.spans(doc, "amira") == [] and other.spans(doc, "amira") == []
        assert window_a.label_range(17, 31, "PER") is not None  # and A goes on working
        assert [s.key for s in other.spans(doc, "amira")] == [(17, 31, "PER")]
    finally:
        other.close()


class _OtherProcessFirst:
    """A connection that lets another connection run ``before_write`` just before its first write."""

    def __init__(self, conn, before_write) -> None:
        self._conn, self._before_write = conn, before_write

    def __getattr__(self, name: str):
        return getattr(self._conn, name)

    def execute(self, sql: str, *args):
        if sql == "BEGIN IMMEDIATE" and self._before_write is not None:
            self._before_write, run = None, self._before_write
            run()
        return self._conn.execute(sql, *args)


def test_the_same_new_annotator_created_by_two_processes_at_once(corpus_path: Path):
    """Both look the name up, find nothing, and insert it: the second insert must not fail."""
    first, second = Corpus(corpus_path), Corpus(corpus_path)
    try:
        first.conn = _OtherProcessFirst(first.conn, lambda: second.annotator_id("amira"))  # type: ignore[assignment]
        assert first.annotator_id("amira") == second.annotator_id("amira")
        assert [a["name"] for a in second.annotators()] == ["amira"]
    finally:
        first.close()
        second.close()

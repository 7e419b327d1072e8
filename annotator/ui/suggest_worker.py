"""Suggesters in the background: a QRunnable with its own Corpus connection.

The window asks for the current document first, then for the next ones. The job
calls :func:`annotator.suggest.runner.run_suggesters` (imported lazily: if the
suggesters are not installed the job reports why and the window says so in the
status bar) and reports progress, completion and failure through signals, which Qt
delivers on the GUI thread. Nothing here touches a widget.
"""

from __future__ import annotations

import inspect
import os
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from annotator.store import Corpus


class SuggestionSignals(QObject):
    progress = Signal(int, int)  # done, total (documents)
    finished = Signal(list)  # document ids that were processed
    failed = Signal(str)


def load_runner() -> Callable | None:
    """The suggesters' batch runner, or None when it is not available."""
    try:
        from annotator.suggest.runner import run_suggesters
    except ImportError:
        return None
    return run_suggesters


def call_runner(runner: Callable, corpus: Corpus, doc_ids: list[int], progress: Callable[[int, int], None],
                should_stop: Callable[[], bool] | None = None) -> None:
    """Call the runner with whatever of (corpus, doc ids, progress, should_stop) its signature takes."""
    params = inspect.signature(runner).parameters
    kwargs: dict = {}
    for name in ("doc_ids", "documents", "docs", "document_ids", "ids"):
        if name in params:
            kwargs[name] = doc_ids
            break
    for name in ("progress", "on_progress", "progress_callback", "callback"):
        if name in params:
            kwargs[name] = progress
            break
    if should_stop is not None and "should_stop" in params:
        kwargs["should_stop"] = should_stop
    first = next(iter(params))
    if first in kwargs:
        raise TypeError("run_suggesters takes the corpus first")
    runner(corpus, **kwargs)


class SuggestionJob(QRunnable):
    """Run the suggesters over ``doc_ids`` with a connection of this thread's own."""

    def __init__(self, corpus_path: str | os.PathLike, doc_ids: list[int]) -> None:
        super().__init__()
        self.corpus_path = str(corpus_path)
        self.doc_ids = list(doc_ids)
        self.signals = SuggestionSignals()
        self.cancelled = False  # set by the window when it closes: the run stops after its batch

    def run(self) -> None:  # runs on a pool thread
        runner = load_runner()
        if runner is None:
            self.signals.failed.emit("suggesters are not installed (annotator.suggest.runner missing)")
            return
        try:
            with Corpus.open(self.corpus_path, create=False) as corpus:
                total = len(self.doc_ids)
                self.signals.progress.emit(0, total)
                call_runner(runner, corpus, self.doc_ids, lambda done, of=total: self.signals.progress.emit(done, of),
                            lambda: self.cancelled)
        except Exception as exc:  # report, never crash the window
            traceback.print_exc()
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.signals.finished.emit(self.doc_ids)


def suggestion_pool() -> QThreadPool:
    """One worker thread: suggestion jobs run one after another, never in parallel with each other."""
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    return pool

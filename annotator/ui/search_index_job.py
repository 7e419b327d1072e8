"""Bring the full-text search index up to date in the background after an import.

Imports store documents only; :meth:`Corpus.update_search_index` indexes what is
new. The window runs it once on a pool thread with its own connection, so the
first search after a large import is instant instead of paying for the indexing.
(A search that comes first still finds everything: it catches up the index itself.)
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, QRunnable, Signal

from annotator.store import Corpus, CorpusError


class SearchIndexSignals(QObject):
    progress = Signal(int, int)  # documents indexed, documents pending
    finished = Signal(int)  # documents indexed
    failed = Signal(str)


class SearchIndexJob(QRunnable):
    def __init__(self, corpus_path: str | os.PathLike) -> None:
        super().__init__()
        self.corpus_path = str(corpus_path)
        self.signals = SearchIndexSignals()

    def run(self) -> None:  # runs on a pool thread
        try:
            with Corpus.open(self.corpus_path, create=False) as corpus:
                done = corpus.update_search_index(progress=self.signals.progress.emit)
        except (CorpusError, OSError) as exc:
            self.signals.failed.emit(str(exc))
            return
        self.signals.finished.emit(done)

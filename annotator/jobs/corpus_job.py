"""The part every corpus-reading job shares: its own read-only connection in each worker.

A job is pickled to spawned workers (and inherited by forked ones) before :meth:`CorpusJob.start`;
the connection never crosses a process boundary. With ``jobs=1`` the job runs in the caller's
process on the caller's own connection (``corpus=``), so nothing is opened twice.
"""

from __future__ import annotations

import os

from annotator.store import Corpus


class CorpusJob:
    """Base class: ``self._corpus`` is the caller's connection or, after :meth:`start` in a
    worker, a read-only one of its own. Subclasses that hold other per-process state drop it in
    ``__getstate__`` (``{**super().__getstate__(), "_cache": None}``) and rebuild it in ``start``."""

    def __init__(self, db_path: str | os.PathLike, corpus: Corpus | None = None) -> None:
        self.db_path = str(db_path)
        self._corpus = corpus

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_corpus": None}

    def start(self) -> None:
        if self._corpus is None:
            self._corpus = Corpus(self.db_path, readonly=True)

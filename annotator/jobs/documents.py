"""The simplest job: one picklable function of (corpus, document id), mapped over documents.

For code whose per-document work is already a function (the agreement's token labels, an
evaluation's counts): ``map_documents(corpus, function, ids, jobs)`` yields ``function(corpus,
doc_id)`` for each id, in order, computed by ``jobs`` worker processes that each hold their own
read-only connection (or here, on ``corpus`` itself, with ``jobs=1``). The function must be
defined at module level (workers import it by name) and must not write.

    from annotator.jobs.documents import map_documents
    lengths = dict(zip(ids, map_documents(corpus, text_length, ids, jobs=2)))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from annotator.jobs.corpus_job import CorpusJob
from annotator.jobs.pool import map_chunks
from annotator.jobs.shards import chunked
from annotator.store import Corpus

R = TypeVar("R")

DocumentFunction = Callable[[Corpus, int], Any]


class DocumentFunctionJob(CorpusJob):
    """``run(chunk of ids)`` -> ``[function(corpus, doc_id) for doc_id in chunk]``."""

    def __init__(self, db_path: str, function: DocumentFunction, corpus: Corpus | None = None) -> None:
        super().__init__(db_path, corpus)
        self.function = function

    def run(self, chunk: list[int]) -> list[Any]:
        return [self.function(self._corpus, doc_id) for doc_id in chunk]


def map_documents(corpus: Corpus, function: Callable[[Corpus, int], R], doc_ids: Iterable[int], jobs: int = 1,
                  chunk_size: int = 64) -> Iterator[R]:
    """``function(corpus, doc_id)`` for every id, in order, on ``jobs`` processes."""
    job = DocumentFunctionJob(str(corpus.path), function, corpus if jobs <= 1 else None)
    for results in map_chunks(job, chunked(doc_ids, chunk_size), jobs):
        yield from results

"""Write a text export (JSONL, CoNLL) document by document, all or nothing.

The file is written beside its target as ``NAME.part`` and renamed into place only when every
document went out (:func:`annotator.formats.atomic.atomic_file`), so an interrupted or failed
export never leaves a half file under the real name; with ``strict``, a misaligned span means
nothing is written at all. A target that exists needs ``overwrite``.

:func:`export_text` streams a selection from the corpus: :class:`TextChunkJob` renders chunks of
documents (in ``jobs`` worker processes, each with its own read-only connection, or here), and
this process writes them in document order, so the file is the same bytes whatever ``jobs`` is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.formats.alignment import MisalignedSpan
from annotator.formats.atomic import atomic_file
from annotator.formats.selection import (
    ExportDocument,
    Selection,
    export_document,
    nothing_selected_message,
    plan_documents,
    resolve_annotator,
)
from annotator.formats.spacy_writer import ExportError
from annotator.jobs.corpus_job import CorpusJob
from annotator.jobs.pool import Engine, map_chunks
from annotator.jobs.shards import Shard, chunked
from annotator.store import Corpus

Render = Callable[[ExportDocument], tuple[str, list[MisalignedSpan]]]
CHUNK_SIZE = 64


def write_text_export(
    documents: Iterable[ExportDocument], path: str | Path, render: Render, *, strict: bool = False,
    overwrite: bool = True,
) -> tuple[int, list[MisalignedSpan]]:
    """Write ``render(document)`` for every document; returns (documents written, misaligned spans)."""
    misaligned: list[MisalignedSpan] = []
    count = 0
    with atomic_file(path, overwrite=overwrite) as out:
        for document in documents:
            text, report = render(document)
            misaligned.extend(report)
            out.write(text)
            count += 1
        if strict and misaligned:
            raise ExportError(
                f"{len(misaligned)} spans do not align with tokens; nothing was written (--strict)", misaligned
            )
    return count, misaligned


@dataclass
class RenderedChunk:
    texts: list[str] = field(default_factory=list)
    misaligned: list[MisalignedSpan] = field(default_factory=list)


class TextChunkJob(CorpusJob):
    """Render a chunk of ``[(document id, status)]`` with ``render`` (a picklable function)."""

    def __init__(self, db_path: str, annotator: str, label_map: dict[str, str | None], render: Render,
                 corpus: Corpus | None = None) -> None:
        super().__init__(db_path, corpus)
        self.annotator = annotator
        self.label_map = dict(label_map)
        self.render = render

    def run(self, chunk: list[tuple[int, str]]) -> RenderedChunk:
        assert self._corpus is not None, "start() first"
        out = RenderedChunk()
        for doc_id, status in chunk:
            text, report = self.render(export_document(self._corpus, doc_id, status, self.annotator, self.label_map))
            out.texts.append(text)
            out.misaligned.extend(report)
        return out


@dataclass
class TextExportSummary:
    annotator: str
    documents: int
    misaligned: list[MisalignedSpan]


def export_text(
    corpus: Corpus,
    path: str | Path,
    selection: Selection,
    render: Render,
    *,
    strict: bool = False,
    jobs: int = 1,
    shard: Shard | None = None,
    overwrite: bool = False,
    progress: Callable[[int, int], None] | None = None,
    engine: Engine | None = None,
) -> TextExportSummary:
    """Stream the selection through ``render`` into ``path`` (see the module docstring)."""
    name = resolve_annotator(corpus, selection.annotator)
    planned = plan_documents(corpus, selection, name)
    if not planned:
        raise ExportError(nothing_selected_message(corpus, name, selection.statuses))
    if shard is not None:
        planned = [d for d in planned if shard.holds(d.content_hash)]
    job = TextChunkJob(str(corpus.path), name, selection.label_map, render, corpus if jobs <= 1 else None)
    chunks = chunked([(d.id, d.status) for d in planned], CHUNK_SIZE)
    results = engine.map_chunks(job, chunks) if engine is not None else map_chunks(job, chunks, jobs)
    misaligned: list[MisalignedSpan] = []
    done = 0
    with atomic_file(path, overwrite=overwrite) as out:
        for result in results:
            out.write("".join(result.texts))
            misaligned.extend(result.misaligned)
            done += len(result.texts)
            if progress:
                progress(done, len(planned))
        if strict and misaligned:
            raise ExportError(
                f"{len(misaligned)} spans do not align with tokens; nothing was written (--strict)", misaligned
            )
    return TextExportSummary(name, done, misaligned)

"""Bring a colleague's corpus database into this one.

Documents are matched by content hash: texts this corpus lacks are added, texts it
already has are recognised. Every annotation set of the other corpus (spans, quotes,
per-document status) is added under the same annotator name, keeping each span's
origin (manual, accepted, edited, imported). A set this corpus already holds for a
document is left as it is, so merging the same file again changes nothing. Cached
suggestions come too (a shard's ``annotator suggest --shard K/N --into FILE``): a
suggester's results for a document replace ours unless ours are of the same version.

The other file is opened read-only: merging never writes to a colleague's file. Everything
read from it is validated before anything is merged (:mod:`annotator.store.other_corpus`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.labels import Label, LabelSchema
from annotator.core.spans import DocumentRecord
from annotator.core.text import content_hash
from annotator.store.corpus import Corpus
from annotator.store.errors import CorpusError, UnknownLabelError
from annotator.store.other_corpus import OtherCorpus, OtherDocument


@dataclass
class MergeResult:
    documents_new: int = 0
    documents_duplicate: int = 0
    spans: int = 0
    quotes: int = 0
    statuses: int = 0
    suggestions: int = 0  # (document, suggester) results copied
    annotators: list[str] = field(default_factory=list)


def merge_corpus(
    target: Corpus,
    other_path: str | os.PathLike,
    *,
    allow_new_labels: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> MergeResult:
    """Merge the corpus at ``other_path`` into ``target`` in one transaction (all or nothing).

    Everything read from the other file is validated first, like an imported file
    (:mod:`annotator.store.other_corpus`): a bad value raises
    :class:`~annotator.store.other_corpus.OtherCorpusError` naming table, row and column, and
    nothing is merged. Labels the other corpus uses that ``target`` lacks raise
    :class:`UnknownLabelError` unless ``allow_new_labels`` is set (then they are added with the
    other corpus's colour and key). ``progress(done, total)`` is called after each document.
    """
    other_path = Path(other_path)
    if str(target.path) != ":memory:" and other_path.resolve() == target.path.resolve():
        raise CorpusError(f"{other_path}: cannot merge a corpus into itself")
    with OtherCorpus.open(other_path) as other:
        other.validate()
        return _merge(target, other, str(other_path), allow_new_labels, progress)


def _merge(
    target: Corpus,
    other: OtherCorpus,
    where: str,
    allow_new_labels: bool,
    progress: Callable[[int, int], None] | None,
) -> MergeResult:
    result = MergeResult()
    annotators = list(other.annotators.values())
    result.annotators = [a.name for a in annotators]
    total = other.count_documents()
    with target.transaction():
        missing = sorted(other.used_labels - set(target.labels.entity_names))
        if missing and not allow_new_labels:
            raise UnknownLabelError(
                f"{where}: labels {', '.join(missing)} are not in this corpus "
                f"({', '.join(target.labels.entity_names)}); merge with --allow-new-labels to add them"
            )
        if missing:
            theirs = {row.name: row for row in other.labels if row.kind == "entity"}
            added = tuple(
                Label(name, theirs[name].color, theirs[name].key, theirs[name].description)
                for name in missing
                if name in theirs
            )
            schema = target.labels
            target.set_labels(LabelSchema(entities=schema.entities + added, quote_roles=schema.quote_roles))
            for name in missing:
                if name not in theirs:
                    target.add_label(name)
        for annotator in annotators:
            target.annotator_id(annotator.name, kind=annotator.kind)
        for done, doc in enumerate(other.documents(), start=1):
            row = doc.row
            base = dict(
                text=row.text,
                title=row.title,
                source=row.source,
                language=row.language,
                direction=row.direction,
                meta=doc.meta,
                location=f"{where}: document {row.id}",
            )
            records = [DocumentRecord(**base)]
            for name in sorted(set(doc.spans) | set(doc.quotes)):
                records.append(DocumentRecord(**base, spans=doc.spans.get(name, []), quotes=doc.quotes.get(name, []),
                                              annotator=name))
            added = target.add_documents(records, imported_from=where)
            if added.new_ids:
                result.documents_new += 1
            else:
                result.documents_duplicate += 1
            result.spans += added.spans
            result.quotes += added.quotes
            local = target.document_by_hash(content_hash(row.text))
            assert local is not None  # just added or already there
            for name, (status, note) in doc.statuses.items():
                if status != "new" and target.status(local.id, name) == ("new", None):
                    target.set_status(local.id, name, status, note)
                    result.statuses += 1
            result.suggestions += _merge_suggestions(target, doc, local.id)
            if progress:
                progress(done, total)
    return result


def _merge_suggestions(target: Corpus, doc: OtherDocument, local_id: int) -> int:
    """Copy the other corpus's cached suggestions of a document where this corpus has none from
    the same suggester version (a shard's results, ``annotator suggest --shard K/N --into``).
    Returns how many (document, suggester) results were copied."""
    copied = 0
    conn = target.conn
    for suggester, (run, rows) in sorted(doc.suggestions.items()):
        if target.suggestion_version(local_id, suggester) == run.version:
            continue
        conn.execute("DELETE FROM suggestions WHERE document_id = ? AND suggester = ?", (local_id, suggester))
        conn.executemany(
            'INSERT INTO suggestions(document_id, suggester, kind, start, "end", label, score, data) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(local_id, suggester, r.kind, r.start, r.end, r.label, r.score, r.data) for r in rows],
        )
        conn.execute(
            "INSERT INTO suggestion_runs(document_id, suggester, version, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(document_id, suggester) DO UPDATE SET version = excluded.version, "
            "created_at = excluded.created_at",
            (local_id, suggester, run.version, run.created_at),
        )
        copied += 1
    return copied

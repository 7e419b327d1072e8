"""Annotation sets: one annotator's entities and status on one document, read as a whole.

The learned suggester (:mod:`annotator.suggest.learned`) learns its names from every entity and
weighs each name by what annotators did where they met it, so it reads each set with its text,
its entities (with their origin) and its status. ``annotator evaluate`` scores the articles a gold
annotator has a set for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from annotator.store.corpus import Corpus


@dataclass(frozen=True)
class AnnotationSet:
    """One annotator's entities on one document."""

    document_id: int
    annotator: str
    status: str  # new, in_progress, done, skipped
    text: str
    spans: tuple[tuple[int, int, str, str], ...]  # (start, end, label, origin), by position
    rejected: tuple[tuple[int, int, str], ...] = ()  # entity suggestions the annotator rejected


def annotation_sets(corpus: Corpus, language: str | None = None) -> Iterator[AnnotationSet]:
    """Every set holding an entity, a rejected entity suggestion or marked done, by document then
    annotator (of ``language`` only, when given). Sets are read one document at a time, so memory
    stays flat on a large corpus."""
    conn = corpus.conn
    where, params = "", []
    if language is not None:
        where, params = "WHERE d.language = ?", [language]
    keys = conn.execute(
        "SELECT k.document_id, k.annotator_id, a.name, COALESCE(st.status, 'new') AS status FROM ("
        "  SELECT DISTINCT document_id, annotator_id FROM spans"
        "  UNION SELECT document_id, annotator_id FROM statuses WHERE status = 'done'"
        "  UNION SELECT document_id, annotator_id FROM suggestion_decisions"
        "        WHERE kind = 'entity' AND decision = 'rejected'"
        ") k JOIN documents d ON d.id = k.document_id JOIN annotators a ON a.id = k.annotator_id "
        "LEFT JOIN statuses st ON st.document_id = k.document_id AND st.annotator_id = k.annotator_id "
        f"{where} ORDER BY k.document_id, a.name",
        params,
    ).fetchall()
    text_of: tuple[int, str] | None = None
    for row in keys:
        doc_id = row["document_id"]
        if text_of is None or text_of[0] != doc_id:
            text_of = (doc_id, conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0])
        spans = conn.execute(
            'SELECT start, "end", label, origin FROM spans WHERE document_id = ? AND annotator_id = ? '
            'ORDER BY start, "end"',
            (doc_id, row["annotator_id"]),
        ).fetchall()
        rejected = conn.execute(
            'SELECT start, "end", label FROM suggestion_decisions WHERE document_id = ? AND annotator_id = ? '
            "AND kind = 'entity' AND decision = 'rejected' ORDER BY start, \"end\", label",
            (doc_id, row["annotator_id"]),
        ).fetchall()
        yield AnnotationSet(doc_id, row["name"], row["status"], text_of[1], tuple(tuple(s) for s in spans),
                            tuple(tuple(r) for r in rejected))


def documents_with_a_set(corpus: Corpus, annotator: str, include_skipped: bool = False) -> list[int]:
    """Documents where ``annotator`` has an entity or a quote, or a status other than new, by id;
    documents they skipped only with ``include_skipped``."""
    aid = corpus.annotator_id(annotator, create=False)
    if aid is None:
        return []
    conn = corpus.conn
    ids = {r[0] for r in conn.execute(
        "SELECT document_id FROM spans WHERE annotator_id = :a "
        "UNION SELECT document_id FROM quotes WHERE annotator_id = :a "
        "UNION SELECT document_id FROM statuses WHERE annotator_id = :a AND status != 'new'", {"a": aid})}
    if not include_skipped:
        ids -= {r[0] for r in conn.execute(
            "SELECT document_id FROM statuses WHERE annotator_id = ? AND status = 'skipped'", (aid,))}
    return sorted(ids)

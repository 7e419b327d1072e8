"""Counts that describe a corpus (``annotator stats``): documents, statuses, annotators, labels, quotes."""

from __future__ import annotations

from annotator.store.corpus import STATUSES, Corpus


def corpus_stats(corpus: Corpus) -> dict:
    """A JSON-ready summary of the corpus."""
    conn = corpus.conn
    documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    by_language = {
        r[0]: r[1] for r in conn.execute("SELECT language, COUNT(*) FROM documents GROUP BY language ORDER BY 2 DESC")
    }
    by_direction = {
        r[0]: r[1] for r in conn.execute("SELECT direction, COUNT(*) FROM documents GROUP BY direction ORDER BY 1")
    }
    annotators = [dict(r) for r in conn.execute("SELECT id, name, kind FROM annotators ORDER BY id")]
    statuses: dict[str, dict[str, int]] = {}
    for a in annotators:
        counts = {s: 0 for s in STATUSES}
        for status, n in conn.execute(
            "SELECT status, COUNT(*) FROM statuses WHERE annotator_id = ? GROUP BY status", (a["id"],)
        ):
            counts[status] = n
        counts["new"] += documents - sum(counts.values())  # no status row: new
        statuses[a["name"]] = counts
    spans: dict[str, dict[str, int]] = {}
    for name, label, n in conn.execute(
        "SELECT a.name, s.label, COUNT(*) FROM spans s JOIN annotators a ON a.id = s.annotator_id "
        "GROUP BY a.name, s.label ORDER BY a.name, s.label"
    ):
        spans.setdefault(name, {})[label] = n
    quotes: dict[str, dict[str, int]] = {}
    for name, qtype, n in conn.execute(
        "SELECT a.name, q.type, COUNT(*) FROM quotes q JOIN annotators a ON a.id = q.annotator_id "
        "GROUP BY a.name, q.type ORDER BY a.name, q.type"
    ):
        quotes.setdefault(name, {})[qtype] = n
    suggestions = {
        r[0]: r[1] for r in conn.execute("SELECT suggester, COUNT(*) FROM suggestions GROUP BY suggester ORDER BY 1")
    }
    return {
        "documents": documents,
        "by_language": by_language,
        "by_direction": by_direction,
        "annotators": [{"name": a["name"], "kind": a["kind"]} for a in annotators],
        "statuses": statuses,
        "spans": spans,
        "quotes": quotes,
        "suggestions": suggestions,
        "labels": corpus.labels.entity_names,
    }

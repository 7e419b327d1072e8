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


# Added for the window's statistics view (and `annotator stats`): additive, read-only queries.

_LAST_DONE = """
WITH last_done AS (
    SELECT annotator AS name, document_id AS doc, MAX(at) AS at FROM events
    WHERE action = 'status.set' AND json_extract(data, '$.after.status') = 'done'
    GROUP BY annotator, document_id
)
SELECT a.name, COALESCE(date(l.at, 'localtime'), date(s.updated_at, 'localtime')) AS day, COUNT(*)
FROM statuses s JOIN annotators a ON a.id = s.annotator_id
LEFT JOIN last_done l ON l.name = a.name AND l.doc = s.document_id
WHERE s.status = 'done'
GROUP BY a.name, day ORDER BY a.name, day
"""


def done_per_day(corpus: Corpus) -> dict[str, dict[str, int]]:
    """``{annotator: {"YYYY-MM-DD": articles}}``: the articles each annotator has done, by the (local)
    day they were last marked done (the status row's time when the event log does not say)."""
    out: dict[str, dict[str, int]] = {}
    for name, day, n in corpus.conn.execute(_LAST_DONE):
        if day:
            out.setdefault(name, {})[day] = n
    return out


def suggestion_outcomes(corpus: Corpus) -> dict[str, dict]:
    """What each annotator did with the suggestions: accepted as they were, accepted then edited
    (relabelled, resized, a quote's parts changed), rejected; and the acceptance rate
    ``(accepted + edited) / (accepted + edited + rejected)`` (None when nothing was decided)."""
    counts: dict[str, dict[str, dict[str, int]]] = {}

    def add(name: str, kind: str, outcome: str, n: int) -> None:
        per = counts.setdefault(name, {k: {"accepted": 0, "edited": 0, "rejected": 0} for k in ("entities", "quotes")})
        per[kind][outcome] += n

    for table, kind in (("spans", "entities"), ("quotes", "quotes")):
        for name, origin, n in corpus.conn.execute(
            f"SELECT a.name, t.origin, COUNT(*) FROM {table} t JOIN annotators a ON a.id = t.annotator_id "
            "WHERE t.origin IN ('accepted', 'edited') GROUP BY a.name, t.origin"
        ):
            add(name, kind, origin, n)
    for name, kind, n in corpus.conn.execute(
        "SELECT a.name, d.kind, COUNT(*) FROM suggestion_decisions d JOIN annotators a ON a.id = d.annotator_id "
        "WHERE d.decision = 'rejected' GROUP BY a.name, d.kind"
    ):
        add(name, "quotes" if kind == "quote" else "entities", "rejected", n)
    out: dict[str, dict] = {}
    for name, per in sorted(counts.items()):
        totals = {k: per["entities"][k] + per["quotes"][k] for k in ("accepted", "edited", "rejected")}
        decided = sum(totals.values())
        rate = (totals["accepted"] + totals["edited"]) / decided if decided else None
        out[name] = {**per, **totals, "acceptance_rate": rate}
    return out

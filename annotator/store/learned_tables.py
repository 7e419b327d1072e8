"""The learned suggester's own tables (schema v5): the name index, the lexicon, the evidence.

Derived data only (see :mod:`annotator.suggest.learned_state` for what they mean and how they
are kept up to date): emptied, they are rebuilt by the next suggestion run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from annotator.store.corpus import Corpus


def indexed_documents(corpus: Corpus) -> set[int]:
    """Documents whose words are in the name index."""
    return {r[0] for r in corpus.conn.execute("SELECT document_id FROM learned_indexed")}


def index_document_words(corpus: Corpus, doc_id: int, terms: str) -> None:
    """Put a document's words (space-separated index terms) in the name index, once."""
    with corpus.transaction() as conn:
        if conn.execute("INSERT OR IGNORE INTO learned_indexed(document_id) VALUES (?)", (doc_id,)).rowcount:
            conn.execute("INSERT INTO learned_name_index(rowid, words) VALUES (?, ?)", (doc_id, terms))


def clear_name_index(corpus: Corpus) -> None:
    """Empty the name index (when the way words are normalised has changed)."""
    with corpus.transaction() as conn:
        conn.execute("INSERT INTO learned_name_index(learned_name_index) VALUES ('delete-all')")
        conn.execute("DELETE FROM learned_indexed")


def documents_matching(corpus: Corpus, query: str) -> set[int]:
    """Documents of the name index matching an FTS5 ``query`` (terms quoted by the caller)."""
    return {r[0] for r in corpus.conn.execute(
        "SELECT rowid FROM learned_name_index WHERE learned_name_index MATCH ?", (query,))}


@dataclass(frozen=True)
class LexiconRow:
    """One learned name as last recorded (``matching``/``proposing`` None: no annotator has it)."""

    name: str
    keys: tuple[str, ...]
    rest: tuple[str, ...]
    matching: str | None
    proposing: str | None
    published: dict | None  # the scores proposals use: {"score": s, "scores": {spelling: s}}
    changed: int
    membership: int


def lexicon_rows(corpus: Corpus, language: str) -> dict[str, LexiconRow]:
    rows = corpus.conn.execute(
        "SELECT name, keys, rest, matching, proposing, published, changed, membership FROM learned_lexicon "
        "WHERE language = ?",
        (language,),
    )
    return {r["name"]: LexiconRow(r["name"], tuple(json.loads(r["keys"])), tuple(json.loads(r["rest"])),
                                  r["matching"], r["proposing"],
                                  json.loads(r["published"]) if r["published"] else None, r["changed"],
                                  r["membership"]) for r in rows}


def write_lexicon_rows(corpus: Corpus, language: str, rows: list[LexiconRow]) -> None:
    with corpus.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO learned_lexicon(language, name, keys, rest, matching, proposing, published, "
            "changed, membership) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(language, r.name, json.dumps(r.keys, ensure_ascii=False), json.dumps(r.rest, ensure_ascii=False),
              r.matching, r.proposing, json.dumps(r.published, ensure_ascii=False) if r.published else None,
              r.changed, r.membership) for r in rows],
        )


def setting_key(name: str, language: str | None = None) -> str:
    return f"learned.{name}" + (f".{language}" if language else "")


def learned_setting(corpus: Corpus, name: str, language: str | None = None) -> str | None:
    row = corpus.conn.execute("SELECT value FROM corpus_info WHERE key = ?", (setting_key(name, language),)).fetchone()
    return row[0] if row else None


def set_learned_setting(corpus: Corpus, name: str, value: str, language: str | None = None) -> None:
    with corpus.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO corpus_info(key, value) VALUES (?, ?)",
                     (setting_key(name, language), value))


@dataclass(frozen=True)
class EvidenceRow:
    state: str
    generation: int
    record: dict


def evidence_rows(corpus: Corpus, language: str) -> dict[tuple[int, str], EvidenceRow]:
    """Cached evidence of ``language``'s annotation sets, by (document id, annotator name)."""
    rows = corpus.conn.execute(
        "SELECT e.document_id, a.name, e.state, e.generation, e.record FROM learned_evidence e "
        "JOIN annotators a ON a.id = e.annotator_id WHERE e.language = ?",
        (language,),
    )
    return {(r[0], r[1]): EvidenceRow(r[2], r[3], json.loads(r[4])) for r in rows}


def write_evidence(corpus: Corpus, language: str, rows: dict[tuple[int, str], EvidenceRow],
                   keep: set[tuple[int, str]]) -> None:
    """Store ``rows`` and forget the cached evidence of ``language``'s sets not in ``keep``."""
    with corpus.transaction() as conn:
        ids = {r[0]: r[1] for r in conn.execute("SELECT name, id FROM annotators")}
        conn.executemany(
            "INSERT OR REPLACE INTO learned_evidence(document_id, annotator_id, language, state, generation, record) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(doc_id, ids[name], language, row.state, row.generation, json.dumps(row.record, ensure_ascii=False))
             for (doc_id, name), row in rows.items()],
        )
        gone = [(doc_id, ids[name]) for doc_id, name in (
            (r[0], r[1]) for r in conn.execute(
                "SELECT e.document_id, a.name FROM learned_evidence e JOIN annotators a ON a.id = e.annotator_id "
                "WHERE e.language = ?", (language,)).fetchall()) if (doc_id, name) not in keep]
        conn.executemany("DELETE FROM learned_evidence WHERE document_id = ? AND annotator_id = ?", gone)


def mark_evidence_current(corpus: Corpus, language: str, generation: int) -> None:
    with corpus.transaction() as conn:
        conn.execute("UPDATE learned_evidence SET generation = ? WHERE language = ?", (generation, language))


def learned_versions(corpus: Corpus, suggester: str, prefix: str) -> dict[str, set[int]]:
    """Stored versions of ``suggester`` starting with ``prefix``, with their documents."""
    out: dict[str, set[int]] = {}
    for doc_id, version in corpus.conn.execute(
        "SELECT document_id, version FROM suggestion_runs WHERE suggester = ? AND substr(version, 1, ?) = ?",
        (suggester, len(prefix), prefix),
    ):
        out.setdefault(version, set()).add(doc_id)
    return out


def set_versions(corpus: Corpus, suggester: str, doc_ids: list[int], version: str) -> None:
    """Record that ``suggester``'s cached results for ``doc_ids`` are those of ``version``."""
    with corpus.transaction() as conn:
        conn.executemany("UPDATE suggestion_runs SET version = ? WHERE document_id = ? AND suggester = ?",
                         [(version, doc_id, suggester) for doc_id in doc_ids])

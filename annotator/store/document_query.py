"""Paged, filtered, sorted listing of a corpus's documents for one annotator.

The document list of the annotation window reads the corpus through this module:
it asks :meth:`DocumentQuery.count` how many rows there are and then
:meth:`DocumentQuery.page` for the rows it is about to draw, so a corpus of
100,000 articles costs no more to show than one of ten. Filtering, full-text
search and sorting happen in SQL.

>>> query = DocumentQuery(corpus, "amira")                                # doctest: +SKIP
>>> query.count(DocumentFilter(status="done"))                           # doctest: +SKIP
12
>>> [row.title for row in query.page(0, 2, DocumentFilter(search="بوتين"))]  # doctest: +SKIP
['بوتين يلتقي ولي العهد', 'موسكو: بوتين يستقبل ...']

Search text is user input: every word is quoted as an FTS5 phrase (so ``AND``,
``"``, ``*``, ``(`` or ``NEAR`` are just text), the last word also matches as a
prefix while typing, and a query FTS5 still refuses matches nothing instead of
raising.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass, replace

from annotator.store.corpus import STATUSES, Corpus

#: Status filter values: one of :data:`STATUSES`, or ``"todo"`` (new or in progress).
STATUS_FILTERS = ("todo",) + STATUSES
#: Sort keys understood by :class:`DocumentFilter`.
SORT_KEYS = ("id", "title", "status", "entities", "quotes", "length", "confidence")

_STATUS_ORDER = "CASE COALESCE(st.status, 'new') WHEN 'new' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'done' THEN 2 ELSE 3 END"
# Sorting by counts: the annotator's spans (quotes) are counted once, grouped by document,
# and joined, which is 2-2.5x faster on 100,000 articles than a count per document.
_ENTITY_COUNT = "COALESCE(ec.n, 0)"
_QUOTE_COUNT = "COALESCE(qc.n, 0)"
_JOINS = {
    "status": "LEFT JOIN statuses st ON st.document_id = d.id AND st.annotator_id = :aid",
    "entities": "LEFT JOIN (SELECT document_id, COUNT(*) AS n FROM spans WHERE annotator_id = :aid "
    "GROUP BY document_id) ec ON ec.document_id = d.id",
    "quotes": "LEFT JOIN (SELECT document_id, COUNT(*) AS n FROM quotes WHERE annotator_id = :aid "
    "GROUP BY document_id) qc ON qc.document_id = d.id",
}
# "Least confident first" (active learning): a document's confidence is the mean of the LOWEST_SCORES
# lowest scores of the entity suggestions a model made there (suggester model:...); documents where
# no model proposed a scored entity come after every scored one.
LOWEST_SCORES = 3
_NO_CONFIDENCE = 2.0
_CONFIDENCE = f"COALESCE(cf.c, {_NO_CONFIDENCE})"
_JOINS["confidence"] = (
    "LEFT JOIN (SELECT document_id, AVG(score) AS c FROM (SELECT document_id, score, ROW_NUMBER() OVER "
    "(PARTITION BY document_id ORDER BY score) AS n FROM suggestions WHERE kind = 'entity' AND score IS NOT NULL "
    f"AND suggester LIKE 'model:%') WHERE n <= {LOWEST_SCORES} GROUP BY document_id) cf ON cf.document_id = d.id"
)
_SORT_SQL = {
    "id": "d.id",
    "title": "d.title",
    "status": _STATUS_ORDER,
    "entities": _ENTITY_COUNT,
    "quotes": _QUOTE_COUNT,
    "length": "d.length",
    "confidence": _CONFIDENCE,
}
# Only the last word is searched as a prefix, and only once it is long enough for
# the prefix to be selective (a one-letter prefix expands to thousands of terms).
_MIN_PREFIX = 3
_log = logging.getLogger(__name__)
_WORD = re.compile(r"\w", re.UNICODE)
_ARABIC = re.compile("[\u0621-\u064a\u066e-\u06d3]")
_ALEFS = "اأإآ"
_PROCLITICS = tuple(c + p for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك"))


@dataclass(frozen=True)
class DocumentFilter:
    """What the list shows: a status, a label, a search and an order (all optional)."""

    status: str | None = None
    label: str | None = None
    search: str = ""
    sort: str = "id"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUS_FILTERS:
            raise ValueError(f"status filter must be one of {', '.join(STATUS_FILTERS)}, not {self.status!r}")
        if self.sort not in SORT_KEYS:
            raise ValueError(f"sort must be one of {', '.join(SORT_KEYS)}, not {self.sort!r}")

    def with_(self, **changes) -> DocumentFilter:
        return replace(self, **changes)


@dataclass(frozen=True)
class DocumentRow:
    """One line of the document list."""

    id: int
    title: str
    status: str
    note: str | None
    entities: int
    quotes: int
    length: int
    direction: str
    language: str


def arabic_forms(word: str) -> list[str]:
    """The forms an Arabic word takes in running text, for search (the word itself first).

    Attached proclitics (``و ف`` then ``ب ل ك``, with ``ل`` + ``ال`` written ``لل``) and
    the common spelling variants (initial alef with or without hamza, also after ``ال``;
    final ``ة/ه`` and ``ى/ي``), so ``بوتين`` finds ``وبوتين``, ``اوباما`` finds ``أوباما``
    and ``الصين`` finds ``للصين``. The stored text and its index are never changed.

    >>> arabic_forms("الصين")[:4]
    ['الصين', 'بالصين', 'للصين', 'كالصين']
    """
    stems = [word]
    if word[0] in _ALEFS and not word.startswith("ال"):  # the article's alef never carries hamza
        stems += [a + word[1:] for a in _ALEFS]
    if word.startswith("ال") and len(word) > 3 and word[2] in _ALEFS:
        stems += ["ال" + a + word[3:] for a in _ALEFS]
    for pair in ("ةه", "ىي"):
        if len(word) > 2 and word[-1] in pair:
            stems += [stem[:-1] + end for stem in stems for end in pair]
    forms: list[str] = []
    for stem in dict.fromkeys(stems):
        for prefix in _PROCLITICS:
            if prefix.endswith("ل") and stem.startswith("ال"):
                forms.append(prefix[:-1] + "لل" + stem[2:])
            else:
                forms.append(prefix + stem)
    return list(dict.fromkeys(forms))


def fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression for what a user typed, or None when there is nothing to search.

    Each whitespace-separated word becomes a quoted phrase (all words must occur); an
    Arabic word also matches its forms with attached proclitics and spelling variants
    (:func:`arabic_forms`); text the user wrapped in double quotes stays one exact
    phrase; the last word also matches as a prefix (so results appear while typing).

    >>> fts_query('putin "red square" mos')
    '"putin" AND "red square" AND "mos"*'
    >>> fts_query('") * (') is None
    True
    """
    parts: list[tuple[str, bool]] = []
    for quoted, word in re.findall(r'"([^"]*)"|(\S+)', text):
        phrase = " ".join((quoted or word).replace('"', " ").split())
        if phrase and _WORD.search(phrase):
            parts.append((phrase, bool(quoted)))
    if not parts:
        return None
    last = len(parts) - 1
    terms: list[str] = []
    for i, (phrase, quoted) in enumerate(parts):
        open_word = i == last and not quoted and not text.rstrip().endswith('"') and " " not in phrase
        # The article "ال" counts as one letter: "الس" is as unselective as "سx".
        letters = len(phrase) - 1 if phrase.startswith("ال") else len(phrase)
        star = "*" if open_word and letters >= _MIN_PREFIX else ""
        if not quoted and " " not in phrase and _ARABIC.search(phrase):
            forms = arabic_forms(phrase)
            terms.append("(" + " OR ".join(f'"{form}"{star}' for form in forms) + ")")
        else:
            terms.append(f'"{phrase}"{star}')
    return " AND ".join(terms)  # explicit: FTS5 does not join parenthesised groups implicitly


class DocumentQuery:
    """Counts and pages of documents as ``annotator`` sees them (status, their span and quote counts)."""

    def __init__(self, corpus: Corpus, annotator: str):
        self.corpus = corpus
        self.annotator = annotator

    @property
    def conn(self) -> sqlite3.Connection:
        return self.corpus.conn

    def _annotator_id(self) -> int:
        # Not created here: an annotator exists from their first edit on.
        aid = self.corpus.annotator_id(self.annotator, create=False)
        return aid if aid is not None else -1

    def _where(self, filters: DocumentFilter) -> tuple[str, dict] | None:
        """SQL WHERE clause and parameters, or None when the filter can match nothing."""
        clauses: list[str] = []
        params: dict = {"aid": self._annotator_id()}
        # Status filters go through the (small) statuses table and its index: most
        # documents have no status row at all and are "new".
        if filters.status == "todo":
            clauses.append("d.id NOT IN (SELECT document_id FROM statuses WHERE annotator_id = :aid "
                           "AND status IN ('done', 'skipped'))")
        elif filters.status == "new":
            clauses.append("d.id NOT IN (SELECT document_id FROM statuses WHERE annotator_id = :aid "
                           "AND status <> 'new')")
        elif filters.status:
            clauses.append("d.id IN (SELECT document_id FROM statuses WHERE annotator_id = :aid AND status = :status)")
            params["status"] = filters.status
        if filters.label:
            clauses.append("d.id IN (SELECT sp.document_id FROM spans sp WHERE sp.label = :label AND sp.annotator_id = :aid)")
            params["label"] = filters.label
        if filters.search.strip():
            match = fts_query(filters.search)
            if match is None:
                return None
            # Documents imported since the last search are indexed first (usually already
            # done in the background by the window), so a search never misses one.
            self.corpus.update_search_index()
            clauses.append("d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH :match)")
            params["match"] = match
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    @staticmethod
    def _from(filters: DocumentFilter) -> str:
        join = _JOINS.get(filters.sort)
        return f"documents d {join}" if join else "documents d"

    def _execute(self, sql: str, params: dict) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            # fts_query() quotes everything; this guards against FTS5 refusing a
            # query anyway (e.g. a tokenizer edge case): no match, not a crash.
            if "fts5" in str(exc).lower() or "match" in str(exc).lower():
                _log.warning("full-text search refused %r: %s", params.get("match"), exc)
                return []
            raise

    def count(self, filters: DocumentFilter | None = None) -> int:
        """How many documents the filter lets through (``SELECT COUNT(*)``)."""
        filters = filters or DocumentFilter()
        where = self._where(filters)
        if where is None:
            return 0
        clause, params = where
        if not clause:
            return self.corpus.count_documents()
        if filters.status in ("new", "todo") and not filters.label and not filters.search.strip():
            # Most documents have no status row: count the ones excluded instead (index only).
            excluded = ("in_progress", "done", "skipped") if filters.status == "new" else ("done", "skipped")
            marks = ",".join("?" * len(excluded))
            others = self.conn.execute(
                f"SELECT COUNT(*) FROM statuses WHERE annotator_id = ? AND status IN ({marks})",
                (params["aid"], *excluded),
            ).fetchone()[0]
            return self.corpus.count_documents() - others
        rows = self._execute(f"SELECT COUNT(*) FROM {self._from(filters)}{clause}", params)
        return rows[0][0] if rows else 0

    def _order(self, filters: DocumentFilter) -> str:
        direction = " DESC" if filters.descending else ""
        if filters.sort == "id":
            return f"d.id{direction}"
        return f"{_SORT_SQL[filters.sort]}{direction}, d.id{direction}"

    def ids(self, offset: int, limit: int, filters: DocumentFilter | None = None) -> list[int]:
        """Document ids of rows ``offset .. offset+limit`` in the filter's order."""
        filters = filters or DocumentFilter()
        where = self._where(filters)
        if where is None or limit <= 0:
            return []
        clause, params = where
        params = params | {"limit": int(limit), "offset": max(0, int(offset))}
        sql = f"SELECT d.id FROM {self._from(filters)}{clause} ORDER BY {self._order(filters)} LIMIT :limit OFFSET :offset"
        return [r[0] for r in self._execute(sql, params)]

    def page(self, offset: int, limit: int, filters: DocumentFilter | None = None) -> list[DocumentRow]:
        """Rows ``offset .. offset+limit`` of the list, with status and counts for this annotator."""
        return self.rows(self.ids(offset, limit, filters))

    def rows(self, ids: list[int]) -> list[DocumentRow]:
        """The list rows of the given documents, in the given order (unknown ids are left out)."""
        if not ids:
            return []
        # Counts are computed only for the rows asked for, never for the whole corpus.
        marks = ",".join("?" * len(ids))
        aid = self._annotator_id()
        found = {
            r["id"]: r
            for r in self.conn.execute(
                "SELECT d.id, COALESCE(d.title, '') AS title, d.length, d.direction, d.language, "
                "COALESCE(st.status, 'new') AS status, st.note, "
                "(SELECT COUNT(*) FROM spans sp WHERE sp.document_id = d.id AND sp.annotator_id = ?) AS entities, "
                "(SELECT COUNT(*) FROM quotes q WHERE q.document_id = d.id AND q.annotator_id = ?) AS quotes "
                "FROM documents d LEFT JOIN statuses st ON st.document_id = d.id AND st.annotator_id = ? "
                f"WHERE d.id IN ({marks})",
                (aid, aid, aid, *ids),
            )
        }
        return [
            DocumentRow(
                id=r["id"],
                title=r["title"],
                status=r["status"],
                note=r["note"],
                entities=r["entities"],
                quotes=r["quotes"],
                length=r["length"],
                direction=r["direction"],
                language=r["language"],
            )
            for r in (found.get(i) for i in ids)
            if r is not None
        ]

    def following(self, doc_id: int | None, filters: DocumentFilter | None = None) -> int | None:
        """The first document the filter lets through that sorts after ``doc_id`` (None: the first one).

        ``doc_id`` itself need not pass the filter (an article just marked done under a
        "todo" filter): its sort key places it. Returns None when nothing comes after it.
        """
        filters = filters or DocumentFilter()
        where = self._where(filters)
        if where is None:
            return None
        clause, params = where
        source = self._from(filters)
        order = self._order(filters)
        if doc_id is None:
            rows = self._execute(f"SELECT d.id FROM {source}{clause} ORDER BY {order} LIMIT 1", params)
            return rows[0][0] if rows else None
        key = _SORT_SQL[filters.sort]
        params = params | {"doc": int(doc_id)}
        found = self._execute(f"SELECT {key} AS k FROM {source} WHERE d.id = :doc", params)
        if not found:
            return None
        params["k"] = found[0]["k"]
        after = ">" if not filters.descending else "<"
        if filters.sort == "id":
            condition = f"d.id {after} :doc"
        elif params["k"] is None:
            # NULL sorts first ascending, last descending.
            condition = f"({key} IS NULL AND d.id {after} :doc)"
            if not filters.descending:
                condition = f"({key} IS NOT NULL OR {condition})"
        else:
            condition = f"({key} {after} :k OR ({key} = :k AND d.id {after} :doc))"
            if filters.descending:
                condition = f"({key} IS NULL OR {condition})"
        joiner = " AND" if clause else " WHERE"
        rows = self._execute(f"SELECT d.id FROM {source}{clause}{joiner} {condition} ORDER BY {order} LIMIT 1", params)
        return rows[0][0] if rows else None

    def position(self, doc_id: int, filters: DocumentFilter | None = None) -> int | None:
        """The row a document occupies in the filtered, sorted list, or None if filtered out.

        Counts the rows that sort before it (one ``COUNT(*)``, served by the sort
        column's index for id, title and length) instead of numbering every row.
        """
        filters = filters or DocumentFilter()
        where = self._where(filters)
        if where is None:
            return None
        clause, params = where
        source = self._from(filters)
        joiner = " AND" if clause else " WHERE"
        key = _SORT_SQL[filters.sort]
        params = params | {"doc": int(doc_id)}
        found = self._execute(f"SELECT {key} AS k FROM {source}{clause}{joiner} d.id = :doc", params)
        if not found:
            return None
        params["k"] = found[0]["k"]
        before, after = ("<", ">") if not filters.descending else (">", "<")
        if filters.sort == "id":
            condition = f"d.id {before} :doc"
        elif params["k"] is None:
            # NULL sorts first ascending, last descending.
            condition = f"({key} IS NULL AND d.id {before} :doc)"
            if filters.descending:
                condition = f"({key} IS NOT NULL OR {condition})"
        else:
            condition = f"({key} {before} :k OR ({key} = :k AND d.id {before} :doc))"
            if not filters.descending:
                condition = f"({key} IS NULL OR {condition})"
        rows = self._execute(f"SELECT COUNT(*) FROM {source}{clause}{joiner} {condition}", params)
        return rows[0][0] if rows else None

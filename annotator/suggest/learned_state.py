"""Only what changed re-runs: the learned suggester's state kept in the corpus.

A new entity changes the learned names, but only articles where that name can occur can get a
different proposal. Before a run, :func:`prepare_learned` brings the learned suggester's state up
to date and says which articles' cached results are still right, using three derived tables
(schema v5, see :mod:`annotator.store.schema`):

- **the name index** (``learned_name_index``, FTS5 without content): the normalised words of
  every article the learned suggester has read. A name can occur in an article only if the
  article holds one of the written forms its first word takes and every one of its other words
  (:mod:`annotator.suggest.name_index`). The words come from the suggester's own pass over the
  article, at no extra tokenizing cost; the runner stores them with the article's results
  (:func:`remember_words`).
- **the lexicon** (``learned_lexicon``): per language, each name's two fingerprints, *matching*
  (its keys and words: where it can match) and *proposing* (its label and its published scores),
  with the *generation* at which each last changed. Every change of the names that changes what
  could be proposed anywhere starts a new generation. A name's scores are published again only
  when new evidence moves one by :data:`SCORE_STEP` or more, takes it across the threshold, or
  gives it a new spelling; in between, proposals carry the published score (at most a step away
  from what the evidence of the moment gives).
- **the evidence** (``learned_evidence``): per annotation set, its record of name occurrences
  (:func:`annotator.suggest.name_evidence.count_occurrences`), the set's state when counted and
  the generation it is known good at. A record stays good while the set is unchanged and no name
  whose *matching* changed since can occur in its article; only the others are counted again.

A document's learned version is ``learned-CODE+PARAMS@CORPUS:LANGUAGE:GENERATION``. After the
names change, a document at an older generation is still right if none of the names changed since
can occur in it: its version is moved to the new generation and the run skips it. The others (and
documents not in the index yet) keep their old version and re-run. The corpus token (a random id
kept in the corpus) keeps versions copied from another corpus from passing for this one's.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.core.tokenizer import make_nlp
from annotator.store.annotation_sets import AnnotationSet, annotation_sets
from annotator.store.corpus import Corpus
from annotator.store.learned_tables import (
    EvidenceRow,
    LexiconRow,
    clear_name_index,
    documents_matching,
    evidence_rows,
    index_document_words,
    indexed_documents,
    learned_setting,
    learned_versions,
    lexicon_rows,
    mark_evidence_current,
    set_learned_setting,
    set_versions,
    write_evidence,
    write_lexicon_rows,
)
from annotator.suggest.base import fingerprint, token_table
from annotator.suggest.learned import CODE_VERSION, LearnedLexicon
from annotator.suggest.name_evidence import EvidenceParams, LabelledText, SetRecord, is_complete
from annotator.suggest.name_index import index_terms, name_query

SUGGESTER = "learned"
# Bump when the words an article is indexed under change (the tokenizer or normalize()).
INDEX_VERSION = "1"
NAMES_PER_QUERY = 200
# A name's published scores are kept while new evidence moves them by less than this (and not
# across the threshold): one more labelled Riyadh does not re-run the 300 articles that name it.
SCORE_STEP = 0.05
ATTEMPTS = 3  # another process may prepare at the same moment: then compute again


# -- the name index ------------------------------------------------------------------------------


def documents_with_names(corpus: Corpus, names: Iterable[tuple[Sequence[str], Sequence[str]]]) -> set[int]:
    """Articles of the name index where any of ``names`` (``(keys, rest)``) can occur."""
    queries = [name_query(keys, rest) for keys, rest in names if keys]
    found: set[int] = set()
    for start in range(0, len(queries), NAMES_PER_QUERY):
        found |= documents_matching(corpus, " OR ".join(queries[start : start + NAMES_PER_QUERY]))
    return found


def remember_words(corpus: Corpus, doc_id: int, terms: str | None) -> None:
    """Put an article's words in the name index (the runner calls this with the learned result)."""
    if terms is not None and not corpus.readonly:
        index_document_words(corpus, doc_id, terms)


# -- preparing a run -----------------------------------------------------------------------------


@dataclass
class PreparedLearned:
    """A language's learned names, ready to propose, and what preparing them took."""

    lexicon: LearnedLexicon
    version: str
    generation: int
    counted: int = 0  # annotation sets counted afresh (the others came from the cache)
    changed: int = 0  # names whose matching or proposals changed
    kept: int = 0  # documents at an older generation found still right (not re-run)


def _close(published: dict, evidence, params: EvidenceParams) -> bool:
    """Are a name's new scores within :data:`SCORE_STEP` of the published ones, on the same side of the
    threshold, for the same spellings?"""
    if set(published["scores"]) != set(evidence.scores):
        return False
    pairs = [(published["score"], evidence.score)]
    pairs += [(published["scores"][s], evidence.scores[s]) for s in evidence.scores]
    return all(abs(old - new) < SCORE_STEP and (old >= params.threshold) == (new >= params.threshold)
               for old, new in pairs)


def set_state(item: AnnotationSet) -> str:
    return fingerprint(item.status, item.spans, item.rejected)


def _labelled(item: AnnotationSet) -> LabelledText:
    return LabelledText(item.text, tuple((s, e, label) for s, e, label, _ in item.spans),
                        is_complete(item.status, item.spans), frozenset((s, e) for s, e, _ in item.rejected))


def _corpus_token(corpus: Corpus) -> str:
    token = learned_setting(corpus, "corpus")
    if token is None:
        token = secrets.token_hex(4)
        set_learned_setting(corpus, "corpus", token)
    return token


def prepare_learned(corpus: Corpus, language: str, params: EvidenceParams | None = None) -> PreparedLearned:
    """The learned names of ``language`` with their evidence, the state in the corpus brought up to
    date, and every document the change cannot touch marked as up to date (see the module doc)."""
    params = params or EvidenceParams()
    nlp = make_nlp(language)
    if corpus.readonly:  # nothing can be cached or marked: count everything, version by content
        lexicon = LearnedLexicon(nlp, corpus.entity_names(), params)
        lexicon.learn(nlp, (_labelled(item) for item in annotation_sets(corpus, language)))
        return PreparedLearned(lexicon, f"learned-{CODE_VERSION}+{fingerprint(lexicon.signature())}", 0)
    if learned_setting(corpus, "index_version") != INDEX_VERSION:
        clear_name_index(corpus)
        set_learned_setting(corpus, "index_version", INDEX_VERSION)
    token = _corpus_token(corpus)
    for _ in range(ATTEMPTS):
        prepared = _prepare_once(corpus, nlp, language, params, token)
        if prepared is not None:
            return prepared
    raise RuntimeError("the learned names kept changing while they were being prepared; run again")


def _prepare_once(corpus: Corpus, nlp, language: str, params: EvidenceParams, token: str) -> PreparedLearned | None:
    generation = int(learned_setting(corpus, "generation", language) or 0)
    lexicon = LearnedLexicon(nlp, corpus.entity_names(), params)
    names = lexicon.names
    snapshot = lexicon_rows(corpus, language)

    # What decides where names match: names added, removed, or matching differently.
    matching = {name_id: name.matching() for name_id, name in names.items()}
    rematch = {n for n, fp in matching.items() if n not in snapshot or snapshot[n].matching != fp}
    rematch |= {n for n, row in snapshot.items() if row.matching is not None and n not in names}

    def where(name_ids: Iterable[str]) -> list[tuple[Sequence[str], Sequence[str]]]:
        out = []
        for n in name_ids:
            if n in names:
                out.append((sorted(names[n].keys), names[n].rest))
            if n in snapshot:  # where it could match before the change, too
                out.append((snapshot[n].keys, snapshot[n].rest))
        return out

    # Evidence: a set's cached record is good unless the set changed or a name whose matching
    # changed after the record's generation can occur in its article.
    cached = evidence_rows(corpus, language)
    indexed = indexed_documents(corpus)
    touched_since: dict[int, set[int]] = {}
    for g in {row.generation for row in cached.values()}:
        since = {n for n, row in snapshot.items() if row.membership > g} | rematch
        touched_since[g] = documents_with_names(corpus, where(since)) if since else set()
    records: list[SetRecord] = []
    fresh: dict[tuple[int, str], EvidenceRow] = {}
    keep: set[tuple[int, str]] = set()
    new_words: dict[int, str] = {}
    for item in annotation_sets(corpus, language):
        key = (item.document_id, item.annotator)
        keep.add(key)
        state = set_state(item)
        row = cached.get(key)
        if (row is not None and row.state == state and item.document_id in indexed
                and item.document_id not in touched_since[row.generation]):
            records.append(row.record)
            continue
        table = token_table(nlp.make_doc(item.text))
        record = lexicon.record(table, _labelled(item))
        records.append(record)
        fresh[key] = EvidenceRow(state, -1, record)
        if item.document_id not in indexed:
            new_words[item.document_id] = index_terms(table.norms)
    lexicon.assemble(records)
    for name_id, name in names.items():  # scores that moved less than a step keep their published value
        old = snapshot.get(name_id)
        if old is not None and old.published is not None and _close(old.published, name.evidence, params):
            name.evidence.score = old.published["score"]
            name.evidence.scores = dict(old.published["scores"])

    proposing = {name_id: name.proposing(params) for name_id, name in names.items()}
    changed = rematch | {n for n, fp in proposing.items() if n in snapshot and snapshot[n].proposing != fp}

    with corpus.transaction():
        if int(learned_setting(corpus, "generation", language) or 0) != generation:
            return None  # another process prepared meanwhile
        if changed or not generation:
            generation += 1
            rows = []
            for n in changed:
                old = snapshot.get(n)
                if n in names:
                    name = names[n]
                    published = {"score": name.evidence.score, "scores": name.evidence.scores}
                    rows.append(LexiconRow(n, tuple(sorted(name.keys)), name.rest, matching[n], proposing[n],
                                           published, generation, generation if n in rematch else old.membership))
                else:  # no annotator has it any more: keep where it was, for the articles that had it
                    rows.append(LexiconRow(n, old.keys, old.rest, None, None, None, generation, generation))
            write_lexicon_rows(corpus, language, rows)
            set_learned_setting(corpus, "generation", str(generation), language)
        for doc_id, terms in new_words.items():
            index_document_words(corpus, doc_id, terms)
        mark_evidence_current(corpus, language, generation)
        write_evidence(corpus, language, {k: EvidenceRow(r.state, generation, r.record) for k, r in fresh.items()},
                       keep)
        prefix = f"{SUGGESTER}-{CODE_VERSION}+{fingerprint(sorted(vars(params).items()))}@{token}:{language}:"
        version = f"{prefix}{generation}"
        indexed |= set(new_words)
        current = lexicon_rows(corpus, language) if changed else snapshot
        kept = 0
        for old_version, doc_ids in learned_versions(corpus, SUGGESTER, prefix).items():
            try:
                old_generation = int(old_version[len(prefix) :])
            except ValueError:
                continue
            if old_generation >= generation:
                continue
            since = [(row.keys, row.rest) for row in current.values() if row.changed > old_generation]
            touched = documents_with_names(corpus, since)
            still_right = sorted(d for d in doc_ids if d in indexed and d not in touched)
            set_versions(corpus, SUGGESTER, still_right, version)
            kept += len(still_right)
    return PreparedLearned(lexicon, version, generation, counted=len(fresh), changed=len(changed), kept=kept)

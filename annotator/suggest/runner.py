"""Run suggesters over a corpus and cache their results per document and suggester version.

The CLI (``annotator suggest``) and the UI's background worker both call :func:`run_suggesters`
(the UI with its own :class:`Corpus` connection in its thread, and one worker: the annotator's
machine is theirs). Documents are grouped by language and cut into chunks; each chunk goes to
:class:`SuggestJob`, whose :meth:`~SuggestJob.run` is a pure function of the chunk: in a worker
process of :func:`annotator.jobs.pool.map_chunks` (``jobs`` of them, each with its own read-only
connection and its own pipelines, built from the suggesters' names) or in this process with
``jobs=1``. Each language gets one spaCy pipeline holding the chosen suggesters (entity
suggesters first, so the quote suggester can link speakers to entities). A suggester runs on a
document only when it has no cached result there or one from another version (staleness is
decided per suggester; ``force`` re-runs everything). Results come back in the order of the
documents and ONE writer (this process) stores them, a chunk per transaction, so ``jobs=2`` gives
the same rows as ``jobs=1``. They go to the suggestions table only: they never count as an
annotator's labels. ``shard`` keeps a stable 1/N of the documents (:mod:`annotator.jobs.shards`);
``into`` writes the documents and their suggestions into another corpus file, to be merged back
with ``annotator import --from-db``.

    summary = run_suggesters(corpus, ["quotes", "gazetteer"], progress=lambda done, total: None, jobs=2)
    print(summary.processed, summary.quotes, summary.spans)
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language

import annotator.suggest.gazetteer  # noqa: F401  (registers the factories)
import annotator.suggest.learned  # noqa: F401
import annotator.suggest.model  # noqa: F401
import annotator.suggest.quotes  # noqa: F401
from annotator.core.spans import DocumentRecord, Quote, Span
from annotator.core.tokenizer import new_nlp
from annotator.jobs.corpus_job import CorpusJob
from annotator.jobs.pool import map_chunks
from annotator.jobs.shards import Shard, chunked
from annotator.store.corpus import Corpus
from annotator.suggest.base import TextKeepingTokenizer, suggestions_of
from annotator.suggest.label_maps import LabelMapError
from annotator.suggest.learned_state import PreparedLearned, prepare_learned, remember_words
from annotator.suggest.model import ModelLoadError, model_config
from annotator.suggest.pipelines import applies_to, offered_pipelines
from annotator.suggest.quote_rules import QuoteRulesError, rules_path

BUILTIN_SUGGESTERS = ("gazetteer", "learned", "quotes")
MODEL_PREFIX = "model:"

ProgressCallback = Callable[[int, int], None]


class SuggesterError(ValueError):
    """An unknown suggester name or a pipeline that can't be built."""


@dataclass
class RunSummary:
    """What :func:`run_suggesters` did."""

    documents: int = 0  # documents considered
    processed: int = 0  # documents run through the pipeline
    up_to_date: int = 0  # documents skipped because every cached version matched
    spans: int = 0
    quotes: int = 0
    per_suggester: dict[str, dict[str, int]] = field(default_factory=dict)
    versions: dict[str, set[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # "quotes: no rules for 'fr' (3 documents)"
    seconds: float = 0.0
    stopped: bool = False

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "processed": self.processed,
            "up_to_date": self.up_to_date,
            "spans": self.spans,
            "quotes": self.quotes,
            "per_suggester": self.per_suggester,
            "versions": {k: sorted(v) for k, v in self.versions.items()},
            "skipped": self.skipped,
            "seconds": round(self.seconds, 3),
            "stopped": self.stopped,
        }


def available_suggesters(corpus: Corpus) -> list[str]:
    """Built-in suggesters, ``model:NAME`` for every pipeline registered in the corpus, then the shipped
    and installed pipelines (each runs by default on the documents of its language only).

    A model in the loop names the suggesters it took over (``replaces``: the shipped model it
    was fine-tuned from); those are left out, so its suggestions replace theirs. Quote models are
    not entity suggesters: the ``quotes`` suggester combines them with its rules."""
    models = corpus.registered_models()
    replaced = {name for m in models for name in (m.get("replaces") or [])}
    names = list(BUILTIN_SUGGESTERS) + [MODEL_PREFIX + m["name"] for m in models if m.get("kind") != "quotes"]
    names = list(dict.fromkeys(names + [p.suggester for p in offered_pipelines()]))
    return [name for name in names if name not in replaced]


def quote_models(corpus: Corpus | None, lang: str) -> list[str]:
    """Paths of the quote models registered for ``lang`` (the ``quotes`` suggester combines them)."""
    if corpus is None:
        return []
    return [m["path"] for m in corpus.registered_models() if m.get("kind") == "quotes" and m.get("lang") == lang]


def _model_target(corpus: Corpus, name: str) -> str:
    """Path or package of ``model:NAME`` (a registered name, else the name itself is the path/package)."""
    wanted = name[len(MODEL_PREFIX) :]
    for m in corpus.registered_models():
        if m["name"] == wanted:
            return m["path"]
    return wanted


def _check_names(corpus: Corpus, names: Sequence[str]) -> None:
    for name in names:
        if name in BUILTIN_SUGGESTERS or (name.startswith(MODEL_PREFIX) and len(name) > len(MODEL_PREFIX)):
            continue
        raise SuggesterError(
            f"unknown suggester {name!r}; choose from {', '.join(available_suggesters(corpus))}, "
            "or model:PATH_OR_PACKAGE for any spaCy pipeline"
        )


def build_pipeline(lang: str, names: Sequence[str], corpus: Corpus | None = None,
                   learned_names: list | None = None, strict: bool = True,
                   learned: PreparedLearned | None = None) -> tuple[Language, list[str]]:
    """A pipeline for ``lang`` holding the suggesters ``names`` (in a working order).

    Returns the pipeline and the notes about suggesters left out (e.g. no quote rules for the
    language). A model that can't be loaded raises :class:`ModelLoadError`, or with
    ``strict=False`` is left out with a note. ``learned``: the learned names as
    :func:`~annotator.suggest.learned_state.prepare_learned` made them (else they are prepared
    from ``corpus``, or taken from ``learned_names`` rows without evidence).
    """
    nlp = new_nlp(lang)
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    notes: list[str] = []
    ordered = [n for n in names if n == "gazetteer"] + [n for n in names if n == "learned"]
    ordered += [n for n in names if n.startswith(MODEL_PREFIX)] + [n for n in names if n == "quotes"]
    for name in ordered:
        if name == "gazetteer":
            nlp.add_pipe("annotator_gazetteer", name=name)
        elif name == "learned":
            if learned is None and learned_names is None and corpus is not None:
                learned = prepare_learned(corpus, lang)
            rows = [list(r) for r in learned_names] if learned is None and learned_names is not None else []
            component = nlp.add_pipe("annotator_learned", name=name, config={"names": rows})
            if learned is not None:
                component.use(learned.lexicon, learned.version)
        elif name == "quotes":
            if not rules_path(nlp.lang).exists():
                notes.append(f"quotes: no quote rules for language {lang!r} (add resources/quotes/{lang}.json)")
                continue
            try:
                nlp.add_pipe("annotator_quotes", name=name, config={"models": quote_models(corpus, nlp.lang)})
            except ModelLoadError as exc:
                if strict:
                    raise
                notes.append(f"{name}: {exc}; rules only")
                nlp.add_pipe("annotator_quotes", name=name)
        elif name.startswith(MODEL_PREFIX):
            target = _model_target(corpus, name) if corpus else name[len(MODEL_PREFIX) :]
            try:
                nlp.add_pipe("annotator_model", name=name, config=model_config(corpus, name, target))
            except ModelLoadError as exc:
                if strict:
                    raise
                notes.append(f"{name}: {exc}")
    return nlp, notes


def _by_needed_pipes(nlp: Language, batch: list[tuple[int, list[str]]]) -> list[tuple[list[str], list]]:
    """``batch`` grouped by the components each document needs: the stale ones, and for a stale
    ``quotes`` every entity suggester before it (its speakers are linked to their entities)."""
    groups: dict[tuple[str, ...], list] = {}
    order = nlp.pipe_names
    for doc_id, todo in batch:
        if "quotes" in todo:
            needed = tuple(order[: order.index("quotes") + 1])
        else:
            needed = tuple(n for n in order if n in todo)
        groups.setdefault(needed, []).append((doc_id, todo))
    return [(list(needed), group) for needed, group in groups.items()]


@dataclass
class ChunkResult:
    """What :meth:`SuggestJob.run` found for one chunk of documents of one language."""

    language: str
    versions: dict[str, str]  # suggester -> version of the pipeline that ran
    notes: list[str]  # suggesters left out for this language
    up_to_date: int = 0
    # (document id, [(suggester, spans, quotes, the learned result's index terms)]) for every document
    # something ran on, in order
    documents: list[tuple[int, list[tuple[str, list[Span], list[Quote], str | None]]]] = field(default_factory=list)


class SuggestJob(CorpusJob):
    """The per-chunk work of a suggestion run: which suggesters are stale, then ``nlp.pipe``.

    Picklable before :meth:`start`; a worker process calls :meth:`start` once (its own read-only
    connection, pipelines built lazily per language from the suggesters' names), then
    :meth:`run` per chunk. It never writes to the corpus.
    """

    def __init__(self, db_path: str, names: Sequence[str], learned: dict[str, PreparedLearned], strict: bool,
                 force: bool, batch_size: int, corpus: Corpus | None = None, offered: list | None = None) -> None:
        super().__init__(db_path, corpus)
        self.names = list(names)
        # Named explicitly (strict), every suggester runs everywhere; by default a shipped or
        # installed pipeline runs on the documents of its language only.
        self.offered = offered
        # Prepared by the writer (suggest.learned_state): a worker never prepares them on its own
        # read-only connection (it would compute another version).
        self.learned = learned
        self.strict = strict
        self.force = force
        self.batch_size = batch_size
        self._pipelines: dict[str, tuple[Language, list[str], dict[str, str]]] = {}

    def __getstate__(self) -> dict:
        return {**super().__getstate__(), "_pipelines": {}}

    def prepare(self, corpus: Corpus, languages: Iterable[str]) -> None:
        """Build the pipelines of ``languages`` here, once: forked workers inherit them."""
        self._corpus, own = corpus, self._corpus
        try:
            for lang in languages:
                self.pipeline(lang)
        finally:
            self._corpus = own

    def pipeline(self, lang: str) -> tuple[Language, list[str], dict[str, str]]:
        """(pipeline, notes, versions) for ``lang``, built once."""
        if lang not in self._pipelines:
            try:
                names = self.names if self.strict else [n for n in self.names if applies_to(n, lang, self.offered)]
                nlp, notes = build_pipeline(lang, names, self._corpus, strict=self.strict,
                                            learned=self.learned.get(lang))
            except (QuoteRulesError, LabelMapError, RuntimeError, OSError) as exc:
                raise SuggesterError(str(exc)) from None
            versions = {name: nlp.get_pipe(name).version for name in nlp.pipe_names}
            self._pipelines[lang] = (nlp, notes, versions)
        return self._pipelines[lang]

    def run(self, chunk: tuple[str, list[int]]) -> ChunkResult:
        lang, doc_ids = chunk
        corpus = self._corpus
        assert corpus is not None, "start() first"
        nlp, notes, versions = self.pipeline(lang)
        result = ChunkResult(language=lang, versions=versions, notes=notes)
        stale: list[tuple[int, list[str]]] = []
        for doc_id in doc_ids:
            todo = [n for n, v in versions.items() if self.force or corpus.suggestion_version(doc_id, n) != v]
            if todo:
                stale.append((doc_id, todo))
            else:
                result.up_to_date += 1
        found_by_id: dict[int, list] = {}
        for needed, group in _by_needed_pipes(nlp, stale):
            texts = [(corpus.document(doc_id).text, (doc_id, todo)) for doc_id, todo in group]
            with nlp.select_pipes(enable=needed):
                for doc, (doc_id, todo) in nlp.pipe(texts, as_tuples=True, batch_size=self.batch_size):
                    found = suggestions_of(doc)
                    per_name = []
                    for name in todo:
                        got = found.get(name)
                        per_name.append((name, got.spans if got else [], got.quotes if got else [],
                                         got.index_terms if got else None))
                    found_by_id[doc_id] = per_name
        result.documents = [(doc_id, found_by_id[doc_id]) for doc_id, _ in stale]  # in document order
        return result


def _planned_chunks(corpus: Corpus, doc_ids: Iterable[int] | None, shard: Shard | None,
                    batch_size: int) -> tuple[int, list[tuple[str, list[int]]]]:
    """(documents considered, [(language, chunk of ids)]) in id order within each language."""
    keys = corpus.document_keys()
    if doc_ids is not None:
        by_id = {key.id: key for key in keys}
        wanted = list(dict.fromkeys(doc_ids))
        missing = [i for i in wanted if i not in by_id]
        if missing:
            raise KeyError(f"no document {missing[0]}")
        keys = [by_id[i] for i in wanted]
    if shard is not None:
        keys = [key for key in keys if shard.holds(key.content_hash)]
    by_lang: dict[str, list[int]] = {}
    for key in keys:
        by_lang.setdefault(key.language, []).append(key.id)
    chunks = [(lang, chunk) for lang, ids in by_lang.items() for chunk in chunked(ids, batch_size)]
    return len(keys), chunks


def _copy_document(corpus: Corpus, into: Corpus, doc_id: int) -> int:
    """The id in ``into`` of ``corpus``'s document ``doc_id`` (added there if missing)."""
    doc = corpus.document(doc_id)
    local = into.document_by_hash(doc.content_hash)
    if local is not None:
        return local.id
    record = DocumentRecord(text=doc.text, title=doc.title, source=doc.source, language=doc.language,
                            direction=doc.direction, meta=doc.meta)
    return into.add_documents([record], imported_from=str(corpus.path)).new_ids[0]


def run_suggesters(
    corpus: Corpus,
    suggesters: Sequence[str] | None = None,
    doc_ids: Iterable[int] | None = None,
    progress: ProgressCallback | None = None,
    force: bool = False,
    should_stop: Callable[[], bool] | None = None,
    batch_size: int = 64,
    *,
    jobs: int = 1,
    shard: Shard | None = None,
    into: Corpus | None = None,
    learned: dict[str, PreparedLearned] | None = None,
) -> RunSummary:
    """Run ``suggesters`` (default: all available) over ``doc_ids`` (default: every document).

    ``progress(done, total)`` is called after each chunk; ``should_stop()`` returning True ends the
    run after the chunks under way (what is stored stays stored). ``jobs`` worker processes share
    the work (1: this process only). ``shard`` keeps only that shard's documents; ``into`` stores
    the results (and the documents they belong to) in another corpus instead of ``corpus``.
    ``learned``: the learned names per language already prepared by the process that writes
    ``corpus`` (a shard run on a read-only copy, e.g. on a Dask worker); else they are prepared here.
    Raises :class:`SuggesterError` for an unknown suggester or a model that can't be loaded, and
    :class:`annotator.jobs.pool.WorkerDied` when a worker process is killed (every chunk stored
    before stays stored, whole; nothing of the others is).
    """
    started = time.perf_counter()
    names = list(dict.fromkeys(suggesters or available_suggesters(corpus)))
    _check_names(corpus, names)
    total, chunks = _planned_chunks(corpus, doc_ids, shard, batch_size)
    summary = RunSummary(documents=total, per_suggester={n: {"documents": 0, "spans": 0, "quotes": 0}
                                                          for n in names})
    languages = list(dict.fromkeys(lang for lang, _ in chunks))
    # The learned names of each language, brought up to date first: documents their change cannot
    # touch are marked up to date, so only the others re-run (see suggest.learned_state). Prepared
    # here, in the one process that writes; workers get them with the job (forked or pickled), and
    # learned results' index terms come back to this writer, which calls remember_words.
    if learned is None:
        learned = {lang: prepare_learned(corpus, lang) for lang in languages} if "learned" in names else {}
    # Named explicitly, every suggester must work; by default a broken registered model is skipped.
    job = SuggestJob(str(corpus.path), names, learned, strict=suggesters is not None, force=force,
                     batch_size=batch_size, corpus=corpus if jobs <= 1 else None,
                     offered=None if suggesters else offered_pipelines())
    job.prepare(corpus, languages)
    target = into or corpus
    notes: Counter = Counter()
    done = 0
    finished = 0
    if progress:
        progress(0, total)
    for result in map_chunks(job, chunks, jobs, should_stop=should_stop):
        for name, version in result.versions.items():
            summary.versions.setdefault(name, set()).add(version)
        chunk_size = result.up_to_date + len(result.documents)
        for note in result.notes:
            notes[note] += chunk_size
        with target.transaction():
            for doc_id, per_name in result.documents:
                local_id = _copy_document(corpus, into, doc_id) if into is not None else doc_id
                for name, spans, quotes, terms in per_name:
                    target.store_suggestions(local_id, name, result.versions[name], spans, quotes)
                    if into is None:  # the name index belongs to the corpus whose learned state made the version
                        remember_words(target, local_id, terms)
                    stats = summary.per_suggester[name]
                    stats["documents"] += 1
                    stats["spans"] += len(spans)
                    stats["quotes"] += len(quotes)
                    summary.spans += len(spans)
                    summary.quotes += len(quotes)
        summary.up_to_date += result.up_to_date
        summary.processed += len(result.documents)
        done += chunk_size
        finished += 1
        if progress:
            progress(done, total)
    summary.stopped = finished < len(chunks)
    summary.skipped = [f"{note} ({n} documents)" for note, n in notes.items()]
    summary.seconds = time.perf_counter() - started
    return summary

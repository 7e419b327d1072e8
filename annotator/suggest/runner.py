"""Run suggesters over a corpus and cache their results per document and suggester version.

The CLI (``annotator suggest``) and the UI's background worker both call :func:`run_suggesters`
(the UI with its own :class:`Corpus` connection in its thread). Documents are grouped by language,
each language gets one spaCy pipeline holding the chosen suggesters (entity suggesters first, so the
quote suggester can link speakers to entities), and documents go through ``nlp.pipe`` in batches.
A document is processed only when one of the chosen suggesters has no cached result for it or a
cached result from another version (``force`` re-runs everything). Results go to the suggestions
table only: they never count as an annotator's labels.

    summary = run_suggesters(corpus, ["quotes", "gazetteer"], progress=lambda done, total: None)
    print(summary.processed, summary.quotes, summary.spans)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language

import annotator.suggest.gazetteer  # noqa: F401  (registers the factories)
import annotator.suggest.learned  # noqa: F401
import annotator.suggest.model  # noqa: F401
import annotator.suggest.quotes  # noqa: F401
from annotator.core.tokenizer import new_nlp
from annotator.store.corpus import Corpus
from annotator.suggest.base import TextKeepingTokenizer, suggestions_of
from annotator.suggest.model import ModelLoadError
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
    """Built-in suggesters plus ``model:NAME`` for every pipeline registered in the corpus."""
    return list(BUILTIN_SUGGESTERS) + [MODEL_PREFIX + m["name"] for m in corpus.registered_models()
                                        if m.get("kind") != "quotes"]  # quote models serve `quotes`


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
                   learned_names: list | None = None, strict: bool = True) -> tuple[Language, list[str]]:
    """A pipeline for ``lang`` holding the suggesters ``names`` (in a working order).

    Returns the pipeline and the notes about suggesters left out (e.g. no quote rules for the
    language). A model that can't be loaded raises :class:`ModelLoadError`, or with
    ``strict=False`` is left out with a note.
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
            rows = learned_names if learned_names is not None else (corpus.entity_names() if corpus else [])
            nlp.add_pipe("annotator_learned", name=name, config={"names": [list(r) for r in rows]})
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
                nlp.add_pipe("annotator_model", name=name, config={"model": target})
            except ModelLoadError as exc:
                if strict:
                    raise
                notes.append(f"{name}: {exc}")
    return nlp, notes


def run_suggesters(
    corpus: Corpus,
    suggesters: Sequence[str] | None = None,
    doc_ids: Iterable[int] | None = None,
    progress: ProgressCallback | None = None,
    force: bool = False,
    should_stop: Callable[[], bool] | None = None,
    batch_size: int = 64,
) -> RunSummary:
    """Run ``suggesters`` (default: all available) over ``doc_ids`` (default: every document).

    ``progress(done, total)`` is called after each batch; ``should_stop()`` returning True ends the
    run after the current batch (what is stored stays stored). Raises :class:`SuggesterError` for an
    unknown suggester or a model that can't be loaded.
    """
    started = time.perf_counter()
    names = list(dict.fromkeys(suggesters or available_suggesters(corpus)))
    _check_names(corpus, names)
    ids = list(doc_ids) if doc_ids is not None else corpus.document_ids()
    summary = RunSummary(documents=len(ids), per_suggester={n: {"documents": 0, "spans": 0, "quotes": 0}
                                                             for n in names})
    learned_names = corpus.entity_names() if "learned" in names else None
    by_lang: dict[str, list[int]] = {}
    for doc_id in ids:
        by_lang.setdefault(corpus.document(doc_id).language, []).append(doc_id)
    done = 0
    total = len(ids)
    if progress:
        progress(0, total)
    for lang, lang_ids in by_lang.items():
        try:
            # Named explicitly, every suggester must work; by default a broken registered model is skipped.
            nlp, notes = build_pipeline(lang, names, corpus, learned_names, strict=suggesters is not None)
        except (QuoteRulesError, RuntimeError, OSError) as exc:
            raise SuggesterError(str(exc)) from None
        summary.skipped.extend(f"{note} ({len(lang_ids)} documents)" for note in notes)
        versions = {name: nlp.get_pipe(name).version for name in nlp.pipe_names}
        for name, version in versions.items():
            summary.versions.setdefault(name, set()).add(version)
        stale: list[tuple[int, list[str]]] = []
        for doc_id in lang_ids:
            todo = [n for n, v in versions.items() if force or corpus.suggestion_version(doc_id, n) != v]
            if todo:
                stale.append((doc_id, todo))
            else:
                summary.up_to_date += 1
                done += 1
        if progress:
            progress(done, total)
        for start in range(0, len(stale), batch_size):
            if should_stop and should_stop():
                summary.stopped = True
                break
            batch = stale[start : start + batch_size]
            texts = [(corpus.document(doc_id).text, (doc_id, todo)) for doc_id, todo in batch]
            results = []
            for doc, (doc_id, todo) in nlp.pipe(texts, as_tuples=True, batch_size=batch_size):
                found = suggestions_of(doc)
                results.append((doc_id, [(n, found.get(n)) for n in todo]))
            with corpus.transaction():
                for doc_id, per_name in results:
                    for name, result in per_name:
                        spans = result.spans if result else []
                        quotes = result.quotes if result else []
                        corpus.store_suggestions(doc_id, name, versions[name], spans, quotes)
                        stats = summary.per_suggester[name]
                        stats["documents"] += 1
                        stats["spans"] += len(spans)
                        stats["quotes"] += len(quotes)
                        summary.spans += len(spans)
                        summary.quotes += len(quotes)
            summary.processed += len(batch)
            done += len(batch)
            if progress:
                progress(done, total)
        if summary.stopped:
            break
    summary.seconds = time.perf_counter() - started
    return summary

"""Entity (and quote-part) suggestions from any trained spaCy pipeline.

The pipeline is given by path or installed package name (``en_core_web_sm``, ``models/ner-v3``),
by the name of a pipeline shipped in ``resources/models/`` (``ar_news_ner``), or registered in the
corpus by ``annotator train`` (:meth:`Corpus.registered_models`). Shipped and installed pipelines
are offered for the documents of their language without being named (:mod:`.pipelines`).

Its ``doc.ents`` and span groups become suggestions, their labels mapped to the corpus's schema
(:mod:`.label_maps`: OntoNotes' ``PERSON`` -> ``PER`` ...; labels mapped to nothing are left out).
Scores come from a span group's ``attrs["scores"]`` (spancat) when the pipeline gives them; an
entity of ``doc.ents`` scores the pipeline's own dev precision for that label (``meta.json``'s
``performance.ents_per_type``), i.e. how often such a proposal was right, else no score. The model
may tokenize differently: every span is snapped to the shared tokenizer's tokens so suggestions stay
token-aligned. Span-group spans labelled ``content`` become quotes (content only, typed by their
quote marks).
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import tee
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.snapping import TokenIndex
from annotator.core.spans import Quote, Range, Span
from annotator.suggest.base import fingerprint, put_suggestions
from annotator.suggest.entity_scores import entity_score, pipe_with_entity_scores
from annotator.suggest.label_maps import (
    CORPUS_SETTING,
    LabelMap,
    corpus_overrides,
    effective_map,
    label_map_for,
)
from annotator.suggest.pipelines import entity_labels, shipped_path
from annotator.suggest.quote_model import is_quote_model, quotes_from_prediction

CODE_VERSION = "2"
QUOTE_ROLES = ("content", "cue", "source")
OPENING_MARKS = set("«“„\"‘")


class ModelLoadError(RuntimeError):
    """The named pipeline can't be loaded."""


_LOADED: dict[tuple[str, object], Language] = {}
_LOADING = threading.Lock()


def resolve_target(model: str) -> str:
    """What ``spacy.load`` takes for ``model``: a shipped pipeline's folder, else ``model`` itself."""
    shipped = shipped_path(model)
    return str(shipped) if shipped is not None and not Path(model).exists() else model


def _stamp(target: str) -> object:
    """Changes when the pipeline folder changes (None for a package: its version says it)."""
    path = Path(target)
    if not path.exists():
        return None
    files = [p for p in path.rglob("*") if p.is_file()]
    return max((p.stat().st_mtime_ns for p in files), default=0), len(files)


def load_pipeline(model: str) -> Language:
    """The pipeline ``model`` (folder, package or shipped name), loaded once per process while unchanged."""
    target = resolve_target(model)
    key = (target, _stamp(target))
    with _LOADING:
        if key in _LOADED:
            return _LOADED[key]
        try:
            nlp = spacy.load(target)
        except OSError as exc:
            raise ModelLoadError(f"can't load spaCy pipeline {model!r}: not an installed package or a pipeline "
                                 f"folder ({exc})") from None
        except (ValueError, KeyError, ImportError) as exc:
            raise ModelLoadError(f"can't load spaCy pipeline {model!r}: {exc}") from None
        _LOADED[key] = nlp
        return nlp


def model_version(model: str, nlp: Language, label_map: LabelMap | None = None) -> str:
    meta = nlp.meta
    target = resolve_target(model)
    # A shipped pipeline is identified by its meta (its files' times change with every checkout).
    stamp = None if shipped_path(model) is not None and target != model else _stamp(target)
    parts = (meta.get("name"), meta.get("version"), str(model), stamp, sorted((label_map or {}).items()))
    return f"model-{CODE_VERSION}+{fingerprint(*parts)}"


def pipeline_labels(nlp: Language) -> list[str]:
    """The entity and span labels a loaded pipeline can predict."""
    labels = list(entity_labels(nlp.meta))
    for name in nlp.pipe_names:
        component = nlp.get_pipe(name)
        found = getattr(component, "labels", None)
        if name.startswith("ner") or name in ("entity_ruler", "span_ruler", "spancat"):
            labels.extend(found or [])
    return list(dict.fromkeys(labels))


def label_map_of(meta: dict, labels: list[str], schema: list[str] | None,
                 overrides: LabelMap | None = None) -> tuple[str | None, LabelMap]:
    """(map name, pipeline label -> corpus label or None) for a pipeline (see :mod:`.label_maps`)."""
    labels = [label for label in labels if label not in QUOTE_ROLES]
    declared = (meta.get("annotator") or {}).get("label_map")
    name, base = label_map_for(labels, declared)
    if schema is None:  # no corpus: map what the map knows, keep the rest
        return name, {label: ({**base, **(overrides or {})}).get(label, label) for label in labels}
    return name, effective_map(labels, schema, base, overrides)


def suggester_label_map(nlp: Language, schema: list[str] | None, overrides: LabelMap | None = None) -> LabelMap:
    """Pipeline label -> corpus label (or None: left out) for a loaded pipeline."""
    return label_map_of(nlp.meta, pipeline_labels(nlp), schema, overrides)[1]


def label_precision(meta: dict) -> dict[str, float]:
    """Dev precision per entity label from a pipeline's ``meta.json`` (``performance.ents_per_type``)."""
    per_type = (meta.get("performance") or {}).get("ents_per_type") or {}
    found = {}
    for label, figures in per_type.items():
        if isinstance(figures, dict) and isinstance(figures.get("p"), int | float):
            found[label] = round(float(figures["p"]), 3)
    return found


def model_config(corpus, suggester: str, target: str) -> dict:
    """The ``annotator_model`` config for ``suggester`` in ``corpus``: its schema and label-map overrides."""
    if corpus is None:
        return {"model": target}
    overrides = corpus_overrides(corpus.setting(CORPUS_SETTING), suggester)
    return {"model": target, "schema": corpus.labels.entity_names, "label_overrides": overrides}


# A name never starts or ends with these tokens. Pipelines trained on corpora whose own tokens hold
# periods (ANERcorp's abbreviations, split by the shared tokenizer) sometimes run an entity over a
# sentence's final period ("وبغداد." -> "وبغداد"), or start one at a handle's "@" ("@ حصة عبدالرحمن").
EDGE_PUNCTUATION = frozenset(".,،;؛:?؟!-–—@()[]«»\"'“”‘’")


def trimmed(text: str, found: tuple[int, int], bounds: list[tuple[int, int]]) -> tuple[int, int] | None:
    """``found`` (token-aligned) without punctuation or whitespace tokens at either end; None if nothing is left."""
    first = bisect_left(bounds, (found[0], -1))
    last = bisect_left(bounds, (found[1], -1)) - 1  # the last token starting before the span's end

    def edge(i: int) -> bool:
        piece = text[bounds[i][0] : bounds[i][1]]
        return piece in EDGE_PUNCTUATION or piece.isspace()

    while first <= last and edge(last):
        last -= 1
    while first <= last and edge(first):
        first += 1
    return (bounds[first][0], bounds[last][1]) if first <= last else None


class ModelSuggester:
    """spaCy component wrapping another pipeline."""

    def __init__(self, nlp: Language, name: str, model: str, batch_size: int, schema: list[str] | None = None,
                 label_overrides: LabelMap | None = None):
        self.name = name
        self.model_name = model
        self.model = load_pipeline(model)
        self.batch_size = batch_size
        self.label_map = suggester_label_map(self.model, schema, label_overrides)
        self.precision = label_precision(self.model.meta)
        self.version = model_version(model, self.model, self.label_map)
        # Models trained in the loop ask for beam-search entity scores (how sure the model is of each).
        self.beam_scores = (self.model.meta.get("annotator") or {}).get("entity_scores") == "beam"

    def _label(self, label: str) -> str | None:
        return self.label_map.get(label, label)

    def _convert(self, doc: Doc, predicted: Doc) -> None:
        text = doc.user_data.get("annotator_text") or doc.text
        bounds = [(t.idx, t.idx + len(t.text)) for t in doc]
        index = TokenIndex(bounds)
        if is_quote_model(self.model):  # its entities are quote roles: quotes, not entity suggestions
            put_suggestions(doc, self.name, [], quotes_from_prediction(text, predicted, index, self.model))
            return
        spans: list[Span] = []
        quotes: list[Quote] = []
        taken: list[tuple[int, int]] = []

        def snap(start: int, end: int) -> tuple[int, int] | None:
            found = index.snap(start, end)
            return trimmed(text, found, bounds) if found else None

        for ent in predicted.ents:
            label = self._label(ent.label_)
            found = snap(ent.start_char, ent.end_char) if label else None
            if found and not any(found[0] < e and s < found[1] for s, e in taken):
                beam = entity_score(predicted, ent.start_char, ent.end_char, ent.label_)
                score = beam if beam is not None else self.precision.get(ent.label_)
                spans.append(Span(found[0], found[1], label, origin="accepted", suggester=self.name, score=score))
                taken.append(found)
        for group in predicted.spans.values():
            scores = group.attrs.get("scores") if hasattr(group, "attrs") else None
            for i, span in enumerate(group):
                quote_part = span.label_ in QUOTE_ROLES  # a quote's content keeps its final period
                found = index.snap(span.start_char, span.end_char) if quote_part else snap(span.start_char,
                                                                                           span.end_char)
                if not found:
                    continue
                score = round(float(scores[i]), 3) if scores is not None and i < len(scores) else None
                if quote_part:
                    if span.label_ == "content":
                        before = text[found[0] - 1 : found[0]] if found[0] else ""
                        qtype = "direct" if before in OPENING_MARKS else "indirect"
                        quotes.append(Quote(contents=(Range(*found),), type=qtype, score=score))
                    continue
                label = self._label(span.label_)
                if not label or any(found[0] < e and s < found[1] for s, e in taken):
                    continue  # left out by the label map, or overlapping: entities never overlap, doc.ents wins
                spans.append(Span(found[0], found[1], label, origin="accepted", suggester=self.name, score=score))
                taken.append(found)
        spans.sort(key=lambda s: s.start)
        put_suggestions(doc, self.name, spans, quotes)

    def _predict(self, texts: Iterable[str], batch_size: int) -> Iterator[Doc]:
        if self.beam_scores:
            return pipe_with_entity_scores(self.model, texts, batch_size=batch_size)
        return self.model.pipe(texts, batch_size=batch_size)

    def __call__(self, doc: Doc) -> Doc:
        self._convert(doc, next(iter(self._predict([doc.text], 1))))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        mine, texts = tee(docs)
        predicted = self._predict((d.text for d in texts), batch_size or self.batch_size)
        for doc, pred in zip(mine, predicted, strict=True):
            self._convert(doc, pred)
            yield doc


@Language.factory("annotator_model", default_config={"model": "", "batch_size": 32, "schema": None,
                                                      "label_overrides": {}})
def make_model_suggester(nlp: Language, name: str, model: str, batch_size: int, schema: list[str] | None,
                         label_overrides: dict) -> ModelSuggester:
    """``model``: a pipeline folder, an installed package or a shipped pipeline's name; ``schema``: the
    corpus's entity labels (labels outside it that no map sends into it are left out)."""
    return ModelSuggester(nlp, name, model, batch_size, schema, label_overrides)

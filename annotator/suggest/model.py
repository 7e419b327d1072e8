"""Entity (and quote-part) suggestions from any trained spaCy pipeline.

The pipeline is given by path or installed package name (``en_core_web_sm``, ``models/ner-v3``),
or registered in the corpus by ``annotator train`` (:meth:`Corpus.registered_models`). Its
``doc.ents`` and span groups become suggestions; scores come from a span group's
``attrs["scores"]`` (spancat) when the pipeline gives them. The model may tokenize differently:
every span is snapped to the shared tokenizer's tokens so suggestions stay token-aligned.
Span-group spans labelled ``content`` become quotes (content only, typed by their quote marks).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import tee
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.snapping import TokenIndex
from annotator.core.spans import Quote, Range, Span
from annotator.suggest.base import fingerprint, put_suggestions
from annotator.suggest.quote_model import is_quote_model, quotes_from_prediction

CODE_VERSION = "1"
QUOTE_ROLES = ("content", "cue", "source")
OPENING_MARKS = set("«“„\"‘")


class ModelLoadError(RuntimeError):
    """The named pipeline can't be loaded."""


def load_pipeline(model: str) -> Language:
    try:
        return spacy.load(model)
    except OSError as exc:
        raise ModelLoadError(f"can't load spaCy pipeline {model!r}: not an installed package or a pipeline folder "
                             f"({exc})") from None


def model_version(model: str, nlp: Language) -> str:
    meta = nlp.meta
    stamp = None
    path = Path(model)
    if path.exists():
        files = [p for p in path.rglob("*") if p.is_file()]
        stamp = max((p.stat().st_mtime_ns for p in files), default=0)
    return f"model-{CODE_VERSION}+{fingerprint(meta.get('name'), meta.get('version'), str(model), stamp)}"


class ModelSuggester:
    """spaCy component wrapping another pipeline."""

    def __init__(self, nlp: Language, name: str, model: str, batch_size: int):
        self.name = name
        self.model_name = model
        self.model = load_pipeline(model)
        self.batch_size = batch_size
        self.version = model_version(model, self.model)

    def _convert(self, doc: Doc, predicted: Doc) -> None:
        index = TokenIndex([(t.idx, t.idx + len(t.text)) for t in doc])
        if is_quote_model(self.model):  # its entities are quote roles: quotes, not entity suggestions
            put_suggestions(doc, self.name, [], quotes_from_prediction(doc.text, predicted, index, self.model))
            return
        spans: list[Span] = []
        quotes: list[Quote] = []
        taken: list[tuple[int, int]] = []

        def snap(start: int, end: int) -> tuple[int, int] | None:
            return index.snap(start, end)

        for ent in predicted.ents:
            found = snap(ent.start_char, ent.end_char)
            if found:
                spans.append(Span(found[0], found[1], ent.label_, origin="accepted", suggester=self.name, score=None))
                taken.append(found)
        for group in predicted.spans.values():
            scores = group.attrs.get("scores") if hasattr(group, "attrs") else None
            for i, span in enumerate(group):
                found = snap(span.start_char, span.end_char)
                if not found:
                    continue
                score = round(float(scores[i]), 3) if scores is not None and i < len(scores) else None
                if span.label_ in QUOTE_ROLES:
                    if span.label_ == "content":
                        before = doc.text[found[0] - 1 : found[0]] if found[0] else ""
                        qtype = "direct" if before in OPENING_MARKS else "indirect"
                        quotes.append(Quote(contents=(Range(*found),), type=qtype, score=score))
                    continue
                if any(found[0] < e and s < found[1] for s, e in taken):
                    continue  # entities never overlap: doc.ents wins
                spans.append(Span(found[0], found[1], span.label_, origin="accepted", suggester=self.name, score=score))
                taken.append(found)
        spans.sort(key=lambda s: s.start)
        put_suggestions(doc, self.name, spans, quotes)

    def __call__(self, doc: Doc) -> Doc:
        self._convert(doc, self.model(doc.text))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        mine, texts = tee(docs)
        predicted = self.model.pipe((d.text for d in texts), batch_size=batch_size or self.batch_size)
        for doc, pred in zip(mine, predicted, strict=True):
            self._convert(doc, pred)
            yield doc


@Language.factory("annotator_model", default_config={"model": "", "batch_size": 32})
def make_model_suggester(nlp: Language, name: str, model: str, batch_size: int) -> ModelSuggester:
    """``model``: a pipeline folder or an installed package name."""
    return ModelSuggester(nlp, name, model, batch_size)

"""Quotes proposed by a trained quote model: a spaCy pipeline whose ``ner`` tags quote roles.

A quote model (``annotator train --quotes-only``; see :mod:`annotator.train.quote_model`) labels
tokens ``CONTENT``, ``CUE`` or ``SOURCE``: a tag sequence, as PolNeAR is univocal (one role per
token, each token in at most one attribution). :func:`group_roles` turns one document's role spans
into quotes, within a paragraph:

- every content goes to the nearest cue of its sentence, else to the nearest earlier cue of the
  paragraph, else the next one: a quote split around its attribution (``"…," she said. "…"``)
  has one cue and both parts;
- every cue takes the nearest source that no nearer cue took;
- a content with no cue in its paragraph is a quote of its own (no cue, no source);
  cues and sources that no content reaches propose nothing.

The type is read from the quote marks (:func:`annotator.core.quote_type.infer_quote_type`). The
score of a quote is the precision its shape (content with cue and source, with a cue only, content
only) had on the model's own dev split, measured when it was trained and kept in its ``meta.json``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.quote_type import infer_quote_type
from annotator.core.snapping import TokenIndex
from annotator.core.spans import Quote, Range

QUOTE_MODEL_KEY = "annotator_quote_model"
ROLE_LABELS = {"CONTENT": "content", "CUE": "cue", "SOURCE": "source"}
SHAPES = ("cue_source", "cue", "bare")
DEFAULT_SCORES = {"cue_source": 0.7, "cue": 0.6, "bare": 0.4}
SENTENCE_PENALTY = 400  # characters a sentence boundary counts for when pairing roles
_SENTENCE_END = re.compile(r"[.!?؟]+[\"'”’»)]*\s+")


@dataclass(frozen=True)
class RoleSpan:
    """A predicted role: ``[start, end)`` in code points and ``content``, ``cue`` or ``source``."""

    start: int
    end: int
    role: str


def is_quote_model(nlp: Language) -> bool:
    """True for a pipeline trained as a quote model (its meta says so)."""
    return bool(nlp.meta.get(QUOTE_MODEL_KEY))


def model_scores(nlp: Language) -> dict[str, float]:
    """Score per quote shape from the model's meta (measured precision on its dev split)."""
    stored = (nlp.meta.get(QUOTE_MODEL_KEY) or {}).get("scores") or {}
    return {shape: float(stored.get(shape, DEFAULT_SCORES[shape])) for shape in SHAPES}


def shape_of(quote: Quote) -> str:
    if quote.cue and quote.sources:
        return "cue_source"
    return "cue" if quote.cue else "bare"


def predicted_roles(nlp: Language, text: str, index: TokenIndex | None = None) -> list[RoleSpan]:
    """The model's role spans in ``text``, snapped to ``index``'s tokens when given."""
    return roles_of(nlp(text), index)


def quotes_from_prediction(text: str, predicted: Doc, index: TokenIndex | None, nlp: Language) -> list[Quote]:
    """The quotes of a quote model's ``Doc`` (``model:PATH`` of a quote model comes here)."""
    return group_roles(text, roles_of(predicted, index), model_scores(nlp))


def roles_of(doc: Doc, index: TokenIndex | None = None) -> list[RoleSpan]:
    out = []
    for ent in doc.ents:
        role = ROLE_LABELS.get(ent.label_)
        if role is None:
            continue
        bounds = index.snap(ent.start_char, ent.end_char) if index is not None else (ent.start_char, ent.end_char)
        if bounds:
            out.append(RoleSpan(bounds[0], bounds[1], role))
    return out


class _Layout:
    """Paragraph and sentence numbers of character offsets."""

    def __init__(self, text: str) -> None:
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.sentence_starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]

    def paragraph(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    def sentence(self, offset: int) -> int:
        return bisect_right(self.sentence_starts, offset) + 1000 * self.paragraph(offset)

    def distance(self, a: RoleSpan, b: RoleSpan) -> int:
        gap = max(0, max(a.start, b.start) - min(a.end, b.end))
        first, second = (a, b) if a.start <= b.start else (b, a)
        return gap + SENTENCE_PENALTY * abs(self.sentence(second.start) - self.sentence(first.end - 1))


def group_roles(text: str, roles: Sequence[RoleSpan], scores: dict[str, float] | None = None,
                suggester: str | None = None) -> list[Quote]:
    """Quotes from one document's role spans (see the module docstring)."""
    scores = scores or DEFAULT_SCORES
    layout = _Layout(text)
    by_paragraph: dict[int, list[RoleSpan]] = {}
    for span in sorted(roles, key=lambda r: (r.start, r.end)):
        by_paragraph.setdefault(layout.paragraph(span.start), []).append(span)
    quotes: list[Quote] = []
    for spans in by_paragraph.values():
        cues = [s for s in spans if s.role == "cue"]
        contents = [s for s in spans if s.role == "content"]
        sources = [s for s in spans if s.role == "source"]
        parts: dict[RoleSpan, list[RoleSpan]] = {}
        alone: list[RoleSpan] = []
        for content in contents:
            cue = _cue_for(content, cues, layout)
            if cue is None:
                alone.append(content)
            else:
                parts.setdefault(cue, []).append(content)
        speaker: dict[RoleSpan, RoleSpan] = {}
        taken: set[RoleSpan] = set()
        candidates = sorted((layout.distance(s, c), s.start, c.start, s, c) for s in sources for c in parts)
        for _, _, _, source, cue in candidates:
            if source in taken or cue in speaker:
                continue
            speaker[cue] = source
            taken.add(source)
        for cue, found in parts.items():
            source = speaker.get(cue)
            quotes.append(_quote(text, found, cue, source, scores, suggester))
        quotes.extend(_quote(text, [content], None, None, scores, suggester) for content in alone)
    return sorted(quotes, key=lambda q: (q.start, q.end))


def _cue_for(content: RoleSpan, cues: list[RoleSpan], layout: _Layout) -> RoleSpan | None:
    """The nearest cue of the content's sentence; else the nearest earlier cue of the paragraph
    (the quote goes on after its attribution); else the nearest later one."""
    if not cues:
        return None
    here = layout.sentence(content.start)
    same = [c for c in cues if layout.sentence(c.start) == here]
    if same:
        return min(same, key=lambda c: layout.distance(c, content))
    earlier = [c for c in cues if c.end <= content.start]
    if earlier:
        return max(earlier, key=lambda c: c.end)
    return min(cues, key=lambda c: c.start)


def _quote(text: str, contents: list[RoleSpan], cue: RoleSpan | None, source: RoleSpan | None,
           scores: dict[str, float], suggester: str | None) -> Quote:
    ranges = tuple(Range(c.start, c.end) for c in sorted(contents, key=lambda c: c.start))
    shape = "cue_source" if cue and source else ("cue" if cue else "bare")
    return Quote(
        contents=ranges,
        cue=Range(cue.start, cue.end) if cue else None,
        sources=(Range(source.start, source.end),) if source else (),
        type=infer_quote_type(text, ranges),
        suggester=suggester,
        score=round(float(scores.get(shape, DEFAULT_SCORES[shape])), 3),
    )

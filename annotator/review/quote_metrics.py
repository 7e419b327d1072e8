"""Matching and comparing two annotators' quotes (content, cue, source, type).

Quotes are matched one-to-one by their content: the pair sharing the most content code
points first. A matched pair then agrees or differs on each aspect:

- ``content``: the same content ranges (a split quote must be split the same way);
- ``cue``: the same cue range, or both without a cue;
- ``source``: the same source ranges, or both without a source;
- ``type``: direct / indirect / mixed;
- ``entity``: the same linked entity range, or both without one.

>>> from annotator.core.spans import Quote, Range
>>> a = [Quote(contents=(Range(10, 30),), cue=Range(0, 4))]
>>> b = [Quote(contents=(Range(12, 30),), cue=Range(0, 4), type="indirect")]
>>> m = match_quotes(a, b)
>>> m.pairs[0].differences
('content', 'type')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from annotator.core.spans import Quote, Range
from annotator.review.span_metrics import match_counts, scores

ASPECTS = ("content", "cue", "source", "type", "entity")


def _ranges(ranges: Sequence[Range]) -> tuple[tuple[int, int], ...]:
    return tuple(sorted((r.start, r.end) for r in ranges))


def _shared(a: Sequence[Range], b: Sequence[Range]) -> int:
    return sum(max(0, min(x.end, y.end) - max(x.start, y.start)) for x in a for y in b)


def quote_differences(a: Quote, b: Quote) -> tuple[str, ...]:
    """The aspects (from :data:`ASPECTS`) on which two quotes differ, in that order."""
    out = []
    if _ranges(a.contents) != _ranges(b.contents):
        out.append("content")
    cue_a = (a.cue.start, a.cue.end) if a.cue else None
    cue_b = (b.cue.start, b.cue.end) if b.cue else None
    if cue_a != cue_b:
        out.append("cue")
    if _ranges(a.sources) != _ranges(b.sources):
        out.append("source")
    if a.type != b.type:
        out.append("type")
    ent_a = (a.entity.start, a.entity.end) if a.entity else None
    ent_b = (b.entity.start, b.entity.end) if b.entity else None
    if ent_a != ent_b:
        out.append("entity")
    return tuple(out)


@dataclass(frozen=True)
class QuotePair:
    a: Quote
    b: Quote
    differences: tuple[str, ...]

    @property
    def agree(self) -> bool:
        return not self.differences


@dataclass
class QuoteMatch:
    """The result of :func:`match_quotes`: matched pairs and the quotes left alone."""

    pairs: list[QuotePair] = field(default_factory=list)
    only_a: list[Quote] = field(default_factory=list)
    only_b: list[Quote] = field(default_factory=list)

    def counts(self) -> Counter:
        """``agree``, ``only_a``, ``only_b`` and one count per differing aspect (``content`` …)."""
        c: Counter = Counter()
        c["agree"] = sum(1 for p in self.pairs if p.agree)
        c["matched"] = len(self.pairs)
        c["only_a"] = len(self.only_a)
        c["only_b"] = len(self.only_b)
        for p in self.pairs:
            for aspect in p.differences:
                c[aspect] += 1
        return c

    @property
    def disagreement_count(self) -> int:
        """Quote items needing a decision: differing pairs plus lone quotes."""
        return sum(1 for p in self.pairs if not p.agree) + len(self.only_a) + len(self.only_b)


def match_quotes(a: Sequence[Quote], b: Sequence[Quote]) -> QuoteMatch:
    """Pair quotes of A and B one-to-one by shared content (largest overlap first)."""
    candidates = []
    for i, qa in enumerate(a):
        for j, qb in enumerate(b):
            if qa.start >= qb.end or qb.start >= qa.end:
                continue
            shared = _shared(qa.contents, qb.contents)
            if shared:
                distance = abs(qa.start - qb.start) + abs(qa.end - qb.end)
                candidates.append((-shared, distance, qa.start, i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    result = QuoteMatch()
    for _, _, _, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        result.pairs.append(QuotePair(a[i], b[j], quote_differences(a[i], b[j])))
    result.pairs.sort(key=lambda p: (min(p.a.start, p.b.start), p.a.end))
    result.only_a = sorted((q for i, q in enumerate(a) if i not in used_a), key=lambda q: (q.start, q.end))
    result.only_b = sorted((q for j, q in enumerate(b) if j not in used_b), key=lambda q: (q.start, q.end))
    return result


def role_spans(quotes: Sequence[Quote]) -> list[tuple[int, int, str]]:
    """Every quote part as a ``(start, end, role)`` span, for span P/R/F1 per role."""
    return [(r.start, r.end, role) for q in quotes for role, r in q.parts()]


# -- scoring predicted quotes against gold quotes (``annotator evaluate``) --------------------------

# What "exact" ignores at the edges of a content part: corpora differ on whether the quote marks,
# the comma inside them and surrounding spaces belong to the content (PolNeAR keeps them, our
# guidelines do not); the words must be the same.
EDGE_MARKS = " \t\n\u00a0\"'«»“”„‘’‹›.,،;؛:!?؟—–-…"


def _trim(r: Range, text: str | None) -> tuple[int, int]:
    if text is None:
        return (r.start, r.end)
    start, end = r.start, r.end
    while start < end and text[start] in EDGE_MARKS:
        start += 1
    while end > start and text[end - 1] in EDGE_MARKS:
        end -= 1
    return (start, end) if end > start else (r.start, r.end)


def _parts(quote: Quote, text: str | None) -> tuple[tuple[int, int], ...]:
    return tuple(sorted(_trim(r, text) for r in quote.contents))


@dataclass
class AttributionScores:
    """Whole-quote figures of predicted quotes against gold quotes, summed over documents.

    Quotes are paired one-to-one by shared content (:func:`match_quotes`). ``content_overlap``
    counts a pair as found; ``content_exact`` needs the same content parts. ``cue`` and ``source``
    score the ranges of every quote (each distinct range once per document), exact and by overlap.
    Exact comparisons ignore quote marks, punctuation and spaces at the edges of a range
    (``says:`` is the cue ``says``; ``Flynn, a surrogate,`` the source ``Flynn, a surrogate``). On the pairs: ``type``
    agreement, and *source accuracy*: of the pairs whose gold quote has a source, the share whose
    predicted source overlaps it (``exact``: is the same range).
    """

    gold: int = 0
    pred: int = 0
    matched: int = 0
    exact: int = 0
    same_type: int = 0
    with_source: int = 0
    source_overlap: int = 0
    source_exact: int = 0
    ranges: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in (
        "cue_exact", "cue_overlap", "source_exact", "source_overlap")})

    def add(self, gold: Sequence[Quote], pred: Sequence[Quote], text: str | None = None) -> QuoteMatch:
        """Score one document's quotes; ``text`` lets exact content ignore marks at the edges."""
        match = match_quotes(gold, pred)
        self.gold += len(gold)
        self.pred += len(pred)
        self.matched += len(match.pairs)
        for pair in match.pairs:
            g, p = pair.a, pair.b
            self.exact += _parts(g, text) == _parts(p, text)
            self.same_type += g.type == p.type
            if g.sources:
                self.with_source += 1
                self.source_exact += sorted(_trim(r, text) for r in g.sources) == sorted(_trim(r, text)
                                                                                         for r in p.sources)
                self.source_overlap += _shared(g.sources, p.sources) > 0
        for role in ("cue", "source"):
            def spans(quotes: Sequence[Quote], role: str = role) -> list[tuple[int, int, str]]:
                return sorted({(*_trim(r, text), role) for q in quotes for name, r in q.parts() if name == role})
            for mode in ("exact", "overlap"):
                for counts in match_counts(spans(gold), spans(pred), mode).values():
                    self.ranges[f"{role}_{mode}"].update(counts)
        return match

    def merge(self, other: AttributionScores) -> None:
        """Add another set of documents' figures to these (e.g. from a worker process)."""
        for name in ("gold", "pred", "matched", "exact", "same_type", "with_source", "source_overlap",
                     "source_exact"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, counts in other.ranges.items():
            self.ranges.setdefault(key, Counter()).update(counts)

    def as_dict(self) -> dict:
        def ratio(n: int, d: int) -> float:
            return n / d if d else 0.0

        out = {
            "gold": self.gold,
            "pred": self.pred,
            "content_overlap": scores(self.matched, self.pred - self.matched, self.gold - self.matched),
            "content_exact": scores(self.exact, self.pred - self.exact, self.gold - self.exact),
        }
        for key, c in self.ranges.items():
            out[key] = scores(c["tp"], c["fp"], c["fn"])
        out["type_accuracy"] = ratio(self.same_type, self.matched)
        out["source_accuracy"] = {"quotes": self.with_source, "overlap": ratio(self.source_overlap, self.with_source),
                                  "exact": ratio(self.source_exact, self.with_source)}
        return out

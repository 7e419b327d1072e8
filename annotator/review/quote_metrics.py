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

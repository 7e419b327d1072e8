"""One proposal per place: how the entity suggestions of every suggester are combined.

The gazetteer, the learned names and any number of models (``model:…``, ``labelstudio:…``) propose
entities independently; the window shows, accept-all accepts and ``annotator evaluate`` scores
what :func:`combine` keeps. The rule, in this order:

1. **Agreement.** Proposals of the same range and label are one proposal. Its score is the
   noisy-OR of theirs, ``1 − Π(1 − sᵢ)`` (two suggesters at 0.6 make 0.84); its suggester reads
   ``gazetteer+learned`` (best first). An unscored proposal (a model's ``doc.ents``) counts as
   :data:`UNSCORED`.
2. **One label per range.** Of proposals of the same range with different labels, the one with
   the most suggesters agreeing wins, then the best score.
3. **A name inside a longer name.** A proposal inside a longer one with another label (the place
   in ``جامعة نجران``, ``النيل للطيران``, ``الداخلية السعودية``) is not proposed separately: the
   longer one wins, unless more suggesters agree on the inner one than on the outer one.
4. **Other overlaps** (the same label nested, or crossing boundaries): the most suggesters
   agreeing wins, then the better score, then the longer span, then the earlier one.
5. An inner proposal left out by rule 3 comes back if the proposal that hid it lost to another
   (rule 4) and nothing kept overlaps it.

The result never overlaps itself, is sorted by position, and each kept proposal keeps the id of
its best-scored member, so deciding on it decides on its range and label. :func:`pending_entities`
is what the window shows: the combination less what the annotator already decided.

>>> from annotator.core.spans import Span
>>> found = combine([Span(0, 11, "ORG", suggester="model:ar", score=0.6),
...                  Span(6, 11, "GPE", suggester="gazetteer", score=0.85),
...                  Span(20, 25, "PER", suggester="gazetteer", score=0.9),
...                  Span(20, 25, "PER", suggester="learned", score=0.8)])
>>> [(s.start, s.end, s.label, s.suggester, s.score) for s in found]
[(0, 11, 'ORG', 'model:ar', 0.6), (20, 25, 'PER', 'gazetteer+learned', 0.98)]
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.spans import Span

UNSCORED = 0.5
JOIN = "+"


@dataclass
class _Proposal:
    span: Span  # the best-scored member, with the combined score and suggesters
    support: int  # how many suggesters agree on this range and label

    @property
    def length(self) -> int:
        return self.span.end - self.span.start

    def strictly_inside(self, other: _Proposal) -> bool:
        return (other.span.start <= self.span.start and self.span.end <= other.span.end
                and self.length < other.length)

    def rank(self) -> tuple:
        """Rule 4's order: more agreement, better score, longer, earlier."""
        return (-self.support, -(self.span.score or 0.0), -self.length, self.span.start, self.span.label)


def _score(span: Span) -> float:
    return UNSCORED if span.score is None else float(span.score)


def _agreements(spans: Iterable[Span]) -> list[_Proposal]:
    """Rule 1: one proposal per range and label."""
    groups: dict[tuple[int, int, str], list[Span]] = {}
    for span in spans:
        groups.setdefault(span.key, []).append(span)
    out = []
    for members in groups.values():
        by_suggester: dict[str | None, Span] = {}
        for span in members:  # a suggester listed twice counts once, with its best score
            kept = by_suggester.get(span.suggester)
            if kept is None or _score(span) > _score(kept):
                by_suggester[span.suggester] = span
        ranked = sorted(by_suggester.values(), key=lambda s: (-_score(s), s.suggester or ""))
        missing = 1.0
        for span in ranked:
            missing *= 1.0 - min(1.0, max(0.0, _score(span)))
        names = [s.suggester for s in ranked if s.suggester]
        best = ranked[0]
        score = round(1.0 - missing, 3) if len(ranked) > 1 else best.score
        out.append(_Proposal(best.with_(score=score, suggester=JOIN.join(names) if names else best.suggester),
                             support=len(ranked)))
    return out


def combine(spans: Iterable[Span]) -> list[Span]:
    """The entity proposals to show, one per place (see the module docstring for the rule)."""
    proposals = _agreements(spans)
    # Rule 2: one label per range.
    by_range: dict[tuple[int, int], _Proposal] = {}
    for p in proposals:
        kept = by_range.get((p.span.start, p.span.end))
        if kept is None or p.rank() < kept.rank():
            by_range[(p.span.start, p.span.end)] = p
    proposals = sorted(by_range.values(), key=lambda p: (p.span.start, -p.length))
    # Rule 3: a name inside a longer name with another label is hidden by it. Sorted by start
    # (longest first), a proposal's containers are among the earlier ones still open at its start.
    hidden: list[_Proposal] = []
    visible: list[_Proposal] = []
    open_: list[_Proposal] = []
    for p in proposals:
        open_ = [o for o in open_ if o.span.end > p.span.start]
        if any(p.strictly_inside(o) and o.span.label != p.span.label and o.support >= p.support for o in open_):
            hidden.append(p)
        else:
            visible.append(p)
        open_.append(p)
    # Rule 4: the rest by agreement, score, length, position; rule 5: then what rule 3 hid.
    kept = _Occupied()
    for p in [*sorted(visible, key=_Proposal.rank), *sorted(hidden, key=_Proposal.rank)]:
        kept.add_if_free(p.span)
    return kept.spans()


class _Occupied:
    """Non-overlapping spans kept so far, by start (overlap tests by bisection)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._spans: list[Span] = []

    def is_free(self, span: Span) -> bool:
        i = bisect.bisect_right(self._starts, span.start)
        if i and self._spans[i - 1].end > span.start:
            return False  # the kept span starting at or before it reaches into it
        return not (i < len(self._spans) and self._spans[i].start < span.end)  # the next starts inside it

    def add_if_free(self, span: Span) -> bool:
        if not self.is_free(span):
            return False
        i = bisect.bisect_right(self._starts, span.start)
        self._starts.insert(i, span.start)
        self._spans.insert(i, span)
        return True

    def spans(self) -> list[Span]:
        return list(self._spans)


def pending_entities(suggestions: Iterable[Span], annotated: Iterable[Span],
                     decisions: dict[tuple[str, int, int, str], str]) -> list[Span]:
    """The entity suggestions an annotator still has to decide on, as the window shows them.

    Left out before combining: suggestions overlapping one of their entities (``annotated``; they
    could never be accepted, entities do not overlap, and what an accepted name hid stays hidden)
    and the ones they rejected (so an alternative can show where the winner was rejected). Left
    out after: the winners they accepted. ``decisions`` as :meth:`annotator.store.Corpus.decisions`
    returns them.
    """
    def decided(s: Span, how: str | None = None) -> bool:
        found = decisions.get(("entity", s.start, s.end, s.label))
        return found is not None and (how is None or found == how)

    own = _Occupied()
    for span in annotated:
        own.add_if_free(span)
    shown = combine(s for s in suggestions if own.is_free(s) and not decided(s, "rejected"))
    return [s for s in shown if not decided(s)]

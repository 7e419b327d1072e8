"""How likely is a learned name to be an entity where it occurs? The corpus's own evidence.

The learned suggester proposes names annotators labelled elsewhere. Some of those are also plain
words (``بين`` "between", ``لا`` "no"), some meet a function word through spelling folding
(the name ``علي`` and the preposition ``على`` share the key ``علي``), and a lone first name
(``محمد``) is usually the start of a longer name the corpus has not seen yet. Each name is
therefore scored from what annotators did where they met it:

- **Where annotators looked.** An annotation set counts as read in full when it is marked done or
  was imported; a set in progress up to the end of the paragraph holding its last entity; a
  skipped set not at all. Only read text says anything about unlabelled occurrences.
- **Leave one out.** Every occurrence of a name in read text is judged as if the annotation at that
  very place were not known: a labelled occurrence of a name labelled at least twice would have
  been proposed, and counts as right; an unlabelled occurrence counts as wrong; an occurrence
  inside a longer entity counts as wrong when that longer entity was labelled only once (a new
  full name, which the suggester could not have proposed instead: the lone-first-name case). A
  name labelled once earns no positive evidence from its own label.
- **Per spelling.** Counts are kept per token as written (marks removed, letters unfolded), so
  ``على`` counted unlabelled 3,000 times sinks only that spelling, not the name ``علي``.
- **A score.** With ``tp``/``fp`` the counts of a name over its own spellings, the chance that it is
  an entity is ``(tp + s·prior) / (tp + fp + s)`` (a Beta prior of strength ``s``); at a spelling
  with counts of its own, ``(tp_v + s·that) / (tp_v + fp_v + s)``. The prior is lower for one-token
  names than for longer ones, and lowest for a one-token name that is a function word of the
  language (spaCy's stop words). The proposal's score is that chance times the share of the
  name's labelled occurrences that carry its most frequent label (the label proposed).
- **Never folded into a function word.** A token that reaches a name only through spelling
  folding (``على`` → ``علي``) is never proposed when its own spelling is a function word.

Proposals scoring below :attr:`EvidenceParams.threshold` are not made. The parameters were tuned
by five-fold cross-validation within ANERcorp's train split (``benchmarks/bench_learned.py``).
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.core.clitics import normalize, strip_marks, surface_readings

IMPORTED = "imported"


@dataclass(frozen=True)
class EvidenceParams:
    """The scoring rule's constants (see the module docstring)."""

    prior_single: float = 0.7  # a one-token name nobody has seen twice
    prior_multi: float = 0.85  # a name of two tokens or more
    prior_function_word: float = 0.1  # a one-token name that is a stop word of the language
    strength: float = 1.0  # how many observations the prior is worth
    threshold: float = 0.5  # proposals scoring less are not made


@dataclass(frozen=True)
class LabelledText:
    """One annotation set of one document, as evidence: its entities and how much of it was read."""

    text: str
    spans: tuple[tuple[int, int, str], ...]
    seen: int  # the annotator read ``text[:seen]``


def seen_extent(text: str, status: str, spans: Iterable[tuple[int, int, str, str]]) -> int:
    """How much of ``text`` an annotation set's author has read (see the module docstring).

    ``spans``: ``(start, end, label, origin)`` of the set's entities.
    """
    spans = list(spans)
    if status == "skipped":
        return 0
    if status == "done" or any(origin == IMPORTED for *_, origin in spans):
        return len(text)
    if not spans:
        return 0
    last = max(end for _, end, _, _ in spans)
    paragraph_end = text.find("\n", last)
    return len(text) if paragraph_end < 0 else paragraph_end


@dataclass
class NameEvidence:
    """What the corpus says about one learned name."""

    labels: Counter = field(default_factory=Counter)  # labelled occurrences by label
    spellings: set[str] = field(default_factory=set)  # its first token as labelled (marks removed)
    stems: set[str] = field(default_factory=set)  # those spellings' clitic-less stems, as written
    tokens: int = 1
    function_word: bool = False
    counts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # spelling -> [tp, fp]
    score: float = 0.0  # the chance that it is an entity, over its own spellings (see :meth:`finish`)
    share: float = 1.0  # the share of its labelled occurrences that carry :attr:`label`

    @property
    def total(self) -> int:
        return sum(self.labels.values())

    @property
    def label(self) -> str:
        """The most frequent label (ties: the first in alphabetical order)."""
        return min(self.labels.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    @property
    def label_share(self) -> float:
        """The share of labelled occurrences that carry :attr:`label`."""
        return self.labels[self.label] / self.total

    def finish(self, params: EvidenceParams) -> None:
        """Compute :attr:`score` from the counts."""
        if self.tokens > 1:
            prior = params.prior_multi
        else:
            prior = params.prior_function_word if self.function_word else params.prior_single
        tp = sum(self.counts[s][0] for s in self.spellings if s in self.counts)
        fp = sum(self.counts[s][1] for s in self.spellings if s in self.counts)
        self.score = (tp + params.strength * prior) / (tp + fp + params.strength)
        self.share = self.label_share

    def score_at(self, token: str, key: str, params: EvidenceParams, function_words: frozenset[str]) -> float | None:
        """The score of a proposal of this name at ``token`` (as written), read through ``key``;
        None when the token is a function word reached only through spelling folding."""
        spelling = strip_marks(token)
        stem = next((s for k, s in surface_readings(token) if k == key), spelling)
        if stem not in self.stems and stem in function_words:
            return None
        tp, fp = self.counts.get(spelling, (0, 0))
        chance = self.score if not tp + fp else (tp + params.strength * self.score) / (tp + fp + params.strength)
        return chance * self.share


def stems_of(first_token: str) -> set[str]:
    """The stems as written that ``first_token`` can be read as (itself included)."""
    return {stem for _, stem in surface_readings(first_token)}


class EvidenceCounter:
    """Judges every occurrence of the learned names in labelled texts (see the module docstring).

    ``known(text)`` gives the evidence of the name spelled ``text`` (a labelled span's text), so an
    occurrence inside a longer entity can ask whether that entity was itself labelled twice.
    """

    def __init__(self, by_text: dict[str, NameEvidence]):
        self.by_text = by_text

    def count(self, table, candidates, labelled: LabelledText) -> None:
        """Add the occurrences ``candidates`` (of :class:`~annotator.suggest.name_matcher.Candidate`,
        whose ``entry.data`` is a :class:`NameEvidence`) found in ``table``, the tokens of ``labelled``."""
        starts, ends, texts = table.starts, table.ends, table.texts
        gold = sorted(labelled.spans)
        gold_starts = [s for s, _, _ in gold]
        exact = {(s, e) for s, e, _ in gold}
        text = labelled.text
        for cand in candidates:
            evidence: NameEvidence = cand.entry.data
            start, end = starts[cand.start], ends[cand.end - 1]
            counts = evidence.counts[strip_marks(texts[cand.start])]
            if (start, end) in exact:
                if evidence.total >= 2:
                    counts[0] += 1
                continue
            # Entities of one set never overlap, so those overlapping [start, end) are a run of
            # the sorted list ending just before the first one starting at or after ``end``.
            j = bisect.bisect_left(gold_starts, end) - 1
            overlapping = []
            while j >= 0 and gold[j][1] > start:
                overlapping.append(gold[j])
                j -= 1
            if overlapping:
                inside = [g for g in overlapping if g[0] <= start and end <= g[1]]
                if inside:
                    outer = self.by_text.get(text[inside[0][0] : inside[0][1]])
                    if outer is not None and outer.total >= 2:
                        continue  # the longer name is known: it would be proposed instead
                counts[1] += 1
            elif start < labelled.seen:
                counts[1] += 1


def evidence_key(tokens: list[str], known_first: set[str], readings) -> tuple[str, ...]:
    """The identity of a name: its normalised tokens, the first without the clitics that the most
    stripped reading known as another name's first token shows (``والامم المتحدة`` = ``الامم المتحدة``)."""
    first = normalize(tokens[0])
    for reading in reversed(readings(first)):
        if reading in known_first:
            first = reading
            break
    return (first, *(normalize(t) for t in tokens[1:]))

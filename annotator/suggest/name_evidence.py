"""How likely is a learned name to be an entity where it occurs? The corpus's own evidence.

The learned suggester proposes names annotators labelled elsewhere. Some of those are also plain
words (``بين`` "between", ``لا`` "no"), some meet a function word through spelling folding
(the name ``علي`` and the preposition ``على`` share the key ``علي``), and a lone first name
(``محمد``) is usually the start of a longer name the corpus has not seen yet. Each name is
therefore scored from what annotators did where they met it:

- **Where annotators looked.** An annotation set says what is *not* a name only once its author is
  through with it: marked done, or imported (a file's annotations are complete). There, every
  unlabelled occurrence counts against the name. In a set still in progress only the suggestions
  its author rejected do; a skipped set says nothing. Every labelled entity is evidence for its
  name wherever it is.
- **Leave one out.** Every occurrence of a name is judged as if the annotation at that very place
  were not known: a labelled occurrence of a name labelled at least twice would have been
  proposed, and counts as right; an unlabelled occurrence in read text counts as wrong; an
  occurrence inside a longer entity counts as wrong when that longer entity was labelled only
  once (a new full name, which the suggester could not have proposed instead: the lone first
  name). A name labelled once earns no positive evidence from its own label.
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

Proposals scoring below :attr:`EvidenceParams.threshold` are not made. Scores are computed once per
name and spelling (:attr:`NameEvidence.scores`); the corpus's cached state may keep the scores it
published while new evidence moves them by less than :data:`SCORE_STEP` (see
:mod:`annotator.suggest.learned_state`). The constants were chosen
by five-fold cross-validation within ANERcorp's train split (``benchmarks/bench_learned.py``);
F1 moves by less than 0.01 across the grid tried, so they are round numbers.

Counting is split so that it can be cached per annotation set: :func:`count_occurrences` turns one
set into a JSON-able record that depends only on the set and on which names exist, and
:func:`assemble` turns the records of every set into each name's counts, applying the
leave-one-out rules with the corpus-wide label counts of the moment.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from annotator.core.clitics import strip_marks, surface_readings

IMPORTED = "imported"

# One annotation set's occurrences: {name id: {spelling: [labelled, wrong, {outer name id: inside}]}}.
SetRecord = dict[str, dict[str, list]]


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
    """One annotation set of one document, as evidence: its entities, whether its author is through
    with it (every unlabelled occurrence counts), and the suggestions they rejected."""

    text: str
    spans: tuple[tuple[int, int, str], ...]
    complete: bool = True
    rejected: frozenset[tuple[int, int]] = frozenset()


def is_complete(status: str, spans: Iterable[tuple[int, int, str, str]]) -> bool:
    """Is an annotation set finished, so that what it leaves unlabelled is not a name? Done, or
    imported (``spans``: ``(start, end, label, origin)``)."""
    return status == "done" or (status != "skipped" and any(origin == IMPORTED for *_, origin in spans))


@dataclass
class NameEvidence:
    """What the corpus says about one learned name, and the scores that follow."""

    name_id: str
    tokens: int = 1
    labels: Counter = field(default_factory=Counter)  # labelled occurrences by label
    spellings: set[str] = field(default_factory=set)  # its first token as labelled (marks removed)
    stems: set[str] = field(default_factory=set)  # those spellings' clitic-less stems, as written
    function_word: bool = False  # one token, and every spelling is a stop word
    counts: dict[str, list[int]] = field(default_factory=dict)  # spelling -> [right, wrong]
    chance: float = 0.0  # that it is an entity, over its own spellings (see :meth:`finish`)
    share: float = 1.0  # the share of its labelled occurrences that carry :attr:`label`
    score: float = 0.0  # of a proposal at a spelling without counts of its own
    scores: dict[str, float] = field(default_factory=dict)  # of a proposal at each spelling with counts

    @property
    def total(self) -> int:
        return sum(self.labels.values())

    @property
    def label(self) -> str:
        """The most frequent label (ties: the first in alphabetical order)."""
        return min(self.labels.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    def finish(self, params: EvidenceParams) -> None:
        """Compute the scores from the counts (see the module docstring)."""
        if self.tokens > 1:
            prior = params.prior_multi
        else:
            prior = params.prior_function_word if self.function_word else params.prior_single
        own = [self.counts[s] for s in self.spellings if s in self.counts]
        right, wrong = sum(c[0] for c in own), sum(c[1] for c in own)
        s = params.strength
        self.chance = (right + s * prior) / (right + wrong + s)
        self.share = self.labels[self.label] / self.total
        self.score = self.chance * self.share
        self.scores = {spelling: (r + s * self.chance) / (r + w + s) * self.share
                       for spelling, (r, w) in self.counts.items() if r + w}

    def score_at(self, token: str, key: str, function_words: frozenset[str]) -> float | None:
        """The score of a proposal of this name at ``token`` (as written), read through ``key``;
        None when the token is a function word reached only through spelling folding."""
        spelling = strip_marks(token)
        stem = next((s for k, s in surface_readings(token) if k == key), spelling)
        if stem not in self.stems and stem in function_words:
            return None
        return self.scores.get(spelling, self.score)


def stems_of(first_token: str) -> set[str]:
    """The stems as written that ``first_token`` can be read as (itself included)."""
    return {stem for _, stem in surface_readings(first_token)}


def count_occurrences(table, candidates, labelled: LabelledText, name_of: Callable[[str], str | None]) -> SetRecord:
    """The record of one annotation set: each name occurrence ``candidates`` found in ``table`` (the
    tokens of ``labelled.text``; each candidate's ``entry.data`` is its :class:`NameEvidence`),
    classified as labelled, wrong (rejected, unlabelled in a complete set, or crossing an entity), or
    inside a longer entity (kept by that entity's name id, from ``name_of(entity text)``, "" if none)."""
    starts, ends, texts = table.starts, table.ends, table.texts
    gold = sorted(labelled.spans)
    gold_starts = [s for s, _, _ in gold]
    exact = {(s, e) for s, e, _ in gold}
    record: SetRecord = {}

    def slot(cand) -> list:
        by_spelling = record.setdefault(cand.entry.data.name_id, {})
        return by_spelling.setdefault(strip_marks(texts[cand.start]), [0, 0, {}])

    for cand in candidates:
        start, end = starts[cand.start], ends[cand.end - 1]
        if (start, end) in exact:
            slot(cand)[0] += 1
            continue
        if (start, end) in labelled.rejected:
            slot(cand)[1] += 1  # the annotator said no to this very proposal
            continue
        # Entities of one set never overlap, so those overlapping [start, end) are a run of the
        # sorted list ending just before the first one that starts at or after ``end``.
        j = bisect.bisect_left(gold_starts, end) - 1
        overlapping = []
        while j >= 0 and gold[j][1] > start:
            overlapping.append(gold[j])
            j -= 1
        if overlapping:
            outer = next((g for g in overlapping if g[0] <= start and end <= g[1]), None)
            if outer is None:
                slot(cand)[1] += 1  # crosses an entity's boundary
            else:
                outers = slot(cand)[2]
                outer_id = name_of(labelled.text[outer[0] : outer[1]]) or ""
                outers[outer_id] = outers.get(outer_id, 0) + 1
        elif labelled.complete:
            slot(cand)[1] += 1
    return record


def assemble(names: dict[str, NameEvidence], records: Iterable[SetRecord], params: EvidenceParams) -> None:
    """Each name's counts from every set's record (see the module docstring), then its scores."""
    for evidence in names.values():
        evidence.counts = {}
    for record in records:
        for name_id, by_spelling in record.items():
            evidence = names.get(name_id)
            if evidence is None:  # a name no annotator has any more
                continue
            known = evidence.total >= 2
            for spelling, (labelled, wrong, inside) in by_spelling.items():
                counts = evidence.counts.setdefault(spelling, [0, 0])
                if known:
                    counts[0] += labelled
                new_outer = sum(n for outer_id, n in inside.items()
                                if outer_id not in names or names[outer_id].total < 2)
                counts[1] += wrong + new_outer
    for evidence in names.values():
        evidence.finish(params)

"""Span-level precision/recall/F1 and a classification of disagreements between two span sets.

Pure functions on ``(start, end, label)`` tuples (objects with ``start``, ``end`` and
``label`` attributes, such as :class:`annotator.core.spans.Span`, are accepted too).
Spans are ``[start, end)``; two spans overlap when they share at least one code point.

Matching is always one-to-one, so every span is counted exactly once as a true positive,
a false positive or a false negative: a long predicted span covering two gold spans earns
one true positive and one false negative in overlap mode, never two true positives.

Zero-division convention: a ratio whose denominator is zero is 0.0, except that a label
with nothing to find and nothing found (no gold, no prediction) scores 1.0 throughout.
That case only arises for ``__all__`` or for labels named explicitly in ``labels``.

>>> gold = [(0, 5, "PER"), (10, 15, "ORG")]
>>> pred = [(0, 5, "PER"), (11, 15, "ORG"), (20, 25, "GPE")]
>>> prf(gold, pred)["__all__"]["f1"]
0.4
>>> prf(gold, pred, mode="overlap")["ORG"]["tp"]
1
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, Protocol

ALL = "__all__"
Mode = Literal["exact", "overlap"]
SpanTuple = tuple[int, int, str]


class _SpanLike(Protocol):
    start: int
    end: int
    label: str


SpanLike = SpanTuple | _SpanLike


def as_tuple(span: SpanLike) -> SpanTuple:
    """``(start, end, label)`` of a tuple or of anything with those attributes."""
    if isinstance(span, tuple):
        start, end, label = span
        return int(start), int(end), str(label)
    return int(span.start), int(span.end), str(span.label)


def _tuples(spans: Iterable[SpanLike]) -> list[SpanTuple]:
    return [as_tuple(s) for s in spans]


def overlap_length(a: SpanTuple, b: SpanTuple) -> int:
    """Number of code points two spans share (0 when they do not overlap)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def scores(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """``{"tp", "fp", "fn", "precision", "recall", "f1"}`` from counts (see module doc for 0/0)."""
    if tp + fp + fn == 0:
        return {"tp": 0, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn)  # = harmonic mean of P and R, and defined whenever tp+fp+fn > 0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def _greedy_overlap_pairs(
    left: list[SpanTuple], right: list[SpanTuple], *, same_label: bool | None
) -> list[tuple[int, int]]:
    """One-to-one pairs ``(i, j)`` of overlapping spans, the largest overlaps first.

    ``same_label``: True pairs only spans with equal labels, False only spans with different
    labels, None ignores labels. Ties break by position so results are deterministic.
    """
    candidates: list[tuple[int, int, int, int, int]] = []
    by_start = sorted(range(len(right)), key=lambda j: right[j][0])
    for i, a in enumerate(left):
        for j in by_start:
            b = right[j]
            if b[0] >= a[1]:
                break
            if b[1] <= a[0]:
                continue
            if same_label is True and a[2] != b[2]:
                continue
            if same_label is False and a[2] == b[2]:
                continue
            # Prefer bigger shared extent, then smaller total boundary distance.
            distance = abs(a[0] - b[0]) + abs(a[1] - b[1])
            candidates.append((-overlap_length(a, b), distance, a[0], i, j))
    candidates.sort()
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, _, i, j in candidates:
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append((i, j))
    return pairs


def _exact_pairs(left: list[SpanTuple], right: list[SpanTuple], key) -> list[tuple[int, int]]:
    """One-to-one pairs of spans with equal ``key(span)`` (multiset semantics)."""
    waiting: dict[tuple, list[int]] = defaultdict(list)
    for j, b in enumerate(right):
        waiting[key(b)].append(j)
    pairs = []
    for i, a in enumerate(left):
        queue = waiting.get(key(a))
        if queue:
            pairs.append((i, queue.pop(0)))
    return pairs


def match_counts(gold: Iterable[SpanLike], pred: Iterable[SpanLike], mode: Mode = "exact") -> dict[str, Counter]:
    """Per-label Counters of ``tp``, ``fp`` and ``fn`` (the raw material of :func:`prf`)."""
    if mode not in ("exact", "overlap"):
        raise ValueError(f"mode must be 'exact' or 'overlap', not {mode!r}")
    g, p = Counter(_tuples(gold)), Counter(_tuples(pred))
    counts: dict[str, Counter] = defaultdict(Counter)
    # Exact matches first (also in overlap mode, so an exact pair is never broken up).
    common = g & p
    rest_g = list((g - common).elements())
    rest_p = list((p - common).elements())
    for (_, _, label), n in common.items():
        counts[label]["tp"] += n
    if mode == "overlap" and rest_g and rest_p:
        extra = _greedy_overlap_pairs(rest_g, rest_p, same_label=True)
        for i, _ in extra:
            counts[rest_g[i][2]]["tp"] += 1
        matched_g = {i for i, _ in extra}
        matched_p = {j for _, j in extra}
        rest_g = [s for i, s in enumerate(rest_g) if i not in matched_g]
        rest_p = [s for j, s in enumerate(rest_p) if j not in matched_p]
    for s in rest_g:
        counts[s[2]]["fn"] += 1
    for s in rest_p:
        counts[s[2]]["fp"] += 1
    return counts


def prf_from_counts(counts: dict[str, Counter], labels: Iterable[str] | None = None) -> dict[str, dict]:
    """Turn per-label Counters (possibly summed over many documents) into P/R/F1 per label and ``__all__``.

    ``labels`` restricts the report (and ``__all__``) to those labels, reporting each even if
    it never occurs.
    """
    wanted = sorted(counts) if labels is None else list(labels)
    out: dict[str, dict] = {}
    total: Counter = Counter()
    for label in wanted:
        c = counts.get(label, Counter())
        out[label] = scores(c["tp"], c["fp"], c["fn"])
        total.update({k: c[k] for k in ("tp", "fp", "fn")})
    out[ALL] = scores(total["tp"], total["fp"], total["fn"])
    return out


def prf(
    gold: Iterable[SpanLike],
    pred: Iterable[SpanLike],
    mode: Mode = "exact",
    labels: Iterable[str] | None = None,
) -> dict[str, dict]:
    """Precision, recall and F1 of ``pred`` against ``gold`` per label and overall (``"__all__"``).

    ``mode="exact"``: a prediction is right when start, end and label all equal a gold span's.
    ``mode="overlap"``: a prediction is right when it overlaps a gold span of the same label;
    pairs are matched one-to-one (exact pairs first, then the largest overlaps), so a
    prediction covering two gold spans counts once.

    Returns ``{label: {"tp", "fp", "fn", "precision", "recall", "f1"}, "__all__": {...}}``.
    With ``labels`` given, only those labels are scored (spans with other labels are ignored).
    """
    if labels is not None:
        keep = set(labels)
        gold = [s for s in _tuples(gold) if s[2] in keep]
        pred = [s for s in _tuples(pred) if s[2] in keep]
    return prf_from_counts(match_counts(gold, pred, mode), labels)


# -- disagreements ---------------------------------------------------------------------------

KINDS = ("agree", "only_a", "only_b", "other_label", "boundary", "other_label_boundary")
KIND_NAMES = {
    "agree": "agreement",
    "only_a": "only A",
    "only_b": "only B",
    "other_label": "same span, other label",
    "boundary": "boundary differs",
    "other_label_boundary": "other label and boundary",
}


@dataclass
class Disagreements:
    """How two span sets relate, span by span (every span of A and of B appears exactly once).

    - ``agreements``: spans in both sets (same start, end and label).
    - ``only_a`` / ``only_b``: spans of one set that overlap nothing left unmatched in the other.
    - ``other_label``: ``(a, b)`` pairs with the same start and end but different labels.
    - ``boundary``: ``(a, b)`` pairs with the same label that overlap with different boundaries.
    - ``other_label_boundary``: ``(a, b)`` pairs that overlap with different labels AND
      different boundaries (a sixth kind: counting them as only-A plus only-B would
      double-count one disagreement).
    """

    agreements: list[SpanTuple] = field(default_factory=list)
    only_a: list[SpanTuple] = field(default_factory=list)
    only_b: list[SpanTuple] = field(default_factory=list)
    other_label: list[tuple[SpanTuple, SpanTuple]] = field(default_factory=list)
    boundary: list[tuple[SpanTuple, SpanTuple]] = field(default_factory=list)
    other_label_boundary: list[tuple[SpanTuple, SpanTuple]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """``{"agree", "only_a", "only_b", "other_label", "boundary", "other_label_boundary"}`` counts."""
        return {
            "agree": len(self.agreements),
            "only_a": len(self.only_a),
            "only_b": len(self.only_b),
            "other_label": len(self.other_label),
            "boundary": len(self.boundary),
            "other_label_boundary": len(self.other_label_boundary),
        }

    @property
    def disagreement_count(self) -> int:
        c = self.counts()
        return sum(v for k, v in c.items() if k != "agree")

    def items(self) -> list[tuple[str, SpanTuple | None, SpanTuple | None]]:
        """Every item as ``(kind, a_span_or_None, b_span_or_None)`` in text order."""
        out: list[tuple[str, SpanTuple | None, SpanTuple | None]] = []
        out += [("agree", s, s) for s in self.agreements]
        out += [("only_a", s, None) for s in self.only_a]
        out += [("only_b", None, s) for s in self.only_b]
        out += [("other_label", a, b) for a, b in self.other_label]
        out += [("boundary", a, b) for a, b in self.boundary]
        out += [("other_label_boundary", a, b) for a, b in self.other_label_boundary]

        def position(item: tuple[str, SpanTuple | None, SpanTuple | None]) -> tuple[int, int, int]:
            spans = [s for s in item[1:] if s is not None]
            return (min(s[0] for s in spans), max(s[1] for s in spans), KINDS.index(item[0]))

        out.sort(key=position)
        return out


def classify_disagreements(a: Iterable[SpanLike], b: Iterable[SpanLike]) -> Disagreements:
    """Pair the spans of A and B one-to-one and say how each pair (or lone span) relates.

    Order of matching: identical spans; then same range with another label; then same label
    with overlapping, different boundaries (largest overlap first); then overlapping spans
    that differ in both label and boundaries. Whatever is left is only-A or only-B.
    """
    sa, sb = _tuples(a), _tuples(b)
    free_a = list(range(len(sa)))
    free_b = list(range(len(sb)))
    result = Disagreements()

    def take(pairs_local: list[tuple[int, int]]) -> list[tuple[SpanTuple, SpanTuple]]:
        nonlocal free_a, free_b
        used_a = {free_a[i] for i, _ in pairs_local}
        used_b = {free_b[j] for _, j in pairs_local}
        found = [(sa[free_a[i]], sb[free_b[j]]) for i, j in pairs_local]
        free_a = [i for i in free_a if i not in used_a]
        free_b = [j for j in free_b if j not in used_b]
        return sorted(found)

    def current() -> tuple[list[SpanTuple], list[SpanTuple]]:
        return [sa[i] for i in free_a], [sb[j] for j in free_b]

    left, right = current()
    result.agreements = [x for x, _ in take(_exact_pairs(left, right, key=lambda s: s))]
    left, right = current()
    result.other_label = take(_exact_pairs(left, right, key=lambda s: (s[0], s[1])))
    left, right = current()
    result.boundary = take(_greedy_overlap_pairs(left, right, same_label=True))
    left, right = current()
    result.other_label_boundary = take(_greedy_overlap_pairs(left, right, same_label=False))
    left, right = current()
    result.only_a = sorted(left)
    result.only_b = sorted(right)
    return result

"""Span P/R/F1 and disagreement classes on small cases worked out by hand."""

from __future__ import annotations

import pytest

from annotator.core.spans import Span
from annotator.review.span_metrics import ALL, classify_disagreements, prf

# Worked example used by several tests.
#   gold: PER [0,5)  ORG [10,20)  GPE [30,35)
#   pred: PER [0,5)  ORG [12,20)  GPE [40,45)  PER [50,55)
# Exact: PER tp=1 (the [0,5) pair), fp=1 ([50,55)); ORG tp=0 fp=1 fn=1; GPE tp=0 fp=1 fn=1.
#   all: tp=1 fp=3 fn=2 -> P=1/4, R=1/3, F1=2*1/(2+3+2)=2/7.
# Overlap: ORG [12,20) overlaps [10,20) -> tp. GPE [40,45) does not overlap [30,35).
#   PER tp=1 fp=1; ORG tp=1; GPE fp=1 fn=1. all: tp=2 fp=2 fn=1 -> P=1/2, R=2/3, F1=4/7.
GOLD = [(0, 5, "PER"), (10, 20, "ORG"), (30, 35, "GPE")]
PRED = [(0, 5, "PER"), (12, 20, "ORG"), (40, 45, "GPE"), (50, 55, "PER")]


def test_exact_prf_worked_example():
    r = prf(GOLD, PRED, mode="exact")
    assert (r["PER"]["tp"], r["PER"]["fp"], r["PER"]["fn"]) == (1, 1, 0)
    assert r["PER"]["precision"] == pytest.approx(0.5)
    assert r["PER"]["recall"] == pytest.approx(1.0)
    assert r["PER"]["f1"] == pytest.approx(2 / 3)
    assert (r["ORG"]["tp"], r["ORG"]["fp"], r["ORG"]["fn"]) == (0, 1, 1)
    assert r["ORG"]["f1"] == 0.0
    assert (r[ALL]["tp"], r[ALL]["fp"], r[ALL]["fn"]) == (1, 3, 2)
    assert r[ALL]["precision"] == pytest.approx(1 / 4)
    assert r[ALL]["recall"] == pytest.approx(1 / 3)
    assert r[ALL]["f1"] == pytest.approx(2 / 7)


def test_overlap_prf_worked_example():
    r = prf(GOLD, PRED, mode="overlap")
    assert (r["ORG"]["tp"], r["ORG"]["fp"], r["ORG"]["fn"]) == (1, 0, 0)
    assert (r["GPE"]["tp"], r["GPE"]["fp"], r["GPE"]["fn"]) == (0, 1, 1)
    assert (r[ALL]["tp"], r[ALL]["fp"], r[ALL]["fn"]) == (2, 2, 1)
    assert r[ALL]["precision"] == pytest.approx(1 / 2)
    assert r[ALL]["recall"] == pytest.approx(2 / 3)
    assert r[ALL]["f1"] == pytest.approx(4 / 7)


def test_overlap_is_one_to_one():
    # One long prediction PER [0,20) covers two gold spans PER [0,5) and PER [10,15).
    # It may match only one of them: tp=1, fn=1, fp=0 -> P=1, R=1/2, F1=2/3.
    r = prf([(0, 5, "PER"), (10, 15, "PER")], [(0, 20, "PER")], mode="overlap")
    assert (r[ALL]["tp"], r[ALL]["fp"], r[ALL]["fn"]) == (1, 0, 1)
    assert r[ALL]["f1"] == pytest.approx(2 / 3)


def test_overlap_prefers_exact_and_largest_overlap():
    # gold PER [0,10) and PER [8,12); pred PER [8,12) and PER [0,9).
    # Exact pair [8,12) first, then [0,10)~[0,9): two tp, nothing left over.
    r = prf([(0, 10, "PER"), (8, 12, "PER")], [(8, 12, "PER"), (0, 9, "PER")], mode="overlap")
    assert (r[ALL]["tp"], r[ALL]["fp"], r[ALL]["fn"]) == (2, 0, 0)


def test_overlap_needs_same_label():
    r = prf([(0, 5, "PER")], [(0, 5, "ORG")], mode="overlap")
    assert (r[ALL]["tp"], r[ALL]["fp"], r[ALL]["fn"]) == (0, 1, 1)
    assert r["PER"]["recall"] == 0.0 and r["ORG"]["precision"] == 0.0


def test_duplicates_count_as_a_multiset():
    # The same gold span twice but predicted once: tp=1, fn=1.
    r = prf([(0, 5, "PER"), (0, 5, "PER")], [(0, 5, "PER")])
    assert (r[ALL]["tp"], r[ALL]["fn"]) == (1, 1)


def test_empty_sets_agree_perfectly_and_empty_prediction_scores_zero():
    assert prf([], [])[ALL]["f1"] == 1.0
    r = prf([(0, 5, "PER")], [])
    assert (r[ALL]["precision"], r[ALL]["recall"], r[ALL]["f1"]) == (0.0, 0.0, 0.0)


def test_labels_filter_and_report_absent_labels():
    r = prf(GOLD, PRED, labels=["PER", "NORP"])
    assert set(r) == {"PER", "NORP", ALL}
    assert r["NORP"]["f1"] == 1.0  # nothing to find, nothing found
    assert (r[ALL]["tp"], r[ALL]["fp"], r[ALL]["fn"]) == (1, 1, 0)


def test_accepts_span_objects():
    r = prf([Span(0, 5, "PER")], [Span(0, 5, "PER", origin="accepted")])
    assert r[ALL]["f1"] == 1.0


def test_bad_mode_is_refused():
    with pytest.raises(ValueError, match="mode"):
        prf([], [], mode="fuzzy")  # type: ignore[arg-type]


def test_classify_every_kind():
    # A: PER [0,5)  ORG [10,15)  GPE [20,30)  LOC [40,45)  PER [50,55)  MISC [60,70)
    # B: PER [0,5)  PER [10,15)  GPE [22,30)  NORP [41,47) ORG [80,85)
    #  [0,5) PER in both               -> agreement
    #  [10,15) ORG vs PER              -> same span, other label
    #  [20,30) vs [22,30) GPE          -> boundary differs
    #  [40,45) LOC vs [41,47) NORP     -> other label and boundary
    #  [50,55) PER, [60,70) MISC       -> only A
    #  [80,85) ORG                     -> only B
    a = [(0, 5, "PER"), (10, 15, "ORG"), (20, 30, "GPE"), (40, 45, "LOC"), (50, 55, "PER"), (60, 70, "MISC")]
    b = [(0, 5, "PER"), (10, 15, "PER"), (22, 30, "GPE"), (41, 47, "NORP"), (80, 85, "ORG")]
    d = classify_disagreements(a, b)
    assert d.agreements == [(0, 5, "PER")]
    assert d.other_label == [((10, 15, "ORG"), (10, 15, "PER"))]
    assert d.boundary == [((20, 30, "GPE"), (22, 30, "GPE"))]
    assert d.other_label_boundary == [((40, 45, "LOC"), (41, 47, "NORP"))]
    assert d.only_a == [(50, 55, "PER"), (60, 70, "MISC")]
    assert d.only_b == [(80, 85, "ORG")]
    assert d.counts() == {
        "agree": 1, "only_a": 2, "only_b": 1, "other_label": 1, "boundary": 1, "other_label_boundary": 1,
    }
    assert d.disagreement_count == 6
    kinds = [k for k, _, _ in d.items()]
    assert kinds == ["agree", "other_label", "boundary", "other_label_boundary", "only_a", "only_a", "only_b"]


def test_classify_boundary_pairs_one_to_one():
    # A: PER [0,10). B: PER [0,4) and PER [6,10). A pairs with the larger overlap ([0,4) and
    # [6,10) both share 4 points; the tie goes to the closer boundaries: [0,4) has distance 6,
    # [6,10) has distance 6 too, then text position) -> boundary with [0,4), [6,10) only B.
    d = classify_disagreements([(0, 10, "PER")], [(0, 4, "PER"), (6, 10, "PER")])
    assert d.boundary == [((0, 10, "PER"), (0, 4, "PER"))]
    assert d.only_b == [(6, 10, "PER")]
    assert d.only_a == []

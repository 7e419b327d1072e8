"""Agreement figures on small articles worked out by hand (expected values from the comments)."""

from __future__ import annotations

import pytest

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.review.agreement import (
    AnnotationSet,
    Article,
    cohen_kappa,
    compute_agreement,
    corpus_agreement,
    token_labels,
)
from annotator.review.span_metrics import ALL

TEXT = "Obama met Merkel in Berlin."
# Tokens: Obama[0,5) met[6,9) Merkel[10,16) in[17,19) Berlin[20,26) .[26,27)
A_SPANS = ((0, 5, "PER"), (10, 16, "PER"), (20, 26, "GPE"))
B_SPANS = ((0, 5, "PER"), (10, 16, "ORG"), (20, 26, "GPE"))


def article(sets: dict[str, tuple], doc_id: int = 1, text: str = TEXT) -> Article:
    return Article(doc_id=doc_id, text=text, language="en",
                   sets={name: AnnotationSet(spans=spans) for name, spans in sets.items()})


def test_token_labels_mark_every_token_a_span_touches():
    tokens = [(0, 5), (6, 9), (10, 16), (17, 19), (20, 26), (26, 27)]
    assert token_labels(tokens, A_SPANS) == ["PER", "O", "PER", "O", "GPE", "O"]
    # A misaligned span [2,7) touches "Obama" and "met".
    assert token_labels(tokens, [(2, 7, "PER")]) == ["PER", "PER", "O", "O", "O", "O"]


def test_two_annotators_worked_example():
    # Token labels  A: PER O PER O GPE O     B: PER O ORG O GPE O
    # Confusion: (PER,PER)=1 (O,O)=3 (PER,ORG)=1 (GPE,GPE)=1, n=6.
    # Cohen: p_o = 5/6. Marginals A: PER 2, O 3, GPE 1; B: PER 1, O 3, ORG 1, GPE 1.
    #   p_e = (2*1 + 3*3 + 1*1) / 36 = 1/3;  kappa = (5/6 - 1/3) / (1 - 1/3) = 3/4.
    # Krippendorff (nominal): 12 values, coincidences off the diagonal: PER-ORG twice.
    #   n_PER=3, n_O=6, n_GPE=2, n_ORG=1; sum_{c!=k} n_c n_k = 144 - (9+36+4+1) = 94.
    #   alpha = 1 - (n-1) * 2 / 94 = 1 - 22/94 = 36/47.
    # Per-label kappa for PER (PER vs not): A T,F,T,F,F,F  B T,F,F,F,F,F:
    #   p_o = 5/6; p_e = (2*1 + 4*5)/36 = 22/36; kappa = (30-22)/(36-22) = 4/7.
    # Spans, A as reference: PER tp1 fn1, ORG fp1, GPE tp1 -> all tp2 fp1 fn1: P = R = F1 = 2/3.
    # Disagreements: 2 agreements, 1 same span other label.
    report = compute_agreement([article({"ann": A_SPANS, "bob": B_SPANS})], ["ann", "bob"])
    pair = report.pair("ann", "bob")
    assert pair.documents == 1 and pair.tokens == 6
    assert pair.kappa[ALL] == pytest.approx(3 / 4)
    assert pair.kappa["PER"] == pytest.approx(4 / 7)
    assert pair.alpha[ALL] == pytest.approx(36 / 47)
    assert report.alpha[ALL] == pytest.approx(36 / 47)
    assert pair.exact[ALL]["precision"] == pytest.approx(2 / 3)
    assert pair.exact[ALL]["recall"] == pytest.approx(2 / 3)
    assert pair.exact[ALL]["f1"] == pytest.approx(2 / 3)
    assert pair.exact["PER"]["recall"] == pytest.approx(1 / 2)
    assert pair.exact["ORG"]["precision"] == 0.0
    assert pair.disagreements == {"agree": 2, "only_a": 0, "only_b": 0, "other_label": 1, "boundary": 0,
                                  "other_label_boundary": 0}
    assert pair.articles[0].kappa == pytest.approx(3 / 4)


def test_boundary_difference_counts_in_overlap_mode_only():
    # A: PER "Obama" [0,5).  B: PER "Obama met" [0,9).
    # Exact: tp0 fp1 fn1 -> F1 0.  Overlap: tp1 -> F1 1.
    # Tokens A: PER O O O O O   B: PER PER O O O O: p_o = 5/6,
    #   marginals A: PER 1, O 5; B: PER 2, O 4; p_e = (1*2 + 5*4)/36 = 22/36 -> kappa = 4/7.
    report = compute_agreement([article({"a": ((0, 5, "PER"),), "b": ((0, 9, "PER"),)})], ["a", "b"])
    pair = report.pair("a", "b")
    assert pair.exact[ALL]["f1"] == 0.0
    assert pair.overlap[ALL]["f1"] == 1.0
    assert pair.kappa[ALL] == pytest.approx(4 / 7)
    assert pair.disagreements["boundary"] == 1


def test_kappa_undefined_when_one_label_throughout():
    from collections import Counter

    assert cohen_kappa(Counter({("O", "O"): 6})) is None
    report = compute_agreement([article({"a": (), "b": ()})], ["a", "b"])
    assert report.pair("a", "b").kappa[ALL] is None
    assert report.alpha[ALL] is None
    assert report.pair("a", "b").exact[ALL]["f1"] == 1.0  # nothing to find, nothing found


def test_labels_option_restricts_every_figure():
    # Only GPE: both annotators have GPE [20,26) -> F1 1, kappa 1 (tokens O,O,O,O,GPE,O both).
    report = compute_agreement([article({"a": A_SPANS, "b": B_SPANS})], ["a", "b"], labels=["GPE"])
    pair = report.pair("a", "b")
    assert set(pair.exact) == {"GPE", ALL}
    assert pair.exact[ALL]["f1"] == 1.0
    assert pair.kappa[ALL] == pytest.approx(1.0)


def test_quote_agreement_worked_example():
    # A: Q1 content [10,20) cue [3,7) source [0,2) direct;  Q2 content [30,40) indirect.
    # B: Q1' content [10,20) cue [3,7) source [0,2) INDIRECT;  Q3 content [50,60) direct.
    # Content parts exact: tp1 ([10,20)) fp1 ([50,60)) fn1 ([30,40)) -> P = R = F1 = 1/2.
    # Cue and source: 1 each, identical -> F1 1.
    # Quotes matched by content: Q1~Q1' (differs in type only); Q2 only A; Q3 only B.
    text = "x" * 70
    qa = (Quote(contents=(Range(10, 20),), cue=Range(3, 7), sources=(Range(0, 2),)),
          Quote(contents=(Range(30, 40),), type="indirect"))
    qb = (Quote(contents=(Range(10, 20),), cue=Range(3, 7), sources=(Range(0, 2),), type="indirect"),
          Quote(contents=(Range(50, 60),)))
    art = Article(doc_id=1, text=text, language="en",
                  sets={"a": AnnotationSet(quotes=qa), "b": AnnotationSet(quotes=qb)})
    q = compute_agreement([art], ["a", "b"]).pair("a", "b").quotes
    assert q["content"]["exact"]["f1"] == pytest.approx(1 / 2)
    assert q["cue"]["exact"]["f1"] == 1.0
    assert q["source"]["exact"]["f1"] == 1.0
    assert (q["matched"], q["agree"], q["only_a"], q["only_b"]) == (1, 0, 1, 1)
    assert q["differs"]["type"] == 1 and q["differs"]["cue"] == 0
    assert q["same"]["type"] == 0.0 and q["same"]["cue"] == 1.0


def test_three_annotators_pairwise_matrix_and_alpha_with_missing_data():
    # Article 1: a = A_SPANS, b = B_SPANS, c = A_SPANS.  Article 2 ("Paris is big."): only a and b,
    # both GPE [0,5).
    # Pair (a,c) sees article 1 only, identical -> F1 1, kappa 1.
    # Pair (a,b): article 1 as in the worked example plus article 2 (tokens Paris is big . ->
    #   GPE O O O in both). Spans: tp 3 fp 1 fn 1 -> F1 = 6/8 = 3/4.
    #   Tokens pooled (10): (PER,PER)1 (O,O)6 (PER,ORG)1 (GPE,GPE)2: p_o = 9/10.
    #   Marginals a: PER2 O6 GPE2; b: PER1 O6 ORG1 GPE2; p_e = (2+36+4)/100 = 0.42;
    #   kappa = (0.9-0.42)/0.58 = 24/29.
    art1 = article({"a": A_SPANS, "b": B_SPANS, "c": A_SPANS}, doc_id=1)
    art2 = article({"a": ((0, 5, "GPE"),), "b": ((0, 5, "GPE"),)}, doc_id=2, text="Paris is big.")
    report = compute_agreement([art1, art2], ["a", "b", "c"])
    assert report.documents == 2
    f1 = report.matrix("f1_exact")
    kappa = report.matrix("kappa")
    assert f1[0][1] == pytest.approx(3 / 4) and f1[1][0] == pytest.approx(3 / 4)
    assert f1[0][2] == 1.0
    assert kappa[0][1] == pytest.approx(24 / 29)
    assert kappa[0][2] == pytest.approx(1.0)
    assert report.pair("a", "c").documents == 1
    # Alpha across all three: article 2's tokens have two coders, article 1's three; alpha is
    # below 1 because b disagrees on Merkel, and above the a-b pair's alpha because a and c agree.
    assert report.pair("a", "b").alpha[ALL] < report.alpha[ALL] < 1.0


def test_three_coder_alpha_worked_example():
    # One article, tokens Obama met Merkel in Berlin . ; coders a=A, b=B, c=A.
    # Units with three coders: weight 1/(m-1) = 1/2 per ordered pair.
    # Unit Merkel: values PER, ORG, PER -> ordered pairs PER-ORG twice, ORG-PER twice (x1/2):
    #   o_PER,ORG = o_ORG,PER = 1. Every other unit is unanimous.
    # Totals: n = 18; n_PER = 3+2 = 5, n_O = 9, n_GPE = 3, n_ORG = 1.
    #   sum_{c!=k} n_c n_k = 324 - (25+81+9+1) = 208. alpha = 1 - 17*2/208 = 1 - 34/208 = 87/104.
    report = compute_agreement([article({"a": A_SPANS, "b": B_SPANS, "c": A_SPANS})], ["a", "b", "c"])
    assert report.alpha[ALL] == pytest.approx(87 / 104)


def test_needs_two_distinct_annotators():
    with pytest.raises(ValueError, match="two annotators"):
        compute_agreement([], ["a"])
    with pytest.raises(ValueError, match="once"):
        compute_agreement([], ["a", "a"])


def test_from_corpus_counts_only_articles_both_worked_on(corpus):
    ids = corpus.add_documents([DocumentRecord(text=TEXT), DocumentRecord(text="Paris is big."),
                                DocumentRecord(text="Nothing here at all.")]).new_ids
    for s in A_SPANS:
        corpus.add_span(ids[0], "ann", Span(*s))
    for s in B_SPANS:
        corpus.add_span(ids[0], "bob", Span(*s))
    corpus.add_span(ids[1], "ann", Span(0, 5, "GPE"))
    corpus.set_status(ids[1], "bob", "skipped", "unsure")  # bob skipped article 2
    corpus.set_status(ids[2], "ann", "done")  # both found nothing in article 3 and said so
    corpus.set_status(ids[2], "bob", "done")
    report = corpus_agreement(corpus, ["ann", "bob"])
    pair = report.pair("ann", "bob")
    assert [row.doc_id for row in pair.articles] == [ids[0], ids[2]]
    assert pair.kappa[ALL] is not None
    assert report.labels == ["PER", "ORG", "GPE"]  # schema order
    with pytest.raises(ValueError, match="no annotator named 'zoe'"):
        corpus_agreement(corpus, ["ann", "zoe"])


def test_folding_unanimous_units_leaves_alpha_unchanged():
    # The package on every unit vs. our call (which folds unanimous units into one row per value).
    import krippendorff
    import numpy as np

    from annotator.review.agreement import krippendorff_alpha

    rng = np.random.default_rng(7)
    rows = []
    for _ in range(400):
        coders = int(rng.integers(0, 4))  # 0-3 coders, so some units are unpairable
        row = np.zeros(4, dtype=np.int64)
        for _ in range(coders):
            row[0 if rng.random() < 0.7 else int(rng.integers(1, 4))] += 1
        rows.append(row)
    counts = np.array(rows)
    direct = krippendorff.alpha(value_counts=counts, level_of_measurement="nominal")
    assert krippendorff_alpha(counts) == pytest.approx(direct, abs=1e-12)

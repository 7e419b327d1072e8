"""The reviewed set is what `annotator export spacy` exports by default."""

from __future__ import annotations

import spacy
from click.testing import CliRunner
from spacy.tokens import DocBin

from annotator.cli.main import main
from annotator.review.adjudication import TAKE_A, TAKE_B, Adjudication

from .builders import A, B


def test_export_takes_the_reviewed_set(review_corpus, corpus_path, tmp_path):
    corpus, doc_id, _ = review_corpus
    adj = Adjudication(corpus, A, B, "lead")
    adj.accept_agreements(doc_id)
    found = adj.next_disagreement(doc_id)
    while found is not None:
        _, item = found
        adj.decide(doc_id, item, TAKE_B if item.b is not None else TAKE_A)
        found = adj.next_disagreement(doc_id, item)
    assert corpus.status(doc_id, "lead")[0] == "done"
    reviewed = {(s.start, s.end, s.label) for s in corpus.spans(doc_id, "lead")}

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", "spacy", str(out), "--db", str(corpus_path), "--dev", "0"])
    assert result.exit_code == 0, result.output
    assert "'lead'" in result.output
    nlp = spacy.blank("ar")
    docs = [d for split in ("train", "dev") for path in sorted((out / split).glob("*.spacy"))
            for d in DocBin().from_disk(path).get_docs(nlp.vocab)]
    assert len(docs) == 1
    exported = {(e.start_char, e.end_char, e.label_) for e in docs[0].ents}
    assert exported == reviewed
    # Amira's and Bilal's own sets differ from it: B took the LOC, the boundary, Aleppo.
    assert exported != {(s.start, s.end, s.label) for s in corpus.spans(doc_id, A)}
    assert exported != {(s.start, s.end, s.label) for s in corpus.spans(doc_id, B)}

"""``export conll`` as other tools read it: ``spacy convert`` splits it into our documents with our
entities, and seqeval finds every entity in it under strict IOB2."""

from __future__ import annotations

import subprocess
import sys

import pytest
from seqeval.metrics import classification_report, f1_score
from seqeval.metrics.sequence_labeling import get_entities
from seqeval.scheme import IOB2, Entities
from spacy.tokens import DocBin

from annotator.core.tokenizer import make_nlp
from annotator.formats.conll_writer import write_conll
from annotator.formats.selection import Selection, iter_documents

from .builders import add_synthetic, annotate_seed

pytestmark = pytest.mark.slow


@pytest.fixture
def exported(corpus, tmp_path):
    annotate_seed(corpus)
    add_synthetic(corpus, 6)
    documents = list(iter_documents(corpus, Selection()))
    out = tmp_path / "corpus.conll"
    count, misaligned = write_conll(documents, out)
    assert count == len(documents) == 8 and misaligned == []
    return documents, out


def sentences(path) -> list[list[tuple[str, str]]]:
    """(token, tag) sentences of a CoNLL file, -DOCSTART- lines left out (as seqeval users read it)."""
    found, current = [], []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("-DOCSTART-"):
            if current:
                found.append(current)
            current = []
            continue
        columns = line.split()
        current.append((columns[0], columns[-1]))
    if current:
        found.append(current)
    return found


def test_spacy_convert_gives_back_our_documents_and_entities(exported, tmp_path):
    documents, out = exported
    result = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(out), str(tmp_path), "--converter", "ner"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No document delimiters found" not in result.stdout
    docs = list(DocBin().from_disk(tmp_path / "corpus.spacy").get_docs(make_nlp("ar").vocab))
    assert len(docs) == len(documents)
    for doc, document in zip(docs, documents, strict=True):
        expected = [(document.text[s.start : s.end], s.label) for s in sorted(document.spans, key=lambda s: s.start)]
        # spacy convert joins tokens with spaces: compare entity words, not offsets
        assert [(e.text, e.label_) for e in doc.ents] == [(" ".join(t.split()), label) for t, label in expected]


def test_seqeval_reads_every_entity_under_strict_iob2(exported):
    documents, out = exported
    tags = [[tag for _, tag in sentence] for sentence in sentences(out)]
    strict = [e for sentence in Entities(tags, IOB2).entities for e in sentence]
    lenient = get_entities(tags)
    stored = sum(len(d.spans) for d in documents)
    assert len(strict) == len(lenient) == stored > 20
    labels = sorted({s.label for d in documents for s in d.spans})
    assert sorted({e.tag for e in strict}) == labels
    assert f1_score(tags, tags, mode="strict", scheme=IOB2) == 1.0
    report = classification_report(tags, tags, mode="strict", scheme=IOB2, output_dict=True)
    assert {label: int(report[label]["support"]) for label in labels} == {
        label: sum(1 for d in documents for s in d.spans if s.label == label) for label in labels
    }

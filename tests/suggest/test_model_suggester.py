"""Any spaCy pipeline as a suggester: a tiny NER model trained here, by path and registered."""

from __future__ import annotations

import random

import pytest
from spacy.tokens import Span, SpanGroup
from spacy.training import Example

from annotator.core.spans import DocumentRecord
from annotator.core.tokenizer import new_nlp
from annotator.suggest.runner import SuggesterError, available_suggesters, run_suggesters

SENTENCES = [
    ("Putin met Obama in Moscow.", [("Putin", "PER"), ("Obama", "PER"), ("Moscow", "GPE")]),
    ("Obama flew to Paris.", [("Obama", "PER"), ("Paris", "GPE")]),
    ("Kerry called Lavrov from Geneva.", [("Kerry", "PER"), ("Lavrov", "PER"), ("Geneva", "GPE")]),
    ("Merkel visited Rome.", [("Merkel", "PER"), ("Rome", "GPE")]),
    ("In Berlin, Putin spoke.", [("Berlin", "GPE"), ("Putin", "PER")]),
    ("Lavrov and Kerry met in Vienna.", [("Lavrov", "PER"), ("Kerry", "PER"), ("Vienna", "GPE")]),
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> str:
    """A blank English NER trained for a few iterations on six sentences (CPU, a few seconds)."""
    random.seed(0)
    nlp = new_nlp("en")
    ner = nlp.add_pipe("ner")
    examples = []
    for text, ents in SENTENCES:
        doc = nlp.make_doc(text)
        spans = [(text.index(name), text.index(name) + len(name), label) for name, label in ents]
        examples.append(Example.from_dict(doc, {"entities": spans}))
        for _, _, label in spans:
            ner.add_label(label)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(20):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    path = tmp_path_factory.mktemp("models") / "tiny-ner"
    nlp.to_disk(path)
    return str(path)


def test_model_by_path_suggests_entities(corpus, tiny_model: str) -> None:
    [doc_id] = corpus.add_documents([DocumentRecord(text="Putin met Obama in Moscow.", language="en")]).new_ids
    summary = run_suggesters(corpus, [f"model:{tiny_model}"])
    assert summary.processed == 1
    spans, _ = corpus.suggestions(doc_id, f"model:{tiny_model}")
    text = corpus.document(doc_id).text
    assert ("Putin", "PER") in [(text[s.start : s.end], s.label) for s in spans]
    assert corpus.spans(doc_id, "anyone") == []


def test_registered_models_run_by_default_and_are_cached(corpus, tiny_model: str) -> None:
    corpus.register_model("tiny", tiny_model)
    assert "model:tiny" in available_suggesters(corpus)
    [doc_id] = corpus.add_documents([DocumentRecord(text="Kerry called Lavrov from Geneva.", language="en")]).new_ids
    first = run_suggesters(corpus)
    assert first.per_suggester["model:tiny"]["documents"] == 1
    spans, _ = corpus.suggestions(doc_id, "model:tiny")
    assert {s.label for s in spans} <= {"PER", "GPE"} and spans
    assert run_suggesters(corpus).processed == 0


def test_span_group_scores_and_quote_contents_are_kept(tiny_model: str) -> None:
    nlp = new_nlp("en")
    suggester = nlp.add_pipe("annotator_model", name="model:tiny", config={"model": tiny_model})
    doc = nlp.make_doc('He said "we will win" in Paris.')
    predicted = suggester.model.make_doc(doc.text)
    spans = [Span(predicted, 8, 9, label="GPE"), Span(predicted, 3, 6, label="content")]
    predicted.spans["sc"] = SpanGroup(predicted, name="sc", spans=spans, attrs={"scores": [0.8, 0.6]})
    suggester._convert(doc, predicted)
    result = doc._.suggestions["model:tiny"]
    assert [(doc.text[s.start : s.end], s.label, s.score) for s in result.spans] == [("Paris", "GPE", 0.8)]
    assert [(doc.text[q.contents[0].start : q.contents[0].end], q.type, q.score) for q in result.quotes] == [
        ("we will win", "direct", 0.6)]


def test_a_missing_model_is_a_clear_error(corpus) -> None:
    corpus.add_documents([DocumentRecord(text="Putin met Obama.", language="en")])
    with pytest.raises(SuggesterError, match="can't load spaCy pipeline"):
        run_suggesters(corpus, ["model:/no/such/model"])


def test_an_unknown_suggester_name_is_a_clear_error(corpus) -> None:
    with pytest.raises(SuggesterError, match="unknown suggester 'quote'"):
        run_suggesters(corpus, ["quote"])



def test_a_registered_model_that_is_gone_is_skipped_by_default_with_a_note(corpus, tmp_path) -> None:
    corpus.register_model("gone", str(tmp_path / "deleted-model"))
    [doc_id] = corpus.add_documents([DocumentRecord(text="Putin met Obama.", language="en")]).new_ids
    summary = run_suggesters(corpus)
    assert any(note.startswith("model:gone: can't load spaCy pipeline") for note in summary.skipped)
    assert corpus.suggestion_version(doc_id, "quotes") is not None
    with pytest.raises(SuggesterError, match="can't load"):
        run_suggesters(corpus, ["model:gone"])

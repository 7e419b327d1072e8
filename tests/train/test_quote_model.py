"""A quote model trained from the corpus (issue 16 item 2), on a tiny PolNeAR-derived corpus.

``tests/fixtures/polnear_tiny/``: the first paragraphs of eight PolNeAR train articles with their
first annotator's attributions (built by ``tests/fixtures/make_brat_fixtures.py``). The model is
trained here, through ``annotator train --quotes-only``'s function, for a few steps.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from annotator.formats.selection import Selection
from annotator.store import Corpus
from annotator.suggest.quote_model import QUOTE_MODEL_KEY, RoleSpan, group_roles, is_quote_model
from annotator.suggest.runner import available_suggesters, run_suggesters
from annotator.train.quote_recipe import build_corpus
from annotator.train.trainer import train_corpus

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "polnear_tiny"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("quote-model")
    db = out / "corpus.db"
    assert build_corpus(TINY, db, "polnear", "en") == 8
    with Corpus.open(db) as corpus:
        result = train_corpus(corpus, out / "run", Selection(annotator="polnear", dev=0.25), max_steps=60,
                              eval_frequency=30, quotes_only=True, name="quotes-en")
    return db, result


def test_training_registers_a_quote_model_with_its_measured_scores(trained):
    db, result = trained
    with Corpus.open(db) as corpus:
        [model] = corpus.registered_models()
        assert (model["name"], model["kind"], model["lang"]) == ("quotes-en", "quotes", "en")
        # A quote model serves the quotes suggester; it is not offered as an entity model.
        offered = available_suggesters(corpus)
        assert "quotes" in offered and "model:quotes-en" not in offered
    nlp = spacy.load(result.model_path)
    assert is_quote_model(nlp) and set(nlp.get_pipe("ner").labels) == {"CONTENT", "CUE", "SOURCE"}
    meta = json.loads((Path(result.model_path) / "meta.json").read_text(encoding="utf-8"))[QUOTE_MODEL_KEY]
    assert {"content_overlap", "cue_exact", "source_accuracy"} <= set(meta["dev"])
    assert result.scores["roles"]["train"]["CUE"] > 0 and result.scores["roles"]["train"]["documents"] == 6


def test_the_model_learned_the_corpus_roles(trained):
    _, result = trained
    nlp = spacy.load(result.model_path)
    texts = [p.read_text(encoding="utf-8") for p in sorted((TINY / "text").glob("*.txt"))]
    labels = {ent.label_ for doc in nlp.pipe(texts) for ent in doc.ents}
    assert labels == {"CONTENT", "CUE", "SOURCE"}


def test_the_quotes_suggester_combines_rules_and_model(trained):
    db, _ = trained
    with Corpus.open(db) as corpus:
        summary = run_suggesters(corpus, ["quotes"])
        assert summary.processed == 8 and not summary.skipped
        [version] = summary.versions["quotes"]
        assert version.count("+") == 2  # rules version + rules file + the model's fingerprint
        doc_id = corpus.document_ids()[0]
        _, quotes = corpus.suggestions(doc_id, "quotes")
        assert quotes and all(q.score is not None for q in quotes)
        # One quote where rules and model agree: no two suggestions share content.
        for a in quotes:
            assert sum(1 for b in quotes if b is not a and set(b.contents) & set(a.contents)) == 0


def test_grouping_roles_into_quotes():
    text = ('"We will win," Trump said on Friday. "Nobody can stop us." Clinton said the plan would fail.\n\n'
            "Polls show a tight race.")
    at = text.index

    def role(piece: str, name: str, start: int = 0) -> RoleSpan:
        s = text.index(piece, start)
        return RoleSpan(s, s + len(piece), name)

    roles = [role('"We will win,"', "content"), role("Trump", "source"), role("said", "cue"),
             role('"Nobody can stop us."', "content"), role("Clinton", "source"), role("said", "cue", at("Clinton")),
             role("the plan would fail", "content"), role("a tight race", "content")]
    quotes = group_roles(text, roles, {"cue_source": 0.8, "cue": 0.6, "bare": 0.3})
    shown = [([text[r.start : r.end] for r in q.contents], text[q.cue.start : q.cue.end] if q.cue else None,
              [text[r.start : r.end] for r in q.sources], q.type, q.score) for q in quotes]
    assert shown == [
        (['"We will win,"', '"Nobody can stop us."'], "said", ["Trump"], "direct", 0.8),
        (["the plan would fail"], "said", ["Clinton"], "indirect", 0.8),
        (["a tight race"], None, [], "indirect", 0.3),
    ]


def test_a_quote_model_named_as_a_model_suggester_proposes_quotes_not_entities(trained):
    db, result = trained
    with Corpus.open(db) as corpus:
        name = f"model:{result.model_path}"
        run_suggesters(corpus, [name])
        spans = [s for d in corpus.document_ids() for s in corpus.suggestions(d, name)[0]]
        quotes = [q for d in corpus.document_ids() for q in corpus.suggestions(d, name)[1]]
        assert spans == [] and quotes


def test_a_model_quote_with_a_cue_but_no_source_gets_the_rules_speaker():
    from annotator.core.snapping import TokenIndex
    from annotator.core.spans import Quote, Range
    from annotator.core.tokenizer import make_nlp
    from annotator.suggest.quote_rules import load_quote_rules
    from annotator.suggest.quotes import QuoteDetector

    text = "The campaign manager, who joined in May, quietly said the race was tight. It was close. It rained."
    doc = make_nlp("en").make_doc(text)
    detector = QuoteDetector(load_quote_rules("en"))
    detector.detect(doc)
    said = text.index("said")
    content = Range(text.index("the race"), text.index(" was tight") + len(" was tight"))
    model_quotes = [Quote(contents=(content,), cue=Range(said, said + 4)),
                    Quote(contents=(Range(text.index("It was"), text.index("close") + 5),))]
    index = TokenIndex([(t.idx, t.idx + len(t.text)) for t in doc])
    given = detector.give_speakers(doc, model_quotes, index)
    assert [[text[s.start : s.end] for s in q.sources] for q in given] == [["The campaign manager"],
                                                                         ["The campaign manager"]]

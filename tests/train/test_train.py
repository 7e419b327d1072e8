"""`annotator train`: a tiny real training run, the saved model, its registration, its scores."""

from __future__ import annotations

import pytest
import spacy
from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.tokenizer import make_nlp
from annotator.formats.selection import Selection
from annotator.train.trainer import TrainingError, train_corpus
from tests.export.builders import add_synthetic

pytestmark = pytest.mark.slow


def test_tiny_training_run_learns_registers_and_keeps_the_tokenizer(corpus, tmp_path):
    ids = add_synthetic(corpus, 20)
    steps = []
    result = train_corpus(corpus, tmp_path / "run", Selection(), max_steps=50, progress=steps.append)

    assert (tmp_path / "run" / "model-best").is_dir() and (tmp_path / "run" / "model-last").is_dir()
    assert steps[-1].step == 50 and any(s.score is not None for s in steps)
    assert result.components == ["tok2vec", "ner", "spancat"]
    assert 0.0 <= result.scores["ents_f"] <= 1.0 and "spans_quotes_f" in result.scores

    nlp = spacy.load(result.model_path)
    train_ids = set(result.export.split_documents["train"])
    doc_id = next(i for i in ids if i in train_ids)
    text = corpus.document(doc_id).text
    taught = {(s.start, s.end, s.label) for s in corpus.spans(doc_id, "amira")}
    found = {(e.start_char, e.end_char, e.label_) for e in nlp(text).ents}
    assert found & taught, f"the model found {found}, was taught {taught}"
    assert [t.text for t in nlp.make_doc(text + ' "نتراجع».')] == [
        t.text for t in make_nlp("ar").make_doc(text + ' "نتراجع».')
    ]

    [model] = corpus.registered_models()
    assert model["name"] == "trained:run" and model["path"] == str(result.model_path.resolve())
    assert model["scores"]["ents_f"] == result.scores["ents_f"] and model["labels"] == ["GPE", "ORG", "PER"]
    assert model["spans_key"] == "quotes" and model["documents"] == {"train": 16, "dev": 4}


def test_training_needs_dev_documents(corpus, tmp_path):
    add_synthetic(corpus, 3)
    with pytest.raises(TrainingError, match="no dev documents"):
        train_corpus(corpus, tmp_path / "run", Selection(dev=0.0), max_steps=5)
    assert corpus.registered_models() == []


def test_train_command_prints_scores_and_registers(corpus, corpus_path, tmp_path):
    add_synthetic(corpus, 12)
    out = tmp_path / "cli-run"
    result = CliRunner().invoke(
        main,
        ["train", str(out), "--db", str(corpus_path), "--max-steps", "12", "--no-quotes", "--name", "news-ner"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "Dev scores" in result.output and "entities" in result.output
    assert "registered as suggester 'news-ner'" in result.output
    assert spacy.load(out / "model-best").pipe_names == ["tok2vec", "ner"]
    assert [m["name"] for m in corpus.registered_models()] == ["news-ner"]

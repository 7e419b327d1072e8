"""Fine-tuning keeps the base model's labels: the corpus's labels are trained under the names the
base already predicts, and the new model's map brings them back."""

from __future__ import annotations

from pathlib import Path

from annotator.train.base_model import BaseModel, fine_tuned_map, training_label_space

ANERCORP_LIKE = {
    "lang": "ar",
    "pipeline": ["tok2vec", "ner"],
    "labels": {"ner": ["LOC", "MISC", "ORG", "PERS"]},
    "annotator": {"label_map": {"PERS": "PER", "LOC": "GPE", "ORG": "ORG", "MISC": "MISC"}},
}
SCHEMA = ["PER", "ORG", "GPE", "LOC", "NORP", "MISC"]


def base(meta: dict) -> BaseModel:
    return BaseModel(Path("/nowhere"), "shipped", "ar_news_ner", "model:ar_news_ner", meta)


def test_corpus_labels_are_trained_under_the_bases_names_and_come_back_through_the_new_map():
    space = training_label_space(SCHEMA, base(ANERCORP_LIKE))
    assert space == {"PER": "PERS", "ORG": "ORG", "GPE": "LOC", "LOC": "corpus:LOC", "NORP": "NORP", "MISC": "MISC"}
    back = fine_tuned_map(space, base(ANERCORP_LIKE))
    assert {model_label: back[model_label] for model_label in space.values()} == {v: k for k, v in space.items()}
    assert back["PERS"] == "PER" and back["LOC"] == "GPE"  # what the base predicted still reads right


def test_a_cold_start_trains_the_corpus_labels_as_they_are():
    assert training_label_space(SCHEMA, None) == {label: label for label in SCHEMA}
    assert fine_tuned_map({label: label for label in SCHEMA}, None) == {label: label for label in SCHEMA}

"""The train/dev split: by article, reproducible from a seed, optionally grouped by source."""

from __future__ import annotations

import pytest

from annotator.formats.selection import Selection, SelectionError, parse_label_map
from annotator.formats.spacy_writer import export_spacy

from .builders import add_synthetic


def split_of(corpus, tmp_path, name, **options):
    summary = export_spacy(corpus, tmp_path / name, Selection(**options))
    return summary.split_documents


def test_same_seed_same_split_other_seed_other_split(corpus, tmp_path):
    ids = add_synthetic(corpus, 40)
    first = split_of(corpus, tmp_path, "a", seed=7)
    again = split_of(corpus, tmp_path, "b", seed=7)
    other = split_of(corpus, tmp_path, "c", seed=8)
    assert first == again
    assert set(first["dev"]) != set(other["dev"])
    assert len(first["dev"]) == 8 and sorted(first["train"] + first["dev"]) == ids
    assert (tmp_path / "a" / "train" / "000.spacy").read_bytes() == (tmp_path / "b" / "train" / "000.spacy").read_bytes()


def test_split_is_stable_when_articles_are_added(corpus, tmp_path):
    add_synthetic(corpus, 30, seed=1)
    before = split_of(corpus, tmp_path, "a", seed=3, dev=0.3)
    add_synthetic(corpus, 10, seed=2)
    after = split_of(corpus, tmp_path, "b", seed=3, dev=0.3)
    moved = set(before["dev"]) - set(after["dev"])
    assert len(moved) <= 3  # at most the few pushed out by newcomers that rank earlier


def test_group_by_source_keeps_a_source_on_one_side(corpus, tmp_path):
    add_synthetic(corpus, 30, sources=6)
    split = split_of(corpus, tmp_path, "a", seed=0, group_by_source=True)
    source = {doc_id: corpus.document(doc_id).source for doc_id in split["train"] + split["dev"]}
    train_sources = {source[i] for i in split["train"]}
    dev_sources = {source[i] for i in split["dev"]}
    assert train_sources and dev_sources and not train_sources & dev_sources


def test_two_articles_give_one_each(corpus, tmp_path):
    add_synthetic(corpus, 2)
    split = split_of(corpus, tmp_path, "a")
    assert len(split["train"]) == 1 and len(split["dev"]) == 1


def test_dev_zero_puts_everything_in_train_and_says_so(corpus, tmp_path):
    ids = add_synthetic(corpus, 5)
    summary = export_spacy(corpus, tmp_path / "a", Selection(dev=0.0))
    assert summary.split_documents == {"train": ids, "dev": []}
    assert "the dev split is empty" in summary.format()


def test_label_map_parsing():
    assert parse_label_map(["GPE=LOC", "MISC=", " NORP = ORG "]) == {"GPE": "LOC", "MISC": None, "NORP": "ORG"}
    with pytest.raises(SelectionError, match="FROM=TO"):
        parse_label_map(["GPE"])
    with pytest.raises(SelectionError, match="mapped twice"):
        parse_label_map(["GPE=LOC", "GPE=ORG"])
    with pytest.raises(SelectionError, match="dev fraction"):
        Selection(dev=1.5)

"""`export_spacy`: what lands in the DocBin, the misalignment report, --strict, label maps, statuses."""

from __future__ import annotations

import json

import pytest
import spacy

from annotator.core.spans import DocumentRecord, Span
from annotator.formats.selection import Selection, SelectionError
from annotator.formats.spacy_writer import ExportError, export_spacy, read_split

from .builders import add_synthetic, annotate_seed
from .conftest import ARTICLE, ENGLISH, at


def all_docs(out):
    vocab = spacy.blank("ar").vocab
    return list(read_split(out, "train", vocab)) + list(read_split(out, "dev", vocab))


def test_docbin_holds_entities_and_linked_quote_groups(article_corpus, tmp_path):
    out = tmp_path / "out"
    export_spacy(article_corpus, out, Selection(dev=0.0))
    [doc] = all_docs(out)
    assert doc.text == ARTICLE
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("بوتين", "PER"), ("أوباما", "PER"), ("وبوتين", "PER"), ("هانغتشو", "GPE"),
    ]
    contents = doc.spans["quote_content"]
    assert [(s.text, s.label_) for s in contents] == [("الأمور سارت على ما يرام", "direct"), ("العمل سيستمر", "direct")]
    [cue] = doc.spans["quote_cue"]
    [source] = doc.spans["quote_source"]
    [entity] = doc.spans["quote_entity"]
    assert (cue.text, cue.label_) == ("وقال", "cue")
    assert (source.text, source.label_) == ("بوتين", "source")
    assert (entity.text, entity.label_) == ("بوتين", "PER")
    ids = {s.id_ for group in ("quote_content", "quote_cue", "quote_source", "quote_entity") for s in doc.spans[group]}
    quote = article_corpus.quotes(article_corpus.document_ids()[0], "amira")[0]
    assert ids == {f"q{quote.id}"}
    assert sorted((s.label_, s.id_) for s in doc.spans["quotes"]) == sorted(
        [("CONTENT", f"q{quote.id}")] * 2 + [("CUE", f"q{quote.id}"), ("SOURCE", f"q{quote.id}")]
    )
    meta = doc.user_data["annotator"]
    assert meta["title"] == "قمة" and meta["annotator"] == "amira" and meta["status"] == "done"
    assert json.loads(json.dumps(meta["quotes"])) == [  # msgpack gives tuples back
        {"id": f"q{quote.id}", "type": "direct", "entity": list(at(ARTICLE, "بوتين")), "origin": "manual"}
    ]


def test_misaligned_span_is_listed_and_exported_whole_token(article_corpus, tmp_path):
    out = tmp_path / "out"
    summary = export_spacy(article_corpus, out, Selection(dev=0.0))
    [item] = summary.misaligned
    start, end = at(ARTICLE, "بوتين", 1)
    assert (item.layer, item.label, item.start, item.end, item.text) == ("entity", "PER", start, end, "بوتين")
    assert item.nearest == (start - 1, end) and item.nearest_text == "وبوتين"
    assert item.action == "expanded" and item.title == "قمة"
    reported = json.loads((out / "summary.json").read_text(encoding="utf-8"))["misaligned"]
    assert reported[0]["text"] == "بوتين" and reported[0]["nearest"] == [start - 1, end]
    assert "وبوتين" in summary.format() and "بوتين" in summary.format()
    [doc] = all_docs(out)
    assert doc.user_data["annotator"]["misaligned"][0]["nearest_text"] == "وبوتين"


def test_drop_policy_leaves_the_span_out_but_lists_it(article_corpus, tmp_path):
    summary = export_spacy(article_corpus, tmp_path / "out", Selection(dev=0.0), policy="drop")
    [doc] = all_docs(tmp_path / "out")
    assert "وبوتين" not in [e.text for e in doc.ents]
    assert [m.action for m in summary.misaligned] == ["left out"]


def test_strict_refuses_and_writes_nothing(article_corpus, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ExportError) as caught:
        export_spacy(article_corpus, out, Selection(dev=0.0), strict=True)
    assert "وبوتين" in str(caught.value) and len(caught.value.misaligned) == 1
    assert not out.exists()


def test_expanded_entity_overlapping_another_is_left_out_and_listed(corpus, tmp_path):
    text = "They flew to NewYorkCity today."
    [doc_id] = corpus.add_documents([DocumentRecord(text=text, language="en")]).new_ids
    corpus.add_span(doc_id, "amira", Span(*at(text, "NewYork"), "GPE"))
    corpus.add_span(doc_id, "amira", Span(*at(text, "City"), "LOC"))
    corpus.set_status(doc_id, "amira", "done")
    summary = export_spacy(corpus, tmp_path / "out", Selection(dev=0.0))
    [doc] = all_docs(tmp_path / "out")
    assert len(doc.ents) == 1
    assert [m.action for m in summary.misaligned] == ["expanded", "left out"]
    assert "overlap" in summary.misaligned[1].reason


def test_label_map_relabels_and_leaves_out(corpus, tmp_path):
    [doc_id] = corpus.add_documents([DocumentRecord(text=ENGLISH, language="en")]).new_ids
    corpus.add_span(doc_id, "amira", Span(*at(ENGLISH, "Obama"), "PER"))
    corpus.add_span(doc_id, "amira", Span(*at(ENGLISH, "Hangzhou"), "GPE"))
    corpus.add_span(doc_id, "amira", Span(*at(ENGLISH, "Putin"), "MISC"))
    corpus.set_status(doc_id, "amira", "done")
    selection = Selection(dev=0.0, label_map={"GPE": "LOC", "MISC": None})
    summary = export_spacy(corpus, tmp_path / "out", selection)
    [doc] = all_docs(tmp_path / "out")
    assert [(e.text, e.label_) for e in doc.ents] == [("Obama", "PER"), ("Hangzhou", "LOC")]
    assert summary.left_out_by_mapping == {"MISC": 1}
    assert summary.splits["train"].entities == {"PER": 1, "LOC": 1}


def test_only_chosen_statuses_are_exported(corpus, tmp_path):
    ids = add_synthetic(corpus, 4)
    corpus.set_status(ids[0], "amira", "in_progress")
    corpus.set_status(ids[1], "amira", "skipped")
    summary = export_spacy(corpus, tmp_path / "a", Selection(dev=0.0))
    assert summary.split_documents["train"] == ids[2:]
    summary = export_spacy(corpus, tmp_path / "b", Selection(dev=0.0, statuses=("done", "in_progress")))
    assert sorted(summary.split_documents["train"]) == [ids[0], *ids[2:]]


def test_nothing_selected_is_an_error(corpus, tmp_path):
    add_synthetic(corpus, 2)
    with pytest.raises(ExportError, match="no documents with status skipped"):
        export_spacy(corpus, tmp_path / "out", Selection(statuses=("skipped",)))


def test_default_set_is_the_reviewed_one_else_the_only_annotator_else_an_error(corpus, tmp_path):
    ids = add_synthetic(corpus, 3, annotator="amira")
    summary = export_spacy(corpus, tmp_path / "a", Selection(dev=0.0))
    assert summary.annotator == "amira"
    corpus.add_span(ids[0], "omar", Span(0, 4, "PER"))
    with pytest.raises(SelectionError, match="amira, omar"):
        export_spacy(corpus, tmp_path / "b", Selection())
    corpus.annotator_id("gold", kind="reviewer")
    corpus.add_span(ids[0], "gold", Span(0, 4, "PER"))
    corpus.set_status(ids[0], "gold", "done")
    summary = export_spacy(corpus, tmp_path / "c", Selection(dev=0.0))
    assert summary.annotator == "gold" and summary.split_documents["train"] == [ids[0]]
    with pytest.raises(SelectionError, match="no annotator 'nobody'"):
        export_spacy(corpus, tmp_path / "d", Selection(annotator="nobody"))


def test_seed_export_round_numbers(corpus, tmp_path):
    ids = annotate_seed(corpus)
    summary = export_spacy(corpus, tmp_path / "out", Selection())
    assert sorted(summary.split_documents["train"] + summary.split_documents["dev"]) == ids
    assert summary.splits["train"].documents == 1 and summary.splits["dev"].documents == 1
    assert summary.misaligned == []
    docs = all_docs(tmp_path / "out")
    assert sum(len(d.ents) for d in docs) == sum(len(corpus.spans(i, "amira")) for i in ids)
    assert sum(len(d.user_data["annotator"]["quotes"]) for d in docs) == sum(len(corpus.quotes(i, "amira")) for i in ids)
    config = (tmp_path / "out" / "config.cfg").read_text(encoding="utf-8")
    assert 'lang = "ar"' in config and '"spacy.Tokenizer.v1"' in config and 'spans_key = "quotes"' in config
    assert "annotator" not in config  # plain spaCy trains on it


def test_config_without_quotes_has_no_spancat(corpus, tmp_path):
    [doc_id] = corpus.add_documents([DocumentRecord(text=ENGLISH, language="en")]).new_ids
    corpus.add_span(doc_id, "amira", Span(*at(ENGLISH, "Obama"), "PER"))
    corpus.set_status(doc_id, "amira", "done")
    export_spacy(corpus, tmp_path / "out", Selection(dev=0.0))
    config = spacy.util.load_config(tmp_path / "out" / "config.cfg")
    assert config["nlp"]["pipeline"] == ["tok2vec", "ner"] and config["nlp"]["lang"] == "en"
    assert "spancat" not in config["components"]

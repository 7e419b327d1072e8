"""An article imported with its own tokens (CoNLL) goes out in exactly those tokens, in every export."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from annotator.core.tokenizer import make_nlp
from annotator.formats.conll_writer import write_conll
from annotator.formats.document_tokens import document_doc, stored_tokens
from annotator.formats.importer import import_paths
from annotator.formats.jsonl_writer import write_jsonl
from annotator.formats.selection import Selection, iter_documents
from annotator.formats.spacy_writer import export_spacy, read_split
from annotator.store import Corpus

CONLL = """-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
U.S.-led JJ B-NP B-MISC
call NN I-NP O
. . O O

BRUSSELS NNP B-NP B-LOC
1996-08-22 CD I-NP O

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER
did VBD B-VP O
n't RB I-VP O
comment VB I-VP O
. . O O
"""
TOKENS = [line.split()[0] for line in CONLL.splitlines()[2:] if line]
TAGS = [line.split()[-1] for line in CONLL.splitlines()[2:] if line]


@pytest.fixture
def conll_corpus(corpus, tmp_path):
    path = tmp_path / "reuters.conll"
    path.write_text(CONLL, encoding="utf-8")
    summary = import_paths(corpus, [path], annotator="gold")
    assert summary.errors == [] and summary.documents_new == 1
    [doc_id] = corpus.document_ids()
    corpus.set_status(doc_id, "gold", "done")
    return corpus


def documents(corpus):
    return list(iter_documents(corpus, Selection(annotator="gold", dev=0.0)))


def test_the_shared_tokenizer_would_split_these_tokens():
    words = [t.text for t in make_nlp("en").make_doc(" ".join(TOKENS))]
    assert "1996-08-22" not in words and ["1996", "-", "08", "-", "22"] == words[6:11]  # why this matters


def test_conll_export_writes_the_original_tokens_and_tags(conll_corpus, tmp_path):
    out = tmp_path / "out.conll"
    count, misaligned = write_conll(documents(conll_corpus), out)
    lines = out.read_text(encoding="utf-8").split("\n")
    rows = [line.split() for line in lines[2:] if line]
    assert count == 1 and misaligned == []
    assert lines[0] == "-DOCSTART- -X- O O"
    assert [r[0] for r in rows] == TOKENS and [r[-1] for r in rows] == TAGS
    assert lines[2:].count("") == 4  # a blank line after each of the three sentences, one at the end


def test_jsonl_tokens_and_docbin_tokens_are_the_original_ones(conll_corpus, tmp_path):
    write_jsonl(documents(conll_corpus), tmp_path / "out.jsonl")
    [record] = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [t["text"] for t in record["tokens"] if t["text"].strip()] == TOKENS
    span = next(s for s in record["spans"] if s["label"] == "MISC")
    assert record["tokens"][span["token_start"]]["text"] == "U.S.-led" and span["token_start"] == span["token_end"]

    export_spacy(conll_corpus, tmp_path / "spacy", Selection(annotator="gold", dev=0.0))
    [doc] = read_split(tmp_path / "spacy", "train", make_nlp("en").vocab)
    assert [t.text for t in doc if not t.is_space] == TOKENS
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("EU", "ORG"), ("U.S.-led", "MISC"), ("BRUSSELS", "LOC"), ("Peter Blackburn", "PER")]


def test_conll_round_trip_gives_the_same_text_tokens_and_spans(conll_corpus, tmp_path):
    out = tmp_path / "out.conll"
    write_conll(documents(conll_corpus), out)
    [original] = documents(conll_corpus)
    with Corpus.open(tmp_path / "copy.db") as copy:
        assert import_paths(copy, [out], annotator="gold").errors == []
        [twin_id] = copy.document_ids()
        twin = copy.document(twin_id)
        assert twin.text == original.text and twin.meta["tokens"] == original.meta["tokens"]
        assert [s.key for s in copy.spans(twin_id, "gold")] == [s.key for s in original.spans]


def doc_of(text, tokens, language="en"):
    return document_doc(SimpleNamespace(text=text, language=language, meta={"tokens": tokens}))


def test_whitespace_between_tokens_and_uncovered_text_keep_the_text_exact():
    text = "Peter  Blackburn\n\nBRUSSELS ?? 1996-08-22 "
    tokens = [[0, 5], [7, 16], [18, 26], [30, 40]]
    doc = doc_of(text, tokens)
    assert doc.text == text
    assert [t.text for t in doc if not t.is_space] == ["Peter", "Blackburn", "BRUSSELS", "??", "1996-08-22"]


@pytest.mark.parametrize("tokens, problem", [
    ([[0, 5], [3, 8]], "overlaps the previous token"),
    ([[0, 5], [6, 99]], "outside the text"),
    ([[0, 0]], "is empty"),
    ([[0, "5"]], "not a [start, end] pair of integers"),
    ("0-5", "not a list"),
])
def test_unusable_tokens_fall_back_to_the_shared_tokenizer(tokens, problem):
    text = "Peter Blackburn said so."
    assert stored_tokens(text, {"tokens": tokens})[0] is None
    assert problem in stored_tokens(text, {"tokens": tokens})[1]
    assert [t.text for t in doc_of(text, tokens)] == [t.text for t in make_nlp("en").make_doc(text)]


def test_documents_without_tokens_use_the_shared_tokenizer():
    text = 'وقال "نتراجع». لن'
    doc = document_doc(SimpleNamespace(text=text, language="ar", meta={}))
    assert [t.text for t in doc] == [t.text for t in make_nlp("ar").make_doc(text)]

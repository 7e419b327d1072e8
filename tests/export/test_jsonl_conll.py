"""JSONL (Prodigy shape + quotes) and CoNLL BIO exports, and the JSONL round trip through import."""

from __future__ import annotations

import json

import pytest

from annotator.core.tokenizer import make_nlp
from annotator.formats.conll_writer import DOCSTART, write_conll
from annotator.formats.importer import import_paths
from annotator.formats.jsonl_writer import write_jsonl
from annotator.formats.selection import Selection, iter_documents
from annotator.formats.spacy_writer import ExportError
from annotator.store import Corpus

from .builders import annotate_seed
from .conftest import ARTICLE, at


def documents(corpus, **options):
    return list(iter_documents(corpus, Selection(**options)))


def test_jsonl_record_shape(article_corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    count, misaligned = write_jsonl(documents(article_corpus), out)
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert count == 1 and len(misaligned) == 1
    assert record["text"] == ARTICLE and record["annotator"] == "amira" and record["answer"] == "accept"
    assert record["meta"]["title"] == "قمة" and record["meta"]["source"] == "وكالات"
    assert record["meta"]["status"] == "done"
    assert isinstance(record["_input_hash"], int) and isinstance(record["_task_hash"], int)
    words = [t.text for t in make_nlp("ar").make_doc(ARTICLE)]
    assert [t["text"] for t in record["tokens"]] == words
    assert all(ARTICLE[t["start"]:t["end"]] == t["text"] for t in record["tokens"])
    putin = next(s for s in record["spans"] if (s["start"], s["end"]) == at(ARTICLE, "بوتين"))
    assert putin["label"] == "PER" and putin["token_start"] == putin["token_end"] == 1
    clitic = next(s for s in record["spans"] if (s["start"], s["end"]) == at(ARTICLE, "بوتين", 1))
    assert record["tokens"][clitic["token_start"]]["text"] == "وبوتين"  # nearest tokens; offsets untouched
    [quote] = record["quotes"]
    assert quote == {
        "type": "direct",
        "contents": [list(at(ARTICLE, "الأمور سارت على ما يرام")), list(at(ARTICLE, "العمل سيستمر"))],
        "cue": list(at(ARTICLE, "وقال")),
        "sources": [list(at(ARTICLE, "بوتين"))],
        "entity": list(at(ARTICLE, "بوتين")),
    }


def test_jsonl_round_trip_gives_the_same_spans_quotes_and_status(corpus, tmp_path):
    ids = annotate_seed(corpus)
    out = tmp_path / "seed.jsonl"
    write_jsonl(documents(corpus), out)
    with Corpus.open(tmp_path / "copy.db") as copy:
        summary = import_paths(copy, [out])
        assert summary.errors == []
        assert len(copy.document_ids()) == len(ids)
        for doc_id in ids:
            original = corpus.document(doc_id)
            twin = copy.document_by_hash(original.content_hash)
            assert twin is not None and twin.text == original.text
            assert (twin.title, twin.source, twin.language) == (original.title, original.source, original.language)
            assert [s.key for s in copy.spans(twin.id, "amira")] == [s.key for s in corpus.spans(doc_id, "amira")]
            assert [(q.key, q.type, q.entity) for q in copy.quotes(twin.id, "amira")] == [
                (q.key, q.type, q.entity) for q in corpus.quotes(doc_id, "amira")
            ]
            assert copy.status(twin.id, "amira")[0] == "done"


@pytest.mark.parametrize("with_tokens", [True, False], ids=["tokens", "no-tokens"])
def test_jsonl_without_tokens_still_round_trips(corpus, tmp_path, with_tokens):
    ids = annotate_seed(corpus)
    out = tmp_path / "seed.jsonl"
    write_jsonl(documents(corpus), out, with_tokens=with_tokens)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(("tokens" in r) == with_tokens for r in records)
    assert all(("token_start" in s) == with_tokens for r in records for s in r["spans"])
    with Corpus.open(tmp_path / "copy.db") as copy:
        assert import_paths(copy, [out]).errors == []
        for doc_id in ids:
            twin = copy.document_by_hash(corpus.document(doc_id).content_hash)
            assert [s.key for s in copy.spans(twin.id, "amira")] == [s.key for s in corpus.spans(doc_id, "amira")]
            assert [q.key for q in copy.quotes(twin.id, "amira")] == [q.key for q in corpus.quotes(doc_id, "amira")]


def test_jsonl_strict_writes_nothing(article_corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    with pytest.raises(ExportError):
        write_jsonl(documents(article_corpus), out, strict=True)
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_conll_bio(article_corpus, tmp_path):
    out = tmp_path / "out.conll"
    count, misaligned = write_conll(documents(article_corpus), out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert count == 1 and len(misaligned) == 1
    assert lines[0] == DOCSTART and lines[1] == ""
    rows = [line.split() for line in lines[2:] if line]
    assert all(len(row) == 4 for row in rows)
    tags = {row[0]: row[3] for row in rows}
    assert tags["بوتين"] == "B-PER" and tags["وبوتين"] == "B-PER" and tags["هانغتشو"] == "B-GPE"
    assert tags["وقال"] == "O"


def test_conll_multi_token_entities_and_documents(corpus, tmp_path):
    annotate_seed(corpus)
    out = tmp_path / "seed.conll"
    write_conll(documents(corpus), out)
    text = out.read_text(encoding="utf-8")
    assert text.count(DOCSTART) == 2
    rows = [line.split() for line in text.splitlines() if line and line != DOCSTART]
    pairs = list(zip(rows, rows[1:], strict=False))
    assert any(a[0] == "باراك" and a[3] == "B-PER" and b[0] == "أوباما" and b[3] == "I-PER" for a, b in pairs)
    assert all(not row[3].startswith("I-") or prev[3][2:] == row[3][2:] for prev, row in pairs)
    assert "\n\n\n" not in text

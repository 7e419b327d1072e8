"""``--jobs 2`` gives the same bytes as ``--jobs 1``; sharded runs merged equal one run."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

import pytest
import spacy
from click.testing import CliRunner

from annotator.cli.main import main
from annotator.formats.conll_writer import export_conll
from annotator.formats.jsonl_writer import export_jsonl
from annotator.formats.selection import Selection
from annotator.formats.spacy_writer import export_spacy, read_split
from annotator.jobs.shards import Shard, shard_of
from annotator.store import Corpus
from annotator.store.merge import merge_corpus
from annotator.suggest.runner import run_suggesters

from .conftest import copy_corpus, suggestion_rows

SUGGESTERS = ["gazetteer", "learned", "quotes"]


def test_suggest_with_two_workers_stores_exactly_what_one_process_stores(annotated, tmp_path):
    other = copy_corpus(annotated, tmp_path / "other.db")
    with Corpus.open(annotated) as corpus:
        one = run_suggesters(corpus, SUGGESTERS, batch_size=16, jobs=1)
    with Corpus.open(other) as corpus:
        two = run_suggesters(corpus, SUGGESTERS, batch_size=16, jobs=2)
    assert one.processed == two.processed == 162 and one.spans == two.spans > 300 and one.quotes == two.quotes > 150
    with sqlite3.connect(annotated) as a, sqlite3.connect(other) as b:
        # the same rows under the same ids: one writer, in document order
        query = 'SELECT id, document_id, suggester, kind, start, "end", label, score, data FROM suggestions ORDER BY id'
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
        runs = "SELECT document_id, suggester, version FROM suggestion_runs ORDER BY document_id, suggester"
        assert a.execute(runs).fetchall() == b.execute(runs).fetchall()
    a.close()
    b.close()
    with Corpus.open(other) as corpus:  # the cache is per suggester and version, whichever process wrote it
        again = run_suggesters(corpus, SUGGESTERS, jobs=2)
    assert again.processed == 0 and again.up_to_date == 162


def test_suggest_shards_into_their_own_files_merge_into_what_one_run_stores(annotated, tmp_path):
    whole = copy_corpus(annotated, tmp_path / "whole.db")
    with Corpus.open(whole) as corpus:
        run_suggesters(corpus, SUGGESTERS)
    counts = []
    with Corpus.open(annotated) as corpus:
        for k in (1, 2, 3):
            with Corpus.open(tmp_path / f"shard-{k}.db") as into:
                summary = run_suggesters(corpus, SUGGESTERS, shard=Shard(k, 3), into=into)
                counts.append(summary.documents)
                assert into.count_documents() == summary.processed == summary.documents
        assert sum(counts) == 162 and min(counts) > 30  # a stable third each, roughly
        assert not corpus.suggestions(corpus.document_ids()[0])[0]  # the corpus itself untouched
        for k in (1, 2, 3):
            merged = merge_corpus(corpus, tmp_path / f"shard-{k}.db")
            assert merged.documents_new == 0 and merged.suggestions == counts[k - 1] * 3
    assert suggestion_rows(annotated) == suggestion_rows(whole)


def test_shard_of_a_document_depends_only_on_its_text():
    digest = "f" * 64
    assert shard_of(digest, 4) == Shard.parse("4/4").index and Shard.parse(" 4 / 4 ").holds(digest)
    assert [Shard(k, 3).holds("0" * 15 + "1" + "0" * 48) for k in (1, 2, 3)] == [False, True, False]


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_export_with_two_workers_is_byte_identical_to_one_process(annotated, tmp_path):
    selection = Selection()
    with Corpus.open(annotated) as corpus:
        outputs = {}
        for jobs in (1, 2):
            out = tmp_path / f"spacy-{jobs}"
            summary = export_spacy(corpus, out, selection, jobs=jobs, shard_size=40)
            outputs[jobs] = _files(out)
            export_jsonl(corpus, tmp_path / f"{jobs}.jsonl", selection, jobs=jobs)
            export_conll(corpus, tmp_path / f"{jobs}.conll", selection, jobs=jobs)
        expected = Counter(s.label for doc_id in corpus.document_ids() for s in corpus.spans(doc_id, "amira"))
        quotes = sum(len(corpus.quotes(doc_id, "amira")) for doc_id in corpus.document_ids())
    config = {jobs: outputs[jobs].pop("config.cfg").decode().replace(f"spacy-{jobs}", "spacy-N") for jobs in (1, 2)}
    assert config[1] == config[2]
    assert outputs[1] == outputs[2]
    data_files = sorted(name for name in outputs[1] if not name.startswith("tokenizer/"))
    assert data_files == ["dev/000.spacy", "summary.json", "train/000.spacy", "train/001.spacy",
                          "train/002.spacy", "train/003.spacy"]
    assert "tokenizer/tokenizer" in outputs[1]  # the shared tokenizer, for spacy train without annotator
    assert (tmp_path / "1.jsonl").read_bytes() == (tmp_path / "2.jsonl").read_bytes()
    assert (tmp_path / "1.conll").read_bytes() == (tmp_path / "2.conll").read_bytes()
    # A corpus larger than one shard: every span is in the DocBins, counted per label.
    vocab = spacy.blank("ar").vocab
    docs = list(read_split(tmp_path / "spacy-2", "train", vocab)) + list(read_split(tmp_path / "spacy-2", "dev", vocab))
    assert len(docs) == 162 == summary.splits["train"].documents + summary.splits["dev"].documents
    assert Counter(e.label_ for doc in docs for e in doc.ents) == expected
    assert sum(len(doc.user_data["annotator"]["quotes"]) for doc in docs) == quotes
    written = json.loads(outputs[2]["summary.json"])
    assert written["files"]["shards"]["train"] == [f"train/00{i}.spacy" for i in range(4)]
    assert 'train = "' + str((tmp_path / "spacy-1" / "train").resolve()) in config[1].replace("spacy-N", "spacy-1")


def test_export_shards_hold_each_document_once_with_the_split_of_the_whole(annotated, tmp_path):
    with Corpus.open(annotated) as corpus:
        whole = export_spacy(corpus, tmp_path / "whole", Selection())
        parts = [export_spacy(corpus, tmp_path / f"part-{k}", Selection(), shard=Shard(k, 2)) for k in (1, 2)]
        for k in (1, 2):
            export_jsonl(corpus, tmp_path / f"{k}.jsonl", Selection(), shard=Shard(k, 2))
        export_jsonl(corpus, tmp_path / "whole.jsonl", Selection())
    for split in ("train", "dev"):
        ids = [i for part in parts for i in part.split_documents[split]]
        assert sorted(ids) == sorted(whole.split_documents[split]) and len(set(ids)) == len(ids)
    lines = [line for k in (1, 2) for line in (tmp_path / f"{k}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(lines) == sorted((tmp_path / "whole.jsonl").read_text(encoding="utf-8").splitlines())


def test_cli_takes_jobs_and_shard(annotated, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["suggest", "--db", str(annotated), "--jobs", "2", "--shard", "1/2",
                                  "--suggester", "gazetteer", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert 0 < summary["processed"] == summary["documents"] < 162
    result = runner.invoke(main, ["suggest", "--db", str(annotated), "--shard", "3/2"])
    assert result.exit_code == 2 and "K must be between 1 and N" in result.output
    result = runner.invoke(main, ["export", "conll", str(tmp_path / "a.conll"), "--db", str(annotated),
                                  "--shard", "2/2", "-j", "1"])
    assert result.exit_code == 0 and "(shard 2/2)" in result.output


def test_agreement_with_two_workers_gives_the_same_figures(annotated):
    from annotator.review.agreement import corpus_agreement

    with Corpus.open(annotated) as corpus:
        for n, doc_id in enumerate(corpus.document_ids()[:140]):
            spans = corpus.spans(doc_id, "amira")
            for span in spans[: len(spans) - n % 2]:  # bilal misses the last entity of every other article
                corpus.add_span(doc_id, "bilal", span.with_(id=None, label="ORG" if n % 7 == 0 else span.label))
            corpus.set_status(doc_id, "bilal", "done")
        one = corpus_agreement(corpus, ["amira", "bilal"], jobs=1).to_dict()
        two = corpus_agreement(corpus, ["amira", "bilal"], jobs=2).to_dict()
    assert one == two
    assert one["documents"] == 140 and 0.5 < one["pairs"][0]["spans"]["exact"]["__all__"]["f1"] < 1.0


def test_a_shard_file_with_a_suggestion_outside_its_text_merges_nothing(annotated, tmp_path):
    from annotator.store.other_corpus import OtherCorpusError

    with Corpus.open(annotated) as corpus, Corpus.open(tmp_path / "shard.db") as into:
        run_suggesters(corpus, ["gazetteer"], shard=Shard(1, 2), into=into)
        into.conn.execute('UPDATE suggestions SET "end" = 100000 WHERE id = 2')
    with Corpus.open(annotated) as corpus:
        with pytest.raises(OtherCorpusError, match=r"table suggestions row 2 column start, end: \[.* is outside the text"):
            merge_corpus(corpus, tmp_path / "shard.db")
        assert corpus.conn.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0] == 0


def test_evaluate_with_two_workers_gives_the_same_scores(annotated, tmp_path):
    from annotator.suggest.evaluation import evaluate

    db = copy_corpus(annotated, tmp_path / "scored.db")
    with Corpus.open(db) as corpus:
        run_suggesters(corpus, SUGGESTERS, jobs=1)
        ids = corpus.document_ids()
        for doc_id in ids[:150]:
            corpus.set_status(doc_id, "amira", "done")
        one = evaluate(corpus, "amira", doc_ids=ids[:150], jobs=1)
        two = evaluate(corpus, "amira", doc_ids=ids[:150], jobs=2)
    assert one == two
    entities = one["entities"]["gazetteer"]["exact"]["__all__"]
    assert one["documents"] == 150 and entities["tp"] + entities["fn"] > 150  # many chunks, every gold entity
    assert one["quote_attribution"]["quotes"]["gold"] > 0 and "combined" in one["entities"]

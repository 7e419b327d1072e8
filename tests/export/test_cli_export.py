"""`annotator export spacy|jsonl|conll` through the command line."""

from __future__ import annotations

import json

from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.spans import Span

from .builders import add_synthetic


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_export_spacy_prints_the_summary_and_writes_the_files(article_corpus, corpus_path, tmp_path):
    out = tmp_path / "out"
    result = run("export", "spacy", str(out), "--db", str(corpus_path), "--dev", "0", "--map", "GPE=LOC")
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {"train", "dev", "config.cfg", "summary.json", "tokenizer"}
    assert [p.name for p in (out / "train").iterdir()] == ["000.spacy"]
    assert "train: 1 documents in train/ (1 DocBin); entities: LOC 1, PER 3" in result.output
    assert "1 spans do not align with tokens" in result.output and "وبوتين" in result.output
    assert "spacy debug data" in result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["label_map"] == {"GPE": "LOC"} and summary["splits"]["train"]["entities"]["LOC"] == 1


def test_export_spacy_strict_fails_and_writes_nothing(article_corpus, corpus_path, tmp_path):
    out = tmp_path / "out"
    result = run("export", "spacy", str(out), "--db", str(corpus_path), "--strict")
    assert result.exit_code != 0
    assert "nothing was written" in result.output and "وبوتين" in result.output
    assert not out.exists()


def test_export_needs_an_annotator_when_there_are_several(corpus, corpus_path, tmp_path):
    ids = add_synthetic(corpus, 3)
    corpus.add_span(ids[0], "omar", Span(0, 4, "PER"))
    result = run("export", "spacy", str(tmp_path / "out"), "--db", str(corpus_path))
    assert result.exit_code != 0 and "choose one with --annotator: amira, omar" in result.output
    result = run("export", "spacy", str(tmp_path / "out"), "--db", str(corpus_path), "--annotator", "amira")
    assert result.exit_code == 0, result.output


def test_export_jsonl_and_conll(article_corpus, corpus_path, tmp_path):
    result = run("export", "jsonl", str(tmp_path / "a.jsonl"), "--db", str(corpus_path))
    assert result.exit_code == 0, result.output
    assert "wrote 1 documents" in result.output and "وبوتين" in result.output
    assert json.loads((tmp_path / "a.jsonl").read_text(encoding="utf-8"))["annotator"] == "amira"
    result = run("export", "conll", str(tmp_path / "a.conll"), "--db", str(corpus_path), "--map", "PER=")
    assert result.exit_code == 0, result.output
    assert "B-PER" not in (tmp_path / "a.conll").read_text(encoding="utf-8")
    result = run("export", "conll", str(tmp_path / "c.conll"), "--db", str(corpus_path), "--misaligned", "drop")
    assert result.exit_code == 0 and "left out" in result.output
    assert "وبوتين -X- _ O" in (tmp_path / "c.conll").read_text(encoding="utf-8")
    result = run("export", "conll", str(tmp_path / "b.conll"), "--db", str(corpus_path), "--strict")
    assert result.exit_code != 0 and not (tmp_path / "b.conll").exists()


def test_bad_label_map_is_a_usage_error(article_corpus, corpus_path, tmp_path):
    result = run("export", "spacy", str(tmp_path / "out"), "--db", str(corpus_path), "--map", "GPE")
    assert result.exit_code == 2 and "FROM=TO" in result.output


def test_export_jsonl_without_tokens_says_spans_were_not_checked(article_corpus, corpus_path, tmp_path):
    result = run("export", "jsonl", str(tmp_path / "a.jsonl"), "--db", str(corpus_path), "--no-tokens")
    assert result.exit_code == 0, result.output
    assert "not checked against tokens" in result.output
    record = json.loads((tmp_path / "a.jsonl").read_text(encoding="utf-8"))
    assert "tokens" not in record and record["spans"]
    result = run("export", "jsonl", str(tmp_path / "b.jsonl"), "--db", str(corpus_path), "--no-tokens", "--strict")
    assert result.exit_code == 2 and "--no-tokens" in result.output and not (tmp_path / "b.jsonl").exists()

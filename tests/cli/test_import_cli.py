"""`annotator import` and `annotator stats` through click's CliRunner, checked against the database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.cli.main import main
from annotator.store import Corpus

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "import"
SEEDS = ROOT / "seeds"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_make_run_import_of_the_seeds(tmp_path):
    db = tmp_path / "corpus" / "corpus.db"
    result = run("import", SEEDS, "--db", db, "--split-at-source")
    assert result.exit_code == 0, result.output
    assert "1 file (1 ok, 0 failed)" in result.stdout
    assert "documents: 2 new, 0 already in the corpus" in result.stdout
    with Corpus.open(db) as corpus:
        assert corpus.count_documents() == 2
    again = run("import", SEEDS, "--db", db, "--split-at-source")
    assert again.exit_code == 0
    assert "documents: 0 new, 2 already in the corpus" in again.stdout
    assert "nothing new: everything was imported before" in again.stdout


def test_errors_are_one_line_each_and_the_exit_code_is_1(tmp_path):
    db = tmp_path / "c.db"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"text": 5}\n', encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = run("import", bad, binary, FIXTURES / "prodigy.jsonl", "--db", db)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {bad}:2: text: expected a string, got the number 5",
        f"error: {binary}: this is a PNG image, not annotation data",
    ]
    assert "3 files (1 ok, 2 failed)" in result.stdout and "spans: 5, quotes: 0" in result.stdout
    with Corpus.open(db) as corpus:
        assert corpus.count_documents() == 2


def test_field_mapping_lang_and_annotator_options(tmp_path):
    db = tmp_path / "c.db"
    result = run("import", FIXTURES / "saudinewsnet-20.jsonl", "--db", db, "--text-field", "content",
                 "--title-field", "title", "--source-field", "source", "--lang", "ar")
    assert result.exit_code == 0, result.output
    result = run("import", FIXTURES / "conll" / "bio.conll", "--db", db, "--annotator", "amira")
    assert "annotators: amira" in result.stdout
    with Corpus.open(db) as corpus:
        assert corpus.count_documents() == 22
        sources = {r[0] for r in corpus.conn.execute("SELECT source FROM documents WHERE source IS NOT NULL")}
        assert "aljazirah" in sources


def test_unknown_label_suggests_allow_new_labels(tmp_path):
    db = tmp_path / "c.db"
    data = tmp_path / "a.jsonl"
    data.write_text(json.dumps({"text": "Obama spoke.", "spans": [{"start": 0, "end": 5, "label": "PERSON"}]}) + "\n")
    result = run("import", data, "--db", db)
    assert result.exit_code == 1 and "pass --allow-new-labels to add it" in result.stderr
    result = run("import", data, "--db", db, "--allow-new-labels", "--annotator", "amira")
    assert result.exit_code == 0


def test_from_db_merges_a_colleagues_corpus(tmp_path):
    theirs = tmp_path / "theirs.db"
    assert run("import", FIXTURES / "prodigy.jsonl", "--db", theirs).exit_code == 0
    mine = tmp_path / "mine.db"
    result = run("import", "--from-db", theirs, "--db", mine)
    assert result.exit_code == 0, result.output
    assert "documents: 2 new" in result.stdout and "spans: 5" in result.stdout
    with Corpus.open(mine) as corpus:
        assert {a["name"] for a in corpus.annotators()} == {"amira"}


def test_import_without_paths_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["import", "--db", str(tmp_path / "c.db")])
    assert result.exit_code == 2 and "name at least one PATH" in result.output


def test_stats_json_and_table(tmp_path):
    db = tmp_path / "c.db"
    run("import", FIXTURES / "prodigy.jsonl", FIXTURES / "quotes.jsonl", FIXTURES / "doccano.jsonl",
        "--db", db, "--annotator", "omar")
    with Corpus.open(db) as corpus:
        corpus.set_status(corpus.document_ids()[0], "amira", "done")
    result = run("stats", "--db", db, "--json")
    assert result.exit_code == 0
    stats = json.loads(result.stdout)
    assert stats["documents"] == 6 and stats["by_language"] == {"en": 5, "ar": 1}
    assert stats["statuses"]["amira"] == {"new": 5, "in_progress": 0, "done": 1, "skipped": 0}
    assert stats["spans"] == {"amira": {"GPE": 2, "PER": 4}, "omar": {"GPE": 2, "ORG": 1, "PER": 1}}
    assert stats["quotes"] == {"amira": {"direct": 2}}
    assert [a["name"] for a in stats["annotators"]] == ["amira", "omar"]
    table = run("stats", "--db", db)
    assert table.exit_code == 0 and "6 documents (en 5, ar 1)" in table.stdout
    assert "Spans per label" in table.stdout


def test_stats_on_a_missing_corpus_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["stats", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no such corpus file" in result.output


def test_jsonl_export_round_trips_through_import(tmp_path):
    first, second, exported = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "out.jsonl"
    assert run("import", FIXTURES / "quotes.jsonl", FIXTURES / "prodigy.jsonl", "--db", first).exit_code == 0
    with Corpus.open(first) as corpus:
        corpus.set_status(corpus.document_ids()[0], "amira", "done")
    result = run("export", "jsonl", exported, "--db", first, "--annotator", "amira",
                 "--status", "new", "--status", "in_progress", "--status", "done")
    assert result.exit_code == 0, result.output
    assert run("import", exported, "--db", second).exit_code == 0
    with Corpus.open(first) as a, Corpus.open(second) as b:
        assert a.count_documents() == b.count_documents() == 4
        for doc_id in a.document_ids():
            original = a.document(doc_id)
            copy = b.document_by_hash(original.content_hash)
            assert (copy.text, copy.title, copy.source, copy.language, copy.direction, copy.meta) == (
                original.text, original.title, original.source, original.language, original.direction, original.meta)
            assert [s.key for s in b.spans(copy.id, "amira")] == [s.key for s in a.spans(doc_id, "amira")]
            def quotes(corpus, ident):
                return [(q.key, q.type, q.entity) for q in corpus.quotes(ident, "amira")]

            assert quotes(b, copy.id) == quotes(a, doc_id)
            assert b.status(copy.id, "amira") == a.status(doc_id, "amira")


def test_public_conll_corpus_imports_relabelled_with_its_warnings(tmp_path):
    db = tmp_path / "c.db"
    corpus_file = ROOT / "tests" / "fixtures" / "corpora" / "anercorp-excerpt.txt"
    refused = run("import", corpus_file, "--db", db, "--strict", "--map", "PERS=PER", "--map", "LOC=GPE")
    assert refused.exit_code == 1
    assert "I-MISC at the start of a sentence" in refused.output
    result = run("import", corpus_file, "--db", db, "--annotator", "anercorp",
                 "--map", "PERS=PER", "--map", "LOC=GPE", "--sentences-per-doc", "4")
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "read as the start of a MISC entity" in result.output
    with Corpus.open(db) as corpus:
        assert corpus.count_documents() == 2
        labels = {row[0] for row in corpus.conn.execute("SELECT DISTINCT label FROM spans")}
    assert labels == {"PER", "GPE", "ORG", "MISC"}
    bad_map = run("import", corpus_file, "--db", db, "--map", "PERS")
    assert bad_map.exit_code == 2 and "FROM=TO" in bad_map.output

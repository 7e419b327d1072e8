"""Statuses on import: the files' own evidence by default, ``--status`` for everything a file brings;
and the summary's wording (repeated in the file, every skipped item counted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord
from annotator.core.text import content_hash
from annotator.formats.common import NOTE_REJECTED
from annotator.formats.importer import import_paths

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "import"


def jsonl(tmp_path: Path, name: str, *records: dict) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def status_of(corpus, text: str, annotator: str) -> tuple[str, str | None]:
    return corpus.status(corpus.document_by_hash(content_hash(text)).id, annotator)


def prodigy(text: str, answer: str, **extra) -> dict:
    return {"text": text, "answer": answer, "spans": [{"start": 0, "end": 5, "label": "PER"}], **extra}


def test_prodigy_answers_set_the_annotators_status(corpus, tmp_path):
    path = jsonl(tmp_path, "p.jsonl", prodigy("Obama spoke.", "accept", _annotator_id="news-amira"),
                 prodigy("Putin spoke.", "reject", _annotator_id="news-amira"),
                 prodigy("Xi spoke up.", "ignore", _annotator_id="news-amira"), {"text": "No answer here."})
    summary = import_paths(corpus, [path])
    assert summary.ok and summary.annotators == {"news-amira"}
    assert status_of(corpus, "Obama spoke.", "news-amira") == ("done", None)
    assert status_of(corpus, "Putin spoke.", "news-amira") == ("skipped", "rejected in Prodigy")
    assert status_of(corpus, "Xi spoke up.", "news-amira") == ("skipped", "ignored in Prodigy")
    assert status_of(corpus, "No answer here.", "news-amira") == ("new", None)
    doc = corpus.document_by_hash(content_hash("Putin spoke."))
    assert corpus.spans(doc.id, "news-amira") == [] and "answer" not in doc.meta
    assert summary.statuses_set == {"done": 1, "skipped": 2} and summary.notes[NOTE_REJECTED] == 2


def test_gold_without_evidence_stays_new_unless_status_done_is_given(corpus):
    conll = FIXTURES / "conll" / "bio.conll"
    import_paths(corpus, [conll])
    assert corpus.documents_with_status("imported", ["done"]) == []
    summary = import_paths(corpus, [conll], status="done")
    assert summary.statuses == 2 and summary.statuses_set == {"done": 2}
    assert [status for _, status in corpus.documents_with_status("imported", ["done"])] == ["done", "done"]
    again = import_paths(corpus, [conll], status="done")
    assert again.statuses == 0  # nothing changed


def test_explicit_status_replaces_the_files_evidence_and_an_existing_status(corpus, tmp_path):
    path = jsonl(tmp_path, "p.jsonl", prodigy("Obama spoke.", "accept", annotator="amira"),
                 prodigy("Putin spoke.", "reject", annotator="amira"))
    summary = import_paths(corpus, [path], status="in_progress")
    assert status_of(corpus, "Obama spoke.", "amira") == ("in_progress", None)
    assert status_of(corpus, "Putin spoke.", "amira") == ("in_progress", None)
    assert summary.statuses_set == {"in_progress": 2}
    import_paths(corpus, [path], status="done")
    assert status_of(corpus, "Obama spoke.", "amira") == ("done", None)


def test_status_new_keeps_the_files_evidence_out(corpus, tmp_path):
    path = jsonl(tmp_path, "p.jsonl", prodigy("Obama spoke.", "accept", annotator="amira"))
    summary = import_paths(corpus, [path], status="new")
    assert status_of(corpus, "Obama spoke.", "amira") == ("new", None) and summary.statuses == 0


def test_the_files_evidence_never_replaces_a_status_the_annotator_has(corpus, tmp_path):
    path = jsonl(tmp_path, "p.jsonl", prodigy("Obama spoke.", "accept", annotator="amira"))
    [doc_id] = corpus.add_documents([DocumentRecord(text="Obama spoke.")]).new_ids
    corpus.set_status(doc_id, "amira", "in_progress")
    summary = import_paths(corpus, [path])
    assert corpus.status(doc_id, "amira") == ("in_progress", None) and summary.statuses == 0


def test_status_for_a_file_without_any_annotation_set_needs_an_annotator(corpus, tmp_path):
    texts = tmp_path / "article.txt"
    texts.write_text("A title\nA body.\n", encoding="utf-8")
    summary = import_paths(corpus, [texts], status="done")
    assert summary.ok and summary.statuses == 0
    assert summary.warnings == [
        f"{texts}: --status done: the file names no annotator and carries no annotations, so there is no "
        "annotation set to give a status to; pass --annotator NAME"]
    summary = import_paths(corpus, [texts], status="done", annotator="amira")
    assert summary.statuses == 1 and status_of(corpus, "A title\nA body.\n", "amira") == ("done", None)


def test_an_unknown_status_is_refused_before_anything_is_read(corpus, tmp_path):
    with pytest.raises(ValueError, match="status must be one of new, in_progress, done, skipped, not 'finished'"):
        import_paths(corpus, [tmp_path / "nothing.jsonl"], status="finished")


# -- summary wording ---------------------------------------------------------------------------------


def test_a_file_that_repeats_an_article_says_so_and_not_already_in_the_corpus(tmp_path):
    path = jsonl(tmp_path, "r.jsonl", {"text": "Same article."}, {"text": "Other article."}, {"text": "Same article."},
                 {"text": "  "}, prodigy("Obama spoke.", "reject"))
    db = tmp_path / "new.db"
    result = CliRunner().invoke(main, ["import", str(path), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "documents: 3 new, 0 already in the corpus, 1 repeated in the file, 1 skipped (empty text)" in lines
    assert "rejected or ignored answers (text imported, spans not): 1" in lines
    again = CliRunner().invoke(main, ["import", str(path), "--db", str(db)], catch_exceptions=False)
    assert "documents: 0 new, 3 already in the corpus, 1 repeated in the file, 1 skipped (empty text)" in \
        again.stdout.splitlines()


def test_an_article_in_two_files_of_one_import_is_repeated_not_already_in_the_corpus(tmp_path):
    first = jsonl(tmp_path, "a.jsonl", {"text": "Same article."}, {"text": "Only in a."})
    second = jsonl(tmp_path, "b.jsonl", {"text": "Same article."})
    db = tmp_path / "new.db"
    result = CliRunner().invoke(main, ["import", str(first), str(second), "--db", str(db)], catch_exceptions=False)
    assert "documents: 2 new, 0 already in the corpus, 1 repeated from an earlier file" in result.stdout.splitlines()
    again = CliRunner().invoke(main, ["import", str(second), "--db", str(db)], catch_exceptions=False)
    assert "documents: 0 new, 1 already in the corpus" in again.stdout.splitlines()


def test_statuses_in_the_command_line_summary(tmp_path):
    path = jsonl(tmp_path, "p.jsonl", prodigy("Obama spoke.", "accept"), prodigy("Putin spoke.", "reject"))
    result = CliRunner().invoke(main, ["import", str(path), "--db", str(tmp_path / "c.db"), "--annotator", "amira"],
                                catch_exceptions=False)
    assert "statuses: 2 (done 1, skipped 1)" in result.stdout.splitlines()
    gold = CliRunner().invoke(main, ["import", str(FIXTURES / "conll" / "bio.conll"), "--db", str(tmp_path / "c.db"),
                                     "--status", "done"], catch_exceptions=False)
    assert "statuses: 2 (done 2)" in gold.stdout.splitlines()

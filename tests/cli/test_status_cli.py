"""`annotator status set`: imported gold marked done without Python, checked in the database."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord
from annotator.store import Corpus

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def corpus_with_gold(tmp_path: Path) -> Path:
    db = tmp_path / "c.db"
    assert run("import", FIXTURES / "conll" / "bio.conll", "--db", db).exit_code == 0  # two documents
    with Corpus.open(db) as corpus:
        corpus.add_documents([DocumentRecord(text=f"Unlabelled article {i}.") for i in range(3)])
    return db


def test_all_documents_done_for_the_imported_set(tmp_path):
    db = corpus_with_gold(tmp_path)
    result = run("status", "set", "done", "--annotator", "imported", "--all", "--db", db)
    assert result.exit_code == 0, result.output
    assert result.stdout == "imported: 5 documents set to done\n"
    with Corpus.open(db) as corpus:
        assert [s for _, s in corpus.documents_with_status("imported", ["done"])] == ["done"] * 5
        assert len([e for e in corpus.events(annotator="imported") if e["action"] == "status.set"]) == 5
    again = run("status", "set", "done", "--annotator", "imported", "--all", "--db", db)
    assert again.stdout == "imported: 0 documents set to done (5 already were)\n"


def test_some_documents_skipped_with_a_note(tmp_path):
    db = corpus_with_gold(tmp_path)
    result = run("status", "set", "skipped", "--annotator", "imported", "--docs", "1,3-4", "--note", "duplicate wire",
                 "--db", db)
    assert result.exit_code == 0 and result.stdout == "imported: 3 documents set to skipped\n"
    with Corpus.open(db) as corpus:
        assert [corpus.status(i, "imported") for i in range(1, 6)] == [
            ("skipped", "duplicate wire"), ("new", None), ("skipped", "duplicate wire"), ("skipped", "duplicate wire"),
            ("new", None)]


def test_mistakes_are_one_clear_line_and_change_nothing(tmp_path):
    db = corpus_with_gold(tmp_path)
    cases = [
        (["--annotator", "importd", "--all"], "no annotator 'importd' in", "did you mean imported?"),
        (["--annotator", "imported", "--docs", "2,9-10"], "no document 9, 10 in", ""),
        (["--annotator", "imported"], "name the documents: --docs IDS or --all", ""),
        (["--annotator", "imported", "--docs", "1", "--all"], "name the documents: --docs IDS or --all", ""),
        (["--annotator", "imported", "--docs", "1;2"], "expected document ids like 1,2,5-9", ""),
        (["--annotator", "imported", "--docs", "5-2"], "the range 5-2 runs backwards", ""),
    ]
    for args, words, hint in cases:
        result = CliRunner().invoke(main, ["status", "set", "done", *args, "--db", str(db)])
        assert result.exit_code in (1, 2) and words in result.output and hint in result.output, (args, result.output)
        assert "Traceback" not in result.output
    with Corpus.open(db) as corpus:
        assert corpus.documents_with_status("imported", ["done"]) == []

"""No traceback reaches a user from any command: one line, exit code 1; ``--debug`` shows it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord, Span
from annotator.store import Corpus

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.db"
    with Corpus(path) as corpus:
        [doc] = corpus.add_documents([DocumentRecord(text="Obama spoke in Paris today.")]).new_ids
        corpus.add_span(doc, "amira", Span(0, 5, "PER"))
        corpus.set_status(doc, "amira", "done")
    return path


def one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("stats", "--db", "/proc/self/status"), "Error: /proc/self/status: cannot open the corpus"),
        (("stats", "--db", "/dev/null"), "Error: /dev/null: is not a regular file"),
        (("export", "jsonl", "/proc/a.jsonl"), "Error: /proc/a.jsonl"),
        (("export", "spacy", "/proc/out"), "Error: /proc/out"),
        (("export", "conll", "/sys/a.conll"), "Error: /sys/a.conll"),
    ],
)
def test_the_issues_cases_are_one_line_naming_the_file(labelled: Path, args, expected: str):
    if "--db" not in args:
        args = (*args, "--db", labelled)
    line = one_error_line(run(*args))
    assert line.startswith(expected), line


def test_a_missing_table_in_a_colleague_database_is_one_line(labelled: Path, tmp_path: Path):
    other = tmp_path / "other.db"
    with Corpus(other) as corpus:
        corpus.add_documents([DocumentRecord(text="Another article.")])
        with corpus.transaction() as conn:
            conn.execute("DROP TABLE quote_parts")
    result = run("import", "--from-db", other, "--db", labelled)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{other}: table quote_parts is missing" in result.stderr


def test_an_unexpected_error_is_one_line_with_a_pointer_to_debug(labelled: Path, monkeypatch: pytest.MonkeyPatch):
    import annotator.cli.commands.stats as stats_command

    def broken(corpus):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(stats_command, "corpus_stats", broken)
    line = one_error_line(run("stats", "--db", labelled))
    assert line == "Error: internal error: ZeroDivisionError: division by zero; run again with --debug to see where it happened"

    with pytest.raises(ZeroDivisionError):
        run("--debug", "stats", "--db", labelled)
    with pytest.raises(ZeroDivisionError):
        run("stats", "--db", labelled, env={"ANNOTATOR_DEBUG": "1"})


def test_click_errors_are_printed_as_click_prints_them(labelled: Path):
    result = run("stats", "--db", labelled, "--no-such-option")
    assert result.exit_code == 2 and "No such option '--no-such-option'" in result.stderr
    assert "Traceback" not in result.output


def test_through_the_installed_entry_point(labelled: Path):
    """The real console script path, in a subprocess: one line and exit code 1; ANNOTATOR_DEBUG shows where."""
    command = [sys.executable, "-m", "annotator", "export", "conll", "/sys/a.conll", "--db", str(labelled)]
    env = {k: v for k, v in os.environ.items() if k != "ANNOTATOR_DEBUG"}
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert [line for line in done.stderr.splitlines() if line.strip()] == [
        line for line in done.stderr.splitlines() if line.startswith("Error: /sys/a.conll")
    ]
    # An unwritable target is an expected error (the export says so itself): no traceback even when
    # debugging. An unexpected one (a corpus damaged behind the store's back) shows where it happened.
    debug = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env={**env, "ANNOTATOR_DEBUG": "1"},
                           timeout=120)
    assert debug.returncode == 1 and "Traceback" not in debug.stderr
    with sqlite3.connect(labelled) as conn:
        conn.execute("UPDATE documents SET meta = '{not json'")
    conn.close()
    damaged = [sys.executable, "-m", "annotator", "export", "jsonl", str(labelled.parent / "a.jsonl"), "--db",
               str(labelled), "--jobs", "1"]
    done = subprocess.run(damaged, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "internal error" in done.stderr
    debug = subprocess.run(damaged, capture_output=True, text=True, cwd=ROOT, env={**env, "ANNOTATOR_DEBUG": "1"},
                           timeout=120)
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr


def test_a_blank_annotator_name_is_blamed_on_the_name_not_the_file(labelled: Path, tmp_path: Path):
    article = tmp_path / "a.txt"
    article.write_text("Title\nSome text.\n", encoding="utf-8")
    result = run("import", article, "--annotator", "   ", "--db", labelled)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Invalid value for '--annotator': annotator name: the name '   ' (only spaces) is not a name" in result.stderr
    assert str(article) not in result.stderr
    with Corpus(labelled) as corpus:
        assert corpus.count_documents() == 1  # nothing read

"""``annotator check`` finds each kind of damage; ``annotator backup`` makes a verified copy."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli.main import main
from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.store import Corpus, CorpusError
from annotator.store.maintenance import backup, check
from annotator.store.schema import SCHEMA_VERSION


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def filled(corpus_path: Path) -> Path:
    """A closed corpus with documents, spans, a quote, a status and suggestions."""
    with Corpus(corpus_path) as c:
        ids = c.add_documents([DocumentRecord(text=f"Barack Obama met Putin in Moscow, report {i}.") for i in range(5)])
        doc = ids.new_ids[0]
        c.add_span(doc, "amira", Span(0, 12, "PER"))
        c.add_span(doc, "amira", Span(17, 22, "PER"))
        c.add_quote(doc, "amira", Quote(contents=(Range(26, 32),), cue=Range(13, 16)))
        c.set_status(doc, "amira", "done")
        c.store_suggestions(doc, "gazetteer", "1", [Span(26, 32, "GPE")], [])
    return corpus_path


def raw(path: Path) -> sqlite3.Connection:
    """A connection that breaks rules the store enforces (foreign keys off), as other tools might."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    return conn


def test_a_healthy_corpus_checks_clean_and_check_changes_nothing(filled: Path):
    before = sha(filled)
    result = run("check", "--db", str(filled))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith(f"{filled}: ok (schema {SCHEMA_VERSION}, 5 documents")
    assert sha(filled) == before
    report = json.loads(run("check", "--db", str(filled), "--json").output)
    assert report["ok"] is True and report["problems"] == [] and report["counts"]["spans"] == 2


def test_every_kind_of_damage_is_one_clear_line(filled: Path):
    with Corpus.open(filled) as corpus:
        corpus.update_search_index()  # as the window does after an import
    conn = raw(filled)
    conn.execute("INSERT INTO quote_parts(quote_id, role, start, \"end\") VALUES (999, 'content', 0, 3)")
    conn.execute("INSERT INTO spans(document_id, annotator_id, start, \"end\", label, origin, created_at) "
                 "VALUES (2, 77, 0, 6, 'PER', 'manual', 'now')")
    conn.execute("INSERT INTO statuses(document_id, annotator_id, status, updated_at) VALUES (404, 1, 'done', 'now')")
    conn.execute("INSERT INTO suggestions(document_id, suggester, kind, start, \"end\", label) "
                 "VALUES (405, 'g', 'entity', 0, 2, 'PER')")
    conn.execute("INSERT INTO spans(document_id, annotator_id, start, \"end\", label, origin, created_at) "
                 "VALUES (3, 1, 40, 400, 'ORG', 'manual', 'now')")
    conn.execute("UPDATE quote_parts SET \"end\" = 999 WHERE role = 'cue'")
    conn.execute("INSERT INTO spans(document_id, annotator_id, start, \"end\", label, origin, created_at) "
                 "VALUES (1, 1, 7, 16, 'ORG', 'manual', 'now')")  # overlaps [0, 12) PER
    conn.execute("DROP TRIGGER documents_fts_update")
    conn.execute("UPDATE documents SET text = 'Someone else entirely, report 4.' WHERE id = 5")
    conn.close()

    result = run("check", "--db", str(filled))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{filled}: ") and "problems" in lines[0]
    problems = lines[1:]
    expected = [
        "orphan: quote part",  # belongs to missing quote 999
        "orphan: span 3 (document 2) belongs to missing annotator 77",
        "orphan: status",  # of missing document 404
        "orphan: suggestion 2 belongs to missing document 405",
        "range: span 4 (document 3, annotator amira) [40, 400) ORG is outside the text",
        "range: quote 1 (document 1) cue part [13, 999) is outside the text",
        "overlap: document 1, annotator amira: entity 1 [0, 12) PER overlaps entity 5 [7, 16) ORG",
        "text: document 5: stored length",
        "text: document 5: the text changed after import",
        "fts: the full-text search index does not match the documents",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)
    assert not any(p.startswith("foreign-key:") for p in problems), "orphans are reported once, in words"
    assert any("missing quote 999" in p for p in problems)
    assert any("missing document 404" in p for p in problems)
    report = json.loads(run("check", "--db", str(filled), "--json").output)
    assert report["ok"] is False
    assert {p["check"] for p in report["problems"]} == {"orphan", "range", "overlap", "text", "fts"}


def test_undeclared_foreign_key_breakage_is_reported_too(filled: Path):
    conn = raw(filled)
    conn.execute("INSERT INTO suggestion_runs(document_id, suggester, version, created_at) VALUES (77, 'x', '1', 'n')")
    conn.close()
    problems = [str(p) for p in check(filled).problems]
    assert problems == ["orphan: suggestion run 2 belongs to missing document 77"]


def test_damaged_unreadable_and_foreign_files(tmp_path: Path, filled: Path):
    damaged = tmp_path / "damaged.db"
    data = bytearray(filled.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)  # wipe some b-tree pages
    damaged.write_bytes(bytes(data))
    report = check(damaged)
    assert not report.ok
    assert report.problems[0].check == "integrity" and "damaged" in report.problems[0].message
    assert len(report.problems) <= 40, "integrity errors are capped, not thousands of lines"

    (tmp_path / "folder.db").mkdir()
    (tmp_path / "text.db").write_text("name,age\nann,3\n")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE customers (id INTEGER)").connection.close()
    cases = {
        "missing.db": "no such file",
        "folder.db": "is a folder",
        "text.db": "is not a SQLite database",
        "other.db": "not an annotator corpus",
    }
    for name, words in cases.items():
        [problem] = check(tmp_path / name).problems
        assert problem.check == "file" and problem.message.startswith(f"{tmp_path / name}: ") and words in problem.message
        result = run("check", "--db", str(tmp_path / name))
        assert result.exit_code != 0
        if name == "folder.db":  # click's own path check answers first
            assert "is a directory" in result.output
        else:
            assert f"file: {tmp_path / name}: " in result.output and words in result.output, result.output


def test_a_newer_schema_is_reported_and_not_checked_further(filled: Path):
    conn = raw(filled)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    report = check(filled)
    assert [p.check for p in report.problems] == ["schema"]
    assert "newer than this annotator" in report.problems[0].message


def test_an_older_schema_is_a_note_not_a_problem(tmp_path: Path):
    from annotator.store.schema import migrate

    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    migrate(conn, target=1)
    conn.close()
    report = check(old)
    assert report.ok and report.schema_version == 1
    assert any(f"upgrades to {SCHEMA_VERSION}" in n for n in report.notes)


# -- backup ------------------------------------------------------------------------------------


def test_backup_copies_uncheckpointed_edits_of_an_open_corpus(corpus: Corpus, tmp_path: Path):
    [doc] = corpus.add_documents([DocumentRecord(text="Obama met Putin.")]).new_ids
    span = corpus.add_span(doc, "amira", Span(0, 5, "PER"))
    assert Path(f"{corpus.path}-wal").exists()  # the edit is still only in the WAL
    out = tmp_path / "copies" / "backup.db"
    result = run("backup", "--db", str(corpus.path), str(out))
    assert result.exit_code == 0, result.output
    assert "1 documents" in result.output and "verified" in result.output
    assert not Path(f"{out}-wal").exists(), "the copy is one self-contained file"
    with Corpus(out, readonly=True) as copy:
        assert copy.spans(doc, "amira") == [span]
    assert check(out).ok
    assert sorted(p.name for p in out.parent.iterdir()) == ["backup.db"], "no temporary files left"


def test_backup_while_another_connection_keeps_writing(filled: Path, tmp_path: Path):
    """The online backup is one consistent moment even while edits are being committed."""
    with Corpus(filled) as c:
        c.add_documents([DocumentRecord(text=f"Padding article {i}. " * 200) for i in range(200)])
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        with Corpus(filled) as writer:
            doc = writer.document_ids()[-1]
            i = 0
            while not stop.is_set():
                writer.add_span(doc, f"w{i}", Span(0, 7, "ORG"))
                written.append(i)
                i += 1

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        copies = [backup(filled, tmp_path / f"copy{k}.db") for k in range(5)]
    finally:
        stop.set()
        thread.join()
    assert written, "the writer made edits during the backups"
    for copy in copies:
        report = check(copy.path)
        assert report.ok, report.problems
        assert copy.documents == 205
    with Corpus(filled) as c:
        assert c.conn.execute("SELECT COUNT(*) FROM spans WHERE label = 'ORG'").fetchone()[0] == len(written)


def test_backup_refuses_to_overwrite_or_copy_onto_itself(filled: Path, tmp_path: Path):
    out = tmp_path / "b.db"
    out.write_text("precious")
    result = run("backup", "--db", str(filled), str(out))
    assert result.exit_code == 1 and "already exists" in result.output
    assert out.read_text() == "precious"
    assert run("backup", "--db", str(filled), str(out), "--overwrite").exit_code == 0
    assert check(out).ok
    with pytest.raises(CorpusError, match="is the corpus itself"):
        backup(filled, filled, overwrite=True)


def test_a_failed_backup_writes_nothing(filled: Path, tmp_path: Path):
    damaged = tmp_path / "damaged.db"
    data = bytearray(filled.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)
    damaged.write_bytes(bytes(data))
    out = tmp_path / "out" / "copy.db"
    result = run("backup", "--db", str(damaged), str(out))
    assert result.exit_code == 1
    assert f"{out}: backup failed" in result.output and "nothing was written" in result.output
    assert list(out.parent.iterdir()) == []
    missing = run("backup", "--db", str(tmp_path / "nope.db"), str(out))
    assert missing.exit_code == 1 and "no such corpus file" in missing.output


def test_check_while_another_program_holds_the_write_lock(filled: Path, monkeypatch: pytest.MonkeyPatch):
    """Reading checks still run (WAL); the search-index check, which needs the write lock, becomes a note."""
    from annotator.store import maintenance

    with Corpus(filled):  # WAL mode, as while the window is open
        writer = sqlite3.connect(filled, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        real_connect = maintenance._connect_existing

        def impatient(path: Path) -> sqlite3.Connection:
            conn = real_connect(path)
            conn.execute("PRAGMA busy_timeout = 100")
            return conn

        monkeypatch.setattr(maintenance, "_connect_existing", impatient)
        try:
            report = check(filled)
        finally:
            writer.execute("ROLLBACK")
            writer.close()
    assert report.ok, report.problems
    assert any("another program kept the corpus locked" in note for note in report.notes)

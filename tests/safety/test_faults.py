"""Faults: disk full, read-only files and disks, unusable files, a busy corpus, stale edits.

Every case asserts what the user sees (a :class:`CorpusError` or :class:`AnnotationError`
naming the file or the thing, in words) and that nothing already saved was lost.

What is real and what is simulated:
- disk full: simulated with ``PRAGMA max_page_count`` (SQLite's own "database or disk is
  full" path), and for real on a 1 MB tmpfs when the tests may mount one (root);
- a read-only file: for real, by a forked child that drops root to ``nobody`` (root ignores
  file permissions), or by chmod when the tests do not run as root;
- a read-only disk: for real, a tmpfs remounted read-only (root only);
- ``readonly=True``: SQLite's ``mode=ro``.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from annotator.core.spans import DocumentRecord, Quote, Range, Span
from annotator.store import AnnotationError, Corpus, CorpusError
from annotator.store.errors import StaleEditError
from annotator.ui.session import AnnotationSession

sys.path.insert(0, str(Path(__file__).resolve().parent))
from faultfs import tiny_filesystem  # noqa: E402

TEXT = "Barack Obama met Vladimir Putin in Moscow on Monday, officials said. " * 3


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def spans_in(path: Path, annotator: str = "amira") -> list[tuple[int, int, str]]:
    with Corpus(path) as c:
        assert c.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [s.key for doc in c.document_ids() for s in c.spans(doc, annotator)]


def fill_until_full(corpus: Corpus, doc: int) -> list[Span]:
    """Add spans (one per annotator, each its own commit) until the store refuses; the ones it returned."""
    saved: list[Span] = []
    with pytest.raises(CorpusError) as err:
        for i in range(100_000):
            saved.append(corpus.add_span(doc, f"annotator-{i}", Span(0, 6, "PER")))
    message = str(err.value)
    assert message.startswith(f"{corpus.path}: the disk is full"), message
    assert "this change was not saved" in message
    assert not corpus.conn.in_transaction, "a failed commit must not leave a transaction open"
    return saved


# -- disk full ---------------------------------------------------------------------------------


def test_disk_full_refuses_the_edit_clearly_and_loses_nothing(corpus: Corpus):
    """Simulated: the corpus may not grow past a few more pages (PRAGMA max_page_count)."""
    [doc] = corpus.add_documents([DocumentRecord(text=TEXT)]).new_ids
    pages = corpus.conn.execute("PRAGMA page_count").fetchone()[0]
    corpus.conn.execute(f"PRAGMA max_page_count = {pages + 3}")
    saved = fill_until_full(corpus, doc)
    assert saved, "some edits fit before the limit"
    # an import that does not fit stores nothing at all
    documents = corpus.count_documents()
    with pytest.raises(CorpusError, match="disk is full"):
        corpus.add_documents([DocumentRecord(text=f"Article {i}. " + TEXT * 20) for i in range(20)])
    assert corpus.count_documents() == documents
    # space comes back: the next edit is committed (not swallowed by a transaction left open)
    corpus.conn.execute("PRAGMA max_page_count = 1073741823")
    after = corpus.add_span(doc, "amira", Span(7, 12, "PER"))
    corpus.close()
    with Corpus(corpus.path) as again:
        stored = {s.id for d in again.document_ids() for a in again.annotators() for s in again.spans(d, a["name"])}
        assert {s.id for s in saved} | {after.id} == stored
        assert again.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
def test_a_really_full_disk(tmp_path: Path):
    """Real: a 1 MB filesystem fills up (ENOSPC) while edits are being saved."""
    with tiny_filesystem("1m") as disk:
        path = disk / "corpus.db"
        corpus = Corpus(path)
        [doc] = corpus.add_documents([DocumentRecord(text=TEXT)]).new_ids
        saved = fill_until_full(corpus, doc)
        with pytest.raises(CorpusError, match="disk is full"):
            corpus.add_documents([DocumentRecord(text="x " * 200_000)])
        corpus.close()
        with Corpus(path) as again:  # reopens on the still-full disk
            assert again.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert again.count_documents() == 1
            kept = {s.id for a in again.annotators() for s in again.spans(doc, a["name"])}
            assert kept == {s.id for s in saved}


# -- read-only -----------------------------------------------------------------------------------


@pytest.fixture
def closed_corpus(corpus_path: Path) -> Path:
    with Corpus(corpus_path) as c:
        [doc] = c.add_documents([DocumentRecord(text=TEXT)]).new_ids
        c.add_span(doc, "amira", Span(0, 12, "PER"))
        c.add_quote(doc, "amira", Quote(contents=(Range(13, 16),)))
    return corpus_path


def try_every_write(corpus: Corpus) -> list[str]:
    """Attempt each kind of edit; the messages of the refusals."""
    span = corpus.spans(1, "amira")[0]
    quote = corpus.quotes(1, "amira")[0]
    attempts = [
        lambda: corpus.add_span(1, "amira", Span(17, 22, "PER")),
        lambda: corpus.update_span(span.id, "amira", label="ORG"),
        lambda: corpus.delete_span(span.id, "amira"),
        lambda: corpus.delete_quote(quote.id, "amira"),
        lambda: corpus.set_status(1, "amira", "done"),
        lambda: corpus.add_documents([DocumentRecord(text="Another article.")]),
        lambda: corpus.annotator_id("newcomer"),
    ]
    messages = []
    for attempt in attempts:
        with pytest.raises(CorpusError) as err:
            attempt()
        messages.append(str(err.value))
    return messages


def test_readonly_open_reads_and_refuses_every_write(closed_corpus: Path):
    before = sha(closed_corpus)
    with Corpus(closed_corpus, readonly=True) as corpus:
        assert corpus.readonly
        assert [s.key for s in corpus.spans(1, "amira")] == [(0, 12, "PER")]
        for message in try_every_write(corpus):
            assert message == f"{closed_corpus}: opened read-only; this change was not saved"
    assert sha(closed_corpus) == before
    with pytest.raises(CorpusError, match="no such corpus file"):
        Corpus(closed_corpus.with_name("absent.db"), readonly=True)
    assert not closed_corpus.with_name("absent.db").exists()


def _as_unprivileged_user(path: str, results: multiprocessing.Queue) -> None:
    if os.geteuid() == 0:
        os.setgid(65534)
        os.setuid(65534)  # "nobody": file permissions apply again
    try:
        with open(path, "r+b"):
            results.put("the file is writable")
            return
    except PermissionError:
        pass
    try:
        with Corpus(path) as corpus:
            results.put(("readonly", corpus.readonly))
            results.put(("spans", [s.key for s in corpus.spans(1, "amira")]))
            results.put(("messages", try_every_write(corpus)))
    except BaseException as exc:  # reported to the parent, which fails the test with it
        results.put(("error", f"{type(exc).__name__}: {exc}"))


def test_a_file_without_write_permission_opens_for_reading_and_says_why_edits_fail(closed_corpus: Path):
    """Real permissions: as root, a forked child drops to ``nobody``; otherwise plain chmod."""
    folder = Path(tempfile.mkdtemp(prefix="annotator-ro-"))
    try:
        folder.chmod(0o777)
        path = folder / "corpus.db"
        shutil.copy(closed_corpus, path)
        path.chmod(0o444)
        before = sha(path)
        results: multiprocessing.Queue = multiprocessing.get_context("fork").Queue()
        child = multiprocessing.get_context("fork").Process(target=_as_unprivileged_user, args=(str(path), results))
        child.start()
        child.join(timeout=60)
        assert child.exitcode == 0
        got = dict(results.get(timeout=5) for _ in range(3))
        assert got.get("readonly") is True, got
        assert got["spans"] == [(0, 12, "PER")]
        for message in got["messages"]:
            assert message == f"{path}: the file is read-only (no permission to write it); this change was not saved"
        assert sha(path) == before
    finally:
        shutil.rmtree(folder)


@pytest.mark.slow
def test_a_corpus_on_a_read_only_disk_can_still_be_read(closed_corpus: Path):
    """Real: a tmpfs remounted read-only; SQLite cannot even create its WAL index there."""
    with tiny_filesystem("4m") as disk:
        path = disk / "corpus.db"
        shutil.copy(closed_corpus, path)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        before = sha(path)
        with Corpus(path) as corpus:
            assert corpus.readonly
            assert [s.key for s in corpus.spans(1, "amira")] == [(0, 12, "PER")]
            assert all("read-only" in m for m in try_every_write(corpus))
        assert sha(path) == before


# -- unusable files --------------------------------------------------------------------------------


def test_unusable_files_get_a_message_naming_them_and_stay_untouched(tmp_path: Path, closed_corpus: Path):
    cases: dict[str, tuple[bytes | None, str]] = {}
    text = tmp_path / "notes.db"
    text.write_text("these are my notes, not a database\n" * 50)
    cases["notes.db"] = (None, "not a readable SQLite database")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(64 * 1024))
    cases["garbage.db"] = (None, "not a readable SQLite database")
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(closed_corpus.read_bytes()[: 4096 * 3 + 100])
    cases["truncated.db"] = (None, "not a readable SQLite database")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER, name TEXT)")
        conn.execute("INSERT INTO customers VALUES (1, 'Ann')")
    cases["other.db"] = (None, "this SQLite file is not an annotator corpus")
    newer = tmp_path / "newer.db"
    shutil.copy(closed_corpus, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")
    cases["newer.db"] = (None, "schema version 99 is newer than this annotator")
    (tmp_path / "folder.db").mkdir()
    cases["folder.db"] = (None, "is a folder, not a corpus file")

    for name, (_, words) in cases.items():
        path = tmp_path / name
        before = sha(path) if path.is_file() else None
        with pytest.raises(CorpusError) as err:
            Corpus(path)
        assert str(err.value).startswith(f"{path}: ") and words in str(err.value), str(err.value)
        if before is not None:
            assert sha(path) == before, f"{name} was modified"
    with pytest.raises(CorpusError, match="no such corpus file"):
        Corpus(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_a_damaged_corpus_refuses_edits_clearly(tmp_path: Path, closed_corpus: Path):
    damaged = tmp_path / "damaged.db"
    data = bytearray(closed_corpus.read_bytes())
    data[4096 * 2 :] = b"\x00\xff" * ((len(data) - 4096 * 2) // 2)  # every page after the schema
    damaged.write_bytes(bytes(data))
    with pytest.raises(CorpusError) as err:
        corpus = Corpus(damaged)
        corpus.add_span(1, "amira", Span(17, 22, "PER"))
    assert str(err.value).startswith(f"{damaged}: "), str(err.value)
    assert "damaged" in str(err.value) or "not a readable SQLite database" in str(err.value)


def test_a_corpus_locked_too_long_by_another_program(closed_corpus: Path):
    with Corpus(closed_corpus) as corpus:
        corpus.conn.execute("PRAGMA busy_timeout = 200")
        other = sqlite3.connect(closed_corpus, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(CorpusError, match="another program kept the corpus locked"):
            corpus.add_span(1, "amira", Span(17, 22, "PER"))
        other.execute("ROLLBACK")
        other.close()
        corpus.add_span(1, "amira", Span(17, 22, "PER"))
    assert spans_in(closed_corpus) == [(0, 12, "PER"), (17, 22, "PER")]


# -- stale edits -------------------------------------------------------------------------------------


def test_an_edit_of_something_another_window_deleted_is_refused_clearly(closed_corpus: Path):
    window_a, window_b = Corpus(closed_corpus), Corpus(closed_corpus)
    try:
        span = window_b.spans(1, "amira")[0]
        quote = window_b.quotes(1, "amira")[0]
        window_a.delete_span(span.id, "amira")
        window_a.delete_quote(quote.id, "amira")
        events = len(window_a.events())
        for edit in (
            lambda: window_b.update_span(span.id, "amira", label="ORG"),
            lambda: window_b.delete_span(span.id, "amira"),
            lambda: window_b.update_quote(quote.id, "amira", quote.with_(type="indirect")),
            lambda: window_b.delete_quote(quote.id, "amira"),
        ):
            with pytest.raises(StaleEditError) as err:
                edit()
            assert isinstance(err.value, KeyError) and isinstance(err.value, AnnotationError)
            assert "no longer exists (deleted, perhaps in another window); reload the article" in str(err.value)
            assert not str(err.value).startswith("'"), "a readable message, not a KeyError repr"
        assert len(window_b.events()) == events, "a refused edit logs nothing"
        assert window_b.spans(1, "amira") == [] and window_b.quotes(1, "amira") == []
    finally:
        window_a.close()
        window_b.close()


def test_the_window_says_an_edit_was_not_saved_when_the_disk_is_full(corpus: Corpus):
    """Through the session the window uses: an error message naming the file, nothing stored, then recovery."""
    [doc] = corpus.add_documents([DocumentRecord(text=TEXT)]).new_ids
    session = AnnotationSession(corpus, "amira")
    session.open_document(doc)
    pages = corpus.conn.execute("PRAGMA page_count").fetchone()[0]
    corpus.conn.execute(f"PRAGMA max_page_count = {pages + 1}")
    fill_until_full(corpus, doc)
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", TEXT)]
    saved = []
    for start, end in words:  # each label a new span, until one no longer fits
        stored = session.label_range(start, end, "PER", precise=True)
        if stored is None:
            break
        saved.append(stored.key)
    message = session.last_message
    assert message is not None and message.level == "error", "the disk filled up before the words ran out"
    assert str(corpus.path) in message.text and "disk is full" in message.text and "not saved" in message.text
    assert [s.key for s in corpus.spans(doc, "amira")] == saved == [s.key for s in session.spans]
    corpus.conn.execute("PRAGMA max_page_count = 1073741823")
    start, end = words[len(saved)]
    assert session.label_range(start, end, "PER", precise=True) is not None
    corpus.close()
    assert spans_in(corpus.path) == saved + [(start, end, "PER")]

"""An older corpus opens, upgrades with a backup first and keeps its data; document locks."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.spans import DocumentRecord
from annotator.store import Corpus, CorpusError, locks, schema
from annotator.store.corpus import now
from annotator.store.schema import SCHEMA_VERSION, migrate

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from faultfs import tiny_filesystem  # noqa: E402


def make_v1_corpus(path: Path) -> None:
    """A corpus exactly as schema version 1 wrote it, with annotations in every table."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")  # as version 1 of Corpus left it
    migrate(conn, target=1)
    conn.executescript(
        """
        INSERT INTO corpus_info(key, value) VALUES ('application', 'annotator');
        INSERT INTO labels(name, kind, color, key, description, position) VALUES
            ('PER', 'entity', '#f00', 'p', '', 0), ('ORG', 'entity', '#0f0', 'o', '', 1);
        INSERT INTO documents(id, title, text, language, direction, meta, content_hash, length, imported_at)
            VALUES (1, 't', 'Obama said "we act" today.', 'en', 'ltr', '{}', 'h1', 26, '2025-01-01');
        INSERT INTO annotators(id, name, created_at) VALUES (1, 'amira', '2025-01-01');
        INSERT INTO spans(document_id, annotator_id, start, "end", label, origin, created_at)
            VALUES (1, 1, 0, 5, 'PER', 'manual', '2025-01-01');
        INSERT INTO quotes(id, document_id, annotator_id, type, origin, created_at)
            VALUES (1, 1, 1, 'direct', 'manual', '2025-01-01');
        INSERT INTO quote_parts(quote_id, role, start, "end") VALUES (1, 'content', 12, 19), (1, 'cue', 6, 10);
        INSERT INTO statuses(document_id, annotator_id, status, updated_at) VALUES (1, 1, 'done', '2025-01-01');
        INSERT INTO events(at, annotator, document_id, action, data) VALUES ('2025-01-01', 'amira', 1, 'span.add', '{}');
        """
    )
    conn.close()


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


def test_a_v1_corpus_migrates_to_the_current_version_with_a_backup_first_and_keeps_its_data(tmp_path: Path):
    path = tmp_path / "corpus.db"
    make_v1_corpus(path)
    with Corpus(path) as corpus:
        assert corpus.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        assert corpus.setting("schema_version") == "5"
        assert [s.key for s in corpus.spans(1, "amira")] == [(0, 5, "PER")]
        [quote] = corpus.quotes(1, "amira")
        assert (quote.contents[0].start, quote.contents[0].end, quote.cue.start) == (12, 19, 6)
        assert corpus.status(1, "amira") == ("done", None)
        assert corpus.labels.entity_names == ["PER", "ORG"]
        assert locks.acquire(corpus, 1, "amira") is None  # the new table works
    assert "document_locks" in tables(path)

    saved = tmp_path / "corpus.v1.backup.db"
    assert saved.exists()
    assert user_version(saved) == 1 and "document_locks" not in tables(saved)
    with sqlite3.connect(saved) as conn:
        assert conn.execute('SELECT start, "end", label FROM spans').fetchall() == [(0, 5, "PER")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # opening again neither migrates nor backs up again
    saved.unlink()
    Corpus(path).close()
    assert not saved.exists()


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "corpus.db"
    make_v1_corpus(path)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE document_locks (x)")
        raise sqlite3.OperationalError("simulated failure half-way through the upgrade")

    monkeypatch.setitem(schema.MIGRATIONS, 2, broken)
    with pytest.raises(CorpusError) as err:
        Corpus(path)
    message = str(err.value)
    assert str(path) in message and f"cannot upgrade from schema version 1 to {SCHEMA_VERSION}" in message
    assert "the file was not changed" in message and "corpus.v1.backup.db" in message
    assert user_version(path) == 1 and "document_locks" not in tables(path)
    monkeypatch.undo()
    with Corpus(path) as corpus:  # and the real migration still works afterwards
        assert [s.key for s in corpus.spans(1, "amira")] == [(0, 5, "PER")]


def test_two_processes_opening_an_old_corpus_at_once_both_succeed(tmp_path: Path):
    """Both see version 1; the second to get the write lock must not re-run the migration."""
    path = tmp_path / "corpus.db"
    make_v1_corpus(path)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # both openers read version 1, then queue for the write lock
    script = "import sys; from annotator.store import Corpus; c = Corpus(sys.argv[1]); print(len(c.spans(1, 'amira')))"
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    time.sleep(1.0)
    blocker.execute("ROLLBACK")
    blocker.close()
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert out.strip() == "1"
    assert user_version(path) == SCHEMA_VERSION
    backups = sorted(tmp_path.glob("corpus.v1.backup*.db"))
    assert backups and all(user_version(b) == 1 for b in backups), "a backup named v1 holds version 1"


def test_a_readonly_open_reads_an_old_corpus_without_changing_it(tmp_path: Path):
    path = tmp_path / "corpus.db"
    make_v1_corpus(path)
    before = path.read_bytes()
    with Corpus(path, readonly=True) as corpus:
        assert [s.key for s in corpus.spans(1, "amira")] == [(0, 5, "PER")]
        assert locks.holder_of(corpus, 1, "amira") is None
        # nothing can be edited, so nothing can conflict: locking is a no-op, never an error
        assert locks.acquire(corpus, 1, "amira") is None
        assert locks.heartbeat(corpus, 1, "amira") is True
        locks.release(corpus, 1, "amira")
    assert path.read_bytes() == before
    assert not (tmp_path / "corpus.v1.backup.db").exists()


# -- locks -------------------------------------------------------------------------------------


@pytest.fixture
def doc(corpus: Corpus) -> int:
    return corpus.add_documents([DocumentRecord(text="Obama met Putin.")]).new_ids[0]


def test_the_second_window_is_told_who_holds_the_article(corpus: Corpus, doc: int):
    first, second = locks.holder_id("window-1"), locks.holder_id("window-2")
    assert locks.acquire(corpus, doc, "amira", holder=first) is None
    other = locks.acquire(corpus, doc, "amira", holder=second)
    assert other is not None and other.holder == first
    assert locks.holder_of(corpus, doc, "amira") == other
    # another annotator, or the same window again, is not a conflict
    assert locks.acquire(corpus, doc, "badr", holder=second) is None
    assert locks.acquire(corpus, doc, "amira", holder=first) is None
    assert locks.heartbeat(corpus, doc, "amira", holder=first) is True
    assert locks.heartbeat(corpus, doc, "amira", holder=second) is False
    locks.release(corpus, doc, "amira", holder=second)  # not ours: nothing happens
    assert locks.holder_of(corpus, doc, "amira").holder == first
    locks.release(corpus, None, "amira", holder=first)
    assert locks.acquire(corpus, doc, "amira", holder=second) is None


def test_locking_an_article_that_is_gone(corpus: Corpus, doc: int):
    with pytest.raises(KeyError) as err:
        locks.acquire(corpus, doc + 1, "amira")
    assert f"article {doc + 1} no longer exists" in str(err.value)


def test_a_stale_lock_is_taken_over_and_the_takeover_logged(corpus: Corpus, doc: int):
    corpus.conn.execute(
        "INSERT INTO document_locks VALUES (?, 'amira', 'laptop-b:4242', '2026-01-01T00:00:00+00:00', ?)",
        (doc, "2026-01-01T00:00:00+00:00"),
    )
    assert locks.acquire(corpus, doc, "amira") is None
    assert locks.holder_of(corpus, doc, "amira").holder == locks.holder_id()
    [event] = [e for e in corpus.events(doc) if e["action"] == "lock.takeover"]
    assert event["data"] == {"from": "laptop-b:4242", "to": locks.holder_id()}
    # a fresh lock from another machine is respected (we cannot see its processes)
    assert locks.heartbeat(corpus, doc, "amira") is True
    corpus.conn.execute("UPDATE document_locks SET holder = 'laptop-b:4242', heartbeat = ?",
                        (now(),))
    assert locks.acquire(corpus, doc, "amira").holder == "laptop-b:4242"


def test_a_killed_window_does_not_lock_its_article(corpus: Corpus, doc: int):
    """A window that crashed leaves a lock behind; on this machine it is reclaimed at once."""
    script = (
        "import sys, json; from annotator.store import Corpus, locks; c = Corpus(sys.argv[1]); "
        "print(json.dumps([locks.acquire(c, int(sys.argv[2]), 'amira') is None, locks.holder_id()]), flush=True); "
        "sys.stdin.read()"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(corpus.path), str(doc)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    acquired, holder = json.loads(proc.stdout.readline())
    assert acquired and holder == f"{socket.gethostname()}:{proc.pid}"
    other = locks.acquire(corpus, doc, "amira")
    assert other is not None and other.holder == holder  # alive: the second window is told
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert locks.acquire(corpus, doc, "amira") is None  # dead: taken over without waiting


def test_no_room_for_the_backup_means_no_upgrade_and_no_half_copy(tmp_path: Path):
    """Real: the corpus sits on a small filesystem with no room for its pre-upgrade copy."""
    with tiny_filesystem("1m") as disk:
        path = disk / "corpus.db"
        make_v1_corpus(path)
        filler = disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while True:  # take every free byte
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        before = path.read_bytes()
        with pytest.raises(CorpusError) as err:  # not even room for SQLite's index file
            Corpus(path)
        assert str(err.value).startswith(f"{path}: cannot open the corpus: the disk reported an input/output error")
        os.truncate(filler, max(0, filler.stat().st_size - 96 * 1024))  # room for the index, not for a copy
        with pytest.raises(CorpusError) as err:
            Corpus(path)
        assert str(path) in str(err.value) and "cannot upgrade from schema version 1" in str(err.value)
        assert "the file was not changed" in str(err.value)
        assert path.read_bytes() == before and user_version(path) == 1
        assert not list(disk.glob("corpus.v1.backup*")), "no half-written backup is left behind"
        filler.unlink()
        with Corpus(path) as corpus:  # with room again, the upgrade goes through
            assert [s.key for s in corpus.spans(1, "amira")] == [(0, 5, "PER")]
        assert user_version(path) == SCHEMA_VERSION and user_version(disk / "corpus.v1.backup.db") == 1

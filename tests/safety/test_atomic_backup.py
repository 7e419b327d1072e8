"""Backups are written all at once: a kill never leaves an empty or partial file under a backup's name,
and what a killed run left behind is removed on the next run (issue 10, item 2)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.store import Corpus
from annotator.store.maintenance import backup
from annotator.store.schema import SCHEMA_VERSION, migrate

ROOT = Path(__file__).resolve().parents[2]

# Runs Corpus(path) on a v3 corpus and SIGKILLs itself at one point of the pre-upgrade backup.
KILLER = """
import os, signal, sys
sys.path.insert(0, {root!r})
import annotator.store.atomic_copy as atomic

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

point = sys.argv[2]
if point == "copy":  # half a file written, then killed
    def half(src, partial, *args, **kwargs):
        partial.write_bytes(b"SQLite format 3\\x00" + bytes(200))
        die()
    atomic._copy_and_verify = half
elif point == "fsync":
    atomic.fsync_path = die
elif point == "rename":
    atomic._rename_without_overwrite = die
from annotator.store import Corpus
Corpus(sys.argv[1])
"""


def make_v3_corpus(path: Path, documents: int = 50) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=3)
    conn.executemany(
        "INSERT INTO documents(title, text, language, direction, meta, content_hash, length, imported_at) "
        "VALUES (?, ?, 'en', 'ltr', '{}', ?, ?, '2025-01-01')",
        [(f"t{i}", f"article {i} " * 40, f"h{i}", len(f"article {i} " * 40)) for i in range(documents)],
    )
    conn.close()


def version_of(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


@pytest.mark.parametrize("point", ["copy", "fsync", "rename"])
def test_a_kill_during_the_pre_upgrade_backup_leaves_nothing_under_the_real_name(tmp_path: Path, point: str):
    path = tmp_path / "corpus.db"
    make_v3_corpus(path)
    real = tmp_path / "corpus.v3.backup.db"
    script = KILLER.format(root=str(ROOT))
    done = subprocess.run([sys.executable, "-c", script, str(path), point], capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr
    assert not real.exists()  # never an empty or half copy under the backup's name
    left = sorted(p.name for p in tmp_path.iterdir() if ".partial-" in p.name)
    assert left and all(name.startswith(".corpus.v3.backup.db.partial-") for name in left)
    assert version_of(path) == 3  # not upgraded without its backup

    with Corpus(path) as corpus:  # the next run
        assert corpus.count_documents() == 50
    assert version_of(path) == SCHEMA_VERSION
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]  # the killed run's leftovers are gone
    assert real.exists() and version_of(real) == 3  # the complete copy, under the real name
    with sqlite3.connect(real) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 50
    assert not Path(f"{real}-journal").exists()


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_annotator_backup_removes_what_a_killed_backup_left(tmp_path: Path, corpus: Corpus):
    out = tmp_path / "out.db"
    gone = dead_pid()
    killed = [tmp_path / f".out.db.partial-{gone}", tmp_path / f".out.db.partial-{gone}-journal"]
    for leftover in killed:
        leftover.write_bytes(b"x" * 1000)
    running = tmp_path / ".out.db.partial-1"  # pid 1 always runs: a backup in progress is left alone
    running.write_bytes(b"x")
    other = tmp_path / f".other.db.partial-{gone}"  # another file's: not ours to judge here
    other.write_bytes(b"x")

    result = backup(corpus, out)
    assert result.path == out and version_of(out) == SCHEMA_VERSION
    assert not any(p.exists() for p in killed)
    assert running.exists() and other.exists()

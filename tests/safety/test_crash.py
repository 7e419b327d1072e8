"""Crash safety: an edit the store reported done survives SIGKILL at any moment.

A worker process (``crash_harness.py``) edits the corpus through the store API and prints
each edit after the call returns; the test kills it with SIGKILL at a random moment,
reopens the corpus and requires every reported edit, nothing half-done, and a clean
``PRAGMA integrity_check``. Runs share one corpus file, so later runs also recover from
the WAL left by earlier kills. ``benchmarks/soak_crash.py`` repeats this many more times.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.store import Corpus

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import crash_harness  # noqa: E402
import window_worker  # noqa: E402

RUNS = int(os.environ.get("ANNOTATOR_CRASH_RUNS", "8"))


def kill_at_random(command: list[str], errors: Path, delay: float) -> str:
    """Start a worker, let it edit for ``delay`` seconds after it is ready, SIGKILL it; its stdout."""
    with errors.open("w") as stderr:
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            encoding="utf-8",
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.strip() == '{"ready": true}', first + errors.read_text()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        out = proc.stdout.read()  # the same buffered reader: nothing already read ahead is lost
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, errors.read_text()
    return first + out


@pytest.mark.slow
def test_reported_edits_survive_sigkill(tmp_path: Path):
    db = tmp_path / "corpus.db"
    docs = crash_harness.seed_corpus(db)
    rng = random.Random(7)
    reported = in_flight = 0
    for run in range(RUNS):
        annotator = f"run{run}"
        command = [sys.executable, str(HERE / "crash_harness.py"), str(db), "--annotator", annotator,
                   "--seed", str(run), "--docs", ",".join(map(str, docs))]
        out = kill_at_random(command, db.with_name(f"{annotator}.stderr"), delay=rng.uniform(0.05, 0.5))
        summary = crash_harness.verify(db, annotator, docs, out)
        assert summary.failed == 0, summary.errors
        reported += summary.reported
        in_flight += summary.in_flight is not None
    assert reported > RUNS * 5, "the workers should have made edits before being killed"
    # the corpus still opens normally, migrates nothing, and takes new edits
    with Corpus(db) as corpus:
        assert corpus.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert corpus.count_documents() >= len(docs)
    print(f"{RUNS} kills, {reported} reported edits all found, {in_flight} kills during an edit")


@pytest.mark.slow
def test_what_the_window_showed_survives_sigkill(tmp_path: Path):
    """The real annotation window (offscreen), driven through its session, killed mid-work."""
    db = tmp_path / "corpus.db"
    crash_harness.seed_corpus(db)
    command = [sys.executable, str(HERE / "window_worker.py"), str(db), "--annotator", "amira", "--seed", "11"]
    out = kill_at_random(command, tmp_path / "window.stderr", delay=random.Random(11).uniform(0.5, 1.5))
    reported, _ = window_worker.verify(db, "amira", out)
    assert reported > 0, "the window made edits before it was killed"

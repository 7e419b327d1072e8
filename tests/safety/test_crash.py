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

RUNS = int(os.environ.get("ANNOTATOR_CRASH_RUNS", "8"))


def kill_worker_at_random(db: Path, annotator: str, docs: list[int], seed: int, delay: float) -> str:
    """Start a worker, let it edit for ``delay`` seconds after it is ready, SIGKILL it; its stdout."""
    errors = db.with_name(f"{annotator}.stderr")
    with errors.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, str(HERE / "crash_harness.py"), str(db), "--annotator", annotator, "--seed", str(seed),
             "--docs", ",".join(map(str, docs))],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            encoding="utf-8",
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
        out = kill_worker_at_random(db, annotator, docs, seed=run, delay=rng.uniform(0.05, 0.8))
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

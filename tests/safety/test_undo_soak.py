"""The soak's two-window/two-annotator undo case, short and without kills (the soak adds the kills)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import crash_harness  # noqa: E402
import undo_worker  # noqa: E402


def test_two_windows_and_two_annotators_undoing_at_random_never_touch_bilals_spans(tmp_path: Path):
    db = tmp_path / "corpus.db"
    crash_harness.seed_corpus(db, documents=3)
    known: dict[int, tuple] = {}
    undone = refused = 0
    for seed in (1, 2):  # the second run rebuilds amira's undo lists from the first run's log
        done = subprocess.run([sys.executable, str(HERE / "undo_worker.py"), str(db), "--seed", str(seed),
                               "--steps", "200"], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        summary = undo_worker.verify(db, done.stdout, known)
        assert summary.errors == []
        assert summary.steps == 200 and summary.in_flight is None
        undone += summary.undone
        refused += summary.refused
    assert len(known) > 20  # bilal's spans, all still there
    assert undone > 20 and refused >= 3  # both paths exercised: undos applied and conflicts refused

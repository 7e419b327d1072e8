"""Soak test: SIGKILL the store API (and the real window) at random moments, many times.

    python benchmarks/soak_crash.py [--runs 200] [--window-runs 10] [--undo-runs 40] [--seconds 110]

Each run starts a worker (tests/safety/crash_harness.py) that edits one corpus file through
the store API, printing each edit after the call returned; it is killed with SIGKILL after a
random delay, the corpus is reopened and every reported edit must be there, nothing half
done, ``PRAGMA integrity_check`` clean. All runs share one file, so later runs also recover
from the WAL earlier kills left behind. ``--window-runs`` does the same with the annotation
window (offscreen, tests/safety/window_worker.py). ``--undo-runs`` plays the issue's
two-window/two-annotator undo case (tests/safety/undo_worker.py: amira labels in one window,
her second window deletes and relabels, bilal labels the same ranges, amira undoes and redoes),
killed at random and restarted on one file: every span bilal was told was stored must still be
there and amira's log must never record an edit of his. Stops early at ``--seconds``.
Prints runs, edits verified, kills that landed inside an edit, and kills per second.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAFETY = ROOT / "tests" / "safety"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(SAFETY))

import crash_harness  # noqa: E402
import undo_worker  # noqa: E402
import window_worker  # noqa: E402


def kill_at_random(command: list[str], delay: float) -> str:
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8",
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if first.strip() != '{"ready": true}':
        proc.kill()
        raise SystemExit(f"worker did not start: {first!r}")
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out = proc.stdout.read()
    proc.wait()
    return first + out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--window-runs", type=int, default=10)
    parser.add_argument("--undo-runs", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=110.0, help="stop starting new runs after this long")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="annotator-soak-") as folder:
        db = Path(folder) / "corpus.db"
        docs = crash_harness.seed_corpus(db, documents=12)
        runs = reported = in_flight = committed = 0
        for run in range(args.runs):
            if time.perf_counter() - started > args.seconds * 0.6:
                break
            name = f"soak{run}"
            command = [sys.executable, str(SAFETY / "crash_harness.py"), str(db), "--annotator", name,
                       "--seed", str(args.seed * 100_000 + run), "--docs", ",".join(map(str, docs))]
            summary = crash_harness.verify(db, name, docs, kill_at_random(command, rng.uniform(0.02, 1.0)))
            assert summary.failed == 0, summary.errors
            runs += 1
            reported += summary.reported
            in_flight += summary.in_flight is not None
            committed += bool(summary.in_flight_committed)
        store_seconds = time.perf_counter() - started
        print(f"store API: {runs} SIGKILLs, {reported:,} reported edits all found, "
              f"{in_flight} kills landed inside an edit ({committed} of those had committed, "
              f"{in_flight - committed} had not; never half), integrity ok after each "
              f"({store_seconds:.0f} s, {runs / store_seconds:.1f} kills/s)")

        window_db = Path(folder) / "window.db"
        crash_harness.seed_corpus(window_db, documents=12)
        window_runs = window_reported = window_in_flight = 0
        for run in range(args.window_runs):
            if time.perf_counter() - started > args.seconds:
                break
            command = [sys.executable, str(SAFETY / "window_worker.py"), str(window_db), "--annotator", "amira",
                       "--seed", str(args.seed * 1000 + run)]
            count, flight = window_worker.verify(window_db, "amira", kill_at_random(command, rng.uniform(1.0, 4.0)))
            window_runs += 1
            window_reported += count
            window_in_flight += flight
        print(f"window:    {window_runs} SIGKILLs, {window_reported:,} shown actions all found, "
              f"{window_in_flight} kills landed inside an action, integrity ok after each")

        undo_db = Path(folder) / "undo.db"
        crash_harness.seed_corpus(undo_db, documents=4)
        bilal: dict[int, tuple] = {}
        undo_runs = undo_steps = undone = refused = undo_in_flight = 0
        undo_started = time.perf_counter()
        for run in range(args.undo_runs):
            if time.perf_counter() - started > args.seconds:
                break
            command = [sys.executable, str(SAFETY / "undo_worker.py"), str(undo_db), "--seed", str(args.seed * 10_000 + run)]
            summary = undo_worker.verify(undo_db, kill_at_random(command, rng.uniform(0.2, 1.5)), bilal)
            assert not summary.errors, summary.errors
            undo_runs += 1
            undo_steps += summary.steps
            undone += summary.undone
            refused += summary.refused
            undo_in_flight += summary.in_flight is not None
        undo_seconds = time.perf_counter() - undo_started
        print(f"undo:      {undo_runs} SIGKILLs, {undo_steps:,} reported steps ({undone:,} undos applied, "
              f"{refused:,} refused because the row changed since), all {len(bilal):,} of bilal's reported spans "
              f"intact, no edit of his in amira's log, {undo_in_flight} kills inside a step, check clean after "
              f"each ({undo_seconds:.0f} s)")
    print(f"total {time.perf_counter() - started:.0f} s; failures 0")


if __name__ == "__main__":
    main()

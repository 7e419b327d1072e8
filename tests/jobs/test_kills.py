"""Real SIGKILLs: of a worker (the command fails cleanly, nothing half-written) and of an export
in the middle of writing (the previous export or the new one, never a mix)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from spacy.tokens import DocBin

from annotator.store import Corpus

from .conftest import synthetic_records

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-m", "annotator"]
DOCUMENTS = 1000


def descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found.extend(children)
        frontier = children
    return found


def pool_workers(pid: int) -> list[int]:
    """The pool's worker processes: children of ``pid`` forked from it (same command line)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    workers = []
    for child in descendants(pid):
        try:
            if Path(f"/proc/{child}/cmdline").read_bytes() == command:
                workers.append(child)
        except OSError:
            continue
    return workers


def wait_for(condition, timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "corpus.db"
    with Corpus.open(path) as corpus:
        ids = corpus.add_documents(synthetic_records(DOCUMENTS), annotator="amira").new_ids
        with corpus.transaction():
            for doc_id in ids:
                corpus.set_status(doc_id, "amira", "done")
    return path


@pytest.fixture
def launch():
    """Start a command in its own process group; whatever happens, nothing of it outlives the test."""
    started: list[subprocess.Popen] = []

    def start(args: list[str], **options) -> subprocess.Popen:
        process = subprocess.Popen(args, start_new_session=True, **options)
        started.append(process)
        return process

    yield start
    for process in started:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def stored_runs(path: Path) -> list[tuple[int, int]]:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            rows = conn.execute("SELECT document_id, COUNT(*) FROM suggestion_runs GROUP BY document_id").fetchall()
        conn.close()
        return rows
    except sqlite3.OperationalError:
        return []


def test_a_killed_worker_fails_suggest_cleanly_and_keeps_whole_chunks(big_db, launch):
    process = launch([*CLI, "suggest", "--db", str(big_db), "--jobs", "2", "--suggester", "gazetteer",
                                "--suggester", "quotes"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: len(pool_workers(process.pid)) >= 2, what="two workers")
    wait_for(lambda: len(stored_runs(big_db)) > 0 or process.poll() is not None, what="a first stored chunk")
    os.kill(pool_workers(process.pid)[0], signal.SIGKILL)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, out + err
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if line.strip()]
    assert "a worker process stopped unexpectedly (killed by signal 9)" in line and "run again to finish" in line
    runs = stored_runs(big_db)
    assert 0 < len(runs) < DOCUMENTS
    assert {count for _, count in runs} == {2}  # every stored document has both suggesters: whole chunks
    with Corpus.open(big_db) as corpus:
        assert corpus.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not pool_workers(process.pid)


def test_a_killed_worker_fails_an_export_and_leaves_nothing(big_db, tmp_path, launch):
    out = tmp_path / "out.jsonl"
    process = launch([*CLI, "export", "jsonl", str(out), "--db", str(big_db), "--jobs", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: len(pool_workers(process.pid)) >= 2, what="two workers")
    wait_for(lambda: Path(f"{out}.part").exists() or process.poll() is not None, what="the .part file")
    os.kill(pool_workers(process.pid)[-1], signal.SIGKILL)
    stdout, err = process.communicate(timeout=60)
    assert process.returncode == 1 and "Traceback" not in err
    assert "a worker process stopped unexpectedly" in err and "nothing was written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def shard_counts(folder: Path) -> dict[str, int]:
    return {split: sum(len(DocBin().from_disk(p)) for p in sorted((folder / split).glob("*.spacy")))
            for split in ("train", "dev")}


def consistent(folder: Path) -> dict:
    """summary.json describes exactly the DocBins beside it."""
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.spacy"))
    assert files == sorted(summary["files"]["shards"]["train"] + summary["files"]["shards"]["dev"])
    assert shard_counts(folder) == {split: summary["splits"][split]["documents"] for split in ("train", "dev")}
    return summary


def test_sigkill_of_export_spacy_leaves_the_previous_export_whole_and_the_next_run_cleans_up(big_db, tmp_path,
                                                                                           launch):
    out = tmp_path / "out"
    first = subprocess.run([*CLI, "export", "spacy", str(out), "--db", str(big_db), "--jobs", "1", "--dev", "0.5",
                            "--shard-size", "400"], capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    previous = consistent(out)
    assert previous["dev_fraction"] == 0.5
    tmp = tmp_path / ".out.part-{pid}"
    # Kill once summary.json is in the temporary folder (just before the swap), and while DocBins are
    # written (last, so that the killed run's leftovers are surely there for the next run to clean).
    for moment in ("summary.json", "train/000.spacy", "train/001.spacy"):
        process = launch([*CLI, "export", "spacy", str(out), "--db", str(big_db), "--jobs", "1",
                                    "--dev", "0.2", "--shard-size", "150", "--overwrite"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        marker = Path(str(tmp).format(pid=process.pid)) / moment
        wait_for(lambda marker=marker, process=process: marker.exists() or process.poll() is not None,
                 what=str(marker))
        process.kill()
        process.wait()
        state = consistent(out)
        if moment == "summary.json":  # the swap may have happened between seeing the file and the kill
            assert state == previous or state["dev_fraction"] == 0.2
            previous = state  # whichever it is, the later kills must leave exactly it
        else:
            assert state == previous
    assert any(p.name.startswith(".out.part-") for p in tmp_path.iterdir())  # a killed run's leftovers
    again = subprocess.run([*CLI, "export", "spacy", str(out), "--db", str(big_db), "--jobs", "2",
                            "--shard-size", "150", "--overwrite"], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert consistent(out)["dev_fraction"] == 0.2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

"""Corpora for the parallel, sharded and atomic-export tests (built once per module, copied per test)."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from annotator.store import Corpus

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared builders
from export.builders import add_synthetic, annotate_seed, synthetic_records  # noqa: E402

__all__ = ["add_synthetic", "annotate_seed", "copy_corpus", "suggestion_rows", "synthetic_records"]


def copy_corpus(source: Path, target: Path) -> Path:
    """A consistent copy of a corpus file (WAL checkpointed first)."""
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(source, target)
    return target


def suggestion_rows(path: Path) -> tuple[list[tuple], list[tuple]]:
    """Every cached suggestion, by content hash (ids differ between corpora), and every run's version."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            'SELECT d.content_hash, s.suggester, s.kind, s.start, s."end", s.label, s.score, s.data '
            "FROM suggestions s JOIN documents d ON d.id = s.document_id ORDER BY d.content_hash, s.suggester, s.id"
        ).fetchall()
        runs = conn.execute(
            "SELECT d.content_hash, r.suggester, r.version FROM suggestion_runs r JOIN documents d "
            "ON d.id = r.document_id ORDER BY d.content_hash, r.suggester"
        ).fetchall()
    conn.close()
    return rows, runs


@pytest.fixture(scope="module")
def annotated_db(tmp_path_factory) -> Path:
    """160 short synthetic articles and the two seed articles, all done by amira (entities and quotes)."""
    from annotator.suggest.learned_state import prepare_learned

    path = tmp_path_factory.mktemp("annotated") / "corpus.db"
    with Corpus.open(path) as corpus:
        add_synthetic(corpus, 160)
        annotate_seed(corpus)
        # The learned state (and the corpus token in the learned versions) exists before the tests
        # copy the file, so the copies are one corpus, as a colleague's copy of it would be.
        prepare_learned(corpus, "ar")
    return path


@pytest.fixture
def annotated(annotated_db, tmp_path) -> Path:
    return copy_corpus(annotated_db, tmp_path / "corpus.db")

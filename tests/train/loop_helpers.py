"""A tiny corpus for the training loop: finished articles to learn from, unfinished ones to suggest on."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from annotator.store import Corpus
from annotator.train.job import TrainingRequest
from tests.export.builders import add_synthetic, synthetic_records

# A network small enough to train in a few seconds on a busy machine.
# The corpus's own first model, not a fine-tuned shipped one (which would be slower and score differently).
NO_SHIPPED_MODELS = Path(__file__).resolve().parent / "no-shipped-models"
TINY = {"components.tok2vec.model.encode.width": 32, "components.tok2vec.model.encode.depth": 1}


def loop_corpus(path: Path, done: int = 12, todo: int = 4) -> tuple[list[int], list[int]]:
    """``done`` finished articles of amira, ``todo`` articles she has not started."""
    with Corpus(path) as corpus:
        finished = add_synthetic(corpus, done)
        unfinished = corpus.add_documents(synthetic_records(todo, seed=7)).new_ids
    return finished, unfinished


def request(path: Path, **changes) -> TrainingRequest:
    values = {"corpus": str(path), "annotator": "amira", "max_steps": 30, "eval_frequency": 10, "settings": TINY,
              "shipped_models": str(NO_SHIPPED_MODELS)}
    return TrainingRequest(**{**values, **changes})


def dump(path: Path) -> list[str]:
    """Every row of every table the corpus file holds, as text (to show a job left it exactly as it was).

    Virtual tables (full-text indexes) are read through their shadow tables, which hold their data.
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [name for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                                                     "ORDER BY name")
                  if not (sql or "").upper().startswith("CREATE VIRTUAL")]
        lines = []
        for table in tables:
            lines.append(f"table {table}")
            lines.extend(f"{table}: {row!r}" for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'))
        return lines
    finally:
        conn.close()


def start_worker(job: TrainingRequest) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "annotator.train.worker", job.to_json()], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def read_events(process: subprocess.Popen, until: str | None = None) -> list[dict]:
    """Events from the worker's stdout, up to (and including) the first of kind ``until`` (None: all)."""
    events = []
    assert process.stdout is not None
    for line in process.stdout:
        event = json.loads(line)
        events.append(event)
        if until is not None and event["event"] == until:
            break
    return events

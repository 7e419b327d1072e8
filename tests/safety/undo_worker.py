"""Two windows of one annotator and a second annotator, undoing and redoing at random, killed at random.

The worker (``python undo_worker.py DB --seed N``) plays the issue's case over and over on one
corpus: amira labels in her first window, her second window deletes or relabels her spans,
bilal labels the same ranges, and amira's first window presses undo and redo. Every step is
printed as a JSON line after it returned (``{"done": ...}``), refusals too (``{"refused": ...}``).
The soak benchmark kills it with SIGKILL at random moments and restarts it on the same file
(the undo lists are rebuilt from the event log, as after a crash).

:func:`verify` checks the corpus after a kill: every span bilal was told was stored is there
with its range and label (no one but bilal ever deletes his spans), amira's log never records
an edit of one of bilal's span ids, integrity and :func:`~annotator.store.maintenance.check`
are clean.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LABELS = ("PER", "ORG", "GPE")


def emit(record: dict) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def run(db: Path, seed: int, steps: int = -1) -> None:
    sys.path.insert(0, str(ROOT))
    from annotator.core.spans import Span
    from annotator.store import AnnotationError, Corpus
    from annotator.ui.history import History, HistoryError

    rng = random.Random(seed)
    first, second = Corpus(db, create=False), Corpus(db, create=False)
    amira_1, amira_2, bilal = History(first, "amira"), History(second, "amira"), History(second, "bilal")
    docs = first.document_ids()
    length = {d: len(first.document(d).text) for d in docs}
    ranges = {d: [(s, min(length[d], s + rng.randint(3, 9))) for s in range(0, length[d] - 10, 12)] for d in docs}
    emit({"ready": True})
    step = 0
    ops = ["amira.label"] * 4 + ["amira2.delete", "amira2.relabel", "bilal.label", "bilal.label"]
    ops += ["amira.undo"] * 3 + ["amira.redo"]
    while steps < 0 or step < steps:
        step += 1
        op = rng.choice(ops)
        doc = rng.choice(docs)
        start, end = rng.choice(ranges[doc])
        emit({"begin": step, "op": op, "doc": doc})
        try:
            if op in ("amira.label", "bilal.label"):
                history = amira_1 if op == "amira.label" else bilal
                with history.step(doc):
                    span = history.corpus.add_span(doc, history.annotator, Span(start, end, rng.choice(LABELS)))
                emit({"done": step, "op": op, "id": span.id, "key": [span.start, span.end, span.label]})
            elif op in ("amira2.delete", "amira2.relabel"):
                mine = second.spans(doc, "amira")
                if not mine:
                    emit({"done": step, "op": "nothing"})
                    continue
                target = rng.choice(mine)
                with amira_2.step(doc):
                    if op == "amira2.delete":
                        second.delete_span(target.id, "amira", doc_id=doc)
                    else:
                        second.update_span(target.id, "amira", doc_id=doc,
                                           label=rng.choice([x for x in LABELS if x != target.label]))
                emit({"done": step, "op": op, "id": target.id})
            else:
                travelled = amira_1.undo() if op == "amira.undo" else amira_1.redo()
                emit({"done": step, "op": op, "step": travelled.description if travelled else None})
        except HistoryError as exc:
            emit({"refused": step, "op": op, "message": str(exc)})
        except AnnotationError as exc:  # an overlap with one of her own spans: told, nothing stored
            emit({"failed": step, "op": op, "error": type(exc).__name__, "message": str(exc)})
    emit({"finished": step})


@dataclass
class UndoSummary:
    steps: int = 0
    bilal_spans: int = 0
    undone: int = 0
    refused: int = 0
    in_flight: str | None = None
    errors: list[str] = field(default_factory=list)


def verify(db: Path, output: str, bilal: dict[int, tuple] | None = None) -> UndoSummary:
    """Check the corpus against one killed run's output (see the module docstring).

    ``bilal`` carries the spans bilal was told were stored in earlier runs on the same file
    (updated in place), so each check covers every run so far.
    """
    sys.path.insert(0, str(ROOT))
    from annotator.store.maintenance import check

    summary = UndoSummary()
    bilal = {} if bilal is None else bilal
    before = len(bilal)
    last_begin = None
    for line in output.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue  # the line the kill cut
        if "begin" in record:
            last_begin = record
        elif "done" in record or "refused" in record or "failed" in record:
            summary.steps += 1
            last_begin = None
            if record.get("op") == "bilal.label" and "done" in record:
                bilal[record["id"]] = tuple(record["key"])
            if record.get("op") == "amira.undo" and record.get("step"):
                summary.undone += 1
            if "refused" in record:
                summary.refused += 1
    summary.in_flight = last_begin["op"] if last_begin else None
    summary.bilal_spans = len(bilal) - before
    conn = sqlite3.connect(db)
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            summary.errors.append("integrity_check failed")
        rows = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(
            'SELECT s.id, s.start, s."end", s.label FROM spans s JOIN annotators a ON a.id = s.annotator_id '
            "WHERE a.name = 'bilal'")}
        for ident, key in bilal.items():
            if rows.get(ident) != key:
                summary.errors.append(f"bilal's span {ident} {key} is {rows.get(ident)} now")
        theirs = set(rows)
        for action, data in conn.execute(
            "SELECT action, data FROM events WHERE annotator = 'amira' AND action IN ('span.delete', 'span.update')"
        ):
            span = json.loads(data).get("span") or json.loads(data).get("before") or {}
            if span.get("id") in theirs:
                summary.errors.append(f"amira's log records {action} of bilal's span {span['id']}")
    finally:
        conn.close()
    report = check(db)
    summary.errors.extend(str(p) for p in report.problems)
    return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=-1)
    args = parser.parse_args()
    run(Path(args.db), args.seed, args.steps)

"""A store-API worker that reports every edit, and the checker that proves none was lost.

The worker (``python crash_harness.py DB --annotator NAME --seed N``) makes random edits
through :class:`~annotator.store.Corpus` and prints one JSON line per step, flushed:

* ``{"begin": i, "op": ..., ...}`` before calling the store (the full arguments),
* ``{"done": i, "id": ...}`` only AFTER the call returned: the edit was "reported done",
* ``{"failed": i, "error": ..., "message": ...}`` when the store refused the edit with its
  own clear error (only expected when two workers share one annotation set).

:func:`verify` replays the log on a model and compares it with the database: the database
must equal the model of all reported edits, or that model plus the one edit that was in
flight when the process died (it may or may not have committed, but never half of it).
The crash test (tests/safety/test_crash.py), the concurrency test and the soak benchmark
(benchmarks/soak_crash.py) all use this file.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LABELS = ("PER", "ORG", "GPE", "LOC", "NORP", "MISC")
WORDS = ("قال", "الرئيس", "بوتين", "إن", "الحكومة", "Obama", "said", "the", "<b>x</b>", "«نعم»", "\u200f")


def make_text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)) + "."


def seed_corpus(path: Path, documents: int = 6, seed: int = 0) -> list[int]:
    """A corpus with ``documents`` articles for the workers to edit; returns their ids."""
    sys.path.insert(0, str(ROOT))
    from annotator.core.spans import DocumentRecord
    from annotator.store import Corpus

    rng = random.Random(seed)
    with Corpus(path) as corpus:
        records = [DocumentRecord(text=f"{i}: " + make_text(rng, 120), title=f"article {i}") for i in range(documents)]
        return corpus.add_documents(records).new_ids


# -- the worker ----------------------------------------------------------------------------------


class Worker:
    def __init__(self, corpus: Any, annotator: str, docs: list[int], rng: random.Random, shared: bool):
        from annotator.store import AnnotationError

        self.corpus = corpus
        self.annotator = annotator
        self.docs = docs
        self.rng = rng
        self.shared = shared  # another worker edits the same annotation set
        self.lengths = {d: len(corpus.document(d).text) for d in docs}
        self.spans: dict[int, tuple[int, int, int, str]] = {}  # id -> (doc, start, end, label)
        self.quotes: dict[int, int] = {}  # id -> doc
        self.step = 0
        self.expected_errors: tuple[type[BaseException], ...] = (AnnotationError,)

    def emit(self, record: dict) -> None:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    def free_range(self, doc: int) -> tuple[int, int] | None:
        taken = sorted((s, e) for d, s, e, _ in self.spans.values() if d == doc)
        length = self.lengths[doc]
        for _ in range(20):
            start = self.rng.randrange(0, length - 1)
            end = min(length, start + self.rng.randint(1, 12))
            if all(end <= s or start >= e for s, e in taken):
                return start, end
        return None

    def run(self, edits: int) -> None:
        ops = ["add_span"] * 8 + ["update_span"] * 3 + ["delete_span"] * 2 + ["add_quote"] * 2
        ops += ["update_quote", "delete_quote", "import"]
        if not self.shared:
            ops += ["set_status"] * 2
        while edits < 0 or self.step < edits:
            op = self.rng.choice(ops)
            args = self.plan(op)
            if args is None:
                continue
            self.step += 1
            self.emit({"begin": self.step, **args})
            try:
                result = self.apply(args)
            except self.expected_errors as exc:
                self.emit({"failed": self.step, "error": type(exc).__name__, "message": str(exc)})
                continue
            self.emit({"done": self.step, "id": result})
        self.emit({"finished": self.step})

    def plan(self, op: str) -> dict | None:
        rng = self.rng
        doc = rng.choice(self.docs)
        if op == "add_span":
            free = self.free_range(doc)
            return free and {"op": op, "doc": doc, "start": free[0], "end": free[1], "label": rng.choice(LABELS)}
        if op in ("update_span", "delete_span"):
            if not self.spans:
                return None
            span_id = rng.choice(sorted(self.spans))
            if op == "delete_span":
                return {"op": op, "span": span_id}
            return {"op": op, "span": span_id, "label": rng.choice(LABELS)}
        if op == "add_quote":
            start = rng.randrange(0, self.lengths[doc] - 20)
            cue = [start + 10, start + 14] if rng.random() < 0.5 else None
            return {"op": op, "doc": doc, "contents": [[start, start + 8]], "cue": cue,
                    "type": rng.choice(["direct", "indirect", "mixed"])}
        if op in ("update_quote", "delete_quote"):
            if not self.quotes:
                return None
            quote_id = rng.choice(sorted(self.quotes))
            if op == "delete_quote":
                return {"op": op, "quote": quote_id}
            start = rng.randrange(0, self.lengths[self.quotes[quote_id]] - 10)
            return {"op": op, "quote": quote_id, "contents": [[start, start + 6]], "cue": None, "type": "indirect"}
        if op == "set_status":
            status = rng.choice(["in_progress", "done", "skipped"])
            return {"op": op, "doc": doc, "status": status, "note": "not news" if status == "skipped" else None}
        if op == "import":
            texts = [f"import {self.annotator} {self.step} {k}: " + make_text(rng, 30) for k in range(5)]
            return {"op": op, "texts": texts, "spans": [[0, 6, "ORG"]]}
        raise ValueError(op)

    def apply(self, a: dict) -> int | None:
        from annotator.core.spans import DocumentRecord, Quote, Range, Span

        c, name = self.corpus, self.annotator
        op = a["op"]
        if op == "add_span":
            span = c.add_span(a["doc"], name, Span(a["start"], a["end"], a["label"]))
            self.spans[span.id] = (a["doc"], a["start"], a["end"], a["label"])
            return span.id
        if op == "update_span":
            c.update_span(a["span"], name, label=a["label"])
            d, s, e, _ = self.spans[a["span"]]
            self.spans[a["span"]] = (d, s, e, a["label"])
            return a["span"]
        if op == "delete_span":
            c.delete_span(a["span"], name)
            del self.spans[a["span"]]
            return a["span"]
        if op in ("add_quote", "update_quote"):
            quote = Quote(contents=tuple(Range(s, e) for s, e in a["contents"]),
                          cue=Range(*a["cue"]) if a["cue"] else None, type=a["type"])
            if op == "add_quote":
                stored = c.add_quote(a["doc"], name, quote)
                self.quotes[stored.id] = a["doc"]
                return stored.id
            c.update_quote(a["quote"], name, quote)
            return a["quote"]
        if op == "delete_quote":
            c.delete_quote(a["quote"], name)
            del self.quotes[a["quote"]]
            return a["quote"]
        if op == "set_status":
            c.set_status(a["doc"], name, a["status"], a["note"])
            return None
        if op == "import":
            records = [DocumentRecord(text=t, spans=[Span(s, e, lab, origin="imported") for s, e, lab in a["spans"]])
                       for t in a["texts"]]
            return len(c.add_documents(records, annotator=name).new_ids)
        raise ValueError(op)


def worker_main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db")
    parser.add_argument("--annotator", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--edits", type=int, default=-1, help="stop after this many edits (-1: until killed)")
    parser.add_argument("--docs", default="", help="comma-separated document ids (default: all)")
    parser.add_argument("--shared", action="store_true", help="another worker edits the same set")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from annotator.store import Corpus

    corpus = Corpus(args.db, create=False)
    docs = [int(d) for d in args.docs.split(",") if d] or corpus.document_ids()
    worker = Worker(corpus, args.annotator, docs, random.Random(args.seed), args.shared)
    worker.emit({"ready": True})
    worker.run(args.edits)
    corpus.close()


# -- the checker -------------------------------------------------------------------------------


@dataclass
class Model:
    """What the database must hold for one annotator, from the reported edits."""

    spans: dict[Any, tuple] = field(default_factory=dict)  # id -> (doc, start, end, label); None id = in flight
    quotes: dict[Any, tuple] = field(default_factory=dict)  # id -> (doc, type, parts)
    statuses: dict[int, tuple] = field(default_factory=dict)  # doc -> (status, note)
    imports: dict[str, int] = field(default_factory=dict)  # text -> spans it carries

    def copy(self) -> Model:
        return Model(dict(self.spans), dict(self.quotes), dict(self.statuses), dict(self.imports))

    def touch(self, doc: int) -> None:
        if self.statuses.get(doc, ("new", None))[0] == "new":
            self.statuses[doc] = ("in_progress", None)

    def apply(self, a: dict, result: Any) -> None:
        op = a["op"]
        if op == "add_span":
            self.spans[result] = (a["doc"], a["start"], a["end"], a["label"])
            self.touch(a["doc"])
        elif op == "update_span":
            doc, s, e, _ = self.spans[a["span"]]
            self.spans[a["span"]] = (doc, s, e, a["label"])
            self.touch(doc)
        elif op == "delete_span":
            doc = self.spans.pop(a["span"])[0]
            self.touch(doc)
        elif op == "add_quote":
            self.quotes[result] = (a["doc"], a["type"], _parts(a))
            self.touch(a["doc"])
        elif op == "update_quote":
            doc = self.quotes[a["quote"]][0]
            self.quotes[a["quote"]] = (doc, a["type"], _parts(a))
            self.touch(doc)
        elif op == "delete_quote":
            doc = self.quotes.pop(a["quote"])[0]
            self.touch(doc)
        elif op == "set_status":
            self.statuses[a["doc"]] = (a["status"], a["note"])
        elif op == "import":
            for text in a["texts"]:
                self.imports[text] = len(a["spans"])


def _parts(a: dict) -> tuple:
    parts = [("content", s, e) for s, e in a["contents"]]
    if a["cue"]:
        parts.append(("cue", *a["cue"]))
    return tuple(sorted(parts))


@dataclass
class LogSummary:
    reported: int = 0  # edits reported done
    failed: int = 0  # edits the store refused with its own error
    in_flight: dict | None = None  # the edit begun but never reported
    in_flight_committed: bool | None = None  # whether the database holds it (both are fine)
    errors: dict[str, int] = field(default_factory=dict)
    finished: bool = False


def read_log(stdout: str, model: Model) -> LogSummary:
    """Apply every reported edit of a worker's output to ``model``."""
    summary = LogSummary()
    pending: dict | None = None
    for line in stdout.splitlines(keepends=True):
        if not line.endswith("\n"):
            break  # killed while printing: the edit was not reported (it may still be in flight)
        record = json.loads(line)
        if "begin" in record:
            pending = record
        elif "done" in record:
            assert pending is not None and pending["begin"] == record["done"], record
            model.apply(pending, record["id"])
            summary.reported += 1
            pending = None
        elif "failed" in record:
            summary.failed += 1
            summary.errors[record["error"]] = summary.errors.get(record["error"], 0) + 1
            pending = None
        elif "finished" in record:
            summary.finished = True
    summary.in_flight = pending
    return summary


def database_state(conn: sqlite3.Connection, annotator: str, docs: list[int]) -> Model:
    """The same shape as :class:`Model`, read from the database."""
    state = Model()
    aid_row = conn.execute("SELECT id FROM annotators WHERE name = ?", (annotator,)).fetchone()
    if aid_row is None:
        return state
    aid = aid_row[0]
    marks = ",".join("?" * len(docs))
    for row in conn.execute(
        f'SELECT id, document_id, start, "end", label FROM spans WHERE annotator_id = ? AND document_id IN ({marks})',
        (aid, *docs),
    ):
        state.spans[row[0]] = tuple(row[1:])
    for qid, doc, qtype in conn.execute(
        f"SELECT id, document_id, type FROM quotes WHERE annotator_id = ? AND document_id IN ({marks})", (aid, *docs)
    ):
        parts = conn.execute('SELECT role, start, "end" FROM quote_parts WHERE quote_id = ?', (qid,)).fetchall()
        state.quotes[qid] = (doc, qtype, tuple(sorted(tuple(p) for p in parts)))
    for doc, status, note in conn.execute(
        f"SELECT document_id, status, note FROM statuses WHERE annotator_id = ? AND document_id IN ({marks})",
        (aid, *docs),
    ):
        state.statuses[doc] = (status, note)
    return state


def imported_state(conn: sqlite3.Connection, annotator: str, texts: list[str]) -> dict[str, int]:
    """text -> number of this annotator's spans, for the imported texts that are in the database."""
    found = {}
    for text in texts:
        row = conn.execute(
            "SELECT COUNT(s.id) FROM documents d LEFT JOIN spans s ON s.document_id = d.id AND s.annotator_id = "
            "(SELECT id FROM annotators WHERE name = ?) WHERE d.text = ? GROUP BY d.id",
            (annotator, text),
        ).fetchone()
        if row is not None:
            found[text] = row[0]
    return found


def verify(db: Path, annotator: str, docs: list[int], stdout: str, check_statuses: bool = True) -> LogSummary:
    """Assert the database holds exactly the reported edits (plus, optionally, the one in flight)."""
    model = Model()
    summary = read_log(stdout, model)
    conn = sqlite3.connect(str(db))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        state = database_state(conn, annotator, docs)
        texts = list(model.imports) + (summary.in_flight.get("texts", []) if summary.in_flight else [])
        state.imports = imported_state(conn, annotator, texts)
    finally:
        conn.close()
    candidates = [model]
    if summary.in_flight is not None:
        after = model.copy()
        flight = summary.in_flight
        new_ids = set(state.spans) - set(model.spans) if flight["op"] == "add_span" else set(state.quotes) - set(
            model.quotes
        )
        new_id = next(iter(new_ids)) if len(new_ids) == 1 else "in-flight"
        after.apply(flight, new_id)
        candidates.append(after)
    if not check_statuses:
        state.statuses = {}
        for candidate in candidates:
            candidate.statuses = {}
    for index, candidate in enumerate(candidates):
        if state == candidate:
            if summary.in_flight is not None:
                summary.in_flight_committed = index == 1 and candidates[0] != candidates[1]
            return summary
    def differing(mine: dict, theirs: dict) -> dict:
        keys = sorted(set(mine) | set(theirs), key=str)
        return {k: (mine.get(k), theirs.get(k)) for k in keys if mine.get(k) != theirs.get(k)}

    raise AssertionError(
        f"database does not match the reported edits (in flight: {summary.in_flight}); as (model, database): "
        f"spans {differing(model.spans, state.spans)}; quotes {differing(model.quotes, state.quotes)}; "
        f"statuses {differing(model.statuses, state.statuses)}; imports {differing(model.imports, state.imports)}"
    )


def verify_together(db: Path, annotator: str, docs: list[int], outputs: list[str]) -> list[LogSummary]:
    """Several finished workers edited ONE annotation set: the database holds exactly all their reported edits."""
    union = Model()
    summaries = []
    for stdout in outputs:
        model = Model()
        summary = read_log(stdout, model)
        assert summary.finished and summary.in_flight is None, "each worker ran to the end"
        assert not set(model.spans) & set(union.spans) and not set(model.quotes) & set(union.quotes)
        union.spans.update(model.spans)
        union.quotes.update(model.quotes)
        union.imports.update(model.imports)
        summaries.append(summary)
    conn = sqlite3.connect(str(db))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        state = database_state(conn, annotator, docs)
        state.imports = imported_state(conn, annotator, list(union.imports))
    finally:
        conn.close()
    assert state.spans == union.spans
    assert state.quotes == union.quotes
    assert state.imports == union.imports
    return summaries


if __name__ == "__main__":
    worker_main()

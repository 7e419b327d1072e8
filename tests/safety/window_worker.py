"""The real annotation window (offscreen) making edits until it is killed; see test_crash.py.

``QT_QPA_PLATFORM=offscreen python window_worker.py DB --annotator NAME --seed N`` builds
:class:`annotator.ui.main_window.MainWindow` on the corpus and drives it through its
session, as the keys do: label a selection, relabel, delete, make a quote, mark done and
go on. After each action returns and the window has processed its events, it prints what
the window now shows for that article (``{"done": i, "doc": d, "spans": ..., "quotes": ...,
"status": ...}``): that is what the annotator saw happen. Each article the window opens is
printed the same way (``{"shown": true, ...}``) before any action on it. :func:`verify` checks the
database against the last thing shown for every article.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LABELS = ("PER", "ORG", "GPE", "LOC", "NORP", "MISC")


def shown(session, doc: int) -> dict:
    """What the window shows for the open article, in the checker's terms."""
    return {
        "doc": doc,
        "spans": sorted([s.id, s.start, s.end, s.label] for s in session.spans),
        "quotes": sorted([q.id, [[r.start, r.end] for r in q.contents]] for q in session.quotes),
        "status": session.status[0],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db")
    parser.add_argument("--annotator", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--edits", type=int, default=-1)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from annotator.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(args.db, args.annotator, run_suggesters=False)
    window.show()
    app.processEvents()
    session = window.session
    rng = random.Random(args.seed)

    def emit(record: dict) -> None:
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()

    emit({"ready": True})
    if session.document is not None:
        emit({"shown": True, **shown(session, session.doc_id)})
    step = 0
    while args.edits < 0 or step < args.edits:
        if session.document is None:
            break
        doc = session.doc_id
        text = session.text
        op = rng.choice(["label"] * 6 + ["relabel"] * 2 + ["delete"] * 2 + ["quote", "done"])
        step += 1
        emit({"begin": step, "op": op, "doc": doc})
        if op in ("label", "quote"):
            start = rng.randrange(0, len(text) - 1)
            end = min(len(text), start + rng.randint(1, 15))
            if op == "label":
                session.label_range(start, end, rng.choice(LABELS))
            else:
                session.make_quote(start, end)
        elif op in ("relabel", "delete"):
            if session.spans:
                session.select("span", rng.choice(session.spans).id)
                if op == "relabel":
                    session.relabel(rng.choice(LABELS))
                else:
                    session.delete_selected()
        else:
            current = shown(session, doc)
            session.mark_done_and_next()
            app.processEvents()
            emit({"done": step, **current, "status": "done"})
            if session.document is not None and session.doc_id != doc:
                emit({"shown": True, **shown(session, session.doc_id)})
            continue
        app.processEvents()
        emit({"done": step, **shown(session, doc)})
    emit({"finished": step})
    window.close()


def verify(db: Path, annotator: str, stdout: str) -> tuple[int, bool]:
    """Assert the database shows what the window last showed for every article.

    The article of the one action in flight when the process died may instead differ from
    what was last shown by that single action: one span or quote more, fewer or changed,
    or its status, never a half-made change. Returns (actions reported, an action was in flight).
    """
    last: dict[int, dict] = {}
    pending = None
    reported = 0
    for line in stdout.splitlines(keepends=True):
        if not line.endswith("\n"):
            break
        record = json.loads(line)
        if "begin" in record:
            pending = record
        elif "shown" in record:
            last[record["doc"]] = record
        elif "done" in record:
            last[record["doc"]] = record
            reported += 1
            pending = None
    conn = sqlite3.connect(str(db))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        row = conn.execute("SELECT id FROM annotators WHERE name = ?", (annotator,)).fetchone()
        aid = row[0] if row else -1
        for doc in set(last) | ({pending["doc"]} if pending else set()):
            spans = sorted(list(r) for r in conn.execute(
                'SELECT id, start, "end", label FROM spans WHERE document_id = ? AND annotator_id = ?', (doc, aid)))
            quotes = []
            for (qid,) in conn.execute("SELECT id FROM quotes WHERE document_id = ? AND annotator_id = ?", (doc, aid)):
                parts = conn.execute(
                    "SELECT start, \"end\" FROM quote_parts WHERE quote_id = ? AND role = 'content' ORDER BY start",
                    (qid,),
                ).fetchall()
                quotes.append([qid, [list(p) for p in parts]])
            status_row = conn.execute(
                "SELECT status FROM statuses WHERE document_id = ? AND annotator_id = ?", (doc, aid)
            ).fetchone()
            status = status_row[0] if status_row else "new"
            expected = last.get(doc, {"spans": [], "quotes": [], "status": "new"})
            actual = {"spans": spans, "quotes": sorted(quotes), "status": status}
            want = {k: expected[k] for k in ("spans", "quotes", "status")}
            if actual == want:
                continue
            assert pending is not None and pending["doc"] == doc, (
                f"article {doc}: the database differs from what the window showed: {actual} vs {want}"
            )
            assert one_action_apart(want, actual), (
                f"article {doc}: more than the in-flight {pending['op']} changed: {actual} vs {want}"
            )
    finally:
        conn.close()
    return reported, pending is not None


def one_action_apart(before: dict, after: dict) -> bool:
    """True when ``after`` is ``before`` changed by at most one span, one quote, or the status."""
    def diff(a: list, b: list) -> tuple[int, int]:
        sa, sb = {json.dumps(x) for x in a}, {json.dumps(x) for x in b}
        return len(sa - sb), len(sb - sa)

    span_gone, span_new = diff(before["spans"], after["spans"])
    quote_gone, quote_new = diff(before["quotes"], after["quotes"])
    changes = [span_gone + span_new > 0, quote_gone + quote_new > 0, before["status"] != after["status"]]
    if changes[2] and not changes[0] and not changes[1]:
        return True  # a status change (an edit may also move "new" to "in progress")
    status_ok = before["status"] == after["status"] or (before["status"] == "new" and after["status"] == "in_progress")
    return status_ok and sum(changes[:2]) == 1 and max(span_gone, span_new, quote_gone, quote_new) <= 1


if __name__ == "__main__":
    main()

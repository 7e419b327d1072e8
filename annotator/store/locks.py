"""Who has an article open: conflict detection for two windows or processes on one corpus.

Two windows (or two processes, or two machines sharing the file) that open the same article
for the same annotator would edit the same annotation set. SQLite keeps every single edit
safe either way; the lock is there so the second window can *tell the user* instead of
letting two people (or one person twice) work over each other.

The API is four functions (and :func:`holder_of` to look without taking)::

    from annotator.store import locks

    other = locks.acquire(corpus, doc_id, "amira")   # None: the article is ours now
    if other is not None:
        warn(f"{other.holder} has this article open since {other.acquired_at}")
    locks.heartbeat(corpus, doc_id, "amira")         # every ~30 s while it stays open
    locks.release(corpus, doc_id, "amira")           # when the window moves on or closes

A lock is *advisory*: it never blocks an edit. It goes stale (and anyone may take it over)
when its heartbeat is older than ``stale_after`` seconds, or at once when its holder is a
process on this machine that no longer runs (a crashed or killed window). Holders are
``"host:pid"`` strings, with ``"/tag"`` appended when one process shows several windows
(``holder=locks.holder_id("window-2")``). On a read-only corpus nothing can be edited, so
nothing can conflict: ``acquire`` returns None, ``heartbeat`` True, ``release`` does nothing.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

from annotator.core.processes import process_alive
from annotator.store.corpus import Corpus, now
from annotator.store.errors import StaleEditError
from annotator.store.values import annotator_name

STALE_AFTER = 120.0  # seconds without a heartbeat before a lock may be taken over
HEARTBEAT_EVERY = 30.0  # how often a holder should call heartbeat()


@dataclass(frozen=True)
class LockHolder:
    """Someone else who has the article open for the same annotator."""

    holder: str
    acquired_at: str
    heartbeat: str


def holder_id(tag: str | None = None) -> str:
    """``"host:pid"`` for this process, or ``"host:pid/tag"`` for one of its windows."""
    base = f"{socket.gethostname()}:{os.getpid()}"
    return f"{base}/{tag}" if tag else base


def acquire(
    corpus: Corpus,
    doc_id: int,
    annotator: str,
    holder: str | None = None,
    stale_after: float = STALE_AFTER,
) -> LockHolder | None:
    """Take the article for ``annotator``: None when it is ours now, else who else holds it.

    Re-acquiring a lock we hold refreshes it. A stale lock (see the module docstring) is
    taken over, and the takeover is recorded in the event log. Raises
    :class:`~annotator.store.errors.StaleEditError` (a ``KeyError``) when the article is gone.
    """
    annotator = annotator_name(annotator)
    if corpus.readonly:
        return None
    me = holder or holder_id()
    with corpus.transaction() as conn:
        if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is None:
            raise StaleEditError(f"article {doc_id} no longer exists (deleted, perhaps in another window)")
        row = conn.execute(
            "SELECT holder, acquired_at, heartbeat FROM document_locks WHERE document_id = ? AND annotator = ?",
            (doc_id, annotator),
        ).fetchone()
        if row is not None and row[0] != me:
            other = LockHolder(holder=row[0], acquired_at=row[1], heartbeat=row[2])
            if not _is_stale(other, stale_after):
                return other
            corpus._log(conn, annotator, doc_id, "lock.takeover", {"from": other.holder, "to": me})
        stamp = now()
        acquired = row[1] if row is not None and row[0] == me else stamp
        conn.execute(
            "INSERT INTO document_locks(document_id, annotator, holder, acquired_at, heartbeat) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(document_id, annotator) DO UPDATE SET "
            "holder = excluded.holder, acquired_at = excluded.acquired_at, heartbeat = excluded.heartbeat",
            (doc_id, annotator, me, acquired, stamp),
        )
    return None


def heartbeat(corpus: Corpus, doc_id: int, annotator: str, holder: str | None = None) -> bool:
    """Keep our lock fresh; False when we no longer hold it (it went stale and was taken over)."""
    annotator = annotator_name(annotator)
    if corpus.readonly:
        return True
    with corpus.transaction() as conn:
        cur = conn.execute(
            "UPDATE document_locks SET heartbeat = ? WHERE document_id = ? AND annotator = ? AND holder = ?",
            (now(), doc_id, annotator, holder or holder_id()),
        )
        return cur.rowcount == 1


def release(corpus: Corpus, doc_id: int | None, annotator: str, holder: str | None = None) -> None:
    """Give the article back (``doc_id=None``: every article this holder has for ``annotator``).

    Releasing a lock we do not hold does nothing, so it is always safe to call on close.
    """
    annotator = annotator_name(annotator)
    if corpus.readonly:
        return
    me = holder or holder_id()
    with corpus.transaction() as conn:
        if doc_id is None:
            conn.execute("DELETE FROM document_locks WHERE annotator = ? AND holder = ?", (annotator, me))
        else:
            conn.execute(
                "DELETE FROM document_locks WHERE document_id = ? AND annotator = ? AND holder = ?",
                (doc_id, annotator, me),
            )


def holder_of(corpus: Corpus, doc_id: int, annotator: str, stale_after: float = STALE_AFTER) -> LockHolder | None:
    """Who holds the article for ``annotator`` (stale locks count as nobody); reads only."""
    annotator = annotator_name(annotator)
    try:
        row = corpus.conn.execute(
            "SELECT holder, acquired_at, heartbeat FROM document_locks WHERE document_id = ? AND annotator = ?",
            (doc_id, annotator),
        ).fetchone()
    except sqlite3.OperationalError:  # a corpus older than schema 2 opened read-only has no lock table
        return None
    if row is None:
        return None
    other = LockHolder(holder=row[0], acquired_at=row[1], heartbeat=row[2])
    return None if _is_stale(other, stale_after) else other


def _is_stale(lock: LockHolder, stale_after: float) -> bool:
    try:
        beat = datetime.fromisoformat(lock.heartbeat)
    except ValueError:
        return True
    if beat.tzinfo is None:
        beat = beat.replace(tzinfo=timezone.utc)
    if (datetime.now(timezone.utc) - beat).total_seconds() > stale_after:
        return True
    return _is_dead_local_process(lock.holder)


def _is_dead_local_process(holder: str) -> bool:
    """True only when ``holder`` names a process on this machine that is certainly gone."""
    host, _, rest = holder.partition(":")
    pid_text = rest.split("/", 1)[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    return not process_alive(int(pid_text))

"""What the store needs to know about SQLite itself: WAL, storage errors, text it can hold."""

from __future__ import annotations

import sqlite3
import time

from annotator.store.errors import AnnotationError


def check_unicode(text: str, where: str) -> None:
    """Refuse text SQLite cannot store as UTF-8 (an unpaired surrogate, e.g. from a JSON "\\ud800" escape)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise AnnotationError(
            f"{where}: the text holds an unpaired surrogate U+{ord(text[exc.start]):04X} at character {exc.start}, "
            "which is not valid Unicode"
        ) from None


def enable_wal(conn: sqlite3.Connection, patience: float = 10.0) -> None:
    """Switch to WAL. SQLite answers "locked" at once (no busy wait) while another connection
    writes to a rollback-journal file; wait for it, then go on in the file's current mode,
    which is just as safe, only less concurrent, until the next open."""
    deadline = time.monotonic() + patience
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            if time.monotonic() > deadline:
                return
            time.sleep(0.05)


def storage_problem(exc: BaseException) -> str | None:
    """A user-facing reason when ``exc`` means the file cannot be written, else None."""
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.IntegrityError):
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name == "SQLITE_FULL" or "disk is full" in text:
        return "the disk is full (or the corpus reached its size limit)"
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return "the corpus file is read-only"
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return "the disk reported an input/output error"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return "another program kept the corpus locked for too long"
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in text:
        return "the corpus file is damaged (run `annotator check`, then restore a backup)"
    return None

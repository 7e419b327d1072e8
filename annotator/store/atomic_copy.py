"""Copy a SQLite database to a file all at once: never a half-written file under the real name.

The copy is written with SQLite's online backup API to a hidden temporary sibling
(``.NAME.partial-PID``), checked (``integrity_check``, our tables, the same schema
version), made a self-contained single file (rollback journal, no ``-wal``), flushed to disk,
and only then given its real name, and the folder flushed too. A process killed at any moment
leaves at most the temporary sibling, which :func:`remove_leftovers` deletes on the next run
(only when the process that wrote it is gone). Used by ``annotator backup`` and by the copy
made before a schema upgrade.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from annotator.core.files import fsync_path
from annotator.core.processes import process_alive
from annotator.store.schema import is_annotator_corpus

_SIDECARS = ("", "-journal", "-wal", "-shm")


class DestinationExists(FileExistsError):
    """The real name was taken while the copy was being made (and ``replace`` was False)."""


def partial_path(dest: Path) -> Path:
    """The temporary sibling this process writes ``dest`` under."""
    return dest.with_name(f".{dest.name}.partial-{os.getpid()}")


Progress = Callable[[int, int], None]  # (pages copied, pages in all)


def copy_database(src: sqlite3.Connection, dest: Path, *, replace: bool = False, pages: int = -1,
                  progress: Progress | None = None) -> tuple[int, int]:
    """Copy ``src`` to ``dest`` atomically; returns ``(documents, schema version)`` of the copy
    (the version of the snapshot copied, for the caller to compare with what it expected).

    With ``replace=False`` an existing ``dest`` is never overwritten, even one that appears while
    the copy is made (:class:`DestinationExists`). Raises ``sqlite3.Error`` or ``OSError`` on
    failure, leaving ``dest`` as it was and no temporary file behind.

    ``pages > 0`` copies that many pages per step (SQLite restarts the copy by itself when
    another connection writes between steps, so the copy stays one consistent moment);
    ``progress(copied, total)`` is called after every step and once more after the copy is
    verified, just before it takes its real name. Whatever ``progress`` raises (a cancel, a
    ``KeyboardInterrupt``) stops the copy there, with the same guarantee: ``dest`` as it was,
    no temporary file left.
    """
    partial = partial_path(dest)
    try:
        _remove(partial)
        documents, version, total = _copy_and_verify(src, partial, pages, progress)
        if progress is not None:
            progress(total, total)  # the last moment to stop: nothing has the real name yet
        fsync_path(partial)
        if replace:
            os.replace(partial, dest)
        else:
            _rename_without_overwrite(partial, dest)
        fsync_path(dest.parent)
    finally:
        _remove(partial)
    return documents, version


def _copy_and_verify(src: sqlite3.Connection, partial: Path, pages: int = -1,
                     progress: Progress | None = None) -> tuple[int, int, int]:
    out = sqlite3.connect(str(partial), isolation_level=None)
    total = 0

    def step(_status: int, remaining: int, count: int) -> None:
        nonlocal total
        total = count
        if progress is not None:
            progress(count - remaining, count)

    try:
        # A consistent snapshot (one step, or several restarted on a write between them); WAL
        # writers are not blocked meanwhile. An exception from step() aborts the copy.
        src.backup(out, pages=pages if pages > 0 else -1, progress=step)
        out.execute("PRAGMA journal_mode = DELETE")
        problems = [r[0] for r in out.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise sqlite3.DatabaseError(f"the copy fails its integrity check: {problems[0]}")
        if not is_annotator_corpus(out):
            raise sqlite3.DatabaseError("the copy does not read back as a corpus")
        version = out.execute("PRAGMA user_version").fetchone()[0]
        documents = out.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    finally:
        out.close()
    return documents, version, total


def _rename_without_overwrite(partial: Path, dest: Path) -> None:
    """A hard link fails when ``dest`` exists, atomically; where links are not supported, check then rename."""
    try:
        os.link(partial, dest)
    except FileExistsError:
        raise DestinationExists(f"{dest} appeared while the copy was made") from None
    except OSError:
        if dest.exists():
            raise DestinationExists(f"{dest} appeared while the copy was made") from None
        os.replace(partial, dest)
        return
    partial.unlink()


def _remove(partial: Path) -> None:
    for suffix in _SIDECARS:
        Path(f"{partial}{suffix}").unlink(missing_ok=True)


def remove_leftovers(folder: Path, name_pattern: str) -> list[Path]:
    """Delete temporary copies (and their journals) left by killed runs; returns what was removed.

    ``name_pattern`` is a regular expression for the real file name (e.g. ``corpus\\.v\\d+\\.backup.*\\.db``).
    A copy whose writer still runs is left alone.
    """
    leftover = re.compile(rf"\.(?:{name_pattern})\.partial-(\d+)(?:-journal|-wal|-shm)?")
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for path in entries:
        match = leftover.fullmatch(path.name)
        if match and not process_alive(int(match.group(1))):
            try:
                path.unlink()
            except OSError:
                continue
            removed.append(path)
    return removed

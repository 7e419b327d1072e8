"""Exports that appear whole or not at all: a temporary sibling, fsync, one rename.

- A folder (``export spacy``) is written as ``.NAME.part-PID/`` beside its target. When it is
  complete, every file and the folder are fsynced, and it is swapped with the target in one
  ``renameat2(RENAME_EXCHANGE)`` (Linux), or renamed into place when there is no target yet.
  A kill at any moment leaves the previous export or the new one under the real name, never a
  mix, so ``summary.json`` always describes the DocBins beside it. On a file system without the
  exchange, the old folder is first renamed aside (``.NAME.old-PID``) and put back by the next
  run if the kill came in between.
- A file (``export jsonl``/``conll``) is written as ``NAME.part`` (locked while written), fsynced
  and renamed over the target.
- A target that exists and is not empty needs ``overwrite``; leftovers of a killed run (a
  ``.part`` nobody holds, folders of processes that are gone) are removed by the next run.
- A target that cannot be written (``/proc/out``, a read-only disk) is one clear line:
  :class:`OutputError`.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from annotator.core.files import fsync_path
from annotator.core.processes import process_alive
from annotator.formats.export_errors import OutputError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            fsync_path(path)
    for path in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        fsync_path(path)
    fsync_path(folder)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the system or file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _is_empty(path: Path) -> bool:
    if path.is_dir():
        return not any(path.iterdir())
    return path.stat().st_size == 0


def check_target(target: Path, overwrite: bool, want_dir: bool) -> None:
    """Refuse a target that holds something, unless ``overwrite``; refuse the wrong kind of target."""
    if not target.exists() and not target.is_symlink():
        return
    if want_dir and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder")
    if not want_dir and target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name")
    if not overwrite and not _is_empty(target):
        what = "folder is not empty" if want_dir else "file exists"
        raise OutputError(f"{target}: the {what}; pass --overwrite to replace it")


_FOLDER_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>part|old)-(?P<pid>\d+)$")


def clean_folder_leftovers(target: Path) -> list[Path]:
    """Remove ``.NAME.part-PID`` folders of dead processes; put back a ``.NAME.old-PID`` whose
    run died between its two renames (the target is then missing). Returns what was removed."""
    removed: list[Path] = []
    parent = target.parent
    if not parent.is_dir():
        return removed
    for entry in parent.iterdir():
        found = _FOLDER_LEFTOVER.match(entry.name)
        if not found or found.group("name") != target.name or process_alive(int(found.group("pid"))):
            continue
        if found.group("kind") == "old" and not target.exists():
            entry.rename(target)  # the previous export, put back where it was
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


@contextmanager
def atomic_folder(target: str | os.PathLike, *, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary sibling folder to write into; on success it replaces ``target`` whole."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_folder_leftovers(target)
        check_target(target, overwrite, want_dir=True)
        tmp = target.with_name(f".{target.name}.part-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
    except OSError as exc:
        raise OutputError(f"{target}: cannot write the export there ({_reason(exc)})") from None
    try:
        yield tmp
        fsync_tree(tmp)
        _replace_folder(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"{target}: cannot write the export there ({_reason(exc)}); nothing was changed") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _replace_folder(tmp: Path, target: Path) -> None:
    if not target.exists():
        tmp.rename(target)
    elif _exchange(tmp, target):
        fsync_path(target.parent)
        shutil.rmtree(tmp)  # now holds the previous export
        return
    else:
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
        tmp.rename(target)
        fsync_path(target.parent)
        shutil.rmtree(old)
        return
    fsync_path(target.parent)


def clean_file_leftover(target: Path) -> None:
    """Remove ``NAME.part`` when no running export holds its lock (a killed run's leftover)."""
    part = target.with_name(target.name + ".part")
    if not part.exists():
        return
    with part.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{target}: another export is writing it right now ({part})") from None
        part.unlink()


@contextmanager
def atomic_file(target: str | os.PathLike, *, overwrite: bool = False) -> Iterator[IO[str]]:
    """Yield a text file to write into; on success it replaces ``target`` in one rename."""
    target = Path(target)
    part = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        check_target(target, overwrite, want_dir=False)
        clean_file_leftover(target)
        handle = part.open("x", encoding="utf-8")
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write the export there ({_reason(exc)})") from None
    try:
        try:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            os.replace(part, target)
            fsync_path(target.parent)
        finally:
            handle.close()
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot write the export there ({_reason(exc)}); nothing was changed") from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise

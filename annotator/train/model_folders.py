"""Where a corpus's loop models live on disk, and the one-job-at-a-time lock.

    <corpus folder>/models/<corpus name>-loop-<lang>/
        v0001/ v0002/ ...          registered versions (a spaCy pipeline folder each)
        .training-<pid>/            the workspace of a running job (export, checkpoints)
        .training.lock              held by the running job (its host and pid)

A job works only inside its workspace; a version folder appears by one rename once the job
has decided to register it, so a killed job never leaves a half-written version. What a
killed job left (its workspace, its lock) is removed by the next job once that process is
gone. The two newest versions are kept (the registered one and the one before it).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from pathlib import Path

from annotator.core.processes import process_alive

KEEP_VERSIONS = 2
_VERSION = re.compile(r"^v(\d{4,})$")
_WORKSPACE = re.compile(r"^\.training-(\d+)$")
LOCK = ".training.lock"


class JobRunningError(RuntimeError):
    """Another training job holds the lock for these models."""


def models_root(corpus_path: str | os.PathLike, name: str) -> Path:
    """``<corpus folder>/models/<corpus file stem>-<name>``."""
    corpus = Path(corpus_path).resolve()
    return corpus.parent / "models" / f"{corpus.stem}-{name}"


def versions(root: Path) -> list[Path]:
    """Version folders, oldest first."""
    if not root.is_dir():
        return []
    found = [(int(m.group(1)), p) for p in root.iterdir() if p.is_dir() and (m := _VERSION.match(p.name))]
    return [p for _, p in sorted(found)]


def next_version(root: Path) -> Path:
    existing = versions(root)
    number = int(_VERSION.match(existing[-1].name).group(1)) + 1 if existing else 1  # type: ignore[union-attr]
    return root / f"v{number:04d}"


class JobLock:
    """``with JobLock(root):`` — one training job per models folder, across processes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / LOCK
        self.held = False

    def _holder(self) -> tuple[str, int] | None:
        try:
            host, _, pid = self.path.read_text(encoding="utf-8").strip().partition(":")
            return host, int(pid)
        except (OSError, ValueError):
            return None

    def acquire(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if holder is not None and (holder[0] != socket.gethostname() or process_alive(holder[1])):
                    raise JobRunningError(
                        f"another training job is running for these models (process {holder[1]} on {holder[0]}); "
                        "wait for it to finish or cancel it"
                    ) from None
                self.path.unlink(missing_ok=True)  # left by a job that is gone
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(f"{socket.gethostname()}:{os.getpid()}\n")
            self.held = True
            return
        raise JobRunningError(f"{self.path}: cannot take the training lock")

    def release(self) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False

    def __enter__(self) -> JobLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def remove_leftovers(root: Path) -> list[Path]:
    """Workspaces of jobs whose process is gone (call while holding the lock)."""
    removed = []
    if not root.is_dir():
        return removed
    for path in root.iterdir():
        match = _WORKSPACE.match(path.name)
        if match and path.is_dir() and (int(match.group(1)) == os.getpid() or not process_alive(int(match.group(1)))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def workspace(root: Path) -> Path:
    path = root / f".training-{os.getpid()}"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def prune(root: Path, keep: set[Path]) -> None:
    """Remove old versions beyond the newest :data:`KEEP_VERSIONS`, never one in ``keep``."""
    old = versions(root)[:-KEEP_VERSIONS]
    resolved = {p.resolve() for p in keep}
    for path in old:
        if path.resolve() not in resolved:
            shutil.rmtree(path, ignore_errors=True)

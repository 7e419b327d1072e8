"""ZIP archives among the import paths, unpacked to a temporary folder: above all an INCEpTION project export.

An INCEpTION project export (``exportedproject….json`` at its root) holds each annotator's
file per document under ``annotation/<document>/`` (often inside a ``webanno…export.zip`` of
its own, next to a ``TypeSystem.xml``) and the curated one under ``curation/<document>/``;
those folders are imported (the nested ZIPs unpacked in place), so every annotator's work
comes in as their set (:func:`annotator.formats.inception.project_layout`). The rest of the
export (source files, ``.ser`` caches, logs, the project's settings) is not annotation data and
is left out, counted in the summary. Any other ZIP is imported as the folder it holds.

Unpacking is bounded: no entry may leave the folder (absolute paths, ``..``), and an archive
may not unpack to more than :data:`MAX_UNPACKED_BYTES` or :data:`MAX_ENTRIES` files.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from annotator.formats.common import FormatError

MAX_UNPACKED_BYTES = 4 * 1024**3
MAX_ENTRIES = 200_000
PROJECT_FOLDERS = ("annotation", "curation")
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Unpacked:
    """Import paths with each archive replaced by its unpacked folder(s)."""

    paths: list[Path] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # "archive: entry" not imported
    errors: list[str] = field(default_factory=list)  # one "archive: problem" per archive that cannot be read
    folders: list[Path] = field(default_factory=list)

    def cleanup(self) -> None:
        for folder in self.folders:
            shutil.rmtree(folder, ignore_errors=True)
        self.folders.clear()


def is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == ZIP_MAGIC
    except OSError:
        return False


def _safe_extract(archive: zipfile.ZipFile, into: Path, name: str) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise FormatError(name, None, f"the archive holds {len(entries):,} entries, more than {MAX_ENTRIES:,}")
    if sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
        raise FormatError(name, None, f"the archive unpacks to more than {MAX_UNPACKED_BYTES // 1024**3} GiB")
    for entry in entries:
        parts = PurePosixPath(entry.filename.replace("\\", "/")).parts
        if not parts or entry.filename.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
            raise FormatError(name, None, f"the archive entry {entry.filename!r} would leave the folder; not unpacked")
    archive.extractall(into)


def _unpack(path: Path, into: Path, result: Unpacked) -> None:
    name = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            _safe_extract(archive, into, name)
    except zipfile.BadZipFile as exc:
        raise FormatError(name, None, f"not a readable ZIP archive ({exc})") from None
    project = any("/" not in n and n.startswith("exportedproject") and n.endswith(".json") for n in names)
    if not project:
        result.paths.append(into)
        return
    for folder in PROJECT_FOLDERS:
        root = into / folder
        if not root.is_dir():
            continue
        for nested in sorted(root.rglob("*.zip")):
            inner = f"{name}: {nested.relative_to(into)}"
            try:
                with zipfile.ZipFile(nested) as archive:
                    _safe_extract(archive, nested.with_suffix(""), inner)
            except zipfile.BadZipFile as exc:
                raise FormatError(inner, None, f"not a readable ZIP archive ({exc})") from None
            nested.unlink()
        result.paths.append(root)
    kept = tuple(f"{folder}/" for folder in PROJECT_FOLDERS)
    result.left_out.extend(f"{path}: {n}" for n in names if not n.startswith(kept) and not n.endswith("/"))


def holds_annotation_data(path: Path) -> bool:
    """The ZIP is an INCEpTION project export or holds files of a format annotator reads
    (an Office document, whose parts are XML, is not unpacked: it is refused as what it is)."""
    from annotator.formats.detect import KNOWN_EXTENSIONS

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    return any(PurePosixPath(n).suffix.lower() in KNOWN_EXTENSIONS | {".zip"} for n in names)


def unpack_archives(paths: Iterable[str | os.PathLike]) -> Unpacked:
    """Replace every ZIP of annotation files among ``paths`` by its unpacked folder; call ``cleanup()`` when done."""
    result = Unpacked()
    for raw in paths:
        path = Path(raw)
        if not (path.is_file() and is_zip(path) and holds_annotation_data(path)):
            result.paths.append(path)
            continue
        folder = Path(tempfile.mkdtemp(prefix="annotator-unpacked-"))
        result.folders.append(folder)
        atexit.register(shutil.rmtree, folder, True)  # also if the import is interrupted
        try:
            _unpack(path, folder / path.name, result)
        except FormatError as exc:
            result.errors.append(str(exc))
        except (OSError, zipfile.LargeZipFile, RuntimeError) as exc:  # encrypted entries raise RuntimeError
            result.errors.append(f"{path}: cannot unpack the archive ({exc})")
    return result

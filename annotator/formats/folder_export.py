"""Exports that write one file per document into a folder (WebAnno TSV, UIMA CAS): names and all-or-nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from annotator.formats.atomic import atomic_folder
from annotator.formats.selection import ExportDocument


def file_name(document: ExportDocument, taken: set[str], suffix: str) -> str:
    """A file name from the document's title (INCEpTION shows it as the document's name), unique in ``taken``."""
    stem = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", "_", (document.title or "").strip())[:80].strip(". ") or "document"
    name = f"{stem}{suffix}"
    if name.lower() in taken:
        name = f"{stem}-{document.id}{suffix}"
    taken.add(name.lower())
    return name


def write_folder(out_dir: str | Path, write: Callable[[Path], None], *, overwrite: bool = False) -> None:
    """Run ``write(folder)`` into a temporary folder beside ``out_dir`` that then replaces ``out_dir``
    whole (:func:`annotator.formats.atomic.atomic_folder`): a failed or killed export leaves the
    previous folder as it was, and a non-empty ``out_dir`` needs ``overwrite``."""
    with atomic_folder(out_dir, overwrite=overwrite) as tmp:
        write(tmp)

"""Exports that write one file per document into a folder (WebAnno TSV, UIMA CAS): names and all-or-nothing."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from annotator.formats.selection import ExportDocument


def file_name(document: ExportDocument, taken: set[str], suffix: str) -> str:
    """A file name from the document's title (INCEpTION shows it as the document's name), unique in ``taken``."""
    stem = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", "_", (document.title or "").strip())[:80].strip(". ") or "document"
    name = f"{stem}{suffix}"
    if name.lower() in taken:
        name = f"{stem}-{document.id}{suffix}"
    taken.add(name.lower())
    return name


def write_folder(out_dir: str | Path, write: Callable[[Path], None]) -> None:
    """Run ``write(folder)`` into a temporary folder beside ``out_dir``, then move its files in:
    a failed export leaves nothing behind."""
    target = Path(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        write(tmp)
        target.mkdir(exist_ok=True)
        for path in sorted(tmp.iterdir()):
            path.replace(target / path.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

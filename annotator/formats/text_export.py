"""Write a text export (JSONL, CoNLL) document by document, all or nothing.

The file is written beside its target as ``NAME.part`` and renamed into place only
when every document went out, so an interrupted or failed export never leaves a
half file under the real name; with ``strict``, a misaligned span means nothing
is written at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from annotator.formats.alignment import MisalignedSpan
from annotator.formats.selection import ExportDocument
from annotator.formats.spacy_writer import ExportError

Render = Callable[[ExportDocument], tuple[str, list[MisalignedSpan]]]


def write_text_export(
    documents: Iterable[ExportDocument], path: str | Path, render: Render, *, strict: bool = False
) -> tuple[int, list[MisalignedSpan]]:
    """Write ``render(document)`` for every document; returns (documents written, misaligned spans)."""
    misaligned: list[MisalignedSpan] = []
    count = 0
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8") as out:
            for document in documents:
                text, report = render(document)
                misaligned.extend(report)
                out.write(text)
                count += 1
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if strict and misaligned:
        tmp.unlink(missing_ok=True)
        raise ExportError(
            f"{len(misaligned)} spans do not align with tokens; nothing was written (--strict)", misaligned
        )
    tmp.replace(target)
    return count, misaligned

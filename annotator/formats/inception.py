"""What the INCEpTION / WebAnno readers and writers share: type names, a project export's layout,
and how entities a file holds become the non-overlapping entities of one annotation set.

INCEpTION keeps named entities as ``de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity``
annotations whose ``value`` feature is the label (``identifier`` links the entity to a
knowledge base), sentences and tokens as DKPro Core ``Sentence`` and ``Token``. A project
export holds one file per document and annotator: ``annotation/<document>/<user>.<ext>``
(sometimes inside a ``webanno…export`` folder or zip next to a ``TypeSystem.xml``), and
the curated version in ``curation/<document>/CURATION_USER.<ext>``; a file in that layout
is imported as ``<user>``'s set (``curation`` for the curated one) of ``<document>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.core.spans import Span
from annotator.formats.common import FormatError, check_label_name

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
DOCUMENT_METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
CURATION_USER = "CURATION_USER"
CURATION_ANNOTATOR = "curation"


@dataclass(frozen=True)
class FileEntity:
    """A named entity as a file states it, before the set's rules (one label, no overlap) apply."""

    start: int
    end: int
    label: str | None
    identifier: str | None
    line: int | None  # where the file states it (TSV line), for messages


def project_layout(path: str | Path) -> tuple[str | None, str | None]:
    """``(annotator, document name)`` when ``path`` sits in an INCEpTION project export's layout."""
    parts = Path(path).parts
    for i in range(len(parts) - 2, 0, -1):
        if parts[i - 1] in ("annotation", "curation"):
            user = Path(parts[-1]).stem
            if parts[i - 1] == "curation" or user == CURATION_USER:
                return CURATION_ANNOTATOR, parts[i]
            return user, parts[i]
    return None, None


def entity_spans(
    entities: Iterable[FileEntity], text: str, name: str, strict: bool
) -> tuple[list[Span], list[str]]:
    """The entities one annotation set can hold, and a warning line for each one it cannot.

    An entity without a label, an empty one, or one that overlaps an entity already taken
    (stacked or nested annotations, which INCEpTION allows) is listed, not stored; with
    ``strict`` it is an error. Longer entities are taken first where two start together.
    """
    spans: list[Span] = []
    warnings: list[str] = []

    def refuse(entity: FileEntity, problem: str) -> None:
        where = f"{name}:{entity.line}" if entity.line else name
        if strict:
            raise FormatError(name, entity.line, problem)
        warnings.append(f"{where}: {problem}; not imported")

    ordered = sorted(entities, key=lambda e: (e.start, -(e.end - e.start)))
    taken: list[Span] = []
    for entity in ordered:
        quoted = repr(text[entity.start : entity.end])
        if entity.label is None:
            refuse(entity, f"named entity [{entity.start}, {entity.end}) {quoted} has no value (label)")
            continue
        if not 0 <= entity.start < entity.end <= len(text):
            refuse(entity, f"named entity {entity.label} [{entity.start}, {entity.end}) is empty or outside the text")
            continue
        label = check_label_name(entity.label, name, entity.line, what="named entity value")
        overlap = next((s for s in taken if s.start < entity.end and entity.start < s.end), None)
        if overlap is not None:
            refuse(
                entity,
                f"named entity {label} [{entity.start}, {entity.end}) {quoted} overlaps {overlap.label} "
                f"[{overlap.start}, {overlap.end}) {text[overlap.start:overlap.end]!r}; entities in one set do not overlap",
            )
            continue
        span = Span(entity.start, entity.end, label, origin="imported")
        taken.append(span)
        spans.append(span)
    linked = sum(1 for e in ordered if e.identifier)
    if linked:
        warnings.append(
            f"{name}: {linked} named entit{'ies carry' if linked != 1 else 'y carries'} an identifier "
            f"(a knowledge-base link), which annotator does not keep; {'their labels are' if linked != 1 else 'its label is'} imported"
        )
    return sorted(spans, key=lambda s: s.start), warnings


def sorted_bounds(pairs: Iterable[tuple[int, int]], length: int) -> list[list[int]] | None:
    """``[[start, end], ...]`` sorted, or ``None`` when the ranges overlap, are empty or leave the
    text of ``length`` code points (not a tokenization)."""
    ordered = sorted(pairs)
    previous = 0
    for start, end in ordered:
        if start < previous or end <= start or end > length:
            return None
        previous = end
    return [[s, e] for s, e in ordered]

"""Choosing what an export contains: whose annotation set, which documents, which labels, which split.

Every writer (spaCy DocBin, JSONL, CoNLL) and ``annotator train`` start here, so they
agree on the selection rules:

- **annotator**: the named set; by default the reviewed (gold) set if a review exists,
  else the corpus's only annotator; with several annotators and no review, an error
  lists them.
- **statuses**: documents whose status *in that set* is one of ``statuses`` (default
  ``done``).
- **label mapping**: ``GPE=LOC`` relabels, ``MISC=`` leaves a label out. Mapped-away
  spans are counted in the summary, never silently lost.
- **split**: by article (or by source with ``group_by_source``), reproducible from a
  seed: groups are ordered by a seeded hash of a stable key (the content hash, or the
  source name), so the same corpus and seed always give the same split, the same
  article lands in the same split in a colleague's copy, and adding articles later does
  not move the ones already placed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Protocol, TypeVar

from annotator.core.spans import Quote, Span
from annotator.store import Corpus, Document

DEFAULT_STATUSES = ("done",)


class SelectionError(ValueError):
    """The selection cannot be made (unknown annotator, bad mapping, nothing to export)."""


@dataclass(frozen=True)
class Selection:
    """What to export. ``annotator=None`` means "the default set" (see :func:`resolve_annotator`)."""

    annotator: str | None = None
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    label_map: dict[str, str | None] = field(default_factory=dict)
    dev: float = 0.2
    seed: int = 0
    group_by_source: bool = False
    # Documents imported from these files (``meta["file"]``, by path or name) are the dev split, the
    # rest train: a corpus's own train/dev files (ANERcorp's dev_data.txt) instead of a drawn split.
    dev_files: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0.0 <= self.dev < 1.0:
            raise SelectionError(f"the dev fraction must be in [0, 1), not {self.dev}")
        if not self.statuses:
            raise SelectionError("choose at least one status")


@dataclass(frozen=True)
class ExportDocument(Document):
    """One article as it goes out: the stored document and the chosen set's (mapped) annotations."""

    annotator: str
    status: str
    spans: tuple[Span, ...]
    quotes: tuple[Quote, ...]
    unmapped: tuple[Span, ...] = ()  # spans whose label the mapping left out

    @property
    def split_key(self) -> str:
        return self.content_hash


def parse_label_map(items: Iterable[str]) -> dict[str, str | None]:
    """``["GPE=LOC", "MISC="]`` -> ``{"GPE": "LOC", "MISC": None}`` (``None`` = leave out)."""
    mapping: dict[str, str | None] = {}
    for item in items:
        source, sep, target = item.partition("=")
        source, target = source.strip(), target.strip()
        if not sep or not source:
            raise SelectionError(f"label mapping {item!r} must look like FROM=TO (or FROM= to leave a label out)")
        if source in mapping:
            raise SelectionError(f"label {source!r} is mapped twice")
        mapping[source] = target or None
    return mapping


def resolve_annotator(corpus: Corpus, name: str | None) -> str:
    """The annotation set to export: ``name``, else the reviewed set, else the only annotator."""
    people = [a["name"] for a in corpus.annotators()]
    if name:
        if name not in people:
            known = ", ".join(people) or "none yet"
            raise SelectionError(f"no annotator {name!r} in {corpus.path}; annotators: {known}")
        return name
    reviewed = corpus.reviewed_set()
    if reviewed:
        return reviewed
    annotators = [a["name"] for a in corpus.annotators() if a["kind"] == "annotator"]
    if len(annotators) == 1:
        return annotators[0]
    if not annotators:
        raise SelectionError(f"{corpus.path} has no annotations to export yet")
    raise SelectionError(
        "several annotators and no reviewed set; choose one with --annotator: " + ", ".join(annotators)
    )


def map_spans(spans: Iterable[Span], label_map: dict[str, str | None]) -> tuple[list[Span], list[Span]]:
    """(kept spans with mapped labels, spans the mapping leaves out)."""
    kept: list[Span] = []
    dropped: list[Span] = []
    for span in spans:
        if span.label in label_map:
            target = label_map[span.label]
            if target is None:
                dropped.append(span)
                continue
            span = span.with_(label=target)
        kept.append(span)
    return kept, dropped


def export_document(corpus: Corpus, doc_id: int, status: str, annotator: str,
                    label_map: dict[str, str | None]) -> ExportDocument:
    """One document of ``annotator``'s set as it goes out (labels mapped)."""
    doc = corpus.document(doc_id)
    spans, dropped = map_spans(corpus.spans(doc_id, annotator), label_map)
    return ExportDocument(
        **{f.name: getattr(doc, f.name) for f in fields(Document)},
        annotator=annotator,
        status=status,
        spans=tuple(spans),
        quotes=tuple(corpus.quotes(doc_id, annotator)),
        unmapped=tuple(dropped),
    )


def iter_documents(corpus: Corpus, selection: Selection, annotator: str | None = None) -> Iterator[ExportDocument]:
    """The selected documents of one annotation set, in id order, with mapped labels."""
    name = annotator or resolve_annotator(corpus, selection.annotator)
    for doc_id, status in corpus.documents_with_status(name, selection.statuses):
        yield export_document(corpus, doc_id, status, name, selection.label_map)


@dataclass(frozen=True)
class PlannedDocument:
    """A selected document before it is read: enough to split, shard and schedule it."""

    id: int
    status: str
    content_hash: str
    source: str | None
    language: str
    meta: dict = field(default_factory=dict)  # read only when the split needs it (--dev-file)

    @property
    def split_key(self) -> str:
        return self.content_hash


def plan_documents(corpus: Corpus, selection: Selection, annotator: str) -> list[PlannedDocument]:
    """The selected documents of ``annotator``'s set, in id order, without reading their texts."""
    keys = {key.id: key for key in corpus.document_keys()}
    return [
        PlannedDocument(doc_id, status, keys[doc_id].content_hash, keys[doc_id].source, keys[doc_id].language,
                        corpus.document(doc_id).meta if selection.dev_files else {})
        for doc_id, status in corpus.documents_with_status(annotator, selection.statuses)
    ]


def nothing_selected_message(corpus: Corpus, annotator: str, statuses: Iterable[str]) -> str:
    """Why nothing is exported: the statuses present per annotator and the flags that would select them."""
    from annotator.store.stats import corpus_stats

    wanted = list(statuses)
    lines = [f"annotator {annotator!r} has no documents with status {', '.join(wanted)} in {corpus.path}"]
    present = corpus_stats(corpus).get("statuses", {})
    if present:
        lines.append("statuses present:")
        for name, counts in present.items():
            shown = ", ".join(f"{status} {n}" for status, n in counts.items() if n)
            lines.append(f"  {name}: {shown or 'no documents'}")
        own = [status for status, n in present.get(annotator, {}).items() if n and status not in wanted]
        hints = []
        if own:
            hints.append(" ".join(f"--status {status}" for status in own) + f" (for {annotator!r})")
        others = [name for name, counts in present.items()
                  if name != annotator and any(counts.get(status) for status in wanted)]
        if others:
            hints.append(" or ".join(f"--annotator {name}" for name in others))
        if hints:
            lines.append("export them with " + "; or ".join(hints))
    return "\n".join(lines)


def _rank(seed: int, key: str) -> str:
    return hashlib.sha256(f"{seed}\x00{key}".encode()).hexdigest()


class Splittable(Protocol):
    """What the split needs of a document (an :class:`ExportDocument` or a :class:`PlannedDocument`)."""

    @property
    def id(self) -> int: ...

    @property
    def source(self) -> str | None: ...

    @property
    def split_key(self) -> str: ...


D = TypeVar("D", bound=Splittable)


def split_keys(docs: Iterable[Splittable], group_by_source: bool) -> dict[int, str]:
    """Document id -> the key of its split group (the article itself, or its source)."""
    keys: dict[int, str] = {}
    for doc in docs:
        if group_by_source and doc.source:
            keys[doc.id] = "source:" + doc.source
        else:
            keys[doc.id] = "article:" + doc.split_key
    return keys


def from_files(doc: ExportDocument | PlannedDocument, files: Iterable[str]) -> bool:
    """Was ``doc`` imported from one of ``files`` (a path as given on import, or just its name)?"""
    imported = str((doc.meta or {}).get("file") or "")
    return bool(imported) and any(imported == f or Path(imported).name == f or
                                  Path(imported).resolve() == Path(f).resolve() for f in files)


def split_documents(
    docs: list[D], dev: float, seed: int, group_by_source: bool = False,
    dev_files: tuple[str, ...] = (),
) -> tuple[list[D], list[D]]:
    """(train, dev), whole groups at a time, reproducible from ``seed``.

    Groups are taken in the order of a seeded hash of their key until the dev side
    holds at least ``dev`` of the documents. With two or more groups and ``dev > 0``
    each side gets at least one group, so spaCy always has something to evaluate on.
    """
    if not docs:
        return [], []
    if dev_files:
        return [d for d in docs if not from_files(d, dev_files)], [d for d in docs if from_files(d, dev_files)]
    keys = split_keys(docs, group_by_source)
    sizes: dict[str, int] = {}
    for doc in docs:
        sizes[keys[doc.id]] = sizes.get(keys[doc.id], 0) + 1
    order = sorted(sizes, key=lambda key: (_rank(seed, key), key))
    dev_groups: set[str] = set()
    if dev > 0 and len(order) > 1:
        wanted = dev * len(docs)
        taken = 0
        for key in order[:-1]:  # always leave at least one group for training
            if taken >= wanted and dev_groups:
                break
            dev_groups.add(key)
            taken += sizes[key]
    train = [d for d in docs if keys[d.id] not in dev_groups]
    dev_docs = [d for d in docs if keys[d.id] in dev_groups]
    return train, dev_docs

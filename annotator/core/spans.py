"""Spans and quotes: the annotation vocabulary shared by every layer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

ORIGINS = ("manual", "accepted", "edited", "imported")
QUOTE_TYPES = ("direct", "indirect", "mixed")
QUOTE_ROLES = ("content", "cue", "source")


@dataclass(frozen=True)
class Span:
    """A labelled range ``[start, end)`` in code points of the document text."""

    start: int
    end: int
    label: str
    origin: str = "manual"
    suggester: str | None = None
    score: float | None = None
    id: int | None = None

    def overlaps(self, other: Span | Range) -> bool:
        return self.start < other.end and other.start < self.end

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.label)

    def text(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]

    def with_(self, **changes) -> Span:
        return replace(self, **changes)


@dataclass(frozen=True)
class Range:
    """An unlabelled ``[start, end)`` range (a quote part)."""

    start: int
    end: int

    def overlaps(self, other: Span | Range) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Quote:
    """A quotation: content parts, an optional cue, optional sources (PARC/citron model).

    ``entity`` is the ``[start, end)`` range of the entity span the source refers to.
    """

    contents: tuple[Range, ...]
    cue: Range | None = None
    sources: tuple[Range, ...] = ()
    entity: Range | None = None
    type: str = "direct"
    origin: str = "manual"
    suggester: str | None = None
    score: float | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if self.type not in QUOTE_TYPES:
            raise ValueError(f"quote type must be one of {QUOTE_TYPES}, not {self.type!r}")
        if not self.contents:
            raise ValueError("a quote needs at least one content part")

    @property
    def start(self) -> int:
        return min(r.start for r in self.ranges())

    @property
    def end(self) -> int:
        return max(r.end for r in self.ranges())

    def parts(self) -> list[tuple[str, Range]]:
        """(role, range) for every part, contents first."""
        out: list[tuple[str, Range]] = [("content", r) for r in self.contents]
        if self.cue:
            out.append(("cue", self.cue))
        out.extend(("source", r) for r in self.sources)
        return out

    def ranges(self) -> list[Range]:
        return [r for _, r in self.parts()]

    @property
    def key(self) -> tuple:
        """Identity by structure (used to match suggestions and colleagues' quotes)."""
        return (
            tuple((r.start, r.end) for r in sorted(self.contents, key=lambda r: (r.start, r.end))),
            (self.cue.start, self.cue.end) if self.cue else None,
            tuple((r.start, r.end) for r in sorted(self.sources, key=lambda r: (r.start, r.end))),
        )

    def with_(self, **changes) -> Quote:
        return replace(self, **changes)


def find_entity_overlap(spans: Iterable[Span], candidate: Span) -> Span | None:
    """The first existing span that ``candidate`` would overlap (entities never overlap)."""
    for span in spans:
        if span.id is not None and span.id == candidate.id:
            continue
        if span.overlaps(candidate):
            return span
    return None


def check_range(start: int, end: int, length: int) -> None:
    """Raise ValueError unless ``0 <= start < end <= length``."""
    if not (0 <= start < end <= length):
        raise ValueError(f"span [{start}, {end}) is outside the text (length {length}) or empty")


@dataclass
class DocumentRecord:
    """A document as an importer produces it, before it reaches the store."""

    text: str
    title: str | None = None
    source: str | None = None
    language: str | None = None
    direction: str | None = None
    meta: dict = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    annotator: str | None = None  # the name the file carries, if any
    location: str = ""  # "file:line" for messages
    # Pre-annotations the file carries (e.g. Label Studio predictions), each with its
    # ``suggester`` set: stored as suggestions, never as anyone's labels.
    suggestions: list[Span] = field(default_factory=list)
    # ``"file:line: problem"`` lines the reader read leniently (e.g. a stray CoNLL ``I-`` tag read
    # as the start of an entity): the import lists them in its summary.
    warnings: list[str] = field(default_factory=list)
    # The annotator's status for the document as the file states it (Prodigy's answer, a submitted
    # Label Studio annotation, annotator's own export), with its note; None when the file says nothing.
    status: str | None = None
    status_note: str | None = None
    # What the reader could not keep or had to convert, for the import summary:
    # ``(kind, message)``; ``kind`` is counted, ``message`` (when not None) is listed as a warning.
    notes: list[tuple[str, str | None]] = field(default_factory=list)


# -- JSON forms (the event log, undo history and fixtures use them) ----------------------------


def span_to_dict(span: Span) -> dict:
    return {
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "origin": span.origin,
        "suggester": span.suggester,
        "score": span.score,
    }


def span_from_dict(d: dict) -> Span:
    return Span(
        start=d["start"],
        end=d["end"],
        label=d["label"],
        origin=d.get("origin", "manual"),
        suggester=d.get("suggester"),
        score=d.get("score"),
        id=d.get("id"),
    )


def quote_to_dict(quote: Quote) -> dict:
    return {
        "id": quote.id,
        "type": quote.type,
        "contents": [[r.start, r.end] for r in quote.contents],
        "cue": [quote.cue.start, quote.cue.end] if quote.cue else None,
        "sources": [[r.start, r.end] for r in quote.sources],
        "entity": [quote.entity.start, quote.entity.end] if quote.entity else None,
        "origin": quote.origin,
        "suggester": quote.suggester,
        "score": quote.score,
    }


def quote_from_dict(d: dict) -> Quote:
    return Quote(
        contents=tuple(Range(s, e) for s, e in d["contents"]),
        cue=Range(*d["cue"]) if d.get("cue") else None,
        sources=tuple(Range(s, e) for s, e in d.get("sources") or []),
        entity=Range(*d["entity"]) if d.get("entity") else None,
        type=d.get("type", "direct"),
        origin=d.get("origin", "manual"),
        suggester=d.get("suggester"),
        score=d.get("score"),
        id=d.get("id"),
    )

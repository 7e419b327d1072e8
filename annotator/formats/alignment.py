"""Aligning stored character spans with the shared tokenizer's tokens, and reporting what does not align.

The store keeps spans in code points of the text; spaCy needs token boundaries. A
span aligns when it starts at a token start and ends at a token end (and neither end
is a whitespace token). One that does not is a :class:`MisalignedSpan`: it is always
*reported* (article, offsets, text, the nearest aligned span) and then, by policy,

- ``"expand"`` (default): exported as the nearest aligned span (whole tokens, edge
  whitespace tokens trimmed). For Arabic this is the Wojood/ANERcorp convention: a span
  for ``بوتين`` inside ``وبوتين`` becomes the whole token ``وبوتين``.
- ``"drop"``: left out of the export.

An expanded entity that would overlap another entity (entities cannot overlap in
``doc.ents``) is left out either way, and the report says so.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from spacy.tokens import Doc

from annotator.core.snapping import TokenIndex

POLICIES = ("expand", "drop")


@dataclass(frozen=True)
class MisalignedSpan:
    """A span whose character offsets are not on token boundaries, and what the export did with it."""

    document_id: int
    title: str | None
    layer: str  # "entity", "quote content", "quote cue", "quote source", "quote entity"
    label: str
    start: int
    end: int
    text: str
    nearest: tuple[int, int] | None  # nearest token-aligned [start, end), None if no token is touched
    nearest_text: str | None
    action: str  # "expanded" or "left out"
    reason: str = "not on token boundaries"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["nearest"] = list(self.nearest) if self.nearest else None
        return data

    def describe(self) -> str:
        title = f" ({self.title})" if self.title else ""
        where = f"document {self.document_id}{title}"
        nearest = (
            f"nearest aligned [{self.nearest[0]}, {self.nearest[1]}) {self.nearest_text!r}"
            if self.nearest
            else "no aligned span"
        )
        return (
            f"{where}: {self.layer} {self.label} [{self.start}, {self.end}) {self.text!r} {self.reason}; "
            f"{nearest}; {self.action}"
        )


class Aligner:
    """Token ranges for character spans of one :class:`Doc`, with the misalignment report.

    Aligned spans (the common case) cost one ``Doc.char_span`` call; the token index
    used to find the nearest aligned span is built only when a span misaligns.
    """

    def __init__(self, doc: Doc, document_id: int, title: str | None, policy: str = "expand") -> None:
        if policy not in POLICIES:
            raise ValueError(f"misaligned-span policy must be one of {POLICIES}, not {policy!r}")
        self.doc = doc
        self.document_id = document_id
        self.title = title
        self.policy = policy
        self.report: list[MisalignedSpan] = []
        self._index: TokenIndex | None = None

    @property
    def index(self) -> TokenIndex:
        if self._index is None:
            self._index = TokenIndex([(t.idx, t.idx + len(t.text)) for t in self.doc])
        return self._index

    def token_range(self, start: int, end: int, layer: str, label: str) -> tuple[int, int] | None:
        """``[first token, last token + 1)`` for ``[start, end)``, or None if it is left out.

        Misaligned spans are added to :attr:`report` whatever happens to them.
        """
        span = self.doc.char_span(start, end)
        if span is not None and not span[0].is_space and not span[-1].is_space:
            return span.start, span.end
        nearest = self._nearest(start, end)
        if nearest is None:
            self._record(start, end, layer, label, None, "left out", "covers no token")
            return None
        first, last = nearest
        char_range = (self.doc[first].idx, self.doc[last - 1].idx + len(self.doc[last - 1].text))
        action = "expanded" if self.policy == "expand" else "left out"
        reason = "not on token boundaries" if span is None else "starts or ends with a whitespace token"
        self._record(start, end, layer, label, char_range, action, reason)
        return nearest if self.policy == "expand" else None

    def _nearest(self, start: int, end: int) -> tuple[int, int] | None:
        snapped = self.index.nearest_aligned(start, end)
        if snapped is None:
            return None
        first = self.index.token_at(snapped[0])
        last = self.index.token_at(snapped[1] - 1)
        if first is None or last is None:
            return None
        last += 1
        while first < last and self.doc[first].is_space:
            first += 1
        while last > first and self.doc[last - 1].is_space:
            last -= 1
        return (first, last) if first < last else None

    def _record(
        self,
        start: int,
        end: int,
        layer: str,
        label: str,
        nearest: tuple[int, int] | None,
        action: str,
        reason: str,
    ) -> None:
        text = self.doc.text
        self.report.append(
            MisalignedSpan(
                document_id=self.document_id,
                title=self.title,
                layer=layer,
                label=label,
                start=start,
                end=end,
                text=text[start:end],
                nearest=nearest,
                nearest_text=text[nearest[0] : nearest[1]] if nearest else None,
                action=action,
                reason=reason,
            )
        )

    def left_out(self, start: int, end: int, layer: str, label: str, reason: str) -> None:
        """Record a span left out for another reason (e.g. it would overlap an entity once expanded)."""
        if self.report and (self.report[-1].start, self.report[-1].end, self.report[-1].layer) == (start, end, layer):
            previous = self.report.pop()
            self.report.append(replace(previous, action="left out", reason=f"{previous.reason}; {reason}"))
        else:
            self._record(start, end, layer, label, None, "left out", reason)

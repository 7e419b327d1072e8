"""Entities and quotes agree: each quote's speaker is linked to the entity it refers to.

- A source that holds an entity links to it; of several, the speaker is the last person named
  (``Hillary Clinton's campaign manager Robby Mook`` → Robby Mook; ``المتحدث باسم الكرملين ديمتري
  بيسكوف`` → بيسكوف), else the first organisation, state or group.
- A source that starts with a name directly followed by another name stops after the first: the
  second is the addressee or the object (``ودعا بوتين الولايات المتحدة إلى …``).
- A pronoun source (``he``, ``they``, ``هو``) links to the nearest earlier speaker entity that fits
  the pronoun (``he`` → a person; ``they`` → a person, an organisation, a group), else to the
  nearest earlier entity mention that fits, within the paragraph and the one before.
- A quote without a source of its own (``وأضاف``) keeps the speaker it took from the previous quote,
  and so that speaker's entity.

The pronouns and the labels they fit are data, ``pronoun_speakers`` in ``resources/quotes/<lang>.json``.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.clitics import normalize
from annotator.core.spans import Quote, Range, Span

PERSON = "PER"
# Entity labels that can speak, by preference when a source holds several.
SPEAKER_LABELS = ("PER", "ORG", "NORP", "GPE", "LOC", "MISC")
POSSESSIVE = ("’s", "'s", "’", "'")


def link_speakers(text: str, quotes: Sequence[Quote], entities: Sequence[Span],
                  pronouns: dict[str, frozenset[str]]) -> list[Quote]:
    """``quotes`` with their ``entity`` set from their sources (see the module docstring)."""
    ordered = sorted(entities, key=lambda s: (s.start, s.end))
    by_range = {(s.start, s.end): s for s in ordered}
    speakers: list[Span] = []  # entities earlier quotes' speakers were linked to, in text order
    out: list[Quote] = []
    for quote in sorted(quotes, key=lambda q: (q.start, q.end)):
        quote = _without_object(text, quote, ordered)
        entity = _named_in(text, quote.sources, ordered)
        if entity is None and quote.sources:
            labels = pronouns.get(normalize(text[quote.sources[0].start : quote.sources[0].end]).strip())
            if labels:
                entity = _nearest_fitting(text, quote.sources[0].start, labels, speakers, ordered)
        if entity is None and quote.entity is not None:
            entity = by_range.get((quote.entity.start, quote.entity.end))
            if entity is None:  # an inherited link to a range this pass does not know: keep it
                out.append(quote)
                continue
        if entity is not None:
            speakers.append(entity)
        out.append(quote.with_(entity=Range(entity.start, entity.end) if entity else None))
    return out


def _without_object(text: str, quote: Quote, entities: Sequence[Span]) -> Quote:
    """A source that starts with a name directly followed by another name ends after the first:
    ``ودعا بوتين الولايات المتحدة إلى …`` (Putin called on the United States), ``وتتهم أنقرة غولن``."""
    if len(quote.sources) != 1:
        return quote
    source = quote.sources[0]
    first = next((e for e in entities if e.start == source.start and e.end < source.end), None)
    if first is None:
        return quote
    rest = text[first.end : source.end]
    gap = len(rest) - len(rest.lstrip())
    if gap and any(e.start == first.end + gap for e in entities):
        return quote.with_(sources=(Range(first.start, first.end),))
    return quote


def _named_in(text: str, sources: Sequence[Range], entities: Sequence[Span]) -> Span | None:
    inside = [e for e in entities for s in sources if s.start <= e.start and e.end <= s.end]
    if not inside:
        inside = [e for e in entities for s in sources if e.start < s.end and s.start < e.end]
    if not inside:
        return None
    people = [e for e in inside if e.label == PERSON and not text[e.end : e.end + 2].startswith(POSSESSIVE)]
    if people:
        return people[-1]
    return min(inside, key=lambda e: (SPEAKER_LABELS.index(e.label) if e.label in SPEAKER_LABELS else 9, e.start))


def _nearest_fitting(text: str, before: int, labels: frozenset[str], speakers: Sequence[Span],
                     entities: Sequence[Span]) -> Span | None:
    for entity in reversed(speakers):
        if entity.label in labels and entity.end <= before:
            return entity
    floor = _paragraph_start(text, _paragraph_start(text, before) - 1)
    for entity in reversed(entities):
        if entity.end <= before and entity.start >= floor and entity.label in labels:
            return entity
    return None


def _paragraph_start(text: str, offset: int) -> int:
    """Start of the paragraph holding ``offset`` (blank lines before it skipped)."""
    while offset > 0 and text[offset - 1 : offset].isspace() and text[offset - 1] == "\n":
        offset -= 1
    if offset <= 0:
        return 0
    return text.rfind("\n", 0, offset) + 1

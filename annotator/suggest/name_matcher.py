"""Find known names in a ``Doc``: whole tokens, through clitics and spelling variants, longest first.

Used by the gazetteer and the learned-from-corpus suggesters. A name is compared token by token in
its :func:`~annotator.core.clitics.normalize` form; the first token of the text may carry proclitics
(``وبوتين``, ``لبوتين``, ``للصين``) which the match includes, since spans cover whole tokens.

Matching is two steps, so a suggester can judge each occurrence before overlaps are settled:
:meth:`NameMatcher.candidates` lists every occurrence of every name (they may overlap), and
:func:`resolve_longest` keeps the longest, then leftmost, then best-scored ones, never overlapping.
:meth:`NameMatcher.match` does both with each name's own score.

Latin-script names keep their case where case carries meaning: an all-capitals name (``WHO``,
``UN``) matches only in capitals, a capitalised one (``May``) only capitalised.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.clitics import analyses, normalize
from annotator.core.spans import Span
from annotator.suggest.base import TokenTable, token_table

# A stem shorter than this, reached by removing a clitic from a stored name, is not used as a key
# (``كيري`` minus ``ك`` is ``يري``, a common verb).
MIN_STRIPPED_KEY = 4


@dataclass(frozen=True)
class NameEntry:
    rest: tuple[str, ...]  # normalised tokens after the first
    label: str
    score: float
    first_text: str  # the first token as written (for case checks)
    case: str  # "upper", "title" or ""
    data: Any = field(default=None, compare=False, hash=False)  # what the owner of the matcher attaches


@dataclass(frozen=True)
class Candidate:
    """One occurrence of a name: tokens ``[start, end)`` of the document, found through ``key``."""

    start: int
    end: int
    entry: NameEntry
    key: str  # the index key the first token was read as (``بوتين`` for the token ``وبوتين``)


def latin_case(first_token: str) -> str:
    """``"upper"`` for ``WHO``, ``"title"`` for ``May``, else "" (non-Latin or lower case)."""
    if not any(ch.isalpha() and ch.isascii() for ch in first_token):
        return ""
    if first_token.isupper() and len(first_token) > 1:
        return "upper"
    return "title" if first_token[0].isupper() else ""


def name_keys(first_token: str, may_carry_clitic: bool) -> set[str]:
    """Index keys of a name's first token: its normalised form, and with ``may_carry_clitic`` its
    clitic-less readings of at least :data:`MIN_STRIPPED_KEY` letters."""
    first = normalize(first_token)
    keys = {first}
    if may_carry_clitic:
        keys.update(k for k in analyses(first, normalized=True)[1:] if len(k) >= MIN_STRIPPED_KEY)
    return keys


class NameMatcher:
    """An index of names for one language."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.index: dict[str, list[NameEntry]] = defaultdict(list)
        self.size = 0
        self._hits: dict[str, tuple[tuple[str, NameEntry], ...]] = {}

    def tokens(self, name: str) -> list[str]:
        """The tokens of ``name`` as the shared tokenizer cuts it (whitespace left out)."""
        return [t.text for t in self.nlp.make_doc(name.strip()) if not t.is_space]

    def add(self, name: str, label: str, score: float = 1.0, *, may_carry_clitic: bool = False,
            data: Any = None) -> NameEntry | None:
        """Index ``name``. ``may_carry_clitic``: the name was stored as annotated (``وبوتين``), so its
        clitic-less readings are keys too. Returns the entry (None for a name too short to match)."""
        tokens = self.tokens(name)
        if not tokens or (len(tokens) == 1 and len(normalize(tokens[0])) < 2):
            return None
        entry = NameEntry(tuple(normalize(t) for t in tokens[1:]), label, score, tokens[0], latin_case(tokens[0]),
                          data)
        self.add_entry(name_keys(tokens[0], may_carry_clitic), entry)
        return entry

    def add_entry(self, keys: Iterable[str], entry: NameEntry) -> None:
        """Index ``entry`` under each of ``keys`` (normalised readings of its first token)."""
        for key in keys:
            if entry not in self.index[key]:
                self.index[key].append(entry)
        self._hits.clear()
        self.size += 1

    def __len__(self) -> int:
        return self.size

    def candidates(self, doc: Doc | TokenTable) -> list[Candidate]:
        """Every occurrence of every indexed name in ``doc`` (they may overlap), by position."""
        if not self.index:
            return []
        table = doc if isinstance(doc, TokenTable) else token_table(doc)
        norms, texts = table.norms, table.texts
        n = len(norms)
        index = self.index
        hits = self._hits
        if len(hits) > 500_000:  # a bounded cache over a large corpus
            hits.clear()
        found_all: list[Candidate] = []
        for i in range(n):
            norm = norms[i]
            found = hits.get(norm)
            if found is None:  # the index entries any reading of this word leads to (usually none)
                found = hits[norm] = tuple(
                    (key, e) for key in analyses(norm, normalized=True) if key in index for e in index[key]
                ) if norm and norm[0].isalnum() else ()
            for key, entry in found:
                if entry.case == "upper" and texts[i] != entry.first_text:
                    continue
                if entry.case == "title" and not texts[i][:1].isupper():
                    continue
                end = i + 1 + len(entry.rest)
                if end <= n and tuple(norms[i + 1 : end]) == entry.rest:
                    found_all.append(Candidate(i, end, entry, key))
        return found_all

    def match(self, doc: Doc, suggester: str) -> list[Span]:
        """Non-overlapping token-aligned matches in ``doc``, longest first, scored by each name's score."""
        table = token_table(doc)
        return resolve_longest(table, [(c, c.entry.score) for c in self.candidates(table)], suggester)


def resolve_longest(table: TokenTable, scored: Iterable[tuple[Candidate, float]], suggester: str,
                    label: Callable[[Candidate], str] | None = None) -> list[Span]:
    """Spans for ``(candidate, score)`` pairs: longest first (in tokens, then characters), then
    leftmost, then highest score; a candidate overlapping one already taken is dropped."""
    starts, ends = table.starts, table.ends
    ordered = sorted(scored, key=lambda cs: (-(cs[0].end - cs[0].start),
                                             -(ends[cs[0].end - 1] - starts[cs[0].start]), cs[0].start, -cs[1]))
    taken = [False] * len(starts)
    out: list[Span] = []
    for cand, score in ordered:
        if any(taken[cand.start : cand.end]):
            continue
        for k in range(cand.start, cand.end):
            taken[k] = True
        out.append(Span(starts[cand.start], ends[cand.end - 1], label(cand) if label else cand.entry.label,
                        origin="accepted", suggester=suggester, score=round(score, 3)))
    out.sort(key=lambda s: s.start)
    return out

"""Find known names in a ``Doc``: whole tokens, through clitics and spelling variants, longest first.

Used by the gazetteer and the learned-from-corpus suggesters. A name is compared token by token in
its :func:`~annotator.core.clitics.normalize` form; the first token of the text may carry proclitics
(``وبوتين``, ``لبوتين``, ``للصين``) which the match includes, since spans cover whole tokens.
Overlapping candidates are resolved longest first, then leftmost; matches never overlap.

Latin-script names keep their case where case carries meaning: an all-capitals name (``WHO``,
``UN``) matches only in capitals, a capitalised one (``May``) only capitalised.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.clitics import analyses, normalize
from annotator.core.spans import Span
from annotator.suggest.base import token_table

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


class NameMatcher:
    """An index of names for one language."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.index: dict[str, list[NameEntry]] = defaultdict(list)
        self.size = 0
        self._hits: dict[str, tuple[NameEntry, ...]] = {}

    def add(self, name: str, label: str, score: float = 1.0, *, may_carry_clitic: bool = False) -> None:
        """Index ``name``. ``may_carry_clitic``: the name was stored as annotated (``وبوتين``), so its
        clitic-less readings are keys too."""
        tokens = [t.text for t in self.nlp.make_doc(name.strip()) if not t.is_space]
        if not tokens or (len(tokens) == 1 and len(normalize(tokens[0])) < 2):
            return
        first = normalize(tokens[0])
        case = ""
        if any(ch.isalpha() and ch.isascii() for ch in tokens[0]):
            case = "upper" if tokens[0].isupper() and len(tokens[0]) > 1 else ("title" if tokens[0][0].isupper() else "")
        entry = NameEntry(tuple(normalize(t) for t in tokens[1:]), label, score, tokens[0], case)
        keys = {first}
        if may_carry_clitic:
            keys.update(k for k in analyses(first, normalized=True)[1:] if len(k) >= MIN_STRIPPED_KEY)
        for key in keys:
            if entry not in self.index[key]:
                self.index[key].append(entry)
        self._hits.clear()
        self.size += 1

    def __len__(self) -> int:
        return self.size

    def match(self, doc: Doc, suggester: str) -> list[Span]:
        """Non-overlapping token-aligned matches in ``doc``, longest first."""
        if not self.index:
            return []
        table = token_table(doc)
        norms, texts, starts, ends = table.norms, table.texts, table.starts, table.ends
        n = len(norms)
        index = self.index
        hits = self._hits
        if len(hits) > 500_000:  # a bounded cache over a large corpus
            hits.clear()
        candidates: list[tuple[int, int, NameEntry]] = []
        for i in range(n):
            norm = norms[i]
            found = hits.get(norm)
            if found is None:  # the index entries any reading of this word leads to (usually none)
                found = hits[norm] = tuple(
                    e for key in analyses(norm, normalized=True) if key in index for e in index[key]
                ) if norm and norm[0].isalnum() else ()
            if found:
                for entry in found:
                    if entry.case == "upper" and texts[i] != entry.first_text:
                        continue
                    if entry.case == "title" and not texts[i][:1].isupper():
                        continue
                    end = i + 1 + len(entry.rest)
                    if end <= n and tuple(norms[i + 1 : end]) == entry.rest:
                        candidates.append((i, end, entry))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), -(ends[c[1] - 1] - starts[c[0]]), c[0], -c[2].score))
        taken = [False] * n
        out: list[Span] = []
        for start, end, entry in candidates:
            if any(taken[start:end]):
                continue
            for k in range(start, end):
                taken[k] = True
            out.append(Span(starts[start], ends[end - 1], entry.label,
                            origin="accepted", suggester=suggester, score=round(entry.score, 3)))
        out.sort(key=lambda s: s.start)
        return out

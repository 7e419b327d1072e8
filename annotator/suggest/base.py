"""What every suggester shares: where results go on a ``Doc``, token views, versions.

A suggester is a spaCy pipeline component (registered with ``@Language.factory``). It writes its
results, as :class:`annotator.core.spans.Span` and :class:`Quote` objects in code points of the
document text, to ``doc._.suggestions[name]``, and carries ``name`` and ``version`` attributes: the
runner caches results per document and version and re-runs a document when the version changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

from annotator.core.clitics import normalize
from annotator.core.labels import RESOURCES
from annotator.core.spans import Quote, Span

QUOTE_RESOURCES = RESOURCES / "quotes"
GAZETTEER_RESOURCES = RESOURCES / "gazetteers"

if not Doc.has_extension("suggestions"):
    Doc.set_extension("suggestions", default=None)


@dataclass
class SuggestionSet:
    """One suggester's results for one document."""

    spans: list[Span] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    # The document's words for the learned suggester's name index (see suggest.name_index).
    index_terms: str | None = None


def suggestions_of(doc: Doc) -> dict[str, SuggestionSet]:
    """``doc._.suggestions``, created on first use."""
    found = doc._.suggestions
    if found is None:
        found = {}
        doc._.suggestions = found
    return found


def put_suggestions(doc: Doc, name: str, spans: list[Span], quotes: list[Quote] | None = None) -> None:
    suggestions_of(doc)[name] = SuggestionSet(spans=spans, quotes=quotes or [])


def entity_candidates(doc: Doc) -> list[Span]:
    """Entity suggestions already made on ``doc`` by earlier components, plus ``doc.ents``."""
    found = [s for result in suggestions_of(doc).values() for s in result.spans]
    found.extend(Span(e.start_char, e.end_char, e.label_, origin="imported") for e in doc.ents)
    return found


@dataclass(frozen=True)
class TokenTable:
    """Plain lists describing a ``Doc``'s tokens (building ``Token`` objects one by one is slow)."""

    text: str
    starts: list[int]
    ends: list[int]
    texts: list[str]
    norms: list[str]  # :func:`annotator.core.clitics.normalize` of each text
    spaces: list[bool]  # whitespace-only tokens
    breaks: list[bool]  # tokens holding a line break


_NORMS: dict[str, str] = {}


def _remember_norm(token: str) -> str:
    if len(_NORMS) > 500_000:
        _NORMS.clear()
    norm = _NORMS[token] = normalize(token)
    return norm


class TextKeepingTokenizer:
    """Wraps a tokenizer so each ``Doc`` remembers the string it was made from.

    ``Doc.text`` rebuilds the string token by token; suggesters read it once per document, and
    this saves that work. Used only in suggestion pipelines, which are never saved.
    """

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data["annotator_text"] = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)


def token_table(doc: Doc) -> TokenTable:
    """The token table of ``doc``, computed once per document and shared by the components."""
    cached = doc.user_data.get("annotator_tokens")
    if cached is None:
        text = doc.user_data.get("annotator_text") or doc.text
        bounds = doc.to_array([IDX, LENGTH]) if len(doc) else None
        starts = bounds[:, 0].tolist() if bounds is not None else []  # by column: ~2x faster than rows
        ends = [s + n for s, n in zip(starts, bounds[:, 1].tolist(), strict=True)] if bounds is not None else []
        texts = [text[s:e] for s, e in zip(starts, ends, strict=True)]
        known = _NORMS.get
        norms = [known(t) or _remember_norm(t) for t in texts]
        cached = TokenTable(text, starts, ends, texts, norms, [t.isspace() for t in texts], ["\n" in t for t in texts])
        doc.user_data["annotator_tokens"] = cached
    return cached


def token_norms(doc: Doc) -> list[str]:
    """Normalised form of every token (see :func:`token_table`)."""
    return token_table(doc).norms


def fingerprint(*parts: Any) -> str:
    """Short stable hash of JSON-able parts (used in version strings)."""
    blob = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha1(blob).hexdigest()[:10]


@lru_cache(maxsize=32)
def file_fingerprint(path: Path) -> str:
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()[:10]

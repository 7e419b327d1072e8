"""Where the words of a list search occur in an article, so the view can highlight them (Qt-free).

It reads the search the way the document list's full-text search does
(:func:`annotator.store.document_query.fts_query`): every word must occur, a word in
double quotes or several words quoted together are one phrase, the last word also
matches as a prefix once it has three letters, case and diacritics do not matter, and an
Arabic word also matches with attached proclitics and its common spelling variants
(:func:`annotator.store.document_query.arabic_forms`). Offsets are code points of the
stored text, which is never changed.

>>> search_hits("Putin met Obama; putinism.", "puti")
[(0, 5), (17, 25)]
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from annotator.store.document_query import arabic_forms

MIN_PREFIX = 3  # as the list's search: a shorter prefix is not searched as one
_TOKEN = re.compile(r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+", re.UNICODE)
_WORD = re.compile(r"\w", re.UNICODE)
_ARABIC = re.compile("[\u0621-\u064a\u066e-\u06d3]")


# Blocks holding combining marks: Latin diacritics, Cyrillic, Hebrew, Arabic, Syriac, Thaana,
# Indic, Thai/Lao, and the combining supplements.
_MARK_BLOCKS = ((0x0300, 0x036F), (0x0483, 0x0489), (0x0591, 0x05C7), (0x0610, 0x061A), (0x064B, 0x065F),
                (0x0670, 0x0670), (0x06D6, 0x06ED), (0x0711, 0x0711), (0x0730, 0x074A), (0x07A6, 0x07B0),
                (0x0900, 0x0EFF), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))


@lru_cache(maxsize=1)
def _marks() -> dict[int, None]:
    """The combining marks of those blocks, for ``str.translate`` to drop (built once, ~2,500 code points)."""
    return {cp: None for lo, hi in _MARK_BLOCKS for cp in range(lo, hi + 1) if unicodedata.category(chr(cp)) == "Mn"}


@lru_cache(maxsize=100_000)  # an article repeats its words: each is folded once
def fold(word: str) -> str:
    """What the search compares: case-folded, without diacritics (Latin accents, Arabic harakat)."""
    if word.isascii():
        return word.lower()
    return unicodedata.normalize("NFD", word.casefold()).translate(_marks())


def _terms(query: str) -> list[tuple[list[set[str]], bool]]:
    """The query as phrases: each a list of accepted folded forms per word, and whether its last word is open."""
    parts: list[tuple[str, bool]] = []
    for quoted, word in re.findall(r'"([^"]*)"|(\S+)', query):
        phrase = " ".join((quoted or word).replace('"', " ").split())
        if phrase and _WORD.search(phrase):
            parts.append((phrase, bool(quoted)))
    terms = []
    for i, (phrase, quoted) in enumerate(parts):
        words = [w for w in _TOKEN.findall(phrase)]
        if not words:
            continue
        single = len(words) == 1 and not quoted
        open_word = i == len(parts) - 1 and single and not query.rstrip().endswith('"')
        letters = len(words[0]) - 1 if words[0].startswith("ال") else len(words[0])
        forms = []
        for w in words:
            variants = arabic_forms(w) if single and _ARABIC.search(w) else [w]
            forms.append({fold(v) for v in variants})
        terms.append((forms, open_word and letters >= MIN_PREFIX))
    return terms


def search_hits(text: str, query: str) -> list[tuple[int, int]]:
    """``[(start, end)]`` of every occurrence of the query's words and phrases in ``text``, in order."""
    terms = _terms(query)
    if not terms or not text:
        return []
    tokens = [(m.start(), m.end(), fold(m.group())) for m in _TOKEN.finditer(text)]
    hits: set[tuple[int, int]] = set()
    for forms, prefix in terms:
        n = len(forms)
        starts = tuple(forms[0]) if prefix else ()
        for i in range(len(tokens) - n + 1):
            if n == 1:
                word = tokens[i][2]
                if word in forms[0] or (prefix and word.startswith(starts)):
                    hits.add((tokens[i][0], tokens[i][1]))
            elif all(tokens[i + k][2] in forms[k] for k in range(n)):
                hits.add((tokens[i][0], tokens[i + n - 1][1]))
    return sorted(hits)

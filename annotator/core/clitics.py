"""The clitic view of words: matching forms that see through Arabic proclitics and spelling variants.

Stored text is never changed. These functions build *matching keys* only:

- :func:`normalize` folds the spelling variants common in Arabic news (hamza forms ``أ إ آ ٱ`` → ``ا``,
  ``ة`` → ``ه``, ``ى`` → ``ي``, tatweel and diacritics removed) and case-folds Latin letters, so
  ``اكد`` matches ``أكد`` and ``سوريه`` matches ``سورية``.
- :func:`analyses` lists the ways a token can be read as proclitics + stem: ``وبوتين`` →
  ``وبوتين``, ``بوتين``; ``للصين`` → ``للصين``, ``الصين`` (``ل`` + ``ال`` with the alef elided).
- :func:`clitic_view` is the name without its attached ``و/ف/ب/ل/ك/ال``, for display.

Convention (Wojood, ANERcorp): an entity span covers the whole token, clitic included; the
clitic view is what a matcher compares, never what a span covers.

>>> normalize("أكّد")
'اكد'
>>> analyses("وبوتين")
['وبوتين', 'بوتين', 'وتين']
>>> clitic_view("وبالولايات")
'ولايات'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"
MIN_STEM = 2

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks, and tatweel.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})


@lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """Matching form of ``text``: spelling variants folded, diacritics and tatweel removed, casefolded."""
    return _DIACRITICS.sub("", text).translate(_FOLD).casefold()


@lru_cache(maxsize=200_000)
def _analyses(word: str, strip_article: bool) -> tuple[str, ...]:
    out: list[str] = [word]

    def add(stem: str) -> None:
        if len(stem) >= MIN_STEM and stem not in out:
            out.append(stem)

    for conj in ("", *CONJUNCTIONS):
        if conj and not word.startswith(conj):
            continue
        after_conj = word[len(conj) :]
        if conj:
            add(after_conj)
        for prep in PREPOSITIONS:
            if not after_conj.startswith(prep):
                continue
            after_prep = after_conj[1:]
            if prep == "ل" and after_prep.startswith("ل"):
                add(ARTICLE + after_prep[1:])  # للصين = ل + الصين
            add(after_prep)
        if strip_article:
            for stem in list(out):
                if stem.startswith(ARTICLE):
                    add(stem[len(ARTICLE) :])
    return tuple(out)


def analyses(token: str, *, strip_article: bool = False, normalized: bool = False) -> list[str]:
    """Normalised readings of ``token`` as optional ``و/ف`` + optional ``ب/ل/ك`` + stem, least stripped first.

    The article ``ال`` stays on the stem unless ``strip_article`` (names that take the article are
    listed with it: ``الصين``; stripping it would let ``السورية`` match ``سورية``).
    """
    return list(_analyses(token if normalized else normalize(token), strip_article))


def clitic_view(name: str, known: Callable[[str], bool] | None = None) -> str:
    """``name`` without the proclitics attached to its first word (normalised), for display and grouping.

    Without a lexicon only the unambiguous cases are stripped: clitics in front of the article
    (``وبالولايات`` → ``ولايات``, ``للصين`` → ``صين``) and the article itself. ``وزارة`` (ministry) keeps
    its ``و``. Given ``known`` (e.g. "is this a name the corpus already has?"), the most stripped
    reading it knows wins: ``clitic_view("وبوتين", {"بوتين"}.__contains__)`` → ``بوتين``.
    """
    words = normalize(name).split()
    if not words:
        return ""
    first = words[0]
    readings = _analyses(first, True)
    if known is not None:
        words[0] = next((r for r in reversed(readings) if known(r)), first)
    else:
        with_article = next((r for r in readings if r.startswith(ARTICLE) and len(r) > len(ARTICLE) + 1), None)
        if with_article is not None:
            words[0] = with_article[len(ARTICLE) :]
    return " ".join(words)

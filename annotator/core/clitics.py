"""The clitic view of words: matching forms that see through Arabic proclitics and spelling variants.

Stored text is never changed. These functions build *matching keys* only:

- :func:`normalize` folds the spelling variants common in Arabic news (hamza forms ``أ إ آ ٱ`` → ``ا``,
  ``ة`` → ``ه``, ``ى`` → ``ي``, tatweel and diacritics removed) and case-folds Latin letters, so
  ``اكد`` matches ``أكد`` and ``سوريه`` matches ``سورية``.
- :func:`analyses` lists the ways a token can be read as proclitics + stem: ``وبوتين`` →
  ``وبوتين``, ``بوتين``; ``للصين`` → ``للصين``, ``الصين`` (``ل`` + ``ال`` with the alef elided).
- :func:`clitic_view` is the name without its attached ``و/ف/ب/ل/ك/ال``, for display.
- :func:`surface_readings` pairs each reading's key with the stem *as written* (marks removed,
  letters unfolded), so a matcher can tell ``علي`` (a name) from ``على`` (the preposition "on"),
  which share the key ``علي``.

Convention (Wojood, ANERcorp): an entity span covers the whole token, clitic included; the
clitic view is what a matcher compares, never what a span covers.

>>> normalize("أكّد")
'اكد'
>>> analyses("وبوتين")
['وبوتين', 'بوتين', 'وتين']
>>> clitic_view("وبالولايات")
'ولايات'
>>> surface_readings("وعلى")
(('وعلي', 'وعلى'), ('علي', 'على'))
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


def strip_marks(text: str) -> str:
    """``text`` without diacritics and tatweel, letters and case as written (``عليّ`` → ``علي``)."""
    return _DIACRITICS.sub("", text)


@lru_cache(maxsize=200_000)
def _cuts(word: str, strip_article: bool) -> tuple[tuple[int, str], ...]:
    """The readings of ``word`` as ``(cut, restored)``: reading = ``restored + word[cut:]``.

    ``restored`` is ``"ا"`` where ``ل`` + ``ال`` is written ``لل`` (the article's alef elided), else "".
    Readings are distinct and at least :data:`MIN_STEM` letters long, least stripped first.
    """
    out: list[tuple[int, str]] = [(0, "")]
    seen = {word}

    def add(cut: int, restored: str = "") -> None:
        stem = restored + word[cut:]
        if len(stem) >= MIN_STEM and stem not in seen:
            seen.add(stem)
            out.append((cut, restored))

    for conj in ("", *CONJUNCTIONS):
        if conj and not word.startswith(conj):
            continue
        at = len(conj)
        if conj:
            add(at)
        for prep in PREPOSITIONS:
            if not word.startswith(prep, at):
                continue
            if prep == "ل" and word.startswith("ل", at + 1):
                add(at + 1, "ا")  # للصين = ل + الصين
            add(at + 1)
        if strip_article:
            for cut, restored in list(out):
                if (restored + word[cut:]).startswith(ARTICLE):
                    add(cut + 1 if restored else cut + len(ARTICLE))
    return tuple(out)


@lru_cache(maxsize=200_000)
def _analyses(word: str, strip_article: bool) -> tuple[str, ...]:
    return tuple(restored + word[cut:] for cut, restored in _cuts(word, strip_article))


def analyses(token: str, *, strip_article: bool = False, normalized: bool = False) -> list[str]:
    """Normalised readings of ``token`` as optional ``و/ف`` + optional ``ب/ل/ك`` + stem, least stripped first.

    The article ``ال`` stays on the stem unless ``strip_article`` (names that take the article are
    listed with it: ``الصين``; stripping it would let ``السورية`` match ``سورية``).
    """
    return list(_analyses(token if normalized else normalize(token), strip_article))


@lru_cache(maxsize=200_000)
def surface_readings(token: str) -> tuple[tuple[str, str], ...]:
    """``(key, stem as written)`` for each reading of ``token`` (see :func:`analyses`).

    The key is the normalised reading a matcher looks up; the stem is the same letters of
    :func:`strip_marks` of the token, unfolded, so spelling variants that share a key stay apart.
    """
    key_word, written = normalize(token), strip_marks(token)
    aligned = len(key_word) == len(written)  # casefolding can lengthen a few Latin letters
    return tuple(
        (restored + key_word[cut:], (restored + written[cut:]) if aligned else written)
        for cut, restored in _cuts(key_word, False)
    )


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

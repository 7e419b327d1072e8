"""Facts about a text that never change it: direction, language, content hash."""

from __future__ import annotations

import hashlib
import unicodedata

BOM = "\ufeff"

# Script of the first strong character -> default language code.
_SCRIPT_LANGUAGE = {
    "ARABIC": "ar",
    "HEBREW": "he",
    "CYRILLIC": "ru",
    "GREEK": "el",
    "DEVANAGARI": "hi",
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "THAI": "th",
    "LATIN": "en",
}


def strip_bom(text: str) -> str:
    """The only change ever made to imported text."""
    return text[1:] if text.startswith(BOM) else text


# How many strong letters decide a document's direction and language.
SAMPLE_LETTERS = 400


def first_strong_character(text: str) -> tuple[int, str] | None:
    """Index and bidi class ('L', 'R' or 'AL') of the first strong letter.

    Invisible format characters (U+200E/U+200F marks, embeddings) are skipped: they
    say nothing about the language and often lead scraped text.
    """
    for i, ch in enumerate(text):
        if unicodedata.category(ch) == "Cf":
            continue
        bidi = unicodedata.bidirectional(ch)
        if bidi in ("L", "R", "AL"):
            return i, bidi
    return None


def _script(ch: str) -> str | None:
    name = unicodedata.name(ch, "")
    for script in _SCRIPT_LANGUAGE:
        if name.startswith(script):
            return script
    return None


def _dominant_script(text: str) -> str | None:
    """The script of most of the first ``SAMPLE_LETTERS`` letters of ``text``.

    News scraped from the web often starts with a few Latin words ("Next Previous",
    a photo credit) before an Arabic article: the majority, not the first letter,
    says what the document is. Ties go to the script seen first.
    """
    counts: dict[str, int] = {}
    seen = 0
    for ch in text:
        if not ch.isalpha():
            continue
        script = _script(ch)
        if script:
            counts[script] = counts.get(script, 0) + 1
        seen += 1
        if seen >= SAMPLE_LETTERS:
            break
    if not counts:
        return None
    return max(counts, key=lambda k: counts[k])  # dicts keep first-seen order for ties


def detect_direction(text: str) -> str:
    """'rtl' or 'ltr': the direction of the document's dominant script.

    Falls back to the first strong character (Unicode bidi rule P2) for text with
    no letters of a known script.
    """
    script = _dominant_script(text)
    if script is not None:
        return "rtl" if script in ("ARABIC", "HEBREW") else "ltr"
    found = first_strong_character(text)
    return "rtl" if found and found[1] in ("R", "AL") else "ltr"


def detect_language(text: str, default: str = "en") -> str:
    """Language code guessed from the document's dominant script (Arabic script -> 'ar')."""
    script = _dominant_script(text)
    return _SCRIPT_LANGUAGE[script] if script else default


def content_hash(text: str) -> str:
    """Stable identity of a document's text (used for de-duplication and matching)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

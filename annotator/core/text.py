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


def first_strong_character(text: str) -> tuple[int, str] | None:
    """Index and bidi class ('L', 'R' or 'AL') of the first strong character."""
    for i, ch in enumerate(text):
        bidi = unicodedata.bidirectional(ch)
        if bidi in ("L", "R", "AL"):
            return i, bidi
    return None


def detect_direction(text: str) -> str:
    """'rtl' or 'ltr' from the first strong character (Unicode bidi rule P2)."""
    found = first_strong_character(text)
    if found and found[1] in ("R", "AL"):
        return "rtl"
    return "ltr"


def detect_language(text: str, default: str = "en") -> str:
    """Language code guessed from the script of the first strong character."""
    found = first_strong_character(text)
    if not found:
        return default
    name = unicodedata.name(text[found[0]], "")
    for script, lang in _SCRIPT_LANGUAGE.items():
        if name.startswith(script):
            return lang
    return default


def content_hash(text: str) -> str:
    """Stable identity of a document's text (used for de-duplication and matching)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

"""Facts about a text that never change it: direction, language, content hash."""

from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache

from annotator.core.language import language_of_script

BOM = "\ufeff"



def strip_bom(text: str) -> str:
    """The only change ever made to imported text."""
    return text[1:] if text.startswith(BOM) else text


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


# Letters of each script as code-point ranges.
_SCRIPT_RANGES = {
    "ARABIC": [(0x0620, 0x064A), (0x066E, 0x06D3), (0x06FA, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF),
               (0xFB50, 0xFDFF), (0xFE70, 0xFEFC)],
    "HEBREW": [(0x05D0, 0x05F2), (0xFB1D, 0xFB4F)],
    "CYRILLIC": [(0x0400, 0x04FF)],
    "GREEK": [(0x0370, 0x03FF)],
    "DEVANAGARI": [(0x0900, 0x097F)],
    "CJK": [(0x4E00, 0x9FFF), (0x3400, 0x4DBF)],
    "HIRAGANA": [(0x3040, 0x309F)],
    "KATAKANA": [(0x30A0, 0x30FF)],
    "HANGUL": [(0xAC00, 0xD7AF), (0x1100, 0x11FF)],
    "THAI": [(0x0E00, 0x0E7F)],
    "ARMENIAN": [(0x0531, 0x0587)],
    "GEORGIAN": [(0x10A0, 0x10FF)],
    "BENGALI": [(0x0980, 0x09FF)],
    "GUJARATI": [(0x0A80, 0x0AFF)],
    "GURMUKHI": [(0x0A00, 0x0A7F)],
    "TAMIL": [(0x0B80, 0x0BFF)],
    "TELUGU": [(0x0C00, 0x0C7F)],
    "LATIN": [(0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF)],
}
# How much of the text is looked at (the start of an article says what it is).
SAMPLE_CHARACTERS = 400


@lru_cache(maxsize=1)
def _script_table() -> tuple[dict[int, str], dict[str, str]]:
    """A ``str.translate`` table turning every letter into its script's marker character.

    Markers are private-use characters; private-use characters in the text itself are
    first mapped away so they can never be counted as letters.
    """
    table: dict[int, str | None] = {cp: None for cp in range(0xE000, 0xE000 + len(_SCRIPT_RANGES))}
    markers = {}
    for i, (script, ranges) in enumerate(_SCRIPT_RANGES.items()):
        marker = chr(0xE000 + i)
        markers[script] = marker
        for low, high in ranges:
            table.update(dict.fromkeys(range(low, high + 1), marker))
    return table, markers


def _dominant_script(text: str) -> str | None:
    """The script of most letters in the first ``SAMPLE_CHARACTERS`` of ``text``.

    News scraped from the web often starts with a few Latin words ("Next Previous",
    a photo credit) before an Arabic article: the majority, not the first letter,
    says what the document is. Ties go to the script listed first.
    """
    table, markers = _script_table()
    sample = text[:SAMPLE_CHARACTERS].translate(table)
    counts = {script: sample.count(marker) for script, marker in markers.items()}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else None


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
    """ISO 639-1 code of the document's language: its dominant script, then, where several
    languages share the script (Latin, Cyrillic, Arabic, ...), lingua among those languages
    (see :mod:`annotator.core.language`). ``default`` for text without letters."""
    script = _dominant_script(text)
    return language_of_script(text, script) if script else default


def detect_language_and_direction(text: str, default: str = "en") -> tuple[str, str]:
    """``(detect_language(text), detect_direction(text))`` looking at the text once."""
    script = _dominant_script(text)
    if script is None:
        return default, detect_direction(text)
    return language_of_script(text, script), "rtl" if script in ("ARABIC", "HEBREW") else "ltr"


def content_hash(text: str) -> str:
    """Stable identity of a document's text (used for de-duplication and matching)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

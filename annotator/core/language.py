"""Which language a text is in, among the languages written in its script.

The script is counted first (:mod:`annotator.core.text`: cheap and exact);
only when several languages share it does a statistical detector decide:
`lingua <https://github.com/pemistahl/lingua-py>`_ (``lingua-language-detector``),
one detector per script, built on first use from that script's languages alone, in
lingua's low-accuracy (trigram) mode. Measured on this machine: every lingua language
in high-accuracy mode takes ~960 MB and ~20 s to load its models; the Latin-script
languages in low-accuracy mode ~110 MB and under a second, the Arabic-script ones ~30 MB,
and a news article is decided in a few milliseconds from its first
:data:`SAMPLE_CHARACTERS` characters (``benchmarks/bench_language.py``).

Arabic-script text is Persian or Urdu only if it holds a letter those languages write and
Arabic does not (``پ چ ژ گ ک ی ٹ ڈ ڑ ں ے ہ``); Arabic news without one is Arabic at once,
with no detector run. Text too short for lingua's low-accuracy mode (under
:data:`MINIMUM_LETTERS` letters) or that it cannot tell apart with a clear margin keeps the
script's usual language; a CoNLL file, whose articles are often single sentences, is
detected once as a whole (:mod:`annotator.formats.conll_reader`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Script -> its usual language: the answer when the script says it all or lingua cannot tell.
SCRIPT_DEFAULT = {
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
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "BENGALI": "bn",
    "GUJARATI": "gu",
    "GURMUKHI": "pa",
    "TAMIL": "ta",
    "TELUGU": "te",
    "LATIN": "en",
}
# Scripts shared by several languages lingua knows (ISO 639-1 codes, as stored).
_SHARED_SCRIPTS = ("LATIN", "CYRILLIC", "ARABIC", "DEVANAGARI", "CJK")
# Letters of Persian and Urdu that Arabic does not use, and Arabic Presentation Forms-A (U+FB50-U+FBFF),
# where their presentation forms live: Arabic text with none of them is Arabic.
PERSO_URDU_LETTERS = re.compile("[پچژگکیٹڈڑںےہۀۓ\uFB50-\uFBFF]")
# How much of the text the detector reads: the start of an article says what language it is in
# (on the 840 PolNeAR articles 150 characters already give English for 836, 300 for all 840).
SAMPLE_CHARACTERS = 400
# lingua answers only when its best language leads the next by this much (0..1); else the default.
MINIMUM_RELATIVE_DISTANCE = 0.1
# Below this many letters lingua's low-accuracy mode guesses (``Barack Obama met Vladimir Putin in
# Hangzhou.`` comes out Croatian or Zulu): shorter text keeps the script's usual language. Arabic
# script is exempt: its Persian and Urdu letters are evidence even in a short text.
MINIMUM_LETTERS = 120

def _lingua_languages(script: str) -> list:
    from lingua import Language

    if script == "LATIN":
        return list(Language.all_with_latin_script())
    if script == "CYRILLIC":
        return list(Language.all_with_cyrillic_script())
    if script == "ARABIC":
        return list(Language.all_with_arabic_script())
    if script == "DEVANAGARI":
        return list(Language.all_with_devanagari_script())
    if script == "CJK":  # Han characters: Chinese, or Japanese written mostly in kanji
        return [Language.CHINESE, Language.JAPANESE]
    return []


@cache
def _detector(script: str):
    """The lingua detector for one script's languages (built once, on first use)."""
    from lingua import LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_languages(*_lingua_languages(script))
        .with_low_accuracy_mode()
        .with_minimum_relative_distance(MINIMUM_RELATIVE_DISTANCE)
        .build()
    )


def language_of_script(text: str, script: str) -> str:
    """The ISO 639-1 code of ``text``, whose dominant script is ``script``."""
    default = SCRIPT_DEFAULT[script]
    if script not in _SHARED_SCRIPTS:
        return default
    sample = text[:SAMPLE_CHARACTERS]
    if script == "ARABIC":
        if not PERSO_URDU_LETTERS.search(sample):
            return default
    elif sum(1 for ch in sample if ch.isalpha()) < MINIMUM_LETTERS:
        return default
    # NFKC folds presentation forms (``ﻛﺸﻔﺖ`` -> ``كشفت``), which lingua would otherwise misread.
    found = _detector(script).detect_language_of(unicodedata.normalize("NFKC", sample))
    return found.iso_code_639_1.name.lower() if found is not None else default

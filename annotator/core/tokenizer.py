"""The one tokenizer shared by UI snapping, export and trained models.

``make_nlp(lang)`` returns a blank spaCy pipeline whose tokenizer carries the
project's fixes. Arabic gets suffix rules so that a period after a closing quote
mark or a digit becomes its own token (spaCy 3.8 leaves ``نتراجع».`` and
``2024.`` whole, so a quote ending at ``»`` could not align).

Call :func:`customize_tokenizer` on any pipeline (e.g. a trained model) to give
it the same rules; ``annotator train`` saves pipelines built from ``make_nlp``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_suffix_regex

# Closing quotation marks after which a final period / comma splits off.
CLOSING_QUOTES = "\"'»”’›“"
# Double quotation marks of every style. They are always tokens of their own, even glued
# inside a word: news text writes ``لـ«الشرق``, ``و"جالكسي``, ``فقال:"أعتقد`` and ``القرية».وذكر``
# (measured on the shared SaudiNewsNet sample: 490 marks out of 10,460 were glued).
DOUBLE_QUOTES = "«»“”„\""
# Punctuation that may follow a closing quote or a digit as its own token.
TRAILING_PUNCT = r"\.،,؛;:!؟?"

EXTRA_SUFFIXES = [
    rf"(?<=[{CLOSING_QUOTES}])[{TRAILING_PUNCT}]",
    rf"(?<=[0-9٠-٩])[{TRAILING_PUNCT}]",
    # A closing quote mark itself after a letter or punctuation ("…المواقف»", "…ذلك.»").
    rf"(?<=[^\s])[{CLOSING_QUOTES}]",
]
EXTRA_INFIXES = [
    rf"[{DOUBLE_QUOTES}]",
    # Punctuation glued between a quote mark and a word: ``العزيز:»إن``, ``يونايتد».وأضاف``.
    rf"(?<=[{DOUBLE_QUOTES}])[{TRAILING_PUNCT}]",
    rf"[{TRAILING_PUNCT}](?=[{DOUBLE_QUOTES}])",
]
EXTRA_PREFIXES = [
    # Opening quote marks glued to the word they open.
    r"[\"'«“‘‹„]",
]


def customize_tokenizer(nlp: Language) -> Language:
    """Add the project's suffix/prefix rules to ``nlp.tokenizer`` (idempotent)."""
    tokenizer = nlp.tokenizer
    if getattr(tokenizer, "_annotator_customized", False) or nlp.meta.get("annotator_tokenizer"):
        return nlp
    suffixes = list(nlp.Defaults.suffixes or []) + EXTRA_SUFFIXES
    tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    prefixes = list(nlp.Defaults.prefixes or []) + EXTRA_PREFIXES
    tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    infixes = list(nlp.Defaults.infixes or []) + EXTRA_INFIXES
    tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    if tokenizer.url_match is not None:
        # spaCy's URL pattern takes ``القرية».وذكر`` for a domain name; nothing with a quote mark is a URL.
        url = tokenizer.url_match.__self__
        pattern = url.pattern.removeprefix("(?u)").removeprefix("^")
        tokenizer.url_match = re.compile(rf"^(?!\S*[{DOUBLE_QUOTES}])" + pattern, url.flags).match
    nlp.meta["annotator_tokenizer"] = 1
    return nlp


def new_nlp(lang: str) -> Language:
    """A fresh (uncached) blank pipeline with the shared tokenizer, to add components to."""
    try:
        nlp = spacy.blank(lang)
    except ImportError:
        nlp = spacy.blank("xx")
    return customize_tokenizer(nlp)


@lru_cache(maxsize=16)
def make_nlp(lang: str) -> Language:
    """A blank pipeline for ``lang`` with the shared tokenizer (cached per language: never add pipes to it)."""
    return new_nlp(lang)


def tokenize(text: str, lang: str) -> Doc:
    return make_nlp(lang).make_doc(text)


def token_bounds(text: str, lang: str) -> list[tuple[int, int]]:
    """``[start, end)`` code-point offsets of every token of ``text``."""
    return [(t.idx, t.idx + len(t.text)) for t in tokenize(text, lang)]

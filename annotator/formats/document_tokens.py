"""The tokens of a stored document: the corpus's own when it brought them, else the shared tokenizer's.

A document imported from CoNLL or WebAnno TSV keeps its original tokenization in
``meta["tokens"]``: ``[start, end]`` code-point pairs into the stored text. Every export
(CoNLL, JSONL tokens, the spaCy DocBin, WebAnno TSV, UIMA CAS) builds its
:class:`~spacy.tokens.Doc` through :func:`document_doc`, so such an article goes out with
exactly the tokens it came in with (``1996-08-22`` stays one token, ``U.S.`` is not split)
and entities that were on token boundaries stay on them.

The ``Doc`` always reproduces the text exactly: text between two tokens that is a single
space becomes the first token's trailing space; other whitespace (a newline between
sentences, several spaces) becomes a whitespace token, as spaCy's tokenizer makes them; text
between tokens that holds anything else (the file's tokens did not cover it) becomes tokens
of its own, split at whitespace. Tokens that are not a usable tokenization (unsorted,
overlapping, empty, outside the text, not numbers) are not trusted: the shared tokenizer
is used instead, and :func:`stored_tokens` says why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.tokenizer import make_nlp

TOKENS_KEY = "tokens"
SENTENCES_KEY = "sentences"
_WHITESPACE_RUN = re.compile(r"\s+|\S+")


class StoredDocument(Protocol):
    """What :func:`document_doc` needs of a document (a stored ``Document`` or an ``ExportDocument``)."""

    text: str
    language: str
    meta: dict


def stored_tokens(text: str, meta: dict | None) -> tuple[list[tuple[int, int]] | None, str | None]:
    """``(tokens, problem)``: the document's own tokens if ``meta`` holds a usable list, else ``None``
    and why not (``problem`` is ``None`` when there simply are none)."""
    raw = (meta or {}).get(TOKENS_KEY)
    if raw is None:
        return None, None
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        return None, f"meta.tokens is not a list of [start, end] pairs ({type(raw).__name__})"
    tokens: list[tuple[int, int]] = []
    previous_end = 0
    for i, pair in enumerate(raw):
        if (
            not isinstance(pair, Sequence)
            or len(pair) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in pair)
        ):
            return None, f"meta.tokens[{i}] is not a [start, end] pair of integers: {pair!r}"
        start, end = pair
        if not (previous_end <= start < end <= len(text)):
            return None, f"meta.tokens[{i}] [{start}, {end}) overlaps the previous token, is empty or is outside the text"
        tokens.append((start, end))
        previous_end = end
    return tokens, None


def words_and_spaces(text: str, tokens: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """``(words, spaces)`` for ``Doc(vocab, words, spaces)`` that give back ``text`` exactly."""
    words: list[str] = []
    spaces: list[bool] = []

    def add_gap(gap: str) -> None:
        for piece in _WHITESPACE_RUN.findall(gap):
            if not piece.isspace():  # text the tokens did not cover: tokens of its own
                words.append(piece)
                spaces.append(False)
                continue
            if piece.startswith(" ") and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True  # one space after a word is that word's trailing space
                piece = piece[1:]
            if piece:  # a newline, several spaces, a tab: a whitespace token
                words.append(piece)
                spaces.append(False)

    position = 0
    for start, end in tokens:
        add_gap(text[position:start])
        words.append(text[start:end])
        spaces.append(False)
        position = end
    add_gap(text[position:])
    return words, spaces


def document_doc(document: StoredDocument, nlp: Language | None = None) -> Doc:
    """The document's text as a ``Doc``: its own tokens when it has them, else the shared tokenizer's.

    ``nlp``: the pipeline whose tokenizer and vocab to use (default: the shared, cached
    ``make_nlp(document.language)``; a long export passes one whose vocab it renews now and then).
    """
    nlp = nlp or make_nlp(document.language)
    tokens, _problem = stored_tokens(document.text, document.meta)
    if not tokens:
        return nlp.make_doc(document.text)
    words, spaces = words_and_spaces(document.text, tokens)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    if doc.text != document.text:  # cannot happen for valid tokens; never export a different text
        return nlp.make_doc(document.text)
    return doc


def document_sentences(document: StoredDocument, doc: Doc) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence: the file's own (``meta["sentences"]``, from CoNLL and
    INCEpTION imports) when they are usable, else spaCy's rule-based sentencizer, never across a
    line break. Exporters that need sentences (WebAnno TSV, UIMA CAS) use it."""
    stored = stored_tokens(document.text, {TOKENS_KEY: (document.meta or {}).get(SENTENCES_KEY)})[0]
    if stored:
        return stored
    sentencizer = _sentencizer()
    bounds: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    for sentence in sentencizer(Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])).sents:
        for token in sentence:
            original = doc[token.i]
            if original.is_space:
                if "\n" in original.text and start is not None:
                    bounds.append((start, end))
                    start = None
                continue
            if start is None:
                start = original.idx
            end = original.idx + len(original.text)
        if start is not None:
            bounds.append((start, end))
            start = None
    return bounds


@lru_cache(maxsize=1)
def _sentencizer():
    from spacy.pipeline import Sentencizer

    return Sentencizer()

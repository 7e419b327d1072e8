"""A small annotated corpus: one Arabic article with entities, a two-part quote and a clitic."""

from __future__ import annotations

import pytest

from annotator.core.spans import DocumentRecord, Quote, Range, Span

ARTICLE = 'وقال بوتين إن "الأمور سارت على ما يرام"، وأضاف "العمل سيستمر". والتقى أوباما وبوتين في هانغتشو.'
ENGLISH = 'Obama met Putin in Hangzhou. "We made progress," Obama said.'


def at(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """``[start, end)`` of the ``occurrence``-th ``needle`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


@pytest.fixture
def article_corpus(corpus):
    """The article, annotated by amira and marked done.

    Entities: بوتين PER, أوباما PER, هانغتشو GPE, and a *misaligned* PER for بوتين inside وبوتين.
    Quote: two contents, cue وقال, source بوتين linked to the entity بوتين, type direct.
    """
    [doc_id] = corpus.add_documents([DocumentRecord(text=ARTICLE, title="قمة", source="وكالات", language="ar")]).new_ids
    putin = at(ARTICLE, "بوتين")
    corpus.add_span(doc_id, "amira", Span(*putin, "PER"))
    corpus.add_span(doc_id, "amira", Span(*at(ARTICLE, "أوباما"), "PER"))
    corpus.add_span(doc_id, "amira", Span(*at(ARTICLE, "بوتين", 1), "PER"))  # inside وبوتين
    corpus.add_span(doc_id, "amira", Span(*at(ARTICLE, "هانغتشو"), "GPE"))
    corpus.add_quote(
        doc_id,
        "amira",
        Quote(
            contents=(Range(*at(ARTICLE, "الأمور سارت على ما يرام")), Range(*at(ARTICLE, "العمل سيستمر"))),
            cue=Range(*at(ARTICLE, "وقال")),
            sources=(Range(*putin),),
            entity=Range(*putin),
            type="direct",
        ),
    )
    corpus.set_status(doc_id, "amira", "done")
    return corpus

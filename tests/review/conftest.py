"""Two annotators' sets on the seed article with every kind of disagreement (see ``builders``)."""

from __future__ import annotations

import pytest

from .builders import build_review_corpus


@pytest.fixture
def review_corpus(corpus, seed_text):
    """``(corpus, doc_id, expected)``: amira (A) and bilal (B) on the seed article."""
    doc_id, expected = build_review_corpus(corpus, seed_text)
    return corpus, doc_id, expected

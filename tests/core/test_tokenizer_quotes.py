"""The shared tokenizer puts every quotation's content boundaries on token boundaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from annotator.core.snapping import TokenIndex
from annotator.core.tokenizer import make_nlp, new_nlp
from annotator.suggest.quote_marks import find_quote_pairs
from annotator.suggest.quote_rules import load_quote_rules

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "saudinewsnet-sample.jsonl"


def tokens(text: str, lang: str = "ar") -> list[str]:
    return [t.text for t in make_nlp(lang).make_doc(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("نتراجع».", ["نتراجع", "»", "."]),
        ('غزة".', ["غزة", '"', "."]),
        ("عام 2024.", ["عام", "2024", "."]),
        ("لـ«الشرق الأوسط»", ["لـ", "«", "الشرق", "الأوسط", "»"]),
        ('و"جالكسي', ["و", '"', "جالكسي"]),
        ('فقال:"أعتقد', ["فقال", ":", '"', "أعتقد"]),
        ("القرية».وذكر", ["القرية", "»", ".", "وذكر"]),
        ("العزيز:»إن", ["العزيز", ":", "»", "إن"]),
        ("الإطلاق“.", ["الإطلاق", "“", "."]),
    ],
)
def test_quote_marks_glued_to_words_become_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_urls_and_english_apostrophes_are_left_alone() -> None:
    assert "www.spa.gov.sa" in tokens("موقع www.spa.gov.sa الرسمي")
    assert tokens("Putin's don’t", "en") == ["Putin", "'s", "do", "n’t"]


def test_make_nlp_is_cached_and_new_nlp_is_fresh() -> None:
    assert make_nlp("ar") is make_nlp("ar")
    fresh = new_nlp("ar")
    assert fresh is not make_nlp("ar")
    assert [t.text for t in fresh.make_doc("نتراجع».")] == ["نتراجع", "»", "."]


def test_rules_survive_saving_the_pipeline(tmp_path) -> None:
    new_nlp("ar").to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert [t.text for t in loaded.make_doc("القرية».وذكر لـ«الشرق")] == ["القرية", "»", ".", "وذكر", "لـ", "«", "الشرق"]


def _misaligned_quote_contents(text: str, lang: str = "ar") -> tuple[int, list[str]]:
    """(quotations found, the contents whose first or last character is not a token boundary)."""
    doc = make_nlp(lang).make_doc(text)
    index = TokenIndex([(t.idx, t.idx + len(t.text)) for t in doc])
    bad = []
    pairs = find_quote_pairs(doc, load_quote_rules(lang))
    for pair in pairs:
        inner = text[doc[pair.open].idx + 1 : doc[pair.close].idx]
        start = doc[pair.open].idx + 1 + (len(inner) - len(inner.lstrip()))
        end = doc[pair.close].idx - (len(inner) - len(inner.rstrip()))
        if end > start and not index.is_aligned(start, end):
            bad.append(text[start:end])
    return len(pairs), bad


def test_every_quotation_in_the_seed_is_token_aligned(seed_text: str) -> None:
    found, bad = _misaligned_quote_contents(seed_text)
    assert found == 17  # every pair of straight quotes in the seed
    assert bad == []


@pytest.mark.skipif(not SHARED_DATA.exists(), reason="the shared SaudiNewsNet sample (../shared/data) is absent")
def test_every_quotation_in_the_shared_articles_is_token_aligned() -> None:
    bad = []
    pairs = 0
    with SHARED_DATA.open(encoding="utf-8") as f:
        for line in f:
            found, misaligned = _misaligned_quote_contents(json.loads(line)["content"])
            pairs += found
            bad.extend(misaligned)
    assert pairs > 3000  # about half the 2,000 articles quote someone
    assert bad == []

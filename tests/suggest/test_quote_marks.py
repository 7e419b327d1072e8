"""Pairing quotation marks: styles, mixed and reversed pairs, nesting, apostrophes, paragraphs."""

from __future__ import annotations

from annotator.core.tokenizer import make_nlp
from annotator.suggest.quote_marks import find_quote_pairs
from annotator.suggest.quote_rules import load_quote_rules


def quoted(text: str, lang: str = "ar") -> list[str]:
    doc = make_nlp(lang).make_doc(text)
    return [doc[p.open + 1 : p.close].text for p in find_quote_pairs(doc, load_quote_rules(lang)) if not p.nested]


def test_styles_and_mixed_and_reversed_pairs() -> None:
    assert quoted("قال «نعم» ثم \"لا\" ثم “ربما” ثم „حسنا“") == ["نعم", "لا", "ربما", "حسنا"]
    assert quoted('قال «نعم هذا صحيح" وانصرف') == ["نعم هذا صحيح"]
    assert quoted("قال »نعم هذا صحيح« وانصرف") == ["نعم هذا صحيح"]


def test_nested_single_quotes_stay_inside_the_outer_quote() -> None:
    assert quoted("قال «سمعته يقول ‘لا’ بوضوح» أمس") == ["سمعته يقول ‘لا’ بوضوح"]


def test_apostrophes_are_not_quote_marks() -> None:
    assert quoted("“Putin’s plan won’t work,” he said.", "en") == ["Putin’s plan won’t work,"]


def test_an_unclosed_mark_does_not_reach_into_the_next_paragraph() -> None:
    assert quoted('قال "نعم\n\nثم قال "لا" وانصرف') == ["لا"]

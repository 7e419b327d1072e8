"""« » around names, titles and slogans are not quotes: 222 stretches in 50 shared articles, checked by hand.

The fixture (``tests/fixtures/quote_titles_ar.json``, built by ``make_quote_titles.py``) keeps each
stretch's sentence and a verdict: ``title`` (صحيفة «عكاظ», مؤشر «جي بي مورجان تشايس آند كو», تحت
شعار «…»), ``fragment`` (words quoted inside narration or inside a larger quote) or ``quote``.
Before this rule the suggester proposed 17 of them as quotes of their own, 12 of them titles.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.suggest.quotes import suggest_quotes

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "quote_titles_ar.json"
ITEMS = [item for article in json.loads(FIXTURE.read_text(encoding="utf-8"))["articles"] for item in article["items"]]


def standalone(item: dict) -> bool:
    """Some suggested quote has the stretch (and nothing more) as a content part."""
    for quote in suggest_quotes(item["sentence"], "ar"):
        for part in quote.contents:
            if abs(part.start - item["start"]) <= 1 and abs(part.end - item["end"]) <= 1:
                return True
    return False


def test_the_fixture_is_fifty_articles_checked_by_hand():
    articles = json.loads(FIXTURE.read_text(encoding="utf-8"))["articles"]
    assert len(articles) == 50
    verdicts = [item["verdict"] for item in ITEMS]
    assert (verdicts.count("title"), verdicts.count("fragment"), verdicts.count("quote")) == (192, 22, 8)


@pytest.mark.parametrize("verdict", ["title", "fragment"])
def test_no_title_or_quoted_fragment_is_a_quote_of_its_own(verdict):
    wrong = [item["sentence"][item["start"] : item["end"]] for item in ITEMS
             if item["verdict"] == verdict and standalone(item)]
    assert wrong == []


def test_the_quotes_among_them_are_still_proposed():
    found = [item["sentence"][item["start"] : item["end"]] for item in ITEMS
             if item["verdict"] == "quote" and standalone(item)]
    assert found == ["اذهبوا فأنتم الطلقاء", "هذه العصا لها تاريخ", "فرضيات قوية جدا", "الله أكبر",
                     "الانضمام إلى جبهة المقاومة"]

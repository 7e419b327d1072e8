"""The clitic view: matching keys that see through proclitics and spelling variants."""

from __future__ import annotations

from annotator.core.clitics import analyses, clitic_view, normalize


def test_normalize_folds_hamza_ta_marbuta_alef_maqsura_tatweel_and_diacritics() -> None:
    assert normalize("أكّد") == normalize("اكد") == "اكد"
    assert normalize("إيران") == normalize("ايران")
    assert normalize("آسيا") == "اسيا"
    assert normalize("سورية") == normalize("سوريه")
    assert normalize("مستشفى") == normalize("مستشفي")
    assert normalize("لـداعش") == "لداعش"
    assert normalize("مشيراً") == "مشيرا"
    assert normalize("Putin") == "putin"


def test_normalize_never_touches_the_text_it_is_given() -> None:
    text = "وأكّد بوتين"
    normalize(text)
    assert text == "وأكّد بوتين"


def test_analyses_strip_conjunction_and_preposition() -> None:
    assert "بوتين" in analyses("وبوتين")
    assert "بوتين" in analyses("لبوتين")
    assert "بوتين" in analyses("فبوتين")
    assert "واشنطن" in analyses("وواشنطن")
    assert "الصين" in analyses("للصين")  # ل + الصين with the alef elided
    assert "الصين" in analyses("وبالصين")


def test_analyses_keep_the_article_unless_asked() -> None:
    assert "سوريه" not in analyses("السورية")
    assert "سوريه" in analyses("السورية", strip_article=True)


def test_clitic_view_is_conservative_without_a_lexicon() -> None:
    assert clitic_view("وزارة الخارجية") == "وزاره الخارجيه"  # the و of وزارة is not a clitic
    assert clitic_view("وبالولايات المتحدة") == "ولايات المتحده"
    assert clitic_view("وبوتين") == "وبوتين"


def test_clitic_view_with_a_lexicon_strips_what_it_knows() -> None:
    known = {"بوتين", "وزاره"}.__contains__
    assert clitic_view("وبوتين", known) == "بوتين"
    assert clitic_view("لبوتين", known) == "بوتين"
    assert clitic_view("ووزارة", known) == "وزاره"

"""Direction and language detection: what the window shows depends on it."""

from annotator.core.text import content_hash, detect_direction, detect_language, strip_bom


def test_arabic_is_rtl_and_english_ltr():
    assert (detect_direction("وقال بوتين"), detect_language("وقال بوتين")) == ("rtl", "ar")
    assert (detect_direction("Obama said"), detect_language("Obama said")) == ("ltr", "en")


def test_a_leading_right_to_left_mark_does_not_hide_the_language():
    text = "\u200fوقال بوتين إن الأمور سارت على ما يرام"
    assert detect_language(text) == "ar" and detect_direction(text) == "rtl"


def test_scraped_latin_prefix_does_not_make_an_arabic_article_ltr():
    text = "Next Previous\nاتفق الرئيس باراك أوباما ونظيره الروسي فلاديمير بوتين على مواصلة البحث"
    assert detect_language(text) == "ar" and detect_direction(text) == "rtl"


def test_english_article_quoting_an_arabic_name_stays_english():
    text = "The minister, speaking in Cairo, said (in Arabic: قال) that talks would resume next week."
    assert detect_language(text) == "en" and detect_direction(text) == "ltr"


def test_text_without_letters_falls_back():
    assert detect_direction("2024 — 12:30") == "ltr" and detect_language("2024", default="xx") == "xx"


def test_bom_is_the_only_change_and_hash_is_stable():
    assert strip_bom("\ufeffabc") == "abc" and strip_bom("abc\ufeff") == "abc\ufeff"
    assert content_hash("نص") == content_hash("نص") != content_hash("نص ")


def test_language_and_direction_together_agree_with_each_alone():
    from annotator.core.text import detect_language_and_direction

    for text in ("وقال بوتين", "Obama said", "Next Previous\nاتفق الرئيس باراك أوباما ونظيره", "2024", "שלום עולם"):
        assert detect_language_and_direction(text) == (detect_language(text), detect_direction(text))

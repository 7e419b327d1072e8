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


# -- Languages that share a script: lingua decides among them ------------------------------------

NEWS = {
    "es": "El presidente del Gobierno anunció este martes que las elecciones generales se celebrarán en "
          "noviembre, después de semanas de negociaciones con los partidos de la oposición.",
    "pt": "O presidente da República anunciou nesta terça-feira que as eleições gerais serão realizadas em "
          "novembro, depois de semanas de negociações com os partidos da oposição.",
    "fi": "Pääministeri ilmoitti tiistaina, että eduskuntavaalit järjestetään marraskuussa useiden viikkojen "
          "neuvottelujen jälkeen oppositiopuolueiden kanssa.",
    "de": "Der Bundeskanzler kündigte am Dienstag an, dass die Wahlen nach wochenlangen Verhandlungen mit "
          "den Oppositionsparteien im November stattfinden werden.",
    "en": "The prime minister announced on Tuesday that the general election will be held in November, "
          "after weeks of negotiations with the opposition parties.",
    "fa": "رئیس جمهور روز سه‌شنبه اعلام کرد که انتخابات پس از هفته‌ها مذاکره با احزاب مخالف در آبان ماه برگزار "
          "خواهد شد.",
    "uk": "Прем'єр-міністр у вівторок оголосив, що вибори відбудуться в листопаді після тижнів переговорів з "
          "опозиційними партіями. Опозиція заявила, що готова взяти участь у виборах.",
    "ru": "Премьер-министр во вторник объявил, что выборы пройдут в ноябре после нескольких недель переговоров "
          "с оппозиционными партиями. Оппозиция заявила, что готова участвовать в выборах.",
}


def test_languages_sharing_a_script_get_their_own_code():
    from annotator.core.text import detect_language_and_direction

    for code, text in NEWS.items():
        assert detect_language(text) == code, code
        assert detect_language_and_direction(text) == (code, "rtl" if code == "fa" else "ltr")


def test_arabic_in_presentation_forms_stays_arabic():
    # A real SaudiNewsNet article typed in Arabic Presentation Forms-B: lingua alone reads it as Urdu.
    text = "ﻛﺸﻔﺖ ﻣﺼﺎﺩﺭ ﻣﻄﻠﻌﺔ ﻓﻲ ﺍﻟﻤﻘﺎﻭﻣﺔ ﺍﻟﺸﻌﺒﻴﺔ ﺍﻟﺠﻨﻮﺑﻴﺔ ﺍﻟيمنية، ﺑﻌﺪﻥ، ﻋﻦ ﺗﻮﺍﺟﺪ 6 ﻋﻨﺎﺻﺮ ﻣﻦ ﺍﻟﺤﺮﺱ ﺍﻟﺜﻮﺭﻱ ﺍﻹﻳﺮﺍﻧﻲ"
    assert detect_language(text) == "ar" and detect_direction(text) == "rtl"


def test_text_too_short_to_tell_keeps_the_scripts_usual_language():
    assert detect_language("ابن معمر") == "ar"
    assert detect_language("Obama said") == "en"
    assert detect_language("Москва") == "ru"
    # A sentence of names: lingua's trigrams alone would call it Croatian or Zulu.
    assert detect_language("Barack Obama met Vladimir Putin in Hangzhou.") == "en"


def test_scripts_of_one_language_need_no_detector():
    assert detect_language("שלום עולם") == "he"
    assert detect_language("Καλημέρα κόσμε") == "el"
    assert detect_language("Բարեւ աշխարհ") == "hy"

"""Arabic quote patterns (ARABIC.md): content, cue, source, type, score — read back as text."""

from __future__ import annotations

import pytest

from tests.suggest.helpers import only, quotes_as_text


def test_cue_then_speaker_then_quoted_content() -> None:
    q = only('وصرح الرئيس الأميركي "كما تذكرون، البدء في وقف العمليات القتالية قلل من أعمال العنف".', "ar")
    assert (q.type, q.cue, q.sources) == ("direct", "وصرح", ["الرئيس الأميركي"])
    assert q.contents == ["كما تذكرون، البدء في وقف العمليات القتالية قلل من أعمال العنف"]


def test_quoted_content_then_cue_then_speaker() -> None:
    q = only('"لن نتراجع عن هذا القرار أبدا"، قال وزير الخارجية.', "ar")
    assert (q.type, q.cue, q.sources, q.contents) == ("direct", "قال", ["وزير الخارجية"], ["لن نتراجع عن هذا القرار أبدا"])


def test_indirect_after_inna_runs_to_the_end_of_the_sentence() -> None:
    q = only("وقال مسؤول رفيع في الإدارة الأميركية للصحافيين إن ذلك سيتم في وقت لاحق هذا الأسبوع. وانتهى الاجتماع.", "ar")
    assert (q.type, q.cue) == ("indirect", "وقال")
    assert q.sources == ["مسؤول رفيع في الإدارة الأميركية"]  # the addressee للصحافيين is not the speaker
    assert q.contents == ["ذلك سيتم في وقت لاحق هذا الأسبوع"]


@pytest.mark.parametrize("complementiser", ["أن", "بأن", "إلى أن", "على أن"])
def test_indirect_after_every_complementiser(complementiser: str) -> None:
    cue = {"أن": "وأعلن", "بأن": "وأفاد", "إلى أن": "وأشار", "على أن": "وشدد"}[complementiser]
    q = only(f"{cue} بوتين {complementiser} المحادثات ستستمر الأسبوع المقبل.", "ar")
    assert (q.type, q.cue, q.sources, q.contents) == ("indirect", cue, ["بوتين"], ["المحادثات ستستمر الأسبوع المقبل"])


def test_mixed_indirect_holding_a_quoted_fragment() -> None:
    q = only('وأعلن بوتين أن هناك "بعض التقارب في المواقف" بين موسكو وواشنطن حول سورية.', "ar")
    assert q.type == "mixed"
    assert q.contents == ['هناك "بعض التقارب في المواقف" بين موسكو وواشنطن حول سورية']


def test_an_indirect_clause_that_is_entirely_quoted_is_direct() -> None:
    q = only('وقال مسؤول بارز في وزارة الخارجية لاحقا إن "الروس تراجعوا عن بعض القضايا".', "ar")
    assert (q.type, q.contents, q.sources) == ("direct", ["الروس تراجعوا عن بعض القضايا"],
                                               ["مسؤول بارز في وزارة الخارجية"])


def test_headline_colon_quote_without_a_verb() -> None:
    q = only("بوتين: حققنا بعض التقارب\n\nوانتهت القمة مساء الاثنين.", "ar")
    assert (q.type, q.cue, q.sources, q.contents) == ("direct", None, ["بوتين"], ["حققنا بعض التقارب"])


def test_source_lines_are_not_headline_quotes() -> None:
    assert quotes_as_text("انتهت القمة.\n\nالمصدر: وكالات", "ar") == []


def test_floating_quote_inherits_the_previous_speaker_with_a_lower_score() -> None:
    found = quotes_as_text('وأعلن بوتين أن المحادثات كانت مفيدة.\n\nوتابع: "أجرينا بعض المحادثات المثمرة".', "ar")
    assert [q.cue for q in found] == ["وأعلن", "وتابع"]
    first, floating = found
    assert floating.sources == ["بوتين"] and floating.contents == ["أجرينا بعض المحادثات المثمرة"]
    assert floating.score < first.score


def test_cue_followed_by_a_circumstance_has_no_speaker_of_its_own() -> None:
    found = quotes_as_text('وأعلن بوتين أن المحادثات كانت مفيدة. وقال خلال مؤتمر صحافي "هناك بعض التقارب".', "ar")
    assert found[1].sources == ["بوتين"] and found[1].cue == "وقال"


def test_participle_continues_the_same_speaker() -> None:
    found = quotes_as_text("وقال أوباما إن الاجتماع كان مثمرا، مشيرا إلى أن المحادثات ستستمر.", "ar")
    assert [(q.cue, q.sources, q.contents) for q in found] == [
        ("وقال", ["أوباما"], ["الاجتماع كان مثمرا"]),
        ("مشيرا", ["أوباما"], ["المحادثات ستستمر"]),
    ]
    assert found[1].score == found[0].score  # same sentence: no penalty


def test_participles_introducing_quoted_speech() -> None:
    q = quotes_as_text('ورفض الوزير التعليق، قائلاً: "لا جديد لدينا".', "ar")[-1]
    assert (q.cue, q.type, q.contents) == ("قائلاً", "direct", ["لا جديد لدينا"])


def test_speaker_after_a_reporting_chain() -> None:
    q = only("ونقلت وكالة الإعلام الروسية عن المتحدث باسم الكرملين ديمتري بيسكوف قوله إن الاجتماع استمر طويلا.", "ar")
    assert q.cue == "قوله"
    assert q.sources == ["المتحدث باسم الكرملين ديمتري بيسكوف"]
    assert q.contents == ["الاجتماع استمر طويلا"]


def test_speaker_between_kana_and_the_cue() -> None:
    q = only("وكان أوباما قد صرح، الأحد، بأن واشنطن تتفاوض مع روسيا.", "ar")
    assert (q.cue, q.sources, q.contents) == ("صرح", ["أوباما"], ["واشنطن تتفاوض مع روسيا"])


@pytest.mark.parametrize(("phrase", "source"), [("بحسب", "وزارة الصحة"), ("وفقاً لـ", "وزارة الصحة"),
                                                ("نقلاً عن", "مصادر مطلعة")])
def test_attribution_without_a_verb(phrase: str, source: str) -> None:
    q = only(f"ارتفع عدد الإصابات إلى مئة حالة، {phrase} {source}.", "ar")
    assert q.sources == [source]
    assert q.contents == ["ارتفع عدد الإصابات إلى مئة حالة"]
    assert q.type == "indirect"


def test_every_quote_mark_style_mixed_and_reversed_pairs() -> None:
    for opening, closing in [("«", "»"), ("“", "”"), ("„", "“"), ('"', '"'), ("«", '"'), ("»", "«")]:
        q = only(f"وقال الوزير {opening}لن نتراجع عن القرار{closing}.", "ar")
        assert q.contents == ["لن نتراجع عن القرار"], (opening, closing)
        assert q.type == "direct"


def test_hamza_less_cue_and_present_tense_and_feminine_forms() -> None:
    assert only("واكد الوزير أن الاجتماع انتهى.", "ar").cue == "واكد"
    assert only("وتقول الوزيرة إن الاجتماع انتهى.", "ar").cue == "وتقول"
    assert only("وقالت متحدثة باسم لافروف إن اللقاء سيركز على سورية.", "ar").sources == ["متحدثة باسم لافروف"]


def test_relative_clauses_and_negation_do_not_make_a_new_cue() -> None:
    q = only("وأضاف المسؤول الذي لم يكشف عن هويته أن الولايات المتحدة متحمسة للاتفاق.", "ar")
    assert (q.cue, q.sources) == ("وأضاف", ["المسؤول"])


def test_short_quoted_names_are_not_quotes() -> None:
    found = quotes_as_text('وذكرت صحيفة "بيلد" الألمانية أن اللاعب سينتقل قريبا.', "ar")
    assert [(q.sources, q.contents) for q in found] == [(['صحيفة "بيلد" الألمانية'], ["اللاعب سينتقل قريبا"])]
    assert quotes_as_text("افتتح الأمير مهرجان «الصيف» أمس.", "ar") == []


def test_formula_yudhkar_anna_is_not_a_quote() -> None:
    assert quotes_as_text("يذكر أن الفنانة دخلت المستشفى منذ أيام.", "ar") == []


def test_cue_colon_then_unquoted_speech() -> None:
    q = only("وأضاف: إن المنسوجات اليدوية تعد من الموروثات الشعبية المهمة.", "ar")
    assert q.contents == ["المنسوجات اليدوية تعد من الموروثات الشعبية المهمة"] and q.type == "direct"


def test_every_range_is_token_aligned(seed_text: str) -> None:
    from annotator.core.snapping import TokenIndex
    from annotator.core.tokenizer import token_bounds
    from annotator.suggest.quotes import suggest_quotes

    index = TokenIndex(token_bounds(seed_text, "ar"))
    found = suggest_quotes(seed_text, "ar")
    assert len(found) > 30
    for quote in found:
        for _, r in quote.parts():
            assert index.is_aligned(r.start, r.end), seed_text[r.start : r.end]


def test_speech_noun_with_its_speaker_after_it() -> None:
    q = only("وجاء اللقاء بعد ساعات من إقرار المفاوضين الأميركيين والروس بأن جولة المفاوضات فشلت.", "ar")
    assert (q.cue, q.sources, q.contents) == ("إقرار", ["المفاوضين الأميركيين والروس"], ["جولة المفاوضات فشلت"])
    assert q.score <= 0.5  # speech nouns are less certain than verbs


def test_cue_phrase_jaa_fi() -> None:
    q = only("وجاء في رسالة أن مشروع الاتفاق يلزم روسيا بوقف القصف.", "ar")
    assert (q.cue, q.sources, q.contents) == ("وجاء في", ["رسالة"], ["مشروع الاتفاق يلزم روسيا بوقف القصف"])


def test_one_complementiser_makes_one_quote() -> None:
    q = only("وأكد أوباما في تصريحات خلال الاجتماع أن بلاده ملتزمة بالاتفاق.", "ar")
    assert (q.cue, q.sources) == ("وأكد", ["أوباما"])

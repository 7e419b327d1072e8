"""Attribution as newsrooms write it (issue 16 item 1), on real sentences, in English and Arabic.

English fragments are from PolNeAR's train split (political news, 2015–16; the file is named) and
the seed's layout; Arabic ones from the seed article (``seeds/``) and the shared SaudiNewsNet
sample (``../shared/data/saudinewsnet-sample.jsonl``, line given). Mistakes the issue lists are
regression cases here.
"""

from __future__ import annotations

from tests.suggest.helpers import only, quotes_as_text

# -- English: the cue after the content ----------------------------------------------------------------


def test_quote_then_speaker_and_cue_then_the_rest_of_the_quote_is_one_quote():
    # PolNeAR dev excerpt kept in tests/fixtures/brat_polnear (Politico 2016-09-08).
    text = ("“He's absolutely right. There's a severe disconnect between this White House and frankly the president "
            "and our military,” Flynn, a top Trump surrogate, said Thursday morning on Fox News’s “Fox and Friends.” "
            "“I mean, there's a lot of frustration within the ranks.”")
    q = only(text, "en")
    assert (q.cue, q.sources, q.type) == ("said", ["Flynn, a top Trump surrogate"], "direct")
    assert q.contents == ["He's absolutely right. There's a severe disconnect between this White House and frankly "
                          "the president and our military", "I mean, there's a lot of frustration within the ranks."]


def test_an_unquoted_content_before_sources_said():
    # PolNeAR dev, breitbart_2016-09-12_stealth-over-health-hillary-clin (the "204 missing cues").
    text = ("Secret Service protocol called for the Democratic presidential nominee to be taken to a state-designated "
            "Level I Trauma Center, sources said.")
    q = only(text, "en")
    assert (q.cue, q.sources, q.type) == ("said", ["sources"], "indirect")
    assert q.contents == ["Secret Service protocol called for the Democratic presidential nominee to be taken to a "
                          "state-designated Level I Trauma Center"]


def test_a_postposed_attribution_holds_the_whole_sentence_before_it():
    # Same article: the content holds a reported "told …that" of its own; PolNeAR tags the outer one.
    text = ("Clinton had told police officials that she didn’t want the escort at all, but the NYPD overruled that "
            "request, the source added.")
    q = only(text, "en")
    assert (q.cue, q.sources) == ("added", ["the source"])
    assert q.contents[0].startswith("Clinton had told police officials") and q.contents[0].endswith("that request")


def test_a_date_after_the_cue_is_neither_content_nor_speaker():
    # PolNeAR train: "“I won’t just talk like a conservative during the election season,” Espinoza said Friday."
    q = only("“I won’t just talk like a conservative during the election season,” Espinoza said Friday.", "en")
    assert (q.cue, q.sources) == ("said", ["Espinoza"])
    assert quotes_as_text("She said on Fox News Sunday. The weather was fine.", "en") == []


# -- English: speakers ----------------------------------------------------------------------------------


def test_the_addressee_of_told_is_not_the_speaker():
    # issue 16: "Tom Reid told the BBC that…" got the speaker "the BBC".
    q = only("Tom Reid told the BBC that the plan was a mistake.", "en")
    assert (q.sources, q.cue, q.contents) == (["Tom Reid"], "told", ["that the plan was a mistake"])
    # PolNeAR train: House Speaker Paul Ryan told CNN Tuesday that …
    q = only("House Speaker Paul Ryan told CNN Tuesday that Ginsburg’s comments “shows bias to me.”", "en")
    assert (q.sources, q.type) == (["House Speaker Paul Ryan"], "mixed")


def test_the_speaker_is_cut_before_a_relative_clause():
    # PolNeAR train: "Democratic candidate Bernie Sanders, who on Tuesday endorsed Clinton, said Wednesday he agrees …"
    endorsed, q = quotes_as_text("Democratic candidate Bernie Sanders, who on Tuesday endorsed Clinton, said Wednesday "
                                 "he agrees with Ginsburg’s remarks.", "en")
    assert (q.sources, q.contents) == (["Democratic candidate Bernie Sanders"], ["he agrees with Ginsburg’s remarks"])
    # the relative clause is an attribution of its own, its source "who" (as PolNeAR annotates it,
    # breitbart_2016-07-13_trump-demands-ginsburg-resign-fo)
    assert (endorsed.cue, endorsed.sources, endorsed.contents) == ("endorsed", ["who"], ["Clinton"])


def test_an_adverb_is_never_part_of_the_speaker():
    # issue 16: "already" taken as part of the speaker.
    q = only("Trump already said the election was rigged.", "en")
    assert q.sources == ["Trump"]


def test_a_noun_or_a_name_that_looks_like_a_cue_reports_nothing():
    # issue 16: "states" as a verb ("more than 20 states"), and names such as "United States".
    assert quotes_as_text("The group has members in more than 20 states and the claims were dismissed.", "en") == []
    found = quotes_as_text("The United States says that the talks will resume.", "en")
    assert [(q.cue, q.sources) for q in found] == [("says", ["The United States"])]


def test_bylines_and_follow_lines_are_not_quotes():
    # PolNeAR train (Breitbart): "Follow John Nolte on Twitter @NolteNC."
    assert quotes_as_text("Follow John Nolte on Twitter @NolteNC.", "en") == []


def test_a_title_after_a_possessive_is_not_a_quote():
    found = quotes_as_text("He spoke on Fox News’s “Fox and Friends” on Thursday.", "en")
    assert found == []


# -- English: cues journalism attributes that are not speech ----------------------------------------------


def test_non_speech_cues():
    # PolNeAR train, each with its annotated cue.
    q = only("Cruz warned that the “Washington cartel” is growing nervous with the successes of the conservative "
             "movement.", "en")
    assert (q.cue, q.sources, q.type) == ("warned", ["Cruz"], "mixed")
    q = only("The Republican presidential candidate plans to be back in South Carolina later Saturday to await the "
             "results.", "en")
    assert (q.cue, q.sources) == ("plans", ["The Republican presidential candidate"])
    assert q.contents == ["to be back in South Carolina later Saturday to await the results"]
    q = only("The Post has learned that Hillary Clinton was headed to an emergency room.", "en")
    # the auxiliary is part of the cue, as PolNeAR train annotates "POLITICO has learned that …"
    # (politico_2016-01-05_trump-quietly-builds-a-data-jugg)
    assert (q.cue, q.sources) == ("has learned", ["The Post"])


def test_indirect_content_ends_where_its_clause_ends():
    q = only("Trump warned that the deal would collapse and accused Clinton of lying.", "en")
    assert q.contents == ["that the deal would collapse"]


# -- Arabic ---------------------------------------------------------------------------------------------


def test_the_addressee_of_a_call_is_not_its_speaker():
    # Shared sample line 90; issue 16: "the addressee becomes the speaker (تركيا instead of the paper كيهان)".
    text = ("ونشرت صحيفة «كيهان» اليومية، الناطقة باسم خامنئي، مقال افتتاحي يوم السبت يدعو تركيا إلى "
            "«الانضمام إلى جبهة المقاومة» تحت قيادة إيرانية.")
    q = only(text, "ar")
    assert (q.cue, q.sources, q.contents) == ("يدعو", ["مقال افتتاحي"], ["الانضمام إلى جبهة المقاومة"])


def test_a_subject_before_its_cue_is_the_speaker():
    q = only("وزير الخارجية قال إن المحادثات مستمرة.", "ar")
    assert (q.cue, q.sources, q.contents) == ("قال", ["وزير الخارجية"], ["المحادثات مستمرة"])


def test_amma_x_fa_gives_a_new_speaker():
    # Shared sample line 998: أما المنتجون فيقولون، إن الأبحاث تثبت أن هذه المحاصيل آمنة.
    text = "ويقول المعارضون إن هذه المحاصيل خطيرة على الصحة. أما المنتجون فيقولون، إن الأبحاث تثبت أن هذه المحاصيل آمنة."
    found = quotes_as_text(text, "ar")
    assert [(q.cue, q.sources) for q in found] == [("ويقول", ["المعارضون"]), ("فيقولون", ["المنتجون"])]


def test_the_speaker_keeps_its_affiliation():
    # issue 16: speaker phrases stopped short: "مختصو منظمة الصحة العالمية التابعة".
    q = only("وقال مختصو منظمة الصحة العالمية التابعة للأمم المتحدة إن اللقاح آمن.", "ar")
    assert q.sources == ["مختصو منظمة الصحة العالمية التابعة للأمم المتحدة"]


def test_the_addressee_after_the_cue_is_not_the_speaker():
    # Shared sample line 1533: وقال لوالده: «الآن اذهب وأسعفه».
    q = only("وقال لوالده: «الآن اذهب وأسعفه».", "ar")
    assert (q.cue, q.sources, q.contents) == ("وقال", [], ["الآن اذهب وأسعفه"])


def test_an_accusation_is_an_attribution():
    # The seed article: وتتهم أنقرة … بأنه وراء المحاولة الانقلابية (missed before: اتهم was not a cue).
    found = quotes_as_text("وتتهم أنقرة الداعية فتح الله غولن بأنه وراء المحاولة الانقلابية.", "ar")
    assert [(q.cue, q.contents) for q in found] == [("وتتهم", ["بأنه وراء المحاولة الانقلابية"])]


def test_an_explicit_continuation_takes_the_previous_speaker_across_paragraphs():
    # The seed article: وأعلن بوتين أن … / وقال خلال مؤتمر صحافي "…"
    text = ('وأعلن بوتين أن هناك "بعض التقارب في المواقف" بين موسكو وواشنطن حول سورية.\n\n'
            'وقال خلال مؤتمر صحافي "هناك رغم كل شيء بعض التقارب في المواقف".')
    found = quotes_as_text(text, "ar")
    assert [(q.cue, q.sources) for q in found] == [("وأعلن", ["بوتين"]), ("وقال", ["بوتين"])]
    assert found[1].score < found[0].score
